"""Migration targets: a Hyper-V host (WinRM + SMB) or an offline import bundle."""
