/* SPDX-License-Identifier: MIT */
/*
 * The world switch on the model as a hypervisor does it, the checks of
 * what flush hands the hardware, and the operations the targets share:
 * one MMIO access confined to a frame, and the other guest- and
 * host-side calls a target mixes in.
 */
#ifndef VGIC_FUZZ_WORLD_H
#define VGIC_FUZZ_WORLD_H

#include "fuzz.h"

/* ------------------------------------------------ flush's LR image */

/* The list registers of one entry (IHI 0069, ICH_LR<n>_EL2): valid,
 * distinct existing vINTIDs, implemented priority bits only, the group
 * of the interrupt, HW LRs never pending and active with no EOI bit,
 * and pending only what may be presented to this vCPU. */
static inline void fz_check_lr(uint32_t v, const struct vgic_cpu_if *cif,
			       uint32_t n)
{
	uint64_t lr = cif->lr[n];
	uint32_t intid = (uint32_t)(lr & VGIC_LR_VINTID_MASK);
	struct vgic_irq *irq = vgic_irq_lookup(F.vm, v, intid);

	FZ_CHECK(irq && irq->lr == n + 1);
	FZ_CHECK(lr & VGIC_LR_STATE_MASK);
	for (uint32_t i = 0; i < n; i++)
		FZ_CHECK((cif->lr[i] & VGIC_LR_VINTID_MASK) != intid);
	uint8_t prio = (uint8_t)(lr >> VGIC_LR_PRIORITY_SHIFT);
	FZ_CHECK(prio == irq->priority && (prio & ~F.pri_mask) == 0);
	FZ_CHECK(!!(lr & VGIC_LR_GROUP) == irq->group1);
	if (lr & VGIC_LR_HW) {
		FZ_CHECK(!(lr & VGIC_LR_EOI));
		FZ_CHECK((lr & VGIC_LR_STATE_MASK) != VGIC_LR_STATE_MASK);
		FZ_CHECK(((lr & VGIC_LR_PINTID_MASK) >> 32) == irq->pintid);
	} else if (lr & VGIC_LR_PENDING) {
		/* An edge's pending state moved into the LR. */
		uint32_t grp = irq->group1 ? 2u : 1u;
		FZ_CHECK(irq->target == v && irq->enabled &&
			 (F.vm->gicd_ctlr & grp) &&
			 (irq->edge || vgic_irq_pending(irq)));
	}
	if (lr & VGIC_LR_ACTIVE)
		FZ_CHECK(irq->active);
}

static inline void fz_check_flush(uint32_t v, const struct vgic_cpu_if *cif)
{
	FZ_CHECK(cif->nr_lrs_used <= F.cfg.nr_lrs);
	FZ_CHECK(cif->hcr & VGIC_HCR_EN);
	for (uint32_t n = 0; n < cif->nr_lrs_used; n++)
		fz_check_lr(v, cif, n);
	for (uint32_t n = cif->nr_lrs_used; n < F.cfg.nr_lrs; n++)
		FZ_CHECK(cif->lr[n] == 0);
	fz_check_overflow(v, cif);
}

/* ---------------------------------------------------- world switch */

static inline int fz_pcpu_of(uint32_t v)
{
	for (int p = 0; p < FZ_PCPUS; p++)
		if (F.running[p] == (int)v)
			return p;
	return FZ_NONE;
}

static void fz_enter(uint32_t v, uint32_t p)
{
	FZ_CHECK(F.running[p] == FZ_NONE && fz_pcpu_of(v) == FZ_NONE);
	model_vcpu_run_on(&F.m, v, p);
	FZ_CHECK(vgic_flush(F.vm, v, &F.cif[p]) == 0);
	fz_check_flush(v, &F.cif[p]);
	/* A second flush before the sync must be refused. */
	struct vgic_cpu_if again;
	FZ_CHECK(vgic_flush(F.vm, v, &again) == VGIC_EBUSY);
	FZ_CHECK(model_vcpuif_load(&F.m, p, &F.cif[p]) == 0);
	memcpy(F.loaded_lr[p], F.cif[p].lr, sizeof(F.loaded_lr[p]));
	F.running[p] = (int)v;
}

static void fz_exit(uint32_t p)
{
	struct vgic_cpu_if empty;

	FZ_CHECK(F.running[p] != FZ_NONE);
	FZ_CHECK(model_vcpuif_save(&F.m, p, &F.cif[p]) == 0);
	FZ_CHECK(vgic_sync(F.vm, (uint32_t)F.running[p], &F.cif[p]) == 0);
	memset(&empty, 0, sizeof(empty));
	model_vcpuif_load(&F.m, p, &empty);
	F.running[p] = FZ_NONE;
}

static inline void fz_exit_all(void)
{
	for (uint32_t p = 0; p < FZ_PCPUS; p++)
		if (F.running[p] != FZ_NONE)
			fz_exit(p);
}

static inline bool fz_maint(uint32_t p)
{
	return (model_ich_hcr(&F.m, p) & VGIC_HCR_EN) &&
	       model_ich_misr(&F.m, p) != 0;
}

/* The maintenance interrupt takes the CPU to EL2 at once: exit, enter.
 * Each round trip must make progress, so it is bounded. */
static inline void fz_service_maint(uint32_t p)
{
	for (int guard = 0; F.running[p] != FZ_NONE && fz_maint(p); guard++) {
		uint32_t v = (uint32_t)F.running[p];
		FZ_CHECK(guard < 64);
		fz_exit(p);
		fz_enter(v, p);
	}
}

/* --------------------------------------------------- MMIO operation */

static inline uint64_t fz_frame_base(enum fz_frame fr, uint32_t rd)
{
	if (fr == FR_GICD)
		return F.cfg.gicd_base;
	return F.cfg.gicr_base + 0x20000ull * rd +
	       (fr == FR_SGI ? 0x10000u : 0);
}

/*
 * One access: [kind] [vcpu] [rd] [offset:2] [value:len] where kind holds
 * read/write, the width and whether the address is the frame's or wild.
 * The redistributor byte picks one past the last now and then, which
 * lies outside every frame.
 */
static inline void fz_mmio_op(struct fz_in *in, enum fz_frame fr)
{
	uint8_t k = fz_u8(in);
	uint32_t v = fz_vcpu(fz_u8(in));
	unsigned len = fz_len(k >> 4);
	uint64_t gpa;

	if ((k & 0x0e) == 0x0e) {
		gpa = fz_wild_gpa(in);
	} else {
		uint8_t rb = fz_u8(in);
		uint32_t rd = rb == 0xff ? F.cfg.nr_vcpus : rb % F.cfg.nr_vcpus;
		gpa = fz_frame_base(fr, rd) + fz_uint(in, 2);
	}
	if (k & 1) {
		fz_write(v, gpa, len, fz_uint(in, len > 8 ? 8 : len));
	} else {
		uint64_t val;
		fz_read(v, gpa, len, &val);
	}
}

/* An INTID from two bytes: mostly existing ones, sometimes beyond. */
static inline uint32_t fz_intid(struct fz_in *in)
{
	uint32_t x = (uint32_t)fz_uint(in, 2);

	return (x & 0x8000) ? x & 0x7fff : x % (fz_nr_intids() + 4);
}

/* Host calls: their return codes follow from the arguments alone. */
static inline void fz_host_op(struct fz_in *in)
{
	uint8_t k = fz_u8(in);
	uint32_t v = fz_vcpu(fz_u8(in));
	uint32_t intid = fz_intid(in);
	bool exists =
		intid < fz_nr_intids() && (intid >= 32 || v < F.cfg.nr_vcpus);
	int want = exists ? VGIC_OK : VGIC_ERANGE;
	int rc;

	switch (k % 6) {
	case 0:
		FZ_CHECK(vgic_inject(F.vm, v, intid) == want);
		break;
	case 1:
		rc = vgic_set_level(F.vm, v, intid, k & 0x80);
		FZ_CHECK(rc == (exists && intid < 16 ? VGIC_EPERM : want));
		break;
	case 2: {
		uint32_t pintid = 16 + fz_u8(in) % 240;
		rc = vgic_map_phys(F.vm, v, intid, pintid);
		FZ_CHECK(rc == VGIC_OK || rc == VGIC_EBUSY ||
			 rc == (exists && intid < 16 ? VGIC_EPERM : want));
		break;
	}
	case 3:
		rc = vgic_unmap_phys(F.vm, v, intid);
		FZ_CHECK(rc == VGIC_OK || rc == VGIC_ENOENT ||
			 rc == VGIC_EPERM || rc == VGIC_ERANGE);
		break;
	case 4:
		rc = vgic_inject_phys(F.vm, v, intid);
		FZ_CHECK(rc == VGIC_OK || rc == VGIC_ENOENT ||
			 rc == VGIC_EPERM || rc == VGIC_ERANGE);
		break;
	default:
		if (v < F.cfg.nr_vcpus)
			fz_cross_check(v, intid);
		(void)vgic_vcpu_pending(F.vm, v);
		break;
	}
}

/* A trapped ICC_SGI1R/ASGI1R/SGI0R/DIR write; an unknown register is
 * refused. */
static inline void fz_sysreg_op(struct fz_in *in)
{
	uint8_t k = fz_u8(in);
	uint32_t v = fz_vcpu(fz_u8(in));
	uint64_t val = fz_uint(in, 8);
	int rc = vgic_sysreg_write(F.vm, v, (enum vgic_sysreg)(k % 5), val);

	if (v >= F.cfg.nr_vcpus)
		FZ_CHECK(rc == VGIC_ERANGE);
	else
		FZ_CHECK(rc == (k % 5 == 4 ? VGIC_EINVAL : VGIC_OK));
}

/* Flush and sync one vCPU whose guest did not run. */
static inline void fz_bounce_op(struct fz_in *in)
{
	uint32_t v = fz_u8(in) % F.cfg.nr_vcpus;

	if (fz_pcpu_of(v) != FZ_NONE || F.running[0] != FZ_NONE)
		return;
	fz_enter(v, 0);
	fz_exit(0);
}

/* The frame targets: mostly accesses to the frame, sometimes the rest. */
static inline void fz_frame_target(struct fz_in *in, enum fz_frame fr)
{
	fz_setup(in);
	while (in->n) {
		uint8_t sel = fz_u8(in);
		if (sel < 0xe0)
			fz_mmio_op(in, fr);
		else if (sel < 0xf0)
			fz_mmio_op(in, (enum fz_frame)(sel % 3));
		else if (sel < 0xf8)
			fz_host_op(in);
		else if (sel < 0xfc)
			fz_sysreg_op(in);
		else
			fz_bounce_op(in);
	}
	fz_exit_all();
	fz_check_state();
}

#endif /* VGIC_FUZZ_WORLD_H */
