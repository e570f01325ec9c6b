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
 * VGIC_MBT_SEED=N runs one seed; VGIC_MBT_SEEDS=K and VGIC_MBT_OPS=M
 * scale the run. A failure prints the seed, the command that replays it,
 * the last operations and the state of both sides.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define MBT_MAX_VCPUS 4
#define MBT_PCPUS 2
#define MBT_NR_SPIS 16
#define MBT_PRIO_MASK 0xf8 /* 5 priority bits */
#ifndef MBT_RING
#define MBT_RING 32
#endif
#define MBT_DEFAULT_SEEDS 150
#define MBT_DEFAULT_OPS 2500

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
	uint64_t acks;
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
	/* The same seed replays the same operations; stopping right after
	 * the failing one gives the shortest trace. */
	if (R.ops)
		fprintf(stderr,
			"reproduce: VGIC_MBT_SEED=%llu VGIC_MBT_OPS=%u\n",
			(unsigned long long)R.seed,
			R.op < R.ops ? R.op + 1 : R.ops);
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

	for_each_intid(v, best_one, &b);
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
	struct ref_irq *r = ref(v, got);
	struct ref_vcpu *c = &R.vc[v];
	r->active = true;
	r->latch = false;
	CHECK(c->nstack < ARRAY_LEN(c->stack), "stack overflow");
	c->stack[c->nstack++] = (struct ref_held){
		got, (uint8_t)(r->prio & ref_gmask(v, grp)), grp};
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

/* A vCPU out of the guest with something signalable must be seen as
 * having work (WFI wake-up). */
static void check_wfi(uint32_t v)
{
	bool any = false;

	for (uint32_t n = 0; n < 32 + MBT_NR_SPIS && !any; n++)
		if (in_pool(n))
			any = ref_signalable(v, n);
	if (any)
		CHECK(vgic_vcpu_pending(H.vm, v),
		      "vcpu%u: interrupt signalable, vgic_vcpu_pending false",
		      v);
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
	for (unsigned round = 0; round < 8; round++) {
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
		if (!taken)
			break;
	}
	for (uint32_t v = 0; v < R.nv; v++)
		for (uint32_t n = 0; n < 32 + MBT_NR_SPIS; n++)
			if (in_pool(n))
				CHECK(!ref_signalable(v, n),
				      "lost: vcpu%u intid %u deliverable, "
				      "never delivered",
				      v, n);
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

static void step(void)
{
	uint32_t r = below(100);

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
	size_t size = vgic_vm_size(&H.cfg);
	H.mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	H.ops = *model_host_ops();
	H.ops.vcpu_stop = op_stop;
	H.ops.vcpu_resume = op_resume;
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

static void mbt_begin(uint64_t seed)
{
	memset(&R, 0, sizeof(R));
	R.seed = seed;
	R.rng = seed * 0x2545f4914f6cdd1dULL + 1;
	R.nv = 1 + below(MBT_MAX_VCPUS);
	R.nlrs = 1 + below(4);
	mbt_setup();
	for (uint32_t v = 0; v < R.nv; v++)
		init_vcpu(v, chance(50));
	g_ctlr(0, 3);
	for (uint32_t v = 0; v < R.nv; v++)
		for_each_intid(v, init_irq, NULL);
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
}

static void max_pending(void)
{
	for (uint32_t v = 0; v < R.nv; v++) {
		uint64_t n = eligible_count(v);
		if (n > T.max_pending)
			T.max_pending = n;
	}
}

static void run_seed(uint64_t seed, unsigned ops)
{
	mbt_begin(seed);
	R.ops = ops;
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

/* Seeds whose runs fail with one of the fixes taken out: 1 and 3 (the last
 * LR, held-back groups, ICH_MISR_EL2.NP), 11 and 19 (GICD_CTLR), 92 and 334
 * (LR.EOI of a re-routed active SPI), 53 and 1014 (EOIcount replay). */
static void t_reg_seeds(void **state)
{
	(void)state;
	static const unsigned seeds[] = {1, 3, 11, 19, 53, 92, 334, 1014};

	memset(&T, 0, sizeof(T));
	for (unsigned i = 0; i < ARRAY_LEN(seeds); i++)
		run_seed(seeds[i], MBT_DEFAULT_OPS);
}

static unsigned long long env_num(const char *name, unsigned long long def)
{
	const char *s = getenv(name);
	return s && *s ? strtoull(s, NULL, 0) : def;
}

static void print_totals(const char *what)
{
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

static void t_random_seeds(void **state)
{
	(void)state;
	const char *one = getenv("VGIC_MBT_SEED");
	unsigned ops = (unsigned)env_num("VGIC_MBT_OPS", MBT_DEFAULT_OPS);

	memset(&T, 0, sizeof(T));
	if (one && *one) {
		run_seed(strtoull(one, NULL, 0), ops);
	} else {
		unsigned long long n =
			env_num("VGIC_MBT_SEEDS", MBT_DEFAULT_SEEDS);
		for (unsigned long long s = 1; s <= n; s++)
			run_seed(s, ops);
	}
	print_totals("random");
}

static int teardown(void **state)
{
	(void)state;
	free(H.mem);
	H.mem = NULL;
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
		cmocka_unit_test_teardown(t_reg_seeds, teardown),
		cmocka_unit_test_teardown(t_random_seeds, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
