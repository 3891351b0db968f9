"""DUR005: environment variables and files read in orchestrator code.

Settings and files can change between replays (a redeploy, a slot swap), and then the replay
takes another path than the one history recorded. Read them once, outside, and pass them in.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.names import Resolver
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


_PATH_ITEMS = frozenset({"iterdir", "glob", "rglob"})  # methods that yield paths
_WRAPPERS = frozenset({"sorted", "list", "tuple", "reversed"})  # keep what they iterate


def _built_from_path(resolver: Resolver, expr: ast.expr, paths: Set[str]) -> bool:
    """Whether ``expr`` derives from a ``pathlib.Path(...)`` (``Path(f).parent / "x.json"``) or
    from a variable in ``paths`` that holds one (``base / "templates"``)."""
    while True:
        if isinstance(expr, ast.Call):
            qualified = resolver.qualified(expr.func) or ""
            if qualified in _PATH_CLASSES or qualified.rsplit(".", 1)[0] in _PATH_CLASSES:
                return True
            expr = expr.func
        elif isinstance(expr, ast.Attribute | ast.Subscript):
            expr = expr.value
        elif isinstance(expr, ast.BinOp):
            expr = expr.left
        elif isinstance(expr, ast.Name):
            return expr.id in paths
        else:
            return False


def _yields_paths(resolver: Resolver, iterable: ast.expr, paths: Set[str]) -> bool:
    """``base.iterdir()``, ``sorted(base.glob("*.json"))``: a loop over it binds paths."""
    while (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id in _WRAPPERS
        and iterable.args
    ):
        iterable = iterable.args[0]
    return (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr in _PATH_ITEMS
        and _built_from_path(resolver, iterable.func.value, paths)
    )


def _bindings(nodes: list[ast.AST]) -> dict[str, list[tuple[str, ast.expr | None]]]:
    """Each name's bindings: ``("value", expr)`` for ``x = expr``, ``("item", iterable)`` for a
    loop or comprehension variable, ``("other", None)`` for anything else (a parameter, a
    ``with ... as x``, a tuple target), which is never a path."""
    bound: dict[str, list[tuple[str, ast.expr | None]]] = {}
    covered: set[int] = set()  # the target nodes of the bindings listed
    for node in nodes:
        pairs: list[tuple[ast.expr, str, ast.expr | None]] = []
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            pairs = [(target, "value", node.value) for target in targets]
        elif isinstance(node, ast.AugAssign):
            pairs = [(node.target, "value", node.target)]  # ``base /= "x"``: a path stays one
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            pairs = [(node.target, "item", node.iter)]
        elif isinstance(node, ast.arg):
            bound.setdefault(node.arg, []).append(("other", None))
        for target, kind, expr in pairs:
            if isinstance(target, ast.Name):
                bound.setdefault(target.id, []).append((kind, expr))
                covered.add(id(target))
    for node in nodes:
        stored = isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
        if stored and id(node) not in covered:
            bound.setdefault(node.id, []).append(("other", None))  # type: ignore[attr-defined]
    return bound


def _path_names(resolver: Resolver, nodes: Iterable[ast.AST], outer: Set[str]) -> set[str]:
    """Variables every binding of which is a path (to a fixed point: ``d`` in ``for d in
    base.iterdir()`` after ``base = Path(__file__).parent``), with the ``outer`` paths (module
    constants) that no binding here hides."""
    nodes = list(nodes)
    bound = _bindings(nodes)
    paths: set[str] = set()
    changed = True
    while changed:
        changed = False
        known = paths | (outer - bound.keys())
        for name, kinds in bound.items():
            if name in paths or any(kind == "other" for kind, _ in kinds):
                continue
            if all(
                _built_from_path(resolver, expr, known)
                if kind == "value"
                else _yields_paths(resolver, expr, known)  # type: ignore[arg-type]
                for kind, expr in kinds
            ):
                paths.add(name)
                changed = True
    return paths | (outer - bound.keys())


def _module_paths(unit: CodeUnit) -> set[str]:
    """Module-level path constants the function can see: ``BASE = Path(__file__).parent``."""
    module = unit.resolver.module
    resolver = Resolver(module)
    values = [ast.Assign([ast.Name(n, ast.Store())], v) for n, v in module.values.items()]
    return _path_names(resolver, values, set()) - unit.resolver.local_names


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Reads of ``os.environ``, ``os.getenv``, ``open()`` and ``pathlib`` file reads."""
    yield from banned_calls(unit, CODE, PATTERNS)
    paths = _path_names(unit.resolver, unit.nodes, _module_paths(unit))
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
            and _built_from_path(unit.resolver, node.func.value, paths)
        ):
            yield unit.finding(CODE, node, name=f"pathlib.Path.{node.func.attr}")
