"""Declarative transition tables, checked when defined, run two ways.

A machine is a tuple of :class:`Row`\\ s ``(event, source, target, guard, action, ref)`` plus two
maps that make it *total* (as P's "every state decides every event"): ``ignored`` pairs, each
with the written reason the event changes nothing there, and ``forbidden`` pairs, each with the
Kubernetes rule that makes the event illegal there. :func:`define` checks the table when the
module is imported and raises :class:`TableError` listing every offender at once:

* every ``(state, event)`` pair is a row, an ignore or a forbidden pair, and only one kind;
* every state is reachable from the initial state;
* no trap states: a final state is reachable from every state (ignoring guards);
* guards are named functions with docstrings, never strings.

:class:`Machine` then runs the table either *compiled* (a dict from ``(source, event)`` to its
rows, the hot path) or through a ``transitions.Machine`` generated from the very same rows (the
reference path, and the diagrams). Rows for one ``(source, event)`` are tried in table order and
the first whose guard holds fires, in both paths; a test checks that they agree. ``transitions``
is imported when a reference machine is first built, never by ``import podfsm``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from transitions import Machine as TransitionsMachine

__all__ = ["CountingMachine", "Guard", "Machine", "Row", "TableError", "define"]

S = TypeVar("S", bound=Enum)
E = TypeVar("E", bound=Enum)
C = TypeVar("C")  # the context a table's guards and actions read (mypy checks each against it)
Guard = Callable[[C], bool]
Action = Callable[[C, Any], Any]  # (context, target state) -> the new record


class TableError(Exception):
    """A machine table that fails its definition checks; the message lists every offender."""


@dataclass(frozen=True, slots=True)
class Row(Generic[S, E, C]):
    """One transition: on ``event`` in ``source``, if ``guard`` holds, run ``action`` and go to ``target``.

    ``ref`` names the Kubernetes source of the rule (kubelet function or docs anchor).
    """

    event: E
    source: S
    target: S
    guard: Guard[C] | None
    action: Action[C] | None
    ref: str

    @property
    def guard_name(self) -> str:
        return self.guard.__name__ if self.guard is not None else ""


@dataclass(frozen=True)
class Machine(Generic[S, E, C]):
    """A checked table with its compiled form. Build it with :func:`define`."""

    name: str
    states: type[S]
    events: type[E]
    initial: S
    finals: frozenset[S]
    rows: tuple[Row[S, E, C], ...]
    ignored: Mapping[tuple[S, E], str]
    forbidden: Mapping[tuple[S, E], str]
    doc: str = ""
    compiled: dict[tuple[S, E], tuple[Row[S, E, C], ...]] = field(default_factory=dict, repr=False)

    def rows_for(self, source: S, event: E) -> tuple[Row[S, E, C], ...]:
        return self.compiled.get((source, event), ())

    def fire(self, source: S, event: E, ctx: C) -> Row[S, E, C] | None:
        """The first row for ``(source, event)`` whose guard holds for ``ctx`` (compiled path)."""
        for row in self.compiled.get((source, event), ()):
            if row.guard is None or row.guard(ctx):
                return row
        return None

    def counting(self, hits: Counter[int]) -> CountingMachine[S, E, C]:
        """This table, counting the rows it fires in ``hits`` (row index -> firings)."""
        base = {f.name: getattr(self, f.name) for f in fields(Machine)}
        return CountingMachine(**base, hits=hits, index={id(r): i for i, r in enumerate(self.rows)})

    def transitions_machine(self) -> TransitionsMachine:
        """A ``transitions.Machine`` built from the rows (states and triggers are the enum names)."""
        return _build_transitions(self)

    def fire_reference(self, source: S, event: E, ctx: C) -> Row[S, E, C] | None:
        """:meth:`fire` through ``transitions``: set the state, trigger the event, read the row that fired."""
        ref = _reference(self)
        ref.model.fired = None
        ref.model.ctx = ctx
        ref.machine.set_state(source.name, ref.model)
        trigger = getattr(ref.model, "trigger")  # noqa: B009 - the transitions API, kept inside this module
        try:
            trigger(event.name)
        except Exception as e:  # transitions.MachineError: no transition for this trigger/state
            if type(e).__name__ == "MachineError":
                return None
            raise
        fired: Row[S, E, C] | None = ref.model.fired
        if fired is not None and ref.model.state != fired.target.name:
            raise AssertionError(f"transitions moved to {ref.model.state}, the row says {fired.target.name}")
        return fired


@dataclass(frozen=True)
class CountingMachine(Machine[S, E, C]):
    """The same table, counting in ``hits`` how often each row fires (by its index in ``rows``).

    Build it with :meth:`Machine.counting`; row coverage wraps a model's tables in it.
    """

    hits: Counter[int] = field(default_factory=Counter, repr=False)
    index: dict[int, int] = field(default_factory=dict, repr=False)  # id(row) -> its position

    def fire(self, source: S, event: E, ctx: C) -> Row[S, E, C] | None:
        row = Machine.fire(self, source, event, ctx)
        if row is not None:
            self.hits[self.index[id(row)]] += 1
        return row

    def fire_reference(self, source: S, event: E, ctx: C) -> Row[S, E, C] | None:
        row = Machine.fire_reference(self, source, event, ctx)
        if row is not None:
            self.hits[self.index[id(row)]] += 1
        return row


class _RefModel:
    """The single model object the reference ``transitions.Machine`` drives."""

    def __init__(self) -> None:
        self.ctx: Any = None
        self.fired: Row[Any, Any, Any] | None = None
        self.state: str = ""


@dataclass
class _Reference:
    machine: TransitionsMachine
    model: _RefModel


_REFERENCES: dict[str, _Reference] = {}


def _build_transitions(m: Machine[Any, Any, Any], model: object | None = None) -> TransitionsMachine:
    transitions: list[dict[str, Any]] = []
    for row in m.rows:

        def condition(event_data: Any, _row: Row[Any, Any, Any] = row) -> bool:
            model_ctx = event_data.model.ctx if hasattr(event_data.model, "ctx") else None
            return _row.guard is None or bool(_row.guard(model_ctx))

        def record(event_data: Any, _row: Row[Any, Any, Any] = row) -> None:
            if hasattr(event_data.model, "fired"):
                event_data.model.fired = _row

        condition.__name__ = row.guard_name or "always"
        transitions.append(
            {
                "trigger": row.event.name,
                "source": row.source.name,
                "dest": row.target.name,
                "conditions": [condition],
                "before": [record],
            }
        )
    # lazy: keeps import podfsm light (transitions runs the reference path only)
    from transitions import Machine as TransitionsMachine

    return TransitionsMachine(
        model=model if model is not None else "self",
        states=[s.name for s in m.states],
        initial=m.initial.name,
        transitions=transitions,
        send_event=True,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )


def _reference(m: Machine[Any, Any, Any]) -> _Reference:
    ref = _REFERENCES.get(m.name)
    if ref is None:
        model = _RefModel()
        machine = _build_transitions(m, model)
        ref = _REFERENCES[m.name] = _Reference(machine, model)
    return ref


def _check(
    name: str,
    states: type[S],
    events: Iterable[E],
    initial: S,
    finals: frozenset[S],
    rows: tuple[Row[S, E, C], ...],
    ignored: Mapping[tuple[S, E], str],
    forbidden: Mapping[tuple[S, E], str],
) -> list[str]:
    problems: list[str] = []
    covered: dict[tuple[S, E], list[str]] = defaultdict(list)
    for row in rows:
        if row.guard is not None and (not callable(row.guard) or not (row.guard.__doc__ or "").strip()):
            problems.append(
                f"row {row.source.name} --{row.event.name}--> {row.target.name}: guard needs a docstring"
            )
        if not row.ref:
            problems.append(f"row {row.source.name} --{row.event.name}--> {row.target.name}: no source ref")
        if "rows" not in covered[(row.source, row.event)]:
            covered[(row.source, row.event)].append("rows")
    for pair, reason in ignored.items():
        covered[pair].append("ignored")
        if not reason.strip():
            problems.append(f"ignored {pair[0].name}/{pair[1].name} has no reason")
    for pair, rule in forbidden.items():
        covered[pair].append("forbidden")
        if not rule.strip():
            problems.append(f"forbidden {pair[0].name}/{pair[1].name} has no rule")
    for s in states:
        for e in events:
            kinds = covered.get((s, e), [])
            if not kinds:
                problems.append(
                    f"state {s.name} does not decide event {e.name} (add a row, an ignore or a forbid)"
                )
            elif len(kinds) > 1:
                problems.append(f"state {s.name} / event {e.name} is both {' and '.join(kinds)}")
    succ: dict[S, set[S]] = defaultdict(set)
    pred: dict[S, set[S]] = defaultdict(set)
    for row in rows:
        succ[row.source].add(row.target)
        pred[row.target].add(row.source)
    seen = {initial}
    todo = [initial]
    while todo:
        for nxt in succ[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    unreachable = [s.name for s in states if s not in seen]
    if unreachable:
        problems.append(f"unreachable states: {', '.join(unreachable)}")
    alive = set(finals)
    todo = list(finals)
    while todo:
        for prev in pred[todo.pop()]:
            if prev not in alive:
                alive.add(prev)
                todo.append(prev)
    traps = [s.name for s in states if s not in alive]
    if traps:
        problems.append(f"trap states (no final state reachable): {', '.join(traps)}")
    return [f"{name}: {p}" for p in problems]


def define(
    name: str,
    *,
    states: type[S],
    events: type[E],
    initial: S,
    finals: Iterable[S],
    rows: Iterable[Row[S, E, C]],
    ignored: Mapping[tuple[S, E], str] | None = None,
    forbidden: Mapping[tuple[S, E], str] | None = None,
    doc: str = "",
) -> Machine[S, E, C]:
    """Check a table (see the module docstring) and compile it; raises :class:`TableError`."""
    rows_t = tuple(rows)
    ignored = dict(ignored or {})
    forbidden = dict(forbidden or {})
    finals_f = frozenset(finals)
    problems = _check(name, states, list(events), initial, finals_f, rows_t, ignored, forbidden)
    if problems:
        raise TableError("\n".join(problems))
    compiled: dict[tuple[S, E], list[Row[S, E, C]]] = defaultdict(list)
    for row in rows_t:
        compiled[(row.source, row.event)].append(row)
    return Machine(
        name=name,
        states=states,
        events=events,
        initial=initial,
        finals=finals_f,
        rows=rows_t,
        ignored=ignored,
        forbidden=forbidden,
        doc=doc,
        compiled={k: tuple(v) for k, v in compiled.items()},
    )
