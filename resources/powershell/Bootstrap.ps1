# hvmigrate-script: Bootstrap
# Runs one hvmigrate script sent over WinRM. This text is fixed (it is passed as -EncodedCommand); the
# script to run and its settings arrive on standard input as two base64 words:
#   <base64 of the script, UTF-8> <base64 of the settings JSON, UTF-8>
# The script is hvmigrate's own static text; the settings reach it only as the -Settings string value.
$ErrorActionPreference = 'Stop'
$received = $input | Out-String
$words = $received.Split([char[]]@(' ', "`r", "`n", "`t"), [StringSplitOptions]::RemoveEmptyEntries)
if ($words.Length -ne 2) {
    [Console]::Error.WriteLine('hvmigrate bootstrap: expected a script and its settings on standard input.')
    exit 2
}
$scriptText = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($words[0]))
$block = [ScriptBlock]::Create($scriptText)
& $block -Settings $words[1]
exit $LASTEXITCODE
