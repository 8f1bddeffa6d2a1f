using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>The dotnet pprof tool from its packed package, installed as a user installs it, against an app from the packed library package.</summary>
public class ToolPackageTests
{
    private const string AllocatingMethod = "E2ETool.Program.Fill";

    private const string ProgramSource = """
        using System.Runtime.CompilerServices;

        namespace E2ETool;

        public static class Program
        {
            public static object? Sink;

            public static void Main()
            {
                ProfilingKit.DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30));
                for (var i = 0; i < 2_000; i++) Fill();
                Console.WriteLine("done");
                Console.ReadLine();
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static void Fill() => Sink = new byte[256 << 10];
        }
        """;

    /// <summary>A console app that never referenced ProfilingKit: it prints its id and allocates until stdin closes.</summary>
    private const string PlainProgramSource = """
        using System.Runtime.CompilerServices;

        namespace E2EPlain;

        public static class Program
        {
            public static object? Sink;
            private static volatile bool _stop;

            public static void Main()
            {
                var worker = new Thread(() =>
                {
                    while (!_stop) Fill();
                });
                worker.Start();
                Console.WriteLine("pid " + Environment.ProcessId);
                Console.ReadLine();
                _stop = true;
                worker.Join();
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static void Fill() => Sink = new byte[64 << 10];
        }
        """;

    private readonly InstalledTool _tool = InstalledTool.Shared;

    [Fact]
    public void The_package_installs_a_dotnet_pprof_command()
    {
        var (exitCode, output) = _tool.Run(_tool.NewFolder(), "-help");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Usage: dotnet pprof", output);
        Assert.True(File.Exists(Path.Combine(_tool.ToolPath, "dotnet-pprof")), "the tool path holds the dotnet-pprof command");
    }

    [Fact]
    public void A_missing_profile_is_one_line_and_exit_code_1()
    {
        var (exitCode, output) = _tool.Run(_tool.NewFolder(), "top", "no-such.pb.gz");

        Assert.Equal(1, exitCode);
        Assert.Equal("dotnet-pprof: no-such.pb.gz: no such file", output.Trim());
    }

    [Fact]
    public void The_installed_tool_collects_allocs_from_a_process_that_never_referenced_profilingkit()
    {
        var package = PackedPackage.Shared;
        var directory = package.CreateProject("E2EPlain", new Dictionary<string, string>
        {
            ["E2EPlain.csproj"] = """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                </Project>
                """,
            ["Program.cs"] = PlainProgramSource,
        });
        var output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build", "-o", output);
        Assert.DoesNotContain(Directory.EnumerateFiles(output), path => Path.GetFileName(path).StartsWith("ProfilingKit", StringComparison.Ordinal));

        using var app = new RunningProcess(CommandLine.StartInfo(output, new Dictionary<string, string>(), ["E2EPlain.dll"]));
        var pid = app.ReadLine(TimeSpan.FromSeconds(30)).Substring("pid ".Length);
        var file = Path.Combine(directory, "allocs.pb.gz");
        var (exitCode, collected) = _tool.Run(directory, "collect", "-p", pid, "allocs", "-seconds", "5", "-o", file);
        Assert.True(exitCode == 0, collected);

        var top = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=alloc_space", file).EnsureSuccess().StandardOutput);
        Assert.Equal("E2EPlain.Program.Fill", top.Rows[0].Name); // named from the target's own events, as in-process
        Assert.True(top.Rows[0].Flat > 0.5 * (top.Total ?? 0), $"Fill carries {top.Rows[0].Flat} of {top.Total} bytes");
    }

    [Fact]
    public async Task The_installed_tool_reads_a_live_endpoint_and_agrees_with_go_tool_pprof()
    {
        var package = PackedPackage.Shared;
        var port = FreePort.Next();
        var directory = package.CreateConsoleApp("E2ETool", ProgramSource, $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{port}</DebugPprofAddress>");
        var output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build", "-o", output);
        using var app = new RunningProcess(CommandLine.StartInfo(output, new Dictionary<string, string>(), ["E2ETool.dll"]));
        Assert.Equal("done", app.ReadLine(TimeSpan.FromMinutes(2)));
        var url = $"http://localhost:{port}/debug/pprof/allocs";

        // From the live endpoint, as the seed post's command does it.
        var (exitCode, live) = _tool.Run(directory, "top", url);
        Assert.True(exitCode == 0, live);
        Assert.Contains($"Fetching profile over HTTP from {url}", live);
        Assert.Contains(AllocatingMethod, live);

        // One fetch, both tools on the same bytes: the same table.
        var file = Path.Combine(directory, "allocs.pb.gz");
        using (var http = new HttpClient()) await File.WriteAllBytesAsync(file, await http.GetByteArrayAsync(url));
        var (_, ours) = _tool.Run(directory, "top", "-async=false", file);
        var go = GoPprof.Run("-top", file).EnsureSuccess().StandardOutput;
        var ourTop = GoPprof.ParseTop(ours);
        var goTop = GoPprof.ParseTop(go);
        Assert.Equal(goTop.Total, ourTop.Total);
        Assert.Equal(goTop.Rows, ourTop.Rows);
        Assert.Equal(AllocatingMethod, goTop.Rows[0].Name);

        // And the page, from the packed tool's own resources.
        var page = Path.Combine(directory, "allocs.html");
        var (flameExit, flame) = _tool.Run(directory, "flame", "-o", page, file);
        Assert.True(flameExit == 0, flame);
        Assert.Contains(AllocatingMethod, File.ReadAllText(page));
    }
}
