"""The guests of the boot proof: {initramfs-tools, dracut host-only} × {BIOS/MBR, UEFI/GPT}."""

from __future__ import annotations

from dataclasses import dataclass

# What the guest's init prints on the serial console once the initramfs has mounted the root file system from
# the disk (the script that prints it lives on that file system, not in the initramfs).
MARKER = "HVMIGRATE-BOOT-PROOF-OK"
# The driver modules every prepared initramfs must hold (issue 18).
HYPERV_MODULES = ("hv_vmbus", "hv_storvsc", "hv_netvsc", "hv_utils")
INIT_PATH = "/usr/local/sbin/hvmigrate-boot-proof"
# The serial console last (it becomes /dev/console); a failed boot ends QEMU at once instead of waiting in a
# rescue shell: panic=-1 for the kernel and initramfs-tools, rd.shell=0 rd.emergency=poweroff for dracut, which
# gives up looking for the root disk after rd.retry/rd.timeout seconds.
KERNEL_CMDLINE = (f"console=tty0 console=ttyS0,115200 init={INIT_PATH} panic=-1 "
                  "rd.shell=0 rd.emergency=poweroff rd.retry=60 rd.timeout=90")


@dataclass(frozen=True)
class RootSpec:
    """One root file system: the initramfs tool decides everything else that differs."""

    tool: str  # "initramfs-tools" | "dracut"
    root_uuid: str  # ext4 UUID of the root file system, in fstab and on the kernel command line
    # The MAC VMware Workstation generated for its NIC (00:0c:29:...), which its network configuration is bound
    # to. Generated, not static: the plan then gives the Hyper-V VM a new MAC, and the bindings must go.
    mac: str

    @property
    def short(self) -> str:
        return "it" if self.tool == "initramfs-tools" else "dracut"


@dataclass(frozen=True)
class GuestSpec:
    """One VMware VM to migrate."""

    root: RootSpec
    firmware: str  # "bios" | "efi"
    vmdk_subformat: str  # "monolithicSparse" | "streamOptimized"
    scsi_controller: str  # scsi0.virtualDev in the .vmx

    @property
    def name(self) -> str:
        return f"bp-{self.root.short}-{self.firmware}"

    @property
    def generation(self) -> int:
        """The Hyper-V generation the plan must choose: BIOS → 1, UEFI → 2."""
        return 1 if self.firmware == "bios" else 2


ROOT_IT = RootSpec("initramfs-tools", "4f6d2c1e-6a61-4d1b-9c35-0b1a2e3f4a01", "00:0c:29:3a:10:01")
ROOT_DRACUT = RootSpec("dracut", "4f6d2c1e-6a61-4d1b-9c35-0b1a2e3f4a02", "00:0c:29:3a:10:02")
ESP_VOLUME_ID = "4D1A2B3C"  # FAT serial of every ESP: fstab names it as UUID=4D1A-2B3C

GUESTS = (
    GuestSpec(ROOT_IT, "bios", "monolithicSparse", "lsilogic"),
    GuestSpec(ROOT_IT, "efi", "streamOptimized", "pvscsi"),
    GuestSpec(ROOT_DRACUT, "bios", "streamOptimized", "lsilogic"),
    GuestSpec(ROOT_DRACUT, "efi", "monolithicSparse", "pvscsi"),
)
