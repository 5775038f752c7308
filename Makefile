# pagerace: `make fuzz` hunts races from nothing; `make check` runs every
# test; `make` builds build/pagerace.  Each command installs what a fresh
# Debian 12 lacks (scripts/install-deps.sh).
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=gnu11 -Wall -Wextra -Wshadow -Wno-unused-parameter
LDLIBS := -lpthread -ldl
# -Ibuild: the generated table of built-in variants, build/gen/variants.h.
INC := -Ishim -Isrc -Ibuild
# The command line compiles users' variant files (--variant-file) with the
# same compiler against these headers, and exports its symbols to them.
CLI_FLAGS = $(INC) -rdynamic -DPAGERACE_CC='"$(CC)"' -DPAGERACE_ROOT='"$(CURDIR)"'
ASAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN := -O1 -g -fsanitize=thread

# The library: src/ has a directory for each room (lang, model, exec,
# check, report, engines, variant, cli).  Every src/*/*.c but the command
# line's (src/cli: main.c, and variant_file.c, which loads users' variant
# files) and variant_defaults.c (compiled once per variant), and the
# built-in kernel variants, one file each, each built as two units
# (scripts/variant-wrap.sh), with their table generated from the same
# files (scripts/variants.sh: the one list of them, and each one's role).
CLI_SRC := $(sort $(wildcard src/cli/*.c))
VARIANT_SRC := $(sort $(wildcard variants/*.c))
GEN_SRC := $(foreach f,$(VARIANT_SRC),build/gen/variant-$(notdir $(f)) build/gen/defaults-$(notdir $(f))) \
	build/gen/variants.c
LIB_SRC := $(filter-out $(CLI_SRC) src/variant/variant_defaults.c,$(sort $(wildcard src/*/*.c)))
SRC := $(LIB_SRC) $(GEN_SRC)
HDR := $(wildcard src/*/*.h) $(wildcard shim/linux/*.h shim/pagerace/*.h) src/variant/variant_defaults.c $(VARIANT_SRC) \
	build/gen/variants.h
TESTS := tests/main.c $(sort $(wildcard tests/test_*.c))
DEPS := gcc make libc6-dev libasan8 libubsan1 libtsan2
FUZZ_DEPS := clang-19 libclang-rt-19-dev llvm-19 afl++ gnuplot-nox

# make fuzz: one variant's target, one engine, one sanitizer.
VARIANT ?= v5.9
SANITIZER ?= none
ENGINE ?= libfuzzer
FUZZ_SECONDS ?= 60
JOBS ?= 1
FRESH ?=
# REFS=1: the refcount sanitizer (--refs, the rule in src/exec/primitives.c)
# in the target (PAGERACE_REFS=1) and in the minimizer.
REFS ?=
ALL_VARIANTS := $(shell sh scripts/variants.sh list)
# VARIANT_FILE=path/to/mine.c: a kernel variant of your own instead
# (docs/writing-a-variant.md), named file-mine.
VARIANT_FILE ?=
file_variant = file-$(basename $(notdir $(1)))
ifneq ($(VARIANT_FILE),)
override VARIANT := $(call file_variant,$(VARIANT_FILE))
VARIANT_DEF := -DPAGERACE_VARIANT_FILE
VARIANT_ARGS := --variant-file $(VARIANT_FILE)
FILE_GEN := build/gen/file/variant-$(notdir $(VARIANT_FILE)) build/gen/file/defaults-$(notdir $(VARIANT_FILE))
else
$(if $(filter $(VARIANT),$(ALL_VARIANTS)),,$(error VARIANT must be one of $(ALL_VARIANTS), not '$(VARIANT)'))
VARIANT_DEF := -DPAGERACE_VARIANT='"$(VARIANT)"'
VARIANT_ARGS := --variant $(VARIANT)
endif
$(if $(filter $(SANITIZER),none address thread),,$(error SANITIZER must be none, address or thread, not '$(SANITIZER)'))
$(if $(filter-out 0 1,$(REFS)),$(error REFS must be 0 or 1, not '$(REFS)'))
$(if $(filter $(ENGINE),libfuzzer afl),,$(error ENGINE must be libfuzzer or afl, not '$(ENGINE)'))
FUZZ_SRC := fuzz/target.c fuzz/feedback.c
FUZZ_BIN = build/fuzz/$(ENGINE)-$(SANITIZER)/fuzz-$(VARIANT)
# libFuzzer: clang-19, whose TSan runtime sees no false race in libFuzzer's
# own counters (clang-14's does).  AFL++: its compiler and its driver.
SAN_none :=
SAN_address := -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_thread := -fsanitize=thread
AFL_SAN_none :=
AFL_SAN_address := AFL_USE_ASAN=1 AFL_USE_UBSAN=1
AFL_SAN_thread := AFL_USE_TSAN=1 AFL_LLVM_THREADSAFE_INST=1
# Coverage stays off the harness's own code (fuzz/coverage-ignore.txt);
# AFL++ takes the same list as plain file names.
FUZZ_CC_libfuzzer = clang-19 -fsanitize=fuzzer -fsanitize-coverage-ignorelist=fuzz/coverage-ignore.txt \
	$(SAN_$(SANITIZER))
FUZZ_CC_afl = AFL_QUIET=1 AFL_LLVM_DENYLIST=$(CURDIR)/build/fuzz/afl-denylist.txt $(AFL_SAN_$(SANITIZER)) \
	afl-clang-fast -fsanitize=fuzzer
FUZZ_CFLAGS := -O2 -g -fno-omit-frame-pointer

all: build/pagerace

build/gen/variant-%.c build/gen/defaults-%.c: variants/%.c scripts/variant-wrap.sh scripts/variants.sh
	@sh scripts/variant-wrap.sh $< $$(sh scripts/variants.sh id $<) build/gen

# The folder variants/ changes when a variant file comes or goes.
build/gen/variants.h build/gen/variants.c &: variants $(VARIANT_SRC) scripts/variants.sh
	@sh scripts/variants.sh table build/gen

build/.deps: scripts/install-deps.sh Makefile
	@mkdir -p build
	@sh scripts/install-deps.sh $(DEPS)
	@touch $@

build/.fuzzdeps: scripts/install-deps.sh Makefile build/.deps
	@sh scripts/install-deps.sh $(FUZZ_DEPS)
	@touch $@

build/pagerace: $(SRC) $(CLI_SRC) $(HDR) build/.deps
	$(CC) $(WARN) $(CFLAGS) $(CLI_FLAGS) -o $@ $(SRC) $(CLI_SRC) $(LDLIBS)

# The unit tests' variant file with ops of its own (tests/test_ops.c).
TEST_GEN := build/gen/test/variant-added-ops.c build/gen/test/defaults-added-ops.c
$(TEST_GEN) &: tests/variants/added-ops.c scripts/variant-wrap.sh
	@sh scripts/variant-wrap.sh $< test_ops build/gen/test

build/test-unit: $(SRC) $(TESTS) $(TEST_GEN) $(HDR) tests/test.h build/.deps
	$(CC) $(WARN) $(CFLAGS) $(INC) -o $@ $(SRC) $(TEST_GEN) $(TESTS) $(LDLIBS)

build/asan/pagerace: $(SRC) $(CLI_SRC) $(HDR) build/.deps
	@mkdir -p build/asan
	$(CC) $(WARN) $(ASAN) $(CLI_FLAGS) -o $@ $(SRC) $(CLI_SRC) $(LDLIBS)

build/asan/test-unit: $(SRC) $(TESTS) $(TEST_GEN) $(HDR) tests/test.h build/.deps
	@mkdir -p build/asan
	$(CC) $(WARN) $(ASAN) $(INC) -o $@ $(SRC) $(TEST_GEN) $(TESTS) $(LDLIBS)

build/tsan/pagerace: $(SRC) $(CLI_SRC) $(HDR) build/.deps
	@mkdir -p build/tsan
	$(CC) $(WARN) $(TSAN) $(CLI_FLAGS) -o $@ $(SRC) $(CLI_SRC) $(LDLIBS)

# A variant file is checked against the interface first, for a clear
# message; then compiled into the target.
build/fuzz/afl-denylist.txt: fuzz/coverage-ignore.txt
	@mkdir -p $(dir $@)
	@sed -n 's/^src:\*//p' $< >$@

$(FUZZ_BIN): $(SRC) $(FUZZ_SRC) $(HDR) fuzz/feedback.h build/.fuzzdeps $(VARIANT_FILE) \
		fuzz/coverage-ignore.txt build/fuzz/afl-denylist.txt \
		$(if $(VARIANT_FILE),build/pagerace)
	@mkdir -p $(dir $@)
	$(if $(VARIANT_FILE),@build/pagerace check-variant $(VARIANT_FILE))
	$(if $(VARIANT_FILE),@sh scripts/variant-wrap.sh $(VARIANT_FILE) file build/gen/file)
	$(FUZZ_CC_$(ENGINE)) $(WARN) $(FUZZ_CFLAGS) $(INC) -DPAGERACE_FUZZ $(VARIANT_DEF) \
		-o $@ $(SRC) $(FILE_GEN) $(FUZZ_SRC) $(LDLIBS)

fuzz: $(FUZZ_BIN) build/pagerace
	@VARIANT=$(VARIANT) VARIANT_ARGS="$(VARIANT_ARGS)" SANITIZER=$(SANITIZER) ENGINE=$(ENGINE) \
		FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) FRESH=$(FRESH) REFS=$(REFS) BIN=$(FUZZ_BIN) sh scripts/fuzz.sh

# make check's targets: every variant under ASan+UBSan, and under TSan the
# one with a planted race and the correct kernels (tests/fuzz-targets.sh).
CHECK_FUZZ := $(foreach v,$(ALL_VARIANTS),build/fuzz/libfuzzer-address/fuzz-$(v)) \
	$(foreach v,$(shell sh scripts/variants.sh list racy correct),build/fuzz/libfuzzer-thread/fuzz-$(v))

# make campaign: hours of fuzzing over several variants (scripts/campaign.sh):
# VARIANTS, built-in ones, and VARIANT_FILES, variant files, each named
# file-NAME as make fuzz names VARIANT_FILE's (VARIANT_FILE=f is
# VARIANT_FILES=f).  VARIANT_FILES takes shell patterns, each of which must
# match a file: "variants/examples/*.c" is every example.  VARIANTS is by
# default the kernels, buggy and correct, or none when files are given.
VARIANT_FILES ?=
CAMPAIGN_FILES = $(sort $(VARIANT_FILE) $(foreach p,$(VARIANT_FILES),\
	$(or $(wildcard $(p)),$(error VARIANT_FILES: no file matches '$(p)'))))
VARIANTS ?= $(if $(VARIANT_FILE)$(VARIANT_FILES),,$(shell sh scripts/variants.sh list buggy correct))
HOURS ?= 1

campaign: build/pagerace
	@for v in $(VARIANTS); do $(MAKE) --no-print-directory VARIANT=$$v VARIANT_FILE= \
		build/fuzz/$(ENGINE)-$(SANITIZER)/fuzz-$$v || exit 2; done
	@$(foreach f,$(CAMPAIGN_FILES),$(MAKE) --no-print-directory VARIANT_FILE=$(f) \
		build/fuzz/$(ENGINE)-$(SANITIZER)/fuzz-$(call file_variant,$(f)) || exit 2;)
	@VARIANTS="$(VARIANTS)" JOBS=$(JOBS) ENGINE=$(ENGINE) HOURS=$(HOURS) \
		VARIANT_FILES="$(foreach f,$(CAMPAIGN_FILES),$(call file_variant,$(f))=$(f))" \
		SANITIZER=$(SANITIZER) REFS=$(REFS) FUZZ_DIR=build/fuzz/$(ENGINE)-$(SANITIZER) bash scripts/campaign.sh

# make test: the fast part of check, gcc only, no fuzzer: the harness's
# accounting, src/'s rooms in their order, the unit tests (TEST=NAME: only
# the tests matching that shell pattern), the command line and the variant
# files.
FAST_PARTS := harness layout unit cli variants
test: build/pagerace build/test-unit
ifneq ($(TEST),)
	build/test-unit $(TEST)
else
	sh tests/run.sh $(FAST_PARTS)
endif

check: build/pagerace build/test-unit build/asan/pagerace build/asan/test-unit build/tsan/pagerace
	@for t in $(CHECK_FUZZ); do \
		set -- $$(echo $$t | sed -E 's|build/fuzz/libfuzzer-([a-z]+)/fuzz-(.*)|\1 \2|'); \
		$(MAKE) --no-print-directory $$t SANITIZER=$$1 VARIANT=$$2 || exit 1; done
	sh tests/run.sh

# make mutate: the mutation check, not part of check: each mutant of
# tests/mutants.txt planted in a copy of the tree, make test's parts run
# against it (scripts/mutate.sh).
mutate:
	sh scripts/mutate.sh

print-src:
	@echo $(LIB_SRC) $(VARIANT_SRC)

# Everything make builds is in build/; the corpora and crashes stay.
clean:
	rm -rf build

.PHONY: all test check fuzz campaign print-src clean mutate

build/bench-replay-rate: $(SRC) bench/replay_rate.c $(HDR) build/.deps
	$(CC) $(WARN) $(CFLAGS) $(INC) -o $@ $(SRC) bench/replay_rate.c $(LDLIBS)

bench: build/bench-replay-rate build/pagerace build/.fuzzdeps
	bash bench/bench.sh build/bench-replay-rate

bench-variants: build/pagerace build/.fuzzdeps
	bash bench/variant-examples.sh

bench-kernel-shaped: build/bench-replay-rate
	bash bench/kernel-shaped.sh build/bench-replay-rate

# The cost of one fuzz execution by part, main's design beside this one
# (callgrind), and their exec/s.
bench-exec-cost: build/.fuzzdeps
	bash bench/exec-cost.sh

# Alone, section 4 of make bench: its table on stdout and in build/bench/refs.md.
bench-refs: build/pagerace build/.fuzzdeps
	bash bench/refs.sh

.PHONY: bench bench-variants bench-kernel-shaped bench-refs bench-exec-cost
