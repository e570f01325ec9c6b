#!/bin/sh
# Run the raw test guests under the hypervisor on QEMU and check each
# exit code (hyp/hypcfg.h: 0 SYSTEM_OFF, 2 SYSTEM_RESET, 3 stopped).
# usage: hyp/tests/run.sh [TEST VCPUS PCPUS EXPECTED]...
# HYP_GIC=4 runs QEMU with gic-version=4 (default 3); HYP_VERBOSE=1 sets
# HYPCFG_F_VERBOSE (rare events logged, HYP_CALL_DUMP honoured).
# Needs build/tools/hypcfg (make build/tools/hypcfg) for the struct hypcfg
# blob, and -dtb build/hyp/qemu-stub.dtb (hyp/README.md says why).
set -u
B=build/hyp
HYPCFG=build/tools/hypcfg
GIC=${HYP_GIC:-3}
VERBOSE=
[ "${HYP_VERBOSE:-0}" = 1 ] && VERBOSE=--verbose
[ -x "$HYPCFG" ] || make -s "$HYPCFG" || {
	echo "run.sh: no $HYPCFG (make build/tools/hypcfg)" >&2
	exit 1
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

run() { # name vcpus pcpus expected
	"$HYPCFG" -o "$T/cfg.bin" --vcpus "$2" --pcpus "$3" --gic "$GIC" \
		--entry 0x40080000 --dtb 0x48000000 $VERBOSE || {
		echo "FAIL $1 vcpus=$2 pcpus=$3: hypcfg refused it"
		fails=$((fails + 1))
		return
	}
	# t_uart reads these characters through the forwarded UART SPI
	(sleep 1; printf 'abcdef\n') > "$T/in.txt"
	timeout ${HYP_TIMEOUT:-60} qemu-system-aarch64 \
		-M virt,virtualization=on,gic-version="$GIC",its=on \
		-cpu cortex-a57 -smp "$3" -m 1G -nographic -no-reboot -net none \
		-semihosting-config enable=on,target=native \
		-kernel $B/hyp.elf -dtb $B/qemu-stub.dtb \
		-device loader,file="$T/cfg.bin",addr=0x7e000000,force-raw=on \
		-device loader,file=$B/tests/"$1".bin,addr=0x40080000,force-raw=on \
		< "$T/in.txt" > "$T/out.txt" 2>&1
	rc=$?
	if [ "$rc" -eq "$4" ]; then
		echo "ok   $1 vcpus=$2 pcpus=$3 gic=$GIC exit=$rc"
	else
		echo "FAIL $1 vcpus=$2 pcpus=$3 gic=$GIC exit=$rc (want $4)"
		sed 's/^/     | /' "$T/out.txt"
		fails=$((fails + 1))
	fi
}

if [ $# -ge 4 ]; then
	while [ $# -ge 4 ]; do run "$1" "$2" "$3" "$4"; shift 4; done
else
	for p in 1 2 4; do run off 1 $p 0; done
	run reset 1 1 2
	run fault 1 1 3
	run gic 1 1 0
	run gic 1 2 0
	run uart 1 1 0
	run uart 2 2 0
	run smp 2 2 0
	run smp 4 2 0
	run smp 4 4 0
	run smp 3 1 0
	run smp 8 4 0
	run tstress 1 1 0
	run tstress 4 4 0
	run tstress 4 2 0
fi
[ $fails -eq 0 ]
