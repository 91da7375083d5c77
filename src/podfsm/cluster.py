"""Several pods on one node: the node machine, the controllers that act on the pods, and time.

A :class:`Cluster` is the whole state, immutable and hashable: the node (:mod:`podfsm.machines.node`),
every pod's :class:`~podfsm.engine.PodState` by name, and what the controllers remember (the
taint manager's scheduled deletions, the eviction manager's last round). :func:`cluster_step` is
pure; :class:`ClusterSimulator` wraps it with the v1 objects (``pod_json``, ``node_json``), the
kubectl columns and the Kubernetes Events, one :class:`~podfsm.simulator.Step` per pod the event
affected.

After every event, and at every controller timer inside a ``tick``, the controllers run until
nothing changes, in this order (each cites its source). A ``tick`` jumps from one timer to the
next, never second by second; eviction rounds that could only record ``EvictionThresholdMet``
again (no pod left to evict) are not run but counted up to the next timer that can change
something (:meth:`_Run.skip_idle_rounds`). Repeated node Events within one step are one Event with
a ``count`` and its first and last times (client-go ``events_cache.go eventObserve``,
:class:`Emitted`).

* **NLC** (``monitorNodeHealth``): heartbeats missing for ``nodeMonitorGracePeriod`` (50 s) →
  ``Ready`` Unknown and the ``unreachable`` taints (k8s-semantics.md N1, N2); while ``Ready`` is
  not True, ``MarkPodsNotReady`` sets every bound pod's ``Ready`` condition False (phase,
  ``ContainersReady`` and container statuses untouched; N3), again after each kubelet update
  (``processPod``); a ``Warning NodeNotReady`` pod event when it changes a True.
* **kubelet** (only while it reports): the pressure conditions follow the eviction signals, True
  at once, False ``evictionPressureTransitionPeriod`` (5 min) after the signal is back under;
  when heartbeats stop every pod is *away* (the API keeps its last status,
  :func:`~podfsm.engine.set_away`) until they resume, when the kubelet syncs each pod at once.
* **taint eviction** (``tainteviction/taint_eviction.go processPodOnNode``, N4): for each bound
  pod, when the node's NoExecute taints change or the pod is bound: a taint the pod does not
  tolerate → delete now; all tolerated → delete after the smallest ``tolerationSeconds`` of the
  tolerations used (an already scheduled deletion keeps its time), never if one tolerates
  forever; no NoExecute taint → cancel. The pods' tolerations are their own plus what the
  ``DefaultTolerationSeconds`` admission plugin adds (``not-ready`` / ``unreachable`` NoExecute,
  300 s) when the pod has none for that key. Deletion = :func:`~podfsm.engine.taint_delete`
  (``DisruptionTarget`` ``DeletionByTaintManager``, graceful: a pod on an unreachable node stays
  ``Terminating`` until the node returns, is deleted, or gets the out-of-service taint).
* **pod GC** (``gc_controller.go``): ``gcTerminating``: Terminating, non-terminal pods on a node
  that is not Ready and has the ``out-of-service`` taint are force-deleted (phase Failed);
  ``gcOrphaned``: ``quarantineTime`` (40 s) after the node is deleted every pod bound to it is
  (``DisruptionTarget`` ``DeletionByPodGC`` unless already terminal, phase Failed).
* **eviction manager** (``eviction_manager.go synchronize``, §6.1): while a signal is past its
  threshold, one round at once and then every ``evictionMonitoringPeriod`` (10 s); a round
  reclaims memory first, then disk, then PIDs, and evicts at most one pod
  (:func:`~podfsm.engine.kubelet_evict`: grace 0, ``Failed`` / ``Evicted``, ``DisruptionTarget``
  ``TerminationByKubelet``), ranked as ``rankMemoryPressure`` / ``rankDiskPressureFunc`` /
  ``rankPIDPressure`` rank: pods whose usage exceeds their request first, then lower priority,
  then larger usage above the request. Usage is not modelled, so a pod is taken to exceed its
  request unless every container's limit caps it at the request (memory; ``ephemeral-storage``
  for disk), and "larger usage above the request" is read as BestEffort before Burstable before
  Guaranteed, then the name. Critical pods (``IsCriticalPod``: static or mirror pods, priority
  ≥ 2000000000, ``system-node-critical`` / ``system-cluster-critical``) are never evicted.

Modelling choices: controllers act at the exact second their condition holds (no
``nodeMonitorPeriod`` / ``gcCheckPeriod`` / worker-queue latency); the eviction manager only
picks pods it still runs normally (stage INITIALIZING / STARTED), not pods it is already
stopping; it does nothing while the node does not report or once it is deleted. The
``DefaultTolerationSeconds`` tolerations are applied internally, not written into ``spec``.

Left out: several nodes, rescheduling, the legacy ``NodeLost`` path (N5), graceful node shutdown
(N6), soft eviction thresholds and node-level reclaim (image / container GC), the pods' actual
resource usage, zone disruption rate limiting, ``gcTerminated`` (the 12500-pod threshold).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from podfsm.api import Pod
from podfsm.api.loader import LoadedPod
from podfsm.config import CLOCK_END_RULE, Config
from podfsm.engine import (
    POD_GC_DISRUPTION,
    PodState,
    compile_plan,
    enabled_events,
    gc_delete,
    initial,
    kubelet_evict,
    mark_not_ready,
    next_due,  # the pods' next timer (engine.step's Tick fires exactly these)
    pod_name,
    set_away,
    taint_delete,
    unmark_not_ready,
)
from podfsm.engine import describe as describe_pod
from podfsm.engine import step as pod_step
from podfsm.errors import IllegalTransition, ManifestError
from podfsm.events import (
    MAX_TICK_SECONDS,
    Event,
    NodeDeleted,
    NodeEvent,
    NodeHeartbeat,
    NodeHeartbeatsStop,
    NodeOutOfService,
    NodePressure,
    PodEvent,
    Schedule,
    Tick,
    event_from_dict,
)
from podfsm.kubelet.snapshot import pod_json, timestamp
from podfsm.machines import node as nd
from podfsm.machines.node import NEvent, NodeConfig, NodeState, NState, Taint
from podfsm.machines.pod import PStage
from podfsm.machines.records import KEvent, PodPlan
from podfsm.model import DEFAULT, Model
from podfsm.oracle import Columns, kubectl_columns
from podfsm.simulator import Step
from podfsm.textsafe import listing

__all__ = [
    "Cluster",
    "ClusterPlan",
    "ClusterSimulator",
    "ClusterStep",
    "Emitted",
    "Toleration",
    "Work",
    "cluster_enabled_events",
    "cluster_plan",
    "cluster_step",
    "coalesce",
    "eviction_order",
    "initial_cluster",
]

#: ``scheduling.SystemCriticalPriority``: pods at or above it are critical (``IsCriticalPodBasedOnPriority``).
SYSTEM_CRITICAL_PRIORITY: Final = 2_000_000_000
#: The built-in PriorityClasses the Priority admission plugin resolves (``scheduling/types.go``).
_PRIORITY_CLASSES: Final = {"system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000}
_QOS_RANK: Final = {"BestEffort": 0, "Burstable": 1, "Guaranteed": 2}
_TAINT_DOCS: Final = "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/"
_GONE: Final = frozenset({PStage.REMOVED})
_EVICTABLE: Final = frozenset({PStage.INITIALIZING, PStage.STARTED})
_CLEANED: Final = frozenset({PStage.FINISHED, PStage.REMOVED})
_UNBOUND: Final = frozenset({PStage.UNSCHEDULED, PStage.UNSCHEDULABLE})


# ---------------------------------------------------------------------------------------------
# Tolerations, priority, ranking
# ---------------------------------------------------------------------------------------------


class Toleration(NamedTuple):
    """``v1.Toleration``; ``seconds`` None tolerates forever."""

    key: str
    operator: str  # Exists | Equal ("" reads as Equal)
    value: str
    effect: str  # "" matches every effect
    seconds: int | None

    def tolerates(self, taint: Taint) -> bool:
        """True iff this toleration matches ``taint`` (``Toleration.ToleratesTaint``, core/v1/toleration.go)."""
        if self.effect and self.effect != taint.effect:
            return False
        if self.key and self.key != taint.key:
            return False
        if self.operator == "Exists":
            return True
        return self.value == taint.value


def effective_tolerations(spec: Mapping[str, Any], seconds: int) -> tuple[Toleration, ...]:
    """The pod's tolerations after the ``DefaultTolerationSeconds`` admission plugin (``admission.go Admit``).

    A ``not-ready`` (``unreachable``) NoExecute toleration with ``seconds`` is added unless one
    already matches that key (or every key) with effect NoExecute (or every effect).
    """
    tols = [
        Toleration(
            str(t.get("key") or ""),
            str(t.get("operator") or ""),
            str(t.get("value") or ""),
            str(t.get("effect") or ""),
            t.get("tolerationSeconds"),
        )
        for t in spec.get("tolerations") or ()
    ]
    for key in (nd.TAINT_NOT_READY, nd.TAINT_UNREACHABLE):
        if not any(t.key in (key, "") and t.effect in ("NoExecute", "") for t in tols):
            tols.append(Toleration(key, "Exists", "", "NoExecute", seconds))
    return tuple(tols)


def matching_tolerations(
    taints: Sequence[Taint], tolerations: Sequence[Toleration]
) -> tuple[bool, tuple[Toleration, ...]]:
    """``GetMatchingTolerations``: whether every taint is tolerated, and the first toleration used for each."""
    used = []
    for taint in taints:
        match = next((t for t in tolerations if t.tolerates(taint)), None)
        if match is None:
            return False, ()
        used.append(match)
    return True, tuple(used)


def min_toleration_seconds(used: Sequence[Toleration]) -> int:
    """``getMinTolerationTime``: the smallest ``tolerationSeconds`` (≤ 0 reads 0); -1 when all tolerate forever."""
    if not used:
        return 0
    best = -1
    for t in used:
        if t.seconds is not None:
            if t.seconds <= 0:
                return 0
            if best < 0 or t.seconds < best:
                best = t.seconds
    return best


def pod_priority(spec: Mapping[str, Any]) -> int:
    """``spec.priority`` (``corev1helpers.PodPriority``), else the built-in class the name resolves to, else 0."""
    priority = spec.get("priority")
    if isinstance(priority, int):
        return priority
    return _PRIORITY_CLASSES.get(str(spec.get("priorityClassName") or ""), 0)


def is_critical(raw: Mapping[str, Any]) -> bool:
    """True iff the kubelet never evicts this pod (``kubelettypes.IsCriticalPod``): static, mirror, or system-critical priority."""
    annotations = (raw.get("metadata") or {}).get("annotations") or {}
    if annotations.get("kubernetes.io/config.source", "api") != "api":
        return True  # IsStaticPod
    if "kubernetes.io/config.mirror" in annotations:
        return True  # IsMirrorPod
    return pod_priority(raw.get("spec") or {}) >= SYSTEM_CRITICAL_PRIORITY


def capped_at_request(spec: Mapping[str, Any], resource: str) -> bool:
    """True iff no container can use more ``resource`` than it requests: each has a limit equal to its request."""
    containers = [
        *(c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"),
        *(spec.get("containers") or ()),
    ]
    for c in containers:
        res = c.get("resources") or {}
        limit = (res.get("limits") or {}).get(resource)
        request = (res.get("requests") or {}).get(resource, limit)
        if limit is None or str(request) != str(limit):
            return False
    return True


class ClusterPlan(NamedTuple):
    """The pods compiled once, with what the controllers read of each, and the node's configuration."""

    pods: tuple[PodPlan, ...]
    names: tuple[str, ...]
    by_name: dict[str, int]
    tolerations: tuple[tuple[Toleration, ...], ...]
    priority: tuple[int, ...]
    critical: tuple[bool, ...]
    capped: tuple[tuple[bool, bool], ...]  # (memory, ephemeral-storage) usage cannot exceed the request
    node: NodeConfig
    config: Config
    model: Model  # every pod's plan runs under it; the node table is its ``node``


def cluster_plan(
    pods: Sequence[Pod],
    config: Config | None = None,
    node: NodeConfig | None = None,
    model: Model = DEFAULT,
) -> ClusterPlan:
    """Compile the pods under ``model``; :class:`~podfsm.errors.ManifestError` if there are none or
    two share a name."""
    config = config or Config()
    node = node or NodeConfig()
    if not pods:
        raise ManifestError("a simulation needs at least one pod")
    names = tuple(pod_name(p) for p in pods)  # checked before any pod is compiled (a List can be large)
    dup = sorted(n for n, k in Counter(names).items() if k > 1)
    if dup:
        raise ManifestError(f"pod names must be unique in a simulation (duplicate: {listing(dup)})")
    plans = tuple(compile_plan(p, config, model) for p in pods)
    specs = [p.raw["spec"] for p in plans]
    return ClusterPlan(
        pods=plans,
        names=names,
        by_name={n: i for i, n in enumerate(names)},
        tolerations=tuple(effective_tolerations(s, node.default_toleration_seconds) for s in specs),
        priority=tuple(pod_priority(s) for s in specs),
        critical=tuple(is_critical(p.raw) for p in plans),
        capped=tuple(
            (capped_at_request(s, "memory"), capped_at_request(s, "ephemeral-storage")) for s in specs
        ),
        node=node,
        config=config,
        model=model,
    )


def eviction_order(plan: ClusterPlan, kind: str, candidates: Sequence[int]) -> list[int]:
    """``candidates`` in the order the eviction manager ranks them for ``kind`` (memory / disk / pid).

    ``rankMemoryPressure`` / ``rankDiskPressureFunc``: exceeds-request first, then priority, then
    usage above the request; ``rankPIDPressure``: priority, then process count (see the module doc
    for how the unmodelled usage is read).
    """

    def key(i: int) -> tuple[Any, ...]:
        qos = _QOS_RANK[plan.pods[i].qos_class]
        tail = (plan.priority[i], qos, plan.names[i])
        if kind == "pid":
            return tail
        capped = plan.capped[i][0 if kind == "memory" else 1]
        return (capped, *tail)

    return sorted(candidates, key=key)


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


class Work(NamedTuple):
    """A deletion the taint manager scheduled (``TimedWorkerQueue``): created, and due."""

    pod: int
    created: int
    fire_at: int


class Cluster(NamedTuple):
    """The whole state of a simulation: hashable, immutable. Times are logical seconds."""

    t: int
    node: NodeState
    pods: tuple[tuple[str, PodState], ...]
    work: tuple[Work, ...] = ()  # the taint manager's scheduled deletions, by pod
    seen: tuple[tuple[Taint, ...] | None, ...] = ()  # the NoExecute taints each pod was last processed with
    evict_last: int = -1  # the eviction manager's last round under pressure
    evict_wait: int = -1  # the pod whose cleanup it waits for (eviction_waits_for_cleanup), -1: none

    def pod(self, name: str) -> PodState:
        """The state of the pod named ``name``."""
        for n, s in self.pods:
            if n == name:
                return s
        raise KeyError(name)


def initial_cluster(plan: ClusterPlan) -> Cluster:
    """The node registered and Ready, every pod as the API server stores it on create."""
    return Cluster(
        t=0,
        node=NodeState(name=plan.node.name or ""),
        pods=tuple((n, initial(p)) for n, p in zip(plan.names, plan.pods, strict=True)),
        seen=(None,) * len(plan.pods),
    )


class Emitted:
    """The Kubernetes Events one step emitted: per pod (in the plan's order) and about the node.

    Node events go through :meth:`add_node`, which coalesces repeats: an event with the same
    :attr:`~podfsm.machines.records.KEvent.key` as one already emitted in this step is not listed again, the
    first one gets ``count`` + 1 and the later ``lastTimestamp`` (client-go
    ``tools/record/events_cache.go EventCorrelator.EventCorrelate`` → ``eventLogger.eventObserve``;
    the list keeps the first occurrence's place).
    """

    __slots__ = ("_node_at", "node", "pods")

    def __init__(self, n: int) -> None:
        self.pods: list[list[KEvent]] = [[] for _ in range(n)]
        self.node: list[KEvent] = []
        self._node_at: dict[tuple[str, str, str, str], int] = {}  # key → index in node

    def add_node(self, ev: KEvent) -> None:
        """Record a node event; a repeat of one already in :attr:`node` is folded into it (``eventObserve``)."""
        at = self._node_at.get(ev.key)
        if at is None:
            self._node_at[ev.key] = len(self.node)
            self.node.append(ev)
        else:
            self.node[at] = self.node[at].observe(ev)


def coalesce(events: Iterable[KEvent]) -> list[KEvent]:
    """``events`` (about one object, in time order) with repeats folded as :meth:`Emitted.add_node` folds them."""
    out = Emitted(0)
    for ev in events:
        out.add_node(ev)
    return out.node


# ---------------------------------------------------------------------------------------------
# One step
# ---------------------------------------------------------------------------------------------

_NODE_EVENT: Final[dict[type[Event], NEvent]] = {
    NodeHeartbeatsStop: NEvent.HEARTBEATS_STOP,
    NodePressure: NEvent.PRESSURE,
    NodeDeleted: NEvent.NODE_DELETED,
    NodeOutOfService: NEvent.OUT_OF_SERVICE,
}


class _Run:
    """One step in progress: mutable copies of the cluster's parts, turned back into a Cluster at the end."""

    def __init__(self, plan: ClusterPlan, cl: Cluster, out: Emitted | None) -> None:
        self.plan = plan
        self.t = cl.t
        self.node = cl.node
        self.pods = [s for _, s in cl.pods]
        self.marked_before = [s.not_ready_marked for s in self.pods]  # Ready=False shown when the step began
        self.work = {w.pod: w for w in cl.work}
        self.seen = list(cl.seen)
        self.evict_last = cl.evict_last
        self.evict_wait = cl.evict_wait
        self.out = out

    def result(self) -> Cluster:
        return Cluster(
            t=self.t,
            node=self.node,
            pods=tuple(zip(self.plan.names, self.pods, strict=True)),
            work=tuple(self.work[i] for i in sorted(self.work)),
            seen=tuple(self.seen),
            evict_last=self.evict_last,
            evict_wait=self.evict_wait,
        )

    def _frozen(self) -> tuple[Any, ...]:
        return (self.node, tuple(self.pods), tuple(sorted(self.work.items())), tuple(self.seen))

    # -- output ------------------------------------------------------------------------------

    def pod_out(self, i: int) -> list[KEvent] | None:
        return self.out.pods[i] if self.out is not None else None

    def pod_event(self, i: int, type_: str, reason: str, message: str, source: str) -> None:
        if self.out is not None:
            self.out.pods[i].append(KEvent(type_, reason, message, source, self.t))

    def node_event(self, type_: str, reason: str, message: str, source: str) -> None:
        if self.out is not None:
            self.out.add_node(KEvent(type_, reason, message, source, self.t))

    @property
    def node_name(self) -> str:
        return self.node.name or self.plan.node.name or "node-1"

    def describe(self) -> str:
        return f"{nd.describe(self.node, self.t)}; pods {', '.join(self.plan.names)}"

    # -- events ------------------------------------------------------------------------------

    def resolve(self, ev: PodEvent) -> int:
        """The index of the pod ``ev`` names; :class:`IllegalTransition` if it names none."""
        names = self.plan.names
        if ev.pod is None:
            if len(names) == 1:
                return 0
            raise IllegalTransition(
                self.describe(),
                ev,
                f"a simulation of several pods needs the event's 'pod' field (pods: {listing(names)})",
            )
        i = self.plan.by_name.get(ev.pod)
        if i is None:
            raise IllegalTransition(
                self.describe(), ev, f"the simulation has no pod named {ev.pod!r} (pods: {', '.join(names)})"
            )
        return i

    def apply_pod_event(self, ev: PodEvent) -> None:
        i = self.resolve(ev)
        s = self.pods[i]
        if isinstance(ev, Schedule) and s.stage in _UNBOUND:
            problem = schedule_refusal(self.plan, self.node, i, s, ev)
            if problem is not None:
                raise problem
        self.pods[i] = pod_step(self.plan.pods[i], s, ev, out=self.pod_out(i))
        if isinstance(ev, Schedule) and not self.node.name:
            self.node = self.node._replace(name=ev.node)
        self.reconcile()

    def apply_node_event(self, ev: NodeEvent) -> None:
        if isinstance(ev, NodeHeartbeat):
            nev = NEvent.HEARTBEAT_READY if ev.ready else NEvent.HEARTBEAT_NOT_READY
        else:
            nev = _NODE_EVENT[type(ev)]
        old = self.node._replace(name=self.node_name)
        new = nd.fire(old, nev, self.t, ev, model=self.plan.model)  # IllegalTransition: nothing changed
        self.node = new
        self.announce(old, new)
        if nev is NEvent.HEARTBEATS_STOP:
            self.set_away(True)
        elif old.state in (NState.SILENT, NState.UNKNOWN) and nd.reporting(new):
            self.set_away(False)
        self.reconcile()

    def set_away(self, away: bool) -> None:
        """The kubelet's reports stop reaching the API, or resume (it syncs every pod at once)."""
        for i, s in enumerate(self.pods):
            self.pods[i] = set_away(self.plan.pods[i], s, away, self.pod_out(i))

    def announce(self, old: NodeState, new: NodeState) -> None:
        """The node events of a Ready change: the kubelet's (``recordNodeStatusEvent``) and the NLC's."""
        name = self.node_name
        if new.state is NState.DELETED:
            self.node_event(
                "Normal",
                "RemovingNode",
                f"Node {name} event: Removing Node {name} from Controller",
                "node-controller",
            )
            return
        before, after = nd.ready_status(old), nd.ready_status(new)
        if before == after:
            return
        if nd.reporting(new):
            reason = "NodeReady" if after == "True" else "NodeNotReady"
            self.node_event("Normal", reason, f"Node {name} status is now: {reason}", "kubelet")
        if before == "True":  # monitorNodeHealth: RecordNodeStatusChange once Ready leaves True
            self.node_event(
                "Normal", "NodeNotReady", f"Node {name} status is now: NodeNotReady", "node-controller"
            )

    def tick(self, ev: Tick) -> None:
        """Advance every pod and the controllers' timers in time order, splitting at each controller timer.

        The clock jumps from one timer to the next (the pods' own timers fire inside the engine's
        tick); the eviction manager's rounds that can change nothing are counted, not run
        (:meth:`skip_idle_rounds`), so a tick costs what changes, not the seconds it spans.
        """
        target = self.t + ev.seconds
        if target > self.plan.config.last_second:
            raise IllegalTransition(self.describe(), ev, CLOCK_END_RULE)
        while True:
            due = self.next_timer()
            if due < 0 or due > target:
                break
            if self.skip_idle_rounds(due, target):
                continue
            self.advance(due)
            self.reconcile()
        if self.t < target:
            self.advance(target)
            self.reconcile()

    def advance(self, to: int) -> None:
        for i, s in enumerate(self.pods):
            if s.t < to:
                self.pods[i] = pod_step(self.plan.pods[i], s, Tick(to - s.t), out=self.pod_out(i))
        self.t = to

    def next_timer(self, *, rounds: bool = True) -> int:
        """The earliest controller timer strictly after now, or -1 (the pods' own timers are the engine's).

        ``rounds=False`` leaves out the eviction manager's periodic round under pressure.
        """
        n, cfg, t = self.node, self.plan.node, self.t
        due: list[int] = [w.fire_at for w in self.work.values()]
        if n.state is NState.SILENT:
            due.append(n.heartbeat_at + cfg.node_monitor_grace_period)
        if n.state is NState.DELETED and any(s.node and s.stage not in _GONE for s in self.pods):
            due.append(n.deleted_at + cfg.pod_gc_quarantine)
        if nd.reporting(n):
            for sig in n.signals:
                if not sig.active and sig.shown == "True" and sig.cleared_at >= 0:
                    due.append(sig.cleared_at + cfg.eviction_pressure_transition_period)
            if cfg.eviction_waits_for_cleanup and self.evict_wait >= 0:
                due.append(min(t + 1, self.evict_last + cfg.pod_cleanup_timeout))  # polled every second
            elif rounds and self.evict_last >= 0 and any(sig.active for sig in n.signals):
                due.append(self.evict_last + cfg.eviction_monitoring_period)
        return min((d for d in due if d > t), default=-1)

    def skip_idle_rounds(self, due: int, target: int) -> bool:
        """Count, without running them, the eviction rounds from ``due`` on that can only repeat an event.

        ``eviction_manager.go synchronize``: under pressure every round records the
        ``EvictionThresholdMet`` Event, then evicts the first-ranked active pod or, with none,
        returns ("eviction thresholds have been met, but no pods are active to evict"). Within a
        tick the candidates can change only when a pod's timer (the engine's next due time) or a
        controller timer fires; so when there is none now, every round strictly before the earliest
        of those timers (and not after ``target``) does nothing but record the same Event again.
        Those rounds become one :class:`~podfsm.machines.records.KEvent` with their count and first and last
        times, computed (``events_cache.go eventObserve``), and ``evict_last`` moves to the last of
        them; pods and clock stay where they are (the next iteration advances them). Returns False,
        having done nothing, unless the round at ``due`` is such a round.
        """
        period = self.plan.node.eviction_monitoring_period
        if (
            self.evict_wait >= 0
            or self.evict_last < 0
            or due != self.evict_last + period
            or not nd.reporting(self.node)
        ):
            return False
        active = self.active_kinds()
        if not active or self.eviction_candidates():
            return False
        horizon = target + 1
        other = self.next_timer(rounds=False)
        if other >= 0:
            horizon = min(horizon, other)
        for pplan, s in zip(self.plan.pods, self.pods, strict=True):
            # The engine's timers (kubelet back-offs, re-syncs, grace periods, activeDeadlineSeconds):
            # engine.step's Tick fires exactly these; between them a pod's stage stays. Conservative:
            # today a timer only takes a pod out of INITIALIZING / STARTED (only `schedule` puts it
            # in), and other controller timers do not add candidates either; stopping at each keeps
            # the jump exact should that change, at one loop iteration per timer.
            pod_due = next_due(pplan, s)
            if pod_due > self.t:
                horizon = min(horizon, pod_due)
        if due >= horizon:
            return False
        count = (horizon - 1 - due) // period + 1
        last = due + (count - 1) * period
        if self.out is not None:
            message = f"Attempting to reclaim {nd.pressure_resource(active[0])}"
            first = due if count > 1 else -1
            self.out.add_node(
                KEvent("Warning", "EvictionThresholdMet", message, "kubelet", last, count, first)
            )
        self.evict_last = last
        return True

    # -- controllers -------------------------------------------------------------------------

    def reconcile(self) -> None:
        """Let every controller act on what it sees now, until nothing changes."""
        for _ in range(8 + 4 * len(self.pods)):
            before = self._frozen()
            self.monitor_grace()
            self.kubelet_conditions()
            self.mark_pods_not_ready()
            self.taint_manager()
            self.gc_terminating()
            self.gc_orphaned()
            self.eviction_manager()
            if self._frozen() == before:
                return
        raise AssertionError(f"the controllers did not settle: {self.describe()}")  # a model bug

    def monitor_grace(self) -> None:
        """``tryUpdateNodeHealth``: no heartbeat for nodeMonitorGracePeriod → Ready Unknown."""
        n = self.node
        if n.state is NState.SILENT and self.t >= n.heartbeat_at + self.plan.node.node_monitor_grace_period:
            new = nd.fire(n, NEvent.MONITOR_GRACE_EXPIRED, self.t, None, model=self.plan.model)
            self.node = new
            self.announce(n, new)

    def kubelet_conditions(self) -> None:
        """``setNodeMemoryPressureCondition`` & co.: the kubelet posts each pressure condition when it changes."""
        n = self.node
        if not nd.reporting(n):
            return
        period = self.plan.node.eviction_pressure_transition_period
        signals = list(n.signals)
        for k, kind in enumerate(nd.KINDS):
            sig = signals[k]
            lingering = sig.cleared_at >= 0 and self.t < sig.cleared_at + period
            status = "True" if sig.active or lingering else "False"
            if sig.shown != status:
                signals[k] = sig._replace(shown=status, since=self.t)
                reason = nd.pressure_event(kind, status)
                self.node_event("Normal", reason, f"Node {self.node_name} status is now: {reason}", "kubelet")
        if tuple(signals) != n.signals:
            self.node = n._replace(signals=tuple(signals))

    def mark_pods_not_ready(self) -> None:
        """``MarkPodsNotReady`` while Ready is not True; once it is, the kubelet's next status shows Ready again."""
        n = self.node
        if n.state is NState.DELETED:
            return
        not_ready = nd.ready_status(n) != "True"
        for i, s in enumerate(self.pods):
            if not s.node or s.stage in _GONE:
                continue
            if not_ready and not s.not_ready_marked:
                # The event only when the Ready condition shown changes: the kubelet's Ready=True between
                # two marks within one step never reaches a watcher.
                event = not self.marked_before[i] and _pod_ready(self.plan.pods[i], s)
                self.pods[i] = mark_not_ready(s)
                if event:
                    self.pod_event(i, "Warning", "NodeNotReady", "Node is not ready", "node-controller")
            elif not not_ready and s.not_ready_marked and not s.away:
                # status_manager syncBatch (needsReconcile) rewrites the kubelet's Ready; podfsm: at once.
                self.pods[i] = unmark_not_ready(s)

    def taint_manager(self) -> None:
        """The taint-eviction controller: process pods whose node's NoExecute taints changed, fire due deletions."""
        n = self.node
        noexec = tuple(t for t in nd.taints(n) if t.effect == "NoExecute")
        for i, s in enumerate(self.pods):
            if s.stage in _GONE:
                if i in self.work:  # handlePodUpdate: the pod is gone → cancelWorkWithEvent
                    self.cancel(i)
                continue
            if not s.node or n.state is NState.DELETED:  # handleNodeUpdate: a deleted node is only forgotten
                continue
            if self.seen[i] != noexec:
                self.seen[i] = noexec
                self.process_pod_on_node(i, noexec)
        for i in sorted(self.work):
            w = self.work[i]
            if w.fire_at <= self.t:
                del self.work[i]
                self.pods[i] = taint_delete(self.plan.pods[i], self.pods[i], self.pod_out(i))

    def process_pod_on_node(self, i: int, noexec: tuple[Taint, ...]) -> None:
        """``processPodOnNode`` (taint_eviction.go)."""
        t = self.t
        if not noexec:  # handleNodeUpdate: all taints removed → cancel every eviction
            self.cancel(i)
            return
        tolerated, used = matching_tolerations(noexec, self.plan.tolerations[i])
        if not tolerated:
            self.cancel(i)
            self.work[i] = Work(i, t, t)
            return
        seconds = min_toleration_seconds(used)
        if seconds < 0:  # tolerates forever
            self.cancel(i)
            return
        existing = self.work.get(i)
        if existing is not None:
            if existing.created + seconds < t + seconds:
                return  # the deletion already scheduled stays (its FireAt too)
            self.cancel(i)
            self.work[i] = Work(i, existing.created, t + seconds)
            return
        self.work[i] = Work(i, t, t + seconds)

    def cancel(self, i: int) -> None:
        """``cancelWorkWithEvent``: drop a scheduled deletion, with an event if there was one."""
        if self.work.pop(i, None) is not None:
            plan = self.plan.pods[i]
            self.pod_event(
                i,
                "Normal",
                "TaintManagerEviction",
                f"Cancelling deletion of Pod {plan.namespace}/{plan.name}",
                "taint-eviction-controller",
            )

    def gc_terminating(self) -> None:
        """``gcTerminating``: force-delete Terminating pods on a not-Ready node with the out-of-service taint."""
        n = self.node
        if n.state is NState.DELETED or n.out_of_service_at < 0 or nd.ready_status(n) == "True":
            return
        for i, s in enumerate(self.pods):
            if s.node and s.stage not in _GONE and s.deletion_at >= 0 and not s.phase.is_terminal:
                self.pods[i] = gc_delete(self.plan.pods[i], s, None, self.pod_out(i))

    def gc_orphaned(self) -> None:
        """``gcOrphaned``: quarantineTime after the node's deletion, every pod bound to it is force-deleted."""
        n = self.node
        if n.state is not NState.DELETED or self.t < n.deleted_at + self.plan.node.pod_gc_quarantine:
            return
        for i, s in enumerate(self.pods):
            if s.node and s.stage not in _GONE:
                # markFailedAndDeletePodWithCondition: the condition only with the Failed patch (non-terminal pods)
                condition = None if s.phase.is_terminal else POD_GC_DISRUPTION
                self.pods[i] = gc_delete(self.plan.pods[i], s, condition, self.pod_out(i))

    def eviction_manager(self) -> None:
        """``synchronize``: under pressure, evict the first-ranked pod it may (one per round)."""
        n, cfg, t = self.node, self.plan.node, self.t
        if not nd.reporting(n):
            return
        active = self.active_kinds()
        if cfg.eviction_waits_for_cleanup and self.evict_wait >= 0:
            cleaned = self.pods[self.evict_wait].stage in _CLEANED and t > self.evict_last
            if not cleaned and t < self.evict_last + cfg.pod_cleanup_timeout:
                return  # waitForPodsCleanup
            self.evict_wait = -1  # cleaned up (or timed out): the loop synchronizes at once
        elif not active or (self.evict_last >= 0 and t < self.evict_last + cfg.eviction_monitoring_period):
            return
        self.evict_last = t
        if not active:
            return
        resource = nd.pressure_resource(active[0])  # byEvictionPriority: memory first
        self.node_event("Warning", "EvictionThresholdMet", f"Attempting to reclaim {resource}", "kubelet")
        for i in eviction_order(self.plan, active[0], self.eviction_candidates()):
            self.pods[i] = kubelet_evict(self.plan.pods[i], self.pods[i], resource, self.pod_out(i))
            if cfg.eviction_waits_for_cleanup:
                self.evict_wait = i
            return

    def active_kinds(self) -> list[str]:
        """The pressure kinds whose signal is past its threshold now, in the order the kubelet reclaims them."""
        return [kind for kind, sig in zip(nd.KINDS, self.node.signals, strict=True) if sig.active]

    def eviction_candidates(self) -> list[int]:
        """The pods a round may evict (``synchronize``'s active pods, critical ones left out), unranked."""
        return [
            i
            for i, s in enumerate(self.pods)
            if s.node and s.stage in _EVICTABLE and not s.away and not self.plan.critical[i]
        ]


def _pod_ready(plan: PodPlan, s: PodState) -> bool:
    """True iff the pod's Ready condition is True in ``s`` (MarkPodsNotReady records an event only when it changes one)."""
    conditions = pod_json(plan, s)["status"].get("conditions") or ()
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def cluster_step(plan: ClusterPlan, cl: Cluster, ev: Event, *, out: Emitted | None = None) -> Cluster:
    """The cluster after ``ev``; :class:`IllegalTransition` (and ``cl`` untouched) if the model forbids it.

    ``out`` collects the Kubernetes Events emitted, per pod and about the node; the plan's model
    decides the rest.
    """
    run = _Run(plan, cl, out)
    if isinstance(ev, Tick):
        run.tick(ev)
    elif isinstance(ev, NodeEvent):
        run.apply_node_event(ev)
    elif isinstance(ev, PodEvent):
        run.apply_pod_event(ev)
    else:
        raise IllegalTransition(run.describe(), ev, "podfsm does not model this event yet")
    return run.result()


def schedule_refusal(
    plan: ClusterPlan, node: NodeState, i: int, s: PodState, ev: Schedule
) -> IllegalTransition | None:
    """Why the scheduler cannot bind pod ``i`` to ``ev.node`` now, or None: podfsm has one node; it
    must exist, report, and carry no taint the pod does not tolerate (the TaintToleration filter)."""
    where = describe_pod(plan.pods[i], s)
    if node.state is NState.DELETED:
        return IllegalTransition(
            where, ev, f"node {ev.node!r} not found: the Node object was deleted", nd.DOCS
        )
    name = node.name or plan.node.name
    if name and ev.node != name:
        return IllegalTransition(
            where, ev, f"podfsm simulates one node, {name!r}: every pod of the simulation is bound to it"
        )
    for taint in nd.taints(node):
        if not any(t.tolerates(taint) for t in plan.tolerations[i]):
            value = f"={taint.value}" if taint.value else ""
            return IllegalTransition(
                where,
                ev,
                f"the scheduler's TaintToleration filter: the node has taint {taint.key}{value}:{taint.effect} "
                f"that the pod does not tolerate (FailedScheduling: 0/1 nodes are available: 1 node(s) had "
                f"untolerated taint {{{taint.key}: {taint.value}}})",
                _TAINT_DOCS,
            )
    if node.state is NState.SILENT:
        return IllegalTransition(
            where,
            ev,
            "not modelled: binding a pod to a node whose kubelet does not report (the API would show it "
            "Pending with only PodScheduled=True until the kubelet returns)",
        )
    return None


# The node table's environment events, each with the events that stand for it.
_NODE_MOVES: Final = (
    (NEvent.HEARTBEAT_READY, (NodeHeartbeat(ready=True),)),
    (NEvent.HEARTBEAT_NOT_READY, (NodeHeartbeat(ready=False),)),
    (NEvent.HEARTBEATS_STOP, (NodeHeartbeatsStop(),)),
    (NEvent.PRESSURE, tuple(NodePressure(type=k, active=a) for k in nd.KINDS for a in (True, False))),
    (NEvent.OUT_OF_SERVICE, (NodeOutOfService(),)),
    (NEvent.NODE_DELETED, (NodeDeleted(),)),
)


def cluster_enabled_events(plan: ClusterPlan, cl: Cluster) -> list[Event]:
    """The environment's legal moves in ``cl`` (one representative per kind), for random walks;
    derived from the tables, never by trying a step: each pod's :func:`enabled_events` (a schedule
    only where :func:`schedule_refusal` lets it bind), the node table's events it does not forbid in
    the node's state, and a tick to the next timer of a pod or a controller."""
    legal: list[Event] = []
    node_name = cl.node.name or plan.node.name
    for i, (name, pplan, (_, s)) in enumerate(zip(plan.names, plan.pods, cl.pods, strict=True)):
        for ev in enabled_events(pplan, s):
            if not isinstance(ev, PodEvent):
                continue
            if isinstance(ev, Schedule):
                ev = dataclasses.replace(ev, node=node_name or ev.node)
                if schedule_refusal(plan, cl.node, i, s, ev) is not None:
                    continue
            legal.append(dataclasses.replace(ev, pod=name))
    forbidden = plan.model.node.forbidden
    for nev, events in _NODE_MOVES:
        if (cl.node.state, nev) not in forbidden:
            legal += events
    due = [_Run(plan, cl, None).next_timer()]
    for pplan, (_, s) in zip(plan.pods, cl.pods, strict=True):
        due += [cl.t + ev.seconds for ev in enabled_events(pplan, s) if isinstance(ev, Tick)]
    due = [d for d in due if d > cl.t]
    room = min(MAX_TICK_SECONDS, plan.config.last_second - cl.t)  # one tick's bound; the clock's end
    if due and room > 0:
        legal.append(Tick(min(min(due) - cl.t, room)))
    return legal


# ---------------------------------------------------------------------------------------------
# The simulator
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterStep:
    """What one event did: the time, the event, the new cluster state, one :class:`Step` per pod it
    affected (in the pods' order), the Node object (None once deleted) and the node's Events."""

    t: int
    event: Event
    state: Cluster
    steps: tuple[Step, ...]
    node: dict[str, Any] | None
    node_events: tuple[KEvent, ...]

    def step(self, name: str) -> Step | None:
        """The :class:`Step` of the pod named ``name``, or None if the event did not affect it."""
        return next((s for s in self.steps if s.pod["metadata"]["name"] == name), None)


class ClusterSimulator:
    """Runs several pods on one node through events.

    ``state`` is the :class:`Cluster`, ``pods`` each pod's v1 object by name, ``node`` the Node.
    Pod events name their pod (``pod=``; optional with one pod); an unknown pod raises
    :class:`~podfsm.errors.IllegalTransition`. Each :meth:`apply` is atomic.
    """

    def __init__(
        self,
        pods: Sequence[Pod | LoadedPod],
        config: Config | None = None,
        node: NodeConfig | None = None,
        *,
        model: Model = DEFAULT,
    ) -> None:
        objects = [p.pod if isinstance(p, LoadedPod) else p for p in pods]
        self.plan: ClusterPlan = cluster_plan(objects, config, node, model)
        self.state: Cluster = initial_cluster(self.plan)
        self.pods: dict[str, dict[str, Any]] = {
            n: pod_json(p, s) for p, (n, s) in zip(self.plan.pods, self.state.pods, strict=True)
        }
        self._columns: dict[str, Columns] = {
            n: self._cols(i, self.pods[n]) for i, n in enumerate(self.plan.names)
        }
        self.node: dict[str, Any] | None = nd.node_json(self.state.node, 0, self.plan.config)
        self.history: list[ClusterStep] = []

    @property
    def t(self) -> int:
        return self.state.t

    def _cols(self, i: int, pod: dict[str, Any]) -> Columns:
        return kubectl_columns(pod, now=timestamp(self.plan.pods[i], self.state.t))

    def columns(self, name: str) -> Columns:
        """kubectl's STATUS / READY / RESTARTS for the pod ``name`` now."""
        return self._columns[name]

    def apply(self, event: Event | Mapping[str, Any]) -> ClusterStep:
        """Apply one event (an :class:`Event` or its mapping form); returns the resulting :class:`ClusterStep`."""
        ev = event if isinstance(event, Event) else event_from_dict(event)
        out = Emitted(len(self.plan.pods))
        new = cluster_step(self.plan, self.state, ev, out=out)
        old = self.state
        self.state = new
        addressed = -1
        if isinstance(ev, PodEvent):
            addressed = self.plan.by_name[ev.pod] if ev.pod is not None else 0
        pods = dict(self.pods)
        columns = dict(self._columns)
        affected = []
        for i, (name, s) in enumerate(new.pods):
            if s != old.pods[i][1]:
                pods[name] = pod_json(self.plan.pods[i], s, self.pods[name])
            columns[name] = self._cols(i, pods[name])
            if (
                i == addressed
                or out.pods[i]
                or pods[name] != self.pods[name]
                or columns[name] != self._columns[name]
            ):
                affected.append(i)
        if not affected:  # nothing shows a change: every pod that still exists gets a row
            affected = [i for i, (_, s) in enumerate(old.pods) if s.stage not in _GONE] or list(
                range(len(new.pods))
            )
        self.pods, self._columns = pods, columns
        self.node = nd.node_json(new.node, new.t, self.plan.config)
        names = self.plan.names
        steps = tuple(
            Step(new.t, ev, new.pods[i][1], pods[names[i]], columns[names[i]], tuple(out.pods[i]))
            for i in affected
        )
        result = ClusterStep(new.t, ev, new, steps, self.node, tuple(out.node))
        self.history.append(result)
        return result

    def run(self, events: Sequence[Event | Mapping[str, Any]]) -> list[ClusterStep]:
        """Apply every event in order; stops at (and raises) the first illegal one."""
        return [self.apply(e) for e in events]

    def pod_history(self, name: str) -> list[Step]:
        """The :class:`Step`\\ s of pod ``name``: every step that affected it."""
        return [s for cs in self.history if (s := cs.step(name)) is not None]
