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

Deletion, eviction and node loss come with issue 4.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Final

from podfsm.table import Machine, Row, define

__all__ = ["POD", "PEvent", "PStage"]


class PStage(IntEnum):
    UNSCHEDULED = 0
    UNSCHEDULABLE = 1
    INITIALIZING = 2
    STARTED = 3
    COMPLETING = 4
    FINISHED = 5


class PEvent(IntEnum):
    """Pod machine events: the scheduler's two answers, then the kubelet's decisions."""

    SCHEDULE = 0
    UNSCHEDULABLE = 1
    INIT_DONE = 2  # every init container completed (sidecars: started)
    INIT_FAILED = 3  # a regular init container failed and restartPolicy is Never
    ALL_EXITED = 4  # every regular container exited and none will restart
    DEADLINE = 5  # activeDeadlineSeconds passed since startTime
    STOPPED = 6  # nothing runs any more


P, PE = PStage, PEvent


def has_init_containers(ctx: Any) -> bool:
    """True iff the pod declares init containers (sidecars included)."""
    return bool(ctx.plan.init_idx)


_SCHED = "scheduler: bind (PodScheduled=True, event Scheduled)"
_UNSCHED = "scheduler: FailedScheduling (PodScheduled=False, reason Unschedulable)"
_INIT = "kuberuntime_container.go computeInitContainerActions"
_DEADLINE = "active_deadline.go ShouldEvict: phase Failed, reason DeadlineExceeded"
_KILLPOD = "kuberuntime_manager.go computePodActions: KillPod when no container is kept or started"

ROWS: Final = (
    Row(PE.SCHEDULE, P.UNSCHEDULED, P.INITIALIZING, has_init_containers, None, _SCHED),
    Row(PE.SCHEDULE, P.UNSCHEDULED, P.STARTED, None, None, _SCHED),
    Row(PE.UNSCHEDULABLE, P.UNSCHEDULED, P.UNSCHEDULABLE, None, None, _UNSCHED),
    Row(PE.SCHEDULE, P.UNSCHEDULABLE, P.INITIALIZING, has_init_containers, None, _SCHED),
    Row(PE.SCHEDULE, P.UNSCHEDULABLE, P.STARTED, None, None, _SCHED),
    Row(PE.UNSCHEDULABLE, P.UNSCHEDULABLE, P.UNSCHEDULABLE, None, None, _UNSCHED + " (retried)"),
    Row(PE.INIT_DONE, P.INITIALIZING, P.STARTED, None, None, _INIT),
    Row(PE.INIT_FAILED, P.INITIALIZING, P.COMPLETING, None, None, _INIT + " (restartPolicy Never: KillPod)"),
    Row(PE.DEADLINE, P.INITIALIZING, P.COMPLETING, None, None, _DEADLINE),
    Row(PE.DEADLINE, P.STARTED, P.COMPLETING, None, None, _DEADLINE),
    Row(PE.ALL_EXITED, P.STARTED, P.COMPLETING, None, None, _KILLPOD),
    Row(
        PE.STOPPED,
        P.COMPLETING,
        P.FINISHED,
        None,
        None,
        "status_manager.go mergePodStatus: terminal once no container runs",
    ),
)

_BOUND = "spec.nodeName is immutable once set (ValidatePodStatusUpdate / binding)"
_NOT_PENDING_SCHED = "the scheduler only reports on pods it has not bound"

FORBIDDEN: Final = {
    **{(s, PE.SCHEDULE): _BOUND for s in (P.INITIALIZING, P.STARTED, P.COMPLETING, P.FINISHED)},
    **{
        (s, PE.UNSCHEDULABLE): _NOT_PENDING_SCHED
        for s in (P.INITIALIZING, P.STARTED, P.COMPLETING, P.FINISHED)
    },
}

_NO_KUBELET = "no kubelet runs the pod before it is bound"
_DONE = "the pod is past that point"
IGNORED: Final = {
    **{
        (s, e): _NO_KUBELET
        for s in (P.UNSCHEDULED, P.UNSCHEDULABLE)
        for e in (PE.INIT_DONE, PE.INIT_FAILED, PE.ALL_EXITED, PE.DEADLINE, PE.STOPPED)
    },
    (P.INITIALIZING, PE.ALL_EXITED): "regular containers have not started during initialization",
    (P.INITIALIZING, PE.STOPPED): "initialization still runs",
    (P.STARTED, PE.INIT_DONE): _DONE,
    (P.STARTED, PE.INIT_FAILED): "after initialization the kubelet ignores regular init containers",
    (P.STARTED, PE.STOPPED): "regular containers are still managed",
    **{(P.COMPLETING, e): _DONE for e in (PE.INIT_DONE, PE.INIT_FAILED, PE.ALL_EXITED, PE.DEADLINE)},
    **{
        (P.FINISHED, e): _DONE for e in (PE.INIT_DONE, PE.INIT_FAILED, PE.ALL_EXITED, PE.DEADLINE, PE.STOPPED)
    },
}

POD: Final[Machine[PStage, PEvent]] = define(
    "pod",
    states=PStage,
    events=PEvent,
    initial=P.UNSCHEDULED,
    finals=(P.FINISHED,),
    rows=ROWS,
    ignored=IGNORED,
    forbidden=FORBIDDEN,
    doc=__doc__ or "",
)
