/* SPDX-License-Identifier: MIT */
/*
 * A state dump for diagnosing a stuck guest, on a guest's request
 * (HVC HYP_CALL_DUMP, honoured only with HYPCFG_F_VERBOSE): every vCPU's
 * scheduler and vGIC view of its timer PPI, the saved virtual CPU
 * interface, and every pCPU's redistributor view of its PPIs; each
 * online pCPU then prints its live virtual timer when the kick reaches it.
 */
#include "hyp.h"

static atomic_bool dump_req[HYP_MAX_PCPUS];

static void dump_vcpu(struct vcpu *v)
{
	struct vgic_irq_state st;

	vgic_irq_state(g_vm, v->idx, INTID_VTIMER, &st);
	hyp_printf("dump: vcpu%u pcpu %u state %d stop %u in_guest %d pc %lx "
		   "cntv ctl %lx cval %lx\n",
		   v->idx, v->pcpu, atomic_load(&v->state),
		   atomic_load(&v->stop), (int)atomic_load(&v->in_guest), v->pc,
		   v->sys.cntv_ctl, v->sys.cntv_cval);
	hyp_printf("dump: vcpu%u ppi27 pend %d act %d en %d line %d hw %d; "
		   "exits vtimer %lu irq %lu wfi %lu; acks %lu\n",
		   v->idx, st.pending, st.active, st.enabled, st.line_level,
		   st.hw, v->exits[EXIT_VTIMER], v->exits[EXIT_IRQ],
		   v->exits[EXIT_WFI], atomic_load(&v->vtimer_ack));
	hyp_printf("dump: vcpu%u cif lrs %u lr0 %lx lr1 %lx lr2 %lx lr3 %lx "
		   "hcr %x vmcr %x misr %x elrsr %x ap1r0 %x\n",
		   v->idx, v->cif.nr_lrs_used, v->cif.lr[0], v->cif.lr[1],
		   v->cif.lr[2], v->cif.lr[3], v->cif.hcr, v->cif.vmcr,
		   v->cif.misr, v->cif.elrsr, v->cif.ap1r[0]);
}

void debug_dump(struct vcpu *caller)
{
	hyp_printf("dump: requested by vcpu%u, cntvct %lx\n", caller->idx,
		   read_sysreg(cntvct_el0));
	for (uint32_t i = 0; i < g_cfg.nr_vcpus; i++)
		dump_vcpu(&g_vcpus[i]);
	for (uint32_t i = 0; i < HYP_MAX_PCPUS; i++) {
		if (!atomic_load(&g_pcpus[i].online))
			continue;
		gic_dump_ppis(i);
		if (i == this_pcpu()->id) {
			debug_dump_local(this_pcpu());
		} else {
			atomic_store(&dump_req[i], true);
			gic_send_kick(i);
		}
	}
}

/* On a kick: the live timer of this pCPU, if a dump asked for it. */
void debug_dump_local(struct pcpu *p)
{
	if (p->id != this_pcpu()->id)
		return;
	atomic_store(&dump_req[p->id], false);
	hyp_printf("dump: pcpu%u loaded vcpu%d cntv ctl %lx cval %lx "
		   "cntvct %lx ich_hcr %lx\n",
		   p->id, p->loaded ? (int)p->loaded->idx : -1,
		   read_sysreg(cntv_ctl_el0), read_sysreg(cntv_cval_el0),
		   read_sysreg(cntvct_el0), read_sysreg(ICH_HCR_EL2));
}

bool debug_dump_requested(struct pcpu *p)
{
	return atomic_load(&dump_req[p->id]);
}
