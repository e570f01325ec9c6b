/* SPDX-License-Identifier: MIT */
/* GICv3 helpers for a guest: distributor and redistributor set-up, the
 * CPU interface through ICC_*_EL1, SGIs, and the IRQ dispatcher. */
#include "guest.h"

/* -------------------------------------------------------- per-INTID */

uint32_t irq_bit_read(uint32_t base, uint32_t intid)
{
	if (intid < 32)
		return gicr_bit_read(this_cpu(), base, intid);
	return gicd_bit_read(base, intid);
}

void irq_bit_write(uint32_t base, uint32_t intid)
{
	if (intid < 32)
		gicr_bit_write(this_cpu(), base, intid);
	else
		gicd_bit_write(base, intid);
	dsb();
}

void irq_set_priority(uint32_t intid, uint8_t prio)
{
	if (intid < 32)
		mmio_write8(gicr_sgi(this_cpu()) + GICR_IPRIORITYR + intid,
			    prio);
	else
		mmio_write8(GICD_BASE + GICD_IPRIORITYR + intid, prio);
	dsb();
}

void irq_enable_id(uint32_t intid)
{
	irq_bit_write(GICD_ISENABLER, intid);
}

void irq_disable_id(uint32_t intid)
{
	irq_bit_write(GICD_ICENABLER, intid);
	if (intid < 32)
		gicr_wait_rwp(this_cpu());
	else
		gicd_wait_rwp();
}

void irq_set_pending(uint32_t intid)
{
	irq_bit_write(GICD_ISPENDR, intid);
}

void irq_clear_pending(uint32_t intid)
{
	irq_bit_write(GICD_ICPENDR, intid);
}

bool irq_is_pending(uint32_t intid)
{
	return irq_bit_read(GICD_ISPENDR, intid) != 0;
}

bool irq_is_active(uint32_t intid)
{
	return irq_bit_read(GICD_ISACTIVER, intid) != 0;
}

/* GICD/GICR SGI_base offsets of the 1-bit registers are the same. */
_Static_assert(GICD_ISENABLER == GICR_ISENABLER0, "layout");
_Static_assert(GICD_ICACTIVER == GICR_ICACTIVER0, "layout");

/* ------------------------------------------------------------- init */

void gicd_wait_rwp(void)
{
	WAIT_FOR(!(gicd_read(GICD_CTLR) & GICD_CTLR_RWP), "GICD_CTLR.RWP");
}

void gicr_wait_rwp(unsigned cpu)
{
	WAIT_FOR(!(mmio_read32(gicr_rd(cpu) + GICR_CTLR) & GICR_CTLR_RWP),
		 "GICR_CTLR.RWP cpu %u", cpu);
}

static uint32_t nr_intids(void)
{
	uint32_t lines = (gicd_read(GICD_TYPER) & 0x1f) + 1;

	return lines * 32 > 1020 ? 1020 : lines * 32;
}

void gic_dist_init(void)
{
	uint32_t n = nr_intids();

	gicd_write(GICD_CTLR, 0);
	gicd_wait_rwp();
	for (uint32_t i = 32; i < n; i += 32) {
		gicd_write(GICD_IGROUPR + i / 8, 0xffffffffu);
		gicd_write(GICD_ICENABLER + i / 8, 0xffffffffu);
		gicd_write(GICD_ICPENDR + i / 8, 0xffffffffu);
		gicd_write(GICD_ICACTIVER + i / 8, 0xffffffffu);
	}
	for (uint32_t i = 32; i < n; i += 4)
		gicd_write(GICD_IPRIORITYR + i, 0xa0a0a0a0u);
	gicd_wait_rwp();
	gicd_write(GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
	gicd_wait_rwp();
}

void gic_set_eoimode(unsigned mode)
{
	uint64_t ctlr = read_sysreg(ICC_CTLR_EL1);

	ctlr &= ~(uint64_t)ICC_CTLR_EOIMODE;
	if (mode)
		ctlr |= ICC_CTLR_EOIMODE;
	write_sysreg(ICC_CTLR_EL1, ctlr);
	isb();
	my_percpu()->eoimode = mode;
}

void gic_cpu_init(void)
{
	unsigned cpu = this_cpu();
	uintptr_t rd = gicr_rd(cpu), sgi = gicr_sgi(cpu);

	/* System register interface (RAO/WI under a hypervisor). */
	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE);
	isb();

	/* Wake the redistributor. */
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) &
					      ~GICR_WAKER_PROCESSOR_SLEEP);
	WAIT_FOR(!(mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP),
		 "GICR_WAKER.ChildrenAsleep cpu %u", cpu);

	mmio_write32(sgi + GICR_ICENABLER0, 0xffffffffu);
	gicr_wait_rwp(cpu);
	mmio_write32(sgi + GICR_IGROUPR0, 0xffffffffu);
	mmio_write32(sgi + GICR_ICPENDR0, 0xffffffffu);
	mmio_write32(sgi + GICR_ICACTIVER0, 0xffffffffu);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICR_IPRIORITYR + i, 0xa0a0a0a0u);
	dsb();

	icc_pmr(0xff);
	/* BPR1 3 is the smallest value every GICv3 CPU interface with 5
	 * priority bits accepts for Group 1 (ICV_BPR1_EL1 minimum). */
	write_sysreg(ICC_BPR1_EL1, 3);
	write_sysreg(ICC_CTLR_EL1,
		     read_sysreg(ICC_CTLR_EL1) &
			     ~(uint64_t)(ICC_CTLR_EOIMODE | ICC_CTLR_CBPR));
	my_percpu()->eoimode = 0;
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
}

uint64_t gic_cpu_init_fn(uint64_t arg)
{
	(void)arg;
	gic_cpu_init();
	return 0;
}

/* ------------------------------------------------------------- SGIs */

uint64_t sgi1r_value(uint32_t intid, uint64_t aff, uint32_t targetlist)
{
	/* aff = Aff3 [31:24] Aff2 [23:16] Aff1 [15:8] (Aff0 ignored) */
	uint64_t aff3 = (aff >> 24) & 0xff, aff2 = (aff >> 16) & 0xff,
		 aff1 = (aff >> 8) & 0xff;

	return aff3 << 48 | aff2 << 32 | aff1 << 16 |
	       (uint64_t)(intid & 0xf) << 24 | (targetlist & 0xffff);
}

static void sgi_write(uint64_t v)
{
	dsb();
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

/* One write per (Aff3.Aff2.Aff1, range) cluster of the CPUs in mask. */
void sgi_send_mask(uint32_t intid, uint32_t mask)
{
	while (mask) {
		unsigned first = (unsigned)__builtin_ctz(mask);
		uint64_t cl = cpu_aff[first] & ~0xfull; /* cluster + RS */
		uint32_t tl = 0;

		for (unsigned c = first; c < nr_cpus; c++) {
			if ((mask & (1u << c)) &&
			    (cpu_aff[c] & ~0xfull) == cl) {
				tl |= 1u << (cpu_aff[c] & 0xf);
				mask &= ~(1u << c);
			}
		}
		uint64_t rs = (cl >> 4) & 0xf;
		sgi_write(sgi1r_value(intid, cl, tl) | rs << 44);
	}
}

void sgi_send_others(uint32_t intid)
{
	sgi_write((uint64_t)(intid & 0xf) << 24 | 1ull << 40);
}

void sgi_send_self(uint32_t intid)
{
	sgi_send_mask(intid, 1u << this_cpu());
}

/* ------------------------------------------------------------- IRQ */

void irq_dispatch(void)
{
	struct percpu *pc = my_percpu();
	uint32_t intid = icc_iar1();

	if (intid >= 1020 && intid <= 1023) { /* special INTIDs, LPIs above */
		pc->spurious = pc->spurious + 1;
		dsb();
		return;
	}
	if (intid < NR_TRACKED_INTIDS)
		pc->irq_count[intid] = pc->irq_count[intid] + 1;
	else if (intid - FIRST_LPI < NR_TRACKED_LPIS)
		pc->lpi_count[intid - FIRST_LPI] =
			pc->lpi_count[intid - FIRST_LPI] + 1;
	if (pc->log_n < 32)
		pc->log[pc->log_n] = intid;
	pc->log_n = pc->log_n + 1;
	pc->nr_irqs = pc->nr_irqs + 1;
	dsb();
	irq_hook hook = pc->hook;
	if (hook && hook(intid))
		return;
	icc_eoir1(intid);
	if (pc->eoimode)
		icc_dir(intid);
}

uint32_t irq_count(unsigned cpu, uint32_t intid)
{
	dsb();
	return percpu[cpu].irq_count[intid];
}

uint32_t lpi_count(unsigned cpu, uint32_t intid)
{
	dsb();
	return percpu[cpu].lpi_count[intid - FIRST_LPI];
}

void irq_counts_snapshot(unsigned cpu, uint32_t *out)
{
	dsb();
	for (unsigned i = 0; i < NR_TRACKED_INTIDS; i++)
		out[i] = percpu[cpu].irq_count[i];
}
