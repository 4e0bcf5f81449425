"""Operating-system errors (:class:`OSError`) as typed errors a person can act on.

Contract of :func:`io_error`: the message names what was being done and the path (the error's own, else the
one given), says in words what the error number means (a full disk, a disk that can only be read, no
permission, a folder where a file belongs...) and the fix says what to do — in words that fit the wizard and
the command line alike (never a command-line flag). The system's own text goes only into ``details``. The
error is the ``kind`` asked for (:class:`TargetError` by default: hvmigrate's own outputs — disks, bundles,
journals, reports — are where writes fail), and for the default a full disk or quota is an
:class:`InsufficientSpaceError`.
"""

from __future__ import annotations

import errno
import os

from wizard.core.errors import HvmError, InsufficientSpaceError, TargetError

# errno → (what it means, what to do). Every fix ends with a full stop.
_WORDS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk that holds it is full", "Free space on that disk, or choose a place on another disk."),
    errno.EDQUOT: ("the disk quota of the user running hvmigrate is used up there",
                   "Free space there, or choose a place on another disk."),
    errno.EROFS: ("it is on a disk that can only be read (a read-only mount or share)",
                  "Choose a place on a disk that can be written."),
    errno.EACCES: ("the user running hvmigrate may not write there",
                   "Give that user write access there, or choose another place."),
    errno.EPERM: ("the user running hvmigrate may not change it",
                  "Give that user write access there, or choose another place."),
    errno.ENOENT: ("it or its folder is not there", "Check the path, and that its folder exists and is reachable."),
    errno.ENOTDIR: ("a file stands where a folder is expected",
                    "Move or rename that file, or choose another place."),
    errno.EISDIR: ("a folder stands where a file is expected", "Name a file, not a folder."),
    errno.EEXIST: ("something of that name is already there", "Move or rename it, or choose another place."),
    errno.ENAMETOOLONG: ("the path is too long", "Choose a place with a shorter path."),
    errno.EIO: ("the disk reported a read or write error", "Check that disk and its connection for errors."),
    errno.EBUSY: ("it is in use by another program", "Close the program that uses it, or choose another place."),
    errno.ETXTBSY: ("it is in use by another program", "Close the program that uses it, or choose another place."),
    errno.ELOOP: ("it is a symbolic link, and hvmigrate does not write through links",
                  "Remove the link, or choose another place."),
    errno.EFBIG: ("the file is larger than that file system allows",
                  "Choose a place on a file system that takes large files (NTFS, ext4, XFS)."),
    errno.ENXIO: ("it is a device or named pipe, not a file", "Name a regular file."),
}


def describe(exc: OSError) -> tuple[str, str]:
    """What ``exc`` means in words, and what to do about it."""
    return _WORDS.get(exc.errno or 0, ("the system refused it" if exc.errno else "it failed",
                                       "Check that the place is reachable and can be written."))


def io_error(exc: OSError, doing: str, where: str | os.PathLike[str] | None = None, *,
             kind: type[HvmError] = TargetError, fix: str = "", name_where: bool = False) -> HvmError:
    """A typed error for ``exc``, met while ``doing`` something (a phrase such as "Writing the migration
    report"). ``where`` names the path when the error does not — or always, with ``name_where`` (the error's
    own file may be a temporary name that means nothing to people); ``fix`` replaces the standard fix."""
    if name_where and where:
        path = os.fspath(where)
    else:
        path = os.fsdecode(exc.filename) if exc.filename is not None else (os.fspath(where) if where else "")
    reason, standard = describe(exc)
    message = f"{doing} failed: {path}: {reason}." if path else f"{doing} failed: {reason}."
    details = f"{type(exc).__name__}: errno {exc.errno} ({exc.strerror or exc})"
    if path:
        details += f"; file {path}"
    if exc.filename is not None and os.fsdecode(exc.filename) != path:
        details += f", file {os.fsdecode(exc.filename)}"
    if exc.filename2 is not None:
        details += f", second file {os.fsdecode(exc.filename2)}"
    cls = InsufficientSpaceError if kind is TargetError and exc.errno in (errno.ENOSPC, errno.EDQUOT) else kind
    return cls(message, details=details, fix=fix or standard)
