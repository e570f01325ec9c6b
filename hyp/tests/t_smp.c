/* SPDX-License-Identifier: MIT */
/*
 * Stage C: PSCI CPU_ON of every vCPU there is, SGI ping-pong between
 * vCPU 0 and each other vCPU, a broadcast SGI (IRM), each vCPU's own
 * virtual timer while others run or sleep, then CPU_OFF and
 * AFFINITY_INFO. Works for any N; run it with N > M to time-slice.
 */
#include "glib.h"

#define MAXC 8
#define ROUNDS 20

static volatile uint32_t online, quit, nr_cpus;
static volatile uint32_t pong[MAXC], bcast[MAXC], ticks[MAXC], ping[MAXC];

void on_irq(uint32_t intid)
{
	uint32_t me = cpu_id();

	if (intid == 2) {            /* ping from vCPU 0 */
		ping[me]++;
		send_sgi(0, 3);
	} else if (intid == 3) {     /* pong to vCPU 0 */
		(void)0;
	} else if (intid == 4) {
		bcast[me]++;
	} else if (intid == 27) {
		ticks[me]++;
		wr(cntv_ctl_el0, 0);
	}
	if (intid == 3)
		atomic_inc(&pong[0]);
}

static void timer_test(uint32_t me, uint32_t n)
{
	uint64_t freq = rd(cntfrq_el0);
	for (uint32_t k = 1; k <= n; k++) {
		wr(cntv_tval_el0, freq / 500 + me * freq / 5000);
		wr(cntv_ctl_el0, 1);
		isb();
		wait_irq(&ticks[me], k);
	}
}

void gsecondary(uint64_t ctx)
{
	uint32_t me = cpu_id();
	CHECK(ctx == me + 100, ctx);
	gic_cpu_enable(me, (1u << 2) | (1u << 4) | (1u << 27));
	__asm__ volatile("msr daifclr, #2");
	atomic_inc(&online);
	wait_irq(&quit, 1);
	timer_test(me, 3);
	gprintf("t_smp: vcpu %d done: pings %d bcast %d ticks %d\n", (int64_t)me,
		(int64_t)ping[me], (int64_t)bcast[me], (int64_t)ticks[me]);
	atomic_inc(&online);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	fail("CPU_OFF returned", 0);
}

static void wait_for(volatile uint32_t *p, uint32_t v, const char *what)
{
	for (uint64_t i = 0; i < 100000000 && *p < v; i++)
		__asm__ volatile("wfe" ::: "memory");
	if (*p < v)
		fail(what, *p);
}

void gmain(uint64_t dtb)
{
	(void)dtb;
	gic_dist_enable();
	gic_cpu_enable(0, (1u << 3) | (1u << 27));
	__asm__ volatile("msr daifclr, #2");
	uint32_t n = cpu_on_all(MAXC);
	nr_cpus = n;
	gprintf("t_smp: %d vCPUs\n", (int64_t)n);
	wait_for(&online, n - 1, "secondaries online");
	for (uint32_t r = 1; r <= ROUNDS; r++)
		for (uint32_t c = 1; c < n; c++) {
			send_sgi(c, 2);
			wait_for(&pong[0], (r - 1) * (n - 1) + c, "pong");
		}
	gprintf("t_smp: %d ping-pong rounds done\n", (int64_t)ROUNDS);
	__asm__ volatile("dsb ish" ::: "memory");
	wr(ICC_SGI1R_EL1, (4ull << 24) | (1ull << 40)); /* IRM: all but self */
	isb();
	for (uint32_t c = 1; c < n; c++)
		wait_for(&bcast[c], 1, "broadcast");
	quit = 1;
	/* a vCPU asleep in WFI needs an interrupt to see `quit` */
	__asm__ volatile("dsb ish" ::: "memory");
	wr(ICC_SGI1R_EL1, (4ull << 24) | (1ull << 40));
	isb();
	timer_test(0, 3);
	wait_for(&online, 2 * (n - 1), "secondaries done");
	for (uint32_t c = 1; c < n; c++) {
		int64_t st = 0;
		for (int i = 0; i < 1000000 && (st = hvc(PSCI_AFFINITY_INFO, c, 0, 0)) != 1; i++)
			;
		CHECK(st == 1, st);
	}
	gprintf("t_smp: all secondaries off\n");
	pass();
}
