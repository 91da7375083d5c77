"""Benchmark: Hypothesis examples/s of the property suites, with 50-step event sequences.

    python bench/properties.py [--examples 300] [--steps 50]

Three figures, each with every registered property checked at every step:

* bulk: ``podfsm.verification.verify.bulk_test`` (a drawn pod and a drawn list of 50 choices replayed through
  the model, every choice a step: a pod whose run ended is created anew; no violation is raised,
  so nothing is shrunk): examples/s and steps/s;
* bulk suite: ``run_bulk`` over every pod family, in one process and with ``workers=2`` (the
  families spread over two forked processes, ``podfsm verify --workers 2``);
* rule-based: the ``RuleBasedStateMachine`` (one rule per event kind, one invariant per
  property) with ``stateful_step_count=50``: examples/s and steps/s;
* plain replay: the same checks on the same kind of runs without Hypothesis (random choices), the
  floor the two above pay Hypothesis' overhead on top of.

Violations of the unmutated model (see the README's findings) are recorded, not raised, so the
runs go on; only the generation phase runs (no shrinking). Derandomized: the same examples on
every run. One core.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time

from hypothesis import Phase
from hypothesis import settings as Settings
from hypothesis.stateful import run_state_machine_as_test

from both_builds import both_builds  # bench/: each figure beside the pure build's
from podfsm.verification.invariants import PropertyViolation
from podfsm.verification.verify import (
    PROFILES,
    Stats,
    bulk_test,
    make_machine,
    pod_families,
    run_bulk,
    run_picks,
)


def _record(v: PropertyViolation) -> bool:
    return False  # record it in stats.baseline_findings, do not raise: measure, do not stop


def bench_bulk(examples: int, steps: int) -> tuple[float, float, Stats]:
    stats = Stats()
    profile = dataclasses.replace(PROFILES["fast"], bulk_examples=examples, bulk_steps=steps)
    test = bulk_test(profile, None, stats, pod_families()["any"], attribute=_record)
    start = time.perf_counter()
    test()
    seconds = time.perf_counter() - start
    return stats.examples["bulk"] / seconds, stats.steps["bulk"] / seconds, stats


def bench_families(examples: int, steps: int, workers: int) -> tuple[float, Stats]:
    """The whole bulk suite (every pod family) with ``workers`` processes: examples/s."""
    stats = Stats()
    profile = dataclasses.replace(PROFILES["fast"], bulk_examples=examples, bulk_steps=steps)
    start = time.perf_counter()
    run_bulk(profile, None, stats, attribute=_record, workers=workers)
    return stats.examples["bulk"] / (time.perf_counter() - start), stats


def bench_machine(examples: int, steps: int) -> tuple[float, float, Stats]:
    stats = Stats()
    machine = make_machine(stats=stats, attribute=_record)
    settings = Settings(PROFILES["fast"].hypothesis(examples, steps), phases=(Phase.generate,))
    start = time.perf_counter()
    run_state_machine_as_test(machine, settings=settings)
    seconds = time.perf_counter() - start
    return stats.examples["machine"] / seconds, stats.steps["machine"] / seconds, stats


def bench_replay(examples: int, steps: int) -> tuple[float, float]:
    family = pod_families()["any"]
    rng = random.Random(1)
    pods = [family.example() for _ in range(examples)]
    picks = [[rng.randrange(256) for _ in range(steps)] for _ in pods]
    n = 0
    start = time.perf_counter()
    for pod, p in zip(pods, picks, strict=True):
        stats = Stats()
        run_picks(pod, p, stats, attribute=_record)
        n += stats.steps["bulk"]
    seconds = time.perf_counter() - start
    return examples / seconds, n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    ex_s, st_s, stats = bench_bulk(args.examples, args.steps)
    print(
        f"bulk        {ex_s:8.1f} examples/s  {st_s:8.0f} steps/s  {st_s / args.steps:6.1f} x{args.steps}-step/s  "
        f"({stats.examples['bulk']} examples, {stats.steps['bulk'] / max(stats.examples['bulk'], 1):.1f} steps each:"
        " a pod whose run ended is created anew)"
    )
    one, stats = bench_families(args.examples // 3, args.steps, 1)
    two, _ = bench_families(args.examples // 3, args.steps, 2)
    print(
        f"bulk suite  {one:8.1f} examples/s  ({len(pod_families())} pod families, {stats.examples['bulk']} examples); "
        f"--workers 2: {two:8.1f} examples/s  speed-up {two / one:.2f}x"
    )
    ex_s, st_s, stats = bench_machine(max(args.examples // 3, 1), args.steps)
    print(
        f"rule-based  {ex_s:8.1f} examples/s  {st_s:8.0f} steps/s  {st_s / args.steps:6.1f} x{args.steps}-step/s  "
        f"({stats.examples['machine']} examples, {stats.steps['machine'] / max(stats.examples['machine'], 1):.1f} steps each)"
    )
    ex_s, st_s = bench_replay(args.examples, args.steps)
    print(
        f"replay      {ex_s:8.1f} examples/s  {st_s:8.0f} steps/s  {st_s / args.steps:6.1f} x{args.steps}-step/s  "
        "(no Hypothesis: the checking floor)"
    )
    print("target: >= 100 examples/s with 50-step sequences (bulk: every example runs all its steps)")


if __name__ == "__main__" and not both_builds(__file__):
    main()
