"""podfsm.engine (through the engine API and the Simulator): illegal events leave the model as it
was, runs are deterministic, the compiled and the ``transitions`` reference paths agree on random
walks, states are hashable, and ``tick`` fires the back-off timers at the times Kubernetes does.

Back-off rules (k8s-semantics.md §3.6, client-go ``flowcontrol.Backoff`` as used by
``doBackOff``): the first restart after the first exit is immediate (no entry yet); then each
restart waits 10 s, 20 s, 40 s, ... capped at 300 s, measured from the exit's ``finishedAt``; an
entry whose last update is more than 2 × 300 = 600 s before the exit has expired, so the restart is
immediate again and the ladder starts over at 10 s. Image pulls (§3.6 constants,
``imageBackOffPeriod`` / ``MaxImageBackOff``): 10 s, doubling, capped at 300 s.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from podfsm.api import Pod
from podfsm.engine import PodState, compile_plan, enabled_events, initial, step
from podfsm.enums import PodPhase
from podfsm.errors import IllegalTransition
from podfsm.events import (
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    ImagePulled,
    ImagePullFailed,
    Schedule,
    Tick,
)
from podfsm.machines.records import CState, KEvent, PodPlan
from podfsm.model import DEFAULT, Interpreter
from podfsm.simulator import Simulator

SRC = Path(__file__).resolve().parents[1] / "src"

TRANSITIONS = DEFAULT.replace(interpreter=Interpreter.TRANSITIONS)  # the same tables, fired by transitions


def _pod(spec: dict[str, Any], name: str = "web") -> Pod:
    return Pod.from_api({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})


TWO_APPS = _pod(
    {
        "containers": [
            {"name": "app", "image": "app:1", "imagePullPolicy": "IfNotPresent"},
            {"name": "helper", "image": "helper:1", "imagePullPolicy": "IfNotPresent"},
        ]
    }
)

# ---------------------------------------------------------------------------------------------
# Illegal events
# ---------------------------------------------------------------------------------------------

SCHED = {"event": "schedule", "node": "node-1"}
SCHED_IMAGES = {"event": "schedule", "node": "node-1", "images": ["app:1"]}


def _c(event: str, container: str, **kw: Any) -> dict[str, Any]:
    return {"event": event, "container": container, **kw}


# (id, events before, the illegal event, container it must name or None, words of the rule)
ILLEGAL: list[tuple[str, list[dict[str, Any]], dict[str, Any], str | None, str]] = [
    ("unknown-container", [SCHED], _c("image_pulled", "ghost"), "ghost", "no container named 'ghost'"),
    (
        "unknown-container-exit",
        [SCHED_IMAGES, _c("container_started", "app")],
        _c("container_exited", "sidecar", exit_code=0),
        "sidecar",
        "no container named 'sidecar'",
    ),
    (
        "exited-while-pulling",
        [SCHED],
        _c("container_exited", "app", exit_code=1),
        "app",
        "only a running container can exit",
    ),
    (
        "exited-while-waiting",
        [SCHED_IMAGES],
        _c("container_exited", "helper", exit_code=0),
        "helper",
        "only a running container can exit",
    ),
    (
        "exited-while-creating",
        [SCHED_IMAGES],
        _c("container_exited", "app", exit_code=0),
        "app",
        "only a running container can exit",
    ),
    (
        "exited-twice",
        [SCHED_IMAGES, _c("container_started", "app"), _c("container_exited", "app", exit_code=0)],
        _c("container_exited", "app", exit_code=0),
        "app",
        "only a running container can exit",
    ),
    (
        "exited-before-schedule",
        [],
        _c("container_exited", "app", exit_code=0),
        "app",
        "only a running container can exit",
    ),
    (
        "pulled-while-waiting",
        [SCHED],
        _c("image_pulled", "helper"),
        "helper",
        "no image pull is in flight",
    ),
    (
        "pulled-while-creating",
        [SCHED_IMAGES],
        _c("image_pulled", "app"),
        "app",
        "no image pull is in flight",
    ),
    ("pulled-twice", [SCHED, _c("image_pulled", "app")], _c("image_pulled", "app"), "app", "no image pull"),
    ("pulled-before-schedule", [], _c("image_pulled", "app"), "app", "no image pull is in flight"),
    (
        "pull-failed-while-running",
        [SCHED_IMAGES, _c("container_started", "app")],
        _c("image_pull_failed", "app"),
        "app",
        "no image pull is in flight",
    ),
    (
        "started-while-pulling",
        [SCHED],
        _c("container_started", "app"),
        "app",
        "has not asked the runtime to start",
    ),
    (
        "started-twice",
        [SCHED_IMAGES, _c("container_started", "app")],
        _c("container_started", "app"),
        "app",
        "has not asked the runtime to start",
    ),
    (
        "start-failed-while-pulling",
        [SCHED],
        _c("container_start_failed", "app", reason="RunContainerError"),
        "app",
        "has not asked the runtime to start",
    ),
    ("schedule-twice", [SCHED], SCHED, None, "spec.nodeName is immutable"),
    (
        "schedule-after-start",
        [SCHED_IMAGES, _c("container_started", "app")],
        {"event": "schedule", "node": "node-2"},
        None,
        "spec.nodeName is immutable",
    ),
    ("unschedulable-after-schedule", [SCHED], {"event": "unschedulable"}, None, "has not bound"),
]


@pytest.mark.parametrize(
    ("before", "illegal", "container", "rule"), [pytest.param(*case[1:], id=case[0]) for case in ILLEGAL]
)
@pytest.mark.parametrize(
    "reference", [pytest.param(False, id="compiled"), pytest.param(True, id="reference")]
)
def test_illegal_event_raises_and_leaves_the_simulator_unchanged(
    before: list[dict[str, Any]], illegal: dict[str, Any], container: str | None, rule: str, reference: bool
) -> None:
    """An illegal event raises IllegalTransition (state, event, rule set; message names container and
    rule) and the Simulator's state, pod and history are exactly as before."""
    sim = Simulator(TWO_APPS, model=TRANSITIONS if reference else DEFAULT)
    sim.run(list(before))
    state, pod, history = sim.state, copy.deepcopy(sim.pod), list(sim.history)
    with pytest.raises(IllegalTransition) as exc:
        sim.apply(illegal)
    e = exc.value
    assert e.state and isinstance(e.state, str)
    assert isinstance(e.event, Event)
    assert illegal["event"] == e.event.NAME
    assert rule in e.rule
    message = str(e)
    assert e.rule in message
    assert repr(e.event) in message
    if container is not None:
        assert f"'{container}'" in message
        assert e.event.container == container  # type: ignore[attr-defined]
    assert sim.state is state
    assert sim.pod == pod
    assert sim.history == history
    # and the model still takes legal events afterwards, as if nothing had happened
    assert sim.apply({"event": "tick", "seconds": 1}).t == state.t + 1


def test_illegal_event_leaves_the_engine_state_untouched() -> None:
    """step() on an illegal event raises and the state given to it is unchanged (states are immutable)."""
    plan = compile_plan(TWO_APPS)
    s = step(plan, initial(plan), Schedule("node-1"))
    snapshot = copy.deepcopy(s)
    out: list[KEvent] = []
    with pytest.raises(IllegalTransition):
        step(plan, s, ContainerStarted("app"), out=out)
    assert s == snapshot
    assert out == []


# ---------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------

SCRIPT: list[dict[str, Any]] = [
    {"event": "schedule", "node": "node-1", "images": ["busybox:1.36", "app:1"]},
    _c("container_started", "init"),
    _c("container_exited", "init", exit_code=0),
    _c("container_started", "side"),
    _c("image_pull_failed", "app", message="not found"),
    {"event": "tick", "seconds": 10},
    _c("image_pull_failed", "app"),
    {"event": "tick", "seconds": 30},
    _c("image_pulled", "app"),
    _c("container_started", "app"),
    {"event": "tick", "seconds": 45},
    _c("container_exited", "app", exit_code=2),
    _c("container_started", "app"),
    _c("container_exited", "app", exit_code=137, reason="OOMKilled"),
    {"event": "tick", "seconds": 600},
    _c("container_started", "app"),
    _c("container_exited", "app", exit_code=0),
    _c("container_exited", "side", exit_code=0),
    {"event": "tick", "seconds": 60},
]

SIDECAR_POD = {
    "restartPolicy": "OnFailure",
    "terminationGracePeriodSeconds": 20,
    "initContainers": [
        {"name": "init", "image": "busybox:1.36"},
        {"name": "side", "image": "app:1", "restartPolicy": "Always"},
    ],
    "containers": [{"name": "app", "image": "app:2"}],
}


def _run_json(script: list[dict[str, Any]]) -> str:
    sim = Simulator(_pod(SIDECAR_POD, "job"))
    lines = []
    for ev in script:
        r = sim.apply(ev)
        lines.append(
            json.dumps(
                {
                    "t": r.t,
                    "pod": r.pod,
                    "columns": [r.columns.status, r.columns.ready, r.columns.restarts],
                    "events": [e.to_dict() for e in r.events],
                },
                sort_keys=False,
            )
        )
    return "\n".join(lines)


def test_same_script_twice_gives_identical_json() -> None:
    """Running the same script on two fresh Simulators gives byte-identical JSON, step by step."""
    first, second = _run_json(SCRIPT), _run_json(SCRIPT)
    assert first == second
    assert len(first.splitlines()) == len(SCRIPT)


def test_same_script_is_identical_across_hash_seeds() -> None:
    """Set ordering never leaks into the output: two processes with different PYTHONHASHSEEDs agree."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import test_engine as t;"
        "sys.stdout.write(t._run_json(t.SCRIPT))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(SRC)}
        done = subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == _run_json(SCRIPT)


# ---------------------------------------------------------------------------------------------
# Random walks: reference == compiled, states hashable
# ---------------------------------------------------------------------------------------------


def _walk_pods() -> list[Pod]:
    pods = []
    for rp in ("Always", "OnFailure", "Never"):
        for pp in ("Always", "IfNotPresent", "Never"):
            pods.append(
                _pod(
                    {
                        "restartPolicy": rp,
                        "terminationGracePeriodSeconds": 5,
                        "initContainers": [
                            {"name": "init-a", "image": "tools:1", "imagePullPolicy": pp},
                            {
                                "name": "log",
                                "image": "log:1",
                                "imagePullPolicy": pp,
                                "restartPolicy": "Always",
                                "lifecycle": {"preStop": {"sleep": {"seconds": 2}}},
                            },
                            {"name": "init-b", "image": "tools:1", "imagePullPolicy": pp},
                            {
                                "name": "mesh",
                                "image": "mesh:1",
                                "imagePullPolicy": pp,
                                "restartPolicy": "Always",
                            },
                        ],
                        "containers": [
                            {
                                "name": "app",
                                "image": "app:1",
                                "imagePullPolicy": pp,
                                "lifecycle": {
                                    "postStart": {"exec": {"command": ["true"]}},
                                    "preStop": {"sleep": {"seconds": 3}},
                                },
                            },
                            {
                                "name": "worker",
                                "image": "app:1",
                                "imagePullPolicy": pp,
                                "startupProbe": {"periodSeconds": 2, "failureThreshold": 2},
                                "livenessProbe": {"periodSeconds": 5, "failureThreshold": 1},
                                "readinessProbe": {"periodSeconds": 5, "successThreshold": 2},
                            },
                            {"name": "cron", "image": "cron:1", "imagePullPolicy": pp},
                        ],
                    },
                    f"full-{rp}-{pp}".lower(),
                )
            )
            # mixed pull policies, no sidecar, a deadline
            pods.append(
                _pod(
                    {
                        "restartPolicy": rp,
                        "activeDeadlineSeconds": 120,
                        "terminationGracePeriodSeconds": 3,
                        "initContainers": [{"name": "setup", "image": "tools:1", "imagePullPolicy": pp}],
                        "containers": [
                            {
                                "name": "a",
                                "image": "a:1",
                                "imagePullPolicy": "Always",
                                "lifecycle": {"preStop": {"exec": {"command": ["drain"]}}},
                            },
                            {"name": "b", "image": "b:1", "imagePullPolicy": "IfNotPresent"},
                            {"name": "c", "image": "tools:1", "imagePullPolicy": "Never"},
                        ],
                    },
                    f"mixed-{rp}-{pp}".lower(),
                )
            )
            # sidecar only, then two apps
            pods.append(
                _pod(
                    {
                        "restartPolicy": rp,
                        "initContainers": [
                            {
                                "name": "proxy",
                                "image": "proxy:1",
                                "imagePullPolicy": pp,
                                "restartPolicy": "Always",
                            }
                        ],
                        "containers": [
                            {"name": "a", "image": "a:1", "imagePullPolicy": pp},
                            {"name": "b", "image": "b:1", "imagePullPolicy": pp},
                        ],
                    },
                    f"sidecar-{rp}-{pp}".lower(),
                )
            )
    return pods


IMAGES = ("tools:1", "log:1", "mesh:1", "app:1", "cron:1", "a:1", "b:1", "proxy:1")


def _choices(plan: PodPlan, s: PodState, rng: random.Random) -> list[Event]:
    """enabled_events plus variants a script could also give (other reasons, images, short ticks).

    A delete ends a walk, so it is offered only now and then (and sometimes forced: grace 0).
    """
    events = [e for e in enabled_events(plan, s) if not isinstance(e, Delete) or rng.random() < 0.06]
    if any(isinstance(e, Delete) for e in events) and rng.random() < 0.3:
        events.append(Delete(0))
    extra: list[Event] = []
    for ev in events:
        if isinstance(ev, Schedule):
            extra.append(Schedule("node-2", tuple(rng.sample(IMAGES, rng.randint(1, len(IMAGES))))))
            extra.append(Schedule("node-3", IMAGES))
        elif isinstance(ev, ImagePullFailed):
            extra.append(ImagePullFailed(ev.container, "InvalidImageName", "bad"))
        elif isinstance(ev, ContainerStartFailed) and ev.reason == "RunContainerError":
            extra.append(ContainerStartFailed(ev.container, "StartError"))
            extra.append(ContainerStartFailed(ev.container, "CreateContainerError"))
        elif isinstance(ev, ContainerExited) and ev.exit_code == 1:
            extra.append(ContainerExited(ev.container, 137, "OOMKilled"))
        elif isinstance(ev, ContainerStarted):
            extra += [ev, ev]  # weigh starts up, so walks get far into the lifecycle
    if rng.random() < 0.2:
        extra.append(Tick(rng.choice((0, 1, 3, 9, 30, 301, 700))))
    return events + extra


WALKS_PER_POD = 12
WALK_LENGTH = 45


def test_reference_path_equals_compiled_path_on_random_walks() -> None:
    """On ≥300 seeded random walks, the model fired through ``transitions`` gives the same state and
    the same Kubernetes Events as the compiled tables; every enabled event is legal; states are hashable."""
    pods = _walk_pods()
    rng = random.Random(1234)
    visited: set[PodState] = set()
    walks = steps = 0
    finished = 0
    for pod in pods:
        plan = compile_plan(pod)
        traced = compile_plan(pod, model=TRANSITIONS)
        for _ in range(WALKS_PER_POD):
            s = initial(plan)
            visited.add(s)
            walks += 1
            for _ in range(WALK_LENGTH):
                choices = _choices(plan, s, rng)
                if not choices:
                    break
                ev = rng.choice(choices)
                out_c: list[KEvent] = []
                out_r: list[KEvent] = []
                compiled = step(plan, s, ev, out=out_c)
                reference = step(traced, s, ev, out=out_r)
                assert compiled == reference, (plan.name, s, ev)
                assert out_c == out_r, (plan.name, s, ev)
                assert hash(compiled) == hash(reference)
                assert compiled.t >= s.t
                s = compiled
                visited.add(s)
                steps += 1
            finished += s.phase in (PodPhase.SUCCEEDED, PodPhase.FAILED)
    assert walks >= 300
    assert steps >= 5000
    assert finished >= 50  # the walks reach terminal phases, not only the start of the lifecycle
    assert len(visited) >= 3000
    states_seen = {c.state for st in visited for c in st.ctrs}
    assert states_seen == set(CState)


# ---------------------------------------------------------------------------------------------
# Timers: crash-loop and image-pull back-off
# ---------------------------------------------------------------------------------------------

CRASHER = _pod(
    {
        "restartPolicy": "Always",
        "containers": [{"name": "app", "image": "app:1", "imagePullPolicy": "IfNotPresent"}],
    },
    "crasher",
)


class Driver:
    """Drives one container through exits and ticks and records when the kubelet restarts it."""

    def __init__(self, pod: Pod = CRASHER) -> None:
        self.plan = compile_plan(pod)
        self.s = step(self.plan, initial(self.plan), Schedule("node-1", ("app:1",)))
        self.out: list[KEvent] = []

    def do(self, ev: Event) -> None:
        self.s = step(self.plan, self.s, ev, out=self.out)

    @property
    def state(self) -> CState:
        return self.s.ctrs[0].state

    def restarts_at(self) -> list[int]:
        """The times the kubelet began a (re)start: its 'already present on machine' Pulled events."""
        return [e.t for e in self.out if e.reason == "Pulled"]

    def run_and_exit(self, seconds: int, exit_code: int = 1) -> int:
        """Start the pending instance, let it run ``seconds``, exit; returns finishedAt."""
        assert self.state is CState.CREATING
        self.do(ContainerStarted("app"))
        if seconds:
            self.do(Tick(seconds))
        self.do(ContainerExited("app", exit_code))
        return self.s.t

    def wait_restart(self, expected: int, finished: int) -> None:
        """Assert the restart comes exactly ``expected`` seconds after ``finished``, fired inside one tick."""
        if expected == 0:
            assert self.state is CState.CREATING
            assert self.restarts_at()[-1] == finished
            return
        assert self.state is CState.CRASH_BACKOFF
        self.do(Tick(expected - 1))
        assert self.state is CState.CRASH_BACKOFF, f"restarted before {expected}s"
        before = len(self.restarts_at())
        self.do(Tick(3))  # the timer falls due 1 s into this tick
        assert self.state is CState.CREATING
        assert self.restarts_at()[before:] == [finished + expected]


LADDER = [0, 10, 20, 40, 80, 160, 300, 300]


@pytest.mark.parametrize("run", [pytest.param(0, id="exits-at-once"), pytest.param(7, id="runs-7s")])
@pytest.mark.parametrize("exit_code", [pytest.param(1, id="exit-1"), pytest.param(0, id="exit-0")])
def test_crash_loop_back_off_ladder(run: int, exit_code: int) -> None:
    """Restart delays after successive exits are 0, 10, 20, 40, 80, 160, 300, 300 s, from each finishedAt."""
    d = Driver()
    delays = []
    for expected in LADDER:
        finished = d.run_and_exit(run, exit_code)
        d.wait_restart(expected, finished)
        delays.append(d.restarts_at()[-1] - finished)
    assert delays == LADDER
    assert d.s.ctrs[0].restarts == len(LADDER) - 1


@pytest.mark.parametrize(
    ("ran", "delays_after"),
    [
        pytest.param(601, [0, 10, 20], id="ran-601s-resets"),
        pytest.param(900, [0, 10, 20], id="ran-900s-resets"),
        pytest.param(600, [300, 300, 300], id="ran-600s-keeps-300"),
    ],
)
def test_crash_loop_back_off_resets_after_600s(ran: int, delays_after: list[int]) -> None:
    """A container that ran more than 600 s since the last back-off decision restarts at once and the
    ladder starts over at 10 s; exactly 600 s is not enough (hasExpired is strict)."""
    d = Driver()
    for expected in LADDER:  # reach the 300 s cap
        d.wait_restart(expected, d.run_and_exit(0))
    decided = d.restarts_at()[-1]  # Next() was called when this restart began
    finished = d.run_and_exit(ran - (d.s.t - decided))
    assert finished - decided == ran
    d.wait_restart(delays_after[0], finished)
    for expected in delays_after[1:]:
        d.wait_restart(expected, d.run_and_exit(0))


def test_tick_fires_timers_in_time_order() -> None:
    """One long tick fires each timer at its own due time, in order: a back-off restart at 15 s, then
    the activeDeadlineSeconds at 100 s, and the clock ends at the tick's end."""
    pod = _pod(
        {
            "restartPolicy": "Always",
            "activeDeadlineSeconds": 100,
            "containers": [{"name": "app", "image": "app:1", "imagePullPolicy": "IfNotPresent"}],
        },
        "deadline",
    )
    d = Driver(pod)
    d.run_and_exit(0)  # first exit at 0: immediate restart
    d.do(Tick(5))
    finished = d.run_and_exit(0)  # second exit at 5: back-off 10 s, due at 15
    assert finished == 5
    mark = len(d.out)
    d.do(Tick(200))
    fired = [(e.t, e.reason) for e in d.out[mark:]]
    assert fired == sorted(fired, key=lambda x: x[0])
    assert (15, "Pulled") in fired
    assert (100, "DeadlineExceeded") in fired
    assert d.s.t == 205
    # The restart at 15 s is still in flight (CREATING): it may be running, so the deadline's
    # KillPod waits for the runtime's answer before the pod may turn Failed (mergePodStatus).
    assert d.s.phase is PodPhase.RUNNING
    d.do(ContainerStarted("app"))  # started: killed at once, SIGKILL after the 30 s grace period
    d.do(Tick(30))
    assert d.s.phase is PodPhase.FAILED


def test_image_pull_back_off_doubles_to_300s() -> None:
    """A pull that always fails is retried 10, 20, 40, 80, 160, 300, 300 s after the previous failure."""
    pod = _pod({"containers": [{"name": "app", "image": "app:nope", "imagePullPolicy": "Always"}]}, "typo")
    plan = compile_plan(pod)
    s = step(plan, initial(plan), Schedule("node-1"))
    attempts: list[int] = []
    while len(attempts) < 8:
        assert s.t < 2000
        if s.ctrs[0].state is CState.PULLING:
            attempts.append(s.t)
            s = step(plan, s, ImagePullFailed("app"))
            assert s.ctrs[0].state is CState.PULL_BACKOFF
        s = step(plan, s, Tick(1))
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps == [10, 20, 40, 80, 160, 300, 300]


def test_image_pull_back_off_shows_image_pull_back_off_in_between() -> None:
    """Between retries the container waits with ErrImagePull, then ImagePullBackOff once a re-sync
    finds the back-off still running; a successful pull then starts the container."""
    sim = Simulator(_pod({"containers": [{"name": "app", "image": "app:nope"}]}, "typo"))
    sim.apply(SCHED)
    reasons = [sim.apply(_c("image_pull_failed", "app")).columns.status]
    reasons.append(sim.apply({"event": "tick", "seconds": 10}).columns.status)  # re-sync at 10: pulls again
    reasons.append(sim.apply(_c("image_pull_failed", "app")).columns.status)  # back-off now 20 s
    reasons.append(sim.apply({"event": "tick", "seconds": 10}).columns.status)  # at 20: still in back-off
    reasons.append(sim.apply({"event": "tick", "seconds": 10}).columns.status)  # at 30: pulls again
    assert reasons[0] == "ErrImagePull"
    assert "ImagePullBackOff" in reasons
    assert sim.state.ctrs[0].state is CState.PULLING
    sim.apply(_c("image_pulled", "app"))
    assert sim.apply(_c("container_started", "app")).columns.status == "Running"


def test_pulled_image_stays_on_the_node() -> None:
    """After ImagePulled the node has the image: an IfNotPresent restart does not pull again."""
    pod = _pod({"containers": [{"name": "app", "image": "app:1", "imagePullPolicy": "IfNotPresent"}]})
    plan = compile_plan(pod)
    s = step(plan, initial(plan), Schedule("node-1"))
    assert s.ctrs[0].state is CState.PULLING
    s = step(plan, s, ImagePulled("app"))
    assert "app:1" in s.images
    s = step(plan, step(plan, s, ContainerStarted("app")), ContainerExited("app", 1))
    assert s.ctrs[0].state is CState.CREATING
