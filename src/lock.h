/* SPDX-License-Identifier: MIT */
/* Spinlocks from C11 atomics: the core is freestanding, with no OS below. */
#ifndef VGIC_LOCK_H
#define VGIC_LOCK_H

#include <stdatomic.h>
#include <stdbool.h>

typedef struct {
	atomic_uint v;
} vgic_lock_t;

static inline void vgic_lock_init(vgic_lock_t *l)
{
	atomic_init(&l->v, 0);
}

static inline void vgic_cpu_relax(void)
{
#if defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#elif defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Test-and-test-and-set: spin on a plain load to keep the line shared. */
static inline void vgic_lock(vgic_lock_t *l)
{
	while (atomic_exchange_explicit(&l->v, 1, memory_order_acquire)) {
		while (atomic_load_explicit(&l->v, memory_order_relaxed))
			vgic_cpu_relax();
	}
}

static inline void vgic_unlock(vgic_lock_t *l)
{
	atomic_store_explicit(&l->v, 0, memory_order_release);
}

static inline bool vgic_lock_held(vgic_lock_t *l)
{
	return atomic_load_explicit(&l->v, memory_order_relaxed) != 0;
}

#endif /* VGIC_LOCK_H */
