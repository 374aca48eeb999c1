"""Views are thin and one per area: no module under policy/views/ imports another view module
(what two pages share lives in a domain module, e.g. policy/workshops/pages.py)."""
import ast
from pathlib import Path

import pytest

import policy.views

VIEWS = Path(policy.views.__file__).parent
PACKAGE = "policy.views"


def view_imports(source: str) -> list[str]:
    """The policy.views modules a module of policy/views/ imports, anywhere in its body."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                # Relative to policy.views: one dot is the package itself, two are policy.
                parent = PACKAGE.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [name for name in names if name == PACKAGE or name.startswith(PACKAGE + ".")]
    return found


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda path: path.name)
def test_no_view_module_imports_another(path):
    assert view_imports(path.read_text()) == []


@pytest.mark.parametrize(("source", "found"), [
    ("from .results import results_context", ["policy.views.results",
                                              "policy.views.results.results_context"]),
    ("from . import results", ["policy.views", "policy.views.results"]),
    ("from ..views import results", ["policy.views", "policy.views.results"]),
    ("def f():\n    import policy.views.results", ["policy.views.results"]),
    ("from policy import views", ["policy.views"]),
    ("from .. import cases\nfrom ..workshops.pages import results_page", []),
])
def test_the_check_sees_every_form_of_import(source, found):
    assert view_imports(source) == found
