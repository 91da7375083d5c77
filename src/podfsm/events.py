"""The event vocabulary: the environment's moves, as frozen, hashable dataclasses.

Events are what *happens to* a pod: the scheduler's answer, the container runtime's answers
(image pulled, container started, container exited) and time passing. The kubelet's own
decisions (start the next init container, restart after a back-off, give up under ``Never``)
are not events: the model takes them itself, deterministically.

Each event has a script name (``Event.NAME``) and a mapping form, so a script is a YAML or
JSON list such as ``[{"event": "schedule", "node": "node-1"}, {"event": "tick", "seconds": 10}]``.
``repr`` is valid Python (``ContainerExited(container='app', exit_code=1)``), so a failing
Hypothesis example prints as a program you can paste.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, get_type_hints

from podfsm.errors import ManifestError

__all__ = [
    "ContainerEvent",
    "ContainerExited",
    "ContainerStartFailed",
    "ContainerStarted",
    "Delete",
    "Event",
    "Evict",
    "HookFinished",
    "ImagePullFailed",
    "ImagePulled",
    "NodeDeleted",
    "NodeEvent",
    "NodeHeartbeat",
    "NodeHeartbeatsStop",
    "NodeOutOfService",
    "NodePressure",
    "PodCondition",
    "PodEvent",
    "ProbeResult",
    "Schedule",
    "Tick",
    "Unschedulable",
    "event_from_dict",
    "event_to_dict",
    "events_from_script",
]

# Waiting reasons an image pull can fail with (pkg/kubelet/images/types.go).
IMAGE_PULL_REASONS: Final = ("ErrImagePull", "InvalidImageName", "ImageInspectError", "RegistryUnavailable")
# Start failures (kuberuntime_container.go startContainer error vars, containerd's StartError).
CREATE_FAILURE_REASONS: Final = ("CreateContainerConfigError", "CreateContainerError")
START_FAILURE_REASONS: Final = ("RunContainerError", "StartError")
# Terminated reasons the CRI runtime reports (containerd completeExitReason / errorExitReason / OOM).
EXIT_REASONS: Final = ("Completed", "Error", "OOMKilled")
PROBE_KINDS: Final = ("startup", "liveness", "readiness")
HOOK_KINDS: Final = ("postStart", "preStop")
RESULTS: Final = ("success", "failure")


@dataclass(frozen=True, slots=True)
class Event:
    """Base class: one thing that happens to a pod. ``NAME`` is its script name."""

    NAME: ClassVar[str] = ""

    def __repr__(self) -> str:
        fields = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != f.default or f.default is dataclasses.MISSING
        ]
        return f"{type(self).__name__}({', '.join(fields)})"

    def validate(self) -> None:
        """Check values the types cannot express; raises ``ValueError`` naming the field."""


@dataclass(frozen=True, slots=True, repr=False)
class PodEvent(Event):
    """An event about one pod; ``pod`` names it when a simulation holds several pods."""

    pod: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True, repr=False)
class Schedule(PodEvent):
    """The scheduler binds the pod to ``node`` (``images``: images the node already has)."""

    NAME: ClassVar[str] = "schedule"
    node: str
    images: tuple[str, ...] = ()

    def validate(self) -> None:
        if not self.node:
            raise ValueError("node: must be a non-empty node name")


@dataclass(frozen=True, slots=True, repr=False)
class Unschedulable(PodEvent):
    """The scheduler finds no node for the pod (``FailedScheduling``)."""

    NAME: ClassVar[str] = "unschedulable"
    message: str = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."


@dataclass(frozen=True, slots=True, repr=False)
class ContainerEvent(PodEvent):
    """An event about one container of the pod, named by ``container``."""

    container: str


@dataclass(frozen=True, slots=True, repr=False)
class ImagePulled(ContainerEvent):
    """The runtime finished pulling ``container``'s image."""

    NAME: ClassVar[str] = "image_pulled"


@dataclass(frozen=True, slots=True, repr=False)
class ImagePullFailed(ContainerEvent):
    """The runtime failed to pull ``container``'s image."""

    NAME: ClassVar[str] = "image_pull_failed"
    reason: str = "ErrImagePull"
    message: str = ""

    def validate(self) -> None:
        _one_of("reason", self.reason, IMAGE_PULL_REASONS)


@dataclass(frozen=True, slots=True, repr=False)
class ContainerStarted(ContainerEvent):
    """The runtime created and started ``container``."""

    NAME: ClassVar[str] = "container_started"


@dataclass(frozen=True, slots=True, repr=False)
class ContainerStartFailed(ContainerEvent):
    """The runtime could not create or start ``container``."""

    NAME: ClassVar[str] = "container_start_failed"
    reason: str
    message: str = ""

    def validate(self) -> None:
        _one_of("reason", self.reason, CREATE_FAILURE_REASONS + START_FAILURE_REASONS)


@dataclass(frozen=True, slots=True, repr=False)
class ContainerExited(ContainerEvent):
    """``container``'s process exited with ``exit_code`` (reason as the runtime reports it;
    ``message``: its termination message, read from ``terminationMessagePath``, or the log tail
    under ``FallbackToLogsOnError``)."""

    NAME: ClassVar[str] = "container_exited"
    exit_code: int
    reason: str | None = None
    message: str = ""

    def validate(self) -> None:
        if not 0 <= self.exit_code <= 255:
            raise ValueError(f"exit_code: must be 0..255 (got {self.exit_code})")
        if self.reason is not None:
            _one_of("reason", self.reason, EXIT_REASONS)
            if self.reason == "Completed" and self.exit_code != 0:
                raise ValueError("reason: Completed is the runtime's reason for exit code 0 only")
            if self.reason == "Error" and self.exit_code == 0:
                raise ValueError("reason: Error is the runtime's reason for a non-zero exit code")

    @property
    def effective_reason(self) -> str:
        """The reason the runtime reports: as given, else Completed for 0 and Error otherwise."""
        return self.reason or ("Completed" if self.exit_code == 0 else "Error")


@dataclass(frozen=True, slots=True, repr=False)
class ProbeResult(ContainerEvent):
    """One run of ``container``'s ``probe`` (startup / liveness / readiness) gave ``result``.

    The model counts consecutive results against ``successThreshold`` / ``failureThreshold``.
    """

    NAME: ClassVar[str] = "probe"
    probe: str
    result: str
    message: str = ""

    def validate(self) -> None:
        _one_of("probe", self.probe, PROBE_KINDS)
        _one_of("result", self.result, RESULTS)


@dataclass(frozen=True, slots=True, repr=False)
class HookFinished(ContainerEvent):
    """``container``'s ``hook`` (postStart / preStop) handler returned ``result``."""

    NAME: ClassVar[str] = "hook_finished"
    hook: str
    result: str

    def validate(self) -> None:
        _one_of("hook", self.hook, HOOK_KINDS)
        _one_of("result", self.result, RESULTS)


@dataclass(frozen=True, slots=True, repr=False)
class Delete(PodEvent):
    """``kubectl delete pod`` (API DELETE): graceful unless ``grace_period_seconds`` is 0."""

    NAME: ClassVar[str] = "delete"
    grace_period_seconds: int | None = None

    def validate(self) -> None:
        if self.grace_period_seconds is not None and self.grace_period_seconds < 0:
            raise ValueError(f"grace_period_seconds: must be >= 0 (got {self.grace_period_seconds})")


@dataclass(frozen=True, slots=True, repr=False)
class Evict(PodEvent):
    """The Eviction API: a graceful delete that first adds ``DisruptionTarget`` (``EvictionByEvictionAPI``)."""

    NAME: ClassVar[str] = "evict"


# Condition types the kubelet owns: pkg/kubelet/types/pod_status.go PodConditionsByKubelet, plus
# PodReadyToStartContainers (PodConditionByKubelet, its gate on in v1.34). A status patch may not set them.
KUBELET_CONDITIONS: Final = (
    "PodScheduled",
    "Ready",
    "Initialized",
    "ContainersReady",
    "PodResizeInProgress",
    "PodResizePending",
    "PodReadyToStartContainers",
)
CONDITION_STATUSES: Final = ("True", "False", "Unknown")


@dataclass(frozen=True, slots=True, repr=False)
class PodCondition(PodEvent):
    """A controller patches a pod condition of its own (``status.conditions``), typically the
    condition of a readiness gate (``spec.readinessGates``): the kubelet keeps conditions it does not
    own (generateAPIPodStatus) and re-evaluates Ready with them (HandlePodReconcile,
    NeedToReconcilePodReadiness)."""

    NAME: ClassVar[str] = "pod_condition"
    type: str
    status: str
    reason: str = ""
    message: str = ""

    def validate(self) -> None:
        if not self.type:
            raise ValueError("type: must be a non-empty condition type")
        if self.type in KUBELET_CONDITIONS:
            raise ValueError(
                f"type: {self.type} is owned by the kubelet (PodConditionByKubelet), which overwrites it "
                "at every status update; pod_condition sets conditions of other controllers"
            )
        if self.type == "DisruptionTarget":
            raise ValueError(
                "type: DisruptionTarget is set by the evictions podfsm models: use evict, node events "
                "or node_pressure"
            )
        _one_of("status", self.status, CONDITION_STATUSES)


@dataclass(frozen=True, slots=True, repr=False)
class Tick(Event):
    """``seconds`` of logical time pass; every timer that falls due fires, in time order."""

    NAME: ClassVar[str] = "tick"
    seconds: int

    def validate(self) -> None:
        if self.seconds < 0:
            raise ValueError(f"seconds: must be >= 0; time never runs backwards (got {self.seconds})")


# Node events (podfsm.node, podfsm.cluster): what happens to the one node the pods run on.
PRESSURE_KINDS: Final = ("memory", "disk", "pid")


@dataclass(frozen=True, slots=True, repr=False)
class NodeEvent(Event):
    """An event about the node the pods are bound to (a simulation holds one node)."""


@dataclass(frozen=True, slots=True, repr=False)
class NodeHeartbeat(NodeEvent):
    """The kubelet posts node status again (lease renewed): ``Ready`` True, or False (``KubeletNotReady``)."""

    NAME: ClassVar[str] = "node_heartbeat"
    ready: bool


@dataclass(frozen=True, slots=True, repr=False)
class NodeHeartbeatsStop(NodeEvent):
    """The kubelet stops posting status and renewing its lease (node down, or partitioned)."""

    NAME: ClassVar[str] = "node_heartbeats_stop"


@dataclass(frozen=True, slots=True, repr=False)
class NodePressure(NodeEvent):
    """An eviction signal (memory / disk / pid) crosses its hard threshold (``active``) or goes back."""

    NAME: ClassVar[str] = "node_pressure"
    type: str
    active: bool

    def validate(self) -> None:
        _one_of("type", self.type, PRESSURE_KINDS)


@dataclass(frozen=True, slots=True, repr=False)
class NodeDeleted(NodeEvent):
    """The Node object is deleted (``kubectl delete node``)."""

    NAME: ClassVar[str] = "node_deleted"


@dataclass(frozen=True, slots=True, repr=False)
class NodeOutOfService(NodeEvent):
    """An admin adds the ``node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`` taint."""

    NAME: ClassVar[str] = "node_out_of_service"


EVENT_TYPES: Final[dict[str, type[Event]]] = {
    cls.NAME: cls
    for cls in (
        Schedule,
        Unschedulable,
        ImagePulled,
        ImagePullFailed,
        ContainerStarted,
        ContainerStartFailed,
        ContainerExited,
        ProbeResult,
        HookFinished,
        Delete,
        Evict,
        PodCondition,
        Tick,
        NodeHeartbeat,
        NodeHeartbeatsStop,
        NodePressure,
        NodeDeleted,
        NodeOutOfService,
    )
}


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}: must be one of {'/'.join(allowed)} (got {value!r})")


def _coerce(name: str, value: Any, hint: Any) -> Any:
    text = str(hint)
    if hint is bool or text == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{name}: must be true or false (got {value!r})")
        return value
    if hint is int or text == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name}: must be an integer (got {value!r})")
        return value
    if text in ("str", "<class 'str'>") or hint is str:
        if isinstance(value, bool):  # YAML reads True / False unquoted as booleans
            raise ValueError(f"{name}: must be a string (got {value!r}; quote it: '{value}')")
        if not isinstance(value, str):
            raise ValueError(f"{name}: must be a string (got {value!r})")
        return value
    if "int | None" in text:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"{name}: must be an integer (got {value!r})")
        return value
    if "str | None" in text:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name}: must be a string (got {value!r})")
        return value
    if "tuple[str, ...]" in text:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{name}: must be a list of strings (got {value!r})")
        return tuple(value)
    raise TypeError(f"no coercion for {name}: {hint}")  # a programming error, not bad input


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """An :class:`Event` from its mapping form; raises ``ValueError`` naming the bad field."""
    if not isinstance(data, Mapping):
        raise ValueError(f"an event must be a mapping with an 'event' key (got {data!r})")
    kind = data.get("event")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"event: unknown event {kind!r}; known events: {', '.join(EVENT_TYPES)}")
    hints = get_type_hints(cls, globalns=globals())  # the classes report module "podfsm"
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields) - {"event"})
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown field for {kind!r} (fields: {', '.join(fields) or 'none'})")
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        if name in data:
            kwargs[name] = _coerce(name, data[name], hints[name])
        elif f.default is dataclasses.MISSING:
            raise ValueError(f"{name}: required for {kind!r}")
    event = cls(**kwargs)
    event.validate()
    return event


def event_to_dict(event: Event) -> dict[str, Any]:
    """The mapping form of ``event`` (defaults omitted), as a script would give it."""
    out: dict[str, Any] = {"event": event.NAME}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if value != f.default or f.default is dataclasses.MISSING:
            out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def events_from_script(docs: list[Any], name: str) -> list[tuple[int, dict[str, Any], Event]]:
    """``(step number, mapping as given, event)`` for every step of a script; :class:`ManifestError` on bad input.

    A script is a list of event mappings, or a mapping with an ``events`` list.
    """
    if len(docs) == 1 and isinstance(docs[0], Mapping) and "events" in docs[0]:
        items = docs[0]["events"]
    elif len(docs) == 1:
        items = docs[0]
    else:
        items = docs
    if not isinstance(items, list):
        raise ManifestError(f"{name}: a script is a list of events (or a mapping with an 'events' list)")
    out = []
    for i, item in enumerate(items, start=1):
        try:
            out.append((i, dict(item) if isinstance(item, Mapping) else item, event_from_dict(item)))
        except ValueError as e:
            raise ManifestError(f"{name}: step {i}: {e}") from None
    return out
