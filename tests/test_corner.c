/* SPDX-License-Identifier: MIT */
/*
 * Corner cases: regressions for what fuzzing found (fuzz/) and the paths
 * the coverage report showed no other test reaching, each checked
 * against the behaviour the spec (IHI 0069) asks for.
 */
#include "harness.h"
#include "mmio.h"

#define NR_SPIS 64

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(H.vm, &s), 0);
	return s;
}

static struct vgic_irq_state irq_state(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state st;
	assert_int_equal(vgic_irq_state(H.vm, v, intid, &st), 0);
	return st;
}

/* -------------------------------------------------- one list register */

/*
 * fuzz_vcpu: with a single LR and more pending than fits, flush set
 * ICH_HCR_EL2.UIE, which signals while at most one LR is valid: the
 * maintenance interrupt fired on entry, every time, and the guest never
 * ran. NPIE must do the refill instead.
 */
static void t_one_lr_refill(void **state)
{
	(void)state;
	assert_int_equal(h_setup(1, 1, 1, NR_SPIS), 0);
	h_guest_init(0, 0, false);
	h_cfg_irq(0, 40, true, 0x10, true, true);
	h_cfg_irq(0, 41, true, 0x20, true, true);
	vgic_inject(H.vm, 0, 40);
	vgic_inject(H.vm, 0, 41);

	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 1);
	assert_false(H.cif[0].hcr & VGIC_HCR_UIE);
	assert_true(H.cif[0].hcr & VGIC_HCR_NPIE);
	assert_false(h_maint(0)); /* the guest runs */
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 40);
	assert_true(model_ich_misr(&H.m, 0) & VGIC_MISR_NP);
	h_guest_complete(0, MODEL_GROUP1, 40, false);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 41);
	h_guest_complete(0, MODEL_GROUP1, 41, false);
	assert_false(h_maint(0));
	h_exit(0);
	assert_false(irq_state(0, 40).pending || irq_state(0, 41).pending);
	assert_int_equal(stats().maint_underflow, 0);
	assert_true(stats().maint_np >= 1);
}

/* ------------------------------------ forwarded: guest ICACTIVER */

#define VSPI 40
#define PSPI 48

/* A forwarded level SPI the guest has taken: physical INTID active (the
 * host dropped its priority only, EOImode 1), virtual one active. */
static void forwarded_taken(bool line_after)
{
	model_phys_set_enabled(&H.m, 0, PSPI, true);
	model_phys_set_priority(&H.m, 0, PSPI, 0x80);
	model_phys_route_spi(&H.m, PSPI, 0);
	h_guest_init(0, 0, false);
	h_cfg_irq(0, VSPI, true, 0x20, false, true);
	h_route(VSPI, 0);
	assert_int_equal(vgic_map_phys(H.vm, 0, VSPI, PSPI), 0);

	model_set_line(&H.m, 0, PSPI, true);
	uint32_t pintid = model_icc_iar(&H.m, 0, MODEL_GROUP1);
	assert_int_equal(pintid, PSPI);
	model_icc_eoir(&H.m, 0, MODEL_GROUP1, pintid);
	assert_int_equal(vgic_inject_phys(H.vm, 0, VSPI), 0);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), VSPI);
	h_exit(0);
	assert_true(irq_state(0, VSPI).active);
	assert_true(model_phys_is_active(&H.m, 0, PSPI));
	model_set_line(&H.m, 0, PSPI, line_after);
}

/*
 * The guest deactivates a forwarded interrupt through GICD_ICACTIVER<n>
 * instead of its CPU interface: the physical INTID is deactivated too
 * (ARCHITECTURE.md, forwarded interrupts), and for a level interrupt the
 * physical line decides whether it is pending again.
 */
static void t_forward_icactiver_line_low(void **state)
{
	(void)state;
	assert_int_equal(h_setup(1, 1, 4, NR_SPIS), 0);
	forwarded_taken(false);
	h_bit_w(0, GICD_ICACTIVER, VSPI);
	assert_false(model_phys_is_active(&H.m, 0, PSPI));
	struct vgic_irq_state st = irq_state(0, VSPI);
	assert_false(st.active);
	assert_false(st.line_level);
	assert_false(st.pending);
	assert_false(h_bit_r(0, GICD_ISPENDR, VSPI));
}

static void t_forward_icactiver_line_high(void **state)
{
	(void)state;
	assert_int_equal(h_setup(1, 1, 4, NR_SPIS), 0);
	forwarded_taken(true);
	h_bit_w(0, GICD_ICACTIVER, VSPI);
	assert_false(model_phys_is_active(&H.m, 0, PSPI));
	struct vgic_irq_state st = irq_state(0, VSPI);
	assert_false(st.active);
	assert_true(st.line_level);
	assert_true(st.pending);
	/* The guest takes it again: the next entry presents it. */
	h_enter(0, 0);
	assert_int_equal(H.cif[0].lr[0] & VGIC_LR_VINTID_MASK, VSPI);
	assert_true(H.cif[0].lr[0] & VGIC_LR_HW);
	h_exit(0);
}

/* ------------------------------------------------ table self-test */

static const struct vgic_mmio_spec_reg spec3[] = {
	{0x0000, 1, 4, "A"},
	{0x0080, 32, 4, "B"},
	{0x0400, 8, 4, "C"},
};

#define DREG(off, len, w, nm)                                                  \
	((struct vgic_mmio_desc)VGIC_MMIO_REG(off, len, w, vgic_mmio_read_raz, \
					      vgic_mmio_write_wi, nm))
#define DIRQ(off, len, bpi, w, nm)                                             \
	((struct vgic_mmio_desc)VGIC_MMIO_IRQ(off, len, 0, bpi, w,             \
					      vgic_mmio_read_raz,              \
					      vgic_mmio_write_wi, nm))

static int check3(struct vgic_mmio_desc a, struct vgic_mmio_desc b,
		  struct vgic_mmio_desc c, uint32_t nr_spec, bool swap_spec)
{
	struct vgic_mmio_desc regs[3] = {a, b, c};
	struct vgic_mmio_spec_reg spec[3] = {spec3[0], spec3[1], spec3[2]};
	if (swap_spec) {
		spec[1] = spec3[2];
		spec[2] = spec3[1];
	}
	struct vgic_mmio_frame f = {"t", regs, 3, spec, nr_spec, false};
	return vgic_mmio_check_frame(&f);
}

/*
 * The self-test (ARCHITECTURE.md: tables proven sorted, non-overlapping
 * and covering the spec's map) rejects each kind of broken table, with
 * the code of the check that caught it.
 */
static void t_selftest_rejects(void **state)
{
	(void)state;
	struct vgic_mmio_desc a = DREG(0, 4, 4, "A");
	struct vgic_mmio_desc b = DIRQ(0x80, 0x80, 1, 4, "B");
	struct vgic_mmio_desc c = DIRQ(0x400, 0x20, 8, 5, "C");

	assert_int_equal(check3(a, b, c, 3, false), 0);
	/* Not sorted; overlapping. */
	assert_int_equal(check3(b, a, c, 3, false), -1);
	assert_int_equal(check3(a, DIRQ(0x80, 0x384, 1, 4, "B"), c, 3, false),
			 -1);
	/* A width the table cannot have, no width, odd bits per IRQ. */
	assert_int_equal(
		check3(a, b, DIRQ(0x400, 0x20, 8, 0x15, "C"), 3, false), -1);
	assert_int_equal(check3(a, b, DIRQ(0x400, 0x20, 8, 0, "C"), 3, false),
			 -1);
	assert_int_equal(check3(a, b, DIRQ(0x400, 0x20, 3, 5, "C"), 3, false),
			 -1);
	/* Unaligned to its widest access; beyond the 64 KiB frame. */
	assert_int_equal(check3(a, b, DREG(0x402, 0x20, 4, "C"), 3, false), -1);
	assert_int_equal(check3(a, b, DREG(0xfff0, 0x20, 4, "C"), 3, false),
			 -1);
	/* A descriptor the spec list does not name, or the reverse. */
	assert_int_equal(check3(a, b, c, 2, false), -2);
	/* The spec list out of order. */
	assert_int_equal(check3(a, b, c, 3, true), -3);
	/* No table at all. */
	assert_int_equal(vgic_mmio_check_frame(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_one_lr_refill, h_teardown),
		cmocka_unit_test_teardown(t_forward_icactiver_line_low,
					  h_teardown),
		cmocka_unit_test_teardown(t_forward_icactiver_line_high,
					  h_teardown),
		cmocka_unit_test(t_selftest_rejects),
	};
	return cmocka_run_group_tests_name("corner", tests, NULL, NULL);
}
