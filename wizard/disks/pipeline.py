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

from wizard.disks.digest import ContentDigest
from wizard.disks.writeio import aligned_buffer


class HashWorker:
    """SHA-256 of immutable pieces (``bytes``) given to :meth:`update`, computed on its own thread (hashlib
    releases the GIL), so hashing overlaps the I/O that produces the pieces instead of adding to it (e.g. the
    file hash of an SMB read-back). At most ``depth`` pieces wait; ``hexdigest()`` waits for the last one."""

    def __init__(self, depth: int = 4) -> None:
        self._sha = hashlib.sha256()
        self._jobs: queue.Queue = queue.Queue(maxsize=depth)
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while (data := self._jobs.get()) is not None:
            self._sha.update(data)

    def update(self, data: bytes) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="hash-worker", daemon=True)
            self._thread.start()
        self._jobs.put(data)  # the reply's own bytes object: immutable, so it can be handed over as it is

    def hexdigest(self) -> str:
        self.stop()
        return self._sha.hexdigest()

    def stop(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None


class HashThread:
    """Runs a :class:`ContentDigest` on a second thread (hashlib releases the GIL) over two owned buffers.

    ``buffer()`` hands out a free buffer (waiting while both are being hashed); fill it and ``submit()`` it.
    ``close()`` waits for the last piece and re-raises any error of the thread.
    """

    def __init__(self, hasher: ContentDigest, size: int, count: int = 2) -> None:
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

    def __init__(self, writer, hasher: ContentDigest | ChunkDigests | None, chunk: int, depth: int = 3) -> None:
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
    """Reads a disk (ascending allocated ranges, ``readinto`` into owned buffers) on threads of its own.

    ``sources`` are one or more independently opened images of the same disk: with two, pieces are dealt
    round-robin to two reading threads (each with its own image, so no reader state is shared) and
    decompression runs on both cores. With ``start``, nothing below that offset is read. Iterating yields
    ``(offset, view, token)`` in ascending order; every consumer of a piece calls ``release(token)`` when done
    with ``view`` (``consumers`` per piece). No data is copied: the readers fill our page-aligned buffers
    directly. Raises :class:`SequentialOnly` before yielding anything if ``readinto`` is unsupported (a
    one-pass stream), and on a resumed read (``start``) whose ranges turn out not to ascend.
    """

    def __init__(self, sources: list, chunk: int, cancel, consumers: int = 1, depth: int = 3, start: int = 0) -> None:
        self._sources, self._chunk, self._cancel, self._consumers = sources, chunk, cancel, consumers
        self._begin = start  # nothing below it is read (a resumed conversion)
        self._lock = threading.Lock()
        self._stop = False
        per_lane = depth if len(sources) == 1 else max(2, depth // 2)
        self._pools: list[queue.SimpleQueue] = []
        self._outs: list[queue.SimpleQueue] = []
        self._threads: list[threading.Thread] = []
        for i in range(len(sources)):
            pool: queue.SimpleQueue = queue.SimpleQueue()
            for _ in range(per_lane):
                pool.put(aligned_buffer(chunk))  # page-aligned: the writer may send it with O_DIRECT
            self._pools.append(pool)
            self._outs.append(queue.SimpleQueue())
            self._threads.append(threading.Thread(target=self._run, args=(i,), name=f"hvm-read{i}", daemon=True))
        for t in self._threads:
            t.start()

    def _run(self, lane: int) -> None:
        src, pool, out = self._sources[lane], self._pools[lane], self._outs[lane]
        lanes = len(self._sources)
        first = True
        k = 0
        try:
            prev_end = 0
            for start, length in src.allocated_ranges():  # ascending by contract
                if self._begin and start < prev_end:
                    raise SequentialOnly()  # a resume trusts that order: start over instead (see convert)
                prev_end = max(prev_end, start + length)
                pos, end = max(start, self._begin), start + length
                while pos < end:
                    n = min(self._chunk, end - pos)
                    if k % lanes == lane:
                        buf = pool.get()
                        if self._stop:
                            return
                        if self._cancel is not None:
                            self._cancel.check()
                        view = buf[:n]
                        try:
                            src.readinto(pos, view)
                        except NotImplementedError:
                            if first:
                                raise SequentialOnly() from None
                            raise
                        first = False
                        out.put((pos, view, [self._consumers, buf, pool]))
                    k += 1
                    pos += n
            out.put(None)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the consuming thread
            out.put(exc)

    def __iter__(self):
        k = 0
        lanes = len(self._outs)
        while True:
            item = self._outs[k % lanes].get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
            k += 1

    def release(self, token: list) -> None:
        with self._lock:
            token[0] -= 1
            last = token[0] == 0
        if last:
            token[2].put(token[1])

    def close(self) -> None:
        self._stop = True
        for pool in self._pools:
            pool.put(memoryview(bytearray(0)))  # wake a thread waiting for a buffer
        for t in self._threads:
            t.join()


class ReleasingHasher:
    """Hashes pieces on a thread, in submission order, releasing each piece's token when done."""

    def __init__(self, hasher: ContentDigest, release) -> None:
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
