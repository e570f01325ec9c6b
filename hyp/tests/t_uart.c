/* SPDX-License-Identifier: MIT */
/*
 * Forwarded SPI (seed 001): the PL011's receive interrupt (SPI 33) is
 * forwarded with the HW bit. Run with input on QEMU's stdin: the guest
 * takes INTID 33 several times, draining the FIFO in its handler; the
 * guest's EOI deactivates the physical SPI, so it can fire again.
 */
#include "glib.h"

#define UART 0x09000000UL
static volatile uint32_t rx_irqs, rx_chars;

void on_irq(uint32_t intid)
{
	if (intid != 33)
		fail("unexpected INTID", intid);
	rx_irqs++;
	while (!(mmio_r32(UART + 0x18) & (1u << 4))) { /* FR.RXFE */
		(void)mmio_r32(UART + 0x00);
		rx_chars++;
	}
	mmio_w32(UART + 0x44, 0x7ff); /* UARTICR: clear all */
}

void gmain(uint64_t dtb)
{
	(void)dtb;
	gic_dist_enable();
	gic_cpu_enable(0, 0);
	mmio_w32(GICD + 0x80 + 4, ~0u);           /* IGROUPR1: Group 1 */
	mmio_w32(GICD + 0x400 + 32, 0x80808080u); /* IPRIORITYR 32..35 */
	mmio_w32(GICD + 0x100 + 4, 1u << 1);      /* ISENABLER1: SPI 33 */
	mmio_w32(UART + 0x38, (1u << 4) | (1u << 6)); /* IMSC: RX, RX timeout */
	gprintf("t_uart: waiting for input\n");
	__asm__ volatile("msr daifclr, #2");
	wait_irq(&rx_chars, 6);
	__asm__ volatile("msr daifset, #2");
	gprintf("t_uart: %d RX interrupts, %d chars\n", (int64_t)rx_irqs, (int64_t)rx_chars);
	CHECK(rx_irqs >= 1 && rx_chars >= 6, rx_chars);
	pass();
}
void gsecondary(uint64_t ctx) { (void)ctx; }
