namespace ProfilingKit.Bench;

/// <summary>The driver's output: Markdown on stdout, a line at a time so a long run can be followed.</summary>
internal static class Report
{
    public static void Line(string text = "") => Console.WriteLine(text);
}
