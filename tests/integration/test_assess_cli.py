"""``hvmigrate assess`` and ``hvmigrate plan`` end to end: the demo source, an inventory file, hostile names."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from wizard.compat.engine import validate_plan
from wizard.compat.names import safe_file_stem
from wizard.core.findings import Severity
from wizard.core.inventory import Controller, Disk, Firmware, GuestOS, Inventory, Nic, SourceVM
from wizard.core.plan import Plan

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NAMES = [
    'quote"double', "quote'single", "$(Remove-Item C:\\ -Recurse)", "`whoami`", "a; Stop-Computer",
    "line1\nline2", "<script>alert('x')</script>", "..\\..\\windows\\system32", "a/b/c", "CON", "tail. ",
    "\x1b[31mred\x1b[0m", "数据库-01 ≤ ✓",
]


def run_cli(*args: str, env_extra: dict | None = None, encoding: str = "utf-8") -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120, encoding=encoding)


@pytest.fixture
def hostile_inventory(tmp_path) -> Path:
    vms = []
    for i, name in enumerate(HOSTILE_NAMES):
        vms.append(SourceVM(
            id=f"vm-{i}", name=name, source_kind="vmx", guest=GuestOS(id="windows2019srv_64Guest"),
            firmware=Firmware.EFI if i % 2 else Firmware.BIOS, secure_boot=bool(i % 2), cpus=2, memory_mb=2048,
            disks=[Disk(label=f"disk {name}", controller=Controller.PVSCSI, capacity_bytes=10 << 30)],
            nics=[Nic(label=f"nic {name}", model="vmxnet3", mac="00:50:56:aa:bb:cc", network=f"net {name}")]))
    path = tmp_path / "inventory.json"
    Inventory(source=str(tmp_path / "vms"), source_kind="folder", vms=vms).save(path)
    return path


def test_assess_demo_json_reports_the_blocked_vm_and_exits_0():
    out = run_cli("assess", "demo", "--json", "--target-version", "2022")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema"] == "hvmigrate.assessment/1" and doc["target_version"] == "2022"
    by_name = {v["name"]: v for v in doc["vms"]}
    assert len(by_name) == 6 and by_name["sql-node2"]["blocked"]
    assert by_name["sql-node2"]["findings"][0]["severity"] == "blocker"
    win11 = by_name["win11-desk"]["plan"]
    assert win11["generation"] == 2 and win11["tpm"] and win11["secure_boot"]
    assert by_name["ubuntu-web"]["plan"]["secure_boot_template"] == "MicrosoftUEFICertificateAuthority"
    assert by_name["legacy-app01"]["plan"]["generation"] == 1
    assert {"code", "severity", "title", "message", "fix"} <= set(by_name["web01"]["findings"][0])


def test_assess_strict_exits_1_with_blockers_and_text_has_traffic_lights(tmp_path):
    out = run_cli("assess", "demo", "--strict", "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "r.csv"))
    assert out.returncode == 1
    assert "[BLOCKED] sql-node2" in out.stdout and "RDM-PHYSICAL" in out.stdout and "1 blocked" in out.stdout
    assert (tmp_path / "r.html").stat().st_size > 1000 and (tmp_path / "r.csv").read_bytes()[:3] == b"\xef\xbb\xbf"


def test_plan_demo_leaves_out_the_blocked_vm_and_says_why(tmp_path):
    out_file = tmp_path / "plan.json"
    out = run_cli("plan", "demo", "-o", str(out_file), "--map-network", "VM Network=LAN:12", "--set", "cpus=2",
                  "--target-version", "2019")
    assert out.returncode == 0, out.stderr
    assert "left out sql-node2: RDM-PHYSICAL" in out.stdout and "5 VM(s) planned" in out.stdout
    plan = Plan.load(out_file)
    assert plan.source.kind == "demo" and plan.target_version == "2019"
    assert [i.target.cpus for i in plan.items] == [2] * 5
    web = next(i for i in plan.items if i.vm.name == "web01")
    assert (web.target.nics[0].switch, web.target.nics[0].vlan_id) == ("LAN", 12)
    assert not [f for f in validate_plan(plan) if f.severity is Severity.BLOCKER]


def test_planning_a_named_blocked_vm_fails_without_writing(tmp_path):
    out = run_cli("plan", "demo", "--vm", "sql-node2", "-o", str(tmp_path / "p.json"))
    assert out.returncode == 2 and "RDM-PHYSICAL" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "p.json").exists()


def test_plan_with_exclusion_and_bad_options(tmp_path):
    out = run_cli("plan", "demo", "--vm", "sql-node2", "--set", "disk.0.include=false", "-o", str(tmp_path / "p.json"))
    assert out.returncode == 2  # the only disk is the boot disk: leaving it out is itself a blocker
    for bad in (["--set", "cpus=lots"], ["--map-network", "nonsense"], ["--template", "nope"]):
        out = run_cli("assess", "demo", *bad)
        assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.startswith("hvmigrate: error:")


class _Strict(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            assert not k.startswith("on") and k not in ("src",), (k, v)

    def handle_data(self, data):
        self.text += data


def test_hostile_names_survive_assess_plan_and_both_reports(hostile_inventory, tmp_path):
    html_file, csv_file, plan_file = tmp_path / "r.html", tmp_path / "r.csv", tmp_path / "plan.json"
    out = run_cli("assess", str(hostile_inventory), "--json", "--html", str(html_file), "--csv", str(csv_file))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [v["name"] for v in doc["vms"]] == HOSTILE_NAMES
    for v in doc["vms"]:
        for d in v["plan"]["disks"]:
            stem = d["file_name"].rsplit("-disk", 1)[0]
            assert safe_file_stem(stem) == stem and "/" not in d["file_name"] and "\\" not in d["file_name"]
    assert len({v["plan"]["disks"][0]["file_name"].lower() for v in doc["vms"]}) == len(HOSTILE_NAMES)

    text = run_cli("assess", str(hostile_inventory))
    assert text.returncode == 0 and "\x1b[31mred" not in text.stdout and "line1\\x0aline2" in text.stdout

    p = _Strict()
    p.feed(html_file.read_text(encoding="utf-8"))
    assert "script" not in p.tags
    for name in HOSTILE_NAMES:
        assert name in p.text

    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"), newline="")))
    assert {r["vm"] for r in rows} == set(HOSTILE_NAMES)

    out = run_cli("plan", str(hostile_inventory), "-o", str(plan_file))
    assert out.returncode == 0, out.stderr
    plan = Plan.load(plan_file)
    assert [i.target.name for i in plan.items] == HOSTILE_NAMES
    assert plan.source.kind == "folder"
    assert not [f for f in validate_plan(plan) if f.severity is Severity.BLOCKER]


@pytest.mark.skipif(not __import__("shutil").which("chromium"), reason="chromium not installed (optional)")
def test_html_report_renders_in_a_real_browser_without_running_names(tmp_path):
    """A name that would run script if it were not escaped: the rendered DOM keeps the title and has no script."""
    import shutil

    from wizard.compat.engine import assess
    from wizard.report.html import write_html

    evil = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
    vm = SourceVM(id="1", name=evil, guest=GuestOS(id="windows2019srv_64Guest"), memory_mb=1024,
                  disks=[Disk(capacity_bytes=1 << 30)], encrypted=True)
    report = write_html(tmp_path / "r.html", assess([vm]), title="Report")
    out = subprocess.run([shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    dom = out.stdout
    assert "<title>Report</title>" in dom and "pwned</title>" not in dom
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;document.title" in dom


def test_list_rules_names_every_code_with_its_source():
    out = run_cli("assess", "--list-rules", "--json")
    assert out.returncode == 0
    rules = {r["code"]: r for r in json.loads(out.stdout)}
    assert {"GEN2-32BIT", "RDM-PHYSICAL", "TPM-WIN11", "NIC-COUNT", "PLAN-INVALID"} <= set(rules)
    assert all(r["reference"] for r in rules.values())
    assert run_cli("assess").returncode == 3


def test_plan_from_a_saved_inventory_points_back_at_its_source(tmp_path):
    from wizard.sources.demo import DemoSource

    inv_file = tmp_path / "inv.json"
    DemoSource().discover().save(inv_file)
    out = run_cli("plan", str(inv_file), "-o", str(tmp_path / "plan.json"), "--vm", "web01")
    assert out.returncode == 0, out.stderr
    plan = Plan.load(tmp_path / "plan.json")
    assert plan.source.kind == "demo" and [i.vm.name for i in plan.items] == ["web01"]


def test_error_messages_never_carry_raw_control_characters(hostile_inventory, tmp_path):
    for extra in (["--vm", "\x1b[31mnope"], ["--set", "integration.\x1b[2J=maybe"]):
        out = run_cli("plan", str(hostile_inventory), *extra, "-o", str(tmp_path / "p.json"))
        assert out.returncode == 2 and "\x1b" not in out.stderr and "\\x1b" in out.stderr, out.stderr


def test_output_survives_a_console_code_page_without_the_characters(hostile_inventory, tmp_path):
    env = {"PYTHONIOENCODING": "cp1252"}
    for args in (["assess", str(hostile_inventory)], ["assess", str(hostile_inventory), "--json"],
                 ["plan", str(hostile_inventory), "-o", str(tmp_path / "p.json")]):
        out = run_cli(*args, env_extra=env, encoding="cp1252")
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    doc = json.loads(run_cli("assess", str(hostile_inventory), "--json", env_extra=env, encoding="cp1252").stdout)
    assert "数据库-01 ≤ ✓" in [v["name"] for v in doc["vms"]]


def test_plan_check_reports_a_hand_edited_plan(tmp_path):
    path = tmp_path / "plan.json"
    assert run_cli("plan", "demo", "-o", str(path)).returncode == 0
    ok = run_cli("plan", "--check", str(path))
    assert ok.returncode == 0 and "0 blocker(s)" in ok.stdout
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["items"][0]["target"]["generation"] = 3
    doc["items"][1]["target"]["memory"]["startup_mb"] = 0
    path.write_text(json.dumps(doc), encoding="utf-8")
    bad = run_cli("plan", "--check", str(path), "--json")
    assert bad.returncode == 1
    codes = [f["code"] for f in json.loads(bad.stdout)["findings"] if f["severity"] == "blocker"]
    assert codes.count("PLAN-INVALID") >= 2
    assert run_cli("plan", "demo").returncode == 3


def test_saved_user_template_is_used_by_the_cli(tmp_path, monkeypatch):
    from wizard.compat.templates import save_template

    monkeypatch.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path / "cfg"))
    save_template("Big Iron", {"cpus": 12, "memory.dynamic": True})
    out = run_cli("assess", "demo", "--json", "--template", "big iron")
    assert out.returncode == 0, out.stderr
    plans = [v["plan"] for v in json.loads(out.stdout)["vms"]]
    assert all(p["cpus"] == 12 and p["dynamic_memory"] for p in plans)
