/* SPDX-License-Identifier: MIT */
/*
 * The QEMU side of the oracle: process control and the qtest protocol.
 *
 * Safety nets against a stuck or orphaned QEMU: it runs under timeout(1),
 * which dies with us (PR_SET_PDEATHSIG) and takes QEMU along; every wait
 * here is bounded; a batch that makes no progress for `stall_s` seconds
 * fails the run, and the run's end kills and reaps QEMU in any case.
 *
 * Replies are read while commands are still being written (poll on both
 * pipes): a batch's replies and trace lines far exceed a pipe buffer.
 */
#define _GNU_SOURCE
#include "qtest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN 512

struct qtest {
	pid_t pid;  /* the timeout(1) process */
	int in_fd;  /* QEMU's stdin */
	int out_fd; /* QEMU's stdout and stderr */
	unsigned nr_cpus;
	char path[64];
	char cmds[QT_MAX_BATCH][QT_CMD_LEN + 1]; /* with the newline */
	unsigned nr_cmds;
	char line[LINE_MAX_LEN];
	size_t line_len;
	char last_other[LINE_MAX_LEN]; /* last unrecognised line, for errors */
	FILE *raw; /* $ORACLE_RAW: every byte QEMU wrote, for debugging */
};

/* ------------------------------------------------------------ process */

static void child_exec(int in_rd, int out_wr, unsigned nr_cpus,
		       unsigned timeout_s)
{
	char smp[16], tmo[16], self[64];

	/* Die with the parent: timeout(1) then terminates QEMU. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	dup2(in_rd, 0);
	dup2(out_wr, 1);
	/* stderr on the same pipe but its own open file: QEMU makes its
	 * stdio chardev non-blocking, which on a shared file description
	 * would make trace lines vanish whenever the pipe is full. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", out_wr);
	int err = open(self, O_WRONLY);
	dup2(err >= 0 ? err : out_wr, 2);
	snprintf(smp, sizeof(smp), "%u", nr_cpus);
	snprintf(tmo, sizeof(tmo), "%u", timeout_s);
	/* Debian's QEMU has no qtest accelerator: TCG, stopped CPUs. */
	execlp("timeout", "timeout", "-k", "2", tmo, "qemu-system-aarch64",
	       "-M", "virt,gic-version=3,its=on", "-accel", "tcg", "-S", "-smp",
	       smp, "-qtest", "stdio", "-qtest-log", "/dev/null", "-display",
	       "none", "-nodefaults", "-trace", "gicv3_cpuif_update",
	       (char *)NULL);
	_exit(127);
}

static int spawn(struct qtest *q, unsigned timeout_s)
{
	int in[2], out[2];

	if (pipe(in) || pipe(out))
		return -1;
	q->pid = fork();
	if (q->pid < 0)
		return -1;
	if (q->pid == 0) {
		close(in[1]);
		close(out[0]);
		child_exec(in[0], out[1], q->nr_cpus, timeout_s);
	}
	close(in[0]);
	close(out[1]);
	q->in_fd = in[1];
	q->out_fd = out[0];
	/* Room for a batch's replies: fewer stalls on a full pipe. */
	fcntl(q->out_fd, F_SETPIPE_SZ, 1 << 20);
	fcntl(q->in_fd, F_SETFL, O_NONBLOCK);
	fcntl(q->out_fd, F_SETFL, O_NONBLOCK);
	signal(SIGPIPE, SIG_IGN); /* a dead QEMU shows as EPIPE */
	return 0;
}

static bool reaped(pid_t pid, unsigned ms)
{
	struct timespec ts = {0, 10 * 1000 * 1000};

	for (unsigned t = 0; t <= ms; t += 10) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

void qt_stop(struct qtest *q)
{
	if (!q)
		return;
	if (q->in_fd >= 0)
		close(q->in_fd);
	/* QEMU does not always exit at EOF on the qtest chardev: TERM
	 * (timeout(1) passes it on), then KILL. */
	kill(q->pid, SIGTERM);
	if (!reaped(q->pid, 3000)) {
		kill(q->pid, SIGKILL);
		waitpid(q->pid, NULL, 0);
	}
	close(q->out_fd);
	if (q->raw)
		fclose(q->raw);
	free(q);
}

/* ------------------------------------------------------------ replies */

static void parse_trace(const char *s, struct qt_reply *r)
{
	unsigned cpu;
	int irq, grp, prio;

	if (sscanf(s,
		   "gicv3_cpuif_update GICv3 CPU i/f 0x%x HPPI update: "
		   "irq %d group %d prio %d",
		   &cpu, &irq, &grp, &prio) != 4 ||
	    cpu >= QT_MAX_CPUS)
		return;
	r->hppi[cpu] = (struct qt_hppi){true, irq, grp, prio};
}

/* One line of output; true when it completed the reply `r`. */
static bool parse_line(struct qtest *q, const char *s, struct qt_reply *r)
{
	if (!strncmp(s, "gicv3_cpuif_update ", 19)) {
		parse_trace(s, r);
		return false;
	}
	if (!strcmp(s, "OK") || !strncmp(s, "OK ", 3)) {
		r->ok = true;
		r->val = s[2] ? strtoull(s + 3, NULL, 0) : 0;
		return true;
	}
	if (!strncmp(s, "FAIL", 4) || !strncmp(s, "ERR", 3)) {
		r->ok = false;
		snprintf(q->last_other, sizeof(q->last_other), "%s", s);
		return true;
	}
	snprintf(q->last_other, sizeof(q->last_other), "%s", s);
	return false;
}

/* Split what was read into lines; returns replies completed. */
static unsigned consume(struct qtest *q, const char *buf, size_t n,
			struct qt_reply *out, unsigned got, unsigned want)
{
	for (size_t i = 0; i < n && got < want; i++) {
		if (buf[i] != '\n') {
			if (q->line_len < LINE_MAX_LEN - 1)
				q->line[q->line_len++] = buf[i];
			continue;
		}
		q->line[q->line_len] = '\0';
		q->line_len = 0;
		if (parse_line(q, q->line, &out[got]))
			got++;
	}
	return got;
}

/* ------------------------------------------------------------ batches */

bool qt_queue(struct qtest *q, const char *cmd)
{
	size_t len = strlen(cmd);

	if (q->nr_cmds >= QT_MAX_BATCH || len >= QT_CMD_LEN)
		return false;
	memcpy(q->cmds[q->nr_cmds], cmd, len);
	memcpy(q->cmds[q->nr_cmds++] + len, "\n", 2);
	return true;
}

unsigned qt_queued(const struct qtest *q)
{
	return q->nr_cmds;
}

static size_t join_cmds(const struct qtest *q, char *buf)
{
	size_t len = 0;

	for (unsigned i = 0; i < q->nr_cmds; i++) {
		size_t l = strlen(q->cmds[i]);
		memcpy(buf + len, q->cmds[i], l);
		len += l;
	}
	return len;
}

static int pump_write(struct qtest *q, const char *buf, size_t len,
		      size_t *sent)
{
	ssize_t w = write(q->in_fd, buf + *sent, len - *sent);

	if (w < 0 && errno != EAGAIN && errno != EINTR)
		return -1;
	if (w > 0)
		*sent += (size_t)w;
	return 0;
}

int qt_run(struct qtest *q, struct qt_reply *out, unsigned stall_s)
{
	static char buf[QT_MAX_BATCH * (QT_CMD_LEN + 1)];
	char rd[65536];
	size_t len = join_cmds(q, buf), sent = 0;
	unsigned want = q->nr_cmds, got = 0;

	memset(out, 0, want * sizeof(*out));
	q->nr_cmds = 0;
	while (got < want) {
		struct pollfd p[2] = {{q->out_fd, POLLIN, 0},
				      {q->in_fd, sent < len ? POLLOUT : 0, 0}};
		int r = poll(p, 2, (int)stall_s * 1000);
		if (r == 0) {
			fprintf(stderr, "qtest: QEMU stalled (%u/%u)\n", got,
				want);
			return -1;
		}
		if (r < 0 && errno != EINTR)
			return -1;
		if ((p[1].revents & POLLOUT) && pump_write(q, buf, len, &sent))
			return -1;
		if (!(p[0].revents & (POLLIN | POLLHUP)))
			continue;
		ssize_t n = read(q->out_fd, rd, sizeof(rd));
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			fprintf(stderr, "qtest: QEMU exited: %s\n",
				q->last_other);
			return -1;
		}
		if (n > 0 && q->raw)
			fwrite(rd, 1, (size_t)n, q->raw);
		if (n > 0)
			got = consume(q, rd, (size_t)n, out, got, want);
	}
	return 0;
}

/* ------------------------------------------------------------ start */

const char *qt_gic_path(const struct qtest *q)
{
	return q->path;
}

/* The GIC is the first device created after the CPUs: prove it by
 * raising SPI 0's line and seeing INTID 32 pending (a level interrupt at
 * reset), then lowering it again, which leaves no trace. */
static int probe_gic(struct qtest *q)
{
	struct qt_reply r[4];
	char cmd[QT_CMD_LEN];

	snprintf(q->path, sizeof(q->path), "/machine/unattached/device[%u]",
		 q->nr_cpus);
	snprintf(cmd, sizeof(cmd), "set_irq_in %s unnamed-gpio-in 0 1",
		 q->path);
	qt_queue(q, cmd);
	qt_queue(q, "readl 0x08000204");
	snprintf(cmd, sizeof(cmd), "set_irq_in %s unnamed-gpio-in 0 0",
		 q->path);
	qt_queue(q, cmd);
	qt_queue(q, "readl 0x08000204");
	if (qt_run(q, r, 20))
		return -1;
	if (!r[0].ok || !r[2].ok || r[1].val != 1 || r[3].val != 0) {
		fprintf(stderr, "qtest: %s is not the GIC\n", q->path);
		return -1;
	}
	return 0;
}

struct qtest *qt_start(unsigned nr_cpus, unsigned timeout_s)
{
	struct qtest *q = calloc(1, sizeof(*q));

	if (!q || nr_cpus == 0 || nr_cpus > QT_MAX_CPUS) {
		free(q);
		return NULL;
	}
	q->nr_cpus = nr_cpus;
	q->in_fd = q->out_fd = -1;
	if (getenv("ORACLE_RAW"))
		q->raw = fopen(getenv("ORACLE_RAW"), "w");
	if (spawn(q, timeout_s)) {
		free(q);
		return NULL;
	}
	if (probe_gic(q)) {
		qt_stop(q);
		return NULL;
	}
	return q;
}
