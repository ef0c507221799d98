"""The repository installs like a Python project: pyproject.toml and requirements.txt name the same exact pins,
every third-party module the product imports is declared, and the package carries its SQL files and pages."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][A-Za-z0-9.+!-]*)$")


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def pins(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        match = PIN.match(line.strip())
        assert match, f"not an exact pin `name==version`: {line!r}"
        name = normalised(match[1])
        assert name not in found, f"{name} pinned twice"
        found[name] = match[2]
    return found


def requirements() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return pins([line for line in lines if line.strip() and not line.lstrip().startswith("#")])


def declared() -> dict[str, str]:
    extras = PROJECT["optional-dependencies"]
    return pins([*PROJECT["dependencies"], *extras["test"], *extras["dev"]])


def test_requirements_txt_pins_exactly_the_pyproject_dependencies_and_extras() -> None:
    assert requirements() == declared()


def test_the_extras_are_for_tests_and_development_only() -> None:
    runtime = pins(PROJECT["dependencies"])
    extras = PROJECT["optional-dependencies"]
    assert set(extras) == {"test", "dev"}
    assert {"pytest", "pytest-xdist", "playwright"} <= set(pins(extras["test"]))
    assert "ruff" in pins(extras["dev"])
    assert not set(runtime) & set(pins([*extras["test"], *extras["dev"]]))


def test_the_pins_are_what_the_venv_runs() -> None:
    for name, version in requirements().items():
        assert importlib.metadata.version(name) == version, name


def third_party_imports(folder: Path) -> set[str]:
    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"pipelines", "dashboard", "__future__"}


def test_every_module_the_product_imports_comes_from_a_declared_dependency() -> None:
    runtime = set(pins(PROJECT["dependencies"]))
    distributions = importlib.metadata.packages_distributions()
    for module in sorted(third_party_imports(ROOT / "pipelines") | third_party_imports(ROOT / "dashboard")):
        owners = {normalised(name) for name in distributions.get(module, [])}
        assert owners & runtime, f"`import {module}` ({owners or 'not installed'}) is not in [project] dependencies"


def test_the_packages_carry_their_sql_files_and_pages() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert setuptools["packages"] == ["pipelines", "dashboard"]
    for package in setuptools["packages"]:
        folder = ROOT / package
        data = [path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts
                and not (path.parent == folder and path.suffix == ".py")]
        patterns = setuptools["package-data"].get(package, [])
        for path in data:
            relative = path.relative_to(folder)
            assert any(relative.match(pattern) for pattern in patterns), f"{package}/{relative} is not packaged"


def test_the_bsc_script_is_the_cli_main(capsys) -> None:
    module, _, function = PROJECT["scripts"]["bsc"].partition(":")
    main = getattr(importlib.import_module(module), function)
    try:
        main(["--help"])
    except SystemExit as done:
        assert done.code == 0
    assert "ingest" in capsys.readouterr().out
    assert PROJECT["requires-python"] == ">=3.11"


def test_no_test_file_imports_conftest():
    """Shared helpers live in tests/support.py and the *_support.py modules; conftest.py only holds fixtures."""
    importing = [path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+(tests\.)?conftest\b", path.read_text(encoding="utf-8"), re.M)]
    assert importing == []
