"""Deliberately wrong variants of the model, to show that the property suite catches bugs.

A mutant never edits the model's source. It swaps, for as long as it is active, a module-level
attribute that the engine looks up at call time: a machine table re-defined with one guard or
action replaced (``podfsm.engine.CONTAINER``), a guard or helper the guards call
(``podfsm.container.restart_permitted``), one of the engine's kubelet decisions
(``_initializing``, ``_started``, ``_publish``, ``phase_of``, ``container_view``) or a snapshot
helper (``_condition``, ``_terminate_pod``)::

    with mutants.get("restart-under-never").active():
        ...  # compile the plan inside: plans cache snapshot pieces

Each mutant has a stable name, a one-line description, the property it should break and a
*witness*: a small pod with explorer bounds where the unmutated model satisfies that property and
the mutant does not (``tests/test_mutants.py`` checks both, for every mutant).
:func:`baseline` suspends the active mutant, so a runner can tell a violation the mutant
introduced from one the unmutated model shows too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final, cast

import podfsm.container as container
import podfsm.engine as engine
import podfsm.snapshot as snapshot
from podfsm.enums import PodPhase
from podfsm.explorer import ModelConfig
from podfsm.oracle import Condition, pod_ready_condition
from podfsm.pod import PEvent
from podfsm.records import ContainerKind, Ctr, Ctx, PodPlan
from podfsm.records import CState as S
from podfsm.table import Machine, Row, define

__all__ = ["MUTANTS", "Mutant", "UnknownMutant", "baseline", "get"]

Patch = tuple[object, str, object]  # (module, attribute, replacement)


class UnknownMutant(KeyError):
    """A mutant name that is not registered; the message lists the available names."""


@dataclass(frozen=True)
class Mutant:
    """A named wrong variant of the model (see the module docstring)."""

    name: str
    description: str
    breaks: str  # the property it should break (podfsm.invariants)
    witness: ModelConfig
    patches: Callable[[], list[Patch]]

    @contextmanager
    def active(self) -> Iterator[Mutant]:
        """Apply the mutant's patches for the duration of the block (not re-entrant)."""
        global _ACTIVE
        if _ACTIVE is not None:
            raise RuntimeError(f"mutant {_ACTIVE[0].name!r} is already active")
        applied = _apply(self.patches())
        _ACTIVE = (self, applied)
        try:
            yield self
        finally:
            _restore(applied)
            _ACTIVE = None


_ACTIVE: tuple[Mutant, list[tuple[object, str, object, object]]] | None = None


def _apply(patches: list[Patch]) -> list[tuple[object, str, object, object]]:
    applied = []
    for module, attr, value in patches:
        original = getattr(module, attr)
        setattr(module, attr, value)
        applied.append((module, attr, original, value))
    return applied


def _restore(applied: list[tuple[object, str, object, object]]) -> None:
    for module, attr, original, _ in reversed(applied):
        setattr(module, attr, original)


@contextmanager
def baseline() -> Iterator[None]:
    """Suspend the active mutant (if any) for the block: the unmutated model runs inside it.

    Whatever stands in the patched attributes when the block starts (the mutant's values, or a
    wrapper around them) is put back when it ends.
    """
    if _ACTIVE is None:
        yield
        return
    applied = _ACTIVE[1]
    current = [(module, attr, getattr(module, attr)) for module, attr, _, _ in applied]
    _restore(applied)
    try:
        yield
    finally:
        for module, attr, value in current:
            setattr(module, attr, value)


def active_mutant() -> Mutant | None:
    """The mutant currently active, or ``None``."""
    return None if _ACTIVE is None else _ACTIVE[0]


# ---------------------------------------------------------------------------------------------
# Building blocks: the unmutated pieces, captured when this module is imported
# ---------------------------------------------------------------------------------------------

_CONTAINER: Final = container.CONTAINER
_RESTART_PERMITTED: Final = container.restart_permitted
_IN_CRASH_BACKOFF: Final = container.in_crash_backoff
_NEEDS_PULL: Final = container.needs_pull
_NEVER_PULL_MISSING: Final = container.never_pull_missing
_STARTED_ACTION: Final = container.started
_CRASH_BACKOFF_ACTION: Final = container.crash_backoff
_KILL_ACTION: Final = container.kill
_INITIALIZING: Final = engine._initializing
_STARTED: Final = engine._started
_PUBLISH: Final = engine._publish
_PHASE_OF: Final = engine.phase_of
_VIEW: Final = engine.container_view
_CONDITION: Final = snapshot._condition
_TERMINATE_POD: Final = snapshot._terminate_pod
_POD_READY_CONDITION: Final = pod_ready_condition  # what snapshot calls (patched there)


def _table(
    name: str, guards: dict[Any, Any] | None = None, actions: dict[Any, Any] | None = None
) -> Machine[Any, Any]:
    """The container table re-defined (and re-checked) with guards / actions swapped."""
    guards = guards or {}
    actions = actions or {}
    rows = tuple(
        Row(r.event, r.source, r.target, guards.get(r.guard, r.guard), actions.get(r.action, r.action), r.ref)
        for r in _CONTAINER.rows
    )
    return define(
        f"container[mutant {name}]",
        states=_CONTAINER.states,
        events=_CONTAINER.events,
        initial=_CONTAINER.initial,
        finals=_CONTAINER.finals,
        rows=rows,
        ignored=_CONTAINER.ignored,
        forbidden=_CONTAINER.forbidden,
        doc=_CONTAINER.doc,
    )


def _restart_rule(rule: Callable[[Ctx], bool], name: str) -> list[Patch]:
    """Swap ``restart_permitted`` everywhere it is read: the guards' module, the engine and the table."""

    def mutant_restart_permitted(ctx: Ctx) -> bool:
        """True iff the mutant's restart rule allows a restart."""
        return rule(ctx)

    return [
        (container, "restart_permitted", mutant_restart_permitted),
        (engine, "restart_permitted", mutant_restart_permitted),
        (engine, "CONTAINER", _table(name, guards={_RESTART_PERMITTED: mutant_restart_permitted})),
    ]


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
# The mutants
# ---------------------------------------------------------------------------------------------


def _restart_under_never() -> list[Patch]:
    def rule(ctx: Ctx) -> bool:
        failed = ctx.c.term is not None and ctx.c.term.exit_code != 0
        return _RESTART_PERMITTED(ctx) or (ctx.plan.restart_policy == "Never" and failed)

    return _restart_rule(rule, "restart-under-never")


def _onfailure_restarts_success() -> list[Patch]:
    def rule(ctx: Ctx) -> bool:
        regular = ctx.cp.kind is ContainerKind.REGULAR
        return _RESTART_PERMITTED(ctx) or (ctx.plan.restart_policy == "OnFailure" and regular)

    return _restart_rule(rule, "onfailure-restarts-success")


def _skip_init_container() -> list[Patch]:
    def initializing(st: Any) -> PEvent | None:
        plan: PodPlan = st.plan
        first = next((i for i in plan.init_idx if i not in plan.sidecar_idx), None)
        if first is None:
            return _INITIALIZING(st)
        view = _SettleView(st, plan._replace(init_idx=tuple(i for i in plan.init_idx if i != first)))
        return _INITIALIZING(cast(Any, view))

    return [(engine, "_initializing", initializing)]


def _parallel_init() -> list[Patch]:
    def initializing(st: Any) -> PEvent | None:
        pev = _INITIALIZING(st)
        if pev is None:
            current = _first_unfinished_init(st)
            plan = st.plan
            if current is not None and st.ctrs[current].state is S.RUNNING:
                pos = plan.init_idx.index(current)
                if pos + 1 < len(plan.init_idx):
                    st.sync(plan.init_idx[pos + 1])
        return pev

    return [(engine, "_initializing", initializing)]


def _app_before_init() -> list[Patch]:
    def initializing(st: Any) -> PEvent | None:
        pev = _INITIALIZING(st)
        if pev is None:
            for i in st.plan.regular_idx:
                st.sync(i)
        return pev

    return [(engine, "_initializing", initializing)]


def _backoff_never_doubles() -> list[Patch]:
    def next_backoff(ctx: Ctx) -> Ctr:
        return ctx.c._replace(backoff=ctx.plan.config.back_off_initial, backoff_at=ctx.t)

    return [(container, "_next_backoff", next_backoff)]


def _first_restart_delayed() -> list[Patch]:
    def in_crash_backoff_first(ctx: Ctx) -> bool:
        """True iff the back-off holds the restart, a first restart included (mutant)."""
        c = ctx.c
        if c.backoff == 0 and c.term is not None and container.restart_permitted(ctx):
            return ctx.t - c.term.finished_at < ctx.plan.config.back_off_initial
        return _IN_CRASH_BACKOFF(ctx)

    def crash_backoff_first(ctx: Ctx, target: S) -> Ctr:
        if ctx.c.backoff == 0:
            ctx.c = ctx.c._replace(backoff=ctx.plan.config.back_off_initial)
        return _CRASH_BACKOFF_ACTION(ctx, target)

    table = _table(
        "first-restart-delayed",
        guards={_IN_CRASH_BACKOFF: in_crash_backoff_first},
        actions={_CRASH_BACKOFF_ACTION: crash_backoff_first},
    )
    return [(engine, "CONTAINER", table)]


def _restart_count_skips() -> list[Patch]:
    def started_twice(ctx: Ctx, target: S) -> Ctr:
        restart = ctx.c.term is not None
        new = _STARTED_ACTION(ctx, target)
        return new._replace(restarts=new.restarts + 1) if restart else new

    return [(engine, "CONTAINER", _table("restart-count-skips", actions={_STARTED_ACTION: started_twice}))]


def _ignore_grace_period() -> list[Patch]:
    def kill_now(ctx: Ctx, target: S) -> Ctr:
        return _KILL_ACTION(ctx, target)._replace(due=ctx.t)  # SIGKILL at once, no grace period

    return [(engine, "CONTAINER", _table("ignore-grace-period", actions={_KILL_ACTION: kill_now}))]


def _sidecar_keeps_pod_alive() -> list[Patch]:
    def started(st: Any) -> PEvent | None:
        pev = _STARTED(st)
        if pev is PEvent.ALL_EXITED and st.plan.sidecar_idx:
            return None  # a running sidecar keeps the pod going
        return pev

    return [(engine, "_started", started)]


def _image_never_pull_pulls() -> list[Patch]:
    def needs_pull_any(ctx: Ctx) -> bool:
        """True iff the container pulls (mutant: Never pulls like Always)."""
        return ctx.cp.pull_policy == "Never" or _NEEDS_PULL(ctx)

    def never_pull_missing_off(ctx: Ctx) -> bool:
        """False: ErrImageNeverPull never happens (mutant)."""
        return False

    table = _table(
        "image-never-pull-pulls",
        guards={_NEEDS_PULL: needs_pull_any, _NEVER_PULL_MISSING: never_pull_missing_off},
    )
    return [
        (container, "needs_pull", needs_pull_any),
        (container, "never_pull_missing", never_pull_missing_off),
        (engine, "CONTAINER", table),
    ]


def _always_pull_skips_pull() -> list[Patch]:
    def needs_pull_if_missing(ctx: Ctx) -> bool:
        """True iff the node lacks the image (mutant: Always behaves like IfNotPresent)."""
        if ctx.cp.pull_policy == "Always":
            return ctx.cp.image not in ctx.images
        return _NEEDS_PULL(ctx)

    table = _table("always-pull-skips-pull", guards={_NEEDS_PULL: needs_pull_if_missing})
    return [(container, "needs_pull", needs_pull_if_missing), (engine, "CONTAINER", table)]


def _view_patch(change: Callable[[Any, engine.View], engine.View]) -> list[Patch]:
    def view(plan: PodPlan, cp: Any, c: Ctr) -> engine.View:
        return change(cp, _VIEW(plan, cp, c))

    return [(engine, "container_view", view), (snapshot, "container_view", view)]


def _ready_when_not_started() -> list[Patch]:
    def change(cp: Any, v: engine.View) -> engine.View:
        if v.kind == "waiting" and cp.kind is not ContainerKind.INIT and v.last is None:
            return v._replace(ready=True)
        return v

    return _view_patch(change)


def _ready_after_exit() -> list[Patch]:
    def change(cp: Any, v: engine.View) -> engine.View:
        if v.kind == "terminated" and cp.kind is ContainerKind.REGULAR:
            return v._replace(ready=True)
        return v

    return _view_patch(change)


def _terminal_while_running() -> list[Patch]:
    def publish(plan: PodPlan, s: engine.PodState, *, final: bool) -> engine.PodState:
        if not final and not s.phase.is_terminal:
            phase = engine.phase_of(plan, s.codes, terminal=False)
            if phase.is_terminal:
                return s._replace(phase=phase)  # no mergePodStatus hold-back
        return _PUBLISH(plan, s, final=final)

    return [(engine, "_publish", publish)]


def _phase_not_from_getphase() -> list[Patch]:
    def phase_of(plan: PodPlan, codes: Any, *, terminal: bool) -> PodPhase:
        phase = _PHASE_OF(plan, codes, terminal=terminal)
        regular_waiting = any(
            code[0] == "waiting"
            for cp, code in zip(plan.containers, codes, strict=True)
            if cp.kind is ContainerKind.REGULAR
        )
        if phase is PodPhase.RUNNING and regular_waiting:
            return PodPhase.PENDING  # a crash-looping container counted as waiting, not as restarting
        return phase

    return [(engine, "phase_of", phase_of)]


def _condition_time_resets() -> list[Patch]:
    def condition(ctype: str, status: str, reason: str, message: str, t: str, prev: Any) -> dict[str, Any]:
        return _CONDITION(ctype, status, reason, message, t, {})  # lastTransitionTime always now

    return [(snapshot, "_condition", condition)]


def _terminated_pod_reports_success() -> list[Patch]:
    def terminate_pod(plan: PodPlan, statuses: list[dict[str, Any]]) -> None:
        _TERMINATE_POD(plan, statuses)
        for st in statuses:
            term = st["state"].get("terminated")
            if term is not None and term.get("reason") == "ContainerStatusUnknown":
                term["exitCode"] = 0

    return [(snapshot, "_terminate_pod", terminate_pod)]


def _readiness_gates_ignored() -> list[Patch]:
    def pod_ready_condition(spec: Any, conditions: Any, containers_ready: Condition) -> Condition:
        return _POD_READY_CONDITION({**spec, "readinessGates": []}, conditions, containers_ready)

    return [(snapshot, "pod_ready_condition", pod_ready_condition)]


def _conditions_from_published_phase() -> list[Patch]:
    def published_phase(plan: PodPlan, s: Any) -> PodPhase:
        return cast(PodPhase, s.phase)

    return [(snapshot, "kubelet_phase", published_phase)]


def _deadline_forgotten() -> list[Patch]:
    def getphase_only(plan: PodPlan, s: Any) -> PodPhase:
        if s.phase.is_terminal:
            return cast(PodPhase, s.phase)
        return _PHASE_OF(plan, s.codes, terminal=s.deletion_at >= 0)

    return [(engine, "kubelet_phase", getphase_only), (snapshot, "kubelet_phase", getphase_only)]


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
            "ALL_EXITED never fires while the pod has sidecars: it stays Running, they keep restarting",
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
