"""``hvmigrate migrate PLAN.json --target ...``: carry out a saved plan, one VM after the other.

The per-VM work lives in :func:`wizard.targets.runner.migrate_item`; this command only opens the plan's
source and the target, loops, prints progress and a summary. Exit codes: 0 every VM done, 1 some failed,
2 none succeeded (or the plan/source/target could not be opened), 130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import sys

from wizard.cli import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_PARTIAL


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="migrate the VMs of a plan file to Hyper-V or an import bundle")
    p.add_argument("plan", help="plan file (JSON) written by `hvmigrate plan` or the wizard")
    p.add_argument("--target", required=True, metavar="TARGET",
                   help="bundle:FOLDER (offline import bundle) or hyperv://[USER@]HOST[:PORT] (WinRM, HTTPS 5986)")
    p.add_argument("--share", metavar="UNC", help="SMB share on the host for the disks, e.g. \\\\HOST\\VMs")
    p.add_argument("--password-env", metavar="VAR", help="environment variable holding the Hyper-V password")
    p.add_argument("--thumbprint", metavar="HEX", default="", help="pin the host's certificate (SHA-256)")
    p.add_argument("--insecure", action="store_true", help="do not verify the host certificate (labs only)")
    p.add_argument("--transport", choices=["ntlm", "kerberos", "credssp"], default="ntlm",
                   help="WinRM authentication (default ntlm)")
    p.add_argument("--source-password-env", metavar="VAR", help="environment variable holding the source password")
    p.add_argument("--vm", action="append", metavar="NAME", help="only this VM (repeatable)")
    p.add_argument("--replace", action="store_true", help="replace a bundle folder this plan wrote before")
    p.add_argument("--fixups", action="store_true", help="run guest fix-ups after creating each VM")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                   help="verify each converted disk against its source (default on)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def _source_text(plan) -> str:
    ref = plan.source
    if ref.kind == "demo":
        return "demo"
    if ref.kind == "vsphere":
        who = f"{ref.user}@" if ref.user else ""
        return f"vsphere://{who}{ref.address}"
    return ref.address


def run(args: argparse.Namespace) -> int:
    from wizard.commands._term import TerminalProgress
    from wizard.core.plan import Plan
    from wizard.core.progress import CancelToken
    from wizard.sources.registry import open_source
    from wizard.targets.factory import HostOptions, open_target
    from wizard.targets.runner import migrate_item

    plan = Plan.load(args.plan)
    items = [i for i in plan.items if not args.vm or i.target.name in args.vm or i.vm.name in args.vm]
    if not items:
        print("hvmigrate: the plan holds no VM to migrate" + (" with those names" if args.vm else ""), file=sys.stderr)
        return EXIT_ERROR
    options = HostOptions(share=args.share or "", password_env=args.password_env or "",
                          thumbprint=args.thumbprint, insecure=args.insecure, transport=args.transport,
                          replace=args.replace)
    cancel = CancelToken()
    bar = TerminalProgress()
    outcomes = []
    with open_source(_source_text(plan), password_env=args.source_password_env, thumbprint=plan.source.thumbprint,
                     insecure=plan.source.insecure) as source, \
            open_target(args.target, plan.source, options) as target:
        print(f"Migrating {len(items)} VM(s) from {source.describe()} to {target.describe()}", file=sys.stderr)
        try:
            for item in items:
                outcome = migrate_item(source, target, item, bar, cancel.child(), verify=args.verify,
                                       fixups=args.fixups)
                bar.close()
                outcomes.append(outcome)
                if outcome.ok:
                    where = outcome.created.where if outcome.created else ""
                    print(f"  done    {item.target.name}" + (f" → {where}" if where else ""), file=sys.stderr)
                else:
                    why = outcome.error.one_line() if outcome.error else outcome.status
                    print(f"  {outcome.status:<7} {item.target.name}: {why}", file=sys.stderr)
        except KeyboardInterrupt:
            cancel.cancel()
            bar.close()
            return EXIT_CANCELLED
    done = sum(o.ok for o in outcomes)
    if args.json:
        print(json.dumps({"done": done, "total": len(outcomes), "vms": [
            {"name": o.name, "status": o.status, "error": o.error.to_dict() if o.error else None,
             "where": o.created.where if o.created else "",
             "disks": [{"file": d.file_name, "sha256": d.sha256, "size_bytes": d.size_bytes} for d in o.disks]}
            for o in outcomes]}, indent=2, ensure_ascii=False))
    print(f"{done} of {len(outcomes)} VM(s) migrated.", file=sys.stderr)
    if done == len(outcomes):
        return EXIT_OK
    return EXIT_PARTIAL if done else EXIT_ERROR
