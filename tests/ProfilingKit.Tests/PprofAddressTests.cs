namespace ProfilingKit.Tests;

public class PprofAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:6060", "127.0.0.1", 6060, true)]
    [InlineData("localhost:7000", "localhost", 7000, true)]
    [InlineData("[::1]:6060", "[::1]", 6060, true)]
    [InlineData(" 10.1.2.3:80 ", "10.1.2.3", 80, false)]
    [InlineData(":6060", "", 6060, false)]
    [InlineData("0.0.0.0:6060", "", 6060, false)]
    [InlineData("*:6060", "", 6060, false)]
    [InlineData("myhost:65535", "myhost", 65535, false)]
    public void Parses_host_and_port(string text, string host, int port, bool loopback)
    {
        var address = PprofAddress.Parse(text);

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(loopback, address.IsLoopback);
    }

    [Theory]
    [InlineData("6060")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:http")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("::1:6060")]
    [InlineData("")]
    public void Rejects_what_is_not_host_colon_port_with_a_message_naming_the_input(string text)
    {
        var error = Assert.Throws<FormatException>(() => PprofAddress.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Profiles_url_names_the_index()
    {
        Assert.Equal("http://127.0.0.1:6060/debug/pprof/", PprofAddress.Parse(PprofAddress.Default).ProfilesUrl);
        Assert.Equal("http://localhost:6061/debug/pprof/", PprofAddress.Parse(":6061").ProfilesUrl);
    }
}
