"""durable_lint has no import cycle, counting TYPE_CHECKING imports and the package __init__
each import runs (`from durable_lint.rules._calls import X` runs `rules/__init__.py` first).

What it took: the rule table lives in `rules/catalog.py`, so `rules/__init__` imports nothing;
`app_decorators` lives with `Project.is_app` in `project.py`, so the registry does not import
the orchestrator finder that types it; the package's names resolve on first use.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "tests_import_graph", Path(__file__).parents[1] / "import_graph.py"
)
assert _spec is not None and _spec.loader is not None
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)

PACKAGE = Path(__file__).parents[2] / "tools" / "durable-lint" / "durable_lint"


def test_there_are_no_import_cycles():
    graph = import_graph.graph(import_graph.modules(PACKAGE))
    cycle = import_graph.find_cycle(graph)

    assert len(graph) == 26  # every module was read (a new one changes this count)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _find_cycle(sources: dict[str, str]) -> list[str] | None:
    fake = {
        name: (PACKAGE / ("__init__.py" if name == "durable_lint.rules" else "m.py"), ast.parse(s))
        for name, s in sources.items()
    }
    return import_graph.find_cycle(import_graph.graph(fake))


def test_a_package_init_that_imports_its_rules_is_a_cycle():
    """The shape durable_lint had: rules/__init__ imports each rule, and a rule imports its
    helper through the package, which runs rules/__init__ first."""
    cycle = _find_cycle(
        {
            "durable_lint.rules": "from durable_lint.rules import dur001\n",
            "durable_lint.rules.dur001": "from durable_lint.rules._calls import banned\n",
            "durable_lint.rules._calls": "import ast\n",
        }
    )

    assert cycle == ["durable_lint.rules", "durable_lint.rules.dur001", "durable_lint.rules"]


def test_a_type_checking_import_back_is_a_cycle():
    """The other shape it had: the registry imports the orchestrator finder, which names the
    registry's type under TYPE_CHECKING."""
    cycle = _find_cycle(
        {
            "durable_lint.registry": "from durable_lint.orchestrators import app_decorators\n",
            "durable_lint.orchestrators": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from durable_lint.registry import Registry\n"
            ),
        }
    )

    assert cycle == [
        "durable_lint.orchestrators",
        "durable_lint.registry",
        "durable_lint.orchestrators",
    ]
