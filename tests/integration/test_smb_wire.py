"""The lean SMB data path against a real Samba: the server's largest requests, signing and encryption kept.

A tapping proxy between client and smbd sees every SMB message (its 4-byte length prefix) in both directions,
so the tests count what went over the wire, and can alter one byte of a reply on its way back."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import struct

import pytest

from tests.fixtures.samba import SMBD, CuttableProxy, SambaServer
from wizard.targets.hyperv.smb_upload import SmbUploader

pytestmark = pytest.mark.samba
MiB = 1024 * 1024


class _Tap(CuttableProxy):
    """Counts the SMB messages each way by size; ``flip_at`` alters the byte at that position of the stream
    coming back from the server (once)."""

    def __init__(self, target_port: int, flip_at: int | None = None) -> None:
        self.sizes: dict[bool, list[int]] = {True: [], False: []}  # up → message sizes
        self.flip_at, self.flipped = flip_at, False
        super().__init__(target_port)

    def _pipe(self, src, dst, up):
        pending = bytearray()  # bytes of the current message header not yet complete
        left = 0  # bytes of the current message still to come
        seen = 0
        try:
            while data := bytearray(src.recv(256 * 1024)):
                if not up and self.flip_at is not None and not self.flipped and seen + len(data) > self.flip_at:
                    data[self.flip_at - seen] ^= 0xFF
                    self.flipped = True
                seen += len(data)
                view = memoryview(data)
                while view:
                    if left:
                        take = min(left, len(view))
                        left -= take
                        view = view[take:]
                        continue
                    need = 4 - len(pending)
                    pending += view[:need]
                    view = view[need:]
                    if len(pending) == 4:
                        left = struct.unpack(">I", pending)[0]
                        self.sizes[up].append(left)
                        pending.clear()
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def big(self, up: bool) -> int:
        """Messages that carried data (more than 64 KiB) in that direction."""
        return sum(1 for n in self.sizes[up] if n > 64 * 1024)


@pytest.fixture(scope="module")
def plain_samba(tmp_path_factory):
    """A second smbd whose sessions are signed but not encrypted (encryption only when a client asks)."""
    if not os.path.exists(SMBD):
        pytest.skip("samba (smbd) is not installed")
    server = SambaServer(tmp_path_factory.mktemp("plain-samba"))
    server.conf.write_text(server.conf.read_text().replace("smb encrypt = desired", "smb encrypt = if_required"))
    server.start()
    yield server
    server.stop()


def _upload_through_tap(server: SambaServer, tmp_path, encrypt: bool):
    data = os.urandom(64 * MiB)
    local = tmp_path / "disk.vhdx"
    local.write_bytes(data)
    tap = _Tap(server.port)
    up = SmbUploader("127.0.0.1", username=server.user, password=server.password, port=tap.port, encrypt=encrypt)
    try:
        result = up.upload(local, server.unc + "\\wire\\disk.vhdx")
        session = next(iter(next(iter(up._cache.values())).session_table.values()))
    finally:
        up.close()
        tap.close()
    assert (server.share_dir / "wire" / "disk.vhdx").read_bytes() == data
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    return tap, session


@pytest.mark.parametrize("encrypt", [True, False], ids=["encrypted", "signed"])
def test_data_goes_in_the_largest_requests_the_server_takes(samba, plain_samba, tmp_path, encrypt):
    tap, session = _upload_through_tap(samba if encrypt else plain_samba, tmp_path, encrypt)
    # Samba takes 8 MiB per WRITE and READ: 64 MiB go up in 8 WRITEs and come back (verified) in 8 READ replies
    assert tap.big(up=True) <= 8 + 1, f"{tap.big(up=True)} data-carrying requests for 64 MiB"
    assert tap.big(up=False) <= 8 + 1, f"{tap.big(up=False)} data-carrying replies for 64 MiB"
    assert max(tap.sizes[True]) > 8 * MiB and max(tap.sizes[False]) > 8 * MiB
    # security as negotiated: the encrypted session stays encrypted, the other signs every message
    assert bool(session.encrypt_data) is encrypt
    assert encrypt or (session.signing_required and session.signing_key)


@pytest.mark.parametrize("encrypt", [True, False], ids=["encrypted", "signed"])
def test_a_reply_altered_on_the_wire_is_never_taken_as_data(samba, plain_samba, encrypt):
    server = samba if encrypt else plain_samba
    folder = server.share_dir / f"altered-{encrypt}"
    folder.mkdir(exist_ok=True)
    data = os.urandom(24 * MiB)
    (folder / "disk.vhdx").write_bytes(data)
    tap = _Tap(server.port, flip_at=2 * MiB)  # inside the first READ reply's data
    up = SmbUploader("127.0.0.1", username=server.user, password=server.password, port=tap.port, encrypt=encrypt,
                     backoff=0.05)
    try:
        sha = up.remote_sha256(server.unc + f"\\altered-{encrypt}\\disk.vhdx")
    finally:
        up.close()
        tap.close()
    assert tap.flipped, "a byte of a reply was altered"
    # the altered reply failed its signature / authentication tag: the connection was dropped and the file read
    # again over a new one, so the hash is the stored file's
    assert sha == hashlib.sha256(data).hexdigest()
    shutil.rmtree(folder)
