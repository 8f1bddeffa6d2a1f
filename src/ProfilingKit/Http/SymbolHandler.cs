using System.Globalization;
using System.Text;

namespace ProfilingKit.Http;

/// <summary>
/// <c>symbol</c>, as Go's: <c>num_symbols: 1</c> (Go's way of saying symbols are available), then
/// <c>0xADDR Name</c> for each address of the GET query or POST body (<c>0xADDR+0xADDR…</c>) that
/// lies in managed code the runtime has reported. Our profiles are fully symbolized, so pprof never
/// asks; this answers tools that hold raw instruction pointers of this process.
/// </summary>
internal sealed class SymbolHandler
{
    /// <summary>A lookup body larger than this is cut: one request must not make the endpoint read without end.</summary>
    private const int MaxBodyBytes = 1 << 20;

    private readonly Func<ulong, string?> _resolve;

    public SymbolHandler(Func<ulong, string?> resolve) => _resolve = resolve;

    public const string Description = "Maps code addresses (GET query or POST body 0xADDR+0xADDR) to managed method names";

    public PprofReply Serve(PprofRequest request, CancellationToken cancel)
    {
        var input = request.Method == "POST" && request.Body is { } body ? ReadBody(body) : request.RawQuery;
        var text = new StringBuilder("num_symbols: 1\n");
        foreach (var word in input.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParseAddress(word, out var address) || address == 0) continue;

            var name = _resolve(address);
            if (name is not null) text.Append(CultureInfo.InvariantCulture, $"0x{address:x} {name}\n");
        }

        return PprofReply.Text(text.ToString(), "text/plain; charset=utf-8");
    }

    private static string ReadBody(Stream body)
    {
        var buffer = new byte[MaxBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = body.Read(buffer, length, buffer.Length - length)) > 0) length += read;
        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    private static bool TryParseAddress(string word, out ulong address) =>
        word.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(word.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : ulong.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out address);
}
