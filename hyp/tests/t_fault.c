/* SPDX-License-Identifier: MIT */
/* Stage A: a guest with no vector table (VBAR_EL1 = 0) touches memory
 * that is not there: the injected abort's vector is not there either, so
 * the hypervisor stops the guest with exit code 3. */
#include "glib.h"

void gmain(uint64_t dtb)
{
	(void)dtb;
	gprintf("t_fault: reading unmapped IPA 0x7f000000 with VBAR_EL1 = 0\n");
	wr(vbar_el1, 0);
	isb();
	(void)mmio_r32(0x7f000000UL);
	fail("the read returned", 0);
}
void gsecondary(uint64_t ctx) { (void)ctx; }
