#!/bin/sh
# Run the raw test guests under the hypervisor on QEMU and check each
# exit code (hyp/hypcfg.h: 0 SYSTEM_OFF, 2 SYSTEM_RESET, 3 stopped).
# usage: hyp/tests/run.sh [TEST VCPUS PCPUS EXPECTED]...
set -u
B=build/hyp
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

run() { # name vcpus pcpus expected
	python3 hyp/tests/mkcfg.py "$T/cfg.bin" "$2" "$3"
	# t_uart reads these characters through the forwarded UART SPI
	(sleep 1; printf 'abcdef\n') > "$T/in.txt"
	timeout 60 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
		-cpu cortex-a57 -smp "$3" -m 1G -nographic -no-reboot -net none \
		-semihosting-config enable=on,target=native \
		-kernel $B/hyp.elf -dtb $B/qemu-stub.dtb \
		-device loader,file="$T/cfg.bin",addr=0x7e000000,force-raw=on \
		-device loader,file=$B/tests/"$1".bin,addr=0x40080000,force-raw=on \
		< "$T/in.txt" > "$T/out.txt" 2>&1
	rc=$?
	if [ "$rc" -eq "$4" ]; then
		echo "ok   $1 vcpus=$2 pcpus=$3 exit=$rc"
	else
		echo "FAIL $1 vcpus=$2 pcpus=$3 exit=$rc (want $4)"
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
fi
[ $fails -eq 0 ]
