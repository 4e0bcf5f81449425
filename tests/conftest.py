"""Shared test set-up: offscreen Qt, per-run config/state/cache folders, an in-memory keyring, and the fixture
plugins of each area."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Pinned thumbprints, wizard settings, journals: never the real user's folders (and every run starts clean).
_HOME = tempfile.mkdtemp(prefix="hvmigrate-tests-")
atexit.register(shutil.rmtree, _HOME, True)
for _var, _sub in (("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = os.path.join(_HOME, _sub)

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

pytest_plugins = [
    "tests.fixtures.disks",
    "tests.fixtures.vcsim",
    "tests.fixtures.samba",
    "tests.fixtures.winrm_standin",
]


class MemoryKeyring(KeyringBackend):
    """A real keyring backend kept in memory: CI machines have no desktop secret service."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def language_of_the_environment():
    """Each test starts with the language the environment asks for: a command run in-process with ``--lang`` (or
    the wizard switched to Chinese) sets it for the whole process, and reports follow it."""
    from wizard.core.i18n import set_language

    set_language(None)
    yield
    set_language(None)
