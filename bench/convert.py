"""Disk conversion benchmark: hvmigrate vs ``qemu-img convert -O vhdx`` on the same VMDKs (``make bench``).

Builds a raw disk (default 4 GiB) of 1 MiB runs — ~35% random, ~10% compressible text, the rest zeros,
scattered — makes monolithicSparse, streamOptimized and monolithicFlat VMDKs of it with qemu-img, then
times ``hvmigrate convert --no-verify`` and ``qemu-img convert -O vhdx -o subformat=dynamic`` alternately
(median of ``--runs``), with hvmigrate's peak RSS. Also times the default, verified conversion (with its
ratios to the unverified one and to qemu-img) and a
``cp --sparse=always`` of the raw image for reference. hvmigrate fsyncs its output (it must be durable
before it is renamed) and qemu-img does not, so the last column also times qemu-img followed by
``sync --data`` of its output. Scratch files live in a temporary folder that is deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]
SUBFORMATS = ("monolithicSparse", "streamOptimized", "monolithicFlat")


def parse_size(text: str) -> int:
    sys.path.insert(0, str(ROOT))
    from wizard.core.units import parse_size as _parse

    return _parse(text)


def make_raw(path: Path, size: int, seed: int = 42) -> int:
    """Write the test disk; returns the bytes of data written."""
    rng = random.Random(seed)
    words = [b"lorem", b"ipsum", b"dolor", b"sit", b"amet", b"kernel", b"driver", b"registry", b"hyper-v", b"disk"]
    text = b" ".join(rng.choice(words) for _ in range(300_000))[:MiB]
    written = 0
    with open(path, "wb") as fh:
        fh.truncate(size)
        for i in range(size // MiB):
            r = rng.random()
            if r < 0.35:
                data = os.urandom(MiB)
            elif r < 0.45:
                data = (b"%08d " % i) + text[9:]
            else:
                continue
            fh.seek(i * MiB)
            fh.write(data)
            written += MiB
    return written


def timed(cmd: list[str]) -> tuple[float, int, float]:
    """Run ``cmd``; returns (wall seconds, peak RSS in bytes, CPU seconds user+system) of that child."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def rm(path: Path) -> None:
    for p in (path, Path(str(path) + ".partial")):
        if p.exists():
            p.unlink()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="4G", help="virtual disk size (default 4G; e.g. 256M for a quick run)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool (median reported)")
    ap.add_argument("--subformats", default=",".join(SUBFORMATS))
    ap.add_argument("--tmp", default=None, help="scratch parent folder (default: system temp)")
    args = ap.parse_args()
    size = parse_size(args.size)
    qemu = shutil.which("qemu-img")
    if not qemu:
        raise SystemExit("qemu-img is needed (Debian package qemu-utils)")
    hvm = [sys.executable, "-m", "wizard", "convert"]
    scratch = Path(tempfile.mkdtemp(prefix="hvm-bench-", dir=args.tmp))
    qemu_version = subprocess.check_output([qemu, "--version"], text=True).splitlines()[0]
    env_note = f"{os.cpu_count()} CPUs, python {sys.version.split()[0]}, {qemu_version}"
    try:
        raw = scratch / "disk.raw"
        data = make_raw(raw, size)
        print(f"# disk: {size / MiB:.0f} MiB virtual, {data / MiB:.0f} MiB data ({100 * data / size:.0f}%); {env_note}")
        out = scratch / "out.vhdx"
        cp_times = []
        for _ in range(args.runs):
            rm(out)
            cp_times.append(timed(["cp", "--sparse=always", str(raw), str(out)])[0])
        os.sync()  # let the scratch image settle on disk before timing
        rm(out)
        cp_median = statistics.median(cp_times)
        rows = []
        for sub in args.subformats.split(","):
            src = scratch / f"disk-{sub}.vmdk"
            subprocess.run([qemu, "convert", "-f", "raw", "-O", "vmdk", "-o", f"subformat={sub}", str(raw), str(src)],
                           check=True)
            q_times, h_times, h_rss, v_times, q_cpu, h_cpu, q_durable = [], [], [], [], [], [], []
            for i in range(args.runs):
                order = ("q", "h", "v") if i % 2 == 0 else ("v", "h", "q")
                for who in order:
                    rm(out)
                    if who == "q":
                        wall, _rss, cpu = timed([qemu, "convert", "-O", "vhdx", "-o", "subformat=dynamic", str(src),
                                                 str(out)])
                        q_times.append(wall)
                        q_cpu.append(cpu)
                        # hvmigrate fsyncs its output before renaming it; qemu-img does not: time that too
                        q_durable.append(wall + timed(["sync", "--data", str(out)])[0])
                    elif who == "h":
                        wall, rss, cpu = timed([*hvm, "--no-verify", str(src), str(out)])
                        h_times.append(wall)
                        h_rss.append(rss)
                        h_cpu.append(cpu)
                    else:  # the default: verified (source read once, output read back while written)
                        v_times.append(timed([*hvm, "--verify", str(src), str(out)])[0])
            rm(out)
            q, h, v = statistics.median(q_times), statistics.median(h_times), statistics.median(v_times)
            rows.append((sub, q, h, q / h, max(h_rss), v, statistics.median(q_cpu),
                         statistics.median(h_cpu), statistics.median(q_durable)))
            src.unlink()
            for extent in scratch.glob("disk-*"):
                extent.unlink()
        print()
        print("| subformat | qemu-img s | hvmigrate s | ratio qemu/hvmigrate | hvmigrate peak RSS MiB | "
              "verified s | ratio verified/unverified | ratio verified/qemu-img | CPU s qemu-img / hvmigrate | "
              "qemu-img + fsync s (ratio) |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for sub, q, h, ratio, rss, v, qc, hc, qd in rows:
            print(f"| {sub} | {q:.2f} | {h:.2f} | {ratio:.2f} | {rss / MiB:.0f} | {v:.2f} | {v / h:.2f} | {v / q:.2f} "
                  f"| {qc:.2f} / {hc:.2f} | {qd:.2f} ({qd / h:.2f}) |")
        print(f"| cp --sparse=always raw (reference) | | {cp_median:.2f} | | | | | | | |")
        print(f"\nmedians of {args.runs} alternating runs; 'hvmigrate s' with --no-verify, 'verified s' with the "
              "default verify (source read once, output read back while it is written)")
        ok = all(r[3] >= 1.0 and r[5] / r[2] <= 1.25 and r[5] <= r[1] for r in rows)
        print("targets (qemu/hvmigrate >= 1, verified/unverified <= 1.25, verified <= qemu-img): "
              + ("met" if ok else "NOT met"))
        return 0 if ok else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
