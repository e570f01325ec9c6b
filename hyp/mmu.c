/* SPDX-License-Identifier: MIT */
/*
 * Translation tables (Arm ARM D8, VMSAv8-64, 4 KiB granule).
 *
 * EL2 stage 1: an identity map of the low 2 GiB with 1 GiB blocks:
 * [0, 1 GiB) Device-nGnRE (GIC, UART, ...), [1 GiB, 2 GiB) Normal
 * write-back (RAM, this image included), so that caches and exclusives
 * behave for our spinlocks.
 *
 * Stage 2 (the guest's IPA space, 40 bits, starting at level 1 with two
 * concatenated tables): guest RAM [0x40000000, 0x7e000000) identity-mapped
 * Normal; the PL011 page and QEMU virt's PCIe windows (low MMIO + PIO
 * [0x10000000, 0x40000000), high ECAM [0x4010000000, +256 MiB), high MMIO
 * [0x8000000000, 0x10000000000)) passed through as Device-nGnRE. The GIC
 * frames, the ITS and [0x7e000000, 0x80000000) stay unmapped: every
 * access traps (GIC) or aborts (the rest).
 */
#include "hyp.h"

#define PTE_VALID (1ULL << 0)
#define PTE_TABLE (3ULL << 0) /* table (levels 0-2) or page (level 3) */
#define PTE_BLOCK (1ULL << 0)
#define PTE_AF (1ULL << 10)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_XN (1ULL << 54) /* stage 1 EL2 XN; stage 2 XN[54:53] = 0b10 */

/* Stage 1: MAIR_EL2 index 0 = Device-nGnRE, index 1 = Normal WB RA/WA. */
#define S1_ATTR_DEV (0ULL << 2)
#define S1_ATTR_MEM (1ULL << 2)
#define MAIR_EL2_VAL 0xff04ULL

/* Stage 2 MemAttr[3:0] (D8.5.5): 0b0001 Device-nGnRE, 0b1111 Normal WB. */
#define S2_MEMATTR_DEV (1ULL << 2)
#define S2_MEMATTR_MEM (0xfULL << 2)
#define S2_AP_RW (3ULL << 6)

#define S2_MEM (PTE_AF | PTE_SH_INNER | S2_AP_RW | S2_MEMATTR_MEM)
#define S2_DEV (PTE_AF | S2_AP_RW | S2_MEMATTR_DEV | PTE_XN)

#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

typedef uint64_t pt_t[512] __attribute__((aligned(4096)));

static pt_t el2_l1;
static uint64_t s2_l1[1024] __attribute__((aligned(8192)));
static pt_t s2_l2_low, s2_l2_ram, s2_l2_ecam, s2_l3_uart;

static uint64_t table(pt_t *t)
{
	return (uint64_t)t | PTE_TABLE;
}

static void el2_build(void)
{
	el2_l1[0] = 0x0 | PTE_BLOCK | PTE_AF | S1_ATTR_DEV | PTE_XN;
	el2_l1[1] = SZ_1G | PTE_BLOCK | PTE_AF | PTE_SH_INNER | S1_ATTR_MEM;
}

/* Map [base, end) with 2 MiB blocks into a level-2 table covering `l2va`. */
static void s2_blocks(pt_t *l2, uint64_t l2va, uint64_t base, uint64_t end,
		      uint64_t attr)
{
	for (uint64_t a = base; a < end; a += SZ_2M)
		(*l2)[(a - l2va) / SZ_2M] = a | PTE_BLOCK | attr;
}

static void s2_build(void)
{
	const uint64_t uart = 0x09000000, ecam = 0x4010000000ULL;

	s2_l1[0] = table(&s2_l2_low);
	s2_l2_low[uart / SZ_2M] = table(&s2_l3_uart);
	s2_l3_uart[0] = uart | PTE_TABLE | S2_DEV;
	s2_blocks(&s2_l2_low, 0, 0x10000000, SZ_1G, S2_DEV);

	s2_l1[1] = table(&s2_l2_ram);
	s2_blocks(&s2_l2_ram, SZ_1G, GUEST_RAM_BASE,
		  GUEST_RAM_BASE + GUEST_RAM_SIZE, S2_MEM);

	s2_l1[ecam / SZ_1G] = table(&s2_l2_ecam);
	s2_blocks(&s2_l2_ecam, ecam & ~(SZ_1G - 1), ecam, ecam + 0x10000000,
		  S2_DEV);

	for (uint64_t i = 512; i < 1024; i++)
		s2_l1[i] = (i * SZ_1G) | PTE_BLOCK | S2_DEV;
}

void mmu_build_tables(void)
{
	el2_build();
	s2_build();
	dsb(sy);
}

/* TCR_EL2: T0SZ 25 (39-bit VA, start at level 1), WB WA inner/outer,
 * inner shareable, 4K granule, PS 40 bits; bits 31 and 23 are RES1. */
#define TCR_EL2_VAL                                                            \
	((1ULL << 31) | (1ULL << 23) | (2ULL << 16) | (3ULL << 12) |           \
	 (1ULL << 10) | (1ULL << 8) | 25)
/* SCTLR_EL2: RES1 bits, M, C, SA, I. */
#define SCTLR_EL2_VAL                                                          \
	(0x30c50830ULL | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12))

void mmu_enable_el2(void)
{
	write_sysreg(mair_el2, MAIR_EL2_VAL);
	write_sysreg(tcr_el2, TCR_EL2_VAL);
	write_sysreg(ttbr0_el2, (uint64_t)el2_l1);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_VAL);
	isb();
}

/* VTCR_EL2: T0SZ 24 (40-bit IPA), SL0 1 (start at level 1, two
 * concatenated tables), WB inner/outer, inner shareable, 4K, PS 40 bits. */
#define VTCR_EL2_VAL                                                           \
	((1ULL << 31) | (2ULL << 16) | (3ULL << 12) | (1ULL << 10) |           \
	 (1ULL << 8) | (1ULL << 6) | 24)
#define VMID 1ULL

void stage2_enable(void)
{
	write_sysreg(vtcr_el2, VTCR_EL2_VAL);
	write_sysreg(vttbr_el2, (uint64_t)s2_l1 | (VMID << 48));
	isb();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
}
