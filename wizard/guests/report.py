"""What the preparation found inside a guest and what it changed: plain data for reports and the bundle.

Contract: ``PrepReport.status`` is ``prepared`` (changes were made; ``changes`` lists each with its file, what
and why, and where the original was kept), ``unchanged`` (nothing needed changing), ``refused`` (the guest
cannot be prepared, ``reason`` says why; nothing was changed), ``failed`` (an error stopped it before anything was
written, see :mod:`wizard.guests.prepare`) or ``skipped`` (not attempted:
the plan turned it off, libguestfs is missing; ``reason`` says which). ``notes`` are things a person should
look at (entries pointed out but not rewritten, open-vm-tools left installed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from wizard.core.i18n import user_text

PREPARED, UNCHANGED, REFUSED, FAILED, SKIPPED = "prepared", "unchanged", "refused", "failed", "skipped"


@dataclass
class Change:
    """One change inside the guest: ``file`` (the path in the guest), ``what`` was done, ``why``, and
    ``original`` (where the file as it was is kept; "" for a new file)."""

    file: str = ""
    what: str = ""
    why: str = ""
    original: str = ""

    def text(self) -> str:
        kept = f" (original kept as {self.original})" if self.original else ""
        return f"{self.file}: {self.what} — {self.why}{kept}"  # the report translates it piece by piece


@dataclass
class GuestFacts:
    """What inspection found (empty strings when unknown)."""

    os_type: str = ""  # linux | windows | ...
    distro: str = ""  # libguestfs's name: debian, ubuntu, rhel, centos, fedora, sles, opensuse, ...
    version: str = ""  # "12", "9.3"
    product: str = ""  # "Debian GNU/Linux 12 (bookworm)"
    kernels: list[str] = field(default_factory=list)
    initramfs_tool: str = ""  # dracut | initramfs-tools | mkinitrd | ""
    network_styles: list[str] = field(default_factory=list)  # ifcfg, keyfile, netplan, interfaces, wicked, ...
    bootloader: str = ""  # grub2 | grub-legacy | systemd-boot | extlinux | ""
    fstab_devices: list[str] = field(default_factory=list)  # the first field of each /etc/fstab entry
    root_device: str = ""

    def lines(self) -> list[str]:
        out = []
        release = f"{self.distro} {self.version}"
        if self.product and self.distro:
            out.append(user_text(f"Guest: {self.product} ({release})"))
        elif self.product:
            out.append(user_text(f"Guest: {self.product}"))
        elif self.distro:
            shown = release.rstrip()
            out.append(user_text(f"Guest: {shown}"))
        if self.kernels:
            kernels = ", ".join(self.kernels)
            out.append(user_text(f"Kernels: {kernels}"))
        if self.initramfs_tool:
            out.append(user_text(f"Initramfs built with: {self.initramfs_tool}"))
        if self.network_styles:
            styles = ", ".join(self.network_styles)
            out.append(user_text(f"Network configuration: {styles}"))
        if self.bootloader:
            out.append(user_text(f"Boot loader: {self.bootloader}"))
        if self.fstab_devices:
            devices = ", ".join(self.fstab_devices)
            out.append(user_text(f"/etc/fstab names: {devices}"))
        return out


@dataclass
class PrepReport:
    status: str = SKIPPED
    reason: str = ""
    facts: GuestFacts = field(default_factory=GuestFacts)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def changes_text(self) -> str:
        """Every change, one per line (an error's details: what was already done inside the guest)."""
        return "\n".join(c.text() for c in self.changes)

    @property
    def changed(self) -> bool:
        return self.status == PREPARED and bool(self.changes)

    def summary(self) -> str:
        """One sentence for a progress line, a README or a report heading."""
        if self.status == PREPARED:
            return user_text(f"Prepared for Hyper-V offline: {len(self.changes)} change(s) inside the guest.")
        if self.status == UNCHANGED:
            return user_text("Checked offline for Hyper-V: nothing inside the guest needed changing.")
        if self.status == REFUSED:
            return user_text(f"Not prepared for Hyper-V (nothing inside the guest was changed): {self.reason}")
        if self.status == FAILED:
            return user_text(f"Preparing the guest for Hyper-V failed: {self.reason}")
        if self.reason:
            return user_text(f"Not prepared for Hyper-V offline: {self.reason}")
        return user_text("Not prepared offline.")

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON object (for the journal); :meth:`from_json` reads it back."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PrepReport | None:
        """The report :meth:`to_json` wrote, or None when ``data`` is not one (a journal is input: never trusted)."""
        try:
            known = GuestFacts.__dataclass_fields__
            facts = GuestFacts(**{k: v for k, v in data.get("facts", {}).items() if k in known})
            changes = [Change(**{k: str(v) for k, v in c.items() if k in Change.__dataclass_fields__})
                       for c in data.get("changes", [])]
            return cls(status=str(data.get("status", SKIPPED)), reason=str(data.get("reason", "")), facts=facts,
                       changes=changes, notes=[str(n) for n in data.get("notes", [])],
                       seconds=float(data.get("seconds", 0.0)))
        except (TypeError, ValueError, AttributeError):
            return None

    def lines(self) -> list[str]:
        """Every line a person reads: the summary, the facts, each change, the notes."""
        return [self.summary(), *self.facts.lines(), *(c.text() for c in self.changes), *self.notes]
