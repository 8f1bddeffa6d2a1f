using ProfilingKit.Bench;

// One binary, five roles: "workload MODE RATE AMOUNT" is one measured process; "cpu [--quick]" is the
// CPU profile's cost and accuracy, in this process; "contention [--quick]" drives the contention
// keyword's cost, starting "contention-workload MODE WARMUP TIMED" for each run; anything else
// (optionally --quick) drives the allocation overhead benchmark, starting this binary again for each run.
return args switch
{
    ["workload", ..] => Workload.Run(WorkloadArguments.Parse(args[1..])),
    ["cpu", ..] => CpuProfileBenchmark.Run(args[1..]),
    ["contention", ..] => ContentionOverheadBenchmark.Run(args[1..]),
    ["contention-workload", ..] => LockWorkload.Run(args[1..]),
    _ => Driver.Run(args),
};
