/* SPDX-License-Identifier: MIT */
/*
 * LPI passthrough without GICv4 (src/its_pt.c): the guest's vITS commands
 * for a passthrough device mirrored to the host (pt_map, pt_unmap), and
 * the MERGE and MASK policies of vgic_inject_pt, with the guest on the
 * harness acknowledging and completing the vLPIs.
 */
#include "its_guest.h"

#define DEV 7u
#define ICID0 0u
#define ICID1 1u
#define LPI_A (IG_LPI + 40)

static void setup(uint8_t policy)
{
	H.lpi_id_bits = IG_ID_BITS;
	H.nr_lpi_slots = 64;
	H.nr_its = 1;
	H.nr_pt_devices = 2;
	H.pt_policy = policy;
	assert_int_equal(h_setup(2, 2, 4, 32), 0);
	ig_setup(2, 1);
	ig_mapc(0, ICID0, 0);
	ig_mapc(0, ICID1, 1);
	ig_prop(LPI_A, 0x80, true);
	h_guest_init(0, 0, false);
	h_guest_init(1, 1, false);
}

static const struct h_pt_call *last_call(void)
{
	assert_true(H.pt_calls > 0);
	return &H.pt_log[H.pt_calls - 1];
}

static void assert_call(const struct h_pt_call *c, char op, uint32_t eventid)
{
	assert_int_equal(c->op, op);
	assert_int_equal(c->its, 0);
	assert_int_equal(c->devid, DEV);
	assert_int_equal(c->eventid, eventid);
}

static void map_event(uint32_t eventid, uint32_t intid, uint32_t icid)
{
	ig_mapd(0, DEV, 4);
	ig_mapti(0, DEV, eventid, intid, icid);
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(H.vm, &s), 0);
	return s;
}

/* ------------------------------------------------------- mirroring */

static void t_mirror_commands(void **state)
{
	(void)state;
	setup(VGIC_PT_MERGE);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 16), 0);
	assert_int_equal(H.pt_calls, 0); /* nothing mapped yet */
	ig_mapd(0, DEV, 4);
	assert_call(last_call(), 'u', VGIC_PT_ALL_EVENTS);
	ig_mapti(0, DEV, 3, LPI_A, ICID1);
	assert_call(last_call(), 'm', 3);
	assert_int_equal(last_call()->intid, LPI_A);
	assert_int_equal(last_call()->vcpu, 1);
	ig_movi(0, DEV, 3, ICID0);
	assert_call(last_call(), 'm', 3);
	assert_int_equal(last_call()->vcpu, 0);
	ig_mapc(0, ICID0, 1); /* the collection moves: its events follow */
	assert_call(last_call(), 'm', 3);
	assert_int_equal(last_call()->vcpu, 1);
	unsigned n = H.pt_calls;
	ig_event(0, ITS_DISCARD, DEV, 3);
	assert_int_equal(H.pt_calls, n + 1);
	assert_call(last_call(), 'u', 3);
	assert_int_equal(stats().its_cmd_errors, 0);
}

/* Mappings made before the host declared the device are mirrored then;
 * events beyond its nr_events and other devices are not. */
static void t_mirror_existing_and_bounds(void **state)
{
	(void)state;
	setup(VGIC_PT_MERGE);
	map_event(2, LPI_A, ICID0);
	ig_mapti(0, DEV, 9, LPI_A + 1, ICID1);
	ig_mapd(0, DEV + 1, 4);
	ig_mapti(0, DEV + 1, 2, LPI_A + 2, ICID1);
	assert_int_equal(H.pt_calls, 0);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 8), 0);
	assert_int_equal(H.pt_calls, 1); /* event 9 is beyond 8 events */
	assert_call(last_call(), 'm', 2);
	assert_int_equal(last_call()->vcpu, 0);
	ig_mapti(0, DEV, 12, LPI_A + 3, ICID1);
	assert_int_equal(H.pt_calls, 1);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 0), 0);
	ig_mapti(0, DEV, 4, LPI_A + 4, ICID1);
	assert_int_equal(H.pt_calls, 1); /* no longer passthrough */
}

static void t_passthrough_errors(void **state)
{
	(void)state;
	setup(VGIC_PT_MERGE);
	assert_int_equal(vgic_its_passthrough(NULL, 0, DEV, 1), VGIC_EINVAL);
	assert_int_equal(vgic_its_passthrough(H.vm, 1, DEV, 1), VGIC_ERANGE);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 1u << 17),
			 VGIC_ERANGE);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, 1, 1), 0);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, 2, 1), 0);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, 3, 1), VGIC_ENOSPC);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, 2, 0), 0);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, 3, 1), 0);
	/* An MSI of a device that is not passed through. */
	assert_int_equal(vgic_inject_pt(H.vm, 0, 9, 0), VGIC_ENOENT);
	assert_int_equal(vgic_inject_pt(H.vm, 4, 1, 0), VGIC_ERANGE);
}

/* Passthrough needs host ops v4 with pt_map and pt_unmap (and pt_mask
 * for MASK). */
static void t_config_needs_ops(void **state)
{
	(void)state;
	struct vgic_config cfg;
	struct vgic_host_ops ops = *model_host_ops();
	uint64_t base = H_ITS_BASE(0);
	struct vgic_vm *vm;
	static _Alignas(64) uint8_t mem[1 << 20];

	vgic_config_default(&cfg);
	cfg.lpi_id_bits = 16;
	cfg.nr_lpi_slots = 8;
	cfg.nr_its = 1;
	cfg.its_base = &base;
	cfg.nr_pt_devices = 1;
	ops.version = VGIC_HOST_OPS_VERSION;
	ops.guest_read = h_op_guest_read;
	ops.guest_write = h_op_guest_write;
	assert_true(vgic_vm_size(&cfg) <= sizeof(mem));
	assert_int_equal(vgic_vm_init(mem, sizeof(mem), &cfg, &ops, NULL, &vm),
			 VGIC_EVERSION);
	ops.pt_map = h_op_pt_map;
	ops.pt_unmap = h_op_pt_unmap;
	assert_int_equal(vgic_vm_init(mem, sizeof(mem), &cfg, &ops, NULL, &vm),
			 0);
	cfg.pt_policy = VGIC_PT_MASK;
	assert_int_equal(vgic_vm_init(mem, sizeof(mem), &cfg, &ops, NULL, &vm),
			 VGIC_EVERSION);
	cfg.pt_policy = 2;
	assert_int_equal(vgic_vm_size(&cfg), 0);
	cfg.pt_policy = VGIC_PT_MERGE;
	cfg.nr_its = 0;
	assert_int_equal(vgic_vm_size(&cfg), 0); /* passthrough needs an ITS */
}

/* ---------------------------------------------------------- MERGE */

/* Two host LPIs before the guest takes the vLPI: one delivery. One
 * while the guest handles the next vLPI (acknowledged, not yet
 * completed): another instance after it. No mask, no maintenance. */
static void t_merge_policy(void **state)
{
	(void)state;
	uint32_t log[4];

	setup(VGIC_PT_MERGE);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 16), 0);
	map_event(3, LPI_A, ICID0);
	unsigned mirrored = H.pt_calls;
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	assert_int_equal(h_take_all(0, 0, 1, false, log, 4), 1);
	assert_int_equal(log[0], LPI_A);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, 1), LPI_A);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	h_guest_complete(0, 1, LPI_A, false);
	h_exit(0);
	assert_int_equal(h_take_all(0, 0, 1, false, log, 4), 1);
	assert_int_equal(log[0], LPI_A);
	assert_int_equal(H.pt_calls, mirrored); /* no pt_mask */
	struct vgic_stats s = stats();
	assert_int_equal(s.pt_injected, 4);
	assert_int_equal(s.pt_masks + s.pt_unmasks + s.maint_eoi, 0);
}

/* ----------------------------------------------------------- MASK */

/* Injected: masked at once. Acknowledged: still masked. The guest's EOI
 * raises a maintenance interrupt, and the sync it causes unmasks. */
static void t_mask_policy(void **state)
{
	(void)state;
	setup(VGIC_PT_MASK);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 16), 0);
	map_event(3, LPI_A, ICID0);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	assert_call(last_call(), 'M', 3);
	unsigned n = H.pt_calls;
	h_enter(0, 0);
	assert_int_equal(model_guest_ack(&H.m, 0, 1), LPI_A);
	h_exit(0);
	h_enter(0, 0); /* acknowledged, not yet completed: stays masked */
	assert_int_equal(H.pt_calls, n);
	model_guest_eoi(&H.m, 0, 1, LPI_A);
	assert_true(h_maint(0));
	h_exit(0);
	assert_int_equal(H.pt_calls, n + 1);
	assert_call(last_call(), 'U', 3);
	struct vgic_stats s = stats();
	assert_int_equal(s.pt_masks, 1);
	assert_int_equal(s.pt_unmasks, 1);
	assert_int_equal(s.maint_eoi, 1);
	assert_false(vgic_vcpu_pending(H.vm, 0));
}

/* A host LPI already pending when it was masked fires once more: it
 * merges with the pending vLPI and masks nothing twice. */
static void t_mask_merge_while_pending(void **state)
{
	(void)state;
	uint32_t log[4];

	setup(VGIC_PT_MASK);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 16), 0);
	map_event(3, LPI_A, ICID0);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	assert_int_equal(stats().pt_masks, 1);
	assert_int_equal(h_take_all(0, 0, 1, false, log, 4), 1);
	assert_int_equal(stats().pt_unmasks, 1);
}

/* The pending vLPI goes before the guest sees it (CLEAR): no EOI will
 * come, so the host LPI is unmasked at once. Also from an LR. */
static void t_mask_cleared_unmasks(void **state)
{
	(void)state;
	setup(VGIC_PT_MASK);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 16), 0);
	map_event(3, LPI_A, ICID0);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	ig_event(0, ITS_CLEAR, DEV, 3);
	assert_call(last_call(), 'U', 3);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	h_enter(0, 0); /* now in an LR */
	ig_event(0, ITS_CLEAR, DEV, 3);
	h_exit(0);
	assert_call(last_call(), 'U', 3);
	struct vgic_stats s = stats();
	assert_int_equal(s.pt_masks, 2);
	assert_int_equal(s.pt_unmasks, 2);
	assert_false(vgic_vcpu_pending(H.vm, 0));
}

/* MOVI while masked and pending: the vLPI is delivered once on the new
 * vCPU, and that guest's EOI unmasks. */
static void t_mask_movi(void **state)
{
	(void)state;
	uint32_t log[4];

	setup(VGIC_PT_MASK);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 16), 0);
	map_event(3, LPI_A, ICID0);
	assert_int_equal(vgic_inject_pt(H.vm, 0, DEV, 3), 0);
	ig_movi(0, DEV, 3, ICID1);
	assert_call(last_call(), 'm', 3);
	assert_int_equal(h_take_all(0, 0, 1, false, log, 4), 0);
	assert_int_equal(h_take_all(1, 1, 1, false, log, 4), 1);
	assert_int_equal(log[0], LPI_A);
	assert_call(last_call(), 'U', 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_mirror_commands, h_teardown),
		cmocka_unit_test_teardown(t_mirror_existing_and_bounds,
					  h_teardown),
		cmocka_unit_test_teardown(t_passthrough_errors, h_teardown),
		cmocka_unit_test(t_config_needs_ops),
		cmocka_unit_test_teardown(t_merge_policy, h_teardown),
		cmocka_unit_test_teardown(t_mask_policy, h_teardown),
		cmocka_unit_test_teardown(t_mask_merge_while_pending,
					  h_teardown),
		cmocka_unit_test_teardown(t_mask_cleared_unmasks, h_teardown),
		cmocka_unit_test_teardown(t_mask_movi, h_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
