/* SPDX-License-Identifier: MIT */
/*
 * vgic-demo: libvgic on the software GIC model, three vCPUs time-shared
 * on two physical CPUs, printing each interrupt's life:
 *   inject -> LR -> acknowledge -> EOI -> deactivate
 * for a virtual SPI, a forwarded level SPI (a passed-through device), a
 * forwarded timer PPI and SGIs between vCPUs, with a vCPU switched out
 * and back in while it holds a forwarded interrupt.
 * Exits 1 if any interrupt is lost or delivered twice.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "vgic/vgic.h"

#define NR_VCPUS 3
#define NR_PCPUS 2
#define GICD 0x08000000ULL
#define GICR 0x080a0000ULL

static struct model M;
static struct vgic_vm *VM;
static struct vgic_cpu_if CIF[NR_PCPUS];
static int RUNNING[NR_PCPUS] = {-1, -1};
static unsigned ACKS[1024], INJECTS[1024];

static const char *kind(uint32_t intid)
{
	return intid < 16 ? "SGI" : intid < 32 ? "PPI" : "SPI";
}

static void vgic_event(void *arg, const struct vgic_trace *ev)
{
	static const char *const names[] = {
		[VGIC_TRACE_INJECT] = "inject",
		[VGIC_TRACE_LR] = "list register",
		[VGIC_TRACE_ACK] = "(sync: acknowledged)",
		[VGIC_TRACE_RETIRE] = "(sync: retired)",
		[VGIC_TRACE_EOICOUNT] = "deactivate (EOIcount)",
		[VGIC_TRACE_PHYS_ACTIVE] = "physical active",
	};
	(void)arg;
	if (ev->kind == VGIC_TRACE_INJECT)
		INJECTS[ev->intid]++;
	printf("  vcpu%u  %s %-4u %s", ev->vcpu, kind(ev->intid), ev->intid,
	       names[ev->kind]);
	if (ev->kind == VGIC_TRACE_LR)
		printf(" %u", ev->arg);
	if (ev->kind == VGIC_TRACE_PHYS_ACTIVE)
		printf(" := %u", ev->arg);
	printf("\n");
}

static void model_event(void *arg, uint32_t pcpu, enum model_event ev,
			uint32_t intid)
{
	static const char *const names[] = {
		[MODEL_EV_ACK] = "acknowledge (ICV_IAR1)",
		[MODEL_EV_EOI] = "EOI (ICV_EOIR1; EOImode 0: deactivates)",
		[MODEL_EV_DIR] = "deactivate (ICV_DIR)",
		[MODEL_EV_PHYS_DEACTIVATE] = "physical deactivate by HW LR",
		[MODEL_EV_MAINT] = "maintenance interrupt",
	};
	(void)arg;
	if (ev == MODEL_EV_ACK && intid < 1024)
		ACKS[intid]++;
	if (ev == MODEL_EV_MAINT)
		printf("  pcpu%u  %s\n", pcpu, names[ev]);
	else
		printf("  pcpu%u  %s %-4u %s\n", pcpu, kind(intid), intid,
		       names[ev]);
}

static void check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "%s: %s\n", what, vgic_strerror(err));
		exit(1);
	}
}

static void enter(uint32_t v, uint32_t p)
{
	printf("pcpu%u: enter vcpu%u\n", p, v);
	model_vcpu_run_on(&M, v, p);
	check(vgic_flush(VM, v, &CIF[p]), "flush");
	check(model_vcpuif_load(&M, p, &CIF[p]), "load");
	RUNNING[p] = (int)v;
}

static void leave(uint32_t p, bool switch_out)
{
	uint32_t v = (uint32_t)RUNNING[p];
	struct vgic_cpu_if empty = {0};

	check(model_vcpuif_save(&M, p, &CIF[p]), "save");
	check(vgic_sync(VM, v, &CIF[p]), "sync");
	model_vcpuif_load(&M, p, &empty);
	if (switch_out) {
		check(vgic_vcpu_put(VM, v), "put");
		printf("pcpu%u: switch out vcpu%u\n", p, v);
	}
	RUNNING[p] = -1;
}

static void mmio(uint32_t v, uint64_t gpa, unsigned len, uint64_t val)
{
	check(vgic_mmio_write(VM, v, gpa, len, val), "mmio");
}

/* What the guest kernel does: CPU interface, then its interrupts. */
static void guest_boot(uint32_t v, uint32_t p)
{
	enter(v, p);
	model_guest_set_pmr(&M, p, 0xff);
	model_guest_set_igrpen(&M, p, MODEL_GROUP1, true);
	/* vCPU 0's kernel splits priority drop and deactivation. */
	model_guest_set_ctlr(&M, p, v == 0 ? 2u : 0u);
	leave(p, true);
	uint64_t sgi = GICR + v * 0x20000ULL + 0x10000;
	mmio(v, GICR + v * 0x20000ULL + 0x14, 4, 0); /* GICR_WAKER */
	mmio(v, sgi + 0x80, 4, ~0u);		     /* IGROUPR0 */
	mmio(v, sgi + 0x100, 4, 1u << 1 | 1u << 27); /* SGI 1, timer */
	mmio(v, sgi + 0x400 + 27, 1, 0x40);
}

static void guest_handle(uint32_t p, uint32_t expect)
{
	uint32_t intid = model_guest_ack(&M, p, MODEL_GROUP1);
	if (intid != expect) {
		fprintf(stderr, "pcpu%u: expected %u, got %u\n", p, expect,
			intid);
		exit(1);
	}
	model_guest_eoi(&M, p, MODEL_GROUP1, intid);
	if (model_guest_ctlr(&M, p) & 2u)
		model_guest_dir(&M, p, intid);
}

static void host_irq(uint32_t p, uint32_t vintid)
{
	uint32_t pintid = model_icc_iar(&M, p, MODEL_GROUP1);
	model_icc_eoir(&M, p, MODEL_GROUP1, pintid); /* EOImode 1: drop */
	printf("pcpu%u: host takes physical %u, forwards it as %u\n", p, pintid,
	       vintid);
	check(vgic_inject_phys(VM, 0, vintid), "inject_phys");
}

static int verify(void)
{
	int bad = 0;
	for (uint32_t i = 0; i < 1024; i++) {
		if (ACKS[i] != INJECTS[i]) {
			fprintf(stderr, "INTID %u: %u injected, %u taken\n", i,
				INJECTS[i], ACKS[i]);
			bad = 1;
		}
	}
	return bad;
}

int main(void)
{
	struct model_config mc;
	struct vgic_config cfg;

	model_config_default(&mc);
	mc.nr_pcpus = NR_PCPUS;
	check(model_init(&M, &mc), "model");
	model_host_boot(&M, true);
	vgic_config_default(&cfg);
	cfg.nr_vcpus = NR_VCPUS;
	size_t size = vgic_vm_size(&cfg);
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!mem)
		return 1;
	check(vgic_vm_init(mem, size, &cfg, model_host_ops(), &M, &VM), "vm");
	model_set_trace(&M, vgic_event, NULL);
	model_set_event_hook(&M, model_event, NULL);

	printf("== boot: %u vCPUs on %u pCPUs\n", NR_VCPUS, NR_PCPUS);
	mmio(0, GICD, 4, 2);			     /* GICD_CTLR.EnableGrp1 */
	mmio(0, GICD + 0x84, 4, ~0u);		     /* IGROUPR1: SPIs 32..63 */
	mmio(0, GICD + 0x104, 4, 1u << 1 | 1u << 8); /* enable 33, 40 */
	mmio(0, GICD + 0xc08, 4, 2u << 2);	     /* SPI 33 edge */
	mmio(0, GICD + 0x6000 + 8 * 40, 8, 1);	     /* SPI 40 -> vcpu1 */
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		guest_boot(v, v % NR_PCPUS);
	/* Passed-through device: physical SPI 48 is the guest's SPI 40. */
	model_phys_set_enabled(&M, 0, 48, true);
	model_phys_route_spi(&M, 48, 0);
	check(vgic_map_phys(VM, 0, 40, 48), "map 40");
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		check(vgic_map_phys(VM, v, 27, 27), "map timer");

	printf("\n== a virtual device raises SPI 33 (edge) for vcpu0\n");
	check(vgic_inject(VM, 0, 33), "inject");
	enter(0, 0);
	guest_handle(0, 33);
	leave(0, false);

	printf("\n== the passed-through device asserts its line (pSPI 48)\n");
	model_set_line(&M, 0, 48, true);
	host_irq(0, 40);
	enter(1, 0);
	uint32_t got = model_guest_ack(&M, 0, MODEL_GROUP1);
	printf("pcpu0: vcpu1 is in its handler for %u when its slice ends\n",
	       got);
	leave(0, true);
	printf("pcpu0: physical 48 active while vcpu1 is out: %d\n",
	       model_phys_is_active(&M, 0, 48));
	enter(0, 0);
	leave(0, true);
	enter(1, 0);
	model_set_line(&M, 0, 48, false); /* the handler quiets the device */
	model_guest_eoi(&M, 0, MODEL_GROUP1, got);
	leave(0, false);

	printf("\n== vcpu2's virtual timer fires (forwarded PPI 27)\n");
	model_vcpu_run_on(&M, 2, 1);
	model_phys_set_enabled(&M, 1, 27, true);
	model_set_line(&M, 1, 27, true);
	check(vgic_set_level(VM, 2, 27, true), "timer");
	enter(2, 1);
	uint32_t t = model_guest_ack(&M, 1, MODEL_GROUP1);
	model_set_line(&M, 1, 27, false); /* the guest reprograms its timer */
	check(vgic_set_level(VM, 2, 27, false), "timer");
	model_guest_eoi(&M, 1, MODEL_GROUP1, t);
	leave(1, false);

	printf("\n== vcpu0 sends SGI 1 to vcpu1 and vcpu2 (ICC_SGI1R_EL1)\n");
	enter(0, 0);
	leave(0, false); /* the trapped write exits */
	check(vgic_sysreg_write(VM, 0, VGIC_SYSREG_SGI1R, 1u << 24 | 0x6),
	      "sgi");
	enter(1, 0);
	guest_handle(0, 1);
	leave(0, false);
	enter(2, 1);
	guest_handle(1, 1);
	leave(1, false);

	struct vgic_stats s;
	vgic_get_stats(VM, &s);
	printf("\n== stats: %llu MMIO writes, %llu SGIs, %llu maintenance "
	       "(EOI)\n",
	       (unsigned long long)s.mmio_writes, (unsigned long long)s.sgis,
	       (unsigned long long)s.maint_eoi);
	int bad = verify();
	printf("%s\n", bad ? "FAILED: interrupts lost or duplicated"
			   : "every injected interrupt was taken exactly once");
	free(mem);
	return bad;
}
