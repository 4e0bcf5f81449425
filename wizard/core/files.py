"""Opening the local files a VM names (disks, extents, delta parents, snapshot lists) by one rule.

A VM folder may come from someone else (a download, an unpacked archive, a colleague's share), and whatever
its configuration files and disk descriptors name is read into the disk written for Hyper-V. So a named
file is read only when

- its real path, after every symbolic link and junction, lies inside its *root*: the folder of the file
  that names it (the ``.vmx``/``.vbox`` folder for the disks a VM names, the descriptor's folder for the
  extents and parent of a VMDK). :func:`root_for` works the root out from where the name points: a file a
  delta disk names as its parent may also be in the folder above (a linked clone's base copied to
  ``../Template/``, a VirtualBox delta in ``Snapshots/`` whose base is one up), never higher;
- it is a regular file: never a named pipe (opening one blocks until someone writes), a device, a socket
  or a folder.

:func:`open_regular` applies the rule and opens the file so that nothing swapped in afterwards is read: it
resolves the path, checks the result with ``lstat`` (nothing that is not a regular file is ever opened:
opening some devices has effects), opens that path with ``O_NOFOLLOW`` and ``O_NONBLOCK`` and checks with
``fstat`` that the descriptor is the same regular file. A violation raises
:class:`~wizard.core.errors.UnsafeFileError` naming the file, with a fix; operating-system failures
(missing file, no permission) propagate as :class:`OSError` for the caller to word.

:func:`text_encoding` vets the codec name a file declares for its own text (``.encoding = "..."`` in a
``.vmx``, ``encoding="..."`` in a VMDK descriptor or an XML declaration): only text encodings are accepted.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat

from wizard.core.errors import UnsafeFileError

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_NOFOLLOW", 0) | _NONBLOCK)
_NOT_REGULAR_FIX = "Name the disk file itself: named pipes, devices, sockets and folders are never read as disks."


def within(path: str, root: str) -> bool:
    """True when the absolute, normalised ``path`` is ``root`` or lies below it."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive (Windows), or one path relative
        return False


def root_for(folder: str | os.PathLike[str], path: str | os.PathLike[str], *, parent_ok: bool = False,
             label: str = "the VM's folder") -> str:
    """The folder ``path`` — a file named by a file in ``folder`` — must stay inside after links: ``folder``
    when ``path`` lies in it (judged on the names, before links), else with ``parent_ok`` (a delta disk's
    parent) the folder above it when ``path`` lies there — unless that is a file system's root, which would let a
    name reach every file. Anywhere else raises :class:`UnsafeFileError`."""
    base = os.path.normpath(os.path.abspath(folder))
    where = os.path.normpath(os.path.join(base, os.fspath(path)))
    if within(where, base):
        return base
    up = os.path.dirname(base)
    if parent_ok and not _system_root(up) and within(where, up):
        return up
    raise UnsafeFileError(f"refused: the file lies outside {label} ({base})", path=where,
                          fix="Copy the file into the VM's folder, beside the file that names it, and name it there.")


def _system_root(folder: str) -> bool:
    """True for the folder above which no parent disk is looked for: the system's root (``/``, or the Windows
    system drive's ``C:\\``), where a name could reach every file of the machine. Another drive's root or a share's
    (``E:\\``, ``\\\\nas\\vms``) holds VM folders and stays allowed."""
    if os.name != "nt":
        return os.path.dirname(folder) == folder
    system = os.environ.get("SYSTEMDRIVE", "C:").rstrip("\\/") + "\\"
    return os.path.normcase(folder.rstrip("\\/") + "\\") == os.path.normcase(system)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in words (``mode`` from ``lstat``/``fstat``)."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _owner_could_read(st: os.stat_result, uid: int) -> bool:
    """True when user ``uid`` (a folder's owner) could read the file ``st`` describes by its permissions: a hard
    link in their folder then shows them nothing new (backups' and deduplicated trees' hard links stay usable)."""
    if uid == 0 or st.st_uid == uid or st.st_mode & stat.S_IROTH:
        return True  # root (and every Windows owner, whose st_uid is 0) reads anything
    if not st.st_mode & stat.S_IRGRP:
        return False
    try:
        import pwd

        entry = pwd.getpwuid(uid)
        return st.st_gid in os.getgrouplist(entry.pw_name, entry.pw_gid)
    except (ImportError, KeyError, OSError):
        return False


def what_is_there(path: str | os.PathLike[str]) -> str:
    """What stands at ``path`` when it is not a regular file a disk could be read from, in words ("a named pipe
    (FIFO)", "a folder", "a link to nothing"); "" when nothing is there at all (the file is missing)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISLNK(mode) and not os.path.exists(path):
        return "a link to a file that does not exist"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return file_kind(mode)
    return "a regular file" if stat.S_ISREG(mode) else file_kind(mode)


def open_regular(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None, *,
                 label: str = "the VM's folder") -> int:
    """A read-only descriptor of the regular file at ``path`` (see the module contract), which the caller
    closes. With ``root``, the file's real path must lie inside the real path of ``root`` (``label`` names
    that folder in the message). Raises :class:`UnsafeFileError` for a violation, :class:`OSError` when
    the file cannot be reached at all."""
    name = os.fspath(path)
    real = os.path.realpath(name)
    if root is not None and not within(real, os.path.realpath(root)):
        if not within(os.path.abspath(name), os.path.abspath(root)):  # named outside, not led there by a link
            raise UnsafeFileError(f"refused: the file lies outside {label}", path=name)
        raise UnsafeFileError(f"refused: the file leads (through a link) to {real!r}, outside {label}", path=name)
    before = os.lstat(real)
    if not stat.S_ISREG(before.st_mode):
        raise UnsafeFileError(f"refused: it is {file_kind(before.st_mode)}, not a regular file", path=name,
                              fix=_NOT_REGULAR_FIX)
    if root is not None and before.st_nlink > 1 and not _owner_could_read(before, os.stat(root).st_uid):
        # a hard link shows no other path to check: it must not bring in a file the folder's owner could not read
        raise UnsafeFileError(f"refused: the file has other names (hard links) and {label}'s owner could not read "
                              "it", path=name,
                              fix="Copy the file into the VM's folder as a file of its own (a copy, not a link).")
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW: a link was put in its place after the check
            raise UnsafeFileError("refused: the file was replaced by a link while it was being opened",
                                  path=name) from None
        raise
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise UnsafeFileError("refused: the file was replaced while it was being opened", path=name)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def text_encoding(name: str) -> str | None:
    """The canonical name of the text encoding ``name`` (``"cp1252"`` for ``"windows-1252"``); None when
    Python knows no such codec or it is not a text encoding (``rot13``, ``hex``, ``uu_codec``, ``zlib``:
    transforms that ``bytes.decode`` refuses with a LookupError)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a name with a NUL
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    try:
        b"a".decode(info.name)
    except UnicodeDecodeError:
        pass  # an encoding that wants more bytes (UTF-16): it decodes text all the same
    except UnicodeError:  # "undefined": a text codec that decodes nothing
        return None
    return info.name
