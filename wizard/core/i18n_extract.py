"""Finds every user-facing message template in the source tree, for the message catalogue
(``resources/i18n/messages_<lang>.json``, read by :mod:`wizard.core.i18n`).

What counts as user-facing (each site's string argument, when it is a literal, an f-string, a concatenation
of those, or a name assigned from them):

- a finding's explanation, fix and title: ``ctx.flag(message, fix, title=...)``, ``Finding(message=, fix=,
  title=)``; a choice's label ``Choice(label=...)``; a rule's title ``@rule(code, severity, title, ...)`` and
  ``define(...)``; a guest's ``notes`` in ``resources/catalog/guest_os.json`` (quoted in guest findings);
- ``translate(text)`` (wizard.core.i18n) with a literal: a front end's own words;
- a target's ``problems.append(...)`` (the reasons a VM cannot be migrated);
- a typed error's message and fix: ``SomethingError(message, fix=...)`` for every subclass of
  :class:`wizard.core.errors.HvmError` anywhere under ``wizard/`` (and ``super().__init__(message, fix=)``
  inside one), and each such class's ``default_fix``.

A template is the English text with each ``{expression}`` turned into a numbered placeholder ``{0}``,
``{1}``... (literal braces doubled). Every placeholder's value (VM names, sizes, paths, user input) is shown
as it is, except one written ``{n!t}``, whose value is itself text of ours that
:func:`wizard.core.i18n.translate` translates too: another message (``x.message``, ``x.fix``, ``x.title``,
``problems[0]``), a guest's ``notes``, a list of phrases (``"; ".join(parts)`` with ``parts`` built from
literals; each phrase is a template of its own), or one of more than :data:`INLINE_MAX` phrases a name can
hold (``doing = "creating the VM"``...; each a template).

Names are followed within a module: ``verb = "moves" if one else "move"`` turns ``f"{names} {verb} to SCSI"``
into two templates; ``for field, value in (("cpus", ...), ...)`` and ``reason, fix = WORDS.get(code, ...)``
take the literals of the tuples; ``problem = _check(...)`` takes what ``_check`` returns; a helper's parameter
(``def bad(field, message, fix)``) takes the text of every call of the helper in its module, one call at a
time. Templates whose literal text holds no letter (``"{0}: {1}"``) are not messages and are left out.

Contract: :func:`extract` returns ``{template: sorted source files}`` over ``wizard/``; it only parses, never
imports, the code. ``python -m wizard.core.i18n_extract --sync`` rewrites the catalogue: it keeps every
translation whose template still exists, adds new templates with an empty translation, and drops stale
ones (``tests/unit/test_messages_catalogue.py`` fails while any is empty or stale).
"""

from __future__ import annotations

import ast
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wizard.core.serial import write_text_atomic

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
CATALOGUE = ROOT / "resources" / "i18n" / "messages_zh_CN.json"

# Texts that wizard.core.i18n composes itself (the location prefix of an InputError's message).
EXTRA_TEMPLATES = {"offset {0}": "wizard/core/i18n.py", "field {0}": "wizard/core/i18n.py"}
# argparse's own words, which the command line shows translated (wizard.cli): its help headings and usage errors
EXTRA_TEMPLATES.update(dict.fromkeys((
    "usage: ", "positional arguments", "options", "show this help message and exit",
    "show program's version number and exit", "the following arguments are required: {0}",
    "unrecognized arguments: {0}", "argument {0}: invalid choice: {1} (choose from {2})",
    "argument {0}: expected one argument", "argument {0}: invalid {1} value: {2}",
    "argument {0}: not allowed with argument {1}", "one of the arguments {0} is required",
    "argument {0}: ignored explicit argument {1}"), "wizard/cli.py"))

MAX_ALTERNATIVES = 64  # a name with more spellings than this is treated as a value (no template explosion)
MAX_DEPTH = 6
INLINE_MAX = 3  # a name spelled up to this many ways is written into the template; more: a nested placeholder

# Functions, called from anywhere under wizard/, that take a message phrase: each call's argument (position,
# keyword) is a template of its own, and inside the function the parameter is a nested placeholder
# (``io_error(exc, "Writing the migration report", path)`` makes ``"{0!t} failed: {1}: {2!t}."`` and
# ``"Writing the migration report"``; a ``fix=`` given instead of the standard one is a template too).
MESSAGE_ARGUMENTS: dict[str, tuple[tuple[int | None, str], ...]] = {"io_error": ((1, "doing"), (None, "fix")),
                                                                      "user_text": ((0, "text"),),
                                                                      "say": ((0, "text"),),
                                                                      "phrase": ((0, "template"),),
                                                                      # the command line's help
                                                                      "add_argument": ((None, "help"),),
                                                                      "add_parser": ((None, "help"),
                                                                                     (None, "description")),
                                                                      "_Parser": ((None, "description"),),
                                                                      "Refusal": ((0, "reason"),),
                                                                      "Availability": ((1, "reason"),),
                                                                      "PrepReport": ((1, "reason"), (None, "reason"))}
# Functions whose result, or an item of it, is a message of ours wherever it is used (module, name):
# ``describe(exc)[1] + " Then migrate the VM again."`` is ``"{0!t} Then migrate the VM again."``.
MESSAGE_RESULTS = {("wizard.core.ioerrors", "describe")}
# Attributes that hold lists of messages: ``state.notes.append(f"...")`` is a site, and ``for note in
# state.notes`` gives a nested placeholder.
MESSAGE_LISTS = ("notes", "problems")
# Local lists of phrases for people: ``notes.append(...)`` before they become a report's notes, ``what.append(...)``
# for what a change inside a guest did (joined with "; " into its ``what``).
LOCAL_MESSAGE_LISTS = ("notes", "what")
# Attributes that hold a message of ours: in a template they are nested placeholders (``f"{self.what} — ..."``).
MESSAGE_ATTRIBUTES = ("message", "fix", "title", "notes", "what", "why", "reason")
# Local names that hold a message of ours wherever they are unpacked from a helper (``will, why_not, checked =
# linux_prep(ctx)``): in a template they are nested placeholders.
MESSAGE_NAMES = ("why_not",)


@dataclass(frozen=True)
class Hole:
    """A placeholder: ``nested`` when its value is itself a message to translate."""

    nested: bool = False


Part = str | Hole
Alternative = tuple[Part, ...]
_VALUE = (Hole(),)


def _product(left: list[Alternative], right: list[Alternative]) -> list[Alternative]:
    return [a + b for a, b in itertools.product(left, right)]


def _dedupe(alts: Iterable[Alternative]) -> list[Alternative]:
    return list(dict.fromkeys(alts))


class _Module:
    """One parsed source file: its functions by name, every name's bindings per scope, and call sites."""

    def __init__(self, path: Path, tree: ast.Module) -> None:
        self.path = path
        self.tree = tree
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.calls: dict[str, list[ast.Call]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.setdefault(node.name, []).append(node)
            elif isinstance(node, ast.Call):
                name = _call_name(node)
                if name:
                    self.calls.setdefault(name, []).append(node)
        self._bindings: dict[tuple[int, str], list[_Binding]] = {}
        for scope in [tree, *(f for fs in self.functions.values() for f in fs)]:
            for name, value in _scope_bindings(scope):
                self._bindings.setdefault((id(scope), name), []).append(value)
        self.appends: dict[tuple[int, str], list[ast.expr]] = {}
        self.attribute_appends: dict[str, list[tuple[ast.expr, ast.AST]]] = {}  # self.x.append(...): x's items
        self.imported: dict[str, str] = {}  # name -> the module it is imported from
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = node.module
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
                    and len(node.args) == 1):
                continue
            owner = node.func.value
            if isinstance(owner, ast.Name):
                key = (id(self.scope_of(node)), owner.id)
                self.appends.setdefault(key, []).append(node.args[0])
            elif isinstance(owner, ast.Attribute) and _is_name(owner.value, "self"):
                self.attribute_appends.setdefault(owner.attr, []).append((node.args[0], self.scope_of(node)))

    def scope_of(self, node: ast.AST) -> ast.AST:
        """The innermost function (or the module) that ``node`` is in."""
        cur = self.parent.get(node)
        while cur is not None and not isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            cur = self.parent.get(cur)
        return cur if isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef) else self.tree

    def enclosing_scopes(self, scope: ast.AST) -> Iterator[ast.AST]:
        while True:
            yield scope
            if scope is self.tree:
                return
            scope = self.scope_of(scope)

    def bindings(self, scope: ast.AST, name: str) -> list[_Binding] | None:
        """How ``name`` is bound in ``scope``, or None when it is not bound there."""
        return self._bindings.get((id(scope), name))

    def elements(self, scope: ast.AST, name: str) -> list[ast.expr] | None:
        """The elements a list ``name`` of ``scope`` can hold (its literal items and what is appended to it), or
        None when it is built some other way."""
        binds = self.bindings(scope, name)
        if not binds:
            return None
        out: list[ast.expr] = []
        for b in binds:
            if b.kind != "assign" or not isinstance(b.value, ast.List | ast.Tuple):
                return None
            out.extend(b.value.elts)
        return out + self.appends.get((id(scope), name), [])


@dataclass(frozen=True)
class _Binding:
    """``name = value`` (kind "assign"), ``for name in value`` (kind "for"; ``index`` picks the tuple item
    for ``for a, b in ...``), ``a, b = value`` (kind "unpack", ``index`` as for "for"), or any other binding
    (kind "other": parameters, ``with``, ``except``...)."""

    kind: str
    value: ast.expr | None = None
    index: int | None = None


def _call_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    a = func.args
    return [*a.posonlyargs, *a.args, *([a.vararg] if a.vararg else []), *a.kwonlyargs,
            *([a.kwarg] if a.kwarg else [])]


def _scope_bindings(scope: ast.AST) -> Iterator[tuple[str, _Binding]]:
    """(name, binding) for every binding directly in ``scope`` (not in nested functions)."""
    other = _Binding("other")
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        for arg in _params(scope):
            yield arg.arg, other
        a = scope.args
        positional = [*a.posonlyargs, *a.args]
        defaults = list(zip(positional[len(positional) - len(a.defaults):], a.defaults, strict=True))
        defaults += [(arg, d) for arg, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is not None]
        for arg, default in defaults:
            yield arg.arg, _Binding("assign", default)  # what the text is when a caller leaves it out
        body = scope.body
    else:
        body = scope.body  # type: ignore[attr-defined]
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            if not isinstance(node, ast.Lambda):
                yield node.name, other
            continue  # their bodies are other scopes
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            yield node.targets[0].id, _Binding("assign", node.value)
            stack.append(node.value)
            continue
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.value is not None:
                yield node.target.id, _Binding("assign", node.value)
                stack.append(node.value)
            continue
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple)
                and all(isinstance(t, ast.Name) for t in node.targets[0].elts)):
            for i, t in enumerate(node.targets[0].elts):
                yield t.id, _Binding("unpack", node.value, i)  # type: ignore[attr-defined]
            stack.append(node.value)
            continue
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name | ast.Tuple):
            targets = [node.target] if isinstance(node.target, ast.Name) else node.target.elts
            for i, t in enumerate(targets):
                if isinstance(t, ast.Name):
                    index = None if isinstance(node.target, ast.Name) else i
                    yield t.id, _Binding("for", node.iter, index)
                else:
                    stack.append(t)
            stack.extend([node.iter, *node.body, *node.orelse])
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            yield node.id, other
        elif isinstance(node, ast.ExceptHandler) and node.name:
            yield node.name, other
        stack.extend(ast.iter_child_nodes(node))


class _Resolver:
    """Turns a string expression into its alternatives (tuples of literal text and holes).

    ``extra`` collects the texts found on the way that are messages of their own: the items of a list joined
    into a message (``"; ".join(parts)``), which :func:`wizard.core.i18n.translate` translates one by one."""

    def __init__(self, module: _Module) -> None:
        self.m = module
        self.extra: list[tuple[ast.expr, ast.AST]] = []
        self.fragments: list[Alternative] = []

    def templates_for(self, expr: ast.expr, scope: ast.AST, depth: int = 0) -> list[Alternative]:
        """The alternatives of ``expr``; when it depends on parameters of its function, once per call of that
        function in the module, so that the arguments of one call stay together."""
        func = scope if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) else None
        if func is None or depth >= MAX_DEPTH:
            return self.expand(expr, scope, {}, depth)
        used = self._params_used(expr, func)
        # a dunder (``__init__``) is called as its class, from anywhere: its calls cannot be told by name
        calls = [] if func.name.startswith("__") else self.m.calls.get(func.name, [])
        if not used or not calls:
            return self.expand(expr, scope, {}, depth)
        out: list[Alternative] = []
        for call in calls:
            binding = _bind(func, call)
            if binding is None:
                out.extend(self.expand(expr, scope, {}, depth))
                continue
            caller = self.m.scope_of(call)
            bound = {name: (value, caller) for name, value in binding.items()}
            out.extend(self.expand(expr, scope, bound, depth))
        return _dedupe(out)

    def _params_used(self, expr: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
        params = {a.arg for a in _params(func)}
        seen: set[str] = set()
        used: set[str] = set()
        todo = [expr]
        while todo:
            node = todo.pop()
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and sub.id not in seen:
                    seen.add(sub.id)
                    if sub.id in params:
                        used.add(sub.id)
                    todo.extend(b.value for b in self.m.bindings(func, sub.id) or [] if b.value is not None)
        return used

    def expand(self, expr: ast.expr, scope: ast.AST, bound: dict[str, tuple[ast.expr, ast.AST]],
               depth: int) -> list[Alternative]:
        if depth > MAX_DEPTH:
            return [_VALUE]
        if isinstance(expr, ast.Constant):
            return [(expr.value,)] if isinstance(expr.value, str) else [_VALUE]
        if isinstance(expr, ast.JoinedStr):
            alts: list[Alternative] = [()]
            for value in expr.values:
                if isinstance(value, ast.Constant):
                    alts = _product(alts, [(str(value.value),)])
                elif isinstance(value, ast.FormattedValue):
                    if value.conversion != -1 or value.format_spec is not None:
                        alts = _product(alts, [self.hole(value.value, scope)])
                    else:
                        alts = _product(alts, self.inner(value.value, scope, bound, depth))
                if len(alts) > MAX_ALTERNATIVES:
                    return [_VALUE]
            return alts
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            out = _product(self.expand(expr.left, scope, bound, depth), self.expand(expr.right, scope, bound, depth))
            return out if len(out) <= MAX_ALTERNATIVES else [_VALUE]
        if isinstance(expr, ast.IfExp):
            return _dedupe(self.expand(expr.body, scope, bound, depth) + self.expand(expr.orelse, scope, bound, depth))
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            return _dedupe(a for v in expr.values for a in self.expand(v, scope, bound, depth))
        if isinstance(expr, ast.Name):
            return self.name(expr.id, scope, bound, depth)
        if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.args
                and expr.func.attr in ("strip", "rstrip") and _stringish(expr.func.value)):
            return self.expand(expr.func.value, scope, bound, depth)  # i18n.translate allows for the stripped end
        returned = self.returned(expr)
        if returned is not None:  # why = mac_problem(mac): the words the helper returns
            alts = _dedupe(a for r, fs in returned for a in self.expand(r, fs, {}, depth + 1))
            if all(len(a) == 1 and isinstance(a[0], str) and " " in a[0] for a in alts):
                return alts + [("",)]  # phrases, or "" (a helper's "nothing wrong"); names ("vmdk") are values
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
            items = self.items(expr.value, scope)  # failed[-1], with failed = [] and failed.append(f"...")
            if items and all(_stringish(i) for i in items):
                return _dedupe(a for i in items for a in self.expand(i, scope, bound, depth))
        values = self.lookups(expr, scope)
        if values and all(_stringish(v) for v in values):
            return _dedupe(a for v in values for a in self.expand(v, scope, bound, depth))
        return [self.hole(expr, scope)]

    def inner(self, expr: ast.expr, scope: ast.AST, bound: dict[str, tuple[ast.expr, ast.AST]],
              depth: int) -> list[Alternative]:
        """A ``{value}`` inside an f-string: expanded only when it is spelled from literals."""
        returned = self.returned(expr)
        if isinstance(expr, ast.Name | ast.IfExp) or returned is not None:
            if returned is not None:  # {_kind(path)}: the words a helper of this module returns
                alts = _dedupe(a for r, fs in returned for a in self.expand(r, fs, {}, depth + 1))
                if not all(all(isinstance(p, str) for p in a) for a in alts):
                    return [self.hole(expr, scope)]  # a formatter ("{n} GiB"): its result is a value
            else:
                alts = self.expand(expr, scope, bound, depth)
            if alts and all(a == (Hole(True),) for a in alts):
                return alts  # a message of its own (io_error's ``doing``, a journal note)
            if not all(_is_text(a) for a in alts):
                return [self.hole(expr, scope)]
            if len(alts) <= INLINE_MAX:
                return alts
            words = ["".join(p for p in a if isinstance(p, str)) for a in alts]
            if all(" " in w or not w for w in words):
                # many phrases ("creating the VM"): each is translated on its own
                self.fragments.extend(a for a, w in zip(alts, words, strict=True) if w)
                return [(Hole(True),)]
            return alts  # names ("checkpoint_type"): written into the template
        return [self.hole(expr, scope)]

    def name(self, name: str, scope: ast.AST, bound: dict[str, tuple[ast.expr, ast.AST]],
             depth: int) -> list[Alternative]:
        if name in bound:
            value, caller = bound[name]
            out = self.templates_for(value, caller, depth + 1)
            for b in self.m.bindings(scope, name) or []:  # a parameter given a new text in the body
                if b.kind == "assign" and b.value is not None and _stringish(b.value) and not _is_default(b, scope):
                    out.extend(self.expand(b.value, scope, bound, depth + 1))
            return _dedupe(out)
        for s in self.m.enclosing_scopes(scope):
            binds = self.m.bindings(s, name)
            if binds is None:
                continue
            if _is_message_parameter(s, name):
                return [(Hole(True),)]  # io_error's ``doing``: its callers' phrases are templates of their own
            if binds and all(b.kind == "assign" and _is_describe(b.value) for b in binds):
                return [(Hole(True),)]  # where = self.describe(): a source's or target's words for itself
            out: list[Alternative] = []
            for b in binds:
                here = bound if s is scope else {}
                if b.kind == "assign" and b.value is not None and _stringish(b.value):
                    out.extend(self.expand(b.value, s, here, depth + 1))
                elif b.kind == "assign" and (returned := self.returned(b.value)) is not None:
                    out.extend(a for r, fs in returned for a in self.expand(r, fs, {}, depth + 1))
                elif b.kind == "for" and b.value is not None:
                    out.extend(self.loop_values(b, s, here, depth + 1))
                elif b.kind == "unpack" and b.value is not None:
                    out.extend(self.unpacked(b, s, here, depth + 1))
                else:
                    out.append(_VALUE)
            out = _dedupe(out)
            return out if len(out) <= MAX_ALTERNATIVES else [_VALUE]
        return [_VALUE]

    def returned(self, value: ast.expr | None) -> list[tuple[ast.expr, ast.AST]] | None:
        """``problem = _check(...)`` with ``_check`` a function of this module whose every ``return`` gives a text
        (or nothing): those texts, each with the function as its scope; else None."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
            return None
        funcs = self.m.functions.get(value.func.id, [])
        if len(funcs) != 1:
            return None
        out = []
        for node in ast.walk(funcs[0]):
            if isinstance(node, ast.Return) and node.value is not None:
                if isinstance(node.value, ast.Constant) and node.value.value in ("", None):
                    continue
                if isinstance(node.value, ast.Attribute) and node.value.attr in ("message", "fix"):
                    continue  # another error's words: a template of their own
                if not _stringish(node.value):
                    return None
                out.append((node.value, funcs[0]))
        return out or None

    def loop_values(self, b: _Binding, scope: ast.AST, bound: dict[str, tuple[ast.expr, ast.AST]],
                    depth: int) -> list[Alternative]:
        """``for x in ("a", "b")`` (or over a list built from literals, or over ``self.x`` that the module
        appends texts to): x's alternatives; a nested placeholder over a list of messages (``state.notes``)."""
        if b.index is None and isinstance(b.value, ast.Attribute):
            appended = self.m.attribute_appends.get(b.value.attr, []) if _is_name(b.value.value, "self") else []
            if appended and all(_stringish(item) for item, _ in appended):
                return _dedupe(a for item, s in appended for a in self.expand(item, s, {}, depth))
            if b.value.attr in MESSAGE_LISTS:
                return [(Hole(True),)]
        items = self.items(b.value, scope)
        if items is None:
            return [_VALUE]
        out: list[Alternative] = []
        for item in items:
            if b.index is not None:
                if not isinstance(item, ast.Tuple) or len(item.elts) <= b.index:
                    return [_VALUE]
                item = item.elts[b.index]
            if not _stringish(item):
                return [_VALUE]
            out.extend(self.expand(item, scope, bound, depth))
        return out

    def unpacked(self, b: _Binding, scope: ast.AST, bound: dict[str, tuple[ast.expr, ast.AST]],
                 depth: int) -> list[Alternative]:
        """``reason, fix = WORDS.get(code, ("...", "..."))``: the item ``b.index`` of each tuple it can be."""
        tuples = self.lookups(b.value, scope) if not isinstance(b.value, ast.Tuple) else [b.value]
        if tuples is None and isinstance(b.value, ast.Call) and isinstance(b.value.func, ast.Name):
            tuples = self.returned_tuples(b.value.func.id)  # reason, fix = describe(exc)
            scope = self.m.functions[b.value.func.id][0] if tuples else scope
        out: list[Alternative] = []
        for t in tuples or []:
            if not isinstance(t, ast.Tuple) or len(t.elts) <= (b.index or 0) or not _stringish(t.elts[b.index or 0]):
                return [_VALUE]
            out.extend(self.expand(t.elts[b.index or 0], scope, bound, depth))
        return out or [_VALUE]

    def returned_tuples(self, func_name: str) -> list[ast.expr] | None:
        """The tuples a function of this module returns (literally, or as ``TABLE.get(key, default)``); None
        when one of its returns is something else."""
        funcs = self.m.functions.get(func_name, [])
        if len(funcs) != 1:
            return None
        out: list[ast.expr] = []
        for node in ast.walk(funcs[0]):
            if isinstance(node, ast.Return) and node.value is not None:
                found = [node.value] if isinstance(node.value, ast.Tuple) else self.lookups(node.value, funcs[0])
                if not found:
                    return None
                out.extend(found)
        return out or None

    def lookups(self, expr: ast.expr | None, scope: ast.AST) -> list[ast.expr] | None:
        """The values ``TABLE[key]`` or ``TABLE.get(key, default)`` can give, for a dict literal ``TABLE``."""
        table: ast.expr | None = None
        extra: list[ast.expr] = []
        if isinstance(expr, ast.Subscript):
            table = expr.value
        elif (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get"
              and expr.args):
            table = expr.func.value
            extra = list(expr.args[1:2])
        if not isinstance(table, ast.Name):
            return None
        for s in self.m.enclosing_scopes(scope):
            binds = self.m.bindings(s, table.id)
            if binds is None:
                continue
            if len(binds) != 1 or binds[0].kind != "assign" or not isinstance(binds[0].value, ast.Dict):
                return None
            return [v for v in binds[0].value.values if v is not None] + extra
        return None

    def items(self, expr: ast.expr | None, scope: ast.AST) -> list[ast.expr] | None:
        if isinstance(expr, ast.List | ast.Tuple):
            return list(expr.elts)
        if isinstance(expr, ast.Name):
            for s in self.m.enclosing_scopes(scope):
                if self.m.bindings(s, expr.id) is not None:
                    return self.m.elements(s, expr.id)
        return None

    def hole(self, expr: ast.expr, scope: ast.AST) -> Alternative:
        """A placeholder for ``expr``: nested (translated too) when its value is a message."""
        if isinstance(expr, ast.Attribute) and expr.attr in MESSAGE_ATTRIBUTES:
            return (Hole(True),)  # another message, or a guest's notes from the guest OS catalogue
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) and expr.value.id == "problems":
            return (Hole(True),)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "one_line":
            return (Hole(True),)  # an error's message and fix, as its one_line() joins them
        if _is_describe(expr):
            return (Hole(True),)  # a source's or target's describe(): its words are templates (user_text)
        if isinstance(expr, ast.Name) and expr.id in MESSAGE_NAMES:
            return (Hole(True),)
        call = expr.value if isinstance(expr, ast.Subscript) else expr
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and (self.m.imported.get(call.func.id), call.func.id) in MESSAGE_RESULTS):
            return (Hole(True),)  # describe(exc)[1]: io_error's standard fix
        if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "join"
                and isinstance(expr.func.value, ast.Constant) and len(expr.args) == 1):
            items = self.items(expr.args[0], scope)
            # phrases ("a virtual TPM needs 9.0") are messages; names ("Production", "vhdx") are values
            if items and all(_stringish(i) and " " in _literal_text(i) for i in items):
                self.extra.extend((i, scope) for i in items)  # each item is a message of its own
                return (Hole(True),)
        return _VALUE


def _is_describe(expr: ast.expr | None) -> bool:
    """``x.describe()``: how a source or target names itself, in words of ours."""
    return (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "describe"
            and not expr.args)


def _is_message_parameter(scope: ast.AST, name: str) -> bool:
    """True for a parameter of a :data:`MESSAGE_ARGUMENTS` function that takes a message phrase."""
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) or scope.name not in MESSAGE_ARGUMENTS:
        return False
    return name in {k for _, k in MESSAGE_ARGUMENTS[scope.name]} and name in {a.arg for a in _params(scope)}


def _is_text(alt: Alternative) -> bool:
    return all(isinstance(p, str) for p in alt) or any(isinstance(p, str) and p.strip() for p in alt)


def _is_default(b: _Binding, scope: ast.AST) -> bool:
    """True when ``b`` is a parameter's default value (a call that passes the argument replaces it)."""
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return any(b.value is d for d in [*scope.args.defaults, *scope.args.kw_defaults])


def _literal_text(expr: ast.expr) -> str:
    return "".join(n.value for n in ast.walk(expr) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def _stringish(expr: ast.expr) -> bool:
    """True for an expression spelled from string literals (what a template can follow)."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, str)
    if isinstance(expr, ast.JoinedStr):
        return True
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _stringish(expr.left) or _stringish(expr.right)
    if isinstance(expr, ast.IfExp):
        return _stringish(expr.body) or _stringish(expr.orelse)
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
        return any(_stringish(v) for v in expr.values)
    return False


def _bind(func: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call) -> dict[str, ast.expr] | None:
    """Parameter → argument of ``call`` (defaults for the ones it leaves out); None when it cannot tell."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    positional = [*func.args.posonlyargs, *func.args.args]
    if positional and positional[0].arg in ("self", "cls") and isinstance(call.func, ast.Attribute):
        positional = positional[1:]
    out: dict[str, ast.expr] = {}
    defaults = func.args.defaults
    for arg, default in zip(positional[len(positional) - len(defaults):], defaults, strict=True):
        out[arg.arg] = default
    for arg, default in zip(func.args.kwonlyargs, func.args.kw_defaults, strict=True):
        if default is not None:
            out[arg.arg] = default
    for arg, value in zip(positional, call.args, strict=False):
        out[arg.arg] = value
    for kw in call.keywords:
        out[kw.arg] = kw.value  # type: ignore[index]
    return out


def _error_classes(modules: list[_Module]) -> set[str]:
    """Names of HvmError and every class deriving from it (by base-class name, across the package)."""
    bases: dict[str, set[str]] = {}
    for m in modules:
        for node in ast.walk(m.tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else b.attr for b in node.bases
                    if isinstance(b, ast.Name | ast.Attribute))
    found = {"HvmError"}
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                changed = True
    return found


def _arg(call: ast.Call, index: int | None, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if index is not None and len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return None


def _sites(module: _Module, errors: set[str]) -> Iterator[tuple[ast.expr, ast.AST]]:
    """Every (string expression, scope) that is a user-facing message site."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ClassDef) and node.name in errors:
            for stmt in node.body:
                if (isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "default_fix"
                                                         for t in stmt.targets)):
                    yield stmt.value, module.tree
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        scope = module.scope_of(node)
        wanted: list[tuple[int | None, str]] = []
        typed_error = name in errors and isinstance(node.func, ast.Name | ast.Attribute)
        if isinstance(node.func, ast.Name) and _names_error_class(module, scope, name, errors):
            typed_error = True  # cls = InsufficientSpaceError if full else kind; cls(message, fix=...)
        if typed_error or (name == "__init__" and _is_super_init(node) and _class_of(module, node) in errors):
            wanted = [(0, "message"), (None, "fix")]
        elif name == "flag" and isinstance(node.func, ast.Attribute) and _is_name(node.func.value, "ctx"):
            wanted = [(0, "message"), (1, "fix"), (None, "title")]
        elif name == "append" and isinstance(node.func, ast.Attribute) and _is_name(node.func.value, "problems"):
            wanted = [(0, "message")]  # a target's preflight problems: the message of the error that stops a VM
        elif name == "Finding":
            wanted = [(None, "message"), (None, "fix"), (None, "title")]
        elif name == "Choice":
            wanted = [(1, "label")]
        elif name in ("rule", "define") and isinstance(node.func, ast.Name):
            wanted = [(2, "title")]
        elif name == "translate" and isinstance(node.func, ast.Name):
            wanted = [(0, "text")]  # a front end's own words, e.g. the command line's summary line
        elif name in MESSAGE_ARGUMENTS:
            wanted = list(MESSAGE_ARGUMENTS[name])  # io_error(exc, "Writing the journal", path, fix=...)
        elif name == "ProgressEvent":
            stage = _arg(node, 0, "stage")
            if not (isinstance(stage, ast.Constant) and stage.value == "state"):  # a state's name is no message
                wanted = [(3, "message")]  # the run's log lines (warnings and errors reach the Progress log)
        elif (name == "append" and isinstance(node.func, ast.Attribute)
              and ((isinstance(node.func.value, ast.Attribute) and node.func.value.attr in MESSAGE_LISTS)
                   or (isinstance(node.func.value, ast.Name) and node.func.value.id in LOCAL_MESSAGE_LISTS))):
            wanted = [(0, "message")]  # state.notes.append(f"journal line {number} ..."): said in the log
        elif name == "log" and isinstance(node.func, ast.Name) and len(node.args) == 2:
            wanted = [(0, "message")]  # log(message, level): wizard.migrate.prepare's lines for people
        for index, keyword in wanted:
            expr = _arg(node, index, keyword)
            if expr is not None:
                yield expr, scope


def _names_error_class(module: _Module, scope: ast.AST, name: str, errors: set[str]) -> bool:
    """True when the local ``name`` is bound to an error class (``cls = InsufficientSpaceError if full else
    kind``; then ``cls(message, fix=...)`` raises a typed error)."""
    if name in errors:
        return False
    binds = module.bindings(scope, name)
    if not binds or isinstance(scope, ast.Module):
        return False
    return any(b.kind == "assign" and b.value is not None
               and any(isinstance(n, ast.Name) and n.id in errors for n in ast.walk(b.value)) for b in binds)


def _is_name(expr: ast.expr, name: str) -> bool:
    return isinstance(expr, ast.Name) and expr.id == name


def _is_super_init(call: ast.Call) -> bool:
    f = call.func
    return (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Call) and isinstance(f.value.func, ast.Name)
            and f.value.func.id == "super")


def _class_of(module: _Module, node: ast.AST) -> str:
    cur = module.parent.get(node)
    while cur is not None and not isinstance(cur, ast.ClassDef):
        cur = module.parent.get(cur)
    return cur.name if isinstance(cur, ast.ClassDef) else ""


def render(alt: Alternative) -> str | None:
    """The catalogue key of one alternative, or None when its literal text has no letter (not a message)."""
    parts: list[Part] = []
    for p in alt:
        if isinstance(p, str):
            if not p:
                continue
            if parts and isinstance(parts[-1], str):
                parts[-1] += p
                continue
        elif parts and isinstance(parts[-1], Hole):
            # two values side by side cannot be told apart: one placeholder (nested only if both are)
            parts[-1] = Hole(parts[-1].nested and p.nested)
            continue
        parts.append(p)
    literal = "".join(p for p in parts if isinstance(p, str))
    nested = any(isinstance(p, Hole) and p.nested for p in parts)
    if not any(ch.isalpha() for ch in literal) and not (nested and literal.strip()):
        return None  # "{0}: {1}" is no message; "{0!t}: {1!t}" joins two (a finding's title and message)
    out = []
    n = 0
    for p in parts:
        if isinstance(p, str):
            out.append(p.replace("{", "{{").replace("}", "}}"))
        else:
            out.append(f"{{{n}!t}}" if p.nested else f"{{{n}}}")
            n += 1
    return "".join(out)


def extract(package: Path = PACKAGE) -> dict[str, list[str]]:
    """``{template: [source files]}`` for every user-facing message under ``package``."""
    modules = []
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        modules.append(_Module(path, ast.parse(path.read_text(encoding="utf-8"), str(path))))
    errors = _error_classes(modules)
    found: dict[str, set[str]] = {}
    for m in modules:
        resolver = _Resolver(m)
        where = m.path.relative_to(package.parent).as_posix()
        todo = list(_sites(m, errors))
        done: set[int] = set()
        while todo:
            expr, scope = todo.pop()
            if id(expr) in done:
                continue
            done.add(id(expr))
            for alt in resolver.templates_for(expr, scope):
                key = render(alt)
                if key is not None:
                    found.setdefault(key, set()).add(where)
            todo.extend(resolver.extra)
            resolver.extra.clear()
        for alt in resolver.fragments:
            key = render(alt)
            if key is not None:
                found.setdefault(key, set()).add(where)
    for key, where in EXTRA_TEMPLATES.items():
        found.setdefault(key, set()).add(where)
    guests = package.parent / "resources" / "catalog" / "guest_os.json"
    if guests.is_file():  # a guest's notes are shown in its findings ({1!t} in "... support. {1!t}")
        for guest in json.loads(guests.read_text(encoding="utf-8")).get("guests", {}).values():
            if guest.get("notes"):
                key = guest["notes"].replace("{", "{{").replace("}", "}}")
                found.setdefault(key, set()).add("resources/catalog/guest_os.json")
    return {k: sorted(v) for k, v in sorted(found.items())}


def load_catalogue(path: Path = CATALOGUE) -> dict[str, dict[str, str]]:
    """The catalogue file as ``{source file: {English template: translation}}``."""
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def sync(path: Path = CATALOGUE) -> tuple[int, int, int]:
    """Rewrite the catalogue in step with the code; returns (kept, added, dropped)."""
    old = {en: zh for group in load_catalogue(path).values() for en, zh in group.items()}
    found = extract()
    groups: dict[str, dict[str, str]] = {}
    for en, files in found.items():
        groups.setdefault(files[0], {})[en] = old.get(en, "")
    kept = sum(1 for en in found if old.get(en))
    added = sum(1 for en in found if not old.get(en))
    dropped = sum(1 for en in old if en not in found)
    ordered = {f: dict(sorted(groups[f].items())) for f in sorted(groups)}
    write_text_atomic(path, json.dumps(ordered, ensure_ascii=False, indent=1) + "\n")
    return kept, added, dropped


def main(argv: list[str]) -> int:
    if argv[:1] == ["--sync"]:
        kept, added, dropped = sync()
        print(f"{CATALOGUE.relative_to(ROOT)}: {kept} kept, {added} to translate, {dropped} dropped")
        return 0
    for en, files in extract().items():
        print(f"{', '.join(files)}\t{en}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
