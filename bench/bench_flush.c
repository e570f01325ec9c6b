/* SPDX-License-Identifier: MIT */
/*
 * World-switch cost: vgic_flush + vgic_sync with 4 list registers and 64
 * pending interrupts on one vCPU.
 *
 *   steady: the guest takes nothing between entry and exit (the common
 *           case of an exit for another reason: MMIO, timer, WFx);
 *   churn:  each round the guest completes the interrupt in LR 0 (the LR
 *           comes back invalid) and the host injects it again, so the
 *           list keeps 64 pending and every sync retires one.
 *
 * Each figure is the median of 15 runs of 200000 rounds, in ns per round.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vgic/vgic.h"

#define ROUNDS 200000
#define RUNS 15
#define NR_PENDING 64

static const struct vgic_host_ops ops = {.version = VGIC_HOST_OPS_VERSION};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void mmio_w(struct vgic_vm *vm, uint64_t off, uint32_t v)
{
	struct vgic_config cfg;
	vgic_config_default(&cfg);
	if (vgic_mmio_write(vm, 0, cfg.gicd_base + off, 4, v)) {
		fprintf(stderr, "mmio write %#llx failed\n",
			(unsigned long long)off);
		exit(1);
	}
}

static struct vgic_vm *make_vm(void)
{
	struct vgic_config cfg;
	struct vgic_vm *vm;

	vgic_config_default(&cfg);
	cfg.nr_spis = 96;
	size_t size = vgic_vm_size(&cfg);
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!mem || vgic_vm_init(mem, size, &cfg, &ops, NULL, &vm)) {
		fprintf(stderr, "vm init failed\n");
		exit(1);
	}
	mmio_w(vm, 0x0, 0x2); /* GICD_CTLR.EnableGrp1 */
	for (uint32_t r = 1; r <= 3; r++) {
		mmio_w(vm, 0x80 + 4 * r, ~0u);	/* IGROUPR: Group 1 */
		mmio_w(vm, 0x100 + 4 * r, ~0u); /* ISENABLER */
		mmio_w(vm, 0xc00 + 8 * r, ~0u); /* ICFGR: edge */
		mmio_w(vm, 0xc04 + 8 * r, ~0u);
	}
	for (uint32_t n = 0; n < NR_PENDING; n++) {
		uint32_t intid = 32 + n;
		/* Distinct priorities in a scrambled order. */
		uint32_t prio = ((n * 37) % 32) << 3;
		struct vgic_config c;
		vgic_config_default(&c);
		vgic_mmio_write(vm, 0, c.gicd_base + 0x400 + intid, 1, prio);
		vgic_inject(vm, 0, intid);
	}
	return vm;
}

/* The guest's interrupt set-up: Group 1 enabled, priority mask open
 * (ICC_IGRPEN1_EL1 and ICC_PMR_EL1, kept in ICH_VMCR_EL2). */
static void guest_open(struct vgic_vm *vm, struct vgic_cpu_if *cif)
{
	vgic_flush(vm, 0, cif);
	cif->vmcr |= VGIC_VMCR_VENG1 | VGIC_VMCR_VPMR_MASK;
	cif->elrsr = 0;
	vgic_sync(vm, 0, cif);
}

static double run_steady(struct vgic_vm *vm)
{
	struct vgic_cpu_if cif = {0};
	guest_open(vm, &cif);
	uint64_t t0 = now_ns();
	for (int i = 0; i < ROUNDS; i++) {
		vgic_flush(vm, 0, &cif);
		cif.elrsr = 0;
		vgic_sync(vm, 0, &cif);
	}
	return (double)(now_ns() - t0) / ROUNDS;
}

static double run_churn(struct vgic_vm *vm)
{
	struct vgic_cpu_if cif = {0};
	guest_open(vm, &cif);
	uint64_t t0 = now_ns();
	for (int i = 0; i < ROUNDS; i++) {
		vgic_flush(vm, 0, &cif);
		uint32_t intid = (uint32_t)(cif.lr[0] & VGIC_LR_VINTID_MASK);
		cif.lr[0] = 0; /* acknowledged, EOI'd, deactivated */
		cif.elrsr = 1;
		vgic_sync(vm, 0, &cif);
		vgic_inject(vm, 0, intid);
	}
	return (double)(now_ns() - t0) / ROUNDS;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *name, double (*fn)(struct vgic_vm *),
		   struct vgic_vm *vm)
{
	double t[RUNS];
	for (int r = 0; r < RUNS; r++)
		t[r] = fn(vm);
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("flush+sync %-6s 4 LRs, %d pending: median %.1f ns "
	       "(min %.1f, max %.1f) per world switch\n",
	       name, NR_PENDING, t[RUNS / 2], t[0], t[RUNS - 1]);
}

int main(void)
{
	struct vgic_vm *vm = make_vm();
	report("steady", run_steady, vm);
	report("churn", run_churn, vm);
	return 0;
}
