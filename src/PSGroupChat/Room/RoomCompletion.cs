using System.Collections.Generic;

namespace PSGroupChat.Room
{
    /// <summary>What Tab made of the line being typed.</summary>
    /// <param name="Text">The line with the word before the caret completed as far as the candidates agree.</param>
    /// <param name="Caret">Where the caret goes: after the completed word.</param>
    /// <param name="Candidates">Every command or member name the word could still become, when there is more than one.</param>
    internal sealed record RoomCompletion(string Text, int Caret, IReadOnlyList<string> Candidates);
}
