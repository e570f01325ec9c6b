/* SPDX-License-Identifier: MIT */
/* The list-register engine on the model: ordering, preemption, overflow,
 * underflow, EOIcount, trapped DIR, level resampling. */
#include "harness.h"

#define NR_SPIS 96

static int setup_1x4(void **state)
{
	(void)state;
	return h_setup(1, 1, 4, NR_SPIS);
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(H.vm, &s), 0);
	return s;
}

static bool irq_pending(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state st;
	assert_int_equal(vgic_irq_state(H.vm, v, intid, &st), 0);
	return st.pending;
}

static bool irq_active(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state st;
	assert_int_equal(vgic_irq_state(H.vm, v, intid, &st), 0);
	return st.active;
}

static uint8_t prio_of(uint32_t n)
{
	/* Scrambled, 5 bits, never 0xf8: that is masked by PMR 0xff read as
	 * 0xf8 with 5 implemented bits. */
	return (uint8_t)(((n * 37) % 31) << 3);
}

/* 64 pending SPIs through 4 LRs: all delivered once, in priority order. */
static void deliver_64(bool eoimode)
{
	uint32_t log[128];

	h_guest_init(0, 0, eoimode);
	for (uint32_t n = 0; n < 64; n++) {
		h_cfg_irq(0, 32 + n, true, prio_of(n), true, true);
		assert_int_equal(vgic_inject(H.vm, 0, 32 + n), 0);
	}
	unsigned got = h_take_all(0, 0, MODEL_GROUP1, eoimode, log, 128);
	assert_int_equal(got, 64);

	bool seen[64] = {false};
	for (unsigned i = 0; i < got; i++) {
		uint32_t n = log[i] - 32;
		assert_true(n < 64);
		assert_false(seen[n]);
		seen[n] = true;
		if (i) {
			uint32_t pn = log[i - 1] - 32;
			bool ordered = prio_of(pn) < prio_of(n) ||
				       (prio_of(pn) == prio_of(n) && pn < n);
			assert_true(ordered);
		}
		assert_false(irq_pending(0, log[i]));
		assert_false(irq_active(0, log[i]));
	}
	assert_true(stats().maint_underflow > 0);
	assert_false(vgic_vcpu_pending(H.vm, 0));
}

static void t_64_through_4_lrs_eoimode0(void **state)
{
	(void)state;
	deliver_64(false);
}

static void t_64_through_4_lrs_eoimode1(void **state)
{
	(void)state;
	deliver_64(true);
}

/* Preemption follows group priority (ICV_BPR1) and the running priority. */
static void t_preemption(void **state)
{
	(void)state;
	const uint32_t A = 40, B = 41, C = 42, D = 43;

	h_guest_init(0, 0, false);
	h_cfg_irq(0, A, true, 0x80, true, true);
	h_cfg_irq(0, B, true, 0x40, true, true);
	h_cfg_irq(0, C, true, 0xa0, true, true);
	h_cfg_irq(0, D, true, 0x88, true, true);
	vgic_inject(H.vm, 0, A);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), A);
	h_exit(0);

	vgic_inject(H.vm, 0, D);
	vgic_inject(H.vm, 0, C);
	vgic_inject(H.vm, 0, B);
	h_enter(0, 0);
	/* B's group priority 0x40 beats the running 0x80. */
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), B);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
			 MODEL_SPURIOUS);
	h_guest_complete(0, MODEL_GROUP1, B, false);
	/* D (0x88) shares A's group priority: no preemption. */
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
			 MODEL_SPURIOUS);
	h_guest_complete(0, MODEL_GROUP1, A, false);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), D);
	h_guest_complete(0, MODEL_GROUP1, D, false);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), C);
	h_guest_complete(0, MODEL_GROUP1, C, false);
	h_exit(0);
	for (uint32_t i = A; i <= D; i++)
		assert_false(irq_active(0, i) || irq_pending(0, i));
}

/* Six pending, four LRs: UIE and NPIE set; the underflow maintenance
 * interrupt fires when one valid LR is left, and the refill delivers
 * the rest. */
static void t_overflow_underflow(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	for (uint32_t i = 0; i < 6; i++) {
		h_cfg_irq(0, 50 + i, true, 0x20, true, true);
		vgic_inject(H.vm, 0, 50 + i);
	}
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 4);
	assert_true(H.cif[0].hcr & VGIC_HCR_UIE);
	assert_true(H.cif[0].hcr & VGIC_HCR_NPIE);
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t intid = model_guest_ack(&H.m, 0, MODEL_GROUP1);
		assert_int_equal(intid, 50 + i);
		model_guest_eoi(&H.m, 0, MODEL_GROUP1, intid);
	}
	assert_true(model_ich_misr(&H.m, 0) & VGIC_MISR_U);
	assert_true(h_maint(0));
	h_exit(0);
	assert_int_equal(stats().maint_underflow, 1);

	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 3);
	assert_false(H.cif[0].hcr & (VGIC_HCR_UIE | VGIC_HCR_NPIE));
	assert_false(h_maint(0));
	h_exit(0);
	uint32_t log[8];
	assert_int_equal(h_take_all(0, 0, MODEL_GROUP1, false, log, 8), 3);
	assert_int_equal(log[0], 53);
	assert_int_equal(log[2], 55);
}

/* EOImode 1: four LRs all active (priority dropped, not deactivated) with
 * more pending: NPIE fires once none of the LRs is pending. */
static void t_npie(void **state)
{
	(void)state;
	h_guest_init(0, 0, true);
	for (uint32_t i = 0; i < 6; i++) {
		h_cfg_irq(0, 60 + i, true, 0x20, true, true);
		vgic_inject(H.vm, 0, 60 + i);
	}
	h_enter(0, 0);
	for (uint32_t i = 0; i < 4; i++) {
		assert_false(model_ich_misr(&H.m, 0) & VGIC_MISR_NP);
		uint32_t intid = model_guest_ack(&H.m, 0, MODEL_GROUP1);
		assert_int_equal(intid, 60 + i);
		model_guest_eoi(&H.m, 0, MODEL_GROUP1, intid);
	}
	assert_true(model_ich_misr(&H.m, 0) & VGIC_MISR_NP);
	h_exit(0);
	assert_int_equal(stats().maint_np, 1);
	for (uint32_t i = 0; i < 4; i++)
		assert_true(irq_active(0, 60 + i));
	/* Back in: the last LR goes to 64, which the guest may take now (its
	 * running priority is idle); 63 is left out, so DIR traps (TDIR). */
	h_enter(0, 0);
	assert_int_equal(H.cif[0].lr[3] & VGIC_LR_VINTID_MASK, 64);
	assert_true(H.cif[0].hcr & VGIC_HCR_TDIR);
	/* The guest deactivates; the remaining two follow. */
	for (uint32_t i = 0; i < 4; i++) {
		if (model_guest_dir(&H.m, 0, 60 + i)) {
			h_exit(0);
			assert_int_equal(vgic_sysreg_write(H.vm, 0,
							   VGIC_SYSREG_DIR,
							   60 + i),
					 0);
			h_enter(0, 0);
		}
		h_service_maint(0);
	}
	h_exit(0);
	uint32_t log[8];
	assert_int_equal(h_take_all(0, 0, MODEL_GROUP1, true, log, 8), 2);
	for (uint32_t i = 0; i < 6; i++)
		assert_false(irq_active(0, 60 + i));
}

/* Five nested active interrupts, four LRs: the lowest-priority active one
 * is left out (LRENPIE); its EOI comes back as EOIcount (EOImode 0) or as
 * a trapped DIR (EOImode 1, TDIR). */
static void nest_five(bool eoimode)
{
	const uint8_t prio[5] = {0xf0, 0xe0, 0xd0, 0xc0, 0xb0};

	h_guest_init(0, 0, eoimode);
	for (uint32_t i = 0; i < 5; i++) {
		h_cfg_irq(0, 70 + i, true, prio[i], true, true);
		vgic_inject(H.vm, 0, 70 + i);
		h_enter(0, 0);
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
				 70 + i);
		h_exit(0);
	}
	h_enter(0, 0);
	assert_int_equal(H.cif[0].nr_lrs_used, 4);
	assert_true(H.cif[0].hcr & VGIC_HCR_LRENPIE);
	assert_int_equal(!!(H.cif[0].hcr & VGIC_HCR_TDIR), eoimode);
	for (int i = 4; i >= 0; i--)
		h_guest_complete(0, MODEL_GROUP1, 70 + (uint32_t)i, eoimode);
	if (H.running[0] >= 0)
		h_exit(0);
	for (uint32_t i = 0; i < 5; i++)
		assert_false(irq_active(0, 70 + i));
	assert_int_equal(stats().eoicount, eoimode ? 0 : 1);
	/* The guest's priority drops all happened: nothing left active. */
	h_enter(0, 0);
	assert_int_equal(model_guest_rpr(&H.m, 0), 0xff);
	assert_int_equal(H.cif[0].nr_lrs_used, 0);
	h_exit(0);
}

static void t_eoicount(void **state)
{
	(void)state;
	nest_five(false);
}

static void t_tdir(void **state)
{
	(void)state;
	nest_five(true);
}

/* A level interrupt whose line stays high is presented again after the
 * guest's EOI (maintenance on EOI), and not after the line drops. */
static void t_level_resample(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	h_cfg_irq(0, 80, true, 0x10, false, true);
	assert_int_equal(vgic_set_level(H.vm, 0, 80, true), 0);
	h_enter(0, 0);
	assert_true(H.cif[0].lr[0] & VGIC_LR_EOI);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 80);
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, 80);
	assert_true(h_maint(0));
	assert_true(model_ich_misr(&H.m, 0) & VGIC_MISR_EOI);
	h_exit(0);
	assert_int_equal(stats().maint_eoi, 1);
	assert_true(irq_pending(0, 80));
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 80);
	h_exit(0);
	vgic_set_level(H.vm, 0, 80, false);
	h_enter(0, 0);
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, 80);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
			 MODEL_SPURIOUS);
	h_exit(0);
	assert_false(irq_pending(0, 80));
	assert_false(irq_active(0, 80));
}

/* Line level and pending latch are separate (IHI 0069 4.1.2). */
static void t_level_latch(void **state)
{
	(void)state;
	h_cfg_irq(0, 81, true, 0x10, false, true);
	h_bit_w(0, GICD_ISPENDR, 81);
	assert_true(irq_pending(0, 81));
	vgic_set_level(H.vm, 0, 81, true);
	vgic_set_level(H.vm, 0, 81, false);
	assert_true(irq_pending(0, 81)); /* the latch holds */
	vgic_set_level(H.vm, 0, 81, true);
	h_bit_w(0, GICD_ICPENDR, 81);
	assert_true(irq_pending(0, 81)); /* the line holds */
	vgic_set_level(H.vm, 0, 81, false);
	assert_false(irq_pending(0, 81));
	/* Edge: only a rising edge latches. */
	h_cfg_irq(0, 82, true, 0x10, true, true);
	vgic_set_level(H.vm, 0, 82, true);
	h_bit_w(0, GICD_ICPENDR, 82);
	vgic_set_level(H.vm, 0, 82, true);
	assert_false(irq_pending(0, 82));
	vgic_set_level(H.vm, 0, 82, false);
	vgic_set_level(H.vm, 0, 82, true);
	assert_true(irq_pending(0, 82));
}

/* An edge that arrives while the interrupt sits pending in an LR merges;
 * one that arrives after the guest acknowledged it is delivered again. */
static void t_edge_merge(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	h_cfg_irq(0, 83, true, 0x10, true, true);
	vgic_inject(H.vm, 0, 83);
	h_enter(0, 0);
	vgic_inject(H.vm, 0, 83); /* host thread, while the guest runs */
	h_exit(0);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 83);
	h_exit(0);
	vgic_inject(H.vm, 0, 83); /* after the acknowledge */
	h_enter(0, 0);
	assert_true(H.cif[0].lr[0] & VGIC_LR_PENDING);
	assert_true(H.cif[0].lr[0] & VGIC_LR_ACTIVE);
	h_guest_complete(0, MODEL_GROUP1, 83, false);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 83);
	h_guest_complete(0, MODEL_GROUP1, 83, false);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1),
			 MODEL_SPURIOUS);
	h_exit(0);
}

/* WFI: something deliverable above the priority mask. */
static void t_vcpu_pending(void **state)
{
	(void)state;
	assert_false(vgic_vcpu_pending(H.vm, 0));
	h_cfg_irq(0, 84, true, 0x10, true, false);
	vgic_inject(H.vm, 0, 84);
	assert_false(vgic_vcpu_pending(H.vm, 0)); /* disabled */
	h_bit_w(0, GICD_ISENABLER, 84);
	assert_false(vgic_vcpu_pending(H.vm, 0)); /* PMR 0, groups off */
	h_guest_init(0, 0, false);
	assert_true(vgic_vcpu_pending(H.vm, 0));
	h_bit_w(0, GICD_ICPENDR, 84);
	assert_false(vgic_vcpu_pending(H.vm, 0));
}

/* Priority changes while pending re-order the presentation. */
static void t_priority_change(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	h_cfg_irq(0, 85, true, 0x10, true, true);
	h_cfg_irq(0, 86, true, 0x20, true, true);
	vgic_inject(H.vm, 0, 85);
	vgic_inject(H.vm, 0, 86);
	h_mmio_w(0, h_gicd(GICD_IPRIORITYR + 86), 1, 0x08);
	uint32_t log[4];
	assert_int_equal(h_take_all(0, 0, MODEL_GROUP1, false, log, 4), 2);
	assert_int_equal(log[0], 86);
	assert_int_equal(log[1], 85);
}

/* A second flush before the sync would lose the state in the LRs. */
static void t_flush_twice(void **state)
{
	(void)state;
	struct vgic_cpu_if cif = {0};
	h_cfg_irq(0, 87, true, 0x10, true, true);
	vgic_inject(H.vm, 0, 87);
	assert_int_equal(vgic_flush(H.vm, 0, &cif), 0);
	assert_int_equal(cif.nr_lrs_used, 1);
	struct vgic_cpu_if again = {0};
	assert_int_equal(vgic_flush(H.vm, 0, &again), VGIC_EBUSY);
	assert_int_equal(vgic_sync(H.vm, 0, &cif), 0); /* guest did not run */
	assert_true(irq_pending(0, 87));
	assert_int_equal(vgic_flush(H.vm, 0, &again), 0);
	assert_true(again.lr[0] & VGIC_LR_PENDING);
	assert_int_equal(vgic_sync(H.vm, 0, &again), 0);
}

/* A host may skip reading the LRs ICH_ELRSR_EL2 marks empty. */
static void t_elrsr_skips_lr(void **state)
{
	(void)state;
	h_guest_init(0, 0, false);
	h_cfg_irq(0, 88, true, 0x10, true, true);
	vgic_inject(H.vm, 0, 88);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), 88);
	model_guest_eoi(&H.m, 0, MODEL_GROUP1, 88);
	assert_int_equal(model_vcpuif_save(&H.m, 0, &H.cif[0]), 0);
	assert_true(H.cif[0].elrsr & 1);
	H.cif[0].lr[0] |= VGIC_LR_PENDING; /* stale: never read back */
	assert_int_equal(vgic_sync(H.vm, 0, &H.cif[0]), 0);
	H.running[0] = -1;
	assert_false(irq_pending(0, 88));
	assert_false(irq_active(0, 88));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_1x4, h_teardown)
		T(t_64_through_4_lrs_eoimode0),
		T(t_64_through_4_lrs_eoimode1),
		T(t_preemption),
		T(t_overflow_underflow),
		T(t_npie),
		T(t_eoicount),
		T(t_tdir),
		T(t_level_resample),
		T(t_level_latch),
		T(t_edge_merge),
		T(t_vcpu_pending),
		T(t_priority_change),
		T(t_flush_twice),
		T(t_elrsr_skips_lr),
#undef T
	};
	return cmocka_run_group_tests_name("lr", tests, NULL, NULL);
}
