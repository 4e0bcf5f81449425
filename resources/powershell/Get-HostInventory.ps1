# hvmigrate-script: Get-HostInventory
<#
.SYNOPSIS
    Describes a Hyper-V host for hvmigrate as ONE JSON document: Windows and Hyper-V versions, supported
    VM configuration versions, virtual switches, default VM/VHD folders with free space, existing VM
    names (with the hvmigrate tag from their Notes) and SMB shares. Read-only. Settings (none needed today) arrive as -Settings data.
    Written for Windows PowerShell 5.1. Output: last line "HVMIGRATE-RESULT:" + base64 JSON.
#>
[CmdletBinding()]
param([string]$Settings = '')

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

function Write-HvmResult {
    param([hashtable]$Result)
    $json = ConvertTo-Json -InputObject $Result -Depth 6 -Compress
    Write-Output ('HVMIGRATE-RESULT:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)))
}

function Get-FolderSpace {
    param([string]$Folder)
    $root = [IO.Path]::GetPathRoot($Folder)
    $free = -1
    $total = -1
    if ($root -and -not $root.StartsWith('\\')) {
        $drive = New-Object -TypeName System.IO.DriveInfo -ArgumentList $root
        $free = $drive.AvailableFreeSpace
        $total = $drive.TotalSize
    }
    return @{ path = $Folder; free_bytes = $free; total_bytes = $total }
}

try {
    if (-not (Get-Module -ListAvailable -Name 'Hyper-V')) {
        Write-HvmResult @{ ok = $false; error = 'The Hyper-V PowerShell module is not installed on this host.' }
        exit 1
    }
    Import-Module -Name 'Hyper-V'
    $os = Get-CimInstance -ClassName 'Win32_OperatingSystem'
    $vmHost = Get-VMHost
    $versions = @(Get-VMHostSupportedVersion | ForEach-Object { @{ version = $_.Version.ToString(); name = $_.Name; default = [bool]$_.IsDefault } })
    $switches = @(Get-VMSwitch | ForEach-Object { @{ name = $_.Name; type = $_.SwitchType.ToString(); id = $_.Id.ToString() } })
    $allVms = @(Get-VM)
    $vms = @($allVms | ForEach-Object { $_.Name })
    # The tag hvmigrate writes into Notes, so a re-run recognises its own VMs.
    $vmTags = @($allVms | ForEach-Object { @{ name = $_.Name; tag = [regex]::Match([string]$_.Notes, '\[hvmigrate-id:[0-9a-f]+\]').Value; incomplete = ([string]$_.Notes).Contains('[hvmigrate: incomplete]') } })
    $shares = @(Get-SmbShare | Where-Object { -not $_.Special } | ForEach-Object { @{ name = $_.Name; path = $_.Path } })
    Write-HvmResult @{
        ok = $true
        computer_name = $env:COMPUTERNAME
        os_caption = $os.Caption
        os_version = $os.Version
        os_build = $os.BuildNumber
        supported_versions = $versions
        switches = $switches
        vm_path = (Get-FolderSpace -Folder $vmHost.VirtualMachinePath)
        vhd_path = (Get-FolderSpace -Folder $vmHost.VirtualHardDiskPath)
        vm_names = $vms
        vm_tags = $vmTags
        shares = $shares
        logical_processors = $vmHost.LogicalProcessorCount
        memory_bytes = $vmHost.MemoryCapacity
    }
    exit 0
} catch {
    Write-HvmResult @{ ok = $false; error = $_.Exception.Message }
    exit 1
}
