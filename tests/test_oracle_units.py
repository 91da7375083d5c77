"""Unit tests of podfsm.oracle helpers that the ported upstream tables do not pin down.

* ``human_duration``: ``HumanDuration`` in
  ``staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go`` (kubernetes/kubernetes);
* ``pod_phase``: how ``pod_is_terminal`` and ``pod_has_initialized`` are inferred from the object
  (k8s-semantics.md §2.2);
* ``pod_conditions``: nil vs empty container statuses (§7);
* ``should_restart``: a waiting container with ``lastState.terminated`` (§3.4);
* ``pod_summary`` / ``reported_phase``: a terminal ``status.phase`` is sticky (§2.4).
"""

from __future__ import annotations

from typing import Any

import pytest

from podfsm.enums import PodPhase
from podfsm.oracle import (
    Condition,
    human_duration,
    pod_conditions,
    pod_phase,
    pod_summary,
    reported_phase,
    should_restart,
)

MINUTE = 60
HOUR = 3600
DAY = 86400
YEAR = 365 * DAY


# Every value checked by hand against HumanDuration (duration.go): seconds < -1 -> "<invalid>",
# < 0 -> "0s", < 120 -> "Ns"; minutes < 10 -> "NmSs"; minutes < 180 -> "Nm"; hours < 8 -> "NhMm";
# hours < 48 -> "Nh"; hours < 192 -> "NdHh"; hours < 2 years -> "Nd"; hours < 8 years -> "NyDd"; else "Ny".
@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        pytest.param(0, "0s", id="0"),
        pytest.param(119, "119s", id="119s: under two minutes stays seconds"),
        pytest.param(2 * MINUTE, "2m", id="120s"),
        pytest.param(150, "2m30s", id="150s"),
        pytest.param(10 * MINUTE, "10m", id="600s: seconds dropped from 10 minutes"),
        pytest.param(3 * HOUR, "3h", id="3h: from 180 minutes"),
        pytest.param(3 * HOUR + 5 * MINUTE, "3h5m", id="3h5m"),
        pytest.param(8 * HOUR, "8h", id="8h: minutes dropped from 8 hours"),
        pytest.param(2 * DAY, "2d", id="2d: from 48 hours"),
        pytest.param(2 * DAY + HOUR, "2d1h", id="2d1h"),
        pytest.param(8 * DAY, "8d", id="8d: hours dropped from 8 days"),
        pytest.param(2 * YEAR, "2y", id="2y: from 2*365 days"),
        pytest.param(2 * YEAR + DAY, "2y1d", id="2y1d"),
        pytest.param(8 * YEAR, "8y", id="8y: days dropped from 8 years"),
        pytest.param(-1, "0s", id="-1: clock skew tolerated"),
        pytest.param(-2, "<invalid>", id="-2: invalid"),
    ],
)
def test_human_duration(seconds: int, text: str) -> None:
    """human_duration matches apimachinery's HumanDuration at each threshold."""
    assert human_duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        pytest.param(119.9, "119s", id="119.9s truncates"),
        pytest.param(-1.9, "0s", id="-1.9s truncates toward zero"),
        pytest.param(150.5, "2m30s", id="150.5s"),
    ],
)
def test_human_duration_fractional_seconds(seconds: float, text: str) -> None:
    """Fractions of a second are truncated toward zero, as Go's int(d.Seconds()) does."""
    assert human_duration(seconds) == text


# ---------------------------------------------------------------------------------------------
# pod_phase: inferred kubelet inputs
# ---------------------------------------------------------------------------------------------


def _pod(
    *,
    policy: str = "Always",
    containers: list[dict[str, Any]] | None = None,
    init: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
    init_statuses: list[dict[str, Any]] | None = None,
    phase: str | None = None,
    deleted: bool = False,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "p"}
    if deleted:
        metadata["deletionTimestamp"] = "2026-11-23T10:05:30Z"
    if annotations:
        metadata["annotations"] = annotations
    spec: dict[str, Any] = {"restartPolicy": policy, "containers": containers or [{"name": "a"}]}
    if init is not None:
        spec["initContainers"] = init
    status: dict[str, Any] = {}
    if phase is not None:
        status["phase"] = phase
    if statuses is not None:
        status["containerStatuses"] = statuses
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status}


def _terminated(name: str, code: int) -> dict[str, Any]:
    return {"name": name, "ready": False, "restartCount": 0, "state": {"terminated": {"exitCode": code}}}


def _running(name: str, *, started: bool = True, ready: bool = True) -> dict[str, Any]:
    return {"name": name, "ready": ready, "started": started, "restartCount": 0, "state": {"running": {}}}


@pytest.mark.parametrize(
    ("pod", "expected"),
    [
        pytest.param(
            _pod(statuses=[_terminated("a", 0)]), "Running", id="Always, exited 0, not deleted: restarting"
        ),
        pytest.param(
            _pod(statuses=[_terminated("a", 1)]), "Running", id="Always, exited 1, not deleted: restarting"
        ),
        pytest.param(
            _pod(statuses=[_terminated("a", 0)], deleted=True), "Succeeded", id="deleted, all exited 0"
        ),
        pytest.param(
            _pod(statuses=[_terminated("a", 1)], deleted=True), "Failed", id="deleted, one exited 1"
        ),
        pytest.param(
            _pod(
                containers=[{"name": "a"}, {"name": "b"}],
                statuses=[_terminated("a", 0), _terminated("b", 137)],
                deleted=True,
            ),
            "Failed",
            id="deleted, one of two killed",
        ),
        pytest.param(
            _pod(
                init=[{"name": "proxy", "restartPolicy": "Always"}],
                init_statuses=[_terminated("proxy", 137)],
                statuses=[_terminated("a", 0)],
                deleted=True,
            ),
            "Succeeded",
            id="deleted, sidecar killed is ignored",
        ),
        pytest.param(
            _pod(statuses=[_terminated("a", 0)], phase="Failed"),
            "Succeeded",
            id="terminal status.phase also means terminal",
        ),
        pytest.param(
            _pod(
                statuses=[_terminated("a", 0)],
                deleted=True,
                annotations={"kubernetes.io/config.source": "file"},
            ),
            "Running",
            id="static pod excluded (TODO #116484)",
        ),
        pytest.param(
            _pod(statuses=[_running("a")], deleted=True),
            "Running",
            id="deleted but still running",
        ),
    ],
)
def test_pod_is_terminal_inferred(pod: dict[str, Any], expected: str) -> None:
    """pod_is_terminal is inferred from deletionTimestamp or a terminal status.phase (getPhase's all-stopped branch)."""
    assert pod_phase(pod) == expected


def test_explicit_pod_is_terminal_overrides_inference() -> None:
    """An explicit pod_is_terminal wins over what the object suggests, in both directions."""
    deleted = _pod(statuses=[_terminated("a", 0)], deleted=True)
    assert pod_phase(deleted, pod_is_terminal=False) == PodPhase.RUNNING
    alive = _pod(statuses=[_terminated("a", 1)])
    assert pod_phase(alive, pod_is_terminal=True) == PodPhase.FAILED


def _sidecar_pod(regular_status: dict[str, Any] | None) -> dict[str, Any]:
    """A pod whose sidecar runs but has not passed its startup probe, and one regular container."""
    return _pod(
        init=[{"name": "proxy", "restartPolicy": "Always"}],
        init_statuses=[_running("proxy", started=False, ready=False)],
        statuses=[regular_status] if regular_status is not None else [],
    )


@pytest.mark.parametrize(
    ("pod", "override", "expected"),
    [
        pytest.param(
            _sidecar_pod(_running("a")), None, "Running", id="regular running: inferred initialized"
        ),
        pytest.param(
            _sidecar_pod(_terminated("a", 0)), None, "Running", id="regular terminated: inferred initialized"
        ),
        pytest.param(
            _sidecar_pod(_running("a")), False, "Pending", id="regular running, told not initialized"
        ),
        pytest.param(
            _sidecar_pod(
                {
                    "name": "a",
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}},
                    "ready": False,
                    "restartCount": 3,
                }
            ),
            None,
            "Running",
            id="regular crash-looping (last termination shown): inferred initialized",
        ),
        pytest.param(
            _sidecar_pod(
                {"name": "a", "state": {"waiting": {"reason": "ContainerCreating"}}, "ready": False}
            ),
            None,
            "Pending",
            id="regular waiting, never ran: not initialized",
        ),
        pytest.param(_sidecar_pod(None), None, "Pending", id="no regular status: not initialized"),
        pytest.param(_sidecar_pod(None), True, "Pending", id="no regular status: unknown keeps Pending"),
    ],
)
def test_pod_has_initialized_inferred(pod: dict[str, Any], override: bool | None, expected: str) -> None:
    """pod_has_initialized defaults to HasAnyActiveRegularContainerStarted read off the object (an
    instance of a regular container: running, terminated or a last termination); a non-started sidecar
    blocks only before it."""
    assert pod_phase(pod, pod_has_initialized=override) == expected


# ---------------------------------------------------------------------------------------------
# pod_conditions: nil vs empty statuses
# ---------------------------------------------------------------------------------------------


def test_conditions_nil_statuses() -> None:
    """Both status keys absent is Go nil: ContainersReady and Ready are False/UnknownContainerStatuses."""
    conditions = pod_conditions(_pod())
    assert conditions["ContainersReady"] == Condition("False", "UnknownContainerStatuses")
    assert conditions["Ready"] == Condition("False", "UnknownContainerStatuses")
    assert conditions["Initialized"] == Condition("True")  # no init containers to be unknown


def test_conditions_nil_statuses_with_init_containers() -> None:
    """Nil statuses with init containers make Initialized False/UnknownContainerStatuses too."""
    conditions = pod_conditions(_pod(init=[{"name": "setup"}]))
    assert conditions["Initialized"] == Condition("False", "UnknownContainerStatuses")


@pytest.mark.parametrize(
    "pod",
    [
        pytest.param(_pod(statuses=[]), id="containerStatuses []"),
        pytest.param(_pod(init_statuses=[]), id="initContainerStatuses [] only"),
    ],
)
def test_conditions_empty_statuses(pod: dict[str, Any]) -> None:
    """A present but empty status list is not nil: the container is listed as unknown by name."""
    conditions = pod_conditions(pod)
    expected = Condition("False", "ContainersNotReady", "containers with unknown status: [a]")
    assert conditions["ContainersReady"] == expected
    assert conditions["Ready"] == expected


def test_conditions_empty_statuses_with_init_containers() -> None:
    """Empty statuses with an init container: Initialized lists it as unknown (ContainersNotInitialized)."""
    conditions = pod_conditions(_pod(init=[{"name": "setup"}], statuses=[]))
    assert conditions["Initialized"] == Condition(
        "False", "ContainersNotInitialized", "containers with unknown status: [setup]"
    )


# ---------------------------------------------------------------------------------------------
# should_restart
# ---------------------------------------------------------------------------------------------


def _crash_looping(code: int, policy: str, *, deleted: bool = False) -> dict[str, Any]:
    status = {
        "name": "a",
        "ready": False,
        "restartCount": 3,
        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"exitCode": code, "reason": "Error" if code else "Completed"}},
    }
    return _pod(policy=policy, statuses=[status], deleted=deleted)


@pytest.mark.parametrize(
    ("policy", "code", "expected"),
    [
        pytest.param("Always", 0, True, id="Always, last exit 0"),
        pytest.param("Always", 1, True, id="Always, last exit 1"),
        pytest.param("OnFailure", 0, False, id="OnFailure, last exit 0"),
        pytest.param("OnFailure", 1, True, id="OnFailure, last exit 1"),
        pytest.param("Never", 0, False, id="Never, last exit 0"),
        pytest.param("Never", 1, False, id="Never, last exit 1"),
    ],
)
def test_should_restart_waiting_with_last_termination(policy: str, code: int, expected: bool) -> None:
    """A waiting container's lastState.terminated is the exited instance judged by the pod restartPolicy."""
    assert should_restart(_crash_looping(code, policy), "a") is expected


@pytest.mark.parametrize("policy", ["Always", "OnFailure", "Never"])
def test_should_restart_waiting_without_last_termination(policy: str) -> None:
    """A waiting container that never exited is runtime Created: always (re)started whatever the policy."""
    pod = _pod(
        policy=policy, statuses=[{"name": "a", "ready": False, "restartCount": 0, "state": {"waiting": {}}}]
    )
    assert should_restart(pod, "a") is True


@pytest.mark.parametrize("policy", ["Always", "OnFailure", "Never"])
def test_should_restart_nothing_when_deleted(policy: str) -> None:
    """A pod with a deletionTimestamp restarts nothing, even a failed container under Always."""
    assert should_restart(_crash_looping(1, policy, deleted=True), "a") is False


# ---------------------------------------------------------------------------------------------
# pod_summary / reported_phase: terminal phases are sticky
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pod", "computed", "reported"),
    [
        pytest.param(
            _pod(statuses=[_running("a")], phase="Failed"),
            "Running",
            "Failed",
            id="Failed kept while running",
        ),
        pytest.param(
            _pod(policy="Never", statuses=[_terminated("a", 1)], phase="Succeeded"),
            "Failed",
            "Succeeded",
            id="Succeeded kept though exit 1",
        ),
        pytest.param(
            _pod(policy="Never", statuses=[_terminated("a", 0)], phase="Running"),
            "Succeeded",
            "Succeeded",
            id="non-terminal phase is recomputed",
        ),
    ],
)
def test_reported_phase_keeps_terminal_status_phase(
    pod: dict[str, Any], computed: str, reported: str
) -> None:
    """reported_phase keeps a terminal status.phase ("not allowed to transition out of terminal phases")."""
    assert pod_phase(pod) == computed
    assert reported_phase(pod) == reported


def test_pod_summary_uses_the_reported_phase() -> None:
    """pod_summary reports the sticky terminal phase and computes conditions with it (PodFailed)."""
    pod = _pod(statuses=[_running("a")], phase="Failed")
    summary = pod_summary(pod)
    assert summary["phase"] == "Failed"
    assert summary["conditions"]["ContainersReady"] == {
        "status": "False",
        "reason": "PodFailed",
        "message": "",
    }
    assert summary["conditions"]["Ready"] == {"status": "False", "reason": "PodFailed", "message": ""}
    # kubectl's STATUS is printed from the object, independently of the phase podfsm reports.
    assert summary["status"] == "Failed"
    assert summary["ready"] == "1/1"
