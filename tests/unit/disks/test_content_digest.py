"""The content digest a conversion reports: its definition, and the coreutils recipe the README gives for it."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.disks.test_vmdk_helpers import content_digest_of
from wizard.disks.digest import ContentDigest

MiB = 1024 * 1024


def _digest_of_pieces(size: int, pieces: list[tuple[int, bytes]], cut: int) -> str:
    """Feed ``pieces`` (ascending, non-overlapping) in sub-pieces of at most ``cut`` bytes."""
    d = ContentDigest()
    for offset, data in pieces:
        for i in range(0, len(data), cut):
            d.add(offset + i, memoryview(data)[i:i + cut])
    return d.hexdigest(size)


def _random_disk(rng: random.Random, size: int) -> tuple[bytearray, list[tuple[int, bytes]]]:
    """Content with data runs at odd offsets and lengths (some all zero), holes in between."""
    content = bytearray(size)
    pieces, pos = [], rng.randrange(0, 3 * MiB)
    while pos < size:
        length = min(size - pos, rng.choice([512, 4096, 65536, MiB - 7, MiB, 3 * MiB + 512]))
        data = bytes(length) if rng.random() < 0.2 else rng.randbytes(length)
        content[pos:pos + length] = data
        pieces.append((pos, data))
        pos += length + rng.choice([0, 512, 65536, MiB, 5 * MiB + 4096])
    return content, pieces


@pytest.mark.parametrize("seed", range(8))
def test_digest_of_holes_and_runs_equals_the_definition(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randrange(4 * MiB, 24 * MiB) // 512 * 512
    content, pieces = _random_disk(rng, size)
    want = content_digest_of(bytes(content))
    for cut in (MiB, 300_000, 8 * MiB):
        assert _digest_of_pieces(size, pieces, cut) == want, cut


def test_a_size_padded_past_the_data_counts_the_zeros() -> None:
    data = random.Random(1).randbytes(MiB + 100)
    d = ContentDigest()
    d.add(0, data)
    assert d.hexdigest(3 * MiB + 512) == content_digest_of(data + bytes(2 * MiB + 412))
    assert ContentDigest().hexdigest(0) == content_digest_of(b"")


def test_one_changed_byte_changes_the_digest() -> None:
    data = bytearray(random.Random(2).randbytes(3 * MiB))
    before = _digest_of_pieces(len(data), [(0, bytes(data))], MiB)
    data[2 * MiB + 17] ^= 1
    assert _digest_of_pieces(len(data), [(0, bytes(data))], MiB) != before


def test_a_piece_going_backwards_is_noticed() -> None:
    d = ContentDigest()
    d.add(MiB, b"x" * 4096)
    d.add(0, b"y" * 4096)
    assert not d.in_order


@pytest.mark.skipif(not (shutil.which("split") and shutil.which("xxd")), reason="needs coreutils split and xxd")
def test_the_readme_recipe_computes_the_same_digest(tmp_path: Path) -> None:
    rng = random.Random(3)
    content, _ = _random_disk(rng, 5 * MiB + 3 * 512)
    raw = tmp_path / "disk.raw"
    raw.write_bytes(content)
    recipe = f"split -b 1M --filter=sha256sum '{raw}' | cut -c1-64 | xxd -r -p | sha256sum"
    out = subprocess.run(["bash", "-o", "pipefail", "-c", recipe], capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == content_digest_of(bytes(content))
