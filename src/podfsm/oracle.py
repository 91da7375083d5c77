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
podfsm keeps that split visible: a :class:`PhaseCounts` record, then the decision rows of
``getPhase`` in order. The rules are restated in ../shared/k8s-semantics.md §2.2, §3.4, §7 and §8.

Deliberately not modelled: the alpha gates ``ContainerRestartRules`` and
``RestartAllContainersOnContainerExits`` (off in the targeted release; :class:`podfsm.Config`
rejects them), ``ObservedGeneration`` on conditions, and the AGE column (it needs a wall clock).

The functions read the JSON as it is, without API-server defaulting, with one exception: a
missing ``spec.restartPolicy`` is read as ``Always`` (``SetDefaults_PodSpec``), because every Pod
the API server returns has one.

**Malformed objects.** The functions read the object directly (the fast path: no validation).
An object they cannot read (``status`` a list, ``containerStatuses`` a string, ``restartCount`` a
string, ``state`` a list, a name that is not a string, ...) raises
:class:`~podfsm.errors.ManifestError` naming the first field the API server would reject,
``status.containerStatuses[0].state: Input should be a valid dictionary ... (got [])``: only then
is the object validated (:meth:`podfsm.api.Pod.from_api`), so a well-formed object costs nothing
more. Each function checks what it reads (``pod_phase`` does not read ``restartCount``); an
absent part (no ``spec``, no ``status``) reads as empty, as Go's zero value does.
:func:`should_restart` on a container the pod does not declare raises :class:`UnknownContainer`;
a ``now`` that is not a time raises :class:`~podfsm.errors.ManifestError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, NamedTuple, NoReturn

from podfsm.enums import PodPhase
from podfsm.errors import ManifestError, UnknownContainer
from podfsm.timefmt import parse_time

if TYPE_CHECKING:
    from podfsm.api import Pod

__all__ = [
    "Columns",
    "Condition",
    "ContainerFacts",
    "PhaseCounts",
    "PodReport",
    "UnknownContainer",
    "count_phase",
    "decide_phase",
    "human_duration",
    "kubectl_columns",
    "pod_conditions",
    "pod_phase",
    "pod_report",
    "pod_summary",
    "reported_phase",
    "restart_policy_allows",
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


def as_pod_dict(pod: Mapping[str, Any] | Pod) -> Mapping[str, Any]:
    """The v1 JSON mapping of ``pod``: a mapping as given, or a pydantic Pod dumped by alias."""
    if isinstance(pod, Mapping):
        return pod
    to_api = getattr(pod, "to_api", None)
    if to_api is not None:
        result: Mapping[str, Any] = to_api()
        return result
    raise ManifestError(f"expected a v1 Pod as a mapping or a podfsm.Pod (got {type(pod).__name__})")


# What reading a malformed object raises on the fast path (see _malformed).
_UNREADABLE: Final = (AttributeError, TypeError, KeyError, ValueError, IndexError)


def _empty(value: object) -> Mapping[str, Any]:
    """``{}`` for a falsy value that stands for an absent object (``None``, an empty mapping);
    raises for one that is not an object (``[]``, ``""``, ``0``, ``false``).

    The fast path reads ``x.get(key) or _empty(x.get(key))``: a non-empty value that is not a
    mapping fails at its first ``.get``, an empty one here; both are explained by :func:`_malformed`.
    """
    if value is None or type(value) is dict or isinstance(value, Mapping):
        return _EMPTY
    raise TypeError("expected a mapping")


def _parts(pod: Mapping[str, Any] | Pod) -> tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]]:
    """``(metadata, spec, status)``; raises (for :func:`_malformed`) when one is not a mapping. An
    absent part reads as empty, as Go's zero value does (upstream's test tables give partial
    objects: no spec, no containers)."""
    d = pod if type(pod) is dict else as_pod_dict(pod)
    metadata = d.get("metadata")
    if type(metadata) is not dict:
        metadata = _part(metadata)
    spec = d.get("spec")
    if type(spec) is not dict:
        spec = _part(spec)
    status = d.get("status")
    if type(status) is not dict:
        status = _part(status)
    return metadata, spec, status


def _part(value: object) -> Mapping[str, Any]:
    """A part of the object that is not a dict (the slow case): a mapping as it is, ``{}`` if absent."""
    if value is None:
        return _EMPTY
    if isinstance(value, Mapping):
        return value
    raise TypeError("expected a mapping")  # explained by _malformed


def _malformed(pod: object, error: Exception) -> NoReturn:
    """Raise the :class:`ManifestError` for ``pod``, which the fast path could not read (``error``):
    the first field :meth:`podfsm.api.Pod.from_api` rejects, or a timestamp that does not parse."""
    if isinstance(error, ManifestError):
        raise error
    problem = pod_problem(pod)
    if problem is not None:
        raise ManifestError(problem) from None
    raise ManifestError(f"the Pod cannot be read ({type(error).__name__}: {error})") from error


def pod_problem(pod: object) -> str | None:
    """What is wrong with ``pod`` as a v1 Pod the oracle reads, or ``None``: the first invalid field,
    ``Pod "web": status.containerStatuses[0].restartCount: Input should be a valid integer (got '3')``.

    Slow (a full validation): the oracle calls it only on an object it failed to read.
    """
    # lazy: keeps import podfsm light (pydantic explains a malformed object, on error only)
    from pydantic import ValidationError

    from podfsm.api import Pod as PodModel
    from podfsm.api.loader import format_validation_error

    if isinstance(pod, PodModel):
        data: Any = pod.to_api()
    elif isinstance(pod, Mapping):
        data = dict(pod)
    else:
        return f"expected a v1 Pod as a mapping or a podfsm.Pod (got {type(pod).__name__})"
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, Mapping) else None
    where = f'Pod "{name}": ' if isinstance(name, str) and name else ""
    try:
        model = PodModel.from_api(data)
    except ValidationError as e:
        return where + format_validation_error(e)
    status = model.status
    for key, statuses in (
        ("initContainerStatuses", status.init_container_statuses if status else None),
        ("containerStatuses", status.container_statuses if status else None),
    ):
        for i, cs in enumerate(statuses or ()):
            for state_key, state in (("state", cs.state), ("lastState", cs.last_state)):
                term = state.terminated if state is not None else None
                for field, stamp in (
                    ("startedAt", term.started_at if term else None),
                    ("finishedAt", term.finished_at if term else None),
                ):
                    if stamp is not None and _bad_time(stamp):
                        return (
                            f"{where}status.{key}[{i}].{state_key}.terminated.{field}: "
                            f"not an RFC 3339 time (got {stamp!r})"
                        )
    return None


def _bad_time(value: object) -> bool:
    try:
        parse_time(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return False


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
            name = cs.get("name", "")
            if type(name) is not str:
                raise TypeError(f"{key}: a name is not a string")  # explained by _malformed
            by_name.setdefault(name, cs)
    return by_name


def _containers(value: object) -> Sequence[Any]:
    """``spec.containers`` when it is not a list (the slow case): a tuple as it is; raises otherwise."""
    if isinstance(value, tuple):
        return value
    raise TypeError("spec.containers: expected a list")  # explained by _malformed


def _missing(name: object) -> NoReturn:
    """Raise for ``name``, a container name of the spec that is not a string (so no status can
    match it: status names are strings, :func:`_statuses_by_name`). The callers check the type
    only on a miss, which keeps the check off the fast path."""
    raise TypeError(f"name: expected a string (got {name!r})")  # explained by _malformed


def _code(term: Mapping[str, Any]) -> int:
    """``exitCode`` of a ``terminated`` state (0 when absent); raises when it is not an integer."""
    code = term.get("exitCode", 0)
    if type(code) is not int:
        raise TypeError("exitCode: expected an integer")  # explained by _malformed
    return code


def _last_terminated(cs: Mapping[str, Any]) -> Mapping[str, Any] | None:
    last = cs.get("lastState")
    if not last:
        if last is not None and type(last) is not dict:
            _empty(last)  # raises unless an empty mapping
        return None
    term: Mapping[str, Any] | None = last.get("terminated")
    if not term and term is not None and type(term) is not dict:
        _empty(term)  # {} is a termination with every field unset; [] is not an object
    return term


def _spec_name(container: Mapping[str, Any]) -> str:
    """The ``name`` of a container of the spec; raises when it is not a string."""
    name = container.get("name", "")
    if type(name) is not str:
        raise TypeError("name: expected a string")  # explained by _malformed
    return name


def _regular_started(spec: Mapping[str, Any], by_name: Mapping[str, Mapping[str, Any]]) -> bool:
    """True iff a regular container's status is running or terminated (``HasAnyRegularContainerStarted``)."""
    for c in spec.get("containers") or ():
        cs = by_name.get(c.get("name", ""))  # names: checked by containers_ready_condition
        if cs is not None:
            state = cs.get("state") or _empty(cs.get("state"))
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
        cs = by_name.get(c.get("name", ""))  # names: checked by _facts, which pod_phase calls next
        if cs is not None:
            state = cs.get("state") or _empty(cs.get("state"))
            if state.get("running") is not None or state.get("terminated") is not None:
                return True
            if (cs.get("lastState") or _EMPTY).get("terminated") is not None:  # checked by _facts
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
class PhaseCounts:
    """The counters ``getPhase`` projects the container statuses into (kubelet_pods.go)."""

    pending_regular_init: int = 0
    pending_restartable_init: int = 0
    failed_init: int = 0
    running: int = 0
    waiting: int = 0
    stopped: int = 0
    succeeded: int = 0
    unknown: int = 0


class ContainerFacts(NamedTuple):
    """What ``getPhase`` reads of one container: the typed projection the oracle makes of a v1
    status and the model makes of a container's state (one counting, :func:`count_phase`).

    ``role``: ``"init"``, ``"sidecar"`` (an init container with ``restartPolicy: Always``) or
    ``"regular"``. ``state``: ``"waiting"``, ``"running"``, ``"terminated"``, ``"unknown"`` (an
    empty state: the runtime's Unknown) or ``""`` (no status for the container).
    """

    role: str
    state: str
    exit_code: int = 0  # state.terminated.exitCode
    last_exit: int | None = None  # lastState.terminated.exitCode; None: no last termination
    started: bool = False


Facts = tuple[str, str, int, int | None, bool]  # a ContainerFacts, or the plain tuple of its fields


def count_phase(facts: Iterable[Facts]) -> PhaseCounts:
    """Project the containers into :class:`PhaseCounts`, row by row as in k8s-semantics.md §2.2."""
    n = PhaseCounts()
    for role, state, exit_code, last_exit, started in facts:
        if role == "sidecar":
            if state == "":
                n.unknown += 1
            elif state == "running":
                n.running += 1
                if not started:
                    n.pending_restartable_init += 1
            elif state == "waiting":
                if last_exit is None:
                    n.pending_restartable_init += 1
                    n.waiting += 1
            elif state == "unknown":
                n.pending_restartable_init += 1
                n.unknown += 1
            # terminated: a stopped sidecar neither blocks nor decides the phase
        elif role == "init":
            if state == "terminated":
                if exit_code != 0:
                    n.failed_init += 1
            elif state == "waiting" and last_exit is not None:
                if last_exit != 0:
                    n.failed_init += 1
            else:  # no status, running, waiting to start, unknown
                n.pending_regular_init += 1
        elif state == "running":
            n.running += 1
        elif state == "terminated":
            n.stopped += 1
            if exit_code == 0:
                n.succeeded += 1
        elif state == "waiting":
            if last_exit is not None:
                n.stopped += 1  # restarting: counted as stopped, never as succeeded
            else:
                n.waiting += 1
        else:  # no status, or unknown
            n.unknown += 1
    return n


def _facts(spec: Mapping[str, Any], by_name: Mapping[str, Mapping[str, Any]]) -> list[Facts]:
    """The :class:`ContainerFacts` of every container of ``spec`` from its v1 status (``by_name``),
    as plain tuples (the hot path); a malformed status raises (explained by :func:`_malformed`)."""
    out: list[Facts] = []
    add = out.append
    for role, containers in (
        ("init", spec.get("initContainers") or ()),
        ("regular", spec.get("containers") or ()),
    ):
        for container in containers:
            name = container.get("name", "")
            here = "sidecar" if role == "init" and container.get("restartPolicy") == "Always" else role
            cs = by_name.get(name)
            if cs is None:
                if type(name) is not str:
                    _missing(name)
                add((here, "", 0, None, False))
                continue
            state = cs.get("state") or _empty(cs.get("state"))
            if state.get("running") is not None:
                add((here, "running", 0, None, bool(cs.get("started"))))
            elif (term := state.get("terminated")) is not None:
                code = term.get("exitCode", 0)
                if code != 0 and type(code) is not int:
                    raise TypeError("exitCode: expected an integer")  # explained by _malformed
                add((here, "terminated", code, None, False))
            elif state.get("waiting") is not None:
                last = _last_terminated(cs)
                add((here, "waiting", 0, None if last is None else _code(last), False))
            else:
                add((here, "unknown", 0, None, False))
    return out


def decide_phase(
    n: PhaseCounts,
    restart_policy: str,
    pod_is_terminal: bool,
    pod_has_initialized: bool,
    static: bool = False,
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
    pod: Mapping[str, Any] | Pod,
    *,
    pod_is_terminal: bool | None = None,
    pod_has_initialized: bool | None = None,
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

    A malformed object raises :class:`~podfsm.errors.ManifestError` naming the field.
    """
    try:
        metadata, spec, status = _parts(pod)
        return _phase(metadata, spec, status, _statuses_by_name(status), pod_is_terminal, pod_has_initialized)
    except _UNREADABLE as e:
        _malformed(pod, e)


def _phase(
    metadata: Mapping[str, Any],
    spec: Mapping[str, Any],
    status: Mapping[str, Any],
    by_name: Mapping[str, Mapping[str, Any]],
    pod_is_terminal: bool | None = None,
    pod_has_initialized: bool | None = None,
) -> PodPhase:
    """:func:`pod_phase` on an object already read (raises the fast path's errors)."""
    if pod_is_terminal is None:
        pod_is_terminal = metadata.get("deletionTimestamp") is not None or status.get("phase") in _TERMINAL
    if pod_has_initialized is None:
        pod_has_initialized = _regular_instance_exists(spec, by_name)
    counts = count_phase(_facts(spec, by_name))
    return decide_phase(
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
                if type(name) is not str:
                    _missing(name)
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
            if type(name) is not str:
                _missing(name)
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


def pod_conditions(pod: Mapping[str, Any] | Pod) -> dict[str, Condition]:
    """The kubelet-owned conditions of ``pod``: ``Initialized``, ``ContainersReady``, ``Ready``.

    They are computed from the container statuses and ``status.phase`` (or, when the object has
    no phase, :func:`pod_phase`), as ``generateAPIPodStatus`` calls generate.go. ``PodScheduled``
    is included as the object carries it (the scheduler owns it). The statuses are Go ``nil``
    when neither ``initContainerStatuses`` nor ``containerStatuses`` is present, and empty when a
    key is present with ``[]`` (k8s-semantics.md §7, "Nil vs empty statuses"). A malformed object
    raises :class:`~podfsm.errors.ManifestError` naming the field.
    """
    try:
        metadata, spec, status = _parts(pod)
        by_name = _statuses_by_name(status)
        phase = status.get("phase") or _phase(metadata, spec, status, by_name)
        return _conditions(spec, status, phase, by_name)
    except _UNREADABLE as e:
        _malformed(pod, e)


def _conditions(
    spec: Mapping[str, Any], status: Mapping[str, Any], phase: str, by_name: Mapping[str, Mapping[str, Any]]
) -> dict[str, Condition]:
    """:func:`pod_conditions` on an object already read, with ``phase`` (raises the fast path's errors)."""
    nil = status.get("initContainerStatuses") is None and status.get("containerStatuses") is None
    statuses = None if nil else by_name  # Go nil when both lists are absent
    existing = status.get("conditions") or ()
    containers_ready = containers_ready_condition(spec, statuses, phase)
    result = {
        "Initialized": pod_initialized_condition(spec, statuses, phase),
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


def restart_policy_allows(policy: str, exit_code: int) -> bool:
    """``ShouldContainerBeRestarted`` (container/helpers.go) for an exited container: ``Always``
    restarts it, ``OnFailure`` only after a non-zero exit, ``Never`` never."""
    return policy != "Never" and not (policy == "OnFailure" and exit_code == 0)


def should_restart(pod: Mapping[str, Any] | Pod, container_name: str) -> bool:
    """Whether the kubelet would (re)start ``container_name`` (``ShouldContainerBeRestarted``).

    The v1 status stands for the runtime status: no status (never run) → start it; ``running``
    → no; an empty state (runtime ``Unknown``) or ``waiting`` with no previous termination
    (runtime ``Created``) → "always restart"; otherwise the exited instance (``terminated``, or
    ``lastState.terminated`` under a waiting state) is judged by the pod's ``restartPolicy``.
    A pod with a ``deletionTimestamp`` restarts nothing. Only the pod-level policy is consulted,
    as upstream does (a sidecar's own ``restartPolicy: Always`` is applied by the init-container
    logic, not here).

    A container the pod does not declare raises :class:`UnknownContainer` (a ``KeyError`` and a
    :class:`~podfsm.errors.ManifestError`); a malformed object raises ``ManifestError``.
    """
    try:
        metadata, spec, status = _parts(pod)
        declared = [
            _spec_name(c) for c in (*(spec.get("initContainers") or ()), *(spec.get("containers") or ()))
        ]
        if container_name not in declared:
            raise UnknownContainer(container_name, declared)
        if metadata.get("deletionTimestamp") is not None:
            return False
        cs = _statuses_by_name(status).get(container_name)  # a declared name: a string
        if cs is None:
            return True
        state = cs.get("state") or _empty(cs.get("state"))
        if state.get("running") is not None:
            return False
        exited = state.get("terminated")
        if exited is None:
            exited = _last_terminated(cs) if state.get("waiting") is not None else None
            if exited is None:
                return True  # runtime Created or Unknown: "always restart"
        return restart_policy_allows(_restart_policy(spec), _code(exited))
    except _UNREADABLE as e:
        _malformed(pod, e)


# ---------------------------------------------------------------------------------------------
# kubectl get pods (pkg/printers/internalversion/printers.go printPod)
# ---------------------------------------------------------------------------------------------


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


def _later(a: str | None, b: str | None) -> str | None:
    """The later of two RFC 3339 timestamps (``metav1.Time.Before``); ``None`` is the zero time."""
    if b is None:
        return a
    if a is None:
        return b
    if len(a) == len(b) and a[-1] == b[-1] == "Z":
        return b if a < b else a  # same UTC layout: the text order is the time order
    return b if parse_time(a) < parse_time(b) else a


def _now(now: datetime | str) -> datetime:
    """``now`` as an aware datetime; :class:`ManifestError` when it is not a time."""
    try:
        return parse_time(now)
    except (TypeError, ValueError):
        raise ManifestError(f"now: not an RFC 3339 time or a datetime (got {now!r})") from None


def kubectl_columns(pod: Mapping[str, Any] | Pod, *, now: datetime | str | None = None) -> Columns:
    """The STATUS, READY and RESTARTS cells of ``kubectl get pods`` (``printPod``).

    ``now`` (a datetime or RFC 3339 string) is only used for the "(10s ago)" part of RESTARTS;
    podfsm never reads the wall clock. A malformed object, or a ``now`` that is not a time, raises
    :class:`~podfsm.errors.ManifestError`.
    """
    now_t = None if now is None else _now(now)
    try:
        metadata, spec, status = _parts(pod)
        return _columns(metadata, spec, status, now_t)
    except _UNREADABLE as e:
        _malformed(pod, e)


def _columns(
    metadata: Mapping[str, Any], spec: Mapping[str, Any], status: Mapping[str, Any], now_t: datetime | None
) -> Columns:
    """:func:`kubectl_columns` on an object already read (raises the fast path's errors)."""
    phase = status.get("phase") or ""
    reason: str = status.get("reason") or phase
    conditions = status.get("conditions") or ()
    for cond in conditions:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {c.get("name", ""): c for c in spec.get("initContainers") or ()}
    containers = spec.get("containers") or ()
    if type(containers) is not list:
        containers = _containers(containers)
    total = len(containers)
    for c in init_specs.values():
        if c.get("restartPolicy") == "Always":  # _is_sidecar, inline: the hot path
            total += 1
    ready = restarts = sidecar_restarts = 0
    last_restart: str | None = None
    last_sidecar_restart: str | None = None

    initializing = False
    n_init = len(spec.get("initContainers") or ())
    for i, cs in enumerate(status.get("initContainerStatuses") or ()):
        count = cs.get("restartCount", 0)
        last = _last_terminated(cs)
        finished = last.get("finishedAt") if last else None
        restarts += count
        if finished is not None:
            last_restart = _later(last_restart, finished)
        name = cs.get("name", "")
        container = init_specs.get(name)
        if container is None and any(type(k) is not str for k in init_specs):
            _missing(next(k for k in init_specs if type(k) is not str))
        sidecar = container is not None and container.get("restartPolicy") == "Always"
        if sidecar:
            sidecar_restarts += count
            last_sidecar_restart = _later(last_sidecar_restart, finished)
        state = cs.get("state") or _empty(cs.get("state"))
        term = state.get("terminated")
        waiting = state.get("waiting")
        if term is not None:
            code = term.get("exitCode", 0)
            if code == 0:
                continue
            if type(code) is not int:
                raise TypeError("exitCode: expected an integer")  # explained by _malformed
        if sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:  # initialization failed
            if term.get("reason"):
                reason = "Init:" + term["reason"]
            elif term.get("signal"):
                reason = f"Init:Signal:{term['signal']}"
            else:
                reason = f"Init:ExitCode:{_code(term)}"
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
            last = _last_terminated(cs)
            if last and (finished := last.get("finishedAt")) is not None:
                last_restart = _later(last_restart, finished)
            state = cs.get("state") or _empty(cs.get("state"))
            waiting = state.get("waiting")
            term = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                reason = f"Signal:{term['signal']}" if term.get("signal") else f"ExitCode:{_code(term)}"
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
    if restarts != 0 and last_restart is not None and now_t is not None:
        display = f"{restarts} ({human_duration((now_t - parse_time(last_restart)).total_seconds())} ago)"
    return Columns(status=reason, ready=f"{ready}/{total}", restarts=restarts, restarts_display=display)


def reported_phase(pod: Mapping[str, Any] | Pod) -> PodPhase:
    """The phase the kubelet would publish for ``pod``: :func:`pod_phase`, except that a terminal
    ``status.phase`` is kept ("pods are not allowed to transition out of terminal phases",
    ``generateAPIPodStatus``)."""
    try:
        _, _, status = _parts(pod)
        current = status.get("phase")
        if current is not None and not isinstance(current, str):  # the API server refuses it
            raise TypeError(f"status.phase: {type(current).__name__}")
        terminal = current in _TERMINAL
    except _UNREADABLE as e:
        _malformed(pod, e)
    return PodPhase(str(current)) if terminal else pod_phase(pod)


class PodReport(NamedTuple):
    """Everything the oracle says about one pod, from one read of it (:func:`pod_report`)."""

    name: str
    phase: PodPhase  # the reported phase (:func:`reported_phase`)
    conditions: dict[str, Condition]  # computed with that phase
    columns: Columns


def pod_report(pod: Mapping[str, Any] | Pod, *, now: datetime | str | None = None) -> PodReport:
    """The reported phase, the conditions (computed with that phase, so the two agree) and kubectl's
    columns of ``pod``, reading the object once: the same answers as :func:`reported_phase`,
    :func:`pod_conditions` on the object with that phase, and :func:`kubectl_columns`. A malformed
    object raises :class:`~podfsm.errors.ManifestError`."""
    now_t = None if now is None else _now(now)
    try:
        metadata, spec, status = _parts(pod)
        current = status.get("phase")
        if current is not None and not isinstance(current, str):  # the API server refuses it
            raise TypeError(f"status.phase: {type(current).__name__}")
        by_name = _statuses_by_name(status)
        phase = PodPhase(current) if current in _TERMINAL else _phase(metadata, spec, status, by_name)
        return PodReport(
            metadata.get("name", ""),
            phase,
            _conditions(spec, status, phase, by_name),
            _columns(metadata, spec, status, now_t),
        )
    except _UNREADABLE as e:
        _malformed(pod, e)


def pod_summary(pod: Mapping[str, Any] | Pod, *, now: datetime | str | None = None) -> dict[str, Any]:
    """What ``podfsm status -o json`` prints for one pod.

    ``{"name", "phase", "status", "ready", "restarts", "conditions"}``; the conditions are
    computed with the reported phase, so the phase and the conditions always agree (one read of the
    object: :func:`pod_report`). A malformed object raises :class:`~podfsm.errors.ManifestError`.
    """
    r = pod_report(pod, now=now)
    return {
        "name": r.name,
        "phase": str(r.phase),
        "status": r.columns.status,
        "ready": r.columns.ready,
        "restarts": r.columns.restarts,
        "conditions": {k: c.to_dict() for k, c in r.conditions.items()},
    }
