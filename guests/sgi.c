/* SPDX-License-Identifier: MIT */
/*
 * SGIs through ICC_SGI1R_EL1: to self, to target lists, to all but self
 * (IRM = 1), to a CPU that does not exist; pending-state merging; a
 * disabled SGI stays pending. Every delivery is counted per CPU by the
 * receiving CPU's IRQ handler; a case passes when exactly the intended
 * CPUs took the SGI exactly once.
 */
#include "guest.h"

const char test_name[] = "sgi";

static uint32_t before[MAX_CPUS];

static void snap(uint32_t intid)
{
	for (unsigned c = 0; c < nr_cpus; c++)
		before[c] = irq_count(c, intid);
}

static uint32_t delta(unsigned c, uint32_t intid)
{
	return irq_count(c, intid) - before[c];
}

static bool arrived(uint32_t intid, uint32_t mask)
{
	for (unsigned c = 0; c < nr_cpus; c++)
		if ((mask & (1u << c)) && delta(c, intid) == 0)
			return false;
	return true;
}

/* Wait until every CPU in `mask` took `intid`, let stray ones land, then
 * require exactly one delivery on each CPU in mask and none elsewhere. */
static void expect(uint32_t intid, uint32_t mask, const char *what,
		   unsigned arg)
{
	irq_enable();
	WAIT_FOR(arrived(intid, mask), "%s %u: SGI %u", what, arg, intid);
	irq_disable();
	smp_settle();
	uint32_t got = 0;
	bool exact = true;
	for (unsigned c = 0; c < nr_cpus; c++) {
		uint32_t d = delta(c, intid);
		if (d)
			got |= 1u << c;
		if (d != ((mask >> c) & 1u))
			exact = false;
	}
	t_check(exact,
		"%s %u: SGI %u taken by cpus 0x%x (want 0x%x, once each)", what,
		arg, intid, got, mask);
}

#define ARG(intid, mask, mode)                                                 \
	((intid) | (uint64_t)(mask) << 8 | (uint64_t)(mode) << 40)
enum { TO_MASK, TO_OTHERS };

static uint64_t send_fn(uint64_t arg)
{
	uint32_t intid = arg & 0xff, mask = (uint32_t)(arg >> 8);

	if ((arg >> 40) == TO_OTHERS)
		sgi_send_others(intid);
	else
		sgi_send_mask(intid, mask);
	return 0;
}

static uint64_t enable_sgis_fn(uint64_t arg)
{
	(void)arg;
	mmio_write32(gicr_sgi(this_cpu()) + GICR_ISENABLER0, 0xfffe);
	dsb();
	return 0;
}

/* Self: the sending CPU waits for its own SGI. */
static uint64_t self_fn(uint64_t arg)
{
	uint32_t intid = (uint32_t)arg, n = irq_count(this_cpu(), intid);

	irq_enable();
	sgi_send_self(intid);
	WAIT_FOR(irq_count(this_cpu(), intid) != n, "self SGI cpu %u",
		 this_cpu());
	irq_disable();
	return 0;
}

static void test_self(void)
{
	t_section("self");
	for (unsigned c = 0; c < nr_cpus; c++) {
		snap(1);
		smp_call(c, self_fn, 1);
		expect(1, 1u << c, "self from cpu", c);
	}
}

static void test_targetlist(void)
{
	uint32_t all = (1u << nr_cpus) - 1;

	t_section("target list");
	/* to every CPU, the sender included */
	snap(2);
	send_fn(ARG(2, all, TO_MASK));
	expect(2, all, "all from cpu", 0);

	/* a ring: each CPU to the next one */
	for (unsigned s = 0; s < nr_cpus; s++) {
		uint32_t to = 1u << ((s + 1) % nr_cpus);
		snap(3);
		smp_call(s, send_fn, ARG(3, to, TO_MASK));
		expect(3, to, "next from cpu", s);
	}

	/* the even-numbered CPUs, from the last one */
	snap(4);
	smp_call(nr_cpus - 1, send_fn, ARG(4, all & 0x55, TO_MASK));
	expect(4, all & 0x55, "even cpus from cpu", nr_cpus - 1);

	/* every CPU but one, from CPU 0, by target list */
	for (unsigned x = 0; x < nr_cpus && nr_cpus > 1; x++) {
		snap(5);
		send_fn(ARG(5, all & ~(1u << x), TO_MASK));
		expect(5, all & ~(1u << x), "all but cpu", x);
	}
}

static void test_broadcast(void)
{
	uint32_t all = (1u << nr_cpus) - 1;

	t_section("broadcast");
	for (unsigned s = 0; s < nr_cpus; s++) {
		snap(6);
		smp_call(s, send_fn, ARG(6, 0, TO_OTHERS));
		if (nr_cpus == 1) {
			/* nobody else: nothing may arrive */
			smp_settle();
			t_expect("IRM=1 with one cpu: not taken", delta(0, 6),
				 0);
			continue;
		}
		expect(6, all & ~(1u << s), "all but self from cpu", s);
	}
}

/* A target list naming only a CPU that does not exist. */
static void test_nobody(void)
{
	uint64_t last = cpu_aff[nr_cpus - 1];

	t_section("nonexistent target");
	if ((last & 0xf) == 0xf) {
		t_skip("no free Aff0 in the last cluster");
		return;
	}
	snap(7);
	uint64_t v = sgi1r_value(7, last, 1u << ((last & 0xf) + 1)) |
		     ((last >> 4) & 0xf) << 44;
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
	smp_settle();
	uint32_t got = 0;
	for (unsigned c = 0; c < nr_cpus; c++)
		if (delta(c, 7))
			got |= 1u << c;
	t_expect("SGI to an absent Aff0: taken by no cpu", got, 0);
}

/* Several SGIs of one INTID to a CPU with IRQs masked: one pending
 * state, one delivery (GICv3 with affinity routing keeps no per-source
 * SGI state). */
static void test_merge(void)
{
	t_section("merge");
	snap(8);
	sgi_send_self(8);
	sgi_send_self(8);
	for (unsigned s = 1; s < nr_cpus; s++)
		smp_call(s, send_fn, ARG(8, 1, TO_MASK));
	WAIT_FOR(irq_is_pending(8), "SGI 8 pending");
	t_expect("masked cpu: SGI pending", irq_is_pending(8), 1);
	t_expect("masked cpu: not taken yet", delta(0, 8), 0);
	expect(8, 1, "merged sends to cpu", 0);
}

static void test_disabled(void)
{
	t_section("disabled");
	irq_disable_id(9);
	snap(9);
	sgi_send_self(9);
	WAIT_FOR(irq_is_pending(9), "disabled SGI 9 pending");
	irq_enable();
	delay_us(NEGATIVE_US);
	irq_disable();
	t_expect("disabled SGI: pending, not taken", delta(0, 9), 0);
	irq_enable_id(9);
	expect(9, 1, "enabled again on cpu", 0);
	t_expect("SGI 9 no longer pending", irq_is_pending(9), 0);
}

void test_main(void)
{
	t_gic_setup();
	for (unsigned c = 0; c < nr_cpus; c++)
		smp_call(c, enable_sgis_fn, 0);
	test_self();
	test_targetlist();
	test_broadcast();
	test_nobody();
	test_merge();
	test_disabled();
}
