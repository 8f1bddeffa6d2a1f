using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProfilingKit.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// Compiles test code and runs it, so a code fix is checked for what matters: the fixed program
/// computes what the original computed. A program is a class Program with <c>static string Run()</c>,
/// or top-level statements whose console output is the result.
/// </summary>
internal static partial class FixedCodeRun
{
    /// <summary>Asserts the code with the test framework's markup and the fixed code give the same result, and returns it.</summary>
    public static string AssertSameResult(string original, string fixedCode)
    {
        var before = Run(WithoutMarkup(original));
        var after = Run(WithoutMarkup(fixedCode));
        Assert.Equal(before, after);
        return after;
    }

    public static string Run(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var topLevel = tree.GetRoot().ChildNodes().Any(node => node is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax);
        var compilation = CSharpCompilation.Create(
            "Run" + Guid.NewGuid().ToString("N"),
            [tree],
            NetCoreAppReferences.All,
            new CSharpCompilationOptions(topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary));

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;

        var context = new AssemblyLoadContext("fixed-code", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(image);
            if (!topLevel)
            {
                return (string)assembly.GetType("Program")!.GetMethod("Run", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, null)!;
            }

            var console = Console.Out;
            var output = new StringWriter();
            Console.SetOut(output);
            try
            {
                var entry = assembly.EntryPoint!;
                entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            }
            finally
            {
                Console.SetOut(console);
            }

            return output.ToString();
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The code without {|PK1001:...|}, {|#0:...|} and [|...|] markup.</summary>
    public static string WithoutMarkup(string source) => Markup().Replace(source, "");

    [GeneratedRegex(@"\{\|[^:|]*:|\|\}|\[\||\|\]")]
    private static partial Regex Markup();
}
