/* SPDX-License-Identifier: MIT */
/*
 * The reference EL2 hypervisor: shared declarations.
 *
 * Actors: one physical CPU (struct pcpu) per QEMU CPU, each running a
 * scheduler loop (sched.c) over the vCPUs statically assigned to it
 * (vCPU i on pCPU i % M). A vCPU's state lives in struct vcpu while it
 * is not loaded; while loaded its EL1 system registers, timer and FP/SIMD
 * registers are in the hardware and only x0-x30, PC and PSTATE are in
 * memory. The hypervisor itself always runs with PSTATE.I masked: a
 * physical interrupt that arrives while a guest runs (HCR_EL2.IMO) ends
 * the guest's run with an IRQ exit, and the hypervisor then polls
 * ICC_IAR1_EL1 (gic.c); in the idle loop it waits with WFI, which wakes on
 * a pending interrupt even when masked (Arm ARM D1.6 "Wait for Interrupt").
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hypcfg.h"
#include "vgic/vgic.h"

#define HYP_MAX_PCPUS 8
#define HYP_MAX_VCPUS 8
#define HYP_STACK_SIZE 0x4000

/* ----------------------------------------------------------- sysregs */
#define STR_(x) #x
#define STR(x) STR_(x)
#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " STR(r) : "=r"(v_));                \
		v_;                                                            \
	})
#define write_sysreg(r, v)                                                     \
	__asm__ volatile("msr " STR(r) ", %0" ::"r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* GICv3 system registers by encoding (IHI 0069, 12.1). */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_MISR_EL2 S3_4_C12_C11_2
#define ICH_EISR_EL2 S3_4_C12_C11_3
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2 S3_4_C12_C11_7

/* Physical interrupts the hypervisor owns. */
#define INTID_SGI_KICK 0    /* another pCPU has work for one of our vCPUs */
#define INTID_MAINT 25	    /* GIC maintenance interrupt (PPI 9) */
#define INTID_HYPTIMER 26   /* CNTHP, EL2 physical timer (PPI 10) */
#define INTID_VTIMER 27	    /* CNTV, forwarded to the running vCPU (PPI 11) */
#define INTID_UART 33	    /* PL011, SPI 1, forwarded */
#define INTID_INTX_FIRST 35 /* PCIe INTA..INTD: SPIs 3..6, forwarded */
#define INTID_INTX_LAST 38

/* ------------------------------------------------------------- locks */
typedef struct {
	atomic_uint v;
} spinlock_t;
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

/* ------------------------------------------------------------ printing */
void uart_putc(char c);
void hyp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void hyp_exit(uint32_t code);
_Noreturn void hyp_panic(const char *why);

/* --------------------------------------------------------------- vCPU */
/*
 * Per-vCPU counters, printed at the end (hyp/README.md, "Exit counters").
 * EXIT_MMIO..EXIT_OTHER count guest exits by cause: every exit counts in
 * exactly one of them. The others count events: what the hypervisor
 * injected, the physical interrupts it handled while the vCPU was loaded
 * (in an IRQ exit or while the vCPU idled in WFI), and trapped SGI writes.
 * Only the vCPU's own pCPU writes these; counters that other pCPUs bump
 * are atomics in struct vcpu.
 */
enum exit_cause {
	EXIT_MMIO,   /* stage-2 data abort (EC 0x24): the vGIC frames */
	EXIT_IABT,   /* stage-2 instruction abort (EC 0x20) */
	EXIT_SYSREG, /* trapped MSR/MRS (EC 0x18): ICC_SGI*R, ICC_DIR */
	EXIT_HVC,
	EXIT_SMC,
	EXIT_WFI,
	EXIT_WFE,
	EXIT_IRQ,   /* physical IRQ/FIQ (any INTID) */
	EXIT_OTHER, /* any other exception class */
	EXIT_NR_CAUSES,
	/* outcomes */
	EXIT_ABORT = EXIT_NR_CAUSES, /* external abort injected */
	EXIT_UNDEF,		     /* UNDEF injected */
	/* physical interrupts handled while this vCPU was loaded */
	EXIT_MAINT,  /* maintenance, PPI 25 */
	EXIT_VTIMER, /* virtual timer, PPI 27, forwarded */
	EXIT_UART,   /* PL011, SPI 33, forwarded */
	EXIT_INTX,   /* PCIe INTA..INTD, SPIs 35..38, forwarded */
	EXIT_KICK,   /* kick SGI 0 from another pCPU */
	EXIT_TICK,   /* scheduler timer CNTHP, PPI 26 */
	EXIT_LPI,    /* host LPI of a passthrough MSI (its.c) */
	/* SGIs */
	EXIT_SGI_SENT, /* trapped ICC_SGI1R/ASGI1R/SGI0R writes */
	EXIT_NR
};

enum vcpu_state {
	VCPU_OFF,
	VCPU_ON_PENDING, /* CPU_ON accepted; the owning pCPU resets it */
	VCPU_RUNNABLE,
	VCPU_BLOCKED, /* in WFI, nothing pending */
};

/* EL1 system registers switched between vCPUs (nVHE: EL2 reaches the
 * *_EL1 registers directly). Order matters only to sysregs.c. */
struct el1_sysregs {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidr_el1, tpidrro_el0, esr, far, afsr0, afsr1;
	uint64_t par, cpacr, cntkctl, csselr, mdscr, sp_el0, sp_el1, elr;
	uint64_t spsr;
	uint64_t cntv_ctl, cntv_cval;
};

struct fpsimd {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
};

struct vcpu {
	uint64_t x[31]; /* first: entry.S addresses it */
	uint64_t pc, pstate;
	struct el1_sysregs sys;
	struct fpsimd fp __attribute__((aligned(16)));
	struct vgic_cpu_if cif;
	uint32_t idx;
	uint32_t pcpu;
	uint64_t mpidr; /* VMPIDR_EL2 value */
	_Atomic int state;
	uint64_t boot_pc, boot_ctx; /* for VCPU_ON_PENDING */
	/*
	 * vcpu_stop/vcpu_resume (host ops v2): while `stop` is nonzero the
	 * owning pCPU does not enter this vCPU's guest. `in_guest` is set
	 * before vgic_flush and cleared after vgic_sync: while it is clear
	 * the vCPU's list registers are synced (sched.c).
	 */
	atomic_uint stop;
	atomic_bool in_guest;
	uint64_t exits[EXIT_NR];
	/* Counted by the trace host op (any pCPU) and by vcpu_stop. */
	atomic_ulong vtimer_ack; /* virtual timer interrupts the guest took */
	atomic_ulong sgi_recv;	 /* SGIs that became pending for it */
	atomic_ulong sgi_ack;	 /* SGIs the guest took */
	atomic_ulong stopped;	 /* times another vCPU had to stop it */
};

struct pcpu {
	struct vcpu *cur; /* first: entry.S saves guest registers here */
	uint32_t id;
	uint64_t mpidr;
	struct vcpu *loaded; /* vCPU whose state is in the hardware */
	uintptr_t gicr;	     /* RD_base of this pCPU's redistributor */
	struct vcpu *vcpus[HYP_MAX_VCPUS];
	uint32_t nr_vcpus;
	uint32_t rr;
	atomic_bool resched;
	atomic_bool online;
	bool dumped; /* the idle watchdog has dumped the state (sched.c) */
};

extern struct hypcfg g_cfg;
extern struct vgic_vm *g_vm;
extern struct vcpu g_vcpus[HYP_MAX_VCPUS];
extern struct pcpu g_pcpus[HYP_MAX_PCPUS];
extern uint32_t g_nr_lrs;
extern uint64_t g_timer_freq;

static inline struct pcpu *this_pcpu(void)
{
	return (struct pcpu *)read_sysreg(tpidr_el2);
}

/* entry.S */
enum guest_exit_kind { GEXIT_SYNC, GEXIT_IRQ, GEXIT_FIQ, GEXIT_SERROR };
uint64_t guest_enter(struct vcpu *v);
void fpsimd_save(struct fpsimd *fp);
void fpsimd_restore(const struct fpsimd *fp);
extern char hyp_vectors[];
extern char secondary_entry[];

/* mmu.c */
void mmu_build_tables(void);
void mmu_enable_el2(void);
void stage2_enable(void);

/* gic.c */
/* its.c: the physical ITS, for LPI passthrough (HYPCFG_F_ITS) */
void its_init(void);
void its_cpu_init(struct pcpu *p);
bool its_enabled(void);
void its_host_ops(struct vgic_host_ops *ops);
void its_declare_devices(void);
bool its_handle_lpi(uint32_t intid);
void its_print_stats(void);

void gic_dist_init(void);
void gic_cpu_init(struct pcpu *p);
void gic_send_kick(uint32_t pcpu);
void gic_phys_set_active(uint32_t pcpu, uint32_t pintid, bool active);
void gic_spi_route(uint32_t pintid, uint32_t pcpu);
void gic_follow_vspi(uint32_t intid);
bool gic_forwarded_spi(uint32_t intid);
bool gic_spi_line(uint32_t pintid);
void gic_dump_ppis(uint32_t pcpu);
void gic_handle_irqs(struct vcpu *v);
void ich_load(const struct vgic_cpu_if *cif);
void ich_save(struct vgic_cpu_if *cif);

/* vcpu.c */
void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0);
void vcpu_load(struct pcpu *p, struct vcpu *v);
void vcpu_put(struct pcpu *p, struct vcpu *v);
bool vcpu_vtimer_level(const struct vcpu *v);
uint64_t vcpu_vtimer_deadline(const struct vcpu *v);
void vcpu_print_exits(void);

/* trap.c */
void handle_sync_exit(struct vcpu *v);
void inject_undef(struct vcpu *v);

/* psci.c */
void psci_guest_call(struct vcpu *v);

/* debug.c: HVC HYP_CALL_DUMP (SMCCC vendor-specific hypervisor service,
 * honoured with HYPCFG_F_VERBOSE only). */
#define HYP_CALL_DUMP 0x8600ff00u
void debug_dump(struct vcpu *caller);
void debug_dump_local(struct pcpu *p);
bool debug_dump_requested(struct pcpu *p);
int psci_cpu_on_phys(uint64_t mpidr, uint64_t entry, uint64_t ctx);

/* sched.c */
_Noreturn void sched_run(struct pcpu *p);
void sched_kick(uint32_t vcpu);
void sched_tick(struct pcpu *p);
void sched_vcpu_stop(uint32_t vcpu);
void sched_vcpu_resume(uint32_t vcpu);
void sched_halt_others(void);
struct vcpu *vcpu_by_mpidr(uint64_t mpidr);

#endif /* HYP_HYP_H */
