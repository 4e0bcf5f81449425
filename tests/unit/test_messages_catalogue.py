"""Chinese, completely: every user-facing message the code writes (finding explanations, fixes, choice labels,
rule titles, typed errors' messages and fixes) has a Simplified Chinese translation in the one message
catalogue, and what users see comes out in Chinese with their own values untouched."""

from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path

import pytest

from wizard.compat.engine import assess
from wizard.core import i18n
from wizard.core.errors import AuthError, InputError, PlanError
from wizard.core.i18n_extract import extract, load_catalogue

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{\d+(?:!t)?\}")
SYNC = ("run `python -m wizard.core.i18n_extract --sync` and translate the new entries in "
        "resources/i18n/messages_zh_CN.json")

_spec = importlib.util.spec_from_file_location("bench_assess", ROOT / "bench" / "assess.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    return {en: zh for group in load_catalogue().values() for en, zh in group.items()}


@pytest.fixture(scope="module")
def templates() -> dict[str, list[str]]:
    return extract()


def test_every_user_facing_message_has_chinese(templates, catalogue):
    missing = [f"{', '.join(files)}: {en}" for en, files in templates.items() if not catalogue.get(en)]
    assert not missing, f"{len(missing)} messages without Chinese ({SYNC}):\n" + "\n".join(missing[:40])


def test_no_stale_entries(templates, catalogue):
    stale = sorted(set(catalogue) - set(templates))
    assert not stale, f"catalogue entries whose English no longer exists in the code ({SYNC}):\n" + "\n".join(stale)


def test_translations_keep_every_placeholder(catalogue):
    wrong = [(en, zh) for en, zh in catalogue.items()
             if zh and sorted(PLACEHOLDER.findall(en)) != sorted(PLACEHOLDER.findall(zh))]
    assert not wrong, wrong[:10]


def test_the_extractor_finds_a_new_rule_message(tmp_path):
    """A rule added tomorrow is caught: its explanation, fix (with the names it is spelled from) and title."""
    pkg = tmp_path / "wizard"
    pkg.mkdir()
    (pkg / "errors.py").write_text("class HvmError(Exception): ...\nclass TargetError(HvmError): ...\n")
    (pkg / "rule.py").write_text(textwrap.dedent('''
        @rule("NEW-RULE", Severity.WARNING, "A brand-new finding", M, order=1)
        def check(ctx):
            verb = "moves" if one else "move"
            ctx.flag(f"{label} {verb} to the new place.", "Do " + "nothing.", subject=label)

        def fail(path):
            raise TargetError(f"{path}: the share is gone", fix=f"Mount {path} again.")
    '''), encoding="utf-8")
    found = extract(pkg)
    assert {"A brand-new finding", "{0} moves to the new place.", "{0} move to the new place.", "Do nothing.",
            "{0}: the share is gone", "Mount {0} again."} <= set(found)


def _all_findings():
    inv = bench.synthetic_inventory(400, seed=3)
    for version in ("unknown", "2016", "2025"):
        for a in assess(inv, target_version=version, network_map={"VM Network": ("LAN", None)}):
            yield from a.findings


def test_every_finding_reads_in_chinese():
    """Over 400 varied VMs and three host versions, no finding's title, explanation or fix stays English."""
    english = set()
    seen = 0
    for f in _all_findings():
        seen += 1
        for text in (f.title, f.message, f.fix, *(c.label for c in f.choices)):
            if text and not CJK.search(i18n.translate(text, "zh_CN")):
                english.add(f"{f.code}: {text}")
    assert seen > 1000
    assert not english, "\n".join(sorted(english)[:30])


def test_values_stay_as_typed():
    """VM names, user names and paths inside a message are copied verbatim, even when they look like markup,
    regex or format syntax, or are Chinese themselves."""
    for name in ("DOMAIN\\admin", "web{0}.*$", "数据库-01", "x (1) [2]", "a\\1"):
        shown = i18n.translate(f"{name} is left out of the migration; its data stays on the source only.", "zh_CN")
        assert shown == f"{name} 不参与迁移；其数据只保留在源端。"
    message, fix = i18n.error_texts(AuthError("No password for DOMAIN\\admin@hv01.", fix="Set HV_PASS to the "
                                                                                           "password."), "zh_CN")
    assert message == "没有 DOMAIN\\admin@hv01 的密码。"
    assert fix == "请将 HV_PASS 设置为该密码。"


def test_nested_messages_are_translated_but_values_are_not():
    inner = "Virtual switch 'LAN \"DMZ\"' does not exist on HV01."
    shown = i18n.translate(f"VM 'web01' cannot be migrated: {inner}", "zh_CN")
    assert shown == "虚拟机 'web01' 无法迁移：HV01 上不存在虚拟交换机 'LAN \"DMZ\"'。"
    listed = i18n.translate("The plan uses configuration version 8.0, but a virtual TPM needs 9.0; nested "
                            "virtualization needs 9.1.", "zh_CN")
    assert listed == "计划使用配置版本 8.0，但虚拟 TPM需要 9.0；嵌套虚拟化需要 9.1。"


def test_input_error_keeps_its_path():
    exc = InputError("file not found", path="C:\\VMs\\web01\\web01.vmx", fix="Check the path.")
    assert i18n.error_texts(exc, "zh_CN") == ("C:\\VMs\\web01\\web01.vmx：找不到文件", "请检查路径。")
    assert i18n.error_line(PlanError("unknown setting 'cpu'"), "zh_CN") == "未知的设置 'cpu'"
    assert i18n.error_line(exc, "en") == exc.one_line()


def test_unknown_text_and_english_pass_through():
    assert i18n.translate("Something no template made", "zh_CN") == "Something no template made"
    assert i18n.translate("VM is running", "en") == "VM is running"


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.GB18030"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_language_from_the_locale(env, lang):
    assert i18n.language_from_environment(env) == lang


# -- operating-system errors (wizard.core.ioerrors) and the run's log lines ---------------------------------

def test_the_extractor_finds_io_error_phrases_and_log_lines(tmp_path):
    """A new ``io_error`` call site (its phrase, an f-string phrase, its own fix) and a new log line of the run
    are templates: the completeness test above fails until they have Chinese."""
    pkg = tmp_path / "wizard"
    pkg.mkdir()
    (pkg / "errors.py").write_text("class HvmError(Exception): ...\nclass TargetError(HvmError): ...\n")
    (pkg / "export.py").write_text(textwrap.dedent('''
        from wizard.core.ioerrors import describe, io_error

        def export(path, name):
            doing = "exporting the inventory"
            try:
                write(path)
            except OSError as exc:
                raise io_error(exc, "Writing the inventory export", path,
                               fix=describe(exc)[1] + " Then export again.") from None
            except ValueError as exc:
                raise io_error(exc, f"VM {name!r}: {doing}", path) from None

        def warn(sink, path):
            sink(ProgressEvent("log", message=f"the export of {path} was cut short", level="warning"))
    '''), encoding="utf-8")
    found = extract(pkg)
    new = {"Writing the inventory export", "VM {0}: exporting the inventory", "the export of {0} was cut short",
           "{0!t} Then export again."}  # describe(exc)[1]: io_error's standard fix, translated in turn
    assert new <= set(found)


def test_io_error_templates_of_the_code_are_in_the_catalogue(templates, catalogue):
    """io_error's own words (message, reasons, fixes) and the phrases its callers pass are all found and have
    Chinese."""
    expected = {"{0!t} failed: {1}: {2!t}.", "{0!t} failed: {1!t}.", "the disk that holds it is full",
                "Free space on that disk, or choose a place on another disk.", "Writing the migration report",
                "Recording the run for a later resume", "Writing the journal", "VM {0}: {1!t}",
                "converting disk {0} of {1} ({2})", "The journal can no longer be written: {0!t}"}
    assert expected <= set(templates)
    assert all(catalogue.get(t) for t in expected)


def test_a_full_disk_while_writing_the_report_reads_in_chinese():
    """The error a user meets when the report's disk is full: Chinese message and fix, path as it is."""
    import errno

    from wizard.app.migration import ReportError
    from wizard.core.ioerrors import describe, io_error

    path = "D:\\迁移 runs\\web{0}\\report.html"
    exc = OSError(errno.ENOSPC, "No space left on device", path + ".tmp")
    fix = describe(exc)[1] + " The migration itself is not affected: write the report again."
    error = io_error(exc, "Writing the migration report", path, kind=ReportError, fix=fix, name_where=True)
    message, shown_fix = i18n.error_texts(error, "zh_CN")
    assert message == f"写入迁移报告失败：{path}：所在磁盘已满。"
    assert shown_fix == "请释放该磁盘上的空间，或选择其他磁盘上的位置。迁移本身不受影响：请重新写入报告。"
    assert i18n.error_texts(error, "en") == (error.message, error.fix)


def test_a_vm_whose_disk_cannot_be_written_reads_in_chinese():
    """A VM's conversion stopped by the operating system: its phrase (VM name and disk label verbatim), the
    reason and the fix with the scheduler's own sentence appended, and a log line quoting it one-line."""
    import errno

    from wizard.core.ioerrors import describe, io_error

    exc = OSError(errno.EACCES, "Permission denied", "/srv/out/web01/web01-disk1.vhdx")
    error = io_error(exc, "VM 'web01': converting disk 1 of 2 (web01.vmdk)", "/srv/out",
                     fix=describe(exc)[1] + " Then migrate the VM again.")
    assert i18n.error_line(error, "zh_CN") == (
        "虚拟机 'web01'：转换第 1 块磁盘（共 2 块，web01.vmdk）失败：/srv/out/web01/web01-disk1.vhdx：运行 hvmigrate "
        "的用户无权在该处写入。 — 请授予该用户在该处的写入权限，或选择其他位置。然后重新迁移该虚拟机。")
    journal = io_error(OSError(errno.ENOSPC, "No space", "/runs/run.journal"), "Writing the journal",
                       "/runs/run.journal", fix="Free space there, or choose another place for the journal next "
                       "time; this migration goes on, but an interrupted run may have to redo finished work.")
    assert i18n.translate(f"The journal can no longer be written: {journal.one_line()}", "zh_CN") == (
        "日志已无法写入：写入日志失败：/runs/run.journal：所在磁盘已满。 — 请释放该处的空间，或下次为日志选择其他"
        "位置；本次迁移会继续，但若运行中断，可能需要重做已完成的工作。")
