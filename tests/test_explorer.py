"""podfsm.verification.explorer and ``podfsm explore``: pinned reachable-state counts, the visited-set key,
the time abstraction, the bounds, shortest replayable counterexamples, the eventually and
sometimes checks, and the CLI's output."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from podfsm.api import Pod
from podfsm.cli import main
from podfsm.engine import compile_plan, enabled_events, initial, step
from podfsm.events import Event, PodCondition, Tick, event_from_dict
from podfsm.model import DEFAULT, Model
from podfsm.simulator import Simulator
from podfsm.verification import invariants, mutants
from podfsm.verification.explorer import MODELS, PROGRESS_EVERY, Progress, explore, state_key
from podfsm.verification.invariants import Kind, Property
from podfsm.verification.verify import ProgressLine

# (stored states, transitions, greatest depth) per configuration, with the model's bounds and
# check=False. Change deliberately: a new count means the model's reachable behaviour changed
# (new events, stages or fields), and that change should be the point of the commit.
EXPECTED: dict[str, tuple[int, int, int]] = {
    "single-always": (4414, 5640, 12),
    "single-never": (998, 1100, 20),
    "single-onfailure-pull-always": (5215, 6029, 14),
    "init-then-app-never": (4506, 4987, 18),
    "two-inits-onfailure": (5622, 6861, 12),
    "sidecar-job": (9446, 11920, 10),
    "sidecar-job-deadline": (19440, 23174, 14),
    "two-sidecars-never": (3220, 4722, 10),  # 3320, 4826 while a sidecar was restarted in the KillPod sync
    "deadline": (4864, 5964, 13),
    "readiness-gate": (582, 1076, 8),  # 574, 1058 before a gate could be set on an unscheduled pod
    "never-pull-missing": (8, 8, 3),
}


def _plan(pod: dict[str, Any], model: Model = DEFAULT) -> Any:
    return compile_plan(Pod.from_api(pod), model=model)


def test_every_model_has_a_pinned_count() -> None:
    """Each configuration of MODELS has an expected state count here, and nothing else does."""
    assert set(EXPECTED) == set(MODELS)


@pytest.mark.parametrize("name", list(MODELS))
def test_pinned_reachable_state_count(name: str) -> None:
    """The number of reachable states (by visited-set key), transitions and depth of each small configuration is pinned."""
    m = MODELS[name]
    r = explore(_plan(m.pod), max_depth=m.max_depth, max_restarts=m.max_restarts, check=False)
    assert (r.states, r.transitions, r.depth) == EXPECTED[name]


def test_small_models_are_complete_when_unbounded_enough() -> None:
    """A search that hits neither bound says it is complete (deadline: every path ends by 30 s)."""
    m = MODELS["deadline"]
    r = explore(_plan(m.pod), max_depth=60, max_restarts=m.max_restarts, check=False)
    assert r.complete and r.depth < 60


# ---------------------------------------------------------------------------------------------
# The key and the abstraction of time
# ---------------------------------------------------------------------------------------------

ALWAYS_POD = MODELS["single-always"].pod


def _run(pod: dict[str, Any], script: list[dict[str, Any]]) -> Any:
    plan = _plan(pod)
    s = initial(plan)
    for e in script:
        s = step(plan, s, event_from_dict(e))
    return plan, s


CRASH = [
    {"event": "schedule", "node": "node-1"},
    {"event": "image_pulled", "container": "app"},
    {"event": "container_started", "container": "app"},
    {"event": "container_exited", "container": "app", "exit_code": 1},
    {"event": "container_started", "container": "app"},
    {"event": "container_exited", "container": "app", "exit_code": 1},
]


def test_key_is_invariant_under_a_time_shift() -> None:
    """Two runs that differ only by idle time before scheduling give states with the same key and different t."""
    _, a = _run(ALWAYS_POD, CRASH)
    _, b = _run(ALWAYS_POD, [{"event": "tick", "seconds": 7}, *CRASH])
    assert a.t != b.t and a != b
    assert state_key(a, 1000) == state_key(b, 1000)


def test_key_distinguishes_relative_times() -> None:
    """A state whose back-off timer is nearer is a different key from one just after the exit."""
    plan, a = _run(ALWAYS_POD, CRASH)
    b = step(plan, a, Tick(3))
    assert state_key(a, 1000) != state_key(b, 1000)


def test_key_clamps_times_older_than_the_horizon() -> None:
    """Times further in the past than the horizon all read 'long ago', so old histories merge."""
    plan, a = _run(ALWAYS_POD, CRASH)
    later = step(plan, a, Tick(10))  # restart: the exit stays in lastState
    b, c = step(plan, later, Tick(50)), step(plan, later, Tick(80))
    assert state_key(b, 1000) != state_key(c, 1000)
    assert state_key(b, 20) == state_key(c, 20)


def test_tick_jumps_to_the_next_due_timer_only() -> None:
    """The explorer's only Tick is the one enabled_events offers: to the next timer that falls due."""
    plan, s = _run(ALWAYS_POD, CRASH)
    ticks = [e for e in enabled_events(plan, s) if isinstance(e, Tick)]
    assert ticks == [Tick(10)]  # the second exit's crash-loop back-off


def test_restart_bound_cuts_successors() -> None:
    """With max_restarts 0 no stored state has a restarted container, and the cut successors are counted."""
    seen: list[Any] = []
    r = explore(_plan(ALWAYS_POD), max_depth=10, max_restarts=0, check=False, on_state=seen.append)
    assert r.cut_restarts > 0
    assert all(c.restarts == 0 for s in seen for c in s.ctrs)


# ---------------------------------------------------------------------------------------------
# Counterexamples, sometimes and eventually
# ---------------------------------------------------------------------------------------------


def test_counterexample_is_shortest_and_replays() -> None:
    """Under a mutant the first violation comes with a shortest script that reproduces it through the Simulator."""
    m = mutants.get("restart-count-skips")
    prop = invariants.get(m.breaks)
    r = explore(_plan(ALWAYS_POD, m.model), max_depth=10, max_restarts=3, props=[prop])
    assert r.violation is not None and r.violation.prop is prop
    script = r.violation.script
    sim = Simulator(Pod.from_api(ALWAYS_POD), model=m.model)
    steps = [sim.apply(e) for e in script]
    # schedule, pull, a first instance (start failure or exit), then the restart: nothing shorter restarts
    assert [e["event"] for e in script][-1] == "container_started" and len(script) == 4
    assert steps[-1].pod["status"]["containerStatuses"][0]["restartCount"] == 2


def test_sometimes_property_not_reached_within_the_bounds_is_no_violation() -> None:
    """A sometimes property that applies but has no witness in a search a bound cut is 'not reached', not a violation."""
    prop = invariants.get("reaches-failed")
    r = explore(_plan(MODELS["single-never"].pod), max_depth=1, max_restarts=0, props=[prop])
    assert not r.complete and r.violation is None
    assert r.sometimes["reaches-failed"] is False and r.not_reached == ["reaches-failed"]
    r = explore(_plan(MODELS["single-never"].pod), max_depth=8, max_restarts=0, props=[prop])
    assert r.violation is None and r.sometimes["reaches-failed"] is True and r.not_reached == []


def test_sometimes_property_unreachable_in_a_complete_search_is_a_violation() -> None:
    """When no bound cut the search, a sometimes property no state satisfies is a violation (nothing reachable does)."""

    def never(o: invariants.Obs) -> bool:
        """Holds if the pod is in a phase that does not exist."""
        return o.phase == "Sleeping"

    prop = Property("test-never", Kind.SOMETIMES, "t", "test", never)
    m = MODELS["deadline"]
    r = explore(_plan(m.pod), max_depth=60, max_restarts=m.max_restarts, props=[prop])
    assert r.complete and r.not_reached == []
    assert r.violation is not None and r.violation.prop is prop and r.violation.script == []
    assert "the search was complete" in r.violation.where


def test_sometimes_property_that_does_not_apply_is_not_required() -> None:
    """reaches-succeeded does not apply to a pod under restartPolicy Always."""
    prop = invariants.get("reaches-succeeded")
    r = explore(_plan(ALWAYS_POD), max_depth=4, max_restarts=0, props=[prop])
    assert r.violation is None and r.sometimes["reaches-succeeded"] is None


def test_eventually_monitor_fails_on_a_quiescent_state_without_the_goal() -> None:
    """An eventually property whose goal a finished run never meets is reported at the quiescent state."""

    def succeeds(o: invariants.Obs) -> bool:
        """Holds if the pod succeeded."""
        return o.phase == "Succeeded"

    prop = Property(
        "test-eventually-succeeds", Kind.EVENTUALLY, "t", "test", succeeds, trigger=lambda o: True
    )
    r = explore(_plan(MODELS["single-never"].pod), max_depth=10, max_restarts=0, props=[prop])
    assert r.violation is not None and r.violation.prop is prop
    sim = Simulator(Pod.from_api(MODELS["single-never"].pod))
    last = [sim.apply(e) for e in r.violation.script][-1]
    # The shortest such run: the pod deleted before it was scheduled (removed while Pending).
    assert r.violation.script == [{"event": "delete"}] and last.pod["status"]["phase"] == "Pending"


def test_checks_are_counted_per_property() -> None:
    """Every always property is evaluated once per stored state, every step property once per transition."""
    r = explore(_plan(MODELS["single-never"].pod), max_depth=6, max_restarts=0)
    assert r.violation is None
    assert r.checks["phase-is-getphase"] == r.states
    assert r.checks["phase-graph"] == r.transitions


def test_progress_reports_logical_counts_only() -> None:
    """The progress callback gets growing logical counts (states, transitions, depth, frontier), the same every run,
    and does not change the result."""
    seen: list[Progress] = []
    m = MODELS["single-always"]
    r = explore(
        _plan(m.pod), max_depth=m.max_depth, max_restarts=m.max_restarts, check=False, progress=seen.append
    )
    again: list[Progress] = []
    explore(
        _plan(m.pod), max_depth=m.max_depth, max_restarts=m.max_restarts, check=False, progress=again.append
    )
    assert seen == again and len(seen) > m.max_depth  # at least once per depth
    assert [p.states for p in seen] == sorted(p.states for p in seen)
    assert all(p.frontier_done % PROGRESS_EVERY == 0 and p.frontier_done < p.frontier for p in seen)
    assert (r.states, r.transitions, r.depth) == EXPECTED["single-always"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    """A fake monotonic clock: each reading is ``step`` seconds after the previous one."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _report(line: ProgressLine, n: int) -> None:
    for i in range(n):
        line(
            Progress(states=1000 * (i + 1), transitions=1500 * (i + 1), depth=i, frontier_done=0, frontier=10)
        )


def test_progress_line_waits_then_prints_plain_lines_off_a_tty() -> None:
    """Off a TTY nothing is printed in the first 3 s, then one plain line every 3 s, of logical counts only."""
    out = io.StringIO()
    line = ProgressLine(out, clock=_Clock(1.0))  # each report is 1 s after the previous one
    _report(line, 10)
    line.close()
    lines = out.getvalue().splitlines()
    assert lines == [
        "explored 3,000 states, 4,500 transitions, depth 2, frontier 0/10",
        "explored 6,000 states, 9,000 transitions, depth 5, frontier 0/10",
        "explored 9,000 states, 13,500 transitions, depth 8, frontier 0/10",
    ]
    assert "\r" not in out.getvalue()


def test_progress_line_overwrites_itself_on_a_tty() -> None:
    """On a TTY each report redraws one line with \\r, and close() clears it."""
    out = _Tty()
    line = ProgressLine(out, clock=_Clock(1.0))
    _report(line, 7)
    line.close()
    text = out.getvalue()
    assert "\n" not in text and text.startswith("\rexplored 3,000 states") and text.endswith("\r")
    assert text.count("explored") == 2


def test_quick_search_prints_no_progress() -> None:
    """A search shorter than 3 s writes nothing, whatever the stream."""
    out = _Tty()
    line = ProgressLine(out)
    explore(_plan(ALWAYS_POD), max_depth=6, max_restarts=1, check=False, progress=line)
    line.close()
    assert out.getvalue() == ""


# ---------------------------------------------------------------------------------------------
# podfsm explore
# ---------------------------------------------------------------------------------------------


def _pod_file(tmp_path: Path, pod: dict[str, Any]) -> str:
    path = tmp_path / "pod.yaml"
    path.write_text(yaml.safe_dump(pod))
    return str(path)


def test_cli_explore_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """podfsm explore prints states, transitions, depth, time and states/s, and exits 0 without a violation."""
    code = main(
        [
            "explore",
            _pod_file(tmp_path, MODELS["single-never"].pod),
            "--max-depth",
            "8",
            "--max-restarts",
            "0",
        ]
    )
    out = capsys.readouterr()
    assert code == 0
    assert "states," in out.out and "transitions" in out.out and "depth" in out.out and "states/s" in out.out
    assert out.err == ""  # not a TTY: no progress bar


def test_cli_explore_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """podfsm explore -o json prints one object with the counts and no violation."""
    m = MODELS["never-pull-missing"]
    code = main(["explore", _pod_file(tmp_path, m.pod), "-o", "json"])
    record = json.loads(capsys.readouterr().out)
    assert code == 0 and record["states"] == EXPECTED["never-pull-missing"][0] and record["complete"] is True
    assert record["violation"] is None


def test_cli_explore_violation_prints_a_replayable_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a violation podfsm explore exits 1 with the shortest script, which podfsm simulate replays."""
    pod_file = _pod_file(tmp_path, ALWAYS_POD)
    argv = ["explore", pod_file, "--max-depth", "10", "--max-restarts", "1", "-o", "json"]
    code = main([*argv, "--mutant", "first-restart-delayed"])
    out = capsys.readouterr()
    assert code == 1 and "first-restart-immediate" in out.err
    violation = json.loads(out.out)["violation"]
    assert violation["property"] == "first-restart-immediate"
    script_file = tmp_path / "script.yaml"
    script_file.write_text(yaml.safe_dump(violation["script"]))
    assert main(["simulate", pod_file, str(script_file)]) == 0  # the real model runs it too
    sim = Simulator(Pod.from_api(ALWAYS_POD), model=mutants.get("first-restart-delayed").model)
    assert [sim.apply(e).columns.status for e in violation["script"]][-1] == "CrashLoopBackOff"


def test_cli_explore_unknown_property_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--property with an unknown name is an input error naming the available properties."""
    code = main(["explore", _pod_file(tmp_path, ALWAYS_POD), "--property", "nope"])
    assert code == 2 and "available=" in capsys.readouterr().err


def test_cli_explore_reports_sometimes_not_reached_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sometimes property not reached within a small --max-depth is reported NOT REACHED, not violated: exit 0."""
    code = main(["explore", _pod_file(tmp_path, MODELS["single-never"].pod), "--max-depth", "2"])
    out = capsys.readouterr()
    assert code == 0 and out.err == ""
    assert "reaches-running: NOT REACHED (within --max-depth 2)\n" in out.out
    assert "violated" not in out.out and "script.yaml" not in out.out
    last = out.out.splitlines()[-1]
    assert last.startswith("result: no violation;") and "NOT REACHED within --max-depth 2" in last
    assert "which is not a violation" in last


def test_cli_explore_json_lists_not_reached(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o json lists the sometimes properties not reached within the bounds, with no violation."""
    code = main(
        ["explore", _pod_file(tmp_path, MODELS["single-never"].pod), "--max-depth", "2", "-o", "json"]
    )
    record = json.loads(capsys.readouterr().out)
    assert code == 0 and record["violation"] is None and "reaches-running" in record["not_reached"]
    assert record["sometimes"]["reaches-running"] is False


def test_cli_explore_quiet_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--quiet is accepted and the output is the same as without it."""
    pod = _pod_file(tmp_path, MODELS["single-never"].pod)
    assert main(["explore", pod, "--max-depth", "4", "-o", "json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["explore", pod, "--max-depth", "4", "-o", "json", "--quiet"]) == 0
    quiet = json.loads(capsys.readouterr().out)
    for record in (plain, quiet):
        del record["seconds"], record["states_per_second"]
    assert plain == quiet


def test_events_in_scripts_parse_back() -> None:
    """Every event of a counterexample script parses back to the event the explorer applied."""
    r = explore(
        _plan(ALWAYS_POD, mutants.get("restart-count-skips").model),
        max_depth=10,
        max_restarts=3,
        props=[invariants.get("restart-count-monotonic")],
    )
    assert r.violation is not None
    events: list[Event] = [event_from_dict(e) for e in r.violation.script]
    assert events[0] == event_from_dict({"event": "schedule", "node": "node-1"})


def test_unscheduled_gated_pod_may_have_its_gate_set() -> None:
    """A readiness gate's controller may set its condition before the pod is scheduled (step accepts
    it); enabled_events offered it only once the pod was bound, so the explorer never tried it."""
    plan = _plan(MODELS["readiness-gate"].pod)
    s = initial(plan)
    gates = [ev for ev in enabled_events(plan, s) if isinstance(ev, PodCondition)]
    assert gates
    after = step(plan, s, gates[0])
    assert after.conditions and after.stage is s.stage


def test_the_key_tells_an_unset_time_from_one_second_ago() -> None:
    """An unset time (the -1 sentinel) and a time one second before ``t`` (offset -1) are two states:
    a pod deleted a second ago is not a pod never deleted (issue 12: the key was not sentinel-safe)."""
    plan = compile_plan(
        Pod.from_api({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "i"}]}})
    )
    s = initial(plan)
    never = s._replace(t=5, deletion_at=-1)
    second_ago = s._replace(t=5, deletion_at=4)
    assert state_key(never, 100) != state_key(second_ago, 100)
    assert state_key(second_ago, 100) == state_key(s._replace(t=9, deletion_at=8), 100)  # shifts still merge
