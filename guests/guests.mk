# Guest conformance test programs (guests/*.c), included by the top
# Makefile. Each is a raw aarch64 binary linked at 0x40080000:
#   make guests           build/guests/<name>.bin for every test
#   scripts/run-conformance   run them on bare QEMU (and under hyp/)
# Cross-built with the Debian cross compiler; nothing here touches the
# host build's variables.

GUEST_CC      := aarch64-linux-gnu-gcc
GUEST_OBJCOPY := aarch64-linux-gnu-objcopy
GUEST_OUT     := build/guests
GUEST_CFLAGS  := -std=c11 -ffreestanding -nostdlib -mgeneral-regs-only -O2 \
                 -Wall -Wextra -Werror -mstrict-align -fno-pic -fno-pie \
                 -fno-stack-protector -mno-outline-atomics -fno-builtin \
                 -fno-tree-loop-distribute-patterns -fno-common -g \
                 -Iguests/lib
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
                 -Wl,-T,guests/lib/guest.ld -Wl,--no-warn-rwx-segments

GUEST_LIB_SRC := $(sort $(wildcard guests/lib/*.c)) guests/lib/start.S
GUEST_LIB_OBJ := $(patsubst guests/lib/%,$(GUEST_OUT)/lib/%.o,$(GUEST_LIB_SRC))
GUEST_TESTS   := $(sort $(basename $(notdir $(wildcard guests/*.c))))
GUEST_BINS    := $(GUEST_TESTS:%=$(GUEST_OUT)/%.bin)
GUEST_ELFS    := $(GUEST_TESTS:%=$(GUEST_OUT)/%.elf)

.PHONY: guests guests-clean
guests: $(GUEST_BINS) $(GUEST_ELFS) $(GUEST_LIB_OBJ) $(GUEST_TESTS:%=$(GUEST_OUT)/%.o)

$(GUEST_OUT)/lib/%.c.o: guests/lib/%.c guests/lib/guest.h guests/guests.mk
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	@$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/lib/%.S.o: guests/lib/%.S guests/guests.mk
	@mkdir -p $(dir $@)
	@echo "  GUESTAS $<"
	@$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.o: guests/%.c guests/lib/guest.h guests/guests.mk
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	@$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/%.o $(GUEST_LIB_OBJ) guests/lib/guest.ld
	@echo "  GUESTLD $@"
	@$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJ)

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	@$(GUEST_OBJCOPY) -O binary $< $@

guests-clean:
	rm -rf $(GUEST_OUT)
