/* SPDX-License-Identifier: MIT */
/*
 * The ITS commands (IHI 0069, "ITS commands"): MAPD, MAPC, MAPTI, MAPI,
 * MOVI, MOVALL, DISCARD, INV, INVALL, INT, CLEAR, SYNC. Each checks every
 * field, and reads every table entry it needs, before it changes
 * anything; a table write comes before the internal change it records.
 *
 * Command errors. GITS_TYPER.SEIS == 0, so an error is not reported
 * through an SError; the architecture lets the ITS either ignore the
 * command or stall the queue. Our choice, per error (codes are the
 * architecture's 0x01_<opcode>_<reason> encoding, counted and traced):
 *
 *   error                                          outcome
 *   ---------------------------------------------  --------------------
 *   command packet unreadable (its.c)              stall
 *   table entry (L1, DTE, ITE, CTE) not readable   stall
 *     or not writable
 *   0x01 DeviceID out of range: >= 2^Devbits, or   ignore
 *        not covered by the device table (flat
 *        size, L1 index, L1 entry invalid);
 *        MOVALL: RDbase1/2 not a processor
 *   0x02 MAPD Size beyond GITS_TYPER.ID_bits;      ignore
 *        MAPC, SYNC: RDbase not a processor
 *   0x03 ICID >= 2^(CIDbits + 1); MAPC: not        ignore
 *        covered by the collection table
 *   0x04 device not mapped                         ignore
 *   0x05 EventID beyond the device's MAPD Size     ignore
 *   0x06 MAPTI/MAPI pINTID not an LPI of the VM    ignore
 *   0x07 event not mapped                          ignore
 *   0x09 collection not mapped                     ignore
 *   0xff unknown command (GICv4 ones included:     ignore
 *        GITS_TYPER.Virtual == 0)
 *
 * A stall keeps GITS_CREADR at the command, with Stalled set, until the
 * guest writes GITS_CWRITER with Retry == 1. Memory errors stall because
 * the command may succeed once the memory is there; parameter errors
 * never would. (QEMU's ITS makes the same choices.)
 */
#include "its.h"

enum {
	CMD_MOVI = 0x01,
	CMD_INT = 0x03,
	CMD_CLEAR = 0x04,
	CMD_SYNC = 0x05,
	CMD_MAPD = 0x08,
	CMD_MAPC = 0x09,
	CMD_MAPTI = 0x0a,
	CMD_MAPI = 0x0b,
	CMD_INV = 0x0c,
	CMD_INVALL = 0x0d,
	CMD_MOVALL = 0x0e,
	CMD_DISCARD = 0x0f,
};

enum {
	R_DEVICE_OOR = 0x01,
	R_SIZE_OOR = 0x02, /* MAPD Size; MAPC/SYNC processor */
	R_COLLECTION_OOR = 0x03,
	R_UNMAPPED_DEVICE = 0x04,
	R_ID_OOR = 0x05,
	R_PHYSICALID_OOR = 0x06,
	R_UNMAPPED_INTERRUPT = 0x07,
	R_UNMAPPED_COLLECTION = 0x09,
	R_UNKNOWN = 0xff,
};

#define ERR(op, reason) (0x010000 | (op) << 8 | (reason))

/* Command fields (IHI 0069, the ITS command descriptions). */
static uint32_t f_devid(const uint64_t *c)
{
	return (uint32_t)(c[0] >> 32);
}

static uint32_t f_eventid(const uint64_t *c)
{
	return (uint32_t)c[1];
}

static uint32_t f_pintid(const uint64_t *c)
{
	return (uint32_t)(c[1] >> 32);
}

static uint32_t f_icid(const uint64_t *c)
{
	return (uint32_t)(c[2] & 0xffff);
}

static bool f_valid(const uint64_t *c)
{
	return c[2] >> 63;
}

/* RDbase [51:16] of a doubleword; a processor number (GITS_TYPER.PTA
 * == 0). */
static uint64_t f_rdbase(uint64_t dw)
{
	return dw >> 16 & 0xfffffffffULL;
}

static bool is_processor(const struct vgic_vm *vm, uint64_t rd)
{
	return rd < vm->nr_vcpus;
}

static uint16_t coll_rd(const struct vgic_vm *vm, const struct vgic_its *its,
			uint32_t icid)
{
	return icid < vgic_its_nr_collections(vm) ? its->coll[icid]
						  : VGIC_VCPU_NONE;
}

/* ------------------------------------------------- shared lookups */

/* The device a command names: its DTE, which must be valid. */
static int find_device(struct vgic_vm *vm, struct vgic_its *its,
		       const uint64_t *c, int op, struct vgic_its_dte *d)
{
	uint64_t gpa;

	switch (vgic_its_get_dte(vm, its, f_devid(c), d, &gpa)) {
	case ITS_MEM_ERROR:
		return VGIC_ITS_STALL;
	case ITS_NOT_COVERED:
		return ERR(op, R_DEVICE_OOR);
	case ITS_FOUND:
		break;
	}
	if (!d->valid)
		return ERR(op, R_UNMAPPED_DEVICE);
	if ((uint64_t)f_eventid(c) >= 1ULL << d->event_bits)
		return ERR(op, R_ID_OOR);
	return 0;
}

/* The mapped event a command names: its device and its ITE. */
static int find_event(struct vgic_vm *vm, struct vgic_its *its,
		      const uint64_t *c, int op, struct vgic_its_dte *d,
		      struct vgic_its_xlate *x)
{
	bool valid;
	int r = find_device(vm, its, c, op, d);

	if (r)
		return r;
	if (!vgic_its_get_ite(vm, d, f_eventid(c), &valid, x))
		return VGIC_ITS_STALL;
	return valid ? 0 : ERR(op, R_UNMAPPED_INTERRUPT);
}

/* ------------------------------------------------------- mapping */

static int cmd_mapd(struct vgic_vm *vm, struct vgic_its *its, const uint64_t *c)
{
	struct vgic_its_dte old,
		d = {
			.valid = f_valid(c),
			.event_bits = (uint8_t)((c[1] & 0x1f) + 1),
			.itt = c[2] & 0x000fffffffffff00ULL,
		};
	uint64_t gpa;

	switch (vgic_its_get_dte(vm, its, f_devid(c), &old, &gpa)) {
	case ITS_MEM_ERROR:
		return VGIC_ITS_STALL;
	case ITS_NOT_COVERED:
		return ERR(CMD_MAPD, R_DEVICE_OOR);
	case ITS_FOUND:
		break;
	}
	if (d.valid && d.event_bits > vm->cfg.its_event_bits)
		return ERR(CMD_MAPD, R_SIZE_OOR);
	if (!vgic_its_put_dte(vm, gpa, &d))
		return VGIC_ITS_STALL;
	vgic_msi_cache_drop_device(vm, vgic_its_index(vm, its), f_devid(c));
	vgic_pt_mirror_unmap(vm, its, f_devid(c), VGIC_PT_ALL_EVENTS);
	return 0;
}

static int cmd_mapc(struct vgic_vm *vm, struct vgic_its *its, const uint64_t *c,
		    uint32_t *cost)
{
	uint32_t icid = f_icid(c);
	uint64_t rd = f_rdbase(c[2]);
	uint16_t to = f_valid(c) ? (uint16_t)rd : VGIC_VCPU_NONE;

	if (icid >= vgic_its_nr_collections(vm))
		return ERR(CMD_MAPC, R_COLLECTION_OOR);
	if (f_valid(c) && !is_processor(vm, rd))
		return ERR(CMD_MAPC, R_SIZE_OOR);
	switch (vgic_its_put_cte(vm, its, icid, to)) {
	case ITS_MEM_ERROR:
		return VGIC_ITS_STALL;
	case ITS_NOT_COVERED:
		return ERR(CMD_MAPC, R_COLLECTION_OOR);
	case ITS_FOUND:
		break;
	}
	bool moved = its->coll[icid] != to;
	its->coll[icid] = to;
	if (moved)
		*cost = vgic_pt_mirror_collection(vm, its, icid);
	return 0;
}

/* MAPTI, and MAPI (pINTID = EventID). */
static int cmd_mapti(struct vgic_vm *vm, struct vgic_its *its,
		     const uint64_t *c, int op)
{
	struct vgic_its_dte d;
	struct vgic_its_xlate x = {
		.intid = op == CMD_MAPI ? f_eventid(c) : f_pintid(c),
		.icid = (uint16_t)f_icid(c),
	};
	int r = find_device(vm, its, c, op, &d);

	if (r)
		return r;
	if (x.intid < VGIC_MIN_LPI ||
	    (uint64_t)x.intid >= 1ULL << vm->cfg.lpi_id_bits)
		return ERR(op, R_PHYSICALID_OOR);
	if (x.icid >= vgic_its_nr_collections(vm))
		return ERR(op, R_COLLECTION_OOR);
	if (!vgic_its_put_ite(vm, &d, f_eventid(c), &x))
		return VGIC_ITS_STALL;
	vgic_msi_cache_drop_event(vm, vgic_its_index(vm, its), f_devid(c),
				  f_eventid(c));
	vgic_pt_mirror_map(vm, its, f_devid(c), f_eventid(c), &x);
	return 0;
}

/* -------------------------------------------------------- moving */

static int cmd_movi(struct vgic_vm *vm, struct vgic_its *its, const uint64_t *c)
{
	struct vgic_its_dte d;
	struct vgic_its_xlate x;
	int r = find_event(vm, its, c, CMD_MOVI, &d, &x);

	if (r)
		return r;
	uint32_t icid = f_icid(c);
	if (icid >= vgic_its_nr_collections(vm))
		return ERR(CMD_MOVI, R_COLLECTION_OOR);
	uint16_t to = its->coll[icid], from = coll_rd(vm, its, x.icid);
	if (to == VGIC_VCPU_NONE)
		return ERR(CMD_MOVI, R_UNMAPPED_COLLECTION);
	struct vgic_its_xlate moved = {.intid = x.intid,
				       .icid = (uint16_t)icid};
	if (!vgic_its_put_ite(vm, &d, f_eventid(c), &moved))
		return VGIC_ITS_STALL;
	vgic_msi_cache_drop_event(vm, vgic_its_index(vm, its), f_devid(c),
				  f_eventid(c));
	vgic_pt_mirror_map(vm, its, f_devid(c), f_eventid(c), &moved);
	if (from != VGIC_VCPU_NONE)
		vgic_lpi_move_locked(vm, from, to, x.intid);
	return 0;
}

static int cmd_movall(struct vgic_vm *vm, const uint64_t *c, uint32_t *cost)
{
	uint64_t from = f_rdbase(c[2]), to = f_rdbase(c[3]);

	if (!is_processor(vm, from) || !is_processor(vm, to))
		return ERR(CMD_MOVALL, R_DEVICE_OOR);
	*cost = vgic_lpi_move_all_locked(vm, (uint32_t)from, (uint32_t)to);
	return 0;
}

/* ------------------------------------------------ one event's LPI */

/* INT, CLEAR, INV: the event's LPI at its collection's redistributor. */
static int cmd_event(struct vgic_vm *vm, struct vgic_its *its,
		     const uint64_t *c, int op)
{
	struct vgic_its_dte d;
	struct vgic_its_xlate x;
	int r = find_event(vm, its, c, op, &d, &x);

	if (r)
		return r;
	uint16_t rd = coll_rd(vm, its, x.icid);
	if (rd == VGIC_VCPU_NONE)
		return ERR(op, R_UNMAPPED_COLLECTION);
	if (op == CMD_INV)
		vgic_lpi_invalidate_locked(vm, rd, x.intid, false);
	else if (!vgic_lpi_set_pending_locked(vm, rd, x.intid, op == CMD_INT,
					      NULL))
		vgic_stat_inc_locked(&vm->stats.msi_dropped);
	return 0;
}

static int cmd_discard(struct vgic_vm *vm, struct vgic_its *its,
		       const uint64_t *c)
{
	struct vgic_its_dte d;
	struct vgic_its_xlate x;
	int r = find_event(vm, its, c, CMD_DISCARD, &d, &x);

	if (r)
		return r;
	if (!vgic_its_put_ite(vm, &d, f_eventid(c), NULL))
		return VGIC_ITS_STALL;
	vgic_msi_cache_drop_event(vm, vgic_its_index(vm, its), f_devid(c),
				  f_eventid(c));
	vgic_pt_mirror_unmap(vm, its, f_devid(c), f_eventid(c));
	uint16_t rd = coll_rd(vm, its, x.icid);
	if (rd != VGIC_VCPU_NONE)
		vgic_lpi_set_pending_locked(vm, rd, x.intid, false, NULL);
	return 0;
}

static int cmd_invall(struct vgic_vm *vm, struct vgic_its *its,
		      const uint64_t *c, uint32_t *cost)
{
	uint32_t icid = f_icid(c);

	if (icid >= vgic_its_nr_collections(vm))
		return ERR(CMD_INVALL, R_COLLECTION_OOR);
	if (its->coll[icid] == VGIC_VCPU_NONE)
		return ERR(CMD_INVALL, R_UNMAPPED_COLLECTION);
	vgic_lpi_invalidate_locked(vm, its->coll[icid], 0, true);
	*cost = 1 + vm->cfg.nr_lpi_slots / 64;
	return 0;
}

/* Every command's effect is visible when it completes: nothing to wait
 * for, but RDbase is still checked. */
static int cmd_sync(struct vgic_vm *vm, const uint64_t *c)
{
	return is_processor(vm, f_rdbase(c[2])) ? 0 : ERR(CMD_SYNC, R_SIZE_OOR);
}

int vgic_its_exec(struct vgic_vm *vm, struct vgic_its *its,
		  const uint64_t cmd[4], uint32_t *cost)
{
	int op = (int)(cmd[0] & 0xff);

	*cost = 1;
	switch (op) {
	case CMD_MAPD:
		return cmd_mapd(vm, its, cmd);
	case CMD_MAPC:
		return cmd_mapc(vm, its, cmd, cost);
	case CMD_MAPTI:
	case CMD_MAPI:
		return cmd_mapti(vm, its, cmd, op);
	case CMD_MOVI:
		return cmd_movi(vm, its, cmd);
	case CMD_MOVALL:
		return cmd_movall(vm, cmd, cost);
	case CMD_INT:
	case CMD_CLEAR:
	case CMD_INV:
		return cmd_event(vm, its, cmd, op);
	case CMD_DISCARD:
		return cmd_discard(vm, its, cmd);
	case CMD_INVALL:
		return cmd_invall(vm, its, cmd, cost);
	case CMD_SYNC:
		return cmd_sync(vm, cmd);
	default:
		return ERR(op, R_UNKNOWN);
	}
}
