"""The sync policy's journal records and its trust in change ids: what a resume after kill -9 relies on."""

from __future__ import annotations

import hashlib
from pathlib import Path

from wizard.disks.digest import PIECE, ContentDigest
from wizard.migrate.journal import Journal
from wizard.migrate.sync import PieceDigests, status_line
from wizard.sources.vsphere_cbt import check_change_ids, merge

EPOCH = "52 aa bb cc dd ee ff 00-11 22 33 44 55 66 77 88"


def test_the_journal_keeps_each_disks_last_change_id_and_the_cutover_step(tmp_path: Path):
    path = tmp_path / "j.jsonl"
    with Journal(path) as j:
        for n in (1, 2, 3):
            j.append("sync_disk", vm="vm-1", disk=0, change_id=f"{EPOCH}/{n}", path="/b/d.vhdx", digests="/d",
                     digests_sha256="ab", round=n, changed=n * 100, reason="")
            j.append("sync_round", vm="vm-1", round=n, changed=n * 100, millis=5, full=0)
        j.append("cutover", vm="vm-1", step="source_off")
    state = Journal.replay(path)
    assert state.sync_disks[("vm-1", 0)]["change_id"] == f"{EPOCH}/3"
    assert state.sync_rounds["vm-1"]["round"] == 3
    assert state.cutovers["vm-1"]["step"] == "source_off"
    with Journal(path) as j:
        j.append("vm_reset", vm="vm-1")
    state = Journal.replay(path)
    assert not state.sync_disks and not state.cutovers and not state.sync_rounds
    with Journal(path) as j:  # a round's records go in one write
        j.append_all([("sync_round", {"vm": "vm-1", "round": 4, "changed": 1}),
                      ("cutover", {"vm": "vm-1", "step": "begin"})])
    state = Journal.replay(path)
    assert state.sync_rounds["vm-1"]["round"] == 4 and state.cutovers["vm-1"]["step"] == "begin"


def test_a_delta_is_trusted_only_within_one_tracking_epoch():
    assert check_change_ids(f"{EPOCH}/3", f"{EPOCH}/4") == ""
    assert "reset" in check_change_ids(f"{EPOCH}/3", "52 00 00 00 00 00 00 00-11 22 33 44 55 66 77 88/1")
    assert "no change id" in check_change_ids(f"{EPOCH}/3", "*")
    assert "no change id" in check_change_ids(f"{EPOCH}/3", "")
    assert "no change id was recorded" in check_change_ids("*", f"{EPOCH}/4")
    assert merge([(100, 50), (0, 10), (10, 5), (140, 100)]) == [(0, 15), (100, 140)]


def test_piece_digests_give_the_content_digest_and_survive_only_whole(tmp_path: Path):
    size = 3 * PIECE + 4096
    data = bytearray(size)
    data[PIECE + 7:PIECE + 99] = b"x" * 92
    data[-10:] = b"y" * 10
    digests = PieceDigests(size)
    for index in range(digests.count):
        digests.set(index, data[index * PIECE:index * PIECE + digests.piece_len(index)])
    whole = ContentDigest()
    whole.add(0, data)
    assert digests.content_digest() == whole.hexdigest(size)
    sha = digests.save(tmp_path / "d")
    assert PieceDigests.load(tmp_path / "d", size, sha).data == digests.data
    (tmp_path / "d").write_bytes(b"\0" * len(digests.data))
    assert PieceDigests.load(tmp_path / "d", size, sha) is None, "a file that is not the one journalled is refused"
    assert hashlib.sha256(bytes(digests.data)).hexdigest() == sha


def test_the_status_line_reads_like_the_wizard_shows_it():
    line = status_line("synchronised", 1_800_000_000.0, int(1.2 * 1024 ** 3), 600)
    assert line.startswith("synchronised · last sync ") and line.endswith(" · 1.2 GiB changed · next in 10 min")


def test_a_vms_status_line_names_its_state_and_the_downtime_once_cut_over():
    from wizard.migrate.sync_run import VmStatus

    now = 1_800_000_000.0
    st = VmStatus("db", "synchronised", rounds=3, last_sync=now - 60, last_changed=12 * 1024 ** 2, next_sync=now + 540)
    assert st.line(now).endswith("· 12.0 MiB changed · next in 9 min") and st.line(now).startswith("synchronised")
    assert VmStatus("db", "initial-sync").line(now) == "initial sync"
    assert "next in" not in VmStatus("db", "cutting-over", last_sync=now, next_sync=now + 60).line(now)
    assert VmStatus("db", "done", downtime=42.4).line(now) == "done · downtime 42 s"
    # what ended the downtime: the start of the Hyper-V VM, or (a bundle, which starts nothing) the bundle
    assert VmStatus("db", "done", downtime=42.4, until="started").line(now) == (
        "done · downtime 42 s (until the Hyper-V VM started)")
    assert VmStatus("db", "done", downtime=42.4, until="bundle").line(now) == (
        "done · downtime 42 s (until the import bundle was complete; import and start it on the host)")
    assert VmStatus("db", "done", downtime=1.04, until="bundle").line(now).startswith("done · downtime 1.0 s (")


def test_only_a_target_that_can_start_vms_ends_the_downtime_with_the_start(tmp_path):
    from wizard.migrate.sync import UNTIL_BUNDLE, UNTIL_STARTED, until_for
    from wizard.targets.bundle import BundleTarget
    from wizard.targets.hyperv.target import HyperVTarget

    bundle = BundleTarget(tmp_path)
    assert until_for(bundle) == UNTIL_BUNDLE and not bundle.can_start
    assert HyperVTarget.can_start and until_for(HyperVTarget.__new__(HyperVTarget)) == UNTIL_STARTED
