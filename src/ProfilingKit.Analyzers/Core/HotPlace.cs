namespace ProfilingKit.Analyzers;

/// <summary>Why code counts as hot, or that it does not.</summary>
internal enum HotPlaceKind
{
    /// <summary>Not hot: the rule stays quiet unless the project asks for reports everywhere.</summary>
    None,

    /// <summary>Runs on every iteration of a loop.</summary>
    Loop,

    /// <summary>Inside a member or type marked with an attribute named HotPath.</summary>
    HotPathMember,

    /// <summary>Inside a member with a line that a measured test run's hot-spot summary lists.</summary>
    MeasuredHot,
}

/// <summary>Where a piece of code runs, as the allocation rules see it.</summary>
internal readonly struct HotPlace
{
    public HotPlace(HotPlaceKind kind, string description)
    {
        Kind = kind;
        Description = description;
    }

    public static HotPlace None { get; } = new(HotPlaceKind.None, "");

    public HotPlaceKind Kind { get; }

    public bool IsHot => Kind != HotPlaceKind.None;

    /// <summary>Words for a diagnostic message, such as "in a loop" or "in [HotPath] member 'Parse'".</summary>
    public string Description { get; }
}
