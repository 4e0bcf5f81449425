"""The assessment as CSV: one row per finding, for Excel and scripts.

Contract: columns ``vm, vm_id, code, severity, title, message, fix, reference, subject``; UTF-8 with a BOM so
Excel detects the encoding; every cell that a spreadsheet would read as a formula (starting, after any
blanks, with ``=``, ``+``, ``-``, ``@``, tab, carriage return, line feed or a full-width ``＝＋－＠``) is
prefixed with a single quote. VMs without findings have no rows. The column names, codes and severities are
fixed identifiers for scripts; the title, message and fix are in the current language
(:func:`wizard.core.i18n.current_language`), as in the wizard.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from wizard.core.findings import COMMAND_LINE_WORDS, Assessment, FindingWords
from wizard.core.serial import write_text_atomic

COLUMNS = ("vm", "vm_id", "code", "severity", "title", "message", "fix", "reference", "subject")
# Also LF, and the full-width forms (＝＋－＠) that some spreadsheet locales read as the ASCII operators.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_BLANKS = " \u00a0\u3000"  # leading blanks some spreadsheets skip before reading a formula


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(_BLANKS).startswith(_FORMULA_START) else text


def render_csv(assessments: Iterable[Assessment], words: FindingWords = COMMAND_LINE_WORDS) -> str:
    """The CSV text (without the BOM; :func:`write_csv` adds it); ``words`` word each finding."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for a in assessments:
        for f in a.findings:
            w.writerow([safe_cell(v) for v in (a.vm.name, a.vm.id, f.code, f.severity.value, words.title(f),
                                                words.message(f), words.fix(f), f.reference, f.subject)])
    return buf.getvalue()


def write_csv(path: str | os.PathLike[str], assessments: Iterable[Assessment],
              words: FindingWords = COMMAND_LINE_WORDS) -> Path:
    return write_text_atomic(path, render_csv(assessments, words), encoding="utf-8-sig")

