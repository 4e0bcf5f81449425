"""VMware Tools rules."""

from __future__ import annotations

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.core.findings import Severity
from wizard.core.inventory import PowerState


def test_installed_tools_are_removed_by_the_fixups():
    a = one(make_vm(tools_status="ok", tools_version="12345"))
    assert finding(a, "TOOLS-REMOVE").adjusted and a.spec.fixups.remove_vmware_tools
    a = one(make_vm(tools_status="ok"), overrides=["fixups.remove_vmware_tools=false"])
    assert finding(a, "TOOLS-REMOVE").severity is Severity.WARNING
    assert "TOOLS-REMOVE" not in codes(make_vm(tools_status="notInstalled"))


def test_tools_not_running_on_a_running_vm_means_no_guest_facts():
    assert "TOOLS-NOT-RUNNING" in codes(make_vm(power_state=PowerState.ON, tools_status="notRunning"))
    assert "TOOLS-NOT-RUNNING" not in codes(make_vm(power_state=PowerState.OFF, tools_status="notRunning"))
    assert "TOOLS-NOT-RUNNING" not in codes(make_vm(power_state=PowerState.ON, tools_status="ok"))


def test_linux_tools_finding_promises_only_what_the_preparation_does():
    """The guest fix-ups only print instructions for Linux: the finding must not say they remove the tools. With
    the offline preparation off it says to uninstall by hand and why nothing is automated."""
    linux = make_vm(guest="debian12_64Guest", tools_status="ok", tools_version="12345")
    off = finding(one(linux, overrides=["guest.prepare_linux=false"]), "TOOLS-REMOVE")
    assert "fix-ups remove" not in off.fix and not off.adjusted
    assert "vmware-uninstall-tools.pl" in off.fix and "turned off" in off.fix
    assert "open-vm-tools" in off.fix
