using System.Text.Json;

namespace ProfilingKit.Testing;

/// <summary>The JSON a flame graph page embeds, read back the way the page's script reads it.</summary>
public static class FlameGraphPageData
{
    private const string Start = "<script type=\"application/json\" id=\"profile-data\">";

    /// <summary>Parses the embedded data of <paramref name="html"/>; throws when the page has none or it is not JSON.</summary>
    public static JsonElement Of(string html)
    {
        var start = html.IndexOf(Start, StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException("The page embeds no profile data.");
        start += Start.Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(html[start..end], new JsonDocumentOptions { MaxDepth = 10_000 }); // one level per frame of the deepest stack
        return document.RootElement.Clone();
    }

    /// <summary>The function names of the data's function table, in its order.</summary>
    public static List<string> FunctionNames(JsonElement data) =>
        data.GetProperty("functions").EnumerateArray().Select(function => function[0].GetString()!).ToList();

    /// <summary>The top table of sample type <paramref name="type"/>: function name to (flat, cum).</summary>
    public static Dictionary<string, (long Flat, long Cum)> Top(JsonElement data, int type)
    {
        var names = FunctionNames(data);
        return data.GetProperty("top")[type].EnumerateArray()
            .ToDictionary(row => names[row[0].GetInt32()], row => (row[1].GetInt64(), row[2].GetInt64()));
    }
}
