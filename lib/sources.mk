# lib/sources.mk -- the one list of libwinback's sources, by link tier, and
# the flags every part of the project is built with. Read by lib/Makefile
# and the top-level Makefile (which hands the core list to
# scripts/firmware.sh), so a file's tier is the folder it lives in and
# nothing else (lib/README.md).
#
# The includer sets WB_LIB to the path of lib/ as seen from its directory.

WB_CORE_SRC   := $(sort $(wildcard $(WB_LIB)/core/*.c))
WB_IO_SRC     := $(sort $(wildcard $(WB_LIB)/io/*.c))
WB_EXTRAS_SRC := $(sort $(wildcard $(WB_LIB)/extras/*.c))
WB_SRC        := $(WB_CORE_SRC) $(WB_IO_SRC) $(WB_EXTRAS_SRC)
WB_INTERNAL_H := $(wildcard $(WB_LIB)/*/*.h)
WB_PUBLIC_H   := $(WB_LIB)/../include/winback.h \
                 $(sort $(wildcard $(WB_LIB)/../include/winback/*.h))

# Warnings that catch real bugs; the whole project is clean under them.
WB_WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wcast-qual -Wformat=2 -Wundef -Wvla -Wconversion -Werror

# The version, read from the one place it is written.
WB_VERSION_H := $(WB_LIB)/../include/winback/core.h
WB_MAJOR   := $(shell sed -n 's/^\#define WB_VERSION_MAJOR \([0-9]*\).*/\1/p' $(WB_VERSION_H))
WB_MINOR   := $(shell sed -n 's/^\#define WB_VERSION_MINOR \([0-9]*\).*/\1/p' $(WB_VERSION_H))
WB_PATCH   := $(shell sed -n 's/^\#define WB_VERSION_PATCH \([0-9]*\).*/\1/p' $(WB_VERSION_H))
WB_VERSION := $(WB_MAJOR).$(WB_MINOR).$(WB_PATCH)
# While the major version is 0 every minor version is its own ABI.
WB_ABI     := $(if $(filter 0,$(WB_MAJOR)),0.$(WB_MINOR),$(WB_MAJOR))
