using ProfilingKit.Symbols;

namespace ProfilingKit.Tests;

public class MethodAddressMapTests
{
    [Fact]
    public void Resolves_addresses_inside_a_method_and_nothing_outside()
    {
        var map = new MethodAddressMap();
        map.Add(0x2000, 0x100, "App.Worker", "Run");
        map.Add(0x1000, 0x10, "App.Program", "Main");

        Assert.Equal("App.Program.Main", map.Resolve(0x1000));
        Assert.Equal("App.Program.Main", map.Resolve(0x100F));
        Assert.Null(map.Resolve(0x1010));
        Assert.Null(map.Resolve(0x0FFF));
        Assert.Equal("App.Worker.Run", map.Resolve(0x20FF));
        Assert.Null(map.Resolve(0x2100));
    }

    [Fact]
    public void The_same_code_reported_twice_keeps_one_range_with_the_latest_name()
    {
        var map = new MethodAddressMap();
        map.Add(0x1000, 0x10, "App.Program", "Main");
        map.Add(0x1000, 0x20, "App.Program", "Main");

        Assert.Equal(1, map.Count);
        Assert.Equal("App.Program.Main", map.Resolve(0x101F));
    }

    [Fact]
    public void A_method_without_a_type_is_named_by_its_method_name_and_empty_code_is_ignored()
    {
        var map = new MethodAddressMap();
        map.Add(0x1000, 0x10, "", "DynamicMethod");
        map.Add(0x3000, 0, "App.Empty", "Nothing");

        Assert.Equal("DynamicMethod", map.Resolve(0x1001));
        Assert.Null(map.Resolve(0x3000));
    }
}
