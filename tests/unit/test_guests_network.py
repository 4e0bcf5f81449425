"""Network configuration moved from the VMware adapter (ens192, its MAC) to the Hyper-V one (eth0)."""

from __future__ import annotations

from wizard.guests import initramfs as ird
from wizard.guests import network as net
from wizard.guests.edits import original_path

OLD = "00:50:56:9a:01:03"
MOVED = [net.Nic(old_mac=OLD, new_name="eth0", keep_mac=False)]
KEPT = [net.Nic(old_mac=OLD, new_name="eth0", keep_mac=True)]

IFCFG = f"""TYPE=Ethernet
BOOTPROTO=none
NAME=ens192
DEVICE=ens192
HWADDR={OLD.upper()}
ONBOOT=yes
IPADDR=192.0.2.10
PREFIX=24
GATEWAY=192.0.2.1
"""


def test_ifcfg_bound_to_the_vmware_mac_is_bound_to_the_new_adapter():
    text, name, what = net.rewrite_ifcfg("ifcfg-ens192", IFCFG, MOVED)
    assert name == "ifcfg-eth0"
    assert "HWADDR" not in text
    assert "DEVICE=eth0" in text
    # the static address stays exactly as it was
    for line in ("IPADDR=192.0.2.10", "PREFIX=24", "GATEWAY=192.0.2.1", "BOOTPROTO=none", "ONBOOT=yes"):
        assert line in text.splitlines()
    assert any("HWADDR" in w for w in what)


def test_ifcfg_with_the_mac_kept_keeps_its_mac_binding():
    assert net.rewrite_ifcfg("ifcfg-ens192", IFCFG, KEPT) is None


def test_ifcfg_bound_by_name_only_is_renamed_even_when_the_mac_is_kept():
    text, name, _ = net.rewrite_ifcfg("ifcfg-ens192", "DEVICE=ens192\nBOOTPROTO=dhcp\nONBOOT=yes\n", KEPT)
    assert (name, "DEVICE=eth0" in text) == ("ifcfg-eth0", True)


def test_ifcfg_macaddr_setting_the_old_mac_is_dropped_when_not_kept():
    text, _, _ = net.rewrite_ifcfg("ifcfg-eth0", f"DEVICE=eth0\nMACADDR={OLD}\nBOOTPROTO=dhcp\n", MOVED)
    assert "MACADDR" not in text and "DEVICE=eth0" in text


def test_loopback_and_other_macs_are_left_alone():
    assert net.rewrite_ifcfg("ifcfg-lo", "DEVICE=lo\nIPADDR=127.0.0.1\n", MOVED) is None
    other = [net.Nic("00:50:56:aa:bb:cc", "eth0", False), net.Nic("00:50:56:aa:bb:cd", "eth1", False)]
    assert net.rewrite_ifcfg("ifcfg-ens224", "DEVICE=ens224\nHWADDR=00:11:22:33:44:55\n", other) is None


KEYFILE = f"""[connection]
id=Wired connection 1
uuid=2b8c9a3e-0000-4000-8000-000000000001
type=ethernet
interface-name=ens192

[ethernet]
mac-address={OLD.upper()}

[ipv4]
address1=192.0.2.10/24,192.0.2.1
method=manual
"""


def test_networkmanager_keyfile_is_bound_to_the_new_adapter():
    text, what = net.rewrite_keyfile(KEYFILE, MOVED)
    assert "mac-address" not in text
    assert "interface-name=eth0" in text
    assert "address1=192.0.2.10/24,192.0.2.1" in text and "method=manual" in text
    assert len(what) == 2


def test_networkmanager_keyfile_with_the_mac_kept_is_untouched():
    assert net.rewrite_keyfile(KEYFILE, KEPT) is None


NETPLAN = f"""# written by the installer
network:
  version: 2
  ethernets:
    ens192:
      match:
        macaddress: {OLD}
      set-name: ens192
      addresses: [192.0.2.10/24]
      routes:
        - to: default
          via: 192.0.2.1
"""


def test_netplan_match_by_mac_becomes_match_by_the_new_name():
    text, what = net.rewrite_netplan(NETPLAN, MOVED)
    assert "macaddress" not in text and "set-name" not in text
    assert "        name: eth0\n" in text
    assert "addresses: [192.0.2.10/24]" in text and "via: 192.0.2.1" in text and "# written by" in text
    assert what


def test_netplan_with_the_mac_kept_is_untouched():
    assert net.rewrite_netplan(NETPLAN, KEPT) is None


def test_netplan_bound_by_its_id_is_renamed():
    text, _ = net.rewrite_netplan("network:\n  ethernets:\n    ens192:\n      dhcp4: true\n", KEPT)
    assert "    eth0:\n      dhcp4: true\n" in text


def test_interfaces_udev_and_networkd():
    text, _ = net.rewrite_interfaces("auto lo ens192\niface lo inet loopback\nallow-hotplug ens192\n"
                                     "iface ens192 inet static\n    address 192.0.2.10/24\n"
                                     f"    hwaddress ether {OLD}\n", MOVED)
    assert "auto lo eth0" in text and "allow-hotplug eth0" in text and "iface eth0 inet static" in text
    assert "hwaddress" not in text and "address 192.0.2.10/24" in text and "iface lo inet loopback" in text
    rule = (f'SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{{address}}=="{OLD}", ATTR{{type}}=="1", '
            'KERNEL=="eth*", NAME="eth0"\n')
    text, _ = net.rewrite_udev_rules("# comment\n" + rule, MOVED)
    assert text == "# comment\n"
    assert net.rewrite_udev_rules(rule, KEPT) is None
    text, _ = net.rewrite_networkd(f"[Match]\nMACAddress={OLD}\n\n[Network]\nAddress=192.0.2.10/24\n", MOVED)
    assert "Name=eth0" in text and "MACAddress" not in text and "Address=192.0.2.10/24" in text


def test_initramfs_drivers_per_kernel():
    dep = ("kernel/drivers/hv/hv_vmbus.ko.xz:\nkernel/drivers/scsi/hv_storvsc.ko.xz: kernel/drivers/hv/hv_vmbus.ko\n"
           "kernel/drivers/net/hyperv/hv_netvsc.ko:\nkernel/drivers/hv/hv_utils.ko:\n"
           "kernel/drivers/input/serio/hyperv-keyboard.ko:\nkernel/drivers/ata/ata_piix.ko:\n")
    loadable, builtin = ird.kernel_modules(dep, "kernel/drivers/scsi/sd_mod.ko\n")
    modules, missing = ird.wanted(loadable, builtin, generation=1)
    assert modules == ["hv_vmbus", "hv_storvsc", "hv_netvsc", "hv_utils", "hyperv_keyboard", "ata_piix"]
    assert missing == [] and ird.bootable(loadable, builtin)
    assert "ata_piix" not in ird.wanted(loadable, builtin, generation=2)[0]
    assert not ird.bootable(*ird.kernel_modules("kernel/drivers/scsi/vmw_pvscsi.ko:\n", ""))
    assert ird.tools_modules("# list\nhv_vmbus\n", modules).count("hv_vmbus") == 1
    assert ird.tools_modules("hv_vmbus\nhv_storvsc\n", ["hv_vmbus", "hv_storvsc"]) is None
    assert ird.dracut_command("6.1.0-1-amd64", "/boot/initrd.img-6.1.0-1-amd64", ["hv_vmbus", "hv_storvsc"]) == (
        "dracut -f --add-drivers 'hv_vmbus hv_storvsc' /boot/initrd.img-6.1.0-1-amd64 6.1.0-1-amd64")


def test_originals_in_folders_read_as_a_whole_go_aside():
    assert original_path("/etc/fstab") == "/etc/fstab.hvmigrate-orig"
    assert original_path("/etc/sysconfig/network-scripts/ifcfg-ens192") == (
        "/etc/sysconfig/network-scripts/.hvmigrate-orig/ifcfg-ens192")
