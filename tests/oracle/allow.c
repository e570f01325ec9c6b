/* SPDX-License-Identifier: MIT */
/*
 * The allowlist: divergences from QEMU that are known and explained.
 *
 * One entry per line, '#' starts a comment:
 *   SIDE FRAME[@RUN] FIRST LAST SIZE MASK REASON...   register bits
 *   SIDE HPPI  COND REASON...                         an HPPI difference
 *   SIDE ACCESS COND REASON...                        any access of a kind
 *   SIDE STATE COND REASON...                         register bits in a
 *                                                     state the run knows
 *   SIDE LPI COND REASON...                           LPI pending bits in
 *                                                     a state the run knows
 * SIDE is vgic, model or both; FRAME is GICD, RD, SGI, GITS or GITS_T
 * (frames[]), and with @RUN (sweep, random, its) the entry holds in
 * that kind of run only; the registers covered are SIZE (4 or 8) bytes
 * each, the first at offset FIRST, the last at LAST; MASK is the bits
 * of each that may differ, whatever the width of the access. HPPI COND
 * names a state the side reports (sides.c, itsgen.c) or "lpi-tie";
 * ACCESS COND is "unaligned" (address not a multiple of the access
 * size); STATE COND names a state in which the run expects given bits
 * of a read to differ (itsgen.c); LPI COND names why the run expects
 * given LPIs' pending state to differ (the model in the ITS runs:
 * lpi_excuse_names[], itsgen.c); the same names serve as HPPI COND.
 * Every entry gives its reason: a known QEMU 7.2 deviation or an
 * IMPLEMENTATION DEFINED choice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

#define MAX_ENTRIES 64

struct allow_entry {
	unsigned sides; /* bit per enum side */
	int frame;	/* enum frame_kind, or -1 for HPPI/ACCESS/STATE */
	char run[16];	/* "" for every run */
	uint32_t first, last, size;
	uint64_t mask;
	char cond[48]; /* "HPPI:<state>" or "ACCESS:<kind>" */
	char reason[200];
	unsigned line;
	unsigned long hits;
};

static struct allow_entry entries[MAX_ENTRIES];
static unsigned nr_entries;
static char current_run[16];

void allow_set_run(const char *run)
{
	snprintf(current_run, sizeof(current_run), "%s", run);
}

static int parse_sides(const char *s, unsigned *out)
{
	if (!strcmp(s, "vgic"))
		*out = 1u << SIDE_VGIC;
	else if (!strcmp(s, "model"))
		*out = 1u << SIDE_MODEL;
	else if (!strcmp(s, "both"))
		*out = (1u << SIDE_VGIC) | (1u << SIDE_MODEL);
	else
		return -1;
	return 0;
}

/* FRAME[@RUN]; -1 for the condition kinds, -2 for nonsense. */
static int parse_frame(struct allow_entry *e, const char *s)
{
	char name[16];
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);

	if (n >= sizeof(name))
		return -2;
	memcpy(name, s, n);
	name[n] = '\0';
	e->run[0] = '\0';
	if (at)
		snprintf(e->run, sizeof(e->run), "%s", at + 1);
	for (int f = 0; f < NR_FRAMES; f++)
		if (!strcmp(name, frames[f].name))
			return f;
	if (at)
		return -2;
	return strcmp(s, "HPPI") && strcmp(s, "ACCESS") && strcmp(s, "STATE") &&
			       strcmp(s, "LPI")
		       ? -2
		       : -1;
}

/* The rest of the line after `n` fields is the reason; it must exist. */
static int parse_reason(struct allow_entry *e, const char *line, int n)
{
	const char *p = line;

	for (int i = 0; i < n; i++) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t");
	}
	p += strspn(p, " \t");
	snprintf(e->reason, sizeof(e->reason), "%s", p);
	e->reason[strcspn(e->reason, "\n")] = '\0';
	return e->reason[0] ? 0 : -1;
}

static int parse_entry(struct allow_entry *e, const char *line)
{
	char side[16], frame[16], a[32], b[32], c[32], d[32];
	int n = sscanf(line, "%15s %15s %31s %31s %31s %31s", side, frame, a, b,
		       c, d);

	if (n < 3 || parse_sides(side, &e->sides))
		return -1;
	e->frame = parse_frame(e, frame);
	if (e->frame == -1) {
		snprintf(e->cond, sizeof(e->cond), "%s:%s", frame, a);
		return parse_reason(e, line, 3);
	}
	if (e->frame < 0 || n < 6)
		return -1;
	e->first = (uint32_t)strtoul(a, NULL, 0);
	e->last = (uint32_t)strtoul(b, NULL, 0);
	e->size = (uint32_t)strtoul(c, NULL, 0);
	e->mask = strtoull(d, NULL, 0);
	if ((e->size != 4 && e->size != 8) || e->first % e->size ||
	    e->last < e->first || (e->last - e->first) % e->size)
		return -1;
	return parse_reason(e, line, 6);
}

int allow_load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned lineno = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		const char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		if (nr_entries == MAX_ENTRIES ||
		    parse_entry(&entries[nr_entries], p)) {
			fprintf(stderr, "%s:%u: bad entry\n", path, lineno);
			fclose(f);
			return -1;
		}
		entries[nr_entries++].line = lineno;
	}
	fclose(f);
	return 0;
}

/* Bits the entry excuses in a `len`-byte access at `off`. */
static uint64_t entry_mask(const struct allow_entry *e, uint32_t off,
			   unsigned len)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < len; i++) {
		uint32_t byte = off + i;
		if (byte < e->first || byte >= e->last + e->size)
			continue;
		uint32_t shift = (byte - e->first) % e->size * 8u;
		m |= ((e->mask >> shift) & 0xffu) << (i * 8u);
	}
	return m;
}

uint64_t allow_filter(enum side sd, enum frame_kind f, uint32_t off,
		      unsigned len, uint64_t diff)
{
	for (unsigned i = 0; i < nr_entries && diff; i++) {
		struct allow_entry *e = &entries[i];
		if (e->frame != (int)f || !(e->sides & (1u << sd)) ||
		    (e->run[0] && strcmp(e->run, current_run)))
			continue;
		uint64_t m = entry_mask(e, off, len) & diff;
		if (m) {
			e->hits++;
			diff &= ~m;
		}
	}
	return diff;
}

bool allow_cond(enum side sd, const char *kind, const char *cond)
{
	char want[64];

	snprintf(want, sizeof(want), "%s:%s", kind, cond);
	for (unsigned i = 0; i < nr_entries; i++) {
		struct allow_entry *e = &entries[i];
		if (e->frame == -1 && (e->sides & (1u << sd)) &&
		    !strcmp(e->cond, want)) {
			e->hits++;
			return true;
		}
	}
	return false;
}

unsigned allow_report(void)
{
	unsigned unused = 0;

	printf("allowlist: %u entries\n", nr_entries);
	for (unsigned i = 0; i < nr_entries; i++) {
		const struct allow_entry *e = &entries[i];
		printf("  line %3u: %8lu excused%s\n", e->line, e->hits,
		       e->hits ? "" : " (unused in this run)");
		unused += !e->hits;
	}
	return unused;
}
