"""A finding's fix in the wizard's words, and the plan changes the wizard can make for it with one button.

The rules (``wizard.compat``) write their fixes for the command line: ``Leave the disk out (--set
disk.0.include=false)``. The wizard has no flags; its users have controls. :func:`fix_text` gives the fix
naming the control and the page that holds it (context ``Fixes``), and keeps any other fix as the rules wrote
it (in the window's language, through :func:`wizard.ui.finding_titles.text`). The command line keeps the
rules' own texts.

:func:`plan_changes` lists what a finding offers to change in the plan: each of its ``choices`` options that
is not chosen now, and the ``--set KEY=VALUE`` pairs its fix names (a boot disk left out names
``disk.0.include=true``). Each change has a button label that says what it does ("Leave this disk out"). A
change the wizard cannot describe in words (an unknown key, an example value such as ``memory=SIZE``) is not
offered. Whether a change would block the VM for another reason is for the caller to find out (assess the VM
with it) before offering it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from wizard.core.findings import Finding, FindingWords
from wizard.ui.finding_titles import text as shown_text
from wizard.ui.finding_titles import title as shown_title

# A command-line flag or command inside a fix: such a fix is rewritten for the wizard.
_FLAG = re.compile(r"--(?:set|set-vm|map-network|source-policy|target-version)\b|\bhvmigrate (?:plan|migrate)\b"
                   r"|\(remove the generation setting\)")
_SET = re.compile(r"--set\s+([A-Za-z0-9_.:-]+)=([^\s,;)]*[^\s,;).])")  # a value never ends with the sentence's "."
# Hyper-V's Secure Boot templates, as people read them (context "Fixes": translate with that context)
SECURE_BOOT_TEMPLATE_NAMES = {
    "MicrosoftWindows": QT_TRANSLATE_NOOP("Fixes", "Microsoft Windows"),
    "MicrosoftUEFICertificateAuthority": QT_TRANSLATE_NOOP("Fixes", "Microsoft UEFI Certificate Authority"),
    "OpenSourceShieldedVM": QT_TRANSLATE_NOOP("Fixes", "Open Source Shielded VM"),
}


def _group(pattern: str, text: str, default: str = "") -> str:
    m = re.search(pattern, text)
    return m.group(1) if m else default


def secure_boot_template_name(value: str) -> str:
    """A Secure Boot template as people read it, in the window's language (unknown values as they are)."""
    name = SECURE_BOOT_TEMPLATE_NAMES.get(value)
    return QCoreApplication.translate("Fixes", name) if name else value


# The wizard's words for each rule fix that names a flag (context "Fixes"); %1, %2 are values taken from the
# rule's own fix. A key with "/" is a variant of the code's fix (see _variant).
FIXES = {
    "RDM-PHYSICAL": QT_TRANSLATE_NOOP(
        "Fixes", "Leave the disk out (the “Leave this disk out” button on the Compatibility page) and give the LUN to "
                 "the new VM another way, or switch it to virtual mode on the source (storage vMotion to a VMDK) "
                 "first."),
    "VHD-2040GB": QT_TRANSLATE_NOOP("Fixes", "Write the disk as VHDX (Disks on the Template page)."),
    "DISK-EXCLUDED": QT_TRANSLATE_NOOP(
        "Fixes", "Copy it again with the “Copy this disk” button on the Compatibility page."),
    "DISK-EXCLUDED/optional": QT_TRANSLATE_NOOP(
        "Fixes", "If the VM needs it, copy it again with the “Copy this disk” button on the Compatibility page."),
    "GENERATION": QT_TRANSLATE_NOOP(
        "Fixes", "Choose Generation %1 for this VM on the Template page (or press Reset to template)."),
    "GENERATION/loader": QT_TRANSLATE_NOOP(
        "Fixes", "Choose Generation %1 on the Template page (or press Reset to template), or convert the guest's "
                 "boot loader to %2 inside the guest before migrating."),
    "SB-NOT-SUPPORTED": QT_TRANSLATE_NOOP("Fixes", "Untick Secure Boot on the Template page."),
    "SB-LINUX-TEMPLATE": QT_TRANSLATE_NOOP(
        "Fixes", "Choose the Microsoft UEFI Certificate Authority Secure Boot template on the Template page, or "
                 "untick Secure Boot."),
    "SB-WINDOWS-TEMPLATE": QT_TRANSLATE_NOOP(
        "Fixes", "Choose the Microsoft Windows Secure Boot template on the Template page."),
    "TPM-WIN11": QT_TRANSLATE_NOOP("Fixes", "Tick Virtual TPM and Secure Boot on the Template page."),
    "TPM-SOURCE": QT_TRANSLATE_NOOP(
        "Fixes", "Suspend BitLocker or save the recovery key before the move, or tick Virtual TPM on the Template "
                 "page."),
    "CONFIG-VERSION": QT_TRANSLATE_NOOP(
        "Fixes", "Leave the version empty (the host's default), or check a Hyper-V host on the Target page so that "
                 "its version is known."),
    "GEN1-NO-UEFI": QT_TRANSLATE_NOOP(
        "Fixes", "Untick Secure Boot and Virtual TPM for this VM on the Template page, or choose Generation 2."),
    "GUEST-HOST-VERSION": QT_TRANSLATE_NOOP(
        "Fixes", "Migrate it to a Windows Server %1 or later host (check the host on the Target page to see its "
                 "version)."),
    "CPU-GUEST-MAX": QT_TRANSLATE_NOOP("Fixes", "Use at most %1 CPUs (CPUs on the Template page)."),
    "MEM-UNKNOWN": QT_TRANSLATE_NOOP("Fixes", "Type the VM's memory in Memory on the Template page."),
    "NAME-INVALID": QT_TRANSLATE_NOOP("Fixes", "Rename it on the Hyper-V host after the move if needed."),
    "NIC-UNMAPPED": QT_TRANSLATE_NOOP("Fixes", "Pick a virtual switch for the source network on the Networks page."),
    "NIC-VLAN": QT_TRANSLATE_NOOP(
        "Fixes", "If the switch carries several VLANs, type VLAN %1 for %2 on the Networks page."),
    "SNAPSHOT-CHAIN": QT_TRANSLATE_NOOP(
        "Fixes", "Delete the snapshot “%1” in vSphere (Snapshots > Manage Snapshots), or resume the interrupted "
                 "migration from the Source page, which removes it."),
    "MEM-MIN": QT_TRANSLATE_NOOP("Fixes", "Type at least %1 MB in Memory on the Template page."),
    "BOOT-DISK": QT_TRANSLATE_NOOP("Fixes", "To start from another disk, choose it under Choices on the "
                                            "Compatibility page."),
    "BOOT-FIRMWARE": QT_TRANSLATE_NOOP(
        "Fixes", "Check the source VM's firmware setting and its boot disk; choose the generation that matches the "
                 "disk under Generation on the Template page, or choose the right boot disk under Choices on the "
                 "Compatibility page."),
    "NESTED-VIRT": QT_TRANSLATE_NOOP(
        "Fixes", "Turn it on with the “Turn nested virtualization on” button on the Compatibility page if the guest "
                 "runs VMs or containers with isolation."),
    "NESTED-VIRT/adjusted": QT_TRANSLATE_NOOP(
        "Fixes", "Nothing to do; turn it off with the “Turn nested virtualization off” button on the Compatibility "
                 "page if the guest no longer needs it."),
    "IDE-MAX4": QT_TRANSLATE_NOOP("Fixes", "Leave disks out until four remain, or merge their data on the source."),
    "NIC-MAC-INVALID": QT_TRANSLATE_NOOP(
        "Fixes", "Choose “Let Hyper-V assign new MAC addresses” under MAC addresses on the Networks page, or give a "
                 "valid address on the source."),
    "OVF-DEPLOYMENT": QT_TRANSLATE_NOOP(
        "Fixes", "To use another configuration, choose it under Choices on the Compatibility page."),
    "VM-POWERED-ON": QT_TRANSLATE_NOOP(
        "Fixes", "For the final cut-over, choose “Shut down first” for Running VMs on the Template page (the guest "
                 "is shut down first and stays off once migrated), in a maintenance window."),
}
# values a fix text quotes, by FIXES key: %1, %2 in order (pattern, default)
_VALUES: dict[str, tuple[tuple[str, str], ...]] = {
    "GENERATION": ((r"Use Generation (\d)", "1"),),
    "GENERATION/loader": ((r"Use Generation (\d)", "1"), (r"boot loader to (\w+)", "")),
    "GUEST-HOST-VERSION": ((r"Windows Server (\S+) or later", "?"),),
    "CPU-GUEST-MAX": ((r"at most (\d+)", "?"),),
    "NIC-VLAN": ((r"--map-network '.*=.*:(\d+)'", "?"), (r"--map-network '(.*)=.*:\d+'", "?")),
    "SNAPSHOT-CHAIN": ((r'snapshot "([^"]+)"', "?"),),
    "MEM-MIN": ((r"at least (\d+)", "?"),),
}


def _variant(code: str, fix: str) -> str:
    """The FIXES key for a code's fix: some rules word their fix in more than one way."""
    if code == "DISK-EXCLUDED" and "if the VM needs it" in fix:
        return "DISK-EXCLUDED/optional"
    if code == "NESTED-VIRT" and "nested=false" in fix:
        return "NESTED-VIRT/adjusted"
    if code in ("GEN-FIRMWARE", "GEN2-32BIT", "GEN2-GUEST") and "(remove the generation setting)" in fix:
        return "GENERATION/loader" if "boot loader to" in fix else "GENERATION"
    return code


def fix_text(f: Finding) -> str:
    """The fix of ``f`` as the wizard says it: controls and pages, never a command-line flag."""
    fix = f.fix
    if not _FLAG.search(fix):
        return shown_text(fix)
    key = _variant(f.code, fix)
    if key in FIXES:
        said = QCoreApplication.translate("Fixes", FIXES[key])
        for n, (pattern, default) in enumerate(_VALUES.get(key, ()), start=1):
            m = re.search(pattern, fix)
            said = said.replace(f"%{n}", m.group(1) if m else default)
        return said
    # a rule this table does not know yet: its fix without the flags rather than flags a user cannot type
    cleaned = re.sub(r"\s*\([^()]*--[a-z][^()]*\)", "", fix)
    cleaned = _SET.sub(lambda m: f"“{m.group(1)} = {m.group(2)}”", cleaned)
    return shown_text(cleaned)


@dataclass(frozen=True)
class PlanChange:
    """Settings for one VM (the ``--set`` vocabulary) that a finding offers, and what its button says."""

    settings: tuple[tuple[str, str], ...]
    label: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.settings)


def _label_one(key: str, value: str) -> str:
    """Words for one setting, or "" when the wizard cannot say it (then it is not offered)."""
    on = value.lower() in ("true", "yes", "1", "on")
    if re.fullmatch(r"disk\.\d+\.include", key):
        return (QCoreApplication.translate("Fixes", "Copy this disk") if on
                else QCoreApplication.translate("Fixes", "Leave this disk out"))
    if key == "secure_boot":
        return (QCoreApplication.translate("Fixes", "Turn Secure Boot on") if on
                else QCoreApplication.translate("Fixes", "Turn Secure Boot off"))
    if key == "tpm":
        return (QCoreApplication.translate("Fixes", "Turn the virtual TPM on") if on
                else QCoreApplication.translate("Fixes", "Turn the virtual TPM off"))
    if key == "secure_boot_template" and value in SECURE_BOOT_TEMPLATE_NAMES:
        return QCoreApplication.translate("Fixes", "Use the %1 Secure Boot template").replace(
            "%1", secure_boot_template_name(value))
    if key == "cpus" and value.isdigit():
        return QCoreApplication.translate("Fixes", "Use %1 CPUs").replace("%1", value)
    if key == "disk.format" and value.lower() == "vhdx":
        return QCoreApplication.translate("Fixes", "Write the disks as VHDX")
    if key in ("memory", "memory.startup") and value.isdigit():
        return QCoreApplication.translate("Fixes", "Use %1 MB of memory").replace("%1", value)
    if key == "nested":
        return (QCoreApplication.translate("Fixes", "Turn nested virtualization on") if on
                else QCoreApplication.translate("Fixes", "Turn nested virtualization off"))
    if key == "nic.static_mac" and not on:
        return QCoreApplication.translate("Fixes", "Let Hyper-V assign the MAC addresses")
    if key.startswith("device:"):
        device = key[len("device:"):]
        if value == "drop":
            return QCoreApplication.translate("Fixes", "Leave %1 out").replace("%1", device)
        if value == "convert":
            return QCoreApplication.translate("Fixes", "Replace %1 with the Hyper-V equivalent").replace("%1", device)
    return ""


def plan_changes(f: Finding, chosen: dict[str, str] | None = None, *, from_choices: bool = True) -> list[PlanChange]:
    """The plan changes ``f`` offers (see the module docstring); ``chosen`` are the VM's current choices
    (key → option), so the option in force is not offered again. ``from_choices=False``: only what the fix
    names."""
    chosen = chosen or {}
    out: list[PlanChange] = []
    for choice in f.choices if from_choices else []:
        current = chosen.get(choice.key) or choice.selected or choice.default
        for option in choice.options:
            if option == current or option == "block":  # blocking the VM is never a fix
                continue
            label = _label_one(choice.key, option)
            if label:
                out.append(PlanChange(((choice.key, option),), label))
    # placeholders (SIZE, ID, 1|2, ...) and examples (e.g. --set memory=4G) are not changes to make
    pairs = [(k, v) for k, v in _SET.findall(f.fix)
             if not v.isupper() and "|" not in v and v != "..." and "e.g. --set" not in f.fix]
    if pairs:
        labels = [_label_one(k, v) for k, v in pairs]
        if all(labels) and not any(c.settings == tuple(pairs) for c in out):
            keys = {k for k, _ in pairs}
            if keys == {"secure_boot", "tpm"}:
                on = all(v.lower() == "true" for _, v in pairs)
                label = (QCoreApplication.translate("Fixes", "Turn Secure Boot and the virtual TPM on") if on
                         else QCoreApplication.translate("Fixes", "Turn Secure Boot and the virtual TPM off"))
            else:
                label = QCoreApplication.translate("Fixes", ", ").join(labels)
            out.append(PlanChange(tuple(pairs), label))
    return out


def _title(f: Finding) -> str:
    return shown_title(f.title)


def _message(f: Finding) -> str:
    return shown_text(f.message)


# A finding as the wizard's pages word it, for the reports the wizard saves: they say what its pages said
WIZARD_WORDS = FindingWords(title=_title, message=_message, fix=fix_text)
