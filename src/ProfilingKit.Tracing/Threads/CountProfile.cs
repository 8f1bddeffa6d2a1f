using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Threads;

/// <summary>
/// Go's count profiles (goroutine, threadcreate): one sample type <c>&lt;name&gt;/count</c>, the
/// same as period type with period 1, one sample per distinct stack valued by how often it occurs,
/// and one per pseudo-frame that stands for a stack no event recorded.
/// </summary>
internal static class CountProfile
{
    public static Profile Build(
        string type,
        IReadOnlyList<(ulong[] Stack, long Count)> entries,
        Func<ulong[], List<Frame>> symbolize,
        string mainBinary,
        DateTimeOffset now,
        string comment,
        IReadOnlyList<(string Frame, long Count)> withoutStack)
    {
        var valueType = new ValueTypeName(type, "count");
        var builder = new ProfileBuilder(new[] { valueType }, mainBinary)
            .SetPeriod(valueType, 1)
            .SetTime(now)
            .AddComment(comment);

        // Raw stacks that name the same frames (return addresses elsewhere in the same lines, native
        // code in between) are one managed stack: one sample each, as Go has one per stack.
        var samples = new Dictionary<string, (List<Frame> Frames, long Count)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (stack, count) in entries)
        {
            var frames = symbolize(stack);
            if (frames.Count == 0) frames.Add(new Frame(StackSymbolizer.NativeCodeFrame));

            var key = string.Join("\n", frames);
            if (samples.TryGetValue(key, out var sample))
            {
                samples[key] = (sample.Frames, sample.Count + count);
            }
            else
            {
                samples.Add(key, (frames, count));
                order.Add(key);
            }
        }

        var values = new long[1];
        foreach (var key in order)
        {
            values[0] = samples[key].Count;
            builder.AddSample(samples[key].Frames, values);
        }

        foreach (var (frame, count) in withoutStack)
        {
            values[0] = count;
            builder.AddSample(new List<Frame> { new(frame) }, values);
        }

        return builder.Build();
    }
}
