"""One reader for every file a user hands to assure (rules, questions, config, baseline,
labels, ignore files, cache entries, documents' first bytes).

Why one place: a FIFO or ``/dev/zero`` given as ``--rules`` used to block or fill memory
beyond the reach of SIGTERM; a 400-byte YAML of nested aliases cost 30 s and 3 GB; a
duplicate key silently won. Here a file is opened without blocking, must be a regular
file, is refused above a size cap *before* anything is read, and is read up to that cap
only. YAML is parsed safely, with duplicate keys refused and the aliases' expanded size
bounded. Every error is a :class:`ConfigError` whose message is one bounded line.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assure.errors import ConfigError
from assure.names import bounded, human_name

# caps per kind of file: far above any real one, far below what would stall a run
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # rules, questions, config, labels, ignore files
MAX_BASELINE_BYTES = 64 * 1024 * 1024  # a baseline of a very large library
MAX_CACHE_ENTRY_BYTES = 64 * 1024 * 1024
MAX_YAML_NODES = 200_000  # nodes after alias expansion (the built-in rules have about 9,000)

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def file_kind(mode: int) -> str:
    """``a FIFO (named pipe)``, ``a character device``... for a mode that is not a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """An fd open for reading on a regular file, and its stat, without ever blocking:
    O_NONBLOCK keeps a FIFO with no writer from hanging the open, and the type is checked
    on the opened file (fstat), so a file swapped for a FIFO after a stat cannot slip in.
    Raises OSError (errno from the open) or ``IsADirectoryError``/``ValueError`` on type."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(file_kind(st.st_mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


class NotRegularFile(OSError):
    """The path names a FIFO, device, socket or folder: refused before reading."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind}, not a regular file")
        self.kind = kind


def read_fd(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes from ``fd`` (a file growing while read stops at the cap)."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def read_user_bytes(path: str | os.PathLike[str], what: str = "file", max_bytes: int = MAX_CONFIG_BYTES) -> bytes:
    """A user file's bytes: regular files only, refused above ``max_bytes`` before reading.

    Every failure is a ConfigError naming the file: not found, not a regular file, too
    large, permission denied, or the OS's reason."""
    name = str(path)
    try:
        fd, st = open_regular(path)
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path=name) from None
    except NotRegularFile as exc:
        raise ConfigError(f"{what} is {exc.kind}, not a regular file", path=name) from None
    except IsADirectoryError:
        raise ConfigError(f"{what} is a folder, not a file", path=name) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what} ({exc.strerror or type(exc).__name__})", path=name) from None
    try:
        if st.st_size > max_bytes:
            raise ConfigError(f"{what} is {_size(st.st_size)}, over the {_size(max_bytes)} limit", path=name)
        data = read_fd(fd, max_bytes + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read {what} ({exc.strerror or type(exc).__name__})", path=name) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # grew after the stat (or /proc-like sizes)
        raise ConfigError(f"{what} is over the {_size(max_bytes)} limit", path=name)
    return data


def read_user_text(path: str | os.PathLike[str], what: str = "file", max_bytes: int = MAX_CONFIG_BYTES) -> str:
    """:func:`read_user_bytes` decoded as UTF-8 (a BOM is dropped); bad bytes are one clear line."""
    data = read_user_bytes(path, what, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read {what}: not UTF-8 (byte {exc.start})", path=str(path)) from None


# --------------------------------------------------------------------------- YAML
def _loader_class() -> type:
    """A safe loader (libyaml's when present) that refuses duplicate keys and bounds aliases."""
    import yaml
    from yaml.constructor import ConstructorError

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[valid-type, misc]
        def get_single_data(self) -> Any:
            node = self.get_single_node()
            if node is None:
                return None
            _check_expanded_size(node)
            return self.construct_document(node)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: dict[Any, Any] = {}
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        hash(key)
                    except TypeError:
                        continue
                    if key in seen:
                        raise ConstructorError(
                            None,
                            None,
                            f"duplicate key {bounded(repr(key), 60)} (first on line {seen[key].line + 1})",
                            key_node.start_mark,
                        )
                    seen[key] = key_node.start_mark
            return super().construct_mapping(node, deep=deep)

    return StrictLoader


def _check_expanded_size(root: Any) -> None:
    """Raise when the document, with every alias expanded, has more than MAX_YAML_NODES
    nodes (a "billion laughs" document is tiny on disk and endless once expanded)."""
    import yaml
    from yaml.composer import ComposerError

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # expanded, children not done: the path from the root to here
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in sizes:
            continue
        if not expanded and id(node) in open_nodes:  # `a: &a [*a]` used to loop here for ever
            raise ComposerError(None, None, "an alias refers to a value that contains it", node.start_mark)
        open_nodes.add(id(node))
        children: list[Any] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if not expanded:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        if total > MAX_YAML_NODES:
            raise ComposerError(
                None, None, f"too large once its aliases are expanded (over {MAX_YAML_NODES:,} values)", node.start_mark
            )
        sizes[id(node)] = total
        open_nodes.discard(id(node))


_LOADER: list[type] = []

# where each key and item of a YAML document starts: ("rules", 3, "near", "window") -> (line, column), 1-based
Positions = dict[tuple[Any, ...], tuple[int, int | None]]  # TOML gives lines only


def _loader() -> type:
    if not _LOADER:
        _LOADER.append(_loader_class())
    return _LOADER[0]


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text safely; errors are ConfigErrors naming ``name``, the line and column."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # a SafeLoader subclass, never the full loader
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
        mark, problem = _yaml_failure(exc, text)
        where = f"line {mark[0]}, column {mark[1]}: " if mark else ""
        raise ConfigError(f"invalid YAML: {where}{problem}", path=name) from None


def _yaml_failure(exc: BaseException, text: str = "") -> tuple[tuple[int, int] | None, str]:
    """The 1-based (line, column) of a YAML error, if it has one, and its cause in one bounded line."""
    import yaml

    if isinstance(exc, RecursionError):
        return None, "nested too deeply"
    if isinstance(exc, yaml.YAMLError):
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None and _tab_at(text, mark.line, mark.column):  # libyaml's words never say "tab" here
            problem = f"a tab character; YAML indents with spaces ({problem})"
        return ((mark.line + 1, mark.column + 1) if mark else None), bounded(problem, 200)
    return None, bounded(str(exc), 200)  # an integer too long to convert, a date out of range


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether the 0-based ``line``:``column`` of ``text`` is a tab."""
    lines = text.splitlines()
    return 0 <= line < len(lines) and 0 <= column < len(lines[line]) and lines[line][column] == "\t"


def parse_yaml_located(text: str, name: str) -> tuple[Any, Positions]:
    """Parse YAML text like :func:`parse_yaml` (same loader, same refusals) and also return
    where every key and list item starts, so a problem found later can name its line.

    A parse error is a :class:`ConfigProblems` whose one problem has the line and column."""
    import yaml

    from assure.errors import ConfigProblems, Problem

    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _check_expanded_size(node)
        data = loader.construct_document(node)
        return data, _node_positions(loader, node)
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
        mark, problem = _yaml_failure(exc, text)
        line, column = mark if mark else (None, None)
        raise ConfigProblems([Problem(name, line, column, "", f"invalid YAML: {problem}")]) from None
    finally:
        loader.dispose()


def _node_positions(loader: Any, root: Any) -> Positions:
    """Walk the composed nodes (after construction, so merge keys are flattened) and record
    each key's and item's start; bounded like the expansion check, so aliases cannot blow it up."""
    import yaml

    out: Positions = {(): (root.start_mark.line + 1, root.start_mark.column + 1)}
    stack: list[tuple[tuple[Any, ...], Any]] = [((), root)]
    while stack and len(out) <= MAX_YAML_NODES:
        path, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                try:
                    key = loader.construct_object(key_node, deep=True)
                    hash(key)
                except (yaml.YAMLError, TypeError, ValueError, OverflowError):
                    continue
                out[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                stack.append(((*path, key), value_node))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                out[(*path, i)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                stack.append(((*path, i), item))
    return out


def read_yaml(path: str | os.PathLike[str], what: str = "file", max_bytes: int = MAX_CONFIG_BYTES) -> Any:
    """A user's YAML file through :func:`read_user_text` and :func:`parse_yaml`."""
    return parse_yaml(read_user_text(path, what, max_bytes), str(path))


def read_yaml_located(
    path: str | os.PathLike[str], what: str = "file", max_bytes: int = MAX_CONFIG_BYTES
) -> tuple[Any, Positions]:
    """A user's YAML file and the positions of its keys (see :func:`parse_yaml_located`)."""
    return parse_yaml_located(read_user_text(path, what, max_bytes), str(path))


def read_json(path: str | os.PathLike[str], what: str, max_bytes: int, on_error: Callable[[str], str] | None = None) -> Any:
    """A user's JSON file: size-capped, huge integers and deep nesting one clear line."""
    import json

    text = read_user_text(path, what, max_bytes)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except (ValueError, RecursionError) as exc:
        msg = f"invalid JSON: {bounded(str(exc) or type(exc).__name__, 120)}"
    raise ConfigError(on_error(msg) if on_error else msg, path=str(path))


def describe_path(path: str | os.PathLike[str]) -> str:
    """A path as shown in a human line (escaped, see :mod:`assure.names`)."""
    return human_name(os.fspath(Path(path)))


# --------------------------------------------------------------------------- content seal
def _signature(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class ContentSeal:
    """The SHA-256 of a document's bytes, valid only if they did not change while it was read.

    Used around a document's extraction in the worker: the file is opened and hashed on
    entry (a regular file within ``max_bytes`` only); on exit the open file and the path
    must still be the same inode with the same size, modification and change times.
    ``digest`` is then the hash of the bytes the reader saw, the key under which its
    verdicts may be cached; otherwise it is None and nothing is cached. Why: discovery's
    hash is older than the read, and a file rewritten in between used to be cached under
    its old content's key, serving wrong verdicts for the original bytes on the next run.
    """

    def __init__(self, path: str | os.PathLike[str], max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.digest: str | None = None
        self._fd = -1
        self._hash: str | None = None
        self._before: tuple[int, int, int, int, int] | None = None

    def __enter__(self) -> ContentSeal:
        import hashlib

        try:
            fd, st = open_regular(self.path)
        except OSError:
            return self
        try:
            if st.st_size > self.max_bytes:
                os.close(fd)
                return self
            h = hashlib.sha256()
            left = self.max_bytes + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                h.update(chunk)
                left -= len(chunk)
        except OSError:
            os.close(fd)
            return self
        if left <= 0:  # grew past the cap while hashed
            os.close(fd)
            return self
        self._fd, self._hash, self._before = fd, h.hexdigest(), _signature(st)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd < 0:
            return
        try:
            if _signature(os.fstat(self._fd)) == self._before == _signature(os.stat(self.path)):
                self.digest = self._hash
        except OSError:
            pass
        finally:
            os.close(self._fd)
            self._fd = -1
