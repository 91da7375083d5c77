"""What the environment may do: why ``step`` would refuse an event (:func:`refusal`: the tables'
forbidden maps and the timing rules they name) and the legal moves derived from the same tables
(:func:`enabled_events`); a DELETE's row and what it sets (:func:`deletion_row`)."""

from __future__ import annotations

from typing import Any, Final

from podfsm.config import CLOCK_END_RULE
from podfsm.engine.worker import (
    DOCS,
    RUNTIME_EVENT,
    describe,
    next_due,
)
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
    RUNNING_VIEW,
    probe_flags,
)
from podfsm.machines.container import CEvent
from podfsm.machines.pod import PEvent, PodCtx, PodEffect, PStage
from podfsm.machines.probe import PrEvent, ProbeKind, PrState
from podfsm.machines.records import CState as S
from podfsm.machines.records import PodPlan, PodState
from podfsm.machines.table import Row

PROBE_KINDS: Final[dict[ProbeName, ProbeKind]] = {
    "startup": ProbeKind.STARTUP,
    "liveness": ProbeKind.LIVENESS,
    "readiness": ProbeKind.READINESS,
}
PROBE_DOCS: Final = "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/"


def deletion_row(
    plan: PodPlan, s: PodState, grace_option: int | None
) -> tuple[Row[PStage, PEvent, PodCtx], tuple[int, int]]:
    """The pod table's DELETE row for ``s`` and what its action sets: ``(deletionTimestamp, grace)``
    (:func:`podfsm.machines.pod.graceful_delete`)."""
    pctx = PodCtx(plan, grace_option, s.deletion_at, s.phase.is_terminal, t=s.t)
    row = plan.model.fire_pod(s.stage, PEvent.DELETE, pctx)
    assert row is not None and row.action is not None, "every stage a DELETE may reach has a DELETE row"
    effect: PodEffect = row.action(pctx, row.target)
    assert effect.deletion is not None
    return row, effect.deletion


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
            cev = RUNTIME_EVENT[type(ev)]
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
        return deletion_refusal(plan, s, ev, ev.grace_period_seconds if type(ev) is Delete else None)
    return None


def deletion_refusal(
    plan: PodPlan, s: PodState, ev: Event, grace_option: int | None
) -> IllegalTransition | None:
    """A DELETE whose ``deletionTimestamp`` (rest.BeforeDelete: now + grace) would pass the clock's end."""
    rule = plan.model.pod.forbidden.get((s.stage, PEvent.DELETE))
    if rule is not None:
        return IllegalTransition(describe(plan, s), ev, rule, DOCS)
    deletion_at, grace = deletion_row(plan, s, grace_option)[1]
    if deletion_at > plan.config.last_second:
        return IllegalTransition(
            describe(plan, s), ev, f"metadata.deletionTimestamp (now + {grace} s of grace): {CLOCK_END_RULE}"
        )
    return None


def _probe_refusal(plan: PodPlan, s: PodState, idx: int, ev: ProbeResult) -> IllegalTransition | None:
    """Why a run of ``ev.probe`` on container ``idx`` is refused now (prober worker ``doProbe``), or None."""
    pi = plan.containers[idx].probe_index(PROBE_KINDS[ev.probe])
    if pi < 0:
        return IllegalTransition(
            describe(plan, s, idx), ev, f"the container declares no {ev.probe}Probe", PROBE_DOCS
        )
    why = _probe_not_running(plan, s, idx, pi)
    if why:
        return IllegalTransition(describe(plan, s, idx), ev, why.replace("{probe}", ev.probe), PROBE_DOCS)
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


_PROBE_NAMES: Final[dict[ProbeKind, ProbeName]] = {v: k for k, v in PROBE_KINDS.items()}
