/* SPDX-License-Identifier: MIT */
/*
 * Active state while an interrupt is in flight (acknowledged, not yet
 * EOI'd), polled with IRQs masked at the PE (DAIF.I) so that the test
 * decides when IAR1 is read. On every CPU:
 *   - IAR1 makes an SGI active and not pending (GICR_ISACTIVER0);
 *   - a second instance while active: pending + active, not acknowledged
 *     (IAR1 and HPPIR1 1023), taken after the EOI;
 *   - GICR_ICACTIVER0 clears the active state of an in-flight SGI; the
 *     priority stays running until the EOI; the next instance is normal;
 *   - GICR_ISACTIVER0 on a pending SGI: not delivered until
 *     GICR_ICACTIVER0;
 *   - the same for an SPI with GICD_ISACTIVER/ICACTIVER.
 * Then, from CPU 0, on every other CPU's redistributor while that CPU has
 * the SGI in flight or pending.
 */
#include "guest.h"

const char test_name[] = "active";

#define SPI_BASE 48 /* + CPU number */

static bool sgi_active(unsigned cpu, uint32_t intid)
{
	return gicr_bit_read(cpu, GICR_ISACTIVER0, intid) != 0;
}

static bool sgi_pending(unsigned cpu, uint32_t intid)
{
	return gicr_bit_read(cpu, GICR_ISPENDR0, intid) != 0;
}

/* pending, active as two bits for compact expectations */
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

static void idle_state(const char *when)
{
	uint32_t rpr = icc_rpr(), hppir = icc_hppir1();

	t_check(rpr == 0xff && hppir == INTID_SPURIOUS,
		"%s: RPR 0x%x HPPIR1 %u", when, rpr, hppir);
}

/* Acknowledge, a second instance while active, EOI, the second. */
static void pending_active(uint32_t intid, void (*raise)(uint32_t))
{
	raise(intid);
	wait_hppir(intid);
	uint32_t iar = icc_iar1();
	t_expect("IAR1 acknowledges it", iar, intid);
	t_expect("in flight: active, not pending", state(intid), ST_ACTIVE);
	t_expect("in flight: RPR is its priority", icc_rpr(), 0x80);
	raise(intid);
	WAIT_FOR(irq_is_pending(intid), "second instance of %u", intid);
	t_expect("second instance: pending and active", state(intid),
		 ST_PENDING | ST_ACTIVE);
	t_expect("pending+active: HPPIR1 1023", icc_hppir1(), INTID_SPURIOUS);
	t_expect("pending+active: IAR1 1023", icc_iar1(), INTID_SPURIOUS);
	icc_eoir1(intid);
	wait_hppir(intid);
	t_expect("after EOI: the pending instance is acknowledged", icc_iar1(),
		 intid);
	icc_eoir1(intid);
	t_expect("after the second EOI: inactive", state(intid), 0);
	idle_state("after the second EOI");
}

/* ICACTIVER on the in-flight interrupt, then EOI. */
static void clear_in_flight(uint32_t intid, void (*raise)(uint32_t))
{
	raise(intid);
	wait_hppir(intid);
	uint32_t iar = icc_iar1();
	t_expect("IAR1 acknowledges it", iar, intid);
	irq_bit_write(GICD_ICACTIVER, intid);
	t_expect("ICACTIVER in flight: reads inactive", state(intid), 0);
	t_expect("ICACTIVER in flight: RPR unchanged until EOI", icc_rpr(),
		 0x80);
	icc_eoir1(intid);
	idle_state("EOI after ICACTIVER");
	raise(intid);
	wait_hppir(intid);
	t_expect("the next instance is acknowledged", icc_iar1(), intid);
	icc_eoir1(intid);
	t_expect("and completes", state(intid), 0);
}

/* ISACTIVER on a pending interrupt holds it back until ICACTIVER. */
static void set_on_pending(uint32_t intid, void (*raise)(uint32_t))
{
	raise(intid);
	wait_hppir(intid);
	irq_bit_write(GICD_ISACTIVER, intid);
	t_expect("ISACTIVER on a pending one: pending and active", state(intid),
		 ST_PENDING | ST_ACTIVE);
	t_expect("made active: HPPIR1 1023", icc_hppir1(), INTID_SPURIOUS);
	t_expect("made active: IAR1 1023", icc_iar1(), INTID_SPURIOUS);
	irq_bit_write(GICD_ICACTIVER, intid);
	wait_hppir(intid);
	t_expect("ICACTIVER: delivered again", icc_iar1(), intid);
	icc_eoir1(intid);
	t_expect("and completes", state(intid), 0);
}

static void raise_sgi(uint32_t intid)
{
	sgi_send_self(intid);
}

static void raise_spi(uint32_t intid)
{
	irq_set_pending(intid);
}

static uint64_t suite(uint64_t arg)
{
	unsigned cpu = (unsigned)arg;
	uint32_t spi = SPI_BASE + cpu;

	for (uint32_t i = 4; i <= 6; i++) {
		irq_set_priority(i, 0x80);
		irq_enable_id(i);
	}
	mmio_write64(GICD_BASE + GICD_IROUTER + 8 * spi, cpu_mpidr(cpu));
	irq_set_priority(spi, 0x80);
	irq_enable_id(spi);

	idle_state("idle");
	t_line("SGI 4 pending while active");
	pending_active(4, raise_sgi);
	t_line("SGI 5 GICR_ICACTIVER0 in flight");
	clear_in_flight(5, raise_sgi);
	t_line("SGI 6 GICR_ISACTIVER0 while pending");
	set_on_pending(6, raise_sgi);
	t_line("SPI pending while active");
	pending_active(spi, raise_spi);
	t_line("SPI GICD_ICACTIVER in flight");
	clear_in_flight(spi, raise_spi);
	t_line("SPI GICD_ISACTIVER while pending");
	set_on_pending(spi, raise_spi);
	irq_disable_id(spi);
	return 0;
}

/* ------------------------------------------- another CPU's redistributor */

static uint64_t remote_raise_ack(uint64_t intid)
{
	sgi_send_self((uint32_t)intid);
	wait_hppir((uint32_t)intid);
	return icc_iar1();
}

static uint64_t remote_raise(uint64_t intid)
{
	sgi_send_self((uint32_t)intid);
	wait_hppir((uint32_t)intid);
	return 0;
}

static uint64_t remote_iar(uint64_t arg)
{
	(void)arg;
	return icc_iar1();
}

static uint64_t remote_eoi(uint64_t intid)
{
	icc_eoir1((uint32_t)intid);
	return icc_rpr();
}

static void cross_cpu(unsigned t)
{
	t_line("SECTION cross-cpu: cpu 0 on cpu %u's redistributor", t);
	smp_call(t, smp_idle_masked_fn, 1);
	t_expect("remote in flight: acknowledged",
		 smp_call(t, remote_raise_ack, 4), 4);
	t_expect("remote in flight: GICR_ISACTIVER0 shows it", sgi_active(t, 4),
		 1);
	mmio_write32(gicr_sgi(t) + GICR_ICACTIVER0, 1u << 4);
	dsb();
	t_expect("remote GICR_ICACTIVER0: reads inactive", sgi_active(t, 4), 0);
	t_expect("remote EOI: RPR back to idle", smp_call(t, remote_eoi, 4),
		 0xff);
	t_expect("remote: next instance acknowledged",
		 smp_call(t, remote_raise_ack, 4), 4);
	t_expect("remote: completes", smp_call(t, remote_eoi, 4), 0xff);
	t_expect("remote: inactive", sgi_active(t, 4), 0);

	smp_call(t, remote_raise, 6);
	mmio_write32(gicr_sgi(t) + GICR_ISACTIVER0, 1u << 6);
	dsb();
	t_expect("remote GICR_ISACTIVER0 on a pending SGI: pending (1) and "
		 "active (2)",
		 (sgi_pending(t, 6) ? 1u : 0u) | (sgi_active(t, 6) ? 2u : 0u),
		 3);
	t_expect("remote: not acknowledged while active",
		 smp_call(t, remote_iar, 0), INTID_SPURIOUS);
	mmio_write32(gicr_sgi(t) + GICR_ICACTIVER0, 1u << 6);
	dsb();
	smp_call(t, remote_raise, 6); /* waits for HPPIR1 == 6 */
	t_expect("remote GICR_ICACTIVER0: acknowledged",
		 smp_call(t, remote_iar, 0), 6);
	t_expect("remote: completes", smp_call(t, remote_eoi, 6), 0xff);
	t_check(!sgi_active(t, 6) && !sgi_pending(t, 6), "remote: idle");
	smp_call(t, smp_idle_masked_fn, 0);
}

void test_main(void)
{
	t_gic_setup();
	t_each_cpu("active", suite);
	for (unsigned t = 1; t < nr_cpus; t++)
		cross_cpu(t);
}
