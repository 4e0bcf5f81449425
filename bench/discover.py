"""Discovery benchmark: hvmigrate's bulk PropertyCollector discovery vs a naive pyVmomi walk.

Starts the govmomi simulator with ``--vms`` VMs (one cluster of ``--hosts`` hosts), then in the same run
times hvmigrate's ``VSphereSource.discover()`` and a naive walk that reads ``vm.name``, ``vm.config``,
``vm.runtime`` and ``vm.guest`` object by object, counting the SOAP requests each makes. Prints the wall
times (median of ``--repeat`` runs, alternating), the ratio and the request counts.

Targets (DESIGN.md §5): hvmigrate ≤ 20 SOAP requests for 2,000 VMs and ≥ 3× faster than the naive walk.

    .venv/bin/python -m bench.discover [--vms 2000] [--hosts 20] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyVmomi import vim  # noqa: E402

from tests.fixtures.vcsim import connect_si, start_vcsim  # noqa: E402
from wizard.sources.vsphere import VSphereSource  # noqa: E402


def run_hvmigrate(sim, fast_xml: bool = True) -> tuple[float, int, int]:
    start = time.perf_counter()
    src = VSphereSource(sim.host, sim.port, sim.user, sim.password, insecure=True)
    src.fast_xml = fast_xml
    inv = src.discover()
    src.close()
    return time.perf_counter() - start, src.soap_requests, len(inv.vms)


def run_naive(sim) -> tuple[float, int, int]:
    from pyVim.connect import Disconnect

    start = time.perf_counter()
    si = connect_si(sim)
    stub = si._stub
    count = {"n": 0}
    invoke = stub.InvokeMethod

    def counted(*args, **kwargs):
        count["n"] += 1
        return invoke(*args, **kwargs)

    stub.InvokeMethod = counted
    content = si.RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    facts = []
    for vm in view.view:
        facts.append((vm.name, vm.config, vm.runtime, vm.guest))
    view.Destroy()
    Disconnect(si)
    # login and service content requests happen before counting starts: add them (2) for a fair total
    return time.perf_counter() - start, count["n"] + 2, len(facts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vms", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reader", action="store_true",
                    help="also time hvmigrate's bulk retrieval with pyVmomi's own reply deserializer")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the lab-mode "insecure" warning is expected here

    t0 = time.perf_counter()
    sim = start_vcsim("-dc=1", "-host=0", "-cluster=1", f"-cluster-host={args.hosts}", f"-vm={args.vms}")
    setup = time.perf_counter() - t0
    try:
        run_hvmigrate(sim)  # warm-up (simulator caches, Go GC sizing, Python imports), not timed
        run_naive(sim)
        ours, naive, slow = [], [], []
        for i in range(args.repeat):  # alternate the order so drift on a shared machine hits both
            if i % 2:
                naive.append(run_naive(sim))
                ours.append(run_hvmigrate(sim))
            else:
                ours.append(run_hvmigrate(sim))
                naive.append(run_naive(sim))
            if args.reader:
                slow.append(run_hvmigrate(sim, fast_xml=False))
    finally:
        sim.stop()
    ours_t = statistics.median(r[0] for r in ours)
    naive_t = statistics.median(r[0] for r in naive)
    result = {
        "vms": ours[0][2], "naive_vms": naive[0][2], "simulator_start_s": round(setup, 2),
        "hvmigrate_s": round(ours_t, 3), "naive_s": round(naive_t, 3), "speedup": round(naive_t / ours_t, 2),
        "hvmigrate_soap_requests": ours[0][1], "naive_soap_requests": naive[0][1], "repeat": args.repeat,
        "targets": {"requests_max": 20, "speedup_min": 3.0},
    }
    if slow:
        result["hvmigrate_pyvmomi_reader_s"] = round(statistics.median(r[0] for r in slow), 3)
    result["requests_ok"] = result["hvmigrate_soap_requests"] <= 20
    result["speedup_ok"] = result["speedup"] >= 3.0
    result["ok"] = result["requests_ok"] and result["speedup_ok"]
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"VMs discovered:        {result['vms']} (naive walk: {result['naive_vms']})")
        print(f"hvmigrate discovery:   {ours_t:8.3f} s  {result['hvmigrate_soap_requests']:6d} SOAP requests")
        if slow:
            print(f"  same, pyVmomi reader:{result['hvmigrate_pyvmomi_reader_s']:8.3f} s")
        print(f"naive pyVmomi walk:    {naive_t:8.3f} s  {result['naive_soap_requests']:6d} SOAP requests")
        print(f"speed-up:              {result['speedup']:.2f}x (target >= 3x: "
              f"{'met' if result['speedup_ok'] else 'NOT met'}); "
              f"requests (target <= 20: {'met' if result['requests_ok'] else 'NOT met'})")
        print(f"median of {args.repeat} alternating runs after one warm-up each; simulator start {setup:.1f} s")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
