/* SPDX-License-Identifier: MIT */
/*
 * Software model of GICv3 hardware with the virtualization extension
 * (Arm IHI 0069), for host-side tests of libvgic.
 *
 * What is modelled
 *   - one Distributor and one Redistributor per physical CPU (pCPU):
 *     per-INTID enable, pending (edge latch and level line kept apart),
 *     active, priority, group, edge/level, SPI routing by IROUTER affinity;
 *   - physical LPIs at every Redistributor: GICR_PROPBASER, GICR_PENDBASER,
 *     GICR_CTLR.EnableLPIs, the LPI Configuration and Pending tables in
 *     host memory, DirectLPI (GICR_SETLPIR, CLRLPIR, INVLPIR, INVALLR,
 *     SYNCR);
 *   - one physical ITS: GITS_CTLR, IIDR, TYPER, CBASER, CWRITER, CREADR,
 *     BASER<n>, the command queue in host memory and the commands MAPD,
 *     MAPC, MAPTI, MAPI, MOVI, MOVALL, DISCARD, INV, INVALL, INT, CLEAR,
 *     SYNC; MSIs (a device's write to GITS_TRANSLATER) by model_its_msi();
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
 *   - no 1-of-N SPI routing (GICD_TYPER.No1N == 1);
 *   - pCPU p has affinity Aff1 = p / 16, Aff0 = p % 16 (Aff2 = Aff3 = 0);
 *   - physical and virtual priority bits are configurable, 5..8; the
 *     number of preemption bits is min(priority bits, 7);
 *   - among pending interrupts of equal priority the lowest INTID (or the
 *     lowest list register) is the highest priority pending one;
 *   - reset: all interrupts Group 0, disabled, priority 0, SPIs and PPIs
 *     level-sensitive, SPIs routed to pCPU 0, every Redistributor asleep
 *     (GICR_WAKER.ProcessorSleep == 1), ICC_PMR == 0, LPIs disabled, the
 *     ITS disabled with every device and collection unmapped, no host
 *     memory. model_host_boot() does what a host kernel does at boot; it
 *     leaves LPIs and the ITS alone.
 *   - ICH_VTR_EL2.IDbits == 0: vINTIDs are 16 bits.
 *   - ICH_HCR_EL2.TC/TALL0/TALL1 are stored but do not trap; only TDIR
 *     traps (model_guest_dir() reports it).
 *   LPIs:
 *   - 14 INTID bits (GICD_TYPER.IDbits == 13, num_LPIs == 0): LPIs are
 *     INTIDs 8192..16383 (MODEL_MIN_LPI, MODEL_NR_LPIS); a
 *     GICR_PROPBASER.IDbits below 13 leaves a Redistributor no LPI;
 *   - LPIs are Group 1, edge-triggered, with no active state: ICC_IAR1
 *     clears the pending bit, the priority stays active until the EOI, and
 *     ICC_DIR of an LPI does nothing;
 *   - GICR_TYPER.PLPIS == 1, DirectLPI == 1, CommonLPIAff == 0: every
 *     Redistributor must be given the same LPI Configuration table, and
 *     the model caches one configuration byte (priority [7:2], enable [0])
 *     per LPI. The cache is filled from the table when a Redistributor
 *     sets EnableLPIs and refreshed by INV and GICR_INVLPIR (one LPI),
 *     INVALL and GICR_INVALLR (all), never otherwise: a change in memory
 *     is seen only after an invalidation, as the architecture allows;
 *   - GICR_CTLR.CES == 0: EnableLPIs, once 1, cannot be cleared;
 *     GICR_PROPBASER and GICR_PENDBASER are read-only from then on;
 *   - pending state is held per Redistributor, loaded from the LPI Pending
 *     table when LPIs are enabled with GICR_PENDBASER.PTZ == 0, never
 *     written back (the table is the Redistributor's from then on);
 *   - an LPI for a Redistributor whose EnableLPIs is 0 is dropped;
 *   - table reads outside the host memory window read as 0 (configuration:
 *     disabled; pending table: not pending).
 *   The ITS (one; GITS_TYPER.PTA == 0: RDbase = pCPU number):
 *   - DeviceIDs 0..255 (Devbits 8), EventIDs up to 16 bits (MAPD Size
 *     0..15), collections 0..15 held in the ITS (HCC 16, CIL 0);
 *   - the device and collection tables are internal: every GITS_BASER<n>
 *     is Type 0 (unimplemented, RAZ/WI). The ITT of each device is in host
 *     memory at MAPD's ITT_addr: 8-byte entries (ITT_entry_size 7),
 *     MODEL_ITE_* below, which software must zero before MAPD;
 *   - commands run synchronously when GITS_CWRITER (or GITS_CTLR.Enabled)
 *     is written; GITS_CTLR.Quiescent reads 1;
 *   - command errors: a parameter error (the 0x01_<opcode>_<reason> codes
 *     of the architecture) ignores the command and is counted
 *     (model_its_errors(), model_its_last_error()); a memory error
 *     (command or ITE outside the window) and a GITS_CWRITER beyond the
 *     queue stall it: GITS_CREADR.Stalled = 1 until GITS_CWRITER is written
 *     with Retry = 1. GITS_TYPER.SEIS == 0;
 *   - GITS_CBASER is writable while GITS_CTLR.Enabled == 0 only, and
 *     writing it sets GITS_CREADR to 0.
 *
 * The model is single-threaded: the caller serialises all calls. It never
 * allocates; struct model is large (tens of KiB): make it static or put
 * it on the heap. Host memory is the caller's, given by model_set_memory().
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

/* LPIs: 14 INTID bits (GICD_TYPER.IDbits == 13). */
#define MODEL_LPI_ID_BITS 14
#define MODEL_MIN_LPI 8192u
#define MODEL_NR_LPIS 8192u /* INTIDs 8192..16383 */

/* The ITS (GITS_TYPER). */
#define MODEL_ITS_DEVICE_BITS 8
#define MODEL_ITS_NR_DEVICES (1u << MODEL_ITS_DEVICE_BITS)
#define MODEL_ITS_EVENT_BITS 16 /* MAPD Size 0..15 */
#define MODEL_ITS_NR_COLLECTIONS 16
#define MODEL_ITS_CMD_SIZE 32u
#define MODEL_ITS_FRAME_SIZE 0x10000u /* the control frame (ITS_base) */

/* The ITT entry (IMPLEMENTATION DEFINED), 8 bytes little-endian. */
#define MODEL_ITE_SIZE 8u
#define MODEL_ITE_VALID (1ull << 63)
#define MODEL_ITE_ICID_SHIFT 32		   /* [47:32] */
#define MODEL_ITE_INTID_MASK 0xffffffffull /* pINTID [31:0] */

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

/* LPI state of one Redistributor (IHI 0069, "LPIs"). */
struct model_lpi_rd {
	bool enabled; /* GICR_CTLR.EnableLPIs */
	bool ptz;     /* GICR_PENDBASER.PTZ as last written (reads 0) */
	uint64_t propbaser;
	uint64_t pendbaser;
	uint64_t pending[MODEL_NR_LPIS / 64]; /* bit n: INTID 8192 + n */
};

struct model_pcpu {
	struct model_irq priv[MODEL_NR_PRIVATE]; /* SGIs and PPIs */
	bool asleep;				 /* GICR_WAKER.ProcessorSleep */
	struct model_lpi_rd lpi;
	struct model_cpuif icc;
	struct model_vcpuif ich;
};

/* Host memory the model reads and writes as physical memory. */
struct model_mem {
	uint8_t *ptr; /* byte at physical address `base` */
	uint64_t base;
	uint64_t size;
};

/* A device table entry, as MAPD wrote it. */
struct model_its_dte {
	bool valid;
	uint8_t event_bits; /* MAPD Size + 1 */
	uint64_t itt;	    /* ITT_addr, 256-byte aligned */
};

/* The physical ITS (IHI 0069, "The ITS"). */
struct model_its {
	bool enabled; /* GITS_CTLR.Enabled */
	bool stalled; /* GITS_CREADR.Stalled */
	uint64_t cbaser;
	uint32_t cwriter, creadr; /* byte offsets into the queue */
	struct model_its_dte dev[MODEL_ITS_NR_DEVICES];
	uint8_t coll[MODEL_ITS_NR_COLLECTIONS]; /* target pCPU + 1; 0: none */
	uint64_t errors;     /* commands ignored for a parameter error */
	uint32_t last_error; /* 0x01_<opcode>_<reason> of the last one */
};

struct model {
	struct model_config cfg;
	uint32_t gicd_ctlr;
	struct model_irq spi[MODEL_MAX_SPIS];
	uint64_t irouter[MODEL_MAX_SPIS];
	struct model_pcpu pcpu[MODEL_MAX_PCPUS];
	uint8_t lpi_cfg[MODEL_NR_LPIS]; /* cached LPI configuration bytes */
	struct model_its its;
	struct model_mem mem;
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

/*
 * Host memory: `size` bytes at `mem` are physical addresses base ..
 * base + size - 1, where the LPI tables, the ITS command queue and the
 * ITTs must be. Any table or queue access not wholly inside is a memory
 * error. `mem` NULL removes the window. model_init() removes it too.
 */
void model_set_memory(struct model *m, uint8_t *mem, uint64_t base,
		      uint64_t size);

/* --------------------------------------------- physical distributor */

/*
 * Drive the input line of `intid` (PPI: of pCPU `pcpu`; SPI: `pcpu`
 * ignored). Edge-triggered: a rising edge latches pending. Level: the
 * line itself is a pending source. SGIs have no line: ignored.
 */
void model_set_line(struct model *m, uint32_t pcpu, uint32_t intid, bool level);

/* Direct state access; `pcpu` selects the Redistributor for INTIDs < 32
 * and for LPIs. Out-of-range INTIDs read false and ignore writes. For an
 * LPI only the pending state exists: set_pending acts as GICR_SETLPIR /
 * GICR_CLRLPIR (nothing without EnableLPIs), the other setters do
 * nothing. */
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
 * everywhere, also 8-bit for IPRIORITYR, and 64-bit (or 32-bit to either
 * half) for IROUTER, GICR_TYPER and the 64-bit LPI registers
 * (GICR_SETLPIR, CLRLPIR, PROPBASER, PENDBASER, INVLPIR, INVALLR).
 * Reserved offsets and INTIDs beyond the configuration are
 * RAZ/WI and return 0. Returns VGIC_EINVAL (and RAZ/WI) for a bad width
 * or alignment, VGIC_ERANGE for a bad pCPU or an offset outside the frame.
 */
int model_gicd_read(struct model *m, uint32_t off, unsigned len, uint64_t *val);
int model_gicd_write(struct model *m, uint32_t off, unsigned len, uint64_t val);
int model_gicr_read(struct model *m, uint32_t pcpu, uint32_t off, unsigned len,
		    uint64_t *val);
int model_gicr_write(struct model *m, uint32_t pcpu, uint32_t off, unsigned len,
		     uint64_t val);

/* LPI configuration byte the Redistributors use for `intid` now (the
 * cached copy, not memory); 0 for a non-LPI. */
uint8_t model_lpi_config(const struct model *m, uint32_t intid);

/* -------------------------------------------------------- physical ITS */

/*
 * GITS_* registers of the control frame, `off` 0x0..0xffff: 32-bit
 * registers take 32-bit accesses, 64-bit ones (TYPER, CBASER, CWRITER,
 * CREADR, BASER<n>) 64-bit or 32-bit to either half. A write to
 * GITS_CWRITER (low half) or one that sets GITS_CTLR.Enabled runs the
 * queued commands before it returns. Errors as for model_gicd_read().
 */
int model_its_read(struct model *m, uint32_t off, unsigned len, uint64_t *val);
int model_its_write(struct model *m, uint32_t off, unsigned len, uint64_t val);

/*
 * Device `devid` writes `eventid` to GITS_TRANSLATER. Returns VGIC_OK when
 * the LPI was made pending at its collection's Redistributor;
 * VGIC_ENOENT when not translated (ITS disabled, device not mapped,
 * EventID beyond the device's Size, event not mapped, collection not
 * mapped); VGIC_ERANGE when the ITE is outside host memory; VGIC_EPERM
 * when translated but dropped (EnableLPIs == 0 at the target, or the LPI
 * beyond its GICR_PROPBASER.IDbits).
 */
int model_its_msi(struct model *m, uint32_t devid, uint32_t eventid);

/* Commands ignored for a parameter error since model_init(), and the
 * code (0x01_<opcode>_<reason>) of the last one, 0 if none. */
uint64_t model_its_errors(const struct model *m);
uint32_t model_its_last_error(const struct model *m);

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
