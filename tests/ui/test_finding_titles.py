"""Finding titles are shown in the user's language: every rule's title (and every title a rule reports) has
its Chinese in the message catalogue, which the wizard and the command line both use."""

from __future__ import annotations

import re

from wizard.compat.rules import all_rules, codes
from wizard.core.i18n import translate
from wizard.ui import i18n
from wizard.ui.finding_titles import title

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_rule_title_can_be_translated():
    all_rules()  # imports every topic module, so that codes() is complete
    missing = sorted(info.title for info in codes().values() if not CJK.search(translate(info.title, "zh_CN")))
    assert not missing, f"run `python -m wizard.core.i18n_extract --sync` and translate: {missing}"


def test_chinese_titles(qapp):
    assert i18n.install(qapp, "zh_CN")
    try:
        untranslated = [info.title for info in codes().values() if title(info.title) == info.title]
        assert not untranslated
        assert title("VM is running") == "虚拟机正在运行"
    finally:
        i18n.install(qapp, "en")
    assert title("VM is running") == "VM is running"
