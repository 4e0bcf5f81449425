"""Shared test set-up: offscreen Qt, an in-memory keyring, and the fixture plugins of each area."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
