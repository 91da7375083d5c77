"""``podfsm status``: the kubectl-style table, ``-o json`` and exit code 2 on bad input.

The expected rows for examples/status/pods.json are worked out by hand from ``printPod``
(k8s-semantics.md §8), ``getPhase`` (§2.2) with the sticky terminal phase of
``generateAPIPodStatus`` (§2.4), and ``generate.go`` (§7); the reasoning is in the comments of
``EXPECTED_ROWS`` and ``EXPECTED_SUMMARIES``.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from podfsm.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "status" / "pods.json"
NOW = "2026-11-23T10:06:00Z"

# (NAME, READY, STATUS, RESTARTS, PHASE) without --now.
EXPECTED_ROWS = [
    # nginx running and ready: reason stays the phase "Running"; phase: one running container.
    ("web-7d4b9c6f5-x2kqp", "1/1", "Running", "0", "Running"),
    # waiting CrashLoopBackOff sets the reason; getPhase counts waiting+lastState.terminated as
    # stopped, and restartPolicy Always with everything stopped is Running.
    ("busybox-5f8b7d9c4-lm2zp", "0/1", "CrashLoopBackOff", "4", "Running"),
    # the regular init container waits in CrashLoopBackOff: "Init:" + reason, the loop stops, the
    # Initialized condition is False so regular containers are skipped; RESTARTS counts the init
    # container's 2. Phase: failedInit under Always does not fail the pod; app waits -> Pending.
    ("db-migrate-0", "0/1", "Init:CrashLoopBackOff", "2", "Pending"),
    # terminated reason Completed, nothing running; the terminal phase Succeeded is kept.
    ("report-28871234-abcde", "0/1", "Completed", "0", "Succeeded"),
    # sidecar started and ready (+1 ready, total 1 + 1 sidecar); api ready and running (+1);
    # deletionTimestamp on a non-terminal pod -> Terminating. Restarts: sidecar 0 + api 1.
    # Phase: both running, so Running even though the pod is being deleted.
    ("api-0", "2/2", "Terminating", "1", "Running"),
    # no statuses: reason is the phase; Unschedulable is not SchedulingGated. Phase: unknown -> Pending.
    ("pending-gpu", "0/1", "Pending", "0", "Pending"),
]

# RESTARTS with --now 2026-11-23T10:06:00Z: HumanDuration(now - latest lastState.terminated.finishedAt).
EXPECTED_RESTARTS_WITH_NOW = {
    "web-7d4b9c6f5-x2kqp": "0",
    "busybox-5f8b7d9c4-lm2zp": "4 (4m20s ago)",  # 10:06:00 - 10:01:40 = 260 s
    "db-migrate-0": "2 (4m ago)",  # 10:06:00 - 10:02:00 = 240 s
    "report-28871234-abcde": "0",
    "api-0": "1 (5m41s ago)",  # 10:06:00 - 10:00:19 = 341 s
    "pending-gpu": "0",
}

EXPECTED_TABLE = """\
NAME                      READY   STATUS                  RESTARTS   PHASE
web-7d4b9c6f5-x2kqp       1/1     Running                 0          Running
busybox-5f8b7d9c4-lm2zp   0/1     CrashLoopBackOff        4          Running
db-migrate-0              0/1     Init:CrashLoopBackOff   2          Pending
report-28871234-abcde     0/1     Completed               0          Succeeded
api-0                     2/2     Terminating             1          Running
pending-gpu               0/1     Pending                 0          Pending
"""


def _cond(status: str, reason: str = "", message: str = "") -> dict[str, str]:
    return {"status": status, "reason": reason, "message": message}


_TRUE = _cond("True")
_SCHEDULED = {"PodScheduled": _TRUE}

# Conditions per generate.go (§7), computed with the reported phase.
EXPECTED_CONDITIONS: dict[str, dict[str, dict[str, str]]] = {
    "web-7d4b9c6f5-x2kqp": {"Initialized": _TRUE, "ContainersReady": _TRUE, "Ready": _TRUE, **_SCHEDULED},
    "busybox-5f8b7d9c4-lm2zp": {
        "Initialized": _TRUE,
        "ContainersReady": _cond("False", "ContainersNotReady", "containers with unready status: [busybox]"),
        "Ready": _cond("False", "ContainersNotReady", "containers with unready status: [busybox]"),
        **_SCHEDULED,
    },
    "db-migrate-0": {
        # the regular init container exited 1, so it is not ready: incomplete.
        "Initialized": _cond(
            "False", "ContainersNotInitialized", "containers with incomplete status: [migrate]"
        ),
        # regular init containers do not count for readiness; app is unready.
        "ContainersReady": _cond("False", "ContainersNotReady", "containers with unready status: [app]"),
        "Ready": _cond("False", "ContainersNotReady", "containers with unready status: [app]"),
        **_SCHEDULED,
    },
    "report-28871234-abcde": {
        "Initialized": _cond("True", "PodCompleted"),
        "ContainersReady": _cond("False", "PodCompleted"),
        "Ready": _cond("False", "PodCompleted"),
        **_SCHEDULED,
    },
    "api-0": {"Initialized": _TRUE, "ContainersReady": _TRUE, "Ready": _TRUE, **_SCHEDULED},
    "pending-gpu": {
        # no init containers, so nil statuses do not make Initialized unknown.
        "Initialized": _TRUE,
        "ContainersReady": _cond("False", "UnknownContainerStatuses"),
        "Ready": _cond("False", "UnknownContainerStatuses"),
        "PodScheduled": _cond(
            "False", "Unschedulable", "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
        ),
    },
}

SUMMARY_KEYS = {"name", "phase", "status", "ready", "restarts", "conditions"}


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue()


def _cells(line: str) -> tuple[str, ...]:
    """The cells of one table line: columns are separated by at least 3 spaces."""
    return tuple(re.split(r" {3,}", line.rstrip()))


def test_table_header_and_rows() -> None:
    """The table has kubectl's header plus PHASE and one correct row per pod, in file order."""
    code, text = _run(["status", str(EXAMPLES)])
    assert code == 0
    lines = text.splitlines()
    assert _cells(lines[0]) == ("NAME", "READY", "STATUS", "RESTARTS", "PHASE")
    assert [_cells(line) for line in lines[1:]] == EXPECTED_ROWS


def test_table_layout_is_tabwriter_like() -> None:
    """Columns are left-aligned and padded by three spaces, the last cell is not padded (kubectl tabwriter)."""
    code, text = _run(["status", str(EXAMPLES)])
    assert code == 0
    assert text == EXPECTED_TABLE


def test_explicit_table_output_is_the_default() -> None:
    """`-o table` prints the same as no -o."""
    assert _run(["status", "-o", "table", str(EXAMPLES)]) == _run(["status", str(EXAMPLES)])


def test_restarts_with_now_show_age_of_last_restart() -> None:
    """--now adds "(<HumanDuration> ago)" to non-zero RESTARTS that have a last termination time."""
    code, text = _run(["status", str(EXAMPLES), "--now", NOW])
    assert code == 0
    rows = [_cells(line) for line in text.splitlines()[1:]]
    assert {row[0]: row[3] for row in rows} == EXPECTED_RESTARTS_WITH_NOW
    # The other columns do not depend on --now.
    assert [(*row[:3], row[4]) for row in rows] == [(*r[:3], r[4]) for r in EXPECTED_ROWS]


def test_json_output_one_object_per_line() -> None:
    """-o json prints one JSON object per pod and line, with exactly the documented keys and values."""
    code, text = _run(["status", "-o", "json", str(EXAMPLES)])
    assert code == 0
    lines = text.splitlines()
    assert len(lines) == len(EXPECTED_ROWS)
    for line, (name, ready, status, restarts, phase) in zip(lines, EXPECTED_ROWS, strict=True):
        obj = json.loads(line)
        assert set(obj) == SUMMARY_KEYS
        assert obj == {
            "name": name,
            "phase": phase,
            "status": status,
            "ready": ready,
            "restarts": int(restarts),
            "conditions": EXPECTED_CONDITIONS[name],
        }


def test_json_conditions_shape() -> None:
    """Each JSON condition is a mapping from type to exactly {status, reason, message}, all strings."""
    code, text = _run(["status", "-o", "json", "--now", NOW, str(EXAMPLES)])
    assert code == 0
    for line in text.splitlines():
        conditions = json.loads(line)["conditions"]
        assert isinstance(conditions, dict)
        assert {"Initialized", "ContainersReady", "Ready"} <= set(conditions)
        for cond in conditions.values():
            assert set(cond) == {"status", "reason", "message"}
            assert all(isinstance(v, str) for v in cond.values())
            assert cond["status"] in ("True", "False", "Unknown")


def test_subprocess_reads_stdin() -> None:
    """`python -m podfsm status -` reads the manifest from stdin and prints the same table."""
    result = subprocess.run(
        [sys.executable, "-m", "podfsm", "status", "-", "--now", NOW],
        input=EXAMPLES.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == _run(["status", str(EXAMPLES), "--now", NOW])[1]
    rows = [_cells(line) for line in result.stdout.splitlines()[1:]]
    assert [row[0] for row in rows] == [r[0] for r in EXPECTED_ROWS]
    assert {row[0]: row[3] for row in rows} == EXPECTED_RESTARTS_WITH_NOW


# ---------------------------------------------------------------------------------------------
# Bad input: exit code 2, one line on stderr, no traceback
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    pytest.param("broken.yaml", "kind: Pod\nspec: [\n", "not valid YAML or JSON", id="not YAML"),
    pytest.param("empty.yaml", "", "empty", id="empty file"),
    pytest.param("scalar.yaml", "just a string\n", "mapping", id="scalar document"),
    pytest.param(
        "svc.yaml", "kind: Service\nmetadata: {name: web}\nspec: {}\n", 'Service "web"', id="Service"
    ),
    pytest.param(
        "noname.yaml",
        "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: x}]}\n",
        'Pod "p": spec.containers[0].name: Required value',
        id="container name missing",
    ),
    pytest.param(
        "deep.yaml",
        "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n"
        "status: {containerStatuses: [{name: c, state: {terminated: {exitCode: 1.5}}}]}\n",
        'Pod "p": status.containerStatuses[0].state.terminated.exitCode: ',
        id="wrong type deep inside status",
    ),
    pytest.param(
        "job.yaml",
        "kind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: [{name: c}]}}}\n",
        'Job "j": spec.template.spec.restartPolicy: ',
        id="Job restartPolicy",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_INPUTS)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, expected: str
) -> None:
    """Bad input returns 2, prints nothing on stdout and one `podfsm: error:` line naming file and field."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out = _run(["status", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert captured.out == ""
    assert captured.err.endswith("\n")
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"podfsm: error: {path}")
    assert expected in captured.err
    assert "Traceback" not in captured.err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A file that does not exist is bad input: exit 2 and a one-line error naming it."""
    code, out = _run(["status", "/nonexistent/pods.yaml"])
    captured = capsys.readouterr()
    assert (code, out) == (2, "")
    assert captured.err == "podfsm: error: /nonexistent/pods.yaml: cannot read: No such file or directory\n"


def test_error_in_a_later_pod_prints_no_partial_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """If any pod in the file is invalid, no table is printed at all."""
    good: dict[str, Any] = {
        "kind": "Pod",
        "metadata": {"name": "ok"},
        "spec": {"containers": [{"name": "c"}]},
    }
    bad: dict[str, Any] = {"kind": "Pod", "metadata": {"name": "bad"}, "spec": {"containers": [{"name": 1}]}}
    path = tmp_path / "pods.json"
    path.write_text(json.dumps({"kind": "List", "items": [good, bad]}), encoding="utf-8")
    code, out = _run(["status", str(path)])
    err = capsys.readouterr().err
    assert (code, out) == (2, "")
    assert err.startswith(f'podfsm: error: {path}: items[1]: Pod "bad": spec.containers[0].name: ')


def test_subprocess_bad_stdin_exits_2_without_traceback() -> None:
    """Through the real interpreter, bad stdin gives exit 2 and a single `podfsm: error:` line, no traceback."""
    manifest = (
        "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n"
        "status: {containerStatuses: [{name: c, restartCount: '3'}]}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "podfsm", "status", "-"],
        input=manifest,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        'podfsm: error: <stdin>: Pod "p": status.containerStatuses[0].restartCount: '
    )
    assert "Traceback" not in result.stdout + result.stderr
