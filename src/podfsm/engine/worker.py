"""The pod worker: firing the tables, and the kubelet's settle (``SyncPod``: the pod table's SYNC
rows decide, then the model's pass for the stage moves containers, to a fixed point) and publish
(``generateAPIPodStatus`` / ``mergePodStatus``, through the model); the timers (:func:`next_due`)."""

from __future__ import annotations

from typing import Any, Final

from podfsm.errors import IllegalTransition
from podfsm.events import (
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Event,
    ImagePulled,
    ImagePullFailed,
)
from podfsm.kubelet import (
    BUSY,
    KILLING,
    codes_of,
    kill_grace,
)
from podfsm.machines.container import CEvent, may_restart
from podfsm.machines.pod import InitProgress, PEvent, PodCtx, PodEffect, PStage
from podfsm.machines.records import CState as S
from podfsm.machines.records import Ctr, Ctx, KEvent, PodPlan, PodState
from podfsm.machines.table import Row

DOCS: Final = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/"


def describe(plan: PodPlan, s: PodState, idx: int | None = None) -> str:
    """A one-line description of the model's state, for error messages."""
    text = f"pod {plan.name!r} (t={s.t}s, stage {s.stage.name}, phase {s.phase})"
    if idx is not None:
        c = s.ctrs[idx]
        detail = c.state.name
        if c.term is not None and c.state in (S.TERMINATED, S.CRASH_BACKOFF):
            detail += f"(exit {c.term.exit_code})"
        text += f", container {plan.containers[idx].name!r} in {detail}"
    return text


def run_row(row: Row[S, CEvent, Ctx], ctx: Ctx, c: Ctr) -> Ctr:
    """The container's record after ``row`` fired (``c`` itself when the row changes nothing)."""
    if row.action is None:
        return c if row.target is c.state else c._replace(state=row.target)
    new: Ctr = row.action(ctx, row.target)
    if new.state is not row.target:
        raise AssertionError(
            f"action {row.action.__name__} left {new.state.name}, row says {row.target.name}"
        )
    return new


def apply_row(
    plan: PodPlan, s: PodState, idx: int, event: CEvent, ev: Any, out: list[KEvent] | None
) -> Ctr | None:
    """Fire ``event`` on container ``idx``; the new record, or None when no row applies."""
    c = s.ctrs[idx]
    ctx = Ctx(plan, plan.containers[idx], c, s.t, ev, s.images, out)
    row = plan.model.fire_container(c.state, event, ctx)
    return None if row is None else run_row(row, ctx, c)


RUNTIME_EVENT: Final[dict[type[Event], CEvent]] = {
    ImagePulled: CEvent.IMAGE_PULLED,
    ImagePullFailed: CEvent.IMAGE_PULL_FAILED,
    ContainerStarted: CEvent.CONTAINER_STARTED,
    ContainerStartFailed: CEvent.CONTAINER_START_FAILED,
    ContainerExited: CEvent.CONTAINER_EXITED,
}
_QUIET: Final = frozenset(
    {S.PULLING, S.CREATING, S.POST_START, S.RUNNING, S.ABANDONED}
)  # a SYNC is ignored there


def pod_fire(
    plan: PodPlan,
    s: PodState,
    stage: PStage,
    event: PEvent,
    ev: Event | None,
) -> PStage:
    """The pod machine's next stage; :class:`IllegalTransition` for a forbidden environment event."""
    rule = plan.model.pod.forbidden.get((stage, event))
    if rule is not None:
        raise IllegalTransition(describe(plan, s), ev if ev is not None else event.name, rule, DOCS)
    row = plan.model.fire_pod(stage, event, PodCtx(plan, deletion_at=s.deletion_at))
    return stage if row is None else row.target


# ---------------------------------------------------------------------------------------------
# The kubelet's own moves
# ---------------------------------------------------------------------------------------------


class SettlePass:
    """One settling pass: the containers in a list, one reusable context, the pod worker's busy count."""

    __slots__ = ("changed", "ctrs", "ctx", "fire_row", "grace", "kill_start", "nbusy", "plan", "t", "timed")

    def __init__(self, plan: PodPlan, s: PodState, out: list[KEvent] | None) -> None:
        self.plan = plan
        self.t = s.t
        self.kill_start = s.kill_start
        self.grace = kill_grace(plan, s)
        self.ctrs = list(s.ctrs)
        self.changed = False
        self.ctx = Ctx(plan, plan.containers[0], s.ctrs[0], s.t, None, s.images, out)
        self.nbusy = sum(1 for c in s.ctrs if c.state in BUSY)
        self.fire_row = plan.model.fire_container
        self.timed = plan.model.timed

    def fire(self, idx: int, event: CEvent, ev: Any = None) -> None:
        c = self.ctrs[idx]
        ctx = self.ctx
        ctx.cp = self.plan.containers[idx]
        ctx.c = c
        ctx.ev = ev
        row = self.fire_row(c.state, event, ctx)
        if row is None:
            return
        new = run_row(row, ctx, c)
        if new is c:
            return
        was_busy = c.state in BUSY
        if was_busy != (new.state in BUSY):
            self.nbusy += -1 if was_busy else 1
        self.ctrs[idx] = new
        self.changed = True

    def sync(self, idx: int) -> None:
        """Give container ``idx`` a SYNC if the pod worker is free to start something."""
        c = self.ctrs[idx]
        st = c.state
        if st in _QUIET or (self.nbusy and st not in KILLING):
            return
        if st in self.timed and (c.due < 0 or self.t < c.due):
            return  # the table's first row: nothing until the timer is due
        self.fire(idx, CEvent.SYNC)

    def may_restart(self, idx: int) -> bool:
        return may_restart(self.plan, self.plan.containers[idx], self.ctrs[idx])


def generate_status(plan: PodPlan, s: PodState) -> PodState:
    """The status a sync generates when it starts: the reason cache as the last sync left it, and
    the other controllers' conditions as the API object has them now."""
    if s.conditions:
        seen = tuple((ctype, status) for ctype, status, _, _ in s.conditions)
        if seen != s.synced_conditions:
            s = s._replace(synced_conditions=seen)
    for c in s.ctrs:
        if c.shown != c.err or c.shown_msg != c.err_msg:
            break
    else:
        return s
    ctrs = tuple(
        c if c.shown == c.err and c.shown_msg == c.err_msg else c._replace(shown=c.err, shown_msg=c.err_msg)
        for c in s.ctrs
    )
    return s._replace(ctrs=ctrs, codes=codes_of(plan, ctrs, s))


NO_KUBELET: Final = frozenset({PStage.UNSCHEDULED, PStage.UNSCHEDULABLE, PStage.FINISHED, PStage.REMOVED})
_DONE: Final = frozenset({S.TERMINATED, S.ABANDONED})  # a container with no process left
DEADLINE_STAGES: Final = frozenset({PStage.INITIALIZING, PStage.STARTED})
_KILL_STAGES: Final = frozenset({PStage.COMPLETING, PStage.TERMINATING})


def settle(plan: PodPlan, s: PodState, out: list[KEvent] | None) -> PodState:
    """Let the kubelet take every decision it would now, until nothing changes (a fixed point)."""
    if s.away:
        return s  # no kubelet reports: the API keeps the last status it posted
    s = generate_status(plan, s)
    if s.not_ready_marked:
        s = s._replace(not_ready_marked=False)  # the kubelet's next status recomputes Ready
    if s.stage in NO_KUBELET:
        return s
    if s.start_time < 0:
        s = s._replace(start_time=s.t)  # the kubelet's first sync sets status.startTime
    st = SettlePass(plan, s, out)
    model = plan.model
    stage = s.stage
    kill_start = s.kill_start
    reason = s.reason
    touched = False
    for _ in range(4 * len(plan.containers) + 16):
        # The pod table's SYNC rows decide first, from the pod as it is (the deadline; the end of
        # a kill); when none applies, the pod worker's pass for the stage moves containers.
        pctx = PodCtx(
            plan,
            t=s.t,
            start_time=s.start_time,
            all_stopped=all(c.state in _DONE for c in st.ctrs),
            init=model.init_progress(plan, st.ctrs) if stage is PStage.INITIALIZING else InitProgress.WAITING,
            all_exited=stage is PStage.STARTED and model.all_exited(plan, st.ctrs),
        )
        row = model.fire_pod(stage, PEvent.SYNC, pctx)
        if row is not None:
            if row.action is not None:
                effect: PodEffect = row.action(pctx, row.target)
                if effect.event is not None and out is not None:
                    out.append(KEvent(*effect.event, "kubelet", s.t))
                if effect.reason is not None:
                    reason = effect.reason
                if effect.message is not None:
                    s = s._replace(message=effect.message)
                if effect.kill:
                    kill_start = s.t
            stage = row.target
            if stage is PStage.FINISHED:
                break
            continue
        st.changed = False
        st.kill_start = kill_start
        if stage is PStage.INITIALIZING:
            model.initializing(st)
        elif stage is PStage.STARTED:
            model.started(st)
        else:
            model.completing(st)
        touched = touched or st.changed
        if not st.changed:
            break
    else:
        raise AssertionError(
            f"the kubelet did not settle: {describe(plan, s)}"
        )  # a model bug, never user input
    if touched:
        ctrs = tuple(st.ctrs)
        s = s._replace(
            ctrs=ctrs, codes=codes_of(plan, ctrs, s), stage=stage, kill_start=kill_start, reason=reason
        )
    elif stage is not s.stage:
        s = s._replace(stage=stage, kill_start=kill_start, reason=reason)
    if stage is not PStage.FINISHED:
        return model.publish(plan, s, final=False)
    s = model.publish(plan, s, final=True)._replace(terminated=True)
    if s.deletion_at >= 0:  # canBeDeleted: terminal and finished, so the kubelet deletes the object
        s = s._replace(stage=pod_fire(plan, s, PStage.FINISHED, PEvent.REMOVE, None))
    return s


def idle_sync(plan: PodPlan, s: PodState, out: list[KEvent] | None) -> PodState:
    """A sync at a time no timer falls due: only the status is generated anew.

    After a settle the kubelet is at a fixed point; between timers only time moves, and every
    time-dependent guard (back-off, re-sync, grace period, deadline) is guarded by a timer, so a
    full settle would fire no row. A model with ``idle_shortcut=False`` runs the full settle
    instead (a test checks both agree).
    """
    if not plan.model.idle_shortcut or s.stage in NO_KUBELET:
        return settle(plan, s, out)
    s = generate_status(plan, s)
    return plan.model.publish(plan, s, final=False)


def next_due(plan: PodPlan, s: PodState) -> int:
    """The earliest timer strictly after now, or -1: between now and then a tick changes no stage
    and no container (the cluster's clock jumps to it)."""
    best = -1
    if plan.active_deadline >= 0 and s.start_time >= 0 and s.stage in DEADLINE_STAGES:
        best = s.start_time + plan.active_deadline
        if best <= s.t:
            best = -1
    for c in s.ctrs:
        if c.due > s.t and (best < 0 or c.due < best):
            best = c.due
    if s.kill_start >= 0 and s.stage in _KILL_STAGES and plan.sidecar_idx:
        end = s.kill_start + kill_grace(plan, s)  # sidecars' turns run out
        if end > s.t and (best < 0 or end < best):
            best = end
    return best
