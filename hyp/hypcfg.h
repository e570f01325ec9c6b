/* SPDX-License-Identifier: MIT */
/*
 * The boot contract between scripts/run-guest and the hypervisor.
 *
 * QEMU virt, -m 1G: RAM is [0x40000000, 0x80000000).
 *
 *   0x40000000 .. 0x7e000000   guest RAM, identity-mapped by stage 2
 *                              (IPA == PA), 992 MiB
 *     0x40080000               raw self-relocating guest binary, or
 *     0x40200000 + text_offset arm64 Linux Image (per its header)
 *     0x48000000               guest DTB (built with dtc by run-guest)
 *     0x49000000               guest initrd, if any
 *   0x7e000000                 struct hypcfg (this file), one page,
 *                              loaded by run-guest with -device loader
 *   0x7e000000 .. 0x80000000   hypervisor only: never mapped for the guest
 *     0x7f000000               hyp.elf (linked here; QEMU puts its own
 *                              DTB at 0x40000000, which nobody uses)
 *
 * The guest enters at EL1 at `guest_entry` with x0 = `guest_dtb`, MMU off,
 * DAIF masked, on vCPU 0; the other vCPUs start with PSCI CPU_ON.
 *
 * QEMU's exit status tells how the guest ended (the hypervisor exits
 * through semihosting SYS_EXIT_EXTENDED):
 *   0  guest called PSCI SYSTEM_OFF
 *   2  guest called PSCI SYSTEM_RESET
 *   3  the hypervisor stopped the guest (fatal guest exception, panic)
 * scripts/run-guest adds 124 for a timeout.
 */
#ifndef HYP_HYPCFG_H
#define HYP_HYPCFG_H

#include <stdint.h>

#define HYPCFG_ADDR 0x7e000000ULL
#define HYPCFG_MAGIC 0x47464350595948ULL /* "HYPCFG\0" little-endian-ish */
#define HYPCFG_VERSION 1

#define GUEST_RAM_BASE 0x40000000ULL
#define GUEST_RAM_SIZE 0x3e000000ULL
#define GUEST_RAW_ENTRY 0x40080000ULL
#define GUEST_DTB_ADDR 0x48000000ULL
#define GUEST_INITRD_ADDR 0x49000000ULL

#define HYP_EXIT_OFF 0
#define HYP_EXIT_RESET 2
#define HYP_EXIT_FAULT 3

/* Little-endian, all fields naturally aligned; written by tools/hypcfg. */
struct hypcfg {
	uint64_t magic;	       /* HYPCFG_MAGIC */
	uint32_t version;      /* HYPCFG_VERSION */
	uint32_t nr_vcpus;     /* 1..8 */
	uint32_t nr_pcpus;     /* physical CPUs to use, 1..8 (QEMU -smp) */
	uint32_t gic_version;  /* 3 or 4 (QEMU gic-version) */
	uint64_t guest_entry;  /* IPA where vCPU 0 starts */
	uint64_t guest_dtb;    /* IPA of the guest DTB, passed in x0 */
	uint64_t ram_base;     /* GUEST_RAM_BASE */
	uint64_t ram_size;     /* GUEST_RAM_SIZE */
	uint32_t flags;	       /* HYPCFG_F_* */
	uint32_t timeslice_us; /* scheduler slice when vCPUs > pCPUs */
};

#define HYPCFG_F_VERBOSE (1u << 0) /* log every exit cause */
#define HYPCFG_F_LPIS (1u << 1)	   /* guest LPIs with DirectLPI */
#define HYPCFG_F_ITS (1u << 2)	   /* + a vITS, PCI MSIs passed through */
#define HYPCFG_F_PT_MASK (1u << 3) /* passthrough policy MASK (else MERGE) */

#endif /* HYP_HYPCFG_H */
