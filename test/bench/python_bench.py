#!/usr/bin/env python3
"""python_bench.py -- the Python binding on whole tables, against a per-row
loop over the same library, pandas doing the classes itself, and the C
program on the same log (make bench; never a timed test).

Usage: python_bench.py TOOL LOG.csv AS_OF   (LOG: ../shared/peers' 5 M-row log)
"""
import ctypes
import subprocess
import sys
import time

import numpy as np
import pandas as pd

import winback
from winback import _lib


def best(fn, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2], out


def synthetic_summary(n, as_of):
    rng = np.random.default_rng(42)
    last = as_of - rng.integers(0, 900, n)
    first = last - rng.integers(0, 700, n)
    days_ = rng.integers(1, 20, n)
    s = pd.DataFrame({
        "first_purchase": winback.dates(first).values, "last_purchase": winback.dates(last).values,
        "purchase_days": days_, "avg_check": rng.integers(500, 20000, n) / 100,
        "returns": rng.integers(0, 2, n),
    }, index=pd.Index([f"C{i:07d}" for i in range(n)], name="id"))
    s.attrs.update(as_of=as_of, decimals=2)
    return s


def per_row_loop(summary, as_of, policy):
    """The same decisions, one foreign call per customer."""
    c = np.zeros(1, dtype=_lib.CUSTOMER)
    p = np.zeros(1, dtype=_lib.PLAN)
    status = np.zeros(1, dtype=np.int32)
    winback.lib.wb_customer_init(c.ctypes.data)
    first = winback.days(summary["first_purchase"])
    last = winback.days(summary["last_purchase"])
    pd_days = summary["purchase_days"].to_numpy()
    avg = np.round(summary["avg_check"].to_numpy() * 100).astype(np.int64)
    ret = summary["returns"].to_numpy()
    pol = policy.pointer
    for i in range(len(summary)):
        c["last_purchase"] = last[i]
        c["returns"] = ret[i]
        c["avg_check"] = avg[i]
        c["purchases_per_year_x100"] = pd_days[i] * 36525 // max(as_of - first[i], 365)
        c["expected_years"] = 3
        winback.lib.wb_decide_many(pol, c.ctypes.data, 1, as_of, p.ctypes.data,
                                   status.ctypes.data, None)


def pandas_classes(summary, as_of):
    since = as_of - winback.days(summary["last_purchase"])
    cls = pd.cut(since, [-1, 29, 89, 179, 359, 10 ** 9],
                 labels=["active", "watch", "lapsed-1", "lapsed-2", "lapsed-3"])
    return cls.map({"active": 0, "watch": 0, "lapsed-1": 1000, "lapsed-2": 1500,
                    "lapsed-3": 2000})


def main():
    tool, log, as_of_text = sys.argv[1:4]
    as_of = winback.day(as_of_text)
    policy = winback.Policy()
    print(f"libwinback {winback.library_version()}; numpy {np.__version__}, "
          f"pandas {pd.__version__}")
    n = 1_000_000
    summary = synthetic_summary(n, as_of)
    t_plan, plans = best(lambda: winback.plan(summary, policy=policy))
    loop_n = 100_000
    t_loop, _ = best(lambda: per_row_loop(summary.iloc[:loop_n], as_of, policy), runs=1)
    t_pandas, _ = best(lambda: pandas_classes(summary, as_of))
    print(f"\n== plan on {n:,} customers (median of 3)")
    print(f"{'winback.plan (one call)':44s} {t_plan:8.3f} s  {t_plan / n * 1e9:8.0f} ns/customer")
    per_row = t_loop / loop_n
    print(f"{'per-row Python loop, same library':44s} {per_row * n:8.3f} s  "
          f"{per_row * 1e9:8.0f} ns/customer  (timed on {loop_n:,}; "
          f"{per_row * n / t_plan:.0f}x winback.plan)")
    print(f"{'pandas: recency class and ladder only':44s} {t_pandas:8.3f} s  "
          f"{t_pandas / n * 1e9:8.0f} ns/customer  (the rest of the plan not done)")
    t_read, df = best(lambda: pd.read_csv(log, dtype={"customer_id": str},
                                          parse_dates=["date"]), runs=1)
    t_sum, s = best(lambda: winback.summarize(df, id="customer_id", date="date",
                                              amount="amount", as_of=as_of_text), runs=3)
    t_plan2, _ = best(lambda: winback.plan(s, policy=policy), runs=3)

    def c_program():
        subprocess.run([tool, "plan", log, "--as-of", as_of_text, "--format", "csv",
                        "--quiet"], check=True, stdout=subprocess.DEVNULL)
    t_c, _ = best(c_program)
    py = t_sum + t_plan2
    print(f"\n== {len(df):,} rows, {len(s):,} customers: summary and plan (median of 3)")
    print(f"{'pandas read_csv (not counted below)':44s} {t_read:8.3f} s")
    print(f"{'winback.summarize':44s} {t_sum:8.3f} s")
    print(f"{'winback.plan':44s} {t_plan2:8.3f} s")
    print(f"{'Python path: summarize + plan':44s} {py:8.3f} s  {py / t_c:.2f}x the C program "
          f"(goal: within 2x)")
    print(f"{'C program: winback plan --format csv':44s} {t_c:8.3f} s  (reads and writes CSV too)")
    print(f"{'lifetimes summary_data_from_transaction_data':44s} {'10-11':>8s} s  (quoted: "
          f"not installable here; {10.5 / t_sum:.0f}x winback.summarize)")


if __name__ == "__main__":
    main()
