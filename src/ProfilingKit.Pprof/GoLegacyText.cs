using System.Globalization;
using System.Text;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// Go's legacy text forms of profiles, what <c>debug=1</c> serves and pprof's legacy parsers read
/// back: the heap layout (runtime/pprof writeHeapProto's text twin), count profiles (printCountProfile)
/// and contention profiles (printCountCycleProfile), each record <c>HEAD @ PC PC…</c> followed by one
/// <c>#	PC	Name+0xOFF	file:line</c> line per frame.
/// </summary>
public static class GoLegacyText
{
    /// <summary>
    /// A memory profile (allocs, heap) in Go's legacy heap layout: a header with the totals, then one
    /// record per stack, <c>INUSE_OBJECTS: INUSE_BYTES [ALLOC_OBJECTS: ALLOC_BYTES] @ PC PC…</c> and a
    /// <c>#	PC	Name+0x0	file:line</c> line per frame, largest in-use bytes first (allocated bytes
    /// where nothing is in use). Samples that differ only by labels are one stack, as in Go's format.
    /// Values are read as alloc_objects, alloc_space, inuse_objects, inuse_space, Go's order.
    /// </summary>
    /// <remarks>
    /// The header says <c>@ heap/2</c>, what Go writes for a profile of every allocation
    /// (MemProfileRate=1): the values are estimates of every allocation already, and a sampling rate
    /// there makes pprof's legacy parser scale them up once more (with ProfilingKit's 100 KB it read
    /// 25 GB in use for a 107 MB heap). After <c>@</c> come return addresses, as Go prints them: a
    /// location's address plus one, since pprof's parser takes one off each to land on the call
    /// (legacy_profile.go), and so rebuilds the binary profile's addresses, synthetic ones included.
    /// </remarks>
    public static string HeapProfile(Profile profile)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        string Str(long index) => profile.StringTable[(int)index];
        var functions = profile.Function.ToDictionary(f => f.Id);
        var locations = profile.Location.ToDictionary(l => l.Id);

        var stacks = new Dictionary<string, (ulong[] LocationIds, long[] Values)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var sample in profile.Sample)
        {
            var key = string.Join(",", sample.LocationId);
            if (!stacks.TryGetValue(key, out var stack))
            {
                stacks[key] = stack = (sample.LocationId.ToArray(), new long[4]);
                order.Add(key);
            }

            for (var i = 0; i < 4 && i < sample.Value.Count; i++) stack.Values[i] += sample.Value[i];
        }

        var totals = new long[4];
        foreach (var (_, values) in stacks.Values)
        {
            for (var i = 0; i < 4; i++) totals[i] += values[i];
        }

        // Our profiles give every location an address; another builder's may not, and then the id stands in.
        ulong Pc(ulong locationId) => locations.TryGetValue(locationId, out var location) && location.Address != 0 ? location.Address : locationId;

        var text = new StringBuilder();
        text.Append(string.Format(CultureInfo.InvariantCulture, "heap profile: {0}: {1} [{2}: {3}] @ heap/2\n", totals[2], totals[3], totals[0], totals[1]));
        foreach (var key in order.OrderByDescending(key => stacks[key].Values[3]).ThenByDescending(key => stacks[key].Values[1]))
        {
            var (ids, values) = stacks[key];
            text.Append(string.Format(CultureInfo.InvariantCulture, "{0}: {1} [{2}: {3}] @", values[2], values[3], values[0], values[1]));
            foreach (var id in ids) text.Append(string.Format(CultureInfo.InvariantCulture, " 0x{0:x}", Pc(id) + 1));
            text.Append('\n');
            foreach (var id in ids)
            {
                if (!locations.TryGetValue(id, out var location)) continue;

                foreach (var line in location.Line)
                {
                    var function = functions[line.FunctionId];
                    var file = Str(function.Filename);
                    text.Append(string.Format(CultureInfo.InvariantCulture, "#\t0x{0:x}\t{1}+0x0\t{2}:{3}\n", Pc(id), Str(function.Name), file.Length == 0 ? "?" : file, line.Line_));
                }
            }

            text.Append('\n');
        }

        foreach (var comment in profile.Comment)
        {
            text.Append("# ").Append(Str(comment)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// A count profile (goroutine, threadcreate): <c>&lt;name&gt; profile: total N</c>, the notes as
    /// <c>#</c> lines, then per distinct stack <c>COUNT @ PC…</c> and its frames. A count without a
    /// stack is one record at its pseudo-frame's synthetic address (pprof's parser rejects a record
    /// without an address), the one the binary profile gives that frame.
    /// </summary>
    public static string CountProfile(
        string name,
        IReadOnlyList<(ulong[] Stack, long Count)> records,
        Func<ulong, CodeLocation?> locate,
        IEnumerable<string> notes,
        IReadOnlyList<(string Frame, long Count)> withoutStack)
    {
        var text = new StringBuilder();
        text.Append(string.Format(CultureInfo.InvariantCulture, "{0} profile: total {1}\n", name, records.Sum(record => record.Count) + withoutStack.Sum(entry => entry.Count)));
        foreach (var note in notes)
        {
            text.Append("# ").Append(note).Append('\n');
        }

        foreach (var (stack, count) in records)
        {
            AppendRecord(text, count.ToString(CultureInfo.InvariantCulture), stack, locate);
        }

        foreach (var (frame, count) in withoutStack)
        {
            var address = ProfileBuilder.SyntheticAddress(new Frame(frame));
            text.Append(string.Format(CultureInfo.InvariantCulture, "{0} @ 0x{1:x}\n#\t0x{2:x}\t{3}\n\n", count, address + 1, address, frame));
        }

        return text.ToString();
    }

    /// <summary>
    /// A contention profile (block, mutex): <c>--- &lt;header&gt;:</c>, <c>cycles/second</c>, then per
    /// stack <c>DELAY COUNT @ PC…</c> and its frames, largest delay first. Delays are nanoseconds, so
    /// cycles/second is 1e9 and pprof's legacy parser turns them back into time.
    /// </summary>
    public static string ContentionProfile(
        string header,
        IEnumerable<(ulong[] Stack, long DelayNanos, long Count)> records,
        Func<ulong, CodeLocation?> locate,
        string note)
    {
        var text = new StringBuilder();
        text.Append("--- ").Append(header).Append(":\ncycles/second=1000000000\nsampling period=1\n# ").Append(note).Append('\n');
        foreach (var (stack, delay, count) in records.OrderByDescending(record => record.DelayNanos))
        {
            AppendRecord(text, string.Format(CultureInfo.InvariantCulture, "{0} {1}", delay, count), stack, locate);
        }

        return text.ToString();
    }

    /// <summary>
    /// One record (runtime/pprof printStackRecord): <c>HEAD @ PC PC…</c>, one <c>#	PC	Name+0xOFF	file:line</c>
    /// line per frame (<c>#	PC</c> alone where <paramref name="locate"/> knows no function), a blank line.
    /// A located frame's PC after <c>@</c> is its call's address plus one, a return address as Go
    /// prints it, so pprof's parser, which takes one off, lands on the address the binary profile
    /// gives that frame; a frame <paramref name="locate"/> does not know is printed as it is.
    /// </summary>
    public static void AppendRecord(StringBuilder text, string head, ulong[] stack, Func<ulong, CodeLocation?> locate)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        if (stack is null) throw new ArgumentNullException(nameof(stack));
        if (locate is null) throw new ArgumentNullException(nameof(locate));

        var frames = new CodeLocation?[stack.Length];
        text.Append(head).Append(" @");
        for (var i = 0; i < stack.Length; i++)
        {
            frames[i] = locate(stack[i]);
            text.Append(string.Format(CultureInfo.InvariantCulture, " 0x{0:x}", frames[i] is { } code ? code.Address + 1 : stack[i]));
        }

        text.Append('\n');
        for (var i = 0; i < stack.Length; i++)
        {
            text.Append(frames[i] is { } code
                ? string.Format(CultureInfo.InvariantCulture, "#\t0x{0:x}\t{1}+0x{2:x}\t{3}:{4}\n", code.Address, code.Name, code.Offset, code.File ?? "?", code.Line)
                : string.Format(CultureInfo.InvariantCulture, "#\t0x{0:x}\n", stack[i]));
        }

        text.Append('\n');
    }
}
