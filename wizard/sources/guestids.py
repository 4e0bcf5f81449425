"""Guest OS identifiers of the local formats mapped to the VMware (vSphere) guest id vocabulary.

Rules and catalogs only know vSphere guest ids (``windows2019srv_64Guest``); every local provider maps
its own spelling here: the ``guestOS`` key of a ``.vmx`` (``windows2019srv-64``), the ``vmw:osType`` or
CIM ``ovf:id`` of an OVF, and VirtualBox's ``OSType`` (``Windows2019_64``). Unknown names map to
``""`` family/``None`` bits rather than a guess.
"""

from __future__ import annotations

import re

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

# CIM_OperatingSystem.OsType (DMTF CIM schema, ValueMap 0-120 as of CIM 2.52; the names are the DMTF's own): the
# ovf:id of an OVF's OperatingSystemSection → (vSphere guest id, name, bits when the CIM name does not say).
# Systems the guest catalog has no entry for map to the generic other/Linux ids (the name keeps the DMTF's).
# Versions the CIM value does not name are not guessed: "Red Hat Enterprise Linux 64-Bit" becomes the generic
# 64-bit Linux id (its name keeps "Red Hat"), not some RHEL release. Every entry is tested (tests/unit/sources).
_O, _O64, _L, _L64 = "otherGuest", "otherGuest64", "otherLinuxGuest", "otherLinux64Guest"
CIM_OS_TYPES: dict[int, tuple[str, str]] = {
    0: ("", "Unknown"), 1: (_O, "Other"), 2: (_O, "MACOS"), 3: (_O, "ATTUNIX"), 4: (_O, "DGUX"),
    5: (_O, "DECNT"), 6: (_O, "Tru64 UNIX"), 7: (_O, "OpenVMS"), 8: (_O, "HPUX"), 9: (_O, "AIX"), 10: (_O, "MVS"),
    11: (_O, "OS400"), 12: (_O, "OS/2"), 13: (_O, "JavaVM"), 14: ("dosGuest", "MSDOS"),
    15: ("win31Guest", "WIN3x"), 16: ("win95Guest", "WIN95"), 17: ("win98Guest", "WIN98"), 18: ("winNTGuest", "WINNT"),
    19: (_O, "WINCE"), 20: (_O, "NCR3000"), 21: (_O, "NetWare"), 22: (_O, "OSF"), 23: (_O, "DC/OS"),
    24: (_O, "Reliant UNIX"), 25: (_O, "SCO UnixWare"), 26: (_O, "SCO OpenServer"),
    27: (_O, "Sequent"), 28: (_O, "IRIX"), 29: ("solaris10Guest", "Solaris"), 30: (_O, "SunOS"), 31: (_O, "U6000"),
    32: (_O, "ASERIES"), 33: (_O, "HP NonStop OS"), 34: (_O, "HP NonStop OSS"), 35: (_O, "BS2000"),
    36: (_L, "LINUX"), 37: (_O, "Lynx"), 38: (_O, "XENIX"), 39: (_O, "VM"), 40: (_O, "Interactive UNIX"),
    41: (_O, "BSDUNIX"), 42: ("freebsdGuest", "FreeBSD"), 43: (_O, "NetBSD"), 44: (_O, "GNU Hurd"), 45: (_O, "OS9"),
    46: (_O, "MACH Kernel"), 47: (_O, "Inferno"), 48: (_O, "QNX"), 49: (_O, "EPOC"), 50: (_O, "IxWorks"),
    51: (_O, "VxWorks"), 52: (_O, "MiNT"), 53: (_O, "BeOS"), 54: (_O, "HP MPE"), 55: (_O, "NextStep"),
    56: (_O, "PalmPilot"), 57: (_O, "Rhapsody"), 58: ("win2000ServGuest", "Windows 2000"), 59: (_O, "Dedicated"),
    60: (_O, "OS/390"), 61: (_O, "VSE"), 62: (_O, "TPF"), 63: ("winMeGuest", "Windows (R) Me"),
    64: (_O, "Caldera Open UNIX"), 65: (_O, "OpenBSD"), 66: ("", "Not Applicable"), 67: ("winXPProGuest", "Windows XP"),
    68: (_O, "z/OS"), 69: ("winNetStandardGuest", "Microsoft Windows Server 2003"),
    70: ("winNetStandard64Guest", "Microsoft Windows Server 2003 64-Bit"), 71: ("winXPPro64Guest", "Windows XP 64-Bit"),
    72: ("winXPProGuest", "Windows XP Embedded"), 73: ("winVistaGuest", "Windows Vista"),
    74: ("winVista64Guest", "Windows Vista 64-Bit"), 75: ("winXPProGuest", "Windows Embedded for Point of Service"),
    76: ("winLonghornGuest", "Microsoft Windows Server 2008"),
    77: ("winLonghorn64Guest", "Microsoft Windows Server 2008 64-Bit"), 78: ("freebsd64Guest", "FreeBSD 64-Bit"),
    79: (_L, "RedHat Enterprise Linux"), 80: (_L64, "RedHat Enterprise Linux 64-Bit"),
    81: ("solaris10_64Guest", "Solaris 64-Bit"), 82: (_L, "SUSE"), 83: (_L64, "SUSE 64-Bit"),
    84: ("slesGuest", "SLES"), 85: ("sles64Guest", "SLES 64-Bit"), 86: (_L, "Novell OES"),
    87: (_L, "Novell Linux Desktop"), 88: (_L, "Sun Java Desktop System"),
    89: ("mandrivaGuest", "Mandriva"), 90: ("mandriva64Guest", "Mandriva 64-Bit"), 91: (_L, "TurboLinux"),
    92: (_L64, "TurboLinux 64-Bit"), 93: ("ubuntuGuest", "Ubuntu"), 94: ("ubuntu64Guest", "Ubuntu 64-Bit"),
    95: (_L, "Debian"), 96: (_L64, "Debian 64-Bit"), 97: ("other24xLinuxGuest", "Linux 2.4.x"),
    98: ("other24xLinux64Guest", "Linux 2.4.x 64-Bit"), 99: ("other26xLinuxGuest", "Linux 2.6.x"),
    100: ("other26xLinux64Guest", "Linux 2.6.x 64-Bit"), 101: (_L64, "Linux 64-Bit"), 102: (_O64, "Other 64-Bit"),
    103: ("windows7Server64Guest", "Microsoft Windows Server 2008 R2"), 104: (_O64, "VMware ESXi"),
    105: ("windows7Guest", "Microsoft Windows 7"), 106: ("centosGuest", "CentOS 32-bit"),
    107: ("centos64Guest", "CentOS 64-bit"), 108: ("oracleLinuxGuest", "Oracle Linux 32-bit"),
    109: ("oracleLinux64Guest", "Oracle Linux 64-bit"), 110: (_O, "eComStation 32-bitx"),
    111: ("windows7Server64Guest", "Microsoft Windows Server 2011"),
    112: ("windows8Server64Guest", "Microsoft Windows Server 2012"), 113: ("windows8Guest", "Microsoft Windows 8"),
    114: ("windows8_64Guest", "Microsoft Windows 8 64-bit"),
    115: ("windows8Server64Guest", "Microsoft Windows Server 2012 R2"), 116: ("windows8Guest", "Microsoft Windows 8.1"),
    117: ("windows8_64Guest", "Microsoft Windows 8.1 64-bit"),
    118: ("windows9Server64Guest", "Microsoft Windows Server 2016"), 119: ("windows9Guest", "Microsoft Windows 10"),
    120: ("windows9_64Guest", "Microsoft Windows 10 64-bit"),
}
# CIM names that do not say 32 or 64 bit, although the guest id we map them to does (Windows 7 is written as
# 105 by exports of both editions): their bits stay unknown rather than guessed.
# So are the systems mapped to the generic "other" id (Tru64, AIX, z/OS…): their word size is no x86 fact.
CIM_BITS_UNKNOWN = frozenset({105, 58, 67, 73} | {k for k, (g, _) in CIM_OS_TYPES.items() if g == _O and k != 1})


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
    """The vSphere guest id for a CIM OsType value ("" for Unknown, Not Applicable or a value past the table)."""
    return CIM_OS_TYPES.get(os_id, ("", ""))[0]


def cim_guest(os_id: int, description: str = "") -> GuestOS:
    """A :class:`GuestOS` for a CIM OsType value: its guest id, the OVF's description (else the DMTF name) as
    the name people read, and bits only when the CIM value says them."""
    gid, name = CIM_OS_TYPES.get(os_id, ("", ""))
    guest = guest_from_id(gid, description or name)
    if os_id in CIM_BITS_UNKNOWN:
        guest.bits = None
    return guest


_DISTROS = (  # (words in Tools' distroName, vSphere id prefix, last major version with its own id)
    ("red hat enterprise linux", "rhel", 10), ("centos", "centos", 9), ("debian", "debian", 13),
    ("oracle linux", "oracleLinux", 9), ("rocky linux", "rockylinux", 0), ("almalinux", "almalinux", 0),
    ("suse linux enterprise server", "sles", 16), ("ubuntu", "ubuntu", 0), ("amazon linux", "amazonlinux", 3),
)


def running_guest_id(detailed: dict[str, str]) -> str:
    """The vSphere guest id of the guest VMware Tools saw running (``guestInfo.detailed.data``: distroName,
    distroVersion, bitness), "" when Tools reported nothing this table knows. It is what the end-of-support and
    driver findings should name: a VM configured as RHEL 7 may run RHEL 8.10."""
    name = detailed.get("distroName", "").lower()
    version = detailed.get("distroVersion", "")
    bits = detailed.get("bitness", "")
    m = re.match(r"(\d+)", version)
    for words, prefix, newest in _DISTROS:
        if words not in name:
            continue
        if newest == 0:  # one id per bitness (ubuntu64Guest, almalinux_64Guest)
            return f"{prefix}{'_64' if prefix in ('almalinux', 'rockylinux') else '64' if bits == '64' else ''}Guest"
        if not m or int(m.group(1)) > newest:
            return ""
        return f"{prefix}{m.group(1)}{'_64' if bits == '64' else ''}Guest"
    return ""


def friendly_name(guest_id: str) -> str:
    """The name people read for a vSphere guest id (``rhel7_64Guest`` → "Red Hat Enterprise Linux 7 (64-bit)"),
    from the guest catalog; "" when the catalog does not know the id."""
    from wizard.compat.catalog import guest_catalog

    info = guest_catalog().get(guest_id)
    return info.name if info is not None else ""


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
