"""Every message a service or the workflow refuses with is a msgid the English catalog translates.

A refusal (``core.errors.ServiceError`` and its subclasses) keeps a msgid and its parameters and
translates when it is read; permissions' ``Verdict`` carries the refusal an action gets, and the
workflow's ``IllegalTransition`` reads as ``workflow.STATE_REFUSAL``. The collector below reads
the code (its AST, nothing is imported) and finds, for each such call, the message it is given,
following a name to the constant it names (in the same module, or the module it is imported
from), a function to what it returns, a conditional to both branches, a lookup to every value of
the table. A message it cannot follow to literal msgids (an f-string, a concatenation, a value
from elsewhere) fails the test, naming the site, and so does a msgid with no English.

Not covered, on purpose: the workflow's ``ChainError`` (a chain set up wrongly by the deployment;
the error page shows no exception text), the attachment reader's ``Unreadable`` (its reason is
stored with the screening finding, as data), and the errors of the commands (backups, anchors,
mail settings), which speak to the operator in the terminal."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "approval"
CATALOG = PACKAGE / "translations" / "en" / "LC_MESSAGES" / "messages.po"

ERRORS_MODULE = "approval.core.errors"
ERROR_CLASSES = {"ServiceError", "NotFound", "PermissionDenied", "Conflict", "InvalidInput"}
# other carriers of a refusal: module → class → the name of its message argument
CARRIERS = {"approval.permissions": {"Verdict": "refusal"}}
# fixed messages: the workflow's IllegalTransition reads as this constant (its ``message``)
FIXED = {("approval.core.workflow", "IllegalTransition"): "STATE_REFUSAL"}
# calls that take a msgid first and return it (marked) or its translation
WRAPPERS = {"N_", "_", "_l", "gettext", "lazy_gettext", "translate"}
# a message that is another carrier's: the site → the carrier whose messages it passes on
PASSED_ON = {("approval.publication.transitions", "verdict.refusal"): "Verdict"}
# what scripts/i18n.sh extracts with (tests/test_app_setup.py checks every one is translated)
KEYWORDS = {
    "_": None,
    "_l": None,
    "N_": None,
    "NP_": ((1, "c"), 2),
    "gettext": None,
    "lazy_gettext": None,
    "ServiceError": None,
    "NotFound": None,
    "PermissionDenied": None,
    "Conflict": None,
    "InvalidInput": None,
}


# ---------------------------------------------------------------- the collector


class Unresolved(Exception):
    """The message is not (only) literal msgids; the text says what it is."""


@dataclass
class Module:
    name: str
    path: str
    tree: ast.Module
    constants: dict[str, ast.expr] = field(default_factory=dict)  # NAME = value
    functions: dict[str, ast.AST] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    imported: dict[str, tuple[str, str | None]] = field(
        default_factory=dict
    )  # alias → (module, name)

    @classmethod
    def parse(cls, name: str, path: str, source: str) -> Module:
        module = cls(name, path, ast.parse(source, path))
        for node in module.tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        module.constants[target.id] = node.value
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                module.constants[node.target.id] = node.value
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                module.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                module.classes[node.name] = node
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    module.imported[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.imported[alias.asname] = (alias.name, None)
        return module


def load_package(extra: dict[str, str] | None = None) -> dict[str, Module]:
    """Every module under approval/ (and ``extra``: module name → source, as if it were there)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        modules[name] = Module.parse(name, str(relative), path.read_text(encoding="utf-8"))
    for name, source in (extra or {}).items():
        modules[name] = Module.parse(name, name.replace(".", "/") + ".py", source)
    return modules


@dataclass
class Site:
    where: str  # path:line
    carrier: str  # the class called
    msgids: list[str]


class Collector:
    def __init__(self, modules: dict[str, Module]):
        self.modules = modules
        self.carriers = self._carriers()
        self.sites: list[Site] = []
        self.problems: list[str] = []
        self.passed_on_used: set[tuple[str, str]] = set()

    # -- which calls carry a message

    def _carriers(self) -> dict[tuple[str, str], str]:
        """(module, class) → the keyword of its message argument, for the error classes, their
        subclasses anywhere in the package, and CARRIERS."""
        found = {(ERRORS_MODULE, name): "message" for name in ERROR_CLASSES}
        for module, classes in CARRIERS.items():
            found.update({(module, name): keyword for name, keyword in classes.items()})
        grown = True
        while grown:
            grown = False
            for module in self.modules.values():
                for name, node in module.classes.items():
                    if (module.name, name) in found:
                        continue
                    for base in node.bases:
                        origin = self._class_of(module, base)
                        if origin in found:
                            found[(module.name, name)] = found[origin]
                            grown = True
                            break
        return found

    def _class_of(self, module: Module, node: ast.expr) -> tuple[str, str] | None:
        """The (module, class) a name in ``module`` stands for, following imports."""
        if isinstance(node, ast.Name):
            if node.id in module.classes:
                return module.name, node.id
            if node.id in module.imported:
                source, name = module.imported[node.id]
                if name is not None:
                    return self._defined(source, name)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = self._module_alias(module, node.value.id)
            if target is not None:
                return self._defined(target, node.attr)
        return None

    def _defined(self, module_name: str, name: str, depth: int = 0) -> tuple[str, str] | None:
        """Where ``name`` of ``module_name`` is defined (re-exports followed)."""
        module = self.modules.get(module_name)
        if module is None or depth > 10:
            return (module_name, name) if module is None else None
        if name in module.classes or name in module.functions or name in module.constants:
            return module_name, name
        if name in module.imported:
            source, original = module.imported[name]
            if original is not None:
                return self._defined(source, original, depth + 1)
        return None

    def _module_alias(self, module: Module, alias: str) -> str | None:
        if alias not in module.imported:
            return None
        source, name = module.imported[alias]
        full = source if name is None else f"{source}.{name}"
        return full if full in self.modules else None

    # -- walking

    def run(self) -> Collector:
        for module in self.modules.values():
            self._walk(module, module.tree, [])
        return self

    def _walk(self, module: Module, node: ast.AST, scopes: list) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                self._walk(module, child, [*scopes, child])
                continue
            if isinstance(child, ast.Call):
                self._call(module, child, scopes)
            self._walk(module, child, scopes)

    def _call(self, module: Module, call: ast.Call, scopes: list) -> None:
        callees = (
            [call.func.body, call.func.orelse] if isinstance(call.func, ast.IfExp) else [call.func]
        )
        carriers = {self._class_of(module, c) for c in callees} & set(self.carriers)
        if not carriers:
            return
        origin = sorted(carriers)[0]
        keyword = self.carriers[origin]
        where = f"{module.path}:{call.lineno}"
        message = (
            call.args[0]
            if call.args
            else next((k.value for k in call.keywords if k.arg == keyword), None)
        )
        if message is None:
            self.problems.append(f"{where}: {origin[1]}() without a message")
            return
        if isinstance(message, ast.Constant) and message.value is None and origin[1] == "Verdict":
            return  # allowed: no refusal
        passed_on = (module.name, ast.unparse(message))
        if passed_on in PASSED_ON:
            self.passed_on_used.add(passed_on)
            return  # that carrier's own sites are collected and checked
        try:
            msgids = self.resolve(module, message, scopes, set())
        except Unresolved as why:
            self.problems.append(f"{where}: {origin[1]}({ast.unparse(message)}): {why}")
            return
        if not msgids:
            self.problems.append(f"{where}: {origin[1]}({ast.unparse(message)}): no message")
            return
        self.sites.append(Site(where, origin[1], msgids))

    # -- resolving a message to its msgids

    def resolve(self, module: Module, node: ast.expr, scopes: list, seen: set) -> list[str]:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return [node.value]
            raise Unresolved(f"not a string: {node.value!r}")
        if isinstance(node, ast.JoinedStr):
            raise Unresolved("an f-string: write a msgid with %(name)s and pass the values")
        if isinstance(node, ast.BinOp):
            raise Unresolved("built with an operator (+ or %): pass the values as parameters")
        if isinstance(node, ast.IfExp):
            return self.resolve(module, node.body, scopes, seen) + self.resolve(
                module, node.orelse, scopes, seen
            )
        if isinstance(node, ast.Subscript):
            return [
                m
                for element in self._elements(module, node.value, scopes, seen)
                for m in self.resolve(*element, seen)
            ]
        if isinstance(node, ast.NamedExpr):
            return self.resolve(module, node.value, scopes, seen)
        if isinstance(node, ast.Call):
            return self._resolve_call(module, node, scopes, seen)
        if isinstance(node, ast.Name | ast.Attribute):
            return self.resolve(*self._binding(module, node, scopes), seen)
        raise Unresolved(f"cannot follow {type(node).__name__}")

    def _resolve_call(self, module: Module, call: ast.Call, scopes: list, seen: set) -> list[str]:
        name = call.func.id if isinstance(call.func, ast.Name) else None
        if name in WRAPPERS:
            if not call.args:
                raise Unresolved(f"{name}() without a msgid")
            return self.resolve(module, call.args[0], scopes, seen)
        target = self._function(module, call.func, scopes)
        key = (target[0].name, target[1].name)
        if key in seen:
            return []
        seen = seen | {key}
        owner, function = target
        returns = [
            n.value
            for n in _own_nodes(function)
            if isinstance(n, ast.Return)
            and n.value
            and not (isinstance(n.value, ast.Constant) and n.value.value is None)
        ]
        if not returns:  # (a function's "return None": no message, its caller checks for one)
            raise Unresolved(f"{function.name}() returns no message")
        return [m for value in returns for m in self.resolve(owner, value, [function], seen)]

    def _function(self, module: Module, func: ast.expr, scopes: list):
        if isinstance(func, ast.Name):
            if func.id in module.functions:
                return module, module.functions[func.id]
            if func.id in module.imported and module.imported[func.id][1] is not None:
                found = self._defined(*module.imported[func.id])
                if (
                    found
                    and found[0] in self.modules
                    and found[1] in self.modules[found[0]].functions
                ):
                    owner = self.modules[found[0]]
                    return owner, owner.functions[found[1]]
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            target = self._module_alias(module, func.value.id)
            if target is not None and func.attr in self.modules[target].functions:
                return self.modules[target], self.modules[target].functions[func.attr]
        raise Unresolved(f"a call to {ast.unparse(func)}(), which is not a function of the app")

    def _binding(self, module: Module, node: ast.expr, scopes: list):
        """(module, the expression a name or module attribute is bound to, its scopes)."""
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and not _is_local(node.value.id, scopes):
                target = self._module_alias(module, node.value.id)
                if target is not None:
                    return self._module_constant(self.modules[target], node.attr)
            raise Unresolved(f"{ast.unparse(node)} is a value made elsewhere")
        for scope in reversed(scopes):
            if node.id in _parameters(scope):
                raise Unresolved(f"{node.id} is a parameter of {getattr(scope, 'name', 'lambda')}")
            values = _assignments(scope, node.id)
            if values:  # several bindings: every one must resolve
                return module, values[0] if len(values) == 1 else _choice(values), scopes
        return self._module_constant(module, node.id)

    def _module_constant(self, module: Module, name: str, depth: int = 0):
        if name in module.constants:
            return module, module.constants[name], []
        if name in module.imported and depth < 10:
            source, original = module.imported[name]
            if original is not None and source in self.modules:
                return self._module_constant(self.modules[source], original, depth + 1)
        raise Unresolved(f"{name} is not a constant of {module.name}")

    def _elements(self, module: Module, node: ast.expr, scopes: list, seen: set):
        """The values of the table a lookup reads, each with its module and scopes."""
        if isinstance(node, ast.Name | ast.Attribute):
            module, node, scopes = self._binding(module, node, scopes)
        if isinstance(node, ast.Dict):
            return [(module, v, scopes) for v in node.values]
        if isinstance(node, ast.Tuple | ast.List):
            return [(module, v, scopes) for v in node.elts]
        raise Unresolved(f"a lookup in {ast.unparse(node)}, which is not a table of msgids")

    def fixed(self) -> list[Site]:
        """The fixed messages of FIXED, as sites."""
        sites = []
        for (module_name, cls), constant in FIXED.items():
            module = self.modules[module_name]
            assert cls in module.classes, (module_name, cls)
            owner, value, scopes = self._module_constant(module, constant)
            sites.append(
                Site(
                    f"{module.path}:{module.classes[cls].lineno}",
                    cls,
                    self.resolve(owner, value, scopes, set()),
                )
            )
        return sites


def _choice(values: list[ast.expr]) -> ast.expr:
    """One expression standing for any of ``values`` (resolved as a table)."""
    return ast.Subscript(ast.Tuple(values), ast.Constant(0))


def _own_nodes(scope: ast.AST):
    """The nodes of a function, not those of the functions (or lambdas) defined inside it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))


def _parameters(scope: ast.AST) -> set[str]:
    args = scope.args
    return {
        a.arg
        for a in [
            *args.posonlyargs,
            *args.args,
            *args.kwonlyargs,
            *filter(None, [args.vararg, args.kwarg]),
        ]
    }


def _assignments(scope: ast.AST, name: str) -> list[ast.expr]:
    """What ``name`` is bound to in ``scope``; Unresolved for a binding that is not one value."""
    values = []
    for node in _own_nodes(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    values.append(node.value)
                elif any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                    raise Unresolved(f"{name} is unpacked from {ast.unparse(node.value)}")
        elif (
            isinstance(node, ast.AnnAssign | ast.NamedExpr)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and node.value is not None
        ):
            values.append(node.value)
        elif (
            isinstance(node, ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            raise Unresolved(f"{name} is added to")
        elif isinstance(node, ast.For | ast.comprehension | ast.With | ast.ExceptHandler):
            targets = (
                getattr(node, "target", None),
                getattr(node, "name", None),
                *[i.optional_vars for i in getattr(node, "items", [])],
            )
            for target in targets:
                if target == name or (
                    isinstance(target, ast.AST)
                    and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))
                ):
                    raise Unresolved(f"{name} is a loop, with or except variable")
    return values


def _is_local(name: str, scopes: list) -> bool:
    return any(name in _parameters(s) or _assignments(s, name) for s in scopes)


def collect(extra: dict[str, str] | None = None) -> Collector:
    return Collector(load_package(extra)).run()


def read_catalog():
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as po:
        return read_po(po)


def untranslated(sites: list[Site], catalog) -> list[str]:
    missing = []
    for site in sites:
        for msgid in site.msgids:
            entry = catalog.get(msgid)
            if entry is None or not entry.string or entry.fuzzy:
                missing.append(f"{site.where}: {site.carrier}({msgid!r}) has no English")
    return missing


# ---------------------------------------------------------------- the package


@pytest.fixture(scope="module")
def collected() -> Collector:
    return collect()


def test_every_refusal_is_a_literal_msgid(collected):
    assert collected.problems == []
    assert collected.passed_on_used == set(PASSED_ON)  # no stale exception
    carriers = {s.carrier for s in collected.sites}
    assert {
        "NotFound",
        "PermissionDenied",
        "Conflict",
        "InvalidInput",
        "CodeTaken",
        "Verdict",
    } <= carriers
    assert len(collected.sites) > 100


def test_every_refusal_has_an_english_translation(collected):
    assert untranslated([*collected.sites, *collected.fixed()], read_catalog()) == []


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    """What scripts/i18n.sh extracts from the code (its keywords, checked here too)."""
    from babel.messages.extract import extract_from_dir

    script = (ROOT / "scripts" / "i18n.sh").read_text(encoding="utf-8")
    for keyword in ERROR_CLASSES:
        assert f"-k {keyword}" in script, keyword
    return {
        m[2]
        for m in extract_from_dir(str(ROOT), [("approval/**.py", "python")], keywords=KEYWORDS)
        if isinstance(m[2], str)
    }


def test_every_refusal_is_extracted_for_the_catalog(collected, extracted):
    """scripts/i18n.sh keeps only what it extracts: each msgid must be marked where it is
    written (a literal at the raise site, or N_ on the constant), or an update drops it."""
    lost = sorted(
        {
            (s.where, m)
            for s in [*collected.sites, *collected.fixed()]
            for m in s.msgids
            if m not in extracted
        }
    )
    assert lost == []


def test_every_marked_piece_is_extracted(collected, extracted):
    """A piece of a message (a list's separator, "someone else") is marked with N_ and
    translated where it is made; pybabel misses a mark nested in the arguments of a call it
    extracts (a refusal's parameters): such a piece is made before the call."""
    lost = []
    for module in collected.modules.values():
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in WRAPPERS - {"translate"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in extracted
            ):
                lost.append(f"{module.path}:{node.lineno}: {node.args[0].value}")
    assert lost == []


def test_labels_of_roles_states_actions_and_steps_have_english():
    from approval.core import roles, vocab, workflow

    catalog = read_catalog()
    labels = [
        (label, None)
        for table in (
            vocab.INFO_TYPES,
            vocab.DISCLOSURE_MODES,
            vocab.NON_DISCLOSURE_BASES,
            vocab.CHANNELS,
            vocab.VALIDITY,
            vocab.ACTION_LABELS,
            vocab.SECRECY_QUESTIONS,
            vocab.FINDING_KINDS,
            vocab.SEVERITY_LABELS,
            vocab.FIELD_LABELS,
            vocab.ATTRIBUTE_LABELS,
        )
        for label in table.values()
    ]
    labels += [(label, "state") for label in vocab.STATE_LABELS.values()]
    labels += [(label, "role") for label in roles.ROLE_LABELS.values()]
    labels += [(step.name, None) for step in workflow.DEFAULT_STEPS]
    labels += [(workflow.PUBLISHING_STEP_NAME, None), (workflow.STATE_REFUSAL, None)]
    assert set(vocab.ACTION_LABELS) >= {a.value for a in workflow.Action}
    assert set(roles.ROLE_LABELS) == set(roles.Role)
    missing = [
        (m, c)
        for m, c in labels
        if not (catalog.get(m, context=c) and catalog.get(m, context=c).string)
    ]
    assert missing == []


# ---------------------------------------------------------------- the collector itself

PLANTED = """
from approval import permissions
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.core.msgids import N_

LIMIT = 10
KNOWN = N_("附件是空文件")
UNKNOWN = N_("这句话没有英文")
TABLE = {"a": N_("有效性没有变化"), "b": "表中没有英文的一句"}


def _problem(value):
    if value:
        return KNOWN
    return None


def refuse(size, name, code):
    if size > LIMIT:
        raise InvalidInput(f"文件超过 {LIMIT} 字节", "file")
    if not name:
        raise Conflict("名称" + "为空")
    if code:
        raise NotFound(code)
    if problem := _problem(size):
        raise InvalidInput(problem, "file")
    raise PermissionDenied(UNKNOWN if code else permissions.NO_RIGHT)


def look_up(key):
    raise Conflict(TABLE[key])


def untranslated_literal():
    raise Conflict("一句未翻译的拒绝")
"""


def test_the_collector_catches_a_formatted_message_and_an_untranslated_one():
    planted = collect({"approval.planted": PLANTED})
    problems = [p for p in planted.problems if p.startswith("approval/planted.py")]
    assert len(problems) == 3
    assert re.search(r":20: InvalidInput\(f'.*'\): an f-string", problems[0]), problems
    assert ":22: Conflict('名称' + '为空'): built with an operator" in problems[1]
    assert ":24: NotFound(code): code is a parameter of refuse" in problems[2]

    sites = {s.where: s.msgids for s in planted.sites if s.where.startswith("approval/planted")}
    assert sites == {
        "approval/planted.py:26": [
            "附件是空文件"
        ],  # through the function's return (None: no message)
        "approval/planted.py:27": [
            "这句话没有英文",
            "您没有执行此操作的权限",
        ],  # an imported constant
        "approval/planted.py:31": [
            "有效性没有变化",
            "表中没有英文的一句",
        ],  # every value of the table
        "approval/planted.py:35": ["一句未翻译的拒绝"],
    }
    missing = untranslated(
        [s for s in planted.sites if s.where.startswith("approval/planted")], read_catalog()
    )
    assert missing == [
        "approval/planted.py:27: PermissionDenied('这句话没有英文') has no English",
        "approval/planted.py:31: Conflict('表中没有英文的一句') has no English",
        "approval/planted.py:35: Conflict('一句未翻译的拒绝') has no English",
    ]


# ---------------------------------------------------------------- through the app, in English


def in_english(browser, from_page: str = "/"):
    response = browser.post("/language", {"lang": "en", "next": "/"}, token_from=from_page)
    assert response.status_code == 302
    return browser


def test_an_english_page_shows_a_refusal_in_english(world, login_as):
    from approval.core.workflow import Action

    item = world.item()
    world.act("officer", item, Action.SUBMIT)
    officer = in_english(login_as("officer"))
    page = officer.get(f"/items/{item.id}")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    refused = officer.post(
        f"/items/{item.id}/act",
        {"action": "approve", "version": version},
        token_from=f"/items/{item.id}",
    )
    assert refused.status_code == 403
    assert "You do not have permission to take this action" in refused.text
    assert "您没有执行此操作的权限" not in refused.text and "您没有权限" not in refused.text


def test_an_english_upload_refusal_names_the_types_in_english(app, world, login_as):
    import io

    from tests.conftest import csrf_from

    item = world.item()
    officer = in_english(login_as("officer"))
    page = officer.get(f"/items/{item.id}")
    form = {
        "file": (io.BytesIO(b"MZ\x90\x00"), "setup.exe"),
        "csrf_token": csrf_from(page.text),
        "version": re.search(r'name="version" value="(\d+)"', page.text).group(1),
    }
    response = officer.client.post(
        f"/items/{item.id}/attachments", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    shown = officer.get(response.headers["Location"]).text
    allowed = ", ".join(app.config["ATTACHMENT_EXTENSIONS"])
    assert f"Attachment type “exe” is not supported. Allowed: {allowed}" in shown
    assert "不支持的附件类型" not in shown and "、" not in allowed


def test_a_refusal_read_outside_a_request_is_the_chinese_source(app):
    """A command or a job reads the message with no request: the source, filled in."""
    from approval.core.errors import InvalidInput
    from approval.core.workflow import IllegalTransition

    refusal = InvalidInput("附件超过大小限制（%(limit)s）", "file", limit="1 KB")
    assert refusal.message == str(refusal) == "附件超过大小限制（1 KB）"
    assert refusal.field == "file" and refusal.msgid == "附件超过大小限制（%(limit)s）"
    assert IllegalTransition("draft", "approve").message == "当前状态下不能执行此操作"
    with app.test_request_context():
        from flask import session

        session["lang"] = "en"
        assert refusal.message == "The attachment is over the size limit (1 KB)"
        assert (
            IllegalTransition("draft", "approve").message
            == "This action is not possible in the item's current state"
        )
        from flask_babel import gettext

        twice = InvalidInput(gettext("附件是空文件"))  # translated already: shown as it is
        assert twice.message == gettext("附件是空文件") != "附件是空文件"
