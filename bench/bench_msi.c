/* SPDX-License-Identifier: MIT */
/*
 * MSIs through the virtual ITS, set up the way a guest sets them up: the
 * property and pending tables through GICR_PROPBASER/PENDBASER, the ITS
 * tables through GITS_BASER0/1, and MAPC/MAPD/MAPTI commands written into
 * the command queue in guest memory. Guest memory is one calloc'ed block
 * at a fixed guest physical address; the host ops bounds-check every
 * access against it, as a real host would.
 *
 *   msi          ns per vgic_inject_msi: hot (a working set of at most
 *                256 events, each MSI making an idle LPI pending), thrash
 *                (random events over all that are mapped) and merge (the
 *                LPI is already pending), for 1 to 2^20 mapped events and
 *                1 to 512 vCPUs;
 *   memory       library bytes per mapped event and per LPI slot, and the
 *                guest memory the tables take per event;
 *   lpi_stress   batches of MSIs delivered to the guests through
 *                flush/sync: LPIs per second, end to end;
 *   passthrough  a device that re-fires while its vLPI is handled: host
 *                interrupts, INVs and maintenance interrupts per vLPI
 *                under the MERGE and MASK policies.
 *
 * Each figure is the median of RUNS runs. Clearing pending LPIs between
 * batches is not timed; the cost of reading the clock is subtracted from
 * each timed batch (batches can be a single MSI). Within a run, timed
 * samples that an interrupt or a preemption stretched are left out
 * (ns_per_op) and counted at the end: the machine may be shared.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vgic/vgic.h"

#define RUNS 15

/* Guest physical map: QEMU virt's GICD/GICR (the defaults), its ITS
 * frame, RAM at 1 GiB. */
#define RAM_BASE 0x40000000ULL
#define ITS_BASE 0x08080000ULL
#define GICR_STRIDE 0x20000ULL
#define PAGE 0x1000ULL

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_GRP1 0x2u
#define GICR_CTLR 0x0000
#define GICR_CTLR_ENABLE_LPIS 0x1u
#define GICR_WAKER 0x0014
#define GICR_CLRLPIR 0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define PENDBASER_PTZ (1ULL << 62)

#define GITS_CTLR 0x0000
#define GITS_CTLR_ENABLED 0x1u
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100u + 8u * (n))
#define GITS_VALID (1ULL << 63) /* BASER, CBASER, and commands' V bit */
#define CREADR_STALLED 0x1ULL

enum { CMD_SYNC = 0x05, CMD_MAPD = 0x08, CMD_MAPC = 0x09, CMD_MAPTI = 0x0a };
#define CMD_SIZE 32u
#define CMDQ_BYTES (1u << 20) /* the largest queue: 256 pages */

/* Property byte: priority [7:2], RES1 [1], Enable [0]. */
#define LPI_PRIORITY 0xa0u
#define PROP_BYTE (LPI_PRIORITY | 0x2u | 0x1u)
#define ITE_SIZE 8u /* GITS_TYPER.ITT_entry_size + 1 */
#define DTE_SIZE 8u
#define MAX_EVENTS_PER_DEVICE 1024u
#define WORKING_SET 256u
#define MSIS_PER_RUN 32768u /* per run of an msi stream */
#define MSI_SLOTS 4096u	    /* LPI slots in the msi runs: 16x what is pending */

/* --------------------------------------------------------- utilities */

static void die(const char *what)
{
	fprintf(stderr, "bench_msi: %s\n", what);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* What an empty timed interval measures, for the report: each msi run
 * measures it again where it times (msi_run). */
static double timer_ns;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

static void calibrate_timer(void)
{
	double t[1001];
	for (int i = 0; i < 1001; i++) {
		uint64_t t0 = now_ns();
		t[i] = (double)(now_ns() - t0);
	}
	timer_ns = median(t, 1001);
}

/*
 * The machine may be shared: a timed interval that an interrupt or a
 * preemption hit lasts many times its usual length. Samples slower per
 * operation than OUTLIER times the median sample are left out (and
 * counted); the others give the ns per operation.
 */
#define OUTLIER 8.0

struct sample {
	double ns;
	uint32_t ops;
};

static uint64_t samples_total, samples_dropped;

static double ns_per_op(const struct sample *s, uint32_t n)
{
	double *per = malloc(n * sizeof(*per)), ns = 0, ops = 0;

	if (!per)
		die("out of memory");
	for (uint32_t i = 0; i < n; i++)
		per[i] = s[i].ns / s[i].ops;
	double limit = OUTLIER * median(per, (int)n);
	free(per);
	for (uint32_t i = 0; i < n; i++) {
		if (s[i].ns / s[i].ops > limit) {
			samples_dropped++;
			continue;
		}
		ns += s[i].ns;
		ops += s[i].ops;
	}
	samples_total += n;
	return ns / ops;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng_below(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 32) * n >> 32);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint32_t log2_ceil(uint32_t n)
{
	uint32_t b = 0;
	while ((1ULL << b) < n)
		b++;
	return b;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (unsigned k = 0; k < 8; k++)
		p[k] = (uint8_t)(v >> (8 * k)); /* the ITS is little-endian */
}

/* ------------------------------------------------------- the host side */

/* Guest RAM as the host sees it: every address the library passes came
 * from the guest and is checked here. */
struct guest_ram {
	uint8_t *mem;
	uint64_t size;
};

/* The physical side of a passthrough device: one host LPI per event. */
struct host_lpi {
	bool mapped, enabled, pending;
	uint32_t intid, vcpu;
};

struct host {
	struct guest_ram ram;
	uint32_t pt_devid;
	uint32_t nr_hlpi;
	struct host_lpi *hlpi;
	uint64_t pt_maps, invs;
};

static bool ram_covers(const struct guest_ram *r, uint64_t gpa, size_t len)
{
	return gpa >= RAM_BASE && gpa - RAM_BASE <= r->size &&
	       len <= r->size - (gpa - RAM_BASE);
}

static bool op_guest_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	const struct guest_ram *r = &((struct host *)ctx)->ram;
	if (!ram_covers(r, gpa, len))
		return false;
	memcpy(buf, r->mem + (gpa - RAM_BASE), len);
	return true;
}

static bool op_guest_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	struct guest_ram *r = &((struct host *)ctx)->ram;
	if (!ram_covers(r, gpa, len))
		return false;
	memcpy(r->mem + (gpa - RAM_BASE), buf, len);
	return true;
}

static struct host_lpi *host_lpi_of(struct host *h, uint32_t devid,
				    uint32_t eventid)
{
	if (devid != h->pt_devid || eventid >= h->nr_hlpi)
		return NULL;
	return &h->hlpi[eventid];
}

/* The physical ITS follows the guest's mapping; a new host LPI starts
 * enabled, as the host sets it up. */
static void op_pt_map(void *ctx, uint32_t its, uint32_t devid, uint32_t eventid,
		      uint32_t intid, uint32_t vcpu)
{
	struct host *h = ctx;
	struct host_lpi *l = host_lpi_of(h, devid, eventid);
	(void)its;
	if (!l)
		return;
	if (!l->mapped)
		l->enabled = true;
	l->mapped = true;
	l->intid = intid;
	l->vcpu = vcpu;
	h->pt_maps++;
}

static void op_pt_unmap(void *ctx, uint32_t its, uint32_t devid,
			uint32_t eventid)
{
	struct host *h = ctx;
	(void)its;
	for (uint32_t e = 0; e < h->nr_hlpi; e++)
		if (devid == h->pt_devid &&
		    (eventid == VGIC_PT_ALL_EVENTS || eventid == e))
			h->hlpi[e].mapped = false;
}

/* Called with library locks held: only the physical state changes here;
 * a host LPI that becomes takeable is taken after the call returns
 * (host_service), as the physical interrupt would arrive then. */
static void op_pt_mask(void *ctx, uint32_t its, uint32_t devid,
		       uint32_t eventid, bool masked)
{
	struct host *h = ctx;
	struct host_lpi *l = host_lpi_of(h, devid, eventid);
	(void)its;
	if (!l)
		die("pt_mask for an event that is not passed through");
	l->enabled = !masked;
	h->invs++; /* each call is one INV on the physical ITS */
}

static const struct vgic_host_ops host_ops = {
	.version = VGIC_HOST_OPS_VERSION,
	.guest_read = op_guest_read,
	.guest_write = op_guest_write,
	.pt_map = op_pt_map,
	.pt_unmap = op_pt_unmap,
	.pt_mask = op_pt_mask,
};

/* --------------------------------------------------------- a test VM */

struct params {
	uint32_t vcpus;
	uint32_t events;     /* mapped events, numbered 0..events-1 */
	uint32_t per_device; /* events per device (a power of two) */
	uint32_t slots;	     /* cfg.nr_lpi_slots */
	uint32_t pt_devices; /* 0, or 1: device 0 is passed through */
	uint8_t pt_policy;
};

struct bench {
	struct params p;
	struct host host;
	struct vgic_config cfg;
	uint64_t its_base[1];
	void *vm_mem;
	struct vgic_vm *vm;
	struct vgic_cpu_if *cif; /* per vCPU */
	bool *touched;		 /* per vCPU, for clear_batch */
	uint32_t nr_devices, event_bits, id_bits;
	/* Guest tables (guest physical addresses). */
	uint64_t prop, pend, pend_stride, dt, ct, cmdq, itt, itt_stride;
	uint32_t dt_pages;
	uint32_t cwriter, queued, cmds;
};

/* An event's device, EventID, LPI and vCPU. Collection c is vCPU c; the
 * events' collections are spread over the vCPUs by a multiplicative
 * hash, so that strided subsets of events spread too. */
static uint32_t ev_device(const struct bench *b, uint32_t e)
{
	return e / b->p.per_device;
}

static uint32_t ev_eventid(const struct bench *b, uint32_t e)
{
	return e % b->p.per_device;
}

static uint32_t ev_intid(uint32_t e)
{
	return VGIC_MIN_LPI + e;
}

static uint32_t ev_vcpu(const struct bench *b, uint32_t e)
{
	return (uint32_t)((uint64_t)(e * 0x9e3779b1u) * b->p.vcpus >> 32);
}

static uint8_t *ram_at(struct bench *b, uint64_t gpa)
{
	if (!ram_covers(&b->host.ram, gpa, 1))
		die("guest address outside RAM");
	return b->host.ram.mem + (gpa - RAM_BASE);
}

/* Guest RAM layout: property table, pending tables, device and
 * collection tables, command queue, ITTs. calloc leaves untouched pages
 * unbacked, so 512 pending tables of 256 KiB cost little. */
static void layout_ram(struct bench *b)
{
	uint32_t nr_lpis = 1u << b->id_bits;
	uint64_t at = RAM_BASE;

	b->prop = at;
	at = align_up(at + nr_lpis - VGIC_MIN_LPI, 0x10000);
	b->pend = at;
	b->pend_stride = align_up(nr_lpis / 8, 0x10000);
	at += b->pend_stride * b->p.vcpus;
	b->dt = at;
	b->dt_pages = (uint32_t)align_up(b->nr_devices * DTE_SIZE, PAGE) /
		      (uint32_t)PAGE;
	at += b->dt_pages * PAGE;
	b->ct = at; /* one page: 512 collections of 8 bytes */
	at += PAGE;
	b->cmdq = at;
	at += CMDQ_BYTES;
	b->itt = at;
	b->itt_stride = align_up(((uint64_t)ITE_SIZE << b->event_bits), 256);
	at += b->itt_stride * b->nr_devices;
	b->host.ram.size = at - RAM_BASE;
	b->host.ram.mem = calloc(1, b->host.ram.size);
	if (!b->host.ram.mem)
		die("out of memory for guest RAM");
}

static void config_of(const struct params *p, uint32_t id_bits,
		      const uint64_t *its_base, struct vgic_config *cfg)
{
	vgic_config_default(cfg);
	cfg->nr_vcpus = p->vcpus;
	cfg->lpi_id_bits = (uint8_t)id_bits;
	cfg->nr_lpi_slots = p->slots;
	cfg->nr_its = 1;
	cfg->its_base = its_base;
	cfg->nr_pt_devices = p->pt_devices;
	cfg->pt_policy = p->pt_policy;
}

static void make_vm(struct bench *b)
{
	b->its_base[0] = ITS_BASE;
	config_of(&b->p, b->id_bits, b->its_base, &b->cfg);
	size_t size = vgic_vm_size(&b->cfg);
	if (!size)
		die("configuration rejected");
	b->vm_mem = aligned_alloc(64, align_up(size, 64));
	if (!b->vm_mem)
		die("out of memory for the VM");
	if (vgic_vm_init(b->vm_mem, size, &b->cfg, &host_ops, &b->host, &b->vm))
		die("vgic_vm_init failed");
	b->cif = calloc(b->p.vcpus, sizeof(*b->cif));
	b->touched = calloc(b->p.vcpus, sizeof(*b->touched));
	if (!b->cif || !b->touched)
		die("out of memory");
}

static void mmio_w(struct bench *b, uint32_t vcpu, uint64_t gpa, unsigned len,
		   uint64_t val)
{
	if (vgic_mmio_write(b->vm, vcpu, gpa, len, val))
		die("MMIO write outside the vGIC frames");
}

static uint64_t mmio_r(struct bench *b, uint32_t vcpu, uint64_t gpa,
		       unsigned len)
{
	uint64_t v;
	if (vgic_mmio_read(b->vm, vcpu, gpa, len, &v))
		die("MMIO read outside the vGIC frames");
	return v;
}

static uint64_t gicr(const struct bench *b, uint32_t v, uint32_t off)
{
	return b->cfg.gicr_base + v * GICR_STRIDE + off;
}

static struct vgic_stats stats_of(const struct bench *b)
{
	struct vgic_stats s;
	vgic_get_stats(b->vm, &s);
	return s;
}

/* -------------------------------------------------- the world switch */

static void must(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "bench_msi: %s: %s\n", what,
			vgic_strerror(err));
		exit(1);
	}
}

/*
 * What the hardware reports at the exit: an LR is empty (ICH_ELRSR) when
 * its state is invalid; an LR with the EOI bit that the guest's EOI made
 * invalid is in ICH_EISR and raises ICH_MISR.EOI, a maintenance
 * interrupt. (The guest runs to completion here, so no underflow or
 * no-pending maintenance interrupt would add an exit.)
 */
static void hw_exit(struct vgic_cpu_if *cif, uint32_t nr_lrs, uint32_t eoied)
{
	cif->elrsr = 0;
	for (uint32_t n = 0; n < nr_lrs; n++)
		if (!(cif->lr[n] & VGIC_LR_STATE_MASK))
			cif->elrsr |= 1u << n;
	cif->eisr = eoied;
	cif->misr = eoied ? VGIC_MISR_EOI : 0;
}

/* The guest's CPU interface set-up: Group 1 enabled, priority mask open
 * (ICC_IGRPEN1_EL1 and ICC_PMR_EL1, kept in ICH_VMCR_EL2). */
static void guest_open(struct bench *b, uint32_t v)
{
	struct vgic_cpu_if *cif = &b->cif[v];
	must(vgic_flush(b->vm, v, cif), "flush");
	cif->vmcr |= VGIC_VMCR_VENG1 | VGIC_VMCR_VPMR_MASK;
	hw_exit(cif, b->cfg.nr_lrs, 0);
	must(vgic_sync(b->vm, v, cif), "sync");
}

/* The guest acknowledges LR n and completes it (EOI): an LPI has no
 * active state, the LR becomes invalid. Returns the LR's EISR bit. */
static uint32_t guest_take(struct vgic_cpu_if *cif, uint32_t n)
{
	bool eoi = cif->lr[n] & VGIC_LR_EOI;
	cif->lr[n] &= ~VGIC_LR_STATE_MASK;
	return eoi ? 1u << n : 0;
}

struct entry {
	uint32_t taken; /* LPIs the guest acknowledged */
	bool maint;	/* the exit was an EOI maintenance interrupt */
};

/*
 * One guest entry on vCPU v: the guest takes and completes everything the
 * LRs hold pending, then exits. `acked`, if not NULL, is the host model's
 * "vLPI pending" flag per event, cleared as the guest acknowledges.
 */
static struct entry guest_entry(struct bench *b, uint32_t v, bool *acked)
{
	struct vgic_cpu_if *cif = &b->cif[v];
	struct entry r = {0, false};
	uint32_t eoied = 0;

	must(vgic_flush(b->vm, v, cif), "flush");
	for (uint32_t n = 0; n < cif->nr_lrs_used; n++) {
		if ((cif->lr[n] & VGIC_LR_STATE_MASK) != VGIC_LR_PENDING)
			continue;
		if (acked)
			acked[(cif->lr[n] & VGIC_LR_VINTID_MASK) -
			      VGIC_MIN_LPI] = false;
		eoied |= guest_take(cif, n);
		r.taken++;
	}
	hw_exit(cif, b->cfg.nr_lrs, eoied);
	r.maint = eoied != 0;
	must(vgic_sync(b->vm, v, cif), "sync");
	return r;
}

/* ---------------------------------------------------- the guest's set-up */

/* Property bytes of the mapped LPIs, then per redistributor its tables
 * and EnableLPIs (the pending table is zero: PTZ). */
static void guest_enable_lpis(struct bench *b)
{
	memset(ram_at(b, b->prop), PROP_BYTE, b->p.events);
	mmio_w(b, 0, b->cfg.gicd_base + GICD_CTLR, 4, GICD_CTLR_ENABLE_GRP1);
	for (uint32_t v = 0; v < b->p.vcpus; v++) {
		mmio_w(b, v, gicr(b, v, GICR_WAKER), 4, 0);
		mmio_w(b, v, gicr(b, v, GICR_PROPBASER), 8,
		       b->prop | (b->id_bits - 1));
		mmio_w(b, v, gicr(b, v, GICR_PENDBASER), 8,
		       (b->pend + v * b->pend_stride) | PENDBASER_PTZ);
		mmio_w(b, v, gicr(b, v, GICR_CTLR), 4, GICR_CTLR_ENABLE_LPIS);
		if (!(mmio_r(b, v, gicr(b, v, GICR_CTLR), 4) &
		      GICR_CTLR_ENABLE_LPIS))
			die("EnableLPIs did not stick");
		guest_open(b, v);
	}
}

/* Flat tables with 4 KiB pages; a 1 MiB command queue. */
static void guest_enable_its(struct bench *b)
{
	mmio_w(b, 0, ITS_BASE + GITS_BASER(0), 8,
	       GITS_VALID | b->dt | (b->dt_pages - 1));
	mmio_w(b, 0, ITS_BASE + GITS_BASER(1), 8, GITS_VALID | b->ct);
	mmio_w(b, 0, ITS_BASE + GITS_CBASER, 8,
	       GITS_VALID | b->cmdq | (CMDQ_BYTES / PAGE - 1));
	mmio_w(b, 0, ITS_BASE + GITS_CTLR, 4, GITS_CTLR_ENABLED);
}

/* Publish the queued commands and poll GITS_CREADR, as a guest does,
 * until the ITS consumed them all. */
static void its_kick(struct bench *b)
{
	mmio_w(b, 0, ITS_BASE + GITS_CWRITER, 8, b->cwriter);
	for (int polls = 0;; polls++) {
		uint64_t r = mmio_r(b, 0, ITS_BASE + GITS_CREADR, 8);
		if (r & CREADR_STALLED)
			die("ITS command queue stalled");
		if (r == b->cwriter)
			break;
		if (polls == 1000)
			die("GITS_CREADR does not catch up");
	}
	b->queued = 0;
}

/* One command into the queue in guest memory. A full queue keeps one
 * slot free (CWRITER == CREADR means empty), so it is kicked before. */
static void its_cmd(struct bench *b, uint64_t dw0, uint64_t dw1, uint64_t dw2)
{
	uint8_t *c = ram_at(b, b->cmdq + b->cwriter);
	put64(c, dw0);
	put64(c + 8, dw1);
	put64(c + 16, dw2);
	put64(c + 24, 0);
	b->cwriter = (b->cwriter + CMD_SIZE) % CMDQ_BYTES;
	b->cmds++;
	if (++b->queued == CMDQ_BYTES / CMD_SIZE - 1)
		its_kick(b);
}

static void check_its_clean(struct bench *b)
{
	struct vgic_stats s = stats_of(b);
	if (s.its_cmd_errors || s.its_stalls || s.guest_mem_errors)
		die("ITS command errors, stalls or guest memory errors");
	if (s.its_cmds != b->cmds)
		die("ITS executed a different number of commands");
}

/* MAPC per vCPU (collection v -> vCPU v), MAPD per device, MAPTI per
 * event, SYNC. */
static void guest_map_events(struct bench *b)
{
	for (uint32_t v = 0; v < b->p.vcpus; v++)
		its_cmd(b, CMD_MAPC, 0, GITS_VALID | (uint64_t)v << 16 | v);
	for (uint32_t d = 0; d < b->nr_devices; d++)
		its_cmd(b, CMD_MAPD | (uint64_t)d << 32, b->event_bits - 1,
			GITS_VALID | (b->itt + d * b->itt_stride));
	for (uint32_t e = 0; e < b->p.events; e++)
		its_cmd(b, CMD_MAPTI | (uint64_t)ev_device(b, e) << 32,
			(uint64_t)ev_intid(e) << 32 | ev_eventid(b, e),
			ev_vcpu(b, e));
	its_cmd(b, CMD_SYNC, 0, 0);
	its_kick(b);
	check_its_clean(b);
}

/* Smallest INTID space (at least 14 bits) holding the mapped LPIs. */
static uint32_t id_bits_for(uint32_t events)
{
	uint32_t bits = VGIC_MIN_LPI_ID_BITS;
	while ((1ULL << bits) < (uint64_t)VGIC_MIN_LPI + events)
		bits++;
	return bits;
}

static void bench_init(struct bench *b, const struct params *p)
{
	memset(b, 0, sizeof(*b));
	b->p = *p;
	b->nr_devices = (p->events + p->per_device - 1) / p->per_device;
	b->event_bits = log2_ceil(p->per_device);
	if (!b->event_bits)
		b->event_bits = 1; /* MAPD Size 0: 2 EventIDs */
	b->id_bits = id_bits_for(p->events);
	layout_ram(b);
	make_vm(b);
	guest_enable_lpis(b);
	guest_enable_its(b);
	if (p->pt_devices) {
		/* Declared before the guest maps it, so that its MAPTIs reach
		 * the host through pt_map. */
		b->host.pt_devid = 0;
		b->host.nr_hlpi = p->per_device;
		b->host.hlpi = calloc(p->per_device, sizeof(*b->host.hlpi));
		if (!b->host.hlpi)
			die("out of memory");
		must(vgic_its_passthrough(b->vm, 0, 0, p->per_device),
		     "vgic_its_passthrough");
	}
	guest_map_events(b);
}

static void bench_free(struct bench *b)
{
	free(b->host.ram.mem);
	free(b->host.hlpi);
	free(b->vm_mem);
	free(b->cif);
	free(b->touched);
}

/* ------------------------------------------------------------- 1. msi */

struct msi {
	uint32_t devid, eventid;
};

struct batch {
	uint32_t n;
	uint32_t ev[WORKING_SET];
	struct msi msi[WORKING_SET]; /* precomputed: no division timed */
};

static void batch_set(struct batch *bt, const struct bench *b, uint32_t i,
		      uint32_t e)
{
	bt->ev[i] = e;
	bt->msi[i] = (struct msi){ev_device(b, e), ev_eventid(b, e)};
}

/* The hot working set: min(N, 256) events spread evenly over the N. */
static void hot_batch(struct batch *bt, const struct bench *b)
{
	uint32_t n = b->p.events < WORKING_SET ? b->p.events : WORKING_SET;
	bt->n = n;
	for (uint32_t i = 0; i < n; i++)
		batch_set(bt, b, i, i * (b->p.events / n));
}

/* As many distinct events, drawn uniformly over all N: distinct, so that
 * every MSI makes an idle LPI pending. `mark` has N entries, all false. */
static void random_batch(struct batch *bt, const struct bench *b, bool *mark)
{
	uint32_t n = b->p.events < WORKING_SET ? b->p.events : WORKING_SET;
	bt->n = n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t e;
		do
			e = rng_below(b->p.events);
		while (mark[e]);
		mark[e] = true;
		batch_set(bt, b, i, e);
	}
	for (uint32_t i = 0; i < n; i++)
		mark[bt->ev[i]] = false;
}

/* One timed batch: the MSIs' time, and the clock's own cost measured
 * right after (an empty interval, with the caches as the batch left
 * them). */
struct timed {
	double batch, clock;
};

static struct timed inject_batch(struct bench *b, const struct batch *bt)
{
	int bad = 0;
	uint64_t t0 = now_ns();
	for (uint32_t i = 0; i < bt->n; i++)
		bad |= vgic_inject_msi(b->vm, 0, bt->msi[i].devid,
				       bt->msi[i].eventid);
	uint64_t t1 = now_ns();
	uint64_t t2 = now_ns();
	if (bad)
		die("vgic_inject_msi failed");
	return (struct timed){(double)(t1 - t0), (double)(t2 - t1)};
}

/*
 * Untimed: the batch's LPIs are no longer pending (GICR_CLRLPIR at each
 * LPI's redistributor) and off their vCPUs' lists (the next world switch
 * of each vCPU drops them), so that the next MSI to one queues it anew.
 */
static void clear_batch(struct bench *b, const struct batch *bt)
{
	for (uint32_t i = 0; i < bt->n; i++) {
		uint32_t v = ev_vcpu(b, bt->ev[i]);
		mmio_w(b, v, gicr(b, v, GICR_CLRLPIR), 8, ev_intid(bt->ev[i]));
		b->touched[v] = true;
	}
	for (uint32_t v = 0; v < b->p.vcpus; v++) {
		if (!b->touched[v])
			continue;
		b->touched[v] = false;
		if (guest_entry(b, v, NULL).taken)
			die("an LPI was still pending after GICR_CLRLPIR");
	}
}

enum stream { HOT, THRASH, MERGE };
static const char *const stream_name[] = {"hot", "thrash", "merge"};

/*
 * One run of a stream: ns per MSI. A batch can be a single MSI, costing
 * about as much as reading the clock, so the clock's cost is taken out
 * of each batch: the median of its samples in this run.
 */
static double msi_run(struct bench *b, enum stream s, bool *mark)
{
	static struct sample batch[MSIS_PER_RUN];
	static double clock[MSIS_PER_RUN];
	struct batch bt;
	uint32_t msis = 0, n = 0;

	hot_batch(&bt, b);
	if (s == MERGE)
		inject_batch(b, &bt); /* pending from now on */
	while (msis < MSIS_PER_RUN) {
		if (s == THRASH)
			random_batch(&bt, b, mark);
		struct timed tb = inject_batch(b, &bt);
		batch[n] = (struct sample){tb.batch, bt.n};
		clock[n++] = tb.clock;
		msis += bt.n;
		if (s != MERGE)
			clear_batch(b, &bt);
	}
	if (s == MERGE)
		clear_batch(b, &bt);
	double c = median(clock, (int)n);
	for (uint32_t i = 0; i < n; i++)
		batch[i].ns -= c;
	return ns_per_op(batch, n);
}

struct msi_result {
	double med, min, max, hit;
};

static struct msi_result msi_stream(struct bench *b, enum stream s)
{
	bool *mark = calloc(b->p.events, sizeof(*mark));
	double t[RUNS];
	struct vgic_stats s0 = stats_of(b);

	if (!mark)
		die("out of memory");
	for (int r = 0; r < RUNS; r++)
		t[r] = msi_run(b, s, mark);
	free(mark);
	struct vgic_stats s1 = stats_of(b);
	uint64_t hits = s1.msi_cache_hits - s0.msi_cache_hits;
	uint64_t misses = s1.msi_cache_misses - s0.msi_cache_misses;
	if (s1.msi_dropped || s1.lpi_spilled || s1.its_cmd_errors ||
	    s1.guest_mem_errors)
		die("MSIs dropped, LPIs spilled, ITS or guest memory errors");
	if (s1.msis - s0.msis != hits + misses)
		die("MSI count does not match the cache lookups");
	struct msi_result res;
	res.med = median(t, RUNS); /* sorts t: min and max after */
	res.min = t[0];
	res.max = t[RUNS - 1];
	res.hit = 100.0 * (double)hits / (double)(hits + misses);
	return res;
}

static const uint32_t msi_events[] = {1, 1u << 10, 1u << 16, 1u << 20};
static const uint32_t msi_vcpus[] = {1, 64, 512};
#define NR_MSI_EVENTS (sizeof(msi_events) / sizeof(msi_events[0]))
#define NR_MSI_VCPUS (sizeof(msi_vcpus) / sizeof(msi_vcpus[0]))

static struct params msi_params(uint32_t events, uint32_t vcpus)
{
	return (struct params){
		.vcpus = vcpus,
		.events = events,
		.per_device = events < MAX_EVENTS_PER_DEVICE
				      ? events
				      : MAX_EVENTS_PER_DEVICE,
		.slots = MSI_SLOTS,
	};
}

static void bench_msi(void)
{
	double hot[NR_MSI_VCPUS][NR_MSI_EVENTS];
	struct vgic_config dflt;

	vgic_config_default(&dflt);
	printf("msi: ns per vgic_inject_msi, median of %d runs of %u MSIs "
	       "(min..max); 1 ITS, %u-entry translation cache, %u LPI "
	       "slots, up to %u events per device, working set min(N, %u); "
	       "the clock's cost (about %.0f ns) taken out of each timed "
	       "batch\n",
	       RUNS, MSIS_PER_RUN, dflt.its_cache_size, MSI_SLOTS,
	       MAX_EVENTS_PER_DEVICE, WORKING_SET, timer_ns);
	for (size_t vi = 0; vi < NR_MSI_VCPUS; vi++) {
		for (size_t ni = 0; ni < NR_MSI_EVENTS; ni++) {
			struct params p =
				msi_params(msi_events[ni], msi_vcpus[vi]);
			struct bench b;
			bench_init(&b, &p);
			for (int s = HOT; s <= MERGE; s++) {
				struct msi_result r =
					msi_stream(&b, (enum stream)s);
				if (s == HOT)
					hot[vi][ni] = r.med;
				printf("  msi %-6s N=%-7u (%4u dev x %4u) "
				       "V=%-3u "
				       "id_bits=%u: %6.1f ns/MSI "
				       "(%.1f..%.1f), cache hits %5.1f%%\n",
				       stream_name[s], p.events, b.nr_devices,
				       p.per_device, p.vcpus, b.id_bits, r.med,
				       r.min, r.max, r.hit);
			}
			bench_free(&b);
		}
	}
	for (size_t vi = 0; vi < NR_MSI_VCPUS; vi++) {
		double lo = hot[vi][0], hi = hot[vi][NR_MSI_EVENTS - 1];
		bool fast = true;
		for (size_t ni = 0; ni < NR_MSI_EVENTS; ni++)
			fast &= hot[vi][ni] <= 30.0;
		printf("  msi hot V=%-3u: ratio N=2^20 / N=1 = %.2f "
		       "(target <= 1.5: %s); all hot <= 30 ns: %s\n",
		       msi_vcpus[vi], hi / lo,
		       hi / lo <= 1.5 ? "met" : "MISSED",
		       fast ? "met" : "MISSED");
	}
}

/* ---------------------------------------------------------- 2. memory */

static size_t vm_size(uint32_t vcpus, uint32_t slots, uint32_t nr_its,
		      uint8_t dev_bits, uint8_t ev_bits)
{
	static const uint64_t its_base[1] = {ITS_BASE};
	struct params p = {.vcpus = vcpus, .slots = slots};
	struct vgic_config cfg;

	config_of(&p, 21, its_base, &cfg);
	cfg.nr_its = nr_its;
	cfg.its_device_bits = dev_bits;
	cfg.its_event_bits = ev_bits;
	size_t s = vgic_vm_size(&cfg);
	if (!s)
		die("configuration rejected");
	return s;
}

static void bench_memory(void)
{
	const uint32_t v = 64, slots = MSI_SLOTS;
	size_t without = vm_size(v, slots, 0, 16, 16);
	size_t with = vm_size(v, slots, 1, 16, 16);
	size_t wide = vm_size(v, slots, 1, 32, 32);

	printf("memory: vgic_vm_size, V=%u, %u LPI slots, lpi_id_bits 21, "
	       "1024-entry cache\n",
	       v, slots);
	printf("  without ITS %zu B, with 1 ITS %zu B: the ITS adds %zu B "
	       "(cache, collections), %s with 32 DeviceID/EventID bits "
	       "(%zu B)\n",
	       without, with, with - without,
	       wide == with ? "the same" : "NOT the same", wide);
	for (size_t ni = 0; ni < NR_MSI_EVENTS; ni++)
		printf("  library memory per mapped event, N=%-7u: %8.4f B\n",
		       msi_events[ni],
		       (double)(with - without) / msi_events[ni]);
	for (size_t vi = 0; vi < NR_MSI_VCPUS; vi++) {
		double dte = (double)DTE_SIZE / MAX_EVENTS_PER_DEVICE;
		double pend = msi_vcpus[vi] / 8.0;
		printf("  guest memory per mapped event, V=%-3u: ITE %u B + "
		       "DTE %.4f B (1024 events per device) + property 1 B + "
		       "pending bits %.3f B (1 per redistributor) = %.3f B\n",
		       msi_vcpus[vi], ITE_SIZE, dte, pend,
		       ITE_SIZE + dte + 1 + pend);
	}
	const uint32_t s1 = 1u << 16, s2 = 1u << 17;
	size_t a = vm_size(v, s1, 1, 16, 16), b = vm_size(v, s2, 1, 16, 16);
	printf("  pending LPI slot: (size(%u slots) - size(%u slots)) / %u "
	       "= %.2f B per slot\n",
	       s2, s1, s2 - s1, (double)(b - a) / (s2 - s1));
}

/* ------------------------------------------------------ 3. lpi_stress */

struct stress {
	uint32_t vcpus, devices, per_device;
	bool random; /* RANDOM_BATCH random events, else each event once */
};

/*
 * The random single stream uses batches of 4096 MSIs (about 3970 LPIs
 * pending at once on its one vCPU), not 2^16: vgic_ap_insert walks the
 * vCPU's list from its tail, so LPIs that arrive out of INTID order cost
 * O(pending) each and a batch O(batch^2); 2^16 random MSIs take seconds
 * (see the insertion-order lines: 16384 already take ~1 s).
 */
#define RANDOM_BATCH 4096u
#define STRESS_MSIS_PER_RUN 65536u

static const struct stress stress_cases[] = {
	{4, 4, 32, false},
	{64, 16, 64, false},
	{512, 64, 32, false},
	{1, 1, 1u << 16, true},
};

static struct msi msi_of(const struct bench *b, uint32_t e)
{
	return (struct msi){ev_device(b, e), ev_eventid(b, e)};
}

/* The batch: each event once, the devices interleaved (as concurrent
 * devices would); or random events, repeats included. Returns the
 * distinct LPIs it makes pending. */
static uint32_t stress_batch(const struct bench *b, const struct stress *c,
			     struct msi *msi, uint32_t n)
{
	bool *seen = calloc(b->p.events, sizeof(*seen));
	uint32_t distinct = 0;

	if (!seen)
		die("out of memory");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t e = c->random ? rng_below(b->p.events)
				       : (i % c->devices) * c->per_device +
						 i / c->devices;
		msi[i] = msi_of(b, e);
		distinct += !seen[e];
		seen[e] = true;
	}
	free(seen);
	return distinct;
}

/* Every vCPU enters the guest until it has nothing pending. */
static uint64_t deliver_all(struct bench *b)
{
	uint64_t n = 0;
	for (uint32_t v = 0; v < b->p.vcpus; v++) {
		while (vgic_vcpu_pending(b->vm, v)) {
			uint32_t taken = guest_entry(b, v, NULL).taken;
			if (!taken)
				die("vCPU pending, but flush presents nothing");
			n += taken;
		}
	}
	return n;
}

struct stress_run {
	double inject_ns, deliver_ns, total_ns; /* per MSI, per LPI, per LPI */
};

/* `reps` times: the batch's MSIs, then delivery of all they made
 * pending, which must be `distinct` LPIs. */
static struct stress_run stress_run(struct bench *b, const struct msi *msi,
				    uint32_t n, uint32_t distinct,
				    uint32_t reps)
{
	struct sample *si = malloc(3 * reps * sizeof(*si));
	struct sample *sd = si + reps, *st = sd + reps;

	if (!si)
		die("out of memory");
	for (uint32_t r = 0; r < reps; r++) {
		int bad = 0;
		uint64_t t0 = now_ns();
		for (uint32_t i = 0; i < n; i++)
			bad |= vgic_inject_msi(b->vm, 0, msi[i].devid,
					       msi[i].eventid);
		uint64_t t1 = now_ns();
		uint64_t got = deliver_all(b);
		uint64_t t2 = now_ns();
		if (bad)
			die("vgic_inject_msi failed");
		if (got != distinct) {
			fprintf(stderr, "delivered %llu, injected %u\n",
				(unsigned long long)got, distinct);
			die("delivered != distinct LPIs injected");
		}
		si[r] = (struct sample){(double)(t1 - t0), n};
		sd[r] = (struct sample){(double)(t2 - t1), distinct};
		st[r] = (struct sample){(double)(t2 - t0), distinct};
	}
	struct stress_run res = {ns_per_op(si, reps), ns_per_op(sd, reps),
				 ns_per_op(st, reps)};
	free(si);
	return res;
}

static void check_no_loss(const struct bench *b)
{
	struct vgic_stats st = stats_of(b);
	if (st.msi_dropped || st.lpi_spilled || st.its_cmd_errors ||
	    st.guest_mem_errors)
		die("MSIs dropped, LPIs spilled, ITS or guest memory errors");
}

static void bench_stress_case(const struct stress *c)
{
	uint32_t events = c->devices * c->per_device;
	struct params p = {
		.vcpus = c->vcpus,
		.events = events,
		.per_device = c->per_device,
		.slots = events, /* everything may be pending at once */
	};
	uint32_t n = c->random ? RANDOM_BATCH : events;
	uint32_t reps = n < STRESS_MSIS_PER_RUN ? STRESS_MSIS_PER_RUN / n : 1;
	struct msi *msi = malloc(n * sizeof(*msi));
	struct bench b;
	double ti[RUNS], td[RUNS], tt[RUNS];

	if (!msi)
		die("out of memory");
	bench_init(&b, &p);
	uint32_t distinct = stress_batch(&b, c, msi, n);
	struct vgic_stats s0 = stats_of(&b);
	for (int r = 0; r < RUNS; r++) {
		struct stress_run s = stress_run(&b, msi, n, distinct, reps);
		ti[r] = s.inject_ns;
		td[r] = s.deliver_ns;
		tt[r] = s.total_ns;
	}
	check_no_loss(&b);
	struct vgic_stats s1 = stats_of(&b);
	double hits = (double)(s1.msi_cache_hits - s0.msi_cache_hits);
	double total = median(tt, RUNS);
	printf("  lpi_stress %3ux%-3ux%-5u %s: %4u MSIs/batch -> %4u LPIs "
	       "(%3u merged) x %3u batches/run: %5.2f M LPIs/s end to end "
	       "(%4.0f ns/LPI: inject %6.1f ns/MSI, deliver %5.1f ns/LPI), "
	       "cache hits %5.1f%%\n",
	       c->vcpus, c->devices, c->per_device,
	       c->random ? "random" : "each  ", n, distinct, n - distinct, reps,
	       1e3 / total, total, median(ti, RUNS), median(td, RUNS),
	       100.0 * hits / (double)(s1.msis - s0.msis));
	bench_free(&b);
	free(msi);
}

static int cmp_msi(const void *a, const void *b)
{
	const struct msi *x = a, *y = b;
	return (x->eventid > y->eventid) - (x->eventid < y->eventid);
}

/*
 * The same distinct random events of one device, to one vCPU, injected in
 * random order and in INTID order: the cost of keeping the vCPU's list
 * sorted, as a function of how many are pending.
 */
static void bench_insert_order(void)
{
	static const uint32_t sizes[] = {256, 1024, 4096};
	struct params p = {1, 1u << 16, 1u << 16, 1u << 16, 0, 0};
	struct batch_ev {
		struct msi msi[4096];
		bool mark[1u << 16];
	} *w = calloc(1, sizeof(*w));
	struct bench b;

	if (!w)
		die("out of memory");
	bench_init(&b, &p);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint32_t n = sizes[k];
		double tr[RUNS], ts[RUNS];
		for (uint32_t i = 0; i < n; i++) {
			uint32_t e;
			do
				e = rng_below(p.events);
			while (w->mark[e]);
			w->mark[e] = true;
			w->msi[i] = msi_of(&b, e);
		}
		memset(w->mark, 0, sizeof(w->mark));
		for (int r = 0; r < RUNS; r++)
			tr[r] = stress_run(&b, w->msi, n, n, 1).inject_ns;
		qsort(w->msi, n, sizeof(w->msi[0]), cmp_msi);
		for (int r = 0; r < RUNS; r++)
			ts[r] = stress_run(&b, w->msi, n, n, 1).inject_ns;
		double mr = median(tr, RUNS), ms = median(ts, RUNS);
		printf("  insertion order, 1 vCPU, %5u distinct random "
		       "LPIs pending: %8.1f ns/MSI in random order, %5.1f in "
		       "INTID order (x%.0f)\n",
		       n, mr, ms, mr / ms);
	}
	check_no_loss(&b);
	bench_free(&b);
	free(w);
}

static void bench_stress(void)
{
	struct vgic_config dflt;
	vgic_config_default(&dflt);
	printf("lpi_stress: vCPUs x devices x events per device; a batch of "
	       "MSIs, then every vCPU runs until nothing is pending (the "
	       "guest takes and completes each LR, %u LRs); median of %d "
	       "runs; delivered == distinct LPIs checked per batch; LPI "
	       "slots = events\n",
	       dflt.nr_lrs, RUNS);
	for (size_t i = 0; i < sizeof(stress_cases) / sizeof(stress_cases[0]);
	     i++)
		bench_stress_case(&stress_cases[i]);
	bench_insert_order();
}

/* ----------------------------------------------------- 4. passthrough */

#define PT_VCPUS 2u
#define PT_EVENTS 8u
#define PT_ROUNDS 20000u
#define PT_CHUNK 100u /* rounds per timed sample */

/* Per run, the physical and virtual events of the round scenario. */
struct pt_count {
	uint64_t fires, fire_merged; /* fires, and fires onto a pending
					host LPI */
	uint64_t phys;		     /* host LPIs taken */
	uint64_t vnew, vmerged;	     /* vgic_inject_pt: new vLPI / merged */
	uint64_t delivered;	     /* vLPIs the guest acknowledged */
	uint64_t maint;		     /* EOI maintenance interrupts */
};

struct pt_state {
	struct bench *b;
	bool vpending[PT_EVENTS]; /* the model: vLPI pending, not yet acked */
	struct pt_count c;
};

static void device_fire(struct pt_state *s, uint32_t e)
{
	struct host_lpi *l = &s->b->host.hlpi[e];
	s->c.fires++;
	s->c.fire_merged += l->pending;
	l->pending = true;
}

/* The host takes every host LPI that is enabled and pending. */
static void host_service(struct pt_state *s)
{
	for (uint32_t e = 0; e < PT_EVENTS; e++) {
		struct host_lpi *l = &s->b->host.hlpi[e];
		if (!l->mapped || !l->enabled || !l->pending)
			continue;
		l->pending = false;
		s->c.phys++;
		must(vgic_inject_pt(s->b->vm, 0, s->b->host.pt_devid, e),
		     "vgic_inject_pt");
		if (s->vpending[e]) {
			s->c.vmerged++;
		} else {
			s->c.vnew++;
			s->vpending[e] = true;
		}
	}
}

static uint32_t lr_of(const struct vgic_cpu_if *cif, uint32_t intid)
{
	for (uint32_t n = 0; n < cif->nr_lrs_used; n++)
		if ((cif->lr[n] & VGIC_LR_VINTID_MASK) == intid &&
		    (cif->lr[n] & VGIC_LR_STATE_MASK) == VGIC_LR_PENDING)
			return n;
	die("the vLPI is not pending in an LR: lost");
	return 0;
}

/* The vCPU runs until nothing is pending; the host services its LPIs
 * after each exit. */
static void pt_drain(struct pt_state *s, uint32_t v)
{
	while (vgic_vcpu_pending(s->b->vm, v)) {
		struct entry r = guest_entry(s->b, v, s->vpending);
		s->c.delivered += r.taken;
		s->c.maint += r.maint;
		host_service(s);
	}
}

/*
 * One round on event e: the device fires, fires again before the guest
 * acknowledges, the guest acknowledges, the device fires once more while
 * the guest handles it, the guest EOIs, exit; then the vCPU runs until
 * nothing is pending.
 */
static void pt_round(struct pt_state *s, uint32_t e)
{
	struct bench *b = s->b;
	uint32_t v = ev_vcpu(b, e);
	struct vgic_cpu_if *cif = &b->cif[v];

	device_fire(s, e);
	host_service(s);
	device_fire(s, e);
	host_service(s);
	must(vgic_flush(b->vm, v, cif), "flush");
	uint32_t n = lr_of(cif, ev_intid(e));
	cif->lr[n] = (cif->lr[n] & ~VGIC_LR_STATE_MASK) | VGIC_LR_ACTIVE;
	s->vpending[e] = false;
	s->c.delivered++;
	device_fire(s, e);
	host_service(s);
	uint32_t eoied = guest_take(cif, n);
	hw_exit(cif, b->cfg.nr_lrs, eoied);
	s->c.maint += eoied != 0;
	must(vgic_sync(b->vm, v, cif), "sync");
	host_service(s);
	pt_drain(s, v);
}

/* Every fire taken or merged physically, every host LPI taken injected,
 * every new vLPI delivered; the library's counters agree. */
static void pt_check(struct pt_state *s, const struct vgic_stats *s0)
{
	struct vgic_stats s1 = stats_of(s->b);
	const struct pt_count *c = &s->c;
	bool ok = c->fires == c->phys + c->fire_merged &&
		  c->phys == c->vnew + c->vmerged && c->delivered == c->vnew &&
		  s1.pt_injected - s0->pt_injected == c->phys &&
		  s1.maint_eoi - s0->maint_eoi == c->maint;
	for (uint32_t e = 0; e < PT_EVENTS; e++) {
		const struct host_lpi *l = &s->b->host.hlpi[e];
		ok &= !l->pending && l->enabled && !s->vpending[e];
	}
	for (uint32_t v = 0; v < PT_VCPUS; v++)
		ok &= !vgic_vcpu_pending(s->b->vm, v);
	if (!ok) {
		fprintf(stderr,
			"fires %llu (merged %llu) phys %llu vnew %llu "
			"vmerged %llu delivered %llu maint %llu\n",
			(unsigned long long)c->fires,
			(unsigned long long)c->fire_merged,
			(unsigned long long)c->phys,
			(unsigned long long)c->vnew,
			(unsigned long long)c->vmerged,
			(unsigned long long)c->delivered,
			(unsigned long long)c->maint);
		die("passthrough accounting inconsistent");
	}
}

static void bench_pt_policy(uint8_t policy)
{
	struct params p = {
		.vcpus = PT_VCPUS,
		.events = PT_EVENTS,
		.per_device = PT_EVENTS,
		.slots = 64,
		.pt_devices = 1,
		.pt_policy = policy,
	};
	struct sample chunk[PT_ROUNDS / PT_CHUNK];
	struct bench b;
	double t[RUNS];
	struct pt_state s;
	uint64_t invs = 0;

	bench_init(&b, &p);
	if (b.host.pt_maps < PT_EVENTS)
		die("pt_map was not called for every MAPTI");
	for (int r = 0; r < RUNS; r++) {
		struct vgic_stats s0 = stats_of(&b);
		memset(&s, 0, sizeof(s));
		s.b = &b;
		uint64_t inv0 = b.host.invs;
		for (uint32_t k = 0; k < PT_ROUNDS / PT_CHUNK; k++) {
			uint64_t d0 = s.c.delivered, t0 = now_ns();
			for (uint32_t i = 0; i < PT_CHUNK; i++)
				pt_round(&s, i % PT_EVENTS);
			chunk[k] =
				(struct sample){(double)(now_ns() - t0),
						(uint32_t)(s.c.delivered - d0)};
		}
		t[r] = ns_per_op(chunk, PT_ROUNDS / PT_CHUNK);
		invs = b.host.invs - inv0;
		pt_check(&s, &s0);
		struct vgic_stats s1 = stats_of(&b);
		if (invs != (s1.pt_masks - s0.pt_masks) +
				    (s1.pt_unmasks - s0.pt_unmasks))
			die("pt_mask calls != pt_masks + pt_unmasks");
	}
	double d = (double)s.c.delivered, med = median(t, RUNS);
	printf("  passthrough %-5s: %u rounds x 3 fires = %llu: %llu host "
	       "interrupts (%llu fires merged in the pending host LPI), "
	       "%llu vLPIs delivered (%llu merged in a pending vLPI); per "
	       "vLPI: %.2f host interrupts, %.2f INVs, %.2f maintenance "
	       "IRQs, %.1f ns (%.1f..%.1f)\n",
	       policy == VGIC_PT_MASK ? "MASK" : "MERGE", PT_ROUNDS,
	       (unsigned long long)s.c.fires, (unsigned long long)s.c.phys,
	       (unsigned long long)s.c.fire_merged,
	       (unsigned long long)s.c.delivered,
	       (unsigned long long)s.c.vmerged, (double)s.c.phys / d,
	       (double)invs / d, (double)s.c.maint / d, med, t[0], t[RUNS - 1]);
	bench_free(&b);
}

static void bench_passthrough(void)
{
	printf("passthrough: 1 device, %u events over %u vCPUs; per round "
	       "the device fires, fires again before the ack, once more "
	       "while the guest handles the vLPI; then the guest EOIs; "
	       "median of %d runs; ns = library + host model only (taking "
	       "a host interrupt, an INV, a maintenance exit cost more on "
	       "hardware)\n",
	       PT_EVENTS, PT_VCPUS, RUNS);
	bench_pt_policy(VGIC_PT_MERGE);
	bench_pt_policy(VGIC_PT_MASK);
}

int main(void)
{
	calibrate_timer();
	bench_msi();
	bench_memory();
	bench_stress();
	bench_passthrough();
	printf("timed samples left out as interrupted (> %.0fx the median "
	       "per operation): %llu of %llu\n",
	       OUTLIER, (unsigned long long)samples_dropped,
	       (unsigned long long)samples_total);
	return 0;
}
