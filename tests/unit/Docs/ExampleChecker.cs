using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// Checks the code of a help example with the PowerShell parser: it must parse, every command it runs must exist
    /// (a cmdlet of the hosted engine, which includes the module's, a known built-in, or a function the example
    /// defines), and every cmdlet the engine knows must be called with parameters it has, no more positional
    /// arguments than it takes, and, after a pipe, only if it accepts pipeline input.
    /// </summary>
    public sealed class ExampleChecker
    {
        private readonly IReadOnlyDictionary<string, CmdletInfo> _cmdlets;

        /// <param name="cmdlets">Every cmdlet of the hosted engine with the module imported, by name (case-insensitive).</param>
        public ExampleChecker(IReadOnlyDictionary<string, CmdletInfo> cmdlets) => _cmdlets = cmdlets;

        public List<string> Check(string code)
        {
            var problems = new List<string>();
            var ast = Parser.ParseInput(code, out _, out var errors);
            foreach (var error in errors)
            {
                problems.Add($"line {error.Extent.StartLineNumber}: does not parse: {error.Message}");
            }
            if (errors.Length > 0) return problems;

            var functions = new HashSet<string>(
                ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().Select(f => f.Name),
                StringComparer.OrdinalIgnoreCase);
            foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true))
            {
                var name = command.GetCommandName();
                if (name == null) continue; // & $scriptBlock and the like: nothing to look up
                string where = $"line {command.Extent.StartLineNumber}: {name}";
                if (_cmdlets.TryGetValue(name, out var cmdlet))
                {
                    CheckCall(command, cmdlet, where, problems);
                }
                else if (!KnownBuiltInCommands.Names.Contains(name) && !functions.Contains(name))
                {
                    problems.Add($"{where} is not a command of the module, of the hosted engine or of the known built-ins (use full cmdlet names, not aliases)");
                }
            }
            return problems;
        }

        private static void CheckCall(CommandAst command, CmdletInfo cmdlet, string where, List<string> problems)
        {
            var elements = command.CommandElements;
            int positional = 0;
            bool splatted = false;
            for (int i = 1; i < elements.Count; i++)
            {
                switch (elements[i])
                {
                    case CommandParameterAst parameter:
                        var meta = Resolve(cmdlet, parameter.ParameterName);
                        if (meta == null)
                        {
                            problems.Add($"{where} has no parameter -{parameter.ParameterName}");
                            break;
                        }
                        if (parameter.Argument == null && meta.ParameterType != typeof(SwitchParameter))
                        {
                            if (i + 1 >= elements.Count || elements[i + 1] is CommandParameterAst) problems.Add($"{where}: -{meta.Name} needs a value");
                            else i++;
                        }
                        break;
                    case VariableExpressionAst variable when variable.Splatted:
                        splatted = true;
                        break;
                    default:
                        positional++;
                        break;
                }
            }

            int takes = cmdlet.ParameterSets.Select(s => s.Parameters.Count(p => p.Position >= 0)).DefaultIfEmpty(0).Max();
            if (!splatted && positional > takes)
                problems.Add($"{where} is given {positional} positional arguments but takes at most {takes}");

            if (command.Parent is PipelineAst pipeline && pipeline.PipelineElements.IndexOf(command) > 0
                && !cmdlet.Parameters.Values.Any(p => p.ParameterSets.Values.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName)))
            {
                problems.Add($"{where} takes no pipeline input, yet something is piped to it");
            }
        }

        /// <summary>The parameter named exactly (or by an alias); examples spell parameter names out in full.</summary>
        private static ParameterMetadata? Resolve(CmdletInfo cmdlet, string name) =>
            cmdlet.Parameters.Values.FirstOrDefault(p =>
                string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
                || p.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase)));
    }
}
