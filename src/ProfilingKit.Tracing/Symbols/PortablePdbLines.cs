using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ProfilingKit.Symbols;

/// <summary>
/// The sequence points of one module's portable PDB: IL offset to source file and line. The PDB is
/// the one beside the assembly, the one the module event names, or the one embedded in the assembly.
/// </summary>
internal sealed class PortablePdbLines : IDisposable
{
    private readonly MetadataReaderProvider _provider;
    private readonly MetadataReader _reader;
    private readonly Dictionary<uint, SequencePoint[]> _pointsByToken = new();
    private readonly Dictionary<DocumentHandle, string> _documents = new();

    private PortablePdbLines(MetadataReaderProvider provider)
    {
        _provider = provider;
        _reader = provider.GetMetadataReader();
    }

    /// <summary>
    /// Opens the PDB of the assembly at <paramref name="assemblyPath"/>, or returns null when there is none
    /// or it is not portable, or when <paramref name="signature"/> (the traced module's, unless empty) is not
    /// its id's: then <paramref name="stale"/> says that a PDB was there, of another build.
    /// </summary>
    public static PortablePdbLines? TryOpen(string assemblyPath, string? pdbBuildPath, Guid signature, out bool stale)
    {
        stale = false;
        foreach (var candidate in new[] { Path.ChangeExtension(assemblyPath, ".pdb"), pdbBuildPath })
        {
            if (string.IsNullOrEmpty(candidate) || !File.Exists(candidate)) continue;
            if (Matching(TryOpenFile(candidate), signature, ref stale) is { } lines) return Found(lines, out stale);
        }

        return Matching(TryOpenEmbedded(assemblyPath), signature, ref stale) is { } embedded ? Found(embedded, out stale) : null;

        // A PDB of the traced build was found after all (the build's own beside a rebuilt copy): nothing is stale.
        static PortablePdbLines Found(PortablePdbLines lines, out bool stale)
        {
            stale = false;
            return lines;
        }
    }

    /// <summary><paramref name="lines"/> if its PDB id starts with <paramref name="signature"/> (or either is unknown); otherwise disposes it and sets <paramref name="stale"/>.</summary>
    private static PortablePdbLines? Matching(PortablePdbLines? lines, Guid signature, ref bool stale)
    {
        if (lines is null || signature == Guid.Empty || lines._reader.DebugMetadataHeader is not { } header || header.Id.Length < 16) return lines;
        if (new Guid(header.Id.AsSpan(0, 16)) == signature) return lines;

        lines.Dispose();
        stale = true;
        return null;
    }

    /// <summary>The source position of <paramref name="ilOffset"/> in the method with metadata token <paramref name="methodToken"/>.</summary>
    public bool TryGetLine(uint methodToken, int ilOffset, out string file, out int line)
    {
        file = "";
        line = 0;
        var points = PointsOf(methodToken);
        var best = -1;
        for (var i = 0; i < points.Length; i++)
        {
            if (points[i].Offset > ilOffset) break;
            if (!points[i].IsHidden) best = i;
        }

        // Code before the first visible point (a hidden prologue) belongs to the method's first line.
        if (best < 0) best = Array.FindIndex(points, point => !point.IsHidden);
        if (best < 0) return false;

        file = DocumentName(points[best].Document);
        line = points[best].StartLine;
        return true;
    }

    /// <summary>
    /// The source position of the call the code at <paramref name="ilOffset"/> really makes, where
    /// the JIT lost it: optimized code (Tier-1, OSR, full opts) often has no mapping for the
    /// statement of a loop's body, so its calls map to the loop's condition or its initializer.
    /// False when the statement at <paramref name="ilOffset"/> holds one of
    /// <paramref name="callSites"/> itself (the mapping is right), and unless exactly one line of
    /// the method's statements that <paramref name="map"/> maps no code to holds call sites.
    /// </summary>
    public bool TryGetLineOfUnmappedCall(uint methodToken, int ilOffset, int[] callSites, NativeToILMap map, out string file, out int line)
    {
        file = "";
        line = 0;
        var points = PointsOf(methodToken);
        if (points.Length == 0 || HasCallSite(callSites, StatementStart(points, ilOffset), StatementEnd(points, ilOffset))) return false;

        var found = -1;
        for (var i = 0; i < points.Length; i++)
        {
            var start = points[i].Offset;
            var end = i + 1 < points.Length ? points[i + 1].Offset : int.MaxValue;
            if (points[i].IsHidden || !HasCallSite(callSites, start, end) || map.MapsInto(start, end)) continue;
            if (found >= 0 && (points[found].StartLine != points[i].StartLine || points[found].Document != points[i].Document)) return false;
            found = i;
        }

        if (found < 0) return false;
        file = DocumentName(points[found].Document);
        line = points[found].StartLine;
        return true;
    }

    public void Dispose() => _provider.Dispose();

    /// <summary>Where the statement that holds <paramref name="ilOffset"/> starts: at the last sequence point (hidden or not) at or before it, or 0.</summary>
    private static int StatementStart(SequencePoint[] points, int ilOffset)
    {
        var start = 0;
        foreach (var point in points)
        {
            if (point.Offset > ilOffset) break;
            start = point.Offset;
        }

        return start;
    }

    /// <summary>Where the statement that holds <paramref name="ilOffset"/> ends: at the first sequence point after it.</summary>
    private static int StatementEnd(SequencePoint[] points, int ilOffset)
    {
        foreach (var point in points)
        {
            if (point.Offset > ilOffset) return point.Offset;
        }

        return int.MaxValue;
    }

    private static bool HasCallSite(int[] callSites, int start, int end)
    {
        var index = Array.BinarySearch(callSites, start);
        if (index < 0) index = ~index;
        return index < callSites.Length && callSites[index] < end;
    }

    private SequencePoint[] PointsOf(uint methodToken)
    {
        if (_pointsByToken.TryGetValue(methodToken, out var points)) return points;

        points = [];
        var row = (int)(methodToken & 0x00FFFFFF);
        if ((methodToken >> 24) == 0x06 && row > 0 && row <= _reader.MethodDebugInformation.Count)
        {
            var information = _reader.GetMethodDebugInformation(MetadataTokens.MethodDebugInformationHandle(row));
            if (!information.SequencePointsBlob.IsNil)
            {
                // Sequence points come in IL offset order (portable PDB spec).
                points = information.GetSequencePoints().ToArray();
            }
        }

        _pointsByToken.Add(methodToken, points);
        return points;
    }

    private string DocumentName(DocumentHandle handle)
    {
        if (_documents.TryGetValue(handle, out var name)) return name;
        name = _reader.GetString(_reader.GetDocument(handle).Name);
        _documents.Add(handle, name);
        return name;
    }

    private static PortablePdbLines? TryOpenFile(string path)
    {
        try
        {
            var stream = File.OpenRead(path);
            Span<byte> signature = stackalloc byte[4];
            if (stream.Read(signature) != 4 || !signature.SequenceEqual("BSJB"u8))
            {
                stream.Dispose(); // a Windows PDB: not readable here
                return null;
            }

            stream.Position = 0;
            return new PortablePdbLines(MetadataReaderProvider.FromPortablePdbStream(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            return null;
        }
    }

    private static PortablePdbLines? TryOpenEmbedded(string assemblyPath)
    {
        if (!File.Exists(assemblyPath)) return null;
        try
        {
            using var pe = new PEReader(File.OpenRead(assemblyPath));
            foreach (var entry in pe.ReadDebugDirectory())
            {
                if (entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb)
                {
                    return new PortablePdbLines(pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            // Not a readable PE file: no lines for it.
        }

        return null;
    }
}
