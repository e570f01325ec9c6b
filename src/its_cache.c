/* SPDX-License-Identifier: MIT */
/*
 * The MSI translation cache: (ITS, DeviceID, EventID) -> (pINTID, ICID),
 * what a hardware ITS caches so that a hot MSI needs no table walk.
 * Two-way set-associative with LRU replacement (direct-mapped for a
 * one-entry cache), cfg.its_cache_size entries of 16 bytes, under
 * vm->lpi_lock; a set is one 32-byte pair. The target redistributor is not
 * cached: it comes from the collection array at use, so MAPC changes no
 * entry.
 *
 * Invalidation is exact: MAPD drops the device's entries, MAPTI, MAPI,
 * MOVI and DISCARD drop the event's, a GITS_BASER write or disabling the
 * ITS drops the ITS's. Those are the only ways a translation changes
 * (the guest's own writes to its tables are UNPREDICTABLE, IHI 0069).
 */
#include "its.h"

/* A full avalanche (the murmur3 finaliser): consecutive events of a few
 * devices must not crowd into a few sets. */
static uint32_t mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ h >> 16;
}

/* The set's first entry; the set is that and the next (2 ways), or just
 * it for a one-entry cache. */
static uint32_t slot_of(const struct vgic_vm *vm, uint32_t its, uint32_t devid,
			uint32_t eventid)
{
	uint32_t h = mix(eventid ^ mix(devid ^ its << 24));

	return h & vm->msi_cache_mask & ~1u;
}

static uint32_t ways(const struct vgic_vm *vm)
{
	return vm->msi_cache_mask ? 2 : 1;
}

static bool matches(const struct vgic_msi_cache_entry *e, uint32_t its,
		    uint32_t devid, uint32_t eventid)
{
	return e->valid && e->eventid == eventid && e->devid == devid &&
	       e->its == its;
}

/* A hit in the second way moves to the first: way 0 is the most recently
 * used, way 1 the one a fill evicts. */
bool vgic_msi_cache_lookup(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			   uint32_t eventid, struct vgic_its_xlate *x)
{
	struct vgic_msi_cache_entry *set =
		&vm->msi_cache[slot_of(vm, its, devid, eventid)];

	VGIC_MUST_HOLD(&vm->lpi_lock);
	for (uint32_t w = 0; w < ways(vm); w++) {
		if (!matches(&set[w], its, devid, eventid))
			continue;
		x->intid = set[w].intid;
		x->icid = set[w].icid;
		if (w) {
			struct vgic_msi_cache_entry hit = set[w];
			set[1] = set[0];
			set[0] = hit;
		}
		return true;
	}
	return false;
}

void vgic_msi_cache_fill(struct vgic_vm *vm, uint32_t its, uint32_t devid,
			 uint32_t eventid, const struct vgic_its_xlate *x)
{
	struct vgic_msi_cache_entry *set =
		&vm->msi_cache[slot_of(vm, its, devid, eventid)];

	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (ways(vm) > 1)
		set[1] = set[0];
	set[0] = (struct vgic_msi_cache_entry){
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
	struct vgic_msi_cache_entry *set =
		&vm->msi_cache[slot_of(vm, its, devid, eventid)];

	VGIC_MUST_HOLD(&vm->lpi_lock);
	for (uint32_t w = 0; w < ways(vm); w++)
		if (matches(&set[w], its, devid, eventid))
			set[w].valid = 0;
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
