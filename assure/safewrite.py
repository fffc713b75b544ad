"""The one output layer: every file assure writes for a user goes through here.

Why: outputs used to be written wherever their name pointed, one by one. ``-o plan.pdf``
replaced the plan with the report; ``-o r.json -f json:./r.json`` wrote one file twice; a
symlink or ``/dev/stdout`` had its directory entry replaced by a regular file; a 250-byte
name failed because the temporary name was longer than the file system allows.

Now every output is first *resolved*: symlinks are followed to the real file, and its
identity (device and inode when it exists, else its real path) is compared with every
input and every other output. An output that is an input or that another output also
names is refused before any document is read. Writing then depends on what is there:

- a regular file (or nothing yet): written to a short temporary name in the same folder,
  synced, then renamed over the real path, so the file is complete or untouched, the
  symlink pointing to it stays a symlink, and an existing file keeps its permissions;
- a character device or a pipe (``/dev/stdout``, ``/dev/null``, a FIFO, ``>(cmd)``):
  written directly, never replaced; a FIFO that nobody reads is an error, not a hang;
- a folder, socket or block device: refused.

A caller with one output uses :func:`write_output`; a caller with several (``check``'s
formats, matrix and heatmap, ``annotate``) calls :func:`plan_outputs` first with every
output and every input, then :func:`write_output` for each.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assure.errors import AssureError
from assure.names import encode_output, human_name

# what each format's text is, for encode_output: JSON carries undecodable name bytes as
# \udcXX escapes, XML/HTML as visible \xNN, the rest (text, CSV, Markdown) as the bytes
FORMAT_KINDS = {
    "json": "json",
    "jsonl": "json",
    "sarif": "json",
    "gitlab": "json",
    "baseline": "json",
    "junit": "markup",
    "html": "markup",
    "heatmap": "markup",
}


def kind_of(format_name: str) -> str:
    return FORMAT_KINDS.get(format_name, "text")


@dataclass(frozen=True)
class Target:
    """An output resolved to what will really be written."""

    given: str  # as the user spelled it, for messages
    real: str  # symlinks followed
    identity: tuple[int, int] | str  # (device, inode) of an existing file, else the real path
    stream: bool  # a character device or pipe: written directly, never replaced


def _identity(path: str) -> tuple[tuple[int, int] | str, os.stat_result | None]:
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path), None
    return (st.st_dev, st.st_ino), st


def resolve_output(path: str | os.PathLike[str], label: str = "output") -> Target:
    """Where ``path`` really leads; refuses a folder, socket or block device."""
    given = os.fspath(path)
    real = os.path.realpath(given)
    identity, st = _identity(given)
    stream = False
    if st is not None:
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            stream = True
        elif stat.S_ISDIR(st.st_mode):
            raise AssureError(f"{label}: is a folder, not a file", path=human_name(given))
        elif not stat.S_ISREG(st.st_mode):
            raise AssureError(
                f"{label}: cannot write to a {'socket' if stat.S_ISSOCK(st.st_mode) else 'block device'}", path=human_name(given)
            )
        elif real.startswith(("/proc/", "/dev/")):  # /dev/stdout redirected to a file: write through the fd
            stream = True
    return Target(given=given, real=real, identity=identity, stream=stream)


def plan_outputs(
    outputs: Sequence[tuple[str, str | os.PathLike[str]]], inputs: Iterable[str | os.PathLike[str]] = ()
) -> dict[str, Target]:
    """Resolve every ``(label, path)`` output; raise an AssureError (exit 2) when one is
    an input or two lead to the same file. Streams (``/dev/null``...) may be shared.
    Returns path-as-given -> Target."""
    seen_inputs: dict[tuple[int, int] | str, str] = {}
    for item in inputs:
        name = os.fspath(item)
        identity, st = _identity(name)
        if st is not None and stat.S_ISREG(st.st_mode):
            seen_inputs[identity] = name
            seen_inputs[os.path.realpath(name)] = name
    planned: dict[str, Target] = {}
    owners: dict[tuple[int, int] | str, str] = {}
    for label, path in outputs:
        target = resolve_output(path, label)
        if target.stream:
            planned[target.given] = target
            continue
        for key in (target.identity, target.real):
            if key in seen_inputs:
                raise AssureError(
                    f"{label}: refusing to write over an input ({human_name(seen_inputs[key])}); choose another file name",
                    path=human_name(target.given),
                )
        for key in (target.identity, target.real):
            if key in owners and owners[key] != label:
                raise AssureError(
                    f"{label} and {owners[key]} name the same file; give each output its own file", path=human_name(target.given)
                )
            if key in owners:
                raise AssureError(f"{label} is given twice for the same file", path=human_name(target.given))
        owners[target.identity] = owners[target.real] = label
        _probe_folder(target, label)
        planned[target.given] = target
    return planned


def _probe_folder(target: Target, label: str) -> None:
    """Refuse, before any document is read, an output whose folder will not take a file (read-only,
    immutable, out of space for a new entry): a long batch's results must not be lost at the end.
    The folder is the nearest one that exists (missing folders are created when writing)."""
    probe_folder(os.path.dirname(target.real) or ".", label, target.given)


def probe_folder(folder: str, label: str, given: str | None = None) -> None:
    """Refuse (exit 2) a folder that will not take a new file, or the nearest existing folder
    above it when it is still to be made; ``given`` names the output in the message."""
    given = given if given is not None else folder
    while not os.path.isdir(folder):
        if os.path.lexists(folder):  # "report.pdf/out.json": the folder to make is a file already
            raise AssureError(
                f"{label}: {human_name(folder)} is not a folder (a file of that name exists); nothing was checked",
                path=human_name(given),
            )
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent
    try:
        fd, probe = tempfile.mkstemp(prefix=".assure-probe-", dir=folder)
    except OSError as exc:
        raise AssureError(
            f"{label}: cannot write in {human_name(folder)} ({exc.strerror or exc}); nothing was checked",
            path=human_name(given),
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _write_stream(target: Target, data: bytes) -> None:
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target.given, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO with no reader: waiting would hang the run
            raise OSError(errno.ENXIO, "no process is reading this pipe") from None
        raise
    try:
        os.set_blocking(fd, True)
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode):  # /dev/stdout leading to a file: replace its content
            os.ftruncate(fd, 0)
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_replace(target: Target, data: bytes) -> None:
    folder = os.path.dirname(target.real) or "."
    os.makedirs(folder, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(target.real).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    # a short temporary name: a target name of up to 255 bytes must still leave room
    fd, tmp = tempfile.mkstemp(prefix=".assure-", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, mode)
        _write_all(fd, data)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target.real)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_output(
    path: str | os.PathLike[str] | Target,
    text: str | bytes,
    kind: str = "text",
    *,
    label: str = "output",
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Write one output completely or not at all (see the module notes); ``kind`` is
    ``text``, ``json`` or ``markup`` (see :func:`assure.names.encode_output`). Given a
    path rather than a planned Target, it is resolved and checked against ``inputs``.
    Every failure is one AssureError line naming the file."""
    target = path if isinstance(path, Target) else plan_outputs([(label, path)], inputs)[os.fspath(path)]
    data = text if isinstance(text, bytes) else encode_output(text, kind)
    try:
        if target.stream:
            _write_stream(target, data)
        else:
            _write_replace(target, data)
    except OSError as exc:
        raise AssureError(f"cannot write ({exc.strerror or type(exc).__name__})", path=human_name(target.given)) from None
