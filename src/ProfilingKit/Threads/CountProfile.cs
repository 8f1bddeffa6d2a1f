using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Threads;

/// <summary>
/// Go's count profiles (goroutine, threadcreate): one sample type <c>&lt;name&gt;/count</c>, the
/// same as period type with period 1, one sample per distinct stack valued by how often it occurs.
/// </summary>
internal static class CountProfile
{
    public static Profile Build(
        string type,
        IReadOnlyList<(ulong[] Stack, long Count)> entries,
        MethodSymbolizer symbolizer,
        string mainBinary,
        DateTimeOffset now,
        string comment,
        string? leafFrame = null)
    {
        symbolizer.PrepareFor(entries.Select(entry => entry.Stack));
        var valueType = new ValueTypeName(type, "count");
        var builder = new ProfileBuilder(new[] { valueType }, mainBinary)
            .SetPeriod(valueType, 1)
            .SetTime(now)
            .AddComment(comment);

        var values = new long[1];
        foreach (var (stack, count) in entries)
        {
            var frames = symbolizer.Symbolize(stack);
            if (leafFrame is not null) frames.Insert(0, new Frame(leafFrame));
            if (frames.Count == 0) frames.Add(new Frame(StackSymbolizer.NativeCodeFrame));

            values[0] = count;
            builder.AddSample(frames, values);
        }

        return builder.Build();
    }
}
