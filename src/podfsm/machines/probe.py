"""The probe machine: one per container and probe kind (startup, liveness, readiness).

It counts consecutive results and publishes a result only when a run of Success reaches
``successThreshold`` or a run of Failure reaches ``failureThreshold`` (``prober/worker.go``
``doProbe``). A new container instance resets it to the kind's initial result: readiness
Failure, liveness Success, startup Unknown. After publishing liveness Failure, or any startup
result, the worker holds until the next container instance. On deletion liveness and startup
stop (their result set to Success) while readiness keeps probing.

Each environment ``probe`` event is one run; runs come no more often than ``periodSeconds`` and
not before ``initialDelaySeconds`` after the container started (the engine enforces the timing
and startup gating: liveness and readiness only run once the startup probe succeeded).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final, NamedTuple

from podfsm.machines.table import Machine, Row, define

__all__ = ["PROBE", "PrEvent", "PrState", "Prb", "ProbeCtx", "ProbeKind", "ProbeSpec", "Result"]


class ProbeKind(IntEnum):
    STARTUP = 0
    LIVENESS = 1
    READINESS = 2


class Result(IntEnum):
    """``results.Result``: what the prober last published."""

    UNKNOWN = 0
    SUCCESS = 1
    FAILURE = 2


class PrState(IntEnum):
    OFF = 0  # no running container instance
    PROBING = 1
    HOLD = 2  # published a result that stops this worker until the next instance
    DONE = 3  # startup succeeded, or the pod was deleted (liveness / startup)


class PrEvent(IntEnum):
    START = 0  # a new container instance runs (prober: new container ID)
    RUN_SUCCESS = 1
    RUN_FAILURE = 2
    STOP = 3  # the instance is gone
    POD_DELETED = 4


class ProbeSpec(NamedTuple):
    kind: ProbeKind
    initial_delay: int
    period: int
    success_threshold: int
    failure_threshold: int
    grace: int  # probe-level terminationGracePeriodSeconds, -1 if unset


class Prb(NamedTuple):
    """One probe worker: its state, the published result, the current run and the next allowed run."""

    state: PrState = PrState.OFF
    result: Result = Result.UNKNOWN
    streak: int = 0  # > 0: consecutive successes, < 0: consecutive failures
    next_at: int = -1


class ProbeCtx(NamedTuple):
    spec: ProbeSpec
    p: Prb
    t: int


S = PrState
E = PrEvent
_INITIAL: Final = {
    ProbeKind.READINESS: Result.FAILURE,
    ProbeKind.LIVENESS: Result.SUCCESS,
    ProbeKind.STARTUP: Result.UNKNOWN,
}


def _successes(ctx: ProbeCtx) -> int:
    return ctx.p.streak + 1 if ctx.p.streak > 0 else 1


def _failures(ctx: ProbeCtx) -> int:
    return -ctx.p.streak + 1 if ctx.p.streak < 0 else 1


def startup_succeeds(ctx: ProbeCtx) -> bool:
    """True iff this success completes a startup probe's successThreshold run (the container is started)."""
    return ctx.spec.kind is ProbeKind.STARTUP and _successes(ctx) >= ctx.spec.success_threshold


def reaches_success(ctx: ProbeCtx) -> bool:
    """True iff this success makes the run reach successThreshold: Success is published."""
    return _successes(ctx) >= ctx.spec.success_threshold


def failure_kills(ctx: ProbeCtx) -> bool:
    """True iff this failure publishes Failure for a liveness or startup probe: the container is killed."""
    return ctx.spec.kind is not ProbeKind.READINESS and _failures(ctx) >= ctx.spec.failure_threshold


def reaches_failure(ctx: ProbeCtx) -> bool:
    """True iff this failure makes the run reach failureThreshold: Failure is published."""
    return _failures(ctx) >= ctx.spec.failure_threshold


def stops_on_deletion(ctx: ProbeCtx) -> bool:
    """True iff the probe is liveness or startup: deletion stops it (readiness keeps probing)."""
    return ctx.spec.kind is not ProbeKind.READINESS


def start(ctx: ProbeCtx, target: PrState) -> Prb:
    return Prb(target, _INITIAL[ctx.spec.kind], 0, ctx.t + ctx.spec.initial_delay)


def count_success(ctx: ProbeCtx, target: PrState) -> Prb:
    return ctx.p._replace(state=target, streak=_successes(ctx), next_at=ctx.t + ctx.spec.period)


def publish_success(ctx: ProbeCtx, target: PrState) -> Prb:
    return Prb(target, Result.SUCCESS, _successes(ctx), ctx.t + ctx.spec.period)


def count_failure(ctx: ProbeCtx, target: PrState) -> Prb:
    return ctx.p._replace(state=target, streak=-_failures(ctx), next_at=ctx.t + ctx.spec.period)


def publish_failure(ctx: ProbeCtx, target: PrState) -> Prb:
    return Prb(target, Result.FAILURE, -_failures(ctx), ctx.t + ctx.spec.period)


def stop(ctx: ProbeCtx, target: PrState) -> Prb:
    return ctx.p._replace(state=target, next_at=-1)


def deleted(ctx: ProbeCtx, target: PrState) -> Prb:
    return Prb(target, Result.SUCCESS, 0, -1)


_DO = "prober/worker.go doProbe"
ROWS: Final[tuple[Row[S, E, ProbeCtx], ...]] = (
    Row(E.START, S.OFF, S.PROBING, None, start, _DO + ": new container ID, initial result"),
    Row(
        E.RUN_SUCCESS,
        S.PROBING,
        S.DONE,
        startup_succeeds,
        publish_success,
        _DO + ": startup Success, worker holds",
    ),
    Row(
        E.RUN_SUCCESS,
        S.PROBING,
        S.PROBING,
        reaches_success,
        publish_success,
        _DO + ": resultRun >= successThreshold",
    ),
    Row(E.RUN_SUCCESS, S.PROBING, S.PROBING, None, count_success, _DO + ": below successThreshold"),
    Row(
        E.RUN_FAILURE,
        S.PROBING,
        S.HOLD,
        failure_kills,
        publish_failure,
        _DO + ": liveness/startup Failure, worker holds",
    ),
    Row(
        E.RUN_FAILURE,
        S.PROBING,
        S.PROBING,
        reaches_failure,
        publish_failure,
        _DO + ": resultRun >= failureThreshold",
    ),
    Row(E.RUN_FAILURE, S.PROBING, S.PROBING, None, count_failure, _DO + ": below failureThreshold"),
    Row(
        E.POD_DELETED,
        S.PROBING,
        S.DONE,
        stops_on_deletion,
        deleted,
        _DO + ": deletionTimestamp set: Success, stop",
    ),
    Row(
        E.POD_DELETED, S.PROBING, S.PROBING, None, None, _DO + ": readiness keeps probing during termination"
    ),
    *(
        Row(E.STOP, s, S.OFF, None, stop, _DO + ": container not running")
        for s in (S.PROBING, S.HOLD, S.DONE)
    ),
)

_NO_RUN = "the probe worker runs only while the container runs and the worker is not on hold (doProbe)"
FORBIDDEN: Final = {
    **{(s, e): _NO_RUN for s in (S.OFF, S.HOLD, S.DONE) for e in (E.RUN_SUCCESS, E.RUN_FAILURE)},
}
IGNORED: Final = {
    (S.OFF, E.STOP): "already stopped",
    (S.OFF, E.POD_DELETED): "no worker runs",
    (S.HOLD, E.POD_DELETED): "on hold until the container is replaced",
    (S.DONE, E.POD_DELETED): "already stopped",
    **{
        (s, E.START): "a running worker sees a new container only after the old one stopped"
        for s in (S.PROBING, S.HOLD, S.DONE)
    },
}

PROBE: Final[Machine[PrState, PrEvent, ProbeCtx]] = define(
    "probe",
    states=PrState,
    events=PrEvent,
    initial=S.OFF,
    finals=(S.OFF,),
    rows=ROWS,
    ignored=IGNORED,
    forbidden=FORBIDDEN,
    doc=__doc__ or "",
)
