using System.Globalization;
using System.Text;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// Code for the no-crash test: the repository's own C# sources, and a generated corpus that packs
/// loops, strings, LINQ, lambdas, boxing, params calls and collections into many small files.
/// </summary>
internal static class CorpusSources
{
    public static IEnumerable<(string Path, string Text)> Repository(string root)
    {
        foreach (var folder in new[] { "src", "tests", "samples", "bench" })
        {
            var directory = Path.Combine(root, folder);
            if (!Directory.Exists(directory)) continue;

            foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file);
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)) continue;
                yield return (relative, File.ReadAllText(file));
            }
        }
    }

    /// <summary><paramref name="files"/> generated files of about 120 lines each, the same for the same seed.</summary>
    public static IEnumerable<(string Path, string Text)> Generated(int files, int seed = 20261126)
    {
        var random = new Random(seed);
        for (var i = 0; i < files; i++)
        {
            yield return ($"Generated/File{i}.cs", GenerateFile(i, random));
        }
    }

    private static string GenerateFile(int index, Random random)
    {
        var code = new StringBuilder();
        code.AppendLine("using System;");
        code.AppendLine("using System.Collections;");
        code.AppendLine("using System.Collections.Generic;");
        code.AppendLine("using System.Linq;");
        code.AppendLine("using System.Text;");
        code.AppendLine(CultureInfo.InvariantCulture, $"namespace Corpus{index % 7};");
        code.AppendLine(CultureInfo.InvariantCulture, $"public {(random.Next(3) == 0 ? "struct" : "class")} Type{index}");
        code.AppendLine("{");
        code.AppendLine("    private string _text = \"\";");
        code.AppendLine("    private readonly List<int> _values = new();");
        code.AppendLine("    private static int Count(params object[] values) => values.Length;");
        for (var m = 0; m < 6; m++)
        {
            var hot = random.Next(4) == 0 ? "[HotPath] " : "";
            code.AppendLine(CultureInfo.InvariantCulture, $"    {hot}public string Method{m}(IEnumerable<int> items, int[] array, object state)");
            code.AppendLine("    {");
            code.AppendLine("        var s = string.Empty;");
            code.AppendLine("        var sb = new StringBuilder();");
            code.AppendLine("        IList<string> names = new List<string>();");
            code.AppendLine(CultureInfo.InvariantCulture, $"        {Loop(random)}");
            code.AppendLine("        {");
            for (var statement = 0; statement < 5; statement++)
            {
                code.AppendLine("            " + Statements[random.Next(Statements.Length)]);
            }

            code.AppendLine("        }");
            code.AppendLine("        return s + sb.ToString() + _text;");
            code.AppendLine("    }");
        }

        code.AppendLine("}");
        code.AppendLine("[AttributeUsage(AttributeTargets.All)] public sealed class HotPathAttribute : Attribute { }");
        return code.ToString();
    }

    private static string Loop(Random random) => random.Next(4) switch
    {
        0 => "for (var i = 0; i < array.Length; i++)",
        1 => "foreach (var i in items)",
        2 => "var i = 0; while (i++ < array.Length)",
        _ => "foreach (var i in array.Where(x => x > 0).ToList())",
    };

    private static readonly string[] Statements =
    {
        "s += i.ToString();",
        "s = s + \"-\" + i;",
        "s = $\"{s},{i}\";",
        "s = string.Concat(s, names.FirstOrDefault());",
        "sb.Append(s + i);",
        "sb.Append(i.ToString());",
        "sb.Append(string.Format(\"{0}\", i));",
        "sb.Append(s.Substring(0, Math.Min(1, s.Length)));",
        "sb.Append($\"{i}:{s}\");",
        "object boxed = i; _text = boxed.ToString() ?? \"\";",
        "IComparable comparable = i; _ = comparable.CompareTo(state);",
        "var list = new List<int> { i }; _values.AddRange(list);",
        "var copy = items.ToList(); _ = copy.Count;",
        "var parts = s.Split(','); _ = parts.Length;",
        "var total = items.Where(x => x > i).Select(x => x * 2).Sum(); _ = total;",
        "Func<int, int> f = x => x + i; _ = f(1);",
        "Action a = () => _text = s; a();",
        "Func<int> g = GetHashCode; _ = g();",
        "_ = string.Join(\",\", \"a\", \"b\", s);",
        "_ = Count(i, s);",
        "foreach (var n in names) { s += n; }",
        "if (i > 3) { s += \"x\"; break; }",
        "var arr = new int[4]; arr[0] = i; _ = arr.Sum();",
        "var started = DateTime.Now; _ = (DateTime.Now - started).TotalMilliseconds;",
        "ArrayList legacy = new ArrayList(); legacy.Add(i);",
        "var key = (i, s); _ = key.GetHashCode();",
    };
}
