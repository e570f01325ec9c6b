/* SPDX-License-Identifier: MIT */
/*
 * PSCI 1.0 for the guest (Arm DEN 0022), over HVC or a trapped SMC, and
 * the one call the hypervisor makes itself: CPU_ON of a physical CPU
 * through QEMU's firmware (conduit SMC from EL2).
 */
#include "hyp.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define PSCI_64 0x40000000u /* SMC64 flavour of a function ID */

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_ALREADY_ON -4
#define PSCI_ON_PENDING -5

#define PSCI_VERSION_1_0 0x10000
#define MIGRATE_NOT_PRESENT 2 /* no Trusted OS needing migration */

static spinlock_t psci_lock; /* serializes CPU_ON against CPU_ON */

static uint64_t smc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "memory");
	return x0;
}

int psci_cpu_on_phys(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	return (int)smc_call(PSCI_CPU_ON | PSCI_64, mpidr, entry, ctx);
}

struct vcpu *vcpu_by_mpidr(uint64_t mpidr)
{
	for (uint32_t i = 0; i < g_cfg.nr_vcpus; i++)
		if ((g_vcpus[i].mpidr & 0xff00ffffffULL) ==
		    (mpidr & 0xff00ffffffULL))
			return &g_vcpus[i];
	return NULL;
}

static int64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	struct vcpu *t = vcpu_by_mpidr(mpidr);
	int64_t ret = PSCI_SUCCESS;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	spin_lock(&psci_lock);
	int s = atomic_load(&t->state);
	if (s == VCPU_ON_PENDING) {
		ret = PSCI_ON_PENDING;
	} else if (s != VCPU_OFF) {
		ret = PSCI_ALREADY_ON;
	} else {
		t->boot_pc = entry;
		t->boot_ctx = ctx;
		atomic_store(&t->state, VCPU_ON_PENDING);
	}
	spin_unlock(&psci_lock);
	if (ret == PSCI_SUCCESS)
		sched_kick(t->idx);
	return ret;
}

static int64_t affinity_info(uint64_t mpidr, uint64_t level)
{
	struct vcpu *t = vcpu_by_mpidr(mpidr);

	if (!t || level != 0)
		return PSCI_INVALID_PARAMETERS;
	switch (atomic_load(&t->state)) {
	case VCPU_OFF:
		return 1;
	case VCPU_ON_PENDING:
		return 2;
	default:
		return 0;
	}
}

/* Function IDs we implement; SMC64 IDs exist only for the calls that
 * take an address or MPIDR (DEN 0022, 5.1). */
static bool implemented(uint64_t id)
{
	uint32_t fn = (uint32_t)id;

	if (id >> 32)
		return false;
	if ((fn & PSCI_64) && (fn & ~PSCI_64) != PSCI_CPU_ON &&
	    (fn & ~PSCI_64) != PSCI_AFFINITY_INFO)
		return false;
	switch (fn & ~PSCI_64) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

_Noreturn static void system_exit(struct vcpu *v, uint32_t code)
{
	sched_halt_others(); /* quiet: no guest output from here on */
	hyp_printf("hyp: vcpu%u called PSCI %s\n", v->idx,
		   code == HYP_EXIT_OFF ? "SYSTEM_OFF" : "SYSTEM_RESET");
	vcpu_print_exits();
	hyp_exit(code);
}

/* x0 = function ID, x1..x3 arguments; the result goes in x0. Calls
 * with 32-bit IDs take 32-bit arguments (SMC Calling Convention). */
void psci_guest_call(struct vcpu *v)
{
	uint32_t fn = (uint32_t)v->x[0];
	bool is64 = fn & PSCI_64;
	uint64_t a1 = v->x[1], a2 = v->x[2], a3 = v->x[3];
	int64_t ret = PSCI_NOT_SUPPORTED;

	if (!is64) {
		a1 &= 0xffffffffULL, a2 &= 0xffffffffULL, a3 &= 0xffffffffULL;
	}
	if (!implemented(v->x[0])) {
		if (v->x[0] == HYP_CALL_DUMP &&
		    (g_cfg.flags & HYPCFG_F_VERBOSE)) {
			debug_dump(v);
			v->x[0] = 0;
			return;
		}
		v->x[0] = (uint64_t)PSCI_NOT_SUPPORTED;
		return;
	}
	switch (fn & ~PSCI_64) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_0;
		break;
	case PSCI_FEATURES:
		ret = implemented(a1) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_ON:
		ret = cpu_on(a1, a2, a3);
		break;
	case PSCI_CPU_OFF:
		atomic_store(&v->state, VCPU_OFF);
		return; /* does not return to the caller */
	case PSCI_AFFINITY_INFO:
		ret = affinity_info(a1, a2);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = MIGRATE_NOT_PRESENT;
		break;
	case PSCI_SYSTEM_OFF:
		system_exit(v, HYP_EXIT_OFF);
	case PSCI_SYSTEM_RESET:
		system_exit(v, HYP_EXIT_RESET);
	}
	v->x[0] = (uint64_t)ret;
}
