"""From the vCenter simulator to an offline bundle: certificate prompt, discovery, one VM migrated."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.fixtures.disks import qemu_img
from tests.ui.driver import LONG, to_progress, to_target, wait
from wizard.core.inventory import PowerState
from wizard.sources.vsphere_tls import known_thumbprint

pytestmark = pytest.mark.vcsim


def test_vcenter_to_bundle(qtbot, wizard_window, vcsim, tmp_path, memory_keyring):
    w = wizard_window
    page = w.currentPage()
    page.set_source_text(f"vsphere://{vcsim.user}@{vcsim.host}:{vcsim.port}")
    page.password.setText(vcsim.password)
    page.remember.setChecked(True)
    w.next()
    qtbot.waitUntil(lambda: page.trust_prompt is not None, timeout=LONG)
    box = page.trust_prompt
    thumbprint = box.informativeText().rsplit("\n", 1)[-1].strip()
    assert ":" in box.informativeText() or len(box.informativeText()) > 40  # the thumbprint is shown
    trust = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0]
    trust.click()
    wait(qtbot, w, lambda: w.currentId() == w.INVENTORY)
    inv = w.currentPage()
    assert inv.model.rowCount() >= 1
    inv.search.setText("DC0_H0_VM0")
    assert inv.proxy.rowCount() == 1
    vm = inv.model.vms[inv.proxy.visible_source_rows()[0]]
    disk_file = vcsim.datastore_dir() / vm.disks[0].path.split("] ", 1)[1]
    original = disk_file.read_bytes()
    try:  # the simulator's disk files are empty: give this one real VMDK content for the conversion
        raw, made = tmp_path / "disk.raw", tmp_path / "made.vmdk"
        with raw.open("wb") as f:
            f.write(b"\x5a" * 1024 * 1024)
            f.truncate(vm.disks[0].capacity_bytes)
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(made))
        disk_file.write_bytes(made.read_bytes())
        to_target(qtbot, w)
        to_progress(qtbot, w, str(tmp_path / "bundle"))
        progress = w.currentPage()
        wait(qtbot, w, progress.isComplete, LONG * 2)
    finally:
        disk_file.write_bytes(original)
    errors = {k: getattr(v, "message", v) for k, v in w.state.runner.errors.items()}
    assert set(w.state.runner.states.values()) == {"done"}, errors
    assert list((tmp_path / "bundle").rglob("manifest.json"))
    # a running vSphere VM is copied from a snapshot unless the user chooses otherwise on the template page
    assert not w.page(w.TEMPLATE).source_policy.isHidden()
    running = [i for i in w.state.plan.items if i.vm.power_state is PowerState.ON]
    assert running and all(i.source_policy == "snapshot" for i in running)
    # the pinned thumbprint is remembered where the CLI finds it too, the password is not
    assert known_thumbprint(vcsim.host, vcsim.port) == thumbprint
    keys = {k: w.settings.value(k) for k in w.settings.allKeys()}
    assert not any(k.startswith("thumbprints/") for k in keys), "one store of trusted certificates"
    assert vcsim.password not in str(keys)
    assert memory_keyring.store.get(("hvmigrate:vsphere", f"{vcsim.user}@{vcsim.host}")) == vcsim.password
