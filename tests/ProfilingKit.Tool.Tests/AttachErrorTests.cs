using System.Diagnostics;
using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>Each reason collect and serve cannot attach is one line and exit code 1, and the target runs on.</summary>
[Collection(AttachTargetProcess.Collection)]
public sealed class AttachErrorTests
{
    [Fact]
    public void No_such_process()
    {
        var run = ToolRun.Of("collect", "-p", "999999999", "goroutine");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("no process has id 999999999 (`dotnet pprof ps` lists the .NET processes)", run.Error);
    }

    [Fact]
    public void No_process_of_that_name()
    {
        var run = ToolRun.Of("serve", "-n", "NoSuchApp-" + Guid.NewGuid().ToString("N"));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("no .NET process is named NoSuchApp-", run.Error);
    }

    [Fact]
    public void A_process_that_is_not_dotnet()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            var run = ToolRun.Of("collect", "-p", sleeper.Id.ToString(CultureInfo.InvariantCulture), "goroutine");

            Assert.Equal(1, run.ExitCode);
            Assert.Equal($"process {sleeper.Id} (sleep) is not a .NET process with a diagnostic port (`dotnet pprof ps` lists those)", run.Error);
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void The_diagnostic_port_disabled()
    {
        using var target = new AttachTargetProcess(new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });

        var run = ToolRun.Of("collect", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "allocs", "-seconds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"process {target.Id} (AttachTargetApp) runs .NET with its diagnostic port disabled (DOTNET_EnableDiagnostics=0)", run.Error);
        Assert.True(target.Progress().Steps > 0, "the target runs on");
    }

    [Fact]
    public void A_process_of_another_user()
    {
        // The test runs as root (CI's container does), so the tool runs as nobody against root's app.
        Assert.True(Environment.UserName == "root", "this test needs root, to run the tool as another user");
        using var target = new AttachTargetProcess();

        // The tool's files where nobody can read them: the test's own folder may be under a root-only one (a clone in mktemp -d).
        var readable = Directory.CreateDirectory(Path.Combine("/tmp", "pk-nobody-" + Guid.NewGuid().ToString("N"))).FullName;
        foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory)) File.Copy(path, Path.Combine(readable, Path.GetFileName(path)));
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(readable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var startInfo = new ProcessStartInfo("setpriv") { ArgumentList = { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Path.Combine(readable, "dotnet-pprof.dll"), "collect", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "goroutine", "-o", "/dev/null" } };
        startInfo.Environment["HOME"] = "/tmp";
        startInfo.Environment["DOTNET_CLI_HOME"] = "/tmp";
        var run = ToolProcess.Run("dotnet-pprof as nobody", startInfo, TimeSpan.FromSeconds(60));
        Directory.Delete(readable, recursive: true);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"dotnet-pprof: process {target.Id} (AttachTargetApp) belongs to another user (root, uid 0); run dotnet pprof as that user, or as root", run.StandardError.Trim());
    }

    [Theory]
    [InlineData("/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.11/libcoreclr.so", "8.0.11")]
    [InlineData("/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so", "10.0.12")]
    public void The_runtime_version_comes_from_the_framework_folder_of_libcoreclr(string path, string version) =>
        Assert.Equal(Version.Parse(version), AttachTarget.RuntimeVersionOf(path));

    [Fact]
    public void The_runtime_version_of_a_running_app_is_read_from_its_maps()
    {
        using var target = new AttachTargetProcess();

        var path = AttachTarget.CoreClrPath(File.ReadAllText($"/proc/{target.Id}/maps"));

        Assert.NotNull(path);
        Assert.Equal(Environment.Version.Major, AttachTarget.RuntimeVersionOf(path)!.Major);
    }

    /// <summary>
    /// A runtime older than .NET 10. No such runtime is installed here, so the app runs on this
    /// machine's .NET 10 runtime copied into a framework folder named 9.0.0, which is where the tool
    /// reads the version from: the check and its message are what is tested, not an old runtime's events.
    /// </summary>
    [Fact]
    public void A_runtime_older_than_dotnet_10_fails_allocs_and_serve_and_says_what_still_works()
    {
        var root = Path.Combine(Path.GetTempPath(), "pk-old-runtime-" + Guid.NewGuid().ToString("N"));
        try
        {
            var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // …/dotnet/shared/Microsoft.NETCore.App/10.0.x
            var dotnet = Path.GetFullPath(Path.Combine(framework, "..", "..", ".."));
            CopyDirectory(Path.Combine(dotnet, "host"), Path.Combine(root, "host"));
            CopyDirectory(framework, Path.Combine(root, "shared", "Microsoft.NETCore.App", "9.0.0"));
            File.Copy(Path.Combine(dotnet, "dotnet"), Path.Combine(root, "dotnet")); // with its mode: still executable
            var runtimeConfig = Path.Combine(root, "app.runtimeconfig.json");
            File.WriteAllText(runtimeConfig, """{"runtimeOptions":{"tfm":"net9.0","framework":{"name":"Microsoft.NETCore.App","version":"9.0.0"}}}""");

            var startInfo = new ProcessStartInfo(Path.Combine(root, "dotnet")) { ArgumentList = { "exec", "--runtimeconfig", runtimeConfig, AttachTargetProcess.Dll } };
            using var app = new RunningProcess(startInfo);
            var id = app.ReadLine(TimeSpan.FromSeconds(60))["ready ".Length..];

            var allocs = ToolRun.Of("collect", "-p", id, "allocs", "-seconds", "1");
            var serve = ToolRun.Of("serve", "-p", id, "--address", $"127.0.0.1:{FreePort.Next()}");
            var goroutine = ToolRun.Of("collect", "-p", id, "goroutine", "-o", Path.Combine(root, "goroutine.pb.gz"));

            Assert.Equal(1, allocs.ExitCode);
            Assert.Equal(
                $"process {id} (AttachTargetApp) runs .NET 9.0.0, which has no allocation sampling (AllocationSampled came in .NET 10), so allocs cannot be had from it; " + AttachTarget.WorksWithoutAllocationSampling,
                allocs.Error);
            Assert.Equal(1, serve.ExitCode);
            Assert.Contains("so serve (its allocs and heap profiles) cannot be had from it; collect profile, wall, goroutine", serve.Error);
            Assert.True(goroutine.ExitCode == 0, goroutine.Status);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
