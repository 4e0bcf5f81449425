"""Every PowerShell script hvmigrate ships or generates parses cleanly with the tree-sitter PowerShell grammar.

PowerShell itself cannot run here (no pwsh in Debian): this parse, the cmdlet table test and the WinRM
stand-in are the evidence that the scripts are well-formed.
"""

from __future__ import annotations

import base64

import pytest

from tests.unit.targets.psparse import syntax_problems
from wizard.core.resources import resource_path
from wizard.targets import powershell

SCRIPTS = sorted(resource_path("powershell").glob("*.ps1"))


def test_every_known_script_is_shipped():
    shipped = {p.name for p in SCRIPTS}
    assert set(powershell.SCRIPTS.values()) <= shipped


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_static_script_parses_without_errors(path):
    text = path.read_text(encoding="utf-8")
    assert syntax_problems(text) == []
    assert powershell.script_marker(text), "each script names itself for the stand-in and the logs"


@pytest.mark.parametrize("script", sorted(powershell.SCRIPTS))
def test_generated_invocation_parses(script):
    """The -EncodedCommand text (the bootstrap) decodes to a clean script; stdin holds only base64."""
    inv = powershell.build_invocation(script, {"name": "x'; Stop-Computer; '"})
    encoded = inv.arguments[-1]
    assert len(inv.command_line()) < 8000, "cmd.exe's 8,191-character command-line limit"
    bootstrap = base64.b64decode(encoded).decode("utf-16-le")
    assert syntax_problems(bootstrap) == []
    text, data = powershell.decode_stdin(inv.stdin)
    assert syntax_problems(text) == []
    assert data == {"name": "x'; Stop-Computer; '"}


def test_grammar_catches_a_broken_script():
    """The check has teeth: an unclosed block and a dangling here-string are reported."""
    assert syntax_problems("if ($a) { Write-Output 'x'\n")
    assert syntax_problems("$x = @'\nnever closed\n")
