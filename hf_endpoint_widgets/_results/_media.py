"""Vectors and images."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from .._media_types import image_type
from ._base import Bundle, InferenceResult, esc, table

if TYPE_CHECKING:
    import numpy as np


class FeatureExtractionResult(InferenceResult):
    """Embeddings: summarised on display, a numpy array in code
    (``np.asarray(result)``)."""

    kind = "feature-extraction"

    @property
    def array(self) -> np.ndarray[Any, Any]:
        """The vectors as a float numpy array.

        Raises
        ------
        ValueError
            The vectors have different lengths (token embeddings of several
            texts): use :attr:`vectors`.
        """
        import numpy as np

        try:
            return np.asarray(self.raw, dtype=float)
        except ValueError:
            lengths = sorted({len(vector) for vector in self.vectors})
            raise ValueError(
                f"The vectors have different lengths ({', '.join(map(str, lengths))})"
                ", so they make no array: use result.vectors, a list of arrays."
            ) from None

    @property
    def vectors(self) -> list[np.ndarray[Any, Any]]:
        """Every innermost vector as its own float array (works for ragged
        answers too)."""
        import numpy as np

        return [np.asarray(vector, dtype=float) for vector in _innermost(self.raw)]

    def to_numpy(self) -> np.ndarray[Any, Any]:
        """The vectors as a float numpy array."""
        return self.array

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Any:
        array = self.array
        return array if dtype is None else array.astype(dtype)

    def _summary(self) -> tuple[str, str, str]:
        import numpy as np

        vectors = self.vectors
        lengths = sorted({len(vector) for vector in vectors})
        if len(lengths) > 1:
            shape = f"{len(vectors)} vectors of {lengths[0]} to {lengths[-1]} values"
        else:
            shape = str(self.array.shape)
        first = vectors[0] if vectors else np.zeros(0)
        head = ", ".join(f"{v:.4f}" for v in first[:5])
        return shape, f"{float(np.linalg.norm(first)):.4f}", f"[{head}, ...]"

    def _plain(self) -> str:
        shape, norm, head = self._summary()
        return f"embedding: shape {shape}, norm {norm}, first values {head}"

    def _html(self) -> str:
        return table(
            ["shape", "norm (first vector)", "first values"],
            [[esc(v) for v in self._summary()]],
        )

    def _records(self) -> Any:
        try:
            array = self.array
        except ValueError:  # ragged: one row per vector, shorter ones end in NaN
            return [dict(enumerate(vector.tolist())) for vector in self.vectors]
        return array.reshape(-1, array.shape[-1])


def _innermost(raw: Any) -> list[list[Any]]:
    """The lists of numbers inside nested lists, in order."""
    if not isinstance(raw, list):
        return []
    if not raw or not isinstance(raw[0], list):
        return [raw]
    return [vector for item in raw for vector in _innermost(item)]


class ImageResult(InferenceResult):
    """A generated image, shown as ``image/png`` (or JPEG)."""

    kind = "image"

    @property
    def mime(self) -> str:
        """The image's MIME type: the answer's ``content-type``, else read from its
        first bytes (PNG when unknown)."""
        return image_type(self.raw, self.content_type) or "image/png"

    @property
    def size(self) -> tuple[int, int] | None:
        """``(width, height)`` of a PNG, read from its header."""
        data = bytes(self.raw)
        if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
            return None
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)

    def _plain(self) -> str:
        size = f", {self.size[0]}x{self.size[1]}" if self.size else ""
        return f"<{self.mime}{size}, {len(self.raw) / 1024:.1f} kB>"

    def _rich(self) -> Bundle:
        return {self.mime: bytes(self.raw)}

    def _html(self) -> str:
        import base64

        data = base64.b64encode(bytes(self.raw)).decode()
        return f'<img src="data:{self.mime};base64,{data}"/>'

    def save(self, path: str) -> None:
        """Write the image to ``path``."""
        with open(path, "wb") as file:
            file.write(bytes(self.raw))

    def to_pil(self) -> Any:
        """The image as a ``PIL.Image`` (needs Pillow)."""
        import io

        from PIL import Image

        return Image.open(io.BytesIO(bytes(self.raw)))
