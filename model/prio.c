/* SPDX-License-Identifier: MIT */
/*
 * Priority arithmetic shared by the physical and the virtual CPU interface
 * (IHI 0069, 4.8 "Interrupt prioritization").
 *
 * Lower value = higher priority. Only the top `pri_bits` bits of a
 * priority exist. The binary point splits a priority into group priority
 * (used for preemption) and subpriority: for BPR0 (and BPR1 when CBPR is
 * set) a value b means group priority bits [7:b+1]; for BPR1 a value b
 * means [7:b], which is why BPR1's minimum is BPR0's minimum plus one
 * (IHI 0069, ICC_BPR1_EL1; GroupBits() in the pseudocode). Each active group
 * priority sets one bit in the active priorities registers, bit index =
 * priority >> (8 - prebits), and the running priority is the lowest set bit
 * (ICC_AP1R<n>_EL1, ICC_RPR_EL1).
 */
#include "model_internal.h"

/* Implemented priority bits are the top ones; the rest are RAZ/WI. */
uint8_t model_prio_mask(unsigned pri_bits)
{
	return (uint8_t)(0xffu << (8 - pri_bits));
}

/* Preemption levels: at most 7 bits, since BPR0 can not go below 0. */
unsigned model_prebits(unsigned pri_bits)
{
	return pri_bits > 7 ? 7 : pri_bits;
}

/* Minimum BPR value of a group: finer grouping than the APRs can hold
 * would be meaningless (ICC_BPR0_EL1, ICC_BPR1_EL1; ICV likewise). */
unsigned model_bpr_min(unsigned prebits, unsigned grp)
{
	return 7 - prebits + (grp ? 1 : 0);
}

/* Mask keeping the group priority of a `grp` interrupt, given the BPR
 * value in force for it (BPR0's value if `cbpr`); GroupBits(). */
uint8_t model_group_mask(uint32_t bpr, unsigned grp, bool cbpr)
{
	unsigned point = (grp && !cbpr && bpr) ? bpr - 1 : bpr;

	return (uint8_t)(0xffu << (point + 1));
}

/* ICC_AP<g>R<n> / ICH_AP<g>R<n> that exist: 32 levels each. */
unsigned model_apr_nr_regs(unsigned prebits)
{
	return 1u << (prebits - 5);
}

/* Lowest set bit over both groups, or -1 when nothing is active. */
static int apr_highest_bit(const struct model_apr *a, unsigned prebits)
{
	for (unsigned n = 0; n < model_apr_nr_regs(prebits); n++) {
		uint32_t bits = a->r[0][n] | a->r[1][n];

		if (bits)
			return (int)(n * 32 + (unsigned)__builtin_ctz(bits));
	}
	return -1;
}

/* Running priority (ICC_RPR_EL1 / ICV_RPR_EL1). */
uint8_t model_apr_running(const struct model_apr *a, unsigned prebits)
{
	int bit = apr_highest_bit(a, prebits);

	if (bit < 0)
		return MODEL_IDLE_PRIORITY;
	return (uint8_t)((unsigned)bit << (8 - prebits));
}

/* Acknowledge: record the group priority as active. */
void model_apr_activate(struct model_apr *a, unsigned prebits, unsigned grp,
			uint8_t group_priority)
{
	unsigned bit = (unsigned)group_priority >> (8 - prebits);

	a->r[grp][bit / 32] |= 1u << (bit % 32);
}

/*
 * Priority drop: clear the highest priority active bit; Group 0 wins a tie
 * between the groups. Returns false if nothing was active, in which case
 * an EOI is ignored (CONSTRAINED UNPREDICTABLE, this is our choice).
 */
bool model_apr_drop(struct model_apr *a, unsigned prebits)
{
	int bit = apr_highest_bit(a, prebits);
	unsigned n, mask, grp;

	if (bit < 0)
		return false;
	n = (unsigned)bit / 32;
	mask = 1u << ((unsigned)bit % 32);
	grp = (a->r[0][n] & mask) ? 0 : 1;
	a->r[grp][n] &= ~mask;
	return true;
}

/*
 * Can a pending interrupt of priority `prio` be signalled: it must beat
 * the priority mask, and its group priority must be strictly higher than
 * the running priority's (4.8 "Preemption"; subpriority never preempts).
 */
bool model_prio_can_preempt(uint8_t prio, uint8_t gmask, uint8_t pmr,
			    uint8_t running)
{
	if (prio >= pmr)
		return false;
	if (running == MODEL_IDLE_PRIORITY)
		return true;
	return (prio & gmask) < (running & gmask);
}
