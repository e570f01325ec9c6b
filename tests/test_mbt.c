/* SPDX-License-Identifier: MIT */
/*
 * Model-based random testing: libvgic on the software GIC model, checked
 * against a small executable reference of GICv3 semantics (Arm IHI 0069).
 *
 * The reference keeps, in plain arrays, what the architecture defines per
 * INTID (enable, pending latch, input line, active, priority, group,
 * edge/level, route) and per vCPU (priority mask, group enables, EOImode,
 * the interrupts the guest acknowledged and has not yet completed). A
 * seeded random sequence of operations drives both sides: host injections
 * (edges, line levels), guest MMIO (enables, pending, active, priority,
 * group, trigger, IROUTER with 1-of-N, GICD_CTLR, GICR_WAKER) and SGIs,
 * guest acknowledge, EOI and DIR through the model's ICV_* registers
 * (EOImode 0 and 1), priority mask, binary point and group enables, vCPU
 * exits, switch-out and migration between physical CPUs, with more
 * pending interrupts than list registers (1 to 4 of them).
 *
 * Every acknowledge is checked: the INTID is pending, enabled and routed
 * to that vCPU in the reference, of an enabled group, beats the priority
 * mask and the running priority, and nothing eligible has strictly higher
 * priority (among equals the architecture leaves the choice open). Since
 * an acknowledged interrupt must have been pending in the reference, an
 * edge injected many times while pending is delivered once. At random
 * quiescent points and at the end the guest unmasks everything and
 * drains: whatever the reference says is deliverable must come out. The
 * guest-visible registers (GICD/GICR read back through vgic_mmio_read)
 * are compared with the reference as well.
 *
 * As a hypervisor does, the host makes a running vCPU exit at once when
 * libvgic kicks it or the maintenance interrupt fires: the test "settles"
 * after each operation, so the guest always sees the current state.
 *
 * The guest behaves: it completes interrupts in order, changes EOImode and
 * the binary points only with nothing active, ICFGR only while disabled,
 * priority and group only of inactive interrupts, and ISACTIVER only when
 * every vCPU runs with EOImode 1 (with EOImode 0 an EOI of an interrupt
 * without LR comes back as a bare ICH_HCR_EL2.EOIcount, which cannot say
 * which of several such interrupts it was). Forwarded (HW) interrupts are
 * not covered here (test_forward).
 *
 * A second set of seeds adds LPIs (14 to 16 INTID bits, in some seeds a
 * store of a few slots, so that LPIs spill to the pending tables and come
 * back) and a virtual ITS with its tables and command queue in guest RAM.
 * The reference keeps each LPI's pending state per redistributor (after
 * moves one may be pending at several), the configurations (enable,
 * priority) each redistributor may hold, given the property bytes the
 * guest wrote and the invalidations since (a slot keeps what it loaded
 * until INVLPIR, INVALLR, INV or INVALL: src/lpi.c), and the ITS
 * translation: devices, ITEs as the ITTs hold them, collections. The
 * operations: MSIs (vgic_inject_msi, GITS_TRANSLATER), batches of ITS
 * commands (MAPD, MAPC, MAPTI, MAPI, MOVI, MOVALL, DISCARD, INV, INVALL,
 * INT, CLEAR, SYNC, unknown ones; some malformed: they must be ignored
 * and counted), property changes followed or not by an invalidation,
 * GICR_SETLPIR/CLRLPIR/INVLPIR/INVALLR, vgic_inject_lpi, mixed with the
 * operations above. An acknowledged LPI must be pending at that
 * redistributor, enabled in the configuration its slot holds (which must
 * be one the reference allows), of the highest priority among those in
 * the store; it is consumed (no active state), its EOI only drops the
 * priority. A MOVI or MOVALL of an LPI pending only in an LR of its old,
 * running vCPU is the library's choice (src/lpi.c, move_slot: moved, or
 * left there when the new redistributor has a busy slot of it): the
 * reference takes what the library did, but never a duplicate or a loss.
 * Drains take every LPI in the store, and every spilled one while a slot
 * is free (cfg.nr_lpi_slots bounds how many may be pending at once).
 *
 * VGIC_MBT_SEED=N runs one seed; VGIC_MBT_SEEDS=K and VGIC_MBT_OPS=M
 * scale the run (VGIC_MBT_FIRST=F: seeds F..F+K-1); VGIC_MBT_LPI=0 runs
 * only the seeds without LPIs, =1 only those with. A failure prints the
 * seed, the command that replays it, the last operations and the state
 * of both sides.
 */
#include <stdio.h>
#include <string.h>

#include "its_guest.h"

#define MBT_MAX_VCPUS 4
#define MBT_PCPUS 2
#define MBT_NR_SPIS 16
#define MBT_PRIO_MASK 0xf8 /* 5 priority bits */
#ifndef MBT_RING
#define MBT_RING 32
#endif
#define MBT_DEFAULT_SEEDS 150
#define MBT_DEFAULT_OPS 2500
#define MBT_DEFAULT_LPI_SEEDS 70

/* LPIs and the vITS (run_seed with LPIs): the LPIs operations pick from,
 * the DeviceIDs with small ITTs (0: GITS_TRANSLATER's) and their events,
 * DeviceID 7 with 2^14 events for MAPI (EventID = pINTID), DeviceID 5 is
 * never mapped. */
#define MBT_NR_LPIS 12
#define MBT_NR_DEVS 4
#define MBT_NR_EVS 8
#define MBT_BIG_DEV 7
#define MBT_BIG_BITS 14
#define MBT_BIG_ITT (H_RAM_BASE + 0x200000) /* 128 KiB, 2^14 ITEs */
#define MBT_NO_DEV 5
#define MBT_MAX_COLLS 4
#define MBT_ITS_BATCH 4
#define GICR_CTLR 0x0000
#define GICR_SETLPIR 0x0040
#define GICR_CLRLPIR 0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR 0x00a0
#define GICR_INVALLR 0x00b0
#define PENDBASER_PTZ (1ULL << 62)

/* ------------------------------------------------------- reference */

struct ref_irq {
	bool enabled;
	bool latch; /* pending latch: edge, ISPENDR, SGI */
	bool line;  /* input line level */
	bool active;
	bool group1;
	bool edge;
	bool mmio_active; /* made active by ISACTIVER, not by the guest */
	bool irm;	  /* SPI routed 1-of-N (GICD_IROUTER.IRM) */
	uint8_t prio;
	int target; /* SPI: vCPU it is routed to, -1 for none */
};

/* An interrupt the guest acknowledged and has not dropped yet. */
struct ref_held {
	uint32_t intid;
	uint8_t gprio; /* group priority at acknowledge (the APR bit) */
	unsigned grp;
};

struct ref_vcpu {
	struct ref_irq priv[VGIC_NR_PRIVATE];
	uint8_t pmr;
	uint8_t bpr[2]; /* ICV_BPR0/1 (VCBPR stays 0) */
	bool igrpen[2];
	bool eoimode;
	struct ref_held stack[64]; /* priority not dropped, oldest first */
	unsigned nstack;
	uint32_t dropped[64]; /* EOImode 1: dropped, not yet deactivated */
	unsigned ndropped;
	uint64_t kicks_seen;
};

struct mbt_totals {
	uint64_t seeds, ops, acks, drains, compares, max_pending;
	uint64_t underflow, np, eoicount, exits;
	/* with LPIs */
	uint64_t lpi_acks, msis, msi_dropped, its_cmds, its_errors, spilled;
	uint64_t moves, moves_in_flight, stayed, cache_hits, props, invs;
};

/*
 * LPI `k` of the pool at redistributor (vCPU) `v`. Pending state per
 * redistributor: after moves an LPI may be pending at several at once.
 * The configuration (enable, priority) is a set of candidates, one bit
 * per value (cfg_idx): `hist` holds every value the property byte had
 * since the last invalidation there (what the architecture lets a
 * Redistributor's cache hold), `cfgs` those the library may hold now:
 * narrowed to the one it holds while the LPI is pending in a slot (a
 * slot keeps its byte until INVLPIR, INVALLR, INV, INVALL), widened to
 * `hist` when it becomes pending anew (a slot made now loads the byte,
 * an idle one kept its cached value).
 */
struct ref_lpi {
	bool pend;
	uint64_t cfgs, hist;
};

/* An ITE as the ITT in guest memory holds it (it outlives MAPD V=0). */
struct ref_ite {
	bool valid;
	uint8_t k; /* LPI of the pool */
	uint16_t icid;
};

struct ref_its {
	bool on; /* this seed runs with LPIs and a vITS */
	uint8_t id_bits;
	uint32_t slots, cache, ncoll, cwriter;
	uint32_t pool[MBT_NR_LPIS];
	struct ref_lpi l[MBT_MAX_VCPUS][MBT_NR_LPIS];
	bool dev_valid[8];
	uint8_t dev_bits[8];
	struct ref_ite ite[8][MBT_NR_EVS];
	struct ref_ite big[MBT_NR_LPIS]; /* DeviceID 7, EventID pool[k] */
	int coll[MBT_MAX_COLLS];	 /* ICID -> rd, -1: unmapped */
	/* during one batch of commands: LPIs in flight (pending in an LR
	 * of a running vCPU) when it began, pending state it changed, and
	 * moves whose outcome the library may choose (rd + 1) */
	bool infl[MBT_MAX_VCPUS][MBT_NR_LPIS];
	bool touched[MBT_MAX_VCPUS][MBT_NR_LPIS];
	uint8_t slot0[MBT_MAX_VCPUS][MBT_NR_LPIS]; /* 1 idle, 2 pending */
	uint8_t either[MBT_MAX_VCPUS][MBT_NR_LPIS];
	uint8_t expect[MBT_MAX_VCPUS][MBT_NR_LPIS]; /* 1 stays, 2 moves */
};

static struct {
	uint64_t seed, rng;
	unsigned nv, nlrs, op;
	unsigned ops; /* of this seed's run; 0 for a fixed scenario */
	uint32_t gicd_ctlr;
	bool asleep[MBT_MAX_VCPUS]; /* GICR_WAKER.ProcessorSleep */
	struct ref_vcpu vc[MBT_MAX_VCPUS];
	struct ref_irq spi[MBT_NR_SPIS];
	char ring[MBT_RING][128];
	unsigned nring;
	bool trace;
	uint64_t acks;
	struct ref_its lp;
} R;

static struct mbt_totals T;

/* The INTIDs operations pick from: a few of each class, so that they
 * collide (merging, preemption, re-injection while active). */
static const uint32_t pool_sgi[] = {0, 1, 2, 3};
static const uint32_t pool_ppi[] = {20, 21, 22, 23};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --------------------------------------------------- trace, failure */

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;
	char *slot = R.ring[R.nring++ % MBT_RING];
	int n = snprintf(slot, sizeof(R.ring[0]), "%6u ", R.op);

	va_start(ap, fmt);
	vsnprintf(slot + n, sizeof(R.ring[0]) - (size_t)n, fmt, ap);
	va_end(ap);
	if (R.trace) /* VGIC_MBT_TRACE=1: every operation, as it runs */
		fprintf(stderr, "  %s\n", slot);
}

static void dump_ring(void)
{
	unsigned first = R.nring > MBT_RING ? R.nring - MBT_RING : 0;

	fprintf(stderr, "last operations (op number first):\n");
	for (unsigned i = first; i < R.nring; i++)
		fprintf(stderr, "  %s\n", R.ring[i % MBT_RING]);
}

static void dump_state(void);

static void mbt_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void mbt_fail(const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr,
		"MBT FAILURE: seed %llu (vCPUs %u, LRs %u), op %u: %s\n",
		(unsigned long long)R.seed, R.nv, R.nlrs, R.op, msg);
	if (R.lp.on)
		fprintf(stderr,
			"  with LPIs: %u ID bits, %u slots, %u collections\n",
			R.lp.id_bits, R.lp.slots, R.lp.ncoll);
	/* The same seed replays the same operations; stopping right after
	 * the failing one gives the shortest trace. */
	if (R.ops)
		fprintf(stderr,
			"reproduce: VGIC_MBT_SEED=%llu VGIC_MBT_OPS=%u "
			"VGIC_MBT_LPI=%d\n",
			(unsigned long long)R.seed,
			R.op < R.ops ? R.op + 1 : R.ops, R.lp.on);
	dump_ring();
	dump_state();
	fail_msg("model-based test failed, seed %llu",
		 (unsigned long long)R.seed);
}

#define CHECK(c, ...)                                                          \
	do {                                                                   \
		if (!(c))                                                      \
			mbt_fail(__VA_ARGS__);                                 \
	} while (0)

/* ------------------------------------------------------------ random */

static uint64_t rnd(void)
{
	uint64_t z = (R.rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static bool chance(unsigned percent)
{
	return below(100) < percent;
}

static uint32_t pick_intid(void)
{
	uint32_t r = below(4);

	if (r == 0)
		return pool_sgi[below(ARRAY_LEN(pool_sgi))];
	if (r == 1)
		return pool_ppi[below(ARRAY_LEN(pool_ppi))];
	return 32 + below(MBT_NR_SPIS);
}

static uint8_t pick_prio(void)
{
	static const uint8_t p[] = {0x00, 0x20, 0x40, 0x60, 0x80,
				    0xa0, 0xc0, 0xe0, 0xf8};
	return chance(80) ? p[below(ARRAY_LEN(p))] : (uint8_t)below(256);
}

/* ------------------------------------------------- reference queries */

static struct ref_irq *ref(uint32_t v, uint32_t intid)
{
	return intid < VGIC_NR_PRIVATE ? &R.vc[v].priv[intid]
				       : &R.spi[intid - VGIC_NR_PRIVATE];
}

static int ref_target(uint32_t v, uint32_t intid)
{
	return intid < VGIC_NR_PRIVATE ? (int)v : ref(v, intid)->target;
}

static bool ref_pending(const struct ref_irq *r)
{
	return r->latch || (!r->edge && r->line);
}

/* Group priority bits of a `grp` interrupt (IHI 0069, 4.8: BPR0 = b keeps
 * bits [7:b+1]; BPR1 = b, with CBPR 0, keeps [7:b]). */
static uint8_t ref_gmask(uint32_t v, unsigned grp)
{
	unsigned b = R.vc[v].bpr[grp];

	return (uint8_t)(0xffu << (grp ? b : b + 1));
}

/* Running priority: the highest group priority acknowledged and not
 * dropped (ICV_RPR_EL1). */
static uint8_t ref_running(uint32_t v)
{
	const struct ref_vcpu *c = &R.vc[v];
	uint8_t run = 0xff;

	for (unsigned i = 0; i < c->nstack; i++)
		if (c->stack[i].gprio < run)
			run = c->stack[i].gprio;
	return run;
}

/* Does a pending `grp` interrupt of priority `prio` get signalled: below
 * the priority mask, and its group priority higher than the running
 * priority (subpriority never preempts). */
static bool ref_preempts(uint32_t v, uint8_t prio, unsigned grp)
{
	uint8_t run = ref_running(v), gm = ref_gmask(v, grp);

	return prio < R.vc[v].pmr && (run == 0xff || (prio & gm) < (run & gm));
}

/* Could `v` acknowledge `intid` if nothing masked it? Pending, enabled,
 * routed to `v`, not active, group enabled in GICD_CTLR and ICV_IGRPEN. */
static bool ref_eligible(uint32_t v, uint32_t intid)
{
	const struct ref_irq *r = ref(v, intid);

	return ref_pending(r) && r->enabled && !r->active &&
	       ref_target(v, intid) == (int)v &&
	       (R.gicd_ctlr & (r->group1 ? 2u : 1u)) &&
	       R.vc[v].igrpen[r->group1];
}

/* Would it be signalled: beats the priority mask and running priority. */
static bool ref_signalable(uint32_t v, uint32_t intid)
{
	const struct ref_irq *r = ref(v, intid);

	return ref_eligible(v, intid) && ref_preempts(v, r->prio, r->group1);
}

static bool in_pool(uint32_t intid)
{
	for (unsigned i = 0; i < ARRAY_LEN(pool_sgi); i++)
		if (pool_sgi[i] == intid)
			return true;
	for (unsigned i = 0; i < ARRAY_LEN(pool_ppi); i++)
		if (pool_ppi[i] == intid)
			return true;
	return intid >= VGIC_NR_PRIVATE && intid < 32 + MBT_NR_SPIS;
}

/* ------------------------------------------- reference queries: LPIs */

#define CFG_ENABLED 0xffffffff00000000ULL /* cfg_bit with Enable set */

static int lpi_k(uint32_t intid)
{
	for (unsigned k = 0; k < MBT_NR_LPIS; k++)
		if (R.lp.pool[k] == intid)
			return (int)k;
	return -1;
}

/* LPI k's byte of the property table (one table for every
 * redistributor), in guest memory. */
static uint8_t *prop_at(unsigned k)
{
	return &H.ram[IG_PROP - H_RAM_BASE + R.lp.pool[k] - VGIC_MIN_LPI];
}

/* One bit per configuration: Enable, then the priority bits kept. */
static uint64_t cfg_bit(bool en, uint8_t prio)
{
	return 1ULL << ((en ? 32u : 0u) | (prio & MBT_PRIO_MASK) >> 3);
}

static uint64_t prop_cfg(unsigned k)
{
	uint8_t b = *prop_at(k);

	return cfg_bit(b & 1u, b);
}

/* The priority of a single configuration bit. */
static uint8_t cfg_prio(uint64_t c)
{
	return (uint8_t)((unsigned)(__builtin_ctzll(c) & 31) << 3);
}

static bool pend_table_bit(uint32_t v, uint32_t intid)
{
	return (H.ram[IG_PEND(v) - H_RAM_BASE + intid / 8] >> (intid % 8)) & 1;
}

/*
 * What the library holds for LPI k at redistributor v (vgic_irq_state
 * reads its slot; a spilled LPI has none). Every configuration a slot
 * holds must be a value of the property byte since the last
 * invalidation there; a pending one must be a candidate, and fixes it.
 * True if the LPI is pending in the reference and in a slot (not in the
 * pending table).
 */
static bool lpi_observe(uint32_t v, unsigned k)
{
	struct ref_lpi *l = &R.lp.l[v][k];
	struct vgic_irq_state st;
	uint32_t intid = R.lp.pool[k];
	int rc = vgic_irq_state(H.vm, v, intid, &st);

	CHECK(rc == 0 || rc == VGIC_ENOENT, "irq_state v%u LPI %u: %d", v,
	      intid, rc);
	if (rc)
		return false;
	uint64_t c = cfg_bit(st.enabled, st.priority);
	CHECK(st.target == (int32_t)v && st.group1 && st.edge && !st.active,
	      "v%u LPI %u: slot target %d g1 %d edge %d active %d", v, intid,
	      st.target, st.group1, st.edge, st.active);
	CHECK(l->hist & c,
	      "v%u LPI %u: slot holds enable %d priority %#x, which the "
	      "property byte never had since the last invalidation "
	      "(%#llx)",
	      v, intid, st.enabled, st.priority, (unsigned long long)l->hist);
	if (!st.pending || !l->pend)
		return false;
	CHECK(l->cfgs & c,
	      "v%u LPI %u pending with enable %d priority %#x: its slot "
	      "changed configuration without an invalidation (may hold "
	      "%#llx)",
	      v, intid, st.enabled, st.priority, (unsigned long long)l->cfgs);
	l->cfgs = c;
	return true;
}

/* Could `v` take LPI k now: pending there, in a slot, enabled in the
 * configuration that slot holds, Group 1 enabled (LPIs are Group 1 and
 * have no active state)? Its priority in *prio. */
static bool lpi_eligible(uint32_t v, unsigned k, uint8_t *prio)
{
	const struct ref_lpi *l = &R.lp.l[v][k];

	if (!l->pend || !(R.gicd_ctlr & 2u) || !R.vc[v].igrpen[1] ||
	    !lpi_observe(v, k))
		return false;
	*prio = cfg_prio(l->cfgs);
	return (l->cfgs & CFG_ENABLED) != 0;
}

static bool lpi_signalable(uint32_t v, unsigned k)
{
	uint8_t prio;

	return lpi_eligible(v, k, &prio) && ref_preempts(v, prio, 1);
}

/*
 * Every slot holds a pair that is pending or in flight (in an LR as of
 * its vCPU's last flush; cfg.nr_lpi_slots: how many may be at once): a
 * spilled LPI waits in its pending table until one is neither.
 */
static bool lpi_store_full(void)
{
	uint32_t busy = 0;

	for (uint32_t v = 0; v < R.nv; v++) {
		for (unsigned k = 0; k < MBT_NR_LPIS; k++) {
			struct vgic_irq_state st;
			busy += vgic_irq_state(H.vm, v, R.lp.pool[k], &st) ==
					0 &&
				st.pending;
		}
	}
	return busy >= R.lp.slots;
}

/* Pending, and signalable whatever configuration the library holds
 * (enabled, beats the priority mask and the running priority). */
static bool lpi_signalable_any(uint32_t v, unsigned k)
{
	const struct ref_lpi *l = &R.lp.l[v][k];

	if (!l->pend || !(R.gicd_ctlr & 2u) || !R.vc[v].igrpen[1])
		return false;
	lpi_observe(v, k);
	for (uint64_t c = l->cfgs; c; c &= c - 1)
		if (!(c & CFG_ENABLED & -c) ||
		    !ref_preempts(v, cfg_prio(c & -c), 1))
			return false;
	return true;
}

/* Signalable, in a slot or spilled while a slot is free: it must be
 * delivered once the guest unmasks everything (a spilled one comes
 * back into the store at its vCPU's sync). */
static bool lpi_must_deliver(uint32_t v, unsigned k)
{
	return lpi_signalable_any(v, k) &&
	       (lpi_observe(v, k) || !lpi_store_full());
}

/* Is some LPI still to be delivered (drain goes on)? A spilled one
 * comes back into the store at its vCPU's sync once a slot freed. */
static bool lpi_waiting(void)
{
	for (uint32_t v = 0; R.lp.on && v < R.nv; v++)
		for (unsigned k = 0; k < MBT_NR_LPIS; k++)
			if (lpi_must_deliver(v, k))
				return true;
	return false;
}

/* ------------------------------------------- reference changes: LPIs */

/* Becomes pending at `v` (merges if it is). A slot made now loads the
 * byte; an idle one kept the value it had: any since the last
 * invalidation. */
static void lpi_pend(uint32_t v, unsigned k)
{
	struct ref_lpi *l = &R.lp.l[v][k];

	R.lp.touched[v][k] = true;
	if (!l->pend) {
		l->pend = true;
		l->cfgs = l->hist;
	}
}

static void lpi_unpend(uint32_t v, unsigned k)
{
	R.lp.touched[v][k] = true;
	R.lp.l[v][k].pend = false;
}

/* INVLPIR, INVALLR, INV, INVALL: the redistributor holds the byte. */
static void lpi_inv(uint32_t v, unsigned k)
{
	struct ref_lpi *l = &R.lp.l[v][k];

	l->hist = l->cfgs = prop_cfg(k);
}

/* An invalidation that may reach it (INVALL of another collection). */
static void lpi_inv_maybe(uint32_t v, unsigned k)
{
	R.lp.l[v][k].cfgs |= prop_cfg(k);
}

/* The guest writes LPI k's property byte. A slot keeps what it has
 * until invalidated; a spilled pending LPI loads it when it comes back
 * into the store. */
static void lpi_prop_write(unsigned k, uint8_t byte)
{
	*prop_at(k) = byte;
	uint64_t c = prop_cfg(k);

	for (uint32_t v = 0; v < R.nv; v++) {
		struct ref_lpi *l = &R.lp.l[v][k];
		l->hist |= c;
		if (l->pend && !lpi_observe(v, k))
			l->cfgs |= c;
	}
}

/*
 * MOVI/MOVALL: the pending state of LPI k at `from` moves to `to`,
 * merging with one pending there (IHI 0069, MOVI). One pending only in
 * an LR of `from`, running (it was when the commands began and nothing
 * touched it since), moves too: the library stops the holder (its LRs
 * synced) before the command completes, and the guest took nothing
 * meanwhile (src/lpi.c, move_slot). lpi_resolve checks that it left
 * `from` and is pending at `to`, once.
 */
static void lpi_move(uint32_t from, uint32_t to, unsigned k)
{
	if (from == to || !R.lp.l[from][k].pend)
		return;
	T.moves++;
	if (R.lp.infl[from][k] && !R.lp.touched[from][k]) {
		R.lp.either[from][k] = (uint8_t)(to + 1);
		R.lp.expect[from][k] = 2;
		T.moves_in_flight++;
		return;
	}
	lpi_unpend(from, k);
	lpi_pend(to, k);
}

/* The running vCPUs' LPIs in the pending state of an LR, and the
 * library's slots. */
static void lpi_batch_begin(void)
{
	memset(R.lp.infl, 0, sizeof(R.lp.infl));
	memset(R.lp.touched, 0, sizeof(R.lp.touched));
	for (uint32_t v = 0; v < R.nv; v++) {
		for (unsigned k = 0; k < MBT_NR_LPIS; k++) {
			struct vgic_irq_state st;
			int rc = vgic_irq_state(H.vm, v, R.lp.pool[k], &st);
			R.lp.slot0[v][k] = rc ? 0 : st.pending ? 2 : 1;
		}
	}
	for (uint32_t p = 0; p < MBT_PCPUS; p++) {
		int v = H.running[p];
		for (unsigned n = 0; v >= 0 && n < R.nlrs; n++) {
			uint64_t lr = model_ich_lr(&H.m, p, n);
			int k = lpi_k((uint32_t)(lr & VGIC_LR_VINTID_MASK));
			if (k >= 0 && (lr & VGIC_LR_PENDING))
				R.lp.infl[v][k] = true;
		}
	}
}

/* The moves of in-flight LPIs: stayed (still pending in the old
 * redistributor's slot) or moved (pending at the new one, once). */
static void lpi_resolve(void)
{
	for (uint32_t v = 0; v < R.nv; v++) {
		for (unsigned k = 0; k < MBT_NR_LPIS; k++) {
			if (!R.lp.either[v][k])
				continue;
			uint32_t to = R.lp.either[v][k] - 1u,
				 intid = R.lp.pool[k];
			unsigned want = R.lp.expect[v][k];
			struct vgic_irq_state st;
			R.lp.either[v][k] = 0;
			if (vgic_irq_state(H.vm, v, intid, &st) == 0 &&
			    st.pending) {
				note("LPI %u in flight at v%u stays (v%u)",
				     intid, v, to);
				CHECK(want != 2,
				      "LPI %u in flight at v%u stayed there "
				      "after the move to v%u completed",
				      intid, v, to);
				T.stayed++;
				continue;
			}
			note("LPI %u in flight at v%u moved to v%u", intid, v,
			     to);
			CHECK(want != 1,
			      "LPI %u in flight at v%u moved to v%u, where it "
			      "was pending in a slot",
			      intid, v, to);
			lpi_unpend(v, k);
			lpi_pend(to, k);
			CHECK(lpi_observe(to, k),
			      "LPI %u moved from v%u: not pending at v%u",
			      intid, v, to);
		}
	}
}

typedef void intid_fn(uint32_t v, uint32_t intid, void *arg);

/* Every INTID of the pool as vCPU `v` sees it. */
static void for_each_intid(uint32_t v, intid_fn *fn, void *arg)
{
	for (unsigned i = 0; i < ARRAY_LEN(pool_sgi); i++)
		fn(v, pool_sgi[i], arg);
	for (unsigned i = 0; i < ARRAY_LEN(pool_ppi); i++)
		fn(v, pool_ppi[i], arg);
	for (uint32_t i = 0; i < MBT_NR_SPIS; i++)
		fn(v, 32 + i, arg);
}

struct best {
	int prio; /* 256: nothing eligible */
	bool grp[2];
	unsigned count;
};

static void best_one(uint32_t v, uint32_t intid, void *arg)
{
	struct best *b = arg;
	const struct ref_irq *r = ref(v, intid);

	if (!ref_eligible(v, intid))
		return;
	b->count++;
	if (r->prio < b->prio) {
		b->prio = r->prio;
		b->grp[0] = b->grp[1] = false;
	}
	if (r->prio == b->prio)
		b->grp[r->group1] = true;
}

/* Highest priority eligible interrupt(s) of `v`: priority, groups. */
static struct best ref_best(uint32_t v)
{
	struct best b = {256, {false, false}, 0};
	uint8_t prio;

	for_each_intid(v, best_one, &b);
	for (unsigned k = 0; R.lp.on && k < MBT_NR_LPIS; k++) {
		if (!lpi_eligible(v, k, &prio))
			continue;
		b.count++;
		if (prio < b.prio) {
			b.prio = prio;
			b.grp[0] = b.grp[1] = false;
		}
		if (prio == b.prio)
			b.grp[1] = true;
	}
	return b;
}

static bool ref_guest_holds(uint32_t intid, uint32_t owner_priv)
{
	for (uint32_t v = 0; v < R.nv; v++) {
		const struct ref_vcpu *c = &R.vc[v];
		if (intid < VGIC_NR_PRIVATE && v != owner_priv)
			continue;
		for (unsigned i = 0; i < c->nstack; i++)
			if (c->stack[i].intid == intid)
				return true;
		for (unsigned i = 0; i < c->ndropped; i++)
			if (c->dropped[i] == intid)
				return true;
	}
	return false;
}

static bool ref_any_mmio_active(void)
{
	for (uint32_t v = 0; v < R.nv; v++)
		for (uint32_t n = 0; n < VGIC_NR_PRIVATE; n++)
			if (R.vc[v].priv[n].mmio_active)
				return true;
	for (uint32_t n = 0; n < MBT_NR_SPIS; n++)
		if (R.spi[n].mmio_active)
			return true;
	return false;
}

static bool ref_all_eoimode1(void)
{
	for (uint32_t v = 0; v < R.nv; v++)
		if (!R.vc[v].eoimode)
			return false;
	return true;
}

/* ----------------------------------------------------- world switch */

static int pcpu_of(uint32_t v)
{
	for (int p = 0; p < MBT_PCPUS; p++)
		if (H.running[p] == (int)v)
			return p;
	return -1;
}

static void enter(uint32_t v, uint32_t p)
{
	int rc;

	CHECK(H.running[p] < 0 && pcpu_of(v) < 0, "enter: busy");
	model_vcpu_run_on(&H.m, v, p);
	R.vc[v].kicks_seen = model_kicks(&H.m, v);
	rc = vgic_flush(H.vm, v, &H.cif[p]);
	CHECK(rc == 0, "vgic_flush(%u): %d", v, rc);
	rc = model_vcpuif_load(&H.m, p, &H.cif[p]);
	CHECK(rc == 0, "model_vcpuif_load: %d", rc);
	H.running[p] = (int)v;
}

static void leave(uint32_t p)
{
	struct vgic_cpu_if empty = {0};
	int v = H.running[p], rc;

	CHECK(v >= 0, "exit: pCPU %u idle", p);
	rc = model_vcpuif_save(&H.m, p, &H.cif[p]);
	CHECK(rc == 0, "model_vcpuif_save: %d", rc);
	rc = vgic_sync(H.vm, (uint32_t)v, &H.cif[p]);
	CHECK(rc == 0, "vgic_sync(%d): %d", v, rc);
	model_vcpuif_load(&H.m, p, &empty);
	H.running[p] = -1;
	T.exits++;
}

static void put(uint32_t p)
{
	uint32_t v = (uint32_t)H.running[p];

	leave(p);
	CHECK(vgic_vcpu_put(H.vm, v) == 0, "vgic_vcpu_put");
}

/* Host ops v2: stop = make the vCPU exit (synced), resume = re-enter. */
static int stopped_on[MBT_MAX_VCPUS];

static void op_stop(void *ctx, uint32_t v)
{
	(void)ctx;
	int p = pcpu_of(v);
	if (p >= 0) {
		leave((uint32_t)p);
		stopped_on[v] = p + 1;
	}
}

static void op_resume(void *ctx, uint32_t v)
{
	(void)ctx;
	if (stopped_on[v]) {
		uint32_t p = (uint32_t)stopped_on[v] - 1;
		stopped_on[v] = 0;
		enter(v, p);
	}
}

/* A kick or a maintenance interrupt takes the vCPU out of the guest at
 * once; the host re-enters it (flush) before the guest goes on. */
static void settle(void)
{
	for (unsigned guard = 0; guard < 64; guard++) {
		bool again = false;
		for (uint32_t p = 0; p < MBT_PCPUS; p++) {
			int v = H.running[p];
			if (v < 0)
				continue;
			uint64_t k = model_kicks(&H.m, (uint32_t)v);
			if (k != R.vc[v].kicks_seen || h_maint(p)) {
				leave(p);
				enter((uint32_t)v, p);
				again = true;
			}
		}
		if (!again)
			return;
	}
	mbt_fail("livelock: vCPUs keep exiting (kick/maintenance)");
}

/* A trapped guest access by `a`: it is out of the guest meanwhile. */
static int trap_begin(uint32_t a)
{
	int p = pcpu_of(a);

	if (p >= 0)
		leave((uint32_t)p);
	return p;
}

static void trap_end(uint32_t a, int p)
{
	if (p >= 0)
		enter(a, (uint32_t)p);
}

/* --------------------------------------------------------- MMIO */

static uint64_t rd_base(uint32_t rd)
{
	return H.cfg.gicr_base + (uint64_t)rd * GICR_STRIDE;
}

/* Register holding `intid`'s field, `bpi` bits per INTID; private INTIDs
 * through the redistributor of vCPU `rd`. */
static uint64_t reg_of(uint32_t rd, uint32_t base, uint32_t intid, unsigned bpi)
{
	uint32_t off = base + intid * bpi / 32 * 4;

	return intid < VGIC_NR_PRIVATE ? rd_base(rd) + GICR_SGI + off
				       : H.cfg.gicd_base + off;
}

static uint64_t prio_reg(uint32_t rd, uint32_t intid)
{
	return intid < VGIC_NR_PRIVATE
		       ? rd_base(rd) + GICR_SGI + GICD_IPRIORITYR + intid
		       : H.cfg.gicd_base + GICD_IPRIORITYR + intid;
}

static void mmio_w(uint32_t a, uint64_t gpa, unsigned len, uint64_t val)
{
	int rc = vgic_mmio_write(H.vm, a, gpa, len, val);
	CHECK(rc == 0, "mmio write %#llx: %d", (unsigned long long)gpa, rc);
}

static uint64_t mmio_r(uint32_t a, uint64_t gpa, unsigned len)
{
	uint64_t val = 0;
	int rc = vgic_mmio_read(H.vm, a, gpa, len, &val);
	CHECK(rc == 0, "mmio read %#llx: %d", (unsigned long long)gpa, rc);
	return val;
}

static void bit_w(uint32_t a, uint32_t rd, uint32_t base, uint32_t intid)
{
	mmio_w(a, reg_of(rd, base, intid, 1), 4, 1u << (intid % 32));
}

static uint64_t affinity(uint32_t v)
{
	return (v % 16) | (uint64_t)(v / 16) << 8;
}

/* ------------------------------------------- guest MMIO operations */

static void g_enable(uint32_t a, uint32_t v, uint32_t intid, bool en)
{
	note("vcpu%u %s v%u intid %u", a, en ? "ISENABLER" : "ICENABLER", v,
	     intid);
	bit_w(a, v, en ? GICD_ISENABLER : GICD_ICENABLER, intid);
	ref(v, intid)->enabled = en;
}

static void g_pend(uint32_t a, uint32_t v, uint32_t intid, bool p)
{
	note("vcpu%u %s v%u intid %u", a, p ? "ISPENDR" : "ICPENDR", v, intid);
	bit_w(a, v, p ? GICD_ISPENDR : GICD_ICPENDR, intid);
	ref(v, intid)->latch = p;
}

static void g_active(uint32_t a, uint32_t v, uint32_t intid, bool act)
{
	note("vcpu%u %s v%u intid %u", a, act ? "ISACTIVER" : "ICACTIVER", v,
	     intid);
	bit_w(a, v, act ? GICD_ISACTIVER : GICD_ICACTIVER, intid);
	ref(v, intid)->active = act;
	ref(v, intid)->mmio_active = act;
}

static void g_prio(uint32_t a, uint32_t v, uint32_t intid, uint8_t prio)
{
	note("vcpu%u IPRIORITYR v%u intid %u = %#x", a, v, intid, prio);
	mmio_w(a, prio_reg(v, intid), 1, prio);
	ref(v, intid)->prio = prio & MBT_PRIO_MASK;
}

static void g_group(uint32_t a, uint32_t v, uint32_t intid, bool g1)
{
	uint64_t gpa = reg_of(v, GICD_IGROUPR, intid, 1);
	uint64_t bit = 1ULL << (intid % 32);

	note("vcpu%u IGROUPR v%u intid %u = %d", a, v, intid, g1);
	uint64_t cur = mmio_r(a, gpa, 4);
	mmio_w(a, gpa, 4, g1 ? cur | bit : cur & ~bit);
	ref(v, intid)->group1 = g1;
}

static void g_config(uint32_t a, uint32_t v, uint32_t intid, bool edge)
{
	uint64_t gpa = reg_of(v, GICD_ICFGR, intid, 2);
	uint64_t bit = 2ULL << (intid % 16 * 2);

	note("vcpu%u ICFGR v%u intid %u = %s", a, v, intid,
	     edge ? "edge" : "level");
	uint64_t cur = mmio_r(a, gpa, 4);
	mmio_w(a, gpa, 4, edge ? cur | bit : cur & ~bit);
	ref(v, intid)->edge = edge;
}

/* 1-of-N: the lowest-numbered awake vCPU, vCPU 0 if all sleep (the
 * choice ARCHITECTURE.md documents; IHI 0069 leaves it open). */
static int ref_1ofn_target(void)
{
	for (uint32_t v = 0; v < R.nv; v++)
		if (!R.asleep[v])
			return (int)v;
	return 0;
}

static void g_route_to(uint32_t a, uint32_t intid, uint64_t val, int target)
{
	struct ref_irq *r = ref(0, intid);

	note("vcpu%u IROUTER intid %u = %#llx (vcpu %d)", a, intid,
	     (unsigned long long)val, target);
	mmio_w(a, H.cfg.gicd_base + GICD_IROUTER + 8ULL * intid, 8, val);
	r->irm = (val >> 31) & 1;
	r->target = r->irm ? ref_1ofn_target() : target;
}

/* GICR_WAKER.ProcessorSleep of vCPU `v`: 1-of-N SPIs follow. */
static void g_waker(uint32_t a, uint32_t v, bool sleep)
{
	note("vcpu%u GICR_WAKER v%u ProcessorSleep = %d", a, v, sleep);
	mmio_w(a, rd_base(v) + GICR_WAKER, 4, sleep ? 2u : 0u);
	R.asleep[v] = sleep;
	for (uint32_t n = 0; n < MBT_NR_SPIS; n++)
		if (R.spi[n].irm)
			R.spi[n].target = ref_1ofn_target();
}

/* GICD_IROUTER<n>: a vCPU, 1-of-N, or an affinity no vCPU has. */
static void g_route(uint32_t a, uint32_t intid)
{
	uint32_t r = below(10);
	uint64_t val;
	int target;

	if (r < 7) {
		target = (int)below(R.nv);
		val = affinity((uint32_t)target);
	} else if (r < 9) {
		val = 1ULL << 31;
		target = 0; /* g_route_to picks the 1-of-N target */
	} else {
		val = affinity(15);
		target = -1;
	}
	g_route_to(a, intid, val, target);
}

static void g_ctlr(uint32_t a, uint32_t val)
{
	note("vcpu%u GICD_CTLR = %u", a, val);
	mmio_w(a, H.cfg.gicd_base + GICD_CTLR, 4, val);
	R.gicd_ctlr = val & 3u;
}

/* ICC_SGI1R_EL1 (any group with DS == 1) or ICC_SGI0R_EL1 (Group 0). */
static void g_sgi(uint32_t a, uint32_t intid, bool sgi0r)
{
	bool irm = chance(20);
	uint32_t list = irm ? 0 : 1u + below((1u << R.nv) - 1);
	uint64_t val = list | (uint64_t)intid << 24 | (uint64_t)irm << 40;
	enum vgic_sysreg reg = sgi0r ? VGIC_SYSREG_SGI0R : VGIC_SYSREG_SGI1R;

	note("vcpu%u %s intid %u list %#x irm %d", a, sgi0r ? "SGI0R" : "SGI1R",
	     intid, list, irm);
	int rc = vgic_sysreg_write(H.vm, a, reg, val);
	CHECK(rc == 0, "sysreg SGI: %d", rc);
	for (uint32_t t = 0; t < R.nv; t++) {
		bool hit = irm ? t != a : (list >> t) & 1;
		struct ref_irq *r = ref(t, intid);
		if (hit && (!sgi0r || !r->group1))
			r->latch = true;
	}
}

/* ----------------------------------------------- host operations */

static void host_edge(uint32_t v, uint32_t intid)
{
	note("host inject v%u intid %u", v, intid);
	int rc = vgic_inject(H.vm, v, intid);
	CHECK(rc == 0, "vgic_inject: %d", rc);
	ref(v, intid)->latch = true;
}

static void host_level(uint32_t v, uint32_t intid, bool level)
{
	struct ref_irq *r = ref(v, intid);

	note("host line v%u intid %u = %d", v, intid, level);
	int rc = vgic_set_level(H.vm, v, intid, level);
	CHECK(rc == 0, "vgic_set_level: %d", rc);
	if (level && !r->line && r->edge)
		r->latch = true;
	r->line = level;
}

/* ------------------------------------------------ guest CPU interface */

static uint32_t running_vcpu(uint32_t p)
{
	return (uint32_t)H.running[p];
}

/* An acknowledged LPI: pending at this redistributor, enabled in the
 * configuration its slot holds, Group 1, beats the priority mask and the
 * running priority, and nothing eligible has a higher priority. */
static void check_ack_lpi(uint32_t v, unsigned grp, uint32_t got,
			  const struct best *b)
{
	int k = lpi_k(got);

	CHECK(k >= 0, "vcpu%u IAR%u returned INTID %u", v, grp, got);
	struct ref_lpi *l = &R.lp.l[v][k];
	CHECK(l->pend,
	      "vcpu%u IAR%u returned LPI %u: not pending at this "
	      "redistributor",
	      v, grp, got);
	CHECK(lpi_observe(v, (unsigned)k),
	      "vcpu%u IAR%u returned LPI %u: no pending slot", v, grp, got);
	uint8_t prio = cfg_prio(l->cfgs);
	CHECK(l->cfgs & CFG_ENABLED,
	      "vcpu%u IAR%u returned LPI %u: disabled in the configuration "
	      "its redistributor holds",
	      v, grp, got);
	CHECK(grp == 1, "vcpu%u IAR%u returned LPI %u (Group 1)", v, grp, got);
	CHECK((R.gicd_ctlr & 2u) && R.vc[v].igrpen[1],
	      "vcpu%u IAR1 returned LPI %u with Group 1 disabled (ctlr %u "
	      "igrpen %d)",
	      v, got, R.gicd_ctlr, R.vc[v].igrpen[1]);
	CHECK(ref_preempts(v, prio, 1),
	      "vcpu%u IAR1 returned LPI %u priority %#x, PMR %#x running %#x",
	      v, got, prio, R.vc[v].pmr, ref_running(v));
	CHECK(prio == b->prio,
	      "vcpu%u IAR1 returned LPI %u priority %#x, %#x is pending", v,
	      got, prio, b->prio);
}

/* The acknowledged INTID must be what the reference allows. */
static void check_ack(uint32_t v, unsigned grp, uint32_t got)
{
	struct best b = ref_best(v);
	uint8_t run = ref_running(v);
	bool signal = b.prio < 256 && ref_preempts(v, (uint8_t)b.prio, grp);

	if (got == MODEL_SPURIOUS) {
		/* Fine if nothing is signalled, or if an interrupt of the
		 * other group ties for highest priority (it may be the one
		 * the CPU interface picked). */
		CHECK(!signal || !b.grp[grp] || b.grp[!grp],
		      "vcpu%u IAR%u spurious, but priority %#x is pending "
		      "(PMR %#x, running %#x)",
		      v, grp, b.prio, R.vc[v].pmr, run);
		return;
	}
	if (got >= VGIC_MIN_LPI && R.lp.on) {
		check_ack_lpi(v, grp, got, &b);
		return;
	}
	CHECK(got < 32 + MBT_NR_SPIS, "vcpu%u IAR%u returned INTID %u", v, grp,
	      got);
	const struct ref_irq *r = ref(v, got);
	CHECK(ref_eligible(v, got),
	      "vcpu%u IAR%u returned %u: not pending/enabled/routed "
	      "(pend %d en %d act %d target %d g1 %d ctlr %u igrpen %d)",
	      v, grp, got, ref_pending(r), r->enabled, r->active,
	      ref_target(v, got), r->group1, R.gicd_ctlr,
	      R.vc[v].igrpen[r->group1]);
	CHECK(r->group1 == (grp == 1), "vcpu%u IAR%u returned %u of group %d",
	      v, grp, got, r->group1);
	CHECK(ref_preempts(v, r->prio, grp),
	      "vcpu%u IAR%u returned %u priority %#x, PMR %#x running %#x "
	      "group mask %#x",
	      v, grp, got, r->prio, R.vc[v].pmr, run, ref_gmask(v, grp));
	CHECK(r->prio == b.prio,
	      "vcpu%u IAR%u returned %u priority %#x, %#x is pending", v, grp,
	      got, r->prio, b.prio);
}

/* Acknowledge: pending -> active; the latch clears (a level interrupt
 * stays pending while its line is high). */
static uint32_t guest_ack(uint32_t p, unsigned grp)
{
	uint32_t v = running_vcpu(p);
	uint32_t got = model_guest_ack(&H.m, p, grp);

	note("vcpu%u IAR%u -> %u", v, grp, got);
	check_ack(v, grp, got);
	if (got == MODEL_SPURIOUS)
		return got;
	struct ref_vcpu *c = &R.vc[v];
	uint8_t prio;
	if (got >= VGIC_MIN_LPI) {
		/* No active state: acknowledged, it is consumed. */
		struct ref_lpi *l = &R.lp.l[v][lpi_k(got)];
		l->pend = false;
		prio = cfg_prio(l->cfgs);
		T.lpi_acks++;
	} else {
		struct ref_irq *r = ref(v, got);
		r->active = true;
		r->latch = false;
		prio = r->prio;
	}
	CHECK(c->nstack < ARRAY_LEN(c->stack), "stack overflow");
	c->stack[c->nstack++] = (struct ref_held){
		got, (uint8_t)(prio & ref_gmask(v, grp)), grp};
	R.acks++;
	return got;
}

/* DIR, trapped to the host (ICH_HCR_EL2.TDIR) or not. */
static void guest_dir(uint32_t p, uint32_t intid)
{
	uint32_t v = running_vcpu(p);

	note("vcpu%u DIR %u", v, intid);
	if (model_guest_dir(&H.m, p, intid)) {
		leave(p);
		int rc = vgic_sysreg_write(H.vm, v, VGIC_SYSREG_DIR, intid);
		CHECK(rc == 0, "sysreg DIR: %d", rc);
		enter(v, p);
	}
	ref(v, intid)->active = false;
}

/* EOI of the last acknowledged interrupt (EOIs come in reverse order). */
static void guest_eoi(uint32_t p)
{
	uint32_t v = running_vcpu(p);
	struct ref_vcpu *c = &R.vc[v];
	struct ref_held h = c->stack[--c->nstack];

	note("vcpu%u EOIR%u %u", v, h.grp, h.intid);
	model_guest_eoi(&H.m, p, h.grp, h.intid);
	if (h.intid >= VGIC_MIN_LPI)
		return; /* a priority drop only: no active state */
	if (c->eoimode)
		c->dropped[c->ndropped++] = h.intid;
	else
		ref(v, h.intid)->active = false;
}

static void guest_dir_nth(uint32_t p, unsigned i)
{
	struct ref_vcpu *c = &R.vc[running_vcpu(p)];
	uint32_t intid = c->dropped[i];

	c->dropped[i] = c->dropped[--c->ndropped];
	guest_dir(p, intid);
}

static void guest_pmr(uint32_t p, uint8_t pmr)
{
	uint32_t v = running_vcpu(p);

	note("vcpu%u PMR = %#x", v, pmr);
	model_guest_set_pmr(&H.m, p, pmr);
	R.vc[v].pmr = pmr & MBT_PRIO_MASK;
}

/* ICV_BPR0/1_EL1, only while no priority is active (changing the binary
 * point with active priorities is UNPREDICTABLE). A value below the
 * minimum (7 - PREbits, plus one for Group 1) sets the minimum. */
static void guest_bpr(uint32_t p, unsigned grp, uint32_t val)
{
	uint32_t v = running_vcpu(p), min = grp ? 3u : 2u;

	note("vcpu%u BPR%u = %u", v, grp, val);
	model_guest_set_bpr(&H.m, p, grp, val);
	R.vc[v].bpr[grp] = (uint8_t)(val < min ? min : val);
	CHECK(model_guest_bpr(&H.m, p, grp) == R.vc[v].bpr[grp],
	      "vcpu%u ICV_BPR%u reads %u, ref %u", v, grp,
	      model_guest_bpr(&H.m, p, grp), R.vc[v].bpr[grp]);
}

static void guest_igrpen(uint32_t p, unsigned grp, bool en)
{
	uint32_t v = running_vcpu(p);

	note("vcpu%u IGRPEN%u = %d", v, grp, en);
	model_guest_set_igrpen(&H.m, p, grp, en);
	R.vc[v].igrpen[grp] = en;
}

static void guest_eoimode(uint32_t p, bool eoimode)
{
	uint32_t v = running_vcpu(p);

	note("vcpu%u ICC_CTLR.EOImode = %d", v, eoimode);
	model_guest_set_ctlr(&H.m, p, eoimode ? 2u : 0u);
	R.vc[v].eoimode = eoimode;
}

/* A device driver quiets a level interrupt's source after taking it. */
static void quiet_device(uint32_t v, uint32_t intid)
{
	if (intid >= VGIC_MIN_LPI)
		return;
	struct ref_irq *r = ref(v, intid);

	if (intid >= VGIC_NR_SGIS && r->line)
		host_level(v, intid, false);
}

/* Complete everything the guest on `p` holds; how many it completed. */
static unsigned guest_complete_all(uint32_t p)
{
	struct ref_vcpu *c = &R.vc[running_vcpu(p)];
	unsigned n = c->nstack + c->ndropped;

	while (c->nstack) {
		guest_eoi(p);
		settle();
	}
	while (c->ndropped) {
		guest_dir_nth(p, c->ndropped - 1);
		settle();
	}
	return n;
}

/* ------------------------------------------------ failure report */

static void dump_one(uint32_t v, uint32_t intid, void *arg)
{
	(void)arg;
	const struct ref_irq *r = ref(v, intid);
	struct vgic_irq_state st;

	if (intid >= VGIC_NR_PRIVATE && v)
		return;
	if (!ref_pending(r) && !r->active)
		return;
	vgic_irq_state(H.vm, v, intid, &st);
	fprintf(stderr,
		"  v%u intid %2u ref: pend %d act %d en %d g%d prio %#04x "
		"%s line %d target %d | vgic: pend %d act %d en %d prio %#04x "
		"target %d\n",
		v, intid, ref_pending(r), r->active, r->enabled, r->group1,
		r->prio, r->edge ? "edge " : "level", r->line,
		ref_target(v, intid), st.pending, st.active, st.enabled,
		st.priority, st.target);
}

static void dump_lpi(uint32_t v, unsigned k)
{
	const struct ref_lpi *l = &R.lp.l[v][k];
	uint32_t intid = R.lp.pool[k];
	struct vgic_irq_state st;
	int rc = vgic_irq_state(H.vm, v, intid, &st);
	bool table = pend_table_bit(v, intid);

	if (!l->pend && rc && !table)
		return;
	fprintf(stderr,
		"  v%u LPI %u ref: pend %d configs %#llx (since inv %#llx), "
		"byte %#x | vgic: ",
		v, intid, l->pend, (unsigned long long)l->cfgs,
		(unsigned long long)l->hist, *prop_at(k));
	if (rc)
		fprintf(stderr, "no slot");
	else
		fprintf(stderr, "slot pend %d en %d prio %#04x", st.pending,
			st.enabled, st.priority);
	fprintf(stderr, ", table bit %d\n", table);
}

/* What the reference and libvgic hold: pending/active INTIDs, the guest
 * state per vCPU, the list registers of running vCPUs. */
static void dump_state(void)
{
	fprintf(stderr, "state (GICD_CTLR %u):\n", R.gicd_ctlr);
	for (uint32_t v = 0; v < R.nv; v++) {
		const struct ref_vcpu *c = &R.vc[v];
		fprintf(stderr,
			" vcpu%u pcpu %d PMR %#x IGRPEN %d%d EOImode %d "
			"running %#x held:",
			v, pcpu_of(v), c->pmr, c->igrpen[0], c->igrpen[1],
			c->eoimode, ref_running(v));
		for (unsigned i = 0; i < c->nstack; i++)
			fprintf(stderr, " %u", c->stack[i].intid);
		fprintf(stderr, " dropped:");
		for (unsigned i = 0; i < c->ndropped; i++)
			fprintf(stderr, " %u", c->dropped[i]);
		fprintf(stderr, "\n");
		for_each_intid(v, dump_one, NULL);
		for (unsigned k = 0; R.lp.on && k < MBT_NR_LPIS; k++)
			dump_lpi(v, k);
	}
	for (uint32_t p = 0; p < MBT_PCPUS; p++) {
		if (H.running[p] < 0)
			continue;
		fprintf(stderr, " pcpu%u (vcpu%d) ICH_HCR %#x VMCR %#x:", p,
			H.running[p], model_ich_hcr(&H.m, p),
			model_ich_vmcr(&H.m, p));
		for (unsigned n = 0; n < R.nlrs; n++)
			fprintf(stderr, " %#llx",
				(unsigned long long)model_ich_lr(&H.m, p, n));
		fprintf(stderr, "\n");
	}
}

/* ------------------------------------------------ register compare */

struct cmp {
	uint32_t a; /* accessing vCPU */
};

static void compare_one(uint32_t v, uint32_t intid, void *arg)
{
	const struct cmp *cm = arg;
	const struct ref_irq *r = ref(v, intid);
	unsigned bit = intid % 32;
	uint32_t a = cm->a;
	bool en =
		(mmio_r(a, reg_of(v, GICD_ISENABLER, intid, 1), 4) >> bit) & 1;
	bool pend =
		(mmio_r(a, reg_of(v, GICD_ISPENDR, intid, 1), 4) >> bit) & 1;
	bool act =
		(mmio_r(a, reg_of(v, GICD_ISACTIVER, intid, 1), 4) >> bit) & 1;
	bool g1 = (mmio_r(a, reg_of(v, GICD_IGROUPR, intid, 1), 4) >> bit) & 1;
	bool edge = (mmio_r(a, reg_of(v, GICD_ICFGR, intid, 2), 4) >>
		     (intid % 16 * 2 + 1)) &
		    1;
	uint8_t prio = (uint8_t)mmio_r(a, prio_reg(v, intid), 1);

	CHECK(en == r->enabled && pend == ref_pending(r) && act == r->active &&
		      g1 == r->group1 && edge == r->edge && prio == r->prio,
	      "v%u intid %u registers: en %d pend %d act %d g1 %d edge %d "
	      "prio %#x; reference: %d %d %d %d %d %#x",
	      v, intid, en, pend, act, g1, edge, prio, r->enabled,
	      ref_pending(r), r->active, r->group1, r->edge, r->prio);
	if (intid >= VGIC_NR_PRIVATE) {
		struct vgic_irq_state st;
		CHECK(vgic_irq_state(H.vm, v, intid, &st) == 0, "irq_state");
		CHECK(st.target == r->target, "intid %u target %d, ref %d",
		      intid, st.target, r->target);
	}
}

/*
 * LPI k at redistributor v: pending in the reference, it is pending in
 * the library, in a slot or in the pending table (spilled). Out of the
 * guest, the converse too: nothing pending that the reference has not
 * (a running guest may have acknowledged one its vCPU has not synced).
 */
static void compare_lpi(uint32_t v, unsigned k)
{
	const struct ref_lpi *l = &R.lp.l[v][k];
	uint32_t intid = R.lp.pool[k];
	struct vgic_irq_state st;
	bool slot = vgic_irq_state(H.vm, v, intid, &st) == 0 && st.pending;
	bool table = pend_table_bit(v, intid);

	if (l->pend)
		CHECK(slot || table,
		      "v%u LPI %u pending in the reference; the library has "
		      "no pending slot and no pending-table bit",
		      v, intid);
	else if (pcpu_of(v) < 0)
		CHECK(!slot && !table,
		      "v%u LPI %u pending in the library (slot %d, table bit "
		      "%d), not in the reference",
		      v, intid, slot, table);
	lpi_observe(v, k);
}

/* A vCPU out of the guest with something signalable must be seen as
 * having work (WFI wake-up): LPIs in a slot too (a spilled one waits for
 * the store). */
static void check_wfi(uint32_t v)
{
	bool any = false;

	for (uint32_t n = 0; n < 32 + MBT_NR_SPIS && !any; n++)
		if (in_pool(n))
			any = ref_signalable(v, n);
	for (unsigned k = 0; R.lp.on && k < MBT_NR_LPIS && !any; k++)
		any = lpi_signalable(v, k);
	if (any)
		CHECK(vgic_vcpu_pending(H.vm, v),
		      "vcpu%u: interrupt signalable, vgic_vcpu_pending false",
		      v);
	/* A spilled one, while a slot is free: the vCPU must wake up to
	 * bring it into the store (or have been kicked since it ran). */
	for (unsigned k = 0; R.lp.on && k < MBT_NR_LPIS; k++) {
		if (!lpi_signalable_any(v, k) || lpi_observe(v, k) ||
		    lpi_store_full())
			continue;
		CHECK(vgic_vcpu_pending(H.vm, v) ||
			      model_kicks(&H.m, v) != R.vc[v].kicks_seen,
		      "vcpu%u: LPI %u signalable, spilled, a slot is free: "
		      "vgic_vcpu_pending false, no kick",
		      v, R.lp.pool[k]);
		break;
	}
}

static void compare_all(void)
{
	struct cmp cm = {below(R.nv)};
	int p = trap_begin(cm.a);

	note("compare registers (vcpu%u reads)", cm.a);
	uint32_t ctlr = (uint32_t)mmio_r(cm.a, H.cfg.gicd_base + GICD_CTLR, 4);
	CHECK((ctlr & 3u) == R.gicd_ctlr, "GICD_CTLR %#x, ref %u", ctlr,
	      R.gicd_ctlr);
	for (uint32_t v = 0; v < R.nv; v++) {
		uint64_t waker = mmio_r(cm.a, rd_base(v) + GICR_WAKER, 4);
		CHECK(((waker >> 1) & 1) == R.asleep[v],
		      "v%u GICR_WAKER %#llx, ref asleep %d", v,
		      (unsigned long long)waker, R.asleep[v]);
		for_each_intid(v, compare_one, &cm);
		for (unsigned k = 0; R.lp.on && k < MBT_NR_LPIS; k++)
			compare_lpi(v, k);
	}
	for (uint32_t v = 0; v < R.nv; v++)
		if (pcpu_of(v) < 0)
			check_wfi(v);
	trap_end(cm.a, p);
	T.compares++;
}

/* ------------------------------------------------------------ drain */

static unsigned eligible_count(uint32_t v)
{
	struct best b = ref_best(v);
	return b.count;
}

/* Take and complete everything `v` (on `p`) is given, both groups. */
static unsigned drain_vcpu(uint32_t p)
{
	uint32_t v = running_vcpu(p);
	unsigned taken = 0;

	for (unsigned guard = 0; guard < 10000; guard++) {
		uint32_t got = guest_ack(p, 1);
		if (got == MODEL_SPURIOUS)
			got = guest_ack(p, 0);
		if (got == MODEL_SPURIOUS)
			return taken;
		taken++;
		quiet_device(v, got);
		settle();
		guest_complete_all(p);
	}
	mbt_fail("vcpu%u: drain does not end", v);
	return taken;
}

/* Unmask everything and take all: whatever the reference says can be
 * delivered must be; then nothing may be left deliverable. */
static void drain(void)
{
	note("drain");
	for (uint32_t p = 0; p < MBT_PCPUS; p++)
		if (H.running[p] >= 0)
			put(p);
	g_ctlr(0, 3);
	/* With LPIs: a spilled LPI comes back into the store at its vCPU's
	 * sync once a slot freed, maybe after that vCPU's turn. */
	for (unsigned round = 0; round < (R.lp.on ? 16u : 8u); round++) {
		unsigned taken = 0;
		for (uint32_t v = 0; v < R.nv; v++) {
			uint32_t p = below(MBT_PCPUS);
			enter(v, p);
			settle();
			/* A deactivation may free an SPI routed elsewhere. */
			taken += guest_complete_all(p);
			guest_pmr(p, 0xff);
			guest_igrpen(p, 0, true);
			guest_igrpen(p, 1, true);
			settle();
			taken += drain_vcpu(p);
			put(p);
		}
		if (!taken && !lpi_waiting())
			break;
	}
	for (uint32_t v = 0; v < R.nv; v++)
		for (uint32_t n = 0; n < 32 + MBT_NR_SPIS; n++)
			if (in_pool(n))
				CHECK(!ref_signalable(v, n),
				      "lost: vcpu%u intid %u deliverable, "
				      "never delivered",
				      v, n);
	for (uint32_t v = 0; R.lp.on && v < R.nv; v++)
		for (unsigned k = 0; k < MBT_NR_LPIS; k++)
			CHECK(!lpi_must_deliver(v, k),
			      "lost: vcpu%u LPI %u pending and enabled, never "
			      "delivered (%s)",
			      v, R.lp.pool[k],
			      lpi_observe(v, k) ? "in a slot" : "spilled");
	T.drains++;
}

/* ------------------------------------------------------- operations */

static int free_pcpu(void)
{
	int p = (int)below(MBT_PCPUS);

	for (int i = 0; i < MBT_PCPUS; i++, p = (p + 1) % MBT_PCPUS)
		if (H.running[p] < 0)
			return p;
	return -1;
}

static int busy_pcpu(void)
{
	int p = (int)below(MBT_PCPUS);

	for (int i = 0; i < MBT_PCPUS; i++, p = (p + 1) % MBT_PCPUS)
		if (H.running[p] >= 0)
			return p;
	return -1;
}

static int idle_vcpu(void)
{
	uint32_t v = below(R.nv);

	for (uint32_t i = 0; i < R.nv; i++, v = (v + 1) % R.nv)
		if (pcpu_of(v) < 0)
			return (int)v;
	return -1;
}

static void op_world(void)
{
	uint32_t r = below(4);
	int p = busy_pcpu(), q = free_pcpu(), v = idle_vcpu();

	if (r == 0 && q >= 0 && v >= 0) {
		note("enter vcpu%d on pcpu%d", v, q);
		enter((uint32_t)v, (uint32_t)q);
	} else if (r == 1 && p >= 0) {
		note("exit vcpu%d from pcpu%d", H.running[p], p);
		leave((uint32_t)p);
	} else if (r == 2 && p >= 0) {
		note("switch out vcpu%d from pcpu%d", H.running[p], p);
		put((uint32_t)p);
	} else if (p >= 0 && q >= 0) {
		uint32_t w = running_vcpu((uint32_t)p);
		note("migrate vcpu%u pcpu%d -> pcpu%d", w, p, q);
		put((uint32_t)p);
		enter(w, (uint32_t)q);
	} else if (q >= 0 && v >= 0) {
		note("enter vcpu%d on pcpu%d", v, q);
		enter((uint32_t)v, (uint32_t)q);
	}
}

static void op_inject(void)
{
	uint32_t v = below(R.nv), intid = pick_intid();

	if (intid < VGIC_NR_SGIS || chance(40)) {
		host_edge(v, intid);
		return;
	}
	host_level(v, intid, chance(55));
}

/* Many at once: more pending than list registers. */
static void op_burst(void)
{
	uint32_t v = below(R.nv), n = 4 + below(8);

	for (uint32_t i = 0; i < n; i++) {
		uint32_t intid = pick_intid();
		if (intid >= VGIC_NR_PRIVATE && chance(50))
			g_route(v, intid);
		host_edge(v, intid);
	}
}

/* Guest MMIO by vCPU `a` (trapped: out of the guest meanwhile). */
static void op_mmio(void)
{
	uint32_t a = below(R.nv), v = below(R.nv), intid = pick_intid();
	struct ref_irq *r = ref(v, intid);
	uint32_t kind = below(13);
	int p = trap_begin(a);

	switch (kind) {
	case 0:
	case 1:
		g_enable(a, v, intid, chance(70));
		break;
	case 2:
	case 3:
		g_pend(a, v, intid, chance(65));
		break;
	case 4:
		/* ISACTIVER only where EOIcount cannot be ambiguous (every
		 * vCPU in EOImode 1: DIRs trap by INTID); ICACTIVER only on
		 * what no guest holds (it would EOI it later). */
		if (!r->active && ref_all_eoimode1())
			g_active(a, v, intid, true);
		else if (r->active && !ref_guest_holds(intid, v))
			g_active(a, v, intid, false);
		break;
	case 5:
	case 6:
		if (!r->active)
			g_prio(a, v, intid, pick_prio());
		break;
	case 7:
		if (!r->active)
			g_group(a, v, intid, chance(70));
		break;
	case 8:
		/* ICFGR: only while disabled (IHI 0069, GICD_ICFGR). */
		if (intid >= VGIC_NR_SGIS && !r->enabled && !r->active)
			g_config(a, v, intid, chance(50));
		break;
	case 9:
		if (intid >= VGIC_NR_PRIVATE)
			g_route(a, intid);
		break;
	case 10:
		g_ctlr(a, chance(70) ? 3u : below(4));
		break;
	case 11:
		g_waker(a, v, chance(30));
		break;
	default: {
		/* One random draw per statement: argument evaluation order
		 * is unspecified, and seeds must replay on every compiler. */
		uint32_t sgi = pool_sgi[below(ARRAY_LEN(pool_sgi))];
		g_sgi(a, sgi, chance(20));
		break;
	}
	}
	trap_end(a, p);
}

/* ----------------------------------------- LPI and vITS operations */

static uint32_t pick_lpi(void)
{
	return below(MBT_NR_LPIS);
}

static uint8_t prop_byte(uint8_t prio, bool en)
{
	return (uint8_t)((prio & 0xfc) | 2 | en);
}

/* The ITE of (dev, ev): device mapped, event in its range and mapped. */
static struct ref_ite *ref_ite_of(uint32_t dev, uint32_t ev)
{
	if (dev >= 8 || !R.lp.dev_valid[dev] ||
	    (uint64_t)ev >= 1ULL << R.lp.dev_bits[dev])
		return NULL;
	if (ev < MBT_NR_EVS)
		return R.lp.ite[dev][ev].valid ? &R.lp.ite[dev][ev] : NULL;
	int k = dev == MBT_BIG_DEV ? lpi_k(ev) : -1;
	return k >= 0 && R.lp.big[k].valid ? &R.lp.big[k] : NULL;
}

/* A device for a command: DeviceIDs 0..3 and 7 mostly. */
static uint32_t pick_dev(void)
{
	uint32_t r = below(20);

	if (r < 15)
		return r % MBT_NR_DEVS;
	if (r < 18)
		return MBT_BIG_DEV;
	if (r < 19)
		return MBT_NO_DEV;
	return chance(50) ? 1u << 16 : 0xffffffffu; /* beyond Devbits */
}

static uint32_t pick_ev(uint32_t dev)
{
	if (dev == MBT_BIG_DEV && chance(90))
		return R.lp.pool[pick_lpi()];
	return chance(90) ? below(MBT_NR_EVS) : below(1u << 16);
}

/* An event for a command or an MSI: a mapped one mostly, else any. */
static void pick_event(uint32_t *dev, uint32_t *ev)
{
	uint32_t mapped[8 * (MBT_NR_EVS + MBT_NR_LPIS)][2], n = 0;

	for (uint32_t d = 0; d < 8; d++) {
		for (uint32_t e = 0; e < MBT_NR_EVS + MBT_NR_LPIS; e++) {
			uint32_t x =
				e < MBT_NR_EVS ? e : R.lp.pool[e - MBT_NR_EVS];
			if (ref_ite_of(d, x)) {
				mapped[n][0] = d;
				mapped[n++][1] = x;
			}
		}
	}
	if (n && chance(90)) {
		uint32_t i = below(n);
		*dev = mapped[i][0];
		*ev = mapped[i][1];
		return;
	}
	*dev = pick_dev();
	*ev = pick_ev(*dev);
}

/* What an MSI of (dev, ev) does in the reference: 0, or ENOENT without
 * a translation (device, event or collection unmapped). */
static int ref_msi(uint32_t dev, uint32_t ev)
{
	const struct ref_ite *x = ref_ite_of(dev, ev);

	if (!x || R.lp.coll[x->icid] < 0)
		return VGIC_ENOENT;
	lpi_pend((uint32_t)R.lp.coll[x->icid], x->k);
	return VGIC_OK;
}

/* MSIs: from the host (vgic_inject_msi), or a vCPU's GITS_TRANSLATER
 * write (DeviceID 0). */
static void op_msi(void)
{
	struct vgic_stats s0, s1;
	uint32_t dev, ev;

	if (chance(75)) {
		pick_event(&dev, &ev);
		note("host MSI dev %u ev %u", dev, ev);
		int want = ref_msi(dev, ev);
		int rc = vgic_inject_msi(H.vm, 0, dev, ev);
		CHECK(rc == want, "vgic_inject_msi(dev %u, ev %u): %d, ref %d",
		      dev, ev, rc, want);
		T.msis++;
		return;
	}
	uint32_t a = below(R.nv);
	ev = chance(90) ? below(MBT_NR_EVS) : 0x10000u + below(4);
	bool mapped = chance(80); /* then a mapped one, if any */
	for (uint32_t i = 0;
	     mapped && i < MBT_NR_EVS && ev < MBT_NR_EVS && !ref_ite_of(0, ev);
	     i++)
		ev = (ev + 1) % MBT_NR_EVS;
	int p = trap_begin(a);
	note("vcpu%u GITS_TRANSLATER = %u", a, ev);
	int want = ref_msi(0, ev);
	vgic_get_stats(H.vm, &s0);
	mmio_w(a, ig_its(0, GITS_TRANSLATER), 4, ev);
	vgic_get_stats(H.vm, &s1);
	CHECK(s1.msis == s0.msis + !want &&
		      s1.msi_dropped == s0.msi_dropped + !!want,
	      "GITS_TRANSLATER ev %u: msis +%llu dropped +%llu, ref %d", ev,
	      (unsigned long long)(s1.msis - s0.msis),
	      (unsigned long long)(s1.msi_dropped - s0.msi_dropped), want);
	trap_end(a, p);
	T.msis++;
}

static void its_put(const uint64_t c[4])
{
	memcpy(H.ram + (IG_CQ - H_RAM_BASE) + R.lp.cwriter, c, 32);
	R.lp.cwriter = (R.lp.cwriter + 32) % IG_QUEUE_BYTES;
}

static void mk_cmd(uint64_t c[4], uint8_t op, uint32_t dev, uint64_t d1,
		   uint64_t d2, uint64_t d3)
{
	c[0] = op | (uint64_t)dev << 32;
	c[1] = d1;
	c[2] = d2;
	c[3] = d3;
}

static uint32_t pick_icid(void)
{
	return chance(95) ? below(R.lp.ncoll) : R.lp.ncoll + below(4);
}

/* A redistributor for MAPC/MOVALL/SYNC: mostly a processor. */
static uint32_t pick_rd(void)
{
	return chance(95) ? below(R.nv) : R.nv + below(MBT_MAX_VCPUS);
}

/* MAPD: map (V=1, the ITT zeroed first if `first`: Linux hands a new
 * device a zeroed ITT) or unmap. Pending LPIs stay pending. */
static bool cmd_mapd(uint64_t c[4], bool first)
{
	uint32_t dev = below(MBT_NR_DEVS + 1), bits, size;

	if (dev == MBT_NR_DEVS)
		dev = MBT_BIG_DEV;
	bool valid = chance(85), zero = first && chance(50);
	uint64_t itt = dev == MBT_BIG_DEV ? MBT_BIG_ITT : IG_ITT(dev);
	bits = dev == MBT_BIG_DEV ? MBT_BIG_BITS : 1 + below(3);
	size = bits - 1;
	if (chance(5)) {
		size = 16 + below(16); /* beyond GITS_TYPER.ID_bits */
		if (!valid)
			dev = chance(50) ? 1u << 16 : 0xffffffffu;
	}
	mk_cmd(c, ITS_MAPD, dev, size, (valid ? 1ULL << 63 : 0) | itt, 0);
	note("  MAPD dev %u size %u valid %d%s", dev, size, valid,
	     zero ? " (ITT zeroed)" : "");
	if (dev >= 8 || (valid && size >= 16))
		return true;
	if (zero && valid) {
		memset(H.ram + (itt - H_RAM_BASE), 0,
		       (size_t)8 << (dev == MBT_BIG_DEV ? MBT_BIG_BITS : 3));
		if (dev == MBT_BIG_DEV)
			memset(R.lp.big, 0, sizeof(R.lp.big));
		memset(R.lp.ite[dev], 0, sizeof(R.lp.ite[dev]));
	}
	R.lp.dev_valid[dev] = valid;
	R.lp.dev_bits[dev] = (uint8_t)bits;
	return false;
}

/* MAPC: pending LPIs stay where they are (software moves them). */
static bool cmd_mapc(uint64_t c[4])
{
	uint32_t icid = pick_icid(), rd = pick_rd();
	bool valid = chance(85);

	mk_cmd(c, ITS_MAPC, 0, 0,
	       (valid ? 1ULL << 63 : 0) | (uint64_t)rd << 16 | icid, 0);
	note("  MAPC icid %u rd %u valid %d", icid, rd, valid);
	if (icid >= R.lp.ncoll || (valid && rd >= R.nv))
		return true;
	R.lp.coll[icid] = valid ? (int)rd : -1;
	return false;
}

/* MAPTI of a small device's event; MAPI (pINTID = EventID) of DeviceID
 * 7, and of small devices, where it cannot name an LPI. */
static bool cmd_mapti(uint64_t c[4], bool mapi)
{
	uint32_t dev = chance(90) ? below(MBT_NR_DEVS) : pick_dev();
	unsigned k = pick_lpi();
	uint32_t ev = below(MBT_NR_EVS + 1), intid = R.lp.pool[k];
	uint32_t icid = pick_icid();

	if (mapi) {
		dev = chance(85) ? MBT_BIG_DEV : below(MBT_NR_DEVS);
		ev = dev == MBT_BIG_DEV ? intid : below(MBT_NR_EVS);
		mk_cmd(c, ITS_MAPI, dev, ev, icid, 0);
		note("  MAPI dev %u ev %u icid %u", dev, ev, icid);
	} else {
		/* DeviceID 7: the small events (those >= 8192 are MAPI's) */
		if (dev == MBT_BIG_DEV)
			ev = below(MBT_NR_EVS);
		if (chance(5)) {
			static const uint32_t bad[] = {0, 1023, 8191, 1u << 16};
			intid = bad[below(ARRAY_LEN(bad))];
			if (intid == 1u << 16)
				intid = 1u << R.lp.id_bits;
		}
		mk_cmd(c, ITS_MAPTI, dev, ev | (uint64_t)intid << 32, icid, 0);
		note("  MAPTI dev %u ev %u -> LPI %u icid %u", dev, ev, intid,
		     icid);
	}
	if (dev >= 8 || !R.lp.dev_valid[dev] ||
	    (uint64_t)ev >= 1ULL << R.lp.dev_bits[dev] ||
	    intid < VGIC_MIN_LPI || intid >= 1u << R.lp.id_bits ||
	    icid >= R.lp.ncoll || (mapi && dev != MBT_BIG_DEV))
		return true;
	struct ref_ite *x = mapi ? &R.lp.big[k] : &R.lp.ite[dev][ev];
	*x = (struct ref_ite){true, (uint8_t)k, (uint16_t)icid};
	return false;
}

/* The LPIs of collection `icid` (ITEs of mapped devices). */
static bool in_collection(unsigned k, uint32_t icid)
{
	const struct ref_ite *x = ref_ite_of(MBT_BIG_DEV, R.lp.pool[k]);

	if (x && x->icid == icid)
		return true;
	for (uint32_t d = 0; d < 8; d++) {
		for (uint32_t e = 0; e < MBT_NR_EVS; e++) {
			x = ref_ite_of(d, e);
			if (x && x->k == k && x->icid == icid)
				return true;
		}
	}
	return false;
}

/* The event commands: MOVI, DISCARD, INV, INT, CLEAR. */
static bool cmd_event(uint64_t c[4], uint8_t op)
{
	uint32_t dev, ev, icid = 0;

	pick_event(&dev, &ev);
	if (op == ITS_MOVI)
		icid = pick_icid();
	mk_cmd(c, op, dev, ev, icid, 0);
	struct ref_ite *x = ref_ite_of(dev, ev);
	int from = x ? R.lp.coll[x->icid] : -1;
	switch (op) {
	case ITS_MOVI:
		note("  MOVI dev %u ev %u icid %u", dev, ev, icid);
		if (!x || icid >= R.lp.ncoll || R.lp.coll[icid] < 0)
			return true;
		x->icid = (uint16_t)icid;
		if (from >= 0)
			lpi_move((uint32_t)from, (uint32_t)R.lp.coll[icid],
				 x->k);
		return false;
	case ITS_DISCARD:
		note("  DISCARD dev %u ev %u", dev, ev);
		if (!x)
			return true;
		x->valid = false;
		if (from >= 0)
			lpi_unpend((uint32_t)from, x->k);
		return false;
	default:
		note("  %s dev %u ev %u",
		     op == ITS_INV   ? "INV"
		     : op == ITS_INT ? "INT"
				     : "CLEAR",
		     dev, ev);
		if (!x || from < 0)
			return true;
		if (op == ITS_INV)
			lpi_inv((uint32_t)from, x->k);
		else if (op == ITS_INT)
			lpi_pend((uint32_t)from, x->k);
		else
			lpi_unpend((uint32_t)from, x->k);
		return false;
	}
}

/* INVALL: the collection's LPIs are reloaded, maybe others too. */
static bool cmd_invall(uint64_t c[4])
{
	uint32_t icid = pick_icid();

	mk_cmd(c, ITS_INVALL, 0, 0, icid, 0);
	note("  INVALL icid %u", icid);
	if (icid >= R.lp.ncoll || R.lp.coll[icid] < 0)
		return true;
	uint32_t rd = (uint32_t)R.lp.coll[icid];
	for (unsigned k = 0; k < MBT_NR_LPIS; k++) {
		if (in_collection(k, icid))
			lpi_inv(rd, k);
		else
			lpi_inv_maybe(rd, k);
	}
	return false;
}

static bool cmd_movall(uint64_t c[4])
{
	uint32_t from = pick_rd(), to = pick_rd();

	mk_cmd(c, ITS_MOVALL, 0, 0, (uint64_t)from << 16, (uint64_t)to << 16);
	note("  MOVALL rd %u -> rd %u", from, to);
	if (from >= R.nv || to >= R.nv)
		return true;
	for (unsigned k = 0; k < MBT_NR_LPIS; k++)
		lpi_move(from, to, k);
	return false;
}

/* One command, mostly well-formed; applied to the reference as the ITS
 * will run it. Returns whether it is a command error (ignored). */
static bool gen_cmd(uint64_t c[4], bool first, bool *move)
{
	static const uint8_t unknown[] = {0x00, 0x02, 0x06, 0x07,
					  0x10, 0x22, 0x2a, 0xff};
	uint32_t r = below(100);

	*move = false;
	if (r < 6)
		return cmd_mapd(c, first);
	if (r < 12)
		return cmd_mapc(c);
	if (r < 24)
		return cmd_mapti(c, false);
	if (r < 28)
		return cmd_mapti(c, true);
	if (r < 42) {
		*move = true;
		return cmd_event(c, ITS_MOVI);
	}
	if (r < 48) {
		*move = true;
		return cmd_movall(c);
	}
	if (r < 54)
		return cmd_event(c, ITS_DISCARD);
	if (r < 62)
		return cmd_event(c, ITS_INV);
	if (r < 66)
		return cmd_invall(c);
	if (r < 84)
		return cmd_event(c, ITS_INT);
	if (r < 92)
		return cmd_event(c, ITS_CLEAR);
	if (r < 98) {
		uint32_t rd = pick_rd();
		mk_cmd(c, ITS_SYNC, 0, 0, (uint64_t)rd << 16, 0);
		note("  SYNC rd %u", rd);
		return rd >= R.nv;
	}
	uint8_t op = unknown[below(ARRAY_LEN(unknown))];
	mk_cmd(c, op, 1, 2, 1ULL << 63, 0);
	note("  unknown command %#x", op);
	return true;
}

/* The `n` commands queued last run at vCPU a's GITS_CWRITER write: each
 * processed, `errs` of them ignored as errors, no stall. */
static void its_kick(uint32_t a, unsigned n, unsigned errs)
{
	struct vgic_stats s0, s1;

	vgic_get_stats(H.vm, &s0);
	note("vcpu%u GITS_CWRITER = %#x (%u commands, %u errors)", a,
	     R.lp.cwriter, n, errs);
	mmio_w(a, ig_its(0, GITS_CWRITER), 8, R.lp.cwriter);
	vgic_get_stats(H.vm, &s1);
	CHECK(s1.its_cmds == s0.its_cmds + n &&
		      s1.its_cmd_errors == s0.its_cmd_errors + errs &&
		      s1.its_stalls == s0.its_stalls,
	      "ITS: %llu commands, %llu errors, %llu stalls; expected %u, "
	      "%u, 0",
	      (unsigned long long)(s1.its_cmds - s0.its_cmds),
	      (unsigned long long)(s1.its_cmd_errors - s0.its_cmd_errors),
	      (unsigned long long)(s1.its_stalls - s0.its_stalls), n, errs);
	uint64_t creadr = mmio_r(a, ig_its(0, GITS_CREADR), 8);
	CHECK(creadr == R.lp.cwriter, "GITS_CREADR %#llx, GITS_CWRITER %#x",
	      (unsigned long long)creadr, R.lp.cwriter);
	T.its_cmds += n;
	T.its_errors += errs;
}

/* A guest's batch of ITS commands (a MOVI or MOVALL ends it). */
static void op_its(void)
{
	uint32_t a = below(R.nv), n = 1 + below(MBT_ITS_BATCH), done = 0;
	unsigned errs = 0;
	int p = trap_begin(a);

	lpi_batch_begin();
	while (done < n) {
		uint64_t c[4];
		bool move;
		bool err = gen_cmd(c, done == 0, &move);
		if (err)
			note("    (a command error: ignored)");
		errs += err;
		its_put(c);
		done++;
		if (move)
			break;
	}
	its_kick(a, done, errs);
	trap_end(a, p);
	lpi_resolve();
}

/* One ITS command made by the caller, run by vCPU a. */
static void its_one(uint32_t a, const uint64_t c[4], bool err)
{
	int p = trap_begin(a);

	its_put(c);
	its_kick(a, 1, err);
	trap_end(a, p);
}

/* GICR_INVLPIR, GICR_INVALLR (DirectLPI) at redistributor rd. */
static void direct_inv(uint32_t a, uint32_t rd, unsigned k, bool all)
{
	int p = trap_begin(a);

	note("vcpu%u GICR_%s v%u LPI %u", a, all ? "INVALLR" : "INVLPIR", rd,
	     all ? 0 : R.lp.pool[k]);
	if (all)
		mmio_w(a, rd_base(rd) + GICR_INVALLR, 8, 0);
	else
		mmio_w(a, rd_base(rd) + GICR_INVLPIR, 8, R.lp.pool[k]);
	for (unsigned i = 0; i < MBT_NR_LPIS; i++)
		if (all || i == k)
			lpi_inv(rd, i);
	trap_end(a, p);
	T.invs++;
}

/* The guest changes an LPI's enable or priority in the property table,
 * then invalidates it (INVLPIR, INVALLR, INV, INVALL), or not yet. */
static void op_prop(void)
{
	unsigned k = pick_lpi();
	uint8_t prio = pick_prio();
	bool en = chance(75);
	uint8_t byte = prop_byte(prio, en);
	uint32_t r = below(20), a = below(R.nv), rd = below(R.nv);

	note("guest LPI %u property = %#x", R.lp.pool[k], byte);
	lpi_prop_write(k, byte);
	T.props++;
	if (r < 6)
		return;
	if (r < 12) {
		direct_inv(a, rd, k, false);
		return;
	}
	if (r < 14) {
		direct_inv(a, rd, k, true);
		return;
	}
	/* INV of an event that translates to it, or INVALL of its
	 * collection. */
	for (uint32_t d = 0; d < 8; d++) {
		for (uint32_t e = 0; e <= MBT_NR_EVS; e++) {
			uint32_t ev = e < MBT_NR_EVS ? e : R.lp.pool[k];
			const struct ref_ite *x = ref_ite_of(d, ev);
			if (!x || x->k != k || R.lp.coll[x->icid] < 0)
				continue;
			uint64_t c[4];
			note("vcpu%u ITS %s of dev %u ev %u", a,
			     r < 17 ? "INV" : "INVALL", d, ev);
			if (r < 17) {
				mk_cmd(c, ITS_INV, d, ev, 0, 0);
				lpi_inv((uint32_t)R.lp.coll[x->icid], k);
			} else {
				mk_cmd(c, ITS_INVALL, 0, 0, x->icid, 0);
				uint32_t to = (uint32_t)R.lp.coll[x->icid];
				for (unsigned i = 0; i < MBT_NR_LPIS; i++) {
					if (in_collection(i, x->icid))
						lpi_inv(to, i);
					else
						lpi_inv_maybe(to, i);
				}
			}
			its_one(a, c, false);
			T.invs++;
			return;
		}
	}
	direct_inv(a, rd, k, false);
}

/* GICR_SETLPIR/CLRLPIR of redistributor rd, by vCPU a: LPI k, or
 * `no_lpi` if not 0, an INTID that is no LPI there (ignored, counted). */
static void g_lpir(uint32_t a, uint32_t rd, unsigned k, bool set,
		   uint32_t no_lpi)
{
	uint32_t intid = no_lpi ? no_lpi : R.lp.pool[k];
	struct vgic_stats s0, s1;
	int p = trap_begin(a);

	note("vcpu%u GICR_%s v%u %u", a, set ? "SETLPIR" : "CLRLPIR", rd,
	     intid);
	vgic_get_stats(H.vm, &s0);
	mmio_w(a, rd_base(rd) + (set ? GICR_SETLPIR : GICR_CLRLPIR), 8, intid);
	vgic_get_stats(H.vm, &s1);
	CHECK(s1.bad_intid == s0.bad_intid + !!no_lpi,
	      "GICR_%s %u: bad_intid +%llu", set ? "SETLPIR" : "CLRLPIR", intid,
	      (unsigned long long)(s1.bad_intid - s0.bad_intid));
	if (!no_lpi) {
		if (set)
			lpi_pend(rd, k);
		else
			lpi_unpend(rd, k);
	}
	trap_end(a, p);
}

/* DirectLPI: GICR_SETLPIR/CLRLPIR (some with INTIDs that are no LPI
 * here: ignored and counted), the host's vgic_inject_lpi. */
static void op_direct(void)
{
	uint32_t a = below(R.nv), rd = below(R.nv), r = below(20);
	unsigned k = pick_lpi();
	uint32_t intid = R.lp.pool[k];

	if (r < 3) {
		note("host inject_lpi v%u LPI %u", rd, intid);
		int rc = vgic_inject_lpi(H.vm, rd, intid);
		CHECK(rc == 0, "vgic_inject_lpi: %d", rc);
		lpi_pend(rd, k);
		return;
	}
	if (r >= 17) {
		direct_inv(a, rd, k, r == 19);
		return;
	}
	bool set = r < 12, bad = chance(5);
	uint32_t no_lpi = 0;
	if (bad)
		no_lpi = chance(50) ? 8191u : 1u << R.lp.id_bits;
	g_lpir(a, rd, k, set, no_lpi);
}

/* The LPIs of the pool, LPIs enabled on every redistributor (tables in
 * guest RAM, one property table for all), the vITS enabled with its
 * tables and queue, nothing mapped. */
static void lpi_enable(void)
{
	static const uint32_t low[] = {0, 1, 2, 3, 5, 8, 13, 100, 808, 4000};

	for (unsigned k = 0; k < ARRAY_LEN(low); k++)
		R.lp.pool[k] = VGIC_MIN_LPI + low[k];
	R.lp.pool[10] = (1u << R.lp.id_bits) - 2;
	R.lp.pool[11] = (1u << R.lp.id_bits) - 1;
	R.lp.ncoll = 2;
	while (R.lp.ncoll < R.nv)
		R.lp.ncoll *= 2;
	for (uint32_t v = 0; v < R.nv; v++) {
		mmio_w(v, rd_base(v) + GICR_PROPBASER, 8,
		       IG_PROP | (R.lp.id_bits - 1u));
		mmio_w(v, rd_base(v) + GICR_PENDBASER, 8,
		       IG_PEND(v) | PENDBASER_PTZ);
		mmio_w(v, rd_base(v) + GICR_CTLR, 4, 1);
	}
	ig_enable_its(0);
	R.lp.cwriter = 0;
	for (uint32_t i = 0; i < MBT_MAX_COLLS; i++)
		R.lp.coll[i] = -1;
}

/* LPI k's property byte before anything happened to it. */
static void lpi_prop_init(unsigned k, uint8_t byte)
{
	*prop_at(k) = byte;
	note("guest LPI %u property = %#x", R.lp.pool[k], byte);
	for (uint32_t v = 0; v < R.nv; v++)
		R.lp.l[v][k].hist = R.lp.l[v][k].cfgs = prop_cfg(k);
}

/* LPIs and the vITS, random property bytes and a first set of
 * translations (every command well-formed). */
static void lpi_init(void)
{
	uint64_t c[4];
	unsigned n = 0;

	lpi_enable();
	for (unsigned k = 0; k < MBT_NR_LPIS; k++) {
		uint8_t prio = pick_prio();
		lpi_prop_init(k, prop_byte(prio, chance(85)));
	}
	for (uint32_t i = 0; i < MBT_MAX_COLLS; i++) {
		if (i >= R.lp.ncoll || !chance(90))
			continue;
		R.lp.coll[i] = (int)below(R.nv);
		note("  MAPC icid %u rd %d valid 1", i, R.lp.coll[i]);
		mk_cmd(c, ITS_MAPC, 0, 0,
		       1ULL << 63 | (uint64_t)R.lp.coll[i] << 16 | i, 0);
		its_put(c);
		n++;
	}
	for (uint32_t d = 0; d < 8; d++) {
		if (d >= MBT_NR_DEVS && d != MBT_BIG_DEV)
			continue;
		uint32_t bits = d == MBT_BIG_DEV ? MBT_BIG_BITS : 3;
		uint64_t itt = d == MBT_BIG_DEV ? MBT_BIG_ITT : IG_ITT(d);
		mk_cmd(c, ITS_MAPD, d, bits - 1, 1ULL << 63 | itt, 0);
		its_put(c);
		n++;
		R.lp.dev_valid[d] = true;
		R.lp.dev_bits[d] = (uint8_t)bits;
	}
	for (uint32_t d = 0; d < MBT_NR_DEVS; d++) {
		for (uint32_t e = 0; e < MBT_NR_EVS; e++) {
			if (!chance(60))
				continue;
			unsigned k = pick_lpi();
			uint32_t icid = below(R.lp.ncoll);
			note("  MAPTI dev %u ev %u -> LPI %u icid %u", d, e,
			     R.lp.pool[k], icid);
			mk_cmd(c, ITS_MAPTI, d,
			       e | (uint64_t)R.lp.pool[k] << 32, icid, 0);
			its_put(c);
			n++;
			R.lp.ite[d][e] = (struct ref_ite){true, (uint8_t)k,
							  (uint16_t)icid};
		}
	}
	for (unsigned k = 0; k < MBT_NR_LPIS; k++) {
		if (R.lp.pool[k] >= 1u << MBT_BIG_BITS || !chance(50))
			continue;
		uint32_t icid = below(R.lp.ncoll);
		note("  MAPI dev %u ev %u icid %u", MBT_BIG_DEV, R.lp.pool[k],
		     icid);
		mk_cmd(c, ITS_MAPI, MBT_BIG_DEV, R.lp.pool[k], icid, 0);
		its_put(c);
		n++;
		R.lp.big[k] =
			(struct ref_ite){true, (uint8_t)k, (uint16_t)icid};
	}
	its_kick(0, n, 0);
}

static uint8_t pick_pmr(void)
{
	static const uint8_t p[] = {0xff, 0xff, 0xf8, 0xc0, 0x80, 0x40, 0x20};
	return chance(85) ? p[below(ARRAY_LEN(p))] : (uint8_t)below(256);
}

/* The guest on a running vCPU uses its CPU interface. */
static void op_guest(void)
{
	int pp = busy_pcpu();

	if (pp < 0)
		return;
	uint32_t p = (uint32_t)pp, v = running_vcpu(p);
	struct ref_vcpu *c = &R.vc[v];
	uint32_t r = below(21);

	if (r < 8) {
		struct best b = ref_best(v);
		unsigned grp = b.prio < 256 && chance(85) ? (b.grp[1] ? 1 : 0)
							  : below(2);
		uint32_t got = guest_ack(p, grp);
		if (got != MODEL_SPURIOUS && chance(50))
			quiet_device(v, got);
	} else if (r < 13) {
		if (c->nstack)
			guest_eoi(p);
	} else if (r < 16) {
		if (c->ndropped)
			guest_dir_nth(p, below(c->ndropped));
	} else if (r < 18) {
		guest_pmr(p, pick_pmr());
	} else if (r < 19) {
		unsigned grp = below(2);
		guest_igrpen(p, grp, chance(75));
	} else if (r < 20) {
		unsigned grp = below(2);
		uint32_t val = below(8);
		if (!c->nstack)
			guest_bpr(p, grp, val);
	} else if (!c->nstack && !c->ndropped) {
		bool want = chance(50);
		if (want || !ref_any_mmio_active())
			guest_eoimode(p, want);
	}
}

/* With LPIs: a third of the operations are theirs. */
static void step_lpi(void)
{
	uint32_t r = below(100);

	if (r < 12)
		op_world();
	else if (r < 24)
		op_inject();
	else if (r < 27)
		op_burst();
	else if (r < 37)
		op_mmio();
	else if (r < 46)
		op_msi();
	else if (r < 55)
		op_its();
	else if (r < 59)
		op_prop();
	else if (r < 64)
		op_direct();
	else if (r < 97)
		op_guest();
	else if (r < 99)
		compare_all();
	else
		drain();
	settle();
}

static void step(void)
{
	uint32_t r = below(100);

	if (R.lp.on) {
		step_lpi();
		return;
	}

	if (r < 14)
		op_world();
	else if (r < 34)
		op_inject();
	else if (r < 38)
		op_burst();
	else if (r < 56)
		op_mmio();
	else if (r < 97)
		op_guest();
	else if (r < 99)
		compare_all();
	else
		drain();
	settle();
}

/* --------------------------------------------------------- set-up */

static void mbt_setup(void)
{
	struct model_config mc;

	free(H.mem);
	free(H.ram);
	memset(&H, 0, sizeof(H));
	model_config_default(&mc);
	mc.nr_pcpus = MBT_PCPUS;
	mc.nr_lrs = (uint8_t)R.nlrs;
	mc.nr_spis = 64;
	CHECK(model_init(&H.m, &mc) == 0, "model_init");
	model_host_boot(&H.m, true);
	vgic_config_default(&H.cfg);
	H.cfg.nr_vcpus = R.nv;
	H.cfg.nr_lrs = (uint8_t)R.nlrs;
	H.cfg.nr_spis = MBT_NR_SPIS;
	if (R.lp.on) {
		H.cfg.lpi_id_bits = R.lp.id_bits;
		H.cfg.nr_lpi_slots = R.lp.slots;
		H.cfg.nr_its = 1;
		H.its_base[0] = H_ITS_BASE(0);
		H.cfg.its_base = H.its_base;
		if (R.lp.cache)
			H.cfg.its_cache_size = R.lp.cache;
		H.ram = calloc(1, H_RAM_SIZE);
		CHECK(H.ram != NULL, "guest RAM");
	}
	size_t size = vgic_vm_size(&H.cfg);
	H.mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	H.ops = *model_host_ops();
	H.ops.vcpu_stop = op_stop;
	H.ops.vcpu_resume = op_resume;
	if (R.lp.on) {
		H.ops.guest_read = h_op_guest_read;
		H.ops.guest_write = h_op_guest_write;
	}
	CHECK(H.mem && vgic_vm_init(H.mem, size, &H.cfg, &H.ops, &H.m, &H.vm) ==
			       0,
	      "vgic_vm_init");
	for (uint32_t p = 0; p < MODEL_MAX_PCPUS; p++)
		H.running[p] = -1;
	memset(stopped_on, 0, sizeof(stopped_on));
}

static void init_irq(uint32_t v, uint32_t intid, void *arg)
{
	(void)arg;
	struct ref_irq *r = ref(v, intid);

	if (intid >= VGIC_NR_PRIVATE && v != 0)
		return; /* SPIs once */
	r->edge = intid < VGIC_NR_SGIS;
	r->target = -1;
	g_group(0, v, intid, chance(75));
	g_prio(0, v, intid, pick_prio());
	if (intid >= VGIC_NR_SGIS)
		g_config(0, v, intid, chance(50));
	if (intid >= VGIC_NR_PRIVATE)
		g_route(0, intid);
	g_enable(0, v, intid, chance(85));
}

/* Guest boot on each vCPU: wake its redistributor, unmask, pick EOImode. */
static void init_vcpu(uint32_t v, bool eoimode)
{
	struct ref_vcpu *c = &R.vc[v];

	mmio_w(v, rd_base(v) + GICR_WAKER, 4, 0);
	enter(v, 0);
	guest_bpr(0, 0, 0); /* minimum: every priority bit preempts */
	guest_bpr(0, 1, 0);
	guest_pmr(0, 0xff);
	guest_igrpen(0, 0, true);
	guest_igrpen(0, 1, true);
	c->eoimode = eoimode;
	model_guest_set_ctlr(&H.m, 0, c->eoimode ? 2u : 0u);
	leave(0);
}

/* With LPIs: 14 to 16 INTID bits, in a third of the seeds a store too
 * small for what is pending (it spills), in some a tiny MSI translation
 * cache. */
static void mbt_begin(uint64_t seed, bool lpi)
{
	memset(&R, 0, sizeof(R));
	R.seed = seed;
	R.rng = seed * 0x2545f4914f6cdd1dULL + 1;
	R.nv = 1 + below(MBT_MAX_VCPUS);
	R.nlrs = 1 + below(4);
	if (lpi) {
		R.lp.on = true;
		R.lp.id_bits = (uint8_t)(14 + below(3));
		R.lp.slots = chance(35) ? 2 + below(7) : 64;
		R.lp.cache = chance(25) ? 1u << below(3) : 0;
	}
	mbt_setup();
	for (uint32_t v = 0; v < R.nv; v++)
		init_vcpu(v, chance(50));
	g_ctlr(0, 3);
	for (uint32_t v = 0; v < R.nv; v++)
		for_each_intid(v, init_irq, NULL);
	if (lpi)
		lpi_init();
	compare_all();
}

static void account(void)
{
	struct vgic_stats s;

	vgic_get_stats(H.vm, &s);
	T.seeds++;
	T.acks += R.acks;
	T.underflow += s.maint_underflow;
	T.np += s.maint_np;
	T.eoicount += s.eoicount;
	T.msi_dropped += s.msi_dropped;
	T.spilled += s.lpi_spilled;
	T.cache_hits += s.msi_cache_hits;
}

static void max_pending(void)
{
	for (uint32_t v = 0; v < R.nv; v++) {
		uint64_t n = eligible_count(v);
		if (n > T.max_pending)
			T.max_pending = n;
	}
}

static void run_seed(uint64_t seed, unsigned ops, bool lpi)
{
	mbt_begin(seed, lpi);
	R.ops = ops;
	R.trace = getenv("VGIC_MBT_TRACE") && *getenv("VGIC_MBT_TRACE") == '1';
	for (R.op = 0; R.op < ops; R.op++) {
		step();
		if (R.op % 64 == 0)
			max_pending();
	}
	drain();
	compare_all();
	account();
	T.ops += ops;
	free(H.mem);
	H.mem = NULL;
	free(H.ram);
	H.ram = NULL;
}

/* ------------------------------------------------ regression cases */

/*
 * Explicit scenarios for bugs the random runs found; each is checked by
 * the same reference (check_ack), so it fails where the bug was.
 */
static void fixed_irq(uint32_t v, uint32_t intid, void *arg)
{
	(void)arg;
	struct ref_irq *r = ref(v, intid);

	if (intid >= VGIC_NR_PRIVATE && v != 0)
		return;
	r->edge = true;
	r->target = -1;
	g_group(0, v, intid, true);
	g_prio(0, v, intid, 0x80);
	if (intid >= VGIC_NR_SGIS)
		g_config(0, v, intid, true);
	if (intid >= VGIC_NR_PRIVATE)
		g_route_to(0, intid, affinity(0), 0);
	g_enable(0, v, intid, false);
}

/* `nv` vCPUs, `nlrs` LRs; every pool INTID Group 1, priority 0x80, edge,
 * disabled, SPIs routed to vCPU 0. */
static void fixed_begin(uint32_t nv, uint32_t nlrs, bool eoimode)
{
	memset(&R, 0, sizeof(R));
	R.rng = 1;
	R.nv = nv;
	R.nlrs = nlrs;
	mbt_setup();
	for (uint32_t v = 0; v < R.nv; v++)
		init_vcpu(v, eoimode);
	g_ctlr(0, 3);
	for (uint32_t v = 0; v < R.nv; v++)
		for_each_intid(v, fixed_irq, NULL);
}

static void fixed_spi(uint32_t intid, bool g1, uint8_t prio)
{
	g_group(0, 0, intid, g1);
	g_prio(0, 0, intid, prio);
	g_enable(0, 0, intid, true);
}

static void expect_ack(uint32_t p, unsigned grp, uint32_t intid)
{
	uint32_t got = guest_ack(p, grp);
	CHECK(got == intid, "expected INTID %u, got %u", intid, got);
	settle();
}

/* src/dist.c: clearing GICD_CTLR.EnableGrp0 while another vCPU runs with
 * a Group 0 interrupt in its LRs must reach that vCPU (it is kicked, its
 * flush drops the interrupt): it may not acknowledge it afterwards. */
static void t_reg_ctlr_disable_kicks(void **state)
{
	(void)state;
	fixed_begin(2, 4, false);
	g_group(0, 0, 1, false);
	g_prio(0, 0, 1, 0x40);
	g_enable(0, 0, 1, true);
	enter(0, 0);
	host_edge(0, 1);
	settle();
	g_ctlr(1, 2); /* vCPU 1 (not running) disables Group 0 */
	settle();
	expect_ack(0, 0, MODEL_SPURIOUS);
	drain();
}

/* src/lr.c: EOImode 1, two LRs holding interrupts whose priority the
 * guest dropped: a third pending one must still reach the guest. */
static void t_reg_dropped_actives_fill_lrs(void **state)
{
	(void)state;
	fixed_begin(1, 2, true);
	fixed_spi(32, true, 0x10);
	fixed_spi(33, true, 0x20);
	fixed_spi(34, true, 0x30);
	enter(0, 0);
	for (uint32_t intid = 32; intid <= 34; intid++) {
		host_edge(0, intid);
		settle();
		expect_ack(0, 1, intid);
		guest_eoi(0); /* priority drop only */
		settle();
	}
	drain();
}

/* src/lr.c: pending interrupts of a group the guest disabled
 * (ICV_IGRPEN0 = 0) must not take the LRs a Group 1 one needs. */
static void t_reg_disabled_group_hides(void **state)
{
	(void)state;
	fixed_begin(1, 2, false);
	fixed_spi(32, false, 0x10);
	fixed_spi(33, false, 0x20);
	fixed_spi(34, true, 0x30);
	enter(0, 0);
	guest_igrpen(0, 0, false);
	leave(0);
	for (uint32_t intid = 32; intid <= 34; intid++)
		host_edge(0, intid);
	enter(0, 0);
	settle();
	expect_ack(0, 1, 34);
	guest_eoi(0);
	settle();
	guest_igrpen(0, 0, true);
	settle();
	expect_ack(0, 0, 32);
	drain();
}

/* src/lr.c: an SPI active on vCPU 0, re-routed to vCPU 1 and pending
 * again: the guest's deactivation on vCPU 0 must bring it out at once
 * (LR.EOI), so that vCPU 1, running, gets the interrupt. */
static void t_reg_active_rerouted_eoi_exit(void **state)
{
	(void)state;
	fixed_begin(2, 4, false);
	fixed_spi(40, true, 0x40);
	enter(0, 0);
	enter(1, 1);
	host_edge(0, 40);
	settle();
	expect_ack(0, 1, 40);
	int p = trap_begin(1);
	g_route_to(1, 40, affinity(1), 1);
	trap_end(1, p);
	host_edge(0, 40);
	settle();
	guest_eoi(0);
	CHECK(h_maint(0), "deactivation of INTID 40 did not exit");
	settle();
	expect_ack(1, 1, 40);
	drain();
}

/* src/lr.c: the same, deactivated through ICH_HCR_EL2.EOIcount (no LR):
 * the replay must move it to vCPU 1, although vCPU 0's flush never walks
 * that far down its list. */
static void t_reg_eoicount_moves_rerouted(void **state)
{
	(void)state;
	fixed_begin(2, 2, false);
	fixed_spi(40, true, 0xc0);
	fixed_spi(41, true, 0x80);
	fixed_spi(42, true, 0x40);
	for (uint32_t intid = 43; intid <= 45; intid++)
		fixed_spi(intid, true, 0x90);
	enter(0, 0);
	for (uint32_t intid = 40; intid <= 42; intid++) {
		host_edge(0, intid);
		settle();
		expect_ack(0, 1, intid);
	}
	g_route_to(1, 40, affinity(1), 1); /* vCPU 1 is not running */
	host_edge(0, 40);
	for (uint32_t intid = 43; intid <= 45; intid++)
		host_edge(0, intid);
	settle();
	for (int i = 0; i < 3; i++) {
		guest_eoi(0);
		settle();
	}
	put(0);
	enter(1, 1);
	expect_ack(1, 1, 40);
	drain();
}

/* model/vcpuif.c: ICH_MISR_EL2.NP counts LRs in the pending state only;
 * a pending and active LR does not hold it back. */
static void t_reg_model_np_pending_active(void **state)
{
	(void)state;
	fixed_begin(1, 2, false);
	model_ich_set_lr(&H.m, 0, 0,
			 VGIC_LR_PENDING | VGIC_LR_ACTIVE | VGIC_LR_GROUP | 40);
	model_ich_set_hcr(&H.m, 0, VGIC_HCR_EN | VGIC_HCR_NPIE);
	CHECK(model_ich_misr(&H.m, 0) & VGIC_MISR_NP, "NP not asserted");
	model_ich_set_lr(&H.m, 0, 1, VGIC_LR_PENDING | VGIC_LR_GROUP | 41);
	CHECK(!(model_ich_misr(&H.m, 0) & VGIC_MISR_NP), "NP asserted");
}

/* With LPIs (16 INTID bits, `slots` slots) and a vITS with nothing
 * mapped: the pool LPIs enabled, priority `prio`. */
static void fixed_begin_lpi(uint32_t nv, uint32_t nlrs, uint32_t slots,
			    uint8_t prio)
{
	memset(&R, 0, sizeof(R));
	R.rng = 1;
	R.nv = nv;
	R.nlrs = nlrs;
	R.lp.on = true;
	R.lp.id_bits = 16;
	R.lp.slots = slots;
	mbt_setup();
	for (uint32_t v = 0; v < R.nv; v++)
		init_vcpu(v, false);
	g_ctlr(0, 3);
	for (uint32_t v = 0; v < R.nv; v++)
		for_each_intid(v, fixed_irq, NULL);
	lpi_enable();
	for (unsigned k = 0; k < MBT_NR_LPIS; k++)
		lpi_prop_init(k, prop_byte(prio, true));
}

/* MOVALL from -> to, by vCPU a. */
static void fixed_movall(uint32_t a, uint32_t from, uint32_t to)
{
	uint64_t c[4];
	int p = trap_begin(a);

	lpi_batch_begin();
	mk_cmd(c, ITS_MOVALL, 0, 0, (uint64_t)from << 16, (uint64_t)to << 16);
	note("  MOVALL rd %u -> rd %u", from, to);
	for (unsigned k = 0; k < MBT_NR_LPIS; k++)
		lpi_move(from, to, k);
	its_put(c);
	its_kick(a, 1, 0);
	trap_end(a, p);
	lpi_resolve();
}

/* src/dist.c: GICD_CTLR.EnableGrp1 set again must make the LPIs that
 * became pending meanwhile deliverable (vgic_irq_requeue_all), and
 * clearing it must reach a running vCPU that holds one in an LR (as
 * t_reg_ctlr_disable_kicks for SPIs). */
static void t_reg_lpi_ctlr_group1(void **state)
{
	(void)state;
	fixed_begin_lpi(2, 4, 16, 0x80);
	g_ctlr(0, 1);
	g_lpir(0, 0, 0, true, 0);
	enter(0, 0);
	settle();
	leave(0);
	g_ctlr(1, 3);
	enter(0, 0);
	settle();
	expect_ack(0, 1, R.lp.pool[0]);
	guest_eoi(0);
	g_lpir(1, 0, 1, true, 0);
	settle();
	g_ctlr(1, 1); /* vCPU 1 (not running) disables Group 1 */
	settle();
	expect_ack(0, 1, MODEL_SPURIOUS);
	drain();
}

/* src/lpi.c: an LPI pending at a redistributor only in its pending table
 * (spilled: the store was full) and pending there again in a slot (a
 * MOVALL brings one, or a SETLPIR finds a free slot) is pending once:
 * the guest takes it once, the table bit must not make it pending
 * again. */
static void t_reg_lpi_pending_twice(void **state)
{
	(void)state;
	fixed_begin_lpi(2, 4, 2, 0x80);
	g_lpir(0, 0, 0, true, 0);
	g_lpir(0, 1, 1, true, 0);
	g_lpir(0, 1, 0, true, 0); /* store full: spilled at rd 1 */
	fixed_movall(0, 0, 1);	  /* merges with it */
	drain();
	compare_all();
	free(H.mem);
	H.mem = NULL;
	fixed_begin_lpi(2, 4, 1, 0x80);
	g_lpir(0, 0, 1, true, 0);
	g_lpir(0, 1, 0, true, 0); /* store full: spilled at rd 1 */
	g_lpir(0, 0, 1, false, 0);
	enter(0, 0); /* flush drops the cleared LPI: its slot frees */
	leave(0);
	g_lpir(0, 1, 0, true, 0); /* merges with the spilled one */
	drain();
	compare_all();
}

/* src/lpi.c, src/lr.c: a slot whose LPI is no longer pending waits on
 * its vCPU's list for a flush to drop it; a flush that stops early (more
 * pending than LRs, here two SGIs the priority mask holds back) leaves
 * it there, the slot counts as busy, and an LPI that spilled for want
 * of a slot never comes back although none is pending. */
static void t_reg_lpi_stale_slot(void **state)
{
	(void)state;
	fixed_begin_lpi(1, 1, 1, 0xf8);
	lpi_prop_init(1, prop_byte(0x20, true));
	for (uint32_t sgi = 0; sgi < 2; sgi++) {
		g_prio(0, 0, sgi, 0xf8); /* never beats the priority mask */
		g_enable(0, 0, sgi, true);
		host_edge(0, sgi);
	}
	g_lpir(0, 0, 0, true, 0);
	g_lpir(0, 0, 0, false, 0);
	enter(0, 0);
	leave(0);
	g_lpir(0, 0, 1, true, 0); /* store full? spilled */
	drain();
}

/* src/lpi.c: an LPI that spilled (the store was full) comes back into
 * the store at a sync of its own vCPU: out of the guest (say in WFI),
 * that vCPU must be seen as having work once a slot is free, or be
 * kicked. */
static void t_reg_lpi_spilled_wfi(void **state)
{
	(void)state;
	fixed_begin_lpi(2, 4, 1, 0x80);
	g_lpir(0, 1, 0, true, 0);
	g_lpir(0, 0, 1, true, 0); /* store full: spilled at rd 0 */
	enter(1, 1);
	settle();
	expect_ack(1, 1, R.lp.pool[0]);
	guest_eoi(1);
	leave(1); /* the slot is free */
	compare_all();
	drain();
}

/* src/lr.c: EOImode 1, the guest disabled Group 0 while a level Group 0
 * interrupt was active; flush gives it an LR (pending and active), and
 * when the guest deactivates it the LR stays pending, of a group the
 * guest cannot take, which holds back ICH_MISR_EL2.NP once the guest
 * took the other LR's interrupt: the Group 1 interrupt that did not fit
 * must still reach the guest. */
static void t_reg_group_off_active_level(void **state)
{
	(void)state;
	fixed_begin(1, 2, true);
	fixed_spi(32, false, 0x40);
	g_config(0, 0, 32, false);
	fixed_spi(33, true, 0x80);
	fixed_spi(34, true, 0x90);
	enter(0, 0);
	host_level(0, 32, true);
	settle();
	expect_ack(0, 0, 32);
	guest_eoi(0); /* priority drop only */
	settle();
	guest_igrpen(0, 0, false);
	host_edge(0, 33);
	host_edge(0, 34);
	leave(0);
	enter(0, 0); /* LRs: 32 pending and active, 33; 34 waits */
	settle();
	guest_dir_nth(0, 0); /* 32 deactivated, its line still high */
	settle();
	expect_ack(0, 1, 33);
	guest_eoi(0); /* priority drop */
	settle();
	expect_ack(0, 1, 34);
	drain();
}

/* Seeds whose runs fail with one of the fixes taken out: 1 and 3 (the last
 * LR, held-back groups, ICH_MISR_EL2.NP), 11 and 19 (GICD_CTLR), 92 and 334
 * (LR.EOI of a re-routed active SPI), 53 and 1014 (EOIcount replay). */
static void t_reg_seeds(void **state)
{
	(void)state;
	static const unsigned seeds[] = {1, 3, 11, 19, 53, 92, 334, 1014};

	memset(&T, 0, sizeof(T));
	for (unsigned i = 0; i < ARRAY_LEN(seeds); i++)
		run_seed(seeds[i], MBT_DEFAULT_OPS, false);
}

/* Seeds with LPIs whose runs fail without, in turn: LPIs requeued on
 * GICD_CTLR (11), one pending state per redistributor and LPI when one
 * spilled (29), idle slots left on a list reclaimed (10), a vCPU with
 * spilled LPIs woken when a slot frees (26), and the LR of an active
 * interrupt of a group the guest disabled (3650). */
static void t_reg_lpi_seeds(void **state)
{
	(void)state;
	static const unsigned seeds[] = {10, 11, 26, 29, 3650};

	memset(&T, 0, sizeof(T));
	for (unsigned i = 0; i < ARRAY_LEN(seeds); i++)
		run_seed(seeds[i], MBT_DEFAULT_OPS, true);
}

static unsigned long long env_num(const char *name, unsigned long long def)
{
	const char *s = getenv(name);
	return s && *s ? strtoull(s, NULL, 0) : def;
}

static void print_totals(const char *what)
{
	if (T.its_cmds)
		printf("mbt %s: %llu LPI acks, %llu MSIs (%llu dropped, %llu "
		       "cache hits), %llu ITS commands (%llu errors), %llu "
		       "moves (%llu in flight, %llu stayed), %llu property "
		       "changes, %llu invalidations, %llu spilled\n",
		       what, (unsigned long long)T.lpi_acks,
		       (unsigned long long)T.msis,
		       (unsigned long long)T.msi_dropped,
		       (unsigned long long)T.cache_hits,
		       (unsigned long long)T.its_cmds,
		       (unsigned long long)T.its_errors,
		       (unsigned long long)T.moves,
		       (unsigned long long)T.moves_in_flight,
		       (unsigned long long)T.stayed,
		       (unsigned long long)T.props, (unsigned long long)T.invs,
		       (unsigned long long)T.spilled);
	printf("mbt %s: %llu seeds, %llu ops, %llu acks, %llu drains, "
	       "%llu compares, max %llu eligible on one vCPU, "
	       "maintenance U %llu NP %llu, EOIcount %llu, exits %llu\n",
	       what, (unsigned long long)T.seeds, (unsigned long long)T.ops,
	       (unsigned long long)T.acks, (unsigned long long)T.drains,
	       (unsigned long long)T.compares,
	       (unsigned long long)T.max_pending,
	       (unsigned long long)T.underflow, (unsigned long long)T.np,
	       (unsigned long long)T.eoicount, (unsigned long long)T.exits);
}

/* VGIC_MBT_LPI=0 runs the seeds without LPIs only, =1 those with. */
static void random_seeds(bool lpi, unsigned long long def_seeds)
{
	const char *one = getenv("VGIC_MBT_SEED");
	unsigned ops = (unsigned)env_num("VGIC_MBT_OPS", MBT_DEFAULT_OPS);
	const char *mode = getenv("VGIC_MBT_LPI");

	if (mode && *mode && (strtoul(mode, NULL, 0) != 0) != lpi)
		return;
	memset(&T, 0, sizeof(T));
	if (one && *one) {
		run_seed(strtoull(one, NULL, 0), ops, lpi);
	} else {
		unsigned long long n = env_num("VGIC_MBT_SEEDS", def_seeds);
		unsigned long long first = env_num("VGIC_MBT_FIRST", 1);
		for (unsigned long long s = first; s < first + n; s++)
			run_seed(s, ops, lpi);
	}
	print_totals(lpi ? "random, LPIs and vITS" : "random");
}

static void t_random_seeds(void **state)
{
	(void)state;
	random_seeds(false, MBT_DEFAULT_SEEDS);
}

/* The same with LPIs through a vITS, MOVI and MOVALL, DirectLPI. */
static void t_random_lpi_seeds(void **state)
{
	(void)state;
	random_seeds(true, MBT_DEFAULT_LPI_SEEDS);
}

static int teardown(void **state)
{
	(void)state;
	free(H.mem);
	H.mem = NULL;
	free(H.ram);
	H.ram = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_reg_ctlr_disable_kicks, teardown),
		cmocka_unit_test_teardown(t_reg_dropped_actives_fill_lrs,
					  teardown),
		cmocka_unit_test_teardown(t_reg_disabled_group_hides, teardown),
		cmocka_unit_test_teardown(t_reg_active_rerouted_eoi_exit,
					  teardown),
		cmocka_unit_test_teardown(t_reg_eoicount_moves_rerouted,
					  teardown),
		cmocka_unit_test_teardown(t_reg_model_np_pending_active,
					  teardown),
		cmocka_unit_test_teardown(t_reg_group_off_active_level,
					  teardown),
		cmocka_unit_test_teardown(t_reg_lpi_ctlr_group1, teardown),
		cmocka_unit_test_teardown(t_reg_lpi_pending_twice, teardown),
		cmocka_unit_test_teardown(t_reg_lpi_stale_slot, teardown),
		cmocka_unit_test_teardown(t_reg_lpi_spilled_wfi, teardown),
		cmocka_unit_test_teardown(t_reg_seeds, teardown),
		cmocka_unit_test_teardown(t_reg_lpi_seeds, teardown),
		cmocka_unit_test_teardown(t_random_seeds, teardown),
		cmocka_unit_test_teardown(t_random_lpi_seeds, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
