using ProfilingKit.Bench.ScrapeCost;

// "server PORT PPROF_PORT [labels]" serves /work with ProfilingKit's endpoint on PPROF_PORT (with "labels",
// every request under profile labels); anything else ([--quick] [--throughout] [--labels]) drives the benchmark.
return args switch
{
    ["server", var port, var pprofPort] => Server.Run(int.Parse(port), int.Parse(pprofPort), labels: false),
    ["server", var port, var pprofPort, "labels"] => Server.Run(int.Parse(port), int.Parse(pprofPort), labels: true),
    _ => await Driver.RunAsync(args),
};
