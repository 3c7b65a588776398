# Ember: Torch7's API on Lua 5.4.  `make run` and `make test` do everything
# on a fresh Debian machine (the `deps` step installs what is missing).
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
LUA_PC  ?= lua5.4
PKGS     = $(LUA_PC) openblas zlib
DEBS     = liblua5.4-dev libopenblas-dev zlib1g-dev pkg-config libreadline-dev

OPT     ?= -O2 -march=native
CFLAGS  ?= -g $(OPT)
CFLAGS  += -std=c11 -D_GNU_SOURCE -fPIC -pthread -Wall -Wextra -Wshadow \
           -Wstrict-prototypes -MMD -MP -Isrc \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
READLINE = $(shell test -f /usr/include/readline/readline.h && echo 1)
ifeq ($(READLINE),1)
TH_DEFS  = -DEMBER_READLINE
TH_LIBS  = -lreadline
endif

# Core files never start with `l` (those are the Lua bindings) and th.c is
# the runner; everything else is the Lua-free core.
CORE_SRC = $(filter-out src/l%.c src/th.c,$(wildcard src/*.c))
BIND_SRC = $(wildcard src/l*.c)
CORE_OBJ = $(CORE_SRC:src/%.c=$(BUILD)/obj/%.o)
BIND_OBJ = $(BIND_SRC:src/%.c=$(BUILD)/obj/%.o)
CTESTS   = $(patsubst tests/c/%.c,$(BUILD)/tests/%,$(wildcard tests/c/test_*.c))

LIBCORE  = $(BUILD)/libcore.a
MODULE   = $(BUILD)/lib/ember/core.so
TH       = $(BUILD)/th

.PHONY: all deps bench-deps test sanitize run bench bench-gemm install clean experiments reproduce fuzz
all: deps $(TH) $(MODULE) $(CTESTS)

# Installs the Debian packages of $(1) that are missing (needs root or sudo).
define install_debs
@missing=""; for p in $(1); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "$@: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "$@: need root to install:$$missing (run: apt-get install$$missing)"; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "$@: apt-get install$$missing failed"; exit 1; }; fi
endef

deps:
	$(call install_debs,$(DEBS))

# The benchmark's peer (PyTorch, Debian's build); the bench runs without it
# (and says so) when it cannot be installed.
bench-deps:
	-$(call install_debs,python3-torch)

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<
$(BUILD)/obj/th.o: src/th.c | $(BUILD)/obj
	$(CC) $(CFLAGS) $(TH_DEFS) -c -o $@ $<
# Every compile waits for deps (order-only), also under make -j.
$(BUILD)/obj $(BUILD)/tests $(BUILD)/lib/ember: | deps
	mkdir -p $@

$(LIBCORE): $(CORE_OBJ)
	$(AR) rcs $@ $^
# The module leaves lua_* symbols to the host (th or lua5.4).
$(MODULE): $(BIND_OBJ) $(LIBCORE) | $(BUILD)/lib/ember
	$(CC) -shared $(LDFLAGS) -o $@ $(BIND_OBJ) $(LIBCORE) \
	  $(shell pkg-config --libs openblas zlib 2>/dev/null) -lm -lpthread
$(TH): $(BUILD)/obj/th.o $(MODULE)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $(BUILD)/obj/th.o $(LDLIBS) $(TH_LIBS) -ldl
$(BUILD)/tests/%: tests/c/%.c tests/c/check.h $(LIBCORE) | $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests/c -o $@ $< $(LIBCORE) $(LDLIBS)

# Every C test binary and the Lua suite; ends with `N passed, M failed`.
test: all
	@BUILD=$(BUILD) sh tests/run.sh

sanitize:
	$(MAKE) BUILD=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined" \
	  LDFLAGS="-fsanitize=address,undefined" test

run: all
	$(TH) tutorial/doall.lua -size small

# The report's tables: every variant on the small set (3 seeds); `reproduce`
# adds the full-set runs, the test set, the figures and results/REPORT.md.
experiments: all
	$(TH) tutorial/experiments.lua small results
reproduce: all
	$(TH) tutorial/experiments.lua all results

bench: all bench-deps
	$(TH) bench/bench.lua

# OpenBLAS against our AVX-512 gemm on the ConvNet's shapes (not run by
# `make test`): build/bench/gemm_conv [samples] [filter]
bench-gemm: $(BUILD)/bench/gemm_conv
$(BUILD)/bench/gemm_conv: bench/gemm_conv.c $(LIBCORE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS)

# Fuzzes the .t7 reader (file layer and the whole Lua reader) for
# FUZZ_SECONDS each with libFuzzer; not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz: all
	@command -v clang >/dev/null || { echo "fuzz: needs clang (apt-get install clang)"; exit 1; }
	BUILD=$(BUILD) sh tests/fuzz/run.sh $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/ember $(DESTDIR)$(PREFIX)/share/ember
	install -m 755 $(TH) $(DESTDIR)$(PREFIX)/bin/th
	install -m 644 $(MODULE) $(DESTDIR)$(PREFIX)/lib/ember/core.so
	cp -r lua data models tutorial $(DESTDIR)$(PREFIX)/share/ember/

clean:
	rm -rf $(BUILD) build-asan

-include $(CORE_OBJ:.o=.d) $(BIND_OBJ:.o=.d) $(BUILD)/obj/th.d
