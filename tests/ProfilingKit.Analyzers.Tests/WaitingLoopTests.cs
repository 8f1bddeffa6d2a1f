using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1003 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.BoxingInHotPlaceRule>;
using VerifyPK1006 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.ParamsArrayInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// A loop whose every iteration waits (a delay, a timer, I/O, a channel) is cold by default
/// (Core/WaitingLoops.cs); <c>profilingkit.waiting_loops_are_hot = true</c> makes it hot again.
/// </summary>
public class WaitingLoopTests
{
    // The body of `dotnet new worker`'s Worker.ExecuteAsync, with a stand-in for ILogger.
    private const string Worker = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class Log
        {
            public static void LogInformation(this ILog log, string format, params object[] args) { }
        }

        interface ILog { bool IsEnabled(int level); }

        class Worker
        {
            private readonly ILog _logger;

            Worker(ILog logger) => _logger = logger;

            async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (_logger.IsEnabled(2))
                    {
                        _logger.LogInformation("Worker running at: {time}", MARK);
                    }
                    await Task.Delay(1000, stoppingToken);
                }
            }
        }
        """;

    [Fact]
    public Task The_worker_template_loop_is_cold() =>
        VerifyPK1003.Analyzer(Worker.Replace("MARK", "DateTimeOffset.Now"));

    [Fact]
    public Task With_the_option_the_worker_template_loop_is_hot() =>
        VerifyPK1003.Analyzer(Worker.Replace("MARK", "{|PK1003:DateTimeOffset.Now|}"), LanguageVersion.Latest, "profilingkit.waiting_loops_are_hot = true");

    [Fact]
    public Task Timers_channels_io_and_sleeps_make_loops_wait() => VerifyPK1006.Analyzer("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;

        class C
        {
            static void Note(params object[] values) { }

            async Task Run(PeriodicTimer timer, ChannelReader<int> reader, Stream stream, byte[] buffer)
            {
                while (await timer.WaitForNextTickAsync()) Note(1, 2);
                await foreach (var item in reader.ReadAllAsync()) Note(item, 2);
                while (true)
                {
                    var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                    if (read == 0) break;
                    Note(read, 2);
                }

                for (var i = 0; i < 10; i++)
                {
                    Note(i, 2);
                    Thread.Sleep(100);
                }
            }
        }
        """);

    [Fact]
    public Task A_loop_that_waits_only_sometimes_stays_hot() => VerifyPK1006.Analyzer("""
        using System.Threading.Tasks;

        class C
        {
            static void Note(params object[] values) { }

            async Task Run(int[] values)
            {
                foreach (var value in values)
                {
                    Note({|PK1006:value, 2|});
                    if (value < 0) await Task.Delay(10);
                    await Task.Yield();
                }
            }
        }
        """);
}
