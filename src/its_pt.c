/* SPDX-License-Identifier: MIT */
/*
 * LPI passthrough without GICv4 (seed 000 in the design notes): a physical
 * device owned by the guest signals its MSIs to the physical ITS, where
 * the host keeps one host LPI per event the guest mapped on its vITS. The
 * library tells the host what to keep there (host ops v4 pt_map,
 * pt_unmap), and turns each host LPI the host takes into the guest's vLPI
 * (vgic_inject_pt) under the VM's policy (enum vgic_pt_policy):
 *
 *   MERGE  nothing to do on the physical side: a host LPI that fires
 *          again before the guest took the vLPI merges with it, one that
 *          fires after queues another instance.
 *   MASK   the host LPI is masked (pt_mask: enable bit clear plus INV)
 *          when its vLPI is injected and unmasked at the guest's EOI,
 *          which the vLPI's LR reports with a maintenance interrupt
 *          (LR.EOI): no re-fire in between.
 *
 * What is mirrored: MAPTI/MAPI (pt_map), MOVI (pt_map to the new vCPU),
 * DISCARD (pt_unmap), MAPD (pt_unmap of every event: the device's ITT
 * changed), MAPC of a collection holding passthrough events (pt_map of
 * each to the new vCPU). MOVALL moves pending state between
 * redistributors but no translation, so the physical side is unchanged:
 * a host LPI taken later translates to the events' current vCPU anyway.
 *
 * Devices are few (cfg.nr_pt_devices): a linear table.
 */
#include "its.h"

static struct vgic_pt_dev *pt_find(struct vgic_vm *vm, uint32_t its,
				   uint32_t devid)
{
	for (uint32_t i = 0; i < vm->cfg.nr_pt_devices; i++) {
		struct vgic_pt_dev *d = &vm->pt_devs[i];
		if (d->nr_events && d->its == its && d->devid == devid)
			return d;
	}
	return NULL;
}

static struct vgic_pt_dev *pt_free_entry(struct vgic_vm *vm)
{
	for (uint32_t i = 0; i < vm->cfg.nr_pt_devices; i++)
		if (!vm->pt_devs[i].nr_events)
			return &vm->pt_devs[i];
	return NULL;
}

static uint32_t vcpu_arg(uint16_t rd)
{
	return rd == VGIC_VCPU_NONE ? VGIC_PT_NO_VCPU : rd;
}

static void map_event(struct vgic_vm *vm, struct vgic_its *its, uint32_t devid,
		      uint32_t eventid, const struct vgic_its_xlate *x)
{
	vm->ops->pt_map(vm->ctx, vgic_its_index(vm, its), devid, eventid,
			x->intid, vcpu_arg(its->coll[x->icid]));
}

void vgic_pt_mirror_map(struct vgic_vm *vm, struct vgic_its *its,
			uint32_t devid, uint32_t eventid,
			const struct vgic_its_xlate *x)
{
	struct vgic_pt_dev *d = pt_find(vm, vgic_its_index(vm, its), devid);

	if (d && eventid < d->nr_events)
		map_event(vm, its, devid, eventid, x);
}

void vgic_pt_mirror_unmap(struct vgic_vm *vm, struct vgic_its *its,
			  uint32_t devid, uint32_t eventid)
{
	struct vgic_pt_dev *d = pt_find(vm, vgic_its_index(vm, its), devid);

	if (d && (eventid < d->nr_events || eventid == VGIC_PT_ALL_EVENTS))
		vm->ops->pt_unmap(vm->ctx, d->its, devid, eventid);
}

/*
 * Every mapped event of passthrough device `d` (below its nr_events and
 * its MAPD size), optionally only those of collection `icid`, to pt_map.
 * Returns the events walked.
 */
static uint32_t map_device(struct vgic_vm *vm, struct vgic_its *its,
			   const struct vgic_pt_dev *d, int32_t icid)
{
	struct vgic_its_dte dte;
	uint64_t gpa;

	if (vgic_its_get_dte(vm, its, d->devid, &dte, &gpa) != ITS_FOUND ||
	    !dte.valid)
		return 0;
	uint64_t n = 1ULL << dte.event_bits;
	if (n > d->nr_events)
		n = d->nr_events;
	for (uint32_t e = 0; e < n; e++) {
		struct vgic_its_xlate x;
		bool valid;
		if (!vgic_its_get_ite(vm, &dte, e, &valid, &x))
			return e;
		if (valid && (icid < 0 || x.icid == (uint32_t)icid))
			map_event(vm, its, d->devid, e, &x);
	}
	return (uint32_t)n;
}

uint32_t vgic_pt_mirror_collection(struct vgic_vm *vm, struct vgic_its *its,
				   uint32_t icid)
{
	uint32_t walked = 0, idx = vgic_its_index(vm, its);

	for (uint32_t i = 0; i < vm->cfg.nr_pt_devices; i++) {
		const struct vgic_pt_dev *d = &vm->pt_devs[i];
		if (d->nr_events && d->its == idx)
			walked += map_device(vm, its, d, (int32_t)icid);
	}
	return 1 + walked / 64;
}

int vgic_its_passthrough(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			 uint32_t nr_events)
{
	if (!vm)
		return VGIC_EINVAL;
	if (!vm->cfg.nr_pt_devices)
		return VGIC_EPERM;
	if (its >= vm->nr_its ||
	    (uint64_t)nr_events > 1ULL << vm->cfg.its_event_bits)
		return VGIC_ERANGE;
	int r = VGIC_OK;
	vgic_lock(&vm->lpi_lock);
	struct vgic_pt_dev *d = pt_find(vm, its, devid);
	if (!nr_events) {
		if (d)
			d->nr_events = 0;
	} else if (d || (d = pt_free_entry(vm))) {
		*d = (struct vgic_pt_dev){devid, nr_events, (uint8_t)its};
		map_device(vm, vgic_its_get(vm, its), d, -1);
	} else {
		r = VGIC_ENOSPC;
	}
	vgic_unlock(&vm->lpi_lock);
	return r;
}

int vgic_inject_pt(struct vgic_vm *vm, uint32_t its, uint32_t devid,
		   uint32_t eventid)
{
	if (!vm)
		return VGIC_EINVAL;
	if (its >= vm->nr_its)
		return VGIC_ERANGE;
	struct vgic_pt_src src = {(uint8_t)its, devid, eventid, false};
	bool mask = vm->cfg.pt_policy == VGIC_PT_MASK;
	int r = VGIC_ENOENT;
	vgic_lock(&vm->lpi_lock);
	if (pt_find(vm, its, devid))
		r = vgic_its_msi_locked(vm, vgic_its_get(vm, its), devid,
					eventid, mask ? &src : NULL);
	vgic_unlock(&vm->lpi_lock);
	if (!r)
		vgic_stat_inc(&vm->stats.pt_injected);
	return r;
}
