"""One libguestfs appliance for one guest: ``guestfish --listen`` and a ``--remote`` call per command.

Contract: :class:`Fish` starts the appliance over the given disk files (read-write, or read-only with
``readonly``) and :meth:`Fish.call` runs one guestfish command with its arguments as separate words (no
quoting, no shell on our side), returning its standard output. Every call has a timeout; a failed command
raises :class:`GuestCommandError` (the guest's or the tool's message in one line), a tool that is gone or hangs
raises :class:`~wizard.core.errors.GuestPrepError`. After writing, :meth:`Fish.shutdown` unmounts, syncs,
looks for write errors in the appliance's kernel log and stops the appliance, raising when any step fails:
only then are the changes known to be in the disk files. :meth:`Fish.close` (or leaving the ``with`` block)
unmounts, syncs and stops it best effort, for a reader or after an error; a server that does not stop is
terminated by its process id, and the appliance's QEMU is waited for (it holds the disk files).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from wizard.core.errors import GuestPrepError
from wizard.core.libguestfs import guestfish_path, guestfs_env
from wizard.core.progress import CancelToken

START_TIMEOUT = 600.0  # the appliance under TCG: 10-30 s, more the first time (supermin builds it)
CALL_TIMEOUT = 120.0
SHUTDOWN_TIMEOUT = 600.0  # writing out what the guest changed: seconds, unless the host disk is very slow
EXIT_GRACE = 60.0  # after ``exit``: the server stops its appliance (already shut down, or synced by autosync)
_PID = re.compile(rb"GUESTFISH_PID=(\d+)")
_FORMATS = {"vhdx": "vhdx", "vhd": "vpc", "raw": "raw", "img": "raw", "qcow2": "qcow2", "vmdk": "vmdk"}


class GuestCommandError(GuestPrepError):
    """One guestfish command failed inside the appliance (a missing file, a guest command's exit status)."""


def disk_format(path: str | os.PathLike[str]) -> str:
    """The QEMU format name of a disk file by its extension (``vhd`` is QEMU's ``vpc``)."""
    return _FORMATS.get(Path(path).suffix.lower().lstrip("."), "raw")


class Fish:
    """A running ``guestfish --listen`` over ``disks``; see the module docstring."""

    def __init__(self, disks: list[str | os.PathLike[str]], *, readonly: bool = False,
                 cancel: CancelToken | None = None, start_timeout: float = START_TIMEOUT) -> None:
        self.cancel = cancel
        self.pid = 0
        self._shut = False  # shutdown() stopped the appliance: close() only ends the server
        self._abandoned = False  # a command was given up while the server ran it: close() terminates it
        self._env = guestfs_env()
        self._tool = guestfish_path() or "guestfish"
        self._tmp = tempfile.TemporaryDirectory(prefix="hvmigrate-fish-")
        args = [self._tool, "--listen"] + (["--ro"] if readonly else [])
        for disk in disks:
            args += [f"--format={disk_format(disk)}", "-a", os.fspath(disk)]
        # the server it forks keeps the standard output and error it inherited: files, not pipes, so that the
        # starting process's end is not waited on as an end of file that never comes
        out_path, err_path = self.scratch / "listen.out", self.scratch / "listen.err"
        try:
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                started = subprocess.run(args, env=self._env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         timeout=60, check=False, cwd=self._tmp.name)
            found = _PID.search(out_path.read_bytes())
            problem = b"" if started.returncode == 0 and found else err_path.read_bytes()
        except (OSError, subprocess.TimeoutExpired) as exc:
            late = _PID.search(out_path.read_bytes()) if out_path.exists() else None
            if late:  # a server that did start is not left behind
                _stop(int(late.group(1)), _start_time(int(late.group(1))))
            self._tmp.cleanup()
            raise GuestPrepError(f"guestfish could not be started: {exc}",
                                 fix="Check the libguestfs installation (libguestfs-test-tool).") from None
        if not found or started.returncode != 0:
            self._tmp.cleanup()
            raise GuestPrepError("guestfish could not be started: " + _last_line(problem, started.returncode),
                                 fix="Check the libguestfs installation (libguestfs-test-tool).")
        self.pid = int(found.group(1))
        self._started = _start_time(self.pid)  # the pid is this server only while its start time matches
        self._err = err_path  # the server writes each command's error message here, not the client
        self._qemu, self._qemu_started = 0, ""
        try:
            self.call("run", timeout=start_timeout)
            # QEMU outlives a server that is terminated: close() waits for it too (it holds the disk files)
            self._qemu = self._appliance_pid()
            self._qemu_started = _start_time(self._qemu) if self._qemu else ""
        except BaseException:
            self.close()
            raise

    def _appliance_pid(self) -> int:
        try:
            return int(self.call("get-pid").strip())
        except (GuestPrepError, ValueError):
            return 0  # not told: close() then waits for the server only

    @property
    def scratch(self) -> Path:
        """A private local folder for files going in and out of the guest (removed on close)."""
        return Path(self._tmp.name)

    def call(self, *words: str, timeout: float = CALL_TIMEOUT) -> str:
        """Run one guestfish command (see the module docstring); returns its standard output."""
        if self.cancel is not None:
            self.cancel.check()
        if not self.pid:
            raise GuestPrepError("the libguestfs appliance is not running")
        before = self._err_size()
        try:
            # "-CMD": a failing command must not end the server (guestfish ends on the first error otherwise); the
            # error is then told only in the server's error output, which is read back below
            done = self._run([self._tool, f"--remote={self.pid}", "--", "-" + words[0], *words[1:]], timeout)
        except subprocess.TimeoutExpired:
            self._abandoned = True  # the server is still busy with it: close() does not queue behind it
            raise GuestPrepError(f"the libguestfs command {words[0]!r} did not finish within {int(timeout)} s",
                                 fix="If it happened while the guest was being changed, the VM fails and its "
                                     "partly changed disks are not delivered; run the migration again (it "
                                     "converts them afresh from the unchanged source).") from None
        except OSError as exc:
            raise GuestPrepError(f"guestfish could not be run: {exc.strerror or exc}") from None
        if done.returncode != 0 and not _alive(self.pid, self._started):
            raise GuestPrepError(f"the libguestfs appliance stopped unexpectedly during {words[0]!r}",
                                 fix="Run the migration again; if it repeats, run libguestfs-test-tool.")
        errors = [line for line in self._err_since(before).decode("utf-8", "replace").splitlines()
                  if ": error: " in line or line.startswith("error:")]
        if done.returncode != 0 or errors:
            raise GuestCommandError(f"{words[0]}: " + _last_line(("\n".join(errors)).encode() + done.stderr,
                                                                 done.returncode))
        return done.stdout.decode("utf-8", "replace")

    def _run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        """Run one client, ended early (and :class:`~wizard.core.errors.Cancelled` raised) when the migration is
        cancelled: a rebuild takes minutes, and Ctrl+C must not wait for it."""
        deadline = time.monotonic() + timeout
        with subprocess.Popen(args, env=self._env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=self._tmp.name) as proc:
            while True:
                left = deadline - time.monotonic()
                try:
                    out, err = proc.communicate(timeout=max(0.0, min(left, 0.5 if self.cancel else left)))
                    return subprocess.CompletedProcess(args, proc.returncode, out, err)
                except subprocess.TimeoutExpired:
                    cancelled = self.cancel is not None and self.cancel.cancelled
                    if not cancelled and time.monotonic() < deadline:
                        continue
                    proc.kill()
                    # not communicate(): the client handed its output descriptors to the server, which holds
                    # them until the command ends
                    proc.wait()
                    if cancelled:
                        self._abandoned = True
                        self.cancel.check()
                    raise

    def _err_size(self) -> int:
        try:
            return self._err.stat().st_size
        except OSError:
            return 0

    def _err_since(self, offset: int) -> bytes:
        try:
            with open(self._err, "rb") as fh:
                fh.seek(offset)
                return fh.read(64 * 1024)
        except OSError:
            return b""

    def lines(self, *words: str, timeout: float = CALL_TIMEOUT) -> list[str]:
        return [line for line in self.call(*words, timeout=timeout).splitlines() if line]

    def ok(self, *words: str) -> bool:
        """True when the command succeeds (a test such as ``is-file``/``exists`` answering ``true``)."""
        try:
            return self.call(*words).strip() == "true"
        except GuestCommandError:
            return False

    def read(self, path: str, limit: int = 4 * 1024 * 1024) -> bytes | None:
        """The guest file ``path`` (None when it is not a regular file, or larger than ``limit``)."""
        if not self.ok("is-file", path, "followsymlinks:true"):
            return None
        try:
            if int(self.call("filesize", path).strip() or "0") > limit:
                return None
        except (GuestCommandError, ValueError):
            return None
        local = self.scratch / f"in-{time.monotonic_ns()}"
        self.call("download", path, str(local))
        try:
            return local.read_bytes()
        finally:
            local.unlink(missing_ok=True)

    def write(self, path: str, data: bytes) -> None:
        """Replace the content of the guest file ``path`` (its owner and mode stay when it exists)."""
        local = self.scratch / f"out-{time.monotonic_ns()}"
        local.write_bytes(data)
        try:
            self.call("upload", str(local), path)
        finally:
            local.unlink(missing_ok=True)

    def shutdown(self, timeout: float = SHUTDOWN_TIMEOUT) -> None:
        """Unmount every file system, sync, check the appliance's kernel log for failed writes
        (:func:`io_errors`) and stop the appliance (libguestfs's ``shutdown``, which fails when QEMU did not exit
        cleanly), raising :class:`GuestCommandError` or :class:`~wizard.core.errors.GuestPrepError` when a step
        fails or does not finish in ``timeout``."""
        self.call("umount-all", timeout=timeout)
        self.call("sync", timeout=timeout)
        # the guest kernel's sync cannot fail: a write QEMU could not make reached it as an I/O error, in its log
        failed = io_errors(self.call("dmesg", timeout=timeout))
        if failed:
            raise GuestPrepError(f"the appliance's kernel reported a failed write: {failed[0]}")
        self.call("shutdown", timeout=timeout)
        self._shut = True

    def close(self) -> None:
        if self.pid:
            pid, self.pid = self.pid, 0
            # abandoned (a stalled or cancelled command the server still runs): nothing it writes will be kept, and
            # a polite request would only wait behind that command
            steps = [] if self._abandoned else [("exit",)] if self._shut else [("umount-all",), ("sync",), ("exit",)]
            for words in steps:
                try:
                    subprocess.run([self._tool, f"--remote={pid}", "--", *words], env=self._env,
                                   stdin=subprocess.DEVNULL, capture_output=True, timeout=120, check=False,
                                   cwd=self._tmp.name)
                except (OSError, subprocess.TimeoutExpired):
                    break
            _stop(pid, self._started, 0.0 if self._abandoned else EXIT_GRACE)
            if self._qemu:
                _stop(self._qemu, self._qemu_started, 10.0)
        self._tmp.cleanup()

    def __enter__(self) -> Fish:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def io_errors(kernel_log: str) -> list[str]:
    """The lines of a Linux kernel log telling of a failed block write or a file system error (not ext4's
    "error count since last fsck", which reports the guest's history)."""
    return [line.strip() for line in kernel_log.splitlines()
            if "I/O error" in line or "EXT4-fs error" in line or ("XFS (" in line and "Corruption" in line)]


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name ([0] = state, [19] = start time); [] when gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()
    except OSError:
        return []


def _start_time(pid: int) -> str:
    fields = _stat(pid)
    return fields[19] if len(fields) > 19 else ""


def _alive(pid: int, started: str) -> bool:
    """True while ``pid`` is still the process that started at ``started`` (process ids are reused: one that
    now belongs to another process is never signalled) and not a zombie."""
    fields = _stat(pid)
    return len(fields) > 19 and fields[19] == started and fields[0] != "Z"


def _stop(pid: int, started: str, grace: float = 20.0) -> None:
    """Wait ``grace`` seconds for the server we started to end; terminate it (by its id, only while the id is
    still that server's) when it does not."""
    if not started:
        return
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            if not _alive(pid, started):
                return
            try:
                os.kill(pid, sig)
            except OSError:
                return
        deadline = time.monotonic() + (grace if sig is None else 20)
        while time.monotonic() < deadline:
            if not _alive(pid, started):
                return
            time.sleep(0.1)


def _last_line(stderr: bytes, code: int) -> str:
    lines = [x.strip() for x in stderr.decode("utf-8", "replace").splitlines() if x.strip()]
    text = lines[-1] if lines else f"exit status {code}"
    return text.removeprefix("libguestfs: error: ")[:300]
