/* SPDX-License-Identifier: MIT */
/* Model configuration, reset, "host boot" and the event hook. */
#include <string.h>

#include "model_internal.h"

void model_config_default(struct model_config *cfg)
{
	cfg->nr_pcpus = 2;
	cfg->nr_spis = 64;
	cfg->pri_bits = 5;
	cfg->vpri_bits = 5;
	cfg->nr_lrs = 4;
}

static bool pri_bits_valid(unsigned bits)
{
	return bits >= MODEL_MIN_PRI_BITS && bits <= MODEL_MAX_PRI_BITS;
}

static bool config_valid(const struct model_config *cfg)
{
	return cfg->nr_pcpus >= 1 && cfg->nr_pcpus <= MODEL_MAX_PCPUS &&
	       cfg->nr_spis <= MODEL_MAX_SPIS &&
	       pri_bits_valid(cfg->pri_bits) &&
	       pri_bits_valid(cfg->vpri_bits) && cfg->nr_lrs >= 1 &&
	       cfg->nr_lrs <= MODEL_MAX_LRS;
}

/* SGIs are always edge-triggered (GICR_ICFGR0 is read-only 0xaaaaaaaa). */
static void pcpu_reset(struct model *m, struct model_pcpu *pc)
{
	unsigned prebits = model_prebits(m->cfg.pri_bits);

	for (unsigned i = 0; i < VGIC_NR_SGIS; i++)
		pc->priv[i].edge = true;
	pc->asleep = true;
	pc->icc.bpr[0] = (uint8_t)model_bpr_min(prebits, 0);
	pc->icc.bpr[1] = (uint8_t)model_bpr_min(prebits, 1);
	/* ICH_VMCR_EL2.VFIQEn is RES1 on AArch64 (IHI 0069, ICH_VMCR_EL2). */
	pc->ich.vmcr = VGIC_VMCR_VFIQEN;
}

int model_init(struct model *m, const struct model_config *cfg)
{
	if (!m || !cfg)
		return VGIC_EINVAL;
	if (!config_valid(cfg))
		return VGIC_ECONFIG;
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	for (uint32_t p = 0; p < cfg->nr_pcpus; p++)
		pcpu_reset(m, &m->pcpu[p]);
	for (uint32_t v = 0; v < MODEL_MAX_VCPUS; v++)
		m->vcpu_pcpu[v] = v % cfg->nr_pcpus;
	return VGIC_OK;
}

static void pcpu_boot(struct model *m, uint32_t p, bool eoimode)
{
	struct model_pcpu *pc = &m->pcpu[p];

	pc->asleep = false;
	for (unsigned i = 0; i < MODEL_NR_PRIVATE; i++)
		pc->priv[i].group1 = true;
	pc->icc.pmr = model_prio_mask(m->cfg.pri_bits);
	pc->icc.igrpen[1] = true;
	pc->icc.eoimode = eoimode;
}

void model_host_boot(struct model *m, bool eoimode)
{
	m->gicd_ctlr |= 0x3; /* EnableGrp0 | EnableGrp1 */
	for (uint32_t i = 0; i < m->cfg.nr_spis; i++)
		m->spi[i].group1 = true;
	for (uint32_t p = 0; p < m->cfg.nr_pcpus; p++)
		pcpu_boot(m, p, eoimode);
}

void model_set_event_hook(struct model *m, model_event_fn fn, void *arg)
{
	m->event_fn = fn;
	m->event_arg = arg;
}

void model_emit(struct model *m, uint32_t pcpu, enum model_event ev,
		uint32_t intid)
{
	if (m->event_fn)
		m->event_fn(m->event_arg, pcpu, ev, intid);
}
