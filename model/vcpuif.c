/* SPDX-License-Identifier: MIT */
/*
 * Virtual CPU interface, host side: the ICH_*_EL2 registers
 * (IHI 0069, the ICH_*_EL2 register descriptions and chapter 6 "Virtual
 * interrupt handling and prioritization").
 *
 * The list registers hold the virtual interrupts the guest sees. Status
 * registers (MISR, EISR, ELRSR) are not stored: they are functions of the
 * LRs, ICH_HCR_EL2 and ICH_VMCR_EL2, computed when read, exactly as the
 * hardware derives them. The maintenance interrupt is a level-sensitive
 * PPI (MODEL_MAINT_INTID) on the pCPU, asserted while ICH_HCR_EL2.En == 1
 * and ICH_MISR_EL2 != 0; every change to this state re-drives that line.
 */
#include "model_internal.h"

/* ICH_HCR_EL2 bits that exist: En, UIE, LRENPIE, NPIE, VGrp{0,1}{E,D}IE
 * [7:0], TC [10], TALL0 [11], TALL1 [12], TDIR [14], EOIcount [31:27]. */
#define HCR_VGRP0EIE (1u << 4)
#define HCR_VGRP0DIE (1u << 5)
#define HCR_VGRP1EIE (1u << 6)
#define HCR_VGRP1DIE (1u << 7)
#define HCR_WRITABLE                                                           \
	(0xffu | (7u << 10) | VGIC_HCR_TDIR | VGIC_HCR_EOICOUNT_MASK)

#define MISR_VGRP0E (1u << 4)
#define MISR_VGRP0D (1u << 5)
#define MISR_VGRP1E (1u << 6)
#define MISR_VGRP1D (1u << 7)

#define VMCR_WRITABLE                                                          \
	(VGIC_VMCR_VENG0 | VGIC_VMCR_VENG1 | VGIC_VMCR_VCBPR |                 \
	 VGIC_VMCR_VEOIM | VGIC_VMCR_VBPR1_MASK | VGIC_VMCR_VBPR0_MASK |       \
	 VGIC_VMCR_VPMR_MASK)

#define LR_VINTID_BITS 0xffffull /* ICH_VTR_EL2.IDbits == 0: 16 bits */

static struct model_vcpuif *ich(struct model *m, uint32_t pcpu)
{
	return &m->pcpu[pcpu].ich;
}

static const struct model_vcpuif *ich_c(const struct model *m, uint32_t pcpu)
{
	return &m->pcpu[pcpu].ich;
}

static unsigned vprebits(const struct model *m)
{
	return model_prebits(m->cfg.vpri_bits);
}

/* ------------------------------------------------- list register fields */

uint32_t model_lr_vintid(uint64_t lr)
{
	return (uint32_t)(lr & VGIC_LR_VINTID_MASK);
}

uint8_t model_lr_priority(uint64_t lr)
{
	return (uint8_t)((lr & VGIC_LR_PRIORITY_MASK) >>
			 VGIC_LR_PRIORITY_SHIFT);
}

unsigned model_lr_group(uint64_t lr)
{
	return (lr & VGIC_LR_GROUP) ? 1 : 0;
}

static uint64_t lr_state(uint64_t lr)
{
	return lr & VGIC_LR_STATE_MASK;
}

/*
 * RES0 and unimplemented bits of ICH_LR<n>_EL2 read as zero: vINTID above
 * IDbits, priority bits below PRIbits, and, when HW == 0, bits [40:32] and
 * [44:42] around the EOI bit (the pINTID field is EOI [41] then).
 */
static uint64_t lr_sanitise(const struct model *m, uint64_t lr)
{
	uint64_t prio = (uint64_t)model_prio_mask(m->cfg.vpri_bits)
			<< VGIC_LR_PRIORITY_SHIFT;
	uint64_t keep = LR_VINTID_BITS | prio | VGIC_LR_GROUP | VGIC_LR_HW |
			VGIC_LR_STATE_MASK;

	keep |= (lr & VGIC_LR_HW) ? VGIC_LR_PINTID_MASK : VGIC_LR_EOI;
	return lr & keep;
}

/* ------------------------------------------------------ status registers */

/* ICH_EISR_EL2: LRs whose EOI maintenance is due (invalid, HW 0, EOI 1). */
uint32_t model_ich_eisr(const struct model *m, uint32_t pcpu)
{
	uint32_t eisr = 0;

	if (!model_pcpu_valid(m, pcpu))
		return 0;
	for (unsigned n = 0; n < m->cfg.nr_lrs; n++) {
		uint64_t lr = ich_c(m, pcpu)->lr[n];

		if (!lr_state(lr) && !(lr & VGIC_LR_HW) && (lr & VGIC_LR_EOI))
			eisr |= 1u << n;
	}
	return eisr;
}

/* ICH_ELRSR_EL2: LRs free for use (invalid and no EOI maintenance due). */
uint32_t model_ich_elrsr(const struct model *m, uint32_t pcpu)
{
	uint32_t elrsr = 0;

	if (!model_pcpu_valid(m, pcpu))
		return 0;
	for (unsigned n = 0; n < m->cfg.nr_lrs; n++)
		if (!lr_state(ich_c(m, pcpu)->lr[n]))
			elrsr |= 1u << n;
	return elrsr & ~model_ich_eisr(m, pcpu);
}

/* LRs with any of the `state` bits: valid when both bits are given. */
static unsigned count_lrs(const struct model *m, uint32_t pcpu, uint64_t state)
{
	unsigned count = 0;

	for (unsigned n = 0; n < m->cfg.nr_lrs; n++)
		if (ich_c(m, pcpu)->lr[n] & state)
			count++;
	return count;
}

/* LRs in the pending state; pending and active is another state (IHI 0069,
 * ICH_MISR_EL2.NP: "no List register is in the pending state"). */
static unsigned count_pending_lrs(const struct model *m, uint32_t pcpu)
{
	unsigned count = 0;

	for (unsigned n = 0; n < m->cfg.nr_lrs; n++)
		if (lr_state(ich_c(m, pcpu)->lr[n]) == VGIC_LR_PENDING)
			count++;
	return count;
}

/* MISR.VGrp{0,1}{E,D}: a group enable state the host asked to hear of. */
static uint32_t misr_group_causes(uint32_t hcr, uint32_t vmcr)
{
	bool eng0 = vmcr & VGIC_VMCR_VENG0, eng1 = vmcr & VGIC_VMCR_VENG1;
	uint32_t misr = 0;

	if ((hcr & HCR_VGRP0EIE) && eng0)
		misr |= MISR_VGRP0E;
	if ((hcr & HCR_VGRP0DIE) && !eng0)
		misr |= MISR_VGRP0D;
	if ((hcr & HCR_VGRP1EIE) && eng1)
		misr |= MISR_VGRP1E;
	if ((hcr & HCR_VGRP1DIE) && !eng1)
		misr |= MISR_VGRP1D;
	return misr;
}

/*
 * ICH_MISR_EL2: EOI when EISR != 0; U (underflow) when UIE and at most one
 * LR is valid; LRENP when LRENPIE and EOIcount != 0; NP when NPIE and no
 * LR is in the pending state (pending and active does not count); plus
 * the group enable causes.
 */
uint32_t model_ich_misr(const struct model *m, uint32_t pcpu)
{
	const struct model_vcpuif *v;
	uint32_t misr;

	if (!model_pcpu_valid(m, pcpu))
		return 0;
	v = ich_c(m, pcpu);
	misr = misr_group_causes(v->hcr, v->vmcr);
	if (model_ich_eisr(m, pcpu))
		misr |= VGIC_MISR_EOI;
	if ((v->hcr & VGIC_HCR_UIE) &&
	    count_lrs(m, pcpu, VGIC_LR_STATE_MASK) <= 1)
		misr |= VGIC_MISR_U;
	if ((v->hcr & VGIC_HCR_LRENPIE) && (v->hcr & VGIC_HCR_EOICOUNT_MASK))
		misr |= VGIC_MISR_LRENP;
	if ((v->hcr & VGIC_HCR_NPIE) && !count_pending_lrs(m, pcpu))
		misr |= VGIC_MISR_NP;
	return misr;
}

/*
 * ICH_VTR_EL2: ListRegs [4:0] = nr_lrs - 1, TDS [19] = 1, nV4 [20] = 1 (no
 * GICv4 direct injection), A3V [21] = 1, IDbits [25:23] = 0 (16 bits),
 * PREbits [28:26] and PRIbits [31:29] = number - 1.
 */
uint32_t model_ich_vtr(const struct model *m)
{
	return (m->cfg.nr_lrs - 1u) | (1u << 19) | (1u << 20) | (1u << 21) |
	       ((vprebits(m) - 1u) << 26) | ((m->cfg.vpri_bits - 1u) << 29);
}

/* ----------------------------------------------- maintenance interrupt */

void model_vcpuif_update(struct model *m, uint32_t pcpu)
{
	struct model_vcpuif *v = ich(m, pcpu);
	bool level = (v->hcr & VGIC_HCR_EN) && model_ich_misr(m, pcpu);

	if (level && !v->maint_line)
		model_emit(m, pcpu, MODEL_EV_MAINT, MODEL_MAINT_INTID);
	v->maint_line = level;
	model_set_line(m, pcpu, MODEL_MAINT_INTID, level);
}

/* ---------------------------------------- deactivation (from ICV side) */

int model_lr_find_active(const struct model *m, uint32_t pcpu, uint32_t vintid)
{
	for (unsigned n = 0; n < m->cfg.nr_lrs; n++) {
		uint64_t lr = ich_c(m, pcpu)->lr[n];

		if ((lr & VGIC_LR_ACTIVE) && model_lr_vintid(lr) == vintid)
			return (int)n;
	}
	return -1;
}

/*
 * Clear the active part of the LR state. With HW == 1 the physical INTID
 * is deactivated too, in the Redistributor of this pCPU for an SGI/PPI:
 * this is what lets a guest end a forwarded interrupt without a trap.
 */
void model_lr_deactivate(struct model *m, uint32_t pcpu, unsigned n)
{
	uint64_t *lr = &ich(m, pcpu)->lr[n];
	uint32_t pintid;

	*lr &= ~VGIC_LR_ACTIVE;
	if (!(*lr & VGIC_LR_HW))
		return;
	pintid =
		(uint32_t)((*lr & VGIC_LR_PINTID_MASK) >> VGIC_LR_PINTID_SHIFT);
	if (pintid >= MODEL_FIRST_SPECIAL)
		return;
	model_phys_set_active(m, pcpu, pintid, false);
	model_emit(m, pcpu, MODEL_EV_PHYS_DEACTIVATE, pintid);
}

/* ICH_HCR_EL2.EOIcount counts deactivations with no LR; it wraps at 32. */
void model_eoicount_inc(struct model *m, uint32_t pcpu)
{
	uint32_t *hcr = &ich(m, pcpu)->hcr;
	uint32_t count =
		(*hcr & VGIC_HCR_EOICOUNT_MASK) >> VGIC_HCR_EOICOUNT_SHIFT;

	*hcr = (*hcr & ~VGIC_HCR_EOICOUNT_MASK) |
	       (((count + 1) << VGIC_HCR_EOICOUNT_SHIFT) &
		VGIC_HCR_EOICOUNT_MASK);
}

/* ------------------------------------------------------- ICH registers */

uint64_t model_ich_lr(const struct model *m, uint32_t pcpu, unsigned n)
{
	if (!model_pcpu_valid(m, pcpu) || n >= m->cfg.nr_lrs)
		return 0;
	return ich_c(m, pcpu)->lr[n];
}

void model_ich_set_lr(struct model *m, uint32_t pcpu, unsigned n, uint64_t val)
{
	if (!model_pcpu_valid(m, pcpu) || n >= m->cfg.nr_lrs)
		return;
	ich(m, pcpu)->lr[n] = lr_sanitise(m, val);
	model_vcpuif_update(m, pcpu);
}

uint32_t model_ich_hcr(const struct model *m, uint32_t pcpu)
{
	return model_pcpu_valid(m, pcpu) ? ich_c(m, pcpu)->hcr : 0;
}

void model_ich_set_hcr(struct model *m, uint32_t pcpu, uint32_t val)
{
	if (!model_pcpu_valid(m, pcpu))
		return;
	ich(m, pcpu)->hcr = val & HCR_WRITABLE;
	model_vcpuif_update(m, pcpu);
}

uint32_t model_ich_vmcr(const struct model *m, uint32_t pcpu)
{
	return model_pcpu_valid(m, pcpu) ? ich_c(m, pcpu)->vmcr : 0;
}

static uint32_t vmcr_field(uint32_t vmcr, uint32_t mask, unsigned shift)
{
	return (vmcr & mask) >> shift;
}

/* A VBPR below the minimum reads as the minimum, as ICV_BPR writes do. */
static uint32_t vmcr_clamp_bpr(const struct model *m, uint32_t vmcr,
			       unsigned grp)
{
	uint32_t mask = grp ? VGIC_VMCR_VBPR1_MASK : VGIC_VMCR_VBPR0_MASK;
	unsigned shift = grp ? VGIC_VMCR_VBPR1_SHIFT : VGIC_VMCR_VBPR0_SHIFT;
	uint32_t min = model_bpr_min(vprebits(m), grp);

	if (vmcr_field(vmcr, mask, shift) < min)
		vmcr = (vmcr & ~mask) | (min << shift);
	return vmcr;
}

/*
 * ICH_VMCR_EL2: VPMR keeps only the implemented priority bits, the VBPRs
 * at least their minimum, VFIQEn is RES1 and VAckCtl RES0 (AArch64).
 */
static uint32_t vmcr_sanitise(const struct model *m, uint32_t val)
{
	uint32_t vpmr = (uint32_t)model_prio_mask(m->cfg.vpri_bits)
			<< VGIC_VMCR_VPMR_SHIFT;

	val &= VMCR_WRITABLE & ~(VGIC_VMCR_VPMR_MASK & ~vpmr);
	val = vmcr_clamp_bpr(m, val, 0);
	val = vmcr_clamp_bpr(m, val, 1);
	return val | VGIC_VMCR_VFIQEN;
}

void model_ich_set_vmcr(struct model *m, uint32_t pcpu, uint32_t val)
{
	if (!model_pcpu_valid(m, pcpu))
		return;
	ich(m, pcpu)->vmcr = vmcr_sanitise(m, val);
	model_vcpuif_update(m, pcpu);
}

/* ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2: registers beyond PREbits RAZ/WI. */
uint32_t model_ich_apr(const struct model *m, uint32_t pcpu, unsigned grp,
		       unsigned n)
{
	if (!model_pcpu_valid(m, pcpu) || n >= model_apr_nr_regs(vprebits(m)))
		return 0;
	return ich_c(m, pcpu)->apr.r[grp ? 1 : 0][n];
}

void model_ich_set_apr(struct model *m, uint32_t pcpu, unsigned grp, unsigned n,
		       uint32_t val)
{
	if (!model_pcpu_valid(m, pcpu) || n >= model_apr_nr_regs(vprebits(m)))
		return;
	ich(m, pcpu)->apr.r[grp ? 1 : 0][n] = val;
	model_vcpuif_update(m, pcpu);
}

/* ------------------------------------------------------ world switch */

/* All registers are written before the maintenance line is evaluated, so
 * a half-loaded state never raises a spurious maintenance interrupt. */
static void load_regs(struct model *m, uint32_t pcpu,
		      const struct vgic_cpu_if *cif)
{
	struct model_vcpuif *v = ich(m, pcpu);
	unsigned nr_aprs = model_apr_nr_regs(vprebits(m));

	for (unsigned n = 0; n < m->cfg.nr_lrs; n++)
		v->lr[n] =
			n < cif->nr_lrs_used ? lr_sanitise(m, cif->lr[n]) : 0;
	for (unsigned n = 0; n < 4; n++) {
		v->apr.r[0][n] = n < nr_aprs ? cif->ap0r[n] : 0;
		v->apr.r[1][n] = n < nr_aprs ? cif->ap1r[n] : 0;
	}
	v->vmcr = vmcr_sanitise(m, cif->vmcr);
	v->hcr = cif->hcr & HCR_WRITABLE;
}

int model_vcpuif_load(struct model *m, uint32_t pcpu,
		      const struct vgic_cpu_if *cif)
{
	if (!m || !cif)
		return VGIC_EINVAL;
	if (!model_pcpu_valid(m, pcpu) || cif->nr_lrs_used > m->cfg.nr_lrs)
		return VGIC_ERANGE;
	load_regs(m, pcpu, cif);
	model_vcpuif_update(m, pcpu);
	return VGIC_OK;
}

int model_vcpuif_save(const struct model *m, uint32_t pcpu,
		      struct vgic_cpu_if *cif)
{
	if (!m || !cif)
		return VGIC_EINVAL;
	if (!model_pcpu_valid(m, pcpu))
		return VGIC_ERANGE;
	for (unsigned n = 0; n < VGIC_MAX_LRS; n++)
		cif->lr[n] = model_ich_lr(m, pcpu, n);
	cif->hcr = model_ich_hcr(m, pcpu);
	cif->vmcr = model_ich_vmcr(m, pcpu);
	for (unsigned n = 0; n < 4; n++) {
		cif->ap0r[n] = model_ich_apr(m, pcpu, 0, n);
		cif->ap1r[n] = model_ich_apr(m, pcpu, 1, n);
	}
	cif->misr = model_ich_misr(m, pcpu);
	cif->eisr = model_ich_eisr(m, pcpu);
	cif->elrsr = model_ich_elrsr(m, pcpu);
	return VGIC_OK;
}
