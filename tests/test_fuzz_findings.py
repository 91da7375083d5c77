"""Regressions of what ``bench/fuzz.py`` found (100,000 inputs, seed 7): each failure class, as a test.

Every one ended in a traceback, an unbounded error line or a second error line; each is fixed
where the class of input enters, not for the one input the campaign saw.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podfsm import Pod, Simulator, Tick, cli, kubectl_columns
from podfsm.cluster import ClusterSimulator
from podfsm.config import CLOCK_END_RULE, LAST_TIME, Config
from podfsm.engine import enabled_events
from podfsm.errors import IllegalTransition, ManifestError, UnknownContainer
from podfsm.events import MAX_TICK_SECONDS
from podfsm.oracle import reported_phase
from podfsm.textsafe import LINE_MAX, clip, listing
from podfsm.timefmt import parse_time
from podfsm.verification.verify import ProgressLine

SRC = Path(__file__).resolve().parents[1] / "src"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _pod(name: str = "web", **spec: object) -> dict[str, object]:
    return {
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox"}], **spec},
    }


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(argv, out=io.StringIO())
    return code, capsys.readouterr().err


# --- error lines are bounded --------------------------------------------------------------------


def test_clip_keeps_both_ends_and_says_what_it_left_out() -> None:
    text = "podfsm: error: f.yaml: metadata.name: " + "x" * 100_000 + " must be a DNS label"
    short = clip(text)
    assert len(short) < LINE_MAX + 60
    assert short.startswith("podfsm: error: f.yaml: metadata.name: xxx")
    assert short.endswith("xxx must be a DNS label")
    assert f"<{len(text) - (LINE_MAX * 2) // 3 - LINE_MAX // 3} characters left out>" in short
    assert clip("short") == "short"


def test_a_huge_value_echoed_in_an_error_gives_one_bounded_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"event": "image_pulled", "container": "x" * 1_000_000}]))
    code, err = _cli(["simulate", str(EXAMPLES / "nginx" / "pod.yaml"), str(script)], capsys)
    assert code == 1  # an event naming a container the pod does not have: IllegalTransition
    assert err.count("\n") == 1 and len(err) < LINE_MAX + 60
    assert err.startswith("podfsm: error: ") and "characters left out" in err


def test_listing_names_ten_and_counts_the_rest() -> None:
    assert listing(["a", "b"]) == "a, b"
    names = [f"p{i}" for i in range(1000)]
    assert listing(names) == "p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, ... (and 990 more)"


def test_several_pods_without_a_pod_field_lists_a_few_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pods = tmp_path / "pods.json"
    pods.write_text(json.dumps({"kind": "List", "items": [_pod(f"p{i}") for i in range(5000)]}))
    script = tmp_path / "script.yaml"
    script.write_text("- {event: schedule, node: n1}\n")
    code, err = _cli(["simulate", str(pods), str(script)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "(and 4990 more)" in err


def test_many_pods_with_one_duplicate_name_is_found_quickly() -> None:
    pods = [Pod.from_api(_pod(f"p{i}")) for i in range(20_000)] + [Pod.from_api(_pod("p7"))]
    with pytest.raises(ManifestError, match="p7"):
        ClusterSimulator(pods)


def test_unknown_container_lists_a_few_of_the_pods_containers() -> None:
    error = UnknownContainer("nope", [f"c{i}" for i in range(50)])
    assert str(error).endswith("(containers: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... (and 40 more))")
    assert isinstance(error, ManifestError) and isinstance(error, KeyError)


# --- malformed values read by the oracle --------------------------------------------------------


@pytest.mark.parametrize("phase", [["Failed"], {"Failed": 1}, 3, True])
def test_reported_phase_of_a_non_string_phase_is_a_manifest_error(phase: object) -> None:
    pod = _pod()
    pod["status"] = {"phase": phase}
    with pytest.raises(ManifestError, match=r"status\.phase"):
        reported_phase(pod)


@pytest.mark.parametrize("text", ["2026-11-23", "2026-11-23 10:06:00Z", "2026-11-23T10:06:00", "T", ""])
def test_parse_time_refuses_what_metav1_time_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_parse_time_reads_rfc3339_and_takes_a_naive_datetime_as_utc() -> None:
    assert parse_time("2026-11-23T10:06:00+01:00").isoformat() == "2026-11-23T10:06:00+01:00"
    assert parse_time(parse_time("2026-11-23T10:06:00Z").replace(tzinfo=None)).tzinfo is not None
    with pytest.raises(TypeError):
        parse_time(3)  # type: ignore[arg-type]


def test_a_date_only_last_state_time_is_refused_with_its_field() -> None:
    pod = _pod()
    pod["status"] = {
        "containerStatuses": [
            {
                "name": "c",
                "restartCount": 1,
                "state": {"running": {"startedAt": "2026-11-23T10:00:00Z"}},
                "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-23"}},
            }
        ]
    }
    with pytest.raises(ManifestError, match=r"lastState\.terminated\.finishedAt: .*RFC 3339"):
        kubectl_columns(pod, now="2026-11-23T10:06:00Z")


# --- names the JSON escapes allow ---------------------------------------------------------------


def test_a_lone_surrogate_in_a_name_does_not_break_the_uids() -> None:
    """JSON's ``\\ud800`` is a lone surrogate, which UTF-8 cannot encode; the ids hash it anyway."""
    pod = _pod()
    pod["metadata"] = {"name": "web", "namespace": "ns\ud800"}
    sim = Simulator(pod)
    sim.apply({"event": "schedule", "node": "n\udfff"})
    assert len(sim.pod["metadata"]["uid"]) == 36
    assert sim.pod["status"]["hostIP"]


# --- the clock has an end -----------------------------------------------------------------------


def test_config_last_second_is_year_9999() -> None:
    end = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC) - datetime(2026, 1, 1, tzinfo=UTC)
    assert Config().last_second == end.total_seconds() == 251_635_075_199
    assert Config(epoch=LAST_TIME).last_second == 0


def test_a_tick_past_year_9999_is_an_illegal_transition_and_changes_nothing() -> None:
    sim = Simulator(_pod(activeDeadlineSeconds=30), Config(epoch="9999-12-31T23:00:00Z"))
    sim.apply(Tick(3599))
    assert sim.pod["metadata"]["creationTimestamp"] == "9999-12-31T23:00:00Z"
    before = sim.state
    with pytest.raises(IllegalTransition) as info:
        sim.apply(Tick(1))
    assert info.value.rule == CLOCK_END_RULE and LAST_TIME in str(info.value)
    assert sim.state == before


def test_enabled_ticks_stop_at_the_clock_end_and_at_one_ticks_bound() -> None:
    near_end = Simulator(_pod(activeDeadlineSeconds=30), Config(epoch="9999-12-31T23:59:50Z"))
    near_end.apply({"event": "schedule", "node": "n"})
    ticks = [ev for ev in enabled_events(near_end.plan, near_end.state) if isinstance(ev, Tick)]
    assert ticks == [Tick(9)]  # the deadline (30 s) lies past the clock's end
    at_end = Simulator(_pod(activeDeadlineSeconds=30), Config(epoch=LAST_TIME))
    assert not [ev for ev in enabled_events(at_end.plan, at_end.state) if isinstance(ev, Tick)]
    long_grace = Simulator(_pod(terminationGracePeriodSeconds=2**31))
    for ev in [
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "c"},
        {"event": "container_started", "container": "c"},
        {"event": "delete"},
    ]:
        long_grace.apply(ev)
    ticks = [ev for ev in enabled_events(long_grace.plan, long_grace.state) if isinstance(ev, Tick)]
    assert ticks == [Tick(MAX_TICK_SECONDS)]


def test_a_delete_whose_deletion_timestamp_would_pass_year_9999_is_refused() -> None:
    """terminationGracePeriodSeconds is an int64 (validation only asks for >= 0); now + grace must
    still be a time the object can show."""
    sim = Simulator(_pod(terminationGracePeriodSeconds=2**62))
    sim.apply({"event": "schedule", "node": "n"})
    before = sim.state
    with pytest.raises(IllegalTransition, match=r"deletionTimestamp .*9999-12-31T23:59:59Z"):
        sim.apply({"event": "delete"})
    assert sim.state == before
    sim.apply({"event": "delete", "grace_period_seconds": 5})
    assert sim.pod["metadata"]["deletionGracePeriodSeconds"] == 5


def test_a_cluster_tick_past_year_9999_is_an_illegal_transition() -> None:
    sim = ClusterSimulator([Pod.from_api(_pod())], Config(epoch="9999-12-31T23:59:00Z"))
    sim.apply(Tick(59))
    with pytest.raises(IllegalTransition, match="9999-12-31T23:59:59Z"):
        sim.apply(Tick(1))


def test_active_deadline_past_int32_is_refused_as_the_api_server_does() -> None:
    with pytest.raises(ManifestError, match="activeDeadlineSeconds"):
        Simulator(_pod(activeDeadlineSeconds=2**31))
    Simulator(_pod(activeDeadlineSeconds=2**31 - 1))


# --- streams ------------------------------------------------------------------------------------


def _simulate_stdout_closed(tmp_path: Path, script_text: str) -> subprocess.CompletedProcess[bytes]:
    script = tmp_path / "script.yaml"
    script.write_text(script_text)
    return subprocess.run(
        [
            "bash",
            "-c",
            'exec "$0" -m podfsm simulate "$@" >&-',
            sys.executable,
            str(EXAMPLES / "nginx" / "pod.yaml"),
            str(script),
        ],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )


def test_a_failed_command_with_stdout_closed_prints_one_line_and_keeps_its_code(tmp_path: Path) -> None:
    """The illegal event is the first failure: its line, exit 1; the failing flush adds nothing."""
    done = _simulate_stdout_closed(tmp_path, "- {event: container_exited, container: nginx, exit_code: 1}\n")
    assert done.returncode == 1
    assert done.stderr.count(b"\n") == 1
    assert done.stderr.startswith(b"podfsm: error: ") and b"only a running container can exit" in done.stderr


def test_rows_before_an_illegal_event_with_stdout_closed_fail_on_the_write(tmp_path: Path) -> None:
    """The rows before the illegal event are written first, and that write is the first failure."""
    done = _simulate_stdout_closed(
        tmp_path, "- {event: schedule, node: n1}\n- {event: container_exited, container: web, exit_code: 1}\n"
    )
    assert (done.returncode, done.stderr) == (
        2,
        b"podfsm: error: cannot write the output: stdout is closed\n",
    )


class _Closed(io.StringIO):
    def isatty(self) -> bool:
        raise ValueError("I/O operation on closed file")

    def write(self, s: str) -> int:
        raise OSError(28, "No space left on device")


def test_progress_on_a_failing_stderr_goes_quiet() -> None:
    from podfsm.verification.explorer import Progress

    clock = iter(range(0, 1000, 5))
    line = ProgressLine(_Closed(), after=0, every=0, clock=lambda: float(next(clock)))
    p = Progress(states=1, transitions=1, depth=1, frontier=1, frontier_done=0)
    line(p)
    line(p)  # silenced after the first failure, not raising
    line.close()
    assert line.due == float("inf")


def test_a_lone_surrogate_in_a_key_of_a_mapping_becomes_u_fffd() -> None:
    """Simulator(mapping) and Pod.from_api replace a lone surrogate in any key or string by U+FFFD,
    as Go's JSON decoder does (campaign seed 7: a kept unknown field under lifecycle.preStop.exec)."""
    pod = _pod()
    pod["spec"]["containers"][0]["lifecycle"] = {"preStop": {"exec": {"\udfff": "x"}}}  # type: ignore[index]
    sim = Simulator(pod)
    assert sim.pod["spec"]["containers"][0]["lifecycle"]["preStop"]["exec"] == {"\ufffd": "x"}
    assert Pod.from_api(pod).to_api()["spec"]["containers"][0]["lifecycle"]["preStop"]["exec"] == {
        "\ufffd": "x"
    }
