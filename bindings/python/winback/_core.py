"""The decision side: errors, the policy, days, the calculators, summarize
and plan over pandas tables."""
from __future__ import annotations

import ctypes
from typing import Any, Iterator, Mapping, Optional

import numpy as np
import pandas as pd

from ._lib import CUSTOMER, PLAN, PURCHASE, lib

EPOCH = np.datetime64("1970-01-01", "D")
DAY_NONE = -(2 ** 31)
MONEY_NONE = -(2 ** 63)


class WinbackError(Exception):
    """A libwinback status other than WB_OK, with wb_strerror's message and,
    for policy errors, the key at fault."""

    def __init__(self, status: int, what: str = "", key: Optional[str] = None):
        self.status = status
        self.name = lib.wb_error_name(status).decode()
        self.key = key
        message = lib.wb_strerror(status).decode()
        where = f"{what}: " if what else ""
        at = f" (key {key!r})" if key else ""
        super().__init__(f"{where}{message}{at}")


def _check(status: int, what: str = "", key: Optional[str] = None) -> None:
    if status != 0:
        raise WinbackError(status, what, key)


def day(value: Any) -> int:
    """A date (str 'YYYY-MM-DD', datetime, date or numpy datetime64) as a day
    number, days since 1970-01-01."""
    return int((np.datetime64(pd.Timestamp(value).date(), "D") - EPOCH).astype(np.int64))


def days(values: Any) -> np.ndarray:
    """Dates as day numbers (int32); NaT is WB_DAY_NONE."""
    ts = pd.to_datetime(pd.Series(values)).dt.floor("D")
    out = ((ts.values.astype("datetime64[D]") - EPOCH).astype(np.int64))
    out = np.where(ts.isna().values, DAY_NONE, out)
    return out.astype(np.int32)


def dates(day_numbers: np.ndarray) -> pd.Series:
    """Day numbers as datetime64; WB_DAY_NONE as NaT."""
    d = np.asarray(day_numbers, dtype=np.int64)
    out = (EPOCH + d.astype("timedelta64[D]")).astype("datetime64[ns]")
    return pd.Series(np.where(d == DAY_NONE, np.datetime64("NaT"), out))


class Policy(Mapping[str, int]):
    """A wb_policy as a mapping of its keys (docs/policy.md). Construct with
    keyword overrides: Policy(tier1_days=45). Every change is checked: a bad
    key or value raises WinbackError naming it, and the whole policy is
    validated (cross-field rules) before each use."""

    def __init__(self, **overrides: int):
        self._buf = ctypes.create_string_buffer(lib.wb_policy_size())
        _check(lib.wb_policy_init(self._buf), "policy")
        for key, value in overrides.items():
            self[key] = value

    @property
    def pointer(self) -> ctypes.Array:
        bad = ctypes.c_char_p()
        rc = lib.wb_policy_validate(self._buf, ctypes.byref(bad))
        _check(rc, "policy", bad.value.decode() if rc and bad.value else None)
        return self._buf

    def __getitem__(self, key: str) -> int:
        v = ctypes.c_int64()
        _check(lib.wb_policy_get(self._buf, key.encode(), ctypes.byref(v)), "policy", key)
        return v.value

    def __setitem__(self, key: str, value: int) -> None:
        _check(lib.wb_policy_set(self._buf, key.encode(), int(value)), "policy", key)

    def __iter__(self) -> Iterator[str]:
        i = 0
        while (k := lib.wb_policy_key(i)) is not None:
            yield k.decode()
            i += 1

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def to_dict(self) -> dict:
        return dict(self.items())

    def __getstate__(self) -> dict:
        return self.to_dict()

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)

    def __repr__(self) -> str:
        return f"Policy({self.to_dict()!r})"


# ---- calculators ----------------------------------------------------------

def _minor(amount: float, decimals: int) -> int:
    return int(round(amount * 10 ** decimals))


def clv(avg_check: float, per_year: float, years: int = 3, margin_bp: int = 10000,
        decimals: int = 2) -> float:
    """Simple CLV (R3): average check x purchases a year x years, on a margin
    in basis points; in currency units, exact in minor units."""
    v, out = ctypes.c_int64(), ctypes.c_int64()
    _check(lib.wb_clv_centi(_minor(avg_check, decimals), round(per_year * 100), years,
                            ctypes.byref(v)), "clv")
    _check(lib.wb_apply_margin(v.value, margin_bp, ctypes.byref(out)), "clv")
    return out.value / 10 ** decimals


def romi(income: float, spend: float, margin_bp: int = 10000, decimals: int = 2) -> float:
    """ROMI (R5) as a fraction: (income on margin - spend) / spend."""
    v = ctypes.c_int64()
    _check(lib.wb_romi_bp(_minor(income, decimals), _minor(spend, decimals), margin_bp,
                          ctypes.byref(v)), "romi")
    return v.value / 10000


def discount(price: float, bp: Optional[int] = None, days_since: Optional[int] = None,
             policy: Optional[Policy] = None, decimals: int = 2) -> tuple:
    """The discount and the price to pay (R2): `bp` basis points, or the
    ladder's discount for `days_since` days without a purchase."""
    policy = policy or Policy()
    if (bp is None) == (days_since is None):
        raise ValueError("give one of bp and days_since")
    if bp is None:
        cls, since, v = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
        _check(lib.wb_classify(policy.pointer, 0, int(days_since), ctypes.byref(cls),
                               ctypes.byref(since)), "discount")
        _check(lib.wb_ladder_bp(policy.pointer, cls.value, ctypes.byref(v)), "discount")
        bp = v.value
    d, final = ctypes.c_int64(), ctypes.c_int64()
    _check(lib.wb_discount_apply(_minor(price, decimals), bp, policy["rounding"],
                                 ctypes.byref(d), ctypes.byref(final)), "discount")
    return d.value / 10 ** decimals, final.value / 10 ** decimals


# ---- summarize and plan ----------------------------------------------------

class _Columns(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint32), ("reserved", ctypes.c_uint32)] + [
        (name, ctypes.c_void_p) for name in (
            "id_bytes", "id_offset", "first_day", "last_day", "purchases",
            "purchase_days", "total", "avg_check", "returns", "currently_lost",
            "x", "t_x", "T", "mean_spend")]


def _ptr(a: np.ndarray) -> int:
    return a.ctypes.data


def summarize(df: pd.DataFrame, id: str = "id", date: str = "date",
              amount: str = "amount", as_of: Any = None, decimals: int = 2,
              unit: str = "weeks", policy: Optional[Policy] = None) -> pd.DataFrame:
    """Per-customer summary of a purchase table, one row per customer id in
    the library's id order: first and last purchase, purchases (rows) and
    purchase days, total and average check (currency units), R6 returns and
    whether lost now, and the BG/NBD summary lifetimes users know --
    frequency (repeat purchase days), recency (t_x), T and monetary_value
    (mean repeat spend) -- in `unit` ('weeks' or 'days'). as_of defaults to
    the day after the last purchase. Raises ValueError naming the first
    row with a missing id or date or a negative or missing amount."""
    n = len(df)
    # Each distinct id is encoded once: rows point at their id's bytes.
    # Integer ids are factorized as integers and only the distinct ones
    # made text (str(7) is what astype(str) makes of 7): turning every row's
    # id into a string first took half of a 5 M-row summarize.
    ids = df[id]
    if ids.dtype != object and not pd.api.types.is_integer_dtype(ids.dtype):
        ids = ids.astype(str)
    codes, uniques = pd.factorize(ids)
    d = days(df[date])
    amounts = pd.to_numeric(df[amount], errors="coerce").to_numpy(dtype=float)
    bad = (codes < 0) | (d == DAY_NONE) | ~np.isfinite(amounts) | (amounts < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"row {row}: a missing id or date, or an amount that is "
                         f"missing or negative")
    encoded = [str(u).encode("utf-8") for u in uniques]
    lens = np.fromiter(map(len, encoded), dtype=np.uint64, count=len(encoded))
    starts = np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.uint64)
    blob = b"".join(encoded)
    buf = np.frombuffer(blob, dtype=np.uint8) if blob else np.zeros(1, np.uint8)
    rows = np.zeros(n, dtype=PURCHASE)
    rows["id"] = _ptr(buf) + starts[codes]
    rows["id_len"] = lens[codes]
    rows["day"] = d
    rows["amount"] = np.round(amounts * 10 ** decimals).astype(np.int64)
    ledger = ctypes.c_void_p()
    _check(lib.wb_ledger_new(None, ctypes.byref(ledger)), "ledger")
    try:
        added = ctypes.c_size_t()
        rc = lib.wb_ledger_add_many(ledger, _ptr(rows), n, ctypes.byref(added))
        _check(rc, f"row {added.value}")
        # Sealed: only read from here, so the rows as added (8 bytes each)
        # are given back before the columns are made.
        _check(lib.wb_ledger_seal(ledger), "ledger")
        return _export(ledger, as_of if as_of is not None else int(d.max()) + 1,
                       decimals, 7 if unit == "weeks" else 1, policy)
    finally:
        lib.wb_ledger_free(ledger)


def _export(ledger, as_of, decimals, unit_days, policy) -> pd.DataFrame:
    count = ctypes.c_size_t()
    _check(lib.wb_ledger_count(ledger, ctypes.byref(count), None), "ledger")
    n = count.value
    cols = {k: np.empty(n, dt) for k, dt in (
        ("first_day", np.int32), ("last_day", np.int32), ("purchases", np.int32),
        ("purchase_days", np.int32), ("total", np.int64), ("avg_check", np.int64),
        ("returns", np.int32), ("currently_lost", np.int32), ("x", np.float64),
        ("t_x", np.float64), ("T", np.float64), ("mean_spend", np.float64))}
    id_bytes = np.empty(max(lib.wb_ledger_id_bytes(ledger), 1), np.uint8)
    id_offset = np.empty(n + 1, np.uint64)
    c = _Columns(ctypes.sizeof(_Columns), 0, _ptr(id_bytes), _ptr(id_offset),
                 *[_ptr(cols[k]) for k in ("first_day", "last_day", "purchases",
                   "purchase_days", "total", "avg_check", "returns", "currently_lost",
                   "x", "t_x", "T", "mean_spend")])
    as_of_day = as_of if isinstance(as_of, (int, np.integer)) else day(as_of)
    _check(lib.wb_ledger_export(ledger, policy.pointer if policy else None, as_of_day,
                                unit_days, ctypes.byref(c)), "summarize")
    raw = id_bytes.tobytes()
    ids = [raw[id_offset[i]:id_offset[i + 1]].decode("utf-8", "replace") for i in range(n)]
    scale = 10 ** decimals
    out = pd.DataFrame({
        "first_purchase": dates(cols["first_day"]).values,
        "last_purchase": dates(cols["last_day"]).values,
        "purchases": cols["purchases"], "purchase_days": cols["purchase_days"],
        "total": cols["total"] / scale, "avg_check": cols["avg_check"] / scale,
        "returns": cols["returns"], "lost": cols["currently_lost"].astype(bool),
        "frequency": cols["x"], "recency": cols["t_x"], "T": cols["T"],
        "monetary_value": cols["mean_spend"] / scale,
    }, index=pd.Index(ids, name="id"))
    out.attrs.update(as_of=as_of_day, decimals=decimals, unit_days=unit_days)
    return out




def _names(fn, count: int) -> np.ndarray:
    """The names of an enumeration's values 0..count-1, for lookups."""
    return np.array([fn(v).decode() for v in range(count)], dtype=object)


def _bit_names(fn, top: int, empty: str) -> np.ndarray:
    """"a,b" for every combination of `top` bits, for lookups."""
    names = [fn(1 << b).decode() for b in range(top)]
    return np.array([",".join(names[b] for b in range(top) if v >> b & 1) or empty
                     for v in range(1 << top)], dtype=object)


def _lookup(table: np.ndarray, values: np.ndarray) -> np.ndarray:
    v = values.astype(np.int64)
    return table[np.clip(v, 0, len(table) - 1)]


def plan(summary: pd.DataFrame, as_of: Any = None, policy: Optional[Policy] = None,
         cost: float = 0.0, years: int = 3, margin_bp: int = 10000,
         crm: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """The win-back plan of every customer of a summarize() table, decided in
    one call (wb_decide_many) exactly as `winback plan` decides: the class,
    action, discount, CLV, exclusion reasons, escalation, approach, earliest
    contact, channel, offer expiry, signals and priority. `crm` may give, per
    id, any wb_customer field (reason, severity, flags, nps, requests,
    winback_cost, ...) as integers in the library's units. Each row gets its
    own `status` ('OK' or the error's name): one bad row does not fail the
    table."""
    policy = policy or Policy()
    decimals = summary.attrs.get("decimals", 2)
    as_of_day = summary.attrs["as_of"] if as_of is None else day(as_of)
    n = len(summary)
    c = np.zeros(n, dtype=CUSTOMER)
    template = np.zeros(1, dtype=CUSTOMER)
    _check(lib.wb_customer_init(_ptr(template)), "customer")
    c[:] = template[0]
    first = days(summary["first_purchase"]).astype(np.int64)
    last = days(summary["last_purchase"])
    observed = np.maximum(as_of_day - first, 365)
    rate = summary["purchase_days"].to_numpy(np.int64) * 36525 // observed
    c["last_purchase"] = last
    c["returns"] = summary["returns"].to_numpy(np.int32)
    c["avg_check"] = np.round(summary["avg_check"].to_numpy(float) * 10 ** decimals)
    c["purchases_per_year_x100"] = np.minimum(rate, 2 ** 31 - 1)
    c["expected_years"] = years
    c["margin_bp"] = margin_bp
    c["winback_cost"] = _minor(cost, decimals)
    if crm is not None:
        joined = crm.reindex(summary.index)
        for col in joined.columns:
            if col not in CUSTOMER.names:
                raise ValueError(f"crm column {col!r} is not a wb_customer field")
            given = joined[col].notna().to_numpy()
            c[col][given] = joined[col].to_numpy()[given]
    plans = np.zeros(n, dtype=PLAN)
    status = np.zeros(n, dtype=np.int32)
    _check(lib.wb_decide_many(policy.pointer, _ptr(c), n, as_of_day, _ptr(plans),
                              _ptr(status), None), "plan")
    errors = _names(lambda v: lib.wb_error_name(v) if v else b"OK", 64)
    out = pd.DataFrame({
        "status": _lookup(errors, status),
        "class": _lookup(_names(lib.wb_class_name, 6), plans["cls"]),
        "days_since": plans["days_since"],
        "action": _lookup(_names(lib.wb_action_name, 5), plans["action"]),
        "discount_bp": plans["discount_bp"],
        "clv": plans["clv"] / 10 ** decimals,
        "reasons": _lookup(_bit_names(lib.wb_exclusion_name, 8, "eligible"), plans["reasons"]),
        "escalation": _lookup(_names(lib.wb_escalation_name, 6), plans["escalation"]),
        "approach": _lookup(_names(lib.wb_approach_name, 9), plans["approach"]),
        "earliest_contact": dates(plans["earliest_contact"]).values,
        "channel": _lookup(_names(lib.wb_channel_name, 5), plans["channel"]),
        "offer_expires": dates(plans["offer_expires"]).values,
        "signals": _lookup(_bit_names(lib.wb_signal_name, 4, "-"), plans["signals"]),
        "priority": plans["priority"] / 10 ** decimals,
    }, index=summary.index)
    ok = status == 0
    if not ok.all():                    # a failed row has no plan
        for col in out.columns[1:]:
            out[col] = out[col].astype(object)
            out.loc[~ok, col] = None
    return out
