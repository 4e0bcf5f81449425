"""The data the rules stand on: Hyper-V limits per host version and VMware guest ids → Hyper-V guest facts.

Both live as JSON under ``resources/catalog/`` so a fact can be corrected without touching code; every value
carries the document it comes from (``source``). Loaded once per process (``functools.cache``).

Contract: :func:`limits` accepts ``"2016"``, ``"2019"``, ``"2022"``, ``"2025"`` or ``"unknown"`` (anything
else → ``PlanError``); ``"unknown"`` holds the most conservative value of all hosts. :func:`guest_info` never
fails: an id missing from the catalog yields an entry with ``known=False`` built from the inventory's own
``family``/``bits``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from wizard.core.errors import PlanError
from wizard.core.inventory import SourceVM
from wizard.core.resources import resource_path

TARGET_VERSIONS = ("2016", "2019", "2022", "2025", "unknown")


@dataclass(frozen=True)
class HostLimits:
    """Per-VM maximums for one host version; ``source[key]`` cites the document behind ``key``."""

    version: str
    label: str
    config_version: str
    supported_config_versions: tuple[str, ...]
    vcpu_gen1: int
    vcpu_gen2: int
    memory_mb_gen1: int
    memory_mb_gen2: int
    synthetic_nics: int
    legacy_nics_gen1: int
    scsi_controllers: int
    disks_per_scsi_controller: int
    ide_devices_gen1: int
    vhdx_max_bytes: int
    vhd_max_bytes: int
    boot_disk_max_bytes_gen1: int
    boot_disk_max_bytes_gen2: int
    com_ports: int
    checkpoints: int
    floppy_gen1: int
    fibre_channel_adapters: int
    source: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def vcpu(self, generation: int) -> int:
        return self.vcpu_gen1 if generation == 1 else self.vcpu_gen2

    def memory_mb(self, generation: int) -> int:
        return self.memory_mb_gen1 if generation == 1 else self.memory_mb_gen2

    def boot_disk_max_bytes(self, generation: int) -> int:
        return self.boot_disk_max_bytes_gen1 if generation == 1 else self.boot_disk_max_bytes_gen2

    def cite(self, *keys: str) -> str:
        seen: list[str] = []
        for k in keys:
            s = self.source.get(k, "")
            for part in s.split("; "):
                if part and part not in seen:
                    seen.append(part)
        return "; ".join(seen)


@dataclass(frozen=True)
class GuestInfo:
    """Hyper-V facts about one guest OS. ``support``: supported | end-of-support | unsupported | unknown."""

    id: str
    family: str  # windows | linux | freebsd | other | ""
    name: str
    version: str = ""
    bits: int | None = None
    support: str = "unknown"
    gen2_capable: bool = True
    secure_boot_template: str | None = None
    needs_lis: bool = False
    initramfs_drivers: bool = False
    max_vcpus: int | None = None
    min_host: str = ""
    notes: str = ""
    source: str = ""
    known: bool = True


def _read(name: str) -> dict[str, Any]:
    with open(resource_path("catalog", name), encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _limits_doc() -> dict[str, Any]:
    return _read("hyperv_limits.json")


@cache
def limits(target_version: str = "unknown") -> HostLimits:
    version = str(target_version or "unknown").strip().lower()
    hosts = _limits_doc()["hosts"]
    if version not in hosts:
        raise PlanError(f"unknown Hyper-V host version {target_version!r}",
                        fix="Use one of: " + ", ".join(TARGET_VERSIONS) + ".")
    raw = hosts[version]
    values: dict[str, Any] = {"version": version, "label": raw["label"]}
    sources: dict[str, str] = {}
    for key, entry in raw.items():
        if isinstance(entry, dict):
            val = entry["value"]
            values[key] = tuple(val) if isinstance(val, list) else val
            sources[key] = entry.get("source", "")
    return HostLimits(**values, source=sources)


@cache
def feature_min_version(feature: str) -> tuple[str, str]:
    """(minimum configuration version, source) for a feature key such as ``vtpm``."""
    entry = _limits_doc()["features"][feature]
    return entry["value"], entry["source"]


@cache
def _guests() -> dict[str, GuestInfo]:
    doc = _read("guest_os.json")
    return {gid: GuestInfo(id=gid, **entry) for gid, entry in doc["guests"].items()}


def guest_catalog() -> dict[str, GuestInfo]:
    return _guests()


_FAMILY_HINTS = (("win", "windows"), ("freebsd", "freebsd"), ("linux", "linux"), ("rhel", "linux"),
                 ("centos", "linux"), ("ubuntu", "linux"), ("debian", "linux"), ("sles", "linux"))


def guest_info(vm: SourceVM) -> GuestInfo:
    """Best guest facts for ``vm``: the tools-reported id when the catalog knows it, else the configured id.

    Inventory ``bits``/``family`` win over the catalog when set (they come from the running guest).
    """
    cat = _guests()
    g = vm.guest
    info = cat.get(g.running_id) if g.running_id else None
    if info is None:
        info = cat.get(g.id)
    if info is None:
        gid = g.running_id or g.id
        family = g.family or next((fam for hint, fam in _FAMILY_HINTS if hint in gid.lower()), "")
        return GuestInfo(id=gid, family=family, name=g.running_full_name or g.full_name or gid or "unknown",
                         bits=g.bits if g.bits else (64 if "64" in gid else None), support="unknown",
                         secure_boot_template=("MicrosoftWindows" if family == "windows" else
                                               "MicrosoftUEFICertificateAuthority" if family == "linux" else None),
                         initramfs_drivers=family == "linux", known=False)
    if g.bits and info.bits and g.bits != info.bits:
        if g.bits == 64:  # the configured id says 32-bit, the running guest is 64-bit: use the 64-bit entry
            base = info.id.removesuffix("Guest")
            sibling = cat.get(base + "_64Guest") or cat.get(base + "64Guest")
            if sibling is not None:
                return sibling
            return replace(info, bits=64)
        return replace(info, bits=32, gen2_capable=False, secure_boot_template=None)
    return info


def version_at_least(version: str, minimum: str) -> bool:
    """Compare configuration versions like ``"9.0"`` ≥ ``"8.3"``; ``""`` (host default) counts as new enough."""
    if not version:
        return True
    try:
        a = tuple(int(x) for x in version.split("."))
        b = tuple(int(x) for x in minimum.split("."))
    except ValueError:
        return False
    return a >= b
