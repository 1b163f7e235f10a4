"""Imports inside functions need a reason (DESIGN.md §4, issue 13).

An import inside a function hides a dependency from the reader and from lint-imports'
view of the layering, or papers over a cycle. It is allowed only with a comment saying
why, on its line or in the comment lines just above it (the import block's first import
counts for the block). Tests and migrations are not checked.

AppConfig.ready() is the one place that needs no comment: Django loads models only once
the app registry is ready, so what ready() wires up (audit registration, receivers, jobs,
notice kinds) is imported there by design.

Usage: python tools/check_local_imports.py [paths...]  (default: the project's packages)
Exit status 1, listing each unexplained import, if there is any.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "core",
    "thb_portal",
    "members",
    "cases",
    "referrals",
    "notifications",
    "projects",
    "publications",
    "trainings",
]


def _python_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        candidates = [path] if path.is_file() else sorted(path.rglob("*.py"))
        files.extend(file for file in candidates if "migrations" not in file.parts)
    return files


def _explained(lines: list[str], lineno: int) -> bool:
    """Whether line `lineno` (1-based) has a comment, or comment lines just above it
    (possibly above earlier imports of the same block)."""
    if "#" in lines[lineno - 1]:
        return True
    index = lineno - 2
    while index >= 0:
        stripped = lines[index].strip()
        if stripped.startswith("#"):
            return True
        if stripped.startswith(("import ", "from ")) and not stripped.endswith("("):
            index -= 1  # the block's earlier import; its comment covers this one
            continue
        return False
    return False


def _is_app_config_ready(parent: ast.AST, node: ast.AST) -> bool:
    return (
        isinstance(parent, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id == "AppConfig" for base in parent.bases)
        and isinstance(node, ast.FunctionDef)
        and node.name == "ready"
    )


def unexplained_imports(file: Path) -> list[tuple[int, str]]:
    source = file.read_text()
    lines = source.splitlines()
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_app_config_ready(node, child):
                continue
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            is_import = isinstance(child, (ast.Import, ast.ImportFrom))
            if in_function and is_import and not _explained(lines, child.lineno):
                found.append((child.lineno, lines[child.lineno - 1].strip()))
            visit(child, inside)

    visit(ast.parse(source, filename=str(file)), False)
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [ROOT / package for package in PACKAGES]
    problems = 0
    for file in _python_files(paths):
        for lineno, text in unexplained_imports(file):
            problems += 1
            print(f"{file.relative_to(ROOT)}:{lineno}: an import inside a function needs a comment saying why: {text}")
    if problems:
        print(f"{problems} unexplained import(s) inside functions.")
        return 1
    print("Every import inside a function says why.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
