/* SPDX-License-Identifier: MIT */
/*
 * Tests of the GICv3 hardware model on its own (no libvgic core): the
 * physical Distributor/Redistributors and CPU interface, and the virtual
 * CPU interface (list registers, maintenance, HW deactivation), checked
 * against the behaviour IHI 0069 specifies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	/* 64 SPIs + 32 private = 96 INTIDs: ITLinesNumber 2, IDbits 9,
	 * A3V, No1N, CPUNumber 1 */
	assert_int_equal(gicd_r(0x4, 4),
			 2 | (1u << 5) | (9u << 19) | (1u << 24) | (1u << 25));
	assert_int_equal(gicd_r(0xffe8, 4) >> 4 & 0xf, 3);
	assert_int_equal(gicr_r(0, 0xffe8, 4) >> 4 & 0xf, 3);
	/* GICR_TYPER: affinity, processor number, Last on the last one */
	assert_int_equal(gicr_r(0, 0x8, 8), 0);
	assert_int_equal(gicr_r(1, 0x8, 8), (1ull << 32) | (1u << 8) | 0x10);
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
