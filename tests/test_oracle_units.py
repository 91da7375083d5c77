"""Unit tests of podfsm.oracle helpers that the ported upstream tables do not pin down.

* ``human_duration``: ``HumanDuration`` in
  ``staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go`` (kubernetes/kubernetes);
* ``pod_phase``: how ``pod_is_terminal`` and ``pod_has_initialized`` are inferred from the object
  (k8s-semantics.md §2.2);
* ``pod_conditions``: nil vs empty container statuses (§7);
* ``should_restart``: a waiting container with ``lastState.terminated`` (§3.4);
* ``pod_summary`` / ``reported_phase``: a terminal ``status.phase`` is sticky (§2.4);
* malformed objects: every function raises ``ManifestError`` naming the field, never a raw
  ``AttributeError`` / ``TypeError`` / ``KeyError``; ``should_restart`` on an unknown container
  raises ``UnknownContainer``; an unreadable ``now`` is a ``ManifestError``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest

from podfsm.enums import PodPhase
from podfsm.errors import ManifestError
from podfsm.oracle import (
    Condition,
    UnknownContainer,
    human_duration,
    kubectl_columns,
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


# ---------------------------------------------------------------------------------------------
# Malformed objects: typed errors naming the field, never a crash from deep inside
# ---------------------------------------------------------------------------------------------

_GOOD: dict[str, Any] = {
    "metadata": {"name": "web"},
    "spec": {
        "restartPolicy": "Always",
        "containers": [{"name": "app"}],
        "initContainers": [{"name": "init"}],
    },
    "status": {
        "phase": "Running",
        "initContainerStatuses": [{"name": "init", "state": {"terminated": {"exitCode": 0}}}],
        "containerStatuses": [
            {
                "name": "app",
                "ready": False,
                "restartCount": 4,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {
                    "terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-23T10:00:00Z"}
                },
            }
        ],
    },
}
_NOW = "2026-11-23T10:00:30Z"


def _broken(path: str, value: Any) -> dict[str, Any]:
    """``_GOOD`` with the field at ``path`` (dots; ``[i]`` list items) set to ``value``, or removed if ``value`` is ``...``."""
    pod = copy.deepcopy(_GOOD)
    parts = [int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "").split(".")]
    node: Any = pod
    for part in parts[:-1]:
        node = node[part]
    if value is ...:
        del node[parts[-1]]
    else:
        node[parts[-1]] = value
    return pod


ORACLE_CALLS: dict[str, Callable[[Any], object]] = {
    "pod_phase": pod_phase,
    "pod_conditions": pod_conditions,
    "kubectl_columns": lambda pod: kubectl_columns(pod, now=_NOW),
    "pod_summary": lambda pod: pod_summary(pod, now=_NOW),
    "should_restart": lambda pod: should_restart(pod, "app"),
    "reported_phase": reported_phase,
}

# (id, malformed pod, the field path the message must name)
MALFORMED: list[tuple[str, Any, str]] = [
    ("status-list", _broken("status", []), "status"),
    ("status-list-item", _broken("status", [{"phase": "Running"}]), "status"),
    ("status-string", _broken("status", "Running"), "status"),
    ("metadata-string", _broken("metadata", "web"), "metadata"),
    ("spec-list", _broken("spec", [{"name": "app"}]), "spec"),
    ("containers-dict", _broken("spec.containers", {"name": "app"}), "spec.containers"),
    ("containers-string", _broken("spec.containers", "app"), "spec.containers"),
    ("container-statuses-string", _broken("status.containerStatuses", "app"), "status.containerStatuses"),
    ("init-statuses-int", _broken("status.initContainerStatuses", 3), "status.initContainerStatuses"),
    ("state-list", _broken("status.containerStatuses[0].state", []), "status.containerStatuses[0].state"),
    (
        "state-list-item",
        _broken("status.containerStatuses[0].state", ["waiting"]),
        "status.containerStatuses[0].state",
    ),
    (
        "status-name-list",
        _broken("status.initContainerStatuses[0].name", ["init"]),
        "status.initContainerStatuses[0].name",
    ),
    ("status-entry-string", _broken("status.containerStatuses[0]", "app"), "status.containerStatuses[0]"),
]


@pytest.mark.parametrize("call", list(ORACLE_CALLS))
@pytest.mark.parametrize(("pod", "field"), [pytest.param(p, f, id=i) for i, p, f in MALFORMED])
def test_malformed_object_raises_manifest_error_naming_the_field(call: str, pod: Any, field: str) -> None:
    """Every oracle function raises ManifestError naming the malformed field (and the pod, when its name
    is readable), never a raw error."""
    with pytest.raises(ManifestError) as exc:
        ORACLE_CALLS[call](pod)
    named = "" if field == "metadata" else 'Pod "web": '
    assert str(exc.value).startswith(f"{named}{field}: "), str(exc.value)


@pytest.mark.parametrize(
    ("call", "pod", "field"),
    [
        pytest.param(
            "kubectl_columns",
            _broken("status.containerStatuses[0].restartCount", "4"),
            "status.containerStatuses[0].restartCount",
            id="restartCount-string",
        ),
        pytest.param(
            "pod_summary",
            _broken("status.containerStatuses[0].restartCount", "4"),
            "status.containerStatuses[0].restartCount",
            id="summary-restartCount-string",
        ),
        pytest.param(
            "kubectl_columns",
            _broken("status.containerStatuses[0].lastState.terminated.finishedAt", "yesterday"),
            "status.containerStatuses[0].lastState.terminated.finishedAt",
            id="finishedAt-not-a-time",
        ),
        pytest.param(
            "kubectl_columns",
            _broken("status.containerStatuses[0].state.waiting", ["CrashLoopBackOff"]),
            "status.containerStatuses[0].state.waiting",
            id="waiting-list",
        ),
        pytest.param(
            "pod_conditions",
            _broken("status.conditions", "Ready"),
            "status.conditions",
            id="conditions-string",
        ),
        pytest.param(
            "pod_phase",
            _broken("status.containerStatuses[0].name", 5),
            "status.containerStatuses[0].name",
            id="status-name-int",
        ),
        pytest.param(
            "pod_phase",
            _broken("status.initContainerStatuses[0].state.terminated.exitCode", "0"),
            "status.initContainerStatuses[0].state.terminated.exitCode",
            id="init-exitCode-string-phase",
        ),
        pytest.param(
            "kubectl_columns",
            _broken("status.initContainerStatuses[0].state.terminated.exitCode", "0"),
            "status.initContainerStatuses[0].state.terminated.exitCode",
            id="init-exitCode-string-columns",
        ),
        pytest.param(
            "should_restart",
            {
                **_broken("status.containerStatuses[0].lastState.terminated.exitCode", True),
                "spec": {**_GOOD["spec"], "restartPolicy": "OnFailure"},
            },
            "status.containerStatuses[0].lastState.terminated.exitCode",
            id="exitCode-bool-onfailure",
        ),
    ],
)
def test_malformed_field_a_function_reads_names_it(call: str, pod: Any, field: str) -> None:
    """A malformed field is reported, with its path, by the functions that read it."""
    with pytest.raises(ManifestError) as exc:
        ORACLE_CALLS[call](pod)
    assert str(exc.value).startswith(f'Pod "web": {field}: '), str(exc.value)


@pytest.mark.parametrize("call", list(ORACLE_CALLS))
@pytest.mark.parametrize("pod", [None, 3, "pod.yaml", ["web"]], ids=["None", "int", "str", "list"])
def test_not_a_pod_raises_manifest_error(call: str, pod: Any) -> None:
    """Something that is neither a mapping nor a podfsm.Pod is a ManifestError saying what was given."""
    with pytest.raises(ManifestError, match=r"^expected a v1 Pod as a mapping or a podfsm\.Pod \(got "):
        ORACLE_CALLS[call](pod)


def test_well_formed_pod_is_unaffected() -> None:
    """The README's crash-looping pod still reads as before: the checks only add errors."""
    assert pod_phase(_GOOD) == PodPhase.RUNNING
    assert kubectl_columns(_GOOD, now=_NOW).restarts_display == "4 (30s ago)"
    assert should_restart(_GOOD, "app") is True
    assert pod_summary(_GOOD)["status"] == "CrashLoopBackOff"


def test_oracle_reads_a_read_only_mapping() -> None:
    """Any Mapping is a pod, not only a dict: the typed signature's Mapping[str, Any]."""
    frozen = MappingProxyType({**_GOOD, "status": MappingProxyType(_GOOD["status"])})
    assert pod_phase(frozen) == PodPhase.RUNNING
    assert kubectl_columns(frozen).status == "CrashLoopBackOff"


@pytest.mark.parametrize("name", ["nope", "", 3, None])
def test_should_restart_unknown_container_raises(name: Any) -> None:
    """should_restart on a container the pod does not declare raises UnknownContainer (a KeyError and a
    ManifestError) naming it and listing the pod's containers, instead of answering True."""
    with pytest.raises(UnknownContainer) as exc:
        should_restart(_GOOD, name)
    assert isinstance(exc.value, KeyError) and isinstance(exc.value, ManifestError)
    assert str(exc.value) == f"container {name!r}: the pod has no such container (containers: init, app)"
    assert exc.value.known == ("init", "app")


def test_should_restart_init_container_is_known() -> None:
    """An init container is a container of the pod: should_restart answers for it (exited 0 under Always: restart)."""
    assert should_restart(_GOOD, "init") is True


@pytest.mark.parametrize("now", ["soon", "2026-13-45T99:00:00Z", 1700000000, ""])
def test_kubectl_columns_unreadable_now_raises(now: Any) -> None:
    """An unparseable now is a ManifestError naming now, even when the pod has no restart to show."""
    for pod in (_GOOD, _broken("status.containerStatuses[0].restartCount", 0)):
        with pytest.raises(ManifestError, match=r"^now: not an RFC 3339 time"):
            kubectl_columns(pod, now=now)


# ---------------------------------------------------------------------------------------------
# getPhase's typed projection, shared by the oracle and the model
# ---------------------------------------------------------------------------------------------


def test_count_phase_reads_the_typed_projection_row_by_row() -> None:
    """count_phase on ContainerFacts: a running unstarted sidecar is pending, a failed init
    container counts as failed_init, a restarting regular container counts as stopped."""
    from podfsm.oracle import ContainerFacts, PhaseCounts, count_phase, decide_phase

    facts = [
        ContainerFacts("sidecar", "running", started=False),
        ContainerFacts("init", "waiting", last_exit=1),
        ContainerFacts("regular", "waiting", last_exit=0),
        ContainerFacts("regular", ""),
    ]
    assert count_phase(facts) == PhaseCounts(
        pending_restartable_init=1, failed_init=1, running=1, stopped=1, unknown=1
    )
    assert decide_phase(count_phase(facts), "Never", False, False) == "Failed"
    assert decide_phase(count_phase(facts[2:3]), "Always", False, True) == "Running"


def test_pod_phase_is_count_phase_of_the_objects_facts() -> None:
    """pod_phase on an object agrees with the typed projection of the same statuses."""
    from podfsm.oracle import ContainerFacts, count_phase, decide_phase

    pod = {
        "spec": {"restartPolicy": "OnFailure", "containers": [{"name": "a"}, {"name": "b"}]},
        "status": {
            "containerStatuses": [
                {"name": "a", "state": {"terminated": {"exitCode": 0}}},
                {"name": "b", "state": {"terminated": {"exitCode": 2}}},
            ]
        },
    }
    facts = [ContainerFacts("regular", "terminated", 0), ContainerFacts("regular", "terminated", 2)]
    assert pod_phase(pod) == decide_phase(count_phase(facts), "OnFailure", False, True) == "Running"


def test_pod_report_reads_once_and_answers_as_the_three_functions() -> None:
    """pod_report (issue 12: one read of the object) gives what reported_phase, pod_conditions (on
    the object with that phase) and kubectl_columns give, on bench/oracle.py's seeded corpus."""
    import importlib.util
    import random
    import sys
    from pathlib import Path

    from podfsm.oracle import pod_report, reported_phase

    bench = Path(__file__).resolve().parent.parent / "bench"
    sys.path.insert(0, str(bench))
    try:
        spec = importlib.util.spec_from_file_location("bench_oracle", bench / "oracle.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(bench))
    rng = random.Random(7)
    for i in range(2000):
        pod = module.make_pod(rng, i)
        r = pod_report(pod, now="2026-11-23T12:00:00Z")
        phase = reported_phase(pod)
        assert r.phase == phase and r.name == pod["metadata"]["name"]
        assert r.conditions == pod_conditions({**pod, "status": {**pod["status"], "phase": str(phase)}})
        assert r.columns == kubectl_columns(pod, now="2026-11-23T12:00:00Z")
