"""The ``podfsm`` command line.

Exit codes: 0 success, 1 the model forbade an event (or a property failed), 2 bad input
(manifest, script or arguments). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from podfsm import diagrams
from podfsm.cluster import ClusterSimulator
from podfsm.errors import IllegalTransition, ManifestError
from podfsm.events import Event, NodeEvent, PodEvent, events_from_script
from podfsm.loader import item_lines, load_documents, load_pods, read_text
from podfsm.oracle import kubectl_columns, parse_time, pod_summary
from podfsm.simulator import Simulator, Step
from podfsm.stategraph import write_showcase
from podfsm.timeline import render_timeline, scenario_title, timeline_of, write_timelines
from podfsm.verify import add_subcommands as add_verify_and_explore

__all__ = ["main", "render_table"]


def render_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded like kubectl's tabwriter (3 spaces between columns, left aligned)."""
    cells = [list(map(str, header)), *([str(c) for c in row] for row in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for r in cells:
        line = "   ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def _cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    pods = [p.raw for p in load_pods(args.file)]
    if args.output == "json":
        for pod in pods:
            out.write(json.dumps(pod_summary(pod, now=args.now)) + "\n")
    else:
        rows = []
        for pod in pods:
            s, cols = pod_summary(pod), kubectl_columns(pod, now=args.now)
            rows.append((s["name"], cols.ready, cols.status, cols.restarts_display, s["phase"]))
        out.write(render_table(("NAME", "READY", "STATUS", "RESTARTS", "PHASE"), rows))
    return 0


def _rfc3339(text: str) -> str:
    try:
        parse_time(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an RFC 3339 time: {text!r} (e.g. 2026-11-23T10:06:00Z)"
        ) from None
    return text


def _cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    loaded = load_pods(args.pod_file)
    text, name = read_text(args.script_file)
    script = events_from_script(load_documents(text, name), name)
    lines = item_lines(text)
    if len(loaded) == 1 and not any(isinstance(e, NodeEvent) for _, _, e in script):
        sim = Simulator(loaded[0].pod)

        def apply(event: Event) -> tuple[Sequence[Step], dict[str, Any]]:
            return [sim.apply(event)], {}

        return _run_script(args, out, script, lines, name, apply, lambda: sim.history)
    # Several pods on one node, or node events (podfsm.cluster): a row per pod each event affected.
    try:
        cluster = ClusterSimulator(loaded)
    except ManifestError as e:
        raise ManifestError(f"{args.pod_file}: {e}") from None
    names = cluster.plan.names
    if len(names) > 1:
        for number, _, event in script:
            if isinstance(event, PodEvent) and event.pod is None:
                raise ManifestError(
                    f"{name}: step {number}: pod: required when {args.pod_file} holds several pods "
                    f"({', '.join(names)})"
                )
        if args.timeline:
            sys.stderr.write(f"podfsm: error: --timeline draws one pod; {args.pod_file} holds {len(names)}\n")
            return 2
    with_node = any(isinstance(e, NodeEvent) for _, _, e in script)

    def apply_cluster(event: Event) -> tuple[Sequence[Step], dict[str, Any]]:
        result = cluster.apply(event)
        extra = (
            {"node": result.node, "node_events": [e.to_dict() for e in result.node_events]}
            if with_node
            else {}
        )
        return result.steps, extra

    return _run_script(args, out, script, lines, name, apply_cluster, lambda: cluster.pod_history(names[0]))


def _run_script(
    args: argparse.Namespace,
    out: TextIO,
    script: Sequence[tuple[int, dict[str, Any], Event]],
    lines: Sequence[int],
    name: str,
    apply: Callable[[Event], tuple[Sequence[Step], dict[str, Any]]],
    history: Callable[[], Sequence[Step]],
) -> int:
    """Apply the script, printing a row (or a JSON line) per affected pod and step; an illegal event
    stops the run after every row before it (exit 1). ``apply`` returns the steps and any extra
    JSON fields (the node's, for node events); ``history`` the steps the timeline draws."""
    header = ("TIME", "NAME", "READY", "STATUS", "RESTARTS", "EVENT")
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        if args.output == "table" and rows:
            out.write(render_table(header, rows))
            rows.clear()

    for number, given, event in script:
        try:
            steps, extra = apply(event)
        except IllegalTransition as e:
            flush()
            where = f"{name}:{lines[number - 1]}" if len(lines) >= number else name
            sys.stderr.write(f"podfsm: error: {where}: step {number} ({event.NAME}): {e}\n")
            _write_timeline(args, history())
            return 1
        for st in steps:
            cols = st.columns
            if args.output == "json":
                record: dict[str, Any] = {
                    "t": st.t,
                    "event": given,
                    "pod": st.pod,
                    "columns": {"status": cols.status, "ready": cols.ready, "restarts": cols.restarts},
                    "events": [e.to_dict() for e in st.events],
                    **extra,
                }
                out.write(json.dumps(record) + "\n")
            else:
                rows.append(
                    (
                        f"{st.t}s",
                        st.pod["metadata"]["name"],
                        cols.ready,
                        cols.status,
                        cols.restarts_display,
                        _event_text(given),
                    )
                )
    flush()
    return _write_timeline(args, history())


def _write_timeline(args: argparse.Namespace, history: Sequence[Step]) -> int:
    """``--timeline FILE``: the steps applied so far, drawn (:mod:`podfsm.timeline`)."""
    if not args.timeline:
        return 0
    title = scenario_title(args.pod_file, args.script_file, history)
    try:
        Path(args.timeline).write_bytes(render_timeline(timeline_of(history, title)).encode("utf-8"))
    except OSError as e:
        sys.stderr.write(f"podfsm: error: --timeline: {e}\n")
        return 2
    return 0


def _cmd_diagram(args: argparse.Namespace, out: TextIO) -> int:
    """``podfsm diagram``: to stdout, or every file into ``-o DIR`` (see :mod:`podfsm.diagrams`)."""
    try:
        names = diagrams.resolve(args.machines)
        if args.output_dir is None:
            fmt = args.format or "dot"
            problem = (
                "--examples writes files: give -o DIR"
                if args.examples
                else "-f png writes files: give -o DIR"
                if fmt == "png"
                else "-f svg prints one machine: name one, or give -o DIR"
                if fmt == "svg" and len(names) > 1
                else ""
            )
            if problem:
                sys.stderr.write(f"podfsm: error: {problem}\n")
                return 2
            out.write("\n".join(diagrams.render(diagrams.diagram_of(n), fmt).decode("utf-8") for n in names))
            return 0
        target = Path(args.output_dir)
        written = diagrams.write_diagrams(
            names, target, (args.format,) if args.format else diagrams.COMMITTED
        )
        if not args.machines or "all" in args.machines:  # the explorer's drawings (podfsm.stategraph)
            written += write_showcase(target / "explored", (args.format,) if args.format else ("dot", "svg"))
        if args.examples:
            written += write_timelines(Path(args.examples), target / "timelines")
    except (diagrams.UnknownMachine, diagrams.GraphvizMissing, OSError) as e:
        sys.stderr.write(f"podfsm: error: {e}\n")
        return 2
    except IllegalTransition as e:
        sys.stderr.write(f"podfsm: error: --examples: {e}\n")
        return 1
    out.write("".join(f"wrote {p}\n" for p in written))
    return 0


def _event_text(given: dict[str, Any]) -> str:
    rest = " ".join(
        f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in given.items() if k != "event"
    )
    return f"{given['event']} {rest}".strip()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code is also 2; keep it one line
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="podfsm", description="An executable model of the Kubernetes Pod lifecycle.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    status = sub.add_parser(
        "status",
        help="phase, conditions and kubectl columns of Pod objects",
        description="Print what Kubernetes says about each Pod in FILE (a Pod, a v1 List, or YAML documents).",
    )
    status.add_argument("file", metavar="FILE", help="YAML or JSON file; - reads stdin")
    status.add_argument("-o", "--output", choices=("table", "json"), default="table")
    status.add_argument(
        "--now", type=_rfc3339, help="RFC 3339 time for RESTARTS' '(10s ago)' (default: not shown)"
    )
    status.set_defaults(func=_cmd_status)

    simulate = sub.add_parser(
        "simulate",
        help="run a pod through a script of events",
        description="Apply each event of SCRIPT_FILE to the pod in POD_FILE and print what Kubernetes shows after it.",
    )
    simulate.add_argument(
        "pod_file",
        metavar="POD_FILE",
        help="a Pod or a workload, or several Pods on one node (a List or YAML documents; events name them with pod:)",
    )
    simulate.add_argument(
        "script_file", metavar="SCRIPT_FILE", help="a YAML or JSON list of events; - reads stdin"
    )
    simulate.add_argument("-o", "--output", choices=("table", "json"), default="table")
    simulate.add_argument(
        "--timeline",
        metavar="FILE.svg",
        help="also draw the run as an SVG timeline (lanes per container, phase, STATUS, events)",
    )
    simulate.set_defaults(func=_cmd_simulate)

    diagram = sub.add_parser(
        "diagram",
        help="draw the machines (SVG, PNG, DOT, Mermaid, Markdown table)",
        description=(
            "Draw each MACHINE (default all) from its table. Without -o, print it (-f defaults to dot). "
            "With -o DIR and no -f, write DOT, SVG and the Markdown table of each. "
            f"Regenerate diagrams/: {diagrams.REGENERATE}"
        ),
    )
    diagram.add_argument(
        "machines", nargs="*", metavar="MACHINE", help=f"{' | '.join(diagrams.MACHINES)} | all (default: all)"
    )
    diagram.add_argument("-f", "--format", choices=diagrams.FORMATS, help="one format (default: see above)")
    diagram.add_argument("-o", "--output-dir", metavar="DIR", help="write <machine>.<ext> files into DIR")
    diagram.add_argument(
        "--examples",
        metavar="EXAMPLES",
        help="with -o DIR: also draw each EXAMPLES/<name>/ scenario as DIR/timelines/<name>.svg",
    )
    diagram.set_defaults(func=_cmd_diagram)
    add_verify_and_explore(sub)  # podfsm verify, podfsm explore (podfsm.verify)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code."""
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # argparse already printed its one-line usage error
        return int(e.code or 0)
    try:
        code: int = args.func(args, out)
    except ManifestError as e:
        sys.stderr.write(f"podfsm: error: {e}\n")
        return 2
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
