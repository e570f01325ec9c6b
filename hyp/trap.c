/* SPDX-License-Identifier: MIT */
/*
 * Synchronous exits from the guest, by ESR_EL2.EC (Arm ARM D17.2.37):
 * stage-2 data aborts (the vGIC frames), HVC/SMC (PSCI), trapped system
 * register accesses (ICC_SGI*R_EL1, ICC_DIR_EL1), WFI/WFE. Whatever the
 * guest did wrong gets its architectural outcome: a synchronous external
 * abort or an UNDEF injected at the guest's EL1 vector.
 */
#include "hyp.h"

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25

#define ESR_IL (1u << 25)
#define ESR_ISV (1u << 24)
#define FSC_SEA 0x10 /* synchronous external abort, not on a walk */

#define PSTATE_MODE_MASK 0xfULL
#define PSTATE_EL1H 0x5ULL
#define PSTATE_EL1T 0x4ULL
#define PSTATE_EL1H_MASKED 0x3c5ULL

static uint64_t get_reg(const struct vcpu *v, unsigned rt)
{
	return rt == 31 ? 0 : v->x[rt]; /* 31 is XZR here */
}

static void set_reg(struct vcpu *v, unsigned rt, uint64_t val)
{
	if (rt != 31)
		v->x[rt] = val;
}

/* Offset of the vector for a synchronous exception taken to EL1 from the
 * guest's current mode (Arm ARM D1.10.2). */
static uint64_t sync_vector_offset(uint64_t pstate)
{
	switch (pstate & PSTATE_MODE_MASK) {
	case PSTATE_EL1H:
		return 0x200;
	case PSTATE_EL1T:
		return 0x000;
	default:
		return 0x400; /* from EL0, AArch64 */
	}
}

static bool from_el0(const struct vcpu *v)
{
	return (v->pstate & PSTATE_MODE_MASK) == 0;
}

/* Take a synchronous exception to the guest's EL1: what the hardware
 * would have done. A fault inside the vector table itself would loop
 * forever: that guest is beyond help, stop it. */
static void inject_sync(struct vcpu *v, uint32_t esr, uint64_t far)
{
	uint64_t vbar = read_sysreg(vbar_el1);

	if (v->pc >= vbar && v->pc < vbar + 0x800 && !from_el0(v)) {
		sched_halt_others();
		hyp_printf("hyp: vcpu%u faulted in its vector table at %lx "
			   "(ESR_EL1 would be %x): stopping the guest\n",
			   v->idx, v->pc, esr);
		vcpu_print_exits();
		hyp_exit(HYP_EXIT_FAULT);
	}
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, v->pc);
	write_sysreg(spsr_el1, v->pstate);
	v->pc = vbar + sync_vector_offset(v->pstate);
	v->pstate = PSTATE_EL1H_MASKED;
}

static void inject_abort(struct vcpu *v, bool data, bool write, uint64_t far)
{
	uint32_t ec = data ? (from_el0(v) ? EC_DABT_LOW : EC_DABT_CUR)
			   : (from_el0(v) ? EC_IABT_LOW : EC_IABT_CUR);
	uint32_t iss = FSC_SEA | (data && write ? 1u << 6 : 0);

	v->exits[EXIT_ABORT]++;
	if (g_cfg.flags & HYPCFG_F_VERBOSE)
		hyp_printf("hyp: vcpu%u external abort at %lx (pc %lx)\n",
			   v->idx, far, v->pc);
	inject_sync(v, ec << 26 | ESR_IL | iss, far);
}

void inject_undef(struct vcpu *v)
{
	v->exits[EXIT_UNDEF]++;
	inject_sync(v, EC_UNKNOWN << 26 | ESR_IL, 0);
}

/* IPA of a stage-2 fault: HPFAR_EL2.FIPA holds IPA[47:12]. */
static uint64_t fault_ipa(void)
{
	return (read_sysreg(hpfar_el2) >> 4) << 12 |
	       (read_sysreg(far_el2) & 0xfff);
}

static uint64_t sign_extend(uint64_t val, unsigned len)
{
	unsigned shift = 64 - 8 * len;

	return (uint64_t)((int64_t)(val << shift) >> shift);
}

/* A guest write to the GICD_IROUTER<n> of a forwarded SPI (either
 * 32-bit half): move the physical SPI to the pCPU of the new target. */
#define VGICD_BASE 0x08000000ULL
#define GICD_IROUTER 0x6000ULL
static void follow_irouter(uint64_t ipa)
{
	if (ipa < VGICD_BASE + GICD_IROUTER + 8 * 32 ||
	    ipa >= VGICD_BASE + GICD_IROUTER + 8 * 64)
		return;
	gic_follow_vspi((uint32_t)((ipa - VGICD_BASE - GICD_IROUTER) / 8));
}

/* ISS of a data abort with ISV = 1: SAS [23:22], SSE [21], SRT [20:16],
 * SF [15], WnR [6]. Only the vGIC frames are unmapped MMIO. */
static void handle_dabt(struct vcpu *v, uint32_t esr)
{
	bool write = esr & (1u << 6);
	uint64_t far = read_sysreg(far_el2);

	v->exits[EXIT_MMIO]++;
	if (!(esr & ESR_ISV)) {
		inject_abort(v, true, write, far);
		return;
	}
	unsigned len = 1u << ((esr >> 22) & 3), rt = (esr >> 16) & 31;
	uint64_t ipa = fault_ipa(), val = 0;
	int err;

	if (write) {
		val = get_reg(v, rt);
		err = vgic_mmio_write(g_vm, v->idx, ipa, len, val);
		if (!err)
			follow_irouter(ipa);
	} else {
		err = vgic_mmio_read(g_vm, v->idx, ipa, len, &val);
		if (!err && (esr & (1u << 21)) && len < 8)
			val = sign_extend(val, len);
		if (!err && !(esr & (1u << 15)))
			val &= 0xffffffffULL;
		if (!err)
			set_reg(v, rt, val);
	}
	if (err) {
		inject_abort(v, true, write, far);
		return;
	}
	v->pc += 4;
}

/* A fetch from an IPA that is not RAM: the architecture's answer is a
 * prefetch abort. */
static void handle_iabt(struct vcpu *v)
{
	v->exits[EXIT_IABT]++;
	inject_abort(v, false, false, read_sysreg(far_el2));
}

/* Trapped MSR/MRS (EC 0x18) ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14],
 * CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read). */
#define SYSREG_ISS(op0, op1, crn, crm, op2)                                    \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define SYSREG_MASK SYSREG_ISS(3, 7, 15, 15, 7)

static int sysreg_of(uint32_t iss, enum vgic_sysreg *out)
{
	switch (iss & SYSREG_MASK) {
	case SYSREG_ISS(3, 0, 12, 11, 5):
		*out = VGIC_SYSREG_SGI1R;
		return 0;
	case SYSREG_ISS(3, 0, 12, 11, 6):
		*out = VGIC_SYSREG_ASGI1R;
		return 0;
	case SYSREG_ISS(3, 0, 12, 11, 7):
		*out = VGIC_SYSREG_SGI0R;
		return 0;
	case SYSREG_ISS(3, 0, 12, 11, 1):
		*out = VGIC_SYSREG_DIR;
		return 0;
	default:
		return -1;
	}
}

static void handle_sysreg(struct vcpu *v, uint32_t esr)
{
	enum vgic_sysreg reg;
	bool read = esr & 1;
	unsigned rt = (esr >> 5) & 31;

	v->exits[EXIT_SYSREG]++;
	/* The SGI registers and DIR are write-only: a read is UNDEFINED. */
	if (read || sysreg_of(esr, &reg) ||
	    vgic_sysreg_write(g_vm, v->idx, reg, get_reg(v, rt))) {
		if (g_cfg.flags & HYPCFG_F_VERBOSE)
			hyp_printf("hyp: vcpu%u UNDEF sysreg ISS %x\n", v->idx,
				   esr & 0x1ffffff);
		inject_undef(v);
		return;
	}
	if (reg != VGIC_SYSREG_DIR)
		v->exits[EXIT_SGI_SENT]++;
	v->pc += 4;
}

/* WFI: block unless an interrupt is already deliverable (sched.c wakes
 * the vCPU). WFE: give the pCPU to another vCPU (spinlock holders). */
static void handle_wfx(struct vcpu *v, uint32_t esr)
{
	v->pc += 4;
	if (esr & 1) {
		v->exits[EXIT_WFE]++;
		atomic_store(&this_pcpu()->resched, true);
		return;
	}
	v->exits[EXIT_WFI]++;
	atomic_store(&v->state, VCPU_BLOCKED);
	atomic_thread_fence(memory_order_seq_cst);
	if (vgic_vcpu_pending(g_vm, v->idx))
		atomic_store(&v->state, VCPU_RUNNABLE);
}

void handle_sync_exit(struct vcpu *v)
{
	uint32_t esr = (uint32_t)read_sysreg(esr_el2);

	switch (esr >> 26) {
	case EC_DABT_LOW:
		handle_dabt(v, esr);
		break;
	case EC_IABT_LOW:
		handle_iabt(v);
		break;
	case EC_HVC64:
		v->exits[EXIT_HVC]++;
		psci_guest_call(v);
		break;
	case EC_SMC64:
		/* A trapped SMC returns to the SMC itself (Arm ARM D1.11.3). */
		v->exits[EXIT_SMC]++;
		v->pc += 4;
		psci_guest_call(v);
		break;
	case EC_SYS64:
		handle_sysreg(v, esr);
		break;
	case EC_WFX:
		handle_wfx(v, esr);
		break;
	default:
		v->exits[EXIT_OTHER]++;
		if (g_cfg.flags & HYPCFG_F_VERBOSE)
			hyp_printf("hyp: vcpu%u unhandled exit ESR %x at %lx: "
				   "UNDEF\n",
				   v->idx, esr, v->pc);
		inject_undef(v);
		break;
	}
}
