"""The reachable state graph of a search, drawn: ``podfsm explore POD_FILE --graph FILE``.

::

    graph = StateGraph(limit=100)
    result = explore(plan, graph=graph)
    svg = render_image(graph.diagram(result), "svg")   # or render_dot / render_mermaid

:func:`~podfsm.verification.explorer.explore` tells a :class:`StateGraph` every state it stores (its pod phase,
kubectl's STATUS / READY / RESTARTS, each container's state) and every transition it takes,
including those into states already stored and those cut by ``--max-restarts``.
:meth:`StateGraph.diagram` turns that into the diagrams' intermediate form
(:class:`~podfsm.rendering.diagrams.Diagram`), so the same renderers draw it (DOT, SVG, PNG, Mermaid,
Markdown), with the same escaping of everything a manifest can put in a label:

* **full** (at most ``limit`` states): one box per stored state, labelled ``#n STATUS READY
  ↻RESTARTS`` (``n``: the order the breadth-first search found it in), with each container's
  state under it; one arrow per transition, labelled with the event; boxes clustered by pod phase.
* **summary** (more states): one box per (pod phase, kubectl STATUS) group with the number of
  states in it, clustered by pod phase; one arrow per (group, group, event kind) with the number of
  transitions (``×n``).

A counterexample is drawn in red: the shortest event path from the initial state (in a summary,
through the groups its states fall in), ending in the violating state, or, for a property of a
step, in a red ✗ box reached by the offending event. The explorer's states are its visited-set
keys (times relative to now, see :mod:`podfsm.verification.explorer`), so a box stands for every state that
differs from the one drawn only by a shift in time.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from podfsm.events import Event, event_to_dict
from podfsm.oracle import kubectl_columns
from podfsm.rendering.diagrams import Diagram, Edge, Kind, Node, clean

if TYPE_CHECKING:
    from podfsm.machines.records import PodPlan
    from podfsm.verification.explorer import ExploreResult

__all__ = [
    "DEFAULT_LIMIT",
    "PHASE_KINDS",
    "StateGraph",
    "event_label",
]

DEFAULT_LIMIT: Final = 100
"""Above this many stored states ``--graph`` draws the summary (``--graph-max-states``)."""

PHASE_KINDS: Final[dict[str, Kind]] = {
    "Pending": Kind("pending", "phase Pending", "#fff4d6", "#b7791f"),
    "Running": Kind("running", "phase Running", "#dcf5e3", "#2f855a"),
    "Succeeded": Kind("succeeded", "phase Succeeded", "#e3ecfa", "#2b6cb0"),
    "Failed": Kind("failed", "phase Failed", "#fbe3e3", "#9b2c2c"),
    "": Kind("unknown", "no phase", "#f7f7f7", "#555555"),
}
"""The clusters states are drawn in, by ``status.phase``."""

_GONE: Final = Kind("gone", "removed: the API object is deleted (its last state shown)", "#e6ebf2", "#4a5568")
_BOUND: Final = Kind("bound", "beyond --max-restarts: cut, not stored", "#f7f7f7", "#888888")
_VIOLATION: Final = Kind("violation", "the property violation", "#fed7d7", "#c53030")


def event_label(ev: Event) -> str:
    """A short label of an event: its script name and values (``container_exited app 1``, ``tick 10s``)."""
    d = event_to_dict(ev)
    name = d.pop("event")
    if name == "tick":
        return f"tick {d.get('seconds', 0)}s"
    values = [",".join(map(str, v)) if isinstance(v, list) else str(v) for v in d.values()]
    return " ".join([name, *values])


def _container_text(cs: Mapping[str, Any]) -> str:
    """``name state`` of one container status: running, the waiting reason, or ``reason(exit)``."""
    state = cs.get("state") or {}
    if "running" in state:
        text = "running"
    elif "waiting" in state:
        text = str((state["waiting"] or {}).get("reason") or "waiting")
    elif "terminated" in state:
        term = state["terminated"] or {}
        text = f"{term.get('reason') or 'terminated'}({term.get('exitCode', '?')})"
    else:
        text = "-"
    return f"{cs.get('name', '')} {text}{'✓' if cs.get('ready') else ''}"


@dataclass
class StateGraph:
    """What a search saw, recorded for drawing; pass it to :func:`~podfsm.verification.explorer.explore` as ``graph``.

    Per-state labels and the transition list are kept while the search has stored at most
    ``limit`` states; past that only the groups and the counts between them are kept.
    """

    limit: int = DEFAULT_LIMIT
    states: int = 0
    group_of: list[int] = field(default_factory=list)  # per stored state
    groups: dict[tuple[str, str, bool], int] = field(default_factory=dict)  # (phase, STATUS, removed)
    group_size: list[int] = field(default_factory=list)
    group_edges: dict[tuple[int, int, str], int] = field(default_factory=dict)  # (from, to, event) -> count
    group_cuts: dict[tuple[int, str], int] = field(default_factory=dict)  # (from, event) -> count
    labels: list[tuple[str, str, str]] = field(default_factory=list)  # (label, detail, tooltip), full only
    edges: list[tuple[int, int, str]] = field(default_factory=list)  # full only
    cuts: list[tuple[int, str]] = field(default_factory=list)  # full only
    final: set[int] = field(default_factory=set)  # quiescent or removed
    unexpanded: set[int] = field(default_factory=set)  # at the depth bound

    def __post_init__(self) -> None:
        if self.limit < 0:
            raise ValueError(f"graph limit must be >= 0 (got {self.limit})")

    @property
    def full(self) -> bool:
        """Whether every stored state is drawn (else the summary)."""
        return self.states <= self.limit

    # -- recording (called by the explorer) ----------------------------------------------------

    def add_state(
        self, idx: int, pod: Mapping[str, Any], *, t: int, stage: str, removed: bool, final: bool
    ) -> None:
        """Record stored state ``idx`` (states come in index order) from its v1 Pod object."""
        if idx != self.states:
            raise ValueError(f"states must be recorded in order: expected {self.states}, got {idx}")
        status = pod.get("status") or {}
        phase = str(status.get("phase") or "")
        cols = kubectl_columns(pod)
        key = (phase, cols.status, removed)
        gid = self.groups.get(key)
        if gid is None:
            gid = self.groups[key] = len(self.groups)
            self.group_size.append(0)
        self.group_size[gid] += 1
        self.group_of.append(gid)
        self.states += 1
        if final:
            self.final.add(idx)
        if self.states > self.limit:
            if self.labels:  # just past the limit: drop what only the full drawing needs
                self.labels, self.edges, self.cuts = [], [], []
            return
        statuses = [
            *(status.get("initContainerStatuses") or ()),
            *(status.get("containerStatuses") or ()),
        ]
        label = f"#{idx} {cols.status} {cols.ready} ↻{cols.restarts}"
        detail = " · ".join(_container_text(cs) for cs in statuses)
        tooltip = f"t={t}s, stage {stage}, phase {phase or '-'}" + (
            ", removed from the API" if removed else ""
        )
        self.labels.append((label, detail, tooltip))

    def add_edge(self, source: int, target: int, ev: Event) -> None:
        """Record a transition between two stored states (``target`` already recorded)."""
        name = type(ev).NAME
        gkey = (self.group_of[source], self.group_of[target], name)
        self.group_edges[gkey] = self.group_edges.get(gkey, 0) + 1
        if self.states <= self.limit:
            self.edges.append((source, target, event_label(ev)))

    def add_cut(self, source: int, ev: Event) -> None:
        """Record a transition into a state beyond ``--max-restarts`` (not stored)."""
        gkey = (self.group_of[source], type(ev).NAME)
        self.group_cuts[gkey] = self.group_cuts.get(gkey, 0) + 1
        if self.states <= self.limit:
            self.cuts.append((source, event_label(ev)))

    def mark_unexpanded(self, idx: int) -> None:
        """State ``idx`` was stored at the depth bound and not expanded."""
        self.unexpanded.add(idx)

    # -- drawing -------------------------------------------------------------------------------

    def diagram(self, result: ExploreResult, plan: PodPlan | None = None, *, name: str = "") -> Diagram:
        """The IR of the recorded graph (full or summary), with ``result``'s counterexample in red."""
        pod_name = name or (plan.name if plan is not None else "pod")
        mode = "every state" if self.full else f"summary: {self.states:,} states in {len(self.groups)} groups"
        title = (
            f"Reachable states of pod {pod_name}: {result.states:,} states, "
            f"{result.transitions:,} transitions, depth {result.depth} ({mode})"
        )
        v = result.violation
        notes: list[str] = []
        if v is not None:
            title += f": violates {v.prop.name}"
            notes.append(f"red: the shortest path to the violation of {v.prop.name} ({v.where})")
            if not result.path:
                notes.append("(a 'sometimes' property: no reachable state witnesses it, so no path)")
        if not self.full:
            notes.append(
                f"collapsed: {self.states:,} states > --graph-max-states {self.limit}; "
                "a box per (phase, kubectl STATUS), arrows per event kind with their count"
            )
        legend: tuple[str, ...]
        if self.full:
            nodes, edges = self._full(result)
            legend = (
                "● → the initial state; a double border: no event enabled, or the pod removed",
                "a dashed border: stored at --max-depth, not expanded",
                "#n STATUS READY ↻RESTARTS as kubectl get pods shows them (n: breadth-first order);",
                "under it each container: running, its waiting reason, or reason(exit code); ✓ ready",
                "an arrow: one event the model allows (tick Ns: to the next timer)",
            )
        else:
            nodes, edges = self._summary(result)
            legend = (
                "● → the group of the initial state",
                "a box: the stored states with one pod phase and one kubectl STATUS, and how many",
                "an arrow: the transitions of one event kind between two groups (×count)",
            )
        used = {n.kind for n in nodes}
        order = [*PHASE_KINDS.values(), _GONE, _BOUND, _VIOLATION]
        return Diagram(
            name="explored",
            title=title,
            kinds=tuple(k for k in order if k.key in used),
            nodes=tuple(nodes),
            edges=tuple(edges),
            notes=tuple(notes),
            legend=legend,
            comment=f"The reachable states of pod {pod_name}, drawn by podfsm explore --graph",
            rankdir="LR",  # breadth-first depth runs left to right
        )

    def _kinds(self) -> list[str]:
        """The kind key of each group: its phase's, or gone for a removed pod."""
        return [
            _GONE.key if removed else PHASE_KINDS.get(phase, PHASE_KINDS[""]).key
            for phase, _, removed in self.groups
        ]

    def _full(self, result: ExploreResult) -> tuple[list[Node], list[Edge]]:
        path = list(result.path)
        on_path = set(path)
        path_steps = set(itertools.pairwise(path))
        kinds = self._kinds()
        nodes: list[Node] = []
        for idx, (label, detail, tooltip) in enumerate(self.labels):
            nodes.append(
                Node(
                    id=f"s{idx}",
                    label=label,
                    detail=detail,
                    kind=kinds[self.group_of[idx]],
                    initial=idx == 0,
                    final=idx in self.final,
                    tooltip=tooltip,
                    highlight=idx in on_path,
                    dashed=idx in self.unexpanded,
                )
            )
        edges: list[Edge] = []
        highlighted: set[tuple[int, int]] = set()
        for source, target, label in self.edges:
            # One arrow of the path per step: the event the path took (BFS parent links).
            hot = (source, target) in path_steps and (source, target) not in highlighted
            hot = hot and label == _path_label(result, path, source)
            if hot:
                highlighted.add((source, target))
            edges.append(Edge(f"s{source}", f"s{target}", label, highlight=hot))
        if self.cuts:
            nodes.append(Node("cut", "beyond --max-restarts", kind=_BOUND.key, dashed=True))
            edges += [Edge(f"s{source}", "cut", label) for source, label in self.cuts]
        self._violation_end(result, nodes, edges, lambda idx: f"s{idx}")
        return nodes, edges

    def _summary(self, result: ExploreResult) -> tuple[list[Node], list[Edge]]:
        path = list(result.path)
        path_groups = {self.group_of[i] for i in path}
        path_steps: dict[tuple[int, int, str], None] = {}
        for a, b in itertools.pairwise(path):
            path_steps[(self.group_of[a], self.group_of[b], _path_name(result, path, a))] = None
        initial = self.group_of[0] if self.group_of else -1
        kinds = self._kinds()
        nodes: list[Node] = []
        for gid, (phase, status, removed) in enumerate(self.groups):
            size = self.group_size[gid]
            label = f"{status}" if not removed else f"removed: {status}"
            nodes.append(
                Node(
                    id=f"g{gid}",
                    label=label or "(no status)",
                    detail=f"{size:,} state{'s' if size != 1 else ''} · phase {phase or '-'}",
                    kind=kinds[gid],
                    initial=gid == initial,
                    tooltip=f"{size:,} stored states with phase {phase or '-'} and STATUS {status}",
                    highlight=gid in path_groups,
                )
            )
        edges = [
            Edge(f"g{a}", f"g{b}", f"{ev} ×{n:,}", highlight=(a, b, ev) in path_steps)
            for (a, b, ev), n in self.group_edges.items()
        ]
        if self.group_cuts:
            nodes.append(Node("cut", "beyond --max-restarts", kind=_BOUND.key, dashed=True))
            edges += [Edge(f"g{a}", "cut", f"{ev} ×{n:,}") for (a, ev), n in self.group_cuts.items()]
        self._violation_end(result, nodes, edges, lambda idx: f"g{self.group_of[idx]}")
        return nodes, edges

    def _violation_end(
        self, result: ExploreResult, nodes: list[Node], edges: list[Edge], node_of: Any
    ) -> None:
        """For a step property: a red ✗ box after the path's last state, reached by the offending event."""
        v = result.violation
        if v is None or result.failed_step is None or not result.path:
            return
        nodes.append(Node("violation", f"✗ {v.prop.name}", kind=_VIOLATION.key, detail=clean(v.where)))
        edges.append(
            Edge(node_of(result.path[-1]), "violation", event_label(result.failed_step), highlight=True)
        )


def _path_label(result: ExploreResult, path: Sequence[int], source: int) -> str:
    """The label of the event the counterexample path takes out of ``source``."""
    at = path.index(source)
    return event_label(result.path_events[at])


def _path_name(result: ExploreResult, path: Sequence[int], source: int) -> str:
    at = path.index(source)
    return type(result.path_events[at]).NAME
