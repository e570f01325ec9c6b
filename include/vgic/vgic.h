/* SPDX-License-Identifier: MIT */
/*
 * libvgic public API: a virtual Arm GICv3 for hypervisors.
 *
 * The guest sees a GICv3 (Arm IHI 0069) with affinity routing enabled,
 * a single Security state (GICD_CTLR.DS == 1) and, when configured, LPIs
 * with DirectLPI (GICR_SETLPIR & co.).
 *
 * Life of a VM:
 *   size = vgic_vm_size(&cfg);            host provides `size` bytes
 *   vgic_vm_init(mem, size, &cfg, &ops, ctx, &vm);
 *   per guest exit:   vgic_sync(vm, vcpu, &cif)    after the guest ran
 *                     vgic_mmio_read/write(...)    trapped GICD/GICR access
 *                     vgic_sysreg_write(...)       trapped ICC_SGI1R_EL1 & co.
 *   per guest entry:  vgic_flush(vm, vcpu, &cif)   before the guest runs
 *   injection (any thread): vgic_set_level, vgic_inject, vgic_inject_phys
 *
 * The world-switch interface is plain data (struct vgic_cpu_if): flush
 * writes the ICH_* values the host must load, sync reads back what the
 * hardware left. Everything else the library needs from the host goes
 * through struct vgic_host_ops.
 *
 * Every function returns 0 or a negative VGIC_E* code unless stated.
 * The library never allocates: the host provides all memory.
 */
#ifndef VGIC_VGIC_H
#define VGIC_VGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VGIC_VERSION_MAJOR 0
#define VGIC_VERSION_MINOR 1

#define VGIC_MAX_VCPUS 512
#define VGIC_MAX_SPIS 988 /* INTIDs 32..1019 */
#define VGIC_MAX_LRS 16
#define VGIC_NR_PRIVATE 32 /* SGIs 0..15, PPIs 16..31 */
#define VGIC_NR_SGIS 16
#define VGIC_SPURIOUS 1023
#define VGIC_MIN_LPI 8192	/* the first LPI INTID */
#define VGIC_MIN_LPI_ID_BITS 14 /* 8192 LPIs: INTIDs 8192..16383 */
#define VGIC_MAX_LPI_ID_BITS 24
#define VGIC_MAX_ITS 8		    /* virtual ITSs per VM */
#define VGIC_ITS_FRAME_SIZE 0x20000 /* control + translation frame */

/* Error codes: 0 is success, every error is negative. */
enum vgic_error {
	VGIC_OK = 0,
	VGIC_EINVAL = -1,   /* NULL pointer or malformed argument */
	VGIC_ERANGE = -2,   /* vCPU index or INTID outside the configuration */
	VGIC_ENOSPC = -3,   /* provided memory or a pool is exhausted */
	VGIC_ECONFIG = -4,  /* configuration rejected */
	VGIC_EVERSION = -5, /* host ops version not supported */
	VGIC_ENOENT = -6,   /* address not in any vGIC frame / no mapping */
	VGIC_EBUSY = -7,    /* already mapped or in use */
	VGIC_EPERM = -8,    /* operation not allowed on this INTID */
};

/* Human-readable text for a return code; never NULL. */
const char *vgic_strerror(int err);

/* ---------------------------------------------------------------- config */

struct vgic_config {
	uint32_t nr_vcpus;  /* 1..VGIC_MAX_VCPUS */
	uint32_t nr_spis;   /* 0..VGIC_MAX_SPIS */
	uint8_t pri_bits;   /* virtual priority bits, 5..8 (ICH_VTR_EL2) */
	uint8_t nr_lrs;	    /* list registers of the host CPU, 1..16 */
	uint32_t iidr;	    /* GICD_IIDR/GICR_IIDR; 0 selects the default */
	uint64_t gicd_base; /* guest physical address, 64 KiB aligned */
	uint64_t gicr_base; /* first redistributor, 128 KiB stride */
	/*
	 * Optional per-vCPU affinity (MPIDR_EL1 Aff3.Aff2.Aff1.Aff0 in the
	 * MPIDR layout, bits [39:32] and [23:0]); NULL selects
	 * Aff0 = i % 16, Aff1 = i / 16. Must be unique per vCPU.
	 */
	const uint64_t *mpidr;
	/*
	 * LPIs (IHI 0069, LPIs): 0 for none, else the INTID bits the guest
	 * sees (GICD_TYPER.IDbits + 1), VGIC_MIN_LPI_ID_BITS..
	 * VGIC_MAX_LPI_ID_BITS; at most what the host CPU's list registers
	 * take (ICH_VTR_EL2.IDbits: 16 or 24). Needs host ops v3.
	 */
	uint8_t lpi_id_bits;
	/*
	 * LPI store: how many (vCPU, LPI) pairs may be pending or in flight
	 * at once, 1..VGIC_MAX_LPI_SLOTS with LPIs. The store is sparse: its
	 * size depends on this, not on the INTID space. When it is full a
	 * further LPI stays pending in the guest's pending table
	 * (GICR_PENDBASER) and is taken from there when a slot frees.
	 */
	uint32_t nr_lpi_slots;
	/*
	 * Virtual ITSs (IHI 0069, "The ITS"): 0..VGIC_MAX_ITS, needs LPIs.
	 * ITS i has its 128 KiB frame pair at its_base[i] (64 KiB aligned):
	 * the control frame, then the translation frame with
	 * GITS_TRANSLATER. Its tables live in guest memory, as the guest
	 * programs them through GITS_BASER<n>: the library keeps no state
	 * per mapped device or event, only the MSI translation cache.
	 */
	uint32_t nr_its;
	const uint64_t *its_base;
	uint8_t its_device_bits; /* DeviceID bits, 1..32 (GITS_TYPER.Devbits) */
	uint8_t its_event_bits;	 /* EventID bits, 1..32 (GITS_TYPER.ID_bits) */
	/* MSI translation cache entries, a power of two, 1..2^20; shared by
	 * the VM's ITSs, 16 bytes each. */
	uint32_t its_cache_size;
	/*
	 * LPI passthrough without GICv4: how many devices the host may
	 * declare with vgic_its_passthrough (0..VGIC_MAX_PT_DEVICES), and
	 * what happens to the host LPI while the guest handles its vLPI
	 * (enum vgic_pt_policy). Needs host ops v4.
	 */
	uint32_t nr_pt_devices;
	uint8_t pt_policy;
};

#define VGIC_MAX_PT_DEVICES 256

/*
 * Passthrough policies. A host LPI, once acknowledged, is inactive at once
 * (LPIs have no active state): the device can fire again while the guest
 * still handles the vLPI.
 *   MERGE: do nothing. A re-fire while the vLPI is still pending merges
 *          with it; one after the guest acknowledged it queues another
 *          instance: what a physical GIC does with a directly wired LPI.
 *   MASK:  the host LPI is disabled (pt_mask, an INV on the physical ITS)
 *          when the vLPI is injected and enabled again when the guest's
 *          EOI is seen (a maintenance interrupt): no re-fire meanwhile,
 *          at the cost of two INVs and a maintenance interrupt per vLPI.
 */
enum vgic_pt_policy {
	VGIC_PT_MERGE = 0,
	VGIC_PT_MASK = 1,
};

#define VGIC_MAX_LPI_SLOTS (1u << 20)

/* Fill `cfg` with defaults: 1 vCPU, 64 SPIs, 5 priority bits, 4 LRs,
 * QEMU virt frame addresses; no LPIs and no ITS, but ITS sizes ready for
 * one (16 DeviceID and EventID bits, 4096 cache entries). */
void vgic_config_default(struct vgic_config *cfg);

/* ------------------------------------------------------------ host ops */

enum vgic_trace_kind {
	VGIC_TRACE_INJECT,   /* became pending */
	VGIC_TRACE_LR,	     /* written to a list register by flush */
	VGIC_TRACE_ACK,	     /* sync found it acknowledged (LR active) */
	VGIC_TRACE_RETIRE,   /* sync found the LR invalid: EOI'd/deactivated */
	VGIC_TRACE_EOICOUNT, /* deactivated via ICH_HCR_EL2.EOIcount */
	VGIC_TRACE_PHYS_ACTIVE /* physical active state set/cleared */
};

struct vgic_trace {
	enum vgic_trace_kind kind;
	uint32_t vcpu;
	uint32_t intid;
	uint32_t arg; /* LR index, or physical active value */
};

#define VGIC_HOST_OPS_VERSION 4
#define VGIC_PT_ALL_EVENTS 0xffffffffu /* pt_unmap: every event */

/*
 * Host services. Append-only: a field added later raises the version, and
 * the library reads only the fields the host's `version` contains.
 * Optional callbacks may be NULL.
 */
struct vgic_host_ops {
	uint32_t version; /* VGIC_HOST_OPS_VERSION the host was built with */
	/* v1 */
	/* `vcpu` has new work: wake it if blocked, make it exit if running. */
	void (*kick)(void *ctx, uint32_t vcpu);
	/*
	 * Set or clear the active state of physical interrupt `pintid` as
	 * seen by the physical CPU that runs (or last ran) `vcpu`. Required
	 * when forwarded interrupts are used.
	 */
	void (*phys_set_active)(void *ctx, uint32_t vcpu, uint32_t pintid,
				bool active);
	/* Level of the physical input line of `pintid` (forwarded level). */
	bool (*phys_line_level)(void *ctx, uint32_t vcpu, uint32_t pintid);
	/* Optional trace of each interrupt's life inside the library. */
	void (*trace)(void *ctx, const struct vgic_trace *ev);
	/* v2 */
	/*
	 * Optional pair. vcpu_stop: return once `vcpu` is out of the guest
	 * with its list registers synced (vgic_sync done), and keep it out
	 * until vcpu_resume. Return at once if it is already out (it may be
	 * the caller's own vCPU in an exit handler). The library calls them,
	 * holding no lock of its own, when a guest's access to the pending or
	 * active state of an interrupt finds it in another vCPU's LRs, so
	 * that the access sees and changes the exact state (IHI 0069:
	 * GICD_ISACTIVER<n> and co. read the current state). Without them
	 * such reads see the state as of that vCPU's last sync, and writes
	 * win over the LR at its next sync.
	 */
	void (*vcpu_stop)(void *ctx, uint32_t vcpu);
	void (*vcpu_resume)(void *ctx, uint32_t vcpu);
	/* v3 */
	/*
	 * Guest memory, required with LPIs (the property and pending tables,
	 * later the ITS tables and command queue). Copy `len` bytes between
	 * guest physical address `gpa` and `buf`. Return false, having
	 * copied nothing, unless every byte is the VM's own memory: every
	 * address the guest gives is checked here, by the host that knows
	 * the VM's memory map.
	 */
	bool (*guest_read)(void *ctx, uint64_t gpa, void *buf, size_t len);
	bool (*guest_write)(void *ctx, uint64_t gpa, const void *buf,
			    size_t len);
	/* v4 */
	/*
	 * LPI passthrough (vgic_its_passthrough), required with
	 * cfg.nr_pt_devices. The library mirrors the guest's vITS commands
	 * for a passthrough device here; the host keeps the physical ITS in
	 * step (a host LPI per event, routed to the physical CPU of the
	 * vCPU, and following that vCPU when it moves). Called with library
	 * locks held: they must not call back into the library.
	 *
	 * pt_map: event `eventid` of device `devid` on vITS `its` now
	 * translates to LPI `intid` at `vcpu` (MAPTI, MAPI, MOVI, or a MAPC
	 * that moved its collection); `vcpu` is VGIC_PT_NO_VCPU while the
	 * collection is unmapped.
	 * pt_unmap: the event has no translation any more (DISCARD; MAPD:
	 * `eventid` is VGIC_PT_ALL_EVENTS).
	 * pt_mask (policy MASK only): disable (`masked`) or enable again
	 * the event's host LPI, with an INV on the physical ITS.
	 */
	void (*pt_map)(void *ctx, uint32_t its, uint32_t devid,
		       uint32_t eventid, uint32_t intid, uint32_t vcpu);
	void (*pt_unmap)(void *ctx, uint32_t its, uint32_t devid,
			 uint32_t eventid);
	void (*pt_mask)(void *ctx, uint32_t its, uint32_t devid,
			uint32_t eventid, bool masked);
};

#define VGIC_PT_NO_VCPU 0xffffffffu

/* -------------------------------------------------------- world switch */

/*
 * Virtual CPU interface state moved to/from the ICH_* registers
 * (IHI 0069, the ICH_*_EL2 register descriptions). Layouts are the
 * architectural ones.
 */
struct vgic_cpu_if {
	uint64_t lr[VGIC_MAX_LRS]; /* ICH_LR<n>_EL2 */
	uint32_t nr_lrs_used;	   /* flush: LRs 0..n-1 hold values */
	uint32_t hcr;		   /* ICH_HCR_EL2 (flush writes, sync reads) */
	uint32_t vmcr;		   /* ICH_VMCR_EL2 */
	uint32_t ap0r[4];	   /* ICH_AP0R<n>_EL2 */
	uint32_t ap1r[4];	   /* ICH_AP1R<n>_EL2 */
	uint32_t misr;		   /* ICH_MISR_EL2, read by host before sync */
	uint32_t eisr;		   /* ICH_EISR_EL2, read by host before sync */
	uint32_t elrsr;		   /* ICH_ELRSR_EL2, read by host before sync */
};

/* ICH_LR<n>_EL2 fields (IHI 0069). */
#define VGIC_LR_VINTID_MASK 0xffffffffULL
#define VGIC_LR_PINTID_SHIFT 32
#define VGIC_LR_PINTID_MASK (0x1fffULL << 32)
#define VGIC_LR_EOI (1ULL << 41) /* HW == 0 only */
#define VGIC_LR_PRIORITY_SHIFT 48
#define VGIC_LR_PRIORITY_MASK (0xffULL << 48)
#define VGIC_LR_GROUP (1ULL << 60)
#define VGIC_LR_HW (1ULL << 61)
#define VGIC_LR_STATE_SHIFT 62
#define VGIC_LR_STATE_MASK (3ULL << 62)
#define VGIC_LR_PENDING (1ULL << 62)
#define VGIC_LR_ACTIVE (2ULL << 62)

/* ICH_HCR_EL2 fields (IHI 0069). */
#define VGIC_HCR_EN (1U << 0)
#define VGIC_HCR_UIE (1U << 1)
#define VGIC_HCR_LRENPIE (1U << 2)
#define VGIC_HCR_NPIE (1U << 3)
#define VGIC_HCR_TDIR (1U << 14)
#define VGIC_HCR_EOICOUNT_SHIFT 27
#define VGIC_HCR_EOICOUNT_MASK (0x1fU << 27)

/* ICH_MISR_EL2 fields (IHI 0069). */
#define VGIC_MISR_EOI (1U << 0)
#define VGIC_MISR_U (1U << 1)
#define VGIC_MISR_LRENP (1U << 2)
#define VGIC_MISR_NP (1U << 3)

/* ICH_VMCR_EL2 fields (IHI 0069). */
#define VGIC_VMCR_VENG0 (1U << 0)
#define VGIC_VMCR_VENG1 (1U << 1)
#define VGIC_VMCR_VACKCTL (1U << 2)
#define VGIC_VMCR_VFIQEN (1U << 3)
#define VGIC_VMCR_VCBPR (1U << 4)
#define VGIC_VMCR_VEOIM (1U << 9)
#define VGIC_VMCR_VBPR1_SHIFT 18
#define VGIC_VMCR_VBPR1_MASK (7U << 18)
#define VGIC_VMCR_VBPR0_SHIFT 21
#define VGIC_VMCR_VBPR0_MASK (7U << 21)
#define VGIC_VMCR_VPMR_SHIFT 24
#define VGIC_VMCR_VPMR_MASK (0xffU << 24)

/* ---------------------------------------------------------------- VM */

struct vgic_vm;

/* Bytes of memory `vgic_vm_init` needs for `cfg`; 0 if `cfg` is invalid. */
size_t vgic_vm_size(const struct vgic_config *cfg);

/*
 * Build a VM in `mem` (`size` bytes, 16-byte aligned, at least
 * vgic_vm_size(cfg)). All registers take their reset values.
 * Errors: EINVAL (NULL), ECONFIG (bad cfg), ENOSPC (size too small),
 * EVERSION (ops->version unknown).
 */
int vgic_vm_init(void *mem, size_t size, const struct vgic_config *cfg,
		 const struct vgic_host_ops *ops, void *ctx,
		 struct vgic_vm **out);

/* Number of vCPUs, or 0 for NULL. */
uint32_t vgic_vm_nr_vcpus(const struct vgic_vm *vm);

/* The ICH_VMCR_EL2 reset value for `cfg` (all priority bits masked). */
uint32_t vgic_vmcr_reset(const struct vgic_vm *vm);

/* ------------------------------------------------------------- MMIO */

/*
 * A trapped guest access by `vcpu` to guest physical address `gpa`, of
 * `len` bytes (1, 2, 4 or 8). Returns 0 when `gpa` lies in a vGIC frame:
 * the access then had its architectural outcome, which may be RAZ/WI for
 * guest mistakes (counted in struct vgic_stats). Returns ENOENT when `gpa`
 * is in no frame (the host decides: usually an external abort), ERANGE for
 * a bad vCPU, EINVAL for NULL or a `len` that is not 1, 2, 4 or 8.
 */
int vgic_mmio_read(struct vgic_vm *vm, uint32_t vcpu, uint64_t gpa,
		   unsigned len, uint64_t *val);
int vgic_mmio_write(struct vgic_vm *vm, uint32_t vcpu, uint64_t gpa,
		    unsigned len, uint64_t val);

/* ---------------------------------------------------------- sysregs */

enum vgic_sysreg {
	VGIC_SYSREG_SGI1R,  /* ICC_SGI1R_EL1 */
	VGIC_SYSREG_ASGI1R, /* ICC_ASGI1R_EL1 */
	VGIC_SYSREG_SGI0R,  /* ICC_SGI0R_EL1 */
	VGIC_SYSREG_DIR, /* ICC_DIR_EL1, trapped when flush set ICH_HCR.TDIR */
};

/* A trapped guest write of `val` to `reg` by `vcpu`. */
int vgic_sysreg_write(struct vgic_vm *vm, uint32_t vcpu, enum vgic_sysreg reg,
		      uint64_t val);

/* -------------------------------------------------------- injection */

/*
 * Drive the input line of `intid` (PPI: of `vcpu`; SPI: `vcpu` ignored).
 * For a level-sensitive interrupt the line level is the pending source;
 * for an edge-triggered one a rising edge latches pending.
 * SGIs have no line: EPERM.
 */
int vgic_set_level(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid,
		   bool level);

/* An edge on `intid` (also for SGIs, from the host): latches pending. */
int vgic_inject(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid);

/*
 * Forward physical interrupt `pintid` (< 1020, a PPI or SPI) as `vintid`
 * of `vcpu` (the vCPU is the PPI owner; ignored for SPIs): the LR gets
 * HW == 1 so the guest's deactivation deactivates `pintid`.
 * EBUSY if `vintid` is already mapped.
 */
int vgic_map_phys(struct vgic_vm *vm, uint32_t vcpu, uint32_t vintid,
		  uint32_t pintid);
int vgic_unmap_phys(struct vgic_vm *vm, uint32_t vcpu, uint32_t vintid);

/*
 * The host took the physical interrupt forwarded as `vintid`, dropped its
 * priority (EOImode == 1) and left it active: `vintid` becomes pending
 * (edge: latched; level: line asserted). ENOENT if not mapped.
 */
int vgic_inject_phys(struct vgic_vm *vm, uint32_t vcpu, uint32_t vintid);

/*
 * Make LPI `intid` pending at vCPU `vcpu`'s redistributor, as a write of
 * GICR_SETLPIR there would (for a host that translates MSIs itself).
 * ERANGE without LPIs or for a bad vCPU; EPERM when that redistributor
 * has LPIs disabled or `intid` is beyond its GICR_PROPBASER.IDbits.
 */
int vgic_inject_lpi(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid);

/*
 * An MSI from device `devid` with event `eventid` through ITS `its`, as
 * the device's write to that ITS's GITS_TRANSLATER would be (for a host
 * that emulates the device). Returns 0 once the LPI it translates to is
 * pending at its target (or merged with a pending one); ENOENT when the
 * ITS is disabled or has no translation (device, event or collection
 * unmapped); EPERM when the target redistributor does not take the LPI
 * (EnableLPIs == 0, or INTID beyond its IDbits); ERANGE for a bad `its`.
 */
int vgic_inject_msi(struct vgic_vm *vm, uint32_t its, uint32_t devid,
		    uint32_t eventid);

/*
 * Declare DeviceID `devid` of vITS `its` a physical device passed through
 * to the guest, with MSIs (events) 0..nr_events-1; nr_events 0 ends it.
 * From then on the guest's commands for it are mirrored through the host
 * ops pt_map/pt_unmap (mappings made before are mirrored now).
 * ERANGE: bad `its` or nr_events beyond GITS_TYPER.ID_bits; ENOSPC: more
 * than cfg.nr_pt_devices; EPERM: no passthrough configured.
 */
int vgic_its_passthrough(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			 uint32_t nr_events);

/*
 * The host took the host LPI of passthrough event (`its`, `devid`,
 * `eventid`): inject its vLPI, as vgic_inject_msi, under the VM's
 * passthrough policy (MASK: pt_mask(true) now, pt_mask(false) after the
 * guest's EOI). Same return values as vgic_inject_msi; ENOENT too if the
 * device is not a passthrough one.
 */
int vgic_inject_pt(struct vgic_vm *vm, uint32_t its, uint32_t devid,
		   uint32_t eventid);

/* ------------------------------------------------------ world switch */

/*
 * Before entering the guest on `vcpu`: fill `cif` (LRs, HCR, VMCR, APRs)
 * from the vCPU's pending/active list, highest priority first. Sets the
 * physical active state of forwarded interrupts placed in LRs.
 * Every flush must be followed by a sync (even if the guest did not run,
 * with `cif` unchanged): EBUSY if the previous flush was not synced.
 */
int vgic_flush(struct vgic_vm *vm, uint32_t vcpu, struct vgic_cpu_if *cif);

/*
 * After the guest ran on `vcpu`: fold the LR state, EOIcount, VMCR, APRs
 * and maintenance causes in `cif` back into the vGIC. `cif` must be the
 * struct flush filled, with HCR, VMCR, APRs, MISR and ELRSR read back
 * from the hardware, and the LRs too, except that an LR whose ELRSR bit
 * is set need not be read (it is empty). EISR is informative only.
 */
int vgic_sync(struct vgic_vm *vm, uint32_t vcpu, struct vgic_cpu_if *cif);

/*
 * `vcpu` is switched out of its physical CPU (after its last sync). The
 * physical active state of its forwarded PPIs is cleared: it belongs to
 * the next vCPU on that CPU; flush sets it again when `vcpu` is back.
 */
int vgic_vcpu_put(struct vgic_vm *vm, uint32_t vcpu);

/* True if `vcpu` has an interrupt it could take now (for WFI). */
bool vgic_vcpu_pending(struct vgic_vm *vm, uint32_t vcpu);

/* ------------------------------------------------ state and stats */

struct vgic_irq_state {
	bool pending; /* pending as the guest's ISPENDR read would see */
	bool active;
	bool enabled;
	bool group1;
	bool edge;	 /* configured edge-triggered */
	bool line_level; /* input line level */
	bool hw;	 /* forwarded */
	uint8_t priority;
	uint32_t pintid;
	int32_t target; /* vCPU the interrupt is routed to, -1 for none */
};

int vgic_irq_state(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid,
		   struct vgic_irq_state *st);

struct vgic_stats {
	uint64_t mmio_reads, mmio_writes;
	uint64_t mmio_unaligned; /* RAZ/WI: address not aligned to len */
	uint64_t mmio_bad_width; /* RAZ/WI: width not allowed here */
	uint64_t mmio_reserved;	 /* RAZ/WI: reserved offset */
	uint64_t mmio_ro_write;	 /* WI: write to a read-only register */
	uint64_t mmio_wo_read;	 /* RAZ: read of a write-only register */
	uint64_t bad_intid;	 /* guest named an INTID beyond the config */
	uint64_t sgis;		 /* SGIs generated by guests */
	uint64_t maint_underflow, maint_np, maint_eoi, eoicount;
	uint64_t guest_mem_errors; /* guest_read/write refused an address */
	uint64_t lpi_spilled; /* LPIs kept in the pending table: store full */
	/* ITS */
	uint64_t its_cmds;	 /* commands executed (errors included) */
	uint64_t its_cmd_errors; /* commands that failed a check (ignored) */
	uint64_t its_stalls;	 /* queue stalled: GITS_CREADR.Stalled set */
	uint64_t msis;		 /* MSIs that became (or merged into) LPIs */
	uint64_t msi_dropped;	 /* MSIs with no translation or no target */
	uint64_t msi_cache_hits, msi_cache_misses;
	/* passthrough */
	uint64_t
		pt_injected; /* vgic_inject_pt calls that made a vLPI pending */
	uint64_t pt_masks, pt_unmasks; /* pt_mask calls (each an INV) */
};

int vgic_get_stats(const struct vgic_vm *vm, struct vgic_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* VGIC_VGIC_H */
