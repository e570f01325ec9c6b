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
	bool lr_takeable;   /* some LR is in the pending state (not active) */
	bool held_back;	    /* skipped: pending in a group the guest disabled */
	uint32_t grp_lr;    /* groups (bit 0, 1) of the pending LRs */
	uint32_t lr_active; /* LRs presenting an active interrupt */
	uint32_t nmove;
	struct vgic_irq *move[MOVE_BATCH];
};

enum prune { KEEP, GONE, SKIP };

/* Field by field: a struct initializer would become a memset call. */
static void flush_state_init(struct flush_state *fs)
{
	fs->overflow = fs->lr_takeable = fs->held_back = false;
	fs->lr_active = fs->nmove = fs->grp_lr = 0;
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

/*
 * Pending and active, of a group the guest disabled in its CPU interface:
 * shown active only. Once deactivated, a pending LR the guest cannot take
 * would hold back ICH_MISR_EL2.NP and starve what waits for an LR; the
 * pending state is invisible while active anyway (an active interrupt is
 * not signalled), and LR.EOI brings it back at the deactivation.
 */
static bool pend_hidden(const struct vgic_vm *vm, uint32_t vcpu,
			const struct vgic_irq *irq)
{
	uint32_t eng = irq->group1 ? VGIC_VMCR_VENG1 : VGIC_VMCR_VENG0;

	return irq->active && !irq->hw && !(vm->vcpus[vcpu].vmcr & eng);
}

/* ICH_LR<n>_EL2 for `irq` (IHI 0069). */
static uint64_t lr_make(struct vgic_vm *vm, uint32_t vcpu, struct vgic_irq *irq)
{
	bool pend = irq->target == vcpu && vgic_irq_can_pend(vm, irq) &&
		    !pend_hidden(vm, vcpu, irq);
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
		/* Level: exit on EOI so the line is sampled again. Active
		 * here while pending for another vCPU: exit on deactivation,
		 * so that the other vCPU gets it without waiting for this
		 * one's next exit. */
		if ((pend && !irq->edge) ||
		    (irq->active && !pend && vgic_irq_can_pend(vm, irq)) ||
		    irq->eoi_notify)
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

	fs->lr_takeable |= (lr & VGIC_LR_STATE_MASK) == VGIC_LR_PENDING;
	if (lr & VGIC_LR_PENDING)
		fs->grp_lr |= irq->group1 ? 2u : 1u;
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

/*
 * Pending, of a group the guest disabled in its CPU interface
 * (ICV_IGRPEN<n>_EL1, kept in ICH_VMCR_EL2.VENG<n>): the guest cannot take
 * it, so it only gets an LR left over by those it can take, which it
 * must not hide.
 */
static bool group_off(const struct vgic_vcpu *vcpu, const struct vgic_irq *irq)
{
	uint32_t eng = irq->group1 ? VGIC_VMCR_VENG1 : VGIC_VMCR_VENG0;

	return !irq->active && !(vcpu->vmcr & eng);
}

/* Could the guest take `irq` from an LR now (pending here, not active)? */
static bool takeable(const struct vgic_vm *vm, const struct vgic_vcpu *vcpu,
		     const struct vgic_irq *irq)
{
	return !irq->active && irq->target == vcpu->idx &&
	       vgic_irq_can_pend(vm, irq);
}

/*
 * The last LR is kept for an interrupt the guest can take while every
 * other LR holds an active one: otherwise interrupts whose priority the
 * guest dropped (EOImode 1) but did not deactivate could fill every LR,
 * and a pending interrupt that the running priority and the priority mask
 * let through (IHI 0069, 4.8) would wait for their deactivation. An
 * active interrupt left out is handled like any other without an LR
 * (LRENPIE, TDIR).
 */
static bool keep_last_lr(const struct vgic_vm *vm, const struct vgic_vcpu *vcpu,
			 const struct vgic_irq *irq, uint32_t used,
			 const struct flush_state *fs)
{
	return used + 1 == vm->cfg.nr_lrs && !fs->lr_takeable &&
	       !takeable(vm, vcpu, irq);
}

/* Nothing takeable came: the active interrupt left out gets the LR. */
static uint32_t place_spare(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			    struct vgic_irq *spare, uint32_t used,
			    struct vgic_cpu_if *cif, struct flush_state *fs)
{
	if (!spare || fs->lr_takeable || used + 1 != vm->cfg.nr_lrs)
		return used;
	vgic_lock(&spare->lock);
	if (prune_one(vm, vcpu, spare, fs) == KEEP)
		lr_place(vm, vcpu, spare, used++, cif, fs);
	vgic_unlock(&spare->lock);
	return used;
}

/* Second pass: LRs left over go to interrupts held back by group_off(),
 * in list order; one that finds none left is overflow. */
static uint32_t fill_held_back(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			       struct vgic_cpu_if *cif, struct flush_state *fs,
			       uint32_t used)
{
	struct vgic_irq *irq = vcpu->ap.head;

	while (irq && !fs->overflow) {
		struct vgic_irq *next = irq->next;
		vgic_lock(&irq->lock);
		if (!irq->lr && group_off(vcpu, irq) &&
		    prune_one(vm, vcpu, irq, fs) == KEEP) {
			if (used < vm->cfg.nr_lrs)
				lr_place(vm, vcpu, irq, used++, cif, fs);
			else
				note_overflow(vm, vcpu, irq, fs);
		}
		vgic_unlock(&irq->lock);
		irq = next;
	}
	return used;
}

static uint32_t fill_lrs(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
			 struct vgic_cpu_if *cif, struct flush_state *fs)
{
	uint32_t used = 0, nr_lrs = vm->cfg.nr_lrs;
	struct vgic_irq *irq = vcpu->ap.head, *spare = NULL;

	while (irq) {
		struct vgic_irq *next = irq->next;
		bool go_on = true;
		vgic_lock(&irq->lock);
		if (prune_one(vm, vcpu, irq, fs) == KEEP) {
			if (group_off(vcpu, irq))
				fs->held_back = true;
			else if (keep_last_lr(vm, vcpu, irq, used, fs))
				spare = spare ? spare : irq;
			else if (used < nr_lrs)
				lr_place(vm, vcpu, irq, used++, cif, fs);
			else
				go_on = note_overflow(vm, vcpu, irq, fs);
		}
		vgic_unlock(&irq->lock);
		if (!go_on)
			break;
		irq = next;
	}
	used = place_spare(vm, vcpu, spare, used, cif, fs);
	return fs->held_back ? fill_held_back(vm, vcpu, cif, fs, used) : used;
}

/* ICH_HCR_EL2.VGrp<n>EIE / VGrp<n>DIE (bits 4..7): with more pending
 * than LRs, refill when the guest enables a group (its interrupts may be
 * waiting), or disables one whose pending interrupts hold LRs. */
static uint32_t hcr_group_ie(const struct vgic_vcpu *vcpu,
			     const struct flush_state *fs)
{
	uint32_t hcr = 0;

	if (!fs->overflow)
		return 0;
	if (!(vcpu->vmcr & VGIC_VMCR_VENG0))
		hcr |= 1u << 4; /* VGrp0EIE */
	else if (fs->grp_lr & 1u)
		hcr |= 1u << 5; /* VGrp0DIE */
	if (!(vcpu->vmcr & VGIC_VMCR_VENG1))
		hcr |= 1u << 6; /* VGrp1EIE */
	else if (fs->grp_lr & 2u)
		hcr |= 1u << 7; /* VGrp1DIE */
	return hcr;
}

/* ICH_HCR_EL2 for this entry (IHI 0069). */
static uint32_t hcr_make(const struct vgic_vcpu *vcpu,
			 const struct flush_state *fs)
{
	uint32_t hcr = VGIC_HCR_EN;

	/* Refill when the LRs drain. UIE signals while at most one LR is
	 * valid (IHI 0069, ICH_HCR_EL2.UIE): with a single LR in use it
	 * would fire at once and the guest would never run; NPIE covers
	 * that case, as the one LR then holds a pending interrupt. */
	if (fs->overflow && vcpu->nr_lrs_used > 1)
		hcr |= VGIC_HCR_UIE;
	/* Refill once all presented are taken. ICH_MISR_EL2.NP counts LRs in
	 * the pending state only: pending and active ones would not hold it
	 * back, and NP would fire at once. */
	if (fs->overflow && fs->lr_takeable)
		hcr |= VGIC_HCR_NPIE;
	uint32_t nr_active =
		__atomic_load_n(&vcpu->nr_active, __ATOMIC_RELAXED);
	if (nr_active > fs->lr_active) {
		hcr |= VGIC_HCR_LRENPIE; /* EOIs we must replay: EOIcount */
		if (vcpu->vmcr & VGIC_VMCR_VEOIM)
			hcr |= VGIC_HCR_TDIR; /* DIR names its INTID: trap it */
	}
	return hcr | hcr_group_ie(vcpu, fs);
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
	/* LPIs waiting in the pending table (the store was full) count as
	 * more than fits: the refill at the next sync brings them in. */
	if (__atomic_load_n(&vcpu->lpi_spilled, __ATOMIC_RELAXED))
		fs.overflow = true;
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

/* Fold one LR back into the interrupt's state. True: an LPI in flight
 * to another redistributor that the guest did not take here, for
 * vgic_lpi_forward. */
static bool lr_fold(struct vgic_vm *vm, struct vgic_vcpu *vcpu,
		    struct vgic_irq *irq, uint64_t was, uint64_t now)
{
	bool was_p = was & VGIC_LR_PENDING, now_p = now & VGIC_LR_PENDING;
	bool now_a = now & VGIC_LR_ACTIVE;
	bool fwd = vgic_irq_is_lpi(irq) && vgic_lpi_fold_move(irq, now_p);

	/* Forwarded, its pending state is not this one's to keep. */
	if (!fwd)
		fold_pending(vm, vcpu, irq, was_p, now_p);
	/* An LPI has no active state (IHI 0069, LPIs): acknowledged, it is
	 * done. Left out of the LRs from now on, the guest's EOI of it only
	 * drops the running priority, without EOIcount (the virtual CPU
	 * interface's EOI of an LPI in no LR). Unless its EOI must be seen
	 * (passthrough MASK): then it stays in its LR, with LR.EOI, until
	 * the guest's EOI makes the LR invalid. */
	if (vgic_irq_is_lpi(irq) && !irq->eoi_notify)
		now_a = false;
	if (!(irq->lr_override & VGIC_OV_ACTIVE))
		vgic_irq_set_active_locked(vm, irq, now_a);
	if (!now_a && !now_p)
		fold_retire(vm, vcpu, irq);
	irq->lr_override = 0;
	/* Neither active nor pending any more: the guest's EOI (or a
	 * CLEAR while it waited in the LR) ends the host LPI's mask. */
	if (irq->eoi_notify && !irq->active && !vgic_irq_pending(irq))
		vgic_lpi_eoi(vm, irq);
	return fwd;
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
			    uint32_t n, struct flush_state *fs)
{
	struct vgic_irq *irq = vcpu->ap.head;

	while (irq && n) {
		struct vgic_irq *next = irq->next;
		vgic_lock(&irq->lock);
		if (irq->active && !irq->lr) {
			vgic_irq_deactivate_locked(vm, irq, vcpu->idx);
			vgic_trace(vm, VGIC_TRACE_EOICOUNT, vcpu->idx,
				   irq->intid, 0);
			vgic_stat_inc(&vm->stats.eoicount);
			n--;
			/* Routed elsewhere while active: move it now, flush
			 * may never walk this far down the list. */
			prune_one(vm, vcpu, irq, fs);
		}
		vgic_unlock(&irq->lock);
		irq = next;
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
	bool lpi_freed = false;
	struct vgic_irq *fwd[VGIC_MAX_LRS];
	uint32_t nfwd = 0;
	vgic_lock(&vcpu->ap_lock);
	if (eoicount)
		eoicount_replay(vm, vcpu, eoicount, &fs);
	for (uint32_t n = 0; n < vcpu->nr_lrs_used; n++) {
		struct vgic_irq *irq = vcpu->lr_irq[n];
		vgic_lock(&irq->lock);
		if (lr_fold(vm, vcpu, irq, vcpu->lr_val[n], lr_read(cif, n)))
			fwd[nfwd++] = irq;
		irq->lr = 0;
		lpi_freed |= vgic_irq_is_lpi(irq) && !vgic_irq_pending(irq) &&
			     !irq->active;
		prune_one(vm, vcpu, irq, &fs);
		vgic_unlock(&irq->lock);
	}
	vcpu->nr_lrs_used = 0;
	vcpu->flushed = false;
	cpu_if_save(vcpu, cif);
	vgic_unlock(&vcpu->ap_lock);

	count_maintenance(vm, cif->misr);
	requeue_moved(vm, fs.move, fs.nmove);
	if (vgic_has_lpis(vm)) {
		if (nfwd)
			vgic_lpi_forward(vm, fwd, nfwd);
		vgic_lpi_refill(vm, vidx); /* slots may have freed */
		if (lpi_freed)
			vgic_lpi_wake_spilled(vm, vidx);
	}
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

	if (vgic_has_lpis(vm))
		vgic_lpi_refill(vm, vidx); /* spilled LPIs count too */
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
