"""gbstats 0.8.0 on Ferry's per-arm aggregates: the reference side of test_stats_abtest.py.

An arm is Ferry's ArmMoments dict (n, sum, sumSquares, denominator*/covariate* sums). Each function builds
fresh gbstats statistics (CUPED's theta is set on them in place by the test's constructor) and returns
plain floats, or None where gbstats returns its default ("uninformative") result.
"""
import math

from scipy.stats import t as student_t

from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig, GaussianPrior
from gbstats.frequentist.tests import FrequentistConfig, SequentialConfig, SequentialTwoSidedTTest, TwoSidedTTest
from gbstats.models.statistics import (
    ProportionStatistic,
    RatioStatistic,
    RegressionAdjustedStatistic,
    SampleMeanStatistic,
)
from gbstats.utils import check_srm


def _base(kind, n, s, ss):
    if kind == "proportion":
        return ProportionStatistic(n=n, sum=s)
    return SampleMeanStatistic(n=n, sum=s, sum_squares=ss)


def _get(arm, key):
    return arm.get(key, 0.0)


def statistic(kind, arm, cuped):
    """gbstats' statistic for one arm: the numerator and denominator of a ratio are 'count' (mean) metrics;
    CUPED's covariate has the metric's own type (the same metric before exposure)."""
    n = arm["n"]
    if kind == "ratio":
        return RatioStatistic(
            n=n,
            m_statistic=SampleMeanStatistic(n=n, sum=arm["sum"], sum_squares=arm["sumSquares"]),
            d_statistic=SampleMeanStatistic(n=n, sum=_get(arm, "denominatorSum"), sum_squares=_get(arm, "denominatorSumSquares")),
            m_d_sum_of_products=_get(arm, "mainDenominatorSumProduct"),
        )
    post = _base(kind, n, arm["sum"], arm["sumSquares"])
    if not cuped:
        return post
    return RegressionAdjustedStatistic(
        n=n,
        post_statistic=post,
        pre_statistic=_base(kind, n, _get(arm, "covariateSum"), _get(arm, "covariateSumSquares")),
        post_pre_sum_of_products=_get(arm, "mainCovariateSumProduct"),
        theta=0,
    )


def frequentist(kind, control, treatment, cuped, difference_type, method, alpha=0.05, tuning=5000):
    """Estimate, stderr, CI and p-value of gbstats' (sequential) two-sided t test, read from its properties so
    that the absolute effect is available even where compute_result() returns its default (control mean 0).
    None where the test has zero variance (compute_result's ZERO_NEGATIVE_VARIANCE default), or for the
    relative effect when the control mean is 0 (ZERO_NEGATIVE_BASELINE_VARIATION)."""
    a = statistic(kind, control, cuped)
    b = statistic(kind, treatment, cuped)
    if method == "sequential":
        test = SequentialTwoSidedTTest(
            a, b, SequentialConfig(alpha=alpha, difference_type=difference_type, sequential_tuning_parameter=tuning)
        )
    else:
        test = TwoSidedTTest(a, b, FrequentistConfig(alpha=alpha, difference_type=difference_type))
    result = test.compute_result()
    if test._has_zero_variance():
        assert result.error_message is not None
        return None
    if difference_type == "relative" and (test.stat_a.mean == 0 or test.stat_a.unadjusted_mean == 0):
        return None
    lower, upper = test.confidence_interval
    out = {
        "estimate": float(test.point_estimate),
        "stderr": float(math.sqrt(test.variance)),
        "lower": float(lower),
        "upper": float(upper),
        "pValue": float(test.p_value),
        # gbstats' 2·(1 − t.cdf) keeps ~1e-16 absolute: the same p from the survival function keeps every digit.
        "pValueExact": float(2 * student_t.sf(abs(test.critical_value), test.dof)) if method == "fixed" else float(test.p_value),
        "controlMean": float(test.stat_a.unadjusted_mean),
        "treatmentMean": float(test.stat_b.unadjusted_mean),
    }
    if result.error_message is None:
        # compute_result() itself says the same as the properties.
        assert result.expected == out["estimate"] and result.p_value == out["pValue"]
    return out


def bayesian(kind, control, treatment, cuped, difference_type, inverse, alpha=0.05, prior_mean=0.0, prior_stddev=0.1, proper=False):
    """gbstats' EffectBayesianABTest with the prior stated on the relative lift (prior_type 'relative', as the
    gbstats runner configures it); {'error': message} where it returns its default result."""
    a = statistic(kind, control, cuped)
    b = statistic(kind, treatment, cuped)
    config = EffectBayesianConfig(
        alpha=alpha,
        difference_type=difference_type,
        inverse=inverse,
        prior_type="relative",
        prior_effect=GaussianPrior(mean=prior_mean, variance=prior_stddev**2, proper=proper),
    )
    test = EffectBayesianABTest(a, b, config)
    result = test.compute_result()
    if result.error_message is not None:
        return {"error": result.error_message}
    return {
        "estimate": float(result.uplift.mean),
        "stderr": float(result.uplift.stddev),
        "lower": float(result.ci[0]),
        "upper": float(result.ci[1]),
        "chanceToWin": float(result.chance_to_win),
        "riskControl": float(result.risk[0]),
        "riskTreatment": float(result.risk[1]),
    }


def srm_p(counts, weights):
    return float(check_srm(list(counts), list(weights)))
