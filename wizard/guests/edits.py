"""Planned changes to guest files, worked out while the guest is mounted read-only, applied later in one go.

Contract: the planners here only *read* (through :class:`~wizard.guests.fish.Fish`) and return
:class:`FileEdit` values; :func:`apply_edits` writes them with the guest mounted read-write, keeping every
changed or removed file's original (:func:`original_path`) and returning one
:class:`~wizard.guests.report.Change` per edit.

Originals are kept beside the file as ``<file>.hvmigrate-orig``, except in folders whose every file is read as
configuration (ifcfg folders, NetworkManager connections, ``interfaces.d``): there they go into a hidden
``.hvmigrate-orig/`` folder beside the files, so an old configuration never comes back to life as a second
connection bound to a MAC that is gone.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from dataclasses import dataclass

from wizard.core.i18n import user_text
from wizard.guests import network as net
from wizard.guests.fish import Fish
from wizard.guests.report import Change

SUFFIX = ".hvmigrate-orig"
WHOLE_FOLDERS = ("/etc/sysconfig/network-scripts", "/etc/sysconfig/network", "/etc/NetworkManager/system-connections",
                 "/etc/network/interfaces.d")
NET_WHY = user_text("bind the network configuration to the Hyper-V adapter")


@dataclass
class FileEdit:
    """Write ``data`` to ``path`` (None: remove it), or move it to ``rename_to`` with ``data``."""

    path: str
    data: bytes | None
    what: str
    why: str
    rename_to: str = ""
    new_file: bool = False


def original_path(path: str) -> str:
    folder, name = posixpath.split(path)
    if folder in WHOLE_FOLDERS:
        return f"{folder}/{SUFFIX}/{name}"
    return path + SUFFIX


def _files(fish: Fish, folder: str, pattern: str) -> list[str]:
    if not fish.ok("is-dir", folder):
        return []
    names = [n for n in fish.lines("ls", folder) if re.fullmatch(pattern, n) and not n.endswith(SUFFIX)]
    return [f"{folder}/{n}" for n in sorted(names) if fish.ok("is-file", f"{folder}/{n}")]


def _text(fish: Fish, path: str) -> str | None:
    data = fish.read(path, limit=1024 * 1024)
    return None if data is None else data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def network_edits(fish: Fish, nics: list[net.Nic]) -> tuple[list[FileEdit], list[net.Nic]]:
    """The edits that bind every network configuration to the new adapters (see :mod:`wizard.guests.network`);
    also returns the adapters with the guest's old names learnt from configurations bound to their MACs."""
    places = {
        "ifcfg": _files(fish, "/etc/sysconfig/network-scripts", r"ifcfg-(?!lo$).+")
        + _files(fish, "/etc/sysconfig/network", r"ifcfg-(?!lo$).+"),
        "keyfile": _files(fish, "/etc/NetworkManager/system-connections", r"[^.].*"),
        "netplan": _files(fish, "/etc/netplan", r".+\.yaml"),
        "interfaces": (["/etc/network/interfaces"] if fish.ok("is-file", "/etc/network/interfaces") else [])
        + _files(fish, "/etc/network/interfaces.d", r"[^.].*"),
        "networkd": _files(fish, "/etc/systemd/network", r".+\.network"),
        "udev": _files(fish, "/etc/udev/rules.d", r".*persistent-net.*\.rules"),
    }
    texts = {p: t for ps in places.values() for p in ps if (t := _text(fish, p)) is not None}
    learnt = []
    for nic in nics:
        old = next((n for t in texts.values() if (n := net.name_for_mac(t, nic.old_mac))), "")
        learnt.append(dataclasses.replace(nic, old_name=old) if old else nic)
    nics = learnt
    edits: list[FileEdit] = []
    for style, paths in places.items():
        for path in paths:
            text = texts.get(path)
            if text is None:
                continue
            if style == "ifcfg":
                folder, name = posixpath.split(path)
                got = net.rewrite_ifcfg(name, text, nics)
                if got is not None:
                    new_text, new_name, what = got
                    target = f"{folder}/{new_name}" if new_name != name else ""
                    if target and target in texts:
                        target = ""  # a file of that name exists: keep the name, the DEVICE line binds it
                        what = [w for w in what if not w.startswith("renamed")]
                    edits.append(FileEdit(path, _bytes(new_text), "; ".join(what), NET_WHY, rename_to=target))
                continue
            rewrite = {"keyfile": net.rewrite_keyfile, "netplan": net.rewrite_netplan,
                       "interfaces": net.rewrite_interfaces, "networkd": net.rewrite_networkd,
                       "udev": net.rewrite_udev_rules}[style]
            result = rewrite(text, nics)
            if result is not None:
                new_text, what = result
                why = (user_text("the rule kept the old MAC's name, so the new adapter would not get it")
                       if style == "udev" else NET_WHY)
                edits.append(FileEdit(path, _bytes(new_text), "; ".join(what), why))
    return edits, nics


def apply_edits(fish: Fish, edits: list[FileEdit]) -> list[Change]:
    changes = []
    for e in edits:
        original = "" if e.new_file else original_path(e.path)
        # an original an earlier preparation kept stays the one to go back to
        if original and not fish.ok("exists", original):
            fish.call("mkdir-p", posixpath.dirname(original))
            fish.call("cp-a", e.path, original)
        if e.data is None:
            fish.call("rm-f", e.path)
        elif e.rename_to:
            fish.write(e.path, e.data)
            fish.call("mv", e.path, e.rename_to)
        else:
            fish.write(e.path, e.data)
        shown = e.path + (f" → {e.rename_to}" if e.rename_to else "")
        changes.append(Change(file=shown, what=e.what, why=e.why, original=original))
    return changes
