namespace ProfilingKit.Allocations;

/// <summary>
/// Turns one allocation sample into unbiased estimates of the objects and bytes it stands for.
/// </summary>
/// <remarks>
/// The runtime samples each allocated byte with probability p = 1/102400, and an object is sampled
/// when any of its bytes is; so an object of s bytes is sampled with probability 1 - (1-p)^s and
/// weighting it by the inverse gives unbiased totals (dotnet/runtime
/// docs/design/features/RandomizedAllocationSampling.md; Go's scaleHeapSample is the same estimator).
/// </remarks>
internal static class AllocationWeight
{
    private static readonly double LogKeep = Math.Log(1.0 - 1.0 / EventPipe.ClrEvents.AllocationSamplingInterval);

    /// <summary>How many objects of this size one sample stands for.</summary>
    public static double Objects(long objectSize) =>
        objectSize <= 0 ? 1.0 : 1.0 / (1.0 - Math.Exp(objectSize * LogKeep));
}
