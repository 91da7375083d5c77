"""podfsm's exceptions. Every one carries the context needed to act on it.

::

    PodfsmError
    ├── ManifestError        a manifest or script podfsm cannot read (CLI exit code 2)
    └── IllegalTransition    an event the model forbids in the current state (CLI exit code 1)
"""

from __future__ import annotations

__all__ = ["IllegalTransition", "ManifestError", "PodfsmError"]


class PodfsmError(Exception):
    """The base of every error podfsm raises on purpose."""


class ManifestError(PodfsmError, ValueError):
    """Input that is not a valid Pod, workload or event script; the message names file, object and field."""


class IllegalTransition(PodfsmError):
    """An event the model forbids in the current state; the model is left exactly as it was.

    ``state`` describes where the model was, ``event`` is the event as given and ``rule`` names
    the Kubernetes rule (kubelet function or documentation anchor) that forbids it.
    """

    def __init__(self, state: str, event: object, rule: str, link: str = "") -> None:
        self.state = state
        self.event = event
        self.rule = rule
        self.link = link
        text = f"{event!r} is not allowed: {state}. Rule: {rule}."
        if link:
            text += f" See {link}"
        super().__init__(text)
