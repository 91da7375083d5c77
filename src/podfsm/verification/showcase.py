"""The explorer's showcase: the searches ``podfsm diagram all`` draws into ``diagrams/explored/``.

Each is a small model of :data:`podfsm.verification.explorer.MODELS` (or a mutant's witness, explored under the
mutant's model) drawn through :class:`podfsm.rendering.stategraph.StateGraph`; the drift test in
``tests/test_diagrams.py`` redraws them and compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from podfsm.api import Pod
from podfsm.engine import compile_plan
from podfsm.model import DEFAULT
from podfsm.rendering.diagrams import Diagram, write_files
from podfsm.rendering.stategraph import DEFAULT_LIMIT, StateGraph
from podfsm.verification import mutants
from podfsm.verification.explorer import MODELS, explore

__all__ = ["SHOWCASE", "Showcase", "showcase_diagram", "write_showcase"]


@dataclass(frozen=True)
class Showcase:
    """A search drawn into ``diagrams/explored/<name>``: a small model, its bounds, maybe a mutant."""

    name: str
    model: str  # a key of podfsm.verification.explorer.MODELS, or of podfsm.verification.mutants.MUTANTS when ``mutant``
    mutant: bool = False
    limit: int = DEFAULT_LIMIT


SHOWCASE: Final = (
    # a seeded wrong model (a failed start restarted under Never) and its shortest counterexample
    Showcase("restart-under-never-counterexample", "restart-under-never", mutant=True),
    # the correct model: a Never pod's whole state space, collapsed by phase and STATUS
    Showcase("single-never-summary", "single-never"),
)


def showcase_diagram(case: Showcase) -> Diagram:
    """Explore ``case`` (under its mutant's model, if any) and return the drawing's IR."""
    mutant = mutants.get(case.model) if case.mutant else None
    config = mutant.witness if mutant is not None else MODELS[case.model]
    plan = compile_plan(Pod.from_api(config.pod), model=DEFAULT if mutant is None else mutant.model)
    graph = StateGraph(limit=case.limit)
    result = explore(
        plan, max_depth=config.max_depth, max_restarts=config.max_restarts, graph=graph, manifest=config.pod
    )
    return graph.diagram(result, plan)


def write_showcase(out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Draw every :data:`SHOWCASE` search in ``formats`` into ``out_dir``; returns the files written."""
    return write_files(((case.name, showcase_diagram(case)) for case in SHOWCASE), out_dir, formats)
