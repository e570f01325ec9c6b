/* SPDX-License-Identifier: MIT */
/*
 * Console and exit: a polled PL011 shared with the guest (its accesses
 * pass through stage 2), semihosting SYS_EXIT_EXTENDED, and the few libc
 * functions a freestanding compiler may still call.
 */
#include <stdarg.h>

#include "hyp.h"

#define PL011_BASE 0x09000000UL
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

static spinlock_t print_lock;

void spin_lock(spinlock_t *l)
{
	while (atomic_exchange_explicit(&l->v, 1, memory_order_acquire))
		while (atomic_load_explicit(&l->v, memory_order_relaxed))
			__asm__ volatile("yield");
}

void spin_unlock(spinlock_t *l)
{
	atomic_store_explicit(&l->v, 0, memory_order_release);
}

static inline volatile uint32_t *pl011(unsigned off)
{
	return (volatile uint32_t *)(PL011_BASE + off);
}

void uart_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	while (*pl011(PL011_FR) & PL011_FR_TXFF)
		;
	*pl011(PL011_DR) = (uint32_t)(unsigned char)c;
}

static void put_str(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static void put_num(uint64_t v, unsigned base, int width, char pad, bool neg)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (width-- > n)
		uart_putc(pad);
	while (n)
		uart_putc(buf[--n]);
}

/* Fetch an integer argument of the size the length modifier names. */
static uint64_t fetch(va_list *ap, int longs, bool is_signed, bool *neg)
{
	int64_t s;

	*neg = false;
	if (!is_signed)
		return longs ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
	s = longs ? va_arg(*ap, int64_t) : va_arg(*ap, int);
	if (s < 0) {
		*neg = true;
		return (uint64_t)0 - (uint64_t)s;
	}
	return (uint64_t)s;
}

static void vprint(const char *fmt, va_list *ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			uart_putc(*fmt);
			continue;
		}
		char pad = ' ';
		int width = 0, longs = 0;
		bool neg;
		if (*++fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			longs++, fmt++;
		switch (*fmt) {
		case 's':
			put_str(va_arg(*ap, const char *));
			break;
		case 'c':
			uart_putc((char)va_arg(*ap, int));
			break;
		case 'd':
		case 'u':
		case 'x': {
			uint64_t v = fetch(ap, longs, *fmt == 'd', &neg);
			put_num(v, *fmt == 'x' ? 16 : 10, width, pad, neg);
			break;
		}
		case 'p':
			put_num((uint64_t)va_arg(*ap, void *), 16, width, pad,
				false);
			break;
		default:
			uart_putc('%');
			uart_putc(*fmt);
		}
	}
}

void hyp_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	spin_lock(&print_lock);
	vprint(fmt, &ap);
	spin_unlock(&print_lock);
	va_end(ap);
}

/* Semihosting SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit:
 * QEMU exits with `code` (needs -semihosting-config enable=on). */
_Noreturn void hyp_exit(uint32_t code)
{
	static volatile uint64_t block[2];

	block[0] = 0x20026;
	block[1] = code;
	register uint64_t x0 __asm__("x0") = 0x20;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfi");
}

_Noreturn void hyp_panic(const char *why)
{
	hyp_printf("hyp: PANIC on pCPU %u: %s\n", this_pcpu()->id, why);
	hyp_exit(HYP_EXIT_FAULT);
}

/* An exception taken at EL2 itself is a hypervisor bug. */
void hyp_bad_exception(uint64_t async);
void hyp_bad_exception(uint64_t async)
{
	hyp_printf("hyp: %s exception at EL2: ESR %lx ELR %lx FAR %lx\n",
		   async ? "asynchronous" : "synchronous", read_sysreg(esr_el2),
		   read_sysreg(elr_el2), read_sysreg(far_el2));
	hyp_exit(HYP_EXIT_FAULT);
}

/* GCC may emit calls to these even with -ffreestanding. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}
