using System.Runtime.CompilerServices;

namespace ProfilingKit.Bench.Soak;

/// <summary>The two workloads, each on one thread until the process is killed.</summary>
internal static class Workloads
{
    public const string Recursion = "recursion";
    public const string Steady = "steady";

    public static object? Sink;

    public static void Run(string workload)
    {
        Action loop = workload switch
        {
            Recursion => RecurseForever,
            Steady => SteadyForever,
            _ => throw new ArgumentException($"unknown workload '{workload}': {Recursion} or {Steady}"),
        };
        new Thread(() => loop()) { IsBackground = true, Name = workload }.Start();
    }

    /// <summary>Random recursion 1-60 deep through 20 methods, 64 B to 4 KB at the bottom: ever new stacks, as parsers and tree walks make.</summary>
    private static void RecurseForever()
    {
        var random = new Random(1);
        while (true) Step(random.Next(1, 61), random);
    }

    /// <summary>The seed's string building from one stack, at a moderate rate.</summary>
    private static void SteadyForever()
    {
        while (true)
        {
            var text = "";
            for (var i = 0; i < 200; i++) text += i;
            Sink = text;
            Thread.Sleep(1);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Step(int depth, Random random)
    {
        if (depth == 0)
        {
            Sink = new byte[random.Next(64, 4097)];
            return;
        }

        switch (random.Next(20))
        {
            case 0: M0(depth - 1, random); break;
            case 1: M1(depth - 1, random); break;
            case 2: M2(depth - 1, random); break;
            case 3: M3(depth - 1, random); break;
            case 4: M4(depth - 1, random); break;
            case 5: M5(depth - 1, random); break;
            case 6: M6(depth - 1, random); break;
            case 7: M7(depth - 1, random); break;
            case 8: M8(depth - 1, random); break;
            case 9: M9(depth - 1, random); break;
            case 10: M10(depth - 1, random); break;
            case 11: M11(depth - 1, random); break;
            case 12: M12(depth - 1, random); break;
            case 13: M13(depth - 1, random); break;
            case 14: M14(depth - 1, random); break;
            case 15: M15(depth - 1, random); break;
            case 16: M16(depth - 1, random); break;
            case 17: M17(depth - 1, random); break;
            case 18: M18(depth - 1, random); break;
            default: M19(depth - 1, random); break;
        }
    }

    // Twenty distinct frames; each calls back into Step, so the stacks are random sequences of them.
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M0(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M1(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M2(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M3(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M4(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M5(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M6(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M7(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M8(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M9(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M10(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M11(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M12(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M13(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M14(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M15(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M16(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M17(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M18(int d, Random r) => Step(d, r);
    [MethodImpl(MethodImplOptions.NoInlining)] private static void M19(int d, Random r) => Step(d, r);
}
