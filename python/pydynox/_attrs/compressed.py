"""`CompressedAttribute`: large text stored compressed, readable by pydynox 0.21.0.

The stored form is `ZSTD:`, `LZ4:` or `GZIP:` followed by base64 of the compressed bytes;
values too small or too random to gain are stored as plain text. The work (compression
and base64) runs in Rust, with the GIL released for large values.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Any

from pydynox._attrs._core import compress_value, decompress_value
from pydynox.attributes import Attribute

__all__ = ["CompressedAttribute", "CompressionAlgorithm"]


class CompressionAlgorithm(IntEnum):
    """How `CompressedAttribute` compresses.

    Members compare and convert as 0.21.0's do (`int(CompressionAlgorithm.Lz4) == 1`,
    `str()` gives `CompressionAlgorithm.Lz4`); being an `IntEnum`, the class also iterates
    over its members and looks them up by name (`CompressionAlgorithm["Gzip"]`)."""

    Zstd = 0
    """Best ratio (level 1-22, default 3). The default."""
    Lz4 = 1
    """Fastest (no levels)."""
    Gzip = 2
    """Widely readable (level 0-9, default 6)."""

    __str__ = Enum.__str__  # `CompressionAlgorithm.Zstd`, as 0.21.0 prints it (IntEnum's is "0")

    @property
    def codec(self) -> str:
        """The codec's name the Rust core takes (`zstd`, `lz4`, `gzip`)."""
        return self.name.lower()


class CompressedAttribute(Attribute[str]):
    """Text stored compressed (S).

    Args:
        algorithm: `CompressionAlgorithm` (default Zstd).
        level: Compression level of the algorithm (zstd 1-22, gzip 0-9; lz4 ignores it).
        min_size: Values shorter than this many UTF-8 bytes are stored plain.
        threshold: Compress only when the result is smaller than this fraction of the
            original (0.9: at least 10% smaller); otherwise store plain.
        hash_key, range_key, default, null: as for every attribute. A compressed key
            is possible but rarely useful: the stored form is what DynamoDB compares.
    """

    attr_type = "S"
    converts = True
    _expected = "a string"

    def __init__(
        self,
        algorithm: CompressionAlgorithm | None = None,
        level: int | None = None,
        min_size: int = 100,
        threshold: float = 0.9,
        hash_key: bool = False,
        range_key: bool = False,
        default: str | None = None,
        null: bool = True,
    ) -> None:
        if algorithm is not None and not isinstance(algorithm, CompressionAlgorithm):
            raise TypeError(f"CompressedAttribute: algorithm must be a CompressionAlgorithm, got {algorithm!r}")
        if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
            raise TypeError(f"CompressedAttribute: level must be an int or None, got {level!r}")
        if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 0:
            raise ValueError(f"CompressedAttribute: min_size must be a non-negative int, got {min_size!r}")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
            raise ValueError(f"CompressedAttribute: threshold must be a number in (0, 1], got {threshold!r}")
        self.algorithm = algorithm
        self.level = level
        self.min_size = min_size
        self.threshold = float(threshold)
        # Checks the level now, not at the first save.
        compress_value("", self._algorithm_name, level, 1, self.threshold)
        super().__init__(hash_key=hash_key, range_key=range_key, default=default, null=null)

    @property
    def _algorithm_name(self) -> str:
        return (self.algorithm if self.algorithm is not None else CompressionAlgorithm.Zstd).codec

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, str):
            raise self._wrong_type(value, where)

    def serialize(self, value: str | None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong_type(value, self.qualified_name)
        return str(
            compress_value(value, self._algorithm_name, self.level, self.min_size, self.threshold)
        )

    def deserialize(self, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            # Written by someone else as another type: give it back as text, as 0.21.0 did.
            return str(value)
        try:
            return str(decompress_value(value))
        except ValueError as error:
            raise ValueError(f"{self.qualified_name}: {error}") from None
