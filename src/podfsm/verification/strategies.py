"""Hypothesis strategies for pods and for what happens to them, for podfsm's suites and yours.

::

    from hypothesis import given
    from podfsm.verification import strategies as pst
    @given(pst.runs(max_steps=30))
    def test_my_dashboard_never_crashes(run):
        for state, pod in run.snapshots():
            my_dashboard.render(pod)

* :func:`pod_specs` draws v1 Pod manifests (dicts) covering the lifecycle's knobs: regular init
  containers, sidecars (init containers with ``restartPolicy: Always``) in any order, app
  containers, pod restart policies, image pull policies (and images shared between
  containers), ``terminationGracePeriodSeconds``, ``activeDeadlineSeconds``; probes, lifecycle
  hooks and tolerations on request (the model reads them as those features land).
* :func:`candidates` lists what may happen in a state: every event the model enables
  (:func:`podfsm.engine.enabled_events`, one representative per kind) plus variants of the same
  kind that are just as legal (other exit codes and runtime reasons, ticks just before and after a
  timer, idle time passing). Event kinds the model adds later pass through unchanged.
* :func:`runs` draws a pod and a sequence of choices and replays them: each choice picks one of
  the :func:`candidates`, so every drawn run is legal by construction (no ``assume``) and shrinks
  towards the first candidate, the simplest event.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from hypothesis import strategies as st

from podfsm.api import Pod
from podfsm.config import Config
from podfsm.engine import PodState, compile_plan, enabled_events, initial, never_pull_images, step
from podfsm.events import (
    EVENT_TYPES,
    MAX_TICK_SECONDS,
    ContainerExited,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    HookFinished,
    ImagePullFailed,
    Schedule,
    Tick,
    Unschedulable,
    event_to_dict,
)
from podfsm.kubelet.snapshot import pod_json
from podfsm.machines.pod import PStage
from podfsm.machines.records import PodPlan

__all__ = [
    "IDLE_TICKS",
    "Run",
    "candidate_groups",
    "candidates",
    "choices",
    "containers",
    "pick_event",
    "pod_specs",
    "replay",
    "runs",
    "swarms",
]

#: A small pool, so that containers share images (IfNotPresent pulls once per node).
IMAGES: Final = ("busybox:1.36", "nginx:1.27", "app:v2", "tools")
#: Seconds of idle time a run may let pass when no timer is due (601: past the back-off reset).
IDLE_TICKS: Final = (7, 601)
PULL_POLICIES: Final = (None, "IfNotPresent", "Always", "Never")


def _probe(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "exec": {"command": ["true"]},
        "initialDelaySeconds": draw(st.sampled_from((0, 5))),
        "periodSeconds": draw(st.sampled_from((1, 10))),
        "failureThreshold": draw(st.sampled_from((1, 3))),
    }


@st.composite
def containers(
    draw: st.DrawFn,
    name: str,
    *,
    sidecar: bool = False,
    init: bool = False,
    pull_policies: Sequence[str | None] = PULL_POLICIES,
    probes: bool = False,
    hooks: bool = False,
) -> dict[str, Any]:
    """One container named ``name`` (a sidecar sets ``restartPolicy: Always``)."""
    c: dict[str, Any] = {"name": name, "image": draw(st.sampled_from(IMAGES))}
    policy = draw(st.sampled_from(tuple(pull_policies)))
    if policy is not None:
        c["imagePullPolicy"] = policy
    if sidecar:
        c["restartPolicy"] = "Always"
    if probes and (sidecar or not init):
        for field in ("startupProbe", "livenessProbe", "readinessProbe"):
            if draw(st.booleans()):
                c[field] = _probe(draw)
                if field != "readinessProbe":
                    c[field]["successThreshold"] = 1
    if hooks and (sidecar or not init):
        lifecycle = {}
        if draw(st.booleans()):
            lifecycle["postStart"] = {"exec": {"command": ["true"]}}
        if draw(st.booleans()):
            lifecycle["preStop"] = {"exec": {"command": ["sleep", "1"]}}
        if lifecycle:
            c["lifecycle"] = lifecycle
    return c


@st.composite
def pod_specs(
    draw: st.DrawFn,
    *,
    max_init: int = 2,
    max_sidecars: int = 2,
    max_containers: int = 2,
    restart_policies: Sequence[str | None] = ("Always", "OnFailure", "Never", None),
    pull_policies: Sequence[str | None] = PULL_POLICIES,
    grace_periods: Sequence[int | None] = (None, 0, 1, 5),
    deadlines: Sequence[int | None] = (None, None, 15, 90),
    probes: bool = False,
    hooks: bool = False,
    tolerations: bool = False,
    readiness_gates: bool = False,
) -> dict[str, Any]:
    """A v1 Pod manifest (a dict) with up to ``max_init`` regular init containers and
    ``max_sidecars`` sidecars, interleaved in any order, and 1..``max_containers`` app containers;
    ``readiness_gates``: sometimes one readiness gate (its condition set by ``pod_condition``)."""
    n_init = draw(st.integers(0, max_init))
    n_side = draw(st.integers(0, max_sidecars))
    kinds = draw(st.permutations(["init"] * n_init + ["sidecar"] * n_side))
    inits = [
        draw(
            containers(
                f"{kind}{i}",
                init=True,
                sidecar=kind == "sidecar",
                pull_policies=pull_policies,
                probes=probes,
                hooks=hooks,
            )
        )
        for i, kind in enumerate(kinds)
    ]
    apps = [
        draw(containers(f"app{i}", pull_policies=pull_policies, probes=probes, hooks=hooks))
        for i in range(draw(st.integers(1, max_containers)))
    ]
    spec: dict[str, Any] = {"containers": apps}
    if inits:
        spec["initContainers"] = inits
    policy = draw(st.sampled_from(tuple(restart_policies)))
    if policy is not None:
        spec["restartPolicy"] = policy
    grace = draw(st.sampled_from(tuple(grace_periods)))
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    deadline = draw(st.sampled_from(tuple(deadlines)))
    if deadline is not None:
        spec["activeDeadlineSeconds"] = deadline
    if tolerations and draw(st.booleans()):
        spec["tolerations"] = [
            {
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": draw(st.sampled_from((0, 30, 300))),
            }
        ]
    if readiness_gates and draw(st.booleans()):
        spec["readinessGates"] = [{"conditionType": "example.com/gate"}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pod"}, "spec": spec}


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def candidates(plan: PodPlan, s: PodState, enabled: Sequence[Event] | None = None) -> list[Event]:
    """What may happen in ``s``: the enabled events, then legal variants of the same kinds, then idle ticks
    (only idle ticks once the pod is removed from the API: what its containers still do is not observable).

    The order is fixed (the enabled events first, in the model's order), so a choice index
    shrinks towards the model's own representative events.
    """
    if s.stage is PStage.REMOVED:  # the object is gone: nothing happens to it any more but time
        return [Tick(seconds) for seconds in IDLE_TICKS]
    evs = list(enabled_events(plan, s) if enabled is None else enabled)
    out = list(evs)
    seen = set(out)

    def add(ev: Event) -> None:
        if ev not in seen:
            seen.add(ev)
            out.append(ev)

    for ev in evs:
        kind = type(ev)
        if kind is Schedule:
            assert isinstance(ev, Schedule)
            images = never_pull_images(plan)
            if images:
                add(Schedule(node=ev.node, images=images))
        elif kind is ContainerExited:
            assert isinstance(ev, ContainerExited)
            add(ContainerExited(ev.container, 137, "OOMKilled"))
            add(ContainerExited(ev.container, 143))
        elif kind is ImagePullFailed:
            assert isinstance(ev, ImagePullFailed)
            add(ImagePullFailed(ev.container, "RegistryUnavailable"))
        elif kind is ContainerStartFailed:
            assert isinstance(ev, ContainerStartFailed)
            add(ContainerStartFailed(ev.container, "CreateContainerError"))
            add(ContainerStartFailed(ev.container, "StartError"))
        elif kind is Delete:
            add(Delete(0))  # kubectl delete --grace-period=0 --force
            add(Delete(1))
            add(Evict())  # the Eviction API: a graceful delete with DisruptionTarget
        elif kind is HookFinished:
            assert isinstance(ev, HookFinished)
            add(HookFinished(ev.container, ev.hook, "failure"))
        elif kind is Tick:
            assert isinstance(ev, Tick)
            if ev.seconds < MAX_TICK_SECONDS:  # a tick is at most MAX_TICK_SECONDS (events.Tick)
                add(Tick(ev.seconds + 1))
            if ev.seconds > 1:
                add(Tick(ev.seconds - 1))
    for seconds in IDLE_TICKS:
        add(Tick(seconds))
    return out


#: How a choice index is spread over what may happen: out of 16, 13 picks go to activity (the
#: scheduler binding the pod, the runtime's answers container by container), two to time passing
#: and one to disturbances (delete, evict, FailedScheduling). A delete ends a run and idle time or
#: FailedScheduling repeat states: at the weight of a container's events they would cut most
#: runs short. Swarm testing (``disabled``) removes whole kinds for a run on top of this.
ACTIVITY, TIME, API = "activity", "time", "api"
_BUCKETS: Final = (ACTIVITY,) * 13 + (TIME,) * 2 + (API,)


def _group_key(ev: Event) -> tuple[str, str]:
    if isinstance(ev, Tick):
        return TIME, ""
    container = getattr(ev, "container", None)
    if container is not None:
        return ACTIVITY, container  # everything about one container: its answers and their variants
    if isinstance(ev, Schedule):
        return ACTIVITY, ""  # the scheduler binds the pod
    if isinstance(ev, Unschedulable):
        return API, "scheduler"  # the scheduler finds no node
    return API, "" if isinstance(ev, Delete | Evict) else type(ev).__name__


def candidate_groups(
    plan: PodPlan, s: PodState, enabled: Sequence[Event] | None = None
) -> dict[tuple[str, str], list[Event]]:
    """:func:`candidates` grouped: one group per container (its runtime answers, probe runs, hook
    results), one for the scheduler's answer, one for time passing, one for the API's deletes
    (and one per other pod-level event kind), each in the order of the candidates (the model's
    own representative first)."""
    groups: dict[tuple[str, str], list[Event]] = {}
    for ev in candidates(plan, s, enabled):
        groups.setdefault(_group_key(ev), []).append(ev)
    return groups


def pick_event(
    groups: dict[tuple[str, str], list[Event]], pick: int, disabled: Collection[str] = ()
) -> Event:
    """The event a choice index (0–255) selects: a bucket (``pick mod 16``: activity, time or a
    disturbance, see :data:`_BUCKETS`), a group in it, then an event in the group. Pick 0 is the first
    activity: the model's own first representative event.

    ``disabled`` names event kinds (``Event.NAME``) this run avoids while anything else is
    possible (*swarm testing*: a run without, say, deletes or pull failures goes deeper).
    """
    pool = {k: [e for e in g if e.NAME not in disabled] for k, g in groups.items()} if disabled else groups
    pool = {k: g for k, g in pool.items() if g} or groups
    bucket = _BUCKETS[pick % len(_BUCKETS)]
    chosen = [g for (b, _), g in pool.items() if b == bucket] or list(pool.values())
    rest = pick // len(_BUCKETS)
    group = chosen[rest % len(chosen)]
    return group[(rest // len(chosen)) % len(group)]


#: Event kinds a swarm never avoids: without them a pod makes no progress at all.
PROGRESS: Final = frozenset({"schedule", "image_pulled", "container_started", "hook_finished"})


def swarms() -> st.SearchStrategy[frozenset[str]]:
    """A set of event kinds to avoid in one run (see :func:`pick_event`): any kind of the
    vocabulary but :data:`PROGRESS`; shrinks to the empty set."""
    return st.frozensets(st.sampled_from(sorted(set(EVENT_TYPES) - PROGRESS)))


def choices(max_steps: int = 50) -> st.SearchStrategy[list[int]]:
    """A sequence of choice indices (see :func:`replay`); shrinks to shorter runs and to 0s."""
    return st.lists(st.integers(0, 255), max_size=max_steps)


def replay(plan: PodPlan, picks: Sequence[int]) -> Iterator[tuple[Event, PodState, PodState]]:
    """``(event, before, after)`` for each pick (:func:`pick_event` over :func:`candidate_groups`),
    applied with :func:`~podfsm.engine.step`. Stops early at a quiescent state (the model enables
    nothing: only idle time could pass, and nothing would change)."""
    s = initial(plan)
    for pick in picks:
        evs = enabled_events(plan, s)
        if not evs:
            return
        ev = pick_event(candidate_groups(plan, s, evs), pick)
        nxt = step(plan, s, ev)
        yield ev, s, nxt
        s = nxt


@dataclass(frozen=True)
class Run:
    """A drawn pod and a legal event sequence for it (``states[i+1] = step(states[i], events[i])``)."""

    pod: dict[str, Any]
    plan: PodPlan
    events: tuple[Event, ...]
    states: tuple[PodState, ...]

    def snapshots(self) -> Iterator[tuple[PodState, dict[str, Any]]]:
        """Each state with its v1 Pod object (``lastTransitionTime`` chained through the run)."""
        prev: dict[str, Any] | None = None
        for s in self.states:
            prev = pod_json(self.plan, s, prev)
            yield s, prev

    def script(self) -> list[dict[str, Any]]:
        """The events as a ``podfsm simulate`` script (mapping form)."""
        return [event_to_dict(e) for e in self.events]


@st.composite
def runs(
    draw: st.DrawFn,
    pods: st.SearchStrategy[dict[str, Any]] | None = None,
    max_steps: int = 50,
    config: Config | None = None,
) -> Run:
    """A :class:`Run`: a pod from ``pods`` (default :func:`pod_specs`) and up to ``max_steps`` events."""
    pod = draw(pods if pods is not None else pod_specs())
    plan = compile_plan(Pod.from_api(pod), config)
    picks = draw(choices(max_steps))
    events: list[Event] = []
    states: list[PodState] = [initial(plan)]
    for ev, _, nxt in replay(plan, picks):
        events.append(ev)
        states.append(nxt)
    return Run(pod, plan, tuple(events), tuple(states))
