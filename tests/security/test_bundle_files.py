"""Bundles built from hostile names stay inside the chosen folder, keep the script static and the names as
data, and never follow symbolic links someone planted in the folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.security.hostile import HOSTILE
from tests.unit.targets.psparse import syntax_problems
from wizard.core.inventory import Disk, GuestOS, SourceVM
from wizard.core.plan import DiskSpec, NicSpec, PlanItem, VMSpec
from wizard.targets.bundle import (
    DISK_DIR,
    MANIFEST,
    PARTIAL,
    README,
    SCRIPT,
    BundleTarget,
    bundle_folder_name,
    sanitize_name,
)
from wizard.targets.powershell import load_script
from wizard.targets.vmdata import plan_problems

WINDOWS_BAD = set('<>:"/\\|?*$`\'";#@') | {chr(c) for c in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}


def _item(name: str, disk_name: str | None = None) -> PlanItem:
    vm = SourceVM(id="id-" + name, name=name, source_kind="vmx", disks=[Disk(capacity_bytes=1 << 20)],
                  guest=GuestOS(family="windows"))
    spec = VMSpec(name=name, notes=name,
                  disks=[DiskSpec(file_name=(disk_name if disk_name is not None else name) + ".vhdx",
                                  capacity_bytes=1 << 20, boot=True)],
                  nics=[NicSpec(name=name, switch=name)])
    return PlanItem(vm=vm, target=spec)


def _build(target: BundleTarget, item: PlanItem) -> Path:
    assert not [p for p in target.preflight(item) if "already exists" in p]
    results = []
    for disk in item.target.disks:
        dest = target.disk_destination(item, disk)
        dest.path.write_bytes(b"not really a disk")
        results.append(target.finish_disk(item, disk, dest))
    return Path(target.create_vm(item, results).where)


def _inside(root: Path, path: Path) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)


def _windows_safe(name: str) -> bool:
    return (bool(name) and not (set(name) & WINDOWS_BAD) and name == name.rstrip(" .")
            and name.split(".")[0].rstrip(" ").upper() not in RESERVED and len(name) <= 120)


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_name_bundle_stays_in_the_folder_and_keeps_the_script_static(tmp_path, name):
    root = tmp_path / "out"
    item = _item(name)
    if plan_problems(item):  # empty or over-long VM names are refused before anything is written
        item.target.name = "vm"
    folder = _build(BundleTarget(root), item)
    assert folder.parent == root and _inside(root, folder)
    assert _windows_safe(folder.name), folder.name
    written = [p for p in tmp_path.rglob("*")]
    assert all(_inside(root, p) for p in written if p != root)
    disk_files = list((folder / DISK_DIR).iterdir())
    assert len(disk_files) == 1 and _windows_safe(disk_files[0].name) and disk_files[0].suffix == ".vhdx"
    script = (folder / SCRIPT).read_bytes()
    assert script == load_script("create_vm").encode("utf-8-sig")
    assert syntax_problems(script.decode("utf-8-sig")) == []
    create = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["create"]
    assert create["vm"]["name"] == item.target.name  # the exact value, as JSON data
    assert create["nics"][0]["switch"] == name


def test_different_hostile_names_never_share_a_folder():
    names = [n for n in HOSTILE if not plan_problems(_item(n))]
    folders = [bundle_folder_name(_item(n)) for n in names]
    assert len(set(folders)) == len(folders)
    assert sanitize_name("web*") != sanitize_name("web?")


@pytest.mark.parametrize("name", ["disk.", "disk..", "a.v.h.d.x.", "CON .vhdx", "COM\u00b9.vhdx"])
def test_disk_file_names_are_windows_safe(name):
    out = sanitize_name(name, keep_suffix=True)
    assert _windows_safe(out), out


# -- planted links --------------------------------------------------------------------------------------

def _victim(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    (outside / DISK_DIR).mkdir(parents=True)
    victim = outside / "precious.txt"
    victim.write_text("keep me")
    return outside, victim


def test_a_planted_partial_folder_link_is_not_followed(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    outside, victim = _victim(tmp_path)
    item = _item("web01")
    (root / (bundle_folder_name(item) + PARTIAL)).symlink_to(outside, target_is_directory=True)
    folder = _build(BundleTarget(root), item)
    assert sorted(p.name for p in outside.rglob("*")) == [DISK_DIR, "precious.txt"]
    assert victim.read_text() == "keep me"
    assert not folder.is_symlink() and (folder / MANIFEST).is_file()


def test_planted_file_links_in_a_resumed_partial_folder_are_not_followed(tmp_path):
    root = tmp_path / "out"
    outside, victim = _victim(tmp_path)
    item = _item("web01")
    target = BundleTarget(root)
    target.preflight(item)
    work = root / (bundle_folder_name(item) + PARTIAL)
    (work / DISK_DIR).mkdir(parents=True)  # an interrupted run left its folder: resume reuses it
    for name in (README, SCRIPT, MANIFEST, MANIFEST + PARTIAL):
        (work / name).symlink_to(victim)
    (work / DISK_DIR / "web01.vhdx.partial").symlink_to(victim)
    folder = _build(target, item)
    assert victim.read_text() == "keep me"
    assert not any(p.is_symlink() for p in folder.rglob("*"))
    assert (folder / README).read_text(encoding="utf-8-sig").startswith("hvmigrate")


def test_a_planted_disk_folder_link_is_not_followed(tmp_path):
    root = tmp_path / "out"
    outside, victim = _victim(tmp_path)
    item = _item("web01")
    work = root / (bundle_folder_name(item) + PARTIAL)
    work.mkdir(parents=True)
    (work / DISK_DIR).symlink_to(outside / DISK_DIR, target_is_directory=True)
    _build(BundleTarget(root), item)
    assert list((outside / DISK_DIR).iterdir()) == []
