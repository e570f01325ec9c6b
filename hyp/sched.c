/* SPDX-License-Identifier: MIT */
/*
 * The per-pCPU run loop and its time-slice scheduler.
 *
 * vCPU i runs only on pCPU i % M. Each pCPU round-robins over its
 * runnable vCPUs; the EL2 physical timer (CNTHP, PPI 26) ends a slice when
 * more than one is runnable, and also fires at the earliest virtual-timer
 * deadline of a blocked vCPU whose timer is not in the hardware. State
 * changes from other pCPUs (a kick, PSCI CPU_ON) are atomic on
 * vcpu->state and followed by a kick SGI to the owning pCPU, so nothing
 * else here is shared.
 *
 * One guest run: vgic_flush → ICH_* → eret … exception → ICH_* →
 * vgic_sync → handle the exit. Every flush is paired with a sync.
 */
#include "hyp.h"

#define CNTHP_CTL_ENABLE 1ULL

void sched_kick(uint32_t idx)
{
	struct vcpu *v = &g_vcpus[idx];
	struct pcpu *me = this_pcpu();
	int blocked = VCPU_BLOCKED;

	atomic_compare_exchange_strong(&v->state, &blocked, VCPU_RUNNABLE);
	if (v->pcpu != me->id)
		gic_send_kick(v->pcpu); /* exit its guest or leave its WFI */
	else if (me->loaded != v)
		atomic_store(&me->resched, true); /* let the scheduler see it */
}

/* CNTHP fired: end the slice. Disabling the timer drops its level line. */
void sched_tick(struct pcpu *p)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
	atomic_store(&p->resched, true);
}

static uint64_t now(void)
{
	return read_sysreg(cntpct_el0);
}

/* A blocked vCPU wakes when the vGIC has something it can take; its timer
 * is checked here when it is not in the hardware. */
static void wake_blocked(struct pcpu *p, struct vcpu *v)
{
	if (p->loaded != v && vcpu_vtimer_deadline(v) <= now())
		vgic_set_level(g_vm, v->idx, INTID_VTIMER, true);
	if (vgic_vcpu_pending(g_vm, v->idx)) {
		int blocked = VCPU_BLOCKED;
		atomic_compare_exchange_strong(&v->state, &blocked,
					       VCPU_RUNNABLE);
	}
}

/* PSCI CPU_ON was accepted for `v`: start it afresh. */
static void boot_pending(struct pcpu *p, struct vcpu *v)
{
	if (p->loaded == v)
		vcpu_put(p, v);
	vcpu_reset(v, v->boot_pc, v->boot_ctx);
	atomic_store(&v->state, VCPU_RUNNABLE);
}

static unsigned update_states(struct pcpu *p)
{
	unsigned runnable = 0;

	for (uint32_t i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = p->vcpus[i];
		int s = atomic_load(&v->state);
		if (s == VCPU_ON_PENDING)
			boot_pending(p, v);
		else if (s == VCPU_BLOCKED)
			wake_blocked(p, v);
		runnable += atomic_load(&v->state) == VCPU_RUNNABLE;
	}
	return runnable;
}

/* Round robin, starting after the vCPU picked last time. */
static struct vcpu *pick(struct pcpu *p)
{
	for (uint32_t k = 1; k <= p->nr_vcpus; k++) {
		uint32_t i = (p->rr + k) % p->nr_vcpus;
		if (atomic_load(&p->vcpus[i]->state) == VCPU_RUNNABLE) {
			p->rr = i;
			return p->vcpus[i];
		}
	}
	return NULL;
}

/* Program CNTHP for the end of the slice and/or the earliest deadline. */
static void arm_timer(struct pcpu *p, unsigned runnable)
{
	uint64_t when = UINT64_MAX;

	if (runnable > 1)
		when = now() + g_timer_freq / 1000000 * g_cfg.timeslice_us;
	for (uint32_t i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = p->vcpus[i];
		if (v != p->loaded && atomic_load(&v->state) == VCPU_BLOCKED) {
			uint64_t d = vcpu_vtimer_deadline(v);
			when = d < when ? d : when;
		}
	}
	if (when == UINT64_MAX) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, when);
		write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	}
	isb();
}

static void run_once(struct vcpu *v)
{
	vgic_flush(g_vm, v->idx, &v->cif);
	ich_load(&v->cif);
	write_sysreg(elr_el2, v->pc);
	write_sysreg(spsr_el2, v->pstate);
	uint64_t kind = guest_enter(v);
	v->pc = read_sysreg(elr_el2);
	v->pstate = read_sysreg(spsr_el2);
	ich_save(&v->cif);
	vgic_sync(g_vm, v->idx, &v->cif);

	switch (kind) {
	case GEXIT_SYNC:
		handle_sync_exit(v);
		break;
	case GEXIT_IRQ:
	case GEXIT_FIQ:
		v->exits[EXIT_IRQ]++;
		gic_handle_irqs(v);
		break;
	default:
		hyp_printf("hyp: vcpu%u SError (ESR %lx) at %lx\n", v->idx,
			   read_sysreg(esr_el2), v->pc);
		vcpu_print_exits();
		hyp_exit(HYP_EXIT_FAULT);
	}
}

static void run_vcpu(struct pcpu *p, struct vcpu *v)
{
	while (atomic_load(&v->state) == VCPU_RUNNABLE &&
	       !atomic_load(&p->resched))
		run_once(v);
}

/* Nothing runnable: wait for an interrupt (masked, WFI still wakes). */
static void idle(struct pcpu *p)
{
	arm_timer(p, 0);
	dsb(sy);
	__asm__ volatile("wfi");
	gic_handle_irqs(p->loaded);
}

_Noreturn void sched_run(struct pcpu *p)
{
	for (;;) {
		atomic_store(&p->resched, false);
		unsigned runnable = update_states(p);
		struct vcpu *v = pick(p);
		if (!v) {
			idle(p);
			continue;
		}
		if (p->loaded != v) {
			if (p->loaded)
				vcpu_put(p, p->loaded);
			vcpu_load(p, v);
		}
		arm_timer(p, runnable);
		run_vcpu(p, v);
		if (atomic_load(&v->state) == VCPU_OFF)
			vcpu_put(p, v);
	}
}
