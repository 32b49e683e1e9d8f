# libwinback -- top-level Makefile. The library itself is built by lib/Makefile.
#
#   make            build the library and the winback command (never installs
#                   packages: a missing one is named with its apt-get line)
#   make demo       install what it needs, then run winback on bundled data
#   make check      install what it needs, then build and run every test, the
#                   examples, the exported-symbol, header, docs and install
#                   checks
#   make install    honours DESTDIR PREFIX LIBDIR INCLUDEDIR PKGCONFIGDIR
#                   BINDIR MANDIR
#   make uninstall  removes exactly the files install wrote
#
# Everything is built out of the source tree, in $(BUILD) (default
# build/default; `make BUILD=/tmp/wb` builds elsewhere). The proof targets
# build in build/<variant> of their own and leave the normal build alone:
# check-sanitize, check-valgrind, fuzz, check-cross, firmware, coverage,
# lint (docs/testing.md); each installs the Debian packages it needs first.
# Every target works under make -j.

PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BINDIR       ?= $(PREFIX)/bin
MANDIR       ?= $(PREFIX)/share/man

CC      ?= cc
CFLAGS  ?= -O2 -g
BUILD   ?= build/default
B       := $(BUILD)

WB_LIB := lib
include lib/sources.mk

LIBA     := $(B)/lib/libwinback.a
LIBSO    := $(B)/lib/libwinback.so.$(WB_VERSION)
TESTS    := $(patsubst test/test_%.c,%,$(sort $(wildcard test/test_*.c)))
TEST_BIN := $(TESTS:%=$(B)/test/test_%)
EXAMPLES := $(patsubst %.c,$(B)/%,$(sort $(wildcard examples/*.c)))
TOOL     := $(B)/programs/winback
TOOL_SRC := $(sort $(wildcard programs/winback/*.c))
GENLOG   := $(B)/test/tools/genlog
BENCH    := $(B)/test/bench/bench
DEPS     := scripts/deps.sh

.PHONY: tsan-run bench-scale all lib demo demo-run report-png check check-python check-node check-sqlite \
        check-postgresql bench-peers bench-python bench-postgresql test examples e2e symbols headercheck installcheck \
        docscheck abicheck check-sanitize check-valgrind fuzz check-cross firmware \
        coverage lint bench install uninstall clean distclean FORCE \
        build-deps check-run demo-run
.DEFAULT_GOAL := all

all: build-deps
	@$(MAKE) --no-print-directory lib $(TOOL)
build-deps:
	@$(DEPS) check build

# The one rule that runs lib/Makefile, so that no two jobs build the
# library at once; lib/Makefile decides what is out of date.
$(LIBA) $(LIBSO) &: FORCE
	@$(MAKE) --no-print-directory -C lib BUILD=$(abspath $(B)) \
	    PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR)
lib: $(LIBA)
FORCE:

# -- tests -------------------------------------------------------------------
# Tests pass NULL on purpose, so they are built without the nonnull hints;
# -Ilib lets a test reach an internal helper it checks directly.
$(B)/test/test_model: test/ref/model_expected.h
$(B)/test/test_%: test/test_%.c test/wb_test.h $(LIBA)
	@mkdir -p $(@D)
	$(CC) -std=c11 -Iinclude -Ilib -DWB_NO_NONNULL $(WB_WARN) -Wno-conversion \
	    $(CPPFLAGS) $(CFLAGS) $< $(TEST_WITH) $(LIBA) $(LDFLAGS) -lcmocka -lm -pthread -o $@

# The program's page allocator is tested on its own, linked in.
$(B)/test/test_pages: programs/winback/pages.c programs/winback/tool.h
$(B)/test/test_pages: TEST_WITH := -D_POSIX_C_SOURCE=200809L -Iprograms/winback \
                                  programs/winback/pages.c
# So is the log read through mmap windows.
$(B)/test/test_mapped: programs/winback/mapped.c programs/winback/tool.h
$(B)/test/test_mapped: TEST_WITH := -D_POSIX_C_SOURCE=200809L -Iprograms/winback \
                                    programs/winback/mapped.c

# So are the amounts as text.
$(B)/test/test_money_text: programs/winback/util.c programs/winback/tool.h
$(B)/test/test_money_text: TEST_WITH := -D_POSIX_C_SOURCE=200809L -Iprograms/winback \
                                        programs/winback/util.c

# And the plan's ranking, over that allocator.
$(B)/test/test_rank_sort: programs/winback/rank_sort.c programs/winback/pages.c \
                          programs/winback/util.c programs/winback/tool.h
$(B)/test/test_rank_sort: TEST_WITH := -D_POSIX_C_SOURCE=200809L -Iprograms/winback \
                                      programs/winback/rank_sort.c programs/winback/pages.c \
                                      programs/winback/util.c

# And the ledger, built to hold a dozen rows, so that its bounds are met.
$(B)/test/test_ledger_limits: lib/io/ledger.c lib/io/ledger_index.c lib/io/ledger_internal.h
$(B)/test/test_ledger_limits: TEST_WITH := -DWB_LEDGER_ROWS_MAX=12u \
                                           lib/io/ledger.c lib/io/ledger_index.c

# RUN prefixes every test binary (an emulator for check-cross).
RUN ?=
test: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $(RUN) ./$$t; done

# -- examples and programs ---------------------------------------------------
# Built as C99 with -pedantic: the public header promises C99.
$(B)/examples/%: examples/%.c $(WB_PUBLIC_H) $(LIBA)
	@mkdir -p $(@D)
	$(CC) -std=c99 -pedantic -Iinclude $(WB_WARN) $(CPPFLAGS) $(CFLAGS) \
	    $< $(LIBA) $(LDFLAGS) -lm -o $@

examples: $(EXAMPLES)
	@set -e; for e in $(EXAMPLES); do echo "== $$e"; ./$$e > /dev/null; done

# The winback command, linked statically so it runs from the build tree.
$(TOOL): $(TOOL_SRC) programs/winback/tool.h $(WB_PUBLIC_H) $(LIBA)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $(WB_WARN) $(CPPFLAGS) \
	    $(CFLAGS) $(TOOL_SRC) $(LIBA) $(LDFLAGS) -lm -pthread -o $@

$(GENLOG): test/tools/genlog.c $(WB_PUBLIC_H) $(LIBA)
	@mkdir -p $(@D)
	$(CC) -std=c11 -Iinclude $(WB_WARN) $(CPPFLAGS) $(CFLAGS) $< $(LIBA) \
	    $(LDFLAGS) -o $@

DEMO_LOG := examples/data/CDNOW_master.txt
demo:
	@$(DEPS) install build
	@$(MAKE) --no-print-directory demo-run
DEMO     := $(B)/demo
DEMO_CRM := examples/data/customers.csv
demo-run: $(TOOL)
	./$(TOOL) summary $(DEMO_LOG) --as-of 1998-07-01 --cost 2.00
	@echo
	./$(TOOL) plan $(DEMO_LOG) --as-of 1998-07-01 --cost 2.00 --top 15 --quiet
	@echo; echo "# Losses and returns per quarter (R13)"
	./$(TOOL) summary $(DEMO_LOG) --as-of 1998-07-01 --by quarter --quiet
	@echo; echo "# What a CRM knows ($(DEMO_CRM): invented facts about nine customers)"
	./$(TOOL) plan $(DEMO_LOG) --as-of 1998-07-01 --cost 2.00 --customers $(DEMO_CRM) --quiet \
	    | awk 'NR == FNR { split($$0, f, ","); if (FNR > 1) ids[f[1]]; next } \
	        FNR == 1 || ($$1 in ids) { printf "%-7s %-8s %-7s %-12s %-18s %-15s %-15s %-10s %-27s %s\n", \
	        $$1, $$4, $$5, $$8, $$9, $$10, $$12, $$13, $$14, $$15 }' $(DEMO_CRM) -
	@echo; echo "# A historical replay, not a campaign (R12): the customers a plan of 1997-10-01"
	@echo "# would win back, 'contacted' that day, measured to 1998-06-30"
	@mkdir -p $(DEMO)
	@./$(TOOL) plan $(DEMO_LOG) --as-of 1997-10-01 --format csv --quiet 2> /dev/null \
	    | awk -F, 'NR == 1 { print "id,contact_day,campaign,cost" } \
	        NR > 1 && $$5 == "winback" && ($$4 == "lapsed-1" || $$4 == "lapsed-2") \
	        { print $$1 ",1997-10-01,replay-" $$4 ",2.00" }' > $(DEMO)/contacted.csv
	./$(TOOL) outcome $(DEMO_LOG) --contacted $(DEMO)/contacted.csv --as-of 1998-06-30 --quiet
	@echo
	./$(TOOL) report $(DEMO_LOG) --as-of 1998-07-01 --cost 2.00 --model bgnbd \
	    -o $(DEMO)/report.html --quiet
	@echo "The report: $(DEMO)/report.html (open it in a browser; docs/report.png is a picture of it)"

# The report as a picture, by headless Chromium: docs/report.png, shown in
# the README. Not part of make check (a browser is a big dependency); run it
# after changing the report and look at the picture.
report-png:
	@$(DEPS) install build report
	@$(MAKE) --no-print-directory demo-run > /dev/null
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --window-size=1100,3000 --screenshot=docs/report.png \
	    file://$(abspath $(DEMO))/report.html 2> $(DEMO)/chromium.log
	@echo "docs/report.png: look at it"

# -- checks ------------------------------------------------------------------
symbols: $(LIBSO)
	@bad=$$(nm -D --defined-only $(LIBSO) | awk '$$2 != "A" {print $$3}' \
	    | grep -v '^wb_[a-z]' || true); \
	if [ -n "$$bad" ]; then echo "exported non-API symbols: $$bad"; exit 1; fi; \
	echo "symbols: only wb_* exported ($$(nm -D --defined-only $(LIBSO) | awk '$$2 != "A"' | wc -l) symbols)"

# Each public header on its own, as C99 -pedantic and as C++11: it must
# include what it uses. The core also as freestanding C, as firmware sees it.
headercheck:
	@set -e; d=$(B)/headercheck; mkdir -p $$d; \
	for h in winback.h winback/core.h winback/io.h winback/extras.h; do \
	    printf '#include "%s"\nint main(void){return wb_version_number()==WB_VERSION_NUMBER?0:1;}\n' \
	        "$$h" > $$d/hc.c; \
	    $(CC) -std=c99 -pedantic -Werror -Wall -Wextra -Iinclude -fsyntax-only $$d/hc.c; \
	    c++ -x c++ -std=c++11 -pedantic -Werror -Wall -Wextra -Iinclude -fsyntax-only $$d/hc.c; \
	done; \
	printf '#include "winback/core.h"\nint wb_fw(void);\nint wb_fw(void){return WB_OK;}\n' > $$d/fw.c; \
	$(CC) -std=c99 -pedantic -ffreestanding -Werror -Wall -Iinclude -fsyntax-only $$d/fw.c; \
	echo "headercheck: each header alone is clean C99 and C++11; the core is freestanding"

# What the docs state that the code also states, checked against the code:
# the policy table of docs/policy.md, the tiers of lib/, the options of
# winback(1), the citations of docs/sources.md.
POLICY_TABLE := $(B)/test/tools/policy_table
$(POLICY_TABLE): test/tools/policy_table.c $(WB_PUBLIC_H) $(LIBA)
	@mkdir -p $(@D)
	$(CC) -std=c11 -Iinclude $(WB_WARN) $(CPPFLAGS) $(CFLAGS) $< $(LIBA) \
	    $(LDFLAGS) -o $@
docscheck: $(POLICY_TABLE) $(TOOL)
	@sh scripts/docscheck.sh $(POLICY_TABLE) $(TOOL) $(WB_SRC)

# A host written against release 0.1.0's header (kept verbatim in
# test/abi/) runs against this library, statically and through the shared
# library, and prints what the same source built against the current
# header prints: the structs that cross the API kept their layout.
abicheck: $(LIBA) $(LIBSO)
	@set -e; d=$(B)/test/abi; mkdir -p $$d; \
	$(CC) -std=c99 -DOLD_HEADER -Itest/abi $(CPPFLAGS) $(CFLAGS) test/abi/old_host.c \
	    $(LIBA) $(LDFLAGS) -lm -o $$d/old_static; \
	$(CC) -std=c99 -DOLD_HEADER -Itest/abi $(CPPFLAGS) $(CFLAGS) test/abi/old_host.c \
	    -L$(B)/lib -lwinback $(LDFLAGS) -lm -o $$d/old_shared; \
	$(CC) -std=c99 -Iinclude $(CPPFLAGS) $(CFLAGS) test/abi/old_host.c $(LIBA) \
	    $(LDFLAGS) -lm -o $$d/current; \
	$(RUN) ./$$d/current | tail -n +2 > $$d/current.out; \
	$(RUN) ./$$d/old_static | tail -n +2 > $$d/old_static.out; \
	LD_LIBRARY_PATH=$(B)/lib $(RUN) ./$$d/old_shared | tail -n +2 > $$d/old_shared.out; \
	cmp $$d/current.out $$d/old_static.out; cmp $$d/current.out $$d/old_shared.out; \
	echo "abicheck: a host built on 0.1.0's header runs alike on this library ($$(wc -l < $$d/current.out) lines)"

# Install into a scratch tree, build an example purely through pkg-config,
# run it against the installed shared library, then uninstall and check
# that nothing is left behind.
installcheck: $(LIBA) $(TOOL)
	@set -e; d=$$(mktemp -d); \
	$(MAKE) -s --no-print-directory install DESTDIR=$$d PREFIX=/usr; \
	flags=$$(PKG_CONFIG_PATH=$$d/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$$d \
	    pkg-config --cflags --libs winback); \
	echo "pkg-config: $$flags"; \
	$(CC) -std=c99 examples/classify.c $$flags -o $$d/classify; \
	LD_LIBRARY_PATH=$$d/usr/lib ldd $$d/classify | grep -q "$$d/usr/lib/libwinback.so.$(WB_ABI)"; \
	LD_LIBRARY_PATH=$$d/usr/lib $$d/classify > /dev/null; \
	rm $$d/classify; \
	$(MAKE) -s --no-print-directory uninstall DESTDIR=$$d PREFIX=/usr; \
	left=$$(find $$d -type f -o -type l); \
	if [ -n "$$left" ]; then echo "uninstall left: $$left"; exit 1; fi; \
	rm -rf $$d; echo "installcheck: install, pkg-config build, run, uninstall: ok"

# End-to-end: the winback command on CDNOW and on broken copies of it.
e2e: $(TOOL) $(GENLOG)
	@WB_BIN=$(B) sh test/e2e.sh

check:
	@$(DEPS) install test python postgresql sqlite
	@command -v node > /dev/null && command -v npm > /dev/null || $(DEPS) install node
	@$(MAKE) --no-print-directory check-run
check-run: test examples e2e symbols headercheck docscheck abicheck installcheck \
           check-python check-node check-sqlite check-postgresql
	@echo "make check: all passed"

# The bindings, from another language through the shared library of this
# build. Python: installed as a user would (pip, no build isolation, no
# package index: numpy, pandas and pytest are Debian's) into a venv, from a
# copy of the sources so that nothing is written into the tree. Node: koffi
# from npm, as package-lock.json pins it.
PYTHON ?= /usr/bin/python3
VENV   := $(B)/venv
check-python: $(LIBSO) $(TOOL)
	@set -e; [ -x $(VENV)/bin/python ] || $(PYTHON) -m venv --system-site-packages $(VENV); \
	rm -rf $(B)/python-src; cp -r bindings/python $(B)/python-src; \
	$(VENV)/bin/pip install -q --no-index --no-build-isolation --no-deps $(B)/python-src; \
	cd $(B) && WINBACK_LIBRARY=$(abspath $(LIBSO)) WINBACK_TOOL=$(abspath $(TOOL)) \
	    $(abspath $(VENV))/bin/python -m pytest -q -p no:cacheprovider \
	    $(abspath bindings/python/tests)
# The database extensions, linking libwinback statically. PostgreSQL: a
# throwaway cluster of the test's own (bindings/postgresql/run_tests.sh).
check-sqlite: $(LIBA) $(TOOL)
	@mkdir -p $(B)/sqlite
	@$(CC) -std=gnu11 -O2 -fPIC -shared $(WB_WARN) -Iinclude bindings/sqlite/winback_sqlite.c \
	    $(LIBA) -lm -o $(B)/sqlite/winback.so
	@$(PYTHON) bindings/sqlite/test_sqlite.py $(B)/sqlite/winback $(TOOL) $(DEMO_LOG)
check-postgresql: $(LIBA) $(TOOL)
	@sh bindings/postgresql/run_tests.sh $(B) $(TOOL)
	@sh bindings/postgresql/fdw_test.sh
check-node: $(LIBSO) $(TOOL)
	@set -e; cd bindings/node; [ -d node_modules/koffi ] || npm ci --no-audit --no-fund -s; \
	WINBACK_LIBRARY=$(abspath $(LIBSO)) WINBACK_TOOL=$(abspath $(TOOL)) node --test test/

# -- proving it: sanitizers, valgrind, fuzzing (docs/testing.md) ------------
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
check-sanitize:
	@$(DEPS) install test sanitize
	$(MAKE) --no-print-directory BUILD=build/sanitize CC=clang \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer $(SAN)" LDFLAGS="$(SAN)" test e2e
	$(MAKE) --no-print-directory BUILD=build/tsan CC=clang \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer $(TSAN)" LDFLAGS="$(TSAN)" tsan-run
	@echo "check-sanitize: no sanitizer report"

# ThreadSanitizer on what runs threads: ledger parts filled at once, and
# the program loading and planning on several threads -- on CDNOW (a part
# a thread) and on a 5 MB log (5 parts, shared unevenly by 3 threads),
# which a small WINBACK_HOLD_MAX also makes the threads meet on, many
# times, to add what they hold (meet.c).
TSAN := -fsanitize=thread
tsan-run: $(B)/test/test_ledger $(B)/test/test_pages $(TOOL) $(GENLOG)
	TSAN_OPTIONS=halt_on_error=1 ./$(B)/test/test_ledger > /dev/null
	TSAN_OPTIONS=halt_on_error=1 ./$(B)/test/test_pages > /dev/null
	./$(GENLOG) 200000 30000 > $(B)/tsan-log.csv
	@set -e; for log in "examples/data/CDNOW_master.txt --as-of 1998-07-01" \
	                    "$(B)/tsan-log.csv --as-of 2026-01-01"; do \
	  for t in 2 3; do for c in plan "summary --by quarter"; do \
	    TSAN_OPTIONS=halt_on_error=1 ./$(TOOL) $$c $$log \
	        --format csv --quiet --threads $$t > $(B)/tsan.csv; \
	    ./$(TOOL) $$c $$log --format csv \
	        --quiet --threads 1 | cmp - $(B)/tsan.csv; done; done; done
	@set -e; for t in 2 3; do \
	    WINBACK_HOLD_MAX=64k TSAN_OPTIONS=halt_on_error=1 ./$(TOOL) plan $(B)/tsan-log.csv \
	        --as-of 2026-01-01 --format csv --quiet --threads $$t > $(B)/tsan.csv; \
	    ./$(TOOL) plan $(B)/tsan-log.csv --as-of 2026-01-01 --format csv \
	        --quiet --threads 1 | cmp - $(B)/tsan.csv; done
	@echo "tsan: no data race; plans and summaries equal on 1, 2 and 3 threads, with meetings too"

VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all
check-valgrind:
	@$(DEPS) install test valgrind
	@$(MAKE) --no-print-directory BUILD=build/valgrind valgrind-run
valgrind-run: $(TEST_BIN) $(TOOL) $(GENLOG)
	@set -e; for t in $(TEST_BIN); do echo "== valgrind $$t"; $(VALGRIND) ./$$t > /dev/null; done
	WB_BIN=$(B) WB_WRAP="$(VALGRIND)" sh test/e2e.sh
	@echo "check-valgrind: no error, no leak"

# The fuzzers link the library's sources directly, with libFuzzer and the
# sanitizers; new inputs go to build/fuzz/corpus, findings to
# build/fuzz/crash-*.
FUZZERS      := day reader decide policy ledger customers
FZ           := build/fuzz
FUZZ_BIN     := $(FUZZERS:%=$(FZ)/fuzz_%)
FUZZ_SECONDS ?= 10
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Ilib -DWB_NO_NONNULL
$(FZ)/fuzz_policy: test/fuzz/fuzz_policy.c $(WB_SRC) programs/winback/policyfile.c
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) $< $(WB_SRC) programs/winback/policyfile.c -lm -o $@
CSV_SRC := programs/winback/crm.c programs/winback/csv.c programs/winback/util.c
$(FZ)/fuzz_customers: test/fuzz/fuzz_customers.c $(WB_SRC) $(CSV_SRC) programs/winback/tool.h
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) $< $(WB_SRC) $(CSV_SRC) -lm -o $@
# Small slabs and id blocks, so every run exercises slab and block growth.
$(FZ)/fuzz_ledger: test/fuzz/fuzz_ledger.c $(WB_SRC) $(WB_PUBLIC_H)
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) -DWB_LEDGER_SLAB=4u -DWB_LEDGER_ID_BLOCK=64u $< $(WB_SRC) -lm -o $@
$(FZ)/fuzz_%: test/fuzz/fuzz_%.c $(WB_SRC) $(WB_PUBLIC_H)
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) $< $(WB_SRC) -lm -o $@

# Each harness runs FUZZ_SECONDS from its seed corpus (test/fuzz/seeds/).
fuzz:
	@$(DEPS) install fuzz
	@$(MAKE) --no-print-directory fuzz-run
fuzz-run: $(FUZZ_BIN)
	@set -e; for f in $(FUZZERS); do \
	    mkdir -p $(FZ)/corpus/$$f; \
	    echo "== fuzz_$$f for $(FUZZ_SECONDS) s"; \
	    len=4096; [ $$f = ledger ] && len=256; \
	    ./$(FZ)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 -max_len=$$len \
	        -artifact_prefix=$(FZ)/crash-$$f- -print_final_stats=1 \
	        $(FZ)/corpus/$$f test/fuzz/seeds/$$f 2>&1 \
	        | grep -E "stat::number_of_executed_units|ERROR|SUMMARY" ; \
	    done; \
	if ls $(FZ)/crash-* >/dev/null 2>&1; then echo "fuzz: findings in $(FZ)/"; exit 1; fi
	@echo "fuzz: no findings"

# The whole suite on other CPUs: 32-bit little-endian ARM and big-endian
# s390x, cross-built with Debian's compilers and run under qemu-user. The
# target's libc and cmocka come from Debian multiarch packages (armhf,
# s390x), whose loader lives under /, hence QEMU_LD_PREFIX=/. ARM is built
# with -Os, as firmware is: that tests the size-first code (WB_SMALL_CODE).
CROSS := arm-linux-gnueabihf:arm:-Os s390x-linux-gnu:s390x:-O2
check-cross:
	@$(DEPS) install test cross
	@set -e; for spec in $(CROSS); do \
	    triple=$${spec%%:*}; rest=$${spec#*:}; qemu=qemu-$${rest%%:*}; opt=$${rest#*:}; \
	    echo "== $$triple ($$opt) under $$qemu"; \
	    QEMU_LD_PREFIX=/ \
	    $(MAKE) -s --no-print-directory BUILD=build/cross-$$triple CC=$$triple-gcc \
	        AR=$$triple-ar CFLAGS="$$opt -g" RUN=$$qemu test; \
	done
	@echo "check-cross: all green on $(CROSS)"

# Line and branch coverage of lib/ by the tests and the e2e script.
CV := build/coverage
# Counters are updated atomically: the tests and the program run threads.
coverage:
	@$(DEPS) install test coverage
	@find $(CV) -name '*.gcda' -delete 2>/dev/null || true
	$(MAKE) -s --no-print-directory BUILD=$(CV) CFLAGS="-O0 -g --coverage -fprofile-update=atomic" \
	    LDFLAGS="--coverage" test e2e > /dev/null
	gcovr -r . $(CV)/lib --filter 'lib/' --exclude-unreachable-branches \
	    --print-summary --fail-under-line 95 --fail-under-branch 90

# Static analysis: cppcheck and clang-tidy (.clang-tidy says why each
# excluded check is excluded); both must be silent.
lint:
	@$(DEPS) install build lint
	cppcheck --enable=warning,style,performance,portability --std=c11 \
	    --error-exitcode=1 --inline-suppr --quiet -Iinclude -Ilib -DWB_NO_NONNULL \
	    lib/ programs/ examples/
	clang-tidy --quiet $(WB_SRC) $(TOOL_SRC) examples/*.c -- -std=c11 \
	    -D_POSIX_C_SOURCE=200809L -Iinclude -Ilib -DWB_NO_NONNULL
	@echo "lint: cppcheck and clang-tidy clean"

# The integer core for microcontrollers: sizes, forbidden symbols, stack.
# Its sources are lib/core/ and nothing else (lib/sources.mk).
firmware:
	@$(DEPS) install build firmware
	@sh scripts/firmware.sh $(WB_CORE_SRC)

# -- benchmarks (not part of check: timing on a shared machine is noise) -----
$(BENCH): test/bench/bench.c $(WB_PUBLIC_H) $(LIBA)
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Iinclude $(CPPFLAGS) $(CFLAGS) $< $(LIBA) \
	    $(LDFLAGS) -lm -pthread -o $@

bench:
	@$(DEPS) install build bench
	@$(MAKE) --no-print-directory bench-run
bench-run: $(BENCH) $(TOOL) $(GENLOG)
	@echo "== micro benchmarks (median of repeated runs)"
	@./$(BENCH)
	@echo "== instructions per call (callgrind, repeatable)"
	@sh test/bench/callgrind.sh ./$(BENCH)
	@echo "== end to end (median of 3; ratios to wc -l and cat on the same file)"
	@WB_BIN=$(B) sh test/bench/e2e.sh
	@$(MAKE) --no-print-directory bench-peers
	@$(MAKE) --no-print-directory bench-python
	@$(MAKE) --no-print-directory bench-postgresql

# The 5 M-row log of the peers, made once (../shared/peers/gen_transactions.py).
BENCH_LOG := $(B)/bench/tx_5m.csv
$(BENCH_LOG):
	@mkdir -p $(@D)
	$(PYTHON) $(PEERS)/gen_transactions.py 5000000 500000 42 $@ > /dev/null

# The batch job side by side: wc -l, the DuckDB peer (when installed) and
# winback plan, in one run, with the ratios (docs/performance.md).
bench-peers: $(TOOL)
	@echo "== the 5 M-row batch job: wc -l, DuckDB, winback plan and summary (median of 3)"
	@if [ -f $(PEERS)/gen_transactions.py ]; then \
	    $(MAKE) -s --no-print-directory $(BENCH_LOG) && \
	    sh test/bench/peers.sh $(TOOL) $(BENCH_LOG) $(PEERS) 2026-01-01; \
	else echo "bench-peers: $(PEERS) not found: skipped"; fi

# Scaling: the 50 M-row, 5 M-customer log (1.2 GB, two minutes to make
# once) against the 5 M-row one. Not part of `make bench`: run it when the
# ledger or the loader changes (docs/performance.md).
BENCH_LOG_50M := $(B)/bench/tx_50m.csv
$(BENCH_LOG_50M):
	@mkdir -p $(@D)
	$(PYTHON) $(PEERS)/gen_transactions.py 50000000 5000000 42 $@ > /dev/null
bench-scale: $(TOOL)
	@$(DEPS) install bench
	@$(MAKE) -s --no-print-directory $(BENCH_LOG) $(BENCH_LOG_50M)
	@sh test/bench/scale.sh $(TOOL) $(BENCH_LOG) $(BENCH_LOG_50M)

# The peers' batch job in PostgreSQL, with the extension and in plain SQL
# (docs/postgresql.md), on the same 5 M-row log; needs PostgreSQL 15.
bench-postgresql: $(LIBA) $(TOOL)
	@echo "== PostgreSQL: the batch job with the winback extension and in plain SQL"
	@if [ -f $(PEERS)/gen_transactions.py ] && command -v pg_config > /dev/null; then \
	    $(MAKE) -s --no-print-directory $(BENCH_LOG) && \
	    sh bindings/postgresql/run_tests.sh $(B) $(TOOL) > /dev/null && \
	    sh test/bench/pg_bench.sh $(BENCH_LOG) 2026-01-01; \
	else echo "bench-postgresql: PostgreSQL or $(PEERS) not found: skipped"; fi

# The Python binding on whole tables (docs/python.md), on the 5 M-row log of
# the peers (../shared/peers, when present: skipped with a note if not).
PEERS ?= ../shared/peers
bench-python: $(LIBSO) $(TOOL)
	@echo "== Python: winback.plan and summarize against a per-row loop, pandas and the C program"
	@if [ -f $(PEERS)/gen_transactions.py ]; then \
	    $(MAKE) -s --no-print-directory $(BENCH_LOG) && \
	    WINBACK_LIBRARY=$(abspath $(LIBSO)) PYTHONPATH=bindings/python \
	        $(PYTHON) test/bench/python_bench.py $(TOOL) $(BENCH_LOG) 2026-01-01; \
	else echo "bench-python: $(PEERS)/gen_transactions.py not found: skipped"; fi
# -- install -----------------------------------------------------------------
# winback.pc is filled again here so that it names the install's own paths.
MAN3 := docs/man/libwinback.3
MAN1 := programs/winback/winback.1
TIER_H := $(sort $(wildcard include/winback/*.h))

install: $(LIBA) $(TOOL)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/winback $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(TOOL) $(DESTDIR)$(BINDIR)/winback
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/winback.1
	install -m 644 include/winback.h $(DESTDIR)$(INCLUDEDIR)/winback.h
	install -m 644 $(TIER_H) $(DESTDIR)$(INCLUDEDIR)/winback/
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/libwinback.a
	install -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/libwinback.so.$(WB_VERSION)
	ln -sf libwinback.so.$(WB_VERSION) $(DESTDIR)$(LIBDIR)/libwinback.so.$(WB_ABI)
	ln -sf libwinback.so.$(WB_ABI) $(DESTDIR)$(LIBDIR)/libwinback.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(WB_VERSION)|' \
	    pkgconfig/winback.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/winback.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/winback.pc
	install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/libwinback.3

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/winback $(DESTDIR)$(MANDIR)/man1/winback.1 \
	    $(DESTDIR)$(INCLUDEDIR)/winback.h \
	    $(TIER_H:include/%=$(DESTDIR)$(INCLUDEDIR)/%) \
	    $(DESTDIR)$(LIBDIR)/libwinback.a \
	    $(DESTDIR)$(LIBDIR)/libwinback.so.$(WB_VERSION) \
	    $(DESTDIR)$(LIBDIR)/libwinback.so.$(WB_ABI) \
	    $(DESTDIR)$(LIBDIR)/libwinback.so \
	    $(DESTDIR)$(PKGCONFIGDIR)/winback.pc \
	    $(DESTDIR)$(MANDIR)/man3/libwinback.3
	-rmdir $(DESTDIR)$(INCLUDEDIR)/winback 2>/dev/null

# clean: the normal build only; distclean: every variant too.
clean:
	rm -rf $(B)
distclean:
	rm -rf build
