"""Cleaning text that comes from outside before it is stored, shown or logged."""
import unicodedata

# control (Cc), format (Cf: incl. the bidi overrides U+202E etc. and zero-width characters),
# line and paragraph separators (Zl, Zp)
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def strip_invisible(text: str) -> str:
    """Drop characters that are invisible or reorder text when shown (an "invtxt.jpg" that is
    really "inv\u202egpj.txt"), or that could forge a line in a log."""
    return "".join(c for c in unicodedata.normalize("NFC", text or "")
                   if unicodedata.category(c) not in _INVISIBLE)
