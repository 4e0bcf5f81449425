"""Mutated .vmx/.vmsd/descriptor files: discovery reports InputError or warnings, never anything else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.budget import EXAMPLES
from wizard.core.errors import InputError
from wizard.sources.vmx import vm_from_vmx
from wizard.sources.vmxparse import parse_dictionary

DATA = Path(__file__).resolve().parents[1] / "data" / "sources" / "vmx" / "ws17-win2019"
SEED = (DATA / "ws17-win2019.vmx").read_bytes()
VMSD = (DATA / "ws17-win2019.vmsd").read_bytes()
DESCRIPTOR = (DATA / "data.vmdk").read_bytes()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dup_line"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=40) | st.sampled_from(
                [b'"', b"|", b"|2", b"=", b"\r\n", b"scsi0:9.fileName = \"../../x.vmdk\"\n", b"\x00",
                 b'.encoding = "bogus-enc"\n', b'numvcpus = "99999999999999999999"\n']))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[pos:]
        else:
            end = data.find(b"\n", pos)
            data[pos:pos] = data[pos:end + 1 if end >= 0 else len(data)]
    return bytes(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("fuzz-vmx") / "vm"
    shutil.copytree(DATA, dst)
    return dst


@FUZZ
@given(vmx=mutated(SEED), vmsd=mutated(VMSD), desc=mutated(DESCRIPTOR))
def test_mutated_vm_folder_discovers_or_raises_input_error(folder: Path, vmx: bytes, vmsd: bytes, desc: bytes):
    (folder / "ws17-win2019.vmx").write_bytes(vmx)
    (folder / "ws17-win2019.vmsd").write_bytes(vmsd)
    (folder / "data.vmdk").write_bytes(desc)
    try:
        vm = vm_from_vmx(str(folder / "ws17-win2019.vmx"))
    except InputError:
        return
    assert vm.cpus >= 1 and vm.memory_mb >= 0
    assert all(d.capacity_bytes >= 0 for d in vm.disks)


@FUZZ
@given(text=st.text(max_size=2000))
def test_any_text_parses_to_a_dictionary(text: str):
    cfg = parse_dictionary(text)
    assert len(cfg.warnings) <= 51
