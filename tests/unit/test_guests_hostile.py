"""What a guest's own files can make the preparation do: only ever remove VMware Tools' files, never crash on a
strange kernel folder name."""

from __future__ import annotations

from wizard.guests.fixes import _is_tools_path
from wizard.guests.inspect import _version_key


def test_a_stale_tools_locations_file_cannot_delete_system_files():
    for path in ("/etc/fstab", "/etc/passwd", "/boot/vmlinuz-6.1.0-13-amd64", "/usr/bin/python3", "/etc/ssh"):
        assert not _is_tools_path(path), path
    for path in ("/usr/bin/vmware-toolbox-cmd", "/usr/sbin/vmtoolsd", "/etc/vmware-tools/tools.conf",
                 "/usr/lib/vmware-tools/lib64/libvmtools.so", "/lib/modules/3.10.0/misc/vmhgfs.ko",
                 "/etc/pam.d/vmtoolsd", "/etc/udev/rules.d/99-vmware-scsi-udev.rules"):
        assert _is_tools_path(path), path


def test_kernel_folder_names_with_unicode_digits_sort_without_error():
    assert _version_key("5.10-\u00b2") == [(5, ""), (10, ""), (-1, "\u00b2")]
    assert sorted(["6.1.0-13-amd64", "5.10-\u00b2", "6.1.0-9-amd64"], key=_version_key)[-1] == "6.1.0-13-amd64"
