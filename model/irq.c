/* SPDX-License-Identifier: MIT */
/*
 * Per-INTID state of the physical Distributor and Redistributors
 * (IHI 0069, 4.1 "Interrupt lifecycle"), input lines, SPI routing and the
 * choice of the highest priority pending interrupt of each pCPU.
 *
 * SGIs and PPIs (INTIDs 0..31) live in the Redistributor of each pCPU;
 * SPIs (32..) are global. An interrupt is pending when its latch is set,
 * or when it is level-sensitive and its line is asserted: the two sources
 * are kept apart so that ICPENDR cannot clear a level that is still high
 * (IHI 0069, GICD_ICPENDR<n>). LPIs (lpi.c) join the HPPI choice here.
 */
#include "model_internal.h"

uint32_t model_nr_intids(const struct model *m)
{
	return MODEL_NR_PRIVATE + m->cfg.nr_spis;
}

bool model_pcpu_valid(const struct model *m, uint32_t pcpu)
{
	return pcpu < m->cfg.nr_pcpus;
}

const struct model_irq *model_irq_c(const struct model *m, uint32_t pcpu,
				    uint32_t intid)
{
	if (intid < MODEL_NR_PRIVATE)
		return model_pcpu_valid(m, pcpu) ? &m->pcpu[pcpu].priv[intid]
						 : NULL;
	if (intid < model_nr_intids(m))
		return &m->spi[intid - MODEL_NR_PRIVATE];
	return NULL;
}

struct model_irq *model_irq(struct model *m, uint32_t pcpu, uint32_t intid)
{
	return (struct model_irq *)model_irq_c(m, pcpu, intid);
}

bool model_irq_pending(const struct model_irq *irq)
{
	return irq->latch || (!irq->edge && irq->line);
}

/* ------------------------------------------------------------ routing */

uint64_t model_pcpu_affinity(const struct model *m, uint32_t pcpu)
{
	(void)m;
	return ((uint64_t)(pcpu / 16) << 8) | (pcpu % 16);
}

/* GICD_IROUTER<n> names one PE by affinity (IHI 0069, GICD_IROUTER<n>); the
 * inverse of model_pcpu_affinity(). */
int model_spi_target(const struct model *m, uint32_t intid)
{
	uint64_t aff = m->irouter[intid - MODEL_NR_PRIVATE];
	uint64_t aff0 = aff & 0xff, aff1 = (aff >> 8) & 0xff;
	uint64_t p = aff1 * 16 + aff0;

	if ((aff & ~0xffffull) || aff0 >= 16 || p >= m->cfg.nr_pcpus)
		return -1;
	return (int)p;
}

void model_phys_route_spi(struct model *m, uint32_t intid, uint32_t pcpu)
{
	if (intid < MODEL_NR_PRIVATE || intid >= model_nr_intids(m) ||
	    !model_pcpu_valid(m, pcpu))
		return;
	m->irouter[intid - MODEL_NR_PRIVATE] = model_pcpu_affinity(m, pcpu);
}

/* -------------------------------------------------------------- lines */

void model_set_line(struct model *m, uint32_t pcpu, uint32_t intid, bool level)
{
	struct model_irq *irq = model_irq(m, pcpu, intid);

	if (!irq || intid < VGIC_NR_SGIS)
		return;
	if (irq->edge && level && !irq->line)
		irq->latch = true;
	irq->line = level;
}

bool model_phys_line(const struct model *m, uint32_t pcpu, uint32_t intid)
{
	const struct model_irq *irq = model_irq_c(m, pcpu, intid);

	return irq && irq->line;
}

/* -------------------------------------------------- direct accessors */

bool model_phys_is_pending(const struct model *m, uint32_t pcpu, uint32_t intid)
{
	const struct model_irq *irq = model_irq_c(m, pcpu, intid);

	if (model_is_lpi(intid))
		return model_lpi_pending(m, pcpu, intid);
	return irq && model_irq_pending(irq);
}

bool model_phys_is_active(const struct model *m, uint32_t pcpu, uint32_t intid)
{
	const struct model_irq *irq = model_irq_c(m, pcpu, intid);

	return irq && irq->active;
}

void model_phys_set_active(struct model *m, uint32_t pcpu, uint32_t intid,
			   bool active)
{
	struct model_irq *irq = model_irq(m, pcpu, intid);

	if (irq)
		irq->active = active;
}

void model_phys_set_pending(struct model *m, uint32_t pcpu, uint32_t intid,
			    bool pending)
{
	struct model_irq *irq = model_irq(m, pcpu, intid);

	if (model_is_lpi(intid))
		model_lpi_set_pending(m, pcpu, intid, pending);
	else if (irq)
		irq->latch = pending;
}

void model_phys_set_enabled(struct model *m, uint32_t pcpu, uint32_t intid,
			    bool enabled)
{
	struct model_irq *irq = model_irq(m, pcpu, intid);

	if (irq)
		irq->enabled = enabled;
}

void model_phys_set_group1(struct model *m, uint32_t pcpu, uint32_t intid,
			   bool group1)
{
	struct model_irq *irq = model_irq(m, pcpu, intid);

	if (irq)
		irq->group1 = group1;
}

void model_phys_set_priority(struct model *m, uint32_t pcpu, uint32_t intid,
			     uint8_t priority)
{
	struct model_irq *irq = model_irq(m, pcpu, intid);

	if (irq)
		irq->priority = priority & model_prio_mask(m->cfg.pri_bits);
}

void model_phys_set_edge(struct model *m, uint32_t pcpu, uint32_t intid,
			 bool edge)
{
	struct model_irq *irq = model_irq(m, pcpu, intid);

	if (irq && intid >= VGIC_NR_SGIS)
		irq->edge = edge;
}

/* -------------------------------------------------------------- HPPI */

/* GICD_CTLR.EnableGrp<g> (DS == 1 layout: bit 0 and bit 1). */
static bool dist_group_enabled(const struct model *m, unsigned grp)
{
	return m->gicd_ctlr & (1u << grp);
}

/*
 * A candidate for signalling: pending, not active (an active interrupt is
 * not signalled again until deactivated), enabled, and its group enabled
 * in the Distributor and at the CPU interface, and the Redistributor
 * awake (GICR_WAKER.ProcessorSleep == 0).
 */
static bool irq_is_candidate(const struct model *m, uint32_t pcpu,
			     const struct model_irq *irq)
{
	unsigned grp = irq->group1 ? 1 : 0;

	return model_irq_pending(irq) && !irq->active && irq->enabled &&
	       dist_group_enabled(m, grp) && m->pcpu[pcpu].icc.igrpen[grp];
}

static void hppi_consider(struct model_hppi *h, uint32_t intid,
			  const struct model_irq *irq)
{
	if (h->intid != MODEL_SPURIOUS && irq->priority >= h->priority)
		return;
	h->intid = intid;
	h->priority = irq->priority;
	h->grp = irq->group1 ? 1 : 0;
}

/* LPIs are Group 1 (IHI 0069, "LPIs"): gated by that group's enables. */
static bool lpis_signalled(const struct model *m, uint32_t pcpu)
{
	return dist_group_enabled(m, 1) && m->pcpu[pcpu].icc.igrpen[1];
}

/* SPIs, PPIs and SGIs first, then LPIs, which only replace a strictly
 * lower priority: ties go to the lowest INTID. */
void model_hppi(const struct model *m, uint32_t pcpu, struct model_hppi *out)
{
	out->intid = MODEL_SPURIOUS;
	out->priority = MODEL_IDLE_PRIORITY;
	out->grp = 0;
	if (m->pcpu[pcpu].asleep)
		return;
	for (uint32_t i = 0; i < model_nr_intids(m); i++) {
		const struct model_irq *irq = model_irq_c(m, pcpu, i);

		if (!irq_is_candidate(m, pcpu, irq))
			continue;
		if (i >= MODEL_NR_PRIVATE &&
		    model_spi_target(m, i) != (int)pcpu)
			continue;
		hppi_consider(out, i, irq);
	}
	if (lpis_signalled(m, pcpu))
		model_lpi_hppi(m, pcpu, out);
}
