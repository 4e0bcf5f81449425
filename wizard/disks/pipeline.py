"""Hashing and writing next to the reading thread: the conversion uses both cores.

The reader fills its own reused buffer; :class:`WritePipeline` copies each chunk into one of a few owned
buffers and hands it to a writer thread (``os.pwritev`` releases the GIL) and, when verifying, to a hash
thread (hashlib releases the GIL too), so decompression, writing and hashing overlap. Buffers return to the
pool when every consumer is done; a full pool blocks the reader (bounded memory).
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading

from wizard.disks.writeio import ZEROS, aligned_buffer


class Hasher:
    """SHA-256 of a virtual disk fed as (offset, data) pieces in ascending order; holes hash as zeros."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.pos = 0
        self.in_order = True

    def add(self, offset: int, data: memoryview) -> None:
        if offset < self.pos:
            self.in_order = False
            return
        self.zeros_to(offset)
        self.sha.update(data)
        self.pos = offset + len(data)

    def zeros_to(self, end: int) -> None:
        while self.pos < end:
            n = min(len(ZEROS), end - self.pos)
            self.sha.update(ZEROS[:n] if n < len(ZEROS) else ZEROS)
            self.pos += n

    def hexdigest(self, size: int) -> str:
        self.zeros_to(size)
        return self.sha.hexdigest()


class HashThread:
    """Runs a :class:`Hasher` on a second thread (hashlib releases the GIL) over two owned buffers.

    ``buffer()`` hands out a free buffer (waiting while both are being hashed); fill it and ``submit()`` it.
    ``close()`` waits for the last piece and re-raises any error of the thread.
    """

    def __init__(self, hasher: Hasher, size: int, count: int = 2) -> None:
        self.hasher = hasher
        self._free: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(count):
            self._free.put(memoryview(bytearray(size)))
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="hvm-hash", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            offset, view, buf = job
            try:
                if self._error is None:
                    self.hasher.add(offset, view)
            except BaseException as exc:  # noqa: BLE001 - handed to the submitting thread
                self._error = exc
            self._free.put(buf)

    def buffer(self) -> memoryview:
        buf = self._free.get()
        if self._error is not None:
            raise self._error
        return buf

    def submit(self, offset: int, view: memoryview, buf: memoryview) -> None:
        self._jobs.put((offset, view, buf))

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


class ChunkDigests:
    """SHA-256 of every chunk with its place, for sources that deliver chunks out of order."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, bytes]] = []

    def add(self, offset: int, data: memoryview) -> None:
        self.items.append((offset, len(data), hashlib.sha256(data).digest()))


class WritePipeline:
    """Feeds ``writer.write`` (and ``hasher.add`` when given) on worker threads from copied chunks.

    ``put(offset, view)`` returns once ``view`` has been copied; ``close()`` waits for all work and raises
    the first error of a worker; ``abort()`` stops the workers without raising.
    """

    def __init__(self, writer, hasher: Hasher | ChunkDigests | None, chunk: int, depth: int = 3) -> None:
        self._chunk = chunk
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(depth):
            self._pool.put(memoryview(bytearray(chunk)))
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._queues: list[queue.SimpleQueue] = []
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._start("hvm-write", writer.write)
        if hasher is not None:
            self._start("hvm-hash", hasher.add)

    def _start(self, name: str, work) -> None:
        q: queue.SimpleQueue = queue.SimpleQueue()
        t = threading.Thread(target=self._run, args=(q, work), name=name, daemon=True)
        self._queues.append(q)
        self._threads.append(t)
        t.start()

    def _run(self, q: queue.SimpleQueue, work) -> None:
        while True:
            job = q.get()
            if job is None:
                return
            offset, view, buf, remaining = job
            try:
                if self._error is None:
                    work(offset, view)
            except BaseException as exc:  # noqa: BLE001 - re-raised on the reading thread
                with self._lock:
                    if self._error is None:
                        self._error = exc
            finally:
                with self._lock:
                    remaining[0] -= 1
                    last = remaining[0] == 0
                if last:
                    self._pool.put(buf)

    def put(self, offset: int, view: memoryview) -> None:
        for i in range(0, len(view), self._chunk):
            buf = self._pool.get()
            if self._error is not None:
                self._pool.put(buf)
                raise self._error
            piece = view[i:i + self._chunk]
            dst = buf[:len(piece)]
            dst[:] = piece
            remaining = [len(self._queues)]
            for q in self._queues:
                q.put((offset + i, dst, buf, remaining))

    def close(self) -> None:
        self._stop()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        with self._lock:
            if self._error is None:
                self._error = RuntimeError("aborted")
        with contextlib.suppress(BaseException):
            self._stop()

    def _stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        for q in self._queues:
            q.put(None)
        for t in self._threads:
            t.join()


class SequentialOnly(Exception):  # noqa: N818 - a signal, not an error
    """The source cannot be read at random (a one-pass stream): use its ``chunks()`` instead."""


class ReadAhead:
    """Reads ``src`` (ascending allocated ranges, ``readinto`` into owned buffers) on a thread of its own.

    Iterating yields ``(offset, view, token)``; every consumer of a piece calls ``release(token)`` when it is
    done with ``view`` (``consumers`` per piece), which returns the buffer to the pool. No data is copied:
    the reader fills our buffers directly, and reading (decompression, page-cache copies) overlaps with the
    writes and the hash. Raises :class:`SequentialOnly` before yielding anything if ``readinto`` is unsupported.
    """

    def __init__(self, src, chunk: int, cancel, consumers: int = 1, depth: int = 3) -> None:
        self._src, self._chunk, self._cancel, self._consumers = src, chunk, cancel, consumers
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(depth):
            self._pool.put(aligned_buffer(chunk))  # page-aligned: the writer may send it with O_DIRECT
        self._out: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="hvm-read", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        first = True
        try:
            for start, length in self._src.allocated_ranges():  # ascending by contract
                pos, end = start, start + length
                while pos < end:
                    buf = self._pool.get()
                    if self._stop:
                        return
                    if self._cancel is not None:
                        self._cancel.check()
                    n = min(self._chunk, end - pos)
                    view = buf[:n]
                    try:
                        self._src.readinto(pos, view)
                    except NotImplementedError:
                        if first:
                            raise SequentialOnly() from None
                        raise
                    first = False
                    self._out.put((pos, view, [self._consumers, buf]))
                    pos += n
            self._out.put(None)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the consuming thread
            self._out.put(exc)

    def __iter__(self):
        while True:
            item = self._out.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def release(self, token: list) -> None:
        with self._lock:
            token[0] -= 1
            last = token[0] == 0
        if last:
            self._pool.put(token[1])

    def close(self) -> None:
        self._stop = True
        self._pool.put(memoryview(bytearray(0)))  # wake the thread if it waits for a buffer
        self._thread.join()


class ReleasingHasher:
    """Hashes pieces on a thread, in submission order, releasing each piece's token when done."""

    def __init__(self, hasher: Hasher, release) -> None:
        self.hasher, self._release = hasher, release
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="hvm-hash", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            offset, view, token = job
            try:
                if self._error is None:
                    self.hasher.add(offset, view)
            except BaseException as exc:  # noqa: BLE001 - re-raised by close()
                self._error = exc
            finally:
                self._release(token)

    def submit(self, offset: int, view: memoryview, token: list) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put((offset, view, token))

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
