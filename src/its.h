/* SPDX-License-Identifier: MIT */
/*
 * The virtual ITS (IHI 0069, "The ITS"): internal interface.
 *
 * Like a hardware ITS, the virtual one keeps its device, interrupt
 * translation and collection tables in the memory the guest gave it
 * (GITS_BASER<n>, MAPD's ITT_addr), in entry formats of its own
 * (IMPLEMENTATION DEFINED, its_table.c). The library holds per ITS only
 * its registers and the collections (few, and needed on every MSI), plus
 * one MSI translation cache per VM (its_cache.c). So the number of devices
 * and events a guest maps costs the library nothing, and a translation
 * that misses the cache costs three small guest-memory reads at most.
 *
 * Everything here runs under vm->lpi_lock: the commands, the registers,
 * every MSI. That makes each command atomic with respect to MSIs, which is
 * what MOVI and MOVALL need to move pending state without loss.
 */
#ifndef VGIC_ITS_H
#define VGIC_ITS_H

#include "vgic_internal.h"

#define VGIC_ITS_CMD_SIZE 32u
#define VGIC_ITS_ENTRY_SIZE 8u /* DTE, ITE, CTE: GITS_TYPER, BASER */
#define VGIC_ITS_NR_BASER 8u
#define VGIC_ITS_BASER_DEVICE 0u
#define VGIC_ITS_BASER_COLLECTION 1u
#define VGIC_ITS_CTRL_SIZE 0x10000u /* control frame, then translation */

struct vgic_its {
	uint64_t base; /* guest address of the control frame */
	bool enabled;  /* GITS_CTLR.Enabled */
	bool stalled;  /* GITS_CREADR.Stalled */
	uint64_t cbaser;
	uint32_t cwriter, creadr; /* byte offsets into the queue */
	uint64_t baser[2];	  /* device table, collection table */
	uint16_t *coll;		  /* ICID -> vCPU, or VGIC_VCPU_NONE */
};

/* One MSI translation cache entry: 16 bytes. */
struct vgic_msi_cache_entry {
	uint32_t devid, eventid, intid;
	uint16_t icid;
	uint8_t its;   /* ITS index */
	uint8_t valid; /* 0: empty */
};

/* A translation: what an ITE says. */
struct vgic_its_xlate {
	uint32_t intid;
	uint16_t icid;
};

static inline struct vgic_its *vgic_its_get(struct vgic_vm *vm, uint32_t i)
{
	return &vm->its[i];
}

static inline uint32_t vgic_its_index(const struct vgic_vm *vm,
				      const struct vgic_its *its)
{
	return (uint32_t)(its - vm->its);
}

/* Collections: ICIDs 0 .. 2^cid_bits - 1, enough for one per vCPU. */
static inline uint32_t vgic_its_nr_collections(const struct vgic_vm *vm)
{
	return 1u << vm->its_cid_bits;
}

/* ---------------------------------------------------------- its.c */

/* Bytes the ITSs and the cache need for `cfg`; layout in vm.c. */
size_t vgic_its_state_size(const struct vgic_config *cfg);
void vgic_its_init(struct vgic_vm *vm, const struct vgic_config *cfg,
		   void *mem);
/* Run queued commands, within the per-access work budget (lpi_lock
 * held); vgic_its_continue takes the lock itself. */
void vgic_its_process(struct vgic_vm *vm, struct vgic_its *its);
void vgic_its_continue(struct vgic_vm *vm, struct vgic_its *its);
/* An MSI: translate and make pending; a vgic_inject_msi result. */
int vgic_its_msi(struct vgic_vm *vm, struct vgic_its *its, uint32_t devid,
		 uint32_t eventid);
/* The same under lpi_lock, with a passthrough source for MASK. */
int vgic_its_msi_locked(struct vgic_vm *vm, struct vgic_its *its,
			uint32_t devid, uint32_t eventid,
			struct vgic_pt_src *pt);
/* ------------------------------------------------------ its_cmd.c */

/* Command outcomes (IHI 0069, command errors): 0, an error code
 * 0x01_<opcode>_<reason> (the command is ignored), or VGIC_ITS_STALL. */
#define VGIC_ITS_STALL (-1)
int vgic_its_exec(struct vgic_vm *vm, struct vgic_its *its,
		  const uint64_t cmd[4], uint32_t *cost);

/* ---------------------------------------------------- its_table.c */

enum vgic_its_lookup { ITS_FOUND, ITS_NOT_COVERED, ITS_MEM_ERROR };

/* Where the entry of `id` lives in table BASER<n>. */
enum vgic_its_lookup vgic_its_table_entry(struct vgic_vm *vm,
					  struct vgic_its *its, uint32_t n,
					  uint32_t id, uint64_t *gpa);
/* A device table entry, as MAPD wrote it. */
struct vgic_its_dte {
	bool valid;
	uint8_t event_bits; /* MAPD Size + 1 */
	uint64_t itt;	    /* ITT address, 256-byte aligned */
};

/* The DTE of `devid` (NOT_COVERED also beyond GITS_TYPER.Devbits) and
 * where it lives. */
enum vgic_its_lookup vgic_its_get_dte(struct vgic_vm *vm, struct vgic_its *its,
				      uint32_t devid, struct vgic_its_dte *d,
				      uint64_t *gpa);
bool vgic_its_put_dte(struct vgic_vm *vm, uint64_t gpa,
		      const struct vgic_its_dte *d);
/* The ITE of `eventid` (< 2^d->event_bits) in `d`'s ITT; false if the
 * memory was refused. *valid is false for an unmapped event, or an entry
 * that names no collection or no LPI. `x` NULL on put: unmap. */
bool vgic_its_get_ite(struct vgic_vm *vm, const struct vgic_its_dte *d,
		      uint32_t eventid, bool *valid, struct vgic_its_xlate *x);
bool vgic_its_put_ite(struct vgic_vm *vm, const struct vgic_its_dte *d,
		      uint32_t eventid, const struct vgic_its_xlate *x);
/* Write collection `icid`'s CTE (rd VGIC_VCPU_NONE: unmapped). */
enum vgic_its_lookup vgic_its_put_cte(struct vgic_vm *vm, struct vgic_its *its,
				      uint32_t icid, uint16_t rd);
/* A GITS_BASER<n> or CBASER value's guest address. */
uint64_t vgic_its_baser_pa(uint64_t baser);
uint64_t vgic_its_cbaser_pa(uint64_t cbaser);

/* -------------------------------------------------------- its_pt.c */

/* One device passed through (vgic_its_passthrough). */
struct vgic_pt_dev {
	uint32_t devid;
	uint32_t nr_events; /* 0: free entry */
	uint8_t its;
};

/* Mirror a command's effect on a passthrough device's events to the
 * host (ops v4); no-ops for other devices. */
void vgic_pt_mirror_map(struct vgic_vm *vm, struct vgic_its *its,
			uint32_t devid, uint32_t eventid,
			const struct vgic_its_xlate *x);
void vgic_pt_mirror_unmap(struct vgic_vm *vm, struct vgic_its *its,
			  uint32_t devid, uint32_t eventid);
/* MAPC moved collection `icid`: re-map the passthrough events in it.
 * Returns the work done in budget units. */
uint32_t vgic_pt_mirror_collection(struct vgic_vm *vm, struct vgic_its *its,
				   uint32_t icid);

/* ----------------------------------------------------- its_cache.c */

bool vgic_msi_cache_lookup(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			   uint32_t eventid, struct vgic_its_xlate *x);
void vgic_msi_cache_fill(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			 uint32_t eventid, const struct vgic_its_xlate *x);
/* Drop one event's entry, a device's entries, or all of an ITS's. */
void vgic_msi_cache_drop_event(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			       uint32_t eventid);
void vgic_msi_cache_drop_device(struct vgic_vm *vm, uint32_t its,
				uint32_t devid);
void vgic_msi_cache_drop_its(struct vgic_vm *vm, uint32_t its);

#endif /* VGIC_ITS_H */
