using System.IO.Compression;
using Google.Protobuf;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>Writes profiles as gzip-compressed profile.proto and reads them back.</summary>
public static class ProfileSerializer
{
    // A gzip member is at least a 10-byte header, an empty deflate block and an 8-byte trailer.
    private const int MinimumGzipLength = 20;

    /// <summary>Writes the profile gzip-compressed, as pprof requires on disk and on the wire.</summary>
    public static void WriteGzip(Profile profile, Stream destination)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        if (destination is null) throw new ArgumentNullException(nameof(destination));

        using var gzip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        profile.WriteTo(gzip);
    }

    /// <summary>Returns the profile as gzip-compressed bytes.</summary>
    public static byte[] ToGzipBytes(Profile profile)
    {
        using var buffer = new MemoryStream();
        WriteGzip(profile, buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a profile that is gzip-compressed or, like pprof accepts, uncompressed.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not a profile.</exception>
    public static Profile Read(Stream source)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));

        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (bytes.Length == 0) throw new InvalidDataException("The profile is empty.");

        try
        {
            if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            {
                return Validate(Profile.Parser.ParseFrom(Gunzip(bytes)));
            }

            return Validate(Profile.Parser.ParseFrom(bytes));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("The data is not a pprof profile: " + e.Message, e);
        }
    }

    private static byte[] Gunzip(byte[] gzipBytes)
    {
        using var proto = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(gzipBytes), CompressionMode.Decompress))
        {
            gzip.CopyTo(proto);
        }

        // GZipStream ends quietly where its input ends, and zlib checks the CRC and length only when the
        // 8-byte trailer is there. A cut-off download would otherwise read as a shorter profile, e.g. one
        // without the end of its string table, its time or its default sample type. The trailer ends with
        // the uncompressed length mod 2^32; pprof rejects such input too ("unexpected EOF").
        if (gzipBytes.Length < MinimumGzipLength || UncompressedLengthFromTrailer(gzipBytes) != (uint)proto.Length)
        {
            throw new InvalidDataException(
                "The data is not a pprof profile: the gzip data ends early (truncated) or holds several gzip members.");
        }

        return proto.ToArray();
    }

    private static uint UncompressedLengthFromTrailer(byte[] gzipBytes)
    {
        var end = gzipBytes.Length;
        return gzipBytes[end - 4] | (uint)gzipBytes[end - 3] << 8 | (uint)gzipBytes[end - 2] << 16 | (uint)gzipBytes[end - 1] << 24;
    }

    private static Profile Validate(Profile profile)
    {
        ProfileValidation.CheckValid(profile);
        return profile;
    }
}
