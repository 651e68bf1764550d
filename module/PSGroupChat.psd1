@{
    RootModule           = 'PSGroupChat.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5d0f6a7e-3b9c-4e52-9a1d-7c2e8b4f6a13'
    Author               = 'PSGroupChat contributors'
    CompanyName          = 'PSGroupChat'
    Copyright            = '(c) PSGroupChat contributors. MIT License.'
    Description          = 'Decentralized group chat over TCP: every peer listens and links to every other (a full mesh, no server). Start peers, join through one member, send and receive messages as pipeline objects, and script multi-peer simulations.'
    PowerShellVersion    = '5.1'
    # netstandard2.0 assemblies on Windows PowerShell 5.1 need .NET Framework 4.7.2 or later.
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PSGroupChat.Format.ps1xml')
    CmdletsToExport      = @(
        'Start-ChatPeer'
        'New-ChatSecret'
        'Connect-ChatPeer'
        'Send-ChatMessage'
        'Receive-ChatMessage'
        'Stop-ChatPeer'
        'Get-ChatSession'
        'Get-ChatPeer'
        'Remove-ChatSession'
        'Enter-ChatRoom'
        'Find-ChatRoom'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('chat', 'p2p', 'mesh', 'tcp', 'messaging', 'simulation', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/psgroupchat/PSGroupChat'
            LicenseUri   = 'https://github.com/psgroupchat/PSGroupChat/blob/main/LICENSE'
            # build.ps1 -Task Package fills this in from the version's section of CHANGELOG.md.
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}
