"""Real-world vCenter/ESXi replies the happy path never shows: odd HTTP answers, escaped names, vApps,
datastore names with brackets, unknown devices. Pure unit tests on scripted replies and pyVmomi objects."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

import pytest
from pyVmomi import vim, vmodl

from wizard.core.errors import AuthError, Cancelled, ConnectError, PermissionDeniedError, SourceError
from wizard.core.progress import CancelToken
from wizard.sources import vsphere_fastxml
from wizard.sources.vsphere import VSphereSource
from wizard.sources.vsphere_http import HttpByteSource
from wizard.sources.vsphere_map import Entity, MapContext, display_name, map_vm, split_datastore_path
from wizard.sources.vsphere_props import Collected, absorb, collect_inventory
from wizard.sources.vsphere_tls import TlsPolicy

BLOB = bytes(range(251)) * 80  # 20080 bytes, no period of 256 so misplaced bytes show


class Resp(io.BytesIO):
    """An http.client-like reply; ``cut_after`` ends the body early (a dropped connection)."""

    def __init__(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
                 cut_after: int | None = None) -> None:
        super().__init__(body if cut_after is None else body[:cut_after])
        self.status = status
        self.headers = headers or {}
        self.consumed = 0

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    def read(self, *args):
        data = super().read(*args)
        self.consumed += len(data)
        return data

    def readinto(self, b):
        n = super().readinto(b)
        self.consumed += n
        return n

    def isclosed(self) -> bool:
        return self.tell() >= len(self.getbuffer())


class Server:
    """Answers each request with ``handler(start, end, cookie)`` → Resp; records what it was asked."""

    def __init__(self, handler) -> None:
        self.handler = handler
        self.asked: list[tuple[int, int, str]] = []
        self.replies: list[Resp] = []

    def conn(self):
        server = self

        class Conn:
            sock = None

            def request(self, method, url, headers):
                self.headers = headers

            def getresponse(self):
                start, end = (int(x) for x in self.headers["Range"][len("bytes="):].split("-"))
                cookie = self.headers.get("Cookie", "")
                server.asked.append((start, end, cookie))
                resp = server.handler(start, end, cookie)
                server.replies.append(resp)
                return resp

            def close(self):
                pass

        return Conn()


def ranged(start: int, end: int, *_: object) -> Resp:
    end = min(end, len(BLOB) - 1)
    return Resp(206, BLOB[start:end + 1], {"Content-Range": f"bytes {start}-{end}/{len(BLOB)}"})


def whole(*_: object) -> Resp:
    return Resp(200, BLOB, {"Content-Length": str(len(BLOB))})


def open_source(server: Server, cookie=lambda: "vmware_soap_session=s1", relogin=None) -> HttpByteSource:
    src = HttpByteSource.__new__(HttpByteSource)
    src._get_conn = server.conn  # type: ignore[method-assign]
    HttpByteSource.__init__(src, TlsPolicy("vc.lab", insecure=True), "/folder/x?dsName=d", name="[d] x.vmdk",
                            cookie=cookie, backoff=0.0, retries=3, relogin=relogin)
    return src


# ---- datastore HTTP ------------------------------------------------------------------------------------

def test_size_probe_on_a_server_ignoring_range_does_not_download_the_whole_file():
    server = Server(whole)
    src = open_source(server)
    assert src.size == len(BLOB)
    assert server.replies[0].consumed == 0  # a 500 GB disk must not be read into memory to learn its size


def test_size_probe_without_any_length_is_a_clear_error():
    with pytest.raises(SourceError, match="did not tell the size"):
        open_source(Server(lambda *a: Resp(200, BLOB)))
    with pytest.raises(SourceError, match="did not tell the size"):
        open_source(Server(lambda *a: Resp(206, BLOB[:1], {"Content-Range": "bytes 0-0/*"})))


def test_a_reply_for_the_wrong_offset_is_refused_not_copied():
    server = Server(ranged)
    src = open_source(server)
    server.handler = lambda start, end, _c: ranged(0, end - start)  # a proxy that drops the Range start
    with pytest.raises(SourceError, match="from offset 0 when asked for offset 4096"):
        src.pread_into(4096, memoryview(bytearray(100)))


def test_whole_file_reply_after_a_cut_refills_from_byte_zero_never_appends():
    server = Server(ranged)
    src = open_source(server)
    answers = [Resp(206, BLOB[:10000], {"Content-Range": f"bytes 0-9999/{len(BLOB)}"}, cut_after=3000), whole()]
    server.handler = lambda *a: answers.pop(0)
    buf = bytearray(10000)
    assert src.pread_into(0, memoryview(buf)) == 10000
    assert bytes(buf) == BLOB[:10000]
    assert server.asked[-1][0] == 3000  # it did resume at the cut; the server answered with the whole file


def test_expired_session_seen_by_two_readers_logs_in_only_once():
    session = {"id": "s1"}
    logins = []

    def handler(start, end, cookie):
        if cookie != f"vmware_soap_session={session['id']}":
            return Resp(401)
        return ranged(start, end)

    server = Server(handler)
    src = open_source(server, cookie=lambda: f"vmware_soap_session={session['id']}",
                      relogin=lambda: logins.append(1))
    # another reader of this file already logged in again while our request was on its way
    original = server.handler

    def stale_then_fresh(start, end, cookie):
        if not logins and session["id"] == "s1":
            src._relogged = True
            session["id"] = "s2"
            logins.append("other reader")
            return Resp(401)
        return original(start, end, cookie)

    server.handler = stale_then_fresh
    buf = bytearray(500)
    assert src.pread_into(100, memoryview(buf)) == 500 and bytes(buf) == BLOB[100:600]
    assert logins == ["other reader"]


# ---- mapping replies real servers send -------------------------------------------------------------------

d = vim.vm.device
PC = vmodl.query.PropertyCollector

CTX = MapContext(
    entities={
        "group-d1": Entity("Datacenters", "Folder", ""),
        "group-f1": Entity("EMEA %2f Paris", "Folder", "group-d1"),
        "dc-1": Entity("DC %25 1", "Datacenter", "group-f1"),
        "group-v1": Entity("vm", "Folder", "dc-1"),
        "group-v2": Entity("Prod%5cWeb", "Folder", "group-v1"),
        "resgroup-v9": Entity("shop %2f vApp", "VirtualApp", "group-v2"),
        "resgroup-v10": Entity("inner", "VirtualApp", "resgroup-v9"),
        "dc-2": Entity("DC2", "Datacenter", "group-d1"),
        "group-s2": Entity("datastore", "Folder", "dc-2"),
        "group-s1": Entity("datastore", "Folder", "dc-1"),
    },
    datastores={"datastore-1": ("ds [a] 1", "VMFS"), "datastore-2": ("shared", "NFS")},
    datastore_parents={"datastore-1": "group-s1", "datastore-2": "group-s2"},
)


def _map(props: dict, missing: list[str] | None = None):
    return map_vm("vm-7", props, CTX, missing)


def test_escaped_names_are_decoded_once_for_display():
    assert display_name("a%2fb %25 c%5Cd %252f") == "a/b % c\\d %2f"  # %252f is a literal "%2f"
    vm = _map({"name": "web%2f01 %25", "parent": vim.Folder("group-v2"), "config.uuid": "u"})
    assert vm.name == "web/01 %" and vm.extra["vsphere.name"] == "web%2f01 %25"
    assert vm.datacenter == "DC % 1" and vm.folder == "Prod\\Web"
    assert vm.extra["vsphere.dcPath"] == "EMEA %2f Paris/DC %25 1"  # raw: the datastore URL wants the API form


def test_vm_in_a_nested_vapp_has_no_folder_but_is_placed():
    vm = _map({"name": "db", "parentVApp": vim.VirtualApp("resgroup-v10"), "config.uuid": "u"})
    assert vm.datacenter == "DC % 1" and vm.folder == "Prod\\Web/shop / vApp/inner"
    assert vm.extra["vsphere.dcPath"] == "EMEA %2f Paris/DC %25 1"


def test_vapp_entities_take_their_folder_or_parent_vapp_as_parent():
    out = Collected()
    absorb([PC.ObjectContent(obj=vim.VirtualApp("resgroup-v1"), propSet=[
        vmodl.DynamicProperty(name="name", val="app"),
        vmodl.DynamicProperty(name="parentFolder", val=vim.Folder("group-v2"))]),
        PC.ObjectContent(obj=vim.VirtualApp("resgroup-v2"), propSet=[
            vmodl.DynamicProperty(name="name", val="child"),
            vmodl.DynamicProperty(name="parentVApp", val=vim.VirtualApp("resgroup-v1"))])], out)
    assert out.ctx.entities["resgroup-v1"].parent == "group-v2"
    assert out.ctx.entities["resgroup-v2"].parent == "resgroup-v1"


@pytest.mark.parametrize("state", ["inaccessible", "orphaned", "invalid"])
def test_vm_without_config_maps_with_a_warning(state):
    vm = _map({"name": "/vmfs/volumes/ds/lost/lost.vmx", "runtime.connectionState": state,
               "runtime.powerState": "poweredOff"})
    assert vm.disks == [] and "config" in vm.extra["vsphere.missing"]
    assert state in vm.extra["warnings"] and "no configuration" in vm.extra["warnings"]


def test_unknown_device_classes_are_warned_about_not_fatal():
    devices = [d.VirtualPrecisionClock(key=19000, deviceInfo=vim.Description(label="Precision Clock 1", summary="")),
               d.VirtualWDT(key=18000), d.VirtualNVDIMM(key=17000, capacityInMB=1024),
               d.VirtualDevice(key=99999, deviceInfo=vim.Description(label="Future gadget 1", summary="")),
               d.VirtualKeyboard(key=600), d.VirtualVideoCard(key=500), d.VirtualPCIController(key=100)]
    vm = _map({"name": "x", "config.uuid": "u", "config.hardware.device": devices})
    warnings = vm.extra["warnings"].splitlines()
    assert len(warnings) == 4
    assert any("Precision Clock 1" in w for w in warnings) and any("VirtualNVDIMM" in w for w in warnings)
    assert any("Future gadget 1" in w for w in warnings)


def test_disk_on_a_datastore_of_another_datacenter_gets_that_datacenter_path():
    b = d.VirtualDisk.FlatVer2BackingInfo(fileName="[shared] x/x.vmdk", diskMode="persistent",
                                          datastore=vim.Datastore("datastore-2"))
    own = d.VirtualDisk.FlatVer2BackingInfo(fileName="[ds [a] 1] x/y.vmdk", diskMode="persistent",
                                            datastore=vim.Datastore("datastore-1"))
    disks = [d.VirtualDisk(key=2000, controllerKey=1000, unitNumber=0, capacityInKB=1, backing=b),
             d.VirtualDisk(key=2001, controllerKey=1000, unitNumber=1, capacityInKB=1, backing=own)]
    vm = _map({"name": "x", "parent": vim.Folder("group-v2"), "config.uuid": "u", "config.hardware.device": disks})
    assert vm.extra["vsphere.dcPath.2000"] == "DC2" and "vsphere.dcPath.2001" not in vm.extra
    assert vm.disks[1].datastore == "ds [a] 1"
    src = VSphereSource("vc.lab", insecure=True)
    opened = []

    def open_bytes(dc, path, cancel=None):
        opened.append((dc, path))
        raise Opened

    src.open_bytes = open_bytes
    with pytest.raises(Opened):
        src.open_disk(vm, 0)
    assert opened == [("DC2", "[shared] x/x.vmdk")]


class Opened(Exception):
    pass


def test_datastore_names_with_brackets_and_paths_with_odd_characters():
    assert split_datastore_path("[ds [old] 1] vm (1)/disk ü.vmdk") == ("ds [old] 1", "vm (1)/disk ü.vmdk")
    assert split_datastore_path("[a] b] c/d.vmdk", known=["a] b"]) == ("a] b", "c/d.vmdk")
    assert split_datastore_path("[ds]  lead/x.vmdk") == ("ds", " lead/x.vmdk")  # a folder starting with a space
    assert split_datastore_path("[ds]") == ("ds", "")
    src = VSphereSource("vc.lab", insecure=True)
    src._datastore_urls = {"ds [old] 1": ""}
    url, _ = src.datastore_url("EMEA %2f Paris/DC & 1", "[ds [old] 1] a b/vm (1) #2/d ü %2f?.vmdk")
    path, _, query = url.partition("?")
    assert path == "/folder/a%20b/vm%20%281%29%20%232/d%20%C3%BC%20%252f%3F.vmdk"
    assert parse_qs(query) == {"dcPath": ["EMEA %2f Paris/DC & 1"], "dsName": ["ds [old] 1"]}


# ---- replies with types this pyVmomi does not know ---------------------------------------------------------

def test_fast_reader_reads_an_unknown_device_type_as_a_plain_device():
    xml = (b'<returnval xmlns="urn:vim25" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
           b'<obj type="VirtualMachine">vm-1</obj>'
           b'<propSet><name>config.hardware.device</name><val xsi:type="ArrayOfVirtualDevice">'
           b'<VirtualDevice xsi:type="VirtualQuantumFluxCapacitor"><key>31000</key>'
           b'<deviceInfo><label>Flux 1</label><summary>s</summary></deviceInfo><flux>1.21</flux></VirtualDevice>'
           b'<VirtualDevice xsi:type="VirtualE1000e"><key>4000</key><macAddress>00:50:56:aa:bb:cc</macAddress>'
           b'</VirtualDevice></val></propSet>'
           b'<propSet><name>runtime.host</name><val type="HostSystemOfTheFuture" xsi:type="ManagedObjectReference">'
           b'host-9</val></propSet></returnval>')
    el = ET.fromstring(xml)
    content = vsphere_fastxml._Reader(None).convert(el, PC.ObjectContent)
    props = {p.name: p.val for p in content.propSet}
    flux, nic = props["config.hardware.device"]
    assert type(flux) is d.VirtualDevice and flux.deviceInfo.label == "Flux 1"
    assert isinstance(nic, d.VirtualE1000e) and props["runtime.host"]._moId == "host-9"
    vm = map_vm("vm-1", props, MapContext())
    assert len(vm.nics) == 1 and "Flux 1" in vm.extra["warnings"]


# ---- paging ------------------------------------------------------------------------------------------------

class PagingCollector:
    """Three pages; records the calls, fails on demand."""

    def __init__(self, fail_on: str = "") -> None:
        self.calls: list[tuple[str, object]] = []
        self.fail_on = fail_on

    def _page(self, n: int, token: str | None):
        vm = PC.ObjectContent(obj=vim.VirtualMachine(f"vm-{n}"), propSet=[vmodl.DynamicProperty(name="name",
                                                                                                 val=f"v{n}")])
        return PC.RetrieveResult(objects=[vm], token=token)

    def RetrievePropertiesEx(self, specs, options):  # noqa: N802 - pyVmomi's name
        self.calls.append(("RetrievePropertiesEx", options.maxObjects))
        return self._page(1, "t1")

    def ContinueRetrievePropertiesEx(self, token):  # noqa: N802
        self.calls.append(("ContinueRetrievePropertiesEx", token))
        if self.fail_on == token:
            raise ConnectionResetError("connection reset by peer")
        return self._page(2, "t2") if token == "t1" else self._page(3, None)

    def CancelRetrievePropertiesEx(self, token):  # noqa: N802
        self.calls.append(("CancelRetrievePropertiesEx", token))


class FakeContent:
    def __init__(self, collector) -> None:
        self.propertyCollector = collector
        self.rootFolder = object()
        self.view = vim.view.ContainerView("session[1]view-1")  # no stub: Destroy fails, which is tolerated
        self.viewManager = self

    def CreateContainerView(self, root, types, recursive):  # noqa: N802
        return self.view


def test_paging_follows_tokens_to_the_end_without_cancelling():
    pc = PagingCollector()
    out = collect_inventory(FakeContent(pc), page_size=1)
    assert [vm[0] for vm in out.vms] == ["vm-1", "vm-2", "vm-3"]
    assert [c[0] for c in pc.calls] == ["RetrievePropertiesEx", "ContinueRetrievePropertiesEx",
                                         "ContinueRetrievePropertiesEx"]


def test_cancel_between_pages_releases_the_servers_result_set():
    pc = PagingCollector()
    cancel = CancelToken()
    content = FakeContent(pc)
    with pytest.raises(Cancelled):
        collect_inventory(content, cancel=cancel, page_size=1, on_page=lambda n: cancel.cancel())
    assert pc.calls[-1] == ("CancelRetrievePropertiesEx", "t1")


def test_a_connection_lost_mid_paging_is_a_connect_error():
    src = VSphereSource("vc.lab", insecure=True)
    src._content = FakeContent(PagingCollector(fail_on="t2"))
    src.connect = lambda: None
    with pytest.raises(ConnectError, match="reading the inventory"):
        src.discover()


# ---- login faults ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fault", "error", "words"), [
    (vim.fault.InvalidLogin(), AuthError, "refused the user name or password"),
    (vim.fault.PasswordExpired(), AuthError, "has expired"),
    (vim.fault.NoPermission(privilegeId="System.View"), PermissionDeniedError, "System.View"),
    (vim.fault.NotAuthenticated(), AuthError, "session"),
])
def test_login_faults_are_typed_errors_without_the_password(fault, error, words):
    src = VSphereSource("vc.lab", user="admin@vsphere.local", password="pw&<'\"secret", insecure=True)
    fault.msg = "Cannot complete login due to an incorrect user name or password pw&<'\"secret"
    err = src._translate(fault, "logging in")
    assert isinstance(err, error) and words in err.message
    assert "pw&<'\"secret" not in err.message + err.details + err.fix



def test_logging_in_again_is_skipped_when_another_reader_already_did():
    class Sessions:
        currentSession = object()
        logins = 0

        def Login(self, *args):  # noqa: N802 - pyVmomi's name
            self.logins += 1

    class Content:
        sessionManager = Sessions()

    src = VSphereSource("vc.lab", user="u", password="p", insecure=True)
    src._content = Content()
    src.relogin()
    assert Content.sessionManager.logins == 0
    Content.sessionManager.currentSession = None  # the session is gone: a real new login
    src.relogin()
    assert Content.sessionManager.logins == 1


def test_datastore_list_for_vmfs_volume_paths_reads_every_page():
    def ds(n):
        return PC.ObjectContent(obj=vim.Datastore(f"datastore-{n}"), propSet=[
            vmodl.DynamicProperty(name="name", val=f"ds{n}"),
            vmodl.DynamicProperty(name="summary.url", val=f"ds:///vmfs/volumes/vol-{n}/")])

    class Collector:
        def RetrievePropertiesEx(self, specs, options):  # noqa: N802 - pyVmomi's name
            return PC.RetrieveResult(objects=[ds(n) for n in range(100)], token="more")

        def ContinueRetrievePropertiesEx(self, token):  # noqa: N802
            return PC.RetrieveResult(objects=[ds(n) for n in range(100, 150)])

    src = VSphereSource("vc.lab", insecure=True)
    src._content = FakeContent(Collector())
    src.connect = lambda: None
    assert src._resolve("[ds1] vm/vm.vmdk", "/vmfs/volumes/vol-142/base/b.vmdk") == "[ds142] base/b.vmdk"


def test_a_host_the_user_may_not_read_leaves_the_vm_listed():
    denied = vmodl.LocalizedMethodFault(fault=vim.fault.NoPermission(privilegeId="System.Read"),
                                        localizedMessage="Permission to perform this operation was denied.")

    class Collector:
        def RetrievePropertiesEx(self, specs, options):  # noqa: N802 - pyVmomi's name
            return PC.RetrieveResult(objects=[
                PC.ObjectContent(obj=vim.VirtualMachine("vm-5"), propSet=[
                    vmodl.DynamicProperty(name="name", val="app01"),
                    vmodl.DynamicProperty(name="config.uuid", val="u"),
                    vmodl.DynamicProperty(name="runtime.host", val=vim.HostSystem("host-12"))]),
                PC.ObjectContent(obj=vim.HostSystem("host-12"), missingSet=[
                    PC.MissingProperty(path="name", fault=denied), PC.MissingProperty(path="parent", fault=denied),
                    PC.MissingProperty(path="config.network.portgroup", fault=denied)])])

        ContinueRetrievePropertiesEx = None  # one page only

    src = VSphereSource("vc.lab", insecure=True)
    src._content = FakeContent(Collector())
    src.connect = lambda: None
    (vm,) = src.discover().vms
    assert vm.name == "app01" and vm.cluster == "" and "vsphere.error" not in vm.extra


def test_a_vcenter_still_starting_is_a_retryable_connect_error_not_a_wrong_address():
    import http.client

    src = VSphereSource("vc.lab", insecure=True)
    err = src._translate(http.client.HTTPException("503 Service Unavailable"), "logging in")
    assert type(err) is ConnectError and "not ready" in err.message and "starting" in err.fix
    err = src._translate(http.client.HTTPException("404 Not Found"), "logging in")
    assert type(err) is SourceError and "vCenter Server or ESXi host" in err.fix


def test_vmfs_volume_paths_resolve_when_datastore_names_repeat_across_datacenters():
    out = Collected()
    absorb([PC.ObjectContent(obj=vim.Datastore(f"datastore-{n}"), propSet=[
        vmodl.DynamicProperty(name="name", val="datastore1"),
        vmodl.DynamicProperty(name="summary.url", val=f"ds:///vmfs/volumes/vol-{n}/")]) for n in (1, 2)], out)
    src = VSphereSource("vc.lab", insecure=True)
    src._datastore_urls, src._datastore_volumes = out.datastore_urls, out.datastore_volumes
    for n in (1, 2):  # every host's local datastore is called datastore1
        resolved = src._resolve("[datastore1] vm/vm.vmdk", f"/vmfs/volumes/vol-{n}/base/b.vmdk")
        assert resolved == "[datastore1] base/b.vmdk"


def test_cancel_during_the_last_allowed_retry_is_a_cancel_not_a_network_error():
    cancel = CancelToken()
    server = Server(ranged)
    src = HttpByteSource.__new__(HttpByteSource)
    src._get_conn = server.conn  # type: ignore[method-assign]
    HttpByteSource.__init__(src, TlsPolicy("vc.lab", insecure=True), "/folder/x?dsName=d", name="[d] x.vmdk",
                            backoff=0.0, retries=0, cancel=cancel)

    class CutByCancel(Resp):
        def readinto(self, b):
            if self.tell():
                cancel.cancel()  # the user cancels; the read in progress ends as its socket is shut
                return 0
            return super().readinto(b[:10])

    def cut_by_cancel(start, end, cookie):
        return CutByCancel(206, BLOB[start:end + 1], {"Content-Range": f"bytes {start}-{end}/{len(BLOB)}"})

    server.handler = cut_by_cancel
    with pytest.raises(Cancelled):
        src.pread_into(0, memoryview(bytearray(1000)))


def test_a_vm_whose_reply_cannot_be_mapped_is_still_listed_under_its_shown_name():
    class Collector:
        def RetrievePropertiesEx(self, specs, options):  # noqa: N802 - pyVmomi's name
            return PC.RetrieveResult(objects=[PC.ObjectContent(obj=vim.VirtualMachine("vm-8"), propSet=[
                vmodl.DynamicProperty(name="name", val="db%2f01"),
                vmodl.DynamicProperty(name="config.hardware.numCPU", val="many")])])  # a broken reply

        ContinueRetrievePropertiesEx = None  # one page only

    src = VSphereSource("vc.lab", insecure=True)
    src._content = FakeContent(Collector())
    src.connect = lambda: None
    (vm,) = src.discover().vms
    assert vm.name == "db/01" and "ValueError" in vm.extra["vsphere.error"]
