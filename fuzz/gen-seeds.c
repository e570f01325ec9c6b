/* SPDX-License-Identifier: MIT */
/*
 * Writes the seed corpora fuzz/corpus/<target>/seed-*: short, meaningful
 * guest sessions in the input format of each target (see fuzz.h and the
 * targets): what a guest kernel does at probe and when it configures,
 * raises and completes interrupts. `make fuzz-seeds` runs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seed {
	uint8_t b[512];
	size_t n;
};

static void put(struct seed *s, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes && s->n < sizeof(s->b); i++)
		s->b[s->n++] = (uint8_t)(v >> (8 * i));
}

/* Configuration: vcpus 1..8, SPI count index (0 1 31 32 33 64 100 988),
 * priority bits 5..8, LRs 1..16, sparse affinities, no stop ops. */
static void cfg(struct seed *s, unsigned vcpus, unsigned spi_idx, unsigned pri,
		unsigned lrs, int sparse, int nostop)
{
	s->n = 0;
	put(s, (vcpus - 1) | spi_idx << 3 | (pri - 5) << 6, 1);
	put(s, (lrs - 1) | (sparse ? 0x20 : 0), 1);
	put(s, nostop ? 1 : 0, 1);
}

/* One access in a frame target: [sel] [kind] [vcpu] [rd] [off:2] [val]. */
static void acc(struct seed *s, unsigned vcpu, unsigned rd, unsigned off,
		unsigned len, int write, uint64_t val)
{
	unsigned kind = len == 1 ? 0x60 : len == 8 ? 0x90 : len == 2 ? 0xc0 : 0;

	put(s, 0x00, 1);
	put(s, kind | (write ? 1 : 0), 1);
	put(s, vcpu, 1);
	put(s, rd, 1);
	put(s, off, 2);
	if (write)
		put(s, val, len);
}

static void save(const char *dir, const char *target, const char *name,
		 const struct seed *s)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/seed-%s", dir, target, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(s->b, 1, s->n, f) != s->n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* GICD: probe (CTLR, TYPER, IIDR, PIDR2), configure SPI 40 edge Group 1,
 * priority, route to vCPU 1 by both halves, pend, read back. */
static void gicd(const char *dir)
{
	struct seed s;

	cfg(&s, 2, 5, 5, 4, 0, 0);
	acc(&s, 0, 0, 0x0000, 4, 0, 0);
	acc(&s, 0, 0, 0x0004, 4, 0, 0);
	acc(&s, 0, 0, 0x0008, 4, 0, 0);
	acc(&s, 0, 0, 0xffe8, 4, 0, 0);
	acc(&s, 0, 0, 0x0000, 4, 1, 3);
	save(dir, "fuzz_gicd", "probe", &s);

	cfg(&s, 2, 5, 5, 4, 0, 0);
	acc(&s, 0, 0, 0x0084, 4, 1, 1u << 8);
	acc(&s, 0, 0, 0x0400 + 40, 1, 1, 0xa0);
	acc(&s, 0, 0, 0x0c08, 4, 1, 2u << 16);
	acc(&s, 0, 0, 0x6000 + 8 * 40, 8, 1, 1);
	acc(&s, 0, 0, 0x6000 + 8 * 40 + 4, 4, 1, 0);
	acc(&s, 0, 0, 0x0104, 4, 1, 1u << 8);
	acc(&s, 1, 0, 0x0204, 4, 1, 1u << 8);
	acc(&s, 1, 0, 0x0204, 4, 0, 0);
	acc(&s, 0, 0, 0x0304, 4, 1, 1u << 8);
	acc(&s, 0, 0, 0x0384, 4, 1, 1u << 8);
	acc(&s, 0, 0, 0x6000 + 8 * 40, 8, 0, 0);
	save(dir, "fuzz_gicd", "spi", &s);

	/* INTIDs beyond the configuration, 1-of-N, wrong widths. */
	cfg(&s, 3, 4, 8, 2, 0, 0);
	acc(&s, 0, 0, 0x0088, 4, 1, ~0u);
	acc(&s, 0, 0, 0x6000 + 8 * 60, 8, 1, 1u << 31);
	acc(&s, 0, 0, 0x6000 + 8 * 70, 8, 1, 1);
	acc(&s, 0, 0, 0x0402, 2, 0, 0);
	acc(&s, 0, 0, 0x0001, 4, 0, 0);
	save(dir, "fuzz_gicd", "edges", &s);
}

/* RD_base: every GICR_TYPER in the probe loop, WAKER sleep and wake. */
static void gicr_rd(const char *dir)
{
	struct seed s;

	cfg(&s, 4, 5, 5, 4, 1, 0);
	for (unsigned rd = 0; rd < 4; rd++)
		acc(&s, 0, rd, 0x0008, 8, 0, 0);
	acc(&s, 0, 3, 0x000c, 4, 0, 0);
	acc(&s, 0, 0, 0x0004, 4, 0, 0);
	acc(&s, 0, 0, 0xffe8, 4, 0, 0);
	save(dir, "fuzz_gicr_rd", "probe", &s);

	cfg(&s, 2, 5, 5, 4, 0, 0);
	acc(&s, 1, 1, 0x0014, 4, 1, 2);
	acc(&s, 1, 1, 0x0014, 4, 0, 0);
	acc(&s, 1, 1, 0x0014, 4, 1, 0);
	acc(&s, 0, 0, 0x0070, 8, 1, 0x1234);
	acc(&s, 0, 0, 0x0000, 4, 1, 1);
	save(dir, "fuzz_gicr_rd", "waker", &s);
}

/* SGI_base: configure SGI 1 and timer PPI 27, pend and activate. */
static void gicr_sgi(const char *dir)
{
	struct seed s;

	cfg(&s, 2, 5, 5, 4, 0, 0);
	acc(&s, 0, 0, 0x0080, 4, 1, 1u << 27 | 2);
	acc(&s, 0, 0, 0x0400 + 27, 1, 1, 0x80);
	acc(&s, 0, 0, 0x0c04, 4, 1, 2u << 22);
	acc(&s, 0, 0, 0x0100, 4, 1, 1u << 27 | 2);
	acc(&s, 0, 0, 0x0200, 4, 1, 1u << 27 | 2);
	acc(&s, 1, 0, 0x0200, 4, 0, 0);
	acc(&s, 0, 0, 0x0300, 4, 1, 1u << 27);
	acc(&s, 0, 0, 0x0380, 4, 1, 1u << 27);
	acc(&s, 0, 0, 0x0c00, 4, 1, 0);
	acc(&s, 0, 0, 0x0c00, 4, 0, 0);
	save(dir, "fuzz_gicr_sgi", "ppi", &s);
}

/* SGI1R to a list, to all but self, with RS and Aff3; SGI0R; DIR. */
static void sysreg(const char *dir)
{
	struct seed s;

	cfg(&s, 4, 5, 5, 4, 0, 0);
	put(&s, 0, 1), put(&s, 0, 1), put(&s, 3ull << 24 | 0x6, 8),
		put(&s, 0, 1);
	put(&s, 0, 1), put(&s, 1, 1), put(&s, 1ull << 40 | 5ull << 24, 8),
		put(&s, 0, 1);
	put(&s, 2, 1), put(&s, 2, 1), put(&s, 7ull << 24 | 1, 8), put(&s, 0, 1);
	put(&s, 4, 1), put(&s, 1, 1), put(&s, 5, 4);
	save(dir, "fuzz_sysreg", "sgis", &s);

	cfg(&s, 8, 5, 5, 4, 1, 0);
	put(&s, 5, 1), put(&s, 0, 1), put(&s, 1, 1), put(&s, 0xffff0000, 4),
		put(&s, 0x2, 2);
	put(&s, 0, 1), put(&s, 0, 1), put(&s, 9ull << 24 | 0xffff, 8),
		put(&s, 3, 1);
	put(&s, 3, 1), put(&s, 2, 1), put(&s, 2ull << 24 | 0xffff, 8),
		put(&s, 5, 1);
	put(&s, 4, 1), put(&s, 1, 1), put(&s, 0x3ff, 4);
	save(dir, "fuzz_sysreg", "sparse", &s);
}

/* The vCPU target: configure SPI 40 and SGI 3, inject, run vCPU 0 on
 * pCPU 0, acknowledge, EOI, exit; a forwarded PPI 27; EOImode 1. */
static void vcpu(const char *dir)
{
	struct seed s;

	cfg(&s, 2, 5, 5, 2, 0, 0);
	/* guest_mmio: ISENABLER for SPI 40 and SGI 3 on vCPU 0 */
	put(&s, 4, 1), put(&s, 1, 1), put(&s, 0, 1), put(&s, 40, 2);
	put(&s, 4, 1), put(&s, 1, 1), put(&s, 0, 1), put(&s, 3, 2);
	/* host: inject SPI 40 and SGI 3 */
	put(&s, 5, 1), put(&s, 0, 1), put(&s, 0, 1), put(&s, 40, 2);
	put(&s, 5, 1), put(&s, 0, 1), put(&s, 0, 1), put(&s, 3, 2);
	/* enter vCPU 0 on pCPU 0 */
	put(&s, 0, 1), put(&s, 0, 1), put(&s, 0, 1);
	/* the guest enables group 0 (ICV_IGRPEN0), exits, enters again */
	put(&s, 2, 1), put(&s, 3, 1), put(&s, 0, 2), put(&s, 3, 1),
		put(&s, 1, 4);
	put(&s, 0, 1), put(&s, 1, 1), put(&s, 0, 1);
	put(&s, 0, 1), put(&s, 0, 1), put(&s, 0, 1);
	/* guest: ack group 0, EOI it, ack, EOI */
	put(&s, 2, 1), put(&s, 0, 1), put(&s, 0, 2);
	put(&s, 2, 1), put(&s, 1, 1), put(&s, 40, 2);
	put(&s, 2, 1), put(&s, 0, 1), put(&s, 0, 2);
	put(&s, 2, 1), put(&s, 1, 1), put(&s, 3, 2);
	/* exit pCPU 0 */
	put(&s, 0, 1), put(&s, 1, 1), put(&s, 0, 1);
	save(dir, "fuzz_vcpu", "basic", &s);

	cfg(&s, 2, 5, 5, 4, 0, 0);
	/* map PPI 27 of vCPU 1 to pINTID 27, enable, inject_phys */
	put(&s, 5, 1), put(&s, 2, 1), put(&s, 1, 1), put(&s, 27, 2),
		put(&s, 11, 1);
	put(&s, 4, 1), put(&s, 1, 1), put(&s, 1, 1), put(&s, 27, 2);
	put(&s, 5, 1), put(&s, 4, 1), put(&s, 1, 1), put(&s, 27, 2);
	/* enter vCPU 1 on pCPU 1; ICV_CTLR.EOImode = 1; ack, EOI, DIR;
	 * exit */
	put(&s, 0, 1), put(&s, 0x10, 1), put(&s, 1, 1);
	put(&s, 2, 1), put(&s, 0x12, 1), put(&s, 0, 2), put(&s, 2, 1),
		put(&s, 2, 4);
	put(&s, 2, 1), put(&s, 0x12, 1), put(&s, 0, 2), put(&s, 3, 1),
		put(&s, 1, 4);
	put(&s, 0, 1), put(&s, 0x11, 1), put(&s, 0, 1);
	put(&s, 0, 1), put(&s, 0x10, 1), put(&s, 1, 1);
	put(&s, 2, 1), put(&s, 0x14, 1), put(&s, 0, 2);
	put(&s, 2, 1), put(&s, 0x10, 1), put(&s, 27, 2);
	put(&s, 2, 1), put(&s, 0x11, 1), put(&s, 27, 2);
	put(&s, 0, 1), put(&s, 0x11, 1), put(&s, 0, 1);
	save(dir, "fuzz_vcpu", "forward", &s);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "fuzz/corpus";

	gicd(dir);
	gicr_rd(dir);
	gicr_sgi(dir);
	sysreg(dir);
	vcpu(dir);
	return 0;
}
