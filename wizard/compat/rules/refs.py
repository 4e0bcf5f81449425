"""Citations used in rule references (see /work/shared/reference/hyperv.md for the full list)."""

S = "[S] Plan for Hyper-V scalability in Windows Server (learn.microsoft.com)"
G = "[G] Should I create a generation 1 or 2 virtual machine in Hyper-V? (learn.microsoft.com)"
V = "[V] Upgrade virtual machine version in Hyper-V on Windows or Windows Server (learn.microsoft.com)"
W = "[W] Windows Admin Center: migrate VMware VMs to Hyper-V (learn.microsoft.com)"
A = "[A] Azure Migrate support matrix for VMware migration (learn.microsoft.com)"
M = "[M] System Center VMM: convert VMware VMs to Hyper-V (learn.microsoft.com)"
L = "[L] Linux VM fails to boot on Hyper-V without Hyper-V drivers (SupportArticles-docs, linux-hyperv-issue)"
K = "[K] Windows 11 VM doesn't start after migration from VMware to Hyper-V (SupportArticles-docs)"
WG = "[WG] Supported Windows guest operating systems for Hyper-V on Windows Server (learn.microsoft.com)"
LX = "[LX] Supported Linux and FreeBSD virtual machines for Hyper-V (learn.microsoft.com)"
FS = "[FS] Naming Files, Paths, and Namespaces (learn.microsoft.com, Win32 file naming conventions)"
HV = ("[HV] Hyper-V allocates VM memory in 2 MB steps, and Hyper-V Manager and Set-VMMemory refuse odd sizes "
      "(observed behaviour, not stated on a Learn page)")
NM = ("[NM] Hyper-V refuses VM names longer than 100 characters (New-VM, Hyper-V Manager; observed behaviour, not "
      "stated on a Learn page)")

RQ = ("[RQ] Hardware requirements for Windows Server (learn.microsoft.com: 512 MB for Server Core, 2 GB with the "
      "Desktop Experience); Windows 10 and Windows 11 specifications (microsoft.com: 1 GB 32-bit / 2 GB 64-bit; 4 GB)")


def join(*refs: str) -> str:
    return "; ".join(refs)
