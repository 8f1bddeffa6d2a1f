using ProfilingKit.EventPipe;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// An estimate of bytes allocated with its sampling error, summed over profile samples. The runtime
/// samples an object of <c>s</c> bytes with probability <c>p = 1 - (1 - 1/102400)^s</c> and each sample
/// stands for <c>1/p</c> objects, so a sample of <c>O</c> estimated objects and <c>B</c> bytes came from about
/// <c>n = O·p</c> runtime samples and its estimate has variance <c>B²(1 - p)/n</c> (each runtime sample
/// counted or not, independently). Variances of disjoint samples add. The estimate of objects, <c>O</c>,
/// has variance <c>O²(1 - p)/n</c> by the same reasoning.
/// </summary>
internal readonly record struct SampledBytes(double Bytes, double Variance, double Samples = 0, double Objects = 0, double ObjectVariance = 0)
{
    /// <summary>One standard error of <see cref="Bytes"/>.</summary>
    public double StandardError => Math.Sqrt(Variance);

    /// <summary>One standard error of <see cref="Objects"/>.</summary>
    public double ObjectStandardError => Math.Sqrt(ObjectVariance);

    /// <summary>The estimate's lower bound at about 95% (two standard errors), not below 0.</summary>
    public double LowerBound => Math.Max(0, Bytes - (2 * StandardError));

    public static SampledBytes operator +(SampledBytes a, SampledBytes b) =>
        new(a.Bytes + b.Bytes, a.Variance + b.Variance, a.Samples + b.Samples, a.Objects + b.Objects, a.ObjectVariance + b.ObjectVariance);

    /// <summary>What one profile sample holds, from its alloc_objects (<paramref name="objectsIndex"/>) and alloc_space (<paramref name="bytesIndex"/>).</summary>
    public static SampledBytes Of(Sample sample, int objectsIndex, int bytesIndex)
    {
        double objects = sample.Value[objectsIndex], bytes = sample.Value[bytesIndex];
        if (objects <= 0 || bytes <= 0) return new(Math.Max(0, bytes), 0, 0, Math.Max(0, objects));

        var size = bytes / objects;
        var p = 1 - Math.Pow(1 - (1.0 / ClrEvents.AllocationSamplingInterval), size);
        var runtimeSamples = Math.Max(1, objects * p);
        return new(bytes, bytes * bytes * (1 - p) / runtimeSamples, objects * p, objects, objects * objects * (1 - p) / runtimeSamples);
    }
}
