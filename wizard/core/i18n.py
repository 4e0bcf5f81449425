"""Messages in the user's language: finding explanations and fixes, typed errors, the command line's text.

The code writes its messages in English (``ctx.flag(f"{label} is left out ...")``, ``raise TargetError(...)``);
the message catalogue ``resources/i18n/messages_<lang>.json`` maps each English *template* to its translation.
A template is the English text with each ``{expression}`` of the code turned into a numbered placeholder
(``"{0} is left out of the migration; ..."``); ``wizard.core.i18n_extract`` finds them in the source, and a
test fails when one has no translation. :func:`translate` finds the template that a rendered English text
was made from and writes the translation with the same values in it.

Contract:
- ``translate(text, lang)`` returns ``text`` in ``lang``, or ``text`` unchanged when ``lang`` is English, the
  catalogue is missing, or no template matches. Values in placeholders (VM names, paths, sizes, user input,
  ``DOMAIN\\admin``) are copied verbatim, never translated; a placeholder written ``{n!t}`` holds another
  message (an error's message inside a wider one, a list of phrases, an error's ``one_line()`` "message — fix")
  and is translated in turn.
- When several templates match, the one with the most literal text wins (``"Use one of: {0}."`` over
  ``"Use {0}."``).
- ``lang=None`` means :func:`current_language`: set by the front end (:func:`set_language`; the command line
  from ``--lang``, else :func:`language_from_environment`). Nothing here imports Qt.
- Fast enough to translate every finding of thousands of VMs: an exact-text table for templates without
  placeholders, the others indexed by their first (or last) literal characters, results cached.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from wizard.core.errors import HvmError, InputError

SUPPORTED = ("en", "zh_CN")
ENGLISH = "en"
_KEY = 6  # characters of a template's literal start (or end) its index uses

_current = ""


def normalise(lang: str | None) -> str:
    """``"zh_CN"`` for any Chinese locale name (``zh_CN.UTF-8``, ``zh-cn``, ``zh``), ``"en"`` for anything else
    we have no catalogue for."""
    if not lang:
        return ENGLISH
    code = lang.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if code.lower().startswith("zh"):
        return "zh_CN"
    return ENGLISH


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first set of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (POSIX order);
    on Windows, when none is set, the user's display language."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return normalise(value)
    if environ is None and sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            import ctypes

            langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
            return "zh_CN" if langid & 0x3FF == 0x04 else ENGLISH  # LANG_CHINESE
        except (AttributeError, OSError):
            return ENGLISH
    return ENGLISH


def set_language(lang: str | None) -> None:
    """Make ``lang`` (normalised) what :func:`translate` uses when given no language."""
    global _current
    _current = normalise(lang) if lang else ""


def current_language() -> str:
    """The language set by :func:`set_language`, else the one the environment asks for."""
    return _current or language_from_environment()


# -- the catalogue ----------------------------------------------------------------------------------------

_FIELD = re.compile(r"\{\{|\}\}|\{(\d+)(!t)?\}")


@dataclass(frozen=True)
class _Slot:
    index: int
    nested: bool


def _parse(template: str) -> list[str | _Slot]:
    """Literal text and placeholders of a catalogue template (``{{``/``}}`` are literal braces)."""
    parts: list[str | _Slot] = []
    pos = 0
    text = ""
    for m in _FIELD.finditer(template):
        text += template[pos:m.start()]
        pos = m.end()
        if m.group(0) in ("{{", "}}"):
            text += m.group(0)[0]
            continue
        if text:
            parts.append(text)
            text = ""
        parts.append(_Slot(int(m.group(1)), bool(m.group(2))))
    text += template[pos:]
    if text:
        parts.append(text)
    return parts


@dataclass
class _Pattern:
    regex: re.Pattern[str]
    slots: list[_Slot]  # in the English order, one per regex group
    target: list[str | _Slot]
    weight: int  # literal characters: the most specific template wins


class Catalogue:
    """One language's templates, compiled for matching."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        self.exact: dict[str, str] = {}
        self.by_start: dict[str, list[_Pattern]] = {}
        self.by_end: dict[str, list[_Pattern]] = {}
        self.loose: list[_Pattern] = []
        for english, translated in entries.items():
            if not translated:
                continue
            parts = _parse(english)
            if not any(isinstance(p, _Slot) for p in parts):
                self.exact["".join(p for p in parts if isinstance(p, str))] = "".join(
                    p for p in _parse(translated) if isinstance(p, str))
                continue
            pattern = _compile(parts, _parse(translated))
            start = parts[0] if isinstance(parts[0], str) else ""
            end = parts[-1] if isinstance(parts[-1], str) else ""
            if len(start) >= _KEY:
                self.by_start.setdefault(start[:_KEY], []).append(pattern)
            elif len(end) >= _KEY:
                self.by_end.setdefault(end[-_KEY:], []).append(pattern)
            else:
                self.loose.append(pattern)
        for group in (*self.by_start.values(), *self.by_end.values(), self.loose):
            group.sort(key=lambda p: -p.weight)

    def candidates(self, text: str) -> list[_Pattern]:
        found = [*self.by_start.get(text[:_KEY], ()), *self.by_end.get(text[-_KEY:], ()), *self.loose]
        found.sort(key=lambda p: -p.weight)
        return found

    def lookup(self, text: str) -> str | None:
        """The translation of ``text``, or None when no template made it."""
        hit = self.exact.get(text)
        if hit is not None:
            return hit
        for pattern in self.candidates(text):
            m = pattern.regex.match(text)
            if m is None:
                continue
            values = {slot.index: (m.group(i + 1) or "", slot.nested) for i, slot in enumerate(pattern.slots)}
            out = []
            for part in pattern.target:
                if isinstance(part, str):
                    out.append(part)
                    continue
                value, nested = values.get(part.index, ("", False))
                out.append(self.nested(value) if nested or part.nested else value)
            return "".join(out)
        return None

    def nested(self, value: str) -> str:
        """A message inside a message: a list of messages (joined with ``"; "``, as sentences, or with
        ``", "``) piece by piece when every piece is one; else the whole; else as it is. Pieces come first: a
        template such as ``"{0} needs {1}"`` would also match the whole list."""
        whole = self.exact.get(value)
        if whole is not None:
            return whole
        joined = self.one_line(value)
        if joined is not None:
            return joined
        for split, joiner in _LISTS:
            pieces = split.split(value)
            if len(pieces) < 2:
                continue
            done = [self.lookup(p) for p in pieces]
            if all(d is not None for d in done):
                return joiner.join(d for d in done if d is not None)
        found = self.lookup(value)
        return value if found is None else found

    def one_line(self, text: str) -> str | None:
        """An error's ``one_line()`` (``"message — fix"``, in a log line or inside a wider message): its message
        and fix each translated, still joined by the dash; None when ``text`` is not that or neither part is
        one of ours. Tried before the list splits: a fix's ``"; "`` must not cut the pair apart."""
        message, dash, fix = text.partition(_ONE_LINE)
        if not dash or not message or not fix:
            return None
        shown_message = self.lookup(message)
        shown_fix = self.lookup(fix)
        if shown_fix is None:
            shown_fix = self.sentences(fix)
        if shown_message is None and shown_fix == fix:
            return None
        return (message if shown_message is None else shown_message) + _ONE_LINE + shown_fix

    def sentences(self, text: str) -> str:
        """Text that no template made whole, when it is sentences glued together (a fix with a front end's
        own sentence appended): each sentence a template made is translated, the others stay as they are."""
        pieces = _SENTENCE.split(text)
        if len(pieces) < 2:
            return text
        done = [(self.lookup(p), p) for p in pieces]
        if all(found is None for found, _ in done):
            return text
        out = ""
        for i, (found, piece) in enumerate(done):
            english_here = found is None and piece[:1].isascii()
            english_before = i > 0 and done[i - 1][0] is None and done[i - 1][1][-1:].isascii()
            if i and (english_here or english_before):
                out += " "  # an English sentence keeps its space; Chinese ones need none
            out += piece if found is None else found
        return out


_ONE_LINE = " — "  # how HvmError.one_line() joins an error's message and fix
_SENTENCE = re.compile(r"(?<=[.!?]) (?=\S)|(?<=[。！？])(?=\S)")
_LISTS = ((re.compile(r"; "), "；"), (re.compile(r"(?<=[.!?]) "), ""), (re.compile(r", "), "、"))


def _compile(parts: list[str | _Slot], target: list[str | _Slot]) -> _Pattern:
    regex = [r"\A"]
    slots: list[_Slot] = []
    weight = 0
    for i, part in enumerate(parts):
        if isinstance(part, str):
            last_before_slot = i == len(parts) - 2 and isinstance(parts[-1], _Slot)
            if last_before_slot and part.endswith(" "):
                # f"{name} ... {notes}".strip() drops the space when the last value is empty
                regex.append(re.escape(part.rstrip(" ")))
                weight += len(part)
                continue
            regex.append(re.escape(part))
            weight += len(part)
        else:
            optional = i == len(parts) - 1 and i > 0 and isinstance(parts[i - 1], str) and parts[i - 1].endswith(" ")
            regex.append(r"(?: (.*?))?" if optional else "(.*?)")
            slots.append(part)
    regex.append(r"\Z")
    return _Pattern(re.compile("".join(regex), re.DOTALL), slots, target, weight)


_loaded: dict[str, Catalogue] = {}


def catalogue(lang: str) -> Catalogue | None:
    """The compiled catalogue of ``lang``; None for English or when its file is missing or unreadable (then
    asked again next time: a missing file is not remembered, a loaded one is)."""
    if lang == ENGLISH:
        return None
    found = _loaded.get(lang)
    if found is not None:
        return found
    try:
        from wizard.core.resources import resource_path

        path = resource_path("i18n", f"messages_{lang}.json")
        groups = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, HvmError):
        return None  # a missing catalogue shows English, it never stops the app
    found = _loaded[lang] = Catalogue({en: zh for group in groups.values() for en, zh in group.items()})
    return found


@lru_cache(maxsize=16384)
def _translate(text: str, lang: str, cat: Catalogue) -> str:
    found = cat.lookup(text)
    if found is not None:
        return found
    joined = cat.one_line(text)
    return joined if joined is not None else cat.sentences(text)


def _lang(lang: str | None) -> str:
    """``lang`` normalised, or the current language when none is given."""
    return normalise(lang) if lang else current_language()


def translate(text: str, lang: str | None = None) -> str:
    """``text`` (a message the code wrote in English) in ``lang`` (see the module contract)."""
    if not text:
        return text
    lang = _lang(lang)
    cat = catalogue(lang)
    return text if cat is None else _translate(text, lang, cat)


def user_text(text: str) -> str:
    """``text`` unchanged: marks words a person reads that are made here and translated where they are shown (a
    report line kept in English in the journal, a guest's change rendered into the migration report). The
    catalogue extractor takes each call's argument as a template, so :func:`translate` knows it."""
    return text


def phrase(template: str, *values: object, lang: str | None = None) -> str:
    """A short phrase of ours with values in it (``phrase("Generation {0}", 2)``): the translation of exactly
    ``template`` (the catalogue holds it as a literal, braces doubled), with ``values`` put in its ``{n}`` fields;
    ``template`` itself when there is none. Never matched against other text, unlike :func:`translate`'s
    templates: a phrase as short as ``"{0} failed"`` would capture every longer message that ends that way."""
    lang = _lang(lang)
    cat = catalogue(lang)
    text = template if cat is None else cat.exact.get(template, template)
    return text.format(*values)


def list_separator(lang: str | None = None) -> str:
    """What separates the items of a list in ``lang``: ``", "``, or the Chinese enumeration comma."""
    return "，" if _lang(lang) == "zh_CN" else ", "


def label_separator(lang: str | None = None) -> str:
    """What follows a label before its value in ``lang``: ``": "``, or the Chinese full-width colon."""
    return "：" if _lang(lang) == "zh_CN" else ": "


def translate_clauses(text: str, lang: str | None = None) -> str:
    """``text``, clauses of ours joined with ``"; "`` (what one change inside a guest did), each translated and
    joined as ``lang`` joins them."""
    lang = _lang(lang)
    joiner = "；" if lang == "zh_CN" else "; "
    return joiner.join(translate(part, lang) for part in text.split("; "))


def html_lang(lang: str | None = None) -> str:
    """The HTML ``lang`` attribute for ``lang`` (default: the current language): ``"en"`` or ``"zh-CN"``."""
    return _lang(lang).replace("_", "-")


def error_texts(exc: HvmError, lang: str | None = None) -> tuple[str, str]:
    """(message, fix) of a typed error in ``lang``. An :class:`InputError`'s location prefix (``path, offset
    N, field 'x': ``) keeps the path verbatim and translates the rest."""
    lang = _lang(lang)
    fix = translate(exc.fix, lang) if exc.fix else ""
    message = exc.message
    if isinstance(exc, InputError):
        where: list[str] = []
        shown: list[str] = []
        if exc.path is not None:
            where.append(exc.path)
            shown.append(exc.path)
        if exc.offset is not None:
            where.append(f"offset {exc.offset}")
            shown.append(translate(f"offset {exc.offset}", lang))
        if exc.field is not None:
            where.append(f"field {exc.field!r}")
            shown.append(translate(f"field {exc.field!r}", lang))
        prefix = ", ".join(where) + ": "
        if where and message.startswith(prefix):
            rest = translate(message[len(prefix):], lang)
            joiner = ("，" if lang != ENGLISH else ", ")
            colon = ("：" if lang != ENGLISH else ": ")
            return joiner.join(shown) + colon + rest, fix
    return translate(message, lang), fix


def error_line(exc: HvmError, lang: str | None = None) -> str:
    """:meth:`HvmError.one_line` in ``lang``: the message and fix on one line, for a terminal's stderr."""
    message, fix = error_texts(exc, lang)
    text = " ".join(message.split())
    if fix:
        text += " — " + " ".join(fix.split())
    return text
