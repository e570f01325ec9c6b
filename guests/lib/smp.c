/* SPDX-License-Identifier: MIT */
/*
 * CPUs: found by walking the redistributors (GICR_TYPER.Affinity gives
 * each CPU's MPIDR, .Last ends the walk), started with PSCI CPU_ON, and
 * driven by the boot CPU through a per-CPU mailbox (single writer per
 * field, no exclusives: the MMU is off). A secondary waits for commands
 * with IRQs unmasked, so it takes whatever is pending for it while idle.
 */
#include "guest.h"

struct percpu percpu[MAX_CPUS];
unsigned nr_cpus;
uint64_t cpu_aff[MAX_CPUS];

uint64_t cpu_mpidr(unsigned cpu)
{
	uint64_t a = cpu_aff[cpu];

	return (a >> 24) << 32 | (a & 0xffffff);
}

static uint64_t my_mpidr_aff(void)
{
	uint64_t m = read_sysreg(mpidr_el1);

	return (m & 0xff00000000ull) | (m & 0xffffff);
}

void smp_call_async(unsigned cpu, smp_fn fn, uint64_t arg)
{
	struct percpu *pc = &percpu[cpu];

	pc->fn = fn;
	pc->arg = arg;
	dsb();
	pc->cmd_seq = pc->cmd_seq + 1;
	dsb();
}

uint64_t smp_wait(unsigned cpu)
{
	struct percpu *pc = &percpu[cpu];

	/* Longer than any wait inside fn, so that a callee's own TIMEOUT
	 * (the more precise report) always comes first. */
	uint64_t dl = deadline_us(2 * WAIT_US + 1000000);

	while (pc->done_seq != pc->cmd_seq) {
		if (expired(dl))
			t_timeout("cpu %u did not answer", cpu);
		cpu_relax();
	}
	dsb();
	return pc->ret;
}

uint64_t smp_call(unsigned cpu, smp_fn fn, uint64_t arg)
{
	if (cpu == this_cpu())
		return fn(arg);
	smp_call_async(cpu, fn, arg);
	return smp_wait(cpu);
}

static uint64_t settle_fn(uint64_t arg)
{
	(void)arg;
	irq_enable();
	delay_us(SETTLE_US);
	irq_disable();
	return 0;
}

uint64_t smp_idle_masked_fn(uint64_t on)
{
	my_percpu()->idle_masked = (uint32_t)on;
	dsb();
	return 0;
}

void smp_settle(void)
{
	for (unsigned c = 0; c < nr_cpus; c++)
		smp_call(c, settle_fn, 0);
}

void secondary_main(unsigned cpu)
{
	struct percpu *pc = &percpu[cpu];

	pc->mpidr = my_mpidr_aff();
	pc->hook = 0;
	pc->eoimode = 0;
	pc->idle_masked = 0;
	/* A CPU started again after CPU_OFF drops the command it left. */
	pc->done_seq = pc->cmd_seq;
	dsb();
	pc->online = 1;
	dsb();
	for (;;) {
		if (!pc->idle_masked)
			irq_enable();
		while (pc->done_seq == pc->cmd_seq)
			cpu_relax();
		irq_disable();
		dsb();
		pc->ret = pc->fn(pc->arg);
		dsb();
		pc->done_seq = pc->cmd_seq;
		dsb();
	}
}

/* Walk the redistributors, then start every other CPU. */
void smp_boot(void)
{
	unsigned n = 0;

	for (;;) {
		uint64_t typer = mmio_read64(gicr_rd(n) + GICR_TYPER);
		cpu_aff[n] = typer >> 32;
		n++;
		if ((typer & GICR_TYPER_LAST) || n == MAX_CPUS)
			break;
	}
	nr_cpus = n;
	percpu[0].mpidr = my_mpidr_aff();
	percpu[0].online = 1;
	if (cpu_mpidr(0) != percpu[0].mpidr)
		t_line("FAIL boot CPU is not redistributor 0");

	for (unsigned c = 1; c < nr_cpus; c++) {
		int64_t r =
			psci_cpu_on(cpu_mpidr(c), (uint64_t)secondary_entry, c);
		if (r != 0)
			t_line("FAIL CPU_ON cpu %u returned %d", c, (int)r);
	}
	for (unsigned c = 1; c < nr_cpus; c++) {
		WAIT_FOR(percpu[c].online, "cpu %u did not come online", c);
		dsb();
		if (percpu[c].mpidr != cpu_mpidr(c))
			t_line("FAIL cpu %u MPIDR does not match its "
			       "redistributor",
			       c);
	}
}
