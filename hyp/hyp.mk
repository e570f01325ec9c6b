# Reference EL2 hypervisor (hyp/README.md): build/hyp/hyp.elf, linked at
# 0x7f000000, with libvgic (src/*.c) compiled freestanding for aarch64.
#   make hyp          the hypervisor
#   make hyp-tests    + the raw test guests (build/hyp/tests/*.bin)
#   make hyp-check    run the test guests on QEMU (needs qemu-system-aarch64)

HYP_CC      := aarch64-linux-gnu-gcc
HYP_OBJCOPY := aarch64-linux-gnu-objcopy
HYP_BUILD   := build/hyp
HYP_CFLAGS  := $(CSTD) -O2 -g $(WARN) -ffreestanding -nostdlib -fno-builtin \
               -mno-outline-atomics -mgeneral-regs-only -mstrict-align \
               -fno-stack-protector -fno-pic -fno-pie \
               -Iinclude -Isrc -Ihyp
HYP_SRC     := $(sort $(wildcard hyp/*.c))
HYP_ASM     := $(sort $(wildcard hyp/*.S))
HYP_OBJ     := $(HYP_ASM:hyp/%.S=$(HYP_BUILD)/%.o) \
               $(HYP_SRC:hyp/%.c=$(HYP_BUILD)/%.o) \
               $(SRC:src/%.c=$(HYP_BUILD)/vgic/%.o)

.PHONY: hyp hyp-tests hyp-check
hyp: $(HYP_BUILD)/hyp.elf $(HYP_BUILD)/qemu-stub.dtb

# QEMU's -dtb: see hyp/qemu-stub.dts for why.
$(HYP_BUILD)/qemu-stub.dtb: hyp/qemu-stub.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

$(HYP_BUILD)/%.o: hyp/%.c hyp/hyp.h hyp/hypcfg.h include/vgic/vgic.h
	@mkdir -p $(dir $@)
	@echo "  HYPCC   $<"
	@$(HYP_CC) $(HYP_CFLAGS) -c $< -o $@

$(HYP_BUILD)/%.o: hyp/%.S
	@mkdir -p $(dir $@)
	@echo "  HYPAS   $<"
	@$(HYP_CC) -c $< -o $@

$(HYP_BUILD)/vgic/%.o: src/%.c $(wildcard src/*.h) include/vgic/vgic.h
	@mkdir -p $(dir $@)
	@echo "  HYPCC   $<"
	@$(HYP_CC) $(HYP_CFLAGS) -c $< -o $@

$(HYP_BUILD)/hyp.elf: $(HYP_OBJ) hyp/hyp.ld
	$(HYP_CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T hyp/hyp.ld \
	  -o $@ $(HYP_OBJ) -lgcc

# ----------------------------------------------------- raw test guests
HYP_TEST_CFLAGS := $(CSTD) -O2 $(WARN) -ffreestanding -nostdlib -fno-builtin \
                   -mno-outline-atomics -mgeneral-regs-only -mstrict-align \
                   -fno-stack-protector -fno-pic -fno-pie -Ihyp/tests
HYP_TESTS := $(patsubst hyp/tests/t_%.c,$(HYP_BUILD)/tests/%.bin,\
               $(sort $(wildcard hyp/tests/t_*.c)))

.PRECIOUS: $(HYP_BUILD)/tests/%.elf
hyp-tests: hyp $(HYP_TESTS)

$(HYP_BUILD)/tests/%.elf: hyp/tests/t_%.c hyp/tests/crt.S hyp/tests/glib.c \
                          hyp/tests/glib.h hyp/tests/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	@$(HYP_CC) $(HYP_TEST_CFLAGS) -nostdlib -static -no-pie \
	  -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T hyp/tests/guest.ld -o $@ \
	  hyp/tests/crt.S hyp/tests/glib.c $< -lgcc

$(HYP_BUILD)/tests/%.bin: $(HYP_BUILD)/tests/%.elf
	$(HYP_OBJCOPY) -O binary $< $@

hyp-check: hyp-tests build/tools/hypcfg
	hyp/tests/run.sh
