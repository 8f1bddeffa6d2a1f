using System.Runtime.CompilerServices;

namespace InliningLibrary;

/// <summary>
/// Allocations in a small method the JIT inlines into the hot loop of an optimized one, for the
/// inlined-frames test: with DOTNET_RichDebugInfo=1 a profile shows <see cref="NewBuffer"/> as an
/// inlined frame above <see cref="Run"/>.
/// </summary>
public static class InlinedAllocations
{
    /// <summary>Allocates about <paramref name="megabytes"/> MB through the inlined <see cref="NewBuffer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)] // optimized from its first call, so inlined from the start
    public static long Run(int megabytes)
    {
        var count = megabytes * 1000;
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            total += NewBuffer(i).Length;
        }

        return total;
    }

    /// <summary>How many buffers <see cref="NewBuffer"/> made.</summary>
    public static long Made;

    // Rich debug info names an inlinee from the first of its statement boundaries the JIT kept: a
    // first statement with a side effect keeps one before the allocation.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int[] NewBuffer(int seed)
    {
        Made++;
        var buffer = new int[250 + (seed & 1)];
        buffer[0] = seed;
        return buffer;
    }
}
