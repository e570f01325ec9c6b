/* SPDX-License-Identifier: MIT */
/*
 * LPI passthrough end to end on the model's physical ITS: the host keeps
 * the physical ITS in step with the guest's vITS (host ops v4 pt_map,
 * pt_unmap, pt_mask, as hyp/its.c does on QEMU), a device's MSI
 * (model_its_msi) becomes a host LPI at the physical CPU of the target
 * vCPU, the host takes it (ICC_IAR1) and injects the vLPI
 * (vgic_inject_pt), and the guest takes it. Counted per delivered vLPI,
 * for both policies: host interrupts, INV commands, maintenance
 * interrupts.
 */
#include "its_guest.h"

#define HOST_MEM_BASE 0x100000000ULL
#define HOST_MEM_SIZE (1u << 20)
#define HOST_PROP (HOST_MEM_BASE) /* 8 KiB: 14 ID bits */
#define HOST_PEND(p) (HOST_MEM_BASE + 0x10000 * (uint64_t)(1 + (p)))
#define HOST_QUEUE (HOST_MEM_BASE + 0x80000) /* 4 KiB */
#define HOST_ITT(d) (HOST_MEM_BASE + 0x90000 + 0x1000 * (uint64_t)(d))
#define HOST_LPI0 8192u
#define NR_HOST_LPIS 16u

#define DEV 7u
#define EV 3u
#define VLPI (IG_LPI + 40)

/* The host's side of the physical ITS. */
static struct {
	uint8_t *mem;
	uint32_t cwriter;
	struct host_lpi {
		bool used;
		uint32_t devid, eventid, pcpu;
	} lpi[NR_HOST_LPIS];
	bool dev_mapped;
	unsigned irqs, invs; /* host LPIs taken, INV commands */
} P;

static uint8_t *host_at(uint64_t pa)
{
	return &P.mem[pa - HOST_MEM_BASE];
}

static void phys_cmd(uint64_t d0, uint64_t d1, uint64_t d2)
{
	uint64_t c[4] = {d0, d1, d2, 0}, r;

	memcpy(host_at(HOST_QUEUE + P.cwriter), c, sizeof(c));
	P.cwriter = (P.cwriter + 32) % 0x1000;
	assert_int_equal(model_its_write(&H.m, 0x88, 8, P.cwriter), 0);
	assert_int_equal(model_its_read(&H.m, 0x90, 8, &r), 0);
	assert_int_equal(r, P.cwriter); /* done, not stalled */
}

static uint64_t dev_word(uint8_t op, uint32_t devid)
{
	return op | (uint64_t)devid << 32;
}

static void phys_inv(uint32_t devid, uint32_t eventid)
{
	phys_cmd(dev_word(ITS_INV, devid), eventid, 0);
	P.invs++;
}

static int find(uint32_t devid, uint32_t eventid)
{
	for (unsigned i = 0; i < NR_HOST_LPIS; i++)
		if (P.lpi[i].used && P.lpi[i].devid == devid &&
		    P.lpi[i].eventid == eventid)
			return (int)i;
	return -1;
}

static void set_prop(unsigned i, bool enable)
{
	*host_at(HOST_PROP + i) = (uint8_t)(0xa0 | 2 | enable);
}

/* pt_map: a host LPI per event, routed to the pCPU of the vCPU. */
static void host_pt_map(void *ctx, uint32_t its, uint32_t devid,
			uint32_t eventid, uint32_t intid, uint32_t vcpu)
{
	uint32_t pcpu = model_vcpu_pcpu(&H.m, vcpu);
	int i = find(devid, eventid);

	(void)ctx;
	(void)its;
	(void)intid;
	if (i >= 0) {
		if (P.lpi[i].pcpu != pcpu)
			phys_cmd(dev_word(ITS_MOVI, devid), eventid, pcpu);
		P.lpi[i].pcpu = pcpu;
		return;
	}
	for (i = 0; P.lpi[i].used; i++)
		assert_true(i + 1 < (int)NR_HOST_LPIS);
	P.lpi[i] = (struct host_lpi){true, devid, eventid, pcpu};
	if (!P.dev_mapped) {
		phys_cmd(dev_word(ITS_MAPD, devid), 5,
			 1ULL << 63 | HOST_ITT(0));
		P.dev_mapped = true;
	}
	set_prop((unsigned)i, true);
	phys_cmd(dev_word(ITS_MAPTI, devid),
		 eventid | (uint64_t)(HOST_LPI0 + (unsigned)i) << 32, pcpu);
	phys_inv(devid, eventid);
}

static void host_pt_unmap(void *ctx, uint32_t its, uint32_t devid,
			  uint32_t eventid)
{
	(void)ctx;
	(void)its;
	for (unsigned i = 0; i < NR_HOST_LPIS; i++) {
		if (!P.lpi[i].used || P.lpi[i].devid != devid ||
		    (eventid != VGIC_PT_ALL_EVENTS &&
		     P.lpi[i].eventid != eventid))
			continue;
		phys_cmd(dev_word(ITS_DISCARD, devid), P.lpi[i].eventid, 0);
		P.lpi[i].used = false;
	}
}

static void host_pt_mask(void *ctx, uint32_t its, uint32_t devid,
			 uint32_t eventid, bool masked)
{
	int i = find(devid, eventid);

	(void)ctx;
	(void)its;
	assert_true(i >= 0);
	set_prop((unsigned)i, !masked);
	phys_inv(devid, eventid);
}

/* The host's physical LPIs, its redistributors and ITS (what hyp/its.c
 * does at boot), then a guest with a vITS and one passthrough device. */
static void setup(uint8_t policy)
{
	H.lpi_id_bits = IG_ID_BITS;
	H.nr_lpi_slots = 64;
	H.nr_its = 1;
	H.nr_pt_devices = 1;
	H.pt_policy = policy;
	assert_int_equal(h_setup(2, 2, 4, 32), 0);
	memset(&P, 0, sizeof(P));
	P.mem = calloc(1, HOST_MEM_SIZE);
	model_set_memory(&H.m, P.mem, HOST_MEM_BASE, HOST_MEM_SIZE);
	for (uint32_t p = 0; p < 2; p++) {
		model_gicr_write(&H.m, p, 0x70, 8, HOST_PROP | 13);
		model_gicr_write(&H.m, p, 0x78, 8, HOST_PEND(p) | 1ULL << 62);
		model_gicr_write(&H.m, p, 0x0, 4, 1);
	}
	model_its_write(&H.m, 0x80, 8, 1ULL << 63 | HOST_QUEUE);
	model_its_write(&H.m, 0x0, 4, 1);
	for (uint32_t p = 0; p < 2; p++)
		phys_cmd(ITS_MAPC, 0, 1ULL << 63 | (uint64_t)p << 16 | p);
	H.ops.pt_map = host_pt_map; /* the library calls through &H.ops */
	H.ops.pt_unmap = host_pt_unmap;
	H.ops.pt_mask = host_pt_mask;
	ig_setup(2, 1);
	ig_mapc(0, 0, 0);
	ig_mapc(0, 1, 1);
	ig_prop(VLPI, 0x80, true);
	h_guest_init(0, 0, false);
	h_guest_init(1, 1, false);
	assert_int_equal(vgic_its_passthrough(H.vm, 0, DEV, 16), 0);
	ig_mapd(0, DEV, 4);
	ig_mapti(0, DEV, EV, VLPI, 0);
}

static int teardown(void **state)
{
	model_set_memory(&H.m, NULL, 0, 0);
	free(P.mem);
	return h_teardown(state);
}

/* The host takes every LPI pending for it on `pcpu` (its IRQ handler):
 * acknowledge, EOI (an LPI has no active state), inject the vLPI. */
static void host_irqs(uint32_t pcpu)
{
	for (;;) {
		uint32_t intid = model_icc_iar(&H.m, pcpu, MODEL_GROUP1);
		if (intid == MODEL_SPURIOUS)
			return;
		assert_true(intid >= HOST_LPI0 &&
			    intid < HOST_LPI0 + NR_HOST_LPIS);
		model_icc_eoir(&H.m, pcpu, MODEL_GROUP1, intid);
		struct host_lpi *l = &P.lpi[intid - HOST_LPI0];
		assert_true(l->used && l->pcpu == pcpu);
		P.irqs++;
		assert_int_equal(vgic_inject_pt(H.vm, 0, l->devid, l->eventid),
				 0);
	}
}

static void fire(uint32_t pcpu)
{
	assert_int_equal(model_its_msi(&H.m, DEV, EV), 0);
	host_irqs(pcpu);
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(H.vm, &s), 0);
	return s;
}

/* One round: the device fires, fires again before the guest takes the
 * vLPI, once more while the guest handles it; then the guest EOIs and
 * the host takes what is pending for it. Returns vLPIs the guest took. */
static unsigned round_trip(uint32_t v)
{
	unsigned taken = 0;

	fire(v);
	fire(v);
	h_enter(v, v);
	while (model_guest_ack(&H.m, v, 1) == VLPI) {
		if (taken++ == 0)
			fire(v);
		h_guest_complete(v, 1, VLPI, false); /* exits on maint */
		host_irqs(v);
		h_exit(v);
		h_enter(v, v);
	}
	h_exit(v);
	return taken;
}

static void t_phys_mapping_follows_guest(void **state)
{
	(void)state;
	setup(VGIC_PT_MERGE);
	int i = find(DEV, EV);
	assert_true(i >= 0);
	assert_int_equal(P.lpi[i].pcpu, 0);
	assert_int_equal(model_its_msi(&H.m, DEV, EV), 0);
	assert_true(model_phys_is_pending(&H.m, 0, HOST_LPI0 + (unsigned)i));
	host_irqs(0);
	ig_movi(0, DEV, EV, 1); /* the guest moves it: so does the host */
	assert_int_equal(P.lpi[i].pcpu, 1);
	assert_int_equal(model_its_msi(&H.m, DEV, EV), 0);
	assert_true(model_phys_is_pending(&H.m, 1, HOST_LPI0 + (unsigned)i));
	host_irqs(1);
	/* The first vLPI, still pending at vCPU 0, moved with the MOVI and
	 * merged with the second at vCPU 1. */
	uint32_t log[4];
	assert_int_equal(h_take_all(0, 0, 1, false, log, 4), 0);
	assert_int_equal(h_take_all(1, 1, 1, false, log, 4), 1);
	assert_int_equal(log[0], VLPI);
	ig_event(0, ITS_DISCARD, DEV, EV);
	assert_int_equal(find(DEV, EV), -1);
	assert_int_equal(model_its_msi(&H.m, DEV, EV), VGIC_ENOENT);
	assert_int_equal(model_its_errors(&H.m), 0);
}

/* MERGE: three fires per round give three host interrupts and two vLPIs
 * (the second fire merges with the pending vLPI, the third queues one);
 * no INV, no maintenance interrupt beyond mapping. */
static void t_merge_counts(void **state)
{
	(void)state;
	setup(VGIC_PT_MERGE);
	unsigned invs0 = P.invs, vlpis = 0;
	for (int r = 0; r < 50; r++)
		vlpis += round_trip(0);
	assert_int_equal(P.irqs, 150);
	assert_int_equal(vlpis, 100);
	assert_int_equal(P.invs - invs0, 0);
	assert_int_equal(stats().maint_eoi, 0);
	assert_int_equal(stats().pt_injected, 150);
}

/* MASK: the second and third fires find the host LPI masked and stay
 * pending in the physical redistributor, to be taken once after the
 * unmask: two host interrupts and two vLPIs per round, two INVs and one
 * maintenance interrupt per vLPI. */
static void t_mask_counts(void **state)
{
	(void)state;
	setup(VGIC_PT_MASK);
	unsigned invs0 = P.invs, vlpis = 0;
	for (int r = 0; r < 50; r++)
		vlpis += round_trip(0);
	assert_int_equal(P.irqs, 100);
	assert_int_equal(vlpis, 100);
	assert_int_equal(P.invs - invs0, 200);
	assert_int_equal(stats().maint_eoi, 100);
	assert_int_equal(stats().pt_masks, 100);
	assert_int_equal(stats().pt_unmasks, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_phys_mapping_follows_guest,
					  teardown),
		cmocka_unit_test_teardown(t_merge_counts, teardown),
		cmocka_unit_test_teardown(t_mask_counts, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
