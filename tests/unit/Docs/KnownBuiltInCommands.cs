using System;
using System.Collections.Generic;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// Cmdlets that ship with PowerShell 7 but are not in the hosted engine (which has Microsoft.PowerShell.Core only),
    /// so that help examples may use them. Kept explicit and short: an example that uses anything else fails the
    /// check, and adding a name here is a deliberate choice. Their parameters cannot be checked here.
    /// </summary>
    public static class KnownBuiltInCommands
    {
        public static readonly IReadOnlyCollection<string> Names = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            // Microsoft.PowerShell.Utility
            "Export-Csv", "Import-Csv", "ConvertTo-Csv", "ConvertTo-Json", "ConvertFrom-Json",
            "Register-ObjectEvent", "Unregister-Event", "Get-Event", "Remove-Event", "Wait-Event", "Get-EventSubscriber",
            "Select-Object", "Sort-Object", "Group-Object", "Measure-Object", "Tee-Object",
            "Format-Table", "Format-List", "Out-String", "Out-File",
            "Write-Host", "Write-Output", "Write-Warning", "Write-Verbose",
            "Start-Sleep", "Get-Date", "Read-Host", "Get-Random", "Select-String", "New-Object", "Get-Member",
            // Microsoft.PowerShell.Management
            "Get-Content", "Set-Content", "Add-Content", "Join-Path", "Test-Path", "Get-ChildItem", "Remove-Item",
            "New-Item", "Start-Process",
            // Microsoft.PowerShell.Security
            "ConvertTo-SecureString", "Get-Credential",
            // ThreadJob, shipped with PowerShell 7
            "Start-ThreadJob",
        };
    }
}
