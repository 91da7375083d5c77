"""Trace validation: is an observed pod history one that Kubernetes can produce?

The trace *conforms* when some run of the model, with environment events the checker chooses
(pulls, starts, exits with any exit code the observations show, start failures, probe results,
hooks, deletes, ticks), publishes a sequence of statuses in which the observations appear in
order, each matching one published status on every field it shows
(:func:`podfsm.traces.observations.differences`). Between two observations the model may take up
to ``max_silent`` silent steps (a watch coalesces updates, kubectl prints only some of them); two
observations may also match the same status (a watch event for a change that shows nothing
the observation compares: stuttering). Timestamps are not compared.

The search is guided, not blind: from the states that explain one observation it expands, best
first, the states closest to the next observation (:func:`podfsm.traces.observations.distance`:
each missing restart counts as the steps a restart takes), and it drops the states no later
state can take back to the observation (a restart count above the observed one, a terminal phase
or a deletion the observation does not show). A failure names the first observation no run
reaches, the last one explained, the model statuses closest to it with the fields that differ,
and, where one applies, the property or table rule the step between the two observations breaks.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from podfsm.api import Pod
from podfsm.config import Config
from podfsm.engine import compile_plan, describe, enabled_events, initial, never_pull_images, step
from podfsm.errors import IllegalTransition, ManifestError
from podfsm.events import (
    CREATE_FAILURE_REASONS,
    IMAGE_PULL_REASONS,
    START_FAILURE_REASONS,
    ContainerEvent,
    ContainerExited,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    ImagePullFailed,
    Schedule,
    Tick,
    event_to_dict,
)
from podfsm.kubelet.snapshot import pod_json, timestamp
from podfsm.machines.pod import PStage
from podfsm.machines.records import ContainerKind, PodPlan, PodState
from podfsm.model import DEFAULT, Model
from podfsm.oracle import kubectl_columns
from podfsm.simulator import pod_model
from podfsm.traces.observations import (
    Observation,
    ObsKind,
    View,
    differences,
    distance,
    object_observation,
    view_of,
)
from podfsm.verification.explorer import default_horizon, gc_paused, state_key

__all__ = [
    "DEFAULT_MAX_SILENT",
    "Mismatch",
    "PodVerdict",
    "TraceVerdict",
    "check_trace",
    "manifest_of",
    "states_from_pod",
]

#: Silent steps allowed between two observations: enough for every example (a restart with its
#: back-off and pull is about four steps; kubectl -w may skip many updates).
DEFAULT_MAX_SILENT: Final = 400
#: Where the greedy pass gets stuck, the searches it escalates to: (observations searched again
#: before the stuck one, ``None``: from the start of the trace; expansions allowed). Each is one
#: best-first search of the product of the model and the trace (:func:`_product`): it commits to
#: no explanation of an observation until the last one is explained, so the hidden state an
#: observation leaves open (exit codes, back-off, which container restarted) is never cut away.
ESCALATION: Final = ((2, 2_000), (8, 8_000), (None, 20_000))
#: The product search's reward for each observation explained (against steps taken).
PROGRESS: Final = 4
#: A search gathering several explanations stops this many times their number of expansions
#: after its first.
AFTER_FIRST: Final = 8
#: How much a unit of distance to the observation weighs against a step taken (weighted A*: the
#: search prefers states closer to the observation, but a long detour costs).
WEIGHT: Final = 1
_EXIT_REASON_CODE: Final = {"Completed": 0, "Error": 1, "OOMKilled": 137}


@dataclass(frozen=True, slots=True)
class _Node:
    state: PodState
    event: Event | None
    parent: _Node | None
    steps: int  # model events since the start of the trace


def _path(node: _Node | None) -> list[Event]:
    out: list[Event] = []
    while node is not None and node.event is not None:
        out.append(node.event)
        node = node.parent
    out.reverse()
    return out


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Why a pod's history does not conform."""

    observation: Observation  # the first observation no run reaches
    last_explained: Observation | None
    closest: tuple[tuple[str, tuple[str, ...]], ...]  # (model status, fields that differ)
    rule: str | None  # the property or table rule the step breaks, when one applies
    why: str  # what the search established

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.observation.line,
            "observation": self.observation.describe(),
            "last_explained_line": None if self.last_explained is None else self.last_explained.line,
            "closest": [{"model": m, "differences": list(d)} for m, d in self.closest],
            "rule": self.rule,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class PodVerdict:
    """The verdict on one pod's history."""

    pod: str
    observations: int
    explained: int
    events: tuple[Event, ...]  # the witness: model events from the pod's creation
    failure: Mismatch | None = None

    @property
    def conforms(self) -> bool:
        return self.failure is None

    def witness_script(self) -> list[dict[str, Any]]:
        """The witness as a ``podfsm simulate`` script."""
        return [event_to_dict(e) for e in self.events]


@dataclass(frozen=True, slots=True)
class TraceVerdict:
    """The verdict on a trace: one :class:`PodVerdict` per pod it shows, in order of appearance."""

    pods: tuple[PodVerdict, ...] = field(default_factory=tuple)

    @property
    def conforms(self) -> bool:
        return all(p.conforms for p in self.pods)

    @property
    def observations(self) -> int:
        return sum(p.observations for p in self.pods)

    @property
    def events(self) -> int:
        return sum(len(p.events) for p in self.pods)

    @property
    def failure(self) -> Mismatch | None:
        return next((p.failure for p in self.pods if p.failure is not None), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "observations": self.observations,
            "model_events": self.events,
            "pods": [
                {
                    "pod": p.pod,
                    "conforms": p.conforms,
                    "observations": p.observations,
                    "explained": p.explained,
                    "witness": p.witness_script(),
                    **({"failure": p.failure.to_dict()} if p.failure is not None else {}),
                }
                for p in self.pods
            ],
        }


class _Views:
    """The published view of each state, computed once."""

    def __init__(self, plan: PodPlan, *, columns: bool = True) -> None:
        self.plan = plan
        self.columns = columns  # kubectl's columns, only for a history with rows
        self.cache: dict[PodState, View] = {}
        self.monotonic = not plan.init_idx  # kubectl's RESTARTS (see View.restarts_monotonic)

    def __call__(self, s: PodState) -> View:
        v = self.cache.get(s)
        if v is None:
            if s.stage is PStage.REMOVED:
                v = view_of(None, None, restarts_monotonic=self.monotonic)
            else:
                pod = pod_json(self.plan, s)
                cols = kubectl_columns(pod, now=timestamp(self.plan, s.t)) if self.columns else None
                v = view_of(pod, cols, restarts_monotonic=self.monotonic)
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[s] = v
        return v


def _exit_variants(obs: Observation, container: str) -> list[ContainerExited]:
    """Exits of ``container`` with the exit codes (and OOMKilled) the observation shows."""
    out: list[ContainerExited] = []
    if obs.kind is ObsKind.OBJECT:
        for c in obs.containers or ():
            if c.name != container:
                continue
            for code, reason in ((c.exit_code, c.reason), (c.last_exit_code, None)):
                if code is not None and 0 <= code <= 255:
                    out.append(
                        ContainerExited(container, code, "OOMKilled" if reason == "OOMKilled" else None)
                    )
    elif obs.kind is ObsKind.ROW and obs.status is not None:
        status = obs.status.removeprefix("Init:")
        code = _EXIT_REASON_CODE.get(status)
        if code is not None:
            out.append(ContainerExited(container, code, "OOMKilled" if status == "OOMKilled" else None))
        elif status.startswith("ExitCode:"):
            text = status.removeprefix("ExitCode:")
            if text.isdigit() and int(text) <= 255:
                out.append(ContainerExited(container, int(text)))
    return out


def _reasons_shown(obs: Observation) -> set[str]:
    """The waiting / terminated reasons the observation shows (a row: its STATUS)."""
    if obs.kind is ObsKind.OBJECT:
        return {c.reason for c in obs.containers or () if c.reason}
    if obs.status is not None:
        return {obs.status.removeprefix("Init:")}
    return set()


def _moves(plan: PodPlan, s: PodState, obs: Observation) -> list[Event]:
    """The environment events to try in ``s`` toward ``obs``: the model's enabled events, and the
    variants the observation asks for (its exit codes, start failures, a forced delete, an eviction)."""
    evs = list(enabled_events(plan, s))
    seen = set(evs)
    extra: list[Event] = []
    reasons = _reasons_shown(obs)
    start_failures = sorted(reasons & {*CREATE_FAILURE_REASONS, *START_FAILURE_REASONS})
    pull_failures = sorted(reasons & set(IMAGE_PULL_REASONS))
    for ev in evs:
        if type(ev) is ContainerExited:
            extra.extend(_exit_variants(obs, ev.container))
        elif type(ev) is ContainerStartFailed:
            extra.extend(ContainerStartFailed(ev.container, r) for r in start_failures)
        elif type(ev) is ImagePullFailed:
            extra.extend(ImagePullFailed(ev.container, r) for r in pull_failures)
        elif type(ev) is Schedule:
            # a node that already has the images: the only way an imagePullPolicy Never container
            # starts (ErrImageNeverPull otherwise), and a start with no pull for the others
            every = tuple(sorted({cp.image for cp in plan.containers}))
            extra.extend(Schedule(ev.node, images) for images in (never_pull_images(plan), every) if images)
        elif type(ev) is Delete:
            extra.append(Delete(0))
            if obs.conditions and any(t == "DisruptionTarget" for t, _, _ in obs.conditions):
                extra.append(Evict())
    # Time is not observed: a long idle spell, past the back-off's reset (see _idle), is always a
    # possible silent step; and so is a second passing with no timer due (the kubelet's next sync
    # shows what the last one decided: a tick to the next timer alone would skip it when the next
    # timer is the active deadline)
    if s.stage is not PStage.REMOVED:
        extra.extend(Tick(t) for t in (1, _idle(plan)) if s.t + t <= plan.config.last_second)
    for ev in extra:
        if ev not in seen:
            seen.add(ev)
            evs.append(ev)
    return evs


def _idle(plan: PodPlan) -> int:
    """A silent idle spell: past the back-off's reset, for the crash-loop and the image-pull
    back-offs alike (flowcontrol backoff.go ``hasExpired``: an entry not updated for more than
    2 * maxDuration starts over; k8s-semantics.md, Back-off: Reset)."""
    return 2 * max(plan.config.back_off_max, plan.config.image_back_off_max) + 1


def _relevance(ev: Event, differing: frozenset[str], idle: int) -> int:
    """How likely ``ev`` is to move a state toward the observation (lower first): an event on a
    container whose observed status differs, then other container events, then time, then the rest."""
    if isinstance(ev, ContainerEvent):
        return 0 if ev.container in differing else 1
    if type(ev) is Tick:
        return 2 if ev.seconds != idle else 4  # an idle spell last
    return 3


def _candidates(plan: PodPlan, s: PodState, v: View, obs: Observation) -> list[Event]:
    """:func:`_moves` without the deletes an observation of a live object rules out (a deletion is
    never undone: every later state shows it), the likeliest first."""
    evs = _moves(plan, s, obs)
    if not v.deleted and (
        (obs.kind is ObsKind.OBJECT and obs.deleted is False)
        or (obs.kind is ObsKind.ROW and obs.status is not None and obs.status not in _DELETED_STATUSES)
    ):
        evs = [ev for ev in evs if type(ev) is not Delete and type(ev) is not Evict]
    if obs.kind is ObsKind.OBJECT:
        shown = {(c.name, c.init): c for c in v.containers}
        differing = frozenset(c.name for c in obs.containers or () if shown.get((c.name, c.init)) != c)
    else:
        differing = frozenset(cp.name for cp in plan.containers)
    idle = _idle(plan)
    evs.sort(key=lambda ev: _relevance(ev, differing, idle))
    return evs


#: kubectl's STATUS of an object with a deletionTimestamp (printPod: NodeLost shows Unknown).
_DELETED_STATUSES: Final = frozenset({"Terminating", "Unknown"})


@dataclass(frozen=True, slots=True)
class _Search:
    """How hard one gap between two observations is searched."""

    want: int  # explanations to collect before stopping
    budget: int  # expansions allowed
    exact: bool  # dedupe on the exact state (fast) or on the explorer's time-normalized key


#: The greedy pass: the first explanation, from exact states (cheap to key, but time makes them
#: endless), within a budget that a gap of a few events never needs; past it, the beams take over.
_GREEDY: Final = _Search(want=1, budget=256, exact=True)


def _segment(
    plan: PodPlan,
    views: _Views,
    starts: Sequence[_Node],
    obs: Observation,
    max_silent: int,
    how: _Search,
) -> tuple[list[_Node], list[tuple[int, _Node]], str]:
    """The states explaining ``obs`` reached from ``starts`` (the nearest first), the closest
    states seen (for a failure report) and how the search ended: ``"done"`` (every run was
    searched), ``"depth"`` (some runs were cut at ``max_silent`` steps) or ``"budget"``.

    Best first (weighted A* on :func:`distance`), with the goal tested as states are generated:
    a gap of one event costs one expansion, its likeliest moves stepped first."""
    counter = itertools.count()
    heap: list[tuple[int, int, int, int, _Node]] = []
    horizon = default_horizon(plan)
    seen: set[Any] = set()
    closest: list[tuple[int, int, _Node]] = []
    matches: list[_Node] = []

    def key(s: PodState) -> Any:
        return s if how.exact else state_key(s, horizon)

    def note(d: int, c: int, node: _Node) -> None:
        if len(closest) < 3 or d < closest[-1][0]:
            closest.append((d, c, node))
            closest.sort(key=lambda x: (x[0], x[1]))
            del closest[3:]

    for n in starts:
        k0 = key(n.state)
        if k0 in seen:
            continue
        seen.add(k0)
        v = views(n.state)
        d = distance(obs, v)
        if d is None:
            continue
        c = next(counter)
        if d == 0 and not differences(obs, v):  # stuttering: the observation shows this status again
            matches.append(n)
            if len(matches) >= how.want:
                return matches, [], "done"
        else:
            note(d, c, n)
        heapq.heappush(heap, (WEIGHT * d, d, 0, c, n))  # the beam looks past a match for others
    expansions = 0
    after_first = 0
    ended = "done"
    while heap:
        _, d, k, c, node = heapq.heappop(heap)
        if matches:
            after_first += 1
            if after_first > AFTER_FIRST * how.want:
                break
        if node.state.stage is PStage.REMOVED:
            continue
        if k > max_silent:  # the step that shows the observation is not silent
            ended = "depth"
            continue
        expansions += 1
        if expansions > how.budget:
            ended = "budget"
            break
        for ev in _candidates(plan, node.state, views(node.state), obs):
            try:
                ns = step(plan, node.state, ev)
            except (IllegalTransition, ManifestError):
                continue
            kk = key(ns)
            if kk in seen:
                continue
            seen.add(kk)
            v = views(ns)
            dd = distance(obs, v)
            if dd is None:
                continue
            child = _Node(ns, ev, node, node.steps + 1)
            cc = next(counter)
            if dd == 0 and not differences(obs, v):
                matches.append(child)
                if len(matches) >= how.want:
                    return matches, [(x, n) for x, _, n in closest], ended
            else:
                note(dd, cc, child)
            heapq.heappush(heap, (k + 1 + WEIGHT * dd, dd, k + 1, cc, child))
    return matches, [(x, n) for x, _, n in closest], ended


_NEVER_RULE: Final = "never-policy-never-restarts"
_MONOTONIC: Final = "restart-count-monotonic"
_TERMINAL: Final = "terminal-phase-absorbing"
_DELETED: Final = "pod table: a deleted pod only stops (metadata.deletionTimestamp is never unset)"
_REMOVED: Final = "kubelet-removes-only-finished-pods: a removed pod never comes back"


def _rule(plan: PodPlan, prev: Observation | None, obs: Observation) -> str | None:
    """The property or table rule the step from ``prev`` to ``obs`` breaks, when one applies."""
    if obs.kind is ObsKind.OBJECT:
        init_running = any(
            c.init
            and c.state == "running"
            and plan.containers[plan.by_name[c.name]].kind is ContainerKind.INIT
            for c in obs.containers or ()
            if c.name in plan.by_name
        )
        app_started = any(
            not c.init and (c.state in ("running", "terminated") or (c.restart_count or 0) > 0)
            for c in obs.containers or ()
        )
        if init_running and app_started:
            return "no-app-container-before-initialization"
    if prev is None or prev.kind is ObsKind.REMOVED:
        return _REMOVED if prev is not None else None
    if prev.kind is ObsKind.ROW and obs.kind is ObsKind.ROW:
        if prev.restarts is not None and obs.restarts is not None:
            # kubectl counts only the init containers' restarts until the pod is initialized
            # (printPod; k8s-semantics.md kubectl RESTARTS): with init containers, RESTARTS drops
            # once they are done
            if obs.restarts < prev.restarts and not plan.init_idx:
                return _MONOTONIC
            if obs.restarts > prev.restarts and plan.restart_policy.value == "Never" and not plan.sidecar_idx:
                return _NEVER_RULE
        if prev.status in _DELETED_STATUSES and obs.status not in _DELETED_STATUSES:
            return _DELETED
        return None
    if prev.kind is ObsKind.OBJECT and obs.kind is ObsKind.OBJECT:
        before = {(c.name, c.init): c for c in prev.containers or ()}
        for c in obs.containers or ():
            p = before.get((c.name, c.init))
            if p is None or p.restart_count is None or c.restart_count is None:
                continue
            if c.restart_count < p.restart_count:
                return _MONOTONIC
            kind = plan.containers[plan.by_name[c.name]].kind if c.name in plan.by_name else None
            if (
                c.restart_count > p.restart_count
                and plan.restart_policy.value == "Never"
                and kind is not ContainerKind.SIDECAR
            ):
                return _NEVER_RULE
        if prev.phase in ("Succeeded", "Failed") and obs.phase != prev.phase:
            return _TERMINAL
        if prev.deleted and obs.deleted is False:
            return _DELETED
    return None


def _template(pod: Pod | Mapping[str, Any] | None, history: Sequence[Observation], name: str) -> Pod:
    """The pod spec a history runs: ``pod`` (a Pod or a workload), else its first object's spec."""
    if pod is None:
        first = next((o.obj for o in history if o.obj is not None), None)
        if first is None:
            raise ManifestError(
                f"pod {name}: a trace of kubectl rows needs the pod's manifest (--pod POD_FILE)"
            )
        spec = dict(first.get("spec") or {})
        spec.pop("nodeName", None)
        meta = first.get("metadata") or {}
        obj: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {k: meta[k] for k in ("name", "namespace", "uid") if k in meta},
            "spec": spec,
        }
        return pod_model(obj)
    model = pod_model(pod)
    meta = model.metadata.model_copy(update={"name": name})
    return model.model_copy(update={"metadata": meta})


_FAR: Final = 1 << 30  # the distance of a state no later state of its run takes to the observation


@dataclass(frozen=True, slots=True)
class _Marks:
    """The explanations a product-search path has chosen: observation ``idx`` is ``node``."""

    idx: int
    node: _Node
    prev: _Marks | None


def _product(
    plan: PodPlan,
    views: _Views,
    history: Sequence[Observation],
    starts: Sequence[_Node],
    first: int,
    last: int,
    max_silent: int,
    budget: int,
) -> tuple[list[_Node] | None, int, list[tuple[int, _Node]], str]:
    """One best-first search over (model state, observations explained so far) for a run that
    explains observations ``first``..``last`` in order, from ``starts``.

    Returns the explanation of each (``None`` when no run was found), the furthest observation
    reached (the one no run explains, on failure), the closest states to it and how the search
    ended (``"done"``, ``"depth"`` or ``"budget"``)."""
    horizon = default_horizon(plan)
    counter = itertools.count()
    heap: list[tuple[int, int, int, _Node, int, int, _Marks | None]] = []
    seen: set[tuple[Any, int]] = set()
    furthest = first
    closest: list[tuple[int, int, _Node]] = []
    ended = "done"

    def push(node: _Node, idx: int, since: int, marks: _Marks | None, d: int) -> None:
        f = node.steps + WEIGHT * d - PROGRESS * idx
        heapq.heappush(heap, (f, -idx, next(counter), node, idx, since, marks))

    def note(idx: int, d: int, node: _Node) -> None:
        nonlocal furthest, closest
        if idx > furthest:
            furthest, closest = idx, []
        if idx == furthest and (len(closest) < 3 or d < closest[-1][0]):
            closest.append((d, next(counter), node))
            closest.sort(key=lambda x: (x[0], x[1]))
            del closest[3:]

    for n in starts:
        k0 = (state_key(n.state, horizon), first)
        if k0 not in seen:
            seen.add(k0)
            d = distance(history[first], views(n.state))
            if d is not None:
                note(first, d, n)
                push(n, first, 0, None, d)
    expansions = 0
    while heap:
        _, _, _, node, idx, since, marks = heapq.heappop(heap)
        v = views(node.state)
        obs = history[idx]
        if not differences(obs, v):  # explains observation idx: go on to the next (or stay)
            marked = _Marks(idx, node, marks)
            if idx == last:
                out: list[_Node] = []
                m: _Marks | None = marked
                while m is not None:
                    out.append(m.node)
                    m = m.prev
                out.reverse()
                return out, last + 1, [], "done"
            k1 = (state_key(node.state, horizon), idx + 1)
            if k1 not in seen:
                seen.add(k1)
                d1 = distance(history[idx + 1], v)
                note(idx + 1, _FAR if d1 is None else d1, node)
                if d1 is not None:
                    push(node, idx + 1, 0, marked, d1)
        if node.state.stage is PStage.REMOVED:
            continue
        if since > max_silent:  # the step that shows the observation is not silent
            ended = "depth"
            continue
        expansions += 1
        if expansions > budget:
            ended = "budget"
            break
        for ev in _candidates(plan, node.state, v, obs):
            try:
                ns = step(plan, node.state, ev)
            except (IllegalTransition, ManifestError):
                continue
            kk = (state_key(ns, horizon), idx)
            if kk in seen:
                continue
            seen.add(kk)
            dd = distance(obs, views(ns))
            if dd is None:
                continue
            child = _Node(ns, ev, node, node.steps + 1)
            note(idx, dd, child)
            push(child, idx, since + 1, marks, dd)
    return None, furthest, [(d, n) for d, _, n in closest], ended


def _check_pod(plan: PodPlan, history: Sequence[Observation], max_silent: int) -> PodVerdict:
    """Greedy first: one explanation per observation, found best first. Where it gets stuck, the
    observations before it are searched again as one product search (:data:`ESCALATION`: a longer
    window and a larger budget, up to the whole trace) before the trace is declared not to conform."""
    views = _Views(plan, columns=any(o.kind is ObsKind.ROW for o in history))
    frontiers: list[list[_Node]] = [[_Node(initial(plan), None, None, 0)]]
    i = 0
    while i < len(history):
        matches, closest, ended = _segment(plan, views, frontiers[i], history[i], max_silent, _GREEDY)
        if matches:
            frontiers.append(matches)
            i += 1
            continue
        rule = _rule(plan, history[i - 1] if i else None, history[i])
        if rule is not None and plan.model == DEFAULT:
            # Kubernetes' own model keeps every one of these rules in every run (the explorer and
            # the property suites check them as invariants): searching again cannot help. A
            # mutant may break any of them, so its traces are searched.
            return _mismatch(plan, views, history, frontiers, i, closest, "rule", max_silent)
        for window, budget in ESCALATION:
            first = 0 if window is None else max(0, i + 1 - window)
            found, stuck, closest, ended = _product(
                plan, views, history, frontiers[first], first, i, max_silent, budget
            )
            if found is not None:
                del frontiers[first + 1 :]
                frontiers.extend([n] for n in found)
                break
            if first == 0 and ended != "budget":  # every run from the creation was searched
                return _mismatch(plan, views, history, frontiers, stuck, closest, ended, max_silent)
        else:
            return _mismatch(plan, views, history, frontiers, stuck, closest, ended, max_silent)
        i += 1
    best = min(frontiers[-1], key=lambda n: n.steps)
    return PodVerdict(plan.name, len(history), len(history), tuple(_path(best)))


def _mismatch(
    plan: PodPlan,
    views: _Views,
    history: Sequence[Observation],
    frontiers: list[list[_Node]],
    i: int,
    closest: list[tuple[int, _Node]],
    ended: str,
    max_silent: int,
) -> PodVerdict:
    obs = history[i]
    prev = history[i - 1] if i > 0 else None
    by_difference: dict[tuple[str, ...], str] = {}  # one status per distinct difference
    for _, n in closest:
        by_difference.setdefault(tuple(differences(obs, views(n.state))), describe(plan, n.state))
    shown = tuple((model, differ) for differ, model in by_difference.items())
    why = {
        "done": "no run of the model explains it: every run that explains the observations before "
        "it was searched",
        "depth": f"no run explains it within {max_silent} silent steps",
        "budget": f"no run found within the search budget ({ESCALATION[-1][1]} states)",
        "rule": "no run of the model shows it: it breaks a rule that every run keeps",
    }[ended]
    best = frontiers[i][0] if i < len(frontiers) and frontiers[i] else None
    return PodVerdict(
        plan.name,
        len(history),
        i,
        tuple(_path(best)),
        Mismatch(obs, prev, shown, _rule(plan, prev, obs), why),
    )


def check_trace(
    pod: Pod | Mapping[str, Any] | None,
    observations: Iterable[Observation],
    *,
    max_silent: int = DEFAULT_MAX_SILENT,
    model: Model = DEFAULT,
    config: Config | None = None,
) -> TraceVerdict:
    """Whether ``observations`` (:func:`podfsm.traces.load_trace`) can come from Kubernetes.

    ``pod``: the pod's manifest (a Pod, a v1 mapping, or a workload whose template every pod of the
    trace gets), or ``None`` to take each pod's spec from its first object. ``model``: the model
    to search (a mutant rejects some conforming traces). One history per pod name, checked in
    order of first appearance.
    """
    if isinstance(max_silent, bool) or not isinstance(max_silent, int) or max_silent < 0:
        raise ManifestError(f"max_silent must be a non-negative integer (got {max_silent!r})")
    histories: dict[str, list[Observation]] = {}
    for o in observations:
        if not isinstance(o, Observation):
            raise ManifestError(f"observations are podfsm.traces.Observation values (got {type(o).__name__})")
        histories.setdefault(o.pod, []).append(o)
    if not histories:
        raise ManifestError("the trace holds no observation")
    verdicts = []
    for name, history in histories.items():
        plan = compile_plan(_template(pod, history, name), config, model)
        with gc_paused():  # the search's states form no cycles (see the explorer)
            verdicts.append(_check_pod(plan, history, max_silent))
    return TraceVerdict(tuple(verdicts))


def manifest_of(pod: Mapping[str, Any]) -> Pod:
    """The manifest a live v1 Pod object runs: its spec without ``spec.nodeName`` (the model binds
    the pod itself), its name, namespace and uid; the status is left out. The plan
    :func:`states_from_pod` searches is compiled from it: start a :class:`podfsm.Simulator` of
    this manifest at one of those states."""
    if not isinstance(pod, Mapping):
        raise ManifestError(f"expected a v1 Pod mapping (got {type(pod).__name__})")
    obs = object_observation(pod, 1)
    return _template(None, [obs], obs.pod)


_BACK_OFF: Final = re.compile(r"^back-off (\S+) ")


def _back_offs(pod: Mapping[str, Any]) -> dict[str, str]:
    """Each container's back-off as its CrashLoopBackOff message tells it ("back-off 40s restarting
    failed container=...": kuberuntime_manager.go doBackOff), by container name."""
    out: dict[str, str] = {}
    status = pod.get("status") if isinstance(pod.get("status"), Mapping) else {}
    assert isinstance(status, Mapping)
    for key in ("initContainerStatuses", "containerStatuses"):
        for cs in status.get(key) or ():
            if not isinstance(cs, Mapping) or not isinstance(cs.get("state"), Mapping):
                continue
            waiting = cs["state"].get("waiting")
            if isinstance(waiting, Mapping) and waiting.get("reason") == "CrashLoopBackOff":
                m = _BACK_OFF.match(str(waiting.get("message") or ""))
                if m:
                    out[str(cs.get("name", ""))] = m.group(1)
    return out


def states_from_pod(
    pod: Mapping[str, Any],
    *,
    model: Model = DEFAULT,
    config: Config | None = None,
    limit: int = 8,
) -> list[PodState]:
    """The model states consistent with a live v1 Pod object (``kubectl get pod -o json``), the
    one reached with the fewest events first; at most ``limit``.

    The pod's spec is the object's (``spec.nodeName`` aside); the states are reached from the
    pod's creation by the trace checker's search, so every one is a state Kubernetes can be in.
    Consistent means: the object's phase, conditions, deletionTimestamp and each container's
    state, reason, exit codes, lastState, ready, started and restartCount
    (:func:`podfsm.traces.observations.differences`), and each CrashLoopBackOff's back-off as
    its message tells it. Start a simulation there with
    ``Simulator(manifest_of(pod), start=state)`` (``podfsm simulate --from POD_JSON``). An object no run reaches raises
    :class:`~podfsm.errors.ManifestError` with the closest model status and what differs.
    """
    if not isinstance(pod, Mapping):
        raise ManifestError(f"expected a v1 Pod mapping (got {type(pod).__name__})")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ManifestError(f"limit must be a positive integer (got {limit!r})")
    obs = object_observation(pod, 1)
    plan = compile_plan(manifest_of(pod), config, model)
    views = _Views(plan, columns=False)
    want = _back_offs(pod)
    start = [_Node(initial(plan), None, None, 0)]
    closest: list[tuple[int, _Node]] = []
    levels = (_GREEDY, *(_Search(limit, budget, False) for _, budget in ESCALATION))
    for how in levels:
        matches, closest, _ = _segment(plan, views, start, obs, DEFAULT_MAX_SILENT, how)
        found = [n for n in matches if not want or _back_offs(pod_json(plan, n.state)) == want]
        if found:
            if limit > len(found):  # the others the first search's neighbourhood holds
                more, _, _ = _segment(
                    plan, views, start, obs, DEFAULT_MAX_SILENT, _Search(limit, 1_000, False)
                )
                have = {n.state for n in found}
                found += [
                    n
                    for n in more
                    if n.state not in have and (not want or _back_offs(pod_json(plan, n.state)) == want)
                ]
            return [n.state for n in found[:limit]]
    near = closest[0][1] if closest else start[0]
    differ = differences(obs, views(near.state)) or [
        f"back-off {want} (model: {_back_offs(pod_json(plan, near.state))})"
    ]
    raise ManifestError(
        f"pod {obs.pod}: no run of the model reaches this status; closest: "
        f"{describe(plan, near.state)}, differing in {'; '.join(differ)}"
    )
