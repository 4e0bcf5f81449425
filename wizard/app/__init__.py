"""The application layer: the typed use cases both front ends call (no Qt, no argparse).

- :mod:`wizard.app.sources` — open a source, discover its VMs, the plan's reference to it;
- :mod:`wizard.app.planning` — the user's answers (:class:`~wizard.app.planning.PlanRequest`) → assessment
  and the plan; the re-check a plan passes before it runs; templates;
- :mod:`wizard.app.targets` — one description of a target and the one place that opens or probes it;
- :mod:`wizard.app.migration` — start, resume and report a migration with the one scheduler;
- :mod:`wizard.app.reports` — the compatibility report; :mod:`wizard.app.disks` — one disk image.

The wizard (``wizard.ui``) and the command line (``wizard.commands``) import this layer and ``wizard.core``
only; ``tests/unit/test_architecture.py`` holds them to it.
"""
