namespace ProfilingKit.Pprof.Viewer;

/// <summary>How <see cref="FlameGraphPage"/> renders a profile.</summary>
public sealed class FlameGraphOptions
{
    /// <summary>The page's title, such as the profile's file name or URL.</summary>
    public string Title { get; set; } = "profile";

    /// <summary>The sample type shown first (such as <c>alloc_objects</c>); null for the profile's default, as pprof picks it.</summary>
    public string? SampleType { get; set; }

    /// <summary>
    /// Call paths that carry less than this share of the total in every sample type are cut, with
    /// their weight left in the caller, so a page of a 50 MB profile stays a few MB. The page says how many were cut.
    /// </summary>
    public double PruneFraction { get; set; } = 0.0001;

    /// <summary>A link the page offers to download the raw profile, or null for none.</summary>
    public string? DownloadLink { get; set; }
}
