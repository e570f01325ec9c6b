/* SPDX-License-Identifier: MIT */
/*
 * Trapped ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1 and ICC_DIR_EL1
 * writes with any value from any vCPU, between guest accesses that set
 * the SGIs' groups and active states. Each SGI write is checked against
 * an independent decode of the register (IHI 0069, ICC_SGI1R_EL1): the
 * vCPUs named by Aff3.Aff2.Aff1 and the target list (or all but the
 * writer with IRM == 1) get the SGI pending, if its group allows (with
 * DS == 1, SGI1R raises either group, SGI0R and ASGI1R Group 0 only),
 * and nothing else changes.
 */
#include "fuzz_world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool pend0[FZ_MAX_VCPUS][16];

static uint64_t vcpu_mpidr(uint32_t v)
{
	return F.cfg.mpidr ? F.mpidr[v] : (uint64_t)(v % 16) | (v / 16) << 8;
}

static struct vgic_irq_state sgi_state(uint32_t v, uint32_t intid)
{
	struct vgic_irq_state st;

	FZ_CHECK(vgic_irq_state(F.vm, v, intid, &st) == 0);
	return st;
}

/* Is vCPU `t` named by the SGI register value `val` written by `self`? */
static bool sgi_targets(uint64_t val, uint32_t self, uint32_t t)
{
	if (val & (1ull << 40))
		return t != self;
	uint64_t mp = vcpu_mpidr(t);
	uint64_t aff0 = mp & 0xff;
	if ((mp >> 8 & 0xff) != (val >> 16 & 0xff) ||
	    (mp >> 16 & 0xff) != (val >> 32 & 0xff) ||
	    (mp >> 32 & 0xff) != (val >> 48 & 0xff))
		return false;
	if (aff0 / 16 != (val >> 44 & 0xf))
		return false;
	return (val >> (aff0 % 16)) & 1;
}

static void sgi_write(uint32_t self, enum vgic_sysreg reg, uint64_t val)
{
	uint32_t intid = (uint32_t)(val >> 24) & 0xf, raised = 0;
	struct vgic_stats s0, s1;

	for (uint32_t t = 0; t < F.cfg.nr_vcpus; t++)
		for (uint32_t i = 0; i < 16; i++)
			pend0[t][i] = sgi_state(t, i).pending;
	vgic_get_stats(F.vm, &s0);
	FZ_CHECK(vgic_sysreg_write(F.vm, self, reg, val) == 0);
	vgic_get_stats(F.vm, &s1);
	for (uint32_t t = 0; t < F.cfg.nr_vcpus; t++) {
		for (uint32_t i = 0; i < 16; i++) {
			struct vgic_irq_state st = sgi_state(t, i);
			bool hit = i == intid && sgi_targets(val, self, t) &&
				   (reg == VGIC_SYSREG_SGI1R || !st.group1);
			FZ_CHECK(st.pending == (pend0[t][i] || hit));
			raised += hit;
		}
	}
	FZ_CHECK(s1.sgis - s0.sgis == raised);
}

/* ICC_DIR_EL1: the named interrupt is inactive after; a name beyond the
 * configuration is counted. */
static void dir_write(uint32_t self, uint64_t val)
{
	uint32_t intid = (uint32_t)val & 0xffffff;
	struct vgic_stats s0, s1;
	struct vgic_irq_state st;

	vgic_get_stats(F.vm, &s0);
	FZ_CHECK(vgic_sysreg_write(F.vm, self, VGIC_SYSREG_DIR, val) == 0);
	vgic_get_stats(F.vm, &s1);
	if (intid < fz_nr_intids()) {
		FZ_CHECK(vgic_irq_state(F.vm, self, intid, &st) == 0);
		FZ_CHECK(!st.active);
		FZ_CHECK(s1.bad_intid == s0.bad_intid);
	} else {
		FZ_CHECK(s1.bad_intid == s0.bad_intid + 1);
	}
}

/* Set the group and active bits of one vCPU's SGIs and PPIs as its guest
 * would (GICR_IGROUPR0, GICR_ISACTIVER0). */
static void priv_config(struct fz_in *in)
{
	uint32_t v = fz_u8(in) % F.cfg.nr_vcpus;
	uint64_t sgi = fz_frame_base(FR_SGI, v);

	fz_write(v, sgi + 0x80, 4, fz_uint(in, 4));
	fz_write(v, sgi + 0x300, 4, fz_uint(in, 2));
}

/* An SGI register value: the fuzzer's bytes, with the affinity fields
 * often pointed at an existing vCPU so that target lists hit. */
static uint64_t sgi_value(struct fz_in *in)
{
	uint64_t val = fz_uint(in, 8);
	uint8_t b = fz_u8(in);

	if (b & 1) {
		uint64_t mp = vcpu_mpidr(b / 2 % F.cfg.nr_vcpus);
		val &= ~(0xffull << 16 | 0xffull << 32 | 0xffull << 48 |
			 0xfull << 44);
		val |= (mp >> 8 & 0xff) << 16 | (mp >> 16 & 0xff) << 32 |
		       (mp >> 32 & 0xff) << 48 | ((mp & 0xff) / 16) << 44;
	}
	return val;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = {data, size};

	fz_setup(&in);
	while (in.n) {
		uint8_t k = fz_u8(&in);
		uint32_t self = fz_u8(&in) % F.cfg.nr_vcpus;
		switch (k % 8) {
		case 0:
		case 1:
			sgi_write(self, VGIC_SYSREG_SGI1R, sgi_value(&in));
			break;
		case 2:
			sgi_write(self, VGIC_SYSREG_SGI0R, sgi_value(&in));
			break;
		case 3:
			sgi_write(self, VGIC_SYSREG_ASGI1R, sgi_value(&in));
			break;
		case 4:
			dir_write(self, fz_uint(&in, 4));
			break;
		case 5:
			priv_config(&in);
			break;
		case 6:
			fz_sysreg_op(&in);
			break;
		default:
			fz_mmio_op(&in, FR_SGI);
			break;
		}
	}
	fz_check_state();
	return 0;
}
