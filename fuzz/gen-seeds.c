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

/* ------------------------------------------------------------ fuzz_its */

/*
 * fuzz_its (fuzz_its.c): four configuration bytes, then operations, each
 * [op] and its fields. The values below are the encodings documented
 * there; IDs under the bias thresholds (device < 0xe0 -> % 16, event
 * < 0xe0 -> % 32, LPI < 0xc0 -> 8192 + % 48, ICID < 0xf0 -> % 8) are
 * taken as they are.
 */
enum {
	I_GITS = 0,
	I_ENQ = 2,
	I_SETUP = 4,
	I_LPIS = 5,
	I_GICR = 6,
	I_RAM = 8,
	I_MSI = 10,
	I_XLAT = 11,
	I_SWITCH = 12,
	I_GUEST = 13,
	I_MISC = 15,
};

/* Header: vCPUs 2..4, priority bits 5..8, ITSs 1..2, LPI ID bits 14..16,
 * LRs, LPI slots index (8 16 32 2), DeviceID/EventID bits index (16 8 4
 * 1 2 5 10 12 16 20 24 31 32 3 6 14), cache index (1024 1 2 16 4 64 256
 * 8). Byte 0 packs vCPUs as % 3 with the other fields in its bits. */
static void its_hdr(struct seed *s, unsigned vcpus, unsigned pri, unsigned nits,
		    int nostop, unsigned lpibits, unsigned lrs, unsigned slots,
		    unsigned dev, unsigned ev, unsigned cache)
{
	unsigned c0 = 0;

	for (unsigned c = 0; c < 256; c++) {
		if (c % 3 == vcpus - 2 && ((c >> 2) & 3) == pri - 5 &&
		    ((c >> 4) & 1) == nits - 1 && ((c >> 5) & 1) == !!nostop &&
		    (c >> 6) == lpibits - 14) {
			c0 = c;
			break;
		}
	}
	s->n = 0;
	put(s, c0, 1);
	put(s, (lrs - 1) | slots << 4, 1);
	put(s, dev | ev << 4, 1);
	put(s, cache, 1);
}

/* GITS accesses: [0][its][offset sel][mode]: mode bit 0 write, bits 1-4
 * width (fz_len: 0 -> 4, 9 -> 8 bytes), bit 5 a shaped value. */
static void gits_w8(struct seed *s, unsigned its, unsigned sel, unsigned b)
{
	put(s, 0, 1), put(s, its, 1), put(s, sel, 1), put(s, 0x33, 1),
		put(s, b, 1);
}

static void gits_w4(struct seed *s, unsigned its, unsigned sel, uint32_t v)
{
	put(s, 0, 1), put(s, its, 1), put(s, sel, 1), put(s, 0x01, 1),
		put(s, v, 4);
}

static void gits_r8(struct seed *s, unsigned its, unsigned sel)
{
	put(s, 0, 1), put(s, its, 1), put(s, sel, 1), put(s, 0x12, 1);
}

static void its_std(struct seed *s)
{
	its_hdr(s, 2, 5, 1, 0, 16, 4, 0, 0, 0, 0);
}

/* Every redistributor: property table (LPIs 8192..8239 enabled at
 * `prio`), pending table (PTZ), EnableLPIs. */
static void lpis_on(struct seed *s, unsigned prio)
{
	put(s, I_LPIS, 1), put(s, 0xff, 1), put(s, 0x11, 1), put(s, prio, 1);
}

/* Program ITS `its`: f bits 0-1 page size, 2 two-level devices, 3
 * two-level collections, 4-5 queue pages - 1, 6 stay disabled. */
static void its_setup(struct seed *s, unsigned its, unsigned f, unsigned g)
{
	put(s, I_SETUP, 1), put(s, its, 1), put(s, f, 1), put(s, g, 1);
}

/* Commands, written at CWRITER; then CWRITER moves past them. */
static void enq(struct seed *s, unsigned its, unsigned n)
{
	put(s, I_ENQ, 1), put(s, its, 1), put(s, n - 1, 1);
}

static void c_mapd(struct seed *s, unsigned d, unsigned size, int v)
{
	put(s, v ? 0 : 0x10, 1), put(s, d, 1), put(s, size, 1), put(s, 0, 1);
}

static void c_mapc(struct seed *s, unsigned icid, unsigned rd, int v)
{
	put(s, v ? 1 : 0x11, 1), put(s, icid, 1), put(s, rd, 1);
}

static void c_mapti(struct seed *s, unsigned d, unsigned e, unsigned lpi,
		    unsigned icid)
{
	put(s, 2, 1), put(s, d, 1), put(s, e, 1), put(s, lpi, 1),
		put(s, icid, 1);
}

static void c_de(struct seed *s, unsigned op, unsigned d, unsigned e)
{
	put(s, op, 1), put(s, d, 1), put(s, e, 1);
}

#define C_INT 4
#define C_CLEAR 5
#define C_INV 8
#define C_DISCARD 11

static void c_movi(struct seed *s, unsigned d, unsigned e, unsigned icid)
{
	put(s, 7, 1), put(s, d, 1), put(s, e, 1), put(s, icid, 1);
}

static void c_sync(struct seed *s, unsigned rd)
{
	put(s, 6, 1), put(s, rd, 1);
}

static void c_invall(struct seed *s, unsigned icid)
{
	put(s, 9, 1), put(s, icid, 1);
}

static void c_movall(struct seed *s, unsigned rd1, unsigned rd2)
{
	put(s, 10, 1), put(s, rd1, 1), put(s, rd2, 1);
}

static void msi(struct seed *s, unsigned its, unsigned d, unsigned e)
{
	put(s, I_MSI, 1), put(s, its, 1), put(s, d, 1), put(s, e, 1);
}

/* vCPU v on pCPU p, taking Group 1 with nothing masked. */
static void enter(struct seed *s, unsigned v, unsigned p)
{
	put(s, I_SWITCH, 1), put(s, 0x80 | p << 4, 1), put(s, v, 1);
}

static void leave(struct seed *s, unsigned p)
{
	put(s, I_SWITCH, 1), put(s, 1 | p << 4, 1), put(s, 0, 1);
}

static void ack(struct seed *s, unsigned p)
{
	put(s, I_GUEST, 1), put(s, p << 4, 1);
}

static void eoi(struct seed *s, unsigned p, unsigned lpi)
{
	put(s, I_GUEST, 1), put(s, 0x42 | p << 4, 1), put(s, lpi, 1);
}

/* The usual bring-up: collections 0, 1 on vCPUs 0, 1, device `d` with 8
 * event bits, events 0..n-1 on LPIs 8192 + lpi0 + k, collection k % 2. */
static void bringup(struct seed *s, unsigned its, unsigned d, unsigned n,
		    unsigned lpi0)
{
	enq(s, its, 3);
	c_mapc(s, 0, 0, 1);
	c_mapc(s, 1, 1, 1);
	c_mapd(s, d, 7, 1);
	for (unsigned k = 0; k < n; k += 4) {
		unsigned m = n - k < 4 ? n - k : 4;
		enq(s, its, m);
		for (unsigned j = 0; j < m; j++)
			c_mapti(s, d, k + j, lpi0 + k + j, (k + j) % 2);
	}
}

static void its(const char *dir)
{
	struct seed s;
	char name[32];

	/* Probe the ITS registers, then an MSI through it to the guest. */
	its_std(&s);
	for (unsigned sel = 0; sel < 28; sel++)
		put(&s, I_GITS, 1), put(&s, 0, 1), put(&s, sel, 1),
			put(&s, sel == 26 ? 0 : 0x08, 1);
	save(dir, "fuzz_its", "probe", &s);

	/* Bring-up with each table layout, MSIs, the guest takes them. */
	static const unsigned layouts[8] = {0x00, 0x04, 0x01, 0x05,
					    0x02, 0x06, 0x03, 0x0c};
	for (unsigned k = 0; k < 8; k++) {
		its_std(&s);
		lpis_on(&s, 0xa0);
		its_setup(&s, 0, layouts[k] | 0x10, 1);
		bringup(&s, 0, 3, 4, 0);
		msi(&s, 0, 3, 0), msi(&s, 0, 3, 1), msi(&s, 0, 3, 2);
		enter(&s, 0, 0), enter(&s, 1, 1);
		ack(&s, 0), eoi(&s, 0, 0), ack(&s, 1), eoi(&s, 1, 1);
		ack(&s, 0), leave(&s, 0), leave(&s, 1);
		snprintf(name, sizeof(name), "msi-layout%u", k);
		save(dir, "fuzz_its", name, &s);
	}

	/* MOVI of pending LPIs, with the target running. */
	its_std(&s);
	lpis_on(&s, 0x80);
	its_setup(&s, 0, 0, 0);
	bringup(&s, 0, 1, 2, 0);
	msi(&s, 0, 1, 0);
	enter(&s, 0, 0);
	enq(&s, 0, 2), c_movi(&s, 1, 0, 1), c_sync(&s, 1);
	ack(&s, 0), leave(&s, 0);
	enter(&s, 1, 1), ack(&s, 1), eoi(&s, 1, 0), leave(&s, 1);
	save(dir, "fuzz_its", "movi", &s);

	/* MOVALL, INT, CLEAR, DISCARD, INV and INVALL. */
	its_hdr(&s, 3, 8, 1, 0, 16, 2, 0, 0, 0, 3);
	lpis_on(&s, 0x40);
	its_setup(&s, 0, 0x10, 0);
	bringup(&s, 0, 2, 6, 8);
	msi(&s, 0, 2, 0), msi(&s, 0, 2, 2), msi(&s, 0, 2, 4);
	enq(&s, 0, 4), c_movall(&s, 0, 2), c_de(&s, C_INT, 2, 1),
		c_de(&s, C_CLEAR, 2, 2), c_de(&s, C_DISCARD, 2, 4);
	put(&s, I_RAM, 1), put(&s, 7, 1), put(&s, 1, 1), put(&s, 9, 1),
		put(&s, 4, 1), put(&s, 0x21, 1);
	enq(&s, 0, 3), c_de(&s, C_INV, 2, 1), c_invall(&s, 0), c_sync(&s, 2);
	enter(&s, 2, 0), ack(&s, 0), eoi(&s, 0, 8), leave(&s, 0);
	save(dir, "fuzz_its", "movall-int-clear-discard", &s);

	/* A store of 2 slots: spills to the pending tables. */
	its_hdr(&s, 2, 5, 1, 0, 14, 1, 3, 0, 0, 0);
	lpis_on(&s, 0x20);
	its_setup(&s, 0, 0, 0);
	bringup(&s, 0, 0, 8, 0);
	for (unsigned e = 0; e < 8; e++)
		msi(&s, 0, 0, e);
	enter(&s, 0, 0);
	for (unsigned k = 0; k < 6; k++)
		ack(&s, 0), eoi(&s, 0, 0), put(&s, I_GUEST, 1), put(&s, 5, 1);
	leave(&s, 0);
	save(dir, "fuzz_its", "store-full", &s);

	/* Stalls: the device table outside RAM, then moved, Retry. */
	its_std(&s);
	lpis_on(&s, 0x60);
	gits_w8(&s, 0, 10, 2), put(&s, 0, 1), put(&s, 0xfd, 1); /* BASER0 */
	gits_w8(&s, 0, 12, 2), put(&s, 0, 1), put(&s, 0x68, 1); /* BASER1 */
	gits_w8(&s, 0, 4, 0), put(&s, 0x60, 1);			/* CBASER */
	gits_w4(&s, 0, 0, 1);					/* enable */
	enq(&s, 0, 3), c_mapd(&s, 5, 3, 1), c_mapc(&s, 0, 0, 1), c_sync(&s, 0);
	gits_r8(&s, 0, 8); /* CREADR */
	gits_w4(&s, 0, 0, 0);
	gits_w8(&s, 0, 10, 2), put(&s, 0, 1), put(&s, 0x64, 1);
	gits_w4(&s, 0, 0, 1);
	gits_w8(&s, 0, 6, 1), put(&s, 3, 1); /* Retry */
	gits_r8(&s, 0, 8);
	enq(&s, 0, 1), c_mapti(&s, 5, 1, 1, 0);
	msi(&s, 0, 5, 1);
	enter(&s, 0, 0), ack(&s, 0);
	save(dir, "fuzz_its", "stall-retry", &s);

	/* A queue outside RAM: the packet itself is unreadable. */
	its_std(&s);
	lpis_on(&s, 0x60);
	its_setup(&s, 0, 0x40, 0);
	gits_w8(&s, 0, 4, 3), put(&s, 0xfe, 1); /* CBASER: last page */
	gits_w4(&s, 0, 0, 1);
	enq(&s, 0, 4), c_mapc(&s, 0, 0, 1), c_mapc(&s, 1, 1, 1), c_sync(&s, 0),
		c_sync(&s, 1);
	gits_r8(&s, 0, 8);
	save(dir, "fuzz_its", "queue-edge", &s);

	/* Parameter errors of each kind (4 DeviceID and EventID bits). */
	its_hdr(&s, 2, 5, 1, 0, 14, 4, 0, 2, 2, 0);
	lpis_on(&s, 0x60);
	its_setup(&s, 0, 0, 0);
	enq(&s, 0, 4);
	put(&s, 0, 1), put(&s, 0xe0, 1), put(&s, 16, 2), put(&s, 3, 1),
		put(&s, 0, 1); /* MAPD DeviceID 16 */
	c_mapd(&s, 1, 7, 1);   /* MAPD Size 8 bits */
	c_mapc(&s, 0, 5, 1);   /* MAPC RDbase 5 */
	put(&s, 1, 1), put(&s, 0xf0, 1), put(&s, 2, 2), put(&s, 0, 1);
	enq(&s, 0, 4), c_mapd(&s, 1, 1, 1), c_mapti(&s, 1, 9, 0, 0),
		c_movi(&s, 1, 0, 1);
	put(&s, 2, 1), put(&s, 1, 1), put(&s, 0, 1), put(&s, 0xf0, 1),
		put(&s, 100, 4), put(&s, 0, 1); /* MAPTI pINTID 100 */
	enq(&s, 0, 4), c_de(&s, C_INT, 1, 0), c_de(&s, C_INT, 2, 0),
		c_invall(&s, 1), c_movall(&s, 0, 7);
	msi(&s, 0, 1, 0);
	put(&s, I_MSI, 1), put(&s, 0, 1), put(&s, 1, 1), put(&s, 0xe0, 1),
		put(&s, 16, 2);			/* EventID 16 */
	gits_w8(&s, 0, 6, 0), put(&s, 0xff, 1); /* CWRITER beyond */
	save(dir, "fuzz_its", "errors", &s);

	/* Two ITSs, GITS_TRANSLATER from vCPUs, the ITS disabled. */
	its_hdr(&s, 4, 6, 2, 0, 15, 4, 1, 0, 0, 4);
	lpis_on(&s, 0x10);
	its_setup(&s, 0, 0, 0);
	its_setup(&s, 1, 0x05, 1);
	bringup(&s, 0, 0, 2, 0);
	bringup(&s, 1, 0, 2, 4);
	put(&s, I_XLAT, 1), put(&s, 2, 1), put(&s, 0, 1), put(&s, 0, 1),
		put(&s, 1, 1);
	put(&s, I_XLAT, 1), put(&s, 3, 1), put(&s, 1, 1), put(&s, 1, 1),
		put(&s, 0, 1);
	msi(&s, 1, 0, 1);
	gits_w4(&s, 1, 0, 0);
	msi(&s, 1, 0, 1);
	gits_w4(&s, 1, 0, 1);
	msi(&s, 1, 0, 1);
	enter(&s, 0, 0), enter(&s, 1, 1), ack(&s, 0), ack(&s, 1);
	save(dir, "fuzz_its", "two-its-translater", &s);

	/* DirectLPI alone: SETLPIR, CLRLPIR, INVLPIR, INVALLR, SYNCR,
	 * the pending table taken at EnableLPIs (PTZ == 0). */
	its_std(&s);
	put(&s, I_RAM, 1), put(&s, 7, 1), put(&s, 0, 1), put(&s, 0, 1),
		put(&s, 15, 1), put(&s, 0x81, 1);
	put(&s, I_RAM, 1), put(&s, 8, 1), put(&s, 0, 1), put(&s, 3, 1),
		put(&s, 1, 1);
	put(&s, I_LPIS, 1), put(&s, 0, 1), put(&s, 0x20, 1), put(&s, 0x05, 1);
	put(&s, I_LPIS, 1), put(&s, 1, 1), put(&s, 0x01, 1), put(&s, 0, 1);
	put(&s, I_GICR, 1), put(&s, 3, 1), put(&s, 1, 1), put(&s, 7, 1);
	put(&s, I_GICR, 1), put(&s, 4, 1), put(&s, 0, 1), put(&s, 2, 1);
	put(&s, I_RAM, 1), put(&s, 6, 1), put(&s, 1, 1), put(&s, 7, 1),
		put(&s, 0x31, 1);
	put(&s, I_GICR, 1), put(&s, 5, 1), put(&s, 1, 1), put(&s, 7, 1);
	put(&s, I_GICR, 1), put(&s, 6, 1), put(&s, 0, 1);
	put(&s, I_GICR, 1), put(&s, 7, 1), put(&s, 0, 1);
	put(&s, I_GICR, 1), put(&s, 11, 1), put(&s, 1, 1), put(&s, 1, 1),
		put(&s, 9, 1);
	enter(&s, 0, 0), ack(&s, 0), enter(&s, 1, 1), ack(&s, 1);
	save(dir, "fuzz_its", "directlpi", &s);

	/* Wide IDs: 32 DeviceID and EventID bits, a two-level table. */
	its_hdr(&s, 2, 7, 1, 1, 16, 8, 2, 12, 12, 5);
	lpis_on(&s, 0x90);
	its_setup(&s, 0, 0x04, 3);
	enq(&s, 0, 4), c_mapc(&s, 0, 1, 1);
	put(&s, 0, 1), put(&s, 0xf0, 1), put(&s, 0x00000200, 4),
		put(&s, 0xff, 1), put(&s, 0, 1); /* Size 31 */
	put(&s, 2, 1), put(&s, 0xf0, 1), put(&s, 0x00000200, 4),
		put(&s, 0xe0, 1), put(&s, 0x1234, 2), put(&s, 3, 1),
		put(&s, 0, 1); /* MAPTI -> LPI 8195, collection 0 */
	c_sync(&s, 1);
	put(&s, I_MSI, 1), put(&s, 0, 1), put(&s, 0xf0, 1),
		put(&s, 0x00000200, 4), put(&s, 0xe0, 1), put(&s, 0x1234, 2);
	enter(&s, 1, 0), ack(&s, 0);
	save(dir, "fuzz_its", "wide-ids", &s);

	/* An ITT in the read-only top of RAM: MAPTI stalls on the ITE
	 * write; the device moves, Retry. */
	its_std(&s);
	lpis_on(&s, 0x50);
	its_setup(&s, 0, 0, 0);
	enq(&s, 0, 3), c_mapc(&s, 0, 0, 1);
	put(&s, 0, 1), put(&s, 5, 1), put(&s, 3, 1), put(&s, 0xf0, 1),
		put(&s, 0x400f0000ull, 8); /* MAPD 5, ITT read-only */
	c_mapti(&s, 5, 1, 7, 0);
	gits_r8(&s, 0, 8);
	/* the stalled slot becomes MAPD 5 with an ITT in RAM, Retry */
	put(&s, I_RAM, 1), put(&s, 1, 1), put(&s, 0, 1), put(&s, 2, 1),
		put(&s, 0, 1), put(&s, 5, 1), put(&s, 3, 1), put(&s, 0, 1);
	gits_w8(&s, 0, 6, 1), put(&s, 3, 1);
	enq(&s, 0, 1), c_mapti(&s, 5, 1, 7, 0);
	msi(&s, 0, 5, 1);
	enter(&s, 0, 0), ack(&s, 0);
	save(dir, "fuzz_its", "readonly-itt", &s);

	/* MOVI by vCPU 1 while vCPU 0's LR holds the LPI. */
	its_std(&s);
	lpis_on(&s, 0x30);
	its_setup(&s, 0, 0, 0);
	bringup(&s, 0, 1, 2, 0);
	msi(&s, 0, 1, 0);
	enter(&s, 0, 0);
	put(&s, I_RAM, 1), put(&s, 1, 1), put(&s, 0, 1), put(&s, 5, 1);
	c_movi(&s, 1, 0, 1);
	put(&s, 0, 1), put(&s, 0, 1), put(&s, 6, 1), put(&s, 0x73, 1),
		put(&s, 0, 1), put(&s, 6, 1); /* CWRITER by vCPU 1 */
	leave(&s, 0);
	enter(&s, 1, 1), ack(&s, 1), eoi(&s, 1, 0), leave(&s, 1);
	save(dir, "fuzz_its", "movi-in-flight", &s);

	/* Other shapes: vCPUs, ITSs, ID bits, LRs, store and cache sizes;
	 * MSIs to every collection, MOVI and MOVALL, the guests take them. */
	static const unsigned shapes[4][10] = {
		{3, 6, 2, 0, 14, 1, 1, 1, 1, 1},
		{4, 8, 1, 1, 15, 16, 2, 3, 4, 2},
		{2, 7, 2, 0, 16, 2, 0, 6, 7, 7},
		{4, 5, 1, 0, 16, 4, 1, 0, 0, 6},
	};
	for (unsigned k = 0; k < 4; k++) {
		const unsigned *h = shapes[k];
		its_hdr(&s, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
			h[8], h[9]);
		lpis_on(&s, 0x40);
		its_setup(&s, h[2] - 1, k, 0);
		enq(&s, h[2] - 1, 4);
		for (unsigned c = 0; c < 4; c++)
			c_mapc(&s, c, c % h[0], 1);
		enq(&s, h[2] - 1, 4), c_mapd(&s, 1, 1, 1);
		for (unsigned e = 0; e < 3; e++)
			c_mapti(&s, 1, e, 10 + e, e);
		for (unsigned e = 0; e < 3; e++)
			msi(&s, h[2] - 1, 1, e);
		enq(&s, h[2] - 1, 3), c_movi(&s, 1, 0, 1), c_movall(&s, 2, 0),
			c_sync(&s, 0);
		for (unsigned v = 0; v < h[0] && v < 2; v++)
			enter(&s, v, v), ack(&s, v), eoi(&s, v, 10 + v),
				leave(&s, v);
		snprintf(name, sizeof(name), "shape%u", k);
		save(dir, "fuzz_its", name, &s);
	}

	/* Disabled with commands queued, re-enabled; BASER and CBASER
	 * writes while enabled are ignored. */
	its_std(&s);
	lpis_on(&s, 0x50);
	its_setup(&s, 0, 0, 0);
	gits_w4(&s, 0, 0, 0);
	enq(&s, 0, 3), c_mapc(&s, 0, 0, 1), c_mapd(&s, 2, 3, 1),
		c_mapti(&s, 2, 0, 1, 0);
	gits_r8(&s, 0, 8);
	put(&s, I_GITS, 1), put(&s, 0, 1), put(&s, 0, 1), put(&s, 0x08, 1);
	gits_w4(&s, 0, 0, 1);
	gits_w8(&s, 0, 10, 2), put(&s, 0, 1), put(&s, 0x90, 1);
	gits_w8(&s, 0, 4, 0), put(&s, 0x90, 1);
	msi(&s, 0, 2, 0);
	gits_w4(&s, 0, 0, 0);
	msi(&s, 0, 2, 0);
	enter(&s, 0, 0), ack(&s, 0);
	save(dir, "fuzz_its", "disable-reenable", &s);

	/* Garbage: a queue of raw packets, forged table entries. */
	its_std(&s);
	lpis_on(&s, 0x70);
	its_setup(&s, 0, 0x04, 0);
	bringup(&s, 0, 4, 2, 0);
	put(&s, I_RAM, 1), put(&s, 2, 1), put(&s, 0, 1), put(&s, 4, 1),
		put(&s, 0xff, 1), put(&s, 0x00000000400a17ffull, 8);
	put(&s, I_RAM, 1), put(&s, 4, 1), put(&s, 0, 1), put(&s, 4, 1),
		put(&s, 1, 1), put(&s, 0xff, 1),
		put(&s, 0xffffffff0000ffffull, 8);
	put(&s, I_RAM, 1), put(&s, 3, 1), put(&s, 0, 1), put(&s, 2, 1),
		put(&s, 0xff, 1), put(&s, 0x8000000040061234ull, 8);
	msi(&s, 0, 4, 0), msi(&s, 0, 4, 1);
	enq(&s, 0, 4);
	put(&s, 12, 1), put(&s, 0x2a, 1), put(&s, 4, 1), put(&s, 1, 1),
		put(&s, 3, 1), put(&s, ~0ull, 8), put(&s, 0, 8);
	put(&s, 13, 1);
	for (unsigned k = 0; k < 32; k++)
		put(&s, k * 37u, 1);
	c_de(&s, C_INT, 4, 1), c_de(&s, C_DISCARD, 4, 0);
	save(dir, "fuzz_its", "garbage", &s);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "fuzz/corpus";

	gicd(dir);
	gicr_rd(dir);
	gicr_sgi(dir);
	sysreg(dir);
	vcpu(dir);
	its(dir);
	return 0;
}
