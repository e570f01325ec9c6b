/* SPDX-License-Identifier: MIT */
/*
 * Host memory as the GIC sees it: the window the caller gives with
 * model_set_memory(), holding the LPI Configuration and Pending tables,
 * the ITS command queue and the ITTs.
 *
 * Every access is checked against the window as a whole: an access that
 * is not wholly inside copies nothing and fails, which the callers treat
 * as the external abort a real GIC would get (IHI 0069 leaves the effect
 * of such an abort IMPLEMENTATION DEFINED; model.h lists ours). Tables are
 * little-endian, as the GIC reads them, whatever the host's byte order.
 */
#include <string.h>

#include "model_internal.h"

void model_set_memory(struct model *m, uint8_t *mem, uint64_t base,
		      uint64_t size)
{
	m->mem.ptr = mem;
	m->mem.base = mem ? base : 0;
	m->mem.size = mem ? size : 0;
}

/* Written so that no sum can wrap: pa + len may exceed 2^64. */
static bool mem_inside(const struct model *m, uint64_t pa, size_t len)
{
	const struct model_mem *w = &m->mem;

	return w->ptr && pa >= w->base && len <= w->size &&
	       pa - w->base <= w->size - len;
}

bool model_mem_read(const struct model *m, uint64_t pa, void *buf, size_t len)
{
	if (!mem_inside(m, pa, len))
		return false;
	memcpy(buf, m->mem.ptr + (pa - m->mem.base), len);
	return true;
}

bool model_mem_write(struct model *m, uint64_t pa, const void *buf, size_t len)
{
	if (!mem_inside(m, pa, len))
		return false;
	memcpy(m->mem.ptr + (pa - m->mem.base), buf, len);
	return true;
}

bool model_mem_read64(const struct model *m, uint64_t pa, uint64_t *val)
{
	uint8_t b[8];

	if (!model_mem_read(m, pa, b, sizeof(b)))
		return false;
	*val = 0;
	for (unsigned i = 0; i < sizeof(b); i++)
		*val |= (uint64_t)b[i] << (8 * i);
	return true;
}

bool model_mem_write64(struct model *m, uint64_t pa, uint64_t val)
{
	uint8_t b[8];

	for (unsigned i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(val >> (8 * i));
	return model_mem_write(m, pa, b, sizeof(b));
}
