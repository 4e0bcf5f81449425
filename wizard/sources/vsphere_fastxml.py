"""A faster reader for big ``RetrievePropertiesEx`` replies, producing ordinary pyVmomi objects.

Why: for a few thousand VMs the reply holds hundreds of thousands of XML elements, and pyVmomi's SAX
deserializer (a Python callback per element, type checks on every ``setattr``) takes most of the
discovery time. Here the reply is parsed by ElementTree (C) and turned into pyVmomi data objects with
per-type caches and without re-validating each field. The objects are the real pyVmomi classes, so the
mapping code cannot tell the difference.

Contract: :func:`retrieve_properties_ex` and :func:`continue_retrieve_properties_ex` send the same
request pyVmomi would (same stub, cookie, connection pool and TLS policy) and return a
``RetrieveResult`` or None. A SOAP fault is decoded by pyVmomi's own deserializer and raised as the usual
pyVmomi exception. Unknown properties (a newer server) are skipped, not fatal, and so are the list
items of the types in :data:`SKIP_TYPES` (keyboard, video card, ...), which the mapping ignores anyway.
"""

from __future__ import annotations

import base64
import datetime as _dt
import http.client
import io
import xml.etree.ElementTree as ET
from typing import Any

from pyVmomi import Iso8601, SoapAdapter, VmomiSupport, vmodl

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSD = "http://www.w3.org/2001/XMLSchema"
VIM = "urn:vim25"
_PC = vmodl.query.PropertyCollector
_MO = VmomiSupport.ManagedObject


class _Types:
    """Per-type caches: wsdl name → class, class → kind, data class → (properties, defaults)."""

    def __init__(self) -> None:
        self.by_name: dict[str, Any] = {}
        self.kinds: dict[Any, str] = {}
        self.layouts: dict[Any, tuple[dict[str, tuple[str, Any, bool]], dict[str, Any], list[tuple[str, Any]]]] = {}

    def lookup(self, qname: str) -> Any:
        """The pyVmomi type of an ``xsi:type``; None for a type this pyVmomi does not know (newer server)."""
        if qname in self.by_name:
            return self.by_name[qname]
        prefix, _, name = qname.rpartition(":")
        ns = XSD if prefix in ("xsd", "xs") else VIM
        try:
            t = VmomiSupport.GetWsdlType(ns, name)
        except KeyError:
            if name.endswith("ManagedObjectReference"):
                t = _MO.Array if name.startswith("ArrayOf") else _MO
            else:
                try:
                    t = VmomiSupport.GuessWsdlType(name)
                except KeyError:
                    t = None
        self.by_name[qname] = t
        return t

    def kind(self, t: Any) -> str:
        k = self.kinds.get(t)
        if k is not None:
            return k
        if t is bool:
            k = "bool"
        elif t is VmomiSupport.binary:
            k = "binary"
        elif t is type:
            k = "type"
        elif t is _dt.datetime:
            k = "datetime"
        elif isinstance(t, type) and issubclass(t, list):
            k = "list"
        elif isinstance(t, type) and issubclass(t, _MO):
            k = "mo"
        elif isinstance(t, type) and issubclass(t, VmomiSupport.Enum):
            k = "enum"
        elif isinstance(t, type) and issubclass(t, VmomiSupport.DataObject):
            k = "data"
        elif isinstance(t, type) and issubclass(t, str):
            k = "str"
        elif isinstance(t, type) and issubclass(t, (int, float)):
            k = "number"
        else:
            k = "text"
        self.kinds[t] = k
        return k

    def layout(self, t: Any) -> tuple[dict[str, tuple[str, Any, bool]], dict[str, Any], list[tuple[str, Any]]]:
        lay = self.layouts.get(t)
        if lay is None:
            props = {p.name: (p.name, p.type, issubclass(p.type, list)) for p in t._GetPropertyList()}
            defaults = dict(t().__dict__)
            lists = [(n, type(v)) for n, v in defaults.items() if isinstance(v, list)]
            lay = self.layouts[t] = (props, defaults, lists)
        return lay


_TYPES = _Types()


# Devices every VM has and no rule or mapping looks at: their (many) elements are skipped unread.
SKIP_TYPES = frozenset({
    "VirtualKeyboard", "VirtualPointingDevice", "VirtualMachineVideoCard", "VirtualMachineVMCIDevice",
    "VirtualPCIController", "VirtualPS2Controller", "VirtualSIOController", "VirtualMachineVMIROM",
})


class _Reader:
    def __init__(self, stub: Any, skip: frozenset[str] = SKIP_TYPES) -> None:
        self.stub = stub
        self.types = _TYPES
        self.skip = skip

    def convert(self, el: ET.Element, t: Any) -> Any:
        types = self.types
        xsi = el.get(XSI_TYPE)
        if xsi:
            dyn = types.lookup(xsi)
            # an unknown type (a device class newer than this pyVmomi) is read as the declared base type
            if dyn is not None and not (types.kind(dyn) == "list" and types.kind(t) == "list"):
                t = dyn
        kind = types.kind(t)
        if kind == "data":
            return self.data(el, t)
        if kind == "list":
            item = t.Item
            out = t()
            skip = self.skip
            for child in el:
                if skip and child.get(XSI_TYPE) in skip:
                    continue
                out.append(self.convert(child, item))
            return out
        text = el.text or ""
        if kind == "mo":
            cls = types.lookup(el.get("type", "ManagedObject")) or _MO
            return cls(text, self.stub)
        if kind == "str" or kind == "text":
            return text
        if kind == "bool":
            return text in ("true", "1")
        if kind == "number":
            return t(text)
        if kind == "enum":
            return getattr(t, text, text)
        if kind == "datetime":
            return Iso8601.ParseISO8601(text)
        if kind == "binary":
            return VmomiSupport.binary(base64.b64decode(text))
        if kind == "type":
            return types.lookup(text) if text else None
        return text

    def data(self, el: ET.Element, t: Any) -> Any:
        props, defaults, lists = self.types.layout(t)
        obj = t.__new__(t)
        d = obj.__dict__
        d.update(defaults)
        for name, list_type in lists:
            d[name] = list_type()
        for child in el:
            tag = child.tag
            name = tag[tag.index("}") + 1:] if tag[0] == "{" else tag
            info = props.get(name)
            if info is None:
                continue  # a property this pyVmomi does not know: newer server
            attr, ptype, is_list = info
            if is_list and self.skip and child.get(XSI_TYPE) in self.skip:
                continue
            value = self.convert(child, ptype.Item if is_list and not child.get(XSI_TYPE) else ptype)
            if is_list and not isinstance(value, list):
                d[attr].append(value)
            else:
                d[attr] = value
        if isinstance(obj, vmodl.LocalizedMethodFault) and obj.fault is not None:
            obj.fault.msg = obj.localizedMessage
        return obj


def _invoke(stub: Any, mo: Any, method: str, args: tuple[Any, ...]) -> Any:
    info = _PC._GetMethodInfo(method)
    body = stub.SerializeRequest(mo, info, args)
    headers = {"Cookie": stub.cookie, "SOAPAction": stub.versionId,
               "Content-Type": "text/xml; charset=utf-8", "User-Agent": "hvmigrate"}
    conn = stub.GetConnection()
    root = None
    try:
        conn.request("POST", stub.path, body, headers)
        resp = conn.getresponse()
        if resp.status == 200:
            # parse while the rest of the reply is still arriving
            parser = ET.XMLParser()
            while chunk := resp.read(1 << 18):
                parser.feed(chunk)
            root = parser.close()
            data = b""
        else:
            data = resp.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        stub.DropConnections()
        raise
    except ET.ParseError:
        conn.close()
        raise
    if resp.status == 500:
        stub.ReturnConnection(conn)
        fault = SoapAdapter.SoapResponseDeserializer(stub).Deserialize(io.BytesIO(data), info.result)
        raise fault
    if resp.status != 200 or root is None:
        conn.close()
        raise http.client.HTTPException(f"{resp.status} {resp.reason}")
    stub.ReturnConnection(conn)
    body_el = root.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    response = body_el[0] if body_el is not None and len(body_el) else None
    returnval = response.find(f"{{{VIM}}}returnval") if response is not None else None
    if returnval is None:
        return None
    return _Reader(stub).convert(returnval, info.result)


def retrieve_properties_ex(collector: Any, specs: list[Any], options: Any) -> Any:
    return _invoke(collector._stub, collector, "RetrievePropertiesEx", (specs, options))


def continue_retrieve_properties_ex(collector: Any, token: str) -> Any:
    return _invoke(collector._stub, collector, "ContinueRetrievePropertiesEx", (token,))
