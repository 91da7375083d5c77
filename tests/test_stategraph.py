"""podfsm.rendering.stategraph and ``podfsm explore --graph``: every state and transition drawn, the summary
past the limit, the counterexample path in red, hostile text escaped, formats and errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from podfsm.api import Pod
from podfsm.cli import main
from podfsm.engine import compile_plan
from podfsm.events import ContainerExited, Tick
from podfsm.model import DEFAULT, Model
from podfsm.rendering import diagrams
from podfsm.rendering.diagrams import Diagram, render_dot, render_image, render_mermaid
from podfsm.rendering.stategraph import StateGraph, event_label
from podfsm.verification import mutants
from podfsm.verification.explorer import MODELS, ExploreResult, explore

SVG_NS = "{http://www.w3.org/2000/svg}"
NEVER = MODELS["single-never"]


def _plan(pod: dict[str, Any]) -> Any:
    return compile_plan(Pod.from_api(pod))


def _explore(
    pod: dict[str, Any], limit: int, model: Model = DEFAULT, **bounds: Any
) -> tuple[StateGraph, ExploreResult, Diagram]:
    plan = compile_plan(Pod.from_api(pod), model=model)
    graph = StateGraph(limit=limit)
    result = explore(plan, graph=graph, **bounds)
    return graph, result, graph.diagram(result, plan)


def _has_dot() -> bool:
    try:
        diagrams.graphviz_fingerprint()
    except diagrams.GraphvizMissing:
        return False
    return True


needs_dot = pytest.mark.skipif(not _has_dot(), reason="neither the dot program nor pygraphviz is installed")


def test_event_labels() -> None:
    """Edges are labelled with the event's script name and values."""
    assert event_label(Tick(10)) == "tick 10s"
    assert event_label(ContainerExited("app", 1)) == "container_exited app 1"


def test_full_graph_has_every_state_and_transition() -> None:
    """Within the limit: one node per stored state, one edge per transition (cut ones go to one 'cut' node)."""
    graph, r, d = _explore(MODELS["single-always"].pod, 10_000, max_depth=6, max_restarts=1)
    assert graph.full and r.violation is None
    states = [n for n in d.nodes if n.id.startswith("s")]
    assert len(states) == r.states == graph.states
    assert len(d.edges) == r.transitions
    assert [n.id for n in d.nodes if n.initial] == ["s0"]
    assert {n.id for n in d.nodes if n.dashed} - {"cut"} == {f"s{i}" for i in graph.unexpanded}
    assert len(graph.unexpanded) == r.cut_depth
    assert not any(n.highlight for n in d.nodes) and not any(e.highlight for e in d.edges)
    assert {n.kind for n in states} <= {"pending", "running", "succeeded", "failed", "gone"}
    s0 = d.nodes[0]
    assert s0.label == "#0 Pending 0/1 ↻0" and s0.detail == ""  # no status yet: nothing under it


def test_cut_transitions_go_to_the_bound_node() -> None:
    """Successors beyond --max-restarts are drawn as arrows into one dashed 'cut' node."""
    graph, r, d = _explore(MODELS["single-always"].pod, 10_000, max_depth=8, max_restarts=0)
    assert r.cut_restarts > 0
    into_cut = [e for e in d.edges if e.target == "cut"]
    assert len(into_cut) == r.cut_restarts == len(graph.cuts)
    assert next(n for n in d.nodes if n.id == "cut").dashed


def test_summary_beyond_the_limit() -> None:
    """Past the limit: one node per (phase, STATUS) group with its size, counted edges per event kind."""
    graph, r, d = _explore(NEVER.pod, 10, max_depth=NEVER.max_depth, max_restarts=NEVER.max_restarts)
    assert not graph.full and r.states > 10
    assert graph.labels == [] and graph.edges == []  # the per-state data is dropped past the limit
    assert len(d.nodes) == len(graph.groups)
    assert sum(graph.group_size) == r.states
    assert sum(graph.group_edges.values()) + sum(graph.group_cuts.values()) == r.transitions
    counts = [int(e.event.rsplit("×", 1)[1].replace(",", "")) for e in d.edges]
    assert sum(counts) == r.transitions
    labels = {n.label for n in d.nodes}
    assert {"Pending", "Completed", "Error", "Running"} <= labels
    assert any(n.label.startswith("removed: ") and n.kind == "gone" for n in d.nodes)
    assert "collapsed" in " ".join(d.notes)


def test_the_same_search_draws_the_same_bytes() -> None:
    """Drawing is deterministic: two searches give the same DOT and Mermaid text."""
    a = _explore(NEVER.pod, 10, max_depth=10, max_restarts=0)[2]
    b = _explore(NEVER.pod, 10, max_depth=10, max_restarts=0)[2]
    assert render_dot(a) == render_dot(b) and render_mermaid(a) == render_mermaid(b)


@pytest.mark.parametrize("limit", [10_000, 5])
def test_step_counterexample_path_is_red(limit: int) -> None:
    """A step property's counterexample: the path's states and events in red, then a red ✗ node."""
    m = mutants.get("restart-under-never")
    graph, r, d = _explore(m.witness.pod, limit, m.model, max_depth=m.witness.max_depth, max_restarts=1)
    v = r.violation
    assert v is not None and v.prop.name == m.breaks and r.failed_step is not None
    assert r.path[0] == 0 and len(r.path) == len(r.path_events) + 1 == len(v.script)
    red_nodes = [n.id for n in d.nodes if n.highlight]
    red_edges = [(e.source, e.target) for e in d.edges if e.highlight]
    if graph.full:
        assert red_nodes == [f"s{i}" for i in r.path]
        assert red_edges == [(f"s{a}", f"s{b}") for a, b in zip(r.path, r.path[1:], strict=False)] + [
            (f"s{r.path[-1]}", "violation")
        ]
    else:
        groups = [f"g{graph.group_of[i]}" for i in r.path]
        assert set(red_nodes) == set(groups)
        assert red_edges[-1] == (groups[-1], "violation")
    violation = next(n for n in d.nodes if n.id == "violation")
    assert violation.label == f"✗ {m.breaks}" and violation.kind == "violation"
    assert m.breaks in d.title


def test_state_counterexample_ends_in_the_violating_state() -> None:
    """A state property's counterexample: the red path ends in the stored state that violates it."""
    m = mutants.get("first-restart-delayed")
    _graph, r, d = _explore(m.witness.pod, 10_000, m.model, max_depth=m.witness.max_depth, max_restarts=1)
    assert r.violation is not None and r.failed_step is None
    assert not any(n.id == "violation" for n in d.nodes)
    assert [n.id for n in d.nodes if n.highlight] == [f"s{i}" for i in r.path]
    last = next(n for n in d.nodes if n.id == f"s{r.path[-1]}")
    assert "CrashLoopBackOff" in last.label


def _hostile_graph() -> Diagram:
    graph = StateGraph(limit=10)
    pod = {
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {"name": "x -> y", "state": {"waiting": {"reason": '<script>alert(1)</script>"]'}}},
                {"name": "a\nb}", "state": {"terminated": {"reason": "\\N ]]> &amp;", "exitCode": 1}}},
            ],
        }
    }
    graph.add_state(0, pod, t=0, stage="STARTED", removed=False, final=False)
    graph.add_state(1, pod, t=5, stage="STARTED", removed=False, final=True)
    graph.add_edge(0, 1, Tick(5))
    return graph.diagram(ExploreResult(states=2, transitions=1), name='evil"}\n digraph x { a -> b')


def test_hostile_text_stays_text_in_dot_and_svg() -> None:
    """Container names, reasons and the pod name from a manifest cannot break or inject into DOT."""
    src = render_dot(_hostile_graph())
    assert "digraph explored {" in src and src.count("digraph") == 1 + src.count("digraph x")
    assert "\n digraph x" not in src  # the newline of the pod name did not survive into the source
    assert "<script>" not in src


@needs_dot
def test_hostile_text_round_trips_through_dot() -> None:
    svg = render_image(_hostile_graph(), "svg")
    root = ET.fromstring(svg)
    texts = " | ".join("".join(t.itertext()).replace("\u2060", "") for t in root.iter(f"{SVG_NS}text"))
    for text in ('<script>alert(1)</script>"]', "x -> y", "\\N ]]> &amp;(1)", "a b}"):
        assert text in texts, text
    nodes = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "node"]
    assert len(nodes) == 2 + 2  # two states, the initial point, the legend


# ---------------------------------------------------------------------------------------------
# podfsm explore --graph
# ---------------------------------------------------------------------------------------------


def _pod_file(tmp_path: Path, pod: dict[str, Any]) -> str:
    path = tmp_path / "pod.yaml"
    path.write_text(yaml.safe_dump(pod))
    return str(path)


def test_cli_graph_dot_full_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--graph FILE.dot writes the graph; --graph-max-states switches to the summary; JSON says which."""
    pod = _pod_file(tmp_path, NEVER.pod)
    out = tmp_path / "g.dot"
    assert (
        main(["explore", pod, "--max-depth", "4", "--max-restarts", "0", "--no-check", "--graph", str(out)])
        == 0
    )
    text = capsys.readouterr().out
    assert f"graph: {out} (every state)" in text
    assert out.read_text().startswith("// The reachable states of pod single-never")
    args = ["explore", pod, "--max-depth", "10", "--max-restarts", "0", "--no-check", "--graph", str(out)]
    assert main([*args, "--graph-max-states", "5", "-o", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["graph"]["mode"] == "summary" and record["graph"]["groups"] > 3
    assert "collapsed" in out.read_text()


def test_cli_graph_mermaid_of_a_counterexample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--mutant draws the counterexample of a wrong model; .mmd picks Mermaid; exit 1 as for any violation."""
    m = mutants.get("restart-under-never")
    out = tmp_path / "g.mmd"
    code = main(
        [
            "explore",
            _pod_file(tmp_path, m.witness.pod),
            "--mutant",
            m.name,
            "--max-restarts",
            "1",
            "--graph",
            str(out),
        ]
    )
    assert code == 1 and m.breaks in capsys.readouterr().err
    text = out.read_text()
    assert text.startswith("stateDiagram-v2") and "violation" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--graph", "g.txt"], "must end in one of .svg, .png, .dot, .mmd, .md"),
        (["--graph", "g.dot", "--graph-max-states", "-1"], "--graph-max-states must be >= 0"),
        (["--mutant", "nope"], "Unknown mutant"),
        (["--graph", "/nonexistent-dir/g.svg"], "no directory /nonexistent-dir"),
        (["--max-restarts", "-1"], "--max-restarts must be >= 0 (got -1)"),
        (["--max-depth", "-3"], "--max-depth must be >= 0 (got -3)"),
    ],
)
def test_cli_graph_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(["explore", _pod_file(tmp_path, NEVER.pod), "--max-depth", "2", *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err, err


def test_cli_graph_unwritable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --graph path that cannot be written (here: a directory) is a one-line error, exit 2."""
    target = tmp_path / "g.dot"
    target.mkdir()
    code = main(["explore", _pod_file(tmp_path, NEVER.pod), "--max-depth", "2", "--graph", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"podfsm: error: --graph {target}: ") and err.count("\n") == 1


def test_cli_graph_without_graphviz_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SVG without dot or pygraphviz: exit 2 with the install hint, and no file written."""

    def missing(source: str, fmt: str) -> bytes:
        raise diagrams.GraphvizMissing()

    monkeypatch.setattr(diagrams, "_run_dot", missing)
    out = tmp_path / "g.svg"
    code = main(["explore", _pod_file(tmp_path, NEVER.pod), "--max-depth", "2", "--graph", str(out)])
    assert code == 2 and "apt-get install graphviz" in capsys.readouterr().err
    assert not out.exists()
