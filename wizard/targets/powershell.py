"""The project's PowerShell: static scripts in ``resources/powershell/`` run with settings passed as data.

Contract (the injection rule): a script's text never depends on user values. Every value (VM name, switch,
path, password) travels as JSON, base64-encoded UTF-8, and reaches the script only as the string value of
its ``-Settings`` parameter (or, in a bundle, as ``manifest.json`` read with ``ConvertFrom-Json``).

How a script is sent over WinRM (chosen here, see :func:`build_invocation`): ``powershell.exe`` runs a
small fixed *bootstrap* (``Bootstrap.ps1``) as ``-EncodedCommand`` (UTF-16LE base64, ~1.6 KB, far below
cmd.exe's 8,191-character command-line limit whatever the scripts grow to). The script itself and its
settings then go through the WinRM shell's **stdin** as two base64 words; the bootstrap reads them with
``$input``, builds a ScriptBlock from the (static) script text and invokes it with ``-Settings``. So the
command line is the same bytes for every VM, no temporary file is left on the host, and large scripts need
no chunked writes.

Results: scripts print a last line ``HVMIGRATE-RESULT:<base64 UTF-8 JSON>`` (base64 so that the console
code page cannot mangle non-ASCII names); :func:`parse_result` finds it. Errors PowerShell itself writes to
stderr come as CLIXML; :func:`clixml_to_text` turns them into readable text.

PowerShell cannot run on the machines that build and test hvmigrate (no pwsh in Debian): the evidence
that these scripts are right is the grammar test (tree-sitter PowerShell), the cmdlet/parameter table
checked against Microsoft's documentation (``resources/hyperv_cmdlets.json``) and the WinRM stand-in.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.etree import ElementTree

from wizard.core.errors import TargetError
from wizard.core.resources import resource_path

SCRIPTS = {
    "bootstrap": "Bootstrap.ps1",
    "create_vm": "Create-VM.ps1",
    "host_inventory": "Get-HostInventory.ps1",
    "remove_vm": "Remove-VM.ps1",
    "start_vm": "Start-VM.ps1",
    "guest_fixups": "Invoke-GuestFixups.ps1",
}
RESULT_PREFIX = "HVMIGRATE-RESULT:"
POWERSHELL = "powershell.exe"
POWERSHELL_ARGS = ("-NoLogo", "-NoProfile", "-NonInteractive", "-EncodedCommand")
_MARKER = re.compile(r"^# hvmigrate-script: (\S+)", re.MULTILINE)


@cache
def load_script(name: str) -> str:
    """The text of one of :data:`SCRIPTS` (by key), as shipped in ``resources/powershell``."""
    try:
        file_name = SCRIPTS[name]
    except KeyError:
        raise ValueError(f"unknown script {name!r}") from None
    path = resource_path("powershell", file_name)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TargetError(f"hvmigrate's PowerShell script {file_name} is missing: {exc.strerror}",
                          fix="Reinstall hvmigrate.") from None


def script_marker(text: str) -> str:
    """The ``# hvmigrate-script: NAME`` marker of a script text ("" when absent)."""
    m = _MARKER.search(text)
    return m.group(1) if m else ""


def encode_data(data: Any) -> str:
    """JSON (UTF-8, non-ASCII kept) → base64 ASCII."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(raw).decode("ascii")


def decode_data(text: str) -> Any:
    return json.loads(base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8"))


def encode_command(script_text: str) -> str:
    """``-EncodedCommand`` form of a script: base64 of its UTF-16LE bytes."""
    return base64.b64encode(script_text.encode("utf-16-le")).decode("ascii")


@dataclass(frozen=True)
class Invocation:
    """What to send: run ``command`` with ``arguments`` in a WinRM shell, then write ``stdin`` and close it."""

    script: str  # key in SCRIPTS, for logs
    command: str
    arguments: tuple[str, ...]
    stdin: bytes

    def command_line(self) -> str:
        return " ".join((self.command, *self.arguments))


def build_invocation(script: str, data: Any) -> Invocation:
    """The WinRM invocation running ``script`` (a key of :data:`SCRIPTS`) with ``data`` as its settings.

    ``command``/``arguments`` are identical for every call (the fixed bootstrap); ``stdin`` holds only
    base64 text, so no value can appear anywhere outside base64.
    """
    bootstrap = encode_command(load_script("bootstrap"))
    body = base64.b64encode(load_script(script).encode("utf-8")).decode("ascii")
    stdin = f"{body}\r\n{encode_data(data)}\r\n".encode("ascii")
    return Invocation(script, POWERSHELL, (*POWERSHELL_ARGS, bootstrap), stdin)


def decode_stdin(stdin: bytes) -> tuple[str, Any]:
    """Inverse of :func:`build_invocation`'s stdin: ``(script text, data)`` (used by the test stand-in)."""
    words = stdin.decode("ascii").split()
    if len(words) != 2:
        raise ValueError(f"expected 2 base64 words on stdin, got {len(words)}")
    return base64.b64decode(words[0], validate=True).decode("utf-8"), decode_data(words[1])


def parse_result(stdout: str) -> dict[str, Any] | None:
    """The script's ``HVMIGRATE-RESULT`` document (the last one), or None when it printed none."""
    found = None
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith(RESULT_PREFIX):
            found = line[len(RESULT_PREFIX):]
    if found is None:
        return None
    try:
        doc = decode_data(found)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise TargetError("The host's answer could not be read (damaged result line).",
                          details=stdout[-2000:]) from None
    if not isinstance(doc, dict):
        raise TargetError("The host's answer could not be read (not a JSON object).", details=stdout[-2000:])
    return doc


_POSITION_LINE = re.compile(r"^(At line:\d+|At .+:\d+ char:\d+$|\+ )")
_CLIXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_clixml(text: str) -> str:
    return _CLIXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clixml_to_text(stderr: str) -> str:
    """Readable text from PowerShell's stderr, which is ``#< CLIXML`` + ``<Objs>`` when it comes from a
    remote/redirected host. Only the ``Error`` stream entries are kept; plain text is returned as is."""
    text = stderr.strip()
    if not text.startswith("#< CLIXML"):
        return text
    lines: list[str] = []
    for chunk in re.findall(r"<Objs\b.*?</Objs>", text, flags=re.DOTALL):
        try:
            root = ElementTree.fromstring(chunk)
        except ElementTree.ParseError:
            continue
        for node in root.iter():
            if node.tag.endswith("}S") and node.get("S") == "Error" and node.text:
                lines.append(_unescape_clixml(node.text))
    joined = "".join(lines).replace("\r\n", "\n").strip()
    return joined or text


def first_error_line(text: str) -> str:
    """The cmdlet's own message: the first non-empty line of an error record's text, without the
    ``At line:... char:...`` position lines PowerShell appends."""
    for line in text.splitlines():
        line = line.strip()
        if line and not _POSITION_LINE.match(line):
            return line
    return text.strip()
