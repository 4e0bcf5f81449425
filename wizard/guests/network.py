"""Network configuration text, rewritten so that it applies to the new Hyper-V adapter (pure functions).

On Hyper-V the synthetic adapter has no PCI slot, so the kernel names it ``eth0`` (``eth1``... in order); the
VMware name (``ens192``) is gone, and unless the plan keeps the MAC address so is the old MAC. For each
configuration style one function takes a file's text and the adapters (:class:`Nic`) and returns the new
text, or None when nothing changes:

- bound to the old MAC (ifcfg ``HWADDR``, keyfile ``mac-address``, netplan ``match: macaddress``, networkd
  ``[Match] MACAddress``, udev persistent-net rules): when the MAC is *kept* the binding stays (it still
  matches); when it is not, the binding is removed and the configuration is bound to the new name;
- bound to the old name only (``DEVICE=ens192``, ``interface-name=ens192``, a netplan id ``ens192:``,
  ``iface ens192``): bound to the new name, whether or not the MAC is kept;
- a MAC the guest *sets* (ifcfg ``MACADDR``/``LLADDR``, interfaces ``hwaddress``) is removed when the MAC is
  not kept: Hyper-V drops frames from a MAC it did not assign unless spoofing is allowed.

Addresses, routes, DNS and every other line are left exactly as they were (static addresses stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOOPBACK = "lo"


@dataclass(frozen=True)
class Nic:
    """One adapter of the VM: ``old_mac`` (the source's, lower-case colon form), ``new_name`` (its name on
    Hyper-V: ``eth0``...), ``keep_mac`` (the plan gives the Hyper-V adapter the old MAC)."""

    old_mac: str
    new_name: str
    keep_mac: bool
    old_name: str = ""  # the guest's name for it, when known (from a configuration bound to its MAC)


def norm_mac(text: str) -> str:
    hexes = re.sub(r"[^0-9a-fA-F]", "", text or "")
    return ":".join(hexes[i:i + 2] for i in range(0, 12, 2)).lower() if len(hexes) == 12 else ""


def by_mac(nics: list[Nic], mac: str) -> Nic | None:
    mac = norm_mac(mac)
    return next((n for n in nics if mac and n.old_mac == mac), None)


def by_name(nics: list[Nic], name: str) -> Nic | None:
    """The adapter an interface name refers to: a known old name, the new name itself, or — when the VM has
    exactly one adapter — that one (a VM with one NIC has one configured interface)."""
    if not name or name == LOOPBACK or ":" in name or "." in name:
        return None  # loopback, aliases (eth0:1) and VLANs (eth0.10) follow their parent
    for n in nics:
        if name in (n.old_name, n.new_name):
            return n
    return nics[0] if len(nics) == 1 and _physical(name) else None


def _physical(name: str) -> bool:
    """Names a udev/kernel gives a real Ethernet adapter (not a bridge, bond, team, tunnel or VLAN)."""
    return bool(re.match(r"^(eth\d+|en[a-z0-9]+|em\d+|p\d+p\d+)$", name))


# -- ifcfg (RHEL/CentOS/Fedora network-scripts, SUSE /etc/sysconfig/network) -----------------------------
_ASSIGN = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def ifcfg_name(file_name: str) -> str:
    return file_name[len("ifcfg-"):] if file_name.startswith("ifcfg-") else ""


def rewrite_ifcfg(file_name: str, text: str, nics: list[Nic]) -> tuple[str, str, list[str]] | None:
    """``(new text, new file name, what changed)`` for ``ifcfg-NAME``, or None when it stays as it is."""
    values = {m.group(2): _unquote(m.group(3)) for line in text.splitlines() if (m := _ASSIGN.match(line))}
    name = values.get("DEVICE") or ifcfg_name(file_name)
    nic = by_mac(nics, values.get("HWADDR", "")) or by_name(nics, name)
    if nic is None:
        return None
    out, what = [], []
    for line in text.splitlines(keepends=True):
        m = _ASSIGN.match(line.rstrip("\r\n"))
        key = m.group(2) if m else ""
        if key == "HWADDR" and not nic.keep_mac:
            what.append(f"removed HWADDR={_unquote(m.group(3))} (the old adapter's MAC)")
            continue
        if key in ("MACADDR", "LLADDR") and not nic.keep_mac and norm_mac(_unquote(m.group(3))) == nic.old_mac:
            what.append(f"removed {key}={_unquote(m.group(3))} (Hyper-V assigns the new adapter's MAC)")
            continue
        if key == "DEVICE" and _unquote(m.group(3)) != nic.new_name and (not nic.keep_mac or "HWADDR" not in values):
            what.append(f"DEVICE={_unquote(m.group(3))} → DEVICE={nic.new_name}")
            line = f"{m.group(1)}DEVICE={nic.new_name}\n"
        out.append(line)
    new_file = file_name
    if ifcfg_name(file_name) and ifcfg_name(file_name) != nic.new_name and (not nic.keep_mac or "HWADDR" not in values):
        new_file = f"ifcfg-{nic.new_name}"
        what.append(f"renamed to {new_file}")
    new_text = "".join(out)
    if new_text == text and new_file == file_name:
        return None
    return new_text, new_file, what


# -- NetworkManager keyfiles -------------------------------------------------------------------------------
def rewrite_keyfile(text: str, nics: list[Nic]) -> tuple[str, list[str]] | None:
    """The keyfile (``*.nmconnection``) bound to the new adapter, or None when it stays as it is."""
    section, values = "", {}
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip()
        elif "=" in s and not s.startswith(("#", ";")):
            k, _, v = s.partition("=")
            values[(section, k.strip())] = v.strip()
    if values.get(("connection", "type"), "ethernet") not in ("ethernet", "802-3-ethernet"):
        return None
    mac = values.get(("ethernet", "mac-address")) or values.get(("802-3-ethernet", "mac-address"), "")
    name = values.get(("connection", "interface-name"), "")
    nic = by_mac(nics, mac) or by_name(nics, name) or (nics[0] if len(nics) == 1 and not name and not mac else None)
    if nic is None:
        return None
    out, what, section, bound_by_mac = [], [], "", bool(mac) and nic.keep_mac
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip()
        key, _, value = s.partition("=")
        key, value = key.strip(), value.strip()
        if section in ("ethernet", "802-3-ethernet") and key == "mac-address" and not nic.keep_mac:
            what.append(f"removed mac-address={value} (the old adapter's MAC)")
            continue
        if (section in ("ethernet", "802-3-ethernet") and key == "cloned-mac-address" and not nic.keep_mac
                and norm_mac(value) == nic.old_mac):
            what.append(f"removed cloned-mac-address={value} (Hyper-V assigns the new adapter's MAC)")
            continue
        if section == "connection" and key == "interface-name" and value != nic.new_name and not bound_by_mac:
            what.append(f"interface-name={value} → interface-name={nic.new_name}")
            line = line[:len(line) - len(line.lstrip())] + f"interface-name={nic.new_name}\n"
        out.append(line)
    new_text = "".join(out)
    return (new_text, what) if new_text != text else None


# -- netplan -----------------------------------------------------------------------------------------------
def rewrite_netplan(text: str, nics: list[Nic]) -> tuple[str, list[str]] | None:
    """The netplan YAML with each ``ethernets:`` entry bound to the new adapter (line by line, so comments and
    layout stay), or None when it stays as it is."""
    lines = text.splitlines(keepends=True)
    out, what = [], []
    i, in_eth, eth_indent = 0, False, -1
    while i < len(lines):
        line = lines[i]
        indent, body = _indent(line), line.strip()
        if body.startswith("ethernets:"):
            in_eth, eth_indent = True, indent
            out.append(line)
            i += 1
            continue
        if in_eth and body and not body.startswith("#") and indent <= eth_indent:
            in_eth = False
        if in_eth and body.endswith(":") and not body.startswith("#") and indent > eth_indent:
            # an interface id: take its whole block
            end = i + 1
            while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
                end += 1
            block, changes = _netplan_entry(lines[i:end], nics)
            out += block
            what += changes
            i = end
            continue
        out.append(line)
        i += 1
    new_text = "".join(out)
    return (new_text, what) if new_text != text else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _netplan_entry(block: list[str], nics: list[Nic]) -> tuple[list[str], list[str]]:
    head = block[0]
    ident = head.strip()[:-1].strip().strip("\"'")
    mac, match_name, set_name = "", "", ""
    for line in block[1:]:
        k, _, v = line.strip().partition(":")
        if k == "macaddress":
            mac = v.strip().strip("\"'")
        elif k == "name":
            match_name = v.strip().strip("\"'")
        elif k == "set-name":
            set_name = v.strip().strip("\"'")
    nic = by_mac(nics, mac) or by_name(nics, match_name or set_name or ident)
    if nic is None:
        return block, []
    if mac and nic.keep_mac:
        return block, []  # bound by the kept MAC: it still matches, and set-name names it as before
    what: list[str] = []
    out = [head]
    if not mac and not match_name and ident != nic.new_name:
        out = [head.replace(ident, nic.new_name, 1)]
        what.append(f"ethernets: {ident} → {nic.new_name}")
    for line in block[1:]:
        k, _, v = line.strip().partition(":")
        if k == "macaddress" and mac:
            out.append(line[:_indent(line)] + f"name: {nic.new_name}\n")
            what.append(f"match: macaddress {v.strip()} → match: name {nic.new_name}")
            continue
        if k == "name" and match_name and match_name != nic.new_name:
            out.append(line[:_indent(line)] + f"name: {nic.new_name}\n")
            what.append(f"match: name {match_name} → {nic.new_name}")
            continue
        if k == "set-name":
            what.append(f"removed set-name: {v.strip()} (the adapter keeps its Hyper-V name {nic.new_name})")
            continue
        if k == "macaddress" and not nic.keep_mac and norm_mac(v.strip().strip("\"'")) == nic.old_mac:
            continue
        out.append(line)
    return out, what


# -- /etc/network/interfaces (Debian ifupdown) ----------------------------------------------------------------
_AUTO_WORDS = ("auto", "allow-hotplug", "allow-auto")


def rewrite_interfaces(text: str, nics: list[Nic]) -> tuple[str, list[str]] | None:
    """``auto/allow-hotplug/iface OLD`` → the new name; ``hwaddress`` of the old MAC removed when not kept."""
    out, what, current = [], [], None
    for line in text.splitlines(keepends=True):
        words = line.split()
        head = words[0] if words else ""
        if head in _AUTO_WORDS or (head == "iface" and len(words) > 1):
            names = words[1:] if head in _AUTO_WORDS else words[1:2]
            renamed = []
            for w in names:
                nic = by_name(nics, w)
                renamed.append(nic.new_name if nic is not None else w)
                if head == "iface":
                    current = nic
            if renamed != names:
                new_words = [head, *renamed, *(words[2:] if head == "iface" else [])]
                what.append(f"{' '.join(words[:2])} → {' '.join(new_words[:2])}")
                line = line[:_indent(line)] + " ".join(new_words) + "\n"
        elif (head == "hwaddress" and current is not None and not current.keep_mac
              and norm_mac(words[-1]) == current.old_mac):
            what.append(f"removed hwaddress {words[-1]} (Hyper-V assigns the new adapter's MAC)")
            continue
        out.append(line)
    new_text = "".join(out)
    return (new_text, what) if new_text != text else None


# -- systemd-networkd .network / .link ---------------------------------------------------------------------
def rewrite_networkd(text: str, nics: list[Nic]) -> tuple[str, list[str]] | None:
    """``[Match] MACAddress=OLD`` → ``Name=NEW`` when the MAC is not kept; ``Name=OLD`` → ``Name=NEW``."""
    section, out, what = "", [], []
    macs = [m.group(1).strip() for m in re.finditer(r"(?mi)^\s*MACAddress\s*=\s*(.+)$", text)]
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip()
        key, _, value = s.partition("=")
        key, value = key.strip(), value.strip()
        if section == "Match" and key == "MACAddress":
            nic = by_mac(nics, value)
            if nic is not None and not nic.keep_mac:
                what.append(f"[Match] MACAddress={value} → Name={nic.new_name}")
                line = f"Name={nic.new_name}\n"
        elif section == "Match" and key == "Name":
            nic = by_name(nics, value)
            kept = any((n := by_mac(nics, m)) is not None and n.keep_mac for m in macs)
            if nic is not None and value != nic.new_name and not kept:
                what.append(f"[Match] Name={value} → Name={nic.new_name}")
                line = f"Name={nic.new_name}\n"
        out.append(line)
    new_text = "".join(out)
    return (new_text, what) if new_text != text else None


# -- udev persistent-net rules --------------------------------------------------------------------------------
def rewrite_udev_rules(text: str, nics: list[Nic]) -> tuple[str, list[str]] | None:
    """Rules that name an adapter by the old MAC (``ATTR{address}=="..."``, 70-persistent-net.rules) are removed
    when the MAC is not kept: they would hold ``eth0`` for a MAC that is gone and push the new one to eth1."""
    out, what = [], []
    for line in text.splitlines(keepends=True):
        m = re.search(r'ATTRS?\{address\}=="([0-9A-Fa-f:]{17})"', line)
        nic = by_mac(nics, m.group(1)) if m and not line.lstrip().startswith("#") else None
        if nic is not None and not nic.keep_mac:
            what.append(f"removed the rule naming the adapter with MAC {m.group(1)}")
            continue
        out.append(line)
    new_text = "".join(out)
    return (new_text, what) if new_text != text else None


def name_for_mac(text: str, mac: str) -> str:
    """The interface name a configuration text gives the adapter with ``mac`` (ifcfg DEVICE, keyfile
    interface-name, netplan set-name/id), or ""; used to learn old names before rewriting."""
    if not norm_mac(mac) or norm_mac(mac) not in {norm_mac(x) for x in re.findall(r"(?:[0-9A-Fa-f]{2}[:-]){5}"
                                                                                   r"[0-9A-Fa-f]{2}", text)}:
        return ""
    for pattern in (r"(?m)^\s*DEVICE=[\"']?([\w.-]+)", r"(?m)^\s*interface-name\s*=\s*([\w.-]+)",
                    r"(?m)^\s*set-name:\s*[\"']?([\w.-]+)", r"NAME=\"([\w.-]+)\""):
        m = re.search(pattern, text)
        if m:
            return m.group(1)
    return ""
