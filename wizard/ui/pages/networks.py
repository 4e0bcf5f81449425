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
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard.app.planning import MAC_CHOICES
from wizard.core.plan import NetworkMapping
from wizard.ui.pages.base import Page, tab_through_cells


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
        # what the switch names mean where the VMs are made, and what is odd about the current mapping
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.where.setObjectName("switchNote")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)  # quotes switch names
        self.warning.setObjectName("switchWarning")
        self.one_switch_prompt: QMessageBox | None = None
        self._confirmed: list[NetworkMapping] | None = None  # the all-to-one mapping the user said yes to
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning)
        layout.addLayout(mac_row)
        layout.addWidget(self.reapply)

    def initializePage(self) -> None:  # noqa: N802
        counts: dict[str, set[str]] = {}
        for vm in self.state.selected_vms():
            for nic in vm.nics:
                counts.setdefault(nic.network or "", set()).add(vm.name)
        previous = {m.source_network: m for m in self.state.network_map}
        switches = self.state.target_info.switches if self.state.target_info else []
        on_host = self.state.target is not None and self.state.target.kind == "hyperv"
        if on_host:
            self.where.setText(self.tr("The lists hold the virtual switches of %1. A network you leave without a "
                                       "switch gets an adapter that is not connected.").replace(
                                           "%1", self.state.target.describe()))
        else:
            self.where.setText(self.tr(
                "A bundle is imported later, so hvmigrate cannot list that host's switches: each network starts "
                "with its own name. Each name must be a virtual switch that exists on the Hyper-V host where "
                "Create-VM.ps1 is run; if one does not, the script stops before creating the VM and names the "
                "missing switch (it creates no switches). Type the host's switch names, or leave a name empty "
                "for an adapter that is not connected."))
        tip = (self.tr("A virtual switch on the Hyper-V host.") if on_host else
               self.tr("The name of a virtual switch that exists on the Hyper-V host where the bundle is imported; "
                       "Create-VM.ps1 does not create switches."))
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
            same = next((s for s in switches if s.lower() == network.lower()), "")
            switch.setEditText(old.switch if old else (same or (switches[0] if switches else network)))
            switch.setToolTip(tip)
            switch.editTextChanged.connect(lambda _text: self._check_mapping())
            self.table.setCellWidget(row, 2, switch)
            vlan = QSpinBox()
            vlan.setRange(0, 4094)
            vlan.setValue((old.vlan_id or 0) if old else 0)
            vlan.valueChanged.connect(lambda _v: self._check_mapping())
            self.table.setCellWidget(row, 3, vlan)
        self.keep_mac.setCurrentIndex(max(0, self.keep_mac.findData(self.state.keep_macs)))
        self.reapply.setChecked(self.state.reapply_ips)
        self._check_mapping()
        tab_through_cells(self.table, (self.keep_mac, self.reapply))  # Tab: the table, its cells, the rest

    def mapping(self) -> list[NetworkMapping]:
        out = []
        for row in range(self.table.rowCount()):
            network = self.table.item(row, 0).data(256)
            switch: QComboBox = self.table.cellWidget(row, 2)  # type: ignore[assignment]
            vlan: QSpinBox = self.table.cellWidget(row, 3)  # type: ignore[assignment]
            out.append(NetworkMapping(network, switch.currentText().strip(), vlan.value() or None))
        return out

    def one_switch(self) -> str:
        """The switch every source network goes to, when there are several networks and all go to one switch
        and VLAN (different VLANs still keep them apart)."""
        used = {(m.switch, m.vlan_id) for m in self.mapping()}
        switch = next(iter(used))[0] if len(used) == 1 else ""
        return switch if self.table.rowCount() > 1 else ""

    def _check_mapping(self) -> None:
        """Say what is odd: every network on one switch (VMs that were kept apart will share a network), or a
        switch the host does not have (the VM would not be created)."""
        notes = []
        one = self.one_switch()
        if one:
            notes.append(self.tr("⚠ Every network goes to the switch “%1”: VMs and adapters that were on separate "
                                 "networks will share one network.").replace("%1", one))
        info, target = self.state.target_info, self.state.target
        if target is not None and target.kind == "hyperv" and info is not None:
            missing = sorted({m.switch for m in self.mapping() if m.switch and m.switch not in info.switches})
            if missing:
                notes.append(self.tr("⚠ Not a virtual switch of this host: %1. VMs with an adapter on it are not "
                                     "created.").replace("%1", self.list_separator().join(missing)))
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))

    def validatePage(self) -> bool:  # noqa: N802
        """Keep the answers; every network on one switch is asked about first (once per mapping)."""
        one = self.one_switch()
        if one and self._confirmed != self.mapping():
            self._ask_one_switch(one)
            return False
        self.state.network_map = self.mapping()
        self.state.keep_macs = self.keep_mac.currentData() or "manual"
        self.state.reapply_ips = self.reapply.isChecked()
        return True

    def _ask_one_switch(self, switch: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Put every network on one switch?"),
                          self.tr("All %n source network(s) go to the virtual switch “%1”.", "",
                                  self.table.rowCount()).replace("%1", switch),
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(self.tr("VMs and adapters that were on separate networks (for example a database "
                                       "network or a cluster heartbeat) will share one network, unless VLANs keep "
                                       "them apart."))
        keep = box.addButton(self.tr("&Use one switch"), QMessageBox.ButtonRole.AcceptRole)
        change = box.addButton(self.tr("&Change the switches"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(change)
        mapping = self.mapping()

        def answered() -> None:
            self.one_switch_prompt = None
            if box.clickedButton() is keep:
                self._confirmed = mapping
                self.wiz.next()

        box.finished.connect(answered)
        self.one_switch_prompt = box
        box.open()
