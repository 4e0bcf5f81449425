"""Known passwords through whole runs at ``-vv``: not in any file written, stdout/stderr, log record,
exception message or details, or object repr — in plain text, base64 or UTF-16 form.

- CLI against the vCenter simulator (its own password): discover, assess (HTML + CSV), plan, migrate to a
  bundle with a journal and a report.
- In-process direct migration to the WinRM stand-in + a real Samba share with guest fix-ups: WinRM, SMB
  and guest passwords; only the guest password may travel, and only inside the fix-up settings.
"""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7!hunter2-Sekr3t"


def forms(secret: str) -> dict[str, bytes]:
    raw = secret.encode()
    return {"plain": raw, "base64": base64.b64encode(raw), "utf-16": secret.encode("utf-16-le"),
            "base64 utf-16": base64.b64encode(secret.encode("utf-16-le"))}


def leaks(blob: bytes | str, secrets: list[str]) -> list[str]:
    data = blob.encode("utf-8", "surrogateescape") if isinstance(blob, str) else blob
    return [f"{s!r} as {k}" for s in secrets for k, v in forms(s).items() if v in data]


def files_leaking(folder: Path, secrets: list[str]) -> list[str]:
    return [f"{p}: {hit}" for p in folder.rglob("*") if p.is_file() for hit in leaks(p.read_bytes(), secrets)]


@pytest.mark.vcsim
def test_cli_run_against_vcenter_leaks_no_password(tmp_path):
    from tests.fixtures.vcsim import start_vcsim

    sim = start_vcsim(f"-pass={SECRET}")
    try:
        qemu_img("create", "-f", "vmdk", str(sim.datastore_dir() / "DC0_H0_VM0" / "disk1.vmdk"), "2M")
        env = {**os.environ, "HVM_PW": SECRET, "HVMIGRATE_CONFIG_DIR": str(tmp_path / "config"),
               "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
               "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
        url = f"vsphere://{sim.user}@{sim.host}:{sim.port}"
        login = ["--password-env", "HVM_PW", "--insecure"]
        runs = [
            ["discover", url, *login, "-o", str(tmp_path / "inventory.json")],
            ["assess", url, *login, "--json", "--html", str(tmp_path / "a.html"), "--csv", str(tmp_path / "a.csv")],
            ["plan", url, *login, "--vm", "DC0_H0_VM0", "-o", str(tmp_path / "plan.json")],
            ["migrate", str(tmp_path / "plan.json"), "--target", f"bundle:{tmp_path / 'bundle'}",
             "--source-password-env", "HVM_PW", "--journal", str(tmp_path / "j.jsonl"),
             "--report", str(tmp_path / "m.html")],
            ["discover", url, "--password-env", "HVM_BAD", "--insecure"],  # a wrong password: the error path
        ]
        env["HVM_BAD"] = SECRET[::-1]
        for args in runs:
            out = subprocess.run([sys.executable, "-m", "wizard", "-vv", *args], capture_output=True, cwd=ROOT,
                                 env=env, timeout=300)
            assert leaks(out.stdout + out.stderr, [SECRET, SECRET[::-1]]) == [], args[0]
            if args[0] != "discover" or "HVM_PW" in args:
                assert out.returncode == 0, out.stderr.decode()[-2000:]
        assert (tmp_path / "bundle").is_dir() and (tmp_path / "m.html").is_file()
        assert files_leaking(tmp_path, [SECRET, SECRET[::-1]]) == []
    finally:
        sim.stop()


@pytest.mark.samba
def test_direct_migration_with_guest_fixups_leaks_no_password(samba, winrm_host, tmp_path, caplog, memory_keyring):
    from tests.integration.targets_support import LocalDisksSource, plan_item, source_vm
    from wizard.core import secrets
    from wizard.migrate.item import migrate_item
    from wizard.targets.hyperv.smb_upload import SmbUploader
    from wizard.targets.hyperv.target import HyperVTarget

    guest_secret = "Gu3st-" + SECRET
    src = tmp_path / "src"
    src.mkdir()
    disk = src / "d0.vmdk"
    qemu_img("create", "-f", "vmdk", str(disk), "2M")
    vm = source_vm("app01", [(disk, 2 * 1024 * 1024)])
    item = plan_item(vm)
    secrets.store("guest", "Administrator", item.target.name, guest_secret)
    winrm_host.host.shares = [{"name": "vms", "path": "D:\\Hyper-V"}]
    winrm_host.host.share_root = samba.share_dir
    host_secrets = [winrm_host.server.password, samba.password]
    caplog.set_level(logging.DEBUG)
    uploader = SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=samba.port)
    target = HyperVTarget(winrm_host.session(), uploader, samba.unc, staging_dir=tmp_path / "staging")
    try:
        outcome = migrate_item(LocalDisksSource([vm]), target, item, fixups=True)
        assert outcome.ok, outcome.error and outcome.error.one_line()
        shown = " ".join(repr(x) for x in (target, target.session, target.session.config, uploader, outcome))
    finally:
        target.close()
    everything = [guest_secret, *host_secrets]
    logged = "\n".join(r.getMessage() + (caplog.handler.formatter.formatException(r.exc_info) if r.exc_info else "")
                       for r in caplog.records)
    assert leaks(logged, everything) == []
    assert leaks(shown, everything) == []
    assert files_leaking(tmp_path, everything) == []
    for received in winrm_host.host.received:  # what reached the host, decoded
        wire = repr(received.data).encode() + received.stdin
        assert leaks(wire, host_secrets) == [], received.script
        if received.script != "Invoke-GuestFixups":
            assert leaks(wire, [guest_secret]) == [], received.script
    assert any(r.script == "Invoke-GuestFixups" and r.data["password"] == guest_secret
               for r in winrm_host.host.received)


@pytest.mark.samba
def test_failed_logins_do_not_repeat_the_password(samba, winrm_host, tmp_path):
    from wizard.core.errors import HvmError
    from wizard.targets.hyperv.host import read_host_info
    from wizard.targets.hyperv.smb_upload import SmbUploader

    wrong = "Wr0ng-" + SECRET
    with pytest.raises(HvmError) as info:
        read_host_info(winrm_host.session(password=wrong))
    err = info.value
    assert leaks(f"{err} {err.message} {err.details} {err.fix} {err!r}", [wrong]) == []
    uploader = SmbUploader("127.0.0.1", username=samba.user, password=wrong, port=samba.port, retries=0)
    with pytest.raises(HvmError) as info:
        uploader.makedirs(samba.unc + "\\probe")
    err = info.value
    assert leaks(f"{err} {err.message} {err.details} {err.fix} {err!r} {uploader!r}", [wrong]) == []
