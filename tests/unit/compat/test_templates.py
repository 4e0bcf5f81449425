"""Templates: built-ins, auto choice, user templates in the config dir."""

from __future__ import annotations

import json

import pytest

from tests.unit.compat.vms import make_vm, one
from wizard.compat.templates import get_template, list_templates, save_template
from wizard.core.errors import PlanError, SchemaError
from wizard.core.inventory import Firmware


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path))
    return tmp_path


def test_builtins_found_by_id_or_display_name():
    assert get_template("windows-11").settings["tpm"] == "true"
    assert get_template("Linux — Gen 2, UEFI CA").id == "linux"
    assert get_template(None).id == "auto"
    with pytest.raises(PlanError, match="no template"):
        get_template("nope")


def test_auto_picks_per_vm():
    assert one(make_vm(guest="windows11_64Guest")).spec.tpm
    assert one(make_vm(guest="ubuntu64Guest")).spec.disks[0].block_size_bytes == 1024 * 1024
    a = one(make_vm(firmware=Firmware.BIOS))
    assert a.spec.generation == 1 and a.spec.automatic_start_action == "StartIfRunning"


def test_user_template_saved_loaded_and_applied(config_dir):
    path = save_template("Big SQL", {"cpus": 16, "memory.dynamic": False, "disk.type": "fixed"}, "for SQL")
    assert path.parent == config_dir / "templates"
    assert json.loads(path.read_text())["schema"] == "hvmigrate.template/1"
    assert "Big SQL" in [t.name for t in list_templates()]
    a = one(make_vm(), template="big sql")
    assert a.spec.cpus == 16 and a.spec.disks[0].type.value == "fixed"


def test_user_template_cannot_shadow_a_builtin_or_hold_bad_settings():
    with pytest.raises(PlanError):
        save_template("linux", {"cpus": 2})
    with pytest.raises(PlanError):
        save_template("x", {"cpus": "many"} | {"bogus": 1})


def test_broken_template_file_is_a_schema_error_naming_the_file(config_dir):
    (config_dir / "templates").mkdir()
    (config_dir / "templates" / "bad.json").write_text('{"schema": "hvmigrate.template/1", "name": "bad", '
                                                       '"settings": {"cpus": "x"}}')
    with pytest.raises(SchemaError, match="bad.json"):
        list_templates()
