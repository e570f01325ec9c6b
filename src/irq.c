/* SPDX-License-Identifier: MIT */
/*
 * Per-INTID state changes and queueing.
 *
 * Every change to an interrupt's state goes through a setter here: it
 * takes irq->lock, applies the change, then vgic_irq_queue_unlock() puts
 * the interrupt on its target vCPU's ap_list if it became deliverable, or
 * kicks the vCPU that holds it so the next flush sees the change.
 *
 * Queueing needs the target's ap_lock, which ranks above irq->lock: the
 * irq lock is dropped, both are taken in order, and the decision is made
 * again (the state may have changed in between).
 */
#include "vgic_internal.h"

struct vgic_irq *vgic_irq_lookup(struct vgic_vm *vm, uint32_t vcpu,
				 uint32_t intid)
{
	if (vgic_irq_is_private(intid))
		return vcpu < vm->nr_vcpus ? &vm->vcpus[vcpu].priv[intid]
					   : NULL;
	if (intid - VGIC_NR_SPI_BASE < vm->nr_spis)
		return &vm->spis[intid - VGIC_NR_SPI_BASE];
	return NULL;
}

static void kick(struct vgic_vm *vm, uint32_t vcpu)
{
	if (vm->ops->kick)
		vm->ops->kick(vm->ctx, vcpu);
}

/* Queue on vCPU `t` if still wanted there; both locks held by caller. */
static bool queue_locked(struct vgic_vm *vm, struct vgic_irq *irq, uint16_t t)
{
	if (irq->vcpu != VGIC_VCPU_NONE || irq->target != t ||
	    !vgic_irq_deliverable(vm, irq))
		return false;
	vgic_ap_insert(&vm->vcpus[t], irq);
	irq->vcpu = t;
	return true;
}

/*
 * `irq` is listed on `owner` but routed elsewhere, and in none of its LRs:
 * take it off that list so it can be queued on its target. Returns with
 * irq->lock held, as it was called.
 */
static void unlist_stray(struct vgic_vm *vm, struct vgic_irq *irq,
			 uint16_t owner)
{
	struct vgic_vcpu *vcpu = &vm->vcpus[owner];

	vgic_unlock(&irq->lock);
	vgic_lock(&vcpu->ap_lock);
	vgic_lock(&irq->lock);
	if (irq->vcpu == owner && irq->target != owner && !irq->active &&
	    !irq->lr) {
		vgic_ap_unlink(vcpu, irq);
		irq->vcpu = VGIC_VCPU_NONE;
	}
	vgic_unlock(&vcpu->ap_lock);
}

/* Listed where it should stay (its owner re-reads the state at flush,
 * or moves it at sync once it leaves the LR)? */
static bool stays_listed(const struct vgic_irq *irq)
{
	return irq->vcpu == irq->target || irq->active || irq->lr;
}

void vgic_irq_queue_unlock(struct vgic_vm *vm, struct vgic_irq *irq)
{
	VGIC_MUST_HOLD(&irq->lock);
	for (;;) {
		uint16_t owner = irq->vcpu, t = irq->target;
		if (owner != VGIC_VCPU_NONE && !stays_listed(irq)) {
			unlist_stray(vm, irq, owner);
			continue;
		}
		if (owner != VGIC_VCPU_NONE || t == VGIC_VCPU_NONE ||
		    !vgic_irq_deliverable(vm, irq)) {
			vgic_unlock(&irq->lock);
			if (owner != VGIC_VCPU_NONE)
				kick(vm, owner);
			return;
		}
		vgic_unlock(&irq->lock);
		struct vgic_vcpu *vcpu = &vm->vcpus[t];
		vgic_lock(&vcpu->ap_lock);
		vgic_lock(&irq->lock);
		bool queued = queue_locked(vm, irq, t);
		if (queued) {
			vgic_unlock(&irq->lock);
			vgic_unlock(&vcpu->ap_lock);
			kick(vm, t);
			return;
		}
		vgic_unlock(&vcpu->ap_lock);
	}
}

void vgic_irq_requeue_all(struct vgic_vm *vm)
{
	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		for (uint32_t n = 0; n < VGIC_NR_PRIVATE; n++) {
			vgic_lock(&vm->vcpus[i].priv[n].lock);
			vgic_irq_queue_unlock(vm, &vm->vcpus[i].priv[n]);
		}
	}
	for (uint32_t n = 0; n < vm->nr_spis; n++) {
		vgic_lock(&vm->spis[n].lock);
		vgic_irq_queue_unlock(vm, &vm->spis[n]);
	}
	vgic_lpi_requeue_all(vm);
}

/* The list holding `irq` must be re-sorted (priority or active changed). */
static void mark_resort(struct vgic_vm *vm, struct vgic_irq *irq)
{
	if (irq->vcpu != VGIC_VCPU_NONE)
		__atomic_store_n(&vm->vcpus[irq->vcpu].resort, true,
				 __ATOMIC_RELAXED);
}

void vgic_irq_set_enabled(struct vgic_vm *vm, struct vgic_irq *irq, bool en)
{
	vgic_lock(&irq->lock);
	irq->enabled = en;
	vgic_irq_queue_unlock(vm, irq);
}

/* GICD_ISPENDR/ICPENDR (IHI 0069): the latch only; a
 * level interrupt whose line is high stays pending. */
void vgic_irq_set_pending(struct vgic_vm *vm, struct vgic_irq *irq, bool p)
{
	vgic_lock(&irq->lock);
	irq->pending_latch = p;
	if (irq->lr)
		irq->lr_override |= VGIC_OV_PENDING;
	if (p)
		vgic_trace(vm, VGIC_TRACE_INJECT, irq->target, irq->intid, 0);
	vgic_irq_queue_unlock(vm, irq);
}

/* The guest deactivated a forwarded interrupt: so is the physical one,
 * and the physical line decides whether it is pending again. */
static void phys_deactivated(struct vgic_vm *vm, struct vgic_irq *irq,
			     uint32_t vcpu)
{
	irq->phys_active = false;
	if (!irq->edge && vm->ops->phys_line_level)
		irq->line_level =
			vm->ops->phys_line_level(vm->ctx, vcpu, irq->pintid);
}

static void phys_set_active(struct vgic_vm *vm, struct vgic_irq *irq,
			    uint32_t vcpu, bool active)
{
	if (vm->ops->phys_set_active)
		vm->ops->phys_set_active(vm->ctx, vcpu, irq->pintid, active);
	vgic_trace(vm, VGIC_TRACE_PHYS_ACTIVE, vcpu, irq->intid, active);
	if (active)
		irq->phys_active = true;
	else
		phys_deactivated(vm, irq, vcpu);
}

void vgic_irq_set_active_locked(struct vgic_vm *vm, struct vgic_irq *irq,
				bool active)
{
	VGIC_MUST_HOLD(&irq->lock);
	if (irq->active == active)
		return;
	irq->active = active;
	vgic_irq_update_key(irq);
	if (irq->vcpu != VGIC_VCPU_NONE) {
		struct vgic_vcpu *holder = &vm->vcpus[irq->vcpu];
		if (active)
			__atomic_fetch_add(&holder->nr_active, 1,
					   __ATOMIC_RELAXED);
		else
			__atomic_fetch_sub(&holder->nr_active, 1,
					   __ATOMIC_RELAXED);
		__atomic_store_n(&holder->resort, true, __ATOMIC_RELAXED);
	}
}

void vgic_irq_deactivate_locked(struct vgic_vm *vm, struct vgic_irq *irq,
				uint32_t vcpu)
{
	VGIC_MUST_HOLD(&irq->lock);
	vgic_irq_set_active_locked(vm, irq, false);
	if (irq->hw && irq->phys_active)
		phys_set_active(vm, irq, vcpu, false);
	if (irq->eoi_notify && !vgic_irq_pending(irq))
		vgic_lpi_eoi(vm, irq);
}

void vgic_irq_ensure_phys_active_locked(struct vgic_vm *vm,
					struct vgic_irq *irq, uint32_t vcpu)
{
	VGIC_MUST_HOLD(&irq->lock);
	if (!irq->phys_active)
		phys_set_active(vm, irq, vcpu, true);
}

/* GICD_ISACTIVER/ICACTIVER (IHI 0069). A forwarded
 * interrupt's physical active state follows, as the guest expects the
 * device's interrupt to be held or released. */
void vgic_irq_set_active(struct vgic_vm *vm, struct vgic_irq *irq, bool a)
{
	vgic_lock(&irq->lock);
	uint32_t vcpu = vgic_irq_owner(irq);
	if (irq->lr)
		irq->lr_override |= VGIC_OV_ACTIVE;
	if (irq->active != a) {
		if (a) {
			vgic_irq_set_active_locked(vm, irq, true);
			if (irq->hw && vcpu != VGIC_VCPU_NONE)
				vgic_irq_ensure_phys_active_locked(vm, irq,
								   vcpu);
		} else {
			vgic_irq_deactivate_locked(vm, irq, vcpu);
		}
	}
	vgic_irq_queue_unlock(vm, irq);
}

void vgic_irq_set_priority(struct vgic_vm *vm, struct vgic_irq *irq,
			   uint8_t prio)
{
	vgic_lock(&irq->lock);
	irq->priority = prio & vm->pri_mask;
	vgic_irq_update_key(irq);
	mark_resort(vm, irq);
	vgic_irq_queue_unlock(vm, irq);
}

void vgic_irq_set_group(struct vgic_vm *vm, struct vgic_irq *irq, bool g1)
{
	vgic_lock(&irq->lock);
	irq->group1 = g1;
	vgic_irq_queue_unlock(vm, irq);
}

/* GICD_ICFGR (IHI 0069); SGIs are always edge-triggered. */
void vgic_irq_set_edge(struct vgic_vm *vm, struct vgic_irq *irq, bool edge)
{
	if (vgic_irq_is_sgi(irq->intid))
		return;
	vgic_lock(&irq->lock);
	irq->edge = edge;
	vgic_irq_queue_unlock(vm, irq);
}

/* An input line changes level: a rising edge latches an edge interrupt. */
void vgic_irq_set_line(struct vgic_vm *vm, struct vgic_irq *irq, bool level)
{
	vgic_lock(&irq->lock);
	if (level && !irq->line_level) {
		if (irq->edge)
			irq->pending_latch = true;
		vgic_trace(vm, VGIC_TRACE_INJECT, irq->target, irq->intid, 1);
	}
	irq->line_level = level;
	vgic_irq_queue_unlock(vm, irq);
}

/*
 * GICD_IROUTER<n> (IHI 0069). A pending interrupt listed on its
 * old target moves now, unless it sits in one of that vCPU's LRs: then
 * the old target's sync moves it, after the guest had its chance at it.
 */
void vgic_irq_set_router(struct vgic_vm *vm, struct vgic_irq *irq,
			 uint64_t irouter)
{
	vgic_lock(&irq->lock);
	__atomic_store_n(&vm->irouter[irq->intid - VGIC_NR_SPI_BASE], irouter,
			 __ATOMIC_RELAXED);
	irq->target = vgic_route(vm, irouter);
	vgic_irq_queue_unlock(vm, irq);
}

/* Edge pending state moved into an LR by flush still counts (as of that
 * flush: without vcpu_stop the running guest may have taken it since). */
bool vgic_irq_pending_in_lr(const struct vgic_vm *vm,
			    const struct vgic_irq *irq)
{
	if (!irq->lr)
		return false;
	const struct vgic_vcpu *holder = &vm->vcpus[irq->vcpu];
	return holder->lr_val[irq->lr - 1] & VGIC_LR_PENDING;
}

bool vgic_irq_read_pending(struct vgic_vm *vm, struct vgic_irq *irq)
{
	vgic_lock(&irq->lock);
	bool p = vgic_irq_pending(irq) || vgic_irq_pending_in_lr(vm, irq);
	uint32_t vcpu = vgic_irq_owner(irq);
	if (irq->hw && !irq->edge && vm->ops->phys_line_level &&
	    vcpu != VGIC_VCPU_NONE)
		p = irq->pending_latch ||
		    vm->ops->phys_line_level(vm->ctx, vcpu, irq->pintid);
	vgic_unlock(&irq->lock);
	return p;
}
