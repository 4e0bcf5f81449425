"""Where things are in a vSphere inventory: names as shown, inventory paths, datastore paths.

Contract: :func:`display_name` turns a name as the API sends it (``/`` ``\\`` ``%`` escaped as ``%2f``
``%5c`` ``%25``) into the one the vSphere Client shows; the raw form is what goes back to the server
(``dcPath``). :func:`place` finds a VM's datacenter (display name and raw inventory path), folder path
(folders and vApps), cluster and host from the entities the bulk retrieval collected;
:func:`split_datastore_path` splits ``[datastore] folder/file`` paths, datastore names with brackets
included. Nothing here talks to the server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Entity:
    """A folder/datacenter/cluster/host/network known by moref id: its name, type and parent."""

    name: str
    type: str
    parent: str = ""  # moref id of the parent entity, "" at the root


@dataclass
class MapContext:
    """What the bulk retrieval learned besides the VMs, keyed by moref id."""

    entities: dict[str, Entity] = field(default_factory=dict)
    dvpg_by_key: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # key → (name, vlan)
    host_vlans: dict[str, dict[str, int]] = field(default_factory=dict)  # host id → {portgroup: vlan}
    datastores: dict[str, tuple[str, str]] = field(default_factory=dict)  # ds id → (name, type)
    datastore_parents: dict[str, str] = field(default_factory=dict)  # ds id → its folder's moref id


_ESCAPED = re.compile(r"%(2[fF]|5[cC]|25)")
_UNESCAPE = {"2f": "/", "5c": "\\", "25": "%"}


def display_name(raw: str) -> str:
    """An inventory name as the vSphere Client shows it: vCenter sends ``/`` ``\\`` ``%`` as ``%2f`` ``%5c``
    ``%25`` (and only those); the raw form stays the one to send back to the API."""
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1).lower()], raw)


def split_datastore_path(path: str, known: Iterable[str] = ()) -> tuple[str, str]:
    """``"[ds] dir/file.vmdk"`` → ``("ds", "dir/file.vmdk")``; a path without brackets → ``("", path)``.

    Datastore names may hold brackets (``[ds [old] 1] vm/x.vmdk``): a ``known`` datastore name that the
    path starts with wins; otherwise the name ends at the ``]`` that balances the opening one (or the
    first ``]``). Spaces inside the file part are kept (only the one separating space is dropped).
    """
    path = path.strip()
    if not path.startswith("[") or "]" not in path:
        return "", path
    for name in sorted(known, key=len, reverse=True):
        if name and path.startswith(f"[{name}]"):
            return name, _drop_separator(path[len(name) + 2:])
    depth, end = 0, path.find("]")
    for i, ch in enumerate(path):
        depth += (ch == "[") - (ch == "]")
        if depth == 0:
            end = i
            break
    return path[1:end], _drop_separator(path[end + 1:])


def _drop_separator(rest: str) -> str:
    return rest[1:] if rest.startswith(" ") else rest


# ---- inventory paths ---------------------------------------------------------------------------------

def _ancestors(ctx: MapContext, start: str) -> list[Entity]:
    chain: list[Entity] = []
    seen: set[str] = set()
    cur = start
    while cur and cur in ctx.entities and cur not in seen:
        seen.add(cur)
        ent = ctx.entities[cur]
        chain.append(ent)
        cur = ent.parent
    return chain


def place(ctx: MapContext, folder_id: str, host_id: str) -> dict[str, str]:
    """Datacenter name and path, VM folder path, cluster and host names for a VM."""
    out = {"datacenter": "", "dc_path": "", "folder": "", "cluster": "", "host": ""}
    chain = _ancestors(ctx, folder_id)
    folders: list[str] = []
    for i, ent in enumerate(chain):
        if ent.type == "Datacenter":
            out["datacenter"] = display_name(ent.name)
            out["dc_path"] = _dc_path(chain[i:])
            break
        if ent.type in ("Folder", "VirtualApp"):
            folders.append(display_name(ent.name))
    if folders and out["dc_path"]:
        folders.pop()  # the datacenter's hidden "vm" folder
    out["folder"] = "/".join(reversed(folders))
    host = ctx.entities.get(host_id)
    if host is not None:
        out["host"] = display_name(host.name)
        parent = ctx.entities.get(host.parent)
        if parent is not None and parent.type == "ClusterComputeResource":
            out["cluster"] = display_name(parent.name)
        if not out["datacenter"]:
            up = _ancestors(ctx, host.parent)
            for i, ent in enumerate(up):
                if ent.type == "Datacenter":
                    out["datacenter"], out["dc_path"] = display_name(ent.name), _dc_path(up[i:])
                    break
    return out


def _dc_path(chain: list[Entity]) -> str:
    """The datacenter's inventory path (folders above it, raw names) from ``[datacenter, parent, ...]``;
    the unnamed root folder is not part of it."""
    above = [e.name for e in chain[1:] if e.type == "Folder" and e.parent]
    return "/".join([*reversed(above), chain[0].name])


def datastore_dc_path(ctx: MapContext, ds_id: str) -> str:
    """The inventory path of the datacenter holding datastore ``ds_id`` ("" when unknown)."""
    up = _ancestors(ctx, ctx.datastore_parents.get(ds_id, ""))
    for i, ent in enumerate(up):
        if ent.type == "Datacenter":
            return _dc_path(up[i:])
    return ""
