"""One VM's migration says which of its disks every event is about (so a front end can draw one bar per VM
that only moves forward), and an OSError on the way becomes a typed error in words: what failed, where, and
what to do."""

from __future__ import annotations

import errno

import pytest

from wizard.app.planning import PlanRequest, build_plan
from wizard.core.errors import InsufficientSpaceError, TargetError
from wizard.core.plan import PlanItem
from wizard.core.progress import CLOSING_SHARE, ProgressEvent, VmProgress
from wizard.migrate.item import migrate_item
from wizard.sources.demo import DemoSource
from wizard.targets.bundle import BundleTarget

MiB = 1 << 20


@pytest.fixture
def demo(tmp_path):
    return DemoSource(tmp_path / "cache")


def _item(demo: DemoSource, name: str) -> PlanItem:
    inventory = demo.discover()
    [item] = build_plan(inventory, PlanRequest(vms=[name]), demo.ref).plan.items
    return item


def test_every_event_of_a_two_disk_vm_says_which_disk_and_the_bar_only_moves_forward(demo, tmp_path):
    item = _item(demo, "web01")
    sizes = tuple(d.capacity_bytes for d in item.target.disks if d.include)
    assert len(sizes) == 2
    events: list[ProgressEvent] = []
    outcome = migrate_item(demo, BundleTarget(tmp_path / "bundle"), item, events.append)
    assert outcome.ok, outcome.error
    assert events and all(e.vm == "web01" and e.parts == sizes for e in events)
    parts = [e.part for e in events]
    assert parts == sorted(parts) and set(parts) == {1, 2}, "disk 1's events, then disk 2's"
    # the stages restart at 0 % for each disk and each stage; the VM's one bar does not
    assert any(b.fraction < a.fraction for a, b in zip(events, events[1:], strict=False) if a.fraction and b.fraction)
    bar = VmProgress()
    values = [bar.update(e) for e in events]
    assert values == sorted(values) and values[-1] == pytest.approx(1 - CLOSING_SHARE)
    assert events[-1].to_dict()["parts"] == list(sizes)


def test_a_file_where_a_folder_goes_is_said_in_words_with_the_path_and_a_fix(demo, tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "web01.partial").write_text("not a folder")  # the system says "[Errno 20] Not a directory"
    outcome = migrate_item(demo, BundleTarget(bundle), _item(demo, "web01"))
    error = outcome.error
    assert outcome.status == "failed" and isinstance(error, TargetError)
    assert str(bundle / "web01.partial") in error.message
    assert "a file stands where a folder is expected" in error.message and "disk 1 of 2" in error.message
    assert "Errno" not in error.message + error.fix and "Not a directory" not in error.message
    assert error.fix.startswith("Move or rename that file") and "Not a directory" in error.details


def test_a_full_disk_is_a_space_error_naming_the_file(demo, tmp_path):
    def full(src, dst_path, options, progress=None, cancel=None, **_kw):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, "No space left on device", str(dst_path))

    outcome = migrate_item(demo, BundleTarget(tmp_path / "b"), _item(demo, "legacy-app01"), converter=full)
    assert isinstance(outcome.error, InsufficientSpaceError)
    assert "converting disk 1 of 1" in outcome.error.message and "legacy-app01-disk0.vhdx" in outcome.error.message
    assert "is full" in outcome.error.message and outcome.error.fix.startswith("Free space")


def test_vm_progress_weighs_disks_by_size_and_gives_the_time_left():
    now = [0.0]
    bar = VmProgress(clock=lambda: now[0])
    sizes = (48 * MiB, 16 * MiB)
    disks = 1 - CLOSING_SHARE
    assert bar.update(ProgressEvent("convert", 100, 100, part=1, parts=sizes)) == pytest.approx(disks * 0.75 * 0.7)
    assert bar.eta() is None, "no pace yet: no time has passed"
    now[0] = 10.0
    assert bar.update(ProgressEvent("verify", 1, 100, part=1, parts=sizes)) > disks * 0.75 * 0.7
    half = bar.update(ProgressEvent("convert", 0, 100, part=2, parts=sizes))
    assert half == pytest.approx(disks * 0.75)
    assert bar.eta() == pytest.approx(10.0 * (1 - half) / half)
    # a stage the bar does not know holds it; an older converter's event alone counts as one disk
    assert bar.update(ProgressEvent("mystery", 5, 10, part=2, parts=sizes)) == half
    assert bar.update(ProgressEvent("hash", 10, 10, part=2, parts=sizes)) == pytest.approx(disks)
    assert bar.update(ProgressEvent("create", 1, 1, part=3, parts=sizes)) == pytest.approx(1.0)
    bar.reset()
    assert bar.update(ProgressEvent("convert", 50, 100)) == pytest.approx(disks * 0.35)
