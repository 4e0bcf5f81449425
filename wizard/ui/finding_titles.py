"""Findings and messages from below the user interface, in the window's language.

The rule catalogue (``wizard.compat``) and the typed errors are written in English and have no Qt. The
wizard shows a finding's title through :func:`title` (the message catalogue, then Qt's catalog, context
``Findings``) and every other text that comes from below — a finding's explanation, fix and choice labels, an
error's message and fix — through :func:`text`, which asks :func:`wizard.core.i18n.translate` in
:func:`wizard.ui.i18n.current_language`. Values inside those texts (VM names, paths, sizes) stay as they are.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from wizard.core.i18n import translate
from wizard.ui.i18n import current_language

# Qt's copies of the older rules' titles (context ``Findings``): a fallback only; the message catalogue
# (resources/i18n/messages_zh_CN.json) has every rule's title, new ones included.
TITLES = (
    QT_TRANSLATE_NOOP("Findings", "Generation follows the source firmware"),
    QT_TRANSLATE_NOOP("Findings", "Generation does not match the source firmware"),
    QT_TRANSLATE_NOOP("Findings", "32-bit guest cannot run on Generation 2"),
    QT_TRANSLATE_NOOP("Findings", "Guest not listed for Generation 2"),
    QT_TRANSLATE_NOOP("Findings", "Generation 1 has no Secure Boot or TPM"),
    QT_TRANSLATE_NOOP("Findings", "Guest OS not supported on Hyper-V"),
    QT_TRANSLATE_NOOP("Findings", "Guest OS is out of vendor support"),
    QT_TRANSLATE_NOOP("Findings", "Guest OS not recognised"),
    QT_TRANSLATE_NOOP("Findings", "Guest needs a newer Hyper-V host"),
    QT_TRANSLATE_NOOP("Findings", "More virtual processors than the guest supports"),
    QT_TRANSLATE_NOOP("Findings", "Linux needs Hyper-V drivers in its boot image"),
    QT_TRANSLATE_NOOP("Findings", "Secure Boot turned off for this guest"),
    QT_TRANSLATE_NOOP("Findings", "Linux Secure Boot needs the UEFI CA template"),
    QT_TRANSLATE_NOOP("Findings", "Windows Secure Boot needs the Windows template"),
    QT_TRANSLATE_NOOP("Findings", "Windows 11 needs Secure Boot and a virtual TPM"),
    QT_TRANSLATE_NOOP("Findings", "The source's virtual TPM cannot be copied"),
    QT_TRANSLATE_NOOP("Findings", "Encrypted VM or disk"),
    QT_TRANSLATE_NOOP("Findings", "Configuration version not supported by the host"),
    QT_TRANSLATE_NOOP("Findings", "Configuration version too old for the chosen features"),
    QT_TRANSLATE_NOOP("Findings", "More virtual processors than the host allows"),
    QT_TRANSLATE_NOOP("Findings", "Memory size unknown"),
    QT_TRANSLATE_NOOP("Findings", "More memory than the host allows"),
    QT_TRANSLATE_NOOP("Findings", "Memory rounded to 2 MiB"),
    QT_TRANSLATE_NOOP("Findings", "Dynamic memory bounds adjusted"),
    QT_TRANSLATE_NOOP("Findings", "More network adapters than the host allows"),
    QT_TRANSLATE_NOOP("Findings", "VM has no disks"),
    QT_TRANSLATE_NOOP("Findings", "Physical-mode raw device mapping"),
    QT_TRANSLATE_NOOP("Findings", "Virtual-mode raw device mapping"),
    QT_TRANSLATE_NOOP("Findings", "Shared or clustered disk"),
    QT_TRANSLATE_NOOP("Findings", "Independent or non-persistent disk"),
    QT_TRANSLATE_NOOP("Findings", "Disk on vSAN"),
    QT_TRANSLATE_NOOP("Findings", "Disk larger than 64 TB"),
    QT_TRANSLATE_NOOP("Findings", "Disk file missing or damaged"),
    QT_TRANSLATE_NOOP("Findings", "ARM guest on an x64 Hyper-V host"),
    QT_TRANSLATE_NOOP("Findings", "VM is inaccessible or orphaned in vCenter"),
    QT_TRANSLATE_NOOP("Findings", "Disk size unknown"),
    QT_TRANSLATE_NOOP("Findings", "Disk too large for the VHD format"),
    QT_TRANSLATE_NOOP("Findings", "Disk left out"),
    QT_TRANSLATE_NOOP("Findings", "Disk placement"),
    QT_TRANSLATE_NOOP("Findings", "Disk placement not valid"),
    QT_TRANSLATE_NOOP("Findings", "Generation 1 boot disk moves to IDE"),
    QT_TRANSLATE_NOOP("Findings", "More IDE disks than Generation 1 has slots"),
    QT_TRANSLATE_NOOP("Findings", "IDE disks move to SCSI on Generation 2"),
    QT_TRANSLATE_NOOP("Findings", "More disks than Hyper-V can attach"),
    QT_TRANSLATE_NOOP("Findings", "Disk controllers change"),
    QT_TRANSLATE_NOOP("Findings", "Generation 1 boot disk larger than 2 TB"),
    QT_TRANSLATE_NOOP("Findings", "USB devices are not carried over"),
    QT_TRANSLATE_NOOP("Findings", "Serial port"),
    QT_TRANSLATE_NOOP("Findings", "Parallel port"),
    QT_TRANSLATE_NOOP("Findings", "Floppy drive"),
    QT_TRANSLATE_NOOP("Findings", "CD/DVD drive with media"),
    QT_TRANSLATE_NOOP("Findings", "PCI passthrough device"),
    QT_TRANSLATE_NOOP("Findings", "Virtual GPU"),
    QT_TRANSLATE_NOOP("Findings", "Device not carried over"),
    QT_TRANSLATE_NOOP("Findings", "Legacy network adapter for an old guest"),
    QT_TRANSLATE_NOOP("Findings", "Network adapter not connected"),
    QT_TRANSLATE_NOOP("Findings", "Source VLAN not carried over"),
    QT_TRANSLATE_NOOP("Findings", "VMware paravirtual drivers are replaced"),
    QT_TRANSLATE_NOOP("Findings", "Static IP addresses belong to the old adapter"),
    QT_TRANSLATE_NOOP("Findings", "Static MAC address kept"),
    QT_TRANSLATE_NOOP("Findings", "VM has snapshots"),
    QT_TRANSLATE_NOOP("Findings", "Guest is hibernated or not cleanly shut down"),
    QT_TRANSLATE_NOOP("Findings", "VM is suspended"),
    QT_TRANSLATE_NOOP("Findings", "VM is running"),
    QT_TRANSLATE_NOOP("Findings", "Source is a template"),
    QT_TRANSLATE_NOOP("Findings", "CPU/memory hot-add"),
    QT_TRANSLATE_NOOP("Findings", "VM name changed for file names"),
    QT_TRANSLATE_NOOP("Findings", "VM name too long for Hyper-V"),
    QT_TRANSLATE_NOOP("Findings", "Several VMs with the same name"),
    QT_TRANSLATE_NOOP("Findings", "VMware Tools to remove"),
    QT_TRANSLATE_NOOP("Findings", "Guest information not available"),
    QT_TRANSLATE_NOOP("Findings", "Invalid value in the plan"),
)


def title(english: str) -> str:
    """``english`` in the user's language: the message catalogue's words first (the same as the command line's
    and the explanation's), else Qt's catalog, else as it is."""
    shown = translate(english, current_language())
    return shown if shown != english else QCoreApplication.translate("Findings", english)


def text(english: str) -> str:
    """A message written below the user interface (finding explanation or fix, choice label, error message)
    in the window's language; as it is when the catalogue has no template for it."""
    return translate(english, current_language())
