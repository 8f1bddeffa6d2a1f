using System.IO.Compression;
using Google.Protobuf;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Tests;

public sealed class ProfileSerializerTests
{
    [Fact]
    public void Gzip_bytes_start_with_the_gzip_magic_and_read_back_equal()
    {
        var profile = AllocationProfile.Build();

        var bytes = ProfileSerializer.ToGzipBytes(profile);

        Assert.Equal(new byte[] { 0x1f, 0x8b }, bytes.Take(2));
        Assert.Equal(profile, ProfileSerializer.Read(new MemoryStream(bytes)));
    }

    [Fact]
    public void Gzip_holds_exactly_the_protobuf_encoding()
    {
        var profile = AllocationProfile.Build();

        using var gzip = new GZipStream(new MemoryStream(ProfileSerializer.ToGzipBytes(profile)), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        gzip.CopyTo(decompressed);

        Assert.Equal(profile.ToByteArray(), decompressed.ToArray());
    }

    [Fact]
    public void WriteGzip_leaves_the_destination_open()
    {
        using var destination = new MemoryStream();

        ProfileSerializer.WriteGzip(AllocationProfile.Build(), destination);

        Assert.True(destination.CanWrite);
        destination.Position = 0;
        Assert.Equal(AllocationProfile.Build(), ProfileSerializer.Read(destination));
    }

    [Fact]
    public void An_uncompressed_profile_reads_back_equal()
    {
        var profile = AllocationProfile.Build();

        Assert.Equal(profile, ProfileSerializer.Read(new MemoryStream(profile.ToByteArray())));
    }

    [Fact]
    public void Empty_input_is_invalid_data()
    {
        var error = Assert.Throws<InvalidDataException>(() => ProfileSerializer.Read(new MemoryStream()));

        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData("hello, this is not a profile\n")]
    [InlineData("\u00ff\u00ff\u00ff\u00ff")]
    public void Garbage_is_invalid_data(string text)
    {
        var bytes = text.Select(c => (byte)c).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ProfileSerializer.Read(new MemoryStream(bytes)));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_profile_without_the_empty_string_first_is_invalid_data()
    {
        var profile = new Profile();
        profile.StringTable.Add("x");

        var error = Assert.Throws<InvalidDataException>(() => ProfileSerializer.Read(new MemoryStream(profile.ToByteArray())));

        Assert.Contains("string_table[0]", error.Message);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Truncated_gzip_is_invalid_data(double keptFraction)
    {
        var bytes = ProfileSerializer.ToGzipBytes(AllocationProfile.Build());
        var truncated = bytes.Take((int)(bytes.Length * keptFraction)).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ProfileSerializer.Read(new MemoryStream(truncated)));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Gzip_cut_anywhere_in_its_last_bytes_is_invalid_data()
    {
        // GZipStream ends quietly at the end of its input; a cut near the end used to read as a profile
        // without its time, period or the end of its string table. pprof says "unexpected EOF" for these.
        var bytes = ProfileSerializer.ToGzipBytes(AllocationProfile.Build());

        for (var cut = 1; cut <= Math.Min(200, bytes.Length - 2); cut++)
        {
            var truncated = bytes.AsSpan(0, bytes.Length - cut).ToArray();
            var error = Assert.Throws<InvalidDataException>(() => ProfileSerializer.Read(new MemoryStream(truncated)));
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void Two_concatenated_gzip_profiles_are_invalid_data()
    {
        // pprof rejects them too ("concatenated profiles detected").
        var bytes = ProfileSerializer.ToGzipBytes(AllocationProfile.Build());

        Assert.Throws<InvalidDataException>(() => ProfileSerializer.Read(new MemoryStream(bytes.Concat(bytes).ToArray())));
    }
}
