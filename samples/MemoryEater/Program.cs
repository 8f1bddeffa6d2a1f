// The program from "Finding Memory Eating Monsters in Golang", in C#. EnableDebugPprof in the
// project file serves /debug/pprof/ from start-up: nothing here sets it up.
using ProfilingKit;

namespace MemoryEater;

public static class Program
{
    public static void Main()
    {
        var url = DebugPprof.ProfilesUrl;
        if (url is null)
        {
            Console.WriteLine("The pprof endpoint is not running (see the line from ProfilingKit above).");
        }
        else
        {
            Console.WriteLine($"Profiles: {url}");
            Console.WriteLine($"Try:      go tool pprof -top {url}allocs");
            Console.WriteLine($"     or:  go tool pprof -http=127.0.0.1:8080 {url}allocs");
        }

        Console.WriteLine("Eating memory on a background thread; press Ctrl+C to stop.");
        var worker = new Thread(EatMemoryForever) { IsBackground = true, Name = "memory eater" };
        worker.Start();
        worker.Join();
    }

    private static void EatMemoryForever()
    {
        while (true)
        {
            MemoryIntensiveFunc();
            Thread.Sleep(100);
        }
    }

    /// <summary>Builds a string from integers, one concatenation at a time: each += copies the whole string.</summary>
    public static string MemoryIntensiveFunc()
    {
        var s = string.Empty;
        for (var i = 0; i < 10_000; i++)
        {
            s += i.ToString();
        }

        return s;
    }
}
