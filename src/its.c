/* SPDX-License-Identifier: MIT */
/*
 * The virtual ITS: the command queue and the MSI path (IHI 0069, "The
 * ITS", GITS_CBASER, GITS_CWRITER, GITS_CREADR, GITS_TRANSLATER).
 *
 * Commands run synchronously, in the vCPU's exit for the GITS_CWRITER
 * write (or the GITS_CTLR write that enables the ITS), so a guest that
 * polls GITS_CREADR sees them done at its first read. One access does at
 * most VGIC_ITS_BUDGET units of work: a full 1 MiB queue of ordinary
 * commands (32768, one unit each) fits, while INVALL and MOVALL count in
 * proportion to the LPI store they walk. Work left over continues at the
 * next access to the ITS's control frame, which a guest waiting for its
 * commands makes anyway (it polls GITS_CREADR). Before that access ends,
 * a vCPU whose list registers hold an LPI that a command cleared or moved
 * is made to exit (vgic_lpi_settle), so its guest cannot take it there
 * once the command is seen complete.
 */
#include "its.h"

#define VGIC_ITS_BUDGET (1u << 15)
#define CBASER_VALID (1ULL << 63)
#define CBASER_SIZE_MASK 0xffULL

/* ------------------------------------------------------------ state */

static size_t coll_bytes(const struct vgic_config *cfg)
{
	uint32_t bits = 1;

	while ((1u << bits) < cfg->nr_vcpus)
		bits++;
	return ((size_t)1 << bits) * sizeof(uint16_t);
}

size_t vgic_its_state_size(const struct vgic_config *cfg)
{
	if (!cfg->nr_its)
		return 0;
	return cfg->nr_its * (sizeof(struct vgic_its) + coll_bytes(cfg)) +
	       cfg->its_cache_size * sizeof(struct vgic_msi_cache_entry) +
	       cfg->nr_pt_devices * sizeof(struct vgic_pt_dev);
}

/* Cache first (16-byte entries), then the ITSs, then the collections,
 * then the passthrough devices. */
void vgic_its_init(struct vgic_vm *vm, const struct vgic_config *cfg, void *mem)
{
	uint8_t *p = mem;

	vm->nr_its = cfg->nr_its;
	vm->its_cid_bits = 1;
	while ((1u << vm->its_cid_bits) < cfg->nr_vcpus)
		vm->its_cid_bits++;
	if (!cfg->nr_its)
		return;
	vm->msi_cache = (struct vgic_msi_cache_entry *)p;
	vm->msi_cache_mask = cfg->its_cache_size - 1;
	p += cfg->its_cache_size * sizeof(struct vgic_msi_cache_entry);
	vm->its = (struct vgic_its *)p;
	p += cfg->nr_its * sizeof(struct vgic_its);
	for (uint32_t i = 0; i < cfg->nr_its; i++) {
		struct vgic_its *its = &vm->its[i];
		its->base = cfg->its_base[i];
		its->coll = (uint16_t *)p;
		p += coll_bytes(cfg);
		for (uint32_t c = 0; c < vgic_its_nr_collections(vm); c++)
			its->coll[c] = VGIC_VCPU_NONE;
	}
	vm->pt_devs = (struct vgic_pt_dev *)p;
}

/* ---------------------------------------------------------- commands */

static uint32_t queue_bytes(const struct vgic_its *its)
{
	return (uint32_t)((its->cbaser & CBASER_SIZE_MASK) + 1) * 0x1000u;
}

static void stall(struct vgic_vm *vm, struct vgic_its *its)
{
	its->stalled = true;
	vgic_stat_inc(&vm->stats.its_stalls);
}

void vgic_its_process(struct vgic_vm *vm, struct vgic_its *its)
{
	uint32_t budget = VGIC_ITS_BUDGET, size = queue_bytes(its);
	uint64_t base = vgic_its_cbaser_pa(its->cbaser);

	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (!its->enabled || !(its->cbaser & CBASER_VALID) || its->stalled ||
	    its->cwriter >= size)
		return;
	while (its->creadr != its->cwriter && budget) {
		uint64_t cmd[4];
		uint32_t cost;
		if (!vgic_guest_read(vm, base + its->creadr, cmd,
				     sizeof(cmd))) {
			stall(vm, its);
			return;
		}
		vgic_stat_inc(&vm->stats.its_cmds);
		int r = vgic_its_exec(vm, its, cmd, &cost);
		if (r == VGIC_ITS_STALL) {
			stall(vm, its);
			return;
		}
		if (r)
			vgic_stat_inc(&vm->stats.its_cmd_errors);
		its->creadr = (its->creadr + VGIC_ITS_CMD_SIZE) % size;
		budget -= cost < budget ? cost : budget;
	}
}

void vgic_its_continue(struct vgic_vm *vm, struct vgic_its *its)
{
	vgic_lock(&vm->lpi_lock);
	vgic_its_process(vm, its);
	vgic_unlock(&vm->lpi_lock);
}

/* --------------------------------------------------------------- MSIs */

/* The event's translation: from the cache, else from the tables (and
 * then cached). */
static int translate(struct vgic_vm *vm, struct vgic_its *its, uint32_t devid,
		     uint32_t eventid, struct vgic_its_xlate *x)
{
	uint32_t idx = vgic_its_index(vm, its);
	struct vgic_its_dte d;
	uint64_t gpa;
	bool valid;

	if (vgic_msi_cache_lookup(vm, idx, devid, eventid, x)) {
		vgic_stat_inc_locked(&vm->stats.msi_cache_hits);
		return VGIC_OK;
	}
	vgic_stat_inc_locked(&vm->stats.msi_cache_misses);
	if (vgic_its_get_dte(vm, its, devid, &d, &gpa) != ITS_FOUND ||
	    !d.valid || (uint64_t)eventid >= 1ULL << d.event_bits)
		return VGIC_ENOENT;
	if (!vgic_its_get_ite(vm, &d, eventid, &valid, x) || !valid)
		return VGIC_ENOENT;
	vgic_msi_cache_fill(vm, idx, devid, eventid, x);
	return VGIC_OK;
}

int vgic_its_msi_locked(struct vgic_vm *vm, struct vgic_its *its,
			uint32_t devid, uint32_t eventid,
			struct vgic_pt_src *pt)
{
	struct vgic_its_xlate x;
	int r = VGIC_ENOENT;

	VGIC_MUST_HOLD(&vm->lpi_lock);
	if (its->enabled)
		r = translate(vm, its, devid, eventid, &x);
	if (!r) {
		uint16_t rd = its->coll[x.icid];
		if (rd == VGIC_VCPU_NONE)
			r = VGIC_ENOENT;
		else if (!vgic_lpi_set_pending_locked(vm, rd, x.intid, true,
						      pt))
			r = VGIC_EPERM;
	}
	vgic_stat_inc_locked(r ? &vm->stats.msi_dropped : &vm->stats.msis);
	return r;
}

int vgic_its_msi(struct vgic_vm *vm, struct vgic_its *its, uint32_t devid,
		 uint32_t eventid)
{
	vgic_lock(&vm->lpi_lock);
	int r = vgic_its_msi_locked(vm, its, devid, eventid, NULL);
	vgic_unlock(&vm->lpi_lock);
	return r;
}

int vgic_inject_msi(struct vgic_vm *vm, uint32_t its, uint32_t devid,
		    uint32_t eventid)
{
	if (!vm)
		return VGIC_EINVAL;
	if (its >= vm->nr_its)
		return VGIC_ERANGE;
	return vgic_its_msi(vm, vgic_its_get(vm, its), devid, eventid);
}
