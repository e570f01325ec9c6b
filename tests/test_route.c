/* SPDX-License-Identifier: MIT */
/* SPI routing (GICD_IROUTER, IHI 0069 12.9.22): re-routing pending and
 * in-flight interrupts without loss or duplication, and 1-of-N. */
#include "harness.h"

#define SPI 40

static int setup_4on2(void **state)
{
	(void)state;
	H.no_stop_ops = false;
	return h_setup(4, 2, 4, 64);
}

/* A host without vcpu_stop/vcpu_resume (host ops v1 behaviour). */
static int setup_4on2_nostop(void **state)
{
	(void)state;
	H.no_stop_ops = true;
	return h_setup(4, 2, 4, 64);
}

static struct vgic_irq_state st(uint32_t intid)
{
	struct vgic_irq_state s;
	assert_int_equal(vgic_irq_state(H.vm, 0, intid, &s), 0);
	return s;
}

static void boot_all(void)
{
	for (uint32_t v = 0; v < 4; v++)
		h_guest_init(v, 0, false);
}

/* Pending on vCPU 0 but not in an LR: re-routing moves it at once,
 * so vCPU 1 takes it even if vCPU 0 never runs again. */
static void t_reroute_pending(void **state)
{
	(void)state;
	boot_all();
	h_cfg_irq(0, SPI, true, 0x20, true, true);
	h_route(SPI, 0);
	vgic_inject(H.vm, 0, SPI);
	assert_true(vgic_vcpu_pending(H.vm, 0));
	h_route(SPI, 1);
	assert_false(vgic_vcpu_pending(H.vm, 0));
	assert_true(vgic_vcpu_pending(H.vm, 1));
	assert_int_equal(st(SPI).target, 1);
	uint32_t log[2];
	assert_int_equal(h_take_all(1, 1, MODEL_GROUP1, false, log, 2), 1);
	assert_int_equal(h_take_all(0, 0, MODEL_GROUP1, false, log, 2), 0);
}

/* In vCPU 0's LR when re-routed: if vCPU 0's guest does not take it
 * before the exit, vCPU 1 gets it; either way exactly once. */
static void reroute_in_lr(bool taken_by_old)
{
	uint32_t log[2];

	boot_all();
	h_cfg_irq(0, SPI, true, 0x20, true, true);
	h_route(SPI, 0);
	vgic_inject(H.vm, 0, SPI);
	h_enter(0, 0);
	h_route(SPI, 1); /* vCPU 1 writes IROUTER while vCPU 0 runs */
	assert_true(model_kicks(&H.m, 0) > 0);
	if (taken_by_old) {
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), SPI);
		h_exit(0);
		assert_false(vgic_vcpu_pending(H.vm, 1));
		h_enter(0, 0);
		h_guest_complete(0, MODEL_GROUP1, SPI, false);
		h_exit(0);
		assert_int_equal(h_take_all(1, 1, MODEL_GROUP1, false, log, 2),
				 0);
	} else {
		h_exit(0);
		assert_int_equal(h_take_all(0, 0, MODEL_GROUP1, false, log, 2),
				 0);
		assert_int_equal(h_take_all(1, 1, MODEL_GROUP1, false, log, 2),
				 1);
	}
	assert_false(st(SPI).pending || st(SPI).active);
}

static void t_reroute_in_lr_not_taken(void **state)
{
	(void)state;
	reroute_in_lr(false);
}

static void t_reroute_in_lr_taken(void **state)
{
	(void)state;
	reroute_in_lr(true);
}

/* An affinity no vCPU has: pending, delivered nowhere, until routed. */
static void t_route_nowhere(void **state)
{
	(void)state;
	boot_all();
	h_cfg_irq(0, SPI, true, 0x20, true, true);
	h_mmio_w(0, h_gicd(GICD_IROUTER + 8 * SPI), 8, 0x0200);
	assert_int_equal(st(SPI).target, -1);
	vgic_inject(H.vm, 0, SPI);
	for (uint32_t v = 0; v < 4; v++)
		assert_false(vgic_vcpu_pending(H.vm, v));
	assert_true(st(SPI).pending);
	h_route(SPI, 3);
	assert_true(vgic_vcpu_pending(H.vm, 3));
}

/* 1-of-N: the lowest awake vCPU; moves when that one goes to sleep. */
static void t_one_of_n(void **state)
{
	(void)state;
	boot_all();
	h_cfg_irq(0, SPI, true, 0x20, false, true);
	h_mmio_w(0, h_gicd(GICD_IROUTER + 8 * SPI), 8, 1ULL << 31);
	assert_int_equal(h_mmio_r(0, h_gicd(GICD_IROUTER + 8 * SPI), 8),
			 1ULL << 31);
	assert_int_equal(st(SPI).target, 0);
	vgic_set_level(H.vm, 0, SPI, true);
	assert_true(vgic_vcpu_pending(H.vm, 0));
	h_mmio_w(0, h_gicr(0, GICR_WAKER), 4, 2); /* vCPU 0 sleeps */
	assert_int_equal(st(SPI).target, 1);
	assert_false(vgic_vcpu_pending(H.vm, 0));
	assert_true(vgic_vcpu_pending(H.vm, 1));
}

/* Another vCPU's MMIO write to the pending or active state of an
 * interrupt in a running vCPU's LR is not undone by that vCPU's sync:
 * with vcpu_stop the holder is synced for the write; without it the
 * write wins over the LR at the holder's next sync. */
static void t_mmio_while_in_lr(void **state)
{
	(void)state;
	boot_all();
	for (uint32_t i = 40; i <= 42; i++) {
		h_cfg_irq(0, i, true, 0x20, true, true);
		h_route(i, 0);
		vgic_inject(H.vm, 0, i);
	}
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 40);
	h_bit_w(1, GICD_ICPENDR, 41);	/* pending in the LR: cleared */
	h_bit_w(1, GICD_ISACTIVER, 42); /* pending in the LR: now active too */
	h_bit_w(1, GICD_ICACTIVER, 40); /* active in the LR: deactivated */
	h_exit(0);
	assert_false(st(40).active);
	assert_false(st(40).pending);
	assert_false(st(41).pending);
	assert_true(st(42).active);
	assert_true(st(42).pending);
	/* The guest drops the priority of 40 (its EOI finds no LR: nothing
	 * is left to deactivate), 42 is deactivated and taken once more. */
	h_enter(0, 0);
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, 40);
	h_service_maint(0);
	h_exit(0);
	assert_true(st(42).active); /* 42 had an LR: not replayed */
	h_bit_w(1, GICD_ICACTIVER, 42);
	uint32_t log[4];
	assert_int_equal(h_take_all(0, 0, MODEL_GROUP1, false, log, 4), 1);
	assert_int_equal(log[0], 42);
}

/* Reads of in-flight state from another vCPU are exact with vcpu_stop:
 * the holder is synced for the read and resumes (IHI 0069:
 * GICR_ISACTIVER0 reads the current active state). Without it the read
 * shows the state of the holder's last flush. */
static void t_read_in_flight(void **state)
{
	(void)state;
	boot_all();
	h_cfg_irq(0, 2, true, 0x20, true, true); /* SGI 2 of vCPU 0 */
	h_cfg_irq(0, 3, true, 0x20, true, true); /* SGI 3 of vCPU 0 */
	vgic_inject(H.vm, 0, 2);
	vgic_inject(H.vm, 0, 3);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 2);
	/* vCPU 1 looks at vCPU 0's redistributor while vCPU 0 runs. */
	bool exact = !H.no_stop_ops;
	uint64_t rd0 = h_gicr(0, GICR_SGI);
	assert_int_equal(h_mmio_r(1, rd0 + GICD_ISACTIVER, 4), exact << 2);
	/* As of the last flush, 2 was still pending too. */
	assert_int_equal(h_mmio_r(1, rd0 + GICD_ISPENDR, 4),
			 exact ? 1u << 3 : 3u << 2);
	assert_int_equal(H.running[0], 0); /* resumed */
	assert_int_equal(H.stops, exact ? 2 : 0);
	/* vCPU 0 carries on: completes 2, takes 3. */
	h_guest_complete(0, MODEL_GROUP1, 2, false);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 3);
	h_guest_complete(0, MODEL_GROUP1, 3, false);
	h_exit(0);
	assert_false(st(2).active || st(2).pending);
	assert_false(st(3).active || st(3).pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_4on2, h_teardown)
		T(t_reroute_pending),
		T(t_reroute_in_lr_not_taken),
		T(t_reroute_in_lr_taken),
		T(t_route_nowhere),
		T(t_one_of_n),
		T(t_mmio_while_in_lr),
		T(t_read_in_flight),
#undef T
		cmocka_unit_test_setup_teardown(t_mmio_while_in_lr,
						setup_4on2_nostop, h_teardown),
		cmocka_unit_test_setup_teardown(t_read_in_flight,
						setup_4on2_nostop, h_teardown),
	};
	return cmocka_run_group_tests_name("route", tests, NULL, NULL);
}
