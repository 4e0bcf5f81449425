"""The inventory table with thousands of VMs: search, filters, sorting and ticks behave as a user expects."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.inventory_data import many_vms
from wizard.ui.models.inventory import COLUMNS, InventoryFilter, InventoryModel


def _proxy(n: int = 5000):
    model = InventoryModel(many_vms(n).vms)
    proxy = InventoryFilter()
    proxy.setSourceModel(model)
    return model, proxy


def _names(proxy) -> list[str]:
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_filters_combine(qapp):
    model, proxy = _proxy()
    assert proxy.rowCount() == 5000
    proxy.set_filters(power="poweredOn", family="linux")
    vms = {vm.name: vm for vm in model.vms}
    shown = _names(proxy)
    assert shown and all(vms[n].power_state.value == "poweredOn" and vms[n].guest.family == "linux" for n in shown)
    proxy.set_filters(text="ubuntu cluster-2")
    shown = _names(proxy)
    assert shown and all("Ubuntu" in vms[n].guest.full_name and vms[n].cluster == "Cluster-2" for n in shown)
    proxy.set_filters(text="", power="", family="", place="Cluster-1", folder="")
    assert proxy.rowCount() == 1000


def test_sorting_keeps_filter_and_ticks(qapp):
    model, proxy = _proxy()
    proxy.set_filters(family="windows")
    model.set_checked([0, 4, 8], True)
    ticked = {model.vms[r].id for r in (0, 4, 8)}
    proxy.sort(COLUMNS.index("memory"), Qt.SortOrder.DescendingOrder)
    memory = [model.vms[proxy.mapToSource(proxy.index(r, 0)).row()].memory_mb for r in range(proxy.rowCount())]
    assert memory == sorted(memory, reverse=True)
    assert proxy.rowCount() == 1250
    assert model.checked == ticked
    proxy.sort(COLUMNS.index("name"))
    assert _names(proxy) == sorted(_names(proxy), key=str.lower)


def test_select_all_visible_and_totals(qapp):
    model, proxy = _proxy(100)
    proxy.set_filters(power="poweredOff")
    model.set_checked(proxy.visible_source_rows(), True)
    count, cpus, memory, disk = model.totals()
    off = [vm for vm in model.vms if vm.power_state.value == "poweredOff"]
    assert count == len(off) == 33
    assert cpus == sum(v.cpus for v in off) and memory == sum(v.memory_mb for v in off)
    index = proxy.index(0, 0)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    proxy.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.totals()[0] == 32
