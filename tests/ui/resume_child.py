"""The first half of the kill -9 resume test, in a child process: the wizard migrates the demo into a bundle,
clicked through as a user does, while the reads of one disk stop at three quarters of it (a datastore that
stopped answering). The parent kills this process once the journal shows the other VMs finished and that
disk's checkpoints; nothing here ever ends on its own.

Usage: ``python -m tests.ui.resume_child BUNDLE VM DISK`` (environment: the test's state, cache and settings
folders, and a small ``HVMIGRATE_CHECKPOINT_MIB``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from wizard.disks.image import DiskImage, ImageInfo
from wizard.sources.demo import DemoSource


class Held(DiskImage):
    """``inner``, except that every read at or past ``gate`` waits forever."""

    def __init__(self, inner: DiskImage, gate: int) -> None:
        self.inner, self.gate = inner, gate
        self.path, self.virtual_size, self.ordered = inner.path, inner.virtual_size, inner.ordered

    def info(self) -> ImageInfo:
        return self.inner.info()

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        return self.inner.allocated_ranges()

    def readinto(self, offset: int, buf: memoryview) -> None:
        if offset >= self.gate:
            threading.Event().wait()  # the parent's kill -9 ends it
        self.inner.readinto(offset, buf)

    def close(self) -> None:
        self.inner.close()


class Bot:
    """The one thing of pytest-qt's ``qtbot`` the driver uses: wait for a condition while Qt runs."""

    @staticmethod
    def waitUntil(condition, timeout: int = 120_000) -> None:  # noqa: ANN001, N802
        waited = 0
        while not condition():
            if waited > timeout:
                raise TimeoutError("the wizard did not get there")
            QTest.qWait(20)
            waited += 20


def main(bundle: str, vm: str, disk: int) -> None:
    opened = DemoSource.open_disk

    def open_disk(self, source_vm, index, cancel=None):  # noqa: ANN001, ANN202
        image = opened(self, source_vm, index, cancel)
        return Held(image, image.virtual_size * 3 // 4) if (source_vm.name, index) == (vm, disk) else image

    DemoSource.open_disk = open_disk  # type: ignore[method-assign]
    from tests.ui.driver import to_inventory, to_progress, to_target
    from wizard.ui import i18n
    from wizard.ui.window import MigrationWizard

    app = QApplication(sys.argv[:1])
    i18n.install(app, "en")
    w = MigrationWizard()
    w.show()
    bot = Bot()
    to_inventory(bot, w)
    to_target(bot, w)
    to_progress(bot, w, bundle)
    print("migrating", flush=True)
    bot.waitUntil(lambda: False, timeout=10**9)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
