"""BG/NBD and Gamma-Gamma with the method names lifetimes users know.

Fitting and every prediction run in the library over whole arrays; the
results are finite (no NaN: a customer the model cannot score raises, with
its row). A fitted model is plain data: to_dict / from_dict, and pickle.
"""
from __future__ import annotations

import ctypes
from typing import Optional

import numpy as np

from ._core import WinbackError, _check
from ._lib import RFM, lib

# lifetimes' time units per month, for customer_lifetime_value.
_PER_MONTH = {"D": 30.0, "W": 4.345, "M": 1.0, "H": 30.0 * 24}


class _Params(ctypes.Structure):
    _fields_ = [("a", ctypes.c_double * 4)]


def _rfm(frequency, recency=None, T=None, monetary_value=None) -> np.ndarray:
    f = np.asarray(frequency, dtype=float)
    c = np.zeros(f.shape[0] if f.ndim else 1, dtype=RFM)
    c["x"] = f
    c["t_x"] = 0 if recency is None else np.asarray(recency, dtype=float)
    c["T"] = 0 if T is None else np.asarray(T, dtype=float)
    c["m"] = 0 if monetary_value is None else np.asarray(monetary_value, dtype=float)
    return c


def _many(fn, models, c, *args) -> np.ndarray:
    """A batch call over the rows of c: fn(*models, c, n, *args, out, status,
    NULL); the first failed row raises with its index."""
    models = models if isinstance(models, tuple) else (models,)
    out = np.zeros(len(c), dtype=float)
    status = np.zeros(len(c), dtype=np.int32)
    _check(fn(*[ctypes.byref(m) for m in models], c.ctypes.data, len(c), *args,
              out.ctypes.data, status.ctypes.data, None))
    bad = np.flatnonzero(status)
    if bad.size:
        raise WinbackError(int(status[bad[0]]), f"row {int(bad[0])}")
    return out


class _Fitted:
    """A fitted model as plain data: params_, to_dict / from_dict, pickling."""
    MODEL = ""

    def __init__(self) -> None:
        self.params_: Optional[dict] = None
        self.log_likelihood_: Optional[float] = None

    def to_dict(self) -> dict:
        return {"model": self.MODEL, "params": self.params_,
                "log_likelihood": self.log_likelihood_}

    @classmethod
    def from_dict(cls, d: dict):
        m = cls()
        m.params_ = dict(d["params"])
        m.log_likelihood_ = d.get("log_likelihood")
        return m

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params_})"


class BetaGeo(_Fitted):
    """The BG/NBD model (Fader, Hardie & Lee 2005), lifetimes' BetaGeoFitter."""
    MODEL = "bgnbd"

    def _model(self) -> _Params:
        if self.params_ is None:
            raise ValueError("the model is not fitted")
        p = self.params_
        return _Params((ctypes.c_double * 4)(p["r"], p["alpha"], p["a"], p["b"]))

    def fit(self, frequency, recency, T) -> "BetaGeo":
        c = _rfm(frequency, recency, T)
        out, ll = _Params(), ctypes.c_double()
        _check(lib.wb_bgnbd_fit(c.ctypes.data, len(c), None, ctypes.byref(out),
                                ctypes.byref(ll)), "BG/NBD fit")
        self.params_ = dict(zip(("r", "alpha", "a", "b"), out.a))
        self.log_likelihood_ = ll.value
        return self

    def conditional_probability_alive(self, frequency, recency, T) -> np.ndarray:
        return _many(lib.wb_bgnbd_p_alive_many, self._model(), _rfm(frequency, recency, T))

    def conditional_expected_number_of_purchases_up_to_time(self, t, frequency, recency,
                                                             T) -> np.ndarray:
        return _many(lib.wb_bgnbd_expected_many, self._model(),
                     _rfm(frequency, recency, T), float(t))



class GammaGamma(_Fitted):
    """The Gamma-Gamma spend model, lifetimes' GammaGammaFitter."""
    MODEL = "gamma-gamma"

    def _model(self) -> _Params:
        if self.params_ is None:
            raise ValueError("the model is not fitted")
        p = self.params_
        return _Params((ctypes.c_double * 4)(p["p"], p["q"], p["v"], 0.0))

    def fit(self, frequency, monetary_value) -> "GammaGamma":
        c = _rfm(frequency, monetary_value=monetary_value)
        out, ll = _Params(), ctypes.c_double()
        _check(lib.wb_gg_fit(c.ctypes.data, len(c), None, ctypes.byref(out),
                             ctypes.byref(ll)), "Gamma-Gamma fit")
        self.params_ = dict(zip(("p", "q", "v"), out.a[:3]))
        self.log_likelihood_ = ll.value
        return self

    def conditional_expected_average_profit(self, frequency, monetary_value) -> np.ndarray:
        return _many(lib.wb_gg_expected_spend_many, self._model(),
                     _rfm(frequency, monetary_value=monetary_value))

    def customer_lifetime_value(self, transaction_prediction_model: BetaGeo, frequency,
                                recency, T, monetary_value, time: int = 12,
                                discount_rate: float = 0.01, freq: str = "W",
                                margin: float = 1.0) -> np.ndarray:
        """lifetimes' CLV: `time` months of expected purchases, each month's
        discounted at `discount_rate`, times the expected spend on margin;
        `freq` is the models' time unit (D, W, M, H)."""
        return _many(lib.wb_bgnbd_clv_many,
                     (transaction_prediction_model._model(), self._model()),
                     _rfm(frequency, recency, T, monetary_value), float(margin), int(time),
                     _PER_MONTH[freq], float(discount_rate))

