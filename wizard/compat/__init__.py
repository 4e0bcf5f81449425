"""Compatibility rules, catalogs (guest OS, Hyper-V limits per host version) and templates.

Entry points:
- ``engine.assess(vms, target_version, template, overrides)`` → per-VM findings + proposed ``VMSpec``;
  ``engine.evaluate`` adds the template used and the codes applied; ``engine.build_plan`` /
  ``engine.plan_with_report`` make a ``Plan``; ``engine.validate_plan`` re-checks a saved one.
- ``templates``: built-in and user templates (``list_templates``, ``get_template``, ``save_template``).
- ``settings``: the ``key=value`` vocabulary of ``--set``, templates and the UI's adjustments.
- ``rules``: the rule registry (``rules.codes()`` lists every code with severity, title and source).
- ``catalog``: ``resources/catalog/hyperv_limits.json`` and ``guest_os.json``.
"""
