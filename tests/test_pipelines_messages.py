"""Problem texts and other messages in `pipelines` are written in place, Thai and English side by side; they stay
there (a check reads best beside the rule it reports), with the check the dashboard's string table has.

Read from the syntax trees of pipelines/*.py:
- a message pair is what a call passes for a `<name>_th` / `<name>_en` pair of parameters of a pipelines function
  or class (Problem, ProblemCollector.add and whole_file, Warning_, QueryError, DateTextError, UnreadableFile,
  read_table, ...), a two-text tuple `(Thai, English)` assigned or returned, or an entry of a table of them (a
  module-level dict whose values are `(Thai, English, ...)`, such as audit.ACTIONS or sqlconsole._REFUSALS);
- each pair has a Thai text with Thai in it and an English text with none, both non-empty, and the same
  `{placeholders}`; the text of a caught exception (a library's English words) may stand in the English alone;
- each table's keys are named somewhere in the code (no unused entry), except the tables keyed by values that
  come from data and not from the code, listed in DATA_KEYED_TABLES with the reason.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
THAI = re.compile(r"[\u0e00-\u0e7f]")
LATIN = re.compile(r"[A-Za-z]")

DATA_KEYED_TABLES = {
    "domain.DIMENSIONS": "dimension codes come from the catalogue files",
    "domain.PMQA_CATEGORIES": "PMQA category numbers come from the catalogue files",
    "domain.PMQA_GROUPS": "groups are named by PMQA_CATEGORIES' third field",
    "domain.STATUSES": "statuses are computed by scoring.status_of from scores",
    "domain.ORG_LEVELS": "org levels come from the org unit files",
    "domain.THRUSTS": "policy thrusts come from the strategy files",
    "domain.PLAN_LEVELS": "plan item levels come from the strategy files",
    "periods.TIMELINESS": "timeliness codes are computed in SQL (views.sql) and read back",
    "approval.APPROVAL_STATUSES": "approval states are computed in SQL (views.sql: submissions) and read back",
    "sqlconsole._REFUSALS": "keys are the statement types DuckDB's parser reports",
}
"""Tables whose keys the code never spells (they arrive in data), so 'unused' cannot be judged from the source."""

ENGLISH_ONLY = {
    ("sqlconsole.py", "error_from_duckdb"): "DuckDB's own error message, shown as DuckDB wrote it (no Thai exists)",
}
"""(file, function) where a message may have no Thai at all, with the reason."""


@dataclass(frozen=True)
class Pair:
    where: str  # file:line
    function: str  # the enclosing function, '' at module level
    thai: ast.expr | None
    english: ast.expr | None
    caught: frozenset[str] = frozenset()  # names of exceptions caught around it or passed to its function


def is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def literal_text(node: ast.expr) -> str:
    """The words of a text, its placeholders left out."""
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(v.value for v in node.values if isinstance(v, ast.Constant))


def fields(node: ast.expr) -> set[str]:
    """The values a text fills in: every name or attribute an f-string's fields read ({'rows', 'state.quarter'}),
    or a plain template's `{name}`s. A language's own variant counts as the same value: `where_th` and `where_en`
    are `where_LANG`, `th` and `en` are `LANG`."""
    if isinstance(node, ast.JoinedStr):
        found = set()
        for value in (v.value for v in node.values if isinstance(v, ast.FormattedValue)):
            found |= {language_neutral(reference) for reference in references(value)}
        return found
    return {language_neutral(name) for name in re.findall(r"\{(\w+)[^{}]*\}", node.value)}


def references(node: ast.expr) -> set[str]:
    """The names and attribute chains an expression reads: `f(a.b, c)` -> {'f', 'a.b', 'c'}."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        inner = references(node.value)
        return {f"{inner.pop()}.{node.attr}"} if isinstance(node.value, ast.Name | ast.Attribute) else inner
    return set().union(set(), *(references(child) for child in ast.iter_child_nodes(node)))


def language_neutral(reference: str) -> str:
    parts = []
    for part in reference.split("."):
        if part in ("th", "en"):
            part = "LANG"
        elif part.endswith(("_th", "_en")):
            part = part[:-3] + "_LANG"
        parts.append(part)
    return ".".join(parts)


class MessageScanner:
    def __init__(self, sources: dict[str, str]) -> None:
        self.trees = {name: ast.parse(text, filename=name) for name, text in sources.items()}
        self.parent: dict[ast.AST, ast.AST] = {}
        for tree in self.trees.values():
            for node in ast.walk(tree):
                for child in ast.iter_child_nodes(node):
                    self.parent[child] = node
        self.signatures = self._message_signatures()

    # -- who takes a message pair ------------------------------------------------------------------------------

    def _message_signatures(self) -> dict[str, list[str]]:
        """Callable name -> its parameters (without self), for every pipelines function or class with a
        `<x>_th` and `<x>_en` parameter; a class without its own __init__ takes its base's or its dataclass
        fields."""
        found: dict[str, list[str]] = {}
        classes: dict[str, ast.ClassDef] = {}
        for tree in self.trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and node.name != "__init__":
                    found[node.name] = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
                elif isinstance(node, ast.ClassDef):
                    classes[node.name] = node
        for name in classes:
            parameters = self._class_parameters(name, classes)
            if parameters is not None:
                found[name] = parameters
        return {name: parameters for name, parameters in found.items() if self._pairs_of(parameters)}

    def _class_parameters(self, name: str, classes: dict[str, ast.ClassDef]) -> list[str] | None:
        node = classes[name]
        init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        if init is not None:
            return [a.arg for a in init.args.args[1:]]
        if any(isinstance(d, ast.Name | ast.Call) and "dataclass" in ast.unparse(d) for d in node.decorator_list):
            return [n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in classes:
                return self._class_parameters(base.id, classes)
        return None

    @staticmethod
    def _pairs_of(parameters: list[str]) -> list[tuple[str, str]]:
        return [(p, p[:-3] + "_en") for p in parameters if p.endswith("_th") and p[:-3] + "_en" in parameters]

    # -- the pairs -----------------------------------------------------------------------------------------------

    def pairs(self) -> list[Pair]:
        found: list[Pair] = []
        for module, tree in self.trees.items():
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    found += self._call_pairs(module, node)
                elif isinstance(node, ast.Tuple) and self._is_text_pair(node):
                    found.append(self._pair(module, node, node.elts[0], node.elts[1]))
        return found

    def _call_pairs(self, module: str, call: ast.Call) -> list[Pair]:
        func = call.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in self.signatures or any(isinstance(a, ast.Starred) for a in call.args):
            return []
        parameters = self.signatures[name]
        passed = dict(zip(parameters, call.args, strict=False)) | {k.arg: k.value for k in call.keywords if k.arg}
        if not set(passed) & {p for pair in self._pairs_of(parameters) for p in pair}:
            return []  # another callable of the same name (set.add), or every text left to its default
        pairs = []
        for thai, english in self._pairs_of(parameters):
            if is_text(passed.get(thai)) or is_text(passed.get(english)):
                pairs.append(self._pair(module, call, passed.get(thai), passed.get(english)))
        return pairs

    @staticmethod
    def _is_text_pair(node: ast.Tuple) -> bool:
        """`(Thai, English)` or `(Thai, English, colour)`: a first text with Thai, a second text."""
        elements = node.elts
        return (len(elements) >= 2 and is_text(elements[0]) and is_text(elements[1])
                and bool(THAI.search(literal_text(elements[0]))) and not THAI.search(literal_text(elements[1]))
                and not any(is_text(e) and THAI.search(literal_text(e)) for e in elements[2:]))

    def _pair(self, module: str, node: ast.AST, thai: ast.expr | None, english: ast.expr | None) -> Pair:
        function, caught = "", set()
        current = node
        while current in self.parent:
            current = self.parent[current]
            if isinstance(current, ast.ExceptHandler) and current.name:
                caught.add(current.name)
            if isinstance(current, ast.FunctionDef) and not function:
                function = current.name
                caught |= {a.arg for a in current.args.args
                           if a.annotation is not None and ast.unparse(a.annotation) in ("Exception", "BaseException")}
        return Pair(f"{module}:{node.lineno}", function, thai, english, frozenset(caught))

    # -- the tables ----------------------------------------------------------------------------------------------

    def tables(self) -> dict[str, ast.Dict]:
        """'module.NAME' -> every module-level dict whose values are all (Thai, English, ...) tuples."""
        found = {}
        for module, tree in self.trees.items():
            for node in tree.body:
                if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    values = node.value.values
                    if (isinstance(target, ast.Name) and values
                            and all(isinstance(v, ast.Tuple) and self._is_text_pair(v) for v in values)):
                        found[f"{module.removesuffix('.py')}.{target.id}"] = node.value
        return found


def pair_problems(pairs: list[Pair]) -> list[str]:
    problems = []
    for pair in pairs:
        where = f"{pair.where}:"
        english_only = any(pair.where.startswith(f"{file}:") and pair.function == function
                           for file, function in ENGLISH_ONLY)
        if english_only and not (is_text(pair.thai) and literal_text(pair.thai).strip()):
            continue
        if not is_text(pair.english) or not literal_text(pair.english).strip() and not fields(pair.english):
            problems.append(f"{where} no English text")
            continue
        if not LATIN.search(literal_text(pair.english)):
            problems.append(f"{where} the English text has no English words: {ast.unparse(pair.english)}")
        if not is_text(pair.thai) or not THAI.search(literal_text(pair.thai)):
            problems.append(f"{where} no Thai text beside {ast.unparse(pair.english)}")
            continue
        thai, english = fields(pair.thai), fields(pair.english)
        library = {name for name in english - thai if name.split(".")[0] in pair.caught}
        if thai != english - library:
            problems.append(f"{where} Thai fills {sorted(thai)}, English {sorted(english)}")
    return problems


def unused_table_entries(scanner: MessageScanner, extra_sources: dict[str, str]) -> list[str]:
    """Keys of a table the code names nowhere else as a literal (pipelines and dashboard)."""
    named: set[object] = set()
    trees = list(scanner.trees.values()) + [ast.parse(text) for text in extra_sources.values()]
    tables = scanner.tables()
    inside = {id(node) for table in tables.values() for key in table.keys if key is not None
              for node in ast.walk(key)}
    for tree in trees:
        named |= {node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and id(node) not in inside}
    problems = []
    for name, table in sorted(tables.items()):
        if name in DATA_KEYED_TABLES:
            continue
        for key in table.keys:
            if isinstance(key, ast.Constant) and key.value not in named:
                problems.append(f"{name}: entry {key.value!r} is used by no code")
    return problems


def sources(folder: str) -> dict[str, str]:
    base = ROOT / folder
    return {str(p.relative_to(base)): p.read_text(encoding="utf-8") for p in sorted(base.rglob("*.py"))}


# -- the product -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scanner() -> MessageScanner:
    return MessageScanner(sources("pipelines"))


def test_every_pipelines_message_has_thai_and_english_with_the_same_placeholders(scanner):
    assert pair_problems(scanner.pairs()) == []


def test_every_message_table_entry_is_used(scanner):
    assert unused_table_entries(scanner, sources("dashboard")) == []


def test_the_scan_finds_the_messages_of_each_kind(scanner):
    """The ways messages are written today are all seen, so a scan that missed one would not pass unnoticed."""
    assert {"Problem", "add", "whole_file", "Warning_", "QueryError", "DateTextError", "UnreadableFile",
            "repeated"} <= scanner.signatures.keys()
    kinds = {pair.where.split(":")[0] for pair in scanner.pairs()}
    assert {"readers.py", "validate.py", "catalogue.py", "orgs.py", "sqlconsole.py", "calendar.py", "auth.py",
            "periods.py"} <= kinds
    tables = scanner.tables().keys()
    assert {"audit.ACTIONS", "roles.ROLES", "sqlconsole._REFUSALS", "validate.CONTEXT_FIELDS"} <= tables
    assert DATA_KEYED_TABLES.keys() <= scanner.tables().keys()


# -- the checker on small sources: it fails where it must --------------------------------------------------------

SAMPLE = '''
from dataclasses import dataclass

@dataclass
class Problem:
    column: str
    reason_th: str
    reason_en: str

ACTIONS = {"login": ("เข้าสู่ระบบ", "Log in")}

def check(rows, limit):
    record("login")
    return [Problem("a", f"เกิน {limit} แถว", f"over {limit} rows")]

def read(data):
    try:
        parse(data)
    except ValueError as error:
        return Problem("file", "ไฟล์เสียหาย", f"damaged file: {error}")
'''


def problems_in(source: str) -> list[str]:
    scanner = MessageScanner({"sample.py": source})
    return pair_problems(scanner.pairs()) + unused_table_entries(scanner, {})


def test_the_checker_passes_messages_in_both_languages():
    assert problems_in(SAMPLE) == []


@pytest.mark.parametrize(("change", "expected"), [
    (('f"over {limit} rows"', 'f"over the limit"'), "sample.py:14: Thai fills ['limit'], English []"),
    (('f"เกิน {limit} แถว"', '""'), "sample.py:14: no Thai text"),
    (('f"over {limit} rows"', '""'), "sample.py:14: no English text"),
    (('f"over {limit} rows"', 'f"เกิน {limit} แถว"'), "sample.py:14: the English text has no English words"),
    (('"Log in")}', '"Log in"), "logout": ("ออกจากระบบ", "Log out")}'), "sample.ACTIONS: entry 'logout' is used"),
    (('f"damaged file: {error}"', 'f"damaged file: {data}"'), "sample.py:20: Thai fills [], English ['data']"),
])
def test_the_checker_fails_a_message_missing_a_language_or_a_value(change, expected):
    old, new = change
    assert SAMPLE.count(old) == 1
    problems = problems_in(SAMPLE.replace(old, new))
    assert any(problem.startswith(expected) for problem in problems), problems
