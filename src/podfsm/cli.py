"""The ``podfsm`` command line.

Exit codes: 0 success, 1 the model forbade an event (or a property failed), 2 bad input
(manifest, script or arguments). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from podfsm.errors import ManifestError
from podfsm.loader import load_pods
from podfsm.oracle import kubectl_columns, parse_time, pod_summary

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
