namespace ProfilingKit.Heap;

/// <summary>The live objects of one type in a heap snapshot.</summary>
internal readonly record struct HeapTypeTotal(string TypeName, long Objects, long Bytes);
