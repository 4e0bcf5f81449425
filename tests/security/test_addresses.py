"""A password typed into a source address is refused without being repeated anywhere (it would otherwise
become the user name: in the plan file, the keyring account, logs and every error message)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.core.errors import InputError
from wizard.sources.registry import parse_source

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7!hunter2-Sekr3t"


@pytest.mark.parametrize("text", [f"vsphere://joe:{SECRET}@vc01", f"vsphere://joe:{SECRET}@vc01:443/dc",
                                  f"https://joe:{SECRET}@[::1]:8443"])
def test_password_in_a_vsphere_address_is_refused_without_echo(text):
    with pytest.raises(InputError) as info:
        parse_source(text)
    err = info.value
    assert "password" in err.message
    assert SECRET not in f"{err.message} {err.details} {err.fix} {err}"


def test_cli_does_not_repeat_it_either(tmp_path):
    out = subprocess.run([sys.executable, "-m", "wizard", "-vv", "plan", f"vsphere://joe:{SECRET}@127.0.0.1:9",
                          "-o", str(tmp_path / "p.json")], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "HVMIGRATE_CONFIG_DIR": str(tmp_path)}, timeout=120)
    assert out.returncode != 0 and SECRET not in out.stdout + out.stderr
    assert not (tmp_path / "p.json").exists()


def test_ordinary_addresses_still_parse():
    spec = parse_source("vsphere://administrator@vsphere.local@vc01:8443")
    assert (spec.user, spec.host, spec.port) == ("administrator@vsphere.local", "vc01", 8443)


@pytest.mark.parametrize("text", [f"hyperv://joe:{SECRET}@hv01", f"hyperv://joe:{SECRET}@", f"HYPERV://joe:{SECRET}@h:5986"])
def test_password_in_a_hyperv_address_is_refused_without_echo(text):
    from wizard.app.targets import TargetSpec

    with pytest.raises(InputError) as info:
        TargetSpec.parse(text)
    err = info.value
    assert "password" in err.message and SECRET not in f"{err.message} {err.details} {err.fix} {err}"
