"""Text from sources, made safe to show to a person.

VM names, folders and server messages may hold characters that change how the text around them is shown:
bidirectional controls (U+202E makes ``gnp.exe`` read as ``exe.png``), zero-width characters, other
control characters. :func:`visible` shows each of them as a visible mark instead (``⟪U+202E⟫``), so what a
person reads is what the name holds. The command line escapes the same characters
(``wizard.commands._term.printable``).
"""

from __future__ import annotations

import unicodedata

_HIDDEN = ("Cc", "Cf", "Zl", "Zp")  # control, format (bidi, zero-width), line and paragraph separators


def visible(text: str) -> str:
    """``text`` with every control or format character shown as ``⟪U+XXXX⟫``; ordinary text is unchanged."""
    if text.isprintable():
        return text
    return "".join(f"⟪U+{ord(ch):04X}⟫" if unicodedata.category(ch) in _HIDDEN else ch for ch in text)
