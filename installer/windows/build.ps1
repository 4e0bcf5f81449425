# Build hvmigrate's Windows installer: PyInstaller one-folder app, then the Inno Setup setup .exe.
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Needs: Python 3.11+ (py launcher or python on PATH) and Inno Setup 6.3+ (ISCC.exe; set $env:ISCC to its
# path if it is not in the default folder). Output: dist\hvmigrate-<version>-windows-x64-setup.exe
# NOTE: written and reviewed on Linux; it has not been run on Windows yet.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $Root
$Build = Join-Path $Root 'build\installer'
$Venv = Join-Path $Build 'venv'
$Py = Join-Path $Venv 'Scripts\python.exe'

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$m = Select-String -Path (Join-Path $Root 'wizard\__init__.py') -Pattern '^__version__ = "(.+)"$'
if (-not $m) { throw 'no __version__ in wizard\__init__.py' }
$Version = $m.Matches[0].Groups[1].Value
Write-Host "== hvmigrate $Version for Windows"

# 1. Build venv with PyInstaller and the app (and its dependencies).
if (-not (Test-Path $Py)) {
    $BasePy = if (Get-Command py -ErrorAction SilentlyContinue) { 'py' } else { 'python' }
    $BaseArgs = if ($BasePy -eq 'py') { @('-3', '-m', 'venv', $Venv) } else { @('-m', 'venv', $Venv) }
    Invoke-Checked $BasePy $BaseArgs
}
Invoke-Checked $Py @('-m', 'pip', 'install', '-q', '--upgrade', 'pip')
Invoke-Checked $Py @('-m', 'pip', 'install', '-q', 'pyinstaller>=6.10,<7', $Root)
Invoke-Checked $Py @('-m', 'pip', 'install', '-q', '--no-deps', '--force-reinstall', $Root)

# 2. Icons (.ico for the executables and the setup).
$Icons = Join-Path $Build 'icons'
Invoke-Checked $Py @((Join-Path $Root 'installer\make_icons.py'), $Icons)

# 3. One-folder app: hvmigrate.exe (console) + hvmigrate-gui.exe (windowed) + _internal\.
$env:HVMIGRATE_ICON_DIR = $Icons
$Dist = Join-Path $Build 'dist'
if (Test-Path $Dist) { Remove-Item -Recurse -Force $Dist }
Invoke-Checked (Join-Path $Venv 'Scripts\pyinstaller.exe') @('--noconfirm', '--clean', '--log-level', 'WARN',
    '--distpath', $Dist, '--workpath', (Join-Path $Build 'work'), (Join-Path $Root 'installer\hvmigrate.spec'))
$App = Join-Path $Dist 'hvmigrate'
$printed = & (Join-Path $App 'hvmigrate.exe') --version
if ($printed -ne "hvmigrate $Version") { throw "built app printed '$printed'" }

# 4. Setup .exe with Inno Setup.
$Iscc = if ($env:ISCC) { $env:ISCC } else { Join-Path ${env:ProgramFiles(x86)} 'Inno Setup 6\ISCC.exe' }
if (-not (Test-Path $Iscc)) { throw "Inno Setup compiler not found at $Iscc (install Inno Setup 6.3+ or set `$env:ISCC)" }
$Out = Join-Path $Root 'dist'
New-Item -ItemType Directory -Force $Out | Out-Null
Invoke-Checked $Iscc @("/DAppVersion=$Version", "/DSourceDir=$App", "/DIconFile=$(Join-Path $Icons 'hvmigrate.ico')",
    "/DOutputDir=$Out", (Join-Path $Root 'installer\windows\hvmigrate.iss'))
Write-Host "== built $(Join-Path $Out "hvmigrate-$Version-windows-x64-setup.exe")"
