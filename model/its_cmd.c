/* SPDX-License-Identifier: MIT */
/*
 * The commands of the physical ITS (IHI 0069, "ITS commands"): MAPD, MAPC,
 * MAPTI, MAPI, MOVI, MOVALL, DISCARD, INV, INVALL, INT, CLEAR, SYNC.
 *
 * The device and collection tables are held in the ITS (model.h); the
 * ITT of each device is in host memory, one 8-byte entry per EventID at
 * ITT_addr + 8 * EventID: pINTID [31:0], ICID [47:32], Valid [63]. Each
 * command checks every field, and reads what it needs, before it changes
 * anything, so that an ignored or stalled command has no effect.
 *
 * Command errors (GITS_TYPER.SEIS == 0: none is reported by an SError;
 * the architecture lets the ITS ignore the command or stall). Codes are
 * the architecture's 0x01_<opcode>_<reason>:
 *
 *   0x01 DeviceID >= 2^Devbits; MOVALL: RDbase1/2 not a pCPU   ignore
 *   0x02 MAPD Size beyond GITS_TYPER.ID_bits; MAPC, SYNC:      ignore
 *        RDbase not a pCPU
 *   0x03 ICID >= GITS_TYPER.HCC                                ignore
 *   0x04 device not mapped                                     ignore
 *   0x05 EventID beyond the device's MAPD Size                 ignore
 *   0x06 MAPTI/MAPI pINTID not an LPI                          ignore
 *   0x07 event not mapped                                      ignore
 *   0x09 collection not mapped (MOVI: the old or the new one)  ignore
 *   0xff unknown command (GITS_TYPER.Virtual == 0)             ignore
 *   ITE outside host memory (read or write)                    stall
 *
 * A parameter error would fail again however often it is retried, a
 * memory error may not once the memory is there: hence the split.
 */
#include "model_internal.h"

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
	R_SIZE_OOR = 0x02,
	R_COLLECTION_OOR = 0x03,
	R_UNMAPPED_DEVICE = 0x04,
	R_ID_OOR = 0x05,
	R_PHYSICALID_OOR = 0x06,
	R_UNMAPPED_INTERRUPT = 0x07,
	R_UNMAPPED_COLLECTION = 0x09,
	R_UNKNOWN = 0xff,
};

#define ERR(op, reason) (0x010000 | (op) << 8 | (reason))

#define ITT_ADDR_MASK 0x000fffffffffff00ull /* MAPD ITT_addr [51:8] */

/* ------------------------------------------- command fields (DW0..3) */

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

/* RDbase [51:16] of a doubleword: a processor number (GITS_TYPER.PTA ==
 * 0), which is a pCPU index here. */
static uint64_t f_rdbase(uint64_t dw)
{
	return (dw >> 16) & 0xfffffffffull;
}

static bool is_pcpu(const struct model *m, uint64_t rd)
{
	return rd < m->cfg.nr_pcpus;
}

/* --------------------------------------------------------- lookups */

int model_its_coll_target(const struct model *m, uint32_t icid)
{
	if (icid >= MODEL_ITS_NR_COLLECTIONS || !m->its.coll[icid])
		return -1;
	return m->its.coll[icid] - 1;
}

static int find_device(const struct model *m, uint32_t devid, uint32_t eventid,
		       int op, const struct model_its_dte **out)
{
	const struct model_its_dte *d;

	if (devid >= MODEL_ITS_NR_DEVICES)
		return ERR(op, R_DEVICE_OOR);
	d = &m->its.dev[devid];
	if (!d->valid)
		return ERR(op, R_UNMAPPED_DEVICE);
	if ((uint64_t)eventid >= 1ull << d->event_bits)
		return ERR(op, R_ID_OOR);
	*out = d;
	return 0;
}

static uint64_t ite_pa(const struct model_its_dte *d, uint32_t eventid)
{
	return d->itt + (uint64_t)eventid * MODEL_ITE_SIZE;
}

static uint64_t ite_make(uint32_t intid, uint32_t icid)
{
	return MODEL_ITE_VALID | (uint64_t)icid << MODEL_ITE_ICID_SHIFT | intid;
}

int model_its_find_event(const struct model *m, uint32_t devid,
			 uint32_t eventid, int op, struct model_its_event *ev)
{
	const struct model_its_dte *d;
	uint64_t ite;
	int r = find_device(m, devid, eventid, op, &d);

	if (r)
		return r;
	ev->ite_pa = ite_pa(d, eventid);
	if (!model_mem_read64(m, ev->ite_pa, &ite))
		return MODEL_ITS_STALL;
	if (!(ite & MODEL_ITE_VALID))
		return ERR(op, R_UNMAPPED_INTERRUPT);
	ev->intid = (uint32_t)(ite & MODEL_ITE_INTID_MASK);
	ev->icid = (uint32_t)(ite >> MODEL_ITE_ICID_SHIFT) & 0xffff;
	return 0;
}

static int ite_write(struct model *m, uint64_t pa, uint64_t ite)
{
	return model_mem_write64(m, pa, ite) ? 0 : MODEL_ITS_STALL;
}

/* ------------------------------------------------------- mapping */

/* MAPD: V == 0 unmaps. Pending LPIs of the device stay pending. */
static int cmd_mapd(struct model *m, const uint64_t *c)
{
	uint32_t devid = f_devid(c);
	unsigned bits = (unsigned)(c[1] & 0x1f) + 1;
	struct model_its_dte *d;

	if (devid >= MODEL_ITS_NR_DEVICES)
		return ERR(CMD_MAPD, R_DEVICE_OOR);
	if (f_valid(c) && bits > MODEL_ITS_EVENT_BITS)
		return ERR(CMD_MAPD, R_SIZE_OOR);
	d = &m->its.dev[devid];
	d->valid = f_valid(c);
	d->event_bits = d->valid ? (uint8_t)bits : 0;
	d->itt = d->valid ? c[2] & ITT_ADDR_MASK : 0;
	return 0;
}

static int cmd_mapc(struct model *m, const uint64_t *c)
{
	uint32_t icid = f_icid(c);
	uint64_t rd = f_rdbase(c[2]);

	if (icid >= MODEL_ITS_NR_COLLECTIONS)
		return ERR(CMD_MAPC, R_COLLECTION_OOR);
	if (f_valid(c) && !is_pcpu(m, rd))
		return ERR(CMD_MAPC, R_SIZE_OOR);
	m->its.coll[icid] = f_valid(c) ? (uint8_t)(rd + 1) : 0;
	return 0;
}

/* MAPTI, and MAPI (pINTID = EventID). A mapped event is remapped. */
static int cmd_mapti(struct model *m, const uint64_t *c, int op)
{
	const struct model_its_dte *d;
	uint32_t eventid = f_eventid(c), icid = f_icid(c);
	uint32_t intid = op == CMD_MAPI ? eventid : f_pintid(c);
	int r = find_device(m, f_devid(c), eventid, op, &d);

	if (r)
		return r;
	if (!model_is_lpi(intid))
		return ERR(op, R_PHYSICALID_OOR);
	if (icid >= MODEL_ITS_NR_COLLECTIONS)
		return ERR(op, R_COLLECTION_OOR);
	return ite_write(m, ite_pa(d, eventid), ite_make(intid, icid));
}

/* ------------------------------------------------------- moving */

/* MOVI: the event to another collection; a pending LPI follows it to the
 * new collection's Redistributor. */
static int cmd_movi(struct model *m, const uint64_t *c)
{
	struct model_its_event ev;
	uint32_t icid = f_icid(c);
	int from, to, r;

	r = model_its_find_event(m, f_devid(c), f_eventid(c), CMD_MOVI, &ev);
	if (r)
		return r;
	if (icid >= MODEL_ITS_NR_COLLECTIONS)
		return ERR(CMD_MOVI, R_COLLECTION_OOR);
	from = model_its_coll_target(m, ev.icid);
	to = model_its_coll_target(m, icid);
	if (from < 0 || to < 0)
		return ERR(CMD_MOVI, R_UNMAPPED_COLLECTION);
	if (ite_write(m, ev.ite_pa, ite_make(ev.intid, icid)))
		return MODEL_ITS_STALL;
	model_lpi_move(m, (uint32_t)from, (uint32_t)to, ev.intid);
	return 0;
}

/* MOVALL: every pending LPI of RDbase1 to RDbase2; mappings unchanged
 * (software remaps the collections with MAPC). */
static int cmd_movall(struct model *m, const uint64_t *c)
{
	uint64_t from = f_rdbase(c[2]), to = f_rdbase(c[3]);

	if (!is_pcpu(m, from) || !is_pcpu(m, to))
		return ERR(CMD_MOVALL, R_DEVICE_OOR);
	model_lpi_move_all(m, (uint32_t)from, (uint32_t)to);
	return 0;
}

/* ------------------------------------------------ one event's LPI */

/* INT, CLEAR, INV: the event's LPI at its collection's Redistributor. */
static int cmd_event(struct model *m, const uint64_t *c, int op)
{
	struct model_its_event ev;
	int rd, r = model_its_find_event(m, f_devid(c), f_eventid(c), op, &ev);

	if (r)
		return r;
	rd = model_its_coll_target(m, ev.icid);
	if (rd < 0)
		return ERR(op, R_UNMAPPED_COLLECTION);
	if (op == CMD_INV)
		model_lpi_inv(m, (uint32_t)rd, ev.intid);
	else
		model_lpi_set_pending(m, (uint32_t)rd, ev.intid, op == CMD_INT);
	return 0;
}

/* DISCARD: unmap the event and remove its pending state. */
static int cmd_discard(struct model *m, const uint64_t *c)
{
	struct model_its_event ev;
	int rd, r;

	r = model_its_find_event(m, f_devid(c), f_eventid(c), CMD_DISCARD, &ev);
	if (r)
		return r;
	if (ite_write(m, ev.ite_pa, 0))
		return MODEL_ITS_STALL;
	rd = model_its_coll_target(m, ev.icid);
	if (rd >= 0)
		model_lpi_set_pending(m, (uint32_t)rd, ev.intid, false);
	return 0;
}

/* INVALL: the collection's Redistributor reloads every configuration;
 * with one shared cache (CommonLPIAff == 0) that is all LPIs. */
static int cmd_invall(struct model *m, const uint64_t *c)
{
	uint32_t icid = f_icid(c);
	int rd = model_its_coll_target(m, icid);

	if (icid >= MODEL_ITS_NR_COLLECTIONS)
		return ERR(CMD_INVALL, R_COLLECTION_OOR);
	if (rd < 0)
		return ERR(CMD_INVALL, R_UNMAPPED_COLLECTION);
	model_lpi_invall(m, (uint32_t)rd);
	return 0;
}

/* SYNC: every command's effect is visible when it completes, so there is
 * nothing to wait for; RDbase is still checked. */
static int cmd_sync(const struct model *m, const uint64_t *c)
{
	return is_pcpu(m, f_rdbase(c[2])) ? 0 : ERR(CMD_SYNC, R_SIZE_OOR);
}

int model_its_exec(struct model *m, const uint64_t cmd[4])
{
	int op = (int)(cmd[0] & 0xff);

	switch (op) {
	case CMD_MAPD:
		return cmd_mapd(m, cmd);
	case CMD_MAPC:
		return cmd_mapc(m, cmd);
	case CMD_MAPTI:
	case CMD_MAPI:
		return cmd_mapti(m, cmd, op);
	case CMD_MOVI:
		return cmd_movi(m, cmd);
	case CMD_MOVALL:
		return cmd_movall(m, cmd);
	case CMD_INT:
	case CMD_CLEAR:
	case CMD_INV:
		return cmd_event(m, cmd, op);
	case CMD_DISCARD:
		return cmd_discard(m, cmd);
	case CMD_INVALL:
		return cmd_invall(m, cmd);
	case CMD_SYNC:
		return cmd_sync(m, cmd);
	default:
		return ERR(op, R_UNKNOWN);
	}
}
