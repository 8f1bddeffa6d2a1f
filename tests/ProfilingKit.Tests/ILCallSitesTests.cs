using System.Reflection;
using System.Runtime.CompilerServices;
using ProfilingKit.Symbols;

namespace ProfilingKit.Tests;

/// <summary>The IL decoder that finds where a method can call the allocator, on IL the C# compiler made.</summary>
public sealed class ILCallSitesTests
{
    public static object? Sink;

    [Fact]
    public void Finds_newarr_newobj_box_and_calls_at_their_own_offsets_and_steps_over_every_operand()
    {
        var il = typeof(ILCallSitesTests).GetMethod(nameof(Sample), BindingFlags.NonPublic | BindingFlags.Static)!.GetMethodBody()!.GetILAsByteArray()!;

        var sites = ILCallSites.Find(il);

        Assert.NotNull(sites);
        // Each offset starts one of the five opcodes; the sample has each of them (switch, ldc.i8 and ldstr operands between).
        var opcodes = sites.Select(offset => il[offset]).ToArray();
        Assert.Contains((byte)0x8D, opcodes); // newarr
        Assert.Contains((byte)0x73, opcodes); // newobj
        Assert.Contains((byte)0x8C, opcodes); // box
        Assert.Contains((byte)0x28, opcodes); // call
        Assert.All(opcodes, opcode => Assert.Contains(opcode, new byte[] { 0x8D, 0x73, 0x8C, 0x28, 0x6F }));
        Assert.Equal(sites.Order(), sites);
    }

    [Fact]
    public void Il_cut_inside_an_operand_or_with_an_unused_opcode_is_not_decoded()
    {
        var il = typeof(ILCallSitesTests).GetMethod(nameof(Sample), BindingFlags.NonPublic | BindingFlags.Static)!.GetMethodBody()!.GetILAsByteArray()!;
        var newarr = Array.IndexOf(il, (byte)0x8D);

        Assert.Null(ILCallSites.Find(il.AsSpan(0, newarr + 2)));
        Assert.Null(ILCallSites.Find(new byte[] { 0x00, 0x24, 0x2A }));
        Assert.Equal(Array.Empty<int>(), ILCallSites.Find(new byte[] { 0x00, 0x2A }));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sample(int n)
    {
        switch (n)
        {
            case 0: Sink = new byte[n]; break;
            case 1: Sink = new List<long> { 1L << 40 }; break;
            case 2: Sink = (object)n; break;
            default: Sink = string.Concat("a", n.ToString()); break;
        }
    }
}
