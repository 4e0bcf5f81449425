"""Snapshot delta chains: the child's grains win, the rest comes from the parents; broken chains are refused."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from tests.unit.disks.test_vmdk_helpers import image_sha, qemu_io, readinto_sha
from wizard.core.errors import DiskFormatError
from wizard.disks import vmdk as vmdk_module
from wizard.disks.detect import open_image

MiB = 1024 * 1024


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    """base ← mid ← top, each link writing over part of the one below (top also writes zeroed grains)."""
    base, mid, top = tmp_path / "base.vmdk", tmp_path / "base-000001.vmdk", tmp_path / "base-000002.vmdk"
    qemu_img("create", "-q", "-f", "vmdk", str(base), "8M")
    qemu_io(base, "write -P 0x11 0 3M", "write -P 0x12 5M 100k", "write -P 0x13 7M 1M")
    qemu_img("create", "-q", "-f", "vmdk", "-b", base.name, "-F", "vmdk", str(mid))
    qemu_io(mid, "write -P 0xab 1M 64k", "write -P 0xac 4M 10k", "write -P 0xad 7680k 4k")
    qemu_img("create", "-q", "-f", "vmdk", "-o", "zeroed_grain=on", "-b", mid.name, "-F", "vmdk", str(top))
    qemu_io(top, "write -z 0 128k", "write -P 0xcd 2M 1M", "write -P 0xce 5M 512")
    return top


def raw_sha(image: Path, tmp_path: Path) -> str:
    out = tmp_path / "expected.raw"
    qemu_img("convert", "-O", "raw", str(image), str(out))
    return hashlib.sha256(out.read_bytes()).hexdigest()


def rewrite_embedded(path: Path, edit) -> None:
    """Apply ``edit`` to the descriptor text embedded in a monolithicSparse file, keeping its sector area."""
    data = bytearray(path.read_bytes())
    start, size = 512, 20 * 512
    text = bytes(data[start:start + size]).split(b"\0", 1)[0].decode()
    new = edit(text).encode()
    assert len(new) <= size
    data[start:start + size] = new.ljust(size, b"\0")
    path.write_bytes(bytes(data))


def test_three_link_chain_matches_qemu(chain: Path, tmp_path: Path) -> None:
    want = raw_sha(chain, tmp_path)
    with open_image(chain) as img:
        assert image_sha(img) == want
        assert readinto_sha(img) == want
        info = img.info()
        assert info.details["chain_depth"] == 2
        assert info.parent.endswith("base-000001.vmdk")
        ranges = list(img.allocated_ranges())
    # The zeroed grain at 0 hides the base's data there; nothing past the written areas is reported.
    assert ranges[0][0] == 128 * 1024
    assert sum(n for _o, n in ranges) < 6 * MiB


def test_parent_changed_after_snapshot_is_refused(chain: Path) -> None:
    mid = chain.parent / "base-000001.vmdk"
    rewrite_embedded(mid, lambda t: re.sub(r"\nCID=[0-9a-f]+", "\nCID=0badc0de", t))
    with pytest.raises(DiskFormatError) as err:
        open_image(chain)
    assert "parentCID" in err.value.message and "0badc0de" in err.value.message
    assert err.value.fix


def test_missing_parent_is_refused(chain: Path) -> None:
    (chain.parent / "base.vmdk").unlink()
    with pytest.raises(DiskFormatError) as err:
        open_image(chain)
    assert "base.vmdk" in err.value.message and "parentFileNameHint" in err.value.message


def test_absolute_hint_from_another_host_falls_back_to_the_same_folder(chain: Path, tmp_path: Path) -> None:
    want = raw_sha(chain, tmp_path)
    rewrite_embedded(chain, lambda t: t.replace('parentFileNameHint="base-000001.vmdk"',
                                                'parentFileNameHint="C:\\VMs\\web01\\base-000001.vmdk"'))
    with open_image(chain) as img:
        assert image_sha(img) == want


def test_over_long_chain_is_refused(chain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vmdk_module, "MAX_CHAIN", 1)
    with pytest.raises(DiskFormatError, match="longer than 1"):
        open_image(chain)


def test_parent_loop_is_refused(tmp_path: Path) -> None:
    for name in ("a", "b"):
        qemu_img("create", "-q", "-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse", str(tmp_path / f"{name}.vmdk"),
                 "1M")
    cids = {}
    for name in ("a", "b"):
        cids[name] = re.search(r"\nCID=([0-9a-f]+)", (tmp_path / f"{name}.vmdk").read_text()).group(1)
    for name, other in (("a", "b"), ("b", "a")):
        path = tmp_path / f"{name}.vmdk"
        text = path.read_text().replace("parentCID=ffffffff",
                                        f'parentCID={cids[other]}\nparentFileNameHint="{other}.vmdk"')
        path.write_text(text)
    with pytest.raises(DiskFormatError, match="loops"):
        open_image(tmp_path / "a.vmdk")


def test_relative_hints_resolve_against_each_disk_folder(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    qemu_img("create", "-q", "-f", "vmdk", str(sub / "base.vmdk"), "2M")
    qemu_io(sub / "base.vmdk", "write -P 0x21 0 1M")
    qemu_img("create", "-q", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", str(sub / "mid.vmdk"))
    qemu_io(sub / "mid.vmdk", "write -P 0x22 512k 64k")
    qemu_img("create", "-q", "-f", "vmdk", "-b", "sub/mid.vmdk", "-F", "vmdk", str(tmp_path / "top.vmdk"))
    qemu_io(tmp_path / "top.vmdk", "write -P 0x23 1536k 4k")
    want = raw_sha(tmp_path / "top.vmdk", tmp_path)
    with open_image(tmp_path / "top.vmdk") as img:
        assert image_sha(img) == want
