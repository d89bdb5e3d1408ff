"""A tiny PNG writer (zlib + struct) and the deterministic text-to-image picture."""

from __future__ import annotations

import struct
import zlib

from ._text import rng

__all__ = ["encode_png", "picture"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_png(width: int, height: int, rgb: bytes) -> bytes:
    """Encode 8-bit RGB pixels (row-major, ``width * height * 3`` bytes) as PNG.

    Parameters
    ----------
    width, height : int
        Image size in pixels.
    rgb : bytes
        The pixels, three bytes each.

    Returns
    -------
    bytes
        A complete PNG file.
    """
    if len(rgb) != width * height * 3:
        raise ValueError("rgb must hold width * height * 3 bytes")
    stride = width * 3
    raw = b"".join(
        b"\x00" + rgb[row * stride : (row + 1) * stride] for row in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def picture(prompt: str, width: int = 64, height: int = 64) -> bytes:
    """A PNG for ``prompt``: a gradient sky and a sun, the same for the same prompt."""
    generator = rng("text-to-image", prompt)
    top = [generator.randrange(256) for _ in range(3)]
    bottom = [generator.randrange(256) for _ in range(3)]
    sun = [generator.randrange(128, 256) for _ in range(3)]
    cx, cy = generator.uniform(0.2, 0.8) * width, generator.uniform(0.2, 0.6) * height
    radius2 = (min(width, height) * generator.uniform(0.1, 0.25)) ** 2

    pixels = bytearray()
    for y in range(height):
        mix = y / max(height - 1, 1)
        row = bytes(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        for x in range(width):
            inside = (x - cx) ** 2 + (y - cy) ** 2 <= radius2
            pixels += bytes(sun) if inside else row
    return encode_png(width, height, bytes(pixels))
