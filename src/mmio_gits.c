/* SPDX-License-Identifier: MIT */
/*
 * The ITS frames (IHI 0069, "ITS register map" and the GITS_*
 * descriptions): the control frame and the translation frame, 64 KiB
 * each. Handlers get the ITS index in a->rd. Registers are read and
 * written under vm->lpi_lock, like everything the ITS holds.
 *
 * GITS_TYPER: physical LPIs only (Virtual == 0), 8-byte ITEs, ID_bits and
 * Devbits from the configuration, no SEIS, RDbase as processor numbers
 * (PTA == 0), no collections held without memory (HCC == 0), collection
 * IDs limited to enough for one per vCPU (CIL == 1, CIDbits).
 * GITS_BASER0 is the device table, GITS_BASER1 the collection table, both
 * 8-byte entries, flat or two-level, any of the three page sizes.
 */
#include "its.h"
#include "mmio.h"

#define CTLR_ENABLED 1u
#define CTLR_QUIESCENT (1u << 31)

#define TYPER_PHYSICAL 1ULL
#define TYPER_ITT_ENTRY_SHIFT 4
#define TYPER_IDBITS_SHIFT 8
#define TYPER_DEVBITS_SHIFT 13
#define TYPER_CIDBITS_SHIFT 32
#define TYPER_CIL (1ULL << 36)

#define CBASER_WRITABLE                                                        \
	0xb8effffffffffcffULL	       /* Valid, caches, PA, Sh, Size          \
					*/
#define CWRITER_OFFSET_MASK 0xfffe0ULL /* [19:5] */
#define CWRITER_RETRY 1ULL
#define CREADR_STALLED 1ULL

#define BASER_TYPE_SHIFT 56
#define BASER_TYPE_DEVICE 1ULL
#define BASER_TYPE_COLLECTION 4ULL
#define BASER_ENTRY_SIZE_SHIFT 48
/* Valid, Indirect, InnerCache, OuterCache, PA, Shareability, Page_Size,
 * Size: all but Type [58:56] and Entry_Size [52:48]. */
#define BASER_WRITABLE 0xf8e0ffffffffffffULL
#define BASER_PAGE_SIZE_MASK (3ULL << 8)

#define GITS_BASER_OFFSET 0x0100u

static struct vgic_its *its_of(const struct vgic_mmio_access *a)
{
	return vgic_its_get(a->vm, a->rd);
}

/* ---------------------------------------------------------- control */

static uint64_t gits_read_ctlr(const struct vgic_mmio_access *a)
{
	bool en = __atomic_load_n(&its_of(a)->enabled, __ATOMIC_RELAXED);

	/* Commands run within the access that queues them: nothing is ever
	 * in progress once the ITS is disabled. */
	return en ? CTLR_ENABLED : CTLR_QUIESCENT;
}

static void gits_write_ctlr(const struct vgic_mmio_access *a, uint64_t val)
{
	struct vgic_its *its = its_of(a);
	bool en = val & CTLR_ENABLED;

	vgic_lock(&a->vm->lpi_lock);
	if (its->enabled && !en)
		vgic_msi_cache_drop_its(a->vm, a->rd);
	__atomic_store_n(&its->enabled, en, __ATOMIC_RELAXED);
	vgic_its_process(a->vm, its);
	vgic_unlock(&a->vm->lpi_lock);
}

static uint64_t gits_typer(const struct vgic_vm *vm)
{
	return TYPER_PHYSICAL |
	       (uint64_t)(VGIC_ITS_ENTRY_SIZE - 1) << TYPER_ITT_ENTRY_SHIFT |
	       (uint64_t)(vm->cfg.its_event_bits - 1) << TYPER_IDBITS_SHIFT |
	       (uint64_t)(vm->cfg.its_device_bits - 1) << TYPER_DEVBITS_SHIFT |
	       (uint64_t)(vm->its_cid_bits - 1) << TYPER_CIDBITS_SHIFT |
	       TYPER_CIL;
}

static uint64_t gits_read_typer(const struct vgic_mmio_access *a)
{
	return vgic_mmio_read_half(a, gits_typer(a->vm));
}

/* -------------------------------------------------- command queue */

static uint64_t locked_read(const struct vgic_mmio_access *a,
			    const uint64_t *reg)
{
	vgic_lock(&a->vm->lpi_lock);
	uint64_t v = *reg;
	vgic_unlock(&a->vm->lpi_lock);
	return vgic_mmio_read_half(a, v);
}

static uint64_t gits_read_cbaser(const struct vgic_mmio_access *a)
{
	return locked_read(a, &its_of(a)->cbaser);
}

/* Ignored while the ITS is enabled (UNPREDICTABLE). A write empties the
 * queue: GITS_CREADR (and with it GITS_CWRITER) become 0. */
static void gits_write_cbaser(const struct vgic_mmio_access *a, uint64_t val)
{
	struct vgic_its *its = its_of(a);

	vgic_lock(&a->vm->lpi_lock);
	if (!its->enabled) {
		its->cbaser = vgic_mmio_write_half(a, its->cbaser, val) &
			      CBASER_WRITABLE;
		its->creadr = its->cwriter = 0;
		its->stalled = false;
	}
	vgic_unlock(&a->vm->lpi_lock);
}

static uint64_t gits_read_cwriter(const struct vgic_mmio_access *a)
{
	vgic_lock(&a->vm->lpi_lock);
	uint64_t v = its_of(a)->cwriter;
	vgic_unlock(&a->vm->lpi_lock);
	return vgic_mmio_read_half(a, v);
}

/* An offset beyond the queue is ignored (UNPREDICTABLE); Retry restarts
 * a stalled queue at the command GITS_CREADR points to. */
static void gits_write_cwriter(const struct vgic_mmio_access *a, uint64_t val)
{
	struct vgic_its *its = its_of(a);

	vgic_lock(&a->vm->lpi_lock);
	uint64_t v = vgic_mmio_write_half(a, its->cwriter, val);
	uint32_t off = (uint32_t)(v & CWRITER_OFFSET_MASK);
	uint32_t size = (uint32_t)((its->cbaser & 0xff) + 1) * 0x1000u;
	if (off < size) {
		its->cwriter = off;
		if (v & CWRITER_RETRY)
			its->stalled = false;
	} else {
		vgic_stat_inc(&a->vm->stats.its_cmd_errors);
	}
	vgic_its_process(a->vm, its);
	vgic_unlock(&a->vm->lpi_lock);
}

static uint64_t gits_read_creadr(const struct vgic_mmio_access *a)
{
	struct vgic_its *its = its_of(a);

	vgic_lock(&a->vm->lpi_lock);
	vgic_its_process(a->vm, its);
	uint64_t v = its->creadr | (its->stalled ? CREADR_STALLED : 0);
	vgic_unlock(&a->vm->lpi_lock);
	return vgic_mmio_read_half(a, v);
}

/* ----------------------------------------------------- GITS_BASER */

static uint32_t baser_index(const struct vgic_mmio_access *a)
{
	return (a->offset - GITS_BASER_OFFSET) / 8u;
}

static uint64_t baser_fixed(uint32_t n)
{
	uint64_t type = n == VGIC_ITS_BASER_DEVICE ? BASER_TYPE_DEVICE
						   : BASER_TYPE_COLLECTION;

	return type << BASER_TYPE_SHIFT | (uint64_t)(VGIC_ITS_ENTRY_SIZE - 1)
						  << BASER_ENTRY_SIZE_SHIFT;
}

static uint64_t gits_read_baser(const struct vgic_mmio_access *a)
{
	uint32_t n = baser_index(a);

	if (n > VGIC_ITS_BASER_COLLECTION)
		return 0; /* Type 0: unimplemented */
	return locked_read(a, &its_of(a)->baser[n]) |
	       vgic_mmio_read_half(a, baser_fixed(n));
}

/* Ignored while the ITS is enabled (UNPREDICTABLE). Page_Size 0b11 is
 * reserved and treated as 64 KiB: stored so. The tables moved, so the
 * cached translations of this ITS go. */
static void gits_write_baser(const struct vgic_mmio_access *a, uint64_t val)
{
	struct vgic_its *its = its_of(a);
	uint32_t n = baser_index(a);

	if (n > VGIC_ITS_BASER_COLLECTION)
		return;
	vgic_lock(&a->vm->lpi_lock);
	if (!its->enabled) {
		uint64_t v = vgic_mmio_write_half(a, its->baser[n], val) &
			     BASER_WRITABLE;
		if ((v & BASER_PAGE_SIZE_MASK) == BASER_PAGE_SIZE_MASK)
			v &= ~(1ULL << 8);
		its->baser[n] = v;
		vgic_msi_cache_drop_its(a->vm, a->rd);
	}
	vgic_unlock(&a->vm->lpi_lock);
}

/* ------------------------------------------------------- translation */

/* A vCPU's own write: DeviceID 0 (a CPU's DeviceID is IMPLEMENTATION
 * DEFINED). The EventID is the value written, 16 or 32 bits. */
static void gits_write_translater(const struct vgic_mmio_access *a,
				  uint64_t val)
{
	vgic_its_msi(a->vm, its_of(a), 0, (uint32_t)val);
}

static uint64_t gits_read_idreg(const struct vgic_mmio_access *a)
{
	return vgic_mmio_idreg(a->offset, VGIC_PIDR0_GITS);
}

/* ------------------------------------------------------------- tables */

#define W4 VGIC_W4
#define W24 (VGIC_W2 | VGIC_W4)
#define W48 (VGIC_W4 | VGIC_W8)
#define RO vgic_mmio_write_ro
#define IDREG(off, nm) VGIC_MMIO_REG(off, 4, W4, gits_read_idreg, RO, nm)

static const struct vgic_mmio_desc gits_ctrl_regs[] = {
	VGIC_MMIO_REG(0x0000, 4, W4, gits_read_ctlr, gits_write_ctlr,
		      "GITS_CTLR"),
	VGIC_MMIO_REG(0x0004, 4, W4, vgic_mmio_read_iidr, RO, "GITS_IIDR"),
	VGIC_MMIO_REG(0x0008, 8, W48, gits_read_typer, RO, "GITS_TYPER"),
	/* GICv4.1 and MPAM registers: absent */
	VGIC_MMIO_RSVD(0x0010, 4, W4, "GITS_MPAMIDR"),
	VGIC_MMIO_RSVD(0x0014, 4, W4, "GITS_PARTIDR"),
	VGIC_MMIO_RSVD(0x0018, 4, W4, "GITS_MPIDR"),
	/* Optional error reporting and UMSI: absent */
	VGIC_MMIO_RSVD(0x0040, 4, W4, "GITS_STATUSR"),
	VGIC_MMIO_RSVD(0x0048, 8, W48, "GITS_UMSIR"),
	VGIC_MMIO_REG(0x0080, 8, W48, gits_read_cbaser, gits_write_cbaser,
		      "GITS_CBASER"),
	VGIC_MMIO_REG(0x0088, 8, W48, gits_read_cwriter, gits_write_cwriter,
		      "GITS_CWRITER"),
	VGIC_MMIO_REG(0x0090, 8, W48, gits_read_creadr, RO, "GITS_CREADR"),
	VGIC_MMIO_REG(0x0100, 64, W48, gits_read_baser, gits_write_baser,
		      "GITS_BASER"),
	IDREG(0xffd0, "GITS_PIDR4"),
	IDREG(0xffd4, "GITS_PIDR5"),
	IDREG(0xffd8, "GITS_PIDR6"),
	IDREG(0xffdc, "GITS_PIDR7"),
	IDREG(0xffe0, "GITS_PIDR0"),
	IDREG(0xffe4, "GITS_PIDR1"),
	IDREG(0xffe8, "GITS_PIDR2"),
	IDREG(0xffec, "GITS_PIDR3"),
	IDREG(0xfff0, "GITS_CIDR0"),
	IDREG(0xfff4, "GITS_CIDR1"),
	IDREG(0xfff8, "GITS_CIDR2"),
	IDREG(0xfffc, "GITS_CIDR3"),
};

/* IHI 0069, ITS control register map. 0xC000-0xFFCC IMPLEMENTATION
 * DEFINED. */
static const struct vgic_mmio_spec_reg gits_ctrl_spec[] = {
	{0x0000, 1, 4, "GITS_CTLR"},	{0x0004, 1, 4, "GITS_IIDR"},
	{0x0008, 1, 8, "GITS_TYPER"},	{0x0010, 1, 4, "GITS_MPAMIDR"},
	{0x0014, 1, 4, "GITS_PARTIDR"}, {0x0018, 1, 4, "GITS_MPIDR"},
	{0x0040, 1, 4, "GITS_STATUSR"}, {0x0048, 1, 8, "GITS_UMSIR"},
	{0x0080, 1, 8, "GITS_CBASER"},	{0x0088, 1, 8, "GITS_CWRITER"},
	{0x0090, 1, 8, "GITS_CREADR"},	{0x0100, 8, 8, "GITS_BASER"},
	{0xffd0, 1, 4, "GITS_PIDR4"},	{0xffd4, 1, 4, "GITS_PIDR5"},
	{0xffd8, 1, 4, "GITS_PIDR6"},	{0xffdc, 1, 4, "GITS_PIDR7"},
	{0xffe0, 1, 4, "GITS_PIDR0"},	{0xffe4, 1, 4, "GITS_PIDR1"},
	{0xffe8, 1, 4, "GITS_PIDR2"},	{0xffec, 1, 4, "GITS_PIDR3"},
	{0xfff0, 1, 4, "GITS_CIDR0"},	{0xfff4, 1, 4, "GITS_CIDR1"},
	{0xfff8, 1, 4, "GITS_CIDR2"},	{0xfffc, 1, 4, "GITS_CIDR3"},
};

const struct vgic_mmio_frame vgic_gits_ctrl_frame = {
	.name = "GITS control",
	.regs = gits_ctrl_regs,
	.nr_regs = VGIC_MMIO_ARRAY_SIZE(gits_ctrl_regs),
	.spec = gits_ctrl_spec,
	.nr_spec = VGIC_MMIO_ARRAY_SIZE(gits_ctrl_spec),
	.spi_regs = false,
};

static const struct vgic_mmio_desc gits_xlat_regs[] = {
	VGIC_MMIO_REG(0x0040, 4, W24, vgic_mmio_read_wo, gits_write_translater,
		      "GITS_TRANSLATER"),
};

static const struct vgic_mmio_spec_reg gits_xlat_spec[] = {
	{0x0040, 1, 4, "GITS_TRANSLATER"},
};

const struct vgic_mmio_frame vgic_gits_xlat_frame = {
	.name = "GITS translation",
	.regs = gits_xlat_regs,
	.nr_regs = VGIC_MMIO_ARRAY_SIZE(gits_xlat_regs),
	.spec = gits_xlat_spec,
	.nr_spec = VGIC_MMIO_ARRAY_SIZE(gits_xlat_spec),
	.spi_regs = false,
};
