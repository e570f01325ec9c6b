/* SPDX-License-Identifier: MIT */
/*
 * Differential oracle: QEMU's GICv3 and ITS (over qtest) against
 * libvgic's guest view and against the software model's physical view.
 *
 * Everything is an operation (struct op) applied in the same order to
 * QEMU and to the local sides. QEMU's replies come back per batch; the
 * local sides answer at once and their results wait in the batch for
 * comparison. Register frames are a table (frames[]) and operations an
 * enum. The ITS runs (itsgen.c) add guest memory writes (the ITS's
 * tables, command queue and the LPI property table live in guest RAM on
 * every side: QEMU's RAM, libvgic's and the model's copies of a window
 * of it) and reads of LPI pending state (QEMU's pending tables, libvgic's
 * vgic_irq_state, the model's Redistributors).
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
#define OR_NR_SPIS 256	  /* INTIDs 32..287 (GICD_TYPER says 224: see notes) */
#define OR_PRI_BITS 5	  /* QEMU's CPU interface: ICC_CTLR.PRIbits = 4 */
#define OR_NONE 1023u	  /* no pending interrupt */
#define OR_LPI_ID_BITS 16 /* QEMU's GICD_TYPER.IDbits + 1 */
#define OR_FIRST_LPI 8192u

/*
 * Guest RAM: QEMU's starts at 0x40000000 (with its DTB at the bottom);
 * libvgic's guest_read/guest_write and the model's host memory
 * (model_set_memory) see only this window, each a copy of its own, into
 * which the oracle mirrors its own writes byte for byte. Addresses
 * outside QEMU's RAM (128 MiB) fail on every side (OR_BAD_GPA).
 */
#define OR_RAM_BASE 0x41000000ULL
#define OR_RAM_SIZE 0x400000u
#define OR_BAD_GPA 0x90000000ULL

/* ----------------------------------------------------------- frames */

enum frame_kind {
	FRAME_GICD,
	FRAME_RD,     /* GICR RD_base of one CPU */
	FRAME_SGI,    /* GICR SGI_base of one CPU */
	FRAME_GITS,   /* ITS control frame */
	FRAME_GITS_T, /* ITS translation frame (GITS_TRANSLATER) */
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

/*
 * Why the model's state of an LPI may differ from QEMU's in an ITS run
 * (allowlist "LPI" and "HPPI" conditions of these names): an LPI beyond
 * its 14 INTID bits; one the two ITSs translated apart (8 DeviceID and
 * 14 INTID bits: its-narrower); one moved by MOVI/MOVALL to a
 * redistributor without LPIs (QEMU keeps it, the model drops it); one
 * whose configuration either side may hold from before a property
 * change (HPPI only).
 */
enum lpi_excuse { LX_BEYOND, LX_NARROWER, LX_MOVE, LX_STALE, NR_LX };
extern const char *const lpi_excuse_names[NR_LX];

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
/* libvgic: vCPU `cpu` enters the guest (flush) and stays there, its LRs
 * untouched, until released (sync); a held vCPU's HPPI is not compared
 * (cond "held"). Its own accesses, and the library's vcpu_stop, take it
 * out meanwhile. */
void sides_hold(struct sides *s, uint32_t cpu);
void sides_release(struct sides *s, uint32_t cpu);
bool sides_held(const struct sides *s, uint32_t cpu);
/* The pending vINTIDs in a held vCPU's LRs (at most VGIC_MAX_LRS). */
unsigned sides_held_lrs(const struct sides *s, uint32_t cpu, uint32_t *intids);
/* The guest RAM window (OR_RAM_BASE), libvgic's and the model's copy:
 * a little-endian store into both. */
void sides_mem_write(struct sides *s, uint64_t gpa, unsigned len, uint64_t val);
/* Eight bytes of libvgic's guest RAM window (0 outside it). */
uint64_t sides_mem_read(struct sides *s, uint64_t gpa);
/* Bit i: LPI `first` + i is pending at redistributor `cpu`: libvgic's
 * vgic_irq_state, the model's Redistributor state. */
uint64_t sides_lpi_pending(struct sides *s, enum side sd, uint32_t cpu,
			   uint32_t first);
/* libvgic's statistics (ITS command errors and stalls). */
void sides_stats(struct sides *s, struct vgic_stats *st);
/* The model's ITS commands ignored for a parameter error. */
uint64_t sides_model_its_errors(struct sides *s);

/* -------------------------------------------------------- allowlist */

int allow_load(const char *path);
/* The run the next lookups are for ("sweep", "random", "its"): entries
 * restricted to another run (FRAME@run) do not apply. */
void allow_set_run(const char *run);
/* Bits of `diff` (a `len`-byte access at `off`) not excused; counts the
 * entries that excused the rest. */
uint64_t allow_filter(enum side sd, enum frame_kind f, uint32_t off,
		      unsigned len, uint64_t diff);
/* True if the allowlist excuses any difference of `kind` ("HPPI",
 * "ACCESS" or "STATE") in state `cond`; counts the use. */
bool allow_cond(enum side sd, const char *kind, const char *cond);
/* Print each entry with its use count; returns how many went unused. */
unsigned allow_report(void);

/* ------------------------------------------------------- operations */

enum op_kind {
	OP_READ,
	OP_WRITE,
	OP_LINE,     /* input line of an SPI or a CPU's PPI */
	OP_HPPI,     /* compare every CPU's highest-priority pending IRQ */
	OP_MEM,	     /* guest memory write (gpa, len, val) */
	OP_LPI_PEND, /* 64 LPIs' pending bits at redistributor `cpu` */
};

struct op {
	enum op_kind kind;
	enum frame_kind frame;
	uint32_t cpu;  /* redistributor (RD/SGI) or PPI owner */
	uint32_t vcpu; /* libvgic: the accessing vCPU */
	uint32_t off;
	unsigned len;
	uint64_t val;	/* write value, line level */
	uint32_t intid; /* OP_LINE; OP_LPI_PEND: the first LPI */
	uint64_t gpa;	/* OP_MEM, OP_LPI_PEND (QEMU's pending table) */
};

/* What the local sides answered, waiting for QEMU's reply. */
struct pending_op {
	struct op op;
	uint64_t val[NR_SIDES];
	struct hppi hppi[NR_SIDES][OR_MAX_CPUS];
	const char *cond[NR_SIDES][OR_MAX_CPUS];
	/* OP_HPPI in an ITS run: the model's LPIs of each excuse at
	 * each CPU (its_model_lpis) */
	uint64_t mlpis[OR_MAX_CPUS][NR_LX];
	/* OP_HPPI: what libvgic's held vCPUs have in their LRs */
	uint8_t nr_inflight;
	uint8_t inflight_cpu[OR_MAX_CPUS * 4];
	uint32_t inflight[OR_MAX_CPUS * 4];
	/* A read whose `rmask` bits may differ on a side in state `rcond`
	 * (STATE entries of the allowlist); with `rset`, only bits QEMU
	 * has set. */
	const char *rcond[NR_SIDES];
	uint64_t rmask[NR_SIDES];
	bool rset[NR_SIDES];
	/* OP_LPI_PEND: the model's pending bits that may differ, per
	 * excuse (its_lpi_excuse) */
	uint64_t lmask[NR_LX];
	unsigned long index;
};

struct its_run; /* itsgen.c */

struct run {
	const char *name;
	unsigned long seed;
	struct qtest *q;
	struct sides *s;
	struct pending_op batch[QT_MAX_BATCH];
	struct qt_reply replies[QT_MAX_BATCH];
	unsigned nr_batch;
	unsigned long nr_ops;
	unsigned long diffs;
	uint32_t gicd_ctlr; /* last value written, for HPPI probes */
	uint64_t rng;
	bool random_vcpu; /* accesses from a random vCPU, not the owner */
	bool no_icfgr;	  /* rnd_step leaves GICD_ICFGR<n> alone */
	bool failed;	  /* QEMU died or hung */
	struct its_run *its;
	/* The next read submitted gets these (see struct pending_op). */
	const char *next_rcond[NR_SIDES];
	uint64_t next_rmask[NR_SIDES];
	bool next_rset[NR_SIDES];
};

/* Global knobs (oracle.c). */
struct oracle_opts {
	unsigned timeout_s;
	unsigned long max_diffs;
	unsigned long total_ops;
	unsigned long total_diffs;
	unsigned long hppi_checks;
	unsigned long lpi_checks;
	bool log; /* --log: print every operation */
};
extern struct oracle_opts g;

int run_begin(struct run *r, const char *name, unsigned long seed);
int run_end(struct run *r);
int flush_batch(struct run *r);
/* Queue `op` for QEMU and apply it to the local sides; returns the
 * batch entry (valid until the next submit). */
struct pending_op *submit(struct run *r, const struct op *op);
uint64_t rnd(struct run *r);
uint32_t rnd_below(struct run *r, uint32_t n);
bool chance(struct run *r, unsigned percent);
/* libvgic's answer to a read, compared with QEMU's later. */
uint64_t op_read(struct run *r, enum frame_kind f, uint32_t cpu, uint32_t off,
		 unsigned len);
void op_write(struct run *r, enum frame_kind f, uint32_t cpu, uint32_t off,
	      unsigned len, uint64_t val);
void op_hppi(struct run *r);
void op_mem(struct run *r, uint64_t gpa, unsigned len, uint64_t val);
/* One random GICD/GICR step of the plain random runs, and a read of
 * every SPI/SGI/PPI register. */
void rnd_step(struct run *r);
void read_all_state(struct run *r);

/* The ITS runs (itsgen.c). */
int run_its_random(unsigned long seed, unsigned long nops);
/* Per-CPU HPPI condition of an ITS run for libvgic (NULL when none). */
const char *its_hppi_cond(struct run *r, uint32_t cpu);
/* The model's LPIs 8192..8255 at `cpu` (bit i: 8192 + i) of each
 * excuse: pending state or configuration that may differ from QEMU's
 * (LX_BEYOND stays 0: those are beyond the model). */
void its_model_lpis(struct run *r, uint32_t cpu, uint64_t lpis[NR_LX]);
/* The model's LPIs `first`..+63 at `cpu` whose pending state may differ
 * from QEMU's, per excuse (bit i: LPI first + i). */
void its_lpi_excuse(struct run *r, uint32_t cpu, uint32_t first,
		    uint64_t mask[NR_LX]);

#endif /* ORACLE_H */
