"""placeholder: being implemented"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Condition:
    status: str
    reason: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class Columns:
    status: str
    ready: str
    restarts: int
    restarts_display: str


def pod_phase(pod: Any, *, pod_is_terminal: bool | None = None, pod_has_initialized: bool | None = None) -> str:
    raise NotImplementedError


def pod_conditions(pod: Any) -> dict[str, Condition]:
    raise NotImplementedError


def should_restart(pod: Any, container_name: str) -> bool:
    raise NotImplementedError


def kubectl_columns(pod: Any, *, now: datetime | str | None = None) -> Columns:
    raise NotImplementedError
