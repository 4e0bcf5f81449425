"""resource_path finds the data folder in a checkout, in a frozen one-folder app, and via the override."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from wizard.core import resources
from wizard.core.resources import ENV_VAR, ResourcesMissingError, resource_path, resources_root

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_override(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_checkout_finds_resources_next_to_the_package(no_override, monkeypatch, tmp_path):
    if not (ROOT / "resources").is_dir():  # git keeps no empty folder; make sure one is there for this test
        monkeypatch.setattr(resources, "__file__", str(tmp_path / "wizard" / "core" / "resources.py"))
        (tmp_path / "resources").mkdir()
        assert resources_root() == (tmp_path / "resources").resolve()
    else:
        assert resources_root() == (ROOT / "resources").resolve()


def test_frozen_app_uses_the_bundle_folder(no_override, monkeypatch, tmp_path):
    bundle = tmp_path / "hvmigrate" / "_internal"
    (bundle / "resources" / "icons").mkdir(parents=True)
    (bundle / "resources" / "icons" / "hvmigrate.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "hvmigrate" / "hvmigrate"))
    path = resource_path("icons", "hvmigrate.svg")
    assert path.read_text() == "<svg/>"
    assert path.is_relative_to(bundle.resolve())


def test_override_wins(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert resource_path("style", "app.qss") == tmp_path.resolve() / "style" / "app.qss"


def test_missing_folder_is_a_typed_error_naming_where_it_looked(no_override, monkeypatch, tmp_path):
    monkeypatch.setattr(resources, "__file__", str(tmp_path / "a" / "wizard" / "core" / "resources.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    with pytest.raises(ResourcesMissingError) as caught:
        resources_root()
    assert str(tmp_path / "a" / "resources") in caught.value.details
    assert caught.value.fix


@pytest.mark.parametrize("parts", [("..", "secret"), ("icons", "..", "..", "x"), ("/etc/passwd",)])
def test_paths_cannot_leave_the_folder(monkeypatch, tmp_path, parts):
    (tmp_path / "icons").mkdir()
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    with pytest.raises(ValueError):
        resource_path(*parts)
