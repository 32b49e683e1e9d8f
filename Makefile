# libwinback -- top-level Makefile. The library itself is built by lib/Makefile.
#
#   make            build libwinback.a and libwinback.so
#   make demo       build and run the example on bundled data
#   make check      build and run every test, the examples, the exported-
#                   symbol check and an install/pkg-config round trip
#   make install    honours DESTDIR PREFIX LIBDIR INCLUDEDIR PKGCONFIGDIR MANDIR
#   make uninstall  removes exactly the files install wrote

PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR       ?= $(PREFIX)/share/man

CC      ?= cc
CFLAGS  ?= -O2 -g
WB_WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wcast-qual -Wformat=2 -Wundef -Wvla -Wconversion -Werror
VERSION := $(shell $(MAKE) -s -C lib version)
MAJOR   := $(firstword $(subst ., ,$(VERSION)))

TESTS    := status day policy recency value history severity contact decide \
            amount ledger reader model
TEST_BIN := $(TESTS:%=test/test_%)
EXAMPLES := examples/classify
TOOL     := examples/winback/winback
TOOL_SRC := $(wildcard examples/winback/*.c)
GENLOG   := examples/genlog
BINDIR   ?= $(PREFIX)/bin

.PHONY: all lib deps deps-test deps-bench bench demo check test examples e2e symbols \
        check-sanitize check-valgrind fuzz check-cross firmware coverage lint \
        headercheck installcheck install uninstall clean
all: lib $(TOOL)

lib: deps
	$(MAKE) -C lib PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR)

# Direct targets (make test/test_day, examples/...) build the library too.
lib/libwinback.a: $(wildcard lib/*.c lib/*.h lib/Makefile lib/*.map) include/winback.h
	$(MAKE) -C lib PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR)

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test

# -- tests -------------------------------------------------------------------
# Tests pass NULL on purpose, so they are built without the nonnull hints.
test/test_model: test/ref/model_expected.h
test/test_%: test/test_%.c test/wb_test.h lib/libwinback.a
	$(CC) -std=c11 -Iinclude -DWB_NO_NONNULL $(WB_WARN) -Wno-conversion \
	    $(CPPFLAGS) $(CFLAGS) $< lib/libwinback.a $(LDFLAGS) -lcmocka -lm -o $@

# RUN prefixes every test binary (an emulator for check-cross).
RUN ?=
test: deps-test lib $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $(RUN) ./$$t; done

# -- examples ----------------------------------------------------------------
# Built as C99 with -pedantic: the public header promises C99.
examples/%: examples/%.c include/winback.h lib/libwinback.a
	$(CC) -std=c99 -pedantic -Iinclude $(WB_WARN) $(CPPFLAGS) $(CFLAGS) \
	    $< lib/libwinback.a $(LDFLAGS) -lm -o $@

examples: lib $(EXAMPLES) $(TOOL) $(GENLOG)
	@set -e; for e in $(EXAMPLES); do echo "== $$e"; ./$$e > /dev/null; done

# The winback command, linked statically so it runs from the build tree.
$(TOOL): $(TOOL_SRC) examples/winback/tool.h include/winback.h lib/libwinback.a
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $(WB_WARN) $(CPPFLAGS) \
	    $(CFLAGS) $(TOOL_SRC) lib/libwinback.a $(LDFLAGS) -lm -o $@

$(GENLOG): examples/genlog.c
	$(CC) -std=c11 $(WB_WARN) $(CPPFLAGS) $(CFLAGS) $< $(LDFLAGS) -o $@

DEMO_LOG := examples/data/CDNOW_master.txt
demo: lib $(TOOL)
	./$(TOOL) summary $(DEMO_LOG) --as-of 1998-07-01 --cost 2.00
	@echo
	./$(TOOL) plan $(DEMO_LOG) --as-of 1998-07-01 --cost 2.00 --top 15 --quiet

# -- checks ------------------------------------------------------------------
symbols: lib
	@bad=$$(nm -D --defined-only lib/libwinback.so | awk '$$2 != "A" {print $$3}' \
	    | grep -v '^wb_[a-z]' || true); \
	if [ -n "$$bad" ]; then echo "exported non-API symbols: $$bad"; exit 1; fi; \
	echo "symbols: only wb_* exported ($$(nm -D --defined-only lib/libwinback.so | awk '$$2 != "A"' | wc -l) symbols)"

headercheck:
	@printf '#include "winback.h"\nint main(void){return wb_version_number()==WB_VERSION_NUMBER?0:1;}\n' > test/hc.c
	$(CC) -std=c99 -pedantic -Werror -Wall -Wextra -Iinclude -fsyntax-only test/hc.c
	c++ -x c++ -std=c++11 -pedantic -Werror -Wall -Wextra -Iinclude -fsyntax-only test/hc.c
	@rm -f test/hc.c; echo "headercheck: winback.h is clean C99 and C++11"

# Install into a scratch tree, build an example purely through pkg-config,
# run it against the installed shared library, then uninstall and check
# that nothing is left behind.
installcheck: lib
	@set -e; d=$$(mktemp -d); \
	$(MAKE) -s install DESTDIR=$$d PREFIX=/usr; \
	flags=$$(PKG_CONFIG_PATH=$$d/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$$d \
	    pkg-config --cflags --libs winback); \
	echo "pkg-config: $$flags"; \
	$(CC) -std=c99 examples/classify.c $$flags -o $$d/classify; \
	LD_LIBRARY_PATH=$$d/usr/lib ldd $$d/classify | grep -q "$$d/usr/lib/libwinback.so.$(MAJOR)"; \
	LD_LIBRARY_PATH=$$d/usr/lib $$d/classify > /dev/null; \
	rm $$d/classify; \
	$(MAKE) -s uninstall DESTDIR=$$d PREFIX=/usr; \
	left=$$(find $$d -type f -o -type l); \
	if [ -n "$$left" ]; then echo "uninstall left: $$left"; exit 1; fi; \
	rm -rf $$d; echo "installcheck: install, pkg-config build, run, uninstall: ok"

# -- proving it: sanitizers, valgrind, fuzzing (docs/testing.md) ------------
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
check-sanitize:
	$(MAKE) clean
	$(MAKE) CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer $(SAN)" \
	    LDFLAGS="$(SAN)" test e2e
	$(MAKE) clean
	@echo "check-sanitize: no sanitizer report"

VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all
check-valgrind: deps-bench lib $(TEST_BIN) $(TOOL) $(GENLOG)
	@set -e; for t in $(TEST_BIN); do echo "== valgrind $$t"; $(VALGRIND) ./$$t > /dev/null; done
	WB_WRAP="$(VALGRIND)" sh test/e2e.sh
	@echo "check-valgrind: no error, no leak"

FUZZERS      := day reader decide policy ledger
FUZZ_BIN     := $(FUZZERS:%=test/fuzz/fuzz_%)
FUZZ_SECONDS ?= 10
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -DWB_NO_NONNULL
LIB_SRC      := $(wildcard lib/*.c)
test/fuzz/fuzz_policy: test/fuzz/fuzz_policy.c $(LIB_SRC) examples/winback/policyfile.c
	clang $(FUZZ_FLAGS) $< $(LIB_SRC) examples/winback/policyfile.c -lm -o $@
# Small slabs and id blocks, so every run exercises slab and block growth.
test/fuzz/fuzz_ledger: test/fuzz/fuzz_ledger.c $(LIB_SRC) include/winback.h
	clang $(FUZZ_FLAGS) -DWB_LEDGER_SLAB=4u -DWB_LEDGER_ID_BLOCK=64u $< $(LIB_SRC) -lm -o $@
test/fuzz/fuzz_%: test/fuzz/fuzz_%.c $(LIB_SRC) include/winback.h
	clang $(FUZZ_FLAGS) $< $(LIB_SRC) -lm -o $@

# Each harness runs FUZZ_SECONDS from its seed corpus (test/fuzz/seeds/);
# new inputs go to a scratch corpus, findings to test/fuzz/crash-*.
fuzz: deps $(FUZZ_BIN)
	@set -e; for f in $(FUZZERS); do \
	    mkdir -p test/fuzz/corpus/$$f; \
	    echo "== fuzz_$$f for $(FUZZ_SECONDS) s"; \
	    len=4096; [ $$f = ledger ] && len=256; \
	    ./test/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 -max_len=$$len \
	        -artifact_prefix=test/fuzz/crash-$$f- -print_final_stats=1 \
	        test/fuzz/corpus/$$f test/fuzz/seeds/$$f 2>&1 \
	        | grep -E "stat::number_of_executed_units|ERROR|SUMMARY" ; \
	    done; \
	if ls test/fuzz/crash-* >/dev/null 2>&1; then echo "fuzz: findings in test/fuzz/"; exit 1; fi
	@echo "fuzz: no findings"

# The whole suite on other CPUs: 32-bit little-endian ARM and big-endian
# s390x, cross-built with Debian's compilers and run under qemu-user. The
# target's libc and cmocka come from Debian multiarch packages (armhf,
# s390x), whose loader lives under /, hence QEMU_LD_PREFIX=/. ARM is built
# with -Os, as firmware is: that tests the size-first code (WB_SMALL_CODE).
CROSS := arm-linux-gnueabihf:arm:-Os s390x-linux-gnu:s390x:-O2
check-cross:
	@set -e; for spec in $(CROSS); do \
	    triple=$${spec%%:*}; rest=$${spec#*:}; qemu=qemu-$${rest%%:*}; opt=$${rest#*:}; \
	    echo "== $$triple ($$opt) under $$qemu"; \
	    $(MAKE) -s clean; \
	    QEMU_LD_PREFIX=/ \
	    $(MAKE) -s CC=$$triple-gcc AR=$$triple-ar CFLAGS="$$opt -g" RUN=$$qemu test; \
	done; $(MAKE) -s clean
	@echo "check-cross: all green on $(CROSS)"

# Line and branch coverage of lib/ by the tests and the e2e script.
coverage:
	$(MAKE) -s clean
	$(MAKE) -s CFLAGS="-O0 -g --coverage" LDFLAGS="--coverage" test e2e > /dev/null
	@rc=0; gcovr -r . --filter 'lib/' --exclude-unreachable-branches --print-summary \
	    --fail-under-line 95 --fail-under-branch 90 || rc=$$?; \
	$(MAKE) -s clean; find . -name '*.gc*' -delete; exit $$rc

# Static analysis: cppcheck and clang-tidy (.clang-tidy says why each
# excluded check is excluded); both must be silent.
lint:
	cppcheck --enable=warning,style,performance,portability --std=c11 \
	    --error-exitcode=1 --inline-suppr --quiet -Iinclude -DWB_NO_NONNULL \
	    lib/ examples/
	clang-tidy --quiet lib/*.c examples/winback/*.c examples/*.c -- -std=c11 \
	    -D_POSIX_C_SOURCE=200809L -Iinclude -DWB_NO_NONNULL
	@echo "lint: cppcheck and clang-tidy clean"

# The integer core for microcontrollers: sizes, forbidden symbols, stack.
firmware:
	@sh scripts/firmware.sh

# -- benchmarks (not part of check: timing on a shared machine is noise) -----
BENCH := test/bench/bench
$(BENCH): test/bench/bench.c include/winback.h lib/libwinback.a
	$(CC) -std=c11 -O2 -Iinclude $(CPPFLAGS) $(CFLAGS) $< lib/libwinback.a \
	    $(LDFLAGS) -lm -o $@

bench: deps-bench lib $(BENCH) $(TOOL) $(GENLOG)
	@echo "== micro benchmarks (median of repeated runs)"
	@./$(BENCH)
	@echo "== instructions per call (callgrind, repeatable)"
	@sh test/bench/callgrind.sh ./$(BENCH)
	@echo "== end to end (median of 3; ratios to wc -l and cat on the same file)"
	@sh test/bench/e2e.sh

deps-bench:
	@scripts/deps.sh bench

# End-to-end: the winback command on CDNOW and on broken copies of it.
e2e: $(TOOL) $(GENLOG)
	@sh test/e2e.sh

check: test examples e2e symbols headercheck installcheck
	@echo "make check: all passed"

# -- install -----------------------------------------------------------------
# winback.pc is filled again here so that it names the install's own paths.
MAN3 := docs/man/libwinback.3
MAN1 := docs/man/winback.1

install: lib $(TOOL)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(TOOL) $(DESTDIR)$(BINDIR)/winback
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/winback.1
	install -m 644 include/winback.h $(DESTDIR)$(INCLUDEDIR)/winback.h
	install -m 644 lib/libwinback.a $(DESTDIR)$(LIBDIR)/libwinback.a
	install -m 755 lib/libwinback.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libwinback.so.$(VERSION)
	ln -sf libwinback.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libwinback.so.$(MAJOR)
	ln -sf libwinback.so.$(MAJOR) $(DESTDIR)$(LIBDIR)/libwinback.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    pkgconfig/winback.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/winback.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/winback.pc
	install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/libwinback.3

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/winback $(DESTDIR)$(MANDIR)/man1/winback.1 \
	    $(DESTDIR)$(INCLUDEDIR)/winback.h \
	    $(DESTDIR)$(LIBDIR)/libwinback.a \
	    $(DESTDIR)$(LIBDIR)/libwinback.so.$(VERSION) \
	    $(DESTDIR)$(LIBDIR)/libwinback.so.$(MAJOR) \
	    $(DESTDIR)$(LIBDIR)/libwinback.so \
	    $(DESTDIR)$(PKGCONFIGDIR)/winback.pc \
	    $(DESTDIR)$(MANDIR)/man3/libwinback.3

clean:
	$(MAKE) -C lib clean
	rm -f $(TEST_BIN) $(EXAMPLES) $(TOOL) $(GENLOG) $(BENCH) $(FUZZ_BIN) test/hc.c
