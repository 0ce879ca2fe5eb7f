# vfio-pinctl — build, test, demo, install.
# `make` leaves ./vfio-pinctl; `make check` installs what it needs and runs every test.

PROG      := vfio-pinctl
VERSION   := 0.1.0
PKGS      := smartcols libpci libkmod libudev libcap
PREFIX    ?= /usr/local
DESTDIR   ?=

CC        ?= cc
CFLAGS    ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread
ALL_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DVERSION='"$(VERSION)"' \
             -Isrc -pthread $(PKG_CFLAGS) $(CFLAGS)

SRCS  := $(sort $(wildcard src/*.c))
OBJS  := $(SRCS:src/%.c=build/%.o)
LIBOBJS := $(filter-out build/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/unit/%)
HOST_HELPERS_SRCS := $(sort $(wildcard tests/host/*.c))
HOST_HELPERS := $(HOST_HELPERS_SRCS:%.c=%)

.PHONY: all check unit host vm deps demo clean install uninstall bench
all: $(PROG)

build/%.o: src/%.c $(wildcard src/*.h) | build
	@echo '  CC      $<'
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

build:
	mkdir -p build build/unit

$(PROG): $(OBJS)
	@echo '  LD      $@'
	@$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/unit/%: tests/unit/%.c $(LIBOBJS) | build
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(LIBOBJS) \
		$(PKG_LIBS) $(shell pkg-config --libs cmocka)

tests/host/%: tests/host/%.c
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $<

deps:
	tests/install-deps.sh

unit: $(UNIT_BINS)
	tests/run-unit.sh $(UNIT_BINS)

host: $(PROG) $(HOST_HELPERS)
	tests/run-host.sh

vm: $(PROG) $(HOST_HELPERS)
	tests/vm/run-all.sh

# The README's test command: installs what it needs, then runs every test.
check: deps
	$(MAKE) all $(UNIT_BINS) $(HOST_HELPERS)
	tests/run-all.sh

demo: deps
	$(MAKE) all $(HOST_HELPERS)
	tests/demo.sh

bench: $(PROG) $(HOST_HELPERS)
	bench/inspect

clean:
	rm -rf build $(PROG) $(HOST_HELPERS)
