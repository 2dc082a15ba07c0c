"""Independent column work on every core.

After Arrow's parse (which uses every core itself), loading a table is a few pieces of
work that need nothing from each other: each number column cast from text, the id keys
sorted to prove the ids distinct, the file's SHA-256. Each spends its time in Arrow,
numpy or hashlib, which let go of the interpreter lock while they work, so on threads
they run side by side. Measured on the `check 3 000 000 areas` row of
`benchmarks/bench.py` (2 cores): the load's casts, id check and hash take 0.40 s one
after another and 0.20 s side by side. A screen decides its criteria side by side too.

Answers and errors are those of the same work done in order: results come back in the
order asked for, and of several failures the one that would have come first is raised.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import ParamSpec, TypeVar

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


_PREFIX = "urbanscreen-core"


@cache
def _pool() -> ThreadPoolExecutor:
    # As many threads as cores: on 2 cores, the id check on one thread and the casts one
    # after another on the other measured 8 % faster than the casts on threads of their own.
    return ThreadPoolExecutor(max_workers=max(2, _cores()), thread_name_prefix=_PREFIX)


def _cores() -> int:
    """The cores this process may run on: a container or `taskset` may allow fewer than
    the machine has."""
    if hasattr(os, "sched_getaffinity"):  # not on macOS or Windows
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 2


if sys.platform != "win32":
    # A child forked after the pool was made (multiprocessing's default on Linux) has none
    # of its threads, yet the pool would count them as its own and give them the work: the
    # child makes a pool of its own instead of waiting forever.
    os.register_at_fork(after_in_child=_pool.cache_clear)


def _on_the_pool() -> bool:
    # Already on one of the threads: waiting there for the others could wait forever.
    return threading.current_thread().name.startswith(_PREFIX)


def each(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[work(item) for item in items]``, the items side by side."""
    if _on_the_pool():
        return [work(item) for item in items]
    futures = [in_background(work, item) for item in items]
    try:
        return [future.result() for future in futures]
    finally:  # an error: the work not yet begun is not begun
        for future in futures:
            future.cancel()


def in_background(work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """``work(*args)`` started beside the caller; its ``result()`` waits for it."""
    if not _on_the_pool():
        try:
            return _pool().submit(work, *args, **kwargs)
        except RuntimeError:
            # The interpreter is ending (the main thread is done) and the pool takes no
            # more work: a caller's thread that outlives the main one gets its answer from
            # the work done here, as on the pool's own threads.
            pass
    done: Future[R] = Future()
    try:
        done.set_result(work(*args, **kwargs))
    except Exception as exc:
        done.set_exception(exc)
    return done


@contextmanager
def alongside(work: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> Iterator[None]:
    """Run ``work(*args)`` beside the body of the ``with``, as if it ran before it: its
    error, if any, is raised in place of whatever the body raised or returned. Ctrl-C or
    a termination signal (an exception that is no ``Exception``) goes through as it is:
    the run was asked to stop, whatever the work finds."""
    future = in_background(work, *args, **kwargs)
    try:
        yield
    except Exception:
        future.result()  # raises work's own error first, as work done first would have
        raise
    future.result()
