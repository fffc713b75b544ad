"""A per-user cache of what start-up derives from the rules and spaCy's data (issue 16).

Why: a one-page check spent about 0.1 s of its start-up (0.7 s) re-deriving the same plain data
on every run: the English lemma table unpacked from spacy-lookups-data (25 ms), and, compiling
the rules (about 0.1 s of 0.13 s), each phrase tokenized and lemmatized, each pattern checked
and given its anchor words, each phrase's key words (with the lemma table inverted). Stored,
they are read back in a few milliseconds: the phrases as the token hashes a spaCy phrase matcher
keeps of them (what spaCy's own unpickling hands it), the anchors and key words as word sets.
The spaCy pipeline and the matchers themselves are still built on every run; no spaCy object is
stored.

Safety:

- entries live in the user's cache folder (``$XDG_CACHE_HOME/assure/startup``, else
  ``~/.cache/assure/startup``), never in the project folder; ``ASSURE_NO_START_CACHE=1`` (any
  value but empty or ``0``) neither reads nor writes them;
- an entry's key is a SHA-256 of everything its value is derived from (the rules' phrases and
  patterns themselves, the lemma overrides, the lemma data's bytes, the versions of assure,
  spaCy and Python, and the source of the modules that derive it), so an edited rule, an
  upgraded spaCy or a changed assure is a miss, never a stale hit;
- values are plain data in ``marshal`` format (never pickle: loading an entry runs no code),
  behind a SHA-256 of the payload checked before it is read: a corrupt, truncated or foreign
  file, a folder that cannot be read or written, anything unexpected, is a silent miss;
- entries are written to a temporary file and renamed into place (a reader sees a whole entry
  or none), and only a few of each kind are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

DISABLE_VARIABLE = "ASSURE_NO_START_CACHE"
FORMAT = b"assure-start-cache 1\n"
_MAX_BYTES = 64 * 2**20  # no entry is near this: a bigger file is not ours
_KEEP = 8  # entries kept per kind (rules files in use side by side, per_file_ignores variants)


def folder() -> Path | None:
    """The cache folder, or None when the cache is switched off or there is no home to put it in."""
    if os.environ.get(DISABLE_VARIABLE, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "assure" / "startup"


def digest(*parts: bytes | str) -> str:
    """A key made of ``parts`` (each length-prefixed, so no two lists of parts share a key)."""
    h = hashlib.sha256()
    h.update(FORMAT)
    h.update(sys.version.encode())  # marshal's format is Python's own
    machine = os.uname().machine if hasattr(os, "uname") else ""
    h.update(f"{sys.byteorder} {machine}".encode())  # spaCy's string hashes, in a home shared between machines
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _entry(kind: str, key: str) -> Path | None:
    base = folder()
    return None if base is None else base / f"{kind}-{key[:40]}.bin"


def load(kind: str, key: str) -> Any | None:
    """The value stored under ``key``, or None (a miss) for anything but a whole, intact entry."""
    path = _entry(kind, key)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(_MAX_BYTES + 1)
        head = len(FORMAT) + 64 + 64 + 2  # format line, key line, payload digest line
        lines = data[:head].split(b"\n")
        if not data.startswith(FORMAT) or len(lines) < 4 or lines[1] != key.encode():
            return None
        payload = data[len(FORMAT) + len(lines[1]) + len(lines[2]) + 2 :]
        if hashlib.sha256(payload).hexdigest().encode() != lines[2]:
            return None
        return marshal.loads(payload)
    except Exception:  # noqa: BLE001 - a cache entry that cannot be read is a miss, whatever the reason
        return None
    finally:
        os.close(fd)


def store(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` (plain data: str, int, float, bool, None, tuple, list, dict, set, frozenset)
    under ``key``; nothing happens when the folder cannot be written."""
    path = _entry(kind, key)
    if path is None:
        return
    tmp = None
    try:
        payload = marshal.dumps(value)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(FORMAT + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent, kind, keep=path)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs the next run time
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(base: Path, kind: str, keep: Path) -> None:
    """Remove all but the newest few entries of ``kind`` (the rules change; old keys never return)."""
    entries = []
    for name in os.listdir(base):
        if name.startswith(f"{kind}-") and name.endswith(".bin") and name != keep.name:
            with contextlib.suppress(OSError):
                entries.append((os.stat(base / name).st_mtime, name))
    for _, name in sorted(entries, reverse=True)[_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(base / name)
