using ProfilingKit.Bench;

// One binary, two roles: "workload MODE RATE AMOUNT" is one measured process; anything else
// (optionally --quick) drives the whole benchmark, starting this binary again for each run.
return args is ["workload", ..]
    ? Workload.Run(WorkloadArguments.Parse(args[1..]))
    : Driver.Run(args);
