/* SPDX-License-Identifier: MIT */
/*
 * The oracle's ITS runs (--its): LPIs enabled on every redistributor,
 * the ITS's tables and command queue in guest RAM, then seeded random
 * ITS commands, LPI property changes, MSIs through GITS_TRANSLATER and
 * some of the plain runs' GICD/GICR steps, all applied to QEMU's ITS
 * (its=on), to libvgic's and to the software model's physical ITS
 * (model_its_*, its MSIs by model_its_msi with DeviceID 0). After each
 * batch of commands: GITS_CREADR (with Stalled) and GITS_CWRITER, the
 * pending state of 128 LPIs at every redistributor (QEMU's pending
 * tables in guest RAM against vgic_irq_state and the model's
 * Redistributor state) and every CPU's HPPI.
 *
 * Each GIC writes its own table entry formats (IMPLEMENTATION DEFINED)
 * into its own copy of guest RAM, so only what the oracle writes is
 * mirrored into all three: the property table, the level-1 table
 * entries, the command queue. (The model keeps its device and
 * collection tables inside the ITS; its ITTs are in its copy.)
 *
 * A shadow of the mappings (devices, events, collections), kept by the
 * architecture's rules as the commands are generated, steers the
 * generator away from the cases where the architecture lets QEMU and
 * libvgic differ (see README.md, "ITS runs") and tracks which LPIs'
 * configuration each redistributor may still hold from before a property
 * table change: the architecture lets a redistributor cache it until an
 * INV or INVALL, QEMU caches only its highest-priority pending LPI and
 * libvgic every LPI it holds, so an HPPI difference that involves such an
 * LPI is excused ("lpi-config-stale").
 *
 * The model's IMPLEMENTATION DEFINED widths are narrower than QEMU's (8
 * DeviceID and 14 INTID bits, model.h): it ignores the commands of the
 * pool's devices from 256 and MAPTI of LPIs from 16384, and has no LPI
 * from 16384. Two more mirrors of the mappings, by QEMU's rules and by
 * the model's, follow what each ITS has run (their queues part when QEMU
 * stalls on a command the model ignores); where the two translate a
 * command or an MSI apart, the LPIs it reaches at each redistributor may
 * differ in pending state ("its-narrower") until both sides agree on
 * them again, and so may an LPI that MOVI or MOVALL moved to a
 * redistributor without LPIs ("move-to-disabled": QEMU keeps it, the
 * model drops it). Only those bits are excused; every other LPI of the
 * model is compared with QEMU's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

/* ------------------------------------------------------- guest RAM */

#define M_PROP 0x000000u		     /* LPI property table, 64 KiB */
#define M_QUEUE 0x010000u		     /* command queue, <= 64 KiB */
#define M_DT 0x020000u			     /* device table (or L1), 128 KiB */
#define M_CT 0x040000u			     /* collection table (or L1) */
#define M_L2(k) (0x060000u + (k)*0x10000u)   /* L2 pages, k < 8 */
#define M_PEND(c) (0x100000u + (c)*0x10000u) /* 64 KiB aligned */
/* One ITT per device of the pool, room for EventIDs up to 8255 with
 * QEMU's 12-byte entries: no two devices share ITT memory (that would
 * be UNPREDICTABLE: each device's ITT is its own). */
#define M_ITT(d) (0x200000u + (d)*0x20000u)
#define NR_DEVS 12 /* ITTs up to 0x380000, inside OR_RAM_SIZE */

static uint64_t ram(uint32_t off)
{
	return OR_RAM_BASE + off;
}

/* ------------------------------------------------------- registers */

#define GITS_CTLR 0x0000
#define GITS_IIDR 0x0004
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_PIDR2 0xffe8
#define GITS_TRANSLATER 0x0040 /* in the translation frame */
#define GICR_CTLR 0x0000
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078

#define VALID (1ULL << 63)
#define INDIRECT (1ULL << 62)

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

/* ---------------------------------------------- LPIs and events */

/* The LPIs watched: 64 from 8192 and 64 from 16384 (beyond the tables
 * of a redistributor whose GICR_PROPBASER.IDbits is 13). */
#define NR_LPIS 128
#define NR_EVS 192 /* EventIDs 0..127 and 8192..8255 (MAPI's LPIs) */
#define NO_RD 0xffffu

static uint32_t lpi_of(unsigned i)
{
	return i < 64 ? OR_FIRST_LPI + i : 16384u + (i - 64);
}

static int lpi_index(uint32_t intid)
{
	if (intid >= OR_FIRST_LPI && intid < OR_FIRST_LPI + 64)
		return (int)(intid - OR_FIRST_LPI);
	if (intid >= 16384 && intid < 16384 + 64)
		return (int)(intid - 16384 + 64);
	return -1;
}

/* The EventIDs generated, as shadow indices; others (>= 2^16) are
 * beyond every device's ITT size. */
static int ev_index(uint32_t ev)
{
	if (ev < 128)
		return (int)ev;
	if (ev >= OR_FIRST_LPI && ev < OR_FIRST_LPI + 64)
		return (int)(ev - OR_FIRST_LPI + 128);
	return -1;
}

/* ------------------------------------------------------- the run */

struct sdev {
	bool valid;
	uint8_t size; /* MAPD Size: EventIDs < 2^(size+1) */
	bool bad_itt; /* ITT outside guest RAM: ITE accesses fail */
};

struct site {
	bool valid;
	uint32_t intid;
	uint16_t icid;
};

/* The mappings (devices, events, collections) as one ITS holds them. */
struct its_map {
	struct sdev dev[NR_DEVS];
	struct site ite[NR_DEVS][NR_EVS];
	uint16_t coll[MODEL_ITS_NR_COLLECTIONS];
};

/*
 * Whose rules a mirror of the mappings follows. QEMU's are libvgic's
 * too for every command generated (the generator avoids the others).
 * The model (model.h) has narrower IMPLEMENTATION DEFINED widths: 8
 * DeviceID bits (every DeviceID of the pool beyond 0..7 is 256 or more:
 * the model ignores their commands) and 14 INTID bits (a MAPTI of an LPI
 * from 16384 is ignored, and the event keeps its old mapping there).
 */
enum rules { QEMU_RULES, MODEL_RULES };

/* What a queued command does when it runs, for the shadow. */
enum action_kind { ACT_NONE, ACT_STALL, ACT_INV, ACT_INVALL };

struct action {
	uint8_t kind;
	uint16_t rd;
	int lpi; /* ACT_INV: lpi_index, or -1 */
};

/* What a command or an MSI does to LPIs when it runs on one side. */
enum effect_kind {
	EFF_NONE,
	EFF_STALL,  /* the queue stalls on it (a memory error) */
	EFF_SET,    /* INT, MSI: `intid` pending at `rd` */
	EFF_CLEAR,  /* CLEAR, DISCARD */
	EFF_MOVE,   /* MOVI: `intid` from `rd` to `to` */
	EFF_MOVALL, /* every LPI from `rd` to `to` */
	EFF_INV,    /* `intid`'s configuration reloaded at `rd` */
	EFF_INVALL, /* every LPI's at `rd` */
};

struct effect {
	uint8_t kind;
	uint16_t rd, to;
	uint32_t intid;
};

/* A queued command: what it was generated as, and the QEMU shadow's
 * action decided then. */
struct qcmd {
	uint64_t c[4];
	int d; /* device pool index, or -1 */
	struct action a;
};

#define MAX_QUEUE 2048 /* 64 KiB of commands */

struct its_run {
	/* geometry, per run */
	uint32_t devid[NR_DEVS];
	bool covered[NR_DEVS]; /* the device table has its entry */
	uint32_t ncoll;	       /* libvgic's collections: 2^CIDbits */
	uint32_t qemu_ct;      /* QEMU's collection table entries */
	uint32_t queue_slots;
	uint64_t cbaser;
	uint8_t prop_idbits; /* GICR_PROPBASER.IDbits */
	/* state */
	uint32_t cwriter; /* byte offset */
	bool enabled;
	bool lpis_on[OR_MAX_CPUS];
	bool stalled; /* the shadow's queue is stalled */
	bool sticky;  /* QEMU's Stalled bit stays set after a retry */
	/* The mappings once every queued command has run (steers the
	 * generator), and as QEMU's and the model's ITSs hold them now. */
	struct its_map gen, qx, mx;
	uint64_t dirty[OR_MAX_CPUS][2]; /* config maybe stale there */
	struct qcmd fifo[MAX_QUEUE];
	unsigned head, len; /* commands queued, not yet run (QEMU) */
	/* The model's queue: it may run past a command QEMU stalls on
	 * (one the model ignores), never the other way. */
	unsigned mhead, mlen;
	bool mstalled;
	/* The model's LPIs 8192..8255 at each redistributor whose pending
	 * state may differ from QEMU's, by cause (LX_NARROWER: a command
	 * or MSI the two translated apart; LX_MOVE: moved to a
	 * redistributor without LPIs); and the ones whose configuration
	 * the model may hold from before a property change (one cache for
	 * all redistributors, as CommonLPIAff == 0). */
	uint64_t taint[NR_LX][OR_MAX_CPUS];
	uint64_t mdirty;
	unsigned long cmds, stalls, recoveries, holds;
	unsigned long diverged, ahead; /* translated apart; model ahead */
};

/* ---------------------------------------------------- helpers */

static uint64_t dw0(uint8_t op, uint32_t devid)
{
	return op | (uint64_t)devid << 32;
}

static uint16_t map_rd(const struct its_map *m, uint32_t icid, uint32_t ncoll)
{
	return icid < ncoll ? m->coll[icid] : NO_RD;
}

static bool rd_takes(const struct its_run *t, uint16_t rd, uint32_t intid)
{
	return rd != NO_RD && t->lpis_on[rd] &&
	       intid < 1u << (t->prop_idbits + 1);
}

static void dirty_clear(struct its_run *t, uint16_t rd, int lpi)
{
	if (rd == NO_RD || !t->lpis_on[rd])
		return;
	if (lpi < 0) {
		t->dirty[rd][0] = t->dirty[rd][1] = 0;
		return;
	}
	t->dirty[rd][lpi / 64] &= ~(1ULL << (lpi % 64));
}

/* ------------------------------------------- LPIs on both sides */

/* Does `rd` take `intid` on that side: a set or clear changes it. */
static bool side_takes(const struct its_run *t, enum rules ru, uint16_t rd,
		       uint32_t intid)
{
	return rd_takes(t, rd, intid) && intid >= OR_FIRST_LPI &&
	       (ru == QEMU_RULES || intid < OR_FIRST_LPI + MODEL_NR_LPIS);
}

/* Bit of a watched LPI the model has (8192..8255), or 0. */
static uint64_t model_bit(uint32_t intid)
{
	int i = lpi_index(intid);

	return i >= 0 && i < 64 ? 1ULL << i : 0;
}

/* Taint of every cause at a redistributor, its bits `bits` */
static void taint_move(struct its_run *t, uint16_t from, uint16_t to,
		       uint64_t bits)
{
	for (int k = 0; k < NR_LX; k++) {
		t->taint[k][to] |= t->taint[k][from] & bits;
		t->taint[k][from] &= ~bits;
	}
}

static void taint_clear(struct its_run *t, uint16_t rd, uint64_t bits)
{
	for (int k = 0; k < NR_LX; k++)
		t->taint[k][rd] &= ~bits;
}

/* One side alone changed pending state: where it did, the sides may
 * now differ. */
static void apply_alone(struct its_run *t, enum rules ru,
			const struct effect *e)
{
	uint64_t bit = model_bit(e->intid);
	uint64_t *narrow = t->taint[LX_NARROWER];

	switch (e->kind) {
	case EFF_SET:
	case EFF_CLEAR:
		if (side_takes(t, ru, e->rd, e->intid))
			narrow[e->rd] |= bit;
		break;
	case EFF_MOVE:
		if (e->rd != e->to) {
			narrow[e->rd] |= bit;
			narrow[e->to] |= bit;
		}
		break;
	case EFF_MOVALL:
		if (e->rd != e->to)
			narrow[e->rd] = narrow[e->to] = ~0ULL;
		break;
	default:
		break;
	}
}

/* Both sides did the same: a set or clear makes them agree there, a
 * move carries what differed along. To a redistributor without LPIs,
 * QEMU 7.2 moves nothing (CONSTRAINED UNPREDICTABLE, its choice) while
 * the model moves the pending state and drops it there (model.h). */
static void apply_both(struct its_run *t, const struct effect *e)
{
	uint64_t bit = model_bit(e->intid);

	switch (e->kind) {
	case EFF_SET:
	case EFF_CLEAR:
		if (side_takes(t, MODEL_RULES, e->rd, e->intid))
			taint_clear(t, e->rd, bit);
		break;
	case EFF_MOVE:
	case EFF_MOVALL:
		if (e->kind == EFF_MOVALL)
			bit = ~0ULL;
		if (e->rd == e->to || !t->lpis_on[e->rd])
			break;
		if (!t->lpis_on[e->to])
			t->taint[LX_MOVE][e->rd] |= bit;
		else
			taint_move(t, e->rd, e->to, bit);
		break;
	default:
		break;
	}
}

/* The model's configuration cache: INV and INVALL at any redistributor
 * with LPIs reload it for all. */
static void model_config_effect(struct its_run *t, const struct effect *e)
{
	if ((e->kind != EFF_INV && e->kind != EFF_INVALL) || !t->lpis_on[e->rd])
		return;
	if (e->kind == EFF_INVALL)
		t->mdirty = 0;
	else
		t->mdirty &= ~model_bit(e->intid);
}

static bool same_effect(const struct effect *a, const struct effect *b)
{
	return a->kind == b->kind && a->rd == b->rd && a->to == b->to &&
	       a->intid == b->intid;
}

/* What QEMU's and the model's ITS did at once (q and m, or NULL for a
 * side that did nothing). */
static void apply_effects(struct its_run *t, const struct effect *q,
			  const struct effect *m)
{
	if (m)
		model_config_effect(t, m);
	if (q && m && same_effect(q, m)) {
		apply_both(t, q);
		return;
	}
	if ((q && q->kind >= EFF_SET && q->kind <= EFF_MOVALL) ||
	    (m && m->kind >= EFF_SET && m->kind <= EFF_MOVALL))
		t->diverged++;
	if (q)
		apply_alone(t, QEMU_RULES, q);
	if (m)
		apply_alone(t, MODEL_RULES, m);
}

/* ---------------------------------------------------- the shadow */

/* Does a command stall on a side's mappings (a memory error: its ITE
 * is outside guest RAM)? Checked first, so that a stalled command
 * changes nothing. */
static bool cmd_stalls(const struct its_run *t, const struct its_map *m,
		       enum rules ru, const uint64_t c[4], int d)
{
	bool model = ru == MODEL_RULES;
	uint8_t op = (uint8_t)c[0];
	uint32_t ev = (uint32_t)c[1];
	int ei = ev_index(ev);
	const struct sdev *dv = d >= 0 ? &m->dev[d] : NULL;
	bool known = d >= 0 && (model ? t->devid[d] < MODEL_ITS_NR_DEVICES
				      : t->covered[d]);
	uint32_t ncoll = model ? MODEL_ITS_NR_COLLECTIONS : t->ncoll;
	uint32_t lpi_end =
		model ? OR_FIRST_LPI + MODEL_NR_LPIS : 1u << OR_LPI_ID_BITS;

	if (!known || !dv->valid || !dv->bad_itt || ei < 0 ||
	    (uint64_t)ev >= 1ULL << (dv->size + 1))
		return false;
	switch (op) {
	case CMD_MAPTI:
	case CMD_MAPI: {
		/* the ITE is written after the other checks */
		uint32_t intid = op == CMD_MAPI ? ev : (uint32_t)(c[1] >> 32);
		return intid >= OR_FIRST_LPI && intid < lpi_end &&
		       (c[2] & 0xffff) < ncoll;
	}
	case CMD_MOVI:
	case CMD_INT:
	case CMD_CLEAR:
	case CMD_INV:
	case CMD_DISCARD:
		return true; /* the ITE is read first */
	default:
		return false;
	}
}

/*
 * Apply one command to a mirror of the mappings by one side's rules and
 * say what it does to LPIs (`e`). With QEMU's rules, as both QEMU's and
 * libvgic's ITSs will run it (queued commands run in order, and nothing
 * else changes the mappings meanwhile); returns false, changing
 * nothing, for a command whose outcome the architecture leaves open
 * between QEMU and libvgic: the generator then makes another. The
 * model's rules leave nothing open.
 */
static bool map_cmd(const struct its_run *t, struct its_map *m, enum rules ru,
		    const uint64_t c[4], int d, struct effect *e)
{
	bool model = ru == MODEL_RULES;
	uint8_t op = (uint8_t)c[0];
	uint32_t ev = (uint32_t)c[1];
	int ei = ev_index(ev);
	struct sdev *dv = d >= 0 ? &m->dev[d] : NULL;
	/* the device table covers it; the model's 8 DeviceID bits */
	bool known = d >= 0 && (model ? t->devid[d] < MODEL_ITS_NR_DEVICES
				      : t->covered[d]);
	bool dev_ok = known && dv->valid && ei >= 0 &&
		      (uint64_t)ev < 1ULL << (dv->size + 1);
	uint32_t ncoll = model ? MODEL_ITS_NR_COLLECTIONS : t->ncoll;
	uint32_t lpi_end =
		model ? OR_FIRST_LPI + MODEL_NR_LPIS : 1u << OR_LPI_ID_BITS;

	*e = (struct effect){EFF_NONE, NO_RD, NO_RD, 0};
	if (cmd_stalls(t, m, ru, c, d)) {
		e->kind = EFF_STALL;
		return true;
	}
	switch (op) {
	case CMD_MAPD: {
		bool v = c[2] >> 63;
		uint8_t size = (uint8_t)(c[1] & 0x1f);
		if (!model && !v && size > 15)
			return false; /* QEMU checks Size even to unmap */
		if (!known || (v && size > 15))
			break;
		dv->valid = v;
		dv->size = size;
		dv->bad_itt = (c[2] & 0x000fffffffffff00ULL) >= OR_BAD_GPA;
		break;
	}
	case CMD_MAPC: {
		uint32_t icid = (uint32_t)(c[2] & 0xffff);
		uint64_t rd = c[2] >> 16 & 0xfffffffffULL;
		bool v = c[2] >> 63;
		if (icid >= ncoll || (v && rd >= or_nr_cpus))
			break;
		m->coll[icid] = v ? (uint16_t)rd : NO_RD;
		break;
	}
	case CMD_MAPTI:
	case CMD_MAPI: {
		uint32_t intid = op == CMD_MAPI ? ev : (uint32_t)(c[1] >> 32);
		uint32_t icid = (uint32_t)(c[2] & 0xffff);
		if (!dev_ok || intid < OR_FIRST_LPI || intid >= lpi_end ||
		    icid >= ncoll)
			break;
		m->ite[d][ei] = (struct site){true, intid, (uint16_t)icid};
		break;
	}
	case CMD_MOVI:
	case CMD_INT:
	case CMD_CLEAR:
	case CMD_INV:
	case CMD_DISCARD: {
		if (!dev_ok)
			break;
		struct site *s = &m->ite[d][ei];
		if (!s->valid)
			break;
		uint16_t rd = map_rd(m, s->icid, ncoll);
		if (op == CMD_MOVI) {
			uint32_t icid = (uint32_t)(c[2] & 0xffff);
			uint16_t to = map_rd(m, icid, ncoll);
			/* An event whose collection is unmapped: QEMU
			 * ignores MOVI, libvgic moves it (the model
			 * ignores it). */
			if (!model && rd == NO_RD && to != NO_RD)
				return false;
			if (rd == NO_RD || to == NO_RD)
				break;
			s->icid = (uint16_t)icid;
			*e = (struct effect){EFF_MOVE, rd, to, s->intid};
		} else if (op == CMD_DISCARD) {
			/* QEMU keeps the ITE when the collection is
			 * unmapped; libvgic (and GIC-600) discard it, and
			 * so does the model. */
			if (!model && rd == NO_RD)
				return false;
			s->valid = false;
			if (rd != NO_RD)
				*e = (struct effect){EFF_CLEAR, rd, NO_RD,
						     s->intid};
		} else if (rd != NO_RD) {
			uint8_t k = op == CMD_INT     ? EFF_SET
				    : op == CMD_CLEAR ? EFF_CLEAR
						      : EFF_INV;
			*e = (struct effect){k, rd, NO_RD, s->intid};
		}
		break;
	}
	case CMD_INVALL: {
		uint16_t rd = map_rd(m, (uint32_t)(c[2] & 0xffff), ncoll);
		if (rd != NO_RD)
			*e = (struct effect){EFF_INVALL, rd, NO_RD, 0};
		break;
	}
	case CMD_MOVALL: {
		uint64_t rd1 = c[2] >> 16 & 0xfffffffffULL;
		uint64_t rd2 = c[3] >> 16 & 0xfffffffffULL;
		if (rd1 < or_nr_cpus && rd2 < or_nr_cpus)
			*e = (struct effect){EFF_MOVALL, (uint16_t)rd1,
					     (uint16_t)rd2, 0};
		break;
	}
	default:
		break;
	}
	return true;
}

/* The QEMU shadow's action for a command, from its effect. */
static struct action action_of(const struct its_run *t, const struct effect *e)
{
	struct action a = {ACT_NONE, NO_RD, -1};

	if (e->kind == EFF_STALL)
		a.kind = ACT_STALL;
	else if (e->kind == EFF_INVALL)
		a = (struct action){ACT_INVALL, e->rd, -1};
	else if (e->kind == EFF_INV && rd_takes(t, e->rd, e->intid) &&
		 lpi_index(e->intid) >= 0)
		a = (struct action){ACT_INV, e->rd, lpi_index(e->intid)};
	return a;
}

/* The next queued command runs on QEMU's side (`q`), the model's, or
 * both (their queues at the same command). */
static void run_queued(struct its_run *t, bool q, bool m)
{
	struct qcmd *qc = &t->fifo[q ? t->head : t->mhead];
	struct effect eq, em;

	if (q) {
		map_cmd(t, &t->qx, QEMU_RULES, qc->c, qc->d, &eq);
		if (qc->a.kind == ACT_INV)
			dirty_clear(t, qc->a.rd, qc->a.lpi);
		else if (qc->a.kind == ACT_INVALL)
			dirty_clear(t, qc->a.rd, -1);
		t->head = (t->head + 1) % MAX_QUEUE;
		t->len--;
	}
	if (m) {
		map_cmd(t, &t->mx, MODEL_RULES, qc->c, qc->d, &em);
		t->mhead = (t->mhead + 1) % MAX_QUEUE;
		t->mlen--;
	}
	apply_effects(t, q ? &eq : NULL, m ? &em : NULL);
}

/* Run the queued commands' effects as the ITSs run them: in order,
 * until one stalls; the model may stall on fewer. */
static void drain(struct its_run *t)
{
	for (;;) {
		bool q = t->enabled && !t->stalled && t->len;
		bool m = t->enabled && !t->mstalled && t->mlen;
		if (q && t->fifo[t->head].a.kind == ACT_STALL) {
			t->stalled = true;
			t->stalls++;
			q = false;
		}
		if (m && cmd_stalls(t, &t->mx, MODEL_RULES, t->fifo[t->mhead].c,
				    t->fifo[t->mhead].d)) {
			t->mstalled = true;
			m = false;
		}
		if (!q && !m)
			return;
		if (q && m && t->len == t->mlen)
			run_queued(t, true, true);
		else if (q && (!m || t->len > t->mlen))
			run_queued(t, true, false); /* behind: alone */
		else {
			if (t->mlen < t->len || t->stalled)
				t->ahead++;
			run_queued(t, false, true);
		}
	}
}

/* Room for another command in the queue (CWRITER == CREADR is empty). */
static bool queue_room(const struct its_run *t)
{
	unsigned n = t->len > t->mlen ? t->len : t->mlen;

	return n + 1 < t->queue_slots && n + 1 < MAX_QUEUE;
}

/* Queue a command the generator made: false (nothing changes) if the
 * shadow refuses it. */
static bool shadow_cmd(struct its_run *t, const uint64_t c[4], int d)
{
	struct effect e;

	if (!map_cmd(t, &t->gen, QEMU_RULES, c, d, &e))
		return false;
	struct qcmd *qc = &t->fifo[(t->head + t->len) % MAX_QUEUE];
	memcpy(qc->c, c, sizeof(qc->c));
	qc->d = d;
	qc->a = action_of(t, &e);
	t->len++;
	t->mlen++;
	return true;
}

/* ------------------------------------------------------ commands */

static struct its_run *its(struct run *r)
{
	return r->its;
}

static void write_cmd(struct run *r, const uint64_t c[4])
{
	struct its_run *t = its(r);
	uint64_t at = ram(M_QUEUE) + t->cwriter;

	if (g.log)
		printf("its: cmd at 0x%x: %016llx %016llx %016llx %016llx "
		       "(shadow: %s)\n",
		       t->cwriter, (unsigned long long)c[0],
		       (unsigned long long)c[1], (unsigned long long)c[2],
		       (unsigned long long)c[3],
		       t->fifo[(t->head + t->len - 1) % MAX_QUEUE].a.kind ==
				       ACT_STALL
			       ? "stall"
			       : "runs");

	for (unsigned i = 0; i < 4; i++)
		op_mem(r, at + 8 * i, 8, c[i]);
	t->cwriter = (t->cwriter + 32) % (t->queue_slots * 32);
	t->cmds++;
}

/* GITS_CWRITER, 64 or 32 bits; then the shadow runs what it can. */
static void kick(struct run *r, bool retry)
{
	struct its_run *t = its(r);
	uint64_t v = t->cwriter | (retry ? 1 : 0);

	if (chance(r, 75))
		op_write(r, FRAME_GITS, 0, GITS_CWRITER, 8, v);
	else
		op_write(r, FRAME_GITS, 0, GITS_CWRITER, 4, v);
	drain(t);
}

/* Shadow index to EventID. */
static uint32_t ev_of(unsigned i)
{
	return i < 128 ? i : OR_FIRST_LPI + (i - 128);
}

/* Mostly a device the shadow has mapped, else one of the first eight
 * (which the device table covers), sometimes any of the pool. */
static uint32_t rnd_devidx(struct run *r, const struct its_run *t)
{
	if (chance(r, 60)) {
		uint32_t d = rnd_below(r, NR_DEVS);
		for (uint32_t k = 0; k < NR_DEVS; k++, d = (d + 1) % NR_DEVS)
			if (t->gen.dev[d].valid && t->covered[d])
				return d;
	}
	return chance(r, 85) ? rnd_below(r, 8) : rnd_below(r, NR_DEVS);
}

/* An event of device `d` with a valid ITE, or UINT32_MAX. */
static uint32_t mapped_event(struct run *r, const struct its_run *t, int d)
{
	unsigned e = rnd_below(r, NR_EVS);

	for (unsigned k = 0; k < NR_EVS; k++, e = (e + 1) % NR_EVS)
		if (t->gen.ite[d][e].valid)
			return ev_of(e);
	return UINT32_MAX;
}

static uint32_t rnd_event(struct run *r, const struct its_run *t, int d)
{
	unsigned w = rnd_below(r, 100);

	if (d >= 0 && w < 55) {
		uint32_t ev = mapped_event(r, t, d);
		if (ev != UINT32_MAX)
			return ev;
	}
	w = rnd_below(r, 100);
	if (w < 3) /* beyond any MAPD Size */
		return chance(r, 50) ? 0xffffffffu : 0x10000 + rnd_below(r, 64);
	if (w < 12 || (d >= 0 && t->gen.dev[d].size >= 13 && w < 40))
		return OR_FIRST_LPI + rnd_below(r, 64);
	if (w < 75)
		return rnd_below(r, 16);
	return rnd_below(r, 128);
}

static uint32_t rnd_intid(struct run *r)
{
	static const uint32_t bad[] = {0, 31, 1023, 8191, 65536, 0x80000000u};
	unsigned w = rnd_below(r, 100);

	if (w < 6)
		return bad[rnd_below(r, 6)];
	return lpi_of(w < 80 ? rnd_below(r, 64) : 64 + rnd_below(r, 64));
}

/* Valid ICIDs, or ones beyond QEMU's collection table too; never one
 * libvgic lacks that QEMU has (CIDbits is ours to choose). */
static uint32_t rnd_icid(struct run *r, const struct its_run *t)
{
	if (t->qemu_ct < 0x10000 && chance(r, 4))
		return t->qemu_ct + rnd_below(r, 0x10000 - t->qemu_ct);
	return rnd_below(r, t->ncoll);
}

/* Processor numbers, sometimes none (below 2^16: QEMU reads MAPC's
 * RDbase as 16 bits). */
static uint32_t rnd_rd(struct run *r)
{
	if (chance(r, 4))
		return or_nr_cpus + rnd_below(r, 4);
	return rnd_below(r, or_nr_cpus);
}

/* One random command, shadowed; false if it had to be dropped. */
static bool gen_cmd(struct run *r)
{
	struct its_run *t = its(r);
	uint64_t c[4] = {0, 0, 0, 0};
	unsigned w = rnd_below(r, 100);
	int d = (int)rnd_devidx(r, t);
	uint32_t dev = t->devid[d];
	uint32_t ev = rnd_event(r, t, d);

	if (w < 10) { /* MAPD */
		bool v = chance(r, 92);
		uint8_t size;
		unsigned sw = rnd_below(r, 100);
		if (sw < 55)
			size = (uint8_t)(1 + rnd_below(r, 5));
		else if (sw < 75)
			size = (uint8_t)(13 + rnd_below(r, 3));
		else if (sw < 85)
			size = 0;
		else if (sw < 95 || !v)
			size = (uint8_t)rnd_below(r, 16);
		else
			size = (uint8_t)(16 + rnd_below(r, 16));
		uint64_t itt = ram(M_ITT(d));
		if (chance(r, 1))
			itt = OR_BAD_GPA + (uint64_t)d * 0x20000;
		c[0] = dw0(CMD_MAPD, dev);
		c[1] = size;
		c[2] = (v ? VALID : 0) | itt;
	} else if (w < 17) { /* MAPC */
		bool v = chance(r, 85);
		c[0] = CMD_MAPC;
		c[2] = (v ? VALID : 0) | (uint64_t)rnd_rd(r) << 16 |
		       rnd_icid(r, t);
	} else if (w < 35) { /* MAPTI */
		c[0] = dw0(CMD_MAPTI, dev);
		c[1] = ev | (uint64_t)rnd_intid(r) << 32;
		c[2] = rnd_icid(r, t);
	} else if (w < 39) { /* MAPI */
		c[0] = dw0(CMD_MAPI, dev);
		c[1] = chance(r, 70) ? OR_FIRST_LPI + rnd_below(r, 64) : ev;
		c[2] = rnd_icid(r, t);
	} else if (w < 47) { /* MOVI */
		c[0] = dw0(CMD_MOVI, dev);
		c[1] = ev;
		c[2] = rnd_icid(r, t);
	} else if (w < 50) { /* MOVALL */
		c[0] = CMD_MOVALL;
		c[2] = (uint64_t)rnd_rd(r) << 16;
		c[3] = (uint64_t)rnd_rd(r) << 16;
	} else if (w < 56) {
		c[0] = dw0(CMD_DISCARD, dev);
		c[1] = ev;
	} else if (w < 64) {
		c[0] = dw0(CMD_INV, dev);
		c[1] = ev;
	} else if (w < 71) {
		c[0] = CMD_INVALL;
		c[2] = rnd_icid(r, t);
	} else if (w < 88) {
		c[0] = dw0(CMD_INT, dev);
		c[1] = ev;
	} else if (w < 95) {
		c[0] = dw0(CMD_CLEAR, dev);
		c[1] = ev;
	} else if (w < 98) {
		c[0] = CMD_SYNC;
		c[2] = (uint64_t)rnd_rd(r) << 16;
	} else {
		/* Not a command of a physical-only ITS: GICv4's V* ones
		 * among them. Both ignore them. */
		static const uint8_t unknown[] = {0x00, 0x02, 0x06, 0x07, 0x10,
						  0x21, 0x22, 0x25, 0x29, 0x2a,
						  0x2b, 0x2d, 0x7f, 0xff};
		c[0] = dw0(unknown[rnd_below(r, 14)], dev);
		c[1] = rnd(r);
		c[2] = rnd(r);
		c[3] = rnd(r);
		d = -1;
	}
	/* Bits no command here gives a meaning to: both ignore them. */
	if (chance(r, 5))
		c[0] |= (rnd(r) & 0xffffff) << 8;
	if (chance(r, 5) && (c[0] & 0xff) != CMD_MOVALL)
		c[3] = rnd(r);
	if (!shadow_cmd(t, c, d))
		return false;
	write_cmd(r, c);
	return true;
}

/* ------------------------------------------------------- checks */

/* The model's queue against its shadow (read directly, no operation):
 * the excuses for the model are built on it. */
static void check_model_queue(struct run *r)
{
	struct its_run *t = its(r);
	uint64_t creadr =
		sides_read(r->s, SIDE_MODEL, FRAME_GITS, 0, 0, GITS_CREADR, 8);
	bool stalled = creadr & 1;
	uint32_t pending = (t->cwriter - (uint32_t)(creadr & 0xfffe0) +
			    t->queue_slots * 32) %
			   (t->queue_slots * 32) / 32;

	if (r->failed || (stalled == t->mstalled && pending == t->mlen))
		return;
	r->diffs++;
	g.total_diffs++;
	printf("SHADOW %s seed=%lu op#%lu: the model's queue (CREADR 0x%llx, "
	       "CWRITER 0x%x) is not the shadow's (%u queued, %sstalled)\n",
	       r->name, r->seed, r->nr_ops, (unsigned long long)creadr,
	       t->cwriter, t->mlen, t->mstalled ? "" : "not ");
	t->mstalled = stalled;
}

/* What the next read of GITS_CREADR may show apart from QEMU's. */
static void creadr_conds(struct run *r)
{
	struct its_run *t = its(r);

	/* QEMU's sticky Stalled bit: libvgic and the model clear it */
	for (int sd = 0; sd < NR_SIDES && t->sticky; sd++) {
		r->next_rcond[sd] = "its-stall-sticky";
		r->next_rmask[sd] = 1;
		r->next_rset[sd] = true;
	}
	/* QEMU stalled on a command the model ignored (its-narrower): the
	 * model's queue ran on, its GITS_CREADR is elsewhere */
	if (t->mlen != t->len || t->mstalled != t->stalled) {
		r->next_rcond[SIDE_MODEL] = "its-narrower";
		r->next_rmask[SIDE_MODEL] = 0xfffe1;
		r->next_rset[SIDE_MODEL] = false;
	}
}

static void check_queue(struct run *r)
{
	struct its_run *t = its(r);

	creadr_conds(r);
	uint64_t creadr =
		op_read(r, FRAME_GITS, 0, GITS_CREADR, chance(r, 80) ? 8 : 4);
	op_read(r, FRAME_GITS, 0, GITS_CWRITER, chance(r, 80) ? 8 : 4);
	check_model_queue(r);
	/* The shadow must agree with libvgic on what ran: else its
	 * bookkeeping (and the excuses built on it) is wrong. */
	bool stalled = creadr & 1;
	uint32_t pending = (t->cwriter - (uint32_t)(creadr & 0xfffe0) +
			    t->queue_slots * 32) %
			   (t->queue_slots * 32) / 32;
	if (!r->failed && (stalled != t->stalled || pending != t->len)) {
		r->diffs++;
		g.total_diffs++;
		printf("SHADOW %s seed=%lu op#%lu: libvgic's queue "
		       "(CREADR 0x%llx, CWRITER 0x%x) is not the shadow's "
		       "(%u queued, %sstalled)\n",
		       r->name, r->seed, r->nr_ops, (unsigned long long)creadr,
		       t->cwriter, t->len, t->stalled ? "" : "not ");
		t->stalled = stalled;
		if (getenv("ORACLE_DEBUG"))
			for (int d = 0; d < NR_DEVS; d++)
				printf("  dev 0x%x: DTE (flat table) %016llx\n",
				       t->devid[d],
				       (unsigned long long)sides_mem_read(
					       r->s,
					       ram(M_DT) + 8ULL * t->devid[d]));
	}
}

static void check_lpis(struct run *r)
{
	for (uint32_t c = 0; c < or_nr_cpus; c++)
		for (uint32_t first = OR_FIRST_LPI; first <= 16384;
		     first += 8192) {
			struct op op = {OP_LPI_PEND,
					FRAME_RD,
					c,
					0,
					0,
					8,
					0,
					first,
					ram(M_PEND(c)) + first / 8};
			submit(r, &op);
		}
	op_hppi(r);
}

/* The model's taint at `cpu`, less the LPIs where it now agrees with
 * libvgic (which stands for QEMU: the two are compared): a difference
 * after that needs a new cause. Returns the pending LPIs of both. */
static uint64_t model_taint(struct run *r, uint32_t cpu)
{
	struct its_run *t = its(r);
	uint64_t mp = sides_lpi_pending(r->s, SIDE_MODEL, cpu, OR_FIRST_LPI);
	uint64_t vp = sides_lpi_pending(r->s, SIDE_VGIC, cpu, OR_FIRST_LPI);

	for (int k = 0; k < NR_LX; k++)
		t->taint[k][cpu] &= mp ^ vp;
	return mp | vp;
}

/* libvgic: an LPI pending at `cpu` whose configuration it may hold from
 * before a property change. */
const char *its_hppi_cond(struct run *r, uint32_t cpu)
{
	struct its_run *t = its(r);
	uint64_t lo = t->dirty[cpu][0], hi = t->dirty[cpu][1];

	if (!lo && !hi)
		return NULL;
	if ((lo & sides_lpi_pending(r->s, SIDE_VGIC, cpu, OR_FIRST_LPI)) ||
	    (hi & sides_lpi_pending(r->s, SIDE_VGIC, cpu, 16384)))
		return "lpi-config-stale";
	return NULL;
}

void its_model_lpis(struct run *r, uint32_t cpu, uint64_t lpis[NR_LX])
{
	struct its_run *t = its(r);
	uint64_t pending = model_taint(r, cpu);

	for (int k = 0; k < NR_LX; k++)
		lpis[k] = t->taint[k][cpu];
	/* pending on either side, with a configuration that QEMU's or
	 * the model's redistributor may hold stale */
	lpis[LX_STALE] = (t->dirty[cpu][0] | t->mdirty) & pending;
}

void its_lpi_excuse(struct run *r, uint32_t cpu, uint32_t first,
		    uint64_t mask[NR_LX])
{
	struct its_run *t = its(r);

	/* LPIs from 16384: beyond the model's 14 INTID bits */
	if (first >= OR_FIRST_LPI + MODEL_NR_LPIS) {
		mask[LX_BEYOND] = ~0ULL;
		return;
	}
	model_taint(r, cpu);
	mask[LX_NARROWER] = t->taint[LX_NARROWER][cpu];
	mask[LX_MOVE] = t->taint[LX_MOVE][cpu];
}

/* ------------------------------------------------------- steps */

static void cmd_batch(struct run *r)
{
	struct its_run *t = its(r);
	unsigned n = 1 + rnd_below(r, 6);

	for (unsigned i = 0; i < n && queue_room(t); i++)
		for (unsigned tries = 0; tries < 8 && !gen_cmd(r); tries++)
			;
	kick(r, false);
	check_queue(r);
	check_lpis(r);
}

/* An LPI's configuration byte: priority (implemented bits only, as in
 * the plain runs), RES1 bit 1, enable. Every redistributor may now hold
 * a stale copy. */
static void set_prop(struct run *r, unsigned i, uint8_t byte)
{
	struct its_run *t = its(r);

	op_mem(r, ram(M_PROP) + lpi_of(i) - OR_FIRST_LPI, 1, byte);
	for (uint32_t c = 0; c < or_nr_cpus; c++)
		t->dirty[c][i / 64] |= 1ULL << (i % 64);
	t->mdirty |= model_bit(lpi_of(i));
}

static uint8_t rnd_prop(struct run *r)
{
	return (uint8_t)((rnd(r) & 0xf8) | 2 | (chance(r, 75) ? 1 : 0));
}

/* Property changes, then mostly what a guest does next: INV of an event
 * that maps to the LPI, or INVALL of every mapped collection; sometimes
 * nothing, which leaves the redistributors' caches stale. */
static void prop_step(struct run *r)
{
	struct its_run *t = its(r);
	unsigned changed[3], n = 1 + rnd_below(r, 3);

	for (unsigned k = 0; k < n; k++) {
		changed[k] = rnd_below(r, NR_LPIS);
		set_prop(r, changed[k], rnd_prop(r));
	}
	op_hppi(r);
	unsigned w = rnd_below(r, 100);
	if (w >= 80 || !t->enabled || t->stalled)
		return;
	for (unsigned k = 0; k < n && w < 40; k++)
		for (int d = 0; d < NR_DEVS; d++)
			for (unsigned e = 0; e < NR_EVS; e++) {
				const struct site *s = &t->gen.ite[d][e];
				if (!s->valid ||
				    s->intid != lpi_of(changed[k]) ||
				    !t->gen.dev[d].valid ||
				    t->gen.dev[d].bad_itt || !t->covered[d] ||
				    !queue_room(t))
					continue;
				uint64_t c[4] = {dw0(CMD_INV, t->devid[d]),
						 ev_of(e), 0, 0};
				if (shadow_cmd(t, c, d))
					write_cmd(r, c);
			}
	/* INVALL goes to collections: a redistributor with none first
	 * gets one (an unmapped one, or ICID c), as a guest keeps one per
	 * CPU. */
	for (uint32_t c = 0; c < or_nr_cpus && w >= 40; c++) {
		uint32_t icid = t->ncoll;
		for (uint32_t i = 0; i < t->ncoll; i++)
			if (t->gen.coll[i] == c)
				icid = i;
		for (uint32_t i = 0; i < t->ncoll && icid == t->ncoll; i++)
			if (t->gen.coll[i] == NO_RD)
				icid = i;
		if (icid == t->ncoll)
			icid = c;
		uint64_t map[4] = {CMD_MAPC, 0,
				   VALID | (uint64_t)c << 16 | icid, 0};
		uint64_t inv[4] = {CMD_INVALL, 0, icid, 0};
		if (t->gen.coll[icid] != c && queue_room(t) &&
		    shadow_cmd(t, map, -1))
			write_cmd(r, map);
		if (queue_room(t) && shadow_cmd(t, inv, -1))
			write_cmd(r, inv);
	}
	kick(r, false);
	check_queue(r);
	check_lpis(r);
}

/* What device 0's MSI of EventID `ev` does on one side, now. */
static void msi_effect(const struct its_run *t, const struct its_map *m,
		       enum rules ru, uint32_t ev, struct effect *e)
{
	const struct sdev *dv = &m->dev[0];
	int ei = ev_index(ev);

	*e = (struct effect){EFF_NONE, NO_RD, NO_RD, 0};
	/* DeviceID 0: covered by QEMU's device table, below the model's
	 * 256. An ITE outside guest RAM: the MSI is lost on both. */
	if (!t->enabled || !dv->valid || dv->bad_itt || ei < 0 ||
	    (uint64_t)ev >= 1ULL << (dv->size + 1) || !m->ite[0][ei].valid)
		return;
	const struct site *s = &m->ite[0][ei];
	uint16_t rd =
		map_rd(m, s->icid,
		       ru == MODEL_RULES ? MODEL_ITS_NR_COLLECTIONS : t->ncoll);
	if (rd != NO_RD)
		*e = (struct effect){EFF_SET, rd, NO_RD, s->intid};
}

/* A vCPU's MSI: DeviceID 0 in both (IMPLEMENTATION DEFINED); for the
 * model, model_its_msi() with DeviceID 0 (sides.c). */
static void translater_step(struct run *r)
{
	struct its_run *t = its(r);
	uint32_t ev = mapped_event(r, t, 0);

	if (ev == UINT32_MAX || chance(r, 25))
		ev = rnd_event(r, t, 0);

	unsigned w = rnd_below(r, 100);

	if (w < 75)
		op_write(r, FRAME_GITS_T, 0, GITS_TRANSLATER, 4, ev);
	else if (w < 92)
		op_write(r, FRAME_GITS_T, 0, GITS_TRANSLATER, 2, ev &= 0xffff);
	else /* a width GITS_TRANSLATER does not take: ignored. (Not 8:
	      * qtest's writeq splits it into two 32-bit writes, two MSIs,
	      * where a CPU's access would fault.) */
		op_write(r, FRAME_GITS_T, 0, GITS_TRANSLATER, 1, ev & 0xff);
	if (w < 92) {
		struct effect eq, em;
		msi_effect(t, &t->qx, QEMU_RULES, ev, &eq);
		msi_effect(t, &t->mx, MODEL_RULES, ev, &em);
		apply_effects(t, &eq, &em);
	}
	check_lpis(r);
}

static void enable_its(struct run *r, bool on)
{
	struct its_run *t = its(r);

	op_write(r, FRAME_GITS, 0, GITS_CTLR, 4, on ? 1 : 0);
	t->enabled = on;
	op_read(r, FRAME_GITS, 0, GITS_CTLR, 4);
	drain(t);
	check_queue(r);
}

/* A stalled queue: the command at GITS_CREADR replaced by a SYNC, then
 * GITS_CWRITER with Retry. QEMU 7.2 keeps Stalled set afterwards (and
 * retries at every GITS_CWRITER write, stalled or not, which the oracle
 * never relies on). */
static void recover(struct run *r)
{
	struct its_run *t = its(r);

	creadr_conds(r);
	uint64_t creadr = op_read(r, FRAME_GITS, 0, GITS_CREADR, 8);
	uint64_t at = ram(M_QUEUE) + (creadr & 0xfffe0);
	uint64_t sync[4] = {CMD_SYNC, 0, 0, 0};

	for (unsigned i = 0; i < 4; i++)
		op_mem(r, at + 8 * i, 8, sync[i]);
	/* A side that has not run it yet runs the SYNC (the model may
	 * have run past it: a command it ignored). Retry restarts the
	 * model's queue too. */
	struct qcmd *qc = &t->fifo[t->head];
	memcpy(qc->c, sync, sizeof(sync));
	qc->d = -1;
	qc->a.kind = ACT_NONE;
	t->stalled = false;
	t->mstalled = false;
	t->sticky = true;
	t->recoveries++;
	kick(r, true);
	check_queue(r);
	check_lpis(r);
}

/* GITS_CBASER written again (the ITS disabled): GITS_CREADR goes to 0
 * and QEMU's sticky Stalled with it; GITS_CWRITER too, by the guest. */
static void reset_queue(struct run *r)
{
	struct its_run *t = its(r);
	bool was = t->enabled;

	if (t->len || t->stalled || t->mlen || t->mstalled)
		return;
	if (was)
		enable_its(r, false);
	op_write(r, FRAME_GITS, 0, GITS_CBASER, 8, t->cbaser);
	op_write(r, FRAME_GITS, 0, GITS_CWRITER, 8, 0);
	t->cwriter = 0;
	t->sticky = false;
	if (was)
		enable_its(r, true);
	check_queue(r);
}

/* A register of the control frame, 32 or 64 bits (the 64-bit ones). */
static void read_regs(struct run *r)
{
	static const struct {
		uint32_t off;
		bool wide;
	} regs[] = {{GITS_CTLR, false},	   {GITS_IIDR, false},
		    {GITS_TYPER, true},	   {GITS_TYPER + 4, false},
		    {GITS_CBASER, true},   {GITS_CBASER + 4, false},
		    {GITS_BASER(0), true}, {GITS_BASER(1) + 4, false},
		    {GITS_BASER(2), true}, {GITS_BASER(7) + 4, false},
		    {GITS_PIDR2, false}};
	unsigned i = rnd_below(r, sizeof(regs) / sizeof(regs[0]));

	op_read(r, FRAME_GITS, 0, regs[i].off,
		regs[i].wide && chance(r, 70) ? 8 : 4);
	if (chance(r, 10))
		op_read(r, FRAME_GITS_T, 0, GITS_TRANSLATER, 4);
}

static void enable_lpis(struct run *r, uint32_t c)
{
	struct its_run *t = its(r);

	op_write(r, FRAME_RD, c, GICR_CTLR, 4, 1);
	op_read(r, FRAME_RD, c, GICR_CTLR, 4);
	t->lpis_on[c] = true;
	/* libvgic holds no LPI there yet, QEMU rescans its tables; the
	 * model reloads its one cache (for every redistributor) */
	t->dirty[c][0] = t->dirty[c][1] = 0;
	t->mdirty = 0;
	check_lpis(r);
}

static void its_step(struct run *r)
{
	struct its_run *t = its(r);
	unsigned w = rnd_below(r, 100);

	if (t->stalled && chance(r, 50)) {
		recover(r);
		return;
	}
	if (!t->enabled && chance(r, 15)) {
		enable_its(r, true);
		return;
	}
	if (!queue_room(t) || t->len > t->queue_slots / 2) {
		/* The queue is full of commands that wait. */
		if (t->stalled)
			recover(r);
		else
			enable_its(r, true);
		return;
	}
	if (w < 45) {
		cmd_batch(r);
	} else if (w < 57) {
		prop_step(r);
	} else if (w < 67) {
		translater_step(r);
	} else if (w < 85) {
		r->no_icfgr = false;
		for (uint32_t c = 0; c < or_nr_cpus; c++)
			r->no_icfgr |= sides_held(r->s, c);
		rnd_step(r);
		op_hppi(r);
	} else if (w < 88) {
		/* disabled now and then, for a few steps */
		if (!t->enabled || chance(r, 25))
			enable_its(r, !t->enabled);
	} else if (w < 90) {
		if (t->sticky || chance(r, 10))
			reset_queue(r);
	} else if (w < 92) {
		uint32_t c = rnd_below(r, or_nr_cpus);
		if (!t->lpis_on[c])
			enable_lpis(r, c);
	} else if (w < 96) {
		/* a vCPU enters the guest with LRs full of what is pending,
		 * or comes back out */
		uint32_t c = rnd_below(r, or_nr_cpus);
		bool held = sides_held(r->s, c);
		/* in the guest about a quarter of the time: a held vCPU's
		 * HPPI goes uncompared */
		if (!held && !chance(r, 35))
			return;
		if (g.log)
			printf("its: vCPU %u %s the guest\n", c,
			       held ? "leaves" : "enters");
		if (held)
			sides_release(r->s, c);
		else
			sides_hold(r->s, c);
		t->holds++;
	} else {
		read_regs(r);
	}
}

/* ------------------------------------------------------- set-up */

static uint64_t rnd_cache(struct run *r)
{
	/* InnerCache [61:59], OuterCache [55:53], Shareability [11:10] */
	return (rnd(r) & (7ULL << 59 | 7ULL << 53 | 3ULL << 10));
}

static const uint32_t page_sizes[3] = {0x1000, 0x4000, 0x10000};

/* A device table, flat or two-level; the pool's DeviceIDs: 0..7, then
 * ones at the edges of what the table covers. */
static uint64_t setup_device_table(struct run *r, struct its_run *t)
{
	unsigned ps = rnd_below(r, 3);
	uint32_t page = page_sizes[ps];
	uint32_t per = page / 8; /* entries per page */
	uint64_t baser = VALID | rnd_cache(r) | (uint64_t)ps << 8 | ram(M_DT);

	for (uint32_t i = 0; i < 8; i++) {
		t->devid[i] = i;
		t->covered[i] = true;
	}
	if (chance(r, 50)) {
		uint32_t pages = 1 + rnd_below(r, page == 0x10000 ? 2 : 4);
		uint32_t n = pages * per;
		baser |= pages - 1;
		uint32_t edge[4] = {n - 1, n, n + 17, 0x10000};
		for (uint32_t i = 0; i < 4; i++) {
			t->devid[8 + i] = edge[i];
			t->covered[8 + i] = edge[i] < n;
		}
		return baser;
	}
	/* Two-level: one L1 page; L1[0] and L1[2] valid. Each L2 page
	 * holds `per` entries. */
	baser |= INDIRECT;
	op_mem(r, ram(M_DT), 8, VALID | ram(M_L2(0)));
	op_mem(r, ram(M_DT) + 16, 8, VALID | ram(M_L2(1)));
	uint32_t l1 = page / 8;
	uint64_t span = (uint64_t)l1 * per;
	uint32_t edge[4] = {per - 1, per + 1, 2 * per + 3,
			    span < 0x10000 ? (uint32_t)span : 0x10000};
	for (uint32_t i = 0; i < 4; i++) {
		t->devid[8 + i] = edge[i];
		t->covered[8 + i] = edge[i] < per ||
				    (edge[i] >= 2 * per && edge[i] < 3 * per);
	}
	return baser;
}

static uint64_t setup_collection_table(struct run *r, struct its_run *t)
{
	unsigned ps = rnd_below(r, 3);
	uint32_t page = page_sizes[ps];
	uint64_t baser = VALID | rnd_cache(r) | (uint64_t)ps << 8 | ram(M_CT);
	uint64_t n;

	if (chance(r, 60)) {
		n = page / 8;
	} else {
		baser |= INDIRECT;
		op_mem(r, ram(M_CT), 8, VALID | ram(M_L2(4)));
		n = (uint64_t)(page / 8) * (page / 8);
	}
	t->qemu_ct = n < 0x10000 ? (uint32_t)n : 0x10000;
	t->ncoll = 2;
	while (t->ncoll < or_nr_cpus)
		t->ncoll *= 2;
	return baser;
}

static void setup(struct run *r)
{
	struct its_run *t = its(r);
	unsigned w = rnd_below(r, 100);

	/* What a guest kernel does first: wake its redistributors, enable
	 * both groups. */
	for (uint32_t c = 0; c < or_nr_cpus; c++)
		op_write(r, FRAME_RD, c, 0x14, 4, 0);
	op_write(r, FRAME_GICD, 0, 0, 4, 3);
	/* LPI configuration of the watched LPIs */
	for (unsigned i = 0; i < NR_LPIS; i++)
		op_mem(r, ram(M_PROP) + lpi_of(i) - OR_FIRST_LPI, 1,
		       rnd_prop(r));
	t->prop_idbits = w < 60 ? 15 : w < 80 ? 14 : 13;
	/* LPIs on every redistributor, but sometimes one comes later */
	int late = chance(r, 30) ? (int)rnd_below(r, or_nr_cpus) : -1;
	for (uint32_t c = 0; c < or_nr_cpus; c++) {
		op_write(r, FRAME_RD, c, GICR_PROPBASER, 8,
			 ram(M_PROP) | t->prop_idbits |
				 (rnd(r) & (7ULL << 56 | 7ULL << 7)));
		op_write(r, FRAME_RD, c, GICR_PENDBASER, 8,
			 ram(M_PEND(c)) | (rnd(r) & (7ULL << 56 | 7ULL << 7)));
		op_read(r, FRAME_RD, c, GICR_PROPBASER, 8);
		op_read(r, FRAME_RD, c, GICR_PENDBASER, 8);
		if ((int)c != late) {
			op_write(r, FRAME_RD, c, GICR_CTLR, 4, 1);
			t->lpis_on[c] = true;
		}
		op_read(r, FRAME_RD, c, GICR_CTLR, 4);
	}
	/* The ITS */
	for (uint32_t i = 0; i < MODEL_ITS_NR_COLLECTIONS; i++)
		t->gen.coll[i] = t->qx.coll[i] = t->mx.coll[i] = NO_RD;
	uint64_t dt = setup_device_table(r, t);
	uint64_t ct = setup_collection_table(r, t);
	if (chance(r, 50)) {
		op_write(r, FRAME_GITS, 0, GITS_BASER(0), 8, dt);
	} else {
		op_write(r, FRAME_GITS, 0, GITS_BASER(0), 4, (uint32_t)dt);
		op_write(r, FRAME_GITS, 0, GITS_BASER(0) + 4, 4, dt >> 32);
	}
	op_write(r, FRAME_GITS, 0, GITS_BASER(1), 8, ct);
	unsigned qw = rnd_below(r, 100);
	uint32_t qpages = qw < 50 ? 1 : qw < 75 ? 2 : 16;
	t->queue_slots = qpages * 0x1000 / 32;
	t->cbaser = VALID | rnd_cache(r) | ram(M_QUEUE) | (qpages - 1);
	op_write(r, FRAME_GITS, 0, GITS_CBASER, 8, t->cbaser);
	op_write(r, FRAME_GITS, 0, GITS_CWRITER, 8, 0);
	for (uint32_t n = 0; n < 8; n++)
		op_read(r, FRAME_GITS, 0, GITS_BASER(n), 8);
	op_read(r, FRAME_GITS, 0, GITS_CBASER, 8);
	op_read(r, FRAME_GITS, 0, GITS_TYPER, 8);
	/* Enabled before the first commands, or after (they wait). */
	bool early = chance(r, 70);
	if (early)
		enable_its(r, true);
	/* A collection per CPU, mostly; a few devices and events. */
	for (uint32_t c = 0; c < or_nr_cpus && c < t->ncoll; c++)
		if (chance(r, 90)) {
			uint64_t cmd[4] = {CMD_MAPC, 0,
					   VALID | (uint64_t)c << 16 | c, 0};
			shadow_cmd(t, cmd, -1);
			write_cmd(r, cmd);
		}
	for (int d = 0; d < 4; d++) {
		uint64_t cmd[4] = {dw0(CMD_MAPD, t->devid[d]), 4,
				   VALID | ram(M_ITT(d)), 0};
		shadow_cmd(t, cmd, d);
		write_cmd(r, cmd);
		for (uint32_t ev = 0; ev < 8; ev++) {
			uint64_t map[4] = {dw0(CMD_MAPTI, t->devid[d]),
					   ev | (uint64_t)rnd_intid(r) << 32,
					   rnd_below(r, t->ncoll), 0};
			shadow_cmd(t, map, d);
			write_cmd(r, map);
		}
	}
	kick(r, false);
	if (!early)
		enable_its(r, true);
	check_queue(r);
	check_lpis(r);
}

/* ------------------------------------------------------- the run */

int run_its_random(unsigned long seed, unsigned long nops)
{
	struct run *r = calloc(1, sizeof(*r));
	struct its_run *t = calloc(1, sizeof(*t));
	int rc;

	if (!r || !t || run_begin(r, "its", seed)) {
		free(r);
		free(t);
		return -1;
	}
	r->its = t;
	r->random_vcpu = true;
	setup(r);
	for (unsigned long i = 0; r->nr_ops < nops && !r->failed; i++) {
		its_step(r);
		if (i % 500 == 499)
			read_all_state(r);
	}
	if (t->stalled)
		recover(r);
	for (uint32_t c = 0; c < or_nr_cpus; c++)
		sides_release(r->s, c);
	check_queue(r);
	check_lpis(r);
	struct vgic_stats st;
	sides_stats(r->s, &st);
	printf("its    seed=%-6lu commands=%lu (libvgic: %llu run, %llu "
	       "ignored, %llu stalls) msis=%llu dropped=%llu\n",
	       seed, t->cmds, (unsigned long long)st.its_cmds,
	       (unsigned long long)st.its_cmd_errors,
	       (unsigned long long)st.its_stalls, (unsigned long long)st.msis,
	       (unsigned long long)st.msi_dropped);
	printf("its    seed=%-6lu model: %llu commands ignored, %lu "
	       "translated apart from QEMU's, %lu run ahead of QEMU's "
	       "queue\n",
	       seed, (unsigned long long)sides_model_its_errors(r->s),
	       t->diverged, t->ahead);
	rc = run_end(r);
	free(t);
	free(r);
	return rc;
}
