"""The property registry: every law of the Pod lifecycle podfsm checks, by name.

Each :class:`Property` has a stable ``name`` (tests, the CLI and error messages quote it), a
``kind``, a one-line ``statement`` (the first line of its predicate's docstring, "Holds if …")
and its ``source`` (k8s-semantics.md §10 label, kubelet / API-server / e2e function, or "model").
The kinds follow stateright's vocabulary:

``always`` (:attr:`Kind.ALWAYS`)
    a predicate on one state, which must hold in every reachable state. It reads an
    :class:`Obs`: the plan, the model's :class:`~podfsm.machines.records.PodState`, the v1 Pod object
    :func:`~podfsm.kubelet.snapshot.pod_json` makes of it and the events the model enables there.
``always-step`` (:attr:`Kind.ALWAYS_STEP`)
    a predicate on one step ``(before, event, after)``, which must hold on every reachable
    transition (refinement checks: the phase graph, no resurrection, ``restartCount``).
``sometimes`` (:attr:`Kind.SOMETIMES`)
    reachability: some reachable state satisfies it (a witness, checked by the explorer at
    the end of a search; ``applies(plan, max_restarts)`` says for which pods it must be found).
``eventually`` (:attr:`Kind.EVENTUALLY`)
    a hot/cold monitor: once ``trigger`` has held on a path, ``goal`` must hold at that state or
    a later one. It is checked on *maximal finite* paths, those ending in a quiescent state (no
    event enabled): reaching one while the monitor is hot is a violation. **On cycles** (a
    CrashLoopBackOff under ``Always`` loops for ever) a path never ends, so a goal missed on a
    cycle is not reported: the same false negative stateright documents. Paths cut by the
    explorer's bounds (depth, restarts) are not maximal and are not judged either; the explorer
    merges states by key, and the monitor's state is taken from the first path that reached a
    key (another false-negative source, also stateright's).

Properties that need a feature the model does not have are registered when they can be written
against the Pod object so that they are vacuously but honestly true until the feature lands and
then check it (``if metadata.deletionTimestamp is set …``: deletion has landed since). The rest
are in :data:`PENDING` with the reason, never as a check that cannot fail.

**Removal.** Once the pod is gone from the API (the model's stage ``REMOVED``) nothing more is
observable: the runners (:mod:`podfsm.verification.explorer`, :mod:`podfsm.verification.verify`) judge the removal state
(the object a DELETED watch event carries) and the step into it, and nothing after it.

**Timing bounds** (termination within the grace period and the stop window, the active
deadline) assume a healthy node (:func:`node_is_healthy`): the kubelet reports, and the runtime
answers the kubelet's requests; a start the runtime has not answered moves the bound.

Usage::

    from podfsm.verification import invariants
    for prop in invariants.properties(invariants.Kind.ALWAYS):
        assert prop.holds_state(obs), prop.name
    invariants.get("terminal-phase-absorbing")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, NamedTuple

from podfsm.engine import enabled_events
from podfsm.events import Event
from podfsm.kubelet.snapshot import pod_json
from podfsm.machines.pod import PStage
from podfsm.machines.records import CState, Ctr, PodPlan, PodState
from podfsm.oracle import Columns, kubectl_columns, pod_conditions, pod_phase, reported_phase
from podfsm.timefmt import parse_time

__all__ = [
    "PENDING",
    "REGISTRY",
    "Judge",
    "Kind",
    "Obs",
    "Pending",
    "Property",
    "PropertyViolation",
    "get",
    "observe",
    "properties",
]

JSON = dict[str, Any]


class Kind(StrEnum):
    """What a property quantifies over (stateright's ``Expectation``)."""

    ALWAYS = "always"  # every reachable state
    ALWAYS_STEP = "always-step"  # every reachable transition
    SOMETIMES = "sometimes"  # some reachable state
    EVENTUALLY = "eventually"  # after the trigger, on every maximal finite path


# ---------------------------------------------------------------------------------------------
# Observations: what a property reads
# ---------------------------------------------------------------------------------------------


class CStatus(NamedTuple):
    """One spec container with its v1 status (``None`` when the object has none) and what
    properties read of it, extracted once."""

    name: str
    sidecar: bool
    init: bool  # an init container (regular or sidecar)
    status: Mapping[str, Any] | None
    kind: str  # running | waiting | terminated | "" (no status, or an empty state)
    term: Mapping[str, Any] | None  # state.terminated
    last: Mapping[str, Any] | None  # lastState.terminated
    restarts: int  # restartCount
    reason: str  # state.waiting.reason
    ready: bool
    started: bool

    @property
    def regular_init(self) -> bool:
        return self.init and not self.sidecar

    @property
    def newest_exit(self) -> Mapping[str, Any] | None:
        """The newest exited instance shown: ``state.terminated``, else ``lastState.terminated``."""
        return self.term or self.last


def _cstatus(name: str, sidecar: bool, init: bool, cs: Mapping[str, Any] | None) -> CStatus:
    if cs is None:
        return CStatus(name, sidecar, init, None, "", None, None, 0, "", False, False)
    state = cs.get("state") or _EMPTY
    kind = ""
    for k in ("running", "terminated", "waiting"):
        if state.get(k) is not None:
            kind = k
            break
    waiting = state.get("waiting") or _EMPTY
    return CStatus(
        name,
        sidecar,
        init,
        cs,
        kind,
        state.get("terminated"),
        (cs.get("lastState") or _EMPTY).get("terminated"),
        int(cs.get("restartCount") or 0),
        str(waiting.get("reason") or ""),
        bool(cs.get("ready")),
        bool(cs.get("started")),
    )


_EMPTY: Final[Mapping[str, Any]] = {}
_TIMES: dict[tuple[str, str], int] = {}


class Obs:
    """One observed state: the plan, the model state, its v1 Pod object and the enabled events.

    Derived views (statuses by container, conditions, kubectl columns, the reported phase) are
    computed once, on first use, and shared by every property.
    """

    __slots__ = (
        "_columns",
        "_conds",
        "_done",
        "_enabled",
        "_reported",
        "_statuses",
        "deleted",
        "meta",
        "phase",
        "plan",
        "pod",
        "removed",
        "restart_policy",
        "spec",
        "state",
        "status",
        "t",
        "terminal",
    )

    def __init__(self, plan: PodPlan, state: PodState, pod: JSON, enabled: Sequence[Event] | None) -> None:
        self.plan = plan
        self.state = state
        self.pod = pod
        self._enabled = enabled
        self._statuses: tuple[CStatus, ...] | None = None
        self._conds: dict[str, Mapping[str, Any]] | None = None
        self._columns: Columns | None = None
        self._reported: str | None = None
        self._done: bool | None = None
        #: the model's logical time (seconds since ``config.epoch``)
        self.t: int = state.t
        self.spec: Mapping[str, Any] = pod.get("spec") or _EMPTY
        self.meta: Mapping[str, Any] = pod.get("metadata") or _EMPTY
        self.status: Mapping[str, Any] = pod.get("status") or _EMPTY
        #: ``status.phase``
        self.phase: str = str(self.status.get("phase") or "")
        self.terminal: bool = self.phase in ("Succeeded", "Failed")
        self.restart_policy: str = str(self.spec.get("restartPolicy") or "Always")
        #: ``metadata.deletionTimestamp`` is set
        self.deleted: bool = self.meta.get("deletionTimestamp") is not None
        #: the API object is gone (the model's stage REMOVED): what it shows is its last state
        self.removed: bool = state.stage is PStage.REMOVED

    @property
    def enabled(self) -> Sequence[Event]:
        """The events the model enables in this state (computed on first use when not given)."""
        if self._enabled is None:
            self._enabled = enabled_events(self.plan, self.state)
        return self._enabled

    @enabled.setter
    def enabled(self, events: Sequence[Event]) -> None:
        self._enabled = events

    @property
    def statuses(self) -> tuple[CStatus, ...]:
        """Every spec container (init containers first, in spec order) with its status."""
        if self._statuses is None:
            status = self.status
            by_name: dict[str, Mapping[str, Any]] = {}
            for key in ("initContainerStatuses", "containerStatuses"):
                for cs in status.get(key) or ():
                    by_name[cs.get("name", "")] = cs
            out = []
            for c in self.spec.get("initContainers") or ():
                name = c.get("name", "")
                out.append(_cstatus(name, c.get("restartPolicy") == "Always", True, by_name.get(name)))
            for c in self.spec.get("containers") or ():
                name = c.get("name", "")
                out.append(_cstatus(name, False, False, by_name.get(name)))
            self._statuses = tuple(out)
        return self._statuses

    def cond(self, ctype: str) -> Mapping[str, Any] | None:
        """The condition of type ``ctype``, or ``None``."""
        if self._conds is None:
            self._conds = {c.get("type", ""): c for c in self.status.get("conditions") or ()}
        return self._conds.get(ctype)

    @property
    def columns(self) -> Columns:
        """kubectl's STATUS / READY / RESTARTS of the object (``printPod``)."""
        if self._columns is None:
            self._columns = kubectl_columns(self.pod)
        return self._columns

    @property
    def reported_phase(self) -> str:
        """:func:`podfsm.oracle.reported_phase` of the object: ``getPhase``, a terminal phase kept."""
        if self._reported is None:
            self._reported = str(reported_phase(self.pod))
        return self._reported

    def secs(self, stamp: str) -> int:
        """Seconds since ``config.epoch`` of an RFC 3339 timestamp of the object."""
        epoch = self.plan.config.epoch
        key = (epoch, stamp)
        value = _TIMES.get(key)
        if value is None:
            value = int((parse_time(stamp) - parse_time(epoch)).total_seconds())
            if len(_TIMES) > 100_000:
                _TIMES.clear()
            _TIMES[key] = value
        return value

    @property
    def quiescent(self) -> bool:
        """No event is enabled: a run of the model ends here."""
        return not self.enabled


def observe(
    plan: PodPlan, state: PodState, prev_pod: JSON | None = None, enabled: Sequence[Event] | None = None
) -> Obs:
    """An :class:`Obs` of ``state`` (``prev_pod``: the object before, for ``lastTransitionTime``;
    ``enabled``: the enabled events, if already known)."""
    return Obs(plan, state, pod_json(plan, state, prev_pod), enabled)


# Helpers on container statuses ------------------------------------------------------------------


def _exit_code(term: Mapping[str, Any] | None) -> int:
    return int((term or _EMPTY).get("exitCode") or 0)


def _pairs(prev: Obs, nxt: Obs) -> Iterable[tuple[CStatus, CStatus]]:
    """The two observations' statuses container by container (the spec never changes)."""
    return zip(prev.statuses, nxt.statuses, strict=True)


def _init_failed(c: CStatus) -> bool:
    """A regular init container whose newest instance failed (getPhase's ``failedInit`` rows)."""
    if c.kind == "terminated":
        return _exit_code(c.term) != 0
    if c.kind == "waiting" and c.last is not None:
        return _exit_code(c.last) != 0
    return False


def _all_regular_done_for_good(o: Obs) -> bool:
    """Every regular container shows terminated and the restart policy forbids restarting it
    (``ShouldContainerBeRestarted`` without its deletion rule: a start already in flight when a
    delete arrives still completes)."""
    if o._done is None:
        regular = [c for c in o.statuses if not c.init]
        policy = o.restart_policy
        o._done = bool(regular) and all(
            c.kind == "terminated"
            and (policy == "Never" or (policy == "OnFailure" and _exit_code(c.term) == 0))
            for c in regular
        )
    return o._done


def node_is_healthy(o: Obs) -> bool:
    """True iff the pod's node is healthy: its kubelet reports (``PodState.away`` is false), the
    node lifecycle controller has not marked the pod NotReady, and the container runtime is not
    holding the kubelet up: no container start is in flight (the kubelet waits for the runtime's
    answer before it can stop that container; a real runtime answers or times out, the model's
    environment may take as long as it likes). The timing bounds of termination assume it."""
    return (
        not o.state.away
        and not o.state.not_ready_marked
        and not any(c.state is CState.CREATING for c in o.state.ctrs)
    )


# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------

StatePredicate = Callable[[Obs], bool]
StepPredicate = Callable[[Obs, Event, Obs], bool]
Applies = Callable[[PodPlan, int], bool]


def _always_applies(plan: PodPlan, max_restarts: int) -> bool:
    return True


@dataclass(frozen=True)
class Property:
    """One named property. ``check`` is a state predicate (``always``, ``sometimes``, the goal of
    ``eventually``) or a step predicate (``always-step``); ``trigger`` arms an ``eventually``."""

    name: str
    kind: Kind
    statement: str
    source: str
    check: Callable[..., bool] = field(repr=False)
    trigger: StatePredicate | None = field(default=None, repr=False)
    applies: Applies = field(default=_always_applies, repr=False)

    @property
    def doc(self) -> str:
        """The predicate's whole docstring."""
        return (self.check.__doc__ or "").strip()

    def holds_state(self, o: Obs) -> bool:
        """The state predicate on ``o`` (``always``, ``sometimes``, ``eventually``'s goal)."""
        return bool(self.check(o))

    def holds_step(self, prev: Obs, event: Event, nxt: Obs) -> bool:
        """The step predicate on ``prev --event--> nxt`` (``always-step``)."""
        return bool(self.check(prev, event, nxt))

    def armed(self, o: Obs) -> bool:
        """``eventually``: the trigger holds in ``o``."""
        return self.trigger is not None and bool(self.trigger(o))


class Pending(NamedTuple):
    """A property that cannot be checked against the model yet, and why."""

    statement: str
    source: str
    reason: str


REGISTRY: dict[str, Property] = {}


def _register(
    name: str,
    kind: Kind,
    source: str,
    trigger: StatePredicate | None = None,
    applies: Applies = _always_applies,
) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    def deco(fn: Callable[..., bool]) -> Callable[..., bool]:
        doc = (fn.__doc__ or "").strip()
        if not doc.startswith("Holds if"):
            raise ValueError(
                f"property {name!r}: the docstring must start with 'Holds if' (got {doc[:40]!r})"
            )
        if name in REGISTRY:
            raise ValueError(f"property {name!r} registered twice")
        statement = " ".join(doc.split("\n\n")[0].split())
        REGISTRY[name] = Property(name, kind, statement, source, fn, trigger, applies)
        return fn

    return deco


def always(name: str, source: str) -> Callable[[StatePredicate], StatePredicate]:
    """Register a state predicate that must hold in every reachable state."""
    return _register(name, Kind.ALWAYS, source)


def always_step(name: str, source: str) -> Callable[[StepPredicate], StepPredicate]:
    """Register a step predicate that must hold on every reachable transition."""
    return _register(name, Kind.ALWAYS_STEP, source)


def sometimes(name: str, source: str, applies: Applies) -> Callable[[StatePredicate], StatePredicate]:
    """Register a reachability witness, required for the pods ``applies`` selects."""
    return _register(name, Kind.SOMETIMES, source, applies=applies)


def eventually(name: str, source: str, trigger: StatePredicate) -> Callable[[StatePredicate], StatePredicate]:
    """Register a hot/cold monitor: after ``trigger``, the decorated goal on every maximal finite path."""
    return _register(name, Kind.EVENTUALLY, source, trigger=trigger)


def get(name: str) -> Property:
    """The property called ``name``; ``KeyError`` listing the available names otherwise."""
    prop = REGISTRY.get(name)
    if prop is None:
        raise KeyError(f"Unknown property. requested={name!r}, available={sorted(REGISTRY)}")
    return prop


def properties(*kinds: Kind) -> list[Property]:
    """The registered properties of the given kinds (all of them without arguments), in order."""
    return [p for p in REGISTRY.values() if not kinds or p.kind in kinds]


class PropertyViolation(AssertionError):
    """A property failed. ``prop`` is the property, ``where`` describes the state or step; runners
    add ``script`` (the event script that reaches it) and ``pod`` (the pod manifest)."""

    def __init__(self, prop: Property, where: str, detail: str = "") -> None:
        self.prop = prop
        self.where = where
        self.detail = detail
        self.script: list[dict[str, Any]] = []
        self.pod: JSON = {}
        super().__init__(self._text())

    def _text(self) -> str:
        text = f"property {self.prop.name!r} violated ({self.prop.kind}): {self.prop.statement}\n  source: {self.prop.source}\n  at: {self.where}"
        if self.detail:
            text += f"\n  {self.detail}"
        return text

    def with_trace(self, pod: JSON, script: list[dict[str, Any]], rendered: str) -> PropertyViolation:
        """Attach the reproducer (the pod and the event script) and re-render the message."""
        self.pod = pod
        self.script = script
        self.args = (self._text() + ("\n" + rendered if rendered else ""),)
        return self

    @staticmethod
    def of(prop: Property, where: str, detail: str = "") -> PropertyViolation:
        """A violation of ``prop`` as an instance of the property's own subclass
        (``TerminalPhaseAbsorbingViolation``...), so that Hypothesis reports and shrinks each
        violated property separately (it tells bugs apart by exception type)."""
        cls = _VIOLATION_TYPES.get(prop.name)
        if cls is None:
            title = "".join(part.capitalize() for part in prop.name.replace(".", "-").split("-"))
            cls = type(f"{title}Violation", (PropertyViolation,), {"__module__": __name__})
            _VIOLATION_TYPES[prop.name] = cls
        return cls(prop, where, detail)


_VIOLATION_TYPES: dict[str, type[PropertyViolation]] = {}


class Judge:
    """How a run of the model is judged against a set of properties: the one judge the explorer and
    the Hypothesis suites share.

    ``always`` properties are checked on every state and ``always-step`` ones on every step; each
    ``eventually`` property has a monitor (a bit of ``hot``) that is armed by a state where its
    trigger holds and cleared by a state where its goal holds, and a run that ends (no event
    enabled) with a monitor still hot fails that property; ``sometimes`` properties are witnessed
    by any state that satisfies them. ``checks`` counts every evaluation, per property.
    """

    __slots__ = ("always", "checks", "eventually", "sometimes", "step")

    def __init__(self, props: Iterable[Property], checks: dict[str, int] | None = None) -> None:
        """``checks``: where to count (a ``Counter`` shared by several runs); a fresh dict by default."""
        chosen = list(props)
        self.always = [p for p in chosen if p.kind is Kind.ALWAYS]
        self.step = [p for p in chosen if p.kind is Kind.ALWAYS_STEP]
        self.eventually = [p for p in chosen if p.kind is Kind.EVENTUALLY]
        self.sometimes = [p for p in chosen if p.kind is Kind.SOMETIMES]
        if checks is None:
            checks = {p.name: 0 for p in chosen}
        else:
            for p in chosen:
                checks.setdefault(p.name, 0)
        self.checks = checks

    def state_failure(self, o: Obs) -> Property | None:
        """The first ``always`` property that fails in ``o``, or ``None``."""
        checks = self.checks
        for p in self.always:
            checks[p.name] += 1
            if not p.holds_state(o):
                return p
        return None

    def step_failure(self, prev: Obs, event: Event, nxt: Obs) -> Property | None:
        """The first ``always-step`` property that fails on ``prev --event--> nxt``, or ``None``."""
        checks = self.checks
        for p in self.step:
            checks[p.name] += 1
            if not p.holds_step(prev, event, nxt):
                return p
        return None

    def monitors(self, o: Obs, hot: int) -> int:
        """The ``eventually`` monitors after ``o``: bit ``i`` set while property ``i`` is owed its goal."""
        for bit, p in enumerate(self.eventually):
            mask = 1 << bit
            if (hot & mask or p.armed(o)) and not p.holds_state(o):
                hot |= mask
            else:
                hot &= ~mask
        return hot

    def unmet(self, o: Obs, hot: int) -> Property | None:
        """The first ``eventually`` property still owed its goal when the run ends at ``o``
        (quiescent), or ``None``."""
        if not hot or not o.quiescent:
            return None
        for bit, p in enumerate(self.eventually):
            if hot & (1 << bit):
                self.checks[p.name] += 1
                return p
        return None

    def witnessed(self, o: Obs, pending: list[Property]) -> list[Property]:
        """The ``sometimes`` properties of ``pending`` that ``o`` satisfies (removed from ``pending``)."""
        found = []
        for p in list(pending):
            self.checks[p.name] += 1
            if p.holds_state(o):
                found.append(p)
                pending.remove(p)
        return found


# =============================================================================================
# §10.1 Enforced by the kubelet: K1–K9
# =============================================================================================


@always_step(
    "terminal-phase-absorbing",
    "K1: kubelet_pods.go generateAPIPodStatus; status_manager.go updateStatusInternal",
)
def terminal_phase_absorbing(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if a terminal phase (Succeeded, Failed) never changes: "pods are not allowed to transition out of terminal phases"."""
    return not prev.terminal or nxt.phase == prev.phase


def _resurrections(prev: Obs, nxt: Obs) -> list[str]:
    """Containers that left ``terminated`` although the rule forbids it (checkContainerStateTransition /
    ValidateContainerStateTransition): allowed under pod restartPolicy Always, for sidecars, and
    under OnFailure when the instance failed."""
    policy = prev.restart_policy
    if policy == "Always":
        return []
    bad = []
    for a, b in _pairs(prev, nxt):
        if a.sidecar or a.kind != "terminated" or b.kind == "terminated":
            continue
        if policy == "OnFailure" and _exit_code(a.term) != 0:
            continue
        bad.append(a.name)
    return bad


@always_step("no-illegal-container-resurrection", "K2: status_manager.go checkContainerStateTransition")
def no_illegal_container_resurrection(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if no container leaves the terminated state unless the kubelet may restart it: pod restartPolicy Always, a sidecar, or OnFailure after a failure.

    The kubelet aborts the whole status update otherwise ("terminated container %v attempted
    illegal transition to non-terminated state").
    """
    return not _resurrections(prev, nxt)


@always_step(
    "apiserver-container-state-transition",
    "A1: pkg/apis/core/validation ValidatePodStatusUpdate → ValidateContainerStateTransition, ValidateInitContainerStateTransition",
)
def apiserver_container_state_transition(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if the API server would accept the status update: a terminated container or init container "may not be transitioned to non-terminated state" unless the *old* pod's restartPolicy allows it.

    With one pod and an immutable spec the rule coincides with K2; it is kept under its own name
    because the API server enforces it independently of the kubelet (and a model of a status
    update from elsewhere would be judged by it alone).
    """
    return not _resurrections(prev, nxt)


@always(
    "no-terminal-phase-while-running", "K3: status_manager.go mergePodStatus (couldHaveRunningContainers)"
)
def no_terminal_phase_while_running(o: Obs) -> bool:
    """Holds if a terminal phase is never published while a container may still run: the object shows none running, and the model has none running, stopping or with its start in flight."""
    if not o.terminal:
        return True
    return all(c.kind != "running" for c in o.statuses) and all(c.state in _NO_INSTANCE for c in o.state.ctrs)


# Container machine states in which no instance of the container runs or is being started.
_NO_INSTANCE: Final = frozenset(
    {
        CState.WAITING,
        CState.PULLING,
        CState.PULL_BACKOFF,
        CState.CREATE_ERROR,
        CState.TERMINATED,
        CState.CRASH_BACKOFF,
        CState.ABANDONED,
    }
)


@always("terminal-phase-not-ready", "K4: status_manager.go mergePodStatus; https://issues.k8s.io/108594")
def terminal_phase_not_ready(o: Obs) -> bool:
    """Holds if a terminal phase implies Ready=False and ContainersReady=False (so terminal ⇒ not Ready)."""
    if not o.terminal:
        return True
    ready, containers_ready = o.cond("Ready"), o.cond("ContainersReady")
    return (ready is None or ready.get("status") != "True") and (
        containers_ready is None or containers_ready.get("status") != "True"
    )


@always("finished-pod-is-terminal", "K5: status_manager.go TerminatePod")
def finished_pod_is_terminal(o: Obs) -> bool:
    """Holds if a pod the kubelet has finished terminating (stage FINISHED) is in a terminal phase."""
    return o.state.stage is not PStage.FINISHED or o.terminal


@always(
    "succeeded-means-every-container-exited-0", "K5: status_manager.go TerminatePod; kubelet_pods.go getPhase"
)
def succeeded_means_every_container_exited_0(o: Obs) -> bool:
    """Holds if phase Succeeded implies every regular container shows terminated with exit code 0: missing results are never success."""
    if o.phase != "Succeeded":
        return True
    return all(c.kind == "terminated" and _exit_code(c.term) == 0 for c in o.statuses if not c.init)


@always(
    "status-unknown-is-exit-137",
    "K5: status_manager.go TerminatePod; kubelet_pods.go convertToAPIContainerStatuses",
)
def status_unknown_is_exit_137(o: Obs) -> bool:
    """Holds if every ContainerStatusUnknown termination the kubelet synthesizes has exit code 137."""
    for c in o.statuses:
        for term in (c.term, c.last):
            if (
                term is not None
                and term.get("reason") == "ContainerStatusUnknown"
                and _exit_code(term) != 137
            ):
                return False
    return True


@always_step("start-time-immutable", "K6: status_manager.go updateStatusInternal")
def start_time_immutable(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if ``status.startTime`` never changes once set."""
    before = prev.status.get("startTime")
    return before is None or nxt.status.get("startTime") == before


@always_step("condition-transition-time", "K6: status_manager.go updateStatusInternal")
def condition_transition_time(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if a condition's ``lastTransitionTime`` changes only when its status changes (and then to now)."""
    for c in nxt.status.get("conditions") or ():
        old = prev.cond(c.get("type", ""))
        if old is None:
            continue
        if old.get("status") == c.get("status"):
            if c.get("lastTransitionTime") != old.get("lastTransitionTime"):
                return False
        elif nxt.secs(c["lastTransitionTime"]) != nxt.t:
            return False
    return True


_START_IN_FLIGHT: Final = frozenset({CState.PULLING, CState.CREATING})


@always_step(
    "deleted-pod-never-restarts", "K8: container/helpers.go ShouldContainerBeRestarted (deletionTimestamp)"
)
def deleted_pod_never_restarts(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if, once ``metadata.deletionTimestamp`` is set, the kubelet decides no new start: no container begins a pull or a create.

    A start already in flight when the delete arrives may still complete (``SyncPod`` finishes
    before ``SyncTerminatingPod`` kills it), so ``restartCount`` may still grow once; a new start
    decision is what ``ShouldContainerBeRestarted`` forbids.
    """
    if not prev.deleted:
        return True
    return all(
        b.state not in _START_IN_FLIGHT or a.state in _START_IN_FLIGHT
        for a, b in zip(prev.state.ctrs, nxt.state.ctrs, strict=True)
    )


def _probe_events(o: Obs, kinds: Iterable[str]) -> bool:
    wanted = set(kinds)
    return any(ev.NAME == "probe" and getattr(ev, "probe", None) in wanted for ev in o.enabled)


@always(
    "probes-stop-when-terminal",
    "K9: prober_manager.go; worker.go doProbe (liveness/startup stop on deletion)",
)
def probes_stop_when_terminal(o: Obs) -> bool:
    """Holds if no probe runs once the phase is terminal, and no liveness or startup probe runs once the pod is deleted.

    Read on the enabled events (a ``probe`` event is a probe run): vacuously true until the model
    runs probes, then a check on them.
    """
    if o.removed:
        return True  # the object is gone: what the runtime still does is not observable
    if o.terminal and _probe_events(o, ("startup", "liveness", "readiness")):
        return False
    return not (o.deleted and _probe_events(o, ("startup", "liveness")))


# =============================================================================================
# §10.3 Asserted by e2e "Pods Extended → Pod Container Status": E1–E10
# =============================================================================================


@always("e2e-init-statuses", "E1: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_init_statuses(o: Obs) -> bool:
    """Holds if ``initContainerStatuses``, whenever non-empty, has exactly one entry per init container (in spec order), and is empty when the spec has none."""
    inits = [c.get("name") for c in o.spec.get("initContainers") or ()]
    shown = [cs.get("name") for cs in o.status.get("initContainerStatuses") or ()]
    if not inits:
        return not shown
    return not shown or shown == inits


@always_step("e2e-init-statuses-never-vanish", "E1: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_init_statuses_never_vanish(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if ``initContainerStatuses`` never becomes empty again once it was non-empty."""
    return not prev.status.get("initContainerStatuses") or bool(nxt.status.get("initContainerStatuses"))


@always("e2e-container-statuses", "E2: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_container_statuses(o: Obs) -> bool:
    """Holds if ``containerStatuses``, whenever non-empty, has exactly one entry per container, in spec order."""
    names = [c.get("name") for c in o.spec.get("containers") or ()]
    shown = [cs.get("name") for cs in o.status.get("containerStatuses") or ()]
    return not shown or shown == names


@always_step("e2e-container-statuses-never-vanish", "E2: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_container_statuses_never_vanish(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if ``containerStatuses`` never becomes empty again once it was non-empty."""
    return not prev.status.get("containerStatuses") or bool(nxt.status.get("containerStatuses"))


@always("e2e-blocked-container-never-starts", "E3: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_blocked_container_never_starts(o: Obs) -> bool:
    """Holds if, under restartPolicy Never, once a regular init container failed every regular container stays waiting, not started, with no ``lastState.terminated``."""
    if o.restart_policy != "Never":
        return True
    if not any(c.init and not c.sidecar and _init_failed(c) for c in o.statuses):
        return True
    for c in o.statuses:
        if c.init or c.status is None:
            continue
        if c.started or c.last is not None or c.kind != "waiting":
            return False
    return True


@always("e2e-container-status-exists", "E4: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_container_status_exists(o: Obs) -> bool:
    """Holds if every container of the spec has a status once the pod is bound to a node."""
    return not o.spec.get("nodeName") or all(c.status is not None for c in o.statuses)


@always_step("e2e-terminated-is-absorbing", "E5: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_terminated_is_absorbing(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if, under restartPolicy Never, a container (not a sidecar) seen terminated stays terminated with the same exit code."""
    if prev.restart_policy != "Never":
        return True
    for a, b in _pairs(prev, nxt):
        if a.sidecar or a.kind != "terminated":
            continue
        if b.kind != "terminated" or _exit_code(b.term) != _exit_code(a.term):
            return False
    return True


_REASON_CODE: Final[dict[str, Callable[[int], bool]]] = {
    "Completed": lambda code: code == 0,
    "Error": lambda code: code != 0,
    "OOMKilled": lambda code: code != 0,
    "ContainerStatusUnknown": lambda code: code == 137,
    "StartError": lambda code: code == 128,
    "ContainerCannotRun": lambda code: code == 128,
}


@always("e2e-plausible-exit-codes", "E6: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_plausible_exit_codes(o: Obs) -> bool:
    """Holds if every termination shown has a plausible (exit code, reason): exit 0 only as Completed, Completed only with 0, ContainerStatusUnknown 137, StartError 128.

    The e2e pod runs ``/bin/false`` and so accepts only 1, 137 and 128; the model's containers
    may exit with anything, so the check keeps the part that applies: never "success" for an
    instance that did not complete, never a kubelet-synthesized reason with another code.
    """
    for c in o.statuses:
        for term in (c.term, c.last):
            if term is None:
                continue
            code, reason = _exit_code(term), str(term.get("reason") or "")
            if code == 0 and reason not in ("Completed", ""):
                return False
            ok = _REASON_CODE.get(reason)
            if ok is not None and not ok(code):
                return False
    return True


@always("e2e-sane-timestamps", "E7: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_sane_timestamps(o: Obs) -> bool:
    """Holds if every termination with ``finishedAt`` also has ``startedAt``, and startedAt ≤ finishedAt ≤ now.

    The e2e's "at most 1 h" is specific to its pods, deleted within 2 s; the model's containers
    may run for as long as the events say.
    """
    for c in o.statuses:
        for term in (c.term, c.last):
            if term is None or term.get("finishedAt") is None:
                continue
            if term.get("startedAt") is None:
                return False
            if not o.secs(term["startedAt"]) <= o.secs(term["finishedAt"]) <= o.t:
                return False
    return True


@always_step("e2e-phase-never-reverts", "E8: test/e2e/node/pods.go podStartVerifier.Verify")
def e2e_phase_never_reverts(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if a pod observed in a terminal phase is never observed in a non-terminal one later."""
    return not prev.terminal or nxt.terminal


@always("e2e-no-lingering-nonterminal-phase", "E9: test/e2e/node/pods.go podStartVerifier.VerifyFinal")
def e2e_no_lingering_nonterminal_phase(o: Obs) -> bool:
    """Holds if a run's last state (no event enabled) that never reached a terminal phase is Pending with no running container.

    The e2e judges the last state before the pod's DELETED watch event; the model does not
    remove API objects, so the judged state is the quiescent one where the run ends.
    """
    if not o.quiescent or o.terminal:
        return True
    return o.phase == "Pending" and all(c.kind != "running" for c in o.statuses)


@always("e2e-no-running-container-at-end", "E10: test/e2e/node/pods.go podStartVerifier.VerifyFinal")
def e2e_no_running_container_at_end(o: Obs) -> bool:
    """Holds if a run's last state (no event enabled) has no container whose state is neither waiting nor terminated.

    Like VerifyFinal, it reads the statuses the object has: a pod deleted before it was scheduled has none.
    """
    return not o.quiescent or all(c.status is None or c.kind in ("waiting", "terminated") for c in o.statuses)


# =============================================================================================
# The model's own properties (README, k8s-semantics.md §2–§8)
# =============================================================================================

_NOT_BEGUN: Final = frozenset({CState.WAITING, CState.ABANDONED})
_AT_REST: Final = frozenset({CState.WAITING, CState.TERMINATED, CState.ABANDONED})


def _begun(c: Ctr) -> bool:
    """The kubelet has started work on the container (pull, create, run) at some point."""
    return c.ever_started or c.term is not None or c.state not in _NOT_BEGUN


def _init_done(plan: PodPlan, idx: int, c: Ctr) -> bool:
    """An init container is done: a sidecar once it has run, a regular one once it exited 0."""
    if idx in plan.sidecar_idx:
        return c.ever_started
    return c.state is CState.TERMINATED and c.term is not None and c.term.exit_code == 0


@always("init-containers-in-order", "model: kuberuntime_manager.go computeInitContainerActions; README")
def init_containers_in_order(o: Obs) -> bool:
    """Holds if no init container begins (pull, create, run) before every init container declared before it is done (exited 0; a sidecar: started)."""
    plan, ctrs = o.plan, o.state.ctrs
    for pos, j in enumerate(plan.init_idx):
        if _begun(ctrs[j]) and not all(_init_done(plan, i, ctrs[i]) for i in plan.init_idx[:pos]):
            return False
    return True


@always("init-containers-one-at-a-time", "model: kuberuntime_manager.go computeInitContainerActions; README")
def init_containers_one_at_a_time(o: Obs) -> bool:
    """Holds if at most one regular init container is in flight (pulling, creating, running, backing off) at a time."""
    busy = sum(
        1 for i in o.plan.init_idx if i not in o.plan.sidecar_idx and o.state.ctrs[i].state not in _AT_REST
    )
    return busy <= 1


@always("no-app-container-before-initialization", "model: kuberuntime_manager.go computePodActions; README")
def no_app_container_before_initialization(o: Obs) -> bool:
    """Holds if no regular container begins before every init container is done (exited 0; a sidecar: started)."""
    plan, ctrs = o.plan, o.state.ctrs
    if not any(_begun(ctrs[i]) for i in plan.regular_idx):
        return True
    return all(_init_done(plan, i, ctrs[i]) for i in plan.init_idx)


@always_step(
    "never-policy-never-restarts",
    "model: container/helpers.go ShouldContainerBeRestarted (restartPolicy Never)",
)
def never_policy_never_restarts(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if, under restartPolicy Never, the restartCount of a container that is not a sidecar never grows."""
    if prev.restart_policy != "Never":
        return True
    return all(a.sidecar or b.restarts == a.restarts for a, b in _pairs(prev, nxt))


@always_step("restart-count-monotonic", "model: kubelet_pods.go convertToAPIContainerStatuses (restartCount)")
def restart_count_monotonic(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if no restartCount ever decreases, and none grows by more than one in a step."""
    return all(0 <= b.restarts - a.restarts <= 1 for a, b in _pairs(prev, nxt))


@always_step(
    "restart-count-counts-restarts", "model: kubelet_pods.go convertToAPIContainerStatuses (restartCount)"
)
def restart_count_counts_restarts(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if restartCount grows only when an exited instance is replaced, and a replacement instance shown running has restartCount ≥ 1.

    Grown ⇒ the previous state showed an exited instance (the new one may not show yet: during its
    postStart hook the status is still the one the blocked sync started with, so the count can
    grow a step before the instance shows running).
    """
    for a, b in _pairs(prev, nxt):
        if b.restarts > a.restarts and a.newest_exit is None:
            return False
        running_anew = b.kind == "running" and a.kind != "running"
        if running_anew and a.newest_exit is not None and b.restarts < 1:
            return False
    return True


def _decision_expired(cfg_max: int, before: Ctr, after: Ctr) -> bool:
    """flowcontrol ``hasExpired`` for the back-off decision between ``before`` and ``after``:
    eventTime − lastUpdate > 2 × max, eventTime being the finishedAt of the exit decided on
    (``after.term``: the exited instance stays the newest until the new one starts)."""
    return after.term is not None and after.term.finished_at - before.backoff_at > 2 * cfg_max


def _decisions(prev: Obs, nxt: Obs) -> Iterator[tuple[Ctr, Ctr]]:
    """``(before, after)`` for each container whose crash-loop back-off entry changed in the step."""
    for a, b in zip(prev.state.ctrs, nxt.state.ctrs, strict=True):
        if a.backoff_at != b.backoff_at or a.backoff != b.backoff:
            yield a, b


@always_step("backoff-ladder", "model: kuberuntime_manager.go doBackOff; client-go flowcontrol.Backoff.Next")
def backoff_ladder(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if every crash-loop back-off decision sets the period by the ladder: the initial period (10 s) for a new or expired entry, else double the last one, capped (300 s)."""
    cfg = prev.plan.config
    for a, b in _decisions(prev, nxt):
        if a.backoff == 0 or _decision_expired(cfg.back_off_max, a, b):
            expected = cfg.back_off_initial
        else:
            expected = min(2 * a.backoff, cfg.back_off_max)
        if b.backoff != expected:
            return False
    return True


@always_step("restart-waits-for-backoff", "model: kuberuntime_manager.go doBackOff (IsInBackOffSince)")
def restart_waits_for_backoff(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if a container is restarted (a back-off decision) no earlier than its exit's finishedAt plus the back-off period in force."""
    cfg = prev.plan.config
    for a, b in _decisions(prev, nxt):
        if b.term is None or a.backoff == 0 or _decision_expired(cfg.back_off_max, a, b):
            continue
        if b.backoff_at - b.term.finished_at < a.backoff:
            return False
    return True


@always(
    "first-restart-immediate", "model: kuberuntime_manager.go doBackOff (no entry before the first restart)"
)
def first_restart_immediate(o: Obs) -> bool:
    """Holds if no container shows CrashLoopBackOff before its first restart (restartCount ≥ 1): the first restart is immediate."""
    return all(c.reason != "CrashLoopBackOff" or c.restarts >= 1 for c in o.statuses)


_RUNNING_STATES: Final = frozenset({CState.RUNNING, CState.POST_START})


def _kill_grace(o: Obs) -> int:
    """The grace period the kubelet stops the pod with: ``PodState.kill_grace`` once set (a deletion:
    its grace, floor 1 s; a node-pressure eviction: 0), else ``spec.terminationGracePeriodSeconds``."""
    g = o.state.kill_grace
    return g if g >= 0 else o.plan.grace


def _pod_kills(prev: Obs, event: Event, nxt: Obs) -> Iterator[tuple[Ctr, Ctr]]:
    """``(before, after)`` for each container the kubelet began to stop in the step as part of
    stopping the pod (``kill_start`` set): running before; running its preStop hook, stopping, or
    SIGKILLed after; or leaving a preStop hook of the pod's kill for SIGTERM. An event naming the
    container (a probe or postStart failure, a hook result) stops that one container with its own
    grace period, and is not a pod kill."""
    s = nxt.state
    if s.kill_start < 0:
        return
    named = getattr(event, "container", None)
    pre_stop_end = s.kill_start + _kill_grace(nxt)
    for cp, a, b in zip(nxt.plan.containers, prev.state.ctrs, nxt.state.ctrs, strict=True):
        if cp.name == named:
            continue
        began = a.state in _RUNNING_STATES and (
            b.state in (CState.STOPPING, CState.PRE_STOP) or (b.term is not None and b.term != a.term)
        )
        sigterm = a.state is CState.PRE_STOP and a.due == pre_stop_end and b.state is not CState.PRE_STOP
        if began or sigterm:
            yield a, b


def _kill_times(b: Ctr) -> tuple[int, bool] | None:
    """When the kill ends for a container just stopped: ``(time, is_sigkill)``; the preStop
    deadline for one running its hook (``False``), the SIGKILL time otherwise."""
    if b.state is CState.PRE_STOP:
        return b.due, False
    if b.state is CState.STOPPING:
        return b.due, True
    if b.term is not None:
        return b.term.finished_at, True
    return None  # it exited during the step (the runtime reported it)


@always_step(
    "sigkill-not-before-grace",
    "model: kuberuntime_container.go killContainer (gracePeriod, minimumGracePeriodInSeconds)",
)
def sigkill_not_before_grace(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if, when the kubelet stops the pod, no container is SIGKILLed before the kill's start plus max(grace period, 2 s), and a preStop hook gets the whole remaining grace period."""
    start, grace = nxt.state.kill_start, _kill_grace(nxt)
    floor = nxt.plan.config.minimum_grace_period
    for _, b in _pod_kills(prev, event, nxt):
        when = _kill_times(b)
        if when is None:
            continue
        t, sigkill = when
        if t < start + (max(grace, floor) if sigkill else grace):
            return False
    return True


@always_step(
    "termination-within-grace",
    "model: kuberuntime_container.go killContainer; kuberuntime_termination_order.go",
)
def termination_within_grace(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if, when the kubelet stops the pod, every container is SIGKILLed by the kill's start plus the grace period plus the 2 s stop window.

    preStop hooks share the grace period; sidecars wait for their turn only within the remaining
    grace, then get the 2 s floor, so the whole pod stops by then (k8s-semantics.md §5.4–5.5).
    """
    start, grace = nxt.state.kill_start, _kill_grace(nxt)
    floor = nxt.plan.config.minimum_grace_period
    for _, b in _pod_kills(prev, event, nxt):
        when = _kill_times(b)
        if when is not None and when[0] > start + grace + (floor if when[1] else 0):
            return False
    return True


def _stop_due(o: Obs, grace_end: int) -> int:
    """When a pod whose kill's grace period ends at ``grace_end`` must be stopped: 2 s (the stop
    window) after the later of ``grace_end`` and the start of any instance that began after it was
    decided (a start in flight the kubelet had to wait for: it is killed as soon as it runs)."""
    late = grace_end
    for c in o.statuses:
        if c.status is None:
            continue
        state = c.status.get("state") or _EMPTY
        for k in ("running", "terminated"):
            started = (state.get(k) or _EMPTY).get("startedAt")
            if started is not None:
                late = max(late, o.secs(started))
    return late + o.plan.config.minimum_grace_period


@always(
    "deleted-pod-terminal-in-time", "model: k8s-semantics.md §5 (grace period + minimumGracePeriodInSeconds)"
)
def deleted_pod_terminal_in_time(o: Obs) -> bool:
    """Holds if a deleted, scheduled pod on a healthy node is in a terminal phase once its deletionTimestamp plus the 2 s stop window has passed.

    ``deletionTimestamp`` is the delete's time plus the grace period; preStop and SIGTERM share
    the grace period, the stop window adds at most ``minimumGracePeriodInSeconds``. A pod the API
    removed at once (grace 0) is gone rather than terminal. A container whose start was in flight
    when the kill began can only be stopped once the runtime answers: its start moves the bound.
    """
    if not o.deleted or not o.spec.get("nodeName") or not node_is_healthy(o):
        return True
    return o.t <= _stop_due(o, o.secs(o.meta["deletionTimestamp"])) or o.terminal or o.removed


@always("active-deadline-enforced", "model: active_deadline.go; kubelet_pods.go generateAPIPodStatus")
def active_deadline_enforced(o: Obs) -> bool:
    """Holds if a pod on a healthy node past startTime + activeDeadlineSeconds + grace period + 2 s is terminal (or gone), and DeadlineExceeded is never reported before the deadline.

    The grace period is the spec's, the one the deadline's kill starts with: a delete during that
    kill may shorten it, but not to before the delete came (deleted-pod-terminal-in-time bounds
    that kill from its own deletionTimestamp).
    """
    deadline = o.spec.get("activeDeadlineSeconds")
    start = o.status.get("startTime")
    if deadline is None or start is None:
        return o.status.get("reason") != "DeadlineExceeded"
    due = o.secs(start) + int(deadline)
    if o.status.get("reason") == "DeadlineExceeded" and o.t < due:
        return False
    if not node_is_healthy(o):
        return True
    return o.t <= _stop_due(o, due + o.plan.grace) or o.terminal or o.removed


_PHASE_GRAPH: Final[dict[str, frozenset[str]]] = {
    "Pending": frozenset({"Pending", "Running", "Succeeded", "Failed"}),
    "Running": frozenset({"Running", "Succeeded", "Failed"}),
    "Succeeded": frozenset({"Succeeded"}),
    "Failed": frozenset({"Failed"}),
}


@always_step("phase-graph", "model: pod-lifecycle#pod-phase; kubelet_pods.go getPhase / generateAPIPodStatus")
def phase_graph(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if the phase only moves along Pending → Running → Succeeded|Failed (Pending may end directly); Unknown never appears."""
    return nxt.phase in _PHASE_GRAPH.get(prev.phase, frozenset())


@always(
    "ready-needs-readiness-gates",
    "model: status/generate.go GeneratePodReadyCondition; kubelet.go HandlePodReconcile (NeedToReconcilePodReadiness)",
)
def ready_needs_readiness_gates(o: Obs) -> bool:
    """Holds if Ready=True implies every ``spec.readinessGates`` condition is True, while the kubelet reports.

    A gate's condition is set by its own controller; the kubelet re-evaluates Ready at the sync the
    change triggers, so on a node whose kubelet does not report (heartbeats stopped) Ready keeps its
    last value until the kubelet is back.
    """
    ready = o.cond("Ready")
    if ready is None or ready.get("status") != "True" or o.state.away:
        return True
    for gate in o.spec.get("readinessGates") or ():
        cond = o.cond(gate.get("conditionType", ""))
        if cond is None or cond.get("status") != "True":
            return False
    return True


@always("ready-implies-containers-ready", "model: status/generate.go GeneratePodReadyCondition")
def ready_implies_containers_ready(o: Obs) -> bool:
    """Holds if Ready=True implies ContainersReady=True."""
    ready, containers_ready = o.cond("Ready"), o.cond("ContainersReady")
    if ready is None or ready.get("status") != "True":
        return True
    return containers_ready is not None and containers_ready.get("status") == "True"


@always("ready-container-is-running", "model: prober_manager.go UpdatePodStatus")
def ready_container_is_running(o: Obs) -> bool:
    """Holds if a ready sidecar or regular container is running and started, and a regular init container is ready exactly when it exited 0."""
    for c in o.statuses:
        if c.status is None:
            continue
        if c.regular_init:
            if c.ready != (c.kind == "terminated" and _exit_code(c.term) == 0):
                return False
        elif c.ready and (c.kind != "running" or not c.started):
            return False
    return True


_WAITING_REASONS: Final = (
    "ContainerCreating|PodInitializing|CrashLoopBackOff|RunContainerError|ErrImagePull|ImagePullBackOff"
    "|ImageInspectError|ErrImageNeverPull|InvalidImageName|RegistryUnavailable|CreateContainerConfigError"
    "|PreCreateHookError|CreateContainerError|PreStartHookError|PostStartHookError"
)
_TERMINATED_REASONS: Final = "Completed|Error|OOMKilled|StartError|ContainerCannotRun|ContainerStatusUnknown"
_POD_REASONS: Final = (
    "Evicted|DeadlineExceeded|Terminated|NodeLost|NodeAffinity|NodeShutdown|UnexpectedAdmissionError"
    "|OutOf[a-z0-9.-]+|SchedulingGated|Shutdown"
)
_STATUS_RE: Final = re.compile(
    rf"(?:Pending|Running|Succeeded|Failed|Unknown|Terminating|NotReady"
    rf"|{_WAITING_REASONS}|{_TERMINATED_REASONS}|{_POD_REASONS}"
    rf"|ExitCode:\d+|Signal:\d+"
    rf"|Init:(?:{_WAITING_REASONS}|{_TERMINATED_REASONS}|ExitCode:\d+|Signal:\d+)"
    rf"|Init:(?P<done>\d+)/(?P<total>\d+))"
)
_READY_RE: Final = re.compile(r"(\d+)/(\d+)")


@always("kubectl-status-printable", "model: printers.go printPod; k8s-semantics.md §8")
def kubectl_status_printable(o: Obs) -> bool:
    """Holds if kubectl's STATUS is one of the strings printPod can produce (Init:N/M with N < M), READY is n/total with n ≤ total, and RESTARTS ≥ 0."""
    cols = o.columns
    m = _STATUS_RE.fullmatch(cols.status)
    if m is None:
        return False
    if m.group("total") is not None:
        n_init = len(o.spec.get("initContainers") or ())
        if not int(m.group("done")) < int(m.group("total")) == n_init:
            return False
    r = _READY_RE.fullmatch(cols.ready)
    total = len(o.spec.get("containers") or ()) + sum(1 for c in o.statuses if c.sidecar)
    return r is not None and int(r.group(1)) <= int(r.group(2)) == total and cols.restarts >= 0


@always(
    "phase-is-getphase",
    "model: kubelet_pods.go getPhase + generateAPIPodStatus; status_manager.go mergePodStatus",
)
def phase_is_getphase(o: Obs) -> bool:
    """Holds if the published phase is :func:`podfsm.oracle.reported_phase` of the pod's own object (getPhase; a terminal phase sticky).

    One documented exception: while mergePodStatus holds a terminal phase back because a container
    may still run (it shows running, or the model has it running, stopping or its start in flight:
    ``couldHaveRunningContainers``), the published phase is the previous, non-terminal one. A start
    in flight includes an image pull: the kubelet's SyncPod pulls and starts in one go and generates
    the next status after it, while the model publishes the runtime's answers one by one (an exit
    during a sidecar's pull shows before the sidecar runs again). The model's own state agrees with
    its object (``PodState.phase == status.phase``).
    """
    if str(o.state.phase) != o.phase:
        return False
    reported = o.reported_phase
    if o.removed and not o.state.terminated:
        # The API removed the object itself (a delete with grace 0): the status is the kubelet's
        # last one, generated before the deletion, so getPhase is read without the deletion.
        reported = str(pod_phase(o.pod, pod_is_terminal=o.terminal))
    if not o.terminal and _should_evict(o):
        reported = "Failed"  # generateAPIPodStatus: ShouldEvict overrides getPhase from then on
    if reported == o.phase:
        return True
    held_back = reported in ("Succeeded", "Failed") and not o.terminal
    may_run = any(c.kind == "running" for c in o.statuses) or any(
        c.state not in _NO_INSTANCE or c.state in _START_IN_FLIGHT for c in o.state.ctrs
    )
    return held_back and may_run


def _should_evict(o: Obs) -> bool:
    """True iff a pod sync handler's ``ShouldEvict`` says evict: the active deadline has passed
    (active_deadline.go). The kubelet's decision, read off the model (``PodState.reason``); when it
    may be taken is active-deadline-enforced's business."""
    return o.state.reason == "DeadlineExceeded"


def kubelet_phase_of(o: Obs) -> str:
    """The phase the kubelet computes for the status it generates (``generateAPIPodStatus``):
    a terminal ``status.phase`` kept; ``Failed`` once ``ShouldEvict`` says so; else ``getPhase`` of
    the object, with ``podIsTerminal`` when the pod is deleted or evicted (``syncTerminatingPod``)."""
    if o.terminal:
        return o.phase
    if _should_evict(o):
        return "Failed"
    return str(pod_phase(o.pod, pod_is_terminal=o.deleted or o.state.reason == "Evicted"))


# What GeneratePodReadyCondition cannot see: the conditions generated after it.
_GENERATED_AFTER_READY: Final = frozenset({"Ready", "ContainersReady", "PodScheduled"})


@always(
    "conditions-follow-kubelet-phase",
    "K4: kubelet_pods.go generateAPIPodStatus; status_manager.go mergePodStatus; status/generate.go",
)
def conditions_follow_kubelet_phase(o: Obs) -> bool:
    """Holds if the published Initialized, ContainersReady and Ready conditions (status and reason) are generate.go's for the phase the kubelet computed, not for the published phase.

    ``generateAPIPodStatus`` generates the kubelet-owned conditions from its phase (getPhase,
    ``Failed`` once the active deadline's ``ShouldEvict`` says so, a terminal phase kept);
    ``mergePodStatus`` then holds back only phase, reason and message while containers may still
    run. So from the moment the kubelet decides a pod Failed or Succeeded, ContainersReady and
    Ready read ``PodFailed`` / ``PodCompleted`` even while the published phase is still Pending or
    Running. Not judged while the kubelet does not report (the API keeps its last status) or after
    MarkPodsNotReady (Ready is the node controller's then); Ready only against readiness gates
    that GeneratePodReadyCondition can see (the condition list before Ready).
    """
    if o.state.away or o.removed or o.cond("Initialized") is None:
        return True
    phase = kubelet_phase_of(o)
    seen = [c for c in o.status.get("conditions") or () if c.get("type") not in _GENERATED_AFTER_READY]
    expected = pod_conditions({**o.pod, "status": {**o.status, "phase": phase, "conditions": seen}})
    checked = ("Initialized", "ContainersReady") if o.state.not_ready_marked else _KUBELET_CONDITIONS
    for ctype in checked:
        got, want = o.cond(ctype), expected[ctype]
        if got is None or got.get("status") != want.status or (got.get("reason") or "") != want.reason:
            return False
    return True


_KUBELET_CONDITIONS: Final = ("Initialized", "ContainersReady", "Ready")


@always("kubelet-disruption-with-terminal-phase", "K4: status_manager.go mergePodStatus (DisruptionTarget)")
def kubelet_disruption_with_terminal_phase(o: Obs) -> bool:
    """Holds if the kubelet's own DisruptionTarget condition (reason TerminationByKubelet) appears only with a terminal phase.

    ``mergePodStatus`` sends it "only ... once all containers have terminated and the phase is
    terminal"; the Eviction API's, the taint manager's and PodGC's are written by those
    controllers directly and are not bound by it.
    """
    disruption = o.cond("DisruptionTarget")
    return disruption is None or disruption.get("reason") != "TerminationByKubelet" or o.terminal


@always_step(
    "terminal-decision-holds-phase", "K3: status_manager.go mergePodStatus (couldHaveRunningContainers)"
)
def terminal_decision_holds_phase(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if, once the kubelet's phase is terminal while the published one is not, the published phase does not move until it becomes terminal.

    ``mergePodStatus`` publishes ``oldPodStatus.Phase`` while containers may still run, so a pod
    decided Failed (the active deadline, an init container failed under Never) or Succeeded does
    not go from Pending to Running on the way. The active deadline's decision (``ShouldEvict``) is
    permanent: not even a start in flight that completes after it moves the phase. A decision
    getPhase took can be undone by such a start (a sidecar restart the runtime had not yet answered
    when the last app container failed: getPhase says Running again once it runs), the model's
    finer grain that phase-is-getphase documents; those steps are not judged.
    """
    if (
        prev.terminal
        or prev.removed
        or prev.state.away
        or kubelet_phase_of(prev) not in ("Succeeded", "Failed")
    ):
        return True
    if not _should_evict(prev) and any(c.state in _START_IN_FLIGHT for c in prev.state.ctrs):
        return True
    return nxt.phase == prev.phase or nxt.terminal


@always_step("image-pull-policy-respected", "model: images/image_manager.go EnsureImageExists")
def image_pull_policy_respected(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if Never never pulls, IfNotPresent pulls only an image the node lacks, and Always pulls before every start."""
    for cp, a, b in zip(nxt.plan.containers, prev.state.ctrs, nxt.state.ctrs, strict=True):
        if b.state is CState.PULLING:
            if cp.pull_policy == "Never":
                return False
            if (
                cp.pull_policy == "IfNotPresent"
                and a.state is not CState.PULLING
                and cp.image in prev.state.images
            ):
                return False
        if (
            cp.pull_policy == "Always"
            and b.state is CState.CREATING
            and a.state not in (CState.PULLING, CState.CREATING)
        ):
            return False
    return True


@always_step(
    "sidecars-never-keep-pod-alive",
    "model: kuberuntime_manager.go computePodActions (KillPod, InitContainersToStart=nil)",
)
def sidecars_never_keep_pod_alive(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if, once every regular container has exited for good, nothing starts or restarts any more (sidecars included).

    A start the kubelet had already handed to the runtime when the last exit came (the model's
    CREATING / POST_START) may still complete: SyncPod finishes it, then KillPod stops it. (Finer
    grained, the kubelet would not even publish the exit before that start returns; the model
    publishes each runtime answer as it comes.)
    """
    if not _all_regular_done_for_good(prev):
        return True
    in_flight = {CState.CREATING, CState.POST_START}
    for (a, b), c in zip(_pairs(prev, nxt), prev.state.ctrs, strict=False):
        if c.state in in_flight:
            continue
        if b.restarts > a.restarts:
            return False
        if b.kind == "running" and a.kind != "running":
            return False
    return True


def _delete_grace(prev: Obs, event: Event) -> int | None:
    """The grace period an API DELETE gets (``CheckGracefulDelete``), or ``None`` if ``event`` is not one."""
    if event.NAME not in ("delete", "evict"):
        return None
    option = getattr(event, "grace_period_seconds", None)
    grace = int(prev.spec.get("terminationGracePeriodSeconds") or 0) if option is None else int(option)
    if not prev.spec.get("nodeName") or prev.terminal:
        grace = 0
    if prev.deleted:  # a second delete can only shorten it
        grace = min(grace, max(prev.secs(prev.meta["deletionTimestamp"]) - prev.t, 0))
    return grace


@always_step("kubelet-removes-only-finished-pods", "K7: status_manager.go canBeDeleted")
def kubelet_removes_only_finished_pods(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if the API object disappears only by a delete with grace 0, or after its phase is terminal and the kubelet finished terminating it."""
    if prev.removed or not nxt.removed:
        return True
    if _delete_grace(prev, event) == 0:
        return True
    return nxt.terminal and nxt.state.terminated


@always_step(
    "apiserver-delete-grace",
    "A2: pkg/registry/core/pod/strategy.go CheckGracefulDelete; ValidatePodStatusUpdate (nodeName)",
)
def apiserver_delete_grace(prev: Obs, event: Event, nxt: Obs) -> bool:
    """Holds if spec.nodeName never changes once set, and deleting an unscheduled or terminal pod removes it at once (grace forced to 0)."""
    node = prev.spec.get("nodeName")
    if node and nxt.spec.get("nodeName") != node:
        return False
    if event.NAME in ("delete", "evict") and (not node or prev.terminal):
        return nxt.removed
    return True


@always(
    "e2e-deleted-pod-is-removed",
    "E harness: test/e2e/node/pods.go createAndTestPodRepeatedly (DELETED arrives)",
)
def e2e_deleted_pod_is_removed(o: Obs) -> bool:
    """Holds if a deleted, scheduled pod on a healthy node is gone from the API once its deletionTimestamp plus the 2 s stop window has passed.

    The e2e harness waits at most 5 minutes for the DELETED watch event; the model bounds it by
    the grace period and the stop window (the kubelet deletes the object once terminal,
    ``canBeDeleted``).
    """
    if not o.deleted or not o.spec.get("nodeName") or not node_is_healthy(o):
        return True
    return o.removed or o.t <= _stop_due(o, o.secs(o.meta["deletionTimestamp"]))


# ---------------------------------------------------------------------------------------------
# sometimes: reachability witnesses
# ---------------------------------------------------------------------------------------------


def _pullable(plan: PodPlan) -> bool:
    """Every container can get its image under the explorer's Schedule (no images on the node)."""
    return all(cp.pull_policy != "Never" for cp in plan.containers)


def _restartable(plan: PodPlan) -> bool:
    return plan.restart_policy != "Never" or bool(plan.sidecar_idx)


@sometimes("reaches-running", "model: pod-lifecycle#pod-phase", applies=lambda plan, k: _pullable(plan))
def reaches_running(o: Obs) -> bool:
    """Holds if the pod is in phase Running."""
    return o.phase == "Running"


@sometimes(
    "reaches-ready",
    "model: status/generate.go GeneratePodReadyCondition",
    applies=lambda plan, k: _pullable(plan),
)
def reaches_ready(o: Obs) -> bool:
    """Holds if the pod is Ready."""
    ready = o.cond("Ready")
    return ready is not None and ready.get("status") == "True"


@sometimes(
    "reaches-succeeded",
    "model: kubelet_pods.go getPhase",
    applies=lambda plan, k: _pullable(plan) and plan.restart_policy != "Always",
)
def reaches_succeeded(o: Obs) -> bool:
    """Holds if the pod is in phase Succeeded."""
    return o.phase == "Succeeded"


@sometimes(
    "reaches-failed",
    "model: kubelet_pods.go getPhase; active_deadline.go",
    applies=lambda plan, k: _pullable(plan) and (plan.restart_policy == "Never" or plan.active_deadline >= 0),
)
def reaches_failed(o: Obs) -> bool:
    """Holds if the pod is in phase Failed."""
    return o.phase == "Failed"


@sometimes(
    "reaches-crash-loop-back-off",
    "model: kuberuntime_manager.go doBackOff",
    applies=lambda plan, k: _pullable(plan) and _restartable(plan) and k >= 1,
)
def reaches_crash_loop_back_off(o: Obs) -> bool:
    """Holds if some container shows waiting CrashLoopBackOff."""
    return any(c.reason == "CrashLoopBackOff" for c in o.statuses)


@sometimes(
    "reaches-image-pull-back-off",
    "model: images/image_manager.go (ErrImagePullBackOff)",
    applies=lambda plan, k: (
        plan.active_deadline < 0 and any(cp.pull_policy != "Never" for cp in plan.containers)
    ),
)
def reaches_image_pull_back_off(o: Obs) -> bool:
    """Holds if some container shows waiting ImagePullBackOff."""
    return any(c.reason == "ImagePullBackOff" for c in o.statuses)


@sometimes(
    "reaches-deadline-exceeded",
    "model: active_deadline.go",
    applies=lambda plan, k: plan.active_deadline >= 0,
)
def reaches_deadline_exceeded(o: Obs) -> bool:
    """Holds if the pod failed with reason DeadlineExceeded."""
    return o.status.get("reason") == "DeadlineExceeded"


@sometimes(
    "reaches-init-failure-under-never",
    "model: kuberuntime_manager.go computeInitContainerActions (KillPod)",
    applies=lambda plan, k: (
        plan.restart_policy == "Never"
        and _pullable(plan)
        and any(i not in plan.sidecar_idx for i in plan.init_idx)
    ),
)
def reaches_init_failure_under_never(o: Obs) -> bool:
    """Holds if the pod failed because a regular init container failed under restartPolicy Never."""
    return o.phase == "Failed" and any(c.init and not c.sidecar and _init_failed(c) for c in o.statuses)


# ---------------------------------------------------------------------------------------------
# eventually: hot/cold monitors (see the module docstring for their meaning on cycles)
# ---------------------------------------------------------------------------------------------


@eventually(
    "pod-done-reaches-terminal-phase",
    "model: kuberuntime_manager.go computePodActions (KillPod)",
    trigger=_all_regular_done_for_good,
)
def pod_done_reaches_terminal_phase(o: Obs) -> bool:
    """Holds if the phase is terminal: a pod whose regular containers have all exited for good eventually reaches Succeeded or Failed (sidecars never keep it alive)."""
    return o.terminal


def _init_failed_under_never(o: Obs) -> bool:
    return o.restart_policy == "Never" and any(
        c.init and not c.sidecar and _init_failed(c) for c in o.statuses
    )


@eventually(
    "init-failure-under-never-fails-pod",
    "model: kuberuntime_manager.go computeInitContainerActions; getPhase",
    trigger=_init_failed_under_never,
)
def init_failure_under_never_fails_pod(o: Obs) -> bool:
    """Holds if the phase is Failed: once a regular init container failed under restartPolicy Never, the pod eventually fails."""
    return o.phase == "Failed"


def _past_deadline(o: Obs) -> bool:
    deadline, start = o.spec.get("activeDeadlineSeconds"), o.status.get("startTime")
    return deadline is not None and start is not None and o.t >= o.secs(start) + int(deadline)


@eventually("deadline-fails-pod", "model: active_deadline.go", trigger=_past_deadline)
def deadline_fails_pod(o: Obs) -> bool:
    """Holds if the phase is terminal: a pod past its activeDeadlineSeconds eventually stops (Failed, DeadlineExceeded, unless it ended before)."""
    return o.terminal


@eventually(
    "deleted-pod-reaches-terminal-phase",
    "model: k8s-semantics.md §5.6 (TerminatePod)",
    trigger=lambda o: o.deleted,
)
def deleted_pod_reaches_terminal_phase(o: Obs) -> bool:
    """Holds if the phase is terminal or the object is gone: a deleted pod eventually reaches Succeeded or Failed, unless the API removed it at once (grace 0)."""
    return o.terminal or o.removed


# ---------------------------------------------------------------------------------------------
# Not checkable yet
# ---------------------------------------------------------------------------------------------

PENDING: Final[dict[str, Pending]] = {
    "e2e-watch-sees-two-events": Pending(
        "The e2e watch sees at least 2 events for the pod (ADDED and one more).",
        "E harness: test/e2e/node/pods.go createAndTestPodRepeatedly ('only got a single event')",
        "a property of the harness's watch stream, not of the pod: the model has no watch (no ADDED / "
        "MODIFIED / DELETED events), so there is nothing to count",
    ),
}
