"""Loops (docs/loops.md): per registered model and deployment, triggers → a training job → the offline gate →
shadow → canary → promote or roll back. Create one from a dict or a YAML/JSON spec file, trigger it, approve or
reject a waiting run, read a run's timeline of steps with their evidence, pause and resume."""
from __future__ import annotations

import copy
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Union

from ._http import Transport, path

if TYPE_CHECKING:  # the generated response types (scripts/gen_types.py); annotations only
    from ._types import (
        GetLoopResponseLoop,
        GetLoopVerdictResponse,
        TriggerLoopResponse,
        TriggerLoopResponseLoopRun,
    )
from ._report import Report
from .errors import TimeoutExpiredError

TERMINAL_RUN_STATES = ("promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_IDENTITY = ("name", "model", "deployment")

Spec = Union[Mapping[str, Any], str, "os.PathLike[str]"]


class LoopRunTimeline(Report):
    """A loop run (``GET /api/v1/loops/{name}/runs/{seq}``): one row per step — kind, status, actor, time, the
    sentence saying why, and its links; ``evidence(step_seq)`` is the numbers a step's decision stood on."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for s in self.data.get("steps") or []:
            step = s["kind"] if s.get("index") is None else f"{s['kind']} {s['index']}/{s['of']}"
            out.append(
                {
                    "seq": s["seq"],
                    "step": step,
                    "status": s["status"],
                    "actor": s["actor"],
                    "at": s["at"],
                    "reason": s["reason"],
                    **{f"links.{k}": v for k, v in (s.get("links") or {}).items() if not isinstance(v, list)},
                }
            )
        return out

    def summary(self) -> str:
        d = self.data
        line = f"{d.get('loop')} #{d.get('seq')}: {d.get('state')} at {d.get('phase')}"
        if d.get("candidate_version"):
            line += f", candidate v{d['candidate_version']} against champion v{d.get('champion_version')}"
        return line + (f" — {d['reason']}" if d.get("reason") else "")

    def evidence(self, step_seq: int) -> Dict[str, Any]:
        for s in self.data.get("steps") or []:
            if s["seq"] == step_seq:
                return s["evidence"]
        raise KeyError(step_seq)


class Loops:
    def __init__(self, t: Transport) -> None:
        self._t = t

    # ---- the loop ----

    def create(self, spec: Spec) -> GetLoopResponseLoop:
        """Create a loop from its spec: a dict (the body of ``POST /api/v1/loops``) or a YAML/JSON file. As with
        ``ferry loops create -f``, ``training.project`` may be a local project folder (relative to the file),
        uploaded and sent as its digest, and dataset versions written as numbers are sent as text."""
        body = self._prepare(spec)
        return self._t.request("POST", path("/api/v1/loops"), json=body)["loop"]

    def update(self, name: str, spec: Spec) -> GetLoopResponseLoop:
        """Replace a loop's triggers, training, gate, rollout and approvals (a run under way keeps its spec). The
        spec may be the same one it was created from: name, model and deployment are left out (and refused when
        they differ from the loop's)."""
        body = self._prepare(spec)
        loop = self.get(name)
        for k in _IDENTITY:
            if k in body and body[k] != loop[k]:
                raise ValueError(f"{k} is {body[k]!r} but loop {name} has {loop[k]!r} (a loop's {k} cannot change: create a new loop)")
            body.pop(k, None)
        return self._t.request("PUT", path("/api/v1/loops/{name}", name=name), json=body)["loop"]

    def get(self, name: str) -> GetLoopResponseLoop:
        return self._t.request("GET", path("/api/v1/loops/{name}", name=name))["loop"]

    def list(self, *, deployment: Optional[str] = None, model: Optional[str] = None) -> List[GetLoopResponseLoop]:
        """Loops by name, each with its last run."""
        return self._t.request("GET", path("/api/v1/loops"), params={"deployment": deployment, "model": model})["loops"]

    def pause(self, name: str, reason: Optional[str] = None) -> GetLoopResponseLoop:
        """Triggers are recorded but start no run while paused (a run under way goes on)."""
        body = {"reason": reason} if reason is not None else {}
        return self._t.request("POST", path("/api/v1/loops/{name}/pause", name=name), json=body)["loop"]

    def resume(self, name: str) -> GetLoopResponseLoop:
        return self._t.request("POST", path("/api/v1/loops/{name}/resume", name=name), json={})["loop"]

    def trigger(
        self, name: str, *, reason: Optional[str] = None, candidate_version: Optional[Union[str, int]] = None, dry_run: Optional[bool] = None
    ) -> TriggerLoopResponse:
        """Start a run by hand; answers ``{loop_run, coalesced}`` (coalesced: a run was going and the trigger is
        recorded on it). ``candidate_version`` judges a registered version instead of training one."""
        body: Dict[str, Any] = {}
        if reason is not None:
            body["reason"] = reason
        if candidate_version is not None:
            body["candidate_version"] = str(candidate_version)
        if dry_run is not None:
            body["dry_run"] = dry_run
        return self._t.request("POST", path("/api/v1/loops/{name}/trigger", name=name), json=body)

    def verdict(self, name: str) -> GetLoopVerdictResponse:
        """The current rollout's verdict in Argo Rollouts' web-metric shape (``ok``, ``inconclusive``, lift …)."""
        return self._t.request("GET", path("/api/v1/loops/{name}/verdict", name=name))

    # ---- its runs ----

    def runs(self, name: str, *, max_results: Optional[int] = None) -> List[TriggerLoopResponseLoopRun]:
        """The loop's runs, newest first."""
        return self._t.request("GET", path("/api/v1/loops/{name}/runs", name=name), params={"max_results": max_results})["loop_runs"]

    def run(self, name: str, seq: int) -> LoopRunTimeline:
        """One run: its steps with evidence and reasons, and the triggers recorded on it."""
        data = self._t.request("GET", path("/api/v1/loops/{name}/runs/{seq}", name=name, seq=seq))["loop_run"]
        return LoopRunTimeline(data, f"loop {name} run {seq}")

    def approve(self, name: str, seq: int, reason: Optional[str] = None) -> LoopRunTimeline:
        """Approve a run that awaits approval."""
        return self._decide(name, seq, "approve", reason)

    def reject(self, name: str, seq: int, reason: Optional[str] = None) -> LoopRunTimeline:
        """Reject a run that awaits approval (the deployment is restored)."""
        return self._decide(name, seq, "reject", reason)

    def promote(self, name: str, seq: int, reason: str) -> LoopRunTimeline:
        """Force the candidate's promotion whatever the gate or judge said (admins; the reason is recorded)."""
        data = self._t.request("POST", path("/api/v1/loops/{name}/runs/{seq}/promote", name=name, seq=seq), json={"reason": reason})
        return LoopRunTimeline(data["loop_run"], f"loop {name} run {seq}")

    def cancel(self, name: str, seq: int, reason: Optional[str] = None) -> LoopRunTimeline:
        """Cancel a run: its job is cancelled and the deployment restored to the revision before the run."""
        body = {"reason": reason} if reason is not None else {}
        data = self._t.request("POST", path("/api/v1/loops/{name}/runs/{seq}/cancel", name=name, seq=seq), json=body)
        return LoopRunTimeline(data["loop_run"], f"loop {name} run {seq}")

    def wait(
        self, name: str, seq: int, timeout: Optional[float] = None, *, until_approval: bool = True, poll_interval: float = 1.0, progress: bool = True
    ) -> LoopRunTimeline:
        """Read the run until it ends (or, with ``until_approval``, until it awaits a person); each new step goes
        to stderr. Raises TimeoutExpiredError after ``timeout`` seconds (the run goes on)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        shown = 0
        while True:
            run = self.run(name, seq)
            steps = run.data.get("steps") or []
            if progress:
                for s in steps[shown:]:
                    print(f"loop {name} #{seq}: {s['kind']} {s['status']} — {s['reason']}", file=sys.stderr, flush=True)
                shown = len(steps)
            state = run["state"]
            if state in TERMINAL_RUN_STATES or (until_approval and state == "awaiting_approval"):
                return run
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutExpiredError(f"loop {name} run {seq} is still {state} at {run['phase']} after {timeout:g} s", body=run.data)
            time.sleep(poll_interval)

    def _decide(self, name: str, seq: int, decision: str, reason: Optional[str]) -> LoopRunTimeline:
        body: Dict[str, Any] = {"decision": decision, **({"reason": reason} if reason is not None else {})}
        data = self._t.request("POST", path("/api/v1/loops/{name}/runs/{seq}/approve", name=name, seq=seq), json=body)
        return LoopRunTimeline(data["loop_run"], f"loop {name} run {seq}")

    # ---- the spec ----

    def _prepare(self, spec: Spec) -> Dict[str, Any]:
        if isinstance(spec, Mapping):
            body, base = copy.deepcopy(dict(spec)), Path.cwd()
        else:
            body, base = _read_spec(Path(spec)), Path(spec).resolve().parent
        for holder in ((body.get("gate") or {}).get("holdout"), (body.get("training") or {}).get("data")):
            v = holder.get("version") if isinstance(holder, dict) else None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                # as the CLI's String(v) writes it: 3.0 is "3" (Python's str would send "3.0", read as a tag)
                holder["version"] = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        training = body.get("training")
        project = training.get("project") if isinstance(training, dict) else None
        if isinstance(project, str) and not _DIGEST.match(project):
            from .jobs import Jobs

            folder = Path(project) if Path(project).is_absolute() else base / project
            training["project"] = Jobs(self._t).upload_project(folder)["digest"]
        return body


def _read_spec(file: Path) -> Dict[str, Any]:
    text = file.read_text(encoding="utf-8")
    if file.suffix.lower() == ".json":
        value = json.loads(text)
    else:
        import yaml  # PyYAML (mlflow's dependency too); only needed for YAML specs

        value = yaml.safe_load(text)
    if not isinstance(value, dict):
        raise ValueError(f"{file}: must be a mapping (the body of POST /api/v1/loops)")
    return value


__all__ = ["Loops", "LoopRunTimeline", "TERMINAL_RUN_STATES"]
