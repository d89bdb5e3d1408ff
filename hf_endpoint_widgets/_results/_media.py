"""Vectors and images."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from ._base import Bundle, InferenceResult, esc, table

if TYPE_CHECKING:
    import numpy as np


class FeatureExtractionResult(InferenceResult):
    """Embeddings: summarised on display, a numpy array in code."""

    kind = "feature-extraction"

    @property
    def array(self) -> np.ndarray[Any, Any]:
        """The vectors as a float numpy array."""
        import numpy as np

        return np.asarray(self.raw, dtype=float)

    def to_numpy(self) -> np.ndarray[Any, Any]:
        """The vectors as a float numpy array."""
        return self.array

    def _summary(self) -> tuple[str, str, str]:
        import numpy as np

        array = self.array
        norm = float(np.linalg.norm(array.reshape(-1, array.shape[-1])[0]))
        head = ", ".join(f"{v:.4f}" for v in array.reshape(-1)[:5])
        return str(array.shape), f"{norm:.4f}", f"[{head}, ...]"

    def _plain(self) -> str:
        shape, norm, head = self._summary()
        return f"embedding: shape {shape}, norm {norm}, first values {head}"

    def _html(self) -> str:
        return table(
            ["shape", "norm (first vector)", "first values"],
            [[esc(v) for v in self._summary()]],
        )

    def _records(self) -> Any:
        return self.array.reshape(-1, self.array.shape[-1])


class ImageResult(InferenceResult):
    """A generated image, shown as ``image/png`` (or JPEG)."""

    kind = "image"

    @property
    def mime(self) -> str:
        """The image's MIME type, from its first bytes."""
        return "image/jpeg" if bytes(self.raw[:3]) == b"\xff\xd8\xff" else "image/png"

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
