namespace ProfilingKit;

/// <summary>
/// Marks a method, property, constructor or type as hot: ProfilingKit's analyzers then report
/// allocation-heavy code inside it as they do inside loops. An attribute named <c>HotPath</c> in
/// any namespace counts the same, so a project can declare its own instead of referencing this one.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Constructor | AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class HotPathAttribute : Attribute
{
}
