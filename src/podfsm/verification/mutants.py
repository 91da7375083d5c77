"""Deliberately wrong variants of the model, to show that the property suite catches bugs.

A mutant is a function from a model value to a model value (:class:`podfsm.model.Model`): it
replaces the container table with one re-defined with a guard or action swapped, the restart
rule, or one of the kubelet's decisions, usually wrapping the one the model had. Nothing is
patched: a mutant's model runs beside the real one in the same process::

    from podfsm.verification import mutants
    wrong = mutants.get("restart-under-never").model          # DEFAULT with the mutation
    plan = compile_plan(pod, model=wrong)
    both = mutants.combine("parallel-init", "app-before-init")  # mutants compose

Each mutant has a stable name, a one-line description, the property it should break and a
*witness*: a small pod with explorer bounds where the real model satisfies that property and the
mutant does not (``tests/test_mutants.py`` checks both, for every mutant).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final, cast

from podfsm.enums import PodPhase, PullPolicy, RestartPolicy
from podfsm.machines import container
from podfsm.machines.container import CEvent
from podfsm.machines.pod import InitProgress
from podfsm.machines.records import ContainerKind, ContainerPlan, Ctr, Ctx, PodPlan, PodState, View
from podfsm.machines.records import CState as S
from podfsm.machines.table import Machine, Row, define
from podfsm.model import DEFAULT, Model
from podfsm.oracle import Condition
from podfsm.verification.explorer import ModelConfig

__all__ = ["MUTANTS", "Mutant", "UnknownMutant", "combine", "get"]


class UnknownMutant(KeyError):
    """A mutant name that is not registered; the message lists the available names."""


@dataclass(frozen=True)
class Mutant:
    """A named wrong variant of the model (see the module docstring)."""

    name: str
    description: str
    breaks: str  # the property it should break (podfsm.verification.invariants)
    witness: ModelConfig
    mutate: Callable[[Model], Model]  # the change, applied to any model

    def apply(self, base: Model = DEFAULT) -> Model:
        """``base`` with this mutation (its name extended with the mutant's)."""
        return self.mutate(base).replace(name=f"{base.name}+{self.name}")

    @cached_property
    def model(self) -> Model:
        """The real model with this mutation: :meth:`apply` on :data:`podfsm.model.DEFAULT`."""
        return self.apply(DEFAULT)


def combine(*names: str, base: Model = DEFAULT) -> Model:
    """``base`` with every named mutant applied, in order."""
    model = base
    for name in names:
        model = get(name).apply(model)
    return model


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------


def _table(
    base: Machine[S, CEvent, Ctx],
    name: str,
    guards: dict[Any, Any] | None = None,
    actions: dict[Any, Any] | None = None,
) -> Machine[S, CEvent, Ctx]:
    """``base`` (a container table) re-defined, and re-checked, with guards / actions swapped."""
    guards = guards or {}
    actions = actions or {}
    rows = tuple(
        Row(r.event, r.source, r.target, guards.get(r.guard, r.guard), actions.get(r.action, r.action), r.ref)
        for r in base.rows
    )
    return define(
        f"{base.name}[mutant {name}]",
        states=base.states,
        events=base.events,
        initial=base.initial,
        finals=base.finals,
        rows=rows,
        ignored=base.ignored,
        forbidden=base.forbidden,
        doc=base.doc,
    )


class _SettleView:
    """A stand-in for the engine's settle pass that shows a different plan to a decision function."""

    def __init__(self, st: Any, plan: PodPlan) -> None:
        self._st = st
        self.plan = plan

    def __getattr__(self, name: str) -> Any:
        return getattr(self._st, name)


def _first_unfinished_init(st: Any) -> int | None:
    plan: PodPlan = st.plan
    for i in plan.init_idx:
        c: Ctr = st.ctrs[i]
        if i in plan.sidecar_idx:
            if not c.ever_started:
                return i
        elif not (c.state is S.TERMINATED and c.term is not None and c.term.exit_code == 0):
            return i
    return None


# ---------------------------------------------------------------------------------------------
# The mutations
# ---------------------------------------------------------------------------------------------


def _restart_under_never(m: Model) -> Model:
    base = m.restart_rule

    def rule(policy: RestartPolicy, kind: ContainerKind, exit_code: int) -> bool:
        return base(policy, kind, exit_code) or (policy is RestartPolicy.NEVER and exit_code != 0)

    return m.replace(restart_rule=rule)


def _onfailure_restarts_success(m: Model) -> Model:
    base = m.restart_rule

    def rule(policy: RestartPolicy, kind: ContainerKind, exit_code: int) -> bool:
        return base(policy, kind, exit_code) or (
            policy is RestartPolicy.ON_FAILURE and kind is ContainerKind.REGULAR
        )

    return m.replace(restart_rule=rule)


def _skip_init_container(m: Model) -> Model:
    base_pass, base_progress = m.initializing, m.init_progress

    def without_first(plan: PodPlan) -> PodPlan:
        first = next((i for i in plan.init_idx if i not in plan.sidecar_idx), None)
        return plan._replace(init_idx=tuple(i for i in plan.init_idx if i != first))

    def initializing(st: Any) -> None:
        base_pass(cast(Any, _SettleView(st, without_first(st.plan))))

    def init_progress(plan: PodPlan, ctrs: Sequence[Ctr]) -> InitProgress:
        return base_progress(without_first(plan), ctrs)

    return m.replace(initializing=initializing, init_progress=init_progress)


def _parallel_init(m: Model) -> Model:
    base = m.initializing

    def initializing(st: Any) -> None:
        base(st)  # the pass runs while initialization is not done (the pod table's SYNC rows say)
        current = _first_unfinished_init(st)
        plan = st.plan
        if current is not None and st.ctrs[current].state is S.RUNNING:
            pos = plan.init_idx.index(current)
            if pos + 1 < len(plan.init_idx):
                st.sync(plan.init_idx[pos + 1])

    return m.replace(initializing=initializing)


def _app_before_init(m: Model) -> Model:
    base = m.initializing

    def initializing(st: Any) -> None:
        base(st)
        for i in st.plan.regular_idx:
            st.sync(i)

    return m.replace(initializing=initializing)


def _backoff_never_doubles(m: Model) -> Model:
    def next_backoff(ctx: Ctx) -> Ctr:
        return ctx.c._replace(backoff=ctx.plan.config.back_off_initial, backoff_at=ctx.t)

    return m.replace(next_backoff=next_backoff)


def _first_restart_delayed(m: Model) -> Model:
    base_guard = container.in_crash_backoff
    base_action = container.crash_backoff

    def in_crash_backoff_first(ctx: Ctx) -> bool:
        """True iff the back-off holds the restart, a first restart included (mutant)."""
        c = ctx.c
        if c.backoff == 0 and c.term is not None and container.restart_permitted(ctx):
            return ctx.t - c.term.finished_at < ctx.plan.config.back_off_initial
        return base_guard(ctx)

    def crash_backoff_first(ctx: Ctx, target: S) -> Ctr:
        if ctx.c.backoff == 0:
            ctx.c = ctx.c._replace(backoff=ctx.plan.config.back_off_initial)
        return base_action(ctx, target)

    table = _table(
        m.container,
        "first-restart-delayed",
        guards={base_guard: in_crash_backoff_first},
        actions={base_action: crash_backoff_first},
    )
    return m.replace(container=table)


def _restart_count_skips(m: Model) -> Model:
    base = container.started

    def started_twice(ctx: Ctx, target: S) -> Ctr:
        restart = ctx.c.term is not None
        new = base(ctx, target)
        return new._replace(restarts=new.restarts + 1) if restart else new

    return m.replace(container=_table(m.container, "restart-count-skips", actions={base: started_twice}))


def _ignore_grace_period(m: Model) -> Model:
    base = container.kill

    def kill_now(ctx: Ctx, target: S) -> Ctr:
        return base(ctx, target)._replace(due=ctx.t)  # SIGKILL at once, no grace period

    return m.replace(container=_table(m.container, "ignore-grace-period", actions={base: kill_now}))


def _sidecar_keeps_pod_alive(m: Model) -> Model:
    base = m.all_exited

    def all_exited(plan: PodPlan, ctrs: Sequence[Ctr]) -> bool:
        return base(plan, ctrs) and not plan.sidecar_idx  # a running sidecar keeps the pod going

    return m.replace(all_exited=all_exited)


def _image_never_pull_pulls(m: Model) -> Model:
    base = container.needs_pull

    def needs_pull_any(ctx: Ctx) -> bool:
        """True iff the container pulls (mutant: Never pulls like Always)."""
        return ctx.cp.pull_policy is PullPolicy.NEVER or base(ctx)

    def never_pull_missing_off(ctx: Ctx) -> bool:
        """False: ErrImageNeverPull never happens (mutant)."""
        return False

    def restart_needs_pull_any(ctx: Ctx) -> bool:
        """True iff a restart is permitted and it pulls (mutant: Never pulls like Always)."""
        return container.restart_permitted(ctx) and needs_pull_any(ctx)

    table = _table(
        m.container,
        "image-never-pull-pulls",
        guards={
            base: needs_pull_any,
            container.never_pull_missing: never_pull_missing_off,
            container.restart_never_pull_missing: never_pull_missing_off,
            container.restart_needs_pull: restart_needs_pull_any,
        },
    )
    return m.replace(container=table)


def _always_pull_skips_pull(m: Model) -> Model:
    base = container.needs_pull

    def needs_pull_if_missing(ctx: Ctx) -> bool:
        """True iff the node lacks the image (mutant: Always behaves like IfNotPresent)."""
        if ctx.cp.pull_policy is PullPolicy.ALWAYS:
            return ctx.cp.image not in ctx.images
        return base(ctx)

    def restart_needs_pull_if_missing(ctx: Ctx) -> bool:
        """True iff a restart is permitted and the node lacks the image (mutant)."""
        return container.restart_permitted(ctx) and needs_pull_if_missing(ctx)

    table = _table(
        m.container,
        "always-pull-skips-pull",
        guards={base: needs_pull_if_missing, container.restart_needs_pull: restart_needs_pull_if_missing},
    )
    return m.replace(container=table)


def _view_change(m: Model, change: Callable[[ContainerPlan, View], View]) -> Model:
    base = m.container_view

    def view(plan: PodPlan, cp: ContainerPlan, c: Ctr) -> View:
        return change(cp, base(plan, cp, c))

    return m.replace(container_view=view)


def _ready_when_not_started(m: Model) -> Model:
    def change(cp: ContainerPlan, v: View) -> View:
        if v.kind == "waiting" and cp.kind is not ContainerKind.INIT and v.last is None:
            return v._replace(ready=True)
        return v

    return _view_change(m, change)


def _ready_after_exit(m: Model) -> Model:
    def change(cp: ContainerPlan, v: View) -> View:
        if v.kind == "terminated" and cp.kind is ContainerKind.REGULAR:
            return v._replace(ready=True)
        return v

    return _view_change(m, change)


def _terminal_while_running(m: Model) -> Model:
    base = m.publish

    def publish(plan: PodPlan, s: PodState, *, final: bool) -> PodState:
        if not final and not s.phase.is_terminal:
            phase = plan.model.phase_of(plan, s.codes, terminal=False)
            if phase.is_terminal:
                return s._replace(phase=phase)  # no mergePodStatus hold-back
        return base(plan, s, final=final)

    return m.replace(publish=publish)


def _phase_not_from_getphase(m: Model) -> Model:
    base = m.phase_of

    def phase_of(plan: PodPlan, codes: Any, *, terminal: bool) -> PodPhase:
        phase = base(plan, codes, terminal=terminal)
        regular_waiting = any(
            code[0] == "waiting"
            for cp, code in zip(plan.containers, codes, strict=True)
            if cp.kind is ContainerKind.REGULAR
        )
        if phase is PodPhase.RUNNING and regular_waiting:
            return PodPhase.PENDING  # a crash-looping container counted as waiting, not as restarting
        return phase

    return m.replace(phase_of=phase_of)


def _condition_time_resets(m: Model) -> Model:
    base = m.condition

    def condition(ctype: str, status: str, reason: str, message: str, t: str, prev: Any) -> dict[str, Any]:
        return base(ctype, status, reason, message, t, {})  # lastTransitionTime always now

    return m.replace(condition=condition)


def _terminated_pod_reports_success(m: Model) -> Model:
    base = m.terminate_pod

    def terminate_pod(plan: PodPlan, statuses: list[dict[str, Any]]) -> None:
        base(plan, statuses)
        for st in statuses:
            term = st["state"].get("terminated")
            if term is not None and term.get("reason") == "ContainerStatusUnknown":
                term["exitCode"] = 0

    return m.replace(terminate_pod=terminate_pod)


def _readiness_gates_ignored(m: Model) -> Model:
    base = m.pod_ready_condition

    def pod_ready_condition(spec: Any, conditions: Any, containers_ready: Condition) -> Condition:
        return base({**spec, "readinessGates": []}, conditions, containers_ready)

    return m.replace(pod_ready_condition=pod_ready_condition)


def _conditions_from_published_phase(m: Model) -> Model:
    def published_phase(plan: PodPlan, s: PodState) -> PodPhase:
        return s.phase

    return m.replace(conditions_phase=published_phase)


def _deadline_forgotten(m: Model) -> Model:
    def getphase_only(plan: PodPlan, s: PodState) -> PodPhase:
        if s.phase.is_terminal:
            return s.phase
        return plan.model.phase_of(plan, s.codes, terminal=s.deletion_at >= 0)

    return m.replace(kubelet_phase=getphase_only)


def _pod(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def _c(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": f"{name}:1", "imagePullPolicy": "IfNotPresent", **extra}


def _w(name: str, spec: dict[str, Any], max_restarts: int = 1, max_depth: int = 14) -> ModelConfig:
    """A witness. Where the unmutated model violates the mutant's property deeper down (a model
    finding: a sidecar restart in flight when the pod is killed), the depth bound stops short of it."""
    return ModelConfig(name, f"witness for mutant {name}", _pod(name, spec), max_restarts, max_depth)


_SINGLE_NEVER: Final = {"restartPolicy": "Never", "containers": [_c("app")]}
_SINGLE_ONFAILURE: Final = {"restartPolicy": "OnFailure", "containers": [_c("app")]}
_SINGLE_ALWAYS: Final = {"restartPolicy": "Always", "containers": [_c("app")]}
_TWO_INITS: Final = {
    "restartPolicy": "OnFailure",
    "initContainers": [_c("i1"), _c("i2")],
    "containers": [_c("app")],
}
_INIT_APP: Final = {"restartPolicy": "OnFailure", "initContainers": [_c("init")], "containers": [_c("app")]}
_SIDECAR_JOB: Final = {
    "restartPolicy": "OnFailure",
    "terminationGracePeriodSeconds": 5,
    "initContainers": [_c("proxy", restartPolicy="Always")],
    "containers": [_c("job")],
}
_SIDECAR_INIT_NEVER: Final = {
    "restartPolicy": "Never",
    "terminationGracePeriodSeconds": 5,
    "initContainers": [_c("proxy", restartPolicy="Always"), _c("migrate")],
    "containers": [_c("app")],
}
_GATED: Final = {
    "restartPolicy": "Always",
    "readinessGates": [{"conditionType": "example.com/lb"}],
    "containers": [_c("app")],
}
_DEADLINE: Final = {
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": 5,
    "activeDeadlineSeconds": 30,
    "containers": [_c("app")],
}
_GRACE: Final = {
    "restartPolicy": "Never",
    "terminationGracePeriodSeconds": 5,
    "activeDeadlineSeconds": 10,
    "containers": [_c("app")],
}

MUTANTS: Final[dict[str, Mutant]] = {
    m.name: m
    for m in (
        Mutant(
            "restart-under-never",
            "restart_permitted ignores restartPolicy Never: a failed container restarts",
            "never-policy-never-restarts",
            _w("restart-under-never", _SINGLE_NEVER),
            _restart_under_never,
        ),
        Mutant(
            "onfailure-restarts-success",
            "restart_permitted restarts a container that exited 0 under OnFailure",
            "no-illegal-container-resurrection",
            _w("onfailure-restarts-success", _SINGLE_ONFAILURE),
            _onfailure_restarts_success,
        ),
        Mutant(
            "skip-init-container",
            "the first regular init container is treated as done without running",
            "init-containers-in-order",
            _w("skip-init-container", _TWO_INITS, max_restarts=0),
            _skip_init_container,
        ),
        Mutant(
            "parallel-init",
            "the next init container starts while the current one still runs",
            "init-containers-one-at-a-time",
            _w("parallel-init", _TWO_INITS, max_restarts=0),
            _parallel_init,
        ),
        Mutant(
            "app-before-init",
            "regular containers start while init containers still run",
            "no-app-container-before-initialization",
            _w("app-before-init", _INIT_APP, max_restarts=0),
            _app_before_init,
        ),
        Mutant(
            "backoff-never-doubles",
            "the crash-loop back-off stays at its initial 10 s instead of doubling",
            "backoff-ladder",
            _w("backoff-never-doubles", _SINGLE_ALWAYS, max_restarts=3, max_depth=16),
            _backoff_never_doubles,
        ),
        Mutant(
            "first-restart-delayed",
            "the first restart waits 10 s (CrashLoopBackOff before any restart)",
            "first-restart-immediate",
            _w("first-restart-delayed", _SINGLE_ALWAYS, max_restarts=1),
            _first_restart_delayed,
        ),
        Mutant(
            "restart-count-skips",
            "a restart adds 2 to restartCount",
            "restart-count-monotonic",
            _w("restart-count-skips", _SINGLE_ALWAYS, max_restarts=3),
            _restart_count_skips,
        ),
        Mutant(
            "ignore-grace-period",
            "KillPod sends SIGKILL at once instead of after the grace period",
            "sigkill-not-before-grace",
            _w("ignore-grace-period", _GRACE, max_restarts=0),
            _ignore_grace_period,
        ),
        Mutant(
            "sidecar-keeps-pod-alive",
            "KillPod never comes while the pod has sidecars: it stays Running, they keep restarting",
            "phase-is-getphase",
            _w("sidecar-keeps-pod-alive", _SIDECAR_JOB, max_restarts=1, max_depth=8),
            _sidecar_keeps_pod_alive,
        ),
        Mutant(
            "image-never-pull-pulls",
            "imagePullPolicy Never pulls the image instead of ErrImageNeverPull",
            "image-pull-policy-respected",
            _w(
                "image-never-pull-pulls", {"containers": [_c("app", imagePullPolicy="Never")]}, max_restarts=0
            ),
            _image_never_pull_pulls,
        ),
        Mutant(
            "always-pull-skips-pull",
            "imagePullPolicy Always skips the pull when the node has the image",
            "image-pull-policy-respected",
            _w(
                "always-pull-skips-pull",
                {"restartPolicy": "OnFailure", "containers": [_c("app", imagePullPolicy="Always")]},
            ),
            _always_pull_skips_pull,
        ),
        Mutant(
            "ready-when-not-started",
            "a container waiting to start reports ready=true",
            "ready-container-is-running",
            _w("ready-when-not-started", _SINGLE_ALWAYS, max_restarts=0, max_depth=4),
            _ready_when_not_started,
        ),
        Mutant(
            "ready-after-exit",
            "an exited regular container keeps ready=true",
            "ready-container-is-running",
            _w("ready-after-exit", _SINGLE_NEVER, max_restarts=0),
            _ready_after_exit,
        ),
        Mutant(
            "terminal-while-running",
            "the terminal phase is published at once, without mergePodStatus holding it back",
            "no-terminal-phase-while-running",
            _w("terminal-while-running", _SIDECAR_INIT_NEVER, max_restarts=0, max_depth=6),
            _terminal_while_running,
        ),
        Mutant(
            "phase-not-from-getphase",
            "a crash-looping container makes the phase Pending (waiting, not restarting)",
            "phase-is-getphase",
            _w("phase-not-from-getphase", _SINGLE_ALWAYS, max_restarts=1),
            _phase_not_from_getphase,
        ),
        Mutant(
            "condition-time-resets",
            "every condition's lastTransitionTime is rewritten at every update",
            "condition-transition-time",
            _w("condition-time-resets", _SINGLE_ALWAYS, max_restarts=1),
            _condition_time_resets,
        ),
        Mutant(
            "readiness-gates-ignored",
            "GeneratePodReadyCondition ignores spec.readinessGates: Ready once the containers are ready",
            "ready-needs-readiness-gates",
            _w("readiness-gates-ignored", _GATED, max_restarts=0, max_depth=6),
            _readiness_gates_ignored,
        ),
        Mutant(
            "conditions-from-published-phase",
            "the kubelet's conditions follow the published phase, not its own: Ready stays True through a deadline kill",
            "conditions-follow-kubelet-phase",
            _w("conditions-from-published-phase", _DEADLINE, max_restarts=0, max_depth=6),
            _conditions_from_published_phase,
        ),
        Mutant(
            "deadline-forgotten-by-later-start",
            "generateAPIPodStatus forgets ShouldEvict: a start completing after the deadline makes the pod Running",
            "terminal-decision-holds-phase",
            _w("deadline-forgotten-by-later-start", _DEADLINE, max_restarts=0, max_depth=6),
            _deadline_forgotten,
        ),
        Mutant(
            "terminated-pod-reports-success",
            "TerminatePod records exit code 0 for containers it could not find",
            "status-unknown-is-exit-137",
            _w("terminated-pod-reports-success", _GRACE, max_restarts=0),
            _terminated_pod_reports_success,
        ),
    )
}


def get(name: str) -> Mutant:
    """The mutant called ``name``; :class:`UnknownMutant` listing the available names otherwise."""
    m = MUTANTS.get(name)
    if m is None:
        raise UnknownMutant(f"Unknown mutant. requested={name!r}, available={sorted(MUTANTS)}")
    return m
