"""A disk file on the Hyper-V host's share opened for reading and writing at any offset: what the ``sync``
policy's delta syncs patch in place (:mod:`wizard.disks.vhdx_patch` over a
:class:`~wizard.disks.randomfile.RandomAccessFile`).

:func:`open_share_file` opens ``unc`` with the uploader's credentials on a connection of its own (so a sync's
writes never share a session with an upload in flight); closing the file closes that connection. Failures
to open are typed (:class:`~wizard.core.errors.TargetError` naming the file); reads and writes fail typed as
:class:`~wizard.disks.randomfile.FileObjectRandomFile` says.
"""

from __future__ import annotations

import smbclient

from wizard.core.errors import TargetError
from wizard.disks.randomfile import FileObjectRandomFile
from wizard.targets.hyperv.smb_upload import SmbUploader


class ShareFile(FileObjectRandomFile):
    """A :class:`FileObjectRandomFile` that also drops its own SMB connection when closed."""

    def __init__(self, fobj, name: str, cache: dict) -> None:  # noqa: ANN001 - smbclient's file object
        super().__init__(fobj, name)
        self._cache = cache

    def close(self) -> None:
        try:
            super().close()
        finally:
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)


def open_share_file(uploader: SmbUploader, unc: str, *, write: bool = True) -> ShareFile:
    """``unc`` opened for random access (``write``: read and write; else read only)."""
    cache: dict = {}
    try:
        fobj = smbclient.open_file(unc, mode="r+b" if write else "rb", buffering=0, **uploader.kw_for(cache))
    except Exception as exc:  # noqa: BLE001 - smbclient's and the OS's errors become one typed error
        smbclient.reset_connection_cache(fail_on_error=False, connection_cache=cache)
        raise TargetError(f"{unc}: the disk file on the host's share cannot be opened "
                          f"({type(exc).__name__}: {exc})"[:500],
                          fix="Check the connection to the host, and that the file is there and not in use.") from None
    return ShareFile(fobj, unc, cache)
