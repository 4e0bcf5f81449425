"""kill -9 + ``--resume``: a migration killed at random moments, resumed each time, ends identical to its source.

Makes a folder of small VMware Workstation VMs (monolithicSparse VMDKs made by qemu-img, part random data),
plans them with ``hvmigrate plan``, times one uninterrupted ``hvmigrate migrate`` into a bundle folder, then
runs rounds until at least ``--kills`` kill + resume cycles happened. Each round migrates the plan into a
fresh bundle folder with ``python -m wizard migrate`` (a real process, ``--parallel 2``) and kills it with
SIGKILL at a random moment; the resumes (``--resume``) are killed the same way, with probability
``--resume-kill``, so kills land during resumes too. After a kill the journal's tail is torn with probability
``--torn`` the way a crash mid-write leaves it: the last record cut short, or a fragment of a record appended
after it. A round ends when a run exits; then it checks:

- the run exited 0 and every VM is done, with no traceback on its output;
- every disk of every bundle equals its source VMDK (``qemu-img compare``), and the bundle's own deep check
  (each disk's SHA-256 against the manifest, what Create-VM.ps1 checks) finds nothing;
- no ``.partial`` file or folder (and no ``.old`` folder) is left in the bundle folder.

Prints the number of kill + resume cycles (how many killed a resume, how many tore the journal), the rounds,
and every failure; exits 1 on any failure. Scratch lives in a temporary folder (``--keep`` keeps it).

    .venv/bin/python bench/kill_resume.py [--kills 50] [--seed 1] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.vmfolders import make_vm  # noqa: E402
from wizard.core.plan import Plan  # noqa: E402
from wizard.targets.bundle import DISK_DIR, BundleTarget, bundle_folder_name, check_bundle  # noqa: E402

VMS = (("alpha", [24, 8]), ("bravo", [40]), ("charlie", [16, 16, 8]))


@dataclass
class Tally:
    kills: int = 0  # kill + resume cycles: a process killed while it ran, then resumed
    kills_in_resume: int = 0
    torn: int = 0
    rounds: int = 0
    # where the kills landed, by what the journal held at that moment
    landed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PHASES, 0))
    failures: list[str] = field(default_factory=list)


PHASES = ("before the first record", "converting (no disk done yet)", "between disks",
          "after a commit, before its vm_done", "after a VM was done")


def phase(journal: Path) -> str:
    """Where a run stood when it was killed, from the events its journal holds for its last VM to move."""
    try:
        events = [line.split(b'"event":"', 1)[1].split(b'"', 1)[0].decode()
                  for line in journal.read_bytes().splitlines() if b'"event":"' in line]
    except OSError:
        events = []
    if not events:
        return PHASES[0]
    last = [e for e in events if e != "disk_progress"][-1]
    if last == "vm_commit":
        return PHASES[3]
    if last == "vm_done":
        return PHASES[4]
    if last == "disk_done":
        return PHASES[2]
    return PHASES[1]


def hvm(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HVMIGRATE_CONFIG_DIR": str(cwd / "config")}
    return subprocess.Popen([sys.executable, "-m", "wizard", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def tear(journal: Path, rng: random.Random) -> bool:
    """Tear the journal's tail as a crash mid-write does; False when there is nothing to tear."""
    try:
        data = journal.read_bytes()
    except OSError:
        return False
    if rng.random() < 0.5:
        body = data[:-1] if data.endswith(b"\n") else data
        start = body.rfind(b"\n") + 1
        if len(body) - start < 2:
            return False
        cut = rng.randrange(start + 1, len(body))  # keep part of the last record, never its newline
        with open(journal, "r+b") as fh:
            fh.truncate(cut)
    else:
        fragment = rng.choice([b'{"event":"disk_do', b'{"event":"vm_done","vm":"', b'{"ev', b'{"event":"disk_progress",'
                               b'"vm":"x","disk":0,"offset":10'])
        if not data.endswith(b"\n") and data:
            return False  # already torn by the kill itself
        with open(journal, "ab") as fh:
            fh.write(fragment)
    return True


def run_round(base: Path, plan: Plan, number: int, rng: random.Random, reference: float, args: argparse.Namespace,
              tally: Tally) -> None:
    bundle = base / f"round{number:03d}"
    journal = bundle / "journal.jsonl"  # beside the bundle folders, as the default journal is
    common = ["migrate", str(base / "plan.json"), "--target", f"bundle:{bundle}", "--journal", str(journal),
              "--parallel", "2"]
    resume = False
    for attempt in range(40):
        proc = hvm(*common, *(["--resume"] if resume else []), cwd=base)
        kill = attempt == 0 or rng.random() < args.resume_kill
        if kill:
            # the first run is killed anywhere from its start to its end; a resume has less to do (and the
            # interpreter's start takes a good part of it), so it is killed sooner
            span = reference if attempt == 0 else reference * 0.8
            deadline = time.monotonic() + rng.uniform(0.05, 1.05) * span
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)  # polling a child process; there is nothing to wait on for "a random moment"
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                tally.landed[phase(journal)] += 1
                tally.kills += 1
                tally.kills_in_resume += resume
                if rng.random() < args.torn and tear(journal, rng):
                    tally.torn += 1
                resume = True
                continue
        out = proc.communicate()[0].decode("utf-8", "replace")
        if b"Traceback" in out.encode() or proc.returncode != 0:
            tally.failures.append(f"round {number}: exit {proc.returncode}:\n{out[-2000:]}")
            return
        break
    else:
        tally.failures.append(f"round {number}: never finished")
        return
    check(bundle, plan, number, tally)


def check(bundle: Path, plan: Plan, number: int, tally: Tally) -> None:
    for item in plan.items:
        folder = bundle / bundle_folder_name(item)
        problems = check_bundle(folder)
        if problems:
            tally.failures.append(f"round {number}: {folder}: {problems}")
        for disk in item.target.disks:
            out = folder / DISK_DIR / BundleTarget.disk_file_name(disk)
            src = Path(item.vm.disks[disk.source_index].path)
            done = subprocess.run(["qemu-img", "compare", "-f", "vmdk", "-F", "vhdx", str(src), str(out)],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                tally.failures.append(f"round {number}: {out} differs from {src}: {done.stdout}{done.stderr}")
    left = [p for p in bundle.rglob("*") if p.name.endswith((".partial", ".old"))]
    if left:
        tally.failures.append(f"round {number}: left behind: {[str(p) for p in left]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50, help="kill + resume cycles to reach (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--resume-kill", type=float, default=0.5, help="chance that a resume is killed too")
    parser.add_argument("--torn", type=float, default=0.4, help="chance that a kill also tears the journal's tail")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = Path(tempfile.mkdtemp(prefix="kill-resume-"))
    tally = Tally()
    try:
        for i, (name, sizes) in enumerate(VMS):
            make_vm(base / "vms", name, sizes, seed=100 + i, data_fraction=0.6)
        planned = hvm("plan", str(base / "vms"), "-o", str(base / "plan.json"), cwd=base)
        out = planned.communicate()[0]
        if planned.returncode != 0:
            print(out.decode(errors="replace"))
            return 1
        plan = Plan.load(base / "plan.json")
        started = time.monotonic()
        ref = hvm("migrate", str(base / "plan.json"), "--target", f"bundle:{base / 'reference'}", "--parallel", "2",
                  cwd=base)
        out = ref.communicate()[0]
        reference = time.monotonic() - started
        if ref.returncode != 0:
            print(out.decode(errors="replace"))
            return 1
        print(f"uninterrupted run: {reference:.2f} s for {len(plan.items)} VMs, "
              f"{sum(len(s) for _n, s in VMS)} disks")
        while tally.kills < args.kills and len(tally.failures) < 5:
            tally.rounds += 1
            run_round(base, plan, tally.rounds, rng, reference, args, tally)
        print(json.dumps({"kill_resume_cycles": tally.kills, "kills_during_resume": tally.kills_in_resume,
                          "torn_journal_tails": tally.torn, "kills_landed": tally.landed, "rounds": tally.rounds,
                          "rounds_identical_to_source": tally.rounds - len({f.split(':')[0] for f in tally.failures}),
                          "failures": len(tally.failures)}, indent=2))
        for failure in tally.failures:
            print("FAILED", failure)
        return 1 if tally.failures else 0
    finally:
        if args.keep:
            print(f"scratch kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
