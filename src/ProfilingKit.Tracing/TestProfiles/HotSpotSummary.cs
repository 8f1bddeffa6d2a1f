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
    /// <summary>Sites whose share of the run is not above this beyond their sampling error (at 95%) are left out.</summary>
    public const double MinimumShare = 0.001;

    /// <summary>The least share of a row a test must have to be named in it (what <see cref="HotSpotSummaryFormat.FormatShare"/> shows as 0.1%, rounded).</summary>
    public const double MinimumTestShare = 0.0005;

    /// <summary>How many tests a row names.</summary>
    public const int TestsPerRow = 3;

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
    /// least <see cref="MinimumShare"/> of the run even at the low end of their sampling error: a site that
    /// rests on a handful of samples does not come and go between runs of the same code. Each row names the
    /// tests (by their <c>test</c> label) that allocated most there.
    /// </summary>
    public static HotSpotSummary Of(Profile profile, string profilePath)
    {
        var space = ProfileLocations.ValueIndex(profile, ProfileTypes.AllocSpace);
        var objects = ProfileLocations.ValueIndex(profile, ProfileTypes.AllocObjects);
        var locations = new ProfileLocations(profile);
        var sourceFiles = new ExistingFiles();
        var testOf = TestLabel.Reader(profile);
        var bySite = new Dictionary<(string Function, string File, long Line), (SampledBytes Bytes, Dictionary<string, long> Tests)>();
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
                if (!bySite.TryGetValue(key, out var site)) site = (default, new Dictionary<string, long>(StringComparer.Ordinal));
                if (testOf(sample) is { } test) site.Tests[test] = site.Tests.GetValueOrDefault(test) + bytes;
                bySite[key] = (site.Bytes + SampledBytes.Of(sample, objects, space), site.Tests);
                break;
            }
        }

        var rows = bySite
            .Where(site => total > 0 && site.Value.Bytes.LowerBound / total >= MinimumShare)
            .Select(site => new HotSpot(
                site.Key.Function, site.Key.File, site.Key.Line, (long)site.Value.Bytes.Bytes, site.Value.Bytes.Bytes / total,
                (long)Math.Round(site.Value.Bytes.Samples), (long)site.Value.Bytes.LowerBound)
            {
                // A test of under 0.05% of the row would print as "0%": not one that made the line hot.
                Tests = site.Value.Tests.OrderByDescending(test => test.Value).ThenBy(test => test.Key, StringComparer.Ordinal).Take(TestsPerRow)
                    .Select(test => (test.Key, test.Value / Math.Max(1, site.Value.Bytes.Bytes))).Where(test => test.Item2 >= MinimumTestShare).ToList(),
            })
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
        foreach (var row in Rows) HotSpotSummaryFormat.AppendRow(text, row.Function, row.File, row.Line, row.Bytes, row.Share, row.Samples, row.LowBytes, row.TestsText);

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
