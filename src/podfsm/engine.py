"""The engine: composes the pod and container machines with a logical clock.

The core is stateright-shaped and pure::

    plan = compile_plan(pod_model, Config())
    s0 = initial(plan)
    s1 = step(plan, s0, Schedule(node="node-1"))     # raises IllegalTransition, s0 untouched
    enabled_events(plan, s1)                         # the environment's legal moves

After every event the kubelet *settles*: it takes its own decisions (start the next init
container, restart after the back-off, give up under ``Never``, kill what still runs when the
pod is done) until nothing changes, exactly in the order its pod worker would: one container
start in flight at a time (``SyncPod`` starts containers one after another, image pulls are
serialized), init containers first and in order, then sidecars, then regular containers.

``tick(seconds)`` advances the clock, firing every timer that falls due in time order: crash-loop
and image back-offs, the pod worker's re-sync after a failed sync (10 s), SIGKILL at the end of
a grace period, ``activeDeadlineSeconds``.

The phase is the kubelet's ``getPhase`` from :mod:`podfsm.oracle` (its very projection and
decision code, memoized on the few facts it reads), sticky once terminal (``generateAPIPodStatus``)
and held back while containers may still run (``mergePodStatus``).

The plan carries the model (:class:`podfsm.model.Model`): its tables, its kubelet decisions and
how rows fire (compiled dicts, or the ``transitions`` machines generated from the same rows; a
test checks that both agree). The engine holds no behaviour of its own that a model could change.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

from podfsm.api import Pod, apply_defaults
from podfsm.config import CLOCK_END_RULE, Config
from podfsm.container import CEvent, KillOrder, fire_probes, may_restart
from podfsm.enums import PodPhase, PullPolicy, RestartPolicy
from podfsm.errors import IllegalTransition
from podfsm.events import (
    MAX_TICK_SECONDS,
    ContainerEvent,
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    HookFinished,
    HookName,
    ImagePulled,
    ImagePullFailed,
    PodCondition,
    ProbeName,
    ProbeResult,
    Schedule,
    Tick,
    Unschedulable,
)
from podfsm.kubelet import (
    BUSY,
    KILLING,
    KUBELET_DISRUPTION_REASON,
    RUNNING_VIEW,
    codes_of,
    kill_grace,
    probe_flags,
    probe_kill_grace,
)
from podfsm.model import DEFAULT, Model
from podfsm.pod import InitProgress, PEvent, PodCtx, PodEffect, PStage
from podfsm.probe import Prb, PrEvent, ProbeCtx, ProbeKind, ProbeSpec, PrState
from podfsm.qos import qos_class
from podfsm.records import ContainerKind, ContainerPlan, Ctr, Ctx, KEvent, PodPlan, PodState
from podfsm.records import CState as S
from podfsm.table import Row

__all__ = [
    "PodState",
    "compile_plan",
    "enabled_events",
    "gc_delete",
    "initial",
    "kubelet_evict",
    "mark_not_ready",
    "next_due",
    "pod_name",
    "set_away",
    "step",
    "taint_delete",
    "unmark_not_ready",
]

DOCS: Final = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/"


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


def _uid(namespace: str, name: str) -> str:
    h = hashlib.sha256(f"{namespace}/{name}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def pod_name(pod: Pod) -> str:
    """The name the model gives ``pod``: ``metadata.name``, or ``pod`` when it has none."""
    return pod.metadata.name or "pod"


def compile_plan(pod: Pod, config: Config | None = None, model: Model = DEFAULT) -> PodPlan:
    """Compile a Pod (API defaults applied here, as the API server does on create) for the machines,
    to run under ``model`` (:data:`podfsm.model.DEFAULT`: Kubernetes itself)."""
    config = config or Config()
    pod = apply_defaults(pod)
    spec = pod.spec
    inits = spec.init_containers or []
    has_init = bool(inits)
    default_reason = "PodInitializing" if has_init else "ContainerCreating"
    containers: list[ContainerPlan] = []
    for c in [*inits, *spec.containers]:
        is_init = len(containers) < len(inits)
        kind = ContainerKind.REGULAR
        if is_init:
            kind = ContainerKind.SIDECAR if c.restart_policy == "Always" else ContainerKind.INIT
        probes = tuple(
            ProbeSpec(
                pk,
                probe.initial_delay_seconds or 0,
                probe.period_seconds or 10,
                probe.success_threshold or 1,
                probe.failure_threshold or 3,
                -1
                if probe.termination_grace_period_seconds is None
                else probe.termination_grace_period_seconds,
            )
            for pk, probe in (
                (ProbeKind.STARTUP, c.startup_probe),
                (ProbeKind.LIVENESS, c.liveness_probe),
                (ProbeKind.READINESS, c.readiness_probe),
            )
            if probe is not None
        )
        lifecycle = c.lifecycle
        containers.append(
            ContainerPlan(
                len(containers),
                c.name,
                c.image or "",
                PullPolicy(c.image_pull_policy or "Always"),
                kind,
                default_reason,
                probes,
                lifecycle is not None and lifecycle.post_start is not None,
                lifecycle is not None and lifecycle.pre_stop is not None,
            )
        )
    raw = pod.to_api()
    raw.pop("status", None)
    meta = raw.setdefault("metadata", {})
    name = pod_name(pod)
    namespace = pod.metadata.namespace or "default"
    uid = pod.metadata.uid or _uid(namespace, name)
    meta.update({"name": name, "namespace": namespace, "uid": uid})
    meta.setdefault("creationTimestamp", config.epoch)
    return PodPlan(
        name=name,
        namespace=namespace,
        uid=uid,
        restart_policy=RestartPolicy(spec.restart_policy or "Always"),
        grace=spec.termination_grace_period_seconds or 0,
        active_deadline=spec.active_deadline_seconds or -1,
        containers=tuple(containers),
        by_name={c.name: c.idx for c in containers},
        init_idx=tuple(c.idx for c in containers if c.kind is not ContainerKind.REGULAR),
        regular_idx=tuple(c.idx for c in containers if c.kind is ContainerKind.REGULAR),
        sidecar_idx=tuple(c.idx for c in containers if c.kind is ContainerKind.SIDECAR),
        config=config,
        kinds=tuple(c.kind for c in containers),
        qos_class=qos_class(raw["spec"]),
        memo={},
        raw=raw,
        model=model,
        gates=tuple(g.condition_type or "" for g in spec.readiness_gates or ()),
    )


def initial(plan: PodPlan) -> PodState:
    """The pod as the API server stores it on create: Pending, unscheduled, nothing started."""
    return PodState(
        t=0,
        stage=PStage.UNSCHEDULED,
        node="",
        sched_msg="",
        ctrs=tuple(Ctr(probes=tuple(Prb() for _ in cp.probes)) for cp in plan.containers),
        images=frozenset(),
        phase=PodPhase.PENDING,
        reason="",
        start_time=-1,
        kill_start=-1,
        codes=codes_of(plan, tuple(Ctr(probes=tuple(Prb() for _ in cp.probes)) for cp in plan.containers)),
    )


# ---------------------------------------------------------------------------------------------
# What the API shows of a container (convertToAPIContainerStatuses + the reason-cache overlay)
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Firing the tables
# ---------------------------------------------------------------------------------------------


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


def _run_row(row: Row[S, CEvent, Ctx], ctx: Ctx, c: Ctr) -> Ctr:
    """The container's record after ``row`` fired (``c`` itself when the row changes nothing)."""
    if row.action is None:
        return c if row.target is c.state else c._replace(state=row.target)
    new: Ctr = row.action(ctx, row.target)
    if new.state is not row.target:
        raise AssertionError(
            f"action {row.action.__name__} left {new.state.name}, row says {row.target.name}"
        )
    return new


def _apply(
    plan: PodPlan, s: PodState, idx: int, event: CEvent, ev: Any, out: list[KEvent] | None
) -> Ctr | None:
    """Fire ``event`` on container ``idx``; the new record, or None when no row applies."""
    c = s.ctrs[idx]
    ctx = Ctx(plan, plan.containers[idx], c, s.t, ev, s.images, out)
    row = plan.model.fire_container(c.state, event, ctx)
    return None if row is None else _run_row(row, ctx, c)


_RUNTIME_EVENT: Final[dict[type[Event], CEvent]] = {
    ImagePulled: CEvent.IMAGE_PULLED,
    ImagePullFailed: CEvent.IMAGE_PULL_FAILED,
    ContainerStarted: CEvent.CONTAINER_STARTED,
    ContainerStartFailed: CEvent.CONTAINER_START_FAILED,
    ContainerExited: CEvent.CONTAINER_EXITED,
}
_QUIET: Final = frozenset(
    {S.PULLING, S.CREATING, S.POST_START, S.RUNNING, S.ABANDONED}
)  # a SYNC is ignored there


def _pod_fire(
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


class _Settle:
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
        new = _run_row(row, ctx, c)
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


def _generate_status(plan: PodPlan, s: PodState) -> PodState:
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


_NO_KUBELET: Final = frozenset({PStage.UNSCHEDULED, PStage.UNSCHEDULABLE, PStage.FINISHED, PStage.REMOVED})
_DONE: Final = frozenset({S.TERMINATED, S.ABANDONED})  # a container with no process left
_DEADLINE_STAGES: Final = frozenset({PStage.INITIALIZING, PStage.STARTED})
_KILL_STAGES: Final = frozenset({PStage.COMPLETING, PStage.TERMINATING})


def _settle(plan: PodPlan, s: PodState, out: list[KEvent] | None) -> PodState:
    """Let the kubelet take every decision it would now, until nothing changes (a fixed point)."""
    if s.away:
        return s  # no kubelet reports: the API keeps the last status it posted
    s = _generate_status(plan, s)
    if s.not_ready_marked:
        s = s._replace(not_ready_marked=False)  # the kubelet's next status recomputes Ready
    if s.stage in _NO_KUBELET:
        return s
    if s.start_time < 0:
        s = s._replace(start_time=s.t)  # the kubelet's first sync sets status.startTime
    st = _Settle(plan, s, out)
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
        s = s._replace(stage=_pod_fire(plan, s, PStage.FINISHED, PEvent.REMOVE, None))
    return s


def _idle_sync(plan: PodPlan, s: PodState, out: list[KEvent] | None) -> PodState:
    """A sync at a time no timer falls due: only the status is generated anew.

    After a settle the kubelet is at a fixed point; between timers only time moves, and every
    time-dependent guard (back-off, re-sync, grace period, deadline) is guarded by a timer, so a
    full settle would fire no row. A model with ``idle_shortcut=False`` runs the full settle
    instead (a test checks both agree).
    """
    if not plan.model.idle_shortcut or s.stage in _NO_KUBELET:
        return _settle(plan, s, out)
    s = _generate_status(plan, s)
    return plan.model.publish(plan, s, final=False)


# ---------------------------------------------------------------------------------------------
# step
# ---------------------------------------------------------------------------------------------


def next_due(plan: PodPlan, s: PodState) -> int:
    """The earliest timer strictly after now, or -1: between now and then a tick changes no stage
    and no container (the cluster's clock jumps to it)."""
    best = -1
    if plan.active_deadline >= 0 and s.start_time >= 0 and s.stage in _DEADLINE_STAGES:
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
        return _delete(plan, s, ev, ev.grace_period_seconds, None, out)
    if type(ev) is Evict:
        return _delete(plan, s, ev, None, ("EvictionByEvictionAPI", "Eviction API: evicting"), out)
    cev = _RUNTIME_EVENT.get(type(ev))
    if cev is not None:
        assert isinstance(ev, ContainerEvent)
        idx = plan.by_name[ev.container]
        new = _apply(plan, s, idx, cev, ev, out)
        if new is None:
            raise IllegalTransition(describe(plan, s, idx), ev, "no row of the container table applies")
        if s.deletion_at >= 0 and new.probes and new.state is S.RUNNING:
            # doProbe: on a deleted pod liveness and startup stop, also for a start that completes now
            pctx = Ctx(plan, plan.containers[idx], new, s.t, None, s.images, None)
            new = new._replace(probes=fire_probes(pctx, PrEvent.POD_DELETED))
        ctrs = s.ctrs[:idx] + (new,) + s.ctrs[idx + 1 :]
        images = s.images | {plan.containers[idx].image} if cev is CEvent.IMAGE_PULLED else s.images
        return _settle(plan, s._replace(ctrs=ctrs, images=images, codes=codes_of(plan, ctrs, s)), out)
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
                return _idle_sync(plan, s._replace(t=target), out)
            s = _settle(plan, s._replace(t=due), out)
    if type(ev) is Schedule:
        new_s = s._replace(stage=_pod_fire(plan, s, s.stage, PEvent.SCHEDULE, ev))
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
        return _settle(plan, new_s._replace(node=ev.node, images=s.images | set(ev.images)), out)
    if type(ev) is PodCondition:
        return _pod_condition(plan, s, ev, out)
    if type(ev) is Unschedulable:
        new_s = s._replace(stage=_pod_fire(plan, s, s.stage, PEvent.UNSCHEDULABLE, ev))
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
    return _settle(plan, s._replace(conditions=conditions), out)


def _with_container(plan: PodPlan, s: PodState, idx: int, new: Ctr) -> PodState:
    ctrs = s.ctrs[:idx] + (new,) + s.ctrs[idx + 1 :]
    return s._replace(ctrs=ctrs, codes=codes_of(plan, ctrs, s))


def _hook_finished(plan: PodPlan, s: PodState, ev: HookFinished, out: list[KEvent] | None) -> PodState:
    idx = plan.by_name[ev.container]
    cev = CEvent.HOOK_SUCCEEDED if ev.result == "success" else CEvent.HOOK_FAILED
    new = _apply(plan, s, idx, cev, ev, out)
    if new is None:
        raise IllegalTransition(describe(plan, s, idx), ev, "no row of the container table applies")
    return _settle(plan, _with_container(plan, s, idx, new), out)


_PROBE_KINDS: Final[dict[ProbeName, ProbeKind]] = {
    "startup": ProbeKind.STARTUP,
    "liveness": ProbeKind.LIVENESS,
    "readiness": ProbeKind.READINESS,
}
_PROBE_DOCS: Final = "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/"


def _probe_result(plan: PodPlan, s: PodState, ev: ProbeResult, out: list[KEvent] | None) -> PodState:
    """One probe run: count it; a liveness / startup Failure makes the kubelet kill the container."""
    idx = plan.by_name[ev.container]
    cp, c = plan.containers[idx], s.ctrs[idx]
    pi = cp.probe_index(_PROBE_KINDS[ev.probe])
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
    s = _with_container(plan, s, idx, c)
    if new_p.state is PrState.HOLD:  # computePodActions: kill, restarted unless restartPolicy is Never
        if (
            cp.kind is ContainerKind.SIDECAR
        ):  # computeInitContainerActions: restarted, said without the suffix
            message = f"Init container {cp.name} failed {ev.probe} probe"
        else:  # computePodActions: ", will be restarted" when the pod's policy restarts a failure
            restart = plan.model.restart_rule(plan.restart_policy, cp.kind, 137)  # killed: a failure
            message = f"Container {cp.name} failed {ev.probe} probe" + (
                ", will be restarted" if restart else ""
            )
        grace = probe_kill_grace(plan, s, spec.grace)
        new = _apply(plan, s, idx, CEvent.KILL, KillOrder(s.t + grace, message), out)
        if new is not None:
            s = _with_container(plan, s, idx, new)
    return _settle(plan, s, out)


def _deletion_row(
    plan: PodPlan, s: PodState, grace_option: int | None
) -> tuple[Row[PStage, PEvent, PodCtx], tuple[int, int]]:
    """The pod table's DELETE row for ``s`` and what its action sets: ``(deletionTimestamp, grace)``
    (:func:`podfsm.pod.graceful_delete`)."""
    pctx = PodCtx(plan, grace_option, s.deletion_at, s.phase.is_terminal, t=s.t)
    row = plan.model.fire_pod(s.stage, PEvent.DELETE, pctx)
    assert row is not None and row.action is not None, "every stage a DELETE may reach has a DELETE row"
    effect: PodEffect = row.action(pctx, row.target)
    assert effect.deletion is not None
    return row, effect.deletion


def _delete(
    plan: PodPlan,
    s: PodState,
    ev: Event,
    grace_option: int | None,
    disruption: tuple[str, str] | None,
    out: list[KEvent] | None,
) -> PodState:
    """API DELETE: ``podStrategy.CheckGracefulDelete``, then the kubelet's termination (killPodWithSyncResult)."""
    problem = _deletion_refusal(plan, s, ev, grace_option)  # the controllers' deletes skip refusal()
    if problem is not None:
        raise problem
    row, (deletion_at, grace) = _deletion_row(plan, s, grace_option)
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
    return _settle(plan, s, out)


# ---------------------------------------------------------------------------------------------
# What controllers do to a pod (driven by the node machine in podfsm.cluster)
# ---------------------------------------------------------------------------------------------

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
    return s if away else _settle(plan, s, out)


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
    return _delete(plan, s, Delete(), None, TAINT_MANAGER_DISRUPTION, out)


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
    return _delete(plan, s, Delete(0), 0, None, out)


def kubelet_evict(plan: PodPlan, s: PodState, resource: str, out: list[KEvent] | None = None) -> PodState:
    """``evictPod`` (node-pressure eviction): kill with grace 0, then phase Failed, reason Evicted."""
    if s.stage not in _DEADLINE_STAGES:
        return s  # only a pod the kubelet runs and has not begun to stop is evicted
    message = f"The node was low on resource: {resource}. "
    if out is not None:
        out.append(KEvent("Warning", "Evicted", message, "kubelet", s.t))
    stage = _pod_fire(plan, s, s.stage, PEvent.KUBELET_EVICT, None)
    s = s._replace(
        stage=stage,
        reason="Evicted",
        message=message,
        disruption=(KUBELET_DISRUPTION_REASON, message),
        kill_start=s.t,
        kill_grace=0,
    )
    return _settle(plan, s, out)


# ---------------------------------------------------------------------------------------------
# What the environment may do: the tables' forbidden maps and the timing rules they name
# ---------------------------------------------------------------------------------------------

_AWAY_RULE: Final = (
    "the node's kubelet does not report (heartbeats stopped): the API keeps the last status it posted"
)
_HOOK_STATE: Final[dict[HookName, S]] = {"postStart": S.POST_START, "preStop": S.PRE_STOP}  # where each runs
_HOOK_OF: Final[dict[S, HookName]] = {v: k for k, v in _HOOK_STATE.items()}
_HOOK_DOCS: Final = "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/"
# The pod table's environment events (the others are the kubelet's own): which API event drives each.
_POD_EVENT: Final[dict[type[Event], PEvent]] = {
    Schedule: PEvent.SCHEDULE,
    Unschedulable: PEvent.UNSCHEDULABLE,
    Delete: PEvent.DELETE,
    Evict: PEvent.DELETE,
}


def refusal(plan: PodPlan, s: PodState, ev: Event) -> IllegalTransition | None:
    """Why :func:`step` refuses ``ev`` in ``s``, or ``None`` when it is legal.

    Read off the model's tables (the container, probe and pod tables' forbidden pairs, and a
    runtime answer with no row) and the rules they name: a container the pod does not declare, a
    node whose kubelet does not report, a hook that is not running, a probe that is not due, the
    clock's end. :func:`enabled_events` offers only events this accepts, and a brute-force test
    checks that it offers one of every kind this accepts.
    """
    model = plan.model
    if isinstance(ev, ContainerEvent):
        if s.away:
            return IllegalTransition(
                describe(plan, s),
                ev,
                _AWAY_RULE,
                "https://kubernetes.io/docs/concepts/architecture/nodes/#heartbeats",
            )
        idx = plan.by_name.get(ev.container)
        if idx is None:
            known = ", ".join(c.name for c in plan.containers)
            return IllegalTransition(
                describe(plan, s),
                ev,
                f"the pod spec has no container named {ev.container!r} (containers: {known})",
            )
        c = s.ctrs[idx]
        if type(ev) is ProbeResult:
            return _probe_refusal(plan, s, idx, ev)
        if type(ev) is HookFinished:
            if c.state is not _HOOK_STATE[ev.hook]:
                return IllegalTransition(
                    describe(plan, s, idx),
                    ev,
                    f"no {ev.hook} hook is running for this container (postStart runs right after the start, "
                    "preStop when the kubelet kills it: lifecycle hooks)",
                    _HOOK_DOCS,
                )
            cev = CEvent.HOOK_SUCCEEDED if ev.result == "success" else CEvent.HOOK_FAILED
        else:
            cev = _RUNTIME_EVENT[type(ev)]
        rule = model.container.forbidden.get((c.state, cev))
        if rule is not None:
            return IllegalTransition(describe(plan, s, idx), ev, rule, DOCS + "#container-states")
        if not model.container.rows_for(c.state, cev):
            return IllegalTransition(describe(plan, s, idx), ev, "no row of the container table applies")
        return None
    if type(ev) is Tick:
        if s.t + ev.seconds > plan.config.last_second:
            return IllegalTransition(describe(plan, s), ev, CLOCK_END_RULE)
        return None
    if type(ev) is PodCondition:
        if s.stage is PStage.REMOVED:
            return IllegalTransition(
                describe(plan, s),
                ev,
                "the pod object is deleted: there is nothing to patch",
                DOCS + "#pod-readiness-gate",
            )
        return None
    pev = _POD_EVENT.get(type(ev))
    if pev is None:
        return IllegalTransition(describe(plan, s), ev, "podfsm does not model this event yet")
    rule = model.pod.forbidden.get((s.stage, pev))
    if rule is not None:
        return IllegalTransition(describe(plan, s), ev, rule, DOCS)
    if pev is PEvent.DELETE:
        return _deletion_refusal(plan, s, ev, ev.grace_period_seconds if type(ev) is Delete else None)
    return None


def _deletion_refusal(
    plan: PodPlan, s: PodState, ev: Event, grace_option: int | None
) -> IllegalTransition | None:
    """A DELETE whose ``deletionTimestamp`` (rest.BeforeDelete: now + grace) would pass the clock's end."""
    rule = plan.model.pod.forbidden.get((s.stage, PEvent.DELETE))
    if rule is not None:
        return IllegalTransition(describe(plan, s), ev, rule, DOCS)
    deletion_at, grace = _deletion_row(plan, s, grace_option)[1]
    if deletion_at > plan.config.last_second:
        return IllegalTransition(
            describe(plan, s), ev, f"metadata.deletionTimestamp (now + {grace} s of grace): {CLOCK_END_RULE}"
        )
    return None


def _probe_refusal(plan: PodPlan, s: PodState, idx: int, ev: ProbeResult) -> IllegalTransition | None:
    """Why a run of ``ev.probe`` on container ``idx`` is refused now (prober worker ``doProbe``), or None."""
    pi = plan.containers[idx].probe_index(_PROBE_KINDS[ev.probe])
    if pi < 0:
        return IllegalTransition(
            describe(plan, s, idx), ev, f"the container declares no {ev.probe}Probe", _PROBE_DOCS
        )
    why = _probe_not_running(plan, s, idx, pi)
    if why:
        return IllegalTransition(describe(plan, s, idx), ev, why.replace("{probe}", ev.probe), _PROBE_DOCS)
    return None


def _probe_not_running(plan: PodPlan, s: PodState, idx: int, pi: int) -> str:
    """Why the worker of probe ``pi`` of container ``idx`` does not run now ("": it runs): the
    container must run, the probe table must let the worker run in its state, the startup probe
    goes first, and the period must have passed."""
    cp, c = plan.containers[idx], s.ctrs[idx]
    if c.state not in RUNNING_VIEW:
        return "probes run only while the container runs (prober worker doProbe)"
    p = c.probes[pi]
    if (p.state, PrEvent.RUN_SUCCESS) in plan.model.probe.forbidden:
        why = {
            PrState.HOLD: "the worker holds after publishing Failure until the container is replaced",
            PrState.DONE: "the probe has stopped (startup succeeded, or the pod is being deleted)",
        }.get(p.state, "the probe worker is not running")
        return f"the {{probe}} probe does not run: {why} (doProbe)"
    if cp.probes[pi].kind is not ProbeKind.STARTUP and not probe_flags(cp, c)[0]:
        return "only the startup probe runs until it succeeds (doProbe startup gating)"
    if s.t < p.next_at:
        return f"the {{probe}} probe runs next at t={p.next_at}s (initialDelaySeconds / periodSeconds)"
    return ""


# Each event kind the container table receives from the runtime, in the order they are offered,
# with the payloads that stand for all of its instances: one per row guard the payload decides
# (a create failure or a failed start), and exit code 0 and 1 (the restart rule reads which).
_ANSWERS: Final[tuple[tuple[CEvent, Any], ...]] = (
    (CEvent.IMAGE_PULLED, lambda name, state: [ImagePulled(name)]),
    (CEvent.IMAGE_PULL_FAILED, lambda name, state: [ImagePullFailed(name)]),
    (CEvent.CONTAINER_STARTED, lambda name, state: [ContainerStarted(name)]),
    (
        CEvent.CONTAINER_START_FAILED,
        lambda name, state: [
            ContainerStartFailed(name, "CreateContainerConfigError"),
            ContainerStartFailed(name, "RunContainerError"),
        ],
    ),
    (CEvent.CONTAINER_EXITED, lambda name, state: [ContainerExited(name, 0), ContainerExited(name, 1)]),
    (CEvent.HOOK_SUCCEEDED, lambda name, state: [HookFinished(name, _HOOK_OF[state], "success")]),
    (CEvent.HOOK_FAILED, lambda name, state: [HookFinished(name, _HOOK_OF[state], "failure")]),
)


def _answers(plan: PodPlan, state: S) -> list[tuple[CEvent, Any]]:
    """The runtime answers the model's container table takes in ``state``: every one it neither
    forbids nor lacks a row for, but one whose rows are those of an answer already listed (same
    guards, targets and actions: the same move, as a preStop hook's success and failure are)."""
    table = plan.model.container
    seen: set[tuple[Any, ...]] = set()
    out = []
    for cev, make in _ANSWERS:
        rows = table.rows_for(state, cev)
        if not rows or (state, cev) in table.forbidden:
            continue
        if cev in (CEvent.HOOK_SUCCEEDED, CEvent.HOOK_FAILED) and state not in _HOOK_OF:
            continue
        shape = tuple((r.guard, r.target, r.action) for r in rows)
        if shape in seen:
            continue
        seen.add(shape)
        out.append((cev, make))
    return out


def enabled_events(plan: PodPlan, s: PodState) -> list[Event]:
    """The environment's legal moves in ``s``, one representative per kind, for random walks and the
    explorer; derived from the model's tables, not listed by hand.

    The pod table's environment events its forbidden map allows in the stage (schedule, a failed
    scheduling, a delete: a force delete once the pod is deleted), every runtime answer the
    container table takes in each container's state (:func:`_answers`), every probe run the probe
    table and doProbe's timing allow, a flip of each readiness gate's condition, and a tick to the
    next timer. Every one passes :func:`refusal`.
    """
    events: list[Event] = []
    forbidden = plan.model.pod.forbidden
    for pev, ev in ((PEvent.SCHEDULE, Schedule(node="node-1")), (PEvent.UNSCHEDULABLE, Unschedulable())):
        if (s.stage, pev) not in forbidden:
            events.append(ev)
    if not s.away:
        for idx, (cp, c) in enumerate(zip(plan.containers, s.ctrs, strict=True)):
            for _, make in _answers(plan, c.state):
                events += make(cp.name, c.state)
            for pi, spec in enumerate(cp.probes):
                if not _probe_not_running(plan, s, idx, pi):
                    name = _PROBE_NAMES[spec.kind]
                    events += [ProbeResult(cp.name, name, "success"), ProbeResult(cp.name, name, "failure")]
    if (s.stage, PEvent.DELETE) not in forbidden:
        # kubectl delete; once deleted, kubectl delete --force --grace-period=0 (a graceful second
        # delete only shortens the grace)
        delete = Delete(grace_period_seconds=0) if s.deletion_at >= 0 else Delete()
        if refusal(plan, s, delete) is None:
            events.append(delete)
    if plan.gates and s.stage is not PStage.REMOVED:  # the gates' controller flips a gate's condition
        now = {ctype: status for ctype, status, _, _ in s.conditions}
        events += [PodCondition(g, "False" if now.get(g) == "True" else "True") for g in plan.gates]
    due = next_due(plan, s)
    probe_due = min(
        (
            p.next_at
            for c in s.ctrs
            if c.state in RUNNING_VIEW
            for p in c.probes
            if p.state is PrState.PROBING and p.next_at > s.t
        ),
        default=-1,
    )
    if probe_due > 0 and (due < 0 or probe_due < due):
        due = probe_due
    room = min(MAX_TICK_SECONDS, plan.config.last_second - s.t)  # one tick's bound; the clock's end
    if due > s.t and room > 0:
        events.append(Tick(min(due - s.t, room)))
    return events


_PROBE_NAMES: Final[dict[ProbeKind, ProbeName]] = {v: k for k, v in _PROBE_KINDS.items()}
