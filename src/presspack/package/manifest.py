"""Reading a release's manifest.json and datapackage.json: the head without the file
entries, the entries one at a time (ijson), or their big arrays item by item, so that
memory does not grow with the files and articles a release lists.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from presspack.errors import NotARelease, ReleaseNotFound


@contextmanager
def _release_json(path: Path, invalid: tuple[type[Exception], ...] = (json.JSONDecodeError,)) -> Iterator[None]:
    """Reading a release's JSON file `path`: NotARelease (a ReleaseNotFound) when it is
    missing, ReleaseNotFound when it is not JSON (`invalid`: the parser's errors) or not
    UTF-8."""
    try:
        yield
    except FileNotFoundError:
        raise NotARelease(f"{path.parent} is not a release: no {path.name}") from None
    except (*invalid, UnicodeDecodeError) as e:
        raise ReleaseNotFound(f"{path} is not valid JSON: {e}") from None



def read_json(path: Path) -> Any:
    """A release's JSON file; ReleaseNotFound when it is missing or not JSON."""
    with _release_json(path):
        return json.loads(path.read_text(encoding="utf-8"))



# The manifest's key holding one entry per input file: a release of millions of files
# has millions of them, so the readers below stream past them or through them.
MANIFEST_FILES = "files"



def read_manifest(release: str | Path) -> dict[str, Any]:
    """A release's manifest.json without its `files` entries, which a streaming parser
    (ijson) skips instead of building: memory does not grow with the number of input
    files. ReleaseNotFound as read_json. The end of a build reads it several times: the
    last few are kept by the file's size and modification time (a copy is returned)."""
    path = Path(release) / "manifest.json"
    with _release_json(path):
        st = path.stat()
    return copy.deepcopy(_manifest_head(str(path), st.st_size, st.st_mtime_ns))



@functools.lru_cache(maxsize=4)
def _manifest_head(name: str, size: int, mtime_ns: int) -> dict[str, Any]:
    import ijson

    path = Path(name)
    with _release_json(path, (ijson.JSONError,)), open(path, "rb") as fh:
        # read to the end, as json.load would: what follows the object is an error too
        (head,) = _objects_without(ijson.parse(fh, use_float=True), "", {MANIFEST_FILES}, f"{path} is not a JSON object")
    return head



def manifest_files(release: str | Path, *, skip: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """The manifest's `files` entries, one at a time; none when it has no `files`. `skip`
    names keys left out of each entry, unread (e.g. the article ids of an input file with
    millions of records). ReleaseNotFound as read_json, and when `files` is not a list."""
    import ijson

    with _files_array(release) as events:
        if events is None:
            return
        if skip:
            yield from _objects_without(events, f"{MANIFEST_FILES}.item", set(skip),
                                        f"manifest.json: a {MANIFEST_FILES!r} entry is not an object")
        else:
            yield from ijson.items(events, f"{MANIFEST_FILES}.item")



@contextmanager
def _files_array(release: str | Path) -> Iterator[Iterator[Any] | None]:
    """The manifest's parser events from just inside its `files` array on (None when it
    has no `files`); errors while they are read become ReleaseNotFound as read_json, and
    `files` that is not a list is one."""
    import ijson

    path = Path(release) / "manifest.json"
    with _release_json(path, (ijson.JSONError,)), open(path, "rb") as fh:
        events = ijson.parse(fh, use_float=True)
        for prefix, event, _ in events:
            if prefix == MANIFEST_FILES:
                if event != "start_array":
                    raise ReleaseNotFound(f"{path}: {MANIFEST_FILES!r} is not a list")
                yield events
                return
        yield None



def manifest_files_streamed(release: str | Path, lists: Mapping[str, Callable[[Any], object]], *,
                            skip: tuple[str, ...] = ()) -> Iterator[Any]:
    """The manifest's `files` entries, one at a time, as manifest_files yields them, but
    an array under a key of `lists` (e.g. the article ids of an input file with millions
    of records) is never built: each of its items is built on its own and passed to
    lists[key] as it is parsed, before its entry is yielded, and the key is left out of
    the entry. A value there that is not an array stays in the entry. Keys in `skip` are
    left out unread. An entry that is not an object is yielded as it is, and every value
    at `files.item` counts as an entry, as ijson.items has it. ReleaseNotFound as
    manifest_files."""
    at = f"{MANIFEST_FILES}.item"
    with _files_array(release) as events:
        if events is None:
            return
        for prefix, event, value in events:
            if prefix == at:  # the first event of an entry: the entry reads all of its events
                yield _entry_streamed(events, event, value, lists, set(skip))



_OPEN = frozenset(("start_map", "start_array"))



_CLOSE = frozenset(("end_map", "end_array"))



def _entry_streamed(events: Iterator[Any], event: str, value: Any, lists: Mapping[str, Callable[[Any], object]],
                    skip: set[str]) -> Any:
    """One manifest entry, from its first event (`event`, `value`) on: see manifest_files_streamed."""
    import ijson

    if event != "start_map":
        return _value(events, event, value)
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    for _, event, key in events:  # at the entry's own level: a key, or the entry's end
        if event == "end_map":
            builder.event(event, key)
            return builder.value
        start = next(events, None)  # the key's value starts
        if start is None:
            break
        _, event, value = start
        if key in lists and event == "start_array":
            on_item = lists[key]
            for _, event, value in events:
                if event == "end_array":
                    break
                on_item(value if event not in _OPEN else _value(events, event, value))
        elif key in skip:
            if event in _OPEN:
                _read_past(events)
        else:
            builder.event("map_key", key)
            builder.event(event, value)
            if event in _OPEN:
                _read_past(events, builder)
    raise ReleaseNotFound("manifest.json ends inside a file entry")  # ijson says so first



def _value(events: Iterator[Any], event: str, value: Any) -> Any:
    """The JSON value that starts with (`event`, `value`), built."""
    import ijson

    if event not in _OPEN:
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    _read_past(events, builder)
    return builder.value



def _read_past(events: Iterator[Any], builder: Any = None) -> None:
    """Read the events of an array or object whose start was read, to its end; each goes
    to `builder` when one is given."""
    depth = 1
    for _, event, value in events:
        if builder is not None:
            builder.event(event, value)
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
            if not depth:
                return



def _objects_without(events: Any, at: str, skip: set[str], not_object: str) -> Iterator[dict[str, Any]]:
    """The objects at ijson prefix `at` ("" for the document itself, "files.item" for the
    manifest's entries), built from the parser's `events` without their keys in `skip`,
    whose values are passed over unbuilt; ReleaseNotFound(`not_object`) for a value at
    `at` that is not an object."""
    import ijson

    inner = len(at) + 1 if at else 0  # where a prefix inside the object starts its key
    builder: Any = None
    for prefix, event, value in events:
        if builder is None:
            if prefix == at and event == "start_map":
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
            elif prefix == at and event in ("start_array", "string", "number", "boolean", "null"):
                raise ReleaseNotFound(not_object)
            continue
        if prefix == at and event == "map_key" and value in skip:
            continue
        if prefix != at and prefix[inner:].split(".", 1)[0] in skip:
            continue
        builder.event(event, value)
        if prefix == at and event == "end_map":
            yield builder.value
            builder = None



def read_datapackage(release: str | Path) -> dict[str, Any]:
    return read_json(Path(release) / "datapackage.json")
