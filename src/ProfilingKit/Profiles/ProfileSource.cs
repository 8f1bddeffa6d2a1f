using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Profiles;

/// <summary>
/// One named profile, in the shape of Go's <c>pprof.Profile</c>: a name, the description and live
/// count the index shows, and <see cref="WriteTo"/> in the proto form (debug=0) or Go's legacy text;
/// cumulative ones also serve the difference of a window (<c>seconds=N</c>).
/// </summary>
internal abstract class ProfileSource
{
    protected ProfileSource(string name, string description)
    {
        Name = name;
        Description = description;
    }

    /// <summary>The path under /debug/pprof/ and the attachment's file name.</summary>
    public string Name { get; }

    /// <summary>Go's description on the index page (with ProfilingKit's notes where .NET differs).</summary>
    public string Description { get; }

    /// <summary>The count on the index page: distinct stacks, threads alive, as Go counts its profile.</summary>
    public abstract long Count { get; }

    /// <summary>Go's <c>Profile.WriteTo(w, debug)</c>: the gzipped profile for debug=0, Go's legacy text otherwise.</summary>
    /// <exception cref="ProfilingUnavailableException">The data cannot be had now; the message says why.</exception>
    public abstract void WriteTo(Stream output, int debug);

    /// <summary>What accumulated during the next <paramref name="window"/> (or until <paramref name="cancel"/>).</summary>
    /// <exception cref="ProfilingUnavailableException">The data cannot be had now; the message says why.</exception>
    public abstract Profile Delta(TimeSpan window, CancellationToken cancel);

    /// <summary>The source that serves a request with <paramref name="query"/>: this one, unless the profile has variants (heap's <c>by=</c>).</summary>
    /// <exception cref="Http.PprofRequestException">The query names no variant of this profile.</exception>
    public virtual ProfileSource For(Http.PprofQuery query) => this;
}
