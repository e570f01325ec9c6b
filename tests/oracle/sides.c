/* SPDX-License-Identifier: MIT */
/*
 * The two sides compared with QEMU, configured as QEMU virt's GICv3 with
 * -smp N: N CPUs (vCPUs), 256 SPIs, five priority bits, GICD at
 * 0x08000000, redistributors from 0x080a0000 with a 128 KiB stride. Up
 * to 8 CPUs, QEMU's affinities (Aff0 = CPU index) are libvgic's and the
 * model's defaults. Both have LPIs and one ITS at 0x08080000, and each
 * its own copy of a window of QEMU's RAM (OR_RAM_BASE) into which the
 * oracle mirrors what it writes: libvgic's through host ops guest_read/
 * guest_write, the model's through model_set_memory(). libvgic has QEMU's
 * widths (16 INTID, DeviceID and EventID bits); the model's are fixed in
 * model.h, not in model_config: 14 INTID, 8 DeviceID and 16 EventID bits
 * (the ITS runs track what that changes, itsgen.c). The model has no
 * translation frame of its own: a write to GITS_TRANSLATER is a device's
 * MSI, model_its_msi() with DeviceID 0 (what QEMU gives a CPU's write).
 *
 * What "HPPI" means on each side, to match QEMU 7.2's cs->hppi (printed
 * by gicv3_cpuif_update): the highest-priority interrupt routed to the
 * CPU that is pending, enabled, not active and whose group is enabled in
 * GICD_CTLR; lowest INTID first among equal priorities. The CPU
 * interface's own enables and masks (ICC_IGRPEN<n>, PMR, running
 * priority) play no part.
 *   libvgic: with the guest's group enables set (ICH_VMCR_EL2.VENG<n>),
 *     the vCPU's list registers after vgic_flush: the best LR in state
 *     pending (not pending+active), then vgic_sync undoes the flush.
 *     However many interrupts are active, flush keeps an LR for one the
 *     guest can take (src/lr.c), so the HPPI must be among the LRs, even
 *     with QEMU's 4.
 *   model: ICC_HPPIR0/1 with both ICC_IGRPEN<n> set at start (the model
 *     honours them; QEMU's HPPI does not look at them); LPIs included,
 *     their priority the model's cached configuration byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

const struct frame_desc frames[NR_FRAMES] = {
	[FRAME_GICD] = {"GICD", 0x08000000, 0, 0x10000, 0},
	[FRAME_RD] = {"RD", 0x080a0000, 0x20000, 0x10000, 0},
	[FRAME_SGI] = {"SGI", 0x080b0000, 0x20000, 0x10000, 0x10000},
	[FRAME_GITS] = {"GITS", 0x08080000, 0, 0x10000, 0},
	[FRAME_GITS_T] = {"GITS_T", 0x08090000, 0, 0x10000, 0},
};

const char *const side_names[NR_SIDES] = {"vgic", "model"};

uint32_t or_nr_cpus = 4;

#define NR_LRS 4 /* as QEMU's ICH_VTR_EL2.ListRegs */
/* Room for every (CPU, LPI) pair the ITS runs make pending: nothing
 * spills to the pending tables. */
#define NR_LPI_SLOTS 4096

struct sides {
	struct vgic_vm *vm;
	void *mem;
	struct model *m;
	uint8_t *ram;  /* libvgic's OR_RAM_SIZE bytes at OR_RAM_BASE */
	uint8_t *mram; /* the model's copy of the same window */
	/* vCPUs "in the guest": flushed, their LRs held until released (a
	 * guest that touches none of them); vcpu_stop syncs one for a
	 * while. */
	struct vgic_cpu_if cif[OR_MAX_CPUS];
	bool held[OR_MAX_CPUS];
	bool stopped[OR_MAX_CPUS];
};

static const uint64_t its_base[1] = {0x08080000};

static void op_kick(void *ctx, uint32_t vcpu)
{
	(void)ctx;
	(void)vcpu;
}

/* `len` bytes at `gpa` in a copy of the window of guest RAM, or NULL
 * (outside it: the host refuses the access). */
static uint8_t *window_at(uint8_t *win, uint64_t gpa, size_t len)
{
	if (gpa < OR_RAM_BASE || gpa - OR_RAM_BASE > OR_RAM_SIZE ||
	    len > OR_RAM_SIZE - (gpa - OR_RAM_BASE))
		return NULL;
	return win + (gpa - OR_RAM_BASE);
}

static uint8_t *ram_at(struct sides *s, uint64_t gpa, size_t len)
{
	return window_at(s->ram, gpa, len);
}

static bool op_guest_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	uint8_t *p = ram_at(ctx, gpa, len);

	if (p)
		memcpy(buf, p, len);
	return p != NULL;
}

static bool op_guest_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	uint8_t *p = ram_at(ctx, gpa, len);

	if (p)
		memcpy(p, buf, len);
	return p != NULL;
}

static bool vgic_ok(int r);

/* Out of the guest, LRs synced, until vcpu_resume; at once if out. */
static void op_vcpu_stop(void *ctx, uint32_t vcpu)
{
	struct sides *s = ctx;

	if (getenv("ORACLE_DEBUG"))
		printf("  vcpu_stop(%u)%s\n", vcpu,
		       s->held[vcpu] ? "" : " (out)");
	if (!s->held[vcpu])
		return;
	vgic_ok(vgic_sync(s->vm, vcpu, &s->cif[vcpu]));
	s->held[vcpu] = false;
	s->stopped[vcpu] = true;
}

static void op_vcpu_resume(void *ctx, uint32_t vcpu)
{
	struct sides *s = ctx;

	if (getenv("ORACLE_DEBUG"))
		printf("  vcpu_resume(%u)\n", vcpu);
	if (!s->stopped[vcpu])
		return;
	s->stopped[vcpu] = false;
	memset(&s->cif[vcpu], 0, sizeof(s->cif[vcpu]));
	vgic_ok(vgic_flush(s->vm, vcpu, &s->cif[vcpu]));
	s->held[vcpu] = true;
}

static const struct vgic_host_ops host_ops = {
	.version = 3,
	.kick = op_kick,
	.vcpu_stop = op_vcpu_stop,
	.vcpu_resume = op_vcpu_resume,
	.guest_read = op_guest_read,
	.guest_write = op_guest_write,
};

/* The guest's ICV_IGRPEN0/1 (ICH_VMCR_EL2.VENG0/1) set, as the model's
 * ICC_IGRPEN<n>: flush gives no LR to a pending interrupt of a group the
 * guest disabled, and QEMU's HPPI ignores these enables. */
static int vgic_enable_groups(struct vgic_vm *vm, uint32_t v)
{
	struct vgic_cpu_if cif;

	memset(&cif, 0, sizeof(cif));
	if (vgic_flush(vm, v, &cif))
		return -1;
	cif.vmcr |= VGIC_VMCR_VENG0 | VGIC_VMCR_VENG1;
	return vgic_sync(vm, v, &cif);
}

static int vgic_new(struct sides *s)
{
	struct vgic_config cfg;

	vgic_config_default(&cfg);
	cfg.nr_vcpus = or_nr_cpus;
	cfg.nr_spis = OR_NR_SPIS;
	cfg.pri_bits = OR_PRI_BITS;
	cfg.nr_lrs = NR_LRS;
	/* GICD_IIDR/GICR_IIDR are the host's choice: take QEMU's. */
	cfg.iidr = 0x0000043b;
	cfg.gicd_base = frames[FRAME_GICD].base;
	cfg.gicr_base = frames[FRAME_RD].base;
	cfg.lpi_id_bits = OR_LPI_ID_BITS;
	cfg.nr_lpi_slots = NR_LPI_SLOTS;
	cfg.nr_its = 1;
	cfg.its_base = its_base;
	/* its_device_bits, its_event_bits: the defaults, 16 as QEMU's */
	size_t size = vgic_vm_size(&cfg);
	s->mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	s->ram = calloc(1, OR_RAM_SIZE);
	if (!s->mem || !s->ram ||
	    vgic_vm_init(s->mem, size, &cfg, &host_ops, s, &s->vm))
		return -1;
	for (uint32_t v = 0; v < or_nr_cpus; v++)
		if (vgic_enable_groups(s->vm, v))
			return -1;
	return 0;
}

static int model_new(struct sides *s)
{
	struct model_config mc;

	s->m = calloc(1, sizeof(*s->m));
	s->mram = calloc(1, OR_RAM_SIZE);
	if (!s->m || !s->mram)
		return -1;
	/* LPI INTID bits, DeviceID and EventID widths are fixed in the
	 * model (model.h: 14, 8 and 16 bits), not in model_config. */
	model_config_default(&mc);
	mc.nr_pcpus = or_nr_cpus;
	mc.nr_spis = OR_NR_SPIS;
	mc.pri_bits = OR_PRI_BITS;
	if (model_init(s->m, &mc))
		return -1;
	/* Its own copy of the window: each GIC writes its own table
	 * formats into guest RAM, the oracle's writes go to both. */
	model_set_memory(s->m, s->mram, OR_RAM_BASE, OR_RAM_SIZE);
	for (uint32_t p = 0; p < or_nr_cpus; p++) {
		model_icc_set_igrpen(s->m, p, MODEL_GROUP0, true);
		model_icc_set_igrpen(s->m, p, MODEL_GROUP1, true);
	}
	return 0;
}

struct sides *sides_new(void)
{
	struct sides *s = calloc(1, sizeof(*s));

	if (s && (vgic_new(s) || model_new(s))) {
		sides_free(s);
		return NULL;
	}
	return s;
}

void sides_free(struct sides *s)
{
	if (!s)
		return;
	free(s->mem);
	free(s->ram);
	free(s->mram);
	free(s->m);
	free(s);
}

void sides_mem_write(struct sides *s, uint64_t gpa, unsigned len, uint64_t val)
{
	uint8_t *p = ram_at(s, gpa, len);
	uint8_t *q = window_at(s->mram, gpa, len);

	for (unsigned i = 0; p && i < len; i++)
		p[i] = q[i] = (uint8_t)(val >> (8 * i));
}

uint64_t sides_lpi_pending(struct sides *s, enum side sd, uint32_t cpu,
			   uint32_t first)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < 64; i++) {
		struct vgic_irq_state st;
		if (sd == SIDE_MODEL) {
			/* The Redistributor's own pending state: the model
			 * writes nothing back to the table (model.h). */
			if (model_phys_is_pending(s->m, cpu, first + i))
				v |= 1ULL << i;
			continue;
		}
		/* ENOENT: no slot, so neither pending nor in flight */
		if (!vgic_irq_state(s->vm, cpu, first + i, &st) && st.pending)
			v |= 1ULL << i;
	}
	return v;
}

void sides_stats(struct sides *s, struct vgic_stats *st)
{
	vgic_get_stats(s->vm, st);
}

uint64_t sides_model_its_errors(struct sides *s)
{
	return model_its_errors(s->m);
}

/* ------------------------------------------------------------ access */

static uint64_t frame_gpa(enum frame_kind f, uint32_t cpu, uint32_t off)
{
	return frames[f].base + frames[f].stride * cpu + off;
}

static bool vgic_ok(int r)
{
	if (r)
		abort(); /* every frame address is inside the vGIC */
	return true;
}

/* A vCPU that accesses a register is out of the guest meanwhile: an
 * exit, then back in. */
static void vcpu_exit(struct sides *s, uint32_t vcpu, bool *was)
{
	*was = s->held[vcpu];
	if (getenv("ORACLE_DEBUG"))
		printf("  access by vCPU %u%s\n", vcpu, *was ? " (exits)" : "");
	if (*was)
		sides_release(s, vcpu);
}

static void vcpu_enter(struct sides *s, uint32_t vcpu, bool was)
{
	if (was)
		sides_hold(s, vcpu);
}

void sides_hold(struct sides *s, uint32_t cpu)
{
	if (s->held[cpu])
		return;
	memset(&s->cif[cpu], 0, sizeof(s->cif[cpu]));
	vgic_ok(vgic_flush(s->vm, cpu, &s->cif[cpu]));
	s->held[cpu] = true;
}

void sides_release(struct sides *s, uint32_t cpu)
{
	if (!s->held[cpu])
		return;
	vgic_ok(vgic_sync(s->vm, cpu, &s->cif[cpu]));
	s->held[cpu] = false;
}

bool sides_held(const struct sides *s, uint32_t cpu)
{
	return s->held[cpu];
}

unsigned sides_held_lrs(const struct sides *s, uint32_t cpu, uint32_t *intids)
{
	unsigned n = 0;

	for (uint32_t i = 0; s->held[cpu] && i < s->cif[cpu].nr_lrs_used; i++)
		if (s->cif[cpu].lr[i] & VGIC_LR_PENDING)
			intids[n++] = (uint32_t)(s->cif[cpu].lr[i] &
						 VGIC_LR_VINTID_MASK);
	return n;
}

/* The model's translation frame, which the oracle maps for it:
 * GITS_TRANSLATER (write-only, 16 or 32 bits) is a device's MSI with
 * DeviceID 0, as QEMU gives a CPU's (or qtest's) write; everything else
 * in the frame is RAZ/WI. */
#define GITS_TRANSLATER 0x0040

static uint64_t model_read(struct sides *s, enum frame_kind f, uint32_t cpu,
			   uint32_t off, unsigned len)
{
	uint64_t v = 0;

	switch (f) {
	case FRAME_GICD:
		model_gicd_read(s->m, off, len, &v);
		break;
	case FRAME_RD:
	case FRAME_SGI:
		model_gicr_read(s->m, cpu, frames[f].model_off + off, len, &v);
		break;
	case FRAME_GITS:
		model_its_read(s->m, off, len, &v);
		break;
	default:
		break;
	}
	return v;
}

static void model_write(struct sides *s, enum frame_kind f, uint32_t cpu,
			uint32_t off, unsigned len, uint64_t val)
{
	switch (f) {
	case FRAME_GICD:
		model_gicd_write(s->m, off, len, val);
		break;
	case FRAME_RD:
	case FRAME_SGI:
		model_gicr_write(s->m, cpu, frames[f].model_off + off, len,
				 val);
		break;
	case FRAME_GITS:
		model_its_write(s->m, off, len, val);
		break;
	case FRAME_GITS_T:
		if (off == GITS_TRANSLATER && (len == 2 || len == 4))
			model_its_msi(
				s->m, 0,
				(uint32_t)(len == 2 ? val & 0xffff : val));
		break;
	default:
		break;
	}
}

uint64_t sides_read(struct sides *s, enum side sd, enum frame_kind f,
		    uint32_t cpu, uint32_t vcpu, uint32_t off, unsigned len)
{
	uint64_t v = 0;
	bool was;

	if (sd == SIDE_MODEL)
		return model_read(s, f, cpu, off, len);
	vcpu_exit(s, vcpu, &was);
	vgic_ok(vgic_mmio_read(s->vm, vcpu, frame_gpa(f, cpu, off), len, &v));
	vcpu_enter(s, vcpu, was);
	return v;
}

void sides_write(struct sides *s, enum side sd, enum frame_kind f, uint32_t cpu,
		 uint32_t vcpu, uint32_t off, unsigned len, uint64_t val)
{
	bool was;

	if (sd == SIDE_MODEL) {
		model_write(s, f, cpu, off, len, val);
		return;
	}
	vcpu_exit(s, vcpu, &was);
	vgic_ok(vgic_mmio_write(s->vm, vcpu, frame_gpa(f, cpu, off), len, val));
	vcpu_enter(s, vcpu, was);
}

void sides_line(struct sides *s, enum side sd, uint32_t cpu, uint32_t intid,
		bool level)
{
	if (sd == SIDE_VGIC)
		vgic_ok(vgic_set_level(s->vm, cpu, intid, level));
	else
		model_set_line(s->m, cpu, intid, level);
}

/* --------------------------------------------------------- libvgic HPPI */

static bool hppi_better(const struct hppi *a, const struct hppi *b)
{
	return a->prio < b->prio || (a->prio == b->prio && a->intid < b->intid);
}

static const struct hppi hppi_none = {OR_NONE, 0xff, 0};

/* The best LR in state pending (not pending+active). */
static struct hppi lr_hppi(const struct vgic_cpu_if *cif)
{
	struct hppi best = hppi_none;

	for (uint32_t n = 0; n < cif->nr_lrs_used; n++) {
		uint64_t lr = cif->lr[n];
		if ((lr & VGIC_LR_STATE_MASK) != VGIC_LR_PENDING)
			continue;
		struct hppi h = {(uint32_t)(lr & VGIC_LR_VINTID_MASK),
				 (uint8_t)((lr & VGIC_LR_PRIORITY_MASK) >>
					   VGIC_LR_PRIORITY_SHIFT),
				 (lr & VGIC_LR_GROUP) ? 1 : 0};
		if (best.intid == OR_NONE || hppi_better(&h, &best))
			best = h;
	}
	return best;
}

static struct hppi vgic_hppi(struct sides *s, uint32_t cpu, const char **cond)
{
	struct vgic_cpu_if cif;

	/* In the guest: its LRs are what it sees, not for comparison. */
	if (s->held[cpu]) {
		*cond = "held";
		return hppi_none;
	}

	memset(&cif, 0, sizeof(cif));
	vgic_ok(vgic_flush(s->vm, cpu, &cif));
	struct hppi h = lr_hppi(&cif);
	/* The guest did not run: hand the LRs back unchanged. */
	vgic_ok(vgic_sync(s->vm, cpu, &cif));
	return h;
}

/* ----------------------------------------------------------- model HPPI */

static uint8_t model_priority(struct sides *s, uint32_t cpu, uint32_t intid)
{
	uint64_t v = 0;

	/* An LPI's priority is its cached configuration byte [7:2], of
	 * which the implemented bits count. */
	if (intid >= OR_FIRST_LPI)
		return (uint8_t)(model_lpi_config(s->m, intid) & 0xfc &
				 (0xff << (8 - OR_PRI_BITS)));
	if (intid < 32)
		model_gicr_read(s->m, cpu, 0x10400 + intid, 1, &v);
	else
		model_gicd_read(s->m, 0x400 + intid, 1, &v);
	return (uint8_t)v;
}

static struct hppi model_hppi_of(struct sides *s, uint32_t cpu,
				 const char **cond)
{
	for (unsigned grp = 0; grp < 2; grp++) {
		uint32_t i = model_icc_hppir(s->m, cpu, grp);
		if (i != MODEL_SPURIOUS)
			return (struct hppi){i, model_priority(s, cpu, i),
					     (uint8_t)grp};
	}
	/* The model forwards nothing to a sleeping redistributor's CPU. */
	if (s->m->pcpu[cpu].asleep)
		*cond = "asleep";
	return hppi_none;
}

struct hppi sides_hppi(struct sides *s, enum side sd, uint32_t cpu,
		       const char **cond)
{
	*cond = NULL;
	if (sd == SIDE_VGIC)
		return vgic_hppi(s, cpu, cond);
	return model_hppi_of(s, cpu, cond);
}

uint64_t sides_mem_read(struct sides *s, uint64_t gpa)
{
	uint8_t *p = ram_at(s, gpa, 8);
	uint64_t v = 0;

	for (unsigned i = 0; p && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}
