/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include "glib.h"

static volatile uint32_t print_lock;

void gputc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)0x09000000UL;
	if (c == '\n')
		gputc('\r');
	while (uart[6] & (1u << 5))
		;
	uart[0] = (uint32_t)(unsigned char)c;
}

static void putnum(uint64_t v, unsigned base, bool neg)
{
	char b[24];
	int n = 0;
	do {
		b[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		gputc('-');
	while (n)
		gputc(b[--n]);
}

void gprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lock(&print_lock);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			gputc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == 's') {
			for (const char *s = va_arg(ap, const char *); *s; s++)
				gputc(*s);
		} else if (*fmt == 'x') {
			putnum(va_arg(ap, uint64_t), 16, false);
		} else if (*fmt == 'd') {
			int64_t d = va_arg(ap, int64_t);
			putnum(d < 0 ? (uint64_t)-d : (uint64_t)d, 10, d < 0);
		}
	}
	unlock(&print_lock);
	va_end(ap);
}

static int64_t call(bool use_smc, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	if (use_smc)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	return (int64_t)x0;
}

int64_t hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3) { return call(false, fn, a1, a2, a3); }
int64_t smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3) { return call(true, fn, a1, a2, a3); }

_Noreturn void pass(void)
{
	gprintf("PASS\n");
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		;
}

/* A failing test ends with SYSTEM_RESET: exit code 2, not 0. */
_Noreturn void fail(const char *what, uint64_t got)
{
	gprintf("FAIL on cpu %d: %s (got %x)\n", (int64_t)cpu_id(), what, got);
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		;
}

uint32_t cpu_id(void) { return (uint32_t)(rd(mpidr_el1) & 0xff); }

void lock(volatile uint32_t *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		;
}
void unlock(volatile uint32_t *l) { __atomic_store_n(l, 0, __ATOMIC_RELEASE); }
uint32_t atomic_inc(volatile uint32_t *p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }

uint32_t cpu_on_all(uint32_t max)
{
	uint32_t n = 1;

	for (uint32_t i = 1; i < max; i++) {
		int64_t r = hvc(PSCI_CPU_ON, i, (uint64_t)_start, 100 + i);
		if (r == -2) /* INVALID_PARAMETERS: no such vCPU */
			break;
		CHECK(r == 0, r);
		int64_t again = hvc(PSCI_CPU_ON, i, (uint64_t)_start, 100 + i);
		CHECK(again == -4 || again == -5, again); /* ALREADY_ON, ON_PENDING */
		n++;
	}
	return n;
}

/* IRQs are masked from the check to the WFI: an interrupt taken between
 * them would leave the WFI with nothing to wake it. WFI wakes on a pending
 * interrupt even when it is masked (Arm ARM D1.6); unmasking takes it. */
void wait_irq(volatile uint32_t *p, uint32_t v)
{
	for (;;) {
		__asm__ volatile("msr daifset, #2" ::: "memory");
		if (*p >= v)
			break;
		__asm__ volatile("wfi");
		__asm__ volatile("msr daifclr, #2" ::: "memory");
	}
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

/* GICD_CTLR with DS = 1: ARE (4) | EnableGrp1 (1). */
void gic_dist_enable(void)
{
	mmio_w32(GICD, (1u << 4) | (1u << 1));
	while (mmio_r32(GICD) & (1u << 31))
		;
}

void gic_cpu_enable(uint32_t cpu, uint32_t enable_mask)
{
	uint64_t rd = GICR(cpu), sgi = GICR(cpu) + SGI_BASE;

	mmio_w32(rd + 0x14, mmio_r32(rd + 0x14) & ~(1u << 1)); /* WAKER.PS */
	while (mmio_r32(rd + 0x14) & (1u << 2))
		;
	mmio_w32(sgi + 0x80, ~0u); /* IGROUPR0: Group 1 */
	for (int i = 0; i < 32; i += 4)
		mmio_w32(sgi + 0x400 + i, 0x80808080u);
	mmio_w32(sgi + 0x100, enable_mask);
	wr(ICC_SRE_EL1, rd(ICC_SRE_EL1) | 1);
	isb();
	wr(ICC_PMR_EL1, 0xff);
	wr(ICC_BPR1_EL1, 0);
	wr(ICC_IGRPEN1_EL1, 1);
	isb();
}

void send_sgi(uint32_t target, uint32_t intid)
{
	__asm__ volatile("dsb ish" ::: "memory");
	wr(ICC_SGI1R_EL1, ((uint64_t)intid << 24) | (1u << target));
	isb();
}

__attribute__((weak)) void on_irq(uint32_t intid) { (void)intid; }
__attribute__((weak)) bool on_sync(struct frame *f, uint64_t esr) { (void)f; (void)esr; return false; }

void irq_handler(struct frame *f)
{
	(void)f;
	for (;;) {
		uint64_t iar = rd(ICC_IAR1_EL1);
		uint32_t intid = iar & 0xffffff;
		if (intid >= 1020)
			return;
		on_irq(intid);
		wr(ICC_EOIR1_EL1, iar);
		isb();
	}
}

void sync_handler(struct frame *f)
{
	uint64_t esr = rd(esr_el1);
	if (!on_sync(f, esr))
		fail("unexpected synchronous exception, ESR", esr);
}

void bad_handler(struct frame *f)
{
	fail("unexpected exception vector, ELR", f->elr);
}
