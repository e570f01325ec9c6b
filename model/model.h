/* SPDX-License-Identifier: MIT */
/*
 * Software model of GICv3 hardware with the virtualization extension
 * (Arm IHI 0069), for host-side tests of libvgic.
 *
 * What is modelled
 *   - one Distributor and one Redistributor per physical CPU (pCPU):
 *     per-INTID enable, pending (edge latch and level line kept apart),
 *     active, priority, group, edge/level, SPI routing by IROUTER affinity;
 *   - one physical CPU interface (ICC_*) per pCPU: acknowledge, priority
 *     drop, deactivation, PMR, BPR, active priorities, SGI generation;
 *   - one virtual CPU interface per pCPU: the ICH_*_EL2 registers the host
 *     programs and the ICV_*_EL1 registers the guest uses, including the
 *     HW bit (a guest deactivation deactivates the physical INTID) and the
 *     maintenance interrupt (PPI 25, level, on that pCPU);
 *   - struct vgic_host_ops for libvgic, with a vCPU -> pCPU map.
 *
 * Fixed choices (IMPLEMENTATION DEFINED in the spec, listed in one place):
 *   - a single Security state: GICD_CTLR.DS == 1, ARE == 1 (RAO/WI);
 *     Group 0 is signalled as FIQ, Group 1 as IRQ;
 *   - no LPIs, no ITS, no 1-of-N SPI routing (GICD_TYPER.No1N == 1);
 *   - pCPU p has affinity Aff1 = p / 16, Aff0 = p % 16 (Aff2 = Aff3 = 0);
 *   - physical and virtual priority bits are configurable, 5..8; the
 *     number of preemption bits is min(priority bits, 7);
 *   - among pending interrupts of equal priority the lowest INTID (or the
 *     lowest list register) is the highest priority pending one;
 *   - reset: all interrupts Group 0, disabled, priority 0, SPIs and PPIs
 *     level-sensitive, SPIs routed to pCPU 0, every Redistributor asleep
 *     (GICR_WAKER.ProcessorSleep == 1), ICC_PMR == 0. model_host_boot()
 *     does what a host kernel does at boot.
 *   - ICH_VTR_EL2.IDbits == 0: vINTIDs are 16 bits.
 *   - ICH_HCR_EL2.TC/TALL0/TALL1 are stored but do not trap; only TDIR
 *     traps (model_guest_dir() reports it).
 *
 * The model is single-threaded: the caller serialises all calls. It never
 * allocates; struct model is large (tens of KiB): make it static or put
 * it on the heap.
 */
#ifndef VGIC_MODEL_H
#define VGIC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vgic/vgic.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MODEL_MAX_PCPUS 16
#define MODEL_MAX_SPIS 988 /* INTIDs 32..1019 */
#define MODEL_MAX_LRS 16
#define MODEL_MAX_VCPUS VGIC_MAX_VCPUS
#define MODEL_NR_PRIVATE 32
#define MODEL_SPURIOUS 1023
#define MODEL_MAINT_INTID 25 /* maintenance interrupt PPI, as on QEMU virt */

/* Group numbers used by the ICC/ICV accessors. */
#define MODEL_GROUP0 0u
#define MODEL_GROUP1 1u

/* ------------------------------------------------------------ config */

struct model_config {
	uint32_t nr_pcpus; /* 1..MODEL_MAX_PCPUS */
	uint32_t nr_spis;  /* 0..MODEL_MAX_SPIS */
	uint8_t pri_bits;  /* physical priority bits, 5..8 */
	uint8_t vpri_bits; /* virtual priority bits (ICH_VTR.PRIbits+1), 5..8 */
	uint8_t nr_lrs;	   /* list registers per pCPU, 1..MODEL_MAX_LRS */
};

/* ------------------------------------------------------ model events */

/* What the model reports through the hook set with model_set_event_hook. */
enum model_event {
	MODEL_EV_ACK,		  /* guest ICV_IAR returned `intid` */
	MODEL_EV_EOI,		  /* guest ICV_EOIR write of `intid` */
	MODEL_EV_DIR,		  /* guest ICV_DIR write of `intid` */
	MODEL_EV_PHYS_DEACTIVATE, /* HW LR deactivated physical `intid` */
	MODEL_EV_MAINT,		  /* maintenance interrupt asserted */
};

typedef void (*model_event_fn)(void *arg, uint32_t pcpu, enum model_event ev,
			       uint32_t intid);
typedef void (*model_vgic_trace_fn)(void *arg, const struct vgic_trace *ev);

/* ------------------------------------------- state (treat as private) */

/* One INTID as one Distributor/Redistributor sees it (IHI 0069, 4.1). */
struct model_irq {
	bool enabled;
	bool latch; /* pending latch: edge, ISPENDR, SGI generation */
	bool line;  /* input line level */
	bool active;
	bool group1;
	bool edge; /* ICFGR: edge-triggered */
	uint8_t priority;
};

/* Active priorities: [group][n] = ICC_AP<group>R<n> or ICH_AP<group>R<n>. */
struct model_apr {
	uint32_t r[2][4];
};

/* Physical CPU interface, the ICC_*_EL1 registers (IHI 0069). */
struct model_cpuif {
	uint8_t pmr;
	uint8_t bpr[2];
	bool cbpr;
	bool eoimode;
	bool igrpen[2];
	struct model_apr apr;
};

/* Virtual CPU interface: the ICH_*_EL2 state (IHI 0069). */
struct model_vcpuif {
	uint64_t lr[MODEL_MAX_LRS];
	uint32_t hcr;
	uint32_t vmcr;
	struct model_apr apr;
	bool maint_line; /* last level driven onto PPI 25 */
};

struct model_pcpu {
	struct model_irq priv[MODEL_NR_PRIVATE]; /* SGIs and PPIs */
	bool asleep;				 /* GICR_WAKER.ProcessorSleep */
	struct model_cpuif icc;
	struct model_vcpuif ich;
};

struct model {
	struct model_config cfg;
	uint32_t gicd_ctlr;
	struct model_irq spi[MODEL_MAX_SPIS];
	uint64_t irouter[MODEL_MAX_SPIS];
	struct model_pcpu pcpu[MODEL_MAX_PCPUS];
	uint32_t vcpu_pcpu[MODEL_MAX_VCPUS];
	uint64_t kicks[MODEL_MAX_VCPUS];
	model_event_fn event_fn;
	void *event_arg;
	model_vgic_trace_fn trace_fn;
	void *trace_arg;
};

/* ------------------------------------------------------------- setup */

/* 2 pCPUs, 64 SPIs, 5 physical and 5 virtual priority bits, 4 LRs. */
void model_config_default(struct model_config *cfg);

/*
 * Reset `m` to the configuration `cfg` (copied). vCPU v runs on pCPU
 * v % nr_pcpus until model_vcpu_run_on() says otherwise.
 * Returns 0, VGIC_EINVAL for NULL, VGIC_ECONFIG for a bad `cfg`.
 */
int model_init(struct model *m, const struct model_config *cfg);

/*
 * What a host kernel does at boot: wake every Redistributor, enable both
 * groups in GICD_CTLR, make every INTID Group 1, set ICC_PMR to 0xff,
 * ICC_IGRPEN1 to 1 and ICC_CTLR.EOImode to `eoimode` on every pCPU
 * (a hypervisor host runs with EOImode == 1).
 */
void model_host_boot(struct model *m, bool eoimode);

/* MPIDR-style affinity of pCPU `pcpu` (Aff3 in [39:32], Aff2..0 [23:0]). */
uint64_t model_pcpu_affinity(const struct model *m, uint32_t pcpu);

/* Hook for model events (NULL to remove). */
void model_set_event_hook(struct model *m, model_event_fn fn, void *arg);

/* --------------------------------------------- physical distributor */

/*
 * Drive the input line of `intid` (PPI: of pCPU `pcpu`; SPI: `pcpu`
 * ignored). Edge-triggered: a rising edge latches pending. Level: the
 * line itself is a pending source. SGIs have no line: ignored.
 */
void model_set_line(struct model *m, uint32_t pcpu, uint32_t intid, bool level);

/* Direct state access; `pcpu` selects the Redistributor for INTIDs < 32.
 * Out-of-range INTIDs read false and ignore writes. */
bool model_phys_is_pending(const struct model *m, uint32_t pcpu,
			   uint32_t intid);
bool model_phys_is_active(const struct model *m, uint32_t pcpu, uint32_t intid);
bool model_phys_line(const struct model *m, uint32_t pcpu, uint32_t intid);
void model_phys_set_active(struct model *m, uint32_t pcpu, uint32_t intid,
			   bool active);
void model_phys_set_pending(struct model *m, uint32_t pcpu, uint32_t intid,
			    bool pending); /* the latch, as ISPENDR/ICPENDR */
void model_phys_set_enabled(struct model *m, uint32_t pcpu, uint32_t intid,
			    bool enabled);
void model_phys_set_group1(struct model *m, uint32_t pcpu, uint32_t intid,
			   bool group1);
void model_phys_set_priority(struct model *m, uint32_t pcpu, uint32_t intid,
			     uint8_t priority);
void model_phys_set_edge(struct model *m, uint32_t pcpu, uint32_t intid,
			 bool edge); /* ignored for SGIs (always edge) */
void model_phys_route_spi(struct model *m, uint32_t intid, uint32_t pcpu);

/*
 * Register access. `off` is the offset in the frame: GICD 0x0..0xffff;
 * GICR RD_base 0x0..0xffff and SGI_base 0x10000..0x1ffff. `len` is 1, 2,
 * 4 or 8; the allowed widths are the spec's (IHI 0069, register maps): 32-bit
 * everywhere, also 8-bit for IPRIORITYR and 64-bit for IROUTER and
 * GICR_TYPER. Reserved offsets and INTIDs beyond the configuration are
 * RAZ/WI and return 0. Returns VGIC_EINVAL (and RAZ/WI) for a bad width
 * or alignment, VGIC_ERANGE for a bad pCPU or an offset outside the frame.
 */
int model_gicd_read(struct model *m, uint32_t off, unsigned len, uint64_t *val);
int model_gicd_write(struct model *m, uint32_t off, unsigned len, uint64_t val);
int model_gicr_read(struct model *m, uint32_t pcpu, uint32_t off, unsigned len,
		    uint64_t *val);
int model_gicr_write(struct model *m, uint32_t pcpu, uint32_t off, unsigned len,
		     uint64_t val);

/* ------------------------------------- physical CPU interface (ICC) */

/* `grp` is MODEL_GROUP0 or MODEL_GROUP1 (…0 / …1 registers). */
uint32_t model_icc_iar(struct model *m, uint32_t pcpu, unsigned grp);
void model_icc_eoir(struct model *m, uint32_t pcpu, unsigned grp,
		    uint32_t intid);
void model_icc_dir(struct model *m, uint32_t pcpu, uint32_t intid);
uint32_t model_icc_hppir(const struct model *m, uint32_t pcpu, unsigned grp);
uint32_t model_icc_rpr(const struct model *m, uint32_t pcpu);
uint32_t model_icc_pmr(const struct model *m, uint32_t pcpu);
void model_icc_set_pmr(struct model *m, uint32_t pcpu, uint32_t val);
uint32_t model_icc_bpr(const struct model *m, uint32_t pcpu, unsigned grp);
void model_icc_set_bpr(struct model *m, uint32_t pcpu, unsigned grp,
		       uint32_t val);
uint32_t model_icc_ctlr(const struct model *m, uint32_t pcpu);
void model_icc_set_ctlr(struct model *m, uint32_t pcpu, uint32_t val);
bool model_icc_igrpen(const struct model *m, uint32_t pcpu, unsigned grp);
void model_icc_set_igrpen(struct model *m, uint32_t pcpu, unsigned grp,
			  bool en);
uint32_t model_icc_apr(const struct model *m, uint32_t pcpu, unsigned grp,
		       unsigned n);
void model_icc_set_apr(struct model *m, uint32_t pcpu, unsigned grp, unsigned n,
		       uint32_t val);
/* ICC_SGI1R_EL1 / ICC_SGI0R_EL1 written by pCPU `pcpu`. */
void model_icc_sgi1r(struct model *m, uint32_t pcpu, uint64_t val);
void model_icc_sgi0r(struct model *m, uint32_t pcpu, uint64_t val);

/* Physical IRQ (Group 1) / FIQ (Group 0) signalled to `pcpu` now. */
bool model_pcpu_irq_line(const struct model *m, uint32_t pcpu);
bool model_pcpu_fiq_line(const struct model *m, uint32_t pcpu);

/* ---------------------------- virtual CPU interface, host side (ICH) */

uint64_t model_ich_lr(const struct model *m, uint32_t pcpu, unsigned n);
void model_ich_set_lr(struct model *m, uint32_t pcpu, unsigned n, uint64_t val);
uint32_t model_ich_hcr(const struct model *m, uint32_t pcpu);
void model_ich_set_hcr(struct model *m, uint32_t pcpu, uint32_t val);
uint32_t model_ich_vmcr(const struct model *m, uint32_t pcpu);
void model_ich_set_vmcr(struct model *m, uint32_t pcpu, uint32_t val);
uint32_t model_ich_apr(const struct model *m, uint32_t pcpu, unsigned grp,
		       unsigned n);
void model_ich_set_apr(struct model *m, uint32_t pcpu, unsigned grp, unsigned n,
		       uint32_t val);
uint32_t model_ich_vtr(const struct model *m);
uint32_t model_ich_misr(const struct model *m, uint32_t pcpu);
uint32_t model_ich_eisr(const struct model *m, uint32_t pcpu);
uint32_t model_ich_elrsr(const struct model *m, uint32_t pcpu);

/*
 * World switch. load: write the ICH registers of `pcpu` from `cif`
 * (LRs 0..nr_lrs_used-1 from cif->lr, the other LRs invalid (0); HCR,
 * VMCR, APRs). save: read LRs 0..nr_lrs-1 (the rest of cif->lr is
 * zeroed), HCR, VMCR, APRs, MISR, EISR and ELRSR into `cif`;
 * cif->nr_lrs_used is left as it was.
 * Returns 0, VGIC_EINVAL for NULL, VGIC_ERANGE for a bad pCPU or more
 * LRs used than the model has (nothing is loaded then).
 */
int model_vcpuif_load(struct model *m, uint32_t pcpu,
		      const struct vgic_cpu_if *cif);
int model_vcpuif_save(const struct model *m, uint32_t pcpu,
		      struct vgic_cpu_if *cif);

/* ------------------------- virtual CPU interface, guest side (ICV) */

/* ICV_IAR<grp>_EL1: acknowledge; MODEL_SPURIOUS if nothing can be. */
uint32_t model_guest_ack(struct model *m, uint32_t pcpu, unsigned grp);
/* ICV_EOIR<grp>_EL1. */
void model_guest_eoi(struct model *m, uint32_t pcpu, unsigned grp,
		     uint32_t intid);
/* ICV_DIR_EL1; returns true (and changes nothing) if ICH_HCR.TDIR traps
 * it: the host then emulates the write. */
bool model_guest_dir(struct model *m, uint32_t pcpu, uint32_t intid);
uint32_t model_guest_hppir(const struct model *m, uint32_t pcpu, unsigned grp);
uint32_t model_guest_rpr(const struct model *m, uint32_t pcpu);
uint32_t model_guest_pmr(const struct model *m, uint32_t pcpu);
void model_guest_set_pmr(struct model *m, uint32_t pcpu, uint32_t val);
uint32_t model_guest_bpr(const struct model *m, uint32_t pcpu, unsigned grp);
void model_guest_set_bpr(struct model *m, uint32_t pcpu, unsigned grp,
			 uint32_t val);
uint32_t model_guest_ctlr(const struct model *m, uint32_t pcpu);
void model_guest_set_ctlr(struct model *m, uint32_t pcpu, uint32_t val);
bool model_guest_igrpen(const struct model *m, uint32_t pcpu, unsigned grp);
void model_guest_set_igrpen(struct model *m, uint32_t pcpu, unsigned grp,
			    bool en);
uint32_t model_guest_apr(const struct model *m, uint32_t pcpu, unsigned grp,
			 unsigned n);
void model_guest_set_apr(struct model *m, uint32_t pcpu, unsigned grp,
			 unsigned n, uint32_t val);
/* Virtual IRQ (Group 1) / FIQ (Group 0) signalled to the guest now. */
bool model_guest_irq_line(const struct model *m, uint32_t pcpu);
bool model_guest_fiq_line(const struct model *m, uint32_t pcpu);

/* ----------------------------------------------- libvgic host ops */

/* Ops for vgic_vm_init(); pass the struct model * as its ctx. */
const struct vgic_host_ops *model_host_ops(void);

/* vCPU `vcpu` now runs (or last ran) on pCPU `pcpu`. */
void model_vcpu_run_on(struct model *m, uint32_t vcpu, uint32_t pcpu);
uint32_t model_vcpu_pcpu(const struct model *m, uint32_t vcpu);
/* How many times libvgic kicked `vcpu`. */
uint64_t model_kicks(const struct model *m, uint32_t vcpu);
/* Receiver of libvgic's trace events (NULL: dropped). */
void model_set_trace(struct model *m, model_vgic_trace_fn fn, void *arg);

#ifdef __cplusplus
}
#endif
#endif /* VGIC_MODEL_H */
