/* SPDX-License-Identifier: MIT */
/*
 * QEMU's GICv3 over the qtest protocol: one qemu-system-aarch64 process
 * (always under timeout(1)), commands pipelined in batches, one reply per
 * command. The highest-priority pending interrupt of each CPU is only
 * visible through the trace event gicv3_cpuif_update, which QEMU prints
 * on stderr before the command's OK; stderr is merged into the reply
 * stream so that each trace line lands in the reply of its command.
 */
#ifndef ORACLE_QTEST_H
#define ORACLE_QTEST_H

#include <stdbool.h>
#include <stdint.h>

#define QT_MAX_CPUS 8
#define QT_MAX_BATCH 1000 /* commands in flight at once */
#define QT_CMD_LEN 96

/* QEMU's HPPI of one CPU as the last gicv3_cpuif_update line showed it. */
struct qt_hppi {
	bool seen;
	int irq;
	int grp; /* QEMU's GICv3GroupType: 0 Group 0, 1 Secure G1, 2 NS G1 */
	int prio;
};

struct qt_reply {
	bool ok;
	uint64_t val; /* the value of a read */
	struct qt_hppi hppi[QT_MAX_CPUS];
};

struct qtest;

/*
 * Start QEMU virt with `nr_cpus` CPUs and a GICv3 with its ITS, stopped
 * (-S), killed by timeout(1) after `timeout_s` seconds. NULL on failure.
 */
struct qtest *qt_start(unsigned nr_cpus, unsigned timeout_s);

/* Queue one command (no newline); false when the batch is full. */
bool qt_queue(struct qtest *q, const char *cmd);
unsigned qt_queued(const struct qtest *q);

/*
 * Send the queued commands and collect one reply each into `out` (room
 * for qt_queued() replies). 0 on success; -1 if QEMU died, hung (no
 * progress for `stall_s` seconds) or answered garbage.
 */
int qt_run(struct qtest *q, struct qt_reply *out, unsigned stall_s);

/* Close stdin, wait a little, then kill; always reaps. */
void qt_stop(struct qtest *q);

/* The QOM path of the GIC's input lines (SPIs, then 32 PPIs per CPU). */
const char *qt_gic_path(const struct qtest *q);

#endif /* ORACLE_QTEST_H */
