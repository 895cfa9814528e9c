"""Imports run one way: the app code imports at the top of its modules, and a function-local import says why it is
local on the line directly above it (or on its own line), with one of these reasons:

    # local import: cycle (<module> imports this module)
    # local import: task (service <-> task pair)
    # local import: heavy (<library> loaded only when exporting/importing)
    # local import: app registry (<why it runs before the apps are ready>)
    # local import: optional (<package> absent in some installs)

One comment covers a run of consecutive imports below it. Tests and migrations are not checked; nor are bench/ and
scripts/, standalone scripts that must call django.setup() before they import a model. No module is imported here:
this reads the files."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "config", "demo", "enterprises", "incubation", "parks", "targets")
SKIPPED_DIRECTORIES = {"migrations", "tests"}
REASON = re.compile(r"#\s*local import: (cycle|task|heavy|app registry|optional) \(.+\)")
STATEMENT_LISTS = ("body", "orelse", "finalbody")


def app_modules() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if not SKIPPED_DIRECTORIES & set(path.relative_to(ROOT).parts)
    ]


def local_import_runs(tree: ast.AST) -> Iterator[list[ast.Import | ast.ImportFrom]]:
    """Each run of consecutive import statements inside a function (or a method, or a block of either)."""

    def visit(node: ast.AST, in_function: bool) -> Iterator[list[ast.Import | ast.ImportFrom]]:
        in_function = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for field in STATEMENT_LISTS:
            run: list[ast.Import | ast.ImportFrom] = []
            statements = getattr(node, field, None)
            for statement in statements if isinstance(statements, list) else ():
                if in_function and isinstance(statement, ast.Import | ast.ImportFrom):
                    if run and statement.lineno != run[-1].end_lineno + 1:
                        yield run
                        run = []
                    run.append(statement)
                    continue
                if run:
                    yield run
                    run = []
            if run:
                yield run
        for child in ast.iter_child_nodes(node):
            yield from visit(child, in_function)

    yield from visit(tree, False)


def unexplained_local_imports(source: str) -> list[int]:
    """The line numbers of the function-local imports in `source` that say nowhere why they are local."""
    lines = source.splitlines()
    unexplained = []
    for run in local_import_runs(ast.parse(source)):
        above = lines[run[0].lineno - 2] if run[0].lineno > 1 else ""
        if REASON.fullmatch(above.strip()):
            continue
        unexplained += [statement.lineno for statement in run if not REASON.search(lines[statement.lineno - 1])]
    return sorted(unexplained)


def test_every_function_local_import_in_the_app_code_says_why_it_is_local():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in app_modules()
        for line in unexplained_local_imports(path.read_text(encoding="utf-8"))
    ]

    assert not found, "Move these imports to the top of their module, or say why they are local:\n" + "\n".join(found)


def test_the_check_finds_an_unexplained_local_import_and_accepts_an_explained_one():
    source = """
import os


def plain():
    from decimal import Decimal

    return Decimal(os.sep)


class Export:
    def write(self):
        if True:
            # local import: heavy (openpyxl loaded only when exporting)
            from openpyxl import Workbook
            from openpyxl.styles import Font

            import json  # a new run: the comment above the previous one does not cover it
        return Workbook, Font, json

    def read(self):
        from openpyxl import load_workbook  # local import: heavy (openpyxl loaded only when importing)

        # local import: because (not one of the reasons)
        from csv import reader

        return load_workbook, reader
"""

    assert unexplained_local_imports(source) == [6, 18, 25]


def test_every_app_package_named_is_checked():
    # A package renamed or moved would otherwise leave the check reading nothing.
    assert {path.relative_to(ROOT).parts[0] for path in app_modules()} == set(PACKAGES)
