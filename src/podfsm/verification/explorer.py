"""Breadth-first search over every reachable state of one pod, checking the property registry.

::

    result = explore(compile_plan(pod), max_depth=40, max_restarts=2)
    result.states, result.transitions, result.violation

**The search.** From :func:`~podfsm.engine.initial`, every event :func:`~podfsm.engine.enabled_events`
offers is applied with :func:`~podfsm.engine.step`. Time is abstracted to the timers that can
fall due: the only ``Tick`` the model enables jumps to the next due timer (back-off, re-sync,
SIGKILL, preStop deadline, activeDeadlineSeconds, the next probe run), so the search never
enumerates idle seconds.

**The visited-set key** (the explorer's state count is over this key, not over raw states).
States carry absolute times; two states that differ only by a shift of every time behave
alike, so the key replaces every time field by its offset from ``t`` and drops ``t``:

* a field is a *time* if its name is ``due`` or ends in ``_at``, ``_time`` or ``_start``, in
  :class:`~podfsm.engine.PodState` and in every record nested in it (``Ctr``, ``Term``, and
  whatever lands later: a field named so is normalized without code changes);
* a negative time is a sentinel ("unset") and is kept, tagged (an offset of -1 s, one second
  ago, is another value than the sentinel -1); the time ``<x>_at`` of an entry
  ``<x>`` that is 0 (``backoff_at`` while ``backoff`` is 0: no back-off entry) is unused and
  dropped (the model never reads it then);
* an offset older than the *horizon* (longer than every timing window of the model: twice the
  back-off maxima, the grace period plus the stop window, ``activeDeadlineSeconds``) is clamped to
  one "long ago" value, since no rule of the model can tell such times apart;
* ``codes`` (a derived per-container cache of ``PodState``) is dropped.

Past times only are clamped; a future time (a timer) is kept exact. Normalized records are
memoized by identity: successive states share the records of untouched containers.

The stored state for a key is the first one found (its absolute times are those of the
shortest path), so every counterexample replays exactly with ``podfsm simulate``.

**Removal.** A state where the pod is gone from the API (stage ``REMOVED``) is stored and checked
(it is the object the DELETED watch event carries) but not expanded: what the model's runtime
still does to its containers is not observable.

**Bounds.** A successor whose containers restarted more than ``max_restarts`` times is cut: the
step into it is checked, the state is neither stored, checked nor expanded. States at depth
``max_depth`` are stored and checked but not expanded. A search that hit neither bound is
*complete*.

**Checks.** Every ``always`` property in every stored state, every ``always-step`` property on
every transition (including those into already-visited keys), every ``eventually`` monitor on
every quiescent state (see :mod:`podfsm.verification.invariants` for the meaning on cycles), and every
applicable ``sometimes`` property once the search ends. The first violation stops the search;
breadth-first order makes its event script a shortest one.

**Sometimes.** A ``sometimes`` property no stored state satisfies is a violation only when the
search is complete (no state is reachable that satisfies it). When a bound cut the search it is
*not reached* (:attr:`ExploreResult.not_reached`): a deeper search may reach it, so it is no
violation.

**Progress.** ``progress`` is called with a :class:`Progress` (logical counts only) every
:data:`PROGRESS_EVERY` expanded states; the caller decides when to show it (``podfsm explore``
prints a line on stderr every few seconds of a long search).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

from podfsm.engine import PodState, enabled_events, initial, step
from podfsm.events import Event, event_to_dict
from podfsm.kubelet.snapshot import pod_json
from podfsm.machines.pod import PStage
from podfsm.machines.records import PodPlan
from podfsm.rendering.stategraph import StateGraph
from podfsm.verification.invariants import Judge, Obs, Property, PropertyViolation, observe, properties

__all__ = [
    "MODELS",
    "PROGRESS_EVERY",
    "ExploreResult",
    "ModelConfig",
    "Progress",
    "explore",
    "gc_paused",
    "judge_sometimes",
    "keys_forgotten",
    "pod_of",
    "state_checks",
    "state_key",
    "step_where",
]


# ---------------------------------------------------------------------------------------------
# The visited-set key
# ---------------------------------------------------------------------------------------------

_LONG_AGO: Final = "long-ago"
_UNSET: Final = "unset"


def _is_time_field(name: str) -> bool:
    return name == "due" or name.endswith(("_at", "_time", "_start"))


_DROPPED: Final = frozenset({"t", "codes"})
# For a NamedTuple class: (index, how, entry index) per field kept; how: "time" or "value"; entry
# index: for a time field ``<x>_at`` next to a field ``<x>``, the position of ``<x>`` (else -1).
_PLANS: dict[type, tuple[tuple[int, str, int], ...]] = {}


def _plan_of(cls: type) -> tuple[tuple[int, str, int], ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        fields: Sequence[str] = getattr(cls, "_fields", ())
        index = {name: i for i, name in enumerate(fields)}
        plan = tuple(
            (
                i,
                "time" if _is_time_field(name) else "value",
                index.get(name[: -len("_at")], -1) if name.endswith("_at") else -1,
            )
            for i, name in enumerate(fields)
            if name not in _DROPPED
        )
        _PLANS[cls] = plan
    return plan


_MEMO: dict[tuple[int, int, int], tuple[Any, Any]] = {}


def _norm(value: Any, t: int, horizon: int) -> Any:
    """``value`` with its time fields relative to ``t`` (recursively through records and tuples).

    Records (``NamedTuple``) are memoized by identity and ``t``: successive states share the
    records of the containers an event did not touch, so most of a key is computed once.
    """
    if type(value) is tuple:
        return tuple(_norm(v, t, horizon) for v in value)
    if not isinstance(value, tuple) or not hasattr(value, "_fields"):
        return value
    memo_key = (id(value), t, horizon)
    hit = _MEMO.get(memo_key)
    if hit is not None and hit[0] is value:
        return hit[1]
    out: list[Any] = [type(value).__name__]
    for i, how, entry in _plan_of(type(value)):
        v = value[i]
        if how == "time":
            if entry >= 0 and not value[entry]:
                out.append(None)  # the time of an entry that does not exist (backoff 0): unused
            elif type(v) is int and v >= 0:
                off = v - t
                out.append(_LONG_AGO if off < -horizon else off)
            elif type(v) is int:  # a sentinel: tagged, so that "unset" (-1) is not "1 s ago"
                out.append((_UNSET, v))
            else:
                out.append(v)
        elif type(v) is tuple or isinstance(v, tuple):
            out.append(_norm(v, t, horizon))
        else:
            out.append(v)
    result = tuple(out)
    if len(_MEMO) > 500_000:
        _MEMO.clear()
    _MEMO[memo_key] = (value, result)  # the record is kept alive, so its id is not reused meanwhile
    return result


@contextmanager
def keys_forgotten() -> Iterator[None]:
    """A search's key memo starts empty and is dropped when the search ends: between searches it
    would only hold memory (and a forked worker would inherit it)."""
    _MEMO.clear()
    try:
        yield
    finally:
        _MEMO.clear()


def state_key(s: PodState, horizon: int) -> tuple[Any, ...]:
    """The visited-set key of ``s`` (see the module docstring): times relative to ``s.t``, clamped."""
    key: tuple[Any, ...] = _norm(s, s.t, horizon)
    return key


def default_horizon(plan: PodPlan) -> int:
    """Longer than every timing window of the model for this plan (see the module docstring)."""
    cfg = plan.config
    return (
        2 * max(cfg.back_off_max, cfg.image_back_off_max)
        + max(plan.active_deadline, 0)
        + plan.grace
        + cfg.minimum_grace_period
        + cfg.sync_error_back_off
        + 1
    )


# ---------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------


@dataclass
class ExploreResult:
    """What a search found. ``violation`` is the first failed property, with its shortest script."""

    states: int = 0
    transitions: int = 0
    depth: int = 0  # the greatest depth of a stored state
    seconds: float = 0.0
    cut_depth: int = 0  # states at max_depth, not expanded
    cut_restarts: int = 0  # successors beyond max_restarts, not stored
    quiescent: int = 0  # states with no event enabled
    removed: int = 0  # states where the pod is gone from the API (stored, checked, not expanded)
    checks: dict[str, int] = field(default_factory=dict)  # property name -> evaluations
    sometimes: dict[str, bool | None] = field(default_factory=dict)  # None: does not apply
    violation: PropertyViolation | None = None
    path: tuple[int, ...] = ()  # the violation's shortest path: stored-state indices from the initial state
    path_events: tuple[Event, ...] = ()  # the events between them
    failed_step: Event | None = None  # for a step property: the offending event out of path[-1]

    @property
    def complete(self) -> bool:
        """No bound was hit: every reachable key was stored and expanded."""
        return self.cut_depth == 0 and self.cut_restarts == 0

    @property
    def not_reached(self) -> list[str]:
        """The applicable ``sometimes`` properties no stored state satisfied, in a search a bound
        cut: not violations (a deeper search may reach them)."""
        if self.complete:
            return []
        return sorted(name for name, reached in self.sometimes.items() if reached is False)

    @property
    def rate(self) -> float:
        """Stored states per second."""
        return self.states / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a running search is, in logical counts (no time): stored states, transitions,
    the depth being expanded, and how much of its frontier is done."""

    states: int
    transitions: int
    depth: int
    frontier_done: int
    frontier: int


PROGRESS_EVERY: Final = 256
"""Expanded states between two calls of ``explore``'s ``progress`` callback."""


def _path(parents: list[int], via: list[Event | None], idx: int) -> tuple[list[int], list[Event]]:
    """The stored states from the initial one to ``idx`` and the events between them (BFS tree)."""
    states = [idx]
    events: list[Event] = []
    while idx > 0:
        ev = via[idx]
        assert ev is not None
        events.append(ev)
        idx = parents[idx]
        states.append(idx)
    states.reverse()
    events.reverse()
    return states, events


def _max_restarts(s: PodState) -> int:
    return max((getattr(c, "restarts", 0) for c in s.ctrs), default=0)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off for a search, and what exists before it frozen out of later
    collections. A search's states are immutable records that form no reference cycles, so the
    collector would only walk the growing visited set again and again (about half of the
    explorer's wall time); reference counting still frees everything a search drops."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


@gc_paused()
@keys_forgotten()
def explore(
    plan: PodPlan,
    *,
    max_depth: int = 60,
    max_restarts: int = 2,
    props: Iterable[Property] | None = None,
    check: bool = True,
    horizon: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    on_state: Callable[[PodState], None] | None = None,
    manifest: dict[str, Any] | None = None,
    graph: StateGraph | None = None,
) -> ExploreResult:
    """Search every state of ``plan`` reachable within the bounds; see the module docstring.

    ``props`` restricts the checks (default: the whole registry); ``check=False`` only counts.
    ``progress``: called with a :class:`Progress` every :data:`PROGRESS_EVERY` expanded states
    (and once at the start of each depth). ``manifest``: the
    pod as given, for the reproducer (default: the plan's defaulted object). ``graph``: a
    :class:`~podfsm.rendering.stategraph.StateGraph` that records every stored state and transition, to draw.
    """
    pod_manifest = manifest if manifest is not None else plan.raw
    chosen = list(properties() if props is None else props)
    judge = Judge(chosen if check else ())
    horizon = default_horizon(plan) if horizon is None else horizon
    result = ExploreResult(checks=judge.checks)
    for p in judge.sometimes:
        result.sometimes[p.name] = False if p.applies(plan, max_restarts) else None
    pending_some = [p for p in judge.sometimes if result.sometimes[p.name] is False]
    started = time.perf_counter()

    parents: list[int] = [0]
    via: list[Event | None] = [None]
    s0 = initial(plan)
    seen: dict[tuple[Any, ...], int] = {state_key(s0, horizon): 0}

    def fail(prop: Property, where: str, idx: int, extra: Event | None = None) -> None:
        states, events = _path(parents, via, idx)
        result.path, result.path_events, result.failed_step = tuple(states), tuple(events), extra
        v = PropertyViolation.of(prop, where)
        script = [event_to_dict(e) for e in [*events, *([extra] if extra is not None else [])]]
        result.violation = v.with_trace(pod_manifest, script, "")

    def record(idx: int, s: PodState, o: Obs | None, n_enabled: int) -> None:
        assert graph is not None
        pod = o.pod if o is not None else pod_of(plan, s, None)
        removed = s.stage is PStage.REMOVED
        graph.add_state(idx, pod, t=s.t, stage=s.stage.name, removed=removed, final=removed or not n_enabled)

    def check_state(o: Obs, idx: int, hot: int) -> bool:
        """State checks on a newly stored state (the judge's); False when one fails."""
        failed = state_checks(judge, o, hot, _depth(idx), pending_some, result.sometimes)
        if failed is not None:
            fail(*failed, idx)
            return False
        return True

    depths: list[int] = [0]

    def _depth(idx: int) -> int:
        return depths[idx]

    enabled0 = enabled_events(plan, s0)
    o0: Obs | None = None
    if check:
        o0 = observe(plan, s0, None, enabled0)
    if graph is not None:
        record(0, s0, o0, len(enabled0))
    if o0 is not None:
        hot0 = judge.monitors(o0, 0)
        if not check_state(o0, 0, hot0):
            result.seconds = time.perf_counter() - started
            result.states = 1
            return result
    else:
        hot0 = 0
    if on_state is not None:
        on_state(s0)
    frontier: list[tuple[int, PodState, list[Event], int]] = [(0, s0, enabled0, hot0)]
    depth = 0
    while frontier:
        if depth >= max_depth:
            for idx, s, evs, _ in frontier:
                # A removed pod is never expanded (see the module docstring): the bound cuts nothing there.
                if evs and s.stage is not PStage.REMOVED:
                    result.cut_depth += 1
                    if graph is not None:
                        graph.mark_unexpanded(idx)
            break
        nxt_frontier: list[tuple[int, PodState, list[Event], int]] = []
        level = len(frontier)
        for done, (idx, s, evs, hot) in enumerate(frontier):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(Progress(len(parents), result.transitions, depth, done, level))
            if not evs:
                result.quiescent += 1
                continue
            if s.stage is PStage.REMOVED:
                result.removed += 1
                continue  # the object is gone from the API: nothing after it is observable
            parent_obs = observe(plan, s, None, evs) if judge.step or judge.eventually else None
            for ev in evs:
                child = step(plan, s, ev)
                result.transitions += 1
                child_obs: Obs | None = None
                if parent_obs is not None:
                    child_obs = Obs(plan, child, pod_of(plan, child, parent_obs), None)
                    bad = judge.step_failure(parent_obs, ev, child_obs)
                    if bad is not None:
                        fail(bad, step_where(ev, depth + 1, s, child), idx, ev)
                        break
                if _max_restarts(child) > max_restarts:
                    result.cut_restarts += 1
                    if graph is not None:
                        graph.add_cut(idx, ev)
                    continue
                key = state_key(child, horizon)
                known = seen.get(key)
                if known is not None:
                    if graph is not None:
                        graph.add_edge(idx, known, ev)
                    continue
                cidx = len(parents)
                seen[key] = cidx
                parents.append(idx)
                via.append(ev)
                depths.append(depth + 1)
                child_evs = enabled_events(plan, child)
                child_hot = 0
                if check:
                    if child_obs is None:
                        child_obs = Obs(plan, child, pod_of(plan, child, None), child_evs)
                    else:
                        child_obs.enabled = child_evs
                if graph is not None:
                    record(cidx, child, child_obs, len(child_evs))
                    graph.add_edge(idx, cidx, ev)
                if child_obs is not None:
                    child_hot = judge.monitors(child_obs, hot)
                    if not check_state(child_obs, cidx, child_hot):
                        break
                if on_state is not None:
                    on_state(child)
                nxt_frontier.append((cidx, child, child_evs, child_hot))
            if result.violation is not None:
                break
        if result.violation is not None:
            break
        frontier = nxt_frontier
        if frontier:
            depth += 1
    result.states = len(parents)
    result.depth = max(depths)
    result.seconds = time.perf_counter() - started
    if check:
        judge_sometimes(result, judge, pod_manifest)
    return result


def judge_sometimes(result: ExploreResult, judge: Judge, pod_manifest: dict[str, Any]) -> None:
    """After a search without a violation: a ``sometimes`` property no stored state satisfied is
    violated if the search was complete. Only a complete search shows that no reachable state
    satisfies it; in a bounded one it is not reached (:attr:`ExploreResult.not_reached`), which is
    no violation."""
    if result.violation is not None or not result.complete:
        return
    for p in judge.sometimes:
        if result.sometimes[p.name] is False:
            result.violation = PropertyViolation.of(
                p, "no reachable state satisfies it (the search was complete: no bound was hit)"
            ).with_trace(pod_manifest, [], "")
            return


def state_checks(
    judge: Judge, o: Obs, hot: int, depth: int, pending: list[Property], sometimes: dict[str, bool | None]
) -> tuple[Property, str] | None:
    """The checks on a newly stored state at ``depth``: the first failure (property, where), or
    None; the ``sometimes`` properties it witnesses are taken off ``pending`` and marked in ``sometimes``."""
    bad = judge.state_failure(o)
    if bad is not None:
        return bad, f"state at depth {depth} (t={o.t}s, phase {o.phase})"
    for p in judge.witnessed(o, pending):
        sometimes[p.name] = True
    bad = judge.unmet(o, hot)
    if bad is not None:
        return bad, f"quiescent state at depth {depth} reached without the goal (t={o.t}s)"
    return None


def step_where(ev: Event, depth: int, s: PodState, child: PodState) -> str:
    """Where a step property failed: the event into ``depth`` and the clock."""
    return f"step {ev!r} at depth {depth} (t={s.t}s → {child.t}s)"


def pod_of(plan: PodPlan, s: PodState, prev: Obs | None) -> dict[str, Any]:
    """The v1 Pod object of ``s`` (``prev``: the observation before it, whose object it updates)."""
    return pod_json(plan, s, prev.pod if prev is not None else None)


# ---------------------------------------------------------------------------------------------
# Small configurations with pinned state counts (tests/test_explorer.py)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelConfig:
    """A small pod and the bounds to explore it with (TLA+'s model config, stateright's test model)."""

    name: str
    description: str
    pod: dict[str, Any]
    max_restarts: int
    max_depth: int


def _pod(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def _c(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": f"{name}:1", "imagePullPolicy": "IfNotPresent", **extra}


MODELS: Final[dict[str, ModelConfig]] = {
    m.name: m
    for m in (
        ModelConfig(
            "single-always",
            "one container, restartPolicy Always: crash loop",
            _pod("single-always", {"restartPolicy": "Always", "containers": [_c("app")]}),
            max_restarts=3,
            max_depth=12,
        ),
        ModelConfig(
            "single-never",
            "one container, restartPolicy Never: Succeeded or Failed",
            _pod("single-never", {"restartPolicy": "Never", "containers": [_c("app")]}),
            max_restarts=0,
            max_depth=20,
        ),
        ModelConfig(
            "single-onfailure-pull-always",
            "one container, OnFailure, imagePullPolicy Always: pulls at every start",
            _pod(
                "single-onfailure",
                {"restartPolicy": "OnFailure", "containers": [_c("app", imagePullPolicy="Always")]},
            ),
            max_restarts=2,
            max_depth=14,
        ),
        ModelConfig(
            "init-then-app-never",
            "an init container then an app, restartPolicy Never (the e2e 'blocked' pod)",
            _pod(
                "init-never",
                {
                    "restartPolicy": "Never",
                    "terminationGracePeriodSeconds": 1,
                    "initContainers": [_c("fail")],
                    "containers": [_c("blocked")],
                },
            ),
            max_restarts=0,
            max_depth=18,
        ),
        ModelConfig(
            "two-inits-onfailure",
            "two init containers and an app, OnFailure: strictly in order",
            _pod(
                "two-inits",
                {
                    "restartPolicy": "OnFailure",
                    "initContainers": [_c("i1"), _c("i2")],
                    "containers": [_c("app")],
                },
            ),
            max_restarts=1,
            max_depth=12,
        ),
        ModelConfig(
            "sidecar-job",
            "a sidecar and a job container, OnFailure: the sidecar never keeps the pod alive",
            _pod(
                "sidecar-job",
                {
                    "restartPolicy": "OnFailure",
                    "terminationGracePeriodSeconds": 5,
                    "initContainers": [_c("proxy", restartPolicy="Always")],
                    "containers": [_c("job")],
                },
            ),
            max_restarts=1,
            max_depth=10,
        ),
        ModelConfig(
            "sidecar-job-deadline",
            "a log-shipping sidecar and a job container, OnFailure, activeDeadlineSeconds 10, grace 5",
            _pod(
                "sidecar-job-deadline",
                {
                    "restartPolicy": "OnFailure",
                    "terminationGracePeriodSeconds": 5,
                    "activeDeadlineSeconds": 10,
                    "initContainers": [_c("shipper", restartPolicy="Always")],
                    "containers": [_c("job")],
                },
            ),
            max_restarts=1,
            max_depth=14,
        ),
        ModelConfig(
            "two-sidecars-never",
            "two sidecars (stopped in reverse order) and an app, Never, grace 0",
            _pod(
                "two-sidecars",
                {
                    "restartPolicy": "Never",
                    "terminationGracePeriodSeconds": 0,
                    "initContainers": [_c("s1", restartPolicy="Always"), _c("s2", restartPolicy="Always")],
                    "containers": [_c("app")],
                },
            ),
            max_restarts=0,
            max_depth=10,
        ),
        ModelConfig(
            "deadline",
            "one container under Always with activeDeadlineSeconds 30",
            _pod(
                "deadline",
                {"restartPolicy": "Always", "activeDeadlineSeconds": 30, "containers": [_c("app")]},
            ),
            max_restarts=2,
            max_depth=14,
        ),
        ModelConfig(
            "readiness-gate",
            "one container under Always behind a readiness gate its controller flips",
            _pod(
                "readiness-gate",
                {
                    "restartPolicy": "Always",
                    "readinessGates": [{"conditionType": "example.com/lb"}],
                    "containers": [_c("app")],
                },
            ),
            max_restarts=0,
            max_depth=8,
        ),
        ModelConfig(
            "never-pull-missing",
            "imagePullPolicy Never with the image missing: ErrImageNeverPull for ever",
            _pod(
                "never-pull", {"restartPolicy": "Always", "containers": [_c("app", imagePullPolicy="Never")]}
            ),
            max_restarts=0,
            max_depth=20,
        ),
    )
}
