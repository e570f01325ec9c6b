/* SPDX-License-Identifier: MIT */
/*
 * The ITS tables in guest memory (IHI 0069, GITS_BASER<n>, "ITS tables"):
 * where the entry of an ID lives, flat or two-level. Every address comes
 * from the guest and every access goes through the host's checked
 * guest_read/guest_write; the arithmetic here only has to stay inside
 * the ranges the guest declared, which it does by bounds-checking each
 * index before it becomes an offset.
 */
#include "its.h"

/* GITS_BASER<n> fields. */
#define BASER_VALID (1ULL << 63)
#define BASER_INDIRECT (1ULL << 62)
#define BASER_PAGE_SIZE_SHIFT 8
#define BASER_SIZE_MASK 0xffULL
#define BASER_PA_MASK 0x0000fffffffff000ULL /* [47:12] */
#define BASER_PA_HI_MASK 0xf000ULL	    /* 64 KiB pages: PA[51:48] */
/* A two-level table's L1 entry: Valid [63], L2 page address [51:12]. */
#define L1_VALID (1ULL << 63)
#define L1_PA_MASK 0x000ffffffffff000ULL
#define L1_ENTRY_SIZE 8u
/* GITS_CBASER.Physical_Address [51:12]. */
#define CBASER_PA_MASK 0x000ffffffffff000ULL

static uint64_t page_size(uint64_t baser)
{
	switch ((baser >> BASER_PAGE_SIZE_SHIFT) & 3) {
	case 0:
		return 0x1000;
	case 1:
		return 0x4000;
	default:
		return 0x10000;
	}
}

/* With 64 KiB pages, bits [15:12] of the field are PA[51:48]; with
 * 16 KiB pages bits [13:12] are RES0 (IHI 0069, GITS_BASER<n>). */
uint64_t vgic_its_baser_pa(uint64_t baser)
{
	uint64_t page = page_size(baser);
	uint64_t pa = baser & BASER_PA_MASK & ~(page - 1);

	if (page == 0x10000)
		pa |= (baser & BASER_PA_HI_MASK) << 36;
	return pa;
}

uint64_t vgic_its_cbaser_pa(uint64_t cbaser)
{
	return cbaser & CBASER_PA_MASK;
}

static uint64_t table_bytes(uint64_t baser)
{
	return ((baser & BASER_SIZE_MASK) + 1) * page_size(baser);
}

/* The L2 page of a two-level table that holds entry `id`. */
static enum vgic_its_lookup level1(struct vgic_vm *vm, uint64_t baser,
				   uint32_t id, uint64_t *l2)
{
	uint64_t page = page_size(baser);
	uint64_t idx = id / (page / VGIC_ITS_ENTRY_SIZE);
	uint64_t l1;

	if (idx >= table_bytes(baser) / L1_ENTRY_SIZE)
		return ITS_NOT_COVERED;
	if (!vgic_guest_read(vm, vgic_its_baser_pa(baser) + idx * L1_ENTRY_SIZE,
			     &l1, sizeof(l1)))
		return ITS_MEM_ERROR;
	if (!(l1 & L1_VALID))
		return ITS_NOT_COVERED;
	*l2 = l1 & L1_PA_MASK & ~(page - 1);
	return ITS_FOUND;
}

enum vgic_its_lookup vgic_its_table_entry(struct vgic_vm *vm,
					  struct vgic_its *its, uint32_t n,
					  uint32_t id, uint64_t *gpa)
{
	uint64_t baser = its->baser[n];

	if (!(baser & BASER_VALID))
		return ITS_NOT_COVERED;
	if (!(baser & BASER_INDIRECT)) {
		if ((uint64_t)id >= table_bytes(baser) / VGIC_ITS_ENTRY_SIZE)
			return ITS_NOT_COVERED;
		*gpa = vgic_its_baser_pa(baser) +
		       (uint64_t)id * VGIC_ITS_ENTRY_SIZE;
		return ITS_FOUND;
	}
	uint64_t l2;
	enum vgic_its_lookup r = level1(vm, baser, id, &l2);
	if (r != ITS_FOUND)
		return r;
	uint64_t per_page = page_size(baser) / VGIC_ITS_ENTRY_SIZE;
	*gpa = l2 + (id % per_page) * VGIC_ITS_ENTRY_SIZE;
	return ITS_FOUND;
}

/* ------------------------------------------------- entry formats */

/*
 * Our entries, 8 bytes little-endian (GITS_TYPER.ITT_entry_size and
 * GITS_BASER<n>.Entry_Size say 8):
 *   DTE: Valid [0], Size [5:1] (EventID bits - 1), ITT_addr [51:8]
 *   ITE: Valid [0], ICID [16:1], pINTID [63:32]
 *   CTE: Valid [0], RDbase (processor number) [16:1]
 * A guest that rewrites them behind the ITS's back gets UNPREDICTABLE
 * translations, never an access outside its memory: every field is
 * range-checked again where it is used.
 */
#define E_VALID 1ULL
#define DTE_SIZE_SHIFT 1
#define DTE_SIZE_MASK 0x1fULL
#define DTE_ITT_MASK 0x000fffffffffff00ULL
#define ITE_ICID_SHIFT 1
#define ITE_INTID_SHIFT 32
#define CTE_RD_SHIFT 1

static bool read_entry(struct vgic_vm *vm, uint64_t gpa, uint64_t *e)
{
	uint8_t b[8];

	if (!vgic_guest_read(vm, gpa, b, sizeof(b)))
		return false;
	*e = 0;
	for (unsigned i = 0; i < 8; i++)
		*e |= (uint64_t)b[i] << (8 * i);
	return true;
}

static bool write_entry(struct vgic_vm *vm, uint64_t gpa, uint64_t e)
{
	uint8_t b[8];

	for (unsigned i = 0; i < 8; i++)
		b[i] = (uint8_t)(e >> (8 * i));
	return vgic_guest_write(vm, gpa, b, sizeof(b));
}

enum vgic_its_lookup vgic_its_get_dte(struct vgic_vm *vm, struct vgic_its *its,
				      uint32_t devid, struct vgic_its_dte *d,
				      uint64_t *gpa)
{
	uint64_t e;

	if (devid >= 1ULL << vm->cfg.its_device_bits)
		return ITS_NOT_COVERED;
	enum vgic_its_lookup r = vgic_its_table_entry(
		vm, its, VGIC_ITS_BASER_DEVICE, devid, gpa);
	if (r != ITS_FOUND)
		return r;
	if (!read_entry(vm, *gpa, &e))
		return ITS_MEM_ERROR;
	d->valid = e & E_VALID;
	d->event_bits = (uint8_t)((e >> DTE_SIZE_SHIFT & DTE_SIZE_MASK) + 1);
	d->itt = e & DTE_ITT_MASK;
	/* A Size the guest could not have given MAPD: no device. */
	if (d->event_bits > vm->cfg.its_event_bits)
		d->valid = false;
	return ITS_FOUND;
}

bool vgic_its_put_dte(struct vgic_vm *vm, uint64_t gpa,
		      const struct vgic_its_dte *d)
{
	uint64_t e = 0;

	if (d->valid)
		e = E_VALID | (uint64_t)(d->event_bits - 1) << DTE_SIZE_SHIFT |
		    (d->itt & DTE_ITT_MASK);
	return write_entry(vm, gpa, e);
}

static uint64_t ite_gpa(const struct vgic_its_dte *d, uint32_t eventid)
{
	return d->itt + (uint64_t)eventid * VGIC_ITS_ENTRY_SIZE;
}

bool vgic_its_get_ite(struct vgic_vm *vm, const struct vgic_its_dte *d,
		      uint32_t eventid, bool *valid, struct vgic_its_xlate *x)
{
	uint64_t e;

	if (!read_entry(vm, ite_gpa(d, eventid), &e))
		return false;
	x->icid = (uint16_t)(e >> ITE_ICID_SHIFT);
	x->intid = (uint32_t)(e >> ITE_INTID_SHIFT);
	*valid = (e & E_VALID) && x->icid < vgic_its_nr_collections(vm) &&
		 x->intid >= VGIC_MIN_LPI;
	return true;
}

bool vgic_its_put_ite(struct vgic_vm *vm, const struct vgic_its_dte *d,
		      uint32_t eventid, const struct vgic_its_xlate *x)
{
	uint64_t e = 0;

	if (x)
		e = E_VALID | (uint64_t)x->icid << ITE_ICID_SHIFT |
		    (uint64_t)x->intid << ITE_INTID_SHIFT;
	return write_entry(vm, ite_gpa(d, eventid), e);
}

enum vgic_its_lookup vgic_its_put_cte(struct vgic_vm *vm, struct vgic_its *its,
				      uint32_t icid, uint16_t rd)
{
	uint64_t gpa, e = 0;

	if (icid >= vgic_its_nr_collections(vm))
		return ITS_NOT_COVERED;
	enum vgic_its_lookup r = vgic_its_table_entry(
		vm, its, VGIC_ITS_BASER_COLLECTION, icid, &gpa);
	if (r != ITS_FOUND)
		return r;
	if (rd != VGIC_VCPU_NONE)
		e = E_VALID | (uint64_t)rd << CTE_RD_SHIFT;
	return write_entry(vm, gpa, e) ? ITS_FOUND : ITS_MEM_ERROR;
}
