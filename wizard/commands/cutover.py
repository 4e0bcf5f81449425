"""``hvmigrate cutover PLAN --target T [--vm NAME]``: finish VMs planned with ``--source-policy sync``.

When ``hvmigrate migrate`` is still synchronising the plan into that target (in another shell or as a
service), this asks it to cut over (a request file beside its journal, picked up within seconds) and waits
until the journal says each VM is done or why it is not; the cut-over itself — shutdown through VMware
Tools, final delta sync, verification, creating the VM — runs in that process, and its output shows it.
When nothing is running (the migrate was stopped or killed), this command does the cut-over itself from the
journal: a delta sync while the VM still runs, then one cut-over attempt. A failed attempt ends the command
with its error (the source VM is powered back on when the cut-over had shut it down; the synchronised disks
and the journal stay, so the sync can be resumed or the cut-over run again).

Exit codes: 0 every asked-for VM cut over, 1 some, 2 none, 130 cancelled.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

from wizard.commands._exit import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_PARTIAL
from wizard.commands._targetargs import add_connection_args, target_credentials
from wizard.commands._term import pad, printable, state_word
from wizard.core.i18n import translate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cutover", help="cut over VMs that `hvmigrate migrate` keeps synchronised (sync policy)",
                       description="Shut the source VM down through VMware Tools, synchronise the last changes, "
                                   "verify and create the VM: the end of a migration with --source-policy sync.")
    p.add_argument("plan", help="the plan file the synchronising `hvmigrate migrate` runs")
    p.add_argument("--target", required=True, metavar="TARGET",
                   help="the same target as that migrate: bundle:FOLDER or hyperv://[USER@]HOST[:PORT]")
    add_connection_args(p, "SMB share on the host for the disks (as given to migrate)")
    p.add_argument("--vm", action="append", metavar="NAME", help="only this VM (repeatable; default: all sync VMs)")
    p.add_argument("--journal", metavar="FILE", help="the --journal given to that migrate, if one was")
    p.add_argument("--source-password-env", metavar="VAR",
                   help="environment variable holding the source password (when no migrate is running)")
    p.add_argument("--verify=full", dest="verify", action="store_const", const="full", default="on",
                   help="re-read the whole source and target at the cut-over (when no migrate is running)")
    p.add_argument("--timeout", type=float, default=0.0, metavar="MINUTES",
                   help="stop waiting for a running migrate after this long (default: wait until it is done)")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    from wizard.app.migration import RESUME
    from wizard.app.sources import open_source
    from wizard.app.sync import (
        CutoverState,
        SyncSettings,
        cutover_outcome,
        downtime_text,
        prepare_sync,
        request_cutover,
        split_plan,
        sync_journal,
        sync_running,
    )
    from wizard.app.targets import TargetSpec
    from wizard.commands._sync import _SyncLines
    from wizard.commands._term import terminal_prompt
    from wizard.core.plan import Plan

    def say(text: str) -> None:
        print(printable(translate(text)), file=sys.stderr, flush=True)

    full = Plan.load(args.plan)
    _others, syncs = split_plan(full)
    chosen = [i for i in syncs.items if not args.vm or i.target.name in args.vm or i.vm.name in args.vm]
    if not chosen:
        say("hvmigrate: the plan holds no VM planned with --source-policy sync"
            + (" with those names" if args.vm else ""))
        return EXIT_ERROR
    spec = TargetSpec.parse(args.target, share=args.share or "", thumbprint=args.thumbprint, insecure=args.insecure,
                            transport=args.transport)
    journal = sync_journal(spec, syncs, args.journal or "")
    ids = [i.vm.id or i.target.name for i in chosen]
    names = {i.vm.id or i.target.name: i.target.name for i in chosen}
    if sync_running(journal):
        asked = time.time()
        request_cutover(journal, None if len(chosen) == len(syncs.items) else ids)
        say(f"Asked the running hvmigrate migrate to cut over {', '.join(names.values())}; its output shows the "
            "cut-over. Waiting for it to finish (Ctrl+C stops waiting, not the cut-over).")
        deadline = time.monotonic() + args.timeout * 60 if args.timeout > 0 else None
        outcome: dict[str, CutoverState] = {}
        try:
            while True:
                outcome = cutover_outcome(journal, ids, since=asked)
                finished = [k for k, v in outcome.items() if v.status in ("done", "failed", "aborted")]
                if len(finished) == len(ids) or not sync_running(journal):
                    break
                if deadline is not None and time.monotonic() > deadline:
                    say("Stopped waiting; the running migrate goes on with the cut-over.")
                    break
                time.sleep(1.0)
        except KeyboardInterrupt:
            say("Stopped waiting; the running migrate goes on with the cut-over.")
            return EXIT_CANCELLED
        rows = [{"name": names[k], "status": v.status or "not cut over", "downtime": v.downtime,
                 "downtime_until": v.until, "error": v.error}
                for k, v in outcome.items()]
    elif not journal.exists():
        say(f"hvmigrate: no sync of this plan into {spec.describe()} "
            f"has started (no journal at {journal}). Start it with: hvmigrate migrate {args.plan} --target "
            f"{args.target}")
        return EXIT_ERROR
    else:
        say(f"No hvmigrate migrate is synchronising this plan; cutting over from the journal {journal}.")
        # one attempt: with no migrate left to go on syncing, a failed cut-over ends the command (source given back)
        settings = SyncSettings(verify_full=args.verify == "full", journal=args.journal or "", cutover_once=True)
        with open_source(full.source, password_env=args.source_password_env or "", prompt=terminal_prompt) as source:
            credentials = target_credentials(args)
            sync = prepare_sync(dataclasses.replace(syncs, items=chosen), source, spec, settings, existing=RESUME,
                                credentials=credentials)
            try:
                sync.cut_over()
                sync.start(_SyncLines())
                try:
                    sync.wait()
                except KeyboardInterrupt:
                    say("Stopping: run `hvmigrate cutover` again to finish the cut-over.")
                    sync.cancel()
                    sync.wait()
                    return EXIT_CANCELLED
                status = sync.status()
            finally:
                sync.close()
        rows = [{"name": s.name, "status": s.state, "downtime": s.downtime, "downtime_until": s.until,
                 "error": s.error.one_line() if s.error else ""} for s in status]
    done = sum(r["status"] == "done" for r in rows)
    if args.json:
        print(json.dumps({"done": done, "total": len(rows), "vms": rows}, indent=2))
    for r in rows:
        downtime = r.get("downtime")
        say(f"  {pad(state_word(r['status']), 8)}{r['name']}"
            + (f": {translate(downtime_text(downtime, r['downtime_until']))}" if downtime is not None else "")
            + (f": {translate(r['error'])}" if r.get("error") else ""))
    if done == len(rows):
        return EXIT_OK
    return EXIT_PARTIAL if done else EXIT_ERROR
