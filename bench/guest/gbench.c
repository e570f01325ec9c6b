/* SPDX-License-Identifier: MIT */
/*
 * Guest micro-benchmark: what a guest pays for the hypervisor's hot
 * paths, in instructions. Run under QEMU with
 * -icount shift=0,align=off,sleep=off, where the virtual clock advances
 * exactly 1 ns per executed instruction (at any EL, on any CPU) and
 * CNTVCT_EL0 = floor(ns / 16): bench_stamp() (gbench_asm.S) recovers the
 * clock to the instruction, so every figure is an exact, deterministic
 * instruction count, including the hypervisor's (and, on bare QEMU,
 * nothing of QEMU's own C code: an emulated HVC, MMIO or GIC access counts
 * as the one instruction it is).
 *
 * Figures (one "bench <name>: ..." line each):
 *   hvc_roundtrip      mov x0, #PSCI_VERSION; hvc #0 (cost of the hvc)
 *   gicd_typer_read    ldr from GICD_TYPER
 *   gicd_isenabler1_read / _write   GICD_ISENABLER1 (write of 0: no-op)
 *   gicr_isenabler0_read   ldr from this CPU's GICR_ISENABLER0
 *   eoi_seq_mode0      EOIR1; isb, of an interrupt delivered in an LR
 *   eoi_seq_mode1      EOIR1; isb; DIR; isb (ICC_CTLR_EL1.EOImode 1)
 *   sgi_self_mode0/1   SGI1R write to self; isb; the IRQ is taken by a
 *                      minimal handler (IAR1, EOIR1 [+DIR], eret)
 *   ipi_busy / ipi_wfi CPU 0 writes ICC_SGI1R_EL1 for CPU 1, which spins
 *                      with IRQs unmasked / sits in WFI: instructions from
 *                      the write to CPU 1's IAR1, summed over both CPUs
 *   timer_busy / timer_wfi  the virtual timer (PPI 27) fires at CVAL:
 *                      instructions from the deadline to the IAR1
 * Loop figures are (loop - twin loop with nops) / n + the measured
 * instructions; latencies are averaged per event, with min and max,
 * after one untimed warm-up event.
 * Every other CPU sleeps in WFI while CPU 0 measures alone, so that the
 * clock only counts CPU 0's instructions (and the hypervisor's).
 */
#include "guest.h"

const char test_name[] = "gbench";

#define N_LOOP 10000u
#define N_EOI 2000u
#define N_LAT 1000u
#define BENCH_STAMP_LEN 35u /* bench_stamp, first read .. ret */
#define NS_PER_TICK 16u	    /* CNTFRQ 62.5 MHz */

#define SGI_BENCH 1u /* the measured SGI */
#define SGI_WAKE 15u /* wakes a parked CPU */
#define VTIMER 27u
#define TIMER_DELTA 256u /* ticks from programming to the deadline */

/* gbench_asm.S */
uint64_t bench_stamp(void);
uint64_t bench_k_hvc(uint64_t n, uint64_t x22, uint64_t x20);
uint64_t bench_k_hvc_twin(uint64_t n, uint64_t x22, uint64_t x20);
uint64_t bench_k_ldr(uint64_t n, uint64_t x22, uint64_t x20);
uint64_t bench_k_str(uint64_t n, uint64_t x22, uint64_t x20);
uint64_t bench_k_nop1(uint64_t n, uint64_t x22, uint64_t x20);
uint64_t bench_k_sgi(uint64_t n, uint64_t x22, uint64_t x20);
uint64_t bench_k_nop2(uint64_t n, uint64_t x22, uint64_t x20);
uint64_t bench_eoi_seq(uint64_t intid, uint64_t mode);
uint64_t bench_send_sgi(uint64_t sgi1r);
void bench_irq(uint64_t iar, uint64_t stamp);
extern char bench_vectors_fast0[], bench_vectors_fast1[], bench_vectors_stamp[],
	vectors[];
extern volatile uint32_t bench_stamp_glitches, bench_fast_count;

/* Per-CPU state written by that CPU's bench_irq (stamp vectors). */
static struct bcpu {
	volatile uint64_t ack_v; /* V of the last IAR1 */
	volatile uint32_t ack_intid;
	volatile uint32_t acks; /* incremented after the EOI */
	volatile uint32_t spurious;
	volatile uint32_t run;	  /* written by CPU 0: keep spinning */
	volatile uint32_t parked; /* written by the CPU itself */
} __attribute__((aligned(64))) bcpu[MAX_CPUS];

static uint64_t stamp_pair; /* two stamps back to back: LEN + 2 */

/* ------------------------------------------------------------ report */

static void print_fixed(uint64_t num, uint64_t den)
{
	uint64_t x100 = (num * 100 + den / 2) / den;

	if (num % den == 0)
		printf_("%lu", num / den);
	else
		printf_("%lu.%02lu", x100 / 100, x100 % 100);
}

/* "bench <name>: <insns> insns/iter (<ticks> ticks, n=<n>)" for a total
 * of `insns` instructions over n iterations. */
static void report(const char *name, uint64_t insns, uint64_t n)
{
	printf_("bench %s: ", name);
	print_fixed(insns, n);
	printf_(" insns/iter (");
	print_fixed(insns, n * NS_PER_TICK);
	printf_(" ticks, n=%lu)\n", n);
}

struct lat {
	uint64_t sum, min, max, n;
};

static void lat_add(struct lat *l, uint64_t v)
{
	if (!l->n || v < l->min)
		l->min = v;
	if (!l->n || v > l->max)
		l->max = v;
	l->sum += v;
	l->n++;
}

static void report_lat(const char *name, const struct lat *l)
{
	printf_("bench %s: ", name);
	print_fixed(l->sum, l->n);
	printf_(" insns/iter (");
	print_fixed(l->sum, l->n * NS_PER_TICK);
	printf_(" ticks, n=%lu, min %lu, max %lu)\n", l->n, l->min, l->max);
}

/* Loop figure: kernel vs its twin, `m` measured instructions. */
typedef uint64_t (*kloop)(uint64_t n, uint64_t x22, uint64_t x20);

static void loop_figure(const char *name, kloop k, kloop twin, uint64_t m,
			uint64_t x22, uint64_t x20)
{
	uint64_t t = k(N_LOOP, x22, x20);
	uint64_t b = twin(N_LOOP, x22, x20);

	if (t < b) {
		t_line("FAIL %s: loop %lu < twin %lu", name, t, b);
		return;
	}
	report(name, t - b + m * N_LOOP, N_LOOP);
}

/* ------------------------------------------------------ the IRQ side */

void bench_irq(uint64_t iar, uint64_t stamp)
{
	struct bcpu *b = &bcpu[this_cpu()];
	uint32_t intid = (uint32_t)iar & 0xffffffu;

	if (intid >= 1020) {
		b->spurious = b->spurious + 1;
		dsb();
		return;
	}
	b->ack_v = stamp - 2; /* mrs x17, IAR1; bl bench_stamp; first read */
	b->ack_intid = intid;
	if (intid == VTIMER) {
		write_sysreg(cntv_ctl_el0, 0); /* the line drops */
		isb();
	}
	icc_eoir1(intid);
	if (my_percpu()->eoimode)
		icc_dir(intid);
	dsb();
	b->acks = b->acks + 1;
	dsb();
}

static void set_vbar(void *v)
{
	write_sysreg(vbar_el1, (uint64_t)v);
	isb();
}

/* --------------------------------------------------- other CPUs */

/* Sleep in WFI with IRQs masked until CPU 0 clears run and sends
 * SGI_WAKE; the idle loop of smp.c then takes the SGI. */
static uint64_t park_fn(uint64_t arg)
{
	struct bcpu *b = &bcpu[this_cpu()];

	(void)arg;
	irq_enable_id(SGI_WAKE);
	b->parked = 1;
	dsb();
	while (b->run)
		__asm__ __volatile__("wfi" ::: "memory");
	b->parked = 0;
	dsb();
	return 0;
}

static void park_others(void)
{
	for (unsigned c = 1; c < nr_cpus; c++) {
		bcpu[c].run = 1;
		dsb();
		smp_call_async(c, park_fn, 0);
		WAIT_FOR(bcpu[c].parked, "cpu %u parks", c);
	}
	/* Let them reach WFI (under the hypervisor: block in it). */
	delay_us(100);
}

static void unpark_others(void)
{
	for (unsigned c = 1; c < nr_cpus; c++) {
		bcpu[c].run = 0;
		dsb();
		sgi_send_mask(SGI_WAKE, 1u << c);
		smp_wait(c);
	}
}

/* One WFI, entered and left with IRQs masked: the caller checked its
 * wake-up condition with IRQs masked, so an interrupt between the check
 * and the WFI cannot be taken first and leave the WFI sleeping. WFI wakes
 * on a pending interrupt even when it is masked (Arm ARM D1.6); the
 * short unmasked window takes it. */
static void wfi_masked(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
	irq_enable();
	irq_disable();
}

/* CPU 1 during the IPI figures: the stamp vectors, IRQs unmasked,
 * spinning (arg 0) or in WFI (arg 1) until CPU 0 clears run. */
static uint64_t ipi_target_fn(uint64_t wfi)
{
	struct bcpu *b = &bcpu[this_cpu()];

	irq_enable_id(SGI_BENCH);
	set_vbar(bench_vectors_stamp);
	b->parked = 1;
	dsb();
	if (wfi) {
		while (b->run)
			wfi_masked();
	} else {
		irq_enable();
		while (b->run)
			cpu_relax();
		irq_disable();
	}
	set_vbar(vectors);
	b->parked = 0;
	dsb();
	return 0;
}

/* ---------------------------------------------------------- figures */

static void self_check(void)
{
	uint64_t frq = read_sysreg(cntfrq_el0) & 0xffffffffu;

	t_check(frq == 1000000000u / NS_PER_TICK, "CNTFRQ_EL0 %lu Hz", frq);
	/* Two stamps back to back: bench_stamp's length + mov + bl, and the
	 * same every time (the clock is exact). */
	stamp_pair = bench_eoi_seq(0, 2);
	bool same = true;
	for (unsigned i = 0; i < 64; i++)
		if (bench_eoi_seq(0, 2) != stamp_pair)
			same = false;
	t_check(same && stamp_pair == BENCH_STAMP_LEN + 2,
		"stamp: back-to-back stamps %lu instructions apart, always "
		"(want %u: -icount shift=0 is on)",
		stamp_pair, BENCH_STAMP_LEN + 2);
	/* One nop per iteration costs one instruction. */
	uint64_t t1 = bench_k_nop1(1000, 0, 0), t2 = bench_k_nop2(1000, 0, 0);
	t_check(t2 - t1 == 1000, "stamp: 1000 nops are %lu instructions",
		t2 - t1);
}

static void hvc_figure(void)
{
	t_check(psci_version() >= 0x10000, "PSCI_VERSION >= 1.0");
	loop_figure("hvc_roundtrip", bench_k_hvc, bench_k_hvc_twin, 1,
		    PSCI_VERSION, 0);
}

static void mmio_figures(void)
{
	loop_figure("gicd_typer_read", bench_k_ldr, bench_k_nop1, 1,
		    GICD_BASE + GICD_TYPER, 0);
	loop_figure("gicd_isenabler1_read", bench_k_ldr, bench_k_nop1, 1,
		    GICD_BASE + GICD_ISENABLER + 4, 0);
	loop_figure("gicd_isenabler1_write", bench_k_str, bench_k_nop1, 1,
		    GICD_BASE + GICD_ISENABLER + 4, 0);
	loop_figure("gicr_isenabler0_read", bench_k_ldr, bench_k_nop1, 1,
		    gicr_sgi(0) + GICR_ISENABLER0, 0);
}

/* ICC_SGI1R_EL1 value sending `intid` to CPU `cpu` alone. */
static uint64_t cpu_sgi1r(unsigned cpu, uint32_t intid)
{
	uint64_t aff = cpu_aff[cpu], rs = (aff >> 4) & 0xf;

	return sgi1r_value(intid, aff, 1u << (aff & 0xf)) | rs << 44;
}

/* The EOI of an interrupt in flight: SGI to self with IRQs masked, IAR1
 * (polled), then the timed EOI sequence. */
static void eoi_figure(const char *name, unsigned mode)
{
	uint64_t sum = 0, v = cpu_sgi1r(0, SGI_BENCH);

	gic_set_eoimode(mode);
	for (unsigned i = 0; i < N_EOI; i++) {
		write_sysreg(ICC_SGI1R_EL1, v);
		isb();
		uint32_t id = INTID_SPURIOUS;
		for (unsigned p = 0; p < 100000 && id != SGI_BENCH; p++)
			id = (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffffu;
		if (id != SGI_BENCH) {
			t_line("FAIL %s: IAR1 %u, want SGI %u", name, id,
			       SGI_BENCH);
			gic_set_eoimode(0);
			return;
		}
		sum += bench_eoi_seq(id, mode) - stamp_pair;
	}
	gic_set_eoimode(0);
	if (icc_hppir1() != INTID_SPURIOUS || icc_rpr() != 0xff)
		t_line("FAIL %s: HPPIR1 %u RPR 0x%x after the last EOI", name,
		       icc_hppir1(), icc_rpr());
	else
		report(name, sum, N_EOI);
}

static void sgi_self_figure(const char *name, unsigned mode)
{
	gic_set_eoimode(mode);
	set_vbar(mode ? bench_vectors_fast1 : bench_vectors_fast0);
	bench_fast_count = 0;
	dsb();
	irq_enable();
	uint64_t t = bench_k_sgi(N_LOOP, cpu_sgi1r(0, SGI_BENCH), 0);
	uint64_t b = bench_k_nop2(N_LOOP, 0, 0);
	irq_disable();
	set_vbar(vectors);
	gic_set_eoimode(0);
	dsb();
	if (bench_fast_count != N_LOOP || t < b)
		t_line("FAIL %s: %u SGIs taken, want %u (loop %lu, twin %lu)",
		       name, bench_fast_count, N_LOOP, t, b);
	else
		report(name, t - b + 2 * N_LOOP, N_LOOP);
}

static void ipi_figure(const char *name, unsigned wfi)
{
	struct bcpu *b = &bcpu[1];
	uint64_t v = cpu_sgi1r(1, SGI_BENCH);
	struct lat l = {0};

	b->run = 1;
	dsb();
	smp_call_async(1, ipi_target_fn, wfi);
	WAIT_FOR(b->parked, "cpu 1 ready for %s", name);
	delay_us(100);
	for (unsigned i = 0; i <= N_LAT; i++) { /* 0: warm-up */
		uint32_t acks = b->acks;
		/* the write is LEN + 1 instructions after the stamp */
		uint64_t sent = bench_send_sgi(v) + BENCH_STAMP_LEN + 1;
		WAIT_FOR(b->acks != acks, "%s: cpu 1 acknowledges", name);
		dsb();
		if (b->ack_intid != SGI_BENCH || b->ack_v < sent) {
			t_line("FAIL %s: cpu 1 took %u at %lu, sent at %lu",
			       name, b->ack_intid, b->ack_v, sent);
			break;
		}
		if (i)
			lat_add(&l, b->ack_v - sent);
		if (wfi) /* let it go back to sleep */
			delay_us(20);
	}
	b->run = 0;
	dsb();
	sgi_send_mask(SGI_WAKE, 1u << 1); /* out of WFI, if there */
	smp_wait(1);
	if (l.n == N_LAT)
		report_lat(name, &l);
}

static void timer_figure(const char *name, unsigned wfi)
{
	struct bcpu *b = &bcpu[0];
	struct lat l = {0};

	irq_enable_id(VTIMER);
	set_vbar(bench_vectors_stamp);
	for (unsigned i = 0; i <= N_LAT; i++) { /* 0: warm-up */
		uint32_t acks = b->acks;
		isb();
		uint64_t cval = read_sysreg(cntvct_el0) + TIMER_DELTA;
		write_sysreg(cntv_cval_el0, cval);
		write_sysreg(cntv_ctl_el0, 1); /* ENABLE */
		isb();
		uint64_t dl = deadline_us(WAIT_US);
		if (wfi) {
			while (b->acks == acks && !expired(dl))
				wfi_masked();
		} else {
			irq_enable();
			while (b->acks == acks && !expired(dl))
				;
			irq_disable();
		}
		dsb();
		if (b->acks == acks || b->ack_intid != VTIMER ||
		    b->ack_v < cval * NS_PER_TICK) {
			t_line("FAIL %s: timer IRQ (acks %u intid %u at %lu, "
			       "deadline %lu)",
			       name, b->acks, b->ack_intid, b->ack_v,
			       cval * NS_PER_TICK);
			break;
		}
		if (i)
			lat_add(&l, b->ack_v - cval * NS_PER_TICK);
	}
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	set_vbar(vectors);
	irq_disable_id(VTIMER);
	if (l.n == N_LAT)
		report_lat(name, &l);
}

void test_main(void)
{
	t_gic_setup();
	irq_enable_id(SGI_BENCH);
	printf_("bench: %u CPUs, -icount instruction counts; CNTVCT tick "
		"= %u insns\n",
		nr_cpus, NS_PER_TICK);

	park_others();
	self_check();
	hvc_figure();
	mmio_figures();
	eoi_figure("eoi_seq_mode0", 0);
	eoi_figure("eoi_seq_mode1", 1);
	sgi_self_figure("sgi_self_mode0", 0);
	sgi_self_figure("sgi_self_mode1", 1);
	timer_figure("timer_busy", 0);
	timer_figure("timer_wfi", 1);
	unpark_others();

	if (nr_cpus >= 2) {
		/* Every CPU but 0 and 1 sleeps. */
		for (unsigned c = 2; c < nr_cpus; c++) {
			bcpu[c].run = 1;
			dsb();
			smp_call_async(c, park_fn, 0);
			WAIT_FOR(bcpu[c].parked, "cpu %u parks", c);
		}
		ipi_figure("ipi_busy", 0);
		ipi_figure("ipi_wfi", 1);
		for (unsigned c = 2; c < nr_cpus; c++) {
			bcpu[c].run = 0;
			dsb();
			sgi_send_mask(SGI_WAKE, 1u << c);
			smp_wait(c);
		}
	} else {
		printf_("bench ipi_busy: skipped (1 CPU)\n");
		printf_("bench ipi_wfi: skipped (1 CPU)\n");
	}
	t_check(bench_stamp_glitches == 0,
		"no stamp spanned another CPU's run (%u did)",
		bench_stamp_glitches);
	t_check(bcpu[0].spurious == 0 && (nr_cpus < 2 || bcpu[1].spurious == 0),
		"no spurious IRQ in the stamp handler");
}
