/* SPDX-License-Identifier: MIT */
/*
 * GICD/GICR MMIO emulation: reset values, write semantics, the descriptor
 * table self-test, and hostile guest input (each outcome checked against
 * the matching statistics counter). State changes made by MMIO are
 * checked through the public vgic_irq_state().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mmio.h"
#include "vgic/vgic.h"

/* Frame offsets (IHI 0069 12.8, 12.10). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_STATUSR 0x0010
#define GICD_SETSPI_NSR 0x0040
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_IGRPMODR 0x0d00
#define GICD_NSACR 0x0e00
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR 0x0f20
#define GICD_IGROUPRE 0x1000
#define GICD_IROUTER 0x6000
#define GICD_PIDR4 0xffd0
#define GICD_PIDR0 0xffe0
#define GICD_PIDR2 0xffe8
#define GICD_CIDR0 0xfff0

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_PROPBASER 0x0070
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ISPENDR0 (GICR_SGI + 0x0200)
#define GICR_ICPENDR0 (GICR_SGI + 0x0280)
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define GICR_ICFGR0 (GICR_SGI + 0x0c00)
#define GICR_ICFGR1 (GICR_SGI + 0x0c04)
#define GICR_IGRPMODR0 (GICR_SGI + 0x0d00)
#define GICR_NSACR (GICR_SGI + 0x0e00)
#define GICR_STRIDE 0x20000

struct t_vm {
	struct vgic_config cfg;
	struct vgic_vm *vm;
	void *mem;
};

static const struct vgic_host_ops t_ops = {.version = VGIC_HOST_OPS_VERSION};

static struct t_vm T;

static int vm_make(uint32_t nr_vcpus, uint32_t nr_spis, const uint64_t *mpidr)
{
	free(T.mem);
	vgic_config_default(&T.cfg);
	T.cfg.nr_vcpus = nr_vcpus;
	T.cfg.nr_spis = nr_spis;
	T.cfg.mpidr = mpidr;
	size_t size = vgic_vm_size(&T.cfg);
	if (!size)
		return -1;
	T.mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!T.mem)
		return -1;
	return vgic_vm_init(T.mem, size, &T.cfg, &t_ops, NULL, &T.vm);
}

static int setup_default(void **state)
{
	(void)state;
	return vm_make(4, 64, NULL);
}

static int teardown(void **state)
{
	(void)state;
	free(T.mem);
	T.mem = NULL;
	return 0;
}

/* ------------------------------------------------------------ helpers */

static uint64_t gicd(uint32_t off)
{
	return T.cfg.gicd_base + off;
}

static uint64_t gicr(uint32_t rd, uint32_t off)
{
	return T.cfg.gicr_base + (uint64_t)rd * GICR_STRIDE + off;
}

static uint64_t rd_as(uint32_t vcpu, uint64_t gpa, unsigned len)
{
	uint64_t v = 0xdeadbeefdeadbeefULL;
	assert_int_equal(vgic_mmio_read(T.vm, vcpu, gpa, len, &v), 0);
	return v;
}

static void wr_as(uint32_t vcpu, uint64_t gpa, unsigned len, uint64_t val)
{
	assert_int_equal(vgic_mmio_write(T.vm, vcpu, gpa, len, val), 0);
}

static uint64_t rd(uint64_t gpa, unsigned len)
{
	return rd_as(0, gpa, len);
}

static void wr(uint64_t gpa, unsigned len, uint64_t val)
{
	wr_as(0, gpa, len, val);
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(T.vm, &s), 0);
	return s;
}

static struct vgic_irq_state st(uint32_t vcpu, uint32_t intid)
{
	struct vgic_irq_state s;
	assert_int_equal(vgic_irq_state(T.vm, vcpu, intid, &s), 0);
	return s;
}

/* Only the named counter moved (by `n`), apart from reads/writes. */
#define STAT_DELTA(before, field, n)                                           \
	do {                                                                   \
		struct vgic_stats after_ = stats();                            \
		assert_int_equal(after_.field - (before).field, (n));          \
		assert_int_equal(                                              \
			after_.mmio_unaligned + after_.mmio_bad_width +        \
				after_.mmio_reserved + after_.mmio_ro_write +  \
				after_.mmio_wo_read + after_.bad_intid -       \
				((before).mmio_unaligned +                     \
				 (before).mmio_bad_width +                     \
				 (before).mmio_reserved +                      \
				 (before).mmio_ro_write +                      \
				 (before).mmio_wo_read + (before).bad_intid),  \
			(n));                                                  \
	} while (0)

static void assert_no_errors(struct vgic_stats before)
{
	STAT_DELTA(before, bad_intid, 0);
}

/* ---------------------------------------------------------- self-test */

static void test_selftest(void **state)
{
	(void)state;
	assert_int_equal(vgic_mmio_selftest(), 0);
	assert_int_equal(vgic_mmio_check_frame(&vgic_gicd_frame), 0);
	assert_int_equal(vgic_mmio_check_frame(&vgic_gicr_rd_frame), 0);
	assert_int_equal(vgic_mmio_check_frame(&vgic_gicr_sgi_frame), 0);
}

static const struct vgic_mmio_spec_reg spec2[] = {
	{0x0000, 1, 4, "A"},
	{0x0080, 32, 4, "B"},
};

static int check2(struct vgic_mmio_desc a, struct vgic_mmio_desc b)
{
	struct vgic_mmio_desc regs[2] = {a, b};
	struct vgic_mmio_frame f = {"t", regs, 2, spec2, 2, false};
	return vgic_mmio_check_frame(&f);
}

#define D(off, len, w, nm)                                                     \
	((struct vgic_mmio_desc)VGIC_MMIO_REG(off, len, w, vgic_mmio_read_raz, \
					      vgic_mmio_write_wi, nm))

/* The checker itself: each kind of table bug is caught. */
static void test_selftest_catches(void **state)
{
	(void)state;
	assert_int_equal(check2(D(0, 4, 4, "A"), D(0x80, 0x80, 4, "B")), 0);
	/* mis-sized: too short, too long */
	assert_int_not_equal(check2(D(0, 4, 4, "A"), D(0x80, 0x7c, 4, "B")), 0);
	assert_int_not_equal(check2(D(0, 4, 4, "A"), D(0x80, 0x84, 4, "B")), 0);
	/* misplaced, wrong name */
	assert_int_not_equal(check2(D(0, 4, 4, "A"), D(0x84, 0x80, 4, "B")), 0);
	assert_int_not_equal(check2(D(0, 4, 4, "A"), D(0x80, 0x80, 4, "C")), 0);
	/* unsorted, overlapping */
	assert_int_not_equal(check2(D(0x80, 0x80, 4, "B"), D(0, 4, 4, "A")), 0);
	assert_int_not_equal(check2(D(0, 0x84, 4, "A"), D(0x80, 0x80, 4, "B")),
			     0);
	/* length not a multiple of the widest access, no width at all */
	assert_int_not_equal(check2(D(0, 4, 8, "A"), D(0x80, 0x80, 4, "B")), 0);
	assert_int_not_equal(check2(D(0, 4, 0, "A"), D(0x80, 0x80, 4, "B")), 0);
	/* bad bits-per-IRQ */
	struct vgic_mmio_desc b = D(0x80, 0x80, 4, "B");
	b.bpi = 3;
	assert_int_not_equal(check2(D(0, 4, 4, "A"), b), 0);
}

/* ------------------------------------------------------ GICD reset */

static void test_gicd_reset(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	assert_int_equal(rd(gicd(GICD_CTLR), 4), 0x50);
	/* ITLinesNumber 2 (96 INTIDs), IDbits 9, A3V, RSS */
	assert_int_equal(rd(gicd(GICD_TYPER), 4), 0x05480002);
	assert_int_equal(rd(gicd(GICD_IIDR), 4), T.vm->cfg.iidr);
	assert_int_not_equal(rd(gicd(GICD_IIDR), 4), 0);
	assert_int_equal(rd(gicd(GICD_TYPER2), 4), 0);
	assert_int_equal(rd(gicd(GICD_STATUSR), 4), 0);
	for (uint32_t n = 1; n < 3; n++) {
		assert_int_equal(rd(gicd(GICD_IGROUPR + 4 * n), 4), 0);
		assert_int_equal(rd(gicd(GICD_ISENABLER + 4 * n), 4), 0);
		assert_int_equal(rd(gicd(GICD_ICENABLER + 4 * n), 4), 0);
		assert_int_equal(rd(gicd(GICD_ISPENDR + 4 * n), 4), 0);
		assert_int_equal(rd(gicd(GICD_ICPENDR + 4 * n), 4), 0);
		assert_int_equal(rd(gicd(GICD_ISACTIVER + 4 * n), 4), 0);
		assert_int_equal(rd(gicd(GICD_ICACTIVER + 4 * n), 4), 0);
	}
	for (uint32_t i = 32; i < 96; i += 4)
		assert_int_equal(rd(gicd(GICD_IPRIORITYR + i), 4), 0);
	for (uint32_t i = 32; i < 96; i += 16) /* SPIs reset level */
		assert_int_equal(rd(gicd(GICD_ICFGR + i / 4), 4), 0);
	for (uint32_t i = 32; i < 96; i++)
		assert_int_equal(rd(gicd(GICD_IROUTER + 8 * i), 8), 0);
	assert_no_errors(s0);
}

static void test_gicd_idregs(void **state)
{
	(void)state;
	static const uint8_t ids[12] = {0x44, 0, 0,    0,    0x92, 0xb4,
					0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1};
	for (uint32_t i = 0; i < 12; i++)
		assert_int_equal(rd(gicd(GICD_PIDR4 + 4 * i), 4), ids[i]);
	assert_int_equal(rd(gicd(GICD_PIDR2), 4) >> 4 & 0xf, 3); /* ArchRev */
	for (uint32_t i = 0; i < 12; i++) {
		uint32_t exp = i == 4 ? 0x93 : ids[i];
		assert_int_equal(rd(gicr(0, GICD_PIDR4 + 4 * i), 4), exp);
	}
}

static void test_gicd_typer_itlines(void **state)
{
	(void)state;
	static const uint32_t spis[] = {0, 1, 31, 32, 33, 64, 65, 960, 988};
	static const uint32_t itl[] = {0, 1, 1, 1, 2, 2, 3, 30, 31};

	for (uint32_t i = 0; i < sizeof(spis) / sizeof(spis[0]); i++) {
		assert_int_equal(vm_make(1, spis[i], NULL), 0);
		uint32_t n = rd(gicd(GICD_TYPER), 4) & 0x1f;
		assert_int_equal(n, itl[i]);
		assert_true(32 * (n + 1) >= 32 + spis[i]);
	}
}

static void test_gicd_iidr_from_cfg(void **state)
{
	(void)state;
	free(T.mem);
	vgic_config_default(&T.cfg);
	T.cfg.iidr = 0x0102043b;
	size_t size = vgic_vm_size(&T.cfg);
	T.mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	assert_int_equal(vgic_vm_init(T.mem, size, &T.cfg, &t_ops, NULL, &T.vm),
			 0);
	assert_int_equal(rd(gicd(GICD_IIDR), 4), 0x0102043b);
	assert_int_equal(rd(gicr(0, GICR_IIDR), 4), 0x0102043b);
}

/* ------------------------------------------------------ GICD writes */

static void test_gicd_ctlr(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	wr(gicd(GICD_CTLR), 4, 0xffffffff);
	assert_int_equal(rd(gicd(GICD_CTLR), 4), 0x53);
	wr(gicd(GICD_CTLR), 4, 0);
	assert_int_equal(rd(gicd(GICD_CTLR), 4), 0x50); /* ARE, DS RAO/WI */
	wr(gicd(GICD_CTLR), 4, 2);
	assert_int_equal(rd(gicd(GICD_CTLR), 4), 0x52);
	wr(gicd(GICD_CTLR), 4, 1);
	assert_int_equal(rd(gicd(GICD_CTLR), 4), 0x51);
	assert_int_equal(T.vm->gicd_ctlr, 1);
	assert_no_errors(s0);
}

static void test_gicd_ro_writes(void **state)
{
	(void)state;
	static const uint32_t ro[] = {GICD_TYPER, GICD_IIDR,  GICD_TYPER2,
				      GICD_PIDR2, GICD_PIDR0, GICD_CIDR0};
	for (uint32_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		uint64_t before = rd(gicd(ro[i]), 4);
		struct vgic_stats s0 = stats();
		wr(gicd(ro[i]), 4, ~before);
		STAT_DELTA(s0, mmio_ro_write, 1);
		assert_int_equal(rd(gicd(ro[i]), 4), before);
	}
}

static void test_gicd_enable(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	wr(gicd(GICD_ISENABLER + 4), 4, 1u << 1 | 1u << 31); /* 33, 63 */
	assert_true(st(0, 33).enabled);
	assert_true(st(0, 63).enabled);
	assert_false(st(0, 34).enabled);
	assert_int_equal(rd(gicd(GICD_ISENABLER + 4), 4), 0x80000002);
	assert_int_equal(rd(gicd(GICD_ICENABLER + 4), 4), 0x80000002);
	wr(gicd(GICD_ISENABLER + 4), 4, 0); /* zeros do nothing */
	assert_int_equal(rd(gicd(GICD_ISENABLER + 4), 4), 0x80000002);
	wr(gicd(GICD_ICENABLER + 4), 4, 1u << 1);
	assert_false(st(0, 33).enabled);
	assert_true(st(0, 63).enabled);
	assert_int_equal(rd(gicd(GICD_ISENABLER + 4), 4), 0x80000000);
	wr(gicd(GICD_ISENABLER + 8), 4, 0xffffffff);
	assert_int_equal(rd(gicd(GICD_ISENABLER + 8), 4), 0xffffffff);
	assert_true(st(0, 95).enabled);
	assert_no_errors(s0);
}

static void test_gicd_pending_active(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	wr(gicd(GICD_ISPENDR + 8), 4, 1u << 4); /* INTID 68 */
	assert_true(st(0, 68).pending);
	assert_int_equal(rd(gicd(GICD_ISPENDR + 8), 4), 1u << 4);
	assert_int_equal(rd(gicd(GICD_ICPENDR + 8), 4), 1u << 4);
	wr(gicd(GICD_ICPENDR + 8), 4, 1u << 4);
	assert_false(st(0, 68).pending);
	assert_int_equal(rd(gicd(GICD_ISPENDR + 8), 4), 0);

	wr(gicd(GICD_ISACTIVER + 4), 4, 1u << 8); /* INTID 40 */
	assert_true(st(0, 40).active);
	assert_int_equal(rd(gicd(GICD_ISACTIVER + 4), 4), 1u << 8);
	assert_int_equal(rd(gicd(GICD_ICACTIVER + 4), 4), 1u << 8);
	wr(gicd(GICD_ICACTIVER + 4), 4, 1u << 8);
	assert_false(st(0, 40).active);
	assert_int_equal(rd(gicd(GICD_ICACTIVER + 4), 4), 0);
	assert_no_errors(s0);
}

static void test_gicd_group(void **state)
{
	(void)state;
	wr(gicd(GICD_IGROUPR + 4), 4, 0x00010001); /* 32, 48 */
	assert_true(st(0, 32).group1);
	assert_true(st(0, 48).group1);
	assert_false(st(0, 33).group1);
	assert_int_equal(rd(gicd(GICD_IGROUPR + 4), 4), 0x00010001);
	wr(gicd(GICD_IGROUPR + 4), 4, 0x00010000); /* plain write: 32 → G0 */
	assert_false(st(0, 32).group1);
	assert_int_equal(rd(gicd(GICD_IGROUPR + 4), 4), 0x00010000);
}

static void test_gicd_priority(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	/* 5 priority bits: the low 3 are RAZ/WI. */
	wr(gicd(GICD_IPRIORITYR + 40), 1, 0xff);
	assert_int_equal(st(0, 40).priority, 0xf8);
	assert_int_equal(rd(gicd(GICD_IPRIORITYR + 40), 1), 0xf8);
	/* Byte access touches one interrupt only. */
	wr(gicd(GICD_IPRIORITYR + 41), 1, 0x17);
	assert_int_equal(st(0, 41).priority, 0x10);
	assert_int_equal(st(0, 40).priority, 0xf8);
	assert_int_equal(rd(gicd(GICD_IPRIORITYR + 40), 4), 0x10f8);
	assert_int_equal(rd(gicd(GICD_IPRIORITYR + 41), 1), 0x10);
	/* Word access: four interrupts. */
	wr(gicd(GICD_IPRIORITYR + 44), 4, 0x80a0c0ff);
	assert_int_equal(st(0, 44).priority, 0xf8);
	assert_int_equal(st(0, 45).priority, 0xc0);
	assert_int_equal(st(0, 46).priority, 0xa0);
	assert_int_equal(st(0, 47).priority, 0x80);
	assert_int_equal(rd(gicd(GICD_IPRIORITYR + 44), 4), 0x80a0c0f8);
	assert_int_equal(rd(gicd(GICD_IPRIORITYR + 46), 1), 0xa0);
	/* A byte write's value is only its byte. */
	wr(gicd(GICD_IPRIORITYR + 47), 1, 0xffffff08);
	assert_int_equal(st(0, 47).priority, 0x08);
	assert_int_equal(st(0, 44).priority, 0xf8);
	assert_no_errors(s0);
}

static void test_gicd_icfgr(void **state)
{
	(void)state;
	/* INTID 33: field bits [3:2]; bit 0 of each field is RES0. */
	wr(gicd(GICD_ICFGR + 8), 4, 0xffffffff);
	assert_int_equal(rd(gicd(GICD_ICFGR + 8), 4), 0xaaaaaaaa);
	assert_true(st(0, 33).edge);
	assert_true(st(0, 47).edge);
	wr(gicd(GICD_ICFGR + 8), 4, 0xaaaaaaaa & ~(2u << 2));
	assert_false(st(0, 33).edge);
	assert_true(st(0, 32).edge);
	wr(gicd(GICD_ICFGR + 8), 4, 0x55555555);
	assert_int_equal(rd(gicd(GICD_ICFGR + 8), 4), 0);
	assert_false(st(0, 32).edge);
}

static void test_gicd_irouter(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	/* Default affinity: vCPU i has Aff0 = i % 16, Aff1 = i / 16. */
	wr(gicd(GICD_IROUTER + 8 * 40), 8, 2);
	assert_int_equal(st(0, 40).target, 2);
	assert_int_equal(rd(gicd(GICD_IROUTER + 8 * 40), 8), 2);
	/* RES0 bits are dropped; Aff3 and IRM kept. */
	wr(gicd(GICD_IROUTER + 8 * 41), 8, 0xffffffffffffffffULL);
	assert_int_equal(rd(gicd(GICD_IROUTER + 8 * 41), 8), 0xff80ffffffULL);
	/* 32-bit halves: each replaces only its half. */
	wr(gicd(GICD_IROUTER + 8 * 42), 8, 0x0000001200000003ULL);
	assert_int_equal(rd(gicd(GICD_IROUTER + 8 * 42), 4), 3);
	assert_int_equal(rd(gicd(GICD_IROUTER + 8 * 42 + 4), 4), 0x12);
	wr(gicd(GICD_IROUTER + 8 * 42 + 4), 4, 0);
	assert_int_equal(rd(gicd(GICD_IROUTER + 8 * 42), 8), 3);
	assert_int_equal(st(0, 42).target, 3);
	wr(gicd(GICD_IROUTER + 8 * 42), 4, 1);
	assert_int_equal(rd(gicd(GICD_IROUTER + 8 * 42), 8), 1);
	assert_int_equal(st(0, 42).target, 1);
	/* An affinity no vCPU has: no target. */
	wr(gicd(GICD_IROUTER + 8 * 43), 8, 0x0900);
	assert_int_equal(st(0, 43).target, -1);
	/* The last configured SPI. */
	wr(gicd(GICD_IROUTER + 8 * 95), 8, 1);
	assert_int_equal(st(0, 95).target, 1);
	assert_no_errors(s0);
}

/* INTIDs 0..31 in GICD registers: RAZ/WI under affinity routing. */
static void test_gicd_private_raz_wi(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	wr(gicd(GICD_ISENABLER), 4, 0xffffffff);
	wr(gicd(GICD_ISPENDR), 4, 0xffffffff);
	wr(gicd(GICD_ISACTIVER), 4, 0xffffffff);
	wr(gicd(GICD_IGROUPR), 4, 0xffffffff);
	wr(gicd(GICD_IPRIORITYR + 20), 4, 0xffffffff);
	wr(gicd(GICD_ICFGR + 4), 4, 0xffffffff);
	for (uint32_t i = 0; i < 32; i++) {
		struct vgic_irq_state s = st(0, i);
		assert_false(s.enabled || s.pending || s.active || s.group1);
		assert_int_equal(s.priority, 0);
	}
	assert_false(st(0, 20).edge);
	wr(gicr(0, GICR_ISENABLER0), 4, 1u << 27);
	assert_int_equal(rd(gicd(GICD_ISENABLER), 4), 0);
	assert_int_equal(rd(gicd(GICD_ICFGR), 4), 0);
	assert_no_errors(s0);
}

static void test_gicd_raz_wi_regs(void **state)
{
	(void)state;
	static const uint32_t regs[] = {GICD_STATUSR,	   GICD_ITARGETSR + 32,
					GICD_IGRPMODR + 4, GICD_NSACR + 8,
					GICD_CPENDSGIR,	   GICD_SPENDSGIR + 12};
	struct vgic_stats s0 = stats();

	for (uint32_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		wr(gicd(regs[i]), 4, 0xffffffff);
		assert_int_equal(rd(gicd(regs[i]), 4), 0);
	}
	/* ITARGETSR, CPENDSGIR, SPENDSGIR are byte-accessible */
	wr(gicd(GICD_ITARGETSR + 33), 1, 0xff);
	assert_int_equal(rd(gicd(GICD_ITARGETSR + 33), 1), 0);
	assert_int_equal(rd(gicd(GICD_CPENDSGIR + 1), 1), 0);
	/* GICD_SGIR is WI with ARE == 1; no SGI results. */
	wr(gicd(GICD_SGIR), 4, 0x00ff0001);
	assert_false(st(1, 1).pending);
	assert_no_errors(s0);
}

static void test_gicd_sgir_read_wo(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();
	assert_int_equal(rd(gicd(GICD_SGIR), 4), 0);
	STAT_DELTA(s0, mmio_wo_read, 1);
}

/* ----------------------------------------------------------- GICR */

static void test_gicr_rd_reset(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	for (uint32_t v = 0; v < 4; v++) {
		assert_int_equal(rd(gicr(v, GICR_CTLR), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_IIDR), 4), T.vm->cfg.iidr);
		assert_int_equal(rd(gicr(v, GICR_STATUSR), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_WAKER), 4), 6);
	}
	assert_no_errors(s0);
}

static void test_gicr_ctlr_raz_wi(void **state)
{
	(void)state;
	wr(gicr(0, GICR_CTLR), 4, 0xffffffff);
	assert_int_equal(rd(gicr(0, GICR_CTLR), 4), 0);
	wr(gicr(0, GICR_STATUSR), 4, 0xffffffff);
	assert_int_equal(rd(gicr(0, GICR_STATUSR), 4), 0);
}

static void test_gicr_waker(void **state)
{
	(void)state;
	wr_as(0, gicr(2, GICR_WAKER), 4, 0); /* vCPU 0 wakes rd 2 */
	assert_int_equal(rd(gicr(2, GICR_WAKER), 4), 0);
	assert_false(T.vm->vcpus[2].sleeping);
	assert_int_equal(rd(gicr(1, GICR_WAKER), 4), 6);
	wr(gicr(2, GICR_WAKER), 4, 4); /* ChildrenAsleep is RO */
	assert_int_equal(rd(gicr(2, GICR_WAKER), 4), 0);
	wr(gicr(2, GICR_WAKER), 4, 2);
	assert_int_equal(rd(gicr(2, GICR_WAKER), 4), 6);
	assert_true(T.vm->vcpus[2].sleeping);
	wr(gicr(2, GICR_WAKER), 4, 0xfffffff9); /* only bit 1 counts */
	assert_int_equal(rd(gicr(2, GICR_WAKER), 4), 0);
}

static uint64_t typer_expect(uint32_t i, uint32_t n, uint64_t mpidr)
{
	uint64_t aff = (mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff);
	return aff << 32 | (uint64_t)i << 8 | (i == n - 1 ? 1u << 4 : 0);
}

static void check_typers(uint32_t n, const uint64_t *mpidr)
{
	assert_int_equal(vm_make(n, 32, mpidr), 0);
	struct vgic_stats s0 = stats();
	for (uint32_t i = 0; i < n; i++) {
		uint64_t m =
			mpidr ? mpidr[i] : (i % 16) | (uint64_t)(i / 16) << 8;
		uint64_t exp = typer_expect(i, n, m);
		uint32_t reader = (i * 7) % n; /* any vCPU may read any GICR */
		assert_int_equal(rd_as(reader, gicr(i, GICR_TYPER), 8), exp);
		assert_int_equal(rd_as(reader, gicr(i, GICR_TYPER), 4),
				 exp & 0xffffffff);
		assert_int_equal(rd_as(reader, gicr(i, GICR_TYPER + 4), 4),
				 exp >> 32);
	}
	assert_no_errors(s0);
}

static void test_gicr_typer(void **state)
{
	(void)state;
	check_typers(1, NULL);
	check_typers(2, NULL);
	check_typers(8, NULL);
	check_typers(512, NULL);
	/* Last is only on the last redistributor. */
	assert_int_equal(rd(gicr(511, GICR_TYPER), 4) & 0x10, 0x10);
	assert_int_equal(rd(gicr(510, GICR_TYPER), 4) & 0x10, 0);
	assert_int_equal(rd(gicr(511, GICR_TYPER), 4) >> 8 & 0xffff, 511);
	assert_int_equal(rd(gicr(511, GICR_TYPER + 4), 4), 0x1f0f);
	static const uint64_t m[3] = {0x0100000000ULL, 0x0000020304ULL,
				      0xff00ffffffULL};
	check_typers(3, m);
	assert_int_equal(rd(gicr(0, GICR_TYPER + 4), 4), 0x01000000);
	assert_int_equal(rd(gicr(1, GICR_TYPER + 4), 4), 0x00020304);
	assert_int_equal(rd(gicr(2, GICR_TYPER + 4), 4), 0xffffffff);
}

static void test_gicr_ro_writes(void **state)
{
	(void)state;
	static const uint32_t ro[] = {GICR_IIDR, GICR_TYPER, GICR_TYPER + 4,
				      GICR_ICFGR0, GICD_PIDR2};
	for (uint32_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		uint64_t before = rd(gicr(1, ro[i]), 4);
		struct vgic_stats s0 = stats();
		wr(gicr(1, ro[i]), 4, ~before);
		STAT_DELTA(s0, mmio_ro_write, 1);
		assert_int_equal(rd(gicr(1, ro[i]), 4), before);
	}
	struct vgic_stats s0 = stats();
	wr(gicr(1, GICR_TYPER), 8, 0);
	STAT_DELTA(s0, mmio_ro_write, 1);
}

static void test_gicr_sgi_reset(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	for (uint32_t v = 0; v < 4; v++) {
		assert_int_equal(rd(gicr(v, GICR_IGROUPR0), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_ISENABLER0), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_ICENABLER0), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_ISPENDR0), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_ICPENDR0), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_ISACTIVER0), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_ICACTIVER0), 4), 0);
		for (uint32_t n = 0; n < 8; n++)
			assert_int_equal(
				rd(gicr(v, GICR_IPRIORITYR + 4 * n), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_ICFGR0), 4), 0xaaaaaaaa);
		assert_int_equal(rd(gicr(v, GICR_ICFGR1), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_IGRPMODR0), 4), 0);
		assert_int_equal(rd(gicr(v, GICR_NSACR), 4), 0);
	}
	assert_no_errors(s0);
}

/* Writes to a redistributor act on its vCPU, whoever writes. */
static void test_gicr_sgi_writes(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();

	wr_as(0, gicr(1, GICR_ISENABLER0), 4, 1u << 27 | 1u << 3);
	assert_true(st(1, 27).enabled);
	assert_true(st(1, 3).enabled);
	assert_false(st(0, 27).enabled);
	assert_int_equal(rd_as(3, gicr(1, GICR_ISENABLER0), 4),
			 1u << 27 | 1u << 3);
	wr_as(2, gicr(1, GICR_ICENABLER0), 4, 1u << 3);
	assert_false(st(1, 3).enabled);
	assert_int_equal(rd(gicr(1, GICR_ICENABLER0), 4), 1u << 27);

	wr(gicr(1, GICR_IGROUPR0), 4, 0xffff0000);
	assert_true(st(1, 16).group1);
	assert_false(st(1, 15).group1);
	assert_false(st(0, 16).group1);
	assert_int_equal(rd(gicr(1, GICR_IGROUPR0), 4), 0xffff0000);

	wr(gicr(1, GICR_ISPENDR0), 4, 1u << 5);
	assert_true(st(1, 5).pending);
	assert_int_equal(rd(gicr(1, GICR_ICPENDR0), 4), 1u << 5);
	wr(gicr(1, GICR_ICPENDR0), 4, 1u << 5);
	assert_false(st(1, 5).pending);

	wr(gicr(1, GICR_ISACTIVER0), 4, 1u << 30);
	assert_true(st(1, 30).active);
	assert_int_equal(rd(gicr(1, GICR_ICACTIVER0), 4), 1u << 30);
	wr(gicr(1, GICR_ICACTIVER0), 4, 1u << 30);
	assert_false(st(1, 30).active);

	wr(gicr(1, GICR_IPRIORITYR + 27), 1, 0xa5);
	assert_int_equal(st(1, 27).priority, 0xa0);
	assert_int_equal(st(0, 27).priority, 0);
	assert_int_equal(rd(gicr(1, GICR_IPRIORITYR + 24), 4), 0xa0000000);
	wr(gicr(1, GICR_IPRIORITYR), 4, 0x01020384);
	assert_int_equal(st(1, 0).priority, 0x80);
	assert_int_equal(st(1, 1).priority, 0);
	assert_no_errors(s0);
}

static void test_gicr_icfgr(void **state)
{
	(void)state;
	/* ICFGR1: PPIs programmable, bit 0 of each field RES0. */
	wr(gicr(2, GICR_ICFGR1), 4, 0xffffffff);
	assert_int_equal(rd(gicr(2, GICR_ICFGR1), 4), 0xaaaaaaaa);
	assert_true(st(2, 16).edge);
	assert_true(st(2, 31).edge);
	assert_false(st(1, 31).edge);
	wr(gicr(2, GICR_ICFGR1), 4, 2u << 22); /* INTID 27 */
	assert_int_equal(rd(gicr(2, GICR_ICFGR1), 4), 2u << 22);
	assert_true(st(2, 27).edge);
	assert_false(st(2, 26).edge);
	/* ICFGR0: SGIs always edge, read-only. */
	struct vgic_stats s0 = stats();
	wr(gicr(2, GICR_ICFGR0), 4, 0);
	STAT_DELTA(s0, mmio_ro_write, 1);
	assert_int_equal(rd(gicr(2, GICR_ICFGR0), 4), 0xaaaaaaaa);
	assert_true(st(2, 0).edge);
}

static void test_gicr_raz_wi(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();
	wr(gicr(0, GICR_IGRPMODR0), 4, 0xffffffff);
	wr(gicr(0, GICR_NSACR), 4, 0xffffffff);
	assert_int_equal(rd(gicr(0, GICR_IGRPMODR0), 4), 0);
	assert_int_equal(rd(gicr(0, GICR_NSACR), 4), 0);
	assert_no_errors(s0);
}

/* ----------------------------------------------------- hostile input */

static void test_bad_args(void **state)
{
	(void)state;
	uint64_t v;
	struct vgic_stats s0 = stats();

	assert_int_equal(vgic_mmio_read(T.vm, 0, gicd(0), 3, &v), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_write(T.vm, 0, gicd(0), 3, 0), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_read(T.vm, 0, gicd(0), 0, &v), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_read(T.vm, 0, gicd(0), 16, &v), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_read(NULL, 0, gicd(0), 4, &v), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_write(NULL, 0, gicd(0), 4, 0), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_read(T.vm, 0, gicd(0), 4, NULL),
			 VGIC_EINVAL);
	assert_int_equal(vgic_mmio_read(T.vm, 4, gicd(0), 4, &v), VGIC_ERANGE);
	assert_int_equal(vgic_mmio_write(T.vm, 0xffffffff, gicd(0), 4, 0),
			 VGIC_ERANGE);
	struct vgic_stats s1 = stats();
	assert_int_equal(s1.mmio_reads, s0.mmio_reads);
	assert_int_equal(s1.mmio_writes, s0.mmio_writes);
}

static void test_outside_frames(void **state)
{
	(void)state;
	uint64_t v = 7;
	const uint64_t out[] = {
		gicd(0) - 4, gicd(0x10000),	T.cfg.gicr_base - 8,
		gicr(4, 0),  gicr(4, GICR_SGI), 0,
		~0ULL - 7};
	struct vgic_stats s0 = stats();

	for (uint32_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		assert_int_equal(vgic_mmio_read(T.vm, 0, out[i], 4, &v),
				 VGIC_ENOENT);
		assert_int_equal(vgic_mmio_write(T.vm, 0, out[i], 4, 0),
				 VGIC_ENOENT);
	}
	/* Edges of the frames are inside. */
	assert_int_equal(vgic_mmio_read(T.vm, 0, gicd(0xfffc), 4, &v), 0);
	assert_int_equal(vgic_mmio_read(T.vm, 0, gicr(3, 0x1fffc), 4, &v), 0);
	struct vgic_stats s1 = stats();
	assert_int_equal(s1.mmio_reads - s0.mmio_reads, 2);
	assert_int_equal(s1.mmio_writes, s0.mmio_writes);
}

static void test_unaligned(void **state)
{
	(void)state;
	wr(gicd(GICD_ISENABLER + 4), 4, 0xffffffff);
	const struct {
		uint64_t gpa;
		unsigned len;
	} acc[] = {
		{gicd(GICD_ISENABLER + 5), 4},
		{gicd(GICD_ISENABLER + 6), 4},
		{gicd(GICD_IPRIORITYR + 33), 2},
		{gicd(GICD_IROUTER + 8 * 33 + 4), 8},
		{gicr(0, GICR_TYPER + 4), 8},
		{gicr(1, GICR_ISENABLER0 + 2), 4},
		{gicd(GICD_CTLR + 1), 2},
	};
	for (uint32_t i = 0; i < sizeof(acc) / sizeof(acc[0]); i++) {
		struct vgic_stats s0 = stats();
		assert_int_equal(rd(acc[i].gpa, acc[i].len), 0);
		STAT_DELTA(s0, mmio_unaligned, 1);
		wr(acc[i].gpa, acc[i].len, 0);
		STAT_DELTA(s0, mmio_unaligned, 2);
	}
	assert_int_equal(rd(gicd(GICD_ISENABLER + 4), 4), 0xffffffff);
	struct vgic_stats s1 = stats();
	assert_int_equal(rd(gicd(GICD_ICENABLER + 4), 4), 0xffffffff);
	wr(gicd(GICD_CTLR + 1), 1, 0xff); /* byte: aligned, but bad width */
	STAT_DELTA(s1, mmio_bad_width, 1);
}

static void test_bad_width(void **state)
{
	(void)state;
	const struct {
		uint64_t gpa;
		unsigned len;
	} acc[] = {
		{gicd(GICD_CTLR), 1},
		{gicd(GICD_CTLR), 2},
		{gicd(GICD_CTLR), 8},
		{gicd(GICD_TYPER), 2},
		{gicd(GICD_ISENABLER + 4), 1},
		{gicd(GICD_ISENABLER + 8), 8},
		{gicd(GICD_IPRIORITYR + 40), 2},
		{gicd(GICD_IPRIORITYR + 40), 8},
		{gicd(GICD_IROUTER + 8 * 40), 1},
		{gicd(GICD_IROUTER + 8 * 40), 2},
		{gicd(GICD_PIDR2), 1},
		{gicr(0, GICR_TYPER), 2},
		{gicr(0, GICR_WAKER), 1},
		{gicr(0, GICR_ICFGR1), 2},
		{gicr(0, GICR_IPRIORITYR), 8},
	};
	wr(gicd(GICD_IPRIORITYR + 40), 4, 0x80808080);
	for (uint32_t i = 0; i < sizeof(acc) / sizeof(acc[0]); i++) {
		struct vgic_stats s0 = stats();
		assert_int_equal(rd(acc[i].gpa, acc[i].len), 0);
		STAT_DELTA(s0, mmio_bad_width, 1);
		wr(acc[i].gpa, acc[i].len, ~0ULL);
		STAT_DELTA(s0, mmio_bad_width, 2);
	}
	assert_int_equal(rd(gicd(GICD_CTLR), 4), 0x50);
	assert_int_equal(st(0, 40).priority, 0x80);
	assert_false(st(0, 64).enabled);
	assert_int_equal(rd(gicr(0, GICR_WAKER), 4), 6);
}

static void test_reserved(void **state)
{
	(void)state;
	const uint64_t res[] = {
		gicd(0x0014),
		gicd(GICD_SETSPI_NSR),
		gicd(0x0044),
		gicd(0x005c),
		gicd(0x0f04),
		gicd(0x07fc), /* IPRIORITYR255 */
		gicd(0x0bfc),
		gicd(GICD_IGROUPRE + 4),
		gicd(0x0f80),
		gicd(0x4000),
		gicd(GICD_IROUTER),
		gicd(GICD_IROUTER + 8 * 31),
		gicd(GICD_IROUTER + 8 * 1020),
		gicd(0x8000),
		gicd(0xc000),
		gicd(0xffcc),
		gicr(0, 0x0020),
		gicr(1, GICR_PROPBASER),
		gicr(2, 0x0040),
		gicr(3, 0x00c0),
		gicr(0, 0x0100),
		gicr(0, GICR_SGI),
		gicr(0, GICR_SGI + 0x0084),
		gicr(0, GICR_SGI + 0x0420),
		gicr(0, GICR_SGI + 0x0c08),
		gicr(0, GICR_SGI + 0x0f80),
		gicr(0, GICR_SGI + 0xffe8),
	};
	for (uint32_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		struct vgic_stats s0 = stats();
		assert_int_equal(rd(res[i], 4), 0);
		STAT_DELTA(s0, mmio_reserved, 1);
		wr(res[i], 4, ~0ULL);
		STAT_DELTA(s0, mmio_reserved, 2);
	}
	struct vgic_stats s0 = stats();
	assert_int_equal(rd(gicr(1, GICR_PROPBASER), 8), 0);
	STAT_DELTA(s0, mmio_reserved, 1);
}

/* nr_spis = 64: INTIDs 96 and up do not exist. */
static void test_bad_intid(void **state)
{
	(void)state;
	const struct {
		uint64_t gpa;
		unsigned len;
	} acc[] = {
		{gicd(GICD_ISENABLER + 12), 4},
		{gicd(GICD_ICENABLER + 12), 4},
		{gicd(GICD_ISPENDR + 124), 4},
		{gicd(GICD_IGROUPR + 12), 4},
		{gicd(GICD_ISACTIVER + 16), 4},
		{gicd(GICD_IPRIORITYR + 96), 1},
		{gicd(GICD_IPRIORITYR + 96), 4},
		{gicd(GICD_IPRIORITYR + 1016), 4},
		{gicd(GICD_ICFGR + 24), 4},
		{gicd(GICD_IROUTER + 8 * 96), 8},
		{gicd(GICD_IROUTER + 8 * 1019), 4},
	};
	for (uint32_t i = 0; i < sizeof(acc) / sizeof(acc[0]); i++) {
		struct vgic_stats s0 = stats();
		assert_int_equal(rd(acc[i].gpa, acc[i].len), 0);
		STAT_DELTA(s0, bad_intid, 1);
		wr(acc[i].gpa, acc[i].len, ~0ULL);
		STAT_DELTA(s0, bad_intid, 2);
		assert_int_equal(rd(acc[i].gpa, acc[i].len), 0);
	}
	/* Nothing that exists changed. */
	for (uint32_t i = 32; i < 96; i++) {
		struct vgic_irq_state s = st(0, i);
		assert_false(s.enabled || s.pending || s.active || s.group1);
		assert_int_equal(s.priority, 0);
	}
	struct vgic_irq_state s;
	assert_int_not_equal(vgic_irq_state(T.vm, 0, 96, &s), 0);
}

/* Part of a register beyond the SPIs: those bits RAZ/WI, not an error. */
static void test_partial_register(void **state)
{
	(void)state;
	assert_int_equal(vm_make(2, 50, NULL), 0); /* INTIDs 32..81 */
	struct vgic_stats s0 = stats();
	wr(gicd(GICD_ISENABLER + 8), 4, 0xffffffff);
	assert_int_equal(rd(gicd(GICD_ISENABLER + 8), 4), 0x3ffff);
	assert_true(st(0, 81).enabled);
	wr(gicd(GICD_IPRIORITYR + 80), 4, 0xffffffff);
	assert_int_equal(rd(gicd(GICD_IPRIORITYR + 80), 4), 0xf8f8);
	assert_no_errors(s0);
	wr(gicd(GICD_IPRIORITYR + 84), 4, 0xffffffff);
	STAT_DELTA(s0, bad_intid, 1);
}

static void test_counts(void **state)
{
	(void)state;
	struct vgic_stats s0 = stats();
	rd(gicd(GICD_CTLR), 4);
	rd(gicd(0x0014), 4);
	rd(gicd(GICD_CTLR + 2), 4);
	wr(gicd(GICD_CTLR), 4, 0);
	wr(gicd(GICD_CTLR), 2, 0);
	struct vgic_stats s1 = stats();
	assert_int_equal(s1.mmio_reads - s0.mmio_reads, 3);
	assert_int_equal(s1.mmio_writes - s0.mmio_writes, 2);
	assert_int_equal(s1.mmio_reserved - s0.mmio_reserved, 1);
	assert_int_equal(s1.mmio_unaligned - s0.mmio_unaligned, 1);
	assert_int_equal(s1.mmio_bad_width - s0.mmio_bad_width, 1);
}

/* The largest configuration: SPI 1019 and IROUTER's last slot. */
static void test_max_spis(void **state)
{
	(void)state;
	assert_int_equal(vm_make(2, VGIC_MAX_SPIS, NULL), 0);
	struct vgic_stats s0 = stats();
	assert_int_equal(rd(gicd(GICD_TYPER), 4) & 0x1f, 31);
	wr(gicd(GICD_ISENABLER + 124), 4, 0xffffffff);
	assert_int_equal(rd(gicd(GICD_ISENABLER + 124), 4), 0x0fffffff);
	assert_true(st(0, 1019).enabled);
	wr(gicd(GICD_IPRIORITYR + 1016), 4, 0xffffffff);
	assert_int_equal(rd(gicd(GICD_IPRIORITYR + 1016), 4), 0xf8f8f8f8);
	wr(gicd(GICD_IROUTER + 8 * 1019), 8, 1);
	assert_int_equal(st(0, 1019).target, 1);
	assert_int_equal(rd(gicd(GICD_IROUTER + 8 * 1019 + 4), 4), 0);
	assert_no_errors(s0);
	wr(gicd(GICD_IROUTER + 8 * 1020), 8, 1);
	STAT_DELTA(s0, mmio_reserved, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest),
		cmocka_unit_test(test_selftest_catches),
#define T_(f) cmocka_unit_test_setup_teardown(f, setup_default, teardown)
		T_(test_gicd_reset),
		T_(test_gicd_idregs),
		T_(test_gicd_typer_itlines),
		T_(test_gicd_iidr_from_cfg),
		T_(test_gicd_ctlr),
		T_(test_gicd_ro_writes),
		T_(test_gicd_enable),
		T_(test_gicd_pending_active),
		T_(test_gicd_group),
		T_(test_gicd_priority),
		T_(test_gicd_icfgr),
		T_(test_gicd_irouter),
		T_(test_gicd_private_raz_wi),
		T_(test_gicd_raz_wi_regs),
		T_(test_gicd_sgir_read_wo),
		T_(test_gicr_rd_reset),
		T_(test_gicr_ctlr_raz_wi),
		T_(test_gicr_waker),
		T_(test_gicr_typer),
		T_(test_gicr_ro_writes),
		T_(test_gicr_sgi_reset),
		T_(test_gicr_sgi_writes),
		T_(test_gicr_icfgr),
		T_(test_gicr_raz_wi),
		T_(test_bad_args),
		T_(test_outside_frames),
		T_(test_unaligned),
		T_(test_bad_width),
		T_(test_reserved),
		T_(test_bad_intid),
		T_(test_partial_register),
		T_(test_counts),
		T_(test_max_spis),
#undef T_
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
