/* SPDX-License-Identifier: MIT */
/*
 * The physical ITS: the registers of its control frame (GITS_CTLR,
 * GITS_IIDR, GITS_TYPER, GITS_CBASER, GITS_CWRITER, GITS_CREADR,
 * GITS_BASER<n>), the command queue and the MSI path (IHI 0069, "The
 * ITS"; commands in its_cmd.c).
 *
 * The model is synchronous: a GITS_CWRITER write (or the GITS_CTLR write
 * that enables the ITS) runs every queued command before it returns, so
 * software polling GITS_CREADR sees them done at its first read. The
 * queue is read from host memory at GITS_CBASER; a command that cannot be
 * read or that hits a memory error stalls the queue (GITS_CREADR.Stalled
 * with GITS_CREADR.Offset at that command) until GITS_CWRITER is written
 * with Retry == 1.
 */
#include "model_internal.h"

#define GITS_CTLR 0x0000
#define GITS_IIDR 0x0004
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER 0x0100
#define GITS_BASER_END 0x0140 /* GITS_BASER0..7 */
#define GITS_PIDR2 0xffe8

#define ITS_IIDR 0x0000043bu /* as GICD_IIDR: Arm's JEP106 code */
#define ITS_PIDR2 0x3bu	     /* ArchRev [7:4] = 3: GICv3 */

#define CTLR_ENABLED 1u
#define CTLR_QUIESCENT (1u << 31)

/* Valid [63], InnerCache [61:59], OuterCache [55:53], PA [51:12],
 * Shareability [11:10], Size [7:0] (GITS_CBASER). */
#define CBASER_VALID (1ull << 63)
#define CBASER_PA 0x000ffffffffff000ull
#define CBASER_SIZE 0xffull
#define CBASER_MASK                                                            \
	(CBASER_VALID | (7ull << 59) | (7ull << 53) | CBASER_PA |              \
	 (3ull << 10) | CBASER_SIZE)
#define CQ_OFFSET 0xfffe0ull /* Offset [19:5] of CWRITER and CREADR */
#define CWRITER_RETRY 1ull
#define CREADR_STALLED 1ull

/*
 * GITS_TYPER: Physical [0], ITT_entry_size [7:4] = bytes - 1, ID_bits
 * [12:8] = EventID bits - 1, Devbits [17:13] = DeviceID bits - 1, HCC
 * [31:24] = collections held in the ITS; Virtual, CCT, SEIS, PTA, CIL 0.
 */
static uint64_t gits_typer(void)
{
	return 1ull | (MODEL_ITE_SIZE - 1ull) << 4 |
	       (MODEL_ITS_EVENT_BITS - 1ull) << 8 |
	       (MODEL_ITS_DEVICE_BITS - 1ull) << 13 |
	       (uint64_t)MODEL_ITS_NR_COLLECTIONS << 24;
}

/* ---------------------------------------------------- command queue */

static uint32_t queue_bytes(const struct model_its *its)
{
	return (uint32_t)((its->cbaser & CBASER_SIZE) + 1) * 0x1000u;
}

static bool read_cmd(const struct model *m, uint64_t cmd[4])
{
	uint64_t pa = (m->its.cbaser & CBASER_PA) + m->its.creadr;

	for (unsigned i = 0; i < 4; i++)
		if (!model_mem_read64(m, pa + 8 * i, &cmd[i]))
			return false;
	return true;
}

/* One command at GITS_CREADR: false if the queue stalls on it. */
static bool run_one(struct model *m)
{
	struct model_its *its = &m->its;
	uint64_t cmd[4];
	int r;

	if (!read_cmd(m, cmd))
		return false;
	r = model_its_exec(m, cmd);
	if (r == MODEL_ITS_STALL)
		return false;
	if (r) {
		its->errors++;
		its->last_error = (uint32_t)r;
	}
	its->creadr = (its->creadr + MODEL_ITS_CMD_SIZE) % queue_bytes(its);
	return true;
}

/*
 * Commands from GITS_CREADR up to GITS_CWRITER. A GITS_CWRITER beyond
 * the queue is CONSTRAINED UNPREDICTABLE; the model stalls, as it would
 * otherwise never meet GITS_CREADR.
 */
static void its_process(struct model *m)
{
	struct model_its *its = &m->its;

	if (!its->enabled || !(its->cbaser & CBASER_VALID) || its->stalled)
		return;
	if (its->cwriter >= queue_bytes(its)) {
		its->stalled = true;
		return;
	}
	while (its->creadr != its->cwriter) {
		if (!run_one(m)) {
			its->stalled = true;
			return;
		}
	}
}

/* --------------------------------------------------------- registers */

static bool aligned(uint32_t off, unsigned len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) &&
	       (off & (len - 1)) == 0;
}

static bool is_reg64(uint32_t reg)
{
	return reg == GITS_TYPER || reg == GITS_CBASER || reg == GITS_CWRITER ||
	       reg == GITS_CREADR ||
	       (reg >= GITS_BASER && reg < GITS_BASER_END);
}

/* Bits of a 64-bit register a `len`-byte access at `off` covers. */
static uint64_t access_mask(uint32_t off, unsigned len)
{
	return (len == 8 ? ~0ull : 0xffffffffull) << ((off & 4) * 8);
}

/* GITS_BASER<n> are all Type 0, unimplemented: RAZ/WI. */
static uint64_t reg64_value(const struct model *m, uint32_t reg)
{
	switch (reg) {
	case GITS_TYPER:
		return gits_typer();
	case GITS_CBASER:
		return m->its.cbaser;
	case GITS_CWRITER:
		return m->its.cwriter; /* Retry reads 0 */
	case GITS_CREADR:
		return m->its.creadr | (m->its.stalled ? CREADR_STALLED : 0);
	default:
		return 0;
	}
}

/* GITS_CTLR.Quiescent: nothing is ever in flight in the model. */
static uint32_t reg32_value(const struct model *m, uint32_t off)
{
	switch (off) {
	case GITS_CTLR:
		return (m->its.enabled ? CTLR_ENABLED : 0) | CTLR_QUIESCENT;
	case GITS_IIDR:
		return ITS_IIDR;
	case GITS_PIDR2:
		return ITS_PIDR2;
	default:
		return 0; /* reserved: RAZ */
	}
}

static int its_check(uint32_t off, unsigned len)
{
	if (off >= MODEL_ITS_FRAME_SIZE)
		return VGIC_ERANGE;
	if (!aligned(off, len))
		return VGIC_EINVAL;
	if (is_reg64(off & ~7u))
		return len == 8 || len == 4 ? VGIC_OK : VGIC_EINVAL;
	return len == 4 ? VGIC_OK : VGIC_EINVAL;
}

int model_its_read(struct model *m, uint32_t off, unsigned len, uint64_t *val)
{
	int err = its_check(off, len);
	uint32_t reg = off & ~7u;

	*val = 0;
	if (err)
		return err;
	if (is_reg64(reg))
		*val = (reg64_value(m, reg) & access_mask(off, len)) >>
		       ((off & 4) * 8);
	else
		*val = reg32_value(m, off);
	return VGIC_OK;
}

/* Enabling runs what was queued while disabled. */
static void ctlr_write(struct model *m, uint64_t val)
{
	m->its.enabled = val & CTLR_ENABLED;
	its_process(m);
}

/* GITS_CBASER: ignored while enabled; a write sets GITS_CREADR to 0. */
static void cbaser_write(struct model_its *its, uint64_t v)
{
	if (its->enabled)
		return;
	its->cbaser = v & CBASER_MASK;
	its->creadr = 0;
	its->stalled = false;
}

/* GITS_CWRITER: only a write of the low half (Offset, Retry) kicks the
 * queue; Retry restarts a stalled one at GITS_CREADR. */
static void cwriter_write(struct model *m, uint64_t v, uint64_t mask)
{
	m->its.cwriter = (uint32_t)(v & CQ_OFFSET);
	if (!(mask & CWRITER_RETRY))
		return;
	if (v & CWRITER_RETRY)
		m->its.stalled = false;
	its_process(m);
}

int model_its_write(struct model *m, uint32_t off, unsigned len, uint64_t val)
{
	int err = its_check(off, len);
	uint32_t reg = off & ~7u;
	uint64_t mask = access_mask(off, len), v;

	if (err)
		return err;
	if (!is_reg64(reg)) {
		if (off == GITS_CTLR)
			ctlr_write(m, val);
		return VGIC_OK; /* IIDR, PIDR2: read-only; reserved: WI */
	}
	v = (reg64_value(m, reg) & ~mask) | ((val << ((off & 4) * 8)) & mask);
	if (reg == GITS_CBASER)
		cbaser_write(&m->its, v);
	else if (reg == GITS_CWRITER)
		cwriter_write(m, v, mask);
	return VGIC_OK; /* TYPER, CREADR: read-only; BASER<n>: WI */
}

/* ------------------------------------------------------------- MSIs */

int model_its_msi(struct model *m, uint32_t devid, uint32_t eventid)
{
	struct model_its_event ev;
	int rd, r;

	if (!m->its.enabled)
		return VGIC_ENOENT;
	r = model_its_find_event(m, devid, eventid, 0, &ev);
	if (r == MODEL_ITS_STALL)
		return VGIC_ERANGE;
	if (r)
		return VGIC_ENOENT;
	rd = model_its_coll_target(m, ev.icid);
	if (rd < 0)
		return VGIC_ENOENT;
	if (!model_lpi_set_pending(m, (uint32_t)rd, ev.intid, true))
		return VGIC_EPERM;
	return VGIC_OK;
}

uint64_t model_its_errors(const struct model *m)
{
	return m->its.errors;
}

uint32_t model_its_last_error(const struct model *m)
{
	return m->its.last_error;
}
