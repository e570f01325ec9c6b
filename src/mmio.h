/* SPDX-License-Identifier: MIT */
/*
 * Trapped GICD/GICR accesses: one sorted descriptor table per frame.
 *
 * vgic_mmio_read/write (mmio.c) turn a guest physical address into a frame
 * and a frame offset, then do every check in one place: alignment, a
 * descriptor for the offset (else reserved), an allowed width, and for
 * per-IRQ registers the INTID range. Only then is the descriptor's handler
 * called, with the frame offset and the redistributor index: handlers
 * never see guest addresses and never see a malformed access. Every guest
 * mistake becomes RAZ/WI and a count in struct vgic_stats.
 *
 * Per-IRQ registers share generic handlers parameterised by the
 * descriptor's bits per IRQ (mmio_regs.c): the access covers INTIDs
 * a->intid .. a->intid + a->nr_irqs - 1, for GICD the SPIs, for the GICR
 * SGI_base frame the private interrupts of the redistributor's vCPU.
 */
#ifndef VGIC_MMIO_H
#define VGIC_MMIO_H

#include "id_regs.h"
#include "vgic_internal.h"

/* Allowed access widths: the bit of value n allows n-byte accesses. */
#define VGIC_W1 1u
#define VGIC_W2 2u
#define VGIC_W4 4u
#define VGIC_W8 8u

/* One trapped access, already validated against its descriptor. */
struct vgic_mmio_access {
	struct vgic_vm *vm;
	const struct vgic_mmio_desc *desc;
	uint32_t vcpu; /* the accessing vCPU */
	uint32_t rd; /* GICR: redistributor accessed; GICD: = vcpu; GITS: ITS */
	uint32_t offset;  /* offset in the 64 KiB frame */
	uint32_t len;	  /* 1, 2, 4 or 8 */
	uint32_t intid;	  /* per-IRQ registers: first INTID covered */
	uint32_t nr_irqs; /* per-IRQ registers: INTIDs covered (>= 1) */
};

/* A read returns the access's bytes in the low bits; a write gets them. */
typedef uint64_t vgic_mmio_read_fn(const struct vgic_mmio_access *a);
typedef void vgic_mmio_write_fn(const struct vgic_mmio_access *a, uint64_t val);

struct vgic_mmio_desc {
	uint32_t offset;      /* frame offset of the first byte */
	uint32_t len;	      /* bytes covered */
	uint16_t first_intid; /* per-IRQ: INTID of the first byte's field */
	uint8_t bpi;	      /* bits per IRQ: 0 (not per-IRQ), 1, 2, 8, 64 */
	uint8_t widths;	      /* VGIC_W* mask of allowed access widths */
	vgic_mmio_read_fn *read;
	vgic_mmio_write_fn *write;
	const char *name; /* spelled as the spec's register map, no <n> */
};

/* A register the spec's map names, transcribed apart from the tables so
 * that the self-test can catch a mis-sized or misplaced descriptor. */
struct vgic_mmio_spec_reg {
	uint32_t offset;
	uint32_t count; /* instances: GICD_IPRIORITYR<n> has 255 */
	uint32_t size;	/* bytes per instance */
	const char *name;
};

struct vgic_mmio_frame {
	const char *name;
	const struct vgic_mmio_desc *regs;
	uint32_t nr_regs;
	const struct vgic_mmio_spec_reg *spec;
	uint32_t nr_spec;
	/* Per-IRQ registers address SPIs; their INTID 0..31 fields are
	 * RAZ/WI because affinity routing keeps those in the GICR. */
	bool spi_regs;
};

extern const struct vgic_mmio_frame vgic_gicd_frame;
extern const struct vgic_mmio_frame vgic_gicr_rd_frame;
extern const struct vgic_mmio_frame vgic_gicr_sgi_frame;
extern const struct vgic_mmio_frame vgic_gits_ctrl_frame;
extern const struct vgic_mmio_frame vgic_gits_xlat_frame;

/* mmio.c */
const struct vgic_mmio_desc *vgic_mmio_find(const struct vgic_mmio_frame *f,
					    uint32_t offset);
/* 0 if `f`'s table is well formed and matches its spec list, else < 0. */
int vgic_mmio_check_frame(const struct vgic_mmio_frame *f);

/* ---------------------------------------------- mmio_regs.c: generic */

uint64_t vgic_mmio_read_raz(const struct vgic_mmio_access *a);
void vgic_mmio_write_wi(const struct vgic_mmio_access *a, uint64_t val);
/* Registers this configuration does not implement (count mmio_reserved). */
uint64_t vgic_mmio_read_reserved(const struct vgic_mmio_access *a);
void vgic_mmio_write_reserved(const struct vgic_mmio_access *a, uint64_t val);
/* Writes to read-only registers (count mmio_ro_write). */
void vgic_mmio_write_ro(const struct vgic_mmio_access *a, uint64_t val);
/* Reads of write-only registers (count mmio_wo_read). */
uint64_t vgic_mmio_read_wo(const struct vgic_mmio_access *a);
uint64_t vgic_mmio_read_iidr(const struct vgic_mmio_access *a);
uint32_t vgic_mmio_idreg(uint32_t offset, uint8_t pidr0);
/* The 64-bit register value `v` as seen by a 4- or 8-byte access. */
uint64_t vgic_mmio_read_half(const struct vgic_mmio_access *a, uint64_t v);
/* The 64-bit register `old` after a 4- or 8-byte write of `val`. */
uint64_t vgic_mmio_write_half(const struct vgic_mmio_access *a, uint64_t old,
			      uint64_t val);

/* ------------------------------------------- mmio_regs.c: per-IRQ */

uint64_t vgic_mmio_read_group(const struct vgic_mmio_access *a);
void vgic_mmio_write_group(const struct vgic_mmio_access *a, uint64_t val);
uint64_t vgic_mmio_read_enable(const struct vgic_mmio_access *a);
void vgic_mmio_write_senable(const struct vgic_mmio_access *a, uint64_t val);
void vgic_mmio_write_cenable(const struct vgic_mmio_access *a, uint64_t val);
uint64_t vgic_mmio_read_pending(const struct vgic_mmio_access *a);
void vgic_mmio_write_spending(const struct vgic_mmio_access *a, uint64_t val);
void vgic_mmio_write_cpending(const struct vgic_mmio_access *a, uint64_t val);
uint64_t vgic_mmio_read_active(const struct vgic_mmio_access *a);
void vgic_mmio_write_sactive(const struct vgic_mmio_access *a, uint64_t val);
void vgic_mmio_write_cactive(const struct vgic_mmio_access *a, uint64_t val);
uint64_t vgic_mmio_read_priority(const struct vgic_mmio_access *a);
void vgic_mmio_write_priority(const struct vgic_mmio_access *a, uint64_t val);
uint64_t vgic_mmio_read_config(const struct vgic_mmio_access *a);
void vgic_mmio_write_config(const struct vgic_mmio_access *a, uint64_t val);

/* ------------------------------------------------ table entry macros */

/* A register that is not per-IRQ. */
#define VGIC_MMIO_REG(off, bytes, w, rd, wr, nm)                               \
	{                                                                      \
		.offset = (off), .len = (bytes), .first_intid = 0, .bpi = 0,   \
		.widths = (w), .read = (rd), .write = (wr), .name = (nm)       \
	}

/* A per-IRQ register array whose first field describes `first`. */
#define VGIC_MMIO_IRQ(off, bytes, first, bits, w, rd, wr, nm)                  \
	{                                                                      \
		.offset = (off), .len = (bytes), .first_intid = (first),       \
		.bpi = (bits), .widths = (w), .read = (rd), .write = (wr),     \
		.name = (nm)                                                   \
	}

/* A register the spec names that this configuration leaves reserved. */
#define VGIC_MMIO_RSVD(off, bytes, w, nm)                                      \
	VGIC_MMIO_REG(off, bytes, w, vgic_mmio_read_reserved,                  \
		      vgic_mmio_write_reserved, nm)

#define VGIC_MMIO_ARRAY_SIZE(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

#endif /* VGIC_MMIO_H */
