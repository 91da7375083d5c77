"""Diagrams of the machines: one intermediate form, one renderer per format.

::

    Machine table --extract()--> Diagram (the IR: kinds, states, transitions, guards, sources)
        --render_dot()-------> Graphviz DOT, through the ``graphviz`` package
        --render_mermaid()---> Mermaid ``stateDiagram-v2``
        --render_markdown()--> a Markdown table: State | Event | Guard | Target | Source
        --render_image()-----> SVG or PNG, from the DOT, by the system ``dot`` (or ``pygraphviz``)

The IR (:class:`Diagram`) knows nothing about machines: a reachable-state graph (``podfsm
explore --graph``) builds one from its own nodes (``Node("s12", "STARTED / app RUNNING",
kind="running")``), edges (``Edge("s12", "s13", "container_exited app 1")``) and kinds, and
:func:`render_dot` / :func:`render_image` draw it. Nodes have identifier ids and free-text
labels; every renderer escapes every label, so nothing a manifest or a caller puts in a label
can break or inject into DOT, Mermaid, Markdown or SVG.

**Regenerating what ``diagrams/`` holds** takes one command, from the repository root::

    podfsm diagram all -o diagrams --examples examples

With ``-o DIR`` and no ``-f`` it writes ``<machine>.dot``, ``<machine>.svg`` and
``<machine>.md`` for every machine (``-f`` picks one format instead; Mermaid files end in
``.mmd``); ``--examples DIR`` also draws the timeline of every ``DIR/<name>/`` scenario (a
manifest plus ``script.yaml``, or one pod and its node in ``scenario.yaml``) as
``timelines/<name>.svg`` (:mod:`podfsm.rendering.timeline`); ``all`` also draws the explorer's showcase
searches as ``explored/<name>`` (:data:`podfsm.verification.showcase.SHOWCASE`).
``tests/test_diagrams.py`` regenerates them and fails when they drift from the tables.

**Determinism.** States come in enum order, transitions in table order, decided pairs in
(state, event) order, so DOT, Mermaid and Markdown are byte-for-byte reproducible anywhere.
SVG is too, for one Graphviz version and one set of fonts (``dot`` measures text with the
fonts it finds): each SVG records both in a ``<!-- podfsm: ... -->`` comment, and the drift
test compares SVG bytes only where the installed Graphviz gives the same record.

**Without Graphviz** DOT, Mermaid and Markdown still work; SVG and PNG need the ``dot`` program
or the ``pygraphviz`` package (whose wheels bundle Graphviz), else :class:`GraphvizMissing`
says how to install one.
"""

from __future__ import annotations

import functools
import html
import importlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Final, cast

from podfsm.machines.container import CONTAINER
from podfsm.machines.node import NODE
from podfsm.machines.pod import POD
from podfsm.machines.probe import PROBE
from podfsm.machines.table import Machine

__all__ = [
    "COMMITTED",
    "EXTENSIONS",
    "FORMATS",
    "KINDS",
    "MACHINES",
    "OTHER",
    "REGENERATE",
    "Decision",
    "Diagram",
    "Edge",
    "GraphvizMissing",
    "Kind",
    "Node",
    "UnknownMachine",
    "clean",
    "diagram_of",
    "extract",
    "graphviz_fingerprint",
    "kind_of",
    "markdown_text",
    "mermaid_text",
    "render",
    "render_dot",
    "render_image",
    "render_markdown",
    "render_mermaid",
    "resolve",
    "svg_fingerprint",
    "write_diagrams",
    "write_files",
]

FORMATS: Final = ("svg", "png", "dot", "mermaid", "md")
"""Every output format, as ``-f`` names it."""

EXTENSIONS: Final = {"svg": ".svg", "png": ".png", "dot": ".dot", "mermaid": ".mmd", "md": ".md"}
COMMITTED: Final = ("dot", "svg", "md")
"""What ``-o DIR`` writes per machine when no ``-f`` is given (what ``diagrams/`` holds)."""

REGENERATE: Final = "podfsm diagram all -o diagrams --examples examples"
FONT: Final = "Helvetica"
INSTALL_HINT: Final = (
    "the Graphviz 'dot' program is needed for SVG and PNG and was not found: install it "
    "(apt-get install graphviz, or brew install graphviz, or pip install pygraphviz); "
    "-f dot, mermaid and md need nothing"
)

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
# XML 1.0 forbids these even as character references; lone surrogates cannot be encoded.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n|[\r\n\t\v\f\x85\u2028\u2029]")


class GraphvizMissing(RuntimeError):
    """SVG or PNG was asked for and neither the ``dot`` program nor ``pygraphviz`` is installed."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class UnknownMachine(KeyError):
    """A machine name that is not in :data:`MACHINES`; the message lists the available ones."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"no machine {self.name!r} to draw (available: {', '.join(MACHINES)}; 'all' draws every one)"


# ---------------------------------------------------------------------------------------------
# The intermediate form
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    """A group of states drawn together, in one colour, with a legend entry."""

    key: str  # identifier: the DOT cluster and the Mermaid class
    label: str
    fill: str  # "#rrggbb"
    line: str

    def __post_init__(self) -> None:
        if not _IDENT.match(self.key):
            raise ValueError(f"kind key {self.key!r}: must be an identifier")
        for colour in (self.fill, self.line):
            if not _COLOUR.match(colour):
                raise ValueError(f"kind {self.key}: colour {colour!r} must be #rrggbb")


@dataclass(frozen=True, slots=True)
class Node:
    """One state: an identifier ``id``, a free-text ``label`` and the key of its :class:`Kind`."""

    id: str
    label: str
    kind: str
    initial: bool = False
    final: bool = False
    tooltip: str = ""
    detail: str = ""  # a second, smaller line under the label
    highlight: bool = False  # drawn in red: on a counterexample path
    dashed: bool = False  # drawn with a dashed border: not expanded (a search bound)


@dataclass(frozen=True, slots=True)
class Edge:
    """One transition. ``rank`` is the row's place among the rows for one (source, event) when
    there are several (they are tried in order, the first whose guard holds fires), else 0."""

    source: str
    target: str
    event: str
    guard: str = ""  # the guard's name; "" for none
    rank: int = 0
    action: str = ""
    ref: str = ""  # where the rule comes from (kubelet function or docs anchor)
    highlight: bool = False  # drawn in red: on a counterexample path

    @property
    def guard_text(self) -> str:
        """The guard as the diagrams print it: its name, ``else`` for a guardless fallback row, or ""."""
        return self.guard or ("else" if self.rank else "")

    @property
    def label(self) -> str:
        """``EVENT #rank [guard]``, the parts that apply."""
        text = self.event + (f" #{self.rank}" if self.rank else "")
        return f"{text} [{self.guard_text}]" if self.guard_text else text


@dataclass(frozen=True, slots=True)
class Decision:
    """A (state, event) pair that has no transition: ignored (with its reason) or forbidden (with its rule)."""

    state: str
    event: str
    reason: str


@dataclass(frozen=True, slots=True)
class Diagram:
    """What every renderer draws: kinds, states (in order), transitions (in order), decided pairs."""

    name: str  # identifier: the DOT graph name
    title: str
    kinds: tuple[Kind, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    ignored: tuple[Decision, ...] = ()
    forbidden: tuple[Decision, ...] = ()
    notes: tuple[str, ...] = ()  # extra legend lines
    legend: tuple[str, ...] = ()  # the legend's reading lines, when not a machine's (a state graph)
    comment: str = ""  # the DOT comment, when not a machine's
    rankdir: str = (
        "TB"  # Graphviz layout direction: TB (machines) or LR (explored graphs: depth left to right)
    )

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not _IDENT.match(self.name):
            problems.append(f"name {self.name!r} is not an identifier")
        if self.rankdir not in ("TB", "LR"):
            problems.append(f"rankdir {self.rankdir!r} is not TB or LR")
        ids = [n.id for n in self.nodes]
        problems += [f"node id {i!r} is not an identifier" for i in ids if not _IDENT.match(i)]
        problems += [f"node id {i!r} is not unique" for i, k in Counter(ids).items() if k > 1]
        keys = {k.key for k in self.kinds}
        problems += [f"node {n.id}: unknown kind {n.kind!r}" for n in self.nodes if n.kind not in keys]
        known = set(ids)
        problems += [
            f"edge {e.source} -> {e.target}: unknown state"
            for e in self.edges
            if e.source not in known or e.target not in known
        ]
        if problems:
            raise ValueError(f"diagram {self.name!r}: " + "; ".join(problems))


# ---------------------------------------------------------------------------------------------
# The registry: which machines there are, and how their states group
# ---------------------------------------------------------------------------------------------

_AMBER = ("#fff4d6", "#b7791f")
_GREEN = ("#dcf5e3", "#2f855a")
_GREY = ("#e6ebf2", "#4a5568")
OTHER: Final = Kind("other", "other: not grouped in KINDS", "#f7f7f7", "#555555")

MACHINES: Final[dict[str, Machine[Any, Any, Any]]] = {m.name: m for m in (CONTAINER, POD, PROBE, NODE)}
"""Every machine that can be drawn, by name; ``podfsm diagram all`` draws every entry. A new machine
(``node``) slots in here and in :data:`KINDS`."""

KINDS: Final[dict[str, tuple[tuple[Kind, tuple[str, ...]], ...]]] = {
    "container": (
        (
            Kind("waiting", "waiting: the API shows state.waiting", *_AMBER),
            ("WAITING", "PULLING", "PULL_BACKOFF", "CREATING", "CREATE_ERROR", "CRASH_BACKOFF"),
        ),
        (
            Kind("running", "running: state.running (hooks, then SIGTERM, included)", *_GREEN),
            ("RUNNING", "POST_START", "PRE_STOP", "STOPPING"),
        ),
        (
            Kind("terminated", "terminated: exited, or never to be started", *_GREY),
            ("TERMINATED", "ABANDONED"),
        ),
    ),
    "pod": (
        (
            Kind("pending", "pending: phase Pending", *_AMBER),
            ("UNSCHEDULED", "UNSCHEDULABLE", "INITIALIZING"),
        ),
        (
            Kind("running", "running: containers started or being stopped", *_GREEN),
            ("STARTED", "COMPLETING", "TERMINATING"),
        ),
        (
            Kind("terminal", "terminal: phase Succeeded or Failed, or removed", *_GREY),
            ("FINISHED", "REMOVED"),
        ),
    ),
    "probe": (
        (Kind("off", "off: no running container instance", *_GREY), ("OFF",)),
        (Kind("probing", "probing: counting consecutive results", *_GREEN), ("PROBING",)),
        (
            Kind("stopped", "stopped: holding a published result, or done", *_AMBER),
            ("HOLD", "DONE"),
        ),
    ),
    "node": (
        (Kind("ready", "ready: the kubelet posts Ready=True", *_GREEN), ("READY",)),
        (
            Kind("not_ready", "not ready: Ready False, or heartbeats lost (Unknown)", *_AMBER),
            ("NOT_READY", "SILENT", "UNKNOWN"),
        ),
        (Kind("gone", "gone: the Node object is deleted", *_GREY), ("DELETED",)),
    ),
}
"""Each machine's states by kind (the groups and colours of its diagram and timeline), by state name.

Names, not enum members, so that a state renamed in a table cannot break importing podfsm;
``tests/test_diagrams.py`` checks that every state has exactly one kind and every name is a state.
A state missing here is drawn in the neutral :data:`OTHER` group."""


def kind_of(machine: str, state: str) -> Kind:
    """The kind :data:`KINDS` gives ``state`` of ``machine`` (:data:`OTHER` if none)."""
    for kind, states in KINDS.get(machine, ()):
        if state in states:
            return kind
    return OTHER


def _first_paragraph(doc: str) -> str:
    """The first paragraph of a docstring, on one line."""
    line = doc.strip().split("\n\n", 1)[0]
    return " ".join(line.split())


def extract(machine: Machine[Any, Any, Any]) -> Diagram:
    """The IR of a machine's table: states in enum order, one edge per row in table order."""
    groups = KINDS.get(machine.name, ())
    states: list[Enum] = list(cast("Iterable[Enum]", machine.states))
    events: list[Enum] = list(cast("Iterable[Enum]", machine.events))
    order = {state: i for i, state in enumerate(states)}
    nodes = tuple(
        Node(
            id=s.name,
            label=s.name,
            kind=kind_of(machine.name, s.name).key,
            initial=s is machine.initial,
            final=s in machine.finals,
        )
        for s in states
    )
    used = {n.kind for n in nodes}
    kinds = tuple(k for k, _ in groups if k.key in used) + ((OTHER,) if OTHER.key in used else ())
    per_pair = Counter((r.source, r.event) for r in machine.rows)
    seen: Counter[tuple[Any, Any]] = Counter()
    edges: list[Edge] = []
    for r in machine.rows:
        seen[(r.source, r.event)] += 1
        edges.append(
            Edge(
                source=r.source.name,
                target=r.target.name,
                event=r.event.name,
                guard=r.guard_name,
                rank=seen[(r.source, r.event)] if per_pair[(r.source, r.event)] > 1 else 0,
                action=r.action.__name__ if r.action is not None else "",
                ref=r.ref,
            )
        )

    def decided(pairs: dict[tuple[Any, Any], str]) -> tuple[Decision, ...]:
        """The pairs in (state, event) enum order."""
        ordered = sorted(pairs.items(), key=lambda kv: (order[kv[0][0]], events.index(kv[0][1])))
        return tuple(Decision(s.name, e.name, why) for (s, e), why in ordered)

    return Diagram(
        name=machine.name,
        title=_first_paragraph(machine.doc) or f"The {machine.name} machine",
        kinds=kinds,
        nodes=nodes,
        edges=tuple(edges),
        ignored=decided(dict(machine.ignored)),
        forbidden=decided(dict(machine.forbidden)),
    )


def resolve(names: Iterable[str]) -> list[str]:
    """The machine names to draw, in registry order: ``all`` (or nothing) is every one; raises :class:`UnknownMachine`."""
    wanted = list(names) or ["all"]
    for name in wanted:
        if name != "all" and name not in MACHINES:
            raise UnknownMachine(name)
    return [m for m in MACHINES if "all" in wanted or m in wanted]


def diagram_of(name: str) -> Diagram:
    """The IR of the registered machine ``name``; raises :class:`UnknownMachine`."""
    if name not in MACHINES:
        raise UnknownMachine(name)
    return extract(MACHINES[name])


# ---------------------------------------------------------------------------------------------
# Text hygiene shared by the renderers
# ---------------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """``text`` on one line, with what no XML, DOT or Mermaid source may hold replaced by U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", _NEWLINES.sub(" ", text))


def _html(text: str) -> str:
    """Text for a Graphviz HTML-like label.

    Graphviz still expands ``\\N``, ``\\G``, ``\\E``... in HTML labels, so every backslash is followed
    by an invisible word joiner (U+2060), which no escape starts with; and ``]`` is a reference,
    because Graphviz 2.43 drops one just before the label's closing ``>``.
    """
    text = html.escape(clean(text), quote=False)
    return text.replace("]", "&#93;").replace("\\", "\\\u2060")


def _esc(text: str) -> str:
    """Text for a quoted Graphviz attribute (a tooltip): never read as HTML, ``&`` literal.

    Tooltips go through Graphviz's escape processing twice, which no escaping survives in every
    version, so a backslash shows as the look-alike U+29F5.
    """
    import graphviz  # type: ignore[import-untyped]  # lazy: keeps import podfsm light (no type information)

    return cast("str", graphviz.nohtml(clean(text).replace("\\", "\u29f5").replace("&", "&amp;")))


# ---------------------------------------------------------------------------------------------
# Graphviz
# ---------------------------------------------------------------------------------------------


FAN_IN: Final = 3
"""From this many states on, rows with one label into one state meet at a junction and share one label."""


def _fan_ins(edges: Sequence[Edge]) -> dict[tuple[str, str], list[Edge]]:
    """Edges with the same target and label from at least :data:`FAN_IN` sources, by (target, label)."""
    groups: dict[tuple[str, str], list[Edge]] = {}
    for e in edges:
        if e.source != e.target:
            groups.setdefault((e.target, e.label), []).append(e)
    return {k: es for k, es in groups.items() if len({e.source for e in es}) >= FAN_IN}


def _merged(edges: Sequence[Edge]) -> list[tuple[str, str, list[Edge]]]:
    """Edges grouped by (source, target), in order of first appearance: parallel rows share one arrow."""
    groups: dict[tuple[str, str], list[Edge]] = {}
    for e in edges:
        groups.setdefault((e.source, e.target), []).append(e)
    return [(s, t, es) for (s, t), es in groups.items()]


def _tooltip(edges: Sequence[Edge]) -> str:
    """Each edge's label and source, once each, for the hover text."""
    return "; ".join(dict.fromkeys(f"{e.label}: {e.ref}" if e.ref else e.label for e in edges))


def _edge_html(e: Edge) -> str:
    """One line of an edge label; plain text, so that each line is one SVG ``<text>`` and viewers with
    other fonts than ``dot``'s cannot pull its parts apart."""
    return _html(e.label)


def _legend_html(d: Diagram) -> str:
    """The legend as an HTML-like table: a swatch per kind, then how to read states and edges."""
    rows = [f'<tr><td colspan="2"><b>{_html(f"{d.name} legend")}</b></td></tr>']
    for k in d.kinds:
        rows.append(
            f'<tr><td bgcolor="{k.fill}" width="24"> </td><td align="left">{_html(k.label)}</td></tr>'
        )
    lines = [
        *(
            d.legend
            or (
                "● → the initial state; a double border: a final state",
                "EVENT #n [guard]: rows for one event in one state are tried in order n,",
                "the first whose guard holds fires; [else]: no guard, fires when no earlier row does",
                "pairs with no arrow are ignored or forbidden: see the Markdown table",
            )
        ),
        *d.notes,
    ]
    rows += [f'<tr><td colspan="2" align="left">{_html(line)}</td></tr>' for line in lines]
    return '<<table border="0" cellborder="0" cellspacing="2" cellpadding="2">' + "".join(rows) + "</table>>"


_RED: Final = "#c53030"


def _node_marks(n: Node) -> dict[str, str]:
    """Extra attributes of a highlighted or dashed node (none for a plain one: machine diagrams stay as they were)."""
    marks: dict[str, str] = {}
    if n.highlight:
        marks["penwidth"] = "2.5"
    if n.dashed:
        marks["style"] = "rounded,filled,dashed"
    return marks


def _edge_marks(edges: Sequence[Edge]) -> dict[str, str]:
    """Extra attributes of an arrow carrying a highlighted edge."""
    if any(e.highlight for e in edges):
        return {"color": _RED, "fontcolor": _RED, "penwidth": "2"}
    return {}


def render_dot(d: Diagram) -> str:
    """Graphviz DOT: states clustered and coloured by kind, edges labelled ``EVENT #n [guard]``, a legend."""
    import graphviz  # lazy: keeps import podfsm light

    g = graphviz.Digraph(
        name=d.name,
        comment=_esc(d.comment)
        if d.comment
        else f"The {d.name} machine, generated from its table by podfsm: {REGENERATE}",
    )
    g.attr(
        "graph",
        rankdir=d.rankdir,
        fontname=FONT,
        fontsize="12",
        label=f"<<b>{_html(d.title)}</b>>",
        labelloc="t",
        nodesep="0.3",
        ranksep="0.45",
        newrank="true",
    )
    g.attr("node", fontname=FONT, fontsize="11", shape="box", style="rounded,filled", margin="0.12,0.05")
    g.attr("edge", fontname=FONT, fontsize="9", color="#4a5568", arrowsize="0.7")
    g.node("_start", label="", shape="point", width="0.12", style="filled", fillcolor="black")
    kinds = {k.key: k for k in d.kinds}
    for k in d.kinds:
        with g.subgraph(name=f"cluster_{k.key}") as c:
            c.attr(
                label=f"<<i>{_html(k.key)}</i>>",
                style="rounded,dashed",
                color=k.line,
                fontcolor=k.line,
                fontsize="10",
                labeljust="l",
            )
            for n in d.nodes:
                if n.kind == k.key:
                    c.node(
                        n.id,
                        label=f"<{_html(n.label)}>"
                        if not n.detail
                        else f'<{_html(n.label)}<br/><font point-size="9">{_html(n.detail)}</font>>',
                        fillcolor=kinds[n.kind].fill,
                        color=_RED if n.highlight else kinds[n.kind].line,
                        peripheries="2" if n.final else "1",
                        tooltip=_esc(n.tooltip or f"{n.label} ({k.label})"),
                        **_node_marks(n),
                    )
    for n in d.nodes:
        if n.initial:
            g.edge("_start", n.id)
    fan_ins = _fan_ins(d.edges)
    joined = {id(e) for es in fan_ins.values() for e in es}
    for source, target, edges in _merged([e for e in d.edges if id(e) not in joined]):
        g.edge(
            source,
            target,
            label="<" + "<br/>".join(_edge_html(e) for e in edges) + ">",
            tooltip=_esc(_tooltip(edges)),
            **_edge_marks(edges),
        )
    for i, ((target, _), edges) in enumerate(fan_ins.items()):
        junction = f"_join{i}"
        g.node(junction, label="", shape="point", width="0.06", color="#4a5568")
        for e in edges:
            g.edge(e.source, junction, arrowhead="none", tooltip=_esc(_tooltip([e])), **_edge_marks([e]))
        g.edge(
            junction,
            target,
            label=f"<{_edge_html(edges[0])}>",
            tooltip=_esc(_tooltip(edges)),
            **_edge_marks(edges),
        )
    g.node("_legend", label=_legend_html(d), shape="plaintext", style="", fontsize="9")
    return str(g.source)


# ---------------------------------------------------------------------------------------------
# Mermaid
# ---------------------------------------------------------------------------------------------

_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 _.,()\[\]=+/'-]")
_MERMAID_WORDS = frozenset({"state", "note", "direction", "class", "classdef", "end", "as", "click", "style"})


def mermaid_text(text: str) -> str:
    """``text`` for a Mermaid label: every character outside a small safe set as an entity code ``#NNN;``."""
    return "".join(c if _MERMAID_SAFE.match(c) else f"#{ord(c)};" for c in clean(text))


def _mermaid_id(node_id: str) -> str:
    """``node_id``, with ``_`` appended if it is one of Mermaid's keywords."""
    return f"{node_id}_" if node_id.lower() in _MERMAID_WORDS else node_id


def render_mermaid(d: Diagram) -> str:
    """Mermaid ``stateDiagram-v2``: one line per transition, states coloured by kind, a legend state per kind."""
    out = ["stateDiagram-v2", f"    direction {d.rankdir}"]
    out += [f"    classDef {k.key} fill:{k.fill},stroke:{k.line},color:#1a202c" for k in d.kinds]
    out += [f'    state "{mermaid_text(n.label)}" as {_mermaid_id(n.id)}' for n in d.nodes]
    out += [f"    [*] --> {_mermaid_id(n.id)}" for n in d.nodes if n.initial]
    for e in d.edges:
        out.append(f"    {_mermaid_id(e.source)} --> {_mermaid_id(e.target)} : {mermaid_text(e.label)}")
    out += [f"    {_mermaid_id(n.id)} --> [*]" for n in d.nodes if n.final]
    taken = {_mermaid_id(n.id) for n in d.nodes}
    legend = "legend"
    while any(f"{legend}_{i}" in taken for i in range(len(d.kinds))):
        legend += "_"
    for i, k in enumerate(d.kinds):  # the legend: one unconnected state per kind, in its colours
        out.append(f'    state "{mermaid_text(f"legend: {k.label}")}" as {legend}_{i}')
    for k in d.kinds:
        members = [_mermaid_id(n.id) for n in d.nodes if n.kind == k.key]
        out.append(f"    class {','.join(members)} {k.key}")
    for i, k in enumerate(d.kinds):
        out.append(f"    class {legend}_{i} {k.key}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------

_MD_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def markdown_text(text: str) -> str:
    """``text`` for a Markdown table cell: identifiers as code, else escaped (no HTML, links or cell breaks)."""
    text = clean(text)
    if not text:
        return ""
    if _MD_IDENT.match(text):
        return f"`{text}`"
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table of cells already escaped (:func:`markdown_text`); an empty cell prints as —."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c or "—" for c in row) + " |" for row in rows]
    return lines


def render_markdown(d: Diagram) -> str:
    """The transition table (State | Event | Guard | Target | Source), the kinds, then the decided pairs."""
    out = [f"## The {markdown_text(d.name)} machine", "", markdown_text(d.title), ""]
    out.append(
        "Rows for one event in one state are tried in table order (`#n`); the first whose guard "
        "holds fires, `else` when no earlier one does."
    )
    out.append("")
    labels = {n.id: markdown_text(n.label) for n in d.nodes}
    out += _table(
        ("State", "Event", "Guard", "Target", "Source"),
        (
            (
                labels[e.source],
                markdown_text(e.event),
                f"{markdown_text(e.guard_text)} (#{e.rank})" if e.rank else markdown_text(e.guard_text),
                labels[e.target],
                markdown_text(e.ref),
            )
            for e in d.edges
        ),
    )
    out += ["", "States by kind:", ""]
    for k in d.kinds:
        members = ", ".join(markdown_text(n.label) for n in d.nodes if n.kind == k.key)
        out.append(f"- {markdown_text(k.label)}: {members}")
    initial = [markdown_text(n.label) for n in d.nodes if n.initial]
    finals = [markdown_text(n.label) for n in d.nodes if n.final]
    out.append(f"- initial: {', '.join(initial) or '—'}; final: {', '.join(finals) or '—'}")
    for title, pairs in (("Ignored (the event changes nothing)", d.ignored), ("Forbidden", d.forbidden)):
        if pairs:
            out += ["", f"### {title}", ""]
            out += _table(
                ("State", "Event", "Reason" if pairs is d.ignored else "Rule"),
                (
                    (
                        labels.get(p.state) or markdown_text(p.state),
                        markdown_text(p.event),
                        markdown_text(p.reason),
                    )
                    for p in pairs
                ),
            )
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Images: SVG and PNG through Graphviz
# ---------------------------------------------------------------------------------------------

_PROBE = (
    'digraph probe { node [fontname="Helvetica" fontsize="11" shape=box]; '
    "a [label=<CRASH_BACKOFF #2 [restart_needs_pull&#93; Ww.,0>] }"
)


def _pygraphviz() -> Any:
    """The ``pygraphviz`` module, or None when it is not installed."""
    try:
        return importlib.import_module("pygraphviz")
    except ImportError:
        return None


def _run_dot(source: str, fmt: str) -> bytes:
    """``source`` laid out by ``dot`` in ``fmt``: the ``dot`` program, else ``pygraphviz``."""
    import graphviz  # lazy: keeps import podfsm light

    try:
        return bytes(graphviz.pipe("dot", fmt, source.encode("utf-8")))
    except graphviz.ExecutableNotFound:
        pgv = _pygraphviz()
        if pgv is None:
            raise GraphvizMissing() from None
        data: bytes = pgv.AGraph(string=source).draw(format=fmt, prog="dot")
        return data


@functools.cache
def graphviz_fingerprint() -> str:
    """What makes ``dot``'s SVG differ between machines: its version and how wide its fonts measure text."""
    import graphviz  # lazy: keeps import podfsm light

    try:
        version = ".".join(map(str, graphviz.version()))
    except graphviz.ExecutableNotFound:
        pgv = _pygraphviz()
        if pgv is None:
            raise GraphvizMissing() from None
        version = f"pygraphviz {pgv.__version__}"
    plain = _run_dot(_PROBE, "plain").decode("utf-8")
    width = next(line.split()[4] for line in plain.splitlines() if line.startswith("node "))
    return f"graphviz {version}; text probe {width}"


_FINGERPRINT = re.compile(r"<!-- podfsm: (.*?) -->")


def svg_fingerprint(svg: str) -> str | None:
    """The :func:`graphviz_fingerprint` an SVG written by :func:`render_image` records, if any."""
    m = _FINGERPRINT.search(svg)
    return m.group(1) if m else None


def render_image(d: Diagram, fmt: str = "svg") -> bytes:
    """SVG or PNG of :func:`render_dot`'s source; SVG records :func:`graphviz_fingerprint`. Raises :class:`GraphvizMissing`."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"render_image: format must be svg or png (got {fmt!r})")
    data = _run_dot(render_dot(d), fmt)
    if fmt == "png":
        return data
    svg = data.decode("utf-8").replace("\r\n", "\n")
    note = f"<!-- podfsm: {graphviz_fingerprint()} -->\n"
    at = svg.find("<svg")
    svg = svg[:at] + note + svg[at:] if at >= 0 else note + svg
    return svg.encode("utf-8")


def render(d: Diagram, fmt: str) -> bytes:
    """``d`` in any of :data:`FORMATS`, as bytes (text formats are UTF-8)."""
    if fmt in ("svg", "png"):
        return render_image(d, fmt)
    renderers = {"dot": render_dot, "mermaid": render_mermaid, "md": render_markdown}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return renderers[fmt](d).encode("utf-8")


def write_diagrams(names: Iterable[str], out_dir: Path, formats: Sequence[str] = COMMITTED) -> list[Path]:
    """Render every machine in ``names`` in every format into ``out_dir``; returns the files written.

    Everything is rendered before anything is written, so a missing Graphviz leaves ``out_dir`` untouched.
    """
    return write_files(((name, diagram_of(name)) for name in resolve(names)), out_dir, formats)


def write_files(drawings: Iterable[tuple[str, Diagram]], out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write each ``(stem, diagram)`` as ``out_dir/<stem><ext>`` in every format; returns the files.

    Everything is rendered before anything is written (a missing Graphviz writes nothing).
    """
    rendered = [
        (out_dir / f"{stem}{EXTENSIONS[fmt]}", render(d, fmt)) for stem, d in drawings for fmt in formats
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, data in rendered:
        path.write_bytes(data)
    return [p for p, _ in rendered]
