"""Robust measurement for the Python benchmarks (the counterpart of bench/lib/*.mjs for the JS ones).

- Pinning: the load generator and the servers on separate cores, so they stop competing for the same ones and every
  server in the comparison gets the same share of the machine. Clients pin themselves (os.sched_setaffinity); servers
  are started under `taskset -c`, which their children (workers, a Python sidecar, PostgreSQL) inherit.
- CPU from /proc: the CPU seconds of a whole process group, per process and per thread, sampled at the edges of a
  measured window, so each figure of throughput comes with its CPU per call.
- Rounds: every subject runs once per round, the order reversed every other round (drift lands on all alike); a figure
  is the median over rounds with its spread, and a target is claimed only when the median of >= MIN_ROUNDS rounds
  meets it.
"""
from __future__ import annotations

import math
import os
import shutil
import statistics
from dataclasses import dataclass

MIN_ROUNDS = 5
_HZ = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# ---------------------------------------------------------------------------------------------------------- pinning


def parse_cpus(spec: str) -> list[int]:
    """'0,2-3' -> [0, 2, 3]."""
    out: list[int] = []
    for part in filter(None, spec.split(",")):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


@dataclass
class CpuPlan:
    pinned: bool
    load: list[int]  # CPUs of the client processes
    server: list[int]  # CPUs of every server (and its database)
    why: str

    def server_spec(self) -> str:
        return ",".join(map(str, self.server))

    def server_cmd(self, cmd: list[str]) -> list[str]:
        """cmd under `taskset -c <server CPUs>` when pinned."""
        return ["taskset", "-c", self.server_spec(), *cmd] if self.pinned else cmd


def cpu_plan(mode: str = "auto") -> CpuPlan:
    """auto: clients on CPU 0, servers on the rest (2+ CPUs and taskset present); off: all share every CPU;
    'LOAD:SERVER': two CPU lists ('0:1', '0-3:4-7')."""
    cpus = sorted(os.sched_getaffinity(0))
    shared = lambda why: CpuPlan(False, cpus, cpus, why)  # noqa: E731
    if mode == "off":
        return shared("pinning off (--pin off): clients and servers share every CPU")
    if shutil.which("taskset") is None:
        return shared("no taskset on PATH: clients and servers share every CPU")
    if mode != "auto":
        load, _, server = mode.partition(":")
        if not load or not server:
            raise SystemExit(f"--pin: expected auto, off or LOAD:SERVER (CPU lists), got {mode!r}")
        return CpuPlan(True, parse_cpus(load), parse_cpus(server), f"clients on CPUs {load}, servers on {server}")
    if len(cpus) < 2:
        return shared("one CPU: clients and servers share it")
    load, server = cpus[:1], cpus[1:]
    spec = ",".join(map(str, server))
    return CpuPlan(True, load, server, f"clients on CPU {load[0]}, servers (and PostgreSQL) on CPU {spec}")


def pin_self(cpus: list[int]) -> None:
    os.sched_setaffinity(0, set(cpus))


# ------------------------------------------------------------------------------------------------------ /proc CPU


def _stat(path: str) -> tuple[str, int, int, float, float] | None:
    """(comm, ppid, pgrp, own CPU seconds, reaped children's CPU seconds) from a /proc stat file, None once gone."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    # comm sits in parentheses and may hold spaces; the fields after the last ')' start at the state (field 3).
    close = text.rfind(")")
    comm = text[text.find("(") + 1 : close]
    f = text[close + 2 :].split()
    return comm, int(f[1]), int(f[2]), (int(f[11]) + int(f[12])) / _HZ, (int(f[13]) + int(f[14])) / _HZ


def cpu_snapshot(pgid: int) -> dict:
    """CPU seconds of process group pgid (a server started with start_new_session leads its own) and all its
    descendants (PostgreSQL's backends call setsid, so they leave the group), with the CPU of children they reaped:
    {'total': s, 'threads': {'proc/thread': s}}. Threads of the same name are summed (uvicorn workers, Go's Ms)."""
    procs = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        st = _stat(f"/proc/{pid}/stat")
        if st is not None:
            procs[int(pid)] = st
    members = {pid for pid, st in procs.items() if st[2] == pgid}
    children: dict[int, list[int]] = {}
    for pid, st in procs.items():
        children.setdefault(st[1], []).append(pid)
    todo = list(members)
    while todo:
        for kid in children.get(todo.pop(), []):
            if kid not in members:
                members.add(kid)
                todo.append(kid)
    total, threads = 0.0, {}
    for pid in members:
        comm, _, _, own, reaped = procs[pid]
        total += own + reaped
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            t = _stat(f"/proc/{pid}/task/{tid}/stat")
            if t is not None:
                key = f"{comm}/{'main' if int(tid) == pid else t[0]}"
                threads[key] = threads.get(key, 0.0) + t[3]
    return {"total": total, "threads": threads}


def cpu_delta(before: dict, after: dict) -> dict:
    """CPU seconds spent between two snapshots, total and per thread name (those that burned any)."""
    threads = {k: v - before["threads"].get(k, 0.0) for k, v in after["threads"].items()}
    return {"total": max(0.0, after["total"] - before["total"]), "threads": {k: v for k, v in threads.items() if v > 0}}


# ---------------------------------------------------------------------------------------------------------- rounds


def alternate(rounds: int, subjects: list):
    """(round, subject) pairs: every subject once per round, the order reversed every other round."""
    for r in range(rounds):
        for s in subjects if r % 2 == 0 else list(reversed(subjects)):
            yield r, s


def summarize(values: list[float | None]) -> dict:
    """{n, median, min, max} of the finite values (NaN and n 0 when there are none)."""
    v = sorted(x for x in values if x is not None and math.isfinite(x))
    if not v:
        return {"n": 0, "median": math.nan, "min": math.nan, "max": math.nan}
    return {"n": len(v), "median": statistics.median(v), "min": v[0], "max": v[-1]}


def with_spread(values: list[float | None], fmt=lambda x: f"{x:.1f}") -> str:
    """'12.3 (11.9–12.8)': the median and the min–max over rounds."""
    s = summarize(values)
    if s["n"] == 0:
        return "-"
    if s["n"] == 1:
        return fmt(s["median"])
    return f"{fmt(s['median'])} ({fmt(s['min'])}–{fmt(s['max'])})"


def verdict(met: bool | None, rounds: int) -> str:
    """As bench/lib's judge: MET only when the median of >= MIN_ROUNDS rounds meets the target, MISSED when the median
    misses it, N/A when it was not measured or met on fewer rounds (not a claim)."""
    if met is None:
        return "N/A"
    if not met:
        return "MISSED"
    return "MET" if rounds >= MIN_ROUNDS else "N/A"


def ratios(num: list[dict], den: list[dict], key: str) -> list[float]:
    """Per-round ratios num[i][key] / den[i][key]: both measured back to back in the same round, so a slow patch of the
    machine moves both sides together; judge on their median."""
    return [a[key] / b[key] if b.get(key) else math.nan for a, b in zip(num, den)]


def pct(values: list[float], q: float) -> float:
    """Nearest-rank quantile; NaN for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]
