"""The journal reader on any bytes: only InputError, state of the right types; any cut of a real journal (what a
kill leaves) replays, and once its torn tail is cut off the journal takes new records that replay again.

The budget is :data:`tests.fuzz.budget.EXAMPLES` (``HVM_FUZZ_EXAMPLES``; 150 in ``make test``, see the README).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.budget import EXAMPLES
from wizard.core.errors import InputError
from wizard.migrate.journal import DiskRecord, Journal

FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

RECORDS = [
    {"event": "run_start", "plan_sha256": "ab" * 32, "vms": 2},
    {"event": "source_change", "vm": "vm-1", "id": "c1", "kind": "snapshot", "vm_id": "vm-1", "ref": "snap-1",
     "description": "snapshot"},
    {"event": "disk_progress", "vm": "vm-1", "disk": 0, "offset": 1 << 30, "source": "id"},
    {"event": "disk_done", "vm": "vm-1", "disk": 0, "path": "/out/a.vhdx", "size": 123, "sha256": "cd" * 32,
     "result": {"file_name": "a.vhdx", "location": "Virtual Hard Disks\\a.vhdx", "relative": True}},
    {"event": "vm_commit", "vm": "vm-1", "disks": [{"disk": 0, "sha256": "cd" * 32}]},
    {"event": "vm_done", "vm": "vm-1"},
    {"event": "vm_failed", "vm": "vm-2", "error": "VM 'b': \u202e boom"},
    {"event": "vm_reset", "vm": "vm-2"},
    {"event": "source_change_undone", "vm": "vm-1", "id": "c1"},
]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                   st.text(max_size=20), st.lists(st.integers(), max_size=3),
                   st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _journal(records: list[dict]) -> bytes:
    return b"".join((json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n").encode() for r in records)


def _check_state(path: Path) -> None:
    try:
        state = Journal.replay(path)
    except InputError:
        return
    assert isinstance(state.plan_sha256, str)
    assert all(isinstance(r, DiskRecord) and isinstance(r.path, str) and type(r.size) is int
               and isinstance(r.result, dict) for r in state.disks.values())
    assert all(type(offset) is int and isinstance(source, str) for offset, source in state.progress.values())
    assert all(isinstance(vm, str) for vm in state.vms_done)
    assert 0 <= state.valid_bytes <= path.stat().st_size


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.jsonl"


@FUZZ
@given(data=st.binary(max_size=3000))
def test_any_bytes_replay_or_raise_input_error(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    _check_state(path)


@FUZZ
@given(picks=st.lists(st.sampled_from(range(len(RECORDS))), min_size=1, max_size=12),
       changes=st.lists(st.tuples(st.integers(0, 11), st.text(max_size=12), VALUES), max_size=4))
def test_records_of_any_shape_replay_or_raise_input_error(path: Path, picks: list[int], changes) -> None:
    records = [dict(RECORDS[i]) for i in picks]
    for at, key, value in changes:
        records[at % len(records)][key or "event"] = value
    path.write_bytes(_journal(records))
    _check_state(path)


@FUZZ
@given(picks=st.lists(st.sampled_from(range(len(RECORDS))), min_size=1, max_size=12), cut=st.integers(0, 10**6),
       fragment=st.sampled_from([b"", b'{"event":"vm_do', b"{", b"\x00" * 7, b'{"event":"disk_done","vm":"']))
def test_any_cut_of_a_real_journal_resumes_and_takes_new_records(path: Path, picks: list[int], cut: int,
                                                                 fragment: bytes) -> None:
    whole = _journal([RECORDS[i] for i in picks])
    data = whole[:cut % (len(whole) + 1)] + fragment
    path.write_bytes(data)
    state = Journal.replay(path)  # a kill can leave any prefix plus a fragment: never an error
    assert whole.startswith(data[:state.valid_bytes])
    with Journal(path, truncate=state.valid_bytes if state.torn_bytes else None) as journal:
        journal.append("vm_done", vm="new")
    again = Journal.replay(path)
    assert "new" in again.vms_done and again.torn_bytes == 0 and not again.notes
