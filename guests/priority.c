/* SPDX-License-Identifier: MIT */
/*
 * Priorities, run on every CPU in turn:
 *   - idle CPU interface: RPR 0xff, HPPIR1 and IAR1 1023;
 *   - PMR/BPR1 read back; PMR masking (a pending interrupt shows in HPPIR
 *     but IAR returns 1023 until its priority is higher than PMR);
 *   - acknowledge order by priority, HPPIR while something is active,
 *     IAR 1023 for a pending interrupt that cannot preempt;
 *   - preemption with IRQs unmasked inside a handler: a higher group
 *     priority preempts (nested IRQ), an equal one, a lower one, or a
 *     higher priority in the same group (BPR1) does not; RPR in each.
 * For Group 1, BPR1 = n makes bits [7:n] the group priority (the
 * GroupBits() pseudocode: one bit less than BPR0 would). Priorities are
 * multiples of 0x10 and BPR1 >= 3 so that every GICv3 CPU interface
 * with 5 or more priority bits (ICC and ICV alike) must agree.
 */
#include "guest.h"

const char test_name[] = "priority";

static uint32_t irqs_of(uint32_t intid)
{
	return irq_count(this_cpu(), intid);
}

static void idle_state(const char *when)
{
	uint32_t rpr = icc_rpr(), hppir = icc_hppir1(), iar = icc_iar1();

	t_check(rpr == 0xff && hppir == INTID_SPURIOUS && iar == INTID_SPURIOUS,
		"%s: RPR 0x%x HPPIR1 %u IAR1 %u", when, rpr, hppir, iar);
}

static void regs(void)
{
	icc_pmr(0x80);
	t_expect("PMR 0x80 reads back", read_sysreg(ICC_PMR_EL1), 0x80);
	icc_pmr(0xff);
	/* At least 5 bits (32 levels) are implemented by both sides;
	 * how many more is IMPLEMENTATION DEFINED: only the top 5 count. */
	t_expect("PMR 0xff: top 5 bits read as ones",
		 read_sysreg(ICC_PMR_EL1) & 0xf8, 0xf8);
	write_sysreg(ICC_BPR1_EL1, 4);
	isb();
	t_expect("BPR1 4 reads back", read_sysreg(ICC_BPR1_EL1), 4);
	write_sysreg(ICC_BPR1_EL1, 3);
	isb();
	t_expect("BPR1 3 reads back", read_sysreg(ICC_BPR1_EL1), 3);
}

/* Polled (DAIF masked): PMR masking and acknowledge order. */
static void pmr_masking(void)
{
	irq_set_priority(9, 0x80);
	irq_enable_id(9);
	icc_pmr(0x80);
	sgi_send_self(9);
	WAIT_FOR(icc_hppir1() == 9, "SGI 9 in HPPIR1");
	t_expect("priority 0x80 with PMR 0x80: HPPIR1 shows it", icc_hppir1(),
		 9);
	t_expect("priority 0x80 with PMR 0x80: IAR1 1023", icc_iar1(),
		 INTID_SPURIOUS);
	icc_pmr(0x90);
	uint32_t iar = icc_iar1();
	t_expect("PMR 0x90: IAR1 returns it", iar, 9);
	t_expect("RPR while SGI 9 active", icc_rpr(), 0x80);
	if (iar == 9)
		icc_eoir1(9);
	icc_pmr(0xff);
	idle_state("after EOI");
}

static void ack_order(void)
{
	irq_set_priority(14, 0xa0);
	irq_set_priority(15, 0x90);
	irq_enable_id(14);
	irq_enable_id(15);
	sgi_send_self(14);
	sgi_send_self(15);
	WAIT_FOR(irq_is_pending(14) && irq_is_pending(15), "SGIs 14, 15");
	t_expect("HPPIR1: the higher priority of two", icc_hppir1(), 15);
	uint32_t a = icc_iar1();
	t_expect("IAR1: the higher priority first", a, 15);
	t_expect("HPPIR1 with 15 active: the lower pending one", icc_hppir1(),
		 14);
	t_expect("IAR1 1023: 0xa0 cannot preempt running 0x90", icc_iar1(),
		 INTID_SPURIOUS);
	t_expect("RPR 0x90", icc_rpr(), 0x90);
	if (a == 15)
		icc_eoir1(15);
	uint32_t b = icc_iar1();
	t_expect("after EOI: IAR1 returns the lower one", b, 14);
	t_expect("RPR 0xa0", icc_rpr(), 0xa0);
	if (b == 14)
		icc_eoir1(14);
	idle_state("after both EOIs");
}

/* ------------------------------------------------------------ nesting */

static volatile uint32_t run_id, pend_id, nested, rpr_outer, rpr_inner,
	hppir_outer;

static int nest_hook(uint32_t intid)
{
	if (intid == pend_id) {
		rpr_inner = icc_rpr();
		dsb();
		return 0;
	}
	if (intid != run_id)
		return 0;
	rpr_outer = icc_rpr();
	uint32_t n = irqs_of(pend_id);
	sgi_send_self(pend_id);
	WAIT_FOR(icc_hppir1() == pend_id || irqs_of(pend_id) != n,
		 "SGI %u pending in handler", pend_id);
	irq_enable();
	/* taken at once if it can preempt; give it time if not */
	uint64_t dl = deadline_us(NEGATIVE_US);
	while (!expired(dl) && irqs_of(pend_id) == n)
		cpu_relax();
	irq_disable();
	nested = irqs_of(pend_id) - n;
	hppir_outer = icc_hppir1();
	dsb();
	return 0;
}

static void nest(uint32_t run_prio, uint32_t pend_prio, uint32_t bpr,
		 bool preempt)
{
	run_id = 10;
	pend_id = 11;
	nested = 0xdead;
	rpr_inner = rpr_outer = 0;
	irq_set_priority(10, (uint8_t)run_prio);
	irq_set_priority(11, (uint8_t)pend_prio);
	irq_enable_id(10);
	irq_enable_id(11);
	write_sysreg(ICC_BPR1_EL1, bpr);
	isb();
	my_percpu()->hook = nest_hook;
	uint32_t n10 = irqs_of(10), n11 = irqs_of(11);
	irq_enable();
	sgi_send_self(10);
	WAIT_FOR(irqs_of(10) != n10 && irqs_of(11) != n11,
		 "SGIs 10 and 11 (0x%x, 0x%x)", run_prio, pend_prio);
	irq_disable();
	my_percpu()->hook = 0;
	write_sysreg(ICC_BPR1_EL1, 3);
	isb();

	t_check(nested == (preempt ? 1u : 0u) && irqs_of(10) - n10 == 1 &&
			irqs_of(11) - n11 == 1,
		"running 0x%x, pending 0x%x, BPR1 %u: %s", run_prio, pend_prio,
		bpr, nested == 1 ? "preempted" : "not preempted");
	/* RPR is the group priority of the active interrupt (its APR bit
	 * is chosen with the BPR in force when it was acknowledged). */
	uint32_t gmask = (0xffu << bpr) & 0xffu;
	t_expect("  RPR in the running handler: its group priority", rpr_outer,
		 run_prio & gmask);
	if (preempt)
		t_expect("  RPR in the nested handler: its group priority",
			 rpr_inner, pend_prio & gmask);
	else
		t_expect("  HPPIR1 in the running handler", hppir_outer, 11);
	idle_state("  afterwards");
}

static uint64_t suite(uint64_t arg)
{
	(void)arg;
	idle_state("idle");
	regs();
	pmr_masking();
	ack_order();
	nest(0xa0, 0x80, 3, true);  /* higher group priority */
	nest(0x80, 0xa0, 3, false); /* lower */
	nest(0xa0, 0xa0, 3, false); /* equal */
	nest(0xb0, 0xa0, 4, true);  /* BPR1 4: groups [7:4] differ */
	nest(0xb0, 0xa0, 5, false); /* BPR1 5: same group [7:5] */
	nest(0xc0, 0x80, 5, true);  /* BPR1 5: groups differ */
	return 0;
}

void test_main(void)
{
	t_gic_setup();
	t_each_cpu("priority", suite);
}
