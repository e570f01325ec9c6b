/* SPDX-License-Identifier: MIT */
/*
 * PSCI over HVC as a guest uses it (issue 3: the platform and its bad
 * input), only calls whose outcome PSCI 1.0 fixes:
 *   - PSCI_VERSION >= 1.0 (the exact minor is the implementation's);
 *   - PSCI_FEATURES: 0 for VERSION, CPU_ON, CPU_OFF, AFFINITY_INFO,
 *     SYSTEM_OFF; NOT_SUPPORTED for a function that does not exist;
 *   - MIGRATE_INFO_TYPE 2 (no Trusted OS to migrate);
 *   - AFFINITY_INFO: every CPU ON; INVALID_PARAMETERS for an absent MPIDR;
 *   - CPU_ON: ALREADY_ON for a running CPU (itself included),
 *     INVALID_PARAMETERS for an absent MPIDR;
 *   - CPU_OFF on a secondary: AFFINITY_INFO reports OFF; CPU_ON starts it
 *     again, its GIC CPU interface is set up again and an SGI reaches it.
 * Unknown function IDs are not called: bare QEMU without EL2 makes such
 * an HVC UNDEFINED, a hypervisor returns NOT_SUPPORTED.
 */
#include "guest.h"

const char test_name[] = "psci";

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define AFF_ON 0
#define AFF_OFF 1

static int64_t affinity_info(uint64_t mpidr)
{
	return psci_call(PSCI_AFFINITY_INFO, mpidr, 0, 0);
}

/* An MPIDR no CPU has: the next Aff0 after the last CPU's. */
static uint64_t absent_mpidr(void)
{
	return cpu_mpidr(nr_cpus - 1) + 1;
}

static void version_features(void)
{
	static const struct {
		uint32_t fn;
		const char *name;
	} calls[] = {
		{PSCI_VERSION, "PSCI_VERSION"},
		{PSCI_CPU_ON, "CPU_ON"},
		{PSCI_CPU_OFF, "CPU_OFF"},
		{PSCI_AFFINITY_INFO, "AFFINITY_INFO"},
		{PSCI_SYSTEM_OFF, "SYSTEM_OFF"},
	};
	uint32_t v = psci_version();

	t_section("version and features");
	t_check((v >> 16) >= 1, "PSCI_VERSION is 1.0 or later");
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		t_check(psci_call(PSCI_FEATURES, calls[i].fn, 0, 0) ==
				PSCI_SUCCESS,
			"PSCI_FEATURES(%s): implemented", calls[i].name);
	t_expect("PSCI_FEATURES(0x8400001f): NOT_SUPPORTED",
		 (uint64_t)psci_call(PSCI_FEATURES, 0x8400001f, 0, 0),
		 (uint64_t)PSCI_NOT_SUPPORTED);
	t_expect("MIGRATE_INFO_TYPE: 2 (no migration needed)",
		 (uint64_t)psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
}

static void cpu_states(void)
{
	t_section("AFFINITY_INFO and CPU_ON");
	for (unsigned c = 0; c < nr_cpus; c++)
		t_expect("AFFINITY_INFO: ON",
			 (uint64_t)affinity_info(cpu_mpidr(c)), AFF_ON);
	t_expect("AFFINITY_INFO of an absent MPIDR: INVALID_PARAMETERS",
		 (uint64_t)affinity_info(absent_mpidr()),
		 (uint64_t)PSCI_INVALID_PARAMETERS);
	for (unsigned c = 0; c < nr_cpus; c++)
		t_expect("CPU_ON of a running cpu: ALREADY_ON",
			 (uint64_t)psci_cpu_on(cpu_mpidr(c),
					       (uint64_t)secondary_entry, c),
			 (uint64_t)PSCI_ALREADY_ON);
	t_expect("CPU_ON of an absent MPIDR: INVALID_PARAMETERS",
		 (uint64_t)psci_cpu_on(absent_mpidr(),
				       (uint64_t)secondary_entry, 1),
		 (uint64_t)PSCI_INVALID_PARAMETERS);
}

static uint64_t cpu_off_fn(uint64_t arg)
{
	(void)arg;
	irq_disable();
	psci_call(PSCI_CPU_OFF, 0, 0, 0);
	t_line("FAIL CPU_OFF returned on cpu %u", this_cpu());
	for (;;)
		__asm__ __volatile__("wfi");
	return 0;
}

static uint64_t sgi_enable_fn(uint64_t arg)
{
	(void)arg;
	irq_enable_id(1);
	return 0;
}

static void off_and_on(void)
{
	if (nr_cpus < 2) {
		t_skip("CPU_OFF/CPU_ON again: one cpu");
		return;
	}
	unsigned t = nr_cpus - 1;

	t_section("CPU_OFF and CPU_ON again");
	smp_call_async(t, cpu_off_fn, 0);
	WAIT_FOR(affinity_info(cpu_mpidr(t)) == AFF_OFF, "cpu %u off", t);
	t_check(true, "AFFINITY_INFO: OFF after CPU_OFF");
	percpu[t].online = 0;
	dsb();
	t_expect("CPU_ON of the stopped cpu: SUCCESS",
		 (uint64_t)psci_cpu_on(cpu_mpidr(t), (uint64_t)secondary_entry,
				       t),
		 PSCI_SUCCESS);
	WAIT_FOR(percpu[t].online, "cpu %u online again", t);
	t_expect("AFFINITY_INFO: ON again",
		 (uint64_t)affinity_info(cpu_mpidr(t)), AFF_ON);
	smp_call(t, gic_cpu_init_fn, 0);
	smp_call(t, sgi_enable_fn, 0);
	uint32_t n = irq_count(t, 1);
	sgi_send_mask(1, 1u << t);
	WAIT_FOR(irq_count(t, 1) != n, "SGI to the restarted cpu");
	smp_settle();
	t_expect("the restarted cpu takes an SGI, once", irq_count(t, 1) - n,
		 1);
}

void test_main(void)
{
	t_gic_setup();
	version_features();
	cpu_states();
	off_and_on();
}
