"""Fuzz campaign: hostile inputs for every CLI command and the public API, without pytest.

    python bench/fuzz.py [N] [--seed S] [--only GEN ...] [--case I] [--out DIR] [--strict]

Runs N inputs (default 2,000) from the generators of ``podfsm.cli.hostile`` (the ones the Hypothesis
suite ``properties/test_hostile_inputs.py`` wraps), each in a forked child, and checks each
outcome as the suite does. Input ``I`` of seed ``S`` is drawn from ``random.Random(f"{S}:{I}")``
alone, so ``--case I`` replays exactly that input. Prints inputs/s (overall and per generator),
progress every 10,000 inputs on stderr, and one line per distinct failure (grouped by kind and
by where it happened) with a reproducer written under ``--out`` (default /tmp/podfsm-fuzz):
the files, a shell command, and ``--case``.

Exit code 0 even when it finds failures (it is a benchmark); ``--strict`` exits 1 then.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from both_builds import both_builds  # bench/: each figure beside the pure build's
from podfsm.cli import hostile

# How often each generator is drawn (explore is the slowest; API calls the cheapest).
WEIGHTS: dict[str, int] = {
    "status": 22,
    "simulate": 26,
    "explore": 6,
    "diagram": 4,
    "verify": 2,
    "argv": 8,
    "io": 4,
    "oracle": 12,
    "simulator": 8,
    "events": 5,
    "load_pod": 5,
}
PROGRESS_EVERY = 10_000


@dataclass
class Finding:
    """All inputs that failed with one signature; ``first`` is the index of the first of them."""

    signature: str
    detail: str
    first: int
    generator: str
    count: int = 0
    reproducer: str = ""
    indexes: list[int] = field(default_factory=list)


def draw(seed: int, index: int, only: list[str]) -> tuple[str, hostile.CliCase | hostile.ApiCase]:
    """Input ``index`` of campaign ``seed``: its generator's name and the case."""
    rng = random.Random(f"{seed}:{index}")
    names = only or list(WEIGHTS)
    name = rng.choices(names, weights=[WEIGHTS[n] for n in names])[0]
    chooser = hostile.RandomChooser(rng)
    if name in hostile.CLI_GENERATORS:
        return name, hostile.CLI_GENERATORS[name](chooser)
    return name, hostile.API_GENERATORS[name](chooser)


def run(case: hostile.CliCase | hostile.ApiCase) -> tuple[hostile.Outcome, list[hostile.Problem]]:
    if isinstance(case, hostile.CliCase):
        outcome = hostile.run_cli(case)
        return outcome, hostile.cli_problems(case, outcome)
    outcome = hostile.run_api(case)
    return outcome, hostile.api_problems(case, outcome)


def report(
    case: hostile.CliCase | hostile.ApiCase, outcome: hostile.Outcome, problems: list[hostile.Problem]
) -> str:
    if isinstance(case, hostile.CliCase):
        return hostile.cli_report(case, outcome, problems)
    return hostile.api_report(case, outcome, problems)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "failure"


def replay(args: argparse.Namespace) -> int:
    name, case = draw(args.seed, args.case, args.only)
    outcome, problems = run(case)
    print(f"input {args.case} of seed {args.seed} ({name}):")
    print(report(case, outcome, problems) if problems else f"{case!r}\n  passes")
    if problems:
        directory = Path(args.out) / f"seed-{args.seed}" / f"case-{args.case}"
        print(f"reproducer: {hostile.write_reproducer(directory, case)}")
    return 1 if problems else 0


def campaign(args: argparse.Namespace) -> int:
    findings: dict[str, Finding] = {}
    per_gen: Counter[str] = Counter()
    per_gen_time: dict[str, float] = {}
    failed_inputs = 0
    start = time.monotonic()
    for i in range(args.n):
        t0 = time.monotonic()
        name, case = draw(args.seed, i, args.only)
        outcome, problems = run(case)
        per_gen[name] += 1
        per_gen_time[name] = per_gen_time.get(name, 0.0) + time.monotonic() - t0
        if problems:
            failed_inputs += 1
        for p in problems:
            f = findings.get(p.signature)
            if f is None:
                f = findings[p.signature] = Finding(p.signature, p.detail[:200], i, name)
                directory = Path(args.out) / f"seed-{args.seed}" / f"{len(findings):03d}-{slug(p.signature)}"
                f.reproducer = hostile.write_reproducer(directory, case)
                (directory / "report.txt").write_text(report(case, outcome, problems) + "\n")
            f.count += 1
            if len(f.indexes) < 5:
                f.indexes.append(i)
        done = i + 1
        if done % PROGRESS_EVERY == 0 and done < args.n:
            rate = done / (time.monotonic() - start)
            print(
                f"fuzz: {done}/{args.n} inputs, {rate:.0f} inputs/s, "
                f"{failed_inputs} failing, {len(findings)} distinct failures",
                file=sys.stderr,
                flush=True,
            )
    elapsed = time.monotonic() - start
    print(f"fuzz: {args.n} inputs (seed {args.seed}) in {elapsed:.1f} s: {args.n / elapsed:.0f} inputs/s")
    print(
        "  " + ", ".join(f"{n} {per_gen[n]} ({per_gen[n] / per_gen_time[n]:.0f}/s)" for n in sorted(per_gen))
    )
    if not findings:
        print("no failures")
        return 0
    print(f"{failed_inputs} failing inputs, {len(findings)} distinct failures:")
    for f in sorted(findings.values(), key=lambda f: (-f.count, f.first)):
        print(f"- [{f.count}x, {f.generator}] {hostile.printable(f.signature)}")
        print(f"    {f.detail[:200]}")
        command = (
            f.reproducer
            if len(f.reproducer) <= 240
            else f.reproducer[:200] + f" ...<{len(f.reproducer)} chars>"
        )
        print(f"    replay: python bench/fuzz.py --seed {args.seed} --case {f.first}")
        print(f"    {command}")
    return 1 if args.strict else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2000, help="number of inputs (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="campaign seed (default 1)")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(WEIGHTS),
        default=[],
        help="only this generator (repeatable)",
    )
    parser.add_argument("--case", type=int, help="replay input CASE of the seed and show its report")
    parser.add_argument(
        "--out", default="/tmp/podfsm-fuzz", help="where reproducers go (default /tmp/podfsm-fuzz)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a failure was found")
    args = parser.parse_args()
    if args.case is not None:
        return replay(args)
    return campaign(args)


if __name__ == "__main__" and not both_builds(__file__):
    raise SystemExit(main())
