"""Guest OS identifiers of the local formats mapped to the VMware (vSphere) guest id vocabulary.

Rules and catalogs only know vSphere guest ids (``windows2019srv_64Guest``); every local provider maps
its own spelling here: the ``guestOS`` key of a ``.vmx`` (``windows2019srv-64``), the ``vmw:osType`` or
CIM ``ovf:id`` of an OVF, and VirtualBox's ``OSType`` (``Windows2019_64``). Unknown names map to
``""`` family/``None`` bits rather than a guess.
"""

from __future__ import annotations

from wizard.core.inventory import GuestOS

# .vmx spellings whose vSphere id does not follow the "-64" -> "_64Guest" / "64Guest" convention.
_VMX_IRREGULAR = {
    "windows2019srv-64": "windows2019srv_64Guest",
    "windows2019srvnext-64": "windows2019srvNext_64Guest",
    "windows2022srvnext-64": "windows2022srvNext_64Guest",
    "windows9srv-64": "windows9Server64Guest",
    "windows8srv-64": "windows8Server64Guest",
    "windows7srv-64": "windows7Server64Guest",
    "winxppro": "winXPProGuest",
    "winxppro-64": "winXPPro64Guest",
    "winnetenterprise": "winNetEnterpriseGuest",
    "winnetenterprise-64": "winNetEnterprise64Guest",
    "winnetstandard": "winNetStandardGuest",
    "winnetstandard-64": "winNetStandard64Guest",
    "longhorn": "winLonghornGuest",
    "longhorn-64": "winLonghorn64Guest",
    "winvista": "winVistaGuest",
    "winvista-64": "winVista64Guest",
    "win2000serv": "win2000ServGuest",
    "otherlinux": "otherLinuxGuest",
    "otherlinux-64": "otherLinux64Guest",
    "other26xlinux": "other26xLinuxGuest",
    "other26xlinux-64": "other26xLinux64Guest",
    "other3xlinux": "other3xLinuxGuest",
    "other3xlinux-64": "other3xLinux64Guest",
    "other4xlinux": "other4xLinuxGuest",
    "other4xlinux-64": "other4xLinux64Guest",
    "other5xlinux": "other5xLinuxGuest",
    "other5xlinux-64": "other5xLinux64Guest",
    "other6xlinux-64": "other6xLinux64Guest",
    "oraclelinux": "oracleLinuxGuest",
    "oraclelinux-64": "oracleLinux64Guest",
    "oraclelinux7-64": "oracleLinux7_64Guest",
    "oraclelinux8-64": "oracleLinux8_64Guest",
    "oraclelinux9-64": "oracleLinux9_64Guest",
    "amazonlinux2-64": "amazonlinux2_64Guest",
    "other": "otherGuest",
    "other-64": "otherGuest64",
}

_LINUX_HINTS = ("linux", "ubuntu", "centos", "rhel", "debian", "sles", "suse", "fedora", "mandr", "asianux",
                "coreos", "photon", "almalinux", "rocky", "redhat", "turbolinux", "oracle", "opensuse",
                "gentoo", "arch", "mageia")

# VirtualBox OSType -> vSphere guest id (the common ones; others fall back to family heuristics).
_VBOX = {
    "Windows2025_64": "windows2022srvNext_64Guest",
    "Windows2022_64": "windows2019srvNext_64Guest",
    "Windows2019_64": "windows2019srv_64Guest",
    "Windows2016_64": "windows9Server64Guest",
    "Windows2012_64": "windows8Server64Guest",
    "Windows2008_64": "windows7Server64Guest",
    "Windows2008": "winLonghornGuest",
    "Windows2003": "winNetStandardGuest",
    "Windows2003_64": "winNetStandard64Guest",
    "Windows11_64": "windows11_64Guest",
    "Windows10_64": "windows9_64Guest",
    "Windows10": "windows9Guest",
    "Windows81_64": "windows8_64Guest",
    "Windows81": "windows8Guest",
    "Windows8_64": "windows8_64Guest",
    "Windows8": "windows8Guest",
    "Windows7_64": "windows7_64Guest",
    "Windows7": "windows7Guest",
    "WindowsXP": "winXPProGuest",
    "WindowsXP_64": "winXPPro64Guest",
    "Ubuntu_64": "ubuntu64Guest",
    "Ubuntu": "ubuntuGuest",
    "Debian_64": "debian10_64Guest",
    "Debian": "debian10Guest",
    "RedHat_64": "rhel7_64Guest",
    "RedHat": "rhel7Guest",
    "Oracle_64": "oracleLinux64Guest",
    "Fedora_64": "fedora64Guest",
    "OpenSUSE_64": "opensuse64Guest",
    "Linux26_64": "other26xLinux64Guest",
    "Linux26": "other26xLinuxGuest",
    "Linux_64": "otherLinux64Guest",
    "Linux": "otherLinuxGuest",
    "FreeBSD_64": "freebsd64Guest",
    "FreeBSD": "freebsdGuest",
    "Other_64": "otherGuest64",
    "Other": "otherGuest",
}

# CIM_OperatingSystem.OsType values seen in OVFs (ovf:id), used when no vmw:osType is given.
_CIM = {
    1: "otherGuest", 36: "otherLinuxGuest", 101: "otherLinux64Guest", 102: "otherGuest64",
    58: "win2000ServGuest", 69: "winXPProGuest", 70: "winNetStandardGuest", 73: "winVistaGuest",
    74: "winVista64Guest", 76: "winLonghornGuest", 77: "winLonghorn64Guest", 78: "freebsdGuest",
    79: "ubuntuGuest", 80: "rhel5Guest", 93: "ubuntu64Guest", 94: "ubuntuGuest", 95: "windows7Server64Guest",
    96: "windows7_64Guest", 97: "windows7Guest", 103: "windows7Server64Guest", 105: "windows7_64Guest",
    106: "centos64Guest", 107: "centosGuest", 111: "windows8Server64Guest", 112: "windows8Guest",
    113: "windows8_64Guest", 114: "windows9Guest",
}


def vmx_to_vsphere(vmx_id: str) -> str:
    """``windows2019srv-64`` -> ``windows2019srv_64Guest``; ``ubuntu-64`` -> ``ubuntu64Guest``."""
    key = vmx_id.strip().lower()
    if not key:
        return ""
    if key in _VMX_IRREGULAR:
        return _VMX_IRREGULAR[key]
    if key.endswith("-64"):
        base = key[:-3]
        return f"{base}_64Guest" if base[-1:].isdigit() else f"{base}64Guest"
    return f"{key}Guest"


def vbox_to_vsphere(ostype: str) -> str:
    if ostype in _VBOX:
        return _VBOX[ostype]
    if ostype.lower().endswith("_arm64"):  # VirtualBox 7.1 on Apple silicon: Ubuntu_arm64, Windows11_arm64
        x64 = vbox_to_vsphere(ostype[:-6] + "_64")
        return f"arm-{x64}" if x64 else ""
    base = ostype.lower().replace("_64", "")
    if base.startswith("windows"):
        return "windows9_64Guest" if ostype.endswith("_64") else "windows9Guest"
    linux = "Linux" if any(h in base for h in _LINUX_HINTS) else ""
    return f"other{linux}{'64' if ostype.endswith('_64') else ''}Guest"


ARM_WARNING = ("is an ARM guest (VMware Fusion or VirtualBox on Apple silicon); Hyper-V on x64 hosts cannot run "
               "it")


def is_arm(guest_id: str) -> bool:
    """True for guest ids of ARM guests (``arm-windows11-64``, ``arm-ubuntu64Guest``, ``Ubuntu_arm64``)."""
    low = guest_id.strip().lower()
    return low.startswith("arm-") or low.endswith(("_arm64", "_arm32"))


def cim_to_vsphere(os_id: int) -> str:
    return _CIM.get(os_id, "")


def family_of(guest_id: str) -> str:
    low = guest_id.lower().removeprefix("arm-")  # Fusion on Apple silicon: arm-windows11-64, arm-ubuntu-64
    if not low:
        return ""
    if low.startswith("win") or low.startswith("windows"):
        return "windows"
    if "freebsd" in low:
        return "freebsd"
    if any(h in low for h in _LINUX_HINTS):
        return "linux"
    return "other"


def bits_of(guest_id: str) -> int | None:
    if not guest_id:
        return None
    return 64 if "64" in guest_id else 32


def guest_from_id(guest_id: str, full_name: str = "") -> GuestOS:
    """A :class:`GuestOS` for a vSphere guest id with family and bits filled in."""
    return GuestOS(id=guest_id, full_name=full_name, family=family_of(guest_id), bits=bits_of(guest_id))
