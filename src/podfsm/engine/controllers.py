"""What controllers do to a pod, driven by the node machine in :mod:`podfsm.cluster`: the node's
kubelet going away and back, ``MarkPodsNotReady``, the taint-eviction controller, PodGC and the
kubelet's node-pressure eviction."""

from __future__ import annotations

from typing import Final

from podfsm.engine.handlers import delete
from podfsm.engine.worker import (
    DEADLINE_STAGES,
    pod_fire,
    settle,
)
from podfsm.enums import PodPhase
from podfsm.events import (
    Delete,
)
from podfsm.kubelet import (
    KILLING,
    KUBELET_DISRUPTION_REASON,
)
from podfsm.machines.pod import PEvent, PStage
from podfsm.machines.records import KEvent, PodPlan, PodState

TAINT_MANAGER_DISRUPTION: Final = ("DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
POD_GC_DISRUPTION: Final = ("DeletionByPodGC", "PodGC: node no longer exists")


def set_away(plan: PodPlan, s: PodState, away: bool, out: list[KEvent] | None = None) -> PodState:
    """The node's kubelet stops (``away``) or resumes reporting; on resuming it syncs at once."""
    if away == s.away:
        return s
    s = s._replace(away=away)
    if not away and s.stage is PStage.TERMINATING and not any(c.state in KILLING for c in s.ctrs):
        # calculateEffectiveGracePeriod: the kubelet counts the grace from when it sees the deletion
        s = s._replace(kill_start=s.t, kill_grace=max(s.deletion_grace, 1))
    return s if away else settle(plan, s, out)


def unmark_not_ready(s: PodState) -> PodState:
    """The node reports Ready again: the kubelet-owned Ready condition is its own again."""
    return s._replace(not_ready_marked=False) if s.not_ready_marked else s


def mark_not_ready(s: PodState) -> PodState:
    """``MarkPodsNotReady`` (node lifecycle controller): the Ready condition of a bound pod becomes False.

    Only ``Ready`` changes: not the phase, not ``ContainersReady``, not the container statuses. The
    kubelet's next status (once its node reports again) recomputes it.
    """
    if not s.node or s.stage is PStage.REMOVED:
        return s
    return s._replace(not_ready_marked=True)


def taint_delete(plan: PodPlan, s: PodState, out: list[KEvent] | None = None) -> PodState:
    """The taint-eviction controller deletes a pod that does not tolerate a NoExecute taint (graceful delete)."""
    if s.stage is PStage.REMOVED or s.deletion_at >= 0:
        return s
    if out is not None:
        out.append(
            KEvent(
                "Normal",
                "TaintManagerEviction",
                f"Marking for deletion Pod {plan.namespace}/{plan.name}",
                "taint-eviction-controller",
                s.t,
            )
        )
    return delete(plan, s, Delete(), None, TAINT_MANAGER_DISRUPTION, out)


def gc_delete(
    plan: PodPlan,
    s: PodState,
    disruption: tuple[str, str] | None,
    out: list[KEvent] | None = None,
) -> PodState:
    """PodGC ``markFailedAndDeletePodWithCondition``: phase Failed (unless terminal), the condition, then a force delete."""
    if s.stage is PStage.REMOVED:
        return s
    if not s.phase.is_terminal:  # the condition comes with the patch to Failed, only for a non-terminal pod
        s = s._replace(phase=PodPhase.FAILED, disruption=disruption or s.disruption)
    return delete(plan, s, Delete(0), 0, None, out)


def kubelet_evict(plan: PodPlan, s: PodState, resource: str, out: list[KEvent] | None = None) -> PodState:
    """``evictPod`` (node-pressure eviction): kill with grace 0, then phase Failed, reason Evicted."""
    if s.stage not in DEADLINE_STAGES:
        return s  # only a pod the kubelet runs and has not begun to stop is evicted
    message = f"The node was low on resource: {resource}. "
    if out is not None:
        out.append(KEvent("Warning", "Evicted", message, "kubelet", s.t))
    stage = pod_fire(plan, s, s.stage, PEvent.KUBELET_EVICT, None)
    s = s._replace(
        stage=stage,
        reason="Evicted",
        message=message,
        disruption=(KUBELET_DISRUPTION_REASON, message),
        kill_start=s.t,
        kill_grace=0,
    )
    return settle(plan, s, out)
