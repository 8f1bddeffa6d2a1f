using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// Async-aware folding: removes .NET's async machinery from a profile's stacks so that one async
/// method's work is one tower however its continuations resumed. Go needs nothing like it, since a
/// goroutine keeps its stack; a .NET continuation resumes on a thread-pool thread under 10–20 frames
/// of plumbing, which splits the same handler into as many towers as there were ways to resume it.
/// </summary>
public static class AsyncFrames
{
    // Builders, boxes, the execution-context hop and the thread-pool dispatch loop: the frames
    // between a thread's start and the state machine that resumed, and between a kickoff and its
    // state machine. Matched on names as the runtime writes them (generic arity and instantiations
    // such as AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[...] included).
    private static readonly Regex Plumbing = new(
        @"^System\.Runtime\.CompilerServices\.(AsyncMethodBuilderCore|Async(Value)?TaskMethodBuilder|AsyncVoidMethodBuilder|PoolingAsyncValueTaskMethodBuilder|AsyncIteratorMethodBuilder)\b"
        + @"|AsyncStateMachineBox`"
        + @"|^System\.Threading\.ExecutionContext\.Run"
        + @"|^System\.Threading\.ThreadPoolWorkQueue\.Dispatch"
        + @"|^System\.Threading\.PortableThreadPool\+(WorkerThread|IOCompletionPoller)"
        + @"|^System\.Threading\.Thread\.StartCallback|^System\.Threading\.Thread\+StartHelper\."
        + @"|^System\.Threading\.Tasks\.(AwaitTaskContinuation|ThreadPoolTaskScheduler)\."
        + @"|^System\.Threading\.Tasks\.Task(`1(\[[^\]]*\])?)?\.(ExecuteWithThreadLocal|ExecuteEntryUnsafe|ExecuteFromThreadPool|RunContinuations|FinishContinuations|TrySetResult|FinishSlow|FinishStageTwo)$",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// A copy of <paramref name="profile"/> with the async machinery folded out of every stack:
    /// the frames of async method builders (<c>AsyncMethodBuilderCore.Start</c>,
    /// <c>AsyncTaskMethodBuilder*</c>, <c>AsyncStateMachineBox*</c>), <c>ExecutionContext.Run*</c>, task
    /// continuations and the thread pool's dispatch (<c>ThreadPoolWorkQueue.Dispatch</c>,
    /// <c>PortableThreadPool+WorkerThread.*</c>, <c>Thread.StartCallback</c>) are removed; a state
    /// machine's <c>Type+&lt;Method&gt;d__N.MoveNext</c> is named as its method, <c>Type.Method</c>,
    /// and the kickoff frame of that same name right above it (the stub that started it) is merged
    /// into it. User frames, sample values and labels are kept. The input is not changed; a profile
    /// with no async machinery at all comes back as it is, not copied (a large profile stays one copy).
    /// </summary>
    public static Profile Fold(Profile profile)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        if (!profile.Function.Any(f => IsAsyncMachinery(Reports.ProfileFrames.StringAt(profile, f.Name)))) return profile;

        var folded = profile.Clone();
        var strings = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < folded.StringTable.Count; i++)
        {
            if (!strings.ContainsKey(folded.StringTable[i])) strings[folded.StringTable[i]] = i;
        }

        var functions = folded.Function.ToDictionary(f => f.Id);
        var plumbing = new HashSet<ulong>();
        var renamed = new HashSet<ulong>();
        var byNameAndFile = new Dictionary<(long, long), ulong>();
        foreach (var function in folded.Function) byNameAndFile[(function.Name, function.Filename)] = function.Id;
        foreach (var function in folded.Function.ToList())
        {
            var name = Reports.ProfileFrames.StringAt(folded, function.Name);
            if (Plumbing.IsMatch(name))
            {
                plumbing.Add(function.Id);
                continue;
            }

            var method = StateMachineMethod(name);
            if (method is null) continue;

            // The state machine's MoveNext takes its method's name; one Function per name and file.
            var nameIndex = Intern(folded, strings, method);
            if (!byNameAndFile.TryGetValue((nameIndex, function.Filename), out var target))
            {
                target = folded.Function.Max(f => f.Id) + 1;
                folded.Function.Add(new Function { Id = target, Name = nameIndex, SystemName = nameIndex, Filename = function.Filename, StartLine = function.StartLine });
                byNameAndFile[(nameIndex, function.Filename)] = target;
            }

            renamed.Add(function.Id);
            renamed.Add(target);
            functions[function.Id] = folded.Function.First(f => f.Id == target);
        }

        var empty = new HashSet<ulong>();
        var hadLines = new HashSet<ulong>(profile.Location.Where(l => l.Line.Count > 0).Select(l => l.Id));
        foreach (var location in folded.Location)
        {
            var lines = location.Line.Where(l => !plumbing.Contains(l.FunctionId)).ToList();
            foreach (var line in lines)
            {
                if (functions.TryGetValue(line.FunctionId, out var function)) line.FunctionId = function.Id;
            }

            location.Line.Clear();
            location.Line.AddRange(lines);
            if (lines.Count == 0 && hadLines.Contains(location.Id)) empty.Add(location.Id);
        }

        var locations = folded.Location.ToDictionary(l => l.Id);
        foreach (var sample in folded.Sample)
        {
            var stack = sample.LocationId.Where(id => !empty.Contains(id)).ToList();
            var kept = new List<ulong>(stack.Count);
            foreach (var id in stack)
            {
                // Leaf first: a kickoff stub is the caller right after its renamed state machine.
                if (kept.Count > 0 && IsKickoffOf(locations, id, kept[kept.Count - 1], renamed)) continue;
                kept.Add(id);
            }

            sample.LocationId.Clear();
            sample.LocationId.AddRange(kept);
        }

        var remaining = folded.Location.Where(l => !empty.Contains(l.Id)).ToList();
        folded.Location.Clear();
        folded.Location.AddRange(remaining);
        return folded;
    }

    private static bool IsAsyncMachinery(string name) => Plumbing.IsMatch(name) || StateMachineMethod(name) is not null;

    /// <summary>
    /// The method an async state machine's MoveNext runs: <c>NS.Type.Method</c> for
    /// <c>NS.Type+&lt;Method&gt;d__5.MoveNext</c>, <c>Program+&lt;&gt;c.&lt;&lt;Main&gt;$&gt;b__0_2</c> for the state
    /// machine of that lambda; null for any other name.
    /// </summary>
    public static string? StateMachineMethod(string name)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        const string moveNext = ".MoveNext";
        if (!name.EndsWith(moveNext, StringComparison.Ordinal)) return null;

        var type = name.Substring(0, name.Length - moveNext.Length);
        if (type.EndsWith("]", StringComparison.Ordinal))
        {
            var open = type.IndexOf('[');
            if (open > 0) type = type.Substring(0, open);
        }

        // The state machine is the last nested type: the last '+' outside angle brackets.
        var depth = 0;
        var plus = -1;
        for (var i = type.Length - 1; i >= 0 && plus < 0; i--)
        {
            switch (type[i])
            {
                case '>': depth++; break;
                case '<': depth--; break;
                case '+' when depth == 0: plus = i; break;
            }
        }

        if (plus <= 0) return null;
        var match = StateMachineName.Match(type.Substring(plus + 1));
        return match.Success ? type.Substring(0, plus) + "." + match.Groups[1].Value : null;
    }

    private static readonly Regex StateMachineName = new(@"^<(.+)>d(__\d+)?(`\d+)?$", RegexOptions.CultureInvariant);

    private static bool IsKickoffOf(Dictionary<ulong, Location> locations, ulong callerId, ulong calleeId, HashSet<ulong> renamed)
    {
        if (!locations.TryGetValue(callerId, out var caller) || !locations.TryGetValue(calleeId, out var callee)) return false;
        if (caller.Line.Count != 1 || callee.Line.Count == 0) return false;
        var calleeFunction = callee.Line[callee.Line.Count - 1].FunctionId;
        return renamed.Contains(calleeFunction) && caller.Line[0].FunctionId == calleeFunction;
    }

    private static long Intern(Profile profile, Dictionary<string, long> strings, string value)
    {
        if (strings.TryGetValue(value, out var index)) return index;
        profile.StringTable.Add(value);
        index = profile.StringTable.Count - 1;
        strings[value] = index;
        return index;
    }
}
