/* SPDX-License-Identifier: MIT */
/*
 * The per-pCPU run loop and its time-slice scheduler.
 *
 * vCPU i runs only on pCPU i % M. Each pCPU round-robins over its
 * runnable vCPUs; the EL2 physical timer (CNTHP, PPI 26) ends a slice when
 * more than one is runnable, and also fires at the earliest virtual-timer
 * deadline of a blocked vCPU whose timer is not in the hardware. State
 * changes from other pCPUs (a kick, PSCI CPU_ON, vcpu_resume) are atomic
 * on struct vcpu and followed by a kick SGI to the owning pCPU, whose
 * handler makes the scheduler look again (`resched`): a vCPU that spins
 * in its guest without ever blocking must not keep a newly runnable vCPU
 * of its pCPU off the CPU, nor the slice timer disarmed.
 *
 * One guest run: vgic_flush → ICH_* → eret … exception → ICH_* →
 * vgic_sync → handle the exit. Every flush is paired with a sync.
 *
 * Stopping a vCPU (libvgic's vcpu_stop, from another vCPU's MMIO exit):
 * the owning pCPU sets vcpu->in_guest before vgic_flush and then reads
 * vcpu->stop; the stopper increments vcpu->stop and then reads in_guest
 * (both sequentially consistent, so at least one of them sees the other's
 * write). Either the owner sees the stop and does not enter, or the
 * stopper sees the vCPU in (or about to enter) its guest, kicks its pCPU
 * out and waits until in_guest is cleared, which happens after vgic_sync.
 * "Out of the guest" thus includes handling an exit, so two vCPUs that
 * stop each other from their exit handlers both return at once.
 */
#include "hyp.h"

#define CNTHP_CTL_ENABLE 1ULL

/* How long vcpu_stop waits for another pCPU to take its vCPU out of the
 * guest before it declares the hypervisor broken, and how often it
 * repeats the kick meanwhile. */
#define STOP_TIMEOUT_MS 5000
#define STOP_REKICK_MS 10

static uint64_t now(void)
{
	return read_sysreg(cntpct_el0);
}

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

/* host op vcpu_stop: see the top of this file. */
void sched_vcpu_stop(uint32_t idx)
{
	struct vcpu *v = &g_vcpus[idx];

	atomic_fetch_add(&v->stop, 1);
	if (!atomic_load(&v->in_guest))
		return; /* out: our own vCPU, another one of this pCPU, idle */
	/* Only the owning pCPU sets in_guest, and this pCPU is in an exit
	 * handler: v runs (or is about to) on another pCPU. */
	atomic_fetch_add(&v->stopped, 1);
	uint64_t tick = g_timer_freq / 1000, start = now(), kicked = start;
	gic_send_kick(v->pcpu);
	while (atomic_load(&v->in_guest)) {
		uint64_t t = now();
		if (t - start > STOP_TIMEOUT_MS * tick) {
			hyp_printf(
				"hyp: vcpu_stop(vcpu%u): pCPU %u did not take "
				"it out of the guest in %u ms (state %d, "
				"stop %u)\n",
				idx, v->pcpu, STOP_TIMEOUT_MS,
				atomic_load(&v->state), atomic_load(&v->stop));
			hyp_panic("vcpu_stop timed out");
		}
		if (t - kicked > STOP_REKICK_MS * tick) {
			gic_send_kick(v->pcpu);
			kicked = t;
		}
		__asm__ volatile("yield");
	}
}

/*
 * The guest is over (SYSTEM_OFF/RESET, a fatal stop): take the other
 * pCPUs out of their guests and park them, so that nothing writes to the
 * UART or changes a counter while the exit counters are printed. Bounded:
 * a pCPU that does not answer in 100 ms is left alone. The first pCPU to
 * get here wins; another one that gets here meanwhile parks instead, so
 * only one prints and exits. Idempotent for the winner.
 */
static atomic_int halter = -1; /* the pCPU that ends the run */
static atomic_uint parked;

_Noreturn static void park(void)
{
	atomic_fetch_add(&parked, 1);
	for (;;)
		__asm__ volatile("wfi");
}

void sched_halt_others(void)
{
	struct pcpu *me = this_pcpu();
	int none = -1;
	uint32_t others = 0;

	if (!atomic_compare_exchange_strong(&halter, &none, (int)me->id)) {
		if (none == (int)me->id)
			return; /* already done */
		park();
	}
	for (uint32_t i = 0; i < HYP_MAX_PCPUS; i++) {
		if (i == me->id || !atomic_load(&g_pcpus[i].online))
			continue;
		gic_send_kick(i);
		others++;
	}
	uint64_t start = now();
	while (atomic_load(&parked) < others &&
	       now() - start < g_timer_freq / 10)
		__asm__ volatile("yield");
}

/* host op vcpu_resume: the last resume lets the owner run it again. */
void sched_vcpu_resume(uint32_t idx)
{
	struct vcpu *v = &g_vcpus[idx];
	struct pcpu *me = this_pcpu();

	if (atomic_fetch_sub(&v->stop, 1) != 1)
		return;
	if (atomic_load(&v->state) != VCPU_RUNNABLE)
		return; /* a later wake-up kicks it anyway */
	if (v->pcpu != me->id)
		gic_send_kick(v->pcpu); /* it may idle: wake it */
	else
		atomic_store(&me->resched, true);
}

/* Runnable and not stopped by another vCPU's access (vcpu_stop). */
static bool can_run(struct vcpu *v)
{
	return atomic_load(&v->state) == VCPU_RUNNABLE &&
	       atomic_load(&v->stop) == 0;
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
		runnable += can_run(v);
	}
	return runnable;
}

/* Round robin, starting after the vCPU picked last time. */
static struct vcpu *pick(struct pcpu *p)
{
	for (uint32_t k = 1; k <= p->nr_vcpus; k++) {
		uint32_t i = (p->rr + k) % p->nr_vcpus;
		if (can_run(p->vcpus[i])) {
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

/* Announce the entry, then honour a stop that came first (see the top). */
static bool enter_allowed(struct vcpu *v)
{
	atomic_store(&v->in_guest, true);
	if (atomic_load(&v->stop) == 0)
		return true;
	atomic_store(&v->in_guest, false);
	return false;
}

static void run_once(struct vcpu *v)
{
	if (!enter_allowed(v))
		return;
	vgic_flush(g_vm, v->idx, &v->cif);
	ich_load(&v->cif);
	write_sysreg(elr_el2, v->pc);
	write_sysreg(spsr_el2, v->pstate);
	uint64_t kind = guest_enter(v);
	v->pc = read_sysreg(elr_el2);
	v->pstate = read_sysreg(spsr_el2);
	ich_save(&v->cif);
	vgic_sync(g_vm, v->idx, &v->cif);
	atomic_store(&v->in_guest, false); /* LRs synced: stoppable */

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
		sched_halt_others();
		hyp_printf("hyp: vcpu%u SError (ESR %lx) at %lx\n", v->idx,
			   read_sysreg(esr_el2), v->pc);
		vcpu_print_exits();
		hyp_exit(HYP_EXIT_FAULT);
	}
}

static void run_vcpu(struct pcpu *p, struct vcpu *v)
{
	while (can_run(v) && !atomic_load(&p->resched))
		run_once(v);
}

/* With HYPCFG_F_VERBOSE a pCPU idle for 2 s in a row dumps the state
 * once (debug.c): a guest that only sleeps that long is rare in tests. */
static void idle_watchdog(struct pcpu *p, uint64_t since)
{
	uint64_t limit = 2 * g_timer_freq;

	if (!(g_cfg.flags & HYPCFG_F_VERBOSE) || p->dumped)
		return;
	if (now() - since >= limit) {
		p->dumped = true;
		hyp_printf("hyp: pCPU %u idle for 2 s\n", p->id);
		debug_dump(p->loaded ? p->loaded : &g_vcpus[p->id]);
		return;
	}
	if (!(read_sysreg(cnthp_ctl_el2) & CNTHP_CTL_ENABLE) ||
	    read_sysreg(cnthp_cval_el2) > since + limit) {
		write_sysreg(cnthp_cval_el2, since + limit);
		write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
		isb();
	}
}

/* Nothing runnable: wait for an interrupt (masked, WFI still wakes). */
static void idle(struct pcpu *p, uint64_t since)
{
	arm_timer(p, 0);
	idle_watchdog(p, since);
	dsb(sy);
	__asm__ volatile("wfi");
	gic_handle_irqs(p->loaded);
}

_Noreturn void sched_run(struct pcpu *p)
{
	uint64_t idle_since = now();

	for (;;) {
		if (atomic_load(&halter) >= 0)
			park();
		atomic_store(&p->resched, false);
		unsigned runnable = update_states(p);
		struct vcpu *v = pick(p);
		if (!v) {
			idle(p, idle_since);
			continue;
		}
		idle_since = now();
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
