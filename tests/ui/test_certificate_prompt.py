"""The certificate prompt: Trust right after the prompt opens connects (the page is not still "busy" with the
attempt that failed), and the thumbprint can be selected to compare or paste."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.driver import wait
from wizard.app.sources import open_source
from wizard.core.errors import CertificateError
from wizard.ui.window import MigrationWizard

THUMBPRINT = ":".join(["3F", "9A", "12", "7C"] * 8)


class UntrustedOnce:
    """Opening a source as the application layer does, except that the first connection presents an unknown
    certificate (the demo stands in for the server once it is trusted)."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def __call__(self, text: str, **kwargs):  # noqa: ANN003, ANN204
        self.attempts.append(kwargs.get("thumbprint", ""))
        if len(self.attempts) == 1:
            raise CertificateError("vc01.example.com presented an untrusted certificate", thumbprint=THUMBPRINT)
        return open_source("demo")


def test_trust_right_away_connects(qtbot, monkeypatch):
    services = UntrustedOnce()
    monkeypatch.setattr("wizard.ui.pages.source.open_source", services)
    w = MigrationWizard()
    qtbot.addWidget(w)
    w.show()
    page = w.currentPage()
    page.set_source_text("vsphere://administrator@vc01.example.com")
    idle_when_asked: list[bool] = []
    ask = page._ask_trust
    page._ask_trust = lambda thumbprint: (idle_when_asked.append(not page.busy), ask(thumbprint))
    w.next()
    wait(qtbot, w, lambda: page.trust_prompt is not None)
    assert idle_when_asked == [True], "an answer given now must not be dropped as 'still connecting'"
    box = page.trust_prompt
    assert THUMBPRINT in box.informativeText()
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0].click()
    wait(qtbot, w, lambda: w.currentId() == w.INVENTORY)
    assert services.attempts == ["", THUMBPRINT]


def test_an_untrusted_hyperv_host_names_the_thumbprint_field_not_a_flag(qtbot, monkeypatch, tmp_path):
    """The Target page's error for a host whose certificate is not trusted tells the user to paste the thumbprint
    into the page's Certificate thumbprint field (the core's fix names --thumbprint, a flag the wizard has not)."""
    from tests.ui.driver import to_inventory, to_target

    def untrusted(spec, cancel, credentials):  # noqa: ANN001, ANN202 - probe_target's signature
        raise CertificateError("Hyper-V host hv01 presented an untrusted certificate", thumbprint=THUMBPRINT)

    monkeypatch.setattr("wizard.ui.pages.target.probe_target", untrusted)
    w = MigrationWizard()
    qtbot.addWidget(w)
    w.show()
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    page = w.currentPage()
    page.folder.setText(str(tmp_path / "bundle"))
    page.probe()
    qtbot.waitUntil(lambda: w.error_dialog is not None and w.error_dialog.isVisible(), timeout=10_000)
    fix = w.error_dialog.fix_label.text()
    assert THUMBPRINT in fix and "Certificate thumbprint" in fix and "--thumbprint" not in fix
    w.error_dialog.close()
