/* SPDX-License-Identifier: MIT */
/*
 * Shared machinery of the libFuzzer targets: an input reader, a VM on the
 * software GIC model built from the first input bytes, the host side of
 * the world switch (as tests/harness.h does it, without cmocka), and the
 * invariants checked after each operation.
 *
 * Every target reads its input as a stream of small operations. Reading
 * past the end yields zeros, so every input is valid and the fuzzer can
 * grow or cut inputs freely.
 *
 * The invariants do not trust the library's own tables: the register map
 * oracle below is transcribed from the spec (IHI 0069, "The GIC
 * Distributor register map" and "The GIC Redistributor register map")
 * independently of src/mmio_gicd.c and src/mmio_gicr.c.
 */
#ifndef VGIC_FUZZ_H
#define VGIC_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "vgic/vgic.h"
#include "vgic_internal.h"

/* A broken invariant: report it and abort, which libFuzzer records as a
 * crash with the input that caused it. */
#define FZ_CHECK(c)                                                            \
	do {                                                                   \
		if (!(c))                                                      \
			fz_fail(__FILE__, __LINE__, #c);                       \
	} while (0)

static inline void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
	abort();
}

/* ----------------------------------------------------------- input */

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fz_u8(struct fz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

/* `bytes` bytes, little-endian. */
static inline uint64_t fz_uint(struct fz_in *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)fz_u8(in) << (8 * i);
	return v;
}

/* ------------------------------------------------------------- VM */

#define FZ_MAX_VCPUS 8
#define FZ_PCPUS 2
#define FZ_NONE (-1)

struct fz {
	struct model m;
	struct vgic_config cfg; /* everything from here is per VM */
	uint64_t mpidr[FZ_MAX_VCPUS];
	struct vgic_host_ops ops;
	struct vgic_vm *vm;
	struct vgic_cpu_if cif[FZ_PCPUS];
	int running[FZ_PCPUS];		  /* vCPU on each pCPU or FZ_NONE */
	int stopped_on[FZ_MAX_VCPUS];	  /* pCPU + 1 a vcpu_stop took */
	uint64_t loaded_lr[FZ_PCPUS][16]; /* the LRs of the last entry */
	uint8_t pri_mask;
	bool stop_ops;
};

static struct fz F;
static _Alignas(64) unsigned char fz_mem[2u << 20];

static inline uint32_t fz_nr_intids(void)
{
	return VGIC_NR_SPI_BASE + F.cfg.nr_spis;
}

/* A configuration from two input bytes: vCPUs, SPIs, LRs, priority
 * bits, IIDR, affinity layout. The SPI counts sit at the boundaries the
 * per-IRQ decode must get right. */
static inline void fz_config(uint8_t b, uint8_t c)
{
	static const uint32_t spis[] = {0, 1, 31, 32, 33, 64, 100, 988};

	vgic_config_default(&F.cfg);
	F.cfg.nr_vcpus = 1 + b % FZ_MAX_VCPUS;
	F.cfg.nr_spis = spis[(b >> 3) % 8];
	F.cfg.pri_bits = (uint8_t)(5 + (b >> 6));
	F.cfg.nr_lrs = (uint8_t)(1 + c % 16);
	F.cfg.iidr = (c & 0x10) ? 0x1234043bu : 0;
	if (c & 0x20) {
		/* Sparse affinities: Aff0 beyond 15 (needs RS), Aff2, Aff3. */
		for (uint32_t i = 0; i < F.cfg.nr_vcpus; i++)
			F.mpidr[i] = (uint64_t)(i * 37u % 256u) |
				     (uint64_t)(i & 1) << 8 |
				     (uint64_t)(i & 2) << 15 |
				     (uint64_t)(i & 4) << 30;
		F.cfg.mpidr = F.mpidr;
	}
	F.pri_mask = (uint8_t)(0xff00u >> F.cfg.pri_bits);
}

/* Host ops v2 vcpu_stop/resume, done as a hypervisor does them: the
 * running vCPU exits (sync) and re-enters. */
static void fz_exit(uint32_t p);
static void fz_enter(uint32_t v, uint32_t p);

static inline void fz_op_stop(void *ctx, uint32_t v)
{
	(void)ctx;
	for (uint32_t p = 0; p < FZ_PCPUS; p++) {
		if (F.running[p] == (int)v) {
			fz_exit(p);
			F.stopped_on[v] = (int)p + 1;
		}
	}
}

static inline void fz_op_resume(void *ctx, uint32_t v)
{
	(void)ctx;
	if (F.stopped_on[v]) {
		uint32_t p = (uint32_t)F.stopped_on[v] - 1;
		F.stopped_on[v] = 0;
		fz_enter(v, p);
	}
}

/* The model: 2 pCPUs, the VM's LR count and priority bits, physical
 * INTIDs up to 255 for forwarding. */
static inline void fz_model_init(void)
{
	struct model_config mc;

	model_config_default(&mc);
	mc.nr_pcpus = FZ_PCPUS;
	mc.nr_lrs = F.cfg.nr_lrs;
	mc.nr_spis = 224;
	mc.vpri_bits = F.cfg.pri_bits;
	FZ_CHECK(model_init(&F.m, &mc) == 0);
	model_host_boot(&F.m, true);
}

/* Build the VM: vgic_vm_init, then a guest kernel's first steps (enable
 * both groups, wake every redistributor) unless `s` says otherwise. */
static inline void fz_build(uint8_t b, uint8_t c, uint8_t s)
{
	memset(&F.cfg, 0, sizeof(F) - offsetof(struct fz, cfg));
	fz_config(b, c);
	fz_model_init();
	F.ops = *model_host_ops();
	F.ops.version = VGIC_HOST_OPS_VERSION;
	F.stop_ops = !(s & 1);
	F.ops.vcpu_stop = F.stop_ops ? fz_op_stop : NULL;
	F.ops.vcpu_resume = F.stop_ops ? fz_op_resume : NULL;
	size_t size = vgic_vm_size(&F.cfg);
	FZ_CHECK(size && size <= sizeof(fz_mem));
	FZ_CHECK(vgic_vm_init(fz_mem, size, &F.cfg, &F.ops, &F.m, &F.vm) == 0);
	for (uint32_t p = 0; p < FZ_PCPUS; p++)
		F.running[p] = FZ_NONE;
	if (s & 2)
		return;
	FZ_CHECK(vgic_mmio_write(F.vm, 0, F.cfg.gicd_base, 4, 3) == 0);
	for (uint32_t v = 0; v < F.cfg.nr_vcpus; v++)
		FZ_CHECK(
			vgic_mmio_write(F.vm, v,
					F.cfg.gicr_base + 0x20000ull * v + 0x14,
					4, 0) == 0);
}

/*
 * The fresh VM and model of the last configuration, kept so that an input
 * with the same configuration bytes starts from a copy instead of a new
 * vgic_vm_init (which clears its memory byte by byte): the state is the
 * same, the fuzzer runs several times faster.
 */
struct fz_snap {
	bool valid;
	uint8_t key[3];
	size_t size;
	struct model m;
};

static struct fz_snap fz_snap;
static _Alignas(64) unsigned char fz_snap_mem[sizeof(fz_mem)];

static inline void fz_setup(struct fz_in *in)
{
	uint8_t key[3] = {fz_u8(in), fz_u8(in), fz_u8(in)};

	if (fz_snap.valid && !memcmp(key, fz_snap.key, sizeof(key))) {
		memcpy(fz_mem, fz_snap_mem, fz_snap.size);
		memcpy(&F.m, &fz_snap.m, sizeof(F.m));
		memset(F.stopped_on, 0, sizeof(F.stopped_on));
		for (uint32_t p = 0; p < FZ_PCPUS; p++)
			F.running[p] = FZ_NONE;
		return;
	}
	fz_build(key[0], key[1], key[2]);
	fz_snap.valid = true;
	memcpy(fz_snap.key, key, sizeof(key));
	fz_snap.size = vgic_vm_size(&F.cfg);
	memcpy(fz_snap_mem, fz_mem, fz_snap.size);
	memcpy(&fz_snap.m, &F.m, sizeof(F.m));
}

/* ------------------------------------------- internal consistency */

/* One vCPU's ap_list: linked both ways, entries name their holder, the
 * active count matches, and the order holds unless a re-sort is due. */
static inline uint32_t fz_check_list(const struct vgic_vcpu *vc)
{
	uint32_t n = 0, active = 0;
	const struct vgic_irq *prev = NULL;

	for (const struct vgic_irq *i = vc->ap.head; i; i = i->next) {
		FZ_CHECK(i->prev == prev);
		FZ_CHECK(i->vcpu == vc->idx);
		if (prev && !vc->resort)
			FZ_CHECK(prev->sort_key <= i->sort_key);
		active += i->active;
		prev = i;
		FZ_CHECK(++n <= VGIC_NR_PRIVATE + VGIC_MAX_SPIS);
	}
	FZ_CHECK(vc->ap.tail == prev);
	FZ_CHECK(vc->nr_active == active);
	return n;
}

/* One interrupt: an interrupt that must be presented (active, or pending,
 * enabled, routed and its group enabled) sits on some vCPU's list. */
static inline void fz_dump_irq(const struct vgic_irq *irq)
{
	fprintf(stderr,
		"intid %u target %u vcpu %u lr %u prio %u en %d latch %d "
		"line %d active %d g1 %d edge %d hw %d ctlr %u\n",
		irq->intid, irq->target, irq->vcpu, irq->lr, irq->priority,
		irq->enabled, irq->pending_latch, irq->line_level, irq->active,
		irq->group1, irq->edge, irq->hw, F.vm->gicd_ctlr);
}

#define FZ_CHECK_IRQ(irq, c)                                                   \
	do {                                                                   \
		if (!(c)) {                                                    \
			fz_dump_irq(irq);                                      \
			fz_fail(__FILE__, __LINE__, #c);                       \
		}                                                              \
	} while (0)

static inline uint32_t fz_check_irq(const struct vgic_irq *irq)
{
	FZ_CHECK(irq->priority == (irq->priority & F.pri_mask));
	FZ_CHECK(irq->target == VGIC_VCPU_NONE || irq->target < F.cfg.nr_vcpus);
	/* An active SPI routed to no vCPU (GICD_ISACTIVER while its
	 * IROUTER names none) has no list to be on until it is routed. */
	if (vgic_irq_deliverable(F.vm, irq) && irq->target != VGIC_VCPU_NONE)
		FZ_CHECK_IRQ(irq, irq->vcpu != VGIC_VCPU_NONE);
	if (irq->lr)
		FZ_CHECK(irq->vcpu != VGIC_VCPU_NONE &&
			 F.vm->vcpus[irq->vcpu].lr_irq[irq->lr - 1] == irq);
	return irq->vcpu != VGIC_VCPU_NONE;
}

static inline void fz_check_state(void)
{
	uint32_t listed = 0, members = 0;

	for (uint32_t v = 0; v < F.cfg.nr_vcpus; v++) {
		const struct vgic_vcpu *vc = &F.vm->vcpus[v];
		members += fz_check_list(vc);
		for (uint32_t n = 0; n < VGIC_NR_PRIVATE; n++)
			listed += fz_check_irq(&vc->priv[n]);
	}
	for (uint32_t n = 0; n < F.cfg.nr_spis; n++)
		listed += fz_check_irq(&F.vm->spis[n]);
	FZ_CHECK(listed == members);
}

/* --------------------------------------------- register map oracle */

enum fz_kind {
	K_ZERO,	   /* RAZ, reserved, write-only: reads 0 */
	K_CTLR,	   /* GICD_CTLR */
	K_TYPER,   /* GICD_TYPER */
	K_IIDR,	   /* GICD_IIDR, GICR_IIDR */
	K_BIT,	   /* one bit per INTID, read-write state */
	K_PRIO,	   /* IPRIORITYR */
	K_CFG,	   /* ICFGR: Int_config[1] per INTID */
	K_ROUTER,  /* GICD_IROUTER */
	K_ID,	   /* PIDR/CIDR */
	K_RTYPER,  /* GICR_TYPER */
	K_WAKER,   /* GICR_WAKER */
	K_ICFGR0,  /* GICR_ICFGR0: SGIs, always edge */
	K_NOWIDTH, /* no register: any access reads 0 */
};

struct fz_reg {
	uint32_t lo, hi; /* [lo, hi) */
	uint8_t widths;	 /* bit n: n-byte access allowed */
	uint8_t kind;
	uint16_t first; /* per-IRQ: INTID of the byte at lo */
};

#define W4 4u
#define W14 5u
#define W48 12u

/* IHI 0069 Distributor register map (DS == 1, ARE == 1, no LPIs, no
 * extended ranges, no NMIs). Anything not listed reads 0. */
static const struct fz_reg fz_gicd_map[] = {
	{0x0000, 0x0004, W4, K_CTLR, 0},  {0x0004, 0x0008, W4, K_TYPER, 0},
	{0x0008, 0x000c, W4, K_IIDR, 0},  {0x000c, 0x0014, W4, K_ZERO, 0},
	{0x0040, 0x0044, W4, K_ZERO, 0},  {0x0048, 0x004c, W4, K_ZERO, 0},
	{0x0050, 0x0054, W4, K_ZERO, 0},  {0x0058, 0x005c, W4, K_ZERO, 0},
	{0x0080, 0x0400, W4, K_BIT, 0},	  {0x0400, 0x07fc, W14, K_PRIO, 0},
	{0x0800, 0x0bfc, W14, K_ZERO, 0}, {0x0c00, 0x0d00, W4, K_CFG, 0},
	{0x0d00, 0x0f04, W4, K_ZERO, 0},  {0x0f10, 0x0f30, W14, K_ZERO, 0},
	{0x0f80, 0x1000, W4, K_ZERO, 0},  {0x1000, 0x1080, W4, K_ZERO, 0},
	{0x1200, 0x1280, W4, K_ZERO, 0},  {0x1400, 0x1480, W4, K_ZERO, 0},
	{0x1600, 0x1680, W4, K_ZERO, 0},  {0x1800, 0x1880, W4, K_ZERO, 0},
	{0x1a00, 0x1a80, W4, K_ZERO, 0},  {0x1c00, 0x1c80, W4, K_ZERO, 0},
	{0x2000, 0x2400, W14, K_ZERO, 0}, {0x3000, 0x3100, W4, K_ZERO, 0},
	{0x3400, 0x3480, W4, K_ZERO, 0},  {0x3600, 0x3700, W4, K_ZERO, 0},
	{0x3b00, 0x3b80, W4, K_ZERO, 0},  {0x6100, 0x7fe0, W48, K_ROUTER, 32},
	{0x8000, 0xa000, W48, K_ZERO, 0}, {0xffd0, 0x10000, W4, K_ID, 0},
};

/* IHI 0069 Redistributor RD_base map (no LPIs, no MPAM). */
static const struct fz_reg fz_rd_map[] = {
	{0x0000, 0x0004, W4, K_ZERO, 0},    {0x0004, 0x0008, W4, K_IIDR, 0},
	{0x0008, 0x0010, W48, K_RTYPER, 0}, {0x0010, 0x0014, W4, K_ZERO, 0},
	{0x0014, 0x0018, W4, K_WAKER, 0},   {0x0018, 0x0020, W4, K_ZERO, 0},
	{0x0040, 0x0050, W48, K_ZERO, 0},   {0x0070, 0x0080, W48, K_ZERO, 0},
	{0x00a0, 0x00a8, W48, K_ZERO, 0},   {0x00b0, 0x00b8, W48, K_ZERO, 0},
	{0x00c0, 0x00c4, W4, K_ZERO, 0},    {0xffd0, 0x10000, W4, K_ID, 0},
};

/* IHI 0069 SGI_base map: the vCPU's SGIs and PPIs (no extended PPIs). */
static const struct fz_reg fz_sgi_map[] = {
	{0x0080, 0x0084, W4, K_BIT, 0},	   {0x0084, 0x008c, W4, K_ZERO, 0},
	{0x0100, 0x0104, W4, K_BIT, 0},	   {0x0104, 0x010c, W4, K_ZERO, 0},
	{0x0180, 0x0184, W4, K_BIT, 0},	   {0x0184, 0x018c, W4, K_ZERO, 0},
	{0x0200, 0x0204, W4, K_BIT, 0},	   {0x0204, 0x020c, W4, K_ZERO, 0},
	{0x0280, 0x0284, W4, K_BIT, 0},	   {0x0284, 0x028c, W4, K_ZERO, 0},
	{0x0300, 0x0304, W4, K_BIT, 0},	   {0x0304, 0x030c, W4, K_ZERO, 0},
	{0x0380, 0x0384, W4, K_BIT, 0},	   {0x0384, 0x038c, W4, K_ZERO, 0},
	{0x0400, 0x0420, W14, K_PRIO, 0},  {0x0420, 0x0460, W14, K_ZERO, 0},
	{0x0c00, 0x0c04, W4, K_ICFGR0, 0}, {0x0c04, 0x0c08, W4, K_CFG, 16},
	{0x0c08, 0x0c18, W4, K_ZERO, 0},   {0x0d00, 0x0d0c, W4, K_ZERO, 0},
	{0x0e00, 0x0e04, W4, K_ZERO, 0},   {0x0f80, 0x0f8c, W4, K_ZERO, 0},
};

#undef W4
#undef W14
#undef W48

enum fz_frame { FR_GICD, FR_RD, FR_SGI, FR_NONE };

struct fz_decoded {
	enum fz_frame frame;
	uint32_t rd;  /* redistributor index */
	uint32_t off; /* frame offset */
};

/* Where a guest physical address lands, by the config alone. */
static inline struct fz_decoded fz_decode(uint64_t gpa)
{
	struct fz_decoded d = {FR_NONE, 0, 0};
	uint64_t rlen = (uint64_t)F.cfg.nr_vcpus * 0x20000u;

	if (gpa - F.cfg.gicd_base < 0x10000u) {
		d.frame = FR_GICD;
		d.off = (uint32_t)(gpa - F.cfg.gicd_base);
	} else if (gpa - F.cfg.gicr_base < rlen) {
		uint64_t o = gpa - F.cfg.gicr_base;
		d.rd = (uint32_t)(o / 0x20000u);
		d.frame = (o % 0x20000u) < 0x10000u ? FR_RD : FR_SGI;
		d.off = (uint32_t)(o % 0x10000u);
	}
	return d;
}

static inline const struct fz_reg *fz_lookup(const struct fz_reg *map, size_t n,
					     uint32_t off)
{
	for (size_t i = 0; i < n; i++)
		if (off >= map[i].lo && off < map[i].hi)
			return &map[i];
	return NULL;
}

#define FZ_LOOKUP(map, off) fz_lookup(map, sizeof(map) / sizeof(map[0]), off)

/* The register an access may reach, or NULL if it must read as 0:
 * unaligned, no register, or a width the register does not allow. */
static inline const struct fz_reg *fz_reg_of(const struct fz_decoded *d,
					     unsigned len)
{
	const struct fz_reg *r = NULL;

	if (d->off % len)
		return NULL;
	if (d->frame == FR_GICD)
		r = FZ_LOOKUP(fz_gicd_map, d->off);
	else if (d->frame == FR_RD)
		r = FZ_LOOKUP(fz_rd_map, d->off);
	else if (d->frame == FR_SGI)
		r = FZ_LOOKUP(fz_sgi_map, d->off);
	if (!r || !(r->widths & len) || d->off + len > r->hi)
		return NULL;
	return r;
}

/* Bits of a per-IRQ register access that name existing INTIDs: GICD
 * fields of INTIDs 0..31 and of INTIDs beyond the configuration read 0. */
static inline uint64_t fz_exist_mask(const struct fz_decoded *d,
				     const struct fz_reg *r, unsigned bpi,
				     unsigned len)
{
	uint64_t m = 0;
	uint32_t rel = d->off - r->lo;

	if (r->kind == K_BIT)
		rel %= 0x80u; /* GICD: one INTID row per 0x80 bytes */
	uint32_t first = r->first + rel * 8u / bpi;

	for (uint32_t i = 0; i * bpi < len * 8u; i++) {
		uint32_t id = first + i;
		bool ok = d->frame == FR_GICD ? id >= 32 && id < fz_nr_intids()
					      : id < 32;
		if (ok)
			m |= (bpi == 64 ? ~0ull : ((1ull << bpi) - 1))
			     << (i * bpi);
	}
	return m;
}

static inline uint64_t fz_rep8(uint8_t b)
{
	return 0x0101010101010101ull * b;
}

static inline uint64_t fz_width_mask(unsigned len)
{
	return len == 8 ? ~0ull : (1ull << (8 * len)) - 1;
}

static inline uint64_t fz_rtyper(uint32_t rd)
{
	uint64_t mp = F.cfg.mpidr
			      ? F.mpidr[rd]
			      : (uint64_t)(rd % 16) | (uint64_t)(rd / 16) << 8;
	uint64_t aff = (mp >> 32 & 0xff) << 24 | (mp & 0xffffff);
	return aff << 32 | (uint64_t)rd << 8 |
	       (rd == F.cfg.nr_vcpus - 1 ? 0x10u : 0u);
}

static inline uint32_t fz_idreg(uint32_t off, bool gicd)
{
	static const uint8_t ids[12] = {0x44, 0, 0,    0,    0,	   0xb4,
					0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1};
	uint32_t i = (off - 0xffd0u) / 4;

	if (i == 4)
		return gicd ? 0x92u : 0x93u;
	return ids[i];
}

/* A read's value against what the register map allows. */
static inline void fz_check_read(const struct fz_decoded *d, unsigned len,
				 uint64_t v)
{
	const struct fz_reg *r = fz_reg_of(d, len);
	uint32_t iidr = F.cfg.iidr ? F.cfg.iidr : 0x7600043bu;

	FZ_CHECK((v & ~fz_width_mask(len)) == 0);
	if (!r) {
		FZ_CHECK(v == 0);
		return;
	}
	switch (r->kind) {
	case K_ZERO:
	case K_NOWIDTH:
		FZ_CHECK(v == 0);
		break;
	case K_CTLR:
		FZ_CHECK((v & ~3ull) == 0x50);
		break;
	case K_TYPER: {
		uint32_t it = (F.cfg.nr_spis + 31) / 32;
		FZ_CHECK(v == ((9u << 19) | (1u << 24) | (1u << 26) |
			       (it > 31 ? 31 : it)));
		break;
	}
	case K_IIDR:
		FZ_CHECK(v == iidr);
		break;
	case K_BIT:
		FZ_CHECK((v & ~fz_exist_mask(d, r, 1, len)) == 0);
		break;
	case K_PRIO:
		FZ_CHECK((v & ~fz_exist_mask(d, r, 8, len)) == 0);
		FZ_CHECK((v & ~fz_rep8(F.pri_mask)) == 0);
		break;
	case K_CFG:
		FZ_CHECK((v & ~fz_exist_mask(d, r, 2, len)) == 0);
		FZ_CHECK((v & 0x5555555555555555ull) == 0);
		break;
	case K_ROUTER: {
		uint64_t m = fz_exist_mask(d, r, 64, 8) & 0xff80ffffffull;
		if (len == 4)
			m = (m >> ((d->off & 4) * 8)) & 0xffffffffu;
		FZ_CHECK((v & ~m) == 0);
		break;
	}
	case K_ID:
		FZ_CHECK(v == fz_idreg(d->off, d->frame == FR_GICD));
		break;
	case K_RTYPER:
		FZ_CHECK(v ==
			 (len == 8 ? fz_rtyper(d->rd)
				   : (fz_rtyper(d->rd) >> ((d->off & 4) * 8)) &
					     0xffffffffu));
		break;
	case K_WAKER:
		FZ_CHECK(v == 0 || v == 6);
		break;
	case K_ICFGR0:
		FZ_CHECK(v == 0xaaaaaaaau);
		break;
	}
}

/* --------------------------------------------------- MMIO wrappers */

/* The return code vgic_mmio_read/write must give. */
static inline int fz_expected_rc(uint32_t vcpu, uint64_t gpa, unsigned len)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return VGIC_EINVAL;
	if (vcpu >= F.cfg.nr_vcpus)
		return VGIC_ERANGE;
	return fz_decode(gpa).frame == FR_NONE ? VGIC_ENOENT : VGIC_OK;
}

static inline bool fz_read(uint32_t vcpu, uint64_t gpa, unsigned len,
			   uint64_t *v)
{
	struct vgic_stats s0, s1;
	int want = fz_expected_rc(vcpu, gpa, len);

	*v = 0x5a5a5a5a5a5a5a5aull;
	vgic_get_stats(F.vm, &s0);
	int rc = vgic_mmio_read(F.vm, vcpu, gpa, len, v);
	vgic_get_stats(F.vm, &s1);
	FZ_CHECK(rc == want);
	FZ_CHECK(s1.mmio_reads == s0.mmio_reads + (rc == 0));
	if (rc)
		return false;
	struct fz_decoded d = fz_decode(gpa);
	fz_check_read(&d, len, *v);
	return true;
}

static inline uint64_t fz_read_ok(uint32_t vcpu, uint64_t gpa, unsigned len)
{
	uint64_t v;

	FZ_CHECK(fz_read(vcpu, gpa, len, &v));
	return v;
}

/* After a write to a read-write register, its value as read back. */
static inline void fz_check_writeback(uint32_t vcpu, uint64_t gpa, unsigned len,
				      uint64_t val)
{
	struct fz_decoded d = fz_decode(gpa);
	const struct fz_reg *r = fz_reg_of(&d, len);

	if (!r)
		return;
	uint64_t got = fz_read_ok(vcpu, gpa, len);
	val &= fz_width_mask(len);
	uint32_t base = d.off & ~0x7fu;
	switch (r->kind) {
	case K_CTLR:
		FZ_CHECK(got == ((val & 3) | 0x50));
		break;
	case K_WAKER:
		FZ_CHECK(got == ((val & 2) ? 6u : 0u));
		break;
	case K_PRIO:
		FZ_CHECK(got == (val & fz_rep8(F.pri_mask) &
				 fz_exist_mask(&d, r, 8, len)));
		break;
	case K_CFG:
		FZ_CHECK(got ==
			 (val & 0xaaaaaaaau & fz_exist_mask(&d, r, 2, len)));
		break;
	case K_ROUTER: {
		uint64_t m = fz_exist_mask(&d, r, 64, 8) & 0xff80ffffffull;
		if (len == 4)
			m = (m >> ((d.off & 4) * 8)) & 0xffffffffu;
		FZ_CHECK(got == (val & m));
		break;
	}
	case K_BIT: {
		uint64_t m = fz_exist_mask(&d, r, 1, len);
		if (base == 0x80) /* IGROUPR */
			FZ_CHECK(got == (val & m));
		else if (base == 0x100 || base == 0x200 || base == 0x300)
			FZ_CHECK((got & val & m) == (val & m)); /* W1S */
		else if (base == 0x180 || base == 0x380)
			FZ_CHECK((got & val & m) == 0); /* W1C */
		break;
	}
	default:
		break;
	}
}

static inline void fz_write(uint32_t vcpu, uint64_t gpa, unsigned len,
			    uint64_t val)
{
	struct vgic_stats s0, s1;
	int want = fz_expected_rc(vcpu, gpa, len);

	vgic_get_stats(F.vm, &s0);
	int rc = vgic_mmio_write(F.vm, vcpu, gpa, len, val);
	vgic_get_stats(F.vm, &s1);
	FZ_CHECK(rc == want);
	FZ_CHECK(s1.mmio_writes == s0.mmio_writes + (rc == 0));
	if (rc == 0)
		fz_check_writeback(vcpu, gpa, len, val);
}

/* Access widths: mostly valid ones, sometimes not. */
static inline unsigned fz_len(uint8_t b)
{
	static const unsigned lens[16] = {4, 4, 4, 4, 4, 4, 1, 1,
					  1, 8, 8, 8, 2, 2, 3, 16};
	return lens[b % 16];
}

/* A vCPU index, sometimes one past the last. */
static inline uint32_t fz_vcpu(uint8_t b)
{
	return b == 0xff ? F.cfg.nr_vcpus : b % F.cfg.nr_vcpus;
}

/* A guest address anywhere: around the frames or wild. */
static inline uint64_t fz_wild_gpa(struct fz_in *in)
{
	uint8_t sel = fz_u8(in);
	uint64_t off = fz_uint(in, 3);

	switch (sel % 4) {
	case 0:
		return F.cfg.gicd_base + off - 0x8000u;
	case 1:
		return F.cfg.gicr_base + off * 2 - 0x10000u;
	case 2:
		return F.cfg.gicr_base + (uint64_t)F.cfg.nr_vcpus * 0x20000u +
		       off - 0x8000u;
	default:
		return fz_uint(in, 8);
	}
}

/* ----------------------------------------- cross-check with queries */

/* vgic_irq_state() and the guest's view through MMIO agree on `intid`
 * as vCPU `v` sees it. */
static inline void fz_cross_check(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state st;

	if (intid >= fz_nr_intids())
		return;
	FZ_CHECK(vgic_irq_state(F.vm, v, intid, &st) == 0);
	uint64_t base = intid < 32 ? F.cfg.gicr_base + 0x20000ull * v + 0x10000u
				   : F.cfg.gicd_base;
	uint64_t word = base + intid / 32 * 4;
	uint32_t bit = intid % 32;
	FZ_CHECK(((fz_read_ok(v, word + 0x80, 4) >> bit) & 1) == st.group1);
	FZ_CHECK(((fz_read_ok(v, word + 0x100, 4) >> bit) & 1) == st.enabled);
	FZ_CHECK(fz_read_ok(v, base + 0x400 + intid, 1) == st.priority);
	uint64_t cfg = fz_read_ok(v, base + 0xc00 + intid / 16 * 4, 4);
	FZ_CHECK(((cfg >> (intid % 16 * 2 + 1)) & 1) == st.edge);
	if (intid >= 32) {
		uint64_t r = fz_read_ok(v, base + 0x6000 + 8ull * intid, 8);
		FZ_CHECK(st.target == -1 || st.target < (int)F.cfg.nr_vcpus);
		(void)r;
	}
}

/* ------------------------------------- shared by the vCPU targets */

/* A pending interrupt of a group the guest disabled in its CPU interface
 * (ICH_VMCR_EL2.VENG<n>) cannot be taken: flush leaves it out. */
static inline bool fz_held_back(const struct vgic_vcpu *vc,
				const struct vgic_irq *irq)
{
	uint32_t eng = irq->group1 ? VGIC_VMCR_VENG1 : VGIC_VMCR_VENG0;

	return !irq->active && !(vc->vmcr & eng);
}

/* Could the guest take `irq` from an LR now? */
static inline bool fz_takeable(const struct vgic_vcpu *vc,
			       const struct vgic_irq *irq)
{
	return !irq->active && irq->target == vc->idx &&
	       vgic_irq_can_pend(F.vm, irq) && !fz_held_back(vc, irq);
}

/*
 * What the architecture requires of the refill, whatever the placement
 * policy: an interrupt the guest could take that got no LR finds the LRs
 * full with nothing of lower priority; UIE is never set where it would
 * fire at once (it signals while at most one LR is valid, IHI 0069
 * ICH_HCR_EL2.UIE); an active interrupt without an LR sets LRENPIE, so
 * that its EOI is counted (EOIcount), and with EOImode 1 also TDIR, so
 * that its DIR is seen.
 */
static inline void fz_check_overflow(uint32_t v, const struct vgic_cpu_if *cif)
{
	const struct vgic_vcpu *vc = &F.vm->vcpus[v];
	uint32_t lowest = 0, active_out = 0;

	for (uint32_t n = 0; n < cif->nr_lrs_used; n++)
		if (vc->lr_irq[n]->priority > lowest)
			lowest = vc->lr_irq[n]->priority;
	for (const struct vgic_irq *i = vc->ap.head; i; i = i->next) {
		if (i->lr)
			continue;
		active_out += i->active;
		if (fz_takeable(vc, i)) {
			FZ_CHECK_IRQ(i, i->priority >= lowest);
			FZ_CHECK(cif->nr_lrs_used == F.cfg.nr_lrs);
		}
	}
	if (cif->hcr & VGIC_HCR_UIE)
		FZ_CHECK(cif->nr_lrs_used > 1);
	if (active_out) {
		FZ_CHECK(cif->hcr & VGIC_HCR_LRENPIE);
		if (vc->vmcr & VGIC_VMCR_VEOIM)
			FZ_CHECK(cif->hcr & VGIC_HCR_TDIR);
	}
}

/* pCPU p's last entry loaded `intid` pending in an LR. */
static inline bool fz_loaded_pending(uint32_t p, uint32_t intid)
{
	for (uint32_t n = 0; n < F.cfg.nr_lrs; n++) {
		uint64_t lr = F.loaded_lr[p][n];
		if ((lr & VGIC_LR_VINTID_MASK) == intid &&
		    (lr & VGIC_LR_PENDING))
			return true;
	}
	return false;
}

/* ICV_IAR returned `intid` on pCPU p: it was in an LR loaded pending. */
static inline void fz_check_ack(uint32_t p, uint32_t intid)
{
	FZ_CHECK(fz_loaded_pending(p, intid));
}

/* ICV_DIR: trapped when flush set TDIR; the host emulates it. */
static inline void fz_guest_dir(uint32_t p, uint32_t intid)
{
	if (!model_guest_dir(&F.m, p, intid))
		return;
	uint32_t v = (uint32_t)F.running[p];
	fz_exit(p);
	FZ_CHECK(vgic_sysreg_write(F.vm, v, VGIC_SYSREG_DIR, intid) == 0);
	fz_enter(v, p);
}

/* The guest's own CPU interface registers, any value. */
static inline void fz_guest_regs(struct fz_in *in, uint32_t p)
{
	uint8_t k = fz_u8(in);
	uint32_t val = (uint32_t)fz_uint(in, 4);

	switch (k % 5) {
	case 0:
		model_guest_set_pmr(&F.m, p, val);
		break;
	case 1:
		model_guest_set_bpr(&F.m, p, k >> 7, val);
		break;
	case 2:
		model_guest_set_ctlr(&F.m, p, val);
		break;
	case 3:
		model_guest_set_igrpen(&F.m, p, k >> 7, val & 1);
		break;
	default:
		model_guest_set_apr(&F.m, p, k >> 7, (k >> 4) & 3, val);
		break;
	}
}

#endif /* VGIC_FUZZ_H */
