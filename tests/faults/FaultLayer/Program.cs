using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using PSGroupChat.Faults;

// FaultLayer <tun-device> <plan.json> <stats.json>
// Reads every IPv4 packet the router sends into the TUN device, applies the current plan of its direction (host N is
// 10.78.N.2) and writes it back after its delay; the kernel then routes it on as arriving from the TUN device.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: FaultLayer <tun-device> <plan.json> <stats.json>");
    return 2;
}
var (deviceName, planPath, statsPath) = (args[0], args[1], args[2]);
using var device = new TunDevice(deviceName);
var scheduler = new PacketScheduler(device);
var plan = new FaultPlan();
var random = new Random();
var counts = new ConcurrentDictionary<string, long[]>(); // "from>to" -> forwarded, dropped, duplicated, reordered

new Thread(scheduler.Run) { IsBackground = true, Name = "writer" }.Start();
new Thread(WatchPlan) { IsBackground = true, Name = "plan" }.Start();
Console.WriteLine($"FaultLayer ready on {deviceName}");

var buffer = new byte[65536];
while (true)
{
    var length = device.Read(buffer);
    if (length < 20 || buffer[0] >> 4 != 4) continue; // only IPv4 is routed here
    int from = buffer[14], to = buffer[18];            // the third octet of the source and destination addresses
    var tally = counts.GetOrAdd($"{from}>{to}", _ => new long[4]);
    var rule = Volatile.Read(ref plan).RuleFor(from, to);
    if (rule is null) { scheduler.Schedule(buffer, length, 0); Interlocked.Increment(ref tally[0]); continue; }
    if (rule.Drop || random.NextDouble() * 100 < rule.LossPercent) { Interlocked.Increment(ref tally[1]); continue; }
    var delay = rule.DelayMs + (rule.JitterMs > 0 ? (random.NextDouble() * 2 - 1) * rule.JitterMs : 0);
    if (random.NextDouble() * 100 < rule.ReorderPercent) { delay += rule.ReorderMs; Interlocked.Increment(ref tally[3]); }
    scheduler.Schedule(buffer, length, delay);
    Interlocked.Increment(ref tally[0]);
    if (random.NextDouble() * 100 < rule.DuplicatePercent)
    {
        scheduler.Schedule(buffer, length, delay + random.NextDouble() * Math.Max(1, rule.JitterMs));
        Interlocked.Increment(ref tally[2]);
    }
}

void WatchPlan()
{
    // Polled rather than watched: a plan is replaced whole (written elsewhere, then moved), and 50 ms is precise enough.
    var seen = DateTime.MinValue;
    var nextStats = DateTime.UtcNow;
    while (true)
    {
        try
        {
            var stamp = File.Exists(planPath) ? File.GetLastWriteTimeUtc(planPath) : DateTime.MinValue;
            if (stamp != seen)
            {
                seen = stamp;
                var next = stamp == DateTime.MinValue ? new FaultPlan() : FaultPlan.Parse(File.ReadAllText(planPath));
                Volatile.Write(ref plan, next);
                Console.WriteLine($"{DateTimeOffset.UtcNow:O} plan {next.Serial} '{next.Phase}' with {next.Rules.Length} rule(s)");
                nextStats = DateTime.UtcNow; // the harness waits for the new serial in the statistics
            }
        }
        catch (Exception error) when (error is IOException or JsonException)
        {
            Console.Error.WriteLine($"{DateTimeOffset.UtcNow:O} plan not read, the previous one stays: {error.Message}");
        }
        if (DateTime.UtcNow >= nextStats)
        {
            nextStats = DateTime.UtcNow.AddMilliseconds(500);
            var stats = new
            {
                phase = Volatile.Read(ref plan).Phase,
                serial = Volatile.Read(ref plan).Serial,
                pairs = counts.OrderBy(pair => pair.Key).ToDictionary(pair => pair.Key, pair => new
                {
                    forwarded = Interlocked.Read(ref pair.Value[0]), dropped = Interlocked.Read(ref pair.Value[1]),
                    duplicated = Interlocked.Read(ref pair.Value[2]), reordered = Interlocked.Read(ref pair.Value[3]),
                }),
            };
            File.WriteAllText(statsPath + ".tmp", JsonSerializer.Serialize(stats));
            File.Move(statsPath + ".tmp", statsPath, true);
        }
        Thread.Sleep(50);
    }
}
