"""SMB uploads run over an encrypted, signed session by default."""

from __future__ import annotations

import pytest

from wizard.targets.hyperv.smb_upload import SmbUploader

pytestmark = pytest.mark.samba


def test_default_upload_session_is_encrypted_and_signed(samba, tmp_path):
    local = tmp_path / "d.vhdx"
    local.write_bytes(b"z" * 4096)
    uploader = SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=samba.port)
    try:
        uploader.makedirs(samba.unc + "\\sec")
        uploader.upload(str(local), samba.unc + "\\sec\\d.vhdx")
        connections = list(uploader._cache.values())
        assert connections
        for conn in connections:
            assert conn.require_signing
            sessions = list(conn.session_table.values())
            assert sessions and all(s.encrypt_data and s.require_encryption for s in sessions)
    finally:
        uploader.close()
