/* SPDX-License-Identifier: MIT */
/*
 * The oracle's driver: runs, operations, comparison, the register sweep
 * and the seeded random sequences.
 *
 *   oracle [--sweep] [--its] [--seed N] [--seeds K] [--ops M] [--cpus C]
 *          [--allowlist F] [--timeout S] [--max-diffs D] [--log]
 *
 * Every run starts a fresh QEMU (-smp C, default 4), libvgic VM and model
 * with C CPUs. --sweep: every 4-byte offset of GICD, of each CPU's
 * RD_base and SGI_base frames and of the ITS control frame (reset value,
 * then all-ones written and read back, then zero), 8-byte accesses to the
 * 64-bit registers and byte accesses to the byte-accessible ones.
 * --seed N --seeds K: K random runs of M operations from seeds N, N+1,
 * ...; one run is reproduced by --seed N --ops M. With --its they are ITS
 * runs (itsgen.c) instead of GICD/GICR ones.
 * Exit status 0 only if every difference was allowlisted.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oracle.h"

struct oracle_opts g = {60, 20, 0, 0, 0, 0, false};

/* ------------------------------------------------------------ QEMU text */

static const char *const rd_cmd[9] = {NULL, "readb", "readw", NULL,   "readl",
				      NULL, NULL,    NULL,    "readq"};
static const char *const wr_cmd[9] = {
	NULL, "writeb", "writew", NULL, "writel", NULL, NULL, NULL, "writeq"};

static uint64_t op_gpa(const struct op *op)
{
	const struct frame_desc *f = &frames[op->frame];

	return f->base + f->stride * op->cpu + op->off;
}

/* SPIs first, then 32 PPI slots per CPU (QEMU's gicv3_set_irq). */
static uint32_t line_index(const struct op *op)
{
	if (op->intid >= 32)
		return op->intid - 32;
	return OR_NR_SPIS + op->cpu * 32 + op->intid;
}

static void op_text(struct run *r, const struct op *op, char *buf, size_t n)
{
	uint64_t gpa = op_gpa(op);

	switch (op->kind) {
	case OP_READ:
		snprintf(buf, n, "%s 0x%llx", rd_cmd[op->len],
			 (unsigned long long)gpa);
		break;
	case OP_WRITE:
		snprintf(buf, n, "%s 0x%llx 0x%llx", wr_cmd[op->len],
			 (unsigned long long)gpa, (unsigned long long)op->val);
		break;
	case OP_LINE:
		snprintf(buf, n, "set_irq_in %s unnamed-gpio-in %u %u",
			 qt_gic_path(r->q), line_index(op), (unsigned)op->val);
		break;
	case OP_HPPI:
		/* A GICD_CTLR write recomputes every CPU's HPPI in QEMU
		 * (gicv3_full_update) and traces each; rewriting the last
		 * value written changes no state on any side. */
		snprintf(buf, n, "writel 0x%llx 0x%x",
			 (unsigned long long)frames[FRAME_GICD].base,
			 r->gicd_ctlr);
		break;
	case OP_MEM:
		snprintf(buf, n, "%s 0x%llx 0x%llx", wr_cmd[op->len],
			 (unsigned long long)op->gpa,
			 (unsigned long long)op->val);
		break;
	case OP_LPI_PEND:
		/* QEMU keeps LPI pending state in the pending tables */
		snprintf(buf, n, "readq 0x%llx", (unsigned long long)op->gpa);
		break;
	}
}

static const char *op_name(const struct op *op)
{
	switch (op->kind) {
	case OP_READ:
		return rd_cmd[op->len];
	case OP_WRITE:
		return wr_cmd[op->len];
	case OP_LINE:
		return "line";
	case OP_HPPI:
		return "hppi";
	case OP_MEM:
		return "mem";
	case OP_LPI_PEND:
		return "lpi-pending";
	}
	return "?";
}

/* ------------------------------------------------------- local sides */

/* The interrupts held vCPUs have in their LRs (4, as NR_LRS). */
static void note_inflight(struct run *r, struct pending_op *p)
{
	uint32_t intids[VGIC_MAX_LRS];

	p->nr_inflight = 0;
	for (uint32_t c = 0; c < or_nr_cpus; c++) {
		unsigned n = sides_held_lrs(r->s, c, intids);
		for (unsigned i = 0; i < n && i < 4; i++) {
			p->inflight_cpu[p->nr_inflight] = (uint8_t)c;
			p->inflight[p->nr_inflight++] = intids[i];
		}
	}
}

/* QEMU's HPPI of `cpu` sits in an LR of another vCPU that is in the
 * guest: forwarded there before it was re-routed. */
static bool inflight_elsewhere(const struct pending_op *p, uint32_t cpu,
			       uint32_t intid)
{
	for (unsigned i = 0; i < p->nr_inflight; i++)
		if (p->inflight[i] == intid && p->inflight_cpu[i] != cpu)
			return true;
	return false;
}

/* Every side takes part in every operation (the model has the ITS, its
 * LPIs and guest RAM of its own as libvgic has). */
static void apply_local(struct run *r, struct pending_op *p)
{
	const struct op *op = &p->op;

	memset(p->lmask, 0, sizeof(p->lmask));
	for (int sd = 0; sd < NR_SIDES; sd++) {
		switch (op->kind) {
		case OP_READ:
			p->val[sd] = sides_read(r->s, sd, op->frame, op->cpu,
						op->vcpu, op->off, op->len);
			break;
		case OP_WRITE:
			sides_write(r->s, sd, op->frame, op->cpu, op->vcpu,
				    op->off, op->len, op->val);
			break;
		case OP_LINE:
			sides_line(r->s, sd, op->cpu, op->intid, op->val != 0);
			break;
		case OP_HPPI:
			sides_write(r->s, sd, FRAME_GICD, 0, 0, 0, 4,
				    r->gicd_ctlr);
			if (sd == SIDE_VGIC)
				note_inflight(r, p);
			for (uint32_t c = 0; c < or_nr_cpus; c++) {
				p->hppi[sd][c] = sides_hppi(r->s, sd, c,
							    &p->cond[sd][c]);
				if (sd == SIDE_VGIC && r->its &&
				    !p->cond[sd][c])
					p->cond[sd][c] = its_hppi_cond(r, c);
				if (sd == SIDE_MODEL && r->its)
					its_model_lpis(r, c, p->mlpis[c]);
			}
			break;
		case OP_MEM:
			/* into both sides' copies of guest RAM */
			if (sd == SIDE_VGIC)
				sides_mem_write(r->s, op->gpa, op->len,
						op->val);
			break;
		case OP_LPI_PEND:
			p->val[sd] =
				sides_lpi_pending(r->s, sd, op->cpu, op->intid);
			if (sd == SIDE_MODEL)
				its_lpi_excuse(r, op->cpu, op->intid, p->lmask);
			break;
		}
	}
}

/* ------------------------------------------------------------ compare */

static bool report_more(struct run *r)
{
	r->diffs++;
	g.total_diffs++;
	return r->diffs <= g.max_diffs;
}

static void report_where(const struct run *r, const struct pending_op *p)
{
	printf("DIFF %s seed=%lu op#%lu %s", r->name, r->seed, p->index,
	       op_name(&p->op));
	if (p->op.kind == OP_READ)
		printf(" %s", frames[p->op.frame].name);
	if (p->op.kind == OP_READ && frames[p->op.frame].stride)
		printf("%u", p->op.cpu);
	if (p->op.kind == OP_READ)
		printf("+0x%04x (vcpu %u)", p->op.off, p->op.vcpu);
}

static void compare_read(struct run *r, const struct pending_op *p,
			 const struct qt_reply *q)
{
	for (int sd = 0; sd < NR_SIDES; sd++) {
		uint64_t diff = q->val ^ p->val[sd];
		if (!diff || !(diff = allow_filter(sd, p->op.frame, p->op.off,
						   p->op.len, diff)))
			continue;
		if (p->op.off % p->op.len &&
		    allow_cond(sd, "ACCESS", "unaligned"))
			continue;
		if (p->rcond[sd] && !(diff & ~p->rmask[sd]) &&
		    (!p->rset[sd] || (q->val & diff) == diff) &&
		    allow_cond(sd, "STATE", p->rcond[sd]))
			continue;
		if (!report_more(r))
			continue;
		report_where(r, p);
		printf(": qemu=0x%llx %s=0x%llx\n", (unsigned long long)q->val,
		       side_names[sd], (unsigned long long)p->val[sd]);
	}
}

const char *const lpi_excuse_names[NR_LX] = {"lpi-beyond-idbits",
					     "its-narrower", "move-to-disabled",
					     "lpi-config-stale"};

/* The differing bits `diff` no excuse covers: each excuse that covers
 * some needs its allowlist entry. */
static uint64_t lpi_unexcused(enum side sd, const uint64_t mask[NR_LX],
			      uint64_t diff)
{
	uint64_t left = diff;

	for (int k = 0; k < NR_LX; k++)
		if ((diff & mask[k]) &&
		    allow_cond(sd, "LPI", lpi_excuse_names[k]))
			left &= ~mask[k];
	return left;
}

/* Bit i of each: LPI op.intid + i pending at redistributor op.cpu. The
 * model's bits of lmask may differ (its_lpi_excuse). */
static void compare_lpi_pending(struct run *r, const struct pending_op *p,
				const struct qt_reply *q)
{
	g.lpi_checks++;
	for (int sd = 0; sd < NR_SIDES; sd++) {
		uint64_t diff = q->val ^ p->val[sd];
		if (diff && sd == SIDE_MODEL)
			diff = lpi_unexcused(sd, p->lmask, diff);
		if (!diff || !report_more(r))
			continue;
		printf("DIFF %s seed=%lu op#%lu lpi-pending CPU %u:", r->name,
		       r->seed, p->index, p->op.cpu);
		for (unsigned i = 0; i < 64; i++)
			if (diff >> i & 1)
				printf(" LPI %u %s-only", p->op.intid + i,
				       q->val >> i & 1 ? "qemu"
						       : side_names[sd]);
		printf("\n");
	}
}

/* QEMU's trace, normalised: priority 0xff means nothing is pending. */
static struct hppi qemu_hppi(const struct qt_hppi *h)
{
	if (!h->seen || h->prio >= 0xff)
		return (struct hppi){OR_NONE, 0xff, 0};
	return (struct hppi){(uint32_t)h->irq, (uint8_t)h->prio,
			     h->grp ? 1 : 0};
}

static bool hppi_equal(const struct hppi *a, const struct hppi *b)
{
	if (a->intid == OR_NONE || b->intid == OR_NONE)
		return a->intid == b->intid;
	return a->intid == b->intid && a->prio == b->prio && a->grp == b->grp;
}

/* Is `intid` among the LPIs 8192..8255 of `set`? */
static bool lpi_in(uint64_t set, uint32_t intid)
{
	return intid >= OR_FIRST_LPI && intid < OR_FIRST_LPI + 64 &&
	       (set >> (intid - OR_FIRST_LPI) & 1);
}

/*
 * The model in an ITS run: an HPPI difference is excused only where one
 * side's HPPI is an LPI the model cannot have (from 16384), or one whose
 * pending state or configuration may differ (its_model_lpis): the other
 * LPIs do not change which interrupt is the best.
 */
static const char *model_lpi_cond(const struct pending_op *p, uint32_t c,
				  const struct hppi *qh, const struct hppi *h)
{
	if (qh->intid != OR_NONE && qh->intid >= OR_FIRST_LPI + MODEL_NR_LPIS)
		return lpi_excuse_names[LX_BEYOND];
	for (int k = 0; k < NR_LX; k++)
		if (lpi_in(p->mlpis[c][k], qh->intid) ||
		    lpi_in(p->mlpis[c][k], h->intid))
			return lpi_excuse_names[k];
	return NULL;
}

static void compare_hppi(struct run *r, const struct pending_op *p,
			 const struct qt_reply *q)
{
	for (uint32_t c = 0; c < or_nr_cpus; c++) {
		struct hppi qh = qemu_hppi(&q->hppi[c]);
		if (!q->hppi[c].seen) {
			if (report_more(r))
				printf("DIFF %s seed=%lu op#%lu: no HPPI trace "
				       "for CPU %u\n",
				       r->name, r->seed, p->index, c);
			continue;
		}
		bool compared = false;
		for (int sd = 0; sd < NR_SIDES; sd++) {
			const struct hppi *h = &p->hppi[sd][c];
			const char *cond = p->cond[sd][c];
			if (cond && !strcmp(cond, "held"))
				continue;
			compared = true;
			if (!cond && sd == SIDE_MODEL && r->its)
				cond = model_lpi_cond(p, c, &qh, h);
			if (hppi_equal(&qh, h) ||
			    (cond && allow_cond(sd, "HPPI", cond)))
				continue;
			/* Two LPIs of one priority: which goes first is
			 * IMPLEMENTATION DEFINED (the pending states are
			 * compared on their own). */
			if (qh.intid >= OR_FIRST_LPI && h->intid != OR_NONE &&
			    h->intid >= OR_FIRST_LPI && qh.prio == h->prio &&
			    allow_cond(sd, "HPPI", "lpi-tie"))
				continue;
			if (sd == SIDE_VGIC && qh.intid >= 32 &&
			    qh.intid < OR_FIRST_LPI &&
			    inflight_elsewhere(p, c, qh.intid) &&
			    allow_cond(sd, "HPPI", "in-flight"))
				continue;
			if (!report_more(r))
				continue;
			report_where(r, p);
			printf(" CPU %u: qemu=INTID %u prio 0x%02x grp %u "
			       "%s=INTID %u prio 0x%02x grp %u\n",
			       c, qh.intid, qh.prio, qh.grp, side_names[sd],
			       h->intid, h->prio, h->grp);
		}
		g.hppi_checks += compared;
	}
}

static void compare(struct run *r, const struct pending_op *p,
		    const struct qt_reply *q)
{
	if (!q->ok) {
		if (report_more(r))
			printf("DIFF %s seed=%lu op#%lu: QEMU refused %s\n",
			       r->name, r->seed, p->index, op_name(&p->op));
		return;
	}
	if (p->op.kind == OP_READ)
		compare_read(r, p, q);
	else if (p->op.kind == OP_LPI_PEND)
		compare_lpi_pending(r, p, q);
	else if (p->op.kind == OP_HPPI)
		compare_hppi(r, p, q);
}

/* ------------------------------------------------------------ batches */

int flush_batch(struct run *r)
{
	if (!r->nr_batch || r->failed)
		return r->failed ? -1 : 0;
	if (qt_run(r->q, r->replies, 20)) {
		printf("FAIL %s seed=%lu: QEMU died or hung near op#%lu\n",
		       r->name, r->seed, r->batch[0].index);
		r->failed = true;
		return -1;
	}
	for (unsigned i = 0; i < r->nr_batch; i++)
		compare(r, &r->batch[i], &r->replies[i]);
	r->nr_batch = 0;
	return 0;
}

struct pending_op *submit(struct run *r, const struct op *op)
{
	static struct pending_op dummy;
	char cmd[QT_CMD_LEN];

	if (r->failed)
		return &dummy;
	struct pending_op *p = &r->batch[r->nr_batch++];
	p->op = *op;
	p->index = r->nr_ops++;
	for (int sd = 0; sd < NR_SIDES; sd++) {
		p->rcond[sd] = NULL;
		if (op->kind != OP_READ)
			continue;
		p->rcond[sd] = r->next_rcond[sd];
		p->rmask[sd] = r->next_rmask[sd];
		p->rset[sd] = r->next_rset[sd];
		r->next_rcond[sd] = NULL;
	}
	g.total_ops++;
	op_text(r, op, cmd, sizeof(cmd));
	qt_queue(r->q, cmd);
	apply_local(r, p);
	if (g.log)
		printf("op#%lu %s -> vgic 0x%llx model 0x%llx\n", p->index, cmd,
		       (unsigned long long)p->val[SIDE_VGIC],
		       (unsigned long long)p->val[SIDE_MODEL]);
	if (g.log && getenv("ORACLE_WATCH")) {
		uint32_t lpi =
			(uint32_t)strtoul(getenv("ORACLE_WATCH"), NULL, 0);
		for (int sd = 0; sd < NR_SIDES; sd++) {
			printf("  watch LPI %u %s:", lpi, side_names[sd]);
			for (uint32_t c = 0; c < or_nr_cpus; c++)
				printf(" %u",
				       (unsigned)(sides_lpi_pending(r->s, sd, c,
								    lpi) &
						  1));
			printf("\n");
		}
	}
	if (r->nr_batch == QT_MAX_BATCH) {
		dummy = *p;
		flush_batch(r);
		return &dummy;
	}
	return p;
}

/* The vCPU whose access libvgic sees: a redistributor's frames are
 * often read by other vCPUs (Linux probes every GICR_TYPER), and
 * handlers must use the frame's owner, never the accessor. */
static uint32_t accessor(struct run *r, uint32_t cpu, uint32_t off)
{
	if (r->random_vcpu)
		return (uint32_t)(rnd(r) % or_nr_cpus);
	return (cpu + off / 4) % or_nr_cpus;
}

uint64_t op_read(struct run *r, enum frame_kind f, uint32_t cpu, uint32_t off,
		 unsigned len)
{
	struct op op = {OP_READ, f, cpu, accessor(r, cpu, off), off, len,
			0,	 0, 0};

	return submit(r, &op)->val[SIDE_VGIC];
}

void op_write(struct run *r, enum frame_kind f, uint32_t cpu, uint32_t off,
	      unsigned len, uint64_t val)
{
	struct op op = {OP_WRITE, f, cpu, accessor(r, cpu, off), off, len,
			val,	  0, 0};

	if (f == FRAME_GICD && off == 0 && len == 4)
		r->gicd_ctlr = (uint32_t)val;
	submit(r, &op);
}

void op_hppi(struct run *r)
{
	struct op op = {OP_HPPI, FRAME_GICD, 0, 0, 0, 4, 0, 0, 0};
	submit(r, &op);
}

void op_mem(struct run *r, uint64_t gpa, unsigned len, uint64_t val)
{
	struct op op = {OP_MEM, FRAME_GICD, 0, 0, 0, len, val, 0, gpa};
	submit(r, &op);
}

/* ------------------------------------------------------------ runs */

int run_begin(struct run *r, const char *name, unsigned long seed)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->seed = seed;
	allow_set_run(name);
	/* Scramble the seed: nearby seeds must not give shifted copies of
	 * one splitmix64 stream. */
	r->rng = seed;
	r->rng = rnd(r) ^ 0x6a09e667f3bcc909ULL;
	r->q = qt_start(or_nr_cpus, g.timeout_s);
	r->s = sides_new();
	if (!r->q || !r->s) {
		printf("FAIL %s: cannot start QEMU or the local sides\n", name);
		qt_stop(r->q);
		sides_free(r->s);
		return -1;
	}
	return 0;
}

/* 0 if the run saw no unexcused difference and QEMU behaved. */
int run_end(struct run *r)
{
	flush_batch(r);
	qt_stop(r->q);
	sides_free(r->s);
	if (r->diffs > g.max_diffs)
		printf("... %lu differences in %s (seed %lu), %lu shown\n",
		       r->diffs, r->name, r->seed, g.max_diffs);
	printf("%-6s seed=%-6lu ops=%-8lu diffs=%lu%s\n", r->name, r->seed,
	       r->nr_ops, r->diffs, r->failed ? " QEMU FAILED" : "");
	if (r->diffs && r->random_vcpu)
		printf("reproduce: oracle --cpus %u%s --seed %lu --ops %lu "
		       "--log\n",
		       or_nr_cpus, r->its ? " --its" : "", r->seed, r->nr_ops);
	return r->diffs || r->failed ? -1 : 0;
}

/* ------------------------------------------------------------ sweep */

static const uint64_t all_ones[9] = {0, 0xff, 0xffff, 0,    0xffffffff,
				     0, 0,    0,      ~0ULL};

/* Reset value, all-ones written and read back, zero likewise. */
static void sweep_cell(struct run *r, enum frame_kind f, uint32_t cpu,
		       uint32_t off, unsigned len, bool reset_read)
{
	if (reset_read)
		op_read(r, f, cpu, off, len);
	op_write(r, f, cpu, off, len, all_ones[len]);
	op_read(r, f, cpu, off, len);
	op_write(r, f, cpu, off, len, 0);
	op_read(r, f, cpu, off, len);
}

/* Offset ranges accessed with other widths than 32 bits (IHI 0069
 * register maps: IROUTER<n> and GICR_TYPER and the LPI registers are
 * 64-bit; IPRIORITYR<n> and ITARGETSR<n> are byte-accessible). */
struct wide_range {
	enum frame_kind frame;
	uint32_t first, end;
	unsigned len;
};

static const struct wide_range wide_ranges[] = {
	{FRAME_GICD, 0x6000, 0x8000, 8}, /* GICD_IROUTER<n> */
	{FRAME_GITS, 0x0008, 0x0010, 8}, /* GITS_TYPER */
	{FRAME_GITS, 0x0080, 0x0098, 8}, /* CBASER, CWRITER, CREADR */
	{FRAME_GITS, 0x0100, 0x0140, 8}, /* GITS_BASER<n> */
	{FRAME_RD, 0x0008, 0x0010, 8},	 /* GICR_TYPER */
	{FRAME_RD, 0x0040, 0x0050, 8},	 /* GICR_SETLPIR, GICR_CLRLPIR */
	{FRAME_RD, 0x0070, 0x0080, 8},	 /* GICR_PROPBASER, PENDBASER */
	{FRAME_RD, 0x00a0, 0x00b8, 8},	 /* GICR_INVLPIR, GICR_INVALLR */
	{FRAME_GICD, 0x0400, 0x0c00, 1}, /* IPRIORITYR, ITARGETSR */
	{FRAME_SGI, 0x0400, 0x0420, 1},	 /* GICR_IPRIORITYR<n> */
};

static uint32_t frame_cpus(enum frame_kind f)
{
	return frames[f].stride ? or_nr_cpus : 1;
}

/* The enables, swept last: GICR_CTLR.EnableLPIs makes GICR_PROPBASER and
 * GICR_PENDBASER read-only in libvgic (and cannot be cleared), and
 * GITS_CTLR.Enabled makes GITS_CBASER and GITS_BASER<n> read-only. */
static bool swept_last(enum frame_kind f, uint32_t off)
{
	return (f == FRAME_RD || f == FRAME_GITS) && off == 0;
}

/* The translation frame holds one register: its first page will do. */
static uint32_t sweep_size(enum frame_kind f)
{
	return f == FRAME_GITS_T ? 0x1000 : frames[f].size;
}

static void sweep_frame(struct run *r, enum frame_kind f, uint32_t cpu)
{
	for (uint32_t off = 0; off < sweep_size(f); off += 4)
		if (!swept_last(f, off))
			sweep_cell(r, f, cpu, off, 4, false);
	op_hppi(r);
}

static void sweep_wide(struct run *r)
{
	for (size_t i = 0; i < sizeof(wide_ranges) / sizeof(wide_ranges[0]);
	     i++) {
		const struct wide_range *w = &wide_ranges[i];
		for (uint32_t c = 0; c < frame_cpus(w->frame); c++)
			for (uint32_t o = w->first; o < w->end; o += w->len)
				sweep_cell(r, w->frame, c, o, w->len, true);
	}
}

/*
 * Accesses of widths a register does not take, and unaligned ones, over
 * the register-dense parts of each frame: UNPREDICTABLE in IHI 0069, so
 * both sides must at least agree with QEMU's outcome or be allowlisted.
 */
struct odd_range {
	enum frame_kind frame;
	uint32_t first, end;
};

static const struct odd_range odd_ranges[] = {
	{FRAME_GICD, 0x0000, 0x1000},	{FRAME_GICD, 0x6100, 0x6200},
	{FRAME_GICD, 0xffd0, 0x10000},	{FRAME_RD, 0x0000, 0x0100},
	{FRAME_RD, 0xffd0, 0x10000},	{FRAME_SGI, 0x0000, 0x1000},
	{FRAME_GITS, 0x0000, 0x0140},	{FRAME_GITS, 0xffd0, 0x10000},
	{FRAME_GITS_T, 0x0000, 0x0080},
};

static void sweep_odd_range(struct run *r, const struct odd_range *o,
			    uint32_t cpu)
{
	static const struct {
		unsigned len, step, skew;
	} forms[] = {{1, 1, 0}, {2, 2, 0}, {8, 8, 0}, {4, 4, 1},
		     {4, 4, 2}, {8, 8, 4}, {2, 4, 1}};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		for (uint32_t off = o->first + forms[i].skew;
		     off + forms[i].len <= o->end; off += forms[i].step)
			if (!swept_last(o->frame, off))
				sweep_cell(r, o->frame, cpu, off, forms[i].len,
					   true);
}

static void sweep_odd(struct run *r)
{
	for (size_t i = 0; i < sizeof(odd_ranges) / sizeof(odd_ranges[0]);
	     i++) {
		const struct odd_range *o = &odd_ranges[i];
		/* The first and the last redistributor are enough here. */
		sweep_odd_range(r, o, 0);
		if (frames[o->frame].stride)
			sweep_odd_range(r, o, or_nr_cpus - 1);
	}
}

static int run_sweep(void)
{
	struct run *r = calloc(1, sizeof(*r));
	int rc;

	if (!r || run_begin(r, "sweep", 0)) {
		free(r);
		return -1;
	}
	/* Reset values of everything first, before any write. */
	for (int f = 0; f < NR_FRAMES; f++)
		for (uint32_t c = 0; c < frame_cpus(f); c++)
			for (uint32_t o = 0; o < frames[f].size; o += 4)
				op_read(r, f, c, o, 4);
	op_hppi(r);
	for (int f = 0; f < NR_FRAMES; f++)
		for (uint32_t c = 0; c < frame_cpus(f); c++)
			sweep_frame(r, f, c);
	sweep_wide(r);
	sweep_odd(r);
	op_hppi(r);
	/* The tables are at guest address 0 by now (zero written last):
	 * QEMU reads its flash there, zeros, and libvgic is refused;
	 * either way no LPI is pending and none is configured. */
	sweep_cell(r, FRAME_GITS, 0, 0, 4, true);
	for (uint32_t c = 0; c < or_nr_cpus; c++)
		sweep_cell(r, FRAME_RD, c, 0, 4, true);
	op_hppi(r);
	rc = run_end(r);
	free(r);
	return rc;
}

/* ------------------------------------------------------ random sequences */

uint64_t rnd(struct run *r)
{
	/* splitmix64: good enough, and the same on every host */
	uint64_t z = (r->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t rnd_below(struct run *r, uint32_t n)
{
	return (uint32_t)(rnd(r) % n);
}

bool chance(struct run *r, unsigned percent)
{
	return rnd_below(r, 100) < percent;
}

/* Mostly a few interrupts so that they interact; sometimes any. */
static uint32_t rnd_spi(struct run *r)
{
	if (chance(r, 75))
		return 32 + rnd_below(r, 48);
	return 32 + rnd_below(r, OR_NR_SPIS);
}

static uint32_t rnd_ppi(struct run *r)
{
	return 16 + rnd_below(r, 16);
}

/* A per-IRQ row value: a few bits, or dense. */
static uint32_t rnd_bits(struct run *r)
{
	uint32_t v = 0;

	if (chance(r, 25))
		return (uint32_t)rnd(r);
	for (unsigned n = 1 + rnd_below(r, 3); n; n--)
		v |= 1u << rnd_below(r, 32);
	return v;
}

/* Priorities with the implemented bits only: QEMU 7.2 keeps all 8 bits
 * of IPRIORITYR and orders its HPPI by them (allowlist), so values that
 * differ only in unimplemented bits would make the HPPI ambiguous. The
 * sweep covers the unimplemented bits. */
static uint8_t rnd_prio(struct run *r)
{
	return (uint8_t)(rnd(r) & 0xf8);
}

/* One per-IRQ 1-bit register of GICD or of a CPU's SGI_base frame. */
static void rnd_bit_reg(struct run *r, bool write)
{
	static const uint32_t regs[] = {0x080, 0x100, 0x180, 0x200,
					0x280, 0x300, 0x380};
	uint32_t base = regs[rnd_below(r, 7)];
	uint32_t cpu = rnd_below(r, or_nr_cpus);

	if (chance(r, 40)) {
		if (write)
			op_write(r, FRAME_SGI, cpu, base, 4, rnd_bits(r));
		op_read(r, FRAME_SGI, cpu, base, 4);
		return;
	}
	uint32_t n = chance(r, 95) ? rnd_spi(r) / 32 : rnd_below(r, 32);
	if (write)
		op_write(r, FRAME_GICD, 0, base + 4 * n, 4, rnd_bits(r));
	op_read(r, FRAME_GICD, 0, base + 4 * n, 4);
}

static void rnd_priority(struct run *r)
{
	bool sgi = chance(r, 35);
	uint32_t cpu = rnd_below(r, or_nr_cpus);
	uint32_t intid = sgi ? rnd_below(r, 32) : rnd_spi(r);
	enum frame_kind f = sgi ? FRAME_SGI : FRAME_GICD;
	uint32_t off = 0x400 + intid;

	if (chance(r, 60)) {
		op_write(r, f, cpu, off, 1, rnd_prio(r));
		op_read(r, f, cpu, off, 1);
		return;
	}
	uint32_t v = 0;
	for (unsigned i = 0; i < 4; i++)
		v |= (uint32_t)rnd_prio(r) << (8 * i);
	op_write(r, f, cpu, off & ~3u, 4, v);
	op_read(r, f, cpu, off & ~3u, 4);
}

static void rnd_config(struct run *r)
{
	uint32_t cpu = rnd_below(r, or_nr_cpus);

	if (chance(r, 35)) {
		uint32_t off = chance(r, 85) ? 0xc04 : 0xc00;
		op_write(r, FRAME_SGI, cpu, off, 4, (uint32_t)rnd(r));
		op_read(r, FRAME_SGI, cpu, off, 4);
		return;
	}
	uint32_t off = 0xc00 + 4 * (rnd_spi(r) / 16);
	op_write(r, FRAME_GICD, 0, off, 4, (uint32_t)rnd(r));
	op_read(r, FRAME_GICD, 0, off, 4);
}

/* An existing CPU's affinity mostly, else one that matches none. IRM is
 * never set: QEMU has no 1-of-N routing (allowlist). */
static uint64_t rnd_affinity(struct run *r)
{
	if (chance(r, 85))
		return rnd_below(r, or_nr_cpus);
	return (rnd(r) & 0xff00ffffffULL) & ~(1ULL << 31);
}

static void rnd_router(struct run *r)
{
	uint32_t off = 0x6000 + 8 * rnd_spi(r);
	uint64_t aff = rnd_affinity(r);
	unsigned form = rnd_below(r, 3);

	if (form == 0)
		op_write(r, FRAME_GICD, 0, off, 8, aff);
	else if (form == 1)
		op_write(r, FRAME_GICD, 0, off, 4, (uint32_t)aff);
	else
		op_write(r, FRAME_GICD, 0, off + 4, 4, aff >> 32);
	op_read(r, FRAME_GICD, 0, off, chance(r, 50) ? 8 : 4);
}

static void rnd_ctlr(struct run *r)
{
	uint32_t v = rnd_below(r, 4);

	if (chance(r, 20))
		v |= (uint32_t)rnd(r) & ~0x80000000u;
	op_write(r, FRAME_GICD, 0, 0, 4, v);
	op_read(r, FRAME_GICD, 0, 0, 4);
}

static void rnd_waker(struct run *r)
{
	uint32_t cpu = rnd_below(r, or_nr_cpus);

	op_write(r, FRAME_RD, cpu, 0x14, 4, chance(r, 90) ? 0 : 2);
	op_read(r, FRAME_RD, cpu, 0x14, 4);
}

static void rnd_line(struct run *r)
{
	struct op op = {OP_LINE, FRAME_GICD, 0, 0, 0, 0, chance(r, 50), 0, 0};

	if (chance(r, 60)) {
		op.intid = rnd_spi(r);
	} else {
		op.cpu = rnd_below(r, or_nr_cpus);
		op.intid = rnd_ppi(r);
	}
	submit(r, &op);
}

/* Every per-IRQ register of every frame, read. */
void read_all_state(struct run *r)
{
	static const uint32_t regs[] = {0x080, 0x100, 0x200, 0x300};

	op_read(r, FRAME_GICD, 0, 0, 4);
	for (unsigned i = 0; i < 4; i++)
		for (uint32_t n = 1; n <= OR_NR_SPIS / 32; n++)
			op_read(r, FRAME_GICD, 0, regs[i] + 4 * n, 4);
	for (uint32_t o = 0x420; o < 0x400 + 32 + OR_NR_SPIS; o += 4)
		op_read(r, FRAME_GICD, 0, o, 4);
	for (uint32_t o = 0xc08; o < 0xc00 + (32 + OR_NR_SPIS) / 4; o += 4)
		op_read(r, FRAME_GICD, 0, o, 4);
	for (uint32_t i = 32; i < 32 + OR_NR_SPIS; i++)
		op_read(r, FRAME_GICD, 0, 0x6000 + 8 * i, 8);
	for (uint32_t c = 0; c < or_nr_cpus; c++) {
		op_read(r, FRAME_RD, c, 0x14, 4);
		for (unsigned i = 0; i < 4; i++)
			op_read(r, FRAME_SGI, c, regs[i], 4);
		for (uint32_t o = 0x400; o < 0x420; o += 4)
			op_read(r, FRAME_SGI, c, o, 4);
		op_read(r, FRAME_SGI, c, 0xc04, 4);
	}
}

/* An aligned access of a width the register may not take (IHI 0069:
 * UNPREDICTABLE; QEMU and ours both make it RAZ/WI), mid-sequence. */
static void rnd_odd_width(struct run *r)
{
	static const unsigned lens[] = {1, 2, 8};
	unsigned len = lens[rnd_below(r, 3)];
	bool sgi = chance(r, 30);
	uint32_t cpu = rnd_below(r, or_nr_cpus);
	uint32_t off = (0x80 + rnd_below(r, 0xc80)) & ~(len - 1);
	enum frame_kind f = sgi ? FRAME_SGI : FRAME_GICD;

	uint64_t v = rnd(r);

	if (sgi)
		off &= 0xfff;
	if (off >= 0x400 && off < 0x800)
		v &= 0xf8f8f8f8f8f8f8f8ULL; /* see rnd_prio() */
	if (chance(r, 50))
		op_write(r, f, cpu, off, len, v);
	op_read(r, f, cpu, off, len);
}

void rnd_step(struct run *r)
{
	unsigned w = rnd_below(r, 100);

	if (w < 30)
		rnd_bit_reg(r, true);
	else if (w < 40)
		rnd_priority(r);
	else if (w < 46) {
		/* Changing an enabled interrupt's configuration is
		 * UNPREDICTABLE (IHI 0069, GICD_ICFGR<n>): with one in a
		 * running vCPU's LR the sides legitimately part ways. */
		if (!r->no_icfgr)
			rnd_config(r);
	} else if (w < 53)
		rnd_router(r);
	else if (w < 57)
		rnd_ctlr(r);
	else if (w < 59)
		rnd_waker(r);
	else if (w < 84)
		rnd_line(r);
	else if (w < 87)
		rnd_odd_width(r);
	else
		rnd_bit_reg(r, false);
}

static int run_random(unsigned long seed, unsigned long nops)
{
	struct run *r = calloc(1, sizeof(*r));
	int rc;

	if (!r || run_begin(r, "random", seed)) {
		free(r);
		return -1;
	}
	r->random_vcpu = true;
	/* What a guest kernel does first: wake its redistributors. */
	for (uint32_t c = 0; c < or_nr_cpus; c++)
		op_write(r, FRAME_RD, c, 0x14, 4, 0);
	for (unsigned long i = 0; r->nr_ops < nops && !r->failed; i++) {
		rnd_step(r);
		if (i % 3 == 2)
			op_hppi(r);
		if (i % 400 == 399)
			read_all_state(r);
	}
	read_all_state(r);
	op_hppi(r);
	rc = run_end(r);
	free(r);
	return rc;
}

/* ------------------------------------------------------------ main */

struct args {
	bool sweep;
	bool random;
	bool its;
	unsigned long seed, seeds, ops;
	const char *allowlist;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	*a = (struct args){
		false, false, false, 1, 1, 20000, "tests/oracle/allowlist.txt"};
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "--sweep") || !strcmp(o, "--log") ||
		    !strcmp(o, "--its")) {
			a->sweep |= o[2] == 's';
			g.log |= o[2] == 'l';
			a->its |= o[2] == 'i';
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(o, "--seed"))
			a->seed = strtoul(v, NULL, 0), a->random = true;
		else if (!strcmp(o, "--seeds"))
			a->seeds = strtoul(v, NULL, 0), a->random = true;
		else if (!strcmp(o, "--ops"))
			a->ops = strtoul(v, NULL, 0), a->random = true;
		else if (!strcmp(o, "--cpus"))
			or_nr_cpus = (uint32_t)strtoul(v, NULL, 0);
		else if (!strcmp(o, "--allowlist"))
			a->allowlist = v;
		else if (!strcmp(o, "--timeout"))
			g.timeout_s = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(o, "--max-diffs"))
			g.max_diffs = strtoul(v, NULL, 0);
		else
			return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct args a;
	int bad = 0;

	if (parse_args(argc, argv, &a) || or_nr_cpus < 1 ||
	    or_nr_cpus > OR_MAX_CPUS) {
		fprintf(stderr, "usage: oracle [--sweep] [--its] [--seed N] "
				"[--seeds K] "
				"[--ops M] [--allowlist F] [--timeout S] "
				"[--max-diffs D] [--log]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows in logs */
	if (allow_load(a.allowlist))
		return 2;
	double t0 = now();
	if (a.sweep && run_sweep())
		bad++;
	for (unsigned long k = 0; a.random && k < a.seeds; k++)
		if (a.its ? run_its_random(a.seed + k, a.ops)
			  : run_random(a.seed + k, a.ops))
			bad++;
	double dt = now() - t0;
	allow_report();
	printf("oracle: %lu ops (%lu CPU HPPIs, %lu LPI pending words "
	       "compared) in %.1f s, %.0f ops/s; %lu differences; %d failed "
	       "run(s)\n",
	       g.total_ops, g.hppi_checks, g.lpi_checks, dt,
	       (double)g.total_ops / dt, g.total_diffs, bad);
	return bad ? 1 : 0;
}
