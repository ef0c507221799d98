"""The dashboard's one string table (dashboard/i18n.py TEXT) and the code that reads it stay in step.

The dashboard's source is read as Python syntax trees, not run: every call of the lookup (`t(...)`, `i18n.t(...)`,
`f.t(...)`) is found and the keys its first argument can be are worked out from the source: a literal, either side
of `a if c else b`, a variable assigned a literal, a loop over a literal tuple or dict (`for key in
DOWNLOAD_DECIMALS`, `for name, key in columns.items()`), a dict lookup of labels (`SHORT_HEADERS[k]`,
`SHORT_HEADERS.get(k, k)`), a function parameter (every call of that function, and its default). A key built from
a value only known at run time (`f"state_{state}"`) must have its pattern and every value it can take listed in
`i18n.DYNAMIC_KEYS`. Then:
- every key the code uses is in TEXT, with Thai and English both non-empty and the same `{placeholders}`;
- no key in TEXT is unused, and no pattern in DYNAMIC_KEYS is unused;
- a lookup whose key cannot be worked out fails the test, naming the file and line.
"""

from __future__ import annotations

import ast
import itertools
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashboard import i18n

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
LOOKUP = "t"
"""The lookup's name: `t(key, lang)`, `i18n.t(key, lang)` and the Filters method `f.t(key)` that wraps it."""


class Unresolved(Exception):
    """The value of an expression cannot be read from the source; `pattern` is set for an f-string or `+` key."""

    def __init__(self, node: ast.AST, pattern: str | None = None) -> None:
        super().__init__(ast.unparse(node))
        self.node = node
        self.pattern = pattern


@dataclass
class KeyReport:
    used: dict[str, list[str]] = field(default_factory=dict)
    """key -> the places (file:line) that use it."""
    patterns_used: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


class KeyScanner:
    """The keys a set of modules passes to the lookup, worked out from their syntax trees."""

    def __init__(self, sources: dict[str, str], dynamic_keys: dict[str, tuple[str, ...]]) -> None:
        self.dynamic_keys = dynamic_keys
        self.trees = {name: ast.parse(text, filename=name) for name, text in sources.items()}
        self.module_of: dict[ast.AST, str] = {}
        self.parent: dict[ast.AST, ast.AST] = {}
        for name, tree in self.trees.items():
            for node in ast.walk(tree):
                self.module_of[node] = name
                for child in ast.iter_child_nodes(node):
                    self.parent[child] = node

    # -- the lookups -------------------------------------------------------------------------------------------

    def report(self) -> KeyReport:
        report = KeyReport()
        for module, tree in self.trees.items():
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr == "TEXT" and module != "i18n.py":
                    report.problems.append(f"{module}:{node.lineno}: reads TEXT directly; use i18n.t(key, lang)")
                if not (self._is_lookup(node) and node.args) or self._is_wrapper_pass_through(node):
                    continue
                where = f"{module}:{node.lineno}"
                for key in self._keys_of(node.args[0], where, report):
                    report.used.setdefault(key, []).append(where)
        return report

    @staticmethod
    def _is_lookup(node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        return (isinstance(func, ast.Name) and func.id == LOOKUP) or (
            isinstance(func, ast.Attribute) and func.attr == LOOKUP)

    def _is_wrapper_pass_through(self, call: ast.Call) -> bool:
        """`def t(self, key): return i18n.t(key, ...)`: the wrapper's own callers are the lookups."""
        argument = call.args[0]
        function = self._enclosing_function(call)
        return (isinstance(argument, ast.Name) and isinstance(function, ast.FunctionDef) and function.name == LOOKUP
                and argument.id in {a.arg for a in function.args.args})

    def _keys_of(self, expression: ast.expr, where: str, report: KeyReport) -> set[str]:
        try:
            return self.values(expression)
        except Unresolved as unresolved:
            if unresolved.pattern is None:
                report.problems.append(
                    f"{where}: cannot tell which key `{ast.unparse(expression)}` is (`{unresolved}` is not known "
                    "from the source): pass a literal key, or build it with an f-string listed in "
                    "i18n.DYNAMIC_KEYS")
                return set()
            if unresolved.pattern not in self.dynamic_keys:
                report.problems.append(
                    f"{where}: key built at run time as '{unresolved.pattern}': list the pattern and every value "
                    "it can take in i18n.DYNAMIC_KEYS")
                return set()
            report.patterns_used.add(unresolved.pattern)
            return {unresolved.pattern.replace("{}", value) for value in self.dynamic_keys[unresolved.pattern]}

    # -- values of expressions ---------------------------------------------------------------------------------

    def values(self, node: ast.expr) -> set[str]:
        """Every string `node` can evaluate to, read from the source."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.values(node.body) | self.values(node.orelse)
        if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)):
            return self._joined(node)
        if isinstance(node, ast.Name):
            return set().union(*(self._values_of_binding(b) for b in self._bindings(node)))
        if isinstance(node, ast.Subscript):  # LABELS[k]: any value of the dict
            return set().union(*(self.values(value) for _, value in self.pairs(node.value)))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and node.args):  # LABELS.get(k, default)
            found = set().union(*(self.values(value) for _, value in self.pairs(node.func.value)))
            return found | (self.values(node.args[1]) if len(node.args) > 1 else set())
        raise Unresolved(node)

    def _joined(self, node: ast.expr) -> set[str]:
        parts = self._parts(node)
        try:
            choices = [{part} if isinstance(part, str) else self.values(part) for part in parts]
        except Unresolved:
            pattern = "".join(part if isinstance(part, str) else "{}" for part in parts)
            raise Unresolved(node, pattern) from None
        return {"".join(combination) for combination in itertools.product(*choices)}

    def _parts(self, node: ast.expr) -> list[str | ast.expr]:
        if isinstance(node, ast.JoinedStr):
            return [v.value if isinstance(v, ast.Constant) else v.value for v in node.values]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._parts(node.left) + self._parts(node.right)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        return [node]

    # -- containers --------------------------------------------------------------------------------------------

    def elements(self, node: ast.expr) -> list[ast.expr | tuple]:
        """What a `for` over `node` binds, one entry per element (a tuple for `dict.items()`)."""
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return list(node.elts)
        if isinstance(node, ast.Dict | ast.DictComp):
            return [key for key, _ in self.pairs(node)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr | ast.Add):
            return self.elements(node.left) + self.elements(node.right)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("keys", "values", "items") and not node.args:
                pairs = self.pairs(func.value)
                return {"keys": [k for k, _ in pairs], "values": [v for _, v in pairs],
                        "items": [tuple(pair) for pair in pairs]}[func.attr]
            if isinstance(func, ast.Name) and func.id in ("list", "tuple", "sorted", "set") and len(node.args) == 1:
                return self.elements(node.args[0])
        if isinstance(node, ast.Subscript):  # TABLE[k]: the elements of any of its values
            return [element for _, value in self.pairs(node.value) for element in self.elements(value)]
        if isinstance(node, ast.Name):
            found: list[ast.expr | tuple] = []
            for binding in self._bindings(node):
                found += [element for value in self._binding_nodes(binding) for element in self.elements(value)]
            return found
        raise Unresolved(node)

    def pairs(self, node: ast.expr) -> list[tuple[ast.expr, ast.expr]]:
        """The (key, value) expressions of a dict built in the source."""
        if isinstance(node, ast.Dict):
            return [(k, v) for k, v in zip(node.keys, node.values, strict=True) if k is not None]
        if isinstance(node, ast.DictComp):
            return [(node.key, node.value)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.pairs(node.left) + self.pairs(node.right)
        if isinstance(node, ast.Name):
            return [pair for binding in self._bindings(node) for value in self._binding_nodes(binding)
                    for pair in self.pairs(value)]
        raise Unresolved(node)

    # -- names -------------------------------------------------------------------------------------------------

    def _bindings(self, name: ast.Name) -> list[tuple]:
        """Where `name` gets its value, in the nearest scope that binds it: ('value', expr), ('element', iterable,
        path) for a loop target, ('parameter', function, index)."""
        node: ast.AST = name
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
                found = [("element", g.iter, path) for g in node.generators
                         for path in self._paths(g.target, name.id)]
                if found:
                    return found
            if isinstance(node, ast.Lambda):
                if name.id in {a.arg for a in node.args.args}:
                    raise Unresolved(name)
            if isinstance(node, ast.FunctionDef | ast.Module):
                found = self._statement_bindings(node, name.id)
                if isinstance(node, ast.FunctionDef):
                    arguments = node.args.args
                    found += [("parameter", node, index) for index, a in enumerate(arguments) if a.arg == name.id]
                if found:
                    return found
        raise Unresolved(name)

    def _statement_bindings(self, scope: ast.FunctionDef | ast.Module, name: str) -> list[tuple]:
        found: list[tuple] = []
        for node in self._scope_nodes(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for path in self._paths(target, name):
                        found.append(("element", ast.Tuple(elts=[node.value]), (0, *path)) if path
                                     else ("value", node.value))
            elif isinstance(node, ast.AnnAssign) and node.value is not None and self._paths(node.target, name):
                found.append(("value", node.value))
            elif isinstance(node, ast.For):
                found += [("element", node.iter, path) for path in self._paths(node.target, name)]
        return found

    @staticmethod
    def _scope_nodes(scope: ast.AST):
        """The statements of a scope, not those of the functions and classes inside it."""
        stack = list(ast.iter_child_nodes(scope))
        while stack:
            node = stack.pop()
            yield node
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
                stack.extend(ast.iter_child_nodes(node))

    @classmethod
    def _paths(cls, target: ast.expr, name: str) -> list[tuple[int, ...]]:
        """Where `name` sits in an assignment target: () for `name`, (1,) for `a, name`, ..."""
        if isinstance(target, ast.Name):
            return [()] if target.id == name else []
        if isinstance(target, ast.Tuple | ast.List):
            return [(index, *path) for index, element in enumerate(target.elts)
                    for path in cls._paths(element, name)]
        return []

    def _binding_nodes(self, binding: tuple) -> list[ast.expr]:
        """The expressions a binding can take its value from."""
        kind = binding[0]
        if kind == "value":
            return [binding[1]]
        if kind == "element":
            _, iterable, path = binding
            picked = []
            for element in self.elements(iterable):
                for index in path:
                    if isinstance(element, ast.Tuple | ast.List):
                        element = element.elts[index]
                    elif isinstance(element, tuple):
                        element = element[index]
                    else:
                        raise Unresolved(iterable)
                picked.append(element)
            return picked
        _, function, index = binding
        return self._arguments(function, index)

    def _values_of_binding(self, binding: tuple) -> set[str]:
        return set().union(*(self.values(node) for node in self._binding_nodes(binding)))

    def _arguments(self, function: ast.FunctionDef, index: int) -> list[ast.expr]:
        """What every call of `function` passes for its parameter `index`, and the default where one leaves it."""
        parameter = function.args.args[index].arg
        is_method = isinstance(self.parent.get(function), ast.ClassDef)
        position = index - 1 if is_method else index
        defaults = dict(zip([a.arg for a in function.args.args][-len(function.args.defaults):],
                            function.args.defaults, strict=True)) if function.args.defaults else {}
        module = self.module_of[function]
        stem = module.rsplit("/", 1)[-1].removesuffix(".py")
        passed: list[ast.expr] = []
        for call in (n for tree in self.trees.values() for n in ast.walk(tree) if isinstance(n, ast.Call)):
            func = call.func
            same_module = isinstance(func, ast.Name) and func.id == function.name and self.module_of[call] == module
            qualified = (isinstance(func, ast.Attribute) and func.attr == function.name
                         and (is_method or (isinstance(func.value, ast.Name) and func.value.id == stem)))
            if not (same_module or qualified):
                continue
            keyword = next((k.value for k in call.keywords if k.arg == parameter), None)
            if keyword is not None:
                passed.append(keyword)
            elif position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
                passed.append(call.args[position])
            elif parameter in defaults:
                passed.append(defaults[parameter])
            else:
                raise Unresolved(call)
        return passed

    def _enclosing_function(self, node: ast.AST) -> ast.AST | None:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.FunctionDef | ast.Lambda):
                return node
        return None


def dashboard_sources() -> dict[str, str]:
    return {str(path.relative_to(DASHBOARD)): path.read_text(encoding="utf-8")
            for path in sorted(DASHBOARD.rglob("*.py"))}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def table_problems(table: dict[str, tuple[str, str]]) -> list[str]:
    """A key whose Thai or English is empty, whose English holds Thai, or whose two texts fill different values."""
    problems = []
    for key, (thai, english) in table.items():
        if not thai.strip() or not english.strip():
            problems.append(f"{key}: Thai and English must both be given")
        if THAI.search(english):
            problems.append(f"{key}: the English text holds Thai characters")
        if placeholders(thai) != placeholders(english):
            problems.append(f"{key}: Thai fills {sorted(placeholders(thai))}, English {sorted(placeholders(english))}")
    return problems


THAI = re.compile(r"[\u0e00-\u0e7f]")


def check(sources: dict[str, str], table: dict[str, tuple[str, str]],
          dynamic_keys: dict[str, tuple[str, ...]]) -> list[str]:
    """Every way the code and the table disagree, one line each; empty when they are in step."""
    report = KeyScanner(sources, dynamic_keys).report()
    problems = list(report.problems)
    problems += [f"{', '.join(where)}: key '{key}' is not in the table"
                 for key, where in sorted(report.used.items()) if key not in table]
    problems += [f"key '{key}' is in the table but no code uses it" for key in sorted(table.keys() - report.used)]
    problems += [f"DYNAMIC_KEYS pattern '{pattern}' is used by no code"
                 for pattern in sorted(dynamic_keys.keys() - report.patterns_used)]
    return problems + table_problems(table)


# -- the product -----------------------------------------------------------------------------------------------

def test_every_key_the_dashboard_uses_is_in_the_table_and_every_key_in_the_table_is_used():
    assert check(dashboard_sources(), i18n.TEXT, i18n.DYNAMIC_KEYS) == []


ROUTES = '''
from dashboard import i18n

SHORT = {"actual": "actual_short"}
DECIMALS = {"score": 4}
PAGES = {"admin": (("admin_users", "icon"),)}

def header(title, scope_key="includes_below"):
    return i18n.t(scope_key, "th")

def export(frame, columns):
    return {name: i18n.t(key, "th") for name, key in columns.items()}

class Filters:
    def t(self, key, **values):
        return i18n.t(key, "th", **values)

header("x", scope_key="own_score_caption")
header("y")
columns = {"kpi_code": "kpi_code"}
named = {("status_name" if c == "status" else c): k for c, k in {"status": "status"}.items()}
export(None, columns | named)
export(None, {"weight_share_pct": "weight_pct"} | named)
for k in DECIMALS:
    i18n.t(k, "en")
for k in SHORT.keys():
    i18n.t(SHORT[k], "en") + i18n.t(SHORT.get(k, k), "en")
for column, key, colour in (("w", "weight_share", "#1"), ("r", "reported_share", "#2")):
    i18n.t(key, "en")
for kind, section in (("upload", "section_submit"),):
    i18n.t(section, "th")
pages = [i18n.t(f"page_{stem}", "th") for stem, icon in PAGES["admin"]]
for gap in ("a", "b"):
    key = "gap_none" if gap == "a" else "gap_small"
    Filters().t(key, category=1)
headers = [i18n.t(f"col_{name}", "th") for name in ["sha256", "row_count"]]
'''


def test_the_scan_follows_keys_through_tables_loops_and_parameters():
    """Each way the dashboard passes a key today, on a small source: a scanner that lost one would miss keys."""
    report = KeyScanner({"ui.py": ROUTES}, {}).report()
    assert report.problems == []
    assert set(report.used) == {
        "includes_below", "own_score_caption",  # a parameter: its default and a keyword argument
        "kpi_code", "status", "weight_pct",  # the values of column maps passed to a parameter, merged with |
        "score",  # a loop over a dict's keys
        "actual_short", "actual",  # SHORT[k] and SHORT.get(k, k)
        "weight_share", "reported_share", "section_submit",  # loops over literal tuples, unpacked
        "page_admin_users",  # an f-string over a dict of tuples of tuples
        "gap_none", "gap_small",  # a variable set by a conditional, through the Filters.t wrapper
        "col_sha256", "col_row_count",  # an f-string over a literal list
    }


# -- the checker on small sources: it fails where it must --------------------------------------------------------

TABLE = {"title": ("ชื่อ", "Title"), "col_a": ("ก", "A"), "col_b": ("ข", "B"), "state_x": ("เอ็กซ์", "X"),
         "greet": ("สวัสดี {name}", "Hello {name}")}
CLEAN = '''
from dashboard import i18n
from dashboard.i18n import t

COLUMNS = {"a": "col_a"}

def header(title_key="title"):
    return t(title_key, "th")

def cells(state):
    return [i18n.t(COLUMNS[name], "en") for name in COLUMNS] + [t(f"col_{n}", "th") for n in ("b",)]

header()
t(f"state_{state}", "th")
t("greet", "th", name="x")
'''


def test_the_checker_passes_code_and_table_in_step():
    assert check({"page.py": CLEAN}, TABLE, {"state_{}": ("x",)}) == []


@pytest.mark.parametrize(("source", "dynamic", "table", "expected"), [
    (CLEAN + 't("missing", "th")\n', {"state_{}": ("x",)}, TABLE,
     "page.py:16: key 'missing' is not in the table"),
    (CLEAN, {"state_{}": ("x",)}, TABLE | {"spare": ("สำรอง", "Spare")},
     "key 'spare' is in the table but no code uses it"),
    (CLEAN, {}, TABLE, "page.py:14: key built at run time as 'state_{}': list the pattern"),
    (CLEAN, {"state_{}": ("x", "y")}, TABLE, "page.py:14: key 'state_y' is not in the table"),
    (CLEAN, {"state_{}": ("x",), "kind_{}": ("z",)}, TABLE, "DYNAMIC_KEYS pattern 'kind_{}' is used by no code"),
    (CLEAN + "def show(key):\n    return t(key, 'th')\nshow(pick())\n", {"state_{}": ("x",)}, TABLE,
     "page.py:17: cannot tell which key `key` is"),
    (CLEAN, {"state_{}": ("x",)}, TABLE | {"greet": ("สวัสดี {name}", "Hello")},
     "greet: Thai fills ['name'], English []"),
    (CLEAN, {"state_{}": ("x",)}, TABLE | {"title": ("ชื่อ", "")}, "title: Thai and English must both be given"),
])
def test_the_checker_fails_when_code_and_table_disagree(source, dynamic, table, expected):
    problems = check({"page.py": source}, table, dynamic)
    assert any(problem.startswith(expected) for problem in problems), problems
