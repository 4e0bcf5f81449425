"""Render installer/icons/hvmigrate.svg to the raster icons the packages need.

Writes ``hvmigrate-<N>.png`` for the hicolor theme sizes (Linux ``.desktop`` entry) and a 256 px
``hvmigrate.ico`` (Windows executable and installer). Uses Qt's own SVG renderer and ICO writer from the
build venv's PySide6, so the build needs no image tool from the system.

Usage: python installer/make_icons.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SVG = Path(__file__).resolve().parent / "icons" / "hvmigrate.svg"
PNG_SIZES = (16, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main(out_dir: str) -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"make_icons: cannot read {SVG}", file=sys.stderr)
        return 2
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        if not render(renderer, size).save(str(out / f"hvmigrate-{size}.png"), "PNG"):
            print(f"make_icons: cannot write PNG {size}", file=sys.stderr)
            return 2
    # Qt's ICO writer stores a single image; Windows scales the 256 px one for smaller views.
    writer = QImageWriter(str(out / "hvmigrate.ico"), b"ico")
    if not writer.write(render(renderer, 256)):
        print(f"make_icons: cannot write ICO: {writer.errorString()}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/installer/icons"))
