; Inno Setup 6 script for hvmigrate on Windows (x64). Built by installer\windows\build.ps1, which passes
;   /DAppVersion=<wizard.__version__>  /DSourceDir=<PyInstaller one-folder output>  /DIconFile=<hvmigrate.ico>
;   /DOutputDir=<folder for the setup .exe>
; Needs Inno Setup 6.3 or newer (the x64compatible architecture identifier).
;
; Every directive below was checked against the Inno Setup help (jrsoftware.org/ishelp/):
;   topic_setup_appid, topic_setup_appname, topic_setup_appversion, topic_setup_appvername,
;   topic_setup_apppublisher, topic_setup_versioninfoversion, topic_setup_versioninfoproductversion,
;   topic_setup_defaultdirname, topic_setup_defaultgroupname, topic_setup_disableprogramgrouppage,
;   topic_setup_privilegesrequired, topic_setup_privilegesrequiredoverridesallowed,
;   topic_setup_usepreviousprivileges, topic_setup_architecturesallowed,
;   topic_setup_architecturesinstallin64bitmode, topic_archidentifiers, topic_setup_minversion,
;   topic_setup_outputdir, topic_setup_outputbasefilename, topic_setup_setupiconfile,
;   topic_setup_uninstalldisplayicon, topic_setup_uninstalldisplayname, topic_setup_compression,
;   topic_setup_solidcompression, topic_setup_wizardstyle, topic_setup_closeapplications,
;   topic_consts (the {auto...} constants follow the per-user/per-machine choice),
;   topic_languagessection, topic_taskssection, topic_filessection, topic_iconssection,
;   topic_installdeletesection, topic_runsection, topic_setupcmdline (/ALLUSERS, /CURRENTUSER), topic_error (ISPP #error),
;   topic_isppoverview (#define / #ifndef / {#...}).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z (build.ps1 reads it from wizard\__init__.py)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\build\installer\dist\hvmigrate"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\installer\icons\hvmigrate.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "hvmigrate"
#define AppExe "hvmigrate-gui.exe"

[Setup]
; AppId identifies the product for upgrades and the uninstaller: never change it between versions.
; "{{" is how a literal "{" is written (topic_setup_appid).
AppId={{6F1C2B7E-4D3A-4E0B-9A51-2C7D8E4F9B10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=hvmigrate project
VersionInfoVersion={#AppVersion}
VersionInfoProductVersion={#AppVersion}
VersionInfoDescription=hvmigrate setup
; Per-user install by default (no administrator needed); the dialog lets an administrator choose
; "for all users" instead, and /ALLUSERS or /CURRENTUSER choose silently (topic_setupcmdline).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
UsePreviousPrivileges=yes
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 or newer: what the bundled Qt 6 and Python 3.11 support.
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundled runtime, so no library of an older version lingers next to new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The PyInstaller one-folder output: hvmigrate.exe (console, command line), hvmigrate-gui.exe (no console,
; for shortcuts) and _internal\ (Python, Qt, the wizard package and resources\).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Move VMware and VirtualBox VMs to Hyper-V"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
