"""The Python binding against the C program, on CDNOW and on bad input."""
import io
import pickle

import numpy as np
import pandas as pd
import pytest

import winback
from conftest import LOG, run_tool


@pytest.fixture(scope="module")
def summary(cdnow):
    return winback.summarize(cdnow, id="id", date="date", amount="amount",
                             as_of="1998-07-01")


def test_plan_equals_the_program(summary):
    plans = winback.plan(summary, cost=2.00)
    csv = run_tool("plan", str(LOG), "--as-of", "1998-07-01", "--cost", "2.00",
                   "--format", "csv", "--quiet")
    c = pd.read_csv(io.StringIO(csv), dtype={"id": str}).set_index("id").sort_index()
    p = plans.sort_index()
    assert len(p) == len(c) == 23570
    assert (p["status"] == "OK").all()
    for col in ("class", "action", "discount_bp", "escalation", "approach", "channel",
                "signals", "reasons"):
        assert (p[col].astype(str).values == c[col].astype(str).values).all(), col
    assert np.allclose(p["priority"].astype(float), c["priority"], atol=0.005)
    assert np.allclose(p["clv"].astype(float), c["clv"], atol=0.005)


def test_summary_counts(summary, cdnow):
    assert len(summary) == 23570
    assert summary["purchases"].sum() == len(cdnow) == 69659
    assert round(summary["total"].sum(), 2) == 2500315.63
    assert summary["lost"].sum() == 20288          # winback summary: lost now


def test_a_bad_row_gets_its_own_status(summary):
    crm = pd.DataFrame({"severity": [9, 3], "nps": [None, 12]}, index=["00001", "00002"])
    plans = winback.plan(summary, crm=crm)
    assert plans.loc["00001", "status"] == "ESEVERITY"
    assert plans.loc["00002", "status"] == "EINVAL"
    assert plans.loc["00001", "action"] is None
    assert (plans.drop(["00001", "00002"])["status"] == "OK").all()


def test_policy_errors_name_the_key():
    p = winback.Policy(tier1_days=45)
    assert p["tier1_days"] == 45 and p["tier2_days"] == 180
    with pytest.raises(winback.WinbackError) as e:
        p["tier1_days"] = -1
    assert e.value.key == "tier1_days" and e.value.name == "EPOLICY"
    with pytest.raises(winback.WinbackError) as e:
        winback.Policy(no_such_key=1)
    assert e.value.name == "EKEY" and "no_such_key" in str(e.value)
    p["tier2_days"] = 40                            # in range, breaks the order
    with pytest.raises(winback.WinbackError) as e:
        _ = p.pointer
    assert e.value.key == "tier2_days"
    assert len(winback.Policy()) == 51
    assert pickle.loads(pickle.dumps(winback.Policy(tier1_days=60)))["tier1_days"] == 60


def test_calculators_are_the_sources_examples():
    assert winback.clv(500, 10, years=5) == 25000.0          # [Rules] worked example
    assert winback.romi(8325, 285) == pytest.approx(28.2105, abs=1e-4)
    assert winback.discount(100.0, days_since=200) == (15.0, 85.0)
    assert winback.discount(19.99, bp=1000) == (2.0, 17.99)


def test_bgnbd_equals_the_program_and_survives_pickle(cdnow):
    fit_out = run_tool("fit", str(LOG), "--calibration-end", "1998-06-30", "--quiet").split()
    s = winback.summarize(cdnow, as_of="1998-06-30")
    bgf = winback.BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    bg = fit_out.index("BG/NBD")
    for name in ("r", "alpha", "a", "b"):               # "r 0.267128 alpha ..."
        value = float(fit_out[fit_out.index(name, bg) + 1])
        assert bgf.params_[name] == pytest.approx(value, abs=1e-6), name
    p = bgf.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    assert np.isfinite(p).all() and ((0 <= p) & (p <= 1)).all()
    again = pickle.loads(pickle.dumps(bgf))
    assert again.params_ == bgf.params_
    assert winback.BetaGeo.from_dict(bgf.to_dict()).params_ == bgf.params_
    e1 = bgf.conditional_expected_number_of_purchases_up_to_time(39, s["frequency"],
                                                                  s["recency"], s["T"])
    e2 = again.conditional_expected_number_of_purchases_up_to_time(39, s["frequency"],
                                                                    s["recency"], s["T"])
    assert np.array_equal(e1, e2) and np.isfinite(e1).all()
    buyers = s[s["frequency"] > 0]
    ggf = winback.GammaGamma().fit(buyers["frequency"], buyers["monetary_value"] * 100)
    gg = fit_out.index("Gamma-Gamma")
    # The same data in cents; the fit stops within its tolerance of the optimum.
    assert ggf.params_["p"] == pytest.approx(float(fit_out[gg + 2]), rel=1e-4)
    ggf = winback.GammaGamma().fit(buyers["frequency"], buyers["monetary_value"])
    spend = ggf.conditional_expected_average_profit(buyers["frequency"],
                                                    buyers["monetary_value"])
    assert np.isfinite(spend).all() and (spend > 0).all()
    clv = ggf.customer_lifetime_value(bgf, buyers["frequency"], buyers["recency"],
                                      buyers["T"], buyers["monetary_value"])
    assert np.isfinite(clv).all() and (clv >= 0).all()
    assert pickle.loads(pickle.dumps(ggf)).params_ == ggf.params_


def test_a_bad_customer_raises_with_its_row():
    bgf = winback.BetaGeo.from_dict({"params": {"r": 0.24, "alpha": 4.4, "a": 0.79,
                                                "b": 2.4}})
    with pytest.raises(winback.WinbackError) as e:
        bgf.conditional_probability_alive([1, 2], [5, 50], [10, 10])   # t_x > T
    assert "row 1" in str(e.value)


def test_the_layout_check_refuses_a_mismatch():
    from winback import _lib
    moved = np.dtype([(n if n != "returns" else "severity", t) if n not in
                      ("returns", "severity") else (("severity" if n == "returns"
                                                     else "returns"), t)
                      for n, (t, _) in _lib.CUSTOMER.fields.items()])
    with pytest.raises(winback.LayoutError):
        winback.check_layout(winback.lib, {"wb_customer": moved})
    short = np.dtype(_lib.PLAN.descr[:-1])
    with pytest.raises(winback.LayoutError):
        winback.check_layout(winback.lib, {"wb_plan": short})
    winback.check_layout(winback.lib, {"wb_customer": _lib.CUSTOMER, "wb_plan": _lib.PLAN})


def test_bad_rows_in_summarize_are_named():
    df = pd.DataFrame({"id": ["a", "b"], "date": ["2024-01-01", None], "amount": [1, 2]})
    with pytest.raises(ValueError, match="row 1"):
        winback.summarize(df)
    df = pd.DataFrame({"id": ["a", "b"], "date": ["2024-01-01"] * 2, "amount": [1, -2]})
    with pytest.raises(ValueError, match="row 1"):
        winback.summarize(df)


def test_integer_ids_are_their_decimal_text():
    """Integer ids (as read_csv makes of a numeric id column) are factorized
    as integers; the summary is the one their text gives, and a missing id
    in a nullable integer column is named, not taken for the id '<NA>'."""
    rows = {"date": ["2024-01-01", "2024-02-01", "2024-01-15"], "amount": [1.5, 2, 3]}
    as_int = winback.summarize(pd.DataFrame({"id": [225, 7, 225], **rows}))
    as_text = winback.summarize(pd.DataFrame({"id": ["225", "7", "225"], **rows}))
    pd.testing.assert_frame_equal(as_int, as_text)
    assert list(as_int.index) == ["225", "7"]
    assert as_int.loc["225", "purchases"] == 2
    missing = pd.DataFrame({"id": pd.array([225, None, 7], dtype="Int64"), **rows})
    with pytest.raises(ValueError, match="row 1"):
        winback.summarize(missing)
