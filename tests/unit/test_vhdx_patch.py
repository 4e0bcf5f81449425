"""Writing guest bytes into an existing VHDX in place (the delta syncs of a running VM): the patched disk holds
exactly what a raw disk given the same writes holds, qemu-img finds nothing wrong, and the per-MiB content
digest stays that of the content."""

from __future__ import annotations

import random
import shutil
import struct
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare, qemu_img, scattered_vmdk
from wizard.core.errors import DiskFormatError, UnsupportedFormatError, VerificationError
from wizard.disks import vhdx_format as vf
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.digest import PIECE, ContentDigest, piece_digest
from wizard.disks.vhdx_patch import VhdxPatch

MiB = 1024 * 1024
KiB = 1024
SIZE = 48 * MiB


def raw_pieces(raw: Path) -> bytes:
    """The per-MiB digests of a raw file, piece by piece with the project's definition."""
    out = bytearray()
    with open(raw, "rb") as fh:
        while piece := fh.read(PIECE):
            out += piece_digest(piece)
    return bytes(out)


def raw_content_digest(raw: Path) -> str:
    """The content digest as a conversion computes it (ContentDigest over the whole content)."""
    d = ContentDigest()
    size = raw.stat().st_size
    with open(raw, "rb") as fh:
        pos = 0
        while chunk := fh.read(8 * MiB):
            d.add(pos, chunk)
            pos += len(chunk)
    return d.hexdigest(size)


def scattered_writes(seed: int, size: int, count: int, block: int) -> list[tuple[int, bytes]]:
    """Guest-like writes: 4 KiB-4 MiB at random sector offsets (overlapping each other), plus some that cross
    block boundaries and a few into the empty upper part of the disk."""
    rng = random.Random(seed)
    writes = []
    for _ in range(count):
        n = rng.choice([4 * KiB, 64 * KiB, 300 * KiB, MiB, 4 * MiB])
        off = rng.randrange(0, size - n) // 512 * 512
        writes.append((off, rng.randbytes(n)))
    for k in (1, 3, 7, 11):  # across a block boundary
        if k * block + 16 * KiB <= size:
            writes.append((k * block - 8 * KiB, rng.randbytes(24 * KiB)))
    writes.append((size - 4 * KiB, rng.randbytes(4 * KiB)))  # the very last sector
    writes.append((size - 6 * MiB + 12345, rng.randbytes(777)))  # not sector aligned: bytes are bytes
    return writes


def apply(patch: VhdxPatch, raw: Path, writes: list[tuple[int, bytes]]) -> None:
    with open(raw, "r+b") as fh:
        for off, data in writes:
            patch.write(off, data)
            fh.seek(off)
            fh.write(data)


@pytest.fixture
def converted(tmp_path: Path) -> tuple[Path, Path]:
    """A raw disk and the VHDX our converter made of a qemu-img VMDK of it (2 MiB blocks, half of them empty)."""
    raw, vmdk = scattered_vmdk(tmp_path, SIZE, seed=5, stride=5 * MiB)
    vhdx = tmp_path / "disk.vhdx"
    convert(open_image(vmdk), vhdx, ConvertOptions(block_size=2 * MiB))
    return raw, vhdx


def test_patched_vhdx_equals_a_raw_disk_given_the_same_writes(converted) -> None:
    raw, vhdx = converted
    before = raw_pieces(raw)
    allocated_before = vhdx.stat().st_size
    with VhdxPatch.open_local(vhdx) as patch:
        patch.set_piece_digests(before)
        apply(patch, raw, scattered_writes(1, SIZE, 60, 2 * MiB))
        assert patch.blocks_allocated > 0, "some writes went into blocks that were not allocated"
        patch.verify()  # what the file holds now is what the digests expect
        digest = patch.content_digest()
        pieces = patch.piece_digests()
    qemu_img("check", str(vhdx))
    qemu_compare(raw, vhdx, "raw", "vhdx")
    assert pieces == raw_pieces(raw)
    assert digest == raw_content_digest(raw), "the kept digest is the one a fresh conversion computes"
    # new blocks are whole 1 MiB-aligned blocks at the end, nothing else grew
    assert vhdx.stat().st_size == allocated_before + patch.blocks_allocated * 2 * MiB


@pytest.mark.parametrize("options", [[], ["-o", "block_size=1M"]], ids=["qemu-default-blocks", "1MiB-blocks"])
def test_vhdx_made_by_qemu_img_is_patched_correctly(tmp_path: Path, options: list[str]) -> None:
    raw, _ = scattered_vmdk(tmp_path, SIZE, seed=9, stride=7 * MiB)
    vhdx = tmp_path / "qemu.vhdx"
    qemu_img("convert", "-f", "raw", "-O", "vhdx", "-o", "subformat=dynamic", *options, str(raw), str(vhdx))
    with VhdxPatch.open_local(vhdx) as patch:
        patch.set_piece_digests(raw_pieces(raw))
        apply(patch, raw, scattered_writes(2, SIZE, 40, patch.block_size))
        digest = patch.content_digest()
    qemu_img("check", str(vhdx))
    qemu_compare(raw, vhdx, "raw", "vhdx")
    assert digest == raw_content_digest(raw)


@pytest.mark.parametrize("maker", ["ours", "qemu"])
def test_fixed_vhdx_is_written_in_place(tmp_path: Path, maker: str) -> None:
    raw, vmdk = scattered_vmdk(tmp_path, 16 * MiB, seed=3, stride=5 * MiB)
    vhdx = tmp_path / "fixed.vhdx"
    if maker == "ours":
        convert(open_image(vmdk), vhdx, ConvertOptions(type="fixed", block_size=MiB))
    else:
        qemu_img("convert", "-f", "raw", "-O", "vhdx", "-o", "subformat=fixed", str(raw), str(vhdx))
    size = vhdx.stat().st_size
    with VhdxPatch.open_local(vhdx) as patch:
        apply(patch, raw, scattered_writes(4, 16 * MiB, 20, patch.block_size))
        assert patch.blocks_allocated == 0
    assert vhdx.stat().st_size == size
    qemu_img("check", str(vhdx))
    qemu_compare(raw, vhdx, "raw", "vhdx")


def test_zeros_never_allocate_and_zeroing_clears_allocated_data(converted) -> None:
    raw, vhdx = converted
    with VhdxPatch.open_local(vhdx) as patch:
        empty = next(b for b, off in enumerate(patch._offsets) if off == 0)
        size = vhdx.stat().st_size
        patch.write(empty * 2 * MiB + 4 * KiB, bytes(2 * MiB - 8 * KiB))  # zeros into an empty block
        patch.flush()
        assert vhdx.stat().st_size == size and patch.blocks_allocated == 0
        patch.zero(0, 3 * MiB + 512)  # a changed area that is now zeros must read as zeros
        with open(raw, "r+b") as fh:
            fh.write(bytes(3 * MiB + 512))
    qemu_img("check", str(vhdx))
    qemu_compare(raw, vhdx, "raw", "vhdx")


def _headers(path: Path) -> list[vf.Header]:
    with open(path, "rb") as fh:
        out = []
        for off in vf.HEADER_OFFSETS:
            fh.seek(off)
            buf = fh.read(vf.HEADER_SIZE)
            assert vf.header_signature_ok(buf), f"header at {off} is not valid"
            out.append(vf.Header.parse(buf))
        return out


def test_first_change_gives_both_headers_new_write_guids(converted) -> None:
    _, vhdx = converted
    old = _headers(vhdx)
    with VhdxPatch.open_local(vhdx) as patch:
        patch.write(5 * MiB, b"\x01" * 4 * KiB)
    new = _headers(vhdx)
    assert max(h.sequence for h in new) == max(h.sequence for h in old) + 2
    for h in new:
        assert h.log_guid == vf.ZERO_GUID
        assert h.file_write_guid != old[0].file_write_guid and h.data_write_guid != old[0].data_write_guid
    assert new[0].file_write_guid == new[1].file_write_guid


def test_opening_and_closing_without_changes_leaves_the_file_as_it_was(converted) -> None:
    raw, vhdx = converted
    before = vhdx.read_bytes()
    with VhdxPatch.open_local(vhdx) as patch:
        empty = next(b for b, off in enumerate(patch._offsets) if off == 0)
        patch.write(empty * 2 * MiB, bytes(64 * KiB))  # zeros into a block that is not there: no change
        assert patch.read(0, MiB) == raw.read_bytes()[:MiB]
    assert vhdx.read_bytes() == before


def test_verify_catches_a_piece_the_file_does_not_hold(converted) -> None:
    raw, vhdx = converted
    with VhdxPatch.open_local(vhdx) as patch:
        patch.set_piece_digests(raw_pieces(raw))
        patch.write(10 * MiB + 100 * KiB, b"\x5a" * 64 * KiB)
        patch.flush()
        assert patch.touched_pieces() == [10]
        # the storage loses the write behind our back
        block_off = patch._offsets[10 * MiB // patch.block_size]
        with open(vhdx, "r+b") as fh:
            fh.seek(block_off + 100 * KiB)
            fh.write(b"\x00" * 4 * KiB)
        with pytest.raises(VerificationError, match=f"virtual offset {10 * MiB}"):
            patch.verify()


def test_target_digests_of_pieces_read_back_from_the_file(converted) -> None:
    raw, vhdx = converted
    with VhdxPatch.open_local(vhdx) as patch:
        wanted = [0, 2, 3, SIZE // MiB - 1]  # the MiB pieces bytes 0, 3 MiB - 1 .. 3 MiB and the last one touch
        got = patch.target_piece_digests(wanted)
    expected = raw_pieces(raw)
    assert got == {p: expected[32 * p:32 * p + 32] for p in wanted}


def test_writes_outside_the_disk_and_bad_digest_lists_are_refused(converted) -> None:
    _, vhdx = converted
    with VhdxPatch.open_local(vhdx) as patch:
        with pytest.raises(ValueError, match="outside the disk"):
            patch.write(SIZE - 512, bytes(1024))
        with pytest.raises(ValueError, match="pieces"):
            patch.set_piece_digests(bytes(32))


def test_a_vhdx_with_a_log_to_replay_is_refused(converted) -> None:
    _, vhdx = converted
    hdr = _headers(vhdx)[1]
    hdr.log_guid = b"\x11" * 16
    hdr.sequence += 10
    with open(vhdx, "r+b") as fh:
        fh.seek(vf.HEADER_OFFSETS[1])
        fh.write(hdr.pack())
    with pytest.raises(UnsupportedFormatError, match="log"):
        VhdxPatch.open_local(vhdx)


def test_not_a_vhdx_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.vhdx"
    junk.write_bytes(bytes(2 * MiB))
    with pytest.raises(DiskFormatError):
        VhdxPatch.open_local(junk)


def test_a_tail_left_by_a_crash_is_reused_not_kept(converted) -> None:
    raw, vhdx = converted
    shutil.copyfile(vhdx, vhdx.with_suffix(".orig"))
    clean_size = vhdx.stat().st_size
    with open(vhdx, "ab") as fh:  # an allocation that never reached the BAT: garbage past the last block
        fh.write(b"\xee" * 3 * MiB)
    qemu_img("check", str(vhdx))
    with VhdxPatch.open_local(vhdx) as patch:
        empty = next(b for b, off in enumerate(patch._offsets) if off == 0)
        apply(patch, raw, [(empty * 2 * MiB + 512, b"\x07" * 512)])
    assert vhdx.stat().st_size == clean_size + 2 * MiB
    qemu_img("check", str(vhdx))
    qemu_compare(raw, vhdx, "raw", "vhdx")  # the rest of the new block is zeros, not the old garbage
    where = vf.BAT_OFFSET + 8 * vf.bat_index(empty, vf.chunk_ratio(2 * MiB, 512))
    entry = struct.unpack_from("<Q", vhdx.read_bytes(), where)[0]
    assert entry & 7 == vf.PAYLOAD_FULLY_PRESENT and (entry >> 20) << 20 == clean_size
