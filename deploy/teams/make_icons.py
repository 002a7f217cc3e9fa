"""Draw the Teams app icons with the standard library: `python deploy/teams/make_icons.py`.

Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on a transparent
background. Both show the same glyph, an arrow curving back on itself (the grade going back to
the SIS), drawn from a few shapes and smoothed by 4x4 supersampling.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x1F, 0x5F, 0xA8)  # the manifest's accentColor, #1F5FA8
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4


def _in_glyph(x: float, y: float) -> bool:
    """The glyph on a unit square (0..1, y down): a half ring with an arrow head on its left."""
    cx, cy = 0.54, 0.56
    r = math.hypot(x - cx, y - cy)
    if 0.17 <= r <= 0.29 and (y <= cy or x >= cx):
        # the top half of the ring, and its lower right quarter, stopping at a flat end
        return y <= cy or (x >= cx and y <= cy + 0.24)
    # the arrow head, pointing down at the ring's left end
    tip_x, tip_y, half, top = 0.31, 0.78, 0.15, 0.54
    if top <= y <= tip_y:
        width = half * (tip_y - y) / (tip_y - top)
        return abs(x - tip_x) <= width
    return False


def _coverage(size: int, px: int, py: int, margin: float) -> float:
    inside = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            u = (px + (sx + 0.5) / SAMPLES) / size
            v = (py + (sy + 0.5) / SAMPLES) / size
            u = (u - margin) / (1 - 2 * margin)
            v = (v - margin) / (1 - 2 * margin)
            inside += _in_glyph(u, v)
    return inside / (SAMPLES * SAMPLES)


def _png(size: int, pixels: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    raw = b"".join(b"\x00" + row for row in pixels)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def color_icon(size: int = 192) -> bytes:
    """The glyph in white on the accent colour, edge to edge (Teams rounds the corners)."""
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            a = _coverage(size, px, py, margin=0.12)
            row += bytes(round(c * (1 - a) + w * a) for c, w in zip(ACCENT, WHITE, strict=True))
            row.append(0xFF)
        rows.append(bytes(row))
    return _png(size, rows)


def outline_icon(size: int = 32) -> bytes:
    """The glyph in white; everything else fully transparent."""
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            alpha = round(255 * _coverage(size, px, py, margin=0.02))
            row += bytes((*WHITE, alpha)) if alpha else b"\x00\x00\x00\x00"
        rows.append(bytes(row))
    return _png(size, rows)


def main() -> int:
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
