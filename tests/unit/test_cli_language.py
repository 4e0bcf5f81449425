"""The command line speaks the user's language: ``LANG=zh_CN.UTF-8 hvmigrate assess demo`` prints Chinese
findings, ``--lang`` overrides the locale, and the one-line error is Chinese with the user's values as typed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from wizard.cli import main

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def hvmigrate(*args: str, lang: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    if lang:
        env["LANG"] = lang
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def finding_lines(out: str) -> tuple[list[str], list[str]]:
    """(title lines, explanation and fix lines) of ``assess``'s text output."""
    titles = [line for line in out.splitlines() if line.startswith("    ") and not line.startswith("        ")]
    texts = [line for line in out.splitlines() if line.startswith("            ")]
    return titles, texts


def test_chinese_locale_prints_chinese_findings():
    run = hvmigrate("assess", "demo", lang="zh_CN.UTF-8")
    assert run.returncode == 0, run.stderr
    titles, texts = finding_lines(run.stdout)
    assert len(titles) > 20 and len(texts) >= 10
    english = [line for line in titles + texts if not CJK.search(line)]
    assert not english, english
    assert "sql-node2" in run.stdout and "Hard disk 1" in run.stdout  # names as they are
    assert "台虚拟机" in run.stdout.splitlines()[-1]


def test_lang_option_overrides_the_locale(capsys):
    assert main(["--lang", "en", "assess", "demo"]) == 0
    titles, texts = finding_lines(capsys.readouterr().out)
    assert titles and not any(CJK.search(line) for line in titles + texts)
    assert main(["assess", "demo", "--lang", "zh_CN"]) == 0
    titles, texts = finding_lines(capsys.readouterr().out)
    assert all(CJK.search(line) for line in titles + texts)


def test_error_line_in_chinese_keeps_the_path(tmp_path):
    missing = tmp_path / "DOMAIN admin" / "web01.vmx"
    run = hvmigrate("assess", str(missing), lang="zh_CN.UTF-8")
    assert run.returncode == 2
    line = run.stderr.strip().splitlines()[-1]
    assert line.startswith("hvmigrate：错误：")
    assert str(missing) in line and "找不到文件" in line and "请检查路径" in line


def test_json_stays_english_for_scripts(capsys):
    assert main(["--lang", "zh_CN", "assess", "demo", "--json"]) == 0
    assert not CJK.search(capsys.readouterr().out)


def test_plan_check_in_chinese(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    assert main(["plan", "demo", "-o", str(plan)]) == 0
    capsys.readouterr()
    doc = json.loads(plan.read_text(encoding="utf-8"))
    doc["items"][0]["target"]["cpus"] = 0  # a hand-edited plan
    plan.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["--lang", "zh_CN", "plan", "--check", str(plan)]) == 1
    out = capsys.readouterr().out
    assert "cpus：0 个虚拟处理器" in out
    assert "个阻止项" in out.splitlines()[-1]


def test_the_demo_migration_speaks_chinese_and_writes_chinese_reports(tmp_path):
    """``LANG=zh_CN.UTF-8 hvmigrate demo``: every line it prints for people is Chinese (values such as VM names and
    paths aside), the VM states too, and the reports it writes are Chinese."""
    out = tmp_path / "demo"
    run = hvmigrate("demo", "--output", str(out), lang="zh_CN.UTF-8")
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    for words in ("1. 在 内置演示（6 台虚拟机）", "台虚拟机", "受阻", "完成", "导入包：", "报告：", "评估报告："):
        assert any(words in line for line in lines), (words, lines)
    english = [line for line in lines if not CJK.search(line)]
    assert not english, english
    for english_words in ("Discovered", "Migrating", "Bundle:", "Report:", ": done", ": running"):
        assert english_words not in run.stdout
    assert "迁移报告" in (out / "report.html").read_text(encoding="utf-8")
    assert "Hyper-V 兼容性报告" in (out / "assessment.html").read_text(encoding="utf-8")


def test_help_and_usage_errors_in_chinese():
    """``--help`` (ours and argparse's own words) and a mistyped option are Chinese under a Chinese locale or
    ``--lang zh_CN``; English stays English."""
    run = hvmigrate("convert", "--help", lang="zh_CN.UTF-8")
    assert run.returncode == 0
    assert "用法：" in run.stdout and "选项" in run.stdout and "源磁盘（VMDK、VHDX、VHD、raw 等）" in run.stdout
    assert "show this help message" not in run.stdout and "source disk" not in run.stdout
    top = hvmigrate("--lang", "zh_CN", "--help")
    assert "将磁盘映像转换为供 Hyper-V 使用的 VHDX 或 VHD" in top.stdout
    wrong = hvmigrate("--lang", "zh_CN", "convert", "a.vmdk", "b.vhdx", "--type", "big")
    assert wrong.returncode == 3 and "无效的选项：'big'" in wrong.stderr and "invalid choice" not in wrong.stderr
    english = hvmigrate("convert", "--help", lang="C.UTF-8")
    assert "usage: hvmigrate convert" in english.stdout and "source disk (VMDK" in english.stdout


def test_discover_table_in_chinese_lines_up():
    run = hvmigrate("discover", "demo", lang="zh_CN.UTF-8")
    assert run.returncode == 0, run.stderr
    header, first = run.stdout.splitlines()[:2]
    assert header.startswith("名称") and "快照" in header and "NAME" not in header
    from wizard.commands._term import display_width

    # columns line up on a terminal: "电源" starts where the power state of the first VM does
    assert display_width(header[:header.index("电源")]) == display_width(first[:first.index(" on ") + 1])


def test_help_follows_an_abbreviated_lang_as_argparse_takes_it():
    from wizard.cli import _language_asked

    assert _language_asked(["--lan", "zh_CN", "convert", "--help"]) == "zh_CN"
    assert _language_asked(["convert", "--la=zh_CN", "--help"]) == "zh_CN"
    env_language = _language_asked([])
    assert _language_asked(["convert", "--", "--lang", "zh_CN"]) == env_language  # after --: values, not options
