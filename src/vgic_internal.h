/* SPDX-License-Identifier: MIT */
/*
 * libvgic internal state.
 *
 * Lock order (outer to inner):
 *   vm->lpi_lock  →  vcpu->ap_lock  →  irq->lock
 * flush and sync never take lpi_lock (they hold an ap_lock).
 * Two ap_locks are never held at once: an interrupt that moves between
 * vCPUs is unlinked under the old list's lock and queued afresh, which
 * takes the new list's lock. vm->dist_lock (GICD_CTLR) is a leaf.
 *
 * Per-INTID state is in struct vgic_irq: SGIs and PPIs per vCPU, SPIs per
 * VM. An interrupt that is active, or pending and enabled, sits on exactly
 * one vCPU's ap_list ("active/pending list"), kept in the order flush
 * presents it (vgic_irq_update_key).
 */
#ifndef VGIC_INTERNAL_H
#define VGIC_INTERNAL_H

#include "lock.h"
#include "vgic/vgic.h"

#define VGIC_VCPU_NONE 0xffffu
#define VGIC_NR_SPI_BASE 32u

/*
 * A guest's MMIO write to the pending or active state of an interrupt that
 * sits in a list register of another, running vCPU is the newer word on
 * that state: sync keeps it instead of what the LR says.
 */
#define VGIC_OV_PENDING 1u
#define VGIC_OV_ACTIVE 2u

#ifndef NDEBUG
#define VGIC_ASSERT(c)                                                         \
	do {                                                                   \
		if (!(c))                                                      \
			__builtin_trap();                                      \
	} while (0)
#else
#define VGIC_ASSERT(c) ((void)0)
#endif
#define VGIC_MUST_HOLD(l) VGIC_ASSERT(vgic_lock_held(l))

/* 48 bytes: every SPI and private interrupt has one. lr and lr_override
 * share a byte; both change only under `lock`. */
struct vgic_irq {
	struct vgic_irq *next, *prev; /* ap_list links (owner's ap_lock) */
	uint64_t sort_key; /* ap_list order; atomic, see vgic_irq_update_key */
	vgic_lock_t lock;
	uint32_t intid;
	uint16_t pintid;  /* physical INTID when hw */
	uint16_t target;  /* vCPU it is routed to, or VGIC_VCPU_NONE */
	uint16_t vcpu;	  /* vCPU whose ap_list holds it, or VGIC_VCPU_NONE */
	uint8_t priority; /* stored with unimplemented low bits zero */
	uint8_t lr : 5;	  /* LR index + 1 while flush placed it, else 0 */
	uint8_t lr_override : 2; /* VGIC_OV_*: MMIO wrote while in an LR */
	uint8_t eoi_notify : 1;	 /* LPI: keep in its LR until the guest's
				    EOI, then vgic_lpi_eoi (passthrough MASK) */
	bool enabled;
	bool pending_latch; /* edge latch / ISPENDR latch */
	bool line_level;    /* level of the input line */
	bool active;
	bool group1;
	bool edge;	  /* configured edge-triggered (GICD_ICFGR) */
	bool hw;	  /* forwarded to pintid */
	bool phys_active; /* we made (or found) pintid active */
};

/* An LPI (a struct vgic_lpi): edge-triggered, no active state. */
static inline bool vgic_irq_is_lpi(const struct vgic_irq *irq)
{
	return irq->intid >= VGIC_MIN_LPI;
}

/*
 * One (redistributor, LPI) pair of the sparse LPI store (lpi.c): the
 * pending state of LPI irq.intid at vCPU irq.target, and that LPI's
 * configuration byte as last loaded from the property table (enabled,
 * priority: the architecture lets the Redistributor cache it until an
 * invalidation). A slot stays hashed while idle, as that cache, and is
 * reclaimed when the store runs out.
 */
struct vgic_lpi {
	struct vgic_irq irq;	/* first: the LR engine sees a vgic_irq */
	struct vgic_lpi *hnext; /* hash chain, under vm->lpi_lock */
	bool hashed;
	/* With irq.eoi_notify: the passthrough event whose host LPI is
	 * masked until the guest's EOI (under irq.lock). */
	uint8_t pt_its;
	/* Moved by MOVI/MOVALL while its only pending state was in an LR
	 * of irq.target's vCPU and the new redistributor had a busy slot
	 * of it: what that guest does not take goes to move_to at the
	 * vCPU's sync (vgic_lpi_forward). VGIC_VCPU_NONE otherwise; under
	 * irq.lock. */
	uint16_t move_to;
	uint32_t pt_devid, pt_eventid;
};

struct vgic_ap_list {
	struct vgic_irq *head, *tail;
};

struct vgic_vcpu {
	vgic_lock_t ap_lock;
	struct vgic_ap_list ap; /* under ap_lock */
	bool resort; /* a priority/active change broke the order (atomic) */
	uint32_t nr_active; /* active interrupts on the list (atomic) */
	uint32_t idx;
	/* LPIs (lpi.c), under vm->lpi_lock; next to the list, which an MSI
	 * also touches: one cache line for both. */
	uint64_t propbaser, pendbaser; /* GICR_PROPBASER, GICR_PENDBASER */
	bool lpis_enabled;	       /* GICR_CTLR.EnableLPIs (atomic) */
	bool lpi_spilled; /* some pending LPI lives in the pending table only */
	uint64_t mpidr;	  /* Aff3 [39:32], Aff2..Aff0 [23:0] */
	uint32_t vmcr;	  /* saved ICH_VMCR_EL2 */
	uint32_t ap0r[4], ap1r[4];
	struct vgic_irq *lr_irq[VGIC_MAX_LRS]; /* what flush placed */
	uint64_t lr_val[VGIC_MAX_LRS];	       /* the value it wrote */
	uint32_t nr_lrs_used;
	bool flushed;  /* flushed, not yet synced (the vCPU's own thread) */
	bool sleeping; /* GICR_WAKER.ProcessorSleep */
	struct vgic_irq priv[VGIC_NR_PRIVATE];
};

struct vgic_vm {
	struct vgic_config cfg; /* cfg.mpidr not kept */
	const struct vgic_host_ops *ops;
	void *ctx;
	uint32_t nr_vcpus;
	uint32_t nr_spis;
	uint8_t pri_mask; /* implemented priority bits */
	vgic_lock_t dist_lock;
	uint32_t gicd_ctlr;	 /* EnableGrp0 [0], EnableGrp1 [1] */
	struct vgic_stats stats; /* updated with relaxed atomics */
	struct vgic_vcpu *vcpus;
	struct vgic_irq *spis;
	uint64_t *irouter; /* GICD_IROUTER<n> per SPI */
	/* The LPI store (lpi.c), under lpi_lock. */
	vgic_lock_t lpi_lock;
	struct vgic_lpi *lpis;	    /* cfg.nr_lpi_slots slots */
	struct vgic_lpi **lpi_hash; /* buckets, by INTID */
	uint32_t lpi_hash_mask;	    /* buckets - 1 */
	uint32_t lpi_clock;	    /* next slot to consider reclaiming */
	uint32_t lpi_seq;	    /* arrival stamps (vgic_irq_update_key) */
	uint32_t lpi_nr_spilled;    /* vCPUs with lpi_spilled set (atomic) */
	/* vCPUs whose LRs hold an LPI whose pending state a command took
	 * away or moved: stopped (synced) before the access ends. */
	uint64_t lpi_stop[VGIC_MAX_VCPUS / 64];
	bool lpi_stop_any; /* atomic */
	/* The ITSs (its.h), under lpi_lock. */
	struct vgic_its *its;
	uint32_t nr_its;
	uint8_t its_cid_bits; /* collection ID bits (GITS_TYPER.CIDbits + 1) */
	struct vgic_msi_cache_entry *msi_cache;
	uint32_t msi_cache_mask;     /* entries - 1 */
	struct vgic_pt_dev *pt_devs; /* cfg.nr_pt_devices (its_pt.c) */
};

/* ------------------------------------------------------------ helpers */

static inline void vgic_stat_inc(uint64_t *ctr)
{
	__atomic_fetch_add(ctr, 1, __ATOMIC_RELAXED);
}

/* A counter whose writers all hold one lock (the MSI counters, under
 * lpi_lock): no locked read-modify-write needed on the hot path, and
 * readers still see whole values. */
static inline void vgic_stat_inc_locked(uint64_t *ctr)
{
	__atomic_store_n(ctr, __atomic_load_n(ctr, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

static inline bool vgic_irq_is_private(uint32_t intid)
{
	return intid < VGIC_NR_PRIVATE;
}

static inline bool vgic_irq_is_sgi(uint32_t intid)
{
	return intid < VGIC_NR_SGIS;
}

/* Pending as the architecture defines it (IHI 0069, the interrupt handling
 * state machine). */
static inline bool vgic_irq_pending(const struct vgic_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

/*
 * Order on the ap_list: priority, then active before pending (an active
 * interrupt's LR lets the guest complete it without a trap), then INTID,
 * except that LPIs of one priority go in the order they became pending
 * (an arrival stamp with bit 31 set, after SGIs, PPIs and SPIs): among
 * equal priorities the order is IMPLEMENTATION DEFINED, and a newly
 * pending LPI then joins its list at the tail end in O(1), however many
 * thousands are pending. A pending interrupt of higher priority than an
 * active one gets its LR first, so that it can preempt. Written under
 * irq->lock, read by list walkers that hold only the ap_lock.
 */
#define VGIC_LPI_STAMP_BIT 0x80000000u

static inline void vgic_irq_update_key(struct vgic_irq *irq)
{
	uint32_t low = irq->intid;

	if (irq->intid >= VGIC_MIN_LPI) /* keep the arrival stamp */
		low = (uint32_t)__atomic_load_n(&irq->sort_key,
						__ATOMIC_RELAXED);
	uint64_t key = (uint64_t)irq->priority << 33 |
		       (uint64_t)!irq->active << 32 | low;
	__atomic_store_n(&irq->sort_key, key, __ATOMIC_RELAXED);
}

static inline uint64_t vgic_irq_key(const struct vgic_irq *irq)
{
	return __atomic_load_n(&irq->sort_key, __ATOMIC_RELAXED);
}

/* The vCPU whose physical CPU holds this interrupt's physical state. */
static inline uint32_t vgic_irq_owner(const struct vgic_irq *irq)
{
	return irq->vcpu != VGIC_VCPU_NONE ? irq->vcpu : irq->target;
}

static inline void vgic_trace(struct vgic_vm *vm, enum vgic_trace_kind k,
			      uint32_t vcpu, uint32_t intid, uint32_t arg)
{
	if (vm->ops->trace) {
		struct vgic_trace ev = {k, vcpu, intid, arg};
		vm->ops->trace(vm->ctx, &ev);
	}
}

/* --------------------------------------------------------- irq.c */

/* The irq for `intid` as seen by `vcpu` (private ones are per vCPU);
 * NULL if `intid` is beyond the configuration. */
struct vgic_irq *vgic_irq_lookup(struct vgic_vm *vm, uint32_t vcpu,
				 uint32_t intid);

/*
 * Attribute setters used by MMIO, sysreg and injection paths. Each takes
 * irq->lock (caller must hold no irq lock and no ap_lock) and (re)queues
 * or kicks as the change requires.
 */
void vgic_irq_set_enabled(struct vgic_vm *vm, struct vgic_irq *irq, bool en);
void vgic_irq_set_pending(struct vgic_vm *vm, struct vgic_irq *irq, bool p);
void vgic_irq_set_active(struct vgic_vm *vm, struct vgic_irq *irq, bool a);
void vgic_irq_set_priority(struct vgic_vm *vm, struct vgic_irq *irq,
			   uint8_t prio);
void vgic_irq_set_group(struct vgic_vm *vm, struct vgic_irq *irq, bool g1);
void vgic_irq_set_edge(struct vgic_vm *vm, struct vgic_irq *irq, bool edge);
void vgic_irq_set_line(struct vgic_vm *vm, struct vgic_irq *irq, bool level);
/* GICD_IROUTER<n> write for an SPI (IHI 0069). */
void vgic_irq_set_router(struct vgic_vm *vm, struct vgic_irq *irq,
			 uint64_t irouter);
/* Edge pending state that flush moved into an LR (as of that flush). */
bool vgic_irq_pending_in_lr(const struct vgic_vm *vm,
			    const struct vgic_irq *irq);
/* Pending as a guest's GICD_ISPENDR/GICR_ISPENDR0 read sees it:
 * a forwarded level interrupt reports the physical line. */
bool vgic_irq_read_pending(struct vgic_vm *vm, struct vgic_irq *irq);

/* Change the active state; keeps the sort key and the holder's
 * nr_active right. */
void vgic_irq_set_active_locked(struct vgic_vm *vm, struct vgic_irq *irq,
				bool active);
/* Deactivate (and for a forwarded one, deactivate the physical INTID). */
void vgic_irq_deactivate_locked(struct vgic_vm *vm, struct vgic_irq *irq,
				uint32_t vcpu);
/* Make a forwarded interrupt's physical INTID active, if not already. */
void vgic_irq_ensure_phys_active_locked(struct vgic_vm *vm,
					struct vgic_irq *irq, uint32_t vcpu);

/*
 * Put `irq` on its target's ap_list if it should be there, and kick the
 * target. Called with irq->lock held; returns with it released.
 */
void vgic_irq_queue_unlock(struct vgic_vm *vm, struct vgic_irq *irq);

/* Re-evaluate every SPI's queueing (GICD_CTLR group enables, WAKER). */
void vgic_irq_requeue_all(struct vgic_vm *vm);

/* GICD_CTLR group enables and GICR_WAKER sleep (dist.c). */
void vgic_dist_set_ctlr(struct vgic_vm *vm, uint32_t enable_grps);
void vgic_vcpu_set_sleep(struct vgic_vm *vm, uint32_t vcpu, bool sleep);

/* vCPU index whose affinity is `aff` (MPIDR layout), or VGIC_VCPU_NONE. */
uint32_t vgic_vcpu_by_affinity(const struct vgic_vm *vm, uint64_t aff);
/* The vCPU a GICD_IROUTER value selects (1-of-N included), or NONE. */
uint16_t vgic_route(const struct vgic_vm *vm, uint64_t irouter);

/* ------------------------------------------------------- ap_list.c */

void vgic_ap_insert(struct vgic_vcpu *vcpu, struct vgic_irq *irq);
void vgic_ap_unlink(struct vgic_vcpu *vcpu, struct vgic_irq *irq);
void vgic_ap_sort(struct vgic_vcpu *vcpu);
/* Could `irq` be presented as pending (pending, enabled, routed, group
 * enabled in GICD_CTLR)? Caller holds irq->lock. On every hot path. */
static inline bool vgic_irq_can_pend(const struct vgic_vm *vm,
				     const struct vgic_irq *irq)
{
	uint32_t ctlr = __atomic_load_n(&vm->gicd_ctlr, __ATOMIC_RELAXED);

	return vgic_irq_pending(irq) && irq->enabled &&
	       irq->target != VGIC_VCPU_NONE &&
	       (ctlr & (irq->group1 ? 2u : 1u));
}
/* Should `irq` be on an ap_list (active, or can pend)? */
static inline bool vgic_irq_deliverable(const struct vgic_vm *vm,
					const struct vgic_irq *irq)
{
	return irq->active || vgic_irq_can_pend(vm, irq);
}

/* --------------------------------------------------------- stop.c */

/* vCPUs stopped around an access to in-flight state; at most one per
 * interrupt of a 32-interrupt register. */
struct vgic_stopped {
	uint32_t n;
	uint16_t vcpu[32];
};

/* Stop every vCPU other than `self` whose LRs hold one of `irqs`, until
 * none does (host ops v2 vcpu_stop); no-op without the ops. */
void vgic_stop_lr_holders(struct vgic_vm *vm, uint32_t self,
			  struct vgic_irq *const *irqs, uint32_t n,
			  struct vgic_stopped *s);
void vgic_resume_stopped(struct vgic_vm *vm, const struct vgic_stopped *s);

/* ----------------------------------------------------------- lpi.c */

static inline bool vgic_has_lpis(const struct vgic_vm *vm)
{
	return vm->cfg.lpi_id_bits != 0;
}

/* Guest memory through the host's checked accessors (ops v3); a refusal
 * is counted in guest_mem_errors. */
bool vgic_guest_read(struct vgic_vm *vm, uint64_t gpa, void *buf, size_t len);
bool vgic_guest_write(struct vgic_vm *vm, uint64_t gpa, const void *buf,
		      size_t len);
/* Bytes the LPI store needs for `cfg` (slots and hash buckets). */
size_t vgic_lpi_store_size(const struct vgic_config *cfg);
void vgic_lpi_store_init(struct vgic_vm *vm, void *mem);

/* GICR_SETLPIR/CLRLPIR at redistributor `rd` (and the host's
 * vgic_inject_lpi): make LPI `intid` pending there, or not. False, with
 * no effect, when `rd` has LPIs disabled or `intid` is no LPI there. */
bool vgic_lpi_set_pending(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			  bool pending);
/* A passthrough event making its LPI pending under the MASK policy: the
 * slot remembers it and masks the host LPI (host op pt_mask) unless it is
 * masked already; `masked` says it did. */
struct vgic_pt_src {
	uint8_t its;
	uint32_t devid, eventid;
	bool masked;
};

/* The same for the ITS, which holds lpi_lock already; `pt` NULL but for
 * a passthrough MSI under the MASK policy. */
bool vgic_lpi_set_pending_locked(struct vgic_vm *vm, uint32_t rd,
				 uint32_t intid, bool pending,
				 struct vgic_pt_src *pt);
void vgic_lpi_invalidate_locked(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
				bool all);
/* ITS MOVI: LPI `intid`'s pending state at `from` moves to `to`, without
 * loss or duplication (also from an LR). No-op unless both take it. */
void vgic_lpi_move_locked(struct vgic_vm *vm, uint32_t from, uint32_t to,
			  uint32_t intid);
/* ITS MOVALL: every LPI pending at `from` moves to `to`. Returns the
 * work done, in ITS budget units (one per 64 slots walked). */
uint32_t vgic_lpi_move_all_locked(struct vgic_vm *vm, uint32_t from,
				  uint32_t to);
/* Sync of vCPU `vidx` found LPIs in flight to another redistributor
 * (move_to) that its guest did not take: pending there now. No lock
 * held. */
void vgic_lpi_forward(struct vgic_vm *vm, struct vgic_irq **fwd, uint32_t n);
/* GICD_CTLR changed: every LPI slot queued or its holder kicked. */
void vgic_lpi_requeue_all(struct vgic_vm *vm);
/* A slot went idle: kick vCPUs (but `self`) whose LPIs spilled, so that
 * their next sync takes them back (vgic_lpi_refill). */
void vgic_lpi_wake_spilled(struct vgic_vm *vm, uint32_t self);
/* Sync folds an LR holding LPI `irq` (irq->lock held): true if it is in
 * flight to another redistributor (move_to) and the guest did not take
 * it (`now_p`): the caller passes it to vgic_lpi_forward. */
bool vgic_lpi_fold_move(struct vgic_irq *irq, bool now_p);
/* The guest's EOI of an eoi_notify LPI (sync, irq->lock held), or its
 * pending state gone without one: unmask the host LPI. */
void vgic_lpi_eoi(struct vgic_vm *vm, struct vgic_irq *irq);
/* After an MMIO access that changed LPIs: stop and resume each vCPU
 * (but `self`) whose LRs held an LPI whose pending state went or moved,
 * so that its guest can no longer take it there once the access is done
 * (host ops v2; without them, the change lands at its next sync). No
 * lock held. */
void vgic_lpi_settle(struct vgic_vm *vm, uint32_t self);
/* GICR_INVLPIR/INVALLR: reload the configuration of `intid` (or of
 * every LPI when `all`) at redistributor `rd` from the property table. */
void vgic_lpi_invalidate(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			 bool all);
/* GICR_CTLR.EnableLPIs written 1 (0 is ignored: CES == 0). */
void vgic_lpi_enable(struct vgic_vm *vm, uint32_t rd);
/* Pending LPIs that spilled to the pending table, back into the store
 * when it has room (after a sync freed slots). No lock held. */
void vgic_lpi_refill(struct vgic_vm *vm, uint32_t rd);
/* The LPI's pending state at `rd` as a guest would see it, for
 * vgic_irq_state; false without a slot. */
bool vgic_lpi_lookup_state(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			   struct vgic_irq_state *st);

/* ---------------------------------------------------------- mmio.c */

int vgic_mmio_selftest(void);

#endif /* VGIC_INTERNAL_H */
