using System.Diagnostics;
using System.Globalization;

namespace ProfilingKit.Bench;

/// <summary>A process's resident memory (working set) now and at its peak, in bytes.</summary>
internal readonly record struct ProcessMemory(long ResidentBytes, long PeakResidentBytes)
{
    /// <summary>VmRSS and VmHWM from /proc/PID/status on Linux; Process.WorkingSet64 elsewhere.</summary>
    public static ProcessMemory Of(int processId)
    {
        if (!OperatingSystem.IsLinux())
        {
            using var process = Process.GetProcessById(processId);
            return new ProcessMemory(process.WorkingSet64, process.PeakWorkingSet64);
        }

        long resident = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) resident = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line);
        }

        return new ProcessMemory(resident, peak);
    }

    // "VmRSS:	   12345 kB"
    private static long Kilobytes(string line) =>
        1024 * long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
