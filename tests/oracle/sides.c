/* SPDX-License-Identifier: MIT */
/*
 * The two sides compared with QEMU, configured as QEMU virt's GICv3 with
 * -smp N: N CPUs (vCPUs), 256 SPIs, five priority bits, GICD at
 * 0x08000000, redistributors from 0x080a0000 with a 128 KiB stride. Up
 * to 8 CPUs, QEMU's affinities (Aff0 = CPU index) are libvgic's and the
 * model's defaults.
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
 *     honours them; QEMU's HPPI does not look at them).
 */
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

const struct frame_desc frames[NR_FRAMES] = {
	[FRAME_GICD] = {"GICD", 0x08000000, 0, 0x10000, 0},
	[FRAME_RD] = {"RD", 0x080a0000, 0x20000, 0x10000, 0},
	[FRAME_SGI] = {"SGI", 0x080b0000, 0x20000, 0x10000, 0x10000},
};

const char *const side_names[NR_SIDES] = {"vgic", "model"};

uint32_t or_nr_cpus = 4;

#define NR_LRS 4 /* as QEMU's ICH_VTR_EL2.ListRegs */

struct sides {
	struct vgic_vm *vm;
	void *mem;
	struct model *m;
};

static void op_kick(void *ctx, uint32_t vcpu)
{
	(void)ctx;
	(void)vcpu;
}

static const struct vgic_host_ops host_ops = {
	.version = 1,
	.kick = op_kick,
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
	size_t size = vgic_vm_size(&cfg);
	s->mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!s->mem ||
	    vgic_vm_init(s->mem, size, &cfg, &host_ops, NULL, &s->vm))
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
	if (!s->m)
		return -1;
	model_config_default(&mc);
	mc.nr_pcpus = or_nr_cpus;
	mc.nr_spis = OR_NR_SPIS;
	mc.pri_bits = OR_PRI_BITS;
	if (model_init(s->m, &mc))
		return -1;
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
	free(s->m);
	free(s);
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

uint64_t sides_read(struct sides *s, enum side sd, enum frame_kind f,
		    uint32_t cpu, uint32_t vcpu, uint32_t off, unsigned len)
{
	uint64_t v = 0;

	if (sd == SIDE_VGIC)
		vgic_ok(vgic_mmio_read(s->vm, vcpu, frame_gpa(f, cpu, off), len,
				       &v));
	else if (f == FRAME_GICD)
		model_gicd_read(s->m, off, len, &v);
	else
		model_gicr_read(s->m, cpu, frames[f].model_off + off, len, &v);
	return v;
}

void sides_write(struct sides *s, enum side sd, enum frame_kind f, uint32_t cpu,
		 uint32_t vcpu, uint32_t off, unsigned len, uint64_t val)
{
	if (sd == SIDE_VGIC)
		vgic_ok(vgic_mmio_write(s->vm, vcpu, frame_gpa(f, cpu, off),
					len, val));
	else if (f == FRAME_GICD)
		model_gicd_write(s->m, off, len, val);
	else
		model_gicr_write(s->m, cpu, frames[f].model_off + off, len,
				 val);
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

static struct hppi vgic_hppi(struct sides *s, uint32_t cpu)
{
	struct vgic_cpu_if cif;

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
		return vgic_hppi(s, cpu);
	return model_hppi_of(s, cpu, cond);
}
