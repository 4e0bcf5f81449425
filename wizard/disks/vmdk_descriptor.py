"""The VMDK descriptor: the small text file (or text embedded at sector 1 of a sparse file) naming a disk's
type, identity, parent and extents.

Contract: :func:`parse_descriptor` takes the raw bytes and returns a :class:`Descriptor`, or raises
:class:`DiskFormatError` naming the file and the offending line. It accepts what real products write:
CRLF or LF endings, comments, blank lines, odd spacing around ``=``, quoted or unquoted values, NUL padding
after the text (embedded descriptors fill whole sectors). It refuses binary garbage, text that does not
decode in its declared ``encoding`` (UTF-8 when none), huge descriptors, unknown access modes and malformed
extent lines. Its errors name line numbers, never the text found there: a descriptor may be any file
(a parent hint naming ``/etc/passwd``), and its content must not reach messages and logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.core.files import text_encoding

MAX_DESCRIPTOR_BYTES = 1024 * 1024
MAX_EXTENTS = 4096
NO_PARENT_CID = 0xFFFFFFFF

EXTENT_KINDS = frozenset({"SPARSE", "FLAT", "ZERO", "VMFS", "VMFSSPARSE", "VMFSRDM", "VMFSRAW", "SESPARSE"})
ACCESS_MODES = frozenset({"RW", "RDONLY", "NOACCESS"})

# The file name runs to the line's last quote: VMware writes a name containing '"' (a VM called say "hi")
# without escaping it.
EXTENT_RE = re.compile(
    r'^(?P<access>[A-Z]+)\s+(?P<sectors>\d+)\s+(?P<kind>[A-Z]+)'
    r'(?:\s+"(?P<file>.*)"(?:\s+(?P<offset>\d+))?)?\s*$'
)
_KEY_RE = re.compile(r'^(?P<key>[A-Za-z0-9_.\-]+)\s*=\s*(?P<value>.*?)\s*$')
_ENCODING_RE = re.compile(rb'^[ \t]*encoding[ \t]*=[ \t]*"?([A-Za-z0-9_\-]{1,40})"?[ \t]*\r?$', re.MULTILINE)


@dataclass
class ExtentLine:
    """One extent line: ``access sectors kind "file" offset`` (offset in sectors, FLAT/VMFS only)."""

    access: str
    sectors: int
    kind: str
    filename: str = ""
    offset: int = 0
    line: int = 0


@dataclass
class Descriptor:
    create_type: str = ""
    version: int = 1
    cid: int = NO_PARENT_CID
    parent_cid: int = NO_PARENT_CID
    parent_hint: str = ""
    extents: list[ExtentLine] = field(default_factory=list)
    ddb: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def total_sectors(self) -> int:
        return sum(e.sectors for e in self.extents)

    @property
    def has_parent(self) -> bool:
        return self.parent_cid != NO_PARENT_CID


def looks_like_descriptor(head: bytes) -> bool:
    """True when ``head`` (the first bytes of a file) is plausibly descriptor text."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"# Disk DescriptorFile"):
        return True
    return b"createType" in head[:4096] and (b"RW " in head[:4096] or b"RDONLY " in head[:4096])


def descriptor_encoding(data: bytes) -> str:
    """The text encoding a descriptor declares (``encoding="windows-1252"``, ``"Shift_JIS"``...), else UTF-8.

    VMware writes the host's code page there (Workstation on Windows before 14 wrote ``windows-1252``),
    and extent file names are encoded in it; a name that is unknown or not a text encoding (``hex``,
    ``rot13``) falls back to UTF-8.
    """
    m = _ENCODING_RE.search(data)
    if m is None:
        return "utf-8"
    return text_encoding(m.group(1).decode("ascii")) or "utf-8"


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _parse_cid(value: str, name: str, key: str) -> int:
    try:
        cid = int(value, 16)
    except ValueError:
        raise DiskFormatError("descriptor value is not a hexadecimal content ID", path=name, field=key) from None
    if not 0 <= cid <= 0xFFFFFFFF:
        raise DiskFormatError("descriptor content ID does not fit 32 bits", path=name, field=key)
    return cid


def parse_descriptor(data: bytes, name: str) -> Descriptor:
    """Parse descriptor bytes read from ``name`` (used in error messages)."""
    nul = data.find(b"\0")
    if nul >= 0:  # the text ends at the first NUL, as in every C implementation (qemu pads after it)
        data = data[:nul]
    if len(data) > MAX_DESCRIPTOR_BYTES:
        raise DiskFormatError(f"descriptor is {len(data)} bytes, more than the {MAX_DESCRIPTOR_BYTES} allowed",
                              path=name)
    encoding = descriptor_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeError as exc:  # UnicodeDecodeError, and what codecs such as idna raise for text they refuse
        shown = "UTF-8" if encoding == "utf-8" else encoding
        raise DiskFormatError(f"descriptor is not {shown} text", path=name,
                              offset=getattr(exc, "start", None)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    desc = Descriptor()
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if any(ord(ch) < 32 and ch != "\t" for ch in line):
            raise DiskFormatError(f"descriptor line {lineno} contains control characters", path=name)
        first = line.split(None, 1)[0]
        if first in ACCESS_MODES or (first.isupper() and '"' in line and "=" not in line.split('"', 1)[0]):
            desc.extents.append(_parse_extent(line, lineno, name))
            if len(desc.extents) > MAX_EXTENTS:
                raise DiskFormatError(f"descriptor names more than {MAX_EXTENTS} extents", path=name)
            continue
        m = _KEY_RE.match(line)
        if m is None:
            raise DiskFormatError(f"descriptor line {lineno} is neither a setting nor an extent", path=name)
        key, value = m.group("key"), _unquote(m.group("value"))
        if key.startswith("ddb."):
            desc.ddb[key[4:]] = value
            continue
        desc.keys[key] = value
        low = key.lower()
        if low == "createtype":
            desc.create_type = value
        elif low == "cid":
            desc.cid = _parse_cid(value, name, key)
        elif low == "parentcid":
            desc.parent_cid = _parse_cid(value, name, key)
        elif low == "parentfilenamehint":
            desc.parent_hint = value
        elif low == "version":
            try:
                desc.version = int(value)
            except ValueError:
                raise DiskFormatError("descriptor version is not a number", path=name, field=key) from None
    if any(k.lower() in ("encryption.keysafe", "encryption.data") for k in desc.keys):
        # vSphere VM Encryption keeps the extents in clear text but encrypts the data; Workstation/Fusion hide
        # the extents too: either way only ciphertext could be read
        raise UnsupportedFormatError("the disk is encrypted (VMware VM encryption): its data cannot be read",
                                     path=name, field="encryption.keySafe",
                                     fix="Decrypt it in VMware first (vSphere: give the VM and disk a storage policy "
                                         "without encryption; Workstation/Fusion: Settings > Options > Access "
                                         "Control > Remove Encryption), then try again.")
    if not desc.extents:
        raise DiskFormatError("descriptor names no extents", path=name,
                              fix="The file may not be a VMDK descriptor, or it was cut short; copy it again.")
    if not desc.create_type:
        raise DiskFormatError("descriptor has no createType", path=name, field="createType")
    return desc


def _parse_extent(line: str, lineno: int, name: str) -> ExtentLine:
    m = EXTENT_RE.match(line)
    if m is None:
        raise DiskFormatError(f"descriptor line {lineno} is not a valid extent line", path=name)
    access, kind = m.group("access"), m.group("kind")
    if access not in ACCESS_MODES:
        raise DiskFormatError(f"extent on line {lineno} has an unknown access mode (not RW, RDONLY or NOACCESS)",
                              path=name)
    if kind not in EXTENT_KINDS:
        raise DiskFormatError(f"extent on line {lineno} has an unknown type (not {', '.join(sorted(EXTENT_KINDS))})",
                              path=name)
    sectors = int(m.group("sectors"))
    filename = m.group("file") or ""
    if kind != "ZERO" and not filename:
        raise DiskFormatError(f"{kind} extent on line {lineno} names no file", path=name)
    if len(filename) > 4096:
        raise DiskFormatError(f"extent file name on line {lineno} is absurdly long", path=name)
    offset = int(m.group("offset") or 0)
    return ExtentLine(access, sectors, kind, filename, offset, lineno)
