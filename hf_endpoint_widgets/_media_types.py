"""Media types of binary payloads and answers, read from their first bytes."""

from __future__ import annotations

# Images a page can show from a data URL; any other declared type is not trusted.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})

_SIGNATURES = (
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"fLaC", "audio/flac"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
)


def sniff(data: bytes | bytearray) -> str | None:
    """The media type that the first bytes of ``data`` show, or None.

    Examples
    --------
    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n...")
    'image/png'
    """
    head = bytes(data[:12])
    if head[:4] == b"RIFF":
        return {b"WEBP": "image/webp", b"WAVE": "audio/wav"}.get(head[8:12])
    return next((kind for sig, kind in _SIGNATURES if head.startswith(sig)), None)


def image_type(data: bytes | bytearray, content_type: str | None = None) -> str | None:
    """The image type of an answer, None when it is not an image.

    A declared ``content_type`` is used only when it is one of :data:`IMAGE_TYPES`;
    a missing, generic or unknown image type is read from the bytes.
    """
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared in IMAGE_TYPES:
        return declared
    generic = ("", "application/octet-stream")
    if declared not in generic and not declared.startswith("image/"):
        return None
    found = sniff(data)
    return found if found in IMAGE_TYPES else None
