/* SPDX-License-Identifier: MIT */
/*
 * Exact access to in-flight state. The pending and active state of an
 * interrupt that sits in a list register of a running vCPU lives in that
 * CPU's hardware until it exits. A guest reading or writing it through
 * GICD/GICR from another vCPU must see and change the current state, so
 * the holder is stopped (out of the guest, synced) for the access, as the
 * host's vcpu_stop/vcpu_resume ops allow.
 */
#include "vgic_internal.h"

static bool has_stop_ops(const struct vgic_vm *vm)
{
	return vm->ops->version >= 2 && vm->ops->vcpu_stop &&
	       vm->ops->vcpu_resume;
}

static bool stopped(const struct vgic_stopped *s, uint32_t vcpu)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (s->vcpu[i] == vcpu)
			return true;
	return false;
}

/* A vCPU, not yet stopped, whose LRs hold `irq`; VGIC_VCPU_NONE if none. */
static uint32_t unstopped_holder(struct vgic_irq *irq, uint32_t self,
				 const struct vgic_stopped *s)
{
	vgic_lock(&irq->lock);
	uint32_t v = irq->lr ? irq->vcpu : VGIC_VCPU_NONE;
	vgic_unlock(&irq->lock);
	return v == self || stopped(s, v) ? VGIC_VCPU_NONE : v;
}

/* One pass: stop the holders found; true if it stopped any. Each pass
 * stops at least one more vCPU, so the caller's loop ends. */
static bool stop_pass(struct vgic_vm *vm, uint32_t self,
		      struct vgic_irq *const *irqs, uint32_t n,
		      struct vgic_stopped *s)
{
	bool more = false;

	for (uint32_t i = 0; i < n && s->n < 32; i++) {
		uint32_t v = irqs[i] ? unstopped_holder(irqs[i], self, s)
				     : VGIC_VCPU_NONE;
		if (v == VGIC_VCPU_NONE)
			continue;
		vm->ops->vcpu_stop(vm->ctx, v);
		s->vcpu[s->n++] = (uint16_t)v;
		more = true;
	}
	return more;
}

void vgic_stop_lr_holders(struct vgic_vm *vm, uint32_t self,
			  struct vgic_irq *const *irqs, uint32_t n,
			  struct vgic_stopped *s)
{
	s->n = 0;
	if (!has_stop_ops(vm))
		return;
	while (stop_pass(vm, self, irqs, n, s))
		;
}

void vgic_resume_stopped(struct vgic_vm *vm, const struct vgic_stopped *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		vm->ops->vcpu_resume(vm->ctx, s->vcpu[i]);
}
