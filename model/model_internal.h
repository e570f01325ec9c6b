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

/* -------------------------------------------------------- core.c */

void model_emit(struct model *m, uint32_t pcpu, enum model_event ev,
		uint32_t intid);

#endif /* VGIC_MODEL_INTERNAL_H */
