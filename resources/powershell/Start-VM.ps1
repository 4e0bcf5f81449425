# hvmigrate-script: Start-VM
<#
.SYNOPSIS
    Cut-over of a synchronised VM: starts the VM an hvmigrate run created. Settings arrive as data
    (-Settings: base64 UTF-8 JSON) and are never evaluated as code.

.DESCRIPTION
    The VM is started only when its Notes carry this plan item's tag ("[hvmigrate-id:...]") and it is not
    marked incomplete: a VM that someone else made under the same name is never touched. A VM that runs
    already is left as it is. Written for Windows PowerShell 5.1.
    Output: a last line "HVMIGRATE-RESULT:" + base64 JSON with the VM's state after the start;
    exit code 0 = running, 1 = failed.
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
    if (([string]$S.tag) -cnotmatch '^\[hvmigrate-id:[0-9a-f]{20}\]$') { throw 'Start-VM: the settings carry no valid hvmigrate tag.' }
    $vms = @(Get-VM | Where-Object { $_.Name -eq $S.name -and $_.Notes -and $_.Notes.Contains($S.tag) })
    if ($vms.Count -eq 0) { throw ('Start-VM: no VM created by this migration is named "' + $S.name + '".') }
    if ($vms.Count -gt 1) { throw ('Start-VM: ' + $vms.Count + ' VMs named "' + $S.name + '" carry this migration''s tag; none was started. Keep only the right one.') }
    $vm = $vms[0]
    if ($vm.Notes.Contains('[hvmigrate: incomplete]')) { throw 'Start-VM: the VM is marked incomplete; it is not started.' }
    $status = 'already_running'
    $state = [string]$vm.State
    if ($state -ne 'Running') {
        # -Passthru returns the VM as it is once the start returned: its state then is what we report
        $state = [string](Start-VM -VM $vm -Passthru).State
        $status = 'started'
    }
    Write-HvmResult @{ ok = ($state -eq 'Running'); status = $status; state = $state; vm_id = [string]$vm.Id }
    if ($state -eq 'Running') { exit 0 } else { exit 1 }
} catch {
    Write-HvmResult @{ ok = $false; error = $_.Exception.Message }
    exit 1
}
