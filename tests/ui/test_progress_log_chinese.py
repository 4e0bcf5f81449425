"""In zh_CN the Progress page's log shows the run's warnings and errors in Chinese: the scheduler writes them in
English, the catalogue translates them, paths and VM names stay as they are."""

from __future__ import annotations

import errno
import os
import threading
import types
from pathlib import Path

import pytest

from tests.ui.driver import to_inventory, to_progress, to_target, wait
from wizard.core.errors import Cancelled
from wizard.core.progress import ProgressEvent
from wizard.disks.convert import convert
from wizard.migrate import journal as journal_module
from wizard.ui import i18n
from wizard.ui.window import MigrationWizard


class Held:
    """The disk converter, held back until released (so the test can fill the journal's disk first)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def __call__(self, src, dst_path, options, progress=None, cancel=None, **_kw):  # noqa: ANN001, ANN204
        while not self.release.is_set():
            if cancel.wait(0.005):
                raise Cancelled(cancel.reason)
            progress(ProgressEvent("hash", 1, 100))
        return convert(src, dst_path, options, progress, cancel)


def _full_disk_os() -> types.SimpleNamespace:
    """The journal module's ``os`` with a disk that is full: every write fails as on a full disk."""
    def write(_fd: int, _data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return types.SimpleNamespace(**{**vars(os), "write": write})


@pytest.fixture
def chinese_run(qtbot, qapp, tmp_path):
    assert i18n.install(qapp, "zh_CN")
    held = Held()
    w = MigrationWizard(converter=held)
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    to_progress(qtbot, w, str(tmp_path / "bundle"))
    yield w, held
    held.release.set()
    if w.state.runner is not None:
        w.state.runner.cancel_all()
        w.state.runner.wait(30)
    i18n.install(qapp, "en")


def test_a_journal_on_a_full_disk_is_logged_in_chinese(qtbot, chinese_run, monkeypatch):
    w, held = chinese_run
    page = w.currentPage()
    journal = w.state.runner.migration.run._journal.path
    monkeypatch.setattr(journal_module, "os", _full_disk_os())  # the journal's disk fills up mid-run
    held.release.set()
    wait(qtbot, w, lambda: "日志已无法写入" in page.log.toPlainText())
    line = next(t for t in page.log.toPlainText().splitlines() if "日志已无法写入" in t)
    assert f"写入日志失败：{Path(journal)}：所在磁盘已满。 — 请释放该处的空间" in line  # the path verbatim
    assert "The journal can no longer be written" not in line and "disk that holds it" not in line
