"""Qt-free domain core: inventory and plan models, errors, progress and cancellation.

Nothing under ``wizard.core`` may import PySide6; the UI and the CLI both drive this layer.
"""
