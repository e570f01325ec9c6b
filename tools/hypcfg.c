/* SPDX-License-Identifier: MIT */
/*
 * hypcfg: write the boot configuration blob (struct hypcfg, see
 * hyp/hypcfg.h) that scripts/run-guest loads at HYPCFG_ADDR for the
 * reference hypervisor.
 *
 *   hypcfg -o FILE --vcpus N --pcpus M --gic 3|4 --entry ADDR --dtb ADDR
 *          [--verbose] [--timeslice-us U] [--lpis] [--its] [--pt-mask]
 *
 * --lpis gives the guest LPIs with DirectLPI; --its also a vITS, with the
 * PCI devices' MSIs passed through (LPI passthrough policy MERGE, or MASK
 * with --pt-mask).
 *
 * Numbers may be decimal or 0x-prefixed hexadecimal. The blob is written
 * little-endian field by field, whatever the host's byte order.
 * Exit status: 0 on success, 1 on an I/O error, 2 on bad arguments.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hyp/hypcfg.h"

#define MAX_CPUS 8
#define DEFAULT_TIMESLICE_US 10000u
#define MAX_TIMESLICE_US 10000000u

_Static_assert(sizeof(struct hypcfg) == 64, "struct hypcfg layout changed");

struct options {
	const char *out;
	unsigned long long vcpus, pcpus, gic, entry, dtb, timeslice_us;
	int have_vcpus, have_pcpus, have_gic, have_entry, have_dtb;
	int verbose;
	unsigned flags; /* HYPCFG_F_LPIS, _ITS, _PT_MASK */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hypcfg -o FILE --vcpus N --pcpus M --gic 3|4 "
		"--entry ADDR --dtb ADDR\n"
		"              [--verbose] [--timeslice-us U] [--lpis] [--its] "
		"[--pt-mask]\n"
		"  N, M in 1..%d; ADDR inside guest RAM [0x%llx, 0x%llx)\n"
		"  U in 1..%u microseconds (default %u)\n",
		MAX_CPUS, GUEST_RAM_BASE, GUEST_RAM_BASE + GUEST_RAM_SIZE,
		MAX_TIMESLICE_US, DEFAULT_TIMESLICE_US);
}

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "hypcfg: %s%s%s\n", msg, arg ? ": " : "",
		arg ? arg : "");
	return -1;
}

static int parse_number(const char *opt, const char *s, unsigned long long *val)
{
	char *end;

	if (!s)
		return bad("missing value for", opt);
	if (*s == '\0' || *s == '-' || *s == '+')
		return bad("not a number", s);
	errno = 0;
	*val = strtoull(s, &end, 0);
	if (errno || *end != '\0')
		return bad("not a number", s);
	return 0;
}

/* The options that take a number, and where each one goes. */
static unsigned long long *number_slot(struct options *o, const char *name,
				       int **seen)
{
	static int dummy;

	*seen = &dummy;
	if (!strcmp(name, "--vcpus")) {
		*seen = &o->have_vcpus;
		return &o->vcpus;
	}
	if (!strcmp(name, "--pcpus")) {
		*seen = &o->have_pcpus;
		return &o->pcpus;
	}
	if (!strcmp(name, "--gic")) {
		*seen = &o->have_gic;
		return &o->gic;
	}
	if (!strcmp(name, "--entry")) {
		*seen = &o->have_entry;
		return &o->entry;
	}
	if (!strcmp(name, "--dtb")) {
		*seen = &o->have_dtb;
		return &o->dtb;
	}
	if (!strcmp(name, "--timeslice-us"))
		return &o->timeslice_us;
	return NULL;
}

/* Splits "--name=value" in place; returns the value or NULL. */
static char *split_value(char *arg)
{
	char *eq = strchr(arg, '=');

	if (arg[0] != '-' || arg[1] != '-' || !eq)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		char *name = argv[i];
		char *value = split_value(name);
		unsigned long long *slot;
		int *seen;

		if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(name, "--verbose") && !value) {
			o->verbose = 1;
			continue;
		}
		if (!strcmp(name, "--lpis") && !value) {
			o->flags |= HYPCFG_F_LPIS;
			continue;
		}
		if (!strcmp(name, "--its") && !value) {
			o->flags |= HYPCFG_F_LPIS | HYPCFG_F_ITS;
			continue;
		}
		if (!strcmp(name, "--pt-mask") && !value) {
			o->flags |= HYPCFG_F_PT_MASK;
			continue;
		}
		if (!value)
			value = i + 1 < argc ? argv[++i] : NULL;
		if (!strcmp(name, "-o") || !strcmp(name, "--output")) {
			if (!value || !*value)
				return bad("missing value for", name);
			o->out = value;
			continue;
		}
		slot = number_slot(o, name, &seen);
		if (!slot)
			return bad("unknown option", name);
		if (parse_number(name, value, slot))
			return -1;
		*seen = 1;
	}
	return 0;
}

static int in_guest_ram(unsigned long long addr)
{
	return addr >= GUEST_RAM_BASE && addr < GUEST_RAM_BASE + GUEST_RAM_SIZE;
}

static int check_args(const struct options *o)
{
	if (!o->out)
		return bad("missing -o FILE", NULL);
	if (!o->have_vcpus || !o->have_pcpus || !o->have_gic ||
	    !o->have_entry || !o->have_dtb)
		return bad("--vcpus, --pcpus, --gic, --entry and --dtb are "
			   "all required",
			   NULL);
	if (o->vcpus < 1 || o->vcpus > MAX_CPUS)
		return bad("--vcpus must be 1..8", NULL);
	if (o->pcpus < 1 || o->pcpus > MAX_CPUS)
		return bad("--pcpus must be 1..8", NULL);
	if (o->gic != 3 && o->gic != 4)
		return bad("--gic must be 3 or 4", NULL);
	if (!in_guest_ram(o->entry) || (o->entry & 3))
		return bad("--entry must be 4-byte aligned, in guest RAM",
			   NULL);
	if (!in_guest_ram(o->dtb) || (o->dtb & 7))
		return bad("--dtb must be 8-byte aligned, in guest RAM", NULL);
	if (o->timeslice_us < 1 || o->timeslice_us > MAX_TIMESLICE_US)
		return bad("--timeslice-us out of range", NULL);
	return 0;
}

static void put_le(unsigned char *buf, size_t off, uint64_t v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[off + i] = (unsigned char)(v >> (8 * i));
}

#define PUT(buf, field, v)                                                     \
	put_le(buf, offsetof(struct hypcfg, field), (v),                       \
	       sizeof(((struct hypcfg *)0)->field))

static void encode(const struct options *o,
		   unsigned char buf[sizeof(struct hypcfg)])
{
	memset(buf, 0, sizeof(struct hypcfg));
	PUT(buf, magic, HYPCFG_MAGIC);
	PUT(buf, version, HYPCFG_VERSION);
	PUT(buf, nr_vcpus, o->vcpus);
	PUT(buf, nr_pcpus, o->pcpus);
	PUT(buf, gic_version, o->gic);
	PUT(buf, guest_entry, o->entry);
	PUT(buf, guest_dtb, o->dtb);
	PUT(buf, ram_base, GUEST_RAM_BASE);
	PUT(buf, ram_size, GUEST_RAM_SIZE);
	PUT(buf, flags, (o->verbose ? HYPCFG_F_VERBOSE : 0u) | o->flags);
	PUT(buf, timeslice_us, o->timeslice_us);
}

static int write_file(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "hypcfg: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "hypcfg: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {.timeslice_us = DEFAULT_TIMESLICE_US};
	unsigned char buf[sizeof(struct hypcfg)];

	if (parse_args(argc, argv, &o) || check_args(&o)) {
		usage(stderr);
		return 2;
	}
	encode(&o, buf);
	return write_file(o.out, buf, sizeof(buf)) ? 1 : 0;
}
