"""Device rules: each unsupported device gets a DeviceChoice; 'block' makes it a blocker."""

from __future__ import annotations

import pytest

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.compat.engine import assess
from wizard.core.errors import PlanError
from wizard.core.findings import Severity
from wizard.core.inventory import Device, DeviceKind, Firmware
from wizard.core.plan import DeviceAction


def _vm(kind: DeviceKind, label: str = "dev 1", **kw):
    return make_vm(devices=[Device(kind=kind, label=label, **kw)])


@pytest.mark.parametrize("kind, code", [
    (DeviceKind.USB_CONTROLLER, "DEV-USB"), (DeviceKind.USB, "DEV-USB"), (DeviceKind.SERIAL, "DEV-SERIAL"),
    (DeviceKind.PARALLEL, "DEV-PARALLEL"), (DeviceKind.FLOPPY, "DEV-FLOPPY"),
    (DeviceKind.PCI_PASSTHROUGH, "DEV-PCI-PASSTHROUGH"), (DeviceKind.VGPU, "DEV-VGPU"),
    (DeviceKind.SOUND, "DEV-OTHER"), (DeviceKind.SMART_CARD, "DEV-OTHER"),
])
def test_each_unsupported_device_is_flagged_and_dropped_by_default(kind, code):
    a = one(_vm(kind))
    f = finding(a, code)
    assert f.subject == "dev 1" and f.choices and f.choices[0].key == "device:dev 1"
    assert [(d.device_label, d.action) for d in a.spec.devices] == [("dev 1", DeviceAction.DROP)]
    assert code not in codes(make_vm())


def test_choosing_block_makes_a_blocker():
    a = one(_vm(DeviceKind.PCI_PASSTHROUGH, label="GPU"), overrides=["device:GPU=block"])
    assert a.blocked and finding(a, "DEV-PCI-PASSTHROUGH").severity is Severity.BLOCKER


def test_serial_port_can_be_converted():
    a = one(_vm(DeviceKind.SERIAL, label="Serial port 1", backing="/dev/ttyS0"),
            per_vm={"web01": {"device:Serial port 1": "convert"}})
    assert a.spec.devices[0].action is DeviceAction.CONVERT
    assert "convert" in finding(a, "DEV-SERIAL").choices[0].options


def test_connected_cdrom_becomes_an_empty_dvd_drive_and_disconnected_one_is_silent():
    a = one(_vm(DeviceKind.CDROM, label="CD/DVD drive 1", connected=True, backing="[ds] iso/x.iso"))
    assert a.spec.devices[0].action is DeviceAction.CONVERT and "DEV-CDROM" in {f.code for f in a.findings}
    assert "DEV-CDROM" not in codes(_vm(DeviceKind.CDROM, connected=False))


def test_floppy_convert_only_offered_on_gen1():
    gen1 = finding(one(make_vm(firmware=Firmware.BIOS, devices=[Device(kind=DeviceKind.FLOPPY, label="F")])),
                   "DEV-FLOPPY")
    gen2 = finding(one(_vm(DeviceKind.FLOPPY)), "DEV-FLOPPY")
    assert "convert" in gen1.choices[0].options and gen2.choices[0].options == ["drop"]


def test_vm_without_such_devices_has_no_device_findings():
    quiet = codes(make_vm(devices=[Device(kind=DeviceKind.CDROM, label="CD", connected=False)]))
    for code in ("DEV-USB", "DEV-SERIAL", "DEV-PARALLEL", "DEV-FLOPPY", "DEV-CDROM", "DEV-PCI-PASSTHROUGH",
                 "DEV-VGPU", "DEV-OTHER"):
        assert code not in quiet


def test_a_device_choice_for_all_vms_only_touches_vms_that_have_the_device():
    with_dev, without = _vm(DeviceKind.USB, label="Dongle"), make_vm(name="other")
    a, b = assess([with_dev, without], overrides=["device:Dongle=block"])
    assert a.blocked and not b.blocked and b.spec.devices == []
    with pytest.raises(PlanError, match="Dongle"):
        assess([without], per_vm={"other": {"device:Dongle": "drop"}})


def test_gen1_dvd_drive_is_dropped_when_disks_fill_every_ide_place():
    from wizard.core.inventory import Controller

    vm = make_vm(firmware=Firmware.BIOS, disks=4, devices=[Device(kind=DeviceKind.CDROM, label="CD", connected=True)])
    for d in vm.disks:
        d.controller = Controller.IDE
    a = one(vm)
    assert a.spec.devices[0].action is DeviceAction.DROP and "IDE" in finding(a, "DEV-CDROM").message
    vm.disks = vm.disks[:3]
    a = one(vm)
    assert a.spec.devices[0].action is DeviceAction.CONVERT
    assert (1, 0) not in {(d.controller_number, d.location) for d in a.spec.disks}
