"""Which Hyper-V drivers each kernel has, and how each initramfs tool is told to include them.

A kernel *has* a driver when ``modules.dep`` lists its module file or ``modules.builtin`` lists it as built in
(module names compare with ``-`` and ``_`` alike). :data:`REQUIRED` are the drivers without which the guest
cannot reach its disk or network on Hyper-V; a kernel without ``hv_vmbus`` and ``hv_storvsc`` cannot be made
to boot there (old kernels, or a custom build) and is refused. :data:`OPTIONAL` are added where the kernel
has them; Generation 1 also gets the IDE driver (``ata_piix``) that its emulated boot controller needs.

The tool's configuration and commands run *inside* the guest (libguestfs ``sh``), as virt-v2v does:

- dracut: ``/etc/dracut.conf.d/90-hvmigrate-hyperv.conf`` with ``add_drivers+=`` (so later kernels get them too),
  then ``dracut -f --add-drivers "..." IMAGE KVER`` for every installed kernel;
- initramfs-tools: the modules appended to ``/etc/initramfs-tools/modules``, then ``update-initramfs -u -k all``;
- mkinitrd (SLES 11, RHEL 5): ``INITRD_MODULES`` in ``/etc/sysconfig/kernel`` then ``mkinitrd`` (SUSE), or
  ``mkinitrd -f --with=M ... IMAGE KVER`` (Red Hat).
"""

from __future__ import annotations

import re
import shlex

REQUIRED = ("hv_vmbus", "hv_storvsc", "hv_netvsc", "hv_utils")
MUST_HAVE = ("hv_vmbus", "hv_storvsc")  # without these the root disk is never found: refuse
OPTIONAL = ("hyperv_keyboard", "hid_hyperv", "sd_mod")
GEN1 = ("ata_piix",)
DRACUT_CONF = "/etc/dracut.conf.d/90-hvmigrate-hyperv.conf"
TOOLS_MODULES = "/etc/initramfs-tools/modules"
SUSE_KERNEL = "/etc/sysconfig/kernel"


def module_name(path: str) -> str:
    """``kernel/drivers/hv/hv_vmbus.ko.xz`` → ``hv_vmbus``; ``hyperv-keyboard.ko`` → ``hyperv_keyboard``."""
    base = path.strip().rsplit("/", 1)[-1]
    base = re.sub(r"\.ko(\.(xz|gz|zst|bz2))?$", "", base)
    return base.replace("-", "_")


def kernel_modules(modules_dep: str, modules_builtin: str) -> tuple[set[str], set[str]]:
    """(loadable modules, built-in modules) of a kernel from its ``modules.dep`` and ``modules.builtin``."""
    loadable = {module_name(line.split(":", 1)[0]) for line in modules_dep.splitlines() if ":" in line}
    builtin = {module_name(line) for line in modules_builtin.splitlines() if line.strip()}
    return loadable, builtin


def wanted(loadable: set[str], builtin: set[str], generation: int) -> tuple[list[str], list[str]]:
    """(modules to put into this kernel's initramfs, required drivers it lacks entirely)."""
    have = loadable | builtin
    missing = [m for m in REQUIRED if m not in have]
    names = [*REQUIRED, *OPTIONAL, *(GEN1 if generation == 1 else ())]
    return [m for m in names if m in loadable], missing


def bootable(loadable: set[str], builtin: set[str]) -> bool:
    return all(m in loadable | builtin for m in MUST_HAVE)


def dracut_conf(modules: list[str]) -> str:
    return ("# Written by hvmigrate: the Hyper-V drivers, so that this guest finds its disk and network on Hyper-V\n"
            f'add_drivers+=" {" ".join(modules)} "\n')


def dracut_command(kver: str, image: str, modules: list[str]) -> str:
    args = ["dracut", "-f", "--add-drivers", " ".join(modules)]
    args += [image, kver] if image else ["--kver", kver]
    return " ".join(shlex.quote(a) for a in args)


def tools_modules(existing: str, modules: list[str]) -> str | None:
    """``/etc/initramfs-tools/modules`` with the missing module names appended, or None when all are there."""
    listed = {line.split()[0] for line in existing.splitlines() if line.strip() and not line.lstrip().startswith("#")}
    add = [m for m in modules if m not in listed]
    if not add:
        return None
    text = existing if not existing or existing.endswith("\n") else existing + "\n"
    return text + "# Added by hvmigrate: the Hyper-V drivers (disk and network on Hyper-V)\n" + "".join(
        f"{m}\n" for m in add)


TOOLS_COMMAND = "update-initramfs -u -k all"


def tools_command(kver: str) -> str:
    """Rebuild one kernel's initramfs (initramfs-tools)."""
    return f"update-initramfs -u -k {shlex.quote(kver)}"


def suse_kernel_config(existing: str, modules: list[str]) -> str | None:
    """``/etc/sysconfig/kernel`` with the modules added to ``INITRD_MODULES`` (None when all are there)."""
    m = re.search(r'(?m)^INITRD_MODULES="([^"]*)"', existing)
    listed = m.group(1).split() if m else []
    add = [x for x in modules if x not in listed]
    if not add:
        return None
    line = f'INITRD_MODULES="{" ".join(listed + add)}"'
    if m:
        return existing[:m.start()] + line + existing[m.end():]
    return existing + ("" if not existing or existing.endswith("\n") else "\n") + line + "\n"


def redhat_mkinitrd_command(kver: str, image: str, modules: list[str]) -> str:
    args = ["mkinitrd", "-f", *(f"--with={m}" for m in modules), image, kver]
    return " ".join(shlex.quote(a) for a in args)


LIST_COMMANDS = {"initramfs-tools": "lsinitramfs", "dracut": "lsinitrd"}  # the guest's own initramfs listers


def list_command(tool: str, image: str) -> str | None:
    """The command run inside the guest that lists the files of ``image`` (None: this tool has no lister)."""
    lister = LIST_COMMANDS.get(tool)
    return f"{lister} {shlex.quote(image)}" if lister and image else None


def lacking(listing: str, modules: list[str]) -> list[str]:
    """Which of ``modules`` the initramfs whose file list is ``listing`` does not hold (``lsinitramfs`` prints
    one path a line, ``lsinitrd`` an ``ls -l`` line ending in the path)."""
    held = {module_name(line.split()[-1]) for line in listing.splitlines()
            if re.search(r"\.ko(\.(xz|gz|zst|bz2))?\s*$", line)}
    return [m for m in modules if m not in held]


def image_candidates(kver: str) -> list[str]:
    """Where distributions keep a kernel's initramfs (RHEL/Fedora, Debian/Ubuntu, SUSE)."""
    return [f"/boot/initramfs-{kver}.img", f"/boot/initrd.img-{kver}", f"/boot/initrd-{kver}",
            f"/boot/initrd-{kver}.img"]
