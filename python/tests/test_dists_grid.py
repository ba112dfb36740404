"""The committed scipy reference grid for Ferry's distributions (test/fixtures/stats/dists-scipy.json) is
still what scipy gives: rebuilt here with python/reference/dists_grid.py and compared with the file.

Inputs must be identical; outputs may differ by a few ulps, which is what another machine's libm (exp,
log, pow) can move, not what a changed grid or a changed scipy would. Rewrite the file with
`.venv/bin/python python/reference/dists_grid.py`.
"""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "dists_grid.py"
MAX_ULP = 4


def _load_generator():
    spec = importlib.util.spec_from_file_location("dists_grid", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()


@pytest.fixture(scope="module")
def grids():
    return json.loads(GEN.FIXTURE.read_text()), GEN.build()


def _same_values(committed, rebuilt, what):
    assert len(committed) == len(rebuilt), f"{what}: {len(committed)} values committed, {len(rebuilt)} rebuilt"
    np.testing.assert_array_max_ulp(np.array(committed), np.array(rebuilt), maxulp=MAX_ULP)


def test_fixture_was_written_by_this_scipy(grids):
    committed, rebuilt = grids
    assert committed["scipy"] == rebuilt["scipy"], "scipy changed: rerun python/reference/dists_grid.py"
    assert committed["generator"] == rebuilt["generator"]


def test_normal_grid_is_current(grids):
    committed, rebuilt = (g["normal"] for g in grids)
    assert committed["z"] == rebuilt["z"]
    for key in ("cdf", "sf"):
        _same_values(committed[key], rebuilt[key], f"normal {key}")


def test_chi2_grid_is_current(grids):
    committed, rebuilt = (g["chi2"] for g in grids)
    assert [c["dof"] for c in committed] == [r["dof"] for r in rebuilt]
    for c, r in zip(committed, rebuilt):
        assert c["x"] == r["x"], f"chi2 dof={c['dof']}: statistics differ"
        for key in ("cdf", "sf"):
            _same_values(c[key], r[key], f"chi2 dof={c['dof']} {key}")


def test_gamma_grid_is_current(grids):
    committed, rebuilt = (g["gamma"] for g in grids)
    assert [c["a"] for c in committed] == [r["a"] for r in rebuilt]
    for c, r in zip(committed, rebuilt):
        assert c["x"] == r["x"], f"gamma a={c['a']}: points differ"
        for key in ("p", "q"):
            _same_values(c[key], r[key], f"gamma a={c['a']} {key}")


def test_gammaln_grid_is_current(grids):
    committed, rebuilt = (g["gammaln"] for g in grids)
    assert committed["x"] == rebuilt["x"]
    _same_values(committed["value"], rebuilt["value"], "gammaln")


def test_grid_covers_what_the_typescript_test_promises(grids):
    committed, _ = grids
    z = committed["normal"]["z"]
    assert min(z) <= -38 and max(z) >= 38
    assert [c["dof"] for c in committed["chi2"]] == [1, 2, 3, 5, 10, 30, 100, 1000, 10000]
    for c in committed["chi2"]:
        assert min(c["x"]) <= 1e-6 * c["dof"] and max(c["x"]) >= 10 * c["dof"]
        # Both tails reach far below 1e-100 but above the 1e-300 where the relative comparison stops.
        assert any(1e-300 <= v < 1e-100 for v in c["sf"]), f"dof={c['dof']}: no deep upper-tail point"
