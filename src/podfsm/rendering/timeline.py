"""Timelines: a simulated run drawn as lanes over logical time, as hand-built SVG.

::

    steps = Simulator(load_pod("examples/busybox/deployment.yaml")).run(events)
    svg = render_timeline(timeline_of(steps, title="busybox"))

:func:`timeline_of` turns the :class:`~podfsm.simulator.Step`\\ s of a run into the intermediate
:class:`Timeline`; :func:`render_timeline` draws it. The lanes, top to bottom:

* **phase**: ``status.phase``, with the pod machine's stage (:class:`~podfsm.machines.pod.PStage`) in a
  thin band below it, and a ``DELETE`` marker where the pod gets its ``deletionTimestamp``;
* **STATUS**: the STATUS column of ``kubectl get pods``;
* **one lane per container** (init containers and sidecars first, in spec order): the v1
  ``state`` (waiting with its reason, running, terminated with reason and exit code), with the
  container machine's state (:class:`~podfsm.machines.records.CState`) in a thin band below it. That band
  is where the kubelet's waits show: a crash-loop or image back-off (``CRASH_BACKOFF 10s``) and a
  grace period (``PRE_STOP`` then ``STOPPING``, up to the exit or SIGKILL) span the time they
  take, even while the API still shows the previous state. Failed probes (``✗liveness``),
  restarts (``↻n``, where ``restartCount`` grows), the preStop hook, SIGTERM and SIGKILL are
  marked where they happen;
* **events**: a marker at every step that emitted Kubernetes Events (orange for Warnings such as
  ``BackOff``, ``Failed`` and the probes' ``Unhealthy``); hover for the messages.

The thin bands read ``Step.state`` (the model's own state); everything else reads only what
Kubernetes shows: ``Step.pod`` (the v1 object), ``Step.columns`` and ``Step.events``.

**Time.** Many steps share one logical time (the kubelet settles within an instant). Each step
gets :data:`SLOT` pixels so that simultaneous states stay visible, and the time between two
steps adds a width proportional to it; the axis brackets the steps of each instant and labels
the gaps (``+10s``). The scale is chosen so the whole run fits about :data:`TIME_WIDTH` pixels.

**Hostile text.** Container names, images and messages come from manifests and scripts: every
string is stripped of what XML cannot hold and escaped, so nothing can break or inject into the
SVG. Numbers print with fixed formatting: the same run always gives the same bytes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from podfsm.api.loader import load_documents, load_pods, read_text
from podfsm.cluster import ClusterSimulator
from podfsm.errors import ManifestError
from podfsm.events import NodeEvent, event_to_dict, events_from_script
from podfsm.machines.pod import PStage
from podfsm.machines.records import CState, Ctr
from podfsm.rendering.diagrams import KINDS, clean, kind_of
from podfsm.simulator import Simulator, Step, load_pod

__all__ = [
    "SLOT",
    "TIME_WIDTH",
    "Lane",
    "Marker",
    "Segment",
    "Style",
    "Timeline",
    "render_timeline",
    "run_scenario",
    "scenario_title",
    "scenarios",
    "timeline_of",
    "write_timelines",
]

SLOT: Final = 26.0
"""Pixels every step gets, however little time it takes."""
TIME_WIDTH: Final = 560.0
"""Pixels the whole run's logical time is scaled to (at most :data:`MAX_PX_PER_S` per second)."""
MAX_PX_PER_S: Final = 6.0
TAIL: Final = 60.0  # after the last step: its state goes on
LABEL_W: Final = 168.0  # the lane names
LEGEND_COL: Final = 270.0
EVENT_W: Final = 250.0  # the longest a step's slanted event label gets
FONT: Final = "Helvetica, Arial, sans-serif"


@dataclass(frozen=True, slots=True)
class Style:
    """A colour pair and what it stands for (one legend entry)."""

    fill: str
    line: str
    meaning: str


def _kind_style(kind: str, meaning: str) -> Style:
    """The colours :data:`podfsm.rendering.diagrams.KINDS` gives a container kind, so diagrams and timelines agree."""
    k = next(k for k, _ in KINDS["container"] if k.key == kind)
    return Style(k.fill, k.line, meaning)


WAITING: Final = _kind_style("waiting", "waiting")
RUNNING: Final = _kind_style("running", "running")
EXITED: Final = _kind_style("terminated", "terminated, exit 0; Succeeded")
FAILED: Final = Style("#f8d0d0", "#9b2c2c", "terminated, exit ≠ 0; Failed")
BACKOFF: Final = Style("#fdd9b5", "#c05621", "back-off or error (CrashLoopBackOff, ...)")
STOPPING: Final = Style("#eadcf8", "#6b46c1", "grace period (SIGTERM, then SIGKILL)")
NONE: Final = Style("#ffffff", "#a0aec0", "no status yet")
LEGEND: Final = (WAITING, RUNNING, BACKOFF, EXITED, FAILED, STOPPING, NONE)
RESTART_COLOUR: Final = "#2b6cb0"
NORMAL_COLOUR: Final = "#718096"

_BY_KIND: Final = {
    "waiting": WAITING,
    "pending": WAITING,
    "running": RUNNING,
    "terminated": EXITED,
    "terminal": EXITED,
}
_GRACE: Final = frozenset({"PRE_STOP", "STOPPING"})  # container states inside a grace period
_PHASE_STYLE: Final = {"Pending": WAITING, "Running": RUNNING, "Succeeded": EXITED, "Failed": FAILED}
_PLAIN_WAITING: Final = frozenset({"ContainerCreating", "PodInitializing", ""})
_STATUS_WAITING: Final = frozenset({"Pending", "ContainerCreating", "PodInitializing"})
_STATUS_DONE: Final = frozenset({"Completed", "Succeeded"})
_STATUS_FAILED: Final = frozenset({"Error", "OOMKilled", "ContainerCannotRun", "DeadlineExceeded", "Failed"})


@dataclass(frozen=True, slots=True)
class Segment:
    """Steps ``first``..``last`` (inclusive) in one state, drawn from the first step to the step after the last."""

    first: int
    last: int
    text: str
    style: Style
    title: str
    short: str = ""  # drawn instead of ``text`` when that does not fit


@dataclass(frozen=True, slots=True)
class Marker:
    """Something that happened at ``step``: a short ``text`` drawn there, ``title`` on hover."""

    step: int
    text: str
    title: str
    colour: str


@dataclass(frozen=True, slots=True)
class Lane:
    """One row: a main band, an optional thin band (the model's state) and markers.

    A lane with no band (the events lane) shows its markers only."""

    label: str
    sublabel: str
    band: tuple[Segment, ...]
    model: tuple[Segment, ...] = ()
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True, slots=True)
class Timeline:
    """What :func:`render_timeline` draws: each step's time and event, then the lanes."""

    title: str
    times: tuple[int, ...]
    events: tuple[str, ...]
    lanes: tuple[Lane, ...]


# ---------------------------------------------------------------------------------------------
# From steps to lanes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    """One lane at one step; steps in a row with equal keys make one segment."""

    key: Hashable
    text: str
    style: Style
    title: str
    short: str = ""


def _segments(cells: Sequence[_Cell]) -> tuple[Segment, ...]:
    """Consecutive steps with equal keys merged into one segment each."""
    out: list[Segment] = []
    for i, c in enumerate(cells):
        if out and cells[out[-1].first].key == c.key:
            prev = out[-1]
            out[-1] = Segment(prev.first, i, prev.text, prev.style, prev.title, prev.short)
        else:
            out.append(Segment(i, i, c.text, c.style, c.title, c.short))
    return tuple(out)


def status_style(status: str) -> Style:
    """The colour of a kubectl STATUS: Running green, done grey, failures red, waits amber, anything else a back-off or error."""
    if status == "Running":
        return RUNNING
    if status == "Terminating":
        return STOPPING
    if status in _STATUS_DONE:
        return EXITED
    if status in _STATUS_FAILED:
        return FAILED
    if status in _STATUS_WAITING or (status.startswith("Init:") and status[5:].replace("/", "").isdigit()):
        return WAITING
    return BACKOFF


def _container_cell(status: dict[str, Any] | None) -> _Cell:
    """A container's v1 ``state`` at one step."""
    if status is None:
        return _Cell(None, "—", NONE, "no container status")
    state = status.get("state") or {}
    key = (repr(sorted(state.items())), status.get("restartCount", 0))
    if "running" in state:
        return _Cell(key, "running", RUNNING, f"running since {state['running'].get('startedAt', '?')}")
    if "terminated" in state:
        term = state["terminated"]
        code = term.get("exitCode", 0)
        text = f"{term.get('reason') or 'terminated'} ({code})"
        return _Cell(key, text, EXITED if code == 0 else FAILED, f"terminated: {text}", f"exit {code}")
    waiting = state.get("waiting") or {}
    reason = str(waiting.get("reason", ""))
    title = f"waiting: {reason}" + (f": {waiting['message']}" if waiting.get("message") else "")
    return _Cell(key, reason or "waiting", WAITING if reason in _PLAIN_WAITING else BACKOFF, title)


def _model_cell(c: Ctr, grace: int) -> _Cell:
    """The container machine's state at one step: what the kubelet is doing, ahead of what the API shows."""
    st = c.state
    if st is CState.CRASH_BACKOFF:
        title = f"crash-loop back-off {c.backoff}s: the restart waits until t={c.due}s"
        return _Cell((st, c.backoff, c.due), f"CRASH_BACKOFF {c.backoff}s", BACKOFF, title, f"{c.backoff}s")
    if st is CState.PULL_BACKOFF:
        title = f"image back-off {c.pull_backoff}s; the kubelet syncs again at t={c.due}s"
        text = f"PULL_BACKOFF {c.pull_backoff}s"
        return _Cell((st, c.pull_backoff, c.due), text, BACKOFF, title, f"{c.pull_backoff}s")
    if st is CState.CREATE_ERROR:
        return _Cell((st, c.due), st.name, BACKOFF, f"create failed; the kubelet retries at t={c.due}s")
    if st.name in _GRACE:
        what = "the preStop hook runs" if st.name == "PRE_STOP" else "SIGTERM sent"
        title = f"grace period: {what}; SIGKILL due at t={c.due}s (terminationGracePeriodSeconds {grace})"
        return _Cell((st, c.due), f"{st.name} until {c.due}s", STOPPING, title, f"→{c.due}s")
    if st is CState.TERMINATED and c.term is not None and c.term.exit_code != 0:
        style = FAILED
    else:
        style = _BY_KIND.get(kind_of("container", st.name).key, NONE)
    return _Cell((st, c.restarts), st.name, style, f"container machine: {st.name}")


def _stage_cell(stage: PStage) -> _Cell:
    """The pod machine's stage at one step (a deleted pod's TERMINATING in the grace-period colour)."""
    style = STOPPING if stage.name == "TERMINATING" else _BY_KIND.get(kind_of("pod", stage.name).key, NONE)
    return _Cell(stage, stage.name, style, f"pod machine: {stage.name}")


def _event_label(i: int, step: Step) -> str:
    """``n. event container key=value ...``: the step's event as a script gives it."""
    data = event_to_dict(step.event)
    name = str(data.pop("event"))
    parts = [str(data.pop("container"))] if "container" in data else []
    parts += [f"{k}={v}" for k, v in data.items()]
    return clean(" ".join([f"{i + 1}. {name}", *parts]))


def _status_named(step: Step, name: str, init: bool) -> dict[str, Any] | None:
    """The v1 status of the container ``name`` at ``step``, or None before the kubelet reports it."""
    for status in (
        step.pod.get("status", {}).get("initContainerStatuses" if init else "containerStatuses") or []
    ):
        if status.get("name") == name:
            return dict(status)
    return None


def _container_markers(
    steps: Sequence[Step], idx: int, name: str, statuses: Sequence[dict[str, Any] | None], model: bool
) -> tuple[Marker, ...]:
    """Failed probes (``✗liveness``) and restarts (``↻n``, where ``restartCount`` grows) where they happen;
    the preStop hook or SIGTERM where a grace period starts, SIGKILL where one ends in it."""
    out: list[Marker] = []
    restarts = 0
    before = CState.WAITING
    for i, (step, status) in enumerate(zip(steps, statuses, strict=True)):
        ev = event_to_dict(step.event)
        if ev.get("event") == "probe" and ev.get("result") == "failure" and ev.get("container") == name:
            detail = f": {ev['message']}" if ev.get("message") else ""
            out.append(
                Marker(
                    i,
                    f"✗{ev.get('probe', '')}",
                    f"{ev.get('probe')} probe failed at t={step.t}s{detail}",
                    BACKOFF.line,
                )
            )
        n = int(status.get("restartCount", 0)) if status else 0
        if n > restarts:
            out.append(Marker(i, f"↻{n}", f"restart {n}: restartCount {n} at t={step.t}s", RESTART_COLOUR))
        restarts = n
        if not model:
            continue
        now = step.state.ctrs[idx]
        if now.state is not before and now.state.name in _GRACE:
            hook = now.state.name == "PRE_STOP"
            title = f"{'preStop hook' if hook else 'SIGTERM'} at t={step.t}s; SIGKILL due at t={now.due}s"
            out.append(Marker(i, "preStop" if hook else "SIGTERM", title, STOPPING.line))
        if before.name in _GRACE and now.term is not None and now.term.exit_code == 137:
            out.append(Marker(i, "SIGKILL", f"SIGKILL at t={step.t}s: the grace period ended", FAILED.line))
        before = now.state
    return tuple(out)


def _merged(markers: Sequence[Marker]) -> tuple[Marker, ...]:
    """Markers of one step merged into one (texts side by side, titles one per line), so none overlap."""
    out: list[Marker] = []
    for m in markers:
        if out and out[-1].step == m.step:
            prev = out[-1]
            out[-1] = Marker(m.step, f"{prev.text} {m.text}", f"{prev.title}\n{m.title}", prev.colour)
        else:
            out.append(m)
    return tuple(out)


def _deletion_markers(steps: Sequence[Step]) -> tuple[Marker, ...]:
    """Where the pod got its ``deletionTimestamp``: the pod's grace period starts there."""
    for i, step in enumerate(steps):
        meta = step.pod.get("metadata", {})
        if meta.get("deletionTimestamp"):
            grace = meta.get("deletionGracePeriodSeconds", "?")
            title = f"deleted at t={step.t}s: deletionTimestamp {meta['deletionTimestamp']}, grace period {grace}s"
            return (Marker(i, f"DELETE grace {grace}s", title, STOPPING.line),)
    return ()


def _event_markers(steps: Sequence[Step]) -> tuple[Marker, ...]:
    """A marker per step that emitted Events: the Warning reasons as its text, every message on hover."""
    out = []
    for i, step in enumerate(steps):
        if step.events:
            warnings = [e.reason for e in step.events if e.type == "Warning"]
            title = "\n".join(f"{e.type} {e.reason}: {e.message}" for e in step.events)
            colour = BACKOFF.line if warnings else NORMAL_COLOUR
            out.append(Marker(i, ",".join(dict.fromkeys(warnings)), title, colour))
    return tuple(out)


def _kind_label(spec: dict[str, Any], init: bool) -> str:
    """``container``, ``init container`` or ``sidecar`` (an init container with restartPolicy Always)."""
    if not init:
        return "container"
    return "sidecar" if spec.get("restartPolicy") == "Always" else "init container"


def timeline_of(steps: Sequence[Step], title: str = "") -> Timeline:
    """The lanes of a run (see the module docstring), from its steps in order."""
    if not steps:
        return Timeline(title, (), (), ())
    spec = steps[0].pod.get("spec", {})
    declared = [(c, True) for c in spec.get("initContainers") or []]
    declared += [(c, False) for c in spec.get("containers") or []]
    grace = spec.get("terminationGracePeriodSeconds")
    grace = grace if isinstance(grace, int) else 30  # the API default
    phases = [str(s.pod.get("status", {}).get("phase", "")) for s in steps]
    lanes = [
        Lane(
            "phase",
            "status.phase; pod machine",
            _segments([_Cell(p, p, _PHASE_STYLE.get(p, NONE), f"status.phase {p}") for p in phases]),
            _segments([_stage_cell(s.state.stage) for s in steps]),
            _deletion_markers(steps),
        ),
        Lane(
            "STATUS",
            "kubectl get pods",
            _segments(
                [
                    _Cell(
                        s.columns.status, s.columns.status, status_style(s.columns.status), s.columns.status
                    )
                    for s in steps
                ]
            ),
        ),
    ]
    model = all(len(s.state.ctrs) == len(declared) for s in steps)
    for idx, (c, init) in enumerate(declared):
        name = str(c.get("name", ""))
        statuses = [_status_named(s, name, init) for s in steps]
        lanes.append(
            Lane(
                name,
                f"{_kind_label(c, init)}; container machine",
                _segments([_container_cell(st) for st in statuses]),
                _segments([_model_cell(s.state.ctrs[idx], grace) for s in steps]) if model else (),
                _merged(_container_markers(steps, idx, name, statuses, model)),
            )
        )
    lanes.append(Lane("events", "Kubernetes Events", (), (), _event_markers(steps)))
    events = tuple(_event_label(i, s) for i, s in enumerate(steps))
    return Timeline(title, tuple(s.t for s in steps), events, tuple(lanes))


# ---------------------------------------------------------------------------------------------
# SVG
# ---------------------------------------------------------------------------------------------


def _x(text: str) -> str:
    """``text`` as XML character data or attribute value: cleaned (one line) and escaped."""
    text = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#39;")


def _title(text: str) -> str:
    """An SVG ``<title>`` (the tooltip): each line cleaned and escaped, the line breaks kept."""
    return "<title>" + "&#10;".join(_x(line) for line in text.split("\n")) + "</title>"


def _n(v: float) -> str:
    """A coordinate with one decimal and no trailing ``.0``: the same number always prints the same."""
    text = f"{v:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _width(text: str, size: float) -> float:
    """An estimate of the width ``text`` takes at font ``size`` (Helvetica-like, a little generous)."""
    return sum(0.68 if c.isupper() or c in "mwMW" else 0.56 for c in text) * size


def _fit(text: str, room: float, size: float) -> str:
    """``text`` if it fits in ``room`` pixels, else cut with an ellipsis, else ""."""
    if _width(text, size) <= room:
        return text
    while len(text) > 2 and _width(text + "…", size) > room:
        text = text[:-1]
    return text + "…" if len(text) > 2 else ""


def _positions(times: Sequence[int], x0: float) -> tuple[list[float], float]:
    """Where each step starts, and the pixels per second: each step :data:`SLOT`, plus the time to the next."""
    span = times[-1] - times[0] if times else 0
    scale = min(MAX_PX_PER_S, TIME_WIDTH / span) if span > 0 else 0.0
    xs = [x0] if times else []
    for prev, nxt in itertools.pairwise(times):
        xs.append(xs[-1] + SLOT + scale * (nxt - prev))
    return xs, scale


def render_timeline(tl: Timeline) -> str:
    """The timeline as a standalone SVG document."""
    x0 = LABEL_W + 12
    xs, scale = _positions(tl.times, x0)
    end = xs[-1] + SLOT + TAIL if xs else x0 + TAIL
    bounds = [*xs, end]  # the segment of steps i..j spans bounds[i] .. bounds[j + 1]
    ev_font = 10.0
    labels = [_fit(e, EVENT_W, ev_font) for e in tl.events]
    slant = max((_width(e, ev_font) for e in labels), default=0.0) * math.sqrt(0.5)
    top = 44 + slant
    rows: list[tuple[Lane, float, float]] = []  # lane, top, height
    y = top
    for lane in tl.lanes:
        height = 24.0 + (13.0 if lane.model else 0.0) + (10.0 if lane.band and lane.markers else 0.0)
        rows.append((lane, y, height if lane.band else 22.0))
        y += rows[-1][2] + 6
    axis_y = y + 8
    legend_y = axis_y + 46
    width = max(end + slant + 16, 12 + 3 * LEGEND_COL)
    height = legend_y + 20 * math.ceil((len(LEGEND) + 1) / 3) + 12
    svg: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Generated by podfsm.rendering.timeline from a simulated run: regenerate it, do not edit it. -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{FONT}" font-size="11" role="img">',
        _title(tl.title or "podfsm timeline"),
        f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
        f'<text x="12" y="22" font-size="14" font-weight="bold">{_x(_fit(tl.title, width - 24, 14))}</text>',
    ]
    for k, (_, ly, lh) in enumerate(rows):
        if k % 2 == 0:
            svg.append(
                f'<rect x="6" y="{_n(ly - 3)}" width="{_n(width - 12)}" height="{_n(lh + 6)}" fill="#f7fafc"/>'
            )
    for x, full, label in zip(xs, tl.events, labels, strict=True):
        cx, ty = x + SLOT / 2, top - 8
        svg.append(f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(axis_y)}" stroke="#e2e8f0"/>')
        svg.append(
            f'<g>{_title(full)}<text x="{_n(cx)}" y="{_n(ty)}" font-size="{_n(ev_font)}" fill="#2d3748" '
            f'transform="rotate(-45 {_n(cx)} {_n(ty)})">{_x(label)}</text></g>'
        )
    for lane, ly, _ in rows:
        svg.append(
            f'<g>{_title(lane.label)}<text x="12" y="{_n(ly + 11)}" font-weight="bold">'
            f"{_x(_fit(lane.label, LABEL_W - 8, 11))}</text></g>"
        )
        svg.append(
            f'<text x="12" y="{_n(ly + 23)}" font-size="9" fill="{NORMAL_COLOUR}">'
            f"{_x(_fit(lane.sublabel, LABEL_W - 8, 9))}</text>"
        )
        band_y = ly + (10.0 if lane.band and lane.markers else 0.0)
        svg += _band(lane.band, bounds, band_y, 20.0, 11.0)
        svg += _band(lane.model, bounds, band_y + 22.0, 11.0, 8.0)
        for n, m in enumerate(lane.markers):
            cx = xs[m.step] + SLOT / 2
            later = [xs[k.step] for k in lane.markers[n + 1 :] if k.step > m.step]
            room = min((later[0] - xs[m.step] - 10) if later else 90.0, 90.0)
            svg.append(_tick(m, cx, band_y, room) if lane.band else _flag(m, cx, ly + 14, room))
    svg += _axis(tl.times, xs, axis_y)
    svg += _legend(legend_y, scale)
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def _band(segments: Iterable[Segment], bounds: Sequence[float], y: float, h: float, size: float) -> list[str]:
    """One rounded box per segment, its text (or short text) inside when it fits, its title on hover."""
    out = []
    for seg in segments:
        x1, x2 = bounds[seg.first] + 1, bounds[seg.last + 1] - 1
        room = x2 - x1 - 6
        text = (
            seg.text
            if _width(seg.text, size) <= room
            else (seg.short if _width(seg.short, size) <= room else "")
        )
        text = text or _fit(seg.text, room, size)
        label = f'<text x="{_n(x1 + 3)}" y="{_n(y + h / 2 + size * 0.36)}" font-size="{_n(size)}">{_x(text)}</text>'
        out.append(
            f'<g>{_title(seg.title)}<rect x="{_n(x1)}" y="{_n(y)}" width="{_n(x2 - x1)}" height="{_n(h)}" rx="3" '
            f'fill="{seg.style.fill}" stroke="{seg.style.line}"/>{label if text else ""}</g>'
        )
    return out


def _tick(m: Marker, cx: float, band_y: float, room: float) -> str:
    """A container lane's marker: a tick down to the band at the step, its text (in ``room`` px) above the band."""
    return (
        f'<g>{_title(m.title)}<line x1="{_n(cx)}" y1="{_n(band_y - 9)}" x2="{_n(cx)}" y2="{_n(band_y + 2)}" '
        f'stroke="{m.colour}" stroke-width="2"/><text x="{_n(cx + 3)}" y="{_n(band_y - 2)}" font-size="9" '
        f'font-weight="bold" fill="{m.colour}">{_x(_fit(m.text, room, 9))}</text></g>'
    )


def _flag(m: Marker, cx: float, y: float, room: float) -> str:
    """The events lane's marker: a triangle at the step, the Warning reasons beside it (in ``room`` px)."""
    text = _fit(m.text, room, 9)
    label = f'<text x="{_n(cx + 6)}" y="{_n(y + 4)}" font-size="9" fill="{m.colour}">{_x(text)}</text>'
    return (
        f'<g>{_title(m.title)}<path d="M{_n(cx - 5)},{_n(y + 4)} L{_n(cx + 5)},{_n(y + 4)} L{_n(cx)},{_n(y - 5)} Z" '
        f'fill="{m.colour}"/>{label if text else ""}</g>'
    )


def _axis(times: Sequence[int], xs: Sequence[float], y: float) -> list[str]:
    """The broken time axis: a bracket under the steps of each instant, the gaps between them labelled ``+Ns``."""
    out = [f'<text x="12" y="{_n(y + 12)}" font-weight="bold">logical time</text>']
    groups: list[tuple[int, int]] = []  # the first and last step of each instant
    for i, t in enumerate(times):
        if groups and times[groups[-1][0]] == t:
            groups[-1] = (groups[-1][0], i)
        else:
            groups.append((i, i))
    for n, (first, last) in enumerate(groups):
        x1, x2 = xs[first] + 1, xs[last] + SLOT - 1
        out.append(
            f'<path d="M{_n(x1)},{_n(y - 4)} L{_n(x1)},{_n(y)} L{_n(x2)},{_n(y)} L{_n(x2)},{_n(y - 4)}" '
            'fill="none" stroke="#4a5568"/>'
        )
        out.append(f'<text x="{_n(x1)}" y="{_n(y + 12)}" font-size="10">{times[first]}s</text>')
        if n + 1 < len(groups):
            nxt = groups[n + 1][0]
            gx1, gx2 = x2 + 1, xs[nxt]
            out.append(
                f'<line x1="{_n(gx1)}" y1="{_n(y - 2)}" x2="{_n(gx2)}" y2="{_n(y - 2)}" stroke="#4a5568" stroke-width="3"/>'
            )
            gap = f"+{times[nxt] - times[last]}s"
            if _width(gap, 9) < gx2 - gx1 - 4:
                out.append(
                    f'<text x="{_n((gx1 + gx2) / 2)}" y="{_n(y + 12)}" font-size="9" fill="{NORMAL_COLOUR}" '
                    f'text-anchor="middle">{gap}</text>'
                )
    if not times:
        out.append(f'<text x="{_n(LABEL_W + 12)}" y="{_n(y + 12)}">no steps</text>')
    return out


def _legend(y: float, scale: float) -> list[str]:
    """How to read the drawing: the time scale, a swatch per colour, the markers."""
    per = f"{scale:.2f}".rstrip("0").rstrip(".")
    time_note = f"time between steps adds {per} px/s" if scale else "all steps happen at one logical instant"
    note = (
        f"Each step is at least {SLOT:.0f} px wide, so simultaneous steps stay visible; {time_note}. "
        "Thin bands: the pod and container machines' states. Hover for details."
    )
    out = [f'<text x="12" y="{_n(y - 14)}" font-size="10" fill="#4a5568">{_x(note)}</text>']
    for i, style in enumerate(LEGEND):
        x, ly = 12 + (i % 3) * LEGEND_COL, y + (i // 3) * 20
        out.append(
            f'<rect x="{_n(x)}" y="{_n(ly)}" width="22" height="12" rx="3" fill="{style.fill}" stroke="{style.line}"/>'
        )
        out.append(f'<text x="{_n(x + 28)}" y="{_n(ly + 10)}" font-size="10">{_x(style.meaning)}</text>')
    i = len(LEGEND)
    x, ly = 12 + (i % 3) * LEGEND_COL, y + (i // 3) * 20
    out.append(
        f'<text x="{_n(x)}" y="{_n(ly + 10)}" font-size="10"><tspan font-weight="bold" fill="{RESTART_COLOUR}">↻n</tspan> '
        f'restart n   <tspan fill="{BACKOFF.line}">▲</tspan> Warning   <tspan fill="{NORMAL_COLOUR}">▲</tspan> Normal event</text>'
    )
    return out


# ---------------------------------------------------------------------------------------------
# Scenarios: examples/<name>/ holds a manifest and a script.yaml (or a scenario.yaml with node events)
# ---------------------------------------------------------------------------------------------

_MANIFEST_SUFFIXES: Final = (".yaml", ".yml", ".json")


_SCRIPTS: Final = ("script.yaml", "scenario.yaml")


def _script(folder: Path) -> Path | None:
    """``folder``'s script: ``script.yaml`` (one pod), else ``scenario.yaml`` (a pod and its node)."""
    return next((folder / n for n in _SCRIPTS if (folder / n).is_file()), None)


def scenarios(examples: Path) -> list[Path]:
    """The folders under ``examples`` that hold a one-pod scenario, sorted by name: a ``script.yaml``,
    or a ``scenario.yaml`` (node events) beside a manifest of one pod."""
    found = []
    for folder in sorted(p for p in examples.iterdir() if p.is_dir()):
        script = _script(folder)
        if script is None:
            continue
        if script.name == "scenario.yaml" and len(load_pods(_manifest(folder))) != 1:
            continue  # several pods on one node: a timeline draws one pod
        found.append(folder)
    return found


def _manifest(folder: Path) -> Path:
    """The one manifest beside the folder's script; :class:`ManifestError` if there is not exactly one."""
    manifests = sorted(
        p for p in folder.iterdir() if p.suffix in _MANIFEST_SUFFIXES and p.name not in _SCRIPTS
    )
    if len(manifests) != 1:
        raise ManifestError(
            f"{folder}: a scenario holds one manifest beside its script (found {len(manifests)})"
        )
    return manifests[0]


def run_scenario(folder: Path) -> list[Step]:
    """Run ``folder``'s one pod through its script (with its node, for node events); :class:`ManifestError` on bad input."""
    script = _script(folder)
    if script is None:
        raise ManifestError(f"{folder}: no {' or '.join(_SCRIPTS)}")
    text, display = read_text(script)
    events = [ev for _, _, ev in events_from_script(load_documents(text, display), display)]
    if not any(isinstance(ev, NodeEvent) for ev in events):
        return Simulator(load_pod(_manifest(folder))).run(events)
    cluster = ClusterSimulator(load_pods(_manifest(folder)))
    for ev in events:
        cluster.apply(ev)
    return cluster.pod_history(cluster.plan.names[0])


def scenario_title(manifest: str, script: str, steps: Sequence[Step]) -> str:
    """A timeline's title: the pod's name, the files the run came from, the number of steps."""
    name = steps[0].pod.get("metadata", {}).get("name", "pod") if steps else "pod"
    return f"{name}: {manifest} + {script} ({len(steps)} steps)"


def write_timelines(examples: Path, out_dir: Path) -> list[Path]:
    """Draw every scenario under ``examples`` as ``out_dir/<name>.svg``; returns the files written.

    Every scenario runs before anything is written, so a broken one leaves ``out_dir`` untouched.
    """
    rendered = []
    for folder in scenarios(examples):
        steps = run_scenario(folder)
        where = f"{examples.resolve().name}/{folder.name}"
        script = _script(folder)
        assert script is not None  # scenarios() lists folders with a script
        title = scenario_title(f"{where}/{_manifest(folder).name}", f"{where}/{script.name}", steps)
        rendered.append((out_dir / f"{folder.name}.svg", render_timeline(timeline_of(steps, title))))
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, text in rendered:
        path.write_bytes(text.encode("utf-8"))
    return [p for p, _ in rendered]
