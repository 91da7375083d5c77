"""The snapshot oracle: what Kubernetes says about a Pod object, as pure functions.

Each function takes a v1 Pod, either as the ``dict`` that ``kubectl get pod -o json`` prints or
as podfsm's pydantic :class:`podfsm.Pod`, and answers exactly as the Kubernetes code does:

=====================  ============================================================================
``pod_phase``          kubelet ``getPhase`` (pkg/kubelet/kubelet_pods.go), newest semantics
``pod_conditions``     ``Generate{Pod,Containers}ReadyCondition``, ``GeneratePodInitializedCondition``
                       (pkg/kubelet/status/generate.go)
``should_restart``     ``ShouldContainerBeRestarted`` (pkg/kubelet/container/helpers.go)
``kubectl_columns``    ``printPod`` (pkg/printers/internalversion/printers.go), sidecar-aware
=====================  ============================================================================

Each upstream function first *projects* the statuses into a few counters and then *decides*;
podfsm keeps that split visible: a ``_PhaseCounts`` record, then the decision rows of
``getPhase`` in order. The rules are restated in ../shared/k8s-semantics.md §2.2, §3.4, §7 and §8.

Deliberately not modelled: the alpha gates ``ContainerRestartRules`` and
``RestartAllContainersOnContainerExits`` (off in the targeted release; :class:`podfsm.Config`
rejects them), ``ObservedGeneration`` on conditions, and the AGE column (it needs a wall clock).

The functions read the JSON as it is, without API-server defaulting, with one exception: a
missing ``spec.restartPolicy`` is read as ``Always`` (``SetDefaults_PodSpec``), because every Pod
the API server returns has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from podfsm.enums import PodPhase

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "Columns",
    "Condition",
    "human_duration",
    "kubectl_columns",
    "pod_conditions",
    "pod_phase",
    "pod_summary",
    "reported_phase",
    "should_restart",
]

JSON = dict[str, Any]

# Condition reasons, pkg/kubelet/status/generate.go const block.
UNKNOWN_CONTAINER_STATUSES: Final = "UnknownContainerStatuses"
POD_COMPLETED: Final = "PodCompleted"
POD_FAILED: Final = "PodFailed"
CONTAINERS_NOT_READY: Final = "ContainersNotReady"
CONTAINERS_NOT_INITIALIZED: Final = "ContainersNotInitialized"
READINESS_GATES_NOT_READY: Final = "ReadinessGatesNotReady"

# status.reason that kubectl turns into STATUS "Unknown" on deletion (pkg/util/node NodeUnreachablePodReason).
NODE_UNREACHABLE_POD_REASON: Final = "NodeLost"
# annotation read by kubetypes.IsStaticPod / GetPodSource.
CONFIG_SOURCE_ANNOTATION: Final = "kubernetes.io/config.source"

_TERMINAL: Final = frozenset({"Succeeded", "Failed"})
_EMPTY: Final[JSON] = {}


@dataclass(frozen=True, slots=True)
class Condition:
    """One pod condition as the kubelet generates it: ``status``, ``reason``, ``message``.

    ``reason`` and ``message`` are ``""`` where the Go code leaves them empty.
    """

    status: str
    reason: str = ""
    message: str = ""

    def to_dict(self) -> dict[str, str]:
        """The ``{"status", "reason", "message"}`` mapping used by the CLI's JSON output."""
        return {"status": str(self.status), "reason": self.reason, "message": self.message}


_TRUE: Final = Condition("True")


@dataclass(frozen=True, slots=True)
class Columns:
    """The ``kubectl get pods`` cells podfsm computes: STATUS, READY and RESTARTS.

    ``restarts_display`` is ``"3 (10s ago)"`` when a ``now`` and a last termination time are
    known and ``restarts`` is not 0, else ``str(restarts)``, exactly as ``printPod`` formats it.
    """

    status: str
    ready: str
    restarts: int
    restarts_display: str


# ---------------------------------------------------------------------------------------------
# Reading the JSON
# ---------------------------------------------------------------------------------------------


def as_pod_dict(pod: Any) -> Mapping[str, Any]:
    """The v1 JSON mapping of ``pod``: a mapping as given, or a pydantic Pod dumped by alias."""
    if isinstance(pod, dict):
        return pod
    to_api = getattr(pod, "to_api", None)
    if to_api is not None:
        result: Mapping[str, Any] = to_api()
        return result
    raise TypeError(f"expected a v1 Pod as a dict or a podfsm.Pod, got {type(pod).__name__}")


def _parts(pod: Any) -> tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]]:
    d = as_pod_dict(pod)
    return d.get("metadata") or _EMPTY, d.get("spec") or _EMPTY, d.get("status") or _EMPTY


def _restart_policy(spec: Mapping[str, Any]) -> str:
    # SetDefaults_PodSpec: an unset restartPolicy is Always.
    return spec.get("restartPolicy") or "Always"


def _is_sidecar(container: Mapping[str, Any] | None) -> bool:
    """True iff ``container`` is a restartable init container (``podutil.IsRestartableInitContainer``)."""
    return container is not None and container.get("restartPolicy") == "Always"


def _statuses_by_name(status: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Name → status over init and regular statuses; the first entry for a name wins (``GetContainerStatus``)."""
    by_name: dict[str, Mapping[str, Any]] = {}
    for key in ("initContainerStatuses", "containerStatuses"):
        for cs in status.get(key) or ():
            by_name.setdefault(cs.get("name", ""), cs)
    return by_name


def _last_terminated(cs: Mapping[str, Any]) -> Mapping[str, Any] | None:
    last = cs.get("lastState")
    return last.get("terminated") if last else None


def _regular_started(spec: Mapping[str, Any], by_name: Mapping[str, Mapping[str, Any]]) -> bool:
    """True iff a regular container's status is running or terminated (``HasAnyRegularContainerStarted``)."""
    for c in spec.get("containers") or ():
        cs = by_name.get(c.get("name", ""))
        if cs is not None:
            state = cs.get("state") or _EMPTY
            if state.get("running") is not None or state.get("terminated") is not None:
                return True
    return False


def _regular_instance_exists(spec: Mapping[str, Any], by_name: Mapping[str, Mapping[str, Any]]) -> bool:
    """True iff the object shows an instance of a regular container: running, terminated, or a
    ``lastState.terminated`` (``HasAnyActiveRegularContainerStarted`` read off a Pod object).

    The kubelet asks the runtime whether any regular container of the current sandbox exists, exited
    ones included (the newest instance of each is kept until the pod goes). The object shows one
    as running, terminated, or waiting to restart with its last termination. Unlike the deprecated
    ``HasAnyRegularContainerStarted`` (running or terminated only), this keeps a pod whose app
    containers crash-loop ``Running`` while a sidecar restarts. Only a recreated sandbox (a node
    reboot) would differ, and the object cannot tell that: pass ``pod_has_initialized`` then.
    """
    for c in spec.get("containers") or ():
        cs = by_name.get(c.get("name", ""))
        if cs is not None:
            state = cs.get("state") or _EMPTY
            if state.get("running") is not None or state.get("terminated") is not None:
                return True
            if (cs.get("lastState") or _EMPTY).get("terminated") is not None:
                return True
    return False


def _is_static_pod(metadata: Mapping[str, Any]) -> bool:
    """True iff the pod came from a file or URL source (``kubetypes.IsStaticPod``)."""
    source = (metadata.get("annotations") or _EMPTY).get(CONFIG_SOURCE_ANNOTATION)
    return source is not None and source != "api"


# ---------------------------------------------------------------------------------------------
# getPhase
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _PhaseCounts:
    """The counters ``getPhase`` projects the container statuses into (kubelet_pods.go)."""

    pending_regular_init: int = 0
    pending_restartable_init: int = 0
    failed_init: int = 0
    running: int = 0
    waiting: int = 0
    stopped: int = 0
    succeeded: int = 0
    unknown: int = 0


def _count_phase(spec: Mapping[str, Any], by_name: Mapping[str, Mapping[str, Any]]) -> _PhaseCounts:
    """Project the statuses into :class:`_PhaseCounts`, row by row as in k8s-semantics.md §2.2."""
    n = _PhaseCounts()
    for container in spec.get("initContainers") or ():
        cs = by_name.get(container.get("name", ""))
        if _is_sidecar(container):
            if cs is None:
                n.unknown += 1
                continue
            state = cs.get("state") or _EMPTY
            if state.get("running") is not None:
                n.running += 1
                if not cs.get("started"):
                    n.pending_restartable_init += 1
            elif state.get("terminated") is not None:
                pass  # a stopped sidecar neither blocks nor decides the phase
            elif state.get("waiting") is not None:
                if _last_terminated(cs) is None:
                    n.pending_restartable_init += 1
                    n.waiting += 1
            else:
                n.pending_restartable_init += 1
                n.unknown += 1
            continue
        # regular init container
        if cs is None:
            n.pending_regular_init += 1
            continue
        state = cs.get("state") or _EMPTY
        if state.get("running") is not None:
            n.pending_regular_init += 1
        elif (term := state.get("terminated")) is not None:
            if term.get("exitCode", 0) != 0:
                n.failed_init += 1
        elif state.get("waiting") is not None:
            last = _last_terminated(cs)
            if last is not None:
                if last.get("exitCode", 0) != 0:
                    n.failed_init += 1
            else:
                n.pending_regular_init += 1
        else:
            n.pending_regular_init += 1
    for container in spec.get("containers") or ():
        cs = by_name.get(container.get("name", ""))
        if cs is None:
            n.unknown += 1
            continue
        state = cs.get("state") or _EMPTY
        if state.get("running") is not None:
            n.running += 1
        elif (term := state.get("terminated")) is not None:
            n.stopped += 1
            if term.get("exitCode", 0) == 0:
                n.succeeded += 1
        elif state.get("waiting") is not None:
            if _last_terminated(cs) is not None:
                n.stopped += 1  # restarting: counted as stopped, never as succeeded
            else:
                n.waiting += 1
        else:
            n.unknown += 1
    return n


def _decide_phase(
    n: _PhaseCounts, restart_policy: str, pod_is_terminal: bool, pod_has_initialized: bool, static: bool
) -> PodPhase:
    """The ``switch`` of ``getPhase``: its cases in order, each with the upstream comment's meaning."""
    # 1. An init container failed and the pod may not restart it.
    if n.failed_init > 0 and restart_policy == "Never":
        return PodPhase.FAILED
    # 2. Init containers still to run, or containers waiting to start.
    if (
        n.pending_regular_init > 0
        or (n.pending_restartable_init > 0 and not pod_has_initialized)
        or n.waiting > 0
    ):
        return PodPhase.PENDING
    # 3. All containers have been started, and at least one container is running.
    if n.running > 0 and n.unknown == 0:
        return PodPhase.RUNNING
    # 4. All containers are terminated.
    if n.running == 0 and n.stopped > 0 and n.unknown == 0:
        if pod_is_terminal and not static:
            # The pod is being terminated: sidecars are ignored; TODO #116484 excludes static pods.
            return PodPhase.SUCCEEDED if n.stopped == n.succeeded else PodPhase.FAILED
        if restart_policy == "Always":
            return PodPhase.RUNNING  # all containers are in the process of restarting
        if n.stopped == n.succeeded:
            return PodPhase.SUCCEEDED  # RestartPolicy OnFailure or Never, all succeeded
        if restart_policy == "Never":
            return PodPhase.FAILED
        return PodPhase.RUNNING  # OnFailure: the failed containers are restarting
    # 5. Some containers are in an unknown state.
    return PodPhase.PENDING


def pod_phase(
    pod: Any, *, pod_is_terminal: bool | None = None, pod_has_initialized: bool | None = None
) -> PodPhase:
    """The phase the kubelet computes for ``pod`` (``getPhase``, pkg/kubelet/kubelet_pods.go).

    ``pod_is_terminal`` is the kubelet's "syncing a terminating or terminated pod"; ``None``
    infers it from the object: a ``deletionTimestamp`` is set or ``status.phase`` is terminal.
    ``pod_has_initialized`` is ``None`` to infer ``HasAnyActiveRegularContainerStarted`` from the
    object: a regular container status is running or terminated, or has a last termination (see
    :func:`_regular_instance_exists`; the kubelet asks the runtime).

    >>> pod_phase({"spec": {"containers": [{"name": "a"}]},
    ...            "status": {"containerStatuses": [{"name": "a", "state": {"running": {}}}]}})
    <PodPhase.RUNNING: 'Running'>
    """
    metadata, spec, status = _parts(pod)
    if pod_is_terminal is None:
        pod_is_terminal = metadata.get("deletionTimestamp") is not None or status.get("phase") in _TERMINAL
    by_name = _statuses_by_name(status)
    if pod_has_initialized is None:
        pod_has_initialized = _regular_instance_exists(spec, by_name)
    counts = _count_phase(spec, by_name)
    return _decide_phase(
        counts, _restart_policy(spec), pod_is_terminal, pod_has_initialized, _is_static_pod(metadata)
    )


# ---------------------------------------------------------------------------------------------
# Conditions (pkg/kubelet/status/generate.go)
# ---------------------------------------------------------------------------------------------


def _go_list(names: list[str]) -> str:
    """Go's ``fmt.Sprintf("%s", []string{...})``: ``[a b]``."""
    return "[" + " ".join(names) + "]"


def _status_message(unknown: list[str], other: tuple[str, list[str]]) -> str:
    """generate.go's "containers with unknown status: [a], containers with <other> status: [b]"."""
    parts = [
        f"containers with {label} status: {_go_list(names)}"
        for label, names in (("unknown", unknown), other)
        if names
    ]
    return ", ".join(parts)


def containers_ready_condition(
    spec: Mapping[str, Any], by_name: Mapping[str, Mapping[str, Any]] | None, phase: str
) -> Condition:
    """``GenerateContainersReadyCondition``: True iff every sidecar and regular container is ready.

    ``by_name`` maps container names to statuses (:func:`_statuses_by_name`); ``None`` is Go's nil.
    """
    if by_name is None:
        return Condition("False", UNKNOWN_CONTAINER_STATUSES)
    unknown: list[str] = []
    unready: list[str] = []
    for group, only_sidecars in ((spec.get("initContainers"), True), (spec.get("containers"), False)):
        for c in group or ():
            if only_sidecars and c.get("restartPolicy") != "Always":
                continue  # regular init containers do not count for readiness
            name = c.get("name", "")
            cs = by_name.get(name)
            if cs is None:
                unknown.append(name)
            elif not cs.get("ready"):
                unready.append(name)
    if phase == "Succeeded" and not unknown:
        return Condition("False", POD_COMPLETED)
    if phase == "Failed":
        return Condition("False", POD_FAILED)
    message = _status_message(unknown, ("unready", unready))
    return Condition("False", CONTAINERS_NOT_READY, message) if message else _TRUE


def pod_ready_condition(
    spec: Mapping[str, Any], conditions: Iterable[Mapping[str, Any]], containers_ready: Condition
) -> Condition:
    """``GeneratePodReadyCondition``: ContainersReady, then every readiness gate must be True."""
    if containers_ready.status != "True":
        return containers_ready
    gates = spec.get("readinessGates")
    if not gates:
        return _TRUE
    messages = []
    for gate in gates:
        ctype = gate.get("conditionType", "")
        cond = next((c for c in conditions if c.get("type") == ctype), None)
        if cond is None:
            messages.append(f'corresponding condition of pod readiness gate "{ctype}" does not exist.')
        elif cond.get("status") != "True":
            messages.append(
                f'the status of pod readiness gate "{ctype}" is not "True", but {cond.get("status", "")}'
            )
    if messages:
        return Condition("False", READINESS_GATES_NOT_READY, ", ".join(messages))
    return _TRUE


def pod_initialized_condition(
    spec: Mapping[str, Any], by_name: Mapping[str, Mapping[str, Any]] | None, phase: str
) -> Condition:
    """``GeneratePodInitializedCondition``: True iff every init container completed (sidecars: started)."""
    init_containers = spec.get("initContainers") or ()
    if by_name is None and init_containers:
        return Condition("False", UNKNOWN_CONTAINER_STATUSES)
    found = by_name or _EMPTY
    unknown: list[str] = []
    incomplete: list[str] = []
    for c in init_containers:
        name = c.get("name", "")
        cs = found.get(name)
        if cs is None:
            unknown.append(name)
            continue
        # isInitContainerInitialized: a sidecar must be started, a regular init container ready (exit 0).
        if not cs.get("started" if c.get("restartPolicy") == "Always" else "ready"):
            incomplete.append(name)
    if phase == "Succeeded" and not unknown:
        return Condition("True", POD_COMPLETED)
    # A started regular container means the pod initialized before (sidecars may be restarting).
    if _regular_started(spec, found):
        return _TRUE
    message = _status_message(unknown, ("incomplete", incomplete))
    return Condition("False", CONTAINERS_NOT_INITIALIZED, message) if message else _TRUE


def pod_conditions(pod: Any) -> dict[str, Condition]:
    """The kubelet-owned conditions of ``pod``: ``Initialized``, ``ContainersReady``, ``Ready``.

    They are computed from the container statuses and ``status.phase`` (or, when the object has
    no phase, :func:`pod_phase`), as ``generateAPIPodStatus`` calls generate.go. ``PodScheduled``
    is included as the object carries it (the scheduler owns it). The statuses are Go ``nil``
    when neither ``initContainerStatuses`` nor ``containerStatuses`` is present, and empty when a
    key is present with ``[]`` (k8s-semantics.md §7, "Nil vs empty statuses").
    """
    _, spec, status = _parts(pod)
    phase = status.get("phase") or pod_phase(pod)
    nil = status.get("initContainerStatuses") is None and status.get("containerStatuses") is None
    by_name = None if nil else _statuses_by_name(status)  # Go nil when both lists are absent
    existing = status.get("conditions") or ()
    containers_ready = containers_ready_condition(spec, by_name, phase)
    result = {
        "Initialized": pod_initialized_condition(spec, by_name, phase),
        "ContainersReady": containers_ready,
        "Ready": pod_ready_condition(spec, existing, containers_ready),
    }
    scheduled = next((c for c in existing if c.get("type") == "PodScheduled"), None)
    if scheduled is not None:
        result["PodScheduled"] = Condition(
            scheduled.get("status", ""), scheduled.get("reason") or "", scheduled.get("message") or ""
        )
    return result


# ---------------------------------------------------------------------------------------------
# ShouldContainerBeRestarted (pkg/kubelet/container/helpers.go)
# ---------------------------------------------------------------------------------------------


def should_restart(pod: Any, container_name: str) -> bool:
    """Whether the kubelet would (re)start ``container_name`` (``ShouldContainerBeRestarted``).

    The v1 status stands for the runtime status: no status (never run) → start it; ``running``
    → no; an empty state (runtime ``Unknown``) or ``waiting`` with no previous termination
    (runtime ``Created``) → "always restart"; otherwise the exited instance (``terminated``, or
    ``lastState.terminated`` under a waiting state) is judged by the pod's ``restartPolicy``.
    A pod with a ``deletionTimestamp`` restarts nothing. Only the pod-level policy is consulted,
    as upstream does (a sidecar's own ``restartPolicy: Always`` is applied by the init-container
    logic, not here).
    """
    metadata, spec, status = _parts(pod)
    if metadata.get("deletionTimestamp") is not None:
        return False
    cs = _statuses_by_name(status).get(container_name)
    if cs is None:
        return True
    state = cs.get("state") or _EMPTY
    if state.get("running") is not None:
        return False
    exited = state.get("terminated")
    if exited is None:
        exited = _last_terminated(cs) if state.get("waiting") is not None else None
        if exited is None:
            return True  # runtime Created or Unknown: "always restart"
    policy = _restart_policy(spec)
    if policy == "Never":
        return False
    return not (policy == "OnFailure" and exited.get("exitCode", 0) == 0)


# ---------------------------------------------------------------------------------------------
# kubectl get pods (pkg/printers/internalversion/printers.go printPod)
# ---------------------------------------------------------------------------------------------


def parse_time(value: str | datetime) -> datetime:
    """An RFC 3339 timestamp as an aware datetime (naive datetimes are taken as UTC)."""
    t = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def human_duration(seconds: float) -> str:
    """``duration.HumanDuration`` (k8s.io/apimachinery/pkg/util/duration) of a duration in seconds."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 60 * 2:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if days == 0 else f"{hours // 24 // 365}y{days}d"
    return f"{hours // 24 // 365}y"


def _finished_at(cs: Mapping[str, Any]) -> str | None:
    last = _last_terminated(cs)
    return last.get("finishedAt") if last else None


def _later(a: str | None, b: str | None) -> str | None:
    """The later of two RFC 3339 timestamps (``metav1.Time.Before``); ``None`` is the zero time."""
    if b is None:
        return a
    if a is None:
        return b
    if len(a) == len(b) and a[-1] == b[-1] == "Z":
        return b if a < b else a  # same UTC layout: the text order is the time order
    return b if parse_time(a) < parse_time(b) else a


def kubectl_columns(pod: Any, *, now: datetime | str | None = None) -> Columns:
    """The STATUS, READY and RESTARTS cells of ``kubectl get pods`` (``printPod``).

    ``now`` (a datetime or RFC 3339 string) is only used for the "(10s ago)" part of RESTARTS;
    podfsm never reads the wall clock.
    """
    metadata, spec, status = _parts(pod)
    phase = status.get("phase") or ""
    reason: str = status.get("reason") or phase
    conditions = status.get("conditions") or ()
    for cond in conditions:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {c.get("name", ""): c for c in spec.get("initContainers") or ()}
    total = len(spec.get("containers") or ()) + sum(1 for c in init_specs.values() if _is_sidecar(c))
    ready = restarts = sidecar_restarts = 0
    last_restart: str | None = None
    last_sidecar_restart: str | None = None

    initializing = False
    n_init = len(spec.get("initContainers") or ())
    for i, cs in enumerate(status.get("initContainerStatuses") or ()):
        count = cs.get("restartCount", 0)
        finished = _finished_at(cs)
        restarts += count
        if finished is not None:
            last_restart = _later(last_restart, finished)
        container = init_specs.get(cs.get("name", ""))
        if _is_sidecar(container):
            sidecar_restarts += count
            last_sidecar_restart = _later(last_sidecar_restart, finished)
        state = cs.get("state") or _EMPTY
        term = state.get("terminated")
        waiting = state.get("waiting")
        if term is not None and term.get("exitCode", 0) == 0:
            continue
        if _is_sidecar(container) and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:  # initialization failed
            if term.get("reason"):
                reason = "Init:" + term["reason"]
            elif term.get("signal"):
                reason = f"Init:Signal:{term['signal']}"
            else:
                reason = f"Init:ExitCode:{term.get('exitCode', 0)}"
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{n_init}"
        initializing = True
        break

    initialized = any(c.get("type") == "Initialized" and c.get("status") == "True" for c in conditions)
    if not initializing or initialized:
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or ()):
            restarts += cs.get("restartCount", 0)
            if (finished := _finished_at(cs)) is not None:
                last_restart = _later(last_restart, finished)
            state = cs.get("state") or _EMPTY
            waiting = state.get("waiting")
            term = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                reason = (
                    f"Signal:{term['signal']}"
                    if term.get("signal")
                    else f"ExitCode:{term.get('exitCode', 0)}"
                )
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        # "change pod status back to Running if there is at least one container still reporting as Running"
        if reason == "Completed" and has_running:
            pod_ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
            reason = "Running" if pod_ready else "NotReady"

    if metadata.get("deletionTimestamp") is not None:
        if status.get("reason") == NODE_UNREACHABLE_POD_REASON:
            reason = "Unknown"
        elif phase not in _TERMINAL:
            reason = "Terminating"

    display = str(restarts)
    if restarts != 0 and last_restart is not None and now is not None:
        display = (
            f"{restarts} ({human_duration((parse_time(now) - parse_time(last_restart)).total_seconds())} ago)"
        )
    return Columns(status=reason, ready=f"{ready}/{total}", restarts=restarts, restarts_display=display)


def reported_phase(pod: Any) -> PodPhase:
    """The phase the kubelet would publish for ``pod``: :func:`pod_phase`, except that a terminal
    ``status.phase`` is kept ("pods are not allowed to transition out of terminal phases",
    ``generateAPIPodStatus``)."""
    _, _, status = _parts(pod)
    current = status.get("phase")
    if current in _TERMINAL:
        return PodPhase(current)
    return pod_phase(pod)


def pod_summary(pod: Any, *, now: datetime | str | None = None) -> dict[str, Any]:
    """What ``podfsm status -o json`` prints for one pod.

    ``{"name", "phase", "status", "ready", "restarts", "conditions"}``; the conditions are
    computed with the reported phase, so the phase and the conditions always agree.
    """
    d = as_pod_dict(pod)
    phase = reported_phase(d)
    status = dict(d.get("status") or {})
    status["phase"] = str(phase)
    conditions = pod_conditions({**d, "status": status})
    cols = kubectl_columns(d, now=now)
    return {
        "name": (d.get("metadata") or {}).get("name", ""),
        "phase": str(phase),
        "status": cols.status,
        "ready": cols.ready,
        "restarts": cols.restarts,
        "conditions": {k: c.to_dict() for k, c in conditions.items()},
    }
