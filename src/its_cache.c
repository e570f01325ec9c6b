/* SPDX-License-Identifier: MIT */
/*
 * The MSI translation cache: (ITS, DeviceID, EventID) -> (pINTID, ICID),
 * what a hardware ITS caches so that a hot MSI needs no table walk.
 * Direct-mapped, cfg.its_cache_size entries of 16 bytes, under
 * vm->lpi_lock. The target redistributor is not cached: it comes from the
 * collection array at use, so MAPC changes no entry.
 *
 * Invalidation is exact: MAPD drops the device's entries, MAPTI, MAPI,
 * MOVI and DISCARD drop the event's, a GITS_BASER write or disabling the
 * ITS drops the ITS's. Those are the only ways a translation changes
 * (the guest's own writes to its tables are UNPREDICTABLE, IHI 0069).
 */
#include "its.h"

static uint32_t slot_of(const struct vgic_vm *vm, uint32_t its, uint32_t devid,
			uint32_t eventid)
{
	uint32_t h =
		eventid * 0x9e3779b1u ^ devid * 0x85ebca6bu ^ its * 0xc2b2ae35u;

	return (h ^ h >> 15) & vm->msi_cache_mask;
}

static bool matches(const struct vgic_msi_cache_entry *e, uint32_t its,
		    uint32_t devid, uint32_t eventid)
{
	return e->valid && e->eventid == eventid && e->devid == devid &&
	       e->its == its;
}

bool vgic_msi_cache_lookup(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			   uint32_t eventid, struct vgic_its_xlate *x)
{
	const struct vgic_msi_cache_entry *e =
		&vm->msi_cache[slot_of(vm, its, devid, eventid)];

	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (!matches(e, its, devid, eventid))
		return false;
	x->intid = e->intid;
	x->icid = e->icid;
	return true;
}

void vgic_msi_cache_fill(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			 uint32_t eventid, const struct vgic_its_xlate *x)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	vm->msi_cache[slot_of(vm, its, devid, eventid)] =
		(struct vgic_msi_cache_entry){
			.devid = devid,
			.eventid = eventid,
			.intid = x->intid,
			.icid = x->icid,
			.its = (uint8_t)its,
			.valid = 1,
		};
}

void vgic_msi_cache_drop_event(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			       uint32_t eventid)
{
	struct vgic_msi_cache_entry *e =
		&vm->msi_cache[slot_of(vm, its, devid, eventid)];

	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (matches(e, its, devid, eventid))
		e->valid = 0;
}

/* A device's events hash anywhere: one pass over the cache (MAPD is
 * rare: device set-up and tear-down). */
void vgic_msi_cache_drop_device(struct vgic_vm *vm, uint32_t its,
				uint32_t devid)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	for (uint32_t i = 0; i <= vm->msi_cache_mask; i++) {
		struct vgic_msi_cache_entry *e = &vm->msi_cache[i];
		if (e->valid && e->devid == devid && e->its == its)
			e->valid = 0;
	}
}

void vgic_msi_cache_drop_its(struct vgic_vm *vm, uint32_t its)
{
	VGIC_MUST_HOLD(&vm->lpi_lock);
	for (uint32_t i = 0; i <= vm->msi_cache_mask; i++)
		if (vm->msi_cache[i].its == its)
			vm->msi_cache[i].valid = 0;
}
