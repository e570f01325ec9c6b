/* SPDX-License-Identifier: MIT */
/*
 * Distributor-wide state: group enables (GICD_CTLR), redistributor sleep
 * (GICR_WAKER) and SPI routing by affinity (GICD_IROUTER).
 */
#include "vgic_internal.h"

#define IROUTER_IRM (1ULL << 31)
#define IROUTER_AFF_MASK 0xff00ffffffULL

uint32_t vgic_vcpu_by_affinity(const struct vgic_vm *vm, uint64_t aff)
{
	aff &= IROUTER_AFF_MASK;
	for (uint32_t i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].mpidr == aff)
			return i;
	return VGIC_VCPU_NONE;
}

/*
 * 1-of-N (IHI 0069, GICD_IROUTER.Interrupt_Routing_Mode == 1): the
 * implementation picks a participating PE. We pick the lowest-numbered vCPU
 * whose redistributor is awake, so the choice is deterministic; vCPU 0 if all
 * sleep.
 */
static uint16_t route_1ofn(const struct vgic_vm *vm)
{
	for (uint32_t i = 0; i < vm->nr_vcpus; i++)
		if (!__atomic_load_n(&vm->vcpus[i].sleeping, __ATOMIC_RELAXED))
			return (uint16_t)i;
	return 0;
}

uint16_t vgic_route(const struct vgic_vm *vm, uint64_t irouter)
{
	if (irouter & IROUTER_IRM)
		return route_1ofn(vm);
	return (uint16_t)vgic_vcpu_by_affinity(vm, irouter);
}

/* GICD_CTLR.EnableGrp0/EnableGrp1 (IHI 0069, DS == 1). */
void vgic_dist_set_ctlr(struct vgic_vm *vm, uint32_t enable_grps)
{
	vgic_lock(&vm->dist_lock);
	uint32_t old = vm->gicd_ctlr;
	__atomic_store_n(&vm->gicd_ctlr, enable_grps & 3u, __ATOMIC_RELAXED);
	vgic_unlock(&vm->dist_lock);
	/* Newly enabled groups may make pending interrupts deliverable.
	 * A disabled group's may sit in a running vCPU's LRs: requeueing
	 * kicks their holders, whose flush drops them, so that no vCPU
	 * takes one once the write completed (GICD_CTLR.RWP reads 0). */
	if ((enable_grps ^ old) & 3u)
		vgic_irq_requeue_all(vm);
}

/* 1-of-N SPIs follow the set of awake redistributors. */
static void reroute_1ofn(struct vgic_vm *vm)
{
	for (uint32_t n = 0; n < vm->nr_spis; n++) {
		uint64_t r = __atomic_load_n(&vm->irouter[n], __ATOMIC_RELAXED);
		if (r & IROUTER_IRM)
			vgic_irq_set_router(vm, &vm->spis[n], r);
	}
}

/* GICR_WAKER.ProcessorSleep (IHI 0069). */
void vgic_vcpu_set_sleep(struct vgic_vm *vm, uint32_t vcpu, bool sleep)
{
	bool *s = &vm->vcpus[vcpu].sleeping;

	if (__atomic_exchange_n(s, sleep, __ATOMIC_RELAXED) != sleep)
		reroute_1ofn(vm);
}
