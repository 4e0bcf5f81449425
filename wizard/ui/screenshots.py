"""``hvmigrate gui --demo --screenshots DIR``: walk the demo through every page, including a real
migration into a temporary bundle folder, save one PNG per page and ``DIR/plan.json`` (the plan the wizard
runs with its default answers, as the Summary page's *Save plan* writes it), and exit.

It also saves ``DIR/10-error.png``: the error dialog a typed error opens (:func:`wizard.ui.errors.show_error`,
as a failed page job shows it), for an unreachable vCenter, with the message and fix the vSphere source gives.

It drives the same window a user sees, from a coroutine on the qasync loop; it waits on page
conditions (with timeouts), never on fixed delays.

For reviews at other window sizes: ``hvmigrate gui --demo --screenshots DIR --size 800x600 [--lang zh_CN]``
(the default is 1000x700, the size of the README pictures).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wizard.core.errors import ConnectError
from wizard.ui.errors import show_error
from wizard.ui.window import MigrationWizard

DEFAULT_SIZE = (1000, 700)
PAGES = ("01-source", "02-inventory", "03-compatibility", "04-target", "05-template", "06-networks",
         "07-summary", "08-progress", "09-done")
ERROR = "10-error"  # the error dialog alone: its own size, not the window's
SETTLE_ROUNDS = 6  # more than the wizard's nesting of layouts (window, page frame, page, row)


class WalkError(RuntimeError):
    pass


async def wait_until(window: MigrationWizard, condition: Callable[[], bool], what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if window.error_dialog is not None and window.error_dialog.isVisible():
            dialog = window.error_dialog
            raise WalkError(f"{what}: {dialog.message_label.text()} {dialog.details.toPlainText()}")  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise WalkError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def settle() -> None:
    """Deliver what is pending, layouts included: a change (a longer total, a wider page) re-lays out one
    level of widgets per round of posted events."""
    for _ in range(SETTLE_ROUNDS):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def shoot(window: MigrationWizard, folder: Path, name: str) -> None:
    settle()
    window.grab().save(str(folder / f"{name}.png"))


def parse_size(text: str) -> tuple[int, int]:
    """``"800x600"`` → ``(800, 600)``; ValueError for anything else."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) < 320 or int(height) < 240:
        raise ValueError(f"window size {text!r}: expected WIDTHxHEIGHT, at least 320x240, e.g. 800x600")
    return int(width), int(height)


async def walk(window: MigrationWizard, out_dir: str, size: tuple[int, int] = DEFAULT_SIZE) -> int:
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    bundle = tempfile.mkdtemp(prefix="hvmigrate-demo-bundle-")
    window.resize(*size)
    window.show()
    try:
        await _walk(window, folder, bundle)
    except WalkError as exc:
        print(f"hvmigrate: screenshots stopped: {exc}", file=sys.stderr)
        window.hide()
        return 2
    finally:
        # the walk's bundle only feeds the last pages; keeping it would leave hundreds of MiB per run in /tmp
        if window.state.runner is not None:
            window.state.runner.wait(60)
        shutil.rmtree(bundle, ignore_errors=True)
    print(f"screenshots in {folder}")
    window.accept()
    return 0


def shoot_error(w: MigrationWizard, folder: Path) -> None:
    """Save the dialog the Source page opens when the vCenter cannot be reached: the typed error the vSphere
    source raises for a connection that timed out (``sources/vsphere_tls.py``), shown as a failed job shows
    it (``Page.run``). The dialog is closed again; the walk goes on with the demo."""
    error = ConnectError("Cannot reach vc01.corp.example:443.", details="TimeoutError: timed out")
    dialog = show_error(w.currentPage(), error)
    settle()
    dialog.grab().save(str(folder / f"{ERROR}.png"))
    dialog.accept()
    settle()


async def _walk(w: MigrationWizard, folder: Path, bundle: str) -> None:
    page = w.currentPage
    shoot(w, folder, PAGES[0])
    shoot_error(w, folder)
    w.next()
    await wait_until(w, lambda: w.currentId() == w.INVENTORY, "the demo inventory")

    page().check_visible()
    page().table.selectRow(0)
    shoot(w, folder, PAGES[1])
    w.next()

    await wait_until(w, lambda: not page().busy and bool(w.state.assessments), "the compatibility check")
    compat = page()
    for i in range(compat.vms.topLevelItemCount()):  # untick blocked VMs, as a user would
        item = compat.vms.topLevelItem(i)
        vm_id = item.data(0, Qt.ItemDataRole.UserRole)
        if w.state.assessments[vm_id].blocked:
            item.setCheckState(0, Qt.CheckState.Unchecked)
    _select_most_interesting(compat)
    shoot(w, folder, PAGES[2])
    await wait_until(w, lambda: compat.isComplete(), "a VM that is not blocked")
    w.next()

    target = page()
    target.folder.setText(bundle)
    target.probe()
    await wait_until(w, lambda: target.ready() and w.state.target_info is not None, "the target check")
    shoot(w, folder, PAGES[3])
    w.next()

    await wait_until(w, lambda: page().ready(), "the template check")
    shoot(w, folder, PAGES[4])
    w.next()
    shoot(w, folder, PAGES[5])
    w.next()
    await wait_until(w, lambda: page().ready(), "the summary")
    shoot(w, folder, PAGES[6])
    summary = page()
    summary.save_plan(str(folder / "plan.json"))  # the plan the wizard runs: compare it with `hvmigrate plan`
    await wait_until(w, lambda: not summary.busy and bool(w.state.plan_path), "the plan to be saved")
    w.next()

    progress = page()
    await wait_until(w, lambda: progress.isComplete() or any(
        r["fraction"] > 0.3 for r in progress.model.rows.values()), "the migration to make progress", 600)
    shoot(w, folder, PAGES[7])
    await wait_until(w, progress.isComplete, "the migration", 1800)
    shoot(w, folder, PAGES[7])  # the finished state replaces the mid-run picture only when it was too quick
    w.next()
    await wait_until(w, lambda: not page().busy, "the report")
    shoot(w, folder, PAGES[8])


def _select_most_interesting(compat) -> None:  # noqa: ANN001 - show a VM with findings in the screenshot
    for i in range(compat.vms.topLevelItemCount()):
        item = compat.vms.topLevelItem(i)
        a = compat.state.assessments.get(item.data(0, Qt.ItemDataRole.UserRole))
        if a is not None and a.findings and not a.blocked:
            compat.vms.setCurrentItem(item)
            return
