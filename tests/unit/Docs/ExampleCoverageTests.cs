using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;
using Xunit;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// Together, the examples show the pipeline uses issue 8 asks for: strings piped into Send-ChatMessage, received
    /// messages piped into Where-Object, ForEach-Object and Export-Csv, an echo bot, and Register-ObjectEvent on each
    /// of the session's events. Found by reading the examples' syntax trees, not their text.
    /// </summary>
    public class ExampleCoverageTests
    {
        private static readonly List<PipelineAst> Pipelines = DocsFixture.AllHelp()
            .SelectMany(h => h.Examples).SelectMany(e => e.Code)
            .SelectMany(code => Parser.ParseInput(code, out _, out _).FindAll(a => a is PipelineAst, true).Cast<PipelineAst>())
            .ToList();

        private static string? NameAt(PipelineAst pipeline, int index) =>
            (pipeline.PipelineElements[index] as CommandAst)?.GetCommandName();

        private static bool Pipes(string from, string to) => Pipelines.Any(p =>
        {
            var names = Enumerable.Range(0, p.PipelineElements.Count).Select(i => NameAt(p, i)).ToList();
            int first = names.FindIndex(n => string.Equals(n, from, StringComparison.OrdinalIgnoreCase));
            return first >= 0 && names.Skip(first + 1).Any(n => string.Equals(n, to, StringComparison.OrdinalIgnoreCase));
        });

        [Theory]
        [InlineData("Where-Object")]
        [InlineData("ForEach-Object")]
        [InlineData("Export-Csv")]
        public void ReceivedMessagesArePipedInto(string cmdlet) =>
            Assert.True(Pipes("Receive-ChatMessage", cmdlet), $"No example pipes Receive-ChatMessage into {cmdlet}.");

        [Fact]
        public void StringsArePipedIntoSendChatMessage()
        {
            bool found = Pipelines.Any(p => p.PipelineElements.Skip(1).OfType<CommandAst>().Any(c =>
                c.GetCommandName() == "Send-ChatMessage"
                && !c.CommandElements.OfType<CommandParameterAst>().Any(a => a.ParameterName.Equals("Message", StringComparison.OrdinalIgnoreCase))
                && c.CommandElements.Skip(1).All(e => e is CommandParameterAst))
                && NameAt(p, 0) == "Get-Content");
            Assert.True(found, "No example pipes the lines of a file (Get-Content) into Send-ChatMessage without -Message.");
        }

        [Fact]
        public void AnEchoBotAnswersWhatItReceives()
        {
            bool found = Pipelines.Any(p =>
                NameAt(p, 0) == "Receive-ChatMessage"
                && ((CommandAst)p.PipelineElements[0]).CommandElements.OfType<CommandParameterAst>().Any(a => a.ParameterName == "Wait")
                && p.PipelineElements.Skip(1).OfType<CommandAst>().Any(c => c.GetCommandName() == "ForEach-Object"
                    && c.FindAll(a => a is CommandAst inner && inner.GetCommandName() == "Send-ChatMessage", true).Any()));
            Assert.True(found, "No example is an echo bot: Receive-ChatMessage -Wait | ... | ForEach-Object { Send-ChatMessage ... }.");
        }

        [Theory]
        [InlineData("MessageReceived")]
        [InlineData("PeerJoined")]
        [InlineData("PeerLeft")]
        public void RegisterObjectEventSubscribesTo(string eventName)
        {
            bool found = Pipelines.SelectMany(p => p.PipelineElements.OfType<CommandAst>())
                .Where(c => c.GetCommandName() == "Register-ObjectEvent")
                .Any(c =>
                {
                    var elements = c.CommandElements;
                    for (int i = 1; i + 1 < elements.Count; i++)
                    {
                        if (elements[i] is CommandParameterAst { ParameterName: "EventName" }
                            && elements[i + 1] is StringConstantExpressionAst value && value.Value == eventName) return true;
                    }
                    return false;
                });
            Assert.True(found, $"No example runs Register-ObjectEvent -EventName {eventName}.");
            Assert.NotNull(typeof(ChatSession).GetEvent(eventName));
        }
    }
}
