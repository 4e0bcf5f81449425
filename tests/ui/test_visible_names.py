"""A VM name that holds bidirectional or other invisible characters is shown with them marked, so a name such
as ``report‮gnp.exe`` does not read as ``reportexe.png`` in the wizard (the command line escapes them too)."""

from __future__ import annotations

from wizard.core.inventory import Inventory, SourceVM
from wizard.core.text import visible

HOSTILE = "report\u202egnp.exe"


def test_visible_marks_hidden_characters_and_leaves_text_alone():
    assert visible(HOSTILE) == "report⟪U+202E⟫gnp.exe"
    assert visible("zero\u200bwidth\x1b[31m") == "zero⟪U+200B⟫width⟪U+001B⟫[31m"
    assert visible("web01 数据库") == "web01 数据库"


def test_the_inventory_shows_the_name_with_its_mark(qapp):
    from wizard.ui.models.inventory import InventoryModel

    model = InventoryModel(Inventory(vms=[SourceVM(id="vm-1", name=HOSTILE)]).vms)
    shown = model.data(model.index(0, 0))
    assert shown == "report⟪U+202E⟫gnp.exe" and "\u202e" not in shown
