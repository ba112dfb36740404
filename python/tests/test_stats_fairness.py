"""Ferry's fairness statistics (dist/stats/fairness) against Fairlearn 0.15.0 on seeded golden cases.

Every case is run through Fairlearn's MetricFrame (and its parity functions) and through Ferry's TypeScript port on
the same data (stats_harness.mjs); every value must agree to 1e-12 with NaN at the same places: by-group values
(including the NaN of empty intersections), overall, group_min/group_max, difference and ratio by both methods,
demographic parity, equal opportunity and equalized odds (both aggs, Fairlearn's min()/max() NaN ordering via
fairlearnCompat). Label refusals must happen where Fairlearn raises, as a typed error naming the field.
"""
import functools
import math
import warnings

import fairlearn
import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from sklearn import metrics as skm

TOL = 1e-12

FUNCS = {
    "selection_rate": flm.selection_rate,
    "true_positive_rate": flm.true_positive_rate,
    "false_positive_rate": flm.false_positive_rate,
    "true_negative_rate": flm.true_negative_rate,
    "false_negative_rate": flm.false_negative_rate,
    "accuracy": skm.accuracy_score,
    "precision": skm.precision_score,
    "recall": skm.recall_score,
    "count": flm.count,
}
RATES = ["true_positive_rate", "false_positive_rate", "true_negative_rate", "false_negative_rate"]
BINARY_METRICS = ["selection_rate", *RATES, "accuracy", "precision", "recall"]


def test_fairlearn_version():
    assert fairlearn.__version__ == "0.15.0"


# --- golden cases ------------------------------------------------------------------------------------


def case(name, y_true, y_pred, features, weights=None, pos_label=None, metrics=None, parity=True):
    return dict(
        name=name,
        y_true=list(y_true),
        y_pred=list(y_pred),
        features=[(n, list(v)) for n, v in features],
        weights=None if weights is None else [float(w) for w in weights],
        pos_label=pos_label,
        metrics=metrics or BINARY_METRICS,
        parity=parity,
    )


def binary(rng, n, groups, base=0.5, skew=0.15, acc=0.75):
    g = rng.choice(groups, n)
    lift = {v: skew * i for i, v in enumerate(groups)}
    y = (rng.random(n) < np.array([base + lift[v] - skew for v in g]).clip(0.05, 0.95)).astype(int)
    pred = np.where(rng.random(n) < acc, y, 1 - y)
    return [int(v) for v in y], [int(v) for v in pred], list(g)


def cases():
    out = []
    for s in range(5):
        rng = np.random.default_rng(s)
        y, p, g = binary(rng, 300 + 40 * s, ["a", "b", "c"])
        out.append(case(f"random-{s}", y, p, [("group", g)]))
    for s in range(5, 10):
        rng = np.random.default_rng(s)
        y, p, g = binary(rng, 400, ["f", "m", "x", "u"])
        out.append(case(f"weighted-{s}", y, p, [("sex", g)], weights=rng.gamma(2.0, 1.0, len(y))))
    for s in range(10, 14):  # two features; the combination (c, y) never occurs
        rng = np.random.default_rng(s)
        y, p, a = binary(rng, 500, ["a", "b", "c"])
        b = list(rng.choice(["x", "y"], len(y)))
        b = ["x" if av == "c" else bv for av, bv in zip(a, b)]
        w = rng.uniform(0.2, 3.0, len(y)) if s % 2 else None
        out.append(case(f"intersection-{s}", y, p, [("a", a), ("b", b)], weights=w))
    for s in range(14, 16):  # three features, several empty cells, integer-coded feature
        rng = np.random.default_rng(s)
        y, p, a = binary(rng, 120, ["p", "q", "r"])
        b = list(rng.choice([0, 1, 2], len(y)))
        c = list(rng.choice(["u", "v"], len(y)))
        b = [0 if av == "r" else int(bv) for av, bv in zip(a, b)]
        c = ["u" if bv == 2 else cv for bv, cv in zip(b, c)]
        out.append(case(f"three-features-{s}", y, p, [("a", a), ("b", b), ("c", c)], weights=None if s == 14 else rng.random(len(y)) + 0.1))
    for s in range(16, 18):  # group "b" has no actual positives → its TPR is 0 (sklearn nan_to_num), not NaN
        rng = np.random.default_rng(s)
        y, p, g = binary(rng, 300, ["a", "b", "c"])
        y = [0 if gv == "b" else yv for yv, gv in zip(y, g)]
        out.append(case(f"no-positives-{s}", y, p, [("g", g)], weights=rng.random(len(y)) + 0.5 if s == 17 else None))
    for s in range(18, 20):  # group "a" has no actual negatives → FPR 0
        rng = np.random.default_rng(s)
        y, p, g = binary(rng, 300, ["a", "b", "c"])
        y = [1 if gv == "a" else yv for yv, gv in zip(y, g)]
        out.append(case(f"no-negatives-{s}", y, p, [("g", g)], weights=rng.random(len(y)) + 0.5 if s == 19 else None))
    for s in range(20, 22):  # all-zero predictions: selection rates all 0 → DPR 0/0 = NaN
        rng = np.random.default_rng(s)
        y, _, g = binary(rng, 200, ["a", "b"])
        out.append(case(f"all-zero-pred-{s}", y, [0] * len(y), [("g", g)], weights=rng.random(len(y)) + 0.1 if s == 21 else None))
    for s in range(22, 24):
        rng = np.random.default_rng(s)
        y, p, _ = binary(rng, 150, ["a"])
        out.append(case(f"single-group-{s}", y, p, [("g", ["only"] * len(y))]))
    for s in range(24, 26):  # labels {-1, 1}
        rng = np.random.default_rng(s)
        y, p, g = binary(rng, 250, ["a", "b", "c"])
        out.append(case(f"minus-one-{s}", [2 * v - 1 for v in y], [2 * v - 1 for v in p], [("g", g)]))
    for s in range(26, 28):  # string labels with pos_label given (MetricFrame); parity functions see pos_label=1
        rng = np.random.default_rng(s)
        y, p, g = binary(rng, 250, ["a", "b", "c"])
        yes = lambda v: "yes" if v else "no"  # noqa: E731
        out.append(
            case(f"strings-{s}", [yes(v) for v in y], [yes(v) for v in p], [("g", g)], pos_label="yes", parity=False)
        )
    for s, k in ((28, 0), (29, 2), (30, 3)):  # multiclass: selection rate of one class and accuracy; rates one-vs-rest
        rng = np.random.default_rng(s)
        n = 400
        g = list(rng.choice(["a", "b", "c"], n))
        y = rng.choice(4, n)
        p = np.where(rng.random(n) < 0.6, y, rng.choice(4, n))
        w = rng.random(n) + 0.2 if s != 28 else None
        out.append(
            case(f"multiclass-{s}-class{k}", [int(v) for v in y], [int(v) for v in p], [("g", g)], weights=w, pos_label=k,
                 metrics=["selection_rate", "accuracy"], parity=False)
        )
        out.append(
            case(f"multiclass-ovr-{s}-class{k}", [int(v == k) for v in y], [int(v == k) for v in p], [("g", g)], weights=w)
        )
    rng = np.random.default_rng(31)  # no actual positives anywhere: every TPR is 0 → TPR ratio NaN, EOR quirk
    y, p, g = binary(rng, 200, ["a", "b", "c"])
    out.append(case("tpr-all-zero", [0] * len(y), p, [("g", g)]))
    rng = np.random.default_rng(32)  # no actual negatives anywhere: FPR ratio NaN, skipped by Python's min()
    y, p, g = binary(rng, 200, ["a", "b", "c"])
    out.append(case("fpr-all-zero", [1] * len(y), p, [("g", g)]))
    rng = np.random.default_rng(33)  # boolean labels and an integer sensitive feature
    y, p, _ = binary(rng, 200, ["a"])
    out.append(case("booleans", [bool(v) for v in y], [bool(v) for v in p], [("age_band", list(rng.choice([3, 1, 2], len(y))))]))
    rng = np.random.default_rng(34)  # one-row groups
    y, p, g = binary(rng, 60, ["a", "b", "c"])
    g = list(g[:-2]) + ["solo1", "solo2"]
    out.append(case("tiny-groups", y, p, [("g", g)], weights=rng.random(len(y)) + 0.1))
    return out


CASES = cases()


def test_enough_golden_cases():
    assert len(CASES) >= 30


# --- Fairlearn side ----------------------------------------------------------------------------------


def py(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def sensitive(c):
    return pd.DataFrame({n: v for n, v in c["features"]})


def fairlearn_frame(c, metric):
    fn = FUNCS[metric]
    if c["pos_label"] is not None and metric not in ("accuracy", "count"):
        fn = functools.partial(fn, pos_label=c["pos_label"])
    params = {}
    if c["weights"] is not None and metric != "count":
        params = {metric: {"sample_weight": np.array(c["weights"])}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mf = flm.MetricFrame(
            metrics={metric: fn},
            y_true=np.array(c["y_true"]),
            y_pred=np.array(c["y_pred"]),
            sensitive_features=sensitive(c),
            sample_params=params,
        )
        bg = mf.by_group[metric]
        keys = [tuple(py(x) for x in (k if isinstance(k, tuple) else (k,))) for k in bg.index]
        return dict(
            overall=float(mf.overall[metric]),
            by_group={k: float(v) for k, v in zip(keys, bg.values)},
            group_min=float(mf.group_min()[metric]),
            group_max=float(mf.group_max()[metric]),
            difference={m: float(mf.difference(method=m)[metric]) for m in ("between_groups", "to_overall")},
            ratio={m: float(mf.ratio(method=m)[metric]) for m in ("between_groups", "to_overall")},
        )


def counts(c):
    df = sensitive(c)
    df["_w"] = c["weights"] if c["weights"] is not None else 1.0
    g = df.groupby([n for n, _ in c["features"]])["_w"]
    n, w = g.size(), g.sum()
    key = lambda k: tuple(py(x) for x in (k if isinstance(k, tuple) else (k,)))  # noqa: E731
    return {key(k): (int(n[k]), float(w[k])) for k in n.index}


# --- Ferry side --------------------------------------------------------------------------------------


def ferry_input(c, **extra):
    body = dict(
        yTrue=c["y_true"],
        yPred=c["y_pred"],
        sensitiveFeatures=[dict(name=n, values=v) for n, v in c["features"]],
        **extra,
    )
    if c["weights"] is not None:
        body["sampleWeight"] = c["weights"]
    return body


def same(got, want, what):
    if math.isnan(want):
        assert math.isnan(got), (what, got, want)
    else:
        assert not math.isnan(got) and abs(got - want) <= TOL, (what, got, want)


# --- the comparisons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("c", CASES, ids=[c["name"] for c in CASES])
def test_metric_frame_matches_fairlearn(stats, c):
    want_counts = counts(c)
    metrics = c["metrics"] + (["count"] if c["weights"] is None else [])
    for metric in metrics:
        want = fairlearn_frame(c, metric)
        got = stats.call("fairness", "metricFrame", ferry_input(c, metric=metric, posLabel=c["pos_label"]))
        what = f"{c['name']}/{metric}"
        same(got["overall"], want["overall"], f"{what}/overall")
        got_groups = {tuple(g["key"]): g for g in got["byGroup"]}
        assert list(got_groups) == list(want["by_group"]), (what, list(got_groups), list(want["by_group"]))
        for k, v in want["by_group"].items():
            same(got_groups[k]["value"], v, f"{what}/{k}")
            n, w = want_counts.get(k, (0, 0.0))
            assert got_groups[k]["n"] == n and abs(got_groups[k]["weight"] - w) <= 1e-9 * max(1.0, w), (what, k)
            assert got_groups[k]["observed"] == (n > 0)
        same(got["groupMin"], want["group_min"], f"{what}/group_min")
        same(got["groupMax"], want["group_max"], f"{what}/group_max")
        for m in ("between_groups", "to_overall"):
            same(got["difference"][m], want["difference"][m], f"{what}/difference/{m}")
            same(got["ratio"][m], want["ratio"][m], f"{what}/ratio/{m}")


def nan_skipping(a, b, pick):
    xs = [x for x in (a, b) if not math.isnan(x)]
    return pick(xs) if xs else math.nan


@pytest.mark.parametrize("c", [c for c in CASES if c["parity"] or c["name"].startswith("strings")], ids=lambda c: c["name"])
def test_parity_functions_match_fairlearn(stats, c):
    kw = dict(sensitive_features=sensitive(c), sample_weight=None if c["weights"] is None else np.array(c["weights"]))
    yt, yp = np.array(c["y_true"]), np.array(c["y_pred"])
    fns = [("demographicParityDifference", flm.demographic_parity_difference), ("demographicParityRatio", flm.demographic_parity_ratio)]
    if c["parity"]:
        fns += [("equalOpportunityDifference", flm.equal_opportunity_difference), ("equalOpportunityRatio", flm.equal_opportunity_ratio)]
    for method in ("between_groups", "to_overall"):
        for ts_name, fn in fns:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = float(fn(yt, yp, method=method, **kw))
            got = stats.call("fairness", ts_name, ferry_input(c, method=method))
            same(got, want, f"{c['name']}/{ts_name}/{method}")
        if not c["parity"]:
            continue
        for agg in ("worst_case", "mean"):
            for ts_name, fn, pick in (
                ("equalizedOddsDifference", flm.equalized_odds_difference, max),
                ("equalizedOddsRatio", flm.equalized_odds_ratio, min),
            ):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    want = float(fn(yt, yp, method=method, agg=agg, **kw))
                got = stats.call("fairness", ts_name, ferry_input(c, method=method, agg=agg, fairlearnCompat=True))
                same(got, want, f"{c['name']}/{ts_name}/{method}/{agg}/compat")
                # Ferry's default: NaN skipped on either side, whatever the order.
                tpr = flm.MetricFrame(metrics=flm.true_positive_rate, y_true=yt, y_pred=yp, sensitive_features=kw["sensitive_features"],
                                      sample_params={"sample_weight": kw["sample_weight"]})
                fpr = flm.MetricFrame(metrics=flm.false_positive_rate, y_true=yt, y_pred=yp, sensitive_features=kw["sensitive_features"],
                                      sample_params={"sample_weight": kw["sample_weight"]})
                part = (lambda f: f.difference(method=method)) if ts_name.endswith("Difference") else (lambda f: f.ratio(method=method))
                a, b = float(part(tpr)), float(part(fpr))
                default = nan_skipping(a, b, pick) if agg == "worst_case" else nan_skipping(a, b, lambda xs: sum(xs) / len(xs))
                got_default = stats.call("fairness", ts_name, ferry_input(c, method=method, agg=agg))
                same(got_default, default, f"{c['name']}/{ts_name}/{method}/{agg}/default")


def test_equalized_odds_ratio_quirk_is_order_dependent(stats):
    """The documented quirk itself: a NaN TPR ratio wins Python's min(), a NaN FPR ratio is skipped."""
    by_name = {c["name"]: c for c in CASES}
    for name, fairlearn_nan in (("tpr-all-zero", True), ("fpr-all-zero", False)):
        c = by_name[name]
        want = flm.equalized_odds_ratio(np.array(c["y_true"]), np.array(c["y_pred"]), sensitive_features=sensitive(c))
        assert math.isnan(want) == fairlearn_nan
        compat = stats.call("fairness", "equalizedOddsRatio", ferry_input(c, fairlearnCompat=True))
        default = stats.call("fairness", "equalizedOddsRatio", ferry_input(c))
        assert math.isnan(compat) == fairlearn_nan
        assert not math.isnan(default)


@pytest.mark.parametrize(
    "y_true, y_pred, pos_label, field",
    [
        ([0, 2, 1, 0], [0, 1, 1, 0], None, "y_true"),  # pos_label None: labels must be in {0,1} or {-1,1}
        ([0, 1, 1, 0], [0, 1, 5, 0], None, "y_pred"),
        (["y", "n", "y"], ["n", "n", "y"], None, "y_true"),
        ([0, 1, 2, 0], [0, 1, 2, 1], 1, "y_pred"),  # more than two distinct labels
        (["a", "b", "a"], ["b", "b", "a"], "c", "pos_label"),  # pos_label not among two labels
    ],
)
def test_label_refusals_where_fairlearn_raises(stats, y_true, y_pred, pos_label, field):
    fn = flm.true_positive_rate if pos_label is None else functools.partial(flm.true_positive_rate, pos_label=pos_label)
    with pytest.raises(ValueError):
        flm.MetricFrame(metrics={"tpr": fn}, y_true=y_true, y_pred=y_pred, sensitive_features=["g"] * len(y_true))
    body = dict(metric="true_positive_rate", yTrue=y_true, yPred=y_pred, posLabel=pos_label,
                sensitiveFeatures=[dict(name="g", values=["g"] * len(y_true))])
    with pytest.raises(RuntimeError) as err:
        stats.call("fairness", "metricFrame", body)
    assert "InvalidParameterError" in str(err.value) and f"'{field}" in str(err.value), str(err.value)


def test_missing_sensitive_value_refused_like_fairlearn(stats):
    with pytest.raises(ValueError):
        flm.MetricFrame(metrics=flm.selection_rate, y_true=[0, 1, 1], y_pred=[1, 0, 1], sensitive_features=["a", None, "b"])
    body = dict(metric="selection_rate", yTrue=[0, 1, 1], yPred=[1, 0, 1], sensitiveFeatures=[dict(name="g", values=["a", None, "b"])])
    with pytest.raises(RuntimeError) as err:
        stats.call("fairness", "metricFrame", body)
    assert "InvalidParameterError" in str(err.value) and "sensitive_features.g[1]" in str(err.value)
