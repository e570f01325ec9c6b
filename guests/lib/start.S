/* SPDX-License-Identifier: MIT */
/*
 * EL1 entry of a conformance test program (boot contract: hyp/hypcfg.h).
 *
 * Boot CPU: loaded and entered at 0x40080000 (the link address) at EL1,
 * MMU off, DAIF masked, x0 = DTB (unused). Secondaries: PSCI CPU_ON to
 * secondary_entry with x0 = context id = logical CPU number.
 * Each CPU gets its own 16 KiB stack and keeps its number in TPIDR_EL1.
 */
#define STACK_SIZE 0x4000
#define MAX_CPUS 8
#define SCTLR_EL1_VALUE 0x30d01800 /* RES1 bits + I; M, C, A off */

	.section .text.boot, "ax"
	.globl	_start
_start:
	msr	daifset, #0xf
	/* Raw binaries are not relocated: refuse to run elsewhere. */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	wrong_address
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	dsb	sy
	mov	x0, #0
	b	cpu_common

wrong_address:
	wfi
	b	wrong_address

	.globl	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	cmp	x0, #MAX_CPUS
	b.hs	wrong_address
	b	cpu_common

/* x0 = logical CPU number */
cpu_common:
	msr	spsel, #1
	msr	tpidr_el1, x0
	ldr	x1, =__stacks
	mov	x2, #STACK_SIZE
	madd	x1, x0, x2, x1
	add	sp, x1, x2
	ldr	x1, =vectors
	msr	vbar_el1, x1
	ldr	x1, =SCTLR_EL1_VALUE
	msr	sctlr_el1, x1
	isb
	mov	x29, #0
	mov	x30, #0
	cbnz	x0, 3f
	bl	boot_main
	b	wrong_address
3:	bl	secondary_main
	b	wrong_address

/* ------------------------------------------------------------ vectors */

	.macro	fatal_vector kind
	.balign	0x80
	mov	x0, #\kind
	b	fatal_common
	.endm

	.text
	.balign	0x800
	.globl	vectors
vectors:
	fatal_vector 0		/* current EL, SP0: sync */
	fatal_vector 1		/* IRQ */
	fatal_vector 2		/* FIQ */
	fatal_vector 3		/* SError */
	fatal_vector 4		/* current EL, SPx: sync */
	.balign	0x80
	b	irq_entry	/* current EL, SPx: IRQ */
	fatal_vector 6		/* FIQ */
	fatal_vector 7		/* SError */
	fatal_vector 8		/* lower EL, AArch64 */
	fatal_vector 9
	fatal_vector 10
	fatal_vector 11
	fatal_vector 12		/* lower EL, AArch32 */
	fatal_vector 13
	fatal_vector 14
	fatal_vector 15

fatal_common:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	fatal_exception
	b	wrong_address

/*
 * IRQ: save the caller-saved registers and ELR/SPSR (a handler may unmask
 * IRQs to be preempted), call irq_dispatch(), mask, restore, return.
 */
irq_entry:
	sub	sp, sp, #192
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #160]
	str	x1, [sp, #176]
	bl	irq_dispatch
	msr	daifset, #2
	ldr	x1, [sp, #176]
	ldp	x30, x0, [sp, #160]
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
	ldp	x18, x29, [sp, #144]
	add	sp, sp, #192
	eret

/* ------------------------------------------------------------ PSCI */

/* int64_t psci_call(fn, a1, a2, a3): SMCCC over HVC */
	.globl	psci_call
psci_call:
	hvc	#0
	ret

	.section .bss.stacks, "aw", %nobits
	.balign	16
	.globl	__stacks
__stacks:
	.space	STACK_SIZE * MAX_CPUS
