using ProfilingKit.Contention;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Profiles;

/// <summary>
/// <c>block</c> (every lock contention the runtime reports) and <c>mutex</c> (contention on managed
/// locks), both by the waiter's stack since start; debug=1 Go's legacy contention text.
/// </summary>
internal sealed class ContentionProfileSource : SnapshotProfileSource<IReadOnlyList<ContentionSite>>
{
    private readonly ContentionSampler _sampler;
    private readonly RuntimeSessions _sessions;
    private readonly bool _mutex;

    private ContentionProfileSource(string name, string description, bool mutex, ContentionSampler sampler, RuntimeSessions sessions, ProfileNames names)
        : base(name, description, names)
    {
        _mutex = mutex;
        _sampler = sampler;
        _sessions = sessions;
    }

    public override long Count => _sampler.SiteCount(managedOnly: _mutex);

    private string Comment
    {
        get
        {
            var comment = _mutex ? ContentionProfile.MutexComment : ContentionProfile.BlockComment;
            return _sampler.Bounds.Describe() is { } bounds ? comment + " " + bounds : comment;
        }
    }

    public static ContentionProfileSource Block(ContentionSampler sampler, RuntimeSessions sessions, ProfileNames names) =>
        new("block", "Stack traces that led to waiting on contended locks (every contention the .NET runtime reports)", mutex: false, sampler, sessions, names);

    public static ContentionProfileSource Mutex(ContentionSampler sampler, RuntimeSessions sessions, ProfileNames names) =>
        new("mutex", "Stack traces of waiters on contended managed locks (Monitor, lock, System.Threading.Lock); .NET reports no holder stacks", mutex: true, sampler, sessions, names);

    protected override IReadOnlyList<ContentionSite> Take()
    {
        _sessions.EnsureSampling();
        var sites = _sampler.Snapshot();
        return _mutex ? sites.Where(site => site.Managed).ToList() : sites;
    }

    protected override IEnumerable<ulong[]> StacksOf(IReadOnlyList<ContentionSite> snapshot) => snapshot.Select(site => site.Stack);

    protected override Profile Build(IReadOnlyList<ContentionSite> snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window) =>
        ContentionProfile.Build(snapshot, symbolizer.Symbolize, Names.MainBinary, time, Comment);

    protected override string Text(IReadOnlyList<ContentionSite> snapshot, MethodSymbolizer symbolizer, int debug) =>
        GoLegacyText.ContentionProfile(_mutex ? "mutex" : "contention", snapshot.Select(site => (site.Stack, site.DelayNanos, site.Count)), symbolizer.Locate, Comment);
}
