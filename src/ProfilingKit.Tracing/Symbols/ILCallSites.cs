namespace ProfilingKit.Symbols;

/// <summary>
/// Finds, in a method body's IL, the instructions whose native code can call into the runtime's
/// allocator: <c>newobj</c>, <c>newarr</c>, <c>box</c>, and calls (an inlined callee allocates in its
/// caller's code). The rest of the instruction set only matters for stepping over operands.
/// </summary>
internal static class ILCallSites
{
    private const byte Call = 0x28, Callvirt = 0x6F, Newobj = 0x73, Box = 0x8C, Newarr = 0x8D, Switch = 0x45, TwoBytePrefix = 0xFE;

    /// <summary>The IL offsets of those instructions in order, or null when the IL cannot be decoded (an unknown opcode, a truncated operand).</summary>
    public static int[]? Find(ReadOnlySpan<byte> il)
    {
        var sites = new List<int>();
        var at = 0;
        while (at < il.Length)
        {
            var start = at;
            var opcode = il[at++];
            int operand;
            if (opcode == TwoBytePrefix)
            {
                if (at >= il.Length) return null;
                operand = TwoByteOperandSize(il[at++]);
            }
            else if (opcode == Switch)
            {
                if (at + 4 > il.Length) return null;
                operand = 4 + 4 * (int)Math.Min(BitConverter.ToUInt32(il.Slice(at, 4)), (uint)il.Length);
            }
            else
            {
                operand = OperandSize(opcode);
                if (opcode is Call or Callvirt or Newobj or Box or Newarr) sites.Add(start);
            }

            if (operand < 0 || at + operand > il.Length) return null;
            at += operand;
        }

        return sites.ToArray();
    }

    /// <summary>The operand bytes of a one-byte opcode (ECMA-335 III), or -1 for an unused one.</summary>
    private static int OperandSize(byte opcode) => opcode switch
    {
        >= 0x0E and <= 0x13 or 0x1F or >= 0x2B and <= 0x37 or 0xDE => 1,
        0x21 or 0x23 => 8,
        0x20 or 0x22 or >= 0x27 and <= 0x29 or >= 0x38 and <= 0x44 or 0x6F or >= 0x70 and <= 0x75 or 0x79
            or >= 0x7B and <= 0x81 or 0x8C or 0x8D or 0x8F or >= 0xA3 and <= 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xDD => 4,
        0x24 or 0x77 or 0x78 or >= 0xA6 and <= 0xB2 or >= 0xBB and <= 0xC1 or 0xC4 or 0xC5 or >= 0xC7 and <= 0xCF or >= 0xE1 => -1,
        _ => 0,
    };

    /// <summary>The operand bytes of an opcode after the 0xFE prefix, or -1 for an unused one.</summary>
    private static int TwoByteOperandSize(byte opcode) => opcode switch
    {
        0x06 or 0x07 or 0x15 or 0x16 or 0x1C => 4,
        >= 0x09 and <= 0x0E => 2,
        0x12 or 0x19 => 1,
        <= 0x05 or 0x0F or 0x11 or 0x13 or 0x14 or 0x17 or 0x18 or 0x1A or 0x1D or 0x1E => 0,
        _ => -1,
    };
}
