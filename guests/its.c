/* SPDX-License-Identifier: MIT */
/*
 * The ITS as a guest kernel drives it (IHI 0069, "The ITS", "LPIs"):
 *   - GITS register introspection: Physical, no Virtual, the device and
 *     collection GITS_BASER<n>, GITS_CTLR at reset, CBASER read-back;
 *   - LPIs enabled on every redistributor (property table, a pending
 *     table each), the ITS's tables and command queue, a collection per
 *     CPU (MAPC), a device (MAPD), an event per CPU (MAPTI), SYNC;
 *   - INT: each CPU takes its LPI exactly once;
 *   - an LPI disabled in the property table is not taken until it is
 *     enabled again AND invalidated, by INV and then by INVALL;
 *   - MOVI to the last CPU's collection: taken there;
 *   - DISCARD: INT of the discarded event is ignored, and the queue goes
 *     on (GITS_CREADR reaches GITS_CWRITER, not stalled);
 *   - an MSI by a CPU's write to GITS_TRANSLATER (DeviceID 0).
 * Only facts both QEMU's ITS and the hypervisor's vITS must agree on are
 * printed: no entry sizes, table sizes or ID widths.
 *
 * run-guest-args: --its
 */
#include "guest.h"

const char test_name[] = "its";

#define GITS_BASE 0x08080000UL
#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_TRANSLATER 0x10040
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078

#define ID_BITS 16
#define DEV 1u
#define DEV_CPU 0u /* a CPU's own writes to GITS_TRANSLATER */
#define EV_DISABLED 16u
#define EV_MOVED 20u
#define EV_TRANSLATER 5u
#define LPI(n) (FIRST_LPI + (n))
#define QUEUE_BYTES 0x10000u

static uint8_t prop_table[(1u << ID_BITS) - FIRST_LPI]
	__attribute__((aligned(0x10000)));
/* GICR_PENDBASER takes a 64 KiB aligned address: one 64 KiB slot each
 * (2^ID_BITS bits need 8 KiB). */
static uint8_t pend_tables[MAX_CPUS][0x10000] __attribute__((aligned(0x10000)));
static uint8_t dev_table[0x10000] __attribute__((aligned(0x10000)));
static uint8_t coll_table[0x10000] __attribute__((aligned(0x10000)));
static uint64_t cmd_queue[QUEUE_BYTES / 8] __attribute__((aligned(0x10000)));
static uint8_t itt[2][0x1000] __attribute__((aligned(0x1000)));

static uint64_t typer;
static uint32_t cwriter;

/* ---------------------------------------------------------- queue */

static uint64_t gits_read64(unsigned off)
{
	return mmio_read64(GITS_BASE + off);
}

/* Queue a command and wait until the ITS has consumed it. */
static void cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t *c = &cmd_queue[cwriter / 8];

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = d3;
	cwriter = (cwriter + 32) % QUEUE_BYTES;
	dsb();
	mmio_write64(GITS_BASE + GITS_CWRITER, cwriter);
	WAIT_FOR((gits_read64(GITS_CREADR) & ~31ull) == cwriter ||
			 (gits_read64(GITS_CREADR) & 1),
		 "GITS_CREADR to reach 0x%x", cwriter);
}

/* RDbase: the redistributor's address with GITS_TYPER.PTA, else its
 * processor number (GICR_TYPER). */
static uint64_t rdbase(unsigned cpu)
{
	uintptr_t rd = GICR_BASE + cpu * GICR_STRIDE;

	if (typer & (1ull << 19))
		return rd;
	return ((mmio_read64(rd + GICR_TYPER) >> 8) & 0xffff) << 16;
}

static uint64_t dev(uint8_t op, uint32_t devid)
{
	return op | (uint64_t)devid << 32;
}

static void sync_all(void)
{
	for (unsigned c = 0; c < nr_cpus; c++)
		cmd(0x05, 0, rdbase(c), 0);
}

static void mapti(uint32_t devid, uint32_t ev, uint32_t intid, unsigned icid)
{
	cmd(dev(0x0a, devid), ev | (uint64_t)intid << 32, icid, 0);
}

static void event_cmd(uint8_t op, uint32_t devid, uint32_t ev)
{
	cmd(dev(op, devid), ev, 0, 0);
}

/* --------------------------------------------------- introspection */

static int find_baser(unsigned type)
{
	for (int n = 0; n < 8; n++)
		if (((gits_read64(GITS_BASER(n)) >> 56) & 7) == type)
			return n;
	return -1;
}

static void introspect(void)
{
	t_section("GITS registers");
	typer = gits_read64(GITS_TYPER);
	t_expect("GITS_TYPER.Physical", typer & 1, 1);
	t_expect("GITS_TYPER.Virtual", (typer >> 1) & 1, 0);
	t_expect("GITS_CTLR.Enabled at reset",
		 mmio_read32(GITS_BASE + GITS_CTLR) & 1, 0);
	t_check(find_baser(1) >= 0, "a GITS_BASER for the device table");
	t_check(find_baser(4) >= 0, "a GITS_BASER for the collection table");
	uint64_t cb = 1ull << 63 | (uint64_t)(uintptr_t)cmd_queue |
		      (QUEUE_BYTES / 0x1000 - 1);
	mmio_write64(GITS_BASE + GITS_CBASER, cb);
	t_expect("GITS_CBASER address and size read back",
		 gits_read64(GITS_CBASER) & 0x000ffffffffff0ffull,
		 cb & 0x000ffffffffff0ffull);
	t_expect("GITS_CREADR after a CBASER write", gits_read64(GITS_CREADR),
		 0);
}

/* --------------------------------------------------------- set-up */

static void table(int n, void *mem)
{
	uint64_t v = gits_read64(GITS_BASER(n));

	/* Valid, Type and Entry_Size as read, 64 KiB pages, one page. */
	mmio_write64(GITS_BASE + GITS_BASER(n),
		     1ull << 63 | (v & (0x7ull << 56)) | (v & (0x1full << 48)) |
			     (uint64_t)(uintptr_t)mem | 2ull << 8);
}

static void set_prop(uint32_t intid, bool enable)
{
	prop_table[intid - FIRST_LPI] = (uint8_t)(0xa0 | 2 | enable);
	dsb();
}

static void enable_lpis(void)
{
	for (unsigned i = 0; i < NR_TRACKED_LPIS; i++)
		set_prop(LPI(i), true);
	for (unsigned c = 0; c < nr_cpus; c++) {
		uintptr_t rd = GICR_BASE + c * GICR_STRIDE;
		mmio_write64(rd + GICR_PROPBASER,
			     (uint64_t)(uintptr_t)prop_table | (ID_BITS - 1));
		mmio_write64(rd + GICR_PENDBASER,
			     (uint64_t)(uintptr_t)pend_tables[c] | 1ull << 62);
		mmio_write32(rd + GICR_CTLR, 1);
		t_expect("GICR_CTLR.EnableLPIs",
			 mmio_read32(rd + GICR_CTLR) & 1, 1);
	}
}

static void setup(void)
{
	t_section("set-up");
	enable_lpis();
	table(find_baser(1), dev_table);
	table(find_baser(4), coll_table);
	mmio_write32(GITS_BASE + GITS_CTLR, 1);
	t_expect("GITS_CTLR.Enabled", mmio_read32(GITS_BASE + GITS_CTLR) & 1,
		 1);
	for (unsigned c = 0; c < nr_cpus; c++)
		cmd(0x09, 0, 1ull << 63 | rdbase(c) | c, 0); /* MAPC */
	cmd(dev(0x08, DEV), 5, 1ull << 63 | (uint64_t)(uintptr_t)itt[0], 0);
	cmd(dev(0x08, DEV_CPU), 5, 1ull << 63 | (uint64_t)(uintptr_t)itt[1], 0);
	for (unsigned c = 0; c < nr_cpus; c++)
		mapti(DEV, c, LPI(c), c);
	sync_all();
	t_expect("GITS_CREADR caught up, not stalled", gits_read64(GITS_CREADR),
		 cwriter);
}

/* ------------------------------------------------------- delivery */

static uint32_t before[MAX_CPUS];

static void snap(uint32_t intid)
{
	for (unsigned c = 0; c < nr_cpus; c++)
		before[c] = lpi_count(c, intid);
}

/* Who took `intid` since snap(), as a CPU mask; exactly once each. */
static uint32_t taken(uint32_t intid, bool *once)
{
	uint32_t got = 0;

	*once = true;
	for (unsigned c = 0; c < nr_cpus; c++) {
		uint32_t d = lpi_count(c, intid) - before[c];
		if (d)
			got |= 1u << c;
		if (d > 1)
			*once = false;
	}
	return got;
}

static void expect_taken(uint32_t intid, unsigned cpu, const char *what)
{
	bool once;

	irq_enable();
	WAIT_FOR(lpi_count(cpu, intid) != before[cpu], "LPI %u on cpu %u (%s)",
		 intid, cpu, what);
	irq_disable();
	smp_settle();
	uint32_t got = taken(intid, &once);
	t_check(got == 1u << cpu && once, "%s: LPI %u taken by cpus 0x%x", what,
		intid, got);
}

static void expect_not_taken(uint32_t intid, const char *what)
{
	bool once;

	smp_settle();
	t_expect(what, taken(intid, &once), 0);
}

static void int_each_cpu(void)
{
	t_section("INT to every CPU");
	for (unsigned c = 0; c < nr_cpus; c++) {
		snap(LPI(c));
		event_cmd(0x03, DEV, c);
		expect_taken(LPI(c), c, "INT");
	}
}

/* Disabled in the property table: held until enabled and invalidated
 * (by INV, or by INVALL of its collection). */
static void disabled_lpi(bool invall)
{
	uint32_t lpi = LPI(EV_DISABLED + invall);
	uint32_t ev = EV_DISABLED + invall;

	t_section(invall ? "disabled LPI, INVALL" : "disabled LPI, INV");
	mapti(DEV, ev, lpi, 0);
	set_prop(lpi, false);
	if (invall)
		cmd(0x0d, 0, 0, 0);
	else
		event_cmd(0x0c, DEV, ev);
	snap(lpi);
	event_cmd(0x03, DEV, ev);
	expect_not_taken(lpi, "disabled: taken by no cpu");
	set_prop(lpi, true);
	expect_not_taken(lpi, "enabled, not invalidated: taken by no cpu");
	if (invall)
		cmd(0x0d, 0, 0, 0);
	else
		event_cmd(0x0c, DEV, ev);
	expect_taken(lpi, 0, "invalidated");
}

static void movi(void)
{
	unsigned last = nr_cpus - 1;

	t_section("MOVI");
	mapti(DEV, EV_MOVED, LPI(EV_MOVED), 0);
	cmd(dev(0x01, DEV), EV_MOVED, last, 0);
	sync_all();
	snap(LPI(EV_MOVED));
	event_cmd(0x03, DEV, EV_MOVED);
	expect_taken(LPI(EV_MOVED), last, "after MOVI");
}

static void discard(void)
{
	t_section("DISCARD");
	event_cmd(0x0f, DEV, EV_MOVED);
	snap(LPI(EV_MOVED));
	event_cmd(0x03, DEV, EV_MOVED);
	expect_not_taken(LPI(EV_MOVED), "INT after DISCARD: taken by no cpu");
	t_expect("the queue goes on", gits_read64(GITS_CREADR), cwriter);
}

static void translater(void)
{
	uint32_t lpi = LPI(40);
	unsigned target = nr_cpus > 1 ? 1 : 0;

	t_section("GITS_TRANSLATER");
	mapti(DEV_CPU, EV_TRANSLATER, lpi, target);
	sync_all();
	snap(lpi);
	mmio_write32(GITS_BASE + GITS_TRANSLATER, EV_TRANSLATER);
	dsb();
	expect_taken(lpi, target, "MSI");
}

void test_main(void)
{
	t_gic_setup();
	introspect();
	setup();
	int_each_cpu();
	disabled_lpi(false);
	disabled_lpi(true);
	movi();
	discard();
	translater();
}
