"""Converted disks (the guest's data) never go to a predictable folder in the shared temp directory, where
another local user could plant it (or links in it) first."""

from __future__ import annotations

import os
import stat
import tempfile

from wizard.targets.hyperv.target import HyperVTarget


def test_default_staging_folder_is_private_and_unguessable(winrm_host, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / "hvmigrate-staging"
    planted.mkdir(mode=0o777)
    first = HyperVTarget(winrm_host.session(), None, "\\\\h\\s")
    second = HyperVTarget(winrm_host.session(), None, "\\\\h\\s")
    try:
        for target in (first, second):
            info = os.lstat(target.staging)
            assert target.staging != planted and stat.S_ISDIR(info.st_mode)
            assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077 == 0
        assert first.staging != second.staging
    finally:
        first.close()
        second.close()
