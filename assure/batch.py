"""Check many documents in parallel, each in an isolated worker process.

Why a small pool of our own rather than concurrent.futures: a standard pool cannot kill
one hung task without breaking every other task, and a worker that runs out of memory
takes the pool down. Here every worker is a process with its own pipe; the parent hands
out one file at a time, so it always knows which file a worker is on:

- a file that takes longer than ``timeout`` seconds: the worker is killed and replaced,
  the file becomes an error entry with code ``timeout``;
- a file that exhausts the per-worker memory bound (``RLIMIT_AS`` set in the worker to
  its size after start-up plus ``max_memory_mb``): Python raises MemoryError, the file
  becomes an error entry with code ``memory`` and the worker is replaced; a worker killed
  by the system (SIGKILL, the kernel's out-of-memory killer) is reported the same way;
- a worker that dies in native code (a crash in a PDF library): code ``crashed``.

Every other result is kept. Results come back in input order whatever the completion
order, so machine output is identical for any ``jobs`` value and for Dask. Ctrl-C stops
the workers and returns what finished; the rest become ``interrupted`` error entries.

The rules and the spaCy pipeline are built once in the parent before the workers are
forked (fork context where the platform has it), so each worker starts with them loaded;
with spawn, each worker builds them once at start-up. Building them takes about a second
on one core; with two or more workers, a read-ahead process (``ReadAhead``) extracts the
first files on another core meanwhile, so start-up no longer leaves the other cores idle.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from assure import __version__
from assure.models import DocStatus, DocumentResult, Report
from assure.runner import CheckOptions, check_file, error_result

DEFAULT_TIMEOUT = 600.0  # seconds per file
DEFAULT_MAX_MEMORY_MB = 3072  # per worker, on top of its size after start-up
EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch; None for jobs means one worker per core."""

    jobs: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB
    executor: str = "local"
    scheduler: str | None = None  # a Dask scheduler address (implies executor="dask")
    cache_dir: str | None = None
    progress: bool = False  # a rich progress bar on stderr (the CLI asks only on a TTY)

    def worker_count(self) -> int:
        return max(1, self.jobs if self.jobs else (os.cpu_count() or 1))


@dataclass
class BatchOutcome:
    """The report plus what the run itself did (not part of machine output)."""

    report: Report
    interrupted: bool = False
    cache_hits: int = 0
    cache_unwritable: bool = False
    checked: int = 0
    pages: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- progress
class _Progress:
    """Documents done, pages per second and ETA on stderr; a no-op when disabled."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled and total > 0
        self.pages = 0
        self.start = time.monotonic()
        self.last = 0.0
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # auto_refresh=False: no background thread, so forking workers stays safe
        self.bar = Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("docs"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        self.task = self.bar.add_task("check", total=total, rate="")
        self.bar.start()

    def advance(self, result: DocumentResult, n: int = 1) -> None:
        self.pages += result.pages or 0
        if self.enabled:
            elapsed = max(time.monotonic() - self.start, 1e-6)
            self.bar.update(self.task, advance=n, rate=f"{self.pages / elapsed:.0f} pages/s")
            self.tick(force=True)

    def tick(self, force: bool = False) -> None:
        if self.enabled and (force or time.monotonic() - self.last > 0.2):
            self.last = time.monotonic()
            self.bar.refresh()

    def note(self, line: str) -> None:
        """A line on stderr above the live bar (written straight to stderr it would be glued to the bar)."""
        if self.enabled:
            self.bar.console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)
            self.tick(force=True)
        else:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            self.bar.stop()


# --------------------------------------------------------------------------- workers
def _vm_size() -> int:
    """This process's virtual size in bytes (Linux); 0 when unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(max_memory_mb: int | None) -> None:
    if not max_memory_mb:
        return
    try:
        import resource
    except ImportError:  # not on this platform: rely on the parent's checks
        return
    limit = _vm_size() + max_memory_mb * 1024 * 1024
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _die_with_parent(parent_pid: int) -> None:
    """On Linux, have the kernel kill this process when the parent dies: assure killed by
    SIGKILL, or by SIGTERM before it could stop its workers, must not leave them behind."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's own shutdown stops the workers
        return
    if os.getppid() != parent_pid:  # the parent died before the request was made
        os._exit(1)


def _hash_in_time(path: str, options: CheckOptions, batch: BatchOptions) -> str | None:
    """The content hash of a file discovery did not hash, within the size cap and ``--timeout``
    (None past either: the file is checked uncached). Discovery's None (a file over the size
    cap, or not hashed in time) is kept as it is: hashing it here had no bound at all."""
    from assure.discover import HashTimeout, content_hash

    try:
        return content_hash(path, options.extract.max_bytes, batch.timeout)
    except HashTimeout:
        return None


def _check_sealed(
    path: str, ruleset: Any, options: CheckOptions, ready: str | None, seal: bool
) -> tuple[DocumentResult, str | None]:
    """Check one file; with ``seal``, also the hash of the bytes it was read from (None if
    the file changed while read): the only hash a result may be cached under."""
    document, digest = _load_ready(ready)
    if not seal or document is not None:
        return check_file(path, ruleset, options, document), digest
    from assure.safeio import ContentSeal

    with ContentSeal(path, options.extract.max_bytes) as sealed:
        result = check_file(path, ruleset, options)
    return result, sealed.digest


def _worker_main(
    conn: Any, ruleset: Any, options: CheckOptions, max_memory_mb: int | None, parent_pid: int, seal: bool = False
) -> None:
    """Loop: receive (index, path), send (index, result, retire, digest). Never prints to stdout."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # a library printing must not corrupt the JSON on stdout
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    except OSError:
        pass
    from assure.engine import compile_rules

    compile_rules(ruleset)  # already built when forked; built once here with spawn
    _limit_memory(max_memory_mb)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, path, ready = msg
        digest = None
        try:
            result, digest = _check_sealed(path, ruleset, options, ready, seal)
        except MemoryError:
            result = error_result(path, "memory", "ran out of memory while reading the document (--max-memory)")
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            result = error_result(path, "internal", f"unexpected {type(exc).__name__} in worker")
        retire = bool(result.error and result.error.get("code") == "memory")
        try:
            conn.send((index, result, retire, digest))
        except MemoryError:
            conn.send((index, error_result(path, "memory", "ran out of memory (--max-memory)"), True, None))
            return
        except (OSError, ValueError):
            return
        if retire:
            return


class _Worker:
    def __init__(self, ctx: Any, ruleset: Any, options: CheckOptions, max_memory_mb: int | None, seal: bool = False) -> None:
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker_main, args=(child, ruleset, options, max_memory_mb, os.getpid(), seal), daemon=True
        )
        self.proc.start()
        child.close()
        self.conn = parent
        self.task: tuple[int, str] | None = None
        self.started = 0.0

    def assign(self, index: int, path: str, ready: str | None = None) -> None:
        self.task = (index, path)
        self.started = time.monotonic()
        self.conn.send((index, path, ready))

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()


# --------------------------------------------------------------------------- read-ahead
def _load_ready(ready: str | None) -> tuple[Any, str | None]:
    """The document a read-ahead process extracted and its sealed hash, or (None, None)
    (then the worker extracts)."""
    if ready is None:
        return None, None
    try:
        with open(ready, "rb") as fh:
            document, digest = pickle.load(fh)  # noqa: S301 - written by our own child, in a private folder
            return document, digest
    except Exception:  # noqa: BLE001 - unreadable: extract the file again
        return None, None
    finally:
        try:
            os.unlink(ready)
        except OSError:
            pass


def _read_ahead_main(
    folder: str, todo: list[tuple[int, str]], options: CheckOptions, max_memory_mb: int | None, parent_pid: int | None = None
) -> None:
    """Extract files in ``todo`` order, pickling each document to ``folder/INDEX``.

    A file that fails is skipped: a worker extracts it again and reports the error itself,
    so error entries are the same with or without read-ahead."""
    if parent_pid is not None:
        _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    except OSError:
        pass
    from assure import gcpause
    from assure.extract import extract
    from assure.safeio import ContentSeal

    gcpause.resume()  # forked while the parent starts up with the collector paused
    _limit_memory(max_memory_mb)
    for index, path in todo:
        try:
            with ContentSeal(path, options.extract.max_bytes) as sealed:
                document = extract(path, options.extract)
            data = pickle.dumps((document, sealed.digest), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001, S112 - the worker will meet (and report) it again
            continue
        part = os.path.join(folder, f"{index}.part")
        try:
            with open(part, "wb") as fh:
                fh.write(data)
            os.replace(part, os.path.join(folder, str(index)))  # complete files only
        except OSError:  # a full or read-only temporary folder: the workers extract the rest
            return


_FOLDER_PREFIX = "assure-readahead-"


def _remove_stale_folders() -> None:
    """Remove read-ahead folders whose assure is gone: one killed with SIGKILL had no chance
    to clean up. The folder names carry the owning process id."""
    base = tempfile.gettempdir()
    try:
        names = [n for n in os.listdir(base) if n.startswith(_FOLDER_PREFIX)]
    except OSError:
        return
    for name in names:
        pid_text = name[len(_FOLDER_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except OSError:  # another user's process, or no way to tell: leave it
            continue
        path = os.path.join(base, name)
        try:
            if os.stat(path).st_uid != os.getuid():
                continue
        except (OSError, AttributeError):
            continue
        shutil.rmtree(path, ignore_errors=True)


class ReadAhead:
    """Extraction of the first files on a spare core while the parent loads the rules and
    builds the NLP pipeline.

    Why: loading the rules, importing spaCy and compiling the matchers takes about a second
    on one core, and extraction needs none of it. Started first, the process is small and
    forks fast; it is killed as soon as the workers can start, and whatever it finished is
    handed to them. It occupies one of the ``jobs`` slots, so it runs only with two or more
    workers (local processes or a Dask LocalCluster's), and only with fork (a spawned child
    would have to import everything).
    Use it as a context manager (the CLI starts it before loading the rules) and pass it to
    :func:`run_batch`; its temporary folder is removed on exit.
    """

    def __init__(self, ctx: Any, files: Sequence[str], options: CheckOptions, max_memory_mb: int | None) -> None:
        order = _largest_first(list(enumerate(files)))  # the order workers will take them in
        _remove_stale_folders()
        self.folder = tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-")
        self.proc = ctx.Process(
            target=_read_ahead_main, args=(self.folder, order, options, max_memory_mb, os.getpid()), daemon=True
        )
        try:
            self.proc.start()
        except OSError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    @classmethod
    def start(cls, files: Sequence[str], options: CheckOptions, batch: BatchOptions) -> ReadAhead | None:
        """A running read-ahead, or None where it cannot help (one worker, a remote Dask
        scheduler, no fork)."""
        ctx = _mp_context()
        if (
            not files
            or ctx.get_start_method() != "fork"
            or batch.worker_count() < 2
            or batch.scheduler  # remote workers may not see this machine's temporary folder
        ):
            return None
        try:
            # forked first: it imports the PDF readers it needs itself, on its own core, while
            # the parent imports them for the workers (see _run_local) and loads the rules
            return cls(ctx, files, options, batch.max_memory_mb)
        except OSError:  # no temporary folder or no process to spare: read nothing ahead
            return None

    def finish(self) -> dict[int, str]:
        """Stop reading; index -> pickled document for every file read in full."""
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        ready = {}
        for name in os.listdir(self.folder):
            if name.isdigit():
                ready[int(name)] = os.path.join(self.folder, name)
        return ready

    def cleanup(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


def _death_entry(path: str, exitcode: int | None, max_memory_mb: int | None) -> DocumentResult:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            return error_result(path, "memory", f"worker killed by the system ({name}) while reading, most likely out of memory")
        return error_result(path, "crashed", f"worker crashed ({name}) while reading the document")
    return error_result(path, "crashed", f"worker exited unexpectedly (code {exitcode}) while reading the document")


def _mp_context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def _ready_to_fork(todo: list[tuple[int, str]]) -> None:
    """What the parent does once before forking workers (local or a LocalCluster's): import the
    readers the files need, once rather than once per worker, and freeze the collector."""
    import gc

    from assure.extract import preload_readers

    preload_readers(path for _, path in todo)
    # no collection first (it would leave holes in pages the workers share, and take the parent
    # 50 ms): freezing moves everything out of the workers' collections, so they do not write
    # to the inherited pipeline's pages (the pattern the gc module's documentation recommends)
    gc.freeze()


def _run_local(
    todo: list[tuple[int, str]],
    ruleset: Any,
    options: CheckOptions,
    bopts: BatchOptions,
    done: Callable[..., None],
    progress: _Progress,
    read_ahead: ReadAhead | None,
) -> None:
    """Run ``todo`` on worker processes, calling ``done(index, result)`` as each finishes."""
    from assure.engine import compile_rules

    ctx = _mp_context()
    compile_rules(ruleset)  # once here: forked workers inherit it, and a bad pattern stops the run
    if ctx.get_start_method() == "fork":
        _ready_to_fork(todo)
    extracted = read_ahead.finish() if read_ahead is not None else {}  # as late as possible
    _run_workers(ctx, todo, extracted, ruleset, options, bopts, done, progress)


def _run_workers(
    ctx: Any,
    todo: list[tuple[int, str]],
    extracted: dict[int, str],
    ruleset: Any,
    options: CheckOptions,
    bopts: BatchOptions,
    done: Callable[..., None],
    progress: _Progress,
) -> None:
    # Long: one loop owns the worker pool, its timeouts, memory caps and Ctrl-C; split, that shared
    # state would have to travel between functions.
    from multiprocessing.connection import wait

    pending = deque(todo)
    workers: list[_Worker] = []
    try:
        for _ in range(min(bopts.worker_count(), len(pending))):
            workers.append(_Worker(ctx, ruleset, options, bopts.max_memory_mb, bool(bopts.cache_dir)))
        failed_starts = 0
        while True:
            for i, w in enumerate(workers):
                if w.task is None and pending and not w.proc.is_alive():
                    # died while idle (for example at start-up): replace it, but give up if
                    # workers cannot start at all rather than looping for ever
                    failed_starts += 1
                    w.kill()
                    if failed_starts > 3 * len(workers):
                        while pending:
                            index, path = pending.popleft()
                            done(
                                index,
                                error_result(path, "crashed", f"worker processes fail to start (exit code {w.proc.exitcode})"),
                            )
                        break
                    workers[i] = w = _Worker(ctx, ruleset, options, bopts.max_memory_mb, bool(bopts.cache_dir))
                if w.task is None and pending:
                    try:
                        w.assign(*pending[0], extracted.get(pending[0][0]))
                        pending.popleft()
                    except (OSError, ValueError):  # worker died before we could send: retried above
                        w.task = None
            busy = [w for w in workers if w.task is not None]
            if not busy:
                if pending:
                    continue
                break
            now = time.monotonic()
            wait_for = 0.25 if progress.enabled else 5.0
            if bopts.timeout:
                wait_for = min(wait_for, max(0.0, min(w.started + bopts.timeout - now for w in busy)))
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for))
            progress.tick()
            now = time.monotonic()
            replaced: list[_Worker] = []
            for w in busy:
                assert w.task is not None
                index, path = w.task
                got = None
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        if w.conn.poll():
                            got = w.conn.recv()
                    except (EOFError, OSError):
                        got = None
                    if got is not None:
                        _, result, retire, digest = got
                        w.task = None
                        done(index, result, digest)
                        if retire:
                            replaced.append(w)
                        continue
                    if not w.proc.is_alive():
                        w.proc.join(1)
                        w.task = None
                        done(index, _death_entry(path, w.proc.exitcode, bopts.max_memory_mb))
                        replaced.append(w)
                        continue
                if bopts.timeout and now - w.started > bopts.timeout:
                    w.task = None
                    done(index, error_result(path, "timeout", f"took longer than {bopts.timeout:g} s (--timeout); stopped"))
                    replaced.append(w)
            for w in replaced:
                workers.remove(w)
                w.kill()
                if pending:
                    workers.append(_Worker(ctx, ruleset, options, bopts.max_memory_mb, bool(bopts.cache_dir)))
    finally:
        for w in workers:
            if w.task is None:
                w.stop()
            else:
                w.kill()


# --------------------------------------------------------------------------- dask
DASK_GROUP_MAX = 8  # files per Dask task at most: fewer round trips, still fine-grained at the end
DASK_QUEUED = 2  # groups in flight per worker thread: the next one waits on the worker, so no round trip between them


def _dask_check(
    paths: list[str], key: str, options: CheckOptions, seal: bool = False, ready: Sequence[str | None] = ()
) -> list[tuple[DocumentResult, str | None]]:
    """The task run on a Dask worker: a group of files, with the rules its plugin compiled
    at start-up. Grouped because a Dask round trip costs about as much as checking a short
    plan. With ``seal``, each result carries the hash of the bytes it was read from (the
    cache key, see _check_sealed); ``ready``: for each file, the document the read-ahead
    extracted (a local cluster only), or None."""
    from assure.dask_rules import worker_rules

    ruleset = worker_rules(key)
    ready = list(ready) or [None] * len(paths)
    return [_check_sealed(path, ruleset, options, doc, seal) for path, doc in zip(paths, ready, strict=True)]


def _dask_groups(todo: list[tuple[int, str]], slots: int) -> deque[list[tuple[int, str]]]:
    """``todo`` (largest first) cut into groups that shrink as the end nears (each about a
    quarter of a slot's share of what remains, never more than DASK_GROUP_MAX files), so the
    last tasks are single files and no worker is left with a long group while the others
    wait (guided self-scheduling)."""
    groups: deque[list[tuple[int, str]]] = deque()
    i = 0
    while i < len(todo):
        size = max(1, min(DASK_GROUP_MAX, (len(todo) - i) // (4 * slots)))
        groups.append(todo[i : i + size])
        i += size
    return groups


SCHEDULER_TIMEOUT = "30s"  # how long to wait for --scheduler before exit 2


def _run_dask(
    todo: list[tuple[int, str]],
    ruleset: Any,
    options: CheckOptions,
    bopts: BatchOptions,
    done: Callable[..., None],
    progress: _Progress,
    read_ahead: ReadAhead | None = None,
) -> None:
    """The same work on a Dask cluster: a LocalCluster, or the scheduler at ``bopts.scheduler``.

    Paths are sent, not bytes: with a remote scheduler the workers must see the same files
    (a shared folder). Files go in small groups (``_dask_groups``), two groups per worker
    thread in flight (DASK_QUEUED), so a worker starts its next group without a round trip
    to this process; a group's deadline is ``timeout`` per file from its submission, counting
    the files of a group that may be queued before it; a group past its deadline is cancelled
    and its worker restarted, and its files (and those of a group that failed with it) are run
    again one per task, so only the file that hangs (or crashes a worker) becomes a ``timeout``
    (or ``crashed``) error entry. A LocalCluster's
    workers take what ``read_ahead`` extracted while the rules loaded and the cluster started.
    """
    # Long: the Dask client's set-up, submission loop and tear-down share one try/finally so a cluster is never left running.
    import logging
    import uuid

    try:
        import dask
        from distributed import Client, LocalCluster
        from distributed import wait as dwait

        from assure.dask_rules import RulesPlugin
    except ImportError:
        from assure.errors import ConfigError

        raise ConfigError("the Dask executor needs the optional extra: pip install 'assure-housing-health[dask]'") from None

    cluster = None
    run = uuid.uuid4().hex[:8]
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # a restarted worker is reported as an error entry, not a log line
    settings: dict[str, Any] = {
        "distributed.scheduler.allowed-failures": 0,
        "distributed.logging.distributed": "error",
        # this loop decides what runs where (a group per worker thread), so the scheduler's
        # work stealing has nothing to balance; and the event loops' 20 ms health tick, in the
        # parent and in every worker, took the GIL from the checks about 50 times a second
        "distributed.scheduler.work-stealing": False,
        "distributed.admin.tick.interval": "1s",
        # each worker's statistical profiler (for the dashboard, which assure does not start) sampled the
        # checking thread's stack every 10 ms from a thread of its own, taking the GIL from the checks
        "distributed.worker.profile.enabled": False,
    }
    if not bopts.scheduler and "fork" in mp.get_all_start_methods():
        # local workers forked from this process start with spaCy imported and the rules
        # compiled (as a local batch's do) instead of spawning and importing everything again
        settings["distributed.worker.multiprocessing-method"] = "fork"
    with dask.config.set(settings):
        if bopts.scheduler:
            try:
                client = Client(bopts.scheduler, timeout=SCHEDULER_TIMEOUT)
            except (OSError, TimeoutError, ValueError, TypeError) as unreachable:  # unreachable, refused, or not an address
                from assure.errors import ConfigError

                quiet.setLevel(level)
                reason = " ".join(str(unreachable).split()) or type(unreachable).__name__
                raise ConfigError(f"--scheduler {bopts.scheduler}: cannot connect to the Dask scheduler ({reason})") from None
        else:
            if "fork" in mp.get_all_start_methods():  # the cluster's workers are forked from here
                _ready_to_fork(todo)
            memory = "auto" if not bopts.max_memory_mb else f"{bopts.max_memory_mb + 512}MiB"
            cluster = LocalCluster(
                n_workers=bopts.worker_count(),
                threads_per_worker=1,
                processes=True,
                memory_limit=memory,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            client = Client(cluster)
        try:
            slots = max(1, sum(client.nthreads().values()))
            pending = _dask_groups(todo, slots)
            # (group, submitted, files it may take the time of: its own and those of the group queued before it)
            inflight: dict[Any, tuple[list[tuple[int, str]], float, int]] = {}
            client.register_plugin(RulesPlugin(run, ruleset))  # every worker compiles the rules now
            extracted = read_ahead.finish() if read_ahead is not None else {}  # as late as possible
            serial = 0
            innocent: set[str] = set()  # tasks queued on a worker restarted for another's timeout: run again
            while pending or inflight:
                while pending and len(inflight) < DASK_QUEUED * slots:
                    group = pending.popleft()
                    # a group queued behind another on its worker waits for it: its deadline allows for that group
                    ahead = max((len(g) for g, _, _ in inflight.values()), default=0) if len(inflight) >= slots else 0
                    serial += 1
                    fut = client.submit(
                        _dask_check,
                        [path for _, path in group],
                        run,
                        options,
                        bool(bopts.cache_dir),
                        [extracted.pop(index, None) for index, _ in group],
                        pure=False,
                        key=f"assure-{run}-{serial}",
                    )
                    inflight[fut] = (group, time.monotonic(), len(group) + ahead)
                wait_for = 0.25 if progress.enabled else 5.0
                if bopts.timeout:
                    now = time.monotonic()
                    wait_for = min(wait_for, max(0.01, min(s + bopts.timeout * n - now for _, s, n in inflight.values())))
                try:
                    finished = dwait(list(inflight), timeout=wait_for, return_when="FIRST_COMPLETED").done
                except TimeoutError:
                    finished = set()
                progress.tick()
                for fut in sorted(finished, key=lambda f: inflight[f][0][0][0]):
                    group, _, _ = inflight.pop(fut)
                    if fut.status == "finished":
                        for (index, _), outcome in zip(group, fut.result(), strict=True):
                            done(index, *outcome)
                    elif fut.key in innocent:  # failed with the worker restarted for another task
                        innocent.discard(fut.key)
                        pending.appendleft(group)
                    elif len(group) > 1:  # which file broke the worker? each again, alone
                        pending.extendleft([item] for item in reversed(group))
                    else:
                        index, path = group[0]
                        exc = fut.exception()
                        kind = type(exc).__name__
                        code = "memory" if kind == "KilledWorker" else "crashed"
                        done(index, error_result(path, code, f"the Dask worker failed on this document ({kind})"))
                now = time.monotonic()
                for fut, (group, started, allowed) in list(inflight.items()):
                    if bopts.timeout and now - started > bopts.timeout * allowed:
                        inflight.pop(fut)
                        innocent |= _restart_holder(client, fut.key)
                        fut.cancel()
                        if len(group) > 1:  # the same per-file limit: each file again, alone
                            pending.extendleft([item] for item in reversed(group))
                            continue
                        index, path = group[0]
                        done(index, error_result(path, "timeout", f"took longer than {bopts.timeout:g} s (--timeout); stopped"))
        finally:
            if bopts.scheduler:  # a shared cluster should not keep this run's rules
                try:
                    client.unregister_worker_plugin(f"assure-rules-{run}")
                except Exception:  # noqa: BLE001, S110 - best effort, the workers drop it on restart anyway
                    pass
            client.close()
            if cluster is not None:
                cluster.close()
            quiet.setLevel(level)


def _restart_holder(client: Any, key: str) -> set[str]:
    """Restart the worker running ``key`` so a hung task does not hold its slot; the keys of
    the other tasks queued on that worker, which the restart fails through no fault of theirs."""
    others: set[str] = set()
    try:
        for addr, keys in client.processing().items():
            if key in keys:
                others |= {str(k) for k in keys} - {key}
                client.restart_workers([addr])
    except Exception:  # noqa: BLE001 - best effort; the result is already an error entry
        pass
    return others


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _largest_first(todo: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Largest files first, so one big plan does not run alone at the end (results are
    still returned in input order)."""
    return sorted(todo, key=lambda item: (-_size(item[1]), item[0]))


# --------------------------------------------------------------------------- entry point
def run_batch(
    files: Sequence[str],
    ruleset: Any,
    options: CheckOptions | None = None,
    batch: BatchOptions | None = None,
    *,
    hashes: dict[str, str | None] | None = None,
    on_result: Callable[[DocumentResult, bool], str | None] | None = None,
    read_ahead: ReadAhead | None = None,
) -> BatchOutcome:
    """Check ``files`` and return a report in input order.

    ``hashes`` (path -> content hash, from discovery) are needed for the cache; files
    without a hash are checked but not cached. ``on_result(result, cached)`` is called in
    completion order, in the parent, for every result (``cached``: taken from the cache); a line
    it returns (an error) is printed on stderr above the progress bar.
    ``read_ahead``, started on the same files and options, is used and cleaned up; without
    one, a batch that still has to compile the rules starts its own.
    """
    options = options or CheckOptions()
    batch = batch or BatchOptions()
    if read_ahead is None:
        from assure.engine import is_compiled

        if not is_compiled(ruleset):
            read_ahead = ReadAhead.start(files, options, batch)
    try:
        return _run_batch(files, ruleset, options, batch, hashes, on_result, read_ahead)
    finally:
        if read_ahead is not None:
            read_ahead.cleanup()


def _run_batch(
    files: Sequence[str],
    ruleset: Any,
    options: CheckOptions,
    batch: BatchOptions,
    hashes: dict[str, str | None] | None,
    on_result: Callable[[DocumentResult, bool], str | None] | None,
    read_ahead: ReadAhead | None,
) -> BatchOutcome:
    # Long: the choice of executor, cache lookups and the read-ahead hand-off read best in one sequence.
    start = time.monotonic()
    n = len(files)
    results: list[DocumentResult | None] = [None] * n
    outcome = BatchOutcome(report=Report(documents=(), tool_version=__version__))
    cache = None
    keys: dict[int, str] = {}
    if batch.cache_dir:
        from assure.cache import ResultCache, cache_key

        cache = ResultCache(batch.cache_dir)
    progress = _Progress(n, batch.progress)

    def done(index: int, result: DocumentResult, digest: str | None = None, *, cached: bool = False) -> None:
        results[index] = result
        progress.advance(result)
        if cache is not None and digest:  # the hash of the bytes the worker read, never discovery's
            stored = cache.put(cache_key(digest, ruleset.for_path(files[index]), options, PurePath(files[index]).suffix), result)
            if not stored and cache.write_error and not outcome.cache_unwritable:
                outcome.cache_unwritable = True  # said once: the run goes on, uncached
                progress.note(f"assure: {batch.cache_dir}: cannot write the cache ({cache.write_error}); results are not cached")
        if result.status is not DocStatus.ERROR:
            outcome.pages += result.pages or 0
        if on_result:
            line = on_result(result, cached)  # a line to show (an error), printed above the progress bar
            if line:
                progress.note(line)

    todo: list[tuple[int, str]] = []
    try:
        for i, path in enumerate(files):
            if cache is not None:
                digest = hashes.get(path) if hashes is not None and path in hashes else _hash_in_time(path, options, batch)
                if digest:
                    # per_file_ignores: its own rules; the extension: its reader
                    keys[i] = cache_key(digest, ruleset.for_path(path), options, PurePath(path).suffix)
                    hit = cache.get(keys[i], path)
                    if hit is not None:
                        outcome.cache_hits += 1
                        done(i, hit, cached=True)
                        continue
            todo.append((i, path))
        outcome.checked = len(todo)
        todo = _largest_first(todo)
        if todo:
            if batch.executor == "dask" or batch.scheduler:
                from assure.engine import compile_rules

                compile_rules(ruleset)  # a bad pattern stops the run here, not on every worker
                _run_dask(todo, ruleset, options, batch, done, progress, read_ahead)
            else:
                _run_local(todo, ruleset, options, batch, done, progress, read_ahead)
    except KeyboardInterrupt:
        outcome.interrupted = True
    finally:
        progress.close()
    for i, path in enumerate(files):
        if results[i] is None:
            results[i] = _interrupted(path)
    outcome.seconds = time.monotonic() - start
    outcome.report = Report(documents=tuple(r for r in results if r is not None), tool_version=__version__)
    return outcome


def _interrupted(path: str) -> DocumentResult:
    return error_result(path, "interrupted", "not checked: the run was interrupted (Ctrl-C or SIGTERM)")


def interrupted_outcome(files: Sequence[str]) -> BatchOutcome:
    """The outcome of a run stopped before any document was checked (while the rules or
    spaCy were loading): every file is an ``interrupted`` entry, so the outputs are still written."""
    report = Report(documents=tuple(_interrupted(p) for p in files), tool_version=__version__)
    return BatchOutcome(report=report, interrupted=True)


def write_audit_outputs(
    report: Report,
    *,
    matrix: str | os.PathLike[str] | None = None,
    heatmap: str | os.PathLike[str] | None = None,
    skipped: Sequence[tuple[str, str]] = (),
    ruleset: Any = None,
) -> None:
    """Write the matrix (CSV or Markdown by extension) and the HTML heatmap through the format
    registry and the output layer (assure.safewrite). With ``ruleset``, every question gets a
    column even if no document was assessed."""
    from assure.report import FORMATS, RenderContext
    from assure.safewrite import write_output

    ctx = RenderContext(questions=[(q.id, q.title) for q in ruleset.questions] if ruleset is not None else None, skipped=skipped)
    if matrix is not None:
        name = "matrix" if str(matrix).lower().endswith(".csv") else "matrix-markdown"
        write_output(matrix, FORMATS[name].render(report, ctx), "text", label="--matrix")
    if heatmap is not None:
        write_output(heatmap, FORMATS["heatmap"].render(report, ctx), "markup", label="--heatmap")
