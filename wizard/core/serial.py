"""Versioned JSON documents built from dataclasses.

Every document we write (inventory, plan, report data, journal) is ``{"schema": "hvmigrate.<kind>/<N>",
...fields}``. :func:`load_document` refuses a different kind, a newer ``N`` than this build knows (with a
message that says to upgrade), and fields of the wrong type, naming the file and the field.

Dataclasses are converted generically from their type hints: ``str``/``int``/``float``/``bool``,
``StrEnum``, ``X | None``, ``list[X]``, ``dict[str, X]`` and nested dataclasses. Unknown keys from a
same-or-older version are ignored, missing keys take the field default.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import types
import typing
from pathlib import Path
from typing import IO, Any, TypeVar

from wizard.core.errors import SchemaError, UnsafeFileError
from wizard.core.files import open_regular

T = TypeVar("T")


def to_jsonable(obj: Any) -> Any:
    """Plain JSON-able value (dicts, lists, scalars) for a dataclass tree."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = dataclasses.fields(obj)
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in fields if not f.name.startswith("_")}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


_hints_cache: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _hints_cache.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)
        _hints_cache[cls] = hints
    return hints


def from_jsonable(cls: type[T], data: Any, where: str = "$") -> T:
    """Build ``cls`` from plain JSON data; raises ``ValueError`` naming the JSON path on a type mismatch."""
    return _convert(cls, data, where)


def _convert(tp: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(arg, data, where)
            except ValueError as exc:
                errors.append(str(exc))
        raise ValueError(errors[0] if errors else f"{where}: unexpected null")
    if origin is list:
        if not isinstance(data, list):
            raise ValueError(f"{where}: expected a list, got {type(data).__name__}")
        (item,) = typing.get_args(tp)
        return [_convert(item, v, f"{where}[{i}]") for i, v in enumerate(data)]
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
        _, val = typing.get_args(tp)
        return {str(k): _convert(val, v, f"{where}.{k}") for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data and f.init:
                kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
        try:
            return tp(**kwargs)
        except TypeError as exc:
            raise ValueError(f"{where}: {exc}") from None
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise ValueError(f"{where}: {data!r} is not one of: {allowed}") from None
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise ValueError(f"{where}: expected a number, got {type(data).__name__}")
        return float(data)
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValueError(f"{where}: expected an integer, got {type(data).__name__}")
        return data
    if tp in (str, bool):
        if not isinstance(data, tp):
            raise ValueError(f"{where}: expected {tp.__name__}, got {type(data).__name__}")
        return data
    raise ValueError(f"{where}: unsupported type {tp!r}")  # pragma: no cover - programming error


def schema_tag(kind: str, version: int) -> str:
    return f"hvmigrate.{kind}/{version}"


def dump_document(obj: Any, kind: str, version: int) -> dict[str, Any]:
    body = to_jsonable(obj)
    return {"schema": schema_tag(kind, version), **body}


def parse_document(cls: type[T], data: Any, kind: str, version: int, source: str = "<document>") -> T:
    """Validate the schema tag and build ``cls``; ``source`` names the file in errors."""
    if not isinstance(data, dict):
        raise SchemaError("not an hvmigrate document (expected a JSON object)", path=source)
    tag = data.get("schema")
    if not isinstance(tag, str) or not tag.startswith("hvmigrate.") or "/" not in tag:
        raise SchemaError(
            f"not an hvmigrate {kind} file (missing or wrong \"schema\")", path=source, field="schema",
            fix=f"Create it with hvmigrate; the first key must be \"schema\": \"{schema_tag(kind, version)}\".",
        )
    got_kind, _, got_ver = tag[len("hvmigrate."):].partition("/")
    if got_kind != kind:
        raise SchemaError(f"this is a {got_kind} file, not a {kind} file", path=source, field="schema")
    if not got_ver.isdigit():
        raise SchemaError(f"bad schema version {got_ver!r}", path=source, field="schema")
    if int(got_ver) > version:
        raise SchemaError(
            f"written by a newer hvmigrate ({kind} format version {got_ver}; this version reads up to {version})",
            path=source, field="schema", fix="Upgrade hvmigrate to open this file.",
        )
    body = {k: v for k, v in data.items() if k != "schema"}
    try:
        return from_jsonable(cls, body)
    except ValueError as exc:
        raise SchemaError(f"invalid {kind} file: {exc}", path=source) from None


MAX_JSON_BYTES = 256 * 1024 * 1024  # far above any plan, inventory or manifest hvmigrate writes


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file with errors that name the file and position. Only a regular file is read: a named
    pipe, device or folder is refused at once with :class:`~wizard.core.errors.UnsafeFileError`, never blocked
    on; a file larger than :data:`MAX_JSON_BYTES` is refused unread."""
    p = Path(path)
    try:
        with open(open_regular(p), "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_JSON_BYTES:
                raise SchemaError(f"the file is larger than {MAX_JSON_BYTES} bytes: not a file hvmigrate wrote",
                                  path=p)
            text = fh.read().decode("utf-8")
    except FileNotFoundError:
        raise SchemaError("file not found", path=p) from None
    except UnsafeFileError as exc:  # the disk rule's words, for a plan, inventory or manifest
        exc.fix = "Name the file itself: named pipes, devices, sockets and folders are never read."
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read file: {getattr(exc, 'strerror', None) or exc}", path=p) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                          path=p, offset=exc.pos) from None
    except RecursionError:
        raise SchemaError("not a file hvmigrate wrote: its JSON nests deeper than any of them", path=p) from None
    except ValueError:  # a number of more digits than Python converts
        raise SchemaError("not a file hvmigrate wrote: it holds a number thousands of digits long", path=p) from None


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def open_new(path: str | os.PathLike[str], mode: str = "wb", **kw: Any) -> IO[Any]:
    """Open a file created new at ``path`` (``O_EXCL``, ``O_NOFOLLOW``): a file or link someone left under that
    name in a shared folder is removed first, never written through."""
    Path(path).unlink(missing_ok=True)
    return open(os.open(path, _NEW_FILE, 0o644), mode, **kw)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes | bytearray) -> Path:
    """Write ``data`` to ``path`` whole or not at all: ``NAME.partial``, fsync, rename.

    The ``.partial`` file is created new (``O_EXCL``, ``O_NOFOLLOW``): a file or link someone left under that
    name in a shared folder is removed first, never written through."""
    p = Path(path)
    tmp = p.with_name(p.name + ".partial")
    try:
        with open_new(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        if not tmp.is_symlink():
            tmp.unlink(missing_ok=True)
        raise
    return p


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8",
                      newline: str | None = "") -> Path:
    """Write ``text`` to ``path`` with :func:`write_bytes_atomic`; ``newline`` as :func:`open` takes it (the
    default, ``""``, writes line ends as they are)."""
    if newline not in ("", "\n"):
        text = text.replace("\n", newline or os.linesep)
    return write_bytes_atomic(path, text.encode(encoding))


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> None:
    """Write JSON to ``path`` with :func:`write_text_atomic`: never a half-written file."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
