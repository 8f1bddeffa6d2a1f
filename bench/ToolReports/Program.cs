using System.Globalization;
using ProfilingKit.Pprof;

// Usage: ToolReports OUT.pb.gz [MEGABYTES]
// An allocs-shaped profile of about MEGABYTES (default 50) gzipped, with many distinct stacks: 20,000
// functions in 400 files, stacks 8 to 40 deep drawn from a fixed seed (so every run writes the same
// file), string and numeric labels. What a large service's allocation profile looks like to a reader.
var output = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: ToolReports OUT.pb.gz [MEGABYTES]");
var targetBytes = (long)((args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 50) * 1024 * 1024);

var functions = Enumerable.Range(0, 20_000)
    .Select(i => new Frame($"Bench.Namespace{i % 97}.Type{i % 1_009}.Method{i}", $"/src/Bench/File{i % 400}.cs", 10 + i % 500))
    .ToArray();
var threads = Enumerable.Range(0, 32).Select(i => SampleLabel.String("thread", "worker-" + i)).ToArray();

// Gzip's ratio depends on the stacks; write a sample of 100,000 first, then the size the target needs.
var written = Write(100_000);
var samples = (int)(100_000 * (double)targetBytes / written * 1.01);
written = Write(samples);
Console.Error.WriteLine($"{output}: {samples} samples, {written / 1024.0 / 1024.0:0.0} MB");

long Write(int sampleCount)
{
    var random = new Random(20261203);
    var builder = new ProfileBuilder(ProfileTypes.Memory, "Bench.dll")
        .SetPeriod(ProfileTypes.MemoryPeriod, 524288)
        .SetDefaultSampleType(ProfileTypes.AllocSpace)
        .SetTime(DateTimeOffset.UnixEpoch.AddYears(56))
        .SetDuration(TimeSpan.FromSeconds(60));
    var stack = new List<Frame>(40);
    for (var s = 0; s < sampleCount; s++)
    {
        stack.Clear();
        var depth = 8 + random.Next(33);
        // Random callers over a few hot leaves, as real stacks have.
        for (var d = 0; d < depth; d++) stack.Add(functions[d < 4 ? random.Next(1, 120) * random.Next(1, 120) % functions.Length : random.Next(functions.Length)]);
        var objects = 1 + random.Next(50);
        var bytes = objects * (16 + random.Next(4096));
        builder.AddSample(stack, [objects, bytes, objects / 2, bytes / 2], [threads[random.Next(threads.Length)], SampleLabel.Numeric("bytes", bytes / objects, "bytes")]);
    }

    using (var file = File.Create(output))
    {
        ProfileSerializer.WriteGzip(builder.Build(), file);
    }

    return new FileInfo(output).Length;
}
