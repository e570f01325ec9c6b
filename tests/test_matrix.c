/* SPDX-License-Identifier: MIT */
/*
 * Delivery matrix, in the spirit of KVM's vgic_irq selftest: every way of
 * making an interrupt pending (input line, host edge, guest GICD_ISPENDR /
 * GICR_ISPENDR0 write, guest ICC_SGI1R/SGI0R write) × INTID class (SGI,
 * PPI, SPI, several INTIDs each) × trigger (edge, level) × group (0, 1)
 * × guest EOImode (0, 1). Each combination runs on a fresh VM; the guest
 * takes the interrupt through the model's ICV registers and completes it.
 *
 * Combinations that cannot exist are skipped: SGIs have no input line and
 * are always edge-triggered, and SGI1R/SGI0R only raise SGIs. SGI0R with
 * a Group 1 SGI does exist: it must raise nothing (DS == 1).
 */
#include "harness.h"

#include <stdio.h>

#define NR_SPIS 100 /* INTIDs 32..131: the last register is partly used */
#define LAST_SPI (32 + NR_SPIS - 1)

enum method {
	M_LINE,	   /* vgic_set_level: level, or a rising edge */
	M_INJECT,  /* vgic_inject */
	M_ISPENDR, /* guest write to GICD_ISPENDR / GICR_ISPENDR0 */
	M_SGI1R,   /* guest ICC_SGI1R_EL1, trapped */
	M_SGI0R,   /* guest ICC_SGI0R_EL1, trapped */
	M_NR
};

static const char *const method_name[M_NR] = {"line", "inject", "ispendr",
					      "sgi1r", "sgi0r"};

struct combo {
	enum method m;
	uint32_t intid;
	bool edge;
	bool group1;
	bool eoimode;
};

/* The combination being run, printed by the teardown if it failed. */
static struct combo cur;
static bool in_combo;

static int setup_none(void **state)
{
	(void)state;
	in_combo = false;
	return 0;
}

static int teardown_report(void **state)
{
	if (in_combo)
		print_message("failed combination: %s intid %u %s group %u "
			      "EOImode %u\n",
			      method_name[cur.m], cur.intid,
			      cur.edge ? "edge" : "level", cur.group1,
			      cur.eoimode);
	in_combo = false;
	return h_teardown(state);
}

static struct vgic_irq_state irq_st(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state st;
	assert_int_equal(vgic_irq_state(H.vm, v, intid, &st), 0);
	return st;
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(H.vm, &s), 0);
	return s;
}

static uint64_t sgis_generated(void)
{
	return stats().sgis;
}

static bool possible(enum method m, uint32_t intid, bool edge)
{
	bool sgi = intid < VGIC_NR_SGIS;

	switch (m) {
	case M_LINE:
		return !sgi; /* SGIs have no input line */
	case M_SGI1R:
	case M_SGI0R:
		return sgi && edge;
	default:
		return !sgi || edge; /* SGIs are edge-triggered only */
	}
}

/* The pending state is driven by the input line (not a latch). */
static bool is_level_line(const struct combo *c)
{
	return c->m == M_LINE && !c->edge;
}

/* ICC_SGI1R/SGI0R value targeting vCPU `v` (default affinity). */
static uint64_t sgir_to(uint32_t v, uint32_t intid)
{
	return (uint64_t)intid << 24 | (uint64_t)(v / 16) << 16 |
	       1u << (v % 16);
}

/* Make `c->intid` pending on vCPU `target` the combination's way; the
 * guest side (ISPENDR, SGIs) is performed by vCPU `by`. */
static void inject(const struct combo *c, uint32_t by, uint32_t target)
{
	switch (c->m) {
	case M_LINE:
		/* High, low, high: an edge latched on the first rising edge
		 * (the second merges with it); a level one follows the line. */
		assert_int_equal(vgic_set_level(H.vm, target, c->intid, true),
				 0);
		assert_int_equal(vgic_set_level(H.vm, target, c->intid, false),
				 0);
		assert_int_equal(irq_st(target, c->intid).pending, c->edge);
		assert_int_equal(vgic_set_level(H.vm, target, c->intid, true),
				 0);
		break;
	case M_INJECT:
		assert_int_equal(vgic_inject(H.vm, target, c->intid), 0);
		break;
	case M_ISPENDR:
		/* Private interrupts: the target's own redistributor. */
		h_bit_w(c->intid < 32 ? target : by, GICD_ISPENDR, c->intid);
		break;
	case M_SGI1R:
		assert_int_equal(vgic_sysreg_write(H.vm, by, VGIC_SYSREG_SGI1R,
						   sgir_to(target, c->intid)),
				 0);
		break;
	case M_SGI0R:
		assert_int_equal(vgic_sysreg_write(H.vm, by, VGIC_SYSREG_SGI0R,
						   sgir_to(target, c->intid)),
				 0);
		break;
	default:
		fail();
	}
}

/*
 * The guest on `p` completes `intid`: EOI, and with EOImode 1 a separate
 * DIR. Between the two the interrupt must still be active (only its
 * priority was dropped), which an exit lets us observe.
 */
static void complete(uint32_t v, uint32_t p, unsigned grp, uint32_t intid,
		     bool eoimode)
{
	if (!eoimode) {
		h_guest_complete(p, grp, intid, false);
		return;
	}
	model_guest_eoi(&H.m, p, grp, intid);
	assert_int_equal(model_guest_rpr(&H.m, p), 0xff);
	h_exit(p);
	assert_true(irq_st(v, intid).active);
	h_enter(v, p);
	if (model_guest_dir(&H.m, p, intid)) {
		h_exit(p);
		assert_int_equal(
			vgic_sysreg_write(H.vm, v, VGIC_SYSREG_DIR, intid), 0);
		h_enter(v, p);
	}
	h_service_maint(p);
}

/* Priority for a combination: varies, always unmasked by PMR 0xff (read
 * as 0xf8 with five bits) and never below the implemented bits. */
static uint8_t prio_for(const struct combo *c)
{
	return (uint8_t)(((c->intid * 7 + c->m) % 30) << 3);
}

static void run_combo(const struct combo *c)
{
	const uint32_t intid = c->intid;
	const unsigned grp = c->group1 ? MODEL_GROUP1 : MODEL_GROUP0;
	const unsigned other = grp ^ 1u;
	const bool sgi_method = c->m == M_SGI1R || c->m == M_SGI0R;
	const bool delivered = !(c->m == M_SGI0R && c->group1);
	const bool edge = intid < VGIC_NR_SGIS || c->edge;
	const uint8_t prio = prio_for(c);

	cur = *c;
	in_combo = true;
	h_teardown(NULL);
	assert_int_equal(h_setup(1, 1, 4, NR_SPIS), 0);
	h_guest_init(0, 0, c->eoimode);
	h_cfg_irq(0, intid, c->group1, prio, c->edge, true);
	if (intid >= 32)
		h_route(intid, 0);

	struct vgic_irq_state st = irq_st(0, intid);
	assert_false(st.pending);
	assert_false(st.active);
	assert_true(st.enabled);
	assert_int_equal(st.group1, c->group1);
	assert_int_equal(st.edge, edge);
	assert_int_equal(st.priority, prio);
	assert_int_equal(st.target, 0);
	assert_false(vgic_vcpu_pending(H.vm, 0));

	uint64_t sgis = sgis_generated();
	inject(c, 0, 0);
	assert_int_equal(sgis_generated() - sgis,
			 sgi_method && delivered ? 1 : 0);
	st = irq_st(0, intid);
	assert_int_equal(st.pending, delivered);
	assert_false(st.active);
	assert_int_equal(st.line_level, c->m == M_LINE);
	assert_int_equal(vgic_vcpu_pending(H.vm, 0), delivered);

	/* An entry where the guest takes nothing leaves it pending. */
	h_enter(0, 0);
	h_exit(0);
	st = irq_st(0, intid);
	assert_int_equal(st.pending, delivered);
	assert_false(st.active);

	h_enter(0, 0);
	/* Never through the other group's IAR. */
	assert_int_equal(model_guest_ack(&H.m, 0, other), MODEL_SPURIOUS);
	if (!delivered) {
		assert_int_equal(model_guest_ack(&H.m, 0, grp), MODEL_SPURIOUS);
		h_exit(0);
		st = irq_st(0, intid);
		assert_false(st.pending || st.active);
		in_combo = false;
		return;
	}
	assert_int_equal(model_guest_ack(&H.m, 0, grp), intid);
	/* Exactly once. */
	assert_int_equal(model_guest_ack(&H.m, 0, grp), MODEL_SPURIOUS);
	assert_int_equal(model_guest_ack(&H.m, 0, other), MODEL_SPURIOUS);
	h_exit(0);

	/* Active while the handler runs; still pending only if the line
	 * is (the latch of ISPENDR/inject on a level one clears on
	 * acknowledge, an edge moved into the LR). */
	st = irq_st(0, intid);
	assert_true(st.active);
	assert_int_equal(st.pending, is_level_line(c));

	h_enter(0, 0);
	if (is_level_line(c)) {
		/* Line still high after the EOI: delivered again, both when
		 * the LR already held it pending and active (after the exit
		 * above) and when the guest takes and completes it within
		 * one entry (the LR goes invalid: EOI maintenance). */
		uint64_t maint = stats().maint_eoi;
		for (int round = 0; round < 2; round++) {
			if (round == 0)
				complete(0, 0, grp, intid, c->eoimode);
			else /* EOI (and DIR) with no exit in between */
				h_guest_complete(0, grp, intid, c->eoimode);
			assert_int_equal(model_guest_ack(&H.m, 0, grp), intid);
			assert_int_equal(model_guest_ack(&H.m, 0, grp),
					 MODEL_SPURIOUS);
		}
		assert_true(stats().maint_eoi > maint);
		h_exit(0);
		st = irq_st(0, intid);
		assert_true(st.active);
		assert_true(st.pending);
		/* Line low: the second completion ends it. */
		assert_int_equal(vgic_set_level(H.vm, 0, intid, false), 0);
		st = irq_st(0, intid);
		assert_true(st.active);
		assert_false(st.pending);
		h_enter(0, 0);
	}
	complete(0, 0, grp, intid, c->eoimode);
	/* An edge line that stays high is not pending again. */
	assert_int_equal(model_guest_ack(&H.m, 0, grp), MODEL_SPURIOUS);
	assert_int_equal(model_guest_ack(&H.m, 0, other), MODEL_SPURIOUS);
	h_exit(0);
	if (c->m == M_LINE && c->edge) {
		assert_true(irq_st(0, intid).line_level);
		assert_int_equal(vgic_set_level(H.vm, 0, intid, false), 0);
	}

	st = irq_st(0, intid);
	assert_false(st.pending);
	assert_false(st.active);
	assert_false(vgic_vcpu_pending(H.vm, 0));
	if (!is_level_line(c)) {
		/* Again, handled the usual way: acknowledge and complete
		 * within one entry. */
		inject(c, 0, 0);
		h_enter(0, 0);
		assert_int_equal(model_guest_ack(&H.m, 0, grp), intid);
		h_guest_complete(0, grp, intid, c->eoimode);
		assert_int_equal(model_guest_ack(&H.m, 0, grp), MODEL_SPURIOUS);
		h_exit(0);
		if (c->m == M_LINE)
			assert_int_equal(vgic_set_level(H.vm, 0, intid, false),
					 0);
		st = irq_st(0, intid);
		assert_false(st.pending || st.active);
	}
	/* Edge-triggered interrupts need no EOI maintenance. */
	if (edge)
		assert_int_equal(stats().maint_eoi, 0);
	/* Nothing left behind in the LRs either. */
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 0);
	assert_int_equal(model_guest_rpr(&H.m, 0), 0xff);
	h_exit(0);
	in_combo = false;
}

/* Runs every possible combination for the INTIDs given; returns how
 * many ran and, through *negative, how many must deliver nothing. */
static unsigned run_class(const uint32_t *intids, unsigned n,
			  unsigned *negative)
{
	unsigned ran = 0;

	*negative = 0;
	for (unsigned i = 0; i < n; i++)
		for (int m = 0; m < M_NR; m++)
			for (int edge = 0; edge < 2; edge++)
				for (int g = 0; g < 2; g++)
					for (int eoi = 0; eoi < 2; eoi++) {
						struct combo c = {
							(enum method)m,
							intids[i], edge, g,
							eoi};
						if (!possible(c.m, c.intid,
							      c.edge))
							continue;
						run_combo(&c);
						ran++;
						*negative += c.m == M_SGI0R &&
							     c.group1;
					}
	return ran;
}

/* SGIs: inject, ISPENDR0, SGI1R, SGI0R; edge only; 2 INTIDs × 4 methods
 * × 2 groups × 2 EOImodes. SGI0R of a Group 1 SGI raises nothing. */
static void t_matrix_sgi(void **state)
{
	(void)state;
	const uint32_t intids[] = {0, 15};
	unsigned neg;
	assert_int_equal(run_class(intids, 2, &neg), 2 * 4 * 2 * 2);
	assert_int_equal(neg, 2 * 2);
}

/* PPIs: line, inject, ISPENDR0 × edge/level × groups × EOImodes. */
static void t_matrix_ppi(void **state)
{
	(void)state;
	const uint32_t intids[] = {16, 23, 31};
	unsigned neg;
	assert_int_equal(run_class(intids, 3, &neg), 3 * 3 * 2 * 2 * 2);
	assert_int_equal(neg, 0);
}

/* SPIs: the first, one in the middle, the last configured. */
static void t_matrix_spi(void **state)
{
	(void)state;
	const uint32_t intids[] = {32, 63, LAST_SPI};
	unsigned neg;
	assert_int_equal(run_class(intids, 3, &neg), 3 * 3 * 2 * 2 * 2);
	assert_int_equal(neg, 0);
}

/*
 * Four vCPUs, each running on its own pCPU: an SPI routed to vCPU 2 by
 * GICD_IROUTER is presented only in vCPU 2's list registers, whatever
 * the injection method, the group and which vCPU wrote ISPENDR.
 */
static void spi_to_vcpu2(const struct combo *c)
{
	const uint32_t spi = c->intid, target = 2;
	const unsigned grp = c->group1 ? MODEL_GROUP1 : MODEL_GROUP0;

	cur = *c;
	in_combo = true;
	h_teardown(NULL);
	assert_int_equal(h_setup(4, 4, 4, NR_SPIS), 0);
	for (uint32_t v = 0; v < 4; v++)
		h_guest_init(v, v, c->eoimode);
	h_cfg_irq(0, spi, c->group1, 0x40, c->edge, true);
	h_route(spi, target);
	assert_int_equal(h_mmio_r(1, h_gicd(GICD_IROUTER + 8 * spi), 8),
			 target);
	assert_int_equal(irq_st(0, spi).target, (int32_t)target);

	inject(c, 3, target);
	for (uint32_t v = 0; v < 4; v++) {
		assert_int_equal(vgic_vcpu_pending(H.vm, v), v == target);
		h_enter(v, v);
	}
	for (uint32_t v = 0; v < 4; v++) {
		uint32_t want = v == target ? spi : MODEL_SPURIOUS;
		assert_int_equal(model_guest_ack(&H.m, v, grp ^ 1u),
				 MODEL_SPURIOUS);
		assert_int_equal(model_guest_ack(&H.m, v, grp), want);
		assert_int_equal(model_guest_ack(&H.m, v, grp), MODEL_SPURIOUS);
	}
	for (uint32_t v = 0; v < 4; v++)
		h_exit(v);
	assert_true(irq_st(0, spi).active);
	if (c->m == M_LINE)
		assert_int_equal(vgic_set_level(H.vm, 0, spi, false), 0);
	h_enter(target, target);
	complete(target, target, grp, spi, c->eoimode);
	assert_int_equal(model_guest_ack(&H.m, target, grp), MODEL_SPURIOUS);
	h_exit(target);
	struct vgic_irq_state st = irq_st(0, spi);
	assert_false(st.pending || st.active);
	for (uint32_t v = 0; v < 4; v++)
		assert_false(vgic_vcpu_pending(H.vm, v));
	in_combo = false;
}

static void t_spi_routed_to_vcpu2(void **state)
{
	(void)state;
	unsigned ran = 0;

	for (int m = M_LINE; m <= M_ISPENDR; m++)
		for (int edge = 0; edge < 2; edge++)
			for (int g = 0; g < 2; g++) {
				struct combo c = {(enum method)m, 48, edge, g,
						  (m + edge) & 1};
				spi_to_vcpu2(&c);
				ran++;
			}
	assert_int_equal(ran, 3 * 2 * 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_none, teardown_report)
		T(t_matrix_sgi),
		T(t_matrix_ppi),
		T(t_matrix_spi),
		T(t_spi_routed_to_vcpu2),
#undef T
	};
	return cmocka_run_group_tests_name("matrix", tests, NULL, NULL);
}
