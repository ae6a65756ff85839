"""The scoring package stays plain Python: no Flask, database or Babel (STYLE.md 6)."""
import ast
from pathlib import Path

import spiegel.scoring

FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_babel", "flask_wtf", "sqlalchemy", "babel", "jinja2",
             "spiegel.shared.extensions", "spiegel.shared.db")
PACKAGE = Path(spiegel.scoring.__file__).parent


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_framework_or_database_imports():
    files = sorted(PACKAGE.glob("*.py"))
    assert files
    for path in files:
        for name in imported_modules(path):
            assert not any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN), f"{path.name}: {name}"
            assert not name.endswith(".models"), f"{path.name}: {name}"
