"""Plan compilation: a Pod (API defaults applied, as the API server does on create) becomes the
plan the machines run, carrying the model value it runs under; :func:`initial` is the pod as the API
server stores it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from podfsm.api import Pod, apply_defaults
from podfsm.api.qos import qos_class
from podfsm.config import Config
from podfsm.enums import PodPhase, PullPolicy, RestartPolicy
from podfsm.kubelet import (
    codes_of,
)
from podfsm.machines.pod import PStage
from podfsm.machines.probe import Prb, ProbeKind, ProbeSpec
from podfsm.machines.records import ContainerKind, ContainerPlan, Ctr, PodPlan, PodState
from podfsm.model import DEFAULT, Model


def _uid(namespace: str, name: str) -> str:
    h = hashlib.sha256(f"{namespace}/{name}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def pod_name(pod: Pod) -> str:
    """The name the model gives ``pod``: ``metadata.name``, or ``pod`` when it has none."""
    return pod.metadata.name or "pod"


def compile_plan(pod: Pod, config: Config | None = None, model: Model = DEFAULT) -> PodPlan:
    """Compile a Pod (API defaults applied here, as the API server does on create) for the machines,
    to run under ``model`` (:data:`podfsm.model.DEFAULT`: Kubernetes itself)."""
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
                PullPolicy(c.image_pull_policy or "Always"),
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
    name = pod_name(pod)
    namespace = pod.metadata.namespace or "default"
    uid = pod.metadata.uid or _uid(namespace, name)
    meta.update({"name": name, "namespace": namespace, "uid": uid})
    meta.setdefault("creationTimestamp", config.epoch)
    return PodPlan(
        name=name,
        namespace=namespace,
        uid=uid,
        restart_policy=RestartPolicy(spec.restart_policy or "Always"),
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
        model=model,
        gates=tuple(g.condition_type or "" for g in spec.readiness_gates or ()),
    )


_PLANS: dict[tuple[str, Config | None, int], tuple[Model, PodPlan]] = {}
_PLANS_MAX = 256


def plan_for(
    manifest: Mapping[str, Any], config: Config | None, model: Model, make: Callable[[], PodPlan]
) -> PodPlan:
    """The plan ``make()`` compiles for the v1 Pod (or workload) ``manifest``, memoized by the
    manifest's JSON, ``config`` and the model value: a test suite or a Hypothesis run that creates
    the same pod again and again compiles it once, and its runs share the plan's memo of JSON
    pieces (a cold memo makes the first events of a pod several times slower). Plans are
    immutable; a manifest that is not JSON is compiled every time."""
    try:
        key = (json.dumps(manifest, sort_keys=True), config, id(model))
    except (TypeError, ValueError):
        return make()
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    plan = make()
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[key] = (model, plan)  # the model is kept alive, so its id is not reused meanwhile
    return plan


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
        codes=codes_of(plan, tuple(Ctr(probes=tuple(Prb() for _ in cp.probes)) for cp in plan.containers)),
    )


def never_pull_images(plan: PodPlan) -> tuple[str, ...]:
    """The images of the plan's imagePullPolicy Never containers, which only a node that already
    has them can start (``ErrImageNeverPull`` otherwise: kuberuntime_image.go EnsureImageExists)."""
    return tuple(
        sorted({cp.image for cp in plan.containers if cp.pull_policy is PullPolicy.NEVER and cp.image})
    )
