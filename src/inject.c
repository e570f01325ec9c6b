/* SPDX-License-Identifier: MIT */
/*
 * Host-side injection: input lines, edges, forwarded physical interrupts,
 * and the state query used by tests and tools.
 */
#include "vgic_internal.h"

/* Resolve (vcpu, intid) for a host call; SGIs only where `sgi_ok`. */
static int host_irq(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid,
		    bool sgi_ok, struct vgic_irq **out)
{
	if (!vm)
		return VGIC_EINVAL;
	if (vgic_irq_is_private(intid) && vcpu >= vm->nr_vcpus)
		return VGIC_ERANGE;
	*out = vgic_irq_lookup(vm, vcpu, intid);
	if (!*out)
		return VGIC_ERANGE;
	if (!sgi_ok && vgic_irq_is_sgi(intid))
		return VGIC_EPERM;
	return VGIC_OK;
}

int vgic_set_level(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid,
		   bool level)
{
	struct vgic_irq *irq;
	int err = host_irq(vm, vcpu, intid, false, &irq);

	if (err)
		return err;
	vgic_irq_set_line(vm, irq, level);
	return VGIC_OK;
}

int vgic_inject(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid)
{
	struct vgic_irq *irq;
	int err = host_irq(vm, vcpu, intid, true, &irq);

	if (err)
		return err;
	vgic_irq_set_pending(vm, irq, true);
	return VGIC_OK;
}

int vgic_map_phys(struct vgic_vm *vm, uint32_t vcpu, uint32_t vintid,
		  uint32_t pintid)
{
	struct vgic_irq *irq;
	int err = host_irq(vm, vcpu, vintid, false, &irq);

	if (err)
		return err;
	/* pINTID is a PPI or SPI: LPIs have no active state (seed 000). */
	if (pintid < VGIC_NR_SGIS || pintid >= 1020)
		return VGIC_ERANGE;
	vgic_lock(&irq->lock);
	if (irq->hw) {
		vgic_unlock(&irq->lock);
		return VGIC_EBUSY;
	}
	irq->hw = true;
	irq->pintid = (uint16_t)pintid;
	irq->phys_active = false;
	vgic_unlock(&irq->lock);
	return VGIC_OK;
}

int vgic_unmap_phys(struct vgic_vm *vm, uint32_t vcpu, uint32_t vintid)
{
	struct vgic_irq *irq;
	int err = host_irq(vm, vcpu, vintid, false, &irq);

	if (err)
		return err;
	vgic_lock(&irq->lock);
	err = irq->hw ? VGIC_OK : VGIC_ENOENT;
	irq->hw = false;
	irq->phys_active = false;
	vgic_unlock(&irq->lock);
	return err;
}

int vgic_inject_phys(struct vgic_vm *vm, uint32_t vcpu, uint32_t vintid)
{
	struct vgic_irq *irq;
	int err = host_irq(vm, vcpu, vintid, false, &irq);

	if (err)
		return err;
	vgic_lock(&irq->lock);
	if (!irq->hw) {
		vgic_unlock(&irq->lock);
		return VGIC_ENOENT;
	}
	irq->phys_active = true; /* the host acknowledged it, EOImode 1 */
	if (irq->edge)
		irq->pending_latch = true;
	else
		irq->line_level = true;
	vgic_trace(vm, VGIC_TRACE_INJECT, irq->target, vintid, 2);
	vgic_irq_queue_unlock(vm, irq);
	return VGIC_OK;
}

int vgic_inject_lpi(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid)
{
	if (!vm)
		return VGIC_EINVAL;
	if (!vgic_has_lpis(vm) || vcpu >= vm->nr_vcpus)
		return VGIC_ERANGE;
	return vgic_lpi_set_pending(vm, vcpu, intid, true) ? VGIC_OK
							   : VGIC_EPERM;
}

/* An LPI's state at redistributor `vcpu`: ENOENT when it has no slot
 * (neither pending nor in flight there, or spilled to the table). */
static int lpi_state(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid,
		     struct vgic_irq_state *st)
{
	if (!vgic_has_lpis(vm) || vcpu >= vm->nr_vcpus)
		return VGIC_ERANGE;
	if (!st)
		return VGIC_EINVAL;
	return vgic_lpi_lookup_state(vm, vcpu, intid, st) ? VGIC_OK
							  : VGIC_ENOENT;
}

int vgic_irq_state(struct vgic_vm *vm, uint32_t vcpu, uint32_t intid,
		   struct vgic_irq_state *st)
{
	struct vgic_irq *irq;
	if (vm && intid >= VGIC_MIN_LPI)
		return lpi_state(vm, vcpu, intid, st);
	int err = host_irq(vm, vcpu, intid, true, &irq);

	if (err)
		return err;
	if (!st)
		return VGIC_EINVAL;
	bool pending = vgic_irq_read_pending(vm, irq);
	vgic_lock(&irq->lock);
	*st = (struct vgic_irq_state){
		.pending = pending,
		.active = irq->active,
		.enabled = irq->enabled,
		.group1 = irq->group1,
		.edge = irq->edge,
		.line_level = irq->line_level,
		.hw = irq->hw,
		.priority = irq->priority,
		.pintid = irq->pintid,
		.target = irq->target == VGIC_VCPU_NONE ? -1 : irq->target,
	};
	vgic_unlock(&irq->lock);
	return VGIC_OK;
}
