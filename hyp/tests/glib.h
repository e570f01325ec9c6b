/* SPDX-License-Identifier: MIT */
/* Tiny runtime for the hypervisor's raw test guests (EL1, MMU off). */
#ifndef GLIB_H
#define GLIB_H
#include <stdint.h>
#include <stdbool.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define rd(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " STR(r) : "=r"(v_)); v_; })
#define wr(r, v) __asm__ volatile("msr " STR(r) ", %0" :: "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")

#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

#define GICD 0x08000000UL
#define GICR(cpu) (0x080a0000UL + (cpu) * 0x20000UL)
#define SGI_BASE 0x10000UL

struct frame {
	uint64_t x[31];
	uint64_t elr, spsr, pad;
};

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

extern void _start(void);
void gmain(uint64_t dtb);
void gsecondary(uint64_t ctx);
void sync_handler(struct frame *f);
void irq_handler(struct frame *f);
void bad_handler(struct frame *f);

/* Hooks a test may define (weak defaults in glib.c). */
void on_irq(uint32_t intid);
bool on_sync(struct frame *f, uint64_t esr);

void gputc(char c);
void gprintf(const char *fmt, ...);
int64_t hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
_Noreturn void pass(void);
_Noreturn void fail(const char *what, uint64_t got);
#define CHECK(c, got) do { if (!(c)) fail(#c, (uint64_t)(got)); } while (0)

uint32_t cpu_id(void);
/* MMIO through single plain LDR/STR: a trapped access with writeback
 * addressing has no syndrome (ISV = 0) and cannot be emulated. */
static inline uint32_t mmio_r32(uint64_t a)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void mmio_w32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" :: "rZ"(v), "r"(a) : "memory");
}
void gic_dist_enable(void);
void gic_cpu_enable(uint32_t cpu, uint32_t enable_mask);
void send_sgi(uint32_t target, uint32_t intid);
void lock(volatile uint32_t *l);
void unlock(volatile uint32_t *l);
uint32_t atomic_inc(volatile uint32_t *p);
/* Sleep in WFI until *p >= v, with IRQs unmasked afterwards. */
void wait_irq(volatile uint32_t *p, uint32_t v);
/* PSCI CPU_ON of vCPUs 1.. (context 100 + i) until one does not exist or
 * max are on; checks that a second CPU_ON is refused. Returns the count
 * of vCPUs, this one included. */
uint32_t cpu_on_all(uint32_t max);
#endif
