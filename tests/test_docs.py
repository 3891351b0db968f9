"""The README stays a newcomer's page, and the docs stay true to the repository.

- README.md is at most 250 lines of at most 100 characters.
- Every relative link in README.md, docs/*.md and tools/*/README.md names a file that exists,
  and its `#anchor` a heading of that file (GitHub's slugs).
- Every line reference `path.py:N` names a line that holds what the text says is there. The
  convention: somewhere in the same document the reference is written with the code it points
  at, `path.py:N` (`fragment`), and the fragment must appear on line N. Other mentions of the
  same `path.py:N` in that document (console output, JSON) are checked through that one.
  Paths are from the repository root, or a bare file name that names one file. Paths under
  `app/` are the docs' example of a user's project, not files of this repository.
- `make help` fits 80 columns and shows variables with their values.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
TOOL_READMES = sorted(REPO.glob("tools/*/README.md"))  # each distribution's own page
PAGES = [README, *DOCS, *TOOL_READMES]
SKIP_DIRS = {".venv", ".git", "out", ".devhost", "node_modules", "__pycache__"}

FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
REF = r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.py):(\d+)"
ANCHORED = re.compile(REF + r"(?::\d+)?`?\s*\(\s*`([^`]+)`\s*\)")
EXAMPLE_PREFIXES = ("app/",)


def _rel(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def _without_code(text: str) -> str:
    """Markdown outside fenced blocks and inline code, where links are links."""
    text = FENCE.sub("", text)
    return re.sub(r"`[^`\n]*`", "", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = _slug(match.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _links(page: Path) -> list[str]:
    text = _without_code(page.read_text(encoding="utf-8"))
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z][a-z0-9+.-]*:", target)  # http:, https:, mailto:
    ]


def _repo_files(name: str) -> list[Path]:
    return [
        path
        for path in REPO.rglob(name)
        if not SKIP_DIRS & set(path.relative_to(REPO).parts) and path.is_file()
    ]


def _resolve(path: str) -> Path | None:
    """The repository file a reference names: a path from the root, or a unique bare name."""
    if "/" in path:
        candidate = REPO / path
        return candidate if candidate.is_file() else None
    found = _repo_files(path)
    return found[0] if len(found) == 1 else None


def test_readme_is_a_newcomers_page() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250, f"README.md has {len(lines)} lines; reference belongs in docs/"
    long = [(number, len(line)) for number, line in enumerate(lines, 1) if len(line) > 100]
    assert not long, f"README.md lines over 100 characters (line, length): {long}"


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in _links(page):
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{target}: no heading with the anchor #{anchor}")
    assert not broken, f"{_rel(page)}: " + "; ".join(broken)


def test_the_link_checker_sees_links_and_anchors() -> None:
    """The checks above can fail: they find links, and they tell headings apart."""
    assert "docs/figure.png" in _links(README)
    assert "docs/endpoints.md" in _links(README)
    assert _slug("Caught at run time: `--strict`") == "caught-at-run-time---strict"
    assert _slug("The target and the limits are the deployment's") == (
        "the-target-and-the-limits-are-the-deployments"
    )
    assert "differences-from-the-real-host" in _anchors(REPO / "docs" / "devhost.md")


def _references(text: str) -> tuple[dict[str, set[str]], set[str]]:
    """Anchored references {path:N: fragments} and every path:N mentioned."""
    anchored: dict[str, set[str]] = {}
    for path, line, fragment in ANCHORED.findall(text):
        anchored.setdefault(f"{path}:{line}", set()).add(fragment)
    mentioned = {f"{path}:{line}" for path, line in re.findall(REF, text)}
    return anchored, mentioned


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_line_references_point_at_the_code_they_describe(page: Path) -> None:
    anchored, mentioned = _references(page.read_text(encoding="utf-8"))
    wrong = []
    for ref in sorted(mentioned):
        path, _, number = ref.rpartition(":")
        if path.startswith(EXAMPLE_PREFIXES):
            continue
        if ref not in anchored:
            wrong.append(f"{ref}: write it once as `{ref}` (`code on that line`)")
            continue
        file = _resolve(path)
        if file is None:
            wrong.append(f"{ref}: no such file in the repository (or the name is not unique)")
            continue
        lines = file.read_text(encoding="utf-8").splitlines()
        line = lines[int(number) - 1] if 0 < int(number) <= len(lines) else ""
        for fragment in sorted(anchored[ref]):
            if fragment not in line:
                near = [n for n, text in enumerate(lines, 1) if fragment in text]
                wrong.append(f"{ref}: line {number} lacks `{fragment}` (found on lines {near})")
    assert not wrong, f"{_rel(page)}: " + "; ".join(wrong)


def test_line_reference_check_catches_a_moved_line() -> None:
    """A reference whose fragment is not on its line, or that has no fragment, is reported."""
    anchored, mentioned = _references(
        "the call at `orchestrators/raw_http_loop.py:1` (`requests.post(`), and "
        "devhost says orchestrators/raw_http_loop.py:2)"
    )
    assert anchored == {"orchestrators/raw_http_loop.py:1": {"requests.post("}}
    assert mentioned == {"orchestrators/raw_http_loop.py:1", "orchestrators/raw_http_loop.py:2"}
    first = (REPO / "orchestrators" / "raw_http_loop.py").read_text(encoding="utf-8")
    assert "requests.post(" not in first.splitlines()[0]


def _make_help(*args: str) -> list[str]:
    done = subprocess.run(
        ["make", "--no-print-directory", "help", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.splitlines()


@pytest.mark.parametrize("port", [None, "65535"])
def test_make_help_fits_80_columns_with_real_values(port: str | None) -> None:
    lines = _make_help(*([f"PORT={port}"] if port else []))
    assert len(lines) >= 10, lines
    assert all(line.startswith("  make ") for line in lines), lines
    assert not [line for line in lines if len(line) > 80], "over 80 columns"
    assert not [line for line in lines if "$(" in line or "${" in line], "unexpanded variable"
    (serve,) = [line for line in lines if line.startswith("  make serve ")]
    assert f"http://127.0.0.1:{port or 7071}" in serve
