"""Finding titles are shown in the user's language: every rule's title is marked for translation, and
the Chinese catalog has them."""

from __future__ import annotations

from wizard.compat.rules import all_rules, codes
from wizard.ui import i18n
from wizard.ui.finding_titles import TITLES, title


def test_every_rule_title_can_be_translated():
    all_rules()  # imports every topic module, so that codes() is complete
    missing = sorted({info.title for info in codes().values()} - set(TITLES))
    assert not missing, f"add these to wizard/ui/finding_titles.py and resources/i18n/zh_CN.py: {missing}"


def test_chinese_titles(qapp):
    assert i18n.install(qapp, "zh_CN")
    try:
        untranslated = [t for t in TITLES if title(t) == t]
        assert not untranslated
        assert title("VM is running") == "虚拟机正在运行"
    finally:
        i18n.install(qapp, "en")
    assert title("VM is running") == "VM is running"
