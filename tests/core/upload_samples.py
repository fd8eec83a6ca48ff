"""Image bytes for upload tests: real small images, and headers of huge ones (no pixel data needed)."""

import io
import struct
import zlib

from PIL import Image


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (29, 93, 58)).save(buffer, "PNG")
    return buffer.getvalue()


def huge_png_header(width: int = 12_000, height: int = 12_000) -> bytes:
    """A PNG that announces width × height pixels in a few dozen bytes (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def oversized_photo(megabytes: int = 30) -> bytes:
    return png_bytes() + b"\x00" * (megabytes * 1024 * 1024)
