"""Reading a local file's pieces ahead of their consumer, on a thread of its own.

Contract of :class:`Prefetch`: iterating yields ``(offset, view)`` for every ``(offset, length)`` of
``pieces``, in that order, ``view`` holding the file's bytes there (shorter only at the end of the file). The
reads run on one thread, at most ``ahead`` pieces before the consumer, each into the buffer that
``buffer(offset, length)`` returns (called on that thread: it must not hand out a buffer the consumer may
still use). A read error is raised to the consumer at the piece it concerns. :meth:`close` (also on leaving
a ``with`` block) stops the thread and waits for it; it is safe to call at any time.

Why: a read with ``O_DIRECT`` (:class:`wizard.disks.writeio.UncachedFile`) gets no read-ahead from the kernel,
so a loop that reads a piece and then sends it waits for the device at every piece.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator

from wizard.disks.bytesource import ByteSource

_END = object()


class Prefetch:
    def __init__(self, src: ByteSource, pieces: Iterable[tuple[int, int]],
                 buffer: Callable[[int, int], memoryview], ahead: int = 2) -> None:
        self._src, self._pieces, self._buffer = src, pieces, buffer
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hvm-prefetch", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for offset, length in self._pieces:
                if self._stop.is_set():
                    return
                view = self._buffer(offset, length)
                n = self._src.pread_into(offset, view)
                if not self._put((offset, view[:n])) or n < length:
                    break
        except BaseException as exc:  # noqa: BLE001 - raised on the consumer's thread
            self._put(exc)
            return
        self._put(_END)

    def __iter__(self) -> Iterator[tuple[int, memoryview]]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(queue.Empty):  # room for a reader waiting to put: it then sees the stop
            while True:
                self._queue.get_nowait()
        self._thread.join()

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
