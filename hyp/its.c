/* SPDX-License-Identifier: MIT */
/*
 * LPI passthrough without GICv4 (seed 000): the physical ITS of QEMU's
 * virt machine, driven for the guest's PCI devices.
 *
 * The guest sees a vITS (libvgic) at the physical ITS's own address, so
 * the doorbell it programs into a device's MSI-X table, GITS_TRANSLATER
 * at 0x08090040, is the physical one: the device's MSI write (DMA, no
 * stage 2 without an SMMU) reaches the physical ITS with the device's
 * requester ID as DeviceID and the guest's EventID. The guest's mappings
 * for that device are mirrored here (libvgic host ops v4): per mapped
 * event one host LPI, routed to the pCPU that runs the target vCPU. When
 * the host LPI arrives, vgic_inject_pt makes the guest's vLPI pending.
 *
 * Every PCI function 0 on bus 0 is declared a passthrough device (its
 * DeviceID is its requester ID, devfn = slot * 8), with PT_EVENTS MSIs.
 * Tables: one 64 KiB page each for the device and collection tables, a
 * 64 KiB command queue, a PT_EVENTS-entry ITT per device, the LPI
 * property table for 14 INTID bits and a pending table per pCPU, all in
 * the hypervisor's memory. The ITS is emulated by QEMU, which reads that
 * memory directly: no cache maintenance is needed (real hardware would
 * want it, or Inner Shareable cacheable table attributes).
 */
#include "hyp.h"

#define GITS_BASE 0x08080000UL
#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078

#define LPI_ID_BITS 14
#define LPI_BASE 8192u
#define NR_HOST_LPIS 1024u
#define PT_DEVICES 32u /* bus 0, slots 0..31, function 0 */
#define PT_EVENTS 64u
#define PT_EVENT_BITS 6
#define QUEUE_BYTES 0x10000u
#define PRIO_LPI 0xa0u

#define CMD_MOVI 0x01
#define CMD_SYNC 0x05
#define CMD_MAPD 0x08
#define CMD_MAPC 0x09
#define CMD_MAPTI 0x0a
#define CMD_INV 0x0c
#define CMD_DISCARD 0x0f

static uint8_t prop_table[(1u << LPI_ID_BITS) - LPI_BASE]
	__attribute__((aligned(0x1000)));
static uint8_t pend_tables[HYP_MAX_PCPUS][0x10000]
	__attribute__((aligned(0x10000)));
static uint8_t dev_table[0x10000] __attribute__((aligned(0x10000)));
static uint8_t coll_table[0x10000] __attribute__((aligned(0x10000)));
static uint64_t cmd_queue[QUEUE_BYTES / 8] __attribute__((aligned(0x10000)));
static uint8_t itts[PT_DEVICES][PT_EVENTS * 16] __attribute__((aligned(256)));

/* One host LPI: LPI_BASE + its index. */
struct host_lpi {
	bool used;
	uint32_t devid, eventid;
	uint32_t pcpu;
};

static spinlock_t its_lock;
static struct host_lpi host_lpis[NR_HOST_LPIS];
static bool dev_mapped[PT_DEVICES];
static uint32_t cwriter;
static uint64_t gits_typer;
static bool its_on;
static atomic_ulong stat_lpis, stat_invs, stat_map_fail;

static volatile uint64_t *gits64(unsigned off)
{
	return (volatile uint64_t *)(GITS_BASE + off);
}

static volatile uint32_t *gits32(unsigned off)
{
	return (volatile uint32_t *)(GITS_BASE + off);
}

bool its_enabled(void)
{
	return its_on;
}

/* ----------------------------------------------------- command queue */

/* Queue one command and wait for the ITS to consume it. Under its_lock
 * (or at boot, before the other pCPUs run). */
static void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t *c = &cmd_queue[cwriter / 8];

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = d3;
	cwriter = (cwriter + 32) % QUEUE_BYTES;
	dsb(ish);
	*gits64(GITS_CWRITER) = cwriter;
	for (unsigned long n = 0; (*gits64(GITS_CREADR) & ~31ULL) != cwriter;
	     n++) {
		if (*gits64(GITS_CREADR) & 1)
			hyp_panic("physical ITS stalled");
		if (n > 100000000ul)
			hyp_panic("physical ITS does not process commands");
	}
}

static uint64_t dev_word(uint8_t op, uint32_t devid)
{
	return op | (uint64_t)devid << 32;
}

/* A collection per pCPU, ICID = pCPU index; RDbase is the processor
 * number or the redistributor's address, as GITS_TYPER.PTA says. */
static uint64_t rdbase(uint32_t pcpu)
{
	uint64_t typer =
		*(volatile uint64_t *)(g_pcpus[pcpu].gicr + GICR_TYPER);

	if (gits_typer & (1ULL << 19))
		return g_pcpus[pcpu].gicr >> 16 << 16;
	return ((typer >> 8) & 0xffff) << 16;
}

/* ------------------------------------------------------------- boot */

/* The device and collection tables: one 64 KiB page each, flat. */
static void setup_basers(void)
{
	for (unsigned n = 0; n < 8; n++) {
		uint64_t v = *gits64(GITS_BASER(n));
		unsigned type = (unsigned)(v >> 56) & 7;
		uint64_t pa;
		if (type == 1)
			pa = (uint64_t)(uintptr_t)dev_table;
		else if (type == 4)
			pa = (uint64_t)(uintptr_t)coll_table;
		else
			continue;
		/* Valid, Type and Entry_Size kept, 64 KiB pages, 1 page. */
		*gits64(GITS_BASER(n)) = (1ULL << 63) | (v & (0x7ULL << 56)) |
					 (v & (0x1fULL << 48)) | pa |
					 (2ULL << 8);
		if (((*gits64(GITS_BASER(n)) >> 8) & 3) != 2)
			hyp_panic("physical ITS refuses 64 KiB table pages");
	}
}

void its_init(void)
{
	if (!(g_cfg.flags & HYPCFG_F_ITS))
		return;
	gits_typer = *gits64(GITS_TYPER);
	if ((((gits_typer >> 4) & 0xf) + 1) * PT_EVENTS > sizeof(itts[0]))
		hyp_panic("physical ITS entries too large");
	*gits32(GITS_CTLR) = 0;
	setup_basers();
	*gits64(GITS_CBASER) = (1ULL << 63) | (uint64_t)(uintptr_t)cmd_queue |
			       (QUEUE_BYTES / 0x1000 - 1);
	*gits64(GITS_CWRITER) = 0;
	cwriter = 0;
	*gits32(GITS_CTLR) = 1;
	its_on = true;
}

/* This pCPU's redistributor takes LPIs, and its collection is mapped. */
void its_cpu_init(struct pcpu *p)
{
	volatile uint64_t *rd = (volatile uint64_t *)p->gicr;

	if (!its_on)
		return;
	rd[GICR_PROPBASER / 8] =
		(uint64_t)(uintptr_t)prop_table | (LPI_ID_BITS - 1);
	rd[GICR_PENDBASER / 8] = (uint64_t)(uintptr_t)pend_tables[p->id] |
				 (1ULL << 62);		  /* PTZ: all zero */
	*(volatile uint32_t *)(p->gicr + GICR_CTLR) |= 1; /* EnableLPIs */
	dsb(ish);
	spin_lock(&its_lock);
	its_cmd(CMD_MAPC, 0, 1ULL << 63 | rdbase(p->id) | p->id, 0);
	its_cmd(CMD_SYNC, 0, rdbase(p->id), 0);
	spin_unlock(&its_lock);
}

/* ------------------------------------------- mirror of the guest's vITS */

static int find(uint32_t devid, uint32_t eventid)
{
	for (unsigned i = 0; i < NR_HOST_LPIS; i++)
		if (host_lpis[i].used && host_lpis[i].devid == devid &&
		    host_lpis[i].eventid == eventid)
			return (int)i;
	return -1;
}

static int alloc_lpi(void)
{
	for (unsigned i = 0; i < NR_HOST_LPIS; i++)
		if (!host_lpis[i].used)
			return (int)i;
	return -1;
}

static void map_device(uint32_t devid)
{
	uint32_t slot = devid / 8;

	if (dev_mapped[slot])
		return;
	its_cmd(dev_word(CMD_MAPD, devid), PT_EVENT_BITS - 1,
		1ULL << 63 | (uint64_t)(uintptr_t)itts[slot], 0);
	dev_mapped[slot] = true;
}

static void set_prop(unsigned idx, bool enable)
{
	prop_table[idx] = (uint8_t)(PRIO_LPI | enable);
	dsb(ish);
}

static void inv(uint32_t devid, uint32_t eventid)
{
	its_cmd(dev_word(CMD_INV, devid), eventid, 0, 0);
	atomic_fetch_add_explicit(&stat_invs, 1, memory_order_relaxed);
}

static void host_pt_map(void *ctx, uint32_t its, uint32_t devid,
			uint32_t eventid, uint32_t intid, uint32_t vcpu)
{
	uint32_t pcpu = vcpu == VGIC_PT_NO_VCPU ? 0 : g_vcpus[vcpu].pcpu;

	(void)ctx;
	(void)its;
	(void)intid;
	spin_lock(&its_lock);
	int i = find(devid, eventid);
	if (i >= 0 && host_lpis[i].pcpu != pcpu) {
		its_cmd(dev_word(CMD_MOVI, devid), eventid, pcpu, 0);
		host_lpis[i].pcpu = pcpu;
	} else if (i < 0 && (i = alloc_lpi()) >= 0) {
		host_lpis[i] = (struct host_lpi){true, devid, eventid, pcpu};
		map_device(devid);
		set_prop((unsigned)i, true);
		its_cmd(dev_word(CMD_MAPTI, devid),
			eventid | (uint64_t)(LPI_BASE + (unsigned)i) << 32,
			pcpu, 0);
		inv(devid, eventid);
	} else if (i < 0) {
		atomic_fetch_add_explicit(&stat_map_fail, 1,
					  memory_order_relaxed);
	}
	spin_unlock(&its_lock);
}

static void host_pt_unmap(void *ctx, uint32_t its, uint32_t devid,
			  uint32_t eventid)
{
	(void)ctx;
	(void)its;
	spin_lock(&its_lock);
	for (unsigned i = 0; i < NR_HOST_LPIS; i++) {
		struct host_lpi *h = &host_lpis[i];
		if (!h->used || h->devid != devid ||
		    (eventid != VGIC_PT_ALL_EVENTS && h->eventid != eventid))
			continue;
		its_cmd(dev_word(CMD_DISCARD, devid), h->eventid, 0, 0);
		set_prop(i, false);
		h->used = false;
	}
	spin_unlock(&its_lock);
}

/* MASK policy: the enable bit of the host LPI, and an INV so the
 * redistributor sees it (IHI 0069: LPI configuration may be cached). */
static void host_pt_mask(void *ctx, uint32_t its, uint32_t devid,
			 uint32_t eventid, bool masked)
{
	(void)ctx;
	(void)its;
	spin_lock(&its_lock);
	int i = find(devid, eventid);
	if (i >= 0) {
		set_prop((unsigned)i, !masked);
		inv(devid, eventid);
	}
	spin_unlock(&its_lock);
}

void its_host_ops(struct vgic_host_ops *ops)
{
	ops->pt_map = host_pt_map;
	ops->pt_unmap = host_pt_unmap;
	ops->pt_mask = host_pt_mask;
}

/* Every bus 0 function 0 is a passthrough device. */
void its_declare_devices(void)
{
	if (!its_on)
		return;
	for (uint32_t slot = 0; slot < PT_DEVICES; slot++)
		if (vgic_its_passthrough(g_vm, 0, slot * 8, PT_EVENTS))
			hyp_panic("vgic_its_passthrough failed");
}

/* ---------------------------------------------------- host LPI taken */

bool its_handle_lpi(uint32_t intid)
{
	uint32_t idx = intid - LPI_BASE, devid = 0, eventid = 0;
	bool used = false;

	if (intid < LPI_BASE || idx >= NR_HOST_LPIS)
		return false;
	atomic_fetch_add_explicit(&stat_lpis, 1, memory_order_relaxed);
	spin_lock(&its_lock);
	if (host_lpis[idx].used) {
		used = true;
		devid = host_lpis[idx].devid;
		eventid = host_lpis[idx].eventid;
	}
	spin_unlock(&its_lock);
	/* Outside its_lock: under MASK, vgic_inject_pt calls pt_mask. */
	if (used)
		vgic_inject_pt(g_vm, 0, devid, eventid);
	return true;
}

/* "hyp: its: ..." for the run's summary (hyp/README.md). */
void its_print_stats(void)
{
	struct vgic_stats s;

	if (!its_on || vgic_get_stats(g_vm, &s))
		return;
	hyp_printf("hyp: its: policy=%s phys_lpis=%lu vlpis=%lu invs=%lu "
		   "maint_eoi=%lu msis=%lu its_cmds=%lu cmd_errors=%lu "
		   "map_fail=%lu\n",
		   g_cfg.flags & HYPCFG_F_PT_MASK ? "mask" : "merge",
		   atomic_load(&stat_lpis), s.pt_injected,
		   atomic_load(&stat_invs), s.maint_eoi, s.msis, s.its_cmds,
		   s.its_cmd_errors, atomic_load(&stat_map_fail));
}
