/* SPDX-License-Identifier: MIT */
/*
 * LPIs at the Redistributors with DirectLPI (IHI 0069, LPIs;
 * GICR_PROPBASER, GICR_PENDBASER, GICR_CTLR.EnableLPIs, GICR_SETLPIR,
 * CLRLPIR, INVLPIR, INVALLR, SYNCR): register semantics, delivery through
 * the list registers, the configuration cache and its invalidation, the
 * pending tables, the sparse store running full, and hostile table
 * addresses. The guest's tables live in the harness's guest RAM.
 */
#include "harness.h"

#define GICD_TYPER 0x0004
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_SETLPIR 0x0040
#define GICR_CLRLPIR 0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR 0x00a0
#define GICR_INVALLR 0x00b0
#define GICR_SYNCR 0x00c0

#define PROP_TABLE (H_RAM_BASE + 0x10000) /* 64 KiB for 16 ID bits */
#define PEND_TABLE(v) (H_RAM_BASE + 0x100000 + (uint64_t)(v)*0x10000)
#define ID_BITS 16
#define PTZ (1ULL << 62)
#define LPI 8192u

static uint8_t *prop(uint32_t intid)
{
	return &H.ram[PROP_TABLE - H_RAM_BASE + intid - LPI];
}

static uint8_t *pend_byte(uint32_t v, uint32_t intid)
{
	return &H.ram[PEND_TABLE(v) - H_RAM_BASE + intid / 8];
}

/* The property byte: priority [7:2], RES1 [1], Enable [0]. */
static void set_prop(uint32_t intid, uint8_t prio, bool enable)
{
	*prop(intid) = (uint8_t)((prio & 0xfc) | 2 | enable);
}

static void setup_lpis(uint32_t nr_vcpus, uint32_t slots)
{
	H.lpi_id_bits = ID_BITS;
	H.nr_lpi_slots = slots;
	assert_int_equal(h_setup(nr_vcpus, nr_vcpus, 4, 32), 0);
}

/* What a guest kernel does per redistributor: tables, then EnableLPIs. */
static void enable_lpis(uint32_t v, bool ptz)
{
	h_mmio_w(v, h_gicr(v, GICR_PROPBASER), 8, PROP_TABLE | (ID_BITS - 1));
	h_mmio_w(v, h_gicr(v, GICR_PENDBASER), 8,
		 PEND_TABLE(v) | (ptz ? PTZ : 0));
	h_mmio_w(v, h_gicr(v, GICR_CTLR), 4, 1);
}

static void setlpir(uint32_t v, uint32_t intid)
{
	h_mmio_w(v, h_gicr(v, GICR_SETLPIR), 8, intid);
}

static unsigned take(uint32_t v, uint32_t *log, unsigned max, bool eoimode)
{
	return h_take_all(v, v, MODEL_GROUP1, eoimode, log, max);
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(H.vm, &s), 0);
	return s;
}

/* ------------------------------------------------------------ tests */

static void t_id_registers(void **state)
{
	(void)state;
	setup_lpis(2, 16);
	uint64_t typer = h_mmio_r(0, h_gicd(GICD_TYPER), 4);
	assert_true(typer & (1u << 17));		     /* LPIS */
	assert_int_equal((typer >> 19) & 0x1f, ID_BITS - 1); /* IDbits */
	for (uint32_t v = 0; v < 2; v++) {
		uint64_t rt = h_mmio_r(v, h_gicr(v, GICR_TYPER), 8);
		assert_true(rt & 1);		     /* PLPIS */
		assert_true(rt & (1u << 3));	     /* DirectLPI */
		assert_int_equal((rt >> 24) & 3, 0); /* CommonLPIAff: all */
	}
	h_teardown(NULL);
	/* Without LPIs: none of it, and the LPI registers are reserved. */
	assert_int_equal(h_setup(1, 1, 4, 32), 0);
	assert_false(h_mmio_r(0, h_gicd(GICD_TYPER), 4) & (1u << 17));
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_TYPER), 8) & 9, 0);
	uint64_t before = stats().mmio_reserved;
	h_mmio_w(0, h_gicr(0, GICR_SETLPIR), 8, LPI);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_PROPBASER), 8), 0);
	assert_int_equal(stats().mmio_reserved, before + 2);
	h_teardown(NULL);
}

static void t_base_registers(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	/* RES0 bits are not stored; PTZ is write-only. */
	h_mmio_w(0, h_gicr(0, GICR_PROPBASER), 8, ~0ULL);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_PROPBASER), 8),
			 0x070fffffffffff9fULL);
	h_mmio_w(0, h_gicr(0, GICR_PENDBASER), 8, ~0ULL);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_PENDBASER), 8),
			 0x070fffffffff0f80ULL);
	/* 32-bit halves. */
	h_mmio_w(0, h_gicr(0, GICR_PROPBASER), 4, 0x12345000 | 15);
	h_mmio_w(0, h_gicr(0, GICR_PROPBASER + 4), 4, 0);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_PROPBASER), 8),
			 0x12345000 | 15);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_CTLR), 4), 0);
	enable_lpis(0, true);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_CTLR), 4), 1);
	/* Enabled: the bases are fixed, EnableLPIs cannot be cleared
	 * (CES == 0), SYNCR is never busy. */
	h_mmio_w(0, h_gicr(0, GICR_PROPBASER), 8, 0);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_PROPBASER), 8),
			 PROP_TABLE | (ID_BITS - 1));
	h_mmio_w(0, h_gicr(0, GICR_PENDBASER), 8, 0);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_PENDBASER), 8),
			 PEND_TABLE(0));
	h_mmio_w(0, h_gicr(0, GICR_CTLR), 4, 0);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_CTLR), 4), 1);
	assert_int_equal(h_mmio_r(0, h_gicr(0, GICR_SYNCR), 4), 0);
	h_teardown(NULL);
}

static void t_setlpir_delivers_once(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	set_prop(LPI + 5, 0xa0, true);
	enable_lpis(0, true);
	h_guest_init(0, 0, false);
	setlpir(0, LPI + 5);
	setlpir(0, LPI + 5); /* merges: still one pending instance */
	struct vgic_irq_state st;
	assert_int_equal(vgic_irq_state(H.vm, 0, LPI + 5, &st), 0);
	assert_true(st.pending);
	assert_true(st.enabled);
	assert_int_equal(st.priority, 0xa0);
	uint32_t log[4];
	assert_int_equal(take(0, log, 4, false), 1);
	assert_int_equal(log[0], LPI + 5);
	assert_int_equal(vgic_irq_state(H.vm, 0, LPI + 5, &st), 0);
	assert_false(st.pending);
	assert_false(st.active); /* LPIs have no active state */
	assert_int_equal(stats().eoicount, 0);
	h_teardown(NULL);
}

/* The acknowledged LPI leaves the LRs at the next exit; the guest's EOI
 * then finds it in none, which must neither count nor trap. With
 * EOImode 1 the EOI alone completes an LPI. */
static void t_eoi_after_exit(void **state)
{
	(void)state;
	for (int eoimode = 0; eoimode < 2; eoimode++) {
		setup_lpis(1, 16);
		set_prop(LPI, 0x80, true);
		enable_lpis(0, true);
		h_guest_init(0, 0, eoimode);
		/* Acknowledged and completed in one run: the EOI alone
		 * empties the LR, whatever EOImode. */
		setlpir(0, LPI);
		h_enter(0, 0);
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), LPI);
		model_guest_eoi(&H.m, 0, MODEL_GROUP1, LPI);
		assert_int_equal(model_ich_elrsr(&H.m, 0) & 1, 1);
		h_exit(0);
		/* Acknowledged, then an exit: the LPI is done and leaves
		 * the LRs (it has no active state to keep). */
		setlpir(0, LPI);
		h_enter(0, 0);
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), LPI);
		h_exit(0);
		h_enter(0, 0);
		assert_int_equal(H.cif[0].nr_lrs_used, 0);
		h_exit(0);
		/* A new MSI while the guest handles the first one. */
		setlpir(0, LPI);
		h_enter(0, 0);
		assert_int_equal(
			model_guest_ack(&H.m, 0, MODEL_GROUP1),
			MODEL_SPURIOUS); /* same priority: no preempt */
		model_guest_eoi(&H.m, 0, MODEL_GROUP1, LPI);
		/* In no LR: a priority drop only, no EOIcount. */
		assert_int_equal(
			model_ich_hcr(&H.m, 0) & VGIC_HCR_EOICOUNT_MASK, 0);
		assert_false(model_guest_dir(&H.m, 0, LPI)); /* no trap */
		h_service_maint(0);
		assert_int_equal(model_guest_ack(&H.m, 0, MODEL_GROUP1), LPI);
		model_guest_eoi(&H.m, 0, MODEL_GROUP1, LPI);
		h_exit(0);
		uint32_t log[4];
		assert_int_equal(take(0, log, 4, eoimode), 0);
		assert_int_equal(stats().eoicount, 0);
		assert_int_equal(model_guest_rpr(&H.m, 0), 0xff); /* idle */
		h_teardown(NULL);
	}
}

static void t_priority_order_with_spis(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	set_prop(LPI + 1, 0x60, true);
	set_prop(LPI + 2, 0x20, true);
	set_prop(LPI + 3, 0xe0, true);
	enable_lpis(0, true);
	h_guest_init(0, 0, false);
	h_cfg_irq(0, 40, true, 0x40, true, true);
	h_route(40, 0);
	setlpir(0, LPI + 1);
	setlpir(0, LPI + 3);
	assert_int_equal(vgic_inject(H.vm, 0, 40), 0);
	setlpir(0, LPI + 2);
	uint32_t log[8];
	assert_int_equal(take(0, log, 8, false), 4);
	assert_int_equal(log[0], LPI + 2);
	assert_int_equal(log[1], 40);
	assert_int_equal(log[2], LPI + 1);
	assert_int_equal(log[3], LPI + 3);
	h_teardown(NULL);
}

/* The configuration is cached: a changed property byte counts only
 * after an invalidation (GICR_INVLPIR, GICR_INVALLR). */
static void t_config_needs_invalidate(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	set_prop(LPI + 7, 0x80, false);
	enable_lpis(0, true);
	h_guest_init(0, 0, false);
	setlpir(0, LPI + 7);
	uint32_t log[4];
	assert_int_equal(take(0, log, 4, false), 0);
	set_prop(LPI + 7, 0x80, true);
	assert_int_equal(take(0, log, 4, false), 0); /* not invalidated */
	h_mmio_w(0, h_gicr(0, GICR_INVLPIR), 8, LPI + 7);
	assert_int_equal(take(0, log, 4, false), 1);
	assert_int_equal(log[0], LPI + 7);
	/* Disabled again, INVALLR: the next one waits. */
	set_prop(LPI + 7, 0x80, false);
	h_mmio_w(0, h_gicr(0, GICR_INVALLR), 8, 0);
	setlpir(0, LPI + 7);
	assert_int_equal(take(0, log, 4, false), 0);
	/* Priority changes take effect through the invalidation too. */
	set_prop(LPI + 7, 0x10, true);
	set_prop(LPI + 8, 0x40, true);
	setlpir(0, LPI + 8);
	h_mmio_w(0, h_gicr(0, GICR_INVLPIR), 8, LPI + 7);
	assert_int_equal(take(0, log, 4, false), 2);
	assert_int_equal(log[0], LPI + 7);
	assert_int_equal(log[1], LPI + 8);
	h_teardown(NULL);
}

static void t_clrlpir(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	set_prop(LPI, 0x80, true);
	enable_lpis(0, true);
	h_guest_init(0, 0, false);
	setlpir(0, LPI);
	h_mmio_w(0, h_gicr(0, GICR_CLRLPIR), 8, LPI);
	uint32_t log[4];
	assert_int_equal(take(0, log, 4, false), 0);
	/* Cleared while presented in a running vCPU's LR: the write wins. */
	setlpir(0, LPI);
	h_enter(0, 0);
	h_mmio_w(0, h_gicr(0, GICR_CLRLPIR), 8, LPI);
	h_exit(0);
	assert_int_equal(take(0, log, 4, false), 0);
	h_teardown(NULL);
}

/* Each redistributor has its own pending state for the same LPI. */
static void t_per_redistributor(void **state)
{
	(void)state;
	setup_lpis(2, 16);
	set_prop(LPI + 9, 0x80, true);
	enable_lpis(0, true);
	enable_lpis(1, true);
	h_guest_init(0, 0, false);
	h_guest_init(1, 1, false);
	setlpir(0, LPI + 9);
	assert_int_equal(vgic_inject_lpi(H.vm, 1, LPI + 9), 0);
	uint32_t log[4];
	assert_int_equal(take(0, log, 4, false), 1);
	assert_int_equal(take(1, log, 4, false), 1);
	assert_int_equal(log[0], LPI + 9);
	h_teardown(NULL);
}

/* EnableLPIs with PTZ == 0 takes the pending table's bits. */
static void t_pending_table_on_enable(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	set_prop(LPI + 100, 0x80, true);
	set_prop(60000, 0x40, true);
	*pend_byte(0, LPI + 100) |= 1u << ((LPI + 100) % 8);
	*pend_byte(0, 60000) |= 1u << (60000 % 8);
	*pend_byte(0, 100) = 0xff; /* below 8192: not LPIs, ignored */
	enable_lpis(0, false);
	assert_int_equal(*pend_byte(0, LPI + 100), 0); /* taken */
	/* Writing EnableLPIs = 1 again is no enable: the table, now the
	 * Redistributor's, is not read again. */
	set_prop(LPI + 200, 0x80, true);
	*pend_byte(0, LPI + 200) |= 1u << ((LPI + 200) % 8);
	h_mmio_w(0, h_gicr(0, GICR_CTLR), 4, 1);
	h_guest_init(0, 0, false);
	uint32_t log[4];
	assert_int_equal(take(0, log, 4, false), 2);
	assert_int_equal(log[0], 60000);
	assert_int_equal(log[1], LPI + 100);
	h_teardown(NULL);
	/* PTZ == 1: the table is taken as zero. */
	setup_lpis(1, 16);
	set_prop(LPI, 0x80, true);
	*pend_byte(0, LPI) = 1;
	enable_lpis(0, true);
	h_guest_init(0, 0, false);
	assert_int_equal(take(0, log, 4, false), 0);
	h_teardown(NULL);
}

/* A full store spills to the pending table; nothing is lost. */
static void t_store_full_spills(void **state)
{
	(void)state;
	setup_lpis(1, 4);
	for (uint32_t i = 0; i < 10; i++)
		set_prop(LPI + i, (uint8_t)(0x10 * (i + 1)), true);
	enable_lpis(0, true);
	h_guest_init(0, 0, false);
	for (uint32_t i = 0; i < 10; i++)
		setlpir(0, LPI + i);
	assert_int_equal(stats().lpi_spilled, 6);
	uint32_t log[16];
	assert_int_equal(take(0, log, 16, false), 10);
	bool seen[10] = {false};
	for (uint32_t i = 0; i < 10; i++) {
		assert_true(log[i] >= LPI && log[i] < LPI + 10);
		assert_false(seen[log[i] - LPI]);
		seen[log[i] - LPI] = true;
	}
	/* CLRLPIR reaches a spilled one too. */
	for (uint32_t i = 0; i < 10; i++)
		setlpir(0, LPI + i);
	h_mmio_w(0, h_gicr(0, GICR_CLRLPIR), 8, LPI + 9);
	assert_int_equal(take(0, log, 16, false), 9);
	for (uint32_t i = 0; i < 9; i++)
		assert_true(log[i] != LPI + 9);
	h_teardown(NULL);
}

/* Tables outside the VM: every access is refused by the host, the
 * LPIs read as disabled, nothing else happens. */
static void t_hostile_table_addresses(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	h_mmio_w(0, h_gicr(0, GICR_PROPBASER), 8, 0x1000 | (ID_BITS - 1));
	h_mmio_w(0, h_gicr(0, GICR_PENDBASER), 8, 0x000fffffffff0000ULL);
	h_mmio_w(0, h_gicr(0, GICR_CTLR), 4, 1); /* PTZ 0: reads the table */
	h_guest_init(0, 0, false);
	setlpir(0, LPI);
	uint32_t log[4];
	assert_int_equal(take(0, log, 4, false), 0);
	assert_true(H.ram_refused > 0);
	assert_int_equal(stats().guest_mem_errors, H.ram_refused);
	h_teardown(NULL);
}

/* INTIDs that are no LPI here are ignored and counted. */
static void t_bad_intids(void **state)
{
	(void)state;
	setup_lpis(1, 16);
	set_prop(LPI, 0x80, true);
	/* Before EnableLPIs: ignored. */
	setlpir(0, LPI);
	assert_int_equal(vgic_inject_lpi(H.vm, 0, LPI), VGIC_EPERM);
	enable_lpis(0, true);
	h_guest_init(0, 0, false);
	uint64_t before = stats().bad_intid;
	setlpir(0, 8191);
	setlpir(0, 1u << ID_BITS);
	setlpir(0, 0xffffffffu);
	assert_int_equal(stats().bad_intid, before + 3);
	uint32_t log[4];
	assert_int_equal(take(0, log, 4, false), 0);
	/* PROPBASER.IDbits below GICD_TYPER.IDbits narrows the range; it
	 * was 16 bits here, so 65535 is fine, 65536 is not. */
	assert_int_equal(vgic_inject_lpi(H.vm, 0, 65535), 0);
	assert_int_equal(vgic_inject_lpi(H.vm, 0, 65536), VGIC_EPERM);
	assert_int_equal(vgic_inject_lpi(H.vm, 1, LPI), VGIC_ERANGE);
	assert_int_equal(vgic_inject_lpi(NULL, 0, LPI), VGIC_EINVAL);
	h_teardown(NULL);
	assert_int_equal(h_setup(1, 1, 4, 32), 0);
	assert_int_equal(vgic_inject_lpi(H.vm, 0, LPI), VGIC_ERANGE);
	h_teardown(NULL);
}

static void t_config_checks(void **state)
{
	(void)state;
	struct vgic_config c;
	vgic_config_default(&c);
	c.lpi_id_bits = 13;
	c.nr_lpi_slots = 16;
	assert_int_equal(vgic_vm_size(&c), 0);
	c.lpi_id_bits = 25;
	assert_int_equal(vgic_vm_size(&c), 0);
	c.lpi_id_bits = 16;
	c.nr_lpi_slots = 0;
	assert_int_equal(vgic_vm_size(&c), 0);
	c.nr_lpi_slots = 16;
	size_t size = vgic_vm_size(&c);
	assert_true(size > 0);
	/* LPIs need host ops v3 with guest memory. */
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	struct vgic_host_ops ops = {.version = 2};
	struct vgic_vm *vm;
	assert_int_equal(vgic_vm_init(mem, size, &c, &ops, NULL, &vm),
			 VGIC_EVERSION);
	ops.version = 3;
	assert_int_equal(vgic_vm_init(mem, size, &c, &ops, NULL, &vm),
			 VGIC_EVERSION);
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_id_registers),
		cmocka_unit_test(t_base_registers),
		cmocka_unit_test(t_setlpir_delivers_once),
		cmocka_unit_test(t_eoi_after_exit),
		cmocka_unit_test(t_priority_order_with_spis),
		cmocka_unit_test(t_config_needs_invalidate),
		cmocka_unit_test(t_clrlpir),
		cmocka_unit_test(t_per_redistributor),
		cmocka_unit_test(t_pending_table_on_enable),
		cmocka_unit_test(t_store_full_spills),
		cmocka_unit_test(t_hostile_table_addresses),
		cmocka_unit_test(t_bad_intids),
		cmocka_unit_test(t_config_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
