"""The wizard window: pages in order, shared state, settings, and a safe close during a migration."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QWidget, QWizard

from wizard import __version__
from wizard.core.plan import Plan
from wizard.ui import services as default_services
from wizard.ui import settings as prefs
from wizard.ui.errors import ask_destructive
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
from wizard.ui.runner import MigrateFn, MigrationRunner
from wizard.ui.services import TargetSpec
from wizard.ui.state import WizardState


class MigrationWizard(QWizard):
    SOURCE, INVENTORY, COMPAT, TARGET, TEMPLATE, NETWORKS, SUMMARY, PROGRESS, DONE = range(9)

    def __init__(self, settings: QSettings | None = None, services: Any = None, migrate: MigrateFn | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or prefs.open_settings()
        self.services = services or default_services
        self.migrate = migrate  # tests may run a stand-in per VM; None = the real migration
        self.state = WizardState()
        self.error_dialog: QDialog | None = None
        self.close_prompt: QMessageBox | None = None
        self._close_pending = False
        self.setWindowTitle(self.tr("hvmigrate %1 — move VMs to Hyper-V").replace("%1", __version__))
        self.setWindowIcon(icon("hvmigrate"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("S&ettings…"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Start migration"))
        self.customButtonClicked.connect(lambda _which: self.open_settings_dialog())
        for page_id, page in enumerate((SourcePage(), InventoryPage(), CompatibilityPage(), TargetPage(),
                                        TemplatePage(), NetworksPage(), SummaryPage(), ProgressPage(), DonePage())):
            self.setPage(page_id, page)
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(980, 700)

    # -- migration -----------------------------------------------------------------------------------

    def make_runner(self, plan: Plan, source: Any, target: TargetSpec) -> MigrationRunner:
        return MigrationRunner(plan, source, target, migrate=self.migrate, parent=self)

    def migration_running(self) -> bool:
        runner = self.state.runner
        return runner is not None and runner.running

    def migration_stopped(self) -> None:
        if self._close_pending:
            self._close_pending = False
            self.reject()

    # -- closing -------------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.migration_running():
            if not self._close_pending and self.close_prompt is None:
                self._ask_close()
            return
        self._save_and_release()
        super().reject()

    def accept(self) -> None:
        self._save_and_release()
        super().accept()

    def _ask_close(self) -> None:
        def stop() -> None:
            if self.state.runner is not None:
                self._close_pending = True
                self.state.runner.cancel_all()
                if not self.migration_running():
                    self.migration_stopped()

        def answered() -> None:
            self.close_prompt = None

        self.close_prompt = ask_destructive(
            self, self.tr("Stop the migration?"),
            self.tr("A migration is running. Closing stops it; VMs that are not finished are cleaned up and can be "
                    "migrated again later."),
            self.tr("&Stop and close"), self.tr("&Keep running"), stop, answered)

    def _save_and_release(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
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
