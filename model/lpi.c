/* SPDX-License-Identifier: MIT */
/*
 * Physical LPIs at the Redistributors (IHI 0069, "LPIs"; the registers
 * GICR_CTLR, GICR_PROPBASER, GICR_PENDBASER, GICR_SETLPIR, GICR_CLRLPIR,
 * GICR_INVLPIR, GICR_INVALLR, GICR_SYNCR).
 *
 * An LPI's configuration is one byte of the LPI Configuration table at
 * GICR_PROPBASER: priority [7:2], bit [1] RES1, enable [0]. The
 * architecture lets a Redistributor cache it and only promises a reload on
 * an invalidation (INV, INVALL, GICR_INVLPIR, GICR_INVALLR); the model
 * caches every byte and reloads exactly then (and when EnableLPIs is set),
 * so software that forgets an invalidation sees the old configuration, as
 * it may on hardware. GICR_TYPER.CommonLPIAff == 0 makes all
 * Redistributors share one table, hence one cache (struct model.lpi_cfg);
 * a reload reads the table through the GICR_PROPBASER of the
 * Redistributor that performs it.
 *
 * Pending state is a bitmap per Redistributor. Setting EnableLPIs loads it
 * from the LPI Pending table at GICR_PENDBASER unless PTZ said the table
 * is zero. It is never written back: GICR_CTLR.CES == 0, EnableLPIs stays
 * 1, so nobody may look at the table again.
 *
 * LPIs are edge-triggered Group 1 interrupts without an active state
 * (IHI 0069, "LPIs"): acknowledging one only clears its pending bit.
 */
#include "model_internal.h"

#define GICR_CTLR 0x0000
#define GICR_SETLPIR 0x0040
#define GICR_CLRLPIR 0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR 0x00a0
#define GICR_INVALLR 0x00b0
#define GICR_SYNCR 0x00c0

#define CTLR_ENABLE_LPIS 1u

/* IDbits [4:0], InnerCache [9:7], Shareability [11:10], PA [51:12],
 * OuterCache [58:56] (GICR_PROPBASER). */
#define PROPBASER_IDBITS 0x1full
#define PROPBASER_PA 0x000ffffffffff000ull
#define PROPBASER_MASK                                                         \
	(PROPBASER_IDBITS | 0xf80ull | PROPBASER_PA | (7ull << 56))
/* InnerCache, Shareability, PA [51:16], OuterCache; PTZ [62] is WO
 * (GICR_PENDBASER). */
#define PENDBASER_PA 0x000fffffffff0000ull
#define PENDBASER_MASK (0xf80ull | PENDBASER_PA | (7ull << 56))
#define PENDBASER_PTZ (1ull << 62)
/* GICR_INVLPIR.V / GICR_INVALLR.V: a virtual INTID (GICv4.1): no vLPIs. */
#define INV_VIRTUAL (1ull << 63)

#define CFG_ENABLE 0x01u
#define CFG_PRIORITY 0xfcu

#define NR_WORDS (MODEL_NR_LPIS / 64)

/* ------------------------------------------------------------ state */

bool model_is_lpi(uint32_t intid)
{
	return intid >= MODEL_MIN_LPI && intid - MODEL_MIN_LPI < MODEL_NR_LPIS;
}

static struct model_lpi_rd *lpi_rd(struct model *m, uint32_t pcpu)
{
	return &m->pcpu[pcpu].lpi;
}

static const struct model_lpi_rd *lpi_rd_c(const struct model *m, uint32_t pcpu)
{
	return &m->pcpu[pcpu].lpi;
}

/* With GICR_PROPBASER.IDbits below 13 the largest INTID is below 8192:
 * every LPI is out of range. Above ours (13), ours applies. */
static bool lpi_in_range(const struct model_lpi_rd *r, uint32_t intid)
{
	return model_is_lpi(intid) &&
	       (r->propbaser & PROPBASER_IDBITS) >= MODEL_LPI_ID_BITS - 1;
}

static bool pend_test(const struct model_lpi_rd *r, uint32_t intid)
{
	uint32_t i = intid - MODEL_MIN_LPI;

	return (r->pending[i / 64] >> (i % 64)) & 1;
}

static void pend_assign(struct model_lpi_rd *r, uint32_t intid, bool pending)
{
	uint32_t i = intid - MODEL_MIN_LPI;
	uint64_t bit = 1ull << (i % 64);

	if (pending)
		r->pending[i / 64] |= bit;
	else
		r->pending[i / 64] &= ~bit;
}

bool model_lpi_pending(const struct model *m, uint32_t pcpu, uint32_t intid)
{
	return model_pcpu_valid(m, pcpu) && model_is_lpi(intid) &&
	       pend_test(lpi_rd_c(m, pcpu), intid);
}

bool model_lpi_set_pending(struct model *m, uint32_t pcpu, uint32_t intid,
			   bool pending)
{
	struct model_lpi_rd *r;

	if (!model_pcpu_valid(m, pcpu))
		return false;
	r = lpi_rd(m, pcpu);
	if (!r->enabled || !lpi_in_range(r, intid))
		return false;
	pend_assign(r, intid, pending);
	return true;
}

/* MOVI, MOVALL: pending state follows the LPI; a target without LPIs
 * enabled cannot hold it, so it is dropped (model.h). */
void model_lpi_move(struct model *m, uint32_t from, uint32_t to, uint32_t intid)
{
	if (from == to || !model_lpi_pending(m, from, intid))
		return;
	model_lpi_set_pending(m, from, intid, false);
	model_lpi_set_pending(m, to, intid, true);
}

void model_lpi_move_all(struct model *m, uint32_t from, uint32_t to)
{
	if (from == to || !model_pcpu_valid(m, from))
		return;
	for (uint32_t w = 0; w < NR_WORDS; w++) {
		uint64_t bits = lpi_rd(m, from)->pending[w];

		for (; bits; bits &= bits - 1) {
			uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(bits);

			model_lpi_move(m, from, to, MODEL_MIN_LPI + i);
		}
	}
}

/* ---------------------------------------------------- configuration */

/* One byte of the LPI Configuration table; outside host memory or out of
 * range it reads as 0: disabled (model.h). */
static uint8_t prop_read(const struct model *m, const struct model_lpi_rd *r,
			 uint32_t intid)
{
	uint64_t pa = (r->propbaser & PROPBASER_PA) + (intid - MODEL_MIN_LPI);
	uint8_t cfg = 0;

	if (!lpi_in_range(r, intid) || !model_mem_read(m, pa, &cfg, 1))
		return 0;
	return cfg;
}

/* INV, GICR_INVLPIR: nothing at a Redistributor without LPIs. */
void model_lpi_inv(struct model *m, uint32_t pcpu, uint32_t intid)
{
	const struct model_lpi_rd *r = lpi_rd_c(m, pcpu);

	if (r->enabled && model_is_lpi(intid))
		m->lpi_cfg[intid - MODEL_MIN_LPI] = prop_read(m, r, intid);
}

/* INVALL, GICR_INVALLR. */
void model_lpi_invall(struct model *m, uint32_t pcpu)
{
	for (uint32_t i = 0; i < MODEL_NR_LPIS; i++)
		model_lpi_inv(m, pcpu, MODEL_MIN_LPI + i);
}

uint8_t model_lpi_config(const struct model *m, uint32_t intid)
{
	return model_is_lpi(intid) ? m->lpi_cfg[intid - MODEL_MIN_LPI] : 0;
}

/* -------------------------------------------------------------- HPPI */

static void lpi_consider(struct model_hppi *h, uint32_t intid, uint8_t cfg,
			 uint8_t prio_mask)
{
	uint8_t prio = cfg & prio_mask;

	if (!(cfg & CFG_ENABLE))
		return;
	if (h->intid != MODEL_SPURIOUS && prio >= h->priority)
		return;
	h->intid = intid;
	h->priority = prio;
	h->grp = 1;
}

/* In INTID order with a strict comparison: of equal priorities the lowest
 * INTID wins, and every SPI, PPI or SGI beats an LPI of its priority. */
void model_lpi_hppi(const struct model *m, uint32_t pcpu, struct model_hppi *h)
{
	const struct model_lpi_rd *r = lpi_rd_c(m, pcpu);
	uint8_t prio_mask = model_prio_mask(m->cfg.pri_bits) & CFG_PRIORITY;

	if (!r->enabled)
		return;
	for (uint32_t w = 0; w < NR_WORDS; w++) {
		for (uint64_t bits = r->pending[w]; bits; bits &= bits - 1) {
			uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(bits);

			lpi_consider(h, MODEL_MIN_LPI + i, m->lpi_cfg[i],
				     prio_mask);
		}
	}
}

/* ------------------------------------------------------- EnableLPIs */

/* The LPI part of the Pending table starts at byte 1024 (INTID 8192); the
 * first 1 KiB is IMPLEMENTATION DEFINED, unused here. */
static void pending_load(struct model *m, uint32_t pcpu)
{
	struct model_lpi_rd *r = lpi_rd(m, pcpu);
	uint64_t pa = (r->pendbaser & PENDBASER_PA) + MODEL_MIN_LPI / 8;
	bool in_range = lpi_in_range(r, MODEL_MIN_LPI);

	for (uint32_t w = 0; w < NR_WORDS; w++) {
		uint64_t bits = 0;

		if (r->ptz || !in_range ||
		    !model_mem_read64(m, pa + 8 * w, &bits))
			bits = 0;
		r->pending[w] = bits;
	}
}

/* GICR_CTLR.EnableLPIs 0 -> 1: the Redistributor takes over both tables. */
static void lpi_enable(struct model *m, uint32_t pcpu)
{
	struct model_lpi_rd *r = lpi_rd(m, pcpu);

	if (r->enabled)
		return;
	r->enabled = true;
	model_lpi_invall(m, pcpu);
	pending_load(m, pcpu);
}

/* --------------------------------------------------------- registers */

/* The 64-bit register holding `off`, or 0 (GICR_CTLR is 32-bit). */
static uint32_t reg64_base(uint32_t off)
{
	static const uint32_t regs[] = {GICR_SETLPIR,	GICR_CLRLPIR,
					GICR_PROPBASER, GICR_PENDBASER,
					GICR_INVLPIR,	GICR_INVALLR};

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if ((off & ~7u) == regs[i])
			return regs[i];
	return 0;
}

bool model_gicr_lpi_reg(uint32_t off)
{
	return off == GICR_CTLR || off == GICR_SYNCR || reg64_base(off);
}

/* Bits of a 64-bit register a `len`-byte access at `off` covers. */
static uint64_t access_mask(uint32_t off, unsigned len)
{
	return (len == 8 ? ~0ull : 0xffffffffull) << ((off & 4) * 8);
}

static uint64_t reg64_value(const struct model_lpi_rd *r, uint32_t reg)
{
	if (reg == GICR_PROPBASER)
		return r->propbaser;
	if (reg == GICR_PENDBASER)
		return r->pendbaser;
	return 0; /* SETLPIR, CLRLPIR, INVLPIR, INVALLR are WO: RAZ */
}

int model_gicr_lpi_read(const struct model *m, uint32_t pcpu, uint32_t off,
			unsigned len, uint64_t *val)
{
	const struct model_lpi_rd *r = lpi_rd_c(m, pcpu);
	uint32_t reg = reg64_base(off);

	if (!reg) {
		/* GICR_CTLR: CES, IR, RWP, UWP read 0; GICR_SYNCR.Busy 0. */
		if (len != 4)
			return VGIC_EINVAL;
		*val = off == GICR_CTLR && r->enabled ? CTLR_ENABLE_LPIS : 0;
		return VGIC_OK;
	}
	if (len != 8 && len != 4)
		return VGIC_EINVAL;
	*val = (reg64_value(r, reg) & access_mask(off, len)) >> ((off & 4) * 8);
	return VGIC_OK;
}

/* GICR_PROPBASER, GICR_PENDBASER: read-only once EnableLPIs is 1 (our
 * choice of the IMPLEMENTATION DEFINED behaviour). PTZ is taken from a
 * write that covers it. */
static void baser_write(struct model_lpi_rd *r, uint32_t reg, uint32_t off,
			unsigned len, uint64_t val)
{
	uint64_t mask = access_mask(off, len);
	uint64_t *baser = reg == GICR_PROPBASER ? &r->propbaser : &r->pendbaser;
	uint64_t keep = reg == GICR_PROPBASER ? PROPBASER_MASK : PENDBASER_MASK;
	uint64_t v = (*baser & ~mask) | ((val << ((off & 4) * 8)) & mask);

	if (r->enabled)
		return;
	if (reg == GICR_PENDBASER && (mask & PENDBASER_PTZ))
		r->ptz = v & PENDBASER_PTZ;
	*baser = v & keep;
}

/* The WO registers act on a write to their low half, zero-extended; they
 * do nothing without EnableLPIs (GICR_SETLPIR and co.). */
static void lpi_command(struct model *m, uint32_t pcpu, uint32_t reg,
			uint64_t v)
{
	uint32_t intid = (uint32_t)v;

	if (!lpi_rd(m, pcpu)->enabled)
		return;
	if (reg == GICR_SETLPIR || reg == GICR_CLRLPIR)
		model_lpi_set_pending(m, pcpu, intid, reg == GICR_SETLPIR);
	else if (v & INV_VIRTUAL)
		return;
	else if (reg == GICR_INVLPIR)
		model_lpi_inv(m, pcpu, intid);
	else
		model_lpi_invall(m, pcpu);
}

int model_gicr_lpi_write(struct model *m, uint32_t pcpu, uint32_t off,
			 unsigned len, uint64_t val)
{
	uint32_t reg = reg64_base(off);

	if (!reg) {
		if (len != 4)
			return VGIC_EINVAL;
		if (off == GICR_CTLR && (val & CTLR_ENABLE_LPIS))
			lpi_enable(m, pcpu); /* CES == 0: never cleared */
		return VGIC_OK;
	}
	if (len != 8 && len != 4)
		return VGIC_EINVAL;
	if (reg == GICR_PROPBASER || reg == GICR_PENDBASER)
		baser_write(lpi_rd(m, pcpu), reg, off, len, val);
	else if (!(off & 4))
		lpi_command(m, pcpu, reg, len == 4 ? val & 0xffffffffull : val);
	return VGIC_OK;
}
