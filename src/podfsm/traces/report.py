"""The verdict of ``podfsm check-trace`` as text: success with its witness script, or the first
observation no run reaches, with the closest model statuses and the rule broken."""

from __future__ import annotations

from typing import Any

import yaml

from podfsm.textsafe import escape
from podfsm.traces.check import PodVerdict, TraceVerdict

__all__ = ["render_text", "witness_yaml"]


def _flow(event: dict[str, Any]) -> str:
    return str(yaml.safe_dump(event, default_flow_style=True, width=10_000, sort_keys=False)).strip()


def witness_yaml(p: PodVerdict) -> str:
    """The witness of one pod as a ``podfsm simulate`` script (YAML, one event per line)."""
    lines = [f"# witness for pod {escape(p.pod)}: podfsm simulate POD_FILE this-file.yaml"]
    lines += [f"- {_flow(e)}" for e in p.witness_script()]
    return "\n".join(lines) + "\n"


def render_text(v: TraceVerdict, *, witness: bool = True) -> str:
    """The verdict as ``podfsm check-trace`` prints it."""
    if v.conforms:
        out = [f"conforms: {v.observations} observations explained by {v.events} model events"]
        if witness:
            for p in v.pods:
                out.append(witness_yaml(p).rstrip("\n"))
        return "\n".join(out) + "\n"
    out = []
    for p in v.pods:
        if p.conforms:
            out.append(
                f"pod {escape(p.pod)}: conforms ({p.observations} observations, {len(p.events)} model events)"
            )
            continue
        f = p.failure
        assert f is not None
        out.append(f"does not conform: line {f.observation.line}: {escape(f.observation.describe())}")
        if f.last_explained is not None:
            out.append(
                f"  last explained: line {f.last_explained.line}: {escape(f.last_explained.describe())}"
            )
        else:
            out.append("  last explained: none (the first observation of the pod)")
        if f.rule is not None:
            out.append(f"  rule: {f.rule}")
        out.append(f"  why: {f.why}")
        if f.closest:
            out.append("  closest model statuses:")
            for model, diff in f.closest:
                out.append(f"    {escape(model)}: {escape('; '.join(diff)) or 'matches'}")
    return "\n".join(out) + "\n"
