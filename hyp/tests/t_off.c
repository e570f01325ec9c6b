/* SPDX-License-Identifier: MIT */
/* Stage A: print through the passed-through UART, then SYSTEM_OFF (0). */
#include "glib.h"

void gmain(uint64_t dtb)
{
	gprintf("t_off: hello from EL%d, dtb %x\n", (int64_t)((rd(CurrentEL) >> 2) & 3), dtb);
	pass();
}
void gsecondary(uint64_t ctx) { (void)ctx; }
