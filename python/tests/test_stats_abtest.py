"""Ferry's A/B statistics engine (dist/stats/abtest) against GrowthBook's gbstats 0.8.0 on the same aggregates.

Effects, standard errors, CIs, p-values (fixed and sequential), Bayesian posterior, chance to win and risk,
and SRM p-values must equal gbstats' to 1e-9 relative, with an absolute floor of 1e-13 times the effect's
scale (an interval bound or a risk near 0 is a difference of two numbers of that scale) and 1e-14 for
p-values (gbstats computes 2·(1 − t.cdf), which has no digits below ~1e-16); the fixed-horizon p-value also
to 1e-9 relative, with no floor, against 2·t.sf(|t|, ν) on gbstats' own statistic and Welch ν. Insufficient data on exactly the
cases where gbstats returns its default result. Holm and Benjamini–Hochberg against the procedures' own
definitions (statsmodels is not installed): the adjusted p-value of a hypothesis is the smallest level at
which the step-down / step-up procedure rejects it.
"""
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import norm, truncnorm

sys.path.insert(0, str(Path(__file__).parent))  # the helper module next to this file
from abtest_reference import bayesian, frequentist, srm_p  # noqa: E402

REL = 1e-9


def close(got, want, scale=0.0, floor=0.0, what=""):
    assert got is not None and math.isfinite(got), (what, got, want)
    assert abs(got - want) <= max(REL * abs(want), 1e-13 * scale, floor), (what, got, want, abs(got - want))


# --- aggregates --------------------------------------------------------------------------------------


def moments(y, d=None, x=None):
    y = np.asarray(y, dtype=float)
    d = np.zeros_like(y) if d is None else np.asarray(d, dtype=float)
    x = np.zeros_like(y) if x is None else np.asarray(x, dtype=float)
    return {
        "n": int(len(y)),
        "sum": float(y.sum()),
        "sumSquares": float((y * y).sum()),
        "denominatorSum": float(d.sum()),
        "denominatorSumSquares": float((d * d).sum()),
        "mainDenominatorSumProduct": float((y * d).sum()),
        "covariateSum": float(x.sum()),
        "covariateSumSquares": float((x * x).sum()),
        "mainCovariateSumProduct": float((y * x).sum()),
    }


def synthetic(n, mean_y, var_y, mean_d=0.0, var_d=0.0, cov_yd=0.0, mean_x=0.0, var_x=0.0, cov_yx=0.0):
    """Consistent sums for a huge arm (n = 1e7) without drawing every unit: Σ = n·mean, Σ² = (n−1)·var + Σ²/n."""
    sy, sd, sx = n * mean_y, n * mean_d, n * mean_x
    return {
        "n": n,
        "sum": sy,
        "sumSquares": (n - 1) * var_y + sy * sy / n,
        "denominatorSum": sd,
        "denominatorSumSquares": (n - 1) * var_d + sd * sd / n,
        "mainDenominatorSumProduct": (n - 1) * cov_yd + sy * sd / n,
        "covariateSum": sx,
        "covariateSumSquares": (n - 1) * var_x + sx * sx / n,
        "mainCovariateSumProduct": (n - 1) * cov_yx + sy * sx / n,
    }


def proportion_arm(rng, n, p, covariate=False):
    y = (rng.random(n) < p).astype(float)
    x = np.where(rng.random(n) < 0.7, y, (rng.random(n) < p).astype(float)) if covariate else None
    return moments(y, x=x)


def mean_arm(rng, n, mu, sd, covariate=False):
    x = rng.gamma(2.0, mu / 2, n)
    y = 0.6 * x + rng.normal(0.4 * mu, sd, n) if covariate else rng.normal(mu, sd, n)
    return moments(y, x=x if covariate else None)


def ratio_arm(rng, n, revenue_per_request):
    requests = rng.poisson(3.0, n) + 1.0
    revenue = requests * revenue_per_request * rng.gamma(2.0, 0.5, n)
    return moments(revenue, d=requests)


def cases():
    rng = np.random.default_rng(20261206)
    out = []
    for n in (2, 3, 5, 10, 40, 500, 20000):
        out.append((f"proportion n={n}", "proportion", False, proportion_arm(rng, n, 0.3), proportion_arm(rng, n + n // 3, 0.36)))
        out.append((f"mean n={n}", "mean", False, mean_arm(rng, n, 10, 3), mean_arm(rng, n + 1, 10.4, 3.5)))
        out.append((f"ratio n={n}", "ratio", False, ratio_arm(rng, n, 1.0), ratio_arm(rng, n + 2, 1.05)))
        out.append((f"cuped mean n={n}", "mean", True, mean_arm(rng, n, 10, 3, True), mean_arm(rng, n, 10.5, 3, True)))
        out.append(
            (f"cuped proportion n={n}", "proportion", True, proportion_arm(rng, n, 0.3, True), proportion_arm(rng, n, 0.33, True))
        )
    big = 10_000_000
    out.append(("proportion n=1e7", "proportion", False, {"n": big, "sum": 1_000_321.0, "sumSquares": 1_000_321.0},
                {"n": big - 777, "sum": 1_003_987.0, "sumSquares": 1_003_987.0}))
    out.append(("mean n=1e7", "mean", False, synthetic(big, 12.0, 30.0), synthetic(big + 5, 12.004, 30.5)))
    out.append(("ratio n=1e7", "ratio", False, synthetic(big, 3.0, 9.0, 3.0, 4.0, 5.0), synthetic(big, 3.01, 9.2, 3.0, 4.0, 5.1)))
    out.append(("cuped mean n=1e7", "mean", True, synthetic(big, 5.0, 4.0, mean_x=5.0, var_x=4.0, cov_yx=3.0),
                synthetic(big, 5.002, 4.1, mean_x=5.0, var_x=4.0, cov_yx=3.1)))
    out.append(("cuped proportion n=1e7", "proportion", True,
                {**synthetic(big, 0.1, 0, mean_x=0.1, cov_yx=0.06), "sumSquares": 1e6, "covariateSumSquares": 1e6},
                {**synthetic(big, 0.1012, 0, mean_x=0.1, cov_yx=0.061), "sumSquares": 1.012e6, "covariateSumSquares": 1e6}))
    # No effect at all, a hugely significant one, and a treatment worse than control.
    out.append(("mean equal arms", "mean", False, moments([1.0, 2, 3, 4]), moments([1.0, 2, 3, 4])))
    out.append(("proportion huge lift", "proportion", False, {"n": 5000, "sum": 500.0, "sumSquares": 500.0},
                {"n": 5000, "sum": 1500.0, "sumSquares": 1500.0}))
    out.append(("mean worse", "mean", False, mean_arm(rng, 800, 20, 4), mean_arm(rng, 800, 19, 4)))
    # Degenerate arms: gbstats returns its default, Ferry insufficient_data (or no relative lift).
    out.append(("proportion control all zero", "proportion", False, moments([0.0] * 50), moments([0.0] * 45 + [1.0] * 5)))
    out.append(("proportion treatment all one", "proportion", False, moments([0.0, 1.0] * 20), moments([1.0] * 30)))
    out.append(("mean constant arms", "mean", False, moments([2.0] * 10), moments([2.0] * 12)))
    out.append(("mean one unit", "mean", False, moments([2.0]), moments([2.0, 3.0, 5.0])))
    out.append(("mean empty control", "mean", False, moments([]), moments([2.0, 3.0, 5.0])))
    out.append(("ratio zero denominators", "ratio", False, moments([1.0, 2, 3], d=[0.0, 0, 0]), moments([1.0, 2, 3], d=[1.0, 2, 1])))
    out.append(("mean control mean zero", "mean", False, moments([-2.0, 1, 1, -1, 1]), moments([-1.0, 2, 1, 0, 1, 3])))
    out.append(("cuped constant covariate", "mean", True, moments([1.0, 2, 4, 3], x=[5.0] * 4), moments([2.0, 2, 5, 3], x=[5.0] * 4)))
    out.append(("cuped no covariate sums", "mean", True, {"n": 4, "sum": 10.0, "sumSquares": 30.0}, {"n": 5, "sum": 14.0, "sumSquares": 46.0}))
    return out


CASES = cases()
IDS = [c[0] for c in CASES]


def ferry(stats, kind, cuped, control, treatment, method, direction="increase", **settings):
    base = {"method": method, "alpha": 0.05, "sequentialTuning": 5000, "cuped": cuped}
    return stats.call(
        "abtest",
        "compare",
        {"kind": kind, "direction": direction, "control": control, "treatment": treatment, "settings": {**base, **settings}},
    )


def check_interval(got, want, what):
    assert got is not None, what
    scale = abs(want["estimate"]) + want["stderr"]
    for key in ("estimate", "stderr", "lower", "upper"):
        close(got[key], want[key], scale, what=f"{what} {key}")


# --- frequentist -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["fixed", "sequential"])
@pytest.mark.parametrize("name,kind,cuped,control,treatment", CASES, ids=IDS)
def test_frequentist_matches_gbstats(stats, method, name, kind, cuped, control, treatment):
    got = ferry(stats, kind, cuped, control, treatment, method)
    ref = {t: frequentist(kind, control, treatment, cuped, t, method) for t in ("absolute", "relative")}
    if ref["absolute"] is None:
        # gbstats: ZERO_NEGATIVE_VARIANCE (n ≤ 1, constant values, empty arm) → Ferry: insufficient_data.
        assert got["status"] == "insufficient_data" and got["verdict"] == "insufficient_data", got
        assert got["absolute"] is None and got["relative"] is None and got["pValue"] is None
        assert got["reason"]
        return
    assert got["status"] == "ok", got
    for t in ("absolute", "relative"):
        if ref[t] is None:
            # gbstats: ZERO_NEGATIVE_BASELINE_VARIATION (control mean 0) → Ferry: no relative lift.
            assert got[t] is None and t == "relative"
            continue
        check_interval(got[t], ref[t], f"{name} {method} {t}")
        close(got[t]["pValue"], ref[t]["pValue"], floor=1e-14, what=f"{name} {method} {t} p")
        close(got[t]["pValue"], ref[t]["pValueExact"], floor=1e-300, what=f"{name} {method} {t} p (all digits)")
    basis = "relative" if ref["relative"] is not None else "absolute"
    assert got["basis"] == basis and got["pValue"] == got[basis]["pValue"]
    close(got["controlMean"], ref["absolute"]["controlMean"])
    close(got["treatmentMean"], ref["absolute"]["treatmentMean"])
    # Verdict: the decided interval excludes 0 (equivalently p < alpha) in the better or worse direction.
    lower, upper = ref[basis]["lower"], ref[basis]["upper"]
    want = "better" if lower > 0 else "worse" if upper < 0 else "inconclusive"
    assert got["verdict"] == want, (got["verdict"], got["reason"])
    flipped = ferry(stats, kind, cuped, control, treatment, method, direction="decrease")
    assert flipped["verdict"] == {"better": "worse", "worse": "better"}.get(want, want)


@pytest.mark.parametrize("alpha,tuning", [(0.01, 5000), (0.1, 200), (0.05, 1e6)])
def test_sequential_settings_match_gbstats(stats, alpha, tuning):
    for name, kind, cuped, control, treatment in CASES[:15]:
        got = ferry(stats, kind, cuped, control, treatment, "sequential", alpha=alpha, sequentialTuning=tuning)
        ref = frequentist(kind, control, treatment, cuped, "relative", "sequential", alpha=alpha, tuning=tuning)
        if ref is None:
            continue
        check_interval(got["relative"], ref, name)
        close(got["pValue"], ref["pValue"], floor=1e-14, what=name)


def test_fixed_alpha_matches_gbstats(stats):
    for name, kind, cuped, control, treatment in CASES[:15]:
        got = ferry(stats, kind, cuped, control, treatment, "fixed", alpha=0.01)
        ref = frequentist(kind, control, treatment, cuped, "absolute", "fixed", alpha=0.01)
        if ref is not None:
            check_interval(got["absolute"], ref, name)


# --- bayesian ----------------------------------------------------------------------------------------


def improper_posterior(freq, inverse):
    """gbstats' improper-prior posterior written out: N(estimate, stderr²); chance to win and risk from it."""
    mu, sd = freq["estimate"], freq["stderr"]
    p_up = norm.sf(0, mu, sd)
    risk = [p_up * truncnorm.mean(-mu / sd, np.inf, mu, sd), -(1 - p_up) * truncnorm.mean(-np.inf, -mu / sd, mu, sd)]
    return {
        "estimate": mu,
        "stderr": sd,
        "lower": norm.ppf(0.025, mu, sd),
        "upper": norm.ppf(0.975, mu, sd),
        "chanceToWin": 1 - p_up if inverse else p_up,
        "riskControl": risk[1] if inverse else risk[0],
        "riskTreatment": risk[0] if inverse else risk[1],
    }


PRIORS = [
    {},  # gbstats' metric defaults: improper prior (mean 0, stddev 0.1 unused)
    {"properPrior": True, "priorMean": 0.0, "priorStddev": 0.1},
    {"properPrior": True, "priorMean": 0.02, "priorStddev": 0.3},
]


@pytest.mark.parametrize("prior", range(len(PRIORS)))
@pytest.mark.parametrize("direction", ["increase", "decrease"])
@pytest.mark.parametrize("name,kind,cuped,control,treatment", CASES, ids=IDS)
def test_bayesian_matches_gbstats(stats, prior, direction, name, kind, cuped, control, treatment):
    settings = PRIORS[prior]
    got = ferry(stats, kind, cuped, control, treatment, "bayesian", direction, **settings)
    kwargs = {
        "inverse": direction == "decrease",
        "prior_mean": settings.get("priorMean", 0.0),
        "prior_stddev": settings.get("priorStddev", 0.1),
        "proper": settings.get("properPrior", False),
    }
    rel = bayesian(kind, control, treatment, cuped, "relative", **kwargs)
    if rel.get("error") == "ZERO_NEGATIVE_VARIANCE" or rel.get("error") == "NO_UNITS_IN_VARIATION":
        assert got["status"] == "insufficient_data" and got["chanceToWin"] is None and got["risk"] is None, got
        return
    if "error" in rel:
        # ZERO_NEGATIVE_BASELINE_VARIATION: control mean 0 → no relative lift; Ferry decides on the absolute one
        # (gbstats' absolute test is computed below unless its rescaled proper prior would divide by zero).
        assert rel["error"] == "ZERO_NEGATIVE_BASELINE_VARIATION" and got["relative"] is None
        try:
            want, basis = bayesian(kind, control, treatment, cuped, "absolute", **kwargs), "absolute"
        except ZeroDivisionError:
            # gbstats rescales the relative prior by the control mean (0) and then divides by its variance, even
            # for an improper prior. Ferry: a proper prior cannot be rescaled → insufficient_data; an improper one
            # gives the posterior N(estimate, stderr²) of gbstats' own absolute t test, checked with scipy's normal.
            if kwargs["proper"]:
                assert got["status"] == "insufficient_data" and got["absolute"] is None, got
                return
            want, basis = improper_posterior(frequentist(kind, control, treatment, cuped, "absolute", "fixed"), kwargs["inverse"]), "absolute"
        if "error" in want:
            # and the absolute test has no variance either: insufficient_data.
            assert want["error"] in ("ZERO_NEGATIVE_VARIANCE", "NO_UNITS_IN_VARIATION")
            assert got["status"] == "insufficient_data" and got["absolute"] is None, got
            return
    else:
        want, basis = rel, "relative"
        check_interval(got["absolute"], bayesian(kind, control, treatment, cuped, "absolute", **kwargs), f"{name} absolute")
    assert got["basis"] == basis and got["pValue"] is None
    check_interval(got[basis], want, f"{name} {basis}")
    close(got["chanceToWin"], want["chanceToWin"], floor=1e-14, what="chance to win")
    close(got["risk"]["control"], want["riskControl"], want["stderr"], what="risk control")
    close(got["risk"]["treatment"], want["riskTreatment"], want["stderr"], what="risk treatment")
    verdict = "better" if want["chanceToWin"] > 0.95 else "worse" if want["chanceToWin"] < 0.05 else "inconclusive"
    assert got["verdict"] == verdict


# --- SRM and multiple testing ------------------------------------------------------------------------


SRM_CASES = [
    ([5200, 4800], [0.5, 0.5]),
    ([5010, 4990], [0.5, 0.5]),
    ([1000, 1000], [0.5, 0.5]),
    ([2, 9], [1, 1]),
    ([0, 0], [0.5, 0.5]),
    ([30000, 10200], [3, 1]),
    ([100, 210, 290], [0.2, 0.3, 0.5]),
    ([100, 210, 290], [0.2, 0.3, 0]),
    ([50_000_000, 50_020_000], [0.5, 0.5]),
    ([5_000_000, 5_600_000], [0.5, 0.5]),
]


@pytest.mark.parametrize("counts,weights", SRM_CASES)
def test_srm_matches_gbstats(stats, counts, weights):
    got = stats.call("abtest", "sampleRatioMismatch", counts, weights)
    want = srm_p(counts, weights)
    close(got["pValue"], want, floor=1e-300, what="srm p")
    assert got["flagged"] == (want < 0.001)
    total, wsum = sum(counts), sum(weights)
    if total:
        for e, w in zip(got["expected"], weights):
            close(e, w / wsum * total if w > 0 else 0.0, what="expected")


def _holm_rejects(p, alpha):
    """Holm's step-down procedure at level alpha: reject in increasing order while p_(k) ≤ alpha/(m − k)."""
    m, order, rejected = len(p), np.argsort(p, kind="stable"), set()
    for k, i in enumerate(order):
        if p[i] * (m - k) > alpha:  # p_(k) ≤ alpha/(m − k), written without dividing
            break
        rejected.add(i)
    return rejected


def _bh_rejects(p, alpha):
    """Benjamini–Hochberg step-up at level alpha: reject the k smallest for the largest k with p_(k) ≤ k·alpha/m."""
    m, order = len(p), np.argsort(p, kind="stable")
    ks = [k for k in range(m) if p[order[k]] * m <= (k + 1) * alpha]
    return set(order[: ks[-1] + 1]) if ks else set()


def _adjusted_by_definition(p, rejects):
    """Adjusted p-value = the smallest level at which the procedure rejects the hypothesis (capped at 1)."""
    m = len(p)
    levels = sorted({min(1.0, float(v)) for k in range(m) for v in (p[k] * (m - j) for j in range(m))}
                    | {min(1.0, float(p[k]) * m / (j + 1)) for k in range(m) for j in range(m)} | {1.0})
    return [next((a for a in levels if i in rejects(p, a * (1 + 1e-12))), 1.0) for i in range(m)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("method", ["holm", "benjamini-hochberg"])
def test_multiple_testing_matches_definition(stats, seed, method):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 9))
    p = np.concatenate([rng.uniform(0, 0.05, m // 2), rng.uniform(0, 1, m - m // 2)])
    if seed == 3:
        p[:2] = p[0]  # ties
    rng.shuffle(p)
    got = stats.call("abtest", "adjustPValues", p.tolist(), method)
    want = _adjusted_by_definition(p, _holm_rejects if method == "holm" else _bh_rejects)
    for g, w in zip(got, want):
        close(g, w, floor=1e-12, what=method)
    # Nulls stay null and are left out of the family.
    with_null = stats.call("abtest", "adjustPValues", [None, *p.tolist()], method)
    assert with_null[0] is None and with_null[1:] == got
    assert stats.call("abtest", "adjustPValues", p.tolist(), "none") == p.tolist()
