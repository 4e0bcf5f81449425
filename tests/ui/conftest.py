"""UI test set-up: settings in a temp folder, English by default, and a wizard fixture."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def temp_settings(tmp_path, monkeypatch):
    folder = tmp_path / "settings"
    monkeypatch.setenv("HVMIGRATE_SETTINGS_DIR", str(folder))
    # run records (what the wizard offers to resume) and journals of one test are no other test's business
    monkeypatch.setenv("HVMIGRATE_STATE_DIR", str(tmp_path / "state"))
    return folder


@pytest.fixture
def wizard_window(qtbot, qapp):
    from wizard.ui import i18n
    from wizard.ui.window import MigrationWizard

    i18n.install(qapp, "en")
    w = MigrationWizard()
    qtbot.addWidget(w)
    w.show()
    yield w
    runner = w.state.runner
    if runner is not None:
        runner.cancel_all()
        runner.wait(30)
