/* SPDX-License-Identifier: MIT */
/*
 * Memory-mapped registers of the physical Distributor (GICD_*) and
 * Redistributors (GICR_*), offsets from the register maps of IHI 0069
 * (GICD, GICR RD_base and SGI_base frames).
 *
 * The per-INTID registers are one table of ranges, each with its bits per
 * INTID and the attribute it reads or writes; the same attribute handlers
 * serve GICD (INTIDs 32.., those below are RAZ/WI with ARE == 1) and the
 * GICR SGI_base frame (INTIDs 0..31 of that Redistributor). The LPI
 * registers of the RD_base frame are lpi.c's.
 */
#include "model_internal.h"

#define GICR_SGI_BASE 0x10000u
#define FRAME_SIZE 0x10000u

/* Values of the ID registers (all chosen here, listed in one place). */
#define MODEL_IIDR 0x0000043bu /* ProductID 0, Arm's JEP106 code */
#define MODEL_PIDR2 0x3bu      /* ArchRev [7:4] = 3: GICv3 */

enum irq_attr {
	ATTR_GROUP,
	ATTR_SET_ENABLE,
	ATTR_CLEAR_ENABLE,
	ATTR_SET_PENDING,
	ATTR_CLEAR_PENDING,
	ATTR_SET_ACTIVE,
	ATTR_CLEAR_ACTIVE,
	ATTR_PRIORITY,
	ATTR_CONFIG,
};

struct irq_range {
	uint32_t off;  /* within the Distributor or the SGI_base frame */
	uint32_t size; /* bytes in the Distributor */
	uint8_t bits;  /* per INTID */
	enum irq_attr attr;
};

/* Sorted by offset. GICD_<reg>R<n> and GICR_<reg>R0 share offsets. */
static const struct irq_range irq_ranges[] = {
	{0x0080, 0x080, 1, ATTR_GROUP},		/* IGROUPR */
	{0x0100, 0x080, 1, ATTR_SET_ENABLE},	/* ISENABLER */
	{0x0180, 0x080, 1, ATTR_CLEAR_ENABLE},	/* ICENABLER */
	{0x0200, 0x080, 1, ATTR_SET_PENDING},	/* ISPENDR */
	{0x0280, 0x080, 1, ATTR_CLEAR_PENDING}, /* ICPENDR */
	{0x0300, 0x080, 1, ATTR_SET_ACTIVE},	/* ISACTIVER */
	{0x0380, 0x080, 1, ATTR_CLEAR_ACTIVE},	/* ICACTIVER */
	{0x0400, 0x400, 8, ATTR_PRIORITY},	/* IPRIORITYR */
	{0x0c00, 0x100, 2, ATTR_CONFIG},	/* ICFGR */
};

#define NR_RANGES (sizeof(irq_ranges) / sizeof(irq_ranges[0]))

/* ------------------------------------------------ attribute handlers */

static uint32_t attr_read(const struct model_irq *irq, enum irq_attr attr)
{
	switch (attr) {
	case ATTR_GROUP:
		return irq->group1;
	case ATTR_SET_ENABLE:
	case ATTR_CLEAR_ENABLE:
		return irq->enabled;
	case ATTR_SET_PENDING:
	case ATTR_CLEAR_PENDING:
		return model_irq_pending(irq);
	case ATTR_SET_ACTIVE:
	case ATTR_CLEAR_ACTIVE:
		return irq->active;
	case ATTR_PRIORITY:
		return irq->priority;
	case ATTR_CONFIG:
		return irq->edge ? 2u : 0u;
	}
	return 0;
}

/* Set/clear registers act on 1 bits only; ICFGR's bit 0 is RES0 and SGI
 * configuration is read-only (GICR_ICFGR0). */
static void attr_write(struct model *m, struct model_irq *irq, uint32_t intid,
		       enum irq_attr attr, uint32_t v)
{
	switch (attr) {
	case ATTR_GROUP:
		irq->group1 = v;
		break;
	case ATTR_SET_ENABLE:
	case ATTR_CLEAR_ENABLE:
		if (v)
			irq->enabled = attr == ATTR_SET_ENABLE;
		break;
	case ATTR_SET_PENDING:
	case ATTR_CLEAR_PENDING:
		if (v)
			irq->latch = attr == ATTR_SET_PENDING;
		break;
	case ATTR_SET_ACTIVE:
	case ATTR_CLEAR_ACTIVE:
		if (v)
			irq->active = attr == ATTR_SET_ACTIVE;
		break;
	case ATTR_PRIORITY:
		irq->priority = (uint8_t)v & model_prio_mask(m->cfg.pri_bits);
		break;
	case ATTR_CONFIG:
		if (intid >= VGIC_NR_SGIS)
			irq->edge = v & 2;
		break;
	}
}

/* ---------------------------------------------------- range access */

static const struct irq_range *range_find(uint32_t off)
{
	for (size_t i = 0; i < NR_RANGES; i++)
		if (off >= irq_ranges[i].off &&
		    off < irq_ranges[i].off + irq_ranges[i].size)
			return &irq_ranges[i];
	return NULL;
}

/* IPRIORITYR is byte-accessible, every other per-INTID register 32-bit. */
static bool range_width_ok(const struct irq_range *r, unsigned len)
{
	return len == 4 || (len == 1 && r->bits == 8);
}

/* INTIDs the Redistributor (`redist`) or the Distributor owns. */
static bool intid_owned(const struct model *m, uint32_t intid, bool redist)
{
	if (redist)
		return intid < MODEL_NR_PRIVATE;
	return intid >= MODEL_NR_PRIVATE && intid < model_nr_intids(m);
}

static uint32_t range_first_intid(const struct irq_range *r, uint32_t off)
{
	return (off - r->off) * 8 / r->bits;
}

static uint64_t range_read(struct model *m, uint32_t pcpu, bool redist,
			   const struct irq_range *r, uint32_t off,
			   unsigned len)
{
	uint32_t first = range_first_intid(r, off);
	uint32_t mask = (1u << r->bits) - 1;
	uint64_t val = 0;

	for (uint32_t i = 0; i < len * 8u / r->bits; i++) {
		const struct model_irq *irq = model_irq(m, pcpu, first + i);

		if (irq && intid_owned(m, first + i, redist))
			val |= (uint64_t)(attr_read(irq, r->attr) & mask)
			       << (i * r->bits);
	}
	return val;
}

static void range_write(struct model *m, uint32_t pcpu, bool redist,
			const struct irq_range *r, uint32_t off, unsigned len,
			uint64_t val)
{
	uint32_t first = range_first_intid(r, off);
	uint32_t mask = (1u << r->bits) - 1;

	for (uint32_t i = 0; i < len * 8u / r->bits; i++) {
		struct model_irq *irq = model_irq(m, pcpu, first + i);
		uint32_t v = (uint32_t)(val >> (i * r->bits)) & mask;

		if (irq && intid_owned(m, first + i, redist))
			attr_write(m, irq, first + i, r->attr, v);
	}
}

/* ----------------------------------------------------- GICD frame */

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IROUTER 0x6000
#define GICD_IROUTER_END 0x7fe0 /* IROUTER<1019> + 8 */
#define GICD_PIDR2 0xffe8

#define GICD_CTLR_WRITABLE 0x3u	     /* EnableGrp0, EnableGrp1 (DS == 1) */
#define GICD_CTLR_RAO 0x50u	     /* ARE [4], DS [6] */
#define IROUTER_MASK 0xff00ffffffull /* Aff3, Aff2..0; IRM RES0: No1N */

/*
 * GICD_TYPER: ITLinesNumber [4:0], CPUNumber [7:5], num_LPIs [15:11] = 0
 * (IDbits says), LPIS [17], IDbits [23:19] = 13 (14 INTID bits: LPIs
 * 8192..16383), A3V [24], No1N [25]; SecurityExtn, MBIS = 0.
 */
static uint32_t gicd_typer(const struct model *m)
{
	uint32_t lines = (model_nr_intids(m) + 31) / 32 - 1;
	uint32_t cpus = m->cfg.nr_pcpus > 8 ? 7 : m->cfg.nr_pcpus - 1;

	return lines | (cpus << 5) | (1u << 17) |
	       ((MODEL_LPI_ID_BITS - 1u) << 19) | (1u << 24) | (1u << 25);
}

/* IROUTER<n> index for a GICD offset, or 0 if not an SPI's register. */
static uint32_t irouter_intid(const struct model *m, uint32_t off)
{
	uint32_t intid = (off - GICD_IROUTER) / 8;

	if (intid < MODEL_NR_PRIVATE || intid >= model_nr_intids(m))
		return 0;
	return intid;
}

/* 64-bit, or 32-bit to either half (IHI 0069, GICD_IROUTER<n>). */
static int irouter_access(struct model *m, uint32_t off, unsigned len,
			  uint64_t *val, bool write)
{
	uint32_t intid = irouter_intid(m, off & ~7u);
	unsigned shift = (off & 4) * 8;
	uint64_t *reg, mask;

	if (len != 8 && len != 4)
		return VGIC_EINVAL;
	if (!intid) {
		if (!write)
			*val = 0;
		return VGIC_OK;
	}
	reg = &m->irouter[intid - MODEL_NR_PRIVATE];
	mask = (len == 8 ? ~0ull : 0xffffffffull) << shift;
	if (write)
		*reg = (*reg & ~mask) | ((*val << shift) & mask & IROUTER_MASK);
	else
		*val = (*reg & mask) >> shift;
	return VGIC_OK;
}

static bool aligned(uint32_t off, unsigned len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) &&
	       (off & (len - 1)) == 0;
}

static int gicd_misc_read(const struct model *m, uint32_t off, uint64_t *val)
{
	switch (off) {
	case GICD_CTLR:
		*val = m->gicd_ctlr | GICD_CTLR_RAO;
		break;
	case GICD_TYPER:
		*val = gicd_typer(m);
		break;
	case GICD_IIDR:
		*val = MODEL_IIDR;
		break;
	case GICD_PIDR2:
		*val = MODEL_PIDR2;
		break;
	default:
		*val = 0; /* reserved: RAZ */
	}
	return VGIC_OK;
}

int model_gicd_read(struct model *m, uint32_t off, unsigned len, uint64_t *val)
{
	const struct irq_range *r = range_find(off);

	*val = 0;
	if (off >= FRAME_SIZE)
		return VGIC_ERANGE;
	if (!aligned(off, len))
		return VGIC_EINVAL;
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END)
		return irouter_access(m, off, len, val, false);
	if (r && !range_width_ok(r, len))
		return VGIC_EINVAL;
	if (r) {
		*val = range_read(m, 0, false, r, off, len);
		return VGIC_OK;
	}
	if (len != 4)
		return VGIC_EINVAL;
	return gicd_misc_read(m, off, val);
}

int model_gicd_write(struct model *m, uint32_t off, unsigned len, uint64_t val)
{
	const struct irq_range *r = range_find(off);

	if (off >= FRAME_SIZE)
		return VGIC_ERANGE;
	if (!aligned(off, len))
		return VGIC_EINVAL;
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END)
		return irouter_access(m, off, len, &val, true);
	if (r && !range_width_ok(r, len))
		return VGIC_EINVAL;
	if (r) {
		range_write(m, 0, false, r, off, len, val);
		return VGIC_OK;
	}
	if (len != 4)
		return VGIC_EINVAL;
	if (off == GICD_CTLR)
		m->gicd_ctlr = (uint32_t)val & GICD_CTLR_WRITABLE;
	return VGIC_OK; /* other registers: read-only or reserved, WI */
}

/* ----------------------------------------------------- GICR frames */

#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8

#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)

/* GICR_TYPER: Affinity_Value [63:32], Processor_Number [23:8], Last [4],
 * DirectLPI [3], PLPIS [0]; no vLPIs (VLPIS [1] = 0), CommonLPIAff
 * [25:24] = 0: all Redistributors share one LPI Configuration table. */
#define GICR_TYPER_PLPIS (1u << 0)
#define GICR_TYPER_DIRECT_LPI (1u << 3)

static uint64_t gicr_typer(const struct model *m, uint32_t pcpu)
{
	uint64_t last = pcpu == m->cfg.nr_pcpus - 1 ? 1u << 4 : 0;

	return (model_pcpu_affinity(m, pcpu) << 32) | ((uint64_t)pcpu << 8) |
	       last | GICR_TYPER_DIRECT_LPI | GICR_TYPER_PLPIS;
}

/* GICR_WAKER: the model wakes and sleeps at once, so ChildrenAsleep
 * always equals ProcessorSleep. */
static uint32_t gicr_waker(const struct model *m, uint32_t pcpu)
{
	return m->pcpu[pcpu].asleep
		       ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP
		       : 0;
}

static int gicr_rd_read(const struct model *m, uint32_t pcpu, uint32_t off,
			unsigned len, uint64_t *val)
{
	if (model_gicr_lpi_reg(off))
		return model_gicr_lpi_read(m, pcpu, off, len, val);
	if ((off & ~4u) == GICR_TYPER && (len == 8 || len == 4)) {
		*val = gicr_typer(m, pcpu) >> ((off & 4) * 8);
		if (len == 4)
			*val &= 0xffffffffull;
		return VGIC_OK;
	}
	if (len != 4)
		return VGIC_EINVAL;
	if (off == GICR_IIDR)
		*val = MODEL_IIDR;
	else if (off == GICR_WAKER)
		*val = gicr_waker(m, pcpu);
	else if (off == GICR_PIDR2)
		*val = MODEL_PIDR2;
	return VGIC_OK; /* reserved: RAZ */
}

static int gicr_rd_write(struct model *m, uint32_t pcpu, uint32_t off,
			 unsigned len, uint64_t val)
{
	if (model_gicr_lpi_reg(off))
		return model_gicr_lpi_write(m, pcpu, off, len, val);
	if ((off & ~4u) == GICR_TYPER && (len == 8 || len == 4))
		return VGIC_OK; /* read-only */
	if (len != 4)
		return VGIC_EINVAL;
	if (off == GICR_WAKER)
		m->pcpu[pcpu].asleep = val & WAKER_PROCESSOR_SLEEP;
	return VGIC_OK;
}

static int gicr_sgi_access(struct model *m, uint32_t pcpu, uint32_t off,
			   unsigned len, uint64_t *val, bool write)
{
	const struct irq_range *r = range_find(off);

	if (!r) {
		if (!write)
			*val = 0; /* IGRPMODR0, NSACR (DS == 1), reserved */
		return len == 4 ? VGIC_OK : VGIC_EINVAL;
	}
	if (!range_width_ok(r, len))
		return VGIC_EINVAL;
	if (write)
		range_write(m, pcpu, true, r, off, len, *val);
	else
		*val = range_read(m, pcpu, true, r, off, len);
	return VGIC_OK;
}

static int gicr_check(const struct model *m, uint32_t pcpu, uint32_t off,
		      unsigned len)
{
	if (!model_pcpu_valid(m, pcpu) || off >= 2 * FRAME_SIZE)
		return VGIC_ERANGE;
	return aligned(off, len) ? VGIC_OK : VGIC_EINVAL;
}

int model_gicr_read(struct model *m, uint32_t pcpu, uint32_t off, unsigned len,
		    uint64_t *val)
{
	int err = gicr_check(m, pcpu, off, len);

	*val = 0;
	if (err)
		return err;
	if (off >= GICR_SGI_BASE)
		return gicr_sgi_access(m, pcpu, off - GICR_SGI_BASE, len, val,
				       false);
	return gicr_rd_read(m, pcpu, off, len, val);
}

int model_gicr_write(struct model *m, uint32_t pcpu, uint32_t off, unsigned len,
		     uint64_t val)
{
	int err = gicr_check(m, pcpu, off, len);

	if (err)
		return err;
	if (off >= GICR_SGI_BASE)
		return gicr_sgi_access(m, pcpu, off - GICR_SGI_BASE, len, &val,
				       true);
	return gicr_rd_write(m, pcpu, off, len, val);
}
