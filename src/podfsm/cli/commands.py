"""The ``podfsm`` command line.

Exit codes: 0 success, 1 the model forbade an event (or a property failed), 2 bad input
(manifest, script or arguments) or output that cannot be written. Errors are one line on stderr,
never a traceback: :func:`main` escapes every error it prints (:func:`podfsm.textsafe.escape`),
and :func:`render_table` every cell, so nothing from the input can split a line or a row.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from podfsm._build import build
from podfsm.api import is_rfc3339
from podfsm.api.loader import item_lines, load_documents, load_pods, read_text
from podfsm.cluster import ClusterSimulator
from podfsm.config import KUBERNETES_RELEASE
from podfsm.errors import IllegalTransition, ManifestError, PodfsmError
from podfsm.events import Event, NodeEvent, PodEvent, events_from_script
from podfsm.oracle import pod_report, pod_summary
from podfsm.rendering import diagrams
from podfsm.rendering.timeline import render_timeline, scenario_title, timeline_of, write_timelines
from podfsm.simulator import Simulator, Step, load_pod
from podfsm.textsafe import listing, print_error, render_table
from podfsm.traces import DEFAULT_MAX_SILENT, check_trace, load_trace, manifest_of, states_from_pod
from podfsm.traces.report import render_text, witness_yaml
from podfsm.verification.showcase import write_showcase
from podfsm.verification.verify import add_subcommands as add_verify_and_explore

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["main", "render_table"]


def _cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    pods = [p.raw for p in load_pods(args.file)]
    if args.output == "json":
        for pod in pods:
            out.write(json.dumps(pod_summary(pod, now=args.now)) + "\n")
    else:
        rows = []
        for pod in pods:
            r = pod_report(pod, now=args.now)  # one read of the object for the phase and the columns
            c = r.columns
            rows.append((r.name, c.ready, c.status, c.restarts_display, str(r.phase)))
        out.write(render_table(("NAME", "READY", "STATUS", "RESTARTS", "PHASE"), rows))
    return 0


def _rfc3339(text: str) -> str:
    """``--now``: a full RFC 3339 date-time, as in a Pod (:func:`podfsm.api.is_rfc3339`)."""
    if not is_rfc3339(text):
        raise argparse.ArgumentTypeError(
            f"not an RFC 3339 date-time: {text!r} (a date, T, a time and Z or an offset: 2026-11-23T10:06:00Z)"
        )
    return text


def _live_pod(path: str) -> dict[str, Any]:
    """``--from``: one v1 Pod object with its status, as ``kubectl get pod NAME -o json`` prints it."""
    text, name = read_text(path)
    docs = [d for d in load_documents(text, name) if d is not None]
    if len(docs) != 1 or not isinstance(docs[0], dict) or docs[0].get("kind", "Pod") != "Pod":
        raise ManifestError(f"{name}: --from takes one Pod object (kubectl get pod NAME -o json)")
    if not isinstance(docs[0].get("status"), dict):
        raise ManifestError(f"{name}: status: required (--from starts where the live pod is)")
    return docs[0]


def _cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    if args.script_file is None:  # one positional: the script (POD_FILE comes from --from)
        args.pod_file, args.script_file = None, args.pod_file
    if (args.pod_file is None) == (args.from_pod is None):
        _error("podfsm: error: give POD_FILE or --from POD_JSON (one of them)")
        return 2
    text, name = read_text(args.script_file)
    script = events_from_script(load_documents(text, name), name)
    lines = item_lines(text)
    if args.from_pod is not None:
        live = _live_pod(args.from_pod)
        sim = Simulator(manifest_of(live), start=states_from_pod(live)[0])

        def apply_live(event: Event) -> tuple[Sequence[Step], dict[str, Any]]:
            return [sim.apply(event)], {}

        return _run_script(args, out, script, lines, name, apply_live, lambda: sim.history)
    loaded = load_pods(args.pod_file)
    if len(loaded) == 1 and not any(isinstance(e, NodeEvent) for _, _, e in script):
        sim = Simulator(loaded[0].pod)

        def apply(event: Event) -> tuple[Sequence[Step], dict[str, Any]]:
            return [sim.apply(event)], {}

        return _run_script(args, out, script, lines, name, apply, lambda: sim.history)
    # Several pods on one node, or node events (podfsm.cluster): a row per pod each event affected.
    # The script is checked against the file before any pod is compiled (a List can be large).
    if len(loaded) > 1:
        for number, _, event in script:
            if isinstance(event, PodEvent) and event.pod is None:
                names = [lp.pod.metadata.name or "" for lp in loaded]
                raise ManifestError(
                    f"{name}: step {number}: pod: required when {args.pod_file} holds several pods "
                    f"({listing(names)})"
                )
        if args.timeline:
            _error(f"podfsm: error: --timeline draws one pod; {args.pod_file} holds {len(loaded)}")
            return 2
    try:
        cluster = ClusterSimulator(loaded)
    except ManifestError as e:
        raise ManifestError(f"{args.pod_file}: {e}") from None
    with_node = any(isinstance(e, NodeEvent) for _, _, e in script)

    def apply_cluster(event: Event) -> tuple[Sequence[Step], dict[str, Any]]:
        result = cluster.apply(event)
        extra = (
            {"node": result.node, "node_events": [e.to_dict() for e in result.node_events]}
            if with_node
            else {}
        )
        return result.steps, extra

    return _run_script(
        args, out, script, lines, name, apply_cluster, lambda: cluster.pod_history(cluster.plan.names[0])
    )


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
            _error(f"podfsm: error: {where}: step {number} ({event.NAME}): {e}")
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
    """``--timeline FILE``: the steps applied so far, drawn (:mod:`podfsm.rendering.timeline`)."""
    if not args.timeline:
        return 0
    title = scenario_title(args.pod_file, args.script_file, history)
    try:
        Path(args.timeline).write_bytes(render_timeline(timeline_of(history, title)).encode("utf-8"))
    except OSError as e:
        _error(f"podfsm: error: --timeline: {e}")
        return 2
    return 0


def _cmd_diagram(args: argparse.Namespace, out: TextIO) -> int:
    """``podfsm diagram``: to stdout, or every file into ``-o DIR`` (see :mod:`podfsm.rendering.diagrams`)."""
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
                _error(f"podfsm: error: {problem}")
                return 2
            out.write("\n".join(diagrams.render(diagrams.diagram_of(n), fmt).decode("utf-8") for n in names))
            return 0
        target = Path(args.output_dir)
        written = diagrams.write_diagrams(
            names, target, (args.format,) if args.format else diagrams.COMMITTED
        )
        if (
            not args.machines or "all" in args.machines
        ):  # the explorer's drawings (podfsm.rendering.stategraph)
            written += write_showcase(target / "explored", (args.format,) if args.format else ("dot", "svg"))
        if args.examples:
            written += write_timelines(Path(args.examples), target / "timelines")
    except (diagrams.UnknownMachine, diagrams.GraphvizMissing, OSError) as e:
        _error(f"podfsm: error: {e}")
        return 2
    except IllegalTransition as e:
        _error(f"podfsm: error: --examples: {e}")
        return 1
    out.write("".join(f"wrote {p}\n" for p in written))
    return 0


def _event_text(given: dict[str, Any]) -> str:
    """The EVENT cell, ``name key=value ...``, as given (:func:`render_table` escapes it)."""
    rest = " ".join(
        f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in given.items() if k != "event"
    )
    return f"{given['event']} {rest}".strip()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code is also 2; keep it one line
        _error(f"{self.prog}: error: {message}")
        self.exit(2)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """``--help``: argparse ignores a failed write; this raises :class:`_OutputError` for main()."""
        if message:
            _Output(file).write(message)  # None: sys.stdout, which is None when stdout is closed


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("podfsm")
    except PackageNotFoundError:  # run from a source tree, not installed
        return "(not installed)"


class _Version(argparse.Action):
    """``--version``: one line, unwrapped, naming the build that runs."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        parser._print_message(
            f"podfsm {_version()} (Kubernetes {KUBERNETES_RELEASE}), {build()}\n", sys.stdout
        )
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="podfsm", description="An executable model of the Kubernetes Pod lifecycle.")
    parser.add_argument(
        "--version",
        action=_Version,
        nargs=0,
        help="the version, the Kubernetes release it models and which build runs (compiled or pure Python)",
    )
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
        "script_file",
        metavar="SCRIPT_FILE",
        nargs="?",
        help="a YAML or JSON list of events; - reads stdin",
    )
    simulate.add_argument(
        "--from",
        dest="from_pod",
        metavar="POD_JSON",
        help="start from a live pod (kubectl get pod NAME -o json: its spec and status) instead of "
        "from creation; then give only SCRIPT_FILE",
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
    check = sub.add_parser(
        "check-trace",
        help="check an observed pod history (kubectl get pods -w, a watch stream) against the model",
        description=(
            "Exit 0 when some run of the model explains every observation of TRACE_FILE in order "
            "(and print a witness script), 1 with the first observation no run reaches, 2 for a bad file."
        ),
    )
    check.add_argument(
        "trace_file",
        metavar="TRACE_FILE",
        help="kubectl get pod -w -o json|yaml, watch events, JSON lines or kubectl get pods -w rows; - reads stdin",
    )
    check.add_argument(
        "--pod", metavar="POD_FILE", help="the pod's manifest (a Pod or a workload); needed for kubectl rows"
    )
    check.add_argument("-o", "--output", choices=("text", "json"), default="text")
    check.add_argument(
        "--max-silent",
        type=_non_negative,
        default=DEFAULT_MAX_SILENT,
        metavar="K",
        help=f"model events allowed between two observations (default {DEFAULT_MAX_SILENT})",
    )
    check.add_argument("--witness", metavar="FILE", help="also write the witness script to FILE (one pod)")
    check.set_defaults(func=_cmd_check_trace)
    add_verify_and_explore(sub)  # podfsm verify, podfsm explore (podfsm.verification.verify)
    return parser


def _non_negative(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise argparse.ArgumentTypeError(f"expected a count 0..999999999 (got {text!r})")
    return int(text)


def _cmd_check_trace(args: argparse.Namespace, out: TextIO) -> int:
    observations = load_trace(args.trace_file)
    pod = load_pod(args.pod) if args.pod else None
    verdict = check_trace(pod, observations, max_silent=args.max_silent)
    if args.witness:
        if len(verdict.pods) != 1:
            raise ManifestError("--witness writes one pod's script: the trace shows several pods")
        try:
            Path(args.witness).write_text(witness_yaml(verdict.pods[0]))
        except OSError as e:
            raise ManifestError(f"{args.witness}: cannot write: {e.strerror or e}") from None
    if args.output == "json":
        out.write(json.dumps(verdict.to_dict(), indent=2) + "\n")
    else:
        out.write(render_text(verdict))
    failure = verdict.failure
    if failure is None:
        return 0
    rule = f" ({failure.rule})" if failure.rule else ""
    _error(f"podfsm: {args.trace_file}: line {failure.observation.line}: the trace does not conform{rule}")
    return 1


_error = print_error


class _OutputError(Exception):
    """Writing the output failed: stdout closed, the disk full, the reader of a pipe gone."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _Output:
    """The ``out`` the commands write to: a failed write raises :class:`_OutputError`, and a character
    the stream's encoding cannot hold is written as a backslash escape instead of raising."""

    def __init__(self, stream: SupportsWrite[str] | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text``."""
        stream = self._live()
        try:
            try:
                stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(stream, "encoding", None) or "ascii"
                stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except OSError as e:
            raise _OutputError(e) from None
        except ValueError as e:  # I/O operation on closed file
            raise _OutputError(OSError(errno.EBADF, str(e))) from None
        return len(text)

    def flush(self) -> None:
        """Flush the stream, so that a full disk shows here and not at interpreter exit."""
        flush = getattr(self._live(), "flush", None)
        try:
            if flush is not None:
                flush()
        except OSError as e:
            raise _OutputError(e) from None
        except ValueError as e:
            raise _OutputError(OSError(errno.EBADF, str(e))) from None

    def _live(self) -> SupportsWrite[str]:
        if self._stream is None:  # the process was started with stdout closed (>&-)
            raise _OutputError(OSError(errno.EBADF, "stdout is closed"))
        return self._stream


def _discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that Python's flush of stdout at exit cannot fail again."""
    try:
        fd = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code (0, 1 or 2), having printed at most one error line.

    Bad input (:class:`ManifestError`, argparse errors, input too deep for Python) exits 2, an
    illegal event 1, output that cannot be written 2 (a closed pipe quietly 0, as before). An
    exception podfsm does not expect is a bug: one ``podfsm: internal error:`` line and exit 2.
    """
    to_stdout = out is None
    output = _Output(sys.stdout if out is None else out)
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as e:  # argparse printed its one-line error, or --help
            if to_stdout:
                output.flush()
            return e.code if isinstance(e.code, int) else 0 if e.code is None else 2
        code: int = args.func(args, cast(TextIO, output))
        if code != 0:  # the command failed and said why: a failing flush must not add a second line
            _settle(output, to_stdout)
            return code
        output.flush()
    except _OutputError as e:
        if to_stdout:
            _discard_stdout()
        if isinstance(e.error, BrokenPipeError):
            return 0
        _error(f"podfsm: error: cannot write the output: {e}")
        return 2
    except Exception as e:  # the command failed: one error line, then what was written is settled
        failed, line = _failure(e)
        _error(line)
        _settle(output, to_stdout)
        return failed
    return code


def _failure(e: Exception) -> tuple[int, str]:
    """The exit code and the one error line for a command that raised ``e``."""
    if isinstance(e, IllegalTransition):
        return 1, f"podfsm: error: {e}"
    if isinstance(e, PodfsmError):  # ManifestError included
        return 2, f"podfsm: error: {e}"
    if isinstance(e, RecursionError):
        return 2, "podfsm: error: the input is nested too deeply to process"
    if isinstance(e, MemoryError):
        return 2, "podfsm: error: out of memory: the input is too large"
    # a bug in podfsm, not bad input: say so, in one line
    return 2, f"podfsm: internal error: {type(e).__name__}: {e} (please report)"


def _settle(output: _Output, to_stdout: bool) -> None:
    """Flush what a failed command wrote; if that fails too, the error line already said enough, so
    stdout is pointed at /dev/null rather than a second complaint at interpreter exit."""
    try:
        output.flush()
    except _OutputError:
        if to_stdout:
            _discard_stdout()


if __name__ == "__main__":
    raise SystemExit(main())
