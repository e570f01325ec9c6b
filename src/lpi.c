/* SPDX-License-Identifier: MIT */
/*
 * LPIs at the Redistributors (IHI 0069, "LPIs"): the sparse store of
 * pending LPIs, their configuration from the guest's property table, and
 * the guest's pending tables.
 *
 * The store is a fixed pool of slots, one per (redistributor, LPI) pair
 * that is pending or in flight, hashed by INTID so that every
 * redistributor's slot of one LPI shares a bucket. LPIs are edge-triggered
 * and have no active state: the LR engine treats a slot's vgic_irq as an
 * edge interrupt that is consumed when the guest acknowledges it.
 *
 * A slot keeps the LPI's configuration byte (enable, priority) as loaded
 * from the property table when the slot was made or last invalidated
 * (GICR_INVLPIR, GICR_INVALLR): the architecture lets a Redistributor
 * cache it until then. An idle slot stays hashed as that cache; slots are
 * reclaimed, oldest first, only when none is free. When every slot is in
 * use a newly pending LPI goes to the guest's pending table, where a
 * Redistributor keeps pending state anyway, and comes back when a slot
 * frees (vgic_lpi_refill).
 *
 * Every guest memory access goes through the host's guest_read and
 * guest_write, which refuse anything outside the VM.
 */
#include "vgic_internal.h"

#define PROP_ENABLE 0x01u
#define PROP_PRIORITY_MASK 0xfcu

/* GICR_PROPBASER/PENDBASER fields (IHI 0069). */
#define PROPBASER_IDBITS_MASK 0x1fULL
#define PROPBASER_PA_MASK 0x000ffffffffff000ULL /* [51:12] */
#define PENDBASER_PA_MASK 0x000fffffffff0000ULL /* [51:16] */
#define PENDBASER_PTZ (1ULL << 62)

#define SCAN_CHUNK 64u /* bytes of pending table read at once */

size_t vgic_lpi_store_size(const struct vgic_config *cfg)
{
	size_t buckets = 1;

	if (!cfg->lpi_id_bits)
		return 0;
	while (buckets < cfg->nr_lpi_slots)
		buckets <<= 1;
	return cfg->nr_lpi_slots * sizeof(struct vgic_lpi) +
	       buckets * sizeof(struct vgic_lpi *);
}

void vgic_lpi_store_init(struct vgic_vm *vm, void *mem)
{
	uint32_t buckets = 1;

	vgic_lock_init(&vm->lpi_lock);
	if (!vgic_has_lpis(vm))
		return;
	while (buckets < vm->cfg.nr_lpi_slots)
		buckets <<= 1;
	vm->lpis = mem;
	vm->lpi_hash = (struct vgic_lpi **)(vm->lpis + vm->cfg.nr_lpi_slots);
	vm->lpi_hash_mask = buckets - 1;
}

static uint32_t bucket_of(const struct vgic_vm *vm, uint32_t intid)
{
	return (intid * 2654435761u) >> 8 & vm->lpi_hash_mask;
}

/* INTID bits in effect at `rd`: GICR_PROPBASER.IDbits + 1, at most what
 * GICD_TYPER.IDbits offers. Fewer than 14 means no LPIs (IHI 0069,
 * GICR_PROPBASER.IDbits). */
static uint32_t id_bits(const struct vgic_vm *vm, uint32_t rd)
{
	uint32_t bits =
		(uint32_t)(vm->vcpus[rd].propbaser & PROPBASER_IDBITS_MASK) + 1;

	return bits < vm->cfg.lpi_id_bits ? bits : vm->cfg.lpi_id_bits;
}

static bool intid_valid(const struct vgic_vm *vm, uint32_t rd, uint32_t intid)
{
	uint32_t bits = id_bits(vm, rd);

	return bits >= VGIC_MIN_LPI_ID_BITS && intid >= VGIC_MIN_LPI &&
	       intid < (1u << bits);
}

bool vgic_guest_read(struct vgic_vm *vm, uint64_t gpa, void *buf, size_t len)
{
	if (vm->ops->guest_read(vm->ctx, gpa, buf, len))
		return true;
	vgic_stat_inc(&vm->stats.guest_mem_errors);
	return false;
}

bool vgic_guest_write(struct vgic_vm *vm, uint64_t gpa, const void *buf,
		      size_t len)
{
	if (vm->ops->guest_write(vm->ctx, gpa, buf, len))
		return true;
	vgic_stat_inc(&vm->stats.guest_mem_errors);
	return false;
}

/* The LPI's configuration byte; an unreadable table reads as disabled. */
static void load_config(struct vgic_vm *vm, struct vgic_lpi *l)
{
	struct vgic_irq *irq = &l->irq;
	uint64_t base = vm->vcpus[irq->target].propbaser & PROPBASER_PA_MASK;
	uint8_t byte = 0;

	VGIC_MUST_HOLD(&irq->lock);
	if (!vgic_guest_read(vm, base + (irq->intid - VGIC_MIN_LPI), &byte, 1))
		byte = 0;
	irq->enabled = byte & PROP_ENABLE;
	irq->priority = (uint8_t)(byte & PROP_PRIORITY_MASK & vm->pri_mask);
	vgic_irq_update_key(irq);
	if (irq->vcpu != VGIC_VCPU_NONE)
		__atomic_store_n(&vm->vcpus[irq->vcpu].resort, true,
				 __ATOMIC_RELAXED);
}

static struct vgic_lpi *find(struct vgic_vm *vm, uint32_t rd, uint32_t intid)
{
	struct vgic_lpi *l = vm->lpi_hash[bucket_of(vm, intid)];

	VGIC_MUST_HOLD(&vm->lpi_lock);
	while (l && (l->irq.intid != intid || l->irq.target != rd))
		l = l->hnext;
	return l;
}

static void unhash(struct vgic_vm *vm, struct vgic_lpi *l)
{
	struct vgic_lpi **pp = &vm->lpi_hash[bucket_of(vm, l->irq.intid)];

	while (*pp != l)
		pp = &(*pp)->hnext;
	*pp = l->hnext;
	l->hashed = false;
}

/* Nothing in it: not pending, in no LR, no EOI awaited. It may still
 * be on its vCPU's list, where a flush that stopped early left it. */
static bool slot_idle(const struct vgic_lpi *l)
{
	const struct vgic_irq *irq = &l->irq;

	return !irq->pending_latch && !irq->lr && !irq->active &&
	       !irq->eoi_notify && l->move_to == VGIC_VCPU_NONE;
}

/* An idle slot off its list and out of the hash, for reuse. False if it
 * is no longer idle. lpi_lock held; takes the list's lock (ranks below). */
static bool release_slot(struct vgic_vm *vm, struct vgic_lpi *l)
{
	struct vgic_irq *irq = &l->irq;

	vgic_lock(&irq->lock);
	uint16_t owner = irq->vcpu;
	bool idle = slot_idle(l);
	vgic_unlock(&irq->lock);
	if (!idle)
		return false;
	if (owner != VGIC_VCPU_NONE) {
		struct vgic_vcpu *vcpu = &vm->vcpus[owner];
		vgic_lock(&vcpu->ap_lock);
		vgic_lock(&irq->lock);
		idle = slot_idle(l);
		if (idle && irq->vcpu == owner) {
			vgic_ap_unlink(vcpu, irq);
			irq->vcpu = VGIC_VCPU_NONE;
		}
		idle = idle && irq->vcpu == VGIC_VCPU_NONE;
		vgic_unlock(&irq->lock);
		vgic_unlock(&vcpu->ap_lock);
		if (!idle)
			return false;
	}
	unhash(vm, l);
	return true;
}

/* A slot for a new pair: a never-used or idle one, oldest first. One
 * pass over the pool at most. */
static struct vgic_lpi *take_slot(struct vgic_vm *vm)
{
	uint32_t n = vm->cfg.nr_lpi_slots;

	for (uint32_t k = 0; k < n; k++) {
		struct vgic_lpi *l = &vm->lpis[vm->lpi_clock];
		vm->lpi_clock = vm->lpi_clock + 1 < n ? vm->lpi_clock + 1 : 0;
		if (!l->hashed || release_slot(vm, l))
			return l;
	}
	return NULL;
}

/* Some redistributor keeps pending LPIs in its table for want of a slot
 * (flag and count under lpi_lock; read without it). */
static void set_spilled(struct vgic_vm *vm, uint32_t rd, bool spilled)
{
	struct vgic_vcpu *v = &vm->vcpus[rd];

	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (v->lpi_spilled == spilled)
		return;
	__atomic_store_n(&v->lpi_spilled, spilled, __ATOMIC_RELAXED);
	__atomic_add_fetch(&vm->lpi_nr_spilled, spilled ? 1 : -1,
			   __ATOMIC_RELAXED);
}

void vgic_lpi_wake_spilled(struct vgic_vm *vm, uint32_t self)
{
	if (!__atomic_load_n(&vm->lpi_nr_spilled, __ATOMIC_RELAXED) ||
	    !vm->ops->kick)
		return;
	for (uint32_t v = 0; v < vm->nr_vcpus; v++)
		if (v != self && __atomic_load_n(&vm->vcpus[v].lpi_spilled,
						 __ATOMIC_RELAXED))
			vm->ops->kick(vm->ctx, v);
}

/* A newly pending LPI goes after those already pending at its priority
 * (vgic_irq_update_key). The stamp wraps after 2^31 arrivals, which only
 * reorders ties. lpi_lock and irq->lock held. */
static void stamp_arrival(struct vgic_vm *vm, struct vgic_irq *irq)
{
	uint64_t key = __atomic_load_n(&irq->sort_key, __ATOMIC_RELAXED);
	uint32_t stamp =
		VGIC_LPI_STAMP_BIT | (vm->lpi_seq++ & ~VGIC_LPI_STAMP_BIT);

	key = (key & ~0xffffffffULL) | stamp;
	__atomic_store_n(&irq->sort_key, key, __ATOMIC_RELAXED);
}

static struct vgic_lpi *new_slot(struct vgic_vm *vm, uint32_t rd,
				 uint32_t intid)
{
	struct vgic_lpi *l = take_slot(vm);

	if (!l)
		return NULL;
	struct vgic_irq *irq = &l->irq;
	vgic_lock_init(&irq->lock);
	irq->next = irq->prev = NULL;
	irq->intid = intid;
	irq->target = (uint16_t)rd;
	irq->vcpu = VGIC_VCPU_NONE;
	irq->lr = 0;
	irq->lr_override = 0;
	irq->eoi_notify = 0;
	l->move_to = VGIC_VCPU_NONE;
	irq->pending_latch = irq->line_level = irq->active = false;
	irq->group1 = true; /* LPIs are Group 1 (GICD_CTLR.DS == 1) */
	irq->edge = true;
	irq->hw = irq->phys_active = false;
	vgic_lock(&irq->lock);
	stamp_arrival(vm, irq);
	load_config(vm, l);
	vgic_unlock(&irq->lock);
	uint32_t b = bucket_of(vm, intid);
	l->hnext = vm->lpi_hash[b];
	vm->lpi_hash[b] = l;
	l->hashed = true;
	return l;
}

/*
 * One bit of `rd`'s pending table, read-modify-write: set, or cleared.
 * True if the bit changed (a clear finds it set); false also when the
 * guest's memory refused the access.
 */
static bool table_bit(struct vgic_vm *vm, uint32_t rd, uint32_t intid, bool set)
{
	uint64_t gpa =
		(vm->vcpus[rd].pendbaser & PENDBASER_PA_MASK) + intid / 8;
	uint8_t byte, bit = (uint8_t)(1u << (intid % 8));

	if (!vgic_guest_read(vm, gpa, &byte, 1) || ((byte & bit) != 0) == set)
		return false;
	byte ^= bit;
	return vgic_guest_write(vm, gpa, &byte, 1);
}

/* Was `intid` pending in `rd`'s table? Then it is not any more. */
static bool table_take(struct vgic_vm *vm, uint32_t rd, uint32_t intid)
{
	return table_bit(vm, rd, intid, false);
}

/* ------------------------------------------- passthrough MASK policy */

static void pt_unmask(struct vgic_vm *vm, struct vgic_lpi *l)
{
	l->irq.eoi_notify = 0;
	vgic_stat_inc(&vm->stats.pt_unmasks);
	vm->ops->pt_mask(vm->ctx, l->pt_its, l->pt_devid, l->pt_eventid, false);
}

void vgic_lpi_eoi(struct vgic_vm *vm, struct vgic_irq *irq)
{
	VGIC_MUST_HOLD(&irq->lock);
	pt_unmask(vm, (struct vgic_lpi *)irq);
}

/* A masked LPI whose pending state went before the guest saw it (CLEAR,
 * DISCARD, a move that merged it): no EOI will come, unmask now. */
static void unmask_if_gone(struct vgic_vm *vm, struct vgic_lpi *l)
{
	struct vgic_irq *irq = &l->irq;

	VGIC_MUST_HOLD(&irq->lock);
	if (irq->eoi_notify && !irq->pending_latch && !irq->lr && !irq->active)
		pt_unmask(vm, l);
}

/*
 * The host LPI of `pt` stays masked until the guest's EOI of this LPI.
 * Done under irq->lock, before flush can see the LPI pending (so its LR
 * gets LR.EOI), and ordered by that lock before the unmask at the EOI.
 */
static void mask_until_eoi(struct vgic_vm *vm, struct vgic_lpi *l,
			   struct vgic_pt_src *pt)
{
	VGIC_MUST_HOLD(&l->irq.lock);
	if (l->irq.eoi_notify)
		return;
	l->irq.eoi_notify = 1;
	l->pt_its = pt->its;
	l->pt_devid = pt->devid;
	l->pt_eventid = pt->eventid;
	pt->masked = true;
	vgic_stat_inc(&vm->stats.pt_masks);
	vm->ops->pt_mask(vm->ctx, pt->its, pt->devid, pt->eventid, true);
}

/* The LPI sits in an LR and its pending state just went or moved: its
 * holder must exit before the access that did it ends. */
static void note_lr_holder(struct vgic_vm *vm, const struct vgic_irq *irq)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (!irq->lr || irq->vcpu >= vm->nr_vcpus)
		return;
	vm->lpi_stop[irq->vcpu / 64] |= 1ULL << (irq->vcpu % 64);
	__atomic_store_n(&vm->lpi_stop_any, true, __ATOMIC_RELAXED);
}

static bool can_stop(const struct vgic_vm *vm)
{
	return vm->ops->vcpu_stop && vm->ops->vcpu_resume;
}

/* The holders noted so far, taken out of vm->lpi_stop. */
static bool take_stops(struct vgic_vm *vm, uint64_t *stop)
{
	bool any = false;

	if (!__atomic_load_n(&vm->lpi_stop_any, __ATOMIC_RELAXED))
		return false;
	vgic_lock(&vm->lpi_lock);
	for (uint32_t i = 0; i < VGIC_MAX_VCPUS / 64; i++) {
		stop[i] = vm->lpi_stop[i];
		any |= stop[i] != 0;
		vm->lpi_stop[i] = 0;
	}
	__atomic_store_n(&vm->lpi_stop_any, false, __ATOMIC_RELAXED);
	vgic_unlock(&vm->lpi_lock);
	return any;
}

enum stop_op { STOP, RESUME, KICK };

static void stop_each(struct vgic_vm *vm, const uint64_t *stop, uint32_t self,
		      enum stop_op op)
{
	for (uint32_t v = 0; v < vm->nr_vcpus; v++) {
		if (v == self || !(stop[v / 64] & 1ULL << (v % 64)))
			continue;
		if (op == STOP)
			vm->ops->vcpu_stop(vm->ctx, v);
		else if (op == RESUME)
			vm->ops->vcpu_resume(vm->ctx, v);
		else if (vm->ops->kick)
			vm->ops->kick(vm->ctx, v);
	}
}

void vgic_lpi_settle(struct vgic_vm *vm, uint32_t self)
{
	uint64_t stop[VGIC_MAX_VCPUS / 64];

	if (!take_stops(vm, stop))
		return;
	if (!can_stop(vm)) {
		/* Their next sync sees the change: make it soon. */
		stop_each(vm, stop, self, KICK);
		return;
	}
	stop_each(vm, stop, self, STOP);
	stop_each(vm, stop, self, RESUME);
}

/* The slot's pending latch; lpi_lock held, returns with it held. */
static void slot_set_pending(struct vgic_vm *vm, struct vgic_lpi *l,
			     bool pending, struct vgic_pt_src *pt)
{
	struct vgic_irq *irq = &l->irq;

	vgic_lock(&irq->lock);
	if (pending && irq->vcpu == VGIC_VCPU_NONE)
		stamp_arrival(vm, irq);
	if (pending && pt)
		mask_until_eoi(vm, l, pt);
	irq->pending_latch = pending;
	if (irq->lr)
		irq->lr_override |= VGIC_OV_PENDING;
	if (!pending)
		note_lr_holder(vm, irq);
	unmask_if_gone(vm, l);
	if (pending)
		vgic_trace(vm, VGIC_TRACE_INJECT, irq->target, irq->intid, 0);
	vgic_irq_queue_unlock(vm, irq);
}

/* Pending at its redistributor for sure: latched. (In an LR of a
 * running vCPU, its guest may have taken it already.) */
static bool slot_latched(struct vgic_lpi *l)
{
	vgic_lock(&l->irq.lock);
	bool p = l->irq.pending_latch;
	vgic_unlock(&l->irq.lock);
	return p;
}

static bool slot_is_idle(struct vgic_lpi *l)
{
	vgic_lock(&l->irq.lock);
	bool idle = slot_idle(l);
	vgic_unlock(&l->irq.lock);
	return idle;
}

/*
 * A slot whose in-flight pending state goes to `rd` (move_to): to `to`
 * instead (a later MOVI or MOVALL moved `rd`'s pending state), or, with
 * `to` VGIC_VCPU_NONE, nowhere (it was cleared at `rd`): its holder
 * drops it from the LR at its sync, and is made to sync now.
 */
static void retarget_one(struct vgic_vm *vm, struct vgic_lpi *l, uint32_t rd,
			 uint16_t to)
{
	struct vgic_irq *irq = &l->irq;

	vgic_lock(&irq->lock);
	if (l->move_to == rd) {
		l->move_to = to;
		if (to == VGIC_VCPU_NONE && irq->lr) {
			irq->lr_override |= VGIC_OV_PENDING;
			note_lr_holder(vm, irq);
		}
	}
	vgic_unlock(&irq->lock);
}

/* The same for every slot of `intid` (they share a bucket). */
static void retarget_in_flight(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			       uint16_t to)
{
	for (struct vgic_lpi *l = vm->lpi_hash[bucket_of(vm, intid)]; l;
	     l = l->hnext)
		if (l->irq.intid == intid)
			retarget_one(vm, l, rd, to);
}

static void set_pending_locked(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			       bool pending, struct vgic_pt_src *pt)
{
	struct vgic_lpi *l = find(vm, rd, intid);

	if (!l && pending)
		l = new_slot(vm, rd, intid);
	/* One pending state per redistributor and LPI: a spilled one is
	 * merged into (or cleared with) the slot's. */
	if (vm->vcpus[rd].lpi_spilled && (l || !pending))
		table_bit(vm, rd, intid, false);
	if (!pending)
		retarget_in_flight(vm, rd, intid, VGIC_VCPU_NONE);
	if (l) {
		slot_set_pending(vm, l, pending, pt);
		if (!pending && slot_is_idle(l))
			vgic_lpi_wake_spilled(vm, VGIC_VCPU_NONE);
		return;
	}
	/* Full: the pending table. */
	if (pending) {
		table_bit(vm, rd, intid, true);
		set_spilled(vm, rd, true);
		vgic_stat_inc(&vm->stats.lpi_spilled);
	}
}

/* Does redistributor `rd` take LPI `intid` now? */
static bool rd_takes(const struct vgic_vm *vm, uint32_t rd, uint32_t intid)
{
	return vm->vcpus[rd].lpis_enabled && intid_valid(vm, rd, intid);
}

bool vgic_lpi_set_pending_locked(struct vgic_vm *vm, uint32_t rd,
				 uint32_t intid, bool pending,
				 struct vgic_pt_src *pt)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (!rd_takes(vm, rd, intid))
		return false;
	set_pending_locked(vm, rd, intid, pending, pt);
	return true;
}

bool vgic_lpi_set_pending(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			  bool pending)
{
	vgic_lock(&vm->lpi_lock);
	bool ok = vgic_lpi_set_pending_locked(vm, rd, intid, pending, NULL);
	if (!ok)
		vgic_stat_inc(&vm->stats.bad_intid);
	vgic_unlock(&vm->lpi_lock);
	return ok;
}

/* GICD_CTLR changed a group's enable: LPIs pending meanwhile become
 * deliverable, and holders of ones that no longer are are kicked. */
void vgic_lpi_requeue_all(struct vgic_vm *vm)
{
	if (!vgic_has_lpis(vm))
		return;
	vgic_lock(&vm->lpi_lock);
	for (uint32_t i = 0; i < vm->cfg.nr_lpi_slots; i++) {
		struct vgic_lpi *l = &vm->lpis[i];
		if (!l->hashed)
			continue;
		vgic_lock(&l->irq.lock);
		vgic_irq_queue_unlock(vm, &l->irq);
	}
	vgic_unlock(&vm->lpi_lock);
}

static void reload(struct vgic_vm *vm, struct vgic_lpi *l)
{
	vgic_lock(&l->irq.lock);
	load_config(vm, l);
	vgic_irq_queue_unlock(vm, &l->irq);
}

void vgic_lpi_invalidate_locked(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
				bool all)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (!vm->vcpus[rd].lpis_enabled)
		return;
	if (all) {
		for (uint32_t i = 0; i < vm->cfg.nr_lpi_slots; i++)
			if (vm->lpis[i].hashed && vm->lpis[i].irq.target == rd)
				reload(vm, &vm->lpis[i]);
	} else {
		struct vgic_lpi *l = find(vm, rd, intid);
		if (l)
			reload(vm, l);
	}
}

void vgic_lpi_invalidate(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			 bool all)
{
	vgic_lock(&vm->lpi_lock);
	vgic_lpi_invalidate_locked(vm, rd, intid, all);
	vgic_unlock(&vm->lpi_lock);
}

/* ------------------------------------------------ MOVI and MOVALL */

/*
 * Pending state of LPI `l` (at rd `from`) moves to `to` (IHI 0069, MOVI,
 * MOVALL). Pending includes what flush left in an LR of `from` and the
 * guest has not taken yet. If `to` has no busy slot of that LPI the slot
 * itself changes redistributor (the hash is by INTID, so it stays in its
 * bucket): an LR holding it is then moved at `from`'s next sync like a
 * re-routed SPI, unless the guest took it first, and it is delivered
 * exactly once either way. Otherwise the two pending states merge at
 * `to`, as two pending LPIs at one redistributor do; a pending state that
 * is only in an LR of `from` then merges once its holder synced (below).
 */
static void move_slot(struct vgic_vm *vm, struct vgic_lpi *l, uint32_t to)
{
	struct vgic_irq *irq = &l->irq;
	uint32_t intid = irq->intid;
	struct vgic_lpi *dst = find(vm, to, intid);
	bool dst_busy = dst && !release_slot(vm, dst);
	bool dst_pending = dst_busy && slot_latched(dst);

	vgic_lock(&irq->lock);
	/* An LR's pending state already on its way elsewhere (move_to) is
	 * not `from`'s. */
	bool in_lr =
		l->move_to == VGIC_VCPU_NONE && vgic_irq_pending_in_lr(vm, irq);
	if (!irq->pending_latch && !in_lr) {
		vgic_unlock(&irq->lock);
		return;
	}
	if (dst_busy && !irq->pending_latch) {
		/* Pending only in an LR of `from`, while `to` has a busy
		 * slot of it. Latched there: the two merge, and the LR's copy
		 * is withdrawn at the holder's sync. Otherwise (in an LR of
		 * `to`'s vCPU, taken or not, or awaiting its EOI) whether the
		 * guest takes the LR's first is known at that sync, which
		 * sends what it did not take to `to` (vgic_lpi_forward),
		 * where it merges with what is pending then. With vcpu_stop,
		 * that sync comes before the command completes
		 * (vgic_lpi_settle); without, the guest may take it at `from`
		 * until then, once, as if the move had come just after. */
		if (dst_pending)
			irq->lr_override |= VGIC_OV_PENDING;
		else
			l->move_to = (uint16_t)to;
		note_lr_holder(vm, irq);
		vgic_unlock(&irq->lock);
		return;
	}
	if (dst_busy) {
		irq->pending_latch = false;
		if (irq->lr)
			irq->lr_override |= VGIC_OV_PENDING;
		note_lr_holder(vm, irq);
		unmask_if_gone(vm, l);
		vgic_irq_queue_unlock(vm, irq);
		slot_set_pending(vm, dst, true, NULL);
		return;
	}
	/* Pending at `to` in its table (spilled): the two merge in the
	 * latch, which holds it whether or not the guest takes the one an
	 * LR of `from` may hold. */
	if (vm->vcpus[to].lpi_spilled && table_take(vm, to, intid))
		irq->pending_latch = true;
	irq->target = (uint16_t)to;
	load_config(vm, l);
	note_lr_holder(vm, irq);
	vgic_irq_queue_unlock(vm, irq);
}

bool vgic_lpi_fold_move(struct vgic_irq *irq, bool now_p)
{
	struct vgic_lpi *l = (struct vgic_lpi *)irq;

	VGIC_MUST_HOLD(&irq->lock);
	if (l->move_to == VGIC_VCPU_NONE)
		return false;
	if (!now_p)
		l->move_to = VGIC_VCPU_NONE; /* taken before the move */
	return now_p;
}

void vgic_lpi_forward(struct vgic_vm *vm, struct vgic_irq **fwd, uint32_t n)
{
	vgic_lock(&vm->lpi_lock);
	for (uint32_t i = 0; i < n; i++) {
		struct vgic_lpi *l = (struct vgic_lpi *)fwd[i];
		vgic_lock(&l->irq.lock);
		uint16_t to = l->move_to;
		uint32_t intid = l->irq.intid;
		l->move_to = VGIC_VCPU_NONE;
		vgic_unlock(&l->irq.lock);
		if (to != VGIC_VCPU_NONE && rd_takes(vm, to, intid))
			set_pending_locked(vm, to, intid, true, NULL);
	}
	vgic_unlock(&vm->lpi_lock);
}

/* A pending bit of `from`'s table (store full earlier) moves to `to`. */
static void move_spilled(struct vgic_vm *vm, uint32_t from, uint32_t to,
			 uint32_t intid)
{
	if (table_take(vm, from, intid))
		set_pending_locked(vm, to, intid, true, NULL);
}

void vgic_lpi_move_locked(struct vgic_vm *vm, uint32_t from, uint32_t to,
			  uint32_t intid)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (from == to || !rd_takes(vm, from, intid) ||
	    !rd_takes(vm, to, intid))
		return;
	struct vgic_lpi *l = find(vm, from, intid);
	if (l)
		move_slot(vm, l, to);
	if (vm->vcpus[from].lpi_spilled)
		move_spilled(vm, from, to, intid);
	retarget_in_flight(vm, from, intid, (uint16_t)to);
}

/* The spilled pending bits of `from`'s table, chunk by chunk, to `to`. */
static void move_table(struct vgic_vm *vm, uint32_t from, uint32_t to)
{
	uint64_t base = vm->vcpus[from].pendbaser & PENDBASER_PA_MASK;
	uint32_t end = (1u << id_bits(vm, from)) / 8;
	uint8_t chunk[SCAN_CHUNK];

	for (uint32_t off = VGIC_MIN_LPI / 8; off < end; off += SCAN_CHUNK) {
		if (!vgic_guest_read(vm, base + off, chunk, SCAN_CHUNK))
			return;
		for (uint32_t i = 0; i < SCAN_CHUNK * 8; i++)
			if (chunk[i / 8] & (1u << (i % 8)))
				move_spilled(vm, from, to, off * 8 + i);
	}
	set_spilled(vm, from, false);
}

uint32_t vgic_lpi_move_all_locked(struct vgic_vm *vm, uint32_t from,
				  uint32_t to)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (from == to || !vm->vcpus[from].lpis_enabled ||
	    !vm->vcpus[to].lpis_enabled)
		return 1;
	for (uint32_t i = 0; i < vm->cfg.nr_lpi_slots; i++) {
		struct vgic_lpi *l = &vm->lpis[i];
		if (!l->hashed || !intid_valid(vm, to, l->irq.intid))
			continue;
		if (l->irq.target == from)
			move_slot(vm, l, to);
		retarget_one(vm, l, from, (uint16_t)to);
	}
	if (vm->vcpus[from].lpi_spilled &&
	    id_bits(vm, from) >= VGIC_MIN_LPI_ID_BITS)
		move_table(vm, from, to);
	return 1 + vm->cfg.nr_lpi_slots / 64;
}

/*
 * The pending bits of one chunk of the table into the store, clearing
 * each bit taken. False when the store ran full (the rest stays).
 */
static bool scan_chunk(struct vgic_vm *vm, uint32_t rd, uint32_t first,
		       uint8_t *chunk, bool *changed)
{
	for (uint32_t i = 0; i < SCAN_CHUNK * 8; i++) {
		if (!(chunk[i / 8] & (1u << (i % 8))))
			continue;
		struct vgic_lpi *l = find(vm, rd, first + i);
		if (!l)
			l = new_slot(vm, rd, first + i);
		if (!l)
			return false;
		slot_set_pending(vm, l, true, NULL);
		chunk[i / 8] &= (uint8_t) ~(1u << (i % 8));
		*changed = true;
	}
	return true;
}

/*
 * `rd`'s pending table into the store, as far as it has room; what is
 * left stays spilled. Bounded by the table's size (2^IDbits bits), and it
 * stops at the first LPI that finds the store full: a guest whose table
 * overflows the store costs a scan up to there per refill, not a whole
 * table.
 */
static void scan_table(struct vgic_vm *vm, uint32_t rd)
{
	uint64_t base = vm->vcpus[rd].pendbaser & PENDBASER_PA_MASK;
	uint32_t end = (1u << id_bits(vm, rd)) / 8;
	uint8_t chunk[SCAN_CHUNK];
	bool full = false;

	for (uint32_t off = VGIC_MIN_LPI / 8; off < end && !full;
	     off += SCAN_CHUNK) {
		bool changed = false;
		if (!vgic_guest_read(vm, base + off, chunk, SCAN_CHUNK))
			break;
		full = !scan_chunk(vm, rd, off * 8, chunk, &changed);
		if (changed)
			vgic_guest_write(vm, base + off, chunk, SCAN_CHUNK);
	}
	set_spilled(vm, rd, full);
}

/*
 * GICR_CTLR.EnableLPIs 0 -> 1: the tables are the ones programmed now;
 * with PENDBASER.PTZ == 0 the pending table's bits are pending LPIs
 * (IHI 0069, GICR_PENDBASER.PTZ). PTZ itself reads as 0.
 */
void vgic_lpi_enable(struct vgic_vm *vm, uint32_t rd)
{
	struct vgic_vcpu *v = &vm->vcpus[rd];

	vgic_lock(&vm->lpi_lock);
	if (!v->lpis_enabled) {
		__atomic_store_n(&v->lpis_enabled, true, __ATOMIC_RELAXED);
		if (!(v->pendbaser & PENDBASER_PTZ) &&
		    id_bits(vm, rd) >= VGIC_MIN_LPI_ID_BITS)
			scan_table(vm, rd);
		v->pendbaser &= ~PENDBASER_PTZ;
	}
	vgic_unlock(&vm->lpi_lock);
}

void vgic_lpi_refill(struct vgic_vm *vm, uint32_t rd)
{
	if (!__atomic_load_n(&vm->vcpus[rd].lpi_spilled, __ATOMIC_RELAXED))
		return;
	vgic_lock(&vm->lpi_lock);
	if (vm->vcpus[rd].lpi_spilled)
		scan_table(vm, rd);
	vgic_unlock(&vm->lpi_lock);
}

bool vgic_lpi_lookup_state(struct vgic_vm *vm, uint32_t rd, uint32_t intid,
			   struct vgic_irq_state *st)
{
	bool found = false;

	vgic_lock(&vm->lpi_lock);
	struct vgic_lpi *l = find(vm, rd, intid);
	if (l) {
		struct vgic_irq *irq = &l->irq;
		bool pending = vgic_irq_read_pending(vm, irq);
		vgic_lock(&irq->lock);
		if (l->move_to != VGIC_VCPU_NONE)
			pending = irq->pending_latch; /* the LR's went */
		*st = (struct vgic_irq_state){
			.pending = pending,
			.enabled = irq->enabled,
			.group1 = true,
			.edge = true,
			.priority = irq->priority,
			.target = (int32_t)irq->target,
		};
		vgic_unlock(&irq->lock);
		found = true;
	}
	vgic_unlock(&vm->lpi_lock);
	return found;
}
