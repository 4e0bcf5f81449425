"""Boot a disk under QEMU the way the plan's Hyper-V generation would start it, and wait for the marker.

Generation 1: SeaBIOS, i440FX, the disk on IDE. Generation 2: OVMF (a fresh NVRAM: the firmware finds the
removable-media loader, as Hyper-V's does), Q35, the disk on a virtio-scsi controller. The disk is opened with
``snapshot=on``: what the guest writes never reaches the file. The serial console is read as a stream; the
wait ends on the marker, on QEMU's exit (the guest powered off, or a failed boot ended it: the guests are
booted with ``panic=-1`` and ``-no-reboot``) or on the timeout, after which QEMU is killed.

TCG by default: on nested machines KVM is not dependable (here ``-cpu host`` aborts on an MSR QEMU cannot set,
and fixed models hang the kernel without a word), and a hang costs the whole timeout. With
``HVMIGRATE_BOOT_ACCEL=kvm`` KVM is tried first with a fixed CPU model (``HVMIGRATE_BOOT_CPU``, default
``KVM_CPU``); a KVM start that QEMU itself refuses or aborts is retried under TCG.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.guests.specs import MARKER

QEMU = "qemu-system-x86_64"
OVMF_CODE = ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_CODE.fd")
OVMF_VARS = ("/usr/share/OVMF/OVMF_VARS_4M.fd", "/usr/share/OVMF/OVMF_VARS.fd")
# The modules an initramfs needs to reach the disk where QEMU puts it (Hyper-V reaches it through hv_storvsc
# in both generations; QEMU has no VMBus): a failed boot names those the prepared initramfs lacks.
CONTROLLER_MODULES = {1: ("ata_piix", "sd_mod", "ext4"), 2: ("virtio_pci", "virtio_scsi", "sd_mod", "ext4")}
KVM_CPU = "Nehalem"  # a fixed model every x86-64 KVM host offers
MEMORY_MB = 768
# Console lines that say why a guest did not get to its root file system.
ROOT_NOT_FOUND = ("Gave up waiting for root file system device", "does not exist.  Dropping to a shell",
                  "Could not boot", "Warning: /dev/disk/by-uuid", "dracut Warning: Could not boot",
                  "Kernel panic", "VFS: Unable to mount root fs")


@dataclass
class BootResult:
    reached_marker: bool
    accel: str
    seconds: float
    exit_code: int | None  # None: killed at the timeout
    console: str

    def why_not(self) -> str:
        """The console lines that explain a failed boot (or its last lines)."""
        lines = self.console.splitlines()
        hits = [ln for ln in lines if any(k in ln for k in ROOT_NOT_FOUND)]
        return "\n".join(hits or lines[-25:])


def _first(paths: tuple[str, ...]) -> str:
    for p in paths:
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"none of {paths} exists (Debian's ovmf package installs them)")


def accelerators() -> list[str]:
    """The accelerators to try, in order (see the module's docstring)."""
    wanted = os.environ.get("HVMIGRATE_BOOT_ACCEL", "tcg").lower()
    if wanted == "kvm" and os.access("/dev/kvm", os.R_OK | os.W_OK):
        return ["kvm", "tcg"]
    return ["tcg"]


def qemu_command(disk: Path, fmt: str, generation: int, accel: str, vars_copy: Path | None) -> list[str]:
    cmd = [QEMU, "-nodefaults", "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
           "-m", str(MEMORY_MB)]
    cpu = os.environ.get("HVMIGRATE_BOOT_CPU", KVM_CPU)
    cmd += ["-accel", "kvm", "-cpu", cpu] if accel == "kvm" else ["-accel", "tcg"]
    drive = f"file={disk},format={fmt},snapshot=on,cache=unsafe"
    if generation == 1:
        cmd += ["-machine", "pc", "-drive", f"{drive},if=ide,index=0,media=disk"]
    else:
        assert vars_copy is not None
        cmd += ["-machine", "q35",
                "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={_first(OVMF_CODE)}",
                "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}",
                "-device", "virtio-scsi-pci,id=scsi0",
                "-drive", f"{drive},if=none,id=disk0",
                "-device", "scsi-hd,drive=disk0,bus=scsi0.0,bootindex=0"]
    return cmd


def _run_once(cmd: list[str], timeout: float, console_log: Path) -> tuple[bool, int | None, str]:
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    seen = threading.Event()
    ended = threading.Event()
    chunks: list[bytes] = []

    def reader() -> None:
        tail = b""
        with console_log.open("ab") as log:
            while chunk := os.read(proc.stdout.fileno(), 65536):
                chunks.append(chunk)
                log.write(chunk)
                log.flush()
                if MARKER.encode() in tail + chunk:
                    seen.set()
                tail = chunk[-len(MARKER):]
        ended.set()
        seen.set()  # wakes the waiter; ``reached`` below tells which

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    seen.wait(timeout)
    reached = MARKER.encode() in b"".join(chunks)
    code: int | None
    try:  # after the marker the guest powers itself off at once
        code = proc.wait(timeout=30 if reached else (0.1 if not ended.is_set() else 30))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    thread.join(timeout=10)
    return reached, code, b"".join(chunks).decode("utf-8", "replace")


def boot(disk: Path, generation: int, *, fmt: str = "vhdx", timeout: float = 420.0,
         console_log: Path | None = None) -> BootResult:
    """Boot ``disk`` as a Generation ``generation`` VM until the marker shows (or QEMU ends, or ``timeout``
    seconds pass). The console goes to ``console_log`` (appended) as it arrives."""
    if shutil.which(QEMU) is None:
        raise FileNotFoundError(f"{QEMU} is not installed (make test installs qemu-system-x86)")
    with tempfile.TemporaryDirectory(prefix="hvmigrate-boot-") as tmp:
        vars_copy = None
        if generation == 2:
            vars_copy = Path(tmp) / "OVMF_VARS.fd"
            shutil.copyfile(_first(OVMF_VARS), vars_copy)
        log = console_log or Path(tmp) / "console.log"
        for accel in accelerators():
            started = time.monotonic()
            reached, code, console = _run_once(qemu_command(disk, fmt, generation, accel, vars_copy), timeout, log)
            result = BootResult(reached, accel, time.monotonic() - started, code, console)
            # QEMU refusing or aborting under KVM (an error exit, not a guest that powered off) → TCG
            if reached or accel == "tcg" or code in (0, None):
                return result
            if vars_copy is not None:
                shutil.copyfile(_first(OVMF_VARS), vars_copy)
        return result
