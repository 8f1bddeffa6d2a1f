namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The package packed once and two fresh Microsoft.Testing.Platform test projects, one on each major
/// of the platform: xunit.v3 (xunit.v3.mtp-v2: platform 2.x) and MSTest's runner (MSTest 3.11 with
/// EnableMSTestRunner: platform 1.9). The extension is compiled against 1.x and binds the one member
/// that differs at run time, so both must work.
/// </summary>
public sealed class TestingPlatformProjects
{
    private const string MSTestTests = """
        using Microsoft.VisualStudio.TestTools.UnitTesting;

        namespace NAMESPACE;

        [TestClass]
        public class Green
        {
            [TestMethod]
            public void Allocates_the_known_amount() => Allocator.AllocateKnown();
        }

        [TestClass]
        public class Red
        {
            [TestMethod]
            public void Allocates_the_known_amount_then_fails()
            {
                Allocator.AllocateKnown();
                Assert.Fail("this test fails on purpose: a red run must still give its profile");
            }
        }
        """;

    public TestingPlatformProjects()
    {
        Package = PackedPackage.Shared;
        // UseMicrosoftTestingPlatformRunner: the app run by itself uses the platform too, not xunit's own console runner.
        Xunit = new TestingPlatformProject(Package, "ProfiledXunitMtpTests",
            """<PackageReference Include="xunit.v3.mtp-v2" Version="4.0.2" />""",
            "<UseMicrosoftTestingPlatformRunner>true</UseMicrosoftTestingPlatformRunner>",
            ProfiledTestProjects.TestsSource, ["--filter-class", "ProfiledXunitMtpTests.Green"], ["--filter-class", "ProfiledXunitMtpTests.Red"]);
        MSTest = new TestingPlatformProject(Package, "ProfiledMSTestRunnerTests",
            """<PackageReference Include="MSTest" Version="3.11.1" />""",
            "<EnableMSTestRunner>true</EnableMSTestRunner>",
            MSTestTests, ["--filter", "FullyQualifiedName~Green"], ["--filter", "FullyQualifiedName~Red"]);
    }

    public PackedPackage Package { get; }

    /// <summary>xunit.v3 on Microsoft.Testing.Platform 2.x.</summary>
    public TestingPlatformProject Xunit { get; }

    /// <summary>MSTest's runner on Microsoft.Testing.Platform 1.x.</summary>
    public TestingPlatformProject MSTest { get; }

    public TestingPlatformProject Project(string name) => name switch
    {
        nameof(Xunit) => Xunit,
        nameof(MSTest) => MSTest,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such project"),
    };
}
