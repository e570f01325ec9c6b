/* SPDX-License-Identifier: MIT */
/*
 * Guest accesses to each redistributor's RD_base frame: any offset, width,
 * value and accessing vCPU, mixed with accesses elsewhere, host injection,
 * trapped system register writes and flush/sync. Every return code, every read
 * value and every write's effect is checked against the register map
 * (fuzz.h); the interrupt lists are checked at the end.
 */
#include "fuzz_world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = {data, size};

	fz_frame_target(&in, FR_RD);
	return 0;
}
