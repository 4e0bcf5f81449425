"""The SMB data path without smbprotocol's per-field packing and buffer copies: WRITE and READ for the disk share.

smbprotocol builds every message field by field and copies each data buffer several times on the way out (the
request, the header, the signature splice, the transport frame, and once more per partial socket send) and on
the way in (the socket reads, the signature check's re-pack, the decryption's re-pack). For a disk that is
several CPU-seconds per GiB, more than the network. :class:`FastConnection` is an smbprotocol
:class:`~smbprotocol.connection.Connection` (negotiation, authentication, credits, the receive thread,
every other command: all smbprotocol's) with a lean path for bulk data:

- :meth:`FastConnection.write_request` / :meth:`FastConnection.read_request` send one SMB2 WRITE / READ with
  a header packed in one ``struct`` call, signed (AES-GMAC, AES-CMAC or HMAC-SHA256, as negotiated) over the
  header and the caller's buffer in pieces, and, when the session or share requires it, encrypted (AES-GCM as
  negotiated, streamed from the pieces into one reused buffer; AES-CCM in one call) and handed to the socket
  with the caller's buffer as it is (``memoryview``: no copy). The request is registered with smbprotocol's
  receive thread before it goes out, and takes message ids and credits under its lock, exactly as
  smbprotocol's own sends; :meth:`write_count` / :meth:`read_data` take the reply (errors raise as they would
  from smbprotocol) and return the count / a view of the reply's data without copying it.
- Replies are checked as smbprotocol checks them (the signature of every signed reply; decryption with its tag
  check), over the reply's pieces instead of re-packed copies; the socket is read into one reused buffer.
- Security is never weakened: what is signed, encrypted or checked is decided by the same session and share
  flags smbprotocol uses, and the algorithms are the negotiated ones.

:func:`connection_for` puts a :class:`FastConnection` into a ``smbclient`` connection cache, so the session,
tree and file opens smbclient makes over that cache all run on it.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import select
import socket
import struct
import sys
import timeit

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, aead, algorithms, modes
from smbclient import ClientConfig
from smbprotocol import Dialects
from smbprotocol.connection import Ciphers, Connection, Request, SigningAlgorithms
from smbprotocol.exceptions import SMBException
from smbprotocol.header import Commands, Smb2Flags, SMB2HeaderRequest
from smbprotocol.open import Open, SMB2ReadRequest, SMB2WriteRequest
from smbprotocol.transport import Tcp

_HEADER = struct.Struct("<4sHHIHHIIQIIQ16s")  # SMB2 sync header, 64 bytes (MS-SMB2 2.2.1.2)
_WRITE = struct.Struct("<HHIQ16sIIHHI")  # SMB2 WRITE request without its buffer, 48 bytes (2.2.21)
_READ = struct.Struct("<HBBIQ16sIIIHHB")  # SMB2 READ request with its one-byte buffer, 49 bytes (2.2.19)
_TRANSFORM_TAIL = struct.Struct("<IHHQ")  # the transform header after its nonce (2.2.41)
_CREDIT = 65536
_GCM = (Ciphers.AES_128_GCM, Ciphers.AES_256_GCM)
_TRANSFORM_SIZE = 52  # the transform header (2.2.41), before the ciphertext
_SEALED_SPLIT = 64 * 1024  # encrypted messages larger than this reach the parser without their ciphertext
# a read that returns at once when nothing is there (Windows has no such flag: there we select first)
_DONTWAIT = None if sys.platform == "win32" else socket.MSG_DONTWAIT


def connection_for(cache: dict, server: str, port: int, timeout: int) -> None:
    """Make sure ``cache`` (a ``smbclient`` connection cache) holds a live :class:`FastConnection` to
    ``server:port``; smbclient then opens its sessions on it. Connection failures raise as smbclient's would."""
    key = f"{server.lower()}:{port}"
    conn = cache.get(key)
    if conn is not None and conn.transport is not None and conn.transport.connected:
        return
    conn = FastConnection(ClientConfig().client_guid, server, port, require_signing=True)
    conn.connect(timeout=timeout)
    cache[key] = conn


def _lendable(msg: memoryview) -> bool:
    """True for a message the receive thread may get as a view of a reused buffer: an encrypted one (its
    parser copies what it keeps) or a plain, synchronous, single READ reply. Anything smbprotocol may keep a
    slice of (the negotiate and session setup messages for the pre-authentication hash, an async id) is given
    as its own bytes."""
    if msg[:4] == b"\xfdSMB":
        return True
    if len(msg) < 64 or msg[:4] != b"\xfeSMB":
        return False
    command, = struct.unpack_from("<H", msg, 12)
    flags, next_command = struct.unpack_from("<II", msg, 16)
    return command == Commands.SMB2_READ and not flags & Smb2Flags.SMB2_FLAGS_ASYNC_COMMAND and next_command == 0


class _FastTcp(Tcp):
    """smbprotocol's transport, reading each message into one reused buffer with as few system calls as it
    can (the stock one asks ``recv`` for the whole remainder, allocating that much, and selects before every
    read). The receive thread takes one message at a time and parses it before it reads the next, so a
    message it does not keep (:func:`_lendable`) is handed over as a view of that buffer, not copied."""

    _buf: bytearray | None = None
    sealed: memoryview | None = None  # the ciphertext of the encrypted message last received (see _recv)

    def _recv(self, length, timeout):
        if self._buf is None or len(self._buf) < length:
            self._buf = bytearray(max(length, 1 << 20))
        view = memoryview(self._buf)
        offset = 0
        ready = False  # select said there is something to read
        while offset < length:
            with self._close_lock:
                if not self.connected:
                    return None, timeout
                try:
                    if not ready and _DONTWAIT is None:
                        raise BlockingIOError
                    got = self._sock.recv_into(view[offset:length], 0, 0 if ready else _DONTWAIT)
                except BlockingIOError:
                    start = timeit.default_timer()
                    ready = bool(select.select([self._sock], [], [], max(timeout, 1))[0])
                    elapsed = timeit.default_timer() - start
                    timeout -= elapsed
                    if not ready:
                        raise TimeoutError(f"recv idle for {elapsed:.1f}s ({offset}/{length} bytes)") from None
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.ESHUTDOWN, errno.ECONNRESET, errno.ECONNABORTED):
                        raise
                    got = 0
            ready = False
            if got == 0:
                self.close()
                return None, timeout
            offset += got
        msg = view[:length]
        if length > _SEALED_SPLIT and msg[:4] == b"\xfdSMB":
            # smbprotocol's parser would copy the ciphertext out of the transform header (Field.set_value):
            # it gets the header alone, and FastConnection._decrypt takes the ciphertext from here
            self.sealed = msg[_TRANSFORM_SIZE:]
            return msg[:_TRANSFORM_SIZE], timeout
        return (msg if length > 64 and _lendable(msg) else bytes(msg)), timeout


def _sign(conn: Connection, key: bytes, parts, message_id: int, command: int, response: bool) -> bytes:
    """The SMB2 signature over ``parts`` (the header with a zeroed signature first), as negotiated."""
    if conn.dialect >= Dialects.SMB_3_1_1 and conn.signing_algorithm_id is not None:
        algo = conn.signing_algorithm_id
    elif conn.dialect >= Dialects.SMB_3_0_0:
        algo = SigningAlgorithms.AES_CMAC
    else:
        algo = SigningAlgorithms.HMAC_SHA256
    if algo == SigningAlgorithms.AES_GMAC:
        info = (1 if response else 0) | (2 if command == Commands.SMB2_CANCEL else 0)
        nonce = message_id.to_bytes(8, "little") + info.to_bytes(4, "little")
        enc = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
        for part in parts:
            enc.authenticate_additional_data(part)
        enc.finalize()
        return enc.tag
    if algo == SigningAlgorithms.AES_CMAC:
        mac = cmac.CMAC(algorithms.AES(key))
        for part in parts:
            mac.update(part)
        return mac.finalize()
    digest = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        digest.update(part)
    return digest.digest()[:16]


class FastConnection(Connection):
    """An smbprotocol connection with a lean WRITE/READ path; see the module docstring."""

    _sealed: bytearray | None = None  # the encryption output buffer, used under the transport's send lock
    _opened: bytearray | None = None  # the decryption output buffer, used by the receive thread alone

    def connect(self, *args, **kwargs):
        super().connect(*args, **kwargs)
        # The receive thread looks the transport's methods up for every message: from the next one on it
        # reads through the reusing receive loop (same state, same contract; only _recv differs).
        self.transport.__class__ = _FastTcp

    # -- requests ----------------------------------------------------------------------------------------
    def write_request(self, fh: Open, data, offset: int, credit_request: int) -> Request:
        """Send an SMB2 WRITE of ``data`` (bytes-like, not copied) at ``offset``; returns the pending request."""
        n = len(data)
        body = _WRITE.pack(49, 64 + 48, n, offset, fh.file_id, 0, 0, 0, 0, 0)
        return self._send_data(fh, Commands.SMB2_WRITE, SMB2WriteRequest, body, data, n, credit_request)

    def read_request(self, fh: Open, offset: int, length: int, credit_request: int) -> Request:
        """Send an SMB2 READ of ``length`` bytes at ``offset``; returns the pending request."""
        body = _READ.pack(49, 0x50, 0, length, offset, fh.file_id, 0, 0, 0, 0, 0, 0)
        return self._send_data(fh, Commands.SMB2_READ, SMB2ReadRequest, body, b"", length, credit_request)

    def write_count(self, request: Request) -> int:
        """The byte count of a WRITE's reply (waits for it; an error status raises as in smbprotocol)."""
        body = self.receive(request)["data"].get_value()
        return struct.unpack_from("<I", body, 4)[0]

    def read_data(self, request: Request) -> memoryview:
        """The data of a READ's reply, a view of the reply itself (waits for it; errors raise)."""
        body = self.receive(request)["data"].get_value()
        start = body[2] - 64
        length = struct.unpack_from("<I", body, 4)[0]
        return memoryview(body)[start:start + length]

    def _send_data(self, fh: Open, command: int, kind: type, body: bytes, payload, size: int,
                   credit_request: int) -> Request:
        tree = fh.tree_connect
        session = tree.session
        self._check_worker_running()
        with self.sequence_lock:
            charge = (max(0, size - 1) // _CREDIT + 1) if self.supports_multi_credit else 0
            available = self.sequence_window["high"] - self.sequence_window["low"]
            if charge > available:
                raise SMBException(f"Request requires {charge} credits but only {available} credits are available")
            message_id = self.sequence_window["low"]
            self.sequence_window["low"] += charge or 1
        flags = Smb2Flags.SMB2_FLAGS_DFS_OPERATIONS if tree.is_dfs_share else 0
        signing = bool(session.signing_required and session.signing_key)
        if signing:
            flags |= Smb2Flags.SMB2_FLAGS_SIGNED
        header = bytearray(_HEADER.pack(b"\xfeSMB", 64, charge, 0, command, credit_request or charge, flags, 0,
                                        message_id, 0, tree.tree_connect_id, session.session_id, bytes(16)))
        if signing:
            header[48:64] = _sign(self, session.signing_key, (header, body, payload), message_id, command, False)
        record = SMB2HeaderRequest()  # what smbprotocol's receive thread and receive() look up
        record["command"] = command
        record["message_id"] = message_id
        record["session_id"] = session.session_id
        record["tree_id"] = tree.tree_connect_id
        request = Request(record, kind, self, session_id=session.session_id)
        self.outstanding_requests[message_id] = request
        parts = (bytes(header) + body, payload)
        encrypt = bool(session.encrypt_data or tree.encrypt_data)
        with self.transport._sock_lock:
            if encrypt:
                parts = self._seal(session, parts)
            total = sum(len(p) for p in parts)
            if total > Tcp.MAX_SIZE:
                raise ValueError(f"Data to be sent over Direct TCP size {total} exceeds the max length allowed")
            self._sendall([struct.pack(">I", total) + parts[0], *parts[1:]])
        return request

    def _sendall(self, parts) -> None:
        sock = self.transport._sock
        views = [memoryview(p).cast("B") for p in parts if len(p)]
        while views:
            sent = sock.sendmsg(views)
            while views and sent >= len(views[0]):
                sent -= len(views[0])
                views.pop(0)
            if views and sent:
                views[0] = views[0][sent:]

    def _seal(self, session, parts) -> tuple:
        """The transform header and the encrypted message (2.2.41) for the plain ``parts``."""
        size = sum(len(p) for p in parts)
        cipher_id = self.cipher_id if self.dialect >= Dialects.SMB_3_1_1 else Ciphers.AES_128_CCM
        if cipher_id in _GCM:
            nonce = os.urandom(12)
            head = bytearray(b"\xfdSMB" + bytes(16) + nonce + bytes(4) + _TRANSFORM_TAIL.pack(size, 0, 1,
                                                                                              session.session_id))
            enc = Cipher(algorithms.AES(session.encryption_key), modes.GCM(nonce)).encryptor()
            enc.authenticate_additional_data(bytes(head[20:52]))
            if self._sealed is None or len(self._sealed) < size + 16:
                self._sealed = bytearray(size + 16)
            out = memoryview(self._sealed)
            pos = 0
            for part in parts:
                pos += enc.update_into(part, out[pos:])
            enc.finalize()
            head[4:20] = enc.tag
            return head, out[:size]
        nonce = os.urandom(11)
        head = bytearray(b"\xfdSMB" + bytes(16) + nonce + bytes(5) + _TRANSFORM_TAIL.pack(size, 0, 1,
                                                                                          session.session_id))
        sealed = aead.AESCCM(session.encryption_key).encrypt(nonce, b"".join(parts), bytes(head[20:52]))
        head[4:20] = sealed[-16:]
        return head, memoryview(sealed)[:-16]

    # -- replies -----------------------------------------------------------------------------------------
    def verify_signature(self, header, session_id, force=False):
        """smbprotocol's check, over the header's fields and its data as they are (no re-packed copies)."""
        message_id = header["message_id"].get_value()
        flags = header["flags"]
        status = header["status"].get_value()
        command = header["command"].get_value()
        if not force and (message_id == 0xFFFFFFFFFFFFFFFF or not flags.has_flag(Smb2Flags.SMB2_FLAGS_SIGNED)
                          or status == 0x00000103 or command == Commands.SMB2_SESSION_SETUP):
            return  # 0x103: STATUS_PENDING
        session = self.session_table.get(session_id, None)
        if session is None:
            raise SMBException(f"Failed to find session {session_id} for message verification")
        head = b"".join(field.pack() for name, field in header.fields.items() if name != "data")
        expected = _sign(self, session.signing_key, (head[:48], bytes(16), header["data"].get_value()),
                         message_id, command, True)
        actual = header["signature"].get_value()
        if not hmac.compare_digest(actual, expected):
            raise SMBException(f"Server message signature could not be verified: {actual.hex()} != {expected.hex()}")

    def _decrypt(self, message):
        sealed, self.transport.sealed = self.transport.sealed, None
        if sealed is not None and not message["data"].get_value():
            data = sealed  # kept back by _FastTcp._recv
        else:
            data = message["data"].get_value()
        cipher_id = self.cipher_id if self.dialect >= Dialects.SMB_3_1_1 else Ciphers.AES_128_CCM
        if cipher_id not in _GCM or message["flags"].get_value() != 0x0001:
            if data is sealed:
                message["data"] = bytes(data)
            return super()._decrypt(message)
        session_id = message["session_id"].get_value()
        session = self.session_table.get(session_id, None)
        if session is None:
            raise SMBException(f"Failed to find valid session {session_id} for message decryption")
        nonce = message["nonce"].get_value()
        aad = nonce + _TRANSFORM_TAIL.pack(message["original_message_size"].get_value(),
                                           message["reserved"].get_value(), 1, session_id)
        dec = Cipher(algorithms.AES(session.decryption_key), modes.GCM(nonce[:12], message["signature"].get_value())
                     ).decryptor()
        dec.authenticate_additional_data(aad)
        if self._opened is None or len(self._opened) < len(data) + 16:
            self._opened = bytearray(len(data) + 16)
        plain = memoryview(self._opened)[:dec.update_into(data, self._opened)]
        dec.finalize()  # checks the tag: raises InvalidTag for a forged or damaged message
        return plain if _lendable(plain) else bytes(plain)
