"""Jobs: MLflow Projects run on an executor (local, Ray, Kubernetes) — submit a folder, a stored project or a git
commit, wait for the end, read or follow the log, cancel; and the executors jobs run on (docs/jobs.md)."""
from __future__ import annotations

import os
import re
import sys
import time
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, TextIO, Union

from ._http import Transport, path

if TYPE_CHECKING:  # the generated response types (scripts/gen_types.py); annotations only
    from ._types import (
        GetExecutorResponseExecutor,
        GetJobProjectResponseProject,
        GetJobResponseJob,
    )
from ._project import ProjectFolderError, zip_project
from .errors import TimeoutExpiredError

TERMINAL_STATES = ("succeeded", "failed", "cancelled")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_GIT_URL = re.compile(r"^(https?|ssh|git|file)://", re.I)
_SCP_URL = re.compile(r"^[\w.-]+@[\w.-]+:")
#: How long one log read may wait on the server for new lines while following (the API allows 60).
FOLLOW_WAIT_S = 20

Source = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def is_git_url(source: str) -> bool:
    """A URL git speaks, or scp-like ``user@host:path`` when no such local folder exists (as the CLI decides)."""
    return bool(_GIT_URL.match(source)) or (bool(_SCP_URL.match(source)) and not os.path.exists(source))


class Jobs:
    def __init__(self, t: Transport) -> None:
        self._t = t

    # ---- projects ----

    def upload_project(self, folder: Union[str, "os.PathLike[str]"], *, quiet: bool = True) -> GetJobProjectResponseProject:
        """Zip a local project folder (without .git, virtual environments, __pycache__, mlruns, *.pyc) and store
        it; answers the stored project (its ``digest`` names its files: the same files give the same digest)."""
        z = zip_project(folder)
        if not quiet and z.skipped:
            print(f"left out: {', '.join(z.skipped[:8])}{', …' if len(z.skipped) > 8 else ''}", file=sys.stderr)
        if not quiet and z.ignored:
            print(f"not regular files, left out: {', '.join(z.ignored)}", file=sys.stderr)
        answer = self._t.request(
            "POST", path("/api/v1/jobs/projects"), data=z.data, headers={"Content-Type": "application/zip"}
        )
        return answer["project"]

    def get_project(self, digest: str) -> GetJobProjectResponseProject:
        """A stored project: its name, entry points and their parameters."""
        return self._t.request("GET", path("/api/v1/jobs/projects/{digest}", digest=digest))["project"]

    # ---- jobs ----

    def submit(
        self,
        project: Source,
        entry_point: str = "main",
        parameters: Optional[Mapping[str, Union[str, float, int, bool]]] = None,
        *,
        executor: Optional[str] = None,
        experiment_name: Optional[str] = None,
        experiment_id: Optional[str] = None,
        run_name: Optional[str] = None,
        resources: Optional[Mapping[str, Any]] = None,
        env_manager: Optional[str] = None,
        max_attempts: Optional[int] = None,
        retry_backoff: Optional[str] = None,
        priority: Optional[int] = None,
        commit: Optional[str] = None,
        subdirectory: Optional[str] = None,
        wait: bool = False,
        timeout: Optional[float] = None,
        progress: bool = True,
    ) -> GetJobResponseJob:
        """Submit a job and answer it (the ended job with ``wait=True``).

        ``project`` is a local folder with an MLproject file (zipped and uploaded), a stored project's digest
        (``sha256:…``), a git URL with ``commit`` (and ``subdirectory``), or a git source as a dict
        ``{"url", "commit", "subdirectory"}``.
        """
        if experiment_name and experiment_id:
            raise ValueError("give experiment_name or experiment_id, not both")
        body: Dict[str, Any] = {"entry_point": entry_point}
        if isinstance(project, Mapping):
            body["git"] = dict(project)
        elif isinstance(project, str) and _DIGEST.match(project):
            body["project"] = project
        elif isinstance(project, str) and is_git_url(project):
            if not commit:
                raise ValueError("a git source needs commit=SHA: Ferry runs an exact commit, so the run traces back to its code")
            body["git"] = {"url": project, "commit": commit.lower(), **({"subdirectory": subdirectory} if subdirectory else {})}
        else:
            if commit or subdirectory:
                raise ValueError(f"commit and subdirectory are for a git URL; {project} is a folder, sent as it is on disk")
            body["project"] = self.upload_project(project, quiet=not progress)["digest"]
        optional = {
            "parameters": dict(parameters) if parameters else None,
            "executor": executor,
            "experiment_name": experiment_name,
            "experiment_id": experiment_id,
            "run_name": run_name,
            "resources": dict(resources) if resources else None,
            "env_manager": env_manager,
            "max_attempts": max_attempts,
            "retry_backoff": retry_backoff,
            "priority": priority,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        job = self._t.request("POST", path("/api/v1/jobs"), json=body)["job"]
        if wait:
            return self.wait(job["job_id"], timeout=timeout, progress=progress)
        return job

    def get(self, job_id: str) -> GetJobResponseJob:
        return self._t.request("GET", path("/api/v1/jobs/{job_id}", job_id=job_id))["job"]

    def list(
        self,
        *,
        state: Optional[str] = None,
        executor: Optional[str] = None,
        experiment_id: Optional[str] = None,
        submitted_by: Optional[str] = None,
        run_id: Optional[str] = None,
        page_size: Optional[int] = None,
    ) -> Iterator[GetJobResponseJob]:
        """Every job matching the filters, newest first (pages are fetched as you iterate)."""
        params = {"state": state, "executor": executor, "experiment_id": experiment_id, "submitted_by": submitted_by, "run_id": run_id}
        return self._t.iterate(path("/api/v1/jobs"), "jobs", params=params, page_size=page_size)

    def cancel(self, job_id: str, *, wait: bool = False, timeout: Optional[float] = None) -> GetJobResponseJob:
        """Cancel a job: a queued one ends at once, a running one is stopped by its executor (``wait=True``
        returns once it has ended)."""
        job = self._t.request("POST", path("/api/v1/jobs/{job_id}/cancel", job_id=job_id), json={})["job"]
        if wait and job["state"] not in TERMINAL_STATES:
            return self.wait(job_id, timeout=timeout, progress=False)
        return job

    def wait(
        self,
        job_id: str,
        timeout: Optional[float] = None,
        *,
        poll_interval: float = 1.0,
        progress: bool = True,
        stream: Optional[TextIO] = None,
    ) -> GetJobResponseJob:
        """Poll the job until it ends and answer it; each change of state goes to stderr (``progress=False``
        says nothing). Raises TimeoutExpiredError after ``timeout`` seconds (the job keeps running)."""
        out = stream or sys.stderr
        deadline = None if timeout is None else time.monotonic() + timeout
        last = None
        while True:
            job = self.get(job_id)
            if progress and job["state"] != last:
                print(f"job {job_id}: {job['state']}{_why(job)}", file=out, flush=True)
            last = job["state"]
            if job["state"] in TERMINAL_STATES:
                return job
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutExpiredError(
                    f"job {job_id} is still {job['state']} after {timeout:g} s (it keeps running; cancel it with jobs.cancel)",
                    body=job,
                )
            time.sleep(poll_interval if deadline is None else max(0.0, min(poll_interval, deadline - time.monotonic())))

    def logs(self, job_id: str, *, follow: bool = False, offset: int = 0) -> Iterator[str]:
        """The job's log, line by line (without the newline). ``follow=True`` keeps reading as the job writes,
        until it has ended and the whole log has been read; otherwise the log as it is now."""
        pending = ""
        for text in self._pieces(job_id, follow, offset):
            pending += text
            *lines, pending = pending.split("\n")
            yield from lines
        if pending:
            yield pending

    def log_text(self, job_id: str) -> str:
        """The whole log as it is now, as one string."""
        return "".join(self._pieces(job_id, False, 0))

    def _pieces(self, job_id: str, follow: bool, offset: int) -> Iterator[str]:
        # The log route answers a byte range; with wait it holds the answer until there is more or the job ends.
        route = path("/api/v1/jobs/{job_id}/logs", job_id=job_id)
        while True:
            params: Dict[str, Any] = {"offset": offset}
            if follow:
                params["wait"] = FOLLOW_WAIT_S
            page = self._t.request("GET", route, params=params, timeout=FOLLOW_WAIT_S + self._t.settings.timeout)
            if page["data"]:
                yield page["data"]
            if page["done"] or (not follow and page["next_offset"] == offset):
                return
            offset = page["next_offset"]

    # ---- executors ----

    def executors(self) -> List[GetExecutorResponseExecutor]:
        """The executors jobs can run on (credentials are never shown)."""
        return self._t.request("GET", path("/api/v1/executors"))["executors"]

    def get_executor(self, name: str) -> GetExecutorResponseExecutor:
        return self._t.request("GET", path("/api/v1/executors/{name}", name=name))["executor"]

    def set_executor(self, name: str, kind: str, **settings: Any) -> GetExecutorResponseExecutor:
        """Create or replace an executor (admins): ``kind`` is local, ray or kubernetes; the other settings as in
        docs/jobs.md (``address``, ``server``, ``namespace``, ``image``, ``token_env``, ``max_concurrent`` …)."""
        body = {"kind": kind, **{k: v for k, v in settings.items() if v is not None}}
        return self._t.request("PUT", path("/api/v1/executors/{name}", name=name), json=body)["executor"]

    def delete_executor(self, name: str) -> GetExecutorResponseExecutor:
        """Remove an executor set through the API (admins; refused while it has unfinished jobs)."""
        return self._t.request("DELETE", path("/api/v1/executors/{name}", name=name))["executor"]


def _why(job: Mapping[str, Any]) -> str:
    if job["state"] in ("failed", "cancelled") and job.get("message"):
        return f" ({job['message']})"
    return ""


__all__ = ["Jobs", "ProjectFolderError", "TERMINAL_STATES", "is_git_url"]
