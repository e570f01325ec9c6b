/* SPDX-License-Identifier: MIT */
/*
 * The public API under misuse: NULL pointers, bad configurations, bad
 * vCPU indices and INTIDs, unsupported operations. Every call must return
 * its documented negative code (vgic.h) and leave the VM usable; valid
 * extremes of the configuration must work.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vgic/vgic.h"

#define CANARY 0xa5
#define SLACK 256

static const struct vgic_host_ops ops = {.version = VGIC_HOST_OPS_VERSION};

/* A VM built in a buffer with SLACK canary bytes after `size`. */
struct vm_buf {
	unsigned char *mem;
	size_t size;
	struct vgic_vm *vm;
	struct vgic_config cfg;
};

static struct vm_buf B;

static void *alloc_canary(size_t size)
{
	size_t total = (size + SLACK + 63) & ~(size_t)63;
	unsigned char *p = aligned_alloc(64, total);
	assert_non_null(p);
	memset(p, CANARY, total);
	return p;
}

static void assert_canary(const unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i] != CANARY)
			fail_msg("byte %zu written (limit %zu)", i, from);
}

/* Build B.vm from B.cfg; the library must not write past `size`. */
static void build(void)
{
	B.size = vgic_vm_size(&B.cfg);
	assert_true(B.size > 0);
	B.mem = alloc_canary(B.size);
	assert_int_equal(vgic_vm_init(B.mem, B.size, &B.cfg, &ops, NULL, &B.vm),
			 0);
	assert_non_null(B.vm);
	assert_canary(B.mem, B.size, B.size + SLACK);
}

static int setup_default(void **state)
{
	(void)state;
	memset(&B, 0, sizeof(B));
	vgic_config_default(&B.cfg);
	B.cfg.nr_vcpus = 4;
	build();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(B.mem);
	memset(&B, 0, sizeof(B));
	return 0;
}

static struct vgic_stats stats(void)
{
	struct vgic_stats s;
	assert_int_equal(vgic_get_stats(B.vm, &s), 0);
	return s;
}

/* Size 0 and init ECONFIG, without touching memory. */
static void assert_rejected(const struct vgic_config *cfg)
{
	unsigned char *mem = alloc_canary(1 << 16);
	struct vgic_vm *vm = NULL;

	assert_int_equal(vgic_vm_size(cfg), 0);
	assert_int_equal(vgic_vm_init(mem, 1 << 16, cfg, &ops, NULL, &vm),
			 VGIC_ECONFIG);
	assert_canary(mem, 0, (1 << 16) + SLACK);
	free(mem);
}

/* vm_size > 0, init succeeds within that size. */
static struct vgic_vm *assert_accepted(const struct vgic_config *cfg,
				       unsigned char **memp)
{
	size_t size = vgic_vm_size(cfg);
	struct vgic_vm *vm = NULL;

	assert_true(size > 0);
	*memp = alloc_canary(size);
	assert_int_equal(vgic_vm_init(*memp, size, cfg, &ops, NULL, &vm), 0);
	assert_non_null(vm);
	assert_canary(*memp, size, size + SLACK);
	assert_int_equal(vgic_vm_nr_vcpus(vm), cfg->nr_vcpus);
	return vm;
}

/* ------------------------------------------------------------ vm_init */

static void t_init_null(void **state)
{
	(void)state;
	struct vgic_config cfg;
	struct vgic_vm *vm = NULL;

	vgic_config_default(NULL); /* must not crash */
	vgic_config_default(&cfg);
	assert_int_equal(vgic_vm_size(NULL), 0);
	size_t size = vgic_vm_size(&cfg);
	assert_true(size > 0);
	unsigned char *mem = alloc_canary(size);

	assert_int_equal(vgic_vm_init(NULL, size, &cfg, &ops, NULL, &vm),
			 VGIC_EINVAL);
	assert_int_equal(vgic_vm_init(mem, size, NULL, &ops, NULL, &vm),
			 VGIC_EINVAL);
	assert_int_equal(vgic_vm_init(mem, size, &cfg, NULL, NULL, &vm),
			 VGIC_EINVAL);
	assert_int_equal(vgic_vm_init(mem, size, &cfg, &ops, NULL, NULL),
			 VGIC_EINVAL);
	assert_null(vm);
	assert_canary(mem, 0, size + SLACK);
	free(mem);

	assert_int_equal(vgic_vm_nr_vcpus(NULL), 0);
	assert_int_equal(vgic_vmcr_reset(NULL), 0);
	assert_false(vgic_vcpu_pending(NULL, 0));
}

/* `mem` must be 16-byte aligned; 16 is enough. */
static void t_init_alignment(void **state)
{
	(void)state;
	struct vgic_config cfg;
	struct vgic_vm *vm = NULL;

	vgic_config_default(&cfg);
	size_t size = vgic_vm_size(&cfg);
	unsigned char *mem = alloc_canary(size + 64);
	for (size_t off = 1; off < 16; off++)
		assert_int_equal(
			vgic_vm_init(mem + off, size, &cfg, &ops, NULL, &vm),
			VGIC_EINVAL);
	assert_null(vm);
	assert_canary(mem, 0, size + 64 + SLACK);
	assert_int_equal(vgic_vm_init(mem + 16, size, &cfg, &ops, NULL, &vm),
			 0);
	assert_ptr_equal(vm, mem + 16);
	assert_canary(mem, 16 + size, size + 64 + SLACK);
	/* Usable: a register round trip. */
	uint64_t v = 0;
	assert_int_equal(
		vgic_mmio_write(vm, 0, cfg.gicd_base + 0x400 + 40, 1, 0x58), 0);
	assert_int_equal(
		vgic_mmio_read(vm, 0, cfg.gicd_base + 0x400 + 40, 1, &v), 0);
	assert_int_equal(v, 0x58);
	free(mem);
}

static void t_init_version(void **state)
{
	(void)state;
	struct vgic_config cfg;
	struct vgic_vm *vm = NULL;
	struct vgic_host_ops bad = ops;

	vgic_config_default(&cfg);
	size_t size = vgic_vm_size(&cfg);
	unsigned char *mem = alloc_canary(size);
	const uint32_t versions[] = {0, VGIC_HOST_OPS_VERSION + 1, 1000,
				     UINT32_MAX};
	for (unsigned i = 0; i < 4; i++) {
		bad.version = versions[i];
		assert_int_equal(vgic_vm_init(mem, size, &cfg, &bad, NULL, &vm),
				 VGIC_EVERSION);
	}
	assert_null(vm);
	assert_canary(mem, 0, size + SLACK);
	bad.version = VGIC_HOST_OPS_VERSION;
	assert_int_equal(vgic_vm_init(mem, size, &cfg, &bad, NULL, &vm), 0);
	free(mem);
}

/* Too small: ENOSPC, and nothing beyond the given size is written. */
static void t_init_nospc(void **state)
{
	(void)state;
	struct vgic_config cfg;
	struct vgic_vm *vm = NULL;

	vgic_config_default(&cfg);
	cfg.nr_vcpus = 8;
	size_t size = vgic_vm_size(&cfg);
	unsigned char *mem = alloc_canary(size);
	const size_t small[] = {0, 1, 16, size / 2, size - 16, size - 1};
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(
			vgic_vm_init(mem, small[i], &cfg, &ops, NULL, &vm),
			VGIC_ENOSPC);
		assert_canary(mem, small[i], size + SLACK);
	}
	assert_null(vm);
	assert_int_equal(vgic_vm_init(mem, size, &cfg, &ops, NULL, &vm), 0);
	free(mem);
}

static void t_bad_config(void **state)
{
	(void)state;
	struct vgic_config def, cfg;
	vgic_config_default(&def);

	cfg = def, cfg.nr_vcpus = 0;
	assert_rejected(&cfg);
	cfg = def, cfg.nr_vcpus = VGIC_MAX_VCPUS + 1;
	assert_rejected(&cfg);
	cfg = def, cfg.nr_vcpus = UINT32_MAX;
	assert_rejected(&cfg);
	cfg = def, cfg.nr_spis = VGIC_MAX_SPIS + 1;
	assert_rejected(&cfg);
	cfg = def, cfg.nr_spis = UINT32_MAX;
	assert_rejected(&cfg);
	const uint8_t bad_pri[] = {0, 4, 9, 255};
	for (unsigned i = 0; i < 4; i++) {
		cfg = def, cfg.pri_bits = bad_pri[i];
		assert_rejected(&cfg);
	}
	const uint8_t bad_lrs[] = {0, VGIC_MAX_LRS + 1, 255};
	for (unsigned i = 0; i < 3; i++) {
		cfg = def, cfg.nr_lrs = bad_lrs[i];
		assert_rejected(&cfg);
	}
	/* Frames: 64 KiB alignment. */
	const uint64_t misalign[] = {1, 0x1000, 0x8000, 0xfff0};
	for (unsigned i = 0; i < 4; i++) {
		cfg = def, cfg.gicd_base += misalign[i];
		assert_rejected(&cfg);
		cfg = def, cfg.gicr_base += misalign[i];
		assert_rejected(&cfg);
	}
	/* Overlaps: the same base, GICD inside any redistributor's frames,
	 * the redistributor region covering the GICD from below. */
	cfg = def, cfg.nr_vcpus = 4, cfg.gicr_base = cfg.gicd_base;
	assert_rejected(&cfg);
	for (uint64_t off = 0; off < 4 * 0x20000; off += 0x10000) {
		cfg = def, cfg.nr_vcpus = 4;
		cfg.gicd_base = cfg.gicr_base + off;
		assert_rejected(&cfg);
	}
	cfg = def, cfg.nr_vcpus = 4;
	cfg.gicr_base = cfg.gicd_base - 0x10000; /* RD 0 SGI_base = GICD */
	assert_rejected(&cfg);
	/* A redistributor region that wraps past the end of the space. */
	cfg = def, cfg.nr_vcpus = 2, cfg.gicr_base = 0xfffffffffffe0000ULL;
	assert_rejected(&cfg);
}

static void t_bad_mpidr(void **state)
{
	(void)state;
	struct vgic_config cfg;
	uint64_t tab[4];
	vgic_config_default(&cfg);
	cfg.nr_vcpus = 4;
	cfg.mpidr = tab;

	/* Duplicates, adjacent or not. */
	const uint64_t dup[][4] = {
		{0, 1, 1, 2},
		{0x100, 1, 2, 0x100},
		{0xff00000000ULL | 3, 2, 1, 0xff00000000ULL | 3},
	};
	for (unsigned i = 0; i < 3; i++) {
		memcpy(tab, dup[i], sizeof(tab));
		assert_rejected(&cfg);
	}
	/* Bits outside Aff3 [39:32] and Aff2..Aff0 [23:0]. */
	const uint64_t bad_bits[] = {1ULL << 24, 1ULL << 30, 1ULL << 31,
				     1ULL << 40, 1ULL << 63};
	for (unsigned i = 0; i < 5; i++) {
		uint64_t t[4] = {0, 1, 2, 3};
		t[i % 4] |= bad_bits[i];
		memcpy(tab, t, sizeof(tab));
		assert_rejected(&cfg);
	}
	/* Every affinity field in use, all distinct: fine. */
	const uint64_t good[4] = {0, 0xff00000000ULL, 0xff0000, 0xffff};
	memcpy(tab, good, sizeof(tab));
	unsigned char *mem;
	struct vgic_vm *vm = assert_accepted(&cfg, &mem);
	(void)vm;
	free(mem);
}

/* Edges of the frame rules that are valid. */
static void t_frames_valid(void **state)
{
	(void)state;
	struct vgic_config def, cfg;
	unsigned char *mem;
	uint64_t v;
	vgic_config_default(&def);

	/* GICD right below and right after the redistributors. */
	cfg = def, cfg.nr_vcpus = 4;
	cfg.gicd_base = cfg.gicr_base - 0x10000;
	struct vgic_vm *vm = assert_accepted(&cfg, &mem);
	assert_int_equal(vgic_mmio_read(vm, 0, cfg.gicd_base, 4, &v), 0);
	assert_int_equal(
		vgic_mmio_read(vm, 3, cfg.gicr_base + 3 * 0x20000, 4, &v), 0);
	free(mem);
	cfg = def, cfg.nr_vcpus = 4;
	cfg.gicd_base = cfg.gicr_base + 4 * 0x20000;
	vm = assert_accepted(&cfg, &mem);
	assert_int_equal(vgic_mmio_read(vm, 0, cfg.gicd_base, 4, &v), 0);
	free(mem);

	/* GICD in the last 64 KiB of the address space: every offset of the
	 * frame is reachable and nothing beyond it wraps. */
	cfg = def, cfg.gicd_base = 0xffffffffffff0000ULL;
	vm = assert_accepted(&cfg, &mem);
	assert_int_equal(vgic_mmio_read(vm, 0, cfg.gicd_base, 4, &v), 0);
	assert_int_equal(vgic_mmio_read(vm, 0, 0xfffffffffffffffcULL, 4, &v),
			 0);
	assert_int_equal(vgic_mmio_read(vm, 0, cfg.gicd_base - 4, 4, &v),
			 VGIC_ENOENT);
	assert_int_equal(vgic_mmio_read(vm, 0, 0, 4, &v), VGIC_ENOENT);
	free(mem);
}

/*
 * Valid extremes: 512 vCPUs, 988 SPIs, 16 LRs, 8 priority bits (and the
 * minimums 1, 0, 1, 5). Each one is used, not only accepted.
 */
static void t_extremes(void **state)
{
	(void)state;
	struct vgic_config cfg;
	unsigned char *mem;
	uint64_t v;

	vgic_config_default(&cfg);
	cfg.nr_vcpus = VGIC_MAX_VCPUS;
	cfg.nr_spis = VGIC_MAX_SPIS;
	cfg.nr_lrs = VGIC_MAX_LRS;
	cfg.pri_bits = 8;
	struct vgic_vm *vm = assert_accepted(&cfg, &mem);

	/* The last vCPU's redistributor, the last SPI. */
	const uint32_t last = VGIC_MAX_VCPUS - 1;
	uint64_t rd = cfg.gicr_base + (uint64_t)last * 0x20000;
	assert_int_equal(vgic_mmio_write(vm, last, rd + 0x14, 4, 0), 0);
	assert_int_equal(vgic_mmio_read(vm, last, rd + 0x8, 8, &v), 0);
	/* GICR_TYPER: Affinity_Value [63:32] of vCPU 511 (Aff1 31, Aff0 15),
	 * Last [4], Processor_Number [23:8]. */
	assert_int_equal(v >> 32, (31u << 8) | 15u);
	assert_true(v & (1u << 4));
	assert_int_equal((v >> 8) & 0xffff, last);
	struct vgic_irq_state st;
	assert_int_equal(vgic_irq_state(vm, last, 31, &st), 0);
	assert_int_equal(vgic_irq_state(vm, 0, 1019, &st), 0);
	assert_int_equal(vgic_irq_state(vm, 0, 1020, &st), VGIC_ERANGE);
	assert_int_equal(vgic_irq_state(vm, VGIC_MAX_VCPUS, 31, &st),
			 VGIC_ERANGE);

	/* 8 priority bits: all of them kept. */
	assert_int_equal(
		vgic_mmio_write(vm, 0, cfg.gicd_base + 0x400 + 1019, 1, 0xff),
		0);
	assert_int_equal(vgic_irq_state(vm, 0, 1019, &st), 0);
	assert_int_equal(st.priority, 0xff);
	/* 16 LRs: 20 pending SPIs of vCPU 511 fill all of them. */
	assert_int_equal(vgic_mmio_write(vm, 0, cfg.gicd_base, 4, 3), 0);
	for (uint32_t n = 0; n < 20; n++) {
		uint32_t intid = 1000 + n;
		assert_int_equal(
			vgic_mmio_write(vm, 0,
					cfg.gicd_base + 0x6000 + 8ULL * intid,
					8, (31u << 8) | 15u),
			0);
		assert_int_equal(
			vgic_mmio_write(vm, 0,
					cfg.gicd_base + 0x100 + intid / 32 * 4,
					4, 1u << (intid % 32)),
			0);
		assert_int_equal(vgic_inject(vm, 0, intid), 0);
	}
	struct vgic_cpu_if cif;
	memset(&cif, 0, sizeof(cif));
	assert_int_equal(vgic_flush(vm, last, &cif), 0);
	assert_int_equal(cif.nr_lrs_used, VGIC_MAX_LRS);
	assert_int_equal(cif.vmcr, vgic_vmcr_reset(vm));
	for (uint32_t n = 0; n < VGIC_MAX_LRS; n++) {
		assert_true(cif.lr[n] & VGIC_LR_PENDING);
		assert_int_equal(cif.lr[n] & VGIC_LR_VINTID_MASK, 1000 + n);
	}
	assert_true(cif.hcr & VGIC_HCR_UIE);
	assert_int_equal(vgic_sync(vm, last, &cif), 0);
	free(mem);

	/* The minimums. */
	vgic_config_default(&cfg);
	cfg.nr_vcpus = 1;
	cfg.nr_spis = 0;
	cfg.nr_lrs = 1;
	cfg.pri_bits = 5;
	vm = assert_accepted(&cfg, &mem);
	assert_int_equal(vgic_irq_state(vm, 0, 31, &st), 0);
	assert_int_equal(vgic_irq_state(vm, 0, 32, &st), VGIC_ERANGE);
	assert_int_equal(vgic_inject(vm, 0, 32), VGIC_ERANGE);
	assert_int_equal(vgic_mmio_read(vm, 0, cfg.gicd_base + 0x6100, 8, &v),
			 0);
	assert_int_equal(v, 0);
	free(mem);
}

/* Priority bits 5..8: the low bits beyond them read as zero, and the
 * reset VMCR masks every priority. */
static void t_pri_bits(void **state)
{
	(void)state;
	for (uint8_t bits = 5; bits <= 8; bits++) {
		struct vgic_config cfg;
		unsigned char *mem;
		struct vgic_irq_state st;
		vgic_config_default(&cfg);
		cfg.pri_bits = bits;
		struct vgic_vm *vm = assert_accepted(&cfg, &mem);
		assert_int_equal(vgic_mmio_write(vm, 0,
						 cfg.gicd_base + 0x400 + 33, 1,
						 0xff),
				 0);
		assert_int_equal(vgic_irq_state(vm, 0, 33, &st), 0);
		assert_int_equal(st.priority, (0xff00u >> bits) & 0xff);
		/* ICH_VMCR_EL2 at reset: VPMR 0 (all masked), groups off,
		 * VBPR0 at its minimum 7 - PREbits (at most 7 preemption
		 * bits), VBPR1 one more. */
		uint32_t vmcr = vgic_vmcr_reset(vm);
		unsigned pre = bits < 7 ? bits : 7;
		uint32_t want = (7u - pre) << VGIC_VMCR_VBPR0_SHIFT |
				(8u - pre) << VGIC_VMCR_VBPR1_SHIFT;
		/* What the first entry loads is that value. */
		struct vgic_cpu_if cif;
		memset(&cif, 0, sizeof(cif));
		assert_int_equal(vgic_flush(vm, 0, &cif), 0);
		assert_int_equal(vgic_sync(vm, 0, &cif), 0);
		free(mem);
		if (vmcr != want || cif.vmcr != want)
			fail_msg("pri_bits %u: reset VMCR %#x, loaded %#x, "
				 "expected %#x",
				 bits, vmcr, cif.vmcr, want);
	}
}

/* ------------------------------------------------- calls on a VM */

static void t_null_vm(void **state)
{
	(void)state;
	struct vgic_cpu_if cif;
	struct vgic_irq_state st;
	struct vgic_stats s;
	uint64_t v = 0;
	memset(&cif, 0, sizeof(cif));

	assert_int_equal(vgic_flush(NULL, 0, &cif), VGIC_EINVAL);
	assert_int_equal(vgic_sync(NULL, 0, &cif), VGIC_EINVAL);
	assert_int_equal(vgic_vcpu_put(NULL, 0), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_read(NULL, 0, B.cfg.gicd_base, 4, &v),
			 VGIC_EINVAL);
	assert_int_equal(vgic_mmio_write(NULL, 0, B.cfg.gicd_base, 4, 0),
			 VGIC_EINVAL);
	assert_int_equal(vgic_sysreg_write(NULL, 0, VGIC_SYSREG_SGI1R, 1),
			 VGIC_EINVAL);
	assert_int_equal(vgic_set_level(NULL, 0, 40, true), VGIC_EINVAL);
	assert_int_equal(vgic_inject(NULL, 0, 40), VGIC_EINVAL);
	assert_int_equal(vgic_map_phys(NULL, 0, 40, 40), VGIC_EINVAL);
	assert_int_equal(vgic_unmap_phys(NULL, 0, 40), VGIC_EINVAL);
	assert_int_equal(vgic_inject_phys(NULL, 0, 40), VGIC_EINVAL);
	assert_int_equal(vgic_irq_state(NULL, 0, 40, &st), VGIC_EINVAL);
	assert_int_equal(vgic_get_stats(NULL, &s), VGIC_EINVAL);

	/* NULL outputs on a real VM. */
	assert_int_equal(vgic_flush(B.vm, 0, NULL), VGIC_EINVAL);
	assert_int_equal(vgic_sync(B.vm, 0, NULL), VGIC_EINVAL);
	assert_int_equal(vgic_mmio_read(B.vm, 0, B.cfg.gicd_base, 4, NULL),
			 VGIC_EINVAL);
	assert_int_equal(vgic_irq_state(B.vm, 0, 40, NULL), VGIC_EINVAL);
	assert_int_equal(vgic_get_stats(B.vm, NULL), VGIC_EINVAL);
	/* None of it counted as an access. */
	s = stats();
	assert_int_equal(s.mmio_reads + s.mmio_writes, 0);
}

/* Every per-vCPU entry point with a vCPU index beyond the VM. */
static void t_bad_vcpu(void **state)
{
	(void)state;
	const uint32_t bad[] = {4, 5, 511, 512, 0xffff, UINT32_MAX};
	struct vgic_cpu_if cif;
	struct vgic_irq_state st;
	uint64_t v = 0;
	memset(&cif, 0, sizeof(cif));

	for (unsigned i = 0; i < 6; i++) {
		uint32_t b = bad[i];
		assert_int_equal(vgic_flush(B.vm, b, &cif), VGIC_ERANGE);
		assert_int_equal(vgic_sync(B.vm, b, &cif), VGIC_ERANGE);
		assert_int_equal(vgic_vcpu_put(B.vm, b), VGIC_ERANGE);
		assert_int_equal(
			vgic_mmio_read(B.vm, b, B.cfg.gicd_base, 4, &v),
			VGIC_ERANGE);
		assert_int_equal(
			vgic_mmio_write(B.vm, b, B.cfg.gicd_base, 4, 3),
			VGIC_ERANGE);
		assert_int_equal(
			vgic_mmio_read(B.vm, b, B.cfg.gicr_base, 4, &v),
			VGIC_ERANGE);
		for (int r = VGIC_SYSREG_SGI1R; r <= VGIC_SYSREG_DIR; r++)
			assert_int_equal(vgic_sysreg_write(B.vm, b,
							   (enum vgic_sysreg)r,
							   1u << 24 | 1),
					 VGIC_ERANGE);
		assert_int_equal(vgic_set_level(B.vm, b, 16, true),
				 VGIC_ERANGE);
		assert_int_equal(vgic_set_level(B.vm, b, 31, true),
				 VGIC_ERANGE);
		assert_int_equal(vgic_inject(B.vm, b, 0), VGIC_ERANGE);
		assert_int_equal(vgic_inject(B.vm, b, 20), VGIC_ERANGE);
		assert_int_equal(vgic_map_phys(B.vm, b, 20, 20), VGIC_ERANGE);
		assert_int_equal(vgic_unmap_phys(B.vm, b, 20), VGIC_ERANGE);
		assert_int_equal(vgic_inject_phys(B.vm, b, 20), VGIC_ERANGE);
		assert_int_equal(vgic_irq_state(B.vm, b, 0, &st), VGIC_ERANGE);
		assert_int_equal(vgic_irq_state(B.vm, b, 31, &st), VGIC_ERANGE);
		assert_false(vgic_vcpu_pending(B.vm, b));
	}
	/* Nothing happened: no SGI, no pending PPI anywhere. */
	struct vgic_stats s = stats();
	assert_int_equal(s.sgis, 0);
	assert_int_equal(s.mmio_reads + s.mmio_writes, 0);
	for (uint32_t vc = 0; vc < 4; vc++)
		for (uint32_t n = 0; n < 32; n++) {
			assert_int_equal(vgic_irq_state(B.vm, vc, n, &st), 0);
			assert_false(st.pending || st.line_level);
		}
	/* For an SPI the vCPU argument is ignored. */
	assert_int_equal(vgic_set_level(B.vm, UINT32_MAX, 40, true), 0);
	assert_int_equal(vgic_irq_state(B.vm, UINT32_MAX, 40, &st), 0);
	assert_true(st.line_level && st.pending);
	assert_int_equal(vgic_inject(B.vm, 77, 41), 0);
	assert_int_equal(vgic_irq_state(B.vm, 0, 41, &st), 0);
	assert_true(st.pending);
}

/* INTIDs beyond the configuration (64 SPIs: 32..95 exist). */
static void t_bad_intid(void **state)
{
	(void)state;
	const uint32_t bad[] = {96,   127,  1019, 1020,
				1023, 1024, 8192, UINT32_MAX};
	struct vgic_irq_state st;

	for (unsigned i = 0; i < 8; i++) {
		uint32_t b = bad[i];
		assert_int_equal(vgic_set_level(B.vm, 0, b, true), VGIC_ERANGE);
		assert_int_equal(vgic_inject(B.vm, 0, b), VGIC_ERANGE);
		assert_int_equal(vgic_map_phys(B.vm, 0, b, 40), VGIC_ERANGE);
		assert_int_equal(vgic_unmap_phys(B.vm, 0, b), VGIC_ERANGE);
		assert_int_equal(vgic_inject_phys(B.vm, 0, b), VGIC_ERANGE);
		assert_int_equal(vgic_irq_state(B.vm, 0, b, &st), VGIC_ERANGE);
	}
	assert_int_equal(vgic_irq_state(B.vm, 0, 95, &st), 0);
	/* A guest DIR of a nonexistent INTID: accepted, counted. */
	uint64_t before = stats().bad_intid;
	assert_int_equal(vgic_sysreg_write(B.vm, 0, VGIC_SYSREG_DIR, 96), 0);
	assert_int_equal(vgic_sysreg_write(B.vm, 0, VGIC_SYSREG_DIR, 5000), 0);
	assert_int_equal(stats().bad_intid - before, 2);
	/* An unknown system register. */
	assert_int_equal(vgic_sysreg_write(B.vm, 0, (enum vgic_sysreg)99, 0),
			 VGIC_EINVAL);
}

/* SGIs have no input line and cannot be forwarded. */
static void t_sgi_eperm(void **state)
{
	(void)state;
	struct vgic_irq_state st;

	for (uint32_t i = 0; i < VGIC_NR_SGIS; i++) {
		assert_int_equal(vgic_set_level(B.vm, 1, i, true), VGIC_EPERM);
		assert_int_equal(vgic_set_level(B.vm, 1, i, false), VGIC_EPERM);
		assert_int_equal(vgic_map_phys(B.vm, 1, i, 40), VGIC_EPERM);
		assert_int_equal(vgic_unmap_phys(B.vm, 1, i), VGIC_EPERM);
		assert_int_equal(vgic_inject_phys(B.vm, 1, i), VGIC_EPERM);
		assert_int_equal(vgic_irq_state(B.vm, 1, i, &st), 0);
		assert_false(st.pending || st.line_level || st.hw);
		assert_true(st.edge);
	}
	/* The host may raise one by edge. */
	assert_int_equal(vgic_inject(B.vm, 1, 3), 0);
	assert_int_equal(vgic_irq_state(B.vm, 1, 3, &st), 0);
	assert_true(st.pending);
	assert_int_equal(vgic_irq_state(B.vm, 0, 3, &st), 0);
	assert_false(st.pending);
}

static void t_map_phys(void **state)
{
	(void)state;
	struct vgic_irq_state st;

	/* pINTID must be a PPI or SPI. */
	const uint32_t bad_p[] = {0, 15, 1020, 1023, 1024, UINT32_MAX};
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(vgic_map_phys(B.vm, 0, 40, bad_p[i]),
				 VGIC_ERANGE);
		assert_int_equal(vgic_map_phys(B.vm, 2, 20, bad_p[i]),
				 VGIC_ERANGE);
	}
	assert_int_equal(vgic_irq_state(B.vm, 0, 40, &st), 0);
	assert_false(st.hw);

	/* Not mapped yet. */
	assert_int_equal(vgic_unmap_phys(B.vm, 0, 40), VGIC_ENOENT);
	assert_int_equal(vgic_inject_phys(B.vm, 0, 40), VGIC_ENOENT);
	assert_int_equal(vgic_inject_phys(B.vm, 2, 20), VGIC_ENOENT);
	assert_int_equal(vgic_irq_state(B.vm, 0, 40, &st), 0);
	assert_false(st.pending);

	/* The extremes of pINTID are accepted. */
	assert_int_equal(vgic_map_phys(B.vm, 0, 40, 1019), 0);
	assert_int_equal(vgic_map_phys(B.vm, 2, 20, 16), 0);
	assert_int_equal(vgic_irq_state(B.vm, 0, 40, &st), 0);
	assert_true(st.hw);
	assert_int_equal(st.pintid, 1019);
	assert_int_equal(vgic_irq_state(B.vm, 2, 20, &st), 0);
	assert_true(st.hw);
	assert_int_equal(st.pintid, 16);
	/* A PPI mapping belongs to its vCPU only. */
	assert_int_equal(vgic_irq_state(B.vm, 1, 20, &st), 0);
	assert_false(st.hw);
	assert_int_equal(vgic_unmap_phys(B.vm, 1, 20), VGIC_ENOENT);

	/* Twice: EBUSY, the first mapping kept. */
	assert_int_equal(vgic_map_phys(B.vm, 0, 40, 41), VGIC_EBUSY);
	assert_int_equal(vgic_map_phys(B.vm, 0, 40, 1019), VGIC_EBUSY);
	assert_int_equal(vgic_map_phys(B.vm, 2, 20, 17), VGIC_EBUSY);
	assert_int_equal(vgic_irq_state(B.vm, 0, 40, &st), 0);
	assert_int_equal(st.pintid, 1019);

	/* Unmap, then unmapped again. */
	assert_int_equal(vgic_unmap_phys(B.vm, 0, 40), 0);
	assert_int_equal(vgic_unmap_phys(B.vm, 0, 40), VGIC_ENOENT);
	assert_int_equal(vgic_inject_phys(B.vm, 0, 40), VGIC_ENOENT);
	assert_int_equal(vgic_irq_state(B.vm, 0, 40, &st), 0);
	assert_false(st.hw);
	assert_false(st.pending);
	/* Mappable again after the unmap. */
	assert_int_equal(vgic_map_phys(B.vm, 0, 40, 50), 0);
	assert_int_equal(vgic_unmap_phys(B.vm, 0, 40), 0);
	assert_int_equal(vgic_unmap_phys(B.vm, 2, 20), 0);
}

static void t_mmio_args(void **state)
{
	(void)state;
	const uint64_t d = B.cfg.gicd_base, r = B.cfg.gicr_base;
	uint64_t v;

	/* Widths other than 1, 2, 4, 8. */
	const unsigned bad_len[] = {0, 3, 5, 6, 7, 9, 16, UINT_MAX};
	for (unsigned i = 0; i < 8; i++) {
		v = 0x1234;
		assert_int_equal(vgic_mmio_read(B.vm, 0, d, bad_len[i], &v),
				 VGIC_EINVAL);
		assert_int_equal(vgic_mmio_write(B.vm, 0, d, bad_len[i], 3),
				 VGIC_EINVAL);
		assert_int_equal(vgic_mmio_read(B.vm, 0, r, bad_len[i], &v),
				 VGIC_EINVAL);
	}
	/* Nothing written: GICD_CTLR still 0. */
	assert_int_equal(vgic_mmio_read(B.vm, 0, d, 4, &v), 0);
	assert_int_equal(v & 3, 0);

	/* Outside every frame (4 vCPUs: 4 redistributors). */
	const uint64_t outside[] = {0,
				    d - 4,
				    d + 0x10000,
				    r - 4,
				    r + 4 * 0x20000,
				    r + 4 * 0x20000 + 0x10000,
				    r + 512ULL * 0x20000,
				    UINT64_MAX - 7};
	struct vgic_stats before = stats();
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(vgic_mmio_read(B.vm, 0, outside[i], 4, &v),
				 VGIC_ENOENT);
		assert_int_equal(vgic_mmio_write(B.vm, 1, outside[i], 4, 0),
				 VGIC_ENOENT);
		assert_int_equal(vgic_mmio_read(B.vm, 3, outside[i], 8, &v),
				 VGIC_ENOENT);
	}
	/* Not a guest mistake the library counts: the host handles it. */
	struct vgic_stats after = stats();
	assert_int_equal(after.mmio_reserved, before.mmio_reserved);
	assert_int_equal(after.mmio_unaligned, before.mmio_unaligned);
	/* The first and last words of each frame are inside. */
	assert_int_equal(vgic_mmio_read(B.vm, 0, d + 0xfffc, 4, &v), 0);
	assert_int_equal(vgic_mmio_read(B.vm, 0, r + 4 * 0x20000 - 4, 4, &v),
			 0);
}

static void t_strerror(void **state)
{
	(void)state;
	const int codes[] = {VGIC_OK,	  VGIC_EINVAL,	VGIC_ERANGE,
			     VGIC_ENOSPC, VGIC_ECONFIG, VGIC_EVERSION,
			     VGIC_ENOENT, VGIC_EBUSY,	VGIC_EPERM};
	const int unknown[] = {-9, -100, 1, 42, INT_MIN, INT_MAX};
	const unsigned nc = sizeof(codes) / sizeof(codes[0]);
	const char *generic = vgic_strerror(unknown[0]);

	assert_non_null(generic);
	assert_true(strlen(generic) > 0);
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *s = vgic_strerror(unknown[i]);
		assert_non_null(s);
		assert_string_equal(s, generic);
	}
	for (unsigned i = 0; i < nc; i++) {
		const char *s = vgic_strerror(codes[i]);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, generic);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(s, vgic_strerror(codes[j]));
	}
	/* Every error code is negative. */
	for (unsigned i = 1; i < nc; i++)
		assert_true(codes[i] < 0);
}

/*
 * "Every flush must be followed by a sync: EBUSY if the previous flush was
 * not synced" (vgic.h) also when the flush had nothing to place.
 */
static void t_flush_twice_empty(void **state)
{
	(void)state;
	struct vgic_cpu_if cif, again;
	memset(&cif, 0, sizeof(cif));
	memset(&again, 0, sizeof(again));
	assert_int_equal(vgic_flush(B.vm, 1, &cif), 0);
	assert_int_equal(cif.nr_lrs_used, 0);
	assert_int_equal(vgic_flush(B.vm, 1, &again), VGIC_EBUSY);
	assert_int_equal(vgic_sync(B.vm, 1, &cif), 0);
	assert_int_equal(vgic_flush(B.vm, 1, &again), 0);
	assert_int_equal(vgic_sync(B.vm, 1, &again), 0);
}

/* After all the misuse the VM still works normally. */
static void t_still_usable(void **state)
{
	(void)state;
	struct vgic_cpu_if cif;
	struct vgic_irq_state st;
	uint64_t v;

	/* Misuse first. */
	assert_int_equal(vgic_set_level(B.vm, 0, 5, true), VGIC_EPERM);
	assert_int_equal(vgic_inject(B.vm, 9, 20), VGIC_ERANGE);
	assert_int_equal(vgic_mmio_read(B.vm, 0, 0, 3, &v), VGIC_EINVAL);
	assert_int_equal(vgic_map_phys(B.vm, 0, 40, 3), VGIC_ERANGE);
	/* Then an SPI configured and delivered to vCPU 1's LRs. */
	const uint64_t d = B.cfg.gicd_base;
	assert_int_equal(vgic_mmio_write(B.vm, 0, d, 4, 2), 0);
	assert_int_equal(vgic_mmio_write(B.vm, 0, d + 0x80 + 4, 4, 1u << 8), 0);
	assert_int_equal(vgic_mmio_write(B.vm, 0, d + 0x100 + 4, 4, 1u << 8),
			 0);
	assert_int_equal(vgic_mmio_write(B.vm, 0, d + 0x6000 + 8 * 40, 8, 1),
			 0);
	assert_int_equal(vgic_set_level(B.vm, 0, 40, true), 0);
	assert_int_equal(vgic_irq_state(B.vm, 0, 40, &st), 0);
	assert_true(st.pending && st.enabled && st.group1);
	assert_int_equal(st.target, 1);
	/* The guest has not unmasked anything yet. */
	assert_false(vgic_vcpu_pending(B.vm, 1));
	memset(&cif, 0, sizeof(cif));
	assert_int_equal(vgic_flush(B.vm, 1, &cif), 0);
	assert_int_equal(cif.nr_lrs_used, 1);
	assert_int_equal(cif.lr[0] & VGIC_LR_VINTID_MASK, 40);
	assert_true(cif.lr[0] & VGIC_LR_PENDING);
	assert_true(cif.lr[0] & VGIC_LR_GROUP);
	assert_int_equal(vgic_sync(B.vm, 1, &cif), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_init_null),
		cmocka_unit_test(t_init_alignment),
		cmocka_unit_test(t_init_version),
		cmocka_unit_test(t_init_nospc),
		cmocka_unit_test(t_bad_config),
		cmocka_unit_test(t_bad_mpidr),
		cmocka_unit_test(t_frames_valid),
		cmocka_unit_test(t_extremes),
		cmocka_unit_test(t_pri_bits),
#define T(f) cmocka_unit_test_setup_teardown(f, setup_default, teardown)
		T(t_null_vm),
		T(t_bad_vcpu),
		T(t_bad_intid),
		T(t_sgi_eperm),
		T(t_map_phys),
		T(t_mmio_args),
		T(t_strerror),
		T(t_flush_twice_empty),
		T(t_still_usable),
#undef T
	};
	return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
