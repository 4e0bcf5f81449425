"""Entry script of the frozen app (PyInstaller needs a file, not a console-script entry point).

It does exactly what the ``hvmigrate`` console script does: no arguments open the wizard, a sub-command
runs the CLI. ``freeze_support`` lets worker processes started by ``multiprocessing`` run in the frozen
executable instead of starting a second copy of the app.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from wizard.__main__ import main

    sys.exit(main())
