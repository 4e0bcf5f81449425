"""In zh_CN the wizard shows Chinese for what comes from below the window too: every finding's explanation, fix
and choice labels on the Compatibility page, and error dialogs' message and fix (their details stay as written,
for support). Values in them — VM names, disk labels, paths, user names — are shown as they are."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.driver import LONG, to_inventory, wait
from wizard.core.errors import AuthError
from wizard.ui import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(qapp):
    assert i18n.install(qapp, "zh_CN")
    yield
    i18n.install(qapp, "en")


@pytest.fixture
def chinese_window(qtbot, chinese):
    from wizard.ui.window import MigrationWizard

    w = MigrationWizard()
    qtbot.addWidget(w)
    w.show()
    return w


def test_error_dialog_in_chinese_keeps_the_user_name(qtbot, chinese):
    from wizard.ui.errors import ErrorDialog, message_of

    exc = AuthError("No password for DOMAIN\\admin@hv01.", details="keyring: no entry for DOMAIN\\admin")
    dialog = ErrorDialog(exc)
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == "没有 DOMAIN\\admin@hv01 的密码。"
    assert dialog.fix_label.text() == "请检查用户名和密码；该帐户可能已被锁定或缺少权限。"
    assert "keyring: no entry for DOMAIN\\admin" in dialog.details.toPlainText()  # details: as written
    assert message_of(exc) == "没有 DOMAIN\\admin@hv01 的密码。"  # status lines


def test_english_window_keeps_english(qtbot, qapp):
    from wizard.ui.errors import ErrorDialog

    i18n.install(qapp, "en")
    dialog = ErrorDialog(AuthError("No password for DOMAIN\\admin@hv01."))
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == "No password for DOMAIN\\admin@hv01."


def test_source_error_dialog_in_chinese(qtbot, chinese_window, tmp_path):
    w = chinese_window
    missing = tmp_path / "nowhere" / "web01.vmx"
    w.page(w.SOURCE).set_source_text(str(missing))
    w.next()
    qtbot.waitUntil(lambda: w.error_dialog is not None and w.error_dialog.isVisible(), timeout=30_000)
    d = w.error_dialog
    assert str(missing) in d.message_label.text()
    assert CJK.search(d.message_label.text()) and CJK.search(d.fix_label.text())
    d.close()


def test_compatibility_page_explains_every_finding_in_chinese(qtbot, chinese_window):
    w = chinese_window
    to_inventory(qtbot, w)
    w.currentPage().check_visible()
    w.next()
    compat = w.currentPage()
    wait(qtbot, w, lambda: not compat.busy and bool(w.state.assessments), LONG)
    english, shown, labels = [], 0, []
    for i in range(compat.vms.topLevelItemCount()):
        compat.vms.setCurrentItem(compat.vms.topLevelItem(i))
        for j in range(compat.findings.topLevelItemCount()):
            item = compat.findings.topLevelItem(j)
            compat.findings.setCurrentItem(item)
            finding = item.data(0, Qt.ItemDataRole.UserRole)
            text = compat.explain.toPlainText()
            paragraphs = [p for p in text.split("\n") if p.strip()]
            shown += 1
            # title, explanation, "What to do:" + fix; the source reference is a citation and stays as written
            for p in paragraphs[:3]:
                if not CJK.search(p):
                    english.append(f"{finding.code}: {p}")
            if finding.choices and compat.choices_box.isVisible():
                labels += [lab.text() for lab in compat.choices_box.findChildren(QLabel) if lab.text()]
    assert shown > 20
    assert not english, english
    assert labels and all(CJK.search(t) for t in labels), labels
    sql = next(i for i in range(compat.vms.topLevelItemCount()) if compat.vms.topLevelItem(i).text(0) == "sql-node2")
    compat.vms.setCurrentItem(compat.vms.topLevelItem(sql))
    compat.findings.setCurrentItem(compat.findings.topLevelItem(0))
    assert "Hard disk 1 是物理模式裸设备映射" in compat.explain.toPlainText()  # the disk's label as it is


def test_the_user_name_example_stays_as_windows_writes_it(chinese_window):
    """``DOMAIN\\admin`` is the form Windows sign-in takes, in every language (not ``域\\管理员``)."""
    page = chinese_window.page(chinese_window.TARGET)
    assert page.user.placeholderText() == "DOMAIN\\admin"
