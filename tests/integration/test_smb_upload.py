"""Disk upload to a real Samba server on loopback: encryption, resume after a dropped connection, verify."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading

import pytest

from tests.fixtures.samba import CuttableProxy
from wizard.core.errors import AuthError, Cancelled
from wizard.core.progress import CancelToken
from wizard.targets.hyperv.smb_upload import SmbUploader, split_unc

pytestmark = pytest.mark.samba
MiB = 1024 * 1024


@pytest.fixture
def payload(tmp_path):
    path = tmp_path / "disk.vhdx"
    path.write_bytes(os.urandom(3 * MiB) + b"\0" * (2 * MiB) + os.urandom(3 * MiB + 123))
    return path


def _uploader(samba, port=None, **kw):
    return SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=port or samba.port,
                       chunk=512 * 1024, backoff=0.05, **kw)


def test_split_unc():
    assert split_unc("\\\\hv01\\VMs\\a\\b.vhdx") == ("hv01", "VMs", "a\\b.vhdx")
    assert split_unc("//hv01/VMs") == ("hv01", "VMs", "")


def test_upload_verifies_and_renames(samba, payload):
    up = _uploader(samba)
    events = []
    result = up.upload(payload, samba.unc + "\\plain\\disk.vhdx", events.append, vm="web01")
    up.close()
    stored = samba.share_dir / "plain" / "disk.vhdx"
    assert stored.read_bytes() == payload.read_bytes()
    assert result.sha256 == hashlib.sha256(payload.read_bytes()).hexdigest()
    assert not (samba.share_dir / "plain" / "disk.vhdx.partial").exists()
    assert {e.stage for e in events} == {"upload", "verify-upload"} and all(e.vm == "web01" for e in events)
    assert result.resumed_at == []


def test_upload_is_flushed_to_the_hosts_disk_before_it_is_verified(samba, payload, monkeypatch):
    from smbprotocol.open import Open

    order = []
    real_flush = Open.flush

    def flush(self, *args, **kwargs):
        order.append(("flush", self.file_name))
        return real_flush(self, *args, **kwargs)

    monkeypatch.setattr(Open, "flush", flush)
    up = _uploader(samba)
    up.upload(payload, samba.unc + "\\durable\\disk.vhdx",
              lambda e: order.append(("verify", "")) if e.stage == "verify-upload" else None)
    up.close()
    flushed = [i for i, (what, name) in enumerate(order) if what == "flush" and name.endswith("disk.vhdx.partial")]
    assert flushed, "an SMB2 FLUSH was sent for the uploaded file"
    assert flushed[0] < order.index(("verify", "")), "flushed before the read-back"


def test_holes_of_a_sparse_file_are_not_sent(samba, smb_proxy, tmp_path):
    sparse = tmp_path / "sparse.vhdx"
    head, tail = os.urandom(2 * MiB), os.urandom(MiB + 77)
    with open(sparse, "wb") as fh:
        fh.write(head)
        fh.seek(40 * MiB)  # a hole, as the VHDX writer leaves inside blocks
        fh.write(tail)
    up = _uploader(samba, port=smb_proxy.port)
    result = up.upload(sparse, samba.unc + "\\sparse\\disk.vhdx")
    up.close()
    stored = samba.share_dir / "sparse" / "disk.vhdx"
    assert stored.read_bytes() == sparse.read_bytes()
    assert result.sha256 == hashlib.sha256(sparse.read_bytes()).hexdigest()
    assert smb_proxy.bytes_up < 10 * MiB, f"{smb_proxy.bytes_up} bytes went up for 3 MiB of data"


class _ActAt(CuttableProxy):
    """A proxy that runs ``act`` once, on its own thread, when ``at`` bytes have gone up to the server (the
    upload is then deterministically part-way, however fast it runs)."""

    def __init__(self, target_port: int, at: int, act) -> None:
        super().__init__(target_port)
        self.at, self.act, self.fired = at, act, threading.Event()

    def _pipe(self, src, dst, up):
        if not up:
            return super()._pipe(src, dst, up)
        try:
            while data := src.recv(256 * 1024):
                self.bytes_up += len(data)
                self._flowing.wait()
                dst.sendall(data)
                if self.bytes_up >= self.at and not self.fired.is_set():
                    self.fired.set()
                    self.act()
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def big_payload(tmp_path):
    path = tmp_path / "big.vhdx"
    path.write_bytes(os.urandom(6 * MiB) + b"\0" * (2 * MiB) + os.urandom(16 * MiB + 123))
    return path


def test_upload_resumes_after_the_connection_is_cut(samba, big_payload):
    proxy = _ActAt(samba.port, 12 * MiB, lambda: proxy.cut())
    try:
        up = _uploader(samba, port=proxy.port)
        result = up.upload(big_payload, samba.unc + "\\cut\\disk.vhdx")
        up.close()
    finally:
        proxy.close()
    assert proxy.fired.is_set(), "the connection was cut during the upload"
    # what may have been in flight when the cut came is sent again (at most 4 requests); never the whole file
    assert result.resumed_at and result.resumed_at[0] >= 12 * MiB - 4 * MiB, "continued where it stopped, not from 0"
    assert (samba.share_dir / "cut" / "disk.vhdx").read_bytes() == big_payload.read_bytes()
    assert proxy.bytes_up < 1.5 * big_payload.stat().st_size, "the first part was not sent twice"


def test_upload_resumes_after_smbd_restarts(samba, big_payload):
    proxy = _ActAt(samba.port, 12 * MiB, samba.restart)
    try:
        up = _uploader(samba, port=proxy.port)
        result = up.upload(big_payload, samba.unc + "\\restart\\disk.vhdx")
        up.close()
    finally:
        proxy.close()
    assert proxy.fired.is_set() and result.resumed_at and result.resumed_at[0] >= 12 * MiB - 4 * MiB
    assert (samba.share_dir / "restart" / "disk.vhdx").read_bytes() == big_payload.read_bytes()


def test_cancel_keeps_partial_for_a_later_resume(samba, big_payload):
    token = CancelToken()
    proxy = _ActAt(samba.port, 12 * MiB, token.cancel)
    try:
        up = _uploader(samba, port=proxy.port)
        with pytest.raises(Cancelled):
            up.upload(big_payload, samba.unc + "\\cancel\\disk.vhdx", None, token)
    finally:
        proxy.close()
    partial = samba.share_dir / "cancel" / "disk.vhdx.partial"
    assert partial.exists() and not (samba.share_dir / "cancel" / "disk.vhdx").exists()
    up = _uploader(samba)
    result = up.upload(big_payload, samba.unc + "\\cancel\\disk.vhdx")
    up.close()
    assert result.resumed_at and result.resumed_at[0] > 0
    assert (samba.share_dir / "cancel" / "disk.vhdx").read_bytes() == big_payload.read_bytes()


def test_damaged_partial_is_not_trusted(samba, payload):
    """A leftover .partial whose tail differs from the local file is rewritten from 0."""
    target = samba.share_dir / "stale"
    target.mkdir(exist_ok=True)
    (target / "disk.vhdx.partial").write_bytes(b"\xff" * MiB)
    up = _uploader(samba)
    result = up.upload(payload, samba.unc + "\\stale\\disk.vhdx")
    up.close()
    assert result.resumed_at == []
    assert (target / "disk.vhdx").read_bytes() == payload.read_bytes()


def test_wrong_password_is_an_auth_error(samba, payload):
    up = SmbUploader("127.0.0.1", username=samba.user, password="wrong", port=samba.port)
    with pytest.raises(AuthError) as info:
        up.upload(payload, samba.unc + "\\x\\disk.vhdx")
    assert "wrong" not in str(info.value) and "wrong" not in info.value.details
