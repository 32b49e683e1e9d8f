"""winback: libwinback from Python (docs/python.md).

    import pandas as pd, winback
    log = pd.read_csv("orders.csv")                       # id, date, amount
    summary = winback.summarize(log, id="id", date="date", amount="amount")
    plans = winback.plan(summary, cost=2.00)             # one library call
    bgf = winback.BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
"""
from ._core import (Policy, WinbackError, clv, dates, day, days, discount, plan, romi,
                    summarize)
from ._lib import LayoutError, check_layout, lib
from ._models import BetaGeo, GammaGamma

__version__ = "0.2.0"
__all__ = ["Policy", "WinbackError", "LayoutError", "summarize", "plan", "clv", "romi",
           "discount", "day", "days", "dates", "BetaGeo", "GammaGamma", "check_layout",
           "library_version"]


def library_version() -> str:
    """The version of the libwinback actually loaded."""
    return lib.wb_version_string().decode()
