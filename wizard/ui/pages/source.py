"""Source page: a vCenter/ESXi server, local VM files, or the built-in demo; Next connects and discovers."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

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
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wizard.app.migration import interrupted_runs
from wizard.app.sources import check_source, open_source
from wizard.core.errors import CertificateError, HvmError
from wizard.core.progress import ProgressEvent
from wizard.ui import settings as prefs
from wizard.ui.errors import message_of
from wizard.ui.pages.base import BusyBar, Page

VSPHERE, LOCAL, DEMO = 0, 1, 2
# What users paste into Address: a browser's address (https://vc01/ui/), a source text (vsphere://user@vc01:443)
_SCHEME = re.compile(r"^(vsphere|vcenter|esxi|https?)://", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class AddressProblem(ValueError):
    """The Address field holds something that names no server; ``str()`` is the message for the user."""


class SourcePage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Where are the VMs now?"))
        self.setSubTitle(self.tr("Connect to a vCenter or ESXi server, open VM files on this computer, "
                                 "or try the built-in demo."))
        self.trust_prompt: QMessageBox | None = None
        self._after_trust = "next"  # what Trust on the certificate prompt repeats: "test" or "next"
        self._loaded_for = ""  # the source text whose inventory is in the state
        self._thumbprint = ""

        self.kind = QButtonGroup(self)
        self.radio_vsphere = QRadioButton(self.tr("&vCenter or ESXi server"))
        self.radio_local = QRadioButton(self.tr("&Local files (VMX, OVF, OVA, VirtualBox)"))
        self.radio_demo = QRadioButton(self.tr("&Demo with sample VMs"))
        for i, radio in enumerate((self.radio_vsphere, self.radio_local, self.radio_demo)):
            self.kind.addButton(radio, i)
        self.radio_vsphere.setChecked(True)

        self.recent = QComboBox()
        self.recent.setMinimumContentsLength(30)
        recent_label = QLabel(self.tr("&Recent:"))
        recent_label.setBuddy(self.recent)

        self.server_box = QGroupBox(self.tr("Server"))
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("vcenter.example.com or 10.0.0.5:443"))
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("administrator@vsphere.local"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Re&member the password in the system keyring"))
        form = QFormLayout(self.server_box)
        form.addRow(self.tr("&Address:"), self.address)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow("", self.remember)

        self.local_box = QGroupBox(self.tr("Files"))
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("A .vmx, .ovf, .ova or .vbox file, or a folder of them"))
        self.browse_file = QPushButton(self.tr("Choose &file…"))
        self.browse_folder = QPushButton(self.tr("Choose f&older…"))
        row = QHBoxLayout(self.local_box)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_file)
        row.addWidget(self.browse_folder)

        self.test_button = QPushButton(self.tr("&Test connection"))
        self.status = BusyBar()
        self.resume_button = QPushButton(self.tr("Resume the &interrupted migration…"))
        self.resume_button.setToolTip(self.tr("A migration stopped before it finished; continue it where it stopped"))
        self.resume_button.setVisible(False)

        layout = QVBoxLayout(self)
        recent_row = QHBoxLayout()
        recent_row.addWidget(recent_label)
        recent_row.addWidget(self.recent, 1)
        layout.addLayout(recent_row)
        layout.addWidget(self.radio_vsphere)
        layout.addWidget(self.server_box)
        layout.addWidget(self.radio_local)
        layout.addWidget(self.local_box)
        layout.addWidget(self.radio_demo)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.status, 1)
        layout.addLayout(test_row)
        layout.addStretch(1)
        layout.addWidget(self.resume_button)

        self.kind.idToggled.connect(self._kind_changed)
        self.recent.activated.connect(self._recent_chosen)
        self.browse_file.clicked.connect(self._choose_file)
        self.browse_folder.clicked.connect(self._choose_folder)
        self.test_button.clicked.connect(self.test_connection)
        self.resume_button.clicked.connect(lambda: self.wiz.offer_resume())
        for edit in (self.address, self.user, self.path):
            edit.textChanged.connect(self.completeChanged)
        self.address.editingFinished.connect(self._tidy_address)
        self._kind_changed()

    # -- form ----------------------------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802
        self.recent.clear()
        self.recent.addItem(self.tr("(choose a recent source)"), "")
        for text in prefs.recent_sources(self.wiz.settings):
            self.recent.addItem(self._recent_label(text), text)
        self.refresh_resume()

    def refresh_resume(self) -> None:
        """Show the resume button while an interrupted migration is on record."""
        self.resume_button.setVisible(bool(interrupted_runs()))

    def _recent_label(self, text: str) -> str:
        return self.tr("Demo") if text == "demo" else text.removeprefix("vsphere://")

    def _kind_changed(self, *_: object) -> None:
        kind = self.kind.checkedId()
        self.server_box.setEnabled(kind == VSPHERE)
        self.local_box.setEnabled(kind == LOCAL)
        self.completeChanged.emit()

    def _recent_chosen(self, index: int) -> None:
        text = self.recent.itemData(index) or ""
        if text:
            self.set_source_text(text)

    def set_source_text(self, text: str) -> None:
        """Fill the form from a source text (recent list, ``--demo``)."""
        if text == "demo":
            self.radio_demo.setChecked(True)
        elif text.startswith("vsphere://"):
            self.radio_vsphere.setChecked(True)
            parts = urlsplit(text)
            self.user.setText(parts.username or "")
            self.address.setText(parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "")
        else:
            self.radio_local.setChecked(True)
            self.path.setText(text)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a VM file"), self.path.text(),
                                              self.tr("VM files (*.vmx *.ovf *.ova *.vbox);;All files (*)"))
        if name:
            self.path.setText(name)

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder of VMs"), self.path.text())
        if name:
            self.path.setText(name)

    def address_parts(self) -> tuple[str, str]:
        """(user, host[:port]) from the Address field, as users paste it: a scheme (``vsphere://``,
        ``https://``), a user (``user@``) and a path (``/sdk``, ``/ui/``) are taken off; a user given there
        is the one used (leaving the field moves it into User). Raises :class:`AddressProblem` naming the
        Address field."""
        text = self.address.text().strip()
        text = _SCHEME.sub("", text)
        other = _OTHER_SCHEME.match(text)
        if other:
            raise AddressProblem(self.tr("The Address field starts with “%1://”, which is not a vCenter or ESXi "
                                         "address; type the server's name or IP address, e.g. vcenter.example.com.")
                                 .replace("%1", other.group(1)))
        text = re.split(r"[/?#]", text, maxsplit=1)[0]
        user, _, hostport = text.rpartition("@")
        if ":" in user:  # USER:PASSWORD@HOST: never echo it, never put it in a source text
            raise AddressProblem(self.tr("The Address field holds a password (USER:PASSWORD@HOST). Type the "
                                         "password in the Password field and only the server in Address."))
        host, port, has_port = hostport, "", False
        if hostport.startswith("[") and "]" in hostport:  # [IPv6]:port
            end = hostport.find("]")
            host, tail = hostport[1:end], hostport[end + 1:]
            has_port, port = bool(tail), tail.removeprefix(":")
        elif hostport.count(":") == 1:  # more colons: a bare IPv6 address, no port
            host, _, port = hostport.partition(":")
            has_port = True
        if not host:
            raise AddressProblem(self.tr("The Address field names no server; type the name or IP address of the "
                                         "vCenter or ESXi server, e.g. vcenter.example.com or 10.0.0.5:443."))
        if has_port and not port:
            raise AddressProblem(self.tr("The Address field ends with “:” but no port number; give one after it "
                                         "(vCenter and ESXi use 443) or remove the “:”."))
        if has_port and not (port.isdigit() and 0 < int(port) < 65536):
            raise AddressProblem(self.tr("The Address field: “%1” is not a port number; a port is 1 to 65535 "
                                         "(vCenter and ESXi use 443).").replace("%1", port))
        if ":" in host:  # a bare IPv6 address gets its brackets back when a port follows
            host = f"[{host}]"
        return unquote(user), host + (f":{int(port)}" if port else "")

    def _tidy_address(self) -> None:
        """Leaving the Address field: a pasted ``vsphere://user@host:port/sdk`` becomes ``host:port`` there and
        ``user`` in the User field, so the form shows what will be used."""
        try:
            user, hostport = self.address_parts()
        except AddressProblem:
            return  # said when the user tests or presses Next
        if user:
            self.user.setText(user)
        if hostport != self.address.text().strip():
            self.address.setText(hostport)

    def source_text(self) -> str:
        """The source as the command line names it; raises :class:`AddressProblem` for a bad Address."""
        kind = self.kind.checkedId()
        if kind == DEMO:
            return "demo"
        if kind == LOCAL:
            return self.path.text().strip()
        user, address = self.address_parts()
        user = user or self.user.text().strip()
        return f"vsphere://{user}@{address}" if user else f"vsphere://{address}"

    def isComplete(self) -> bool:  # noqa: N802
        kind = self.kind.checkedId()
        if kind == VSPHERE:
            user_in_address = "@" in self.address.text()
            filled = bool(self.address.text().strip() and (self.user.text().strip() or user_in_address))
        elif kind == LOCAL:
            filled = bool(self.path.text().strip())
        else:
            filled = True
        return filled and not self.busy

    # -- connecting ----------------------------------------------------------------------------------

    def _host(self) -> str:
        try:
            return self.address_parts()[1].lower()
        except AddressProblem:
            return self.address.text().strip().lower()

    def _open(self, text: str, discover: bool):  # noqa: ANN202 - returns the job function
        """The job for Test connection (``discover=False``: connect or open the files, then close) and for
        Next (connect and read the inventory): the same opening, so both fail with the same error and fix."""
        password = self.password.text() or None
        remember = self.remember.isChecked()
        thumbprint = self._thumbprint  # else the core uses the one pinned earlier (known_hosts.json)
        fix = self.tr("Type the password in the Password field, then press Next.")

        def work(progress, cancel):  # noqa: ANN001, ANN202 - worker thread: no widgets here
            source = open_source(text, password=password, thumbprint=thumbprint, remember=remember, missing_fix=fix)
            if not discover:
                check_source(source, cancel)  # logs in and out again (vSphere), reads the files (local)
                return text, thumbprint, source, None
            inventory = source.discover(progress, cancel)
            return text, thumbprint, source, inventory

        return work

    def _text_or_say(self) -> str | None:
        """The source text, or None after saying in the status line what is wrong with the Address field."""
        try:
            return self.source_text()
        except AddressProblem as exc:
            self.status.stop(str(exc))
            self.last_error = exc
            return None

    def test_connection(self) -> None:
        """Really connect: log in to the server and out again, or open the files; nothing is discovered."""
        text = self._text_or_say()
        if text is None:
            return
        self._after_trust = "test"
        self.run(self._open(text, discover=False), self._tested, busy=self.status, text=self.tr("Connecting…"),
                 on_failure=self._failed)

    def _tested(self, result: tuple) -> None:
        text, _thumb, source, _inv = result
        if text == "demo":
            said = self.tr("The built-in demo is ready.")
        elif source.ref.kind == "vsphere":
            said = self.tr("Signed in to %1; the connection works.").replace("%1", self.source_name(source, text))
        else:
            said = self.tr("%1 can be read.").replace("%1", self.source_name(source, text))
        self.status.stop(said)

    def validatePage(self) -> bool:  # noqa: N802
        text = self._text_or_say()
        if text is None:
            return False
        if self._loaded_for == text and self.state.inventory is not None:
            return True
        if not self.busy:
            self._after_trust = "next"
            self.run(self._open(text, discover=True), self._discovered, busy=self.status,
                     text=self.tr("Connecting and reading the inventory…"), on_failure=self._failed,
                     on_progress=self._progress)
        return False

    def _progress(self, event: ProgressEvent) -> None:
        if event.total:
            self.status.label.setText(self.tr("Reading the inventory… %1 of %2").replace(
                "%1", str(event.done)).replace("%2", str(event.total)))

    def _discovered(self, result: tuple) -> None:
        text, _thumbprint, source, inventory = result
        if self.state.source is not None and self.state.source is not source:
            self.state.source.close()
        self.state.source, self.state.source_text, self.state.inventory = source, text, inventory
        self.state.source_ref = source.ref
        self._loaded_for = text
        prefs.add_recent_source(self.wiz.settings, text)
        self.status.stop(self.tr("Found %n VM(s).", "", len(inventory.vms)))
        self.wiz.next()

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, CertificateError) and exc.thumbprint:
            self._ask_trust(exc.thumbprint)
            return True
        if isinstance(exc, HvmError):
            self.status.stop(message_of(exc))  # in the window's language, as the error dialog says it
        return False

    def _ask_trust(self, thumbprint: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Unknown certificate"),
                          self.tr("The server %1 presented a certificate this computer does not trust.").replace(
                              "%1", self._host()), QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(self.tr("Trust it only if this SHA-256 thumbprint matches the one your "
                                       "administrator gave you:\n\n%1").replace("%1", thumbprint))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to compare or paste it
        trust = box.addButton(self.tr("&Trust and connect"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("&Do not connect"), QMessageBox.ButtonRole.RejectRole)
        self.status.stop(self.tr("The server's certificate is not trusted yet."))

        def answered() -> None:
            self.trust_prompt = None
            if box.clickedButton() is trust:
                self._thumbprint = thumbprint  # pinned in known_hosts.json once the connection succeeds
                if self._after_trust == "test":  # Trust repeats what was asked: a test does not discover
                    self.test_connection()
                else:
                    self.validatePage()

        box.finished.connect(answered)
        self.trust_prompt = box
        box.open()
