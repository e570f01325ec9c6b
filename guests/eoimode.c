/* SPDX-License-Identifier: MIT */
/*
 * ICC_CTLR_EL1.EOImode, on every CPU:
 *   mode 0: EOIR1 drops the priority and deactivates;
 *   mode 1: EOIR1 only drops the priority (RPR idle, the interrupt stays
 *   active and a new instance is not delivered), DIR deactivates; after
 *   the drop an interrupt of the same priority can be taken; DIR may
 *   deactivate out of order; the same for an SPI;
 *   mode 1 in IRQ handlers: EOIR1 early then IRQs unmasked lets an
 *   interrupt of the same priority nest; EOIR1 + DIR per interrupt.
 */
#include "guest.h"

const char test_name[] = "eoimode";

#define SPI_BASE 56 /* + CPU number */

static uint32_t state(uint32_t intid)
{
	return (irq_is_pending(intid) ? 1u : 0u) |
	       (irq_is_active(intid) ? 2u : 0u);
}

#define ST_PENDING 1u
#define ST_ACTIVE 2u

static void wait_hppir(uint32_t intid)
{
	WAIT_FOR(icc_hppir1() == intid, "INTID %u in HPPIR1 on cpu %u", intid,
		 this_cpu());
}

static void raise(uint32_t intid)
{
	if (intid < 16)
		sgi_send_self(intid);
	else
		irq_set_pending(intid);
	wait_hppir(intid);
}

static void ctlr_bit(void)
{
	gic_set_eoimode(1);
	t_expect("ICC_CTLR_EL1.EOImode 1 reads back",
		 read_sysreg(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE,
		 ICC_CTLR_EOIMODE);
	gic_set_eoimode(0);
	t_expect("ICC_CTLR_EL1.EOImode 0 reads back",
		 read_sysreg(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE, 0);
}

static void mode0(uint32_t intid)
{
	gic_set_eoimode(0);
	raise(intid);
	t_expect("mode 0: IAR1", icc_iar1(), intid);
	t_expect("mode 0: active", state(intid), ST_ACTIVE);
	icc_eoir1(intid);
	t_expect("mode 0: EOIR1 deactivates", state(intid), 0);
	t_expect("mode 0: RPR idle", icc_rpr(), 0xff);
}

static void mode1(uint32_t intid)
{
	gic_set_eoimode(1);
	raise(intid);
	t_expect("mode 1: IAR1", icc_iar1(), intid);
	t_expect("mode 1: RPR 0x80", icc_rpr(), 0x80);
	icc_eoir1(intid);
	t_expect("mode 1: EOIR1 drops the priority", icc_rpr(), 0xff);
	t_expect("mode 1: EOIR1 leaves it active", state(intid), ST_ACTIVE);
	if (intid < 16)
		sgi_send_self(intid);
	else
		irq_set_pending(intid);
	WAIT_FOR(irq_is_pending(intid), "second instance of %u", intid);
	t_expect("mode 1: new instance pending and active", state(intid),
		 ST_PENDING | ST_ACTIVE);
	t_expect("mode 1: not delivered while active: IAR1 1023", icc_iar1(),
		 INTID_SPURIOUS);
	icc_dir(intid);
	wait_hppir(intid);
	t_expect("mode 1: DIR deactivates, the new one is pending",
		 state(intid), ST_PENDING);
	t_expect("mode 1: then delivered", icc_iar1(), intid);
	icc_eoir1(intid);
	icc_dir(intid);
	t_expect("mode 1: EOIR1 + DIR: inactive", state(intid), 0);
	t_expect("mode 1: RPR idle", icc_rpr(), 0xff);
	gic_set_eoimode(0);
}

/* After a priority drop, an interrupt of the same priority is taken
 * while the first is still active; DIR in the other order. */
static void drop_then_same_priority(void)
{
	gic_set_eoimode(1);
	raise(7);
	t_expect("mode 1: SGI 7 acknowledged", icc_iar1(), 7);
	icc_eoir1(7);
	raise(8);
	t_expect("mode 1: same priority SGI 8 taken after the drop", icc_iar1(),
		 8);
	icc_eoir1(8);
	t_check(irq_is_active(7) && irq_is_active(8), "mode 1: both active");
	icc_dir(7);
	t_check(!irq_is_active(7) && irq_is_active(8),
		"mode 1: DIR 7 first: 7 inactive, 8 still active");
	icc_dir(8);
	t_check(!irq_is_active(7) && !irq_is_active(8),
		"mode 1: DIR 8: both inactive");
	gic_set_eoimode(0);
}

/* ------------------------------------------------------- IRQ driven */

static volatile uint32_t nested;

static int early_eoi_hook(uint32_t intid)
{
	if (intid != 9)
		return 0; /* dispatch: EOIR1 + DIR (eoimode 1) */
	icc_eoir1(9);	  /* drop now: same priority may nest */
	uint32_t n = irq_count(this_cpu(), 10);
	sgi_send_self(10);
	irq_enable();
	uint64_t dl = deadline_us(WAIT_US);
	while (!expired(dl) && irq_count(this_cpu(), 10) == n)
		cpu_relax();
	irq_disable();
	nested = irq_count(this_cpu(), 10) - n;
	t_expect("mode 1: 9 still active in its handler after the drop",
		 irq_is_active(9), 1);
	icc_dir(9);
	return 1;
}

static void irq_driven(void)
{
	struct percpu *pc = my_percpu();
	unsigned cpu = this_cpu();

	gic_set_eoimode(1);
	uint32_t n = irq_count(cpu, 11);
	irq_enable();
	for (unsigned i = 0; i < 5; i++) {
		sgi_send_self(11);
		WAIT_FOR(irq_count(cpu, 11) == n + i + 1, "SGI 11 #%u", i);
	}
	irq_disable();
	t_expect("mode 1: five SGIs, EOIR1 + DIR each", irq_count(cpu, 11) - n,
		 5);
	t_expect("mode 1: none left active", irq_is_active(11), 0);

	nested = 0xdead;
	pc->hook = early_eoi_hook;
	n = irq_count(cpu, 9);
	irq_enable();
	sgi_send_self(9);
	WAIT_FOR(irq_count(cpu, 9) != n && nested != 0xdead, "SGI 9");
	irq_disable();
	pc->hook = 0;
	t_expect("mode 1: same priority nests after the drop", nested, 1);
	t_check(!irq_is_active(9) && !irq_is_active(10) && icc_rpr() == 0xff,
		"mode 1: all inactive, RPR idle");
	gic_set_eoimode(0);
}

static uint64_t suite(uint64_t arg)
{
	unsigned cpu = (unsigned)arg;
	uint32_t spi = SPI_BASE + cpu;

	for (uint32_t i = 7; i <= 11; i++) {
		irq_set_priority(i, 0x80);
		irq_enable_id(i);
	}
	mmio_write64(GICD_BASE + GICD_IROUTER + 8 * spi, cpu_mpidr(cpu));
	irq_set_priority(spi, 0x80);
	irq_enable_id(spi);

	ctlr_bit();
	t_line("SGI 7");
	mode0(7);
	mode1(7);
	t_line("SPI");
	mode0(spi);
	mode1(spi);
	t_line("priority drop");
	drop_then_same_priority();
	t_line("handlers");
	irq_driven();
	irq_disable_id(spi);
	return 0;
}

void test_main(void)
{
	t_gic_setup();
	t_each_cpu("eoimode", suite);
}
