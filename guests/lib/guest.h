/* SPDX-License-Identifier: MIT */
/*
 * The guest runtime: everything a conformance test program needs to drive
 * the GICv3 as a guest OS at EL1 on QEMU virt (bare, or under hyp/).
 *
 * Memory model: the MMU stays off, so every data access is Device-nGnRnE.
 * No exclusives (LDXR/STXR) are used anywhere: all shared data has a
 * single writer (a CPU's own counters, its own mailbox acknowledgement;
 * the boot CPU's mailbox commands), published with DSB and read with
 * volatile loads. Only the CPU that currently "owns the console" prints:
 * CPU 0, or a secondary while CPU 0 waits for its smp_call() to return.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ platform */

#define MAX_CPUS 8
#define UART_BASE 0x09000000UL
#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080a0000UL
#define GICR_STRIDE 0x20000UL
#define GICR_SGI_OFFSET 0x10000UL
#define NR_TRACKED_INTIDS 128 /* per-CPU counters for INTIDs 0..127 */
#define FIRST_LPI 8192u
#define NR_TRACKED_LPIS 64 /* and for LPIs 8192..8255 */

/* ----------------------------------------------------- system registers */

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t __v;                                                  \
		__asm__ __volatile__("mrs %0, " __stringify(r)                 \
				     : "=r"(__v)                               \
				     :                                         \
				     : "memory");                              \
		__v;                                                           \
	})
#define write_sysreg(r, v)                                                     \
	do {                                                                   \
		uint64_t __v = (uint64_t)(v);                                  \
		__asm__ __volatile__("msr " __stringify(r) ", %0"              \
				     :                                         \
				     : "r"(__v)                                \
				     : "memory");                              \
	} while (0)

/* GICv3 CPU interface (ICC_*_EL1; ICV_*_EL1 when run under the
 * hypervisor). Encodings, so that any assembler takes them. */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define ICC_HPPIR0_EL1 S3_0_C12_C8_2
#define ICC_BPR0_EL1 S3_0_C12_C8_3
#define ICC_AP0R0_EL1 S3_0_C12_C8_4
#define ICC_AP1R0_EL1 S3_0_C12_C9_0
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_RPR_EL1 S3_0_C12_C11_3
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_ASGI1R_EL1 S3_0_C12_C11_6
#define ICC_SGI0R_EL1 S3_0_C12_C11_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN0_EL1 S3_0_C12_C12_6
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

#define ICC_CTLR_CBPR (1u << 0)
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICC_CTLR_A3V (1u << 15)
#define ICC_SRE_SRE (1u << 0)

#define INTID_SPURIOUS 1023u

static inline void isb(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

static inline void dsb(void)
{
	__asm__ __volatile__("dsb sy" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	isb();
}

static inline void irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	isb();
}

static inline unsigned this_cpu(void)
{
	return (unsigned)read_sysreg(tpidr_el1);
}

/* ------------------------------------------------------------------ MMIO */

/* Plain single-register loads and stores (no writeback), so that a
 * trapping hypervisor always gets a syndrome with ISV = 1. */
static inline uint8_t mmio_read8(uintptr_t a)
{
	uint32_t v;
	__asm__ __volatile__("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint8_t)v;
}

static inline void mmio_write8(uintptr_t a, uint8_t v)
{
	__asm__ __volatile__("strb %w0, [%1]" ::"r"((uint32_t)v), "r"(a)
			     : "memory");
}

static inline uint32_t mmio_read32(uintptr_t a)
{
	uint32_t v;
	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	__asm__ __volatile__("str %w0, [%1]" ::"r"(v), "r"(a) : "memory");
}

static inline uint64_t mmio_read64(uintptr_t a)
{
	uint64_t v;
	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write64(uintptr_t a, uint64_t v)
{
	__asm__ __volatile__("str %0, [%1]" ::"r"(v), "r"(a) : "memory");
}

/* ------------------------------------------------------------- uart.c */

void uart_putc(char c);
void uart_puts(const char *s);
void uart_flush(void);
void vprintf_(const char *fmt, va_list ap);
void printf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------- psci.c */

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
uint32_t psci_version(void);
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx);
void psci_system_off(void) __attribute__((noreturn));

/* -------------------------------------------------------------- time */

uint64_t time_ticks(uint64_t us);
uint64_t deadline_us(uint64_t us);
bool expired(uint64_t deadline);
void delay_us(uint64_t us);

/* Generous limits: waiting for something that must happen only costs
 * time when it fails. */
#define WAIT_US 10000000ull  /* 10 s: something must arrive */
#define SETTLE_US 2000ull    /* 2 ms: let stray interrupts land */
#define NEGATIVE_US 20000ull /* 20 ms: something must NOT happen */

/* ------------------------------------------------------------- smp.c */

typedef uint64_t (*smp_fn)(uint64_t arg);
typedef int (*irq_hook)(uint32_t intid); /* returns 1 if it did the EOI */

struct percpu {
	/* mailbox: fn/arg/cmd_seq written by the caller, the rest by the
	 * owner */
	volatile uint32_t online;
	volatile uint32_t cmd_seq;
	volatile uint32_t done_seq;
	smp_fn volatile fn;
	volatile uint64_t arg;
	volatile uint64_t ret;
	/* owner-only state */
	uint64_t mpidr;		       /* affinity bits of MPIDR_EL1 */
	volatile irq_hook hook;	       /* called after IAR, before EOI */
	volatile uint32_t eoimode;     /* 1: dispatch also writes DIR */
	volatile uint32_t idle_masked; /* idle loop keeps IRQs masked */
	volatile uint32_t irq_count[NR_TRACKED_INTIDS];
	volatile uint32_t lpi_count[NR_TRACKED_LPIS];
	volatile uint32_t spurious;
	volatile uint32_t nr_irqs;
	volatile uint32_t log[32]; /* INTIDs in the order taken */
	volatile uint32_t log_n;
} __attribute__((aligned(64)));

extern struct percpu percpu[MAX_CPUS];
extern unsigned nr_cpus;	   /* redistributors found */
extern uint64_t cpu_aff[MAX_CPUS]; /* Aff3.Aff2.Aff1.Aff0 per GICR_TYPER */

static inline struct percpu *my_percpu(void)
{
	return &percpu[this_cpu()];
}

/* MPIDR value (Aff3 [39:32], Aff2..0 [23:0]) of logical CPU `cpu`. */
uint64_t cpu_mpidr(unsigned cpu);
/* Run fn(arg) on `cpu` and wait for it; returns its result. A timeout
 * reports TIMEOUT and powers off. */
uint64_t smp_call(unsigned cpu, smp_fn fn, uint64_t arg);
/* Start fn(arg) on `cpu` without waiting; smp_wait() collects it. */
void smp_call_async(unsigned cpu, smp_fn fn, uint64_t arg);
uint64_t smp_wait(unsigned cpu);
/* Let every CPU take what is pending for it (each spends SETTLE_US with
 * IRQs unmasked, one after the other). */
void smp_settle(void);
/* smp_call() these to make CPU arg's idle loop keep IRQs masked (so an
 * interrupt stays pending for a polled IAR1) or unmask them again. */
uint64_t smp_idle_masked_fn(uint64_t on);
void smp_boot(void);
void secondary_main(unsigned cpu);

/* -------------------------------------------------------------- gic.c */

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000 /* + 8 * INTID */
#define GICD_PIDR2 0xffe8

#define GICD_CTLR_ENABLE_GRP0 (1u << 0)
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_RWP (1u << 31)

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04

#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_CTLR_RWP (1u << 3)

static inline uintptr_t gicr_rd(unsigned cpu)
{
	return GICR_BASE + cpu * GICR_STRIDE;
}

static inline uintptr_t gicr_sgi(unsigned cpu)
{
	return gicr_rd(cpu) + GICR_SGI_OFFSET;
}

static inline uint32_t gicd_read(uint32_t off)
{
	return mmio_read32(GICD_BASE + off);
}

static inline void gicd_write(uint32_t off, uint32_t v)
{
	mmio_write32(GICD_BASE + off, v);
}

/* Per-INTID bit in a 1-bit-per-IRQ GICD register (ISENABLER & co.) */
static inline uint32_t gicd_bit_read(uint32_t base, uint32_t intid)
{
	return (gicd_read(base + 4 * (intid / 32)) >> (intid % 32)) & 1u;
}

static inline void gicd_bit_write(uint32_t base, uint32_t intid)
{
	gicd_write(base + 4 * (intid / 32), 1u << (intid % 32));
}

/* The same for a private interrupt of CPU `cpu`'s redistributor. */
static inline uint32_t gicr_bit_read(unsigned cpu, uint32_t base,
				     uint32_t intid)
{
	return (mmio_read32(gicr_sgi(cpu) + base) >> intid) & 1u;
}

static inline void gicr_bit_write(unsigned cpu, uint32_t base, uint32_t intid)
{
	mmio_write32(gicr_sgi(cpu) + base, 1u << intid);
}

/* Any INTID on the calling CPU: GICR for < 32, GICD otherwise. */
uint32_t irq_bit_read(uint32_t base, uint32_t intid);
void irq_bit_write(uint32_t base, uint32_t intid);
void irq_set_priority(uint32_t intid, uint8_t prio);
void irq_enable_id(uint32_t intid);
void irq_disable_id(uint32_t intid);
void irq_set_pending(uint32_t intid);
void irq_clear_pending(uint32_t intid);
bool irq_is_pending(uint32_t intid);
bool irq_is_active(uint32_t intid);

void gicd_wait_rwp(void);
void gicr_wait_rwp(unsigned cpu);
/* Distributor: all SPIs Group 1, priority 0xa0, disabled, inactive,
 * not pending; ARE + EnableGrp1. Boot CPU, once. */
void gic_dist_init(void);
/* The calling CPU: wake its redistributor, SGIs/PPIs Group 1, priority
 * 0xa0, disabled, not pending, inactive; SRE, PMR 0xff, BPR1 3,
 * EOImode 0, IGRPEN1 1. */
void gic_cpu_init(void);
uint64_t gic_cpu_init_fn(uint64_t arg); /* smp_call wrapper */
void gic_set_eoimode(unsigned mode);
/* SGI: to the CPUs in `mask` (logical CPU bits), or to all but self. */
void sgi_send_mask(uint32_t intid, uint32_t mask);
void sgi_send_others(uint32_t intid);
void sgi_send_self(uint32_t intid);
/* Raw ICC_SGI1R_EL1 value for one affinity cluster. */
uint64_t sgi1r_value(uint32_t intid, uint64_t aff, uint32_t targetlist);

static inline uint32_t icc_iar1(void)
{
	uint32_t v = (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffffu;
	dsb();
	return v;
}

static inline void icc_eoir1(uint32_t intid)
{
	write_sysreg(ICC_EOIR1_EL1, intid);
	isb();
}

static inline void icc_dir(uint32_t intid)
{
	write_sysreg(ICC_DIR_EL1, intid);
	isb();
}

static inline uint32_t icc_hppir1(void)
{
	return (uint32_t)read_sysreg(ICC_HPPIR1_EL1) & 0xffffffu;
}

static inline uint32_t icc_rpr(void)
{
	return (uint32_t)read_sysreg(ICC_RPR_EL1) & 0xffu;
}

static inline void icc_pmr(uint32_t v)
{
	write_sysreg(ICC_PMR_EL1, v);
	isb();
}

/* The IRQ path: start.S calls irq_dispatch() with the registers saved.
 * It acknowledges (IAR1), counts, logs, calls the CPU's hook, and EOIs
 * (plus DIR with eoimode 1) unless the hook returns 1. */
void irq_dispatch(void);
void irq_counts_snapshot(unsigned cpu, uint32_t *out);
uint32_t irq_count(unsigned cpu, uint32_t intid);
/* How many times `cpu` took LPI `intid` (FIRST_LPI..+NR_TRACKED_LPIS). */
uint32_t lpi_count(unsigned cpu, uint32_t intid);

/* ------------------------------------------------------------- test.c */

/* Every line a test prints starts with "T: " so that the runner can tell
 * guest output from the hypervisor's and QEMU's. */
void t_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void t_section(const char *name);
bool t_check(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* t_expect: PASS "<what>" if got == want, else FAIL with both values. */
bool t_expect(const char *what, uint64_t got, uint64_t want);
void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void t_timeout(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void t_finish(void) __attribute__((noreturn));
/* "SECTION <name> cpu <c>", then fn(c) on CPU c, for every CPU. */
void t_each_cpu(const char *name, smp_fn fn);
/* Set up GIC: the distributor, then every CPU's interface. */
void t_gic_setup(void);
/* Poll cond until true or WAIT_US passed; a timeout is fatal. */
#define WAIT_FOR(cond, ...)                                                    \
	do {                                                                   \
		uint64_t __dl = deadline_us(WAIT_US);                          \
		while (!(cond)) {                                              \
			if (expired(__dl))                                     \
				t_timeout(__VA_ARGS__);                        \
			cpu_relax();                                           \
		}                                                              \
	} while (0)

/* Provided by each test program. */
extern const char test_name[];
void test_main(void);

/* freestanding helpers gcc may call */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

/* start.S */
extern char secondary_entry[];
void fatal_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);

#endif /* GUEST_H */
