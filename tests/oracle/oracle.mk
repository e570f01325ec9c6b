# Differential oracle: QEMU's GICv3 and ITS over qtest against libvgic's
# guest view and the software model's physical view (tests/oracle/oracle.c,
# ITS runs in tests/oracle/itsgen.c).
#   make oracle        the full register sweep (GICD, GICR, GITS), five
#                      GICD/GICR random seeds with 4 CPUs, one seed each
#                      with 1 and 8 CPUs; three ITS seeds with 4 CPUs, one
#                      each with 1 and 8 CPUs (quick, ~20 s)
#   make oracle-long   the sweep, then 15 GICD/GICR seeds and 15 ITS seeds
#                      of 200k operations with each of 1, 2, 4 and 8 CPUs
#                      (minutes)
# Reproduce one random run:
#   $(BUILD)/oracle/oracle --cpus C [--its] --seed N --ops M --log
ORACLE_SRC  := $(sort $(wildcard tests/oracle/*.c))
ORACLE_OBJ  := $(ORACLE_SRC:tests/oracle/%.c=$(BUILD)/oracle/%.o)
ORACLE_BIN  := $(BUILD)/oracle/oracle
ORACLE_LIST := tests/oracle/allowlist.txt
ORACLE_QUICK ?= --sweep --seed 1 --seeds 5 --ops 40000
ORACLE_ITS_QUICK ?= --its --seed 1 --seeds 4 --ops 40000
ORACLE_LONG  ?= --sweep --seed 1000 --seeds 15 --ops 200000
ORACLE_ITS_LONG ?= --its --seed 1000 --seeds 15 --ops 200000

.PHONY: oracle oracle-long oracle-build

$(BUILD)/oracle/%.o: tests/oracle/%.c $(wildcard tests/oracle/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) -Imodel -Itests/oracle $(CSTD) $(OPT) $(WARN) \
	  $(CFLAGS) $(SANITIZE) -c $< -o $@

$(ORACLE_BIN): $(ORACLE_OBJ) $(MODEL_A) $(LIB_A)
	$(CC) $(SANITIZE) -o $@ $^

oracle-build: $(ORACLE_BIN)

# The outer timeout bounds the whole run; each QEMU has its own.
oracle: $(ORACLE_BIN)
	timeout 600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) $(ORACLE_QUICK)
	timeout 600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) --cpus 1 \
	  --seed 101 --ops 20000
	timeout 600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) --cpus 8 \
	  --seed 201 --ops 20000
	timeout 600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) $(ORACLE_ITS_QUICK)
	timeout 600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) --cpus 1 \
	  --its --seed 101 --ops 40000
	timeout 600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) --cpus 8 \
	  --its --seed 201 --ops 30000

oracle-long: $(ORACLE_BIN)
	for c in 1 2 4 8; do \
	  timeout 3600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) --timeout 900 \
	    --cpus $$c $(ORACLE_LONG) || exit 1; \
	  timeout 3600 $(ORACLE_BIN) --allowlist $(ORACLE_LIST) --timeout 900 \
	    --cpus $$c $(ORACLE_ITS_LONG) || exit 1; \
	done
