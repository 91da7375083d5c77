"""The lifecycle subset of the v1 Pod API as pydantic models, with the API server's defaults.

Field names are snake_case in Python and camelCase on the wire (``alias_generator=to_camel``),
exactly as ``kubectl get pod -o json`` prints them. Every model keeps the fields it does not
model (``extra="allow"``), so ``Pod.from_api(d).to_api() == d`` for any valid Pod ``d``: podfsm
never drops what the user gave it.

Types are strict, as the API server's JSON decoder is: ``restartCount: "3"`` is an error, not a
3. Timestamps stay the RFC 3339 strings the API prints (podfsm's loader keeps YAML from turning
them into datetimes), and must be what ``metav1.Time`` parses: a full RFC 3339 date-time
(:func:`is_rfc3339`). Integers have their Go type's range (``int32``, ``int64``), and
``restartCount`` is non-negative, as the API server checks.

Defaulting is a separate, explicit step, :func:`apply_defaults`, which follows
``pkg/apis/core/v1/defaults.go`` (``SetDefaults_PodSpec``, ``SetDefaults_Container``,
``SetDefaults_Probe``) and the pod strategy's coercion of a negative grace period to 1.
:func:`validate_pod` applies the handful of ``ValidatePod`` rules the lifecycle depends on.

Not modelled (kept verbatim as extra fields): volumes, env, ports, security contexts, affinity,
ephemeral containers, resize status and everything else outside the lifecycle.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from podfsm.textsafe import replace_lone_surrogates
from podfsm.timefmt import is_rfc3339

__all__ = [
    "Container",
    "ContainerState",
    "ContainerStateRunning",
    "ContainerStateTerminated",
    "ContainerStateWaiting",
    "ContainerStatus",
    "Lifecycle",
    "ObjectMeta",
    "Pod",
    "PodCondition",
    "PodSpec",
    "PodStatus",
    "Probe",
    "ReadinessGate",
    "ResourceRequirements",
    "SpecError",
    "Toleration",
    "apply_defaults",
    "default_image_pull_policy",
    "is_rfc3339",
    "validate_pod",
]

RestartPolicyName = Literal["Always", "OnFailure", "Never"]
PullPolicyName = Literal["Always", "IfNotPresent", "Never"]
Quantity = str | int | float


def _check_time(value: str) -> str:
    if not is_rfc3339(value):
        raise PydanticCustomError(
            "rfc3339", "Input should be an RFC 3339 date-time such as 2026-11-23T10:06:00Z"
        )
    return value


Time = Annotated[str, AfterValidator(_check_time)]
"""A ``metav1.Time``: the RFC 3339 string, checked with :func:`is_rfc3339`."""
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
Int32 = Annotated[int, Field(ge=-(2**31), le=INT32_MAX)]
Int64 = Annotated[int, Field(ge=-(2**63), le=INT64_MAX)]


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        strict=True,
        frozen=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The v1 JSON of this object: camelCase keys, only the fields that were given or defaulted."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")


class ObjectMeta(_Model):
    name: str = ""
    namespace: str | None = None
    uid: str | None = None
    generation: Int64 | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    creation_timestamp: Time | None = None
    deletion_timestamp: Time | None = None
    deletion_grace_period_seconds: Int64 | None = None


class Probe(_Model):
    """``v1.Probe``; the handler (exec / httpGet / tcpSocket / grpc) is carried as an extra field."""

    initial_delay_seconds: Int32 | None = None
    timeout_seconds: Int32 | None = None
    period_seconds: Int32 | None = None
    success_threshold: Int32 | None = None
    failure_threshold: Int32 | None = None
    termination_grace_period_seconds: Int64 | None = None


class Lifecycle(_Model):
    """``v1.Lifecycle``; each hook's handler is kept as given."""

    post_start: dict[str, Any] | None = None
    pre_stop: dict[str, Any] | None = None


class ResourceRequirements(_Model):
    requests: dict[str, Quantity] | None = None
    limits: dict[str, Quantity] | None = None


class Container(_Model):
    name: str
    image: str | None = None
    image_pull_policy: PullPolicyName | None = None
    command: list[str] | None = None
    args: list[str] | None = None
    restart_policy: Literal["Always"] | None = None
    liveness_probe: Probe | None = None
    readiness_probe: Probe | None = None
    startup_probe: Probe | None = None
    lifecycle: Lifecycle | None = None
    resources: ResourceRequirements | None = None
    termination_message_path: str | None = None
    termination_message_policy: Literal["File", "FallbackToLogsOnError"] | None = None


class ReadinessGate(_Model):
    condition_type: str


class Toleration(_Model):
    key: str | None = None
    operator: Literal["Exists", "Equal"] | None = None
    value: str | None = None
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = None
    toleration_seconds: Int64 | None = None


class PodSpec(_Model):
    containers: list[Container] = Field(min_length=1)
    init_containers: list[Container] | None = None
    restart_policy: RestartPolicyName | None = None
    termination_grace_period_seconds: Int64 | None = None
    # ValidatePodSpec: activeDeadlineSeconds in 1..math.MaxInt32 (InclusiveRangeError(1, math.MaxInt32))
    active_deadline_seconds: Annotated[int, Field(ge=1, le=INT32_MAX)] | None = None
    node_name: str | None = None
    readiness_gates: list[ReadinessGate] | None = None
    tolerations: list[Toleration] | None = None
    priority: Int32 | None = None
    priority_class_name: str | None = None
    scheduling_gates: list[dict[str, Any]] | None = None


class ContainerStateWaiting(_Model):
    reason: str | None = None
    message: str | None = None


class ContainerStateRunning(_Model):
    started_at: Time | None = None


class ContainerStateTerminated(_Model):
    exit_code: Int32
    signal: Int32 | None = None
    reason: str | None = None
    message: str | None = None
    started_at: Time | None = None
    finished_at: Time | None = None
    container_id: str | None = Field(default=None, alias="containerID")


class ContainerState(_Model):
    waiting: ContainerStateWaiting | None = None
    running: ContainerStateRunning | None = None
    terminated: ContainerStateTerminated | None = None


class ContainerStatus(_Model):
    name: str
    state: ContainerState | None = None
    last_state: ContainerState | None = None
    ready: bool = False
    started: bool | None = None
    restart_count: Annotated[int, Field(ge=0, le=INT32_MAX)] = 0
    image: str | None = None
    image_id: str | None = Field(default=None, alias="imageID")
    container_id: str | None = Field(default=None, alias="containerID")


class PodCondition(_Model):
    type: str
    status: Literal["True", "False", "Unknown"]
    reason: str | None = None
    message: str | None = None
    last_transition_time: Time | None = None
    last_probe_time: Time | None = None


class PodStatus(_Model):
    phase: Literal["Pending", "Running", "Succeeded", "Failed", "Unknown"] | None = None
    reason: str | None = None
    message: str | None = None
    conditions: list[PodCondition] | None = None
    init_container_statuses: list[ContainerStatus] | None = None
    container_statuses: list[ContainerStatus] | None = None
    start_time: Time | None = None
    host_ip: str | None = Field(default=None, alias="hostIP")
    pod_ip: str | None = Field(default=None, alias="podIP")
    qos_class: Literal["Guaranteed", "Burstable", "BestEffort"] | None = None
    nominated_node_name: str | None = None


class Pod(_Model):
    """A v1 Pod: ``Pod.from_api(json_dict)`` validates, ``pod.to_api()`` gives the JSON back."""

    api_version: str | None = "v1"
    kind: Literal["Pod"] | None = "Pod"
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)
    spec: PodSpec
    status: PodStatus | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Pod:
        """Validate the v1 JSON ``data`` (camelCase keys) into a :class:`Pod`. A lone surrogate in a
        string or key becomes U+FFFD first, as Go's JSON decoder makes it (it has no UTF-8 form)."""
        return cls.model_validate(replace_lone_surrogates(data))

    def all_containers(self) -> list[Container]:
        """Init containers (sidecars included) then regular containers, in declaration order."""
        return [*(self.spec.init_containers or ()), *self.spec.containers]


class SpecError(ValueError):
    """A Pod the API server would reject; ``path`` is the JSON field path, ``rule`` the upstream rule."""

    def __init__(self, path: str, message: str, rule: str) -> None:
        super().__init__(f"{path}: {message} ({rule})")
        self.path = path
        self.message = message
        self.rule = rule


# ---------------------------------------------------------------------------------------------
# Defaults (pkg/apis/core/v1/defaults.go) and validation (pkg/apis/core/validation/validation.go)
# ---------------------------------------------------------------------------------------------

DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30  # v1.DefaultTerminationGracePeriodSeconds


_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")


def default_image_pull_policy(image: str | None) -> PullPolicyName:
    """``SetDefaults_Container``: ``Always`` for a ``latest`` tag, else ``IfNotPresent``.

    ``parsers.ParseImageName`` gives tag ``latest`` when the reference has neither a tag nor a
    digest, no tag for a digest-only reference, and no tag at all when the reference does not
    parse (an empty image, a malformed digest), which defaults to ``IfNotPresent``.
    """
    ref = image or ""
    name, at, digest = ref.partition("@")
    last = name.rsplit("/", 1)[-1]
    if not name or not last or (at and not _DIGEST.match(digest)):
        return "IfNotPresent"
    if ":" in last:
        tag = last.partition(":")[2]
        if not _TAG.match(tag):
            return "IfNotPresent"
    else:
        tag = "" if at else "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _probe_defaults(probe: Probe) -> Probe:
    """``SetDefaults_Probe``: timeout 1 s, period 10 s, success 1, failure 3."""
    return probe.model_copy(
        update={
            "timeout_seconds": probe.timeout_seconds or 1,
            "period_seconds": probe.period_seconds or 10,
            "success_threshold": probe.success_threshold or 1,
            "failure_threshold": probe.failure_threshold or 3,
        }
    )


def _container_defaults(c: Container) -> Container:
    update: dict[str, Any] = {
        "image_pull_policy": c.image_pull_policy or default_image_pull_policy(c.image),
        "termination_message_path": c.termination_message_path or "/dev/termination-log",
        "termination_message_policy": c.termination_message_policy or "File",
    }
    for field in ("liveness_probe", "readiness_probe", "startup_probe"):
        if (probe := getattr(c, field)) is not None:
            update[field] = _probe_defaults(probe)
    return c.model_copy(update=update)


def apply_defaults(pod: Pod) -> Pod:
    """The Pod as the API server stores it on create (``SetDefaults_PodSpec`` / ``_Container`` / ``_Probe``).

    A negative ``terminationGracePeriodSeconds`` is stored as 1 (pod strategy; e2e "pod with
    negative grace period"). Fields the user set are never changed otherwise.
    """
    spec = pod.spec
    grace = spec.termination_grace_period_seconds
    if grace is None:
        grace = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS
    elif grace < 0:
        grace = 1
    update: dict[str, Any] = {
        "restart_policy": spec.restart_policy or "Always",
        "termination_grace_period_seconds": grace,
        "containers": [_container_defaults(c) for c in spec.containers],
    }
    if spec.init_containers is not None:
        update["init_containers"] = [_container_defaults(c) for c in spec.init_containers]
    new_spec = spec.model_copy(update=update)
    return pod.model_copy(update={"spec": new_spec})


def validate_pod(pod: Pod) -> None:
    """The ``ValidatePodSpec`` rules the lifecycle relies on; raises :class:`SpecError` on the first breach.

    As in the API server, validation sees the defaulted object: a probe's ``periodSeconds: 0``
    means "unset" and becomes 10 (``SetDefaults_Probe``) before ``validateProbe`` runs.
    """
    pod = apply_defaults(pod)
    seen: dict[str, str] = {}
    # validateContainers runs first; validateInitContainers then reports a name clash on the init container.
    groups = (("containers", pod.spec.containers), ("initContainers", pod.spec.init_containers or []))
    for field, containers in groups:
        for i, c in enumerate(containers):
            path = f"spec.{field}[{i}]"
            if not c.name:
                raise SpecError(
                    f"{path}.name", "Required value", "validateContainers: name must be non-empty"
                )
            if c.name in seen:
                raise SpecError(
                    f"{path}.name",
                    f'Duplicate value: "{c.name}" (also {seen[c.name]})',
                    "validateContainers: container names are unique across init and regular containers",
                )
            seen[c.name] = path
            if field == "containers" and c.restart_policy is not None:
                raise SpecError(
                    f"{path}.restartPolicy",
                    "Forbidden: may not be set for non-init containers",
                    "validateContainers: container restartPolicy is only for init containers (sidecars)",
                )
            sidecar = field == "initContainers" and c.restart_policy == "Always"
            if field == "initContainers" and not sidecar:
                for probe_field in ("liveness_probe", "readiness_probe", "startup_probe"):
                    if getattr(c, probe_field) is not None:
                        raise SpecError(
                            f"{path}.{to_camel(probe_field)}",
                            "Forbidden: may not be set for init containers without restartPolicy=Always",
                            "validateInitContainers",
                        )
            for probe_field in ("liveness_probe", "startup_probe"):
                probe = getattr(c, probe_field)
                if probe is not None and probe.success_threshold not in (None, 1):
                    raise SpecError(
                        f"{path}.{to_camel(probe_field)}.successThreshold",
                        "Invalid value: must be 1",
                        "validateLivenessProbe / validateStartupProbe",
                    )
            for probe_field in ("liveness_probe", "readiness_probe", "startup_probe"):
                probe = getattr(c, probe_field)
                if probe is None:
                    continue
                for attr in ("period_seconds", "success_threshold", "failure_threshold", "timeout_seconds"):
                    value = getattr(probe, attr)
                    if value is not None and value < 1:
                        raise SpecError(
                            f"{path}.{to_camel(probe_field)}.{to_camel(attr)}",
                            f"Invalid value: {value}: must be greater than or equal to 1",
                            "validateProbe",
                        )
                if probe.initial_delay_seconds is not None and probe.initial_delay_seconds < 0:
                    raise SpecError(
                        f"{path}.{to_camel(probe_field)}.initialDelaySeconds",
                        f"Invalid value: {probe.initial_delay_seconds}: must be greater than or equal to 0",
                        "validateProbe",
                    )
