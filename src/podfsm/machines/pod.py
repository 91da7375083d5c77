"""The pod machine: the stages a Pod goes through from creation to a terminal phase.

The stage is not the phase. The phase is what ``getPhase`` computes from the container
statuses (:mod:`podfsm.oracle`), made sticky once terminal and held back while containers may
still run (``mergePodStatus``); the stage is where the pod is in its life, and decides what the
kubelet does next:

* ``UNSCHEDULED`` / ``UNSCHEDULABLE``: no node yet (``PodScheduled`` absent, then False).
* ``INITIALIZING``: bound; init containers run strictly one at a time, in order, a sidecar
  counting as done once started (``computeInitContainerActions``).
* ``STARTED``: initialized; regular containers run and restart by policy, sidecars always.
* ``COMPLETING``: the kubelet kills what still runs (every regular container exited for good,
  an init container failed under ``Never``, or ``activeDeadlineSeconds`` passed): regular
  containers first, then sidecars in reverse order (``newTerminationOrdering``).
* ``FINISHED``: nothing runs; the terminal phase is published.
* ``TERMINATING``: deleted (``metadata.deletionTimestamp`` set, kubectl ``Terminating``): the
  kubelet stops every container within the grace period, restarts nothing, then publishes the
  terminal phase and deletes the object.
* ``REMOVED``: the object is gone from the API: a delete with grace 0 (forced, or an unscheduled
  or already terminal pod: ``podStrategy.CheckGracefulDelete``), or the kubelet's confirmation.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Final, NamedTuple

from podfsm.machines.table import Machine, Row, define

if TYPE_CHECKING:
    from podfsm.machines.records import PodPlan

__all__ = [
    "DEADLINE_MESSAGE",
    "POD",
    "InitProgress",
    "PEvent",
    "PStage",
    "PodCtx",
    "PodEffect",
    "graceful_delete",
]

#: activeDeadlineHandler's message (active_deadline.go), in the DeadlineExceeded Event and status.message
DEADLINE_MESSAGE: Final = "Pod was active on the node longer than the specified deadline"


class PStage(IntEnum):
    UNSCHEDULED = 0
    UNSCHEDULABLE = 1
    INITIALIZING = 2
    STARTED = 3
    COMPLETING = 4
    FINISHED = 5
    TERMINATING = 6
    REMOVED = 7


class PEvent(IntEnum):
    """Pod machine events: the scheduler's two answers, then the kubelet's decisions."""

    SCHEDULE = 0
    UNSCHEDULABLE = 1
    SYNC = 5  # the pod worker syncs the pod: the decisions its guards take from the pod as it is
    DELETE = 7  # API DELETE (kubectl delete, the Eviction API, the taint manager, PodGC)
    REMOVE = 8  # the kubelet deletes the finished object (status_manager canBeDeleted)
    KUBELET_EVICT = 9  # node-pressure eviction (eviction_manager evictPod)


P, PE = PStage, PEvent


class InitProgress(IntEnum):
    """Where initialization stands, read in spec order as ``computeInitContainerActions`` walks."""

    WAITING = 0  # an init container has still to complete (a sidecar: to start)
    DONE = 1  # every init container completed, every sidecar started: regular containers may start
    FAILED = 2  # a regular init container failed under restartPolicy Never: no retry


class PodCtx(NamedTuple):
    """What the pod table's guards and actions read, a summary of the pod (the engine builds it):
    the plan, a DELETE's grace option, ``metadata.deletionTimestamp``, whether the published phase
    is terminal, the clock and ``status.startTime``, where initialization stands and whether every
    container is done (exited or given up)."""

    plan: PodPlan
    grace_option: int | None = None  # a DELETE's gracePeriodSeconds (None: the spec's)
    deletion_at: int = -1  # metadata.deletionTimestamp (-1: not set)
    terminal: bool = False  # the published phase is Failed or Succeeded
    t: int = 0
    start_time: int = -1
    all_stopped: bool = False  # every container TERMINATED or ABANDONED: no process is left
    init: InitProgress = InitProgress.WAITING
    all_exited: bool = False  # every regular container exited for good, no start in flight


class PodEffect(NamedTuple):
    """What a pod row's action does besides moving the stage: ``status.reason`` and ``message``, the
    kubelet's Event ``(type, reason, message)`` if any, and whether KillPod starts now. ``None``
    keeps what the status says."""

    reason: str | None
    message: str | None
    event: tuple[str, str, str] | None
    kill: bool
    deletion: tuple[int, int] | None = None  # an API DELETE: (deletionTimestamp, grace period)


def graceful_delete(ctx: PodCtx, *, bound: bool = True) -> tuple[int, int]:
    """``(deletionTimestamp, grace)`` of an API DELETE now (strategy.go ``CheckGracefulDelete``,
    rest.BeforeDelete): the DELETE's option, else ``terminationGracePeriodSeconds``; 0 for a pod
    no kubelet runs (``bound`` False: unscheduled) or in a terminal phase; a second delete can only
    shorten it (BeforeDelete keeps the earlier deletionTimestamp)."""
    grace = ctx.plan.grace if ctx.grace_option is None else ctx.grace_option
    if not bound or ctx.terminal:
        grace = 0
    deletion_at = ctx.t + grace
    if ctx.deletion_at >= 0:
        deletion_at = min(deletion_at, ctx.deletion_at)
        grace = deletion_at - ctx.t
    return deletion_at, grace


def has_init_containers(ctx: PodCtx) -> bool:
    """True iff the pod declares init containers (sidecars included)."""
    return bool(ctx.plan.init_idx)


def graceful(ctx: PodCtx) -> bool:
    """True iff the delete's grace period is positive: the object stays until the kubelet confirms (CheckGracefulDelete)."""
    return graceful_delete(ctx)[1] > 0


def deletion_requested(ctx: PodCtx) -> bool:
    """True iff the pod has a deletionTimestamp: the kubelet deletes it once terminal (canBeDeleted)."""
    return ctx.deletion_at >= 0


def deadline_passed(ctx: PodCtx) -> bool:
    """True iff ``activeDeadlineSeconds`` is set and has passed since ``status.startTime`` (active_deadline.go pastActiveDeadline)."""
    deadline = ctx.plan.active_deadline
    return deadline >= 0 and ctx.start_time >= 0 and ctx.t >= ctx.start_time + deadline


def all_stopped(ctx: PodCtx) -> bool:
    """True iff every container has exited or been given up: nothing can run any more (mergePodStatus couldHaveRunningContainers)."""
    return ctx.all_stopped


def init_failed_for_good(ctx: PodCtx) -> bool:
    """True iff the init container initialization has reached failed and restartPolicy is Never: no retry (computeInitContainerActions: KillPod, nothing started)."""
    return ctx.init is InitProgress.FAILED


def init_done(ctx: PodCtx) -> bool:
    """True iff every init container has completed and every sidecar has started (computeInitContainerActions returns initialized)."""
    return ctx.init is InitProgress.DONE


def all_exited_for_good(ctx: PodCtx) -> bool:
    """True iff every regular container has exited and may not run again, with no start in flight: no container is kept or started (computePodActions: KillPod)."""
    return ctx.all_exited


def kill_pod(ctx: PodCtx, target: PStage) -> PodEffect:
    """KillPod starts; the status keeps its reason and message."""
    return PodEffect(None, None, None, kill=True)


def mark_deleted(ctx: PodCtx, target: PStage) -> PodEffect:
    """API DELETE of a bound pod: ``metadata.deletionTimestamp`` and ``deletionGracePeriodSeconds``
    (:func:`graceful_delete`); the object stays while the grace runs, or goes at once with grace 0."""
    return PodEffect(None, None, None, kill=False, deletion=graceful_delete(ctx))


def remove_unbound(ctx: PodCtx, target: PStage) -> PodEffect:
    """API DELETE of a pod no kubelet runs: grace 0, the object is removed at once."""
    return PodEffect(None, None, None, kill=False, deletion=graceful_delete(ctx, bound=False))


def deadline_exceeded(ctx: PodCtx, target: PStage) -> PodEffect:
    """ShouldEvict: the pod fails with reason DeadlineExceeded, an Event says so, and KillPod starts."""
    return PodEffect(
        "DeadlineExceeded", DEADLINE_MESSAGE, ("Normal", "DeadlineExceeded", DEADLINE_MESSAGE), kill=True
    )


_SCHED = "scheduler: bind (PodScheduled=True, event Scheduled)"
_UNSCHED = "scheduler: FailedScheduling (PodScheduled=False, reason Unschedulable)"
_INIT = "kuberuntime_container.go computeInitContainerActions"
_DEADLINE = "active_deadline.go ShouldEvict: phase Failed, reason DeadlineExceeded"
_KILLPOD = "kuberuntime_manager.go computePodActions: KillPod when no container is kept or started, InitContainersToStart nil"
_GRACE0 = "strategy.go CheckGracefulDelete: grace 0, the object is removed at once"
_RUNNING_STAGES = (P.INITIALIZING, P.STARTED, P.COMPLETING, P.TERMINATING)

ROWS: Final[tuple[Row[PStage, PEvent, PodCtx], ...]] = (
    Row(PE.SCHEDULE, P.UNSCHEDULED, P.INITIALIZING, has_init_containers, None, _SCHED),
    Row(PE.SCHEDULE, P.UNSCHEDULED, P.STARTED, None, None, _SCHED),
    Row(PE.UNSCHEDULABLE, P.UNSCHEDULED, P.UNSCHEDULABLE, None, None, _UNSCHED),
    Row(PE.SCHEDULE, P.UNSCHEDULABLE, P.INITIALIZING, has_init_containers, None, _SCHED),
    Row(PE.SCHEDULE, P.UNSCHEDULABLE, P.STARTED, None, None, _SCHED),
    Row(PE.UNSCHEDULABLE, P.UNSCHEDULABLE, P.UNSCHEDULABLE, None, None, _UNSCHED + " (retried)"),
    Row(PE.SYNC, P.INITIALIZING, P.COMPLETING, deadline_passed, deadline_exceeded, _DEADLINE),
    Row(
        PE.SYNC,
        P.INITIALIZING,
        P.COMPLETING,
        init_failed_for_good,
        kill_pod,
        _INIT + " (restartPolicy Never: KillPod, InitContainersToStart dropped)",
    ),
    Row(PE.SYNC, P.INITIALIZING, P.STARTED, init_done, None, _INIT + ": initialized"),
    Row(PE.SYNC, P.STARTED, P.COMPLETING, deadline_passed, deadline_exceeded, _DEADLINE),
    Row(PE.SYNC, P.STARTED, P.COMPLETING, all_exited_for_good, kill_pod, _KILLPOD),
    Row(
        PE.SYNC,
        P.COMPLETING,
        P.FINISHED,
        all_stopped,
        None,
        "status_manager.go mergePodStatus: terminal once no container runs",
    ),
    Row(PE.DELETE, P.UNSCHEDULED, P.REMOVED, None, remove_unbound, _GRACE0 + " (unscheduled pod)"),
    Row(PE.DELETE, P.UNSCHEDULABLE, P.REMOVED, None, remove_unbound, _GRACE0 + " (unscheduled pod)"),
    *(
        row
        for s in _RUNNING_STAGES
        for row in (
            Row(
                PE.DELETE,
                s,
                P.TERMINATING,
                graceful,
                mark_deleted,
                "strategy.go CheckGracefulDelete: deletionTimestamp set",
            ),
            Row(PE.DELETE, s, P.REMOVED, None, mark_deleted, _GRACE0 + " (--grace-period=0 --force)"),
        )
    ),
    Row(PE.DELETE, P.FINISHED, P.REMOVED, None, mark_deleted, _GRACE0 + " (terminal phase)"),
    Row(
        PE.SYNC,
        P.TERMINATING,
        P.FINISHED,
        all_stopped,
        None,
        "status_manager.go TerminatePod: terminal once no container runs",
    ),
    Row(
        PE.REMOVE,
        P.FINISHED,
        P.REMOVED,
        deletion_requested,
        None,
        "status_manager.go canBeDeleted: delete with grace 0",
    ),
    *(
        Row(
            PE.KUBELET_EVICT,
            s,
            P.COMPLETING,
            None,
            None,
            "eviction_manager.go evictPod: Failed, reason Evicted",
        )
        for s in (P.INITIALIZING, P.STARTED)
    ),
)

_BOUND = "spec.nodeName is immutable once set (ValidatePodStatusUpdate / binding)"
_NOT_PENDING_SCHED = "the scheduler only reports on pods it has not bound"
_GONE = "the pod no longer exists in the API"
_BOUND_STAGES = (P.INITIALIZING, P.STARTED, P.COMPLETING, P.FINISHED, P.TERMINATING)

FORBIDDEN: Final = {
    **{(s, PE.SCHEDULE): _BOUND for s in _BOUND_STAGES},
    **{(s, PE.UNSCHEDULABLE): _NOT_PENDING_SCHED for s in _BOUND_STAGES},
    **{(P.REMOVED, e): _GONE for e in (PE.SCHEDULE, PE.UNSCHEDULABLE, PE.DELETE)},
}

_KUBELET_EVENTS = (
    PE.SYNC,
    PE.REMOVE,
    PE.KUBELET_EVICT,
)
_NO_KUBELET = "no kubelet runs the pod before it is bound"
_DONE = "the pod is past that point"
IGNORED: Final = {
    **{(s, e): _NO_KUBELET for s in (P.UNSCHEDULED, P.UNSCHEDULABLE) for e in _KUBELET_EVENTS},
    **{
        (s, PE.REMOVE): "only a finished pod is removed by the kubelet"
        for s in (P.INITIALIZING, P.STARTED, P.COMPLETING, P.TERMINATING)
    },
    **{(P.COMPLETING, e): _DONE for e in (PE.KUBELET_EVICT,)},
    **{(P.TERMINATING, e): "a deleted pod only stops" for e in (PE.KUBELET_EVICT,)},
    **{(P.FINISHED, e): _DONE for e in (PE.SYNC, PE.KUBELET_EVICT)},
    **{(P.REMOVED, e): _GONE for e in _KUBELET_EVENTS},
}

POD: Final[Machine[PStage, PEvent, PodCtx]] = define(
    "pod",
    states=PStage,
    events=PEvent,
    initial=P.UNSCHEDULED,
    finals=(P.REMOVED,),
    rows=ROWS,
    ignored=IGNORED,
    forbidden=FORBIDDEN,
    doc=__doc__ or "",
)
