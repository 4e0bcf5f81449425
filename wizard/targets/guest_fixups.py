"""Post-migration guest fix-ups.

Windows guests: ``Invoke-GuestFixups.ps1`` runs on the Hyper-V host and reaches into the new VM with
PowerShell Direct (``Invoke-Command -VMName ... -Credential``), which needs no network in the guest. The
guest credentials come from the keyring (kind ``guest``) and travel only inside the base64 settings over
the encrypted WinRM channel; the script builds the PSCredential from that data. It can uninstall VMware
Tools, re-apply the static IP settings captured from the source (``SourceVM.guest_ips``) to the new
synthetic adapter, and bring offline data disks online; it answers with a JSON report.

Linux guests: on a Linux workstation with libguestfs, ``wizard.guests`` prepares the converted disks offline
(initramfs drivers, network bound to the new adapter, VMware Tools from the tarball) and :func:`offline_report`
lists what it changed. Where that was not possible (turned off, no libguestfs, a Windows workstation, a guest it
refused), :func:`linux_instructions` gives the exact steps per distribution family for the report.

PowerShell cannot run where hvmigrate is tested; the script's evidence is the grammar test, the cmdlet
table and the WinRM stand-in (see ``wizard.targets.powershell``).
"""

from __future__ import annotations

from typing import Any

from wizard.core.i18n import label_separator, phrase, translate, translate_clauses, user_text
from wizard.core.inventory import SourceVM
from wizard.core.plan import PlanItem
from wizard.guests.report import PREPARED, UNCHANGED, Change, PrepReport
from wizard.targets.base import FixupReport
from wizard.targets.vmdata import normalize_mac

FIXUPS_SCHEMA = "hvmigrate.guest-fixups/1"
HV_MODULES = ("hv_vmbus", "hv_storvsc", "hv_netvsc")

_DRACUT = ("rhel", "red hat", "centos", "fedora", "rocky", "alma", "oracle", "sles", "suse", "opensuse")
_INITRAMFS_TOOLS = ("debian", "ubuntu", "mint")


def distro_family(vm: SourceVM) -> str:
    """``dracut`` | ``initramfs-tools`` | ``""`` from the guest id / names the source reported."""
    text = " ".join((vm.guest.id, vm.guest.full_name, vm.guest.running_id, vm.guest.running_full_name)).lower()
    if any(k in text for k in _INITRAMFS_TOOLS):
        return "initramfs-tools"
    if any(k in text for k in _DRACUT):
        return "dracut"
    return ""


def linux_instructions(vm: SourceVM) -> list[str]:
    """Exact steps to make a Linux guest boot and reach the network on Hyper-V (run them before the
    move on the source, or from a rescue shell after it)."""
    mods = " ".join(HV_MODULES)
    family = distro_family(vm)
    steps: list[str] = []
    if family == "dracut":
        steps += [
            user_text(f"Add the Hyper-V drivers to the initramfs: echo 'add_drivers+=\" {mods} \"' "
                      "> /etc/dracut.conf.d/hyperv.conf"),
            user_text(f"Rebuild it for every installed kernel: dracut -f --regenerate-all (or: dracut -f "
                      f"--add-drivers \"{mods}\" /boot/initramfs-$(uname -r).img $(uname -r))"),
            user_text("Check it: lsinitrd | grep -E 'hv_(vmbus|storvsc|netvsc)'"),
            user_text("Network: check /etc/sysconfig/network-scripts/ifcfg-* (RHEL/CentOS/Fedora ≤ 8), "
                      "/etc/NetworkManager/system-connections/*.nmconnection (RHEL 9+) or "
                      "/etc/sysconfig/network/ifcfg-* (SLES): remove HWADDR= / mac-address= lines bound to the old "
                      "VMware MAC and any vmxnet3 alias."),
        ]
    elif family == "initramfs-tools":
        steps += [
            user_text("Add the Hyper-V drivers to the initramfs: printf 'hv_vmbus\\nhv_storvsc\\nhv_netvsc\\n' "
                      ">> /etc/initramfs-tools/modules"),
            user_text("Rebuild it: update-initramfs -u -k all"),
            user_text("Check it: lsinitramfs /boot/initrd.img-$(uname -r) | grep -E 'hv_(vmbus|storvsc|netvsc)'"),
            user_text("Network: check /etc/netplan/*.yaml (Ubuntu 18.04+; 'match: macaddress:' lines bind the old "
                      "MAC) or /etc/network/interfaces (Debian; the interface name may change from ens192 to eth0)."),
        ]
    else:
        steps += [
            user_text(f"Make sure the kernel modules {mods} are in the initramfs (dracut or update-initramfs, "
                      "depending on the distribution), or the VM will not find its root disk."),
            user_text("Check the network configuration for the old interface name or MAC address."),
        ]
    steps += [
        user_text("Remove hard dependencies on VMware drivers (vmw_pvscsi, vmxnet3) from /etc/modprobe.d and the "
                  "initramfs configuration, and uninstall open-vm-tools once the VM runs on Hyper-V."),
        user_text("Install the Hyper-V guest daemons (hyperv-daemons on RHEL/Fedora, linux-cloud-tools / "
                  "hyperv-daemons on Debian/Ubuntu) for KVP, VSS and file copy."),
    ]
    if vm.firmware.value == "efi":
        steps.append(user_text("Generation 2 with Secure Boot: the VM needs the MicrosoftUEFICertificateAuthority "
                               "template."))
    return steps


def static_ip_settings(item: PlanItem) -> list[dict[str, Any]]:
    """The manually configured addresses to re-apply, each with the MAC of the Hyper-V adapter to use."""
    vm = item.vm
    nics_by_mac = {n.mac.lower(): i for i, n in enumerate(vm.nics) if n.mac}
    planned = {n.source_index: n for n in item.target.nics}
    out = []
    for ip in vm.guest_ips:
        if ip.origin != "manual" or not ip.address or ip.prefix_length is None:
            continue
        index = nics_by_mac.get(ip.mac.lower(), 0)
        nic = planned.get(index)
        out.append({
            "address": ip.address, "prefix_length": ip.prefix_length, "gateways": list(ip.gateways),
            "dns_servers": list(ip.dns_servers), "source_mac": ip.mac,
            "adapter_mac": normalize_mac(nic.static_mac) if nic is not None and nic.static_mac else "",
        })
    return out


def windows_fixup_data(item: PlanItem, user: str, password: str, vm_id: str = "") -> dict[str, Any]:
    """Settings for ``Invoke-GuestFixups.ps1``. Holds the guest password: send it only over the
    encrypted WinRM channel, never log it or write it to a file."""
    fx = item.target.fixups
    return {
        "schema": FIXUPS_SCHEMA,
        "vm_name": item.target.name,
        "vm_id": vm_id,
        "user": user,
        "password": password,
        "remove_vmware_tools": fx.remove_vmware_tools,
        "bring_disks_online": fx.bring_disks_online,
        "static_ips": static_ip_settings(item) if fx.reapply_static_ips else [],
    }


def offline_report(item: PlanItem, prep: PrepReport | None = None) -> FixupReport:
    """What a person does after importing a bundle (no guest access from here); ``prep`` is what the offline
    preparation of a Linux guest did (None: it did not apply or did not run)."""
    report = FixupReport()
    family = item.vm.guest.family
    fx = item.target.fixups
    if family == "windows":
        if fx.remove_vmware_tools:
            report.instructions.append(user_text("In the guest: uninstall VMware Tools (Apps & features), then "
                                                 "restart."))
        if fx.reapply_static_ips:
            for ip in static_ip_settings(item):
                address = f"{ip['address']}/{ip['prefix_length']}"
                gateways, dns = ", ".join(ip["gateways"]), ", ".join(ip["dns_servers"])
                if ip["gateways"] and ip["dns_servers"]:
                    text = user_text(f"In the guest: give the Hyper-V adapter the static address {address}, gateway "
                                     f"{gateways}, DNS {dns}.")
                elif ip["gateways"]:
                    text = user_text(f"In the guest: give the Hyper-V adapter the static address {address}, gateway "
                                     f"{gateways}.")
                elif ip["dns_servers"]:
                    text = user_text(f"In the guest: give the Hyper-V adapter the static address {address}, DNS "
                                     f"{dns}.")
                else:
                    text = user_text(f"In the guest: give the Hyper-V adapter the static address {address}.")
                report.instructions.append(text)
        if fx.bring_disks_online:
            report.instructions.append(user_text("In the guest: bring data disks online in Disk Management "
                                                 "(Hyper-V presents them as new disks, which Windows may keep "
                                                 "offline)."))
    elif prep is not None and prep.status in (PREPARED, UNCHANGED):
        report.done.append(prep.summary())
        report.done += [c.text() for c in prep.changes]
        report.instructions += prep.notes
        report.instructions += linux_after_prep(item)
    elif family in ("linux", "") and fx.linux_initramfs_drivers:
        if prep is not None:
            report.failed.append(prep.summary())
            report.instructions += prep.notes
        report.instructions += linux_instructions(item.vm)
    return report


def change_parts(c: Change) -> tuple[str, str, str]:
    """(file, what, why) of one change inside a guest in the current language: the file is a path, or our words
    for what has none ("VMware Tools (tarball install)")."""
    return (c.file if c.file.startswith("/") else translate(c.file)), translate_clauses(c.what), translate(c.why)


def change_text(c: Change) -> str:
    """One change inside a guest in the current language, on one line (see :func:`change_parts`), with where the
    original was kept."""
    file, what, why = change_parts(c)
    if c.original:
        return phrase("{0}: {1} — {2} (original kept as {3})", file, what, why, c.original)
    return f"{file}{label_separator()}{what} — {why}"


def shown_lines(report: FixupReport, prep: PrepReport | None = None) -> FixupReport:
    """``report`` as a person reads it (the migration report, the bundle's README): in the current language,
    except lines the Hyper-V guest fix-up script wrote (its words and Windows' messages), shown as they are.
    ``prep`` is the offline preparation ``report`` was made from: its changes are translated piece by piece."""
    ours = not report.details  # an offline report, or one we made when the script did not answer
    if ours and prep is not None and report.done[:1] == [prep.summary()]:
        done = [translate(prep.summary())] + [change_text(c) for c in prep.changes]
    else:
        done = [translate(x) if ours else x for x in report.done]
    return FixupReport(done=done, failed=[translate(x) if ours else x for x in report.failed],
                       instructions=[translate(x) for x in report.instructions], details=report.details)


def linux_after_prep(item: PlanItem) -> list[str]:
    """What is left to do in a Linux guest hvmigrate prepared offline."""
    steps = [user_text("In the guest: check that the network came up on the Hyper-V adapter (ip addr), then install "
                       "the Hyper-V guest daemons (hyperv-daemons on RHEL/Fedora, linux-cloud-tools / hyperv-daemons "
                       "on Debian/Ubuntu) for KVP, VSS and file copy."),
             user_text("The files hvmigrate changed are listed above; each original is kept as "
                       "<file>.hvmigrate-orig (in a .hvmigrate-orig folder for network connection folders).")]
    if item.vm.firmware.value == "efi" and item.target.secure_boot:
        steps.append(user_text("Generation 2 with Secure Boot: the VM needs the MicrosoftUEFICertificateAuthority "
                               "template."))
    return steps


def parse_fixup_result(doc: dict[str, Any]) -> FixupReport:
    """Turn the script's JSON answer into a report."""
    report = FixupReport(details=doc)
    for entry in doc.get("actions", []) or []:
        text = str(entry.get("text", ""))
        (report.done if entry.get("ok") else report.failed).append(text)
    if doc.get("error"):
        report.failed.append(str(doc["error"]))
    return report
