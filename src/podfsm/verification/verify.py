"""The property suites, runnable without pytest: ``podfsm verify`` and ``podfsm explore``.

Three suites check the registry (:mod:`podfsm.verification.invariants`) against the composed model:

``explorer``
    :func:`podfsm.verification.explorer.explore` on every configuration of :data:`podfsm.verification.explorer.MODELS`:
    exhaustive within its bounds, shortest counterexamples.
``machine``
    :class:`PodLifecycleMachine`, a Hypothesis ``RuleBasedStateMachine``: one ``@rule`` per event
    kind (every class of the event vocabulary), gated by ``@precondition`` on what the model
    enables now; one ``@invariant`` per registered ``always`` / ``always-step`` / ``eventually``
    property, generated from the registry. Failures print as a Python program (Hypothesis) and
    as a ``podfsm simulate`` script (the :class:`~podfsm.verification.invariants.PropertyViolation` message).
``bulk``
    the same checks on runs replayed from one drawn list of choices
    (:func:`podfsm.verification.strategies.replay`): several times cheaper per step than rule-based machines.

:data:`PROFILES` name the budgets: ``fast`` (CI) and ``thorough`` (on demand). Runs are
deterministic (Hypothesis ``derandomize``) unless a seed is given, and a seed reproduces a run.
Every suite takes the model to check as a value (:data:`podfsm.model.DEFAULT` unless given); on
a mutant's model (:mod:`podfsm.verification.mutants`) a violation counts against the mutant only if the real
model does not show it on the same event script (:func:`attribute_for`).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

import yaml

import podfsm.events as events_module
from podfsm.api import Pod
from podfsm.engine import PodState, compile_plan, initial, plan_for, step
from podfsm.errors import IllegalTransition
from podfsm.events import Event, event_from_dict, event_to_dict
from podfsm.kubelet.snapshot import pod_json
from podfsm.machines.container import CONTAINER, not_due
from podfsm.machines.pod import POD, PEvent, PStage
from podfsm.machines.records import CState, PodPlan
from podfsm.machines.table import Machine, Row
from podfsm.model import DEFAULT, Model
from podfsm.rendering.diagrams import EXTENSIONS, GraphvizMissing, render
from podfsm.rendering.stategraph import DEFAULT_LIMIT, StateGraph
from podfsm.simulator import load_pod
from podfsm.textsafe import print_error, render_table
from podfsm.verification import invariants, mutants
from podfsm.verification.explorer import MODELS, ExploreResult, ModelConfig, Progress, explore, gc_paused
from podfsm.verification.invariants import Judge, Kind, Obs, Property, PropertyViolation
from podfsm.verification.parallel import available_workers, explore_parallel

if TYPE_CHECKING:  # Hypothesis is imported when a suite runs, so that the CLI and import podfsm start fast
    from hypothesis import settings
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine

__all__ = [  # and PodLifecycleMachine, the default machine, built on first access
    "PROFILES",
    "Checker",
    "Profile",
    "Stats",
    "add_subcommands",
    "bulk_test",
    "make_machine",
    "profile_from_env",
    "render_reproducer",
    "run_bulk",
    "run_explorer",
    "run_machine",
    "verify",
    "violates_on_baseline",
]

JSON = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A budget for the three suites."""

    name: str
    machine_examples: int
    machine_steps: int
    bulk_examples: int
    bulk_steps: int
    explorer_extra_depth: int  # added to each model's max_depth

    def hypothesis(self, examples: int, steps: int = 50, seed_value: int | None = None) -> settings:
        """Hypothesis settings for one suite of this profile: no example database (``database=None``;
        :func:`hypothesis_files_elsewhere` keeps Hypothesis's other files out of the directory too)."""
        from hypothesis import HealthCheck, Phase, settings  # lazy: keeps import podfsm light

        return settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            derandomize=seed_value is None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.filter_too_much,
            ],
            phases=(Phase.explicit, Phase.generate, Phase.shrink),
            print_blob=False,
        )


PROFILES: Final[dict[str, Profile]] = {
    "fast": Profile(
        "fast",
        machine_examples=100,
        machine_steps=40,
        bulk_examples=250,
        bulk_steps=50,
        explorer_extra_depth=0,
    ),
    "thorough": Profile(
        "thorough",
        machine_examples=1000,
        machine_steps=60,
        bulk_examples=5000,
        bulk_steps=50,
        explorer_extra_depth=4,
    ),
}


def profile_from_env() -> tuple[Profile, int | None]:
    """The profile and seed the pytest suites use: ``PODFSM_PROFILE`` (fast|thorough, default fast)
    and ``PODFSM_SEED`` (default: derandomized)."""
    name = os.environ.get("PODFSM_PROFILE", "fast")
    if name not in PROFILES:
        raise ValueError(f"PODFSM_PROFILE must be one of {'/'.join(PROFILES)} (got {name!r})")
    text = os.environ.get("PODFSM_SEED", "")
    return PROFILES[name], int(text) if text else None


@contextmanager
def hypothesis_files_elsewhere() -> Iterator[Path]:
    """Hypothesis's own files in a temporary directory, removed at the end, not in ``.hypothesis/``
    of the current directory: ``podfsm verify`` leaves nothing behind.

    The settings keep no example database (``database=None``), but Hypothesis still caches the
    constants it reads off local modules' source (``.hypothesis/constants/``); the runs are the
    same either way. Yields the temporary directory.
    """
    # lazy: keeps import podfsm light (Hypothesis loads when a suite runs)
    from hypothesis.configuration import set_hypothesis_home_dir, storage_directory

    previous = storage_directory(intent_to_write=False).home_directory
    with tempfile.TemporaryDirectory(prefix="podfsm-hypothesis-") as home:
        set_hypothesis_home_dir(home)
        try:
            yield Path(home)
        finally:
            set_hypothesis_home_dir(previous)


# ---------------------------------------------------------------------------------------------
# Statistics and coverage
# ---------------------------------------------------------------------------------------------


@dataclass
class Stats:
    """What the suites checked and reached."""

    checks: Counter[str] = field(default_factory=Counter)  # property -> evaluations
    examples: Counter[str] = field(default_factory=Counter)  # suite -> runs (examples, models)
    steps: Counter[str] = field(default_factory=Counter)  # suite -> transitions
    seconds: dict[str, float] = field(default_factory=dict)
    abstract_states: set[tuple[Any, ...]] = field(default_factory=set)  # (stage, container states)
    rows: dict[str, Counter[int]] = field(default_factory=dict)  # machine -> row index -> firings
    sometimes: set[str] = field(default_factory=set)  # witnessed sometimes properties
    violations: list[PropertyViolation] = field(default_factory=list)
    baseline_findings: list[PropertyViolation] = field(
        default_factory=list
    )  # shared with the unmutated model

    def saw(self, s: PodState) -> None:
        self.abstract_states.add((s.stage, tuple(c.state for c in s.ctrs)))


def counting(model: Model, stats: Stats) -> Model:
    """``model`` with its container and pod tables counting the rows they fire into ``stats.rows``
    (keyed by the table's name without a mutant's suffix): row coverage is a model value too."""
    tables = {}
    for name in ("container", "pod"):
        table: Machine[Any, Any, Any] = getattr(model, name)
        hits = stats.rows.setdefault(table.name.split("[")[0], Counter())
        tables[name] = table.counting(hits)
    return model.replace(**tables)


def _row_text(row: Row[Any, Any, Any]) -> str:
    guard = f" [{row.guard_name}]" if row.guard_name else ""
    return f"{row.event.name} {row.source.name} -> {row.target.name}{guard}"


def unreached_rows(stats: Stats, profile: str = "fast", model: Model = DEFAULT) -> list[tuple[str, str, str]]:
    """``(machine, row, reason)`` for every row of ``model``'s tables no run fired (``profile``: the
    one that ran)."""
    hint = " (try --profile thorough)" if profile != "thorough" else ""
    reached_cstates = {c for _, cs in stats.abstract_states for c in cs}
    reached_stages = {stage for stage, _ in stats.abstract_states}
    out = []
    tables: list[tuple[Machine[Any, Any, Any], set[Any]]] = [
        (model.container, reached_cstates),
        (model.pod, reached_stages),
    ]
    for machine, reached in tables:
        name = machine.name.split("[")[0]
        hits = stats.rows.get(name, Counter())
        for i, row in enumerate(machine.rows):
            if hits[i]:
                continue
            if row.guard is not_due and row.target is row.source and row.action is None:
                reason = "the engine skips a SYNC that only waits for the container's timer (engine._TIMED); the row documents it"
            elif row.event is PEvent.KUBELET_EVICT:
                reason = "node-pressure eviction is the node machine's (podfsm.cluster, tests/test_cluster.py); the single-pod suites do not drive it"
            elif row.source not in reached:
                reason = f"its source state {row.source.name} was never reached"
            else:
                reason = (
                    f"{row.source.name} was reached, but never with this event and guard in this run" + hint
                )
            out.append((name, _row_text(row), reason))
    return out


# ---------------------------------------------------------------------------------------------
# Reproducers
# ---------------------------------------------------------------------------------------------


def render_reproducer(pod: JSON, script: Sequence[JSON]) -> str:
    """The pod and the event script, as files for ``podfsm simulate`` and as Python."""
    pod_yaml = yaml.safe_dump(pod, sort_keys=False, default_flow_style=False).rstrip()
    script_yaml = (
        yaml.safe_dump(list(script), sort_keys=False, default_flow_style=None, width=200).rstrip() or "[]"
    )
    evs = [event_from_dict(e) for e in script]
    names = sorted({type(e).__name__ for e in evs})
    lines = [
        "pod.yaml:",
        *("    " + line for line in pod_yaml.splitlines()),
        "script.yaml (replay: podfsm simulate pod.yaml script.yaml):",
        *("    " + line for line in script_yaml.splitlines()),
        "Python:",
        "    import podfsm",
        f"    from podfsm.events import {', '.join(names)}" if names else "    # no events",
        f"    sim = podfsm.Simulator(podfsm.Pod.from_api({pod!r}))",
        "    for event in [",
        *(f"        {e!r}," for e in evs),
        "    ]:",
        "        sim.apply(event)",
    ]
    return "\n".join(lines)


def violation_text(v: PropertyViolation) -> str:
    """The violation's header with its reproducer (none for a ``sometimes`` property: no state to
    reach satisfies it, so there is no path to show)."""
    head = str(v.args[0]).split("\npod.yaml:")[0]
    if v.prop.kind is Kind.SOMETIMES and not v.script:
        return head
    return head + "\n" + render_reproducer(v.pod, v.script)


Attribute = Callable[[PropertyViolation], bool]


def violates_on_baseline(prop: Property, pod: JSON, script: Sequence[JSON]) -> bool:
    """Whether the real model (:data:`podfsm.model.DEFAULT`) violates ``prop`` somewhere along ``script``."""
    plan = compile_plan(Pod.from_api(pod), model=DEFAULT)
    checker = Checker(plan, pod, props=[prop])
    try:
        for e in script:
            checker.apply(event_from_dict(e))
    except PropertyViolation:
        return True
    except IllegalTransition:
        return False
    return checker.quiescent_violation() is not None


def attribute_for(model: Model) -> Attribute | None:
    """Which violations count against ``model``: every one for the real model (``None``); for
    another (a mutant), only those the real model does not show on the same script."""
    if model is DEFAULT:
        return None

    def attribute(v: PropertyViolation) -> bool:
        return not violates_on_baseline(v.prop, v.pod, v.script)

    return attribute


# ---------------------------------------------------------------------------------------------
# The checker: one run of the model with every property
# ---------------------------------------------------------------------------------------------


class Checker:
    """One run of the model judged against the registry's properties (:class:`~podfsm.verification.invariants.Judge`,
    the explorer's judge too).

    :meth:`apply` steps the model and checks every ``always-step`` property on the step, every
    ``always`` property on the new state and advances the ``eventually`` monitors; it raises
    :class:`PropertyViolation` (with the reproducer attached) on the first failure that
    ``attribute`` accepts (``None``: every one; :func:`attribute_for` a mutant); the others are
    recorded in ``stats.baseline_findings`` and their property is left out of the rest of the run.
    """

    def __init__(
        self,
        plan: PodPlan,
        pod: JSON,
        props: Sequence[Property] | None = None,
        stats: Stats | None = None,
        attribute: Attribute | None = None,
        check_now: bool = True,
    ) -> None:
        self.props = list(invariants.properties() if props is None else props)
        self.plan = plan
        self.pod = pod
        self.stats = stats
        self.attribute = attribute
        self.judge = Judge(self.props, stats.checks if stats is not None else None)
        self.events: list[Event] = []
        self.state = initial(plan)
        self.prev: Obs | None = None
        self.last_event: Event | None = None
        self.obs = invariants.observe(plan, self.state)
        self.hot = self.judge.monitors(self.obs, 0)
        self.ignored: set[str] = set()  # properties whose violation the baseline shares
        self._cands: list[Event] | None = None
        if stats is not None:
            stats.saw(self.state)
        if check_now:
            self.check_all_state()

    # -- what may happen ----------------------------------------------------------------------

    def candidates(self) -> list[Event]:
        """The events a run may apply now (see :func:`podfsm.verification.strategies.candidates`)."""
        if self._cands is None:
            from podfsm.verification.strategies import candidates  # lazy: it imports Hypothesis

            self._cands = candidates(self.plan, self.state, self.obs.enabled)
        return self._cands

    def candidates_of(self, kind: type[Event]) -> list[Event]:
        return [e for e in self.candidates() if type(e) is kind]

    # -- stepping -----------------------------------------------------------------------------

    def apply(self, event: Event, *, check: bool = True) -> None:
        """Step the model with ``event`` and check everything (unless ``check`` is False)."""
        nxt = step(self.plan, self.state, event)
        self.events.append(event)
        self.prev = self.obs
        self.last_event = event
        self.state = nxt
        self._cands = None
        self.obs = Obs(self.plan, nxt, pod_json(self.plan, nxt, self.prev.pod), None)
        self.hot = self.judge.monitors(self.obs, self.hot)
        if self.stats is not None:
            self.stats.saw(nxt)
        if check and not self.prev.removed:  # after the object is gone there is nothing to observe
            self.check_all_step()
            self.check_all_state()
            if self.stats is not None:
                pending = [p for p in self.judge.sometimes if p.name not in self.stats.sometimes]
                self.stats.sometimes.update(p.name for p in self.judge.witnessed(self.obs, pending))

    # -- checks -------------------------------------------------------------------------------

    def violation(self, prop: Property, where: str) -> PropertyViolation | None:
        """The violation of ``prop`` to report, or ``None`` when the real model shares it (recorded
        in ``stats.baseline_findings``; the judge then leaves the property out of this run)."""
        v = PropertyViolation.of(prop, where)
        script = [event_to_dict(e) for e in self.events]
        v.with_trace(self.pod, script, render_reproducer(self.pod, script))
        if self.attribute is not None and not self.attribute(v):
            self.ignored.add(prop.name)
            was_hot = {p.name for bit, p in enumerate(self.judge.eventually) if self.hot & (1 << bit)}
            self.judge = Judge([p for p in self.props if p.name not in self.ignored], self.judge.checks)
            self.hot = sum(1 << bit for bit, p in enumerate(self.judge.eventually) if p.name in was_hot)
            if self.stats is not None and all(x.prop is not prop for x in self.stats.baseline_findings):
                self.stats.baseline_findings.append(v)
            return None
        return v

    def where(self) -> str:
        return f"after step {len(self.events)} (t={self.state.t}s, phase {self.obs.phase}, STATUS {self.obs.columns.status})"

    def fresh(self) -> Checker:
        """A new run of the same pod (this one has ended): the properties the real model shares a
        violation of in this run stay left out."""
        nxt = Checker(
            self.plan,
            self.pod,
            [p for p in self.props if p.name not in self.ignored],
            self.stats,
            self.attribute,
        )
        nxt.ignored |= self.ignored
        return nxt

    def quiescent_violation(self) -> Property | None:
        """The ``eventually`` property owed its goal now that the run has ended here, if any."""
        return self.judge.unmet(self.obs, self.hot)

    def check_all_state(self) -> None:
        """Every ``always`` property on the current state, and the ``eventually`` monitors."""
        while (bad := self.judge.state_failure(self.obs)) is not None:
            self._raise(bad, self.where())
        while (bad := self.judge.unmet(self.obs, self.hot)) is not None:
            self._raise(bad, "the run ended (no event enabled) without the goal; " + self.where())

    def check_all_step(self) -> None:
        """Every ``always-step`` property on the last step."""
        prev, event = self.prev, self.last_event
        if prev is None or event is None:
            return
        while (bad := self.judge.step_failure(prev, event, self.obs)) is not None:
            self._raise(bad, f"step {event!r}, " + self.where())

    def _raise(self, prop: Property, where: str) -> None:
        """Raise the violation of ``prop``, unless the real model shares it (then the judge drops it)."""
        v = self.violation(prop, where)
        if v is not None:
            raise v


# ---------------------------------------------------------------------------------------------
# The rule-based machine
# ---------------------------------------------------------------------------------------------


def _ident(name: str) -> str:
    return name.replace("-", "_").replace(".", "_")


def event_kinds() -> list[type[Event]]:
    """Every event class of the vocabulary (``podfsm.events``), in its order."""
    kinds: dict[str, type[Event]] = getattr(events_module, "EVENT_TYPES")  # noqa: B009 - read at call time
    return list(kinds.values())


def _print_events_as_python() -> None:
    """Make Hypothesis print events with their own ``repr`` (valid Python: ``Tick(seconds=10)``);
    its dataclass printer would list the ``NAME`` class variable as an argument."""
    from hypothesis.vendor.pretty import for_type_by_name  # lazy: keeps import podfsm light

    def printer(obj: Any, p: Any, cycle: bool) -> None:
        p.text(repr(obj))

    todo: list[type[Event]] = [Event]
    while todo:  # every event class, those added to the vocabulary later included
        cls = todo.pop()
        for_type_by_name(cls.__module__, cls.__name__, printer)
        todo.extend(cls.__subclasses__())


def make_machine(
    pods: st.SearchStrategy[JSON] | None = None,
    *,
    name: str = "PodLifecycleMachine",
    stats: Stats | None = None,
    props: Sequence[Property] | None = None,
    attribute: Attribute | None = None,
    model: Model = DEFAULT,
) -> type[RuleBasedStateMachine]:
    """:class:`podfsm.verification.lifecycle_machine.PodLifecycleMachine` with another pod strategy, model,
    properties, statistics or attribution: a subclass that sets its class attributes."""
    # lazy: keeps import podfsm light (the machine imports Hypothesis)
    from podfsm.verification.lifecycle_machine import PodLifecycleMachine

    _print_events_as_python()
    overrides: dict[str, Any] = {"model": model, "props": props, "stats": stats, "attribute": attribute}
    if pods is not None:
        overrides["pods"] = pods
    machine: type[RuleBasedStateMachine] = type(name, (PodLifecycleMachine,), overrides)
    return machine


_MACHINE: type[RuleBasedStateMachine] | None = None


def __getattr__(name: str) -> Any:
    """``PodLifecycleMachine``: the default machine, built on first use (Hypothesis loads lazily)."""
    global _MACHINE
    if name == "PodLifecycleMachine":
        if _MACHINE is None:
            _MACHINE = make_machine()
        return _MACHINE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------------------------
# Running the suites
# ---------------------------------------------------------------------------------------------


@contextmanager
def _collecting(stats: Stats) -> Iterator[None]:
    """Record every (shrunk) :class:`PropertyViolation` a Hypothesis run raises (one, or a group of
    distinct ones) in ``stats.violations``, then raise the first."""
    try:
        yield
    except PropertyViolation as v:
        stats.violations.append(v)
        raise
    except BaseExceptionGroup as group:
        _, rest = group.split(PropertyViolation)
        if rest is not None:
            raise
        found = [e for e in _leaves(group) if isinstance(e, PropertyViolation)]
        stats.violations.extend(found)
        raise found[0] from group


def _leaves(group: BaseExceptionGroup[Any]) -> Iterator[BaseException]:
    for e in group.exceptions:
        if isinstance(e, BaseExceptionGroup):
            yield from _leaves(e)
        else:
            yield e


def run_machine(
    profile: Profile,
    seed_value: int | None = None,
    stats: Stats | None = None,
    model: Model = DEFAULT,
    attribute: Attribute | None = None,
) -> None:
    """The rule-based machine under ``profile``; records every (shrunk) violation in ``stats``
    and raises the first :class:`PropertyViolation`."""
    # lazy: keeps import podfsm light
    from hypothesis import seed
    from hypothesis.stateful import run_state_machine_as_test

    stats = stats if stats is not None else Stats()
    machine = make_machine(stats=stats, model=model, attribute=attribute)
    if seed_value is not None:
        machine = seed(seed_value)(machine)
    started = time.perf_counter()
    try:
        with _collecting(stats):
            run_state_machine_as_test(
                machine,
                settings=profile.hypothesis(profile.machine_examples, profile.machine_steps, seed_value),
            )
    finally:
        stats.seconds["machine"] = stats.seconds.get("machine", 0.0) + time.perf_counter() - started


def pod_families() -> dict[str, st.SearchStrategy[JSON]]:
    """The pod strategies the bulk suite draws from: ``sidecars`` (up to two sidecars and an init
    container in any order, pods that can finish, short grace periods, no probes or hooks: where
    termination ordering lives), ``any`` (every knob of :func:`podfsm.verification.strategies.pod_specs`,
    probes, hooks, tolerations and readiness gates included) and ``gated`` (app containers only,
    no probes, often behind a readiness gate: pods that reach Ready, where the gates matter)."""
    from podfsm.verification.strategies import (
        pod_specs,  # lazy: keeps import podfsm light (it imports Hypothesis)
    )

    return {
        "sidecars": pod_specs(
            max_init=1,
            max_sidecars=2,  # a third sidecar makes an init container that fails behind one rarer
            restart_policies=("OnFailure", "Never", "Never"),
            grace_periods=(0, 1, 5),
            deadlines=(None, 15),
        ),
        "any": pod_specs(probes=True, hooks=True, tolerations=True, readiness_gates=True),
        "gated": pod_specs(
            max_init=0,
            max_sidecars=0,
            restart_policies=("Always", "OnFailure"),
            deadlines=(None, 15),  # a deadline within reach: its kill window, a start completing in it
            readiness_gates=True,
        ),
    }


def bulk_test(
    profile: Profile,
    seed_value: int | None = None,
    stats: Stats | None = None,
    pods: st.SearchStrategy[JSON] | None = None,
    attribute: Attribute | None = None,
    model: Model = DEFAULT,
) -> Callable[[], None]:
    """The bulk suite on one pod strategy (default: the ``any`` family) as a Hypothesis test
    function: call it to run it."""
    # lazy: keeps import podfsm light (Hypothesis, and podfsm.verification.strategies, which imports it)
    from hypothesis import given, seed
    from hypothesis import strategies as st

    from podfsm.verification.strategies import swarms

    pod_strategy = pods if pods is not None else pod_families()["any"]

    # One byte per step (0-255, as choice indices): one draw for the whole sequence instead of
    # one per step, shrinking towards 0 (the model's own first activity) all the same.
    @given(
        pod=pod_strategy,
        picks=st.binary(min_size=profile.bulk_steps, max_size=profile.bulk_steps),
        avoid=swarms(),
    )
    def check_bulk(pod: JSON, picks: bytes, avoid: frozenset[str]) -> None:
        run_picks(pod, picks, stats, attribute, avoid, model)
        _collect_now_and_then()

    test = profile.hypothesis(profile.bulk_examples, profile.bulk_steps, seed_value)(check_bulk)
    if seed_value is not None:
        test = seed(seed_value)(test)
    return test


_COLLECT_EVERY: Final = 64
_examples_since_collect = 0


def _collect_now_and_then() -> None:
    """With the cyclic collector paused for a bulk run (16% of its time; what existed before is
    frozen out of it), collect the cycles Hypothesis leaves (about 0.1 MB an example) every
    :data:`_COLLECT_EVERY` examples, so memory stays bounded in a long run."""
    global _examples_since_collect
    _examples_since_collect += 1
    if _examples_since_collect >= _COLLECT_EVERY and not gc.isenabled():
        _examples_since_collect = 0
        gc.collect()


def run_picks(
    pod: JSON,
    picks: Sequence[int],
    stats: Stats | None = None,
    attribute: Attribute | None = None,
    avoid: Collection[str] = (),
    model: Model = DEFAULT,
) -> Checker:
    """Replay ``picks`` (indices into the candidates) on ``pod`` with every property checked,
    avoiding the event kinds in ``avoid`` while others are possible (swarm testing). Every pick is
    a step: when the pod's run ends (no event enabled, or the object removed) the same pod is
    created anew and the remaining picks drive it; the last run's checker is returned."""
    plan = plan_for(pod, None, model, lambda: compile_plan(Pod.from_api(pod), model=model))
    checker = Checker(plan, pod, stats=stats, attribute=attribute)
    if stats is not None:
        stats.examples["bulk"] += 1
    from podfsm.verification.strategies import candidate_groups, pick_event  # lazy: it imports Hypothesis

    for pick in picks:
        if checker.obs.quiescent or checker.obs.removed:
            checker = checker.fresh()
        checker.apply(
            pick_event(candidate_groups(checker.plan, checker.state, checker.obs.enabled), pick, avoid)
        )
        if stats is not None:
            stats.steps["bulk"] += 1
    return checker


def run_bulk(
    profile: Profile,
    seed_value: int | None = None,
    stats: Stats | None = None,
    model: Model = DEFAULT,
    attribute: Attribute | None = None,
    workers: int = 1,
) -> None:
    """The bulk suite under ``profile``, on every pod family; records every (shrunk) violation in
    ``stats`` and raises the first :class:`PropertyViolation`. ``workers`` > 1 spreads the
    families over that many forked processes (:func:`_bulk_in_processes`)."""
    stats = stats if stats is not None else Stats()
    families = list(pod_families().values())
    started = time.perf_counter()
    try:
        with gc_paused():  # collected every _COLLECT_EVERY examples instead (_collect_now_and_then)
            if workers > 1 and len(families) > 1 and "fork" in mp.get_all_start_methods():
                _bulk_in_processes(families, workers, profile, seed_value, stats, model, attribute)
            else:
                with _collecting(stats):
                    for pods in families:
                        bulk_test(profile, seed_value, stats, pods, attribute, model)()
    finally:
        stats.seconds["bulk"] = stats.seconds.get("bulk", 0.0) + time.perf_counter() - started


# A violation as it crosses a process boundary: (family, property, where, detail, pod, script, message).
_Sent = tuple[int, str, str, str, JSON, list[dict[str, Any]], str]


def _bulk_in_processes(
    families: list[st.SearchStrategy[JSON]],
    workers: int,
    profile: Profile,
    seed_value: int | None,
    stats: Stats,
    model: Model,
    attribute: Attribute | None,
) -> None:
    """The bulk suite with family ``i`` run by forked process ``i`` mod ``workers``; each process
    stops at its first violation, as one process does. The counts, the rows reached and the
    violations come back and are added to ``stats``; the first violation in family order is raised."""
    ctx = mp.get_context("fork")
    procs, conns = [], []
    for w in range(min(workers, len(families))):
        parent, child = ctx.Pipe()
        mine = list(range(w, len(families), workers))
        proc = ctx.Process(
            target=_bulk_child, args=(child, mine, families, profile, seed_value, stats, model, attribute)
        )
        proc.start()
        child.close()
        procs.append(proc)
        conns.append(parent)
    sent: list[_Sent] = []
    baseline: list[_Sent] = []
    failure = ""
    for conn in conns:
        try:
            reply = conn.recv()
        except (EOFError, OSError):
            reply = ("error", "it ended without answering (killed by the system?)")
        if reply[0] == "error":
            failure = failure or reply[1]
            continue
        _, counts, rows, states, witnessed, found, shared = reply
        for name in ("checks", "examples", "steps"):
            getattr(stats, name).update(counts[name])
        for table, hits in rows.items():
            stats.rows.setdefault(table, Counter()).update(hits)
        stats.abstract_states |= states
        stats.sometimes |= witnessed
        sent.extend(found)
        baseline.extend(shared)
    for proc in procs:
        proc.join()
    if failure:
        raise RuntimeError(f"a bulk-suite process failed: {failure}")
    for item in sorted(baseline, key=lambda v: v[0]):
        v = _received(item)
        if all(x.prop is not v.prop for x in stats.baseline_findings):
            stats.baseline_findings.append(v)
    violations = [_received(item) for item in sorted(sent, key=lambda v: v[0])]
    stats.violations.extend(violations)
    if violations:
        raise violations[0]


def _bulk_child(
    conn: Any,
    mine: list[int],
    families: list[st.SearchStrategy[JSON]],
    profile: Profile,
    seed_value: int | None,
    stats: Stats,
    model: Model,
    attribute: Attribute | None,
) -> None:
    """One process of :func:`_bulk_in_processes`: this process's copy of ``stats`` starts empty
    (the counting model's row counters are its ``rows``: cleared in place, not replaced)."""
    try:
        counters: list[Counter[Any]] = [stats.checks, stats.examples, stats.steps, *stats.rows.values()]
        for counter in counters:
            counter.clear()
        stats.abstract_states.clear()
        stats.sometimes.clear()
        stats.violations.clear()
        stats.baseline_findings.clear()
        found: list[_Sent] = []
        shared: list[_Sent] = []
        for i in mine:
            before = len(stats.baseline_findings)
            try:
                with _collecting(stats):
                    bulk_test(profile, seed_value, stats, families[i], attribute, model)()
            except PropertyViolation:
                found.extend(_sendable(i, v) for v in stats.violations)
                break
            finally:
                shared.extend(_sendable(i, v) for v in stats.baseline_findings[before:])
        conn.send(
            (
                "stats",
                {"checks": stats.checks, "examples": stats.examples, "steps": stats.steps},
                stats.rows,
                stats.abstract_states,
                stats.sometimes,
                found,
                shared,
            )
        )
    except BaseException as e:  # the parent raises it
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def _sendable(family: int, v: PropertyViolation) -> _Sent:
    return (family, v.prop.name, v.where, v.detail, v.pod, v.script, str(v))


def _received(item: _Sent) -> PropertyViolation:
    _, name, where, detail, pod, script, message = item
    v = PropertyViolation.of(invariants.get(name), where, detail)
    v.pod, v.script = pod, script
    v.args = (message,)
    return v


def run_explorer(
    profile: Profile,
    stats: Stats | None = None,
    models: Sequence[ModelConfig] | None = None,
    stop_at_first: bool = False,
    model: Model = DEFAULT,
    attribute: Attribute | None = None,
) -> list[tuple[ModelConfig, ExploreResult]]:
    """:func:`podfsm.verification.explorer.explore` on each model (each search stops at its first violation);
    ``stop_at_first``: skip the remaining models after a violation attributed to the model under test."""
    stats = stats if stats is not None else Stats()
    out = []
    for m in MODELS.values() if models is None else models:
        plan = compile_plan(Pod.from_api(m.pod), model=model)
        result = explore(
            plan,
            max_depth=m.max_depth + profile.explorer_extra_depth,
            max_restarts=m.max_restarts,
            on_state=stats.saw,
            manifest=m.pod,
        )
        stats.examples["explorer"] += 1
        stats.steps["explorer"] += result.transitions
        stats.seconds["explorer"] = stats.seconds.get("explorer", 0.0) + result.seconds
        for name, n in result.checks.items():
            stats.checks[name] += n
        stats.sometimes.update(k for k, v in result.sometimes.items() if v)
        out.append((m, result))
        v = result.violation
        if v is not None:
            v.with_trace(v.pod, v.script, render_reproducer(v.pod, v.script))
            if v.script and attribute is not None and not attribute(v):
                if all(x.prop is not v.prop for x in stats.baseline_findings):
                    stats.baseline_findings.append(v)
                continue
            stats.violations.append(v)
            if stop_at_first:
                break
    return out


# ---------------------------------------------------------------------------------------------
# podfsm verify
# ---------------------------------------------------------------------------------------------

_SUITES: Final = ("explorer", "machine", "bulk")


def verify(
    profile: Profile,
    seed_value: int | None = None,
    suites: Sequence[str] = _SUITES,
    stop_early: bool = False,
    model: Model = DEFAULT,
    witnesses: Sequence[ModelConfig] = (),
    workers: int = 1,
) -> Stats:
    """Run the suites on ``model`` (explorer, then the machine, then bulk), counting the table rows
    they fire; violations land in ``stats.violations`` (the explorer stops at its first, after the
    ``witnesses`` explored first; each Hypothesis suite reports its first, shrunk). On a model other
    than :data:`podfsm.model.DEFAULT` a violation the real model shares is a baseline finding.
    ``workers``: processes for the bulk suite's pod families."""
    stats = Stats()
    counted = counting(model, stats)
    attribute = attribute_for(model)
    for suite in suites:
        if suite == "explorer":
            configs = [*witnesses, *MODELS.values()]
            run_explorer(profile, stats, configs, stop_early, counted, attribute)
        else:
            with suppress(PropertyViolation):  # recorded in stats.violations
                if suite == "machine":
                    run_machine(profile, seed_value, stats, counted, attribute)
                else:
                    run_bulk(profile, seed_value, stats, counted, attribute, workers)
        if stats.violations and stop_early:
            break
    return stats


def render_summary(stats: Stats, profile: Profile, seed_value: int | None, out: TextIO) -> None:
    """The summary table: properties checked, examples run, states and rows covered, unreached rows."""
    failed = {v.prop.name for v in stats.violations}
    shared = {v.prop.name for v in stats.baseline_findings}
    rows = []
    for p in invariants.properties():
        if p.kind is Kind.SOMETIMES:
            result = "witnessed" if p.name in stats.sometimes else "NOT REACHED"
        else:
            result = "VIOLATED" if p.name in failed else "also fails unmutated" if p.name in shared else "ok"
        rows.append((p.name, str(p.kind), f"{stats.checks[p.name]:,}", result))
    out.write(render_table(("PROPERTY", "KIND", "CHECKS", "RESULT"), rows))
    unreached = not_reached(stats)
    if unreached:
        out.write(
            f"sometimes NOT REACHED by any suite within its bounds: {', '.join(unreached)} "
            "(not a violation: a longer run may reach them)\n"
        )
    out.write(f"pending (not checkable yet): {', '.join(invariants.PENDING) or 'none'}\n\n")
    suite_rows = [
        (
            suite,
            f"{stats.examples[suite]:,}",
            f"{stats.steps[suite]:,}",
            f"{stats.seconds.get(suite, 0.0):.1f}s",
        )
        for suite in _SUITES
        if stats.examples[suite] or stats.steps[suite]
    ]
    out.write(render_table(("SUITE", "EXAMPLES", "STEPS", "TIME"), suite_rows))
    seed_text = f"seed {seed_value}" if seed_value is not None else "derandomized"
    out.write(f"profile {profile.name}, {seed_text}\n")
    cstates = {c for _, cs in stats.abstract_states for c in cs}
    stages = {stage for stage, _ in stats.abstract_states}
    c_hits = stats.rows.get(CONTAINER.name, Counter())  # keyed by the real tables' names
    p_hits = stats.rows.get(POD.name, Counter())
    out.write(
        f"covered: {len(stats.abstract_states):,} abstract states (stage × container states); "
        f"container states {len(cstates)}/{len(CState)}, pod stages {len(stages)}/{len(PStage)}; "
        f"table rows: container {sum(1 for i in range(len(CONTAINER.rows)) if c_hits[i])}/{len(CONTAINER.rows)}, "
        f"pod {sum(1 for i in range(len(POD.rows)) if p_hits[i])}/{len(POD.rows)}\n"
    )
    missing = unreached_rows(stats, profile.name)
    if missing:
        out.write("table rows never reached:\n")
        for machine, row, reason in missing:
            out.write(f"  {machine}: {row}: {reason}\n")
    for v in stats.baseline_findings:
        out.write(
            f"note: {v.prop.name!r} also fails on the unmutated model (a model finding, not the mutant's)\n"
        )


def not_reached(stats: Stats) -> list[str]:
    """The registry's ``sometimes`` properties no suite witnessed (not violations)."""
    return [
        p.name for p in invariants.properties() if p.kind is Kind.SOMETIMES and p.name not in stats.sometimes
    ]


def _expected_break(mutant: mutants.Mutant) -> str:
    """Whether the property the mutant targets fails on its witness (explorer, that property only)."""
    w = mutant.witness
    r = explore(
        compile_plan(Pod.from_api(w.pod), model=mutant.model),
        max_depth=w.max_depth,
        max_restarts=w.max_restarts,
        props=[invariants.get(mutant.breaks)],
        manifest=w.pod,
    )
    if r.violation is None:
        return f"the targeted property {mutant.breaks!r} holds on the witness within its bounds"
    script = " ; ".join(
        " ".join([str(e["event"]), *(f"{k}={v}" for k, v in e.items() if k != "event")])
        for e in r.violation.script
    )
    return (
        f"the targeted property {mutant.breaks!r} fails too, after {len(r.violation.script)} events: {script}"
    )


def _mutant_option(name: str) -> mutants.Mutant | None:
    """The mutant ``--mutant NAME`` names; None (after a one-line error) when there is none."""
    try:
        return mutants.get(name)
    except mutants.UnknownMutant as e:
        print_error(f"podfsm: error: --mutant: {e.args[0]}")
        return None


def _cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    if args.list_mutants:
        rows = [(m.name, m.breaks, m.description) for m in mutants.MUTANTS.values()]
        out.write(render_table(("MUTANT", "BREAKS", "DESCRIPTION"), rows))
        return 0
    profile = PROFILES[args.profile]
    workers = available_workers() if args.workers is None else args.workers
    if not 1 <= workers <= 1024:
        print_error(f"podfsm: error: --workers must be 1..1024 (got {workers})")
        return 2
    if args.mutant:
        mutant = _mutant_option(args.mutant)
        if mutant is None:
            return 2
        if args.output == "text":
            out.write(f"mutant {mutant.name}: {mutant.description} (should break {mutant.breaks!r})\n")
        with hypothesis_files_elsewhere():
            stats = verify(
                profile,
                args.seed,
                stop_early=True,
                model=mutant.model,
                witnesses=[mutant.witness],
                workers=workers,
            )
    else:
        with hypothesis_files_elsewhere():
            stats = verify(profile, args.seed, workers=workers)
    if args.output == "json":
        record = {
            "profile": profile.name,
            "seed": args.seed,
            "mutant": args.mutant,
            "checks": dict(stats.checks),
            "examples": dict(stats.examples),
            "steps": dict(stats.steps),
            "abstract_states": len(stats.abstract_states),
            "not_reached": not_reached(stats),
            "unreached_rows": [
                {"machine": m, "row": r, "reason": why} for m, r, why in unreached_rows(stats, profile.name)
            ],
            "violations": [
                {"property": x.prop.name, "where": x.where, "pod": x.pod, "script": x.script}
                for x in stats.violations
            ],
        }
        out.write(json.dumps(record) + "\n")
    else:
        render_summary(stats, profile, args.seed, out)
        for found in stats.violations:
            out.write("\n" + violation_text(found) + "\n")
        if args.mutant and mutants.get(args.mutant).breaks not in {x.prop.name for x in stats.violations}:
            out.write("\n" + _expected_break(mutants.get(args.mutant)) + "\n")
    if stats.violations:
        names = ", ".join(sorted({x.prop.name for x in stats.violations}))
        print_error(f"podfsm: property violated: {names}")
        return 1
    if args.mutant:
        print_error(f"podfsm: mutant {args.mutant!r} survived: no property caught it")
    return 0


# ---------------------------------------------------------------------------------------------
# podfsm explore
# ---------------------------------------------------------------------------------------------


class ProgressLine:
    """``podfsm explore``'s progress on a stream (stderr): nothing for the first ``after`` seconds,
    then a line every ``every`` seconds, ``explored 120,000 states, 150,000 transitions, depth 9,
    frontier 3,200/8,500``; redrawn in place with ``\\r`` on a TTY, one line each otherwise.

    Pass it as :func:`~podfsm.verification.explorer.explore`'s ``progress``. The clock (``time.monotonic``)
    only decides *when* a line is written; what is written, and stdout, are logical counts.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        after: float = 3.0,
        every: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        try:
            self.tty = stream.isatty()
        except (OSError, ValueError):  # closed: _write finds out and goes quiet
            self.tty = False
        self.every = every
        self.clock = clock
        self.due = clock() + after
        self.width = 0  # of the line drawn on a TTY, to clear it

    def __call__(self, p: Progress) -> None:
        now = self.clock()
        if now < self.due:
            return
        self.due = now + self.every
        line = (
            f"explored {p.states:,} states, {p.transitions:,} transitions, depth {p.depth}, "
            f"frontier {p.frontier_done:,}/{p.frontier:,}"
        )
        text = "\r" + line.ljust(self.width) if self.tty else line + "\n"
        self._write(text)
        if self.tty:
            self.width = len(line)

    def _write(self, text: str) -> None:
        """Progress is a courtesy: a stderr that fails (closed, full) silences it, not the search."""
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.due = float("inf")
            self.width = 0

    def close(self) -> None:
        """Clear the line drawn on a TTY."""
        if self.tty and self.width:
            self._write("\r" + " " * self.width + "\r")
            self.width = 0


_GRAPH_FORMATS: Final = {ext: fmt for fmt, ext in EXTENSIONS.items()}
"""``--graph`` file suffix -> diagram format (.svg .png .dot .mmd .md)."""


def _cmd_explore(args: argparse.Namespace, out: TextIO) -> int:
    for option, value in (("--max-depth", args.max_depth), ("--max-restarts", args.max_restarts)):
        if value < 0:
            print_error(f"podfsm: error: {option} must be >= 0 (got {value})")
            return 2
    pod = load_pod(args.pod_file)
    graph: StateGraph | None = None
    graph_format = ""
    if args.graph is not None:
        graph_format = _GRAPH_FORMATS.get(Path(args.graph).suffix.lower(), "")
        if not graph_format:
            print_error(
                f"podfsm: error: --graph {args.graph}: the file name must end in one of "
                f"{', '.join(_GRAPH_FORMATS)} (the format is taken from it)"
            )
            return 2
        if not Path(args.graph).parent.is_dir():
            print_error(f"podfsm: error: --graph {args.graph}: no directory {Path(args.graph).parent}")
            return 2
        if args.graph_max_states < 0:
            print_error("podfsm: error: --graph-max-states must be >= 0")
            return 2
        graph = StateGraph(limit=args.graph_max_states)
    props = None
    if args.property:
        try:
            props = [invariants.get(name) for name in args.property]
        except KeyError as e:
            print_error(f"podfsm: error: --property: {e.args[0]}")
            return 2
    mutant = _mutant_option(args.mutant) if args.mutant else None
    if args.mutant and mutant is None:
        return 2
    workers = args.workers
    if workers is not None and (workers < 1 or workers > 1024):
        print_error(f"podfsm: error: --workers must be 1..1024 (got {workers})")
        return 2
    if workers is not None and workers > 1 and graph is not None:
        print_error("podfsm: error: --graph draws the search of one process: use --workers 1 or leave it out")
        return 2
    if workers is None:
        workers = 1 if graph is not None else available_workers()
    plan = compile_plan(pod, model=DEFAULT if mutant is None else mutant.model)
    shown = None if args.quiet or sys.stderr is None else ProgressLine(sys.stderr)
    search: dict[str, Any] = {
        "max_depth": args.max_depth,
        "max_restarts": args.max_restarts,
        "props": props,
        "check": not args.no_check,
        "progress": shown,
        "manifest": pod.to_api(),
    }
    try:
        if workers > 1:
            result = explore_parallel(plan, workers=workers, **search)
        else:
            result = explore(plan, graph=graph, **search)
    finally:
        if shown is not None:
            shown.close()
    v = result.violation
    bounds = _bounds_hit(result, args)
    drawn = ""
    if graph is not None:
        try:
            data = render(graph.diagram(result, plan), graph_format)
            Path(args.graph).write_bytes(data)
        except (GraphvizMissing, OSError) as e:
            print_error(f"podfsm: error: --graph {args.graph}: {e}")
            return 2
        drawn = (
            f"graph: {args.graph} (every state)"
            if graph.full
            else f"graph: {args.graph} (summary: {len(graph.groups)} groups; more than "
            f"--graph-max-states {graph.limit} states)"
        )
    if args.output == "json":
        record: dict[str, Any] = {
            "states": result.states,
            "transitions": result.transitions,
            "depth": result.depth,
            "seconds": round(result.seconds, 3),
            "states_per_second": round(result.rate),
            "workers": workers,
            "complete": result.complete,
            "cut_depth": result.cut_depth,
            "cut_restarts": result.cut_restarts,
            "quiescent": result.quiescent,
            "sometimes": result.sometimes,
            "not_reached": result.not_reached,
            "violation": None
            if v is None
            else {"property": v.prop.name, "kind": str(v.prop.kind), "where": v.where, "script": v.script},
        }
        if graph is not None:
            record["graph"] = {
                "file": args.graph,
                "mode": "full" if graph.full else "summary",
                "groups": len(graph.groups),
            }
        out.write(json.dumps(record) + "\n")
    else:
        bound = (
            "complete"
            if result.complete
            else f"bounded (depth {args.max_depth}, restarts {args.max_restarts})"
        )
        out.write(
            f"{result.states:,} states, {result.transitions:,} transitions, depth {result.depth}, "
            f"{result.seconds:.2f}s, {result.rate:,.0f} states/s"
            f"{f' ({workers} workers)' if workers > 1 else ''}, {bound}\n"
        )
        out.write(
            f"states are counted by the visited-set key (times relative to now; see podfsm.verification.explorer); "
            f"{result.quiescent:,} quiescent, {result.cut_depth:,} cut at the depth bound, "
            f"{result.cut_restarts:,} successors cut by --max-restarts\n"
        )
        if not args.no_check:
            n_checked = sum(1 for n in result.checks.values() if n)
            witnessed = sorted(k for k, ok in result.sometimes.items() if ok)
            out.write(
                f"{n_checked} properties checked; sometimes witnessed: {', '.join(witnessed) or 'none'}\n"
            )
            for name in result.not_reached:
                out.write(f"{name}: NOT REACHED (within {bounds})\n")
        if drawn:
            out.write(drawn + "\n")
        if v is not None:
            out.write("\n" + violation_text(v).replace("pod.yaml:", f"pod ({args.pod_file}):", 1) + "\n")
        out.write(_verdict(result, bounds, args.no_check) + "\n")
    if v is not None:
        print_error(f"podfsm: property violated: {v.prop.name}")
        return 1
    return 0


def _bounds_hit(result: ExploreResult, args: argparse.Namespace) -> str:
    """The options whose bound cut the search: ``--max-depth 8``, ``--max-restarts 1``, or both."""
    hit = []
    if result.cut_depth:
        hit.append(f"--max-depth {args.max_depth}")
    if result.cut_restarts:
        hit.append(f"--max-restarts {args.max_restarts}")
    return " and ".join(hit)


def _verdict(result: ExploreResult, bounds: str, no_check: bool) -> str:
    """The last line of ``podfsm explore``'s text output: what the exit code says."""
    v = result.violation
    if no_check:
        return "result: states counted, no property checked (--no-check)"
    if v is not None:
        return f"result: VIOLATED: {v.prop.name} ({v.prop.kind})"
    unreached = result.not_reached
    if unreached:
        n = len(unreached)
        return (
            f"result: no violation; {n} sometimes propert{'y' if n == 1 else 'ies'} NOT REACHED within "
            f"{bounds}, which is not a violation (a deeper search may reach {'it' if n == 1 else 'them'})"
        )
    return "result: no violation"


def add_subcommands(sub: Any) -> None:
    """Register ``podfsm verify`` and ``podfsm explore`` on the CLI's subparsers."""
    ver = sub.add_parser(
        "verify",
        help="run the property suites (explorer, rule-based machine, bulk)",
        description="Check every registered property with the explorer and the Hypothesis suites; "
        "summarize properties, examples, states and table rows covered.",
    )
    ver.add_argument("--profile", choices=tuple(PROFILES), default="fast")
    ver.add_argument("--seed", type=int, help="Hypothesis seed (default: derandomized, the same every run)")
    ver.add_argument("--mutant", metavar="NAME", help="run the suites against a deliberately wrong model")
    ver.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes for the bulk suite's pod families (default: the cores available)",
    )
    ver.add_argument("--list-mutants", action="store_true", help="list the mutants and exit")
    ver.add_argument("-o", "--output", choices=("text", "json"), default="text")
    ver.set_defaults(func=_cmd_verify)

    exp = sub.add_parser(
        "explore",
        help="breadth-first search over every reachable state of a pod",
        description="Explore every state of POD_FILE reachable under the events the model allows "
        "(time jumps to the next due timer), checking every property; exit 1 with the shortest "
        "event script on a violation.",
    )
    exp.add_argument("pod_file", metavar="POD_FILE", help="a Pod or a workload (YAML or JSON)")
    exp.add_argument(
        "--max-restarts",
        type=int,
        default=2,
        metavar="K",
        help="bound on any container's restartCount (default 2)",
    )
    exp.add_argument(
        "--max-depth", type=int, default=30, metavar="D", help="bound on the number of events (default 30)"
    )
    exp.add_argument(
        "--property", action="append", metavar="NAME", help="check only this property (repeatable)"
    )
    exp.add_argument("--no-check", action="store_true", help="only count states")
    exp.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes to search with (default: the cores available; 1 with --graph); the same "
        "states and the same shortest counterexample as one process",
    )
    exp.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress lines on stderr (by default a search longer than 3 s reports every 3 s)",
    )
    exp.add_argument(
        "--mutant",
        metavar="NAME",
        help="explore a deliberately wrong model (podfsm verify --list-mutants) to see a counterexample",
    )
    exp.add_argument(
        "--graph",
        metavar="FILE",
        help="draw the reachable state graph (format from the suffix: .svg .png .dot .mmd .md), "
        "the counterexample path in red",
    )
    exp.add_argument(
        "--graph-max-states",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"above N stored states draw a summary: states grouped by pod phase and kubectl STATUS "
        f"(default {DEFAULT_LIMIT})",
    )
    exp.add_argument("-o", "--output", choices=("text", "json"), default="text")
    exp.set_defaults(func=_cmd_explore)
