#!/usr/bin/env bash
# Guest micro-benchmark: build the benchmark guest (bench/guest/) and the
# hypervisor, run the guest under the hypervisor (scripts/run-guest) and
# on bare QEMU (scripts/run-bare), both with
# -icount shift=0,align=off,sleep=off, so that every figure is an exact
# instruction count, and print them side by side.
#
#   bench/guest/run.sh [--vcpus N] [--runs R] [--timeout S] [--no-build]
#                      [--keep DIR]
#
# --vcpus N   vCPUs (= pCPUs) and bare QEMU CPUs, default 2 (the IPI
#             figures need 2; with 1 they are skipped)
# --runs R    runs of each side, default 2: all of them must print the
#             same figures (determinism check)
# --timeout S per QEMU run, default 60 (a run takes a few seconds)
# --no-build  use what is built
# --keep DIR  keep the logs there (default: a temporary directory)
# VGIC_HYP=path/to/hyp.elf runs another hypervisor build (no make hyp).
#
# Exit status: 0 all runs passed and agreed; 1 a build or run failed, a
# FAIL line, or two runs of one side differed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

vcpus=2
runs=2
timeout_s=60
build=1
keep=
# shellcheck disable=SC2054 # (commas inside a QEMU option value)
icount=(--qemu-arg -icount --qemu-arg shift=0,align=off,sleep=off)

usage() {
  sed -n '2,22s/^# \{0,1\}//p' "$0"
  exit "$1"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --vcpus) vcpus=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage 1 >&2 ;;
  esac
done
[[ "$vcpus" =~ ^[1-8]$ ]] || { echo "run.sh: --vcpus must be 1..8" >&2; exit 1; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be >= 1" >&2; exit 1; }

bin=build/bench-guest/gbench.bin
if [ "$build" = 1 ]; then
  if grep -q 'bench/guest/guest-bench.mk' Makefile; then
    make -s guest-bench-bin
  else
    make -s -f Makefile -f bench/guest/guest-bench.mk guest-bench-bin
  fi
  [ -n "${VGIC_HYP:-}" ] || make -s hyp build/tools/hypcfg
fi
[ -f "$bin" ] || { echo "run.sh: no $bin" >&2; exit 1; }

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  out=$keep
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

# The hypervisor may be rebuilt while we run: every hyp run uses one copy.
hyp_src=${VGIC_HYP:-build/hyp/hyp.elf}
[ -f "$hyp_src" ] || { echo "run.sh: no hypervisor at $hyp_src" >&2; exit 1; }
cp "$hyp_src" "$out/hyp.elf"

fail=0
run_side() { # run_side hyp|bare RUN: the log in $out/SIDE.RUN.log
  local side=$1 n=$2 log=$out/$1.$2.log rc=0
  if [ "$side" = hyp ]; then
    VGIC_HYP=$out/hyp.elf scripts/run-guest --vcpus "$vcpus" --pcpus "$vcpus" \
      --kernel "$bin" --timeout "$timeout_s" "${icount[@]}" </dev/null >"$log" 2>&1 || rc=$?
  else
    scripts/run-bare --vcpus "$vcpus" --kernel "$bin" --timeout "$timeout_s" \
      "${icount[@]}" </dev/null >"$log" 2>&1 || rc=$?
  fi
  tr -d '\r' <"$log" | grep -E '^(bench |T: )' >"$out/$side.$n.out" || true
  local why=
  [ "$rc" = 0 ] || why="exit status $rc"
  grep -q '^T: SUMMARY gbench pass=[0-9]* fail=0$' "$out/$side.$n.out" || why="${why:+$why, }no clean SUMMARY"
  if grep -qE '^T: (FAIL|TIMEOUT|EXCEPTION)' "$out/$side.$n.out"; then
    why="${why:+$why, }FAIL lines"
  fi
  if [ -n "$why" ]; then
    echo "run.sh: $side run $n failed ($why); the end of its log:" >&2
    tr -d '\r' <"$log" | tail -n 15 | sed 's/^/  | /' >&2
    fail=1
    return 1
  fi
}

for side in bare hyp; do
  for ((i = 1; i <= runs; i++)); do
    run_side "$side" "$i" || break
    if [ "$i" -gt 1 ] && ! cmp -s "$out/$side.1.out" "$out/$side.$i.out"; then
      echo "run.sh: $side runs 1 and $i differ (not deterministic):" >&2
      diff "$out/$side.1.out" "$out/$side.$i.out" | sed 's/^/  | /' >&2 || true
      fail=1
    fi
  done
done

# The table: instructions per iteration (exact; 1 CNTVCT tick = 16).
fig() { # fig FILE: "name value" per bench line
  [ -f "$1" ] && sed -n 's/^bench \([a-z0-9_]*\): \([0-9.]*\) insns\/iter.*/\1 \2/p' "$1"
  true
}
fig "$out/bare.1.out" >"$out/bare.fig"
fig "$out/hyp.1.out" >"$out/hyp.fig"
echo
echo "guest micro-benchmark, $vcpus vCPU(s) on $vcpus pCPU(s), -icount shift=0:"
echo "instructions per iteration (1 CNTVCT tick = 16 instructions)"
echo
awk '
  FILENAME == ARGV[1] { bare[$1] = $2; if (!seen[$1]++) order[++n] = $1; next }
  { hyp[$1] = $2; if (!seen[$1]++) order[++n] = $1 }
  END {
    printf "%-24s %10s %10s %10s %9s\n", "figure", "bare", "hyp", "hyp-bare", "hyp ticks"
    for (i = 1; i <= n; i++) {
      k = order[i]
      b = (k in bare) ? bare[k] : "-"
      h = (k in hyp) ? hyp[k] : "-"
      d = "-"; t = "-"
      if ((k in bare) && (k in hyp)) { d = sprintf("%.2f", h - b); sub(/\.00$/, "", d) }
      if (k in hyp) t = sprintf("%.2f", int(h * 100 / 16 + 0.5) / 100)
      printf "%-24s %10s %10s %10s %9s\n", k, b, h, d, t
    }
  }' "$out/bare.fig" "$out/hyp.fig"
echo
for f in "$out"/bare.1.out "$out"/hyp.1.out; do
  [ -f "$f" ] || continue
  echo "$(basename "$f" .1.out):"
  grep '^bench ' "$f" | sed 's/^/  /'
done
if [ -f "$out/hyp.1.log" ]; then
  echo "hypervisor exit counters (hyp run 1):"
  tr -d '\r' <"$out/hyp.1.log" | grep '^hyp: .*exits:' | sed 's/^/  /'
fi
if [ "$fail" = 0 ]; then
  echo "run.sh: $runs run(s) per side, identical figures: ok"
else
  echo "run.sh: FAILED" >&2
fi
exit "$fail"
