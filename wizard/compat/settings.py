"""The ``key=value`` vocabulary shared by templates, ``--set`` and the UI's adjustments.

Contract: :func:`parse_sets` turns ``["cpus=4", "memory.dynamic=true"]`` into a dict, refusing unknown keys
and malformed pairs with a :class:`PlanError` that names the pair. :func:`apply_settings` writes validated
values into a :class:`VMSpec` (every value is checked: a bad one raises ``PlanError`` naming the key and
the allowed values) and returns the *lock keys* it touched, which the rules respect: an adjustment never
silently undoes what a user set; the rule reports the conflict instead.

Keys (``N`` is the source disk/NIC index):
  generation, version, cpus, memory (= memory.startup), memory.dynamic, memory.minimum, memory.maximum,
  memory.buffer, secure_boot, secure_boot_template, tpm, nested, checkpoint_type, automatic_start_action,
  automatic_stop_action, automatic_start_delay, keep_bios_uuid, path, notes,
  disk.format, disk.type, disk.block_size, disk.N.include, disk.N.type, disk.N.format, disk.N.block_size,
  disk.N.boot (true: start the VM from source disk N instead of the disk hvmigrate chose; ``disk.boot=N`` says the
  same, and is what the wizard's boot-disk choice writes), deployment (an OVF
  package's deployment option, by its id: the disks, adapters, processors and memory of that configuration),
  nic.switch, nic.vlan, nic.static_mac, nic.N.switch, nic.N.vlan, nic.N.static_mac, nic.N.legacy,
  integration.<Service Name>, fixups.<remove_vmware_tools|reapply_static_ips|bring_disks_online|
  linux_initramfs_drivers>, guest.prepare_linux (prepare a Linux guest offline with libguestfs after converting
  its disks: initramfs drivers, network bound to the new adapter; on by default), device:<label> (drop | convert |
  block).
Sizes take units (``4G``, ``4096`` = MiB for memory, bytes for block sizes unless a unit is given).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from wizard.core.errors import PlanError
from wizard.core.plan import DeviceAction, DeviceChoice, DiskFormat, DiskSpec, DiskType, MiB, NicSpec, VMSpec
from wizard.core.units import parse_size

SECURE_BOOT_TEMPLATES = ("MicrosoftWindows", "MicrosoftUEFICertificateAuthority", "OpenSourceShieldedVM")
CHECKPOINT_TYPES = ("Disabled", "Production", "ProductionOnly", "Standard")
START_ACTIONS = ("Nothing", "StartIfRunning", "Start")
STOP_ACTIONS = ("TurnOff", "Save", "ShutDown")
FIXUPS = ("remove_vmware_tools", "reapply_static_ips", "bring_disks_online", "linux_initramfs_drivers")
SIMPLE_KEYS = ("generation", "version", "cpus", "memory", "memory.startup", "memory.dynamic", "memory.minimum",
               "memory.maximum", "memory.buffer", "secure_boot", "secure_boot_template", "tpm", "nested",
               "checkpoint_type", "automatic_start_action", "automatic_stop_action", "automatic_start_delay",
               "keep_bios_uuid", "path", "notes", "disk.format", "disk.type", "disk.block_size", "nic.switch",
               "nic.vlan", "nic.static_mac", "deployment", "disk.boot", "guest.prepare_linux")
_INDEXED = re.compile(r"(disk)\.(\d+)\.(include|type|format|block_size|boot)$"
                      r"|(nic)\.(\d+)\.(switch|vlan|static_mac|legacy)$")
_MAC = re.compile(r"^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^\d{1,2}\.\d{1,2}$")
MAX_VCPU_ANY = 2048
MAX_MEMORY_MB_ANY = 240 * 1024 * 1024


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters written as ``\\xNN`` (for messages that end up on terminals/logs)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def known_key(key: str) -> bool:
    return (key in SIMPLE_KEYS or bool(_INDEXED.match(key)) or key.startswith("device:")
            or (key.startswith("integration.") and len(key) > len("integration."))
            or (key.startswith("fixups.") and key[len("fixups."):] in FIXUPS))


def parse_sets(pairs: Iterable[str] | Mapping[str, Any] | None) -> dict[str, str]:
    """``["k=v", ...]`` or a mapping → ``{key: value-as-text}``; unknown keys raise ``PlanError``."""
    out: dict[str, str] = {}
    if not pairs:
        return out
    items = pairs.items() if isinstance(pairs, Mapping) else (_split(p) for p in pairs)
    for key, value in items:
        key = str(key).strip()
        if not known_key(key):
            raise PlanError(f"unknown setting {key!r}",
                            fix="Known settings: " + ", ".join(SIMPLE_KEYS)
                            + ", disk.N.include|type|format|block_size|boot, nic.N.switch|vlan|static_mac|legacy, "
                              "integration.NAME, fixups.NAME, device:LABEL.")
        out[key] = _text(value)
    return out


def _split(pair: str) -> tuple[str, str]:
    key, sep, value = str(pair).partition("=")
    if not sep or not key.strip():
        raise PlanError(f"setting {pair!r} is not key=value",
                        fix="Write it like --set cpus=4 or --set memory.dynamic=true.")
    return key.strip(), value.strip()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _bool(key: str, text: str) -> bool:
    low = text.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise PlanError(f"setting {printable(key)}={text!r}: expected true or false")


def _int(key: str, text: str, lo: int, hi: int) -> int:
    try:
        val = int(text.strip())
    except ValueError:
        raise PlanError(f"setting {printable(key)}={text!r}: expected a whole number") from None
    if not lo <= val <= hi:
        raise PlanError(f"setting {printable(key)}={val}: must be between {lo} and {hi}")
    return val


def _choice(key: str, text: str, allowed: Iterable[str]) -> str:
    for a in allowed:
        if a.lower() == text.strip().lower():
            return a
    raise PlanError(f"setting {printable(key)}={text!r}: must be one of " + ", ".join(allowed))


def _memory_mb(key: str, text: str) -> int:
    t = text.strip()
    try:
        mb = int(t) if t.isdigit() else parse_size(t) // MiB
    except ValueError:
        raise PlanError(f"setting {printable(key)}={text!r}: expected a size such as 4096 (MiB) or 4G") from None
    if not 32 <= mb <= MAX_MEMORY_MB_ANY:
        raise PlanError(f"setting {printable(key)}={text!r}: memory must be between 32 MiB and 240 TiB")
    return mb


def _block_size(key: str, text: str) -> int:
    try:
        size = parse_size(text)
    except ValueError:
        raise PlanError(f"setting {printable(key)}={text!r}: expected a size such as 1M or 32M") from None
    if size < MiB or size > 256 * MiB or size & (size - 1):
        raise PlanError(f"setting {printable(key)}={text!r}: a VHDX block size is a power of two from 1 MiB to 256 MiB")
    return size


def _vlan(key: str, text: str) -> int | None:
    if text.strip().lower() in ("", "none", "0", "untagged"):
        return None
    return _int(key, text, 1, 4094)


def _mac(key: str, text: str, source_mac: str) -> str:
    low = text.strip().lower()
    if low in ("true", "yes", "keep", "1", "on"):
        return source_mac
    if low in ("false", "no", "0", "off", "", "dynamic"):
        return ""
    if not _MAC.match(low):
        raise PlanError(f"setting {printable(key)}={text!r}: expected true/false or a MAC address "
                        "like 00:15:5d:01:02:03")
    return low


def apply_settings(spec: VMSpec, settings: Mapping[str, str], source_macs: list[str] | None = None, *,
                   strict: bool = True, device_labels: set[str] | None = None) -> set[str]:
    """Write ``settings`` into ``spec``; returns the lock keys touched. Raises ``PlanError`` on a bad value.

    With ``strict=False`` a ``disk.N.*``/``nic.N.*`` key for a disk or adapter this VM does not have is
    skipped (a setting meant for many VMs); with ``strict=True`` it is an error. ``device_labels`` (the
    source VM's device labels) does the same for ``device:<label>`` keys; ``None`` accepts any label.
    """
    touched: set[str] = set()
    macs = source_macs or []
    for key, text in settings.items():
        try:
            if device_labels is not None and key.startswith("device:") and key[len("device:"):] not in device_labels:
                raise _MissingItem(f"setting {printable(key)}: this VM has no device called {key[len('device:'):]!r}")
            touched.add(_apply_one(spec, key, text, macs))
        except _MissingItem:
            if strict:
                raise
    return touched


def check_settings(settings: Mapping[str, str]) -> None:
    """Validate every value without a VM at hand (templates): raises ``PlanError`` naming the bad pair."""
    apply_settings(VMSpec(disks=[DiskSpec()], nics=[NicSpec()]), settings, strict=False)


class _MissingItem(PlanError):
    pass


def _apply_one(spec: VMSpec, key: str, text: str, macs: list[str]) -> str:  # noqa: C901 - a flat dispatch table
    m = spec.memory
    if key == "generation":
        spec.generation = _int(key, text, 1, 2)
    elif key == "version":
        if text.strip() and not _VERSION.match(text.strip()):
            raise PlanError(f"setting version={text!r}: expected a configuration version such as 9.0, or empty")
        spec.version = text.strip()
    elif key == "cpus":
        spec.cpus = _int(key, text, 1, MAX_VCPU_ANY)
    elif key in ("memory", "memory.startup"):
        m.startup_mb = _memory_mb(key, text)
        return "memory.startup"
    elif key == "memory.dynamic":
        m.dynamic = _bool(key, text)
    elif key == "memory.minimum":
        m.minimum_mb = _memory_mb(key, text)
    elif key == "memory.maximum":
        m.maximum_mb = _memory_mb(key, text)
    elif key == "memory.buffer":
        m.buffer_percent = _int(key, text, 5, 2000)
    elif key == "secure_boot":
        spec.secure_boot = _bool(key, text)
    elif key == "secure_boot_template":
        spec.secure_boot_template = _choice(key, text, SECURE_BOOT_TEMPLATES)
    elif key == "tpm":
        spec.tpm = _bool(key, text)
    elif key == "nested":
        spec.expose_virtualization_extensions = _bool(key, text)
    elif key == "checkpoint_type":
        spec.checkpoint_type = _choice(key, text, CHECKPOINT_TYPES)
    elif key == "automatic_start_action":
        spec.automatic_start_action = _choice(key, text, START_ACTIONS)
    elif key == "automatic_stop_action":
        spec.automatic_stop_action = _choice(key, text, STOP_ACTIONS)
    elif key == "automatic_start_delay":
        spec.automatic_start_delay = _int(key, text, 0, 86400)
    elif key == "keep_bios_uuid":
        spec.keep_bios_uuid = _bool(key, text)
    elif key == "path":
        spec.path = text
    elif key == "notes":
        spec.notes = text
    elif key == "deployment":
        # chosen before the spec is built (compat.engine: the option decides which disks and adapters exist);
        # here only its form is checked, so that a template or --set with a bad value fails early
        if not re.fullmatch(r"[^\x00-\x1f]{1,200}", text.strip()):
            raise PlanError(f"setting deployment={text!r}: name one of the package's deployment options")
    elif key == "disk.boot":
        index = _int(key, text, 0, 1_000_000)
        return _apply_one(spec, f"disk.{index}.boot", "true", macs)
    elif key in ("disk.format", "disk.type", "disk.block_size"):
        for d in spec.disks:
            _apply_disk(d, key.split(".")[1], key, text)
    elif key in ("nic.switch", "nic.vlan", "nic.static_mac"):
        for n in spec.nics:
            _apply_nic(n, key.split(".")[1], key, text, macs)
    elif key.startswith("integration."):
        spec.integration_services[key[len("integration."):]] = _bool(key, text)
    elif key.startswith("fixups."):
        setattr(spec.fixups, key[len("fixups."):], _bool(key, text))
    elif key == "guest.prepare_linux":
        spec.fixups.prepare_linux = _bool(key, text)
    elif key.startswith("device:"):
        _apply_device(spec, key, text)
    else:
        im = _INDEXED.match(key)
        assert im, key  # parse_sets only lets known keys through
        if im.group(1):
            index, attr = int(im.group(2)), im.group(3)
            disk = next((d for d in spec.disks if d.source_index == index), None)
            if disk is None:
                raise _MissingItem(f"setting {printable(key)}: this VM has no disk {index}")
            if attr == "include":
                disk.include = _bool(key, text)
            elif attr == "boot":
                if not _bool(key, text):
                    raise PlanError(f"setting {printable(key)}=false: name the disk to start from instead "
                                    "(disk.N.boot=true for that disk)")
                for other in spec.disks:
                    other.boot = other is disk
                return "disk.boot"
            else:
                _apply_disk(disk, attr, key, text)
        else:
            index, attr = int(im.group(5)), im.group(6)
            nic = next((n for n in spec.nics if n.source_index == index), None)
            if nic is None:
                raise _MissingItem(f"setting {printable(key)}: this VM has no network adapter {index}")
            if attr == "legacy":
                nic.legacy = _bool(key, text)
            else:
                _apply_nic(nic, attr, key, text, macs)
    return key


def _apply_disk(disk: Any, attr: str, key: str, text: str) -> None:
    if attr == "format":
        disk.format = DiskFormat(_choice(key, text, [f.value for f in DiskFormat]))
        ext = disk.format.value
        if disk.file_name and "." in disk.file_name:
            disk.file_name = disk.file_name.rsplit(".", 1)[0] + "." + ext
    elif attr == "type":
        disk.type = DiskType(_choice(key, text, [t.value for t in DiskType]))
    elif attr == "block_size":
        disk.block_size_bytes = _block_size(key, text)


def _apply_nic(nic: Any, attr: str, key: str, text: str, macs: list[str]) -> None:
    if attr == "switch":
        nic.switch = text.strip()
    elif attr == "vlan":
        nic.vlan_id = _vlan(key, text)
    elif attr == "static_mac":
        src = macs[nic.source_index] if nic.source_index < len(macs) else ""
        nic.static_mac = _mac(key, text, src)


def _apply_device(spec: VMSpec, key: str, text: str) -> None:
    label = key[len("device:"):]
    action = DeviceAction(_choice(key, text, [a.value for a in DeviceAction]))
    for d in spec.devices:
        if d.device_label == label:
            d.action = action
            return
    spec.devices.append(DeviceChoice(device_label=label, kind="", action=action))
