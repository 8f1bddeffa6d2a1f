using System.Globalization;
using System.Text;
using ProfilingKit.Symbols;

namespace ProfilingKit.Threads;

/// <summary>
/// The debug=1 text of Go's count profiles (runtime/pprof printCountProfile): a
/// <c>&lt;name&gt; profile: total N</c> header, then per distinct stack <c>COUNT @ PC PC…</c> and one
/// <c>#	PC	Name+0xOFF	file:line</c> line per frame. pprof's legacy parser reads it back. A count
/// without a stack is <c>COUNT @ 0x0</c> (pprof's parser rejects a record without an address) with
/// its pseudo-frame as the one <c>#</c> line.
/// </summary>
internal static class CountProfileText
{
    public static string Render(
        string name,
        IReadOnlyList<(ulong[] Stack, long Count)> entries,
        Func<ulong, CodeLocation?> locate,
        IEnumerable<string> notes,
        IReadOnlyList<(string Frame, long Count)> withoutStack)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{name} profile: total {entries.Sum(entry => entry.Count) + withoutStack.Sum(entry => entry.Count)}\n");
        foreach (var note in notes)
        {
            text.Append("# ").Append(note).Append('\n');
        }

        foreach (var (stack, count) in entries)
        {
            AppendRecord(text, count.ToString(CultureInfo.InvariantCulture), stack, locate);
        }

        foreach (var (frame, count) in withoutStack)
        {
            text.Append(CultureInfo.InvariantCulture, $"{count} @ 0x0\n#\t0x0\t{frame}\n\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// One record of Go's legacy text profiles (runtime/pprof printStackRecord): <c>HEAD @ PC PC…</c>,
    /// one <c>#	PC	Name+0xOFF	file:line</c> line per frame (<c>#	PC</c> alone for native code), a blank line.
    /// </summary>
    public static void AppendRecord(StringBuilder text, string head, ulong[] stack, Func<ulong, CodeLocation?> locate)
    {
        text.Append(head).Append(" @");
        foreach (var address in stack)
        {
            text.Append(CultureInfo.InvariantCulture, $" 0x{address:x}");
        }

        text.Append('\n');
        foreach (var address in stack)
        {
            text.Append(locate(address) is { } code
                ? string.Create(CultureInfo.InvariantCulture, $"#\t0x{code.Address:x}\t{code.Name}+0x{code.Offset:x}\t{code.File ?? "?"}:{code.Line}\n")
                : string.Create(CultureInfo.InvariantCulture, $"#\t0x{address:x}\n"));
        }

        text.Append('\n');
    }
}
