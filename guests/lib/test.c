/* SPDX-License-Identifier: MIT */
/*
 * Test reporting and the boot CPU's main. Output contract (parsed by
 * scripts/run-conformance), every line starting with "T: ":
 *   T: TEST <program> cpus=<n>
 *   T: SECTION <name>
 *   T: PASS <what> | T: FAIL <what> ... | T: SKIP <what> | T: <fact>
 *   T: TIMEOUT <what>          (fatal: the summary follows at once)
 *   T: EXCEPTION ...           (fatal)
 *   T: SUMMARY <program> pass=<p> fail=<f>
 */
#include "guest.h"

static unsigned nr_pass, nr_fail;

void t_line(const char *fmt, ...)
{
	va_list ap;

	uart_puts("T: ");
	va_start(ap, fmt);
	vprintf_(fmt, ap);
	va_end(ap);
	uart_putc('\n');
	if (fmt[0] == 'F' && fmt[1] == 'A' && fmt[2] == 'I' && fmt[3] == 'L')
		nr_fail++;
}

void t_section(const char *name)
{
	t_line("SECTION %s", name);
}

bool t_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	uart_puts(ok ? "T: PASS " : "T: FAIL ");
	va_start(ap, fmt);
	vprintf_(fmt, ap);
	va_end(ap);
	uart_putc('\n');
	if (ok)
		nr_pass++;
	else
		nr_fail++;
	return ok;
}

bool t_expect(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return t_check(true, "%s", what);
	return t_check(false, "%s: got 0x%lx, want 0x%lx", what, got, want);
}

void t_skip(const char *fmt, ...)
{
	va_list ap;

	uart_puts("T: SKIP ");
	va_start(ap, fmt);
	vprintf_(fmt, ap);
	va_end(ap);
	uart_putc('\n');
}

void t_each_cpu(const char *name, smp_fn fn)
{
	for (unsigned c = 0; c < nr_cpus; c++) {
		t_line("SECTION %s cpu %u", name, c);
		smp_call(c, fn, c);
	}
}

void t_gic_setup(void)
{
	gic_dist_init();
	for (unsigned c = 0; c < nr_cpus; c++)
		smp_call(c, gic_cpu_init_fn, 0);
}

void t_finish(void)
{
	t_line("SUMMARY %s pass=%u fail=%u", test_name, nr_pass, nr_fail);
	psci_system_off();
}

void t_timeout(const char *fmt, ...)
{
	va_list ap;

	uart_puts("T: TIMEOUT ");
	va_start(ap, fmt);
	vprintf_(fmt, ap);
	va_end(ap);
	uart_putc('\n');
	nr_fail++;
	t_finish();
}

void fatal_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	printf_("T: EXCEPTION cpu %u kind %u ESR 0x%lx ELR 0x%lx FAR 0x%lx\n",
		this_cpu(), (unsigned)kind, esr, elr, far);
	nr_fail++;
	t_finish();
}

void boot_main(void);
void boot_main(void)
{
	uart_puts("\n");
	if (((read_sysreg(CurrentEL) >> 2) & 3) != 1) {
		uart_puts("T: FAIL not entered at EL1\n");
		nr_fail++;
		t_finish();
	}
	smp_boot();
	t_line("TEST %s cpus=%u", test_name, nr_cpus);
	test_main();
	t_finish();
}
