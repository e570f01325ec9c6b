/* SPDX-License-Identifier: MIT */
/*
 * struct vgic_host_ops on top of the model: what a hypervisor does with
 * its real GIC when libvgic asks. The ctx is the struct model *. vCPUs
 * map to pCPUs through model_vcpu_run_on(), which decides whose
 * Redistributor a forwarded PPI's active state lives in.
 */
#include "model_internal.h"

static bool vcpu_valid(uint32_t vcpu)
{
	return vcpu < MODEL_MAX_VCPUS;
}

void model_vcpu_run_on(struct model *m, uint32_t vcpu, uint32_t pcpu)
{
	if (vcpu_valid(vcpu) && model_pcpu_valid(m, pcpu))
		m->vcpu_pcpu[vcpu] = pcpu;
}

uint32_t model_vcpu_pcpu(const struct model *m, uint32_t vcpu)
{
	return vcpu_valid(vcpu) ? m->vcpu_pcpu[vcpu] : 0;
}

uint64_t model_kicks(const struct model *m, uint32_t vcpu)
{
	return vcpu_valid(vcpu) ? m->kicks[vcpu] : 0;
}

void model_set_trace(struct model *m, model_vgic_trace_fn fn, void *arg)
{
	m->trace_fn = fn;
	m->trace_arg = arg;
}

static void op_kick(void *ctx, uint32_t vcpu)
{
	struct model *m = ctx;

	if (vcpu_valid(vcpu))
		m->kicks[vcpu]++;
}

/* Like GICD_ISACTIVER/ICACTIVER (or GICR_* for a PPI of that pCPU). */
static void op_phys_set_active(void *ctx, uint32_t vcpu, uint32_t pintid,
			       bool active)
{
	struct model *m = ctx;

	if (vcpu_valid(vcpu))
		model_phys_set_active(m, m->vcpu_pcpu[vcpu], pintid, active);
}

static bool op_phys_line_level(void *ctx, uint32_t vcpu, uint32_t pintid)
{
	const struct model *m = ctx;

	return vcpu_valid(vcpu) &&
	       model_phys_line(m, m->vcpu_pcpu[vcpu], pintid);
}

static void op_trace(void *ctx, const struct vgic_trace *ev)
{
	struct model *m = ctx;

	if (m->trace_fn)
		m->trace_fn(m->trace_arg, ev);
}

static const struct vgic_host_ops model_ops = {
	.version = VGIC_HOST_OPS_VERSION,
	.kick = op_kick,
	.phys_set_active = op_phys_set_active,
	.phys_line_level = op_phys_line_level,
	.trace = op_trace,
};

const struct vgic_host_ops *model_host_ops(void)
{
	return &model_ops;
}
