"""Templates: named sets of target settings (the ``--set`` vocabulary) applied before the rules run.

Built-in templates cover the common cases; ``auto`` (the default) picks one per VM from its firmware and
guest. User templates are JSON files ``{"schema": "hvmigrate.template/1", "name", "description",
"settings": {key: value}}`` in ``<config dir>/templates/`` (``$HVMIGRATE_CONFIG_DIR`` overrides the config
dir, else ``%APPDATA%\\hvmigrate`` on Windows, ``$XDG_CONFIG_HOME/hvmigrate`` or ``~/.config/hvmigrate``).

A template's settings are *preferences*: a rule may change them for a VM where they cannot work (a Gen 2
template on a BIOS VM stays Gen 1, with a finding saying so). Settings given with ``--set`` are the user's
explicit choice: rules never change them, they report the consequences.

Lookup (:func:`get_template`) accepts the id (``windows-server``), the display name, or a user template's
name, case-insensitively.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from wizard.compat.catalog import GuestInfo
from wizard.compat.settings import check_settings, parse_sets
from wizard.core.errors import PlanError, SchemaError
from wizard.core.inventory import Firmware, SourceVM
from wizard.core.paths import config_dir
from wizard.core.serial import read_json, write_json_atomic

TEMPLATE_SCHEMA = "hvmigrate.template/1"
AUTO = "auto"


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    description: str = ""
    settings: dict[str, str] = field(default_factory=dict, hash=False)
    builtin: bool = True


_SERVER_ACTIONS = {"automatic_start_action": "StartIfRunning", "automatic_stop_action": "ShutDown",
                   "checkpoint_type": "Production"}

BUILTIN: dict[str, Template] = {t.id: t for t in (
    Template("auto", "Auto (by firmware and guest)",
             "Picks one of the templates below for each VM: Windows 11 gets the Windows 11 template, other UEFI "
             "Windows the Windows Server one, UEFI Linux the Linux one, and BIOS VMs Legacy BIOS."),
    Template("windows-server", "Windows Server — Gen 2, Secure Boot",
             "Generation 2, Secure Boot on with the Microsoft Windows template, 32 MiB VHDX blocks, production "
             "checkpoints, start if it was running.",
             {"generation": "2", "secure_boot": "true", "secure_boot_template": "MicrosoftWindows",
              "disk.block_size": "32M", **_SERVER_ACTIONS}),
    Template("windows-11", "Windows 11 — Gen 2, Secure Boot, TPM",
             "Generation 2, Secure Boot (Microsoft Windows template) and a virtual TPM, as Windows 11 requires.",
             {"generation": "2", "secure_boot": "true", "secure_boot_template": "MicrosoftWindows", "tpm": "true",
              "disk.block_size": "32M", "checkpoint_type": "Production"}),
    Template("linux", "Linux — Gen 2, UEFI CA",
             "Generation 2 with the Microsoft UEFI Certificate Authority Secure Boot template (Secure Boot stays "
             "as it was on the source), 1 MiB VHDX blocks as Microsoft recommends for Linux.",
             {"generation": "2", "secure_boot_template": "MicrosoftUEFICertificateAuthority",
              "disk.block_size": "1M", **_SERVER_ACTIONS}),
    Template("legacy-bios", "Legacy BIOS — Gen 1",
             "Generation 1 (BIOS, IDE boot disk) for VMs that boot with BIOS.",
             {"generation": "1", "secure_boot": "false", **_SERVER_ACTIONS}),
)}


def templates_dir() -> Path:
    return config_dir() / "templates"


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:80] or "template"


def save_template(name: str, settings: dict[str, object], description: str = "") -> Path:
    """Validate and save a user template; returns its file. Built-in names cannot be overwritten."""
    if not name.strip():
        raise PlanError("a template needs a name")
    slug = _slug(name)
    if slug in BUILTIN or any(t.name.lower() == name.strip().lower() for t in BUILTIN.values()):
        raise PlanError(f"{name!r} is a built-in template name", fix="Choose another name.")
    parsed = parse_sets(settings)
    check_settings(parsed)
    folder = templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.json"
    write_json_atomic(path, {"schema": TEMPLATE_SCHEMA, "name": name.strip(), "description": description,
                             "settings": parsed})
    return path


def _load_file(path: Path) -> Template:
    data = read_json(path)
    if not isinstance(data, dict) or data.get("schema") != TEMPLATE_SCHEMA:
        raise SchemaError("not an hvmigrate template file", path=path, field="schema",
                          fix=f'The first key must be "schema": "{TEMPLATE_SCHEMA}".')
    name = data.get("name")
    settings = data.get("settings", {})
    if not isinstance(name, str) or not name.strip():
        raise SchemaError("template has no name", path=path, field="name")
    if not isinstance(settings, dict):
        raise SchemaError("settings must be an object", path=path, field="settings")
    try:
        parsed = parse_sets(settings)
        check_settings(parsed)
    except PlanError as exc:
        raise SchemaError(f"invalid template: {exc.message}", path=path, field="settings") from None
    return Template(path.stem, name.strip(), str(data.get("description", "")), parsed, builtin=False)


def user_templates() -> list[Template]:
    folder = templates_dir()
    if not folder.is_dir():
        return []
    return [_load_file(p) for p in sorted(folder.glob("*.json"))]


def list_templates() -> list[Template]:
    return [*BUILTIN.values(), *user_templates()]


def get_template(name: str | None) -> Template:
    """The template called ``name`` (id, display name or user template name); ``None``/"" → auto."""
    if not name:
        return BUILTIN[AUTO]
    key = name.strip().lower()
    for t in BUILTIN.values():
        if key in (t.id, t.name.lower()):
            return t
    for t in user_templates():
        if key in (t.id.lower(), t.name.lower()):
            return t
    known = ", ".join([*BUILTIN, *(t.name for t in user_templates())])
    raise PlanError(f"no template called {name!r}", fix=f"Known templates: {known}.")


def auto_template_for(vm: SourceVM, guest: GuestInfo) -> Template:
    """What ``auto`` means for this VM."""
    if vm.firmware is not Firmware.EFI:
        return BUILTIN["legacy-bios"]
    if guest.family == "windows":
        if guest.version in ("11", "12"):
            return BUILTIN["windows-11"]
        return BUILTIN["windows-server"]
    if guest.family == "linux":
        return BUILTIN["linux"]
    return BUILTIN[AUTO]  # UEFI FreeBSD/other: no template preferences, the rules decide


def describe(template: Template) -> str:
    return json.dumps({"id": template.id, "name": template.name, "settings": template.settings}, ensure_ascii=False)

