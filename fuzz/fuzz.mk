# libFuzzer targets and source-based coverage (included by the Makefile).
#
#   make fuzz          build every fuzz/fuzz_*.c with clang, libFuzzer,
#                      ASan and UBSan; replay its seed corpus, then fuzz it
#                      for FUZZ_QUICK seconds (the make test stage)
#   make fuzz-long     fuzz each target for FUZZ_RUNS executions (default
#                      10^7; FUZZ_TIME seconds caps each run if set) and
#                      print the executions and speed of each
#   make fuzz-merge    fold the long runs' new inputs into fuzz/corpus
#                      (minimised: only inputs that add coverage)
#   make coverage      line and branch coverage of src/ by the unit tests
#                      plus the replayed fuzz corpora
#
# Seeds live in fuzz/corpus/<target>/ (fuzz/gen-seeds.c writes them).
# Inputs found while fuzzing go to build-fuzz/corpus/<target>/, crashes
# to build-fuzz/artifacts/.

FUZZ_BUILD   := build-fuzz
FUZZ_CC      := clang
FUZZ_QUICK   ?= 12
FUZZ_RUNS    ?= 10000000
FUZZ_TIME    ?= 0
FUZZ_MAXLEN  ?= 0
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(CSTD) -O1 -g $(WARN) $(CPPFLAGS) -Imodel
FUZZ_SRC     := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_NAMES   := $(FUZZ_SRC:fuzz/%.c=%)
# fuzz-long on a subset: make fuzz-long FUZZ_TARGETS="fuzz_gicd fuzz_vcpu"
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)
FUZZ_LIBOBJ  := $(SRC:%.c=$(FUZZ_BUILD)/obj/%.o) \
                $(MODEL_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_HDRS    := $(wildcard fuzz/*.h src/*.h model/*.h include/vgic/*.h)
FUZZ_OPTS    := -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
fuzz fuzz-long fuzz-merge: export ASAN_OPTIONS := detect_leaks=1:abort_on_error=1
fuzz fuzz-long fuzz-merge: export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1

.PHONY: fuzz fuzz-build fuzz-long fuzz-merge fuzz-seeds coverage

# The library and the model carry coverage instrumentation for the
# fuzzer (fuzzer-no-link) and the same sanitizers as the targets.
$(FUZZ_BUILD)/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@

# The model is the test bench, not what is fuzzed: no coverage feedback
# from it (its O(INTIDs) scans would otherwise dominate every execution).
$(FUZZ_BUILD)/obj/model/%.o: model/%.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -c $< -o $@

# The target's own loops (the invariant checks) need no comparison
# tracing: it only slows them down; the library keeps it.
$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_LIBOBJ) $(FUZZ_HDRS)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer \
	  -fno-sanitize-coverage=trace-cmp $< $(FUZZ_LIBOBJ) -o $@

fuzz-build: $(FUZZ_BINS)

# Replay every seed (a regression test of past findings), then fuzz
# briefly from a scratch copy so the kept corpus stays as committed.
fuzz: fuzz-build
	@for t in $(FUZZ_NAMES); do \
	  seeds=fuzz/corpus/$$t; work=$(FUZZ_BUILD)/quick/$$t; \
	  rm -rf $$work && mkdir -p $$work $(FUZZ_BUILD)/artifacts; \
	  echo "fuzz: $$t: replaying $$(ls $$seeds | wc -l) seeds"; \
	  $(FUZZ_BUILD)/$$t -runs=0 -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- \
	    $$seeds >$(FUZZ_BUILD)/$$t.replay.log 2>&1 \
	    || { tail -40 $(FUZZ_BUILD)/$$t.replay.log; exit 1; }; \
	  $(FUZZ_BUILD)/$$t $(FUZZ_OPTS) -max_total_time=$(FUZZ_QUICK) \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- $$work $$seeds \
	    >$(FUZZ_BUILD)/$$t.quick.log 2>&1 \
	    || { tail -40 $(FUZZ_BUILD)/$$t.quick.log; exit 1; }; \
	  echo "fuzz: $$t: $$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    $(FUZZ_BUILD)/$$t.quick.log) execs in $(FUZZ_QUICK) s, no finding"; \
	done

# One target at a time (the machine is shared); the corpus grows in
# build-fuzz/corpus/<target> across runs.
fuzz-long: fuzz-build
	@failed=; for t in $(FUZZ_TARGETS); do \
	  work=$(FUZZ_BUILD)/corpus/$$t; mkdir -p $$work $(FUZZ_BUILD)/artifacts; \
	  log=$(FUZZ_BUILD)/$$t.long.log; \
	  echo "fuzz-long: $$t: up to $(FUZZ_RUNS) runs (log: $$log)"; \
	  start=$$(date +%s); \
	  $(FUZZ_BUILD)/$$t $(FUZZ_OPTS) -runs=$(FUZZ_RUNS) \
	    -max_total_time=$(FUZZ_TIME) -max_len=$(FUZZ_MAXLEN) \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- $$work \
	    fuzz/corpus/$$t >$$log 2>&1; rc=$$?; \
	  secs=$$(( $$(date +%s) - start )); \
	  execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
	  if [ $$rc -ne 0 ]; then \
	    grep -E -A30 'invariant failed|ERROR: |runtime error' $$log | head -40; \
	    failed="$$failed $$t"; fi; \
	  echo "fuzz-long: $$t: $${execs:-?} execs in $$secs s" \
	    "($$(( $${execs:-0} / (secs ? secs : 1) )) exec/s)," \
	    "corpus $$(ls $$work | wc -l) inputs," \
	    "$$([ $$rc -eq 0 ] && echo no finding || echo FINDING, see $$log)"; \
	done; [ -z "$$failed" ] || { echo "fuzz-long: findings in$$failed"; exit 1; }

fuzz-merge: fuzz-build
	@for t in $(FUZZ_NAMES); do \
	  $(FUZZ_BUILD)/$$t -merge=1 fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t \
	    2>&1 | grep -E '^MERGE-OUTER: [0-9]+ new files' || true; \
	done

fuzz-seeds: $(FUZZ_BUILD)/gen-seeds
	$(FUZZ_BUILD)/gen-seeds fuzz/corpus

$(FUZZ_BUILD)/gen-seeds: fuzz/gen-seeds.c
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(CSTD) -O1 $(WARN) $< -o $@

# ------------------------------------------------------------ coverage
# clang source-based coverage of every unit test plus every fuzz target
# replaying its seed corpus (and the corpus fuzz-long grew, if there is
# one); line and branch figures for src/ only.

COV_BUILD   := build-cov
COV_FLAGS   := -fprofile-instr-generate -fcoverage-mapping
COV_CFLAGS  := $(CSTD) -O0 -g $(WARN) $(CPPFLAGS) -Imodel $(COV_FLAGS)
LLVM_PROFDATA ?= $(firstword $(wildcard /usr/bin/llvm-profdata-14 \
                 /usr/lib/llvm-14/bin/llvm-profdata) llvm-profdata)
LLVM_COV      ?= $(firstword $(wildcard /usr/bin/llvm-cov-14 \
                 /usr/lib/llvm-14/bin/llvm-cov) llvm-cov)
COV_LIBOBJ  := $(SRC:%.c=$(COV_BUILD)/obj/%.o) \
               $(MODEL_SRC:%.c=$(COV_BUILD)/obj/%.o)
COV_TESTS   := $(TEST_SRC:tests/%.c=$(COV_BUILD)/tests/%)
COV_FUZZ    := $(FUZZ_NAMES:%=$(COV_BUILD)/%)

$(COV_BUILD)/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	@echo "  COVCC   $<"
	@$(FUZZ_CC) $(COV_CFLAGS) -c $< -o $@

$(COV_BUILD)/tests/%: tests/%.c $(COV_LIBOBJ) tests/harness.h
	@mkdir -p $(dir $@)
	@echo "  COVLD   $@"
	@$(FUZZ_CC) $(COV_CFLAGS) $< $(COV_LIBOBJ) -o $@ $(LDLIBS_TEST)

$(COV_BUILD)/fuzz_%: fuzz/fuzz_%.c $(COV_LIBOBJ) $(FUZZ_HDRS)
	@echo "  COVLD   $@"
	@$(FUZZ_CC) $(COV_CFLAGS) -fsanitize=fuzzer $< $(COV_LIBOBJ) -o $@

coverage: $(COV_TESTS) $(COV_FUZZ)
	@rm -rf $(COV_BUILD)/prof && mkdir -p $(COV_BUILD)/prof
	@for t in $(COV_TESTS); do \
	  LLVM_PROFILE_FILE=$(COV_BUILD)/prof/$$(basename $$t).profraw \
	    $$t >$(COV_BUILD)/prof/$$(basename $$t).log 2>&1 \
	    || echo "coverage: $$t failed (see its log in $(COV_BUILD)/prof);" \
	      "its coverage still counts"; \
	done
	@for t in $(FUZZ_NAMES); do \
	  LLVM_PROFILE_FILE=$(COV_BUILD)/prof/$$t.profraw \
	    $(COV_BUILD)/$$t -runs=0 fuzz/corpus/$$t \
	    $$([ -d $(FUZZ_BUILD)/corpus/$$t ] && echo $(FUZZ_BUILD)/corpus/$$t) \
	    >$(COV_BUILD)/prof/$$t.log 2>&1 \
	    || { tail -20 $(COV_BUILD)/prof/$$t.log; exit 1; }; \
	done
	@$(LLVM_PROFDATA) merge -sparse $(COV_BUILD)/prof/*.profraw \
	  -o $(COV_BUILD)/all.profdata
	@$(LLVM_COV) report $(firstword $(COV_TESTS)) \
	  $(addprefix -object ,$(wordlist 2,999,$(COV_TESTS)) $(COV_FUZZ)) \
	  -instr-profile=$(COV_BUILD)/all.profdata $(SRC) \
	  | tee $(COV_BUILD)/report.txt
	@$(LLVM_COV) show $(firstword $(COV_TESTS)) \
	  $(addprefix -object ,$(wordlist 2,999,$(COV_TESTS)) $(COV_FUZZ)) \
	  -instr-profile=$(COV_BUILD)/all.profdata -show-branches=count \
	  -format=html -output-dir=$(COV_BUILD)/html $(SRC) >/dev/null
	@awk '/^TOTAL/ {print "coverage of src/: lines " $$10 \
	  " (" $$8 - $$9 "/" $$8 "), branches " $$13 " (" $$11 - $$12 "/" $$11 ")"}' \
	  $(COV_BUILD)/report.txt
	@echo "coverage: per-line detail in $(COV_BUILD)/html/index.html"

# Keep the instrumented objects between runs.
.SECONDARY: $(FUZZ_LIBOBJ) $(COV_LIBOBJ)
