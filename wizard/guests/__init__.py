"""Offline preparation of Linux guests for Hyper-V, with the libguestfs command-line tools.

After a VM's disks are converted to local files, :func:`wizard.guests.prepare.prepare_linux_guest` opens them
in one libguestfs appliance (``guestfish --listen``), inspects the guest (:mod:`.inspect`), and makes it boot and
reach the network on Hyper-V: the Hyper-V drivers in every kernel's initramfs (:mod:`.initramfs`), network
configuration no longer bound to the old VMware NIC (:mod:`.network`, pure text rewriting), VMware Tools from
VMware's tarball removed (:mod:`.vmtools`), VMware device paths in ``/etc/fstab`` rewritten by UUID
(:mod:`.fstab`). Every change is a :class:`~wizard.guests.report.Change` in the :class:`~.report.PrepReport`.

The package imports only ``wizard.core`` (it sits beside ``wizard.disks`` and ``wizard.compat``); the
availability probe it shares with the rules is :mod:`wizard.core.libguestfs`.
"""
