/* SPDX-License-Identifier: MIT */
/*
 * vCPU state: reset, and the switch of everything that is not x0-x30
 * between a vCPU and its physical CPU (EL1 system registers, FP/SIMD, the
 * virtual timer, VMPIDR_EL2, and libvgic's residency via vgic_vcpu_put).
 *
 * A pCPU keeps its last vCPU loaded while idle ("lazy put"): with one vCPU
 * per pCPU nothing is ever switched, and a vCPU blocked in WFI keeps its
 * virtual timer live in the hardware, so its expiry wakes the pCPU.
 */
#include "hyp.h"

#define SCTLR_EL1_RESET 0x30d00800ULL /* RES1 bits; MMU and caches off */
#define PSTATE_EL1H_MASKED 0x3c5ULL   /* EL1h, D, A, I, F masked */

#define CNTV_CTL_ENABLE (1ULL << 0)
#define CNTV_CTL_IMASK (1ULL << 1)
#define CNTV_CTL_ISTATUS (1ULL << 2)

void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0)
{
	for (unsigned i = 0; i < 31; i++)
		v->x[i] = 0;
	v->x[0] = x0;
	v->pc = pc;
	v->pstate = PSTATE_EL1H_MASKED;
	v->sys = (struct el1_sysregs){.sctlr = SCTLR_EL1_RESET};
	v->fp = (struct fpsimd){0};
}

#define SAVE(field, reg) (s->field = read_sysreg(reg))
#define LOAD(field, reg) write_sysreg(reg, s->field)
#define EL1_REGS(X)                                                            \
	X(sctlr, sctlr_el1);                                                   \
	X(ttbr0, ttbr0_el1);                                                   \
	X(ttbr1, ttbr1_el1);                                                   \
	X(tcr, tcr_el1);                                                       \
	X(mair, mair_el1);                                                     \
	X(amair, amair_el1);                                                   \
	X(vbar, vbar_el1);                                                     \
	X(contextidr, contextidr_el1);                                         \
	X(tpidr_el0, tpidr_el0);                                               \
	X(tpidr_el1, tpidr_el1);                                               \
	X(tpidrro_el0, tpidrro_el0);                                           \
	X(esr, esr_el1);                                                       \
	X(far, far_el1);                                                       \
	X(afsr0, afsr0_el1);                                                   \
	X(afsr1, afsr1_el1);                                                   \
	X(par, par_el1);                                                       \
	X(cpacr, cpacr_el1);                                                   \
	X(cntkctl, cntkctl_el1);                                               \
	X(csselr, csselr_el1);                                                 \
	X(mdscr, mdscr_el1);                                                   \
	X(sp_el0, sp_el0);                                                     \
	X(sp_el1, sp_el1);                                                     \
	X(elr, elr_el1);                                                       \
	X(spsr, spsr_el1)

static void sysregs_save(struct el1_sysregs *s)
{
	EL1_REGS(SAVE);
}

static void sysregs_load(const struct el1_sysregs *s)
{
	EL1_REGS(LOAD);
}

/* Save the virtual timer and disable it so its physical line (PPI 27)
 * drops: the line belongs to the next vCPU of this pCPU. */
static void vtimer_save(struct vcpu *v)
{
	v->sys.cntv_ctl = read_sysreg(cntv_ctl_el0);
	v->sys.cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

static void vtimer_load(const struct vcpu *v)
{
	write_sysreg(cntv_cval_el0, v->sys.cntv_cval);
	write_sysreg(cntv_ctl_el0, v->sys.cntv_ctl);
	isb();
}

static bool timer_fires(uint64_t ctl, uint64_t cval)
{
	return (ctl & CNTV_CTL_ENABLE) && !(ctl & CNTV_CTL_IMASK) &&
	       read_sysreg(cntvct_el0) >= cval;
}

/* The output of `v`'s virtual timer: ENABLE && !IMASK && ISTATUS
 * (Arm ARM D11.2.4), from the hardware if `v` is loaded here. */
bool vcpu_vtimer_level(const struct vcpu *v)
{
	if (this_pcpu()->loaded == v) {
		uint64_t ctl = read_sysreg(cntv_ctl_el0);
		return (ctl & CNTV_CTL_ENABLE) && !(ctl & CNTV_CTL_IMASK) &&
		       (ctl & CNTV_CTL_ISTATUS);
	}
	return timer_fires(v->sys.cntv_ctl, v->sys.cntv_cval);
}

/* When a switched-out vCPU's timer fires (counter value), or UINT64_MAX. */
uint64_t vcpu_vtimer_deadline(const struct vcpu *v)
{
	uint64_t ctl = v->sys.cntv_ctl;

	if ((ctl & CNTV_CTL_ENABLE) && !(ctl & CNTV_CTL_IMASK))
		return v->sys.cntv_cval;
	return UINT64_MAX;
}

void vcpu_load(struct pcpu *p, struct vcpu *v)
{
	write_sysreg(vmpidr_el2, v->mpidr);
	sysregs_load(&v->sys);
	fpsimd_restore(&v->fp);
	vtimer_load(v);
	p->loaded = v;
	/* The timer may have fired while we were out: tell the vGIC the
	 * line's level now, so flush sets the physical active state before
	 * the guest runs (or drops a level that went away). */
	vgic_set_level(g_vm, v->idx, INTID_VTIMER, vcpu_vtimer_level(v));
}

void vcpu_put(struct pcpu *p, struct vcpu *v)
{
	vtimer_save(v);
	sysregs_save(&v->sys);
	fpsimd_save(&v->fp);
	vgic_vcpu_put(g_vm, v->idx);
	p->loaded = NULL;
}

static const char *const exit_names[EXIT_NR] = {
	[EXIT_MMIO] = "mmio",	      [EXIT_IABT] = "iabt",
	[EXIT_SYSREG] = "sysreg",     [EXIT_HVC] = "hvc",
	[EXIT_SMC] = "smc",	      [EXIT_WFI] = "wfi",
	[EXIT_WFE] = "wfe",	      [EXIT_IRQ] = "irq",
	[EXIT_OTHER] = "other",	      [EXIT_ABORT] = "abort",
	[EXIT_UNDEF] = "undef",	      [EXIT_MAINT] = "maint",
	[EXIT_VTIMER] = "vtimer",     [EXIT_UART] = "uart",
	[EXIT_INTX] = "intx",	      [EXIT_KICK] = "kick",
	[EXIT_TICK] = "tick",	      [EXIT_LPI] = "lpi",
	[EXIT_SGI_SENT] = "sgi_sent",
};

/* A tiny string builder: the counter lines are printed whole. */
struct line {
	char buf[512];
	unsigned n;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = *s++;
	l->buf[l->n] = 0;
}

static void put_u64(struct line *l, uint64_t v)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = d[--n];
	l->buf[l->n] = 0;
}

static void put_kv(struct line *l, const char *key, uint64_t v)
{
	put(l, " ");
	put(l, key);
	put(l, "=");
	put_u64(l, v);
}

/* Counters other pCPUs may bump (atomics), printed after exit_names. */
#define NR_ATOMIC 4
static const char *const atomic_names[NR_ATOMIC] = {
	"vtimer_ack",
	"sgi_recv",
	"sgi_ack",
	"stopped",
};
#define NR_COUNTS (EXIT_NR + NR_ATOMIC)

/*
 * One line per vCPU, then the sums (format in hyp/README.md):
 *   hyp: vcpu<i> exits: total=<n> mmio=<n> ... stopped=<n>
 *   hyp: all exits: total=<n> ...
 * total is the sum of the exit causes mmio..other.
 */
static void print_counts(const char *who, const uint64_t *c)
{
	struct line l = {.n = 0};
	uint64_t total = 0;

	for (unsigned i = 0; i < EXIT_NR_CAUSES; i++)
		total += c[i];
	put(&l, "hyp: ");
	put(&l, who);
	put(&l, " exits:");
	put_kv(&l, "total", total);
	for (unsigned i = 0; i < NR_COUNTS; i++)
		put_kv(&l,
		       i < EXIT_NR ? exit_names[i] : atomic_names[i - EXIT_NR],
		       c[i]);
	hyp_printf("%s\n", l.buf);
}

/* The other pCPUs are parked first (sched_halt_others): the numbers are
 * final and no guest output cuts through them. */
void vcpu_print_exits(void)
{
	uint64_t sum[NR_COUNTS] = {0}, c[NR_COUNTS];
	char who[8] = "vcpu";

	sched_halt_others();
	for (uint32_t i = 0; i < g_cfg.nr_vcpus; i++) {
		struct vcpu *v = &g_vcpus[i];
		for (unsigned k = 0; k < EXIT_NR; k++)
			c[k] = v->exits[k];
		c[EXIT_NR + 0] = atomic_load(&v->vtimer_ack);
		c[EXIT_NR + 1] = atomic_load(&v->sgi_recv);
		c[EXIT_NR + 2] = atomic_load(&v->sgi_ack);
		c[EXIT_NR + 3] = atomic_load(&v->stopped);
		for (unsigned k = 0; k < NR_COUNTS; k++)
			sum[k] += c[k];
		who[4] = (char)('0' + i); /* at most 8 vCPUs */
		who[5] = 0;
		print_counts(who, c);
	}
	print_counts("all", sum);
	its_print_stats();
}
