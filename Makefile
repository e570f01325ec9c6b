# libvgic — GNU Make build.
#   make            libvgic.a, libvgic.so, the model, tests, bench, tools
#   make test       install what is missing, then every test (gcc, clang,
#                   sanitizers, freestanding aarch64 build, format check)
#   make run        install what is missing, then the main job: Debian's
#                   arm64 Linux under the reference hypervisor on QEMU
#   make demo       interrupt lives on the software GIC model
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      run the benchmarks

CC      ?= gcc
BUILD   ?= build
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
VERSION := 0.1.0
SONAME  := libvgic.so.0

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers
CSTD    := -std=c11
OPT     ?= -O2 -g
CPPFLAGS += -Iinclude -Isrc
CFLAGS  ?=
ALL_CFLAGS = $(CSTD) $(OPT) $(WARN) $(CFLAGS)
SANITIZE ?=
LDLIBS_TEST := -lcmocka -lpthread

SRC       := $(sort $(wildcard src/*.c))
MODEL_SRC := $(sort $(wildcard model/*.c))
TEST_SRC  := $(sort $(wildcard tests/test_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
TOOL_SRC  := $(sort $(wildcard tools/*.c))

OBJ       := $(SRC:%.c=$(BUILD)/%.o)
MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/%.o)
TESTS     := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES   := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
TOOLS     := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)

LIB_A   := $(BUILD)/libvgic.a
LIB_SO  := $(BUILD)/libvgic.so.$(VERSION)
MODEL_A := $(BUILD)/libvgic-model.a


.PHONY: abi-check images linux-run conformance
.PHONY: all lib test run install uninstall bench clean setup tests-build \
        test-gcc test-clang test-asan test-tsan freestanding format format-check demo

all: lib $(MODEL_A) $(TESTS) $(BENCHES) $(TOOLS)
lib: $(LIB_A) $(LIB_SO) $(BUILD)/libvgic.pc

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) -Imodel $(ALL_CFLAGS) $(SANITIZE) -fPIC -MMD -MP -c $< -o $@

$(LIB_A): $(OBJ)
	rm -f $@ && ar rcs $@ $^

$(LIB_SO): $(OBJ) libvgic.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=libvgic.map \
	  $(SANITIZE) -o $@ $(OBJ)
	ln -sf libvgic.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf libvgic.so.$(VERSION) $(BUILD)/libvgic.so

$(MODEL_A): $(MODEL_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libvgic.pc: libvgic.pc.in
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(MODEL_A) $(LIB_A)
	$(CC) $(SANITIZE) -o $@ $^ $(LDLIBS_TEST)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(MODEL_A) $(LIB_A)
	$(CC) $(SANITIZE) -o $@ $^ -lpthread

$(BUILD)/tools/%: $(BUILD)/tools/%.o $(MODEL_A) $(LIB_A)
	$(CC) $(SANITIZE) -o $@ $^ -lpthread

-include $(OBJ:.o=.d) $(MODEL_OBJ:.o=.d) $(TOOLS:=.d)

# The reference hypervisor and the guest programs (aarch64 cross builds)
# bring their own rules; each fragment defines its targets under build/.
-include hyp/hyp.mk
-include guests/guests.mk
-include bench/guest/guest-bench.mk
# Verification (issue: oracle, fuzzing, coverage) brings its own rules.
-include tests/oracle/oracle.mk
-include fuzz/fuzz.mk

# ------------------------------------------------------------------ setup
setup:
	@scripts/setup.sh

# ------------------------------------------------------------------- test
tests-build: $(TESTS)

test: setup
	$(MAKE) test-gcc
	$(MAKE) abi-check
	$(MAKE) test-clang
	$(MAKE) test-asan
	$(MAKE) test-tsan
	$(MAKE) freestanding
	$(MAKE) format-check
	$(MAKE) oracle
	$(MAKE) fuzz
	$(MAKE) hyp-check
	$(MAKE) conformance
	$(MAKE) linux-run
	@echo "make test: all stages passed"

test-gcc:
	$(MAKE) CC=gcc BUILD=build all
	scripts/run-tests.sh build/tests

test-clang:
	$(MAKE) CC=clang BUILD=build-clang all
	scripts/run-tests.sh build-clang/tests

test-asan:
	$(MAKE) CC=clang BUILD=build-asan OPT="-O1 -g" \
	  SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  tests-build
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  scripts/run-tests.sh build-asan/tests

# Locking: the multi-threaded test under ThreadSanitizer.
test-tsan:
	$(MAKE) CC=clang BUILD=build-tsan OPT="-O1 -g" \
	  SANITIZE="-fsanitize=thread" build-tsan/tests/test_threads
	TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/test_threads

# The core must build for aarch64 with no C library at all: compile every
# src/ file freestanding, link them into one relocatable object and check
# that nothing outside the library is referenced.
FS_CC    := aarch64-linux-gnu-gcc
FS_FLAGS := $(CSTD) -O2 $(WARN) -ffreestanding -nostdlib -fno-builtin \
            -mno-outline-atomics -mgeneral-regs-only
freestanding:
	@rm -rf build-aarch64 && mkdir -p build-aarch64/obj
	@for f in $(SRC); do \
	  $(FS_CC) $(CPPFLAGS) $(FS_FLAGS) -c $$f -o build-aarch64/obj/$$(basename $$f .c).o || exit 1; \
	done
	$(FS_CC) -nostdlib -r -o build-aarch64/libvgic-freestanding.o build-aarch64/obj/*.o
	@undef=$$(aarch64-linux-gnu-nm -u build-aarch64/libvgic-freestanding.o); \
	if [ -n "$$undef" ]; then echo "freestanding: undefined symbols:"; echo "$$undef"; exit 1; fi
	@echo "freestanding: aarch64 core links with no external symbols"

# The shared library exports exactly the functions vgic.h declares.
abi-check: $(LIB_SO)
	@sed -n 's/^[a-z].*[ *]\(vgic_[a-z0-9_]*\)(.*/\1/p' include/vgic/vgic.h | sort -u > $(BUILD)/api.txt
	@nm -D --defined-only $(LIB_SO) | awk '$$2 == "T" {sub(/@.*/, "", $$3); print $$3}' | sort -u > $(BUILD)/exports.txt
	@diff -u $(BUILD)/api.txt $(BUILD)/exports.txt || { echo "abi-check: exports differ from vgic.h"; exit 1; }
	@echo "abi-check: $$(wc -l < $(BUILD)/api.txt) functions exported, as declared"

FORMAT_FILES = $(SRC) $(wildcard src/*.h include/vgic/*.h) $(MODEL_SRC) \
  $(wildcard model/*.h) $(TEST_SRC) $(wildcard tests/*.h) $(BENCH_SRC) \
  $(TOOL_SRC) $(wildcard hyp/*.c hyp/*.h tests/oracle/*.c tests/oracle/*.h \
  fuzz/*.c fuzz/*.h)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run -Werror $(FORMAT_FILES)

# -------------------------------------------------------------------- run
# The main job: Debian's arm64 Linux under the reference hypervisor, with
# 2 and with 4 vCPUs on 2 physical CPUs, with a vITS: virtio-rng-pci and
# virtio-net-pci signal ITS-MSI interrupts passed through the physical ITS
# (policy MERGE with 2 vCPUs, MASK with 4) while the guest moves them from
# CPU to CPU. The initramfs prints /proc/interrupts, checks that timer
# interrupts, IPIs and MSIs count up on every CPU, and powers off; the
# hypervisor prints its exit counters and per-policy passthrough counts.
# Then a guest with LPIs and DirectLPI but no ITS boots (devices on INTx).
# run-guest exits non-zero on any failure.
IMAGES    := build/images
INITRAMFS := build/initramfs.cpio.gz
LINUX_RUN := scripts/run-guest --kernel $(IMAGES)/Image --initrd $(INITRAMFS) \
             --timeout 300 --pci-dev virtio-rng-pci
LINUX_ARGS := console=ttyAMA0 rdinit=/init panic=-1
LINUX_NET := --qemu-arg -netdev --qemu-arg user,id=n0 \
             --pci-dev virtio-net-pci,netdev=n0,romfile=

run: setup
	$(MAKE) linux-run

images: $(IMAGES)/Image
$(IMAGES)/Image:
	VGIC_IMAGES=$(IMAGES) scripts/fetch-images.sh

$(INITRAMFS): guests/linux/init scripts/mkinitramfs.sh $(IMAGES)/Image
	scripts/mkinitramfs.sh --images $(IMAGES) -o $@

linux-run: hyp $(INITRAMFS) build/tools/hypcfg
	$(LINUX_RUN) --vcpus 2 --pcpus 2 --its $(LINUX_NET) \
	  --append "$(LINUX_ARGS) vgic.test=basic,msi"
	$(LINUX_RUN) --vcpus 4 --pcpus 2 --its --pt-mask $(LINUX_NET) \
	  --append "$(LINUX_ARGS) vgic.test=basic,msi"
	$(LINUX_RUN) --vcpus 2 --pcpus 2 --lpis \
	  --append "$(LINUX_ARGS) vgic.test=basic,rng vgic.quiet=1"

# Guest conformance: each bare-metal guest program on bare QEMU (QEMU's
# GIC is the oracle) and under the hypervisor; outputs must be identical.
conformance: hyp guests build/tools/hypcfg
	scripts/run-conformance --require-hyp

# The model demo: every interrupt's life, printed.
demo: $(BUILD)/tools/vgic-demo
	$(BUILD)/tools/vgic-demo

bench: $(BENCHES)
	@for b in $(BENCHES); do $$b || exit 1; done

# ---------------------------------------------------------------- install
install: lib
	install -d $(DESTDIR)$(INCDIR)/vgic $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 include/vgic/*.h $(DESTDIR)$(INCDIR)/vgic/
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libvgic.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf libvgic.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libvgic.so
	install -m 644 $(BUILD)/libvgic.pc $(DESTDIR)$(LIBDIR)/pkgconfig/

uninstall:
	rm -rf $(DESTDIR)$(INCDIR)/vgic
	rm -f $(DESTDIR)$(LIBDIR)/libvgic.* $(DESTDIR)$(LIBDIR)/pkgconfig/libvgic.pc

clean:
	rm -rf build build-clang build-asan build-tsan build-aarch64
