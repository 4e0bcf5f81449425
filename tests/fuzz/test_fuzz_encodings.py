"""Every descriptor's encoding line, fuzzed: the ``.encoding`` of a ``.vmx``, the ``encoding=`` of a VMDK
descriptor, the XML declaration of an OVF and of a ``.vbox``. Any codec name Python knows (text encodings,
transforms such as ``rot13``, ``hex``, ``uu_codec``, ``zlib``, aliases), any made-up name, any bytes after it:
each file is read or refused with an InputError, never another exception (a LookupError, a decoder's
TypeError), and a VM folder with such a file still lists its other VMs.

The budget is :data:`tests.fuzz.budget.EXAMPLES` (``HVM_FUZZ_EXAMPLES``; 150 in ``make test``, see the README).
"""

from __future__ import annotations

import contextlib
import encodings.aliases
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.budget import EXAMPLES
from tests.fuzz.test_fuzz_vmdk import MemSource, drain
from wizard.core.errors import InputError
from wizard.disks.detect import open_image
from wizard.sources.ovf import OvfSource
from wizard.sources.vbox import vm_from_vbox
from wizard.sources.vmx import vm_from_vmx

FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
DATA = Path(__file__).resolve().parents[1] / "data" / "sources"
CODECS = sorted({*encodings.aliases.aliases, *encodings.aliases.aliases.values(), "rot13", "rot_13", "hex", "base64",
                 "uu_codec", "zlib", "bz2", "quopri", "undefined", "idna", "punycode", "unicode_escape",
                 "raw_unicode_escape", "utf-7", "utf-16", "utf-32", "utf_8_sig", "mbcs", "oem", "cp65001",
                 "x-mac-japanese", "UTF-8", "windows-1252", "Shift_JIS"})
NAMES = st.one_of(st.sampled_from(CODECS), st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.", max_size=24))
BODY = st.one_of(st.just(b""), st.binary(max_size=64), st.sampled_from([b"\xff\xfe", b"\xe9t\xe9", b"caf\xc3\xa9",
                                                                        "名前".encode("shift_jis"), b"\x1b[2J"]))


def _vmx_text() -> bytes:
    return (DATA / "vmx" / "ws17-win2019" / "ws17-win2019.vmx").read_bytes()


@pytest.fixture(scope="module")
def vm_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("enc") / "vm"
    shutil.copytree(DATA / "vmx" / "ws17-win2019", dst)
    return dst


@FUZZ
@given(name=NAMES, body=BODY)
def test_vmx_encoding_line(vm_folder: Path, name: str, body: bytes) -> None:
    data = re.sub(rb'^\.encoding = "[^"]*"', f'.encoding = "{name}"'.encode(), _vmx_text(), count=1)
    data = data.replace(b'displayName = "', b'displayName = "' + body.replace(b'"', b"").replace(b"\n", b""), 1)
    (vm_folder / "ws17-win2019.vmx").write_bytes(data)
    try:
        vm = vm_from_vmx(str(vm_folder / "ws17-win2019.vmx"))
    except InputError:
        return
    assert isinstance(vm.name, str)


@FUZZ
@given(name=NAMES, body=BODY, quoted=st.booleans())
def test_vmdk_descriptor_encoding_line(name: str, body: bytes, quoted: bool) -> None:
    value = f'"{name}"' if quoted else name
    desc = (b'# Disk DescriptorFile\nversion=1\nencoding=' + value.encode() + b'\nCID=fffffffe\nparentCID=ffffffff\n'
            b'createType="monolithicFlat"\nRW 2048 FLAT "d' + body.replace(b'"', b"").replace(b"\n", b"")
            + b'-flat.vmdk" 0\nddb.adapterType = "lsilogic"\n')
    files = {"d.vmdk": desc}

    def opener(path: str) -> MemSource:
        return MemSource(path, bytes(1024 * 1024))

    try:
        with open_image(MemSource("d.vmdk", files["d.vmdk"]), opener) as img:
            drain(img)
    except InputError:
        pass


def _with_declaration(document: bytes, name: str, body: bytes) -> bytes:
    rest = re.sub(rb"^<\?xml[^>]*\?>", b"", document, count=1)
    return f'<?xml version="1.0" encoding="{name}"?>'.encode() + body.replace(b"<", b"") + rest


@pytest.fixture(scope="module")
def ovf_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("enc-ovf") / "centos7"
    shutil.copytree(DATA / "ovf" / "centos7", dst)
    (dst / "centos7.mf").unlink()  # the manifest would refuse every changed descriptor first
    return dst


@FUZZ
@given(name=NAMES, body=BODY)
def test_ovf_xml_declaration(ovf_folder: Path, name: str, body: bytes) -> None:
    ovf = ovf_folder / "centos7.ovf"
    ovf.write_bytes(_with_declaration((DATA / "ovf" / "centos7" / "centos7.ovf").read_bytes(), name, body))
    with contextlib.suppress(InputError):
        OvfSource(str(ovf)).discover()


@pytest.fixture(scope="module")
def vbox_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("enc-vbox") / "Ubuntu22"
    shutil.copytree(DATA / "vbox" / "Ubuntu22", dst)
    return dst


@FUZZ
@given(name=NAMES, body=BODY)
def test_vbox_xml_declaration(vbox_folder: Path, name: str, body: bytes) -> None:
    vbox = vbox_folder / "Ubuntu22.vbox"
    vbox.write_bytes(_with_declaration((DATA / "vbox" / "Ubuntu22" / "Ubuntu22.vbox").read_bytes(), name, body))
    with contextlib.suppress(InputError):
        vm_from_vbox(str(vbox))
