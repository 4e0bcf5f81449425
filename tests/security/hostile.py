"""Hostile values for names that flow from a source (VM, NIC, switch, disk, notes, guest data) into
PowerShell, file names, HTML, CSV and the UI."""

from __future__ import annotations

HOSTILE = [
    "x'; Stop-Computer -Force; '",
    'x"; Stop-Computer -Force; "',
    "x` Stop-Computer",
    "$(Stop-Computer -Force)",
    "$env:COMPUTERNAME",
    "a; Remove-Item C:\\ -Recurse",
    "a | Out-File C:\\pwned.txt",
    "line1\nStop-Computer",
    "line1\r\nStop-Computer",
    "cr\ronly",
    "nul\x00byte",
    "\u2018; Stop-Computer; \u2019",  # Unicode single quotes: PowerShell treats them as quotes
    "\u201c$(Stop-Computer)\u201d",  # Unicode double quotes
    "\u2013Force \u2014WhatIf",  # en/em dash: PowerShell reads them as parameter dashes
    "\\\\?\\C:\\Windows\\System32",
    "..\\..\\..\\Windows\\System32",
    "../../../../etc/passwd",
    "C:\\Windows",
    "CON",
    "nul.txt",
    "COM1",
    "LPT\u00b9",
    "web*",
    "web?[0-9]",
    "x" * 300,
    "\u202egnp.exe",  # right-to-left override
    "   ",
    "...",
    " . . ",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "[hvmigrate: incomplete]",
    "[hvmigrate-id:0123456789abcdef0123]",
    "\uff04(Stop-Computer)",  # fullwidth dollar sign
]
