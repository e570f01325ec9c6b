/* SPDX-License-Identifier: MIT */
/*
 * A guest driving a virtual ITS, for tests on the harness: LPI tables per
 * redistributor, the ITS's tables and command queue in the harness's guest
 * RAM, and one encoder per command (IHI 0069, "ITS commands").
 */
#ifndef VGIC_TEST_ITS_GUEST_H
#define VGIC_TEST_ITS_GUEST_H

#include "harness.h"

#define IG_PROP (H_RAM_BASE + 0x10000)
#define IG_PEND(v) (H_RAM_BASE + 0x100000 + (uint64_t)(v)*0x10000)
#define IG_DT (H_RAM_BASE + 0x300000) /* device table, 64 KiB */
#define IG_CT (H_RAM_BASE + 0x310000) /* collection table */
#define IG_CQ (H_RAM_BASE + 0x320000) /* command queue, 64 KiB */
#define IG_ITT(d) (H_RAM_BASE + 0x330000 + (uint64_t)(d)*0x1000)
#define IG_ID_BITS 16
#define IG_QUEUE_BYTES 0x10000u
#define IG_LPI 8192u

#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_TRANSLATER 0x10040

#define ITS_MOVI 0x01
#define ITS_INT 0x03
#define ITS_CLEAR 0x04
#define ITS_SYNC 0x05
#define ITS_MAPD 0x08
#define ITS_MAPC 0x09
#define ITS_MAPTI 0x0a
#define ITS_MAPI 0x0b
#define ITS_INV 0x0c
#define ITS_INVALL 0x0d
#define ITS_MOVALL 0x0e
#define ITS_DISCARD 0x0f

static uint32_t ig_cwriter[VGIC_MAX_ITS];

static inline uint64_t ig_its(uint32_t its, uint32_t off)
{
	return H_ITS_BASE(its) + off;
}

static inline void ig_prop(uint32_t intid, uint8_t prio, bool enable)
{
	H.ram[IG_PROP - H_RAM_BASE + intid - IG_LPI] =
		(uint8_t)((prio & 0xfc) | 2 | enable);
}

/* What a guest kernel does per redistributor, then per ITS: tables,
 * queue, enable. ITS i's tables and queue are 512 KiB further up than
 * ITS i-1's; DeviceIDs below 64. */
static inline void ig_enable_lpis(uint32_t v)
{
	h_mmio_w(v, h_gicr(v, 0x70), 8, IG_PROP | (IG_ID_BITS - 1));
	h_mmio_w(v, h_gicr(v, 0x78), 8, IG_PEND(v) | 1ULL << 62);
	h_mmio_w(v, h_gicr(v, 0x0), 4, 1);
}

static inline uint64_t ig_off(uint32_t its)
{
	return (uint64_t)its * 0x80000;
}

static inline void ig_enable_its(uint32_t its)
{
	uint64_t valid = 1ULL << 63, p64k = 2ULL << 8;

	h_mmio_w(0, ig_its(its, GITS_BASER(0)), 8,
		 valid | p64k | (IG_DT + ig_off(its)));
	h_mmio_w(0, ig_its(its, GITS_BASER(1)), 8,
		 valid | p64k | (IG_CT + ig_off(its)));
	h_mmio_w(0, ig_its(its, GITS_CBASER), 8,
		 valid | (IG_CQ + ig_off(its)) | (IG_QUEUE_BYTES / 0x1000 - 1));
	ig_cwriter[its] = 0;
	h_mmio_w(0, ig_its(its, GITS_CTLR), 4, 1);
}

/* All vCPUs' LPIs, then ITS 0..n-1, each ICID i mapped to vCPU i. */
static inline void ig_setup(uint32_t nr_vcpus, uint32_t nr_its)
{
	for (uint32_t v = 0; v < nr_vcpus; v++)
		ig_enable_lpis(v);
	for (uint32_t i = 0; i < nr_its; i++)
		ig_enable_its(i);
}

/* Queue one command on `its` and let the ITS run it. */
static inline void ig_cmd(uint32_t its, uint64_t d0, uint64_t d1, uint64_t d2,
			  uint64_t d3)
{
	uint64_t c[4] = {d0, d1, d2, d3};
	uint64_t at = IG_CQ + ig_off(its) + ig_cwriter[its];

	memcpy(h_ram_at(at, sizeof(c)), c, sizeof(c));
	ig_cwriter[its] = (ig_cwriter[its] + 32) % IG_QUEUE_BYTES;
	h_mmio_w(0, ig_its(its, GITS_CWRITER), 8, ig_cwriter[its]);
}

static inline uint64_t ig_dev(uint8_t op, uint32_t devid)
{
	return op | (uint64_t)devid << 32;
}

static inline void ig_mapc(uint32_t its, uint32_t icid, uint32_t rd)
{
	ig_cmd(its, ITS_MAPC, 0, 1ULL << 63 | (uint64_t)rd << 16 | icid, 0);
}

static inline void ig_mapd(uint32_t its, uint32_t devid, uint32_t event_bits)
{
	ig_cmd(its, ig_dev(ITS_MAPD, devid), event_bits - 1,
	       1ULL << 63 | (IG_ITT(devid) + ig_off(its)), 0);
}

static inline void ig_mapti(uint32_t its, uint32_t devid, uint32_t eventid,
			    uint32_t intid, uint32_t icid)
{
	ig_cmd(its, ig_dev(ITS_MAPTI, devid), eventid | (uint64_t)intid << 32,
	       icid, 0);
}

static inline void ig_movi(uint32_t its, uint32_t devid, uint32_t eventid,
			   uint32_t icid)
{
	ig_cmd(its, ig_dev(ITS_MOVI, devid), eventid, icid, 0);
}

/* INT, CLEAR, INV, DISCARD: a device's event. */
static inline void ig_event(uint32_t its, uint8_t op, uint32_t devid,
			    uint32_t eventid)
{
	ig_cmd(its, ig_dev(op, devid), eventid, 0, 0);
}

static inline uint64_t ig_creadr(uint32_t its)
{
	return h_mmio_r(0, ig_its(its, GITS_CREADR), 8);
}

#endif /* VGIC_TEST_ITS_GUEST_H */
