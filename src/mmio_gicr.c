/* SPDX-License-Identifier: MIT */
/*
 * The Redistributor frames (IHI 0069 "The GIC Redistributor register
 * map", 12.11 descriptions): RD_base (control, identification, LPI
 * registers) and SGI_base (the vCPU's SGIs and PPIs). Each vCPU has one
 * of each, 128 KiB apart; handlers get the index of the redistributor
 * accessed in a->rd, which need not be the accessing vCPU's (Linux reads
 * every GICR_TYPER at probe to find its own).
 *
 * LPIs only when configured (cfg.lpi_id_bits): then GICR_TYPER.PLPIS and
 * DirectLPI are 1 and the LPI registers work (lpi.c); otherwise they are
 * reserved and GICR_CTLR has no writable bit. No extended PPI range
 * (PPInum == 0) and no NMIs: those registers are reserved too.
 */
#include "mmio.h"

/* ----------------------------------------------------- GICR_TYPER  */

/* MPIDR layout (Aff3 [39:32], Aff2..Aff0 [23:0]) to Aff3.Aff2.Aff1.Aff0. */
static uint32_t affinity_value(uint64_t mpidr)
{
	return (uint32_t)((mpidr >> 32) & 0xffu) << 24 |
	       (uint32_t)(mpidr & 0xffffffu);
}

static uint64_t gicr_typer(const struct vgic_vm *vm, uint32_t rd)
{
	uint64_t v = (uint64_t)affinity_value(vm->vcpus[rd].mpidr)
		     << VGIC_GICR_TYPER_AFF_SHIFT;

	v |= (uint64_t)rd << VGIC_GICR_TYPER_PROCNUM_SHIFT;
	if (vgic_has_lpis(vm))
		v |= VGIC_GICR_TYPER_PLPIS_BIT | VGIC_GICR_TYPER_DIRECTLPI_BIT;
	/* Last tells the guest's probe loop where the GICR region ends. */
	if (rd == vm->nr_vcpus - 1)
		v |= VGIC_GICR_TYPER_LAST;
	return v;
}

static uint64_t gicr_read_typer(const struct vgic_mmio_access *a)
{
	return vgic_mmio_read_half(a, gicr_typer(a->vm, a->rd));
}

/* ----------------------------------------------------- GICR_WAKER  */

/* ChildrenAsleep follows ProcessorSleep at once: nothing to quiesce. */
static uint64_t gicr_read_waker(const struct vgic_mmio_access *a)
{
	bool s = __atomic_load_n(&a->vm->vcpus[a->rd].sleeping,
				 __ATOMIC_RELAXED);

	return s ? VGIC_GICR_WAKER_PROCESSOR_SLEEP |
			       VGIC_GICR_WAKER_CHILDREN_ASLEEP
		 : 0;
}

/* Only ProcessorSleep is writable; ChildrenAsleep is RO, bits 0 and 31
 * (IMPLEMENTATION DEFINED) are not implemented. */
static void gicr_write_waker(const struct vgic_mmio_access *a, uint64_t val)
{
	vgic_vcpu_set_sleep(a->vm, a->rd,
			    (val & VGIC_GICR_WAKER_PROCESSOR_SLEEP) != 0);
}

/* --------------------------------------------------- LPI registers */

/* GICR_PROPBASER/PENDBASER fields a guest may set (IHI 0069): the rest
 * is RES0. PENDBASER.PTZ [62] is write-only: kept for the enable, read
 * as 0. */
#define PROPBASER_MASK 0x070fffffffffff9fULL
#define PENDBASER_MASK 0x070fffffffff0f80ULL
#define PENDBASER_PTZ (1ULL << 62)
#define GICR_CTLR_ENABLE_LPIS 1u

static struct vgic_vcpu *rd_vcpu(const struct vgic_mmio_access *a)
{
	return &a->vm->vcpus[a->rd];
}

static bool lpis_on(const struct vgic_mmio_access *a)
{
	return __atomic_load_n(&rd_vcpu(a)->lpis_enabled, __ATOMIC_RELAXED);
}

/* GICR_CTLR: EnableLPIs; CES == 0, so once set it stays set; RWP reads
 * 0 (changes complete within the write). */
static uint64_t gicr_read_ctlr(const struct vgic_mmio_access *a)
{
	return vgic_has_lpis(a->vm) && lpis_on(a) ? GICR_CTLR_ENABLE_LPIS : 0;
}

static void gicr_write_ctlr(const struct vgic_mmio_access *a, uint64_t val)
{
	if (vgic_has_lpis(a->vm) && (val & GICR_CTLR_ENABLE_LPIS))
		vgic_lpi_enable(a->vm, a->rd);
}

/* A table base: writable while EnableLPIs == 0 (UNPREDICTABLE after:
 * ignored here). Under lpi_lock, as lpi.c reads it. */
static uint64_t read_base(const struct vgic_mmio_access *a, uint64_t *reg,
			  uint64_t mask)
{
	if (!vgic_has_lpis(a->vm))
		return vgic_mmio_read_reserved(a);
	vgic_lock(&a->vm->lpi_lock);
	uint64_t v = *reg & mask;
	vgic_unlock(&a->vm->lpi_lock);
	return vgic_mmio_read_half(a, v);
}

static void write_base(const struct vgic_mmio_access *a, uint64_t *reg,
		       uint64_t mask, uint64_t val)
{
	if (!vgic_has_lpis(a->vm)) {
		vgic_mmio_write_reserved(a, val);
		return;
	}
	vgic_lock(&a->vm->lpi_lock);
	if (!rd_vcpu(a)->lpis_enabled)
		*reg = vgic_mmio_write_half(a, *reg, val) & mask;
	vgic_unlock(&a->vm->lpi_lock);
}

static uint64_t gicr_read_propbaser(const struct vgic_mmio_access *a)
{
	return read_base(a, &rd_vcpu(a)->propbaser, PROPBASER_MASK);
}

static void gicr_write_propbaser(const struct vgic_mmio_access *a, uint64_t val)
{
	write_base(a, &rd_vcpu(a)->propbaser, PROPBASER_MASK, val);
}

static uint64_t gicr_read_pendbaser(const struct vgic_mmio_access *a)
{
	return read_base(a, &rd_vcpu(a)->pendbaser, PENDBASER_MASK);
}

static void gicr_write_pendbaser(const struct vgic_mmio_access *a, uint64_t val)
{
	write_base(a, &rd_vcpu(a)->pendbaser, PENDBASER_MASK | PENDBASER_PTZ,
		   val);
}

enum lpi_op { LPI_SET, LPI_CLR, LPI_INV, LPI_INVALL };

/* GICR_SETLPIR, GICR_CLRLPIR, GICR_INVLPIR: the INTID in bits [31:0];
 * the upper word carries GICv4.1 fields (RES0 here). GICR_INVALLR: any
 * write. */
static void lpi_write(const struct vgic_mmio_access *a, uint64_t val,
		      enum lpi_op op)
{
	uint32_t intid = (uint32_t)val;

	if (!vgic_has_lpis(a->vm)) {
		vgic_mmio_write_reserved(a, val);
		return;
	}
	if (a->offset & 4)
		return;
	if (op == LPI_SET || op == LPI_CLR)
		vgic_lpi_set_pending(a->vm, a->rd, intid, op == LPI_SET);
	else
		vgic_lpi_invalidate(a->vm, a->rd, intid, op == LPI_INVALL);
}

static void gicr_write_setlpir(const struct vgic_mmio_access *a, uint64_t val)
{
	lpi_write(a, val, LPI_SET);
}

static void gicr_write_clrlpir(const struct vgic_mmio_access *a, uint64_t val)
{
	lpi_write(a, val, LPI_CLR);
}

static void gicr_write_invlpir(const struct vgic_mmio_access *a, uint64_t val)
{
	lpi_write(a, val, LPI_INV);
}

static void gicr_write_invallr(const struct vgic_mmio_access *a, uint64_t val)
{
	lpi_write(a, val, LPI_INVALL);
}

/* The LPI registers are write-only; without LPIs, reserved. */
static uint64_t gicr_read_lpi_wo(const struct vgic_mmio_access *a)
{
	return vgic_has_lpis(a->vm) ? vgic_mmio_read_wo(a)
				    : vgic_mmio_read_reserved(a);
}

/* GICR_SYNCR.Busy: every LPI register write completes within it. */
static uint64_t gicr_read_syncr(const struct vgic_mmio_access *a)
{
	return vgic_has_lpis(a->vm) ? 0 : vgic_mmio_read_reserved(a);
}

static void gicr_write_syncr(const struct vgic_mmio_access *a, uint64_t val)
{
	if (vgic_has_lpis(a->vm))
		vgic_mmio_write_ro(a, val);
	else
		vgic_mmio_write_reserved(a, val);
}

/* ------------------------------------------------------ ID registers */

static uint64_t gicr_read_idreg(const struct vgic_mmio_access *a)
{
	return vgic_mmio_idreg(a->offset, VGIC_PIDR0_GICR);
}

/* ------------------------------------------------ GICR_ICFGR0  */

/* SGIs are always edge-triggered; the register is read-only. */
static uint64_t gicr_read_icfgr0(const struct vgic_mmio_access *a)
{
	(void)a;
	return VGIC_GICR_ICFGR0_SGIS;
}

/* ------------------------------------------------------------- tables */

#define W4 VGIC_W4
#define W14 (VGIC_W1 | VGIC_W4)
#define W48 (VGIC_W4 | VGIC_W8)
#define RAZ vgic_mmio_read_raz
#define WI vgic_mmio_write_wi
#define RO vgic_mmio_write_ro
#define IDREG(off, nm) VGIC_MMIO_REG(off, 4, W4, gicr_read_idreg, RO, nm)

/* RD_base, sorted by offset. */
static const struct vgic_mmio_desc gicr_rd_regs[] = {
	/* GICR_CTLR: EnableLPIs with LPIs, no DPG* bits (DPGS == 0),
	 * RWP and UWP 0 (changes complete at once). */
	VGIC_MMIO_REG(0x0000, 4, W4, gicr_read_ctlr, gicr_write_ctlr,
		      "GICR_CTLR"),
	/* GICR_IIDR, GICR_TYPER (fields: id_regs.h) */
	VGIC_MMIO_REG(0x0004, 4, W4, vgic_mmio_read_iidr, RO, "GICR_IIDR"),
	VGIC_MMIO_REG(0x0008, 8, W48, gicr_read_typer, RO, "GICR_TYPER"),
	/* GICR_STATUSR: optional error reporting, nothing to report */
	VGIC_MMIO_REG(0x0010, 4, W4, RAZ, WI, "GICR_STATUSR"),
	/* GICR_WAKER */
	VGIC_MMIO_REG(0x0014, 4, W4, gicr_read_waker, gicr_write_waker,
		      "GICR_WAKER"),
	/* GICR_MPAMIDR, GICR_PARTIDR (GICv3.3 MPAM): absent */
	VGIC_MMIO_RSVD(0x0018, 4, W4, "GICR_MPAMIDR"),
	VGIC_MMIO_RSVD(0x001c, 4, W4, "GICR_PARTIDR"),
	/* LPI registers: reserved without LPIs (PLPIS == 0, DirectLPI
	 * == 0), else DirectLPI (lpi.c) */
	VGIC_MMIO_REG(0x0040, 8, W48, gicr_read_lpi_wo, gicr_write_setlpir,
		      "GICR_SETLPIR"),
	VGIC_MMIO_REG(0x0048, 8, W48, gicr_read_lpi_wo, gicr_write_clrlpir,
		      "GICR_CLRLPIR"),
	VGIC_MMIO_REG(0x0070, 8, W48, gicr_read_propbaser, gicr_write_propbaser,
		      "GICR_PROPBASER"),
	VGIC_MMIO_REG(0x0078, 8, W48, gicr_read_pendbaser, gicr_write_pendbaser,
		      "GICR_PENDBASER"),
	VGIC_MMIO_REG(0x00a0, 8, W48, gicr_read_lpi_wo, gicr_write_invlpir,
		      "GICR_INVLPIR"),
	VGIC_MMIO_REG(0x00b0, 8, W48, gicr_read_lpi_wo, gicr_write_invallr,
		      "GICR_INVALLR"),
	VGIC_MMIO_REG(0x00c0, 4, W4, gicr_read_syncr, gicr_write_syncr,
		      "GICR_SYNCR"),
	/* Identification registers, GICR_PIDR2 (values: id_regs.h) */
	IDREG(0xffd0, "GICR_PIDR4"),
	IDREG(0xffd4, "GICR_PIDR5"),
	IDREG(0xffd8, "GICR_PIDR6"),
	IDREG(0xffdc, "GICR_PIDR7"),
	IDREG(0xffe0, "GICR_PIDR0"),
	IDREG(0xffe4, "GICR_PIDR1"),
	IDREG(0xffe8, "GICR_PIDR2"),
	IDREG(0xffec, "GICR_PIDR3"),
	IDREG(0xfff0, "GICR_CIDR0"),
	IDREG(0xfff4, "GICR_CIDR1"),
	IDREG(0xfff8, "GICR_CIDR2"),
	IDREG(0xfffc, "GICR_CIDR3"),
};

/* IHI 0069, RD_base map. 0xC000-0xFFCC IMPLEMENTATION DEFINED. */
static const struct vgic_mmio_spec_reg gicr_rd_spec[] = {
	{0x0000, 1, 4, "GICR_CTLR"},	  {0x0004, 1, 4, "GICR_IIDR"},
	{0x0008, 1, 8, "GICR_TYPER"},	  {0x0010, 1, 4, "GICR_STATUSR"},
	{0x0014, 1, 4, "GICR_WAKER"},	  {0x0018, 1, 4, "GICR_MPAMIDR"},
	{0x001c, 1, 4, "GICR_PARTIDR"},	  {0x0040, 1, 8, "GICR_SETLPIR"},
	{0x0048, 1, 8, "GICR_CLRLPIR"},	  {0x0070, 1, 8, "GICR_PROPBASER"},
	{0x0078, 1, 8, "GICR_PENDBASER"}, {0x00a0, 1, 8, "GICR_INVLPIR"},
	{0x00b0, 1, 8, "GICR_INVALLR"},	  {0x00c0, 1, 4, "GICR_SYNCR"},
	{0xffd0, 1, 4, "GICR_PIDR4"},	  {0xffd4, 1, 4, "GICR_PIDR5"},
	{0xffd8, 1, 4, "GICR_PIDR6"},	  {0xffdc, 1, 4, "GICR_PIDR7"},
	{0xffe0, 1, 4, "GICR_PIDR0"},	  {0xffe4, 1, 4, "GICR_PIDR1"},
	{0xffe8, 1, 4, "GICR_PIDR2"},	  {0xffec, 1, 4, "GICR_PIDR3"},
	{0xfff0, 1, 4, "GICR_CIDR0"},	  {0xfff4, 1, 4, "GICR_CIDR1"},
	{0xfff8, 1, 4, "GICR_CIDR2"},	  {0xfffc, 1, 4, "GICR_CIDR3"},
};

const struct vgic_mmio_frame vgic_gicr_rd_frame = {
	.name = "GICR RD_base",
	.regs = gicr_rd_regs,
	.nr_regs = VGIC_MMIO_ARRAY_SIZE(gicr_rd_regs),
	.spec = gicr_rd_spec,
	.nr_spec = VGIC_MMIO_ARRAY_SIZE(gicr_rd_spec),
	.spi_regs = false,
};

/* SGI_base, sorted by offset: INTIDs 0..31 of the redistributor's vCPU.
 * The <n>E registers belong to the extended PPI range (PPInum == 0). */
static const struct vgic_mmio_desc gicr_sgi_regs[] = {
	/* GICR_IGROUPR0. The GICR_*<n>E registers interleaved below
	 * are the extended PPI range: absent, GICR_TYPER.PPInum == 0. */
	VGIC_MMIO_IRQ(0x0080, 4, 0, 1, W4, vgic_mmio_read_group,
		      vgic_mmio_write_group, "GICR_IGROUPR0"),
	VGIC_MMIO_RSVD(0x0084, 8, W4, "GICR_IGROUPRE"),
	/* GICR_ISENABLER0 (W1S), GICR_ICENABLER0 (W1C) */
	VGIC_MMIO_IRQ(0x0100, 4, 0, 1, W4, vgic_mmio_read_enable,
		      vgic_mmio_write_senable, "GICR_ISENABLER0"),
	VGIC_MMIO_RSVD(0x0104, 8, W4, "GICR_ISENABLERE"),
	VGIC_MMIO_IRQ(0x0180, 4, 0, 1, W4, vgic_mmio_read_enable,
		      vgic_mmio_write_cenable, "GICR_ICENABLER0"),
	VGIC_MMIO_RSVD(0x0184, 8, W4, "GICR_ICENABLERE"),
	/* GICR_ISPENDR0 (W1S), GICR_ICPENDR0 (W1C) */
	VGIC_MMIO_IRQ(0x0200, 4, 0, 1, W4, vgic_mmio_read_pending,
		      vgic_mmio_write_spending, "GICR_ISPENDR0"),
	VGIC_MMIO_RSVD(0x0204, 8, W4, "GICR_ISPENDRE"),
	VGIC_MMIO_IRQ(0x0280, 4, 0, 1, W4, vgic_mmio_read_pending,
		      vgic_mmio_write_cpending, "GICR_ICPENDR0"),
	VGIC_MMIO_RSVD(0x0284, 8, W4, "GICR_ICPENDRE"),
	/* GICR_ISACTIVER0 (W1S), GICR_ICACTIVER0 (W1C) */
	VGIC_MMIO_IRQ(0x0300, 4, 0, 1, W4, vgic_mmio_read_active,
		      vgic_mmio_write_sactive, "GICR_ISACTIVER0"),
	VGIC_MMIO_RSVD(0x0304, 8, W4, "GICR_ISACTIVERE"),
	VGIC_MMIO_IRQ(0x0380, 4, 0, 1, W4, vgic_mmio_read_active,
		      vgic_mmio_write_cactive, "GICR_ICACTIVER0"),
	VGIC_MMIO_RSVD(0x0384, 8, W4, "GICR_ICACTIVERE"),
	/* GICR_IPRIORITYR<n>: n = 0..7, byte-accessible */
	VGIC_MMIO_IRQ(0x0400, 0x20, 0, 8, W14, vgic_mmio_read_priority,
		      vgic_mmio_write_priority, "GICR_IPRIORITYR"),
	VGIC_MMIO_RSVD(0x0420, 0x40, W14, "GICR_IPRIORITYRE"),
	/* GICR_ICFGR0: SGIs, RO, edge. GICR_ICFGR1: PPIs; whether
	 * they are programmable is IMPLEMENTATION DEFINED: they are, so a
	 * guest can configure its devices' PPIs as level or edge. */
	VGIC_MMIO_IRQ(0x0c00, 4, 0, 2, W4, gicr_read_icfgr0, RO, "GICR_ICFGR0"),
	VGIC_MMIO_IRQ(0x0c04, 4, 16, 2, W4, vgic_mmio_read_config,
		      vgic_mmio_write_config, "GICR_ICFGR1"),
	VGIC_MMIO_RSVD(0x0c08, 0x10, W4, "GICR_ICFGRE"),
	/* GICR_IGRPMODR0, GICR_NSACR: RAZ/WI when DS == 1 */
	VGIC_MMIO_IRQ(0x0d00, 4, 0, 1, W4, RAZ, WI, "GICR_IGRPMODR0"),
	VGIC_MMIO_RSVD(0x0d04, 8, W4, "GICR_IGRPMODRE"),
	VGIC_MMIO_REG(0x0e00, 4, W4, RAZ, WI, "GICR_NSACR"),
	/* GICR_INMIR0: absent, GICD_TYPER.NMI == 0 */
	VGIC_MMIO_RSVD(0x0f80, 4, W4, "GICR_INMIR0"),
	VGIC_MMIO_RSVD(0x0f84, 8, W4, "GICR_INMIRE"),
};

/* IHI 0069, SGI_base map. */
static const struct vgic_mmio_spec_reg gicr_sgi_spec[] = {
	{0x0080, 1, 4, "GICR_IGROUPR0"},
	{0x0084, 2, 4, "GICR_IGROUPRE"}, /* n = 1..2 */
	{0x0100, 1, 4, "GICR_ISENABLER0"},
	{0x0104, 2, 4, "GICR_ISENABLERE"}, /* n = 1..2 */
	{0x0180, 1, 4, "GICR_ICENABLER0"},
	{0x0184, 2, 4, "GICR_ICENABLERE"},
	{0x0200, 1, 4, "GICR_ISPENDR0"},
	{0x0204, 2, 4, "GICR_ISPENDRE"},
	{0x0280, 1, 4, "GICR_ICPENDR0"},
	{0x0284, 2, 4, "GICR_ICPENDRE"},
	{0x0300, 1, 4, "GICR_ISACTIVER0"},
	{0x0304, 2, 4, "GICR_ISACTIVERE"},
	{0x0380, 1, 4, "GICR_ICACTIVER0"},
	{0x0384, 2, 4, "GICR_ICACTIVERE"},
	{0x0400, 8, 4, "GICR_IPRIORITYR"},   /* n = 0..7 */
	{0x0420, 16, 4, "GICR_IPRIORITYRE"}, /* n = 8..23 */
	{0x0c00, 1, 4, "GICR_ICFGR0"},
	{0x0c04, 1, 4, "GICR_ICFGR1"},
	{0x0c08, 4, 4, "GICR_ICFGRE"}, /* n = 2..5 */
	{0x0d00, 1, 4, "GICR_IGRPMODR0"},
	{0x0d04, 2, 4, "GICR_IGRPMODRE"}, /* n = 1..2 */
	{0x0e00, 1, 4, "GICR_NSACR"},
	{0x0f80, 1, 4, "GICR_INMIR0"},
	{0x0f84, 2, 4, "GICR_INMIRE"}, /* n = 1..2 */
};

const struct vgic_mmio_frame vgic_gicr_sgi_frame = {
	.name = "GICR SGI_base",
	.regs = gicr_sgi_regs,
	.nr_regs = VGIC_MMIO_ARRAY_SIZE(gicr_sgi_regs),
	.spec = gicr_sgi_spec,
	.nr_spec = VGIC_MMIO_ARRAY_SIZE(gicr_sgi_spec),
	.spi_regs = false,
};
