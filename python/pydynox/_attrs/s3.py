"""`S3Attribute`: a file kept in S3, with its metadata (bucket, key, size, etag, content
type, version id, user metadata) stored in the item as a map, in 0.21.0's layout.

`S3File` is what you assign (bytes, or a path streamed from disk); `S3Value` is what an
item holds once uploaded, with `get_bytes`, `save_to` and `presigned_url`. These and
`S3Attribute.upload_to_s3` / `delete_from_s3`, with their `async_` twins, are generated from
spec/model.yaml around the cores in `pydynox._attrs.s3_io`. The S3 client takes the
credentials chain and endpoint of the model's DynamoDB client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydynox._attrs._core import s3_for_client
from pydynox._attrs._service import client_of_owner
from pydynox._model.steps import Services, Step
from pydynox._generated.model_ops import S3AttributeOperations, S3ValueOperations
from pydynox.attributes import Attribute
from pydynox.pydynox_core import S3AttributeException, S3Metadata, S3Operations

__all__ = ["S3Attribute", "S3File", "S3Value"]


class S3File:
    """A file to upload through an `S3Attribute`.

    Args:
        data: The content as bytes, or a `Path` to a file (streamed from disk at upload,
            never read whole into memory).
        name: The file name, last part of the object key (default: the path's name;
            required for bytes).
        content_type: MIME type stored with the object.
        metadata: User-defined metadata (str -> str) stored with the object.
    """

    def __init__(
        self,
        data: bytes | Path,
        name: str | None = None,
        content_type: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        if isinstance(data, Path):
            if not data.is_file():
                raise ValueError(f"S3File: {str(data)!r} is not a file")
            self._path: Path | None = data
            self._data: bytes | None = None
            name = name or data.name
        elif isinstance(data, (bytes, bytearray, memoryview)):
            if name is None:
                raise ValueError("S3File: name is required when data is bytes")
            self._path = None
            self._data = bytes(data)
        else:
            raise TypeError(f"S3File: data must be bytes or a pathlib.Path, got {type(data).__name__}")
        if not name or "/" in name:
            raise ValueError(f"S3File: name must be a non-empty file name without '/', got {name!r}")
        if metadata is not None and not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise TypeError("S3File: metadata must be a dict of str to str")
        self._name = name
        self._content_type = content_type
        self._metadata = metadata

    @property
    def data(self) -> bytes:
        """The content (read from disk on each access for a path)."""
        return self._data if self._data is not None else self._path.read_bytes()  # type: ignore[union-attr]

    @property
    def path(self) -> Path | None:
        """The file, when the content comes from disk."""
        return self._path

    @property
    def name(self) -> str:
        return self._name

    @property
    def content_type(self) -> str | None:
        return self._content_type

    @property
    def metadata(self) -> dict[str, str] | None:
        return self._metadata

    @property
    def size(self) -> int:
        return len(self._data) if self._data is not None else self._path.stat().st_size  # type: ignore[union-attr]

    def __repr__(self) -> str:
        return f"S3File(name={self._name!r}, size={self.size})"


class S3Value(S3ValueOperations):
    """A file stored in S3, as an item holds it."""

    def __init__(
        self,
        bucket: str,
        key: str,
        size: int,
        etag: str,
        content_type: str | None,
        s3_ops: S3Operations | None,
        last_modified: str | None = None,
        version_id: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self._bucket = bucket
        self._key = key
        self._size = int(size)
        self._etag = etag
        self._content_type = content_type
        self._s3_ops = s3_ops
        self._last_modified = last_modified
        self._version_id = version_id
        self._metadata = metadata

    @classmethod
    def _from_metadata(cls, m: S3Metadata, s3_ops: S3Operations) -> S3Value:
        return cls(m.bucket, m.key, m.size, m.etag, m.content_type, s3_ops, m.last_modified, m.version_id, m.metadata)

    @property
    def bucket(self) -> str:
        """Bucket name."""
        return self._bucket

    @property
    def key(self) -> str:
        """Object key."""
        return self._key

    @property
    def size(self) -> int:
        """Size in bytes."""
        return self._size

    @property
    def etag(self) -> str:
        """S3's ETag."""
        return self._etag

    @property
    def content_type(self) -> str | None:
        """MIME type, when set."""
        return self._content_type

    @property
    def last_modified(self) -> str | None:
        """Last modification (ISO 8601), when known."""
        return self._last_modified

    @property
    def version_id(self) -> str | None:
        """Version id, when the bucket is versioned."""
        return self._version_id

    @property
    def metadata(self) -> dict[str, str] | None:
        """User-defined metadata, when any."""
        return self._metadata

    def _ops(self) -> S3Operations:
        if self._s3_ops is None:
            self._s3_ops = S3Operations()
        return self._s3_ops

    def _to_item(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"bucket": self._bucket, "key": self._key, "size": self._size, "etag": self._etag}
        for name in ("content_type", "last_modified", "version_id", "metadata"):
            value = getattr(self, f"_{name}")
            if value:
                stored[name] = value
        return stored

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, S3Value):
            return NotImplemented
        return self._to_item() == other._to_item()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"S3Value(bucket={self._bucket!r}, key={self._key!r}, size={self._size})"


class S3Attribute(Attribute["S3Value | None"], S3AttributeOperations):
    """A file in S3 (stored in the item as a map of its metadata, M).

    Args:
        bucket: Bucket name.
        prefix: Key prefix; the object key is `<prefix><hash key>[/<range key>]/<file name>`,
            with `#` in key values turned into `/`.
        region: S3 region when it differs from the model's client.
        default, null: as for every attribute. An S3Attribute is never a key.
    """

    attr_type = "M"
    converts = True
    _expected = "an S3File or S3Value"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        region: str | None = None,
        hash_key: bool = False,
        range_key: bool = False,
        default: S3Value | None = None,
        null: bool = True,
    ) -> None:
        if hash_key or range_key:
            raise ValueError("S3Attribute cannot be a hash_key or range_key")
        if not isinstance(bucket, str) or not bucket:
            raise ValueError(f"S3Attribute: bucket must be a non-empty string, got {bucket!r}")
        super().__init__(default=default, null=null)
        self.bucket = bucket
        self.prefix = prefix.rstrip("/") + "/" if prefix else ""
        self.region = region
        self._owner: type | None = None
        self._s3_ops: S3Operations | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        super().__set_name__(owner, name)
        if self._owner is None:
            self._owner = owner

    def _get_s3_ops(self, client: Any = None) -> S3Operations:
        if self._s3_ops is None:
            client = client if client is not None else client_of_owner(self._owner)
            if client is not None:
                self._s3_ops = s3_for_client(client, self.region)
            else:
                self._s3_ops = S3Operations(region=self.region)
        return self._s3_ops

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, (S3File, S3Value)):
            raise self._wrong_type(value, where)

    def _generate_key(self, model_instance: Any) -> str:
        schema = getattr(type(model_instance), "_schema", None)
        parts = []
        for name in (getattr(schema, "hash_key", None), getattr(schema, "range_key", None)):
            if name:
                parts.append(str(getattr(model_instance, name, "")))
        return self.prefix + "/".join(parts).replace("#", "/").strip("/")

    def object_key(self, value: S3File, model_instance: Any) -> str:
        """Where `value` goes for this item."""
        return f"{self._generate_key(model_instance)}/{value.name}"

    def _stored_value(self, meta: S3Metadata, ops: S3Operations) -> S3Value:
        """What the item stores once `meta`'s object is uploaded."""
        return S3Value._from_metadata(meta, ops)

    # --- service steps of Model.save / Model.delete (pydynox._model.steps) -----------------

    def write_step(self, value: Any, model_instance: Any, client: Any, keep: Any, services: Services) -> Step | None:
        """The upload of an `S3File` before the item is written: the item stores the
        object's metadata and the instance takes the `S3Value` once the write succeeded;
        if anything up to the write fails, the object is removed again."""
        if not isinstance(value, S3File):
            return None

        def uploaded(answer: tuple[S3Value, Any]) -> None:
            keep(answer[0]._to_item(), answer[0])

        def undo(answer: tuple[S3Value, Any]) -> Step:
            return self._removal(answer[0], client, services)

        return Step(self, "upload_to_s3", {"value": value, "model_instance": model_instance, "client": client}, uploaded, undo=undo)

    def read_step(self, stored: Any, place: Any) -> None:
        """Nothing to do on reads: the item holds the metadata; the file is read on demand."""
        return None

    def delete_step(self, value: Any, client: Any, services: Services) -> Step | None:
        """The removal of the item's object once the item is deleted."""
        return self._removal(value, client, services) if isinstance(value, S3Value) else None

    def _removal(self, value: S3Value, client: Any, services: Services) -> Step:
        where = f"{self.qualified_name}'s object s3://{value.bucket}/{value.key}"
        return Step(self, "delete_from_s3", {"value": value, "client": client}, on_fail=services.orphaned(S3AttributeException, where), about=where)

    def serialize(self, value: Any) -> dict[str, Any] | None:
        if value is None:
            return None
        if isinstance(value, S3Value):
            return value._to_item()
        if isinstance(value, S3File):
            raise S3AttributeException(
                f"{self.qualified_name}: an S3File must be uploaded before the item is written "
                "(Model.save uploads it; elsewhere call upload_to_s3 first)"
            )
        raise self._wrong_type(value, self.qualified_name)

    def deserialize(self, value: Any) -> S3Value | None:
        if value is None:
            return None
        try:
            return S3Value(
                bucket=value["bucket"],
                key=value["key"],
                size=int(value["size"]),
                etag=value["etag"],
                content_type=value.get("content_type"),
                s3_ops=self._get_s3_ops(),
                last_modified=value.get("last_modified"),
                version_id=value.get("version_id"),
                metadata=value.get("metadata"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise S3AttributeException(f"{self.qualified_name}: stored value is not an S3 file's metadata: {error!r}") from None
