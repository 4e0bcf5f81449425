"""The catalogs: limits per host version and the guest OS table."""

from __future__ import annotations

import pytest

from wizard.compat.catalog import TARGET_VERSIONS, guest_catalog, guest_info, limits, version_at_least
from wizard.core.errors import PlanError
from wizard.core.inventory import GuestOS, SourceVM


def test_unknown_host_is_the_most_conservative():
    unk = limits("unknown")
    for v in ("2016", "2019", "2022", "2025"):
        lim = limits(v)
        assert unk.vcpu_gen2 <= lim.vcpu_gen2 and unk.memory_mb_gen2 <= lim.memory_mb_gen2
        assert unk.synthetic_nics <= lim.synthetic_nics and lim.source["vcpu_gen2"].startswith("[S]")
        assert lim.config_version in lim.supported_config_versions


def test_documented_values():
    assert (limits("2016").config_version, limits("2019").config_version, limits("2022").config_version,
            limits("2025").config_version) == ("8.0", "9.0", "10.0", "12.0")
    assert limits("2016").synthetic_nics == 8 and limits("2019").synthetic_nics == 64
    assert limits("2022").vcpu_gen2 == 1024 and limits("2025").vcpu_gen2 == 2048
    assert limits("2019").vhd_max_bytes == 2040 * 1024**3


def test_bad_version_is_a_typed_error():
    with pytest.raises(PlanError):
        limits("2012")
    assert "unknown" in TARGET_VERSIONS


def test_every_guest_entry_is_consistent():
    cat = guest_catalog()
    for gid in ("windows7_64Guest", "windows9Guest", "windows9_64Guest", "windows11_64Guest", "winNetStandardGuest",
                "windows7Server64Guest", "windows8Server64Guest", "windows9Server64Guest", "windows2019srv_64Guest",
                "windows2019srvNext_64Guest", "windows2022srvNext_64Guest", "rhel9_64Guest", "centos7_64Guest",
                "ubuntu64Guest", "debian12_64Guest", "sles15_64Guest", "oracleLinux8_64Guest",
                "other5xLinux64Guest", "freebsd13_64Guest", "otherGuest"):
        assert gid in cat, gid
    for gid, g in cat.items():
        assert g.support in ("supported", "end-of-support", "unsupported", "unknown"), gid
        assert g.family in ("windows", "linux", "freebsd", "other"), gid
        assert g.source, gid
        if g.bits == 32:
            assert not g.gen2_capable, gid
        if g.family == "linux" and g.secure_boot_template:
            assert g.secure_boot_template == "MicrosoftUEFICertificateAuthority", gid


def test_guest_info_uses_inventory_bits_and_guesses_family_for_unknown_ids():
    g = guest_info(SourceVM(guest=GuestOS(id="windows9_64Guest", bits=32)))
    assert g.bits == 32 and not g.gen2_capable
    g = guest_info(SourceVM(guest=GuestOS(id="someNewLinux64Guest")))
    assert not g.known and g.family == "linux" and g.bits == 64


def test_version_compare():
    assert version_at_least("9.0", "8.3") and not version_at_least("6.2", "7.0") and version_at_least("", "7.0")


def test_running_64bit_guest_configured_as_32bit_uses_the_64bit_entry():
    g = guest_info(SourceVM(guest=GuestOS(id="windows9Guest", bits=64)))
    assert g.id == "windows9_64Guest" and g.gen2_capable


def test_every_guest_id_discovery_maps_to_is_in_the_catalog():
    import re
    from pathlib import Path

    src = (Path(__file__).parents[3] / "wizard" / "sources" / "guestids.py").read_text(encoding="utf-8")
    ids = {i for i in re.findall(r'"([A-Za-z][A-Za-z0-9_]*Guest[0-9]*)"', src)}
    assert ids and not ids - set(guest_catalog())
