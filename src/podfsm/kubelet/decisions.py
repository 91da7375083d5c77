"""The kubelet's decisions: what it shows of a container, the phase it computes, what its pod
worker does next. The engine (:mod:`podfsm.engine`) runs them; the model value
(:class:`podfsm.model.Model`) names which ones run, so a mutant is a model with one replaced.

* **Status projection** (``convertToAPIContainerStatuses`` + the reason cache):
  :func:`container_view`, and :func:`codes_of`, each container's input to ``getPhase``.
* **Phase** (``getPhase``, ``generateAPIPodStatus``, ``mergePodStatus``): :func:`phase_of`,
  :func:`kubelet_phase`, :func:`publish`.
* **The pod worker** (``SyncPod`` / ``killPodWithSyncResult``), one pass per pod stage:
  :func:`initializing`, :func:`started`, :func:`completing`. Each reads a settle pass
  (:class:`SettlePass`) and syncs or kills containers through it.
* **The pod summary the pod table's SYNC rows read**: :func:`init_progress`, :func:`all_exited`
  (the pod-level decisions themselves are rows of :data:`podfsm.machines.pod.POD`).

Every function reads the model it runs under from ``plan.model``: a decision never calls another
by its module name, so replacing one in the model replaces it everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Protocol

from podfsm.enums import PodPhase, RestartPolicy
from podfsm.machines.container import CEvent, KillOrder, may_restart
from podfsm.machines.pod import InitProgress
from podfsm.machines.probe import ProbeKind, Result
from podfsm.machines.records import ContainerKind, ContainerPlan, Ctr, PodPlan, PodState, Term, View
from podfsm.machines.records import CState as S
from podfsm.oracle import ContainerFacts, count_phase, decide_phase

__all__ = [
    "ALIVE",
    "BUSY",
    "COULD_RUN",
    "KILLING",
    "KUBELET_DISRUPTION_REASON",
    "RUNNING_VIEW",
    "SettlePass",
    "all_exited",
    "codes_of",
    "completing",
    "conditions_phase",
    "container_view",
    "init_progress",
    "initializing",
    "kill_grace",
    "kubelet_phase",
    "phase_of",
    "probe_flags",
    "probe_kill_grace",
    "probe_kill_message",
    "publish",
    "started",
]

KUBELET_DISRUPTION_REASON: Final = "TerminationByKubelet"  # eviction_manager.go evictPod's DisruptionTarget
RUNNING_VIEW: Final = frozenset({S.RUNNING, S.PRE_STOP, S.STOPPING})  # the API shows state.running
BUSY: Final = frozenset({S.PULLING, S.CREATING, S.POST_START})  # the pod worker waits on the runtime
KILLING: Final = frozenset({S.PRE_STOP, S.STOPPING})
ALIVE: Final = frozenset({S.RUNNING, S.STOPPING, S.PRE_STOP, S.POST_START})
# What may have a running process: alive, or a start in flight (the runtime has not answered).
COULD_RUN: Final = ALIVE | {S.CREATING}


class SettlePass(Protocol):
    """What a pod-worker decision reads and drives: the engine's settle pass (``engine._Settle``)."""

    plan: PodPlan
    t: int
    kill_start: int  # when KillPod began (-1: not killing)
    grace: int  # the grace period the kubelet kills with
    ctrs: list[Ctr]  # the containers, updated in place by fire / sync
    nbusy: int  # containers with a runtime call in flight

    def fire(self, idx: int, event: CEvent, ev: Any = None) -> None:
        """Fire ``event`` on container ``idx`` through the model's container table."""

    def sync(self, idx: int) -> None:
        """Give container ``idx`` a SYNC if the pod worker is free to start something."""

    def may_restart(self, idx: int) -> bool:
        """True iff container ``idx``, exited, may run again (the model's restart rule)."""


# ---------------------------------------------------------------------------------------------
# What the API shows of a container (convertToAPIContainerStatuses + the reason-cache overlay)
# ---------------------------------------------------------------------------------------------


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
    if st in RUNNING_VIEW:
        started, ready = probe_flags(cp, c)
        return View("running", "", "", None, c.last, c.started_at, started, ready)
    if st is S.WAITING:
        return View("waiting", cp.default_reason, "", None, c.last, -1, False, False)
    if st is S.ABANDONED:
        if c.term is not None:
            return View("terminated", "", "", c.term, c.last, -1, False, _init_ready(cp, c.term))
        return View("waiting", c.shown or cp.default_reason, c.shown_msg, None, c.last, -1, False, False)
    if st is S.TERMINATED:
        if c.shown and c.term is not None and may_restart(plan, cp, c):
            return View("waiting", c.shown, c.shown_msg, None, c.term, -1, False, False)
        return View("terminated", "", "", c.term, c.last, -1, False, _init_ready(cp, c.term))
    # PULLING, PULL_BACKOFF, CREATING, CREATE_ERROR, CRASH_BACKOFF: the cached error shows until a sync succeeds
    if c.shown:
        return View("waiting", c.shown, c.shown_msg, None, c.term or c.last, -1, False, False)
    if c.term is not None:  # a restart in flight: the exited instance is still the newest one
        return View("terminated", "", "", c.term, c.last, -1, False, False)
    return View("waiting", cp.default_reason, "", None, c.last, -1, False, False)


def probe_flags(cp: ContainerPlan, c: Ctr) -> tuple[bool, bool]:
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
_ROLE: Final = {
    ContainerKind.INIT: "init",
    ContainerKind.SIDECAR: "sidecar",
    ContainerKind.REGULAR: "regular",
}


def _kind_code(v: View) -> tuple[str, int, int, bool]:
    if v.kind == "waiting":
        return ("waiting", -1, -1 if v.last is None else v.last.exit_code, False)
    if v.kind == "running":
        return ("running", -1, -1, v.started)
    assert v.term is not None
    return ("terminated", v.term.exit_code, -1, False)


def phase_of(plan: PodPlan, codes: tuple[tuple[str, int, int, bool], ...], *, terminal: bool) -> PodPhase:
    """``getPhase`` over the containers' codes (:func:`_kind_code` of their views): the oracle's
    typed projection (:class:`~podfsm.oracle.ContainerFacts`), counting and decision, the same
    code that reads a v1 object, memoized on the few facts it reads."""
    key = (plan.restart_policy, plan.kinds, codes, terminal)
    phase = _PHASE_CACHE.get(key)
    if phase is None:
        facts = [
            ContainerFacts(_ROLE[kind], code[0], code[1], None if code[2] < 0 else code[2], code[3])
            for kind, code in zip(plan.kinds, codes, strict=True)
        ]
        # podHasInitialized = HasAnyActiveRegularContainerStarted: an instance of a regular container
        # exists in the runtime (running, exited, or exited before: its last termination), which
        # is what the oracle reads off the object (oracle._regular_instance_exists).
        initialized = any(
            f.role == "regular" and (f.state in ("running", "terminated") or f.last_exit is not None)
            for f in facts
        )
        phase = decide_phase(count_phase(facts), plan.restart_policy, terminal, initialized)
        if len(_PHASE_CACHE) > 200_000:
            _PHASE_CACHE.clear()
        _PHASE_CACHE[key] = phase
    return phase


def codes_of(
    plan: PodPlan, ctrs: tuple[Ctr, ...], old: PodState | None = None
) -> tuple[tuple[str, int, int, bool], ...]:
    """Each container's getPhase input; containers unchanged since ``old`` (same object) keep theirs."""
    view = plan.model.container_view
    if old is None:
        return tuple(_kind_code(view(plan, cp, c)) for cp, c in zip(plan.containers, ctrs, strict=True))
    prev = old.ctrs
    codes = old.codes
    return tuple(
        codes[i] if c is prev[i] else _kind_code(view(plan, plan.containers[i], c))
        for i, c in enumerate(ctrs)
    )


# ---------------------------------------------------------------------------------------------
# The pod worker's decisions, one per pod stage
# ---------------------------------------------------------------------------------------------


def initializing(st: SettlePass) -> None:
    """Initialization (``computeInitContainerActions``): the init containers one at a time in spec
    order, a sidecar counting as done once started. The pod table's SYNC rows take the outcome
    (:func:`init_progress`): initialized, or failed under ``Never``."""
    plan = st.plan
    init_idx = plan.init_idx
    for pos, i in enumerate(init_idx):
        cp = plan.containers[i]
        if cp.kind is ContainerKind.SIDECAR:
            c = st.ctrs[i]
            if c.state is S.RUNNING and probe_flags(cp, c)[0]:
                continue  # started (startup probe passed, or none): the next init container may start
            st.sync(i)
            nxt = init_idx[pos + 1] if pos + 1 < len(init_idx) else None
            if st.ctrs[i].ever_started and nxt is not None and st.ctrs[nxt].state is not S.WAITING:
                continue  # a restarting sidecar no longer holds back init containers after it
            return
        c = st.ctrs[i]
        if c.state is S.TERMINATED and c.term is not None and c.term.exit_code == 0:
            continue
        st.sync(i)  # a failure under Never never gets here: the pod table's SYNC row took it first
        return


def init_progress(plan: PodPlan, ctrs: Sequence[Ctr]) -> InitProgress:
    """Where initialization stands (``computeInitContainerActions``), read in spec order as
    :func:`initializing` walks: a started sidecar, or one restarting with the next init container
    past waiting, and a regular init container that exited 0 are behind it; a regular init
    container that failed under ``Never`` ends it (KillPod; the init containers it would have
    started, restarting sidecars included, are dropped)."""
    init_idx = plan.init_idx
    for pos, i in enumerate(init_idx):
        cp, c = plan.containers[i], ctrs[i]
        if cp.kind is ContainerKind.SIDECAR:
            if c.state is S.RUNNING and probe_flags(cp, c)[0]:
                continue
            nxt = init_idx[pos + 1] if pos + 1 < len(init_idx) else None
            if c.ever_started and nxt is not None and ctrs[nxt].state is not S.WAITING:
                continue
            return InitProgress.WAITING
        if c.state is S.TERMINATED and c.term is not None:
            if c.term.exit_code == 0:
                continue
            if plan.restart_policy is RestartPolicy.NEVER:
                return InitProgress.FAILED
        return InitProgress.WAITING
    return InitProgress.DONE


def started(st: SettlePass) -> None:
    """Initialized (``computePodActions``): sidecars restart whatever the pod's restartPolicy,
    regular containers by policy. KillPod, once no regular container can run again, is the pod
    table's SYNC row (:func:`all_exited`), taken before this pass: a sidecar is then not restarted."""
    plan = st.plan
    for i in plan.sidecar_idx:
        st.sync(i)
    for i in plan.regular_idx:
        st.sync(i)


def all_exited(plan: PodPlan, ctrs: Sequence[Ctr]) -> bool:
    """True iff every regular container has exited and may not run again, and no start is in
    flight: ``computePodActions`` keeps no container and starts none, so KillPod (and
    ``InitContainersToStart = nil``: sidecars never keep a pod alive). A start in flight (a runtime
    call the pod worker waits on) finishes first: SyncPod is one call."""
    for c in ctrs:
        if c.state in BUSY:
            return False
    for i in plan.regular_idx:
        c = ctrs[i]
        if c.state is not S.TERMINATED or may_restart(plan, plan.containers[i], c):
            return False
    return True


def completing(st: SettlePass) -> None:
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
        st.ctrs[i].state in ALIVE
        for i, cp in enumerate(plan.containers)
        if cp.kind is not ContainerKind.SIDECAR
    )
    if t >= order.grace_end:  # the wait for a sidecar's turn is bounded by the grace period: all go now
        for i in plan.sidecar_idx:
            if st.ctrs[i].state not in KILLING:
                st.fire(i, CEvent.KILL, order)
    elif not mains_alive:
        for i in reversed(plan.sidecar_idx):
            state = st.ctrs[i].state
            if state in KILLING or state is S.CREATING:
                break
            st.fire(i, CEvent.KILL, order)  # not running: counts as terminated already
            if st.ctrs[i].state in KILLING:
                break
    for i, c in enumerate(st.ctrs):
        if c.state in KILLING:
            st.sync(i)  # preStop abandoned / SIGKILL when the grace period ends
    # the end of the kill is the pod table's SYNC row (all_stopped), at the next turn


# ---------------------------------------------------------------------------------------------
# The phase the kubelet computes and publishes
# ---------------------------------------------------------------------------------------------

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
    return plan.model.phase_of(plan, s.codes, terminal=s.deletion_at >= 0 or s.reason == "Evicted")


def publish(plan: PodPlan, s: PodState, *, final: bool) -> PodState:
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
            phase = plan.model.phase_of(plan, codes, terminal=True)
            if not phase.is_terminal:  # TerminatePod: a non-static pod still Pending or Running ends Failed
                phase = PodPhase.FAILED
        return s._replace(phase=phase, codes=codes)
    phase = plan.model.kubelet_phase(plan, s)
    if phase.is_terminal or phase is s.phase:
        return s  # mergePodStatus: no terminal phase while containers could run; the phase before it stays
    return s._replace(phase=phase)


def conditions_phase(plan: PodPlan, s: PodState) -> PodPhase:
    """The phase the kubelet-owned conditions (Initialized, ContainersReady, Ready) are generated
    from: the phase the kubelet computed (the model's ``kubelet_phase``), not the published one
    (``generateAPIPodStatus`` builds them before ``mergePodStatus`` holds the phase back)."""
    return plan.model.kubelet_phase(plan, s)


# ---------------------------------------------------------------------------------------------
# The grace period of a kill
# ---------------------------------------------------------------------------------------------


def kill_grace(plan: PodPlan, s: PodState) -> int:
    """The grace period the kubelet kills the pod's containers with (``killPodWithSyncResult``): the
    pod worker's, once a deletion or an eviction set one (it only shortens), else the spec's
    ``terminationGracePeriodSeconds``."""
    return s.kill_grace if s.kill_grace >= 0 else plan.grace


def probe_kill_grace(plan: PodPlan, s: PodState, probe_grace: int) -> int:
    """The grace period of a kill after a liveness or startup failure (``killContainer``): the
    pod's ``deletionGracePeriodSeconds`` once deleted, else the probe's own
    ``terminationGracePeriodSeconds`` (``probe_grace``, -1 when unset), else the spec's."""
    if s.deletion_at >= 0:
        return s.deletion_grace
    return probe_grace if probe_grace >= 0 else plan.grace


def probe_kill_message(plan: PodPlan, cp: ContainerPlan, probe: str) -> str:
    """The Killing Event's message after a liveness or startup Failure (the probe table's row
    ``failure_kills``): a sidecar's is ``computeInitContainerActions``' "Init container X failed
    P probe" (it is restarted, said without a suffix); a regular container's is
    ``computePodActions``' "Container X failed P probe", with ", will be restarted" when the pod's
    policy restarts a failure (a kill is exit 137)."""
    if cp.kind is ContainerKind.SIDECAR:
        return f"Init container {cp.name} failed {probe} probe"
    restart = plan.model.restart_rule(plan.restart_policy, cp.kind, 137)
    return f"Container {cp.name} failed {probe} probe" + (", will be restarted" if restart else "")
