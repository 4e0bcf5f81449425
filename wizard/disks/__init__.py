"""Disk image engine: VMDK/raw/VHD/VHDX readers, VHDX/VHD writers, streaming conversion, verification."""
