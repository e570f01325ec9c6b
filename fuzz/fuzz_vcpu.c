/* SPDX-License-Identifier: MIT */
/*
 * The list-register engine facing a hostile guest. vCPUs enter and exit
 * two physical CPUs of the model, the host injects, forwards and drives
 * lines, and the guests acknowledge, EOI and deactivate through the
 * model's ICV_* registers as they please: EOIs of what they never took,
 * DIRs of anything, EOImode and priority mask changes mid-flight, active
 * priority registers written with garbage, GICD/GICR accesses to the
 * state of interrupts another vCPU holds in its LRs.
 *
 * Checked: every flush's LR image and ICH_HCR_EL2 (fuzz_world.h); each
 * acknowledged INTID was presented pending; the lists after each exit;
 * and at the end, liveness: once the lines are low and the guests behave,
 * every interrupt that could be presented is taken.
 */
#include "fuzz_world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ICV_IAR: the INTID must have been in an LR loaded pending. */
static void guest_ack(uint32_t p, unsigned grp)
{
	uint32_t intid = model_guest_ack(&F.m, p, grp);

	if (intid != MODEL_SPURIOUS)
		fz_check_ack(p, intid);
}

static void guest_op(struct fz_in *in, uint8_t k)
{
	uint32_t p = (k >> 4) % FZ_PCPUS;
	uint32_t intid = fz_intid(in);

	if (F.running[p] == FZ_NONE)
		return;
	switch (k % 5) {
	case 0:
		guest_ack(p, (k >> 5) & 1);
		break;
	case 1:
		model_guest_eoi(&F.m, p, (k >> 5) & 1, intid);
		break;
	case 2:
		fz_guest_dir(p, intid);
		break;
	case 3:
		fz_guest_regs(in, p);
		break;
	default:
		fz_service_maint(p);
		break;
	}
}

/* A trapped access: the vCPU making it is out of the guest (synced)
 * while the host handles it, and enters again after. */
static int trap_begin(uint32_t v)
{
	int p = v < F.cfg.nr_vcpus ? fz_pcpu_of(v) : FZ_NONE;

	if (p != FZ_NONE)
		fz_exit((uint32_t)p);
	return p;
}

static void trap_end(uint32_t v, int p)
{
	if (p != FZ_NONE && F.running[p] == FZ_NONE && fz_pcpu_of(v) == FZ_NONE)
		fz_enter(v, (uint32_t)p);
}

/* The accessing vCPU of the next fz_mmio_op or fz_sysreg_op. */
static uint32_t next_vcpu(const struct fz_in *in)
{
	return fz_vcpu(in->n >= 2 ? in->p[1] : 0);
}

/* One guest access to the state of an interrupt, by name. */
static void guest_mmio(struct fz_in *in)
{
	static const uint32_t regs[] = {0x080, 0x100, 0x180, 0x200,
					0x280, 0x300, 0x380};
	uint8_t k = fz_u8(in);
	uint32_t v = fz_u8(in) % F.cfg.nr_vcpus;
	uint32_t intid = fz_intid(in) % 1020;
	uint64_t base = intid < 32 ? fz_frame_base(FR_SGI, v) : F.cfg.gicd_base;
	int p = trap_begin(v);

	switch (k % 10) {
	case 7:
		fz_write(v, base + 0x400 + intid, 1, fz_u8(in));
		break;
	case 8:
		fz_write(v, base + 0xc00 + intid / 16 * 4, 4, fz_uint(in, 4));
		break;
	case 9:
		if (intid >= 32)
			fz_write(v, base + 0x6000 + 8ull * intid, 8,
				 fz_uint(in, 5));
		break;
	default:
		fz_write(v, base + regs[k % 10] + intid / 32 * 4, 4,
			 1u << (intid % 32));
		break;
	}
	trap_end(v, p);
}

/* Enter, exit or switch out; the model's physical lines. */
static void host_switch(struct fz_in *in, uint8_t k)
{
	uint32_t p = (k >> 4) % FZ_PCPUS;
	uint32_t v = fz_u8(in) % F.cfg.nr_vcpus;

	switch (k % 4) {
	case 0:
		if (F.running[p] == FZ_NONE && fz_pcpu_of(v) == FZ_NONE)
			fz_enter(v, p);
		break;
	case 1:
		if (F.running[p] != FZ_NONE) {
			fz_exit(p);
			fz_check_state();
		}
		break;
	case 2:
		if (F.running[p] != FZ_NONE) {
			v = (uint32_t)F.running[p];
			fz_exit(p);
			FZ_CHECK(vgic_vcpu_put(F.vm, v) == 0);
		}
		break;
	default:
		model_set_line(&F.m, p, 16 + fz_u8(in) % 240, k & 0x40);
		break;
	}
}

/* ------------------------------------------------------- liveness */

static void mmio_w(uint32_t v, uint64_t gpa, uint64_t val)
{
	FZ_CHECK(vgic_mmio_write(F.vm, v, gpa, 4, val) == 0);
}

/* Host: lines low, nothing forwarded. Guest (by MMIO): nothing active,
 * every priority 0 so that PMR 0xff unmasks it. */
static void calm_down(void)
{
	fz_exit_all();
	for (uint32_t v = 0; v < F.cfg.nr_vcpus; v++) {
		uint64_t sgi = fz_frame_base(FR_SGI, v);
		for (uint32_t i = 16; i < 32; i++) {
			vgic_unmap_phys(F.vm, v, i);
			FZ_CHECK(vgic_set_level(F.vm, v, i, false) == 0);
		}
		mmio_w(v, sgi + 0x380, ~0u);
		for (uint32_t i = 0; i < 32; i += 4)
			mmio_w(v, sgi + 0x400 + i, 0);
	}
	for (uint32_t i = 32; i < fz_nr_intids(); i++) {
		vgic_unmap_phys(F.vm, 0, i);
		FZ_CHECK(vgic_set_level(F.vm, 0, i, false) == 0);
	}
	for (uint32_t i = 32; i < fz_nr_intids(); i += 4)
		mmio_w(0, F.cfg.gicd_base + 0x400 + i, 0);
	for (uint32_t i = 32; i < fz_nr_intids(); i += 32)
		mmio_w(0, F.cfg.gicd_base + 0x380 + i / 8, ~0u);
}

/* A well-behaved guest on vCPU `v` takes and completes all it can. */
static void drain_vcpu(uint32_t v)
{
	fz_enter(v, 0);
	model_guest_set_pmr(&F.m, 0, 0xff);
	model_guest_set_ctlr(&F.m, 0, 0);
	for (unsigned g = 0; g < 2; g++) {
		model_guest_set_igrpen(&F.m, 0, g, true);
		for (unsigned n = 0; n < 4; n++)
			model_guest_set_apr(&F.m, 0, g, n, 0);
	}
	for (int guard = 0;; guard++) {
		FZ_CHECK(guard < 4096);
		fz_service_maint(0);
		uint32_t intid = model_guest_ack(&F.m, 0, 1);
		unsigned g = 1;
		if (intid == MODEL_SPURIOUS) {
			intid = model_guest_ack(&F.m, 0, 0);
			g = 0;
		}
		if (intid == MODEL_SPURIOUS)
			break;
		model_guest_eoi(&F.m, 0, g, intid);
	}
	fz_exit(0);
}

static void check_drained(void)
{
	for (uint32_t v = 0; v < F.cfg.nr_vcpus; v++)
		for (uint32_t n = 0; n < VGIC_NR_PRIVATE; n++)
			FZ_CHECK(!vgic_irq_can_pend(F.vm,
						    &F.vm->vcpus[v].priv[n]));
	for (uint32_t n = 0; n < F.cfg.nr_spis; n++)
		FZ_CHECK(!vgic_irq_can_pend(F.vm, &F.vm->spis[n]));
}

static void liveness(void)
{
	calm_down();
	fz_check_state();
	for (uint32_t v = 0; v < F.cfg.nr_vcpus; v++)
		drain_vcpu(v);
	fz_check_state();
	check_drained();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = {data, size};

	fz_setup(&in);
	while (in.n) {
		uint8_t k = fz_u8(&in);
		switch (k % 8) {
		case 0:
		case 1:
			host_switch(&in, fz_u8(&in));
			break;
		case 2:
		case 3:
			guest_op(&in, fz_u8(&in));
			break;
		case 4:
			guest_mmio(&in);
			break;
		case 5:
			fz_host_op(&in);
			break;
		case 6: {
			uint32_t v = next_vcpu(&in);
			int p = trap_begin(v);
			fz_sysreg_op(&in);
			trap_end(v, p);
			break;
		}
		default: {
			uint32_t v = next_vcpu(&in);
			int p = trap_begin(v);
			fz_mmio_op(&in, (enum fz_frame)(k / 8 % 3));
			trap_end(v, p);
			break;
		}
		}
	}
	liveness();
	return 0;
}
