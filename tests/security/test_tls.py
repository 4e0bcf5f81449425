"""TLS: verification on by default; a pinned thumbprint holds for the whole life of a session (also after
the session was closed and reopened) and is checked before any request carrying credentials is sent."""

from __future__ import annotations

import pytest

from wizard.core.errors import CertificateError
from wizard.targets.hyperv.host import read_host_info


def test_default_session_verifies_the_certificate(winrm_tls_host):
    with pytest.raises(CertificateError):
        read_host_info(winrm_tls_host.session())
    assert winrm_tls_host.host.received == []


def test_a_wrong_pin_still_holds_after_the_session_was_closed(winrm_tls_host):
    """pywinrm rebuilds its requests session after ``close``; the pin must come back with it (it used to be
    mounted once, so a reopened session ran with verification off and no pin at all)."""
    session = winrm_tls_host.session(thumbprint="ab" * 32)
    with pytest.raises(CertificateError):
        read_host_info(session)
    session.close()
    with pytest.raises(CertificateError):
        read_host_info(session)
    assert winrm_tls_host.host.received == []


def test_the_right_pin_works_again_after_close(winrm_tls_host):
    session = winrm_tls_host.session(thumbprint=winrm_tls_host.server.tls_thumbprint)
    assert read_host_info(session).computer_name == "HV01"
    session.close()
    assert read_host_info(session).computer_name == "HV01"


def test_insecure_is_loud(winrm_tls_host, caplog):
    with caplog.at_level("WARNING"):
        session = winrm_tls_host.session(insecure=True)
    assert any("WITHOUT certificate verification" in r.getMessage() for r in caplog.records)
    assert "NOT verified" in session.describe()
    assert "NOT verified" not in winrm_tls_host.session(thumbprint=winrm_tls_host.server.tls_thumbprint).describe()
