/* SPDX-License-Identifier: MIT */
/*
 * LPIs and the virtual ITS facing a hostile guest (IHI 0069, "LPIs" and
 * "The ITS"; the ITS's IMPLEMENTATION DEFINED choices are the library's
 * design contract: table entry formats, error handling, the MSI cache).
 *
 * An input is a configuration (2-4 vCPUs, 1-2 ITSs, a small LPI store,
 * DeviceID/EventID widths, cache size) and a stream of operations:
 *   - GITS accesses of every width at any offset of both frames, and
 *     macros: program an ITS (BASER0/1, CBASER, enable), queue commands
 *     (write 32-byte packets at CWRITER, then move CWRITER);
 *   - GICR LPI registers (PROPBASER, PENDBASER with and without PTZ,
 *     EnableLPIs, SETLPIR, CLRLPIR, INVLPIR, INVALLR, SYNCR);
 *   - writes of guest RAM aimed at what matters: queue slots (well-formed
 *     commands of every opcode with fuzzer fields, or garbage), DTEs, L1
 *     entries of two-level tables, ITEs, CTEs, property and pending
 *     tables, or anywhere;
 *   - vgic_inject_msi and vCPU writes of GITS_TRANSLATER;
 *   - world switches on two pCPUs of the model, the guests acknowledging,
 *     EOIing and deactivating what they like.
 *
 * Guest RAM is 1 MiB at RAM_BASE; the host's guest_read/guest_write
 * refuse everything else. Checked:
 *   - every guest memory access: no access partly inside RAM, no address
 *     beyond 52 bits; the library writes RAM only where a command's
 *     result goes (the DTE, ITE or CTE the contract names) or, 1 or 64
 *     bytes at a time, into a pending table;
 *   - every command the library reads from a queue, against a reference
 *     of the contract run on the same packet and the same memory: the
 *     outcome (done, ignored with its_cmd_errors, stalled), the entry it
 *     writes, CREADR moving one command at a time without skipping, the
 *     collections it maps;
 *   - every MSI (vgic_inject_msi, GITS_TRANSLATER) against the same
 *     reference: the return code and the LPI made pending, allowing for
 *     the translation cache only what it may hold (a translation read
 *     since the event's last invalidation);
 *   - every GITS register: fixed values (TYPER, IIDR, PIDR2, BASER Type
 *     and Entry_Size), stored values and WI rules, CREADR within the
 *     queue, Stalled only with work left, Quiescent;
 *   - GICR LPI registers and the redistributor's LPI state after SETLPIR,
 *     CLRLPIR, INVLPIR, INVALLR and vgic_inject_lpi;
 *   - INV, INVALL: the cached configuration is the property table's;
 *   - every flush's LR image with LPIs (vINTID >= 8192 from the store, no
 *     HW bit, Group 1, pending only), the lists and the LPI store;
 *   - the pending state against a model of it (per redistributor and
 *     LPI, how many deliveries are owed: SETLPIR, MSIs, INT make one,
 *     CLRLPIR, CLEAR, DISCARD take it, MOVI and MOVALL move it, the guest
 *     takes it): no LPI lost, none delivered that is not owed;
 *   - at the end, liveness: the queues drain unless stalled, and every
 *     pending, enabled LPI is taken by guests that drain with interrupts
 *     unmasked; nothing stays in a pending table while the store has room.
 *
 * Where the contract leaves an outcome open (UNPREDICTABLE guest
 * behaviour: forged table entries, tables overlapping, a pending table
 * the guest writes while it is the redistributor's), the reference
 * allows every outcome, or stops predicting for that ITS or
 * redistributor; it never guesses.
 *
 * Environment: FZ_ITS_TRACE=1 prints what an input does (to analyse a
 * finding); FZ_ITS_STATS=1 prints totals at exit; FZ_ITS_SKIP=a,b skips
 * past findings' checks to bisect a new one (grp1, spill, tablebit,
 * inflight: see skip()).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---------------------------------------------------------- layout */

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1u << 20)
/* The top 64 KiB of RAM is read-only to the library (ROM-like): reads
 * work, guest_write refuses. */
#define RAM_RO (RAM_SIZE - 0x10000u)
#define NITS 2
#define LPI0 8192u
#define NO_COLL 0xffffu
#define MAX_COLL 16u
#define PA52_4K 0x000ffffffffff000ull

/* Where the biased choices put the tables (offsets into RAM). */
#define L_PROP 0x10000u
#define L_PEND(r) (0x20000u + (uint32_t)(r)*0x10000u) /* 64 KiB aligned */
#define L_ITS(i) (0x60000u + (uint32_t)(i)*0x10000u)  /* queue, tables */
#define L_CQ(i) (L_ITS(i) + 0x0000u)		      /* up to 16 KiB */
#define L_DT(i) (L_ITS(i) + 0x4000u)		      /* 16 KiB aligned */
#define L_CT(i) (L_ITS(i) + 0x8000u)
#define L_L2(i, k) (L_ITS(i) + 0xa000u + (uint32_t)(k)*0x1000u)
#define L_DT64(i) (0x80000u + (uint32_t)(i)*0x10000u) /* 64 KiB pages */
#define L_L2_64(i) (0xe0000u + (uint32_t)(i)*0x10000u)
#define L_ITT(d) (0xa0000u + ((d) % 192u) * 0x800u)

/* Register offsets. */
#define GITS_CTLR 0x0000u
#define GITS_IIDR 0x0004u
#define GITS_TYPER 0x0008u
#define GITS_CBASER 0x0080u
#define GITS_CWRITER 0x0088u
#define GITS_CREADR 0x0090u
#define GITS_BASER 0x0100u
#define GITS_PIDR2 0xffe8u
#define GITS_TRANSLATER 0x10040u

#define GICR_CTLR 0x0000u
#define GICR_TYPER 0x0008u
#define GICR_WAKER 0x0014u
#define GICR_SETLPIR 0x0040u
#define GICR_CLRLPIR 0x0048u
#define GICR_PROPBASER 0x0070u
#define GICR_PENDBASER 0x0078u
#define GICR_INVLPIR 0x00a0u
#define GICR_INVALLR 0x00b0u
#define GICR_SYNCR 0x00c0u

#define CBASER_MASK 0xb8effffffffffcffull
#define BASER_WMASK 0xf8e0ffffffffffffull
#define CWRITER_OFF 0xfffe0u
#define PROPBASER_MASK 0x070fffffffffff9full
#define PENDBASER_MASK 0x070fffffffff0f80ull
#define PENDBASER_PTZ (1ull << 62)
#define PEND_PA 0x000fffffffff0000ull

/* Command opcodes. */
enum {
	C_MOVI = 0x01,
	C_INT = 0x03,
	C_CLEAR = 0x04,
	C_SYNC = 0x05,
	C_MAPD = 0x08,
	C_MAPC = 0x09,
	C_MAPTI = 0x0a,
	C_MAPI = 0x0b,
	C_INV = 0x0c,
	C_INVALL = 0x0d,
	C_MOVALL = 0x0e,
	C_DISCARD = 0x0f,
};

/* ------------------------------------------------------ target state */

/* The outcome a command may have, from the reference. */
struct pred {
	bool unknown; /* the contract leaves it open: stop predicting */
	bool ok, err, stall, ign;
	bool has_w; /* when done: one 8-byte entry written */
	uint64_t waddr, wval, wmask;
	int coll_icid; /* MAPC done: collection icid -> coll_rd */
	uint16_t coll_rd;
	int inval; /* done: drop cached translations, 1 device, 2 event */
	uint32_t d, e;
	uint8_t op;
	/* the LPI the command acts on: pINTID, old and new collection */
	bool has_t, t_ambig;
	uint32_t t_pint;
	uint16_t t_from, t_to;
	uint32_t rd1, rd2; /* MOVALL */
};

struct wr {
	uint64_t gpa, val;
};

/* The command the library read last, until its outcome is known. */
struct cmdp {
	bool active;
	uint32_t its, off;
	struct pred p;
	struct vgic_stats s0;
	uint32_t nw;
	bool w_over;
	struct wr w[4];
};

/* What the guest programmed into one ITS, as read back. */
struct its_m {
	bool en;
	uint64_t cbaser, baser[2];
	uint32_t cwriter;  /* offset */
	uint32_t creadr;   /* offset | Stalled, as last read */
	uint32_t next_off; /* where the next command must be read */
	uint16_t coll[MAX_COLL];
	bool imprecise; /* the reference lost track: check less */
	bool rewound;	/* CWRITER moved onto a stalled CREADR */
	uint32_t id[12];
	bool id_seen[12];
};

/* A translation the MSI cache may hold for (its, d, e). */
struct cand {
	uint8_t its;
	uint16_t icid;
	uint32_t d, e, pint;
};

#define NCAND 96

static struct {
	int cur_its; /* the ITS whose frame is being accessed, or -1 */
	uint32_t dirty_lo, dirty_hi;
	uint32_t cb; /* collection ID bits */
	struct its_m its[NITS];
	uint64_t propbaser[FZ_MAX_VCPUS], pendbaser[FZ_MAX_VCPUS];
	bool lpis_en[FZ_MAX_VCPUS];
	bool ptz[FZ_MAX_VCPUS]; /* PTZ of the last PENDBASER write */
	/* The guest wrote r's pending table while r had LPIs enabled (or
	 * enabled with PTZ over a table that was not zero): UNPREDICTABLE,
	 * its bits may come back as pending LPIs. */
	bool pend_taint[FZ_MAX_VCPUS];
	struct cand cand[NCAND];
	uint32_t ncand;
	struct cmdp cmd;
	uint32_t ncmd_reads; /* command packets read (for settle) */
	uint64_t nerr_cmds;  /* commands ignored during this access */
	uint64_t nint_cmds;  /* INT and CLEAR done during this access */
	bool forged;	     /* the last walk met an entry MAPD/MAPTI never
				write (UNPREDICTABLE: may count as invalid) */
	/* The LPIs' pending state, modelled: for each (redistributor, LPI)
	 * touched, how many deliveries are still owed, lo..hi (more than
	 * one when an LPI is made pending again while a running vCPU's LR
	 * holds it: the guest may take it before or after). */
	struct pm_ent {
		uint8_t rd, lo, hi;
		uint8_t grace; /* of hi: only while vCPU rd's LR holds it */
		uint32_t x;
	} pm[512];
	uint32_t npm;
	bool pm_off;		      /* lost track (ambiguous, too many) */
	bool pm_rd_off[FZ_MAX_VCPUS]; /* that table is the guest's toy */
	/* INV and INVALL done in this access: configurations to check */
	struct {
		uint16_t rd;
		bool all;
		uint32_t x;
	} inv[16];
	uint32_t ninv;
} T;

/*
 * Checks of past library findings (all fixed) that can be skipped to
 * bisect a new one, with FZ_ITS_SKIP=a,b; every check is on by default:
 *   grp1       LPIs pending while GICD_CTLR.EnableGrp1 == 0 are not
 *              queued when it is set (the input then leaves it set)
 *   spill      LPIs spilled to a pending table wait for their own
 *              vCPU's next exit (the drain then runs such vCPUs)
 *   tablebit   a slot and a stale pending table bit of one LPI: CLRLPIR
 *              leaves the bit, a second delivery follows
 *   inflight   MOVI/MOVALL leave a pending state that sits in an LR at
 *              the source, also after the holder's exit
 */
static const char *skip_list;

static bool skip(const char *what)
{
	return skip_list && strstr(skip_list, what);
}

/* FZ_ITS_TRACE=1: print what an input does (to analyse a finding). */
static bool tracing;
#define TRACE(...)                                                             \
	do {                                                                   \
		if (tracing)                                                   \
			fprintf(stderr, __VA_ARGS__);                          \
	} while (0)

/* Totals over the run, for the report (FZ_ITS_STATS=1). */
static struct {
	uint64_t inputs, cmds, cmds_ok, cmds_err, cmds_stall, cmds_unknown;
	uint64_t msis, msis_checked, msis_ok, imprecise;
	uint64_t why[4]; /* cache candidates, open command, busy, MSI */
} G;

static _Alignas(64) uint8_t ram[RAM_SIZE];
static void pend_touch(uint64_t gpa, uint64_t len);
static void pm_set(uint32_t rd, uint32_t x);
static void pm_clear(uint32_t rd, uint32_t x);
static void pm_move(uint32_t from, uint32_t to, uint32_t x);
static void pm_moveall(uint32_t from, uint32_t to);
static void pm_exit(uint32_t v);
static bool rd_takes(uint32_t r, uint64_t x);
static void check_config(uint32_t r, uint32_t x);
static uint64_t its_bases[NITS] = {0x08080000ull, 0x0c000000ull};

/* ------------------------------------------------------- guest RAM */

static bool in_ram(uint64_t gpa, size_t len)
{
	return gpa >= RAM_BASE && gpa - RAM_BASE <= RAM_SIZE &&
	       len <= RAM_SIZE - (gpa - RAM_BASE);
}

/* Writable by the library: in RAM, below the read-only window. */
static bool ram_writable(uint64_t gpa, size_t len)
{
	return in_ram(gpa, len) && gpa - RAM_BASE + len <= RAM_RO;
}

static void dirty(uint32_t off, size_t len)
{
	if (off < T.dirty_lo)
		T.dirty_lo = off;
	if (off + len > T.dirty_hi)
		T.dirty_hi = (uint32_t)(off + len);
}

static bool ram_get(uint64_t gpa, void *buf, size_t len)
{
	if (!in_ram(gpa, len))
		return false;
	memcpy(buf, ram + (gpa - RAM_BASE), len);
	return true;
}

static uint64_t ram_u64(uint64_t gpa)
{
	uint8_t b[8];
	uint64_t v = 0;

	if (!ram_get(gpa, b, 8))
		return 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* The guest (the target) writes its RAM; clipped to RAM. */
static void ram_put(uint64_t gpa, const void *buf, size_t len)
{
	TRACE("ram %#llx len %zu\n", (unsigned long long)gpa, len);
	pend_touch(gpa, len);
	if (gpa < RAM_BASE || gpa - RAM_BASE >= RAM_SIZE)
		return;
	uint32_t off = (uint32_t)(gpa - RAM_BASE);
	if (len > RAM_SIZE - off)
		len = RAM_SIZE - off;
	memcpy(ram + off, buf, len);
	dirty(off, len);
}

static void ram_put64(uint64_t gpa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	ram_put(gpa, b, 8);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ---------------------------------------------------- small helpers */

static uint32_t nr_vcpus(void)
{
	return F.cfg.nr_vcpus;
}

static bool id_ok(uint64_t id, unsigned bits)
{
	return bits >= 64 || (id >> bits) == 0;
}

static uint64_t qsize(uint64_t cbaser)
{
	return ((cbaser & 0xff) + 1) * 4096u;
}

static uint64_t qbase(uint64_t cbaser)
{
	return cbaser & PA52_4K;
}

/* INTID bits in effect at redistributor r (GICR_PROPBASER.IDbits + 1,
 * at most GICD_TYPER.IDbits + 1). */
static uint32_t rd_id_bits(uint32_t r)
{
	uint32_t b = (uint32_t)(T.propbaser[r] & 0x1f) + 1;

	return b < F.cfg.lpi_id_bits ? b : F.cfg.lpi_id_bits;
}

static bool rd_takes(uint32_t r, uint64_t x)
{
	uint32_t b = rd_id_bits(r);

	return T.lpis_en[r] && b >= VGIC_MIN_LPI_ID_BITS && x >= LPI0 &&
	       x < (1ull << b);
}

static uint64_t pend_base(uint32_t r)
{
	return T.pendbaser[r] & PEND_PA;
}

static uint64_t prop_base(uint32_t r)
{
	return T.propbaser[r] & PA52_4K;
}

static uint64_t pend_size(void)
{
	return (1ull << F.cfg.lpi_id_bits) / 8;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* A write of guest RAM other than the library's own pending bits. */
static void pend_touch(uint64_t gpa, uint64_t len)
{
	for (uint32_t r = 0; r < F.cfg.nr_vcpus; r++)
		if (T.lpis_en[r] &&
		    overlaps(gpa, len, pend_base(r), pend_size()))
			T.pend_taint[r] = T.pm_rd_off[r] = true;
}

/* Is LPI x pending at redistributor r as far as the library knows: in
 * the store, or in the pending table while the store overflows. A
 * pending table outside RAM holds nothing: then `unreadable` decides. */
static bool lpi_pending_or(uint32_t r, uint32_t x, bool unreadable)
{
	struct vgic_irq_state st;
	uint8_t b;

	if (vgic_irq_state(F.vm, r, x, &st) == 0 && st.pending)
		return true;
	if (!F.vm->vcpus[r].lpi_spilled)
		return false;
	if (!ram_writable(pend_base(r) + x / 8, 1) ||
	    !ram_get(pend_base(r) + x / 8, &b, 1))
		return unreadable; /* it could not be kept there */
	return (b >> (x % 8)) & 1;
}

/* Must be pending (or could not be kept anywhere). */
static bool lpi_pending(uint32_t r, uint32_t x)
{
	return lpi_pending_or(r, x, true);
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;

	FZ_CHECK(vgic_get_stats(F.vm, &s) == 0);
	return s;
}

static void set_imprecise_why(uint32_t i, unsigned why)
{
	if (!T.its[i].imprecise) {
		G.imprecise++;
		G.why[why]++;
	}
	T.its[i].imprecise = true;
	T.pm_off = true; /* its commands and MSIs: effects unknown */
}

/* ----------------------------------------- MSI cache: what it may hold */

static void cand_add(uint32_t i, uint32_t d, uint32_t e, uint32_t pint,
		     uint16_t icid)
{
	for (uint32_t k = 0; k < T.ncand; k++) {
		const struct cand *c = &T.cand[k];
		if (c->its == i && c->d == d && c->e == e && c->pint == pint &&
		    c->icid == icid)
			return;
	}
	if (T.ncand == NCAND) {
		set_imprecise_why(i, 0);
		return;
	}
	T.cand[T.ncand++] = (struct cand){(uint8_t)i, icid, d, e, pint};
}

/* Drop the candidates of an ITS (d == -1), a device (e == -1) or an
 * event: the library dropped its cache entries. */
static void cand_drop(uint32_t i, int64_t d, int64_t e)
{
	uint32_t n = 0;

	for (uint32_t k = 0; k < T.ncand; k++) {
		const struct cand *c = &T.cand[k];
		bool hit = c->its == i && (d < 0 || c->d == (uint32_t)d) &&
			   (e < 0 || c->e == (uint32_t)e);
		if (!hit)
			T.cand[n++] = *c;
	}
	T.ncand = n;
}

static uint32_t cands_of(uint32_t i, uint32_t d, uint32_t e,
			 const struct cand **out, uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t k = 0; k < T.ncand && n < max; k++)
		if (T.cand[k].its == i && T.cand[k].d == d && T.cand[k].e == e)
			out[n++] = &T.cand[k];
	return n;
}

/* ------------------------------------------ reference table walks */

/* Chain results: found, not found (a command error, no translation),
 * a memory access refused (a stall), a write refused, or open. */
enum { R_OK, R_ERR, R_STALL, R_WSTALL, R_UNK };

/* The entry of `id` in table BASER<n> (contract, "Tables"). */
static int tbl_lookup(uint64_t baser, uint64_t id, uint64_t *addr)
{
	if (!(baser >> 63))
		return R_ERR;
	unsigned ps = (baser >> 8) & 3;
	uint64_t page = ps == 0 ? 0x1000u : ps == 1 ? 0x4000u : 0x10000u;
	/* [47:12]; with 16 KiB pages [13:12] are RES0, with 64 KiB pages
	 * [15:12] hold PA[51:48] */
	uint64_t pa = baser & 0x0000fffffffff000ull & ~(page - 1);
	if (ps >= 2)
		pa |= ((baser >> 12) & 0xf) << 48;
	uint64_t n = ((baser & 0xff) + 1) * page / 8;
	if (!((baser >> 62) & 1)) {
		if (id >= n)
			return R_ERR;
		*addr = pa + id * 8;
		return R_OK;
	}
	uint64_t per = page / 8, idx = id / per, l1;
	if (idx >= n)
		return R_ERR;
	if (!in_ram(pa + idx * 8, 8))
		return R_STALL;
	l1 = ram_u64(pa + idx * 8);
	if (!(l1 >> 63))
		return R_ERR;
	uint64_t l2 = l1 & PA52_4K;
	if (l2 & (page - 1))
		return R_UNK; /* L2 page not aligned to the page size */
	*addr = l2 + (id % per) * 8;
	return R_OK;
}

/* DTE of device d: R_OK (valid), R_ERR (not covered, invalid). */
static int walk_dte(uint32_t i, uint32_t d, uint64_t *dte)
{
	uint64_t a;
	int r = tbl_lookup(T.its[i].baser[0], d, &a);

	if (r != R_OK)
		return r;
	if (!in_ram(a, 8))
		return R_STALL;
	*dte = ram_u64(a);
	if ((*dte & 1) &&
	    ((*dte >> 1) & 31) + 1 > (uint64_t)F.cfg.its_event_bits)
		T.forged = true;
	return (*dte & 1) ? R_OK : R_ERR;
}

/* ITE of (d, e); *ia is set (and *at_ite true) once the walk got as far
 * as the ITE's address. */
static int walk_ite(uint32_t i, uint32_t d, uint32_t e, uint64_t *ite,
		    uint64_t *ia, bool *at_ite)
{
	uint64_t dte = 0;
	int r = walk_dte(i, d, &dte);

	*at_ite = false;
	if (r != R_OK)
		return r;
	unsigned size = (dte >> 1) & 31;
	if ((uint64_t)e >> (size + 1))
		return R_ERR;
	*ia = (dte & 0x000fffffffffff00ull) + (uint64_t)e * 8;
	*at_ite = true;
	if (!in_ram(*ia, 8))
		return R_STALL;
	*ite = ram_u64(*ia);
	if ((*ite & 1) &&
	    (!id_ok((*ite >> 1) & 0xffff, T.cb) || (*ite >> 32) < LPI0))
		T.forged = true;
	return (*ite & 1) ? R_OK : R_ERR;
}

static uint16_t coll_of(uint32_t i, uint64_t icid)
{
	if (!id_ok(icid, T.cb) || icid >= MAX_COLL)
		return NO_COLL;
	return T.its[i].coll[icid];
}

/* ------------------------------------------------ command reference */

static void allow(struct pred *p, int r)
{
	switch (r) {
	case R_OK:
		p->ok = true;
		break;
	case R_ERR:
		p->err = true;
		break;
	case R_STALL:
	case R_WSTALL:
		p->stall = true;
		break;
	default:
		p->unknown = true;
		break;
	}
}

/*
 * P: a parameter error the command certainly has (field checks that
 * need no memory): ignored, or a stall if the library reads a refused
 * entry before it checks that field. MP: an error the contract leaves
 * open. `chain`: the outcome of the memory walk and of the write.
 */
static void finish(struct pred *p, bool P, bool MP, int chain)
{
	if (chain == R_UNK) {
		p->unknown = true;
		return;
	}
	if (P) {
		/* the entry may be read before the field is checked */
		p->err = true;
		if (chain == R_STALL || chain == R_WSTALL)
			p->stall = true;
		return;
	}
	allow(p, chain);
	if (MP || T.forged)
		p->err = true;
}

static void set_w(struct pred *p, uint64_t a, uint64_t v, uint64_t mask)
{
	p->has_w = true;
	p->waddr = a;
	p->wval = v;
	p->wmask = mask;
}

/* A write of an entry at `a`: refused outside writable RAM (a stall). */
static int wchain(struct pred *p, uint64_t a, uint64_t v, uint64_t mask)
{
	if (!ram_writable(a, 8))
		return R_WSTALL;
	set_w(p, a, v, mask);
	return R_OK;
}

/* INT, CLEAR, INV with translation (pint, icid): an error if the
 * collection is unmapped; *mp if the redistributor does not take it. */
static int eval_cmd_t(uint32_t i, uint32_t pint, uint32_t icid, bool *mp)
{
	uint16_t rd = coll_of(i, icid);

	if (rd == NO_COLL)
		return R_ERR;
	if (!rd_takes(rd, pint))
		*mp = true;
	return R_OK;
}

static void predict(uint32_t i, const uint8_t *pkt, struct pred *p)
{
	uint64_t dw[4];
	const struct cand *cs[8];

	for (int k = 0; k < 4; k++)
		dw[k] = le64(pkt + 8 * k);
	memset(p, 0, sizeof(*p));
	p->coll_icid = -1;
	uint8_t op = (uint8_t)dw[0];
	uint32_t d = (uint32_t)(dw[0] >> 32), e = (uint32_t)dw[1];
	uint32_t pint = (uint32_t)(dw[1] >> 32), size = (uint32_t)(dw[1] & 31);
	uint64_t itt = dw[2] & 0x000fffffffffff00ull;
	uint32_t icid = (uint32_t)(dw[2] & 0xffff);
	uint64_t rdb = (dw[2] >> 16) & 0xfffffffffull;
	uint64_t rd2 = (dw[3] >> 16) & 0xfffffffffull;
	bool v = dw[2] >> 63;
	unsigned db = F.cfg.its_device_bits, eb = F.cfg.its_event_bits;
	bool dev_oor = !id_ok(d, db), ev_oor = !id_ok(e, eb);
	bool icid_oor = !id_ok(icid, T.cb);
	bool rd_oor = rdb >= nr_vcpus();
	uint64_t a = 0, dte = 0, ite = 0, ia = 0;
	bool at_ite, mp = false;
	int r;

	p->d = d;
	p->e = e;
	p->op = op;
	T.forged = false;
	switch (op) {
	case C_MAPD:
		r = tbl_lookup(T.its[i].baser[0], d, &a);
		if (r == R_OK)
			r = wchain(p, a, v ? 1u | size << 1 | itt : 0, ~0ull);
		finish(p, dev_oor || (v && size + 1 > eb), !v && size + 1 > eb,
		       r);
		p->inval = 1;
		break;
	case C_MAPC:
		r = tbl_lookup(T.its[i].baser[1], icid, &a);
		if (r == R_OK)
			r = wchain(p, a, v ? 1u | rdb << 1 : 0, ~0ull);
		finish(p, icid_oor || (v && rd_oor), !v && rd_oor, r);
		if (!icid_oor && icid < MAX_COLL) {
			p->coll_icid = (int)icid;
			p->coll_rd = v ? (uint16_t)rdb : NO_COLL;
		}
		break;
	case C_MAPTI:
	case C_MAPI:
		if (op == C_MAPI)
			pint = e;
		r = walk_dte(i, d, &dte);
		if (r == R_OK) {
			uint32_t sz = (dte >> 1) & 31;
			if ((uint64_t)e >> (sz + 1))
				r = R_ERR;
			else
				r = wchain(p,
					   (dte & 0x000fffffffffff00ull) +
						   (uint64_t)e * 8,
					   1u | (uint64_t)icid << 1 |
						   (uint64_t)pint << 32,
					   ~0ull);
		}
		finish(p,
		       dev_oor || icid_oor || pint < LPI0 ||
			       !id_ok(pint, F.cfg.lpi_id_bits),
		       ev_oor, r);
		p->inval = 2;
		break;
	case C_MOVI: {
		bool P = dev_oor || coll_of(i, icid) == NO_COLL;
		r = walk_ite(i, d, e, &ite, &ia, &at_ite);
		uint32_t n = cands_of(i, d, e, cs, 8);
		if (r == R_OK) {
			cand_add(i, d, e, (uint32_t)(ite >> 32),
				 (uint16_t)(ite >> 1));
			for (uint32_t k = 0; k < n; k++)
				if (cs[k]->pint != (uint32_t)(ite >> 32) ||
				    cs[k]->icid != (uint16_t)(ite >> 1))
					p->unknown = true;
			p->has_t = true;
			p->t_pint = (uint32_t)(ite >> 32);
			p->t_from = coll_of(i, (ite >> 1) & 0xffff);
			p->t_to = coll_of(i, icid);
			r = wchain(p, ia,
				   1u | (uint64_t)icid << 1 |
					   (ite & 0xffffffff00000000ull),
				   0xffffffff0001ffffull);
		} else if (r == R_ERR && at_ite && n && !P) {
			/* a cached translation may stand for the ITE */
			r = wchain(p, ia, 1u | (uint64_t)icid << 1, 0x1ffff);
			p->err = true;
			p->t_ambig = true;
		}
		finish(p, P, ev_oor, r);
		p->inval = 2;
		break;
	}
	case C_INT:
	case C_CLEAR:
	case C_INV: {
		r = walk_ite(i, d, e, &ite, &ia, &at_ite);
		if (r == R_OK) {
			cand_add(i, d, e, (uint32_t)(ite >> 32),
				 (uint16_t)(ite >> 1));
			r = eval_cmd_t(i, (uint32_t)(ite >> 32),
				       (uint16_t)(ite >> 1), &mp);
			p->has_t = true;
			p->t_pint = (uint32_t)(ite >> 32);
			p->t_from = coll_of(i, (ite >> 1) & 0xffff);
		}
		finish(p, dev_oor, ev_oor || mp, r);
		if (!dev_oor && !p->unknown) {
			uint32_t n = cands_of(i, d, e, cs, 8);
			for (uint32_t k = 0; k < n; k++) {
				if (!p->has_t || cs[k]->pint != p->t_pint ||
				    coll_of(i, cs[k]->icid) != p->t_from)
					p->t_ambig = true;
				mp = false;
				allow(p, eval_cmd_t(i, cs[k]->pint, cs[k]->icid,
						    &mp));
				if (mp)
					p->err = true;
			}
		}
		break;
	}
	case C_DISCARD: {
		r = walk_ite(i, d, e, &ite, &ia, &at_ite);
		uint32_t n = cands_of(i, d, e, cs, 8);
		if (r == R_OK) {
			cand_add(i, d, e, (uint32_t)(ite >> 32),
				 (uint16_t)(ite >> 1));
			r = wchain(p, ia, 0, 1);
			p->has_t = true;
			p->t_pint = (uint32_t)(ite >> 32);
			p->t_from = coll_of(i, (ite >> 1) & 0xffff);
			for (uint32_t k = 0; k < n; k++)
				if (cs[k]->pint != p->t_pint ||
				    coll_of(i, cs[k]->icid) != p->t_from)
					p->t_ambig = true;
		} else if (r == R_ERR && at_ite && n && !dev_oor) {
			r = wchain(p, ia, 0, 1);
			p->err = true;
			p->t_ambig = true;
		}
		finish(p, dev_oor, ev_oor, r);
		p->inval = 2;
		break;
	}
	case C_SYNC:
		finish(p, rd_oor, false, R_OK);
		break;
	case C_INVALL:
		finish(p, coll_of(i, icid) == NO_COLL, false, R_OK);
		p->rd1 = coll_of(i, icid);
		break;
	case C_MOVALL:
		finish(p, rd_oor || rd2 >= nr_vcpus(), false, R_OK);
		p->rd1 = (uint32_t)rdb;
		p->rd2 = (uint32_t)rd2;
		break;
	default:
		p->ign = true;
		break;
	}
	if (!p->ok)
		p->has_w = false;
	TRACE("    ref: dte %#llx ite %#llx @%#llx forged %d\n",
	      (unsigned long long)dte, (unsigned long long)ite,
	      (unsigned long long)ia, T.forged);
}

/* ---------------------------------------------------- MSI reference */

struct msi_out {
	int rc;
	uint16_t rd;
	uint32_t x;
};

#define MAX_OUT 12

static void out_add(struct msi_out *o, uint32_t *n, int rc, uint16_t rd,
		    uint32_t x)
{
	if (*n < MAX_OUT)
		o[(*n)++] = (struct msi_out){rc, rd, x};
}

/* What translation (pint, icid) gives an MSI. */
static void eval_msi_t(uint32_t i, uint32_t pint, uint32_t icid,
		       struct msi_out *o, uint32_t *n)
{
	uint16_t rd = coll_of(i, icid);

	if (rd == NO_COLL) {
		out_add(o, n, VGIC_ENOENT, 0, 0);
	} else if (pint < LPI0 || !id_ok(pint, F.cfg.lpi_id_bits)) {
		/* an ITE the guest forged: no LPI of the VM */
		out_add(o, n, VGIC_ENOENT, 0, 0);
		out_add(o, n, VGIC_EPERM, 0, 0);
	} else if (!rd_takes(rd, pint)) {
		out_add(o, n, VGIC_EPERM, 0, 0);
	} else {
		out_add(o, n, VGIC_OK, rd, pint);
	}
}

/* The outcomes an MSI (i, d, e) may have now; false if unknown. */
static bool msi_predict(uint32_t i, uint32_t d, uint32_t e, struct msi_out *o,
			uint32_t *n)
{
	const struct its_m *m = &T.its[i];
	const struct cand *cs[8];
	uint64_t ite = 0, ia;
	bool at_ite;

	*n = 0;
	if (m->imprecise)
		return false;
	if (!m->en || !id_ok(d, F.cfg.its_device_bits) ||
	    !id_ok(e, F.cfg.its_event_bits)) {
		out_add(o, n, VGIC_ENOENT, 0, 0);
		return true;
	}
	T.forged = false;
	int r = walk_ite(i, d, e, &ite, &ia, &at_ite);
	if (r == R_UNK)
		return false;
	if (r == R_OK)
		cand_add(i, d, e, (uint32_t)(ite >> 32), (uint16_t)(ite >> 1));
	if (r != R_OK || T.forged)
		out_add(o, n, VGIC_ENOENT, 0, 0);
	if (m->imprecise)
		return false;
	uint32_t nc = cands_of(i, d, e, cs, 8);
	if (nc == 8)
		return false;
	for (uint32_t k = 0; k < nc; k++)
		eval_msi_t(i, cs[k]->pint, cs[k]->icid, o, n);
	return *n < MAX_OUT;
}

/* An MSI that made an LPI pending: which one, if the outcomes say. */
static void pm_msi(const struct msi_out *o, uint32_t n, bool known)
{
	int k1 = -1;

	for (uint32_t k = 0; k < n && known; k++) {
		if (o[k].rc != VGIC_OK)
			continue;
		if (k1 >= 0 && (o[k].rd != o[k1].rd || o[k].x != o[k1].x))
			known = false;
		k1 = (int)k;
	}
	if (!known || k1 < 0)
		T.pm_off = true;
	else
		pm_set(o[k1].rd, o[k1].x);
}

/* An MSI's result against the outcomes allowed (MSI_DROPPED: ENOENT or
 * EPERM, all a GITS_TRANSLATER write shows). */
#define MSI_DROPPED 1
static void msi_check(const struct msi_out *o, uint32_t n, int rc)
{
	bool found = false;

	for (uint32_t k = 0; k < n && !found; k++)
		if (rc == MSI_DROPPED
			    ? o[k].rc != VGIC_OK
			    : o[k].rc == rc && (rc != VGIC_OK ||
						lpi_pending(o[k].rd, o[k].x)))
			found = true;
	if (!found) {
		fprintf(stderr, "MSI rc %d; allowed:", rc);
		for (uint32_t k = 0; k < n; k++)
			fprintf(stderr, " %d(rd %u intid %u)", o[k].rc, o[k].rd,
				o[k].x);
		fprintf(stderr, "\n");
	}
	FZ_CHECK(found);
	G.msis_checked++;
	G.msis_ok += rc == VGIC_OK;
}

/* ------------------------------------ following the library's commands */

/* What a command that was done does to the pending state. */
static void pm_cmd(const struct pred *p)
{
	bool lpi = p->has_t && p->t_from != NO_COLL;

	if (p->op == C_INV && p->t_ambig)
		return;
	if ((p->op == C_INT || p->op == C_CLEAR || p->op == C_DISCARD ||
	     p->op == C_MOVI) &&
	    p->t_ambig) {
		T.pm_off = true;
		return;
	}
	switch (p->op) {
	case C_INT:
		if (lpi && rd_takes(p->t_from, p->t_pint))
			pm_set(p->t_from, p->t_pint);
		break;
	case C_CLEAR:
	case C_DISCARD:
		if (lpi && rd_takes(p->t_from, p->t_pint))
			pm_clear(p->t_from, p->t_pint);
		break;
	case C_MOVI:
		if (lpi && p->t_to != NO_COLL)
			pm_move(p->t_from, p->t_to, p->t_pint);
		break;
	case C_MOVALL:
		pm_moveall(p->rd1, p->rd2);
		break;
	case C_INV:
	case C_INVALL:
		if (T.ninv < 16 && (p->op == C_INVALL || lpi) &&
		    (p->op == C_INV || p->rd1 != NO_COLL)) {
			T.inv[T.ninv].rd =
				p->op == C_INV ? p->t_from : (uint16_t)p->rd1;
			T.inv[T.ninv].x = p->t_pint;
			T.inv[T.ninv++].all = p->op == C_INVALL;
		}
		break;
	default:
		break;
	}
}

static void verify_cmd(const struct cmdp *c, bool stalled)
{
	struct vgic_stats s = stats();
	uint64_t derr = s.its_cmd_errors - c->s0.its_cmd_errors;
	uint64_t dcmd = s.its_cmds - c->s0.its_cmds;
	uint64_t dstall = s.its_stalls - c->s0.its_stalls;
	const struct pred *p = &c->p;
	struct its_m *m = &T.its[c->its];

	G.cmds++;
	if (p->unknown) {
		G.cmds_unknown++;
		set_imprecise_why(c->its, 1);
		return;
	}
	if (stalled) {
		G.cmds_stall++;
		FZ_CHECK(p->stall);
		FZ_CHECK(dstall == 1 && derr == 0 && dcmd <= 1);
		FZ_CHECK(c->nw == 0 && !c->w_over);
		return;
	}
	FZ_CHECK(dstall == 0);
	FZ_CHECK(derr <= 1);
	FZ_CHECK(dcmd == 1 || (p->ign && dcmd == 0));
	T.nerr_cmds += derr;
	if (derr) {
		G.cmds_err++;
		FZ_CHECK(p->err || p->ign);
		FZ_CHECK(c->nw == 0 && !c->w_over);
		return;
	}
	G.cmds_ok++;
	FZ_CHECK(p->ok || p->ign);
	if (p->op == C_INT || p->op == C_CLEAR)
		T.nint_cmds++; /* an LPI its target does not take: counted
				  as a dropped MSI */
	if (!p->ign)
		pm_cmd(p);
	if (p->ign || !p->has_w) {
		FZ_CHECK(c->nw == 0 && !c->w_over);
		return;
	}
	FZ_CHECK(c->nw >= 1 && !c->w_over);
	for (uint32_t k = 0; k < c->nw; k++)
		FZ_CHECK(c->w[k].gpa == p->waddr);
	FZ_CHECK((c->w[c->nw - 1].val & p->wmask) == (p->wval & p->wmask));
	if (p->coll_icid >= 0)
		m->coll[p->coll_icid] = p->coll_rd;
	if (p->inval == 1)
		cand_drop(c->its, p->d, -1);
	else if (p->inval == 2)
		cand_drop(c->its, p->d, p->e);
}

static void resolve(bool stalled)
{
	struct cmdp *c = &T.cmd;
	struct its_m *m = &T.its[c->its];

	c->active = false;
	m->next_off =
		stalled ? c->off : (uint32_t)((c->off + 32) % qsize(m->cbaser));
	if (!m->imprecise)
		verify_cmd(c, stalled);
}

/* A 32-byte read inside the queue of the ITS being accessed: the
 * library takes the command at that offset. The one before it is done
 * (a stall ends the processing of an access). */
static void note_cmd(uint64_t gpa, bool readable)
{
	if (T.cur_its < 0)
		return;
	uint32_t i = (uint32_t)T.cur_its;
	struct its_m *m = &T.its[i];
	uint64_t qb = qbase(m->cbaser), qs = qsize(m->cbaser);
	if (gpa < qb || gpa - qb >= qs || (gpa - qb) % 32)
		return;
	T.ncmd_reads++;
	FZ_CHECK(m->cbaser >> 63); /* no queue, no commands */
	if (m->imprecise)
		return;
	uint32_t off = (uint32_t)(gpa - qb);
	if (T.cmd.active) {
		FZ_CHECK(T.cmd.its == i);
		if (off == T.cmd.off)
			return; /* the same packet read again */
		resolve(false);
		if (m->imprecise)
			return;
	}
	/* In order, one after the other, from CREADR. */
	FZ_CHECK(off == m->next_off);
	struct cmdp *c = &T.cmd;
	memset(c, 0, sizeof(*c));
	c->active = true;
	c->its = i;
	c->off = off;
	c->s0 = stats();
	if (readable)
		predict(i, ram + (gpa - RAM_BASE), &c->p);
	else
		c->p = (struct pred){.stall = true, .coll_icid = -1};
	if (tracing) {
		uint64_t w[4] = {0, 0, 0, 0};
		for (int k = 0; k < 4 && readable; k++)
			w[k] = le64(ram + (gpa - RAM_BASE) + 8 * k);
		fprintf(stderr,
			"  cmd its%u @%#x %016llx %016llx %016llx %016llx ->"
			" %s%s%s%s%s\n",
			i, off, (unsigned long long)w[0],
			(unsigned long long)w[1], (unsigned long long)w[2],
			(unsigned long long)w[3], c->p.unknown ? "? " : "",
			c->p.ok ? "ok " : "", c->p.err ? "err " : "",
			c->p.stall ? "stall " : "", c->p.ign ? "ign" : "");
	}
}

/* Writes into one of the pending tables the guest gave a redistributor. */
static bool in_pend_table(uint64_t gpa, size_t len)
{
	uint64_t size = (1ull << F.cfg.lpi_id_bits) / 8;

	for (uint32_t r = 0; r < nr_vcpus(); r++) {
		uint64_t b = pend_base(r);
		if (gpa >= b && gpa - b < size && len <= size - (gpa - b))
			return true;
	}
	return false;
}

/* The library writes guest RAM: a command's entry, or pending state. */
static void note_write(uint64_t gpa, const uint8_t *buf, size_t len)
{
	if ((len == 1 || len == 64) && in_pend_table(gpa, len))
		return;
	if (len == 8)
		pend_touch(gpa, len);
	if (len == 8 && T.cmd.active) {
		if (T.cmd.nw == 4) {
			T.cmd.w_over = true;
			return;
		}
		T.cmd.w[T.cmd.nw++] = (struct wr){gpa, le64(buf)};
		return;
	}
	if (T.cur_its >= 0 && T.its[T.cur_its].imprecise)
		return;
	fprintf(stderr, "unexpected guest_write gpa %#llx len %zu\n",
		(unsigned long long)gpa, len);
	FZ_CHECK(!"the library wrote guest memory it has no business in");
}

/* Every guest memory access of the library: a sane length and address,
 * inside RAM as a whole or not at all (tables and queues are aligned to
 * their entries, RAM to 64 KiB). */
static void check_span(uint64_t gpa, size_t len)
{
	FZ_CHECK(len >= 1 && len <= 4096);
	FZ_CHECK(gpa < (1ull << 53));
	bool touches = gpa < RAM_BASE + RAM_SIZE && gpa + len > RAM_BASE;
	FZ_CHECK(!touches || in_ram(gpa, len));
}

static bool hook_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	(void)ctx;
	check_span(gpa, len);
	bool in = in_ram(gpa, len);
	if (len == 32)
		note_cmd(gpa, in);
	if (!in)
		return false;
	memcpy(buf, ram + (gpa - RAM_BASE), len);
	return true;
}

static bool hook_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	(void)ctx;
	check_span(gpa, len);
	if (!ram_writable(gpa, len))
		return false;
	note_write(gpa, buf, len);
	uint32_t off = (uint32_t)(gpa - RAM_BASE);
	memcpy(ram + off, buf, len);
	dirty(off, len);
	return true;
}

/* ------------------------------------------------------ raw accesses */

static uint64_t its_gpa(uint32_t i, uint32_t off)
{
	return its_bases[i] + off;
}

/* An access the target makes to look (vCPU 0, which never runs guest
 * code while the target looks): must succeed. */
static uint64_t raw_read(uint64_t gpa, unsigned len, int its)
{
	uint64_t v = 0;
	int save = T.cur_its;

	T.cur_its = its;
	FZ_CHECK(vgic_mmio_read(F.vm, 0, gpa, len, &v) == 0);
	T.cur_its = save;
	return v;
}

static void raw_write(uint64_t gpa, unsigned len, uint64_t val)
{
	FZ_CHECK(vgic_mmio_write(F.vm, 0, gpa, len, val) == 0);
}

static uint64_t rd_gpa(uint32_t r, uint32_t off)
{
	return F.cfg.gicr_base + 0x20000ull * r + off;
}

/*
 * After an access to ITS i: read CREADR until a read processes nothing
 * more (work left over from a budget is processed on later accesses),
 * then settle the outcome of the last command read: it stalled if
 * CREADR stays on it with Stalled set.
 */
static uint64_t settle(uint32_t i)
{
	struct its_m *m = &T.its[i];
	uint64_t v = 0;
	int tries;

	for (tries = 0; tries < 32; tries++) {
		uint32_t n0 = T.ncmd_reads;
		v = raw_read(its_gpa(i, GITS_CREADR), 8, (int)i);
		if (T.ncmd_reads == n0)
			break;
	}
	if (tries == 32) {
		/* Never done: only a CWRITER beyond a queue that CBASER
		 * made smaller can keep an ITS busy (UNPREDICTABLE). */
		FZ_CHECK(m->cwriter >= qsize(m->cbaser));
		set_imprecise_why(i, 2);
	}
	FZ_CHECK((v >> 20) == 0 && (v & 0x1e) == 0);
	FZ_CHECK((v & CWRITER_OFF) < qsize(m->cbaser));
	if (T.cmd.active && m->imprecise)
		T.cmd.active = false;
	if (T.cmd.active) {
		FZ_CHECK(T.cmd.its == i);
		FZ_CHECK(!(v & 1) || (v & CWRITER_OFF) == T.cmd.off);
		resolve((v & 1) && (v & CWRITER_OFF) == T.cmd.off);
	}
	m->creadr = (uint32_t)v;
	if (!m->imprecise)
		FZ_CHECK((v & CWRITER_OFF) == m->next_off);
	m->next_off = (uint32_t)(v & CWRITER_OFF);
	if (!(v & 1))
		m->rewound = false;
	return v;
}

/* ------------------------------------------------- GITS registers */

enum its_reg {
	G_NONE,
	G_CTLR,
	G_IIDR,
	G_TYPER,
	G_CBASER,
	G_CWRITER,
	G_CREADR,
	G_BASER,
	G_ID,
};

/* The register an access reaches (contract, "Registers"), or G_NONE:
 * reserved, misaligned or of a width the register does not take. */
static enum its_reg its_reg_of(uint32_t off, unsigned len)
{
	if ((len != 4 && len != 8) || off % len)
		return G_NONE;
	if (off == GITS_CTLR || off == GITS_IIDR)
		return len == 4 ? (off ? G_IIDR : G_CTLR) : G_NONE;
	if (off >= 0xffd0 && off < 0x10000)
		return len == 4 ? G_ID : G_NONE;
	switch (off & ~7u) {
	case GITS_TYPER:
		return G_TYPER;
	case GITS_CBASER:
		return G_CBASER;
	case GITS_CWRITER:
		return G_CWRITER;
	case GITS_CREADR:
		return G_CREADR;
	default:
		break;
	}
	if (off >= GITS_BASER && off < GITS_BASER + 64)
		return G_BASER;
	return G_NONE;
}

static uint64_t its_typer(void)
{
	return 1u | 7u << 4 | (uint64_t)(F.cfg.its_event_bits - 1u) << 8 |
	       (uint64_t)(F.cfg.its_device_bits - 1u) << 13 |
	       (uint64_t)(T.cb - 1u) << 32 | 1ull << 36;
}

static uint64_t baser_ro(uint32_t n)
{
	return n == 0	? 1ull << 56 | 7ull << 48
	       : n == 1 ? 4ull << 56 | 7ull << 48
			: 0;
}

/* A 64-bit register as an access of `len` at `off` sees it. */
static uint64_t half(uint64_t reg, uint32_t off, unsigned len)
{
	return len == 8 ? reg : (off & 4) ? reg >> 32 : reg & 0xffffffffu;
}

static uint64_t merge(uint64_t old, uint64_t val, uint32_t off, unsigned len)
{
	if (len == 8)
		return val;
	if (off & 4)
		return (old & 0xffffffffull) | (val & 0xffffffffull) << 32;
	return (old & ~0xffffffffull) | (val & 0xffffffffull);
}

static uint64_t baser_fix(uint64_t v, uint32_t n)
{
	if (((v >> 8) & 3) == 3)
		v = (v & ~0x300ull) | 0x200u; /* 64 KiB */
	return (v & BASER_WMASK) | baser_ro(n);
}

static uint32_t iidr(void)
{
	return F.cfg.iidr ? F.cfg.iidr : 0x7600043bu;
}

/* A read's value by the contract, given the state before it. */
static void its_check_read(uint32_t i, uint32_t off, unsigned len, uint64_t v)
{
	const struct its_m *m = &T.its[i];

	FZ_CHECK((v & ~fz_width_mask(len)) == 0);
	if (off >= 0x10000) {
		FZ_CHECK(v == 0); /* translation frame: write-only */
		return;
	}
	switch (its_reg_of(off, len)) {
	case G_NONE:
		FZ_CHECK(v == 0);
		break;
	case G_CTLR:
		FZ_CHECK((v & 0x7ffffffe) == 0);
		FZ_CHECK((v & 1) == m->en);
		/* Quiescent: disabled (a disabled ITS runs no command, so
		 * none is in progress, queued or not). */
		FZ_CHECK((v >> 31) == !m->en);
		break;
	case G_IIDR:
		FZ_CHECK(v == iidr());
		break;
	case G_TYPER:
		FZ_CHECK(v == half(its_typer(), off, len));
		break;
	case G_CBASER:
		FZ_CHECK(v == half(m->cbaser, off, len));
		break;
	case G_CWRITER:
		FZ_CHECK(v == half(m->cwriter, off, len));
		break;
	case G_CREADR:
		FZ_CHECK((half(~(uint64_t)(CWRITER_OFF | 1), off, len) & v) ==
			 0);
		break;
	case G_BASER: {
		uint32_t n = (off - GITS_BASER) / 8;
		FZ_CHECK(v == half(n < 2 ? m->baser[n] : 0, off, len));
		break;
	}
	case G_ID: {
		uint32_t k = (off - 0xffd0) / 4;
		if (off == GITS_PIDR2)
			FZ_CHECK(((v >> 4) & 0xf) == 3); /* ArchRev GICv3 */
		static const uint8_t cidr[4] = {0x0d, 0xf0, 0x05, 0xb1};
		if (off >= 0xfff0)
			FZ_CHECK(v == cidr[k - 8]);
		if (T.its[i].id_seen[k])
			FZ_CHECK(v == T.its[i].id[k]);
		T.its[i].id[k] = (uint32_t)v;
		T.its[i].id_seen[k] = true;
		break;
	}
	}
}

/* Read back what an access left, against what the contract says it
 * must have left (`x`), and take it as the new state. */
static void its_refresh(uint32_t i, const struct its_m *x, bool cb_written)
{
	struct its_m *m = &T.its[i];
	uint64_t ctlr = raw_read(its_gpa(i, GITS_CTLR), 4, (int)i);
	uint64_t cbaser = raw_read(its_gpa(i, GITS_CBASER), 8, (int)i);
	uint64_t cwriter = raw_read(its_gpa(i, GITS_CWRITER), 8, (int)i);
	uint64_t b0 = raw_read(its_gpa(i, GITS_BASER), 8, (int)i);
	uint64_t b1 = raw_read(its_gpa(i, GITS_BASER + 8), 8, (int)i);

	FZ_CHECK((ctlr & 1) == x->en);
	FZ_CHECK(cbaser == x->cbaser);
	/* A CBASER write empties the queue: CREADR = 0, and the library
	 * also sets CWRITER = 0 (the contract leaves CWRITER alone). */
	FZ_CHECK(cwriter == x->cwriter || (cb_written && cwriter == 0));
	FZ_CHECK(b0 == x->baser[0] && b1 == x->baser[1]);
	FZ_CHECK(raw_read(its_gpa(i, GITS_TYPER), 8, (int)i) == its_typer());
	FZ_CHECK(raw_read(its_gpa(i, GITS_IIDR), 4, (int)i) == iidr());
	uint64_t pidr2 = raw_read(its_gpa(i, GITS_PIDR2), 4, (int)i);
	FZ_CHECK(((pidr2 >> 4) & 0xf) == 3);
	m->en = x->en;
	m->cbaser = cbaser;
	m->cwriter = (uint32_t)cwriter;
	m->baser[0] = b0;
	m->baser[1] = b1;
	/* CREADR: within the queue; Stalled only with a command to do,
	 * unless the guest moved CWRITER back onto the stalled one. */
	FZ_CHECK((m->creadr & CWRITER_OFF) < qsize(m->cbaser));
	if ((m->creadr & 1) && !m->rewound)
		FZ_CHECK((m->creadr & CWRITER_OFF) != m->cwriter);
	FZ_CHECK((ctlr >> 31) == !m->en);
}

/* The MSI a write of GITS_TRANSLATER makes (DeviceID 0). */
static bool msi_reference(uint32_t i, uint32_t d, uint32_t e, struct msi_out *o,
			  uint32_t *n)
{
	return msi_predict(i, d, e, o, n);
}

/*
 * One guest access by vCPU v to ITS i's frames, checked: return code,
 * read value, the write's effect on every register, the commands it ran,
 * the MSI it made.
 */
static void its_access(uint32_t v, uint32_t i, uint32_t off, unsigned len,
		       bool wr, uint64_t val)
{
	struct its_m *m = &T.its[i];
	struct its_m x = *m; /* what the registers must read after */
	struct msi_out o[2 * MAX_OUT];
	uint32_t no = 0;
	bool known = false, xlat = false, cw_ignored = false, cw_hi = false;
	bool xlat_hi = false; /* 16 bits at 0x10042: the contract is silent */
	bool cb_written = false;
	int want = (len == 1 || len == 2 || len == 4 || len == 8)
			   ? (v < nr_vcpus() ? VGIC_OK : VGIC_ERANGE)
			   : VGIC_EINVAL;
	enum its_reg reg = its_reg_of(off, len);

	if (wr && want == VGIC_OK) {
		if (off >= 0x10000) {
			/* GITS_TRANSLATER: 16- and 32-bit writes. */
			xlat = off == GITS_TRANSLATER && (len == 2 || len == 4);
			xlat_hi = off == GITS_TRANSLATER + 2 && len == 2;
			if (xlat)
				known = msi_reference(
					i, 0,
					(uint32_t)(val & fz_width_mask(len)), o,
					&no);
			if (xlat_hi) {
				/* EventID the value, or the value << 16 */
				uint32_t n2 = 0;
				known = msi_reference(i, 0,
						      (uint32_t)(val & 0xffff),
						      o, &no) &&
					msi_reference(i, 0,
						      (uint32_t)(val & 0xffff)
							      << 16,
						      o + no, &n2);
				no += n2;
			}
		} else if (reg == G_CTLR) {
			x.en = val & 1;
		} else if (reg == G_CBASER && !m->en) {
			x.cbaser =
				merge(m->cbaser, val, off, len) & CBASER_MASK;
			m->next_off = 0; /* CREADR = 0, not stalled */
			m->rewound = false;
			cb_written = true;
		} else if (reg == G_CWRITER && (off & 4)) {
			cw_hi = true; /* RES0 half */
		} else if (reg == G_CWRITER) {
			uint32_t o2 = (uint32_t)(val & CWRITER_OFF);
			if (o2 >= qsize(m->cbaser)) {
				cw_ignored = true;
			} else {
				x.cwriter = o2;
				if (!(val & 1) && (m->creadr & 1) &&
				    o2 == (m->creadr & CWRITER_OFF))
					m->rewound = true;
			}
		} else if (reg == G_BASER && !m->en) {
			uint32_t n = (off - GITS_BASER) / 8;
			if (n < 2)
				x.baser[n] = baser_fix(
					merge(m->baser[n], val, off, len), n);
		}
	}
	TRACE("its%u %s v%u off %#x len %u val %#llx\n", i, wr ? "W" : "R", v,
	      off, len, (unsigned long long)val);
	struct vgic_stats s0 = stats();
	uint64_t rv = 0x5a5a5a5a5a5a5a5aull;
	T.cur_its = (int)i;
	T.nerr_cmds = 0;
	T.nint_cmds = 0;
	T.ninv = 0;
	int rc = wr ? vgic_mmio_write(F.vm, v, its_gpa(i, off), len, val)
		    : vgic_mmio_read(F.vm, v, its_gpa(i, off), len, &rv);
	T.cur_its = -1;
	FZ_CHECK(rc == want);
	struct vgic_stats sm = stats();
	FZ_CHECK(sm.mmio_reads - s0.mmio_reads == (!wr && rc == VGIC_OK));
	FZ_CHECK(sm.mmio_writes - s0.mmio_writes == (wr && rc == VGIC_OK));
	if (rc != VGIC_OK) {
		FZ_CHECK(sm.its_cmds == s0.its_cmds);
		return;
	}
	settle(i);
	struct vgic_stats s1 = stats();
	/* INV, INVALL: the redistributor's cached configuration is the
	 * property table's now. */
	for (uint32_t k = 0; k < T.ninv; k++) {
		uint16_t r = T.inv[k].rd;
		if (!T.lpis_en[r])
			continue;
		if (!T.inv[k].all) {
			check_config(r, T.inv[k].x);
			continue;
		}
		for (uint32_t j = 0; j < F.cfg.nr_lpi_slots; j++) {
			const struct vgic_lpi *l = &F.vm->lpis[j];
			if (l->hashed && l->irq.target == r)
				check_config(r, l->irq.intid);
		}
	}
	if (!m->imprecise) {
		uint64_t derr = s1.its_cmd_errors - s0.its_cmd_errors;
		uint64_t extra = derr - T.nerr_cmds;
		FZ_CHECK(derr >= T.nerr_cmds);
		FZ_CHECK(extra == cw_ignored || (cw_hi && extra <= 1));
	}
	if (!wr)
		its_check_read(i, off, len, rv);
	/* MSIs: exactly one for a TRANSLATER write, none otherwise; INT
	 * and CLEAR count a dropped MSI when the target does not take the
	 * LPI (no TRANSLATER write runs commands: nothing is left over). */
	uint64_t dmsi = s1.msis - s0.msis,
		 ddrop = s1.msi_dropped - s0.msi_dropped;
	if (xlat) {
		G.msis++;
		FZ_CHECK(T.nint_cmds == 0 && dmsi + ddrop == 1);
		if (known && !m->imprecise)
			msi_check(o, no, dmsi ? VGIC_OK : MSI_DROPPED);
		if (dmsi)
			pm_msi(o, no, known && !m->imprecise);
	} else if (xlat_hi) {
		FZ_CHECK(dmsi + ddrop <= 1);
		if (dmsi + ddrop && known && !m->imprecise)
			msi_check(o, no, dmsi ? VGIC_OK : MSI_DROPPED);
		if (dmsi)
			pm_msi(o, no, known && !m->imprecise);
	} else if (wr && off >= 0x10000 && off < GITS_TRANSLATER + 4 &&
		   off + len > GITS_TRANSLATER) {
		/* a wrong width: no MSI */
		FZ_CHECK(dmsi + ddrop == 0);
	} else {
		FZ_CHECK(dmsi == 0);
		if (!m->imprecise)
			FZ_CHECK(ddrop <= T.nint_cmds);
	}
	if (wr && !m->en && reg == G_BASER)
		cand_drop(i, -1, -1); /* the tables moved */
	if (x.en != m->en && !x.en)
		cand_drop(i, -1, -1); /* disabled: the cache forgets it */
	its_refresh(i, &x, cb_written);
}

/* ------------------------------------------- GICR: LPI registers */

static void rd_check_read(uint32_t r, uint32_t off, unsigned len, uint64_t v)
{
	FZ_CHECK((v & ~fz_width_mask(len)) == 0);
	if ((len != 4 && len != 8) || off % len) {
		FZ_CHECK(v == 0);
		return;
	}
	uint64_t typer = fz_rtyper(r) | 1u | 8u; /* PLPIS, DirectLPI */
	if (off >= 0xffd0 && off < 0x10000) {
		FZ_CHECK(len == 4 ? v == fz_idreg(off, false) : v == 0);
		return;
	}
	switch (off) {
	case GICR_CTLR:
		FZ_CHECK(v == (len == 4 ? T.lpis_en[r] : 0));
		return;
	case 0x4:
		FZ_CHECK(v == (len == 4 ? iidr() : 0));
		return;
	case GICR_WAKER:
		FZ_CHECK(v == 0 || v == 6);
		return;
	case GICR_SYNCR:
		FZ_CHECK(v == 0);
		return;
	default:
		break;
	}
	switch (off & ~7u) {
	case GICR_TYPER:
		FZ_CHECK(v == half(typer, off, len));
		return;
	case GICR_PROPBASER:
		FZ_CHECK(v == half(T.propbaser[r], off, len));
		return;
	case GICR_PENDBASER:
		FZ_CHECK(v == half(T.pendbaser[r], off, len));
		return;
	default:
		FZ_CHECK(v == 0);
		return;
	}
}

static void rd_refresh(uint32_t r)
{
	T.lpis_en[r] = raw_read(rd_gpa(r, GICR_CTLR), 4, -1) & 1;
	T.propbaser[r] = raw_read(rd_gpa(r, GICR_PROPBASER), 8, -1);
	T.pendbaser[r] = raw_read(rd_gpa(r, GICR_PENDBASER), 8, -1);
}

/* The cached configuration of LPI x at r matches its property byte. */
static void check_config(uint32_t r, uint32_t x)
{
	struct vgic_irq_state st;
	uint8_t prop = 0;

	if (vgic_irq_state(F.vm, r, x, &st) != 0)
		return;
	if (!ram_get(prop_base(r) + (x - LPI0), &prop, 1))
		prop = 0;
	FZ_CHECK(st.enabled == (prop & 1));
	FZ_CHECK(st.priority == (prop & 0xfc & F.pri_mask));
}

static int pcpu_of(uint32_t v)
{
	for (int p = 0; p < FZ_PCPUS; p++)
		if (F.running[p] == (int)v)
			return p;
	return FZ_NONE;
}

/* ------------------------------------ the pending state, modelled */

static struct pm_ent *pm_get(uint32_t rd, uint32_t x)
{
	for (uint32_t k = 0; k < T.npm; k++)
		if (T.pm[k].rd == rd && T.pm[k].x == x)
			return &T.pm[k];
	if (T.npm == sizeof(T.pm) / sizeof(T.pm[0])) {
		T.pm_off = true;
		return NULL;
	}
	T.pm[T.npm] = (struct pm_ent){(uint8_t)rd, 0, 0, 0, x};
	return &T.pm[T.npm++];
}

static bool pm_on(uint32_t rd)
{
	return !T.pm_off && !T.pm_rd_off[rd];
}

/* x sits pending (not yet taken) in an LR of vCPU rd, running. */
static bool pm_in_lr(uint32_t rd, uint32_t x)
{
	int p = pcpu_of(rd);

	if (p == FZ_NONE)
		return false;
	for (uint32_t n = 0; n < F.cfg.nr_lrs; n++) {
		uint64_t lr = model_ich_lr(&F.m, (uint32_t)p, n);
		if ((lr & VGIC_LR_VINTID_MASK) == x && (lr & VGIC_LR_PENDING))
			return true;
	}
	return false;
}

/* x was placed pending in an LR of a running vCPU (whatever its guest
 * did with it since: the library learns that at the vCPU's sync). */
static bool loaded_in_any_lr(uint32_t x)
{
	for (uint32_t p = 0; p < FZ_PCPUS; p++)
		if (F.running[p] != FZ_NONE && fz_loaded_pending(p, x))
			return true;
	return false;
}

static bool pm_in_any_lr(uint32_t x)
{
	for (uint32_t v = 0; v < nr_vcpus(); v++)
		if (pm_in_lr(v, x))
			return true;
	return false;
}

/* Made pending: merged with a pending one, unless a running vCPU's LR
 * holds that one (the guest may take it before or after). */
static void pm_set(uint32_t rd, uint32_t x)
{
	struct pm_ent *e;

	if (!pm_on(rd) || !(e = pm_get(rd, x)))
		return;
	/* An LR holds one instance the guest may still take: with the new
	 * one, two; repeated, they merge. Once it exits, one. */
	bool in_lr = e->hi && pm_in_lr(rd, x);
	uint8_t hi = e->hi ? e->hi : 1;
	if (in_lr) {
		hi = hi < 2 ? 2 : hi;
		e->grace = 1;
	}
	/* skipped finding: a slot and a stale pending table bit of the
	 * same LPI are delivered twice */
	if (skip("tablebit") && e->hi)
		hi++;
	e->lo = e->lo ? e->lo : 1;
	e->hi = hi > 3 ? 3 : hi;
	TRACE("  pm set rd %u LPI %u -> %u..%u grace %u\n", rd, x, e->lo, e->hi,
	      e->grace);
}

/* Cleared; the guest may still take one an LR of it holds. */
static void pm_clear(uint32_t rd, uint32_t x)
{
	struct pm_ent *e;

	if (!pm_on(rd) || !(e = pm_get(rd, x)))
		return;
	e->lo = 0;
	if (skip("tablebit"))
		return; /* a stale pending table bit may bring it back */
	e->hi = pm_in_lr(rd, x) && e->hi ? 1 : 0;
	e->grace = e->hi;
}

/* MOVI, MOVALL: the pending state at `from` moves to `to`, delivered
 * once; while an LR of `from` holds it, at either. */
static void pm_move(uint32_t from, uint32_t to, uint32_t x)
{
	struct pm_ent *f, *t;

	if (from == to || !rd_takes(from, x) || !rd_takes(to, x))
		return;
	if (!pm_on(from) || !pm_on(to)) {
		T.pm_off = true;
		return;
	}
	if (!(f = pm_get(from, x)) || !(t = pm_get(to, x)))
		return;
	if (!f->hi)
		return;
	bool in_lr = pm_in_lr(from, x);
	uint8_t lo = in_lr ? t->lo : (t->lo || f->lo ? 1 : 0);
	uint8_t hi = (uint8_t)((t->hi > f->hi ? t->hi : f->hi) +
			       (pm_in_lr(to, x) ? 1 : 0));
	if (skip("tablebit"))
		hi = (uint8_t)(t->hi + f->hi); /* see pm_set */
	t->lo = lo;
	t->hi = hi > 3 ? 3 : hi;
	f->lo = 0;
	if (skip("inflight") && pm_in_any_lr(x)) {
		/* skipped finding: in flight in some LR, the library
		 * leaves it at `from`, after the holder's exit too */
		f->grace = 0;
		return;
	}
	f->hi = in_lr ? 1 : 0;
	f->grace = f->hi; /* the guest may take it before its exit */
}

static void pm_moveall(uint32_t from, uint32_t to)
{
	if (from == to || !T.lpis_en[from] || !T.lpis_en[to])
		return;
	if (!pm_on(from) || !pm_on(to)) {
		T.pm_off = true;
		return;
	}
	uint32_t n = T.npm;
	for (uint32_t k = 0; k < n; k++)
		if (T.pm[k].rd == from && T.pm[k].hi)
			pm_move(from, to, T.pm[k].x);
}

/* The guest on vCPU v took LPI x: one was owed. */
static void pm_ack(uint32_t v, uint32_t x)
{
	struct pm_ent *e;

	if (x < LPI0 || !pm_on(v) || !(e = pm_get(v, x)))
		return;
	if (!e->hi)
		fprintf(stderr, "LPI %u taken at vCPU %u, none owed\n", x, v);
	FZ_CHECK(e->hi >= 1);
	e->hi--;
	if (e->lo)
		e->lo--;
	if (e->grace)
		e->grace--;
	TRACE("  pm ack rd %u LPI %u -> %u..%u grace %u\n", v, x, e->lo, e->hi,
	      e->grace);
}

/* vCPU v exited: what its LRs held and the guest did not take is owed
 * no more as an extra. */
static void pm_exit(uint32_t v)
{
	for (uint32_t k = 0; k < T.npm; k++) {
		struct pm_ent *e = &T.pm[k];
		if (e->rd != v || !e->grace)
			continue;
		e->hi = (uint8_t)(e->hi - e->grace < e->lo ? e->lo
							   : e->hi - e->grace);
		e->grace = 0;
		TRACE("  pm exit rd %u LPI %u -> %u..%u\n", v, e->x, e->lo,
		      e->hi);
	}
}

/* EnableLPIs: the redistributors must agree on IDbits (one shared
 * property table, GICR_TYPER.CommonLPIAff == 0), the pending table's
 * bits are pending LPIs unless PTZ, and it must be in RAM to hold
 * what the store cannot. */
static void pm_enable(uint32_t r)
{
	for (uint32_t q = 0; q < nr_vcpus(); q++)
		if (q != r && T.lpis_en[q] && rd_id_bits(q) != rd_id_bits(r))
			T.pm_off = true;
	if (!ram_writable(pend_base(r), pend_size())) {
		T.pm_rd_off[r] = true;
		return;
	}
	if (T.ptz[r] || rd_id_bits(r) < VGIC_MIN_LPI_ID_BITS)
		return;
	for (uint32_t x = LPI0; x < (1u << rd_id_bits(r)); x += 8) {
		uint8_t b = ram[pend_base(r) - RAM_BASE + x / 8];
		for (uint32_t k = 0; b && k < 8; k++)
			if ((b >> k) & 1)
				pm_set(r, x + k);
	}
}

/* With every vCPU out: what the library holds pending and what the
 * model says is owed agree. `tables`: also every spilled bit. */
static void pm_check(bool tables)
{
	if (T.pm_off)
		return;
	for (uint32_t k = 0; k < T.npm; k++) {
		const struct pm_ent *e = &T.pm[k];
		if (T.pm_rd_off[e->rd] || !e->lo)
			continue;
		if (!lpi_pending(e->rd, e->x))
			fprintf(stderr, "LPI %u lost at redistributor %u\n",
				e->x, e->rd);
		FZ_CHECK(lpi_pending(e->rd, e->x));
	}
	for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++) {
		const struct vgic_lpi *l = &F.vm->lpis[k];
		uint32_t rd = l->irq.target;
		if (!l->hashed || !l->irq.pending_latch || T.pm_rd_off[rd])
			continue;
		struct pm_ent *e = pm_get(rd, l->irq.intid);
		if (e && !e->hi)
			fprintf(stderr, "LPI %u pending at %u, none owed\n",
				l->irq.intid, rd);
		FZ_CHECK(!e || e->hi);
	}
	for (uint32_t r = 0; tables && r < nr_vcpus(); r++) {
		if (T.pm_rd_off[r] || !F.vm->vcpus[r].lpi_spilled)
			continue;
		for (uint32_t x = LPI0; x < (1u << rd_id_bits(r)); x += 8) {
			uint8_t b = ram[pend_base(r) - RAM_BASE + x / 8];
			for (uint32_t j = 0; b && j < 8; j++) {
				struct pm_ent *e;
				if (((b >> j) & 1) && (e = pm_get(r, x + j)))
					FZ_CHECK(e->hi);
			}
		}
	}
}

/* One guest access by vCPU v to redistributor r's RD_base frame. */
static void rd_access(uint32_t v, uint32_t r, uint32_t off, unsigned len,
		      bool wr, uint64_t val)
{
	int want = (len == 1 || len == 2 || len == 4 || len == 8)
			   ? (v < nr_vcpus() ? VGIC_OK : VGIC_ERANGE)
			   : VGIC_EINVAL;
	bool en = T.lpis_en[r];
	uint64_t prop = T.propbaser[r], pend = T.pendbaser[r];
	bool w48 = (len == 4 || len == 8) && off % len == 0;
	uint32_t x = (uint32_t)val;
	TRACE("rd%u %s v%u off %#x len %u val %#llx\n", r, wr ? "W" : "R", v,
	      off, len, (unsigned long long)val);
	/* EnableLPIs takes the pending table: model it as it is before. */
	if (wr && want == VGIC_OK && off == GICR_CTLR && len == 4 &&
	    (val & 1) && !en) {
		T.lpis_en[r] = true;
		pm_enable(r);
		T.lpis_en[r] = false;
	}
	struct vgic_stats s0 = stats();
	uint64_t rv = 0x5a5a5a5a5a5a5a5aull;
	int rc = wr ? vgic_mmio_write(F.vm, v, rd_gpa(r, off), len, val)
		    : vgic_mmio_read(F.vm, v, rd_gpa(r, off), len, &rv);

	FZ_CHECK(rc == want);
	if (rc != VGIC_OK)
		return;
	if (!wr) {
		rd_check_read(r, off, len, rv);
		return;
	}
	rd_refresh(r);
	if (w48 && off == GICR_PENDBASER && !en)
		T.ptz[r] = val & PENDBASER_PTZ;
	if (w48 && off == GICR_PENDBASER + 4 && !en)
		T.ptz[r] = (val << 32) & PENDBASER_PTZ;
	if (!en && T.lpis_en[r]) {
		/* EnableLPIs: with PTZ the table must be zero; tables of
		 * two redistributors must not overlap. */
		uint8_t z[64], b[64];
		memset(z, 0, sizeof(z));
		for (uint64_t o = 0; T.ptz[r] && o < pend_size(); o += 64)
			if (ram_get(pend_base(r) + o, b, 64) &&
			    memcmp(b, z, 64))
				T.pend_taint[r] = true;
		for (uint32_t q = 0; q < nr_vcpus(); q++)
			if (q != r && T.lpis_en[q] &&
			    overlaps(pend_base(q), pend_size(), pend_base(r),
				     pend_size()))
				T.pend_taint[q] = T.pend_taint[r] = true;
		for (uint32_t q = 0; q < nr_vcpus(); q++)
			T.pm_rd_off[q] |= T.pend_taint[q];
	}
	struct vgic_stats s1 = stats();
	if (off == GICR_CTLR && len == 4)
		FZ_CHECK(T.lpis_en[r] == (en || (val & 1)));
	else
		FZ_CHECK(T.lpis_en[r] == en);
	if (w48 && (off & ~7u) == GICR_PROPBASER && !en)
		prop = merge(prop, val, off, len) & PROPBASER_MASK;
	if (w48 && (off & ~7u) == GICR_PENDBASER && !en)
		pend = merge(pend, val, off, len) & PENDBASER_MASK;
	FZ_CHECK(T.propbaser[r] == prop);
	FZ_CHECK(T.pendbaser[r] == pend);
	if (!w48 || (off & 4))
		return;
	switch (off) {
	case GICR_SETLPIR:
		if (rd_takes(r, x) && !lpi_pending(r, x)) {
			struct vgic_irq_state st;
			uint8_t b = 0;
			int src = vgic_irq_state(F.vm, r, x, &st);
			ram_get(pend_base(r) + x / 8, &b, 1);
			fprintf(stderr,
				"SETLPIR %u at rd %u: state rc %d pending %d, "
				"spilled %d, table byte %#x\n",
				x, r, src, st.pending,
				F.vm->vcpus[r].lpi_spilled, b);
			for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++)
				fz_dump_irq(&F.vm->lpis[k].irq);
		}
		if (rd_takes(r, x))
			FZ_CHECK(lpi_pending(r, x));
		else
			FZ_CHECK(s1.bad_intid == s0.bad_intid + 1);
		if (rd_takes(r, x))
			pm_set(r, x);
		break;
	case GICR_CLRLPIR:
		/* In a running vCPU's LR, the write wins at its sync: the
		 * redistributor's own vCPU's, or, without vcpu_stop, that of
		 * another vCPU whose LR a MOVI/MOVALL left it in (read as
		 * pending until then, even if its guest took it). */
		if (rd_takes(r, x) && pcpu_of(r) == FZ_NONE &&
		    (F.stop_ops || !loaded_in_any_lr(x))) {
			struct vgic_irq_state st;
			if (!T.pend_taint[r] && !skip("tablebit"))
				FZ_CHECK(!lpi_pending_or(r, x, false));
			else if (vgic_irq_state(F.vm, r, x, &st) == 0)
				FZ_CHECK(!st.pending);
		}
		if (rd_takes(r, x))
			pm_clear(r, x);
		break;
	case GICR_INVLPIR:
		if (rd_takes(r, x))
			check_config(r, x);
		break;
	case GICR_INVALLR:
		if (!en)
			break;
		for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++) {
			const struct vgic_lpi *l = &F.vm->lpis[k];
			if (l->hashed && l->irq.target == r)
				check_config(r, l->irq.intid);
		}
		break;
	default:
		break;
	}
}

/* ------------------------------------------- flush's LR image, LPIs */

static bool is_lpi_slot(const struct vgic_irq *irq)
{
	const struct vgic_lpi *l = (const struct vgic_lpi *)(const void *)irq;

	return l >= F.vm->lpis && l < F.vm->lpis + F.cfg.nr_lpi_slots;
}

/* ICH_LR<n>_EL2 (IHI 0069): as fz_check_lr, and an LPI's LR names a
 * slot of the store: vINTID >= 8192 within the INTID bits, no HW bit,
 * Group 1, pending only (LPIs have no active state), enabled and routed
 * here, its redistributor taking LPIs. */
static void check_lr(uint32_t v, const struct vgic_cpu_if *cif, uint32_t n)
{
	uint64_t lr = cif->lr[n];
	uint32_t intid = (uint32_t)(lr & VGIC_LR_VINTID_MASK);
	const struct vgic_vcpu *vc = &F.vm->vcpus[v];
	struct vgic_irq *irq = vc->lr_irq[n];

	FZ_CHECK(irq && irq->intid == intid && irq->lr == n + 1);
	FZ_CHECK(lr & VGIC_LR_STATE_MASK);
	for (uint32_t i = 0; i < n; i++)
		FZ_CHECK((cif->lr[i] & VGIC_LR_VINTID_MASK) != intid);
	uint8_t prio = (uint8_t)(lr >> VGIC_LR_PRIORITY_SHIFT);
	FZ_CHECK(prio == irq->priority && (prio & ~F.pri_mask) == 0);
	FZ_CHECK(!!(lr & VGIC_LR_GROUP) == irq->group1);
	if (intid >= LPI0) {
		FZ_CHECK(is_lpi_slot(irq));
		FZ_CHECK(id_ok(intid, F.cfg.lpi_id_bits));
		FZ_CHECK(!(lr & VGIC_LR_HW) && (lr & VGIC_LR_GROUP));
		FZ_CHECK((lr & VGIC_LR_STATE_MASK) == VGIC_LR_PENDING);
		FZ_CHECK(irq->target == v && irq->enabled &&
			 (F.vm->gicd_ctlr & 2) && vc->lpis_enabled);
		return;
	}
	FZ_CHECK(irq == vgic_irq_lookup(F.vm, v, intid));
	if (lr & VGIC_LR_HW) {
		FZ_CHECK(!(lr & VGIC_LR_EOI));
		FZ_CHECK((lr & VGIC_LR_STATE_MASK) != VGIC_LR_STATE_MASK);
		FZ_CHECK(((lr & VGIC_LR_PINTID_MASK) >> 32) == irq->pintid);
	} else if (lr & VGIC_LR_PENDING) {
		uint32_t grp = irq->group1 ? 2u : 1u;
		FZ_CHECK(irq->target == v && irq->enabled &&
			 (F.vm->gicd_ctlr & grp) &&
			 (irq->edge || vgic_irq_pending(irq)));
	}
	if (lr & VGIC_LR_ACTIVE)
		FZ_CHECK(irq->active);
}

static void check_flush(uint32_t v, const struct vgic_cpu_if *cif)
{
	FZ_CHECK(cif->nr_lrs_used <= F.cfg.nr_lrs);
	FZ_CHECK(cif->hcr & VGIC_HCR_EN);
	for (uint32_t n = 0; n < cif->nr_lrs_used; n++)
		check_lr(v, cif, n);
	for (uint32_t n = cif->nr_lrs_used; n < F.cfg.nr_lrs; n++)
		FZ_CHECK(cif->lr[n] == 0);
	fz_check_overflow(v, cif);
}

/* ---------------------------------------- lists and the LPI store */

/* An LPI slot: what fz_check_irq checks, and the store's own rules. */
static uint32_t check_slot(const struct vgic_lpi *l)
{
	const struct vgic_irq *irq = &l->irq;

	if (!l->hashed) {
		/* free (never used: zeroed, or reclaimed idle); a free
		 * slot still listed shows in the list count */
		FZ_CHECK(!irq->lr && !irq->pending_latch);
		return 0;
	}
	FZ_CHECK(irq->intid >= LPI0 && id_ok(irq->intid, F.cfg.lpi_id_bits));
	FZ_CHECK(irq->target < nr_vcpus());
	FZ_CHECK(F.vm->vcpus[irq->target].lpis_enabled);
	FZ_CHECK(irq->edge && irq->group1 && !irq->hw && !irq->active &&
		 !irq->line_level);
	FZ_CHECK(irq->priority == (irq->priority & F.pri_mask));
	if (vgic_irq_deliverable(F.vm, irq))
		FZ_CHECK_IRQ(irq, irq->vcpu != VGIC_VCPU_NONE);
	if (irq->lr)
		FZ_CHECK(irq->vcpu != VGIC_VCPU_NONE &&
			 F.vm->vcpus[irq->vcpu].lr_irq[irq->lr - 1] == irq);
	return irq->vcpu != VGIC_VCPU_NONE;
}

static void check_state(void)
{
	uint32_t listed = 0, members = 0, hashed = 0, chained = 0;
	const struct vgic_vm *vm = F.vm;

	for (uint32_t v = 0; v < nr_vcpus(); v++) {
		const struct vgic_vcpu *vc = &vm->vcpus[v];
		members += fz_check_list(vc);
		for (uint32_t n = 0; n < VGIC_NR_PRIVATE; n++)
			listed += fz_check_irq(&vc->priv[n]);
	}
	for (uint32_t n = 0; n < F.cfg.nr_spis; n++)
		listed += fz_check_irq(&vm->spis[n]);
	for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++) {
		const struct vgic_lpi *l = &vm->lpis[k];
		listed += check_slot(l);
		hashed += l->hashed;
		/* one slot per (redistributor, LPI) */
		for (uint32_t j = 0; j < k && l->hashed; j++)
			FZ_CHECK(!vm->lpis[j].hashed ||
				 vm->lpis[j].irq.intid != l->irq.intid ||
				 vm->lpis[j].irq.target != l->irq.target);
	}
	for (uint32_t b = 0; b <= vm->lpi_hash_mask; b++)
		for (const struct vgic_lpi *l = vm->lpi_hash[b]; l;
		     l = l->hnext) {
			FZ_CHECK(l->hashed && ++chained <= hashed);
		}
	FZ_CHECK(chained == hashed);
	FZ_CHECK(listed == members);
}

/* ---------------------------------------------------- world switch */

static void fz_enter(uint32_t v, uint32_t p)
{
	TRACE("enter v%u p%u\n", v, p);
	FZ_CHECK(F.running[p] == FZ_NONE && pcpu_of(v) == FZ_NONE);
	model_vcpu_run_on(&F.m, v, p);
	FZ_CHECK(vgic_flush(F.vm, v, &F.cif[p]) == 0);
	check_flush(v, &F.cif[p]);
	struct vgic_cpu_if again;
	FZ_CHECK(vgic_flush(F.vm, v, &again) == VGIC_EBUSY);
	FZ_CHECK(model_vcpuif_load(&F.m, p, &F.cif[p]) == 0);
	memcpy(F.loaded_lr[p], F.cif[p].lr, sizeof(F.loaded_lr[p]));
	F.running[p] = (int)v;
}

static void fz_exit(uint32_t p)
{
	struct vgic_cpu_if empty;

	TRACE("exit p%u\n", p);
	FZ_CHECK(F.running[p] != FZ_NONE);
	FZ_CHECK(model_vcpuif_save(&F.m, p, &F.cif[p]) == 0);
	FZ_CHECK(vgic_sync(F.vm, (uint32_t)F.running[p], &F.cif[p]) == 0);
	pm_exit((uint32_t)F.running[p]);
	memset(&empty, 0, sizeof(empty));
	model_vcpuif_load(&F.m, p, &empty);
	F.running[p] = FZ_NONE;
}

static void exit_all(void)
{
	for (uint32_t p = 0; p < FZ_PCPUS; p++)
		if (F.running[p] != FZ_NONE)
			fz_exit(p);
}

static bool maint(uint32_t p)
{
	return (model_ich_hcr(&F.m, p) & VGIC_HCR_EN) &&
	       model_ich_misr(&F.m, p) != 0;
}

static void service_maint(uint32_t p)
{
	for (int guard = 0; F.running[p] != FZ_NONE && maint(p); guard++) {
		uint32_t v = (uint32_t)F.running[p];
		FZ_CHECK(guard < 64);
		fz_exit(p);
		fz_enter(v, p);
	}
}

/* A trapped access: the vCPU making it is out of the guest while the
 * host handles it, and enters again after. */
static int trap_begin(uint32_t v)
{
	int p = v < nr_vcpus() ? pcpu_of(v) : FZ_NONE;

	if (p != FZ_NONE)
		fz_exit((uint32_t)p);
	return p;
}

static void trap_end(uint32_t v, int p)
{
	if (p != FZ_NONE && F.running[p] == FZ_NONE && pcpu_of(v) == FZ_NONE)
		fz_enter(v, (uint32_t)p);
}

/* ------------------------------------------------- input helpers */

/* IDs: mostly small ones, so that they meet; sometimes anything. */
static uint32_t dev_id(struct fz_in *in)
{
	uint8_t b = fz_u8(in);

	if (b < 0xe0)
		return b % 16u;
	if (b < 0xf0)
		return (uint32_t)fz_uint(in, 2);
	return (uint32_t)fz_uint(in, 4);
}

static uint32_t ev_id(struct fz_in *in)
{
	uint8_t b = fz_u8(in);

	if (b < 0xe0)
		return b % 32u;
	if (b < 0xf0)
		return (uint32_t)fz_uint(in, 2);
	return (uint32_t)fz_uint(in, 4);
}

static uint32_t lpi_id(struct fz_in *in)
{
	uint8_t b = fz_u8(in);

	if (b < 0xc0)
		return LPI0 + b % 48u;
	if (b < 0xf0)
		return LPI0 + (uint32_t)fz_uint(in, 2);
	return (uint32_t)fz_uint(in, 4);
}

static uint32_t icid_of(struct fz_in *in)
{
	uint8_t b = fz_u8(in);

	return b < 0xf0 ? b % 8u : (uint32_t)fz_uint(in, 2);
}

/* A redistributor number for a command: mostly existing ones. */
static uint64_t rdbase_of(struct fz_in *in)
{
	uint8_t b = fz_u8(in);

	return b < 0xf0 ? b % (nr_vcpus() + 1) : fz_uint(in, 5);
}

/* A table address: a page of RAM, the edges of RAM, or anything. */
static uint64_t page_addr(struct fz_in *in, uint64_t align)
{
	uint8_t b = fz_u8(in);

	if (b == 0xff)
		return fz_uint(in, 8);
	if (b == 0xfe)
		return RAM_BASE + RAM_SIZE - align;
	if (b == 0xfd)
		return RAM_BASE - align;
	return (RAM_BASE + (uint64_t)b * 4096u) & ~(align - 1);
}

static uint32_t its_of(uint8_t b)
{
	return b % F.cfg.nr_its;
}

/*
 * A 32-byte command from the input: [sel] then its fields. sel % 16
 * picks the opcode (12: any opcode byte with every field, 13: 32 raw
 * bytes); sel bit 4 clears V, bit 5 sets garbage in RES0 bits.
 */
static void gen_cmd(struct fz_in *in, uint8_t pkt[32])
{
	static const uint8_t ops[16] = {C_MAPD, C_MAPC,	  C_MAPTI,  C_MAPI,
					C_INT,	C_CLEAR,  C_SYNC,   C_MOVI,
					C_INV,	C_INVALL, C_MOVALL, C_DISCARD,
					0,	0,	  C_MAPD,   C_MAPTI};
	uint8_t s = fz_u8(in);
	uint64_t dw[4] = {0, 0, 0, 0};
	uint64_t v = (s & 0x10) ? 0 : 1ull << 63;
	uint8_t op = ops[s % 16];
	uint32_t d, e;

	if (s % 16 == 13) {
		for (int k = 0; k < 32; k++)
			pkt[k] = fz_u8(in);
		return;
	}
	if (s % 16 == 12) {
		op = fz_u8(in);
		dw[0] = op | (uint64_t)dev_id(in) << 32;
		dw[1] = ev_id(in) | (uint64_t)lpi_id(in) << 32;
		dw[2] = fz_uint(in, 8);
		dw[3] = fz_uint(in, 8);
	}
	switch (op) {
	case C_MAPD: {
		d = dev_id(in);
		uint8_t b = fz_u8(in), t = fz_u8(in);
		uint64_t itt = t < 0xc0	  ? RAM_BASE + L_ITT(d)
			       : t < 0xf0 ? RAM_BASE + (uint64_t)t * 0x1000u
					  : fz_uint(in, 8);
		dw[0] = op | (uint64_t)d << 32;
		dw[1] = b < 0xe0 ? b % 8u : b & 31u;
		dw[2] = v | (itt & 0x000fffffffffff00ull);
		break;
	}
	case C_MAPC:
		dw[0] = op;
		dw[2] = v | icid_of(in) | rdbase_of(in) << 16;
		break;
	case C_MAPTI:
		d = dev_id(in);
		e = ev_id(in);
		dw[0] = op | (uint64_t)d << 32;
		dw[1] = e | (uint64_t)lpi_id(in) << 32;
		dw[2] = icid_of(in);
		break;
	case C_MAPI:
		d = dev_id(in);
		dw[0] = op | (uint64_t)d << 32;
		dw[1] = lpi_id(in);
		dw[2] = icid_of(in);
		break;
	case C_MOVI:
		d = dev_id(in);
		dw[0] = op | (uint64_t)d << 32;
		dw[1] = ev_id(in);
		dw[2] = icid_of(in);
		break;
	case C_INT:
	case C_CLEAR:
	case C_INV:
	case C_DISCARD:
		d = dev_id(in);
		dw[0] = op | (uint64_t)d << 32;
		dw[1] = ev_id(in);
		break;
	case C_SYNC:
		dw[0] = op;
		dw[2] = rdbase_of(in) << 16;
		break;
	case C_INVALL:
		dw[0] = op;
		dw[2] = icid_of(in);
		break;
	case C_MOVALL:
		dw[0] = op;
		dw[2] = rdbase_of(in) << 16;
		dw[3] = rdbase_of(in) << 16;
		break;
	default:
		break;
	}
	if (s & 0x20) {
		/* RES0 bits: DW0[31:8], DW3 (except MOVALL's RDbase2) */
		dw[0] |= (fz_uint(in, 3) << 8);
		if (op != C_MOVALL)
			dw[3] |= fz_uint(in, 8);
	}
	for (int k = 0; k < 32; k++)
		pkt[k] = (uint8_t)(dw[k / 8] >> (8 * (k % 8)));
}

/* ------------------------------------------------------ operations */

/* A vCPU-made access to an ITS: trapped, checked. */
static void its_op_access(uint32_t v, uint32_t i, uint32_t off, unsigned len,
			  bool wr, uint64_t val)
{
	int p = trap_begin(v);

	its_access(v, i, off, len, wr, val);
	trap_end(v, p);
}

/* A value for a GITS register write, shaped like what a guest writes. */
static uint64_t gits_value(struct fz_in *in, uint32_t off)
{
	uint8_t b = fz_u8(in);

	if (b >= 0xc0)
		return fz_uint(in, 8);
	switch (off & ~7u) {
	case GITS_CBASER:
		return 1ull << 63 | page_addr(in, 4096) | (b % 4u);
	case GITS_CWRITER:
		return (uint64_t)fz_u8(in) * 32u | (b & 1);
	case GITS_BASER:
	case GITS_BASER + 8: {
		uint8_t f = fz_u8(in);
		return (uint64_t)(b & 3) << 62 | page_addr(in, 4096) |
		       (uint64_t)(f & 3) << 8 | (f >> 2) % 4u;
	}
	default:
		return b;
	}
}

/* [its][offset sel][mode][value]: any access to an ITS frame. */
static void op_gits(struct fz_in *in)
{
	static const uint32_t offs[28] = {
		0x0000, 0x0004, 0x0008, 0x000c,	 0x0080,  0x0084,  0x0088,
		0x008c, 0x0090, 0x0094, 0x0100,	 0x0104,  0x0108,  0x010c,
		0x0110, 0x0118, 0x0138, 0x013c,	 0xffe8,  0xffd0,  0xfff0,
		0x0010, 0x0014, 0x0018, 0x10040, 0x10042, 0x10044, 0x0140};
	uint32_t i = its_of(fz_u8(in));
	uint8_t sel = fz_u8(in), mode = fz_u8(in);
	uint32_t off;
	unsigned len = fz_len(mode >> 1);
	uint32_t vsel = mode >> 6;
	uint32_t v = vsel < nr_vcpus() ? vsel : vsel == 3 ? nr_vcpus() : 0;

	if (sel % 32 < 28)
		off = offs[sel % 32];
	else if (sel % 32 < 30)
		off = (uint32_t)fz_uint(in, 2);
	else
		off = 0x10000u + (uint32_t)fz_uint(in, 2);
	bool wr = mode & 1;
	uint64_t val = 0;
	if (wr)
		val = (mode & 0x20) ? gits_value(in, off)
				    : fz_uint(in, len > 8 ? 8 : len);
	its_op_access(v, i, off, len, wr, val);
}

/* [its][n] n commands: written at CWRITER, then CWRITER moves. */
static void op_enqueue(struct fz_in *in)
{
	uint32_t i = its_of(fz_u8(in));
	uint32_t n = 1 + fz_u8(in) % 4u;
	const struct its_m *m = &T.its[i];
	uint64_t qs = qsize(m->cbaser);
	uint8_t pkt[32];

	for (uint32_t k = 0; k < n; k++) {
		gen_cmd(in, pkt);
		ram_put(qbase(m->cbaser) + (m->cwriter + 32u * k) % qs, pkt,
			32);
	}
	its_op_access(0, i, GITS_CWRITER, 8, true, (m->cwriter + 32u * n) % qs);
}

/* [its][f][g]: program an ITS as a driver does: device and collection
 * tables (flat or two-level, any page size), a queue, enable. */
static void op_setup(struct fz_in *in)
{
	uint32_t i = its_of(fz_u8(in));
	uint8_t f = fz_u8(in), g = fz_u8(in);
	uint64_t ps = f & 3, ind = (f >> 2) & 1, indc = (f >> 3) & 1;
	uint64_t dt = ps >= 2 ? L_DT64(i) : L_DT(i);
	int p = trap_begin(0);

	its_access(0, i, GITS_CTLR, 4, false, 0);
	its_access(0, i, GITS_BASER, 8, true,
		   1ull << 63 | ind << 62 | (RAM_BASE + dt) | ps << 8 |
			   (g & 1));
	its_access(0, i, GITS_BASER + 8, 8, true,
		   1ull << 63 | indc << 62 | (RAM_BASE + L_CT(i)));
	if (ind) {
		/* L1 entries 0 and 1: L2 pages of the table's page size */
		uint64_t l2 = ps == 0	? L_L2(i, 0)
			      : ps == 1 ? L_L2(i, 2)
					: L_L2_64(i);
		ram_put64(RAM_BASE + dt, 1ull << 63 | (RAM_BASE + l2));
		if (ps == 0)
			ram_put64(RAM_BASE + dt + 8,
				  1ull << 63 | (RAM_BASE + L_L2(i, 1)));
	}
	if (indc)
		ram_put64(RAM_BASE + L_CT(i),
			  1ull << 63 | (RAM_BASE + L_L2(i, 5)));
	its_access(0, i, GITS_CBASER, 8, true,
		   1ull << 63 | (RAM_BASE + L_CQ(i)) | ((f >> 4) & 3));
	its_access(0, i, GITS_CWRITER, 8, true, 0);
	if (!(f & 0x40))
		its_access(0, i, GITS_CTLR, 4, true, 1);
	trap_end(0, p);
}

/* [rd][f][prio]: a redistributor's LPIs as a kernel sets them up. */
static void op_lpi_enable(struct fz_in *in)
{
	uint8_t rb = fz_u8(in), f = fz_u8(in), prio = fz_u8(in);
	static const uint8_t idbits[4] = {0, 13, 12, 31};

	for (uint32_t r = 0; r < nr_vcpus(); r++) {
		if (rb != 0xff && r != rb % nr_vcpus())
			continue;
		uint64_t ib = (f >> 1) & 3 ? idbits[(f >> 1) & 3]
					   : F.cfg.lpi_id_bits - 1u;
		if (f & 0x10) {
			uint8_t b[48];
			memset(b, (prio & 0xfc) | 3, sizeof(b));
			ram_put(RAM_BASE + L_PROP, b, sizeof(b));
		}
		if (f & 0x20) {
			uint8_t b = prio;
			ram_put(RAM_BASE + L_PEND(r) + LPI0 / 8, &b, 1);
		}
		int p = trap_begin(r);
		rd_access(r, r, GICR_PROPBASER, 8, true,
			  (RAM_BASE + L_PROP) | ib);
		rd_access(r, r, GICR_PENDBASER, 8, true,
			  (RAM_BASE + L_PEND(r)) |
				  ((f & 1) ? PENDBASER_PTZ : 0));
		rd_access(r, r, GICR_CTLR, 4, true, 1);
		trap_end(r, p);
	}
}

/* [sel][rd][...]: the LPI registers of a redistributor. */
static void op_gicr(struct fz_in *in)
{
	uint8_t sel = fz_u8(in);
	uint32_t r = fz_u8(in) % nr_vcpus();
	uint32_t vs = (sel >> 4) & 3;
	uint32_t v = vs < nr_vcpus() ? vs : r;
	int p = trap_begin(v);

	switch (sel % 12) {
	case 0:
		rd_access(v, r, GICR_PROPBASER, 8, true,
			  page_addr(in, 4096) | (fz_u8(in) & 31u));
		break;
	case 1: {
		uint8_t f = fz_u8(in);
		rd_access(v, r, GICR_PENDBASER, 8, true,
			  page_addr(in, 0x10000) |
				  ((f & 1) ? PENDBASER_PTZ : 0));
		break;
	}
	case 2:
		rd_access(v, r, GICR_CTLR, 4, true, fz_u8(in));
		break;
	case 3:
		rd_access(v, r, GICR_SETLPIR, 8, true, lpi_id(in));
		break;
	case 4:
		rd_access(v, r, GICR_CLRLPIR, 8, true, lpi_id(in));
		break;
	case 5:
		rd_access(v, r, GICR_INVLPIR, 8, true, lpi_id(in));
		break;
	case 6:
		rd_access(v, r, GICR_INVALLR, 8, true, 0);
		break;
	case 7:
		rd_access(v, r, GICR_SYNCR, 4, false, 0);
		break;
	case 8: {
		uint32_t off = fz_u8(in);
		uint8_t m = fz_u8(in);
		unsigned len = fz_len(m >> 1);
		rd_access(v, r, off, len, m & 1,
			  fz_uint(in, len > 8 ? 8 : len));
		break;
	}
	case 9: {
		static const uint32_t offs[10] = {0x0,	0x4,  0x8,  0xc,  0x70,
						  0x74, 0x78, 0x7c, 0xc0, 0x14};
		uint8_t m = fz_u8(in);
		rd_access(v, r, offs[m % 10], (m & 0x80) ? 8 : 4, false, 0);
		break;
	}
	case 10: {
		static const uint32_t offs[4] = {0x70, 0x74, 0x78, 0x7c};
		uint8_t m = fz_u8(in);
		rd_access(v, r, offs[m % 4], 4, true, fz_uint(in, 4));
		break;
	}
	default: {
		uint8_t b = fz_u8(in);
		uint32_t t = b == 0xff ? nr_vcpus() : b % nr_vcpus();
		uint32_t x = lpi_id(in);
		int want = t >= nr_vcpus()   ? VGIC_ERANGE
			   : !rd_takes(t, x) ? VGIC_EPERM
					     : VGIC_OK;
		FZ_CHECK(vgic_inject_lpi(F.vm, t, x) == want);
		if (want == VGIC_OK) {
			FZ_CHECK(lpi_pending(t, x));
			pm_set(t, x);
		}
		break;
	}
	}
	trap_end(v, p);
}

/* The address of the entry of `id` in table BASER<n> of ITS i, by the
 * reference, or a place near the table's base. */
static uint64_t entry_addr(uint32_t i, uint32_t n, uint32_t id)
{
	uint64_t a;

	if (tbl_lookup(T.its[i].baser[n], id, &a) == R_OK)
		return a;
	return (T.its[i].baser[n] & 0x0000fffffffff000ull) + (id % 512u) * 8;
}

/* [sel][...]: the guest writes its RAM where the ITS and the
 * redistributors look. */
static void op_ram(struct fz_in *in)
{
	uint8_t sel = fz_u8(in);
	uint8_t buf[32];

	switch (sel % 10) {
	case 0: {
		uint32_t off = (uint32_t)fz_uint(in, 3) % RAM_SIZE;
		uint32_t n = 1 + fz_u8(in) % 32u;
		for (uint32_t k = 0; k < n; k++)
			buf[k] = fz_u8(in);
		ram_put(RAM_BASE + off, buf, n);
		break;
	}
	case 1: {
		uint32_t i = its_of(fz_u8(in));
		uint32_t slot = fz_u8(in);
		gen_cmd(in, buf);
		ram_put(qbase(T.its[i].cbaser) +
				(slot * 32u) % qsize(T.its[i].cbaser),
			buf, 32);
		break;
	}
	case 2: {
		uint32_t i = its_of(fz_u8(in)), d = dev_id(in);
		uint8_t b = fz_u8(in);
		uint64_t v =
			b < 0x80   ? 1u | (b % 8u) << 1 | (RAM_BASE + L_ITT(d))
			: b < 0xc0 ? 0
				   : fz_uint(in, 8);
		ram_put64(entry_addr(i, 0, d), v);
		break;
	}
	case 3: {
		uint32_t i = its_of(fz_u8(in));
		uint8_t f = fz_u8(in), b = fz_u8(in);
		uint32_t n = f & 1;
		uint64_t ps = (T.its[i].baser[n] >> 8) & 3;
		uint64_t l2 = ps == 0	? L_L2(i, b % 6u)
			      : ps == 1 ? L_L2(i, 2)
					: L_L2_64(i);
		uint64_t v = b < 0xc0	? 1ull << 63 | (RAM_BASE + l2)
			     : b < 0xe0 ? 0
					: fz_uint(in, 8);
		ram_put64((T.its[i].baser[n] & 0x0000fffffffff000ull) +
				  ((f >> 1) % 8u) * 8,
			  v);
		break;
	}
	case 4: {
		uint32_t i = its_of(fz_u8(in)), d = dev_id(in), e = ev_id(in);
		uint8_t b = fz_u8(in);
		uint64_t dte = 0, ite = 0, ia;
		bool at;
		walk_dte(i, d, &dte);
		ia = (dte & 0x000fffffffffff00ull) + (uint64_t)e * 8;
		if (walk_ite(i, d, e, &ite, &ia, &at) == R_UNK || !at)
			ia = RAM_BASE + L_ITT(d) + (uint64_t)(e % 256u) * 8;
		uint64_t v =
			b < 0x80 ? 1u | (uint64_t)(b % 4u) << 1 |
					   (uint64_t)(LPI0 + fz_u8(in) % 48u)
						   << 32
			: b < 0xc0 ? 0
				   : fz_uint(in, 8);
		ram_put64(ia, v);
		break;
	}
	case 5: {
		uint32_t i = its_of(fz_u8(in)), icid = fz_u8(in) % 8u;
		uint8_t b = fz_u8(in);
		uint64_t v = b < 0xc0 ? 1u | (uint64_t)(b % nr_vcpus()) << 1
				      : fz_uint(in, 8);
		ram_put64(entry_addr(i, 1, icid), v);
		break;
	}
	case 6: {
		uint32_t r = fz_u8(in) % nr_vcpus(), x = lpi_id(in);
		uint8_t b = fz_u8(in);
		ram_put(prop_base(r) + (x - LPI0), &b, 1);
		break;
	}
	case 7: {
		uint32_t r = fz_u8(in) % nr_vcpus(), x = lpi_id(in);
		uint32_t n = 1 + fz_u8(in) % 64u;
		uint8_t b = fz_u8(in), run[64];
		memset(run, b, n);
		ram_put(prop_base(r) + (x - LPI0), run, n);
		break;
	}
	case 8: {
		uint32_t r = fz_u8(in) % nr_vcpus(), x = lpi_id(in);
		uint8_t set = fz_u8(in) & 1, b = 0;
		uint64_t a = pend_base(r) + x / 8;
		ram_get(a, &b, 1);
		b = set ? (uint8_t)(b | 1u << (x % 8))
			: (uint8_t)(b & ~(1u << (x % 8)));
		ram_put(a, &b, 1);
		break;
	}
	default: {
		/* 8 raw bytes on an entry of a table or the queue */
		uint32_t i = its_of(fz_u8(in));
		uint8_t w = fz_u8(in);
		uint64_t base = w % 3 == 0   ? T.its[i].baser[0]
				: w % 3 == 1 ? T.its[i].baser[1]
					     : T.its[i].cbaser;
		ram_put64((base & 0x0000fffffffff000ull) + (w / 3u) * 8u,
			  fz_uint(in, 8));
		break;
	}
	}
}

/* [its][dev][event]: the host's vgic_inject_msi. */
static void op_msi(struct fz_in *in)
{
	uint8_t b = fz_u8(in);
	uint32_t i = b == 0xff ? F.cfg.nr_its : b == 0xfe ? ~0u : its_of(b);
	uint32_t d = dev_id(in), e = ev_id(in);

	if (b == 0xfd) {
		FZ_CHECK(vgic_inject_msi(NULL, 0, d, e) == VGIC_EINVAL);
		return;
	}
	struct msi_out o[MAX_OUT];
	uint32_t n = 0;
	bool known = false;

	if (i < F.cfg.nr_its)
		known = msi_predict(i, d, e, o, &n);
	struct vgic_stats s0 = stats();
	T.cur_its = i < F.cfg.nr_its ? (int)i : -1;
	int rc = vgic_inject_msi(F.vm, i, d, e);
	TRACE("msi its%u dev %u ev %u -> %d\n", i, d, e, rc);
	T.cur_its = -1;
	struct vgic_stats s1 = stats();
	uint64_t dmsi = s1.msis - s0.msis,
		 ddrop = s1.msi_dropped - s0.msi_dropped;
	FZ_CHECK(s1.msi_cache_hits + s1.msi_cache_misses - s0.msi_cache_hits -
			 s0.msi_cache_misses <=
		 1);
	if (i >= F.cfg.nr_its) {
		FZ_CHECK(rc == VGIC_ERANGE && dmsi == 0 && ddrop == 0);
		return;
	}
	G.msis++;
	FZ_CHECK(rc == VGIC_OK || rc == VGIC_ENOENT || rc == VGIC_EPERM);
	FZ_CHECK(dmsi == (rc == VGIC_OK) && ddrop == (rc != VGIC_OK));
	FZ_CHECK(!T.cmd.active); /* no command runs on an MSI */
	if (known && !T.its[i].imprecise)
		msi_check(o, n, rc);
	if (rc == VGIC_OK)
		pm_msi(o, n, known && !T.its[i].imprecise);
}

/* [v][its][w][event]: a vCPU writes GITS_TRANSLATER. */
static void op_translater(struct fz_in *in)
{
	uint32_t v = fz_u8(in) % nr_vcpus();
	uint32_t i = its_of(fz_u8(in));
	uint8_t w = fz_u8(in);
	uint32_t e = ev_id(in);

	its_op_access(v, i, GITS_TRANSLATER + ((w & 2) ? 2 : 0),
		      (w & 1) ? 2 : 4, true, e);
}

/* ---------------------------------------------------- guest side */

/* ICV_IAR: the INTID must have been in an LR loaded pending. */
static void guest_ack(uint32_t p, unsigned grp)
{
	uint32_t intid = model_guest_ack(&F.m, p, grp);

	TRACE("ack p%u -> %u\n", p, intid);
	if (intid == MODEL_SPURIOUS)
		return;
	pm_ack((uint32_t)F.running[p], intid);
	fz_check_ack(p, intid);
}

/* [k][intid...]: the guest on pCPU (k >> 4) % 2 does something. */
static void op_guest(struct fz_in *in)
{
	uint8_t k = fz_u8(in);
	uint32_t p = (k >> 4) % FZ_PCPUS;

	if (F.running[p] == FZ_NONE)
		return;
	switch (k % 6) {
	case 0:
	case 1:
		guest_ack(p, 1);
		break;
	case 2:
		model_guest_eoi(&F.m, p, (k >> 6) & 1, lpi_id(in));
		break;
	case 3:
		fz_guest_dir(p, lpi_id(in));
		break;
	case 4:
		fz_guest_regs(in, p);
		break;
	default:
		service_maint(p);
		break;
	}
}

/* [k][v]: enter, exit, switch out, or flush and sync unrun. */
static void op_switch(struct fz_in *in)
{
	uint8_t k = fz_u8(in);
	uint32_t p = (k >> 4) % FZ_PCPUS;
	uint32_t v = fz_u8(in) % nr_vcpus();

	switch (k % 4) {
	case 0:
		if (F.running[p] == FZ_NONE && pcpu_of(v) == FZ_NONE) {
			fz_enter(v, p);
			if (k & 0x80) {
				/* a guest that takes LPIs: Group 1 on,
				 * nothing masked */
				model_guest_set_pmr(&F.m, p, 0xff);
				model_guest_set_igrpen(&F.m, p, 1, true);
			}
		}
		break;
	case 1:
		if (F.running[p] != FZ_NONE) {
			fz_exit(p);
			check_state();
			if (F.running[0] == FZ_NONE && F.running[1] == FZ_NONE)
				pm_check(false);
		}
		break;
	case 2:
		if (F.running[p] != FZ_NONE) {
			v = (uint32_t)F.running[p];
			fz_exit(p);
			FZ_CHECK(vgic_vcpu_put(F.vm, v) == 0);
		}
		break;
	default:
		if (F.running[p] == FZ_NONE && pcpu_of(v) == FZ_NONE) {
			fz_enter(v, p);
			fz_exit(p);
		}
		break;
	}
}

/* [k][...]: GICD_CTLR, WAKER, state queries. */
static void op_misc(struct fz_in *in)
{
	uint8_t k = fz_u8(in);
	uint32_t v = fz_u8(in) % nr_vcpus();
	struct vgic_irq_state st;

	switch (k % 5) {
	case 0: {
		int p = trap_begin(v);
		raw_write(F.cfg.gicd_base, 4,
			  ((k >> 3) & 3) | (skip("grp1") ? 2 : 0));
		trap_end(v, p);
		break;
	}
	case 1: {
		int p = trap_begin(v);
		rd_access(v, v, GICR_WAKER, 4, true, (k >> 3) & 2);
		trap_end(v, p);
		break;
	}
	case 2: {
		uint32_t x = lpi_id(in);
		if (x < LPI0)
			break;
		int rc = vgic_irq_state(F.vm, v, x, &st);
		FZ_CHECK(rc == VGIC_OK || rc == VGIC_ENOENT);
		if (rc == VGIC_OK)
			FZ_CHECK(st.target == (int32_t)v && st.group1 &&
				 st.edge && !st.active && !st.hw &&
				 (st.priority & ~F.pri_mask) == 0);
		FZ_CHECK(vgic_irq_state(F.vm, nr_vcpus(), x, &st) ==
			 VGIC_ERANGE);
		break;
	}
	case 3:
		(void)vgic_vcpu_pending(F.vm, v);
		break;
	default:
		check_state();
		break;
	}
}

/* ------------------------------------------------------- liveness */

static bool slot_busy(const struct vgic_lpi *l)
{
	return l->hashed && (l->irq.pending_latch ||
			     l->irq.vcpu != VGIC_VCPU_NONE || l->irq.lr);
}

static bool store_full(void)
{
	for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++)
		if (!slot_busy(&F.vm->lpis[k]))
			return false;
	return true;
}

/* Would the host run vCPU v (it has something to take)? With "spill"
 * skipped, also when LPIs of v wait in its pending table and the store
 * has room (what a kick on a freed slot would do). */
static bool wants_to_run(uint32_t v)
{
	if (vgic_vcpu_pending(F.vm, v))
		return true;
	return skip("spill") && F.vm->vcpus[v].lpi_spilled && !store_full();
}

/* A well-behaved guest on vCPU v takes and completes all it can. */
static void drain_vcpu(uint32_t v)
{
	fz_enter(v, 0);
	model_guest_set_pmr(&F.m, 0, 0xff);
	model_guest_set_ctlr(&F.m, 0, 0);
	for (unsigned g = 0; g < 2; g++) {
		model_guest_set_igrpen(&F.m, 0, g, true);
		for (unsigned n = 0; n < 4; n++)
			model_guest_set_apr(&F.m, 0, g, n, 0);
	}
	for (int guard = 0;; guard++) {
		FZ_CHECK(guard < (1 << 17));
		service_maint(0);
		uint32_t intid = model_guest_ack(&F.m, 0, 1);
		unsigned g = 1;
		if (intid == MODEL_SPURIOUS) {
			intid = model_guest_ack(&F.m, 0, 0);
			g = 0;
		}
		if (intid == MODEL_SPURIOUS)
			break;
		TRACE("drain v%u ack %u\n", v, intid);
		pm_ack(v, intid);
		model_guest_eoi(&F.m, 0, g, intid);
	}
	fz_exit(0);
}

static void trace_store(const char *when)
{
	if (!tracing)
		return;
	fprintf(stderr, "store %s:\n", when);
	for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++)
		if (F.vm->lpis[k].hashed)
			fz_dump_irq(&F.vm->lpis[k].irq);
	for (uint32_t k = 0; k < T.npm; k++)
		fprintf(stderr, "  model rd %u LPI %u owed %u..%u\n",
			T.pm[k].rd, T.pm[k].x, T.pm[k].lo, T.pm[k].hi);
}

static void liveness(void)
{
	exit_all();
	trace_store("at the end");
	/* Queues: an enabled ITS with a valid queue ends every access with
	 * nothing left to do, unless stalled. */
	for (uint32_t i = 0; i < F.cfg.nr_its; i++) {
		const struct its_m *m = &T.its[i];
		its_access(0, i, GITS_CTLR, 4, false, 0);
		if (m->en && (m->cbaser >> 63) && !(m->creadr & 1) &&
		    m->cwriter < qsize(m->cbaser))
			FZ_CHECK((m->creadr & CWRITER_OFF) == m->cwriter);
	}
	/* A guest that takes interrupts: both groups on, every
	 * redistributor awake. */
	raw_write(F.cfg.gicd_base, 4, 3);
	for (uint32_t r = 0; r < nr_vcpus(); r++)
		raw_write(rd_gpa(r, GICR_WAKER), 4, 0);
	check_state();
	/* Each vCPU runs while it has something to take (as after WFI). */
	for (int round = 0;; round++) {
		bool any = false;
		FZ_CHECK(round < 64);
		for (uint32_t v = 0; v < nr_vcpus(); v++) {
			if (round && !wants_to_run(v))
				continue;
			drain_vcpu(v);
			any = true;
		}
		if (!any)
			break;
	}
	check_state();
	pm_check(true);
	/* Nothing deliverable is left: pending LPIs are disabled ones, and
	 * a pending table holds LPIs only while the store is full. */
	uint32_t busy = 0;
	for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++) {
		const struct vgic_lpi *l = &F.vm->lpis[k];
		/* the lowest priority is masked even by PMR 0xff when fewer
		 * than 7 priority bits are implemented */
		if (l->irq.priority < (0xff & F.pri_mask))
			FZ_CHECK_IRQ(&l->irq,
				     !vgic_irq_can_pend(F.vm, &l->irq));
		busy += slot_busy(l);
	}
	for (uint32_t r = 0; r < nr_vcpus(); r++) {
		if (F.vm->vcpus[r].lpi_spilled && busy != F.cfg.nr_lpi_slots) {
			fprintf(stderr, "rd %u spilled, %u of %u slots busy\n",
				r, busy, F.cfg.nr_lpi_slots);
			for (uint32_t k = 0; k < F.cfg.nr_lpi_slots; k++)
				fz_dump_irq(&F.vm->lpis[k].irq);
		}
		if (F.vm->vcpus[r].lpi_spilled)
			FZ_CHECK(busy == F.cfg.nr_lpi_slots);
	}
}

/* ------------------------------------------------------------ setup */

/* Configuration from the first four bytes. */
static void its_config(const uint8_t c[4])
{
	static const uint8_t bits[16] = {16, 8,	 4,  1,	 2,  5, 10, 12,
					 16, 20, 24, 31, 32, 3, 6,  14};
	static const uint32_t slots[4] = {8, 16, 32, 2};
	static const uint32_t cache[8] = {1024, 1, 2, 16, 4, 64, 256, 8};

	vgic_config_default(&F.cfg);
	F.cfg.nr_vcpus = 2 + c[0] % 3u;
	F.cfg.pri_bits = (uint8_t)(5 + (c[0] >> 2) % 4u);
	F.cfg.nr_its = 1 + ((c[0] >> 4) & 1u);
	F.stop_ops = !((c[0] >> 5) & 1);
	F.cfg.lpi_id_bits = (uint8_t)(14 + ((c[0] >> 6) % 3u));
	F.cfg.nr_lrs = (uint8_t)(1 + c[1] % 16u);
	F.cfg.nr_lpi_slots = slots[(c[1] >> 4) & 3];
	F.cfg.iidr = (c[1] & 0x80) ? 0x1234043bu : 0;
	F.cfg.nr_spis = 32;
	F.cfg.its_device_bits = bits[c[2] & 15];
	F.cfg.its_event_bits = bits[c[2] >> 4];
	F.cfg.its_cache_size = cache[c[3] & 7];
	F.cfg.its_base = its_bases;
	F.pri_mask = (uint8_t)(0xff00u >> F.cfg.pri_bits);
}

static void build(const uint8_t c[4])
{
	memset(&F.cfg, 0, sizeof(F) - offsetof(struct fz, cfg));
	its_config(c);
	fz_model_init();
	F.ops = *model_host_ops();
	F.ops.version = VGIC_HOST_OPS_VERSION;
	F.ops.vcpu_stop = F.stop_ops ? fz_op_stop : NULL;
	F.ops.vcpu_resume = F.stop_ops ? fz_op_resume : NULL;
	F.ops.guest_read = hook_read;
	F.ops.guest_write = hook_write;
	size_t size = vgic_vm_size(&F.cfg);
	FZ_CHECK(size && size <= sizeof(fz_mem));
	FZ_CHECK(vgic_vm_init(fz_mem, size, &F.cfg, &F.ops, &F.m, &F.vm) == 0);
	for (uint32_t p = 0; p < FZ_PCPUS; p++)
		F.running[p] = FZ_NONE;
	if ((c[1] & 0x40) && !skip("grp1"))
		return;
	raw_write(F.cfg.gicd_base, 4, 3);
	for (uint32_t v = 0; v < nr_vcpus(); v++)
		raw_write(rd_gpa(v, GICR_WAKER), 4, 0);
}

static struct {
	bool valid;
	uint8_t key[4];
	size_t size;
	struct model m;
} snap;

static void print_totals(void)
{
	fprintf(stderr,
		"fuzz_its: %llu inputs, %llu commands checked (%llu done, "
		"%llu ignored, %llu stalled, %llu open), %llu MSIs (%llu "
		"checked, %llu delivered), %llu ITSs lost track (%llu %llu "
		"%llu %llu)\n",
		(unsigned long long)G.inputs, (unsigned long long)G.cmds,
		(unsigned long long)G.cmds_ok, (unsigned long long)G.cmds_err,
		(unsigned long long)G.cmds_stall,
		(unsigned long long)G.cmds_unknown, (unsigned long long)G.msis,
		(unsigned long long)G.msis_checked,
		(unsigned long long)G.msis_ok, (unsigned long long)G.imprecise,
		(unsigned long long)G.why[0], (unsigned long long)G.why[1],
		(unsigned long long)G.why[2], (unsigned long long)G.why[3]);
}

static void setup(struct fz_in *in)
{
	uint8_t key[4] = {fz_u8(in), fz_u8(in), fz_u8(in), fz_u8(in)};
	static bool once;

	if (!once) {
		once = true;
		if (getenv("FZ_ITS_STATS"))
			atexit(print_totals);
		skip_list = getenv("FZ_ITS_SKIP");
		tracing = getenv("FZ_ITS_TRACE") != NULL;
	}
	if (T.dirty_hi > T.dirty_lo)
		memset(ram + T.dirty_lo, 0, T.dirty_hi - T.dirty_lo);
	memset(&T, 0, sizeof(T));
	T.cur_its = -1;
	T.dirty_lo = RAM_SIZE;
	if (snap.valid && !memcmp(key, snap.key, sizeof(key))) {
		its_config(key);
		F.ops.vcpu_stop = F.stop_ops ? fz_op_stop : NULL;
		F.ops.vcpu_resume = F.stop_ops ? fz_op_resume : NULL;
		memcpy(fz_mem, fz_snap_mem, snap.size);
		memcpy(&F.m, &snap.m, sizeof(F.m));
		memset(F.stopped_on, 0, sizeof(F.stopped_on));
		for (uint32_t p = 0; p < FZ_PCPUS; p++)
			F.running[p] = FZ_NONE;
	} else {
		build(key);
		snap.valid = true;
		memcpy(snap.key, key, sizeof(key));
		snap.size = vgic_vm_size(&F.cfg);
		memcpy(fz_snap_mem, fz_mem, snap.size);
		memcpy(&snap.m, &F.m, sizeof(F.m));
	}
	T.cb = 1;
	while ((1u << T.cb) < nr_vcpus())
		T.cb++;
	for (uint32_t i = 0; i < NITS; i++)
		for (uint32_t k = 0; k < MAX_COLL; k++)
			T.its[i].coll[k] = NO_COLL;
	/* Reset values, as read. */
	for (uint32_t i = 0; i < F.cfg.nr_its; i++) {
		struct its_m x = T.its[i];
		x.baser[0] = baser_ro(0);
		x.baser[1] = baser_ro(1);
		T.its[i].baser[0] = x.baser[0];
		T.its[i].baser[1] = x.baser[1];
		T.its[i].creadr =
			(uint32_t)raw_read(its_gpa(i, GITS_CREADR), 8, (int)i);
		FZ_CHECK(T.its[i].creadr == 0);
		its_refresh(i, &x, false);
	}
	for (uint32_t r = 0; r < nr_vcpus(); r++) {
		rd_refresh(r);
		FZ_CHECK(!T.lpis_en[r] && !T.propbaser[r] && !T.pendbaser[r]);
	}
	G.inputs++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = {data, size};

	setup(&in);
	while (in.n) {
		uint8_t k = fz_u8(&in);
		TRACE("op %u\n", k % 16);
		switch (k % 16) {
		case 0:
		case 1:
			op_gits(&in);
			break;
		case 2:
		case 3:
			op_enqueue(&in);
			break;
		case 4:
			op_setup(&in);
			break;
		case 5:
			op_lpi_enable(&in);
			break;
		case 6:
		case 7:
			op_gicr(&in);
			break;
		case 8:
		case 9:
			op_ram(&in);
			break;
		case 10:
			op_msi(&in);
			break;
		case 11:
			op_translater(&in);
			break;
		case 12:
			op_switch(&in);
			break;
		case 13:
		case 14:
			op_guest(&in);
			break;
		default:
			op_misc(&in);
			break;
		}
	}
	liveness();
	return 0;
}
