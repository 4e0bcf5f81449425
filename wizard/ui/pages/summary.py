"""Summary page: the final plan with space and time estimates; save it; Start begins the migration."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget, QWizard

from wizard.core.findings import Severity
from wizard.core.plan import DiskType, Plan
from wizard.core.units import human_bytes, human_duration
from wizard.ui.pages.base import BusyBar, Page

ASSUMED_RATE = 150 * 1024 * 1024  # bytes/s for the time estimate: a typical single-disk conversion


def finalize(plan: Plan, network_map: list, keep_mac: bool, reapply_ips: bool) -> Plan:
    """Apply the Networks page's answers to every NIC and fix-up of ``plan`` (plain data, in place)."""
    by_net = {m.source_network: m for m in network_map}
    plan.network_map = list(network_map)
    for item in plan.items:
        for nic in item.target.nics:
            src = item.vm.nics[nic.source_index] if 0 <= nic.source_index < len(item.vm.nics) else None
            m = by_net.get(src.network if src else "")
            if m is not None:
                nic.switch, nic.vlan_id = m.switch, m.vlan_id
            nic.static_mac = (src.mac if src and keep_mac else "")
        item.target.fixups.reapply_static_ips = reapply_ips
    return plan


def estimate(plan: Plan) -> tuple[int, float]:
    """(bytes needed on the target, seconds): fixed disks take their full size, dynamic ones the source's."""
    space = 0
    for item in plan.items:
        for disk in item.target.disks:
            if disk.include:
                space += disk.capacity_bytes
    seconds = space / ASSUMED_RATE if space else 0.0
    dynamic_share = [d.type is DiskType.DYNAMIC for it in plan.items for d in it.target.disks]
    if dynamic_share and all(dynamic_share):
        space = int(space * 0.6)  # dynamic VHDX holds only used blocks; sources are rarely more than 60% full
    return space, seconds


class SummaryPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ready to migrate"))
        self.setSubTitle(self.tr("Check the plan. Save it to run it later from the command line, or start now."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Start migration"))
        self.text = QTextBrowser()
        self.save = QPushButton(self.tr("Sa&ve plan…"))
        self.status = BusyBar()
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self.save.clicked.connect(lambda: self.save_plan())
        self.plan: Plan | None = None

    def initializePage(self) -> None:  # noqa: N802
        self.plan = None
        self.text.setHtml(html.escape(self.tr("Preparing the plan…")))
        page = self.wiz.page(self.wiz.TEMPLATE)
        page.plan_ready.connect(self._ready, Qt.ConnectionType.SingleShotConnection)
        page.rebuild()  # with the network map from the previous page
        self.job = page.job
        self.completeChanged.emit()

    def _ready(self) -> None:
        self.job = None
        st = self.state
        if st.plan is None:
            self.text.setHtml(html.escape(self.tr("The plan could not be built; go back to the templates page.")))
            self.completeChanged.emit()
            return
        self.plan = finalize(st.plan, st.network_map, st.keep_mac, st.reapply_ips)
        self.text.setHtml(self.render(self.plan))
        self.completeChanged.emit()

    def render(self, plan: Plan) -> str:
        st = self.state
        space, seconds = estimate(plan)
        free = st.target_info.free_bytes if st.target_info else None
        e = html.escape
        rows = []
        for item in plan.items:
            t = item.target
            disks = sum(d.capacity_bytes for d in t.disks if d.include)
            nets = self.list_separator().join(sorted({n.switch or self.tr("not connected") for n in t.nics})) or "-"
            warnings = sum(f.severity is Severity.WARNING for f in (st.assessments.get(item.vm.id).findings
                                                                     if item.vm.id in st.assessments else []))
            rows.append(f"<tr><td>{e(t.name)}</td><td>{t.generation}</td><td>{t.cpus}</td>"
                        f"<td>{e(human_bytes(t.memory.startup_mb * 1024 * 1024))}</td>"
                        f"<td>{len(t.disks)} · {e(human_bytes(disks))}</td><td>{e(nets)}</td><td>{warnings}</td></tr>")
        # bottom: a Latin-only header ("CPU") next to taller CJK ones would otherwise sit higher than its neighbours
        head = "".join(f"<th align=left valign=bottom>{e(h)}</th>" for h in (
            self.tr("VM"), self.tr("Generation"), self.tr("CPUs"), self.tr("Memory"), self.tr("Disks"),
            self.tr("Switches"), self.tr("Warnings")))
        from_label, to_label = self.tr("From:"), self.tr("To:")
        lines = [
            f"<p><b>{e(from_label)}</b> {e(self.source_name(st.source, st.source_text))}<br>"
            f"<b>{e(to_label)}</b> {e(st.target.describe() if st.target else '')}</p>",
            f"<table cellspacing=0 cellpadding=4 width='100%'><tr>{head}</tr>{''.join(rows)}</table>",
            "<p>" + e(self.tr("Estimated space needed: %1. Estimated time: %2 (at about 150 MiB/s).")
                      .replace("%1", human_bytes(space)).replace("%2", human_duration(seconds))) + "</p>",
        ]
        if free is not None and free < space:
            lines.append("<p><b>" + e(self.tr("Not enough free space on the target: %1 free.")
                                      .replace("%1", human_bytes(free))) + "</b></p>")
        return "".join(lines)

    def save_plan(self, path: str | None = None) -> None:
        if self.plan is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the plan"), "plan.json",
                                                  self.tr("Plan files (*.json)"))
            if not path:
                return
        plan = self.plan
        self.run(lambda _p, _c: plan.save(path), lambda _r: self._saved(path), busy=self.status,
                 text=self.tr("Saving…"))

    def _saved(self, path: str) -> None:
        self.state.plan_path = path
        self.status.stop(self.tr("Plan saved to %1.").replace("%1", path))

    def isComplete(self) -> bool:  # noqa: N802
        return self.plan is not None and bool(self.plan.items) and not self.busy

    def validatePage(self) -> bool:  # noqa: N802
        self.state.plan = self.plan
        return self.plan is not None
