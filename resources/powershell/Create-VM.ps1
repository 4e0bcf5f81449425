# hvmigrate-script: Create-VM
<#
.SYNOPSIS
    Creates one Hyper-V virtual machine exactly as an hvmigrate plan describes it.

.DESCRIPTION
    This script is static: hvmigrate never edits it per VM. Every setting (VM name, switches, paths,
    memory, disks...) is read as DATA:
      - in an import bundle, from the "create" section of manifest.json next to this script;
      - over WinRM, from -Settings: base64 of the same JSON document (UTF-8).
    Values are only ever passed to cmdlets as parameter values, never evaluated as code.

    Order of work:
      1. Check preconditions and stop with a clear message before changing anything: Hyper-V module,
         every virtual switch exists, the disk files exist (and their SHA-256 match, when asked),
         free space at the VM folder, and the VM name is unused - or the existing VM carries this
         plan item's tag in its Notes (it was created by this same bundle): then a complete one is
         reported as already there (running the script twice is safe) and an incomplete one is
         removed and built again.
      2. Create the VM (New-VM -NoVHD), tagged "incomplete" in its Notes, and apply every setting.
      3. Write the final Notes (without the "incomplete" marker) as the very last step.
    If any step fails, the VM created by this run is removed (Remove-VM), so there is never a
    half-configured VM that looks finished. Disk files are never deleted by this script.

    Written for Windows PowerShell 5.1 (the Hyper-V module's home): ConvertFrom-Json only with
    -InputObject, no PowerShell 7 syntax.

    The last line of output is "HVMIGRATE-RESULT:" followed by base64 (UTF-8) JSON with the outcome,
    for hvmigrate to read; people can read the lines before it. Exit code 0 = success, 1 = failure.

.PARAMETER Settings
    The settings document, base64-encoded UTF-8 JSON (used by hvmigrate over WinRM).

.PARAMETER ManifestPath
    The bundle's manifest.json (default: manifest.json next to this script).

.PARAMETER CheckOnly
    Only check the preconditions; change nothing.

.EXAMPLE
    PS> .\Create-VM.ps1
    Creates the VM described by manifest.json in this folder, attaching the disks in
    "Virtual Hard Disks" where they are. Copy the bundle folder to its final place first.
#>
[CmdletBinding()]
param(
    [string]$Settings = '',
    [string]$ManifestPath = '',
    [switch]$CheckOnly
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$IncompleteMarker = '[hvmigrate: incomplete]'
$script:Steps = New-Object -TypeName System.Collections.ArrayList
$script:Warnings = New-Object -TypeName System.Collections.ArrayList

function Write-HvmResult {
    param([hashtable]$Result)
    $json = ConvertTo-Json -InputObject $Result -Depth 6 -Compress
    $encoded = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json))
    Write-Output ('HVMIGRATE-RESULT:' + $encoded)
}

function Add-Step {
    param([string]$Text)
    [void]$script:Steps.Add($Text)
    Write-Host $Text
}

function Test-HasProperty {
    param([object]$Object, [string]$Name)
    return ($null -ne $Object) -and ($null -ne $Object.PSObject.Properties[$Name])
}

function Read-Settings {
    if ($Settings) {
        $json = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Settings))
        $baseDir = ''
    } else {
        $path = $ManifestPath
        if (-not $path) {
            $path = Join-Path -Path $PSScriptRoot -ChildPath 'manifest.json'
        }
        $json = [IO.File]::ReadAllText($path, [Text.Encoding]::UTF8)
        $baseDir = Split-Path -Path $path -Parent
    }
    $doc = ConvertFrom-Json -InputObject $json
    if (-not (Test-HasProperty -Object $doc -Name 'create')) {
        throw 'The settings document has no "create" section; it was not written by hvmigrate.'
    }
    $create = $doc.create
    if ($create.schema -ne 'hvmigrate.create-vm/1') {
        throw ('This script reads settings format hvmigrate.create-vm/1, the document is ' + $create.schema + '. Use the Create-VM.ps1 that came with it.')
    }
    # The tag decides which existing VM is "ours" (kept, or removed when incomplete): it must be hvmigrate's.
    if (-not (Test-HasProperty -Object $create -Name 'tag') -or ([string]$create.tag) -cnotmatch '^\[hvmigrate-id:[0-9a-f]{20}\]$') {
        throw 'The settings document has no valid hvmigrate tag; it was not written by hvmigrate.'
    }
    return @{ Create = $create; BaseDir = $baseDir }
}

function Resolve-DiskPath {
    param([object]$Disk, [string]$BaseDir)
    if ($Disk.relative) {
        if (-not $BaseDir) { throw 'A relative disk path needs the manifest folder.' }
        return (Join-Path -Path $BaseDir -ChildPath $Disk.path)
    }
    return $Disk.path
}

function Find-VMByName {
    param([string]$Name)
    # Get-VM -Name treats the name as a wildcard pattern; compare exact names instead.
    return @(Get-VM | Where-Object { $_.Name -eq $Name })
}

function Find-Switch {
    param([string]$Name)
    return @(Get-VMSwitch | Where-Object { $_.Name -ceq $Name })
}

function Get-FreeBytes {
    param([string]$Folder)
    $root = [IO.Path]::GetPathRoot($Folder)
    if (-not $root -or $root.StartsWith('\\')) { return -1 }
    $drive = New-Object -TypeName System.IO.DriveInfo -ArgumentList $root
    return $drive.AvailableFreeSpace
}

function Test-Preconditions {
    param([object]$S, [string]$BaseDir)
    $problems = New-Object -TypeName System.Collections.ArrayList
    $state = @{ Existing = $null; Complete = $false }

    if (-not (Get-Module -ListAvailable -Name 'Hyper-V')) {
        [void]$problems.Add('The Hyper-V PowerShell module is not installed on this computer (install the Hyper-V management tools).')
        return @{ Problems = $problems; State = $state }
    }
    Import-Module -Name 'Hyper-V'

    foreach ($nic in @($S.nics)) {
        if ($nic.switch -and @(Find-Switch -Name $nic.switch).Count -eq 0) {
            [void]$problems.Add('Virtual switch not found on this host: "' + $nic.switch + '" (adapter "' + $nic.name + '").')
        }
    }

    foreach ($disk in @($S.disks)) {
        $path = Resolve-DiskPath -Disk $disk -BaseDir $BaseDir
        if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
            [void]$problems.Add('Disk file not found: ' + $path)
            continue
        }
        $item = Get-Item -LiteralPath $path
        if ($disk.size_bytes -gt 0 -and $item.Length -ne $disk.size_bytes) {
            [void]$problems.Add('Disk file ' + $path + ' has ' + $item.Length + ' bytes, expected ' + $disk.size_bytes + ' (incomplete copy?).')
            continue
        }
        if ($S.checks.verify_hashes -and $disk.sha256) {
            Write-Host ('Checking SHA-256 of ' + $path + ' ...')
            $hash = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash
            if ($hash -ne $disk.sha256) {
                [void]$problems.Add('Disk file ' + $path + ' is damaged: SHA-256 ' + $hash + ', expected ' + $disk.sha256.ToUpperInvariant() + '.')
            }
        }
    }

    $vmFolder = $S.vm.path
    if (-not $vmFolder) { $vmFolder = (Get-VMHost).VirtualMachinePath }
    $free = Get-FreeBytes -Folder $vmFolder
    if ($free -ge 0 -and $free -lt $S.checks.required_free_bytes) {
        [void]$problems.Add('Not enough free space for the VM files at ' + $vmFolder + ': ' + $free + ' bytes free, ' + $S.checks.required_free_bytes + ' needed.')
    }

    $existing = @(Find-VMByName -Name $S.vm.name)
    if ($existing.Count -gt 0) {
        $ours = @($existing | Where-Object { $_.Notes -and $_.Notes.Contains($S.tag) })
        if ($ours.Count -ne $existing.Count) {
            [void]$problems.Add('A VM named "' + $S.vm.name + '" already exists on this host and was not created by this migration; rename or remove it, or change the name in the plan.')
        } else {
            $state.Existing = $ours
            $state.Complete = @($ours | Where-Object { -not $_.Notes.Contains($IncompleteMarker) }).Count -gt 0
        }
    }
    return @{ Problems = $problems; State = $state }
}

function Set-BiosGuid {
    # Hyper-V has no cmdlet for the BIOS GUID (the SMBIOS UUID the guest sees). It is the BIOSGUID
    # property of the VM's Msvm_VirtualSystemSettingData, changed with
    # Msvm_VirtualSystemManagementService.ModifySystemSettings (root\virtualization\v2), while the VM is off.
    param([object]$VM, [string]$Guid)
    $ns = 'root\virtualization\v2'
    $vmId = $VM.Id.ToString()
    $vssd = @(Get-CimInstance -Namespace $ns -ClassName 'Msvm_VirtualSystemSettingData' |
        Where-Object { $_.ConfigurationID -eq $vmId -and $_.VirtualSystemType -eq 'Microsoft:Hyper-V:System:Realized' })
    if ($vssd.Count -ne 1) { throw 'Could not find the settings of the new VM to set its BIOS GUID.' }
    $systemSettings = $vssd[0]
    $systemSettings.BIOSGUID = $Guid
    $serializer = [Microsoft.Management.Infrastructure.Serialization.CimSerializer]::Create()
    $bytes = $serializer.Serialize($systemSettings, [Microsoft.Management.Infrastructure.Serialization.InstanceSerializationOptions]::None)
    $text = [Text.Encoding]::Unicode.GetString($bytes)
    $service = Get-CimInstance -Namespace $ns -ClassName 'Msvm_VirtualSystemManagementService'
    $answer = Invoke-CimMethod -InputObject $service -MethodName 'ModifySystemSettings' -Arguments @{ SystemSettings = $text }
    if ($answer.ReturnValue -ne 0 -and $answer.ReturnValue -ne 4096) {
        throw ('Hyper-V refused the BIOS GUID (ModifySystemSettings returned ' + $answer.ReturnValue + ').')
    }
    for ($i = 0; $i -lt 60; $i++) {
        $now = @(Get-CimInstance -Namespace $ns -ClassName 'Msvm_VirtualSystemSettingData' |
            Where-Object { $_.ConfigurationID -eq $vmId -and $_.VirtualSystemType -eq 'Microsoft:Hyper-V:System:Realized' })
        if ($now.Count -eq 1 -and $now[0].BIOSGUID -eq $Guid) { return }
        Start-Sleep -Seconds 1
    }
    throw 'Hyper-V did not apply the BIOS GUID within 60 seconds.'
}

function New-PlannedVM {
    param([object]$S, [string]$BaseDir)
    $vmSpec = $S.vm

    $newVmArgs = @{
        Name = $vmSpec.name
        Generation = [int16]$vmSpec.generation
        MemoryStartupBytes = [int64]$vmSpec.memory.startup_bytes
        NoVHD = $true
    }
    if ($vmSpec.version) { $newVmArgs.Version = $vmSpec.version }
    if ($vmSpec.path) { $newVmArgs.Path = $vmSpec.path }
    $vm = New-VM @newVmArgs
    $script:CreatedVM = $vm
    Set-VM -VM $vm -Notes ($vmSpec.notes + "`r`n" + $IncompleteMarker)
    Add-Step ('Created VM "' + $vmSpec.name + '" (generation ' + $vmSpec.generation + ').')

    # New-VM adds a network adapter (and a DVD drive on generation 1) of its own; the plan lists every device.
    Get-VMNetworkAdapter -VM $vm | Remove-VMNetworkAdapter
    Get-VMDvdDrive -VM $vm | Remove-VMDvdDrive

    Set-VMProcessor -VM $vm -Count ([int64]$vmSpec.cpus) -ExposeVirtualizationExtensions ([bool]$vmSpec.expose_virtualization_extensions)
    Add-Step ('Processors: ' + $vmSpec.cpus)

    $mem = $vmSpec.memory
    if ($mem.dynamic) {
        Set-VMMemory -VM $vm -DynamicMemoryEnabled $true -StartupBytes ([int64]$mem.startup_bytes) -MinimumBytes ([int64]$mem.minimum_bytes) -MaximumBytes ([int64]$mem.maximum_bytes) -Buffer ([int32]$mem.buffer_percent)
        Add-Step ('Memory: dynamic, startup ' + $mem.startup_bytes + ' bytes')
    } else {
        Set-VMMemory -VM $vm -DynamicMemoryEnabled $false -StartupBytes ([int64]$mem.startup_bytes)
        Add-Step ('Memory: static ' + $mem.startup_bytes + ' bytes')
    }

    $scsiWanted = [int]$vmSpec.scsi_controllers
    while (@(Get-VMScsiController -VM $vm).Count -lt $scsiWanted) {
        Add-VMScsiController -VM $vm
    }

    $bootDrive = $null
    foreach ($disk in @($S.disks)) {
        $path = Resolve-DiskPath -Disk $disk -BaseDir $BaseDir
        $drive = Add-VMHardDiskDrive -VM $vm -ControllerType $disk.controller_type -ControllerNumber ([int]$disk.controller_number) -ControllerLocation ([int]$disk.controller_location) -Path $path -Passthru
        if ($disk.boot) { $bootDrive = $drive }
        Add-Step ('Disk ' + $path + ' on ' + $disk.controller_type + ' ' + $disk.controller_number + ':' + $disk.controller_location)
    }
    foreach ($dvd in @($S.dvd_drives)) {
        Add-VMDvdDrive -VM $vm -ControllerNumber ([int]$dvd.controller_number) -ControllerLocation ([int]$dvd.controller_location)
        Add-Step ('DVD drive on ' + $dvd.controller_number + ':' + $dvd.controller_location)
    }

    foreach ($nic in @($S.nics)) {
        $nicArgs = @{ VM = $vm; Name = $nic.name; Passthru = $true }
        if ($nic.switch) { $nicArgs.SwitchName = $nic.switch }
        if ($nic.static_mac) { $nicArgs.StaticMacAddress = $nic.static_mac }
        if ($nic.legacy) { $nicArgs.IsLegacy = $true }
        $adapter = Add-VMNetworkAdapter @nicArgs
        if ($nic.vlan_id -gt 0) {
            Set-VMNetworkAdapterVlan -VMNetworkAdapter $adapter -Access -VlanId ([int]$nic.vlan_id)
        }
        Add-Step ('Network adapter "' + $nic.name + '" on switch "' + $nic.switch + '"')
    }

    if ([int]$vmSpec.generation -eq 2) {
        if ($vmSpec.secure_boot) {
            Set-VMFirmware -VM $vm -EnableSecureBoot On -SecureBootTemplate $vmSpec.secure_boot_template
            Add-Step ('Secure Boot on, template ' + $vmSpec.secure_boot_template)
        } else {
            Set-VMFirmware -VM $vm -EnableSecureBoot Off
            Add-Step 'Secure Boot off'
        }
        if ($null -ne $bootDrive) {
            Set-VMFirmware -VM $vm -FirstBootDevice $bootDrive
        }
        if ($vmSpec.tpm) {
            Set-VMKeyProtector -VM $vm -NewLocalKeyProtector
            Enable-VMTPM -VM $vm
            Add-Step 'Virtual TPM enabled'
        }
    } else {
        Set-VMBios -VM $vm -StartupOrder @($vmSpec.bios_startup_order)
    }

    Set-VM -VM $vm -CheckpointType $vmSpec.checkpoint_type -AutomaticStartAction $vmSpec.automatic_start_action -AutomaticStopAction $vmSpec.automatic_stop_action -AutomaticStartDelay ([int]$vmSpec.automatic_start_delay)

    foreach ($service in @($vmSpec.integration_services)) {
        $found = @(Get-VMIntegrationService -VM $vm | Where-Object { $_.Name -eq $service.name })
        if ($found.Count -eq 0) {
            [void]$script:Warnings.Add('Integration service not found on this host: ' + $service.name)
            continue
        }
        if ($service.enabled) {
            Enable-VMIntegrationService -VMIntegrationService $found[0]
        } else {
            Disable-VMIntegrationService -VMIntegrationService $found[0]
        }
    }

    if ($vmSpec.bios_guid) {
        Set-BiosGuid -VM $vm -Guid $vmSpec.bios_guid
        Add-Step ('BIOS GUID ' + $vmSpec.bios_guid)
    }

    # Last: the Notes without the incomplete marker say "this VM is finished".
    Set-VM -VM $vm -Notes $vmSpec.notes
    return $vm
}

$script:CreatedVM = $null
$stage = 'read settings'
try {
    $loaded = Read-Settings
    $S = $loaded.Create
    $stage = 'check preconditions'
    $check = Test-Preconditions -S $S -BaseDir $loaded.BaseDir
    if (@($check.Problems).Count -gt 0) {
        foreach ($problem in $check.Problems) { Write-Host ('Problem: ' + $problem) }
        Write-HvmResult @{ ok = $false; status = 'precondition_failed'; stage = $stage; problems = @($check.Problems); error = ($check.Problems -join ' '); rolled_back = $false }
        exit 1
    }
    $mode = 'create'
    if ((Test-HasProperty -Object $S -Name 'mode') -and $S.mode) { $mode = $S.mode }
    if ($CheckOnly) { $mode = 'check' }
    if ($mode -eq 'check') {
        Write-HvmResult @{ ok = $true; status = 'checked'; exists = ($null -ne $check.State.Existing); complete = $check.State.Complete; steps = @(); warnings = @() }
        exit 0
    }
    if ($check.State.Complete) {
        $vm = @($check.State.Existing)[0]
        Write-Host ('VM "' + $S.vm.name + '" was already created by this migration; nothing to do.')
        Write-HvmResult @{ ok = $true; status = 'already_exists'; vm_id = $vm.Id.ToString(); name = $S.vm.name; steps = @(); warnings = @() }
        exit 0
    }
    if ($null -ne $check.State.Existing) {
        $stage = 'remove incomplete VM'
        foreach ($old in @($check.State.Existing)) {
            Remove-VM -VM $old -Force
            Add-Step ('Removed the incomplete VM left by an earlier run (' + $old.Id + ').')
        }
    }
    $stage = 'create VM'
    $vm = New-PlannedVM -S $S -BaseDir $loaded.BaseDir
    Write-HvmResult @{ ok = $true; status = 'created'; vm_id = $vm.Id.ToString(); name = $S.vm.name; steps = @($script:Steps); warnings = @($script:Warnings) }
    exit 0
} catch {
    $message = $_.Exception.Message
    $rolledBack = $false
    if ($null -ne $script:CreatedVM) {
        try {
            Remove-VM -VM $script:CreatedVM -Force
            $rolledBack = $true
            Write-Host 'The partly configured VM was removed.'
        } catch {
            $message = $message + ' (Removing the partly configured VM also failed: ' + $_.Exception.Message + ')'
        }
    }
    Write-Host ('Failed during "' + $stage + '": ' + $message)
    Write-HvmResult @{ ok = $false; status = 'failed'; stage = $stage; error = $message; rolled_back = $rolledBack; steps = @($script:Steps) }
    exit 1
}
