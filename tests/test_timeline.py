"""Timelines: lanes and markers from a run's steps, simultaneous steps, hostile text, ``simulate --timeline``.

The committed timelines (diagrams/timelines/) are compared byte for byte here for the two the
README embeds, and all of them by ``tests/test_diagrams.py``'s drift test.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from podfsm.api import Pod
from podfsm.cli import main
from podfsm.rendering import timeline
from podfsm.rendering.diagrams import clean
from podfsm.rendering.timeline import (
    BACKOFF,
    SLOT,
    STOPPING,
    Lane,
    Segment,
    Style,
    Timeline,
    render_timeline,
    run_scenario,
    scenario_title,
    scenarios,
    timeline_of,
)
from podfsm.simulator import Simulator, Step

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SVG = "{http://www.w3.org/2000/svg}"
ALLOWED_TAGS = {f"{SVG}{t}" for t in ("svg", "title", "rect", "text", "tspan", "line", "path", "g")}


def _lane(tl: Timeline, label: str) -> Lane:
    return next(lane for lane in tl.lanes if lane.label == label)


def _texts(segments: tuple[Segment, ...]) -> list[str]:
    return [s.text for s in segments]


# ---- Lanes from steps --------------------------------------------------------------------------


def test_busybox_lanes_restarts_and_back_offs() -> None:
    """busybox: phase, STATUS, its container and events; ↻n where restartCount grows; the back-off ladder."""
    steps = run_scenario(EXAMPLES / "busybox")
    tl = timeline_of(steps, "busybox")
    assert [lane.label for lane in tl.lanes] == ["phase", "STATUS", "busybox", "events"]
    assert tl.times == tuple(s.t for s in steps) and len(tl.events) == len(steps)
    counts = [s.pod["status"]["containerStatuses"][0]["restartCount"] for s in steps]
    grows = [(i, f"↻{n}") for i, n in enumerate(counts) if i and n > counts[i - 1]]
    lane = _lane(tl, "busybox")
    assert [(m.step, m.text) for m in lane.markers] == grows
    assert [t for t, _ in grows] and [text for _, text in grows] == ["↻1", "↻2", "↻3", "↻4"]
    waits = [s for s in lane.model if s.style is BACKOFF]
    assert [s.text for s in waits] == [f"CRASH_BACKOFF {n}s" for n in (10, 20, 40, 80)]
    status = _lane(tl, "STATUS")
    assert "CrashLoopBackOff" in _texts(status.band)
    assert all(s.style is BACKOFF for s in status.band if s.text == "CrashLoopBackOff")
    assert _texts(_lane(tl, "phase").band) == ["Pending", "Running"]


def test_job_sidecar_grace_period() -> None:
    """job-sidecar: the sidecar gets SIGTERM when the main container exits, shown as a grace period."""
    steps = run_scenario(EXAMPLES / "job-sidecar")
    tl = timeline_of(steps, "job")
    assert [(lane.label, lane.sublabel) for lane in tl.lanes[2:4]] == [
        ("log-shipper", "sidecar; container machine"),
        ("export", "container; container machine"),
    ]
    sidecar = _lane(tl, "log-shipper")
    exit_step = next(i for i, s in enumerate(steps) if s.event.NAME == "container_exited")
    assert [(m.step, m.text) for m in sidecar.markers] == [(exit_step, "SIGTERM")]
    grace = [s for s in sidecar.model if s.style is STOPPING]
    assert len(grace) == 1 and grace[0].first == exit_step
    sigterm_at = steps[exit_step].t
    assert grace[0].text == f"STOPPING until {sigterm_at + 30}s"  # terminationGracePeriodSeconds: 30
    assert f"SIGKILL due at t={sigterm_at + 30}s" in grace[0].title
    assert _texts(_lane(tl, "phase").band)[-1] == "Succeeded"


def test_failed_probes_are_marked_on_their_container() -> None:
    """liveness-restart: each failed liveness probe is marked ✗liveness on its container, then the restart."""
    steps = run_scenario(EXAMPLES / "liveness-restart")
    failures = [
        i
        for i, s in enumerate(steps)
        if s.event.NAME == "probe" and getattr(s.event, "result", "") == "failure"
    ]
    markers = _lane(timeline_of(steps), "api").markers
    assert [m.step for m in markers if m.text.startswith("✗liveness")] == failures and len(failures) == 3
    killed = next(m for m in markers if m.step == failures[-1])  # the third failure: killed at once
    assert killed.text == "✗liveness SIGTERM" and killed.title.count("\n") == 1
    assert [m.text for m in markers if m.step > failures[-1]] == ["↻1"]
    unhealthy = _lane(timeline_of(steps), "events").markers
    assert any("Unhealthy" in m.text for m in unhealthy)


def test_unschedulable_has_no_container_status() -> None:
    """Before the pod is bound its container lane says so, rather than inventing a state."""
    tl = timeline_of(run_scenario(EXAMPLES / "unschedulable"))
    lane = tl.lanes[2]
    assert _texts(lane.band) == ["—"] and lane.band[0].title == "no container status"


def test_deletion_marker() -> None:
    """The step where deletionTimestamp appears gets a DELETE marker with the grace period on the phase lane."""
    steps = run_scenario(EXAMPLES / "nginx")
    pod = {**steps[-1].pod, "metadata": {**steps[-1].pod["metadata"]}}
    pod["metadata"].update(deletionTimestamp="2026-01-01T00:01:02Z", deletionGracePeriodSeconds=30)
    steps = [*steps[:-1], dataclasses.replace(steps[-1], pod=pod)]
    markers = _lane(timeline_of(steps), "phase").markers
    assert [(m.step, m.text) for m in markers] == [(len(steps) - 1, "DELETE grace 30s")]


def test_events_lane_marks_warnings() -> None:
    """Steps with Events get a marker; Warnings name their reasons, hover lists every message."""
    steps = run_scenario(EXAMPLES / "bad-image")
    markers = _lane(timeline_of(steps), "events").markers
    assert [m.step for m in markers] == [i for i, s in enumerate(steps) if s.events]
    failed = next(m for m in markers if m.text)
    assert failed.text == "Failed" and failed.colour == BACKOFF.line
    assert "Warning Failed: Failed to pull image" in failed.title


# ---- Time and layout ---------------------------------------------------------------------------


def test_simultaneous_steps_keep_a_visible_width() -> None:
    """Every step is at least SLOT px wide; time between steps adds width in proportion to it."""
    times = [0, 0, 0, 10, 10, 30]
    xs, scale = timeline._positions(times, 100.0)
    widths = [b - a for a, b in itertools.pairwise(xs)]
    assert widths == [SLOT + scale * (b - a) for a, b in itertools.pairwise(times)]
    assert min(widths) == SLOT and scale > 0
    assert widths[2] - SLOT == pytest.approx((widths[4] - SLOT) / 2)  # 10 s is half of 20 s


def test_text_is_cut_to_fit() -> None:
    """Labels that do not fit are cut with an ellipsis, or dropped when nothing useful fits."""
    assert timeline._fit("Running", 200, 11) == "Running"
    cut = timeline._fit("CrashLoopBackOff", 40, 11)
    assert cut.endswith("…") and len(cut) < len("CrashLoopBackOff")
    assert timeline._fit("CrashLoopBackOff", 5, 11) == ""


def test_render_is_well_formed_and_deterministic() -> None:
    """The SVG parses, uses only plain drawing elements, and the same run gives the same bytes."""
    steps = run_scenario(EXAMPLES / "init-crashloop")
    svg = render_timeline(timeline_of(steps, "init"))
    assert svg == render_timeline(timeline_of(run_scenario(EXAMPLES / "init-crashloop"), "init"))
    root = ET.fromstring(svg)
    assert {e.tag for e in root.iter()} <= ALLOWED_TAGS
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n') and svg.endswith("</svg>\n")


def test_empty_run() -> None:
    """No steps still gives a valid SVG that says so."""
    svg = render_timeline(timeline_of([], "nothing"))
    assert "no steps" in svg
    ET.fromstring(svg)


def test_hand_built_timeline() -> None:
    """The renderer draws a hand-built Timeline: one box per segment, its title on hover."""
    style = Style("#ffffff", "#000000", "x")
    tl = Timeline(
        "hand",
        (0, 5),
        ("1. a", "2. b"),
        (Lane("lane", "sub", (Segment(0, 1, "both", style, "both steps"),)),),
    )
    root = ET.fromstring(render_timeline(tl))
    groups = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}rect") is not None]
    assert len(groups) == 1
    assert groups[0].findtext(f"{SVG}title") == "both steps"
    assert groups[0].findtext(f"{SVG}text") == "both"


@pytest.mark.parametrize("folder", scenarios(EXAMPLES), ids=lambda p: p.name)
def test_every_example_renders(folder: Path) -> None:
    """Every scenario in examples/ draws as a well-formed SVG."""
    ET.fromstring(render_timeline(timeline_of(run_scenario(folder), folder.name)))


# ---- Hostile text ------------------------------------------------------------------------------

HOSTILE_NAME = '<script>alert(1)</script>"]]>'
HOSTILE_POD = {
    "metadata": {"name": 'x<y>&"z'},
    "spec": {
        "restartPolicy": "Never",
        "containers": [{"name": HOSTILE_NAME, "image": 'evil"><script>]]>&amp;'}],
    },
}
HOSTILE_EVENTS = [
    {"event": "unschedulable", "message": "no node\nfits ]]> <b>&amp; %% #quot; \x01"},
    {"event": "schedule", "node": 'n"1'},
    {"event": "image_pull_failed", "container": HOSTILE_NAME, "message": "bad\x01 ]]> \n <svg onload=x>"},
]


def _hostile_steps() -> list[Step]:
    return Simulator(Pod.from_api(HOSTILE_POD)).run(list(HOSTILE_EVENTS))


def test_hostile_text_is_escaped() -> None:
    """Names, images and messages from manifests cannot add elements or break the SVG; they show as text."""
    steps = _hostile_steps()
    svg = render_timeline(timeline_of(steps, scenario_title('p"<o>d.yaml', "s&c.yaml", steps)))
    root = ET.fromstring(svg)
    assert {e.tag for e in root.iter()} <= ALLOWED_TAGS
    shown = [e.text or "" for e in root.iter() if e.tag in (f"{SVG}text", f"{SVG}title")]
    assert any(HOSTILE_NAME in text for text in shown)
    assert any(clean('Failed to pull image "evil"><script>]]>&amp;"') in text for text in shown)
    assert "<script" not in svg and "<svg onload" not in svg and "\x01" not in svg
    assert svg.count("<svg") == 1


# ---- podfsm simulate --timeline ----------------------------------------------------------------


def _simulate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(["simulate", *argv], out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_simulate_writes_the_timeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--timeline FILE writes the run's SVG and leaves the table on stdout as it was."""
    pod, script = str(EXAMPLES / "busybox" / "deployment.yaml"), str(EXAMPLES / "busybox" / "script.yaml")
    target = tmp_path / "busybox.svg"
    code, with_timeline, err = _simulate(capsys, pod, script, "--timeline", str(target))
    assert (code, err) == (0, "")
    assert _simulate(capsys, pod, script)[1] == with_timeline
    steps = run_scenario(EXAMPLES / "busybox")
    expected = render_timeline(timeline_of(steps, scenario_title(pod, script, steps)))
    assert target.read_bytes() == expected.encode("utf-8")


def test_simulate_timeline_stops_at_an_illegal_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An illegal event still exits 1; the timeline shows the steps before it."""
    script = tmp_path / "script.yaml"
    script.write_text(
        "- {event: schedule, node: node-1}\n- {event: container_exited, container: nginx, exit_code: 0}\n"
    )
    target = tmp_path / "t.svg"
    code, _, err = _simulate(
        capsys, str(EXAMPLES / "nginx" / "pod.yaml"), str(script), "--timeline", str(target)
    )
    assert code == 1 and err.startswith("podfsm: error: ")
    assert "(1 steps)" in ET.fromstring(target.read_text(encoding="utf-8")).findtext(f"{SVG}title", "")


def test_simulate_timeline_bad_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A timeline path that cannot be written exits 2 with one line."""
    folder = EXAMPLES / "nginx"
    target = tmp_path / "missing" / "t.svg"
    code, _, err = _simulate(
        capsys, str(folder / "pod.yaml"), str(folder / "script.yaml"), "--timeline", str(target)
    )
    assert code == 2 and err.startswith("podfsm: error: --timeline: ") and err.count("\n") == 1


# ---- The committed timelines the README embeds -------------------------------------------------


@pytest.mark.parametrize("name", ["busybox", "job-sidecar"])
def test_committed_timeline_matches(name: str) -> None:
    """diagrams/timelines/NAME.svg is what the model draws for examples/NAME today."""
    committed = ROOT / "diagrams" / "timelines" / f"{name}.svg"
    folder = EXAMPLES / name
    steps = run_scenario(folder)
    manifest = next(
        p.name for p in sorted(folder.iterdir()) if p.suffix == ".yaml" and p.name != "script.yaml"
    )
    title = scenario_title(f"examples/{name}/{manifest}", f"examples/{name}/script.yaml", steps)
    assert committed.read_text(encoding="utf-8") == render_timeline(timeline_of(steps, title)), (
        f"{committed} drifted: run podfsm diagram all -o diagrams --examples examples"
    )
