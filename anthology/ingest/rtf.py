"""RTF as pandoc reads it well: every non-ASCII letter written as Unicode."""

from __future__ import annotations

import re


_RTF_CHARACTER = re.compile(rb"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}\s])?|\\'([0-9a-fA-F]{2})")
_RTF_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def rtf_as_unicode(raw: bytes) -> str:
    """The RTF with every non-ASCII letter written ``\\uN\\'3f``: 8-bit ``\\'xx`` letters decoded by
    the file's code page (``\\ansicpg1251``), and Unicode letters given the fallback pandoc reads well."""
    found = _RTF_CODEPAGE.search(raw[:2000])
    codepage = f"cp{found.group(1).decode()}" if found else "cp1252"

    def letter(match: re.Match) -> bytes:
        if match.group(1) is not None:
            return b"\\u" + match.group(1) + b"\\'3f"
        try:
            char = bytes([int(match.group(2), 16)]).decode(codepage)
        except (UnicodeDecodeError, LookupError):
            return match.group(0)
        code = ord(char)
        return f"\\u{code if code < 32768 else code - 65536}\\'3f".encode("ascii")

    return _RTF_CHARACTER.sub(letter, raw).decode("ascii", errors="replace")
