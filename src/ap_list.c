/* SPDX-License-Identifier: MIT */
/*
 * The per-vCPU active/pending list: a doubly linked list of interrupts in
 * the order flush presents them (vgic_irq_key). Insertion keeps the order;
 * a priority or active change marks the list for a re-sort, which flush
 * does with an insertion sort (nearly sorted input: linear).
 * All functions here need vcpu->ap_lock held.
 */
#include "vgic_internal.h"

void vgic_ap_insert(struct vgic_vcpu *vcpu, struct vgic_irq *irq)
{
	uint64_t key = vgic_irq_key(irq);
	struct vgic_irq *pos = vcpu->ap.tail;

	VGIC_MUST_HOLD(&vcpu->ap_lock);
	/* Walk back from the tail: new arrivals are usually low priority. */
	while (pos && vgic_irq_key(pos) > key)
		pos = pos->prev;
	irq->prev = pos;
	irq->next = pos ? pos->next : vcpu->ap.head;
	if (irq->next)
		irq->next->prev = irq;
	else
		vcpu->ap.tail = irq;
	if (pos)
		pos->next = irq;
	else
		vcpu->ap.head = irq;
	if (irq->active)
		__atomic_fetch_add(&vcpu->nr_active, 1, __ATOMIC_RELAXED);
}

void vgic_ap_unlink(struct vgic_vcpu *vcpu, struct vgic_irq *irq)
{
	VGIC_MUST_HOLD(&vcpu->ap_lock);
	if (irq->prev)
		irq->prev->next = irq->next;
	else
		vcpu->ap.head = irq->next;
	if (irq->next)
		irq->next->prev = irq->prev;
	else
		vcpu->ap.tail = irq->prev;
	irq->next = irq->prev = NULL;
	if (irq->active)
		__atomic_fetch_sub(&vcpu->nr_active, 1, __ATOMIC_RELAXED);
}

void vgic_ap_sort(struct vgic_vcpu *vcpu)
{
	struct vgic_irq *irq = vcpu->ap.head;

	VGIC_MUST_HOLD(&vcpu->ap_lock);
	__atomic_store_n(&vcpu->resort, false, __ATOMIC_RELAXED);
	while (irq) {
		struct vgic_irq *next = irq->next;
		if (irq->prev && vgic_irq_key(irq->prev) > vgic_irq_key(irq)) {
			vgic_ap_unlink(vcpu, irq);
			vgic_ap_insert(vcpu, irq);
		}
		irq = next;
	}
}
