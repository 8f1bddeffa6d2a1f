// Helper for bench/analyzers/run.sh:
//   generate <dir>          writes the deterministic C# corpus (same files on every run)
//   summarize <results-dir> reads the build logs and SARIF files of each run, prints a Markdown table
//   measure <corpus-dir> <rounds> <analyzer.dll[@Types][#Category] | probe:operation | probe:loops>...  in-process analyzer time against compiler time (Measure.cs; MEASURE_* variables for real code bases)
namespace AnalyzerBench;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "generate")
        {
            var stats = CorpusGenerator.Write(args[1]);
            Console.WriteLine($"corpus: {stats.Files} files, {stats.Lines} lines, {stats.Methods} methods ({stats.LoopMethods} with loops, {stats.HotPathMembers} [HotPath] members) in {args[1]}");
            return 0;
        }

        if (args.Length == 2 && args[0] == "summarize")
        {
            Console.Write(Summary.Render(args[1]));
            return 0;
        }

        if (args.Length >= 4 && args[0] == "measure")
        {
            return Measure.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3..]);
        }

        Console.Error.WriteLine("usage: AnalyzerBench generate <dir> | summarize <results-dir> | measure <corpus-dir> <rounds> <analyzer.dll>...");
        return 2;
    }
}
