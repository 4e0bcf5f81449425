"""The wizard a help-desk person can trust: what a page says is what will happen.

Test connection really connects; "All ticked VMs" changes only what was touched; Enter on the Summary starts
nothing; one selection for every page; a bundle folder's state is said as it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.driver import LONG, no_error, to_compatibility, to_inventory, to_target, wait

CLOSED = "127.0.0.1:1"  # nothing listens on port 1: the connection is refused at once


def _error_text(w) -> str:  # noqa: ANN001
    d = w.error_dialog
    assert d is not None and d.isVisible(), "an error dialog is open"
    return d.message_label.text() + " | " + d.fix_label.text()


def _close_error(qtbot, w) -> None:  # noqa: ANN001
    w.error_dialog.close()
    qtbot.waitUntil(lambda: not w.error_dialog.isVisible())


def test_test_connection_to_a_closed_port_fails_as_next_does(qtbot, wizard_window):
    w = wizard_window
    page = w.currentPage()
    page.radio_vsphere.setChecked(True)
    page.address.setText(CLOSED)
    page.user.setText("user")
    page.password.setText("any password at all")

    page.test_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=LONG)
    assert "Connected" not in page.status.label.text() and "Signed in" not in page.status.label.text()
    tested = _error_text(w)
    assert "127.0.0.1:1" in tested
    _close_error(qtbot, w)

    w.next()
    qtbot.waitUntil(lambda: not page.busy and w.error_dialog is not None and w.error_dialog.isVisible(),
                    timeout=LONG)
    assert _error_text(w) == tested, "Test connection and Next report the same problem with the same fix"
    assert w.currentId() == w.SOURCE


def test_a_pasted_source_address_is_accepted_and_a_bad_port_names_the_address_field(qtbot, wizard_window):
    w = wizard_window
    page = w.currentPage()
    page.radio_vsphere.setChecked(True)
    page.address.setText("vsphere://nobody@" + CLOSED)  # as copied from a plan or the command line
    page.password.setText("x")
    assert page.isComplete(), "the user inside the pasted address counts"
    page.test_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=LONG)
    text = _error_text(w)
    assert "bad port" not in text and "127.0.0.1:1" in text, "it tried the server, not a garbled address"
    _close_error(qtbot, w)
    page._tidy_address()  # leaving the field shows what is used
    assert (page.address.text(), page.user.text()) == (CLOSED, "nobody")

    page.address.setText("vc01.example.com:https")
    page.test_button.click()
    assert not page.busy, "nothing is tried with an address that names no port"
    assert "Address field" in page.status.label.text() and "port" in page.status.label.text()
    no_error(w)


def test_an_unticked_blocked_vm_stays_unticked_after_back_and_next(qtbot, wizard_window):
    w = wizard_window
    to_inventory(qtbot, w)
    compat = to_compatibility(qtbot, w)
    blocked = [vm_id for vm_id, a in w.state.assessments.items() if a.blocked]
    assert blocked, "the demo has a blocked VM (sql-node2)"
    for i in range(compat.vms.topLevelItemCount()):
        item = compat.vms.topLevelItem(i)
        if item.data(0, Qt.ItemDataRole.UserRole) in blocked:
            item.setCheckState(0, Qt.CheckState.Unchecked)
    assert compat.isComplete()

    w.back()
    inventory = w.currentPage()
    assert w.currentId() == w.INVENTORY
    assert not set(blocked) & inventory.model.checked, "the Inventory page shows the same selection"
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.COMPAT and not compat.busy)
    assert not set(blocked) & set(w.state.selected)
    assert compat.isComplete(), "Next is not blocked again by a VM the user left out"


def _to_template(qtbot, w, tmp_path):  # noqa: ANN001, ANN202
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    w.currentPage().folder.setText(str(tmp_path / "bundle"))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE and w.currentPage().ready())
    return w.currentPage()


def _targets(w) -> dict:  # noqa: ANN001
    return {i.vm.name: i.target for i in w.state.plan.items}


def test_all_ticked_vms_shows_mixed_values_and_changes_only_the_touched_field(qtbot, wizard_window, tmp_path):
    w = wizard_window
    page = _to_template(qtbot, w, tmp_path)
    assert page.scope.currentIndex() == 0, "All ticked VMs"
    before = _targets(w)
    memory = {name: t.memory.startup_mb for name, t in before.items()}
    generation = {name: t.generation for name, t in before.items()}
    assert len(set(memory.values())) > 1 and len(set(generation.values())) > 1, "the demo's VMs differ"
    assert page.memory.text() == "mixed", "no one VM's memory stands for all of them"
    assert page.generation.currentText() == "(mixed)"

    page.cpus.setValue(6)
    wait(qtbot, w, page.ready)
    after = _targets(w)
    assert {t.cpus for t in after.values()} == {6}
    assert {name: t.memory.startup_mb for name, t in after.items()} == memory, "each VM keeps its memory"
    assert {name: t.generation for name, t in after.items()} == generation, "and its generation"
    assert page.memory.text() == "mixed" and page.cpus.value() == 6
    assert "CPUs: 6" in page.changes.text()

    page.reset.click()
    wait(qtbot, w, page.ready)
    assert {name: t.cpus for name, t in _targets(w).items()} == {name: t.cpus for name, t in before.items()}
    assert page.changes.text() == ""


def test_tpm_on_generation_1_is_said_once_in_words(qtbot, wizard_window, tmp_path):
    w = wizard_window
    page = _to_template(qtbot, w, tmp_path)
    assert page.tpm.checkState() == Qt.CheckState.PartiallyChecked, "only the Windows 11 VM has a TPM"
    page.tpm.setChecked(True)  # for all ticked VMs: the two BIOS VMs are Generation 1
    wait(qtbot, w, lambda: not page.busy and not page._debounce.isActive() and "✘" in page.validation.text())
    shown = page.validation.text() + "\n" + page.problems.text()
    assert "GEN1-NO-UEFI" not in shown and "--set" not in shown, "no internal code, no command-line flag"
    assert shown.count("Generation 1 has no Secure Boot or TPM") == 1
    assert "legacy-app01" in page.problems.text() and "centos7-db" in page.problems.text()
    assert "Template page" in page.problems.text(), "the fix names the control's page"
    assert not page.isComplete()


def _to_summary(qtbot, w, tmp_path):  # noqa: ANN001, ANN202
    page = _to_template(qtbot, w, tmp_path)
    wait(qtbot, w, page.ready)
    w.next()
    assert w.currentId() == w.NETWORKS
    w.next()
    summary = w.currentPage()
    wait(qtbot, w, summary.ready)
    return summary


def test_enter_on_the_summary_starts_nothing_and_it_says_what_will_happen(qtbot, wizard_window, tmp_path):
    from PySide6.QtWidgets import QWizard

    w = wizard_window
    summary = _to_summary(qtbot, w, tmp_path)
    assert not w.button(QWizard.WizardButton.CommitButton).isDefault(), "Start is not the default button"
    for widget in (summary.text, summary.fixups, summary):
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClick(widget, Qt.Key.Key_Enter)
    assert w.currentId() == w.SUMMARY and w.state.migration is None, "no migration was started"
    assert "Start migration" in summary.status.label.text(), "the page says how to start"

    text = summary.text.toPlainText()
    assert "sql-node2" in text and "Physical-mode raw device mapping" in text, "left out, and why"
    assert "Static IP addresses belong to the old adapter" in text, "the warnings themselves, not a count"
    assert "switch “VM Network”" in text and "new MAC from Hyper-V" in text
    assert "VHDX dynamically expanding" in text and "virtual TPM on" in text and "Checkpoints:" in text
    assert "On the source:" in text
    assert "Estimated time: less than a minute" in text, "no clock-like 00:01"


def test_summary_durations_read_as_hours_and_minutes(qtbot, wizard_window):
    page = wizard_window.page(wizard_window.SUMMARY)
    assert page.duration(3900) == "1 h 05 min"
    assert page.duration(45 * 60) == "45 min"
    assert page.duration(20) == "less than a minute"


def test_a_bundle_folder_that_holds_files_or_does_not_exist_is_described_as_such(qtbot, wizard_window, tmp_path):
    w = wizard_window
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    page = w.currentPage()
    full = tmp_path / "exports"
    full.mkdir()
    (full / "old-export.ova").write_bytes(b"x")
    (full / "notes.txt").write_text("x")
    page.folder.setText(str(full))
    page.check.click()
    wait(qtbot, w, lambda: not page.busy and page.info.text() != "")
    assert "already holds 2 item" in page.info.text() and "beside them" in page.info.text()

    page.folder.setText(str(tmp_path / "new"))
    page.check.click()
    wait(qtbot, w, lambda: not page.busy and page.info.text() != "")
    assert "will be created" in page.info.text()


def test_the_hyperv_target_says_where_vms_and_disks_go(qtbot, wizard_window, winrm_host, monkeypatch):
    monkeypatch.setattr("wizard.app.targets._session", lambda spec, password: winrm_host.session())
    w = wizard_window
    page = w.page(w.TARGET)
    page.radio_hyperv.setChecked(True)
    page.host.setText("127.0.0.1")
    page.user.setText(winrm_host.server.user)
    page.password.setText("x")
    page.probe()
    wait(qtbot, w, lambda: not page.busy and w.state.target_info is not None)
    info = w.state.target_info
    assert info.vm_path and f"VMs go to: {info.vm_path}" in page.info.text()
    assert "Disks go to:" in page.info.text() or "Disk share" in page.info.text()
    page.vm_path.setText("E:\\VMs")
    assert "VMs go to: E:\\VMs." in page.info.text()
    assert w.state.plan_request().sets.get("path") == "E:\\VMs", "the folder is the plan's path setting"


def test_fixes_name_controls_and_a_plan_change_is_a_button_that_does_not_go_in_a_circle(qtbot, wizard_window):
    w = wizard_window
    to_inventory(qtbot, w)
    compat = to_compatibility(qtbot, w)

    def show(vm: str, code: str) -> None:
        items = [compat.vms.topLevelItem(i) for i in range(compat.vms.topLevelItemCount())]
        compat.vms.setCurrentItem(next(i for i in items if i.text(0) == vm))
        findings = [compat.findings.topLevelItem(i) for i in range(compat.findings.topLevelItemCount())]
        compat.findings.setCurrentItem(next(i for i in findings if i.data(0, Qt.ItemDataRole.UserRole).code == code))

    def buttons() -> list:
        return compat.fix_box.findChildren(type(compat.export_csv))

    show("sql-node2", "RDM-PHYSICAL")
    assert "--set" not in compat.explain.toPlainText() and "Leave this disk out" in compat.explain.toPlainText()
    [leave] = buttons()
    assert leave.text() == "Leave this disk out"
    assert not leave.isEnabled(), "leaving out the only (boot) disk would block the VM again: not offered"
    assert "Disk left out" in compat.fix_box.findChildren(type(compat.summary))[0].text()

    w.state.choices["web01"] = {"disk.0.include": "false"}  # the boot disk left out, as a choice would do
    compat.assess(keep_listed=True)
    wait(qtbot, w, lambda: not compat.busy)
    show("web01", "DISK-EXCLUDED")
    assert "--set" not in compat.explain.toPlainText()
    [copy] = buttons()
    assert copy.text() == "Copy this disk" and copy.isEnabled()
    copy.click()
    wait(qtbot, w, lambda: not compat.busy)
    web01 = next(a for a in w.state.assessments.values() if a.vm.name == "web01")
    assert not web01.blocked and w.state.choices["web01"]["disk.0.include"] == "true"


def test_bundle_switch_names_are_explained_and_one_switch_for_all_is_asked_first(qtbot, wizard_window, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    w = wizard_window
    page = _to_template(qtbot, w, tmp_path)
    wait(qtbot, w, page.ready)
    w.next()
    networks = w.currentPage()
    assert w.currentId() == w.NETWORKS
    assert "Create-VM.ps1" in networks.where.text() and "must be a virtual switch" in networks.where.text()
    assert networks.warning.isHidden(), "each network has its own name: nothing to warn about"
    for row in range(networks.table.rowCount()):
        networks.table.cellWidget(row, 2).setEditText("LAN")
    assert not networks.warning.isHidden() and "LAN" in networks.warning.text()

    w.next()
    assert w.currentId() == w.NETWORKS, "every network on one switch is asked about before going on"
    box = networks.one_switch_prompt
    assert box is not None and box.isVisible()
    use = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    use.click()
    wait(qtbot, w, lambda: w.currentId() == w.SUMMARY)
    assert {m.switch for m in w.state.network_map} == {"LAN"}


def test_the_reports_the_wizard_saves_say_what_its_pages_said(qtbot, wizard_window, tmp_path):
    """Export HTML / Export CSV on the Compatibility page: each fix names the wizard's control, as the page does,
    not a command-line flag the help-desk user has no use for."""
    w = wizard_window
    to_inventory(qtbot, w)
    compat = to_compatibility(qtbot, w)
    for kind in ("html", "csv"):
        path = tmp_path / f"compatibility.{kind}"
        compat.export(kind, str(path))
        wait(qtbot, w, lambda p=path: p.exists() and not compat.busy)
        text = path.read_text(encoding="utf-8-sig")
        assert "Leave this disk out" in text, kind  # sql-node2's RDM, in the page's words
        assert "--set" not in text and "--map-network" not in text, kind
