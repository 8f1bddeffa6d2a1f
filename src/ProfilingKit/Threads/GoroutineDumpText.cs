using System.Globalization;
using System.Text;
using ProfilingKit.Pprof;
using ProfilingKit.Symbols;

namespace ProfilingKit.Threads;

/// <summary>
/// The debug=2 text of the goroutine profile in the layout of Go's panic-style dump: per managed
/// thread <c>goroutine &lt;OS thread id&gt; [&lt;state&gt;, &lt;name&gt;]:</c>, then per frame the
/// function with <c>(...)</c> for its unknown arguments and a tab-indented <c>file:line +0xOFF</c>.
/// </summary>
internal static class GoroutineDumpText
{
    /// <summary>Thread.Start and Thread.StartCore: the creation stack's own frames, above which is who started the thread.</summary>
    private const string ThreadTypePrefix = "System.Threading.Thread.";

    public static string Render(IReadOnlyList<ThreadStack> threads, Func<ulong, CodeLocation?> locate, IEnumerable<string> notes)
    {
        var text = new StringBuilder();
        foreach (var note in notes)
        {
            text.Append("# ").Append(note).Append('\n');
        }

        foreach (var thread in threads)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"goroutine {thread.ThreadId} [{thread.State}");
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
                text.Append(code.Name).Append("(...)\n");
                AppendPosition(text, code);
            }

            if (written == 0) text.Append(StackSymbolizer.NativeCodeFrame).Append('\n');
            if (thread.CreatedBy is not null) AppendCreatedBy(text, thread.CreatedBy, locate);
        }

        return text.ToString();
    }

    /// <summary>Go's second line of a frame: <c>\tfile:line +0xOFF</c>, <c>?:0</c> without a PDB.</summary>
    private static void AppendPosition(StringBuilder text, CodeLocation code) =>
        text.Append(CultureInfo.InvariantCulture, $"\t{code.File ?? "?"}:{code.Line} +0x{code.Offset:x}\n");

    /// <summary>
    /// Go's last line of a goroutine started by another: <c>created by F in goroutine N</c> and F's
    /// position, F being the first frame of the creation stack outside Thread's own start methods.
    /// </summary>
    private static void AppendCreatedBy(StringBuilder text, ThreadCreation creation, Func<ulong, CodeLocation?> locate)
    {
        foreach (var address in creation.Stack)
        {
            if (locate(address) is not { } code || code.Name.StartsWith(ThreadTypePrefix, StringComparison.Ordinal)) continue;

            text.Append(CultureInfo.InvariantCulture, $"created by {code.Name} in goroutine {creation.CreatorThreadId}\n");
            AppendPosition(text, code);
            return;
        }
    }
}
