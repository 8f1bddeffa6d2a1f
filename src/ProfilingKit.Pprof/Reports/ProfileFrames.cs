using System.Globalization;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// A profile's locations expanded into report frames, as pprof's graph sees them: one frame per Line,
/// leaf first, so a location with inlined calls gives the inlined functions (marked inline) before
/// the function they were inlined into.
/// </summary>
public sealed class ProfileFrames
{
    private static readonly IReadOnlyList<ReportFrame> NoFrames = [];
    private readonly Dictionary<ulong, IReadOnlyList<ReportFrame>> _frames = new();

    /// <summary>Indexes the locations of <paramref name="profile"/>.</summary>
    public ProfileFrames(Profile profile)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        var functions = new Dictionary<ulong, Function>();
        foreach (var function in profile.Function) functions[function.Id] = function;
        var objectFile = profile.Mapping.ToDictionary(m => m.Id, m => StringAt(profile, m.Filename));
        foreach (var location in profile.Location)
        {
            var frames = new List<ReportFrame>(Math.Max(1, location.Line.Count));
            for (var i = 0; i < location.Line.Count; i++)
            {
                var line = location.Line[i];
                var name = functions.TryGetValue(line.FunctionId, out var function) ? StringAt(profile, function.Name) : "";
                var file = function is null ? "" : StringAt(profile, function.Filename);
                frames.Add(new ReportFrame(name.Length > 0 ? name : "<unknown>", file, line.Line_, inline: i != location.Line.Count - 1));
            }

            if (frames.Count == 0)
            {
                // pprof names an unsymbolized location by its address, else by its binary.
                var name = location.Address != 0
                    ? location.Address.ToString("x16", CultureInfo.InvariantCulture)
                    : objectFile.TryGetValue(location.MappingId, out var file) && file.Length > 0 ? "[" + Path.GetFileName(file) + "]" : "<unknown>";
                frames.Add(new ReportFrame(name, "", 0, inline: false));
            }

            _frames[location.Id] = frames;
        }
    }

    /// <summary>The frames of a location, leaf first; none for an id the profile does not define.</summary>
    public IReadOnlyList<ReportFrame> this[ulong locationId] => _frames.TryGetValue(locationId, out var frames) ? frames : NoFrames;

    /// <summary>The frames of a sample's whole stack, leaf first.</summary>
    public IEnumerable<ReportFrame> Stack(Sample sample)
    {
        if (sample is null) throw new ArgumentNullException(nameof(sample));
        foreach (var id in sample.LocationId)
        {
            foreach (var frame in this[id]) yield return frame;
        }
    }

    internal static string StringAt(Profile profile, long index) =>
        index > 0 && index < profile.StringTable.Count ? profile.StringTable[(int)index] : string.Empty;
}

/// <summary>One frame of a report: a function, its file and line, and whether it was inlined into the next frame.</summary>
public sealed class ReportFrame
{
    /// <summary>Creates a frame.</summary>
    public ReportFrame(string name, string file, long line, bool inline)
    {
        Name = name;
        File = file;
        Line = line;
        Inline = inline;
    }

    /// <summary>The function name as pprof prints it.</summary>
    public string Name { get; }

    /// <summary>The source file, or "".</summary>
    public string File { get; }

    /// <summary>The source line, or 0.</summary>
    public long Line { get; }

    /// <summary>True when this call was inlined into its caller (the next frame of the same location).</summary>
    public bool Inline { get; }
}
