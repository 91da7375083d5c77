"""Reading manifests: YAML or JSON text holding Pods, ``List``s of Pods, or workloads.

Every error is a :class:`ManifestError` whose message names the file, the object and the field
path, in one line, so the CLI can print it and exit 2 without a traceback.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from podfsm.api import Pod, SpecError, validate_pod
from podfsm.errors import ManifestError

__all__ = [
    "LoadedPod",
    "format_validation_error",
    "load_documents",
    "load_pods",
    "pod_from_object",
    "read_text",
]

# Workload kinds whose pod template podfsm can run, and where the template is.
_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


class _StringTimestampLoader(yaml.SafeLoader):
    """A YAML loader that keeps timestamps as the RFC 3339 strings the API uses."""


_StringTimestampLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class LoadedPod:
    """One Pod read from a manifest: the validated model, the JSON as given, and where it came from."""

    pod: Pod
    raw: dict[str, Any]
    where: str


def read_text(source: str | Path) -> tuple[str, str]:
    """``(text, display name)`` of a path, ``-`` for stdin."""
    if str(source) == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except OSError as e:
        raise ManifestError(f"{path}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text, so neither YAML nor JSON") from None


def load_documents(text: str, name: str) -> list[Any]:
    """The documents in ``text``: one JSON value, or every non-empty YAML document."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return [json.loads(text)]
        except json.JSONDecodeError:
            pass  # fall through: flow-style YAML is also allowed
    try:
        docs = [d for d in yaml.load_all(text, Loader=_StringTimestampLoader) if d is not None]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ManifestError(f"{name}: not valid YAML or JSON{at}: {problem}") from None
    if not docs:
        raise ManifestError(f"{name}: no object found (the file is empty)")
    return docs


def item_lines(text: str) -> list[int]:
    """The 1-based line where each item of the script's event list starts (empty if unknown)."""
    try:
        nodes = [n for n in yaml.compose_all(text, Loader=_StringTimestampLoader) if n is not None]
    except yaml.YAMLError:
        return []
    if len(nodes) != 1:
        return [n.start_mark.line + 1 for n in nodes]
    node = nodes[0]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "events":
                node = value
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    return []


def format_validation_error(err: ValidationError, prefix: str = "") -> str:
    """The first pydantic error as ``field.path[0].name: message (got value)``."""
    first = err.errors()[0]
    path = prefix
    for part in first["loc"]:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    message = first["msg"]
    if first["type"] == "missing":
        message = "Required value"
    elif first["type"] == "extra_forbidden":
        message = "unknown field"
    else:
        message += f" (got {first['input']!r})"
    more = len(err.errors()) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    return f"{path or '<root>'}: {message}{suffix}"


def _describe(obj: dict[str, Any]) -> str:
    kind = obj.get("kind") or "object"
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return f'{kind} "{name}"' if name else str(kind)


def _dig(obj: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = obj
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def pod_from_object(obj: Any, where: str) -> LoadedPod:
    """Validate one object as a Pod, or as a workload whose pod template becomes the Pod.

    A workload's pod template takes the workload's name (and its namespace) and the workload
    kind's own defaults: a Job's or CronJob's template must set ``restartPolicy`` OnFailure or
    Never (``ValidateJobSpec``), every other workload's must be Always.
    """
    if not isinstance(obj, dict):
        raise ManifestError(f"{where}: expected a Kubernetes object (a mapping), got {type(obj).__name__}")
    kind = obj.get("kind")
    described = f"{where}: {_describe(obj)}"
    if kind in _TEMPLATE_PATHS:
        template = _dig(obj, _TEMPLATE_PATHS[kind])
        tpath = ".".join(_TEMPLATE_PATHS[kind])
        if not isinstance(template, dict):
            raise ManifestError(f"{described}: {tpath}: Required value (the pod template)")
        spec = template.get("spec")
        if not isinstance(spec, dict):
            raise ManifestError(f"{described}: {tpath}.spec: Required value")
        policy = spec.get("restartPolicy")
        if kind in ("Job", "CronJob"):
            if policy not in ("OnFailure", "Never"):
                raise ManifestError(
                    f'{described}: {tpath}.spec.restartPolicy: Required value: must be "OnFailure" or "Never"'
                    f" (got {policy!r}) (ValidateJobSpec)"
                )
        elif policy not in (None, "Always"):
            raise ManifestError(
                f'{described}: {tpath}.spec.restartPolicy: Unsupported value: {policy!r}: supported values: "Always"'
                " (ValidatePodTemplateSpecForReplicaSet)"
            )
        meta = dict(template.get("metadata") or {})
        obj_meta = obj.get("metadata") or {}
        meta.setdefault("name", obj_meta.get("name", "pod"))
        if "namespace" in obj_meta:
            meta.setdefault("namespace", obj_meta["namespace"])
        raw: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
        prefix = tpath + "."
    elif kind in (None, "Pod"):
        raw, prefix = obj, ""
    else:
        raise ManifestError(
            f"{described}: kind {kind!r} is not a Pod, a List of Pods or a workload with a pod template"
            f" ({', '.join(sorted(_TEMPLATE_PATHS))})"
        )
    try:
        pod = Pod.from_api(raw)
    except ValidationError as e:
        raise ManifestError(f"{described}: {format_validation_error(e, prefix.rstrip('.'))}") from None
    try:
        validate_pod(pod)
    except SpecError as e:
        raise ManifestError(f"{described}: {prefix}{e}") from None
    return LoadedPod(pod=pod, raw=raw, where=described)


def load_pods(source: str | Path, *, text: str | None = None, name: str | None = None) -> list[LoadedPod]:
    """Every Pod in a file (``-`` for stdin) or in ``text``: Pods, ``List`` items and workload templates."""
    if text is None:
        text, name = read_text(source)
    name = name or str(source)
    pods: list[LoadedPod] = []
    for d, doc in enumerate(load_documents(text, name)):
        where = name if d == 0 else f"{name} (document {d + 1})"
        if isinstance(doc, dict) and (doc.get("kind") in ("List", "PodList") or "items" in doc):
            items = doc.get("items")
            if not isinstance(items, list):
                raise ManifestError(f"{where}: List: items: expected a list of objects")
            for i, item in enumerate(items):
                pods.append(pod_from_object(item, f"{where}: items[{i}]"))
        else:
            pods.append(pod_from_object(doc, where))
    if not pods:
        raise ManifestError(f"{name}: the List holds no Pods")
    return pods
