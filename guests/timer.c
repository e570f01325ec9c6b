/* SPDX-License-Identifier: MIT */
/*
 * The EL1 virtual timer, PPI 27 (level-sensitive), on every CPU:
 *   - with PPI 27 disabled, GICR_ISPENDR0 bit 27 follows the timer
 *     output: CVAL in the past + ENABLE -> 1; IMASK -> 0; CVAL in the
 *     future -> 0; GICR_ICPENDR0 cannot clear it while the output is high;
 *   - enabled: five interrupts, one per period, each handler reprograms
 *     CVAL before the EOI; none after the timer is masked;
 *   - a handler that EOIs without touching the timer is entered again
 *     (the level is sampled again after the deactivation);
 *   - a software pending state (ISPENDR) with the output low is taken
 *     exactly once.
 * Nothing timing-dependent is printed: counts are exact by construction.
 */
#include "guest.h"

const char test_name[] = "timer";

#define VTIMER 27
#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u
#define PERIOD_US 1000

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void timer_set(uint64_t cval, uint32_t ctl)
{
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, ctl);
	isb();
}

static uint32_t vt_pending(void)
{
	return gicr_bit_read(this_cpu(), GICR_ISPENDR0, VTIMER);
}

/* Wait (bounded) for the pending bit to reach `want`, then report it. */
static void expect_pending(const char *what, uint32_t want)
{
	uint64_t dl = deadline_us(WAIT_US);

	while (vt_pending() != want && !expired(dl))
		cpu_relax();
	t_expect(what, vt_pending(), want);
}

static void level_follows_output(void)
{
	irq_disable_id(VTIMER);
	timer_set(0, 0);
	irq_clear_pending(VTIMER);
	expect_pending("timer off: not pending", 0);

	timer_set(now() - 1, CTL_ENABLE);
	t_expect("CVAL in the past: CNTV_CTL.ISTATUS",
		 read_sysreg(cntv_ctl_el0) & CTL_ISTATUS, CTL_ISTATUS);
	expect_pending("output high, PPI disabled: ISPENDR0 bit 27 is 1", 1);
	irq_clear_pending(VTIMER);
	delay_us(SETTLE_US);
	t_expect("output high: ICPENDR0 cannot clear it", vt_pending(), 1);

	timer_set(now() - 1, CTL_ENABLE | CTL_IMASK);
	expect_pending("IMASK: ISPENDR0 bit 27 is 0", 0);
	timer_set(now() - 1, CTL_ENABLE);
	expect_pending("IMASK cleared: 1 again", 1);
	timer_set(now() + time_ticks(3600ull * 1000000), CTL_ENABLE);
	t_expect("CVAL in the future: ISTATUS 0",
		 read_sysreg(cntv_ctl_el0) & CTL_ISTATUS, 0);
	expect_pending("CVAL in the future: 0", 0);
	timer_set(now() - 1, 0);
	expect_pending("ENABLE 0: 0", 0);
}

/* ----------------------------------------------------------- periodic */

static volatile uint32_t ticks, limit, refire_mode;

static int tick_hook(uint32_t intid)
{
	if (intid != VTIMER)
		return 0;
	ticks = ticks + 1;
	if (refire_mode) {
		/* first entry: EOI with the output still high */
		if (ticks >= limit)
			timer_set(0, CTL_ENABLE | CTL_IMASK);
		return 0;
	}
	if (ticks < limit)
		timer_set(read_sysreg(cntv_cval_el0) + time_ticks(PERIOD_US),
			  CTL_ENABLE);
	else
		timer_set(0, CTL_ENABLE | CTL_IMASK);
	return 0; /* dispatch EOIs after the reprogramming */
}

static void periodic(void)
{
	ticks = 0;
	limit = 5;
	refire_mode = 0;
	my_percpu()->hook = tick_hook;
	irq_set_priority(VTIMER, 0x80);
	irq_enable_id(VTIMER);
	timer_set(now() + time_ticks(PERIOD_US), CTL_ENABLE);
	irq_enable();
	WAIT_FOR(ticks >= 5, "five timer interrupts on cpu %u", this_cpu());
	delay_us(NEGATIVE_US);
	irq_disable();
	t_expect("five periods: five interrupts, then masked: none", ticks, 5);

	ticks = 0;
	limit = 2;
	refire_mode = 1;
	timer_set(now() - 1, CTL_ENABLE);
	irq_enable();
	WAIT_FOR(ticks >= 2, "timer re-fire on cpu %u", this_cpu());
	delay_us(NEGATIVE_US);
	irq_disable();
	t_expect("EOI with the output high: taken again (twice in all)", ticks,
		 2);
	my_percpu()->hook = 0;
	timer_set(0, 0);
	t_expect("timer PPI inactive", irq_is_active(VTIMER), 0);
}

/* A software pending state with the output low: taken once. */
static void soft_pending(void)
{
	uint32_t n = irq_count(this_cpu(), VTIMER);

	timer_set(0, 0);
	irq_disable_id(VTIMER);
	irq_clear_pending(VTIMER);
	irq_set_pending(VTIMER);
	expect_pending("ISPENDR0 with the output low: pending", 1);
	irq_enable_id(VTIMER);
	irq_enable();
	WAIT_FOR(irq_count(this_cpu(), VTIMER) != n, "software timer PPI");
	delay_us(NEGATIVE_US);
	irq_disable();
	t_expect("software pending timer PPI: taken once",
		 irq_count(this_cpu(), VTIMER) - n, 1);
	t_expect("and no longer pending", vt_pending(), 0);
	irq_disable_id(VTIMER);
}

static uint64_t suite(uint64_t arg)
{
	(void)arg;
	level_follows_output();
	periodic();
	soft_pending();
	return 0;
}

void test_main(void)
{
	t_gic_setup();
	t_each_cpu("timer", suite);
}
