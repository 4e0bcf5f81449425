"""The ``key = "value"`` dictionary format of VMware ``.vmx``, ``.vmsd`` and ``.vmxf`` files.

What VMware writes (Workstation 17, Fusion, ESXi 8): one ``key = "value"`` per line, CRLF or LF,
``.encoding = "UTF-8"`` (or ``windows-1252`` on old Windows hosts) near the top, ``#`` comments, keys
case-insensitive, values quoted with ``|XX`` hex escapes for characters that cannot appear raw (``|22``
a quote, ``|7C`` the bar itself, ``|0A`` a newline). Hand edits add unquoted values, stray lines and
duplicate keys; VMware itself takes the last duplicate, so do we.

Contract: :func:`parse_dictionary` never raises anything but :class:`InputError` (for a file that is too
big or binary); lines it cannot read become warnings, returned with their line numbers.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from wizard.core.errors import InputError
from wizard.core.files import open_regular, text_encoding

MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_WARNINGS = 50
_KEY_RE = re.compile(r"^[A-Za-z0-9_.:\-\[\]/@ ]+$")
_ESCAPE_RE = re.compile(r"\|([0-9A-Fa-f]{2})")


@dataclass
class VmxDict:
    """Keys lower-cased → values unescaped; ``warnings`` name line numbers."""

    values: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key.lower(), default)

    def has(self, key: str) -> bool:
        return key.lower() in self.values

    def flag(self, key: str, default: bool = False) -> bool:
        raw = self.values.get(key.lower())
        if raw is None:
            return default
        low = raw.strip().lower()
        if low in ("true", "yes", "1", "on"):
            return True
        if low in ("false", "no", "0", "off", ""):
            return False
        self.warn(f"{key}: {raw!r} is not TRUE or FALSE; taken as {default}")
        return default

    def number(self, key: str, default: int = 0) -> int:
        raw = self.values.get(key.lower())
        if raw is None or raw.strip() == "":
            return default
        try:
            return int(raw.strip(), 0)
        except ValueError:
            self.warn(f"{key}: {raw!r} is not a number; taken as {default}")
            return default

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append("more problems not listed")

    def prefixed(self, prefix: str) -> dict[str, str]:
        p = prefix.lower()
        return {k: v for k, v in self.values.items() if k.startswith(p)}


def _unescape(value: str) -> str:
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), value)


def decode_config(data: bytes, path: str) -> str:
    """Bytes of a config file → text, honouring its ``.encoding`` line (UTF-8 when absent)."""
    if len(data) > MAX_CONFIG_BYTES:
        raise InputError(f"file is larger than {MAX_CONFIG_BYTES} bytes; a VMware configuration file is far smaller",
                         path=path,
                         fix="Check that you chose the .vmx file, not a disk or memory file.")
    if b"\x00" in data[:4096]:
        raise InputError("this is a binary file, not a VMware configuration file", path=path,
                         fix="Choose the .vmx file of the VM (a small text file).")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    encoding = "utf-8"  # also for a name that is unknown or not a text encoding ("rot13", "hex")
    m = re.search(rb'^\s*\.encoding\s*=\s*"?([A-Za-z0-9_\-]+)"?', data[:8192], re.MULTILINE)
    if m:
        encoding = text_encoding(m.group(1).decode("ascii")) or encoding
    try:
        return data.decode(encoding)
    except UnicodeError:  # UnicodeDecodeError, and what codecs such as idna raise for text they refuse
        # old Windows hosts wrote windows-1252 while claiming nothing; keep going rather than fail
        return data.decode("cp1252", errors="replace")


def parse_dictionary(text: str) -> VmxDict:
    """Parse the key/value text. Unknown or damaged lines become warnings; the last duplicate wins."""
    result = VmxDict()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key or not _KEY_RE.match(key):
            result.warn(f"line {number}: ignored, not a 'key = \"value\"' line: {line[:60]!r}")
            continue
        value = value.strip()
        if value.startswith('"'):
            end = value.find('"', 1)
            if end < 0:
                result.warn(f"line {number}: value of {key} has no closing quote; read to the end of the line")
                value = value[1:]
            else:
                tail = value[end + 1:].strip()
                if tail and not tail.startswith("#"):
                    result.warn(f"line {number}: text after the value of {key} ignored")
                value = value[1:end]
        else:
            value = value.split("#", 1)[0].strip()
        result.values[key.lower()] = _unescape(value)
    return result


def read_dictionary_file(path: str, root: str | None = None) -> VmxDict:
    """Read and parse a ``.vmx``/``.vmsd`` file; :class:`InputError` when it cannot be read at all, and
    :class:`~wizard.core.errors.UnsafeFileError` when it is not a regular file (inside ``root`` when given;
    see :mod:`wizard.core.files`)."""
    try:
        with open(open_regular(path, root), "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    return parse_dictionary(decode_config(data, path))


def as_int(text: str, default: int = 0, max_digits: int = 9) -> int:
    """``text`` as a non-negative ASCII decimal of at most ``max_digits`` digits, else ``default``."""
    t = text.strip()
    return int(t) if re.fullmatch(rf"[0-9]{{1,{max_digits}}}", t) else default


def uuid_from_vmx(value: str) -> str:
    """``56 4d 12 34 ... 9a-bc ...`` (VMware's spaced hex) → ``564d1234-....`` ("" when malformed)."""
    digits = re.sub(r"[\s\-]", "", value)
    if not re.fullmatch(r"[0-9A-Fa-f]{32}", digits):
        return ""
    d = digits.lower()
    return f"{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:]}"


def mac_from_vmx(value: str) -> str:
    """``00:0C:29:AB:CD:EF`` / ``00-0c-29-ab-cd-ef`` / ``000c29abcdef`` → ``00:0c:29:ab:cd:ef`` ("" if bad)."""
    digits = re.sub(r"[\s:\-.]", "", value)
    if not re.fullmatch(r"[0-9A-Fa-f]{12}", digits):
        return ""
    d = digits.lower()
    return ":".join(d[i:i + 2] for i in range(0, 12, 2))
