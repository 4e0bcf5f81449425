"""Use cases for reports: the compatibility report (HTML or CSV) and a run's migration report.

A run's report is written by :meth:`wizard.app.migration.Migration.finish`; this module holds the
assessment reports both front ends export.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from wizard.core.errors import InputError
from wizard.core.findings import COMMAND_LINE_WORDS, Assessment, FindingWords
from wizard.report.csv_report import write_csv
from wizard.report.html import write_html

REPORT_KINDS = ("html", "csv")


def write_assessment_report(kind: str, path: str | os.PathLike[str], assessments: Sequence[Assessment], *,
                            source: str = "", target_version: str = "unknown",
                            words: FindingWords = COMMAND_LINE_WORDS) -> Path:
    """Write the compatibility report of ``assessments`` as ``kind`` (html or csv) to ``path``, each finding
    worded by ``words`` (the wizard passes its own: its fixes name controls, not flags)."""
    if kind == "html":
        return write_html(path, assessments, source=source, target_version=target_version, words=words)
    if kind == "csv":
        return write_csv(path, assessments, words)
    raise InputError(f"unknown report kind {kind!r}", fix="Use " + " or ".join(REPORT_KINDS) + ".")
