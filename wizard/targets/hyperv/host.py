"""What a Hyper-V host offers: versions, switches, default folders with free space, VMs, SMB shares.

``Get-HostInventory.ps1`` prints one JSON document; :func:`parse_host_info` turns it into :class:`HostInfo`
(raising :class:`TargetError` naming the field when the document is not what the script writes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.core.errors import TargetError
from wizard.core.progress import CancelToken
from wizard.core.serial import from_jsonable


@dataclass
class ConfigVersion:
    version: str = ""
    name: str = ""
    default: bool = False


@dataclass
class VSwitch:
    name: str = ""
    type: str = ""  # External | Internal | Private
    id: str = ""


@dataclass
class FolderSpace:
    path: str = ""
    free_bytes: int = -1  # -1 = unknown (UNC / mount point)
    total_bytes: int = -1


@dataclass
class VMTag:
    name: str = ""
    tag: str = ""
    incomplete: bool = False  # Create-VM.ps1 did not finish this VM


@dataclass
class Share:
    name: str = ""
    path: str = ""


@dataclass
class HostInfo:
    computer_name: str = ""
    os_caption: str = ""
    os_version: str = ""
    os_build: str = ""
    supported_versions: list[ConfigVersion] = field(default_factory=list)
    switches: list[VSwitch] = field(default_factory=list)
    vm_path: FolderSpace = field(default_factory=FolderSpace)
    vhd_path: FolderSpace = field(default_factory=FolderSpace)
    vm_names: list[str] = field(default_factory=list)
    vm_tags: list[VMTag] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    logical_processors: int = 0
    memory_bytes: int = 0

    @property
    def default_version(self) -> str:
        return next((v.version for v in self.supported_versions if v.default), "")

    @property
    def server_release(self) -> str:
        """2016 | 2019 | 2022 | 2025 | "" from the build number (client Windows → "")."""
        try:
            build = int(self.os_build)
        except ValueError:
            return ""
        if "Server" not in self.os_caption:
            return ""
        for release, first in (("2025", 26100), ("2022", 20348), ("2019", 17763), ("2016", 14393)):
            if build >= first:
                return release
        return ""

    def switch(self, name: str) -> VSwitch | None:
        return next((s for s in self.switches if s.name == name), None)

    def tag_of(self, vm_name: str) -> str | None:
        """The hvmigrate tag of the VM named ``vm_name`` ("" untagged), None when no such VM."""
        names = [n.lower() for n in self.vm_names]
        if vm_name.lower() not in names:
            return None
        return next((t.tag for t in self.vm_tags if t.name.lower() == vm_name.lower()), "")

    def vm_state(self, vm_name: str) -> VMTag | None:
        """Name, hvmigrate tag and completeness of the VM named ``vm_name`` (None when no such VM)."""
        if self.tag_of(vm_name) is None:
            return None
        return next((t for t in self.vm_tags if t.name.lower() == vm_name.lower()), VMTag(name=vm_name))

    def share_for_path(self, host_path: str) -> Share | None:
        """The share whose folder contains ``host_path`` (longest match)."""
        low = host_path.lower().rstrip("\\") + "\\"
        best = None
        for s in self.shares:
            root = s.path.lower().rstrip("\\") + "\\"
            if low.startswith(root) and (best is None or len(s.path) > len(best.path)):
                best = s
        return best


def parse_host_info(doc: dict[str, Any], where: str = "the host") -> HostInfo:
    body = {k: v for k, v in doc.items() if k != "ok"}
    try:
        return from_jsonable(HostInfo, body)
    except ValueError as exc:
        raise TargetError(f"The inventory of {where} could not be read: {exc}", details=str(doc)[:2000]) from None


def read_host_info(session, cancel: CancelToken | None = None) -> HostInfo:
    """Run ``Get-HostInventory.ps1`` on ``session`` (a :class:`~wizard.targets.hyperv.session.HyperVSession`)."""
    doc = session.run_json("host_inventory", {"schema": "hvmigrate.host-inventory/1"}, cancel, timeout=300)
    return parse_host_info(doc, session.describe())
