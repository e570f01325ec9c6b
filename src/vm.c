/* SPDX-License-Identifier: MIT */
/*
 * VM creation: configuration checks, memory layout and reset state.
 * The host provides one block of memory; it is carved into the VM header,
 * the vCPU array (each with its 32 private interrupts), the SPIs and their
 * GICD_IROUTER values. Nothing is allocated afterwards.
 */
#include "its.h"

#define VGIC_ALIGN 64u
#define VGIC_FRAME_GICD 0x10000u
#define VGIC_FRAME_GICR 0x20000u
#define VGIC_DEFAULT_IIDR 0x7600043bu /* ProductID 'v', Arm JEP106 slot */

static size_t align_up(size_t v)
{
	return (v + VGIC_ALIGN - 1) & ~(size_t)(VGIC_ALIGN - 1);
}

/* Byte by byte through a volatile pointer: the compiler must not turn
 * it into a memset call, which a freestanding core does not have. */
static void zero(void *p, size_t n)
{
	volatile unsigned char *c = p;

	while (n--)
		*c++ = 0;
}

void vgic_config_default(struct vgic_config *cfg)
{
	if (!cfg)
		return;
	zero(cfg, sizeof(*cfg));
	cfg->nr_vcpus = 1;
	cfg->nr_spis = 64;
	cfg->pri_bits = 5;
	cfg->nr_lrs = 4;
	cfg->gicd_base = 0x08000000;
	cfg->gicr_base = 0x080a0000;
	cfg->its_device_bits = 16;
	cfg->its_event_bits = 16;
	cfg->its_cache_size = 4096;
}

static uint64_t default_mpidr(uint32_t i)
{
	return (uint64_t)(i % 16) | (uint64_t)(i / 16) << 8;
}

static uint64_t cfg_mpidr(const struct vgic_config *cfg, uint32_t i)
{
	return cfg->mpidr ? cfg->mpidr[i] : default_mpidr(i);
}

/* Affinity must be unique and use only Aff3..Aff0 (MPIDR_EL1 layout). */
static bool mpidrs_valid(const struct vgic_config *cfg)
{
	const uint64_t aff_mask = 0xff00ffffffULL;

	if (!cfg->mpidr)
		return true;
	for (uint32_t i = 0; i < cfg->nr_vcpus; i++) {
		if (cfg->mpidr[i] & ~aff_mask)
			return false;
		for (uint32_t j = 0; j < i; j++)
			if (cfg->mpidr[j] == cfg->mpidr[i])
				return false;
	}
	return true;
}

static bool lpis_valid(const struct vgic_config *cfg)
{
	if (!cfg->lpi_id_bits)
		return true;
	return cfg->lpi_id_bits >= VGIC_MIN_LPI_ID_BITS &&
	       cfg->lpi_id_bits <= VGIC_MAX_LPI_ID_BITS &&
	       cfg->nr_lpi_slots >= 1 &&
	       cfg->nr_lpi_slots <= VGIC_MAX_LPI_SLOTS;
}

/* LPIs read the guest's tables through the host (ops v3). */
static bool ops_valid(const struct vgic_host_ops *ops,
		      const struct vgic_config *cfg)
{
	if (cfg->nr_pt_devices &&
	    (ops->version < 4 || !ops->pt_map || !ops->pt_unmap ||
	     (cfg->pt_policy == VGIC_PT_MASK && !ops->pt_mask)))
		return false;
	if (!cfg->lpi_id_bits)
		return true;
	return ops->version >= 3 && ops->guest_read && ops->guest_write;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Each ITS frame pair: aligned, not wrapping, overlapping no GICD, GICR
 * or other ITS frame. */
static bool its_frames_valid(const struct vgic_config *cfg, uint64_t gicr_len)
{
	for (uint32_t i = 0; i < cfg->nr_its; i++) {
		uint64_t b = cfg->its_base[i];
		if ((b & (VGIC_FRAME_GICD - 1)) ||
		    b + VGIC_ITS_FRAME_SIZE < b ||
		    ranges_overlap(b, VGIC_ITS_FRAME_SIZE, cfg->gicd_base,
				   VGIC_FRAME_GICD) ||
		    ranges_overlap(b, VGIC_ITS_FRAME_SIZE, cfg->gicr_base,
				   gicr_len))
			return false;
		for (uint32_t j = 0; j < i; j++)
			if (ranges_overlap(b, VGIC_ITS_FRAME_SIZE,
					   cfg->its_base[j],
					   VGIC_ITS_FRAME_SIZE))
				return false;
	}
	return true;
}

static bool its_valid(const struct vgic_config *cfg, uint64_t gicr_len)
{
	if (!cfg->nr_its)
		return true;
	return cfg->nr_its <= VGIC_MAX_ITS && cfg->lpi_id_bits &&
	       cfg->its_base && cfg->its_device_bits >= 1 &&
	       cfg->its_device_bits <= 32 && cfg->its_event_bits >= 1 &&
	       cfg->its_event_bits <= 32 && is_pow2(cfg->its_cache_size) &&
	       cfg->its_cache_size <= (1u << 20) &&
	       its_frames_valid(cfg, gicr_len);
}

static bool pt_valid(const struct vgic_config *cfg)
{
	if (cfg->pt_policy > VGIC_PT_MASK)
		return false;
	return !cfg->nr_pt_devices ||
	       (cfg->nr_its && cfg->nr_pt_devices <= VGIC_MAX_PT_DEVICES);
}

static bool config_valid(const struct vgic_config *cfg)
{
	uint64_t gicr_len = (uint64_t)cfg->nr_vcpus * VGIC_FRAME_GICR;

	if (cfg->nr_vcpus < 1 || cfg->nr_vcpus > VGIC_MAX_VCPUS)
		return false;
	if (cfg->nr_spis > VGIC_MAX_SPIS)
		return false;
	if (cfg->pri_bits < 5 || cfg->pri_bits > 8)
		return false;
	if (cfg->nr_lrs < 1 || cfg->nr_lrs > VGIC_MAX_LRS)
		return false;
	if ((cfg->gicd_base | cfg->gicr_base) & (VGIC_FRAME_GICD - 1))
		return false;
	if (cfg->gicr_base + gicr_len < cfg->gicr_base)
		return false;
	if (ranges_overlap(cfg->gicd_base, VGIC_FRAME_GICD, cfg->gicr_base,
			   gicr_len))
		return false;
	return lpis_valid(cfg) && mpidrs_valid(cfg) &&
	       its_valid(cfg, gicr_len) && pt_valid(cfg);
}

struct vgic_layout {
	size_t vcpus, spis, irouter, lpis, its, total;
};

static struct vgic_layout layout_of(const struct vgic_config *cfg)
{
	struct vgic_layout l;

	l.vcpus = align_up(sizeof(struct vgic_vm));
	l.spis = l.vcpus + align_up(cfg->nr_vcpus * sizeof(struct vgic_vcpu));
	l.irouter = l.spis + align_up(cfg->nr_spis * sizeof(struct vgic_irq));
	l.lpis = l.irouter + align_up(cfg->nr_spis * sizeof(uint64_t));
	l.its = l.lpis + align_up(vgic_lpi_store_size(cfg));
	l.total = l.its + align_up(vgic_its_state_size(cfg));
	return l;
}

size_t vgic_vm_size(const struct vgic_config *cfg)
{
	if (!cfg || !config_valid(cfg))
		return 0;
	return layout_of(cfg).total;
}

/* Reset state of one interrupt (IHI 0069, GICD_* and GICR_* reset values: all
 * 0, SGIs edge-triggered, PPIs and SPIs level). */
static void irq_reset(struct vgic_irq *irq, uint32_t intid, uint32_t target)
{
	vgic_lock_init(&irq->lock);
	irq->intid = intid;
	irq->target = (uint16_t)target;
	irq->vcpu = VGIC_VCPU_NONE;
	irq->edge = vgic_irq_is_sgi(intid);
	vgic_irq_update_key(irq);
}

static void vcpu_reset(struct vgic_vm *vm, uint32_t i, uint64_t mpidr)
{
	struct vgic_vcpu *vcpu = &vm->vcpus[i];

	vgic_lock_init(&vcpu->ap_lock);
	vcpu->idx = i;
	vcpu->mpidr = mpidr;
	vcpu->vmcr = vgic_vmcr_reset(vm);
	vcpu->sleeping = true; /* GICR_WAKER.ProcessorSleep resets to 1 */
	for (uint32_t n = 0; n < VGIC_NR_PRIVATE; n++)
		irq_reset(&vcpu->priv[n], n, i);
}

int vgic_vm_init(void *mem, size_t size, const struct vgic_config *cfg,
		 const struct vgic_host_ops *ops, void *ctx,
		 struct vgic_vm **out)
{
	if (!mem || !cfg || !ops || !out)
		return VGIC_EINVAL;
	if ((uintptr_t)mem & 15)
		return VGIC_EINVAL;
	if (ops->version < 1 || ops->version > VGIC_HOST_OPS_VERSION)
		return VGIC_EVERSION;
	if (!config_valid(cfg))
		return VGIC_ECONFIG;
	if (!ops_valid(ops, cfg))
		return VGIC_EVERSION;

	struct vgic_layout l = layout_of(cfg);
	if (size < l.total)
		return VGIC_ENOSPC;
	zero(mem, l.total);

	struct vgic_vm *vm = mem;
	vm->cfg = *cfg;
	vm->cfg.mpidr = NULL;
	vm->cfg.its_base = NULL; /* kept in vm->its[i].base */
	if (!vm->cfg.iidr)
		vm->cfg.iidr = VGIC_DEFAULT_IIDR;
	vm->ops = ops;
	vm->ctx = ctx;
	vm->nr_vcpus = cfg->nr_vcpus;
	vm->nr_spis = cfg->nr_spis;
	vm->pri_mask = (uint8_t)(0xff00u >> cfg->pri_bits);
	vgic_lock_init(&vm->dist_lock);
	vm->vcpus = (struct vgic_vcpu *)((char *)mem + l.vcpus);
	vm->spis = (struct vgic_irq *)((char *)mem + l.spis);
	vm->irouter = (uint64_t *)((char *)mem + l.irouter);
	for (uint32_t i = 0; i < vm->nr_vcpus; i++)
		vcpu_reset(vm, i, cfg_mpidr(cfg, i));
	/* GICD_IROUTER resets to 0: Aff 0.0.0.0, which vCPU 0 may not own. */
	for (uint32_t n = 0; n < vm->nr_spis; n++)
		irq_reset(&vm->spis[n], VGIC_NR_SPI_BASE + n,
			  vgic_route(vm, 0));
	vgic_lpi_store_init(vm, (char *)mem + l.lpis);
	vgic_its_init(vm, cfg, (char *)mem + l.its);
	*out = vm;
	return VGIC_OK;
}

uint32_t vgic_vm_nr_vcpus(const struct vgic_vm *vm)
{
	return vm ? vm->nr_vcpus : 0;
}

/*
 * ICH_VMCR_EL2 at reset: priority mask 0 (all masked), groups disabled,
 * binary points at their minimum (IHI 0069, ICC_BPR0_EL1: 7 - PREbits,
 * BPR1 one more). There are at most 7 preemption bits.
 */
uint32_t vgic_vmcr_reset(const struct vgic_vm *vm)
{
	if (!vm)
		return 0;
	uint32_t pre = vm->cfg.pri_bits < 7 ? vm->cfg.pri_bits : 7;
	uint32_t bpr0 = 7u - pre;
	return bpr0 << VGIC_VMCR_VBPR0_SHIFT | (bpr0 + 1)
						       << VGIC_VMCR_VBPR1_SHIFT;
}

int vgic_get_stats(const struct vgic_vm *vm, struct vgic_stats *out)
{
	if (!vm || !out)
		return VGIC_EINVAL;
	const uint64_t *src = (const uint64_t *)&vm->stats;
	uint64_t *dst = (uint64_t *)out;
	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	return VGIC_OK;
}

const char *vgic_strerror(int err)
{
	switch (err) {
	case VGIC_OK:
		return "success";
	case VGIC_EINVAL:
		return "invalid argument";
	case VGIC_ERANGE:
		return "vCPU index or INTID out of range";
	case VGIC_ENOSPC:
		return "not enough memory";
	case VGIC_ECONFIG:
		return "invalid configuration";
	case VGIC_EVERSION:
		return "unsupported host ops version";
	case VGIC_ENOENT:
		return "no such frame or mapping";
	case VGIC_EBUSY:
		return "already in use";
	case VGIC_EPERM:
		return "operation not permitted for this interrupt";
	default:
		return "unknown error";
	}
}
