"""Secure Boot templates, virtual TPM, encryption and configuration versions."""

from __future__ import annotations

from wizard.compat.catalog import feature_min_version, version_at_least
from wizard.compat.rules.refs import LX, WG, A, G, K, V, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity

UCA = "MicrosoftUEFICertificateAuthority"
MSW = "MicrosoftWindows"


def _is_win11(ctx: RuleContext) -> bool:
    return ctx.guest.family == "windows" and ctx.guest.version in ("11", "12")


@rule("SB-NOT-SUPPORTED", Severity.INFO, "Secure Boot turned off for this guest", join(G, LX), order=30)
def secure_boot_unsupported(ctx: RuleContext) -> None:
    g = ctx.guest
    if ctx.spec.generation != 2 or not ctx.spec.secure_boot or g.family in ("windows", "linux"):
        return
    if g.secure_boot_template is not None or not g.known:
        return
    if ctx.locked("secure_boot"):
        ctx.flag(f"{g.name} does not support Secure Boot on Hyper-V; with it on, the VM will not start.",
                 "Turn Secure Boot off (--set secure_boot=false).", severity=Severity.WARNING)
        return
    ctx.spec.secure_boot = False
    ctx.flag(f"{g.name} does not support Secure Boot on Hyper-V, so the plan turns it off.",
             "Nothing to do.", adjusted=True)


@rule("SB-LINUX-TEMPLATE", Severity.INFO, "Linux Secure Boot needs the UEFI CA template", join(G, V), order=32)
def linux_secure_boot_template(ctx: RuleContext) -> None:
    s = ctx.spec
    if s.generation != 2 or not s.secure_boot or ctx.guest.family != "linux" or s.secure_boot_template == UCA:
        return
    if ctx.locked("secure_boot_template"):
        ctx.flag(f"Linux boot loaders are signed by the Microsoft UEFI CA; with Secure Boot on and the "
                 f"{s.secure_boot_template} template the VM will not start.",
                 f"Use --set secure_boot_template={UCA}, or turn Secure Boot off.", severity=Severity.BLOCKER)
        return
    s.secure_boot_template = UCA
    ctx.flag("Linux boot loaders (shim) are signed by the Microsoft UEFI Certificate Authority, so Secure Boot "
             f"uses the {UCA} template instead of the Windows default.", "Nothing to do.", adjusted=True)


@rule("SB-WINDOWS-TEMPLATE", Severity.INFO, "Windows Secure Boot needs the Windows template", G, order=33)
def windows_secure_boot_template(ctx: RuleContext) -> None:
    s = ctx.spec
    if s.generation != 2 or not s.secure_boot or ctx.guest.family != "windows" or s.secure_boot_template == MSW:
        return
    if ctx.locked("secure_boot_template"):
        ctx.flag(f"Windows boot loaders are checked against the {MSW} template; with "
                 f"{s.secure_boot_template} the VM may not start.",
                 f"Use --set secure_boot_template={MSW}.", severity=Severity.WARNING)
        return
    s.secure_boot_template = MSW
    ctx.flag(f"Windows guests boot with the {MSW} Secure Boot template; the plan uses it.", "Nothing to do.",
             adjusted=True)


@rule("TPM-WIN11", Severity.INFO, "Windows 11 needs Secure Boot and a virtual TPM", join(K, G, WG), order=34)
def windows11_tpm(ctx: RuleContext) -> None:
    if not _is_win11(ctx):
        return
    s = ctx.spec
    if s.generation == 1:
        ctx.flag("This Windows 11 VM starts with BIOS, so it becomes Generation 1, which has no TPM or Secure "
                 "Boot. Microsoft supports Windows 11 only on Generation 2; it may run, but updates can refuse it.",
                 "Convert the guest to UEFI on the source first (mbr2gpt /convert, then switch the VM to EFI "
                 "firmware), and assess again.", severity=Severity.WARNING)
        return
    missing = [name for name, ok in (("a virtual TPM", s.tpm), ("Secure Boot", s.secure_boot)) if not ok]
    if not missing:
        return
    if ctx.locked("tpm", "secure_boot"):
        ctx.flag(f"Windows 11 does not start on Hyper-V without {' and '.join(missing)}.",
                 "Turn them on (--set tpm=true --set secure_boot=true).", severity=Severity.BLOCKER)
        return
    s.tpm = True
    s.secure_boot = True
    s.secure_boot_template = MSW
    ctx.flag(f"Windows 11 does not start on Hyper-V without {' and '.join(missing)}; the plan adds "
             "them (Generation 2, Secure Boot with the Microsoft Windows template, a new virtual TPM).",
             "Nothing to do. If BitLocker is on, keep its recovery key at hand: the new TPM is empty.",
             adjusted=True)


@rule("TPM-SOURCE", Severity.WARNING, "The source's virtual TPM cannot be copied", join(A, K), order=35)
def source_vtpm(ctx: RuleContext) -> None:
    if not ctx.vm.vtpm:
        return
    s = ctx.spec
    if s.generation == 1:
        ctx.flag("The source VM has a virtual TPM, but Generation 1 VMs have none: anything sealed to it "
                 "(BitLocker, Windows Hello, certificates) will not unlock.",
                 "Suspend BitLocker (or note the recovery key) before the move.")
        return
    if not s.tpm and not ctx.locked("tpm"):
        s.tpm = True
    if not s.tpm:
        ctx.flag("The source VM has a virtual TPM, and the plan gives the Hyper-V VM none: BitLocker will ask for "
                 "its recovery key, and other TPM-sealed secrets are lost.",
                 "Suspend BitLocker or save the recovery key before the move, or turn the TPM on (--set tpm=true).")
        return
    ctx.flag("The source VM's virtual TPM holds keys that cannot be exported; the Hyper-V VM gets a new, empty "
             "TPM. BitLocker will ask for its recovery key at the first start; other TPM-sealed secrets are lost.",
             "Before the move: suspend BitLocker (manage-bde -protectors -disable C:) or save the recovery key.",
             adjusted=True)


@rule("VM-ENCRYPTED", Severity.BLOCKER, "Encrypted VM or disk", A, order=36)
def vm_encrypted(ctx: RuleContext) -> None:
    disks = [d.label or f"disk {i}" for i, d in enumerate(ctx.vm.disks) if d.encrypted]
    if not ctx.vm.encrypted and not disks:
        return
    what = "The VM is encrypted" if ctx.vm.encrypted else "Encrypted disks: " + ", ".join(disks)
    ctx.flag(f"{what} (VMware VM Encryption). Encrypted disks cannot be read and converted as they are.",
             "Decrypt the VM on the source (VM Options > Encryption: none), then assess again. BitLocker inside "
             "the guest is not affected by this.")


@rule("CONFIG-VERSION", Severity.BLOCKER, "Configuration version not supported by the host", V, order=38)
def config_version(ctx: RuleContext) -> None:
    v = ctx.spec.version
    if not v or v in ctx.limits.supported_config_versions:
        return
    if ctx.limits.version == "unknown":
        ctx.flag(f"Configuration version {v} may not exist on the target host (Windows Server 2016 creates up to "
                 "8.0).", "Leave the version empty (host default) or give --target-version.",
                 severity=Severity.WARNING)
        return
    ctx.flag(f"{ctx.limits.label} cannot create or run VMs with configuration version {v}. It supports: "
             + ", ".join(ctx.limits.supported_config_versions) + ".",
             "Leave the version empty (host default) or pick a supported one.")


@rule("CONFIG-FEATURES", Severity.BLOCKER, "Configuration version too old for the chosen features", V, order=39)
def config_features(ctx: RuleContext) -> None:
    s = ctx.spec
    if not s.version:
        return
    wanted = []
    if s.tpm:
        wanted.append(("a virtual TPM", "vtpm"))
    if s.generation == 2 and s.secure_boot and s.secure_boot_template == UCA:
        wanted.append(("Secure Boot for Linux (UEFI CA template)", "linux_secure_boot"))
    if s.expose_virtualization_extensions:
        wanted.append(("nested virtualization", "nested_virtualization"))
    if s.checkpoint_type in ("Production", "ProductionOnly"):
        wanted.append(("production checkpoints", "production_checkpoints"))
    too_old = []
    for label, key in wanted:
        minimum, _ = feature_min_version(key)
        if not version_at_least(s.version, minimum):
            too_old.append(f"{label} needs {minimum}")
    if too_old:
        ctx.flag(f"The plan uses configuration version {s.version}, but " + "; ".join(too_old) + ".",
                 "Use a newer configuration version (or leave it empty for the host default), or turn the "
                 "feature off.")
