/* SPDX-License-Identifier: MIT */
/*
 * Physical CPU interface, the ICC_*_EL1 System registers
 * (IHI 0069, the ICC_* register descriptions; behaviour in 4.1 "Interrupt
 * lifecycle" and 4.8 "Interrupt prioritization").
 *
 * Acknowledge (ICC_IAR<n>) takes the highest priority pending interrupt
 * if it is of the group read and can preempt: priority below ICC_PMR and
 * group priority above the running priority. It becomes active, its latch
 * clears, and its group priority is recorded in the active priorities.
 * ICC_EOIR<n> drops the running priority; with ICC_CTLR.EOImode == 0 it
 * also deactivates, with EOImode == 1 deactivation needs ICC_DIR.
 */
#include "model_internal.h"

static struct model_cpuif *icc(struct model *m, uint32_t pcpu)
{
	return &m->pcpu[pcpu].icc;
}

static const struct model_cpuif *icc_c(const struct model *m, uint32_t pcpu)
{
	return &m->pcpu[pcpu].icc;
}

static unsigned prebits(const struct model *m)
{
	return model_prebits(m->cfg.pri_bits);
}

static uint8_t icc_group_mask(const struct model *m, uint32_t pcpu,
			      unsigned grp)
{
	const struct model_cpuif *c = icc_c(m, pcpu);

	return model_group_mask(c->bpr[(grp && !c->cbpr) ? 1 : 0], grp,
				c->cbpr);
}

/* The HPPI, if it can be signalled now (CanSignalInterrupt() in the
 * spec's pseudocode). */
static bool icc_signalled(const struct model *m, uint32_t pcpu,
			  struct model_hppi *h)
{
	const struct model_cpuif *c;

	if (!model_pcpu_valid(m, pcpu))
		return false;
	c = icc_c(m, pcpu);
	model_hppi(m, pcpu, h);
	if (h->intid == MODEL_SPURIOUS)
		return false;
	return model_prio_can_preempt(h->priority,
				      icc_group_mask(m, pcpu, h->grp), c->pmr,
				      model_apr_running(&c->apr, prebits(m)));
}

/* ---------------------------------------------------- acknowledge */

/* An LPI has no active state: acknowledging it only clears its pending
 * bit, yet its priority is active until the EOI like any other's. */
static void icc_activate(struct model *m, uint32_t pcpu,
			 const struct model_hppi *h)
{
	struct model_irq *irq = model_irq(m, pcpu, h->intid);
	uint8_t gprio = h->priority & icc_group_mask(m, pcpu, h->grp);

	if (model_is_lpi(h->intid)) {
		model_lpi_set_pending(m, pcpu, h->intid, false);
	} else {
		irq->active = true;
		irq->latch = false; /* a level line keeps it pending */
	}
	model_apr_activate(&icc(m, pcpu)->apr, prebits(m), h->grp, gprio);
}

/* ICC_IAR0_EL1 / ICC_IAR1_EL1. */
uint32_t model_icc_iar(struct model *m, uint32_t pcpu, unsigned grp)
{
	struct model_hppi h;

	if (!icc_signalled(m, pcpu, &h) || h.grp != grp)
		return MODEL_SPURIOUS;
	icc_activate(m, pcpu, &h);
	return h.intid;
}

/* ICC_HPPIR0_EL1 / ICC_HPPIR1_EL1: no masking by PMR or running priority. */
uint32_t model_icc_hppir(const struct model *m, uint32_t pcpu, unsigned grp)
{
	struct model_hppi h;

	if (!model_pcpu_valid(m, pcpu))
		return MODEL_SPURIOUS;
	model_hppi(m, pcpu, &h);
	return h.grp == grp ? h.intid : MODEL_SPURIOUS;
}

bool model_pcpu_irq_line(const struct model *m, uint32_t pcpu)
{
	struct model_hppi h;

	return icc_signalled(m, pcpu, &h) && h.grp == 1;
}

bool model_pcpu_fiq_line(const struct model *m, uint32_t pcpu)
{
	struct model_hppi h;

	return icc_signalled(m, pcpu, &h) && h.grp == 0;
}

/* ------------------------------------------------ EOI and deactivate */

/* INTIDs 1020..1023 (IHI 0069, 2.2); LPIs lie above them. */
static bool is_special(uint32_t intid)
{
	return intid >= MODEL_FIRST_SPECIAL && intid <= MODEL_SPURIOUS;
}

/* Nothing for an LPI (no active state): model_irq() has none. */
static void icc_deactivate(struct model *m, uint32_t pcpu, uint32_t intid)
{
	model_phys_set_active(m, pcpu, intid, false);
}

/*
 * ICC_EOIR0_EL1 / ICC_EOIR1_EL1: drop the highest active priority and,
 * with EOImode == 0, deactivate `intid`. Special INTIDs are ignored, and so
 * is an EOI with no active priority. An EOI that does not match the last
 * acknowledge (other INTID or group) is UNPREDICTABLE: the model does not
 * check it, which is why `grp` is unused.
 */
void model_icc_eoir(struct model *m, uint32_t pcpu, unsigned grp,
		    uint32_t intid)
{
	(void)grp;
	if (!model_pcpu_valid(m, pcpu) || is_special(intid))
		return;
	if (!model_apr_drop(&icc(m, pcpu)->apr, prebits(m)))
		return;
	if (!icc(m, pcpu)->eoimode)
		icc_deactivate(m, pcpu, intid);
}

/* ICC_DIR_EL1: only meaningful with EOImode == 1; ignored else. */
void model_icc_dir(struct model *m, uint32_t pcpu, uint32_t intid)
{
	if (!model_pcpu_valid(m, pcpu) || is_special(intid))
		return;
	if (icc(m, pcpu)->eoimode)
		icc_deactivate(m, pcpu, intid);
}

/* -------------------------------------------------- plain registers */

/* ICC_RPR_EL1. */
uint32_t model_icc_rpr(const struct model *m, uint32_t pcpu)
{
	if (!model_pcpu_valid(m, pcpu))
		return 0;
	return model_apr_running(&icc_c(m, pcpu)->apr, prebits(m));
}

/* ICC_PMR_EL1: unimplemented low bits are RAZ/WI. */
uint32_t model_icc_pmr(const struct model *m, uint32_t pcpu)
{
	return model_pcpu_valid(m, pcpu) ? icc_c(m, pcpu)->pmr : 0;
}

void model_icc_set_pmr(struct model *m, uint32_t pcpu, uint32_t val)
{
	if (model_pcpu_valid(m, pcpu))
		icc(m, pcpu)->pmr =
			(uint8_t)val & model_prio_mask(m->cfg.pri_bits);
}

/*
 * ICC_BPR0_EL1 / ICC_BPR1_EL1. A value below the minimum
 * sets the minimum. With ICC_CTLR.CBPR == 1, BPR1 reads BPR0's value plus
 * one (saturated at 7) and ignores writes: Group 1 then uses BPR0.
 */
uint32_t model_icc_bpr(const struct model *m, uint32_t pcpu, unsigned grp)
{
	const struct model_cpuif *c;

	if (!model_pcpu_valid(m, pcpu))
		return 0;
	c = icc_c(m, pcpu);
	if (grp && c->cbpr)
		return c->bpr[0] < 7 ? c->bpr[0] + 1u : 7u;
	return c->bpr[grp ? 1 : 0];
}

void model_icc_set_bpr(struct model *m, uint32_t pcpu, unsigned grp,
		       uint32_t val)
{
	unsigned g = grp ? 1 : 0, min = model_bpr_min(prebits(m), g);

	if (!model_pcpu_valid(m, pcpu) || (g && icc(m, pcpu)->cbpr))
		return;
	val &= 7;
	icc(m, pcpu)->bpr[g] = (uint8_t)(val < min ? min : val);
}

/*
 * ICC_CTLR_EL1: CBPR [0] and EOImode [1] are writable; PRIbits
 * [10:8] = priority bits - 1, IDbits [13:11] = 0 (16 bits), A3V [15] = 1.
 */
uint32_t model_icc_ctlr(const struct model *m, uint32_t pcpu)
{
	const struct model_cpuif *c;

	if (!model_pcpu_valid(m, pcpu))
		return 0;
	c = icc_c(m, pcpu);
	return (c->cbpr ? 1u : 0u) | (c->eoimode ? 2u : 0u) |
	       ((m->cfg.pri_bits - 1u) << 8) | (1u << 15);
}

void model_icc_set_ctlr(struct model *m, uint32_t pcpu, uint32_t val)
{
	if (!model_pcpu_valid(m, pcpu))
		return;
	icc(m, pcpu)->cbpr = val & 1;
	icc(m, pcpu)->eoimode = val & 2;
}

/* ICC_IGRPEN0_EL1 / ICC_IGRPEN1_EL1. */
bool model_icc_igrpen(const struct model *m, uint32_t pcpu, unsigned grp)
{
	return model_pcpu_valid(m, pcpu) && icc_c(m, pcpu)->igrpen[grp ? 1 : 0];
}

void model_icc_set_igrpen(struct model *m, uint32_t pcpu, unsigned grp, bool en)
{
	if (model_pcpu_valid(m, pcpu))
		icc(m, pcpu)->igrpen[grp ? 1 : 0] = en;
}

/* ICC_AP0R<n>_EL1 / ICC_AP1R<n>_EL1; only the registers
 * the preemption bits need exist, the others are RAZ/WI here. */
uint32_t model_icc_apr(const struct model *m, uint32_t pcpu, unsigned grp,
		       unsigned n)
{
	if (!model_pcpu_valid(m, pcpu) || n >= model_apr_nr_regs(prebits(m)))
		return 0;
	return icc_c(m, pcpu)->apr.r[grp ? 1 : 0][n];
}

void model_icc_set_apr(struct model *m, uint32_t pcpu, unsigned grp, unsigned n,
		       uint32_t val)
{
	if (!model_pcpu_valid(m, pcpu) || n >= model_apr_nr_regs(prebits(m)))
		return;
	icc(m, pcpu)->apr.r[grp ? 1 : 0][n] = val;
}

/* ------------------------------------------------------------ SGIs */

/* Does the target list of an ICC_SGI<n>R_EL1 value name pCPU `p`? */
static bool sgi_targets(const struct model *m, uint64_t val, uint32_t p)
{
	uint64_t aff = model_pcpu_affinity(m, p);
	uint64_t aff0 = aff & 0xff, aff1 = (aff >> 8) & 0xff;
	uint64_t rs = (val >> 44) & 0xf;

	if (((val >> 16) & 0xff) != aff1 || ((val >> 32) & 0xff) != 0 ||
	    ((val >> 48) & 0xff) != 0)
		return false;
	if (aff0 / 16 != rs)
		return false;
	return (val >> (aff0 % 16)) & 1;
}

/*
 * Generate SGI INTID [27:24] for the PEs named by Aff3.Aff2.Aff1 and
 * TargetList/RS, or for every PE but the writer when IRM [40] == 1
 * (IHI 0069, ICC_SGI1R_EL1). With GICD_CTLR.DS == 1 an SGI is only
 * delivered to a PE where it is configured in the group the register
 * generates: Group 1 for ICC_SGI1R_EL1, Group 0 for ICC_SGI0R_EL1.
 */
static void sgi_generate(struct model *m, uint32_t self, uint64_t val,
			 unsigned grp)
{
	uint32_t intid = (uint32_t)(val >> 24) & 0xf;
	bool irm = (val >> 40) & 1;

	for (uint32_t p = 0; p < m->cfg.nr_pcpus; p++) {
		struct model_irq *irq = &m->pcpu[p].priv[intid];

		if (irm ? p == self : !sgi_targets(m, val, p))
			continue;
		if ((irq->group1 ? 1u : 0u) == grp)
			irq->latch = true;
	}
}

void model_icc_sgi1r(struct model *m, uint32_t pcpu, uint64_t val)
{
	if (model_pcpu_valid(m, pcpu))
		sgi_generate(m, pcpu, val, 1);
}

void model_icc_sgi0r(struct model *m, uint32_t pcpu, uint64_t val)
{
	if (model_pcpu_valid(m, pcpu))
		sgi_generate(m, pcpu, val, 0);
}
