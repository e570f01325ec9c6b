/* SPDX-License-Identifier: MIT */
/*
 * Tests of the GICv3 hardware model on its own (no libvgic core): the
 * physical Distributor/Redistributors and CPU interface, physical LPIs
 * and the ITS, and the virtual CPU interface (list registers,
 * maintenance, HW deactivation), checked against the behaviour IHI 0069
 * specifies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model.h"

static struct model m;

/* ------------------------------------------------------------ helpers */

static void init_model(uint8_t nr_lrs, uint8_t vpri_bits, bool eoimode)
{
	struct model_config cfg;

	model_config_default(&cfg);
	cfg.nr_lrs = nr_lrs;
	cfg.vpri_bits = vpri_bits;
	assert_int_equal(model_init(&m, &cfg), VGIC_OK);
	model_host_boot(&m, eoimode);
}

static int setup_eoimode0(void **state)
{
	(void)state;
	init_model(4, 5, false);
	return 0;
}

static int setup_eoimode1(void **state)
{
	(void)state;
	init_model(4, 5, true);
	return 0;
}

static void gicd_w(uint32_t off, unsigned len, uint64_t val)
{
	assert_int_equal(model_gicd_write(&m, off, len, val), VGIC_OK);
}

static uint64_t gicd_r(uint32_t off, unsigned len)
{
	uint64_t val;

	assert_int_equal(model_gicd_read(&m, off, len, &val), VGIC_OK);
	return val;
}

static void gicr_w(uint32_t pcpu, uint32_t off, uint64_t val)
{
	assert_int_equal(model_gicr_write(&m, pcpu, off, 4, val), VGIC_OK);
}

static uint64_t gicr_r(uint32_t pcpu, uint32_t off, unsigned len)
{
	uint64_t val;

	assert_int_equal(model_gicr_read(&m, pcpu, off, len, &val), VGIC_OK);
	return val;
}

/* Enable SPI `intid` with `prio` through the Distributor registers. */
static void spi_setup(uint32_t intid, uint8_t prio, bool edge)
{
	uint32_t cfg_off = 0xc00 + intid / 16 * 4;
	uint64_t cfg = gicd_r(cfg_off, 4);
	uint32_t cfg_bit = 2u << (intid % 16 * 2);

	gicd_w(0x400 + intid, 1, prio);
	gicd_w(cfg_off, 4, edge ? (cfg | cfg_bit) : (cfg & ~cfg_bit));
	gicd_w(0x100 + intid / 32 * 4, 4, 1u << (intid % 32));
}

/* Enable PPI/SGI `intid` of `pcpu` through its SGI_base frame. */
static void ppi_setup(uint32_t pcpu, uint32_t intid, uint8_t prio)
{
	uint64_t word = gicr_r(pcpu, 0x10400 + intid / 4 * 4, 4);
	unsigned shift = intid % 4 * 8;

	word = (word & ~(0xffull << shift)) | ((uint64_t)prio << shift);
	gicr_w(pcpu, 0x10400 + intid / 4 * 4, word);
	gicr_w(pcpu, 0x10100, 1u << intid);
}

static uint64_t lr_make(uint32_t vintid, uint8_t prio, unsigned grp,
			uint64_t state)
{
	return vintid | ((uint64_t)prio << VGIC_LR_PRIORITY_SHIFT) |
	       (grp ? VGIC_LR_GROUP : 0) | state;
}

static uint64_t lr_hw(uint32_t vintid, uint32_t pintid, uint8_t prio,
		      uint64_t state)
{
	return lr_make(vintid, prio, 1, state) | VGIC_LR_HW |
	       ((uint64_t)pintid << VGIC_LR_PINTID_SHIFT);
}

/* Virtual interface on `pcpu`: En + `hcr`, both groups on, VPMR open. */
static void vsetup(uint32_t pcpu, uint32_t hcr, uint32_t vmcr)
{
	model_ich_set_vmcr(&m, pcpu,
			   VGIC_VMCR_VENG0 | VGIC_VMCR_VENG1 |
				   VGIC_VMCR_VPMR_MASK | vmcr);
	model_ich_set_hcr(&m, pcpu, VGIC_HCR_EN | hcr);
}

static uint64_t lr_state(uint32_t pcpu, unsigned n)
{
	return model_ich_lr(&m, pcpu, n) & VGIC_LR_STATE_MASK;
}

/* ------------------------------------------------------ configuration */

static void test_init_rejects_bad_config(void **state)
{
	struct model_config cfg;

	(void)state;
	model_config_default(&cfg);
	assert_int_equal(model_init(NULL, &cfg), VGIC_EINVAL);
	cfg.nr_lrs = 17;
	assert_int_equal(model_init(&m, &cfg), VGIC_ECONFIG);
	model_config_default(&cfg);
	cfg.vpri_bits = 4;
	assert_int_equal(model_init(&m, &cfg), VGIC_ECONFIG);
	model_config_default(&cfg);
	cfg.nr_pcpus = 0;
	assert_int_equal(model_init(&m, &cfg), VGIC_ECONFIG);
	model_config_default(&cfg);
	cfg.nr_spis = MODEL_MAX_SPIS + 1;
	assert_int_equal(model_init(&m, &cfg), VGIC_ECONFIG);
}

static void test_reset_state(void **state)
{
	struct model_config cfg;

	(void)state;
	model_config_default(&cfg);
	assert_int_equal(model_init(&m, &cfg), VGIC_OK);
	/* Redistributors asleep, groups disabled, PMR 0: nothing delivered */
	assert_int_equal(gicr_r(0, 0x14, 4), 0x6);
	assert_int_equal(gicd_r(0x0, 4), 0x50); /* ARE | DS */
	assert_int_equal(model_icc_pmr(&m, 0), 0);
	assert_int_equal(model_icc_bpr(&m, 0, 0), 2); /* 7 - 5 */
	assert_int_equal(model_icc_bpr(&m, 0, 1), 3);
	assert_int_equal(gicr_r(0, 0x10c00, 4), 0xaaaaaaaa);
	assert_int_equal(model_ich_vmcr(&m, 0), VGIC_VMCR_VFIQEN);
}

static void test_id_registers(void **state)
{
	(void)state;
	/* 64 SPIs + 32 private = 96 INTIDs: ITLinesNumber 2, CPUNumber 1,
	 * LPIS, IDbits 13 (LPIs 8192..16383), A3V, No1N */
	assert_int_equal(gicd_r(0x4, 4), 2 | (1u << 5) | (1u << 17) |
						 (13u << 19) | (1u << 24) |
						 (1u << 25));
	assert_int_equal(gicd_r(0xffe8, 4) >> 4 & 0xf, 3);
	assert_int_equal(gicr_r(0, 0xffe8, 4) >> 4 & 0xf, 3);
	/* GICR_TYPER: affinity, processor number, Last on the last one,
	 * DirectLPI and PLPIS */
	assert_int_equal(gicr_r(0, 0x8, 8), 0x9);
	assert_int_equal(gicr_r(1, 0x8, 8),
			 (1ull << 32) | (1u << 8) | 0x10 | 0x9);
	assert_int_equal(gicr_r(1, 0xc, 4), 1);
	/* ICC_CTLR: PRIbits 4, A3V */
	assert_int_equal(model_icc_ctlr(&m, 0), (4u << 8) | (1u << 15));
	/* ICH_VTR: 4 LRs, TDS, nV4, A3V, PREbits 5, PRIbits 5 */
	assert_int_equal(model_ich_vtr(&m), 3 | (1u << 19) | (1u << 20) |
						    (1u << 21) | (4u << 26) |
						    (4u << 29));
}

static void test_register_widths(void **state)
{
	uint64_t val;

	(void)state;
	/* IPRIORITYR takes bytes, ISENABLER only words */
	assert_int_equal(model_gicd_write(&m, 0x420, 1, 0xff), VGIC_OK);
	assert_int_equal(gicd_r(0x420, 1), 0xf8); /* 5 priority bits */
	assert_int_equal(model_gicd_write(&m, 0x104, 1, 1), VGIC_EINVAL);
	assert_int_equal(model_gicd_read(&m, 0x102, 2, &val), VGIC_EINVAL);
	assert_int_equal(model_gicd_read(&m, 0x10000, 4, &val), VGIC_ERANGE);
	assert_int_equal(model_gicr_read(&m, 2, 0, 4, &val), VGIC_ERANGE);
	/* INTIDs 0..31 in the Distributor are RAZ/WI with ARE == 1 */
	gicd_w(0x100, 4, 0xffffffff);
	assert_int_equal(gicd_r(0x100, 4), 0);
	/* INTIDs beyond the configured SPIs are RAZ/WI */
	gicd_w(0x10c, 4, 0xffffffff);
	assert_int_equal(gicd_r(0x10c, 4), 0);
}

/* ------------------------------------------------- physical interface */

static void test_phys_ack_eoi_mode0(void **state)
{
	(void)state;
	spi_setup(40, 0x80, false);
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	model_set_line(&m, 0, 40, true);
	assert_true(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_hppir(&m, 0, 1), 40);
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
	assert_true(model_phys_is_active(&m, 0, 40));
	assert_true(model_phys_is_pending(&m, 0, 40)); /* line still high */
	assert_int_equal(model_icc_rpr(&m, 0), 0x80);
	assert_int_equal(model_icc_apr(&m, 0, 1, 0), 1u << (0x80 >> 3));
	/* active and pending: not signalled again */
	assert_false(model_pcpu_irq_line(&m, 0));
	model_icc_eoir(&m, 0, 1, 40);
	assert_false(model_phys_is_active(&m, 0, 40));
	assert_int_equal(model_icc_rpr(&m, 0), 0xff);
	/* the level line is still asserted: it comes back */
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
	model_set_line(&m, 0, 40, false);
	model_icc_eoir(&m, 0, 1, 40);
	assert_false(model_phys_is_pending(&m, 0, 40));
	assert_false(model_phys_is_active(&m, 0, 40));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
}

static void test_phys_eoimode1_needs_dir(void **state)
{
	(void)state;
	assert_int_equal(model_icc_ctlr(&m, 0) & 2, 2);
	spi_setup(33, 0x40, false);
	model_set_line(&m, 0, 33, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), 33);
	model_icc_eoir(&m, 0, 1, 33);
	/* priority dropped, still active: the asserted line is held off */
	assert_int_equal(model_icc_rpr(&m, 0), 0xff);
	assert_true(model_phys_is_active(&m, 0, 33));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	model_icc_dir(&m, 0, 33);
	assert_false(model_phys_is_active(&m, 0, 33));
	assert_int_equal(model_icc_iar(&m, 0, 1), 33);
}

static void test_phys_dir_ignored_in_mode0(void **state)
{
	(void)state;
	spi_setup(33, 0x40, true);
	model_set_line(&m, 0, 33, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), 33);
	model_icc_dir(&m, 0, 33);
	assert_true(model_phys_is_active(&m, 0, 33));
	/* EOI of a special INTID is ignored: priority not dropped */
	model_icc_eoir(&m, 0, 1, MODEL_SPURIOUS);
	assert_int_equal(model_icc_rpr(&m, 0), 0x40);
	model_icc_eoir(&m, 0, 1, 33);
	assert_false(model_phys_is_active(&m, 0, 33));
}

static void test_phys_pmr_masking(void **state)
{
	(void)state;
	model_icc_set_pmr(&m, 0, 0xff);
	assert_int_equal(model_icc_pmr(&m, 0), 0xf8); /* 5 bits */
	spi_setup(40, 0x80, true);
	model_set_line(&m, 0, 40, true);
	model_icc_set_pmr(&m, 0, 0x80); /* priority must be < PMR */
	assert_false(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_icc_hppir(&m, 0, 1), 40); /* not masked */
	model_icc_set_pmr(&m, 0, 0x88);
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
}

static void test_phys_priority_order(void **state)
{
	(void)state;
	spi_setup(40, 0x80, true);
	spi_setup(41, 0x20, true);
	spi_setup(42, 0x20, true);
	model_set_line(&m, 0, 40, true);
	model_set_line(&m, 0, 42, true);
	model_set_line(&m, 0, 41, true);
	/* highest priority first; equal priority: lowest INTID */
	assert_int_equal(model_icc_iar(&m, 0, 1), 41);
	model_icc_eoir(&m, 0, 1, 41);
	assert_int_equal(model_icc_iar(&m, 0, 1), 42);
	model_icc_eoir(&m, 0, 1, 42);
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
}

static void test_phys_preemption_bpr(void **state)
{
	(void)state;
	spi_setup(40, 0x48, true);
	spi_setup(41, 0x40, true);
	spi_setup(42, 0x48, true);
	model_set_line(&m, 0, 40, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
	/* same priority never preempts */
	model_set_line(&m, 0, 42, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	/* BPR1 = 5: group priority bits [7:5]; 0x40 and 0x48 share one */
	model_icc_set_bpr(&m, 0, 1, 5);
	model_set_line(&m, 0, 41, true);
	assert_false(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	/* BPR1 at its minimum (3): group bits [7:3], 0x40 preempts 0x48 */
	model_icc_set_bpr(&m, 0, 1, 0);
	assert_int_equal(model_icc_bpr(&m, 0, 1), 3);
	assert_int_equal(model_icc_iar(&m, 0, 1), 41);
	assert_int_equal(model_icc_rpr(&m, 0), 0x40);
	/* nested: EOI drops the most recent, then the first */
	model_icc_eoir(&m, 0, 1, 41);
	assert_int_equal(model_icc_rpr(&m, 0), 0x48);
	model_icc_eoir(&m, 0, 1, 40);
	assert_int_equal(model_icc_rpr(&m, 0), 0xff);
	assert_int_equal(model_icc_iar(&m, 0, 1), 42);
}

static void test_phys_cbpr(void **state)
{
	(void)state;
	/* CBPR: Group 1 uses BPR0, BPR1 reads BPR0 + 1 and ignores writes */
	model_icc_set_ctlr(&m, 0, 1);
	model_icc_set_bpr(&m, 0, 0, 4);
	assert_int_equal(model_icc_bpr(&m, 0, 1), 5);
	model_icc_set_bpr(&m, 0, 1, 7);
	assert_int_equal(model_icc_bpr(&m, 0, 0), 4);
	/* BPR0 = 4: group bits [7:5]; 0x40 does not preempt 0x48 */
	spi_setup(40, 0x48, true);
	spi_setup(41, 0x40, true);
	model_set_line(&m, 0, 40, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
	model_set_line(&m, 0, 41, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
}

static void test_phys_level_vs_latch(void **state)
{
	(void)state;
	spi_setup(40, 0x80, false);
	/* level: ISPENDR latches, ICPENDR cannot clear an asserted line */
	gicd_w(0x204, 4, 1u << 8);
	assert_true(model_phys_is_pending(&m, 0, 40));
	model_set_line(&m, 0, 40, true);
	gicd_w(0x284, 4, 1u << 8);
	assert_true(model_phys_is_pending(&m, 0, 40));
	model_set_line(&m, 0, 40, false);
	assert_false(model_phys_is_pending(&m, 0, 40));
	/* acknowledging clears the latch set by ISPENDR */
	gicd_w(0x204, 4, 1u << 8);
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
	assert_false(model_phys_is_pending(&m, 0, 40));
	model_icc_eoir(&m, 0, 1, 40);

	/* edge: rising edge latches, line going low keeps it pending */
	spi_setup(41, 0x80, true);
	model_set_line(&m, 0, 41, true);
	model_set_line(&m, 0, 41, false);
	assert_true(model_phys_is_pending(&m, 0, 41));
	gicd_w(0x284, 4, 1u << 9);
	assert_false(model_phys_is_pending(&m, 0, 41));
	/* a held line is not a new edge */
	model_set_line(&m, 0, 41, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), 41);
	model_set_line(&m, 0, 41, true);
	assert_false(model_phys_is_pending(&m, 0, 41));
	/* an edge while active: active and pending */
	model_set_line(&m, 0, 41, false);
	model_set_line(&m, 0, 41, true);
	assert_true(model_phys_is_pending(&m, 0, 41));
	assert_true(model_phys_is_active(&m, 0, 41));
	assert_int_equal(gicd_r(0x304, 4), 1u << 9); /* ISACTIVER1 */
	assert_int_equal(gicd_r(0x204, 4), 1u << 9); /* ISPENDR1 */
	model_icc_eoir(&m, 0, 1, 41);
	assert_int_equal(model_icc_iar(&m, 0, 1), 41);
}

static void test_phys_enable_and_group_gating(void **state)
{
	(void)state;
	spi_setup(40, 0x80, true);
	model_set_line(&m, 0, 40, true);
	gicd_w(0x184, 4, 1u << 8); /* ICENABLER */
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	gicd_w(0x104, 4, 1u << 8);
	model_icc_set_igrpen(&m, 0, 1, false);
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	model_icc_set_igrpen(&m, 0, 1, true);
	gicd_w(0x0, 4, 0x1); /* EnableGrp1 off */
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	gicd_w(0x0, 4, 0x3);
	/* Group 0: a FIQ, seen by IAR0 only */
	gicd_w(0x84, 4, 0);
	model_icc_set_igrpen(&m, 0, 0, true);
	assert_false(model_pcpu_irq_line(&m, 0));
	assert_true(model_pcpu_fiq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_icc_hppir(&m, 0, 0), 40);
	assert_int_equal(model_icc_iar(&m, 0, 0), 40);
	assert_int_equal(model_icc_apr(&m, 0, 0, 0), 1u << (0x80 >> 3));
	model_icc_eoir(&m, 0, 0, 40);
	assert_false(model_phys_is_active(&m, 0, 40));
}

static void test_phys_spi_routing(void **state)
{
	(void)state;
	spi_setup(50, 0x80, true);
	gicd_w(0x6000 + 50 * 8, 8, model_pcpu_affinity(&m, 1));
	assert_int_equal(gicd_r(0x6000 + 50 * 8, 8), 1);
	model_set_line(&m, 0, 50, true);
	assert_false(model_pcpu_irq_line(&m, 0));
	assert_true(model_pcpu_irq_line(&m, 1));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_icc_iar(&m, 1, 1), 50);
	model_icc_eoir(&m, 1, 1, 50);
	/* IRM is RES0 (no 1-of-N); 32-bit halves; Aff3 in the upper half */
	gicd_w(0x6000 + 51 * 8, 4, 0x80000001);
	assert_int_equal(gicd_r(0x6000 + 51 * 8, 4), 1);
	gicd_w(0x6000 + 51 * 8 + 4, 4, 0x1ff);
	assert_int_equal(gicd_r(0x6000 + 51 * 8, 8), 0xff00000001ull);
	/* an affinity naming no pCPU: delivered nowhere */
	spi_setup(51, 0x80, true);
	model_set_line(&m, 0, 51, true);
	assert_false(model_pcpu_irq_line(&m, 0));
	assert_false(model_pcpu_irq_line(&m, 1));
	model_phys_route_spi(&m, 51, 0);
	assert_int_equal(model_icc_iar(&m, 0, 1), 51);
	/* IROUTER of a private INTID is reserved: RAZ/WI */
	gicd_w(0x6000 + 8 * 8, 8, 1);
	assert_int_equal(gicd_r(0x6000 + 8 * 8, 8), 0);
}

static void test_phys_sgi1r(void **state)
{
	(void)state;
	ppi_setup(0, 3, 0x80);
	ppi_setup(1, 3, 0x80);
	/* INTID 3, Aff1 0, TargetList {1} */
	model_icc_sgi1r(&m, 0, (3ull << 24) | 0x2);
	assert_false(model_phys_is_pending(&m, 0, 3));
	assert_true(model_phys_is_pending(&m, 1, 3));
	assert_int_equal(model_icc_iar(&m, 1, 1), 3);
	model_icc_eoir(&m, 1, 1, 3);
	/* IRM: every PE but the writer */
	model_icc_sgi1r(&m, 1, (3ull << 24) | (1ull << 40));
	assert_true(model_phys_is_pending(&m, 0, 3));
	assert_false(model_phys_is_pending(&m, 1, 3));
	gicr_w(0, 0x10280, 1u << 3);
	/* wrong Aff1 or RS: nobody */
	model_icc_sgi1r(&m, 0, (3ull << 24) | (1ull << 16) | 0x3);
	model_icc_sgi1r(&m, 0, (3ull << 24) | (1ull << 44) | 0x3);
	assert_false(model_phys_is_pending(&m, 0, 3));
	assert_false(model_phys_is_pending(&m, 1, 3));
	/* SGI1R does not generate a Group 0 SGI; SGI0R does */
	gicr_w(1, 0x10080, ~(1u << 3));
	model_icc_sgi1r(&m, 0, (3ull << 24) | 0x2);
	assert_false(model_phys_is_pending(&m, 1, 3));
	model_icc_sgi0r(&m, 0, (3ull << 24) | 0x2);
	assert_true(model_phys_is_pending(&m, 1, 3));
}

static void test_gicr_sgi_frame(void **state)
{
	(void)state;
	ppi_setup(1, 27, 0xa0);
	assert_int_equal(gicr_r(1, 0x10100, 4), 1u << 27);
	assert_int_equal(gicr_r(0, 0x10100, 4), 0);
	assert_int_equal(gicr_r(1, 0x10418, 4), 0xa0ull << 24);
	assert_int_equal(gicr_r(1, 0x1041b, 1), 0xa0);
	/* PPIs: line of that pCPU only */
	model_set_line(&m, 1, 27, true);
	assert_false(model_phys_is_pending(&m, 0, 27));
	assert_true(model_phys_is_pending(&m, 1, 27));
	assert_int_equal(gicr_r(1, 0x10200, 4), 1u << 27);
	/* SGI configuration is read-only; PPIs can be made edge */
	gicr_w(1, 0x10c00, 0);
	assert_int_equal(gicr_r(1, 0x10c00, 4), 0xaaaaaaaa);
	gicr_w(1, 0x10c04, 2u << 22); /* INTID 27 edge */
	assert_int_equal(gicr_r(1, 0x10c04, 4), 2u << 22);
	/* now edge-triggered, the high line is no longer a pending source */
	assert_false(model_phys_is_pending(&m, 1, 27));
	gicr_w(1, 0x10c04, 0);
	/* a sleeping Redistributor delivers nothing */
	gicr_w(1, 0x14, 0x2);
	assert_int_equal(gicr_r(1, 0x14, 4), 0x6);
	assert_false(model_pcpu_irq_line(&m, 1));
	gicr_w(1, 0x14, 0);
	assert_int_equal(model_icc_iar(&m, 1, 1), 27);
	assert_int_equal(gicr_r(1, 0x10300, 4), 1u << 27);
	gicr_w(1, 0x10380, 1u << 27);
	assert_false(model_phys_is_active(&m, 1, 27));
}

/* ------------------------------------------------ LPI and ITS helpers */

/* Host memory: the LPI tables, the command queue and the ITTs. */
#define MEM_BASE 0x80000000ull
#define MEM_SIZE (1u << 20)
#define PROP_PA MEM_BASE /* 8 KiB: one byte per LPI */
#define PEND_PA(p) (MEM_BASE + 0x10000 * (1 + (uint64_t)(p)))
#define CMDQ_PA (MEM_BASE + 0x40000) /* one 4 KiB page */
#define ITT_PA(d) (MEM_BASE + 0x50000 + 0x1000 * (uint64_t)(d))
#define LPI(n) (8192u + (n))

#define GICR_CTLR 0x0000
#define GICR_SETLPIR 0x0040
#define GICR_CLRLPIR 0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR 0x00a0
#define GICR_INVALLR 0x00b0
#define GICR_SYNCR 0x00c0
#define PTZ (1ull << 62)

#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER 0x0100
#define CBASER_VALID (1ull << 63)

static uint8_t hostmem[MEM_SIZE];
static uint32_t cmd_wr; /* GITS_CWRITER.Offset software wrote last */

static int setup_lpi(void **state)
{
	(void)state;
	init_model(4, 5, false);
	memset(hostmem, 0, sizeof(hostmem));
	model_set_memory(&m, hostmem, MEM_BASE, MEM_SIZE);
	cmd_wr = 0;
	return 0;
}

static int setup_lpi_eoimode1(void **state)
{
	setup_lpi(state);
	model_icc_set_ctlr(&m, 0, 2);
	model_icc_set_ctlr(&m, 1, 2);
	return 0;
}

static void mem_w64(uint64_t pa, uint64_t val)
{
	for (unsigned i = 0; i < 8; i++)
		hostmem[pa - MEM_BASE + i] = (uint8_t)(val >> (8 * i));
}

static uint64_t mem_r64(uint64_t pa)
{
	uint64_t val = 0;

	for (unsigned i = 0; i < 8; i++)
		val |= (uint64_t)hostmem[pa - MEM_BASE + i] << (8 * i);
	return val;
}

/* LPI Configuration table byte: priority [7:2], RES1 [1], enable [0]. */
static void lpi_prop(uint32_t intid, uint8_t prio, bool enable)
{
	hostmem[PROP_PA - MEM_BASE + intid - 8192] =
		(uint8_t)((prio & 0xfc) | 2 | (enable ? 1 : 0));
}

static void gicr_w64(uint32_t pcpu, uint32_t off, uint64_t val)
{
	assert_int_equal(model_gicr_write(&m, pcpu, off, 8, val), VGIC_OK);
}

/* What a host does per Redistributor: both tables, then EnableLPIs. */
static void lpi_enable(uint32_t pcpu, bool ptz)
{
	gicr_w64(pcpu, GICR_PROPBASER, PROP_PA | 13); /* IDbits: 14 bits */
	gicr_w64(pcpu, GICR_PENDBASER, PEND_PA(pcpu) | (ptz ? PTZ : 0));
	gicr_w(pcpu, GICR_CTLR, 1);
}

static void its_w(uint32_t off, unsigned len, uint64_t val)
{
	assert_int_equal(model_its_write(&m, off, len, val), VGIC_OK);
}

static uint64_t its_r(uint32_t off, unsigned len)
{
	uint64_t val;

	assert_int_equal(model_its_read(&m, off, len, &val), VGIC_OK);
	return val;
}

/* An empty one-page command queue, then GITS_CTLR.Enabled. */
static void its_enable(void)
{
	its_w(GITS_CBASER, 8, CBASER_VALID | CMDQ_PA);
	its_w(GITS_CWRITER, 8, 0);
	its_w(GITS_CTLR, 4, 1);
	cmd_wr = 0;
}

/* Queue one command without telling the ITS. */
static void its_queue(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t pa = CMDQ_PA + cmd_wr;

	mem_w64(pa, d0);
	mem_w64(pa + 8, d1);
	mem_w64(pa + 16, d2);
	mem_w64(pa + 24, d3);
	cmd_wr = (cmd_wr + 32) % 0x1000;
}

/* Queue one command and run it: GITS_CWRITER. */
static void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	its_queue(d0, d1, d2, d3);
	its_w(GITS_CWRITER, 8, cmd_wr);
}

static void cmd_mapd(uint32_t dev, unsigned event_bits, bool valid)
{
	its_cmd(0x08 | (uint64_t)dev << 32, event_bits - 1,
		(valid ? 1ull << 63 : 0) | ITT_PA(dev), 0);
}

static void cmd_mapc(uint32_t icid, uint32_t pcpu, bool valid)
{
	its_cmd(0x09, 0, (valid ? 1ull << 63 : 0) | (uint64_t)pcpu << 16 | icid,
		0);
}

static void cmd_mapti(uint32_t dev, uint32_t ev, uint32_t intid, uint32_t icid)
{
	its_cmd(0x0a | (uint64_t)dev << 32, ev | (uint64_t)intid << 32, icid,
		0);
}

/* MAPI (0x0b) and MOVI (0x01): DeviceID, EventID, ICID. */
static void cmd_dev_ev_icid(uint8_t op, uint32_t dev, uint32_t ev,
			    uint32_t icid)
{
	its_cmd(op | (uint64_t)dev << 32, ev, icid, 0);
}

/* INT (0x03), CLEAR (0x04), INV (0x0c), DISCARD (0x0f). */
static void cmd_dev_ev(uint8_t op, uint32_t dev, uint32_t ev)
{
	its_cmd(op | (uint64_t)dev << 32, ev, 0, 0);
}

#define CMD_INT 0x03
#define CMD_CLEAR 0x04
#define CMD_INV 0x0c
#define CMD_DISCARD 0x0f
#define CMD_MAPI 0x0b
#define CMD_MOVI 0x01

static void cmd_movall(uint32_t from, uint32_t to)
{
	its_cmd(0x0e, 0, (uint64_t)from << 16, (uint64_t)to << 16);
}

static void cmd_invall(uint32_t icid)
{
	its_cmd(0x0d, 0, icid, 0);
}

static void cmd_sync(uint32_t pcpu)
{
	its_cmd(0x05, 0, (uint64_t)pcpu << 16, 0);
}

/* The queue has run everything written, without a stall. */
static void its_idle(void)
{
	assert_int_equal(its_r(GITS_CREADR, 8), cmd_wr);
}

/* LPIs on both pCPUs, the ITS on, collection c on pCPU c (c = 0, 1),
 * device 1 with 5 EventID bits (32 events). */
static void its_boot(void)
{
	lpi_enable(0, true);
	lpi_enable(1, true);
	its_enable();
	cmd_mapc(0, 0, true);
	cmd_mapc(1, 1, true);
	cmd_mapd(1, 5, true);
	its_idle();
}

/* ---------------------------------------------------- physical LPIs */

static void test_lpi_registers(void **state)
{
	uint64_t val;

	(void)state;
	assert_int_equal(gicr_r(0, GICR_CTLR, 4), 0);
	assert_int_equal(gicr_r(0, GICR_PROPBASER, 8), 0);
	/* RES0 bits read 0, PTZ is write-only */
	gicr_w64(0, GICR_PROPBASER, ~0ull);
	assert_int_equal(gicr_r(0, GICR_PROPBASER, 8), 0x070fffffffffff9full);
	gicr_w64(0, GICR_PENDBASER, ~0ull);
	assert_int_equal(gicr_r(0, GICR_PENDBASER, 8), 0x070fffffffff0f80ull);
	/* 32-bit halves */
	assert_int_equal(model_gicr_write(&m, 0, GICR_PROPBASER + 4, 4, 0),
			 VGIC_OK);
	assert_int_equal(gicr_r(0, GICR_PROPBASER, 8), 0xffffff9full);
	assert_int_equal(gicr_r(0, GICR_PROPBASER + 4, 4), 0);
	assert_int_equal(model_gicr_read(&m, 0, GICR_PROPBASER, 2, &val),
			 VGIC_EINVAL);
	assert_int_equal(model_gicr_read(&m, 0, GICR_CTLR, 8, &val),
			 VGIC_EINVAL);
	/* write-only registers read 0; GICR_SYNCR.Busy is 0 */
	assert_int_equal(gicr_r(0, GICR_SETLPIR, 8), 0);
	assert_int_equal(gicr_r(0, GICR_INVALLR, 8), 0);
	assert_int_equal(gicr_r(0, GICR_SYNCR, 4), 0);
	/* without EnableLPIs, SETLPIR does nothing */
	gicr_w64(0, GICR_SETLPIR, LPI(0));
	assert_false(model_phys_is_pending(&m, 0, LPI(0)));
	/* EnableLPIs: set once, never cleared (CES == 0); both BASERs
	 * read-only from then on */
	lpi_enable(0, true);
	assert_int_equal(gicr_r(0, GICR_CTLR, 4), 1);
	gicr_w(0, GICR_CTLR, 0);
	assert_int_equal(gicr_r(0, GICR_CTLR, 4), 1);
	gicr_w64(0, GICR_PROPBASER, 0);
	gicr_w64(0, GICR_PENDBASER, 0);
	assert_int_equal(gicr_r(0, GICR_PROPBASER, 8), PROP_PA | 13);
	assert_int_equal(gicr_r(0, GICR_PENDBASER, 8), PEND_PA(0));
	/* the other Redistributor is still off */
	assert_int_equal(gicr_r(1, GICR_CTLR, 4), 0);
}

static void test_lpi_config_needs_inv(void **state)
{
	(void)state;
	lpi_prop(LPI(0), 0x40, true);
	lpi_enable(0, true);
	assert_int_equal(model_lpi_config(&m, LPI(0)), 0x43);
	gicr_w64(0, GICR_SETLPIR, LPI(0));
	assert_true(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(0));
	assert_int_equal(model_icc_rpr(&m, 0), 0x40);
	model_icc_eoir(&m, 0, 1, LPI(0));
	/* disabled in memory: the cached configuration still says enabled */
	lpi_prop(LPI(0), 0x40, false);
	gicr_w64(0, GICR_SETLPIR, LPI(0));
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(0));
	model_icc_eoir(&m, 0, 1, LPI(0));
	/* GICR_INVLPIR reloads it: pending but disabled, not signalled */
	gicr_w64(0, GICR_SETLPIR, LPI(0));
	gicr_w64(0, GICR_INVLPIR, LPI(0));
	assert_int_equal(model_lpi_config(&m, LPI(0)), 0x42);
	assert_true(model_phys_is_pending(&m, 0, LPI(0)));
	assert_int_equal(model_icc_hppir(&m, 0, 1), MODEL_SPURIOUS);
	/* enabled again at another priority: seen after GICR_INVALLR */
	lpi_prop(LPI(0), 0x20, true);
	assert_int_equal(model_icc_hppir(&m, 0, 1), MODEL_SPURIOUS);
	gicr_w64(0, GICR_INVALLR, 0);
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(0));
	assert_int_equal(model_icc_rpr(&m, 0), 0x20);
	model_icc_eoir(&m, 0, 1, LPI(0));
	/* the virtual forms (V == 1) do nothing: no vLPIs */
	lpi_prop(LPI(0), 0x20, false);
	gicr_w64(0, GICR_INVLPIR, (1ull << 63) | LPI(0));
	gicr_w64(0, GICR_INVALLR, 1ull << 63);
	assert_int_equal(model_lpi_config(&m, LPI(0)), 0x23);
	/* a 32-bit write is zero-extended; its upper half alone is ignored */
	assert_int_equal(model_gicr_write(&m, 0, GICR_INVLPIR + 4, 4, LPI(0)),
			 VGIC_OK);
	assert_int_equal(model_lpi_config(&m, LPI(0)), 0x23);
	assert_int_equal(model_gicr_write(&m, 0, GICR_INVLPIR, 4, LPI(0)),
			 VGIC_OK);
	assert_int_equal(model_lpi_config(&m, LPI(0)), 0x22);
	/* a table outside host memory reads as disabled */
	lpi_prop(LPI(0), 0x20, true);
	model_set_memory(&m, hostmem + 0x10000, MEM_BASE + 0x10000,
			 MEM_SIZE - 0x10000);
	gicr_w64(0, GICR_INVALLR, 0);
	assert_int_equal(model_lpi_config(&m, LPI(0)), 0);
}

static void test_lpi_pending_table_load(void **state)
{
	uint8_t *pend0 = hostmem + (PEND_PA(0) - MEM_BASE);
	uint8_t *pend1 = hostmem + (PEND_PA(1) - MEM_BASE);

	(void)state;
	lpi_prop(LPI(5), 0x80, true);
	lpi_prop(LPI(100), 0x60, true);
	/* bit n of the table is INTID n: LPI(5) = byte 1024 bit 5, LPI(100)
	 * = byte 1036 bit 4; the first KiB is not for LPIs */
	pend0[1024] = 1u << 5;
	pend0[1036] = 1u << 4;
	pend0[5] = 0xff;
	pend1[1024] = 1u << 5;
	lpi_enable(0, false);
	assert_true(model_phys_is_pending(&m, 0, LPI(5)));
	assert_true(model_phys_is_pending(&m, 0, LPI(100)));
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(100));
	model_icc_eoir(&m, 0, 1, LPI(100));
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(5));
	model_icc_eoir(&m, 0, 1, LPI(5));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	/* PTZ == 1: the table is taken as zero whatever it holds */
	lpi_enable(1, true);
	assert_false(model_phys_is_pending(&m, 1, LPI(5)));
	assert_int_equal(model_icc_hppir(&m, 1, 1), MODEL_SPURIOUS);
}

static void test_lpi_ack_eoi_priority(void **state)
{
	(void)state;
	lpi_prop(LPI(1), 0x60, true);
	lpi_prop(LPI(2), 0x40, true);
	lpi_enable(0, true);
	spi_setup(40, 0x40, true);
	ppi_setup(0, 20, 0x80);
	model_set_line(&m, 0, 40, true);
	model_phys_set_pending(&m, 0, 20, true);
	model_phys_set_pending(&m, 0, LPI(1), true);
	model_phys_set_pending(&m, 0, LPI(2), true);
	/* equal priority: the SPI (lower INTID) first */
	assert_int_equal(model_icc_hppir(&m, 0, 1), 40);
	assert_int_equal(model_icc_iar(&m, 0, 1), 40);
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	model_icc_eoir(&m, 0, 1, 40);
	/* an acknowledged LPI is neither pending nor active, but its
	 * priority is active until the EOI */
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(2));
	assert_false(model_phys_is_pending(&m, 0, LPI(2)));
	assert_false(model_phys_is_active(&m, 0, LPI(2)));
	assert_int_equal(model_icc_rpr(&m, 0), 0x40);
	assert_int_equal(model_icc_apr(&m, 0, 1, 0), 1u << (0x40 >> 3));
	/* pending again while in service: held off by its own priority */
	model_phys_set_pending(&m, 0, LPI(2), true);
	assert_int_equal(model_icc_hppir(&m, 0, 1), LPI(2));
	assert_false(model_pcpu_irq_line(&m, 0));
	model_icc_eoir(&m, 0, 1, LPI(2));
	assert_int_equal(model_icc_rpr(&m, 0), 0xff);
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(2));
	model_icc_eoir(&m, 0, 1, LPI(2));
	/* LPI(1) (0x60), then the PPI (0x80); a higher priority LPI
	 * preempts the PPI */
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(1));
	model_icc_eoir(&m, 0, 1, LPI(1));
	assert_int_equal(model_icc_iar(&m, 0, 1), 20);
	model_phys_set_pending(&m, 0, LPI(1), true);
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(1));
	assert_int_equal(model_icc_rpr(&m, 0), 0x60);
	model_icc_eoir(&m, 0, 1, LPI(1));
	assert_int_equal(model_icc_rpr(&m, 0), 0x80);
	model_icc_eoir(&m, 0, 1, 20);
	assert_false(model_phys_is_active(&m, 0, 20));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
}

static void test_lpi_eoimode1_dir(void **state)
{
	(void)state;
	lpi_prop(LPI(3), 0x80, true);
	lpi_enable(0, true);
	gicr_w64(0, GICR_SETLPIR, LPI(3));
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(3));
	model_icc_eoir(&m, 0, 1, LPI(3));
	assert_int_equal(model_icc_rpr(&m, 0), 0xff);
	/* nothing to deactivate: taken again without ICC_DIR */
	gicr_w64(0, GICR_SETLPIR, LPI(3));
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(3));
	model_icc_dir(&m, 0, LPI(3));
	assert_int_equal(model_icc_rpr(&m, 0), 0x80);
	model_icc_eoir(&m, 0, 1, LPI(3));
	model_icc_dir(&m, 0, LPI(3));
	assert_int_equal(model_icc_rpr(&m, 0), 0xff);
}

static void test_lpi_gating(void **state)
{
	(void)state;
	lpi_prop(LPI(7), 0x40, true);
	lpi_enable(0, true);
	gicr_w64(0, GICR_SETLPIR, LPI(7));
	/* PMR: hidden from IAR, not from HPPIR */
	model_icc_set_pmr(&m, 0, 0x40);
	assert_false(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_icc_hppir(&m, 0, 1), LPI(7));
	model_icc_set_pmr(&m, 0, 0xff);
	/* Group 1 disabled at the CPU interface or in GICD_CTLR */
	model_icc_set_igrpen(&m, 0, 1, false);
	assert_int_equal(model_icc_hppir(&m, 0, 1), MODEL_SPURIOUS);
	model_icc_set_igrpen(&m, 0, 1, true);
	gicd_w(0x0, 4, 0x1);
	assert_int_equal(model_icc_hppir(&m, 0, 1), MODEL_SPURIOUS);
	gicd_w(0x0, 4, 0x3);
	/* LPIs are Group 1: never a FIQ */
	model_icc_set_igrpen(&m, 0, 0, true);
	assert_false(model_pcpu_fiq_line(&m, 0));
	assert_int_equal(model_icc_hppir(&m, 0, 0), MODEL_SPURIOUS);
	/* a sleeping Redistributor */
	gicr_w(0, 0x14, 0x2);
	assert_false(model_pcpu_irq_line(&m, 0));
	gicr_w(0, 0x14, 0);
	/* GICR_CLRLPIR */
	assert_true(model_pcpu_irq_line(&m, 0));
	gicr_w64(0, GICR_CLRLPIR, LPI(7));
	assert_false(model_phys_is_pending(&m, 0, LPI(7)));
	assert_false(model_pcpu_irq_line(&m, 0));
	/* not LPIs: ignored */
	gicr_w64(0, GICR_SETLPIR, LPI(0) - 1);
	gicr_w64(0, GICR_SETLPIR, LPI(8192));
	assert_false(model_phys_is_pending(&m, 0, LPI(0) - 1));
	assert_false(model_phys_is_pending(&m, 0, LPI(8192)));
	/* a Redistributor without EnableLPIs takes no LPI */
	model_phys_set_pending(&m, 1, LPI(7), true);
	gicr_w64(1, GICR_SETLPIR, LPI(7));
	assert_false(model_phys_is_pending(&m, 1, LPI(7)));
}

/* ----------------------------------------------------- physical ITS */

static void test_its_registers(void **state)
{
	uint64_t val;

	(void)state;
	/* disabled and quiescent; IIDR, PIDR2 ArchRev 3 */
	assert_int_equal(its_r(GITS_CTLR, 4), 1u << 31);
	assert_int_equal(its_r(0x4, 4), 0x43b);
	assert_int_equal(its_r(0xffe8, 4) >> 4 & 0xf, 3);
	/* GITS_TYPER: Physical, 8-byte ITEs, 16 EventID bits, 8 DeviceID
	 * bits, 16 collections in the ITS */
	assert_int_equal(its_r(GITS_TYPER, 8),
			 1 | (7u << 4) | (15u << 8) | (7u << 13) | (16u << 24));
	assert_int_equal(its_r(GITS_TYPER + 4, 4), 0);
	/* GITS_BASER<n> are Type 0: RAZ/WI */
	for (uint32_t n = 0; n < 8; n++) {
		its_w(GITS_BASER + 8 * n, 8, ~0ull);
		assert_int_equal(its_r(GITS_BASER + 8 * n, 8), 0);
	}
	/* GITS_CBASER keeps its fields; halves */
	its_w(GITS_CBASER, 8, ~0ull);
	assert_int_equal(its_r(GITS_CBASER, 8), 0xb8effffffffffcffull);
	its_w(GITS_CBASER + 4, 4, 0);
	assert_int_equal(its_r(GITS_CBASER, 8), 0xfffffcffull);
	its_w(GITS_CBASER, 4, 0);
	/* GITS_CREADR is read-only; GITS_CWRITER keeps Offset only */
	its_w(GITS_CREADR, 8, 0x40);
	assert_int_equal(its_r(GITS_CREADR, 8), 0);
	its_w(GITS_CWRITER, 8, ~0ull);
	assert_int_equal(its_r(GITS_CWRITER, 8), 0xfffe0);
	/* widths, frame */
	assert_int_equal(model_its_read(&m, GITS_CTLR, 8, &val), VGIC_EINVAL);
	assert_int_equal(model_its_read(&m, GITS_TYPER, 2, &val), VGIC_EINVAL);
	assert_int_equal(model_its_read(&m, 0x6, 2, &val), VGIC_EINVAL);
	assert_int_equal(model_its_read(&m, 0x10040, 4, &val), VGIC_ERANGE);
	assert_int_equal(model_its_write(&m, 0x10040, 4, 0), VGIC_ERANGE);
	/* GITS_CBASER is ignored while enabled, and writing it resets
	 * GITS_CREADR */
	its_enable();
	cmd_sync(0);
	assert_int_equal(its_r(GITS_CREADR, 8), 0x20);
	its_w(GITS_CBASER, 8, 0);
	assert_int_equal(its_r(GITS_CBASER, 8), CBASER_VALID | CMDQ_PA);
	its_w(GITS_CTLR, 4, 0);
	assert_int_equal(its_r(GITS_CTLR, 4), 1u << 31);
	its_w(GITS_CBASER, 8, CBASER_VALID | CMDQ_PA);
	assert_int_equal(its_r(GITS_CREADR, 8), 0);
}

static void test_its_map_and_msi(void **state)
{
	(void)state;
	lpi_prop(LPI(10), 0x80, true);
	lpi_prop(LPI(20), 0x80, true);
	its_boot();
	cmd_mapti(1, 3, LPI(10), 1);
	its_idle();
	assert_int_equal(model_its_errors(&m), 0);
	/* the ITE, in host memory */
	assert_int_equal(mem_r64(ITT_PA(1) + 3 * 8),
			 (1ull << 63) | (1ull << 32) | LPI(10));
	/* the MSI: pending at collection 1's Redistributor */
	assert_int_equal(model_its_msi(&m, 1, 3), VGIC_OK);
	assert_false(model_phys_is_pending(&m, 0, LPI(10)));
	assert_true(model_phys_is_pending(&m, 1, LPI(10)));
	assert_int_equal(model_icc_iar(&m, 1, 1), LPI(10));
	model_icc_eoir(&m, 1, 1, LPI(10));
	/* not translated */
	assert_int_equal(model_its_msi(&m, 1, 4), VGIC_ENOENT);	  /* event */
	assert_int_equal(model_its_msi(&m, 1, 32), VGIC_ENOENT);  /* Size */
	assert_int_equal(model_its_msi(&m, 2, 3), VGIC_ENOENT);	  /* device */
	assert_int_equal(model_its_msi(&m, 300, 3), VGIC_ENOENT); /* Devbits */
	its_w(GITS_CTLR, 4, 0);
	assert_int_equal(model_its_msi(&m, 1, 3), VGIC_ENOENT);
	its_w(GITS_CTLR, 4, 1);
	/* MAPI: pINTID = EventID */
	cmd_mapd(2, 14, true);
	cmd_dev_ev_icid(CMD_MAPI, 2, LPI(20), 0);
	its_idle();
	assert_int_equal(model_its_msi(&m, 2, LPI(20)), VGIC_OK);
	assert_true(model_phys_is_pending(&m, 0, LPI(20)));
	/* MAPTI again remaps the event */
	cmd_mapti(1, 3, LPI(20), 0);
	assert_int_equal(model_its_msi(&m, 1, 3), VGIC_OK);
	assert_false(model_phys_is_pending(&m, 1, LPI(10)));
	/* collection unmapped, device unmapped */
	cmd_mapc(0, 0, false);
	assert_int_equal(model_its_msi(&m, 1, 3), VGIC_ENOENT);
	cmd_mapc(0, 0, true);
	cmd_mapd(1, 5, false);
	assert_int_equal(model_its_msi(&m, 1, 3), VGIC_ENOENT);
	its_idle();
	assert_int_equal(model_its_errors(&m), 0);
}

static void test_its_msi_to_disabled_redistributor(void **state)
{
	(void)state;
	lpi_prop(LPI(10), 0x80, true);
	lpi_enable(0, true);
	its_enable();
	cmd_mapc(1, 1, true); /* pCPU 1 has no EnableLPIs */
	cmd_mapd(1, 5, true);
	cmd_mapti(1, 0, LPI(10), 1);
	its_idle();
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_EPERM);
	assert_false(model_phys_is_pending(&m, 1, LPI(10)));
	/* an ITE outside host memory */
	model_set_memory(&m, NULL, 0, 0);
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_ERANGE);
}

static void test_its_movi(void **state)
{
	(void)state;
	lpi_prop(LPI(10), 0x80, true);
	its_boot();
	cmd_mapti(1, 0, LPI(10), 0);
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_OK);
	assert_true(model_phys_is_pending(&m, 0, LPI(10)));
	/* the pending LPI follows the event to pCPU 1 */
	cmd_dev_ev_icid(CMD_MOVI, 1, 0, 1);
	its_idle();
	assert_false(model_phys_is_pending(&m, 0, LPI(10)));
	assert_true(model_phys_is_pending(&m, 1, LPI(10)));
	assert_false(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 1, 1), LPI(10));
	model_icc_eoir(&m, 1, 1, LPI(10));
	assert_int_equal(mem_r64(ITT_PA(1)),
			 (1ull << 63) | (1ull << 32) | LPI(10));
	/* and so do later MSIs */
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_OK);
	assert_true(model_phys_is_pending(&m, 1, LPI(10)));
	/* not pending: nothing to move */
	gicr_w64(1, GICR_CLRLPIR, LPI(10));
	cmd_dev_ev_icid(CMD_MOVI, 1, 0, 0);
	assert_false(model_phys_is_pending(&m, 0, LPI(10)));
	assert_false(model_phys_is_pending(&m, 1, LPI(10)));
	/* to an unmapped collection: ignored, the event stays */
	cmd_dev_ev_icid(CMD_MOVI, 1, 0, 5);
	assert_int_equal(model_its_last_error(&m), 0x010109);
	assert_int_equal(mem_r64(ITT_PA(1)), (1ull << 63) | LPI(10));
	its_idle();
}

static void test_its_movall(void **state)
{
	(void)state;
	lpi_prop(LPI(10), 0x80, true);
	lpi_prop(LPI(11), 0x80, true);
	lpi_prop(LPI(12), 0x80, true);
	its_boot();
	cmd_mapti(1, 0, LPI(10), 0);
	cmd_mapti(1, 1, LPI(11), 0);
	cmd_mapti(1, 2, LPI(12), 1);
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_OK);
	assert_int_equal(model_its_msi(&m, 1, 1), VGIC_OK);
	assert_int_equal(model_its_msi(&m, 1, 2), VGIC_OK);
	/* what a host does when pCPU 0 goes: remap, then move */
	cmd_mapc(0, 1, true);
	cmd_movall(0, 1);
	its_idle();
	for (uint32_t n = 10; n <= 12; n++) {
		assert_false(model_phys_is_pending(&m, 0, LPI(n)));
		assert_true(model_phys_is_pending(&m, 1, LPI(n)));
	}
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_OK);
	assert_false(model_phys_is_pending(&m, 0, LPI(10)));
	/* RDbase not a pCPU */
	cmd_movall(0, 7);
	assert_int_equal(model_its_last_error(&m), 0x010e01);
	assert_int_equal(model_its_errors(&m), 1);
}

static void test_its_discard(void **state)
{
	(void)state;
	lpi_prop(LPI(10), 0x80, true);
	its_boot();
	cmd_mapti(1, 4, LPI(10), 0);
	assert_int_equal(model_its_msi(&m, 1, 4), VGIC_OK);
	cmd_dev_ev(CMD_DISCARD, 1, 4);
	its_idle();
	assert_int_equal(model_its_errors(&m), 0);
	assert_false(model_phys_is_pending(&m, 0, LPI(10)));
	assert_int_equal(mem_r64(ITT_PA(1) + 4 * 8), 0);
	assert_int_equal(model_its_msi(&m, 1, 4), VGIC_ENOENT);
	/* again: the event is no longer mapped */
	cmd_dev_ev(CMD_DISCARD, 1, 4);
	assert_int_equal(model_its_last_error(&m), 0x010f07);
}

static void test_its_int_clear(void **state)
{
	(void)state;
	lpi_prop(LPI(10), 0x80, true);
	its_boot();
	cmd_mapti(1, 0, LPI(10), 1);
	cmd_dev_ev(CMD_INT, 1, 0);
	assert_true(model_phys_is_pending(&m, 1, LPI(10)));
	assert_true(model_pcpu_irq_line(&m, 1));
	cmd_dev_ev(CMD_CLEAR, 1, 0);
	assert_false(model_phys_is_pending(&m, 1, LPI(10)));
	assert_false(model_pcpu_irq_line(&m, 1));
	its_idle();
	assert_int_equal(model_its_errors(&m), 0);
	/* events not mapped */
	cmd_dev_ev(CMD_INT, 1, 1);
	assert_int_equal(model_its_last_error(&m), 0x010307);
	cmd_dev_ev(CMD_CLEAR, 1, 1);
	assert_int_equal(model_its_last_error(&m), 0x010407);
	/* collection not mapped */
	cmd_mapc(1, 1, false);
	cmd_dev_ev(CMD_INT, 1, 0);
	assert_int_equal(model_its_last_error(&m), 0x010309);
	assert_false(model_phys_is_pending(&m, 1, LPI(10)));
	assert_int_equal(model_its_errors(&m), 3);
}

static void test_its_inv_invall(void **state)
{
	(void)state;
	lpi_prop(LPI(10), 0x80, true);
	lpi_prop(LPI(11), 0x80, true);
	its_boot();
	cmd_mapti(1, 0, LPI(10), 0);
	cmd_mapti(1, 1, LPI(11), 0);
	/* masked in memory: delivered until INV */
	lpi_prop(LPI(10), 0x80, false);
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_OK);
	assert_int_equal(model_icc_hppir(&m, 0, 1), LPI(10));
	cmd_dev_ev(CMD_INV, 1, 0);
	assert_int_equal(model_lpi_config(&m, LPI(10)), 0x82);
	assert_true(model_phys_is_pending(&m, 0, LPI(10)));
	assert_int_equal(model_icc_hppir(&m, 0, 1), MODEL_SPURIOUS);
	/* INV of another event leaves LPI(10) alone */
	lpi_prop(LPI(10), 0x20, true);
	cmd_dev_ev(CMD_INV, 1, 1);
	assert_int_equal(model_icc_hppir(&m, 0, 1), MODEL_SPURIOUS);
	/* INVALL reloads every configuration */
	cmd_invall(0);
	assert_int_equal(model_lpi_config(&m, LPI(10)), 0x23);
	assert_int_equal(model_icc_iar(&m, 0, 1), LPI(10));
	assert_int_equal(model_icc_rpr(&m, 0), 0x20);
	model_icc_eoir(&m, 0, 1, LPI(10));
	its_idle();
	assert_int_equal(model_its_errors(&m), 0);
	cmd_invall(7);
	assert_int_equal(model_its_last_error(&m), 0x010d09);
	cmd_invall(16);
	assert_int_equal(model_its_last_error(&m), 0x010d03);
	cmd_dev_ev(CMD_INV, 1, 2);
	assert_int_equal(model_its_last_error(&m), 0x010c07);
}

/* Every parameter error: the command is skipped, counted, and the queue
 * goes on. */
static void test_its_errors_ignored(void **state)
{
	static const struct {
		uint64_t cmd[4];
		uint32_t code;
	} bad[] = {
		{{0x08 | 256ull << 32, 4, 1ull << 63, 0}, 0x010801}, /* MAPD */
		{{0x08 | 2ull << 32, 16, 1ull << 63, 0}, 0x010802},
		{{0x09, 0, 1ull << 63 | 16, 0}, 0x010903}, /* MAPC */
		{{0x09, 0, 1ull << 63 | 2ull << 16, 0}, 0x010902},
		{{0x0a | 3ull << 32, LPI(1) * 1ull << 32, 0, 0}, 0x010a04},
		{{0x0a | 1ull << 32, 32 | LPI(1) * 1ull << 32, 0, 0}, 0x010a05},
		{{0x0a | 1ull << 32, 0 | 100ull << 32, 0, 0}, 0x010a06},
		{{0x0a | 1ull << 32, 0 | LPI(8192) * 1ull << 32, 0, 0},
		 0x010a06},
		{{0x0a | 1ull << 32, 0 | LPI(1) * 1ull << 32, 16, 0}, 0x010a03},
		{{0x0b | 1ull << 32, 5, 0, 0}, 0x010b06},   /* MAPI */
		{{0x01 | 1ull << 32, 9, 0, 0}, 0x010107},   /* MOVI */
		{{0x05, 0, 9ull << 16, 0}, 0x010502},	    /* SYNC */
		{{0x29, 0, 0, 0}, 0x0129ff},		    /* VMAPP */
		{{0x0c | 1ull << 32, 40, 0, 0}, 0x010c05},  /* INV */
		{{0x0f | 300ull << 32, 0, 0, 0}, 0x010f01}, /* DISCARD */
	};
	size_t n = sizeof(bad) / sizeof(bad[0]);

	(void)state;
	its_boot();
	for (size_t i = 0; i < n; i++) {
		its_cmd(bad[i].cmd[0], bad[i].cmd[1], bad[i].cmd[2],
			bad[i].cmd[3]);
		assert_int_equal(model_its_last_error(&m), bad[i].code);
		assert_int_equal(model_its_errors(&m), i + 1);
		its_idle();
	}
	/* nothing was changed: device 2 and collection 16 do not exist */
	assert_int_equal(model_its_msi(&m, 2, 0), VGIC_ENOENT);
	/* a good command still works, and SYNC of a pCPU is no error */
	lpi_prop(LPI(1), 0x80, true);
	gicr_w64(0, GICR_INVALLR, 0);
	cmd_mapti(1, 0, LPI(1), 0);
	cmd_sync(1);
	its_idle();
	assert_int_equal(model_its_errors(&m), n);
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_OK);
}

static void test_its_memory_error_stall_retry(void **state)
{
	uint32_t at;

	(void)state;
	/* host memory ends below device 3's ITT */
	model_set_memory(&m, hostmem, MEM_BASE, ITT_PA(3) - MEM_BASE);
	lpi_prop(LPI(1), 0x80, true);
	its_boot();
	cmd_mapd(3, 5, true); /* MAPD does not touch the ITT */
	its_idle();
	/* MAPTI cannot write the ITE: the queue stalls at it */
	at = cmd_wr;
	cmd_mapti(3, 0, LPI(1), 0);
	assert_int_equal(its_r(GITS_CREADR, 8), at | 1);
	assert_int_equal(model_its_errors(&m), 0);
	/* more commands wait; GITS_CWRITER alone does not restart */
	cmd_mapc(2, 1, true);
	assert_int_equal(its_r(GITS_CREADR, 8), at | 1);
	assert_int_equal(model_its_msi(&m, 3, 0), VGIC_ERANGE);
	/* with the memory there, Retry runs both */
	model_set_memory(&m, hostmem, MEM_BASE, MEM_SIZE);
	its_w(GITS_CWRITER, 8, cmd_wr | 1);
	its_idle();
	assert_int_equal(model_its_msi(&m, 3, 0), VGIC_OK);
	assert_true(model_phys_is_pending(&m, 0, LPI(1)));
	cmd_dev_ev_icid(CMD_MOVI, 3, 0, 2); /* collection 2 is mapped now */
	its_idle();
	assert_true(model_phys_is_pending(&m, 1, LPI(1)));
	assert_int_equal(model_its_errors(&m), 0);

	/* a command queue outside host memory */
	its_w(GITS_CTLR, 4, 0);
	its_w(GITS_CBASER, 8, CBASER_VALID | (MEM_BASE + MEM_SIZE));
	its_w(GITS_CWRITER, 8, 0x20);
	its_w(GITS_CTLR, 4, 1);
	assert_int_equal(its_r(GITS_CREADR, 8), 1);
	its_w(GITS_CWRITER, 8, 0x20 | 1);
	assert_int_equal(its_r(GITS_CREADR, 8), 1);
	/* back in memory: rewriting GITS_CBASER clears the stall */
	its_w(GITS_CTLR, 4, 0);
	its_w(GITS_CBASER, 8, CBASER_VALID | CMDQ_PA);
	assert_int_equal(its_r(GITS_CREADR, 8), 0);
	its_w(GITS_CWRITER, 8, 0);
	its_w(GITS_CTLR, 4, 1);
	cmd_wr = 0;
	cmd_sync(0);
	its_idle();

	/* GITS_CWRITER beyond the one-page queue stalls too */
	its_w(GITS_CWRITER, 8, 0x1000);
	assert_int_equal(its_r(GITS_CREADR, 8), cmd_wr | 1);
	its_w(GITS_CWRITER, 8, cmd_wr | 1);
	its_idle();
}

static void test_its_queue_disabled_and_wrap(void **state)
{
	(void)state;
	lpi_prop(LPI(1), 0x80, true);
	lpi_enable(0, true);
	/* queued while disabled: run when enabled */
	its_w(GITS_CBASER, 8, CBASER_VALID | CMDQ_PA);
	its_w(GITS_CWRITER, 8, 0);
	cmd_mapc(0, 0, true);
	cmd_mapd(1, 5, true);
	cmd_mapti(1, 0, LPI(1), 0);
	assert_int_equal(its_r(GITS_CREADR, 8), 0);
	its_w(GITS_CTLR, 4, 1);
	its_idle();
	assert_int_equal(model_its_msi(&m, 1, 0), VGIC_OK);
	gicr_w64(0, GICR_CLRLPIR, LPI(1));
	/* 130 commands through a 128-command queue: GITS_CREADR wraps */
	for (unsigned i = 0; i < 130; i++)
		cmd_sync(i % 2);
	its_idle();
	assert_int_equal(its_r(GITS_CREADR, 8), (3 + 130) * 32 % 0x1000);
	assert_int_equal(model_its_errors(&m), 0);
	/* several commands queued, then one GITS_CWRITER write (32-bit) */
	its_queue(0x03 | 1ull << 32, 0, 0, 0); /* INT */
	its_queue(0x05, 0, 0, 0);	       /* SYNC */
	assert_int_equal(model_its_write(&m, GITS_CWRITER, 4, cmd_wr), VGIC_OK);
	its_idle();
	assert_true(model_phys_is_pending(&m, 0, LPI(1)));
}

/* -------------------------------------------------- virtual interface */

static void test_v_ack_eoi_invalidates(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	assert_int_equal(model_ich_elrsr(&m, 0), 0xf);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	assert_int_equal(model_ich_elrsr(&m, 0), 0xe);
	assert_true(model_guest_irq_line(&m, 0));
	assert_false(model_guest_fiq_line(&m, 0));
	assert_int_equal(model_guest_hppir(&m, 0, 1), 40);
	assert_int_equal(model_guest_ack(&m, 0, 0), MODEL_SPURIOUS);
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	assert_int_equal(lr_state(0, 0), VGIC_LR_ACTIVE);
	assert_int_equal(model_ich_apr(&m, 0, 1, 0), 1u << (0xa0 >> 3));
	assert_int_equal(model_guest_rpr(&m, 0), 0xa0);
	assert_false(model_guest_irq_line(&m, 0));
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	model_guest_eoi(&m, 0, 1, 40);
	assert_int_equal(lr_state(0, 0), 0);
	assert_int_equal(model_ich_apr(&m, 0, 1, 0), 0);
	assert_int_equal(model_guest_rpr(&m, 0), 0xff);
	assert_int_equal(model_ich_elrsr(&m, 0), 0xf);
	assert_int_equal(model_ich_eisr(&m, 0), 0);
	assert_int_equal(model_ich_misr(&m, 0), 0);
	assert_int_equal(model_ich_hcr(&m, 0) & VGIC_HCR_EOICOUNT_MASK, 0);
}

static void test_v_veoim_needs_dir(void **state)
{
	(void)state;
	vsetup(0, 0, VGIC_VMCR_VEOIM);
	assert_int_equal(model_guest_ctlr(&m, 0) & 2, 2);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	model_guest_eoi(&m, 0, 1, 40);
	assert_int_equal(model_guest_rpr(&m, 0), 0xff);
	assert_int_equal(lr_state(0, 0), VGIC_LR_ACTIVE);
	assert_false(model_guest_dir(&m, 0, 40));
	assert_int_equal(lr_state(0, 0), 0);
	assert_int_equal(model_ich_hcr(&m, 0) & VGIC_HCR_EOICOUNT_MASK, 0);
	/* ICV_CTLR writes land in VMCR */
	model_guest_set_ctlr(&m, 0, 0);
	assert_int_equal(model_ich_vmcr(&m, 0) & VGIC_VMCR_VEOIM, 0);
}

static void test_v_dir_ignored_without_veoim(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_ACTIVE));
	assert_false(model_guest_dir(&m, 0, 40));
	assert_int_equal(lr_state(0, 0), VGIC_LR_ACTIVE);
}

static void test_v_hw_deactivates_physical(void **state)
{
	(void)state;
	/* host takes SPI 48 with EOImode 1 and leaves it active */
	spi_setup(48, 0x80, false);
	model_set_line(&m, 0, 48, true);
	assert_int_equal(model_icc_iar(&m, 0, 1), 48);
	model_icc_eoir(&m, 0, 1, 48);
	assert_true(model_phys_is_active(&m, 0, 48));
	assert_false(model_pcpu_irq_line(&m, 0));
	/* forwarded to the guest as vINTID 48 */
	vsetup(0, 0, 0);
	model_ich_set_lr(&m, 0, 0, lr_hw(48, 48, 0xa0, VGIC_LR_PENDING));
	assert_int_equal(model_guest_ack(&m, 0, 1), 48);
	assert_true(model_phys_is_active(&m, 0, 48));
	model_guest_eoi(&m, 0, 1, 48);
	assert_int_equal(lr_state(0, 0), 0);
	assert_false(model_phys_is_active(&m, 0, 48));
	/* no EOI maintenance for HW LRs; the line is still high so the
	 * host sees the physical interrupt again */
	assert_int_equal(model_ich_eisr(&m, 0), 0);
	assert_int_equal(model_ich_elrsr(&m, 0), 0xf);
	assert_true(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 0, 1), 48);
}

static void test_v_hw_ppi_uses_own_redistributor(void **state)
{
	(void)state;
	ppi_setup(0, 27, 0x80);
	ppi_setup(1, 27, 0x80);
	model_phys_set_active(&m, 0, 27, true);
	model_phys_set_active(&m, 1, 27, true);
	vsetup(1, 0, VGIC_VMCR_VEOIM);
	model_ich_set_lr(&m, 1, 2, lr_hw(27, 27, 0x80, VGIC_LR_PENDING));
	assert_int_equal(model_guest_ack(&m, 1, 1), 27);
	model_guest_eoi(&m, 1, 1, 27);
	assert_true(model_phys_is_active(&m, 1, 27)); /* VEOIM: drop only */
	assert_false(model_guest_dir(&m, 1, 27));
	assert_false(model_phys_is_active(&m, 1, 27));
	assert_true(model_phys_is_active(&m, 0, 27));
}

static void test_v_eoi_maintenance(void **state)
{
	(void)state;
	ppi_setup(0, MODEL_MAINT_INTID, 0x00);
	vsetup(0, 0, 0);
	model_ich_set_lr(&m, 0, 1,
			 lr_make(40, 0xa0, 1, VGIC_LR_PENDING) | VGIC_LR_EOI);
	assert_int_equal(model_ich_misr(&m, 0), 0);
	assert_false(model_phys_is_pending(&m, 0, MODEL_MAINT_INTID));
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	model_guest_eoi(&m, 0, 1, 40);
	assert_int_equal(lr_state(0, 1), 0);
	assert_int_equal(model_ich_eisr(&m, 0), 1u << 1);
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_EOI);
	/* not empty until the host clears the EOI request */
	assert_int_equal(model_ich_elrsr(&m, 0), 0xd);
	/* maintenance interrupt: level PPI 25, taken by the host */
	assert_true(model_phys_line(&m, 0, MODEL_MAINT_INTID));
	assert_true(model_pcpu_irq_line(&m, 0));
	assert_int_equal(model_icc_iar(&m, 0, 1), MODEL_MAINT_INTID);
	model_icc_eoir(&m, 0, 1, MODEL_MAINT_INTID);
	model_ich_set_lr(&m, 0, 1, 0);
	assert_int_equal(model_ich_misr(&m, 0), 0);
	assert_false(model_phys_line(&m, 0, MODEL_MAINT_INTID));
	model_icc_dir(&m, 0, MODEL_MAINT_INTID);
	assert_false(model_pcpu_irq_line(&m, 0));
}

static void test_v_maintenance_needs_en(void **state)
{
	(void)state;
	model_ich_set_hcr(&m, 0, VGIC_HCR_NPIE);
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_NP);
	assert_false(model_phys_line(&m, 0, MODEL_MAINT_INTID));
	model_ich_set_hcr(&m, 0, VGIC_HCR_NPIE | VGIC_HCR_EN);
	assert_true(model_phys_line(&m, 0, MODEL_MAINT_INTID));
	/* En == 0 also stops virtual interrupts being signalled */
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	model_ich_set_vmcr(&m, 0, VGIC_VMCR_VENG1 | VGIC_VMCR_VPMR_MASK);
	model_ich_set_hcr(&m, 0, 0);
	assert_false(model_guest_irq_line(&m, 0));
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
}

static void test_v_underflow(void **state)
{
	(void)state;
	vsetup(0, VGIC_HCR_UIE, 0);
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_U); /* 0 valid */
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	model_ich_set_lr(&m, 0, 1, lr_make(41, 0xa0, 1, VGIC_LR_PENDING));
	assert_int_equal(model_ich_misr(&m, 0), 0);
	assert_false(model_phys_line(&m, 0, MODEL_MAINT_INTID));
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	assert_int_equal(model_ich_misr(&m, 0), 0); /* active is valid */
	model_guest_eoi(&m, 0, 1, 40);
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_U);
	assert_true(model_phys_line(&m, 0, MODEL_MAINT_INTID));
}

static void test_v_no_pending(void **state)
{
	(void)state;
	vsetup(0, VGIC_HCR_NPIE, 0);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	model_ich_set_lr(&m, 0, 1, lr_make(41, 0xa0, 1, VGIC_LR_ACTIVE));
	assert_int_equal(model_ich_misr(&m, 0), 0);
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_NP);
	assert_true(model_phys_line(&m, 0, MODEL_MAINT_INTID));
	/* pending and active is not the pending state (ICH_MISR_EL2.NP) */
	model_ich_set_lr(
		&m, 0, 1,
		lr_make(41, 0xa0, 1, VGIC_LR_ACTIVE | VGIC_LR_PENDING));
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_NP);
}

static void test_v_eoicount_lrenp(void **state)
{
	(void)state;
	/* the guest runs vINTID 99 that is no longer in any LR: the host
	 * left its active priority in ICH_AP1R0 */
	vsetup(0, 0, 0);
	model_ich_set_apr(&m, 0, 1, 0, 1u << (0x90 >> 3));
	assert_int_equal(model_guest_rpr(&m, 0), 0x90);
	model_guest_eoi(&m, 0, 1, 99);
	assert_int_equal(model_guest_rpr(&m, 0), 0xff);
	assert_int_equal((model_ich_hcr(&m, 0) & VGIC_HCR_EOICOUNT_MASK) >>
				 VGIC_HCR_EOICOUNT_SHIFT,
			 1);
	assert_int_equal(model_ich_misr(&m, 0), 0); /* LRENPIE clear */
	model_ich_set_hcr(&m, 0, model_ich_hcr(&m, 0) | VGIC_HCR_LRENPIE);
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_LRENP);
	assert_true(model_phys_line(&m, 0, MODEL_MAINT_INTID));
	/* an EOI that drops no priority is not counted */
	model_guest_eoi(&m, 0, 1, 99);
	assert_int_equal(model_ich_hcr(&m, 0) >> VGIC_HCR_EOICOUNT_SHIFT, 1);
	/* host acknowledges by clearing EOIcount */
	model_ich_set_hcr(&m, 0, VGIC_HCR_EN | VGIC_HCR_LRENPIE);
	assert_int_equal(model_ich_misr(&m, 0), 0);
	assert_false(model_phys_line(&m, 0, MODEL_MAINT_INTID));
}

static void test_v_eoicount_split_mode(void **state)
{
	(void)state;
	vsetup(0, 0, VGIC_VMCR_VEOIM);
	model_ich_set_apr(&m, 0, 1, 0, 1u << (0x90 >> 3));
	/* EOImode 1: EOIR only drops priority, nothing to count */
	model_guest_eoi(&m, 0, 1, 99);
	assert_int_equal(model_ich_hcr(&m, 0) & VGIC_HCR_EOICOUNT_MASK, 0);
	/* the DIR that finds no LR is counted */
	assert_false(model_guest_dir(&m, 0, 99));
	assert_int_equal(model_ich_hcr(&m, 0) >> VGIC_HCR_EOICOUNT_SHIFT, 1);
}

static void test_v_eoicount_wraps(void **state)
{
	(void)state;
	vsetup(0, VGIC_HCR_EOICOUNT_MASK, VGIC_VMCR_VEOIM);
	assert_int_equal(model_ich_hcr(&m, 0) >> VGIC_HCR_EOICOUNT_SHIFT, 31);
	assert_false(model_guest_dir(&m, 0, 99));
	assert_int_equal(model_ich_hcr(&m, 0), VGIC_HCR_EN); /* wrapped to 0 */
}

static void test_v_tdir_traps(void **state)
{
	(void)state;
	vsetup(0, VGIC_HCR_TDIR, VGIC_VMCR_VEOIM);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	model_guest_eoi(&m, 0, 1, 40);
	assert_true(model_guest_dir(&m, 0, 40));
	assert_int_equal(lr_state(0, 0), VGIC_LR_ACTIVE);
	assert_true(model_guest_dir(&m, 0, 99));
	assert_int_equal(model_ich_hcr(&m, 0) & VGIC_HCR_EOICOUNT_MASK, 0);
}

static void test_v_elrsr_eisr(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	model_ich_set_lr(&m, 0, 1, lr_make(41, 0xa0, 1, 0) | VGIC_LR_EOI);
	model_ich_set_lr(&m, 0, 2, lr_hw(42, 42, 0xa0, 0));
	model_ich_set_lr(&m, 0, 3, lr_make(43, 0xa0, 1, VGIC_LR_ACTIVE));
	assert_int_equal(model_ich_elrsr(&m, 0), 1u << 2);
	assert_int_equal(model_ich_eisr(&m, 0), 1u << 1);
	assert_int_equal(model_ich_misr(&m, 0), VGIC_MISR_EOI);
}

static void test_v_lr_ordering_and_pmr(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xc0, 1, VGIC_LR_PENDING));
	model_ich_set_lr(&m, 0, 1, lr_make(41, 0x60, 1, VGIC_LR_PENDING));
	model_ich_set_lr(&m, 0, 2, lr_make(42, 0x60, 1, VGIC_LR_PENDING));
	model_guest_set_pmr(&m, 0, 0x60);
	assert_int_equal(model_guest_pmr(&m, 0), 0x60);
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_guest_hppir(&m, 0, 1), 41);
	model_guest_set_pmr(&m, 0, 0xff);
	assert_int_equal(model_guest_pmr(&m, 0), 0xf8);
	/* equal priority: lowest LR first; same priority does not preempt */
	assert_int_equal(model_guest_ack(&m, 0, 1), 41);
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	model_guest_eoi(&m, 0, 1, 41);
	assert_int_equal(model_guest_ack(&m, 0, 1), 42);
	/* 0xc0 is lower priority than running 0x60 */
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	model_guest_eoi(&m, 0, 1, 42);
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
}

static void test_v_preemption_vbpr1(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	assert_int_equal(model_guest_bpr(&m, 0, 1), 3); /* clamped minimum */
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0x48, 1, VGIC_LR_PENDING));
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	model_ich_set_lr(&m, 0, 1, lr_make(41, 0x40, 1, VGIC_LR_PENDING));
	/* VBPR1 = 5: 0x40 and 0x48 are one group priority */
	model_guest_set_bpr(&m, 0, 1, 5);
	assert_int_equal(model_guest_bpr(&m, 0, 1), 5);
	assert_false(model_guest_irq_line(&m, 0));
	model_guest_set_bpr(&m, 0, 1, 3);
	assert_true(model_guest_irq_line(&m, 0));
	assert_int_equal(model_guest_ack(&m, 0, 1), 41);
	assert_int_equal(model_ich_apr(&m, 0, 1, 0),
			 (1u << (0x48 >> 3)) | (1u << (0x40 >> 3)));
	model_guest_eoi(&m, 0, 1, 41);
	assert_int_equal(model_guest_rpr(&m, 0), 0x48);
	assert_int_equal(lr_state(0, 1), 0);
	assert_int_equal(lr_state(0, 0), VGIC_LR_ACTIVE);
	/* VCBPR: BPR1 reads VBPR0 + 1, writes ignored */
	model_guest_set_ctlr(&m, 0, 1);
	model_guest_set_bpr(&m, 0, 0, 4);
	assert_int_equal(model_guest_bpr(&m, 0, 1), 5);
	model_guest_set_bpr(&m, 0, 1, 7);
	assert_int_equal((model_ich_vmcr(&m, 0) & VGIC_VMCR_VBPR1_MASK) >>
				 VGIC_VMCR_VBPR1_SHIFT,
			 3);
}

static void test_v_group0(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 0, VGIC_LR_PENDING));
	assert_true(model_guest_fiq_line(&m, 0));
	assert_false(model_guest_irq_line(&m, 0));
	assert_int_equal(model_guest_hppir(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_guest_hppir(&m, 0, 0), 40);
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	/* VENG0 gates Group 0 */
	model_guest_set_igrpen(&m, 0, 0, false);
	assert_false(model_guest_igrpen(&m, 0, 0));
	assert_int_equal(model_guest_ack(&m, 0, 0), MODEL_SPURIOUS);
	model_guest_set_igrpen(&m, 0, 0, true);
	assert_int_equal(model_guest_ack(&m, 0, 0), 40);
	assert_int_equal(model_ich_apr(&m, 0, 0, 0), 1u << (0xa0 >> 3));
	assert_int_equal(model_ich_apr(&m, 0, 1, 0), 0);
	model_guest_eoi(&m, 0, 0, 40);
	assert_int_equal(lr_state(0, 0), 0);
	/* BPR0 minimum is 7 - 5 = 2 */
	model_guest_set_bpr(&m, 0, 0, 0);
	assert_int_equal(model_guest_bpr(&m, 0, 0), 2);
}

static void test_v_group1_disabled(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	model_guest_set_igrpen(&m, 0, 1, false);
	model_ich_set_lr(&m, 0, 0, lr_make(40, 0xa0, 1, VGIC_LR_PENDING));
	assert_int_equal(model_guest_hppir(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	model_guest_set_igrpen(&m, 0, 1, true);
	assert_true(model_guest_igrpen(&m, 0, 1));
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
}

static void test_v_8bit_priorities(void **state)
{
	(void)state;
	init_model(16, 8, false);
	/* 8 bits: 7 preemption bits, 128 levels over ICH_AP1R0..3 */
	assert_int_equal(model_ich_vtr(&m) >> 26, (7u << 3 | 6u));
	vsetup(0, 0, 0);
	assert_int_equal(model_guest_pmr(&m, 0), 0xff);
	assert_int_equal(model_guest_bpr(&m, 0, 0), 0);
	assert_int_equal(model_guest_bpr(&m, 0, 1), 1);
	model_ich_set_lr(&m, 0, 15, lr_make(40, 0xc2, 1, VGIC_LR_PENDING));
	model_ich_set_lr(&m, 0, 3, lr_make(41, 0xc1, 1, VGIC_LR_PENDING));
	assert_int_equal(model_guest_ack(&m, 0, 1), 41);
	/* 0xc1 >> 1 = 96: register 3, bit 0 */
	assert_int_equal(model_ich_apr(&m, 0, 1, 3), 1);
	assert_int_equal(model_guest_rpr(&m, 0), 0xc0);
	/* 0xc2 has group priority 0xc2 > 0xc0: no preemption */
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	model_guest_eoi(&m, 0, 1, 41);
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	assert_int_equal(model_ich_apr(&m, 0, 1, 3), 2);
}

static void test_v_lr_res0_bits(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	/* 5 priority bits; HW == 0: pINTID field holds only EOI */
	model_ich_set_lr(&m, 0, 0,
			 lr_make(40, 0xff, 1, VGIC_LR_PENDING) |
				 (0x3ffull << 32));
	assert_int_equal(model_ich_lr(&m, 0, 0),
			 lr_make(40, 0xf8, 1, VGIC_LR_PENDING) | VGIC_LR_EOI);
	model_ich_set_lr(&m, 0, 0, lr_hw(40, 0x1abc, 0xa0, VGIC_LR_PENDING));
	assert_int_equal(model_ich_lr(&m, 0, 0),
			 lr_hw(40, 0x1abc, 0xa0, VGIC_LR_PENDING));
}

static void test_v_load_save(void **state)
{
	struct vgic_cpu_if in = {0}, out;

	(void)state;
	in.nr_lrs_used = 2;
	in.lr[0] = lr_make(40, 0xa0, 1, VGIC_LR_PENDING) | VGIC_LR_EOI;
	in.lr[1] = lr_hw(41, 41, 0x80, VGIC_LR_ACTIVE);
	in.lr[2] = lr_make(42, 0xa0, 1, VGIC_LR_PENDING); /* not used */
	in.hcr = VGIC_HCR_EN | VGIC_HCR_UIE;
	in.vmcr = VGIC_VMCR_VENG1 | (0xf0u << VGIC_VMCR_VPMR_SHIFT) |
		  (3u << VGIC_VMCR_VBPR1_SHIFT) | (2u << VGIC_VMCR_VBPR0_SHIFT);
	in.ap1r[0] = 1u << (0x80 >> 3);
	in.ap1r[1] = 0xdead; /* not implemented with 5 bits: dropped */
	model_ich_set_lr(&m, 0, 3, lr_make(43, 0, 1, VGIC_LR_PENDING));
	assert_int_equal(model_vcpuif_load(&m, 0, &in), VGIC_OK);
	assert_int_equal(model_ich_lr(&m, 0, 2), 0);
	assert_int_equal(model_ich_lr(&m, 0, 3), 0);
	assert_int_equal(model_guest_ack(&m, 0, 1), MODEL_SPURIOUS);
	assert_int_equal(model_vcpuif_save(&m, 0, &out), VGIC_OK);
	assert_memory_equal(out.lr, in.lr, 2 * sizeof(in.lr[0]));
	assert_int_equal(out.lr[2], 0);
	assert_int_equal(out.hcr, in.hcr);
	assert_int_equal(out.vmcr, in.vmcr | VGIC_VMCR_VFIQEN);
	assert_int_equal(out.ap1r[0], in.ap1r[0]);
	assert_int_equal(out.ap1r[1], 0);
	assert_int_equal(out.elrsr, 0xc);
	assert_int_equal(out.eisr, 0);
	assert_int_equal(out.misr, 0);
	in.nr_lrs_used = 5;
	assert_int_equal(model_vcpuif_load(&m, 0, &in), VGIC_ERANGE);
	assert_int_equal(model_vcpuif_load(&m, 0, NULL), VGIC_EINVAL);
}

static void test_v_vmcr_sanitised(void **state)
{
	(void)state;
	model_ich_set_vmcr(&m, 0, 0xffffffff);
	/* VAckCtl RES0; bits [8:5], [17:10] RES0; VPMR 5 bits */
	assert_int_equal(model_ich_vmcr(&m, 0),
			 0xf8000000u | VGIC_VMCR_VBPR0_MASK |
				 VGIC_VMCR_VBPR1_MASK | VGIC_VMCR_VEOIM |
				 VGIC_VMCR_VCBPR | VGIC_VMCR_VFIQEN |
				 VGIC_VMCR_VENG1 | VGIC_VMCR_VENG0);
	model_ich_set_vmcr(&m, 0, 0);
	assert_int_equal(model_ich_vmcr(&m, 0),
			 VGIC_VMCR_VFIQEN | (2u << VGIC_VMCR_VBPR0_SHIFT) |
				 (3u << VGIC_VMCR_VBPR1_SHIFT));
}

static void test_v_special_intid_in_lr(void **state)
{
	(void)state;
	vsetup(0, 0, 0);
	model_ich_set_lr(&m, 0, 0, lr_make(1022, 0xa0, 1, VGIC_LR_PENDING));
	assert_int_equal(model_guest_ack(&m, 0, 1), 1022);
	assert_int_equal(lr_state(0, 0), 0);
	assert_int_equal(model_guest_rpr(&m, 0), 0xff);
}

/* ------------------------------------------------------- host ops */

static struct vgic_trace last_trace;
static int traces;

static void record_trace(void *arg, const struct vgic_trace *ev)
{
	assert_ptr_equal(arg, &m);
	last_trace = *ev;
	traces++;
}

static void test_host_ops(void **state)
{
	const struct vgic_host_ops *ops = model_host_ops();
	struct vgic_trace ev = {VGIC_TRACE_ACK, 3, 40, 0};

	(void)state;
	assert_int_equal(ops->version, VGIC_HOST_OPS_VERSION);
	/* default map: vCPU v on pCPU v % nr_pcpus */
	assert_int_equal(model_vcpu_pcpu(&m, 3), 1);
	model_vcpu_run_on(&m, 3, 0);
	assert_int_equal(model_vcpu_pcpu(&m, 3), 0);
	ops->phys_set_active(&m, 3, 27, true);
	assert_true(model_phys_is_active(&m, 0, 27));
	assert_false(model_phys_is_active(&m, 1, 27));
	ops->phys_set_active(&m, 1, 40, true); /* SPIs are global */
	assert_true(model_phys_is_active(&m, 0, 40));
	ops->phys_set_active(&m, 3, 40, false);
	assert_false(model_phys_is_active(&m, 0, 40));
	model_set_line(&m, 1, 27, true);
	assert_false(ops->phys_line_level(&m, 3, 27));
	assert_true(ops->phys_line_level(&m, 1, 27));
	ops->kick(&m, 5);
	ops->kick(&m, 5);
	assert_int_equal(model_kicks(&m, 5), 2);
	assert_int_equal(model_kicks(&m, 4), 0);
	traces = 0;
	ops->trace(&m, &ev); /* no receiver: dropped */
	model_set_trace(&m, record_trace, &m);
	ops->trace(&m, &ev);
	assert_int_equal(traces, 1);
	assert_int_equal(last_trace.intid, 40);
}

/* ----------------------------------------------------- model events */

struct event_log {
	int n;
	enum model_event ev[16];
	uint32_t intid[16];
};

static void record_event(void *arg, uint32_t pcpu, enum model_event ev,
			 uint32_t intid)
{
	struct event_log *log = arg;

	assert_int_equal(pcpu, 0);
	assert_true(log->n < 16);
	log->ev[log->n] = ev;
	log->intid[log->n++] = intid;
}

static void test_model_events(void **state)
{
	struct event_log log = {0};

	(void)state;
	model_set_event_hook(&m, record_event, &log);
	vsetup(0, 0, VGIC_VMCR_VEOIM);
	model_phys_set_active(&m, 0, 48, true);
	model_ich_set_lr(&m, 0, 0, lr_hw(40, 48, 0xa0, VGIC_LR_PENDING));
	model_ich_set_lr(&m, 0, 1,
			 lr_make(41, 0xb0, 1, VGIC_LR_PENDING) | VGIC_LR_EOI);
	assert_int_equal(model_guest_ack(&m, 0, 1), 40);
	model_guest_eoi(&m, 0, 1, 40);
	assert_false(model_guest_dir(&m, 0, 40));
	assert_int_equal(model_guest_ack(&m, 0, 1), 41);
	model_guest_eoi(&m, 0, 1, 41);
	assert_false(model_guest_dir(&m, 0, 41));
	assert_int_equal(log.n, 8);
	assert_int_equal(log.ev[0], MODEL_EV_ACK);
	assert_int_equal(log.ev[1], MODEL_EV_EOI);
	assert_int_equal(log.ev[2], MODEL_EV_DIR);
	assert_int_equal(log.ev[3], MODEL_EV_PHYS_DEACTIVATE);
	assert_int_equal(log.intid[3], 48);
	assert_int_equal(log.ev[4], MODEL_EV_ACK);
	assert_int_equal(log.ev[5], MODEL_EV_EOI);
	assert_int_equal(log.ev[6], MODEL_EV_DIR);
	assert_int_equal(log.ev[7], MODEL_EV_MAINT);
	assert_int_equal(log.intid[7], MODEL_MAINT_INTID);
	model_set_event_hook(&m, NULL, NULL);
}

/* -------------------------------------------------------------- main */

#define T0(fn) cmocka_unit_test_setup(fn, setup_eoimode0)
#define T1(fn) cmocka_unit_test_setup(fn, setup_eoimode1)
#define TL(fn) cmocka_unit_test_setup(fn, setup_lpi)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_bad_config),
		cmocka_unit_test(test_reset_state),
		T0(test_id_registers),
		T0(test_register_widths),
		T0(test_phys_ack_eoi_mode0),
		T1(test_phys_eoimode1_needs_dir),
		T0(test_phys_dir_ignored_in_mode0),
		T0(test_phys_pmr_masking),
		T0(test_phys_priority_order),
		T0(test_phys_preemption_bpr),
		T0(test_phys_cbpr),
		T0(test_phys_level_vs_latch),
		T0(test_phys_enable_and_group_gating),
		T0(test_phys_spi_routing),
		T0(test_phys_sgi1r),
		T0(test_gicr_sgi_frame),
		TL(test_lpi_registers),
		TL(test_lpi_config_needs_inv),
		TL(test_lpi_pending_table_load),
		TL(test_lpi_ack_eoi_priority),
		cmocka_unit_test_setup(test_lpi_eoimode1_dir,
				       setup_lpi_eoimode1),
		TL(test_lpi_gating),
		TL(test_its_registers),
		TL(test_its_map_and_msi),
		TL(test_its_msi_to_disabled_redistributor),
		TL(test_its_movi),
		TL(test_its_movall),
		TL(test_its_discard),
		TL(test_its_int_clear),
		TL(test_its_inv_invall),
		TL(test_its_errors_ignored),
		TL(test_its_memory_error_stall_retry),
		TL(test_its_queue_disabled_and_wrap),
		T1(test_v_ack_eoi_invalidates),
		T1(test_v_veoim_needs_dir),
		T1(test_v_dir_ignored_without_veoim),
		T1(test_v_hw_deactivates_physical),
		T1(test_v_hw_ppi_uses_own_redistributor),
		T1(test_v_eoi_maintenance),
		T1(test_v_maintenance_needs_en),
		T1(test_v_underflow),
		T1(test_v_no_pending),
		T1(test_v_eoicount_lrenp),
		T1(test_v_eoicount_split_mode),
		T1(test_v_eoicount_wraps),
		T1(test_v_tdir_traps),
		T1(test_v_elrsr_eisr),
		T1(test_v_lr_ordering_and_pmr),
		T1(test_v_preemption_vbpr1),
		T1(test_v_group0),
		T1(test_v_group1_disabled),
		cmocka_unit_test(test_v_8bit_priorities),
		T1(test_v_lr_res0_bits),
		T1(test_v_load_save),
		T1(test_v_vmcr_sanitised),
		T1(test_v_special_intid_in_lr),
		T1(test_host_ops),
		T1(test_model_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
