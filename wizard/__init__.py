"""hvmigrate: move VMware and VirtualBox virtual machines to Microsoft Hyper-V."""

__version__ = "0.1.0"
