/* SPDX-License-Identifier: MIT */
/*
 * The virtual ITS (IHI 0069, "The ITS"; the design contract of libvgic's
 * ITS): GITS_* registers, the command queue and every command, the
 * device, collection and interrupt translation tables in guest memory
 * (flat and two-level), MSIs through vgic_inject_msi and GITS_TRANSLATER,
 * the MSI translation cache and its invalidation, moving pending LPIs
 * between redistributors, command errors (ignored) and memory errors
 * (stall), and table addresses outside the VM.
 *
 * The guest's tables live in the harness's guest RAM; the commands are
 * written there as a guest would, then GITS_CWRITER is advanced.
 */
#include "harness.h"

#define GICD_IIDR 0x0008
#define GICR_CTLR 0x0000
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078

/* ITS control frame, and GITS_TRANSLATER in the translation frame. */
#define GITS_CTLR 0x0000
#define GITS_IIDR 0x0004
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_PIDR2 0xffe8
#define GITS_CIDR0 0xfff0
#define GITS_TRANSLATER 0x10040

#define CTLR_QUIESCENT 0x80000000u
#define STALLED 1u
#define RETRY 1u

/* GITS_BASER<n> / GITS_CBASER fields. */
#define B_VALID (1ULL << 63)
#define B_INDIRECT (1ULL << 62)
#define B_PAGE_16K (1ULL << 8)
#define B_PAGE_64K (2ULL << 8)
#define BASER_RO(type) ((uint64_t)(type) << 56 | 7ULL << 48)
#define L1_VALID (1ULL << 63)

/* LPIs, as in test_lpi.c. */
#define PROP_TABLE (H_RAM_BASE + 0x10000)
#define PEND_TABLE(v) (H_RAM_BASE + 0x100000 + (uint64_t)(v)*0x10000)
#define ID_BITS 16
#define PTZ (1ULL << 62)
#define LPI 8192u
#define MAX_V 4u    /* vCPUs of these tests, at most */
#define NR_WATCH 64 /* LPIs whose pending state the error tests watch */

/* Guest RAM layout of the ITS tables (4 MiB at H_RAM_BASE). */
#define L1_DT (H_RAM_BASE + 0x0000)
#define L1_CT (H_RAM_BASE + 0x1000)
#define DT(i) (H_RAM_BASE + 0x20000 + (uint64_t)(i)*0x20000) /* 64 KiB */
#define CT(i) (H_RAM_BASE + 0x30000 + (uint64_t)(i)*0x20000) /* 64 KiB */
#define L2(k) (H_RAM_BASE + 0x60000 + (uint64_t)(k)*0x1000)
#define BIG_ITT (H_RAM_BASE + 0x80000) /* 128 KiB: 2^14 events */
#define ITT(k) (H_RAM_BASE + 0x140000 + (uint64_t)(k)*0x1000)
#define CMDQ(i) (H_RAM_BASE + 0x200000 + (uint64_t)(i)*0x100000)
#define QPAGES 16u
#define OUTSIDE 0x20000000ULL /* no guest RAM there */
#define MAPI_EV 8200u	      /* an EventID that MAPI maps to an LPI */

/* ------------------------------------------------------ guest memory */

static void wr64(uint64_t gpa, uint64_t v)
{
	uint8_t *p = &H.ram[gpa - H_RAM_BASE];
	for (unsigned k = 0; k < 8; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t rd64(uint64_t gpa)
{
	const uint8_t *p = &H.ram[gpa - H_RAM_BASE];
	uint64_t v = 0;
	for (unsigned k = 0; k < 8; k++)
		v |= (uint64_t)p[k] << (8 * k);
	return v;
}

/* The contract's entry formats. */
static uint64_t dte(unsigned ev_bits, uint64_t itt)
{
	return 1 | (uint64_t)(ev_bits - 1) << 1 | (itt & 0x000fffffffffff00ULL);
}

static uint64_t ite(uint32_t intid, uint32_t icid)
{
	return 1 | (uint64_t)icid << 1 | (uint64_t)intid << 32;
}

static uint64_t cte(uint32_t rd)
{
	return 1 | (uint64_t)rd << 1;
}

/* ------------------------------------------------------------- LPIs */

/* The property byte: priority [7:2], RES1 [1], Enable [0]. */
static void set_prop(uint32_t intid, uint8_t prio, bool enable)
{
	H.ram[PROP_TABLE - H_RAM_BASE + intid - LPI] =
		(uint8_t)((prio & 0xfc) | 2 | enable);
}

static void enable_lpis(uint32_t v)
{
	h_mmio_w(v, h_gicr(v, GICR_PROPBASER), 8, PROP_TABLE | (ID_BITS - 1));
	h_mmio_w(v, h_gicr(v, GICR_PENDBASER), 8, PEND_TABLE(v) | PTZ);
	h_mmio_w(v, h_gicr(v, GICR_CTLR), 4, 1);
}

static bool lpi_pending(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state st;
	int err = vgic_irq_state(H.vm, v, intid, &st);
	if (err == VGIC_ENOENT)
		return false;
	assert_int_equal(err, 0);
	return st.pending;
}

static unsigned take(uint32_t v, uint32_t *log, unsigned max)
{
	return h_take_all(v, v, MODEL_GROUP1, false, log, max);
}

/* The guest of vCPU `v` takes exactly `intid` (0: nothing). */
static void expect_taken(uint32_t v, uint32_t intid)
{
	uint32_t log[8];
	unsigned n = take(v, log, 8);
	if (!intid) {
		assert_int_equal(n, 0);
		return;
	}
	assert_int_equal(n, 1);
	assert_int_equal(log[0], intid);
}

/* The running guest on `p` takes what it can now. */
static unsigned drain(uint32_t p, uint32_t *log, unsigned max)
{
	unsigned n = 0;
	while (H.running[p] >= 0) {
		uint32_t intid = model_guest_ack(&H.m, p, MODEL_GROUP1);
		if (intid == MODEL_SPURIOUS)
			break;
		if (n < max)
			log[n] = intid;
		n++;
		h_guest_complete(p, MODEL_GROUP1, intid, false);
	}
	return n;
}

/* Each of `want` delivered exactly once, nothing else. */
static void assert_once(const uint32_t *log, unsigned n, const uint32_t *want,
			unsigned k)
{
	assert_int_equal(n, k);
	for (unsigned a = 0; a < k; a++) {
		unsigned seen = 0;
		for (unsigned b = 0; b < n; b++)
			seen += log[b] == want[a];
		assert_int_equal(seen, 1);
	}
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(H.vm, &s), 0);
	return s;
}

/* ------------------------------------------------ ITS registers, queue */

struct queue {
	uint64_t base;
	uint32_t size; /* bytes */
	uint32_t wr;   /* where the next command goes */
};

static struct queue Q[VGIC_MAX_ITS];
static uint32_t ACC; /* the vCPU whose accesses program the ITSs */
static uint8_t snap[H_RAM_SIZE];

static void its_w(unsigned i, uint32_t off, unsigned len, uint64_t val)
{
	h_mmio_w(ACC, H_ITS_BASE(i) + off, len, val);
}

static uint64_t its_r(unsigned i, uint32_t off, unsigned len)
{
	return h_mmio_r(ACC, H_ITS_BASE(i) + off, len);
}

static void its_enable(unsigned i, bool on)
{
	its_w(i, GITS_CTLR, 4, on);
}

/* An empty queue of `pages` 4 KiB pages at `base` (ITS disabled). */
static void its_queue(unsigned i, uint64_t base, uint32_t pages)
{
	its_w(i, GITS_CBASER, 8, B_VALID | base | (pages - 1));
	its_w(i, GITS_CWRITER, 8, 0);
	Q[i] = (struct queue){base, pages * 4096, 0};
}

/* GITS_BASER<n> rewritten the only way it can be: ITS disabled. */
static void set_baser(unsigned i, unsigned n, uint64_t val)
{
	its_enable(i, false);
	its_w(i, GITS_BASER(n), 8, val);
	its_enable(i, true);
}

/* A stuck queue restarted: CBASER written again (CREADR = 0). */
static void unstick(unsigned i)
{
	its_enable(i, false);
	its_queue(i, Q[i].base, Q[i].size / 4096);
	its_enable(i, true);
}

/* What a guest kernel does: flat tables, a queue, enable. */
static void its_init(unsigned i)
{
	its_w(i, GITS_BASER(0), 8, B_VALID | DT(i)); /* 512 devices */
	its_w(i, GITS_BASER(1), 8, B_VALID | CT(i));
	its_queue(i, CMDQ(i), QPAGES);
	its_enable(i, true);
}

/* -------------------------------------------------------- commands */

struct cmd {
	uint64_t dw[4];
};

static struct cmd mk(uint8_t op, uint32_t dev, uint64_t dw1, uint64_t dw2,
		     uint64_t dw3)
{
	struct cmd c = {{op | (uint64_t)dev << 32, dw1, dw2, dw3}};
	return c;
}

static struct cmd c_mapd(uint32_t dev, uint8_t size, uint64_t itt, bool v)
{
	return mk(0x08, dev, size & 0x1f,
		  (itt & 0x000fffffffffff00ULL) | (uint64_t)v << 63, 0);
}

static struct cmd c_mapc(uint16_t icid, uint64_t rd, bool v)
{
	return mk(0x09, 0, 0,
		  icid | (rd & 0xfffffffffULL) << 16 | (uint64_t)v << 63, 0);
}

static struct cmd c_mapti(uint32_t dev, uint32_t ev, uint32_t intid,
			  uint16_t icid)
{
	return mk(0x0a, dev, ev | (uint64_t)intid << 32, icid, 0);
}

static struct cmd c_mapi(uint32_t dev, uint32_t ev, uint16_t icid)
{
	return mk(0x0b, dev, ev, icid, 0);
}

static struct cmd c_movi(uint32_t dev, uint32_t ev, uint16_t icid)
{
	return mk(0x01, dev, ev, icid, 0);
}

static struct cmd c_movall(uint64_t rd1, uint64_t rd2)
{
	return mk(0x0e, 0, 0, (rd1 & 0xfffffffffULL) << 16,
		  (rd2 & 0xfffffffffULL) << 16);
}

static struct cmd c_discard(uint32_t dev, uint32_t ev)
{
	return mk(0x0f, dev, ev, 0, 0);
}

static struct cmd c_inv(uint32_t dev, uint32_t ev)
{
	return mk(0x0c, dev, ev, 0, 0);
}

static struct cmd c_invall(uint16_t icid)
{
	return mk(0x0d, 0, 0, icid, 0);
}

static struct cmd c_int(uint32_t dev, uint32_t ev)
{
	return mk(0x03, dev, ev, 0, 0);
}

static struct cmd c_clear(uint32_t dev, uint32_t ev)
{
	return mk(0x04, dev, ev, 0, 0);
}

static struct cmd c_sync(uint64_t rd)
{
	return mk(0x05, 0, 0, (rd & 0xfffffffffULL) << 16, 0);
}

/* The command written into the queue at byte offset `off`. */
static void q_put_at(unsigned i, uint32_t off, struct cmd c)
{
	for (unsigned k = 0; k < 4; k++)
		wr64(Q[i].base + off + 8 * k, c.dw[k]);
}

/* Queued at the write position, which moves on (and wraps). */
static void q_put(unsigned i, struct cmd c)
{
	q_put_at(i, Q[i].wr, c);
	Q[i].wr = (Q[i].wr + 32) % Q[i].size;
}

static void q_kick(unsigned i)
{
	its_w(i, GITS_CWRITER, 8, Q[i].wr);
}

static void retry(unsigned i)
{
	its_w(i, GITS_CWRITER, 8, Q[i].wr | RETRY);
}

/* One command, processed without error. */
static void run(unsigned i, struct cmd c)
{
	struct vgic_stats s0 = stats();
	q_put(i, c);
	q_kick(i);
	struct vgic_stats s1 = stats();
	assert_int_equal(its_r(i, GITS_CREADR, 8), Q[i].wr);
	assert_int_equal(s1.its_cmds, s0.its_cmds + 1);
	assert_int_equal(s1.its_cmd_errors, s0.its_cmd_errors);
	assert_int_equal(s1.its_stalls, s0.its_stalls);
}

static void map_dev(unsigned i, uint32_t dev, unsigned ev_bits, uint64_t itt)
{
	run(i, c_mapd(dev, (uint8_t)(ev_bits - 1), itt, true));
}

static void map_coll(unsigned i, uint16_t icid, uint32_t rd)
{
	run(i, c_mapc(icid, rd, true));
}

static void map_ev(unsigned i, uint32_t dev, uint32_t ev, uint32_t intid,
		   uint16_t icid)
{
	run(i, c_mapti(dev, ev, intid, icid));
}

static void watch(bool pend[MAX_V][NR_WATCH])
{
	memset(pend, 0, sizeof(bool[MAX_V][NR_WATCH]));
	for (uint32_t v = 0; v < H.cfg.nr_vcpus; v++)
		for (uint32_t k = 0; k < NR_WATCH; k++)
			pend[v][k] = lpi_pending(v, LPI + k);
}

static void assert_ram_unchanged(void)
{
	if (!memcmp(snap, H.ram, H_RAM_SIZE))
		return;
	for (size_t k = 0; k < H_RAM_SIZE; k++)
		if (snap[k] != H.ram[k])
			fail_msg("guest RAM changed at +0x%zx", k);
}

/*
 * A command with a parameter error: processed (CREADR moves on, no
 * stall), counted as an error, and without any effect on guest memory
 * or on the pending state of the LPIs watched.
 */
static void expect_ignored(unsigned i, struct cmd c)
{
	bool before[MAX_V][NR_WATCH], after[MAX_V][NR_WATCH];
	watch(before);
	q_put(i, c);
	memcpy(snap, H.ram, H_RAM_SIZE);
	struct vgic_stats s0 = stats();
	q_kick(i);
	struct vgic_stats s1 = stats();
	assert_int_equal(its_r(i, GITS_CREADR, 8), Q[i].wr);
	assert_int_equal(s1.its_cmds, s0.its_cmds + 1);
	assert_int_equal(s1.its_cmd_errors, s0.its_cmd_errors + 1);
	assert_int_equal(s1.its_stalls, s0.its_stalls);
	assert_ram_unchanged();
	watch(after);
	assert_memory_equal(before, after, sizeof(before));
}

/* A command whose memory the host refuses: the queue stalls on it. */
static uint32_t expect_stall(unsigned i, struct cmd c)
{
	uint32_t at = Q[i].wr;
	unsigned refused = H.ram_refused;
	struct vgic_stats s0 = stats();
	q_put(i, c);
	q_kick(i);
	assert_int_equal(its_r(i, GITS_CREADR, 8), at | STALLED);
	assert_int_equal(stats().its_stalls, s0.its_stalls + 1);
	assert_true(H.ram_refused > refused);
	/* Retrying without a change stalls again. */
	retry(i);
	assert_int_equal(its_r(i, GITS_CREADR, 8), at | STALLED);
	assert_int_equal(stats().its_stalls, s0.its_stalls + 2);
	return at;
}

/* ------------------------------------------------------------- MSIs */

/* An MSI through ITS `i` becomes `intid` pending at vCPU `v` only, and
 * that guest takes it once. */
static void msi_to(unsigned i, uint32_t dev, uint32_t ev, uint32_t v,
		   uint32_t intid)
{
	struct vgic_stats s0 = stats();
	assert_int_equal(vgic_inject_msi(H.vm, i, dev, ev), 0);
	assert_int_equal(stats().msis, s0.msis + 1);
	assert_true(lpi_pending(v, intid));
	for (uint32_t u = 0; u < H.cfg.nr_vcpus; u++)
		expect_taken(u, u == v ? intid : 0);
}

/* An MSI that goes nowhere, with error `err`. */
static void msi_none(unsigned i, uint32_t dev, uint32_t ev, int err)
{
	struct vgic_stats s0 = stats();
	assert_int_equal(vgic_inject_msi(H.vm, i, dev, ev), err);
	struct vgic_stats s1 = stats();
	assert_int_equal(s1.msis, s0.msis);
	assert_int_equal(s1.msi_dropped, s0.msi_dropped + 1);
	for (uint32_t u = 0; u < H.cfg.nr_vcpus; u++)
		expect_taken(u, 0);
}

static void cache_delta(const struct vgic_stats *s0, unsigned hits,
			unsigned misses)
{
	struct vgic_stats s1 = stats();
	assert_int_equal(s1.msi_cache_hits, s0->msi_cache_hits + hits);
	assert_int_equal(s1.msi_cache_misses, s0->msi_cache_misses + misses);
}

/* ------------------------------------------------------------ setup */

static int t_setup(void **state)
{
	(void)state;
	H.no_stop_ops = false;
	ACC = 0;
	memset(Q, 0, sizeof(Q));
	return 0;
}

/* A VM with LPIs (LPI..LPI+255 enabled) and its ITSs at reset. */
static void setup_vm(uint32_t nr_vcpus)
{
	H.lpi_id_bits = ID_BITS;
	if (!H.nr_lpi_slots)
		H.nr_lpi_slots = 64;
	if (!H.nr_its)
		H.nr_its = 1;
	assert_int_equal(h_setup(nr_vcpus, nr_vcpus, 4, 32), 0);
	for (uint32_t k = 0; k < 256; k++)
		set_prop(LPI + k, 0xa0, true);
}

/* And what the guest kernel sets up: LPIs on, CPU interfaces, ITSs. */
static void setup(uint32_t nr_vcpus)
{
	setup_vm(nr_vcpus);
	for (uint32_t v = 0; v < nr_vcpus; v++) {
		enable_lpis(v);
		h_guest_init(v, v, false);
	}
	for (unsigned i = 0; i < H.nr_its; i++)
		its_init(i);
}

/* ------------------------------------------------- tests: registers */

static void t_reset_values(void **state)
{
	(void)state;
	setup_vm(2);
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
	assert_int_equal(its_r(0, GITS_IIDR, 4),
			 h_mmio_r(0, h_gicd(GICD_IIDR), 4));
	assert_int_equal(its_r(0, GITS_CBASER, 8), 0);
	assert_int_equal(its_r(0, GITS_CWRITER, 8), 0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	assert_int_equal(its_r(0, GITS_BASER(0), 8), BASER_RO(1));
	assert_int_equal(its_r(0, GITS_BASER(1), 8), BASER_RO(4));
	for (unsigned n = 2; n < 8; n++)
		assert_int_equal(its_r(0, GITS_BASER(n), 8), 0);
	assert_int_equal(its_r(0, GITS_PIDR2, 4) >> 4 & 0xf, 3); /* ArchRev */
	for (uint32_t k = 0; k < 4; k++)
		assert_int_equal(its_r(0, GITS_CIDR0 + 4 * k, 4),
				 h_mmio_r(0, h_gicd(GITS_CIDR0 + 4 * k), 4));
}

static void t_typer(void **state)
{
	static const struct {
		uint32_t nr_vcpus;
		uint8_t dev_bits, ev_bits;
		uint64_t typer;
	} c[] = {
		{1, 16, 16, 0x000000100001ef71ULL},
		{2, 8, 8, 0x000000100000e771ULL},
		{3, 10, 12, 0x0000001100012b71ULL},
		{5, 32, 1, 0x000000120003e071ULL},
		{16, 1, 32, 0x0000001300001f71ULL},
	};
	(void)state;
	for (unsigned k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		H.its_device_bits = c[k].dev_bits;
		H.its_event_bits = c[k].ev_bits;
		setup_vm(c[k].nr_vcpus);
		assert_int_equal(its_r(0, GITS_TYPER, 8), c[k].typer);
		assert_int_equal(its_r(0, GITS_TYPER, 4),
				 c[k].typer & 0xffffffff);
		assert_int_equal(its_r(0, GITS_TYPER + 4, 4), c[k].typer >> 32);
		h_teardown(NULL);
	}
}

static void t_register_readback(void **state)
{
	(void)state;
	setup_vm(1);
	/* RES0 bits are not stored; RO fields keep their values. */
	its_w(0, GITS_CBASER, 8, ~0ULL);
	assert_int_equal(its_r(0, GITS_CBASER, 8), 0xb8effffffffffcffULL);
	its_w(0, GITS_BASER(0), 8, ~0ULL);
	assert_int_equal(its_r(0, GITS_BASER(0), 8), 0xf9e7fffffffffeffULL);
	its_w(0, GITS_BASER(1), 8, ~0ULL);
	assert_int_equal(its_r(0, GITS_BASER(1), 8), 0xfce7fffffffffeffULL);
	for (unsigned n = 2; n < 8; n++) {
		its_w(0, GITS_BASER(n), 8, ~0ULL);
		assert_int_equal(its_r(0, GITS_BASER(n), 8), 0);
	}
	/* Page_Size: 4K, 16K, 64K as written; 3 (reserved) reads as 64K. */
	for (uint64_t ps = 0; ps < 4; ps++) {
		its_w(0, GITS_BASER(0), 8, DT(0) | ps << 8);
		assert_int_equal(its_r(0, GITS_BASER(0), 8),
				 BASER_RO(1) | DT(0) | (ps == 3 ? 2 : ps) << 8);
	}
	/* 32-bit halves. */
	its_w(0, GITS_CBASER, 4, 0x40200c03);
	its_w(0, GITS_CBASER + 4, 4, 0x80000000);
	assert_int_equal(its_r(0, GITS_CBASER, 8), 0x8000000040200c03ULL);
	assert_int_equal(its_r(0, GITS_CBASER, 4), 0x40200c03);
	assert_int_equal(its_r(0, GITS_CBASER + 4, 4), 0x80000000);
	its_w(0, GITS_BASER(0) + 4, 4, 0x80000000);
	its_w(0, GITS_BASER(0), 4, 0x40020101);
	assert_int_equal(its_r(0, GITS_BASER(0), 8), 0x8107000040020101ULL);
	assert_int_equal(its_r(0, GITS_BASER(0) + 4, 4), 0x81070000);
	/* CWRITER: Offset [19:5] inside the queue; Retry reads 0. */
	its_w(0, GITS_CBASER, 8, B_VALID | CMDQ(0)); /* one page */
	its_w(0, GITS_CWRITER, 8, 0x20 | RETRY);
	assert_int_equal(its_r(0, GITS_CWRITER, 8), 0x20);
	its_w(0, GITS_CWRITER, 8, 0xfe0 | 0x1e); /* [4:1] RES0 */
	assert_int_equal(its_r(0, GITS_CWRITER, 8), 0xfe0);
	its_w(0, GITS_CWRITER, 4, 0x40);
	assert_int_equal(its_r(0, GITS_CWRITER, 4), 0x40);
	assert_int_equal(its_r(0, GITS_CWRITER + 4, 4), 0);
	assert_int_equal(its_r(0, GITS_CWRITER, 8), 0x40);
	/* CREADR is read-only. */
	struct vgic_stats s0 = stats();
	its_w(0, GITS_CREADR, 8, 0x40);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	assert_int_equal(its_r(0, GITS_CREADR + 4, 4), 0);
	assert_int_equal(stats().mmio_ro_write, s0.mmio_ro_write + 1);
}

/* GITS_CTLR.Quiescent: disabled and no command left to process. */
static void t_quiescent(void **state)
{
	(void)state;
	setup(1);
	assert_int_equal(its_r(0, GITS_CTLR, 4), 1); /* enabled */
	its_enable(0, false);
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
	q_put(0, c_sync(0));
	q_kick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	/* A queued command waits for the ITS to be enabled: nothing is in
	 * progress, so a disabled ITS stays quiescent. */
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
	its_enable(0, true);
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
	its_enable(0, false);
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
}

static void t_enabled_locks_bases(void **state)
{
	(void)state;
	setup(1);
	uint64_t b0 = its_r(0, GITS_BASER(0), 8);
	uint64_t b1 = its_r(0, GITS_BASER(1), 8);
	uint64_t cb = its_r(0, GITS_CBASER, 8);
	assert_int_equal(its_r(0, GITS_CTLR, 4), 1); /* Quiescent 0 */
	its_w(0, GITS_BASER(0), 8, 0);
	its_w(0, GITS_BASER(0) + 4, 4, 0);
	its_w(0, GITS_BASER(1), 8, B_VALID | CT(1));
	its_w(0, GITS_CBASER, 8, 0);
	its_w(0, GITS_CBASER + 4, 4, 0);
	assert_int_equal(its_r(0, GITS_BASER(0), 8), b0);
	assert_int_equal(its_r(0, GITS_BASER(1), 8), b1);
	assert_int_equal(its_r(0, GITS_CBASER, 8), cb);
	/* The ITS works with the tables it had. */
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	assert_int_equal(rd64(CT(0)), cte(0));
	assert_int_equal(rd64(CT(1)), 0);
	msi_to(0, 1, 2, 0, LPI + 2);
	/* Disabled: quiescent, and the bases take writes again. */
	its_enable(0, false);
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
	its_w(0, GITS_BASER(0), 8, 0);
	assert_int_equal(its_r(0, GITS_BASER(0), 8), BASER_RO(1));
}

static void t_cbaser_resets_creadr(void **state)
{
	(void)state;
	setup(1);
	for (int k = 0; k < 3; k++)
		run(0, c_sync(0));
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0x60);
	its_enable(0, false);
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
	its_w(0, GITS_CBASER, 8, B_VALID | CMDQ(0) | (QPAGES - 1));
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	/* The low half alone is a CBASER write too. */
	its_queue(0, CMDQ(0), QPAGES);
	its_enable(0, true);
	run(0, c_sync(0));
	its_enable(0, false);
	its_w(0, GITS_CBASER, 4, (CMDQ(0) | (QPAGES - 1)) & 0xffffffff);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
}

static void t_reserved_and_id_registers(void **state)
{
	static const uint32_t ctl[] = {0x0010, 0x0040, 0x00a0, 0x0140,
				       0x0400, 0x8000, 0xffcc};
	static const uint32_t trans[] = {0x10000, 0x10048, 0x18000, 0x1fffc};
	(void)state;
	setup_vm(1);
	for (unsigned k = 0; k < sizeof(ctl) / sizeof(ctl[0]); k++) {
		struct vgic_stats s0 = stats();
		its_w(0, ctl[k], 4, ~0ULL);
		assert_int_equal(its_r(0, ctl[k], 4), 0);
		assert_int_equal(stats().mmio_reserved, s0.mmio_reserved + 2);
	}
	/* The translation frame beyond GITS_TRANSLATER is reserved too. */
	for (unsigned k = 0; k < sizeof(trans) / sizeof(trans[0]); k++) {
		struct vgic_stats s0 = stats();
		its_w(0, trans[k], 4, ~0ULL);
		assert_int_equal(its_r(0, trans[k], 4), 0);
		assert_int_equal(stats().mmio_reserved, s0.mmio_reserved + 2);
	}
	/* GITS_TRANSLATER is write-only. */
	struct vgic_stats s0 = stats();
	assert_int_equal(its_r(0, GITS_TRANSLATER, 4), 0);
	assert_int_equal(stats().mmio_wo_read, s0.mmio_wo_read + 1);
	assert_int_equal(its_r(0, GITS_PIDR2, 4) >> 4 & 0xf, 3);
	/* Nothing of it changed the registers. */
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
	assert_int_equal(its_r(0, GITS_CBASER, 8), 0);
}

/* -------------------------------------------------- tests: delivery */

static void t_msi_delivery(void **state)
{
	(void)state;
	setup(2);
	map_coll(0, 0, 0);
	map_coll(0, 1, 1);
	map_dev(0, 5, 4, ITT(0));
	map_ev(0, 5, 3, LPI + 7, 1);
	msi_to(0, 5, 3, 1, LPI + 7);
	/* Two MSIs before the guest looks: one pending LPI. */
	assert_int_equal(vgic_inject_msi(H.vm, 0, 5, 3), 0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 5, 3), 0);
	assert_false(lpi_pending(0, LPI + 7));
	expect_taken(0, 0);
	expect_taken(1, LPI + 7);
	assert_false(lpi_pending(1, LPI + 7));
}

/* A vCPU's write to GITS_TRANSLATER: an MSI of DeviceID 0. */
static void t_translater_write(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	map_dev(0, 0, 4, ITT(0));
	map_ev(0, 0, 9, LPI + 9, 0);
	map_dev(0, 1, 4, ITT(1));
	map_ev(0, 1, 9, LPI + 19, 0);
	struct vgic_stats s0 = stats();
	h_mmio_w(0, H_ITS_BASE(0) + GITS_TRANSLATER, 4, 9);
	assert_true(lpi_pending(0, LPI + 9));
	assert_false(lpi_pending(0, LPI + 19));
	expect_taken(0, LPI + 9);
	h_mmio_w(0, H_ITS_BASE(0) + GITS_TRANSLATER, 2, 9);
	expect_taken(0, LPI + 9);
	assert_int_equal(stats().msis, s0.msis + 2);
	/* All 32 bits are the EventID: 0x10009 is out of range. */
	h_mmio_w(0, H_ITS_BASE(0) + GITS_TRANSLATER, 4, 0x10009);
	expect_taken(0, 0);
	assert_int_equal(stats().msi_dropped, s0.msi_dropped + 1);
}

static void t_int_clear(void **state)
{
	(void)state;
	setup(2);
	ACC = 1;
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	run(0, c_int(1, 2));
	assert_true(lpi_pending(0, LPI + 2));
	expect_taken(1, 0);
	expect_taken(0, LPI + 2);
	/* INTs merge. */
	run(0, c_int(1, 2));
	run(0, c_int(1, 2));
	expect_taken(0, LPI + 2);
	run(0, c_int(1, 2));
	run(0, c_clear(1, 2));
	assert_false(lpi_pending(0, LPI + 2));
	expect_taken(0, 0);
	/* CLEAR of an LPI that is not pending: nothing to do, no error. */
	run(0, c_clear(1, 2));
	expect_taken(0, 0);
}

/* CLEAR, from vCPU 1, of an LPI in an LR of the running vCPU 0: once
 * the command has completed the guest there cannot take it. */
static void t_clear_in_lr(void **state)
{
	(void)state;
	setup(2);
	ACC = 1;
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	run(0, c_int(1, 2));
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 1);
	run(0, c_clear(1, 2));
	uint32_t log[4];
	assert_int_equal(drain(0, log, 4), 0);
	h_exit(0);
	expect_taken(0, 0);
}

/* The configuration of an LPI is reloaded by INV and INVALL only. */
static void t_inv_invall(void **state)
{
	(void)state;
	setup(1);
	set_prop(LPI + 4, 0xa0, false);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 4, LPI + 4, 0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 4), 0);
	expect_taken(0, 0); /* disabled */
	set_prop(LPI + 4, 0xa0, true);
	expect_taken(0, 0); /* not invalidated yet */
	run(0, c_inv(1, 4));
	expect_taken(0, LPI + 4);
	/* Disabled again, INVALL: the next MSI waits. */
	set_prop(LPI + 4, 0xa0, false);
	run(0, c_invall(0));
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 4), 0);
	expect_taken(0, 0);
	set_prop(LPI + 4, 0xa0, true);
	expect_taken(0, 0);
	run(0, c_invall(0));
	expect_taken(0, LPI + 4);
}

static void t_discard(void **state)
{
	(void)state;
	setup(2);
	ACC = 1;
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	map_ev(0, 1, 3, LPI + 3, 0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	assert_true(lpi_pending(0, LPI + 2));
	run(0, c_discard(1, 2));
	assert_false(lpi_pending(0, LPI + 2));
	assert_int_equal(rd64(ITT(0) + 2 * 8) & 1, 0); /* ITE invalid */
	expect_taken(0, 0);
	msi_none(0, 1, 2, VGIC_ENOENT);
	expect_ignored(0, c_int(1, 2)); /* no ITE */
	msi_to(0, 1, 3, 0, LPI + 3);	/* the other event stays */
	/* Mapped again. */
	map_ev(0, 1, 2, LPI + 4, 0);
	msi_to(0, 1, 2, 0, LPI + 4);
}

/* DISCARD, from vCPU 1, of an LPI in an LR of the running vCPU 0. */
static void t_discard_in_lr(void **state)
{
	(void)state;
	setup(2);
	ACC = 1;
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 3, LPI + 3, 0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 3), 0);
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 1);
	run(0, c_discard(1, 3));
	uint32_t log[4];
	assert_int_equal(drain(0, log, 4), 0);
	h_exit(0);
	expect_taken(0, 0);
	msi_none(0, 1, 3, VGIC_ENOENT);
}

/* Two vCPUs, collection 0 on rd 0 and 1 on rd 1, device 1 with event 2
 * -> LPI+2 in collection 0. */
static void two_rd_fixture(void)
{
	setup(2);
	map_coll(0, 0, 0);
	map_coll(0, 1, 1);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
}

static void t_movi(void **state)
{
	(void)state;
	two_rd_fixture();
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	run(0, c_movi(1, 2, 1));
	assert_false(lpi_pending(0, LPI + 2));
	assert_true(lpi_pending(1, LPI + 2));
	assert_int_equal(rd64(ITT(0) + 2 * 8), ite(LPI + 2, 1));
	expect_taken(0, 0);
	expect_taken(1, LPI + 2);
	msi_to(0, 1, 2, 1, LPI + 2);
	/* Pending after an entry and exit without acknowledgement. */
	run(0, c_movi(1, 2, 0));
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	h_enter(0, 0);
	h_exit(0);
	run(0, c_movi(1, 2, 1));
	expect_taken(0, 0);
	expect_taken(1, LPI + 2);
	/* Not pending: nothing moves. */
	run(0, c_movi(1, 2, 0));
	expect_taken(0, 0);
	expect_taken(1, 0);
	/* Between two collections of one redistributor: stays pending. */
	map_coll(0, 1, 0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	run(0, c_movi(1, 2, 1));
	expect_taken(1, 0);
	expect_taken(0, LPI + 2);
}

/* MOVI of an LPI in an LR of the running old vCPU (acknowledged by its
 * guest or not yet): delivered exactly once, on either vCPU. */
static void movi_in_lr(bool stop_ops, bool acked)
{
	H.no_stop_ops = !stop_ops;
	two_rd_fixture();
	ACC = 1;
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 1);
	uint32_t log[16], want = LPI + 2;
	unsigned n = 0;
	if (acked) {
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), want);
		log[n++] = want;
	}
	run(0, c_movi(1, 2, 1));
	if (acked)
		h_guest_complete(0, MODEL_GROUP1, want, false);
	n += drain(0, log + n, 4);
	h_exit(0);
	n += take(0, log + n, 4);
	n += take(1, log + n, 4);
	assert_once(log, n, &want, 1);
	/* The next one goes to the new vCPU. */
	msi_to(0, 1, 2, 1, LPI + 2);
	h_teardown(NULL);
}

static void t_movi_in_lr(void **state)
{
	(void)state;
	for (int stop = 0; stop < 2; stop++)
		for (int acked = 0; acked < 2; acked++)
			movi_in_lr(stop, acked);
}

/* The same while the new redistributor has the LPI pending in a slot of
 * its own: whether the guest takes the one in the LR first decides
 * between a delivery at each vCPU and a merge, which the holder's sync
 * settles (with vcpu_stop, before the MOVI completes). Either way the
 * new vCPU takes the LPI once, and the old one no more than its guest
 * took before the holder exited. */
static void movi_in_lr_busy(bool stop_ops, bool acked, bool drain_first)
{
	H.no_stop_ops = !stop_ops;
	two_rd_fixture();
	ACC = 1;
	uint32_t want = LPI + 2, log[16];
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 1);
	assert_int_equal(vgic_inject_lpi(H.vm, 1, want), 0);
	if (acked)
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), want);
	run(0, c_movi(1, 2, 1));
	assert_int_equal(rd64(ITT(0) + 2 * 8), ite(want, 1));
	if (acked)
		h_guest_complete(0, MODEL_GROUP1, want, false);
	/* With vcpu_stop the old vCPU was made to sync: nothing is left
	 * for its guest. Without, it is still there until the exit. */
	if (drain_first)
		assert_int_equal(drain(0, log, 4), stop_ops || acked ? 0 : 1);
	h_exit(0); /* what the guest did not take goes to vCPU 1 */
	expect_taken(0, 0);
	/* Merged, or taken at the old vCPU and this is the new one's. */
	expect_taken(1, want);
	h_teardown(NULL);
}

/* And while the new redistributor's own instance is taken (in an LR of
 * the new vCPU, awaiting its completion): nothing pending to merge with,
 * so what the old vCPU's guest did not take goes to the new vCPU at the
 * holder's sync (with vcpu_stop, before the MOVI completes). */
static void movi_in_lr_to_taken(bool stop_ops)
{
	H.no_stop_ops = !stop_ops;
	two_rd_fixture();
	ACC = 1;
	uint32_t want = LPI + 2, log[16];
	assert_int_equal(vgic_inject_lpi(H.vm, 1, want), 0);
	h_enter(1, 1);
	assert_int_equal(model_guest_ack(&H.m, 1, MODEL_GROUP1), want);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 1);
	run(0, c_movi(1, 2, 1));
	if (stop_ops)
		assert_int_equal(drain(0, log, 4), 0);
	h_exit(0); /* forwarded to vCPU 1 */
	h_guest_complete(1, MODEL_GROUP1, want, false);
	h_exit(1);
	expect_taken(0, 0);
	expect_taken(1, want);
	h_teardown(NULL);
}

/* Without vcpu_stop the old vCPU keeps the moved LPI in its LR until it
 * exits; meanwhile the LPI's state at the new redistributor goes on:
 * CLEAR there drops it, a second MOVI takes it along, and a guest that
 * takes it at the old vCPU first has it once. */
enum in_flight_then { THEN_CLEAR, THEN_MOVI_BACK, THEN_TAKEN };

static void movi_in_flight_then(enum in_flight_then what)
{
	H.no_stop_ops = true;
	two_rd_fixture();
	ACC = 1;
	uint32_t want = LPI + 2;
	assert_int_equal(vgic_inject_lpi(H.vm, 1, want), 0);
	h_enter(1, 1);
	assert_int_equal(model_guest_ack(&H.m, 1, MODEL_GROUP1), want);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), 0);
	h_enter(0, 0);
	run(0, c_movi(1, 2, 1)); /* in flight from vCPU 0 to vCPU 1 */
	if (what == THEN_CLEAR)
		run(0, c_clear(1, 2));
	if (what == THEN_MOVI_BACK)
		run(0, c_movi(1, 2, 0));
	if (what == THEN_TAKEN) {
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), want);
		h_guest_complete(0, MODEL_GROUP1, want, false);
	}
	h_exit(0);
	h_guest_complete(1, MODEL_GROUP1, want, false);
	h_exit(1);
	/* Moved back: pending once where it was. */
	expect_taken(0, what == THEN_MOVI_BACK ? want : 0);
	expect_taken(1, 0);
	h_teardown(NULL);
}

static void t_movi_in_flight_then(void **state)
{
	(void)state;
	movi_in_flight_then(THEN_CLEAR);
	movi_in_flight_then(THEN_MOVI_BACK);
	movi_in_flight_then(THEN_TAKEN);
}

static void t_movi_in_lr_busy(void **state)
{
	(void)state;
	for (int stop = 0; stop < 2; stop++)
		for (int acked = 0; acked < 2; acked++)
			for (int drain_first = 0; drain_first < 2;
			     drain_first++)
				movi_in_lr_busy(stop, acked, drain_first);
	movi_in_lr_to_taken(true);
	movi_in_lr_to_taken(false);
}

static void t_movall(void **state)
{
	(void)state;
	setup(2);
	map_coll(0, 0, 0);
	map_coll(0, 1, 1);
	map_dev(0, 1, 4, ITT(0));
	for (uint32_t e = 0; e < 3; e++)
		map_ev(0, 1, e, LPI + e, 0);
	map_ev(0, 1, 3, LPI + 3, 1);
	for (uint32_t e = 0; e < 4; e++)
		assert_int_equal(vgic_inject_msi(H.vm, 0, 1, e), 0);
	/* LPI+0 is pending at rd 1 already: the two merge. */
	assert_int_equal(vgic_inject_lpi(H.vm, 1, LPI), 0);
	uint8_t tables[64];
	memcpy(tables, &H.ram[ITT(0) - H_RAM_BASE], 32);
	memcpy(tables + 32, &H.ram[CT(0) - H_RAM_BASE], 32);
	run(0, c_movall(0, 1));
	for (uint32_t k = 0; k < 4; k++) {
		assert_false(lpi_pending(0, LPI + k));
		assert_true(lpi_pending(1, LPI + k));
	}
	/* Collections and ITEs unchanged. */
	assert_memory_equal(tables, &H.ram[ITT(0) - H_RAM_BASE], 32);
	assert_memory_equal(tables + 32, &H.ram[CT(0) - H_RAM_BASE], 32);
	uint32_t log[16], want[4] = {LPI, LPI + 1, LPI + 2, LPI + 3};
	expect_taken(0, 0);
	assert_once(log, take(1, log, 16), want, 4);
	msi_to(0, 1, 0, 0, LPI); /* collection 0 is still on rd 0 */
	/* From and to the same redistributor: nothing moves. */
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 3), 0);
	run(0, c_movall(1, 1));
	expect_taken(0, 0);
	expect_taken(1, LPI + 3);
}

static void movall_in_lr(bool stop_ops)
{
	H.no_stop_ops = !stop_ops;
	two_rd_fixture();
	ACC = 1;
	map_ev(0, 1, 0, LPI, 0);
	map_ev(0, 1, 1, LPI + 1, 0);
	uint32_t log[16], want[3] = {LPI, LPI + 1, LPI + 2};
	for (uint32_t e = 0; e < 3; e++)
		assert_int_equal(vgic_inject_msi(H.vm, 0, 1, e), 0);
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 3);
	run(0, c_movall(0, 1));
	unsigned n = drain(0, log, 4);
	h_exit(0);
	n += take(0, log + n, 4);
	n += take(1, log + n, 4);
	assert_once(log, n, want, 3);
	h_teardown(NULL);
}

static void t_movall_in_lr(void **state)
{
	(void)state;
	movall_in_lr(true);
	movall_in_lr(false);
}

static void t_sync(void **state)
{
	(void)state;
	setup(2);
	run(0, c_sync(0));
	run(0, c_sync(1));
	expect_ignored(0, c_sync(2));
	/* Commands complete in order: after INT; SYNC the LPI is there. */
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	q_put(0, c_int(1, 2));
	q_put(0, c_sync(0));
	q_kick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
	assert_true(lpi_pending(0, LPI + 2));
}

static void t_mapd_unmap_remap(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	assert_int_equal(rd64(DT(0) + 8), dte(4, ITT(0)));
	map_ev(0, 1, 2, LPI + 2, 0);
	map_ev(0, 1, 4, LPI + 6, 0);
	assert_int_equal(rd64(ITT(0) + 2 * 8), ite(LPI + 2, 0));
	msi_to(0, 1, 2, 0, LPI + 2);
	/* Unmapped: no translation, event commands fail. */
	run(0, c_mapd(1, 0, 0, false));
	assert_int_equal(rd64(DT(0) + 8), 0);
	msi_none(0, 1, 2, VGIC_ENOENT);
	expect_ignored(0, c_int(1, 2));
	/* Mapped to an empty ITT; the old one is left as it was. */
	map_dev(0, 1, 4, ITT(1));
	msi_none(0, 1, 2, VGIC_ENOENT);
	assert_int_equal(rd64(ITT(0) + 2 * 8), ite(LPI + 2, 0));
	map_ev(0, 1, 2, LPI + 5, 0);
	msi_to(0, 1, 2, 0, LPI + 5);
	/* Back to the old ITT: its ITEs count again. */
	map_dev(0, 1, 4, ITT(0));
	msi_to(0, 1, 2, 0, LPI + 2);
	msi_to(0, 1, 4, 0, LPI + 6);
	/* Fewer EventID bits: event 4 is out of range now. */
	map_dev(0, 1, 2, ITT(0));
	assert_int_equal(rd64(DT(0) + 8), dte(2, ITT(0)));
	msi_to(0, 1, 2, 0, LPI + 2);
	msi_none(0, 1, 4, VGIC_ENOENT);
}

/* Collections: MAPTI before MAPC, remapped collections, unmapping. */
static void t_mapc(void **state)
{
	(void)state;
	setup(2);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 1); /* collection 1 is not mapped yet */
	msi_none(0, 1, 2, VGIC_ENOENT);
	map_coll(0, 1, 0);
	assert_int_equal(rd64(CT(0) + 8), cte(0));
	msi_to(0, 1, 2, 0, LPI + 2);
	msi_to(0, 1, 2, 0, LPI + 2);
	map_coll(0, 1, 1);
	assert_int_equal(rd64(CT(0) + 8), cte(1));
	msi_to(0, 1, 2, 1, LPI + 2);
	run(0, c_mapc(1, 0, false));
	assert_int_equal(rd64(CT(0) + 8), 0);
	msi_none(0, 1, 2, VGIC_ENOENT);
}

/* --------------------------------------------------- tests: tables */

static void t_flat_table_sizes(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	/* 64 KiB pages, one page: 8192 devices. */
	set_baser(0, 0, B_VALID | B_PAGE_64K | DT(0));
	map_dev(0, 8191, 2, ITT(0));
	assert_int_equal(rd64(DT(0) + 8191 * 8), dte(2, ITT(0)));
	expect_ignored(0, c_mapd(8192, 1, ITT(0), true));
	/* 16 KiB pages, one page: 2048 devices. */
	set_baser(0, 0, B_VALID | B_PAGE_16K | DT(0));
	map_dev(0, 2047, 2, ITT(0));
	expect_ignored(0, c_mapd(2048, 1, ITT(0), true));
	/* 4 KiB pages, two pages: 1024 devices. */
	set_baser(0, 0, B_VALID | DT(0) | 1);
	map_dev(0, 1023, 2, ITT(0));
	assert_int_equal(rd64(DT(0) + 1023 * 8), dte(2, ITT(0)));
	expect_ignored(0, c_mapd(1024, 1, ITT(0), true));
	/* No table: no device. */
	set_baser(0, 0, DT(0));
	expect_ignored(0, c_mapd(1, 1, ITT(0), true));
	/* The device mapped through the 64 KiB table still translates. */
	set_baser(0, 0, B_VALID | B_PAGE_64K | DT(0));
	map_ev(0, 8191, 1, LPI + 1, 0);
	msi_to(0, 8191, 1, 0, LPI + 1);
}

static void t_two_level_device_table(void **state)
{
	(void)state;
	H.its_device_bits = 20;
	setup(1);
	wr64(L1_DT, L1_VALID | L2(0));	    /* devices 0..511 */
	wr64(L1_DT + 16, L1_VALID | L2(1)); /* 1024..1535 */
	/* Just past the 512 entries BASER0 declares: never used. */
	wr64(L1_DT + 512 * 8, L1_VALID | L2(4));
	set_baser(0, 0, B_VALID | B_INDIRECT | L1_DT); /* 512 L1 entries */
	map_coll(0, 0, 0);
	map_dev(0, 5, 4, ITT(0));
	assert_int_equal(rd64(L2(0) + 5 * 8), dte(4, ITT(0)));
	map_dev(0, 1027, 4, ITT(1));
	assert_int_equal(rd64(L2(1) + 3 * 8), dte(4, ITT(1)));
	/* L1 entry 1 invalid: DeviceIDs 512..1023 are not covered. */
	expect_ignored(0, c_mapd(600, 3, ITT(2), true));
	/* Beyond the L1 table, beyond Devbits. */
	expect_ignored(0, c_mapd(512 * 512, 3, ITT(2), true));
	expect_ignored(0, c_mapd(1u << 20, 3, ITT(2), true));
	map_ev(0, 5, 0, LPI, 0);
	map_ev(0, 1027, 0, LPI + 1, 0);
	msi_to(0, 5, 0, 0, LPI);
	msi_to(0, 1027, 0, 0, LPI + 1);
	msi_none(0, 600, 0, VGIC_ENOENT);
	/* The guest adds a level-2 page, as Linux does on demand. */
	wr64(L1_DT + 8, L1_VALID | L2(2));
	map_dev(0, 600, 4, ITT(2));
	assert_int_equal(rd64(L2(2) + (600 - 512) * 8), dte(4, ITT(2)));
	map_ev(0, 600, 0, LPI + 2, 0);
	msi_to(0, 600, 0, 0, LPI + 2);
}

static void t_two_level_collection_table(void **state)
{
	(void)state;
	setup(2);
	set_baser(0, 1, B_VALID | B_INDIRECT | L1_CT);
	expect_ignored(0, c_mapc(1, 1, true)); /* L1 entry 0 invalid */
	wr64(L1_CT, L1_VALID | L2(3));
	map_coll(0, 1, 1);
	assert_int_equal(rd64(L2(3) + 8), cte(1));
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 1);
	msi_to(0, 1, 2, 1, LPI + 2);
	/* No collection table at all: MAPC has nowhere to go. */
	set_baser(0, 1, CT(0));
	expect_ignored(0, c_mapc(0, 0, true));
}

/* ---------------------------------------------------- tests: errors */

/*
 * The error tests' fixture: 2 vCPUs (ICIDs 0..1), collection 0 on rd 0,
 * collection 1 unmapped; device 1 (16 events): event 2 -> LPI+2 in
 * collection 0, event 3 -> LPI+3 in collection 1; device 2 (2^14
 * events, for MAPI); device 3 unmapped; LPI+2 pending at rd 0.
 */
static void err_fixture(void)
{
	setup(2);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_dev(0, 2, 14, BIG_ITT);
	map_ev(0, 1, 2, LPI + 2, 0);
	map_ev(0, 1, 3, LPI + 3, 1);
	run(0, c_int(1, 2));
}

/* Nothing of the fixture changed. */
static void err_fixture_intact(void)
{
	expect_taken(1, 0);
	expect_taken(0, LPI + 2);
	msi_to(0, 1, 2, 0, LPI + 2);
}

/* Every event command naming (dev, ev) is ignored. */
static void event_cmds_ignored(uint32_t dev, uint32_t ev)
{
	expect_ignored(0, c_movi(dev, ev, 0));
	expect_ignored(0, c_int(dev, ev));
	expect_ignored(0, c_clear(dev, ev));
	expect_ignored(0, c_inv(dev, ev));
	expect_ignored(0, c_discard(dev, ev));
}

/* 0x01: DeviceID out of range. */
static void t_err_devid(void **state)
{
	static const uint32_t bad[] = {512, 1u << 16, 0xffffffffu};
	(void)state;
	err_fixture();
	for (unsigned k = 0; k < 3; k++) {
		expect_ignored(0, c_mapd(bad[k], 3, ITT(5), true));
		expect_ignored(0, c_mapd(bad[k], 0, 0, false));
		expect_ignored(0, c_mapti(bad[k], 2, LPI + 9, 0));
		expect_ignored(0, c_mapi(bad[k], MAPI_EV, 0));
		event_cmds_ignored(bad[k], 2);
	}
	expect_ignored(0, c_movall(2, 0));
	expect_ignored(0, c_movall(0, 2));
	expect_ignored(0, c_movall(0, 1ULL << 32));
	err_fixture_intact();
}

/* 0x02: MAPD Size, MAPC and SYNC RDbase. */
static void t_err_size_rdbase(void **state)
{
	(void)state;
	err_fixture();
	expect_ignored(0, c_mapd(1, 16, ITT(5), true)); /* 17 > 16 bits */
	expect_ignored(0, c_mapd(3, 31, ITT(5), true));
	expect_ignored(0, c_mapc(1, 2, true));
	expect_ignored(0, c_mapc(1, 1ULL << 16, true));
	expect_ignored(0, c_mapc(0, 1ULL << 32, true));
	expect_ignored(0, c_sync(2));
	expect_ignored(0, c_sync(1ULL << 16));
	err_fixture_intact();
	msi_none(0, 1, 3, VGIC_ENOENT); /* collection 1 still unmapped */
}

/* 0x03: ICID out of range. */
static void t_err_icid(void **state)
{
	(void)state;
	err_fixture();
	expect_ignored(0, c_mapc(2, 0, true));
	expect_ignored(0, c_mapc(0xffff, 0, true));
	expect_ignored(0, c_mapti(1, 4, LPI + 4, 2));
	expect_ignored(0, c_mapi(2, MAPI_EV, 2));
	expect_ignored(0, c_movi(1, 2, 2));
	expect_ignored(0, c_invall(2));
	err_fixture_intact();
}

/* 0x04: device not mapped. */
static void t_err_device_unmapped(void **state)
{
	(void)state;
	err_fixture();
	expect_ignored(0, c_mapti(3, 2, LPI + 9, 0));
	expect_ignored(0, c_mapi(3, MAPI_EV, 0));
	event_cmds_ignored(3, 2);
	err_fixture_intact();
}

/* 0x05: EventID out of the device's range. */
static void t_err_eventid(void **state)
{
	(void)state;
	err_fixture();
	expect_ignored(0, c_mapti(1, 16, LPI + 9, 0));
	expect_ignored(0, c_mapti(1, 0xffffffffu, LPI + 9, 0));
	expect_ignored(0, c_mapi(1, MAPI_EV, 0));
	event_cmds_ignored(1, 16);
	event_cmds_ignored(1, 0xffffffffu);
	err_fixture_intact();
}

/* 0x06: pINTID not an LPI of the VM. */
static void t_err_pintid(void **state)
{
	static const uint32_t bad[] = {0, 1023, LPI - 1, 1u << ID_BITS,
				       0xffffffffu};
	(void)state;
	err_fixture();
	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		expect_ignored(0, c_mapti(1, 4, bad[k], 0));
	expect_ignored(0, c_mapi(2, 100, 0));
	expect_ignored(0, c_mapi(2, LPI - 1, 0));
	/* The largest LPI is fine; so is MAPI of an event >= 8192. */
	map_ev(0, 1, 4, (1u << ID_BITS) - 1, 0);
	run(0, c_mapi(2, MAPI_EV, 0));
	assert_int_equal(rd64(BIG_ITT + MAPI_EV * 8), ite(MAPI_EV, 0));
	err_fixture_intact();
}

/* 0x07: no ITE for the event. */
static void t_err_no_ite(void **state)
{
	(void)state;
	err_fixture();
	event_cmds_ignored(1, 5);
	err_fixture_intact();
}

/* 0x09: collection not mapped. */
static void t_err_collection_unmapped(void **state)
{
	(void)state;
	err_fixture();
	expect_ignored(0, c_movi(1, 2, 1)); /* the new collection */
	expect_ignored(0, c_int(1, 3));	    /* the ITE's collection */
	expect_ignored(0, c_clear(1, 3));
	expect_ignored(0, c_inv(1, 3));
	expect_ignored(0, c_invall(1));
	err_fixture_intact();
}

/* Unknown opcodes, the GICv4 ones included (GITS_TYPER.Virtual == 0). */
static void t_err_unknown_opcode(void **state)
{
	static const uint8_t op[] = {0x00, 0x02, 0x06, 0x07, 0x10,
				     0x21, 0x22, 0x23, 0x25, 0x29,
				     0x2a, 0x2b, 0x2d, 0x2e, 0xff};
	(void)state;
	err_fixture();
	for (unsigned k = 0; k < sizeof(op) / sizeof(op[0]); k++)
		expect_ignored(0, mk(op[k], 1, 2 | (uint64_t)(LPI + 9) << 32,
				     1ULL << 63 | 1 << 16, 0));
	err_fixture_intact();
}

/* ---------------------------------------------------- tests: stalls */

/* The command itself unreadable: stall until Retry after the host can
 * read it. A CWRITER write without Retry does not restart. */
static void t_stall_command_unreadable(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	uint8_t *ram = H.ram;
	uint32_t at = Q[0].wr;
	struct vgic_stats s0 = stats();
	q_put(0, c_int(1, 2));
	H.ram = NULL; /* the host refuses every guest address */
	q_kick(0);
	H.ram = ram;
	assert_int_equal(its_r(0, GITS_CREADR, 8), at | STALLED);
	assert_int_equal(stats().its_stalls, s0.its_stalls + 1);
	assert_true(H.ram_refused > 0);
	assert_int_equal(its_r(0, GITS_CTLR, 4), 1);
	assert_false(lpi_pending(0, LPI + 2));
	q_put(0, c_sync(0));
	q_kick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), at | STALLED);
	retry(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
	assert_int_equal(stats().its_stalls, s0.its_stalls + 1);
	assert_int_equal(stats().its_cmds, s0.its_cmds + 2);
	expect_taken(0, LPI + 2);
	/* Stalled and disabled: quiescent. A CBASER write clears Stalled. */
	at = Q[0].wr;
	q_put(0, c_int(1, 2));
	H.ram = NULL;
	q_kick(0);
	H.ram = ram;
	assert_int_equal(its_r(0, GITS_CREADR, 8), at | STALLED);
	its_enable(0, false);
	assert_int_equal(its_r(0, GITS_CTLR, 4), CTLR_QUIESCENT);
	its_w(0, GITS_CBASER, 8, B_VALID | CMDQ(0) | (QPAGES - 1));
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	its_queue(0, CMDQ(0), QPAGES);
	its_enable(0, true);
	run(0, c_int(1, 2));
	expect_taken(0, LPI + 2);
}

static void t_stall_queue_outside_ram(void **state)
{
	(void)state;
	setup(1);
	its_enable(0, false);
	its_w(0, GITS_CBASER, 8, B_VALID | OUTSIDE);
	its_w(0, GITS_CWRITER, 8, 0x20);
	struct vgic_stats s0 = stats();
	its_enable(0, true); /* processing starts, and stalls */
	assert_int_equal(its_r(0, GITS_CREADR, 8), STALLED);
	assert_int_equal(stats().its_stalls, s0.its_stalls + 1);
	assert_true(H.ram_refused > 0);
	its_w(0, GITS_CWRITER, 8, 0x20 | RETRY);
	assert_int_equal(its_r(0, GITS_CREADR, 8), STALLED);
	assert_int_equal(stats().its_stalls, s0.its_stalls + 2);
	unstick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	run(0, c_sync(0));
}

/* Table entries the host refuses: every command that needs one stalls;
 * the guest repairs the stalled command and retries. */
static void t_stall_table_entries(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	/* ITT outside RAM: MAPD does not touch it, MAPTI and INT stall. */
	run(0, c_mapd(1, 3, OUTSIDE, true));
	uint32_t at = expect_stall(0, c_mapti(1, 2, LPI + 2, 0));
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), VGIC_ENOENT);
	q_put_at(0, at, c_mapd(1, 3, ITT(0), true));
	retry(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
	map_ev(0, 1, 2, LPI + 2, 0);
	msi_to(0, 1, 2, 0, LPI + 2);
	run(0, c_mapd(1, 3, OUTSIDE, true));
	at = expect_stall(0, c_int(1, 2));
	q_put_at(0, at, c_mapd(1, 3, ITT(0), true));
	retry(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
	msi_to(0, 1, 2, 0, LPI + 2);
	/* Device table outside RAM: DTE reads and writes. */
	set_baser(0, 0, B_VALID | OUTSIDE);
	expect_stall(0, c_mapd(1, 3, ITT(0), true));
	unstick(0);
	expect_stall(0, c_mapti(1, 2, LPI + 3, 0));
	unstick(0);
	expect_stall(0, c_int(1, 2));
	unstick(0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 2), VGIC_ENOENT);
	/* Collection table outside RAM. */
	set_baser(0, 0, B_VALID | DT(0));
	set_baser(0, 1, B_VALID | OUTSIDE);
	expect_stall(0, c_mapc(1, 0, true));
	unstick(0);
	set_baser(0, 1, B_VALID | CT(0));
	/* Level-1 table outside RAM, then a level-2 page outside RAM. */
	set_baser(0, 0, B_VALID | B_INDIRECT | OUTSIDE);
	expect_stall(0, c_mapd(1, 3, ITT(0), true));
	unstick(0);
	wr64(L1_DT, L1_VALID | OUTSIDE);
	set_baser(0, 0, B_VALID | B_INDIRECT | L1_DT);
	expect_stall(0, c_mapd(1, 3, ITT(0), true));
	unstick(0);
	/* 64 KiB pages: bits [15:12] are PA[51:48], far outside RAM. */
	uint64_t old = rd64(DT(0) + 8);
	set_baser(0, 0, B_VALID | B_PAGE_64K | DT(0) | 1ULL << 12);
	expect_stall(0, c_mapd(1, 2, ITT(3), true));
	unstick(0);
	assert_int_equal(rd64(DT(0) + 8), old);
	assert_int_equal(rd64(DT(0) + 0x1000 + 8), 0);
	/* Everything back in RAM: the ITS works as before. */
	set_baser(0, 0, B_VALID | DT(0));
	msi_to(0, 1, 2, 0, LPI + 2);
}

/* Addresses at the top of what the registers and commands hold. */
static void t_hostile_addresses(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	set_baser(0, 0, B_VALID | 0x0000fffffffff000ULL | 0xff);
	expect_stall(0, c_mapd(65535, 4, ITT(0), true));
	unstick(0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 65535, 0), VGIC_ENOENT);
	/* 64 KiB pages: PA[51:48] = 0xf from bits [15:12]. */
	set_baser(0, 0, B_VALID | B_PAGE_64K | 0x0000fffffffff000ULL | 0xff);
	expect_stall(0, c_mapd(65535, 4, ITT(0), true));
	unstick(0);
	set_baser(0, 0, B_VALID | B_INDIRECT | 0x0000fffffffff000ULL | 0xff);
	expect_stall(0, c_mapd(65535, 4, ITT(0), true));
	unstick(0);
	wr64(L1_DT, L1_VALID | 0x000ffffffffff000ULL);
	set_baser(0, 0, B_VALID | B_INDIRECT | L1_DT);
	expect_stall(0, c_mapd(5, 4, ITT(0), true));
	unstick(0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 5, 0), VGIC_ENOENT);
	/* An ITT at the top of the physical address space. */
	set_baser(0, 0, B_VALID | DT(0));
	run(0, c_mapd(1, 15, 0x000fffffffffff00ULL, true));
	expect_stall(0, c_mapti(1, 0xffff, LPI, 0));
	unstick(0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 1, 0xffff), VGIC_ENOENT);
	/* The collection table and the queue there. */
	set_baser(0, 1, B_VALID | 0x0000fffffffff000ULL | 0xff);
	expect_stall(0, c_mapc(1, 0, true));
	unstick(0);
	its_enable(0, false);
	its_w(0, GITS_CBASER, 8, B_VALID | 0x000ffffffffff000ULL | 0xff);
	its_w(0, GITS_CWRITER, 8, 0xfffe0);
	its_enable(0, true);
	assert_int_equal(its_r(0, GITS_CREADR, 8), STALLED);
	/* Every refusal was counted; the ITS still works. */
	assert_true(H.ram_refused > 0);
	assert_int_equal(stats().guest_mem_errors, H.ram_refused);
	its_enable(0, false);
	its_w(0, GITS_BASER(1), 8, B_VALID | CT(0));
	its_queue(0, CMDQ(0), QPAGES);
	its_enable(0, true);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	msi_to(0, 1, 2, 0, LPI + 2);
}

/* ----------------------------------------------------- tests: queue */

static void t_cwriter_beyond_queue(void **state)
{
	(void)state;
	setup(1);
	its_enable(0, false);
	its_queue(0, CMDQ(0), 1);
	its_enable(0, true);
	struct vgic_stats s0 = stats();
	its_w(0, GITS_CWRITER, 8, 0x1000);
	assert_int_equal(its_r(0, GITS_CWRITER, 8), 0);
	its_w(0, GITS_CWRITER, 8, 0xfffe0);
	assert_int_equal(its_r(0, GITS_CWRITER, 8), 0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	struct vgic_stats s1 = stats();
	assert_int_equal(s1.its_cmd_errors, s0.its_cmd_errors + 2);
	assert_int_equal(s1.its_cmds, s0.its_cmds);
	run(0, c_sync(0));
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0x20);
}

static void t_queue_wrap(void **state)
{
	(void)state;
	setup(1);
	its_enable(0, false);
	its_queue(0, CMDQ(0), 1); /* 128 commands */
	its_enable(0, true);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	for (int k = 0; k < 300; k++)
		run(0, c_sync(0));
	while (Q[0].wr != 120 * 32)
		run(0, c_sync(0));
	/* One batch across the end of the queue. */
	struct vgic_stats s0 = stats();
	for (uint32_t e = 0; e < 16; e++)
		q_put(0, c_mapti(1, e, LPI + 32 + e, 0));
	q_kick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 8 * 32);
	assert_int_equal(stats().its_cmds, s0.its_cmds + 16);
	assert_int_equal(stats().its_cmd_errors, s0.its_cmd_errors);
	uint32_t log[32], want[16];
	for (uint32_t e = 0; e < 16; e++) {
		assert_int_equal(vgic_inject_msi(H.vm, 0, 1, e), 0);
		want[e] = LPI + 32 + e;
	}
	assert_once(log, take(0, log, 32), want, 16);
}

/* Commands wait for GITS_CTLR.Enabled and CBASER.Valid. */
static void t_commands_wait_for_enable(void **state)
{
	(void)state;
	setup(1);
	its_enable(0, false);
	struct vgic_stats s0 = stats();
	q_put(0, c_mapc(0, 0, true));
	q_put(0, c_mapd(1, 3, ITT(0), true));
	q_put(0, c_mapti(1, 2, LPI + 2, 0));
	q_kick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	assert_int_equal(its_r(0, GITS_CWRITER, 8), Q[0].wr);
	assert_int_equal(stats().its_cmds, s0.its_cmds);
	assert_int_equal(rd64(DT(0) + 8), 0);
	its_enable(0, true);
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
	assert_int_equal(stats().its_cmds, s0.its_cmds + 3);
	assert_int_equal(its_r(0, GITS_CTLR, 4), 1);
	msi_to(0, 1, 2, 0, LPI + 2);
	/* Enabled, but no valid queue. */
	its_enable(0, false);
	its_w(0, GITS_CBASER, 8, CMDQ(0) | (QPAGES - 1));
	its_w(0, GITS_CWRITER, 8, 0);
	Q[0].wr = 0;
	its_enable(0, true);
	q_put(0, c_int(1, 2));
	q_kick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
	assert_false(lpi_pending(0, LPI + 2));
	/* Valid again (CWRITER written again: a CBASER write may reset
	 * it, the contract leaves that open). */
	its_enable(0, false);
	its_w(0, GITS_CBASER, 8, B_VALID | CMDQ(0) | (QPAGES - 1));
	its_enable(0, true);
	q_kick(0);
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0x20);
	expect_taken(0, LPI + 2);
}

static void t_msi_disabled_its(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	map_dev(0, 0, 4, ITT(0));
	map_ev(0, 0, 2, LPI + 2, 0);
	its_enable(0, false);
	msi_none(0, 0, 2, VGIC_ENOENT);
	struct vgic_stats s0 = stats();
	h_mmio_w(0, H_ITS_BASE(0) + GITS_TRANSLATER, 4, 2);
	assert_int_equal(stats().msi_dropped, s0.msi_dropped + 1);
	expect_taken(0, 0);
	its_enable(0, true);
	msi_to(0, 0, 2, 0, LPI + 2);
}

/* A full 1 MiB queue of ordinary commands, written at once. */
static void t_full_queue(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	map_dev(0, 1, 13, BIG_ITT);
	set_prop(LPI + 8191, 0xa0, true);
	its_enable(0, false);
	its_queue(0, CMDQ(0), 256);
	its_enable(0, true);
	const uint32_t n = 256 * 4096 / 32 - 1;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t e = k / 2 % 8192;
		q_put(0, k & 1 ? c_sync(0) : c_mapti(1, e, LPI + e, 0));
	}
	struct vgic_stats s0 = stats();
	q_kick(0);
	struct vgic_stats s1 = stats();
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0xfffe0);
	assert_int_equal(s1.its_cmds, s0.its_cmds + n);
	assert_int_equal(s1.its_cmd_errors, s0.its_cmd_errors);
	assert_int_equal(s1.its_stalls, s0.its_stalls);
	for (uint32_t e = 0; e < 8192; e++)
		assert_int_equal(rd64(BIG_ITT + e * 8), ite(LPI + e, 0));
	msi_to(0, 1, 0, 0, LPI);
	msi_to(0, 1, 100, 0, LPI + 100);
	msi_to(0, 1, 8191, 0, LPI + 8191);
	run(0, c_sync(0)); /* wraps to 0 */
	assert_int_equal(its_r(0, GITS_CREADR, 8), 0);
}

/* Commands whose cost grows with the LPI store (INVALL): what one
 * access leaves undone is done on later GITS accesses, in order. */
static void t_work_budget(void **state)
{
	(void)state;
	H.nr_lpi_slots = 1u << 16;
	setup(1);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	struct vgic_stats s0 = stats();
	for (int k = 0; k < 500; k++)
		q_put(0, c_invall(0));
	q_put(0, c_int(1, 2));
	q_kick(0);
	unsigned reads = 0;
	while (its_r(0, GITS_CREADR, 8) != Q[0].wr && reads < 100000)
		reads++;
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
	assert_int_equal(stats().its_cmds, s0.its_cmds + 501);
	assert_int_equal(stats().its_cmd_errors, s0.its_cmd_errors);
	expect_taken(0, LPI + 2);
}

/* The contract: work left is done "on any later GITS access", not only
 * on accesses to the queue registers. */
static void t_work_budget_any_access(void **state)
{
	(void)state;
	H.nr_lpi_slots = 1u << 16;
	setup(1);
	map_coll(0, 0, 0);
	for (int k = 0; k < 500; k++)
		q_put(0, c_invall(0));
	q_kick(0);
	for (int k = 0; k < 1000; k++) {
		its_r(0, GITS_TYPER, 8);
		its_r(0, GITS_CTLR, 4);
	}
	assert_int_equal(its_r(0, GITS_CREADR, 8), Q[0].wr);
}

/* ----------------------------------------------------- tests: cache */

/* Hits and misses, and a correct translation after every command that
 * invalidates. */
static void t_cache(void **state)
{
	(void)state;
	struct vgic_stats s;
	two_rd_fixture();
	map_ev(0, 1, 0, LPI + 10, 0);
	s = stats();
	msi_to(0, 1, 0, 0, LPI + 10);
	cache_delta(&s, 0, 1);
	s = stats();
	msi_to(0, 1, 0, 0, LPI + 10);
	cache_delta(&s, 1, 0);
	/* MAPTI over a cached event. */
	map_ev(0, 1, 0, LPI + 11, 0);
	s = stats();
	msi_to(0, 1, 0, 0, LPI + 11);
	cache_delta(&s, 0, 1);
	msi_to(0, 1, 0, 0, LPI + 11);
	/* MOVI. */
	run(0, c_movi(1, 0, 1));
	s = stats();
	msi_to(0, 1, 0, 1, LPI + 11);
	cache_delta(&s, 0, 1);
	/* MAPI over a cached event. */
	map_dev(0, 2, 14, BIG_ITT);
	map_ev(0, 2, MAPI_EV, LPI + 12, 0);
	msi_to(0, 2, MAPI_EV, 0, LPI + 12);
	msi_to(0, 2, MAPI_EV, 0, LPI + 12);
	run(0, c_mapi(2, MAPI_EV, 1));
	s = stats();
	msi_to(0, 2, MAPI_EV, 1, MAPI_EV);
	cache_delta(&s, 0, 1);
	/* MAPD to an empty ITT, then back. */
	msi_to(0, 1, 0, 1, LPI + 11);
	run(0, c_mapd(1, 3, ITT(1), true));
	msi_none(0, 1, 0, VGIC_ENOENT);
	run(0, c_mapd(1, 3, ITT(0), true));
	s = stats();
	msi_to(0, 1, 0, 1, LPI + 11);
	cache_delta(&s, 0, 1);
	/* MAPD V=0. */
	msi_to(0, 1, 0, 1, LPI + 11);
	run(0, c_mapd(1, 0, 0, false));
	msi_none(0, 1, 0, VGIC_ENOENT);
	map_dev(0, 1, 4, ITT(0));
	/* DISCARD. */
	msi_to(0, 1, 0, 1, LPI + 11);
	run(0, c_discard(1, 0));
	msi_none(0, 1, 0, VGIC_ENOENT);
	/* GITS_CTLR.Enabled 1 -> 0. */
	map_ev(0, 1, 0, LPI + 13, 0);
	msi_to(0, 1, 0, 0, LPI + 13);
	msi_to(0, 1, 0, 0, LPI + 13);
	its_enable(0, false);
	its_enable(0, true);
	s = stats();
	msi_to(0, 1, 0, 0, LPI + 13);
	cache_delta(&s, 0, 1);
	/* GITS_BASER0 to an empty device table, then back. */
	msi_to(0, 1, 0, 0, LPI + 13);
	set_baser(0, 0, B_VALID | DT(1));
	msi_none(0, 1, 0, VGIC_ENOENT);
	set_baser(0, 0, B_VALID | DT(0));
	msi_to(0, 1, 0, 0, LPI + 13);
}

/* One entry, three translations taking turns in it. */
static void t_cache_size_one(void **state)
{
	(void)state;
	H.its_cache_size = 1;
	H.nr_its = 2;
	setup(1);
	for (unsigned i = 0; i < 2; i++) {
		map_coll(i, 0, 0);
		map_dev(i, 1, 2, ITT(i));
	}
	map_ev(0, 1, 0, LPI + 20, 0);
	map_ev(0, 1, 1, LPI + 21, 0);
	map_ev(1, 1, 0, LPI + 22, 0);
	struct vgic_stats s = stats();
	for (int r = 0; r < 4; r++) {
		msi_to(0, 1, 0, 0, LPI + 20);
		msi_to(0, 1, 1, 0, LPI + 21);
		msi_to(1, 1, 0, 0, LPI + 22);
	}
	cache_delta(&s, 0, 12);
}

/* ---------------------------------------------- tests: several ITSs */

static void t_two_its(void **state)
{
	(void)state;
	H.nr_its = 2;
	setup(2);
	map_coll(0, 0, 0);
	map_coll(1, 0, 1); /* the same ICID, another redistributor */
	map_dev(0, 1, 4, ITT(0));
	map_dev(1, 1, 4, ITT(1));
	map_ev(0, 1, 0, LPI + 30, 0);
	map_ev(1, 1, 0, LPI + 31, 0);
	assert_int_equal(rd64(DT(0) + 8), dte(4, ITT(0)));
	assert_int_equal(rd64(DT(1) + 8), dte(4, ITT(1)));
	assert_int_equal(rd64(CT(1)), cte(1));
	msi_to(0, 1, 0, 0, LPI + 30);
	msi_to(1, 1, 0, 1, LPI + 31);
	/* GITS_TRANSLATER of ITS 1. */
	map_dev(1, 0, 4, ITT(2));
	map_ev(1, 0, 5, LPI + 32, 0);
	h_mmio_w(0, H_ITS_BASE(1) + GITS_TRANSLATER, 4, 5);
	assert_true(lpi_pending(1, LPI + 32));
	expect_taken(1, LPI + 32);
	/* Commands on one leave the other alone. */
	run(0, c_mapd(1, 0, 0, false));
	msi_none(0, 1, 0, VGIC_ENOENT);
	msi_to(1, 1, 0, 1, LPI + 31);
	its_enable(1, false);
	msi_none(1, 1, 0, VGIC_ENOENT);
	map_dev(0, 1, 4, ITT(0));
	msi_to(0, 1, 0, 0, LPI + 30);
	assert_int_equal(its_r(1, GITS_CTLR, 4), CTLR_QUIESCENT);
	assert_int_equal(its_r(0, GITS_CTLR, 4), 1);
}

/* ---------------------------------------------- tests: MSI outcomes */

static void t_msi_eperm(void **state)
{
	(void)state;
	setup_vm(2);
	enable_lpis(0);
	h_guest_init(0, 0, false);
	h_guest_init(1, 1, false);
	its_init(0);
	map_coll(0, 0, 0);
	map_coll(0, 1, 1);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 0, LPI + 1, 1);
	map_ev(0, 1, 1, 20000, 1);
	msi_none(0, 1, 0, VGIC_EPERM); /* rd 1 has LPIs disabled */
	/* rd 1 with 14 ID bits: 20000 is beyond them. */
	h_mmio_w(1, h_gicr(1, GICR_PROPBASER), 8, PROP_TABLE | 13);
	h_mmio_w(1, h_gicr(1, GICR_PENDBASER), 8, PEND_TABLE(1) | PTZ);
	h_mmio_w(1, h_gicr(1, GICR_CTLR), 4, 1);
	msi_to(0, 1, 0, 1, LPI + 1);
	msi_none(0, 1, 1, VGIC_EPERM);
}

static void t_msi_errors(void **state)
{
	(void)state;
	setup(1);
	map_coll(0, 0, 0);
	map_dev(0, 1, 4, ITT(0));
	map_ev(0, 1, 2, LPI + 2, 0);
	map_ev(0, 1, 3, LPI + 3, 1);
	assert_int_equal(vgic_inject_msi(H.vm, 1, 1, 2), VGIC_ERANGE);
	assert_int_equal(vgic_inject_msi(H.vm, VGIC_MAX_ITS, 1, 2),
			 VGIC_ERANGE);
	assert_int_equal(vgic_inject_msi(H.vm, 0xffffffffu, 1, 2), VGIC_ERANGE);
	assert_int_equal(vgic_inject_msi(NULL, 0, 1, 2), VGIC_EINVAL);
	msi_none(0, 1u << 16, 0, VGIC_ENOENT); /* beyond Devbits */
	msi_none(0, 512, 0, VGIC_ENOENT);      /* not in the table */
	msi_none(0, 3, 0, VGIC_ENOENT);	       /* device unmapped */
	msi_none(0, 1, 16, VGIC_ENOENT);       /* EventID out of range */
	msi_none(0, 1, 0xffffffffu, VGIC_ENOENT);
	msi_none(0, 1, 5, VGIC_ENOENT); /* no ITE */
	msi_none(0, 1, 3, VGIC_ENOENT); /* collection unmapped */
	msi_to(0, 1, 2, 0, LPI + 2);
	h_teardown(NULL);
	/* A VM with LPIs but no ITS. */
	H.lpi_id_bits = ID_BITS;
	H.nr_lpi_slots = 16;
	assert_int_equal(h_setup(1, 1, 4, 32), 0);
	assert_int_equal(vgic_inject_msi(H.vm, 0, 0, 0), VGIC_ERANGE);
	uint64_t val;
	assert_int_equal(vgic_mmio_read(H.vm, 0, H_ITS_BASE(0), 4, &val),
			 VGIC_ENOENT);
}

/* ---------------------------------------------------- tests: config */

static bool cfg_accepted(const struct vgic_config *c)
{
	size_t size = vgic_vm_size(c);
	if (!size)
		return false;
	struct vgic_host_ops ops = *model_host_ops();
	ops.version = VGIC_HOST_OPS_VERSION;
	ops.guest_read = h_op_guest_read;
	ops.guest_write = h_op_guest_write;
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	struct vgic_vm *vm = NULL;
	int err = vgic_vm_init(mem, size, c, &ops, NULL, &vm);
	free(mem);
	if (err)
		assert_int_equal(err, VGIC_ECONFIG);
	return err == 0;
}

static void t_config_checks(void **state)
{
	(void)state;
	struct vgic_config c;
	uint64_t base[9];
	for (unsigned i = 0; i < 9; i++)
		base[i] = H_ITS_BASE(i);
	vgic_config_default(&c);
	assert_int_equal(c.nr_its, 0);
	assert_null(c.its_base);
	assert_int_equal(c.its_device_bits, 16);
	assert_int_equal(c.its_event_bits, 16);
	assert_int_equal(c.its_cache_size, 4096);
	c.lpi_id_bits = ID_BITS;
	c.nr_lpi_slots = 16;
	c.nr_its = 1;
	c.its_base = base;
	assert_true(cfg_accepted(&c));
	c.nr_its = VGIC_MAX_ITS;
	assert_true(cfg_accepted(&c));
	c.nr_its = VGIC_MAX_ITS + 1;
	assert_false(cfg_accepted(&c));
	c.nr_its = 1;
	c.its_base = NULL;
	assert_false(cfg_accepted(&c));
	c.its_base = base;
	c.lpi_id_bits = 0;
	c.nr_lpi_slots = 0;
	assert_false(cfg_accepted(&c)); /* an ITS needs LPIs */
	c.lpi_id_bits = ID_BITS;
	c.nr_lpi_slots = 16;
	static const struct {
		uint8_t dev, ev;
		uint32_t cache;
		bool ok;
	} sz[] = {
		{0, 16, 1024, false},	   {33, 16, 1024, false},
		{16, 0, 1024, false},	   {16, 33, 1024, false},
		{16, 16, 0, false},	   {16, 16, 3, false},
		{16, 16, 1u << 21, false}, {1, 1, 1, true},
		{32, 32, 1u << 20, true},
	};
	for (unsigned k = 0; k < sizeof(sz) / sizeof(sz[0]); k++) {
		c.its_device_bits = sz[k].dev;
		c.its_event_bits = sz[k].ev;
		c.its_cache_size = sz[k].cache;
		assert_int_equal(cfg_accepted(&c), sz[k].ok);
	}
	c.its_device_bits = c.its_event_bits = 16;
	c.its_cache_size = 1024;
	/* Placement: 64 KiB aligned, overlapping nothing. */
	uint64_t bad[][2] = {
		{H_ITS_BASE(0) + 0x1000, H_ITS_BASE(1)},
		{c.gicd_base, H_ITS_BASE(1)},
		{c.gicd_base - 0x10000, H_ITS_BASE(1)},
		{c.gicr_base, H_ITS_BASE(1)},
		{0x0c000000, 0x0c010000},
	};
	c.nr_its = 2;
	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		c.its_base = bad[k];
		assert_false(cfg_accepted(&c));
	}
	uint64_t good[2] = {0x0c000000, 0x0c020000};
	c.its_base = good;
	assert_true(cfg_accepted(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, t_setup, h_teardown)
		T(t_reset_values),
		T(t_typer),
		T(t_register_readback),
		T(t_quiescent),
		T(t_enabled_locks_bases),
		T(t_cbaser_resets_creadr),
		T(t_reserved_and_id_registers),
		T(t_msi_delivery),
		T(t_translater_write),
		T(t_int_clear),
		T(t_clear_in_lr),
		T(t_inv_invall),
		T(t_discard),
		T(t_discard_in_lr),
		T(t_movi),
		T(t_movi_in_lr),
		T(t_movi_in_lr_busy),
		T(t_movi_in_flight_then),
		T(t_movall),
		T(t_movall_in_lr),
		T(t_sync),
		T(t_mapd_unmap_remap),
		T(t_mapc),
		T(t_flat_table_sizes),
		T(t_two_level_device_table),
		T(t_two_level_collection_table),
		T(t_err_devid),
		T(t_err_size_rdbase),
		T(t_err_icid),
		T(t_err_device_unmapped),
		T(t_err_eventid),
		T(t_err_pintid),
		T(t_err_no_ite),
		T(t_err_collection_unmapped),
		T(t_err_unknown_opcode),
		T(t_stall_command_unreadable),
		T(t_stall_queue_outside_ram),
		T(t_stall_table_entries),
		T(t_hostile_addresses),
		T(t_cwriter_beyond_queue),
		T(t_queue_wrap),
		T(t_commands_wait_for_enable),
		T(t_msi_disabled_its),
		T(t_full_queue),
		T(t_work_budget),
		T(t_work_budget_any_access),
		T(t_cache),
		T(t_cache_size_one),
		T(t_two_its),
		T(t_msi_eperm),
		T(t_msi_errors),
		T(t_config_checks),
#undef T
	};
	return cmocka_run_group_tests_name("its", tests, NULL, NULL);
}
