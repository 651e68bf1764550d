using System;
using System.Runtime.InteropServices;

namespace PSGroupChat.Faults;

/// <summary>A Linux TUN device opened through /dev/net/tun: whole IP packets in and out, no packet-information header.</summary>
internal sealed class TunDevice : IDisposable
{
    private const int ReadWrite = 2;           // O_RDWR
    private const uint SetInterface = 0x400454ca; // TUNSETIFF
    private const short Tun = 0x0001;            // IFF_TUN
    private const short NoPacketInformation = 0x1000; // IFF_NO_PI

    private readonly int descriptor;

    /// <summary>Creates (or attaches to) the TUN device <paramref name="name"/> in the calling process's namespace.</summary>
    public TunDevice(string name)
    {
        if (name.Length > 15) throw new ArgumentException("A device name has at most 15 characters.", nameof(name));
        descriptor = Native.Open("/dev/net/tun", ReadWrite);
        if (descriptor < 0) throw new InvalidOperationException($"open /dev/net/tun failed (errno {Marshal.GetLastPInvokeError()})");
        var request = new byte[40]; // struct ifreq: the name (16 bytes), then a union whose first member is the flags
        System.Text.Encoding.ASCII.GetBytes(name, 0, name.Length, request, 0);
        BitConverter.GetBytes((short)(Tun | NoPacketInformation)).CopyTo(request, 16);
        if (Native.IoControl(descriptor, SetInterface, request) < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Native.Close(descriptor);
            throw new InvalidOperationException($"ioctl TUNSETIFF {name} failed (errno {error})");
        }
    }

    /// <summary>Blocks until a packet is read; returns its length.</summary>
    public int Read(byte[] buffer)
    {
        while (true)
        {
            var read = Native.Read(descriptor, buffer, buffer.Length);
            if (read >= 0) return (int)read;
            if (Marshal.GetLastPInvokeError() != 4) throw new InvalidOperationException($"read from the TUN device failed (errno {Marshal.GetLastPInvokeError()})"); // 4: EINTR
        }
    }

    /// <summary>Hands a packet back to the kernel, which routes it as arriving on the TUN device.</summary>
    public void Write(byte[] packet, int length)
    {
        // A packet the kernel refuses (no route while a host is being set up) is dropped, as a router would.
        _ = Native.Write(descriptor, packet, length);
    }

    public void Dispose() => Native.Close(descriptor);

    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open(string path, int flags);

        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        public static extern int IoControl(int descriptor, uint request, byte[] argument);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        public static extern nint Read(int descriptor, byte[] buffer, nint count);

        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        public static extern nint Write(int descriptor, byte[] buffer, nint count);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int descriptor);
    }
}
