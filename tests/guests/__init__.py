"""Real Linux guests for the boot proof (issue 18): Debian 12 systems built from the machine's own apt sources
with mmdebstrap, laid onto BIOS/MBR and UEFI/GPT disks, saved as VMware Workstation VMs (a ``.vmx`` beside a
monolithicSparse or streamOptimized VMDK), cached across runs, and booted under QEMU until they print a marker.

``specs`` names the four guests, ``rootfs`` builds one root file system per initramfs tool, ``layout`` makes
the disks and the VM folders, ``cache`` keeps them between runs, ``qemu`` boots a disk and ``inspect`` reads
files inside a disk image (libguestfs, read-only). ``python -m tests.guests`` builds them and prints timings.
"""
