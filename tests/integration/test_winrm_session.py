"""pywinrm against the loopback WinRM stand-in: success, every failure kind, certificate pinning.

The stand-in tests transport, parsing and error handling; it is not evidence that Hyper-V accepts the
scripts (that is the grammar test and the cmdlet table).
"""

from __future__ import annotations

import re

import pytest

from tests.winrm_standin.fakehost import BOOTSTRAP
from wizard.core.errors import AuthError, CertificateError, ConnectError, TargetError
from wizard.targets import powershell
from wizard.targets.hyperv.host import read_host_info
from wizard.targets.hyperv.session import HyperVSession, WinRMConfig

B64 = re.compile(rb"^[A-Za-z0-9+/=\r\n]+$")


def test_host_inventory_round_trip(winrm_host):
    session = winrm_host.session()
    info = read_host_info(session)
    assert info.computer_name == "HV01" and info.server_release == "2019" and info.default_version == "9.0"
    assert [s.name for s in info.switches] == ["LAN", "Lab Internal"]
    assert info.vm_path.free_bytes > 0 and info.shares[0].name == "VMs"
    (cmd,) = winrm_host.server.received
    assert cmd.command_line == "powershell.exe -NoLogo -NoProfile -NonInteractive -EncodedCommand " + BOOTSTRAP
    assert B64.match(bytes(cmd.stdin))
    assert winrm_host.server.actions == ["create", "command", "send", "receive", "signal", "delete"]


def test_large_settings_go_through_stdin_in_chunks(winrm_host):
    big = {"name": "x" * 300_000}
    out = winrm_host.session().run("remove_vm", big)
    assert out.exit_code == 0 and out.result == {"ok": True, "removed": [], "kept": []}
    assert winrm_host.host.received[0].data == big
    assert winrm_host.server.actions.count("send") > 1


def test_wrong_password_is_auth_error(winrm_host):
    with pytest.raises(AuthError) as info:
        read_host_info(winrm_host.session(password="not-it"))
    assert "not-it" not in info.value.message + info.value.details


def test_http_500_soap_fault_is_target_error_with_the_fault_text(winrm_host):
    winrm_host.host.fail("Get-HostInventory", "http500")
    with pytest.raises(TargetError) as info:
        read_host_info(winrm_host.session())
    assert "The service is shutting down" in info.value.message


def test_no_answer_is_connect_error(winrm_host):
    winrm_host.host.fail("Get-HostInventory", "hang")
    with pytest.raises(ConnectError) as info:
        read_host_info(winrm_host.session())
    assert "did not answer" in info.value.message


def test_cmdlet_error_is_readable(winrm_host):
    winrm_host.host.fail("Get-HostInventory", "cmdlet_error")
    with pytest.raises(TargetError) as info:
        read_host_info(winrm_host.session())
    err = info.value
    assert "Add-VMHardDiskDrive : Failed to add device 'Virtual Hard Disk'." in err.message
    assert "CLIXML" not in err.message and "_x000D_" not in err.message + err.details
    assert "being used by another process" in err.details


def test_refused_connection_is_connect_error(winrm_host):
    session = HyperVSession(WinRMConfig(host="127.0.0.1", user="u", port=1, https=False, connect_retries=1,
                                        operation_timeout=1, read_timeout=2), "pw", basic_for_tests=True)
    with pytest.raises(ConnectError) as info:
        read_host_info(session)
    assert "Cannot connect" in info.value.message


def test_basic_auth_is_refused_off_loopback():
    with pytest.raises(ConnectError):
        HyperVSession(WinRMConfig(host="hv01.example", user="u", https=False), "pw", basic_for_tests=True)


def test_clixml_parsing():
    text = powershell.clixml_to_text('#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/'
                                     'powershell/2004/04"><S S="Error">New-VM : The name is in use._x000D__x000A_'
                                     '</S><S S="Error">At line:3 char:1_x000D__x000A_</S></Objs>')
    assert text.splitlines()[0] == "New-VM : The name is in use."
    assert powershell.first_error_line(text) == "New-VM : The name is in use."
    assert powershell.first_error_line("At least one switch is missing") == "At least one switch is missing"


class TestCertificates:
    def test_pinned_thumbprint_is_accepted(self, winrm_tls_host):
        pin = winrm_tls_host.server.tls_thumbprint
        info = read_host_info(winrm_tls_host.session(thumbprint=":".join(re.findall("..", pin.upper()))))
        assert info.computer_name == "HV01"

    def test_unverifiable_certificate_names_its_thumbprint(self, winrm_tls_host):
        with pytest.raises(CertificateError) as info:
            read_host_info(winrm_tls_host.session())
        assert info.value.thumbprint == winrm_tls_host.server.tls_thumbprint
        assert winrm_tls_host.server.tls_thumbprint in info.value.fix

    def test_wrong_pin_is_refused(self, winrm_tls_host):
        with pytest.raises(CertificateError):
            read_host_info(winrm_tls_host.session(thumbprint="ab" * 32))
        assert winrm_tls_host.host.received == []

    def test_insecure_skips_verification(self, winrm_tls_host):
        assert read_host_info(winrm_tls_host.session(insecure=True)).computer_name == "HV01"
