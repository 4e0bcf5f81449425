"""The boot disk from what the disks hold (partition tables made with sfdisk), and the CIM OS-id table."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.compat.engine import assess
from wizard.disks.detect import open_image
from wizard.disks.partitions import boot_content
from wizard.sources.guestids import CIM_BITS_UNKNOWN, CIM_OS_TYPES, cim_guest
from wizard.sources.vmx import vm_from_vmx

MiB = 1024 * 1024
SFDISK = shutil.which("sfdisk")
needs_sfdisk = pytest.mark.skipif(SFDISK is None, reason="sfdisk (util-linux fdisk) is not installed")

LAYOUTS = {
    "gpt-esp": "label: gpt\n,8M,U\n,,L\n",  # U: EFI system partition
    "gpt-bios": "label: gpt\n,1M,21686148-6449-6E6F-744E-656564454649\n,,L\n",  # a BIOS boot partition (GRUB)
    "gpt-esp-bios": "label: gpt\n,1M,21686148-6449-6E6F-744E-656564454649\n,8M,U\n,,L\n",
    "gpt": "label: gpt\n,,L\n",  # a data disk
    "mbr-boot": "label: dos\n,8M,83,*\n,,83\n",  # an active partition (+ boot code, stamped below)
    "mbr": "label: dos\n,,83\n",
    "mbr-esp": "label: dos\n,8M,ef\n,,83\n",
}


def make_disk(folder: Path, name: str, layout: str, *, boot_code: bool = False, size: int = 32 * MiB) -> Path:
    """A real VMDK whose first sectors sfdisk wrote (``layout`` is an sfdisk script)."""
    raw = folder / f"{name}.raw"
    with open(raw, "wb") as fh:
        fh.truncate(size)
    if layout:
        subprocess.run([SFDISK, "--quiet", str(raw)], input=layout, text=True, check=True, capture_output=True)
    if boot_code:  # what GRUB or Windows setup puts before the partition table
        with open(raw, "r+b") as fh:
            fh.write(b"\xeb\x63\x90" + b"\x10" * 437)
    out = folder / f"{name}.vmdk"
    qemu_img("convert", "-q", "-f", "raw", "-O", "vmdk", str(raw), str(out))
    raw.unlink()
    return out


@needs_sfdisk
@pytest.mark.parametrize("expected", sorted(LAYOUTS))
def test_boot_content_reads_what_sfdisk_wrote(tmp_path: Path, expected: str) -> None:
    disk = make_disk(tmp_path, "d", LAYOUTS[expected], boot_code=expected == "mbr-boot")
    with open_image(disk) as image:
        assert boot_content(image) == expected


@needs_sfdisk
def test_an_active_partition_without_boot_code_is_not_bootable(tmp_path: Path) -> None:
    with open_image(make_disk(tmp_path, "d", LAYOUTS["mbr-boot"])) as image:
        assert boot_content(image) == "mbr"
    with open_image(make_disk(tmp_path, "e", "")) as image:
        assert boot_content(image) == "blank"


def _vmx(folder: Path, lines: list[str]) -> Path:
    path = folder / "vm.vmx"
    path.write_text("\n".join(['.encoding = "UTF-8"', 'displayName = "win2019"', 'memsize = "4096"', *lines]) + "\n")
    return path


@needs_sfdisk
def test_uefi_vm_boots_from_the_disk_with_the_esp_not_the_first_controller(tmp_path: Path) -> None:
    """The issue's ESXi Windows Server 2019 VM: the system disk on scsi0:0, a data disk on sata0:3. Here the
    system disk (with the EFI system partition) is on sata0:3 and the data disk on scsi0:0: content decides."""
    make_disk(tmp_path, "system", LAYOUTS["gpt-esp"])
    make_disk(tmp_path, "data", LAYOUTS["gpt"])
    vm = vm_from_vmx(str(_vmx(tmp_path, [
        'guestOS = "windows2019srv-64"', 'firmware = "efi"', 'scsi0.present = "TRUE"', 'scsi0.virtualDev = "pvscsi"',
        'scsi0:0.present = "TRUE"', 'scsi0:0.fileName = "data.vmdk"', 'sata0.present = "TRUE"',
        'sata0:3.present = "TRUE"', 'sata0:3.fileName = "system.vmdk"'])))
    assert {d.key: d.content for d in vm.disks} == {"sata0:3": "gpt-esp", "scsi0:0": "gpt"}
    a = assess([vm])[0]
    boot = [vm.disks[d.source_index].key for d in a.spec.disks if d.boot]
    assert boot == ["sata0:3"]
    f = next(f for f in a.findings if f.code == "BOOT-DISK")
    assert "EFI system partition" in f.message


@needs_sfdisk
def test_bios_vm_boots_from_the_mbr_disk_with_boot_code(tmp_path: Path) -> None:
    """The issue's BIOS Linux VM: OS disk on scsi0:0 (boot code, active partition), a second disk on ide1:1."""
    make_disk(tmp_path, "os", LAYOUTS["mbr-boot"], boot_code=True)
    make_disk(tmp_path, "second", LAYOUTS["mbr"])
    vm = vm_from_vmx(str(_vmx(tmp_path, [
        'guestOS = "ubuntu-64"', 'scsi0.present = "TRUE"', 'scsi0:0.present = "TRUE"', 'scsi0:0.fileName = "os.vmdk"',
        'ide1:1.present = "TRUE"', 'ide1:1.fileName = "second.vmdk"'])))
    a = assess([vm])[0]
    placed = {vm.disks[d.source_index].key: (d.controller.value, d.controller_number, d.location, d.boot)
              for d in a.spec.disks}
    assert placed["scsi0:0"] == ("ide", 0, 0, True) and not placed["ide1:1"][3]


@needs_sfdisk
def test_a_uefi_disk_in_a_bios_vm_is_reported(tmp_path: Path) -> None:
    make_disk(tmp_path, "system", LAYOUTS["gpt-esp"])
    vm = vm_from_vmx(str(_vmx(tmp_path, ['guestOS = "ubuntu-64"', 'scsi0.present = "TRUE"',
                                          'scsi0:0.present = "TRUE"', 'scsi0:0.fileName = "system.vmdk"'])))
    assert "BOOT-FIRMWARE" in {f.code for f in assess([vm])[0].findings}


def test_vmx_boot_order_floppies_3d_nested_nvdimm_and_shutdown_state(tmp_path: Path) -> None:
    for name in ("a", "b"):
        qemu_img("create", "-q", "-f", "vmdk", str(tmp_path / f"{name}.vmdk"), "8M")
    vm = vm_from_vmx(str(_vmx(tmp_path, [
        'guestOS = "rhel7-64"', 'scsi0.present = "TRUE"', 'scsi0:0.present = "TRUE"', 'scsi0:0.fileName = "a.vmdk"',
        'scsi0:1.present = "TRUE"', 'scsi0:1.fileName = "b.vmdk"', 'bios.hddOrder = "scsi0:1"',
        'floppy0.present = "TRUE"', 'floppy1.present = "TRUE"', 'mks.enable3d = "TRUE"', 'vhv.enable = "TRUE"',
        'nvdimm0.present = "TRUE"', 'nvdimm0:0.present = "TRUE"', 'nvdimm0:0.fileName = "vm_1.vmdk"',
        'nvdimm0:0.size = "1024"', 'cleanShutdown = "FALSE"',
        "guestInfo.detailed.data = \"bitness='64' distroName='Red Hat Enterprise Linux' distroVersion='8.10' "
        "prettyName='Red Hat Enterprise Linux 8.10 (Ootpa)'\""])))
    assert vm.boot_order == ["scsi0:1"]
    assert [d.label for d in vm.devices if d.kind.value == "floppy"] == ["Floppy drive 1", "Floppy drive 2"]
    assert {d.kind.value for d in vm.devices} >= {"gpu_3d", "nvdimm"}
    assert vm.nested_virtualization and vm.clean_shutdown is False
    assert vm.guest.running_id == "rhel8_64Guest" and vm.guest.full_name == "Red Hat Enterprise Linux 7 (64-bit)"


# The DMTF CIM_OperatingSystem.OsType ValueMap (CIM 2.52), the names as the DMTF writes them: every entry is
# present, and each maps to a guest of the right family and bitness.
DMTF = {0: "Unknown", 1: "Other", 2: "MACOS", 3: "ATTUNIX", 4: "DGUX", 5: "DECNT", 6: "Tru64 UNIX", 7: "OpenVMS",
        8: "HPUX", 9: "AIX", 10: "MVS", 11: "OS400", 12: "OS/2", 13: "JavaVM", 14: "MSDOS", 15: "WIN3x", 16: "WIN95",
        17: "WIN98", 18: "WINNT", 19: "WINCE", 20: "NCR3000", 21: "NetWare", 22: "OSF", 23: "DC/OS",
        24: "Reliant UNIX", 25: "SCO UnixWare", 26: "SCO OpenServer", 27: "Sequent", 28: "IRIX", 29: "Solaris",
        30: "SunOS", 31: "U6000", 32: "ASERIES", 33: "HP NonStop OS", 34: "HP NonStop OSS", 35: "BS2000", 36: "LINUX",
        37: "Lynx", 38: "XENIX", 39: "VM", 40: "Interactive UNIX", 41: "BSDUNIX", 42: "FreeBSD", 43: "NetBSD",
        44: "GNU Hurd", 45: "OS9", 46: "MACH Kernel", 47: "Inferno", 48: "QNX", 49: "EPOC", 50: "IxWorks",
        51: "VxWorks", 52: "MiNT", 53: "BeOS", 54: "HP MPE", 55: "NextStep", 56: "PalmPilot", 57: "Rhapsody",
        58: "Windows 2000", 59: "Dedicated", 60: "OS/390", 61: "VSE", 62: "TPF", 63: "Windows (R) Me",
        64: "Caldera Open UNIX", 65: "OpenBSD", 66: "Not Applicable", 67: "Windows XP", 68: "z/OS",
        69: "Microsoft Windows Server 2003", 70: "Microsoft Windows Server 2003 64-Bit", 71: "Windows XP 64-Bit",
        72: "Windows XP Embedded", 73: "Windows Vista", 74: "Windows Vista 64-Bit",
        75: "Windows Embedded for Point of Service", 76: "Microsoft Windows Server 2008",
        77: "Microsoft Windows Server 2008 64-Bit", 78: "FreeBSD 64-Bit", 79: "RedHat Enterprise Linux",
        80: "RedHat Enterprise Linux 64-Bit", 81: "Solaris 64-Bit", 82: "SUSE", 83: "SUSE 64-Bit", 84: "SLES",
        85: "SLES 64-Bit", 86: "Novell OES", 87: "Novell Linux Desktop", 88: "Sun Java Desktop System",
        89: "Mandriva", 90: "Mandriva 64-Bit", 91: "TurboLinux", 92: "TurboLinux 64-Bit", 93: "Ubuntu",
        94: "Ubuntu 64-Bit", 95: "Debian", 96: "Debian 64-Bit", 97: "Linux 2.4.x", 98: "Linux 2.4.x 64-Bit",
        99: "Linux 2.6.x", 100: "Linux 2.6.x 64-Bit", 101: "Linux 64-Bit", 102: "Other 64-Bit",
        103: "Microsoft Windows Server 2008 R2", 104: "VMware ESXi", 105: "Microsoft Windows 7", 106: "CentOS 32-bit",
        107: "CentOS 64-bit", 108: "Oracle Linux 32-bit", 109: "Oracle Linux 64-bit", 110: "eComStation 32-bitx",
        111: "Microsoft Windows Server 2011", 112: "Microsoft Windows Server 2012", 113: "Microsoft Windows 8",
        114: "Microsoft Windows 8 64-bit", 115: "Microsoft Windows Server 2012 R2", 116: "Microsoft Windows 8.1",
        117: "Microsoft Windows 8.1 64-bit", 118: "Microsoft Windows Server 2016", 119: "Microsoft Windows 10",
        120: "Microsoft Windows 10 64-bit"}
_LINUX = {36, 79, 80, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 106, 107,
          108, 109}
_WINDOWS = {15, 16, 17, 18, 58, 63, 67, 69, 70, 71, 72, 73, 74, 75, 76, 77, 103, 105, 111, 112, 113, 114, 115, 116,
            117, 118, 119, 120}


@pytest.mark.parametrize("os_id", sorted(DMTF))
def test_every_cim_os_type_maps_to_a_guest_of_its_family_and_bits(os_id: int) -> None:
    gid, name = CIM_OS_TYPES[os_id]
    assert name == DMTF[os_id]
    g = cim_guest(os_id)
    if os_id in (0, 66):
        assert g.id == "" and g.family == ""
        return
    assert g.family == ("linux" if os_id in _LINUX else "windows" if os_id in _WINDOWS
                        else "freebsd" if os_id in (42, 78) else "other"), (os_id, g)
    says_64 = "64-bit" in name.lower()  # the DMTF names the 64-bit editions so ("Tru64" is a name, not bits)
    if os_id in CIM_BITS_UNKNOWN:
        assert g.bits is None
    elif os_id in (103, 104, 111, 112, 115, 118):  # editions that exist only as 64-bit
        assert g.bits == 64
    else:
        assert g.bits == (64 if says_64 else 32), (os_id, g)


def test_the_cim_ids_the_issue_names_map_as_the_dmtf_says() -> None:
    assert cim_guest(67).id == "winXPProGuest"
    assert (cim_guest(93).id, cim_guest(93).bits) == ("ubuntuGuest", 32)
    assert (cim_guest(96).family, cim_guest(96).bits) == ("linux", 64)
    assert (cim_guest(107).id, cim_guest(107).bits) == ("centos64Guest", 64)
    assert cim_guest(112).id == "windows8Server64Guest"
