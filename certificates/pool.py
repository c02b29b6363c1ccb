"""Work spread over processes: a map in order, here for one worker, else over a pool.

The pool's processes are spawned (a fresh interpreter each, nothing of this process's
state, keys included, is copied into them) and start at once, each registering the fonts,
while this process prepares what they will be given. Items are read as the workers need
them, a few chunks ahead: a lazy iterable (pages signed one by one) is produced while the
workers render the first ones, and results come back in order as soon as they are done.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import Protocol, TypeVar

from certificates.fonts import register_fonts

#: What a mapped function is given.
Item = TypeVar("Item")
#: What a mapped function gives.
Result = TypeVar("Result")
#: Chunks in flight per worker: one being worked on, one waiting.
CHUNKS_AHEAD = 2


class OrderedMap(Protocol):
    """``map``: each item's result, in the items' order."""

    def __call__(
        self, function: Callable[[Item], Result], items: Iterable[Item], /
    ) -> Iterator[Result]:
        """The results of ``function`` on ``items``, in order."""
        ...


@contextmanager
def worker_pool(workers: int, chunk: int) -> Iterator[OrderedMap]:
    """A map in order: here for one worker, else over ``workers`` processes, ``chunk``
    items sent to a process at a time."""
    if workers <= 1:
        yield map
        return
    with _stderr_of_a_file():
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        for _ in range(workers):
            pool.submit(register_fonts)
    try:

        def ordered(function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
            """The results of ``function`` on ``items``, read ``chunk`` at a time as needed."""
            source = iter(items)
            pending: deque[Future[list[Result]]] = deque()

            def submit() -> None:
                """Send the next chunk of items, if any, to the pool."""
                if batch := list(islice(source, chunk)):
                    pending.append(pool.submit(_map_chunk, function, batch))

            for _ in range(workers * CHUNKS_AHEAD):
                submit()
            while pending:
                done = pending.popleft().result()
                submit()
                yield from done

        yield ordered
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _has_a_file(stream: object) -> bool:
    """Whether ``stream`` is backed by an open file descriptor."""
    try:
        return stream is not None and stream.fileno() >= 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


@contextmanager
def _stderr_of_a_file() -> Iterator[None]:
    """``sys.stderr`` backed by a file while the pool starts: multiprocessing hands its
    descriptor to the resource tracker it starts with the pool's first lock, and a
    captured stderr (the terminal app's, whose ``fileno()`` is -1) stops it starting."""
    if _has_a_file(sys.stderr) or not _has_a_file(sys.__stderr__):
        yield
        return
    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = captured


def _map_chunk(function: Callable[[Item], Result], items: list[Item]) -> list[Result]:
    """``function`` on each of ``items``, in a worker."""
    return [function(item) for item in items]
