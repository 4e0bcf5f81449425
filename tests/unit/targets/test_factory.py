"""Opening targets from --target text, and where the Hyper-V password comes from."""

from __future__ import annotations

import pytest

from wizard.core import secrets
from wizard.core.errors import AuthError, ConnectError, InputError
from wizard.targets.bundle import BundleTarget
from wizard.targets.factory import HostOptions, open_target
from wizard.targets.hyperv.session import normalize_thumbprint
from wizard.targets.hyperv.target import HyperVTarget


def test_bundle_target(tmp_path):
    target = open_target(f"bundle:{tmp_path}")
    assert isinstance(target, BundleTarget) and target.root == tmp_path


@pytest.mark.parametrize("spec", ["bundle:", "ftp://x", "hyperv://"])
def test_bad_target_text(spec):
    with pytest.raises(InputError):
        open_target(spec)


def test_hyperv_url_with_password_from_env(monkeypatch):
    monkeypatch.setenv("HV_PW", "s3cret")
    target = open_target("hyperv://CORP%5Cadmin@hv01.example:5999",
                         options=HostOptions(password_env="HV_PW", share="\\\\files01\\VMs"))
    assert isinstance(target, HyperVTarget)
    config = target.session.config
    assert (config.host, config.port, config.user, config.https) == ("hv01.example", 5999, "CORP\\admin", True)
    assert config.endpoint == "https://hv01.example:5999/wsman"
    assert target.uploader.server == "files01" and target.share_unc == "\\\\files01\\VMs"
    assert "s3cret" not in target.describe()


def test_hyperv_password_from_keyring():
    secrets.store("hyperv", "admin", "hv01", "from-keyring")
    target = open_target("hyperv://admin@hv01", options=HostOptions(share="\\\\hv01\\VMs"))
    assert target.session.config.port == 5986


def test_hyperv_without_password_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(AuthError) as info:
        open_target("hyperv://admin@hv02")
    assert "--password-env" in info.value.fix
    with pytest.raises(AuthError):
        open_target("hyperv://admin@hv02", options=HostOptions(password_env="NOPE"))


def test_thumbprint_forms():
    hexa = "AB" * 32
    assert normalize_thumbprint(":".join(hexa[i:i + 2] for i in range(0, 64, 2))) == hexa.lower()
    with pytest.raises(ConnectError):
        normalize_thumbprint("1234")
