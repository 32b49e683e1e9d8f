"""Finding, loading and checking the shared library.

The library is looked for in this order: the path in the WINBACK_LIBRARY
environment variable; the system's (an installed libwinback.so.0.2); the
build tree this package sits in (build/default/lib). Once loaded, the
layout of every struct this package maps is checked against the
library's own (wb_layout_field): a library built for another layout is
refused instead of corrupting memory.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

import numpy as np

SONAME = "libwinback.so.0.2"
LAYOUT_VERSION = 2

# The structs as numpy dtypes, field by field as in <winback/core.h>.
CUSTOMER = np.dtype([
    ("size", "<u4"), ("flags", "<u4"), ("last_purchase", "<i4"), ("returns", "<i4"),
    ("severity", "<i4"), ("incident_day", "<i4"), ("reason", "<i4"),
    ("complaints", "<i4"), ("discount_demands", "<i4"), ("nps", "<i4"),
    ("contacts_since_purchase", "<i4"), ("margin_bp", "<i4"),
    ("purchases_per_year_x100", "<i4"), ("expected_years", "<i4"),
    ("last_contact", "<i4"), ("requests", "<i4"), ("avg_check", "<i8"), ("clv", "<i8"),
    ("winback_cost", "<i8"), ("lost_by_employee", "<i8"), ("reserved", "<i8", (4,)),
])
PLAN = np.dtype([
    ("size", "<u4"), ("reasons", "<u4"), ("signals", "<u4"), ("cls", "<i4"),
    ("days_since", "<i4"), ("action", "<i4"), ("discount_bp", "<i4"),
    ("escalation", "<i4"), ("approach", "<i4"), ("earliest_contact", "<i4"),
    ("sensitive", "<i4"), ("difficulty_bp", "<i4"), ("clv", "<i8"), ("priority", "<i8"),
    ("avoid_employee", "<i8"), ("channel", "<i4"), ("offer_expires", "<i4"),
    ("reserved", "<i8", (1,)),
])
RFM = np.dtype([("x", "<f8"), ("t_x", "<f8"), ("T", "<f8"), ("m", "<f8")])
PURCHASE = np.dtype([("id", "<u8"), ("id_len", "<u8"), ("day", "<i4"),
                     ("reserved", "<i4"), ("amount", "<i8")])


class LayoutError(RuntimeError):
    """The loaded library's structs differ from those this package maps."""


def _candidates():
    env = os.environ.get("WINBACK_LIBRARY")
    if env:
        yield env
        return
    yield SONAME
    found = ctypes.util.find_library("winback")
    if found:
        yield found
    for parent in Path(__file__).resolve().parents:
        tree = parent / "build" / "default" / "lib" / SONAME
        if tree.exists():
            yield str(tree)


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise OSError("libwinback not found (set WINBACK_LIBRARY to its path): " +
                  "; ".join(errors))


def check_layout(lib: ctypes.CDLL, expected: dict[str, np.dtype]) -> None:
    """Refuse a library whose structs differ from `expected`, field by field."""
    if lib.wb_layout_version() != LAYOUT_VERSION:
        raise LayoutError(f"layout version {lib.wb_layout_version()}, "
                          f"this package maps version {LAYOUT_VERSION}")
    for type_name, dtype in expected.items():
        size = ctypes.c_size_t()
        if lib.wb_layout_size(type_name.encode(), ctypes.byref(size)) != 0:
            raise LayoutError(f"the library does not describe {type_name}")
        if size.value != dtype.itemsize:
            raise LayoutError(f"{type_name} is {size.value} bytes in the library, "
                              f"{dtype.itemsize} here")
        for index, field in enumerate(dtype.names):
            name = ctypes.c_char_p()
            offset, fsize = ctypes.c_size_t(), ctypes.c_size_t()
            rc = lib.wb_layout_field(type_name.encode(), index, ctypes.byref(name),
                                     ctypes.byref(offset), ctypes.byref(fsize))
            ftype, foffset = dtype.fields[field][0], dtype.fields[field][1]
            if rc != 0 or name.value.decode() != field or offset.value != foffset \
                    or fsize.value != ftype.itemsize:
                got = name.value.decode() if rc == 0 else "nothing"
                raise LayoutError(f"{type_name} field {index}: the library has {got} at "
                                  f"{offset.value} ({fsize.value} bytes), this package "
                                  f"maps {field} at {foffset} ({ftype.itemsize} bytes)")


def _declare(lib: ctypes.CDLL) -> None:
    c = ctypes
    P, I32, I64, SZ, D = c.c_void_p, c.c_int32, c.c_int64, c.c_size_t, c.c_double
    sigs = {
        "wb_strerror": (c.c_char_p, [c.c_int]),
        "wb_error_name": (c.c_char_p, [c.c_int]),
        "wb_version_string": (c.c_char_p, []),
        "wb_layout_version": (c.c_uint32, []),
        "wb_layout_size": (c.c_int, [c.c_char_p, P]),
        "wb_layout_field": (c.c_int, [c.c_char_p, SZ, P, P, P]),
        "wb_policy_size": (SZ, []),
        "wb_policy_init": (c.c_int, [P]),
        "wb_policy_validate": (c.c_int, [P, P]),
        "wb_policy_set": (c.c_int, [P, c.c_char_p, I64]),
        "wb_policy_get": (c.c_int, [P, c.c_char_p, P]),
        "wb_policy_key": (c.c_char_p, [SZ]),
        "wb_customer_init": (c.c_int, [P]),
        "wb_decide_many": (c.c_int, [P, P, SZ, I32, P, P, P]),
        "wb_classify_many": (c.c_int, [P, P, SZ, I32, P, P, P, P, P]),
        "wb_class_name": (c.c_char_p, [c.c_int]),
        "wb_action_name": (c.c_char_p, [c.c_int]),
        "wb_escalation_name": (c.c_char_p, [c.c_int]),
        "wb_approach_name": (c.c_char_p, [c.c_int]),
        "wb_channel_name": (c.c_char_p, [c.c_int]),
        "wb_exclusion_name": (c.c_char_p, [c.c_uint32]),
        "wb_signal_name": (c.c_char_p, [c.c_uint32]),
        "wb_day_from_ymd": (c.c_int, [I32, I32, I32, P]),
        "wb_clv_centi": (c.c_int, [I64, I32, I32, P]),
        "wb_apply_margin": (c.c_int, [I64, I32, P]),
        "wb_romi_bp": (c.c_int, [I64, I64, I32, P]),
        "wb_ladder_bp": (c.c_int, [P, I32, P]),
        "wb_classify": (c.c_int, [P, I32, I32, P, P]),
        "wb_discount_apply": (c.c_int, [I64, I32, I32, P, P]),
        "wb_ledger_new": (c.c_int, [P, P]),
        "wb_ledger_free": (None, [P]),
        "wb_ledger_add_many": (c.c_int, [P, P, SZ, P]),
        "wb_ledger_finish": (c.c_int, [P]),
        "wb_ledger_seal": (c.c_int, [P]),
        "wb_ledger_count": (c.c_int, [P, P, P]),
        "wb_ledger_id_bytes": (SZ, [P]),
        "wb_ledger_export": (c.c_int, [P, P, I32, I32, P]),
        "wb_bgnbd_fit": (c.c_int, [P, SZ, P, P, P]),
        "wb_bgnbd_p_alive_many": (c.c_int, [P, P, SZ, P, P, P]),
        "wb_bgnbd_expected_many": (c.c_int, [P, P, SZ, D, P, P, P]),
        "wb_gg_fit": (c.c_int, [P, SZ, P, P, P]),
        "wb_gg_expected_spend_many": (c.c_int, [P, P, SZ, P, P, P]),
        "wb_bgnbd_clv_many": (c.c_int, [P, P, P, SZ, D, I32, D, D, P, P, P]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args


lib = _load()
_declare(lib)
check_layout(lib, {"wb_customer": CUSTOMER, "wb_plan": PLAN})
