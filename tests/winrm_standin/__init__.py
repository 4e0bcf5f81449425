"""A loopback stand-in for a Hyper-V host's WinRM service (see ``server`` and ``fakehost``)."""
