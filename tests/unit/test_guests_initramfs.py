"""Whether a kernel's initramfs already holds the Hyper-V drivers, from the listing the guest's own tool prints
(then the preparation leaves it as it is instead of rebuilding it for minutes)."""

from __future__ import annotations

from wizard.guests import initramfs as ird

LSINITRAMFS = """kernel
usr/lib/modules/6.1.0-28-amd64/kernel/drivers/hv
usr/lib/modules/6.1.0-28-amd64/kernel/drivers/hv/hv_vmbus.ko
usr/lib/modules/6.1.0-28-amd64/kernel/drivers/hv/hv_utils.ko
usr/lib/modules/6.1.0-28-amd64/kernel/drivers/scsi/hv_storvsc.ko
usr/lib/modules/6.1.0-28-amd64/kernel/drivers/net/hyperv/hv_netvsc.ko
usr/lib/modules/6.1.0-28-amd64/kernel/drivers/input/serio/hyperv-keyboard.ko
"""
LSINITRD = """Image: /boot/initramfs-5.14.0.img: 31M
========================================================================
drwxr-xr-x   3 root root  0 Jan  1 00:00 usr/lib/modules/5.14.0/kernel/drivers/hv
-rw-r--r--   1 root root  51234 Jan  1 00:00 usr/lib/modules/5.14.0/kernel/drivers/hv/hv_vmbus.ko.xz
-rw-r--r--   1 root root  21234 Jan  1 00:00 usr/lib/modules/5.14.0/kernel/drivers/scsi/sd_mod.ko.xz
"""


def test_an_initramfs_holding_every_driver_lacks_nothing() -> None:
    wanted = ["hv_vmbus", "hv_storvsc", "hv_netvsc", "hv_utils", "hyperv_keyboard"]
    assert ird.lacking(LSINITRAMFS, wanted) == []


def test_the_drivers_an_initramfs_lacks_are_named() -> None:
    assert ird.lacking(LSINITRD, ["hv_vmbus", "hv_storvsc", "sd_mod", "hv_netvsc"]) == ["hv_storvsc", "hv_netvsc"]


def test_the_guest_tool_lists_the_image_and_mkinitrd_has_no_lister() -> None:
    assert ird.list_command("initramfs-tools", "/boot/initrd.img-6.1") == "lsinitramfs /boot/initrd.img-6.1"
    assert ird.list_command("dracut", "/boot/initramfs-5.14 x.img") == "lsinitrd '/boot/initramfs-5.14 x.img'"
    assert ird.list_command("mkinitrd", "/boot/initrd-4.12") is None
    assert ird.list_command("dracut", "") is None
