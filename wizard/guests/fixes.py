"""Planners for the other guest changes: VMware device paths in ``/etc/fstab``, VMware Tools from the tarball.

``/etc/fstab`` entries (and boot loader settings) that name ``/dev/disk/by-path/...pci...`` or
``/dev/disk/by-id/...VMware...`` name the VMware controller, which Hyper-V does not have. An fstab entry is
rewritten as ``UUID=...`` when that is safe — the VM has one disk, so partition N of the old path is partition
N of the only disk, and that partition has a UUID; otherwise (and always for the boot loader, whose
configuration is generated) it is pointed out in the report.

VMware Tools installed from VMware's tarball (``vmware-install.pl``) keep their installer database in
``/etc/vmware-tools/locations``: its ``file`` entries are the installed files. Removing them, their services
and the database is what ``vmware-uninstall-tools.pl`` does; the database is kept as its ``.hvmigrate-orig``.
``open-vm-tools`` (a distribution package) is left installed: it does nothing on Hyper-V, and the package
manager should remove it, not hvmigrate.
"""

from __future__ import annotations

import re

from wizard.core.i18n import user_text
from wizard.guests.edits import FileEdit
from wizard.guests.fish import Fish, GuestCommandError

VMWARE_PATH = re.compile(r"/dev/disk/by-path/\S*pci\S*|/dev/disk/by-id/\S*VMware\S*", re.IGNORECASE)
_PART = re.compile(r"-part(\d+)$")
TOOLS_DB = "/etc/vmware-tools/locations"
TOOLS_UNINSTALLER = "/usr/bin/vmware-uninstall-tools.pl"
_SERVICE_PLACES = ("/etc/init.d", "/etc/rc.d/init.d", "/etc/systemd/system", "/lib/systemd/system",
                   "/usr/lib/systemd/system")


def fstab_edit(fish: Fish, disk_count: int) -> tuple[FileEdit | None, list[str]]:
    """(the /etc/fstab edit, notes for entries that were pointed out, not rewritten)."""
    data = fish.read("/etc/fstab")
    if data is None:
        return None, []
    text = data.decode("utf-8", "surrogateescape")
    out, what, notes = [], [], []
    for line in text.splitlines(keepends=True):
        fields = line.split()
        if fields and not fields[0].startswith("#") and VMWARE_PATH.fullmatch(fields[0]):
            uuid = _uuid_for(fish, fields[0], disk_count)
            if uuid:
                what.append(f"{fields[0]} → UUID={uuid}")
                line = line.replace(fields[0], f"UUID={uuid}", 1)
            else:
                notes.append(f"/etc/fstab names {fields[0]}, a VMware device path that does not exist on Hyper-V; "
                             "hvmigrate could not tell safely which disk it is (the VM has several), so it was not "
                             "changed: replace it with UUID=... (blkid shows it) before the first start, or the "
                             "mount fails.")
        out.append(line)
    new_text = "".join(out)
    if new_text == text:
        return None, notes
    why = user_text("the VMware device path does not exist on Hyper-V; the UUID names the same file system")
    return FileEdit("/etc/fstab", new_text.encode("utf-8", "surrogateescape"), "; ".join(what), why), notes


def _uuid_for(fish: Fish, path: str, disk_count: int) -> str:
    if disk_count != 1:
        return ""
    m = _PART.search(path)
    devices = fish.lines("list-devices")
    if not devices or not m:
        return ""
    try:
        return fish.call("vfs-uuid", f"{devices[0]}{m.group(1)}").strip()
    except GuestCommandError:
        return ""


def bootloader_notes(fish: Fish) -> list[str]:
    notes = []
    for path in ("/etc/default/grub", "/boot/grub2/grub.cfg", "/boot/grub/grub.cfg", "/etc/sysconfig/bootloader"):
        data = fish.read(path)
        found = sorted(set(VMWARE_PATH.findall(data.decode("utf-8", "replace")))) if data else []
        if found:
            notes.append(f"{path} names {', '.join(found[:3])}, a VMware device path that does not exist on Hyper-V; "
                         "hvmigrate does not rewrite boot loader settings: use root=UUID=... there and regenerate the "
                         "boot loader configuration (grub2-mkconfig / update-grub).")
    return notes


def tarball_tools(fish: Fish) -> tuple[list[str], list[str], list[str]]:
    """(files, folders, service files) of VMware Tools installed from the tarball; all empty when none."""
    data = fish.read(TOOLS_DB)
    if data is None:
        return [], [], []
    files: dict[str, None] = {}
    folders: dict[str, None] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        words = line.split()
        if len(words) < 2:
            continue
        kind, path = words[0], words[1]
        if not path.startswith("/") or ".." in path.split("/"):
            continue
        if kind == "file":
            files[path] = None
        elif kind == "remove_file":
            files.pop(path, None)
        elif kind == "directory":
            folders[path] = None
        elif kind == "remove_directory":
            folders.pop(path, None)
    services = []
    for place in _SERVICE_PLACES:
        if fish.ok("is-dir", place):
            services += [f"{place}/{n}" for n in fish.lines("ls", place) if n.startswith("vmware-tools")]
    services += [f"/etc/{d}/{n}" for d in ("rc0.d", "rc1.d", "rc2.d", "rc3.d", "rc4.d", "rc5.d", "rc6.d")
                 if fish.ok("is-dir", f"/etc/{d}") for n in fish.lines("ls", f"/etc/{d}") if "vmware-tools" in n]
    files.pop(TOOLS_DB, None)
    # The locations file is the guest's own text: a stale or edited one must not make us delete /etc/fstab.
    files = {f: None for f in files if _is_tools_path(f)}
    folders = {f: None for f in folders if _is_tools_path(f)}
    return [f for f in files if fish.ok("exists", f)], list(folders), services


# What VMware's tarball installs is named for it: vmware-*, vmtoolsd, its kernel modules (vmhgfs, vmxnet,
# vmblock, vmci, vmsync, vmmemctl), its libraries and folders under */vmware-tools/.
_TOOLS_NAME = re.compile(r"(vmware|vmtools|vmhgfs|vmxnet|vmblock|vmci|vmsync|vmmemctl|vmware-tools)", re.I)


def _is_tools_path(path: str) -> bool:
    """True when ``path`` (from the installer's locations file) is recognisably part of VMware Tools."""
    return bool(_TOOLS_NAME.search(path.rsplit("/", 1)[-1])) or "/vmware-tools/" in f"{path}/" or \
        "/vmware/" in f"{path}/"


def open_vm_tools(fish: Fish) -> bool:
    return (not fish.ok("is-file", TOOLS_DB)) and any(
        fish.ok("is-file", p, "followsymlinks:true") for p in ("/usr/bin/vmtoolsd", "/usr/sbin/vmtoolsd"))
