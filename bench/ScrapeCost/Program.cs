using ProfilingKit.Bench.ScrapeCost;

// "server PORT PPROF_PORT" serves /work with ProfilingKit's endpoint on PPROF_PORT; anything else
// ([--quick] [--throughout]) drives the benchmark.
return args switch
{
    ["server", var port, var pprofPort] => Server.Run(int.Parse(port), int.Parse(pprofPort)),
    _ => await Driver.RunAsync(args),
};
