"""Inventory table speed: filter and sort 5,000 VMs through the wizard's model and proxy (target ≤ 100 ms each).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/inventory_filter.py [N]``. Prints the median of 5 runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from tests.ui.inventory_data import many_vms  # noqa: E402
from wizard.ui.models.inventory import COLUMNS, InventoryFilter, InventoryModel  # noqa: E402


def timed(fn) -> float:  # noqa: ANN001
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        fn()
        QApplication.processEvents()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    app = QApplication.instance() or QApplication([])
    model = InventoryModel(many_vms(n).vms)
    proxy = InventoryFilter()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(1000, 600)
    view.show()
    app.processEvents()
    words = iter(["vm0", "ubuntu", "cluster-3", "dept1", "esx0"] * 10)
    results = {
        "filter (search text)": timed(lambda: (proxy.set_filters(text=next(words)), proxy.set_filters(text=""))) / 2,
        "filter (power + family)": timed(lambda: proxy.set_filters(power="poweredOn", family="linux")),
        "sort by name": timed(lambda: proxy.sort(COLUMNS.index("name"), Qt.SortOrder.AscendingOrder)),
        "sort by memory (desc)": timed(lambda: proxy.sort(COLUMNS.index("memory"), Qt.SortOrder.DescendingOrder)),
        "sort by guest OS": timed(lambda: proxy.sort(COLUMNS.index("guest"), Qt.SortOrder.AscendingOrder)),
    }
    print(f"inventory model, {n} VMs (median of 5; target <= 100 ms each)")
    for name, ms in results.items():
        print(f"  {name:<26} {ms:7.1f} ms  {'ok' if ms <= 100 else 'SLOW'}")


if __name__ == "__main__":
    main()
