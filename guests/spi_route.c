/* SPDX-License-Identifier: MIT */
/*
 * SPI routing with GICD_IROUTER (affinity routing, IRM = 0), SPIs made
 * pending with GICD_ISPENDR; the CPUs sit in their idle loops with IRQs
 * unmasked and count what they take:
 *   - every SPI to every CPU, edge- and level-triggered (GICD_ICFGR): the
 *     target alone takes it, once (a software pending state of a level
 *     interrupt ends at the acknowledge);
 *   - one SPI re-routed around all CPUs in turn;
 *   - re-routed while pending and disabled: the new target takes it;
 *   - GICD_ICPENDR removes a pending, disabled SPI: nothing is taken.
 * Edge: 40 + cpu, level: 48 + cpu, then 56, 57, 58: INTIDs 40..63 only (the
 * hypervisor's guest has 64 SPIs; 33..39 are the UART and PCIe INTx lines).
 */
#include "guest.h"

const char test_name[] = "spi-route";

static uint32_t before[MAX_CPUS];

static void snap(uint32_t intid)
{
	for (unsigned c = 0; c < nr_cpus; c++)
		before[c] = irq_count(c, intid);
}

static uint32_t delta(unsigned c, uint32_t intid)
{
	return irq_count(c, intid) - before[c];
}

static void route(uint32_t intid, unsigned cpu)
{
	mmio_write64(GICD_BASE + GICD_IROUTER + 8 * intid, cpu_mpidr(cpu));
	dsb();
}

static void set_edge(uint32_t intid, bool edge)
{
	uintptr_t a = GICD_BASE + GICD_ICFGR + 4 * (intid / 16);
	uint32_t bit = 2u << (2 * (intid % 16));
	uint32_t v = mmio_read32(a);

	mmio_write32(a, edge ? v | bit : v & ~bit);
	dsb();
}

static uint32_t is_edge(uint32_t intid)
{
	uint32_t v = mmio_read32(GICD_BASE + GICD_ICFGR + 4 * (intid / 16));

	return (v >> (2 * (intid % 16) + 1)) & 1u;
}

/* Wait for `cpu` to take it, then require exactly that. */
static void expect_taken(uint32_t intid, unsigned cpu, const char *what)
{
	irq_enable();
	WAIT_FOR(delta(cpu, intid) != 0, "SPI %u on cpu %u (%s)", intid, cpu,
		 what);
	irq_disable();
	smp_settle();
	uint32_t got = 0;
	bool exact = true;
	for (unsigned c = 0; c < nr_cpus; c++) {
		uint32_t d = delta(c, intid);
		if (d)
			got |= 1u << c;
		if (d != (c == cpu ? 1u : 0u))
			exact = false;
	}
	t_check(exact && !irq_is_pending(intid) && !irq_is_active(intid),
		"%s: SPI %u routed to cpu %u taken by cpus 0x%x", what, intid,
		cpu, got);
}

static void typer(void)
{
	uint32_t lines = gicd_read(GICD_TYPER) & 0x1f;

	t_check(32 * (lines + 1) >= 96,
		"GICD_TYPER.ITLinesNumber covers INTIDs up to 95");
}

static void each_spi_each_cpu(void)
{
	for (int edge = 1; edge >= 0; edge--) {
		const char *kind = edge ? "edge" : "level";
		t_line("SECTION %s-triggered", kind);
		for (unsigned c = 0; c < nr_cpus; c++) {
			uint32_t spi = (edge ? 40 : 48) + c;
			set_edge(spi, edge);
			t_expect("ICFGR reads back", is_edge(spi),
				 (uint32_t)edge);
			route(spi, c);
			irq_set_priority(spi, 0x80);
			irq_enable_id(spi);
			snap(spi);
			irq_set_pending(spi);
			expect_taken(spi, c, kind);
			irq_disable_id(spi);
		}
	}
}

static void reroute_cycle(void)
{
	uint32_t spi = 56;

	t_section("re-route");
	irq_set_priority(spi, 0x90);
	irq_enable_id(spi);
	for (unsigned i = 0; i < 2 * nr_cpus; i++) {
		unsigned c = (i * 3 + 1) % nr_cpus;
		route(spi, c);
		t_expect("IROUTER reads back",
			 mmio_read64(GICD_BASE + GICD_IROUTER + 8 * spi),
			 cpu_mpidr(c));
		snap(spi);
		irq_set_pending(spi);
		expect_taken(spi, c, "re-routed");
	}
	irq_disable_id(spi);
}

static void reroute_pending(void)
{
	uint32_t spi = 57;

	t_section("re-route while pending");
	irq_set_priority(spi, 0x90);
	for (unsigned c = 0; c < nr_cpus; c++) {
		unsigned from = (c + 1) % nr_cpus;
		route(spi, from);
		snap(spi);
		irq_set_pending(spi);
		smp_settle();
		t_check(irq_is_pending(spi) && delta(from, spi) == 0,
			"disabled: stays pending");
		route(spi, c);
		irq_enable_id(spi);
		expect_taken(spi, c, "pending, re-routed, enabled");
		irq_disable_id(spi);
	}
}

static void clear_pending(void)
{
	uint32_t spi = 58;

	t_section("ICPENDR");
	route(spi, nr_cpus - 1);
	snap(spi);
	irq_set_pending(spi);
	t_expect("pending", irq_is_pending(spi), 1);
	irq_clear_pending(spi);
	t_expect("ICPENDR: not pending", irq_is_pending(spi), 0);
	irq_enable_id(spi);
	smp_settle();
	uint32_t got = 0;
	for (unsigned c = 0; c < nr_cpus; c++)
		got |= delta(c, spi) ? 1u << c : 0;
	t_expect("cleared before enable: taken by no cpu", got, 0);
	irq_disable_id(spi);
}

void test_main(void)
{
	t_gic_setup();
	typer();
	each_spi_each_cpu();
	reroute_cycle();
	reroute_pending();
	clear_pending();
}
