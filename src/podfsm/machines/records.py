"""The immutable records the machines move: a container, its last termination, and the plan they run.

States are ``NamedTuple``\\ s: frozen, hashable and cheap to build, so the explorer can store
them and the property tests can compare them. A :class:`PodPlan` is the Pod spec compiled once
into the few facts the machines read on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from podfsm.config import Config
from podfsm.enums import PodPhase, PullPolicy, RestartPolicy
from podfsm.machines.pod import PStage
from podfsm.machines.probe import Prb, ProbeKind, ProbeSpec

if TYPE_CHECKING:
    from podfsm.model import Model

__all__ = [
    "CState",
    "ContainerKind",
    "ContainerPlan",
    "Ctr",
    "Ctx",
    "KEvent",
    "PodPlan",
    "PodState",
    "Term",
    "View",
]


class CState(IntEnum):
    """The container machine's states (what the kubelet is doing with the container)."""

    WAITING = 0  # not started yet: waiting{PodInitializing|ContainerCreating}
    PULLING = 1  # image pull requested, awaiting the runtime
    PULL_BACKOFF = 2  # pull failed (ErrImagePull/ImagePullBackOff) or not allowed (ErrImageNeverPull)
    CREATING = 3  # create + start requested, awaiting the runtime
    CREATE_ERROR = 4  # create failed (CreateContainerConfigError/CreateContainerError), retried on re-sync
    RUNNING = 5
    STOPPING = 6  # killed: SIGTERM sent, SIGKILL when the grace period ends
    TERMINATED = 7  # the newest instance exited
    CRASH_BACKOFF = 8  # exited, restart waits for the crash-loop back-off
    ABANDONED = 9  # the pod is finishing: the kubelet will not (re)start it
    POST_START = 10  # started; the kubelet waits for the postStart hook (startContainer blocks)
    PRE_STOP = 11  # being killed; the preStop hook runs, bounded by the grace period


class ContainerKind(IntEnum):
    INIT = 0  # regular init container
    SIDECAR = 1  # init container with restartPolicy: Always
    REGULAR = 2


class Term(NamedTuple):
    """One exited container instance: ``v1.ContainerStateTerminated``."""

    exit_code: int
    reason: str
    message: str
    started_at: int
    finished_at: int


class Ctr(NamedTuple):
    """One container's whole state. Times are logical seconds; -1 means unset."""

    state: CState = CState.WAITING
    restarts: int = 0  # restartCount
    term: Term | None = None  # the newest instance, if it exited
    last: Term | None = None  # the instance before it (lastState.terminated)
    started_at: int = -1  # the running instance's start
    err: str = ""  # the kubelet's reason cache: the last sync error for this container
    err_msg: str = ""
    shown: str = ""  # the reason cache as the last status generation saw it (what the API shows)
    shown_msg: str = ""
    backoff: int = 0  # crash-loop back-off entry: current period (0: no entry)
    backoff_at: int = 0  # ... and its lastUpdate
    pull_backoff: int = 0  # image pull back-off entry
    pull_backoff_at: int = 0
    due: int = -1  # when the kubelet next looks at this container by itself
    ever_started: bool = False  # an instance of it has run (sidecar ordering)
    probes: tuple[Prb, ...] = ()  # one worker per probe the container declares, as ContainerPlan.probes


def fast_replace(cls: type[Any]) -> None:
    """Give a NamedTuple class a ``_replace`` about twice as fast as the standard one (the hot path).

    Same contract: a new instance with the named fields changed; an unknown field raises ValueError.
    """
    index = {f: i for i, f in enumerate(cls._fields)}
    new = tuple.__new__

    def _replace(self: Any, **changes: Any) -> Any:
        values = list(self)
        for name, value in changes.items():
            try:
                values[index[name]] = value
            except KeyError:
                raise ValueError(f"Got unexpected field names: {[name]!r}") from None
        return new(cls, values)

    setattr(cls, "_replace", _replace)  # noqa: B010 - typing.NamedTuple forbids defining it in the class body


fast_replace(Ctr)


@dataclass(frozen=True, slots=True)
class KEvent:
    """A Kubernetes Event as ``kubectl describe`` lists it.

    ``count`` is ``v1.Event.count``: how many times the same event (same involved object, type,
    reason, message and source) was observed; ``t`` is its ``lastTimestamp`` and :attr:`first` its
    ``firstTimestamp`` (``first_t``, -1 when it is ``t``: every event with ``count`` 1). Repeats are
    folded with :meth:`observe`, as client-go's event recorder does (``tools/record/events_cache.go
    eventLogger.eventObserve``).
    """

    type: str  # Normal | Warning
    reason: str
    message: str
    source: str  # kubelet | default-scheduler
    t: int  # lastTimestamp: the latest occurrence
    count: int = 1
    first_t: int = -1  # firstTimestamp; -1: the same as t

    @property
    def first(self) -> int:
        """``firstTimestamp``: the first occurrence (logical seconds)."""
        return self.t if self.first_t < 0 else self.first_t

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two events about one object the same (``events_cache.go getEventKey``: source,
        involved object, type, reason, message; the involved object is the list the event is in)."""
        return (self.source, self.type, self.reason, self.message)

    def observe(self, again: KEvent) -> KEvent:
        """This event seen again (``again``, the later occurrence, same :attr:`key`):
        ``eventObserve`` keeps ``firstTimestamp``, adds to ``count`` and moves ``lastTimestamp``."""
        return KEvent(
            self.type, self.reason, self.message, self.source, again.t, self.count + again.count, self.first
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; ``count``, ``first_t`` and ``last_t`` (logical seconds) only for a repeated event."""
        d: dict[str, Any] = {
            "type": self.type,
            "reason": self.reason,
            "from": self.source,
            "message": self.message,
        }
        if self.count > 1:
            d.update(count=self.count, first_t=self.first, last_t=self.t)
        return d


class ContainerPlan(NamedTuple):
    idx: int
    name: str
    image: str
    pull_policy: PullPolicy  # defaulted (SetDefaults_Container)
    kind: ContainerKind
    default_reason: str  # PodInitializing if the pod has init containers, else ContainerCreating
    probes: tuple[ProbeSpec, ...] = ()  # the probes it declares, startup / liveness / readiness order
    post_start: bool = False
    pre_stop: bool = False

    def probe_index(self, kind: ProbeKind) -> int:
        """The position of ``kind`` in :attr:`probes`, or -1."""
        for i, spec in enumerate(self.probes):
            if spec.kind is kind:
                return i
        return -1


class PodPlan(NamedTuple):
    """The Pod spec compiled for the machines (built by :func:`podfsm.engine.compile_plan`)."""

    name: str
    namespace: str
    uid: str
    restart_policy: RestartPolicy  # defaulted (SetDefaults_PodSpec)
    grace: int  # spec.terminationGracePeriodSeconds (defaulted)
    active_deadline: int  # -1: none
    containers: tuple[ContainerPlan, ...]  # init containers, then regular ones
    by_name: dict[str, int]
    init_idx: tuple[int, ...]
    regular_idx: tuple[int, ...]
    sidecar_idx: tuple[int, ...]
    config: Config
    kinds: tuple[ContainerKind, ...]  # each container's kind, in order
    qos_class: str  # status.qosClass (GetPodQOS)
    memo: dict[Any, Any]  # per-plan caches of derived, immutable values (snapshot JSON pieces)
    raw: dict[str, Any]  # the defaulted Pod JSON (metadata + spec) the snapshot starts from
    model: Model  # the model this plan runs under (podfsm.model.DEFAULT unless given)
    gates: tuple[str, ...] = ()  # spec.readinessGates' condition types

    @property
    def pod_ref(self) -> str:
        """``name_namespace(uid)``, as the kubelet's format.Pod prints a pod."""
        return f"{self.name}_{self.namespace}({self.uid})"


class Ctx:
    """What a guard or action sees: the plan, the container, the clock, the event and the pod's facts."""

    __slots__ = ("c", "cp", "ev", "images", "model", "out", "plan", "t")

    def __init__(
        self,
        plan: PodPlan,
        cp: ContainerPlan,
        c: Ctr,
        t: int,
        ev: Any,
        images: frozenset[str],
        out: list[KEvent] | None,
    ) -> None:
        self.plan = plan
        self.model: Model = plan.model
        self.cp = cp
        self.c = c
        self.t = t
        self.ev = ev
        self.images = images
        self.out = out

    def emit(self, type_: str, reason: str, message: str) -> None:
        if self.out is not None:
            self.out.append(KEvent(type_, reason, message, "kubelet", self.t))


class PodState(NamedTuple):
    """The whole state of one pod: hashable, immutable, cheap to copy. Times are logical seconds."""

    t: int
    stage: PStage
    node: str
    sched_msg: str  # the last FailedScheduling message
    ctrs: tuple[Ctr, ...]  # init containers, then regular containers, in spec order
    images: frozenset[str]  # images present on the node
    phase: PodPhase  # the published phase
    reason: str  # status.reason once published (DeadlineExceeded, Evicted)
    start_time: int  # status.startTime, -1 before the kubelet first syncs
    kill_start: int  # when KillPod began (-1: not killing)
    codes: tuple[tuple[str, int, int, bool], ...]  # derived: each container's getPhase input, kept for speed
    deletion_at: int = -1  # metadata.deletionTimestamp (logical seconds), -1: not deleted
    deletion_grace: int = -1  # metadata.deletionGracePeriodSeconds
    message: str = ""  # status.message with reason
    disruption: tuple[str, str] | None = None  # the DisruptionTarget condition's (reason, message)
    kill_grace: int = -1  # the grace the kubelet kills with (only shortens); -1: the spec's
    away: bool = (
        False  # the node's kubelet does not report (heartbeats stopped): nothing the kubelet does shows
    )
    not_ready_marked: bool = False  # the node lifecycle controller set Ready=False (MarkPodsNotReady)
    terminated: bool = False  # the kubelet finished the pod (TerminatePod rewrote its statuses)
    # Conditions other controllers set (pod_condition): (type, status, reason, message), in the
    # order they were first set; and (type, status) of them as the kubelet's last sync read them,
    # which GeneratePodReadyCondition checks the readiness gates against.
    conditions: tuple[tuple[str, str, str, str], ...] = ()
    synced_conditions: tuple[tuple[str, str], ...] = ()


fast_replace(PodState)


class View(NamedTuple):
    """One container as its v1 status shows it."""

    kind: str  # waiting | running | terminated
    reason: str  # waiting reason (terminated: see term)
    message: str
    term: Term | None  # state.terminated
    last: Term | None  # lastState.terminated
    started_at: int  # state.running.startedAt
    started: bool
    ready: bool
