"""The wizard window: pages in order, shared state, settings, starting and resuming migrations, and a safe
close (before a migration it asks before discarding the answers; during one it asks before stopping it).

It also carries what every page shares: the step panel beside the pages (:mod:`wizard.ui.steps`), the local
help for the current page (F1 or Help; :mod:`wizard.ui.help`), and the keyboard order: Tab leaves every table
(arrows move inside it) and goes through the buttons in the order they are drawn."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
    QWizard,
)

from wizard import __version__
from wizard.app.migration import (
    RESUME,
    Converter,
    InterruptedRun,
    Migration,
    RunSettings,
    interrupted_runs,
    prepare_migration,
)
from wizard.app.sources import open_source
from wizard.app.sync import SyncMigration, SyncSettings, prepare_sync, split_plan, sync_settings_for
from wizard.ui import settings as prefs
from wizard.ui.errors import ask_destructive, ask_resume
from wizard.ui.help import HelpDialog
from wizard.ui.i18n import current_language
from wizard.ui.icons import icon
from wizard.ui.pages.compatibility import CompatibilityPage
from wizard.ui.pages.done import DonePage
from wizard.ui.pages.inventory import InventoryPage
from wizard.ui.pages.networks import NetworksPage
from wizard.ui.pages.progress import ProgressPage
from wizard.ui.pages.source import SourcePage
from wizard.ui.pages.summary import SummaryPage
from wizard.ui.pages.target import TargetPage
from wizard.ui.pages.template import TemplatePage
from wizard.ui.run_adapter import RunAdapter
from wizard.ui.state import WizardState
from wizard.ui.steps import StepPanel
from wizard.ui.sync_adapter import SyncAdapter

PARALLEL = 2  # VMs at once, as ``hvmigrate migrate``'s default
# Each page's help file (resources/help/<key>.html), in page-id order.
PAGE_KEYS = ("source", "inventory", "compatibility", "target", "template", "networks", "summary", "progress", "done")
# The buttons as drawn, left to right: Help and Settings apart from the ones that move through the pages.
BUTTON_LAYOUT = (QWizard.WizardButton.HelpButton, QWizard.WizardButton.CustomButton1, QWizard.WizardButton.Stretch,
                 QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton,
                 QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)


class _ShrinkableColumn(QObject):
    """QWizard puts its side widget into a column of its own (made when it lays out the first page) that is
    as wide as the widget asks. Let that column shrink to nothing: the window's minimum width stays the page's,
    as without the step panel, and the panel draws what fits (names, numbers or nothing) in the room the page
    leaves it (:class:`wizard.ui.steps.StepPanel`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ParentChange and isinstance(watched, QWidget):
            column = watched.parentWidget()
            if column is not None:
                column.setMinimumWidth(1)  # 0 would mean "as the layout asks"
        return False


class MigrationWizard(QWizard):
    SOURCE, INVENTORY, COMPAT, TARGET, TEMPLATE, NETWORKS, SUMMARY, PROGRESS, DONE = range(9)

    def __init__(self, settings: QSettings | None = None, converter: Converter | None = None,
                 offer_resume: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or prefs.open_settings()
        self.converter = converter  # tests slow the disk converter down or make it fail; None = the real one
        self.state = WizardState()
        self.resume_prompt: QMessageBox | None = None
        self.error_dialog: QDialog | None = None
        self.close_prompt: QMessageBox | None = None
        self.discard_prompt: QMessageBox | None = None  # "Discard your answers?" while it is open
        self.help_dialog: HelpDialog | None = None
        self._close_pending = False
        self._close_from_code = False
        self.setWindowTitle(self.tr("hvmigrate %1 — move VMs to Hyper-V").replace("%1", __version__))
        self.setWindowIcon(icon("hvmigrate"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # the Done page: Finish, nothing to cancel
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("S&ettings…"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Start migration"))
        self.customButtonClicked.connect(lambda _which: self.open_settings_dialog())
        self.setOption(QWizard.WizardOption.HaveHelpButton, True)
        # no Alt+letter: each letter is taken on some page; F1 is the key (the tooltip says so)
        self.setButtonText(QWizard.WizardButton.HelpButton, self.tr("Help"))
        self.button(QWizard.WizardButton.HelpButton).setToolTip(
            self.tr("What this page is for, what each control does and what happens next (F1)"))
        self.setButtonLayout(list(BUTTON_LAYOUT))
        self.helpRequested.connect(self.show_help)
        QShortcut(QKeySequence(Qt.Key.Key_F1), self, self.show_help)
        self.steps = StepPanel([self.tr("Source"), self.tr("Inventory"), self.tr("Compatibility"), self.tr("Target"),
                                self.tr("Template"), self.tr("Networks"), self.tr("Summary"), self.tr("Progress"),
                                self.tr("Done")])
        self.steps.installEventFilter(_ShrinkableColumn(self.steps))
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(self._page_shown)
        for page_id, page in enumerate((SourcePage(), InventoryPage(), CompatibilityPage(), TargetPage(),
                                        TemplatePage(), NetworksPage(), SummaryPage(), ProgressPage(), DonePage())):
            self.setPage(page_id, page)
        self._order_buttons()
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(980, 700)
        if offer_resume:
            QTimer.singleShot(0, self.offer_resume)

    # -- what every page shares: steps, help, keyboard ------------------------------------------------

    def _page_shown(self, page_id: int) -> None:
        if page_id < 0:  # the wizard is between pages (restart)
            return
        self.steps.show_step(page_id)
        for view in self.page(page_id).findChildren(QAbstractItemView):
            view.setTabKeyNavigation(False)  # Tab leaves a table (else it is trapped there); arrows move inside
        if self.help_dialog is not None and self.help_dialog.isVisible():
            self.help_dialog.load(PAGE_KEYS[page_id], current_language())  # open help follows the page

    def _order_buttons(self) -> None:
        """Tab reaches the buttons in the order they are drawn, left to right, after the page's own controls
        (QWizard puts a custom button such as Settings… after Cancel)."""
        buttons = [self.button(which) for which in BUTTON_LAYOUT if which != QWizard.WizardButton.Stretch]
        for before, after in zip(buttons, buttons[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def show_help(self) -> HelpDialog:
        """Open (or bring to the front) the help of the current page in the user's language; F1 and Help."""
        if self.help_dialog is None:
            self.help_dialog = HelpDialog(self)
        self.help_dialog.show_help(PAGE_KEYS[max(self.currentId(), 0)], current_language())
        return self.help_dialog

    # -- migration -----------------------------------------------------------------------------------

    def prepare_migration(self, existing: str) -> Migration:
        """The migration of the Summary page's plan into the Target page's target, with the engine
        ``hvmigrate migrate`` runs; ``existing`` says what to do with an earlier run's journal (see
        :func:`wizard.app.migration.prepare_migration`). Raises the typed errors of the re-check and the target."""
        st = self.state
        assert st.plan is not None and st.target is not None and st.source is not None
        settings = RunSettings(parallel=PARALLEL, per_source=PARALLEL, fixups=st.fixups)
        # VMs planned with the sync policy are synchronised until cut over (wizard.app.sync); the others migrate
        others, syncs = split_plan(st.plan)
        sync = None
        if syncs.items:
            sync = prepare_sync(syncs, st.source, st.target, SyncSettings(interval_minutes=st.sync_interval,
                                                                          parallel=PARALLEL),
                                existing=existing, credentials=st.credentials)
        try:
            migration = prepare_migration(others, st.source, st.target, settings, existing=existing,
                                          credentials=st.credentials, background=True, converter=self.converter)
        except BaseException:
            if sync is not None:
                sync.close()
            raise
        self._adopt(migration, sync)
        return migration

    def _adopt(self, migration: Migration, sync: SyncMigration | None = None) -> None:
        if self.state.migration is not None:
            self.state.migration.close()
        if self.state.sync is not None:
            self.state.sync.close()
        self.state.migration = migration
        self.state.runner = RunAdapter(migration, self)
        self.state.sync = sync
        self.state.sync_runner = SyncAdapter(sync, self) if sync is not None else None

    def offer_resume(self) -> QMessageBox | None:
        """Ask whether to resume the newest interrupted migration, if there is one (at start, and from the
        Source page's button)."""
        if self.resume_prompt is not None or self.migration_running():
            return self.resume_prompt
        runs = interrupted_runs()
        if not runs:
            return None
        run = runs[0]
        where = run.spec.describe()
        syncing = sync_settings_for(run) is not None

        def answered(choice: str) -> None:
            self.resume_prompt = None
            if choice == "resume":
                self.resume(run)
            elif choice == "other":
                run.forget()
                self.page(self.SOURCE).refresh_resume()

        if syncing:
            text = self.tr("A synchronisation to %1 did not finish: %2 of %3 VMs were cut over.")
            info = self.tr("Resuming goes on from the last sync (only what changed since is copied) and finishes a "
                           "cut-over that was in progress; the VMs then keep synchronising until you cut them over.")
        else:
            text = self.tr("A migration to %1 did not finish: %2 of %3 VMs were migrated.")
            info = self.tr("Resuming keeps every finished VM and disk; a disk that was being converted goes on from "
                           "its last checkpoint.")
        self.resume_prompt = ask_resume(
            self, self.tr("Resume the interrupted migration?"),
            text.replace("%1", where).replace("%2", str(run.done)).replace("%3", str(run.total)), info,
            self.tr("&Resume"), self.tr("&Discard"), self.tr("&Not now"), answered)
        return self.resume_prompt

    def resume(self, run: InterruptedRun) -> None:
        """Open the interrupted run's source and target again and continue it on the Progress page."""
        page = self.page(self.SOURCE)
        fix = self.tr("Connect to the source on the Source page with Remember the password ticked, then resume.")

        def work(_progress, _cancel):  # noqa: ANN001, ANN202 - worker thread: no widgets here
            return open_source(run.plan.source, missing_fix=fix)

        def opened(source) -> None:  # noqa: ANN001
            st = self.state
            if st.source is not None and st.source is not source:
                st.source.close()
            st.source, st.source_ref, st.source_text = source, run.plan.source, source.describe()
            st.plan, st.target, st.fixups = run.plan, run.spec, run.settings.fixups
            syncing = sync_settings_for(run)
            if syncing is not None:  # an interrupted sync: its VMs go on syncing from the journal (Progress page)
                st.sync_interval = max(1, round(syncing.interval_minutes))
                self.prepare_migration(RESUME)
            else:
                migration = prepare_migration(run.plan, source, run.spec, run.settings, existing=RESUME,
                                              credentials=st.credentials, background=True, converter=self.converter)
                self._adopt(migration)
            self.setStartId(self.PROGRESS)
            self.restart()

        page.run(work, opened, busy=page.status, text=self.tr("Opening the interrupted migration…"))

    def migration_running(self) -> bool:
        runner, syncing = self.state.runner, self.state.sync_runner
        return (runner is not None and runner.running) or (syncing is not None and syncing.running)

    def migration_stopped(self) -> None:
        if self._close_pending:
            self._close_pending = False
            self.reject()

    # -- closing -------------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel, Escape and the window's close button. During a migration: ask whether to stop it. Before
        one, with answers given: ask whether to discard them (the default keeps the window)."""
        if self.migration_running():
            if not self._close_pending and self.close_prompt is None:
                self._ask_close()
            return
        if self.discard_prompt is not None:
            return
        if not self._close_from_code and self.answers_at_stake():
            self._ask_discard()
            return
        self._close_now()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # close() from code (shutdown, tests) has decided already; the window's close button (a spontaneous
        # event) asks like Cancel. A running migration is asked about either way.
        self._close_from_code = not event.spontaneous()
        try:
            super().closeEvent(event)  # calls reject()
        finally:
            self._close_from_code = False

    def answers_at_stake(self) -> bool:
        """True when closing would lose the user's answers: they went past the Source page (or opened a
        source) and no migration has started in this window."""
        page_id = self.currentId()
        return self.SOURCE <= page_id < self.PROGRESS and (page_id > self.SOURCE or self.state.source is not None)

    def _close_now(self) -> None:
        self._save_and_release()
        super().reject()

    def _ask_discard(self) -> None:
        def answered() -> None:
            self.discard_prompt = None

        question = self.tr("Discard your answers?")
        self.discard_prompt = ask_destructive(self, question, question, self.tr("&Discard and close"),
                                              self.tr("&Keep working"), self._close_now, answered)
        self.discard_prompt.setInformativeText(
            self.tr("Closing the wizard now discards the answers you gave on these pages. Nothing has been "
                    "migrated yet."))

    def accept(self) -> None:
        self._save_and_release()
        super().accept()

    def _ask_close(self) -> None:
        def stop() -> None:
            if self.state.runner is not None:
                self._close_pending = True
                self.state.runner.cancel_all()
                if self.state.sync_runner is not None:
                    self.state.sync_runner.cancel_all()
                if not self.migration_running():
                    self.migration_stopped()

        def answered() -> None:
            self.close_prompt = None

        syncing = self.state.sync_runner
        if syncing is not None and syncing.running:
            text = self.tr("VMs are being synchronised and are not cut over yet. Closing stops the syncs; the "
                           "synchronised disks and the journal are kept. To go on, start hvmigrate again, choose the "
                           "same VMs, Synchronise and the same target, and click Resume when Start asks: it "
                           "continues from the last sync instead of copying everything again.")
            if any(s == "cutting-over" for s in syncing.states.values()):
                text += " " + self.tr("A cut-over is in progress: its source VM may stay off until you resume, which "
                                      "finishes the cut-over.")
            if self.state.runner is not None and self.state.runner.running:
                text += " " + self.tr("The other VMs' migration stops too; what is not finished is cleaned up.")
        else:
            text = self.tr("A migration is running. Closing stops it; what is not finished is cleaned up, and the "
                           "next time hvmigrate starts it offers to resume the migration where it stopped.")
        self.close_prompt = ask_destructive(self, self.tr("Stop the migration?"), text, self.tr("&Stop and close"),
                                            self.tr("&Keep running"), stop, answered)

    def _save_and_release(self) -> None:
        if self.help_dialog is not None:
            self.help_dialog.close()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        if self.state.migration is not None:
            with contextlib.suppress(Exception):  # the run has stopped; this closes its journal and target
                self.state.migration.close()
        if self.state.sync is not None:
            with contextlib.suppress(Exception):  # the syncs have stopped; this closes their journal and target
                self.state.sync.close()
        source = self.state.source
        if source is not None:
            with contextlib.suppress(Exception):  # closing a connection at exit must not raise
                source.close()

    # -- settings ------------------------------------------------------------------------------------

    def open_settings_dialog(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Settings"))
        combo = QComboBox()
        combo.addItem(self.tr("Follow the system"), "")
        combo.addItem("English", "en")
        combo.addItem("简体中文", "zh_CN")
        combo.setCurrentIndex(max(0, combo.findData(prefs.language(self.settings))))
        form = QFormLayout(dialog)
        form.addRow(self.tr("&Language:"), combo)
        form.addRow(QLabel(self.tr("A new language takes effect the next time hvmigrate starts.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        dialog.accepted.connect(lambda: self.settings.setValue("ui/language", combo.currentData()))
        dialog.open()
        return dialog
