"""Mutated OVF descriptors and OVA archives: only InputError, never another exception, never a write."""

from __future__ import annotations

import contextlib
import io
import shutil
import tarfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.budget import EXAMPLES
from wizard.core.errors import InputError
from wizard.sources.ova import OvaSource
from wizard.sources.ovf import OvfSource

ROOT = Path(__file__).resolve().parents[1] / "data" / "sources"
OVF = (ROOT / "ovf" / "centos7" / "centos7.ovf").read_bytes()
OVA = (ROOT / "ova" / "appliance.ova").read_bytes()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
TOKENS = [b"<", b">", b"/>", b'"', b"&amp;", b"&bogus;", b"<!DOCTYPE", b"<!-- x -->", b"<![CDATA[x]]>",
          b"ovf:/disk/nope", b"byte * 2^99", b"99999999999999999999999", b"-1", b"../x", b"\x00", b"\xff\xfe"]


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "swap_value"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=20))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 200))]
        else:
            start = data.find(b">", pos)
            end = data.find(b"<", start + 1)
            if 0 <= start < end:
                data[start + 1:end] = draw(st.sampled_from(TOKENS + [b"", b"0", b"17", b"6", b"4", b"3"]))
    return bytes(data)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("fuzz-ovf") / "centos7"
    shutil.copytree(ROOT / "ovf" / "centos7", dst)
    (dst / "centos7.mf").unlink()  # the manifest would (correctly) refuse every mutation before parsing
    return dst


@FUZZ
@given(doc=mutated(OVF))
def test_mutated_ovf_discovers_or_raises_input_error(export: Path, doc: bytes):
    (export / "centos7.ovf").write_bytes(doc)
    try:
        inv = OvfSource(export / "centos7.ovf").discover()
    except InputError:
        return
    for vm in inv.vms:
        assert vm.cpus >= 1 and vm.memory_mb >= 0


@FUZZ
@given(archive=mutated(OVA), cut=st.integers(0, len(OVA)))
def test_mutated_ova_discovers_or_raises_input_error(tmp_path_factory: pytest.TempPathFactory, archive: bytes,
                                                     cut: int):
    folder = tmp_path_factory.mktemp("fuzz-ova")
    path = folder / "x.ova"
    path.write_bytes(archive[:cut] if cut < len(archive) // 2 else archive)
    with contextlib.suppress(InputError):
        OvaSource(path, verify=cut % 2 == 0).discover()
    assert [p.name for p in folder.iterdir()] == ["x.ova"]


def test_seed_archive_members_are_what_the_fuzzer_mutates():
    with tarfile.open(fileobj=io.BytesIO(OVA)) as tf:
        assert [m.name for m in tf.getmembers()] == ["tiny-appliance.ovf", "tiny-appliance.mf",
                                                     "tiny-appliance-disk001.vmdk"]
