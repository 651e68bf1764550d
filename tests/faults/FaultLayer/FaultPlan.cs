using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PSGroupChat.Faults;

/// <summary>What happens to the packets of one direction between hosts: host numbers are the third octet of 10.78.N.2.</summary>
public sealed record FaultRule
{
    /// <summary>Sending hosts this rule covers; empty means every host.</summary>
    public int[] From { get; init; } = Array.Empty<int>();

    /// <summary>Receiving hosts this rule covers; empty means every host.</summary>
    public int[] To { get; init; } = Array.Empty<int>();

    /// <summary>Every packet is dropped (a partition).</summary>
    public bool Drop { get; init; }

    /// <summary>Base one-way delay in milliseconds.</summary>
    public double DelayMs { get; init; }

    /// <summary>Each packet's delay is DelayMs plus a uniform draw in [-JitterMs, +JitterMs] (never below zero).</summary>
    public double JitterMs { get; init; }

    /// <summary>Share of packets dropped, in percent.</summary>
    public double LossPercent { get; init; }

    /// <summary>Share of packets sent twice, in percent (the copy follows after its own delay).</summary>
    public double DuplicatePercent { get; init; }

    /// <summary>Share of packets held back by ReorderMs more, so that later packets overtake them, in percent.</summary>
    public double ReorderPercent { get; init; }

    /// <summary>How long a reordered packet is held back in addition, in milliseconds.</summary>
    public double ReorderMs { get; init; } = 20;

    internal bool Covers(int from, int to) =>
        (From.Length == 0 || Array.IndexOf(From, from) >= 0) && (To.Length == 0 || Array.IndexOf(To, to) >= 0);
}

/// <summary>The control file: the first rule covering a packet's direction decides; no rule means forward at once.</summary>
public sealed record FaultPlan
{
    /// <summary>A label the harness sets per phase, echoed in the statistics file.</summary>
    public string Phase { get; init; } = string.Empty;

    /// <summary>Numbers each plan the harness writes, echoed in the statistics file once this plan is in force.</summary>
    public long Serial { get; init; }

    /// <summary>The rules, first match wins.</summary>
    public FaultRule[] Rules { get; init; } = Array.Empty<FaultRule>();

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    internal FaultRule? RuleFor(int from, int to)
    {
        foreach (var rule in Rules) if (rule.Covers(from, to)) return rule;
        return null;
    }

    internal static FaultPlan Parse(string text) => JsonSerializer.Deserialize<FaultPlan>(text, Json) ?? new FaultPlan();
}
