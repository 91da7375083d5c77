"""Observations: what a trace shows of a pod at one moment, and how a model state is compared with it.

An observation is partial. A Pod object shows the phase, the conditions (type, status, reason),
every container's state kind / reason / exit code, lastState kind / exit code, ``ready``,
``started`` and ``restartCount``, and whether ``metadata.deletionTimestamp`` is set. A
``kubectl get pods`` row shows READY, STATUS and RESTARTS. A watch DELETED event shows that the
object is gone. Only what the observation shows is compared (:func:`differences`); timestamps
are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from podfsm.oracle import Columns

#: What a missing restart adds to the distance: a start failure restarts in one step, a crash loop
#: in three (an exit, the back-off, a start).
RESTART_COST = 2

__all__ = [
    "ContainerObs",
    "ObsKind",
    "Observation",
    "View",
    "container_obs",
    "differences",
    "distance",
    "object_observation",
    "view_of",
]


class ObsKind(Enum):
    """What kind of record an observation comes from."""

    OBJECT = "object"  # a Pod object (kubectl -o json / -o yaml, a watch stream, JSON lines)
    ROW = "row"  # a kubectl get pods row: READY, STATUS, RESTARTS
    REMOVED = "removed"  # a watch DELETED event: the object is gone


@dataclass(frozen=True, slots=True)
class ContainerObs:
    """One container status as an object shows it (``None``: the object does not say)."""

    name: str
    init: bool  # from initContainerStatuses
    state: str  # waiting | running | terminated | "" (no state shown)
    reason: str | None  # the waiting or terminated reason
    exit_code: int | None  # state.terminated.exitCode
    last_state: str  # lastState's kind ("" when empty)
    last_exit_code: int | None
    ready: bool | None
    started: bool | None
    restart_count: int | None


@dataclass(frozen=True, slots=True)
class Observation:
    """One line of a pod's history: where it is in the trace file, which pod, and what it shows."""

    line: int  # 1-based line in the trace file where the record starts
    pod: str  # metadata.name, or the NAME column
    kind: ObsKind
    phase: str | None = None
    conditions: tuple[tuple[str, str, str | None], ...] | None = None  # (type, status, reason)
    containers: tuple[ContainerObs, ...] | None = None
    deleted: bool | None = None  # metadata.deletionTimestamp set
    ready: str | None = None  # READY column, e.g. "1/2"
    status: str | None = None  # STATUS column
    restarts: int | None = None  # RESTARTS column (the count)
    obj: Mapping[str, Any] | None = None  # the Pod object an OBJECT observation was read from

    def describe(self) -> str:
        """A short description, for reports."""
        if self.kind is ObsKind.REMOVED:
            return f"{self.pod}: removed (watch DELETED)"
        if self.kind is ObsKind.ROW:
            return f"{self.pod}: READY {self.ready} STATUS {self.status} RESTARTS {self.restarts}"
        parts = [f"phase {self.phase}"]
        for c in self.containers or ():
            shown = c.state + (f"({c.reason})" if c.reason else "")
            if c.exit_code is not None:
                shown += f" exit {c.exit_code}"
            parts.append(f"{c.name} {shown} restarts {c.restart_count}")
        if self.deleted:
            parts.append("deleting")
        return f"{self.pod}: " + ", ".join(parts)


def _kind_of(state: Any) -> tuple[str, Mapping[str, Any]]:
    if isinstance(state, Mapping):
        for kind in ("waiting", "running", "terminated"):
            detail = state.get(kind)
            if isinstance(detail, Mapping):
                return kind, detail
    return "", {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def container_obs(status: Mapping[str, Any], init: bool) -> ContainerObs:
    """A container status entry of a Pod object as an observation."""
    kind, detail = _kind_of(status.get("state"))
    last_kind, last = _kind_of(status.get("lastState"))
    reason = detail.get("reason") if kind in ("waiting", "terminated") else None
    return ContainerObs(
        name=str(status.get("name", "")),
        init=init,
        state=kind,
        reason=reason if isinstance(reason, str) else None,
        exit_code=_int(detail.get("exitCode")) if kind == "terminated" else None,
        last_state=last_kind,
        last_exit_code=_int(last.get("exitCode")) if last_kind == "terminated" else None,
        ready=_bool(status.get("ready")),
        started=_bool(status.get("started")),
        restart_count=_int(status.get("restartCount")),
    )


def object_observation(obj: Mapping[str, Any], line: int) -> Observation:
    """A Pod object (a mapping, as ``kubectl get pod -o json`` prints it) as an observation."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    status = obj.get("status") if isinstance(obj.get("status"), Mapping) else {}
    assert isinstance(meta, Mapping) and isinstance(status, Mapping)
    conditions = tuple(
        (
            str(c.get("type", "")),
            str(c.get("status", "")),
            c.get("reason") if isinstance(c.get("reason"), str) else None,
        )
        for c in status.get("conditions") or ()
        if isinstance(c, Mapping)
    )
    containers = tuple(
        container_obs(c, init)
        for key, init in (("initContainerStatuses", True), ("containerStatuses", False))
        for c in status.get(key) or ()
        if isinstance(c, Mapping)
    )
    phase = status.get("phase")
    return Observation(
        line=line,
        pod=str(meta.get("name", "")),
        kind=ObsKind.OBJECT,
        phase=phase if isinstance(phase, str) else None,
        conditions=conditions,
        containers=containers,
        deleted=meta.get("deletionTimestamp") is not None,
        obj=obj,
    )


@dataclass(frozen=True, slots=True)
class View:
    """What a model state publishes, in the observations' terms (a full observation of it)."""

    removed: bool
    phase: str
    conditions: tuple[tuple[str, str, str | None], ...]
    containers: tuple[ContainerObs, ...]
    deleted: bool
    columns: Columns | None
    #: kubectl's RESTARTS never drops: true for a pod with no init containers; with them, printPod
    #: counts only the init containers' restarts while the pod initializes, so it drops once done
    restarts_monotonic: bool = True


def view_of(
    pod: Mapping[str, Any] | None, columns: Columns | None, *, restarts_monotonic: bool = True
) -> View:
    """The :class:`View` of a published Pod object (``None``: the object is gone)."""
    if pod is None:
        return View(True, "", (), (), True, None, restarts_monotonic)
    o = object_observation(pod, 0)
    return View(
        False,
        o.phase or "",
        o.conditions or (),
        o.containers or (),
        bool(o.deleted),
        columns,
        restarts_monotonic,
    )


def differences(obs: Observation, v: View) -> list[str]:
    """The fields ``obs`` shows that ``v`` does not show alike (empty: they match)."""
    if obs.kind is ObsKind.REMOVED:
        return [] if v.removed else ["the object still exists"]
    if v.removed:
        return ["the object is gone"]
    out: list[str] = []
    if obs.kind is ObsKind.ROW:
        cols = v.columns
        assert cols is not None
        if obs.ready is not None and obs.ready != cols.ready:
            out.append(f"READY {obs.ready} (model: {cols.ready})")
        if obs.status is not None and obs.status != cols.status:
            out.append(f"STATUS {obs.status} (model: {cols.status})")
        if obs.restarts is not None and obs.restarts != cols.restarts:
            out.append(f"RESTARTS {obs.restarts} (model: {cols.restarts})")
        return out
    if obs.phase is not None and obs.phase != v.phase:
        out.append(f"phase {obs.phase} (model: {v.phase})")
    if obs.deleted is not None and obs.deleted != v.deleted:
        out.append(
            f"deletionTimestamp {'set' if obs.deleted else 'unset'} (model: {'set' if v.deleted else 'unset'})"
        )
    if obs.conditions:
        model = {t: (s, r) for t, s, r in v.conditions}
        for t, s, r in obs.conditions:
            got = model.get(t)
            if got is None:
                out.append(f"condition {t} (model: absent)")
            elif got[0] != s or (r is not None and got[1] != r):
                out.append(
                    f"condition {t}={s}{f' ({r})' if r else ''} (model: {got[0]}{f' ({got[1]})' if got[1] else ''})"
                )
    if obs.containers:
        model_c = {(c.name, c.init): c for c in v.containers}
        for c in obs.containers:
            m = model_c.get((c.name, c.init))
            if m is None:
                out.append(f"container {c.name}: no status (model)")
                continue
            out.extend(f"container {c.name}: {d}" for d in _container_differences(c, m))
    return out


def _container_differences(c: ContainerObs, m: ContainerObs) -> list[str]:
    out = []
    if c.state != m.state or (c.reason is not None and c.reason != m.reason):
        out.append(f"state {c.state}({c.reason or ''}) (model: {m.state}({m.reason or ''}))")
    if c.exit_code is not None and c.exit_code != m.exit_code:
        out.append(f"exit code {c.exit_code} (model: {m.exit_code})")
    if c.last_state != m.last_state:
        out.append(f"lastState {c.last_state or 'empty'} (model: {m.last_state or 'empty'})")
    if c.last_exit_code is not None and c.last_exit_code != m.last_exit_code:
        out.append(f"lastState exit code {c.last_exit_code} (model: {m.last_exit_code})")
    for field in ("ready", "started", "restart_count"):
        want, got = getattr(c, field), getattr(m, field)
        if want is not None and want != got:
            out.append(f"{field.replace('_count', 'Count')} {want} (model: {got})")
    return out


def distance(obs: Observation, v: View) -> int | None:
    """How far ``v`` is from ``obs``, to order a search: ``None`` when no later state of the same run
    can match (a restart count above the observed one, a terminal phase the observation does not
    show, a deletion it does not show, an object that is gone); else a small count of what differs,
    a missing restart counting as the steps it takes (an exit, a back-off, a start)."""
    if obs.kind is ObsKind.REMOVED:
        return 0 if v.removed else 1 + (0 if v.deleted else 2)
    if v.removed:
        return None
    if obs.kind is ObsKind.ROW:
        cols = v.columns
        assert cols is not None
        if obs.restarts is not None and cols.restarts > obs.restarts and v.restarts_monotonic:
            return None
        if obs.status is not None and cols.status == "Terminating" and obs.status != "Terminating":
            return None
        d = RESTART_COST * abs(obs.restarts - cols.restarts) if obs.restarts is not None else 0
        return d + (obs.ready != cols.ready) + (obs.status != cols.status)
    if v.phase in ("Succeeded", "Failed") and obs.phase is not None and obs.phase != v.phase:
        return None
    if v.deleted and obs.deleted is False:
        return None
    d = 0
    if obs.phase is not None and obs.phase != v.phase:
        d += 1
    if obs.deleted is not None and obs.deleted != v.deleted:
        d += 2
    model_c = {(c.name, c.init): c for c in v.containers}
    for c in obs.containers or ():
        m = model_c.get((c.name, c.init))
        if m is None:
            d += 1
            continue
        if c.restart_count is not None and m.restart_count is not None:
            if m.restart_count > c.restart_count:
                return None
            d += RESTART_COST * (c.restart_count - m.restart_count)
        d += len(_container_differences(c, m)) - (
            c.restart_count is not None and m.restart_count is not None and c.restart_count != m.restart_count
        )
    if obs.conditions:
        model = {t: (s, r) for t, s, r in v.conditions}
        d += sum(1 for t, s, r in obs.conditions if model.get(t, ("", None))[0] != s)
    return d
