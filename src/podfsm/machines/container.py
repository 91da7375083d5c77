"""The container machine: what the kubelet and the runtime do with one container.

States (:class:`~podfsm.machines.records.CState`) say what the kubelet is doing with the container;
events are either the runtime's answers (image pulled, started, exited...) or the kubelet's own
moves: ``SYNC`` (its pod worker reaches this container in ``SyncPod``) and ``KILL`` (it stops
the container because the pod is finishing). Which container gets a ``SYNC`` when, in which
order and one at a time, is the engine's business (:mod:`podfsm.engine`); what a ``SYNC`` does
is decided here, by the guards, row by row.

Modelled: image pulls by ``imagePullPolicy`` with the image back-off, create and start failures,
exits with the runtime's reasons, restarts by restart policy with the crash-loop back-off
exactly as ``doBackOff`` + client-go ``flowcontrol.Backoff`` compute it, and the kubelet's
reason cache (a sync error such as ``CrashLoopBackOff`` shows as the waiting reason until a
later sync succeeds).

Deliberately left out here: probes, lifecycle hooks and graceful deletion (the probe machine and
the termination rules come with issue 4), image volumes, in-place resize, ephemeral containers.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final, NamedTuple

from podfsm.enums import PullPolicy, RestartPolicy
from podfsm.events import CREATE_FAILURE_REASONS, HookFinished
from podfsm.machines.probe import Prb, PrEvent, ProbeCtx
from podfsm.machines.records import ContainerKind, ContainerPlan, Ctr, Ctx, PodPlan, Term
from podfsm.machines.records import CState as S
from podfsm.machines.table import Machine, Row, define
from podfsm.oracle import restart_policy_allows

__all__ = [
    "CONTAINER",
    "CEvent",
    "KillOrder",
    "fire_probes",
    "may_restart",
    "next_backoff",
    "restart_permitted",
    "restart_rule",
]


class CEvent(IntEnum):
    """Container machine events: the runtime's answers, then the kubelet's own moves."""

    IMAGE_PULLED = 0
    IMAGE_PULL_FAILED = 1
    CONTAINER_STARTED = 2
    CONTAINER_START_FAILED = 3
    CONTAINER_EXITED = 4
    SYNC = 5  # the kubelet's pod worker reaches this container (computePodActions / SyncPod)
    KILL = 6  # the kubelet stops it: the pod is finishing, deleted, or a probe failed (killContainer)
    HOOK_SUCCEEDED = 7  # the running postStart / preStop handler returned
    HOOK_FAILED = 8


E = CEvent


class KillOrder(NamedTuple):
    """What a KILL carries: when the grace period ends, and the ``Killing`` event's message."""

    grace_end: int
    message: str


# ---------------------------------------------------------------------------------------------
# Guards. Each is "True iff ..." and reads only the context.
# ---------------------------------------------------------------------------------------------


def needs_pull(ctx: Ctx) -> bool:
    """True iff starting the container pulls its image: policy Always, or IfNotPresent and the node lacks it (EnsureImageExists)."""
    policy = ctx.cp.pull_policy
    return policy is PullPolicy.ALWAYS or (
        policy is PullPolicy.IF_NOT_PRESENT and ctx.cp.image not in ctx.images
    )


def never_pull_missing(ctx: Ctx) -> bool:
    """True iff the policy is Never and the node lacks the image: ErrImageNeverPull (EnsureImageExists)."""
    return ctx.cp.pull_policy is PullPolicy.NEVER and ctx.cp.image not in ctx.images


def restart_rule(policy: RestartPolicy, kind: ContainerKind, exit_code: int) -> bool:
    """Whether an exited container of ``kind`` may run again: sidecars always (the init-container
    logic restarts them whatever the pod's policy); a regular init container only after a failure
    and not under Never (``computeInitContainerActions``); a regular container by
    ``ShouldContainerBeRestarted`` (:func:`podfsm.oracle.restart_policy_allows`, which the oracle's
    ``should_restart`` applies to a pod object). The model's ``restart_rule``; stated only here."""
    if kind is ContainerKind.SIDECAR:
        return True
    if kind is ContainerKind.INIT:
        return exit_code != 0 and restart_policy_allows(policy, exit_code)
    return restart_policy_allows(policy, exit_code)


def may_restart(plan: PodPlan, cp: ContainerPlan, c: Ctr) -> bool:
    """Whether the exited container ``c`` may run again under the plan's model's restart rule
    (:func:`restart_rule`; no termination reads as exit code 0)."""
    return plan.model.restart_rule(
        plan.restart_policy, cp.kind, c.term.exit_code if c.term is not None else 0
    )


def restart_permitted(ctx: Ctx) -> bool:
    """True iff the exited container may run again under the model's restart rule (:func:`restart_rule`)."""
    return may_restart(ctx.plan, ctx.cp, ctx.c)


def _backoff_expired_entry(ctx: Ctx) -> bool:
    # flowcontrol hasExpired: eventTime - lastUpdate > 2 * maxDuration
    term = ctx.c.term
    finished = term.finished_at if term is not None else ctx.t
    return finished - ctx.c.backoff_at > 2 * ctx.plan.config.back_off_max


def in_crash_backoff(ctx: Ctx) -> bool:
    """True iff a restart is permitted but the crash-loop back-off holds it: now − finishedAt < back-off (doBackOff / IsInBackOffSince)."""
    c = ctx.c
    if not restart_permitted(ctx) or c.backoff == 0 or c.term is None or _backoff_expired_entry(ctx):
        return False
    return ctx.t - c.term.finished_at < c.backoff


def restart_never_pull_missing(ctx: Ctx) -> bool:
    """True iff a restart is permitted but the image may not be pulled and is absent."""
    return restart_permitted(ctx) and never_pull_missing(ctx)


def restart_needs_pull(ctx: Ctx) -> bool:
    """True iff a restart is permitted and starting it pulls the image."""
    return restart_permitted(ctx) and needs_pull(ctx)


def not_due(ctx: Ctx) -> bool:
    """True iff the container's own timer has not fallen due (no timer counts as not due)."""
    return ctx.c.due < 0 or ctx.t < ctx.c.due


def image_present(ctx: Ctx) -> bool:
    """True iff starting it needs no pull: IfNotPresent or Never with the image on the node (EnsureImageExists checks first)."""
    return ctx.cp.pull_policy is not PullPolicy.ALWAYS and ctx.cp.image in ctx.images


def image_in_backoff(ctx: Ctx) -> bool:
    """True iff the image back-off still holds: now − lastUpdate < back-off (IsInBackOffSinceUpdate)."""
    c = ctx.c
    return c.pull_backoff > 0 and ctx.t - c.pull_backoff_at < c.pull_backoff


def has_post_start(ctx: Ctx) -> bool:
    """True iff the container declares a postStart hook: startContainer runs it and waits (lifecycle.postStart)."""
    return ctx.cp.post_start


def runs_pre_stop(ctx: Ctx) -> bool:
    """True iff a preStop hook exists and the grace period is positive: killContainer runs it first (executePreStopHook)."""
    order = ctx.ev
    return ctx.cp.pre_stop and isinstance(order, KillOrder) and order.grace_end > ctx.t


def create_failure(ctx: Ctx) -> bool:
    """True iff the runtime failed before the container existed (CreateContainerConfigError / CreateContainerError)."""
    return getattr(ctx.ev, "reason", "") in CREATE_FAILURE_REASONS


# ---------------------------------------------------------------------------------------------
# Actions. Each returns the container's new record, in the row's target state.
# ---------------------------------------------------------------------------------------------


def next_backoff(ctx: Ctx) -> Ctr:
    """flowcontrol ``Backoff.Next(key, finishedAt)``: a new (or expired) entry starts at the initial period, else doubles up to the max."""
    c = ctx.c
    cfg = ctx.plan.config
    if c.backoff == 0 or _backoff_expired_entry(ctx):
        period = cfg.back_off_initial
    else:
        period = min(2 * c.backoff, cfg.back_off_max)
    return c._replace(backoff=period, backoff_at=ctx.t)


def fire_probes(ctx: Ctx, event: PrEvent) -> tuple[Prb, ...]:
    """Fire ``event`` on every probe worker of the container (the probe machine's own table)."""
    out = []
    fire = ctx.model.fire_probe
    for spec, p in zip(ctx.cp.probes, ctx.c.probes, strict=True):
        pctx = ProbeCtx(spec, p, ctx.t)
        row = fire(p.state, event, pctx)
        if row is None or (row.action is None and row.target is p.state):
            out.append(p)
        elif row.action is None:
            out.append(p._replace(state=row.target))
        else:
            out.append(row.action(pctx, row.target))
    return tuple(out)


def begin_pull(ctx: Ctx, target: S) -> Ctr:
    ctx.emit("Normal", "Pulling", f'Pulling image "{ctx.cp.image}"')
    return ctx.c._replace(state=target, due=-1)


def skip_pull(ctx: Ctx, target: S) -> Ctr:
    ctx.emit("Normal", "Pulled", f'Container image "{ctx.cp.image}" already present on machine')
    return ctx.c._replace(state=target, due=-1)


def never_pull(ctx: Ctx, target: S) -> Ctr:
    message = f'Container image "{ctx.cp.image}" is not present with pull policy of Never'
    ctx.emit("Warning", "ErrImageNeverPull", message)
    ctx.emit("Warning", "Failed", "Error: ErrImageNeverPull")
    return ctx.c._replace(state=target, err="ErrImageNeverPull", err_msg=message, due=-1)


def restart_begin_pull(ctx: Ctx, target: S) -> Ctr:
    ctx.c = ctx.model.next_backoff(ctx)
    return begin_pull(ctx, target)


def restart_skip_pull(ctx: Ctx, target: S) -> Ctr:
    ctx.c = ctx.model.next_backoff(ctx)
    return skip_pull(ctx, target)


def restart_never_pull(ctx: Ctx, target: S) -> Ctr:
    ctx.c = ctx.model.next_backoff(ctx)
    return never_pull(ctx, target)


def pulled(ctx: Ctx, target: S) -> Ctr:
    ctx.emit("Normal", "Pulled", f'Successfully pulled image "{ctx.cp.image}"')
    return ctx.c._replace(state=target)


def pull_failed(ctx: Ctx, target: S) -> Ctr:
    c = ctx.c
    cfg = ctx.plan.config
    reason = getattr(ctx.ev, "reason", "ErrImagePull")
    detail = getattr(ctx.ev, "message", "") or f"{ctx.cp.image}: not found"
    ctx.emit("Warning", "Failed", f'Failed to pull image "{ctx.cp.image}": {detail}')
    ctx.emit("Warning", "Failed", f"Error: {reason}")
    # imageManager: backOff.Next(key, now) after a failed pull; the pod worker re-syncs after backOffPeriod.
    expired = ctx.t - c.pull_backoff_at > 2 * cfg.image_back_off_max
    period = (
        cfg.image_back_off_initial
        if c.pull_backoff == 0 or expired
        else min(2 * c.pull_backoff, cfg.image_back_off_max)
    )
    return c._replace(
        state=target,
        err=reason,
        err_msg=detail,
        pull_backoff=period,
        pull_backoff_at=ctx.t,
        due=ctx.t + cfg.sync_error_back_off,
    )


def show_pull_backoff(ctx: Ctx, target: S) -> Ctr:
    message = f'Back-off pulling image "{ctx.cp.image}"'
    ctx.emit("Normal", "BackOff", message)
    ctx.emit("Warning", "Failed", "Error: ImagePullBackOff")
    return ctx.c._replace(
        state=target, err="ImagePullBackOff", err_msg=message, due=ctx.t + ctx.plan.config.sync_error_back_off
    )


def started(ctx: Ctx, target: S) -> Ctr:
    c = ctx.c
    ctx.emit("Normal", "Created", f"Created container: {ctx.cp.name}")
    ctx.emit("Normal", "Started", f"Started container {ctx.cp.name}")
    if c.term is not None:  # a new instance replaces the exited one
        c = c._replace(last=c.term, term=None, restarts=c.restarts + 1)
    if target is S.RUNNING and c.probes:
        ctx.c = c
        c = c._replace(probes=fire_probes(ctx, PrEvent.START))
    # The sync that started it succeeded: the reason cache is cleared, and so is what the status shows.
    return c._replace(
        state=target, started_at=ctx.t, err="", err_msg="", shown="", shown_msg="", due=-1, ever_started=True
    )


def create_failed(ctx: Ctx, target: S) -> Ctr:
    reason = getattr(ctx.ev, "reason", "CreateContainerError")
    message = getattr(ctx.ev, "message", "") or reason
    ctx.emit("Warning", "Failed", f"Error: {message}")
    return ctx.c._replace(
        state=target, err=reason, err_msg=message, due=ctx.t + ctx.plan.config.sync_error_back_off
    )


def start_failed(ctx: Ctx, target: S) -> Ctr:
    """StartContainer failed: the created instance exited 128 (containerd StartError)."""
    c = ctx.c
    reason = getattr(ctx.ev, "reason", "RunContainerError")
    message = getattr(ctx.ev, "message", "") or "failed to start container"
    ctx.emit("Normal", "Created", f"Created container: {ctx.cp.name}")
    ctx.emit("Warning", "Failed", f"Error: {message}")
    if c.term is not None:
        c = c._replace(last=c.term, restarts=c.restarts + 1)
    overlay = ("RunContainerError", message) if reason == "RunContainerError" else ("", "")
    return c._replace(
        state=target,
        term=Term(128, "StartError", message, ctx.t, ctx.t),
        err=overlay[0],
        err_msg=overlay[1],
        due=-1,
    )


def exited(ctx: Ctx, target: S) -> Ctr:
    c = ctx.c
    ev = ctx.ev
    term = Term(ev.exit_code, ev.effective_reason, ev.message, c.started_at, ctx.t)
    probes = fire_probes(ctx, PrEvent.STOP) if c.probes else c.probes
    return c._replace(state=target, term=term, started_at=-1, due=-1, probes=probes)


def post_start_done(ctx: Ctx, target: S) -> Ctr:
    c = ctx.c
    return c._replace(state=target, probes=fire_probes(ctx, PrEvent.START) if c.probes else c.probes)


def post_start_failed(ctx: Ctx, target: S) -> Ctr:
    """startContainer: the postStart handler failed, the container is killed (FailedPostStartHook)."""
    ctx.emit("Warning", "FailedPostStartHook", "PostStartHook failed")
    ctx.ev = KillOrder(ctx.t + ctx.plan.grace, "FailedPostStartHook")
    c = kill(ctx, target)
    return c._replace(err="PostStartHookError", err_msg="PostStartHook failed")


def sigterm(ctx: Ctx, target: S) -> Ctr:
    """The preStop hook returned: SIGTERM now, SIGKILL when the grace period ends, at least 2 s later."""
    if isinstance(ctx.ev, HookFinished) and ctx.ev.result == "failure":
        ctx.emit("Warning", "FailedPreStopHook", "PreStopHook failed")
    c = ctx.c
    return c._replace(state=target, due=max(c.due, ctx.t + ctx.plan.config.minimum_grace_period))


def pre_stop_timed_out(ctx: Ctx, target: S) -> Ctr:
    """The grace period ended with the preStop hook still running: SIGTERM with the 2 s minimum window."""
    return ctx.c._replace(state=target, due=ctx.t + ctx.plan.config.minimum_grace_period)


def go_duration(seconds: int) -> str:
    """Go's ``time.Duration.String`` for whole seconds: ``10s``, ``1m20s``, ``5m0s``, ``1h0m0s``."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


def crash_backoff(ctx: Ctx, target: S) -> Ctr:
    c = ctx.c
    assert c.term is not None
    # doBackOff formats the period with %s of a time.Duration
    message = (
        f"back-off {go_duration(c.backoff)} restarting failed container={ctx.cp.name} pod={ctx.plan.pod_ref}"
    )
    ctx.emit(
        "Warning", "BackOff", f"Back-off restarting failed container {ctx.cp.name} in pod {ctx.plan.pod_ref}"
    )
    return c._replace(
        state=target, err="CrashLoopBackOff", err_msg=message, due=c.term.finished_at + c.backoff
    )


def kill(ctx: Ctx, target: S) -> Ctr:
    """killContainer: preStop (bounded by the grace period) or SIGTERM now; SIGKILL at the end, at least 2 s after SIGTERM."""
    order = ctx.ev
    assert isinstance(order, KillOrder)
    ctx.emit("Normal", "Killing", order.message or f"Stopping container {ctx.cp.name}")
    if target is S.PRE_STOP:
        return ctx.c._replace(state=target, due=order.grace_end)
    return ctx.c._replace(
        state=target, due=max(order.grace_end, ctx.t + ctx.plan.config.minimum_grace_period)
    )


def sigkill(ctx: Ctx, target: S) -> Ctr:
    c = ctx.c
    probes = fire_probes(ctx, PrEvent.STOP) if c.probes else c.probes
    return c._replace(
        state=target, term=Term(137, "Error", "", c.started_at, ctx.t), started_at=-1, due=-1, probes=probes
    )


def abandon(ctx: Ctx, target: S) -> Ctr:
    return ctx.c._replace(state=target, due=-1)


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

_EIM = "images/image_manager.go EnsureImageExists"
_START = "kuberuntime_container.go startContainer"
_BACKOFF = "kuberuntime_manager.go doBackOff; client-go flowcontrol.Backoff"
_RESTART = "kuberuntime_manager.go computePodActions; container/helpers.go ShouldContainerBeRestarted"
_KILL = "kuberuntime_container.go killContainer"
_SYNC_ERR = "kubelet.go backOffPeriod: a failed sync is retried 10 s later"

ROWS: Final[tuple[Row[S, E, Ctx], ...]] = (
    # first start
    Row(E.SYNC, S.WAITING, S.PULL_BACKOFF, never_pull_missing, never_pull, _EIM),
    Row(E.SYNC, S.WAITING, S.PULLING, needs_pull, begin_pull, _EIM),
    Row(E.SYNC, S.WAITING, S.CREATING, None, skip_pull, _EIM),
    # image pull
    Row(E.IMAGE_PULLED, S.PULLING, S.CREATING, None, pulled, _EIM),
    Row(E.IMAGE_PULL_FAILED, S.PULLING, S.PULL_BACKOFF, None, pull_failed, _EIM + " (backOff.Next)"),
    Row(E.SYNC, S.PULL_BACKOFF, S.PULL_BACKOFF, not_due, None, _SYNC_ERR),
    Row(
        E.SYNC, S.PULL_BACKOFF, S.CREATING, image_present, skip_pull, _EIM + " (the image is on the node now)"
    ),
    Row(
        E.SYNC,
        S.PULL_BACKOFF,
        S.PULL_BACKOFF,
        image_in_backoff,
        show_pull_backoff,
        _EIM + " (ErrImagePullBackOff)",
    ),
    Row(E.SYNC, S.PULL_BACKOFF, S.PULLING, None, begin_pull, _EIM),
    # create and start
    Row(E.CONTAINER_STARTED, S.CREATING, S.POST_START, has_post_start, started, _START + " (runs postStart)"),
    Row(E.CONTAINER_STARTED, S.CREATING, S.RUNNING, None, started, _START),
    Row(E.HOOK_SUCCEEDED, S.POST_START, S.RUNNING, None, post_start_done, _START + " (postStart returned)"),
    Row(
        E.HOOK_FAILED,
        S.POST_START,
        S.PRE_STOP,
        runs_pre_stop,
        post_start_failed,
        _START + " (ErrPostStartHook: killContainer)",
    ),
    Row(
        E.HOOK_FAILED,
        S.POST_START,
        S.STOPPING,
        None,
        post_start_failed,
        _START + " (ErrPostStartHook: killContainer)",
    ),
    Row(E.CONTAINER_EXITED, S.POST_START, S.TERMINATED, None, exited, _START + " (exited during postStart)"),
    Row(E.KILL, S.POST_START, S.PRE_STOP, runs_pre_stop, kill, _KILL),
    Row(E.KILL, S.POST_START, S.STOPPING, None, kill, _KILL),
    Row(
        E.CONTAINER_START_FAILED,
        S.CREATING,
        S.CREATE_ERROR,
        create_failure,
        create_failed,
        _START + " (ErrCreateContainer*)",
    ),
    Row(
        E.CONTAINER_START_FAILED, S.CREATING, S.TERMINATED, None, start_failed, _START + " (ErrRunContainer)"
    ),
    Row(E.SYNC, S.CREATE_ERROR, S.CREATE_ERROR, not_due, None, _SYNC_ERR),
    Row(E.SYNC, S.CREATE_ERROR, S.PULL_BACKOFF, never_pull_missing, never_pull, _EIM),
    Row(E.SYNC, S.CREATE_ERROR, S.PULLING, needs_pull, begin_pull, _EIM),
    Row(E.SYNC, S.CREATE_ERROR, S.CREATING, None, skip_pull, _START),
    # running and exiting
    Row(
        E.CONTAINER_EXITED, S.RUNNING, S.TERMINATED, None, exited, "pod-lifecycle#container-state-terminated"
    ),
    Row(E.KILL, S.RUNNING, S.PRE_STOP, runs_pre_stop, kill, _KILL + " (executePreStopHook)"),
    Row(E.KILL, S.RUNNING, S.STOPPING, None, kill, _KILL),
    Row(
        E.HOOK_SUCCEEDED, S.PRE_STOP, S.STOPPING, None, sigterm, _KILL + " (preStop returned: StopContainer)"
    ),
    Row(E.HOOK_FAILED, S.PRE_STOP, S.STOPPING, None, sigterm, _KILL + " (FailedPreStopHook: StopContainer)"),
    Row(E.SYNC, S.PRE_STOP, S.PRE_STOP, not_due, None, _KILL + " (preStop within the grace period)"),
    Row(
        E.SYNC,
        S.PRE_STOP,
        S.STOPPING,
        None,
        pre_stop_timed_out,
        _KILL + " (preStop abandoned; minimumGracePeriodInSeconds)",
    ),
    Row(E.CONTAINER_EXITED, S.PRE_STOP, S.TERMINATED, None, exited, _KILL + " (exited during preStop)"),
    Row(E.CONTAINER_EXITED, S.STOPPING, S.TERMINATED, None, exited, _KILL + " (exited on SIGTERM)"),
    Row(E.SYNC, S.STOPPING, S.STOPPING, not_due, None, _KILL + " (grace period running)"),
    Row(
        E.SYNC,
        S.STOPPING,
        S.TERMINATED,
        None,
        sigkill,
        _KILL + " (SIGKILL at the end of the grace period: 137)",
    ),
    # restart decision
    Row(E.SYNC, S.TERMINATED, S.CRASH_BACKOFF, in_crash_backoff, crash_backoff, _BACKOFF),
    Row(E.SYNC, S.TERMINATED, S.PULL_BACKOFF, restart_never_pull_missing, restart_never_pull, _RESTART),
    Row(E.SYNC, S.TERMINATED, S.PULLING, restart_needs_pull, restart_begin_pull, _RESTART),
    Row(E.SYNC, S.TERMINATED, S.CREATING, restart_permitted, restart_skip_pull, _RESTART),
    Row(E.SYNC, S.TERMINATED, S.TERMINATED, None, None, _RESTART + " (restartPolicy forbids a restart)"),
    Row(E.SYNC, S.CRASH_BACKOFF, S.CRASH_BACKOFF, not_due, None, _BACKOFF),
    Row(E.SYNC, S.CRASH_BACKOFF, S.PULL_BACKOFF, never_pull_missing, restart_never_pull, _RESTART),
    Row(E.SYNC, S.CRASH_BACKOFF, S.PULLING, needs_pull, restart_begin_pull, _RESTART),
    Row(E.SYNC, S.CRASH_BACKOFF, S.CREATING, None, restart_skip_pull, _RESTART),
    # the pod is finishing: nothing more starts
    *(
        Row(
            E.KILL,
            s,
            S.ABANDONED,
            None,
            abandon,
            "kuberuntime_manager.go computePodActions (KillPod: nothing to start)",
        )
        for s in (S.WAITING, S.PULLING, S.PULL_BACKOFF, S.CREATE_ERROR, S.CRASH_BACKOFF)
    ),
)

_NOT_PULLING = (
    "no image pull is in flight for this container (EnsureImageExists runs only when the kubelet starts it)"
)
_NOT_CREATING = "the kubelet has not asked the runtime to start this container (startContainer)"
_NOT_RUNNING = "only a running container can exit"
_WAITING_FOR_RUNTIME = "the kubelet is waiting for the runtime's answer; a re-sync changes nothing"
_NO_HOOK = (
    "no lifecycle hook is running for this container (postStart runs after start, preStop when it is killed)"
)

FORBIDDEN: dict[tuple[S, E], str] = {}
for _s in S:
    for _e, _rule, _ok in (
        (E.IMAGE_PULLED, _NOT_PULLING, (S.PULLING,)),
        (E.IMAGE_PULL_FAILED, _NOT_PULLING, (S.PULLING,)),
        (E.CONTAINER_STARTED, _NOT_CREATING, (S.CREATING,)),
        (E.CONTAINER_START_FAILED, _NOT_CREATING, (S.CREATING,)),
        (E.CONTAINER_EXITED, _NOT_RUNNING, (S.RUNNING, S.STOPPING, S.POST_START, S.PRE_STOP)),
        (E.HOOK_SUCCEEDED, _NO_HOOK, (S.POST_START, S.PRE_STOP)),
        (E.HOOK_FAILED, _NO_HOOK, (S.POST_START, S.PRE_STOP)),
    ):
        if _s not in _ok:
            FORBIDDEN[(_s, _e)] = _rule

IGNORED: Final = {
    (S.PULLING, E.SYNC): _WAITING_FOR_RUNTIME,
    (S.CREATING, E.SYNC): _WAITING_FOR_RUNTIME,
    (S.RUNNING, E.SYNC): "a running container needs nothing from SyncPod (probes come with issue 4)",
    (S.ABANDONED, E.SYNC): "the pod is finishing: the kubelet starts nothing more",
    (S.STOPPING, E.KILL): "already stopping",
    (S.CREATING, E.KILL): (
        "startContainer is in flight: the container may be running, so the kubelet waits for the runtime's "
        "answer and kills it then (mergePodStatus couldHaveRunningContainers)"
    ),
    (S.PRE_STOP, E.KILL): "already stopping (its preStop hook runs)",
    (S.POST_START, E.SYNC): "startContainer waits for the postStart hook",
    (S.TERMINATED, E.KILL): "already exited; KillPod stops running containers only",
    (S.ABANDONED, E.KILL): "already given up",
}

CONTAINER: Final[Machine[S, CEvent, Ctx]] = define(
    "container",
    states=S,
    events=CEvent,
    initial=S.WAITING,
    finals=(S.TERMINATED, S.ABANDONED),
    rows=ROWS,
    ignored=IGNORED,
    forbidden=FORBIDDEN,
    doc=__doc__ or "",
)
