/* SPDX-License-Identifier: MIT */
/*
 * The physical GICv3 as the hypervisor drives it (IHI 0069), and the
 * ICH_* half of the world switch.
 *
 * QEMU virt without EL3 has one Security state (GICD_CTLR.DS reads 1):
 * GICD_CTLR is ARE (bit 4) | EnableGrp1 (bit 1). All our interrupts are
 * Group 1. The CPU interface runs with ICC_CTLR_EL1.EOImode = 1: EOIR only
 * drops the priority, DIR deactivates. A forwarded interrupt is left
 * active after EOIR and deactivated by the guest through the HW bit of its
 * list register.
 */
#include "hyp.h"

#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080a0000UL
#define GICR_STRIDE 0x20000UL
#define GICR_SGI 0x10000UL

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_ENGRP1 (1u << 1)
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_PSLEEP (1u << 1)
#define GICR_WAKER_CASLEEP (1u << 2)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400

#define PRIO_DEFAULT 0xa0

static inline volatile uint32_t *gicd(unsigned off)
{
	return (volatile uint32_t *)(GICD_BASE + off);
}

/* QEMU numbers redistributors like CPUs: pCPU i owns frame i. */
static inline volatile uint32_t *gicr_sgi(uint32_t pcpu, unsigned off)
{
	return (volatile uint32_t *)(GICR_BASE + pcpu * GICR_STRIDE + GICR_SGI +
				     off);
}

static inline volatile uint32_t *gicr_rd(uint32_t pcpu, unsigned off)
{
	return (volatile uint32_t *)(GICR_BASE + pcpu * GICR_STRIDE + off);
}

static void gicd_wait_rwp(void)
{
	while (*gicd(GICD_CTLR) & GICD_CTLR_RWP)
		;
}

static uint64_t mpidr_to_irouter(uint64_t mpidr)
{
	return mpidr & 0xff00ffffffULL; /* Aff3.Aff2.Aff1.Aff0, IRM = 0 */
}

/* Distributor: affinity routing, Group 1; the UART SPI to pCPU 0. */
void gic_dist_init(void)
{
	uint32_t lines = ((*gicd(GICD_TYPER) & 0x1f) + 1) * 32;

	*gicd(GICD_CTLR) = 0;
	gicd_wait_rwp();
	for (uint32_t i = 32; i < lines; i += 32) {
		*gicd(GICD_ICENABLER + i / 8) = ~0u;
		*gicd(GICD_IGROUPR + i / 8) = ~0u;
	}
	*gicd(GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENGRP1;
	gicd_wait_rwp();

	volatile uint8_t *prio =
		(volatile uint8_t *)(GICD_BASE + GICD_IPRIORITYR);
	prio[INTID_UART] = PRIO_DEFAULT;
	volatile uint64_t *irouter =
		(volatile uint64_t *)(GICD_BASE + GICD_IROUTER +
				      8 * INTID_UART);
	*irouter = mpidr_to_irouter(read_sysreg(mpidr_el1));
	*gicd(GICD_ISENABLER + (INTID_UART / 32) * 4) = 1u << (INTID_UART % 32);
}

static void gicr_wake(uint32_t pcpu)
{
	*gicr_rd(pcpu, GICR_WAKER) &= ~GICR_WAKER_PSLEEP;
	while (*gicr_rd(pcpu, GICR_WAKER) & GICR_WAKER_CASLEEP)
		;
}

/* ICC_SRE_EL2: SRE | DFB | DIB | Enable (EL1 may use ICC_SRE_EL1). */
static void icc_init(void)
{
	write_sysreg(ICC_SRE_EL2, 0xf);
	isb();
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_CTLR_EL1, 1u << 1); /* EOImode: drop, then DIR */
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	isb();
}

/* Our redistributor: awake, private interrupts Group 1, only the ones
 * we handle enabled: the kick SGI, maintenance, CNTHP and CNTV. */
void gic_cpu_init(struct pcpu *p)
{
	uint32_t id = p->id;
	uint64_t typer = *(volatile uint64_t *)gicr_rd(id, GICR_TYPER);

	if ((typer >> 32) != mpidr_to_irouter(p->mpidr))
		hyp_panic("redistributor affinity does not match MPIDR");
	gicr_wake(id);
	*gicr_sgi(id, GICR_ICENABLER0) = ~0u;
	*gicr_sgi(id, GICR_IGROUPR0) = ~0u;
	for (unsigned i = 0; i < 32; i += 4)
		*gicr_sgi(id, GICR_IPRIORITYR + i) = PRIO_DEFAULT * 0x01010101u;
	*gicr_sgi(id, GICR_ICACTIVER0) = ~0u;
	*gicr_sgi(id, GICR_ISENABLER0) =
		(1u << INTID_SGI_KICK) | (1u << INTID_MAINT) |
		(1u << INTID_HYPTIMER) | (1u << INTID_VTIMER);
	icc_init();
}

/* ICC_SGI1R_EL1: Aff3.Aff2.Aff1 of the target, TargetList bit Aff0 % 16,
 * RS = Aff0 / 16 (IHI 0069, ICC_SGI1R_EL1). */
void gic_send_kick(uint32_t pcpu)
{
	uint64_t m = g_pcpus[pcpu].mpidr;
	uint64_t aff0 = m & 0xff;
	uint64_t v = ((m >> 32) & 0xff) << 48 | ((m >> 16) & 0xff) << 32 |
		     ((m >> 8) & 0xff) << 16 | (aff0 / 16) << 44 |
		     (uint64_t)INTID_SGI_KICK << 24 | 1ULL << (aff0 % 16);

	dsb(ishst);
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

/* PPIs live in the redistributor of `pcpu`, SPIs in the distributor. */
void gic_phys_set_active(uint32_t pcpu, uint32_t pintid, bool active)
{
	uint32_t bit = 1u << (pintid % 32);

	if (pintid < 32)
		*gicr_sgi(pcpu, active ? GICR_ISACTIVER0 : GICR_ICACTIVER0) =
			bit;
	else
		*gicd((active ? GICD_ISACTIVER : GICD_ICACTIVER) +
		      (pintid / 32) * 4) = bit;
	dsb(sy);
}

/* A level SPI's line: GICD_ISPENDR reads pending, which for a level
 * interrupt that is active follows the input line. */
bool gic_spi_line(uint32_t pintid)
{
	return *gicd(GICD_ISPENDR + (pintid / 32) * 4) & (1u << (pintid % 32));
}

/* ------------------------------------------------ ICH world switch */

#define LR_CASE(n, op)                                                         \
	case n:                                                                \
		op(S3_4_C12_C12_##n, S3_4_C12_C13_##n);                        \
		break;
#define LR_SWITCH(idx, op)                                                     \
	switch ((idx)&7) {                                                     \
		LR_CASE(0, op)                                                 \
		LR_CASE(1, op)                                                 \
		LR_CASE(2, op) LR_CASE(3, op) LR_CASE(4, op) LR_CASE(5, op)    \
			LR_CASE(6, op) LR_CASE(7, op)                          \
	}

static void lr_write(unsigned n, uint64_t v)
{
#define W(lo, hi)                                                              \
	do {                                                                   \
		if (n < 8)                                                     \
			write_sysreg(lo, v);                                   \
		else                                                           \
			write_sysreg(hi, v);                                   \
	} while (0)
	LR_SWITCH(n, W)
#undef W
}

static uint64_t lr_read(unsigned n)
{
	uint64_t v = 0;
#define R(lo, hi) (v = n < 8 ? read_sysreg(lo) : read_sysreg(hi))
	LR_SWITCH(n, R)
#undef R
	return v;
}

/* Load what vgic_flush chose. Unused LRs are cleared so that no stale
 * interrupt of another vCPU survives a switch. With 5 priority bits only
 * ICH_AP<n>R0_EL2 exist (IHI 0069, ICH_AP1R<n>_EL2). */
void ich_load(const struct vgic_cpu_if *cif)
{
	for (unsigned n = 0; n < g_nr_lrs; n++)
		lr_write(n, n < cif->nr_lrs_used ? cif->lr[n] : 0);
	write_sysreg(ICH_AP0R0_EL2, cif->ap0r[0]);
	write_sysreg(ICH_AP1R0_EL2, cif->ap1r[0]);
	write_sysreg(ICH_VMCR_EL2, cif->vmcr);
	write_sysreg(ICH_HCR_EL2, cif->hcr);
}

/* Read back what the guest left, then disable the virtual CPU interface
 * (ICH_HCR_EL2.En = 0) so it cannot raise maintenance interrupts while
 * the hypervisor runs or idles. */
void ich_save(struct vgic_cpu_if *cif)
{
	cif->elrsr = (uint32_t)read_sysreg(ICH_ELRSR_EL2);
	cif->misr = (uint32_t)read_sysreg(ICH_MISR_EL2);
	cif->eisr = (uint32_t)read_sysreg(ICH_EISR_EL2);
	cif->hcr = (uint32_t)read_sysreg(ICH_HCR_EL2);
	cif->vmcr = (uint32_t)read_sysreg(ICH_VMCR_EL2);
	cif->ap0r[0] = (uint32_t)read_sysreg(ICH_AP0R0_EL2);
	cif->ap1r[0] = (uint32_t)read_sysreg(ICH_AP1R0_EL2);
	for (unsigned n = 0; n < cif->nr_lrs_used; n++)
		if (!(cif->elrsr & (1u << n)))
			cif->lr[n] = lr_read(n);
	write_sysreg(ICH_HCR_EL2, 0);
	isb();
}

/* ------------------------------------------------- physical IRQs */

static void count(struct vcpu *v, enum exit_cause c)
{
	if (v)
		v->exits[c]++;
}

/* One acknowledged interrupt. Forwarded ones (the running vCPU's CNTV,
 * the UART) are only priority-dropped: they stay active until the guest
 * deactivates them through the HW list register (seed 001). */
static void handle_one(struct vcpu *v, uint32_t intid)
{
	struct pcpu *p = this_pcpu();

	write_sysreg(ICC_EOIR1_EL1, intid);
	switch (intid) {
	case INTID_VTIMER:
		if (p->loaded) {
			count(v, EXIT_VTIMER);
			vgic_inject_phys(g_vm, p->loaded->idx, INTID_VTIMER);
			return;
		}
		/* No vCPU owns the timer: it was a stale edge. */
		break;
	case INTID_UART:
		count(v, EXIT_UART);
		vgic_inject_phys(g_vm, 0, INTID_UART);
		return;
	case INTID_HYPTIMER:
		count(v, EXIT_TICK);
		sched_tick(p);
		break;
	case INTID_MAINT:
		count(v, EXIT_MAINT);
		break;
	case INTID_SGI_KICK:
		count(v, EXIT_KICK);
		break;
	default:
		hyp_printf("hyp: unexpected physical INTID %u\n", intid);
		break;
	}
	write_sysreg(ICC_DIR_EL1, intid);
}

/* Drain ICC_IAR1_EL1 until it reads a special INTID (1020-1023). */
void gic_handle_irqs(struct vcpu *v)
{
	for (;;) {
		uint32_t intid = (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (intid >= 1020 && intid <= 1023)
			return;
		handle_one(v, intid);
	}
}
