# pagerace: `make` builds build/pagerace; `make check` runs every test.
# Each command installs what a fresh Debian 12 lacks (scripts/install-deps.sh).
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=gnu11 -Wall -Wextra -Wshadow -Wno-unused-parameter
LDLIBS := -lpthread
ASAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN := -O1 -g -fsanitize=thread

SRC := src/mm.c src/page_alloc.c src/filemap.c src/variant.c src/program.c \
       src/scheduler.c src/exec.c src/check.c src/report.c src/decode.c
HDR := $(wildcard src/*.h)
TESTS := tests/main.c tests/test_model.c tests/test_program.c tests/test_exec.c
DEPS := gcc make libc6-dev libasan8 libubsan1 libtsan2

all: build/pagerace

build/.deps: scripts/install-deps.sh Makefile
	@mkdir -p build
	@sh scripts/install-deps.sh $(DEPS)
	@touch $@

build/pagerace: $(SRC) src/main.c $(HDR) build/.deps
	$(CC) $(WARN) $(CFLAGS) -o $@ $(SRC) src/main.c $(LDLIBS)

build/test-unit: $(SRC) $(TESTS) $(HDR) tests/test.h build/.deps
	$(CC) $(WARN) $(CFLAGS) -Isrc -o $@ $(SRC) $(TESTS) $(LDLIBS)

build/asan/pagerace: $(SRC) src/main.c $(HDR) build/.deps
	@mkdir -p build/asan
	$(CC) $(WARN) $(ASAN) -o $@ $(SRC) src/main.c $(LDLIBS)

build/asan/test-unit: $(SRC) $(TESTS) $(HDR) tests/test.h build/.deps
	@mkdir -p build/asan
	$(CC) $(WARN) $(ASAN) -Isrc -o $@ $(SRC) $(TESTS) $(LDLIBS)

build/tsan/pagerace: $(SRC) src/main.c $(HDR) build/.deps
	@mkdir -p build/tsan
	$(CC) $(WARN) $(TSAN) -o $@ $(SRC) src/main.c $(LDLIBS)

check: build/pagerace build/test-unit build/asan/pagerace build/asan/test-unit build/tsan/pagerace
	sh tests/run.sh

.PHONY: all check

build/bench-replay-rate: $(SRC) bench/replay_rate.c $(HDR) build/.deps
	$(CC) $(WARN) $(CFLAGS) -Isrc -o $@ $(SRC) bench/replay_rate.c $(LDLIBS)

bench: build/bench-replay-rate
	sh bench/replay-rate.sh build/bench-replay-rate

.PHONY: bench
