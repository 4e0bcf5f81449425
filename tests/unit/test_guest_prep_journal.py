"""A resumed run's report still lists what the interrupted run's offline preparation changed inside the guest:
the preparation's report is journalled, read back, and a damaged record is never trusted."""

from __future__ import annotations

from wizard.guests.report import PREPARED, Change, GuestFacts, PrepReport
from wizard.migrate.journal import Journal


def _report() -> PrepReport:
    return PrepReport(PREPARED, facts=GuestFacts(distro="rhel", version="9.3", kernels=["5.14.0-362.el9.x86_64"]),
                      changes=[Change("/etc/sysconfig/network-scripts/ifcfg-eth0", "renamed from ifcfg-ens192",
                                      "the Hyper-V adapter is eth0", "/etc/.hvmigrate-orig/ifcfg-ens192")],
                      notes=["open-vm-tools is left installed"], seconds=28.5)


def test_the_preparation_report_survives_the_journal(tmp_path):
    path = tmp_path / "run.jsonl"
    with Journal(path) as journal:
        journal.append("run_start", plan_sha256="x" * 64)
        journal.append("guest_prep", vm="vm-1", report=_report().to_json())
    state = Journal.replay(path)
    again = PrepReport.from_json(state.guest_preps["vm-1"])
    assert again == _report()
    assert any("ifcfg-ens192" in line for line in again.lines())


def test_a_retry_forgets_the_earlier_preparation(tmp_path):
    path = tmp_path / "run.jsonl"
    with Journal(path) as journal:
        journal.append("guest_prep", vm="vm-1", report=_report().to_json())
        journal.append("vm_reset", vm="vm-1")
    assert "vm-1" not in Journal.replay(path).guest_preps


def test_a_damaged_report_record_is_not_trusted():
    assert PrepReport.from_json({"facts": "not an object"}) is None
    assert PrepReport.from_json({"changes": [1, 2]}) is None
    assert PrepReport.from_json({"seconds": "soon"}) is None
