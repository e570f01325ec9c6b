/* SPDX-License-Identifier: MIT */
/*
 * The list-register engine: flush before guest entry, sync after exit.
 *
 * flush walks the vCPU's ap_list (already in presentation order) and
 * writes the first nr_lrs entries into list registers. It only looks past
 * the LRs far enough to know whether more is waiting (ICH_HCR_EL2.UIE,
 * NPIE) and whether an active interrupt was left out (LRENPIE, TDIR), so
 * its cost depends on the number of LRs, not on the number pending.
 *
 * Edge pending state moves into the LR at flush and back at sync if the
 * guest did not take it; a new edge arriving meanwhile sets the latch
 * again, so the two merge as the architecture merges edges.
 *
 * Forwarded interrupts (LR.HW == 1; seed 001): the physical INTID must be
 * active whenever the LR is pending or active, so that a level line cannot
 * re-trap and an edge re-fire is held by the hardware. flush makes it
 * active (once: irq->phys_active remembers), the guest's deactivation
 * clears it in hardware, and sync sees the LR go invalid.
 */
#include "vgic_internal.h"

#define MOVE_BATCH 16

struct flush_state {
	bool overflow;	    /* deliverable interrupts beyond the LRs */
	bool lr_pending;    /* some LR presented a pending interrupt */
	uint32_t lr_active; /* LRs presenting an active interrupt */
	uint32_t nmove;
	struct vgic_irq *move[MOVE_BATCH];
};

enum prune { KEEP, GONE, SKIP };

/* Field by field: a struct initializer would become a memset call. */
static void flush_state_init(struct flush_state *fs)
{
	fs->overflow = fs->lr_pending = false;
	fs->lr_active = fs->nmove = 0;
}

static bool vcpu_ok(const struct vgic_vm *vm, uint32_t vcpu)
{
	return vcpu < vm->nr_vcpus;
}

/* Check the arguments of flush and sync; the vCPU on success. */
static int world_switch_args(struct vgic_vm *vm, uint32_t vidx,
			     const struct vgic_cpu_if *cif,
			     struct vgic_vcpu **out)
{
	if (!vm || !cif)
		return VGIC_EINVAL;
	if (!vcpu_ok(vm, vidx))
		return VGIC_ERANGE;
	*out = &vm->vcpus[vidx];
	return VGIC_OK;
}

/* Drop dead entries; take out ones routed elsewhere for requeueing. */
static enum prune prune_one(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			    struct vgic_irq *irq, struct flush_state *fs)
{
	VGIC_MUST_HOLD(&irq->lock);
	if (!vgic_irq_deliverable(vm, irq)) {
		vgic_ap_unlink(vcpu, irq);
		irq->vcpu = VGIC_VCPU_NONE;
		return GONE;
	}
	if (irq->target == vcpu->idx || irq->active)
		return KEEP;
	if (fs->nmove == MOVE_BATCH)
		return SKIP; /* rare: the next flush takes the rest */
	vgic_ap_unlink(vcpu, irq);
	irq->vcpu = VGIC_VCPU_NONE;
	fs->move[fs->nmove++] = irq;
	return GONE;
}

static void requeue_moved(struct vgic_vm *vm, struct vgic_irq **move,
			  uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		vgic_lock(&move[i]->lock);
		vgic_irq_queue_unlock(vm, move[i]);
	}
}

/* ICH_LR<n>_EL2 for `irq` (IHI 0069). */
static uint64_t lr_make(struct vgic_vm *vm, uint32_t vcpu, struct vgic_irq *irq)
{
	bool pend = irq->target == vcpu && vgic_irq_can_pend(vm, irq);
	uint64_t lr = irq->intid | (uint64_t)irq->priority
					   << VGIC_LR_PRIORITY_SHIFT;

	if (irq->group1)
		lr |= VGIC_LR_GROUP;
	if (irq->hw) {
		/* A HW LR cannot be pending and active: show it active and
		 * keep the pending state here until the guest deactivates. */
		lr |= VGIC_LR_HW | (uint64_t)irq->pintid
					   << VGIC_LR_PINTID_SHIFT;
		lr |= irq->active ? VGIC_LR_ACTIVE : VGIC_LR_PENDING;
		vgic_irq_ensure_phys_active_locked(vm, irq, vcpu);
	} else {
		if (pend)
			lr |= VGIC_LR_PENDING;
		if (irq->active)
			lr |= VGIC_LR_ACTIVE;
		/* Level: exit on EOI so the line is sampled again. */
		if (pend && !irq->edge)
			lr |= VGIC_LR_EOI;
	}
	if ((lr & VGIC_LR_PENDING) && irq->edge)
		irq->pending_latch = false; /* moved into the LR */
	return lr;
}

static void lr_place(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
		     struct vgic_irq *irq, uint32_t n, struct vgic_cpu_if *cif,
		     struct flush_state *fs)
{
	uint64_t lr = lr_make(vm, vcpu->idx, irq);

	fs->lr_pending |= (lr & VGIC_LR_PENDING) != 0;
	fs->lr_active += (lr & VGIC_LR_ACTIVE) != 0;
	cif->lr[n] = lr;
	vcpu->lr_val[n] = lr;
	vcpu->lr_irq[n] = irq;
	irq->lr = (uint8_t)(n + 1);
	irq->lr_override = 0;
	vgic_trace(vm, VGIC_TRACE_LR, vcpu->idx, irq->intid, n);
}

/* Entry beyond the LRs: is it pending here? Then the walk can stop
 * (whether actives were left out is known from nr_active). */
static bool note_overflow(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			  struct vgic_irq *irq, struct flush_state *fs)
{
	if (irq->target == vcpu->idx && vgic_irq_can_pend(vm, irq))
		fs->overflow = true;
	return !fs->overflow;
}

static uint32_t fill_lrs(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			 struct vgic_cpu_if *cif, struct flush_state *fs)
{
	uint32_t used = 0, nr_lrs = vm->cfg.nr_lrs;
	struct vgic_irq *irq = vcpu->ap.head;

	while (irq) {
		struct vgic_irq *next = irq->next;
		bool go_on = true;
		vgic_lock(&irq->lock);
		if (prune_one(vm, vcpu, irq, fs) == KEEP) {
			if (used < nr_lrs)
				lr_place(vm, vcpu, irq, used++, cif, fs);
			else
				go_on = note_overflow(vm, vcpu, irq, fs);
		}
		vgic_unlock(&irq->lock);
		if (!go_on)
			break;
		irq = next;
	}
	return used;
}

/* ICH_HCR_EL2 for this entry (IHI 0069). */
static uint32_t hcr_make(const struct vgic_vcpu *vcpu,
			 const struct flush_state *fs)
{
	uint32_t hcr = VGIC_HCR_EN;

	if (fs->overflow)
		hcr |= VGIC_HCR_UIE; /* refill when the LRs drain */
	if (fs->overflow && fs->lr_pending)
		hcr |= VGIC_HCR_NPIE; /* refill once all presented are taken */
	uint32_t nr_active =
		__atomic_load_n(&vcpu->nr_active, __ATOMIC_RELAXED);
	if (nr_active > fs->lr_active) {
		hcr |= VGIC_HCR_LRENPIE; /* EOIs we must replay: EOIcount */
		if (vcpu->vmcr & VGIC_VMCR_VEOIM)
			hcr |= VGIC_HCR_TDIR; /* DIR names its INTID: trap it */
	}
	return hcr;
}

static void cpu_if_restore(const struct vgic_vcpu *vcpu,
			   struct vgic_cpu_if *cif)
{
	cif->vmcr = vcpu->vmcr;
	for (int i = 0; i < 4; i++) {
		cif->ap0r[i] = vcpu->ap0r[i];
		cif->ap1r[i] = vcpu->ap1r[i];
	}
}

int vgic_flush(struct vgic_vm *vm, uint32_t vidx, struct vgic_cpu_if *cif)
{
	struct vgic_vcpu *vcpu;
	struct flush_state fs;
	int err = world_switch_args(vm, vidx, cif, &vcpu);

	if (err)
		return err;

	/* The LRs of the last flush hold state (edge pending moved into
	 * them) that only sync brings back. */
	if (vcpu->flushed)
		return VGIC_EBUSY;
	vcpu->flushed = true;
	flush_state_init(&fs);
	vgic_lock(&vcpu->ap_lock);
	if (__atomic_load_n(&vcpu->resort, __ATOMIC_RELAXED))
		vgic_ap_sort(vcpu);
	uint32_t used = fill_lrs(vm, vcpu, cif, &fs);
	vcpu->nr_lrs_used = used;
	cif->hcr = hcr_make(vcpu, &fs);
	vgic_unlock(&vcpu->ap_lock);

	for (uint32_t n = used; n < vm->cfg.nr_lrs; n++)
		cif->lr[n] = 0;
	cif->nr_lrs_used = used;
	cpu_if_restore(vcpu, cif);
	requeue_moved(vm, fs.move, fs.nmove);
	return VGIC_OK;
}

/* ------------------------------------------------------------- sync */

/* The guest took the pending interrupt (LR pending before, not now). */
static void fold_pending(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			 struct vgic_irq *irq, bool was_p, bool now_p)
{
	if (was_p && !now_p)
		vgic_trace(vm, VGIC_TRACE_ACK, vcpu->idx, irq->intid, 0);
	if (irq->lr_override & VGIC_OV_PENDING)
		return; /* a later MMIO write decided */
	if (was_p && !now_p && !irq->edge)
		irq->pending_latch = false; /* acknowledge clears it */
	if (now_p && irq->edge)
		irq->pending_latch = true; /* not taken: back to the latch */
}

/* The LR went invalid: the guest deactivated it. */
static void fold_retire(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			struct vgic_irq *irq)
{
	vgic_trace(vm, VGIC_TRACE_RETIRE, vcpu->idx, irq->intid, 0);
	/* A HW LR goes invalid only by the guest's deactivation, which the
	 * hardware forwarded to the physical INTID. */
	if (irq->hw && irq->phys_active) {
		irq->phys_active = false;
		if (!irq->edge && vm->ops->phys_line_level)
			irq->line_level = vm->ops->phys_line_level(
				vm->ctx, vcpu->idx, irq->pintid);
	}
}

/* Fold one LR back into the interrupt's state. */
static void lr_fold(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
		    struct vgic_irq *irq, uint64_t was, uint64_t now)
{
	bool was_p = was & VGIC_LR_PENDING, now_p = now & VGIC_LR_PENDING;
	bool now_a = now & VGIC_LR_ACTIVE;

	fold_pending(vm, vcpu, irq, was_p, now_p);
	if (!(irq->lr_override & VGIC_OV_ACTIVE))
		vgic_irq_set_active_locked(vm, irq, now_a);
	if (!now_a && !now_p)
		fold_retire(vm, vcpu, irq);
	irq->lr_override = 0;
}

/* An LR whose ICH_ELRSR_EL2 bit is set is empty (state invalid), whatever
 * the host left in lr[n]: a host may skip reading such LRs. */
static uint64_t lr_read(const struct vgic_cpu_if *cif, uint32_t n)
{
	if (cif->elrsr & (1u << n))
		return cif->lr[n] & ~VGIC_LR_STATE_MASK;
	return cif->lr[n];
}

/*
 * ICH_HCR_EL2.EOIcount: the guest completed `n` interrupts that had no LR
 * (only possible with EOImode == 0, as flush traps DIR otherwise). The
 * guest must complete in priority order, so they are the first `n`
 * active interrupts without an LR, in list order.
 */
static void eoicount_replay(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			    uint32_t n)
{
	for (struct vgic_irq *irq = vcpu->ap.head; irq && n; irq = irq->next) {
		vgic_lock(&irq->lock);
		if (irq->active && !irq->lr) {
			vgic_irq_deactivate_locked(vm, irq, vcpu->idx);
			vgic_trace(vm, VGIC_TRACE_EOICOUNT, vcpu->idx,
				   irq->intid, 0);
			vgic_stat_inc(&vm->stats.eoicount);
			n--;
		}
		vgic_unlock(&irq->lock);
	}
}

static void cpu_if_save(struct vgic_vcpu *vcpu, const struct vgic_cpu_if *cif)
{
	vcpu->vmcr = cif->vmcr;
	for (int i = 0; i < 4; i++) {
		vcpu->ap0r[i] = cif->ap0r[i];
		vcpu->ap1r[i] = cif->ap1r[i];
	}
}

static void count_maintenance(struct vgic_vm *vm, uint32_t misr)
{
	if (misr & VGIC_MISR_U)
		vgic_stat_inc(&vm->stats.maint_underflow);
	if (misr & VGIC_MISR_NP)
		vgic_stat_inc(&vm->stats.maint_np);
	if (misr & VGIC_MISR_EOI)
		vgic_stat_inc(&vm->stats.maint_eoi);
}

int vgic_sync(struct vgic_vm *vm, uint32_t vidx, struct vgic_cpu_if *cif)
{
	struct vgic_vcpu *vcpu;
	struct flush_state fs;
	int err = world_switch_args(vm, vidx, cif, &vcpu);

	if (err)
		return err;
	uint32_t eoicount =
		(cif->hcr & VGIC_HCR_EOICOUNT_MASK) >> VGIC_HCR_EOICOUNT_SHIFT;

	flush_state_init(&fs);
	vgic_lock(&vcpu->ap_lock);
	if (eoicount)
		eoicount_replay(vm, vcpu, eoicount);
	for (uint32_t n = 0; n < vcpu->nr_lrs_used; n++) {
		struct vgic_irq *irq = vcpu->lr_irq[n];
		vgic_lock(&irq->lock);
		lr_fold(vm, vcpu, irq, vcpu->lr_val[n], lr_read(cif, n));
		irq->lr = 0;
		prune_one(vm, vcpu, irq, &fs);
		vgic_unlock(&irq->lock);
	}
	vcpu->nr_lrs_used = 0;
	vcpu->flushed = false;
	cpu_if_save(vcpu, cif);
	vgic_unlock(&vcpu->ap_lock);

	count_maintenance(vm, cif->misr);
	requeue_moved(vm, fs.move, fs.nmove);
	return VGIC_OK;
}

/* -------------------------------------------------- switch out, WFI */

int vgic_vcpu_put(struct vgic_vm *vm, uint32_t vidx)
{
	if (!vm)
		return VGIC_EINVAL;
	if (!vcpu_ok(vm, vidx))
		return VGIC_ERANGE;
	struct vgic_vcpu *vcpu = &vm->vcpus[vidx];

	/* Only PPIs: an SPI's physical active state is global and keeps
	 * holding the line while this vCPU is out. */
	for (uint32_t n = VGIC_NR_SGIS; n < VGIC_NR_PRIVATE; n++) {
		struct vgic_irq *irq = &vcpu->priv[n];
		vgic_lock(&irq->lock);
		if (irq->hw && irq->phys_active) {
			if (vm->ops->phys_set_active)
				vm->ops->phys_set_active(vm->ctx, vidx,
							 irq->pintid, false);
			irq->phys_active = false;
			vgic_trace(vm, VGIC_TRACE_PHYS_ACTIVE, vidx, n, 0);
		}
		vgic_unlock(&irq->lock);
	}
	return VGIC_OK;
}

/* Would the virtual CPU interface signal `irq` (priority vs. ICH_VMCR)? */
static bool signals(const struct vgic_vm *vm, const struct vgic_vcpu *vcpu,
		    const struct vgic_irq *irq)
{
	uint32_t pmr =
		(vcpu->vmcr & VGIC_VMCR_VPMR_MASK) >> VGIC_VMCR_VPMR_SHIFT;
	uint32_t grp = irq->group1 ? VGIC_VMCR_VENG1 : VGIC_VMCR_VENG0;

	return irq->target == vcpu->idx && vgic_irq_can_pend(vm, irq) &&
	       irq->priority < pmr && (vcpu->vmcr & grp);
}

bool vgic_vcpu_pending(struct vgic_vm *vm, uint32_t vidx)
{
	if (!vm || !vcpu_ok(vm, vidx))
		return false;
	struct vgic_vcpu *vcpu = &vm->vcpus[vidx];
	bool found = false;

	vgic_lock(&vcpu->ap_lock);
	for (struct vgic_irq *irq = vcpu->ap.head; irq && !found;
	     irq = irq->next) {
		vgic_lock(&irq->lock);
		found = signals(vm, vcpu, irq);
		vgic_unlock(&irq->lock);
	}
	vgic_unlock(&vcpu->ap_lock);
	return found;
}
