using System.Runtime.CompilerServices;

namespace ProfilingKit.Tests;

/// <summary>Allocates a known number of byte arrays, so tests know what a profile should say.</summary>
internal static class Allocator
{
    public static object? Sink;

    /// <summary>Allocates <paramref name="count"/> arrays of <paramref name="length"/> bytes; returns the bytes this thread allocated.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Run(int count, int length)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[length];
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
