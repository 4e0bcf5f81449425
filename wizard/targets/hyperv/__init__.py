"""Hyper-V host access: WinRM session, PowerShell builder, SMB upload, host inventory."""
