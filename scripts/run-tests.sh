#!/usr/bin/env bash
# Run every test binary in a directory; print one summary line at the end.
set -u
dir=${1:?usage: run-tests.sh DIR}
pass=0 fail=0 bins=0 failed_bins=()
for t in "$dir"/test_*; do
  [ -x "$t" ] && [ -f "$t" ] || continue
  case "$t" in *.o|*.d) continue ;; esac
  bins=$((bins + 1))
  out=$(timeout 600 "$t" 2>&1); rc=$?
  echo "$out"
  p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  pass=$((pass + p)); fail=$((fail + f))
  if [ $rc -ne 0 ]; then
    failed_bins+=("$t")
    [ "$f" -eq 0 ] && fail=$((fail + 1))
  fi
done
if [ $bins -eq 0 ]; then echo "no test binaries in $dir"; exit 1; fi
echo "$dir: $pass passed, $fail failed"
[ ${#failed_bins[@]} -eq 0 ] || { echo "failing: ${failed_bins[*]}"; exit 1; }
