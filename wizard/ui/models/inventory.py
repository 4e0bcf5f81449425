"""The inventory table: a model over ``Inventory.vms`` and a proxy for search, filters and sorting.

Built for thousands of VMs: display texts and sort keys are computed once per row, sorting happens in
Python on the source model (one ``sorted`` call instead of a Python ``lessThan`` per comparison) and
filtering checks a precomputed lower-case haystack. Check boxes (column 0) are the selection that the
wizard migrates; they are kept by VM id and survive sorting and filtering.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from wizard.core.inventory import PowerState, SourceVM
from wizard.core.text import visible
from wizard.core.units import human_bytes

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("name", "power", "guest", "cluster", "folder", "host", "cpus", "memory", "disk", "nics", "snapshots",
           "tools")
NUMERIC = {"cpus", "memory", "disk", "nics", "snapshots"}


def cluster_or_host(vm: SourceVM) -> str:
    return vm.cluster or vm.host


def short_guest(name: str) -> str:
    """The guest OS as the table shows it: "Microsoft " adds nothing to "Windows Server 2019 (64-bit)" but
    width (searching still finds the full name; the tooltip shows it)."""
    return name.removeprefix("Microsoft ")


class InventoryModel(QAbstractTableModel):

    def __init__(self, vms: list[SourceVM] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = {
            "name": self.tr("Name"), "power": self.tr("Power"), "guest": self.tr("Guest OS"),
            "cluster": self.tr("Cluster / host"), "folder": self.tr("Folder"), "host": self.tr("Host"),
            "cpus": self.tr("CPUs"), "memory": self.tr("Memory"), "disk": self.tr("Disks"),
            "nics": self.tr("NICs"), "snapshots": self.tr("Snapshots"), "tools": self.tr("VMware Tools"),
        }
        self._power = {PowerState.ON: self.tr("On"), PowerState.OFF: self.tr("Off"),
                       PowerState.SUSPENDED: self.tr("Suspended"), PowerState.UNKNOWN: self.tr("Unknown")}
        # the sources' words for VMware Tools (vSphere's toolsStatus), as a person reads them
        self._tools = {"ok": self.tr("Running"), "old": self.tr("Out of date"), "notRunning": self.tr("Not running"),
                       "notInstalled": self.tr("Not installed")}
        self._listeners: list = []
        self.set_vms(vms or [])

    # -- data --------------------------------------------------------------------------------------

    def set_vms(self, vms: list[SourceVM]) -> None:
        self.beginResetModel()
        self.vms = list(vms)
        self.checked: set[str] = set()
        self._rows = [self._row(vm) for vm in self.vms]
        self.haystack = [" ".join((vm.name, vm.guest.full_name, vm.guest.id, vm.cluster, vm.host, vm.folder,
                                   vm.hostname, vm.annotation)).lower() for vm in self.vms]
        self.endResetModel()
        self._notify()

    def _row(self, vm: SourceVM) -> tuple[tuple[str, ...], tuple]:
        texts = (visible(vm.name), self._power.get(vm.power_state, vm.power_state.value),
                 short_guest(vm.guest.full_name or vm.guest.id), visible(cluster_or_host(vm)), visible(vm.folder),
                 visible(vm.host), str(vm.cpus),
                 f"{vm.memory_mb / 1024:.1f} GiB" if vm.memory_mb >= 1024 else f"{vm.memory_mb} MiB",
                 f"{len(vm.disks)} · {human_bytes(vm.total_disk_bytes)}", str(len(vm.nics)),
                 str(len(vm.snapshots)), self._tools.get(vm.tools_status, visible(vm.tools_status)))
        keys = (vm.name.lower(), texts[1], texts[2].lower(), texts[3].lower(), vm.folder.lower(), vm.host.lower(),
                vm.cpus, vm.memory_mb, vm.total_disk_bytes, len(vm.nics), len(vm.snapshots), vm.tools_status)
        return texts, keys

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.vms)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[COLUMNS[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[row][0][col]
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if self.vms[row].id in self.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[col] in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                vm = self.vms[row]
                return vm.annotation or vm.config_path or vm.name
            if COLUMNS[col] == "guest":
                vm = self.vms[row]
                return vm.guest.full_name or vm.guest.id or None
            return self._rows[row][0][col] or None  # the full text of an elided cell
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        vm_id = self.vms[index.row()].id
        on = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        (self.checked.add if on else self.checked.discard)(vm_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self._notify()
        return True

    # -- selection -------------------------------------------------------------------------------------

    def on_checked_changed(self, callback) -> None:  # noqa: ANN001
        self._listeners.append(callback)

    def _notify(self) -> None:
        for callback in self._listeners:
            callback()

    def set_checked(self, rows: list[int], on: bool) -> None:
        ids = {self.vms[r].id for r in rows}
        self.checked = self.checked | ids if on else self.checked - ids
        if self.vms:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.vms) - 1, 0), [Qt.ItemDataRole.CheckStateRole])
        self._notify()

    def checked_vms(self) -> list[SourceVM]:
        return [vm for vm in self.vms if vm.id in self.checked]

    def totals(self) -> tuple[int, int, int, int]:
        """(VMs, CPUs, memory MiB, disk bytes) of the checked VMs."""
        vms = self.checked_vms()
        return (len(vms), sum(v.cpus for v in vms), sum(v.memory_mb for v in vms),
                sum(v.total_disk_bytes for v in vms))

    # -- sorting ---------------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [(i.row(), i.column()) for i in old]
        order_idx = sorted(range(len(self.vms)), key=lambda r: self._rows[r][1][column],
                           reverse=order == Qt.SortOrder.DescendingOrder)
        self.vms = [self.vms[r] for r in order_idx]
        self._rows = [self._rows[r] for r in order_idx]
        self.haystack = [self.haystack[r] for r in order_idx]
        if old:
            where = {r: n for n, r in enumerate(order_idx)}
            self.changePersistentIndexList(old, [self.index(where[r], c) for r, c in old_rows])
        self.layoutChanged.emit()


class InventoryFilter(QSortFilterProxyModel):
    """Search text (any column), power state, guest family and cluster/host, folder filters."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.power = ""
        self.family = ""
        self.place = ""  # cluster/host
        self.folder = ""
        self._accept: set[str] | None = None  # ids of the VMs passing the filters
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model) -> None:  # noqa: ANN001, N802
        self._accept = None
        super().setSourceModel(model)
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self._accept = None

    def set_filters(self, *, text: str | None = None, power: str | None = None, family: str | None = None,
                    place: str | None = None, folder: str | None = None) -> None:
        for name, value in (("text", text), ("power", power), ("family", family), ("place", place),
                            ("folder", folder)):
            if value is not None:
                setattr(self, name, value.lower() if name == "text" else value)
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self._recompute()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._recompute()
            self.invalidateRowsFilter()

    def _recompute(self) -> None:
        model: InventoryModel = self.sourceModel()  # type: ignore[assignment]
        words = self.text.split()
        result = set()
        for vm, hay in zip(model.vms, model.haystack, strict=True):
            ok = (all(w in hay for w in words)
                  and (not self.power or vm.power_state.value == self.power)
                  and (not self.family or (vm.guest.family or "other") == self.family)
                  and (not self.place or cluster_or_host(vm) == self.place)
                  and (not self.folder or vm.folder == self.folder))
            if ok:
                result.add(vm.id)
        self._accept = result

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802
        if self._accept is None:
            self._recompute()
        return self.sourceModel().vms[row].id in self._accept  # type: ignore[operator]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source model (fast, in Python); the proxy keeps the source order."""
        self.sourceModel().sort(column, order)

    def visible_source_rows(self) -> list[int]:
        return [self.mapToSource(self.index(r, 0)).row() for r in range(self.rowCount())]
