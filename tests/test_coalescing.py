"""Event coalescing (client-go ``tools/record/events_cache.go``) and the cluster clock's jump from timer to timer.

The rule (``EventCorrelator.EventCorrelate`` → ``eventLogger.eventObserve``): an Event with the same
key as one already recorded (``getEventKey``: source, involved object, type, reason, message) is not
created again; the existing one gets ``count`` + 1 and ``lastTimestamp`` = now, ``firstTimestamp``
stays. podfsm folds the node's Events this way within one step.

The clock jump is checked against a reference that runs the controllers every second (the pods
tick one second at a time too): for every scenario and tick length the final cluster state is the
same and the node's Events, folded by an independent implementation of the rule, are the same.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from podfsm.api import Pod
from podfsm.api.loader import load_documents, load_pods, read_text
from podfsm.cli import main
from podfsm.cluster import (
    Cluster,
    ClusterPlan,
    ClusterSimulator,
    Emitted,
    _Run,
    cluster_enabled_events,
    cluster_plan,
    cluster_step,
    coalesce,
    initial_cluster,
)
from podfsm.events import Tick, event_from_dict, events_from_script
from podfsm.machines.node import NodeConfig
from podfsm.machines.records import KEvent

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# ---------------------------------------------------------------------------------------------
# The rule
# ---------------------------------------------------------------------------------------------

MET = KEvent("Warning", "EvictionThresholdMet", "Attempting to reclaim memory", "kubelet", 10)


def test_observe_counts_and_moves_last_timestamp() -> None:
    """eventObserve: count grows, lastTimestamp moves to the repeat's, firstTimestamp stays."""
    again = MET.observe(KEvent(MET.type, MET.reason, MET.message, MET.source, 20))
    assert (again.count, again.first, again.t) == (2, 10, 20)
    third = again.observe(KEvent(MET.type, MET.reason, MET.message, MET.source, 35, 3, 25))
    assert (third.count, third.first, third.t) == (5, 10, 35)
    assert (MET.count, MET.first, MET.first_t) == (1, 10, -1)


def test_to_dict_unchanged_for_a_single_event() -> None:
    """A count-1 Event serializes to exactly the four keys it always had, in the same order."""
    assert json.dumps(MET.to_dict()) == (
        '{"type": "Warning", "reason": "EvictionThresholdMet", "from": "kubelet", '
        '"message": "Attempting to reclaim memory"}'
    )


def test_to_dict_of_a_repeated_event() -> None:
    """A repeated Event adds count, first_t and last_t (logical seconds) after the four usual keys."""
    ev = KEvent("Warning", "EvictionThresholdMet", "Attempting to reclaim memory", "kubelet", 90, 9, 10)
    assert list(ev.to_dict().items())[4:] == [("count", 9), ("first_t", 10), ("last_t", 90)]


def test_key_is_source_type_reason_message() -> None:
    """getEventKey: events differing in source, type, reason or message are distinct; the time is not part of it."""
    variants = [
        KEvent("Warning", "EvictionThresholdMet", "Attempting to reclaim memory", "kubelet", 99),
        KEvent("Normal", "EvictionThresholdMet", "Attempting to reclaim memory", "kubelet", 10),
        KEvent("Warning", "Other", "Attempting to reclaim memory", "kubelet", 10),
        KEvent("Warning", "EvictionThresholdMet", "Attempting to reclaim pids", "kubelet", 10),
        KEvent("Warning", "EvictionThresholdMet", "Attempting to reclaim memory", "node-controller", 10),
    ]
    assert variants[0].key == MET.key
    assert len({v.key for v in variants[1:]} | {MET.key}) == 5


def test_emitted_folds_repeats_into_the_first_occurrence() -> None:
    """Within one step a repeat, adjacent or not, folds into the first occurrence, which keeps its place."""
    ready = KEvent("Normal", "NodeReady", "Node node-1 status is now: NodeReady", "kubelet", 10)
    out = Emitted(0)
    for t in (10, 20):
        out.add_node(KEvent(MET.type, MET.reason, MET.message, MET.source, t))
    out.add_node(ready)
    out.add_node(KEvent(MET.type, MET.reason, MET.message, MET.source, 30))
    assert [(e.reason, e.count, e.first, e.t) for e in out.node] == [
        ("EvictionThresholdMet", 3, 10, 30),
        ("NodeReady", 1, 10, 10),
    ]
    assert coalesce([MET, ready]) == [MET, ready]


# ---------------------------------------------------------------------------------------------
# The reference: the controllers every second
# ---------------------------------------------------------------------------------------------


class _Raw(Emitted):
    """Emitted without coalescing: one node Event per occurrence, as the per-second loop records them."""

    def add_node(self, ev: KEvent) -> None:
        self.node.append(ev)


def per_second(plan: ClusterPlan, cl: Cluster, seconds: int, out: Emitted) -> Cluster:
    """The naive tick: every pod ticks one second, then every controller runs, ``seconds`` times."""
    run = _Run(plan, cl, out)
    for t in range(cl.t + 1, cl.t + seconds + 1):
        run.advance(t)
        run.reconcile()
    return run.result()


def fold(events: Sequence[KEvent]) -> list[KEvent]:
    """The coalescing rule written out independently: one Event per key, its count, first and last time."""
    rows: list[list[Any]] = []
    for e in events:
        for row in rows:
            if row[:4] == [e.type, e.reason, e.message, e.source]:
                row[4] += e.count
                row[6] = e.t
                break
        else:
            rows.append([e.type, e.reason, e.message, e.source, e.count, e.first, e.t])
    return [KEvent(r[0], r[1], r[2], r[3], r[6], r[4], r[5] if r[4] > 1 else -1) for r in rows]


def assert_tick_agrees(plan: ClusterPlan, cl: Cluster, seconds: int) -> Cluster:
    """The fast tick and the per-second reference reach the same state, pod Events and folded node Events."""
    fast_out, slow_out = Emitted(len(plan.pods)), _Raw(len(plan.pods))
    fast = cluster_step(plan, cl, Tick(seconds), out=fast_out)
    slow = per_second(plan, cl, seconds, slow_out)
    assert fast == slow, f"tick {seconds} from t={cl.t}"
    assert fast_out.pods == slow_out.pods, f"tick {seconds} from t={cl.t}"
    assert fast_out.node == fold(slow_out.node), f"tick {seconds} from t={cl.t}"
    return fast


def _pod(name: str, *, resources: dict[str, Any] | None = None, **spec: Any) -> Pod:
    container: dict[str, Any] = {"name": "app", "image": "app:1"}
    if resources is not None:
        container["resources"] = resources
    return Pod.from_api({"metadata": {"name": name}, "spec": {"containers": [container], **spec}})


def _running(names: Sequence[str]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for n in names:
        events += [
            {"event": "schedule", "pod": n, "node": "node-1", "images": ["app:1"]},
            {"event": "container_started", "pod": n, "container": "app"},
        ]
    return events


def _example_prefix(name: str, upto: int) -> tuple[list[Pod], list[dict[str, Any]]]:
    folder = EXAMPLES / name
    manifest = next(p for p in sorted(folder.glob("*.yaml")) if p.name != "scenario.yaml")
    text, display = read_text(folder / "scenario.yaml")
    script = [given for _, given, _ in events_from_script(load_documents(text, display), display)]
    return [p.pod for p in load_pods(manifest)], script[:upto]


PRESSURE = {"event": "node_pressure", "type": "memory", "active": True}
CRITICAL: dict[str, Any] = {"priorityClassName": "system-node-critical"}
BEST: dict[str, Any] = {"requests": {}}
EXIT = {"event": "container_exited", "container": "app", "exit_code": 1}
START = {"event": "container_started", "container": "app"}


def _crash_twice(name: str) -> list[dict[str, Any]]:
    """Exit, restart at once, exit again: the next restart waits for the 10 s crash-loop back-off (a pod timer)."""
    return [{**EXIT, "pod": name}, {**START, "pod": name}, {**EXIT, "pod": name}]


def _scenarios() -> Iterator[tuple[str, list[Pod], NodeConfig | None, list[dict[str, Any]]]]:
    """(id, pods, node config, events before the tick) for the differential test."""
    pods, script = _example_prefix("memory-pressure", 11)
    yield "memory-pressure-example", pods, None, script
    pods, script = _example_prefix("memory-pressure", 13)
    yield "memory-pressure-mid-round", pods, None, script
    names = ["a", "b", "c"]
    yield "three-best-effort", [_pod(n) for n in names], None, [*_running(names), PRESSURE]
    yield (
        "waits-for-cleanup",
        [_pod(n) for n in names],
        NodeConfig(eviction_waits_for_cleanup=True),
        [*_running(names), PRESSURE],
    )
    # A critical pod crash-loops under pressure: its back-off timers fire inside the tick.
    yield (
        "critical-crash-loop",
        [_pod("crit", **CRITICAL), _pod("be", resources=BEST)],
        None,
        [*_running(["crit", "be"]), PRESSURE, *_crash_twice("crit"), {"event": "tick", "seconds": 3}],
    )
    # The critical pod's activeDeadlineSeconds falls due under pressure.
    yield (
        "critical-deadline",
        [_pod("crit", activeDeadlineSeconds=95, **CRITICAL)],
        None,
        [*_running(["crit"]), PRESSURE, {"event": "tick", "seconds": 4}],
    )
    # The pressure ends: the condition stays True for 300 s (evictionPressureTransitionPeriod).
    yield (
        "pressure-lingers",
        [_pod("a"), _pod("b")],
        None,
        [*_running(["a", "b"]), PRESSURE, {"event": "tick", "seconds": 3}, {**PRESSURE, "active": False}],
    )
    # Ready=False: not-ready taints; the taint manager deletes at 300 s while the pressure lasts.
    yield (
        "not-ready-and-pressure",
        [_pod("crit", **CRITICAL), _pod("a", resources=BEST)],
        None,
        [*_running(["crit", "a"]), {"event": "node_heartbeat", "ready": False}, PRESSURE],
    )
    yield (
        "two-kinds",
        [_pod("crit", **CRITICAL), _pod("a")],
        None,
        [*_running(["crit", "a"]), {**PRESSURE, "type": "pid"}, PRESSURE, {"event": "tick", "seconds": 7}],
    )
    yield (
        "heartbeats-stop",
        [_pod("a"), _pod("b")],
        None,
        [*_running(["a", "b"]), {"event": "node_heartbeats_stop"}],
    )
    yield "node-deleted", [_pod("a")], None, [*_running(["a"]), {"event": "node_deleted"}]


SCENARIOS = list(_scenarios())
LENGTHS = (0, 1, 2, 9, 10, 11, 59, 299, 301, 2000)


def _start(
    pods: Sequence[Pod], node: NodeConfig | None, events: Sequence[dict[str, Any]]
) -> tuple[ClusterPlan, Cluster]:
    plan = cluster_plan(pods, node=node)
    cl = initial_cluster(plan)
    for given in events:
        cl = cluster_step(plan, cl, event_from_dict(given))
    return plan, cl


@pytest.mark.parametrize(
    ("pods", "node", "events"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_fast_tick_matches_the_per_second_loop(
    pods: list[Pod], node: NodeConfig | None, events: list[dict[str, Any]]
) -> None:
    """For each scenario and tick length up to 2000 s, jumping from timer to timer gives the per-second result."""
    plan, cl = _start(pods, node, events)
    for seconds in LENGTHS:
        assert_tick_agrees(plan, cl, seconds)


@pytest.mark.parametrize(
    ("pods", "node", "events"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_chained_fast_ticks_match_the_per_second_loop(
    pods: list[Pod], node: NodeConfig | None, events: list[dict[str, Any]]
) -> None:
    """A run of uneven ticks, each checked against the per-second loop from where the last one ended."""
    plan, cl = _start(pods, node, events)
    for seconds in (3, 10, 17, 1, 40, 295, 600):
        cl = assert_tick_agrees(plan, cl, seconds)


def test_random_walks_tick_like_the_per_second_loop() -> None:
    """Seeded random walks over cluster_enabled_events with random ticks: every tick agrees with the reference."""
    rng = random.Random(7)
    pods = [_pod("a", resources=BEST), _pod("b", restartPolicy="OnFailure"), _pod("c", **CRITICAL)]
    for node in (None, NodeConfig(eviction_waits_for_cleanup=True)):
        plan = cluster_plan(pods, node=node)
        for _ in range(12):
            cl = initial_cluster(plan)
            for _ in range(25):
                moves = [m for m in cluster_enabled_events(plan, cl) if not isinstance(m, Tick)]
                if rng.random() < 0.3 or not moves:
                    cl = assert_tick_agrees(plan, cl, rng.choice((1, 4, 10, 13, 45, 120, 333)))
                else:
                    cl = cluster_step(plan, cl, rng.choice(moves))


# ---------------------------------------------------------------------------------------------
# Huge ticks: the loop runs per change, not per second
# ---------------------------------------------------------------------------------------------


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the tick loop's iterations: each one advances the pods (``_Run.advance``)."""
    calls: list[int] = []
    advance: Callable[[_Run, int], None] = _Run.advance

    def counted(self: _Run, to: int) -> None:
        calls.append(to)
        advance(self, to)

    monkeypatch.setattr(_Run, "advance", counted)
    return calls


@pytest.mark.parametrize("seconds", [10**6, 10**7, 10**9])
def test_huge_tick_under_pressure_runs_per_change(monkeypatch: pytest.MonkeyPatch, seconds: int) -> None:
    """tick 10^6 … 10^9 under pressure: a handful of loop iterations and one EvictionThresholdMet with the exact count."""
    pods, script = _example_prefix("memory-pressure", 11)  # t=60: pressure on, cache evicted
    sim = ClusterSimulator(pods)
    sim.run(script)
    calls = _counting(monkeypatch)
    step = sim.apply({"event": "tick", "seconds": seconds})
    assert len(calls) <= 6, calls
    (met,) = step.node_events
    target = 60 + seconds
    assert (met.reason, met.first, met.t) == ("EvictionThresholdMet", 70, target - (target - 70) % 10)
    assert met.count == (met.t - met.first) // 10 + 1
    assert [s.pod["status"]["phase"] for s in step.steps] == ["Failed", "Failed", "Failed"]
    assert step.state.evict_last == met.t


def test_huge_tick_with_a_crash_looping_critical_pod(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pod timers under pressure split the jump only where they fall: iterations stay bounded for 10^9 s."""
    plan, cl = _start(
        [_pod("crit", **CRITICAL)], None, [*_running(["crit"]), PRESSURE, *_crash_twice("crit")]
    )
    calls = _counting(monkeypatch)
    out = Emitted(1)
    new = cluster_step(plan, cl, Tick(10**9), out=out)
    assert len(calls) <= 6, calls
    (met,) = out.node
    assert (met.count, met.first, met.t) == (10**8, 10, 10**9)
    assert new.t == 10**9 and new.evict_last == 10**9


def test_huge_tick_without_pressure_is_one_iteration(monkeypatch: pytest.MonkeyPatch) -> None:
    """No timer due: a 10^9 s tick advances the pods once and emits nothing."""
    plan, cl = _start([_pod("a")], None, _running(["a"]))
    calls = _counting(monkeypatch)
    out = Emitted(1)
    cluster_step(plan, cl, Tick(10**9), out=out)
    assert calls == [10**9] and out.node == []


# ---------------------------------------------------------------------------------------------
# The examples keep their output
# ---------------------------------------------------------------------------------------------


def _example_runs() -> list[tuple[str, Path, Path]]:
    runs = []
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        for script in ("script.yaml", "scenario.yaml"):
            if (folder / script).exists():
                manifest = next(p for p in sorted(folder.glob("*.yaml")) if p.name != script)
                runs.append((folder.name, manifest, folder / script))
    return runs


@pytest.mark.parametrize(
    ("manifest", "script"), [r[1:] for r in _example_runs()], ids=[r[0] for r in _example_runs()]
)
def test_examples_emit_no_repeated_event(manifest: Path, script: Path) -> None:
    """No example step repeats an Event, so every JSON line keeps the exact form it had before coalescing."""
    buf = io.StringIO()
    main(["simulate", str(manifest), str(script), "-o", "json"], out=buf)
    for line in buf.getvalue().splitlines():
        record = json.loads(line)
        for e in [*record["events"], *record.get("node_events", [])]:
            assert list(e) == ["type", "reason", "from", "message"]


def test_example_events_are_count_one() -> None:
    """The node Events of the cluster examples are single occurrences (first_t unset, count 1)."""
    for name in ("memory-pressure", "node-lost"):
        pods, script = _example_prefix(name, 100)
        sim = ClusterSimulator(pods)
        for cs in sim.run(script):
            assert all(e.count == 1 and e.first_t == -1 for e in cs.node_events)
