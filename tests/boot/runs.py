"""What the boot proof's tests share: the command line run as a sysadmin runs it, the result of one guest's
migration, and the record of the last run's times."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.guests import cache
from tests.guests.specs import GuestSpec


@dataclass
class Migrated:
    spec: GuestSpec
    source_vmx: Path
    item: dict  # the guest's item of the plan
    bundle: Path
    vhdx: Path
    summary: dict
    log: str = ""  # what the migration printed on stderr (progress, warnings)
    times: dict[str, float] = field(default_factory=dict)


def hvmigrate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command line, as a sysadmin runs it."""
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def record_time(spec: GuestSpec, step: str, seconds: float) -> None:
    """Keep the last run's times per guest and step in the cache folder (the README quotes them)."""
    path = cache.cache_root() / "last-run.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data.setdefault(spec.name, {})[step] = round(seconds, 1)
    path.write_text(json.dumps(data, indent=1, sort_keys=True))
