"""The upload's read-back compares what the share returns with the local file, piece by piece in file order,
whatever sizes the pieces come in (credits and reconnects change them)."""

from __future__ import annotations

import os
from pathlib import Path

from wizard.disks.writeio import UncachedFile
from wizard.targets.hyperv.smb_upload import _SameAs

MiB = 1024 * 1024


def _compare(path: Path, data: bytes, cuts: list[int], chunk: int = 2 * MiB) -> bool:
    with UncachedFile(path) as f:
        same = _SameAs(f, len(data), chunk)
        try:
            for start, end in zip(cuts, cuts[1:], strict=False):
                same(start, memoryview(data)[start:end])
            return same.equal
        finally:
            same.close()


def test_irregular_pieces_of_an_identical_file_compare_equal(tmp_path: Path) -> None:
    data = os.urandom(7 * MiB + 100)
    path = tmp_path / "d.vhdx"
    path.write_bytes(data)
    # pieces smaller and larger than the prefetch chunk, one straddling two chunks, ending at the file's end
    cuts = [0, MiB, 3 * MiB + 7, 3 * MiB + 4096, 6 * MiB, len(data)]
    assert _compare(path, data, cuts)


def test_one_differing_byte_anywhere_is_found(tmp_path: Path) -> None:
    data = os.urandom(5 * MiB)
    path = tmp_path / "d.vhdx"
    path.write_bytes(data)
    for at in (0, 2 * MiB - 1, 2 * MiB, 5 * MiB - 1):
        theirs = bytearray(data)
        theirs[at] ^= 0x40
        assert not _compare(path, bytes(theirs), [0, 3 * MiB + 5, 5 * MiB]), at


def test_a_piece_behind_the_stream_is_read_on_the_spot(tmp_path: Path) -> None:
    """After a reconnect the read-back fetches again from the last byte it hashed: an earlier offset."""
    data = os.urandom(4 * MiB)
    path = tmp_path / "d.vhdx"
    path.write_bytes(data)
    with UncachedFile(path) as f:
        same = _SameAs(f, len(data), MiB)
        try:
            same(0, memoryview(data)[:3 * MiB])
            same(MiB, memoryview(data)[MiB:2 * MiB])  # again, behind
            same(2 * MiB, memoryview(data)[2 * MiB:])
            assert same.equal
            wrong = bytearray(data[MiB:2 * MiB])
            wrong[10] ^= 1
            same(MiB, memoryview(bytes(wrong)))
            assert not same.equal
        finally:
            same.close()


def test_a_share_file_longer_than_the_local_one_differs(tmp_path: Path) -> None:
    data = os.urandom(MiB)
    path = tmp_path / "d.vhdx"
    path.write_bytes(data)
    assert not _compare(path, data + b"\0" * 4096, [0, MiB + 4096])
