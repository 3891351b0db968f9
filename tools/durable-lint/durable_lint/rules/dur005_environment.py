"""DUR005: environment variables and files read in orchestrator code.

Settings and files can change between replays (a redeploy, a slot swap), and then the replay
takes another path than the one history recorded. Read them once, outside, and pass them in.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules._calls import Patterns, banned_calls

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR005"

PATTERNS = Patterns(
    "os.getenv",
    "os.getenvb",
    "builtins.open",
    "io.open",
    "codecs.open",
    "os.listdir",
    "os.scandir",
    "os.walk",
    "os.stat",
    "os.path.exists",
    "os.path.isfile",
    "os.path.isdir",
    "os.path.getsize",
    "os.path.getmtime",
    "dotenv.load_dotenv",
    "dotenv.dotenv_values",
)
_ENVIRON = frozenset({"os.environ", "os.environb"})
_PATH_CLASSES = frozenset(
    {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"}
)
_PATH_READS = frozenset(
    {
        "read_text",
        "read_bytes",
        "open",
        "exists",
        "is_file",
        "is_dir",
        "iterdir",
        "glob",
        "rglob",
        "stat",
    }
)


def _built_from_path(unit: CodeUnit, expr: ast.expr) -> bool:
    """Whether ``expr`` derives from a ``pathlib.Path(...)``: ``Path(f).parent / "x.json"``."""
    while True:
        if isinstance(expr, ast.Call):
            qualified = unit.resolver.qualified(expr.func) or ""
            if qualified in _PATH_CLASSES or qualified.rsplit(".", 1)[0] in _PATH_CLASSES:
                return True
            expr = expr.func
        elif isinstance(expr, ast.Attribute | ast.Subscript):
            expr = expr.value
        elif isinstance(expr, ast.BinOp):
            expr = expr.left
        else:
            return False


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Reads of ``os.environ``, ``os.getenv``, ``open()`` and ``pathlib`` file reads."""
    yield from banned_calls(unit, CODE, PATTERNS)
    for node in unit.nodes:
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb"):
            if unit.resolver.qualified(node) in _ENVIRON:
                yield unit.finding(CODE, node, name=f"os.{node.attr}")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if unit.resolver.name(node.id) in _ENVIRON:
                yield unit.finding(CODE, node, name=node.id)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _PATH_READS
            and _built_from_path(unit, node.func.value)
        ):
            yield unit.finding(CODE, node, name=f"pathlib.Path.{node.func.attr}")
