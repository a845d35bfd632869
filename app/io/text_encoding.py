"""Find the encoding of a text export the way spreadsheets and email tools write them.

Order: a byte-order mark (UTF-8, or UTF-16 as Excel's "Unicode Text" writes it), then strict
UTF-8, then the Windows code pages for text whose accented letters stand alone among ASCII (the
shape of Western and Central European text), then charset-normalizer. charset-normalizer alone
calls a Western-European export "cp1250" (turning ñ into ń, è into č) or, for a short list, even
Big5; between cp1252 and cp1250 the one yielding more letters of its language family wins.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WESTERN = set("àâäáãåçéèêëíìîïñóòôöõøúùûüýÿæœßÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØÚÙÛÜÝŸÆŒ€")
_CENTRAL = set("ąćęłńśźżčďěňřšťůžĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽőűŐŰ")
_SINGLE_BYTE_FAMILY = {"cp1250", "cp1252", "latin_1", "iso8859_1", "iso8859_2", "iso8859_15",
                       "mac_roman", "mac_latin2", "cp850", "cp1257"}  # fmt: skip
SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class DetectedEncoding:
    name: str  # a Python codec name that round-trips the file (BOM included)
    bom: bool


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _western_or_central(data: bytes) -> str | None:
    """cp1252 or cp1250, by which turns the bytes into more plausible letters."""
    scores = {}
    for encoding, family in (("cp1252", _WESTERN), ("cp1250", _CENTRAL)):
        text = _decodes(data, encoding)
        if text is not None:
            scores[encoding] = sum(ch in family for ch in text)
    if not scores:
        return None
    return max(scores, key=lambda e: (scores[e], e == "cp1252"))


def _isolated_high_bytes(data: bytes) -> bool:
    """True when almost every byte ≥ 0x80 stands alone between ASCII characters.

    That is the shape of Western European text in a single-byte code page ("Th\xe9r\xe8se"):
    accented letters scattered among ASCII. East-Asian multi-byte encodings, and Cyrillic or Greek
    code pages, put high bytes next to each other.
    """
    high = isolated = 0
    previous_high = False
    for index, byte in enumerate(data):
        if byte >= 0x80:
            high += 1
            following = data[index + 1] if index + 1 < len(data) else 0x20
            isolated += not previous_high and following < 0x80
            previous_high = True
        else:
            previous_high = False
    return high > 0 and isolated >= 0.8 * high


def detect_encoding(sample: bytes, complete: bool = False) -> DetectedEncoding:
    """`sample` is the file's first bytes (`complete` when it is the whole file)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return DetectedEncoding(name, True)
    try:
        sample.decode("utf-8")
        return DetectedEncoding("utf-8", False)
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return DetectedEncoding("utf-8", False)  # the sample cut a character in two
    western = _western_or_central(sample)
    if western and _isolated_high_bytes(sample[:65536]):
        return DetectedEncoding(western, False)
    from charset_normalizer import from_bytes  # heavy: only for files that are not UTF-8

    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else None
    if guess is None or guess in _SINGLE_BYTE_FAMILY:
        return DetectedEncoding(western or guess or "cp1252", False)
    return DetectedEncoding(guess, False)


WINDOWS_FALLBACK = "bounce-cleaner-cp1252"


def _windows_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode a byte that is not valid UTF-8 as Windows-1252 (Latin-1 where 1252 has a hole).

    Used where a file is read as a stream and cannot be restarted: a UTF-8 export with one line
    pasted from an old Windows file keeps every other character right.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error(WINDOWS_FALLBACK, _windows_fallback)
