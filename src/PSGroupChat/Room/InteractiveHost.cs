using System;
using System.Management.Automation.Host;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Decides whether a host can run the chat room: it needs $Host.UI.RawUI that reads single keys, moves the cursor
    /// and knows its window. The host is asked through the host interface only, never through System.Console, so any interactive
    /// host qualifies and the console host is judged like the others.
    /// </summary>
    internal static class InteractiveHost
    {
        /// <summary>Why <paramref name="host"/> cannot run the room, or null when it can.</summary>
        public static string? WhyNot(PSHost host)
        {
            var ui = host.UI;
            if (ui == null) return "it has no user interface ($Host.UI)";
            PSHostRawUserInterface? raw;
            try
            {
                raw = ui.RawUI;
            }
            catch (Exception e) when (IsHostRefusal(e))
            {
                return $"it has no raw user interface ($Host.UI.RawUI): {Reason(e)}";
            }
            if (raw == null) return "it has no raw user interface ($Host.UI.RawUI), so it cannot read single keys or place the cursor";

            // Reading these is harmless and is exactly what the room does next. A host without a keyboard (the default
            // host of a hosted runspace) throws here, and so does the console host when its input is redirected.
            try
            {
                _ = raw.KeyAvailable;
                _ = raw.CursorPosition;
                _ = raw.BufferSize;
                _ = raw.WindowSize;
                _ = raw.WindowPosition;
            }
            catch (Exception e) when (IsHostRefusal(e))
            {
                return "its $Host.UI.RawUI cannot read single keys or place the cursor (the host has no raw user interface, " +
                    $"or its input is redirected): {Reason(e)}";
            }
            return null;
        }

        /// <summary>The host's own words, without the full stop, since they go inside a sentence.</summary>
        private static string Reason(Exception e) => e.Message.Trim().TrimEnd('.');

        /// <summary>The exceptions a host throws for what it cannot do, as opposed to bugs that should surface.</summary>
        public static bool IsHostRefusal(Exception e) =>
            e is System.Management.Automation.Host.HostException
            || e is InvalidOperationException
            || e is NotImplementedException
            || e is NotSupportedException
            || e is System.IO.IOException;
    }
}
