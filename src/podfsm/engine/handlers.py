"""The event handlers: :func:`step` applies one event (a runtime answer to the container table, a
probe run to the probe table, API DELETE to the pod table's DELETE rows, time to the timers) and
lets the pod worker settle."""

from __future__ import annotations

from podfsm.engine.moves import PROBE_KINDS, deletion_refusal, deletion_row, refusal
from podfsm.engine.worker import (
    RUNTIME_EVENT,
    apply_row,
    describe,
    idle_sync,
    next_due,
    pod_fire,
    settle,
)
from podfsm.errors import IllegalTransition
from podfsm.events import (
    ContainerEvent,
    Delete,
    Event,
    Evict,
    HookFinished,
    PodCondition,
    ProbeResult,
    Schedule,
    Tick,
    Unschedulable,
)
from podfsm.kubelet import (
    codes_of,
    kill_grace,
    probe_kill_grace,
    probe_kill_message,
)
from podfsm.machines.container import CEvent, KillOrder, fire_probes
from podfsm.machines.pod import PEvent, PStage
from podfsm.machines.probe import PrEvent, ProbeCtx, PrState
from podfsm.machines.records import CState as S
from podfsm.machines.records import Ctr, Ctx, KEvent, PodPlan, PodState


def step(plan: PodPlan, s: PodState, ev: Event, *, out: list[KEvent] | None = None) -> PodState:
    """The state after ``ev``; :class:`IllegalTransition` (and ``s`` untouched) if the model forbids it.

    ``out`` collects the Kubernetes Events emitted; the plan's model decides everything else.
    """
    problem = refusal(plan, s, ev)
    if problem is not None:
        raise problem
    if type(ev) is HookFinished:
        return _hook_finished(plan, s, ev, out)
    if type(ev) is ProbeResult:
        return _probe_result(plan, s, ev, out)
    if type(ev) is Delete:
        return delete(plan, s, ev, ev.grace_period_seconds, None, out)
    if type(ev) is Evict:
        return delete(plan, s, ev, None, ("EvictionByEvictionAPI", "Eviction API: evicting"), out)
    cev = RUNTIME_EVENT.get(type(ev))
    if cev is not None:
        assert isinstance(ev, ContainerEvent)
        idx = plan.by_name[ev.container]
        new = apply_row(plan, s, idx, cev, ev, out)
        if new is None:
            raise IllegalTransition(describe(plan, s, idx), ev, "no row of the container table applies")
        if s.deletion_at >= 0 and new.probes and new.state is S.RUNNING:
            # doProbe: on a deleted pod liveness and startup stop, also for a start that completes now
            pctx = Ctx(plan, plan.containers[idx], new, s.t, None, s.images, None)
            new = new._replace(probes=fire_probes(pctx, PrEvent.POD_DELETED))
        ctrs = s.ctrs[:idx] + (new,) + s.ctrs[idx + 1 :]
        images = s.images | {plan.containers[idx].image} if cev is CEvent.IMAGE_PULLED else s.images
        return settle(plan, s._replace(ctrs=ctrs, images=images, codes=codes_of(plan, ctrs, s)), out)
    if type(ev) is Tick:
        target = s.t + ev.seconds
        if s.away:
            return s._replace(t=target)  # the kubelet's timers run on the node; nothing reaches the API
        while True:
            due = next_due(plan, s)
            if due < 0 or due > target:
                if target == s.t:
                    return s
                # No timer falls due before ``target``: the kubelet re-syncs (the status shows the
                # reason cache) but every decision it could take waits on a timer, so none changes.
                return idle_sync(plan, s._replace(t=target), out)
            s = settle(plan, s._replace(t=due), out)
    if type(ev) is Schedule:
        new_s = s._replace(stage=pod_fire(plan, s, s.stage, PEvent.SCHEDULE, ev))
        if out is not None:
            out.append(
                KEvent(
                    "Normal",
                    "Scheduled",
                    f"Successfully assigned {plan.namespace}/{plan.name} to {ev.node}",
                    "default-scheduler",
                    s.t,
                )
            )
        return settle(plan, new_s._replace(node=ev.node, images=s.images | set(ev.images)), out)
    if type(ev) is PodCondition:
        return _pod_condition(plan, s, ev, out)
    if type(ev) is Unschedulable:
        new_s = s._replace(stage=pod_fire(plan, s, s.stage, PEvent.UNSCHEDULABLE, ev))
        if out is not None:
            out.append(KEvent("Warning", "FailedScheduling", ev.message, "default-scheduler", s.t))
        return new_s._replace(sched_msg=ev.message)
    raise IllegalTransition(describe(plan, s), ev, "podfsm does not model this event yet")


def _pod_condition(plan: PodPlan, s: PodState, ev: PodCondition, out: list[KEvent] | None) -> PodState:
    """A controller's status patch: the condition is set (replaced, kept in place, if the type is
    there already); a scheduled pod's kubelet syncs to reconcile Ready (HandlePodReconcile)."""
    entry = (ev.type, ev.status, ev.reason, ev.message)
    types = [c[0] for c in s.conditions]
    if ev.type in types:
        at = types.index(ev.type)
        conditions = s.conditions[:at] + (entry,) + s.conditions[at + 1 :]
    else:
        conditions = (*s.conditions, entry)
    return settle(plan, s._replace(conditions=conditions), out)


def with_container(plan: PodPlan, s: PodState, idx: int, new: Ctr) -> PodState:
    ctrs = s.ctrs[:idx] + (new,) + s.ctrs[idx + 1 :]
    return s._replace(ctrs=ctrs, codes=codes_of(plan, ctrs, s))


def _hook_finished(plan: PodPlan, s: PodState, ev: HookFinished, out: list[KEvent] | None) -> PodState:
    idx = plan.by_name[ev.container]
    cev = CEvent.HOOK_SUCCEEDED if ev.result == "success" else CEvent.HOOK_FAILED
    new = apply_row(plan, s, idx, cev, ev, out)
    if new is None:
        raise IllegalTransition(describe(plan, s, idx), ev, "no row of the container table applies")
    return settle(plan, with_container(plan, s, idx, new), out)


def _probe_result(plan: PodPlan, s: PodState, ev: ProbeResult, out: list[KEvent] | None) -> PodState:
    """One probe run: count it; a liveness / startup Failure makes the kubelet kill the container."""
    idx = plan.by_name[ev.container]
    cp, c = plan.containers[idx], s.ctrs[idx]
    pi = cp.probe_index(PROBE_KINDS[ev.probe])
    p = c.probes[pi]
    spec = cp.probes[pi]
    pctx = ProbeCtx(spec, p, s.t)
    pev = PrEvent.RUN_SUCCESS if ev.result == "success" else PrEvent.RUN_FAILURE
    row = plan.model.fire_probe(p.state, pev, pctx)
    assert row is not None and row.action is not None  # PROBING decides both runs
    new_p = row.action(pctx, row.target)
    if out is not None and ev.result == "failure":
        label = ev.probe.capitalize()
        out.append(
            KEvent("Warning", "Unhealthy", f"{label} probe failed: {ev.message}".rstrip(), "kubelet", s.t)
        )
    c = c._replace(probes=c.probes[:pi] + (new_p,) + c.probes[pi + 1 :])
    s = with_container(plan, s, idx, c)
    if new_p.state is PrState.HOLD:  # the row failure_kills: the kubelet kills the container
        message = probe_kill_message(plan, cp, ev.probe)
        grace = probe_kill_grace(plan, s, spec.grace)
        new = apply_row(plan, s, idx, CEvent.KILL, KillOrder(s.t + grace, message), out)
        if new is not None:
            s = with_container(plan, s, idx, new)
    return settle(plan, s, out)


def delete(
    plan: PodPlan,
    s: PodState,
    ev: Event,
    grace_option: int | None,
    disruption: tuple[str, str] | None,
    out: list[KEvent] | None,
) -> PodState:
    """API DELETE: ``podStrategy.CheckGracefulDelete``, then the kubelet's termination (killPodWithSyncResult)."""
    problem = deletion_refusal(plan, s, ev, grace_option)  # the controllers' deletes skip refusal()
    if problem is not None:
        raise problem
    row, (deletion_at, grace) = deletion_row(plan, s, grace_option)
    stage = row.target
    s = s._replace(
        stage=stage, deletion_at=deletion_at, deletion_grace=grace, disruption=disruption or s.disruption
    )
    if stage is PStage.REMOVED:
        return s
    # The pod worker's grace (floor 1 s, only decreasing); running kills are shortened to it.
    effective = max(grace, 1)
    end = s.t + effective
    old_end = s.kill_start + kill_grace(plan, s) if s.kill_start >= 0 else end
    if s.kill_start < 0 or end < old_end:
        s = s._replace(kill_start=s.t, kill_grace=effective)
    floor = plan.config.minimum_grace_period
    ctrs = []
    for cp, c in zip(plan.containers, s.ctrs, strict=True):
        if c.probes:  # doProbe: liveness and startup stop on deletion, readiness keeps probing
            ctx = Ctx(plan, cp, c, s.t, None, s.images, None)
            c = c._replace(probes=fire_probes(ctx, PrEvent.POD_DELETED))
        if c.state is S.PRE_STOP and c.due > end:
            c = c._replace(due=end)
        elif c.state is S.STOPPING and c.due > max(end, s.t + floor):
            c = c._replace(due=max(end, s.t + floor))
        ctrs.append(c)
    s = s._replace(ctrs=tuple(ctrs), codes=codes_of(plan, tuple(ctrs), s))
    return settle(plan, s, out)
