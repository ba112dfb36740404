"""pytest side of stats_harness.mjs: call Ferry's compiled statistics from Python, one Node process per session."""
import json
import math
import subprocess
from pathlib import Path

import pytest

HARNESS = Path(__file__).with_name("stats_harness.mjs")
REPO = Path(__file__).resolve().parents[2]


def _encode(value):
    # JSON has no NaN/Infinity; the harness turns these strings back into numbers.
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _encode(value.tolist())
    return value


def _decode(value):
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        return float(value.lower().replace("infinity", "inf"))
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value


class StatsNode:
    def __init__(self):
        if not (REPO / "dist" / "stats").exists():
            pytest.fail("dist/stats missing: run `npm run build` first")
        self.proc = subprocess.Popen(
            ["node", str(HARNESS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def call(self, module: str, fn: str, *args):
        self.proc.stdin.write(json.dumps({"module": module, "fn": fn, "args": _encode(list(args))}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return _decode(answer["result"])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def stats():
    node = StatsNode()
    yield node
    node.close()
