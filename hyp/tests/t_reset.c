/* SPDX-License-Identifier: MIT */
/* Stage A: SYSTEM_RESET ends the run with exit code 2. */
#include "glib.h"

void gmain(uint64_t dtb)
{
	(void)dtb;
	gprintf("t_reset: calling SYSTEM_RESET\n");
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	fail("SYSTEM_RESET returned", 0);
}
void gsecondary(uint64_t ctx) { (void)ctx; }
