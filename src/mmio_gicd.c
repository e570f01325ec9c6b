/* SPDX-License-Identifier: MIT */
/*
 * The Distributor frame (IHI 0069 "The GIC Distributor register map",
 * 12.9 descriptions): its descriptor table, the spec's map transcribed
 * apart for the self-test, and the handlers of GICD-only registers.
 *
 * Configuration as the guest sees it: affinity routing always on
 * (GICD_CTLR.ARE RAO/WI), one Security state (DS RAO/WI), no LPIs, no
 * message-based SPIs, no extended SPIs, no NMIs. Registers that exist only
 * for features we lack stay in the table as "reserved" entries, so the map
 * stays complete and their accesses are counted as mmio_reserved.
 */
#include "mmio.h"

/* ------------------------------------------------- GICD_CTLR */

static uint64_t gicd_read_ctlr(const struct vgic_mmio_access *a)
{
	uint32_t grps = __atomic_load_n(&a->vm->gicd_ctlr, __ATOMIC_RELAXED);

	/* RWP reads 0: group enable changes take effect within the write. */
	return (grps & VGIC_GICD_CTLR_ENABLE_GRPS) | VGIC_GICD_CTLR_FIXED;
}

/* Only EnableGrp0/1 are writable; ARE and DS are RAO/WI, the rest RES0. */
static void gicd_write_ctlr(const struct vgic_mmio_access *a, uint64_t val)
{
	vgic_dist_set_ctlr(a->vm, (uint32_t)val & VGIC_GICD_CTLR_ENABLE_GRPS);
}

/* ------------------------------------------------------ GICD_TYPER(2) */

/* With LPIs: LPIS, and IDbits covers the LPI INTID space (IHI 0069,
 * GICD_TYPER.IDbits: the number of INTID bits minus one). */
static uint64_t gicd_read_typer(const struct vgic_mmio_access *a)
{
	uint64_t v = vgic_gicd_itlines(a->vm->nr_spis) |
		     (uint64_t)VGIC_GICD_TYPER_FIXED;

	if (vgic_has_lpis(a->vm)) {
		v &= ~(uint64_t)VGIC_GICD_TYPER_IDBITS_MASK;
		v |= VGIC_GICD_TYPER_LPIS_BIT |
		     (uint64_t)(a->vm->cfg.lpi_id_bits - 1u)
			     << VGIC_GICD_TYPER_IDBITS_SHIFT;
	}
	return v;
}

static uint64_t gicd_read_typer2(const struct vgic_mmio_access *a)
{
	(void)a;
	return VGIC_GICD_TYPER2;
}

/* --------------------------------------------------------- GICD_SGIR */

/* With affinity routing, SGIs come from ICC_SGI1R_EL1 & co.: GICD_SGIR
 * is WI. It stays write-only, so a read is counted. */
static void gicd_write_sgir(const struct vgic_mmio_access *a, uint64_t val)
{
	(void)a;
	(void)val;
}

/* ------------------------------------------- GICD_IROUTER<n> */

static uint64_t irouter_load(const struct vgic_mmio_access *a)
{
	struct vgic_irq *irq = vgic_irq_lookup(a->vm, a->rd, a->intid);

	VGIC_ASSERT(irq); /* mmio.c checked the INTID */
	vgic_lock(&irq->lock);
	uint64_t v = __atomic_load_n(
		&a->vm->irouter[a->intid - VGIC_NR_SPI_BASE], __ATOMIC_RELAXED);
	vgic_unlock(&irq->lock);
	return v;
}

static uint64_t gicd_read_irouter(const struct vgic_mmio_access *a)
{
	return vgic_mmio_read_half(a, irouter_load(a));
}

/* A 32-bit write replaces one half. Two vCPUs racing on the two halves
 * of one IROUTER may lose one update, as they may on a real GIC's
 * read-modify-write in software; the result is still a valid route. */
static void gicd_write_irouter(const struct vgic_mmio_access *a, uint64_t val)
{
	struct vgic_irq *irq = vgic_irq_lookup(a->vm, a->rd, a->intid);
	uint64_t v = vgic_mmio_write_half(a, irouter_load(a), val);

	vgic_irq_set_router(a->vm, irq, v & VGIC_GICD_IROUTER_MASK);
}

/* ------------------------------------------------------ ID registers */

static uint64_t gicd_read_idreg(const struct vgic_mmio_access *a)
{
	return vgic_mmio_idreg(a->offset, VGIC_PIDR0_GICD);
}

/* ------------------------------------------------------------- table */

#define W4 VGIC_W4
#define W14 (VGIC_W1 | VGIC_W4)
#define W48 (VGIC_W4 | VGIC_W8)
#define RAZ vgic_mmio_read_raz
#define WI vgic_mmio_write_wi
#define RO vgic_mmio_write_ro
#define IDREG(off, nm) VGIC_MMIO_REG(off, 4, W4, gicd_read_idreg, RO, nm)

/* Sorted by offset. Per-IRQ arrays cover INTIDs 0..1023 (their INTID
 * 0..31 and beyond-configuration fields are handled by mmio.c); arrays
 * with one field per byte stop at INTID 1019 as in the spec. */
static const struct vgic_mmio_desc gicd_regs[] = {
	/* GICD_CTLR */
	VGIC_MMIO_REG(0x0000, 4, W4, gicd_read_ctlr, gicd_write_ctlr,
		      "GICD_CTLR"),
	/* GICD_TYPER (fields: id_regs.h) */
	VGIC_MMIO_REG(0x0004, 4, W4, gicd_read_typer, RO, "GICD_TYPER"),
	/* GICD_IIDR */
	VGIC_MMIO_REG(0x0008, 4, W4, vgic_mmio_read_iidr, RO, "GICD_IIDR"),
	/* GICD_TYPER2: no GICv4.1 features */
	VGIC_MMIO_REG(0x000c, 4, W4, gicd_read_typer2, RO, "GICD_TYPER2"),
	/* GICD_STATUSR: optional error reporting, nothing to report */
	VGIC_MMIO_REG(0x0010, 4, W4, RAZ, WI, "GICD_STATUSR"),
	/* GICD_SETSPI_NSR/SR, GICD_CLRSPI_NSR/SR: absent,
	 * GICD_TYPER.MBIS == 0 (no message-based SPIs) */
	VGIC_MMIO_RSVD(0x0040, 4, W4, "GICD_SETSPI_NSR"),
	VGIC_MMIO_RSVD(0x0048, 4, W4, "GICD_CLRSPI_NSR"),
	VGIC_MMIO_RSVD(0x0050, 4, W4, "GICD_SETSPI_SR"),
	VGIC_MMIO_RSVD(0x0058, 4, W4, "GICD_CLRSPI_SR"),
	/* GICD_IGROUPR<n> */
	VGIC_MMIO_IRQ(0x0080, 0x80, 0, 1, W4, vgic_mmio_read_group,
		      vgic_mmio_write_group, "GICD_IGROUPR"),
	/* GICD_ISENABLER<n> (W1S), GICD_ICENABLER<n> (W1C) */
	VGIC_MMIO_IRQ(0x0100, 0x80, 0, 1, W4, vgic_mmio_read_enable,
		      vgic_mmio_write_senable, "GICD_ISENABLER"),
	VGIC_MMIO_IRQ(0x0180, 0x80, 0, 1, W4, vgic_mmio_read_enable,
		      vgic_mmio_write_cenable, "GICD_ICENABLER"),
	/* GICD_ISPENDR<n> (W1S), GICD_ICPENDR<n> (W1C) */
	VGIC_MMIO_IRQ(0x0200, 0x80, 0, 1, W4, vgic_mmio_read_pending,
		      vgic_mmio_write_spending, "GICD_ISPENDR"),
	VGIC_MMIO_IRQ(0x0280, 0x80, 0, 1, W4, vgic_mmio_read_pending,
		      vgic_mmio_write_cpending, "GICD_ICPENDR"),
	/* GICD_ISACTIVER<n> (W1S), GICD_ICACTIVER<n> (W1C) */
	VGIC_MMIO_IRQ(0x0300, 0x80, 0, 1, W4, vgic_mmio_read_active,
		      vgic_mmio_write_sactive, "GICD_ISACTIVER"),
	VGIC_MMIO_IRQ(0x0380, 0x80, 0, 1, W4, vgic_mmio_read_active,
		      vgic_mmio_write_cactive, "GICD_ICACTIVER"),
	/* GICD_IPRIORITYR<n>: byte-accessible */
	VGIC_MMIO_IRQ(0x0400, 0x3fc, 0, 8, W14, vgic_mmio_read_priority,
		      vgic_mmio_write_priority, "GICD_IPRIORITYR"),
	/* GICD_ITARGETSR<n>: used only when ARE == 0, so RAZ/WI;
	 * byte-accessible */
	VGIC_MMIO_IRQ(0x0800, 0x3fc, 0, 8, W14, RAZ, WI, "GICD_ITARGETSR"),
	/* GICD_ICFGR<n> */
	VGIC_MMIO_IRQ(0x0c00, 0x100, 0, 2, W4, vgic_mmio_read_config,
		      vgic_mmio_write_config, "GICD_ICFGR"),
	/* GICD_IGRPMODR<n>, GICD_NSACR<n>: RAZ/WI when
	 * DS == 1 */
	VGIC_MMIO_IRQ(0x0d00, 0x80, 0, 1, W4, RAZ, WI, "GICD_IGRPMODR"),
	VGIC_MMIO_IRQ(0x0e00, 0x100, 0, 2, W4, RAZ, WI, "GICD_NSACR"),
	/* GICD_SGIR (WO), GICD_CPENDSGIR<n> and 12.9
	 * GICD_SPENDSGIR<n> (byte-accessible): the legacy (ARE == 0) SGI
	 * paths, WI and RAZ/WI here */
	VGIC_MMIO_REG(0x0f00, 4, W4, vgic_mmio_read_wo, gicd_write_sgir,
		      "GICD_SGIR"),
	VGIC_MMIO_REG(0x0f10, 0x10, W14, RAZ, WI, "GICD_CPENDSGIR"),
	VGIC_MMIO_REG(0x0f20, 0x10, W14, RAZ, WI, "GICD_SPENDSGIR"),
	/* GICD_INMIR<n>: absent, GICD_TYPER.NMI == 0 */
	VGIC_MMIO_RSVD(0x0f80, 0x80, W4, "GICD_INMIR"),
	/* GICD_*<n>E, the extended SPI range: absent,
	 * GICD_TYPER.ESPI == 0 */
	VGIC_MMIO_RSVD(0x1000, 0x80, W4, "GICD_IGROUPRE"),
	VGIC_MMIO_RSVD(0x1200, 0x80, W4, "GICD_ISENABLERE"),
	VGIC_MMIO_RSVD(0x1400, 0x80, W4, "GICD_ICENABLERE"),
	VGIC_MMIO_RSVD(0x1600, 0x80, W4, "GICD_ISPENDRE"),
	VGIC_MMIO_RSVD(0x1800, 0x80, W4, "GICD_ICPENDRE"),
	VGIC_MMIO_RSVD(0x1a00, 0x80, W4, "GICD_ISACTIVERE"),
	VGIC_MMIO_RSVD(0x1c00, 0x80, W4, "GICD_ICACTIVERE"),
	VGIC_MMIO_RSVD(0x2000, 0x400, W14, "GICD_IPRIORITYRE"),
	VGIC_MMIO_RSVD(0x3000, 0x100, W4, "GICD_ICFGRE"),
	VGIC_MMIO_RSVD(0x3400, 0x80, W4, "GICD_IGRPMODRE"),
	VGIC_MMIO_RSVD(0x3600, 0x100, W4, "GICD_NSACRE"),
	VGIC_MMIO_RSVD(0x3b00, 0x80, W4, "GICD_INMIRE"),
	/* GICD_IROUTER<n>: n = 32..1019, 64-bit, 32-bit halves */
	VGIC_MMIO_IRQ(0x6100, 0x1ee0, 32, 64, W48, gicd_read_irouter,
		      gicd_write_irouter, "GICD_IROUTER"),
	VGIC_MMIO_RSVD(0x8000, 0x2000, W48, "GICD_IROUTERE"),
	/* Identification registers, GICD_PIDR2 (values: id_regs.h) */
	IDREG(0xffd0, "GICD_PIDR4"),
	IDREG(0xffd4, "GICD_PIDR5"),
	IDREG(0xffd8, "GICD_PIDR6"),
	IDREG(0xffdc, "GICD_PIDR7"),
	IDREG(0xffe0, "GICD_PIDR0"),
	IDREG(0xffe4, "GICD_PIDR1"),
	IDREG(0xffe8, "GICD_PIDR2"),
	IDREG(0xffec, "GICD_PIDR3"),
	IDREG(0xfff0, "GICD_CIDR0"),
	IDREG(0xfff4, "GICD_CIDR1"),
	IDREG(0xfff8, "GICD_CIDR2"),
	IDREG(0xfffc, "GICD_CIDR3"),
};

/*
 * The spec's map (IHI 0069, "Distributor register map"), written as
 * the spec lists it: base offset, number of registers, register size.
 * 0xC000-0xFFCC (IMPLEMENTATION DEFINED) and the gaps are reserved.
 */
static const struct vgic_mmio_spec_reg gicd_spec[] = {
	{0x0000, 1, 4, "GICD_CTLR"},
	{0x0004, 1, 4, "GICD_TYPER"},
	{0x0008, 1, 4, "GICD_IIDR"},
	{0x000c, 1, 4, "GICD_TYPER2"},
	{0x0010, 1, 4, "GICD_STATUSR"},
	{0x0040, 1, 4, "GICD_SETSPI_NSR"},
	{0x0048, 1, 4, "GICD_CLRSPI_NSR"},
	{0x0050, 1, 4, "GICD_SETSPI_SR"},
	{0x0058, 1, 4, "GICD_CLRSPI_SR"},
	{0x0080, 32, 4, "GICD_IGROUPR"},     /* n = 0..31 */
	{0x0100, 32, 4, "GICD_ISENABLER"},   /* n = 0..31 */
	{0x0180, 32, 4, "GICD_ICENABLER"},   /* n = 0..31 */
	{0x0200, 32, 4, "GICD_ISPENDR"},     /* n = 0..31 */
	{0x0280, 32, 4, "GICD_ICPENDR"},     /* n = 0..31 */
	{0x0300, 32, 4, "GICD_ISACTIVER"},   /* n = 0..31 */
	{0x0380, 32, 4, "GICD_ICACTIVER"},   /* n = 0..31 */
	{0x0400, 255, 4, "GICD_IPRIORITYR"}, /* n = 0..254 */
	{0x0800, 255, 4, "GICD_ITARGETSR"},  /* n = 0..254 */
	{0x0c00, 64, 4, "GICD_ICFGR"},	     /* n = 0..63 */
	{0x0d00, 32, 4, "GICD_IGRPMODR"},    /* n = 0..31 */
	{0x0e00, 64, 4, "GICD_NSACR"},	     /* n = 0..63 */
	{0x0f00, 1, 4, "GICD_SGIR"},
	{0x0f10, 4, 4, "GICD_CPENDSGIR"}, /* n = 0..3 */
	{0x0f20, 4, 4, "GICD_SPENDSGIR"}, /* n = 0..3 */
	{0x0f80, 32, 4, "GICD_INMIR"},	  /* n = 0..31 */
	{0x1000, 32, 4, "GICD_IGROUPRE"}, /* n = 0..31 */
	{0x1200, 32, 4, "GICD_ISENABLERE"},
	{0x1400, 32, 4, "GICD_ICENABLERE"},
	{0x1600, 32, 4, "GICD_ISPENDRE"},
	{0x1800, 32, 4, "GICD_ICPENDRE"},
	{0x1a00, 32, 4, "GICD_ISACTIVERE"},
	{0x1c00, 32, 4, "GICD_ICACTIVERE"},
	{0x2000, 256, 4, "GICD_IPRIORITYRE"}, /* n = 0..255 */
	{0x3000, 64, 4, "GICD_ICFGRE"},	      /* n = 0..63 */
	{0x3400, 32, 4, "GICD_IGRPMODRE"},
	{0x3600, 64, 4, "GICD_NSACRE"},
	{0x3b00, 32, 4, "GICD_INMIRE"},
	{0x6100, 988, 8, "GICD_IROUTER"},   /* n = 32..1019 */
	{0x8000, 1024, 8, "GICD_IROUTERE"}, /* n = 0..1023 */
	{0xffd0, 1, 4, "GICD_PIDR4"},
	{0xffd4, 1, 4, "GICD_PIDR5"},
	{0xffd8, 1, 4, "GICD_PIDR6"},
	{0xffdc, 1, 4, "GICD_PIDR7"},
	{0xffe0, 1, 4, "GICD_PIDR0"},
	{0xffe4, 1, 4, "GICD_PIDR1"},
	{0xffe8, 1, 4, "GICD_PIDR2"},
	{0xffec, 1, 4, "GICD_PIDR3"},
	{0xfff0, 1, 4, "GICD_CIDR0"},
	{0xfff4, 1, 4, "GICD_CIDR1"},
	{0xfff8, 1, 4, "GICD_CIDR2"},
	{0xfffc, 1, 4, "GICD_CIDR3"},
};

const struct vgic_mmio_frame vgic_gicd_frame = {
	.name = "GICD",
	.regs = gicd_regs,
	.nr_regs = VGIC_MMIO_ARRAY_SIZE(gicd_regs),
	.spec = gicd_spec,
	.nr_spec = VGIC_MMIO_ARRAY_SIZE(gicd_spec),
	.spi_regs = true,
};
