"""Machine diagrams: the IR, each renderer, the committed files in diagrams/, hostile labels, no Graphviz.

Topologies: the registered machines (``container``, ``pod``) through :func:`extract`, and small
hand-built :class:`Diagram`\\ s, so the renderers are tested without a machine (as
python-statemachine's ``test_transition_table.py`` does). The drift test regenerates diagrams/
exactly as ``podfsm diagram all -o diagrams --examples examples`` does and compares bytes: DOT
and Markdown always, SVG where the installed Graphviz gives the fingerprint the committed SVG
records (same ``dot`` version, same text measurements).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import graphviz  # type: ignore[import-untyped]
import pytest

from podfsm.cli import main
from podfsm.machines.container import CONTAINER
from podfsm.machines.pod import POD
from podfsm.machines.probe import PROBE
from podfsm.rendering import diagrams
from podfsm.rendering.diagrams import (
    KINDS,
    MACHINES,
    Decision,
    Diagram,
    Edge,
    GraphvizMissing,
    Kind,
    Node,
    UnknownMachine,
    extract,
    render_dot,
    render_image,
    render_markdown,
    render_mermaid,
)
from podfsm.verification.showcase import SHOWCASE

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "diagrams"
REGENERATE = "podfsm diagram all -o diagrams --examples examples"
SVG_NS = "{http://www.w3.org/2000/svg}"

HOSTILE = (
    'a"b',
    "x -> y",
    "<script>alert(1)</script>",
    "]]",
    "]]>",
    "%% not a comment",
    "two\nlines\r\nand a tab\tend",
    'back\\slash \\N \\G \\l and \\" quote',
    "trailing backslash \\",
    "amp &amp; &lt; #quot; #35;",
    "pipes | and `ticks` and [link](javascript:x) ![img](x)",
    "semi; colon: {brace} --> [*]",
    "<<b>html</b>>",
    "ctrl \x01\x07 nul \x00 del \x7f",
    "ünïcødé ✓",
)


def _hostile_diagram() -> Diagram:
    """Every hostile string as a node label, an event, a guard, a ref and a kind label."""
    kinds = (
        Kind("k0", HOSTILE[0], "#ffffff", "#000000"),
        Kind("k1", HOSTILE[2], "#eeeeee", "#111111"),
    )
    nodes = tuple(
        Node(f"n{i}", text, kind=f"k{i % 2}", initial=i == 0, final=i == len(HOSTILE) - 1, tooltip=text)
        for i, text in enumerate(HOSTILE)
    )
    edges = tuple(
        Edge(f"n{i}", f"n{(i + 1) % len(HOSTILE)}", event=text, guard=HOSTILE[-1 - i], ref=text)
        for i, text in enumerate(HOSTILE)
    )
    return Diagram(
        name="hostile",
        title=HOSTILE[1],
        kinds=kinds,
        nodes=nodes,
        edges=edges,
        ignored=(Decision("n0", HOSTILE[3], HOSTILE[4]),),
        forbidden=(Decision("n1", HOSTILE[5], HOSTILE[6]),),
        notes=(HOSTILE[7],),
    )


def _tiny() -> Diagram:
    """Two kinds, three states, a guarded pair of rows, a self-loop and a fan-in of three."""
    return Diagram(
        name="tiny",
        title="A tiny machine",
        kinds=(Kind("on", "on: lit", "#dcf5e3", "#2f855a"), Kind("off", "off: dark", "#e6ebf2", "#4a5568")),
        nodes=(
            Node("A", "A", "on", initial=True),
            Node("B", "B", "on"),
            Node("C", "C", "on"),
            Node("Z", "Z", "off", final=True),
        ),
        edges=(
            Edge("A", "B", "GO", "ready", rank=1, ref="ref one"),
            Edge("A", "C", "GO", "", rank=2, ref="ref two"),
            Edge("B", "B", "WAIT", "not_due", ref="ref three"),
            Edge("A", "Z", "STOP", ref="stop"),
            Edge("B", "Z", "STOP", ref="stop"),
            Edge("C", "Z", "STOP", ref="stop"),
        ),
    )


# ---- The registry and the IR ----------------------------------------------------------------


def test_registry_holds_the_machines() -> None:
    """MACHINES maps each name to its machine (container, pod, probe), in a stable order."""
    assert MACHINES["container"] is CONTAINER
    assert MACHINES["pod"] is POD
    assert MACHINES["probe"] is PROBE
    assert all(name == m.name for name, m in MACHINES.items())
    assert diagrams.resolve([]) == diagrams.resolve(["all"]) == list(MACHINES)
    assert diagrams.resolve(["pod", "container"]) == ["container", "pod"]


def test_every_state_has_exactly_one_kind() -> None:
    """Each registered machine's states are grouped in KINDS exactly once, and KINDS names no other state."""
    for name, machine in MACHINES.items():
        names = [s.name for s in machine.states]
        grouped = [s for _, states in KINDS[name] for s in states]
        missing = [s for s in names if s not in grouped]
        assert not missing, f"{name}: add {missing} to podfsm.rendering.diagrams.KINDS, then run {REGENERATE}"
        stale = [s for s in grouped if s not in names]
        assert not stale, f"{name}: {stale} in podfsm.rendering.diagrams.KINDS are no states of the machine"
        assert len(grouped) == len(set(grouped))


def test_unknown_machine_lists_the_available_ones() -> None:
    """Asking for an unregistered machine names it and lists what there is."""
    with pytest.raises(UnknownMachine) as err:
        diagrams.resolve(["scheduler"])
    assert str(err.value) == (
        f"no machine 'scheduler' to draw (available: {', '.join(MACHINES)}; 'all' draws every one)"
    )


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_extract_follows_the_table(name: str) -> None:
    """One edge per row in table order, states in enum order, decided pairs as the table has them."""
    machine = MACHINES[name]
    d = extract(machine)
    assert [n.id for n in d.nodes] == [s.name for s in machine.states]
    assert [(e.source, e.event, e.target, e.guard, e.ref) for e in d.edges] == [
        (r.source.name, r.event.name, r.target.name, r.guard_name, r.ref) for r in machine.rows
    ]
    assert [n.id for n in d.nodes if n.initial] == [machine.initial.name]
    assert {n.id for n in d.nodes if n.final} == {s.name for s in machine.finals}
    assert len(d.ignored) == len(machine.ignored) and len(d.forbidden) == len(machine.forbidden)
    assert {(p.state, p.event) for p in d.forbidden} == {(s.name, e.name) for s, e in machine.forbidden}


def test_ranks_number_the_rows_of_one_state_and_event() -> None:
    """Rows sharing (state, event) are numbered 1..n in table order; a guardless last one reads 'else'."""
    d = extract(CONTAINER)
    waiting_sync = [e for e in d.edges if (e.source, e.event) == ("WAITING", "SYNC")]
    assert [(e.rank, e.guard_text) for e in waiting_sync] == [
        (1, "never_pull_missing"),
        (2, "needs_pull"),
        (3, "else"),
    ]
    assert waiting_sync[1].label == "SYNC #2 [needs_pull]"
    single = next(e for e in d.edges if e.event == "IMAGE_PULLED")
    assert (single.rank, single.guard_text, single.label) == (0, "", "IMAGE_PULLED")


def test_ir_rejects_bad_ids_and_dangling_edges() -> None:
    """Node ids must be unique identifiers, kinds and edge ends must exist: every problem is listed."""
    kind = Kind("k", "k", "#ffffff", "#000000")
    with pytest.raises(ValueError) as err:
        Diagram(
            "d",
            "t",
            (kind,),
            (Node("a b", "x", "k"), Node("c", "x", "nope"), Node("c", "y", "k")),
            (Edge("c", "missing", "E"),),
        )
    message = str(err.value)
    for part in ("'a b' is not an identifier", "'c' is not unique", "unknown kind 'nope'", "c -> missing"):
        assert part in message
    with pytest.raises(ValueError, match="#rrggbb"):
        Kind("k", "k", "red", "#000000")


# ---- Renderers on hand-built IR ----------------------------------------------------------------


def test_dot_groups_labels_and_legend() -> None:
    """DOT: a cluster per kind, the initial arrow, double border on finals, merged parallel rows, a legend."""
    src = render_dot(_tiny())
    assert src.startswith(f"// The tiny machine, generated from its table by podfsm: {REGENERATE}\n")
    assert "subgraph cluster_on {" in src and "subgraph cluster_off {" in src
    assert "_start -> A" in src
    assert re.search(r"\tZ \[label=<Z> .*peripheries=2", src)
    assert "A -> B [label=<GO #1 [ready&#93;>" in src
    assert "A -> C [label=<GO #2 [else&#93;>" in src
    assert "B -> B [label=<WAIT [not_due&#93;>" in src
    assert "_legend [label=<<table" in src and "on: lit" in src


def test_dot_fan_in_meets_at_a_junction() -> None:
    """Three or more rows with one label into one state share a junction and a single label."""
    src = render_dot(_tiny())
    assert src.count("-> _join0 [arrowhead=none") == 3
    assert src.count("label=<STOP>") == 1
    assert "_join0 -> Z [label=<STOP>" in src


def test_mermaid_state_diagram() -> None:
    """Mermaid: stateDiagram-v2, [*] arrows, one line per row, classDefs per kind and a legend state per kind."""
    text = render_mermaid(_tiny())
    lines = text.splitlines()
    assert lines[:2] == ["stateDiagram-v2", "    direction TB"]
    assert "    [*] --> A" in lines and "    Z --> [*]" in lines
    assert "    A --> B : GO #35;1 [ready]" in lines
    assert "    A --> C : GO #35;2 [else]" in lines
    assert "    classDef on fill:#dcf5e3,stroke:#2f855a,color:#1a202c" in lines
    assert "    class A,B,C on" in lines and "    class Z off" in lines
    assert '    state "legend#58; on#58; lit" as legend_0' in lines
    assert "    class legend_0 on" in lines and "    class legend_1 off" in lines


def test_markdown_table() -> None:
    """Markdown: State | Event | Guard | Target | Source, one row per transition, then the kinds."""
    text = render_markdown(_tiny())
    assert "| State | Event | Guard | Target | Source |" in text
    assert "| `A` | `GO` | `ready` (#1) | `B` | ref one |" in text
    assert "| `A` | `GO` | `else` (#2) | `C` | ref two |" in text
    assert "| `A` | `STOP` | — | `Z` | `stop` |" in text
    assert "- on: lit: `A`, `B`, `C`" in text
    assert "- initial: `A`; final: `Z`" in text


# ---- Hostile labels ----------------------------------------------------------------------------


def _texts(svg: bytes) -> list[str]:
    """The SVG's text elements, without the invisible word joiners that keep backslashes literal."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()).replace("\u2060", "") for t in root.iter(f"{SVG_NS}text")]


def test_hostile_labels_cannot_break_dot() -> None:
    """Through dot, every hostile label comes back as its own text, and no extra node or edge appears."""
    d = _hostile_diagram()
    svg = render_image(d, "svg")
    texts = _texts(svg)
    root = ET.fromstring(svg)
    nodes = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "node"]
    edges = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "edge"]
    assert len(nodes) == len(HOSTILE) + 2  # + the initial point and the legend
    assert len(edges) == len(HOSTILE) + 1  # + the initial arrow
    for text in HOSTILE:
        assert diagrams.clean(text) in texts, text
    assert not list(root.iter(f"{SVG_NS}script")) and not list(root.iter("script"))


def test_hostile_labels_stay_inside_dot_strings() -> None:
    """In the DOT source every statement is one line; outside quoted strings no hostile markup is left."""
    src = render_dot(_hostile_diagram())
    body = src.split("\n", 1)[1]
    for line in body.splitlines():
        assert line.startswith(("\t", "}", "digraph")), line
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', body)
    assert "<script>" not in unquoted and "<<b>html" not in unquoted
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", body)


_MERMAID_LINE = re.compile(
    r"stateDiagram-v2|    direction TB|    classDef k[01] fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6},color:#1a202c"
    r'|    state "(?P<label>[^"]*)" as [A-Za-z_][A-Za-z0-9_]*'
    r"|    (\[\*\]|n[0-9]+) --> (\[\*\]|n[0-9]+)( : (?P<desc>.*))?"
    r"|    class [A-Za-z0-9_,]+ k[01]"
)
_MERMAID_SAFE_TEXT = re.compile(r"(?:[A-Za-z0-9 _.,()\[\]=+/'-]|#[0-9]+;)*")


def _unmermaid(text: str) -> str:
    return re.sub(r"#([0-9]+);", lambda m: chr(int(m.group(1))), text)


def test_hostile_labels_cannot_break_mermaid() -> None:
    """Every Mermaid line has the expected shape; labels hold only safe characters and #NNN; codes that decode back."""
    text = render_mermaid(_hostile_diagram())
    labels = []
    for line in text.splitlines():
        m = _MERMAID_LINE.fullmatch(line)
        assert m, line
        for group in ("label", "desc"):
            if m.group(group) is not None:
                assert _MERMAID_SAFE_TEXT.fullmatch(m.group(group)), line
                labels.append(_unmermaid(m.group(group)))
    for hostile in HOSTILE:
        assert diagrams.clean(hostile) in labels


def _cells(row: str) -> list[str]:
    """A Markdown table row split on unescaped pipes, as GFM does."""
    return re.split(r"(?<!\\)\|", re.sub(r"\\\\", "\x00", row))[1:-1]


def test_hostile_labels_cannot_break_markdown() -> None:
    """Each table row keeps its cell count; no raw HTML, link or code span survives from a label."""
    text = render_markdown(_hostile_diagram())
    rows = [line for line in text.splitlines() if line.startswith("|")]
    for row in rows:
        assert len(_cells(row)) in (3, 5), row
    assert "<" not in text.replace("&lt;", "")
    assert "](" not in text.replace("\\](", "")
    body = "\n".join(rows[2:])
    assert "<script>" not in body and "&lt;script&gt;" in body


# ---- Images, determinism and the committed files ----------------------------------------------


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "md", "svg"])
def test_rendering_is_deterministic(fmt: str) -> None:
    """Rendering every machine twice gives the same bytes."""
    for name in MACHINES:
        d = diagrams.diagram_of(name)
        assert diagrams.render(d, fmt) == diagrams.render(d, fmt)


def test_svg_records_its_graphviz() -> None:
    """An SVG carries the fingerprint of the Graphviz that drew it, right before <svg>."""
    svg = render_image(_tiny(), "svg").decode("utf-8")
    assert diagrams.svg_fingerprint(svg) == diagrams.graphviz_fingerprint()
    assert re.match(r"graphviz [0-9][0-9.]*; text probe [0-9.]+$", diagrams.graphviz_fingerprint())
    assert svg.index("<!-- podfsm: ") < svg.index("<svg")
    ET.fromstring(svg)


def test_png() -> None:
    """PNG comes out of dot as a PNG."""
    assert render_image(_tiny(), "png").startswith(b"\x89PNG\r\n\x1a\n")


def _regenerate(tmp_path: Path) -> Path:
    out = tmp_path / "diagrams"
    assert (
        main(["diagram", "all", "-o", str(out), "--examples", str(ROOT / "examples")], out=io.StringIO()) == 0
    )
    return out


def test_committed_diagrams_match_the_tables(tmp_path: Path) -> None:
    """diagrams/ is what the one command writes: same files; DOT, Markdown and timelines byte for byte;
    SVG byte for byte where this Graphviz gives the fingerprint the committed SVG records."""
    fresh = _regenerate(tmp_path)
    names = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*") if p.is_file())
    assert committed == names, f"diagrams/ has other files than the command writes: run {REGENERATE}"
    here = diagrams.graphviz_fingerprint()
    compared = []
    for name in names:
        if name.endswith(".svg") and not name.startswith("timelines/"):
            recorded = diagrams.svg_fingerprint((COMMITTED / name).read_text(encoding="utf-8"))
            assert recorded is not None, f"{name}: no '<!-- podfsm: ... -->' fingerprint: run {REGENERATE}"
            if recorded != here:
                continue  # another Graphviz or other fonts: the DOT comparison stands for it
        assert (COMMITTED / name).read_bytes() == (fresh / name).read_bytes(), (
            f"{name} drifted: run {REGENERATE}"
        )
        compared.append(name)
    assert {f"{m}.dot" for m in MACHINES} | {f"{m}.md" for m in MACHINES} <= set(compared)
    assert {"timelines/busybox.svg", "timelines/job-sidecar.svg"} <= set(compared)
    assert {f"explored/{c.name}.dot" for c in SHOWCASE} <= set(compared)


def test_write_diagrams_formats(tmp_path: Path) -> None:
    """-f picks one format per machine; Mermaid files end in .mmd."""
    written = diagrams.write_diagrams(["pod"], tmp_path, ("mermaid", "png"))
    assert [p.name for p in written] == ["pod.mmd", "pod.png"]
    assert (tmp_path / "pod.mmd").read_text(encoding="utf-8") == render_mermaid(diagrams.diagram_of("pod"))


def test_all_machines_to_svg_under_two_seconds(tmp_path: Path) -> None:
    """Rendering every machine to SVG takes less than 2 s (issue 6)."""
    diagrams.graphviz_fingerprint.cache_clear()
    start = time.perf_counter()
    diagrams.write_diagrams(["all"], tmp_path, ("svg",))
    assert time.perf_counter() - start < 2.0


# ---- No Graphviz -------------------------------------------------------------------------------


@pytest.fixture
def no_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the dot program nor pygraphviz, as on a fresh machine."""

    def missing(*args: Any, **kwargs: Any) -> Any:
        raise graphviz.ExecutableNotFound(("dot",))

    monkeypatch.setattr(graphviz, "pipe", missing)
    monkeypatch.setattr(graphviz, "version", missing)
    monkeypatch.setattr(diagrams, "_pygraphviz", lambda: None)
    diagrams.graphviz_fingerprint.cache_clear()
    yield
    diagrams.graphviz_fingerprint.cache_clear()


@pytest.mark.usefixtures("no_graphviz")
def test_no_graphviz_svg_says_how_to_install(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without dot, SVG exits 2 with one line naming apt-get, brew and pip, and writes nothing."""
    with pytest.raises(GraphvizMissing):
        render_image(_tiny(), "svg")
    code = main(["diagram", "all", "-o", str(tmp_path / "out")], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("podfsm: error: the Graphviz 'dot' program")
    for hint in ("apt-get install graphviz", "brew install graphviz", "pip install pygraphviz"):
        assert hint in err
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("no_graphviz")
@pytest.mark.parametrize("fmt", ["dot", "mermaid", "md"])
def test_no_graphviz_text_formats_still_work(fmt: str, tmp_path: Path) -> None:
    """Without dot, DOT, Mermaid and Markdown still render, to stdout and into -o DIR."""
    out = io.StringIO()
    assert main(["diagram", "pod", "-f", fmt], out=out) == 0
    assert out.getvalue() == diagrams.render(diagrams.diagram_of("pod"), fmt).decode("utf-8")
    assert main(["diagram", "all", "-f", fmt, "-o", str(tmp_path)], out=io.StringIO()) == 0
    ext = diagrams.EXTENSIONS[fmt]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*")) == sorted(
        [f"{m}{ext}" for m in MACHINES] + [f"explored/{c.name}{ext}" for c in SHOWCASE]
    )


@pytest.mark.usefixtures("no_graphviz")
def test_pygraphviz_stands_in_for_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the dot program, pygraphviz (whose wheels bundle Graphviz) renders instead."""
    calls: list[tuple[str, str]] = []

    class AGraph:
        def __init__(self, string: str) -> None:
            self.source = string

        def draw(self, format: str, prog: str) -> bytes:
            calls.append((format, prog))
            if format == "plain":
                return b"graph 1 1 1\nnode a 0.5 0.5 1.2345 0.3 x solid box black lightgrey\nstop\n"
            return b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n'

    monkeypatch.setattr(diagrams, "_pygraphviz", lambda: SimpleNamespace(AGraph=AGraph, __version__="1.14"))
    svg = render_image(_tiny(), "svg").decode("utf-8")
    assert diagrams.svg_fingerprint(svg) == "graphviz pygraphviz 1.14; text probe 1.2345"
    assert ("svg", "dot") in calls


# ---- The command line --------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(["diagram", *argv], out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_cli_unknown_machine(capsys: pytest.CaptureFixture[str]) -> None:
    """An unregistered machine exits 2 with one line listing the available ones."""
    code, out, err = _cli(capsys, "scheduler")
    assert (code, out) == (2, "")
    assert err == f"podfsm: error: {UnknownMachine('scheduler')}\n"


def test_cli_prints_one_format(capsys: pytest.CaptureFixture[str]) -> None:
    """Without -o: DOT by default, every machine in registry order, or the -f format."""
    code, out, _ = _cli(capsys)
    assert code == 0
    assert out == "\n".join(render_dot(diagrams.diagram_of(m)) for m in MACHINES)
    code, out, _ = _cli(capsys, "container", "-f", "md")
    assert (code, out) == (0, render_markdown(extract(CONTAINER)))
    code, out, _ = _cli(capsys, "pod", "-f", "svg")
    assert code == 0 and diagrams.svg_fingerprint(out) is not None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-f", "png"], "-f png writes files: give -o DIR"),
        (["-f", "svg"], "-f svg prints one machine: name one, or give -o DIR"),
        (["--examples", "examples"], "--examples writes files: give -o DIR"),
    ],
)
def test_cli_file_only_outputs_need_a_directory(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """PNG, SVG of several machines and --examples need -o DIR: exit 2 with one line."""
    assert _cli(capsys, *argv) == (2, "", f"podfsm: error: {message}\n")


def test_cli_writes_the_committed_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o DIR without -f writes DOT, SVG and Markdown per machine, DOT and SVG of the explorer's
    showcase searches, and lists what it wrote."""
    code, out, err = _cli(capsys, "-o", str(tmp_path))
    assert (code, err) == (0, "")
    expected = [tmp_path / f"{m}.{ext}" for m in MACHINES for ext in ("dot", "svg", "md")]
    expected += [tmp_path / "explored" / f"{c.name}.{ext}" for c in SHOWCASE for ext in ("dot", "svg")]
    assert out == "".join(f"wrote {p}\n" for p in expected)
    assert all(p.is_file() for p in expected)


def test_cli_bad_output_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An -o path that cannot be a directory exits 2 with one line."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = _cli(capsys, "pod", "-f", "dot", "-o", str(blocker / "sub"))
    assert code == 2 and err.startswith("podfsm: error: ") and err.count("\n") == 1


def test_bench_prints_the_time() -> None:
    """bench/diagrams.py runs and prints the time for all machines to SVG."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "diagrams.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.search(r"all machines to SVG: [0-9.]+ ms", done.stdout), done.stdout


def test_readme_shows_every_committed_drawing() -> None:
    """Every machine, explored graph and scenario timeline in diagrams/ is embedded or linked in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    drawings = sorted(p.relative_to(ROOT).as_posix() for p in COMMITTED.rglob("*.svg"))
    assert drawings, "diagrams/ holds no SVG"
    missing = [d for d in drawings if f"({d})" not in readme]
    assert not missing, f"README.md does not show: {missing}"


def test_node_scenarios_of_one_pod_get_a_timeline() -> None:
    """A one-pod scenario with node events (scenario.yaml) is drawn; a several-pod one is not."""
    from podfsm.rendering.timeline import run_scenario, scenarios

    names = [p.name for p in scenarios(ROOT / "examples")]
    assert "node-lost" in names and "memory-pressure" not in names
    steps = run_scenario(ROOT / "examples" / "node-lost")
    assert [s.columns.status for s in steps][-5:] == [
        "Terminating",
        "Terminating",
        "Terminating",
        "Terminating",
        "Completed",
    ]
