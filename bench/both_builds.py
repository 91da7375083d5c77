"""Run a benchmark on the compiled build and on the pure-Python build, and print each figure beside
the other (issue 12: on a noisy machine the ratio is what counts).

Every script in bench/ ends with ``if not both_builds(__file__): main()``: run directly, it runs
itself twice, one after the other, as child processes (``PODFSM_BENCH_ONE=1``), once as the
compiled build and once with ``PODFSM_PURE=1``; then it prints the compiled run's report with, after
every rate (``N unit/s``) and every duration (``N s``), the pure run's figure and the ratio.
``PODFSM_BENCH_ONE=1 python bench/X.py`` runs one build only (the one ``podfsm --version`` names).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

ONE = "PODFSM_BENCH_ONE"
# A rate ("77,484 events/s") or a duration ("3.2 s", "3.41s"); not a bare count.
FIGURE = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit> ?[A-Za-z ]*/s\b|s\b| s\b)")


def _run(script: str, pure: bool) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if k != "PODFSM_PURE"}
    env[ONE] = "1"
    if pure:
        env["PODFSM_PURE"] = "1"
    done = subprocess.run(
        [sys.executable, script, *sys.argv[1:]], env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(done.stderr)
    return done.stdout, done.returncode


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def merge(compiled: str, pure: str) -> str:
    """The compiled report, each figure followed by ``[pure: N, ×R]`` (R = compiled / pure, as a
    speed-up: for a duration, pure / compiled)."""
    out = []
    plines = pure.splitlines()
    for i, line in enumerate(compiled.splitlines()):
        if line.startswith("target"):  # the targets are not figures
            out.append(line)
            continue
        other = plines[i] if i < len(plines) else ""
        theirs = list(FIGURE.finditer(other))
        pieces, last = [], 0
        for j, m in enumerate(FIGURE.finditer(line)):
            pieces.append(line[last : m.end()])
            last = m.end()
            if j < len(theirs) and theirs[j].group("unit").strip() == m.group("unit").strip():
                a, b = _number(m.group("num")), _number(theirs[j].group("num"))
                rate = "/s" in m.group("unit")
                ratio = (a / b if rate else b / a) if a and b else 0.0
                pieces.append(f" [pure: {theirs[j].group('num')}, x{ratio:.2f}]")
        pieces.append(line[last:])
        out.append("".join(pieces))
    return "\n".join(out) + "\n"


def both_builds(script: str) -> bool:
    """Run ``script`` on both builds and print the merged report; False when this process is
    itself one of the runs (then the caller runs the benchmark)."""
    if os.environ.get(ONE):
        return False
    from podfsm._build import build

    which = build()
    if which.name != "compiled":
        print(f"build: {which} -- only the pure-Python figures follow")
        os.environ[ONE] = "1"
        return False
    compiled, code = _run(script, pure=False)
    pure, code2 = _run(script, pure=True)
    print(f"build: {which}; each figure is followed by the pure-Python build's, from the same run")
    sys.stdout.write(merge(compiled, pure))
    if code or code2:
        raise SystemExit(code or code2)
    return True
