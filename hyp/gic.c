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
#define GICR_SGI 0x10000UL
/* GICv3: RD_base + SGI_base; GICv4 adds VLPI_base and a reserved frame. */
#define GICR_STRIDE_V3 0x20000UL
#define GICR_STRIDE_V4 0x40000UL
#define GICR_MAX_FRAMES 128

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
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PSLEEP (1u << 1)
#define GICR_WAKER_CASLEEP (1u << 2)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ISPENDR0 0x0200
#define GICR_ICENABLER0 0x0180
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400

#define PRIO_DEFAULT 0xa0

static inline volatile uint32_t *gicd(unsigned off)
{
	return (volatile uint32_t *)(GICD_BASE + off);
}

/* Each pCPU's redistributor, found by gic_cpu_init (gicr_find). */
static inline volatile uint32_t *gicr_sgi(uint32_t pcpu, unsigned off)
{
	return (volatile uint32_t *)(g_pcpus[pcpu].gicr + GICR_SGI + off);
}

static inline volatile uint32_t *gicr_rd(uint32_t pcpu, unsigned off)
{
	return (volatile uint32_t *)(g_pcpus[pcpu].gicr + off);
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

/* The physical SPIs forwarded to the guest, each as the same vINTID. */
bool gic_forwarded_spi(uint32_t intid)
{
	return intid == INTID_UART ||
	       (intid >= INTID_INTX_FIRST && intid <= INTID_INTX_LAST);
}

static volatile uint64_t *gicd_irouter(uint32_t intid)
{
	return (volatile uint64_t *)(GICD_BASE + GICD_IROUTER + 8 * intid);
}

/* Distributor: affinity routing, Group 1; the forwarded SPIs (UART, PCIe
 * INTx) enabled and routed to pCPU 0 until their guest routing is known. */
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
	for (uint32_t i = 32; i < 64; i++) {
		if (!gic_forwarded_spi(i))
			continue;
		prio[i] = PRIO_DEFAULT;
		*gicd_irouter(i) = mpidr_to_irouter(read_sysreg(mpidr_el1));
		*gicd(GICD_ISENABLER + (i / 32) * 4) = 1u << (i % 32);
	}
}

/*
 * Physical routing of forwarded SPIs follows the guest's: each goes to
 * the pCPU that runs the vCPU libvgic routes the virtual SPI to, so that
 * it arrives where it is taken, without a kick. Re-evaluated when the
 * guest writes the SPI's GICD_IROUTER and after each arrival (1-of-N
 * routing and GICR_WAKER changes show up there). Moving a pending or
 * active SPI is harmless: its active state lives in the distributor, and
 * the guest's deactivation through the HW bit reaches it from any CPU.
 */
static spinlock_t route_lock;
static atomic_uchar spi_pcpu[64]; /* current physical route, pCPU index */

void gic_spi_route(uint32_t pintid, uint32_t pcpu)
{
	*gicd_irouter(pintid) = mpidr_to_irouter(g_pcpus[pcpu].mpidr);
	atomic_store_explicit(&spi_pcpu[pintid % 64], (unsigned char)pcpu,
			      memory_order_relaxed);
}

static int routed_to(uint32_t pintid)
{
	return atomic_load_explicit(&spi_pcpu[pintid % 64],
				    memory_order_relaxed);
}

/* The pCPU of the vCPU the guest routes `intid` to, or -1 for none. */
static int vspi_pcpu(uint32_t intid)
{
	struct vgic_irq_state st;

	if (vgic_irq_state(g_vm, 0, intid, &st) || st.target < 0 ||
	    (uint32_t)st.target >= g_cfg.nr_vcpus)
		return -1;
	return (int)g_vcpus[st.target].pcpu;
}

void gic_follow_vspi(uint32_t intid)
{
	if (!gic_forwarded_spi(intid))
		return;
	int pcpu = vspi_pcpu(intid);
	if (pcpu < 0 || routed_to(intid) == pcpu)
		return; /* the common case: nothing to do, no lock */
	spin_lock(&route_lock);
	pcpu = vspi_pcpu(intid); /* again, serialised with other pCPUs */
	if (pcpu >= 0 && routed_to(intid) != pcpu)
		gic_spi_route(intid, (uint32_t)pcpu);
	spin_unlock(&route_lock);
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

/*
 * Find the redistributor whose GICR_TYPER.Affinity is this pCPU's MPIDR.
 * Frames are 0x20000 apart on a GICv3 and 0x40000 on a GICv4 (VLPI
 * frames; GICR_TYPER.VLPIS says which); Last ends the region.
 */
static uintptr_t gicr_find(uint64_t mpidr)
{
	uintptr_t rd = GICR_BASE;

	for (unsigned i = 0; i < GICR_MAX_FRAMES; i++) {
		uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);
		if ((typer >> 32) == mpidr_to_irouter(mpidr))
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		rd += (typer & GICR_TYPER_VLPIS) ? GICR_STRIDE_V4
						 : GICR_STRIDE_V3;
	}
	hyp_panic("no redistributor's affinity matches this MPIDR");
}

/* Our redistributor: awake, private interrupts Group 1, only the ones
 * we handle enabled: the kick SGI, maintenance, CNTHP and CNTV. */
void gic_cpu_init(struct pcpu *p)
{
	uint32_t id = p->id;

	p->gicr = gicr_find(p->mpidr);
	uint64_t typer = *(volatile uint64_t *)gicr_rd(id, GICR_TYPER);
	bool v4 = typer & GICR_TYPER_VLPIS;
	if (id == 0 && v4 != (g_cfg.gic_version == 4))
		hyp_printf("hyp: hypcfg gic_version %u, but the GIC is a "
			   "GICv%u\n",
			   g_cfg.gic_version, v4 ? 4 : 3);
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
	its_cpu_init(p);
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

/* For debug_dump: the redistributor's view of `pcpu`'s SGIs and PPIs. */
void gic_dump_ppis(uint32_t pcpu)
{
	hyp_printf("dump: pcpu%u gicr enabled %x pending %x active %x\n", pcpu,
		   *gicr_sgi(pcpu, GICR_ISENABLER0),
		   *gicr_sgi(pcpu, GICR_ISPENDR0),
		   *gicr_sgi(pcpu, GICR_ISACTIVER0));
}

/* A level SPI's line: GICD_ISPENDR reads pending, which for a level
 * interrupt that is active follows the input line. */
bool gic_spi_line(uint32_t pintid)
{
	return *gicd(GICD_ISPENDR + (pintid / 32) * 4) & (1u << (pintid % 32));
}

/* ------------------------------------------------ ICH world switch */

/* ICH_LR<n>_EL2: n < 8 is S3_4_C12_C12_<n>, n >= 8 is S3_4_C12_C13_<n-8>. */
#define LR_CASE(n, op)                                                         \
	case n:                                                                \
		op(S3_4_C12_C12_##n, S3_4_C12_C13_##n);                        \
		break
#define LR_SWITCH(idx, op)                                                     \
	switch ((idx)&7) {                                                     \
		LR_CASE(0, op);                                                \
		LR_CASE(1, op);                                                \
		LR_CASE(2, op);                                                \
		LR_CASE(3, op);                                                \
		LR_CASE(4, op);                                                \
		LR_CASE(5, op);                                                \
		LR_CASE(6, op);                                                \
		LR_CASE(7, op);                                                \
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
 * the UART and PCIe INTx SPIs) are only priority-dropped: they stay
 * active until the guest deactivates them through the HW list register
 * (seed 001). */
static void handle_one(struct vcpu *v, uint32_t intid)
{
	struct pcpu *p = this_pcpu();

	write_sysreg(ICC_EOIR1_EL1, intid);
	/* An LPI has no active state: the priority drop ends it. */
	if (its_handle_lpi(intid)) {
		count(v, EXIT_LPI);
		return;
	}
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
	case INTID_INTX_FIRST:
	case INTID_INTX_FIRST + 1:
	case INTID_INTX_FIRST + 2:
	case INTID_INTX_LAST:
		count(v, intid == INTID_UART ? EXIT_UART : EXIT_INTX);
		vgic_inject_phys(g_vm, 0, intid);
		gic_follow_vspi(intid);
		return;
	case INTID_HYPTIMER:
		count(v, EXIT_TICK);
		sched_tick(p);
		break;
	case INTID_MAINT:
		count(v, EXIT_MAINT);
		break;
	case INTID_SGI_KICK:
		/* Another pCPU changed the state of one of our vCPUs (woke
		 * it, CPU_ON, resumed it) or wants ours out of its guest:
		 * let the scheduler look again. */
		count(v, EXIT_KICK);
		atomic_store(&p->resched, true);
		if (debug_dump_requested(p))
			debug_dump_local(p);
		break;
	default:
		if (g_cfg.flags & HYPCFG_F_VERBOSE)
			hyp_printf("hyp: unexpected physical INTID %u\n",
				   intid);
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
