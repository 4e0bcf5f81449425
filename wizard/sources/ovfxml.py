"""Safe XML for OVF and VirtualBox files, and the small value parsers OVF needs.

``safe_xml`` refuses any document type declaration before parsing: OVF and ``.vbox`` files never carry
one, and a DTD is how entity-expansion ("billion laughs") and external-entity attacks get in. The check
runs on the decoded text, so a UTF-16 document cannot hide ``<!DOCTYPE`` from it. Elements are looked up
by local name (namespaces stripped), which reads OVF 1.x and 2.x alike.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from wizard.core.errors import InputError
from wizard.core.files import text_encoding

MAX_XML_BYTES = 16 * 1024 * 1024
_DTD_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.IGNORECASE)
_UNIT_NAMES = {"byte": 1, "bytes": 1, "kilobyte": 1024, "kilobytes": 1024, "kb": 1024, "megabyte": 2**20,
               "megabytes": 2**20, "mb": 2**20, "gigabyte": 2**30, "gigabytes": 2**30, "gb": 2**30,
               "terabyte": 2**40, "terabytes": 2**40, "tb": 2**40}


def _decode(data: bytes, path: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be")
    m = re.match(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_\-.]+)[\"']", data[:200])
    declared = m.group(1).decode("ascii") if m else "utf-8"
    encoding = text_encoding(declared)
    if encoding is None:  # unknown, or a transform such as "uu_codec" that bytes.decode refuses
        raise InputError(f"the XML declares {declared!r}, which is not a text encoding", path=path,
                         fix="Use the file as exported by the hypervisor (UTF-8).")
    return data.decode(encoding)


def safe_xml(data: bytes, path: str) -> ET.Element:
    """Parse ``data`` (an OVF or .vbox document); :class:`InputError` for DTDs, oversize or malformed XML."""
    if len(data) > MAX_XML_BYTES:
        raise InputError(f"XML file is larger than the {MAX_XML_BYTES} bytes this tool accepts",
                         path=path)
    try:
        text = _decode(data, path)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"XML is not valid text in its declared encoding: {exc}", path=path) from None
    m = _DTD_RE.search(text)
    if m:
        raise InputError(f"refused: the XML declares a document type ({m.group(0)}…); OVF and VirtualBox files "
                         "never do, and DTDs can expand entities without bound", path=path,
                         offset=m.start(), fix="Use the file as exported by the hypervisor.")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)  # the declared encoding no longer applies
    parser = ET.XMLParser()
    try:
        parser.feed(text)
        return parser.close()
    except ET.ParseError as exc:
        raise InputError(f"XML is malformed: {exc}", path=path) from None
    except (ValueError, RecursionError) as exc:  # pragma: no cover - expat limits
        raise InputError(f"XML could not be parsed: {exc}", path=path) from None


def local(tag: object) -> str:
    """``{namespace}Name`` → ``Name`` (comments and processing instructions → "")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def attr(el: ET.Element, name: str, default: str = "") -> str:
    """An attribute by local name, whatever its namespace prefix."""
    for key, value in el.attrib.items():
        if local(key) == name:
            return value
    return default


def children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    for child in el:
        if local(child.tag) == name:
            yield child


def child(el: ET.Element, name: str) -> ET.Element | None:
    return next(children(el, name), None)


def descendants(el: ET.Element, name: str) -> Iterator[ET.Element]:
    for node in el.iter():
        if local(node.tag) == name:
            yield node


def text_of(el: ET.Element | None, name: str, default: str = "") -> str:
    if el is None:
        return default
    c = child(el, name)
    return (c.text or "").strip() if c is not None and c.text is not None else default


def unit_multiplier(units: str, path: str, field: str) -> int:
    """``"byte * 2^30"`` → 2**30; ``"MegaBytes"`` → 2**20; ``""`` → 1. :class:`InputError` otherwise."""
    t = re.sub(r"\s+", "", units).lower()
    if not t:
        return 1
    if t in _UNIT_NAMES:
        return _UNIT_NAMES[t]
    m = re.fullmatch(r"(?:byte|bytes)\*(\d{1,4})\^(\d{1,3})", t)
    if m and int(m.group(2)) <= 60:
        return int(m.group(1)) ** int(m.group(2))
    m = re.fullmatch(r"(?:byte|bytes)\*(\d{1,19})", t)
    if m:
        return int(m.group(1))
    raise InputError(f"allocation units {units!r} not understood", path=path, field=field)


def parse_int(value: str, path: str, field: str) -> int:
    v = value.strip()
    if re.fullmatch(r"\d{21,}", v):
        raise InputError(f"{value[:40]!r}... is too large to be a size", path=path, field=field)
    if not re.fullmatch(r"\d{1,20}", v):
        raise InputError(f"{value[:40]!r} is not a whole number", path=path, field=field)
    return int(v)
