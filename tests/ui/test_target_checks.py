"""Check target tells a user before the migration that the bundle folder cannot be written."""

from __future__ import annotations

import tempfile

import pytest

from tests.ui.driver import to_inventory, to_target

UNWRITABLE = "/sys/hvmigrate-bundle"  # sysfs refuses new files even to root


def _unwritable() -> bool:
    try:
        tempfile.TemporaryFile(dir="/sys").close()
    except OSError:
        return True
    return False


@pytest.mark.skipif(not _unwritable(), reason="needs a folder nobody can write in (/sys on Linux)")
def test_unwritable_bundle_folder_is_refused_with_a_fix(qtbot, wizard_window, tmp_path):
    w = wizard_window
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    page = w.currentPage()
    page.folder.setText(str(tmp_path / "fine"))
    page.check.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert "usable" in page.info.text()
    page.folder.setText(UNWRITABLE)
    assert page.info.text() == "", "what was said of the other folder is gone"
    w.next()
    qtbot.waitUntil(lambda: w.error_dialog is not None and w.error_dialog.isVisible(), timeout=30_000)
    d = w.error_dialog
    assert UNWRITABLE in d.message_label.text() and "cannot write" in d.message_label.text()
    assert "write access" in d.fix_label.text()
    assert w.currentId() == w.TARGET
