"""client.jobs against a real server: a project folder zipped and run on the local executor (its python is this
venv's, so mlflow logs to Ferry), logs read and followed, a sleeping job cancelled, pages of jobs, a git source,
executors, and the errors each call meets."""
import os
import subprocess
import time
import zipfile
import io

import pytest

import ferry
from ferry.errors import InvalidParameterError, InvalidStateError, NotFoundError, PermissionDeniedError, TimeoutExpiredError
from ferry.jobs import ProjectFolderError, is_git_url
from ferry._project import zip_project

from conftest import start_server

MLPROJECT = """name: tiny
entry_points:
  main:
    parameters:
      n: {type: float, default: 3}
    command: "python train.py --n {n}"
  chatty:
    command: "python -c \\"import time\\nfor i in range(4):\\n    print('tick', i, flush=True); time.sleep(0.7)\\""
  sleepy:
    command: "python -c \\"import time; print('sleeping', flush=True); time.sleep(120)\\""
  quick:
    command: "python -c \\"print('quick')\\""
  needs:
    parameters:
      required_thing: string
    command: "python -c \\"print('{required_thing}')\\""
"""

TRAIN = """import argparse, mlflow
p = argparse.ArgumentParser(); p.add_argument("--n", type=float); a = p.parse_args()
with mlflow.start_run():
    mlflow.log_metric("n_twice", 2 * a.n)
print("trained with n =", a.n)
print("ünïcode line")
"""


@pytest.fixture
def project(tmp_path):
    d = tmp_path / "tiny"
    d.mkdir()
    (d / "MLproject").write_text(MLPROJECT)
    (d / "train.py").write_text(TRAIN)
    run = d / "run.sh"
    run.write_text("#!/bin/sh\necho hi\n")
    run.chmod(0o755)
    # What a project never needs: left out of the zip.
    for skipped in (".git", "__pycache__", "mlruns", ".venv"):
        (d / skipped).mkdir()
        (d / skipped / "junk.txt").write_text("x")
    (d / "old.pyc").write_bytes(b"\0")
    return d


def test_zip_leaves_out_what_a_project_never_needs(project, tmp_path):
    z = zip_project(project)
    assert z.files == ["MLproject", "run.sh", "train.py"]
    assert sorted(z.skipped) == [".git/", ".venv/", "__pycache__/", "mlruns/", "old.pyc"]
    with zipfile.ZipFile(io.BytesIO(z.data)) as zf:
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in zf.infolist()}
    assert modes == {"MLproject": 0o644, "run.sh": 0o755, "train.py": 0o644}
    # A link inside the folder is a copy; one leading outside is refused, naming it.
    (project / "alias.py").symlink_to(project / "train.py")
    assert "alias.py" in zip_project(project).files
    outside = tmp_path / "secret.txt"
    outside.write_text("no")
    (project / "leak.txt").symlink_to(outside)
    with pytest.raises(ProjectFolderError, match="leak.txt"):
        zip_project(project)
    (project / "leak.txt").unlink()
    os.mkfifo(project / "pipe")  # a FIFO is left out; a link to one is refused (never opened: reading it would hang)
    (project / "to-pipe").symlink_to(project / "pipe")
    with pytest.raises(ProjectFolderError, match="to-pipe.*not a regular file"):
        zip_project(project)
    (project / "to-pipe").unlink()
    assert zip_project(project).ignored == ["pipe"]
    (project / "pipe").unlink()
    (project / "MLproject").rename(project / "mlproject")
    with pytest.raises(ProjectFolderError, match="case-sensitive"):
        zip_project(project)
    with pytest.raises(ProjectFolderError, match="not a folder"):
        zip_project(tmp_path / "nowhere")


def test_a_folder_larger_than_a_project_may_be_is_refused_before_it_is_read(project):
    # The server refuses a project over 1 GiB unpacked; the client says so before reading a byte of it (a notebook
    # pointed at a folder holding a big data file would otherwise read it all into memory, zip it and send it).
    big = project / "data.bin"
    with open(big, "wb") as f:  # sparse: takes no disk
        f.truncate(1024**3 + 1)
    started = time.monotonic()
    with pytest.raises(ProjectFolderError, match=r"data\.bin.*1 GiB|1 GiB.*data\.bin"):
        zip_project(project)
    assert time.monotonic() - started < 5


def test_a_file_name_that_is_not_utf8_is_refused_by_name(project):
    # Linux names are bytes; a zip's are UTF-8 text. Refused naming the file, not as a UnicodeEncodeError.
    with open(os.path.join(os.fsencode(project), b"caf\xe9.csv"), "wb") as f:
        f.write(b"x")
    with pytest.raises(ProjectFolderError, match=r"caf.*not UTF-8"):
        zip_project(project)


def test_git_url_detection(tmp_path):
    assert is_git_url("https://github.com/a/b.git") and is_git_url("file:///tmp/x") and is_git_url("git@github.com:a/b.git")
    assert not is_git_url(str(tmp_path)) and not is_git_url("sha256:" + "0" * 64)


def test_upload_is_content_addressed(client, project):
    a = client.jobs.upload_project(project)
    b = client.jobs.upload_project(str(project))
    assert a["digest"] == b["digest"] and a["digest"].startswith("sha256:")
    assert a["files"] == 3 and a["name"] == "tiny"
    got = client.jobs.get_project(a["digest"])
    eps = {e["name"]: e for e in got["entry_points"]}
    assert set(eps) == {"main", "chatty", "sleepy", "quick", "needs"}
    assert eps["main"]["parameters"] == [{"name": "n", "type": "float", "default": "3"}]
    with pytest.raises(NotFoundError):
        client.jobs.get_project("sha256:" + "0" * 64)
    with pytest.raises(InvalidParameterError):
        client.jobs.get_project("sha256:nothex")


def test_submit_folder_wait_and_read_logs(client, project, mlflow_env, unique, capsys):
    import mlflow

    exp = unique("jobs")
    job = client.jobs.submit(project, parameters={"n": 2.5}, experiment_name=exp, run_name="tiny-run", wait=True, timeout=180)
    assert job["state"] == "succeeded", job
    assert job["entry_point"] == "main" and job["exit_code"] == 0 and job["parameters"] == {"n": "2.5"}
    assert f"job {job['job_id']}: succeeded" in capsys.readouterr().err  # progress on stderr
    lines = list(client.jobs.logs(job["job_id"]))
    assert "trained with n = 2.5" in lines and "ünïcode line" in lines
    assert list(client.jobs.logs(job["job_id"], follow=True)) == lines  # an ended job: follow reads to the end
    assert client.jobs.log_text(job["job_id"]).splitlines() == lines
    assert list(client.jobs.logs(job["job_id"], offset=len(lines[0].encode()) + 1)) == lines[1:]  # a byte offset
    run = mlflow.MlflowClient().get_run(job["run_id"])
    assert run.data.metrics["n_twice"] == 5.0
    assert run.info.run_name == "tiny-run"
    assert client.jobs.get(job["job_id"]) == job


def test_follow_streams_while_the_job_runs(client, project):
    job = client.jobs.submit(project, entry_point="chatty")
    seen = []
    for line in client.jobs.logs(job["job_id"], follow=True):
        seen.append((line, client.jobs.get(job["job_id"])["state"]))
    ticks = [line for line, _ in seen if line.startswith("tick")]
    assert ticks == ["tick 0", "tick 1", "tick 2", "tick 3"]
    # The first lines came while the job still ran: following streams, it does not wait for the end.
    assert seen[0][1] in ("running", "starting")
    assert client.jobs.get(job["job_id"])["state"] == "succeeded"


def test_cancel_a_sleeping_job(client, project):
    job = client.jobs.submit(project, entry_point="sleepy")
    for line in client.jobs.logs(job["job_id"], follow=True):
        if line == "sleeping":
            break
    with pytest.raises(TimeoutExpiredError) as e:
        client.jobs.wait(job["job_id"], timeout=1, progress=False)
    assert e.value.body["state"] == "running"
    ended = client.jobs.cancel(job["job_id"], wait=True, timeout=60)
    assert ended["state"] == "cancelled" and ended["cancel_requested"] is True
    # Cancelling it again is refused: it has ended.
    with pytest.raises(InvalidStateError, match="already been cancelled"):
        client.jobs.cancel(job["job_id"])


def test_list_pages_and_filters(client, project, unique):
    exp = unique("jobs-list")
    digest = client.jobs.upload_project(project)["digest"]
    submitted = [client.jobs.submit(digest, entry_point="quick", experiment_name=exp, priority=-100) for _ in range(5)]
    ids = [j["job_id"] for j in submitted]
    experiment_id = submitted[0]["experiment_id"]
    listed = [j["job_id"] for j in client.jobs.list(experiment_id=experiment_id, page_size=2)]
    assert listed == ids[::-1]  # newest first, across three pages
    assert all(j["submitted_by"] for j in client.jobs.list(experiment_id=experiment_id, page_size=2))
    mine = client.whoami()["name"]
    assert {j["job_id"] for j in client.jobs.list(experiment_id=experiment_id, submitted_by=mine)} == set(ids)
    assert list(client.jobs.list(experiment_id=experiment_id, submitted_by="nobody-at-all")) == []
    assert [j["job_id"] for j in client.jobs.list(run_id=submitted[2]["run_id"])] == [ids[2]]
    for j in ids:
        client.jobs.wait(j, timeout=120, progress=False)
    assert {j["job_id"] for j in client.jobs.list(experiment_id=experiment_id, state="succeeded", executor="local")} == set(ids)
    assert list(client.jobs.list(experiment_id=experiment_id, state="failed")) == []


def test_errors_map_to_exceptions(client, ferry_server, project):
    with pytest.raises(InvalidParameterError) as e:
        client.jobs.submit(project, entry_point="needs")
    assert e.value.status == 400 and "required_thing" in str(e.value)
    with pytest.raises(InvalidParameterError) as e:
        client.jobs.submit(project, parameters={"n": "not-a-number"})
    assert e.value.field and "n" in e.value.field
    with pytest.raises(NotFoundError):
        client.jobs.get("job-" + "0" * 32)
    with pytest.raises(InvalidParameterError):
        client.jobs.get("not-a-job")
    with pytest.raises(InvalidParameterError) as e:
        client.jobs.submit("sha256:" + "1" * 64)
    assert e.value.field == "project"
    with pytest.raises(ValueError, match="commit"):
        client.jobs.submit("https://example.com/r.git")
    with pytest.raises(ValueError, match="not both"):
        client.jobs.submit(project, experiment_name="a", experiment_id="1")
    with pytest.raises(ProjectFolderError):
        client.jobs.submit(project / "train.py")
    # A viewer reads jobs but may not submit or cancel them.
    token = client._t.request("POST", "/api/v1/tokens", json={"name": f"viewer-{os.getpid()}-{time.time_ns()}", "role": "viewer"})["token"]
    viewer = ferry.Client(ferry_server["url"], token=token)
    with pytest.raises(PermissionDeniedError):
        viewer.jobs.submit(project)
    job = client.jobs.submit(project, entry_point="quick")
    assert viewer.jobs.get(job["job_id"])["job_id"] == job["job_id"]
    with pytest.raises(PermissionDeniedError):
        viewer.jobs.cancel(job["job_id"])
    client.jobs.wait(job["job_id"], timeout=120, progress=False)


def test_executors(client):
    local = {e["name"]: e for e in client.jobs.executors()}["local"]
    assert local["kind"] == "local" and local["source"] == "builtin"
    assert client.jobs.get_executor("local")["kind"] == "local"
    name = f"ray-{os.getpid() % 10000}-{time.time_ns() % 100000}"
    made = client.jobs.set_executor(name, "ray", address="http://127.0.0.1:8265", token_env="RAY_TOKEN", enabled=False)
    assert made["kind"] == "ray" and made["address"] == "http://127.0.0.1:8265" and made["token_env"] == "RAY_TOKEN"
    assert made["source"] == "api" and made["enabled"] is False and made["has_token"] is False
    assert name in {e["name"] for e in client.jobs.executors()}
    with pytest.raises(InvalidParameterError) as e:
        client.jobs.set_executor(name, "ray", address="not a url")
    assert e.value.field and "address" in e.value.field
    assert client.jobs.delete_executor(name)["name"] == name
    with pytest.raises(NotFoundError):
        client.jobs.get_executor(name)


def test_submit_a_git_commit(project, ferry_server):
    # file:// git sources are for a server that allows them (FERRY_JOBS_ALLOW_FILE_GIT=1). It shares the session
    # server's artifacts folder: on PostgreSQL both servers share one store, so either's worker may run the job.
    repo = project.parent / "repo"
    sub = repo / "proj"
    sub.mkdir(parents=True)
    for f in ("MLproject", "train.py"):
        (sub / f).write_text((project / f).read_text())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-q", "-m", "tiny"], check=True)
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    info, stop = start_server({"FERRY_JOBS_ALLOW_FILE_GIT": "1"}, ["--artifacts-dir", os.path.join(ferry_server["data_dir"], "artifacts")])
    try:
        c = ferry.Client(info["url"], token=info["token"])
        job = c.jobs.submit(f"file://{repo}", "quick", commit=commit, subdirectory="proj", wait=True, timeout=180, progress=False)
        assert job["state"] == "succeeded" and job["project"]["git_commit"] == commit
        assert list(c.jobs.logs(job["job_id"])) == ["quick"]
        again = c.jobs.submit({"url": f"file://{repo}", "commit": commit[:10], "subdirectory": "proj"}, "quick")
        assert again["project"]["digest"] == job["project"]["digest"]
        c.jobs.wait(again["job_id"], timeout=120, progress=False)
    finally:
        stop()


_CLI_ZIP = """
import { listProject, zipProject } from './dist/cli/project-zip.js';
const listing = await listProject(process.argv[1]);
const zip = await zipProject(listing);
process.stdout.write(JSON.stringify({ zip: zip.toString('base64'), files: listing.entries.map((e) => e.name),
  skipped: listing.skipped, ignored: listing.ignored }));
"""


def _cli_zip(folder):
    """The folder zipped by the CLI's own code (dist/cli/project-zip.js, what `ferry jobs submit PATH` sends)."""
    import base64
    import json

    from conftest import REPO

    out = subprocess.run(["node", "--input-type=module", "-e", _CLI_ZIP, str(folder)], cwd=REPO, check=True, capture_output=True, text=True, timeout=60)
    got = json.loads(out.stdout)
    return base64.b64decode(got["zip"]), got


def test_zip_digest_equals_the_cli_zip(client, project, tmp_path):
    # A folder with what tells zippers apart: nesting, unicode and spaces in names, an empty file, binary bytes,
    # executable bits (owner-only and group-only), links inside (to an executable), skipped names that are files
    # or links leading outside, a FIFO.
    (project / "src" / "pkg").mkdir(parents=True)
    (project / "src" / "pkg" / "mod.py").write_text("x = 1\n")
    (project / "données é.txt").write_text("naïve\n", encoding="utf-8")
    (project / "empty").write_bytes(b"")
    (project / "blob.bin").write_bytes(bytes(range(256)) * 4000)
    owner_x = project / "owner_x.sh"
    owner_x.write_text("#!/bin/sh\n")
    owner_x.chmod(0o744)
    group_x = project / "group_x.sh"
    group_x.write_text("#!/bin/sh\n")
    group_x.chmod(0o654)
    (project / "src" / "run-link").symlink_to(project / "run.sh")
    (project / "venv").write_text("a file named like a skipped folder")
    (project / ".env").write_text("TOKEN=x\n")  # both send it (a project may need it): the two must agree
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "node_modules").symlink_to(outside)
    os.mkfifo(project / "pipe")
    z = zip_project(project)
    cli_zip, cli = _cli_zip(project)
    assert z.files == cli["files"] and sorted(z.skipped) == sorted(cli["skipped"]) and z.ignored == cli["ignored"] == ["pipe"]
    ours = client.jobs.upload_project(project)
    theirs = client._t.request("POST", "/api/v1/jobs/projects", data=cli_zip, headers={"Content-Type": "application/zip"})["project"]
    assert ours["digest"] == theirs["digest"] and ours["files"] == theirs["files"] == len(z.files)
    assert ours["size_bytes"] == theirs["size_bytes"]


def test_upload_notes_what_was_left_out(client, project, capsys):
    # As the CLI notes them: skipped names, and what is not a regular file (a FIFO here).
    os.mkfifo(project / "pipe")
    client.jobs.upload_project(project, quiet=False)
    err = capsys.readouterr().err
    assert "left out: .git/" in err and "not regular files, left out: pipe" in err
    client.jobs.upload_project(project)
    assert capsys.readouterr().err == ""
