"""`python -m pipelines` starts without the heavy libraries: pandas, numpy, pyarrow, openpyxl and bcrypt are imported
by the code that uses them, on first use (pipelines.lazy), so `ingest` and `scores` do not pay for all of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipelines import lazy

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "pyarrow", "openpyxl", "bcrypt")


def loaded_after(statement: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; {statement}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_importing_the_command_line_loads_none_of_the_heavy_libraries() -> None:
    assert loaded_after("import pipelines.cli") == []


def test_a_lazy_module_is_imported_on_first_use_and_behaves_as_the_module() -> None:
    assert loaded_after("from pipelines.lazy import lazy_module; js = lazy_module('pandas')") == []
    assert "pandas" in loaded_after("from pipelines.lazy import lazy_module; pd = lazy_module('pandas'); "
                                    "assert pd.DataFrame({'a': [1]}).shape == (1, 1)")
    json = lazy.lazy_module("json")
    assert json.loads("[1]") == [1]
