"""The journal keeps finished work across crashes and never trusts a vanished output."""

from __future__ import annotations

import pytest

from wizard.core.errors import InputError
from wizard.migrate.journal import Journal


def test_replay_returns_finished_disks_and_vms(tmp_path):
    out = tmp_path / "disk0.vhdx"
    out.write_bytes(b"x" * 10)
    with Journal(tmp_path / "journal.jsonl") as j:
        j.append("run_start", plan_sha256="abc")
        j.append("disk_done", vm="vm-1", disk=0, path=str(out), size=10, sha256="00")
        j.append("vm_done", vm="vm-1")
        j.append("vm_failed", vm="vm-2", error="boom")
    state = Journal.replay(tmp_path / "journal.jsonl")
    assert state.plan_sha256 == "abc"
    assert state.disk_done("vm-1", 0).sha256 == "00"
    assert state.vms_done == {"vm-1"} and state.vms_failed == {"vm-2": "boom"}


def test_a_disk_whose_output_vanished_or_changed_is_redone(tmp_path):
    out = tmp_path / "disk0.vhdx"
    out.write_bytes(b"x" * 10)
    with Journal(tmp_path / "j") as j:
        j.append("disk_done", vm="vm-1", disk=0, path=str(out), size=10, sha256="00")
    out.write_bytes(b"x" * 5)
    assert Journal.replay(tmp_path / "j").disk_done("vm-1", 0) is None
    out.unlink()
    assert Journal.replay(tmp_path / "j").disk_done("vm-1", 0) is None


def test_torn_last_line_is_ignored_but_corruption_inside_is_refused(tmp_path):
    path = tmp_path / "j"
    with Journal(path) as j:
        j.append("vm_done", vm="a")
    with open(path, "ab") as fh:
        fh.write(b'{"event":"vm_done","vm":"b"')  # the crash happened mid-write
    assert Journal.replay(path).vms_done == {"a"}
    with open(path, "ab") as fh:
        fh.write(b'\n{"event":"vm_done","vm":"c"}\n')
    with pytest.raises(InputError, match="line 2 is corrupt"):
        Journal.replay(path)


def test_retry_forgets_the_vms_earlier_work(tmp_path):
    out = tmp_path / "d"
    out.write_bytes(b"1")
    with Journal(tmp_path / "j") as j:
        j.append("disk_done", vm="a", disk=0, path=str(out), size=1, sha256="")
        j.append("vm_done", vm="a")
        j.append("vm_reset", vm="a")
    state = Journal.replay(tmp_path / "j")
    assert "a" not in state.vms_done and state.disk_done("a", 0) is None
