"""The shape of the codebase: the engine's independence, one check per file, each documented and tested."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, all_registered


def test_engine_imports_nothing_of_celery_the_database_or_the_service():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _check_modules():
    for folder in ("rules", "classifiers"):
        for path in sorted((REPO / "worker" / folder).glob("[!_]*.py")):
            yield folder, path


@pytest.mark.parametrize(("folder", "path"), list(_check_modules()), ids=lambda value: getattr(value, "stem", value))
def test_each_check_module_registers_one_documented_check_and_has_a_test(folder, path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    registered = [
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef) and any(getattr(d, "id", None) == "register" for d in node.decorator_list)
    ]
    assert len(registered) == 1, f"{path.name} registers {registered}"
    assert ast.get_docstring(tree), f"{path.name} needs a module docstring (it is the rule's documentation)"
    assert (REPO / "tests" / "worker" / folder / f"test_{path.stem}.py").exists()


def test_each_check_is_named_after_its_file():
    for name, check_class in all_registered().items():
        assert check_class.__module__.rsplit(".", 1)[1] == name


def test_no_check_compares_a_score_with_a_threshold_it_owns():
    # thresholds belong to config/policy.toml; a check mentioning them is deciding, not reporting
    for _, path in _check_modules():
        source = path.read_text(encoding="utf-8")
        assert "review_at" not in source and "reject_at" not in source, path.name
