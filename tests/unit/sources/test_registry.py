"""Source specs: what the user types, which source opens, where the vSphere password comes from."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from wizard.core import secrets
from wizard.core.errors import AuthError, InputError
from wizard.sources.demo import DemoSource
from wizard.sources.registry import (
    FolderSource,
    SourceSpec,
    find_vm_files,
    load_inventory_or_discover,
    open_source,
    parse_source,
)


@pytest.mark.parametrize(("text", "ref"), [
    ("demo", SourceSpec("demo")),
    ("DEMO", SourceSpec("demo")),
    ("vsphere://vc01.corp", SourceSpec("vsphere", host="vc01.corp")),
    ("vsphere://root@esx1:8443", SourceSpec("vsphere", host="esx1", port=8443, user="root")),
    ("vsphere://administrator@vsphere.local@vc01", SourceSpec("vsphere", host="vc01",
                                                            user="administrator@vsphere.local")),
    ("vcenter://CORP%5Cjoe@[fe80::1]:443/sdk", SourceSpec("vsphere", host="fe80::1", user="CORP\\joe")),
])
def test_parse_remote_and_demo(text: str, ref: SourceSpec):
    assert parse_source(text) == ref


def test_parse_local_paths(tmp_path: Path):
    (tmp_path / "a.vmx").write_text('displayName = "a"\n')
    (tmp_path / "inv.json").write_text("{}")
    assert parse_source(str(tmp_path)).kind == "folder"
    assert parse_source(str(tmp_path / "a.vmx")) == SourceSpec("vmx", path=str(tmp_path / "a.vmx"))
    assert parse_source(str(tmp_path / "inv.json")).kind == "inventory"


@pytest.mark.parametrize("text", ["", "ftp://x", "vsphere://", "vsphere://h:99999", "/no/such/thing.vmx",
                                  "/no/such/folder"])
def test_bad_specs_are_input_errors(text: str):
    with pytest.raises(InputError):
        parse_source(text)


def test_unknown_file_type(tmp_path: Path):
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(InputError, match=r"expected \.vmx"):
        parse_source(str(tmp_path / "x.txt"))


@pytest.fixture
def fake_vsphere(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Stands in for wizard.sources.vsphere to see what open_source passes (the real one needs a server)."""
    calls: list[dict] = []

    class VSphereSource:
        def __init__(self, host, port=443, user="", password=None, thumbprint="", insecure=False, remember=False):
            calls.append(dict(host=host, port=port, user=user, password=password, thumbprint=thumbprint,
                              insecure=insecure, remember=remember))

    module = types.ModuleType("wizard.sources.vsphere")
    module.VSphereSource = VSphereSource
    monkeypatch.setitem(sys.modules, "wizard.sources.vsphere", module)
    return calls


def test_password_from_environment(fake_vsphere, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("VC_PW", "s3cret!")
    open_source("vsphere://joe@vc01:444", password_env="VC_PW", thumbprint="AB:CD", insecure=True, remember=True)
    assert fake_vsphere == [dict(host="vc01", port=444, user="joe", password="s3cret!", thumbprint="AB:CD",
                                 insecure=True, remember=True)]


def test_password_from_keyring(fake_vsphere, memory_keyring):
    secrets.store("vsphere", "joe", "vc01", "from-keyring")
    open_source("vsphere://joe@vc01")
    assert fake_vsphere[0]["password"] == "from-keyring"


def test_missing_password_is_a_clear_error_without_prompting(fake_vsphere, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(AuthError, match="NOPE is not set"):
        open_source("vsphere://joe@vc01", password_env="NOPE")
    with pytest.raises(AuthError, match="(?i)no password for joe@vc01") as info:
        open_source("vsphere://joe@vc01", prompt=lambda *who: None)  # nobody typed one
    assert "--password-env" in info.value.fix
    assert fake_vsphere == []


def test_demo_and_inventory_round_trip(tmp_path: Path):
    assert isinstance(open_source("demo"), DemoSource)
    inv = load_inventory_or_discover("demo")
    inv.save(tmp_path / "inv.json")
    again = load_inventory_or_discover(str(tmp_path / "inv.json"))
    assert again.to_json() == inv.to_json()
    with pytest.raises(InputError, match="inventory file is not a source"):
        open_source(str(tmp_path / "inv.json"))


def test_folder_lists_vm_files_in_order(tmp_path: Path):
    for rel in ["b/b.vmx", "a/a.vbox", "a/deep/x/y/too-deep.vmx", "c.ova", "c.ovf", "notes.txt", "v.vmx.lck/m.vmx"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
    got = [(k, str(Path(p).relative_to(tmp_path))) for k, p in find_vm_files(tmp_path)]
    assert got == [("vbox", "a/a.vbox"), ("vmx", "b/b.vmx"), ("ova", "c.ova"), ("ovf", "c.ovf")]
    assert isinstance(open_source(str(tmp_path)), FolderSource)


def test_empty_folder_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no virtual machine found"):
        open_source(str(tmp_path)).discover()


def test_plan_reference_round_trip(tmp_path: Path, fake_vsphere, monkeypatch: pytest.MonkeyPatch):
    from wizard.core.plan import SourceRef

    src = open_source("demo")
    assert src.ref == SourceRef(kind="demo", address="demo")
    (tmp_path / "a.vmx").write_text('displayName = "a"\n')
    src = open_source(str(tmp_path / "a.vmx"))
    assert src.ref.kind == "vmx" and Path(src.ref.address).is_absolute()
    assert open_source(src.ref).discover().vms[0].name == "a"
    monkeypatch.setenv("PW", "x")
    src = open_source("vsphere://joe@[fe80::1]:444", password_env="PW", thumbprint="AA")
    ref = src.ref
    assert (ref.kind, ref.address, ref.user, ref.thumbprint) == ("vsphere", "[fe80::1]:444", "joe", "AA")
    open_source(SourceRef(kind="vsphere", address="vc01:8443", user="joe", insecure=True), password_env="PW")
    assert fake_vsphere[-1]["host"] == "vc01" and fake_vsphere[-1]["port"] == 8443 and fake_vsphere[-1]["insecure"]


def test_folder_skips_a_damaged_vm_and_says_so(tmp_path: Path):
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "good.vmx").write_text('displayName = "good"\n')
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "bad.ovf").write_text("<notxml")
    events = []
    src = open_source(str(tmp_path))
    inv = src.discover(events.append)
    assert [vm.name for vm in inv.vms] == ["good"]
    assert [Path(p).name for p, _ in src.skipped] == ["bad.ovf"]
    assert any(e.level == "warning" and "bad.ovf" in e.message for e in events)
    (tmp_path / "good" / "good.vmx").unlink()
    with pytest.raises(InputError, match="no VM in this folder could be read"):
        open_source(str(tmp_path)).discover()


def test_password_never_reaches_the_plan_reference_or_errors(fake_vsphere, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PW", "Hunter2-secret")
    src = open_source("vsphere://joe@vc01", password_env="PW")
    assert "Hunter2-secret" not in repr(src.ref) and "Hunter2-secret" not in parse_source("vsphere://joe@vc01").describe()
    with pytest.raises(AuthError) as info:
        open_source("vsphere://joe@vc01", password_env="UNSET_VAR_FOR_TEST")
    assert "Hunter2-secret" not in str(info.value.to_dict())
