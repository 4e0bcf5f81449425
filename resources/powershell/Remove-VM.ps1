# hvmigrate-script: Remove-VM
<#
.SYNOPSIS
    Rollback for hvmigrate: removes the VM an hvmigrate run created, and optionally the disk files it
    uploaded. Settings arrive as data (-Settings: base64 UTF-8 JSON) and are never evaluated as code.

.DESCRIPTION
    A VM is removed only when its Notes carry this plan item's tag ("[hvmigrate-id:...]"): a VM that
    someone else made under the same name is never touched. Disk files are deleted only when listed in
    "remove_files" (the files this run uploaded). Written for Windows PowerShell 5.1.
    Output: a last line "HVMIGRATE-RESULT:" + base64 JSON; exit code 0 = done, 1 = failed.
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

try {
    $S = ConvertFrom-Json -InputObject ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Settings)))
    # An empty or odd tag would match other VMs' Notes: refuse before touching anything.
    if (([string]$S.tag) -cnotmatch '^\[hvmigrate-id:[0-9a-f]{20}\]$') { throw 'Remove-VM: the settings carry no valid hvmigrate tag.' }
    $removed = New-Object -TypeName System.Collections.ArrayList
    $kept = New-Object -TypeName System.Collections.ArrayList
    foreach ($vm in @(Get-VM | Where-Object { $_.Name -eq $S.name })) {
        if ($vm.Notes -and $vm.Notes.Contains($S.tag)) {
            if ($vm.State -ne 'Off') { Stop-VM -VM $vm -TurnOff -Force }
            Remove-VM -VM $vm -Force
            [void]$removed.Add('VM ' + $vm.Id)
        } else {
            [void]$kept.Add('VM ' + $vm.Id + ' (not created by hvmigrate for this plan item)')
        }
    }
    foreach ($file in @($S.remove_files)) {
        if (Test-Path -LiteralPath $file -PathType Leaf) {
            Remove-Item -LiteralPath $file -Force
            [void]$removed.Add($file)
        }
    }
    Write-HvmResult @{ ok = $true; removed = @($removed); kept = @($kept) }
    exit 0
} catch {
    Write-HvmResult @{ ok = $false; error = $_.Exception.Message }
    exit 1
}
