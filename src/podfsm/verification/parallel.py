"""The explorer's breadth-first search spread over processes (``podfsm explore --workers N``).

The same search as :func:`podfsm.verification.explorer.explore`, level by level, over ``N``
forked worker processes (stateright's and TLC's shape: the visited set partitioned by a hash of
the key). Worker ``w`` *owns* the keys whose hash is ``w`` modulo ``N``: it alone stores them, and
it expands the states stored under them. One level is three exchanges between the workers:

1. each worker expands its part of the frontier (``step``, the step properties, the restart
   bound, the visited-set key) and sends every candidate successor's key to the key's owner;
2. each owner keeps, for every key it has not stored, the candidate the single-process search
   would have found first, and tells the workers whose candidates won;
3. those workers finish the winners (their enabled events, the state properties, the
   ``eventually`` monitors) and send them to their owners, which form the next frontier.

A count-only search (``check=False``) has nothing to finish, so it makes one exchange per level:
each candidate travels to its owner with its state, and the owner keeps the winners.

**Same answer as one process.** A state's *path* is the tuple of event indices (into
``enabled_events``) from the initial state along the search tree. Breadth-first order is the
order of paths (same length within a level, compared element-wise), so "found first" is "least
path": each owner keeps the candidate with the least path, which is the very state (absolute
times, parent, ``eventually`` monitors) the single-process search stores. The stored states,
transitions, depth, cuts, quiescent and removed counts are therefore the same, and so is the
verdict of every ``sometimes`` property. A violation stops the search after the level it is found
in; the one reported is the least by (path, step before state), the one the single-process search
meets first, so its event script is the same shortest one. The evaluation counts (``checks``)
agree for ``always`` and ``always-step`` properties; a ``sometimes`` property is evaluated by each
worker until that worker sees it hold, so its count differs.

Workers are forked (``fork`` start method, Linux), so they share the plan, the model value and
Python's string hashes; where ``fork`` is not available, or with one worker, the single-process
search runs. A state graph or an ``on_state`` callback needs the single-process search.
"""

from __future__ import annotations

import copyreg
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable
from multiprocessing.connection import wait
from typing import Any

from podfsm.engine import PodState, enabled_events, initial, step
from podfsm.enums import PodPhase
from podfsm.events import Event, event_to_dict
from podfsm.machines.pod import PStage
from podfsm.machines.probe import Prb, PrState, Result
from podfsm.machines.records import ContainerKind, CState, Ctr, PodPlan, Term
from podfsm.verification.explorer import (
    ExploreResult,
    Progress,
    default_horizon,
    explore,
    gc_paused,
    judge_sometimes,
    keys_forgotten,
    pod_of,
    state_checks,
    state_key,
    step_where,
)
from podfsm.verification.invariants import Judge, Obs, Property, PropertyViolation, observe, properties

__all__ = ["available_workers", "explore_parallel"]

Path = tuple[int, ...]
# A violation found in a level: (path, 0 for a step / 1 for a state, property name, where, step index)
Found = tuple[Path, int, str, str, int]


# How states travel between the workers: a record as its class and its values, rebuilt by
# ``tuple.__new__`` (not by the class's Python-level ``__new__``, field by field); an enum member
# by its class and name (not by calling the class). About twice as fast to unpickle.
def _record(r: tuple[Any, ...]) -> tuple[Any, ...]:
    return (tuple.__new__, (type(r), tuple(r)))


def _member(e: Any) -> tuple[Any, ...]:
    return (getattr, (type(e), e.name))


for _cls in (PodState, Ctr, Term, Prb):
    copyreg.pickle(_cls, _record)
for _enum in (PStage, CState, ContainerKind, PodPhase, PrState, Result):
    copyreg.pickle(_enum, _member)


def available_workers() -> int:
    """The cores this process may run on (the default of ``--workers``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class _Mailbox:
    """A worker's inbox: messages from the other workers, taken by (kind, level), in any arrival order."""

    def __init__(self, queue: Any) -> None:
        self.queue = queue
        self.early: dict[tuple[str, int], list[Any]] = {}

    def take(self, kind: str, level: int, count: int) -> list[Any]:
        got = self.early.pop((kind, level), [])
        while len(got) < count:
            k, lv, payload = self.queue.get()
            if (k, lv) == (kind, level):
                got.append(payload)
            else:
                self.early.setdefault((k, lv), []).append(payload)
        return got


class _Worker:
    """One process of the search: the keys it owns, its frontier, its counts."""

    def __init__(
        self,
        me: int,
        n: int,
        plan: PodPlan,
        judge: Judge,
        check: bool,
        horizon: int,
        max_restarts: int,
        inboxes: list[Any],
        pending: list[Property],
    ) -> None:
        self.me, self.n, self.plan, self.judge, self.check = me, n, plan, judge, check
        self.horizon, self.max_restarts = horizon, max_restarts
        self.inboxes = inboxes
        self.mail = _Mailbox(inboxes[me])
        self.seen: set[Any] = set()
        self.frontier: list[tuple[Path, PodState, list[Event], int]] = []
        self.pending = pending
        self.sometimes: dict[str, bool | None] = {}
        self.counts = dict.fromkeys(
            ("states", "transitions", "cut_depth", "cut_restarts", "quiescent", "removed"), 0
        )

    def _exchange(self, kind: str, level: int, batches: list[list[Any]]) -> list[tuple[int, list[Any]]]:
        """Send ``batches[w]`` to every other worker ``w``; the batches for this worker, each with
        its sender, this worker's own first."""
        for w, batch in enumerate(batches):
            if w != self.me:
                self.inboxes[w].put((kind, level, (self.me, batch)))
        return [(self.me, batches[self.me]), *self.mail.take(kind, level, self.n - 1)]

    def level(self, depth: int, max_depth: int) -> tuple[int, Found | None]:
        """Expand this worker's frontier at ``depth``; the next frontier's size and the least violation."""
        if depth >= max_depth:
            for _, s, evs, _ in self.frontier:
                if evs and s.stage is not PStage.REMOVED:
                    self.counts["cut_depth"] += 1
            self.frontier = []
            return 0, None
        plan, judge, counts, n = self.plan, self.judge, self.counts, self.n
        found: Found | None = None
        outbox: list[list[tuple[Any, Path, Any]]] = [[] for _ in range(n)]
        kept: list[tuple[PodState, Obs | None, int, Path, int]] = []
        for path, s, evs, hot in self.frontier:
            if not evs:
                counts["quiescent"] += 1
                continue
            if s.stage is PStage.REMOVED:
                counts["removed"] += 1
                continue
            parent_obs = observe(plan, s, None, evs) if judge.step or judge.eventually else None
            for i, ev in enumerate(evs):
                child = step(plan, s, ev)
                counts["transitions"] += 1
                child_obs: Obs | None = None
                if parent_obs is not None:
                    child_obs = Obs(plan, child, pod_of(plan, child, parent_obs), None)
                    bad = judge.step_failure(parent_obs, ev, child_obs)
                    if bad is not None:
                        mine: Found = (path, 0, bad.name, step_where(ev, depth + 1, s, child), i)
                        found = mine if found is None or _order(mine) < _order(found) else found
                        break  # as the single-process search: this state's later steps are not taken
                if max(c.restarts for c in child.ctrs) > self.max_restarts:
                    counts["cut_restarts"] += 1
                    continue
                key = state_key(child, self.horizon)
                owner = hash(key) % n
                if self.check:
                    outbox[owner].append((key, (*path, i), len(kept)))
                    kept.append((child, child_obs, hot, (*path, i), owner))
                else:
                    outbox[owner].append((key, (*path, i), child))
        if not self.check:
            return self._counting(depth, outbox), found
        # 2. the owners keep the first-found (least-path) candidate of every key not yet stored
        best: dict[Any, tuple[Path, int, int]] = {}
        for sender, batch in self._exchange("cand", depth, outbox):
            for key, cpath, ref in batch:
                if key in self.seen:
                    continue
                old = best.get(key)
                if old is None or cpath < old[0]:
                    best[key] = (cpath, sender, ref)
        wins: list[list[int]] = [[] for _ in range(n)]
        for key, (_, sender, ref) in best.items():
            self.seen.add(key)
            wins[sender].append(ref)
        del best
        # 3. finish this worker's winners and send each to its owner
        nxt: list[list[tuple[Path, PodState, int]]] = [[] for _ in range(n)]
        frontier: list[tuple[Path, PodState, list[Event], int]] = []
        for _, refs in self._exchange("win", depth, wins):
            for ref in refs:
                child, child_obs, hot, cpath, owner = kept[ref]
                counts["states"] += 1
                child_evs: list[Event] | None = None
                if self.check:
                    child_evs = enabled_events(plan, child)
                    if child_obs is None:
                        child_obs = Obs(plan, child, pod_of(plan, child, None), child_evs)
                    else:
                        child_obs.enabled = child_evs
                    hot = judge.monitors(child_obs, hot)
                    failed = state_checks(judge, child_obs, hot, depth + 1, self.pending, self.sometimes)
                    if failed is not None:
                        mine = (cpath[:-1], 1, failed[0].name, failed[1], cpath[-1])
                        found = mine if found is None or _order(mine) < _order(found) else found
                        continue
                else:
                    hot = 0
                if owner == self.me:
                    frontier.append((cpath, child, child_evs or enabled_events(plan, child), hot))
                else:
                    nxt[owner].append((cpath, child, hot))
        del kept
        # A state sent to its owner is sent without its enabled events: computing them again is
        # cheaper than sending them.
        for _, batch in self._exchange("next", depth, nxt):
            frontier.extend((cpath, child, enabled_events(plan, child), hot) for cpath, child, hot in batch)
        self.frontier = frontier
        return len(self.frontier), found

    def _counting(self, depth: int, outbox: list[list[tuple[Any, Path, Any]]]) -> int:
        """Steps 2 and 3 of a count-only search, as one exchange: with nothing to check, each
        candidate travels with its state, and its owner keeps the least-path one of every new key."""
        best: dict[Any, tuple[Path, PodState]] = {}
        for _, batch in self._exchange("cand", depth, outbox):
            for key, cpath, child in batch:
                if key in self.seen:
                    continue
                old = best.get(key)
                if old is None or cpath < old[0]:
                    best[key] = (cpath, child)
        self.seen.update(best)
        self.counts["states"] += len(best)
        plan = self.plan
        self.frontier = [(cpath, child, enabled_events(plan, child), 0) for cpath, child in best.values()]
        return len(self.frontier)


def _serve(worker: _Worker, conn: Any, max_depth: int) -> None:
    """A worker process: run levels as the parent asks, then report its counts."""
    for name in worker.judge.checks:
        worker.judge.checks[name] = 0  # this process's copy: the parent counted what it did before the fork
    try:
        while True:
            msg = conn.recv()
            if msg[0] == "level":
                conn.send(worker.level(msg[1], max_depth))
            else:
                conn.send((worker.counts, worker.judge.checks, worker.sometimes))
                return
    except BaseException as e:  # a worker's failure reaches the parent, which raises it
        conn.send(("error", f"{type(e).__name__}: {e}"))


@gc_paused()
@keys_forgotten()  # what an earlier search left would be copied into every worker
def explore_parallel(
    plan: PodPlan,
    *,
    workers: int,
    max_depth: int = 60,
    max_restarts: int = 2,
    props: Iterable[Property] | None = None,
    check: bool = True,
    horizon: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    manifest: dict[str, Any] | None = None,
) -> ExploreResult:
    """:func:`~podfsm.verification.explorer.explore` over ``workers`` processes (see the module docstring)."""
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return explore(
            plan,
            max_depth=max_depth,
            max_restarts=max_restarts,
            props=props,
            check=check,
            horizon=horizon,
            progress=progress,
            manifest=manifest,
        )
    pod_manifest = manifest if manifest is not None else plan.raw
    chosen = list(properties() if props is None else props)
    by_name = {p.name: p for p in chosen}
    judge = Judge(chosen if check else ())
    horizon = default_horizon(plan) if horizon is None else horizon
    result = ExploreResult(checks=judge.checks)
    for p in judge.sometimes:
        result.sometimes[p.name] = False if p.applies(plan, max_restarts) else None
    pending = [p for p in judge.sometimes if result.sometimes[p.name] is False]
    started = time.perf_counter()

    # The initial state, as the single-process search checks it.
    s0 = initial(plan)
    evs0 = enabled_events(plan, s0)
    hot0 = 0
    if check:
        o0 = observe(plan, s0, None, evs0)
        hot0 = judge.monitors(o0, 0)
        failed = state_checks(judge, o0, hot0, 0, pending, result.sometimes)
        if failed is not None:
            result.violation = PropertyViolation.of(*failed).with_trace(pod_manifest, [], "")
            result.states, result.seconds = 1, time.perf_counter() - started
            return result
    ctx = mp.get_context("fork")
    inboxes = [ctx.Queue() for _ in range(workers)]
    owner0 = hash(state_key(s0, horizon)) % workers
    conns, procs = [], []
    for w in range(workers):
        worker = _Worker(w, workers, plan, judge, check, horizon, max_restarts, inboxes, list(pending))
        if w == owner0:
            worker.seen.add(state_key(s0, horizon))
            worker.frontier = [((), s0, evs0, hot0)]
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(worker, child, max_depth), daemon=True)
        proc.start()
        child.close()
        conns.append(parent)
        procs.append(proc)
    states, depth, found = 1, 0, None
    finished = False
    try:
        while True:
            if progress is not None:
                progress(Progress(states, 0, depth, 0, 0))  # per level: the counts live in the workers
            for c in conns:
                c.send(("level", depth))
            replies = _gather(conns, procs)
            grown = sum(size for size, _ in replies)
            hits = [f for _, f in replies if f is not None]
            states += grown
            if hits:
                found = min(hits, key=_order)
                break
            if not grown:
                break
            depth += 1
        for c in conns:
            c.send(("end",))
        for counts, checks, sometimes in _gather(conns, procs):
            for name, value in counts.items():
                setattr(result, name, getattr(result, name) + value)
            for name, value in checks.items():
                result.checks[name] = result.checks.get(name, 0) + value
            for name, seen in sometimes.items():
                if seen:
                    result.sometimes[name] = True
        finished = True
    finally:
        for proc in procs:
            if not finished:  # a worker failed or the search was interrupted: the others may wait for it
                proc.kill()
            proc.join()
        for q in inboxes:
            q.close()
            q.cancel_join_thread()
    result.states += 1  # the initial state
    result.depth = depth
    if found is not None:
        path, kind, name, where, idx = found
        events = _replay(plan, (*path, idx))
        if kind == 0:  # a step property: the script ends with the offending step
            result.path_events, result.failed_step = tuple(events[:-1]), events[-1]
        else:
            result.path_events = tuple(events)
        script = [event_to_dict(e) for e in events]
        result.violation = PropertyViolation.of(by_name[name], where).with_trace(pod_manifest, script, "")
    result.seconds = time.perf_counter() - started
    if check:
        judge_sometimes(result, judge, pod_manifest)
    return result


def _order(f: Found) -> tuple[Path, int]:
    """Where the single-process search meets a violation: a step out of the state at ``path`` is
    met at (path + step index, 0), the state checks of the state it leads to at (that path, 1)."""
    path, kind, _, _, idx = f
    return ((*path, idx), kind)


def _gather(conns: list[Any], procs: list[Any]) -> list[Any]:
    """Every worker's reply, in worker order, taken as they come: a worker that failed is reported
    at once (the others may be waiting for its batch, so waiting for them first would hang)."""
    replies: list[Any] = [None] * len(conns)
    pending = set(range(len(conns)))
    while pending:
        ready = wait([conns[i] for i in pending] + [procs[i].sentinel for i in pending])
        for i in sorted(pending):
            if conns[i] in ready or conns[i].poll():
                replies[i] = _reply(conns[i])
                pending.discard(i)
            elif procs[i].sentinel in ready:
                raise RuntimeError("an explorer worker ended without answering (killed by the system?)")
    return replies


def _reply(conn: Any) -> Any:
    try:
        msg = conn.recv()
    except (EOFError, OSError):
        raise RuntimeError("an explorer worker ended without answering (killed by the system?)") from None
    if isinstance(msg, tuple) and len(msg) == 2 and msg[0] == "error":
        raise RuntimeError(f"an explorer worker failed: {msg[1]}")
    return msg


def _replay(plan: PodPlan, path: Path) -> list[Event]:
    """The events of ``path`` (indices into each state's enabled events) from the initial state."""
    s = initial(plan)
    events: list[Event] = []
    for i in path:
        ev = enabled_events(plan, s)[i]
        events.append(ev)
        s = step(plan, s, ev)
    return events
