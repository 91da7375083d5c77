"""podfsm.machines.table: the definition checks of ``define``, totality of the real machines, and the two
ways of running a table (compiled dicts and the generated ``transitions`` machine) agreeing.

The contexts the two paths are compared on come from seeded random walks of the engine over real
pods, so the guards see plans, container records, clocks and node images the model actually
produces.
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from enum import Enum
from typing import Any

import pytest

from podfsm.api import Pod
from podfsm.engine import PodState, compile_plan, enabled_events, initial, step
from podfsm.events import (
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    HookFinished,
    ImagePulled,
    ImagePullFailed,
    Schedule,
)
from podfsm.machines.container import CONTAINER, CEvent, KillOrder
from podfsm.machines.pod import POD, PodCtx
from podfsm.machines.records import CState, Ctx, PodPlan
from podfsm.machines.table import Machine, Row, TableError, define

# ---------------------------------------------------------------------------------------------
# A toy table, valid as given; each test breaks it in one or more ways.
# ---------------------------------------------------------------------------------------------


class St(Enum):
    A = 0
    B = 1
    C = 2
    D = 3  # only used by the tests that add a state


class Ev(Enum):
    GO = 0
    STOP = 1


def ready(ctx: Any) -> bool:
    """True iff the context says so."""
    return bool(ctx)


def undocumented(ctx: Any) -> bool:
    return bool(ctx)


class St3(Enum):
    A = 0
    B = 1
    C = 2


def _toy(
    states: type[Enum] = St3,
    rows: tuple[Row[Any, Any], ...] | None = None,
    ignored: dict[tuple[Any, Any], str] | None = None,
    forbidden: dict[tuple[Any, Any], str] | None = None,
) -> Machine[Any, Any]:
    """A --GO--> B --GO--> C (final); every STOP and C/GO are ignored, unless overridden."""
    s = states
    if rows is None:
        rows = (Row(Ev.GO, s.A, s.B, ready, None, "ref-a"), Row(Ev.GO, s.B, s.C, None, None, "ref-b"))
    if ignored is None:
        ignored = {(s.A, Ev.STOP): "r", (s.B, Ev.STOP): "r", (s.C, Ev.GO): "r", (s.C, Ev.STOP): "r"}
    return define(
        "toy",
        states=states,
        events=Ev,
        initial=s.A,
        finals=(s.C,),
        rows=rows,
        ignored=ignored,
        forbidden=forbidden or {},
    )


def _problems(exc: pytest.ExceptionInfo[TableError]) -> list[str]:
    return str(exc.value).splitlines()


def test_toy_table_is_valid() -> None:
    """The unbroken toy table passes every check, so each failure below is caused by its one change."""
    m = _toy()
    assert m.fire(St3.A, Ev.GO, True) is m.rows[0]
    assert m.fire(St3.A, Ev.GO, False) is None


def test_undecided_pairs_are_all_listed() -> None:
    """Every (state, event) pair that is neither a row, an ignore nor a forbid is named in one message."""
    with pytest.raises(TableError) as exc:
        _toy(ignored={(St3.C, Ev.GO): "r"})
    problems = _problems(exc)
    for state in ("A", "B", "C"):
        assert f"toy: state {state} does not decide event STOP (add a row, an ignore or a forbid)" in problems
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("ignored", "forbidden", "kinds"),
    [
        pytest.param({(St3.A, Ev.GO): "r"}, {}, "rows and ignored", id="row+ignored"),
        pytest.param({}, {(St3.A, Ev.GO): "r"}, "rows and forbidden", id="row+forbidden"),
        pytest.param({}, {(St3.A, Ev.STOP): "r"}, "ignored and forbidden", id="ignored+forbidden"),
    ],
)
def test_pair_decided_twice_is_rejected(
    ignored: dict[tuple[Any, Any], str], forbidden: dict[tuple[Any, Any], str], kinds: str
) -> None:
    """A pair that is both a row and an ignore (or any two kinds) is an error naming both kinds."""
    base = {(St3.A, Ev.STOP): "r", (St3.B, Ev.STOP): "r", (St3.C, Ev.GO): "r", (St3.C, Ev.STOP): "r"}
    with pytest.raises(TableError) as exc:
        _toy(ignored={**base, **ignored}, forbidden=forbidden)
    pair = next(iter({**ignored, **forbidden}))
    assert _problems(exc) == [f"toy: state {pair[0].name} / event {pair[1].name} is both {kinds}"]


def test_two_pairs_decided_twice_are_both_listed() -> None:
    """Two doubly decided pairs give two lines in one TableError."""
    base = {(St3.A, Ev.STOP): "r", (St3.B, Ev.STOP): "r", (St3.C, Ev.GO): "r", (St3.C, Ev.STOP): "r"}
    with pytest.raises(TableError) as exc:
        _toy(ignored={**base, (St3.A, Ev.GO): "r", (St3.B, Ev.GO): "r"})
    assert _problems(exc) == [
        "toy: state A / event GO is both rows and ignored",
        "toy: state B / event GO is both rows and ignored",
    ]


def test_unreachable_state_is_rejected() -> None:
    """A state no row leads to from the initial state is named as unreachable (and only that)."""
    rows = (
        Row(Ev.GO, St.A, St.B, ready, None, "ref"),
        Row(Ev.GO, St.B, St.C, None, None, "ref"),
        Row(Ev.GO, St.D, St.C, None, None, "ref"),  # D can finish, but nothing enters it
    )
    ignored = {(s, Ev.STOP): "r" for s in St} | {(St.C, Ev.GO): "r"}
    with pytest.raises(TableError) as exc:
        _toy(St, rows, ignored)
    assert _problems(exc) == ["toy: unreachable states: D"]


def test_trap_state_is_rejected() -> None:
    """A reachable state from which no final state can be reached is named as a trap (and only that)."""
    rows = (
        Row(Ev.GO, St.A, St.B, ready, None, "ref"),
        Row(Ev.GO, St.B, St.C, None, None, "ref"),
        Row(Ev.STOP, St.A, St.D, None, None, "ref"),  # D is entered and never left
    )
    ignored = {(St.B, Ev.STOP): "r", (St.C, Ev.GO): "r", (St.C, Ev.STOP): "r"}
    ignored |= {(St.D, Ev.GO): "r", (St.D, Ev.STOP): "r"}
    with pytest.raises(TableError) as exc:
        _toy(St, rows, ignored)
    assert _problems(exc) == ["toy: trap states (no final state reachable): D"]


@pytest.mark.parametrize(
    "guard",
    [
        pytest.param(undocumented, id="def-without-docstring"),
        pytest.param(lambda ctx: True, id="lambda"),
    ],
)
def test_guard_without_docstring_is_rejected(guard: Any) -> None:
    """A guard without a docstring is named by its row."""
    rows = (Row(Ev.GO, St3.A, St3.B, guard, None, "ref"), Row(Ev.GO, St3.B, St3.C, None, None, "ref"))
    with pytest.raises(TableError) as exc:
        _toy(rows=rows)
    assert _problems(exc) == ["toy: row A --GO--> B: guard needs a docstring"]


def test_row_without_ref_is_rejected() -> None:
    """A row with an empty ref is named by its row."""
    rows = (Row(Ev.GO, St3.A, St3.B, ready, None, "ref"), Row(Ev.GO, St3.B, St3.C, None, None, ""))
    with pytest.raises(TableError) as exc:
        _toy(rows=rows)
    assert _problems(exc) == ["toy: row B --GO--> C: no source ref"]


def test_every_offender_in_one_message() -> None:
    """All kinds of offenders at once come back in a single TableError, one line each."""
    rows = (
        Row(Ev.GO, St.A, St.B, undocumented, None, "ref"),  # guard without docstring
        Row(Ev.GO, St.B, St.C, None, None, ""),  # no ref
        Row(Ev.STOP, St.B, St.A, None, None, "ref"),  # and B/STOP is also ignored below
    )
    # A/STOP is left undecided; D is unreachable, and a trap (it has no rows at all).
    ignored = {(St.B, Ev.STOP): "r", (St.C, Ev.GO): "r", (St.C, Ev.STOP): "r"}
    ignored |= {(St.D, Ev.GO): "r", (St.D, Ev.STOP): "r"}
    with pytest.raises(TableError) as exc:
        _toy(St, rows, ignored)
    assert sorted(_problems(exc)) == sorted(
        [
            "toy: row A --GO--> B: guard needs a docstring",
            "toy: row B --GO--> C: no source ref",
            "toy: state A does not decide event STOP (add a row, an ignore or a forbid)",
            "toy: state B / event STOP is both rows and ignored",
            "toy: unreachable states: D",
            "toy: trap states (no final state reachable): D",
        ]
    )


# ---------------------------------------------------------------------------------------------
# The real machines
# ---------------------------------------------------------------------------------------------

MACHINES = [pytest.param(CONTAINER, id="container"), pytest.param(POD, id="pod")]


@pytest.mark.parametrize("machine", MACHINES)
def test_real_machine_is_total(machine: Machine[Any, Any]) -> None:
    """Every (state, event) pair of the real machines is decided exactly once: rows, ignored or forbidden."""
    row_pairs = {(r.source, r.event) for r in machine.rows}
    for s in machine.states:
        for e in machine.events:
            kinds = [
                (s, e) in row_pairs,
                (s, e) in machine.ignored,
                (s, e) in machine.forbidden,
            ]
            assert kinds.count(True) == 1, (s.name, e.name, kinds)
    assert set(machine.compiled) == row_pairs


@pytest.mark.parametrize("machine", MACHINES)
def test_real_machine_reasons_and_refs_are_written(machine: Machine[Any, Any]) -> None:
    """Every row has a ref, every guard a docstring, every ignore a reason and every forbid a rule."""
    for r in machine.rows:
        assert r.ref.strip()
        assert r.guard is None or (r.guard.__doc__ or "").strip()
    assert all(text.strip() for text in machine.ignored.values())
    assert all(text.strip() for text in machine.forbidden.values())


@pytest.mark.parametrize("machine", MACHINES)
def test_transitions_machine_mirrors_the_rows(machine: Machine[Any, Any]) -> None:
    """The generated transitions.Machine has the table's states and exactly one transition per row."""
    tm = machine.transitions_machine()
    assert list(tm.states) == [s.name for s in machine.states]
    assert tm.initial == machine.initial.name
    generated = Counter(
        (trigger, t.source, t.dest)
        for trigger, event in tm.events.items()
        for ts in event.transitions.values()
        for t in ts
    )
    expected = Counter((r.event.name, r.source.name, r.target.name) for r in machine.rows)
    assert generated == expected
    assert sum(generated.values()) == len(machine.rows)
    # and in table order for each (source, event), since the first row whose guard holds fires
    for (source, event), rows in machine.compiled.items():
        dests = [t.dest for t in tm.events[event.name].transitions[source.name]]
        assert dests == [r.target.name for r in rows]


# ---------------------------------------------------------------------------------------------
# fire == fire_reference on contexts from random walks
# ---------------------------------------------------------------------------------------------


def _pod(restart_policy: str, pull_policy: str, *, sidecar: bool = True, deadline: int | None = None) -> Pod:
    inits: list[dict[str, Any]] = [{"name": "init", "image": "init:1", "imagePullPolicy": pull_policy}]
    if sidecar:
        inits.append(
            {"name": "side", "image": "side:1", "imagePullPolicy": pull_policy, "restartPolicy": "Always"}
        )
    return Pod.from_api(
        {
            "metadata": {"name": "walk"},
            "spec": {
                "restartPolicy": restart_policy,
                **({"activeDeadlineSeconds": deadline} if deadline else {}),
                "initContainers": inits,
                "containers": [
                    {
                        "name": "a",
                        "image": "a:1",
                        "imagePullPolicy": pull_policy,
                        "lifecycle": {
                            "postStart": {"exec": {"command": ["true"]}},
                            "preStop": {"sleep": {"seconds": 5}},
                        },
                    },
                    {
                        "name": "b",
                        "image": "init:1",
                        "imagePullPolicy": pull_policy,
                        "livenessProbe": {"periodSeconds": 5, "failureThreshold": 1},
                        "readinessProbe": {"periodSeconds": 5},
                    },
                ],
            },
        }
    )


def _walk(plan: PodPlan, rng: random.Random, length: int) -> list[PodState]:
    s = initial(plan)
    seen = [s]
    for _ in range(length):
        # a delete ends the walk: offer it only now and then
        events: list[Event] = [
            e for e in enabled_events(plan, s) if not isinstance(e, Delete) or rng.random() < 0.05
        ]
        if not events:
            break
        if s.node == "":
            events.append(Schedule(node="node-1", images=("init:1", "side:1")))
        s = step(plan, s, rng.choice(events))
        seen.append(s)
    return seen


@functools.cache
def _contexts() -> list[tuple[PodPlan, Ctx]]:
    rng = random.Random(20261123)
    out: list[tuple[PodPlan, Ctx]] = []
    evs: list[Any] = [
        None,
        KillOrder(30, "Stopping container a"),
        HookFinished("a", "preStop", "success"),
        ContainerStartFailed("a", "CreateContainerConfigError"),
        ContainerStartFailed("a", "RunContainerError"),
        ContainerExited("a", 1),
        ImagePullFailed("a"),
    ]
    for rp in ("Always", "OnFailure", "Never"):
        for pp in ("Always", "IfNotPresent", "Never"):
            plan = compile_plan(_pod(rp, pp, deadline=60 if pp == "IfNotPresent" else None))
            for length in (40, 40, 40, 60, 80, 80):
                for s in _walk(plan, rng, length):
                    for cp, c in zip(plan.containers, s.ctrs, strict=True):
                        ev = rng.choice(evs)
                        out.append(
                            (plan, Ctx(plan, cp, c, s.t + rng.choice((0, 5, 300)), ev, s.images, None))
                        )
    # no init containers: walks reach the hooks (postStart, preStop on delete) quickly
    hooks = compile_plan(
        Pod.from_api(
            {
                "metadata": {"name": "hooks"},
                "spec": {
                    "containers": [
                        {
                            "name": "a",
                            "image": "a:1",
                            "lifecycle": {
                                "postStart": {"exec": {"command": ["true"]}},
                                "preStop": {"sleep": {"seconds": 5}},
                            },
                        }
                    ]
                },
            }
        )
    )
    for _ in range(30):
        s = initial(hooks)
        for ev in (Schedule(node="n"), ImagePulled("a"), ContainerStarted("a")):
            s = step(hooks, s, ev)
            out.append(
                (hooks, Ctx(hooks, hooks.containers[0], s.ctrs[0], s.t, rng.choice(evs), s.images, None))
            )
        s = step(hooks, step(hooks, s, HookFinished("a", "postStart", "success")), Delete())
        out.append(
            (
                hooks,
                Ctx(
                    hooks,
                    hooks.containers[0],
                    s.ctrs[0],
                    s.t + rng.choice((0, 40)),
                    rng.choice(evs),
                    s.images,
                    None,
                ),
            )
        )
    return out


def test_contexts_cover_every_container_state() -> None:
    """The random walks reach every container state, so the agreement test sees every guard at work."""
    assert {ctx.c.state for _, ctx in _contexts()} == set(CState)


def test_fire_and_fire_reference_agree_on_the_container_machine() -> None:
    """For every (state, event) pair and every walk context, both paths pick the very same row (or none)."""
    for _, ctx in _contexts():
        for s in CState:
            for e in CEvent:
                assert CONTAINER.fire(s, e, ctx) is CONTAINER.fire_reference(s, e, ctx), (s, e, ctx.c)


def test_fire_and_fire_reference_agree_on_the_pod_machine() -> None:
    """For every (stage, event) pair and every walk plan, both paths pick the very same row (or none)."""
    plans = {id(plan): plan for plan, _ in _contexts()}
    plans[0] = compile_plan(
        Pod.from_api({"metadata": {"name": "x"}, "spec": {"containers": [{"name": "c"}]}})
    )
    for plan in plans.values():
        for grace, deleted, t, stopped in (
            (0, False, 0, False),
            (30, False, 10**6, True),
            (30, True, 5, False),
        ):
            ctx = PodCtx(plan, grace, 0 if deleted else -1, t=t, start_time=0, all_stopped=stopped)
            for s in POD.states:
                for e in POD.events:
                    assert POD.fire(s, e, ctx) is POD.fire_reference(s, e, ctx), (s, e)
