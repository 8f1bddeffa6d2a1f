using System.Globalization;
using System.Text;
using ProfilingKit.EventPipe;
using ProfilingKit.Symbols;

namespace ProfilingKit.Threads;

/// <summary>
/// The debug=2 text of the goroutine profile in the layout of Go's panic-style dump: per managed
/// thread <c>goroutine &lt;OS thread id&gt; [&lt;state&gt;, &lt;name&gt;]:</c>, then per frame the
/// function with <c>(...)</c> for its unknown arguments and a tab-indented <c>file:line +0xOFF</c>.
/// </summary>
internal static class GoroutineDumpText
{
    /// <summary>The state of a thread that was running managed code when the sampler stopped it.</summary>
    public const string RunningState = "running";

    /// <summary>The state of any other thread: blocked, asleep or in native code, which the runtime cannot tell apart.</summary>
    public const string WaitingState = "waiting or native";

    public static string Render(IReadOnlyList<ThreadStack> threads, Func<ulong, CodeLocation?> locate, IEnumerable<string> notes)
    {
        var text = new StringBuilder();
        foreach (var note in notes)
        {
            text.Append("# ").Append(note).Append('\n');
        }

        foreach (var thread in threads)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"goroutine {thread.ThreadId} [{(thread.Kind == ThreadSampleKind.Managed ? RunningState : WaitingState)}");
            if (thread.Name.Length > 0) text.Append(", ").Append(thread.Name);
            text.Append("]:\n");

            var pendingNative = false;
            var written = 0;
            foreach (var address in thread.Stack)
            {
                if (locate(address) is not { } code)
                {
                    pendingNative = written > 0; // native code at either end is the runtime's, as in the profiles
                    continue;
                }

                if (pendingNative) text.Append(StackSymbolizer.NativeCodeFrame).Append('\n');
                pendingNative = false;
                written++;
                text.Append(code.Name).Append("(...)\n\t")
                    .Append(code.File ?? "?").Append(':').Append(code.Line.ToString(CultureInfo.InvariantCulture))
                    .Append(CultureInfo.InvariantCulture, $" +0x{code.Offset:x}\n");
            }

            if (written == 0) text.Append(StackSymbolizer.NativeCodeFrame).Append('\n');
        }

        return text.ToString();
    }
}
