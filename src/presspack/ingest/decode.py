"""Bytes to text: BOMs, strict UTF-8, then detection."""

from __future__ import annotations

import codecs

from presspack.errors import InputRejected

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode `data`; return (text, encoding used). Raise InputRejected for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise InputRejected(f"invalid {enc} data after a byte-order mark") from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        # NUL padding at the end, or a few stray NULs in text (export glitches): dropped
        body = data.rstrip(b"\x00")
        nuls = body.count(b"\x00")
        if nuls * 1000 > len(body):
            raise InputRejected("binary data (contains NUL bytes)")
        text, enc = decode_bytes(body.replace(b"\x00", b""))
        return text, f"{enc} ({len(data) - len(body) + nuls} NUL byte(s) removed)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Candidates: the detector's best guesses plus cp1252, the commonest legacy encoding
    # of Western news text, which the detector tends to confuse with other code pages.
    candidates: dict[str, str] = {}
    for m in list(from_bytes(data))[:4]:
        if m.encoding:
            candidates.setdefault(m.encoding, str(m))
    try:
        candidates.setdefault("cp1252", data.decode("cp1252"))
    except UnicodeDecodeError:
        pass
    if not candidates:
        raise InputRejected("undecodable bytes: not UTF-8 and no encoding could be detected")
    enc, text = min(candidates.items(), key=lambda kv: (_implausibility(kv[1]), kv[0] != "cp1252"))
    if _looks_binary(text):
        raise InputRejected("binary data (mostly control characters)")
    return text, enc


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: NUL bytes on one side of most code units."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 4 or len(data) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for enc, nul_side, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nul_side > 0.6 * half and other < 0.05 * half:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            return (None if _looks_binary(text) else (text, enc))
    return None


_COMMON = set("’‘“”–—…€£«»°•") | {chr(c) for c in range(0x20, 0x7F)} | set("\n\t\r")


def _implausibility(text: str) -> tuple[float, float]:
    """Lower is better: words mixing scripts or cases oddly, then rare characters."""
    sample = text[:20000]
    words = sample.split()
    odd = 0
    for w in words:
        letters = [c for c in w if c.isalpha()]
        if not letters:
            continue
        scripts = {_script(c) for c in letters}
        upper_inside = sum(1 for c in letters[1:] if c.isupper() and not c.isascii())
        if len(scripts) > 1 or upper_inside:
            odd += 1
    rare = sum(1 for c in sample if c not in _COMMON and not (c.isalpha() and c.isascii())) / max(len(sample), 1)
    return odd / max(len(words), 1), rare


def _script(c: str) -> str:
    o = ord(c)
    if o < 0x250:
        return "latin"
    if 0x370 <= o < 0x400:
        return "greek"
    if 0x400 <= o < 0x530:
        return "cyrillic"
    return "other"


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    ctrl = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return ctrl / len(sample) > 0.05
