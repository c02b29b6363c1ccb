"""Work spread over processes: a map in order, here for one worker, else over a pool.

The pool's processes are spawned (a fresh interpreter each, nothing of this process's
state, keys included, is copied into them) and start at once, each registering the fonts,
while this process prepares what they will be given.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Protocol, TypeVar

from certificates.fonts import register_fonts

#: What a mapped function is given.
Item = TypeVar("Item")
#: What a mapped function gives.
Result = TypeVar("Result")


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
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        for _ in range(workers):
            pool.submit(register_fonts)
        yield lambda function, items: pool.map(function, items, chunksize=chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
