using ProfilingKit.Allocations;

namespace ProfilingKit.Tests;

public class AllocationWeightTests
{
    private const int Interval = 100 * 1024;

    [Fact]
    public void Small_objects_stand_for_about_interval_over_size_objects_and_huge_ones_for_one()
    {
        Assert.Equal(Interval / 24.0, AllocationWeight.Objects(24), 0.01 * Interval / 24.0);
        Assert.Equal(1.0, AllocationWeight.Objects(100L * 1024 * 1024), 1e-9);
        Assert.True(AllocationWeight.Objects(Interval) > 1.5 && AllocationWeight.Objects(Interval) < 1.6); // 1/(1-e^-1)
    }

    [Theory]
    [InlineData(24)]
    [InlineData(1_000)]
    [InlineData(50_000)]
    [InlineData(400_000)]
    public void Weighting_the_runtimes_samples_estimates_the_bytes_allocated_without_bias(int objectSize)
    {
        // Simulate the runtime: each byte is a success with p = 1/102400, gaps are geometric; an object
        // is sampled when a success falls inside it. Sum the weights of the sampled objects.
        var random = new Random(12345);
        const long total = 2_000_000_000;
        long allocated = 0;
        double estimated = 0;
        var untilNextSample = NextGap(random);
        while (allocated < total)
        {
            if (untilNextSample < objectSize)
            {
                estimated += AllocationWeight.Objects(objectSize) * objectSize;
                untilNextSample = NextGap(random); // the rest of the object is skipped, as in the runtime
            }
            else
            {
                untilNextSample -= objectSize;
            }

            allocated += objectSize;
        }

        Assert.InRange(estimated / allocated, 0.97, 1.03);
    }

    private static long NextGap(Random random) =>
        (long)Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(1 - 1.0 / Interval));
}
