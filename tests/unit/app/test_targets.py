"""One way to open a target for both front ends: --target text or the wizard's fields give a TargetSpec; the
transport, pinned thumbprint and share the user chose reach the connection; one password resolver."""

from __future__ import annotations

import dataclasses

import pytest

from wizard.app.targets import Credentials, TargetSpec, open_target
from wizard.core import secrets
from wizard.core.errors import AuthError, ConnectError, InputError
from wizard.targets.bundle import BundleTarget
from wizard.targets.hyperv.session import normalize_thumbprint
from wizard.targets.hyperv.target import HyperVTarget

THUMB = "ab" * 32


def test_bundle_target(tmp_path):
    target = open_target(TargetSpec.parse(f"bundle:{tmp_path}"))
    assert isinstance(target, BundleTarget) and target.root == tmp_path


@pytest.mark.parametrize("spec", ["bundle:", "ftp://x", "hyperv://", "hyperv://h:99999"])
def test_bad_target_text(spec):
    with pytest.raises(InputError):
        TargetSpec.parse(spec)


def test_hyperv_url_with_password_from_env(monkeypatch):
    monkeypatch.setenv("HV_PW", "s3cret")
    spec = TargetSpec.parse("hyperv://CORP%5Cadmin@hv01.example:5999", share="\\\\files01\\VMs")
    target = open_target(spec, credentials=Credentials(env="HV_PW"))
    assert isinstance(target, HyperVTarget)
    config = target.session.config
    assert (config.host, config.port, config.user, config.https) == ("hv01.example", 5999, "CORP\\admin", True)
    assert config.endpoint == "https://hv01.example:5999/wsman"
    assert target.uploader.server == "files01" and target.share_unc == "\\\\files01\\VMs"
    assert "s3cret" not in target.describe()


def test_the_wizards_choices_reach_the_connection():
    """Transport, pinned certificate and a share on another server, as typed on the Target page."""
    spec = TargetSpec(kind="hyperv", host="hv01", user="admin", port=5986, transport="credssp", thumbprint=THUMB,
                      share="\\\\nas02\\HyperV")
    assert spec.winrm().transport == "credssp"  # (the Kerberos and CredSSP libraries are optional installs)
    target = open_target(dataclasses.replace(spec, transport="ntlm"), credentials=Credentials(password="typed"))
    config = target.session.config
    assert (config.transport, config.thumbprint) == ("ntlm", THUMB)
    assert target.uploader.server == "nas02", "the disks go to the share's own server, not the host"


def test_hyperv_password_from_keyring():
    secrets.store("hyperv", "admin", "hv01", "from-keyring")
    target = open_target(TargetSpec.parse("hyperv://admin@hv01", share="\\\\hv01\\VMs"))
    assert target.session.config.port == 5986


def test_a_typed_password_is_remembered_only_when_asked():
    spec = TargetSpec.parse("hyperv://admin@hv03")
    open_target(spec, credentials=Credentials(password="once"))
    assert secrets.lookup("hyperv", "admin", "hv03") is None
    open_target(spec, credentials=Credentials(password="kept", remember=True))
    assert secrets.lookup("hyperv", "admin", "hv03") == "kept"


def test_hyperv_without_password_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("NOPE", raising=False)
    spec = TargetSpec.parse("hyperv://admin@hv02")
    with pytest.raises(AuthError) as info:
        open_target(spec, credentials=Credentials(missing_fix="Type it in the Password field."))
    assert info.value.fix == "Type it in the Password field."
    with pytest.raises(AuthError):
        open_target(spec, credentials=Credentials(env="NOPE"))
    asked = []
    target = open_target(spec, credentials=Credentials(prompt=lambda *who: asked.append(who) or "typed"))
    assert asked == [("hyperv", "admin", "hv02")] and isinstance(target, HyperVTarget)


def test_thumbprint_forms():
    hexa = "AB" * 32
    assert normalize_thumbprint(":".join(hexa[i:i + 2] for i in range(0, 64, 2))) == hexa.lower()
    with pytest.raises(ConnectError):
        normalize_thumbprint("1234")


def test_the_free_space_check_can_be_skipped_on_purpose(tmp_path, monkeypatch):
    """The estimate of a dynamic disk is an upper bound: a person who knows better may go on (and is told the
    risk where the switch is); by default a VM that may not fit is stopped before anything is written."""
    import collections
    import shutil

    from wizard.app.planning import PlanRequest, build_plan
    from wizard.app.sources import open_source

    source = open_source("demo")
    item = build_plan(source.discover(), PlanRequest(vms=["web01"]), source.ref).plan.items[0]
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage(1 << 30, 1 << 30, 1024))
    strict = open_target(TargetSpec.parse(f"bundle:{tmp_path / 'b'}"))
    assert any("bytes free" in p for p in strict.preflight(item))
    relaxed = open_target(TargetSpec.parse(f"bundle:{tmp_path / 'b'}", check_space=False))
    assert not any("bytes free" in p for p in relaxed.preflight(item))
