/* SPDX-License-Identifier: MIT */
/* PSCI over HVC (the conduit both on bare QEMU virt at EL1 and under
 * hyp/), and the generic timer as a clock for timeouts. */
#include "guest.h"

uint32_t psci_version(void)
{
	return (uint32_t)psci_call(PSCI_VERSION, 0, 0, 0);
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	return psci_call(PSCI_CPU_ON, mpidr, entry, ctx);
}

void psci_system_off(void)
{
	uart_flush();
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	/* Only reached if SYSTEM_OFF failed: the runner's timeout ends it. */
	uart_puts("T: SYSTEM_OFF returned\n");
	for (;;)
		__asm__ __volatile__("wfi");
}

/* ------------------------------------------------------------ time */

static uint64_t counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

uint64_t time_ticks(uint64_t us)
{
	uint64_t f = read_sysreg(cntfrq_el0) & 0xffffffffu;

	if (!f)
		f = 62500000; /* QEMU's frequency if firmware left 0 */
	return us * (f / 1000) / 1000 + 1;
}

uint64_t deadline_us(uint64_t us)
{
	return counter() + time_ticks(us);
}

bool expired(uint64_t deadline)
{
	return (int64_t)(counter() - deadline) >= 0;
}

void delay_us(uint64_t us)
{
	uint64_t dl = deadline_us(us);

	while (!expired(dl))
		cpu_relax();
}
