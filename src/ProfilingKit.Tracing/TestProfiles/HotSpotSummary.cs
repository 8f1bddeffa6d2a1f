using System.Text;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// The hot-spot summary written beside a test profile, for the analyzers (PK1100) and for people:
/// the allocation sites in user code, by estimated bytes, in <see cref="HotSpotSummaryFormat"/>.
/// </summary>
internal sealed class HotSpotSummary
{
    /// <summary>Sites below this share of the run are left out.</summary>
    public const double MinimumShare = 0.001;

    /// <summary>At most this many rows.</summary>
    public const int MaximumRows = 500;

    private HotSpotSummary(string profilePath, long totalBytes, IReadOnlyList<HotSpot> rows)
    {
        ProfilePath = profilePath;
        TotalBytes = totalBytes;
        Rows = rows;
    }

    public string ProfilePath { get; }

    public long TotalBytes { get; }

    /// <summary>The sites, most bytes first.</summary>
    public IReadOnlyList<HotSpot> Rows { get; }

    /// <summary>The summary path for a profile path: <c>X.allocs.pb.gz</c> gives <c>X.hotspots.txt</c> in the same folder.</summary>
    public static string PathFor(string profilePath)
    {
        const string ProfileSuffix = ".allocs.pb.gz";
        var fullPath = Path.GetFullPath(profilePath);
        var stem = fullPath.EndsWith(ProfileSuffix, StringComparison.OrdinalIgnoreCase)
            ? fullPath.Substring(0, fullPath.Length - ProfileSuffix.Length)
            : Path.Combine(Path.GetDirectoryName(fullPath) ?? "", Path.GetFileName(fullPath).Split('.')[0]);
        return stem + HotSpotSummaryFormat.FileSuffix;
    }

    /// <summary>
    /// Attributes each sample's alloc_space to its innermost frame that has a source file and line
    /// (code whose PDB was found) and whose file exists here: user code. Packages' embedded PDBs name
    /// files of their own build machine (often /_/src/...), which no analyzer here can point at, so
    /// their frames pass the sample on to the user code that called them. Keeps the sites of at
    /// least <see cref="MinimumShare"/> of the run.
    /// </summary>
    public static HotSpotSummary Of(Profile profile, string profilePath)
    {
        var space = ProfileLocations.ValueIndex(profile, ProfileTypes.AllocSpace);
        var locations = new ProfileLocations(profile);
        var sourceFiles = new ExistingFiles();
        var bySite = new Dictionary<(string Function, string File, long Line), long>();
        long total = 0;
        foreach (var sample in profile.Sample)
        {
            var bytes = sample.Value[space];
            total += bytes;
            foreach (var id in sample.LocationId)
            {
                var frame = locations[id];
                if (frame.FileName is null || frame.Line <= 0 || !sourceFiles.Exists(frame.FileName)) continue;

                var key = (frame.FunctionName, frame.FileName, frame.Line);
                bySite[key] = bySite.GetValueOrDefault(key) + bytes;
                break;
            }
        }

        var rows = bySite
            .Where(site => total > 0 && (double)site.Value / total >= MinimumShare)
            .Select(site => new HotSpot(site.Key.Function, site.Key.File, site.Key.Line, site.Value, (double)site.Value / total))
            .OrderByDescending(row => row.Bytes)
            .ThenBy(row => row.Function, StringComparer.Ordinal)
            .ThenBy(row => row.File, StringComparer.Ordinal)
            .ThenBy(row => row.Line)
            .Take(MaximumRows)
            .ToList();
        return new HotSpotSummary(Path.GetFullPath(profilePath), total, rows);
    }

    /// <summary>The summary as text: '\n' line ends, invariant numbers.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        HotSpotSummaryFormat.AppendHeader(text, ProfilePath, TotalBytes);
        foreach (var row in Rows) HotSpotSummaryFormat.AppendRow(text, row.Function, row.File, row.Line, row.Bytes, row.Share);

        return text.ToString();
    }

    /// <summary>File.Exists, asked once per path.</summary>
    private sealed class ExistingFiles
    {
        private readonly Dictionary<string, bool> _known = new(StringComparer.Ordinal);

        public bool Exists(string path)
        {
            if (!_known.TryGetValue(path, out var exists)) _known[path] = exists = Path.IsPathFullyQualified(path) && File.Exists(path);
            return exists;
        }
    }

    /// <summary>Writes the summary as UTF-8 without a byte-order mark.</summary>
    public void WriteTo(string path) => File.WriteAllText(path, ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
}
