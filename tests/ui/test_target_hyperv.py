"""The Target page against the WinRM stand-in: a Hyper-V host's version, switches and free space appear."""

from __future__ import annotations

from tests.ui.driver import wait


def test_hyperv_host_check_shows_switches(qtbot, wizard_window, winrm_host, monkeypatch):
    monkeypatch.setattr("wizard.app.targets._session", lambda spec, password: winrm_host.session())
    w = wizard_window
    page = w.page(w.TARGET)
    page.radio_hyperv.setChecked(True)
    page.host.setText("127.0.0.1")
    page.user.setText(winrm_host.server.user)
    page.password.setText("not-stored")
    page.probe()
    wait(qtbot, w, lambda: not page.busy and w.state.target_info is not None, 60_000)
    info = w.state.target_info
    assert info.switches, "the stand-in host has virtual switches"
    for name in info.switches:
        assert name in page.info.text()
    assert "Hyper-V" in page.info.text()
    assert w.settings.value("target/host") == "127.0.0.1"
    assert "not-stored" not in str(dict((k, w.settings.value(k)) for k in w.settings.allKeys()))
