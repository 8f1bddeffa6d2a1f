namespace ProfilingKit.Symbols;

/// <summary>
/// One body of jitted code's map from native offsets to IL offsets, as a MethodILToNativeMap event
/// gives it, sorted by native offset for lookup.
/// </summary>
internal sealed class NativeToILMap
{
    private readonly uint[] _nativeOffsets;
    private readonly uint[] _ilOffsets;

    public NativeToILMap(uint[] ilOffsets, uint[] nativeOffsets)
    {
        _ilOffsets = (uint[])ilOffsets.Clone();
        _nativeOffsets = (uint[])nativeOffsets.Clone();
        Array.Sort(_nativeOffsets, _ilOffsets);
    }

    /// <summary>Whether some code of this body is mapped to an IL offset in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public bool MapsInto(int start, int end)
    {
        foreach (var ilOffset in _ilOffsets)
        {
            if (ilOffset <= int.MaxValue && ilOffset >= start && ilOffset < end) return true;
        }

        return false;
    }

    /// <summary>
    /// The IL offset of the code at <paramref name="nativeOffset"/>: that of the last entry starting
    /// at or before it. The runtime's markers (no mapping, prolog, epilog) are skipped in favour of
    /// the nearest real offset before them, or after them in a prolog.
    /// </summary>
    public bool TryGetILOffset(uint nativeOffset, out int ilOffset)
    {
        var index = Array.BinarySearch(_nativeOffsets, nativeOffset);
        if (index < 0) index = ~index - 1;
        else
        {
            // Several entries can start at one offset; the last of them is the code that runs there.
            while (index + 1 < _nativeOffsets.Length && _nativeOffsets[index + 1] == nativeOffset) index++;
        }

        for (var i = index; i >= 0; i--)
        {
            if (_ilOffsets[i] <= int.MaxValue)
            {
                ilOffset = (int)_ilOffsets[i];
                return true;
            }
        }

        for (var i = Math.Max(index + 1, 0); i < _ilOffsets.Length; i++)
        {
            if (_ilOffsets[i] <= int.MaxValue)
            {
                ilOffset = (int)_ilOffsets[i];
                return true;
            }
        }

        ilOffset = 0;
        return false;
    }
}
