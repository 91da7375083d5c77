"""The engine: composes the pod and container machines with a logical clock.

The core is stateright-shaped and pure::

    plan = compile_plan(pod_model, Config())
    s0 = initial(plan)
    s1 = step(plan, s0, Schedule(node="node-1"))     # raises IllegalTransition, s0 untouched
    enabled_events(plan, s1)                         # the environment's legal moves

After every event the kubelet *settles*: it takes its own decisions (start the next init
container, restart after the back-off, give up under ``Never``, kill what still runs when the
pod is done) until nothing changes, exactly in the order its pod worker would: one container
start in flight at a time (``SyncPod`` starts containers one after another, image pulls are
serialized), init containers first and in order, then sidecars, then regular containers.

``tick(seconds)`` advances the clock, firing every timer that falls due in time order: crash-loop
and image back-offs, the pod worker's re-sync after a failed sync (10 s), SIGKILL at the end of
a grace period, ``activeDeadlineSeconds``.

The phase is the kubelet's ``getPhase`` from :mod:`podfsm.oracle` (its very projection and
decision code, memoized on the few facts it reads), sticky once terminal (``generateAPIPodStatus``)
and held back while containers may still run (``mergePodStatus``).

``step(..., reference=True)`` runs the same tables through ``transitions`` instead of the
compiled dicts; a test checks that both paths agree.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final, NamedTuple

from podfsm.api import Pod, apply_defaults
from podfsm.config import CLOCK_END_RULE, Config
from podfsm.container import CONTAINER, CEvent, KillOrder, _probes, not_due, restart_permitted
from podfsm.enums import PodPhase
from podfsm.errors import IllegalTransition
from podfsm.events import (
    MAX_TICK_SECONDS,
    ContainerEvent,
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    HookFinished,
    ImagePulled,
    ImagePullFailed,
    PodCondition,
    ProbeResult,
    Schedule,
    Tick,
    Unschedulable,
)
from podfsm.oracle import _count_phase, _decide_phase
from podfsm.pod import POD, PEvent, PStage
from podfsm.probe import PROBE, Prb, PrEvent, ProbeCtx, ProbeKind, ProbeSpec, PrState, Result
from podfsm.qos import qos_class
from podfsm.records import ContainerKind, ContainerPlan, Ctr, Ctx, KEvent, PodPlan, Term, fast_replace
from podfsm.records import CState as S
from podfsm.table import Row

__all__ = [
    "PodState",
    "View",
    "compile_plan",
    "container_view",
    "enabled_events",
    "gc_delete",
    "initial",
    "kubelet_evict",
    "kubelet_phase",
    "mark_not_ready",
    "next_due",
    "set_away",
    "step",
    "taint_delete",
    "unmark_not_ready",
]

DOCS: Final = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/"
DEADLINE_MESSAGE: Final = "Pod was active on the node longer than the specified deadline"


class PodState(NamedTuple):
    """The whole state of one pod: hashable, immutable, cheap to copy. Times are logical seconds."""

    t: int
    stage: PStage
    node: str
    sched_msg: str  # the last FailedScheduling message
    ctrs: tuple[Ctr, ...]  # init containers, then regular containers, in spec order
    images: frozenset[str]  # images present on the node
    phase: PodPhase  # the published phase
    reason: str  # status.reason once published (DeadlineExceeded, Evicted)
    start_time: int  # status.startTime, -1 before the kubelet first syncs
    kill_start: int  # when KillPod began (-1: not killing)
    codes: tuple[tuple[str, int, int, bool], ...]  # derived: each container's getPhase input, kept for speed
    deletion_at: int = -1  # metadata.deletionTimestamp (logical seconds), -1: not deleted
    deletion_grace: int = -1  # metadata.deletionGracePeriodSeconds
    message: str = ""  # status.message with reason
    disruption: tuple[str, str] | None = None  # the DisruptionTarget condition's (reason, message)
    kill_grace: int = -1  # the grace the kubelet kills with (only shortens); -1: the spec's
    away: bool = (
        False  # the node's kubelet does not report (heartbeats stopped): nothing the kubelet does shows
    )
    not_ready_marked: bool = False  # the node lifecycle controller set Ready=False (MarkPodsNotReady)
    terminated: bool = False  # the kubelet finished the pod (TerminatePod rewrote its statuses)
    # Conditions other controllers set (pod_condition): (type, status, reason, message), in the
    # order they were first set; and (type, status) of them as the kubelet's last sync read them,
    # which GeneratePodReadyCondition checks the readiness gates against.
    conditions: tuple[tuple[str, str, str, str], ...] = ()
    synced_conditions: tuple[tuple[str, str], ...] = ()


fast_replace(PodState)

# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


def _uid(namespace: str, name: str) -> str:
    h = hashlib.sha256(f"{namespace}/{name}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def compile_plan(pod: Pod, config: Config | None = None) -> PodPlan:
    """Compile a Pod (API defaults applied here, as the API server does on create) for the machines."""
    config = config or Config()
    pod = apply_defaults(pod)
    spec = pod.spec
    inits = spec.init_containers or []
    has_init = bool(inits)
    default_reason = "PodInitializing" if has_init else "ContainerCreating"
    containers: list[ContainerPlan] = []
    for c in [*inits, *spec.containers]:
        is_init = len(containers) < len(inits)
        kind = ContainerKind.REGULAR
        if is_init:
            kind = ContainerKind.SIDECAR if c.restart_policy == "Always" else ContainerKind.INIT
        probes = tuple(
            ProbeSpec(
                pk,
                probe.initial_delay_seconds or 0,
                probe.period_seconds or 10,
                probe.success_threshold or 1,
                probe.failure_threshold or 3,
                -1
                if probe.termination_grace_period_seconds is None
                else probe.termination_grace_period_seconds,
            )
            for pk, probe in (
                (ProbeKind.STARTUP, c.startup_probe),
                (ProbeKind.LIVENESS, c.liveness_probe),
                (ProbeKind.READINESS, c.readiness_probe),
            )
            if probe is not None
        )
        lifecycle = c.lifecycle
        containers.append(
            ContainerPlan(
                len(containers),
                c.name,
                c.image or "",
                c.image_pull_policy or "Always",
                kind,
                default_reason,
                probes,
                lifecycle is not None and lifecycle.post_start is not None,
                lifecycle is not None and lifecycle.pre_stop is not None,
            )
        )
    raw = pod.to_api()
    raw.pop("status", None)
    meta = raw.setdefault("metadata", {})
    name = pod.metadata.name or "pod"
    namespace = pod.metadata.namespace or "default"
    uid = pod.metadata.uid or _uid(namespace, name)
    meta.update({"name": name, "namespace": namespace, "uid": uid})
    meta.setdefault("creationTimestamp", config.epoch)
    return PodPlan(
        name=name,
        namespace=namespace,
        uid=uid,
        restart_policy=spec.restart_policy or "Always",
        grace=spec.termination_grace_period_seconds or 0,
        active_deadline=spec.active_deadline_seconds or -1,
        containers=tuple(containers),
        by_name={c.name: c.idx for c in containers},
        init_idx=tuple(c.idx for c in containers if c.kind is not ContainerKind.REGULAR),
        regular_idx=tuple(c.idx for c in containers if c.kind is ContainerKind.REGULAR),
        sidecar_idx=tuple(c.idx for c in containers if c.kind is ContainerKind.SIDECAR),
        config=config,
        kinds=tuple(c.kind for c in containers),
        qos_class=qos_class(raw["spec"]),
        memo={},
        raw=raw,
        gates=tuple(g.condition_type or "" for g in spec.readiness_gates or ()),
    )


def initial(plan: PodPlan) -> PodState:
    """The pod as the API server stores it on create: Pending, unscheduled, nothing started."""
    return PodState(
        t=0,
        stage=PStage.UNSCHEDULED,
        node="",
        sched_msg="",
        ctrs=tuple(Ctr(probes=tuple(Prb() for _ in cp.probes)) for cp in plan.containers),
        images=frozenset(),
        phase=PodPhase.PENDING,
        reason="",
        start_time=-1,
        kill_start=-1,
        codes=tuple(
            _kind_code(container_view(plan, cp, Ctr(probes=tuple(Prb() for _ in cp.probes))))
            for cp in plan.containers
        ),
    )


# ---------------------------------------------------------------------------------------------
# What the API shows of a container (convertToAPIContainerStatuses + the reason-cache overlay)
# ---------------------------------------------------------------------------------------------


class View(NamedTuple):
    """One container as its v1 status shows it."""

    kind: str  # waiting | running | terminated
    reason: str  # waiting reason (terminated: see term)
    message: str
    term: Term | None  # state.terminated
    last: Term | None  # lastState.terminated
    started_at: int  # state.running.startedAt
    started: bool
    ready: bool


def _restartable(plan: PodPlan, cp: ContainerPlan, c: Ctr) -> bool:
    return restart_permitted(Ctx(plan, cp, c, 0, None, frozenset(), None))


def container_view(plan: PodPlan, cp: ContainerPlan, c: Ctr) -> View:
    """The v1 container status of ``c``: the newest runtime instance gives ``state``, the one before
    ``lastState``; a cached sync error overlays a waiting reason on a container that will restart
    (kubelet_pods.go convertToAPIContainerStatuses).

    The status is generated when a sync *starts*, so an error a sync records (``CrashLoopBackOff``
    after an exit, ``ImagePullBackOff``) shows from the next event or timer on: an exit in back-off
    reads ``Completed``/``Error`` first, then ``CrashLoopBackOff``, as ``kubectl get pods -w`` shows.
    A runtime's failure answer (``ErrImagePull``, ``CreateContainerConfigError``) completes the sync
    that asked for it and shows at once.
    """
    st = c.state
    if st in _RUNNING_VIEW:
        started, ready = _probe_flags(cp, c)
        return View("running", "", "", None, c.last, c.started_at, started, ready)
    if st is S.WAITING:
        return View("waiting", cp.default_reason, "", None, c.last, -1, False, False)
    if st is S.ABANDONED:
        if c.term is not None:
            return View("terminated", "", "", c.term, c.last, -1, False, _init_ready(cp, c.term))
        return View("waiting", c.shown or cp.default_reason, c.shown_msg, None, c.last, -1, False, False)
    if st is S.TERMINATED:
        if c.shown and c.term is not None and _restartable(plan, cp, c):
            return View("waiting", c.shown, c.shown_msg, None, c.term, -1, False, False)
        return View("terminated", "", "", c.term, c.last, -1, False, _init_ready(cp, c.term))
    # PULLING, PULL_BACKOFF, CREATING, CREATE_ERROR, CRASH_BACKOFF: the cached error shows until a sync succeeds
    if c.shown:
        return View("waiting", c.shown, c.shown_msg, None, c.term or c.last, -1, False, False)
    if c.term is not None:  # a restart in flight: the exited instance is still the newest one
        return View("terminated", "", "", c.term, c.last, -1, False, False)
    return View("waiting", cp.default_reason, "", None, c.last, -1, False, False)


_RUNNING_VIEW: Final = frozenset({S.RUNNING, S.PRE_STOP, S.STOPPING})


def _probe_flags(cp: ContainerPlan, c: Ctr) -> tuple[bool, bool]:
    """``started`` and ``ready`` of a running container (prober_manager.go UpdatePodStatus).

    started: no startup probe, or it published Success; ready: started, and no readiness probe
    or it published Success. A regular init container is never ready while it runs.
    """
    started = ready = True
    for spec, p in zip(cp.probes, c.probes, strict=True):
        if spec.kind is ProbeKind.STARTUP:
            started = p.result is Result.SUCCESS
        elif spec.kind is ProbeKind.READINESS:
            ready = p.result is Result.SUCCESS
    return started, started and ready and cp.kind is not ContainerKind.INIT


def _init_ready(cp: ContainerPlan, term: Term | None) -> bool:
    # prober_manager UpdatePodStatus: a regular init container is ready iff it exited 0.
    return cp.kind is ContainerKind.INIT and term is not None and term.exit_code == 0


# ---------------------------------------------------------------------------------------------
# Phase: the oracle's getPhase on the views, memoized
# ---------------------------------------------------------------------------------------------

_PHASE_CACHE: dict[tuple[Any, ...], PodPhase] = {}


def _kind_code(v: View) -> tuple[str, int, int, bool]:
    if v.kind == "waiting":
        return ("waiting", -1, -1 if v.last is None else v.last.exit_code, False)
    if v.kind == "running":
        return ("running", -1, -1, v.started)
    assert v.term is not None
    return ("terminated", v.term.exit_code, -1, False)


def _status_from_code(name: str, code: tuple[str, int, int, bool]) -> dict[str, Any]:
    kind, exit_code, last_exit, started = code
    status: dict[str, Any] = {"name": name, "started": started}
    if kind == "terminated":
        status["state"] = {"terminated": {"exitCode": exit_code}}
    else:
        status["state"] = {kind: {}}
    if last_exit >= 0:
        status["lastState"] = {"terminated": {"exitCode": last_exit}}
    return status


def phase_of(plan: PodPlan, codes: tuple[tuple[str, int, int, bool], ...], *, terminal: bool) -> PodPhase:
    """``getPhase`` over the containers' codes (:func:`_kind_code` of their views), through the
    oracle's own counting and decision code, memoized on the few facts it reads."""
    key = (plan.restart_policy, plan.kinds, codes, terminal)
    phase = _PHASE_CACHE.get(key)
    if phase is None:
        spec = {
            "initContainers": [
                {"name": cp.name, **({"restartPolicy": "Always"} if cp.kind is ContainerKind.SIDECAR else {})}
                for cp in plan.containers
                if cp.kind is not ContainerKind.REGULAR
            ],
            "containers": [{"name": cp.name} for cp in plan.containers if cp.kind is ContainerKind.REGULAR],
        }
        by_name = {
            cp.name: _status_from_code(cp.name, code) for cp, code in zip(plan.containers, codes, strict=True)
        }
        # podHasInitialized = HasAnyActiveRegularContainerStarted: an instance of a regular container
        # exists in the runtime (running, exited, or exited before: its last termination), which
        # is what the oracle reads off the object (oracle._regular_instance_exists).
        initialized = any(
            code[0] in ("running", "terminated") or code[2] >= 0
            for cp, code in zip(plan.containers, codes, strict=True)
            if cp.kind is ContainerKind.REGULAR
        )
        counts = _count_phase(spec, by_name)
        phase = _decide_phase(counts, plan.restart_policy, terminal, initialized, False)
        if len(_PHASE_CACHE) > 200_000:
            _PHASE_CACHE.clear()
        _PHASE_CACHE[key] = phase
    return phase


def codes_of(
    plan: PodPlan, ctrs: tuple[Ctr, ...], old: PodState | None = None
) -> tuple[tuple[str, int, int, bool], ...]:
    """Each container's getPhase input; containers unchanged since ``old`` (same object) keep theirs."""
    if old is None:
        return tuple(
            _kind_code(container_view(plan, cp, c)) for cp, c in zip(plan.containers, ctrs, strict=True)
        )
    prev = old.ctrs
    codes = old.codes
    return tuple(
        codes[i] if c is prev[i] else _kind_code(container_view(plan, plan.containers[i], c))
        for i, c in enumerate(ctrs)
    )


# ---------------------------------------------------------------------------------------------
# Firing the tables
# ---------------------------------------------------------------------------------------------


def describe(plan: PodPlan, s: PodState, idx: int | None = None) -> str:
    """A one-line description of the model's state, for error messages."""
    text = f"pod {plan.name!r} (t={s.t}s, stage {s.stage.name}, phase {s.phase})"
    if idx is not None:
        c = s.ctrs[idx]
        detail = c.state.name
        if c.term is not None and c.state in (S.TERMINATED, S.CRASH_BACKOFF):
            detail += f"(exit {c.term.exit_code})"
        text += f", container {plan.containers[idx].name!r} in {detail}"
    return text


def _run_row(row: Row[S, CEvent], ctx: Ctx, c: Ctr) -> Ctr:
    """The container's record after ``row`` fired (``c`` itself when the row changes nothing)."""
    if row.action is None:
        return c if row.target is c.state else c._replace(state=row.target)
    new: Ctr = row.action(ctx, row.target)
    if new.state is not row.target:
        raise AssertionError(
            f"action {row.action.__name__} left {new.state.name}, row says {row.target.name}"
        )
    return new


def _apply(
    plan: PodPlan, s: PodState, idx: int, event: CEvent, ev: Any, out: list[KEvent] | None, reference: bool
) -> Ctr | None:
    """Fire ``event`` on container ``idx``; the new record, or None when no row applies."""
    c = s.ctrs[idx]
    ctx = Ctx(plan, plan.containers[idx], c, s.t, ev, s.images, out, reference)
    row = CONTAINER.fire_reference(c.state, event, ctx) if reference else CONTAINER.fire(c.state, event, ctx)
    return None if row is None else _run_row(row, ctx, c)


_RUNTIME_EVENT: Final[dict[type[Event], CEvent]] = {
    ImagePulled: CEvent.IMAGE_PULLED,
    ImagePullFailed: CEvent.IMAGE_PULL_FAILED,
    ContainerStarted: CEvent.CONTAINER_STARTED,
    ContainerStartFailed: CEvent.CONTAINER_START_FAILED,
    ContainerExited: CEvent.CONTAINER_EXITED,
}
_BUSY: Final = frozenset({S.PULLING, S.CREATING, S.POST_START})
_KILLING: Final = frozenset({S.PRE_STOP, S.STOPPING})
_QUIET: Final = frozenset(
    {S.PULLING, S.CREATING, S.POST_START, S.RUNNING, S.ABANDONED}
)  # a SYNC is ignored there


def _waits_for_timer(state: S) -> bool:
    """True iff the table's first SYNC row in ``state`` is "do nothing until the container's timer is due"."""
    rows = CONTAINER.rows_for(state, CEvent.SYNC)
    return bool(rows) and rows[0].guard is not_due and rows[0].target is state and rows[0].action is None


# States whose SYNC is a no-op until ``due``: derived from the table, so the engine can skip firing it.
_TIMED: Final = frozenset(st for st in S if _waits_for_timer(st))
_ALIVE: Final = frozenset({S.RUNNING, S.STOPPING, S.PRE_STOP, S.POST_START})
# What may have a running process: alive, or a start in flight (the runtime has not answered).
_COULD_RUN: Final = _ALIVE | {S.CREATING}


class _PodCtx(NamedTuple):
    plan: PodPlan
    grace: int = 0  # the grace period of a DELETE
    deleted: bool = False


def _pod_fire(
    plan: PodPlan,
    s: PodState,
    stage: PStage,
    event: PEvent,
    ev: Event | None,
    reference: bool,
    grace: int = 0,
) -> PStage:
    """The pod machine's next stage; :class:`IllegalTransition` for a forbidden environment event."""
    rule = POD.forbidden.get((stage, event))
    if rule is not None:
        raise IllegalTransition(describe(plan, s), ev if ev is not None else event.name, rule, DOCS)
    pctx = _PodCtx(plan, grace, s.deletion_at >= 0)
    row = POD.fire_reference(stage, event, pctx) if reference else POD.fire(stage, event, pctx)
    return stage if row is None else row.target


# ---------------------------------------------------------------------------------------------
# The kubelet's own moves
# ---------------------------------------------------------------------------------------------


class _Settle:
    """One settling pass: the containers in a list, one reusable context, the pod worker's busy count."""

    __slots__ = ("changed", "ctrs", "ctx", "fire_row", "grace", "kill_start", "nbusy", "plan", "t")

    def __init__(self, plan: PodPlan, s: PodState, out: list[KEvent] | None, reference: bool) -> None:
        self.plan = plan
        self.t = s.t
        self.kill_start = s.kill_start
        self.grace = s.kill_grace if s.kill_grace >= 0 else plan.grace
        self.ctrs = list(s.ctrs)
        self.changed = False
        self.ctx = Ctx(plan, plan.containers[0], s.ctrs[0], s.t, None, s.images, out, reference)
        self.nbusy = sum(1 for c in s.ctrs if c.state in _BUSY)
        self.fire_row = CONTAINER.fire_reference if reference else CONTAINER.fire

    def fire(self, idx: int, event: CEvent, ev: Any = None) -> None:
        c = self.ctrs[idx]
        ctx = self.ctx
        ctx.cp = self.plan.containers[idx]
        ctx.c = c
        ctx.ev = ev
        row = self.fire_row(c.state, event, ctx)
        if row is None:
            return
        new = _run_row(row, ctx, c)
        if new is c:
            return
        was_busy = c.state in _BUSY
        if was_busy != (new.state in _BUSY):
            self.nbusy += -1 if was_busy else 1
        self.ctrs[idx] = new
        self.changed = True

    def sync(self, idx: int) -> None:
        """Give container ``idx`` a SYNC if the pod worker is free to start something."""
        c = self.ctrs[idx]
        st = c.state
        if st in _QUIET or (self.nbusy and st not in _KILLING):
            return
        if st in _TIMED and (c.due < 0 or self.t < c.due):
            return  # the table's first row: nothing until the timer is due
        self.fire(idx, CEvent.SYNC)

    def may_restart(self, idx: int) -> bool:
        ctx = self.ctx
        ctx.cp = self.plan.containers[idx]
        ctx.c = self.ctrs[idx]
        return restart_permitted(ctx)


def _initializing(st: _Settle) -> PEvent | None:
    plan = st.plan
    init_idx = plan.init_idx
    for pos, i in enumerate(init_idx):
        cp = plan.containers[i]
        if cp.kind is ContainerKind.SIDECAR:
            c = st.ctrs[i]
            if c.state is S.RUNNING and _probe_flags(cp, c)[0]:
                continue  # started (startup probe passed, or none): the next init container may start
            st.sync(i)
            nxt = init_idx[pos + 1] if pos + 1 < len(init_idx) else None
            if st.ctrs[i].ever_started and nxt is not None and st.ctrs[nxt].state is not S.WAITING:
                continue  # a restarting sidecar no longer holds back init containers after it
            return None
        c = st.ctrs[i]
        if c.state is S.TERMINATED and c.term is not None:
            if c.term.exit_code == 0:
                continue
            if plan.restart_policy == "Never":
                return PEvent.INIT_FAILED
        st.sync(i)
        return None
    return PEvent.INIT_DONE


def _started(st: _Settle) -> PEvent | None:
    plan = st.plan
    for i in plan.sidecar_idx:
        st.sync(i)  # sidecars restart whatever the pod's restartPolicy
    for i in plan.regular_idx:
        st.sync(i)
    if st.nbusy:
        return None  # the pod worker's SyncPod finishes the start in flight before it decides anything else
    for i in plan.regular_idx:
        c = st.ctrs[i]
        if c.state is not S.TERMINATED or st.may_restart(i):
            return None
    return PEvent.ALL_EXITED


def _completing(st: _Settle) -> PEvent | None:
    """KillPod (or a deletion): stop what runs within the grace period, start nothing (killPodWithSyncResult)."""
    plan = st.plan
    t = st.t
    order = KillOrder((st.kill_start if st.kill_start >= 0 else t) + st.grace, "")
    # Regular (and init) containers first, in parallel; what is not running is given up.
    for i, cp in enumerate(plan.containers):
        if cp.kind is not ContainerKind.SIDECAR:
            st.fire(i, CEvent.KILL, order)
    # Sidecars in reverse declaration order, each once everything after it has stopped (newTerminationOrdering).
    mains_alive = any(
        st.ctrs[i].state in _ALIVE
        for i, cp in enumerate(plan.containers)
        if cp.kind is not ContainerKind.SIDECAR
    )
    if t >= order.grace_end:  # the wait for a sidecar's turn is bounded by the grace period: all go now
        for i in plan.sidecar_idx:
            if st.ctrs[i].state not in _KILLING:
                st.fire(i, CEvent.KILL, order)
    elif not mains_alive:
        for i in reversed(plan.sidecar_idx):
            state = st.ctrs[i].state
            if state in _KILLING or state is S.CREATING:
                break
            st.fire(i, CEvent.KILL, order)  # not running: counts as terminated already
            if st.ctrs[i].state in _KILLING:
                break
    for i, c in enumerate(st.ctrs):
        if c.state in _KILLING:
            st.sync(i)  # preStop abandoned / SIGKILL when the grace period ends
    if any(c.state in _COULD_RUN for c in st.ctrs):
        return None
    return PEvent.STOPPED


def _generate_status(plan: PodPlan, s: PodState) -> PodState:
    """The status a sync generates when it starts: the reason cache as the last sync left it, and
    the other controllers' conditions as the API object has them now."""
    if s.conditions:
        seen = tuple((ctype, status) for ctype, status, _, _ in s.conditions)
        if seen != s.synced_conditions:
            s = s._replace(synced_conditions=seen)
    for c in s.ctrs:
        if c.shown != c.err or c.shown_msg != c.err_msg:
            break
    else:
        return s
    ctrs = tuple(
        c if c.shown == c.err and c.shown_msg == c.err_msg else c._replace(shown=c.err, shown_msg=c.err_msg)
        for c in s.ctrs
    )
    return s._replace(ctrs=ctrs, codes=codes_of(plan, ctrs, s))


_NO_KUBELET: Final = frozenset({PStage.UNSCHEDULED, PStage.UNSCHEDULABLE, PStage.FINISHED, PStage.REMOVED})
_DEADLINE_STAGES: Final = frozenset({PStage.INITIALIZING, PStage.STARTED})
_KILL_STAGES: Final = frozenset({PStage.COMPLETING, PStage.TERMINATING})


def _settle(plan: PodPlan, s: PodState, out: list[KEvent] | None, reference: bool) -> PodState:
    """Let the kubelet take every decision it would now, until nothing changes (a fixed point)."""
    if s.away:
        return s  # no kubelet reports: the API keeps the last status it posted
    s = _generate_status(plan, s)
    if s.not_ready_marked:
        s = s._replace(not_ready_marked=False)  # the kubelet's next status recomputes Ready
    if s.stage in _NO_KUBELET:
        return s
    if s.start_time < 0:
        s = s._replace(start_time=s.t)  # the kubelet's first sync sets status.startTime
    st = _Settle(plan, s, out, reference)
    stage = s.stage
    kill_start = s.kill_start
    reason = s.reason
    touched = False
    for _ in range(4 * len(plan.containers) + 16):
        if (
            stage in _DEADLINE_STAGES
            and plan.active_deadline >= 0
            and s.t >= s.start_time + plan.active_deadline
        ):
            if out is not None:
                out.append(KEvent("Normal", "DeadlineExceeded", DEADLINE_MESSAGE, "kubelet", s.t))
            stage = _pod_fire(plan, s, stage, PEvent.DEADLINE, None, reference)
            reason = "DeadlineExceeded"
            s = s._replace(message=DEADLINE_MESSAGE)
            kill_start = s.t
            continue
        st.changed = False
        st.kill_start = kill_start
        if stage is PStage.INITIALIZING:
            pev = _initializing(st)
        elif stage is PStage.STARTED:
            pev = _started(st)
        else:
            pev = _completing(st)
        touched = touched or st.changed
        if pev is not None:
            new_stage = _pod_fire(plan, s, stage, pev, None, reference)
            if new_stage is not stage:
                if new_stage is PStage.COMPLETING:
                    kill_start = s.t
                stage = new_stage
                if stage is PStage.FINISHED:
                    break
                continue
        if not st.changed:
            break
    else:
        raise AssertionError(
            f"the kubelet did not settle: {describe(plan, s)}"
        )  # a model bug, never user input
    if touched:
        ctrs = tuple(st.ctrs)
        s = s._replace(
            ctrs=ctrs, codes=codes_of(plan, ctrs, s), stage=stage, kill_start=kill_start, reason=reason
        )
    elif stage is not s.stage:
        s = s._replace(stage=stage, kill_start=kill_start, reason=reason)
    if stage is not PStage.FINISHED:
        return _publish(plan, s, final=False)
    s = _publish(plan, s, final=True)._replace(terminated=True)
    if s.deletion_at >= 0:  # canBeDeleted: terminal and finished, so the kubelet deletes the object
        s = s._replace(stage=_pod_fire(plan, s, PStage.FINISHED, PEvent.REMOVE, None, reference))
    return s


def _idle_sync(plan: PodPlan, s: PodState, out: list[KEvent] | None, reference: bool) -> PodState:
    """A sync at a time no timer falls due: only the status is generated anew.

    After a settle the kubelet is at a fixed point; between timers only time moves, and every
    time-dependent guard (back-off, re-sync, grace period, deadline) is guarded by a timer, so a
    full settle would fire no row. ``IDLE_SHORTCUT = False`` runs the full settle instead (a test
    checks both agree).
    """
    if not IDLE_SHORTCUT or s.stage in _NO_KUBELET:
        return _settle(plan, s, out, reference)
    s = _generate_status(plan, s)
    return _publish(plan, s, final=False)


IDLE_SHORTCUT = True
_FAILING_REASONS: Final = frozenset({"DeadlineExceeded", "Evicted"})
# Reasons a pod sync handler's ShouldEvict gives (active_deadline.go): from then on every status the
# kubelet generates says Failed, whatever getPhase says.
_SHOULD_EVICT: Final = frozenset({"DeadlineExceeded"})


def kubelet_phase(plan: PodPlan, s: PodState) -> PodPhase:
    """The phase the kubelet computes for the status it generates now, before the status manager
    merges it (kubelet_pods.go ``generateAPIPodStatus``): a terminal phase stays; ``Failed`` once a
    pod sync handler says evict (``ShouldEvict``: the active deadline); else ``getPhase``, with
    ``podIsTerminal`` in ``syncTerminatingPod`` (a deletion, a kubelet eviction).

    The kubelet-owned conditions (Initialized, ContainersReady, Ready) are generated from this
    phase; ``mergePodStatus`` then holds back only phase, reason and message while containers may
    still run, so the published conditions can be terminal (``PodFailed``, ``PodCompleted``) while
    the published phase is still Pending or Running.
    """
    if s.phase.is_terminal:
        return s.phase
    if s.reason in _SHOULD_EVICT:
        return PodPhase.FAILED
    return phase_of(plan, s.codes, terminal=s.deletion_at >= 0 or s.reason == "Evicted")


def _publish(plan: PodPlan, s: PodState, *, final: bool) -> PodState:
    """Set the published phase: the kubelet's phase (:func:`kubelet_phase`), sticky once terminal,
    and a terminal one held back, with the phase before it, while containers may run
    (status_manager.go ``mergePodStatus``: K1, K3)."""
    if s.phase.is_terminal:
        return s
    if final:
        codes = codes_of(plan, s.ctrs)
        if s.reason in _FAILING_REASONS:  # ShouldEvict / the eviction manager set phase Failed
            phase = PodPhase.FAILED
        else:
            phase = phase_of(plan, codes, terminal=True)
            if not phase.is_terminal:  # TerminatePod: a non-static pod still Pending or Running ends Failed
                phase = PodPhase.FAILED
        return s._replace(phase=phase, codes=codes)
    phase = kubelet_phase(plan, s)
    if phase.is_terminal or phase is s.phase:
        return s  # mergePodStatus: no terminal phase while containers could run; the phase before it stays
    return s._replace(phase=phase)


# ---------------------------------------------------------------------------------------------
# step
# ---------------------------------------------------------------------------------------------


def next_due(plan: PodPlan, s: PodState) -> int:
    """The earliest timer strictly after now, or -1: between now and then a tick changes no stage
    and no container (the cluster's clock jumps to it)."""
    best = -1
    if plan.active_deadline >= 0 and s.start_time >= 0 and s.stage in _DEADLINE_STAGES:
        best = s.start_time + plan.active_deadline
        if best <= s.t:
            best = -1
    for c in s.ctrs:
        if c.due > s.t and (best < 0 or c.due < best):
            best = c.due
    if s.kill_start >= 0 and s.stage in _KILL_STAGES and plan.sidecar_idx:
        end = s.kill_start + (s.kill_grace if s.kill_grace >= 0 else plan.grace)  # sidecars' turns run out
        if end > s.t and (best < 0 or end < best):
            best = end
    return best


def step(
    plan: PodPlan, s: PodState, ev: Event, *, out: list[KEvent] | None = None, reference: bool = False
) -> PodState:
    """The state after ``ev``; :class:`IllegalTransition` (and ``s`` untouched) if the model forbids it.

    ``out`` collects the Kubernetes Events emitted; ``reference`` runs the tables through ``transitions``.
    """
    if s.away and isinstance(ev, ContainerEvent):
        raise IllegalTransition(
            describe(plan, s),
            ev,
            "the node's kubelet does not report (heartbeats stopped): the API keeps the last status it posted",
            "https://kubernetes.io/docs/concepts/architecture/nodes/#heartbeats",
        )
    if type(ev) is HookFinished:
        return _hook_finished(plan, s, ev, out, reference)
    if type(ev) is ProbeResult:
        return _probe_result(plan, s, ev, out, reference)
    if type(ev) is Delete:
        return _delete(plan, s, ev, ev.grace_period_seconds, None, out, reference)
    if type(ev) is Evict:
        return _delete(plan, s, ev, None, ("EvictionByEvictionAPI", "Eviction API: evicting"), out, reference)
    cev = _RUNTIME_EVENT.get(type(ev))
    if cev is not None:
        assert isinstance(ev, ContainerEvent)
        idx = _container_index(plan, s, ev)
        c = s.ctrs[idx]
        rule = CONTAINER.forbidden.get((c.state, cev))
        if rule is not None:
            raise IllegalTransition(describe(plan, s, idx), ev, rule, DOCS + "#container-states")
        new = _apply(plan, s, idx, cev, ev, out, reference)
        if new is None:
            raise IllegalTransition(describe(plan, s, idx), ev, "no row of the container table applies")
        if s.deletion_at >= 0 and new.probes and new.state is S.RUNNING:
            # doProbe: on a deleted pod liveness and startup stop, also for a start that completes now
            pctx = Ctx(plan, plan.containers[idx], new, s.t, None, s.images, None, reference)
            new = new._replace(probes=_probes(pctx, PrEvent.POD_DELETED))
        ctrs = s.ctrs[:idx] + (new,) + s.ctrs[idx + 1 :]
        images = s.images | {plan.containers[idx].image} if cev is CEvent.IMAGE_PULLED else s.images
        return _settle(
            plan, s._replace(ctrs=ctrs, images=images, codes=codes_of(plan, ctrs, s)), out, reference
        )
    if type(ev) is Tick:
        target = s.t + ev.seconds
        if target > plan.config.last_second:
            raise IllegalTransition(describe(plan, s), ev, CLOCK_END_RULE)
        if s.away:
            return s._replace(t=target)  # the kubelet's timers run on the node; nothing reaches the API
        while True:
            due = next_due(plan, s)
            if due < 0 or due > target:
                if target == s.t:
                    return s
                # No timer falls due before ``target``: the kubelet re-syncs (the status shows the
                # reason cache) but every decision it could take waits on a timer, so none changes.
                return _idle_sync(plan, s._replace(t=target), out, reference)
            s = _settle(plan, s._replace(t=due), out, reference)
    if type(ev) is Schedule:
        new_s = s._replace(stage=_pod_fire(plan, s, s.stage, PEvent.SCHEDULE, ev, reference))
        if out is not None:
            out.append(
                KEvent(
                    "Normal",
                    "Scheduled",
                    f"Successfully assigned {plan.namespace}/{plan.name} to {ev.node}",
                    "default-scheduler",
                    s.t,
                )
            )
        return _settle(plan, new_s._replace(node=ev.node, images=s.images | set(ev.images)), out, reference)
    if type(ev) is PodCondition:
        return _pod_condition(plan, s, ev, out, reference)
    if type(ev) is Unschedulable:
        new_s = s._replace(stage=_pod_fire(plan, s, s.stage, PEvent.UNSCHEDULABLE, ev, reference))
        if out is not None:
            out.append(KEvent("Warning", "FailedScheduling", ev.message, "default-scheduler", s.t))
        return new_s._replace(sched_msg=ev.message)
    raise IllegalTransition(describe(plan, s), ev, "podfsm does not model this event yet")


def _pod_condition(
    plan: PodPlan, s: PodState, ev: PodCondition, out: list[KEvent] | None, reference: bool
) -> PodState:
    """A controller's status patch: the condition is set (replaced, kept in place, if the type is
    there already); a scheduled pod's kubelet syncs to reconcile Ready (HandlePodReconcile)."""
    if s.stage is PStage.REMOVED:
        raise IllegalTransition(
            describe(plan, s),
            ev,
            "the pod object is deleted: there is nothing to patch",
            "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-readiness-gate",
        )
    entry = (ev.type, ev.status, ev.reason, ev.message)
    types = [c[0] for c in s.conditions]
    if ev.type in types:
        at = types.index(ev.type)
        conditions = s.conditions[:at] + (entry,) + s.conditions[at + 1 :]
    else:
        conditions = (*s.conditions, entry)
    return _settle(plan, s._replace(conditions=conditions), out, reference)


def _container_index(plan: PodPlan, s: PodState, ev: ContainerEvent) -> int:
    idx = plan.by_name.get(ev.container)
    if idx is None:
        known = ", ".join(c.name for c in plan.containers)
        raise IllegalTransition(
            describe(plan, s),
            ev,
            f"the pod spec has no container named {ev.container!r} (containers: {known})",
        )
    return idx


def _with_container(plan: PodPlan, s: PodState, idx: int, new: Ctr) -> PodState:
    ctrs = s.ctrs[:idx] + (new,) + s.ctrs[idx + 1 :]
    return s._replace(ctrs=ctrs, codes=codes_of(plan, ctrs, s))


def _hook_finished(
    plan: PodPlan, s: PodState, ev: HookFinished, out: list[KEvent] | None, reference: bool
) -> PodState:
    idx = _container_index(plan, s, ev)
    c = s.ctrs[idx]
    expected = S.POST_START if ev.hook == "postStart" else S.PRE_STOP
    if c.state is not expected:
        raise IllegalTransition(
            describe(plan, s, idx),
            ev,
            f"no {ev.hook} hook is running for this container (postStart runs right after the start, "
            "preStop when the kubelet kills it: lifecycle hooks)",
            DOCS.replace("pod-lifecycle/", "") + "containers/container-lifecycle-hooks/",
        )
    cev = CEvent.HOOK_SUCCEEDED if ev.result == "success" else CEvent.HOOK_FAILED
    new = _apply(plan, s, idx, cev, ev, out, reference)
    if new is None:
        raise IllegalTransition(describe(plan, s, idx), ev, "no row of the container table applies")
    return _settle(plan, _with_container(plan, s, idx, new), out, reference)


_PROBE_KINDS: Final = {
    "startup": ProbeKind.STARTUP,
    "liveness": ProbeKind.LIVENESS,
    "readiness": ProbeKind.READINESS,
}
_PROBE_DOCS: Final = "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/"


def _probe_result(
    plan: PodPlan, s: PodState, ev: ProbeResult, out: list[KEvent] | None, reference: bool
) -> PodState:
    """One probe run: count it; a liveness / startup Failure makes the kubelet kill the container."""
    idx = _container_index(plan, s, ev)
    cp, c = plan.containers[idx], s.ctrs[idx]
    kind = _PROBE_KINDS[ev.probe]
    pi = cp.probe_index(kind)
    where = describe(plan, s, idx)
    if pi < 0:
        raise IllegalTransition(where, ev, f"the container declares no {ev.probe}Probe", _PROBE_DOCS)
    if c.state not in _RUNNING_VIEW:
        raise IllegalTransition(
            where, ev, "probes run only while the container runs (prober worker doProbe)", _PROBE_DOCS
        )
    p = c.probes[pi]
    if p.state is not PrState.PROBING:
        why = {
            PrState.HOLD: "the worker holds after publishing Failure until the container is replaced",
            PrState.DONE: "the probe has stopped (startup succeeded, or the pod is being deleted)",
        }.get(p.state, "the probe worker is not running")
        raise IllegalTransition(where, ev, f"the {ev.probe} probe does not run: {why} (doProbe)", _PROBE_DOCS)
    if kind is not ProbeKind.STARTUP and not _probe_flags(cp, c)[0]:
        raise IllegalTransition(
            where, ev, "only the startup probe runs until it succeeds (doProbe startup gating)", _PROBE_DOCS
        )
    if s.t < p.next_at:
        raise IllegalTransition(
            where,
            ev,
            f"the {ev.probe} probe runs next at t={p.next_at}s (initialDelaySeconds / periodSeconds)",
            _PROBE_DOCS,
        )
    spec = cp.probes[pi]
    pctx = ProbeCtx(spec, p, s.t)
    pev = PrEvent.RUN_SUCCESS if ev.result == "success" else PrEvent.RUN_FAILURE
    row = PROBE.fire_reference(p.state, pev, pctx) if reference else PROBE.fire(p.state, pev, pctx)
    assert row is not None and row.action is not None  # PROBING decides both runs
    new_p = row.action(pctx, row.target)
    if out is not None and ev.result == "failure":
        label = ev.probe.capitalize()
        out.append(
            KEvent("Warning", "Unhealthy", f"{label} probe failed: {ev.message}".rstrip(), "kubelet", s.t)
        )
    c = c._replace(probes=c.probes[:pi] + (new_p,) + c.probes[pi + 1 :])
    s = _with_container(plan, s, idx, c)
    if new_p.state is PrState.HOLD:  # computePodActions: kill, restarted unless restartPolicy is Never
        restart = plan.restart_policy != "Never" or cp.kind is ContainerKind.SIDECAR
        message = f"Container {cp.name} failed {ev.probe} probe" + (", will be restarted" if restart else "")
        grace = s.deletion_grace if s.deletion_at >= 0 else (spec.grace if spec.grace >= 0 else plan.grace)
        new = _apply(plan, s, idx, CEvent.KILL, KillOrder(s.t + grace, message), out, reference)
        if new is not None:
            s = _with_container(plan, s, idx, new)
    return _settle(plan, s, out, reference)


def _delete(
    plan: PodPlan,
    s: PodState,
    ev: Event,
    grace_option: int | None,
    disruption: tuple[str, str] | None,
    out: list[KEvent] | None,
    reference: bool,
) -> PodState:
    """API DELETE: ``podStrategy.CheckGracefulDelete``, then the kubelet's termination (killPodWithSyncResult)."""
    grace = plan.grace if grace_option is None else grace_option
    if s.stage in (PStage.UNSCHEDULED, PStage.UNSCHEDULABLE) or s.phase.is_terminal:
        grace = 0  # an unscheduled or terminal pod is removed at once
    deletion_at = s.t + grace
    if s.deletion_at >= 0:
        deletion_at = min(deletion_at, s.deletion_at)  # a second delete can only shorten the grace period
        grace = deletion_at - s.t
    if deletion_at > plan.config.last_second:  # rest.BeforeDelete: deletionTimestamp = now + grace
        raise IllegalTransition(
            describe(plan, s), ev, f"metadata.deletionTimestamp (now + {grace} s of grace): {CLOCK_END_RULE}"
        )
    stage = _pod_fire(plan, s, s.stage, PEvent.DELETE, ev, reference, grace=grace)
    s = s._replace(
        stage=stage, deletion_at=deletion_at, deletion_grace=grace, disruption=disruption or s.disruption
    )
    if stage is PStage.REMOVED:
        return s
    # The pod worker's grace (floor 1 s, only decreasing); running kills are shortened to it.
    effective = max(grace, 1)
    end = s.t + effective
    old_end = s.kill_start + (s.kill_grace if s.kill_grace >= 0 else plan.grace) if s.kill_start >= 0 else end
    if s.kill_start < 0 or end < old_end:
        s = s._replace(kill_start=s.t, kill_grace=effective)
    floor = plan.config.minimum_grace_period
    ctrs = []
    for cp, c in zip(plan.containers, s.ctrs, strict=True):
        if c.probes:  # doProbe: liveness and startup stop on deletion, readiness keeps probing
            ctx = Ctx(plan, cp, c, s.t, None, s.images, None, reference)
            c = c._replace(probes=_probes(ctx, PrEvent.POD_DELETED))
        if c.state is S.PRE_STOP and c.due > end:
            c = c._replace(due=end)
        elif c.state is S.STOPPING and c.due > max(end, s.t + floor):
            c = c._replace(due=max(end, s.t + floor))
        ctrs.append(c)
    s = s._replace(ctrs=tuple(ctrs), codes=codes_of(plan, tuple(ctrs), s))
    return _settle(plan, s, out, reference)


# ---------------------------------------------------------------------------------------------
# What controllers do to a pod (driven by the node machine in podfsm.cluster)
# ---------------------------------------------------------------------------------------------

KUBELET_DISRUPTION_REASON: Final = "TerminationByKubelet"  # eviction_manager.go evictPod's DisruptionTarget
TAINT_MANAGER_DISRUPTION: Final = ("DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
POD_GC_DISRUPTION: Final = ("DeletionByPodGC", "PodGC: node no longer exists")


def set_away(
    plan: PodPlan, s: PodState, away: bool, out: list[KEvent] | None = None, reference: bool = False
) -> PodState:
    """The node's kubelet stops (``away``) or resumes reporting; on resuming it syncs at once."""
    if away == s.away:
        return s
    s = s._replace(away=away)
    if not away and s.stage is PStage.TERMINATING and not any(c.state in _KILLING for c in s.ctrs):
        # calculateEffectiveGracePeriod: the kubelet counts the grace from when it sees the deletion
        s = s._replace(kill_start=s.t, kill_grace=max(s.deletion_grace, 1))
    return s if away else _settle(plan, s, out, reference)


def unmark_not_ready(s: PodState) -> PodState:
    """The node reports Ready again: the kubelet-owned Ready condition is its own again."""
    return s._replace(not_ready_marked=False) if s.not_ready_marked else s


def mark_not_ready(s: PodState) -> PodState:
    """``MarkPodsNotReady`` (node lifecycle controller): the Ready condition of a bound pod becomes False.

    Only ``Ready`` changes: not the phase, not ``ContainersReady``, not the container statuses. The
    kubelet's next status (once its node reports again) recomputes it.
    """
    if not s.node or s.stage is PStage.REMOVED:
        return s
    return s._replace(not_ready_marked=True)


def taint_delete(
    plan: PodPlan, s: PodState, out: list[KEvent] | None = None, reference: bool = False
) -> PodState:
    """The taint-eviction controller deletes a pod that does not tolerate a NoExecute taint (graceful delete)."""
    if s.stage is PStage.REMOVED or s.deletion_at >= 0:
        return s
    if out is not None:
        out.append(
            KEvent(
                "Normal",
                "TaintManagerEviction",
                f"Marking for deletion Pod {plan.namespace}/{plan.name}",
                "taint-eviction-controller",
                s.t,
            )
        )
    return _delete(plan, s, Delete(), None, TAINT_MANAGER_DISRUPTION, out, reference)


def gc_delete(
    plan: PodPlan,
    s: PodState,
    disruption: tuple[str, str] | None,
    out: list[KEvent] | None = None,
    reference: bool = False,
) -> PodState:
    """PodGC ``markFailedAndDeletePodWithCondition``: phase Failed (unless terminal), the condition, then a force delete."""
    if s.stage is PStage.REMOVED:
        return s
    if not s.phase.is_terminal:  # the condition comes with the patch to Failed, only for a non-terminal pod
        s = s._replace(phase=PodPhase.FAILED, disruption=disruption or s.disruption)
    return _delete(plan, s, Delete(0), 0, None, out, reference)


def kubelet_evict(
    plan: PodPlan, s: PodState, resource: str, out: list[KEvent] | None = None, reference: bool = False
) -> PodState:
    """``evictPod`` (node-pressure eviction): kill with grace 0, then phase Failed, reason Evicted."""
    if s.stage not in _DEADLINE_STAGES:
        return s  # only a pod the kubelet runs and has not begun to stop is evicted
    message = f"The node was low on resource: {resource}. "
    if out is not None:
        out.append(KEvent("Warning", "Evicted", message, "kubelet", s.t))
    stage = _pod_fire(plan, s, s.stage, PEvent.KUBELET_EVICT, None, reference)
    s = s._replace(
        stage=stage,
        reason="Evicted",
        message=message,
        disruption=(KUBELET_DISRUPTION_REASON, message),
        kill_start=s.t,
        kill_grace=0,
    )
    return _settle(plan, s, out, reference)


def enabled_events(plan: PodPlan, s: PodState) -> list[Event]:
    """The environment's legal moves in ``s`` (one representative per kind), for random walks and the explorer."""
    events: list[Event] = []
    if s.stage in (PStage.UNSCHEDULED, PStage.UNSCHEDULABLE):
        events.append(Schedule(node="node-1"))
        events.append(Unschedulable())
        events.append(Delete())  # removed at once: no kubelet to wait for
        return events
    for cp, c in zip(plan.containers, s.ctrs, strict=True):
        st = c.state
        if st is S.PULLING:
            events += [ImagePulled(cp.name), ImagePullFailed(cp.name)]
        elif st is S.CREATING:
            events += [
                ContainerStarted(cp.name),
                ContainerStartFailed(cp.name, "CreateContainerConfigError"),
                ContainerStartFailed(cp.name, "RunContainerError"),
            ]
        elif st in _ALIVE:
            events += [ContainerExited(cp.name, 0), ContainerExited(cp.name, 1)]
        if st is S.POST_START:
            events += [
                HookFinished(cp.name, "postStart", "success"),
                HookFinished(cp.name, "postStart", "failure"),
            ]
        elif st is S.PRE_STOP:
            events += [HookFinished(cp.name, "preStop", "success")]
        if st in _RUNNING_VIEW:
            started = _probe_flags(cp, c)[0]
            for spec, p in zip(cp.probes, c.probes, strict=True):
                if (
                    p.state is PrState.PROBING
                    and s.t >= p.next_at
                    and (started or spec.kind is ProbeKind.STARTUP)
                ):
                    name = _PROBE_NAMES[spec.kind]
                    events += [ProbeResult(cp.name, name, "success"), ProbeResult(cp.name, name, "failure")]
    if s.stage not in (PStage.REMOVED, PStage.TERMINATING):
        events.append(Delete())
    elif s.stage is PStage.TERMINATING:
        # kubectl delete --force --grace-period=0 of a Terminating pod
        events.append(Delete(grace_period_seconds=0))
    if plan.gates and s.stage is not PStage.REMOVED:  # the gates' controller flips a gate's condition
        now = {ctype: status for ctype, status, _, _ in s.conditions}
        events += [PodCondition(g, "False" if now.get(g) == "True" else "True") for g in plan.gates]
    due = next_due(plan, s)
    probe_due = min(
        (
            p.next_at
            for c in s.ctrs
            if c.state in _RUNNING_VIEW
            for p in c.probes
            if p.state is PrState.PROBING and p.next_at > s.t
        ),
        default=-1,
    )
    if probe_due > 0 and (due < 0 or probe_due < due):
        due = probe_due
    room = min(MAX_TICK_SECONDS, plan.config.last_second - s.t)  # one tick's bound; the clock's end
    if due > s.t and room > 0:
        events.append(Tick(min(due - s.t, room)))
    return events


_PROBE_NAMES: Final = {v: k for k, v in _PROBE_KINDS.items()}
