/* SPDX-License-Identifier: MIT */
/*
 * Trapped ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1 and ICC_DIR_EL1
 * writes (IHI 0069, the ICC_* register descriptions).
 *
 * With GICD_CTLR.DS == 1 there is a single Security state: SGI1R raises an
 * SGI whatever its group; SGI0R only Group 0 ones; ASGI1R targets "the
 * other" Group 1, which does not exist, so it behaves as SGI0R.
 */
#include "vgic_internal.h"

/* ICC_SGI1R_EL1 fields. */
#define SGIR_TARGETS(v) ((uint32_t)(v)&0xffffu)
#define SGIR_AFF1(v) (((v) >> 16) & 0xffu)
#define SGIR_INTID(v) ((uint32_t)((v) >> 24) & 0xfu)
#define SGIR_AFF2(v) (((v) >> 32) & 0xffu)
#define SGIR_IRM (1ULL << 40)
#define SGIR_RS(v) (((v) >> 44) & 0xfu)
#define SGIR_AFF3(v) (((v) >> 48) & 0xffu)

static void sgi_raise(struct vgic_vm *vm, uint32_t target, uint32_t intid,
		      bool any_group)
{
	struct vgic_irq *irq = &vm->vcpus[target].priv[intid];

	vgic_lock(&irq->lock);
	if (any_group || !irq->group1) {
		irq->pending_latch = true;
		vgic_stat_inc(&vm->stats.sgis);
		vgic_trace(vm, VGIC_TRACE_INJECT, target, intid, 0);
	}
	vgic_irq_queue_unlock(vm, irq);
}

static void sgi_broadcast(struct vgic_vm *vm, uint32_t self, uint32_t intid,
			  bool any_group)
{
	for (uint32_t t = 0; t < vm->nr_vcpus; t++)
		if (t != self)
			sgi_raise(vm, t, intid, any_group);
}

/* Target list: Aff3.Aff2.Aff1.<RS * 16 + bit> for each bit set. */
static void sgi_targeted(struct vgic_vm *vm, uint64_t v, bool any_group)
{
	uint64_t base = SGIR_AFF3(v) << 32 | SGIR_AFF2(v) << 16 |
			SGIR_AFF1(v) << 8 | SGIR_RS(v) * 16;
	uint32_t list = SGIR_TARGETS(v);

	for (uint32_t bit = 0; list; bit++, list >>= 1) {
		if (!(list & 1))
			continue;
		uint32_t t = vgic_vcpu_by_affinity(vm, base + bit);
		if (t != VGIC_VCPU_NONE)
			sgi_raise(vm, t, SGIR_INTID(v), any_group);
	}
}

static void sgi_write(struct vgic_vm *vm, uint32_t vcpu, uint64_t v,
		      bool any_group)
{
	if (v & SGIR_IRM)
		sgi_broadcast(vm, vcpu, SGIR_INTID(v), any_group);
	else
		sgi_targeted(vm, v, any_group);
}

/* ICC_DIR_EL1 trapped by ICH_HCR_EL2.TDIR: deactivate by INTID. */
static void dir_write(struct vgic_vm *vm, uint32_t vcpu, uint64_t v)
{
	struct vgic_irq *irq =
		vgic_irq_lookup(vm, vcpu, (uint32_t)v & 0xffffff);

	if (!irq) {
		vgic_stat_inc(&vm->stats.bad_intid);
		return;
	}
	vgic_irq_set_active(vm, irq, false);
}

int vgic_sysreg_write(struct vgic_vm *vm, uint32_t vcpu, enum vgic_sysreg reg,
		      uint64_t val)
{
	if (!vm)
		return VGIC_EINVAL;
	if (vcpu >= vm->nr_vcpus)
		return VGIC_ERANGE;
	switch (reg) {
	case VGIC_SYSREG_SGI1R:
		sgi_write(vm, vcpu, val, true);
		return VGIC_OK;
	case VGIC_SYSREG_ASGI1R:
	case VGIC_SYSREG_SGI0R:
		sgi_write(vm, vcpu, val, false);
		return VGIC_OK;
	case VGIC_SYSREG_DIR:
		dir_write(vm, vcpu, val);
		return VGIC_OK;
	}
	return VGIC_EINVAL;
}
