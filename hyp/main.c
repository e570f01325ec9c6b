/* SPDX-License-Identifier: MIT */
/*
 * Boot: every pCPU enables its EL2 MMU, programs its EL2 controls and
 * joins the scheduler. pCPU 0 also reads the boot contract (hypcfg.h),
 * builds the vGIC with libvgic and starts the other pCPUs with PSCI.
 */
#include "hyp.h"

struct hypcfg g_cfg;
struct vgic_vm *g_vm;
struct vcpu g_vcpus[HYP_MAX_VCPUS];
struct pcpu g_pcpus[HYP_MAX_PCPUS];
uint32_t g_nr_lrs;
uint64_t g_timer_freq;

char hyp_stacks[HYP_MAX_PCPUS * HYP_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t vm_mem[256 * 1024] __attribute__((aligned(16)));
static atomic_bool vcpus_assigned;

/* HCR_EL2 (Arm ARM D17.2.48): stage 2 on (VM), set/way invalidate as
 * clean+invalidate (SWIO), physical FIQ/IRQ/SError to EL2 and the
 * virtual CPU interface for EL1 (FMO/IMO/AMO), broadcast TLB and cache
 * maintenance and inner-shareable barriers (FB, BSU), trap WFI/WFE and
 * SMC, EL1 is AArch64 (RW). */
#define HCR_EL2_VAL                                                            \
	((1ULL << 0) | (1ULL << 1) | (1ULL << 3) | (1ULL << 4) | (1ULL << 5) | \
	 (1ULL << 9) | (1ULL << 10) | (1ULL << 13) | (1ULL << 14) |            \
	 (1ULL << 19) | (1ULL << 31))
/* CPTR_EL2 (nVHE): RES1 bits only, TFP = 0: FP/SIMD not trapped. */
#define CPTR_EL2_VAL 0x33ffULL
/* CNTHCTL_EL2: EL1PCTEN = 1 (physical counter readable), EL1PCEN = 0
 * (the EL1 physical timer traps: guests use the virtual timer). */
#define CNTHCTL_EL2_VAL 0x1ULL

static void el2_controls_init(void)
{
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;

	write_sysreg(hcr_el2, HCR_EL2_VAL);
	write_sysreg(cptr_el2, CPTR_EL2_VAL);
	write_sysreg(cnthctl_el2, CNTHCTL_EL2_VAL);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cnthp_ctl_el2, 0);
	write_sysreg(mdcr_el2, pmcr_n); /* HPMN: all counters to EL1 */
	write_sysreg(hstr_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	isb();
}

/* ------------------------------------------------------- host ops */

static void host_kick(void *ctx, uint32_t vcpu)
{
	(void)ctx;
	sched_kick(vcpu);
}

/* A PPI's active state is per redistributor: only touch it while the
 * vCPU is the one loaded on its pCPU (flush sets it again on load). */
static void host_phys_set_active(void *ctx, uint32_t vcpu, uint32_t pintid,
				 bool active)
{
	struct vcpu *v = &g_vcpus[vcpu];

	(void)ctx;
	if (pintid < 32 && g_pcpus[v->pcpu].loaded != v)
		return;
	gic_phys_set_active(v->pcpu, pintid, active);
}

static bool host_phys_line_level(void *ctx, uint32_t vcpu, uint32_t pintid)
{
	(void)ctx;
	if (pintid == INTID_VTIMER)
		return vcpu_vtimer_level(&g_vcpus[vcpu]);
	if (pintid >= 32)
		return gic_spi_line(pintid);
	return false;
}

static void inc(atomic_ulong *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

/* Only for the counters (hyp/README.md): SGIs that became pending for a
 * vCPU (whoever sent them), and the SGIs and virtual timer interrupts its
 * guest acknowledged (LR pending at flush, no longer at sync), however
 * they were raised. Called with library locks held, from any pCPU. */
static void host_trace(void *ctx, const struct vgic_trace *ev)
{
	(void)ctx;
	if (ev->vcpu >= g_cfg.nr_vcpus)
		return;
	struct vcpu *v = &g_vcpus[ev->vcpu];
	if (ev->kind == VGIC_TRACE_INJECT && ev->intid < VGIC_NR_SGIS)
		inc(&v->sgi_recv);
	else if (ev->kind == VGIC_TRACE_ACK && ev->intid < VGIC_NR_SGIS)
		inc(&v->sgi_ack);
	else if (ev->kind == VGIC_TRACE_ACK && ev->intid == INTID_VTIMER)
		inc(&v->vtimer_ack);
}

static void host_vcpu_stop(void *ctx, uint32_t vcpu)
{
	(void)ctx;
	sched_vcpu_stop(vcpu);
}

static void host_vcpu_resume(void *ctx, uint32_t vcpu)
{
	(void)ctx;
	sched_vcpu_resume(vcpu);
}

/* Guest memory for libvgic (LPI tables, the vITS's tables and queue):
 * guest RAM only, which EL2 maps identically (IPA == PA). */
static bool guest_range(uint64_t gpa, size_t len)
{
	return gpa >= GUEST_RAM_BASE && len <= GUEST_RAM_SIZE &&
	       gpa - GUEST_RAM_BASE <= GUEST_RAM_SIZE - len;
}

static bool host_guest_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	(void)ctx;
	if (!guest_range(gpa, len))
		return false;
	__builtin_memcpy(buf, (const void *)(uintptr_t)gpa, len);
	return true;
}

static bool host_guest_write(void *ctx, uint64_t gpa, const void *buf,
			     size_t len)
{
	(void)ctx;
	if (!guest_range(gpa, len))
		return false;
	__builtin_memcpy((void *)(uintptr_t)gpa, buf, len);
	return true;
}

static struct vgic_host_ops host_ops = {
	.version = VGIC_HOST_OPS_VERSION,
	.kick = host_kick,
	.phys_set_active = host_phys_set_active,
	.phys_line_level = host_phys_line_level,
	.trace = host_trace,
	.vcpu_stop = host_vcpu_stop,
	.vcpu_resume = host_vcpu_resume,
	.guest_read = host_guest_read,
	.guest_write = host_guest_write,
};

/* -------------------------------------------------------- boot */

static void load_config(void)
{
	const volatile struct hypcfg *c =
		(const volatile struct hypcfg *)HYPCFG_ADDR;

	if (c->magic != HYPCFG_MAGIC || c->version != HYPCFG_VERSION) {
		hyp_printf("hyp: no valid struct hypcfg at %llx: defaults "
			   "(1 vCPU, 1 pCPU, raw guest at %llx)\n",
			   HYPCFG_ADDR, GUEST_RAW_ENTRY);
		g_cfg = (struct hypcfg){
			.nr_vcpus = 1,
			.nr_pcpus = 1,
			.gic_version = 3,
			.guest_entry = GUEST_RAW_ENTRY,
			.guest_dtb = GUEST_DTB_ADDR,
		};
	} else {
		g_cfg = *(const struct hypcfg *)HYPCFG_ADDR;
	}
	if (g_cfg.nr_vcpus < 1 || g_cfg.nr_vcpus > HYP_MAX_VCPUS ||
	    g_cfg.nr_pcpus < 1 || g_cfg.nr_pcpus > HYP_MAX_PCPUS ||
	    g_cfg.guest_entry < GUEST_RAM_BASE ||
	    g_cfg.guest_entry >= GUEST_RAM_BASE + GUEST_RAM_SIZE)
		hyp_panic("struct hypcfg out of range");
	if (g_cfg.timeslice_us == 0)
		g_cfg.timeslice_us = 10000;
	if (g_cfg.gic_version != 3)
		hyp_printf("hyp: gic_version %u: the guest sees a GICv3 "
			   "(no vLPIs yet)\n",
			   g_cfg.gic_version);
}

static void vgic_setup(void)
{
	uint64_t vtr = read_sysreg(ICH_VTR_EL2);
	struct vgic_config c;

	vgic_config_default(&c);
	g_nr_lrs = (uint32_t)(vtr & 0x1f) + 1; /* ListRegs */
	c.nr_lrs = (uint8_t)g_nr_lrs;
	c.pri_bits = (uint8_t)(((vtr >> 29) & 7) + 1); /* PRIbits */
	c.nr_vcpus = g_cfg.nr_vcpus;
	c.nr_spis = 64;
	if (g_cfg.flags & (HYPCFG_F_LPIS | HYPCFG_F_ITS)) {
		c.lpi_id_bits = 16;
		c.nr_lpi_slots = 512;
	}
	if (its_enabled()) {
		static const uint64_t its_base = 0x08080000;
		c.nr_its = 1;
		c.its_base = &its_base;
		c.nr_pt_devices = 32;
		c.pt_policy = g_cfg.flags & HYPCFG_F_PT_MASK ? VGIC_PT_MASK
							     : VGIC_PT_MERGE;
		its_host_ops(&host_ops);
	}
	size_t size = vgic_vm_size(&c);
	if (!size || size > sizeof(vm_mem))
		hyp_panic("vgic_vm_size: configuration too big");
	int err = vgic_vm_init(vm_mem, sizeof(vm_mem), &c, &host_ops, NULL,
			       &g_vm);
	if (err)
		hyp_panic(vgic_strerror(err));
	for (uint32_t i = 0; i < g_cfg.nr_vcpus; i++)
		if (vgic_map_phys(g_vm, i, INTID_VTIMER, INTID_VTIMER))
			hyp_panic("vgic_map_phys(vtimer)");
	if (vgic_map_phys(g_vm, 0, INTID_UART, INTID_UART))
		hyp_panic("vgic_map_phys(uart)");
	for (uint32_t i = INTID_INTX_FIRST; i <= INTID_INTX_LAST; i++)
		if (vgic_map_phys(g_vm, 0, i, i))
			hyp_panic("vgic_map_phys(PCIe INTx)");
	hyp_printf("hyp: vGIC: %u vCPUs, %u SPIs, %u LRs, %u priority bits\n",
		   c.nr_vcpus, c.nr_spis, c.nr_lrs, c.pri_bits);
}

/* vCPU i: Aff0 = i % 16, Aff1 = i / 16 (libvgic's default affinity). */
static void vcpus_assign(uint32_t nr_pcpus)
{
	for (uint32_t i = 0; i < g_cfg.nr_vcpus; i++) {
		struct vcpu *v = &g_vcpus[i];
		struct pcpu *p = &g_pcpus[i % nr_pcpus];
		v->idx = i;
		v->pcpu = p->id;
		v->mpidr = (1ULL << 31) | ((i / 16) << 8) | (i % 16);
		atomic_store(&v->state, VCPU_OFF);
		vcpu_reset(v, 0, 0);
		p->vcpus[p->nr_vcpus++] = v;
	}
}

static uint32_t start_secondaries(void)
{
	uint32_t n = 1;

	for (uint32_t i = 1; i < g_cfg.nr_pcpus; i++) {
		g_pcpus[i].id = i;
		int r = psci_cpu_on_phys(i, (uint64_t)secondary_entry, i);
		if (r) {
			hyp_printf("hyp: PSCI CPU_ON of pCPU %u: %d\n", i, r);
			break;
		}
		/* yield: under -icount QEMU runs the CPUs in turn on one
		 * thread and an empty spin would never hand it over. */
		while (!atomic_load(&g_pcpus[i].online))
			__asm__ volatile("yield");
		n++;
	}
	return n;
}

static void banner(struct pcpu *p)
{
	hyp_printf("hyp: pCPU %u up at EL%lu, MPIDR %lx\n", p->id,
		   (read_sysreg(CurrentEL) >> 2) & 3, p->mpidr);
}

_Noreturn static void boot_primary(struct pcpu *p)
{
	g_timer_freq = read_sysreg(cntfrq_el0);
	hyp_printf("\nhyp: libvgic reference hypervisor\n");
	banner(p);
	if (((read_sysreg(CurrentEL) >> 2) & 3) != 2)
		hyp_panic(
			"not entered at EL2 (need -M virt,virtualization=on)");
	load_config();
	gic_dist_init();
	its_init();
	gic_cpu_init(p);
	atomic_store(&p->online, true);
	vgic_setup();
	its_declare_devices();
	uint32_t m = start_secondaries();
	vcpus_assign(m);
	atomic_store(&vcpus_assigned, true);
	hyp_printf("hyp: %u vCPUs on %u pCPUs, guest at %lx, DTB %lx\n",
		   g_cfg.nr_vcpus, m, g_cfg.guest_entry, g_cfg.guest_dtb);
	g_vcpus[0].boot_pc = g_cfg.guest_entry;
	g_vcpus[0].boot_ctx = g_cfg.guest_dtb;
	atomic_store(&g_vcpus[0].state, VCPU_ON_PENDING);
	sched_run(p);
}

_Noreturn static void boot_secondary(struct pcpu *p)
{
	banner(p);
	gic_cpu_init(p);
	atomic_store(&p->online, true);
	while (!atomic_load(&vcpus_assigned))
		__asm__ volatile("yield");
	sched_run(p);
}

void hyp_cpu_main(uint64_t id);
void hyp_cpu_main(uint64_t id)
{
	struct pcpu *p = &g_pcpus[id];

	write_sysreg(tpidr_el2, p);
	p->id = (uint32_t)id;
	if (id == 0)
		mmu_build_tables();
	mmu_enable_el2();
	el2_controls_init();
	stage2_enable();
	p->mpidr = read_sysreg(mpidr_el1);
	if (id == 0)
		boot_primary(p);
	boot_secondary(p);
}
