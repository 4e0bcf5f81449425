"""Guest fix-up data and per-distribution Linux instructions."""

from __future__ import annotations

from wizard.core.inventory import GuestIP, GuestOS, Nic, SourceVM
from wizard.core.plan import NicSpec, PlanItem, VMSpec
from wizard.targets import guest_fixups


def _vm(guest_id: str, full: str, family: str = "linux") -> SourceVM:
    return SourceVM(name="x", guest=GuestOS(id=guest_id, full_name=full, family=family))


def test_dracut_family_gets_dracut_steps():
    steps = "\n".join(guest_fixups.linux_instructions(_vm("rhel8_64Guest", "Red Hat Enterprise Linux 8")))
    assert "dracut -f" in steps and "hv_vmbus hv_storvsc hv_netvsc" in steps and "ifcfg" in steps


def test_debian_family_gets_initramfs_tools_steps():
    steps = "\n".join(guest_fixups.linux_instructions(_vm("ubuntu64Guest", "Ubuntu Linux (64-bit)")))
    assert "update-initramfs -u" in steps and "/etc/initramfs-tools/modules" in steps and "netplan" in steps
    assert "dracut" not in steps


def test_unknown_distribution_still_names_the_modules():
    steps = "\n".join(guest_fixups.linux_instructions(_vm("otherLinux64Guest", "Other Linux")))
    assert "hv_storvsc" in steps


def test_windows_data_carries_only_manual_addresses_mapped_to_the_new_adapter():
    vm = SourceVM(name="w", guest=GuestOS(family="windows"),
                  nics=[Nic(mac="00:50:56:00:00:01"), Nic(mac="00:50:56:00:00:02")],
                  guest_ips=[GuestIP(address="10.0.0.5", prefix_length=24, origin="manual", mac="00:50:56:00:00:02",
                                     gateways=["10.0.0.1"], dns_servers=["10.0.0.53"]),
                             GuestIP(address="10.0.0.9", prefix_length=24, origin="dhcp", mac="00:50:56:00:00:01")])
    item = PlanItem(vm=vm, target=VMSpec(name="w", nics=[NicSpec(source_index=0), NicSpec(
        source_index=1, static_mac="00:50:56:00:00:02")]))
    data = guest_fixups.windows_fixup_data(item, "Administrator", "secret")
    assert [ip["address"] for ip in data["static_ips"]] == ["10.0.0.5"]
    assert data["static_ips"][0]["adapter_mac"] == "005056000002"
    report = guest_fixups.offline_report(item)
    assert any("10.0.0.5/24" in line for line in report.instructions)
    assert "secret" not in repr(report)
