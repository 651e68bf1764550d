using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// The checks of the help files can fail: a help file or an example with one deliberate mistake is caught, with a
    /// message that names the mistake, while the unchanged file passes.
    /// </summary>
    public class HelpCheckerSelfTests : IClassFixture<DocsFixture>
    {
        private readonly DocsFixture _docs;

        public HelpCheckerSelfTests(DocsFixture docs) => _docs = docs;

        private string Original(string cmdlet) => File.ReadAllText(DocsFixture.HelpFileOf(cmdlet));

        private List<string> Check(string cmdlet, string text) =>
            CmdletHelpChecker.Check(CmdletMarkdown.Parse(text, cmdlet + ".md"), _docs.EngineCmdlets[cmdlet]);

        /// <summary>Replaces text inside the yaml block of one parameter only.</summary>
        private static string InParameter(string text, string parameter, string from, string to)
        {
            int heading = text.IndexOf($"### -{parameter}\n", StringComparison.Ordinal);
            Assert.True(heading >= 0, $"no ### -{parameter}");
            int start = text.IndexOf("```yaml", heading, StringComparison.Ordinal);
            int end = text.IndexOf("```\n", start + 7, StringComparison.Ordinal);
            var block = text.Substring(start, end - start);
            Assert.Contains(from, block);
            return text.Substring(0, start) + block.Replace(from, to) + text.Substring(end);
        }

        [Fact]
        public void TheUnchangedHelpFilePasses() => Assert.Empty(Check("Send-ChatMessage", Original("Send-ChatMessage")));

        [Theory]
        [InlineData("Message", "Required: True", "Required: False", "-Message: documented Required False")]
        [InlineData("Message", "Position: 0", "Position: 1", "-Message: documented Position 1")]
        [InlineData("Message", "Accept pipeline input: True (ByPropertyName, ByValue)", "Accept pipeline input: False", "-Message: documented pipeline input by value False")]
        [InlineData("Session", "True (ByPropertyName, ByValue)", "True (ByValue)", "-Session: documented pipeline input by property name False")]
        [InlineData("To", "Type: String[]", "Type: String", "-To: documented Type 'String'")]
        [InlineData("To", "Accept wildcard characters: False", "Accept wildcard characters: True", "-To: documented wildcard support True")]
        [InlineData("Action", "Aliases:", "Aliases: act", "-Action: documented Aliases 'act'")]
        [InlineData("PassThru", "Parameter Sets: (All)", "Parameter Sets: Direct", "-PassThru: documented in the parameter set 'Direct'")]
        public void AWrongParameterSettingIsCaught(string parameter, string from, string to, string expected)
        {
            var problems = Check("Send-ChatMessage", InParameter(Original("Send-ChatMessage"), parameter, from, to));
            Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        }

        [Fact]
        public void AnUndocumentedParameterIsCaught()
        {
            var text = Original("Send-ChatMessage");
            int start = text.IndexOf("### -PassThru\n", StringComparison.Ordinal);
            int end = text.IndexOf("### CommonParameters", StringComparison.Ordinal);
            var problems = Check("Send-ChatMessage", text.Substring(0, start) + text.Substring(end));
            Assert.Contains(problems, p => p.Contains("-PassThru is a parameter of Send-ChatMessage but PARAMETERS does not document it", StringComparison.Ordinal));
        }

        [Fact]
        public void ADocumentedParameterTheCodeLacksIsCaught()
        {
            var text = Original("Send-ChatMessage").Replace("### CommonParameters",
                "### -Priority\nHow urgent the message is.\n\n```yaml\nType: Int32\nParameter Sets: (All)\nAliases:\n\nRequired: False\n" +
                "Position: Named\nDefault value: 0\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n\n### CommonParameters");
            var problems = Check("Send-ChatMessage", text);
            Assert.Contains(problems, p => p.Contains("-Priority is documented but Send-ChatMessage has no such parameter", StringComparison.Ordinal));
        }

        [Fact]
        public void AMissingSectionAndAPlaceholderAreCaught()
        {
            var text = Original("Get-ChatSession").Replace("## NOTES", "## REMARKS").Replace("Lists the chat sessions started in this runspace, running and stopped.", "{{ Fill in the Synopsis }}");
            var problems = Check("Get-ChatSession", text);
            Assert.Contains(problems, p => p.Contains("'## NOTES' is missing", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("placeholder", StringComparison.Ordinal));
        }

        [Fact]
        public void WrongWildcardSupportAndAcceptedValuesAreCaught()
        {
            var text = InParameter(Original("Get-ChatSession"), "UserName", "Accept wildcard characters: True", "Accept wildcard characters: False");
            text = InParameter(text, "State", "Accepted values: Running, Stopping, Stopped", "Accepted values: Running, Stopped");
            var problems = Check("Get-ChatSession", text);
            Assert.Contains(problems, p => p.Contains("-UserName: documented wildcard support False, the code says True", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("-State: documented accepted values 'Running, Stopped'", StringComparison.Ordinal));
        }

        [Fact]
        public void ASyntaxBlockThatDisagreesIsCaught()
        {
            var problems = Check("Send-ChatMessage", Original("Send-ChatMessage").Replace(" [-Action] [-PassThru]", " [-PassThru]"));
            Assert.Contains(problems, p => p.Contains("the syntax of '__AllParameterSets' shows", StringComparison.Ordinal));
        }

        [Fact]
        public void TheSchemaThatPlatyPS1WritesIsReadToo()
        {
            // What build.ps1 -Task UpdateDocs leaves behind with Microsoft.PowerShell.PlatyPS 1.x.
            const string help = @"---
document type: cmdlet
external help file: PSGroupChat.dll-Help.xml
HelpUri: ''
Locale: en-US
Module Name: PSGroupChat
PlatyPS schema version: 2024-05-01
title: Get-ChatSession
---

# Get-ChatSession

## SYNOPSIS

Lists the chat sessions.

## SYNTAX

### __AllParameterSets

```
Get-ChatSession [[-UserName] <string[]>] [-State <ChatSessionState>] [<CommonParameters>]
```

## DESCRIPTION

Lists the sessions.

## EXAMPLES

### Example 1: List them

```powershell
Get-ChatSession
```

Lists them.

### Example 2: Running ones

```powershell
Get-ChatSession -State Running
```

Lists the running ones.

## PARAMETERS

### -State

Only sessions in this state.

```yaml
Type: System.Nullable`1[PSGroupChat.ChatSessionState]
DefaultValue: ''
SupportsWildcards: false
Aliases: []
ParameterSets:
- Name: (All)
  Position: Named
  IsRequired: false
  ValueFromPipeline: false
  ValueFromPipelineByPropertyName: false
  ValueFromRemainingArguments: false
DontShow: false
AcceptedValues:
- Running
- Stopping
- Stopped
HelpMessage: ''
```

### -UserName

Only sessions whose user name matches.

```yaml
Type: System.String[]
DefaultValue: ''
SupportsWildcards: true
Aliases: []
ParameterSets:
- Name: (All)
  Position: 0
  IsRequired: false
  ValueFromPipeline: false
  ValueFromPipelineByPropertyName: false
  ValueFromRemainingArguments: false
DontShow: false
AcceptedValues: []
HelpMessage: ''
```

### CommonParameters

This cmdlet supports the common parameters.

## INPUTS

### None

## OUTPUTS

### PSGroupChat.ChatSession

The sessions.

## NOTES

None.

## RELATED LINKS

- [Start-ChatPeer](Start-ChatPeer.md)
";
            Assert.Empty(Check("Get-ChatSession", help.Replace("\r\n", "\n")));
            var wrong = help.Replace("\r\n", "\n").Replace("  Position: 0\n  IsRequired: false", "  Position: 0\n  IsRequired: true");
            Assert.Contains(Check("Get-ChatSession", wrong), p => p.Contains("-UserName: documented Required True, the code says False", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("Send-ChatMessage -Mesage 'hi'", "Send-ChatMessage has no parameter -Mesage")]
        [InlineData("Send-ChatMessage -Message 'hi' -Colour red", "Send-ChatMessage has no parameter -Colour")]
        [InlineData("Start-ChatPeer alice 5000 extra", "Start-ChatPeer is given 3 positional arguments but takes at most 2")]
        [InlineData("'alice' | Get-ChatSession", "Get-ChatSession takes no pipeline input")]
        [InlineData("Receive-ChatMessage -Timeout", "-Timeout needs a value")]
        [InlineData("Get-ChatMessage", "Get-ChatMessage is not a command")]
        [InlineData("Receive-ChatMessage | % { $_.Text }", "% is not a command")]
        [InlineData("Send-ChatMessage -Message (", "does not parse")]
        [InlineData("Receive-ChatMessage | Where-Object -FilterScrip { $_ }", "Where-Object has no parameter -FilterScrip")]
        public void AnExampleThatWouldNotRunIsCaught(string code, string expected)
        {
            var problems = new ExampleChecker(_docs.EngineCmdlets).Check(code);
            Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("Get-Content ./notes.txt | Send-ChatMessage -PassThru | Export-Csv ./sent.csv")]
        [InlineData("Receive-ChatMessage -Wait -Count 2 | ForEach-Object { Send-ChatMessage -Message $_.Text -To $_.Sender }")]
        [InlineData("function Show-Line($m) { $m.Text }\nReceive-ChatMessage | ForEach-Object { Show-Line $_ }")]
        [InlineData("$p = @{ UserName = 'x' }\nStart-ChatPeer @p -Port 0")]
        [InlineData("Stop-ChatPeer -Session:$s -Reason bye -ErrorAction Stop -WhatIf")]
        public void AnExampleThatWouldRunPasses(string code) => Assert.Empty(new ExampleChecker(_docs.EngineCmdlets).Check(code));
    }
}
