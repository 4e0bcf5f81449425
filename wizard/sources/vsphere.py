"""vCenter / ESXi source: log in with pyVmomi, discover in bulk, read disks over HTTPS.

Contract (see :class:`wizard.sources.base.Source`):
- TLS: verified by the system CA store by default; a pinned SHA-256 thumbprint (argument, or remembered
  in ``known_hosts.json``) replaces chain verification and is checked before credentials are sent;
  ``insecure=True`` trusts anything and is logged as such.
- Credentials: ``password=None`` looks the password up in the OS keyring (``hvmigrate:vsphere``,
  ``user@host``); ``remember=True`` stores it there after a successful login. The password never
  reaches a log, an inventory or an exception.
- Failures: wrong password → AuthError; unreachable → ConnectError; untrusted or changed certificate →
  CertificateError (with the presented thumbprint); missing privileges → PermissionDeniedError; a web
  server that is not vCenter/ESXi → SourceError; 502/503/504 → ConnectError ("not ready"). A session that
  ends during discovery is logged in again once and the inventory read again from the start.
- ``soap_requests`` counts SOAP calls made through this connection (for benchmarks and tests).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import http.client
import logging
import socket
import ssl
import threading
from typing import Any
from urllib.parse import quote

from pyVmomi import SoapStubAdapter, VmomiSupport, vim, vmodl

from wizard.core import secrets
from wizard.core.errors import (
    AuthError,
    Cancelled,
    CertificateError,
    ConnectError,
    HvmError,
    PermissionDeniedError,
    SecretStoreError,
    SourceError,
)
from wizard.core.inventory import Backing, Inventory, SourceVM
from wizard.core.progress import CancelToken, ProgressSink
from wizard.disks.bytesource import Coalesced
from wizard.disks.image import DiskImage
from wizard.sources.base import Source, SourceChange
from wizard.sources.vsphere_http import HttpByteSource
from wizard.sources.vsphere_map import display_name, map_vm, split_datastore_path
from wizard.sources.vsphere_props import PAGE_SIZE, collect_inventory, iter_pages
from wizard.sources.vsphere_tls import (
    TlsPolicy,
    connection_class,
    fetch_thumbprint,
    known_thumbprint,
    normalize_thumbprint,
    remember_thumbprint,
)

log = logging.getLogger(__name__)

__all__ = ["VSphereSource", "fetch_thumbprint"]

SOAP_TIMEOUT = 300.0


def _version_key(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in text.split(".") if p.isdigit()]
    return tuple(parts + [0] * (4 - len(parts))) if parts else ()


def api_version(server_api: str) -> str:
    """The newest pyVmomi API version not newer than the server's ``about.apiVersion`` (e.g. "6.5").

    Talking the server's own version matters: with an older one, newer device types (NVMe, vTPM) come
    back as their base classes.
    """
    want = _version_key(server_api)
    best, best_key = "vim.version.version9", (5, 5, 0, 0)
    for ns, name in VmomiSupport.versionMap.items():
        if not ns.startswith("vim25/") or not name.startswith("vim.version."):
            continue
        key = _version_key(ns[len("vim25/"):])
        if key and best_key < key <= (want or key):
            best, best_key = name, key
    return best


class VSphereSource(Source):
    kind = "vsphere"

    def __init__(self, host: str, port: int = 443, user: str = "", password: str | None = None,
                 thumbprint: str = "", insecure: bool = False, remember: bool = False) -> None:
        self.host = host.strip()
        self.port = int(port)
        self.user = user
        self._password = password
        self._explicit_pin = bool(thumbprint)
        try:
            pin = normalize_thumbprint(thumbprint) if thumbprint else known_thumbprint(self.host, self.port)
        except ValueError as exc:
            raise CertificateError(f"The thumbprint given for {self.host} is not valid: {exc}.",
                                   fix="Copy the SHA-256 thumbprint exactly as shown (64 hex digits).") from None
        self.policy = TlsPolicy(self.host, self.port, pin=pin, insecure=insecure)
        self.remember = remember
        self.soap_requests = 0
        self.page_size = PAGE_SIZE
        self.fast_xml = True  # read big PropertyCollector replies with vsphere_fastxml
        self.http_retries = 6  # consecutive failed attempts without progress before a download gives up
        self.http_backoff = 0.2  # first retry delay (doubles, capped at 5 s)
        self._lock = threading.Lock()
        self._stub: Any = None
        self._content: Any = None
        self._datastore_urls: dict[str, str] = {}
        self._datastore_volumes: dict[str, str] = {}  # volume id → datastore name
        self.about = ""

    def __repr__(self) -> str:
        return f"VSphereSource({self.user}@{self.host}:{self.port})"

    def describe(self) -> str:
        what = self.about or "vSphere"
        return f"{what} at {self.host}:{self.port} as {self.user or '?'} ({self.policy.describe()})"

    # ---- connection --------------------------------------------------------------------------------

    def connect(self) -> None:
        """Log in (idempotent). Raises ConnectError/AuthError/CertificateError/PermissionDeniedError."""
        with self._lock:
            if self._content is not None:
                return
            if self.policy.insecure:
                log.warning("connecting to %s:%s WITHOUT certificate verification (insecure mode)",
                            self.host, self.port)
            password = self._password
            if password is None:
                password = secrets.resolve_password(
                    "vsphere", self.user, self.host,
                    missing_fix="Enter the password (and tick 'remember' to save it in the keyring).")
                self._password = password  # so that error texts can be scrubbed of it
            stub = SoapStubAdapter(host=self.host, port=self.port, version="vim.version.version9",
                                   httpConnectionTimeout=SOAP_TIMEOUT, poolSize=4)
            stub.scheme = connection_class(self.policy)
            stub.schemeArgs = {"timeout": SOAP_TIMEOUT}
            self._count_requests(stub)
            si = vim.ServiceInstance("ServiceInstance", stub)
            try:
                content = si.RetrieveContent()
                if getattr(content, "about", None) is None:  # e.g. a web page answered with 200
                    raise SourceError(f"{self.host}:{self.port} answered, but not with the vSphere API.",
                                      fix="Check that the address is a vCenter Server or ESXi host (not a web "
                                          "proxy or another service on that port).")
                stub.ComputeVersionInfo(api_version(str(getattr(content.about, "apiVersion", "") or "")))
                content.sessionManager.Login(self.user, password, None)
            except HvmError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error below
                raise self._translate(exc, "logging in") from None
            self._stub, self._content = stub, content
            self.about = str(getattr(content.about, "fullName", "") or "")
            log.info("connected to %s:%s as %s (%s)", self.host, self.port, self.user, self.policy.describe())
        if self._explicit_pin:
            try:
                remember_thumbprint(self.host, self.port, self.policy.pin)
            except OSError as exc:
                log.warning("could not remember the pinned thumbprint: %s", exc.strerror)
        if self.remember:
            try:
                secrets.store("vsphere", self.user, self.host, password)
            except SecretStoreError as exc:
                log.warning("%s", exc.message)

    def _count_requests(self, stub: Any) -> None:
        # every SOAP call (pyVmomi's and the fast reader's) takes exactly one connection from the pool
        get = stub.GetConnection

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.soap_requests += 1
            return get(*args, **kwargs)

        stub.GetConnection = counted

    def _translate(self, exc: BaseException, doing: str) -> HvmError:
        """A typed error for ``exc``; whatever text it carries is scrubbed of the password."""
        err = self._classify(exc, doing)
        secret = self._password
        if secret and secret in err.message + err.details + err.fix:
            err.message, err.details, err.fix = (t.replace(secret, "•••") for t in (err.message, err.details, err.fix))
            err.args = (err.message,)
        return err

    def _classify(self, exc: BaseException, doing: str) -> HvmError:
        where = f"{self.host}:{self.port}"
        if isinstance(exc, vim.fault.PasswordExpired):
            return AuthError(f"The password of {self.user} on {where} has expired.",
                             fix="Change it (vSphere Client or the administrator), then connect with the new one.")
        if isinstance(exc, vim.fault.InvalidLogin):
            return AuthError(f"{where} refused the user name or password for {self.user}.")
        if isinstance(exc, vim.fault.NotAuthenticated):
            return AuthError(f"The session with {where} ended while {doing}.",
                             fix="Connect again; the session may have timed out or been closed by an administrator.")
        if isinstance(exc, vim.fault.NoPermission):
            priv = getattr(exc, "privilegeId", "") or "?"
            return PermissionDeniedError(f"{self.user} lacks the privilege {priv} on {where} ({doing}).",
                                         details=f"{type(exc).__name__}",
                                         fix="Ask the vCenter administrator for a role with read-only access to "
                                             "the VMs plus Datastore.Browse and Datastore.FileManagement.")
        if isinstance(exc, http.client.HTTPException) and str(exc)[:3] in ("502", "503", "504"):
            return ConnectError(f"{where} is not ready (HTTP {exc}) while {doing}.",
                                fix="The vCenter services may still be starting, or a load balancer lost them; "
                                    "try again in a few minutes.")
        if isinstance(exc, http.client.HTTPException) and str(exc)[:1].isdigit():
            return SourceError(f"{where} answered HTTP {exc} instead of the vSphere API while {doing}.",
                               fix="Check that the address is a vCenter Server or ESXi host (not a web proxy "
                                   "or another service on that port).")
        if isinstance(exc, ssl.SSLCertVerificationError):
            return CertificateError(f"The certificate of {where} is not trusted.")
        if isinstance(exc, (ConnectionError, socket.timeout, TimeoutError, http.client.HTTPException, OSError)):
            return ConnectError(f"Lost or could not open the connection to {where} while {doing}.",
                                details=f"{type(exc).__name__}: {exc}")
        if isinstance(exc, vmodl.MethodFault):
            msg = getattr(exc, "msg", "") or type(exc).__name__
            return SourceError(f"{where} reported an error while {doing}: {msg}", details=type(exc).__name__)
        return SourceError(f"Unexpected reply from {where} while {doing}.",
                           details=f"{type(exc).__name__}: {exc}",
                           fix="Check that the address is a vCenter Server or ESXi host.")

    def translate(self, exc: BaseException, doing: str) -> HvmError:
        """Public form of the fault mapping for the modules beside this one (never carries the password)."""
        return self._translate(exc, doing)

    @property
    def content(self) -> Any:
        """The ServiceContent (after :meth:`connect`)."""
        return self._content

    @property
    def stub(self) -> Any:
        """The logged-in SOAP stub (after :meth:`connect`), for managed-object calls beside discovery."""
        return self._stub

    def prepare(self, vm: SourceVM, policy: str, earlier: list[SourceChange] | None = None,
                cancel: CancelToken | None = None) -> tuple[SourceVM, list[SourceChange]]:
        from wizard.sources import vsphere_prepare

        return vsphere_prepare.prepare(self, vm, policy, earlier, cancel or CancelToken())

    def undo(self, change: SourceChange, cancel: CancelToken | None = None) -> None:
        from wizard.sources import vsphere_prepare

        vsphere_prepare.undo(self, change, cancel or CancelToken())

    def relogin(self) -> None:
        """Log in again on the same connection (the session expired); keeps the TLS policy and password."""
        with self._lock:
            content = self._content
            if content is None:
                return
            try:  # another reader (one per disk) may have logged in again a moment ago
                if content.sessionManager.currentSession is not None:
                    return
            except Exception:  # noqa: BLE001, S110 - an ended session may fault here: then log in
                pass
            log.info("session with %s:%s ended; logging in again", self.host, self.port)
            try:
                content.sessionManager.Login(self.user, self._password, None)
            except Exception as exc:  # noqa: BLE001 - becomes a typed error
                raise self._translate(exc, "logging in again") from None

    @property
    def session_cookie(self) -> str:
        """``vmware_soap_session=...`` for datastore HTTP requests (a secret: never log it)."""
        sid = getattr(self._stub, "GetSessionId", lambda: "")() if self._stub is not None else ""
        return f"vmware_soap_session={sid}" if sid else ""

    def close(self) -> None:
        with self._lock:
            content, stub = self._content, self._stub
            self._content = self._stub = None
        if content is not None:
            try:
                content.sessionManager.Logout()
            except Exception as exc:  # noqa: BLE001 - closing must not fail
                log.debug("logout failed: %s", type(exc).__name__)
            stub.DropConnections()

    # ---- discovery ---------------------------------------------------------------------------------

    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory:
        self.connect()
        for attempt in (1, 2):
            try:
                collected = collect_inventory(self._content, progress, cancel, page_size=self.page_size,
                                              fast=self.fast_xml)
                break
            except (HvmError, Cancelled):
                raise
            except vim.fault.NotAuthenticated as exc:
                if attempt == 2:
                    raise self._translate(exc, "reading the inventory") from None
                self.relogin()  # the session timed out (or was closed): a new one, then the whole read again
            except Exception as exc:  # noqa: BLE001 - faults, dropped connections, malformed replies
                raise self._translate(exc, "reading the inventory") from None
        denied_vms = {entry.split(":", 1)[0] for entry in collected.denied}
        if collected.vms and all(vm_id in denied_vms for vm_id, _, _ in collected.vms):
            raise PermissionDeniedError(
                f"{self.user} may not read the VM properties on {self.host}.",
                details="\n".join(collected.denied[:20]),
            )
        if collected.unknown_paths:
            log.info("%s does not know %s; those facts stay unknown", self.host, ", ".join(collected.unknown_paths))
        self._datastore_urls, self._datastore_volumes = collected.datastore_urls, collected.datastore_volumes
        vms = []
        for vm_id, props, missing in collected.vms:
            try:
                vms.append(map_vm(vm_id, props, collected.ctx, missing + collected.unknown_paths))
            except Exception as exc:  # noqa: BLE001 - one odd VM must not hide the others
                log.warning("VM %s: could not read its configuration: %s", vm_id, type(exc).__name__)
                vm = SourceVM(id=vm_id, name=display_name(str(props.get("name") or vm_id)), source_kind="vsphere")
                vm.extra["vsphere.error"] = f"{type(exc).__name__}: {exc}"
                vms.append(vm)
        vms.sort(key=lambda v: (v.datacenter, v.folder, v.name))
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
        return Inventory(source=self.describe(), source_kind=self.kind, collected_at=now, vms=vms)

    # ---- disks -------------------------------------------------------------------------------------

    def datastore_url(self, dc_path: str, ds_path: str) -> tuple[str, str]:
        """``("/folder/<path>?dcPath=..&dsName=..", display name)`` for a ``[ds] path`` datastore path."""
        ds, rel = split_datastore_path(ds_path, self._datastore_urls)
        if not ds:
            raise SourceError(f"{ds_path!r} is not a datastore path ([datastore] folder/file).")
        url = f"/folder/{quote(rel)}?dcPath={quote(dc_path, safe='')}&dsName={quote(ds, safe='')}"
        return url, f"[{ds}] {rel}"

    def open_bytes(self, dc_path: str, ds_path: str, cancel: CancelToken | None = None,
                   progress: ProgressSink | None = None) -> HttpByteSource:
        self.connect()
        url, name = self.datastore_url(dc_path, ds_path)
        return HttpByteSource(self.policy, url, name=name, cookie=lambda: self.session_cookie,
                              cancel=cancel, progress=progress, retries=self.http_retries,
                              backoff=self.http_backoff, relogin=self.relogin)

    def _load_datastores(self) -> dict[str, str]:
        """Datastore name → URL, in one bulk request (for disks opened without a discovery first)."""
        self.connect()
        pc = vmodl.query.PropertyCollector
        content = self._content
        out = {}
        try:
            view = content.viewManager.CreateContainerView(content.rootFolder, [vim.Datastore], True)
            try:
                spec = pc.FilterSpec(
                    objectSet=[pc.ObjectSpec(obj=view, skip=True, selectSet=[
                        pc.TraversalSpec(name="v", path="view", skip=False, type=vim.view.ContainerView)])],
                    propSet=[pc.PropertySpec(type=vim.Datastore, pathSet=["name", "summary.url"])])
                # the server pages long answers even unasked (a token follows): read every page
                for page in iter_pages(content.propertyCollector, spec, PAGE_SIZE, None, fast=False):
                    for obj in page:
                        props = {p.name: p.val for p in obj.propSet or []}
                        name, url = str(props.get("name", "")), str(props.get("summary.url", ""))
                        out.setdefault(name, url)
                        if url:
                            self._datastore_volumes[url.rstrip("/").rsplit("/", 1)[-1]] = name
            finally:
                with contextlib.suppress(Exception):
                    view.Destroy()
        except Exception as exc:  # noqa: BLE001 - becomes a typed error
            raise self._translate(exc, "listing datastores") from None
        return out

    def _resolve(self, base: str, name: str) -> str:
        """A file named by a descriptor, relative to ``base`` (a ``[ds] dir/file`` path) → a datastore path."""
        if name.startswith("["):
            return name
        if name.startswith("/vmfs/volumes/"):
            vol, _, rest = name[len("/vmfs/volumes/"):].partition("/")
            if not self._datastore_urls:
                self._datastore_urls = self._load_datastores()
            if vol in self._datastore_volumes:
                return f"[{self._datastore_volumes[vol]}] {rest}"
            for ds, url in self._datastore_urls.items():
                if ds == vol or url.rstrip("/").endswith("/" + vol):
                    return f"[{ds}] {rest}"
            raise SourceError(f"The disk names a file on an unknown datastore: {name}")
        ds, rel = split_datastore_path(base, self._datastore_urls)
        folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
        return f"[{ds}] {folder + '/' if folder else ''}{name}"

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage:
        from wizard.disks.detect import open_image

        try:
            disk = vm.disks[index]
        except IndexError:
            raise SourceError(f"VM {vm.name} has no disk number {index + 1}.") from None
        if disk.backing in (Backing.RDM_PHYSICAL, Backing.RDM_VIRTUAL):
            raise SourceError(f"{disk.label or 'The disk'} of {vm.name} is a raw device mapping (LUN "
                              f"{disk.device_name}); it cannot be read through the datastore.",
                              fix="Copy the LUN's content with a tool inside the guest, or convert the RDM to "
                                  "a virtual disk (Storage vMotion) first.")
        # a disk's datastore may sit in another datacenter than the VM (the URL names the datastore's)
        dc_path = vm.extra.get(f"vsphere.dcPath.{disk.key}") or vm.extra.get("vsphere.dcPath") or vm.datacenter
        top = disk.path

        def opener(name: str) -> Coalesced:  # grain runs of a sparse extent: up to 8 MiB a request, not one a run
            return Coalesced(self.open_bytes(dc_path, self._resolve(top, name), cancel))

        return open_image(Coalesced(self.open_bytes(dc_path, top, cancel)), opener=opener)
