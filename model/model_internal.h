/* SPDX-License-Identifier: MIT */
/* Helpers shared by the files of the GICv3 hardware model. */
#ifndef VGIC_MODEL_INTERNAL_H
#define VGIC_MODEL_INTERNAL_H

#include "model.h"

#define MODEL_MIN_PRI_BITS 5
#define MODEL_MAX_PRI_BITS 8
#define MODEL_IDLE_PRIORITY 0xffu
#define MODEL_FIRST_SPECIAL 1020 /* INTIDs 1020..1023 (IHI 0069, 2.2) */

/* --------------------------------------------------------- irq.c */

uint32_t model_nr_intids(const struct model *m);
bool model_pcpu_valid(const struct model *m, uint32_t pcpu);
/* The state of `intid` for `pcpu`, NULL if either is out of range. */
struct model_irq *model_irq(struct model *m, uint32_t pcpu, uint32_t intid);
const struct model_irq *model_irq_c(const struct model *m, uint32_t pcpu,
				    uint32_t intid);
bool model_irq_pending(const struct model_irq *irq);
/* pCPU an SPI is routed to, or -1 if its affinity names no pCPU. */
int model_spi_target(const struct model *m, uint32_t intid);

/* Highest priority pending interrupt of a pCPU (IHI 0069, 4.8). */
struct model_hppi {
	uint32_t intid; /* MODEL_SPURIOUS if none */
	uint8_t priority;
	unsigned grp;
};
void model_hppi(const struct model *m, uint32_t pcpu, struct model_hppi *out);

/* -------------------------------------------------------- prio.c */

uint8_t model_prio_mask(unsigned pri_bits);
unsigned model_prebits(unsigned pri_bits);
unsigned model_bpr_min(unsigned prebits, unsigned grp);
uint8_t model_group_mask(uint32_t bpr, unsigned grp, bool cbpr);
unsigned model_apr_nr_regs(unsigned prebits);
uint8_t model_apr_running(const struct model_apr *a, unsigned prebits);
void model_apr_activate(struct model_apr *a, unsigned prebits, unsigned grp,
			uint8_t group_priority);
bool model_apr_drop(struct model_apr *a, unsigned prebits);
bool model_prio_can_preempt(uint8_t prio, uint8_t gmask, uint8_t pmr,
			    uint8_t running);

/* ------------------------------------------------------ vcpuif.c */

/* Re-evaluate the maintenance interrupt line of `pcpu` after a change. */
void model_vcpuif_update(struct model *m, uint32_t pcpu);
/* Deactivate list register `n` (ICV_EOIR/ICV_DIR with a match). */
void model_lr_deactivate(struct model *m, uint32_t pcpu, unsigned n);
int model_lr_find_active(const struct model *m, uint32_t pcpu, uint32_t vintid);
void model_eoicount_inc(struct model *m, uint32_t pcpu);

uint32_t model_lr_vintid(uint64_t lr);
uint8_t model_lr_priority(uint64_t lr);
unsigned model_lr_group(uint64_t lr);

/* --------------------------------------------------------- mem.c */

/* Copy between host memory and `buf`: false, nothing copied, unless all
 * `len` bytes at `pa` are inside the window (a memory error). */
bool model_mem_read(const struct model *m, uint64_t pa, void *buf, size_t len);
bool model_mem_write(struct model *m, uint64_t pa, const void *buf, size_t len);
/* A little-endian doubleword, as the GIC reads and writes its tables. */
bool model_mem_read64(const struct model *m, uint64_t pa, uint64_t *val);
bool model_mem_write64(struct model *m, uint64_t pa, uint64_t val);

/* --------------------------------------------------------- lpi.c */

bool model_is_lpi(uint32_t intid);
/* Set or clear the pending state of an LPI at a Redistributor; false
 * (nothing changes) if that one has EnableLPIs == 0 or the LPI is out of
 * its range. */
bool model_lpi_set_pending(struct model *m, uint32_t pcpu, uint32_t intid,
			   bool pending);
bool model_lpi_pending(const struct model *m, uint32_t pcpu, uint32_t intid);
/* Move the pending state of one LPI, or of all, between Redistributors. */
void model_lpi_move(struct model *m, uint32_t from, uint32_t to,
		    uint32_t intid);
void model_lpi_move_all(struct model *m, uint32_t from, uint32_t to);
/* Reload cached configuration from the table of Redistributor `pcpu`. */
void model_lpi_inv(struct model *m, uint32_t pcpu, uint32_t intid);
void model_lpi_invall(struct model *m, uint32_t pcpu);
/* Offer the LPIs pending at `pcpu` to an HPPI search (group gating is the
 * caller's). */
void model_lpi_hppi(const struct model *m, uint32_t pcpu, struct model_hppi *h);
/* GICR RD_base registers of the LPIs: true if `off` is one of them. */
bool model_gicr_lpi_reg(uint32_t off);
int model_gicr_lpi_read(const struct model *m, uint32_t pcpu, uint32_t off,
			unsigned len, uint64_t *val);
int model_gicr_lpi_write(struct model *m, uint32_t pcpu, uint32_t off,
			 unsigned len, uint64_t val);

/* ------------------------------------------------------ its_cmd.c */

/* Outcome of a command: 0, a parameter error 0x01_<opcode>_<reason>
 * (ignored), or MODEL_ITS_STALL (a memory error). */
#define MODEL_ITS_STALL (-1)
int model_its_exec(struct model *m, const uint64_t cmd[4]);

/* What an event translates to. */
struct model_its_event {
	uint64_t ite_pa; /* where its ITE is */
	uint32_t intid;	 /* pINTID */
	uint32_t icid;
};
/* Look up a mapped event; a command outcome, `op` naming the command. */
int model_its_find_event(const struct model *m, uint32_t devid,
			 uint32_t eventid, int op, struct model_its_event *ev);
/* Target pCPU of a mapped collection, or -1. */
int model_its_coll_target(const struct model *m, uint32_t icid);

/* -------------------------------------------------------- core.c */

void model_emit(struct model *m, uint32_t pcpu, enum model_event ev,
		uint32_t intid);

#endif /* VGIC_MODEL_INTERNAL_H */
