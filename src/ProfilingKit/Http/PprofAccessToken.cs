using System.Security.Cryptography;
using System.Text;

namespace ProfilingKit.Http;

/// <summary>
/// The shared secret a request must present when <c>PROFILINGKIT_PPROF_TOKEN</c> is set: as
/// <c>Authorization: Bearer &lt;token&gt;</c>, or as the password of basic authentication, which is
/// how <c>go tool pprof</c> can send it (it cannot add headers, but Go's HTTP client turns the user
/// info of <c>http://pprof:TOKEN@host:port/...</c> into basic authentication). A token in the query
/// string is not accepted: URLs end up in logs and shell history more often than headers.
/// </summary>
internal sealed class PprofAccessToken
{
    private readonly byte[] _hash;

    public PprofAccessToken(string token) => _hash = Hash(token);

    /// <summary>True when the request's <c>Authorization</c> header presents the token.</summary>
    public bool Allows(string? header)
    {
        if (string.IsNullOrEmpty(header)) return false;

        var presented = PresentedToken(header.Trim());
        // Hashing first makes both sides the same length, so the comparison time says nothing about the token.
        return presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _hash);
    }

    private static string? PresentedToken(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header.Substring("Bearer ".Length).Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring("Basic ".Length).Trim()));
            var colon = credentials.IndexOf(':');
            return colon < 0 ? null : credentials.Substring(colon + 1);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
