"""``podfsm simulate``: the kubectl-style table, ``-o json`` (one object per event), exit code 1 with
a one-line ``file:line:`` error on an illegal event, and exit code 2 with a one-line error naming
the field on a bad manifest or script; never a traceback.

Expected rows are worked out from the rules: the first restart after the first exit is immediate
and the next waits 10 s (k8s-semantics.md §3.6); a terminated container shows its reason, a
cached ``CrashLoopBackOff`` overlays it from the next sync on (§3.2); RESTARTS shows the
restart count and "(Ns ago)" since the last termination (§8).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from podfsm.cli import main

SRC = Path(__file__).resolve().parents[1] / "src"

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - name: nginx
      image: nginx:1.27
"""

# Comments and a multi-line item, so that script lines and step numbers differ.
SCRIPT = """\
# nginx comes up, crashes twice and backs off

- {event: schedule, node: node-1}
- {event: tick, seconds: 2}
- event: image_pulled
  container: nginx
- {event: container_started, container: nginx}
- {event: tick, seconds: 60}
- {event: container_exited, container: nginx, exit_code: 1}
- {event: container_started, container: nginx}
- {event: container_exited, container: nginx, exit_code: 1, reason: Error}
- {event: tick, seconds: 5}
"""

HEADER = ["TIME", "NAME", "READY", "STATUS", "RESTARTS", "EVENT"]

# (TIME, NAME, READY, STATUS, RESTARTS, EVENT)
EXPECTED_ROWS = [
    ("0s", "nginx", "0/1", "ContainerCreating", "0", "schedule node=node-1"),
    ("2s", "nginx", "0/1", "ContainerCreating", "0", "tick seconds=2"),
    ("2s", "nginx", "0/1", "ContainerCreating", "0", "image_pulled container=nginx"),
    ("2s", "nginx", "1/1", "Running", "0", "container_started container=nginx"),
    ("62s", "nginx", "1/1", "Running", "0", "tick seconds=60"),
    # terminated with reason Error; the restart is immediate (no back-off entry yet)
    ("62s", "nginx", "0/1", "Error", "0", "container_exited container=nginx exit_code=1"),
    ("62s", "nginx", "1/1", "Running", "1 (0s ago)", "container_started container=nginx"),
    (
        "62s",
        "nginx",
        "0/1",
        "Error",
        "1 (0s ago)",
        "container_exited container=nginx exit_code=1 reason=Error",
    ),
    # second exit: back-off 10 s; the next sync shows CrashLoopBackOff
    ("67s", "nginx", "0/1", "CrashLoopBackOff", "1 (5s ago)", "tick seconds=5"),
]


def _write(tmp_path: Path, pod: str = POD, script: str = SCRIPT) -> tuple[str, str]:
    pod_file = tmp_path / "pod.yaml"
    script_file = tmp_path / "script.yaml"
    pod_file.write_text(pod)
    script_file.write_text(script)
    return str(pod_file), str(script_file)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(["simulate", *argv], out=out)
    captured = capsys.readouterr()
    assert captured.out == ""  # everything goes to the given stream
    stdout, stderr = out.getvalue(), captured.err
    assert "Traceback" not in stdout + stderr
    return code, stdout, stderr


def _table_rows(stdout: str) -> list[list[str]]:
    """Rows split on the table's 3-space column gaps (the EVENT column may contain single spaces)."""
    lines = stdout.splitlines()
    return [[cell.strip() for cell in line.split("   ") if cell.strip()] for line in lines]


def test_table_header_and_one_row_per_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table has the TIME NAME READY STATUS RESTARTS EVENT header and one expected row per event."""
    code, stdout, stderr = _run(capsys, *_write(tmp_path))
    assert (code, stderr) == (0, "")
    lines = stdout.splitlines()
    assert lines[0].split() == HEADER
    rows = _table_rows(stdout)[1:]
    assert len(rows) == len(yaml.safe_load(SCRIPT))
    assert [tuple(r) for r in rows] == EXPECTED_ROWS


def test_table_columns_are_aligned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every column starts at the same offset on every line, as kubectl's tabwriter prints it."""
    _, stdout, _ = _run(capsys, *_write(tmp_path))
    lines = stdout.splitlines()
    starts = [lines[0].index(h) for h in HEADER]
    for line, row in zip(lines[1:], EXPECTED_ROWS, strict=True):
        assert [line.index(cell, start) for cell, start in zip(row, starts, strict=True)] == starts


def test_json_one_object_per_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o json prints one object per line: t, the event as given, a v1 Pod, the columns and the Events."""
    code, stdout, stderr = _run(capsys, *_write(tmp_path), "-o", "json")
    assert (code, stderr) == (0, "")
    records = [json.loads(line) for line in stdout.splitlines()]
    given = yaml.safe_load(SCRIPT)
    assert len(records) == len(given)
    for record, event, row in zip(records, given, EXPECTED_ROWS, strict=True):
        assert set(record) == {"t", "event", "pod", "columns", "events"}
        assert record["t"] == int(row[0].removesuffix("s"))
        assert record["event"] == event
        assert list(record["event"]) == list(event)  # keys in the script's order, nothing added
        pod = record["pod"]
        assert pod["apiVersion"] == "v1"
        assert pod["kind"] == "Pod"
        assert {"metadata", "spec", "status"} <= set(pod)
        assert pod["metadata"]["name"] == "nginx"
        assert record["columns"] == {
            "status": row[3],
            "ready": row[2],
            "restarts": int(row[4].split()[0]),
        }
        assert isinstance(record["events"], list)
        for e in record["events"]:
            assert set(e) == {"type", "reason", "from", "message"}
            assert e["type"] in ("Normal", "Warning")
    assert [e["reason"] for e in records[0]["events"]] == ["Scheduled", "Pulling"]
    assert records[0]["events"][0]["from"] == "default-scheduler"
    assert records[0]["pod"]["spec"]["nodeName"] == "node-1"
    assert [e["reason"] for e in records[3]["events"]] == ["Created", "Started"]
    assert records[-1]["pod"]["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == (
        "CrashLoopBackOff"
    )


def test_json_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same pod and script give byte-identical -o json output twice."""
    files = _write(tmp_path)
    first = _run(capsys, *files, "-o", "json")
    second = _run(capsys, *files, "-o", "json")
    assert first == second


# An illegal step 7 at line 11: an image_pulled while the restart is being created (no pull in flight).
ILLEGAL_SCRIPT = """\
# the runtime reports a pull nobody asked for

- {event: schedule, node: node-1}
- {event: tick, seconds: 2}
- event: image_pulled
  container: nginx
- {event: container_started, container: nginx}
- {event: tick, seconds: 60}
- {event: container_exited, container: nginx, exit_code: 1}

- event: image_pulled
  container: nginx
- {event: tick, seconds: 5}
"""
ILLEGAL_LINE, ILLEGAL_STEP = 11, 7


def _check_illegal_stderr(stderr: str, script_file: str) -> None:
    assert stderr.endswith("\n")
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith(f"podfsm: error: {script_file}:{ILLEGAL_LINE}: step {ILLEGAL_STEP} ")
    assert "image_pulled" in stderr
    assert "'nginx'" in stderr
    assert "no image pull is in flight" in stderr  # the rule


def test_illegal_event_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An illegal event exits 1 after printing the rows before it; stderr is one file:line: step line."""
    pod_file, script_file = _write(tmp_path, script=ILLEGAL_SCRIPT)
    code, stdout, stderr = _run(capsys, pod_file, script_file)
    assert code == 1
    rows = _table_rows(stdout)
    assert rows[0] == HEADER
    assert [tuple(r) for r in rows[1:]] == EXPECTED_ROWS[: ILLEGAL_STEP - 1]
    _check_illegal_stderr(stderr, script_file)


def test_illegal_event_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With -o json the objects for the steps before the illegal one are printed, then exit 1."""
    pod_file, script_file = _write(tmp_path, script=ILLEGAL_SCRIPT)
    code, stdout, stderr = _run(capsys, pod_file, script_file, "-o", "json")
    assert code == 1
    records = [json.loads(line) for line in stdout.splitlines()]
    assert [r["event"] for r in records] == yaml.safe_load(ILLEGAL_SCRIPT)[: ILLEGAL_STEP - 1]
    _check_illegal_stderr(stderr, script_file)


def test_illegal_first_event_prints_no_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An illegal first step prints nothing on stdout and names line and step 1."""
    script = "- {event: container_started, container: nginx}\n"
    pod_file, script_file = _write(tmp_path, script=script)
    code, stdout, stderr = _run(capsys, pod_file, script_file)
    assert (code, stdout) == (1, "")
    assert stderr.count("\n") == 1
    assert stderr.startswith(f"podfsm: error: {script_file}:1: step 1 ")


def test_illegal_event_in_events_mapping_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script given as {events: [...]} reports the line of the illegal item too."""
    script = "events:\n  - {event: schedule, node: n}\n  # next: exits before it ever ran\n  - {event: container_exited, container: nginx, exit_code: 0}\n"
    pod_file, script_file = _write(tmp_path, script=script)
    code, _, stderr = _run(capsys, pod_file, script_file)
    assert code == 1
    assert stderr.startswith(f"podfsm: error: {script_file}:4: step 2 ")
    assert "only a running container can exit" in stderr


BAD_INPUTS: list[tuple[str, str | None, str | None, str]] = [
    # id, pod text (None: the good one), script text (None: the good one), text the error must contain
    (
        "pod-bad-pull-policy",
        POD.replace("image: nginx:1.27", "image: nginx:1.27\n      imagePullPolicy: Sometimes"),
        None,
        "spec.containers[0].imagePullPolicy",
    ),
    (
        "pod-no-containers",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {}\n",
        None,
        "spec.containers",
    ),
    (
        "pod-grace-period-type",
        POD.replace("spec:", "spec:\n  terminationGracePeriodSeconds: soon"),
        None,
        "spec.terminationGracePeriodSeconds",
    ),
    ("pod-not-yaml", "kind: Pod\nspec: [\n", None, "not valid YAML"),
    ("script-unknown-event", None, "- {event: schedule, node: n}\n- {event: explode}\n", "step 2: event:"),
    (
        "script-missing-field",
        None,
        "- {event: schedule, node: n}\n- {event: container_exited, container: nginx}\n",
        "step 2: exit_code:",
    ),
    ("script-unknown-field", None, "- {event: tick, seconds: 1, minutes: 2}\n", "step 1: minutes:"),
    ("script-bool-int", None, "- {event: tick, seconds: true}\n", "step 1: seconds:"),
    ("script-negative-tick", None, "- {event: tick, seconds: -3}\n", "step 1: seconds:"),
    (
        "script-exit-256",
        None,
        "- {event: schedule, node: n}\n- {event: container_exited, container: nginx, exit_code: 256}\n",
        "step 2: exit_code:",
    ),
    (
        "script-bad-reason",
        None,
        "- {event: image_pull_failed, container: nginx, reason: Oops}\n",
        "step 1: reason:",
    ),
    ("script-not-a-list", None, "event: tick\nseconds: 1\n", "a script is a list of events"),
    ("script-not-yaml", None, "- {event: tick, seconds: 1\n", "not valid YAML"),
    ("script-empty-file", None, "", "empty"),
]


@pytest.mark.parametrize(
    ("pod", "script", "expected"), [pytest.param(p, s, e, id=i) for i, p, s, e in BAD_INPUTS]
)
@pytest.mark.parametrize("output", ["table", "json"])
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pod: str | None,
    script: str | None,
    expected: str,
    output: str,
) -> None:
    """A bad manifest or script exits 2 before any output, with one stderr line naming file and field."""
    pod_file, script_file = _write(tmp_path, pod or POD, SCRIPT if script is None else script)
    code, stdout, stderr = _run(capsys, pod_file, script_file, "-o", output)
    assert (code, stdout) == (2, "")
    assert stderr.count("\n") == 1, stderr
    bad_file = pod_file if pod is not None else script_file
    assert stderr.startswith(f"podfsm: error: {bad_file}: ")
    assert expected in stderr


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["simulate"], id="no-files"),
        pytest.param(["simulate", "POD"], id="no-script"),
        pytest.param(["simulate", "POD", "SCRIPT", "-o", "yaml"], id="bad-output"),
        pytest.param(["simulate", "missing.yaml", "SCRIPT"], id="missing-pod-file"),
        pytest.param(["simulate", "POD", "missing.yaml"], id="missing-script-file"),
    ],
)
def test_bad_arguments_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bad arguments or missing files exit 2 with one line on stderr and no traceback."""
    monkeypatch.chdir(tmp_path)
    pod_file, script_file = _write(tmp_path)
    argv = [{"POD": pod_file, "SCRIPT": script_file}.get(a, a) for a in argv]
    out = io.StringIO()
    code = main(argv, out=out)
    captured = capsys.readouterr()
    assert code == 2
    assert out.getvalue() == ""
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("podfsm")
    assert "Traceback" not in captured.err + captured.out


def test_workload_pod_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """POD_FILE may be a workload: its pod template is simulated."""
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
"""
    code, stdout, stderr = _run(capsys, *_write(tmp_path, pod=deployment, script=SCRIPT), "-o", "json")
    assert (code, stderr) == (0, "")
    records: list[dict[str, Any]] = [json.loads(line) for line in stdout.splitlines()]
    assert [r["columns"]["status"] for r in records] == [row[3] for row in EXPECTED_ROWS]


def test_python_m_podfsm_subprocess(tmp_path: Path) -> None:
    """`python -m podfsm simulate` behaves the same in a real process: rows, exit 1, one stderr line."""
    pod_file, script_file = _write(tmp_path, script=ILLEGAL_SCRIPT)
    done = subprocess.run(
        [sys.executable, "-m", "podfsm", "simulate", pod_file, script_file],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    rows = _table_rows(done.stdout)
    assert rows[0] == HEADER
    assert [tuple(r) for r in rows[1:]] == EXPECTED_ROWS[: ILLEGAL_STEP - 1]
    _check_illegal_stderr(done.stderr, script_file)
