/* SPDX-License-Identifier: MIT */
/*
 * Concurrency: vCPU threads flush and sync while injector threads raise
 * SPIs and re-route them, and SGIs fly between vCPUs. Each interrupt has
 * at most one instance outstanding (the injector waits for the previous
 * delivery), so the number delivered must equal the number injected:
 * nothing lost, nothing duplicated. The "guest" completes every pending
 * LR it is given (acknowledge + EOI: the LR comes back invalid).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "vgic/vgic.h"

#define NR_VCPUS 4
#define NR_SPIS 64
#define ROUNDS 50000 /* injections per injector thread */
#define NR_INJECTORS 2

static struct vgic_vm *vm;
static struct vgic_config cfg;
static atomic_uint injected[1024], delivered[1024];
static atomic_bool stop;

static const struct vgic_host_ops ops = {.version = VGIC_HOST_OPS_VERSION};

static void mmio_w(uint32_t v, uint64_t gpa, unsigned len, uint64_t val)
{
	assert_int_equal(vgic_mmio_write(vm, v, gpa, len, val), 0);
}

static void setup_vm(void)
{
	vgic_config_default(&cfg);
	cfg.nr_vcpus = NR_VCPUS;
	cfg.nr_spis = NR_SPIS;
	size_t size = vgic_vm_size(&cfg);
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	assert_non_null(mem);
	assert_int_equal(vgic_vm_init(mem, size, &cfg, &ops, NULL, &vm), 0);
	mmio_w(0, cfg.gicd_base, 4, 2);
	for (uint32_t r = 1; r <= NR_SPIS / 32; r++) {
		mmio_w(0, cfg.gicd_base + 0x80 + 4 * r, 4, ~0u);
		mmio_w(0, cfg.gicd_base + 0x100 + 4 * r, 4, ~0u);
		mmio_w(0, cfg.gicd_base + 0xc00 + 8 * r, 4, ~0u);
		mmio_w(0, cfg.gicd_base + 0xc04 + 8 * r, 4, ~0u);
	}
	for (uint32_t v = 0; v < NR_VCPUS; v++) {
		uint64_t rd = cfg.gicr_base + 0x20000ULL * v;
		mmio_w(v, rd + 0x14, 4, 0);
		mmio_w(v, rd + 0x10080, 4, ~0u);
		mmio_w(v, rd + 0x10100, 4, 0xffff);
	}
}

/* The guest completes about half of the pending LRs it is given (the
 * others stay pending, as if it was preempted before taking them);
 * active ones cannot occur. */
static void guest_run(struct vgic_cpu_if *cif, uint32_t vcpu, uint32_t *seed)
{
	for (uint32_t n = 0; n < cif->nr_lrs_used; n++) {
		uint64_t lr = cif->lr[n];
		uint32_t intid = (uint32_t)(lr & VGIC_LR_VINTID_MASK);
		*seed = *seed * 1103515245u + 12345u;
		if (!(lr & VGIC_LR_PENDING) || (*seed >> 16) % 2)
			continue;
		uint32_t slot =
			intid < 16 ? intid * NR_VCPUS + vcpu + 512 : intid;
		atomic_fetch_add(&delivered[slot], 1);
		cif->lr[n] = 0;
	}
	cif->hcr &= ~VGIC_HCR_EOICOUNT_MASK;
}

static void *vcpu_thread(void *arg)
{
	uint32_t v = (uint32_t)(uintptr_t)arg, seed = v;
	struct vgic_cpu_if cif = {0};
	cif.vmcr = 0xffu << VGIC_VMCR_VPMR_SHIFT | VGIC_VMCR_VENG1;
	while (!atomic_load(&stop)) {
		if (vgic_flush(vm, v, &cif) || vgic_sync(vm, v, &cif))
			abort();
		if (vgic_flush(vm, v, &cif))
			abort();
		bool idle = cif.nr_lrs_used == 0;
		guest_run(&cif, v, &seed);
		if (vgic_sync(vm, v, &cif))
			abort();
		if (idle || (seed >> 20) % 4 == 0)
			sched_yield(); /* 2 cores, 6 threads: let others run */
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until the previous instance of `slot` was delivered; a lost
 * interrupt never is, and fails the test after 20 s. */
static bool wait_outstanding(uint32_t slot)
{
	double deadline = now_s() + 20;
	while (atomic_load(&delivered[slot]) != atomic_load(&injected[slot])) {
		if (now_s() > deadline)
			return false;
		sched_yield();
	}
	return true;
}

static void *injector_thread(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, seed = 12345 + id;
	for (int i = 0; i < ROUNDS; i++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t r = seed >> 8;
		/* Injector 0 owns even SPIs and SGIs to even vCPUs. */
		uint32_t spi = 32 + 2 * (r % (NR_SPIS / 2)) + id;
		if (r % 5 == 0) {
			uint32_t sgi = r % 16, target = 2 * ((r >> 4) % 2) + id;
			uint32_t slot = sgi * NR_VCPUS + target + 512;
			if (!wait_outstanding(slot))
				return (void *)1;
			atomic_fetch_add(&injected[slot], 1);
			vgic_sysreg_write(vm, target ^ 1, VGIC_SYSREG_SGI1R,
					  (uint64_t)sgi << 24 | 1u << target);
			continue;
		}
		if (r % 7 == 0) /* re-route while in flight */
			mmio_w(id, cfg.gicd_base + 0x6000 + 8 * spi, 8,
			       (r >> 3) % NR_VCPUS);
		if (!wait_outstanding(spi))
			return (void *)1;
		atomic_fetch_add(&injected[spi], 1);
		vgic_inject(vm, 0, spi);
	}
	return NULL;
}

static void t_no_loss_no_dup(void **state)
{
	(void)state;
	pthread_t vt[NR_VCPUS], it[NR_INJECTORS];
	setup_vm();
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		pthread_create(&vt[v], NULL, vcpu_thread, (void *)(uintptr_t)v);
	for (uint32_t i = 0; i < NR_INJECTORS; i++)
		pthread_create(&it[i], NULL, injector_thread,
			       (void *)(uintptr_t)i);
	void *res[NR_INJECTORS];
	for (uint32_t i = 0; i < NR_INJECTORS; i++)
		pthread_join(it[i], &res[i]);
	bool drained = true;
	for (uint32_t s = 0; s < 1024; s++)
		drained &= wait_outstanding(s); /* let the vCPUs drain */
	atomic_store(&stop, true);
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		pthread_join(vt[v], NULL);
	for (uint32_t i = 0; i < NR_INJECTORS; i++)
		assert_null(res[i]);
	assert_true(drained);
	unsigned total = 0;
	for (uint32_t s = 0; s < 1024; s++) {
		assert_int_equal(atomic_load(&delivered[s]),
				 atomic_load(&injected[s]));
		total += atomic_load(&injected[s]);
	}
	assert_int_equal(total, NR_INJECTORS * ROUNDS);
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		assert_false(vgic_vcpu_pending(vm, v));
	free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_no_loss_no_dup),
	};
	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
