"""Snapshot tree of a hosted/ESXi VM from its ``.vmsd`` file (same dictionary format as ``.vmx``).

Keys used: ``snapshot.current`` (uid of the snapshot the VM runs from), ``snapshotN.uid``, ``.parent``,
``.displayName``, ``.description``, ``.createTimeHigh``/``.createTimeLow`` (microseconds since the epoch,
split into two signed 32-bit halves), ``.type`` (1 = taken with memory, i.e. powered on).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wizard.core.inventory import PowerState, Snapshot
from wizard.sources.vmxparse import VmxDict

MAX_SNAPSHOTS = 1000


def _created(cfg: VmxDict, prefix: str) -> str:
    try:
        high = int(cfg.get(f"{prefix}.createTimeHigh", "0"), 0)
        low = int(cfg.get(f"{prefix}.createTimeLow", "0"), 0)
    except ValueError:
        return ""
    micros = ((high & 0xFFFFFFFF) << 32) | (low & 0xFFFFFFFF)
    if not micros:
        return ""
    try:
        return datetime.fromtimestamp(micros / 1e6, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return ""


def snapshots_from_vmsd(cfg: VmxDict) -> tuple[list[Snapshot], str]:
    """``(snapshots in file order, current snapshot id)``; ids are the snapshot uids as text."""
    indexes = sorted({int(m.group(1)) for k in cfg.values
                      if (m := re.match(r"snapshot(\d+)\.uid$", k))})[:MAX_SNAPSHOTS]
    snaps: list[Snapshot] = []
    for i in indexes:
        prefix = f"snapshot{i}"
        uid = cfg.get(f"{prefix}.uid")
        if not uid:
            continue
        snaps.append(Snapshot(
            id=uid,
            name=cfg.get(f"{prefix}.displayName") or f"Snapshot {uid}",
            parent=cfg.get(f"{prefix}.parent"),
            created=_created(cfg, prefix),
            description=cfg.get(f"{prefix}.description"),
            power_state=PowerState.ON if cfg.get(f"{prefix}.type") == "1" else PowerState.OFF,
        ))
    ids = {s.id for s in snaps}
    for s in snaps:
        if s.parent and s.parent not in ids:
            cfg.warn(f"snapshot {s.name!r} names a parent {s.parent!r} that is not in the .vmsd")
    current = cfg.get("snapshot.current")
    return snaps, current if current in ids else ""
