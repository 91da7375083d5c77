"""The node machine: the node's ``Ready`` condition, its taints and its pressure conditions.

The kubelet posts the node's status (``Ready`` True or False, reason ``KubeletReady`` /
``KubeletNotReady``) and renews its lease; the node lifecycle controller (NLC) watches the
heartbeats and, when none came for ``nodeMonitorGracePeriod`` (50 s since v1.32), sets every
kubelet condition to ``Unknown`` (``NodeStatusUnknown``, "Kubelet stopped posting node status.",
``tryUpdateNodeHealth``). The states (k8s-semantics.md §1, N1–N2):

* ``READY`` / ``NOT_READY``: the kubelet posts ``Ready`` True / False.
* ``SILENT``: heartbeats stopped, still within the grace period: the API shows what the kubelet
  last posted (``posted_ready``).
* ``UNKNOWN``: the grace period passed: ``Ready`` (and the pressure conditions) ``Unknown``.
* ``DELETED``: the Node object is gone (final).

Taints follow the conditions (``processTaintBaseEviction`` for NoExecute, ``doNoScheduleTaintingPass``
for NoSchedule): ``Ready`` False → ``node.kubernetes.io/not-ready`` (NoSchedule and NoExecute),
``Unknown`` → ``node.kubernetes.io/unreachable`` (the two swap at once), True → neither;
``MemoryPressure`` / ``DiskPressure`` / ``PIDPressure`` True → ``memory-pressure`` /
``disk-pressure`` / ``pid-pressure`` NoSchedule. ``node_out_of_service`` adds
``node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`` (an admin's taint; never removed here).

Pressure: an eviction signal past its hard threshold sets the kubelet's condition True at once;
once the signal is back under, the condition stays True for ``evictionPressureTransitionPeriod``
(5 min, ``eviction_manager.go synchronize`` / ``nodeConditionsObservedSince``). The kubelet only
posts while it reports (READY / NOT_READY); while SILENT the API keeps what it last posted.

What the node's state does to pods (``MarkPodsNotReady``, taint eviction, pod GC, node-pressure
eviction) is :mod:`podfsm.cluster`'s; this module is the table and the Node object.

Left out: ``nodeStartupGracePeriod`` and ``NodeStatusNeverUpdated`` (the node is registered and
Ready at t = 0), ``nodeMonitorPeriod`` granularity (the NLC notices at the exact second), the
``network-unavailable`` and ``unschedulable`` taints, removing the out-of-service taint, a node
re-registering after deletion, zone-level disruption modes (``--unhealthy-zone-threshold``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from podfsm.config import Config
from podfsm.errors import IllegalTransition
from podfsm.events import Event, NodePressure
from podfsm.machines.table import Machine, Row, define
from podfsm.timefmt import parse_time

if TYPE_CHECKING:
    from podfsm.model import Model

__all__ = [
    "DEFAULT_TOLERATION_SECONDS",
    "EVICTION_MONITORING_PERIOD",
    "EVICTION_PRESSURE_TRANSITION_PERIOD",
    "KINDS",
    "NODE",
    "NODE_MONITOR_GRACE_PERIOD",
    "POD_CLEANUP_TIMEOUT",
    "POD_GC_QUARANTINE",
    "NEvent",
    "NState",
    "NodeConfig",
    "NodeState",
    "Signal",
    "Taint",
    "describe",
    "fire",
    "node_json",
    "pressure_event",
    "pressure_resource",
    "ready_status",
    "reporting",
    "signal_condition",
    "taints",
]

#: NLC ``nodeMonitorGracePeriod``: 40 s in older defaults, 50 s since v1.32 (PR kubernetes#126287).
NODE_MONITOR_GRACE_PERIOD: Final = 50
#: kube-apiserver ``--default-not-ready-toleration-seconds`` / ``--default-unreachable-toleration-seconds``
#: (the DefaultTolerationSeconds admission plugin), both "Default: 300".
DEFAULT_TOLERATION_SECONDS: Final = 300
#: ``gc_controller.go quarantineTime``: a missing node is confirmed gone after 40 s.
POD_GC_QUARANTINE: Final = 40
#: ``kubelet.go evictionMonitoringPeriod``: the eviction manager's loop sleeps 10 s between rounds.
EVICTION_MONITORING_PERIOD: Final = 10
#: kubelet config ``evictionPressureTransitionPeriod`` default (5 min): a pressure condition stays True that long.
EVICTION_PRESSURE_TRANSITION_PERIOD: Final = 300
#: ``eviction_manager.go podCleanupTimeout``: after an eviction the loop waits at most 30 s for the pod's cleanup.
POD_CLEANUP_TIMEOUT: Final = 30

TAINT_NOT_READY: Final = "node.kubernetes.io/not-ready"
TAINT_UNREACHABLE: Final = "node.kubernetes.io/unreachable"
TAINT_OUT_OF_SERVICE: Final = "node.kubernetes.io/out-of-service"
KINDS: Final = ("memory", "disk", "pid")  # node_pressure types, in the order the kubelet reclaims them
#: Per kind: condition type, taint, (reason, message) when True, (reason, message) when False,
#: the resource the eviction manager reclaims (signalToResource) and the kubelet's two node events.
_PRESSURE: Final = {
    "memory": (
        "MemoryPressure",
        "node.kubernetes.io/memory-pressure",
        ("KubeletHasInsufficientMemory", "kubelet has insufficient memory available"),
        ("KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        "memory",
        ("NodeHasInsufficientMemory", "NodeHasSufficientMemory"),
    ),
    "disk": (
        "DiskPressure",
        "node.kubernetes.io/disk-pressure",
        ("KubeletHasDiskPressure", "kubelet has disk pressure"),
        ("KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        "ephemeral-storage",
        ("NodeHasDiskPressure", "NodeHasNoDiskPressure"),
    ),
    "pid": (
        "PIDPressure",
        "node.kubernetes.io/pid-pressure",
        ("KubeletHasInsufficientPID", "kubelet has insufficient PID available"),
        ("KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        "pids",
        ("NodeHasInsufficientPID", "NodeHasSufficientPID"),
    ),
}
READY_MESSAGE: Final = "kubelet is posting ready status"
NOT_READY_MESSAGE: Final = "container runtime is down"
UNKNOWN_REASON: Final = "NodeStatusUnknown"
UNKNOWN_MESSAGE: Final = "Kubelet stopped posting node status."
DOCS: Final = "https://kubernetes.io/docs/concepts/architecture/nodes/"


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """The node's name and the controllers' timing constants (defaults: Kubernetes v1.34's)."""

    #: The node's name; None: the node the first ``schedule`` names ("node-1" if a node event comes first).
    name: str | None = None
    node_monitor_grace_period: int = NODE_MONITOR_GRACE_PERIOD
    default_toleration_seconds: int = DEFAULT_TOLERATION_SECONDS
    pod_gc_quarantine: int = POD_GC_QUARANTINE
    eviction_monitoring_period: int = EVICTION_MONITORING_PERIOD
    eviction_pressure_transition_period: int = EVICTION_PRESSURE_TRANSITION_PERIOD
    pod_cleanup_timeout: int = POD_CLEANUP_TIMEOUT
    #: False (default): at most one node-pressure eviction per ``eviction_monitoring_period``
    #: (k8s-semantics.md §6.1). True: as ``eviction_manager.go Start`` loops: after an eviction it
    #: waits for that pod's cleanup (polled every second, at most ``pod_cleanup_timeout``) and
    #: synchronizes again at once; the 10 s sleep only follows a round that evicted nothing.
    eviction_waits_for_cleanup: bool = False


class NState(IntEnum):
    READY = 0
    NOT_READY = 1
    SILENT = 2  # heartbeats stopped, within nodeMonitorGracePeriod
    UNKNOWN = 3
    DELETED = 4


class NEvent(IntEnum):
    """Node machine events: the kubelet's posts, the NLC's grace timer, the admin's deletion and taint."""

    HEARTBEAT_READY = 0
    HEARTBEAT_NOT_READY = 1
    HEARTBEATS_STOP = 2
    MONITOR_GRACE_EXPIRED = 3  # internal: nodeMonitorGracePeriod since the last heartbeat
    NODE_DELETED = 4
    PRESSURE = 5  # an eviction signal crosses its threshold, either way
    OUT_OF_SERVICE = 6


class Signal(NamedTuple):
    """One eviction signal and the condition the kubelet derives from it."""

    active: bool = False  # past its hard threshold now
    cleared_at: int = -1  # when it last went back under its threshold (-1: never, or active)
    shown: str = "False"  # the condition's status as the API shows it: True / False / Unknown
    since: int = 0  # the condition's lastTransitionTime


class Taint(NamedTuple):
    key: str
    effect: str  # NoSchedule | NoExecute
    value: str = ""
    time_added: int = -1


class NodeState(NamedTuple):
    """The node: hashable and immutable. Times are logical seconds."""

    state: NState = NState.READY
    name: str = ""  # "" until fixed (NodeConfig.name, the first schedule, or "node-1")
    ready_since: int = (
        0  # the Ready condition's lastTransitionTime (and the not-ready/unreachable taints' timeAdded)
    )
    heartbeat_at: int = 0  # the kubelet's last status post / lease renewal
    posted_ready: bool = True  # what the kubelet last posted (shown while SILENT)
    signals: tuple[Signal, ...] = (Signal(), Signal(), Signal())  # memory, disk, pid
    out_of_service_at: int = -1  # when the out-of-service taint was added
    deleted_at: int = -1


class NodeCtx(NamedTuple):
    node: NodeState
    t: int
    ev: Event | None


def ready_status(node: NodeState) -> str:
    """The ``Ready`` condition's status as the API shows it ("" once the node is deleted)."""
    st = node.state
    if st is NState.READY:
        return "True"
    if st is NState.NOT_READY:
        return "False"
    if st is NState.SILENT:
        return "True" if node.posted_ready else "False"
    if st is NState.UNKNOWN:
        return "Unknown"
    return ""


def reporting(node: NodeState) -> bool:
    """True iff the kubelet posts status and the Node object exists (READY / NOT_READY)."""
    return node.state in (NState.READY, NState.NOT_READY)


# ---------------------------------------------------------------------------------------------
# Actions (each returns the new record with ``state=target``)
# ---------------------------------------------------------------------------------------------


def post(ctx: NodeCtx, target: NState) -> NodeState:
    """The kubelet posts ``Ready`` True (READY) or False (NOT_READY): lastTransitionTime moves iff the status does."""
    node = ctx.node
    ready = target is NState.READY
    changed = ready_status(node) != ("True" if ready else "False")
    return node._replace(
        state=target,
        ready_since=ctx.t if changed else node.ready_since,
        heartbeat_at=ctx.t,
        posted_ready=ready,
    )


def stop(ctx: NodeCtx, target: NState) -> NodeState:
    """The last heartbeat is now: the NLC's grace period runs from here (``probeTimestamp``)."""
    return ctx.node._replace(state=target, heartbeat_at=ctx.t)


def status_unknown(ctx: NodeCtx, target: NState) -> NodeState:
    """``tryUpdateNodeHealth``: Ready and the kubelet's pressure conditions become Unknown."""
    signals = tuple(sig._replace(shown="Unknown", since=ctx.t) for sig in ctx.node.signals)
    return ctx.node._replace(state=target, ready_since=ctx.t, signals=signals)


def delete(ctx: NodeCtx, target: NState) -> NodeState:
    return ctx.node._replace(state=target, deleted_at=ctx.t)


def set_signal(ctx: NodeCtx, target: NState) -> NodeState:
    """Record a signal crossing its threshold; the kubelet posts the condition (see :mod:`podfsm.cluster`)."""
    ev = ctx.ev
    assert isinstance(ev, NodePressure)
    k = KINDS.index(ev.type)
    sig = ctx.node.signals[k]
    if ev.active:
        sig = sig._replace(active=True, cleared_at=-1)
    elif sig.active:
        sig = sig._replace(active=False, cleared_at=ctx.t)
    signals = ctx.node.signals[:k] + (sig,) + ctx.node.signals[k + 1 :]
    return ctx.node._replace(state=target, signals=signals)


def taint_out_of_service(ctx: NodeCtx, target: NState) -> NodeState:
    at = ctx.node.out_of_service_at
    return ctx.node._replace(state=target, out_of_service_at=at if at >= 0 else ctx.t)


N, NE = NState, NEvent
_POST = "kubelet setNodeReadyCondition (nodestatus.ReadyCondition): Ready {}, lease renewed"
_STOP = "node_lifecycle_controller.go tryUpdateNodeHealth: no status or lease update since probeTimestamp"
_UNKNOWN = (
    "node_lifecycle_controller.go tryUpdateNodeHealth: nodeMonitorGracePeriod passed, conditions Unknown "
    "(NodeStatusUnknown); processTaintBaseEviction: unreachable:NoExecute"
)
_DELETED = "kubectl delete node: the Node object is removed (pod GC gcOrphaned takes it from there)"
_PRESSURE_REF = (
    "eviction_manager.go synchronize: thresholds met → node condition (nodeConditionsObservedSince)"
)
_OOS = "kubectl taint node.kubernetes.io/out-of-service=nodeshutdown:NoExecute (non-graceful node shutdown)"
_LIVE = (N.READY, N.NOT_READY, N.SILENT, N.UNKNOWN)

ROWS: Final[tuple[Row[NState, NEvent, NodeCtx], ...]] = (
    Row(NE.HEARTBEAT_NOT_READY, N.READY, N.NOT_READY, None, post, _POST.format("False (KubeletNotReady)")),
    Row(NE.HEARTBEAT_READY, N.NOT_READY, N.READY, None, post, _POST.format("True (KubeletReady)")),
    Row(NE.HEARTBEAT_READY, N.SILENT, N.READY, None, post, _POST.format("True: heartbeats resume in time")),
    Row(NE.HEARTBEAT_NOT_READY, N.SILENT, N.NOT_READY, None, post, _POST.format("False: heartbeats resume")),
    Row(NE.HEARTBEAT_READY, N.UNKNOWN, N.READY, None, post, _POST.format("True; taints removed")),
    Row(
        NE.HEARTBEAT_NOT_READY,
        N.UNKNOWN,
        N.NOT_READY,
        None,
        post,
        _POST.format("False; unreachable swapped for not-ready (processTaintBaseEviction)"),
    ),
    Row(NE.HEARTBEATS_STOP, N.READY, N.SILENT, None, stop, _STOP),
    Row(NE.HEARTBEATS_STOP, N.NOT_READY, N.SILENT, None, stop, _STOP),
    Row(NE.MONITOR_GRACE_EXPIRED, N.SILENT, N.UNKNOWN, None, status_unknown, _UNKNOWN),
    *(Row(NE.NODE_DELETED, s, N.DELETED, None, delete, _DELETED) for s in _LIVE),
    Row(NE.PRESSURE, N.READY, N.READY, None, set_signal, _PRESSURE_REF),
    Row(NE.PRESSURE, N.NOT_READY, N.NOT_READY, None, set_signal, _PRESSURE_REF),
    *(Row(NE.OUT_OF_SERVICE, s, s, None, taint_out_of_service, _OOS) for s in _LIVE),
)

_GONE = "the Node object no longer exists (a kubelet re-registering it is not modelled)"
_SILENT_ALREADY = "the kubelet already stopped posting status and renewing its lease"
_NOT_POSTED = (
    "the node's kubelet does not report (heartbeats stopped): its conditions and evictions do not reach "
    "the API"
)
FORBIDDEN: Final = {
    (N.SILENT, NE.HEARTBEATS_STOP): _SILENT_ALREADY,
    (N.UNKNOWN, NE.HEARTBEATS_STOP): _SILENT_ALREADY,
    (N.SILENT, NE.PRESSURE): _NOT_POSTED,
    (N.UNKNOWN, NE.PRESSURE): _NOT_POSTED,
    **{
        (N.DELETED, e): _GONE
        for e in (
            NE.HEARTBEAT_READY,
            NE.HEARTBEAT_NOT_READY,
            NE.HEARTBEATS_STOP,
            NE.NODE_DELETED,
            NE.PRESSURE,
            NE.OUT_OF_SERVICE,
        )
    },
}
_TIMER_ONLY = "the NLC's grace timer only runs while heartbeats are missing (SILENT)"
IGNORED: Final = {
    (N.READY, NE.HEARTBEAT_READY): "the kubelet keeps posting Ready=True: only the lease is renewed",
    (N.NOT_READY, NE.HEARTBEAT_NOT_READY): "the kubelet keeps posting Ready=False: only the lease is renewed",
    (N.READY, NE.MONITOR_GRACE_EXPIRED): _TIMER_ONLY,
    (N.NOT_READY, NE.MONITOR_GRACE_EXPIRED): _TIMER_ONLY,
    (N.UNKNOWN, NE.MONITOR_GRACE_EXPIRED): "already Unknown",
    (N.DELETED, NE.MONITOR_GRACE_EXPIRED): "the NLC no longer monitors a deleted node",
}

NODE: Final[Machine[NState, NEvent, NodeCtx]] = define(
    "node",
    states=NState,
    events=NEvent,
    initial=N.READY,
    finals=(N.DELETED,),
    rows=ROWS,
    ignored=IGNORED,
    forbidden=FORBIDDEN,
    doc=__doc__ or "",
)


def describe(node: NodeState, t: int) -> str:
    """A one-line description of the node, for error messages."""
    name = node.name or "node-1"
    if node.state is NState.DELETED:
        return f"node {name!r} (t={t}s, deleted at t={node.deleted_at}s)"
    text = f"node {name!r} (t={t}s, {node.state.name}, Ready {ready_status(node)}"
    if node.state in (NState.SILENT, NState.UNKNOWN):
        text += f", heartbeats stopped at t={node.heartbeat_at}s"
    return text + ")"


def fire(
    node: NodeState, event: NEvent, t: int, ev: Event | None = None, *, model: Model | None = None
) -> NodeState:
    """The node after ``event`` under ``model``'s node table (:data:`NODE` fired compiled when
    ``None``); :class:`IllegalTransition` if the table forbids it (``node`` untouched)."""
    table = NODE if model is None else model.node
    rule = table.forbidden.get((node.state, event))
    if rule is not None:
        raise IllegalTransition(describe(node, t), ev if ev is not None else event.name, rule, DOCS)
    ctx = NodeCtx(node, t, ev)
    row = (NODE.fire if model is None else model.fire_node)(node.state, event, ctx)
    if row is None:
        return node
    assert row.action is not None  # every node row records what changed
    new: NodeState = row.action(ctx, row.target)
    if new.state is not row.target:
        raise AssertionError(
            f"action {row.action.__name__} left {new.state.name}, row says {row.target.name}"
        )
    return new


def signal_condition(kind: str, sig: Signal) -> tuple[str, str, str]:
    """``(status, reason, message)`` of a pressure condition as shown."""
    _, _, true_rm, false_rm, _, _ = _PRESSURE[kind]
    if sig.shown == "Unknown":
        return "Unknown", UNKNOWN_REASON, UNKNOWN_MESSAGE
    reason, message = true_rm if sig.shown == "True" else false_rm
    return sig.shown, reason, message


def pressure_resource(kind: str) -> str:
    """The resource the eviction manager reclaims for ``kind`` (``signalToResource``)."""
    return _PRESSURE[kind][4]


def pressure_event(kind: str, status: str) -> str:
    """The kubelet's node event when ``kind``'s condition becomes ``status`` (True / False)."""
    on, off = _PRESSURE[kind][5]
    return on if status == "True" else off


def taints(node: NodeState) -> tuple[Taint, ...]:
    """``spec.taints``: the NLC's condition taints, the pressure taints, the out-of-service taint."""
    if node.state is NState.DELETED:
        return ()
    out: list[Taint] = []
    ready = ready_status(node)
    key = TAINT_NOT_READY if ready == "False" else TAINT_UNREACHABLE if ready == "Unknown" else ""
    if key:
        out += [Taint(key, "NoSchedule", "", node.ready_since), Taint(key, "NoExecute", "", node.ready_since)]
    for kind, sig in zip(KINDS, node.signals, strict=True):
        if sig.shown == "True":
            out.append(Taint(_PRESSURE[kind][1], "NoSchedule", "", sig.since))
    if node.out_of_service_at >= 0:
        out.append(Taint(TAINT_OUT_OF_SERVICE, "NoExecute", "nodeshutdown", node.out_of_service_at))
    return tuple(out)


def _timestamp(config: Config, t: int) -> str:
    return (parse_time(config.epoch) + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_json(node: NodeState, t: int, config: Config | None = None) -> dict[str, Any] | None:
    """The v1 Node (``kubectl get node -o json``, lifecycle subset) at time ``t``; None once deleted."""
    if node.state is NState.DELETED:
        return None
    config = config or Config()
    name = node.name or "node-1"
    uid = hashlib.sha256(f"node/{name}".encode("utf-8", "surrogatepass")).hexdigest()
    beat = _timestamp(config, node.heartbeat_at)
    conditions = []
    for kind, sig in zip(KINDS, node.signals, strict=True):
        status, reason, message = signal_condition(kind, sig)
        conditions.append(
            {
                "type": _PRESSURE[kind][0],
                "status": status,
                "lastHeartbeatTime": beat,
                "lastTransitionTime": _timestamp(config, sig.since),
                "reason": reason,
                "message": message,
            }
        )
    ready = ready_status(node)
    reason, message = {
        "True": ("KubeletReady", READY_MESSAGE),
        "False": ("KubeletNotReady", NOT_READY_MESSAGE),
        "Unknown": (UNKNOWN_REASON, UNKNOWN_MESSAGE),
    }[ready]
    conditions.append(
        {
            "type": "Ready",
            "status": ready,
            "lastHeartbeatTime": beat,
            "lastTransitionTime": _timestamp(config, node.ready_since),
            "reason": reason,
            "message": message,
        }
    )
    spec: dict[str, Any] = {}
    node_taints = taints(node)
    if node_taints:
        spec["taints"] = [
            {"key": tn.key, **({"value": tn.value} if tn.value else {}), "effect": tn.effect}
            | ({"timeAdded": _timestamp(config, tn.time_added)} if tn.time_added >= 0 else {})
            for tn in node_taints
        ]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}",
            "creationTimestamp": config.epoch,
            "labels": {"kubernetes.io/hostname": name},
        },
        "spec": spec,
        "status": {"conditions": conditions},
    }
