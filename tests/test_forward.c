/* SPDX-License-Identifier: MIT */
/*
 * Forwarded physical interrupts (LR.HW == 1), seed 001: the physical
 * interrupt stays active while the guest holds the virtual one, follows
 * the vCPU across switch-out and switch-in, and is deactivated by the
 * guest's own deactivation. The host runs with EOImode == 1.
 */
#include "harness.h"

#define VSPI 40
#define PSPI 48
#define VTIMER 27 /* virtual timer PPI, forwarded to the same pPPI */

static int setup_2on1(void **state)
{
	(void)state;
	return h_setup(2, 1, 4, 64);
}

static struct vgic_irq_state st(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state s;
	assert_int_equal(vgic_irq_state(H.vm, v, intid, &s), 0);
	return s;
}

/* Physical SPI set-up as the host would: enabled, routed to pCPU 0. */
static void phys_spi(uint32_t pintid, bool edge)
{
	model_phys_set_enabled(&H.m, 0, pintid, true);
	model_phys_set_priority(&H.m, 0, pintid, 0x80);
	model_phys_set_edge(&H.m, 0, pintid, edge);
	model_phys_route_spi(&H.m, pintid, 0);
}

/* The host takes a physical IRQ: acknowledge, priority drop only. */
static uint32_t host_take(void)
{
	uint32_t pintid = model_icc_iar(&H.m, 0, MODEL_GROUP1);
	assert_int_not_equal(pintid, MODEL_SPURIOUS);
	model_icc_eoir(&H.m, 0, MODEL_GROUP1, pintid);
	assert_true(model_phys_is_active(&H.m, 0, pintid));
	return pintid;
}

static void map_spi(bool edge)
{
	phys_spi(PSPI, edge);
	h_cfg_irq(0, VSPI, true, 0x20, edge, true);
	h_route(VSPI, 0);
	assert_int_equal(vgic_map_phys(H.vm, 0, VSPI, PSPI), 0);
}

/* Level SPI: acknowledged by the guest, vCPU switched out and back in,
 * the physical interrupt held active throughout, released by the guest. */
static void t_level_spi_switch(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	h_guest_init(1, 0, false);
	map_spi(false);

	model_set_line(&H.m, 0, PSPI, true);
	assert_true(model_pcpu_irq_line(&H.m, 0));
	assert_int_equal(host_take(), PSPI);
	assert_int_equal(vgic_inject_phys(H.vm, 0, VSPI), 0);
	assert_false(model_pcpu_irq_line(&H.m, 0)); /* held: no re-trap */

	h_enter(0, 0);
	uint64_t lr = H.cif[0].lr[0];
	assert_true(lr & VGIC_LR_HW);
	assert_int_equal((lr & VGIC_LR_PINTID_MASK) >> VGIC_LR_PINTID_SHIFT,
			 PSPI);
	assert_int_equal(lr & VGIC_LR_STATE_MASK, VGIC_LR_PENDING);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), VSPI);
	h_put(0);
	assert_true(st(0, VSPI).active);

	h_enter(1, 0); /* another vCPU on the same pCPU */
	assert_true(model_phys_is_active(&H.m, 0, PSPI));
	assert_false(model_pcpu_irq_line(&H.m, 0));
	h_put(0);

	h_enter(0, 0); /* back: exactly the active state again */
	lr = H.cif[0].lr[0];
	assert_true(lr & VGIC_LR_HW);
	assert_int_equal(lr & VGIC_LR_STATE_MASK, VGIC_LR_ACTIVE);
	assert_true(model_phys_is_active(&H.m, 0, PSPI));
	model_set_line(&H.m, 0, PSPI, false); /* the guest quiets the device */
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, VSPI);
	assert_false(model_phys_is_active(&H.m, 0, PSPI));
	assert_false(h_maint(0)); /* no exit on the guest's EOI */
	h_exit(0);
	assert_false(st(0, VSPI).active);
	assert_false(st(0, VSPI).pending);
	assert_false(model_pcpu_irq_line(&H.m, 0));
}

/* Level SPI still asserted at the guest's EOI: the physical interrupt
 * fires again at the host, which forwards it again. */
static void t_level_spi_reassert(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	map_spi(false);
	model_set_line(&H.m, 0, PSPI, true);
	host_take();
	vgic_inject_phys(H.vm, 0, VSPI);
	for (int round = 0; round < 3; round++) {
		h_enter(0, 0);
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), VSPI);
		model_guest_eoi(&H.m, 0, MODEL_GROUP1, VSPI);
		assert_true(model_pcpu_irq_line(&H.m, 0)); /* line still high */
		h_exit(0);
		assert_int_equal(host_take(), PSPI);
		vgic_inject_phys(H.vm, 0, VSPI);
	}
	model_set_line(&H.m, 0, PSPI, false);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), VSPI);
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, VSPI);
	assert_false(model_pcpu_irq_line(&H.m, 0));
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
			 MODEL_SPURIOUS);
	h_exit(0);
}

/* Edge SPI re-firing while the guest holds it: held pending by the
 * physical GIC (the interrupt is active), delivered exactly once more. */
static void t_edge_spi_refire(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	h_guest_init(1, 0, false);
	map_spi(true);
	model_set_line(&H.m, 0, PSPI, true);
	model_set_line(&H.m, 0, PSPI, false);
	host_take();
	vgic_inject_phys(H.vm, 0, VSPI);

	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), VSPI);
	h_put(0);
	model_set_line(&H.m, 0, PSPI, true); /* re-fire while switched out */
	model_set_line(&H.m, 0, PSPI, false);
	assert_true(model_phys_is_pending(&H.m, 0, PSPI));
	assert_false(model_pcpu_irq_line(&H.m, 0)); /* active: held */
	h_enter(1, 0);
	h_put(0);
	h_enter(0, 0);
	assert_int_equal(H.cif[0].lr[0] & VGIC_LR_STATE_MASK, VGIC_LR_ACTIVE);
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, VSPI);
	assert_true(model_pcpu_irq_line(&H.m, 0)); /* now released */
	h_exit(0);
	host_take();
	vgic_inject_phys(H.vm, 0, VSPI);
	uint32_t log[4];
	assert_int_equal(h_take_all(0, 0, MODEL_GROUP1, false, log, 4), 1);
	assert_int_equal(log[0], VSPI);
	assert_false(model_pcpu_irq_line(&H.m, 0));
	assert_false(model_phys_is_active(&H.m, 0, PSPI));
}

/* Timer-style PPI: each vCPU's vPPI 27 forwarded to pPPI 27 of the pCPU
 * it runs on. The physical active state belongs to the vCPU: cleared at
 * switch-out, set again at switch-in before the guest runs. */
static void timer_switch(bool ack_before_switch)
{
	h_guest_init(0, 0, false);
	h_guest_init(1, 0, false);
	for (uint32_t v = 0; v < 2; v++) {
		h_cfg_irq(v, VTIMER, true, 0x20, false, true);
		assert_int_equal(vgic_map_phys(H.vm, v, VTIMER, VTIMER), 0);
	}
	model_phys_set_enabled(&H.m, 0, VTIMER, true);
	/* vCPU 0's timer fires: the host's timer emulation drives it. */
	model_set_line(&H.m, 0, VTIMER, true);
	vgic_set_level(H.vm, 0, VTIMER, true);

	h_enter(0, 0);
	assert_true(model_phys_is_active(&H.m, 0, VTIMER));
	assert_false(model_pcpu_irq_line(&H.m, 0));
	if (ack_before_switch)
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
				 VTIMER);
	h_put(0);
	assert_false(model_phys_is_active(&H.m, 0, VTIMER));
	/* The host saves vCPU 0's timer: its output drops. */
	model_set_line(&H.m, 0, VTIMER, false);

	h_enter(1, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 0);
	assert_false(model_phys_is_active(&H.m, 0, VTIMER));
	h_put(0);

	model_set_line(&H.m, 0, VTIMER, true); /* vCPU 0's timer restored */
	h_enter(0, 0);
	uint64_t lr = H.cif[0].lr[0];
	assert_true(lr & VGIC_LR_HW);
	assert_int_equal(lr & VGIC_LR_STATE_MASK,
			 ack_before_switch ? VGIC_LR_ACTIVE : VGIC_LR_PENDING);
	assert_true(model_phys_is_active(&H.m, 0, VTIMER));
	assert_false(model_pcpu_irq_line(&H.m, 0));
	if (!ack_before_switch)
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
				 VTIMER);
	model_set_line(&H.m, 0, VTIMER, false); /* guest reprograms timer */
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, VTIMER);
	assert_false(model_phys_is_active(&H.m, 0, VTIMER));
	assert_false(h_maint(0));
	h_exit(0);
	struct vgic_irq_state s = st(0, VTIMER);
	assert_false(s.active);
	assert_false(s.pending); /* resampled from the physical line */
	assert_false(st(1, VTIMER).active || st(1, VTIMER).pending);
}

static void t_timer_active_switch(void **state)
{
	(void)state;
	timer_switch(true);
}

static void t_timer_pending_switch(void **state)
{
	(void)state;
	timer_switch(false);
}

/* GICD_ISPENDR for a forwarded level interrupt reads the physical line,
 * even while the virtual interrupt is disabled. */
static void t_ispendr_reads_line(void **state)
{
	(void)state;
	map_spi(false);
	h_bit_w(0, GICD_ICENABLER, VSPI);
	assert_false(h_bit_r(0, GICD_ISPENDR, VSPI));
	model_set_line(&H.m, 0, PSPI, true);
	assert_true(h_bit_r(0, GICD_ISPENDR, VSPI));
	assert_true(h_bit_r(0, GICD_ICPENDR, VSPI));
	model_set_line(&H.m, 0, PSPI, false);
	assert_false(h_bit_r(0, GICD_ISPENDR, VSPI));
	/* Same for a PPI, through the redistributor. */
	h_cfg_irq(1, VTIMER, true, 0x20, false, false);
	vgic_map_phys(H.vm, 1, VTIMER, VTIMER);
	model_vcpu_run_on(&H.m, 1, 0);
	model_set_line(&H.m, 0, VTIMER, true);
	assert_true(h_bit_r(1, GICD_ISPENDR, VTIMER));
	model_set_line(&H.m, 0, VTIMER, false);
	assert_false(h_bit_r(1, GICD_ISPENDR, VTIMER));
}

/* Guest EOImode 1: the EOI only drops priority; the DIR deactivates the
 * physical interrupt. */
static void t_guest_eoimode1(void **state)
{
	(void)state;
	h_guest_init(0, 0, true);
	map_spi(true);
	model_set_line(&H.m, 0, PSPI, true);
	host_take();
	vgic_inject_phys(H.vm, 0, VSPI);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), VSPI);
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, VSPI);
	assert_true(model_phys_is_active(&H.m, 0, PSPI));
	assert_false(model_guest_dir(&H.m, 0, VSPI));
	assert_false(model_phys_is_active(&H.m, 0, PSPI));
	h_exit(0);
	assert_false(st(0, VSPI).active);
}

/* The guest clears the active state by ICACTIVER: the physical interrupt
 * is released too; setting it by ISACTIVER holds the physical one. */
static void t_mmio_active_follows(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	map_spi(true);
	model_set_line(&H.m, 0, PSPI, true);
	host_take();
	vgic_inject_phys(H.vm, 0, VSPI);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), VSPI);
	h_exit(0);
	h_bit_w(0, GICD_ICACTIVER, VSPI);
	assert_false(model_phys_is_active(&H.m, 0, PSPI));
	assert_false(st(0, VSPI).active);
	h_bit_w(0, GICD_ISACTIVER, VSPI);
	assert_true(model_phys_is_active(&H.m, 0, PSPI));
	assert_true(st(0, VSPI).active);
}

/* Unmapping leaves an ordinary virtual interrupt; API misuse is refused. */
static void t_map_errors(void **state)
{
	(void)state;
	assert_int_equal(vgic_map_phys(H.vm, 0, VSPI, PSPI), 0);
	assert_int_equal(vgic_map_phys(H.vm, 0, VSPI, PSPI), VGIC_EBUSY);
	assert_int_equal(vgic_map_phys(H.vm, 0, 5, PSPI), VGIC_EPERM);
	assert_int_equal(vgic_map_phys(H.vm, 0, VSPI + 1, 3), VGIC_ERANGE);
	assert_int_equal(vgic_map_phys(H.vm, 0, VSPI + 1, 1020), VGIC_ERANGE);
	assert_int_equal(vgic_unmap_phys(H.vm, 0, VSPI), 0);
	assert_int_equal(vgic_unmap_phys(H.vm, 0, VSPI), VGIC_ENOENT);
	assert_int_equal(vgic_inject_phys(H.vm, 0, VSPI), VGIC_ENOENT);
	assert_false(st(0, VSPI).hw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_2on1, h_teardown)
		T(t_level_spi_switch),	   T(t_level_spi_reassert),
		T(t_edge_spi_refire),	   T(t_timer_active_switch),
		T(t_timer_pending_switch), T(t_ispendr_reads_line),
		T(t_guest_eoimode1),	   T(t_mmio_active_follows),
		T(t_map_errors),
#undef T
	};
	return cmocka_run_group_tests_name("forward", tests, NULL, NULL);
}
