/* SPDX-License-Identifier: MIT */
/*
 * Test harness: libvgic on the software GIC model, driven the way a
 * hypervisor drives it. A "guest CPU" acknowledges and completes
 * interrupts through the model's ICV_* registers, and the harness exits
 * to the host (sync) as soon as the maintenance interrupt is signalled,
 * as hardware would.
 */
#ifndef VGIC_TEST_HARNESS_H
#define VGIC_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"
#include "vgic/vgic.h"

/* Frame offsets (IHI 0069 12.8, 12.10). */
#define GICD_CTLR 0x0000
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_STRIDE 0x20000

/* Guest RAM for the LPI tables (host ops v3), when a test asks for LPIs. */
#define H_RAM_BASE 0x40000000ULL
#define H_RAM_SIZE (4u << 20)

/* Virtual ITSs, when a test asks for them (H.nr_its): ITS 0 where QEMU's
 * virt machine has its ITS, the others further up. */
#define H_ITS_BASE(i)                                                          \
	((i) ? 0x0c000000ULL + (uint64_t)(i)*0x20000 : 0x08080000ULL)

struct harness {
	struct model m;
	struct vgic_config cfg;
	struct vgic_vm *vm;
	void *mem;
	struct vgic_cpu_if cif[MODEL_MAX_PCPUS];
	int running[MODEL_MAX_PCPUS]; /* vCPU on each pCPU, -1 if none */
	unsigned exits;
	bool no_stop_ops; /* set before h_setup: host without vcpu_stop */
	int stopped_on[MODEL_MAX_VCPUS]; /* pCPU + 1 a stop took it off */
	unsigned stops;
	struct vgic_host_ops ops;
	/* set before h_setup: LPIs (cfg.lpi_id_bits, nr_lpi_slots) */
	uint8_t lpi_id_bits;
	uint32_t nr_lpi_slots;
	/* set before h_setup: ITSs (needs lpi_id_bits); 0 sizes: defaults */
	uint32_t nr_its;
	uint8_t its_device_bits, its_event_bits;
	uint32_t its_cache_size;
	uint64_t its_base[VGIC_MAX_ITS];
	/* set before h_setup: passthrough (needs ITSs); the host ops record
	 * every pt_map/pt_unmap/pt_mask call */
	uint32_t nr_pt_devices;
	uint8_t pt_policy;
	struct h_pt_call {
		char op; /* 'm'ap, 'u'nmap, 'M'ask, 'U'nmask */
		uint32_t its, devid, eventid, intid, vcpu;
	} pt_log[64];
	unsigned pt_calls;
	uint8_t *ram; /* H_RAM_SIZE bytes at H_RAM_BASE */
	unsigned ram_refused;
};

static struct harness H;

static inline void h_mmio_w(uint32_t v, uint64_t gpa, unsigned len,
			    uint64_t val)
{
	assert_int_equal(vgic_mmio_write(H.vm, v, gpa, len, val), 0);
}

static inline uint64_t h_mmio_r(uint32_t v, uint64_t gpa, unsigned len)
{
	uint64_t val = ~0ULL;
	assert_int_equal(vgic_mmio_read(H.vm, v, gpa, len, &val), 0);
	return val;
}

static inline uint64_t h_gicd(uint32_t off)
{
	return H.cfg.gicd_base + off;
}

static inline uint64_t h_gicr(uint32_t v, uint32_t off)
{
	return H.cfg.gicr_base + (uint64_t)v * GICR_STRIDE + off;
}

/* Address of a per-IRQ register bit field for `intid` seen by `v`. */
static inline uint64_t h_irq_reg(uint32_t v, uint32_t base, uint32_t intid,
				 unsigned bpi)
{
	uint32_t off = base + intid * bpi / 32 * 4;
	return intid < 32 ? h_gicr(v, GICR_SGI + off) : h_gicd(off);
}

static inline void h_bit_w(uint32_t v, uint32_t base, uint32_t intid)
{
	h_mmio_w(v, h_irq_reg(v, base, intid, 1), 4, 1u << (intid % 32));
}

static inline bool h_bit_r(uint32_t v, uint32_t base, uint32_t intid)
{
	return (h_mmio_r(v, h_irq_reg(v, base, intid, 1), 4) >> (intid % 32)) &
	       1;
}

/* Configure `intid` (as vCPU `v` sees it) by guest MMIO. */
static inline void h_cfg_irq(uint32_t v, uint32_t intid, bool group1,
			     uint8_t prio, bool edge, bool enable)
{
	uint64_t grp = h_irq_reg(v, GICD_IGROUPR, intid, 1);
	uint64_t g = h_mmio_r(v, grp, 4) & ~(1ULL << (intid % 32));
	h_mmio_w(v, grp, 4, g | (uint64_t)group1 << (intid % 32));
	uint64_t pri = intid < 32
			       ? h_gicr(v, GICR_SGI + GICD_IPRIORITYR + intid)
			       : h_gicd(GICD_IPRIORITYR + intid);
	h_mmio_w(v, pri, 1, prio);
	if (intid >= 16) {
		uint64_t cfgr = h_irq_reg(v, GICD_ICFGR, intid, 2);
		unsigned sh = (intid % 16) * 2 + 1;
		uint64_t c = h_mmio_r(v, cfgr, 4) & ~(1ULL << sh);
		h_mmio_w(v, cfgr, 4, c | (uint64_t)edge << sh);
	}
	h_bit_w(v, enable ? GICD_ISENABLER : GICD_ICENABLER, intid);
}

/* Route SPI `intid` to vCPU `v` (default affinity layout). */
static inline void h_route(uint32_t intid, uint32_t v)
{
	uint64_t aff = (v % 16) | (uint64_t)(v / 16) << 8;
	h_mmio_w(0, h_gicd(GICD_IROUTER + 8 * intid), 8, aff);
}

/* ------------------------------------------------------- world switch */

static inline void h_enter(uint32_t v, uint32_t p)
{
	assert_int_equal(H.running[p], -1);
	model_vcpu_run_on(&H.m, v, p);
	assert_int_equal(vgic_flush(H.vm, v, &H.cif[p]), 0);
	assert_int_equal(model_vcpuif_load(&H.m, p, &H.cif[p]), 0);
	H.running[p] = (int)v;
}

static inline void h_exit(uint32_t p)
{
	assert_true(H.running[p] >= 0);
	assert_int_equal(model_vcpuif_save(&H.m, p, &H.cif[p]), 0);
	assert_int_equal(vgic_sync(H.vm, (uint32_t)H.running[p], &H.cif[p]), 0);
	/* The host's next entry rewrites everything; leave no stale LRs. */
	struct vgic_cpu_if empty = {0};
	model_vcpuif_load(&H.m, p, &empty);
	H.running[p] = -1;
	H.exits++;
}

/* Switch the vCPU on `p` out of its physical CPU. */
static inline void h_put(uint32_t p)
{
	uint32_t v = (uint32_t)H.running[p];
	h_exit(p);
	assert_int_equal(vgic_vcpu_put(H.vm, v), 0);
}

static inline bool h_maint(uint32_t p)
{
	return (model_ich_hcr(&H.m, p) & VGIC_HCR_EN) &&
	       model_ich_misr(&H.m, p) != 0;
}

/* Exit and re-enter if the maintenance interrupt fired (it would have
 * taken the CPU to EL2 at once). */
static inline void h_service_maint(uint32_t p)
{
	while (H.running[p] >= 0 && h_maint(p)) {
		uint32_t v = (uint32_t)H.running[p];
		h_exit(p);
		h_enter(v, p);
	}
}

/* The guest's CPU-interface set-up: PMR, group enables, EOImode. */
static inline void h_guest_init(uint32_t v, uint32_t p, bool eoimode)
{
	h_enter(v, p);
	model_guest_set_pmr(&H.m, p, 0xff);
	model_guest_set_igrpen(&H.m, p, MODEL_GROUP0, true);
	model_guest_set_igrpen(&H.m, p, MODEL_GROUP1, true);
	model_guest_set_ctlr(&H.m, p, eoimode ? 2u : 0u);
	h_exit(p);
}

/* The guest completes `intid`: EOI, and DIR when EOImode == 1 (trapped
 * DIRs are emulated by the host as a hypervisor would). */
static inline void h_guest_complete(uint32_t p, unsigned grp, uint32_t intid,
				    bool eoimode)
{
	model_guest_eoi(&H.m, p, grp, intid);
	if (eoimode && model_guest_dir(&H.m, p, intid)) {
		uint32_t v = (uint32_t)H.running[p];
		h_exit(p);
		assert_int_equal(
			vgic_sysreg_write(H.vm, v, VGIC_SYSREG_DIR, intid), 0);
		h_enter(v, p);
	}
	h_service_maint(p);
}

/*
 * Run vCPU `v` on `p` and let its guest take and complete every
 * interrupt of group `grp` it can, one at a time, logging INTIDs.
 * Returns the number taken. Ends when an entry presents nothing.
 */
static inline unsigned h_take_all(uint32_t v, uint32_t p, unsigned grp,
				  bool eoimode, uint32_t *log, unsigned max)
{
	unsigned n = 0;
	h_enter(v, p);
	for (unsigned guard = 0; guard < 100000; guard++) {
		uint32_t intid = model_guest_ack(&H.m, p, grp);
		if (intid == MODEL_SPURIOUS)
			break;
		if (n < max)
			log[n] = intid;
		n++;
		h_guest_complete(p, grp, intid, eoimode);
	}
	h_exit(p);
	return n;
}

/* Host ops v2: the model's, plus vcpu_stop/vcpu_resume done the way a
 * hypervisor does them: the running vCPU exits (sync) and re-enters. */
static inline void h_op_stop(void *ctx, uint32_t v)
{
	(void)ctx;
	for (uint32_t p = 0; p < MODEL_MAX_PCPUS; p++) {
		if (H.running[p] == (int)v) {
			h_exit(p);
			H.stopped_on[v] = (int)p + 1;
			H.stops++;
		}
	}
}

static inline void h_op_resume(void *ctx, uint32_t v)
{
	(void)ctx;
	if (H.stopped_on[v]) {
		uint32_t p = (uint32_t)H.stopped_on[v] - 1;
		H.stopped_on[v] = 0;
		h_enter(v, p);
	}
}

/* Host ops v3: guest memory is H.ram; anything else is refused. */
static inline uint8_t *h_ram_at(uint64_t gpa, size_t len)
{
	if (!H.ram || gpa < H_RAM_BASE || gpa - H_RAM_BASE > H_RAM_SIZE ||
	    len > H_RAM_SIZE - (gpa - H_RAM_BASE)) {
		H.ram_refused++;
		return NULL;
	}
	return H.ram + (gpa - H_RAM_BASE);
}

static inline bool h_op_guest_read(void *ctx, uint64_t gpa, void *buf,
				   size_t len)
{
	uint8_t *p = h_ram_at(gpa, len);
	(void)ctx;
	if (p)
		memcpy(buf, p, len);
	return p != NULL;
}

static inline bool h_op_guest_write(void *ctx, uint64_t gpa, const void *buf,
				    size_t len)
{
	uint8_t *p = h_ram_at(gpa, len);
	(void)ctx;
	if (p)
		memcpy(p, buf, len);
	return p != NULL;
}

static inline void h_pt_log(char op, uint32_t its, uint32_t devid,
			    uint32_t eventid, uint32_t intid, uint32_t vcpu)
{
	struct h_pt_call c = {op, its, devid, eventid, intid, vcpu};
	if (H.pt_calls < sizeof(H.pt_log) / sizeof(H.pt_log[0]))
		H.pt_log[H.pt_calls] = c;
	H.pt_calls++;
}

static inline void h_op_pt_map(void *ctx, uint32_t its, uint32_t devid,
			       uint32_t eventid, uint32_t intid, uint32_t vcpu)
{
	(void)ctx;
	h_pt_log('m', its, devid, eventid, intid, vcpu);
}

static inline void h_op_pt_unmap(void *ctx, uint32_t its, uint32_t devid,
				 uint32_t eventid)
{
	(void)ctx;
	h_pt_log('u', its, devid, eventid, 0, 0);
}

static inline void h_op_pt_mask(void *ctx, uint32_t its, uint32_t devid,
				uint32_t eventid, bool masked)
{
	(void)ctx;
	h_pt_log(masked ? 'M' : 'U', its, devid, eventid, 0, 0);
}

static inline int h_setup(uint32_t nr_vcpus, uint32_t nr_pcpus, uint8_t nr_lrs,
			  uint32_t nr_spis)
{
	struct model_config mc;
	model_config_default(&mc);
	mc.nr_pcpus = nr_pcpus;
	mc.nr_lrs = nr_lrs;
	mc.nr_spis = 256;
	if (model_init(&H.m, &mc))
		return -1;
	model_host_boot(&H.m, true);

	vgic_config_default(&H.cfg);
	H.cfg.nr_vcpus = nr_vcpus;
	H.cfg.nr_lrs = nr_lrs;
	H.cfg.nr_spis = nr_spis;
	H.cfg.lpi_id_bits = H.lpi_id_bits;
	H.cfg.nr_lpi_slots = H.nr_lpi_slots;
	H.cfg.nr_its = H.nr_its;
	for (uint32_t i = 0; i < H.nr_its && i < VGIC_MAX_ITS; i++)
		H.its_base[i] = H_ITS_BASE(i);
	H.cfg.its_base = H.nr_its ? H.its_base : NULL;
	if (H.its_device_bits)
		H.cfg.its_device_bits = H.its_device_bits;
	if (H.its_event_bits)
		H.cfg.its_event_bits = H.its_event_bits;
	if (H.its_cache_size)
		H.cfg.its_cache_size = H.its_cache_size;
	H.cfg.nr_pt_devices = H.nr_pt_devices;
	H.cfg.pt_policy = H.pt_policy;
	size_t size = vgic_vm_size(&H.cfg);
	H.mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	H.ops = *model_host_ops();
	H.ops.version = VGIC_HOST_OPS_VERSION;
	H.ops.vcpu_stop = H.no_stop_ops ? NULL : h_op_stop;
	H.ops.vcpu_resume = H.no_stop_ops ? NULL : h_op_resume;
	H.stops = 0;
	H.ram_refused = 0;
	H.pt_calls = 0;
	if (H.nr_pt_devices) {
		H.ops.pt_map = h_op_pt_map;
		H.ops.pt_unmap = h_op_pt_unmap;
		H.ops.pt_mask = h_op_pt_mask;
	}
	if (H.lpi_id_bits) {
		H.ram = calloc(1, H_RAM_SIZE);
		H.ops.guest_read = h_op_guest_read;
		H.ops.guest_write = h_op_guest_write;
	}
	if (!H.mem || vgic_vm_init(H.mem, size, &H.cfg, &H.ops, &H.m, &H.vm))
		return -1;
	for (uint32_t p = 0; p < MODEL_MAX_PCPUS; p++)
		H.running[p] = -1;
	H.exits = 0;
	/* What a guest kernel does first: enable both groups, wake every
	 * redistributor. */
	vgic_mmio_write(H.vm, 0, h_gicd(GICD_CTLR), 4, 3);
	for (uint32_t v = 0; v < nr_vcpus; v++)
		vgic_mmio_write(H.vm, v, h_gicr(v, GICR_WAKER), 4, 0);
	return 0;
}

static inline int h_teardown(void **state)
{
	(void)state;
	free(H.mem);
	H.mem = NULL;
	free(H.ram);
	H.ram = NULL;
	H.lpi_id_bits = 0;
	H.nr_lpi_slots = 0;
	H.nr_its = 0;
	H.its_device_bits = H.its_event_bits = 0;
	H.its_cache_size = 0;
	H.nr_pt_devices = 0;
	H.pt_policy = 0;
	return 0;
}

#endif /* VGIC_TEST_HARNESS_H */
