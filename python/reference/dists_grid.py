"""Reference values for Ferry's distributions (src/stats/dists) from scipy, on a fixed grid.

Writes test/fixtures/stats/dists-scipy.json, which `src/stats/dists/dists.test.ts` compares against
(relative error ≤ 1e-12), so the TypeScript tests run without Python. `python/tests/test_dists_grid.py`
rebuilds the grid with the pinned scipy and checks it still equals the committed file.

    .venv/bin/python python/reference/dists_grid.py          # rewrite the fixture
    .venv/bin/python python/reference/dists_grid.py --check  # exit 1 if the fixture is stale

Every input is a short decimal (formatted to 15 significant digits), so the grid is the same on every
machine, whatever its libm does with powers.
"""
import json
import math
import sys
from pathlib import Path

import scipy
from scipy import special, stats

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "test" / "fixtures" / "stats" / "dists-scipy.json"

CHI2_DOFS = [1, 2, 3, 5, 10, 30, 100, 1000, 10000]
GAMMA_SHAPES = [0.05, 0.1, 0.25, 0.75, 1.3, 3.7, 12.25, 47.1, 180.5, 250.9, 2718.28]


def dec(v: float) -> float:
    return float(f"{v:.15g}")


def uniq(values) -> list:
    return sorted({dec(v) for v in values})


def normal_grid() -> dict:
    # Every 0.05 from −38 to 38 (Φ(−38) ≈ 3e-316 is subnormal), denser in the deep tails where the
    # exponent e^(−z²/2) is hardest to keep, and a few points near 0.
    z = [k / 20 for k in range(-760, 761)]
    z += [s * (35 + k / 100) for s in (-1, 1) for k in range(300)]
    z += [s * v for s in (-1, 1) for v in (1e-300, 1e-20, 1e-8, 1e-3, math.pi, math.e * 10, 37.5193, 38.4)]
    z = uniq(z)
    return {"z": z, "cdf": [float(stats.norm.cdf(v)) for v in z], "sf": [float(stats.norm.sf(v)) for v in z]}


def chi2_points(dof: int) -> list:
    sd = math.sqrt(2 * dof)
    x = [dof * 10 ** (k / 8) for k in range(-48, 9)]  # 1e-6·dof … 10·dof, 8 a decade
    x += [dof + j * sd / 2 for j in range(-20, 61) if dof + j * sd / 2 > 0]  # −10 … +30 standard deviations
    x += [dof * r / 20 for r in range(6, 41)]  # 0.3·dof … 2·dof: the band where tails are tiny but not 0
    x += [1e-300, 1e-100, 1e-30, 1e-10, 50, 100, 200, 400, 700, 1000, 1300, 1400, 1500, 1e10, 1e300]
    return uniq(x)


def chi2_grid() -> list:
    out = []
    for dof in CHI2_DOFS:
        x = chi2_points(dof)
        out.append({
            "dof": dof,
            "x": x,
            "cdf": [float(stats.chi2.cdf(v, dof)) for v in x],
            "sf": [float(stats.chi2.sf(v, dof)) for v in x],
        })
    return out


def gamma_grid() -> list:
    out = []
    for a in GAMMA_SHAPES:
        sd = math.sqrt(a)
        x = [a * 10 ** (k / 6) for k in range(-36, 7)]
        x += [a + j * sd / 2 for j in range(-16, 41) if a + j * sd / 2 > 0]
        x += [0.5, 1, 1.5, 2, 5, 20, 100, 700]
        x = uniq(x)
        out.append({
            "a": a,
            "x": x,
            "p": [float(special.gammainc(a, v)) for v in x],
            "q": [float(special.gammaincc(a, v)) for v in x],
        })
    return out


def gammaln_grid() -> dict:
    x = [10 ** (k / 8) for k in range(-2400, 2401, 16)]  # 1e-300 … 1e300
    x += [k / 50 for k in range(1, 551)]  # 0.02 … 11: the recurrence region and the zeros at 1 and 2
    x = uniq(x)
    return {"x": x, "value": [float(special.gammaln(v)) for v in x]}


def build() -> dict:
    return {
        "generator": "python/reference/dists_grid.py",
        "scipy": scipy.__version__,
        "normal": normal_grid(),
        "chi2": chi2_grid(),
        "gamma": gamma_grid(),
        "gammaln": gammaln_grid(),
    }


def dumps(doc: dict) -> str:
    # One array per line: compact, and a diff still shows which part changed.
    def render(value, indent: str) -> str:
        if isinstance(value, dict):
            inner = indent + "  "
            items = [f"{inner}{json.dumps(k)}: {render(v, inner)}" for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + indent + "}"
        if isinstance(value, list) and value and isinstance(value[0], dict):
            inner = indent + "  "
            return "[\n" + ",\n".join(inner + render(v, inner) for v in value) + "\n" + indent + "]"
        return json.dumps(value, allow_nan=False, separators=(",", ":"))

    return render(doc, "") + "\n"


def main(argv: list) -> int:
    text = dumps(build())
    if "--check" in argv:
        if FIXTURE.read_text() != text:
            print(f"{FIXTURE.relative_to(REPO)} is stale: run python/reference/dists_grid.py", file=sys.stderr)
            return 1
        return 0
    FIXTURE.write_text(text)
    print(f"wrote {FIXTURE.relative_to(REPO)} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
