/* SPDX-License-Identifier: MIT */
/*
 * Virtual CPU interface, guest side: what the guest's ICC_*_EL1 accesses
 * do when HCR_EL2.IMO/FMO redirect them to the ICV_*_EL1 registers
 * (IHI 0069, the ICV_*_EL1 register descriptions and chapter 6 "Virtual
 * interrupt handling and prioritization").
 *
 * The highest priority pending virtual interrupt is the LR in the pending
 * state, of an enabled group (ICH_VMCR_EL2.VENG0/VENG1), with the lowest
 * priority value. It is signalled if ICH_HCR_EL2.En == 1, its priority is
 * below VPMR and its group priority (VBPR0/VBPR1) beats the virtual
 * running priority of ICH_AP0R/AP1R. ICV_IAR moves it pending -> active;
 * ICV_EOIR drops the running priority and, with VEOIM == 0, deactivates
 * the LR; ICV_DIR deactivates when VEOIM == 1. A deactivation that finds
 * no LR counts in ICH_HCR_EL2.EOIcount instead.
 */
#include "model_internal.h"

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

static bool veng(uint32_t vmcr, unsigned grp)
{
	return vmcr & (grp ? VGIC_VMCR_VENG1 : VGIC_VMCR_VENG0);
}

static bool is_special(uint32_t intid)
{
	return intid >= MODEL_FIRST_SPECIAL && intid <= MODEL_SPURIOUS;
}

/* ---------------------------------------------------------- selection */

/* HighestPriorityVirtualInterrupt(): LR index or -1. */
static int hppvi(const struct model *m, uint32_t pcpu)
{
	const struct model_vcpuif *v = ich_c(m, pcpu);
	int best = -1;

	for (unsigned n = 0; n < m->cfg.nr_lrs; n++) {
		uint64_t lr = v->lr[n];

		if ((lr & VGIC_LR_STATE_MASK) != VGIC_LR_PENDING ||
		    !veng(v->vmcr, model_lr_group(lr)))
			continue;
		if (best < 0 ||
		    model_lr_priority(lr) < model_lr_priority(v->lr[best]))
			best = (int)n;
	}
	return best;
}

/* The ICH_VMCR_EL2.VBPR0 / VBPR1 field, as stored. */
static uint32_t vbpr_field(uint32_t vmcr, unsigned grp)
{
	if (grp)
		return (vmcr & VGIC_VMCR_VBPR1_MASK) >> VGIC_VMCR_VBPR1_SHIFT;
	return (vmcr & VGIC_VMCR_VBPR0_MASK) >> VGIC_VMCR_VBPR0_SHIFT;
}

/* Group priority mask of a `grp` interrupt; VCBPR makes Group 1 use
 * VBPR0 (VGroupBits() in the pseudocode). */
static uint8_t vgroup_mask(const struct model *m, uint32_t pcpu, unsigned grp)
{
	uint32_t vmcr = ich_c(m, pcpu)->vmcr;
	bool cbpr = vmcr & VGIC_VMCR_VCBPR;

	return model_group_mask(vbpr_field(vmcr, grp && !cbpr), grp, cbpr);
}

static uint8_t vpmr(const struct model_vcpuif *v)
{
	return (uint8_t)(v->vmcr >> VGIC_VMCR_VPMR_SHIFT);
}

/* CanSignalVirtualInterrupt(): LR `lr` may be taken by the guest now. */
static bool can_signal(const struct model *m, uint32_t pcpu, uint64_t lr)
{
	const struct model_vcpuif *v = ich_c(m, pcpu);
	unsigned grp = model_lr_group(lr);

	if (!(v->hcr & VGIC_HCR_EN))
		return false;
	return model_prio_can_preempt(model_lr_priority(lr),
				      vgroup_mask(m, pcpu, grp), vpmr(v),
				      model_apr_running(&v->apr, vprebits(m)));
}

/* The HPPVI index if it is of group `grp` and signalled, else -1. */
static int signalled(const struct model *m, uint32_t pcpu, unsigned grp)
{
	int n;

	if (!model_pcpu_valid(m, pcpu))
		return -1;
	n = hppvi(m, pcpu);
	if (n < 0 || model_lr_group(ich_c(m, pcpu)->lr[n]) != grp ||
	    !can_signal(m, pcpu, ich_c(m, pcpu)->lr[n]))
		return -1;
	return n;
}

bool model_guest_irq_line(const struct model *m, uint32_t pcpu)
{
	return signalled(m, pcpu, 1) >= 0;
}

bool model_guest_fiq_line(const struct model *m, uint32_t pcpu)
{
	return signalled(m, pcpu, 0) >= 0;
}

/* -------------------------------------------------------- acknowledge */

static void lr_activate(struct model *m, uint32_t pcpu, unsigned n)
{
	uint64_t *lr = &ich(m, pcpu)->lr[n];
	unsigned grp = model_lr_group(*lr);
	uint8_t gprio = model_lr_priority(*lr) & vgroup_mask(m, pcpu, grp);

	*lr = (*lr & ~VGIC_LR_STATE_MASK) | VGIC_LR_ACTIVE;
	model_apr_activate(&ich(m, pcpu)->apr, vprebits(m), grp, gprio);
}

/*
 * ICV_IAR0_EL1 / ICV_IAR1_EL1. An LR holding a special INTID goes from
 * pending to invalid and its INTID is returned (VirtualReadIAR*()).
 */
uint32_t model_guest_ack(struct model *m, uint32_t pcpu, unsigned grp)
{
	int n = signalled(m, pcpu, grp);
	uint32_t intid;

	if (n < 0)
		return MODEL_SPURIOUS;
	intid = model_lr_vintid(ich(m, pcpu)->lr[n]);
	if (is_special(intid))
		ich(m, pcpu)->lr[n] &= ~VGIC_LR_PENDING;
	else
		lr_activate(m, pcpu, (unsigned)n);
	model_emit(m, pcpu, MODEL_EV_ACK, intid);
	model_vcpuif_update(m, pcpu);
	return intid;
}

/* ICV_HPPIR0_EL1 / ICV_HPPIR1_EL1: not masked by VPMR or running prio. */
uint32_t model_guest_hppir(const struct model *m, uint32_t pcpu, unsigned grp)
{
	int n;

	if (!model_pcpu_valid(m, pcpu))
		return MODEL_SPURIOUS;
	n = hppvi(m, pcpu);
	if (n < 0 || model_lr_group(ich_c(m, pcpu)->lr[n]) != grp)
		return MODEL_SPURIOUS;
	return model_lr_vintid(ich_c(m, pcpu)->lr[n]);
}

/* ---------------------------------------------- EOI and deactivation */

/* Deactivate `intid`'s LR, or count the deactivation in EOIcount. */
static void vdeactivate(struct model *m, uint32_t pcpu, uint32_t intid)
{
	int n = model_lr_find_active(m, pcpu, intid);

	if (n < 0)
		model_eoicount_inc(m, pcpu);
	else
		model_lr_deactivate(m, pcpu, (unsigned)n);
}

static bool veoim(const struct model *m, uint32_t pcpu)
{
	return ich_c(m, pcpu)->vmcr & VGIC_VMCR_VEOIM;
}

/*
 * An LPI has no active state: its EOI deactivates its LR whatever
 * EOImode, and one in no LR only drops the priority, with no EOIcount
 * (IHI 0069, the VirtualWriteEOIR pseudocode).
 */
static void veoi_lpi(struct model *m, uint32_t pcpu, uint32_t intid)
{
	int n = model_lr_find_active(m, pcpu, intid);

	if (n >= 0)
		model_lr_deactivate(m, pcpu, (unsigned)n);
}

/*
 * ICV_EOIR0_EL1 / ICV_EOIR1_EL1. Special INTIDs are ignored; so is an EOI
 * with no active priority (CONSTRAINED UNPREDICTABLE; EOIcount is only
 * counted for EOIs that drop a priority). The LR is not checked against
 * the group or the dropped priority: a mismatch is UNPREDICTABLE.
 */
void model_guest_eoi(struct model *m, uint32_t pcpu, unsigned grp,
		     uint32_t intid)
{
	(void)grp;
	if (!model_pcpu_valid(m, pcpu) || is_special(intid))
		return;
	if (!model_apr_drop(&ich(m, pcpu)->apr, vprebits(m)))
		return;
	model_emit(m, pcpu, MODEL_EV_EOI, intid);
	if (intid >= VGIC_MIN_LPI)
		veoi_lpi(m, pcpu, intid);
	else if (!veoim(m, pcpu))
		vdeactivate(m, pcpu, intid);
	model_vcpuif_update(m, pcpu);
}

/*
 * ICV_DIR_EL1. With ICH_HCR_EL2.TDIR == 1 the write traps to EL2 and has
 * no effect here. With VEOIM == 0 it is ignored (UNPREDICTABLE).
 */
bool model_guest_dir(struct model *m, uint32_t pcpu, uint32_t intid)
{
	if (!model_pcpu_valid(m, pcpu))
		return false;
	if (ich_c(m, pcpu)->hcr & VGIC_HCR_TDIR)
		return true;
	/* No active state to remove from an LPI (IHI 0069, LPIs). */
	if (is_special(intid) || !veoim(m, pcpu) || intid >= VGIC_MIN_LPI)
		return false;
	model_emit(m, pcpu, MODEL_EV_DIR, intid);
	vdeactivate(m, pcpu, intid);
	model_vcpuif_update(m, pcpu);
	return false;
}

/* ---------------------------------------------------- plain registers */

/* Registers that live in ICH_VMCR_EL2 are changed through it, so its
 * sanitising rules (masks, BPR minimums) apply to ICV writes as well. */
static void vmcr_update(struct model *m, uint32_t pcpu, uint32_t mask,
			uint32_t bits)
{
	uint32_t vmcr = ich_c(m, pcpu)->vmcr;

	model_ich_set_vmcr(m, pcpu, (vmcr & ~mask) | (bits & mask));
}

/* ICV_RPR_EL1. */
uint32_t model_guest_rpr(const struct model *m, uint32_t pcpu)
{
	if (!model_pcpu_valid(m, pcpu))
		return 0;
	return model_apr_running(&ich_c(m, pcpu)->apr, vprebits(m));
}

/* ICV_PMR_EL1 = ICH_VMCR_EL2.VPMR. */
uint32_t model_guest_pmr(const struct model *m, uint32_t pcpu)
{
	return model_pcpu_valid(m, pcpu) ? vpmr(ich_c(m, pcpu)) : 0;
}

void model_guest_set_pmr(struct model *m, uint32_t pcpu, uint32_t val)
{
	if (model_pcpu_valid(m, pcpu))
		vmcr_update(m, pcpu, VGIC_VMCR_VPMR_MASK,
			    (val & 0xffu) << VGIC_VMCR_VPMR_SHIFT);
}

/* ICV_BPR0_EL1 / ICV_BPR1_EL1; with VCBPR == 1, BPR1 reads VBPR0 + 1
 * (saturated at 7) and ignores writes. */
uint32_t model_guest_bpr(const struct model *m, uint32_t pcpu, unsigned grp)
{
	uint32_t vmcr, bpr0;

	if (!model_pcpu_valid(m, pcpu))
		return 0;
	vmcr = ich_c(m, pcpu)->vmcr;
	bpr0 = vbpr_field(vmcr, 0);
	if (grp && (vmcr & VGIC_VMCR_VCBPR))
		return bpr0 < 7 ? bpr0 + 1 : 7;
	return vbpr_field(vmcr, grp);
}

void model_guest_set_bpr(struct model *m, uint32_t pcpu, unsigned grp,
			 uint32_t val)
{
	if (!model_pcpu_valid(m, pcpu))
		return;
	if (!grp)
		vmcr_update(m, pcpu, VGIC_VMCR_VBPR0_MASK,
			    val << VGIC_VMCR_VBPR0_SHIFT);
	else if (!(ich_c(m, pcpu)->vmcr & VGIC_VMCR_VCBPR))
		vmcr_update(m, pcpu, VGIC_VMCR_VBPR1_MASK,
			    val << VGIC_VMCR_VBPR1_SHIFT);
}

/*
 * ICV_CTLR_EL1: CBPR [0] = VMCR.VCBPR, EOImode [1] = VMCR.VEOIM; read-only
 * PRIbits [10:8], IDbits [13:11] and A3V [15] match ICH_VTR_EL2.
 */
uint32_t model_guest_ctlr(const struct model *m, uint32_t pcpu)
{
	uint32_t vmcr;

	if (!model_pcpu_valid(m, pcpu))
		return 0;
	vmcr = ich_c(m, pcpu)->vmcr;
	return ((vmcr & VGIC_VMCR_VCBPR) ? 1u : 0u) |
	       ((vmcr & VGIC_VMCR_VEOIM) ? 2u : 0u) |
	       ((m->cfg.vpri_bits - 1u) << 8) | (1u << 15);
}

void model_guest_set_ctlr(struct model *m, uint32_t pcpu, uint32_t val)
{
	uint32_t bits = ((val & 1) ? VGIC_VMCR_VCBPR : 0) |
			((val & 2) ? VGIC_VMCR_VEOIM : 0);

	if (model_pcpu_valid(m, pcpu))
		vmcr_update(m, pcpu, VGIC_VMCR_VCBPR | VGIC_VMCR_VEOIM, bits);
}

/* ICV_IGRPEN0_EL1 / ICV_IGRPEN1_EL1 = ICH_VMCR_EL2.VENG0 / VENG1. */
bool model_guest_igrpen(const struct model *m, uint32_t pcpu, unsigned grp)
{
	return model_pcpu_valid(m, pcpu) && veng(ich_c(m, pcpu)->vmcr, grp);
}

void model_guest_set_igrpen(struct model *m, uint32_t pcpu, unsigned grp,
			    bool en)
{
	uint32_t bit = grp ? VGIC_VMCR_VENG1 : VGIC_VMCR_VENG0;

	if (model_pcpu_valid(m, pcpu))
		vmcr_update(m, pcpu, bit, en ? bit : 0);
}

/* ICV_AP0R<n>_EL1 / ICV_AP1R<n>_EL1 are ICH_AP0R<n>_EL2 / ICH_AP1R<n>. */
uint32_t model_guest_apr(const struct model *m, uint32_t pcpu, unsigned grp,
			 unsigned n)
{
	return model_ich_apr(m, pcpu, grp, n);
}

void model_guest_set_apr(struct model *m, uint32_t pcpu, unsigned grp,
			 unsigned n, uint32_t val)
{
	model_ich_set_apr(m, pcpu, grp, n, val);
}
