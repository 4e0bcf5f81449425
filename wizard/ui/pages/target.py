"""Target page: an offline import bundle folder, or a Hyper-V host over WinRM (version, switches, space)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wizard.app.targets import TRANSPORTS, Credentials, TargetInfo, TargetSpec, probe_target
from wizard.core.errors import CertificateError
from wizard.core.units import human_bytes
from wizard.ui.pages.base import BusyBar, Page

BUNDLE, HYPERV = 0, 1


class TargetPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Where should the VMs go?"))
        self.setSubTitle(self.tr("Write an import bundle to a folder (import it on the Hyper-V host later), "
                                 "or connect to a Hyper-V host directly."))
        self._probed: TargetSpec | None = None
        self.kind = QButtonGroup(self)
        self.radio_bundle = QRadioButton(self.tr("Offline import bundle in a &folder"))
        self.radio_hyperv = QRadioButton(self.tr("Hyper-&V host (WinRM)"))
        self.kind.addButton(self.radio_bundle, BUNDLE)
        self.kind.addButton(self.radio_hyperv, HYPERV)
        self.radio_bundle.setChecked(True)

        self.bundle_box = QGroupBox(self.tr("Bundle"))
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("An empty folder with room for the disks"))
        self.browse = QPushButton(self.tr("Choose f&older…"))
        row = QHBoxLayout(self.bundle_box)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)

        self.host_box = QGroupBox(self.tr("Hyper-V host"))
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("hyperv01.example.com"))
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("DOMAIN\\admin"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5986)
        self.remember = QCheckBox(self.tr("Re&member the password in the system keyring"))
        self.https = QCheckBox(self.tr("Use &HTTPS"))
        self.https.setChecked(True)
        self.https.toggled.connect(lambda on: self.port.setValue(5986 if on else 5985))
        self.transport = QComboBox()
        for value, text in zip(TRANSPORTS, (self.tr("NTLM"), self.tr("Kerberos"), self.tr("CredSSP")), strict=True):
            self.transport.addItem(text, value)
        self.share = QLineEdit()
        self.share.setPlaceholderText(self.tr("\\\\hyperv01\\VMs (empty: the share that holds the host's disk folder)"))
        self.thumbprint = QLineEdit()
        self.thumbprint.setPlaceholderText(self.tr("Only for a self-signed certificate: its SHA-256 thumbprint"))
        self.vm_path = QLineEdit()
        self.vm_path.setPlaceholderText(self.tr("Empty: the host's default folder for VMs (shown after Check target)"))
        self.vm_path.setToolTip(self.tr("A folder on the Hyper-V host, e.g. D:\\Hyper-V. Each VM's configuration "
                                        "goes there; its disks go to the disk share."))
        form = QFormLayout(self.host_box)
        form.addRow(self.tr("Hos&t:"), self.host)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("&Password:"), self.password)
        port_row = QHBoxLayout()
        port_row.addWidget(self.port)
        port_row.addWidget(self.https)
        port_row.addStretch(1)
        port_label = QLabel(self.tr("Po&rt:"))
        port_label.setBuddy(self.port)
        form.addRow(port_label, port_row)
        form.addRow("", self.remember)
        form.addRow(self.tr("Sign-in metho&d:"), self.transport)
        form.addRow(self.tr("VM fo&lder on the host:"), self.vm_path)
        form.addRow(self.tr("Disk sh&are:"), self.share)
        form.addRow(self.tr("Certificate thumbpr&int:"), self.thumbprint)

        self.check = QPushButton(self.tr("&Check target"))
        self.skip_space = QCheckBox(self.tr("Skip the free-space check"))
        self.skip_space.setToolTip(self.tr(
            "hvmigrate estimates each disk by the data its source holds. Tick this only if you know there is room: "
            "a VM whose disks do not fit fails when the target runs full."))
        self.status = BusyBar()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setObjectName("targetInfo")

        layout = QVBoxLayout(self)
        layout.addWidget(self.radio_bundle)
        layout.addWidget(self.bundle_box)
        layout.addWidget(self.radio_hyperv)
        layout.addWidget(self.host_box)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check)
        check_row.addWidget(self.skip_space)
        check_row.addWidget(self.status, 1)
        layout.addLayout(check_row)
        layout.addWidget(self.info)
        layout.addStretch(1)

        self.kind.idToggled.connect(lambda *_: self._changed())
        for edit in (self.folder, self.host, self.user, self.share, self.thumbprint):
            edit.textChanged.connect(self._changed)
        self.vm_path.textChanged.connect(self._vm_path_changed)
        self.transport.currentIndexChanged.connect(self._changed)
        self.browse.clicked.connect(self._choose_folder)
        self.check.clicked.connect(self.probe)
        self.skip_space.toggled.connect(self._changed)
        self._changed()

    def initializePage(self) -> None:  # noqa: N802
        last = str(self.wiz.settings.value("target/folder", "") or "")
        if last and not self.folder.text():
            self.folder.setText(last)
        last_host = str(self.wiz.settings.value("target/host", "") or "")
        if last_host and not self.host.text():
            self.host.setText(last_host)

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Choose the bundle folder"), self.folder.text())
        if name:
            self.folder.setText(name)

    def _changed(self, *_: object) -> None:
        if self.spec() != self._probed:
            self.info.clear()  # "Folder … is usable" spoke of what was checked before, not of what is typed now
        hyperv = self.kind.checkedId() == HYPERV
        self.bundle_box.setEnabled(not hyperv)
        self.host_box.setEnabled(hyperv)
        self.completeChanged.emit()

    def _vm_path_changed(self, text: str) -> None:
        """The VM folder is a plan setting (``path``), not part of the target: no new check is needed, but what
        the page says about where the VMs go must follow it."""
        if self.kind.checkedId() == HYPERV:
            self.state.vm_path = text.strip()
            if self._probed == self.spec() and self.state.target_info is not None:
                self.info.setText(self._describe(self._probed, self.state.target_info))

    def spec(self) -> TargetSpec:
        check_space = not self.skip_space.isChecked()
        if self.kind.checkedId() == BUNDLE:
            return TargetSpec(kind="bundle", folder=self.folder.text().strip(), check_space=check_space)
        return TargetSpec(kind="hyperv", host=self.host.text().strip(), user=self.user.text().strip(),
                          port=self.port.value(), https=self.https.isChecked(),
                          transport=self.transport.currentData() or "ntlm", share=self.share.text().strip(),
                          thumbprint=self.thumbprint.text().strip(), check_space=check_space)

    def credentials(self) -> Credentials:
        """The password typed here (kept in memory only, unless Remember is ticked: then in the keyring)."""
        return Credentials(password=self.password.text() or None, remember=self.remember.isChecked(),
                           missing_fix=self.tr("Type the password in the Password field of the Target page."))

    def isComplete(self) -> bool:  # noqa: N802
        spec = self.spec()
        filled = bool(spec.folder) if spec.kind == "bundle" else bool(spec.host and spec.user)
        return filled and not self.busy

    def probe(self, then_next: bool = False) -> None:
        spec, credentials = self.spec(), self.credentials()

        def done(info: TargetInfo) -> None:
            self._probed = spec
            self.state.target, self.state.target_info = spec, info
            self.state.vm_path = self.vm_path.text().strip() if spec.kind == "hyperv" else ""
            # once stored, the keyring has it; the migration must not store it a second time
            self.state.credentials = Credentials(password=credentials.password, missing_fix=credentials.missing_fix)
            self.wiz.settings.setValue("target/folder" if spec.kind == "bundle" else "target/host",
                                       spec.folder or spec.host)
            self.info.setText(self._describe(spec, info))
            if then_next:
                self.wiz.next()

        self.run(lambda _p, cancel: probe_target(spec, cancel, credentials), done, busy=self.status,
                 text=self.tr("Checking the target…"), on_failure=self._failed)

    def _failed(self, exc: BaseException) -> bool:
        """A host whose certificate is not trusted: the fix names this page's thumbprint field (the core's names
        the command line's flag). The error dialog opens all the same."""
        if isinstance(exc, CertificateError) and exc.thumbprint:
            exc.fix = self.tr("If you trust this host, copy its thumbprint %1 into the Certificate thumbprint field "
                              "and check the target again.").replace("%1", exc.thumbprint)
        return False

    def _describe(self, spec: TargetSpec, info: TargetInfo) -> str:
        """What was found, said as it is: a folder that will be created, or that holds files already; on a
        host, where the VMs and their disks will go."""
        free = human_bytes(info.free_bytes) if info.free_bytes is not None else self.tr("unknown")
        if spec.kind == "bundle":
            if not info.folder_exists:
                said = self.tr("Folder %1 is usable: it does not exist yet and will be created when the migration "
                               "starts.")
            elif info.folder_items:
                said = self.tr("Folder %1 is usable. It already holds %n item(s); each VM's bundle is added "
                               "beside them in a folder named after the VM (an existing folder of that name is "
                               "not overwritten: that VM's migration stops).", "", info.folder_items)
            else:
                said = self.tr("Folder %1 is usable and empty.")
            return (said.replace("%1", spec.folder) + " "
                    + self.tr("Free space: %1.").replace("%1", free))
        switches = self.list_separator().join(info.switches) or self.tr("none")
        lines = [self.tr("Hyper-V %1 (%2). Virtual switches: %3. Free space: %4.")
                 .replace("%1", info.version).replace("%2", info.version_text or "-")
                 .replace("%3", switches).replace("%4", free)]
        vm_path = self.vm_path.text().strip()
        lines.append(self.tr("VMs go to: %1.").replace("%1", vm_path) if vm_path else
                     self.tr("VMs go to: %1 (the host's default folder for VMs).").replace(
                         "%1", info.vm_path or self.tr("unknown")))
        if info.disk_path:
            lines.append(self.tr("Disks go to: %1\\hvmigrate\\<VM name> on the host (share %2).")
                         .replace("%1", info.disk_path).replace("%2", info.disk_share))
        else:
            lines.append(self.tr("Disks: the host shares no folder for them; give a share in Disk share."))
        return "\n".join(lines)

    def validatePage(self) -> bool:  # noqa: N802
        path = self.vm_path.text().strip()
        if self.kind.checkedId() == HYPERV and path and not re.match(r"^(?:[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)", path):
            self.status.stop(self.tr("VM folder on the host: give a full folder path on the host, such as "
                                     "D:\\Hyper-V, or leave it empty for the host's default."))
            return False
        if self._probed == self.spec() and self.state.target_info is not None:
            return True
        if not self.busy:
            self.probe(then_next=True)
        return False
