"""Typed attribute descriptors: the schema of a model.

    class User(Model):
        model_config = ModelConfig(table="users")
        pk = StringAttribute(hash_key=True)
        age = NumberAttribute(default=0)
        tags = StringSetAttribute()

Accessed on the class, an attribute is itself: a path to build conditions and atomic
updates with (`User.age > 18`, `User.tags.add({"x"})`). Accessed on an instance, it is the
value (`user.age`). Values live in the instance's `__dict__` under the Python attribute
name; the descriptor defines no `__set__` at run time, so reading and writing a value costs
no Python call (type checkers are shown a `__set__` so assignments are checked).

Each attribute knows how its values are stored: `serialize` gives the plain Python value the
client sends, `deserialize` turns what the client returns back into the Python value. For
most types both are the identity (`converts = False`), so a model can copy stored values
as they are; Datetime, Enum, JSON and TTL convert (`converts = True`).
"""

from __future__ import annotations

import copy
import json
import math
import reprlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast, overload

from pydynox.conditions import Path, _PathOps
from pydynox.exceptions import ParamValidationException
from pydynox.generators import AutoGenerate, generate_value

__all__ = [
    "Attribute",
    "BinaryAttribute",
    "BinarySetAttribute",
    "BooleanAttribute",
    "DatetimeAttribute",
    "EnumAttribute",
    "ExpiresIn",
    "JSONAttribute",
    "ListAttribute",
    "MapAttribute",
    "NumberAttribute",
    "NumberSetAttribute",
    "StringAttribute",
    "StringSetAttribute",
    "TTLAttribute",
    "VersionAttribute",
]

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

# Short reprs of user values in error messages: a huge value must not flood a traceback.
_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60


def _show(value: object) -> str:
    return _repr.repr(value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _declared_by(cls: type, name: str) -> type | None:
    """The class in `cls`'s MRO whose own body defines `name`."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    return None


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, int):
        return True
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value)


class Attribute(_PathOps, Generic[T]):
    """Base of every attribute.

    Args:
        hash_key: This attribute is the table's partition key.
        range_key: This attribute is the table's sort key.
        default: The value of a new instance that was not given one: a value (mutable
            values are copied per instance), a callable returning it, or an
            `AutoGenerate` strategy (filled in by the model at the first save).
        null: Whether the attribute may be missing. Key attributes never may.
        name: The name stored in DynamoDB when it differs from the Python name.
    """

    attr_type: ClassVar[str] = "S"
    """The DynamoDB type stored: S, N, B, BOOL, L, M, SS, NS or BS."""

    converts: ClassVar[bool] = False
    """False when `serialize`/`deserialize` are the identity on valid values."""

    _expected: ClassVar[str] = "a value"
    """How messages describe a valid value ("a string", "a number", ...)."""

    _key_type: ClassVar[str | None] = None
    """"S", "N" or "B" when this attribute can be a table or index key."""

    _generates: ClassVar[frozenset[AutoGenerate]] = frozenset()
    """The AutoGenerate strategies whose values this attribute can hold."""

    _valid_as_is: ClassVar[frozenset[type]] = frozenset()
    """Exact types whose every value `_check` accepts, except an empty str or bytes for a
    key attribute: `validate` skips the check (and the `Model.attribute` label it would
    format) for them, and a model's save skips `validate`. Trusted only from the class that
    also defines `_check` (see `_trusted_types`)."""

    _stored_as_is: ClassVar[frozenset[type] | None] = None
    """Exact types whose values `serialize` returns unchanged; None: every type (the
    identity). Trusted only from the class that also defines `serialize`."""

    secret: ClassVar[bool] = False
    """True when values must not appear in reprs (a model's repr shows `<redacted>`)."""

    _fast_valid: frozenset[type] = frozenset()
    """`_trusted_types()`, kept per instance by `__init__` (empty for an attribute of a
    subclass that bypasses `Attribute.__init__`: every value is then checked)."""

    def __init__(
        self,
        hash_key: bool = False,
        range_key: bool = False,
        default: T | Callable[[], T] | AutoGenerate | None = None,
        null: bool = True,
        *,
        name: str | None = None,
    ) -> None:
        if hash_key and range_key:
            raise ValueError(f"{type(self).__name__}: an attribute is either hash_key or range_key, not both")
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"{type(self).__name__}: name must be a non-empty string, got {name!r}")
        self.hash_key = bool(hash_key)
        self.range_key = bool(range_key)
        self.default = default
        self.null = bool(null)
        self.attr_name = ""
        self.name = name or ""
        self.model_name: str | None = None
        self.key_type: str | None = self._key_type
        if (hash_key or range_key) and self.key_type is None:
            raise TypeError(f"{type(self).__name__} cannot be a key: keys are strings, numbers or binary")
        if isinstance(default, AutoGenerate) and default not in self._generates:
            fits = ", ".join(f"AutoGenerate.{s.name}" for s in AutoGenerate if s in self._generates) or "none"
            raise TypeError(f"{type(self).__name__} cannot hold AutoGenerate.{default.name} values (it takes: {fits})")
        if default is not None and not callable(default) and not isinstance(default, AutoGenerate):
            # A literal default of the wrong type would only fail at the first save.
            self._check(default, f"{type(self).__name__}(default=...)")
        self._fast_valid = self._trusted_types()

    # -- descriptor protocol --

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr_name = name
        if not self.name:
            self.name = name
        if self.model_name is None:
            self.model_name = owner.__name__

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> T: ...

    def __get__(self, instance: object, owner: type[Any] | None = None) -> Self | T:
        if instance is None:
            return self
        # Only reached when the instance holds no value: the instance __dict__ wins otherwise.
        return cast(T, instance.__dict__.get(self.attr_name))

    if TYPE_CHECKING:

        def __set__(self, instance: object, value: T | None) -> None: ...

    # -- identity --

    @property
    def qualified_name(self) -> str:
        """`Model.attr`, for messages."""
        return f"{self.model_name or type(self).__name__}.{self.attr_name or '?'}"

    @property
    def required(self) -> bool:
        """A missing value is an error (keys, and `null=False`)."""
        return self.hash_key or self.range_key or not self.null

    @property
    def auto_generate(self) -> AutoGenerate | None:
        """The AutoGenerate strategy given as default, if any."""
        return self.default if isinstance(self.default, AutoGenerate) else None

    @property
    def has_default(self) -> bool:
        """A new instance gets a value from `make_default()` (AutoGenerate does not count)."""
        return self.default is not None and not isinstance(self.default, AutoGenerate)

    def make_default(self) -> T | None:
        """The default for a new instance: called if callable, copied if mutable; None for
        AutoGenerate, whose value comes at save time (see `generate()`)."""
        default = self.default
        if default is None or isinstance(default, AutoGenerate):
            return None
        if callable(default):
            factory = cast("Callable[[], T]", default)  # type: ignore[redundant-cast]  # pyright needs it
            return factory()
        if isinstance(default, (list, dict, set, bytearray)):
            return cast(T, copy.deepcopy(default))
        return default

    def generate(self) -> T:
        """A fresh value from the AutoGenerate strategy, of this attribute's Python type;
        ValueError when there is none."""
        strategy = self.auto_generate
        if strategy is None:
            raise ValueError(f"{self.qualified_name}: has no AutoGenerate default")
        return cast(T, generate_value(strategy))

    # -- checking --

    def _where(self, model_name: str | None) -> str:
        if model_name is None:
            return self.qualified_name
        return f"{model_name}.{self.attr_name or '?'}"

    def validate(self, value: Any, model_name: str | None = None) -> None:
        """Raises when `value` cannot be stored here: ParamValidationException (a
        ValueError and, as DynamoDB's answer in pydynox 0.21.0, a ValidationException) for
        a missing required value, TypeError for a wrong type, ValueError for a bad value
        of the right type. Messages start with `Model.attribute:`."""
        if value is None:
            if self.required:
                kind = "key attribute" if (self.hash_key or self.range_key) else "attribute (null=False)"
                raise ParamValidationException(f"{self._where(model_name)}: is a required {kind} and has no value")
            return
        # A non-empty value of a type the check accepts whole needs no check, and no label:
        # the label is formatted only for a value that may fail. (Empty values always go
        # through `_check`: an empty string or bytes is not a valid key.)
        if value and type(value) in self._fast_valid:
            return
        self._check(value, self._where(model_name))

    def _trusted_types(self) -> frozenset[type]:
        """The exact types `validate` may accept without `_check` (non-empty values only):
        `_valid_as_is` when the class that declares it also declares `_check` and nothing
        below `Attribute` redefines `validate`; otherwise none, so a subclass that narrows
        `_check` (or replaces `validate`) is always asked."""
        cls = type(self)
        if _declared_by(cls, "validate") is not Attribute:
            return frozenset()
        if _declared_by(cls, "_check") is not _declared_by(cls, "_valid_as_is"):
            return frozenset()
        return self._valid_as_is

    def stored_as_is(self) -> frozenset[type] | None:
        """The exact types whose values `serialize` returns unchanged (None: every type),
        so a model can store them without the call; none when a subclass redefines
        `serialize` below the class that vouched for it."""
        cls = type(self)
        if _declared_by(cls, "serialize") is not _declared_by(cls, "_stored_as_is"):
            return frozenset()
        return self._stored_as_is

    def _check(self, value: Any, where: str) -> None:
        """Type/value check of a non-None value; subclasses override."""

    def _wrong_type(self, value: Any, where: str) -> TypeError:
        return TypeError(f"{where}: expected {self._expected}, got {_show(value)} ({type(value).__name__})")

    def serialize_operand(self, value: Any) -> Any:
        """A value used in a condition or update on this attribute: checked, then serialized."""
        if value is None:
            return None
        self._check(value, self.qualified_name)
        return self.serialize(value)

    def check_element(self, value: Any, action: str) -> None:
        """Checks the operand of `contains`: a substring or an element of this attribute."""
        if self.attr_type in ("N", "BOOL"):
            raise TypeError(f"{self.qualified_name}.{action}: needs a string, set or list attribute")

    # -- conversion --

    def serialize(self, value: T | None) -> Any:
        """The value as the client sends it (plain Python types). None stays None."""
        return value

    def deserialize(self, value: Any) -> T | None:
        """The Python value of what the client returned. None stays None."""
        return value  # type: ignore[no-any-return]

    # -- paths --

    def _identity(self) -> tuple[Any, ...]:
        # An attribute equals only itself, bound or not.
        return ("attribute", id(self))

    def _as_path(self) -> Path:
        if not self.name:
            raise TypeError(f"{type(self).__name__}: declare the attribute on a model class before building conditions")
        return Path((self.name,), self)

    def __repr__(self) -> str:
        flags = [flag for flag in ("hash_key", "range_key") if getattr(self, flag)]
        where = self.qualified_name if self.attr_name else "unbound"
        return f"<{type(self).__name__} {where}{' ' + ' '.join(flags) if flags else ''}>"


# --- scalars -------------------------------------------------------------------------------


class StringAttribute(Attribute[str]):
    """Text, stored as S."""

    attr_type = "S"
    _expected = "a string"
    _key_type = "S"
    _generates = frozenset({AutoGenerate.UUID4, AutoGenerate.ULID, AutoGenerate.KSUID, AutoGenerate.ISO8601})
    _valid_as_is = frozenset({str})

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, str):
            raise self._wrong_type(value, where)
        if not value and (self.hash_key or self.range_key):
            raise ValueError(f"{where}: a key attribute cannot be an empty string")

    def check_element(self, value: Any, action: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"{self.qualified_name}.{action}: expected a string, got {_show(value)}")


class NumberAttribute(Attribute[float]):
    """A number, stored as N. int stays int and Decimal stays Decimal (exact); float is
    accepted. bool is not a number here."""

    attr_type = "N"
    _expected = "a number"
    _key_type = "N"
    _generates = frozenset({AutoGenerate.EPOCH, AutoGenerate.EPOCH_MS})
    _valid_as_is = frozenset({int})  # a float or Decimal must also be finite

    def _check(self, value: Any, where: str) -> None:
        if not _is_number(value):
            raise self._wrong_type(value, where)
        if not _finite(value):
            raise ValueError(f"{where}: DynamoDB cannot store {value!r}")


class BinaryAttribute(Attribute[bytes]):
    """Bytes, stored as B."""

    attr_type = "B"
    _expected = "bytes"
    _key_type = "B"
    _valid_as_is = frozenset({bytes})
    _stored_as_is = frozenset({bytes})

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise self._wrong_type(value, where)
        if not value and (self.hash_key or self.range_key):
            raise ValueError(f"{where}: a key attribute cannot be empty bytes")

    def serialize(self, value: bytes | None) -> Any:
        if isinstance(value, (bytearray, memoryview)):
            return bytes(value)
        return value


class BooleanAttribute(Attribute[bool]):
    """True or False, stored as BOOL."""

    attr_type = "BOOL"
    _expected = "a bool"
    _valid_as_is = frozenset({bool})

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, bool):
            raise self._wrong_type(value, where)


# --- documents -----------------------------------------------------------------------------


class ListAttribute(Attribute[list[Any]]):
    """A list of any storable values, stored as L. Tuples are stored as lists."""

    attr_type = "L"
    _expected = "a list"
    _valid_as_is = frozenset({list, tuple})
    _stored_as_is = frozenset({list})

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, (list, tuple)):
            raise self._wrong_type(value, where)

    def serialize(self, value: list[Any] | None) -> Any:
        if isinstance(value, tuple):
            return list(value)
        return value


class MapAttribute(Attribute[dict[str, Any]]):
    """A dict with string keys, stored as M. Reach inside with `User.address["city"]`."""

    attr_type = "M"
    _expected = "a dict"

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise self._wrong_type(value, where)
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"{where}: map keys must be strings, got {_show(key)}")


# --- sets ----------------------------------------------------------------------------------


class _SetAttribute(Attribute[T]):
    """A DynamoDB set (SS/NS/BS). DynamoDB has no empty set: an empty set is not stored
    (`serialize` gives None, so the attribute is left out or removed)."""

    _element: ClassVar[str] = "an element"

    def _element_ok(self, element: Any) -> bool:
        raise NotImplementedError

    def _check(self, value: Any, where: str) -> None:
        # Lists and tuples are accepted for convenience and stored as sets.
        if not isinstance(value, (set, frozenset, list, tuple)):
            raise self._wrong_type(value, where)
        for element in value:
            if not self._element_ok(element):
                raise TypeError(f"{where}: every element must be {self._element}, got {_show(element)}")
        if not value and self.required:
            raise ValueError(f"{where}: is required (null=False), and DynamoDB cannot store an empty set")

    def check_element(self, value: Any, action: str) -> None:
        if not self._element_ok(value):
            raise TypeError(f"{self.qualified_name}.{action}: expected {self._element}, got {_show(value)}")

    def serialize(self, value: Any) -> Any:
        if value is None or isinstance(value, (set, frozenset)):
            return value or None
        return set(value) or None


class StringSetAttribute(_SetAttribute[set[str]]):
    """A set of strings, stored as SS."""

    attr_type = "SS"
    _expected = "a set of strings"
    _element = "a string"

    def _element_ok(self, element: Any) -> bool:
        return isinstance(element, str)


class NumberSetAttribute(_SetAttribute[set[int | float | Decimal]]):
    """A set of numbers, stored as NS."""

    attr_type = "NS"
    _expected = "a set of numbers"
    _element = "a finite number"

    def _element_ok(self, element: Any) -> bool:
        return _is_number(element) and _finite(element)


class BinarySetAttribute(_SetAttribute[set[bytes]]):
    """A set of bytes values, stored as BS."""

    attr_type = "BS"
    _expected = "a set of bytes"
    _element = "bytes"

    def _element_ok(self, element: Any) -> bool:
        return isinstance(element, bytes)


# --- converting attributes -------------------------------------------------------------------


class JSONAttribute(Attribute[Any]):
    """Any JSON-serializable value, stored as a compact JSON string (S)."""

    attr_type = "S"
    converts = True
    _expected = "a JSON-serializable value"

    def _check(self, value: Any, where: str) -> None:
        try:
            json.dumps(value)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{where}: expected {self._expected}: {error}") from None

    def serialize(self, value: Any) -> Any:
        if value is None:
            return None
        try:
            return json.dumps(value, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{self.qualified_name}: expected {self._expected}: {error}") from None

    def deserialize(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value)
        return value  # written by someone else as a native value: keep it


def _as_utc(value: datetime) -> datetime:
    # Naive datetimes are taken as UTC, so the stored text always carries an offset.
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class DatetimeAttribute(Attribute[datetime]):
    """A datetime, stored as ISO 8601 text in UTC (S), e.g. `2024-01-15T10:30:00+00:00`.

    Converting to UTC makes the stored strings sort in time order, so range conditions and
    sort keys work. Naive datetimes are taken as UTC; values come back timezone-aware."""

    attr_type = "S"
    converts = True
    _expected = "a datetime"
    _key_type = "S"
    _generates = frozenset({AutoGenerate.ISO8601})
    _valid_as_is = frozenset({datetime})

    def generate(self) -> datetime:
        """Now, in UTC, to the second (what AutoGenerate.ISO8601 gives as text)."""
        if self.auto_generate is None:
            raise ValueError(f"{self.qualified_name}: has no AutoGenerate default")
        return datetime.now(timezone.utc).replace(microsecond=0)

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, datetime):
            raise self._wrong_type(value, where)

    def serialize(self, value: datetime | None) -> Any:
        if value is None:
            return None
        return _as_utc(value).isoformat()

    def deserialize(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"{self.qualified_name}: stored value {_show(value)} is not ISO 8601 text")
        return _as_utc(datetime.fromisoformat(value))


class EnumAttribute(Attribute[E], Generic[E]):
    """A member of `enum_class`, stored as its value: S for text values, N for numbers."""

    converts = True
    _valid_as_is = frozenset()  # per instance: {enum_class}, set by __init__

    def __init__(
        self,
        enum_class: type[E],
        hash_key: bool = False,
        range_key: bool = False,
        default: E | Callable[[], E] | None = None,
        null: bool = True,
        *,
        name: str | None = None,
    ) -> None:
        if not (isinstance(enum_class, type) and issubclass(enum_class, Enum)):
            raise TypeError(f"EnumAttribute: enum_class must be an Enum class, got {enum_class!r}")
        values = [member.value for member in enum_class]
        if values and all(isinstance(v, str) for v in values):
            stored = "S"
        elif values and all(_is_number(v) for v in values):
            stored = "N"
        else:
            raise TypeError(f"EnumAttribute: the values of {enum_class.__name__} must be all strings or all numbers")
        self.enum_class = enum_class
        self.attr_type = stored  # type: ignore[misc]  # per instance: depends on the enum
        self._key_type = stored  # type: ignore[misc]
        self._expected = f"a {enum_class.__name__} member"  # type: ignore[misc]
        self._valid_as_is = frozenset({enum_class})  # type: ignore[misc]  # members are of exactly this class
        super().__init__(hash_key, range_key, default, null, name=name)

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, self.enum_class):
            raise self._wrong_type(value, where)

    def serialize(self, value: E | None) -> Any:
        if value is None:
            return None
        return value.value

    def deserialize(self, value: Any) -> E | None:
        if value is None:
            return None
        try:
            return self.enum_class(value)
        except ValueError:
            raise ValueError(f"{self.qualified_name}: stored value {_show(value)} is not a {self.enum_class.__name__}") from None


# --- time to live ------------------------------------------------------------------------------


class ExpiresIn:
    """Expiry times counted from now, for TTL attributes: `ExpiresIn.hours(1)`."""

    @staticmethod
    def seconds(n: int) -> datetime:
        return datetime.now(timezone.utc) + timedelta(seconds=n)

    @staticmethod
    def minutes(n: int) -> datetime:
        return datetime.now(timezone.utc) + timedelta(minutes=n)

    @staticmethod
    def hours(n: int) -> datetime:
        return datetime.now(timezone.utc) + timedelta(hours=n)

    @staticmethod
    def days(n: int) -> datetime:
        return datetime.now(timezone.utc) + timedelta(days=n)

    @staticmethod
    def weeks(n: int) -> datetime:
        return datetime.now(timezone.utc) + timedelta(weeks=n)


class TTLAttribute(Attribute[datetime]):
    """An expiry time, stored as whole epoch seconds (N), the form DynamoDB's TTL reads.
    Values come back as timezone-aware UTC datetimes."""

    attr_type = "N"
    converts = True
    _expected = "a datetime"
    _key_type = "N"
    _valid_as_is = frozenset({datetime})

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, datetime):
            raise self._wrong_type(value, where)

    def serialize(self, value: datetime | None) -> Any:
        if value is None:
            return None
        return int(_as_utc(value).timestamp())

    def deserialize(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if not _is_number(value):
            raise TypeError(f"{self.qualified_name}: stored value {_show(value)} is not epoch seconds")
        return datetime.fromtimestamp(int(value), tz=timezone.utc)


# --- optimistic locking ----------------------------------------------------------------------------


class VersionAttribute(Attribute[int]):
    """The item's version for optimistic locking, an int stored as N. The model manages
    it: 1 at the first save, +1 at each save, and a save whose version is stale fails."""

    attr_type = "N"
    _expected = "an int"
    _key_type = "N"
    _valid_as_is = frozenset({int})

    def __init__(self, *, name: str | None = None) -> None:
        super().__init__(name=name)

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._wrong_type(value, where)


# --- attributes defined in pydynox._attrs ----------------------------------------------------------

# Loaded on first use: they subclass `Attribute` (so import this module) and pull in
# the extension's codecs and service clients, which plain models never need.
_ELSEWHERE = {
    "CompressedAttribute": "pydynox._attrs.compressed",
    "CompressionAlgorithm": "pydynox._attrs.compressed",
    "EncryptedAttribute": "pydynox._attrs.encrypted",
    "EncryptionMode": "pydynox._attrs.encrypted",
    "S3Attribute": "pydynox._attrs.s3",
    "S3File": "pydynox._attrs.s3",
    "S3Value": "pydynox._attrs.s3",
}
__all__ += ["CompressedAttribute", "CompressionAlgorithm", "EncryptedAttribute", "EncryptionMode"]
__all__ += ["S3Attribute", "S3File", "S3Value"]

if TYPE_CHECKING:
    from pydynox._attrs.compressed import CompressedAttribute, CompressionAlgorithm
    from pydynox._attrs.encrypted import EncryptedAttribute, EncryptionMode
    from pydynox._attrs.s3 import S3Attribute, S3File, S3Value


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
