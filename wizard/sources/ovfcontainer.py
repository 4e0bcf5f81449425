"""Where an OVF package's files live: the :class:`Container` protocol.

Implemented by :class:`wizard.sources.ovf.FolderContainer` (files beside the ``.ovf``) and
:class:`wizard.sources.ova.TarContainer` (members of an OVA read in place); both are read-only. Names are the
descriptor's ``References/File/@href`` values after :func:`wizard.sources.ovf.check_href`. Kept apart from
:mod:`wizard.sources.ovf` so the readers it uses (:mod:`wizard.sources.ovfchunks`) need not import it.
"""

from __future__ import annotations

from typing import Protocol

from wizard.disks.bytesource import ByteSource


class Container(Protocol):
    """Where an OVF's files live. ``exists(name)`` is True only for a file ``open(name)`` will read; a name that
    is there but refused (a link out of the folder, a named pipe) is False, with the reason in ``refused``."""

    refused: dict[str, str]

    def exists(self, name: str) -> bool: ...

    def size(self, name: str) -> int: ...

    def open(self, name: str) -> ByteSource: ...

    def display(self, name: str) -> str: ...
