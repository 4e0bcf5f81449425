"""Template & adjustments: a change for one VM touches only that VM; a bad combination is reported live."""

from __future__ import annotations

from tests.ui.driver import to_inventory, to_target, wait


def _to_template(qtbot, w, tmp_path):
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    w.currentPage().folder.setText(str(tmp_path / "bundle"))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE and w.currentPage().ready())
    return w.currentPage()


def test_override_for_one_vm_only(qtbot, wizard_window, tmp_path):
    w = wizard_window
    page = _to_template(qtbot, w, tmp_path)
    before = {i.vm.name: i.target.cpus for i in w.state.plan.items}
    one = next(iter(before))
    page.scope.setCurrentIndex(page.scope.findData(one))
    page.cpus.setValue(before[one] + 3)
    assert not page.isComplete(), "Next waits for the check"
    wait(qtbot, w, page.ready)
    after = {i.vm.name: i.target.cpus for i in w.state.plan.items}
    assert after[one] == before[one] + 3
    assert {k: v for k, v in after.items() if k != one} == {k: v for k, v in before.items() if k != one}


def test_tpm_on_generation_1_is_refused_live(qtbot, wizard_window, tmp_path):
    w = wizard_window
    page = _to_template(qtbot, w, tmp_path)
    page.generation.setCurrentIndex(page.generation.findData("1"))
    page._set("tpm", "true")
    qtbot.waitUntil(lambda: not page.busy and not page._debounce.isActive() and page.validation.text() != "",
                    timeout=60_000)
    qtbot.waitUntil(lambda: "✘" in page.validation.text(), timeout=60_000)
    assert not page.isComplete()


def test_save_as_template_offers_it_next_time(qtbot, wizard_window, tmp_path, monkeypatch):
    monkeypatch.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path / "config"))
    w = wizard_window
    page = _to_template(qtbot, w, tmp_path)
    page.memory.setValue(6144)
    wait(qtbot, w, page.ready)
    page.save_as_template("Branch office")
    wait(qtbot, w, page.ready)
    assert page.template.currentText() == "Branch office"
    assert all(i.target.memory.startup_mb == 6144 for i in w.state.plan.items)
    assert list((tmp_path / "config" / "templates").glob("*.json"))
