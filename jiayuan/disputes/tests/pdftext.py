"""The text of a reportlab PDF drawn in STSong-Light (UniGB-UCS2-H: two bytes per character),
read without any PDF tool: page streams are ASCII85 + Flate, strings are PDF literals."""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_LITERAL = re.compile(rb"\(((?:[^()\\]|\\.|\\[0-7]{1,3})*)\)\s*Tj", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    def one(m):
        e = m.group(1)
        if e[:1].isdigit():
            return bytes([int(e, 8)])
        return _SIMPLE.get(e, e)
    return _ESCAPE.sub(one, raw)


def pdf_text(pdf: bytes) -> str:
    out = []
    for m in _STREAM.finditer(pdf):
        raw = m.group(1).strip()
        try:
            raw = zlib.decompress(base64.a85decode(raw[:-2]) if raw.endswith(b"~>") else raw)
        except (ValueError, zlib.error):
            continue
        for s in _LITERAL.finditer(raw):
            data = _unescape(s.group(1))
            try:
                out.append(data.decode("utf-16-be"))
            except UnicodeDecodeError:
                out.append(data.decode("latin-1"))
    return "".join(out)
