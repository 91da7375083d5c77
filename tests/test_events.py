"""podfsm.events: the mapping form of every event (parsing, validation, round trip), ``repr`` as
pasteable Python, hashability, and scripts with their step numbers in errors.

The allowed reasons are the ones Kubernetes uses (k8s-semantics.md §3.3): image pull failures
from ``pkg/kubelet/images/types.go``, create/start failures from ``kuberuntime_container.go``
and containerd, terminated reasons ``Completed`` (exit 0), ``Error`` (non-zero) and
``OOMKilled`` from the CRI runtime; exit codes are 0..255.

Constructing an event validates it exactly as a script's step is validated (``Tick(seconds=-5)``
raises the ``ManifestError`` a script gets); a tick is at most ``MAX_TICK_SECONDS`` (2**31 - 1 s).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import podfsm.events
from podfsm.errors import ManifestError
from podfsm.events import (
    EVENT_TYPES,
    MAX_TICK_SECONDS,
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    HookFinished,
    ImagePulled,
    ImagePullFailed,
    NodeDeleted,
    NodeHeartbeat,
    NodeHeartbeatsStop,
    NodeOutOfService,
    NodePressure,
    PodCondition,
    ProbeResult,
    Schedule,
    Tick,
    Unschedulable,
    event_from_dict,
    event_to_dict,
    events_from_script,
)

# Valid mappings, in canonical form (defaults omitted), with the event each one means.
VALID: list[tuple[str, dict[str, Any], Event]] = [
    ("schedule", {"event": "schedule", "node": "node-1"}, Schedule("node-1")),
    (
        "schedule-images",
        {"event": "schedule", "node": "node-1", "images": ["nginx:1.27", "busybox"]},
        Schedule("node-1", ("nginx:1.27", "busybox")),
    ),
    ("unschedulable", {"event": "unschedulable"}, Unschedulable()),
    (
        "unschedulable-message",
        {"event": "unschedulable", "message": "0/3 nodes are available"},
        Unschedulable("0/3 nodes are available"),
    ),
    ("image_pulled", {"event": "image_pulled", "container": "app"}, ImagePulled("app")),
    ("image_pull_failed", {"event": "image_pull_failed", "container": "app"}, ImagePullFailed("app")),
    (
        "image_pull_failed-full",
        {
            "event": "image_pull_failed",
            "container": "app",
            "reason": "InvalidImageName",
            "message": 'couldn\'t parse image name "Nginx"',
        },
        ImagePullFailed("app", "InvalidImageName", 'couldn\'t parse image name "Nginx"'),
    ),
    ("container_started", {"event": "container_started", "container": "app"}, ContainerStarted("app")),
    (
        "container_start_failed",
        {"event": "container_start_failed", "container": "app", "reason": "CreateContainerConfigError"},
        ContainerStartFailed("app", "CreateContainerConfigError"),
    ),
    (
        "container_start_failed-message",
        {
            "event": "container_start_failed",
            "container": "app",
            "reason": "StartError",
            "message": 'exec: "nope": executable file not found in $PATH',
        },
        ContainerStartFailed("app", "StartError", 'exec: "nope": executable file not found in $PATH'),
    ),
    (
        "container_exited",
        {"event": "container_exited", "container": "app", "exit_code": 0},
        ContainerExited("app", 0),
    ),
    (
        "container_exited-255",
        {"event": "container_exited", "container": "app", "exit_code": 255},
        ContainerExited("app", 255),
    ),
    (
        "container_exited-oom",
        {"event": "container_exited", "container": "app", "exit_code": 137, "reason": "OOMKilled"},
        ContainerExited("app", 137, "OOMKilled"),
    ),
    (
        "container_exited-message",
        {"event": "container_exited", "container": "app", "exit_code": 1, "message": "panic: no config"},
        ContainerExited("app", 1, message="panic: no config"),
    ),
    (
        "container_exited-completed",
        {"event": "container_exited", "container": "app", "exit_code": 0, "reason": "Completed"},
        ContainerExited("app", 0, "Completed"),
    ),
    (
        "container_exited-error",
        {"event": "container_exited", "container": "app", "exit_code": 2, "reason": "Error"},
        ContainerExited("app", 2, "Error"),
    ),
    (
        "probe",
        {"event": "probe", "container": "app", "probe": "liveness", "result": "failure"},
        ProbeResult("app", "liveness", "failure"),
    ),
    (
        "probe-message-pod",
        {
            "event": "probe",
            "pod": "web",
            "container": "app",
            "probe": "readiness",
            "result": "success",
            "message": "ok",
        },
        ProbeResult("app", "readiness", "success", "ok", pod="web"),
    ),
    (
        "hook",
        {"event": "hook_finished", "container": "app", "hook": "preStop", "result": "success"},
        HookFinished("app", "preStop", "success"),
    ),
    ("delete", {"event": "delete"}, Delete()),
    ("delete-force", {"event": "delete", "grace_period_seconds": 0}, Delete(0)),
    ("evict", {"event": "evict", "pod": "web"}, Evict(pod="web")),
    ("tick", {"event": "tick", "seconds": 10}, Tick(10)),
    ("tick-zero", {"event": "tick", "seconds": 0}, Tick(0)),
    ("node_heartbeat", {"event": "node_heartbeat", "ready": True}, NodeHeartbeat(ready=True)),
    ("node_heartbeat-not-ready", {"event": "node_heartbeat", "ready": False}, NodeHeartbeat(ready=False)),
    ("node_heartbeats_stop", {"event": "node_heartbeats_stop"}, NodeHeartbeatsStop()),
    (
        "node_pressure",
        {"event": "node_pressure", "type": "memory", "active": True},
        NodePressure(type="memory", active=True),
    ),
    ("node_deleted", {"event": "node_deleted"}, NodeDeleted()),
    ("node_out_of_service", {"event": "node_out_of_service"}, NodeOutOfService()),
    (
        "pod_condition",
        {"event": "pod_condition", "type": "example.com/lb", "status": "True", "reason": "Ready"},
        PodCondition(type="example.com/lb", status="True", reason="Ready"),
    ),
]

# (id, mapping, the field the message must start with)
INVALID: list[tuple[str, Any, str]] = [
    ("unknown-event", {"event": "restart", "container": "app"}, "event"),
    ("no-event-key", {"container": "app"}, "event"),
    ("event-not-a-string", {"event": 3}, "event"),
    # missing required fields
    ("schedule-no-node", {"event": "schedule"}, "node"),
    ("image_pulled-no-container", {"event": "image_pulled"}, "container"),
    ("image_pull_failed-no-container", {"event": "image_pull_failed"}, "container"),
    ("container_started-no-container", {"event": "container_started"}, "container"),
    (
        "container_start_failed-no-container",
        {"event": "container_start_failed", "reason": "StartError"},
        "container",
    ),
    ("container_start_failed-no-reason", {"event": "container_start_failed", "container": "app"}, "reason"),
    ("container_exited-no-container", {"event": "container_exited", "exit_code": 1}, "container"),
    ("container_exited-no-exit_code", {"event": "container_exited", "container": "app"}, "exit_code"),
    ("tick-no-seconds", {"event": "tick"}, "seconds"),
    # unknown fields
    ("schedule-unknown", {"event": "schedule", "node": "n", "nodeName": "n"}, "nodeName"),
    ("unschedulable-unknown", {"event": "unschedulable", "reason": "Unschedulable"}, "reason"),
    ("image_pulled-unknown", {"event": "image_pulled", "container": "app", "image": "x"}, "image"),
    ("image_pull_failed-unknown", {"event": "image_pull_failed", "container": "app", "code": 1}, "code"),
    ("container_started-unknown", {"event": "container_started", "container": "app", "pid": 1}, "pid"),
    (
        "container_start_failed-unknown",
        {"event": "container_start_failed", "container": "app", "reason": "StartError", "exit_code": 128},
        "exit_code",
    ),
    (
        "container_exited-unknown",
        {"event": "container_exited", "container": "app", "exit_code": 1, "signal": 9},
        "signal",
    ),
    ("tick-unknown", {"event": "tick", "seconds": 1, "minutes": 1}, "minutes"),
    # wrong types
    ("schedule-node-int", {"event": "schedule", "node": 1}, "node"),
    ("schedule-node-empty", {"event": "schedule", "node": ""}, "node"),
    ("schedule-images-string", {"event": "schedule", "node": "n", "images": "nginx"}, "images"),
    ("schedule-images-int-item", {"event": "schedule", "node": "n", "images": ["nginx", 1]}, "images"),
    ("unschedulable-message-int", {"event": "unschedulable", "message": 3}, "message"),
    ("image_pulled-container-int", {"event": "image_pulled", "container": 7}, "container"),
    ("image_pulled-container-none", {"event": "image_pulled", "container": None}, "container"),
    (
        "image_pull_failed-message-list",
        {"event": "image_pull_failed", "container": "app", "message": ["x"]},
        "message",
    ),
    ("container_started-container-list", {"event": "container_started", "container": ["app"]}, "container"),
    (
        "container_start_failed-reason-int",
        {"event": "container_start_failed", "container": "app", "reason": 1},
        "reason",
    ),
    (
        "container_exited-exit_code-bool",
        {"event": "container_exited", "container": "app", "exit_code": True},
        "exit_code",
    ),
    (
        "container_exited-exit_code-str",
        {"event": "container_exited", "container": "app", "exit_code": "1"},
        "exit_code",
    ),
    (
        "container_exited-exit_code-float",
        {"event": "container_exited", "container": "app", "exit_code": 1.0},
        "exit_code",
    ),
    (
        "container_exited-reason-int",
        {"event": "container_exited", "container": "app", "exit_code": 1, "reason": 1},
        "reason",
    ),
    ("tick-seconds-bool", {"event": "tick", "seconds": False}, "seconds"),
    ("tick-seconds-str", {"event": "tick", "seconds": "10s"}, "seconds"),
    ("tick-seconds-float", {"event": "tick", "seconds": 1.5}, "seconds"),
    # values the types cannot express
    ("tick-negative", {"event": "tick", "seconds": -1}, "seconds"),
    ("probe-kind", {"event": "probe", "container": "a", "probe": "Liveness", "result": "failure"}, "probe"),
    ("probe-result", {"event": "probe", "container": "a", "probe": "liveness", "result": "failed"}, "result"),
    (
        "hook-kind",
        {"event": "hook_finished", "container": "a", "hook": "prestop", "result": "success"},
        "hook",
    ),
    ("delete-negative", {"event": "delete", "grace_period_seconds": -1}, "grace_period_seconds"),
    ("delete-grace-str", {"event": "delete", "grace_period_seconds": "30"}, "grace_period_seconds"),
    ("pod-not-str", {"event": "evict", "pod": 3}, "pod"),
    ("exit_code-256", {"event": "container_exited", "container": "app", "exit_code": 256}, "exit_code"),
    ("exit_code-negative", {"event": "container_exited", "container": "app", "exit_code": -1}, "exit_code"),
    (
        "image_pull_failed-reason",
        {"event": "image_pull_failed", "container": "app", "reason": "ImagePullBackOff"},
        "reason",
    ),
    (
        "container_start_failed-reason",
        {"event": "container_start_failed", "container": "app", "reason": "CrashLoopBackOff"},
        "reason",
    ),
    (
        "container_exited-reason",
        {"event": "container_exited", "container": "app", "exit_code": 1, "reason": "Killed"},
        "reason",
    ),
    (
        "completed-nonzero",
        {"event": "container_exited", "container": "app", "exit_code": 1, "reason": "Completed"},
        "reason",
    ),
    (
        "error-zero",
        {"event": "container_exited", "container": "app", "exit_code": 0, "reason": "Error"},
        "reason",
    ),
    ("node_heartbeat-no-ready", {"event": "node_heartbeat"}, "ready"),
    ("node_heartbeat-ready-string", {"event": "node_heartbeat", "ready": "true"}, "ready"),
    ("node_pressure-type", {"event": "node_pressure", "type": "cpu", "active": True}, "type"),
    ("node_pressure-active-int", {"event": "node_pressure", "type": "pid", "active": 1}, "active"),
    (
        "pod_condition-kubelet-owned",
        {"event": "pod_condition", "type": "Ready", "status": "True"},
        "type",
    ),
    (
        "pod_condition-resize-owned",
        {"event": "pod_condition", "type": "PodResizePending", "status": "True"},
        "type",
    ),
    (
        "pod_condition-disruption",
        {"event": "pod_condition", "type": "DisruptionTarget", "status": "True"},
        "type",
    ),
    (
        "pod_condition-status",
        {"event": "pod_condition", "type": "x.io/a", "status": "Yes"},
        "status",
    ),
    ("pod_condition-yaml-bool", {"event": "pod_condition", "type": "x.io/a", "status": True}, "status"),
    ("pod_condition-no-type", {"event": "pod_condition", "type": "", "status": "True"}, "type"),
]


def test_every_event_kind_has_valid_cases() -> None:
    """The valid table covers every event kind podfsm knows."""
    assert {type(e) for _, _, e in VALID} == set(EVENT_TYPES.values())


@pytest.mark.parametrize(("data", "expected"), [pytest.param(d, e, id=i) for i, d, e in VALID])
def test_event_from_dict_valid(data: dict[str, Any], expected: Event) -> None:
    """A valid mapping parses to the expected event, of the class its NAME says."""
    event = event_from_dict(data)
    assert event == expected
    assert type(event) is EVENT_TYPES[data["event"]]


@pytest.mark.parametrize(("data", "field"), [pytest.param(d, f, id=i) for i, d, f in INVALID])
def test_event_from_dict_invalid_names_the_field(data: Any, field: str) -> None:
    """Bad input raises ValueError whose message starts with the offending field's name."""
    with pytest.raises(ValueError) as exc:
        event_from_dict(data)
    assert str(exc.value).startswith(f"{field}: "), str(exc.value)


@pytest.mark.parametrize("data", [pytest.param(x, id=type(x).__name__) for x in (["tick"], "tick", None, 3)])
def test_event_from_dict_rejects_non_mappings(data: Any) -> None:
    """Something that is not a mapping is a ValueError, not a crash."""
    with pytest.raises(ValueError, match="mapping"):
        event_from_dict(data)


@pytest.mark.parametrize("data", [pytest.param(d, id=i) for i, d, _ in VALID])
def test_event_to_dict_round_trips(data: dict[str, Any]) -> None:
    """event_to_dict(event_from_dict(d)) gives back d, and parsing that again gives the same event."""
    event = event_from_dict(data)
    assert event_to_dict(event) == data
    assert event_from_dict(event_to_dict(event)) == event


def test_explicit_defaults_parse_to_the_same_event() -> None:
    """Spelling out a default (reason null, images []) means the same event as leaving it out."""
    assert event_from_dict(
        {"event": "container_exited", "container": "a", "exit_code": 1, "reason": None}
    ) == ContainerExited("a", 1)
    assert event_from_dict({"event": "schedule", "node": "n", "images": []}) == Schedule("n")


@pytest.mark.parametrize("event", [pytest.param(e, id=i) for i, _, e in VALID])
def test_repr_is_python_that_evaluates_back(event: Event) -> None:
    """repr(event) is a constructor call that evaluates, in podfsm.events, to an equal event."""
    text = repr(event)
    assert text.startswith(f"{type(event).__name__}(")
    assert eval(text, vars(podfsm.events)) == event


def test_repr_omits_defaults_and_keeps_required_fields() -> None:
    """repr shows what differs from the defaults, and required fields always."""
    assert repr(ContainerExited("app", 1)) == "ContainerExited(container='app', exit_code=1)"
    assert repr(Unschedulable()) == "Unschedulable()"
    assert repr(Tick(0)) == "Tick(seconds=0)"
    assert repr(Schedule("n", ("a",))) == "Schedule(node='n', images=('a',))"


def test_events_are_hashable_and_frozen() -> None:
    """Events hash consistently with equality (usable in sets and as dict keys) and cannot be mutated."""
    events = [e for _, _, e in VALID]
    again = [event_from_dict(d) for _, d, _ in VALID]
    assert {hash(e) for e in events} == {hash(e) for e in again}
    assert set(events) == set(again)
    assert len(set(events)) == len(events)
    with pytest.raises(dataclasses.FrozenInstanceError):
        events[0].node = "other"  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Scripts
# ---------------------------------------------------------------------------------------------

SCRIPT = [
    {"event": "schedule", "node": "node-1"},
    {"event": "image_pulled", "container": "app"},
    {"event": "container_started", "container": "app"},
    {"event": "tick", "seconds": 5},
]
EXPECTED = [Schedule("node-1"), ImagePulled("app"), ContainerStarted("app"), Tick(5)]


@pytest.mark.parametrize(
    "docs",
    [
        pytest.param([SCRIPT], id="list"),
        pytest.param([{"events": SCRIPT}], id="events-mapping"),
        pytest.param(SCRIPT, id="one-event-per-document"),
    ],
)
def test_events_from_script_accepts_a_list_or_an_events_mapping(docs: list[Any]) -> None:
    """A script is a list of events or {events: [...]}: each step numbered from 1, with its mapping as given."""
    steps = events_from_script(docs, "script.yaml")
    assert [n for n, _, _ in steps] == [1, 2, 3, 4]
    assert [given for _, given, _ in steps] == SCRIPT
    assert [e for _, _, e in steps] == EXPECTED


def test_events_from_script_empty_list() -> None:
    """An empty script is valid and has no steps."""
    assert events_from_script([[]], "s.yaml") == []


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        pytest.param({"event": "explode"}, "event", id="unknown-event"),
        pytest.param({"event": "container_exited", "container": "app"}, "exit_code", id="missing-field"),
        pytest.param({"event": "tick", "seconds": -5}, "seconds", id="negative-tick"),
        pytest.param("tick", "an event must be a mapping", id="not-a-mapping"),
    ],
)
@pytest.mark.parametrize("wrap", [pytest.param(False, id="list"), pytest.param(True, id="events-mapping")])
def test_events_from_script_reports_the_step(bad: Any, field: str, wrap: bool) -> None:
    """A bad step raises ManifestError naming the script, the 1-based step number and the field."""
    items = [*SCRIPT[:2], bad, SCRIPT[3]]
    docs = [{"events": items}] if wrap else [items]
    with pytest.raises(ManifestError) as exc:
        events_from_script(docs, "script.yaml")
    assert str(exc.value).startswith(f"script.yaml: step 3: {field}")


@pytest.mark.parametrize(
    "docs",
    [
        pytest.param([{"event": "tick", "seconds": 1}, 5], id="documents-with-a-non-mapping"),
        pytest.param([{"events": {"event": "tick", "seconds": 1}}], id="events-not-a-list"),
        pytest.param(["tick"], id="string"),
        pytest.param([{"event": "tick", "seconds": 1}], id="one-event-mapping"),
    ],
)
def test_events_from_script_rejects_other_shapes(docs: list[Any]) -> None:
    """Anything but a list of events or {events: [...]} is a ManifestError naming the script."""
    with pytest.raises(ManifestError, match=r"^s\.yaml: "):
        events_from_script(docs, "s.yaml")


# ---------------------------------------------------------------------------------------------
# Construction validates, exactly as a script's step is validated
# ---------------------------------------------------------------------------------------------

# (id, constructor call, the mapping a script would give for it)
BAD_CONSTRUCTIONS: list[tuple[str, Any, dict[str, Any]]] = [
    ("tick-negative", lambda: Tick(seconds=-5), {"event": "tick", "seconds": -5}),
    ("tick-str", lambda: Tick(seconds="5"), {"event": "tick", "seconds": "5"}),
    ("tick-bool", lambda: Tick(seconds=True), {"event": "tick", "seconds": True}),
    ("tick-float", lambda: Tick(seconds=1.5), {"event": "tick", "seconds": 1.5}),
    ("tick-huge", lambda: Tick(3 * 10**11), {"event": "tick", "seconds": 3 * 10**11}),
    ("tick-10e20", lambda: Tick(10**20), {"event": "tick", "seconds": 10**20}),
    (
        "exit-code-huge",
        lambda: ContainerExited(container="a", exit_code=10**20),
        {"event": "container_exited", "container": "a", "exit_code": 10**20},
    ),
    (
        "exit-code-negative",
        lambda: ContainerExited("a", -1),
        {"event": "container_exited", "container": "a", "exit_code": -1},
    ),
    (
        "exit-code-str",
        lambda: ContainerExited("a", "1"),
        {"event": "container_exited", "container": "a", "exit_code": "1"},
    ),
    ("schedule-node-none", lambda: Schedule(node=None), {"event": "schedule", "node": None}),
    ("schedule-node-empty", lambda: Schedule(node=""), {"event": "schedule", "node": ""}),
    (
        "schedule-images-str",
        lambda: Schedule("n", "nginx"),
        {"event": "schedule", "node": "n", "images": "nginx"},
    ),
    ("delete-negative", lambda: Delete(-1), {"event": "delete", "grace_period_seconds": -1}),
    ("delete-huge", lambda: Delete(2**31), {"event": "delete", "grace_period_seconds": 2**31}),
    ("delete-str", lambda: Delete("30"), {"event": "delete", "grace_period_seconds": "30"}),
    ("container-int", lambda: ImagePulled(7), {"event": "image_pulled", "container": 7}),
    ("pod-int", lambda: Evict(pod=3), {"event": "evict", "pod": 3}),
    (
        "probe-kind",
        lambda: ProbeResult("a", "Liveness", "failure"),
        {"event": "probe", "container": "a", "probe": "Liveness", "result": "failure"},
    ),
    ("heartbeat-str", lambda: NodeHeartbeat(ready="true"), {"event": "node_heartbeat", "ready": "true"}),
    (
        "pod-condition-yaml-bool",
        lambda: PodCondition(type="x.io/a", status=True),
        {"event": "pod_condition", "type": "x.io/a", "status": True},
    ),
    (
        "completed-nonzero",
        lambda: ContainerExited("a", 1, "Completed"),
        {"event": "container_exited", "container": "a", "exit_code": 1, "reason": "Completed"},
    ),
]


@pytest.mark.parametrize(("build", "data"), [pytest.param(b, d, id=i) for i, b, d in BAD_CONSTRUCTIONS])
def test_constructor_validates_as_a_script_does(build: Any, data: dict[str, Any]) -> None:
    """Building an event with bad values raises ManifestError (a ValueError) with the very message a script gets."""
    with pytest.raises(ManifestError) as built:
        build()
    with pytest.raises(ManifestError) as parsed:
        event_from_dict(data)
    assert isinstance(built.value, ValueError)
    assert str(built.value) == str(parsed.value)
    with pytest.raises(ManifestError) as scripted:
        events_from_script([[data]], "script.yaml")
    assert str(scripted.value) == f"script.yaml: step 1: {built.value}"


def test_tick_bound_is_int32_and_says_so() -> None:
    """A tick is at most 2**31 - 1 s (the longest timer a pod can set); the message names the bound."""
    assert Tick(MAX_TICK_SECONDS).seconds == 2**31 - 1
    with pytest.raises(ManifestError) as exc:
        Tick(MAX_TICK_SECONDS + 1)
    assert str(exc.value) == (
        "seconds: must be at most 2147483647 (2**31 - 1 s, about 68 years) per tick (got 2147483648)"
    )


def test_a_list_of_images_becomes_a_tuple() -> None:
    """Schedule(images=[...]) stores a tuple: the event stays hashable and equal to the script's."""
    event = Schedule("n", ["a", "b"])  # type: ignore[arg-type]
    assert event.images == ("a", "b") and hash(event) == hash(Schedule("n", ("a", "b")))
    assert event == event_from_dict({"event": "schedule", "node": "n", "images": ["a", "b"]})


def test_validated_events_stay_frozen_with_python_reprs() -> None:
    """Validation on construction keeps events frozen, hashable, and their repr evaluable."""
    event = ContainerExited("app", 137, "OOMKilled", pod="web")
    assert eval(repr(event), vars(podfsm.events)) == event
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.exit_code = 1  # type: ignore[misc]
    assert dataclasses.replace(event, exit_code=1, reason=None) == ContainerExited("app", 1, pod="web")
    with pytest.raises(ManifestError, match=r"^exit_code: "):
        dataclasses.replace(event, exit_code=256)


def test_event_from_dict_does_not_read_type_hints_per_event(monkeypatch: pytest.MonkeyPatch) -> None:
    """event_from_dict and construction use per-class field checks computed once (get_type_hints is slow)."""
    for data in (d for _, d, _ in VALID):
        event_from_dict(data)  # every class's checks are built

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("get_type_hints called again")

    monkeypatch.setattr(podfsm.events, "get_type_hints", forbidden)
    for _, data, expected in VALID:
        assert event_from_dict(data) == expected


def test_strategies_candidates_construct_valid_events() -> None:
    """Hypothesis strategies' candidates are valid events, including a tick at the bound (no tick beyond it)."""
    from podfsm.api import Pod
    from podfsm.engine import compile_plan, enabled_events, initial
    from podfsm.verification import strategies

    plan = compile_plan(Pod.from_api({"spec": {"containers": [{"name": "app", "image": "app:1"}]}}))
    s = initial(plan)
    ticks = [e for e in strategies.candidates(plan, s, [Tick(MAX_TICK_SECONDS)]) if isinstance(e, Tick)]
    assert Tick(MAX_TICK_SECONDS) in ticks and all(t.seconds <= MAX_TICK_SECONDS for t in ticks)
    for event in strategies.candidates(plan, s, enabled_events(plan, s)):
        assert event_from_dict(event_to_dict(event)) == event
