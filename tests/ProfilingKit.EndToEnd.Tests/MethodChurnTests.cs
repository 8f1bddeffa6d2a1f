using System.Globalization;
using System.Text.RegularExpressions;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// Method churn: an app from the packed package compiles thousands of LINQ expressions, each of
/// which allocates a known amount, and lets them be collected, so the runtime frees their code and
/// new ones reuse its addresses. Before samples kept the code they were taken in, the allocs profile
/// named only the newest few hundred <c>lambda_method</c>s and credited each with the allocations of
/// all the older ones that had run at its address. Then it compiles many more that allocate
/// nothing: the profiler forgets their freed code, so its table grows with what samples name, not
/// with what was ever compiled.
/// </summary>
public sealed class MethodChurnTests(ITestOutputHelper log)
{
    private const int Lambdas = 2_000;
    private const int CallsPerLambda = 20;
    private const int BytesPerCall = 64 << 10;
    private const double BytesPerLambda = (double)CallsPerLambda * BytesPerCall;
    private const int QuietLambdas = 20_000;

    private static readonly string ProgramSource = $$"""
        using System.Linq.Expressions;

        namespace E2EChurn;

        public static class Program
        {
            public static object? Sink;

            public static void Main()
            {
                ProfilingKit.DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30));
                var start = GC.GetAllocatedBytesForCurrentThread();
                var size = Expression.Parameter(typeof(int), "size");
                for (var i = 0; i < {{Lambdas}}; i++)
                {
                    var allocate = Expression.Lambda<Func<int, byte[]>>(Expression.NewArrayBounds(typeof(byte), size), size).Compile();
                    for (var call = 0; call < {{CallsPerLambda}}; call++) Sink = allocate({{BytesPerCall}});
                    if (i % 50 == 49)
                    {
                        // The compiled code of the lambdas before is unreachable: collected, its code freed for the next ones.
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        GC.Collect();
                    }
                }

                // Many more that allocate nothing, each run once, so its code is compiled, then freed.
                var x = Expression.Parameter(typeof(int), "x");
                var total = 0;
                for (var i = 0; i < {{QuietLambdas}}; i++)
                {
                    total += Expression.Lambda<Func<int, int>>(Expression.Add(x, Expression.Constant(i)), x).Compile()(1);
                    if (i % 500 == 499)
                    {
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        GC.Collect();
                    }
                }

                Console.WriteLine(total > 0 ? "allocated " + (GC.GetAllocatedBytesForCurrentThread() - start) : "overflow");
                Console.ReadLine();
            }
        }
        """;

    [Fact]
    public void Compiled_expressions_whose_code_is_freed_and_reused_keep_their_own_allocations()
    {
        var package = PackedPackage.Shared;
        var port = FreePort.Next();
        var directory = package.CreateConsoleApp("E2EChurn", ProgramSource, $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{port}</DebugPprofAddress>");
        var output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build", "-o", output);

        using var app = new RunningProcess(CommandLine.StartInfo(output, new Dictionary<string, string>(), ["E2EChurn.dll"]));
        var done = app.ReadLine(TimeSpan.FromMinutes(3));
        Assert.StartsWith("allocated ", done);
        var allocated = long.Parse(done["allocated ".Length..], CultureInfo.InvariantCulture);

        var top = GoPprof.Run("-top", "-sample_index=alloc_space", "-nodefraction=0", "-nodecount=100000", $"http://127.0.0.1:{port}/debug/pprof/allocs").EnsureSuccess().StandardOutput;
        var total = GoPprof.ParseTop(top).Total ?? throw new InvalidOperationException(top);
        log.WriteLine($"allocated {allocated:N0} bytes, the profile says {total:N0} ({total / allocated:0.0000})");
        Assert.InRange(total / allocated, 0.98, 1.02);
        var lambdas = GoPprof.ParseTop(top).Rows.Where(row => Regex.IsMatch(row.Name, @"lambda_method\d+$")).ToList();
        Assert.NotEmpty(lambdas);
        var heaviest = lambdas.MaxBy(row => row.Flat)!;
        var sum = lambdas.Sum(row => row.Flat);
        log.WriteLine($"{lambdas.Count} lambda_method functions, {sum / (1 << 20):0.0} MB in all ({Lambdas * BytesPerLambda / (1 << 20):0.0} MB allocated); the heaviest, {heaviest.Name}, {heaviest.Flat / (1 << 20):0.00} MB ({BytesPerLambda / (1 << 20):0.00} MB each)");

        Assert.InRange(sum / (Lambdas * BytesPerLambda), 0.9, 1.1); // every lambda's allocations are in lambda frames
        Assert.True(lambdas.Count >= Lambdas / 2, $"{lambdas.Count} of {Lambdas} lambdas are named in the profile");
        Assert.True(heaviest.Flat <= 4 * BytesPerLambda, $"{heaviest.Name} carries {heaviest.Flat / (1 << 20):0.00} MB, each lambda allocated {BytesPerLambda / (1 << 20):0.00} MB");

        // The freed code no sample names was forgotten; what is kept is bounded by what the samples name.
        var raw = GoPprof.Run("-raw", $"http://127.0.0.1:{port}/debug/pprof/allocs").EnsureSuccess().StandardOutput;
        var bounded = Regex.Match(raw, @"(\d+) bodies of freed code \(dynamic methods, unloaded assemblies\) that no kept stack names were forgotten, (\d+) kept");
        Assert.True(bounded.Success, raw[..Math.Min(raw.Length, 2000)]);
        var (forgotten, kept) = (long.Parse(bounded.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(bounded.Groups[2].Value, CultureInfo.InvariantCulture));
        log.WriteLine($"freed code: {forgotten} bodies forgotten, {kept} kept");
        Assert.True(forgotten >= QuietLambdas / 2, $"{forgotten} of the {QuietLambdas} quiet lambdas' code bodies were forgotten");
        Assert.True(kept <= 2 * (Lambdas + 4096), $"{kept} bodies of freed code are kept for {Lambdas} sampled lambdas");
    }
}
