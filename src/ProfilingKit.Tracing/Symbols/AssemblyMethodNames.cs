using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ProfilingKit.Symbols;

/// <summary>
/// Names methods of one assembly by metadata token, <c>Namespace.Type.Method</c> (nested types as
/// <c>Outer+Inner</c>), as the runtime's method events name them. For inlinees: the runtime reports
/// them by token and module only, since they may never have been compiled on their own.
/// </summary>
internal sealed class AssemblyMethodNames : IDisposable
{
    private readonly PEReader _pe;
    private readonly MetadataReader _reader;
    private readonly Dictionary<uint, (string Name, string SystemName)?> _names = new();
    private readonly Dictionary<uint, int[]?> _callSites = new();

    private AssemblyMethodNames(PEReader pe)
    {
        _pe = pe;
        _reader = pe.GetMetadataReader();
    }

    /// <summary>Opens the metadata of the assembly at <paramref name="assemblyPath"/>, or returns null when it cannot be read.</summary>
    public static AssemblyMethodNames? TryOpen(string assemblyPath)
    {
        if (!File.Exists(assemblyPath)) return null;
        PEReader? pe = null;
        try
        {
            pe = new PEReader(File.OpenRead(assemblyPath));
            if (!pe.HasMetadata)
            {
                pe.Dispose();
                return null;
            }

            return new AssemblyMethodNames(pe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            pe?.Dispose();
            return null;
        }
    }

    /// <summary>
    /// The name of the method definition <paramref name="methodToken"/> (<c>Type.Method</c>) with its
    /// runtime form (<c>Type::Method</c>), or null when the token names none.
    /// </summary>
    public (string Name, string SystemName)? NameOf(uint methodToken)
    {
        if (_names.TryGetValue(methodToken, out var name)) return name;

        name = null;
        var row = (int)(methodToken & 0x00FFFFFF);
        if ((methodToken >> 24) == 0x06 && row > 0 && row <= _reader.MethodDefinitions.Count)
        {
            try
            {
                var method = _reader.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(row));
                var type = TypeName(method.GetDeclaringType());
                var methodName = _reader.GetString(method.Name);
                name = (type + "." + methodName, type + "::" + methodName);
            }
            catch (BadImageFormatException)
            {
                // Corrupt metadata: the method stays unnamed.
            }
        }

        _names.Add(methodToken, name);
        return name;
    }

    /// <summary>
    /// The IL offsets of the instructions of method definition <paramref name="methodToken"/> that
    /// can call the allocator (<see cref="ILCallSites"/>), or null when its body cannot be read.
    /// </summary>
    public int[]? CallSitesOf(uint methodToken)
    {
        if (_callSites.TryGetValue(methodToken, out var sites)) return sites;

        sites = null;
        var row = (int)(methodToken & 0x00FFFFFF);
        if ((methodToken >> 24) == 0x06 && row > 0 && row <= _reader.MethodDefinitions.Count)
        {
            try
            {
                var rva = _reader.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(row)).RelativeVirtualAddress;
                if (rva != 0) sites = ILCallSites.Find(_pe.GetMethodBody(rva).GetILContent().AsSpan());
            }
            catch (BadImageFormatException)
            {
                // A corrupt body: no call sites known.
            }
        }

        _callSites.Add(methodToken, sites);
        return sites;
    }

    public void Dispose() => _pe.Dispose();

    private string TypeName(TypeDefinitionHandle handle)
    {
        // Iterative with a bound: corrupt metadata could make nested types enclose each other.
        var type = _reader.GetTypeDefinition(handle);
        var name = _reader.GetString(type.Name);
        for (var depth = 0; depth < 64; depth++)
        {
            var declaring = type.GetDeclaringType();
            if (declaring.IsNil)
            {
                var ns = _reader.GetString(type.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            type = _reader.GetTypeDefinition(declaring);
            name = _reader.GetString(type.Name) + "+" + name;
        }

        throw new BadImageFormatException("Nested types enclose each other.");
    }
}
