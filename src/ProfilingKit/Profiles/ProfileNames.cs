using ProfilingKit.Pprof;
using ProfilingKit.Symbols;

namespace ProfilingKit.Profiles;

/// <summary>
/// Names the stacks of this process for profiles, one profile at a time: every stack a profile
/// holds is looked up first (a rundown if some code is not named yet), then the profile is built,
/// so the names in one profile (and in both halves of a delta) come from one state of the symbols.
/// </summary>
internal sealed class ProfileNames
{
    private readonly MethodSymbolizer _symbolizer;
    private readonly object _gate = new();

    public ProfileNames(MethodSymbolizer symbolizer, string mainBinary)
    {
        _symbolizer = symbolizer;
        MainBinary = mainBinary;
    }

    /// <summary>The name pprof shows as the profile's <c>File:</c>, the entry assembly's.</summary>
    public string MainBinary { get; }

    /// <summary>Names every address of <paramref name="stacks"/> that can be named, then runs <paramref name="build"/>, alone.</summary>
    public T Build<T>(IEnumerable<ulong[]> stacks, Func<MethodSymbolizer, T> build)
    {
        lock (_gate)
        {
            _symbolizer.PrepareFor(stacks);
            return build(_symbolizer);
        }
    }

    /// <summary>The managed method whose code holds <paramref name="address"/>, if the runtime has reported it.</summary>
    public string? ResolveMethod(ulong address) => _symbolizer.ResolveMethod(address);

    /// <summary>The code at one address, for Go's text forms; null for native code.</summary>
    public CodeLocation? Locate(ulong address) => _symbolizer.Locate(address);
}
