"""The event vocabulary: the environment's moves, as frozen, hashable dataclasses.

Events are what *happens to* a pod: the scheduler's answer, the container runtime's answers
(image pulled, container started, container exited) and time passing. The kubelet's own
decisions (start the next init container, restart after a back-off, give up under ``Never``)
are not events: the model takes them itself, deterministically.

Each event has a script name (``Event.NAME``) and a mapping form, so a script is a YAML or
JSON list such as ``[{"event": "schedule", "node": "node-1"}, {"event": "tick", "seconds": 10}]``.
``repr`` is valid Python (``ContainerExited(container='app', exit_code=1)``), so a failing
Hypothesis example prints as a program you can paste.

Every event checks itself when it is constructed, exactly as a script's step is checked: the
types (``Tick(seconds="5")``, ``Tick(seconds=True)``, ``Schedule(node=None)``), then the values
(``Tick(seconds=-5)``, ``ContainerExited(container="a", exit_code=256)``); each raises
:class:`~podfsm.errors.ManifestError` (a ``ValueError``) with the message a script would get,
``<field>: <what is wrong> (got <value>)``. Integers are 32-bit, as every Kubernetes count and
duration of the lifecycle is (``int32``); one tick is at most :data:`MAX_TICK_SECONDS`.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal, get_args, get_type_hints

from podfsm.errors import ManifestError

__all__ = [
    "MAX_TICK_SECONDS",
    "ConditionStatusText",
    "ContainerEvent",
    "ContainerExited",
    "ContainerStartFailed",
    "ContainerStarted",
    "Delete",
    "Event",
    "Evict",
    "HookFinished",
    "HookName",
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
    "PressureName",
    "ProbeName",
    "ProbeResult",
    "RunResult",
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
ProbeName = Literal["startup", "liveness", "readiness"]
HookName = Literal["postStart", "preStop"]
RunResult = Literal["success", "failure"]
PROBE_KINDS: Final[tuple[ProbeName, ...]] = get_args(ProbeName)
HOOK_KINDS: Final[tuple[HookName, ...]] = get_args(HookName)
RESULTS: Final[tuple[RunResult, ...]] = get_args(RunResult)

# Integers in events are Kubernetes int32s (exit codes, grace periods, durations in seconds).
INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
MAX_TICK_SECONDS: Final = INT32_MAX
"""The longest one ``tick`` may be: 2147483647 s (2**31 - 1, about 68 years), the bound of every
int32 duration (``activeDeadlineSeconds`` is at most ``math.MaxInt32``, ValidatePodSpec)."""


@dataclass(frozen=True, slots=True)
class Event:
    """Base class: one thing that happens to a pod. ``NAME`` is its script name."""

    NAME: ClassVar[str] = ""

    def __post_init__(self) -> None:
        """Check the fields' types, then :meth:`validate`, then the 32-bit range of every integer;
        raises :class:`ManifestError` naming the field, as a script's step would."""
        checks, ints = _CHECKS.get(type(self)) or _checks(type(self))
        for name, check, default in checks:
            value = getattr(self, name)
            if value is default:  # the field's own default: valid by definition
                continue
            fixed = check(name, value)
            if fixed is not value:  # a list of strings given for a tuple field
                object.__setattr__(self, name, fixed)
        self.validate()
        for name in ints:
            value = getattr(self, name)
            if value is not None and not INT32_MIN <= value <= INT32_MAX:
                raise ManifestError(
                    f"{name}: must be a 32-bit integer, {INT32_MIN}..{INT32_MAX} (got {value})"
                )

    def __repr__(self) -> str:
        fields = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != f.default or f.default is dataclasses.MISSING
        ]
        return f"{type(self).__name__}({', '.join(fields)})"

    def validate(self) -> None:
        """Check values the types cannot express; raises :class:`ManifestError` (a ``ValueError``)
        naming the field. Runs on construction, after the types are checked."""


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
            raise ManifestError("node: must be a non-empty node name")


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
            raise ManifestError(f"exit_code: must be 0..255 (got {self.exit_code})")
        if self.reason is not None:
            _one_of("reason", self.reason, EXIT_REASONS)
            if self.reason == "Completed" and self.exit_code != 0:
                raise ManifestError("reason: Completed is the runtime's reason for exit code 0 only")
            if self.reason == "Error" and self.exit_code == 0:
                raise ManifestError("reason: Error is the runtime's reason for a non-zero exit code")

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
    probe: ProbeName
    result: RunResult
    message: str = ""

    def validate(self) -> None:
        _one_of("probe", self.probe, PROBE_KINDS)
        _one_of("result", self.result, RESULTS)


@dataclass(frozen=True, slots=True, repr=False)
class HookFinished(ContainerEvent):
    """``container``'s ``hook`` (postStart / preStop) handler returned ``result``."""

    NAME: ClassVar[str] = "hook_finished"
    hook: HookName
    result: RunResult

    def validate(self) -> None:
        _one_of("hook", self.hook, HOOK_KINDS)
        _one_of("result", self.result, RESULTS)


@dataclass(frozen=True, slots=True, repr=False)
class Delete(PodEvent):
    """``kubectl delete pod`` (API DELETE): graceful unless ``grace_period_seconds`` is 0."""

    NAME: ClassVar[str] = "delete"
    grace_period_seconds: int | None = None

    def validate(self) -> None:
        grace = self.grace_period_seconds
        if grace is not None and not 0 <= grace <= INT32_MAX:
            raise ManifestError(f"grace_period_seconds: must be 0..{INT32_MAX} (got {grace})")


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
ConditionStatusText = Literal["True", "False", "Unknown"]
CONDITION_STATUSES: Final[tuple[ConditionStatusText, ...]] = get_args(ConditionStatusText)


@dataclass(frozen=True, slots=True, repr=False)
class PodCondition(PodEvent):
    """A controller patches a pod condition of its own (``status.conditions``), typically the
    condition of a readiness gate (``spec.readinessGates``): the kubelet keeps conditions it does not
    own (generateAPIPodStatus) and re-evaluates Ready with them (HandlePodReconcile,
    NeedToReconcilePodReadiness)."""

    NAME: ClassVar[str] = "pod_condition"
    type: str
    status: ConditionStatusText
    reason: str = ""
    message: str = ""

    def validate(self) -> None:
        if not self.type:
            raise ManifestError("type: must be a non-empty condition type")
        if self.type in KUBELET_CONDITIONS:
            raise ManifestError(
                f"type: {self.type} is owned by the kubelet (PodConditionByKubelet), which overwrites it "
                "at every status update; pod_condition sets conditions of other controllers"
            )
        if self.type == "DisruptionTarget":
            raise ManifestError(
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
            raise ManifestError(f"seconds: must be >= 0; time never runs backwards (got {self.seconds})")
        if self.seconds > MAX_TICK_SECONDS:
            raise ManifestError(
                f"seconds: must be at most {MAX_TICK_SECONDS} (2**31 - 1 s, about 68 years) per tick "
                f"(got {self.seconds})"
            )


# Node events (podfsm.machines.node, podfsm.cluster): what happens to the one node the pods run on.
PressureName = Literal["memory", "disk", "pid"]
PRESSURE_KINDS: Final[tuple[PressureName, ...]] = get_args(PressureName)


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
    type: PressureName
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
        raise ManifestError(f"{name}: must be one of {'/'.join(allowed)} (got {value!r})")


# Field checks: ``check(name, value)`` returns the value to store (the value itself, or a tuple for
# a list of strings) or raises ManifestError naming the field. One tuple of them per event class,
# built from the class's type hints on its first construction (get_type_hints is slow).
_Check = Callable[[str, Any], Any]


def _is_int(value: Any) -> bool:
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


def _check_bool(name: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise ManifestError(f"{name}: must be true or false (got {value!r})")
    return value


def _check_int(name: str, value: Any) -> Any:
    if not _is_int(value):
        raise ManifestError(f"{name}: must be an integer (got {value!r})")
    return value


def _check_optional_int(name: str, value: Any) -> Any:
    if value is not None and not _is_int(value):
        raise ManifestError(f"{name}: must be an integer (got {value!r})")
    return value


def _check_str(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        if isinstance(value, bool):  # YAML reads True / False unquoted as booleans
            raise ManifestError(f"{name}: must be a string (got {value!r}; quote it: '{value}')")
        raise ManifestError(f"{name}: must be a string (got {value!r})")
    return value


def _check_optional_str(name: str, value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise ManifestError(f"{name}: must be a string (got {value!r})")
    return value


def _check_strings(name: str, value: Any) -> Any:
    if type(value) is tuple and all(isinstance(v, str) for v in value):
        return value
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ManifestError(f"{name}: must be a list of strings (got {value!r})")
    return tuple(value)


def _check_any(name: str, value: Any) -> Any:
    return value


# Hint text (``from __future__ import annotations``: the annotation as written) -> check.
_CHECK_FOR_HINT: Final[dict[str, _Check]] = {
    "bool": _check_bool,
    "int": _check_int,
    "int | None": _check_optional_int,
    "str": _check_str,
    "str | None": _check_optional_str,
    "tuple[str, ...]": _check_strings,
}
_INT_HINTS: Final = frozenset({"int", "int | None"})
_NO_DEFAULT: Final = object()
_CHECKS: dict[type[Event], tuple[tuple[tuple[str, _Check, Any], ...], tuple[str, ...]]] = {}


def _hint_text(hint: Any) -> str:
    """``int``, ``str | None``, ``tuple[str, ...]``: the hint as the class spells it; a ``Literal``
    of strings (a closed vocabulary, checked by the class's ``validate``) is a ``str``."""
    if getattr(hint, "__origin__", None) is Literal and all(isinstance(a, str) for a in get_args(hint)):
        return "str"
    return hint.__name__ if isinstance(hint, type) else str(hint)


def _checks(cls: type[Event]) -> tuple[tuple[tuple[str, _Check, Any], ...], tuple[str, ...]]:
    """``((field, check, default), ...), (int fields, ...)`` of an event class, computed once per class."""
    found = _CHECKS.get(cls)
    if found is None:
        # The public classes report module "podfsm" (see podfsm/__init__): resolve in this module,
        # and in the subclass's own module for an event class defined elsewhere.
        namespace = {**vars(sys.modules[cls.__module__])} if cls.__module__ in sys.modules else {}
        namespace.update(globals())
        hints = get_type_hints(cls, globalns=namespace)
        checks: list[tuple[str, _Check, Any]] = []
        ints: list[str] = []
        for f in dataclasses.fields(cls):
            text = _hint_text(hints.get(f.name, Any))
            default = _NO_DEFAULT if f.default is dataclasses.MISSING else f.default
            checks.append((f.name, _CHECK_FOR_HINT.get(text, _check_any), default))
            if text in _INT_HINTS:
                ints.append(f.name)
        found = _CHECKS[cls] = (tuple(checks), tuple(ints))
    return found


# Per class: its fields, and those a mapping must give; computed once.
_FIELDS: dict[type[Event], tuple[frozenset[str], tuple[str, ...], str]] = {}


def _fields_of(cls: type[Event]) -> tuple[frozenset[str], tuple[str, ...], str]:
    """``(field names, required field names, the names as listed in errors)`` of an event class."""
    found = _FIELDS.get(cls)
    if found is None:
        fields = dataclasses.fields(cls)
        names = frozenset(f.name for f in fields)
        required = tuple(
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )
        found = _FIELDS[cls] = (names, required, ", ".join(f.name for f in fields) or "none")
    return found


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """An :class:`Event` from its mapping form; raises :class:`ManifestError` (a ``ValueError``)
    naming the bad field."""
    if not isinstance(data, Mapping):
        raise ManifestError(f"an event must be a mapping with an 'event' key (got {data!r})")
    kind = data.get("event")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ManifestError(f"event: unknown event {kind!r}; known events: {', '.join(EVENT_TYPES)}")
    names, required, listed = _fields_of(cls)
    kwargs = {k: v for k, v in data.items() if k != "event"}
    if not names.issuperset(kwargs):
        unknown = sorted((k for k in kwargs if k not in names), key=str)
        raise ManifestError(f"{unknown[0]}: unknown field for {kind!r} (fields: {listed})")
    for name in required:
        if name not in kwargs:
            raise ManifestError(f"{name}: required for {kind!r}")
    return cls(**kwargs)  # the event checks its fields (Event.__post_init__)


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
