"""Bulk inventory retrieval with one ContainerView and the PropertyCollector.

Contract: :func:`collect_inventory` asks for exactly the properties in :data:`VM_PROPS` (and a few per
folder/datacenter/cluster/host/network/datastore) in a single ``RetrievePropertiesEx`` paged with
``ContinueRetrievePropertiesEx``; the number of SOAP calls depends on the page size, not on the number of
VMs (never attribute-by-attribute walking). Unset properties are simply absent from the result (the
PropertyCollector omits them), and the mapping keeps their defaults. Every page checks ``cancel`` and
reports progress; paging abandoned half-way (cancel, error) is released with ``CancelRetrievePropertiesEx``.
Faults come back as pyVmomi exceptions; the caller maps them to typed errors.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyVmomi import SoapStubAdapter, vim, vmodl

from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.sources import vsphere_fastxml
from wizard.sources.vsphere_map import Entity, MapContext, moid

PAGE_SIZE = 5000  # objects per page; big pages keep the request count low

VM_PROPS = [
    "name", "parent", "parentVApp", "resourcePool", "snapshot",
    "config.instanceUuid", "config.uuid", "config.guestId", "config.guestFullName", "config.firmware",
    "config.bootOptions", "config.hardware.numCPU", "config.hardware.numCoresPerSocket",
    "config.hardware.memoryMB", "config.hardware.device", "config.cpuHotAddEnabled",
    "config.memoryHotAddEnabled", "config.version", "config.template", "config.annotation", "config.keyId",
    "config.files.vmPathName",
    "runtime.powerState", "runtime.host", "runtime.connectionState",
    "guest.toolsStatus", "guest.toolsVersion", "guest.toolsVersionStatus2", "guest.guestId",
    "guest.guestFullName", "guest.hostName", "guest.net", "guest.ipStack",
]

OTHER_PROPS: dict[Any, list[str]] = {
    vim.Folder: ["name", "parent"],
    vim.Datacenter: ["name", "parent"],
    vim.ComputeResource: ["name", "parent"],  # clusters too (ClusterComputeResource derives from it)
    vim.HostSystem: ["name", "parent", "config.network.portgroup"],
    vim.Network: ["name"],
    vim.dvs.DistributedVirtualPortgroup: ["name", "key", "config.defaultPortConfig"],
    vim.Datastore: ["name", "parent", "summary.type", "summary.url"],
    vim.VirtualApp: ["name", "parentFolder", "parentVApp"],  # a vApp's VMs have parentVApp, not parent
}


@dataclass
class Collected:
    """The raw result: per-VM property dicts, plus the context the mapping needs."""

    vms: list[tuple[str, dict[str, Any], list[str]]] = field(default_factory=list)  # (id, props, missing)
    ctx: MapContext = field(default_factory=MapContext)
    datastore_urls: dict[str, str] = field(default_factory=dict)  # name → summary.url
    # volume id (last part of summary.url) → name: names repeat across datacenters ("datastore1"), volumes don't
    datastore_volumes: dict[str, str] = field(default_factory=dict)
    denied: list[str] = field(default_factory=list)  # "object: path" the server refused to show
    unknown_paths: list[str] = field(default_factory=list)  # paths an older server rejected (left unknown)


def _dvpg_vlan(port_config: Any) -> int | None:
    vlan = getattr(port_config, "vlan", None)
    if isinstance(vlan, vim.dvs.VmwareDistributedVirtualSwitch.VlanIdSpec):
        return int(vlan.vlanId)
    if isinstance(vlan, vim.dvs.VmwareDistributedVirtualSwitch.PvlanSpec):
        return int(vlan.pvlanId)
    return None  # trunk or unknown: the guest tags, no single VLAN


def _type_name(obj: Any) -> str:
    return getattr(type(obj), "_wsdlName", type(obj).__name__)


def build_filter(view: Any, skip: frozenset[str] = frozenset()) -> Any:
    """One filter for everything; ``skip`` drops property paths an older server does not know."""
    pc = vmodl.query.PropertyCollector
    traverse = pc.TraversalSpec(name="traverseView", path="view", skip=False, type=vim.view.ContainerView)
    obj_spec = pc.ObjectSpec(obj=view, skip=True, selectSet=[traverse])
    props = [pc.PropertySpec(type=vim.VirtualMachine, pathSet=[p for p in VM_PROPS if p not in skip], all=False)]
    props += [pc.PropertySpec(type=t, pathSet=[p for p in paths if p not in skip], all=False)
              for t, paths in OTHER_PROPS.items()]
    return pc.FilterSpec(objectSet=[obj_spec], propSet=props, reportMissingObjectsInResults=False)


def iter_pages(collector: Any, spec: Any, page_size: int, cancel: CancelToken | None, fast: bool = True) -> Any:
    """Yield the object lists of each page, following continuation tokens.

    ``fast`` reads the replies with :mod:`vsphere_fastxml` when talking to a real SOAP stub.
    """
    options = vmodl.query.PropertyCollector.RetrieveOptions(maxObjects=page_size)
    if fast and isinstance(getattr(collector, "_stub", None), SoapStubAdapter):
        first = functools.partial(vsphere_fastxml.retrieve_properties_ex, collector)
        more = functools.partial(vsphere_fastxml.continue_retrieve_properties_ex, collector)
    else:
        first, more = collector.RetrievePropertiesEx, collector.ContinueRetrievePropertiesEx
    result = first([spec], options)
    token = None
    try:
        while result is not None:
            token = result.token
            yield list(result.objects or [])
            if not token:
                break
            if cancel is not None:
                cancel.check()
            pending, token = token, None  # a failed call leaves nothing to cancel (and no server to ask)
            result = more(pending)
    finally:
        if token:  # abandoned mid-way (cancel, error): the server would keep the rest until the session ends
            with contextlib.suppress(Exception):
                collector.CancelRetrievePropertiesEx(token)


def absorb(objects: list[Any], out: Collected) -> int:
    """Sort one page of ObjectContent into ``out``; returns the number of VMs seen."""
    ctx = out.ctx
    vms = 0
    for content in objects:
        obj = getattr(content, "obj", None)
        oid = moid(obj)
        if not oid:
            continue
        kind = _type_name(obj)
        props = {dp.name: dp.val for dp in (content.propSet or [])}
        missing = []
        for m in content.missingSet or []:
            fault = getattr(m, "fault", None)
            fault = getattr(fault, "fault", fault)
            if isinstance(fault, vim.fault.NoPermission):
                out.denied.append(f"{oid}: {m.path}")
            missing.append(str(m.path))
        if kind == "VirtualMachine":
            out.vms.append((oid, props, missing))
            vms += 1
            continue
        parent = props.get("parent") or props.get("parentFolder") or props.get("parentVApp")
        ctx.entities[oid] = Entity(str(props.get("name") or oid), kind, moid(parent))
        if kind == "HostSystem":
            vlans = {}
            for pg in props.get("config.network.portgroup") or []:
                spec = getattr(pg, "spec", None)
                if spec is not None and spec.name:
                    vlans[str(spec.name)] = int(spec.vlanId or 0)
            ctx.host_vlans[oid] = vlans
        elif kind == "DistributedVirtualPortgroup":
            key = str(props.get("key") or oid)
            ctx.dvpg_by_key[key] = (str(props.get("name") or key), _dvpg_vlan(props.get("config.defaultPortConfig")))
        elif kind == "Datastore":
            name = str(props.get("name") or oid)
            ctx.datastores[oid] = (name, str(props.get("summary.type") or ""))
            ctx.datastore_parents[oid] = moid(props.get("parent"))
            url = str(props.get("summary.url") or "")
            out.datastore_urls.setdefault(name, url)
            if url:
                out.datastore_volumes[url.rstrip("/").rsplit("/", 1)[-1]] = name
    return vms


def collect_inventory(content: Any, progress: ProgressSink | None = None, cancel: CancelToken | None = None,
                      page_size: int = PAGE_SIZE,
                      on_page: Callable[[int], None] | None = None, fast: bool = True) -> Collected:
    """Retrieve VMs and their surroundings in bulk from a ServiceContent ``content``."""
    if cancel is not None:
        cancel.check()
    types = [vim.VirtualMachine, *OTHER_PROPS]
    view = content.viewManager.CreateContainerView(content.rootFolder, types, True)
    out = Collected()
    meter = Meter(progress, "discover")
    skip: set[str] = set()
    try:
        while True:
            try:
                pages = iter_pages(content.propertyCollector, build_filter(view, frozenset(skip)), page_size,
                                   cancel, fast)
                with contextlib.closing(pages):  # closing an abandoned generator cancels the server's paging
                    for page in pages:
                        if cancel is not None:
                            cancel.check()
                        absorb(page, out)
                        meter.update(len(out.vms), f"{len(out.vms)} VMs", force=True)
                        if on_page is not None:
                            on_page(len(page))
                break
            except vmodl.query.InvalidProperty as exc:
                # an older server rejects a path it does not know (e.g. config.keyId before 6.5): do without
                name = str(getattr(exc, "name", "") or "")
                if out.vms or not name or name in skip or len(skip) >= 8:
                    raise
                skip.add(name)
                out.unknown_paths.append(name)
    finally:
        with contextlib.suppress(Exception):  # best effort: the session ends soon anyway
            view.Destroy()
    meter.finish(f"{len(out.vms)} VMs")
    return out
