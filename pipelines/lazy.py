"""Heavy libraries imported on first use, so that a command which never needs them (most of `python -m pipelines`)
does not pay for them at start-up: `pd = lazy_module("pandas")` reads like `import pandas as pd`."""

from __future__ import annotations

import importlib
from types import ModuleType


class _LazyModule:
    def __init__(self, name: str) -> None:
        self.__name = name

    def __getattr__(self, attribute: str) -> object:
        module: ModuleType = importlib.import_module(self.__name)  # at once when it is already in sys.modules
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self.__name}>"


def lazy_module(name: str) -> ModuleType:
    """The module `name`, imported when one of its attributes is first read."""
    return _LazyModule(name)  # type: ignore[return-value]
