using System.Runtime.CompilerServices;

namespace ProfilingKit.Bench;

/// <summary>The seed's MemoryIntensiveFunc: a string built from integers one concatenation at a time.</summary>
internal static class StringBuildingWorkload
{
    /// <summary>Concatenations per call, as in the seed; one call allocates about 390 MB.</summary>
    public const int Concatenations = 10_000;

    /// <summary>The last results, kept so that the JIT cannot drop the work.</summary>
    internal static string LastString = "";

    /// <inheritdoc cref="LastString"/>
    internal static ulong LastArithmetic;

    /// <summary>One call of the seed's function, with <paramref name="arithmeticPerConcatenation"/> rounds of arithmetic after each step.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void MemoryIntensiveFunc(int arithmeticPerConcatenation)
    {
        var s = string.Empty;
        var x = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < Concatenations; i++)
        {
            s += i.ToString();
            x = Arithmetic(x, arithmeticPerConcatenation);
        }

        LastString = s;
        LastArithmetic = x;
    }

    /// <summary>Xorshift rounds: dependent register arithmetic that allocates nothing and cannot be folded away.</summary>
    private static ulong Arithmetic(ulong x, int rounds)
    {
        for (var r = 0; r < rounds; r++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return x;
    }
}
