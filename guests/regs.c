/* SPDX-License-Identifier: MIT */
/*
 * Register reset values and write semantics where the architecture
 * (IHI 0069) leaves no choice, so that QEMU's GIC and libvgic must agree.
 * Deliberately not checked: IIDR/PIDR values other than ArchRev,
 * ITLinesNumber itself, LPI/No1N/RSS/IDbits fields, how many priority
 * bits beyond 5 are kept, RES0 bits of IROUTER (QEMU stores them),
 * reset values the spec calls UNKNOWN.
 */
#include "guest.h"

const char test_name[] = "regs";

#define SPI_REG 2 /* GICD_*R2: INTIDs 64..95 */
#define ALL 0xffffffffu

static uint32_t rd32(uintptr_t a)
{
	return mmio_read32(a);
}

static void wr32(uintptr_t a, uint32_t v)
{
	mmio_write32(a, v);
	dsb();
}

/* ------------------------------------------------------------ reset */

static void reset_values(void)
{
	t_section("reset values");
	t_expect("GICD_CTLR: groups disabled, ARE and DS set",
		 gicd_read(GICD_CTLR) & 0x53, GICD_CTLR_ARE | GICD_CTLR_DS);
	for (unsigned c = 0; c < nr_cpus; c++) {
		t_line("redistributor %u", c);
		t_expect("GICR_WAKER: ProcessorSleep, ChildrenAsleep",
			 rd32(gicr_rd(c) + GICR_WAKER) & 6, 6);
		t_expect("GICR_ICFGR0: SGIs edge-triggered",
			 rd32(gicr_sgi(c) + GICR_ICFGR0), 0xaaaaaaaau);
	}
}

static void waker(void)
{
	t_section("GICR_WAKER");
	for (unsigned c = 0; c < nr_cpus; c++) {
		uintptr_t w = gicr_rd(c) + GICR_WAKER;
		t_line("redistributor %u", c);
		wr32(w, 0);
		WAIT_FOR(!(rd32(w) & GICR_WAKER_CHILDREN_ASLEEP), "wake %u", c);
		t_expect("ProcessorSleep 0: awake", rd32(w) & 6, 0);
		wr32(w, GICR_WAKER_PROCESSOR_SLEEP);
		WAIT_FOR(rd32(w) & GICR_WAKER_CHILDREN_ASLEEP, "sleep %u", c);
		t_expect("ProcessorSleep 1: ChildrenAsleep", rd32(w) & 6, 6);
		wr32(w, 0);
		WAIT_FOR(!(rd32(w) & GICR_WAKER_CHILDREN_ASLEEP), "wake %u", c);
		t_expect("awake again", rd32(w) & 6, 0);
	}
}

/* ---------------------------------------------------------- GICD_CTLR */

static void gicd_ctlr(void)
{
	t_section("GICD_CTLR");
	static const struct {
		uint32_t w, r;
		const char *what;
	} cases[] = {
		{0x00, 0x50, "write 0: ARE, DS stay (RAO/WI)"},
		{0x02, 0x52, "EnableGrp1 without ARE: ARE stays"},
		{0x13, 0x53, "EnableGrp0 + EnableGrp1 + ARE"},
		{0x10, 0x50, "both groups off"},
		{0x52, 0x52, "EnableGrp1 + ARE + DS"},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gicd_write(GICD_CTLR, cases[i].w);
		gicd_wait_rwp();
		t_expect(cases[i].what, gicd_read(GICD_CTLR) & 0x53,
			 cases[i].r);
	}
	gicd_write(GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
	gicd_wait_rwp();
}

/* ----------------------------------------------------- identification */

static void ids(void)
{
	uint32_t typer = gicd_read(GICD_TYPER);
	uint32_t ctlr = (uint32_t)read_sysreg(ICC_CTLR_EL1);

	t_section("identification");
	t_expect("GICD_TYPER.SecurityExtn 0 (one Security state)",
		 (typer >> 10) & 1, 0);
	t_check(32 * ((typer & 0x1f) + 1) >= 96,
		"GICD_TYPER.ITLinesNumber covers INTID 95");
	t_expect("GICD_TYPER.A3V matches ICC_CTLR_EL1.A3V", (typer >> 24) & 1,
		 (ctlr >> 15) & 1);
	t_expect("GICD_PIDR2.ArchRev 3 (GICv3)",
		 (gicd_read(GICD_PIDR2) >> 4) & 0xf, 3);
	for (unsigned c = 0; c < nr_cpus; c++)
		t_expect("GICR_PIDR2.ArchRev 3",
			 (rd32(gicr_rd(c) + GICR_PIDR2) >> 4) & 0xf, 3);
}

static uint64_t own_typer_fn(uint64_t arg)
{
	(void)arg;
	uint64_t m = read_sysreg(mpidr_el1);
	uint64_t aff = (m >> 32 & 0xff) << 24 | (m & 0xffffff);

	return (mmio_read64(gicr_rd(this_cpu()) + GICR_TYPER) >> 32) == aff;
}

static void gicr_typer(void)
{
	t_section("GICR_TYPER");
	for (unsigned c = 0; c < nr_cpus; c++) {
		uintptr_t a = gicr_rd(c) + GICR_TYPER;
		uint64_t v = mmio_read64(a);
		t_line("redistributor %u", c);
		t_expect("Processor_Number", (v >> 8) & 0xffff, c);
		t_expect("Last only on the last one", (v >> 4) & 1,
			 c == nr_cpus - 1);
		t_expect("32-bit halves match the 64-bit read",
			 (uint64_t)rd32(a + 4) << 32 | rd32(a), v);
		t_expect("Affinity is the MPIDR of the CPU using it",
			 smp_call(c, own_typer_fn, 0), 1);
	}
}

/* -------------------------------------------------- 1-bit-per-IRQ rows */

/* W1S register `s` and W1C register `c`, both reading the state. */
static void w1s_w1c(const char *name, uintptr_t s, uintptr_t c, uint32_t mask)
{
	t_line("%s", name);
	wr32(c, mask);
	t_expect("  cleared", rd32(s) & mask, 0);
	wr32(s, 0x0000ff00u & mask);
	t_expect("  W1S", rd32(s) & mask, 0x0000ff00u & mask);
	wr32(s, 0x00ff0000u & mask);
	t_expect("  W1S: zeros leave bits alone", rd32(s) & mask,
		 0x00ffff00u & mask);
	wr32(c, 0x0000f000u & mask);
	t_expect("  W1C", rd32(s) & mask, 0x00ff0f00u & mask);
	t_expect("  the clear register reads the same", rd32(c) & mask,
		 0x00ff0f00u & mask);
	wr32(c, mask);
	t_expect("  all cleared", rd32(s) & mask, 0);
}

static void bits(void)
{
	uintptr_t d = GICD_BASE + 4 * SPI_REG, r = gicr_sgi(0);
	/* PPIs 16..23 and SGIs 8..15: nothing drives them */
	uint32_t priv = 0x00ffff00u;

	t_section("set/clear registers");
	w1s_w1c("GICD_ISENABLER/ICENABLER 64..95", d + GICD_ISENABLER,
		d + GICD_ICENABLER, ALL);
	w1s_w1c("GICD_ISPENDR/ICPENDR 64..95", d + GICD_ISPENDR,
		d + GICD_ICPENDR, ALL);
	w1s_w1c("GICD_ISACTIVER/ICACTIVER 64..95", d + GICD_ISACTIVER,
		d + GICD_ICACTIVER, ALL);
	w1s_w1c("GICR_ISENABLER0/ICENABLER0", r + GICR_ISENABLER0,
		r + GICR_ICENABLER0, priv);
	w1s_w1c("GICR_ISPENDR0/ICPENDR0 (PPIs 16..23)", r + GICR_ISPENDR0,
		r + GICR_ICPENDR0, 0x00ff0000u);
	w1s_w1c("GICR_ISACTIVER0/ICACTIVER0", r + GICR_ISACTIVER0,
		r + GICR_ICACTIVER0, priv);

	t_line("GICD_IGROUPR2");
	static const uint32_t groups[] = {0, ALL, 0x12345678u, ALL};
	for (unsigned i = 0; i < 4; i++) {
		wr32(d + GICD_IGROUPR, groups[i]);
		t_expect("  reads back", rd32(d + GICD_IGROUPR), groups[i]);
	}
	t_line("GICR_IGROUPR0");
	for (unsigned i = 0; i < 4; i++) {
		wr32(r + GICR_IGROUPR0, groups[i]);
		t_expect("  reads back", rd32(r + GICR_IGROUPR0), groups[i]);
	}
}

/* One CPU's redistributor written by another: only that CPU sees it. */
static uint64_t own_enable_fn(uint64_t arg)
{
	(void)arg;
	return rd32(gicr_sgi(this_cpu()) + GICR_ISENABLER0) & 0x00f00000u;
}

static void cross_redistributor(void)
{
	if (nr_cpus < 2)
		return;
	t_section("another CPU's redistributor");
	unsigned t = nr_cpus - 1;
	wr32(gicr_sgi(t) + GICR_ISENABLER0, 0x00500000u);
	t_expect("cpu 0 enables PPIs 20, 22 of the last cpu: it sees them",
		 smp_call(t, own_enable_fn, 0), 0x00500000u);
	t_expect("cpu 0's own are untouched", own_enable_fn(0), 0);
	wr32(gicr_sgi(t) + GICR_ICENABLER0, 0x00f00000u);
	t_expect("and cleared", smp_call(t, own_enable_fn, 0), 0);
}

/* --------------------------------------------------------- priorities */

static void priorities(void)
{
	uintptr_t p = GICD_BASE + GICD_IPRIORITYR + 64;
	uintptr_t rp = gicr_sgi(0) + GICR_IPRIORITYR;

	t_section("IPRIORITYR");
	wr32(p, 0x10203040u);
	t_expect("word write reads back", rd32(p), 0x10203040u);
	mmio_write8(p + 2, 0xa0);
	dsb();
	t_expect("byte write changes one byte", rd32(p), 0x10a03040u);
	t_expect("byte read", mmio_read8(p + 1), 0x30);
	mmio_write8(p + 3, 0xff);
	dsb();
	/* QEMU keeps 8 bits, libvgic 5: only the top 5 must be ones. */
	t_expect("0xff: at least the top 5 bits implemented",
		 mmio_read8(p + 3) & 0xf8, 0xf8);
	mmio_write8(p + 3, 0x08);
	dsb();
	t_expect("0x08 (5th bit) reads back", mmio_read8(p + 3), 0x08);
	wr32(p, 0);

	wr32(rp + 4, 0x80604020u);
	t_expect("GICR_IPRIORITYR1 word write reads back", rd32(rp + 4),
		 0x80604020u);
	mmio_write8(rp + 5, 0xe0);
	dsb();
	t_expect("GICR_IPRIORITYR1 byte write", rd32(rp + 4), 0x8060e020u);
}

/* -------------------------------------------------------------- ICFGR */

static void icfgr(void)
{
	uintptr_t f = GICD_BASE + GICD_ICFGR + 4 * 4; /* INTIDs 64..79 */
	uintptr_t r = gicr_sgi(0) + GICR_ICFGR0;

	t_section("ICFGR");
	wr32(r, 0);
	t_expect("GICR_ICFGR0 is read-only: SGIs stay edge", rd32(r),
		 0xaaaaaaaau);
	wr32(f, ALL);
	t_expect("GICD_ICFGR4 all ones: only the Int_config[1] bits", rd32(f),
		 0xaaaaaaaau);
	wr32(f, 0x0000a00au);
	t_expect("GICD_ICFGR4 mixed", rd32(f), 0x0000a00au);
	wr32(f, 0);
	t_expect("GICD_ICFGR4 all level", rd32(f), 0);
}

/* ------------------------------------------------------------ IROUTER */

static void irouter(void)
{
	uintptr_t a = GICD_BASE + GICD_IROUTER + 8 * 64;

	t_section("IROUTER");
	for (unsigned c = 0; c < nr_cpus; c++) {
		mmio_write64(a, cpu_mpidr(c));
		dsb();
		t_expect("64-bit: the affinity of a cpu reads back",
			 mmio_read64(a), cpu_mpidr(c));
	}
	uint64_t v = 0x0000000100030201ull; /* Aff3 1, Aff2 3, Aff1 2, Aff0 1 */
	mmio_write32(a, (uint32_t)v);
	mmio_write32(a + 4, (uint32_t)(v >> 32));
	dsb();
	t_expect("32-bit halves: Aff3..Aff0 read back", mmio_read64(a), v);
	t_expect("low half read", rd32(a), (uint32_t)v);
	t_expect("high half read", rd32(a + 4), (uint32_t)(v >> 32));
	mmio_write64(a, cpu_mpidr(0));
	dsb();
}

/* ---------------------------------------------------------- reserved */

static void reserved(void)
{
	t_section("reserved offsets");
	wr32(GICD_BASE + 0x0020, ALL);
	t_expect("GICD 0x0020 RAZ/WI", gicd_read(0x0020), 0);
	wr32(gicr_rd(0) + 0x0024, ALL);
	t_expect("GICR 0x0024 RAZ/WI", rd32(gicr_rd(0) + 0x0024), 0);
}

/* -------------------------------------------------------- bad input */

/* Writes the architecture says are ignored: read-only registers,
 * GICD fields of INTIDs 0..31 (they live in the redistributors when ARE
 * is 1), INTIDs no implementation here has (1000..1019). */
static void bad_input(void)
{
	static const uint32_t ro[] = {GICD_TYPER, GICD_IIDR, GICD_PIDR2};
	static const char *const ro_names[] = {"GICD_TYPER", "GICD_IIDR",
					       "GICD_PIDR2"};

	t_section("bad input");
	for (unsigned i = 0; i < 3; i++) {
		uint32_t before = gicd_read(ro[i]);
		wr32(GICD_BASE + ro[i], ~before);
		t_check(gicd_read(ro[i]) == before, "%s: writes ignored",
			ro_names[i]);
	}
	uintptr_t gt = gicr_rd(0) + GICR_TYPER;
	uint64_t typer = mmio_read64(gt);
	mmio_write64(gt, ~typer);
	dsb();
	t_check(mmio_read64(gt) == typer, "GICR_TYPER: writes ignored");

	wr32(GICD_BASE + GICD_ISENABLER, ALL);
	t_expect("GICD_ISENABLER0 with ARE: RAZ/WI", gicd_read(GICD_ISENABLER),
		 0);
	t_expect("  and the SGIs/PPIs stay disabled",
		 rd32(gicr_sgi(0) + GICR_ISENABLER0), 0);
	wr32(GICD_BASE + GICD_IPRIORITYR, ALL);
	t_expect("GICD_IPRIORITYR0 with ARE: RAZ/WI",
		 gicd_read(GICD_IPRIORITYR), 0);
	mmio_write64(GICD_BASE + GICD_IROUTER, ~0ull);
	dsb();
	t_expect("GICD_IROUTER of INTID 0 (reserved): RAZ/WI",
		 mmio_read64(GICD_BASE + GICD_IROUTER), 0);
	wr32(GICD_BASE + GICD_ISENABLER + 4 * 31, ALL);
	t_expect("ISENABLER of INTIDs 992..1023 (absent): RAZ/WI",
		 gicd_read(GICD_ISENABLER + 4 * 31), 0);
	mmio_write8(GICD_BASE + GICD_IPRIORITYR + 1000, 0x80);
	dsb();
	t_expect("IPRIORITYR of INTID 1000 (absent): RAZ/WI",
		 mmio_read8(GICD_BASE + GICD_IPRIORITYR + 1000), 0);
	mmio_write64(GICD_BASE + GICD_IROUTER + 8 * 1000, cpu_mpidr(0));
	dsb();
	t_expect("IROUTER of INTID 1000 (absent): RAZ/WI",
		 mmio_read64(GICD_BASE + GICD_IROUTER + 8 * 1000), 0);
}

/* ------------------------------------------------------ CPU interface */

static uint64_t cpuif_fn(uint64_t arg)
{
	(void)arg;
	t_expect("ICC_SRE_EL1.SRE", read_sysreg(ICC_SRE_EL1) & 1, 1);
	t_expect("ICC_RPR_EL1 idle", icc_rpr(), 0xff);
	t_expect("ICC_HPPIR1_EL1 nothing pending", icc_hppir1(),
		 INTID_SPURIOUS);
	t_expect("ICC_IAR1_EL1 nothing pending", icc_iar1(), INTID_SPURIOUS);
	static const uint32_t pmr[] = {0x00, 0x10, 0x80, 0xf0};
	for (unsigned i = 0; i < 4; i++) {
		icc_pmr(pmr[i]);
		t_expect("ICC_PMR_EL1 reads back", read_sysreg(ICC_PMR_EL1),
			 pmr[i]);
	}
	icc_pmr(0xff);
	for (uint32_t b = 3; b <= 7; b++) {
		write_sysreg(ICC_BPR1_EL1, b);
		isb();
		t_expect("ICC_BPR1_EL1 reads back", read_sysreg(ICC_BPR1_EL1),
			 b);
	}
	write_sysreg(ICC_BPR1_EL1, 3);
	write_sysreg(ICC_IGRPEN1_EL1, 0);
	isb();
	t_expect("ICC_IGRPEN1_EL1 0", read_sysreg(ICC_IGRPEN1_EL1) & 1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	t_expect("ICC_IGRPEN1_EL1 1", read_sysreg(ICC_IGRPEN1_EL1) & 1, 1);
	gic_set_eoimode(1);
	t_expect("ICC_CTLR_EL1.EOImode 1",
		 read_sysreg(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE,
		 ICC_CTLR_EOIMODE);
	gic_set_eoimode(0);
	t_expect("ICC_CTLR_EL1.EOImode 0",
		 read_sysreg(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE, 0);
	return 0;
}

void test_main(void)
{
	reset_values();
	waker();
	gic_dist_init();
	for (unsigned c = 0; c < nr_cpus; c++)
		smp_call(c, gic_cpu_init_fn, 0);
	gicd_ctlr();
	ids();
	gicr_typer();
	bits();
	cross_redistributor();
	priorities();
	icfgr();
	irouter();
	reserved();
	bad_input();
	t_each_cpu("CPU interface", cpuif_fn);
}
