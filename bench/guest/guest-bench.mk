# Guest micro-benchmark (bench/guest/): a bare-metal EL1 program, linked
# at 0x40080000 like the conformance guests, with their runtime
# (guests/lib/) compiled in. Included by the top Makefile, or standalone:
#   make -f Makefile -f bench/guest/guest-bench.mk guest-bench-bin
#   make guest-bench-bin   build/bench-guest/gbench.bin
#   make guest-bench       build it, the hypervisor and run bench/guest/run.sh
# Its own variables (GBENCH_*), so it does not depend on guests/guests.mk.

GBENCH_CC      := aarch64-linux-gnu-gcc
GBENCH_OBJCOPY := aarch64-linux-gnu-objcopy
GBENCH_OUT     := build/bench-guest
GBENCH_CFLAGS  := -std=c11 -ffreestanding -nostdlib -mgeneral-regs-only -O2 \
                  -Wall -Wextra -Werror -mstrict-align -fno-pic -fno-pie \
                  -fno-stack-protector -mno-outline-atomics -fno-builtin \
                  -fno-tree-loop-distribute-patterns -fno-common -g \
                  -Iguests/lib
GBENCH_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
                  -Wl,-T,guests/lib/guest.ld -Wl,--no-warn-rwx-segments

GBENCH_LIB_SRC := $(sort $(wildcard guests/lib/*.c)) guests/lib/start.S
GBENCH_SRC     := bench/guest/gbench.c bench/guest/gbench_asm.S
GBENCH_OBJ     := $(patsubst guests/lib/%,$(GBENCH_OUT)/lib/%.o,$(GBENCH_LIB_SRC)) \
                  $(patsubst bench/guest/%,$(GBENCH_OUT)/%.o,$(GBENCH_SRC))
GBENCH_DEPS    := guests/lib/guest.h bench/guest/guest-bench.mk

.PHONY: guest-bench guest-bench-bin guest-bench-clean
guest-bench-bin: $(GBENCH_OUT)/gbench.bin

guest-bench:
	bench/guest/run.sh

$(GBENCH_OUT)/lib/%.c.o: guests/lib/%.c $(GBENCH_DEPS)
	@mkdir -p $(dir $@)
	@echo "  GBENCHCC $<"
	@$(GBENCH_CC) $(GBENCH_CFLAGS) -c $< -o $@

$(GBENCH_OUT)/lib/%.S.o: guests/lib/%.S $(GBENCH_DEPS)
	@mkdir -p $(dir $@)
	@echo "  GBENCHAS $<"
	@$(GBENCH_CC) $(GBENCH_CFLAGS) -c $< -o $@

$(GBENCH_OUT)/%.c.o: bench/guest/%.c $(GBENCH_DEPS)
	@mkdir -p $(dir $@)
	@echo "  GBENCHCC $<"
	@$(GBENCH_CC) $(GBENCH_CFLAGS) -c $< -o $@

$(GBENCH_OUT)/%.S.o: bench/guest/%.S $(GBENCH_DEPS)
	@mkdir -p $(dir $@)
	@echo "  GBENCHAS $<"
	@$(GBENCH_CC) $(GBENCH_CFLAGS) -c $< -o $@

$(GBENCH_OUT)/gbench.elf: $(GBENCH_OBJ) guests/lib/guest.ld
	@echo "  GBENCHLD $@"
	@$(GBENCH_CC) $(GBENCH_CFLAGS) $(GBENCH_LDFLAGS) -o $@ $(GBENCH_OBJ)

$(GBENCH_OUT)/gbench.bin: $(GBENCH_OUT)/gbench.elf
	@$(GBENCH_OBJCOPY) -O binary $< $@

guest-bench-clean:
	rm -rf $(GBENCH_OUT)
