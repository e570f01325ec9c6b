/* SPDX-License-Identifier: MIT */
/* Test-guest runtime: EL1, MMU off. vCPU 0 enters with x0 = DTB, the
 * others (PSCI CPU_ON) with x0 = context_id; the stack is picked by
 * MPIDR.Aff0. Exceptions go to C with a register frame. */
	.section .text.boot, "ax"
	.global	_start
_start:
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	ldr	x2, =0x40400000		/* stacks: 16 KiB per vCPU */
	add	x3, x1, #1
	add	x2, x2, x3, lsl #14
	mov	sp, x2
	ldr	x2, =guest_vectors
	msr	vbar_el1, x2
	isb
	cbnz	x1, 2f
	ldr	x2, =__bss_start
	ldr	x3, =__bss_end
1:	cmp	x2, x3
	b.hs	3f
	str	xzr, [x2], #8
	b	1b
3:	bl	gmain
	b	halt
2:	bl	gsecondary
halt:	wfi
	b	halt

	.macro	vsave handler
	.balign	128
	sub	sp, sp, #288
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	b	\handler
	.endm

	.text
	.balign	2048
guest_vectors:
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	sync_entry
	vsave	irq_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry
	vsave	bad_entry

	.macro	vfinish cfunc
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #240]
	str	x1, [sp, #256]
	mov	x0, sp
	bl	\cfunc
	ldp	x30, x0, [sp, #240]
	ldr	x1, [sp, #256]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #288
	eret
	.endm

sync_entry:
	vfinish	sync_handler
irq_entry:
	vfinish	irq_handler
bad_entry:
	vfinish	bad_handler
