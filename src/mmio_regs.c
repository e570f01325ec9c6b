/* SPDX-License-Identifier: MIT */
/*
 * Handlers shared by the GICD and GICR tables: fixed outcomes (RAZ/WI,
 * reserved, read-only, write-only), identification registers, and the
 * per-IRQ registers, written once and parameterised by bits per IRQ.
 *
 * A per-IRQ register is a row of fields, one per INTID, `bpi` bits wide;
 * each IRQ attribute has a getter (read under irq->lock) and a setter
 * (one of the vgic_irq_set_* calls, which take the lock themselves, so no
 * irq lock is ever held across a setter). Fields of INTIDs the VM does
 * not have read as zero and ignore writes.
 */
#include "mmio.h"

/* ------------------------------------------------------- fixed outcomes */

uint64_t vgic_mmio_read_raz(const struct vgic_mmio_access *a)
{
	(void)a;
	return 0;
}

void vgic_mmio_write_wi(const struct vgic_mmio_access *a, uint64_t val)
{
	(void)a;
	(void)val;
}

uint64_t vgic_mmio_read_reserved(const struct vgic_mmio_access *a)
{
	vgic_stat_inc(&a->vm->stats.mmio_reserved);
	return 0;
}

void vgic_mmio_write_reserved(const struct vgic_mmio_access *a, uint64_t val)
{
	(void)val;
	vgic_stat_inc(&a->vm->stats.mmio_reserved);
}

void vgic_mmio_write_ro(const struct vgic_mmio_access *a, uint64_t val)
{
	(void)val;
	vgic_stat_inc(&a->vm->stats.mmio_ro_write);
}

uint64_t vgic_mmio_read_wo(const struct vgic_mmio_access *a)
{
	vgic_stat_inc(&a->vm->stats.mmio_wo_read);
	return 0;
}

/* GICD_IIDR  and GICR_IIDR : one value, chosen by the
 * host or defaulted by vgic_vm_init; cfg is immutable after init. */
uint64_t vgic_mmio_read_iidr(const struct vgic_mmio_access *a)
{
	return a->vm->cfg.iidr;
}

/* The CoreSight ID block at 0xFFD0 (values and reasons in id_regs.h). */
uint32_t vgic_mmio_idreg(uint32_t offset, uint8_t pidr0)
{
	static const uint8_t ids[VGIC_IDREGS_COUNT] = VGIC_IDREGS_INIT;
	uint32_t i = (offset - VGIC_IDREGS_OFFSET) / 4u;

	if (i >= VGIC_IDREGS_COUNT)
		return 0;
	return i == VGIC_IDREGS_PIDR0_INDEX ? pidr0 : ids[i];
}

/* 64-bit registers (GICD_IROUTER<n>, GICR_TYPER) also accept a 32-bit
 * access to either half (IHI 0069, register access rules). */
uint64_t vgic_mmio_read_half(const struct vgic_mmio_access *a, uint64_t v)
{
	if (a->len == 8)
		return v;
	return (v >> ((a->offset & 4u) * 8u)) & 0xffffffffu;
}

uint64_t vgic_mmio_write_half(const struct vgic_mmio_access *a, uint64_t old,
			      uint64_t val)
{
	if (a->len == 8)
		return val;
	uint32_t shift = (a->offset & 4u) * 8u;
	return (old & ~(0xffffffffULL << shift)) | val << shift;
}

/* ------------------------------------------------------ per-IRQ engine */

typedef uint64_t irq_get_fn(struct vgic_vm *vm, struct vgic_irq *irq);
typedef void irq_set_fn(struct vgic_vm *vm, struct vgic_irq *irq,
			uint64_t field);

/* GICD: an SPI (dispatch keeps a->intid >= 32); GICR: a private
 * interrupt of the redistributor's vCPU, not of the accessing one. */
static struct vgic_irq *access_irq(const struct vgic_mmio_access *a, uint32_t i)
{
	return vgic_irq_lookup(a->vm, a->rd, a->intid + i);
}

static uint64_t field_mask(uint32_t bpi)
{
	return bpi >= 64 ? ~0ULL : (1ULL << bpi) - 1;
}

static uint64_t read_fields(const struct vgic_mmio_access *a, irq_get_fn *get)
{
	uint32_t bpi = a->desc->bpi;
	uint64_t v = 0;

	for (uint32_t i = 0; i < a->nr_irqs; i++) {
		struct vgic_irq *irq = access_irq(a, i);
		if (irq)
			v |= (get(a->vm, irq) & field_mask(bpi)) << (i * bpi);
	}
	return v;
}

static void write_fields(const struct vgic_mmio_access *a, uint64_t val,
			 irq_set_fn *set)
{
	uint32_t bpi = a->desc->bpi;

	for (uint32_t i = 0; i < a->nr_irqs; i++) {
		struct vgic_irq *irq = access_irq(a, i);
		if (irq)
			set(a->vm, irq, (val >> (i * bpi)) & field_mask(bpi));
	}
}

/*
 * Pending and active state of interrupts in another running vCPU's LRs:
 * stop the holders for the access (src/stop.c), so that it reads and
 * changes the current state.
 */
static uint64_t read_fields_stopped(const struct vgic_mmio_access *a,
				    irq_get_fn *get)
{
	struct vgic_irq *irqs[32];
	struct vgic_stopped s;

	for (uint32_t i = 0; i < a->nr_irqs; i++)
		irqs[i] = access_irq(a, i);
	vgic_stop_lr_holders(a->vm, a->vcpu, irqs, a->nr_irqs, &s);
	uint64_t v = read_fields(a, get);
	vgic_resume_stopped(a->vm, &s);
	return v;
}

static void write_fields_stopped(const struct vgic_mmio_access *a, uint64_t val,
				 irq_set_fn *set)
{
	struct vgic_irq *irqs[32];
	struct vgic_stopped s;

	for (uint32_t i = 0; i < a->nr_irqs; i++)
		irqs[i] = access_irq(a, i);
	vgic_stop_lr_holders(a->vm, a->vcpu, irqs, a->nr_irqs, &s);
	write_fields(a, val, set);
	vgic_resume_stopped(a->vm, &s);
}

/* A consistent snapshot of one flag (TSan checks these reads). */
static bool locked_flag(struct vgic_irq *irq, const bool *flag)
{
	vgic_lock(&irq->lock);
	bool v = *flag;
	vgic_unlock(&irq->lock);
	return v;
}

/* ------------------------------------- IGROUPR */

static uint64_t get_group(struct vgic_vm *vm, struct vgic_irq *irq)
{
	(void)vm;
	return locked_flag(irq, &irq->group1);
}

/* Every bit is written: 1 = Group 1, 0 = Group 0 (DS == 1). */
static void set_group(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	vgic_irq_set_group(vm, irq, f != 0);
}

uint64_t vgic_mmio_read_group(const struct vgic_mmio_access *a)
{
	return read_fields(a, get_group);
}

void vgic_mmio_write_group(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields(a, val, set_group);
}

/* ------------------ ISENABLER / ICENABLER (W1S / W1C) */

static uint64_t get_enable(struct vgic_vm *vm, struct vgic_irq *irq)
{
	(void)vm;
	return locked_flag(irq, &irq->enabled);
}

static void set_enable(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	if (f)
		vgic_irq_set_enabled(vm, irq, true);
}

static void clear_enable(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	if (f)
		vgic_irq_set_enabled(vm, irq, false);
}

uint64_t vgic_mmio_read_enable(const struct vgic_mmio_access *a)
{
	return read_fields(a, get_enable);
}

void vgic_mmio_write_senable(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields(a, val, set_enable);
}

void vgic_mmio_write_cenable(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields(a, val, clear_enable);
}

/* -------------------- ISPENDR / ICPENDR (W1S / W1C) */

/* The guest-visible pending state: a forwarded level interrupt reports
 * its physical line, which only irq.c knows how to ask for. */
static uint64_t get_pending(struct vgic_vm *vm, struct vgic_irq *irq)
{
	return vgic_irq_read_pending(vm, irq);
}

static void set_pending(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	if (f)
		vgic_irq_set_pending(vm, irq, true);
}

static void clear_pending(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	if (f)
		vgic_irq_set_pending(vm, irq, false);
}

uint64_t vgic_mmio_read_pending(const struct vgic_mmio_access *a)
{
	return read_fields_stopped(a, get_pending);
}

void vgic_mmio_write_spending(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields_stopped(a, val, set_pending);
}

void vgic_mmio_write_cpending(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields_stopped(a, val, clear_pending);
}

/* ------------------ ISACTIVER / ICACTIVER (W1S / W1C) */

static uint64_t get_active(struct vgic_vm *vm, struct vgic_irq *irq)
{
	(void)vm;
	return locked_flag(irq, &irq->active);
}

static void set_active(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	if (f)
		vgic_irq_set_active(vm, irq, true);
}

static void clear_active(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	if (f)
		vgic_irq_set_active(vm, irq, false);
}

uint64_t vgic_mmio_read_active(const struct vgic_mmio_access *a)
{
	return read_fields_stopped(a, get_active);
}

void vgic_mmio_write_sactive(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields_stopped(a, val, set_active);
}

void vgic_mmio_write_cactive(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields_stopped(a, val, clear_active);
}

/* --------------------------------------------- IPRIORITYR */

static uint64_t get_priority(struct vgic_vm *vm, struct vgic_irq *irq)
{
	(void)vm;
	vgic_lock(&irq->lock);
	uint8_t p = irq->priority;
	vgic_unlock(&irq->lock);
	return p;
}

/* Unimplemented low-order priority bits are RAZ/WI (4.8 "Interrupt
 * prioritization"): they are masked off before the value is stored. */
static void set_priority(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	vgic_irq_set_priority(vm, irq, (uint8_t)(f & vm->pri_mask));
}

uint64_t vgic_mmio_read_priority(const struct vgic_mmio_access *a)
{
	return read_fields(a, get_priority);
}

void vgic_mmio_write_priority(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields(a, val, set_priority);
}

/* ---------------------------------------------------- ICFGR */

/* Int_config<x>: bit 1 = edge-triggered, bit 0 RES0. */
static uint64_t get_config(struct vgic_vm *vm, struct vgic_irq *irq)
{
	(void)vm;
	return locked_flag(irq, &irq->edge) ? 2u : 0u;
}

static void set_config(struct vgic_vm *vm, struct vgic_irq *irq, uint64_t f)
{
	vgic_irq_set_edge(vm, irq, (f & 2u) != 0);
}

uint64_t vgic_mmio_read_config(const struct vgic_mmio_access *a)
{
	return read_fields(a, get_config);
}

void vgic_mmio_write_config(const struct vgic_mmio_access *a, uint64_t val)
{
	write_fields(a, val, set_config);
}
