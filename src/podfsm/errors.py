"""podfsm's exceptions. Every one carries the context needed to act on it.

::

    PodfsmError
    ├── ManifestError        a manifest or script podfsm cannot read (CLI exit code 2)
    │   └── UnknownContainer a container name the pod does not declare (also a KeyError)
    └── IllegalTransition    an event the model forbids in the current state (CLI exit code 1)
"""

from __future__ import annotations

from collections.abc import Iterable

from podfsm.textsafe import listing

__all__ = ["IllegalTransition", "ManifestError", "PodfsmError", "UnknownContainer"]


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


class UnknownContainer(ManifestError, KeyError):
    """A container name the pod does not declare; ``name`` is it, ``known`` the pod's containers.

    A :class:`~podfsm.errors.ManifestError` (so a ``ValueError``) and a ``KeyError``.
    """

    def __init__(self, name: object, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(
            f"container {name!r}: the pod has no such container (containers: {listing(self.known) or 'none'})"
        )

    def __str__(self) -> str:  # KeyError's would quote the message
        return str(self.args[0])
