/* SPDX-License-Identifier: MIT */
/*
 * Every identification and feature value the guest can read, in one place,
 * with the reason for each choice.
 *
 * Spec: Arm IHI 0069 (GICv3/GICv4 architecture specification), issue H.
 * Chapter 12 "Programmers' model": 12.8 is the Distributor register map,
 * 12.9 the GICD_* descriptions (alphabetical: GICD_CTLR,
 * GICD_IROUTER<n>), 12.10 the Redistributor register map and
 * 12.11 the GICR_* descriptions. Where a later spec issue renumbers a
 * subsection, the register name is authoritative.
 *
 * The guest sees: GICv3, affinity routing always enabled, one Security
 * state (DS == 1), no LPIs, no ITS message-based SPIs, no extended SPI or
 * PPI ranges, no NMIs, INTIDs below 1024.
 */
#ifndef VGIC_ID_REGS_H
#define VGIC_ID_REGS_H

#include <stdint.h>

/* ------------------------------------------------------------ frames */

#define VGIC_GICD_SIZE 0x10000u	      /* 12.8: one 64 KiB frame */
#define VGIC_GICR_STRIDE 0x20000u     /* 12.10: RD_base + SGI_base (GICv3) */
#define VGIC_GICR_FRAME_SIZE 0x10000u /* each of RD_base and SGI_base */

/* ------------------------------------------------------ GICD_CTLR */

/* DS == 1 layout: EnableGrp0 [0], EnableGrp1 [1], ARE [4], DS [6],
 * E1NWF [7] (not implemented: RAZ/WI), RWP [31] (writes take effect at
 * once, so it always reads 0). */
#define VGIC_GICD_CTLR_ENABLE_GRPS 0x3u
#define VGIC_GICD_CTLR_ARE (1u << 4) /* RAO/WI: no legacy operation */
#define VGIC_GICD_CTLR_DS (1u << 6)  /* RAO/WI: one Security state */
/* Reset value with both groups disabled: 0x50. */
#define VGIC_GICD_CTLR_FIXED (VGIC_GICD_CTLR_ARE | VGIC_GICD_CTLR_DS)

/* ------------------------------------------------------- GICD_TYPER  */

#define VGIC_GICD_TYPER_ITLINES_SHIFT 0 /* [4:0]: 32*(N+1) INTIDs */
#define VGIC_GICD_TYPER_ITLINES_MAX 31u
#define VGIC_GICD_TYPER_CPUNUMBER 0u /* [7:5]: legacy only; ARE is RAO */
#define VGIC_GICD_TYPER_ESPI 0u	     /* [8]: no extended SPI range */
#define VGIC_GICD_TYPER_NMI 0u	     /* [9]: no non-maskable interrupts */
#define VGIC_GICD_TYPER_SECEXTN 0u   /* [10]: DS == 1, one Security state */
#define VGIC_GICD_TYPER_MBIS 0u	     /* [16]: no GICD_SETSPI_* */
#define VGIC_GICD_TYPER_DVIS 0u	     /* [18]: no GICv4 direct injection */
#define VGIC_GICD_TYPER_IDBITS 9u    /* [23:19]: 10 INTID bits, < 1024 */
#define VGIC_GICD_TYPER_IDBITS_SHIFT 19
#define VGIC_GICD_TYPER_IDBITS_MASK (0x1fu << 19)
#define VGIC_GICD_TYPER_LPIS_BIT (1u << 17) /* with LPIs configured */
#define VGIC_GICD_TYPER_A3V (1u << 24)	    /* Aff3 is supported (MPIDR Aff3) */
#define VGIC_GICD_TYPER_NO1N 0u		    /* [25]: 1-of-N routing supported */
#define VGIC_GICD_TYPER_RSS (1u << 26)	    /* SGI targets Aff0 0..255 */
/* Everything but ITLinesNumber, which depends on nr_spis. */
#define VGIC_GICD_TYPER_FIXED                                                  \
	(VGIC_GICD_TYPER_IDBITS << 19 | VGIC_GICD_TYPER_A3V |                  \
	 VGIC_GICD_TYPER_RSS)

/*
 * ITLinesNumber N: the guest may use INTIDs below 32 * (N + 1), so the
 * smallest N with 32 * (N + 1) >= 32 + nr_spis. nr_spis <= 988 keeps N
 * <= 31; INTIDs 1020..1023 are special and never implemented.
 */
static inline uint32_t vgic_gicd_itlines(uint32_t nr_spis)
{
	uint32_t n = (nr_spis + 31u) / 32u;

	return n > VGIC_GICD_TYPER_ITLINES_MAX ? VGIC_GICD_TYPER_ITLINES_MAX
					       : n;
}

/* GICD_TYPER2 : VIL, VID, nASSGIcap all 0 (no GICv4.1). */
#define VGIC_GICD_TYPER2 0u

/* ------------------------------------------------- GICD_IROUTER */

/* Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], IRM [31], Aff3 [39:32]; the
 * rest is RES0 and is not stored (QEMU stores it: a known deviation). */
#define VGIC_GICD_IROUTER_MASK 0xff80ffffffULL
#define VGIC_GICD_IROUTER_IRM (1ULL << 31)

/* ------------------------------------------------------- GICR_TYPER  */

#define VGIC_GICR_TYPER_VLPIS 0u       /* [1]: no virtual LPIs */
#define VGIC_GICR_TYPER_LAST (1u << 4) /* last redistributor of the VM */
/* With LPIs configured: physical LPIs and DirectLPI (GICR_SETLPIR & co.);
 * CommonLPIAff [25:24] == 0, all redistributors share one property
 * table. */
#define VGIC_GICR_TYPER_PLPIS_BIT (1u << 0)
#define VGIC_GICR_TYPER_DIRECTLPI_BIT (1u << 3)
#define VGIC_GICR_TYPER_DPGS 0u		/* [5]: no GICR_CTLR.DPG* bits */
#define VGIC_GICR_TYPER_PROCNUM_SHIFT 8 /* [23:8]: vCPU index */
#define VGIC_GICR_TYPER_PPINUM 0u	/* [31:27]: PPIs 16..31, no EPPI */
#define VGIC_GICR_TYPER_AFF_SHIFT 32	/* [63:32]: Aff3.Aff2.Aff1.Aff0 */

/* ------------------------------------------------------ GICR_WAKER  */

#define VGIC_GICR_WAKER_PROCESSOR_SLEEP (1u << 1) /* RW */
#define VGIC_GICR_WAKER_CHILDREN_ASLEEP (1u << 2) /* RO, = ProcessorSleep */

/* -------------------------------------------------- GICR_ICFGR0  */

/* SGIs are always edge-triggered: Int_config<x> reads 0b10, RO. */
#define VGIC_GICR_ICFGR0_SGIS 0xaaaaaaaau

/* -------------------------------------------- identification registers */

/*
 * 0xFFD0..0xFFFC in GICD and in each RD_base frame: PIDR4..7, PIDR0..3,
 * CIDR0..3 (CoreSight layout). The architecture defines only
 * PIDR2.ArchRev [7:4] = 0x3 for GICv3 (12.1 "Identification registers";
 * Linux checks it at probe); the rest is IMPLEMENTATION DEFINED. We use
 * QEMU's GICv3 values so that differential tests against QEMU match:
 *   PIDR4 0x44: SIZE = 4 (64 KiB frame), DES_2 = 4 (JEP106 continuation)
 *   PIDR0/1: PART 0x492 (GICD) / 0x493 (GICR), DES_0 = 0xB
 *   PIDR2 0x3B: ArchRev 3, JEDEC 1, DES_1 = 3 (JEP106 0x43B, Arm)
 *   PIDR3, PIDR5..7 0; CIDR0..3 the CoreSight preamble 0x0D 0xF0 0x05 0xB1
 */
#define VGIC_IDREGS_OFFSET 0xffd0u
#define VGIC_IDREGS_COUNT 12u
#define VGIC_PIDR0_GICD 0x92u
#define VGIC_PIDR0_GICR 0x93u
#define VGIC_PIDR0_GITS 0x94u /* the ITS control frame */
#define VGIC_PIDR2_GICV3 0x3bu

/* In register order from 0xFFD0; index 4 (PIDR0) is per frame. */
#define VGIC_IDREGS_INIT                                                       \
	{                                                                      \
		0x44, 0x00, 0x00, 0x00, 0x00, 0xb4, VGIC_PIDR2_GICV3, 0x00,    \
			0x0d, 0xf0, 0x05, 0xb1                                 \
	}
#define VGIC_IDREGS_PIDR0_INDEX 4u

#endif /* VGIC_ID_REGS_H */
