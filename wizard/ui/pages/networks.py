"""Networks page: each source network → a Hyper-V virtual switch and VLAN; which MACs to keep; re-apply static
IPs. The answers are plan settings with command-line twins (``--map-network``, ``--set nic.static_mac``,
``--set fixups.reapply_static_ips``; see :mod:`wizard.app.planning`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard.app.planning import MAC_CHOICES
from wizard.core.plan import NetworkMapping
from wizard.ui.pages.base import Page


class NetworksPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Which networks should the VMs join?"))
        self.setSubTitle(self.tr("Pick the Hyper-V virtual switch (and VLAN, if any) for each network the VMs "
                                 "use now. Leave the switch empty to leave the adapter disconnected."))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Source network"), self.tr("VMs"), self.tr("Virtual switch"),
                                              self.tr("VLAN (0 = none)")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.keep_mac = QComboBox()
        for value, text in zip(MAC_CHOICES, (self.tr("Keep MAC addresses that were set by hand; Hyper-V assigns the "
                                                     "others"),
                                             self.tr("Keep every adapter's MAC address"),
                                             self.tr("Let Hyper-V assign new MAC addresses")), strict=True):
            self.keep_mac.addItem(text, value)
        self.keep_mac.setToolTip(self.tr("Licences and DHCP reservations often depend on a MAC address. "
                                         "Addresses VMware assigned itself are in VMware's range."))
        mac_label = QLabel(self.tr("&MAC addresses:"))
        mac_label.setBuddy(self.keep_mac)
        self.reapply = QCheckBox(self.tr("&Re-apply static IP addresses inside the guests that have them"))
        mac_row = QHBoxLayout()
        mac_row.addWidget(mac_label)
        mac_row.addWidget(self.keep_mac, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(mac_row)
        layout.addWidget(self.reapply)

    def initializePage(self) -> None:  # noqa: N802
        counts: dict[str, set[str]] = {}
        for vm in self.state.selected_vms():
            for nic in vm.nics:
                counts.setdefault(nic.network or "", set()).add(vm.name)
        previous = {m.source_network: m for m in self.state.network_map}
        switches = self.state.target_info.switches if self.state.target_info else []
        self.table.setRowCount(0)
        for network in sorted(counts):
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = QTableWidgetItem(network or self.tr("(not connected)"))
            name.setData(256, network)
            count = QTableWidgetItem(str(len(counts[network])))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for item in (name, count):  # facts about the source, not settings: not editable
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, count)
            switch = QComboBox()
            switch.setEditable(True)
            switch.addItems(switches)
            old = previous.get(network)
            switch.setEditText(old.switch if old else (switches[0] if switches else network))
            switch.setToolTip(self.tr("A switch on the Hyper-V host; in a bundle it is created or matched on import."))
            self.table.setCellWidget(row, 2, switch)
            vlan = QSpinBox()
            vlan.setRange(0, 4094)
            vlan.setValue((old.vlan_id or 0) if old else 0)
            self.table.setCellWidget(row, 3, vlan)
        self.keep_mac.setCurrentIndex(max(0, self.keep_mac.findData(self.state.keep_macs)))
        self.reapply.setChecked(self.state.reapply_ips)

    def mapping(self) -> list[NetworkMapping]:
        out = []
        for row in range(self.table.rowCount()):
            network = self.table.item(row, 0).data(256)
            switch: QComboBox = self.table.cellWidget(row, 2)  # type: ignore[assignment]
            vlan: QSpinBox = self.table.cellWidget(row, 3)  # type: ignore[assignment]
            out.append(NetworkMapping(network, switch.currentText().strip(), vlan.value() or None))
        return out

    def validatePage(self) -> bool:  # noqa: N802
        self.state.network_map = self.mapping()
        self.state.keep_macs = self.keep_mac.currentData() or "manual"
        self.state.reapply_ips = self.reapply.isChecked()
        return True
