"""Independent numpy reference for Ferry's offline-gate statistics (src/stats/gate), written from the definitions
in docs/gate-statistics.md, not from the TypeScript:

- the SplitMix64 stream in numpy uint64 arithmetic (vectorised: output k is mix(seed + k·γ)), two 32-bit words
  per output (high first), and Lemire's rejection for indices in [0, n);
- the paired bootstrap: replicate b = the next n indices; the statistic is scikit-learn's metric on the
  resampled rows, candidate minus champion (ROC AUC skipped when the resample holds one class);
  numpy.quantile (default 'linear') for the interval and the one-sided bound;
- DeLong (1988) from its definitions, brute force O(m·n): ψ(x, y) = 1 if x > y, ½ if x = y, 0 otherwise;
  V10_i = mean_j ψ(X_i, Y_j), V01_j = mean_i ψ(X_i, Y_j); S10, S01 = sample covariances (ddof 1);
  S = S10/m + S01/n; Var(diff) = S_cc + S_bb − 2·S_cb.
"""
import numpy as np
from scipy.stats import norm
from sklearn.metrics import accuracy_score, log_loss, mean_absolute_error, roc_auc_score, root_mean_squared_error

GAMMA = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
LOW32 = np.uint64(0xFFFFFFFF)
HIGHER_IS_BETTER = {"accuracy": True, "roc_auc": True, "log_loss": False, "mae": False, "rmse": False}


def splitmix64(seed: int, start: int, count: int) -> np.ndarray:
    """Outputs start+1 … start+count of SplitMix64 seeded with `seed` (uint64 arithmetic wraps mod 2^64)."""
    k = np.arange(start + 1, start + count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + k * GAMMA
        z = (z ^ (z >> np.uint64(30))) * M1
        z = (z ^ (z >> np.uint64(27))) * M2
    return z ^ (z >> np.uint64(31))


def words(seed: int, start: int, count: int) -> np.ndarray:
    """The 32-bit words of outputs start+1 … start+count: high half, then low half, of each."""
    z = splitmix64(seed, start, count)
    w = np.empty(2 * count, dtype=np.uint64)
    w[0::2] = z >> np.uint64(32)
    w[1::2] = z & LOW32
    return w


def indices(seed: int, n: int, total: int) -> np.ndarray:
    """The first `total` indices in [0, n) of the stream: word w gives ⌊w·n/2^32⌋ unless (w·n mod 2^32) < 2^32 mod n."""
    t = np.uint64((1 << 32) % n)
    out, got, start = [], 0, 0
    while got < total:
        chunk = max(1024, (total - got) // 2 + 64)  # outputs; each gives 2 words, few are rejected
        m = words(seed, start, chunk) * np.uint64(n)  # < 2^64: exact
        start += chunk
        idx = (m >> np.uint64(32))[(m & LOW32) >= t]
        take = idx[: total - got]
        out.append(take)
        got += len(take)
    return np.concatenate(out).astype(np.int64)


def metric_value(metric, y, pred, labels):
    if metric == "accuracy":
        return accuracy_score(y, pred)
    if metric == "log_loss":
        return log_loss(y, pred, labels=labels)
    if metric == "mae":
        return mean_absolute_error(y, pred)
    if metric == "rmse":
        return root_mean_squared_error(y, pred)
    if metric == "roc_auc":
        return roc_auc_score(y, pred) if len(np.unique(y)) == 2 else None
    raise ValueError(metric)


def paired_bootstrap(metric, y, candidate, champion, seed, replicates, alpha=0.05, margin=0.0):
    y, c, b = np.asarray(y), np.asarray(candidate), np.asarray(champion)
    n = len(y)
    labels = np.unique(y) if metric in ("log_loss",) else None
    point_c = metric_value(metric, y, c, labels)
    point_b = metric_value(metric, y, b, labels)
    result = {"candidate": point_c, "champion": point_b, "difference": None if point_c is None else point_c - point_b}
    if point_c is None:
        return {**result, "values": [], "used": 0, "skipped": 0, "interval": None, "bound": None, "outcome": "insufficient_data"}
    idx = indices(seed, n, n * replicates).reshape(replicates, n)
    values = []
    for row in idx:
        vc = metric_value(metric, y[row], c[row], labels)
        values.append(None if vc is None else vc - metric_value(metric, y[row], b[row], labels))
    kept = np.array([v for v in values if v is not None])
    result.update(values=values, used=len(kept), skipped=replicates - len(kept))
    if len(kept) == 0:
        return {**result, "interval": None, "bound": None, "outcome": "insufficient_data"}
    lower, upper = np.quantile(kept, [alpha / 2, 1 - alpha / 2])
    higher = HIGHER_IS_BETTER[metric]
    bound = float(np.quantile(kept, alpha if higher else 1 - alpha))
    passed = bound > -margin if higher else bound < margin
    return {**result, "interval": (float(lower), float(upper)), "bound": bound, "outcome": "pass" if passed else "fail"}


def structural_components(x, y):
    """V10 (one per positive) and V01 (one per negative) by brute force, in chunks of positives."""
    v10 = np.empty(len(x))
    col = np.zeros(len(y))
    for a in range(0, len(x), 512):
        xs = x[a : a + 512, None]
        psi = (xs > y[None, :]).astype(float) + 0.5 * (xs == y[None, :])
        v10[a : a + 512] = psi.mean(axis=1)
        col += psi.sum(axis=0)
    return v10, col / len(x)


def delong(y, candidate, champion, positive=1, alpha=0.05, margin=0.0):
    y, c, b = np.asarray(y), np.asarray(candidate, dtype=float), np.asarray(champion, dtype=float)
    pos = y == positive
    m, k = int(pos.sum()), int((~pos).sum())
    if m == 0 or k == 0:
        return {"outcome": "insufficient_data", "candidate": None, "champion": None, "covariance": None}
    yb = pos.astype(int)
    auc_c, auc_b = roc_auc_score(yb, c), roc_auc_score(yb, b)
    out = {"candidate": auc_c, "champion": auc_b, "difference": auc_c - auc_b, "positives": m, "negatives": k}
    if m < 2 or k < 2:
        return {**out, "outcome": "insufficient_data", "covariance": None}
    v10c, v01c = structural_components(c[pos], c[~pos])
    v10b, v01b = structural_components(b[pos], b[~pos])
    s = np.cov(np.vstack([v10c, v10b]), ddof=1) / m + np.cov(np.vstack([v01c, v01b]), ddof=1) / k
    var = s[0, 0] + s[1, 1] - 2 * s[0, 1]
    diff = auc_c - auc_b
    out.update(covariance=s, variance=var, auc_from_components=(v10c.mean(), v10b.mean(), v01c.mean(), v01b.mean()))
    if var <= 0:
        return {**out, "z": None, "p": None, "interval": (diff, diff), "bound": diff, "outcome": "pass" if diff > -margin else "fail"}
    se = np.sqrt(var)
    z = diff / se
    bound = diff - norm.ppf(1 - alpha) * se
    half = norm.ppf(1 - alpha / 2) * se
    return {
        **out,
        "z": z,
        "p": 2 * norm.sf(abs(z)),
        "interval": (diff - half, diff + half),
        "bound": bound,
        "outcome": "pass" if bound > -margin else "fail",
    }
