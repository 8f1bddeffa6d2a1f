namespace ProfilingKit.Symbols;

/// <summary>Something that keeps stacks of <see cref="CodeFrames"/>, whose code must stay named while it does.</summary>
internal interface ICodeFrameHolder
{
    /// <summary>Adds the id of every code body a kept stack names to <paramref name="ids"/>.</summary>
    void AddCodeIds(ISet<int> ids);
}
