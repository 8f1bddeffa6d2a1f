using System.Runtime.CompilerServices;

namespace InliningLibrary;

/// <summary>
/// Arrays of 100 bytes, 1 KB and 80 KB allocated in the body of a <c>for</c> loop, in optimized code:
/// OSR code (one long call: the runtime moves the loop from Tier-0 to OSR code while it runs) and
/// Tier-1 code (warmed up by short calls until the runtime has recompiled it). Under
/// DOTNET_TieredCompilation=0 all of it is fully optimized from the start. Optimized code maps
/// such a loop's body to no IL statement of its own, which is what the line tests check.
/// </summary>
public static class LoopAllocations
{
    public static object? Sink;

    /// <summary>Allocates about <paramref name="megabytes"/> MB in each of the six methods.</summary>
    public static void Run(int megabytes)
    {
        var bytes = megabytes * 1024 * 1024;
        Osr100(bytes / 100);
        Osr1K(bytes / 1024);
        Osr80K(bytes / (80 * 1024));

        // Tier-1: 30 calls, then a background recompile after the call-counting delay; two seconds
        // of short calls leave room for that on a loaded machine.
        for (var round = 0; round < 100; round++)
        {
            Warmed100(1);
            Warmed1K(1);
            Warmed80K(1);
            Thread.Sleep(20);
        }

        Warmed100(bytes / 100);
        Warmed1K(bytes / 1024);
        Warmed80K(bytes / (80 * 1024));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Osr100(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[100];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Osr1K(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[1024];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Osr80K(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[80 * 1024];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Warmed100(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[100];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Warmed1K(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[1024];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Warmed80K(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[80 * 1024];
        }
    }
}
