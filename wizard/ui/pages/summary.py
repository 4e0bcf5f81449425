"""Summary page: everything the migration will do, VM by VM, before anything is done; save the plan; start.

Per VM: how the source is read (a snapshot, a shutdown, as it is), the disks and their format, every adapter's
switch, VLAN and MAC, static IPs, Secure Boot and TPM, checkpoints, start and stop actions, and the warnings
themselves. Then the VMs left out and why, and where everything goes. *Start migration* is never the default
button and Enter starts nothing: a migration snapshots or shuts down source VMs, so it starts only when the
user presses that button (an earlier, interrupted run of the same plan is offered for resuming first).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from wizard.app.migration import REFUSE, RESTART, RESUME, InterruptedWork
from wizard.app.targets import bundle_folders_in_use
from wizard.core.errors import HvmError
from wizard.core.findings import Severity
from wizard.core.inventory import PowerState
from wizard.core.plan import ASSUMED_RATE, DiskType, Plan, PlanItem
from wizard.core.text import visible
from wizard.core.units import human_bytes
from wizard.ui.errors import ask_resume, show_error
from wizard.ui.finding_fixes import fix_text, secure_boot_template_name
from wizard.ui.finding_titles import text as shown_text
from wizard.ui.finding_titles import title as finding_title
from wizard.ui.pages.base import BusyBar, Page

LEFT_OUT_SHOWN = 50  # names listed under "Left out"; the rest are counted


class SummaryPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ready to migrate"))
        self.setSubTitle(self.tr("Check what will happen to each VM. Save the plan to run it later from the command "
                                 "line, or press Start migration."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Start migration"))
        self.text = QTextBrowser()
        self.save = QPushButton(self.tr("Sa&ve plan…"))
        self.status = BusyBar()
        self.fixups = QCheckBox(self.tr("Run the guest &fix-ups after creating each VM (remove VMware Tools, "
                                        "re-apply static IPs, bring disks online)"))
        self.fixups.setToolTip(self.tr("On a Hyper-V host they run inside the new guest; for a bundle they are "
                                       "written down as steps to follow after the import."))
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.fixups)
        layout.addLayout(row)
        self.save.clicked.connect(lambda: self.save_plan())
        self.fixups.toggled.connect(lambda _on: self._rerender())
        self.plan: Plan | None = None
        self.in_use: list[str] = []  # VMs whose bundle folder exists already
        self.interrupted_prompt: QMessageBox | None = None
        self._started = False
        self._had_no_default: bool | None = None  # the wizard's NoDefaultButton option before this page

    # -- Start is an explicit action -----------------------------------------------------------------------

    def _no_default_button(self, on: bool) -> None:
        """While this page is shown the wizard has no default button, so Enter presses nothing; the option is
        put back as it was when the page is left."""
        wizard = self.wizard()
        if wizard is None:
            return
        option = QWizard.WizardOption.NoDefaultButton
        if on:
            if self._had_no_default is None:
                self._had_no_default = wizard.testOption(option)
            wizard.setOption(option, True)
        elif self._had_no_default is not None:
            wizard.setOption(option, self._had_no_default)
            self._had_no_default = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter and Return start nothing here (they would reach the wizard's button otherwise): say how."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.status.stop(self.tr("Enter does not start the migration: press Start migration when you are "
                                     "ready."))
            event.accept()
            return
        super().keyPressEvent(event)

    def cleanupPage(self) -> None:  # noqa: N802 - Back
        self._no_default_button(False)
        super().cleanupPage()

    # -- the plan ----------------------------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802
        self._no_default_button(True)
        self.plan = None
        self.in_use = []
        self._started = False
        self.fixups.setChecked(self.state.fixups)
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
            self.text.setHtml(html.escape(self.tr("The plan could not be built; go back to the Template page, "
                                                  "where the problem is shown.")))
            self.completeChanged.emit()
            return
        plan = st.plan
        target = st.target
        names = [item.target.name for item in plan.items]
        if target is not None and target.kind == "bundle":
            # which bundle folders exist already: BundleTarget will not overwrite them (a look at the disk)
            self.run(lambda _p, _c: bundle_folders_in_use(target, names), lambda used: self._show(plan, used),
                     busy=self.status, text=self.tr("Looking at the bundle folder…"))
        else:
            self._show(plan, [])

    def _show(self, plan: Plan, in_use: list[str]) -> None:
        self.plan, self.in_use = plan, in_use
        self.text.setHtml(self.render(plan))
        self.completeChanged.emit()

    def _rerender(self) -> None:
        if self.plan is not None:
            self.text.setHtml(self.render(self.plan))

    def duration(self, seconds: float) -> str:
        """A time estimate for people: "1 h 05 min", "12 min", "less than a minute" (never "22:45", which reads
        as a time of day)."""
        if seconds < 60:
            return self.tr("less than a minute")
        hours, minutes = divmod(round(seconds / 60), 60)
        if hours:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", f"{minutes:02d}")
        return self.tr("%1 min").replace("%1", str(minutes))

    def render(self, plan: Plan) -> str:
        st = self.state
        e = html.escape
        space, seconds = plan.estimate()
        free = st.target_info.free_bytes if st.target_info else None
        # each tr() on a line of its own: pyside6-lupdate does not see one inside an f-string
        label_from = self.tr("From:")
        label_to = self.tr("To:")
        label_where = self.tr("Where:")
        parts = [
            f"<p><b>{e(label_from)}</b> {e(self.source_name(st.source, st.source_text))}<br>"
            f"<b>{e(label_to)}</b> {e(st.target.describe() if st.target else '')}<br>"
            f"<b>{e(label_where)}</b> {e(self._where())}</p>",
            self._source_changes(plan),
            "<p>" + e(self.tr("Estimated space needed: %1. Estimated time: %2 (at about %3/s).")
                      .replace("%1", human_bytes(space)).replace("%2", self.duration(seconds))
                      .replace("%3", human_bytes(ASSUMED_RATE))) + "</p>",
        ]
        if free is not None and free < space:
            parts.append("<p><b>" + e(self.tr("Not enough free space on the target: %1 free.")
                                      .replace("%1", human_bytes(free))) + "</b></p>")
        if self.in_use:
            parts.append("<p><b>" + e(self.tr("⚠ The bundle folder already holds a folder for: %1. Those VMs stop "
                                              "with an error instead of overwriting it; remove the folders or "
                                              "choose another bundle folder.")
                                      .replace("%1", self.list_separator().join(self.in_use))) + "</b></p>")
        heading = self.tr("What happens to each VM (%1)").replace("%1", str(len(plan.items)))
        parts.append(f"<h3>{e(heading)}</h3>")
        parts += [self._vm(item) for item in plan.items]
        parts.append(self._left_out(plan))
        return "".join(parts)

    def _source_changes(self, plan: Plan) -> str:
        """What the migration does to the source VMs, counted: the first thing to know before pressing Start."""
        e = html.escape
        snap = sum(item.source_policy == "snapshot" for item in plan.items)
        down = sum(item.source_policy == "shutdown" for item in plan.items)
        live = sum(item.source_policy == "as-is" and item.vm.power_state is PowerState.ON for item in plan.items)
        synced = sum(item.source_policy == "sync" for item in plan.items)
        lines = []
        if synced:
            lines.append(self.tr("%n VM(s) are synchronised while they run: changed block tracking is turned on "
                                 "where it is off, and each sync takes a snapshot and removes it. When you click Cut "
                                 "over on the Progress page they are shut down through VMware Tools and stay off.",
                                 "", synced))
        if snap:
            lines.append(self.tr("%n running VM(s) get a snapshot for the copy; it is removed afterwards and the "
                                 "VMs keep running.", "", snap))
        if down:
            lines.append(self.tr("%n VM(s) are shut down before the copy and stay off.", "", down))
        if live:
            lines.append(self.tr("%n running VM(s) are copied as they are: the copies may be inconsistent.", "",
                                 live))
        if not lines:
            lines.append(self.tr("Nothing is changed on the source: the VMs are read as they are."))
        label = self.tr("On the source:")
        return f"<p><b>{e(label)}</b> " + " ".join(e(line) for line in lines) + "</p>"

    def _where(self) -> str:
        st = self.state
        target, info = st.target, st.target_info
        if target is None:
            return ""
        if target.kind == "bundle":
            return self.tr("one folder per VM in %1, with its disks and Create-VM.ps1 to run on the Hyper-V host")\
                .replace("%1", target.folder)
        vms = st.vm_path or (info.vm_path if info else "") or self.tr("the host's default folder")
        disks = (f"{info.disk_path}\\hvmigrate\\<VM>" if info is not None and info.disk_path else
                 target.share or self.tr("the host's disk share"))
        return self.tr("VMs in %1; disks in %2").replace("%1", vms).replace("%2", disks)

    def _vm(self, item: PlanItem) -> str:
        e = html.escape
        t, vm = item.target, item.vm
        memory = human_bytes(t.memory.startup_mb * 1024 * 1024)
        if t.memory.dynamic:
            memory = self.tr("%1 dynamic (%2 – %3)").replace("%1", memory).replace(
                "%2", human_bytes(t.memory.minimum_mb * 1024 * 1024)).replace(
                "%3", human_bytes(t.memory.maximum_mb * 1024 * 1024))
        head = self.tr("Generation %1 · %2 CPU(s) · memory %3").replace("%1", str(t.generation)).replace(
            "%2", str(t.cpus)).replace("%3", memory)
        lines = [self.tr("Source: %1").replace("%1", self._policy(item))]
        between = self.tr("; ", "separator between items that hold commas")
        lines.append(self.tr("Disks: %1").replace("%1", between.join(self._disks(item)) or "-"))
        lines.append(self.tr("Network: %1").replace("%1", between.join(self._nics(item)) or "-"))
        ips = self._ips(item)
        if ips:
            lines.append(ips)
        lines.append(self.tr("Firmware: %1").replace("%1", self._firmware(item)))
        stop = {"ShutDown": self.tr("shut the guest down"), "Save": self.tr("save its state"),
                "TurnOff": self.tr("turn it off")}.get(t.automatic_stop_action, t.automatic_stop_action)
        start = {"Nothing": self.tr("do nothing"), "StartIfRunning": self.tr("start if it was running"),
                 "Start": self.tr("always start")}.get(t.automatic_start_action, t.automatic_start_action)
        checkpoints = {"Disabled": self.tr("disabled"), "Production": self.tr("production"),
                       "ProductionOnly": self.tr("production only"), "Standard": self.tr("standard")}.get(
            t.checkpoint_type, t.checkpoint_type)
        lines.append(self.tr("Checkpoints: %1 · when the host starts: %2 · when it shuts down: %3")
                     .replace("%1", checkpoints).replace("%2", start).replace("%3", stop))
        a = self.state.plan_assessments.get(vm.id)
        warnings = [f for f in (a.findings if a is not None else []) if f.severity is Severity.WARNING]
        body = "<br>".join(e(line) for line in lines)
        for f in warnings:
            body += "<br>⚠ <b>" + e(finding_title(f.title)) + "</b>: " + e(shown_text(f.message))
            fix = fix_text(f)
            if fix:
                body += " " + e(fix)
        return f"<p><b>{e(visible(t.name))}</b> — {e(head)}<br>{body}</p>"

    def _policy(self, item: PlanItem) -> str:
        if item.source_policy == "snapshot":
            return self.tr("copied from a snapshot taken for the copy (removed afterwards); the VM keeps running")
        if item.source_policy == "shutdown":
            return self.tr("shut down before the copy; it stays off once migrated")
        if item.source_policy == "sync":
            return self.tr("synchronised while it runs, every %n minute(s) and on Sync now; shut down through VMware "
                           "Tools when you cut it over, and it stays off", "", self.state.sync_interval)
        if item.vm.power_state is PowerState.ON:
            return self.tr("copied as it is while it runs: the copy may be inconsistent")
        return self.tr("copied as it is (it is not running)")

    def _disks(self, item: PlanItem) -> list[str]:
        out = []
        for d in item.target.disks:
            src = item.vm.disks[d.source_index] if d.source_index < len(item.vm.disks) else None
            label = (src.label if src is not None and src.label else self.tr("disk %1").replace("%1",
                                                                                               str(d.source_index)))
            if not d.include:
                out.append(self.tr("%1: left out").replace("%1", label))
                continue
            kind = self.tr("dynamically expanding") if d.type is DiskType.DYNAMIC else self.tr("fixed size")
            out.append(self.tr("%1 (%2) → %3, %4 %5, %6 %7:%8").replace("%1", label)
                       .replace("%2", human_bytes(d.capacity_bytes)).replace("%3", d.file_name)
                       .replace("%4", d.format.value.upper()).replace("%5", kind)
                       .replace("%6", d.controller.value.upper()).replace("%7", str(d.controller_number))
                       .replace("%8", str(d.location)))
        return out

    def _nics(self, item: PlanItem) -> list[str]:
        out = []
        for n in item.target.nics:
            src = item.vm.nics[n.source_index] if n.source_index < len(item.vm.nics) else None
            name = n.name + (f" ({src.network})" if src is not None and src.network else "")
            if not n.switch:
                where = self.tr("not connected")
            elif n.vlan_id:
                where = self.tr("switch “%1”, VLAN %2").replace("%1", n.switch).replace("%2", str(n.vlan_id))
            else:
                where = self.tr("switch “%1”, no VLAN").replace("%1", n.switch)
            mac = (self.tr("MAC %1 kept").replace("%1", n.static_mac) if n.static_mac
                   else self.tr("new MAC from Hyper-V"))
            out.append(self.tr("%1 → %2, %3").replace("%1", name).replace("%2", where).replace("%3", mac))
        return out

    def _ips(self, item: PlanItem) -> str:
        static = [ip.address for ip in item.vm.guest_ips if ip.origin == "manual"]
        if not static:
            return ""
        shown = self.list_separator().join(static)
        if not item.target.fixups.reapply_static_ips:
            return self.tr("Static IP addresses %1: not re-applied (set them again in the guest)").replace("%1", shown)
        if not self.fixups.isChecked():
            return self.tr("Static IP addresses %1: not re-applied, because the guest fix-ups are off").replace(
                "%1", shown)
        return self.tr("Static IP addresses %1: re-applied inside the guest by the fix-ups").replace("%1", shown)

    def _firmware(self, item: PlanItem) -> str:
        t = item.target
        if t.generation == 1:
            return self.tr("BIOS (no Secure Boot, no TPM)")
        secure = (self.tr("Secure Boot on (%1 template)").replace(
            "%1", secure_boot_template_name(t.secure_boot_template))
                  if t.secure_boot else self.tr("Secure Boot off"))
        tpm = self.tr("virtual TPM on (new and empty)") if t.tpm else self.tr("no virtual TPM")
        return self.tr("UEFI, %1, %2").replace("%1", secure).replace("%2", tpm)

    def _left_out(self, plan: Plan) -> str:
        """The source's VMs that are not migrated, each with the reason."""
        e = html.escape
        st = self.state
        planned = {item.vm.id for item in plan.items}
        vms = [vm for vm in (st.inventory.vms if st.inventory else []) if vm.id not in planned]
        if not vms:
            return ""
        rows = []
        for vm in vms[:LEFT_OUT_SHOWN]:
            a = st.plan_assessments.get(vm.id) or st.assessments.get(vm.id)
            blockers = [finding_title(f.title) for f in (a.findings if a else []) if f.severity is Severity.BLOCKER]
            if blockers:
                why = self.tr("not ticked; blocked: %1").replace("%1", self.list_separator().join(blockers))
            else:
                why = self.tr("not ticked")
            rows.append(f"<li>{e(visible(vm.name))} — {e(why)}</li>")
        more = len(vms) - LEFT_OUT_SHOWN
        if more > 0:
            rows.append("<li>" + e(self.tr("and %n more, not ticked", "", more)) + "</li>")
        head = self.tr("Left out (%1)").replace("%1", str(len(vms)))
        return f"<h3>{e(head)}</h3><ul>{''.join(rows)}</ul>"

    # -- saving and starting -------------------------------------------------------------------------------

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
        """Start: prepare the migration (re-check, target, journal); an interrupted run of the same plan into
        the same target is offered for resuming instead of being thrown away."""
        if self._started:
            return True
        if self.plan is None:
            return False
        self.state.plan, self.state.fixups = self.plan, self.fixups.isChecked()
        return self._begin(REFUSE)

    def _begin(self, existing: str) -> bool:
        try:
            self.wiz.prepare_migration(existing)
        except InterruptedWork:
            self._ask_interrupted()
            return False
        except HvmError as exc:
            self.wiz.error_dialog = show_error(self, exc, self.tr("The migration cannot start"))
            return False
        self._started = True
        self._no_default_button(False)  # the next pages have their default button again
        return True

    def _ask_interrupted(self) -> None:
        def answered(choice: str) -> None:
            self.interrupted_prompt = None
            chosen = {"resume": RESUME, "other": RESTART}.get(choice)
            if chosen is not None and self._begin(chosen):
                self.wiz.next()

        self.interrupted_prompt = ask_resume(
            self, self.tr("Resume the earlier migration?"),
            self.tr("An earlier migration of these VMs to this target stopped before it finished."),
            self.tr("Resuming keeps the VMs and disks it finished. Starting over converts everything again."),
            self.tr("&Resume"), self.tr("Start &over"), self.tr("Cancel"), answered)
