"""vSphere discovery and disk reads against an inventory shaped like real ones, in the govmomi simulator:
a second datacenter inside a folder, escaped names (vCenter sends ``/`` as ``%2f`` and ``%`` as ``%25``),
nested folders, a datastore whose name holds spaces and parentheses, the same VM name in two datacenters, a template,
a vApp, a session that ends mid-way, a download that stalls, a server that is not vCenter at all."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pyVmomi import vim, vmodl

from tests.fixtures.disks import qemu_img
from tests.fixtures.vcsim import connect_si, start_vcsim
from tests.fixtures.vcsim_vms import _wait
from wizard.commands.discover import format_table
from wizard.core.errors import Cancelled, HvmError
from wizard.core.progress import CancelToken
from wizard.sources import vsphere_fastxml
from wizard.sources.vsphere import VSphereSource
from wizard.sources.vsphere_http import HttpByteSource
from wizard.sources.vsphere_props import collect_inventory
from wizard.sources.vsphere_tls import TlsPolicy

pytestmark = pytest.mark.vcsim

MiB = 1024 * 1024
REGION = "Region %2f East"  # how vCenter sends the folder name "Region / East"
DC2 = "DC %25 Two"  # "DC % Two"
DS2 = "datastore (old) 1"  # brackets: unit tests (the simulator itself cannot parse "[ds [x]] path")
ODD_VM = " web%2f01 %25 & 'q' ü "  # leading/trailing spaces kept; shown as " web/01 % & 'q' ü "
ODD_SHOWN = " web/01 % & 'q' ü "
CJK_VM = "財務 db 😀"
QUOTED_VM = 'say "hi" %5c back\tslash'  # shown as: say "hi" \ back<TAB>slash


@pytest.fixture(autouse=True)
def _config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Our own simulator (the shared one keeps its known shape) with the odd inventory built through the API."""
    sim = start_vcsim()
    si = connect_si(sim)
    content = si.RetrieveContent()
    try:
        dc0 = content.rootFolder.childEntity[0]
        region = content.rootFolder.CreateFolder(REGION)
        dc2 = region.CreateDatacenter(DC2)
        spec = vim.host.ConnectSpec(hostName="esx-rw.lab", userName="root", password="x", force=True)
        host = _wait(dc2.hostFolder.AddStandaloneHost_Task(spec=spec, addConnected=True))
        host = host.host[0] if isinstance(host, vim.ComputeResource) else host
        ds_dir = tmp_path_factory.mktemp("ds2")
        host.configManager.datastoreSystem.CreateLocalDatastore(name=DS2, path=str(ds_dir))
        pool = host.parent.resourcePool
        apps = dc2.vmFolder.CreateFolder("Apps").CreateFolder("Web %2f Tier")

        def vm(folder, name, pool, ds, disk_mb=0):
            dev = vim.vm.device
            changes = []
            if disk_mb:
                ctrl = dev.ParaVirtualSCSIController(key=-101, busNumber=0, sharedBus="noSharing")
                backing = dev.VirtualDisk.FlatVer2BackingInfo(fileName=f"[{ds}]", diskMode="persistent",
                                                              thinProvisioned=True)
                disk = dev.VirtualDisk(key=-102, controllerKey=-101, unitNumber=0, capacityInKB=disk_mb * 1024,
                                       backing=backing)
                changes = [dev.VirtualDeviceSpec(operation="add", device=ctrl),
                           dev.VirtualDeviceSpec(operation="add", fileOperation="create", device=disk)]
            config = vim.vm.ConfigSpec(name=name, guestId="otherGuest64", numCPUs=1, memoryMB=128,
                                       files=vim.vm.FileInfo(vmPathName=f"[{ds}]"), deviceChange=changes)
            return _wait(folder.CreateVM_Task(config=config, pool=pool))

        odd = vm(apps, ODD_VM, pool, DS2, disk_mb=4)
        dup2 = vm(dc2.vmFolder, "dup", pool, DS2)
        quoted = vm(dc2.vmFolder, QUOTED_VM, pool, DS2)
        vm(dc2.vmFolder, CJK_VM, pool, DS2)
        view = content.viewManager.CreateContainerView(content.rootFolder, [vim.ClusterComputeResource], True)
        cluster = view.view[0]
        view.Destroy()
        dup0 = vm(dc0.vmFolder, "dup", cluster.resourcePool, "LocalDS_0")
        tpl = vm(dc0.vmFolder, "golden-image", cluster.resourcePool, "LocalDS_0")
        tpl.MarkAsTemplate()
        vapp = cluster.resourcePool.CreateVApp(name="shop-vapp", resSpec=vim.ResourceConfigSpec(
            cpuAllocation=vim.ResourceAllocationInfo(reservation=0, limit=-1, expandableReservation=True,
                                                     shares=vim.SharesInfo(level="normal", shares=0)),
            memoryAllocation=vim.ResourceAllocationInfo(reservation=0, limit=-1, expandableReservation=True,
                                                        shares=vim.SharesInfo(level="normal", shares=0))),
            configSpec=vim.vApp.VAppConfigSpec(), vmFolder=dc0.vmFolder)
        in_vapp = _wait(vapp.CreateChildVM_Task(config=vim.vm.ConfigSpec(
            name="shop-db", guestId="otherGuest64", numCPUs=1, memoryMB=128,
            files=vim.vm.FileInfo(vmPathName="[LocalDS_0]"))))
        yield {"sim": sim, "si": si, "ds_dir": Path(ds_dir), "odd": odd._moId, "dup2": dup2._moId,
               "dup0": dup0._moId, "quoted": quoted._moId, "template": tpl._moId, "in_vapp": in_vapp._moId}
    finally:
        with contextlib.suppress(Exception):
            si.content.sessionManager.Logout()
        sim.stop()


def _source(sim, **kw) -> VSphereSource:
    return VSphereSource(sim.host, sim.port, sim.user, sim.password, insecure=True, **kw)


@pytest.fixture(scope="module")
def inventory(world):
    src = _source(world["sim"])
    try:
        yield src.discover()
    finally:
        src.close()


def _by_id(inv, moid):
    return next(vm for vm in inv.vms if vm.id == moid)


def test_escaped_names_are_shown_decoded_and_kept_raw_for_the_api(world, inventory):
    vm = _by_id(inventory, world["odd"])
    assert vm.name == ODD_SHOWN
    assert vm.extra["vsphere.name"] == ODD_VM
    assert vm.datacenter == "DC % Two"
    assert vm.folder == "Apps/Web / Tier"
    assert vm.extra["vsphere.dcPath"] == f"{REGION}/{DC2}"  # the raw inventory path the datastore URL needs
    quoted = _by_id(inventory, world["quoted"])
    assert quoted.name == 'say "hi" \\ back\tslash'
    assert 'say "hi" \\ back\\x09slash' in format_table(inventory)  # a control character never reaches the terminal


def test_same_vm_name_in_two_datacenters_is_listed_twice_and_told_apart(world, inventory):
    dups = [vm for vm in inventory.vms if vm.name == "dup"]
    assert {vm.id for vm in dups} == {world["dup0"], world["dup2"]}
    assert {vm.datacenter for vm in dups} == {"DC0", "DC % Two"}
    table = format_table(inventory)
    assert f"dup (DC0, {world['dup0']})" in table and f"dup (DC % Two, {world['dup2']})" in table


def test_template_is_listed_and_marked(world, inventory):
    vm = _by_id(inventory, world["template"])
    assert vm.template
    row = next(line for line in format_table(inventory).splitlines() if line.startswith("golden-image"))
    assert row.split()[1] == "template"
    assert "template" in vm.extra["warnings"]


def test_vm_created_in_a_vapp_is_discovered_in_its_datacenter(world, inventory):
    # (the simulator also gives such a VM a folder; real vCenter does not: unit-tested with parentVApp only)
    vm = _by_id(inventory, world["in_vapp"])
    assert vm.datacenter == "DC0" and vm.extra["vsphere.dcPath"] == "DC0"


def test_disk_on_a_datastore_of_a_datacenter_in_a_folder_is_read(world, inventory, tmp_path):
    sim = world["sim"]
    vm = _by_id(inventory, world["odd"])
    disk = vm.disks[0]
    assert disk.datastore == DS2 and disk.path.startswith(f"[{DS2}] ")
    rel = disk.path[len(DS2) + 3:]
    raw = tmp_path / "src.raw"
    raw.write_bytes(b"\xa5" * MiB + bytes(range(256)) * 4096 * 3)
    target = world["ds_dir"] / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(target))
    src = _source(sim)
    try:
        src.discover()
        with src.open_disk(vm, 0) as image:
            out = bytearray(image.virtual_size)
            image.readinto(0, memoryview(out))
        assert bytes(out) == raw.read_bytes()
        # a file path with spaces, parentheses, unicode, '#', '%' and '&'
        odd_rel = "folder with spaces/vm (1)/disk ü #1 %2f & more.bin"
        (world["ds_dir"] / odd_rel).parent.mkdir(parents=True, exist_ok=True)
        (world["ds_dir"] / odd_rel).write_bytes(b"hello datastore")
        with src.open_bytes(vm.extra["vsphere.dcPath"], f"[{DS2}] {odd_rel}") as fh:
            buf = bytearray(fh.size)
            assert fh.pread_into(0, memoryview(buf)) == 15 and bytes(buf) == b"hello datastore"
    finally:
        src.close()


def test_session_ended_mid_discovery_logs_in_again_once(world):
    src = _source(world["sim"])
    try:
        src.connect()
        key = src._content.sessionManager.currentSession.key
        world["si"].content.sessionManager.TerminateSession([key])  # an administrator (or a timeout) ends it
        inv = src.discover()
        assert any(vm.id == world["odd"] for vm in inv.vms)
    finally:
        src.close()


@pytest.mark.parametrize("fast", [True, False], ids=["fast-reader", "pyvmomi"])
def test_paged_discovery_gives_the_same_inventory(world, inventory, fast):
    requests = []
    for page_size in (5000, 3):  # vCenter pages long answers the same way, only with bigger pages
        src = _source(world["sim"])
        src.page_size, src.fast_xml = page_size, fast
        try:
            paged = src.discover()
        finally:
            src.close()
        assert paged.vms == inventory.vms
        requests.append(src.soap_requests)
    assert requests[1] >= requests[0] + 3  # several ContinueRetrievePropertiesEx pages were read


def test_cancelled_discovery_releases_the_servers_pages(world, monkeypatch):
    src = _source(world["sim"])
    tokens: list[str] = []
    first = vsphere_fastxml.retrieve_properties_ex

    def recording(collector, specs, options):
        result = first(collector, specs, options)
        tokens.append(result.token)
        return result

    monkeypatch.setattr(vsphere_fastxml, "retrieve_properties_ex", recording)
    cancel = CancelToken()
    try:
        src.connect()
        with pytest.raises(Cancelled):
            collect_inventory(src._content, cancel=cancel, page_size=2, on_page=lambda n: cancel.cancel())
        assert tokens and tokens[0]
        with pytest.raises(vmodl.fault.InvalidArgument):  # the server no longer holds the rest
            src._content.propertyCollector.ContinueRetrievePropertiesEx(tokens[0])
    finally:
        src.close()


class StallingProxy:
    """Loopback TCP proxy; once ``stall_after`` bytes went to the client it stops forwarding (keeps the socket)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stall_after: int | None = None
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._socks: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self._socks += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, downstream: bool) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                if downstream and self.stall_after is not None:
                    if len(data) >= self.stall_after:
                        dst.sendall(data[:self.stall_after])
                        self.stall_after = None
                        self.stalled.set()
                        self.release.wait(120)
                        return
                    self.stall_after -= len(data)
                dst.sendall(data)

    def close(self) -> None:
        self.release.set()
        self.listener.close()
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.close()


def test_cancel_ends_a_stalled_download_at_once(world):
    sim = world["sim"]
    (world["ds_dir"] / "stall.bin").write_bytes(b"\x5a" * (4 * MiB))
    proxy = StallingProxy((sim.host, sim.port))
    cancel = CancelToken()
    outcome: list[BaseException | int] = []
    try:
        url, _ = _source(sim).datastore_url(f"{REGION}/{DC2}", f"[{DS2}] stall.bin")
        src = HttpByteSource(TlsPolicy(sim.host, proxy.port, insecure=True), url, name="stall.bin", cancel=cancel,
                             timeout=600)
        assert src.size == 4 * MiB
        proxy.stall_after = 300_000  # headers and a little data, then silence (a hung host, a dead NAT)

        def read() -> None:
            try:
                outcome.append(src.pread_into(0, memoryview(bytearray(4 * MiB))))
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                outcome.append(exc)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert proxy.stalled.wait(60)
        cancel.cancel()
        reader.join(30)  # without the fix the read sits in recv() for the full 600 s socket timeout
        assert not reader.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
        src.close()
    finally:
        proxy.close()


def test_discover_cli_on_a_console_without_those_characters(world):
    sim = world["sim"]
    env = dict(os.environ, PYTHONIOENCODING="cp1252", VC_PW=sim.password,
               HVMIGRATE_CONFIG_DIR=os.environ["HVMIGRATE_CONFIG_DIR"])
    address = f"vsphere://{sim.user}@{sim.host}:{sim.port}"
    for extra in ([], ["--json"]):
        proc = subprocess.run([sys.executable, "-m", "wizard", "discover", address, "--insecure", "--password-env",
                               "VC_PW", *extra], capture_output=True, text=True, encoding="cp1252", env=env,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr
        if extra:
            assert CJK_VM in [vm["name"] for vm in json.loads(proc.stdout)["vms"]]
        else:
            assert "\\u8ca1\\u52d9 db" in proc.stdout and "Traceback" not in proc.stderr


def test_verbose_cli_never_shows_the_password_right_or_wrong(tmp_path):
    secret = "Zq9&<Pw>%2f'ü"
    sim = start_vcsim(f"-pass={secret}")
    try:
        address = f"vsphere://{sim.user}@{sim.host}:{sim.port}"
        for password, ok in ((secret, True), (secret + "x", False)):
            env = dict(os.environ, VC_PW=password, HVMIGRATE_CONFIG_DIR=str(tmp_path / "cfg"))
            proc = subprocess.run([sys.executable, "-m", "wizard", "-vv", "discover", address, "--insecure",
                                   "--password-env", "VC_PW"], capture_output=True, text=True, env=env, timeout=120)
            assert (proc.returncode == 0) is ok, proc.stderr
            assert secret not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
            if not ok:
                assert "refused the user name or password" in proc.stderr
    finally:
        sim.stop()


# ---- servers that are not vCenter --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def html_server(tmp_path_factory):
    """A plain HTTPS web server answering every path with an HTML page (a proxy, a router, a wrong port)."""
    d = tmp_path_factory.mktemp("html")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=web",
                    "-keyout", str(d / "k.pem"), "-out", str(d / "c.pem")], check=True, capture_output=True)

    class Page(http.server.BaseHTTPRequestHandler):
        def _page(self) -> None:
            body = b"<html><body><h1>Welcome to nginx!</h1></body></html>"
            if self.command == "POST":
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _page

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d / "c.pem", d / "k.pem")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_a_web_server_that_is_not_vcenter_is_a_typed_error_without_the_password(html_server, caplog):
    secret = "S3cr&t<pw>"
    src = VSphereSource("127.0.0.1", html_server, "admin", secret, insecure=True)
    with caplog.at_level("DEBUG"), pytest.raises(HvmError) as info:
        src.connect()
    err = info.value
    assert "not with the vSphere API" in err.message and "vCenter" in err.fix
    assert secret not in err.message + err.details + err.fix + caplog.text
