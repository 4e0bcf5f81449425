"""A pretend Hyper-V host that answers hvmigrate's PowerShell (as received by the WinRM stand-in) with
recorded outputs, keeps a little state (VMs with their Notes, switches, shares) and fails on request.

It decodes exactly what a real host would receive: the fixed bootstrap (``-EncodedCommand``) and, on
stdin, the base64 script text and base64 JSON settings; it dispatches on the script's
``# hvmigrate-script:`` marker. Injected failures (:meth:`FakeHyperVHost.fail`):

- ``http500``: the Send that completes stdin gets an HTTP 500 SOAP fault (WinRM service error);
- ``hang``: no answer to Receive (the client's read timeout fires);
- ``cmdlet_error``: a PowerShell error the script could not catch — CLIXML on stderr, exit 1, no result;
  for Create-VM the VM is left half-made, as a host crash midway would leave it;
- ``failed_midway``: Create-VM reports failure in its result at the "create VM" stage, VM left behind;
- ``start_failed``: Start-VM reports that the VM could not start (the VM stays Off).

Each VM has a ``state`` (``Off`` once created, ``Running`` after Start-VM); ``on_start`` (if set) is called
with the VM's name when Start-VM runs, before it answers (tests use it to see what happened meanwhile).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.winrm_standin.server import Reply
from wizard.targets import powershell

BOOTSTRAP = powershell.encode_command(powershell.load_script("bootstrap"))

# Recorded from a Windows Server 2019 Datacenter Hyper-V host (names changed).
RECORDED_INVENTORY = {
    "ok": True, "computer_name": "HV01", "os_caption": "Microsoft Windows Server 2019 Datacenter",
    "os_version": "10.0.17763", "os_build": "17763",
    "supported_versions": [{"version": v, "name": f"Microsoft Windows Server ({v})", "default": v == "9.0"}
                           for v in ("5.0", "6.2", "7.0", "7.1", "8.0", "8.1", "8.2", "8.3", "9.0")],
    "vm_path": {"path": "D:\\Hyper-V", "free_bytes": 812_345_678_848, "total_bytes": 1_999_843_831_808},
    "vhd_path": {"path": "D:\\Hyper-V\\Virtual Hard Disks", "free_bytes": 812_345_678_848,
                 "total_bytes": 1_999_843_831_808},
    "logical_processors": 32, "memory_bytes": 274_877_906_944,
}
CLIXML_ERROR = (
    '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
    '<S S="Error">Add-VMHardDiskDrive : Failed to add device \'Virtual Hard Disk\'._x000D__x000A_</S>'
    '<S S="Error">The process cannot access the file because it is being used by another process. '
    "(0x80070020)._x000D__x000A_</S>"
    '<S S="Error">At line:241 char:18_x000D__x000A_</S>'
    '<S S="Error">+         $drive = Add-VMHardDiskDrive -VM $vm ..._x000D__x000A_</S>'
    '<S S="Error">    + CategoryInfo          : ResourceBusy: (:) [Add-VMHardDiskDrive], VirtualizationException'
    "_x000D__x000A_</S></Objs>"
)


@dataclass
class Received:
    script: str
    data: Any
    command_line: str
    stdin: bytes


@dataclass
class FakeHyperVHost:
    switches: dict[str, str] = field(default_factory=lambda: {"LAN": "External", "Lab Internal": "Internal"})
    shares: list[dict[str, str]] = field(default_factory=lambda: [{"name": "VMs", "path": "D:\\Hyper-V"}])
    vms: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {"id", "notes"}
    share_root: Path | None = None  # local folder that backs \\host\VMs (Samba), to check disk files
    received: list[Received] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    on_start: Callable[[str], None] | None = None

    def fail(self, script_marker: str, kind: str) -> None:
        self.failures[script_marker] = kind

    def scripts_run(self) -> list[str]:
        return [r.script for r in self.received]

    # -- the responder the WinRM stand-in calls ----------------------------------------------------------
    def __call__(self, command_line: str, stdin: bytes) -> Reply:
        parts = command_line.split()
        if parts[:1] != ["powershell.exe"] or parts[-1] != BOOTSTRAP:
            return Reply(stderr=b"'" + command_line[:40].encode() + b"' is not recognized", exit_code=1)
        text, data = powershell.decode_stdin(stdin)
        marker = powershell.script_marker(text)
        self.received.append(Received(marker, data, command_line, stdin))
        kind = self.failures.pop(marker, "")
        if kind == "http500":
            return Reply(http_status=500, fault="The WS-Management service cannot process the request. "
                                                "The service is shutting down.")
        if kind == "hang":
            return Reply(hang=True)
        handler = getattr(self, "_" + marker.replace("-", "_").lower(), None)
        if handler is None:
            return Reply(stderr=b"unknown script", exit_code=1)
        return handler(data, kind)

    @staticmethod
    def _result(doc: dict[str, Any], exit_code: int | None = None, stderr: str = "") -> Reply:
        line = powershell.RESULT_PREFIX + base64.b64encode(json.dumps(doc).encode()).decode()
        code = exit_code if exit_code is not None else (0 if doc.get("ok") else 1)
        return Reply(stdout=("Working...\r\n" + line + "\r\n").encode(), stderr=stderr.encode(), exit_code=code)

    def _get_hostinventory(self, data: Any, kind: str) -> Reply:
        if kind == "cmdlet_error":
            return Reply(stderr=CLIXML_ERROR.encode(), exit_code=1)
        doc = dict(RECORDED_INVENTORY)
        doc["switches"] = [{"name": n, "type": t, "id": str(uuid.uuid5(uuid.NAMESPACE_DNS, n))}
                           for n, t in self.switches.items()]
        doc["vm_names"] = list(self.vms)
        doc["vm_tags"] = [{"name": n, "tag": _tag_of(v["notes"]), "incomplete": "[hvmigrate: incomplete]" in v["notes"]}
                          for n, v in self.vms.items()]
        doc["shares"] = self.shares
        return self._result(doc)

    def _create_vm(self, data: Any, kind: str) -> Reply:
        s = data["create"]
        name = s["vm"]["name"]
        problems = [f'Virtual switch not found on this host: "{n["switch"]}"'
                    for n in s["nics"] if n["switch"] and n["switch"] not in self.switches]
        if self.share_root is not None:
            for d in s["disks"]:
                local = self.share_root / d["path"].split("\\", 2)[-1].replace("\\", "/")
                if not local.is_file():
                    problems.append("Disk file not found: " + d["path"])
                elif d["size_bytes"] and local.stat().st_size != d["size_bytes"]:
                    problems.append("Disk file " + d["path"] + " has the wrong size")
        existing = self.vms.get(name)
        if existing and s["tag"] not in existing["notes"]:
            problems.append(f'A VM named "{name}" already exists on this host and was not created by this migration.')
        if problems:
            return self._result({"ok": False, "status": "precondition_failed", "stage": "check preconditions",
                                 "problems": problems, "error": " ".join(problems), "rolled_back": False})
        if s.get("mode") == "check":
            complete = bool(existing) and "[hvmigrate: incomplete]" not in existing["notes"]
            return self._result({"ok": True, "status": "checked", "exists": bool(existing), "complete": complete})
        if existing and "[hvmigrate: incomplete]" not in existing["notes"]:
            return self._result({"ok": True, "status": "already_exists", "vm_id": existing["id"], "name": name})
        vm_id = str(uuid.uuid4())
        if kind in ("cmdlet_error", "failed_midway"):
            self.vms[name] = {"id": vm_id, "notes": s["vm"]["notes"] + "\r\n[hvmigrate: incomplete]"}
            if kind == "cmdlet_error":
                return Reply(stdout=b"Created VM\r\n", stderr=CLIXML_ERROR.encode(), exit_code=1)
            return self._result({"ok": False, "status": "failed", "stage": "create VM", "rolled_back": False,
                                 "error": "Failed to add device 'Virtual Hard Disk'.", "steps": ["Created VM"]})
        self.vms[name] = {"id": vm_id, "notes": s["vm"]["notes"], "state": "Off"}
        return self._result({"ok": True, "status": "created", "vm_id": vm_id, "name": name,
                             "steps": [f'Created VM "{name}"'], "warnings": []})

    def _remove_vm(self, data: Any, kind: str) -> Reply:
        removed, kept = [], []
        vm = self.vms.get(data["name"])
        if vm is not None:
            if data["tag"] in vm["notes"]:
                del self.vms[data["name"]]
                removed.append("VM " + vm["id"])
            else:
                kept.append("VM " + vm["id"])
        return self._result({"ok": True, "removed": removed, "kept": kept})

    def _start_vm(self, data: Any, kind: str) -> Reply:
        vm = self.vms.get(data["name"])
        if vm is None or data["tag"] not in vm["notes"]:
            return self._result({"ok": False, "error": f'Start-VM: no VM created by this migration is named '
                                                       f'"{data["name"]}".'})
        if "[hvmigrate: incomplete]" in vm["notes"]:
            return self._result({"ok": False, "error": "Start-VM: the VM is marked incomplete; it is not started."})
        if self.on_start is not None:
            self.on_start(data["name"])
        if kind == "start_failed":
            return self._result({"ok": False, "error": f"'{data['name']}' failed to start. Not enough memory in the "
                                                       "system to start the virtual machine."})
        status = "already_running" if vm.get("state") == "Running" else "started"
        vm["state"] = "Running"
        return self._result({"ok": True, "status": status, "state": "Running", "vm_id": vm["id"]})

    def _invoke_guestfixups(self, data: Any, kind: str) -> Reply:
        actions = []
        if data["remove_vmware_tools"]:
            actions.append({"ok": True, "text": "Uninstalled VMware Tools (msiexec exit code 3010)."})
        for ip in data["static_ips"]:
            actions.append({"ok": True, "text": f"Set {ip['address']}/{ip['prefix_length']} on Ethernet"})
        if data["bring_disks_online"]:
            actions.append({"ok": True, "text": "Brought disk 1 online"})
        return self._result({"ok": True, "actions": actions})


def _tag_of(notes: str) -> str:
    start = notes.find("[hvmigrate-id:")
    return notes[start:notes.find("]", start) + 1] if start >= 0 else ""
