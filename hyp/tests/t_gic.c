/* SPDX-License-Identifier: MIT */
/*
 * Stage B, one vCPU: PSCI answers, the vGIC through MMIO and ICV_*
 * registers, an SGI to self via the trapped ICC_SGI1R_EL1, the forwarded
 * virtual timer (PPI 27, HW bit: the guest's EOI deactivates the
 * physical interrupt, so it can fire again), injected external aborts
 * and UNDEFs.
 */
#include "glib.h"

static volatile uint32_t count[64];
static volatile uint64_t last_esr;

void on_irq(uint32_t intid)
{
	if (intid < 64)
		count[intid]++;
	if (intid == 27)
		wr(cntv_ctl_el0, 0); /* drop the timer's line */
}

/* Expected: data abort (EC 0x25, SEA) and UNDEF (EC 0): skip the insn. */
bool on_sync(struct frame *f, uint64_t esr)
{
	last_esr = esr;
	f->elr += 4;
	return true;
}

static void wait_count(int intid, uint32_t n)
{
	wait_irq(&count[intid], n);
}

static void check_psci(void)
{
	CHECK(hvc(PSCI_VERSION, 0, 0, 0) == 0x10000, 0);
	CHECK(smc(PSCI_VERSION, 0, 0, 0) == 0x10000, 0);
	CHECK(hvc(0x8400dead, 0, 0, 0) == -1, 0);
	CHECK(hvc(0xc2000000, 0, 0, 0) == -1, 0);
	CHECK(hvc(0x8600ff00, 0, 0, 0) == -1, 0); /* dump: --verbose only */
	CHECK(hvc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0) == 0, 0);
	CHECK(hvc(PSCI_FEATURES, 0x84000001, 0, 0) == -1, 0);
	CHECK(hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0) == 2, 0);
	CHECK(hvc(PSCI_CPU_ON, 0x55, (uint64_t)_start, 0) == -2, 0);
	CHECK(hvc(PSCI_CPU_ON, 0, (uint64_t)_start, 0) == -4, 0);
	CHECK(hvc(PSCI_AFFINITY_INFO, 0, 0, 0) == 0, 0);
}

static void check_faults(void)
{
	last_esr = ~0ull;
	(void)mmio_r32(0x09010000UL); /* RTC page: not passed through */
	CHECK((last_esr >> 26) == 0x25 && (last_esr & 0x3f) == 0x10, last_esr);
	last_esr = ~0ull;
	(void)mmio_r32(GICD + 0x10000); /* just past the GICD frame */
	CHECK((last_esr >> 26) == 0x25, last_esr);
	last_esr = ~0ull;
	(void)rd(cntp_ctl_el0); /* EL1 physical timer: trapped, UNDEF */
	CHECK((last_esr >> 26) == 0, last_esr);
}

static void check_timer(void)
{
	uint64_t freq = rd(cntfrq_el0);

	for (uint32_t k = 1; k <= 5; k++) {
		wr(cntv_tval_el0, freq / 1000);
		wr(cntv_ctl_el0, 1);
		isb();
		wait_count(27, k);
	}
}

void gmain(uint64_t dtb)
{
	(void)dtb;
	gprintf("t_gic: start\n");
	check_psci();
	check_faults();
	uint32_t pidr2 = mmio_r32(GICD + 0xffe8);
	CHECK(((pidr2 >> 4) & 0xf) == 3, pidr2);
	gic_dist_enable();
	gic_cpu_enable(0, (1u << 1) | (1u << 5) | (1u << 27));
	CHECK(rd(ICC_SRE_EL1) & 1, rd(ICC_SRE_EL1));
	__asm__ volatile("msr daifclr, #2");

	send_sgi(0, 1);
	wait_count(1, 1);
	send_sgi(0, 5);
	send_sgi(0, 5);
	wait_count(5, 1);
	gprintf("t_gic: SGIs taken (1: %d, 5: %d)\n", (int64_t)count[1], (int64_t)count[5]);
	check_timer();
	gprintf("t_gic: %d virtual timer interrupts\n", (int64_t)count[27]);
	/* pending via MMIO, taken through the LR */
	mmio_w32(GICR(0) + SGI_BASE + 0x200, 1u << 27); /* ISPENDR0 */
	wait_count(27, 6);
	pass();
}
void gsecondary(uint64_t ctx) { (void)ctx; }
