"""Done page: what happened, counted by outcome (migrated / failed / cancelled / skipped / left out); for an
import bundle the one required step on the Hyper-V host first (only when a VM was migrated); why each VM that
was not migrated was not, and the way back to retry it; what to check on each new VM with that VM's own items
(static addresses to set by hand, data disks to bring online); the report and the output folder.

The migration stays open here, so a VM can still be retried (Back to the migration returns to the Progress
page); the window closes it when the wizard is finished or closed.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from wizard.app.reports import write_assessment_report
from wizard.app.sync import UNTIL_STARTED
from wizard.app.targets import BUNDLE_IMPORT_COMMANDS, BUNDLE_SCRIPT
from wizard.core.plan import PlanItem
from wizard.core.units import human_bytes
from wizard.ui.errors import describe, message_of
from wizard.ui.finding_fixes import WIZARD_WORDS
from wizard.ui.pages.base import BusyBar, Page
from wizard.ui.run_adapter import CANCELLED, DONE, FAILED, SKIPPED

LEFT_OUT = "left out"  # a VM the re-check before the run left out (it never ran)


class DonePage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Finished"))
        self.setFinalPage(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setObjectName("result")
        self.checklist = QTextBrowser()
        self.back_to_run = QPushButton(self.tr("Back to the &migration"))
        self.back_to_run.setToolTip(self.tr("Return to the Progress page to retry the VMs that were not migrated"))
        self.open_folder = QPushButton(self.tr("&Open output folder"))
        self.open_report = QPushButton(self.tr("Open the &report"))
        self.status = BusyBar()
        row = QHBoxLayout()
        row.addWidget(self.back_to_run)
        row.addWidget(self.open_folder)
        row.addWidget(self.open_report)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result)
        layout.addWidget(self.checklist, 1)
        layout.addLayout(row)
        self.back_to_run.clicked.connect(self.go_back_to_run)
        self.open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.output_folder())))
        self.open_report.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.state.report_path)))

    def output_folder(self) -> str:
        t = self.state.target
        return t.folder if t is not None and t.kind == "bundle" else str(Path.home())

    # -- what happened ---------------------------------------------------------------------------------

    def outcomes(self) -> dict[str, str]:
        """Every VM of the plan and how it ended: done | failed | cancelled | skipped (as the Progress page
        showed it), or ``left out`` by the re-check before the run; in plan order."""
        st = self.state
        out = dict(st.runner.states) if st.runner is not None else {}
        out.update(st.sync_runner.states if st.sync_runner is not None else {})  # synchronised VMs: cut over = done
        for item, _why in st.migration.blocked if st.migration is not None else []:
            out[item.target.name] = LEFT_OUT
        for item, _why in st.sync.blocked if st.sync is not None else []:
            out[item.target.name] = LEFT_OUT
        return out

    def count_texts(self, outcomes: dict[str, str]) -> list[str]:
        """"2 failed", "1 cancelled", …: the VMs not migrated, counted by outcome (only those that are not 0)."""
        states = list(outcomes.values())
        texts = {FAILED: self.tr("%n failed", "", states.count(FAILED)),
                 CANCELLED: self.tr("%n cancelled", "", states.count(CANCELLED)),
                 SKIPPED: self.tr("%n skipped", "", states.count(SKIPPED)),
                 LEFT_OUT: self.tr("%n left out by the check", "", states.count(LEFT_OUT))}
        return [text for state, text in texts.items() if states.count(state)]

    def initializePage(self) -> None:  # noqa: N802
        st = self.state
        outcomes = self.outcomes()
        done = [n for n, s in outcomes.items() if s == DONE]
        missed = [n for n, s in outcomes.items() if s != DONE]
        if done and not missed:
            self.setTitle(self.tr("All VMs were migrated"))
        elif done:
            self.setTitle(self.tr("Some VMs were not migrated"))
        else:
            self.setTitle(self.tr("No VM was migrated"))
        subtitle = self.tr("%1 of %2 VMs were migrated.").replace("%1", str(len(done))).replace(
            "%2", str(len(outcomes)))
        if missed:
            subtitle += " " + self.tr("Not migrated: %1.").replace(
                "%1", self.list_separator().join(self.count_texts(outcomes)))
        self.setSubTitle(subtitle)
        text = self.tr("Migrated: %1.").replace("%1", self.list_separator().join(done) or self.tr("none"))
        if missed:
            text += " " + self.tr("Not migrated: %1.").replace("%1", self.list_separator().join(missed))
        self.result.setText(text)
        self.checklist.setHtml(self.render_checklist(done))
        self.back_to_run.setVisible(self.retryable(outcomes))
        self.open_folder.setEnabled(st.target is not None and st.target.kind == "bundle")
        self.open_report.setEnabled(False)
        self.write_report()

    def retryable(self, outcomes: dict[str, str]) -> bool:
        """True when a VM can still be retried on the Progress page (the run is open and one did not make it)."""
        runner = self.state.runner  # a synchronised VM has no retry in this run (resume goes on from the journal)
        return runner is not None and any(s in (FAILED, CANCELLED, SKIPPED) for n, s in outcomes.items()
                                          if n in runner.states)

    def go_back_to_run(self) -> None:
        """Back to the Progress page, where Retry VM and Retry failed work (the run is still open)."""
        self.wizard().back()

    # -- the page's text -------------------------------------------------------------------------------

    def render_checklist(self, done: list[str]) -> str:
        """The page's instructions as HTML, in the order they are needed: the required import step (bundle,
        when a VM was migrated), then why each VM was not migrated, then the checks on each new VM."""
        st = self.state
        parts = []
        if done and st.target is not None and st.target.kind == "bundle":
            parts.append(self.render_import_step(done))
        parts.append(self.render_not_migrated())
        if done:
            parts.append(self.render_checks(done))
        return "".join(parts)

    def render_import_step(self, done: list[str]) -> str:
        """The one step without which a bundle is not a VM: copy each VM folder to the host and run its
        Create-VM.ps1 with the commands of the bundle's own README.txt."""
        e = html.escape
        st = self.state
        assert st.target is not None
        created = {o.name: o.created.where for o in (st.migration.run.outcomes() if st.migration else [])
                   if o.created is not None and o.created.where}
        created.update({s.name: s.created.where for s in (st.sync_runner.status() if st.sync_runner else [])
                        if s.created is not None and s.created.where})
        folders = "".join(f"<li><b>{e(n)}</b>: {e(created.get(n, st.target.folder))}</li>" for n in done)
        heading = self.tr("Required: import each VM on the Hyper-V host")
        step = self.tr("Copy each VM folder to the Hyper-V host and run %1 in it.").replace("%1", BUNDLE_SCRIPT)
        where = self.tr("In an elevated Windows PowerShell on the host, in the copied VM folder, run:")
        after = self.tr("%1 checks the switches, free space, VM name and every disk first, and stops with a message "
                        "if something is wrong. Each folder has these steps in its README.txt.").replace(
            "%1", BUNDLE_SCRIPT)
        commands = "\n".join(BUNDLE_IMPORT_COMMANDS)
        return (f"<h3>{e(heading)}</h3><p>{e(step)}</p><ul>{folders}</ul><p>{e(where)}</p>"
                f"<pre>{e(commands)}</pre><p>{e(after)}</p>")

    def render_not_migrated(self) -> str:
        """Each VM that was not migrated with its reason (a failed VM's error: message and fix) and, when one can
        be retried, the way back to retry it."""
        e = html.escape
        st = self.state
        outcomes = self.outcomes()
        missed = [(n, s) for n, s in outcomes.items() if s != DONE]
        if not missed:
            return ""
        errors = {**(st.runner.errors if st.runner is not None else {}),
                  **(st.sync_runner.errors if st.sync_runner is not None else {})}
        blocked = {o.name: o.error for o in (st.migration.blocked_outcomes if st.migration is not None else [])}
        heading = self.tr("Not migrated")
        parts = [f"<h3>{e(heading)}</h3>"]
        for name, state in missed:
            exc = errors.get(name) if state == FAILED else blocked.get(name) if state == LEFT_OUT else None
            if exc is not None:
                message, fix, _details = describe(exc)
            else:
                message = {FAILED: self.tr("It failed; the log on the Progress page says where."),
                           CANCELLED: self.tr("It was cancelled before it was migrated; nothing of it was kept."),
                           SKIPPED: self.tr("It was skipped: left out of this run.")}.get(state, "")
                fix = ""
            if state == LEFT_OUT:
                fix = (fix + " " if fix else "") + self.tr(
                    "It cannot be retried in this run: change the plan and start a new migration.")
            lines = f"<p><b>{e(name)}</b> — {e(message)}</p>"
            if fix:
                todo = self.tr("What to do: %1").replace("%1", fix)
                lines += f"<p style='margin-left:16px'>{e(todo)}</p>"
            parts.append(lines)
        if self.retryable(outcomes):
            parts.append("<p>" + e(self.tr("To try again: click Back to the migration, select the VM and click "
                                           "Retry VM (or Retry failed).")) + "</p>")
        return "".join(parts)

    def render_checks(self, done: list[str]) -> str:
        """What to check on each migrated VM, with its own addresses and disks."""
        e = html.escape
        st = self.state
        items = {(i.target.name or i.vm.name): i for i in (st.plan.items if st.plan else [])}
        heading = self.tr("What to check on each new VM")
        parts = [f"<h3>{e(heading)}</h3>"]
        for name in done:
            checks = self.checks_for(name, items.get(name))
            parts.append(f"<p><b>{e(name)}</b></p><ul>" + "".join(f"<li>{e(c)}</li>" for c in checks) + "</ul>")
        return "".join(parts)

    def fixups_applied(self, name: str) -> bool:
        """True when the guest fix-ups ran inside this VM without a failure (Hyper-V host with fix-ups on):
        they set its static addresses and brought its disks online, so those are only to be checked."""
        st = self.state
        if st.target is None or st.target.kind == "bundle" or st.migration is None:
            return False
        for outcome in st.migration.run.outcomes():
            if outcome.name == name:
                return outcome.fixups is not None and not outcome.fixups.failed
        return False

    def checks_for(self, name: str, item: PlanItem | None) -> list[str]:
        """The checks for one migrated VM: its static addresses (set by hand unless the fix-ups set them), its
        data disks (brought online by hand on Windows), its guest's own steps, and the source VM."""
        st = self.state
        started = st.sync_runner is not None and any(  # the sync's cut-over started it on the Hyper-V host
            s.name == name and s.state == "done" and s.until == UNTIL_STARTED for s in st.sync_runner.status())
        checks = [self.tr("Sign in: the cut-over started it; the first start takes longer while drivers settle.")
                  if started else self.tr("Start it and sign in; the first start takes longer while drivers settle.")]
        if item is None:
            return [*checks, self.tr("Keep the source VM switched off until you are satisfied, then retire it.")]
        family = item.vm.guest.family
        applied = self.fixups_applied(name) and family == "windows"
        manual = [ip for ip in item.vm.guest_ips if ip.origin == "manual" and ip.address]
        for ip in manual:
            address = ip.address + (f"/{ip.prefix_length}" if ip.prefix_length is not None else "")
            extra = ""
            if ip.gateways:
                extra += self.tr(", gateway %1").replace("%1", self.list_separator().join(ip.gateways))
            if ip.dns_servers:
                extra += self.tr(", DNS %1").replace("%1", self.list_separator().join(ip.dns_servers))
            if applied and item.target.fixups.reapply_static_ips:
                text = self.tr("Check that the new network adapter has the static address %1%2 (the guest fix-ups "
                               "set it).")
            elif family == "windows":
                text = self.tr("Set the static address %1%2 on the new network adapter by hand: Windows keeps it "
                               "with the old adapter, and the new one starts without it.")
            else:
                text = self.tr("Check that the new network adapter has the static address %1%2: its name and MAC "
                               "address change on Hyper-V, and a configuration bound to the old ones is not used.")
            checks.append(text.replace("%1", address).replace("%2", extra))
        if not manual and item.target.nics:
            checks.append(self.tr("Check the network: IP address, gateway and DNS; ping a server."))
        disks = [d for d in item.target.disks if d.include]
        boot = next((d for d in disks if d.boot), disks[0] if disks else None)
        data = [d for d in disks if d is not boot]
        for d in data:
            number = disks.index(d) + 1
            what = self.tr("disk %1 of %2 (%3, %4)").replace("%1", str(number)).replace("%2", str(len(disks))) \
                .replace("%3", human_bytes(d.capacity_bytes)).replace("%4", d.file_name or "")
            if family == "windows" and not (applied and item.target.fixups.bring_disks_online):
                text = self.tr("Bring data %1 online in Disk Management and check its drive letter: Windows keeps "
                               "disks it sees for the first time offline.")
            elif family == "windows":
                text = self.tr("Check that data %1 is online and has its drive letter.")
            else:
                text = self.tr("Check that data %1 is mounted where it was (its device name may change).")
            checks.append(text.replace("%1", what))
        if not data:
            checks.append(self.tr("Check that the disk is online and has its drive letter or mount point."))
        if family == "windows":
            checks.append(self.tr("Windows may ask to be activated again after the hardware change."))
            checks.append(self.tr("Remove VMware Tools if it is still listed in Apps."))
        elif family == "linux":
            checks.append(self.tr("Check that the Hyper-V drivers (hv_vmbus, hv_storvsc, hv_netvsc) are loaded."))
        checks.append(self.tr("Keep the source VM switched off until you are satisfied, then retire it."))
        return checks

    # -- the report ------------------------------------------------------------------------------------

    def write_report(self) -> None:
        """Write the migration's report (the run stays open for retries; the window closes it at the end) —
        or, when nothing ran, the compatibility report."""
        st = self.state
        path = str(Path(self.output_folder()) / "hvmigrate-report.html")
        chosen = set(st.selected)
        assessments = [st.assessments[i] for i in st.selected if i in st.assessments]
        left_out = [a for i, a in st.assessments.items() if i not in chosen]
        migration = st.migration
        source = self.source_name(st.source, st.source_text)
        version = st.target_version

        def write(_p, _c):  # noqa: ANN001, ANN202
            if migration is not None:
                migration.write_report(path, left_out=left_out, source_text=source, words=WIZARD_WORDS)
            else:
                write_assessment_report("html", path, assessments, source=source, target_version=version,
                                        words=WIZARD_WORDS)

        def saved(_r: object) -> None:
            st.report_path = path
            self.open_report.setEnabled(True)
            self.back_to_run.setEnabled(True)
            self.status.stop(self.tr("Report saved to %1.").replace("%1", path))

        self.back_to_run.setEnabled(False)  # a retry would change the outcomes the report is reading
        self.run(write, saved, busy=self.status,
                 text=self.tr("Writing the report…"), on_failure=self._report_failed)

    def _report_failed(self, exc: BaseException) -> bool:
        self.back_to_run.setEnabled(True)
        message, fix, _details = describe(exc) if not isinstance(exc, OSError) else self._os_words(exc)
        self.status.stop(self.tr("The report could not be written: %1").replace("%1", message)
                         + (" " + fix if fix else ""))
        return True

    def _os_words(self, exc: OSError) -> tuple[str, str, str]:
        """An OSError of the report's file in words: where and what, never the system's "[Errno …]" text."""
        where = str(exc.filename or Path(self.output_folder()) / "hvmigrate-report.html")
        message = self.tr("%1 cannot be written (%2).").replace("%1", where).replace(
            "%2", exc.strerror or message_of(exc))
        return message, self.tr("Check that the folder exists and can be written."), ""

    def isComplete(self) -> bool:  # noqa: N802
        return True
