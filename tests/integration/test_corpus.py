"""The corpus: real, published VM description files (tests/data/corpus) through discover, assess and plan.

Each file of ``tests/data/corpus/corpus.json`` is copied into a folder of its own with stand-in disks made
at test time (sparse images of the sizes the file declares; see the manifest's ``about``), discovered,
assessed and planned exactly as ``hvmigrate plan`` does (through ``wizard.app``). What came out is
compared with the facts written down for the file in the manifest (``expect``): boot disk, generation,
guest id and bits, processors, memory, disks with their sizes and controllers, network adapters and the
findings a sysadmin must see. A fact left out of ``expect`` is not checked; ``codes`` must all be reported,
``absent`` none of them.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.disks import qemu_img
from wizard.app.planning import PlanRequest, assess_request, build_plan
from wizard.app.sources import discover, open_source
from wizard.core.errors import HvmError
from wizard.core.units import parse_size

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
DEFAULT_STAND_IN = "8G"
_VMX_DISK = re.compile(r'^\s*((?:scsi|sata|nvme|ide)\d+:\d+)\.filename\s*=\s*"([^"]*)"', re.IGNORECASE | re.MULTILINE)
_NOT_DISK = ("cdrom", "passthru", "raw", "floppy")


def manifest() -> list[dict[str, Any]]:
    return json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))["files"]


def _size(entry: dict[str, Any], name: str) -> int:
    sizes = entry.get("stand_in_sizes", {})
    return parse_size(sizes.get(name) or sizes.get(Path(name).name) or DEFAULT_STAND_IN)


def _vmx_disks(text: str) -> list[str]:
    """Relative paths (in the VM folder) of the disk files a .vmx names: what a copied VM folder holds."""
    out = []
    low = text.lower()
    for node, name in _VMX_DISK.findall(text):
        node = node.lower()
        dtype = re.search(rf'^\s*{re.escape(node)}\.devicetype\s*=\s*"([^"]*)"', low, re.MULTILINE)
        present = re.search(rf'^\s*{re.escape(node)}\.present\s*=\s*"([^"]*)"', low, re.MULTILINE)
        if present and present.group(1).strip() in ("false", "0"):
            continue
        if dtype and any(k in dtype.group(1) for k in _NOT_DISK):
            continue
        if not name.lower().endswith(".vmdk") or name.startswith("/dev/"):
            continue
        out.append(name.rsplit("/", 1)[-1] if name.startswith("/") else name)
    return out


def _ovf_disks(data: bytes) -> dict[str, int]:
    """href → capacity in bytes of every disk file an OVF names (other files are left out on purpose)."""
    root = ET.fromstring(data)

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def attr(el: ET.Element, name: str) -> str:
        return next((v for k, v in el.attrib.items() if local(k) == name), "")

    files = {attr(f, "id"): attr(f, "href") for f in root.iter() if local(f.tag) == "File"}
    out: dict[str, int] = {}
    for d in (el for el in root.iter() if local(el.tag) == "Disk"):
        href = files.get(attr(d, "fileRef"), "")
        if not href:
            continue
        units = attr(d, "capacityAllocationUnits").replace(" ", "").lower()
        m = re.fullmatch(r"byte\*(\d+)\^(\d+)", units)
        mult = int(m.group(1)) ** int(m.group(2)) if m else 1
        out[href] = max(out.get(href, 0), int(attr(d, "capacity")) * mult)
    return out


def _vbox_disks(data: bytes) -> list[str]:
    return sorted({re.split(r"[\\/]", loc)[-1] for loc in re.findall(rb'<HardDisk [^>]*location="([^"]+)"', data)
                   for loc in [loc.decode("latin-1")]})


def stage(entry: dict[str, Any], tmp: Path) -> Path:
    """Copy the corpus file into a folder of its own under ``tmp`` and make its stand-in disks there."""
    src = CORPUS / entry["file"]
    folder = tmp / src.stem
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / src.name
    shutil.copyfile(src, dst)
    data = src.read_bytes()
    if src.suffix == ".vmx":
        for rel in _vmx_disks(data.decode("utf-8", "replace")):
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                qemu_img("create", "-q", "-f", "vmdk", str(path), str(_size(entry, rel)))
    elif src.suffix == ".ovf":
        for href, capacity in _ovf_disks(data).items():
            if href in entry.get("not_copied", ()):
                continue  # a file the copy a person made leaves out (another deployment option's disk)
            path = folder / href
            if not path.exists():
                qemu_img("create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", str(path), str(capacity))
    elif src.suffix == ".vbox":
        for name in _vbox_disks(data):
            qemu_img("create", "-q", "-f", "vdi", str(folder / name), str(_size(entry, name)))
    return dst


def summarize(path: Path, sets: dict[str, str] | None = None) -> dict[str, Any]:
    """What hvmigrate makes of the staged file: per VM the facts a person checks, or the error it stopped on."""
    try:
        source = open_source(str(path))
        inventory = discover(source)
    except HvmError as exc:
        return {"error": exc.one_line()}
    request = PlanRequest(sets=dict(sets or {}))
    results = assess_request(inventory, request)
    plan = build_plan(inventory, request, source.ref).plan
    planned = {item.vm.id: item for item in plan.items}
    vms = []
    for result in results:
        a = result.assessment
        vm, spec = a.vm, a.spec
        boot = next((d for d in spec.disks if d.boot and d.include), None)
        vms.append({
            "name": vm.name,
            "guest": vm.guest.id, "bits": vm.guest.bits, "firmware": vm.firmware.value,
            "generation": spec.generation, "cpus": spec.cpus, "memory_mb": spec.memory.startup_mb,
            "boot": vm.disks[boot.source_index].label if boot else None,
            "disks": [{"label": vm.disks[d.source_index].label, "source": vm.disks[d.source_index].controller.value,
                       "bytes": d.capacity_bytes, "target": f"{d.controller.value} {d.controller_number}:{d.location}",
                       "include": d.include} for d in spec.disks],
            "nics": [{"name": n.name, "static_mac": n.static_mac, "legacy": n.legacy} for n in spec.nics],
            "blocked": a.blocked, "planned": vm.id in planned,
            "codes": sorted({f.code for f in a.findings}),
        })
    return {"vms": vms}


def _check(expect: dict[str, Any], got: dict[str, Any], where: str) -> list[str]:
    problems = []
    for key, want in expect.items():
        if key == "codes":
            missing = sorted(set(want) - set(got["codes"]))
            if missing:
                problems.append(f"{where}: findings {missing} not reported (got {got['codes']})")
        elif key == "absent":
            extra = sorted(set(want) & set(got["codes"]))
            if extra:
                problems.append(f"{where}: findings {extra} reported but must not be")
        elif key == "disk_bytes":
            if [d["bytes"] for d in got["disks"]] != want:
                problems.append(f"{where}: disk sizes {[d['bytes'] for d in got['disks']]} != {want}")
        elif key == "disk_targets":
            if [d["target"] for d in got["disks"] if d["include"]] != want:
                problems.append(f"{where}: disk places {[d['target'] for d in got['disks']]} != {want}")
        elif key == "static_macs":
            if [n["static_mac"] for n in got["nics"]] != want:
                problems.append(f"{where}: static MACs {[n['static_mac'] for n in got['nics']]} != {want}")
        elif key == "nic_count":
            if len(got["nics"]) != want:
                problems.append(f"{where}: {len(got['nics'])} adapters, expected {want}")
        elif got.get(key) != want:
            problems.append(f"{where}: {key} is {got.get(key)!r}, expected {want!r}")
    return problems


ENTRIES = manifest()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_corpus_file_gives_the_facts_written_down_for_it(entry: dict[str, Any], tmp_path: Path) -> None:
    """Every corpus file discovers (or fails with the error written down), and its VMs assess and plan with
    the boot disk, generation, guest, sizes, adapters and findings written down in the manifest."""
    path = stage(entry, tmp_path)
    got = summarize(path)
    expect = entry.get("expect", {})
    assert expect, f"{entry['file']}: no expected facts written down in corpus.json"
    if "error" in expect:
        assert "error" in got and expect["error"] in got["error"], got
        return
    assert "error" not in got, got
    problems: list[str] = []
    wanted = expect.get("vms", [])
    assert len(got["vms"]) == len(wanted), f"{len(got['vms'])} VMs, expected {len(wanted)}"
    for i, (want, vm) in enumerate(zip(wanted, got["vms"], strict=True)):
        problems += _check(want, vm, f"{entry['file']} VM {i + 1}")
    assert not problems, "\n".join(problems)


def test_corpus_has_at_least_forty_files_each_with_its_origin() -> None:
    files = manifest()
    assert len(files) >= 40
    for e in files:
        assert (CORPUS / e["file"]).is_file(), e["file"]
        origin = e["origin"]
        assert origin["repository"] and origin["path"] and re.fullmatch(r"[0-9a-f]{40}", origin["commit"]), e
