/* SPDX-License-Identifier: MIT */
/*
 * EL2 entry points, exception vectors and the guest world switch of the
 * general-purpose registers. Everything else of the world switch is C.
 *
 * struct vcpu begins with x[31]; struct pcpu begins with `cur`, the vCPU
 * whose registers the exit path saves (TPIDR_EL2 points to struct pcpu).
 */
#define STACK_SHIFT 14 /* HYP_STACK_SIZE 0x4000 */

	.section .text.boot, "ax"
	.global _start
_start:
	/* CPU 0 only: QEMU holds the others in PSCI "off" until CPU_ON. */
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	mov	x19, #0
	b	common_entry

	/* PSCI CPU_ON target: x0 = context_id = pCPU index, MMU off, EL2. */
	.global secondary_entry
secondary_entry:
	mov	x19, x0
common_entry:
	ldr	x1, =hyp_stacks
	add	x19, x19, #1
	add	x1, x1, x19, lsl #STACK_SHIFT
	sub	x19, x19, #1
	mov	sp, x1
	ldr	x1, =hyp_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	bl	hyp_cpu_main
3:	wfi
	b	3b

/* ------------------------------------------------------------ vectors */
	.macro	ventry target
	.balign	128
	b	\target
	.endm

	.macro	guest_vector kind
	.balign	128
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	guest_exit
	.endm

	.text
	.balign	2048
	.global	hyp_vectors
hyp_vectors:
	ventry	hyp_bad_sync		/* current EL, SP0 */
	ventry	hyp_bad_async
	ventry	hyp_bad_async
	ventry	hyp_bad_async
	ventry	hyp_bad_sync		/* current EL, SPx */
	ventry	hyp_bad_async
	ventry	hyp_bad_async
	ventry	hyp_bad_async
	guest_vector 0			/* lower EL, AArch64: sync */
	guest_vector 1			/* IRQ */
	guest_vector 2			/* FIQ */
	guest_vector 3			/* SError */
	ventry	hyp_bad_async		/* lower EL, AArch32: not supported */
	ventry	hyp_bad_async
	ventry	hyp_bad_async
	ventry	hyp_bad_async

hyp_bad_sync:
	mov	x0, #0
	b	hyp_bad_exception
hyp_bad_async:
	mov	x0, #1
	b	hyp_bad_exception

/* uint64_t guest_enter(struct vcpu *v): run until the next exception,
 * return its kind (enum guest_exit_kind). ELR_EL2/SPSR_EL2 set by C. */
	.global	guest_enter
guest_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x1, tpidr_el2
	str	x0, [x1]
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret

/* Guest x0/x1 are on the stack, x1 = exit kind. */
guest_exit:
	mrs	x0, tpidr_el2
	ldr	x0, [x0]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/* FP/SIMD: the C code is general-regs-only, so only vCPU switches
 * need these (struct fpsimd: q0-q31, then FPSR, FPCR). */
	.global	fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	str	x1, [x0, #512]
	mrs	x1, fpcr
	str	x1, [x0, #520]
	ret

	.global	fpsimd_restore
fpsimd_restore:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	x1, [x0, #512]
	msr	fpsr, x1
	ldr	x1, [x0, #520]
	msr	fpcr, x1
	ret

