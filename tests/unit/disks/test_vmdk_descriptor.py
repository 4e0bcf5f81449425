"""Descriptor text as real products write it parses; malformed text is refused naming the line."""

from __future__ import annotations

import pytest

from wizard.core.errors import DiskFormatError
from wizard.disks.vmdk_descriptor import looks_like_descriptor, parse_descriptor

ESXI = (
    "# Disk DescriptorFile\r\n"
    "version=1\r\n"
    "encoding=\"UTF-8\"\r\n"
    "CID=4c8a3f2e\r\n"
    "parentCID=ffffffff\r\n"
    "isNativeSnapshot=\"no\"\r\n"
    "createType=\"vmfs\"\r\n"
    "\r\n"
    "# Extent description\r\n"
    "RW 41943040 VMFS \"web 01-flat.vmdk\"\r\n"
    "\r\n"
    "# The Disk Data Base \r\n"
    "#DDB\r\n"
    "\r\n"
    "ddb.adapterType = \"lsilogic\"\r\n"
    "ddb.geometry.cylinders = \"2610\"\r\n"
    "ddb.longContentID = \"9c3d1b0e4f2a\"\r\n"
    "ddb.thinProvisioned = \"1\"\r\n"
    "ddb.virtualHWVersion = \"19\"\r\n"
)


def test_esxi_descriptor_with_crlf_and_spaces_in_names() -> None:
    d = parse_descriptor(ESXI.encode(), "web01.vmdk")
    assert d.create_type == "vmfs"
    assert d.cid == 0x4C8A3F2E and not d.has_parent
    [ext] = d.extents
    assert (ext.access, ext.sectors, ext.kind, ext.filename) == ("RW", 41943040, "VMFS", "web 01-flat.vmdk")
    assert d.ddb["adapterType"] == "lsilogic" and d.ddb["virtualHWVersion"] == "19"
    assert looks_like_descriptor(ESXI.encode()[:200])


def test_snapshot_descriptor_odd_spacing_and_offsets() -> None:
    text = (b"\xef\xbb\xbf# Disk DescriptorFile\n  version = 1 \nCID= 0000abcd\nparentCID =1234abcd\n"
            b'createType = monolithicSparse\nparentFileNameHint="C:\\VMs\\base.vmdk"\n'
            b'RW 100 FLAT "a.bin" 8\n\tRDONLY   200\tSPARSE   "b.vmdk"\nNOACCESS 50 ZERO\n'
            b"ddb.toolsVersion=12345\n\0\0\0\0")
    d = parse_descriptor(text, "x.vmdk")
    assert d.cid == 0xABCD and d.parent_cid == 0x1234ABCD and d.has_parent
    assert d.parent_hint == "C:\\VMs\\base.vmdk"
    assert d.create_type == "monolithicSparse"
    assert [(e.kind, e.sectors, e.offset) for e in d.extents] == [("FLAT", 100, 8), ("SPARSE", 200, 0),
                                                                  ("ZERO", 50, 0)]
    assert d.total_sectors == 350
    assert d.ddb["toolsVersion"] == "12345"


@pytest.mark.parametrize(("text", "needle"), [
    (b'createType="vmfs"\n', "no extents"),
    (b'RW 10 FLAT "a"\n', "createType"),
    (b'createType="vmfs"\nRW 10 BOGUS "a"\n', "unknown type"),
    (b'createType="vmfs"\nRW ten FLAT "a"\n', "line 2"),
    (b'createType="vmfs"\nRW 10 FLAT\n', "names no file"),
    (b'createType="vmfs"\nCID=xyz\nRW 10 FLAT "a"\n', "hexadecimal"),
    (b'createType="vmfs"\nthis is not a setting\nRW 10 FLAT "a"\n', "line 2"),
    (b'createType="vmfs"\n\x01\x02binary\nRW 10 FLAT "a"\n', "control characters"),
    (b'createType="vmfs"\nRW 10 FLAT "\xc3\x28"\n', "UTF-8"),
])
def test_malformed_descriptors(text: bytes, needle: str) -> None:
    with pytest.raises(DiskFormatError) as err:
        parse_descriptor(text, "bad.vmdk")
    assert needle in err.value.message and "bad.vmdk" in err.value.message
