/* SPDX-License-Identifier: MIT */
/*
 * Differential oracle: QEMU's GICv3 (over qtest) against libvgic's guest
 * view and against the software model's physical view.
 *
 * Everything is an operation (struct op) applied in the same order to the
 * three sides. QEMU's replies come back per batch; the other two sides
 * answer at once and their results wait in the batch for comparison.
 * Register frames are a table (frames[]) and operations an enum, so that
 * the GITS frame and ITS command sequences can join later as one more
 * frame kind and a few more operation kinds.
 */
#ifndef ORACLE_H
#define ORACLE_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "qtest.h"
#include "vgic/vgic.h"

/* The QEMU virt machine the other sides are configured to match. */
#define OR_MAX_CPUS QT_MAX_CPUS
extern uint32_t or_nr_cpus; /* -smp, 1..OR_MAX_CPUS (--cpus) */
#define OR_NR_SPIS 256 /* INTIDs 32..287 (GICD_TYPER says 224: see notes) */
#define OR_PRI_BITS 5  /* QEMU's CPU interface: ICC_CTLR.PRIbits = 4 */
#define OR_NONE 1023u  /* no pending interrupt */

/* ----------------------------------------------------------- frames */

enum frame_kind {
	FRAME_GICD,
	FRAME_RD,  /* GICR RD_base of one CPU */
	FRAME_SGI, /* GICR SGI_base of one CPU */
	NR_FRAMES,
};

struct frame_desc {
	const char *name;   /* as in the allowlist */
	uint64_t base;	    /* guest physical address of CPU 0's frame */
	uint64_t stride;    /* per CPU; 0 for a single frame */
	uint32_t size;	    /* bytes */
	uint32_t model_off; /* offset of the frame in the model's GICR view */
};

extern const struct frame_desc frames[NR_FRAMES];

/* ------------------------------------------------------------ sides */

enum side {
	SIDE_VGIC,  /* libvgic's guest view */
	SIDE_MODEL, /* the software model, physical view */
	NR_SIDES,
};

extern const char *const side_names[NR_SIDES];

/* A highest-priority pending interrupt, normalised across the sides. */
struct hppi {
	uint32_t intid; /* OR_NONE if nothing is pending */
	uint8_t prio;
	uint8_t grp; /* 0 or 1 */
};

struct sides;

struct sides *sides_new(void);
void sides_free(struct sides *s);
uint64_t sides_read(struct sides *s, enum side sd, enum frame_kind f,
		    uint32_t cpu, uint32_t vcpu, uint32_t off, unsigned len);
void sides_write(struct sides *s, enum side sd, enum frame_kind f, uint32_t cpu,
		 uint32_t vcpu, uint32_t off, unsigned len, uint64_t val);
void sides_line(struct sides *s, enum side sd, uint32_t cpu, uint32_t intid,
		bool level);
/* `*cond` names a state in which the side's answer may differ by
 * design (see the allowlist), or is NULL. */
struct hppi sides_hppi(struct sides *s, enum side sd, uint32_t cpu,
		       const char **cond);

/* -------------------------------------------------------- allowlist */

int allow_load(const char *path);
/* Bits of `diff` (a `len`-byte access at `off`) not excused; counts the
 * entries that excused the rest. */
uint64_t allow_filter(enum side sd, enum frame_kind f, uint32_t off,
		      unsigned len, uint64_t diff);
/* True if the allowlist excuses any difference of `kind` ("HPPI" or
 * "ACCESS") in state `cond`; counts the use. */
bool allow_cond(enum side sd, const char *kind, const char *cond);
/* Print each entry with its use count; returns how many went unused. */
unsigned allow_report(void);

#endif /* ORACLE_H */
