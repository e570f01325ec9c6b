/* SPDX-License-Identifier: MIT */
/*
 * Stress: every vCPU takes TICKS virtual timer interrupts with short,
 * staggered periods, sleeping in WFI between them, while vCPU 0 pings
 * the others with SGIs. vCPU 0 watches the others' progress: one that
 * makes none for a second is stuck, and then the hypervisor is asked for
 * a state dump (HYP_CALL_DUMP, with --verbose) before the test fails.
 */
#include "glib.h"

#define MAXC 8
#define TICKS 400
#define HYP_CALL_DUMP 0x8600ff00u

static volatile uint32_t online, done, nr_cpus;
static volatile uint32_t ticks[MAXC], pings[MAXC];

void on_irq(uint32_t intid)
{
	uint32_t me = cpu_id();

	if (intid == 27) {
		ticks[me]++;
		wr(cntv_ctl_el0, 0);
	} else if (intid == 2) {
		pings[me]++;
	}
}

static uint64_t period(uint32_t me, uint32_t k)
{
	uint64_t freq = rd(cntfrq_el0);
	return freq / 20000 + ((me * 7 + k * 13) % 17) * freq / 100000;
}

static void arm_timer(uint32_t me, uint32_t k)
{
	wr(cntv_tval_el0, period(me, k));
	wr(cntv_ctl_el0, 1);
	isb();
}

void gsecondary(uint64_t ctx)
{
	uint32_t me = cpu_id();
	(void)ctx;
	gic_cpu_enable(me, (1u << 2) | (1u << 27));
	__asm__ volatile("msr daifclr, #2");
	atomic_inc(&online);
	for (uint32_t k = 1; k <= TICKS; k++) {
		arm_timer(me, k);
		wait_irq(&ticks[me], k);
	}
	atomic_inc(&done);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	fail("CPU_OFF returned", 0);
}

/* vCPU 0: its own ticks (also its wake-ups), a ping now and then, and
 * the watchdog, until every other vCPU is done. */
static void run_and_watch(uint32_t n)
{
	uint64_t freq = rd(cntfrq_el0), last[MAXC] = {0}, seen[MAXC] = {0};
	uint32_t k = 1, rr = 1;

	for (uint32_t c = 0; c < n; c++)
		last[c] = rd(cntvct_el0);
	arm_timer(0, k);
	while (done < n - 1 || k <= TICKS) {
		if (ticks[0] >= k)
			arm_timer(0, ++k);
		uint64_t now = rd(cntvct_el0);
		for (uint32_t c = 0; c < n; c++) {
			if (ticks[c] != seen[c] || (c && ticks[c] >= TICKS)) {
				seen[c] = ticks[c];
				last[c] = now;
			} else if (now - last[c] > freq) {
				gprintf("t_tstress: vcpu %d stuck at tick %d\n",
					(int64_t)c, (int64_t)ticks[c]);
				hvc(HYP_CALL_DUMP, 0, 0, 0);
				for (volatile int i = 0; i < 10000000; i++)
					;
				fail("stuck vcpu", c);
			}
		}
		if (n > 1) {
			send_sgi(rr, 2);
			rr = rr + 1 < n ? rr + 1 : 1;
		}
		wait_irq(&ticks[0], k);
	}
}

void gmain(uint64_t dtb)
{
	(void)dtb;
	gic_dist_enable();
	gic_cpu_enable(0, (1u << 27));
	__asm__ volatile("msr daifclr, #2");
	uint32_t n = cpu_on_all(MAXC);
	nr_cpus = n;
	while (online < n - 1)
		__asm__ volatile("wfe");
	run_and_watch(n);
	gprintf("t_tstress: %d vCPUs x %d ticks\n", (int64_t)n, (int64_t)TICKS);
	pass();
}
