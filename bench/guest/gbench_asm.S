/* SPDX-License-Identifier: MIT */
/*
 * The measuring primitives of the guest micro-benchmark (gbench.c).
 *
 * Everything here assumes QEMU with -icount shift=0: the virtual clock V
 * advances exactly 1 ns per executed instruction (at any EL, on any CPU:
 * TCG runs the CPUs round-robin on one thread), and CNTVCT_EL0 reads
 * floor(V / 16) (CNTFRQ 62.5 MHz). Code paths are written in assembly so
 * that the instruction counts between two time stamps are fixed.
 */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

	.text

/*
 * uint64_t bench_stamp(void): V as seen by its first instruction, exact
 * to the instruction. Sixteen back-to-back CNTVCT reads see V0 .. V0+15,
 * and sum_{j=0..15} floor((V0 + j) / 16) = V0 (Hermite's identity), so
 * the sum of the reads is V0 itself. A stamp whose reads span more than
 * one tick was interrupted (another CPU ran in between): counted in
 * bench_stamp_glitches, which the program requires to stay 0.
 * BENCH_STAMP_LEN instructions from the first read to the ret, inclusive,
 * on the normal path. Clobbers x0-x16 and the flags only.
 */
	.globl	bench_stamp
bench_stamp:
	mrs	x1, cntvct_el0
	mrs	x2, cntvct_el0
	mrs	x3, cntvct_el0
	mrs	x4, cntvct_el0
	mrs	x5, cntvct_el0
	mrs	x6, cntvct_el0
	mrs	x7, cntvct_el0
	mrs	x8, cntvct_el0
	mrs	x9, cntvct_el0
	mrs	x10, cntvct_el0
	mrs	x11, cntvct_el0
	mrs	x12, cntvct_el0
	mrs	x13, cntvct_el0
	mrs	x14, cntvct_el0
	mrs	x15, cntvct_el0
	mrs	x16, cntvct_el0
	add	x0, x1, x2
	add	x0, x0, x3
	add	x0, x0, x4
	add	x0, x0, x5
	add	x0, x0, x6
	add	x0, x0, x7
	add	x0, x0, x8
	add	x0, x0, x9
	add	x0, x0, x10
	add	x0, x0, x11
	add	x0, x0, x12
	add	x0, x0, x13
	add	x0, x0, x14
	add	x0, x0, x15
	add	x0, x0, x16
	sub	x2, x16, x1
	cmp	x2, #1
	b.hi	1f
	ret
1:	adrp	x2, bench_stamp_glitches
	ldr	w3, [x2, :lo12:bench_stamp_glitches]
	add	w3, w3, #1
	str	w3, [x2, :lo12:bench_stamp_glitches]
	ret

/*
 * Loop kernels: uint64_t name(uint64_t n, uint64_t x22, uint64_t x20)
 * runs the body n (>= 1) times between two stamps and returns the stamp
 * difference. Each measured body has a twin with the measured
 * instructions replaced by as many nops; the stamp and loop overheads are
 * identical, so (T - T_twin) / n + (number of measured instructions) is
 * what the measured instructions cost, in instructions. Only x19-x22
 * (callee-saved, so SMCCC and the IRQ handlers leave them alone) and the
 * body's own registers are used.
 */
	.macro	KLOOP name, body
	.globl	\name
\name:
	stp	x29, x30, [sp, #-48]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	mov	x21, x0
	mov	x22, x1
	mov	x20, x2
	bl	bench_stamp
	mov	x19, x0
1:	\body
	subs	x21, x21, #1
	b.ne	1b
	bl	bench_stamp
	sub	x0, x0, x19
	ldp	x21, x22, [sp, #32]
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #48
	ret
	.endm

	/* HVC round trip: x22 = SMCCC function ID (PSCI_VERSION) */
	.macro	B_HVC
	mov	x0, x22
	hvc	#0
	.endm
	.macro	B_HVC_TWIN
	mov	x0, x22
	nop
	.endm
	/* a 32-bit MMIO read at x22 / write of w20 to x22 */
	.macro	B_LDR
	ldr	w9, [x22]
	.endm
	.macro	B_STR
	str	w20, [x22]
	.endm
	.macro	B_NOP1
	nop
	.endm
	/* SGI to self (x22 = ICC_SGI1R_EL1 value), taken with IRQs unmasked
	 * through the fast vectors, which EOI it */
	.macro	B_SGI
	msr	ICC_SGI1R_EL1, x22
	isb
	.endm
	.macro	B_NOP2
	nop
	nop
	.endm

	KLOOP	bench_k_hvc, B_HVC
	KLOOP	bench_k_hvc_twin, B_HVC_TWIN
	KLOOP	bench_k_ldr, B_LDR
	KLOOP	bench_k_str, B_STR
	KLOOP	bench_k_nop1, B_NOP1
	KLOOP	bench_k_sgi, B_SGI
	KLOOP	bench_k_nop2, B_NOP2

/*
 * uint64_t bench_eoi_seq(uint64_t intid, uint64_t mode): the stamp
 * difference around the EOI sequence of an active interrupt:
 *   mode 0: EOIR1; isb                  (EOImode 0)
 *   mode 1: EOIR1; isb; DIR; isb        (EOImode 1)
 *   mode 2: nothing: the calibration (BENCH_STAMP_LEN + 2)
 */
	.globl	bench_eoi_seq
bench_eoi_seq:
	stp	x29, x30, [sp, #-32]!
	stp	x19, x20, [sp, #16]
	mov	x20, x0
	cmp	x1, #1
	b.eq	2f
	b.hi	3f
	bl	bench_stamp
	mov	x19, x0
	msr	ICC_EOIR1_EL1, x20
	isb
	bl	bench_stamp
	b	4f
2:	bl	bench_stamp
	mov	x19, x0
	msr	ICC_EOIR1_EL1, x20
	isb
	msr	ICC_DIR_EL1, x20
	isb
	bl	bench_stamp
	b	4f
3:	bl	bench_stamp
	mov	x19, x0
	bl	bench_stamp
4:	sub	x0, x0, x19
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret

/*
 * uint64_t bench_send_sgi(uint64_t sgi1r): stamp, then the ICC_SGI1R_EL1
 * write. Returns the stamp; the write is BENCH_STAMP_LEN + 1 instructions
 * after the stamp's first read.
 */
	.globl	bench_send_sgi
bench_send_sgi:
	stp	x29, x30, [sp, #-32]!
	stp	x19, x20, [sp, #16]
	mov	x20, x0
	bl	bench_stamp
	mov	x19, x0
	msr	ICC_SGI1R_EL1, x20
	isb
	mov	x0, x19
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret

/* ------------------------------------------------------------ vectors */

/*
 * Three EL1 vector tables that differ only in the IRQ entry (current EL,
 * SPx); every other entry jumps to the runtime's fatal handler at the
 * same offset of guests/lib/start.S's `vectors`.
 *   bench_vectors_fast0/1: a minimal handler, IAR1 then EOIR1 (+ DIR in
 *     EOImode 1), counting in bench_fast_count;
 *   bench_vectors_stamp: IAR1 as the 13th instruction after the
 *     exception (the IAR1 is 2 instructions before the stamp's first
 *     read), then bench_irq(iar, stamp) in C.
 */
	.macro	VTABLE name, irq
	.balign	0x800
	.globl	\name
\name:
	.irp	i, 0, 1, 2, 3, 4
	.balign	0x80
	b	vectors + \i * 0x80
	.endr
	.balign	0x80
	b	\irq
	.irp	i, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	b	vectors + \i * 0x80
	.endr
	.endm

	VTABLE	bench_vectors_fast0, bench_irq_fast0
	VTABLE	bench_vectors_fast1, bench_irq_fast1
	VTABLE	bench_vectors_stamp, bench_irq_stamp

	.macro	FAST name, dir
\name:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, ICC_IAR1_EL1
	cmp	w0, #1020
	b.hs	1f
	msr	ICC_EOIR1_EL1, x0
	.if	\dir
	msr	ICC_DIR_EL1, x0
	.endif
	adrp	x1, bench_fast_count
	ldr	w0, [x1, :lo12:bench_fast_count]
	add	w0, w0, #1
	str	w0, [x1, :lo12:bench_fast_count]
1:	ldp	x0, x1, [sp], #16
	eret
	.endm

	FAST	bench_irq_fast0, 0
	FAST	bench_irq_fast1, 1

bench_irq_stamp:
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x17, ICC_IAR1_EL1
	bl	bench_stamp
	mov	x1, x0
	mov	x0, x17
	bl	bench_irq
	ldp	x18, x30, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #176
	eret

	.bss
	.balign	8
	.globl	bench_stamp_glitches
bench_stamp_glitches:
	.space	4
	.globl	bench_fast_count
bench_fast_count:
	.space	4
