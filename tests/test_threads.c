/* SPDX-License-Identifier: MIT */
/*
 * Concurrency: vCPU threads flush and sync while injector threads raise
 * SPIs and re-route them, and SGIs fly between vCPUs. Each interrupt has
 * at most one instance outstanding (the injector waits for the previous
 * delivery), so the number delivered must equal the number injected:
 * nothing lost, nothing duplicated. The "guest" completes every pending
 * LR it is given (acknowledge + EOI: the LR comes back invalid).
 * The same for LPIs made pending by host threads (vgic_inject_lpi) while
 * the guest invalidates their configuration, through a store far smaller
 * than the LPIs pending at once, so that they spill to the pending tables
 * and come back.
 * And for MSIs through a vITS (vgic_inject_msi) while a guest thread moves
 * their events between vCPUs with MOVI and the pending LPIs with MOVALL:
 * an LPI may then be delivered on any vCPU, once.
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
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "vgic/vgic.h"

#define NR_VCPUS 4
#define NR_SPIS 64
#define ROUNDS 50000 /* injections per injector thread */
#define NR_INJECTORS 2

#define NR_LPIS 64	/* per vCPU: INTIDs 8192..8255 */
#define LPI_SLOTS 16	/* store slots: far fewer than 4 x 64 pairs */
#define LPI_SLOT0 1024u /* injected/delivered index of vCPU 0's LPI 8192 */
#define NR_EVENTS 64	/* vITS events 0..63: LPIs 8256..8319, any vCPU */
#define MSI_LPI0 (8192u + NR_LPIS)
#define MSI_SLOT0 (LPI_SLOT0 + NR_VCPUS * NR_LPIS)
#define NR_SLOTS (MSI_SLOT0 + NR_EVENTS)
#define RAM_BASE 0x40000000ULL
/* The property table, then one pending table per vCPU: 64 KiB aligned
 * (GICR_PENDBASER.Physical_Address is bits [51:16]). */
#define RAM_SIZE (0x10000u * (1 + NR_VCPUS + 4))
#define PROP_TABLE RAM_BASE
#define PEND_TABLE(v) (RAM_BASE + 0x10000 * (uint64_t)((v) + 1))
/* The vITS: device and collection tables, command queue, one ITT. */
#define ITS_BASE 0x08080000ULL
#define ITS_TABLE(n) (RAM_BASE + 0x10000 * (uint64_t)(1 + NR_VCPUS + (n)))
#define QUEUE_BYTES 0x1000u
#define DEV 3u

static struct vgic_vm *vm;
static struct vgic_config cfg;
static atomic_uint injected[NR_SLOTS], delivered[NR_SLOTS];
static atomic_bool stop, stop_mover;
static uint8_t ram[RAM_SIZE]; /* touched by the library only */

static bool ram_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	(void)ctx;
	if (gpa < RAM_BASE || gpa - RAM_BASE > RAM_SIZE ||
	    len > RAM_SIZE - (gpa - RAM_BASE))
		return false;
	memcpy(buf, &ram[gpa - RAM_BASE], len);
	return true;
}

static bool ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	(void)ctx;
	if (gpa < RAM_BASE || gpa - RAM_BASE > RAM_SIZE ||
	    len > RAM_SIZE - (gpa - RAM_BASE))
		return false;
	memcpy(&ram[gpa - RAM_BASE], buf, len);
	return true;
}

static const struct vgic_host_ops ops = {
	.version = VGIC_HOST_OPS_VERSION,
	.guest_read = ram_read,
	.guest_write = ram_write,
};

static void mmio_w(uint32_t v, uint64_t gpa, unsigned len, uint64_t val)
{
	assert_int_equal(vgic_mmio_write(vm, v, gpa, len, val), 0);
}

static const uint64_t its_base = ITS_BASE;

static void setup_vm(void)
{
	vgic_config_default(&cfg);
	cfg.nr_vcpus = NR_VCPUS;
	cfg.nr_spis = NR_SPIS;
	cfg.lpi_id_bits = 14;
	cfg.nr_lpi_slots = LPI_SLOTS;
	cfg.nr_its = 1;
	cfg.its_base = &its_base;
	cfg.its_cache_size = 16; /* small: misses too */
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
	/* LPIs: every one enabled at priority 0xa0; tables, then EnableLPIs
	 * (PENDBASER.PTZ: the pending tables start empty). */
	memset(ram, 0, sizeof(ram));
	memset(ram, 0xa0 | 3, NR_LPIS + NR_EVENTS);
	for (uint32_t v = 0; v < NR_VCPUS; v++) {
		uint64_t rd = cfg.gicr_base + 0x20000ULL * v;
		mmio_w(v, rd + 0x70, 8, PROP_TABLE | 13);
		mmio_w(v, rd + 0x78, 8, PEND_TABLE(v) | 1ULL << 62);
		mmio_w(v, rd, 4, 1);
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
		uint32_t slot = intid >= MSI_LPI0 ? MSI_SLOT0 + intid - MSI_LPI0
				: intid >= 8192	  ? LPI_SLOT0 + vcpu * NR_LPIS +
							  intid - 8192
				: intid < 16 ? intid * NR_VCPUS + vcpu + 512
					     : intid;
		atomic_fetch_add(&delivered[slot], 1);
		cif->lr[n] = 0;
	}
	cif->hcr &= ~VGIC_HCR_EOICOUNT_MASK;
}

/* ------------------------------------------------------------ vITS */

static uint32_t cwriter; /* the commanding thread's */

static void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t c[4] = {d0, d1, d2, d3};
	uint64_t v;

	memcpy(&ram[ITS_TABLE(2) - RAM_BASE + cwriter], c, sizeof(c));
	cwriter = (cwriter + 32) % QUEUE_BYTES;
	mmio_w(0, ITS_BASE + 0x88, 8, cwriter);
	assert_int_equal(vgic_mmio_read(vm, 0, ITS_BASE + 0x90, 8, &v), 0);
	assert_int_equal(v, cwriter); /* done, not stalled */
}

/* Tables, queue, a collection per vCPU, the device, its events spread
 * over the vCPUs. */
static void setup_its(void)
{
	uint64_t valid = 1ULL << 63, p64k = 2ULL << 8;

	mmio_w(0, ITS_BASE + 0x100, 8, valid | p64k | ITS_TABLE(0));
	mmio_w(0, ITS_BASE + 0x108, 8, valid | p64k | ITS_TABLE(1));
	mmio_w(0, ITS_BASE + 0x80, 8, valid | ITS_TABLE(2));
	mmio_w(0, ITS_BASE, 4, 1);
	cwriter = 0;
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		its_cmd(0x09, 0, valid | (uint64_t)v << 16 | v, 0);
	its_cmd(0x08 | (uint64_t)DEV << 32, 5, valid | ITS_TABLE(3), 0);
	for (uint32_t e = 0; e < NR_EVENTS; e++)
		its_cmd(0x0a | (uint64_t)DEV << 32,
			e | (uint64_t)(MSI_LPI0 + e) << 32, e % NR_VCPUS, 0);
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

/* Injector `id` owns the LPIs of the vCPUs of its parity; now and then
 * the guest invalidates every LPI's configuration (GICR_INVALLR). */
static void *lpi_injector_thread(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, seed = 777 + id;
	for (int i = 0; i < ROUNDS / 2; i++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t r = seed >> 8;
		uint32_t v = 2 * (r % (NR_VCPUS / 2)) + id;
		uint32_t k = (r >> 4) % NR_LPIS;
		uint32_t slot = LPI_SLOT0 + v * NR_LPIS + k;
		if (r % 11 == 0)
			mmio_w(v, cfg.gicr_base + 0x20000ULL * v + 0xb0, 8, 0);
		if (!wait_outstanding(slot))
			return (void *)1;
		atomic_fetch_add(&injected[slot], 1);
		if (vgic_inject_lpi(vm, v, 8192 + k))
			return (void *)2;
	}
	return NULL;
}

/* Injector `id` owns the events of its parity. */
static void *msi_injector_thread(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, seed = 4242 + id;
	for (int i = 0; i < ROUNDS / 2; i++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t e = 2 * ((seed >> 8) % (NR_EVENTS / 2)) + id;
		uint32_t slot = MSI_SLOT0 + e;
		if (!wait_outstanding(slot))
			return (void *)1;
		atomic_fetch_add(&injected[slot], 1);
		if (vgic_inject_msi(vm, 0, DEV, e))
			return (void *)2;
	}
	return NULL;
}

/* The guest moves events between collections (MOVI) and, now and then,
 * every pending LPI of one vCPU to another (MOVALL), until the MSIs end. */
static void *mover_thread(void *arg)
{
	uint32_t seed = 99;
	unsigned *moves = arg;

	while (!atomic_load(&stop_mover)) {
		seed = seed * 1103515245u + 12345u;
		uint32_t r = seed >> 8;
		if (r % 16 == 0)
			its_cmd(0x0e, 0, (uint64_t)(r % NR_VCPUS) << 16,
				(uint64_t)((r >> 4) % NR_VCPUS) << 16);
		else
			its_cmd(0x01 | (uint64_t)DEV << 32,
				(r >> 4) % NR_EVENTS, (r >> 12) % NR_VCPUS, 0);
		(*moves)++;
		if (r % 4 == 0)
			sched_yield();
	}
	return NULL;
}

static void run(void *(*injector)(void *), unsigned expected)
{
	pthread_t vt[NR_VCPUS], it[NR_INJECTORS];
	atomic_store(&stop, false);
	for (uint32_t s = 0; s < NR_SLOTS; s++) {
		atomic_store(&injected[s], 0);
		atomic_store(&delivered[s], 0);
	}
	setup_vm();
	setup_its();
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		pthread_create(&vt[v], NULL, vcpu_thread, (void *)(uintptr_t)v);
	pthread_t mover;
	unsigned moves = 0;
	atomic_store(&stop_mover, false);
	if (injector == msi_injector_thread)
		pthread_create(&mover, NULL, mover_thread, &moves);
	for (uint32_t i = 0; i < NR_INJECTORS; i++)
		pthread_create(&it[i], NULL, injector, (void *)(uintptr_t)i);
	void *res[NR_INJECTORS];
	for (uint32_t i = 0; i < NR_INJECTORS; i++)
		pthread_join(it[i], &res[i]);
	if (injector == msi_injector_thread) {
		atomic_store(&stop_mover, true);
		pthread_join(mover, NULL);
		assert_true(moves > 100);
	}
	bool drained = true; /* let the vCPUs drain; one lost is enough */
	for (uint32_t s = 0; s < NR_SLOTS && drained; s++)
		drained = wait_outstanding(s);
	atomic_store(&stop, true);
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		pthread_join(vt[v], NULL);
	for (uint32_t i = 0; i < NR_INJECTORS; i++)
		assert_null(res[i]);
	assert_true(drained);
	unsigned total = 0;
	for (uint32_t s = 0; s < NR_SLOTS; s++) {
		assert_int_equal(atomic_load(&delivered[s]),
				 atomic_load(&injected[s]));
		total += atomic_load(&injected[s]);
	}
	assert_int_equal(total, expected);
	for (uint32_t v = 0; v < NR_VCPUS; v++)
		assert_false(vgic_vcpu_pending(vm, v));
}

static void t_no_loss_no_dup(void **state)
{
	(void)state;
	run(injector_thread, NR_INJECTORS * ROUNDS);
	free(vm);
}

static void t_lpis_no_loss_no_dup(void **state)
{
	(void)state;
	run(lpi_injector_thread, NR_INJECTORS * (ROUNDS / 2));
	struct vgic_stats st;
	assert_int_equal(vgic_get_stats(vm, &st), 0);
	assert_true(st.lpi_spilled > 0); /* the store ran full, often */
	assert_int_equal(st.guest_mem_errors, 0);
	free(vm);
}

static void t_msis_moved_no_loss_no_dup(void **state)
{
	(void)state;
	run(msi_injector_thread, NR_INJECTORS * (ROUNDS / 2));
	struct vgic_stats st;
	assert_int_equal(vgic_get_stats(vm, &st), 0);
	assert_int_equal(st.its_cmd_errors + st.its_stalls + st.msi_dropped, 0);
	assert_true(st.msi_cache_misses > 0 && st.msi_cache_hits > 0);
	free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_no_loss_no_dup),
		cmocka_unit_test(t_lpis_no_loss_no_dup),
		cmocka_unit_test(t_msis_moved_no_loss_no_dup),
	};
	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
