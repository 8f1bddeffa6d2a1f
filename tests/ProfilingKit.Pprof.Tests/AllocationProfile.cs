using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Tests;

/// <summary>
/// A small allocs-shaped profile (Go's memory sample types, alloc_space by default) and the numbers
/// pprof should report for it, computed from the same samples rather than written down by hand.
/// </summary>
internal static class AllocationProfile
{
    public const string MainBinary = "MyApp.dll";
    public const long SamplingPeriod = 524288;
    public static readonly DateTimeOffset Time = new(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    public static readonly Frame Main = new("Program.Main", "Program.cs", 10);
    public static readonly Frame RunCallingAlloc = new("MyApp.Worker.Run", "Worker.cs", 20);
    public static readonly Frame RunCallingConcat = new("MyApp.Worker.Run", "Worker.cs", 21);
    public static readonly Frame RunAllocating = new("MyApp.Worker.Run", "Worker.cs", 22);
    public static readonly Frame Alloc = new("MyApp.Worker.Alloc", "Worker.cs", 45);
    public static readonly Frame Concat = new("System.String.Concat"); // no PDB: no file, no line

    /// <summary>Stacks leaf first; values alloc_objects, alloc_space, inuse_objects, inuse_space.</summary>
    public static readonly IReadOnlyList<(Frame[] Stack, long[] Values, SampleLabel[] Labels)> Samples = new[]
    {
        (new[] { Alloc, RunCallingAlloc, Main }, new long[] { 10, 1_000_000, 2, 200_000 },
            new[] { SampleLabel.String("thread", "worker-1"), SampleLabel.Numeric("bytes", 100_000, "bytes") }),
        (new[] { Concat, RunCallingConcat, Main }, new long[] { 20, 250_000, 0, 0 },
            new[] { SampleLabel.String("thread", "worker-2"), SampleLabel.Numeric("bytes", 12_500, "bytes") }),
        (new[] { RunAllocating, Main }, new long[] { 1, 4_096, 1, 4_096 },
            new[] { SampleLabel.String("thread", "worker-1") }),
        (new[] { Alloc, RunCallingAlloc, Main }, new long[] { 3, 300_000, 1, 100_000 },
            new[] { SampleLabel.String("thread", "worker-2"), SampleLabel.Numeric("bytes", 100_000, "bytes") }),
    };

    public static readonly string[] FunctionNames = Samples
        .SelectMany(sample => sample.Stack.Select(frame => frame.FunctionName))
        .Distinct()
        .ToArray();

    public static Profile Build()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, MainBinary)
            .SetPeriod(ProfileTypes.MemoryPeriod, SamplingPeriod)
            .SetDefaultSampleType(ProfileTypes.AllocSpace)
            .SetTime(Time)
            .SetDuration(Duration);
        foreach (var (stack, values, labels) in Samples)
        {
            builder.AddSample(stack, values, labels);
        }

        return builder.Build();
    }

    public static int IndexOf(string sampleType) =>
        ProfileTypes.Memory.Select(type => type.Type).ToList().IndexOf(sampleType) is var index and >= 0
            ? index
            : throw new ArgumentException($"No sample type {sampleType}.", nameof(sampleType));

    public static long Total(string sampleType) => Samples.Sum(sample => sample.Values[IndexOf(sampleType)]);

    /// <summary>The value of samples whose leaf is the function.</summary>
    public static long Flat(string function, string sampleType) =>
        Samples.Where(sample => sample.Stack[0].FunctionName == function).Sum(sample => sample.Values[IndexOf(sampleType)]);

    /// <summary>The value of samples with the function anywhere on the stack (counted once per sample).</summary>
    public static long Cum(string function, string sampleType) =>
        Samples.Where(sample => sample.Stack.Any(frame => frame.FunctionName == function)).Sum(sample => sample.Values[IndexOf(sampleType)]);

    /// <summary>Function names in the order of <c>-top</c>: by flat value, largest first.</summary>
    public static IReadOnlyList<string> TopOrder(string sampleType)
    {
        var flats = FunctionNames.Select(name => Flat(name, sampleType)).ToList();
        if (flats.Distinct().Count() != flats.Count)
        {
            throw new InvalidOperationException("Keep flat values distinct so that pprof's order is unambiguous.");
        }

        return FunctionNames.OrderByDescending(name => Flat(name, sampleType)).ToList();
    }
}
