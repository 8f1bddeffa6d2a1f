using Google.Protobuf;
using ProfilingKit.Pprof;

namespace ProfilingKit.Pprof.Tests;

/// <summary>The <see cref="AllocationProfile"/> written once per test class as .pb.gz and as raw .pb.</summary>
public sealed class AllocationProfileFiles : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pk-pprof-tests-" + Guid.NewGuid().ToString("N"));

    public AllocationProfileFiles()
    {
        Directory.CreateDirectory(_directory);
        var profile = AllocationProfile.Build();
        GzipBytes = ProfileSerializer.ToGzipBytes(profile);
        GzipPath = Path.Combine(_directory, "allocs.pb.gz");
        RawPath = Path.Combine(_directory, "allocs.pb");
        File.WriteAllBytes(GzipPath, GzipBytes);
        File.WriteAllBytes(RawPath, profile.ToByteArray());
    }

    public byte[] GzipBytes { get; }

    public string GzipPath { get; }

    public string RawPath { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
