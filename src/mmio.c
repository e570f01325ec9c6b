/* SPDX-License-Identifier: MIT */
/*
 * MMIO dispatch: the public entry points, frame lookup, the one place that
 * checks an access, statistics, and the table self-test.
 *
 * Order of the checks, each failure an architectural RAZ/WI plus a count
 * (IHI 0069: reserved offsets are RES0, accesses of a width a
 * register does not support and unaligned accesses are UNPREDICTABLE, and
 * RAZ/WI is one of the allowed outcomes; we pick it so a guest can never
 * make the library misbehave):
 *   1. address not a multiple of the width    → mmio_unaligned
 *   2. no descriptor covers the offset         → mmio_reserved
 *   3. width not allowed by the descriptor     → mmio_bad_width
 *   4. per-IRQ: INTID beyond the configuration → bad_intid
 * Per-IRQ GICD fields of INTIDs 0..31 are RAZ/WI without a count: with
 * affinity routing that is their architectural behaviour, not a mistake.
 */
#include "its.h"
#include "mmio.h"

/* ------------------------------------------------------------ lookup */

/* Binary search over the sorted, non-overlapping table. */
const struct vgic_mmio_desc *vgic_mmio_find(const struct vgic_mmio_frame *f,
					    uint32_t offset)
{
	uint32_t lo = 0, hi = f->nr_regs;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct vgic_mmio_desc *d = &f->regs[mid];
		if (offset < d->offset)
			hi = mid;
		else if (offset - d->offset >= d->len)
			lo = mid + 1;
		else
			return d;
	}
	return NULL;
}

/* One ITS's control or translation frame; ENOENT elsewhere. */
static int decode_its(struct vgic_mmio_access *a, uint64_t gpa,
		      const struct vgic_mmio_frame **f)
{
	for (uint32_t i = 0; i < a->vm->nr_its; i++) {
		uint64_t base = a->vm->its[i].base;
		if (gpa < base || gpa - base >= VGIC_ITS_FRAME_SIZE)
			continue;
		uint64_t off = gpa - base;
		a->rd = i;
		*f = off < VGIC_GICR_FRAME_SIZE ? &vgic_gits_ctrl_frame
						: &vgic_gits_xlat_frame;
		a->offset = (uint32_t)(off % VGIC_GICR_FRAME_SIZE);
		return VGIC_OK;
	}
	return VGIC_ENOENT;
}

/* GICD, one vCPU's RD_base or SGI_base frame, or an ITS frame; ENOENT
 * elsewhere. The
 * subtractions avoid overflow for frames near the top of the space. */
static int decode_frame(struct vgic_mmio_access *a, uint64_t gpa,
			const struct vgic_mmio_frame **f)
{
	const struct vgic_config *cfg = &a->vm->cfg;
	uint64_t gicr_len = (uint64_t)a->vm->nr_vcpus * VGIC_GICR_STRIDE;

	if (gpa >= cfg->gicd_base && gpa - cfg->gicd_base < VGIC_GICD_SIZE) {
		a->offset = (uint32_t)(gpa - cfg->gicd_base);
		a->rd = a->vcpu;
		*f = &vgic_gicd_frame;
		return VGIC_OK;
	}
	if (gpa < cfg->gicr_base || gpa - cfg->gicr_base >= gicr_len)
		return decode_its(a, gpa, f);
	uint64_t off = gpa - cfg->gicr_base;
	a->rd = (uint32_t)(off / VGIC_GICR_STRIDE);
	off %= VGIC_GICR_STRIDE;
	*f = off < VGIC_GICR_FRAME_SIZE ? &vgic_gicr_rd_frame
					: &vgic_gicr_sgi_frame;
	a->offset = (uint32_t)(off % VGIC_GICR_FRAME_SIZE);
	return VGIC_OK;
}

static bool len_valid(unsigned len)
{
	return len == 1 || len == 2 || len == 4 || len == 8;
}

/* Argument checks shared by read and write, then the frame. */
static int access_begin(struct vgic_vm *vm, uint32_t vcpu, uint64_t gpa,
			unsigned len, struct vgic_mmio_access *a,
			const struct vgic_mmio_frame **f)
{
	if (!vm || !len_valid(len))
		return VGIC_EINVAL;
	if (vcpu >= vm->nr_vcpus)
		return VGIC_ERANGE;
	*a = (struct vgic_mmio_access){.vm = vm, .vcpu = vcpu, .len = len};
	return decode_frame(a, gpa, f);
}

/* ------------------------------------------------------------ checks */

/* Step 4: INTIDs covered by a per-IRQ access, and whether they exist. */
static bool check_intids(struct vgic_mmio_access *a,
			 const struct vgic_mmio_frame *f)
{
	const struct vgic_mmio_desc *d = a->desc;

	if (!d->bpi)
		return true;
	a->intid = d->first_intid + (a->offset - d->offset) * 8u / d->bpi;
	a->nr_irqs = a->len * 8u >= d->bpi ? a->len * 8u / d->bpi : 1u;
	if (!f->spi_regs)
		return true;
	if (a->intid < VGIC_NR_SPI_BASE)
		return false;
	if (a->intid - VGIC_NR_SPI_BASE >= a->vm->nr_spis) {
		vgic_stat_inc(&a->vm->stats.bad_intid);
		return false;
	}
	return true;
}

/* Steps 1-3 then 4; true if the descriptor's handler may run. */
static bool check_access(struct vgic_mmio_access *a,
			 const struct vgic_mmio_frame *f)
{
	struct vgic_stats *s = &a->vm->stats;

	if (a->offset & (a->len - 1)) {
		vgic_stat_inc(&s->mmio_unaligned);
		return false;
	}
	a->desc = vgic_mmio_find(f, a->offset);
	if (!a->desc) {
		vgic_stat_inc(&s->mmio_reserved);
		return false;
	}
	/* Alignment and the self-test make the containment check redundant;
	 * it stays so that a table bug cannot become an overrun. */
	if (!(a->desc->widths & a->len) ||
	    a->offset + a->len > a->desc->offset + a->desc->len) {
		vgic_stat_inc(&s->mmio_bad_width);
		return false;
	}
	return check_intids(a, f);
}

static uint64_t width_mask(uint32_t len)
{
	return len == 8 ? ~0ULL : (1ULL << (len * 8u)) - 1;
}

/* ------------------------------------------------------ entry points */

/* After any access to an ITS's control frame: work the command queue
 * left (the per-access budget); after any access to LPI state, the LR
 * holders that must see its effect exit (vgic_lpi_settle). */
static void after_access(struct vgic_mmio_access *a,
			 const struct vgic_mmio_frame *f)
{
	if (f == &vgic_gits_ctrl_frame)
		vgic_its_continue(a->vm, vgic_its_get(a->vm, a->rd));
	if (vgic_has_lpis(a->vm))
		vgic_lpi_settle(a->vm, a->vcpu);
}

int vgic_mmio_read(struct vgic_vm *vm, uint32_t vcpu, uint64_t gpa,
		   unsigned len, uint64_t *val)
{
	struct vgic_mmio_access a;
	const struct vgic_mmio_frame *f;

	if (!val)
		return VGIC_EINVAL;
	int r = access_begin(vm, vcpu, gpa, len, &a, &f);
	if (r)
		return r;
	vgic_stat_inc(&vm->stats.mmio_reads);
	*val = check_access(&a, f) ? a.desc->read(&a) & width_mask(len) : 0;
	after_access(&a, f);
	return VGIC_OK;
}

int vgic_mmio_write(struct vgic_vm *vm, uint32_t vcpu, uint64_t gpa,
		    unsigned len, uint64_t val)
{
	struct vgic_mmio_access a;
	const struct vgic_mmio_frame *f;

	int r = access_begin(vm, vcpu, gpa, len, &a, &f);
	if (r)
		return r;
	vgic_stat_inc(&vm->stats.mmio_writes);
	if (check_access(&a, f))
		a.desc->write(&a, val & width_mask(len));
	after_access(&a, f);
	return VGIC_OK;
}

/* --------------------------------------------------------- self-test */

static bool str_eq(const char *x, const char *y)
{
	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x == *y;
}

static uint32_t max_width(uint8_t widths)
{
	uint32_t w = 8;

	while (w && !(widths & w))
		w >>= 1;
	return w;
}

static bool bpi_valid(uint8_t bpi)
{
	return bpi == 0 || bpi == 1 || bpi == 2 || bpi == 8 || bpi == 64;
}

/* One descriptor on its own: sizes, alignment, handlers. */
static bool desc_valid(const struct vgic_mmio_desc *d)
{
	uint32_t w = max_width(d->widths);

	if (!w || (d->widths & ~0xfu) || !d->read || !d->write || !d->name)
		return false;
	if (!d->len || d->len % w || d->offset % w)
		return false;
	if (d->offset >= VGIC_GICD_SIZE || d->len > VGIC_GICD_SIZE - d->offset)
		return false;
	return bpi_valid(d->bpi) && (d->len * 8u) % (d->bpi ? d->bpi : 1) == 0;
}

/* The table: each entry valid, sorted by offset, no overlaps. */
static bool table_valid(const struct vgic_mmio_frame *f)
{
	for (uint32_t i = 0; i < f->nr_regs; i++) {
		const struct vgic_mmio_desc *d = &f->regs[i];
		if (!desc_valid(d))
			return false;
		if (i && d->offset < f->regs[i - 1].offset + f->regs[i - 1].len)
			return false;
	}
	return true;
}

/* A spec register is covered by exactly one descriptor of its name and
 * size: a descriptor too short, too long or misplaced fails here. */
static bool spec_covered(const struct vgic_mmio_frame *f,
			 const struct vgic_mmio_spec_reg *s)
{
	const struct vgic_mmio_desc *d = vgic_mmio_find(f, s->offset);

	return d && d->offset == s->offset && d->len == s->count * s->size &&
	       str_eq(d->name, s->name);
}

int vgic_mmio_check_frame(const struct vgic_mmio_frame *f)
{
	if (!f || !f->nr_regs || !table_valid(f))
		return -1;
	/* One spec entry per descriptor, in order: nothing extra, nothing
	 * left out, nothing listed twice. */
	if (f->nr_spec != f->nr_regs)
		return -2;
	for (uint32_t i = 0; i < f->nr_spec; i++) {
		if (!spec_covered(f, &f->spec[i]))
			return -3;
		if (i && f->spec[i].offset <= f->spec[i - 1].offset)
			return -3;
	}
	return 0;
}

int vgic_mmio_selftest(void)
{
	const struct vgic_mmio_frame *frames[] = {
		&vgic_gicd_frame,      &vgic_gicr_rd_frame,
		&vgic_gicr_sgi_frame,  &vgic_gits_ctrl_frame,
		&vgic_gits_xlat_frame,
	};

	for (uint32_t i = 0; i < VGIC_MMIO_ARRAY_SIZE(frames); i++) {
		int r = vgic_mmio_check_frame(frames[i]);
		if (r)
			return r;
	}
	return 0;
}
