"""Inventory page: a searchable, filterable, sortable table of the source's VMs with check boxes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wizard.core.inventory import PowerState
from wizard.core.units import human_bytes
from wizard.ui.models.inventory import COLUMNS, InventoryFilter, InventoryModel, cluster_or_host
from wizard.ui.pages.base import Page, enter_activates

# What a sysadmin compares first comes first and stays in view at the default window size; the rest
# (cluster, folder, NICs, snapshots, tools) follows and is a scroll away. Only the view's order changes.
VIEW_ORDER = ("name", "power", "guest", "host", "cpus", "memory", "disk", "cluster", "folder", "nics", "snapshots",
              "tools")
# Widest a column starts (in average character widths): long guest OS names and paths are elided in the
# middle (the full text is in the tooltip) instead of pushing CPUs, memory and disks out of view.
START_CHARS = {"name": 22, "guest": 32, "host": 20, "cluster": 18, "folder": 18, "tools": 14}


class InventoryPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Which VMs do you want to move?"))
        self.setSubTitle(self.tr("Tick the VMs to migrate. Search and filters only change what is shown."))
        self.model = InventoryModel(parent=self)
        self.proxy = InventoryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.model.on_checked_changed(self._checked_changed)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search names, guest OS, hosts, folders…"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Search:"))
        search_label.setBuddy(self.search)
        self.power = QComboBox()
        self.power.addItem(self.tr("Any power state"), "")
        self.power.addItem(self.tr("Powered on"), PowerState.ON.value)
        self.power.addItem(self.tr("Powered off"), PowerState.OFF.value)
        self.power.addItem(self.tr("Suspended"), PowerState.SUSPENDED.value)
        self.family = QComboBox()
        self.family.addItem(self.tr("Any guest OS"), "")
        self.family.addItem(self.tr("Windows"), "windows")
        self.family.addItem(self.tr("Linux"), "linux")
        self.family.addItem(self.tr("Other"), "other")
        self.place = QComboBox()
        self.folder = QComboBox()
        for combo in (self.power, self.family, self.place, self.folder):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps "… 2019 (64-bit)" in view
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)  # fitting columns samples 200 rows, not 1000 (5,000 VMs: ~0.1 s)
        for visual, key in enumerate(VIEW_ORDER):
            header.moveSection(header.visualIndex(COLUMNS.index(key)), visual)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (else it is trapped there); arrows move inside
        self.table.activated.connect(self._toggle_row)
        enter_activates(self.table)

        self.select_visible = QPushButton(self.tr("Select all &visible"))
        self.clear = QPushButton(self.tr("C&lear selection"))
        self.totals = QLabel()
        self.totals.setObjectName("totals")

        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.power)
        filters.addWidget(self.family)
        filters.addWidget(self.place)
        filters.addWidget(self.folder)
        bottom = QHBoxLayout()
        bottom.addWidget(self.select_visible)
        bottom.addWidget(self.clear)
        bottom.addWidget(self.totals, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.search.textChanged.connect(lambda text: self.proxy.set_filters(text=text))
        self.power.currentIndexChanged.connect(lambda _i: self.proxy.set_filters(power=self.power.currentData()))
        self.family.currentIndexChanged.connect(lambda _i: self.proxy.set_filters(family=self.family.currentData()))
        self.place.currentIndexChanged.connect(lambda _i: self.proxy.set_filters(place=self.place.currentData()))
        self.folder.currentIndexChanged.connect(lambda _i: self.proxy.set_filters(folder=self.folder.currentData()))
        self.select_visible.clicked.connect(self.check_visible)
        self.clear.clicked.connect(lambda: self.model.set_checked(list(range(self.model.rowCount())), False))
        self.setTabOrder(self.search, self.power)
        self._guest_full = 0  # the guest OS column's content width, set by size_columns

    def initializePage(self) -> None:  # noqa: N802
        inventory = self.state.inventory
        vms = inventory.vms if inventory else []
        if self.model.vms is not vms and [v.id for v in self.model.vms] != [v.id for v in vms]:
            self.model.set_vms(vms)
            self.model.checked = set(self.state.selected)
        self._fill(self.place, self.tr("Any cluster or host"), sorted({cluster_or_host(v) for v in vms} - {""}))
        self._fill(self.folder, self.tr("Any folder"), sorted({v.folder for v in vms} - {""}))
        self.size_columns()
        self._checked_changed()

    def size_columns(self) -> None:
        """Fit columns to their contents, but no wider than ``START_CHARS`` (users can still widen them);
        room left over in a wide window goes to the guest OS, the first column to be elided."""
        self.table.resizeColumnsToContents()
        char = self.table.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        self._guest_full = header.sectionSize(COLUMNS.index("guest"))
        for key, chars in START_CHARS.items():
            col = COLUMNS.index(key)
            header.resizeSection(col, min(header.sectionSize(col), chars * char + 16))
        self._spread()

    def _spread(self) -> None:
        header = self.table.horizontalHeader()
        guest, last = COLUMNS.index("guest"), header.logicalIndex(header.count() - 1)
        used = sum(header.sectionSize(c) for c in range(header.count()) if c != last)
        spare = self.table.viewport().width() - used - header.sectionSizeHint(last)
        if spare > 0 and header.sectionSize(guest) < self._guest_full:
            header.resizeSection(guest, min(self._guest_full, header.sectionSize(guest) + spare))

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - a wider window shows more of the guest OS
        super().resizeEvent(event)
        self._spread()

    @staticmethod
    def _fill(combo: QComboBox, any_text: str, values: list[str]) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_text, "")
        for value in values:
            combo.addItem(value, value)
        combo.blockSignals(False)
        combo.setVisible(len(values) > 1)

    def _toggle_row(self, index) -> None:  # noqa: ANN001 - Enter/double-click toggles the row's box
        src = self.proxy.mapToSource(index)
        vm = self.model.vms[src.row()]
        self.model.set_checked([src.row()], vm.id not in self.model.checked)

    def check_visible(self) -> None:
        self.model.set_checked(self.proxy.visible_source_rows(), True)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Back from a later page shows this page again
        """Show the one selection (``WizardState.selected``): a VM unticked on the Compatibility page is
        unticked here too, so Back and Next keep it out."""
        super().showEvent(event)
        wizard = self.wizard()
        if wizard is None or not self.model.vms:
            return
        wanted = set(self.state.selected)
        if wanted != self.model.checked:
            rows = list(range(len(self.model.vms)))
            self.model.set_checked(rows, False)
            self.model.set_checked([r for r in rows if self.model.vms[r].id in wanted], True)

    def _checked_changed(self) -> None:
        if self.wizard() is not None and self.model.vms:
            self.state.select(vm.id for vm in self.model.checked_vms())  # one selection for every page
        count, cpus, memory_mb, disk = self.model.totals()
        self.totals.setText(self.tr("Selected: %1 of %2 VMs · %3 CPUs · %4 memory · %5 disks")
                            .replace("%1", str(count)).replace("%2", str(len(self.model.vms)))
                            .replace("%3", str(cpus)).replace("%4", human_bytes(memory_mb * 1024 * 1024))
                            .replace("%5", human_bytes(disk)))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.model.checked)

    def validatePage(self) -> bool:  # noqa: N802
        self.state.select(vm.id for vm in self.model.checked_vms())
        return True
