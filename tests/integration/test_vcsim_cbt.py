"""The simulator's changed block tracking (tests/vcsim/cbt.go), seen through pyVmomi like a client sees vSphere.

The sync engine's tests rely on these answers: QueryChangedDiskAreas with ``*`` lists the allocated data,
with an earlier snapshot's changeId exactly the blocks written since, paged over the capacity; a reset makes
old changeIds fail with FileFault; the download counters see only the bytes a Range request asked for.
"""

from __future__ import annotations

import itertools
import re
import ssl
import urllib.request

import pytest
from pyVmomi import vim, vmodl

from tests.fixtures.vcsim_vms import GiB, _wait, create_flat_vm

MiB = 1024**2
BLOCK = 64 * 1024
PAGE = 256 * MiB  # the simulator's default -cbt-page
CHANGE_ID = re.compile(r"^52( [0-9a-f]{2}){7}-[0-9a-f]{2}( [0-9a-f]{2}){7}/\d+$")

_names = itertools.count()


@pytest.fixture
def flat_vm(vcsim, vcsim_si):
    """A fresh VM with one 1 GiB flat disk and tracking enabled (not yet active: no snapshot taken)."""
    return create_flat_vm(vcsim, vcsim_si, f"cbt-{next(_names)}", (GiB,), cbt=True, power_on=True)


def blocks_of(ranges: list[tuple[int, int]]) -> set[int]:
    """The 64 KiB blocks touched by (offset, length) ranges."""
    return {b for off, n in ranges for b in range(off // BLOCK, (off + n - 1) // BLOCK + 1)}


def areas_blocks(areas: list[tuple[int, int]]) -> set[int]:
    for start, length in areas:
        assert start % BLOCK == 0 and length > 0, "areas are whole 64 KiB blocks"
    return blocks_of(areas)


def test_tracking_takes_effect_at_the_next_snapshot_and_snapshots_carry_change_ids(vcsim, vcsim_si):
    vm = create_flat_vm(vcsim, vcsim_si, f"cbt-off-{next(_names)}", (GiB,), power_on=True)
    disk = vm.disks[0]
    assert not vm.vm.config.changeTrackingEnabled
    before = vm.snapshot("before")
    assert vm.change_ids(before) == {disk.key: None}
    with pytest.raises(vim.fault.FileFault):
        vm.vm.QueryChangedDiskAreas(snapshot=before, deviceKey=disk.key, startOffset=0, changeId="*")

    assert vm.enable_cbt() is True  # config.changeTrackingEnabled reads back true
    after = vm.snapshot("after")
    change_id = vm.change_ids(after)[disk.key]
    assert CHANGE_ID.match(change_id), change_id
    # the snapshot taken before tracking became active still has none
    with pytest.raises(vim.fault.FileFault):
        vm.changed_areas(before, disk, change_id)
    # the VM's own disk is not given the snapshot's changeId
    own = next(d for d in vm.vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualDisk))
    assert not own.backing.changeId


def test_star_lists_the_allocated_blocks(flat_vm):
    disk = flat_vm.disks[0]
    writes = [(0, 512), (5 * MiB + 100, 70_000), (GiB - 4096, 4096)]
    for off, n in writes:
        disk.write(off, b"\x5a" * n)
    snap = flat_vm.snapshot("initial")
    areas = flat_vm.changed_areas(snap, disk, "*")
    assert areas_blocks(areas) == blocks_of(writes)
    assert areas[-1] == (GiB - BLOCK, BLOCK)


def test_delta_lists_exactly_the_blocks_written_since_the_earlier_snapshot(flat_vm):
    disk = flat_vm.disks[0]
    disk.write(10 * MiB, b"A" * (2 * MiB))
    first = flat_vm.snapshot("sync-1")
    since = flat_vm.change_ids(first)[disk.key]
    flat_vm.remove_snapshot(first)  # like a sync: the changeId stays usable after the snapshot is gone

    writes = [(11 * MiB + 3, 4096),           # overwrites earlier data, straddling two blocks
              (BLOCK * 100 - 10, 20),         # crosses a block boundary in unallocated space
              (700 * MiB, 4 * MiB)]           # grows into unallocated space
    for off, n in writes:
        disk.write(off, bytes([0x11 + off % 200]) * n)
    disk.write(10 * MiB, b"A" * 4096)  # rewriting the same bytes is no change
    second = flat_vm.snapshot("sync-2")
    now = flat_vm.change_ids(second)[disk.key]
    assert now != since and now.rsplit("/", 1)[0] == since.rsplit("/", 1)[0]

    areas = flat_vm.changed_areas(second, disk, since)
    assert areas_blocks(areas) == blocks_of(writes)
    assert sum(n for _, n in areas) <= sum(n for _, n in writes) + 2 * BLOCK * len(writes)
    flat_vm.remove_snapshot(second)


def test_an_answer_covers_one_page_and_the_client_loops_over_the_capacity(flat_vm):
    disk = flat_vm.disks[0]
    disk.write(PAGE - MiB, b"\x01" * (2 * MiB))  # one area across the first page boundary
    snap = flat_vm.snapshot("pages")
    change_id = "*"
    infos = []
    offset = 0
    while offset < disk.capacity:
        info = flat_vm.vm.QueryChangedDiskAreas(snapshot=snap, deviceKey=disk.key, startOffset=offset,
                                                changeId=change_id)
        assert info.startOffset == offset and 0 < info.length <= PAGE
        infos.append(info)
        offset = info.startOffset + info.length
    assert offset == GiB and len(infos) == GiB // PAGE
    assert [(a.start, a.length) for a in infos[0].changedArea] == [(PAGE - MiB, MiB)]
    assert [(a.start, a.length) for a in infos[1].changedArea] == [(PAGE, MiB)]
    assert not infos[2].changedArea and not infos[3].changedArea

    # a start inside a page answers from there
    info = flat_vm.vm.QueryChangedDiskAreas(snapshot=snap, deviceKey=disk.key, startOffset=PAGE - BLOCK,
                                            changeId=change_id)
    assert info.startOffset == PAGE - BLOCK and info.changedArea[0].start == PAGE - BLOCK


def test_reset_makes_earlier_change_ids_fail_with_file_fault(flat_vm):
    disk = flat_vm.disks[0]
    disk.write(0, b"x" * 4096)
    first = flat_vm.snapshot("a")
    since = flat_vm.change_ids(first)[disk.key]
    flat_vm.remove_snapshot(first)
    assert flat_vm.cbt_reset(disk) == 1

    disk.write(BLOCK, b"y" * 4096)
    second = flat_vm.snapshot("b")
    now = flat_vm.change_ids(second)[disk.key]
    assert CHANGE_ID.match(now) and now.rsplit("/", 1)[0] != since.rsplit("/", 1)[0], "a new tracking epoch"
    with pytest.raises(vim.fault.FileFault):
        flat_vm.changed_areas(second, disk, since)
    # the new epoch works from its first changeId on
    assert areas_blocks(flat_vm.changed_areas(second, disk, "*")) == {0, 1}
    flat_vm.remove_snapshot(second)
    disk.write(5 * BLOCK, b"z")
    third = flat_vm.snapshot("c")
    assert areas_blocks(flat_vm.changed_areas(third, disk, now)) == {5}


def test_reset_with_star_gives_the_next_snapshot_no_usable_change_id(flat_vm):
    disk = flat_vm.disks[0]
    flat_vm.remove_snapshot(flat_vm.snapshot("a"))
    flat_vm.cbt_reset(star=True)
    snap = flat_vm.snapshot("b")
    assert flat_vm.change_ids(snap)[disk.key] == "*"
    flat_vm.remove_snapshot(snap)
    assert CHANGE_ID.match(flat_vm.change_ids(flat_vm.snapshot("c"))[disk.key])


def test_bad_arguments_are_invalid_argument_faults(vcsim, vcsim_si, flat_vm):
    disk = flat_vm.disks[0]
    snap = flat_vm.snapshot("s")
    change_id = flat_vm.change_ids(snap)[disk.key]
    epoch, seq = change_id.rsplit("/", 1)
    query = flat_vm.vm.QueryChangedDiskAreas
    cases = {
        "changeId": dict(snapshot=snap, deviceKey=disk.key, startOffset=0, changeId="not-a-change-id"),
        "changeId ": dict(snapshot=snap, deviceKey=disk.key, startOffset=0, changeId=f"{epoch}/{int(seq) + 5}"),
        "deviceKey": dict(snapshot=snap, deviceKey=disk.key + 1000, startOffset=0, changeId="*"),
        "startOffset": dict(snapshot=snap, deviceKey=disk.key, startOffset=GiB, changeId="*"),
    }
    for prop, kw in cases.items():
        with pytest.raises(vmodl.fault.InvalidArgument) as err:
            query(**kw)
        assert err.value.invalidProperty == prop.strip()
    other = create_flat_vm(vcsim, vcsim_si, f"cbt-other-{next(_names)}", (GiB,), cbt=True)
    with pytest.raises(vmodl.fault.InvalidArgument) as err:
        other.vm.QueryChangedDiskAreas(snapshot=snap, deviceKey=disk.key, startOffset=0, changeId="*")
    assert err.value.invalidProperty == "snapshot"


def test_turning_tracking_off_drops_it_at_the_next_snapshot(flat_vm):
    disk = flat_vm.disks[0]
    first = flat_vm.snapshot("on")
    since = flat_vm.change_ids(first)[disk.key]
    flat_vm.remove_snapshot(first)
    assert flat_vm.enable_cbt(False) is False
    snap = flat_vm.snapshot("off")
    assert flat_vm.change_ids(snap)[disk.key] is None
    with pytest.raises(vim.fault.FileFault):
        flat_vm.changed_areas(snap, disk, since)


def _get(vcsim, ds_path: str, rng: str | None) -> tuple[int, bytes]:
    ds, _, rel = ds_path.partition("] ")
    url = f"{vcsim.url.rsplit('/sdk', 1)[0]}/folder/{rel}?dcPath=DC0&dsName={ds.lstrip('[')}"
    req = urllib.request.Request(url, headers={"Range": rng} if rng else {})
    with urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=60) as resp:
        return resp.status, resp.read()


def test_download_counters_see_only_the_ranges_served(vcsim, flat_vm):
    disk = flat_vm.disks[0]
    disk.write(MiB, bytes(range(256)) * 64)
    before = vcsim.stats().get(disk.flat_path, {"bytes": 0, "requests": 0, "ranges": 0})

    status, body = _get(vcsim, disk.flat_path, f"bytes={MiB + 100}-{MiB + 4195}")
    assert status == 206 and body == disk.read(MiB + 100, 4096)
    status, body = _get(vcsim, disk.flat_path, f"bytes={GiB - 10}-")
    assert status == 206 and body == bytes(10)

    after = vcsim.stats()[disk.flat_path]
    assert after["bytes"] - before["bytes"] == 4096 + 10
    assert after["requests"] - before["requests"] == 2 and after["ranges"] - before["ranges"] == 2
    assert vcsim.bytes_served(disk.flat_path) == after["bytes"]


def test_writes_behind_the_simulators_back_are_seen_too(flat_vm):
    """Guest writes through the hook let a snapshot rehash only their blocks; a direct write into the flat
    file, even right after one, must still show up (the whole file is read then)."""
    disk = flat_vm.disks[0]
    disk.write(0, b"\x01" * (4 * MiB))
    first = flat_vm.snapshot("a")
    since = flat_vm.change_ids(first)[disk.key]
    flat_vm.remove_snapshot(first)
    disk.write(MiB, b"\x02" * 10)                # through the simulator
    disk.write_direct(3 * MiB, b"\x03" * 10)     # behind its back, right after (same file size)
    disk.write(2 * MiB, bytes(BLOCK))            # a block zeroed: changed too
    second = flat_vm.snapshot("b")
    assert areas_blocks(flat_vm.changed_areas(second, disk, since)) == blocks_of(
        [(MiB, 10), (3 * MiB, 10), (2 * MiB, BLOCK)])
    now = flat_vm.change_ids(second)[disk.key]
    flat_vm.remove_snapshot(second)
    disk.write(GiB - 1, b"\xff")                 # only hook writes since: the incremental path
    third = flat_vm.snapshot("c")
    assert flat_vm.changed_areas(third, disk, now) == [(GiB - BLOCK, BLOCK)]
    assert areas_blocks(flat_vm.changed_areas(third, disk, since)) == blocks_of(
        [(MiB, 10), (3 * MiB, 10), (2 * MiB, BLOCK), (GiB - 1, 1)])


def test_a_guest_write_outside_the_disk_is_refused(flat_vm):
    with pytest.raises(RuntimeError, match="outside"):
        flat_vm.sim.guest_write(flat_vm.moid, flat_vm.disks[0].key, GiB - 1, b"ab")


def test_reverting_to_a_snapshot_resets_tracking(flat_vm):
    disk = flat_vm.disks[0]
    first = flat_vm.snapshot("a")
    since = flat_vm.change_ids(first)[disk.key]
    flat_vm.power_off()
    _wait(first.RevertToSnapshot_Task())
    second = flat_vm.snapshot("b")
    with pytest.raises(vim.fault.FileFault):
        flat_vm.changed_areas(second, disk, since)
