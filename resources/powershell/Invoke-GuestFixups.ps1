# hvmigrate-script: Invoke-GuestFixups
<#
.SYNOPSIS
    Post-migration fix-ups inside a Windows guest through PowerShell Direct (Invoke-Command -VMName) from
    the Hyper-V host: uninstall VMware Tools, re-apply captured static IP settings to the new Hyper-V
    adapter, bring offline data disks online. Answers with a JSON report.

.DESCRIPTION
    Settings (VM name, guest user and password, tasks) arrive only as data (-Settings: base64 UTF-8 JSON)
    over the encrypted WinRM channel. The PSCredential is built from that data; the password is never
    printed. The guest-side script block receives the tasks as a JSON string argument, not as code.
    Written for Windows PowerShell 5.1 on the host; the guest needs Windows 10 / Server 2016 or later.
    Output: last line "HVMIGRATE-RESULT:" + base64 JSON; exit code 0 = every task done, 1 = not.
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

$guestWork = {
    param([string]$TasksJson)
    $ErrorActionPreference = 'Stop'
    $tasks = ConvertFrom-Json -InputObject $TasksJson
    $actions = New-Object -TypeName System.Collections.ArrayList

    if ($tasks.remove_vmware_tools) {
        try {
            $keys = @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*')
            $entries = @(Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue | Where-Object { $_.PSObject.Properties['DisplayName'] -and $_.DisplayName -eq 'VMware Tools' })
            if ($entries.Count -eq 0) {
                [void]$actions.Add(@{ ok = $true; text = 'VMware Tools is not installed.' })
            }
            foreach ($entry in $entries) {
                $code = $entry.PSChildName
                $proc = Start-Process -FilePath 'msiexec.exe' -ArgumentList @('/x', $code, '/qn', '/norestart') -Wait -PassThru
                $ok = ($proc.ExitCode -eq 0) -or ($proc.ExitCode -eq 3010)
                [void]$actions.Add(@{ ok = $ok; text = ('Uninstalled VMware Tools (msiexec exit code ' + $proc.ExitCode + '; restart the VM to finish).') })
            }
        } catch {
            [void]$actions.Add(@{ ok = $false; text = ('Could not uninstall VMware Tools: ' + $_.Exception.Message) })
        }
    }

    foreach ($ip in @($tasks.static_ips)) {
        try {
            $adapters = @(Get-NetAdapter | Where-Object { $_.InterfaceDescription -like 'Microsoft Hyper-V Network Adapter*' })
            if ($ip.adapter_mac) {
                $adapters = @($adapters | Where-Object { ($_.MacAddress -replace '-', '') -eq $ip.adapter_mac })
            }
            if ($adapters.Count -eq 0) { throw 'no Hyper-V network adapter found in the guest' }
            $index = $adapters[0].ifIndex
            Set-NetIPInterface -InterfaceIndex $index -Dhcp Disabled
            $addressArgs = @{ InterfaceIndex = $index; IPAddress = $ip.address; PrefixLength = [byte]$ip.prefix_length }
            $gateways = @($ip.gateways)
            if ($gateways.Count -gt 0) { $addressArgs.DefaultGateway = $gateways[0] }
            New-NetIPAddress @addressArgs | Out-Null
            $dns = @($ip.dns_servers)
            if ($dns.Count -gt 0) { Set-DnsClientServerAddress -InterfaceIndex $index -ServerAddresses $dns }
            [void]$actions.Add(@{ ok = $true; text = ('Set ' + $ip.address + '/' + $ip.prefix_length + ' on ' + $adapters[0].Name) })
        } catch {
            [void]$actions.Add(@{ ok = $false; text = ('Could not set ' + $ip.address + ': ' + $_.Exception.Message) })
        }
    }

    if ($tasks.bring_disks_online) {
        try {
            $offline = @(Get-Disk | Where-Object { $_.IsOffline })
            foreach ($disk in $offline) {
                Set-Disk -Number $disk.Number -IsOffline $false
                Set-Disk -Number $disk.Number -IsReadOnly $false
                [void]$actions.Add(@{ ok = $true; text = ('Brought disk ' + $disk.Number + ' online') })
            }
            if ($offline.Count -eq 0) { [void]$actions.Add(@{ ok = $true; text = 'No offline disks.' }) }
        } catch {
            [void]$actions.Add(@{ ok = $false; text = ('Could not bring disks online: ' + $_.Exception.Message) })
        }
    }
    return (ConvertTo-Json -InputObject @($actions) -Depth 4 -Compress)
}

try {
    $S = ConvertFrom-Json -InputObject ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Settings)))
    $secure = ConvertTo-SecureString -String $S.password -AsPlainText -Force
    $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList @($S.user, $secure)
    $tasks = @{ remove_vmware_tools = [bool]$S.remove_vmware_tools; bring_disks_online = [bool]$S.bring_disks_online; static_ips = @($S.static_ips) }
    $tasksJson = ConvertTo-Json -InputObject $tasks -Depth 5 -Compress
    $vms = @(Get-VM | Where-Object { $_.Name -eq $S.vm_name })
    if ($S.vm_id) { $vms = @($vms | Where-Object { $_.Id.ToString() -eq $S.vm_id }) }
    if ($vms.Count -ne 1) { throw ('Expected exactly one VM with this name, found ' + $vms.Count + '.') }
    $answer = Invoke-Command -VMId $vms[0].Id -Credential $credential -ScriptBlock $guestWork -ArgumentList $tasksJson
    $actions = @(ConvertFrom-Json -InputObject $answer)
    $failed = @($actions | Where-Object { -not $_.ok }).Count
    Write-HvmResult @{ ok = ($failed -eq 0); actions = $actions }
    if ($failed -eq 0) { exit 0 } else { exit 1 }
} catch {
    Write-HvmResult @{ ok = $false; error = $_.Exception.Message; actions = @() }
    exit 1
}
