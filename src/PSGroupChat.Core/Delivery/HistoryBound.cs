using System;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// How much history a member keeps per origin (sender), for members that lacked it: at most <see cref="Limit"/>
    /// messages, none older than <see cref="Age"/>. It is the only way a message can be missed.
    /// </summary>
    internal readonly record struct HistoryBound(int Limit, TimeSpan Age);
}
