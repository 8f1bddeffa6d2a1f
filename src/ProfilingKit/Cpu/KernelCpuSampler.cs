using System.Runtime.InteropServices;
using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Threads;
using ProfilingKit.Labels;

namespace ProfilingKit.Cpu;

/// <summary>
/// A true CPU sampler (Linux): the kernel samples each thread of this process every
/// <see cref="PeriodNanos"/> of the CPU time that thread consumes (perf_event_open, the software
/// task clock, user-space call chains by frame pointers: what <c>perf record -e task-clock -g</c>
/// does), so a sample stands for exactly that much CPU wherever it lands, and a sleeping thread is
/// never sampled. The runtime's SampleProfiler cannot do this: it stops every thread at a safe point
/// about every millisecond of wall time, so its samples of a thread that runs in short bursts fall
/// where the bursts meet its sleeps, and a thread stopped at the GC poll the suspension sends it to is
/// sampled there (measured in docs/benchmarks/cpu-profile.md).
/// </summary>
/// <remarks>
/// perf_event_paranoid 2 (the default) allows this for a process's own threads in user space. Where
/// the kernel or a container's seccomp profile refuses it, <see cref="TryStart"/> says why and the CPU
/// profile falls back to the runtime's sampler. Threads that start during the window are picked up
/// each time the buffers are read.
/// </remarks>
internal sealed unsafe partial class KernelCpuSampler : IDisposable
{
    /// <summary>One sample per millisecond of a thread's CPU time: Go samples at 100 Hz, but a short window needs more samples to split a thread's time within a few points.</summary>
    public const long PeriodNanos = 1_000_000;

    /// <summary>How often the buffers are drained and new threads looked for.</summary>
    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(20);

    // perf_event_open(2) and linux/perf_event.h.
    private const uint PerfTypeSoftware = 1;
    private const ulong PerfCountSwTaskClock = 1;
    private const ulong SampleTid = 1 << 1;
    private const ulong SampleTime = 1 << 2;
    private const ulong SampleCallchain = 1 << 5;
    private const ulong ExcludeKernel = 1 << 5;
    private const ulong ExcludeHv = 1 << 6;
    private const ulong ExcludeCallchainKernel = 1 << 21;
    private const ulong UseClockId = 1 << 25;
    private const int ClockMonotonic = 1; // Stopwatch's clock on Linux, so sample times and label timelines agree
    private const uint PerfRecordSample = 9;
    private const uint PerfRecordLost = 2;
    private const ulong PerfContextMax = unchecked((ulong)-4095); // call chain entries from here up mark contexts (user, kernel), not addresses
    private const int PerfFlagFdCloexec = 8;
    private const int AttributeSize = 112; // PERF_ATTR_SIZE_VER5
    private const int DataPages = 8; // 32 KB per thread: 20 ms of a busy thread's samples is a few KB; the buffers count against perf_event_mlock_kb and ulimit -l
    private const int NoSuchThread = 3; // ESRCH: the thread ended before it could be opened
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapShared = 1;

    private readonly Func<long, bool> _isProfilerThread;
    private readonly ProcTask _tasks;
    private readonly Dictionary<long, ThreadBuffer> _threads = new();
    private readonly HashSet<long> _refused = new();
    private readonly StackTable _stacks = new();
    private readonly Dictionary<(int Stack, long ThreadId, int Labels), long> _counts = new();
    private readonly ILabelTimeline? _timeline;
    private readonly LabelSets? _labels;
    private readonly ulong[] _stack = new ulong[StackTable.MaxDepth];
    private readonly int _pageSize = Environment.SystemPageSize;
    private long _sampleCount;
    private long _lostCount;
    private int _unsampledThreads;

    private KernelCpuSampler(ProcTask tasks, Func<long, bool> isProfilerThread, ILabelTimeline? timeline, LabelSets? labels)
    {
        _tasks = tasks;
        _isProfilerThread = isProfilerThread;
        _timeline = labels is null ? null : timeline;
        _labels = labels;
    }

    /// <summary>Samples lost because a buffer was full (the profile's values are short by that many periods).</summary>
    public long LostCount => _lostCount;

    /// <summary>
    /// Starts sampling every thread of the process <paramref name="tasks"/> lists (this one, or one attached from outside) but the profiler's own; null and why not where the kernel refuses.
    /// With <paramref name="timeline"/> (this process only) and <paramref name="labels"/>, each sample carries the labels its thread ran under when it was taken.
    /// </summary>
    public static KernelCpuSampler? TryStart(ProcTask tasks, Func<long, bool> isProfilerThread, out string? whyNot, ILabelTimeline? timeline = null, LabelSets? labels = null)
    {
        whyNot = null;
        if (!OperatingSystem.IsLinux() || SyscallNumber() is null)
        {
            whyNot = "the kernel CPU sampler needs Linux on x64 or arm64";
            return null;
        }

        var sampler = new KernelCpuSampler(tasks, isProfilerThread, timeline, labels);
        try
        {
            var errno = sampler.AddNewThreads(tasks.ThreadIds() ?? new HashSet<long>());
            if (sampler._threads.Count > 0) return sampler;

            whyNot = $"perf_event_open was refused (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}; see /proc/sys/kernel/perf_event_paranoid, or a container's seccomp profile)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            whyNot = "perf_event_open is not reachable: " + e.Message;
        }

        sampler.Dispose();
        return null;
    }

    /// <summary>Samples until <paramref name="window"/> has passed or <paramref name="cancel"/> fires, then stops.</summary>
    public void Run(TimeSpan window, CancellationToken cancel)
    {
        var end = DateTime.UtcNow + window;
        while (!cancel.IsCancellationRequested)
        {
            var left = end - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) break;
            if (cancel.WaitHandle.WaitOne(left < ReadInterval ? left : ReadInterval)) break;

            // Threads missing from the listing ended before it, so the drain after it has all their samples.
            var ids = _tasks.ThreadIds() ?? new HashSet<long>();
            Drain();
            ForgetEnded(ids);
            AddNewThreads(ids);
        }

        foreach (var thread in _threads.Values) thread.Disable();
        Drain();
    }

    /// <summary>What was sampled: each sample is worth <see cref="PeriodNanos"/> of its thread's CPU time.</summary>
    public ThreadSamples Result(TimeSpan duration)
    {
        var samples = _counts.Select(entry => new ThreadSample(_stacks[entry.Key.Stack], entry.Key.ThreadId, ThreadSampleKind.Managed, entry.Value, entry.Value * PeriodNanos) { Labels = _labels?.Of(entry.Key.Labels) ?? [] }).ToList();
        return new ThreadSamples(samples, _sampleCount, PeriodNanos, duration, ThreadCpuNanos: null, Sampler: CpuSampler.Kernel, LostSamples: _lostCount, UnsampledThreads: _unsampledThreads);
    }

    public void Dispose()
    {
        foreach (var thread in _threads.Values) thread.Dispose();
        _threads.Clear();
    }

    /// <returns>The errno of the last thread that could not be sampled, or 0.</returns>
    private int AddNewThreads(IReadOnlySet<long> ids)
    {
        var lastErrno = 0;
        foreach (var id in ids)
        {
            if (!_threads.ContainsKey(id) && !_refused.Contains(id) && !_isProfilerThread(id) && !TryOpen(id, out var errno)) lastErrno = errno;
        }

        return lastErrno;
    }

    private void ForgetEnded(IReadOnlySet<long> ids)
    {
        foreach (var id in _threads.Keys.Where(id => !ids.Contains(id)).ToList())
        {
            _threads.Remove(id, out var buffer);
            buffer!.Dispose();
            _refused.Add(id);
        }
    }

    private bool TryOpen(long threadId, out int errno)
    {
        var attribute = stackalloc byte[AttributeSize];
        new Span<byte>(attribute, AttributeSize).Clear();
        *(uint*)attribute = PerfTypeSoftware;
        *(uint*)(attribute + 4) = AttributeSize;
        *(ulong*)(attribute + 8) = PerfCountSwTaskClock;
        *(ulong*)(attribute + 16) = PeriodNanos;
        *(ulong*)(attribute + 24) = SampleTid | SampleTime | SampleCallchain;
        *(ulong*)(attribute + 40) = ExcludeKernel | ExcludeHv | ExcludeCallchainKernel | UseClockId;
        *(int*)(attribute + 92) = ClockMonotonic;
        *(uint*)(attribute + 48) = 1; // wakeup_events: unused, the buffers are polled

        var fd = (int)PerfEventOpen(SyscallNumber()!.Value, (nint)attribute, threadId, -1, -1, PerfFlagFdCloexec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (fd < 0)
        {
            _refused.Add(threadId);
            if (errno != NoSuchThread) _unsampledThreads++;
            return false;
        }

        var length = (nuint)((1 + DataPages) * _pageSize);
        var memory = Mmap(0, length, ProtRead | ProtWrite, MapShared, fd, 0);
        if (memory == -1)
        {
            errno = Marshal.GetLastPInvokeError();
            Close(fd);
            _refused.Add(threadId);
            _unsampledThreads++; // past the kernel's limit on locked perf buffers
            return false;
        }

        _threads[threadId] = new ThreadBuffer(fd, memory, length, _pageSize);
        return true;
    }

    private void Drain()
    {
        foreach (var buffer in _threads.Values) buffer.Read(OnRecord);
    }

    private void OnRecord(uint type, ReadOnlySpan<byte> body)
    {
        if (type == PerfRecordLost)
        {
            _lostCount += MemoryMarshal.Read<long>(body[8..]); // id, lost
            return;
        }

        if (type != PerfRecordSample) return;

        // pid, tid, time, then nr and nr call chain entries (leaf first, after a context marker).
        var threadId = MemoryMarshal.Read<uint>(body[4..]);
        var time = MemoryMarshal.Read<long>(body[8..]);
        var entries = MemoryMarshal.Cast<byte, ulong>(body[16..]);
        var count = (int)Math.Min(entries[0], (ulong)(entries.Length - 1));
        var depth = 0;
        foreach (var address in entries.Slice(1, count))
        {
            if (address >= PerfContextMax) continue;
            if (depth == _stack.Length) break;
            _stack[depth++] = address;
        }

        if (depth == 0) return;

        _sampleCount++;
        var labels = _timeline?.LabelSetAt(threadId, time) ?? 0;
        ref var samples = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, (_stacks.Intern(_stack.AsSpan(0, depth)), threadId, labels), out _);
        samples++;
    }

    private static long? SyscallNumber() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 298,
        Architecture.Arm64 => 241,
        _ => null,
    };

    /// <summary>One thread's event and its ring buffer: a metadata page, then the data pages.</summary>
    private sealed class ThreadBuffer : IDisposable
    {
        // struct perf_event_mmap_page: data_head, data_tail, data_offset, data_size.
        private const int DataHeadOffset = 1024;
        private const int DataTailOffset = 1032;

        private readonly int _fd;
        private readonly nint _memory;
        private readonly nuint _length;
        private readonly byte* _data;
        private readonly ulong _dataSize;
        private readonly byte[] _record = new byte[ushort.MaxValue];

        public ThreadBuffer(int fd, nint memory, nuint length, int pageSize)
        {
            _fd = fd;
            _memory = memory;
            _length = length;
            _data = (byte*)memory + pageSize;
            _dataSize = (ulong)(length - (nuint)pageSize);
        }

        public void Disable() => Ioctl(_fd, 0x2401, 0); // PERF_EVENT_IOC_DISABLE

        public void Read(RecordHandler onRecord)
        {
            var head = Volatile.Read(ref *(ulong*)((byte*)_memory + DataHeadOffset)); // acquire: the records before head are complete
            var tail = *(ulong*)((byte*)_memory + DataTailOffset);
            while (tail + 8 <= head)
            {
                var header = Copy(tail, 8);
                var size = MemoryMarshal.Read<ushort>(header[6..]);
                if (size < 8 || tail + size > head) break;

                onRecord(MemoryMarshal.Read<uint>(header), Copy(tail + 8, size - 8));
                tail += size;
            }

            Volatile.Write(ref *(ulong*)((byte*)_memory + DataTailOffset), tail); // release: the kernel may reuse what was read
        }

        public void Dispose()
        {
            Munmap(_memory, _length);
            Close(_fd);
        }

        /// <summary>Bytes of the ring at a position, copied out in one piece where they wrap around its end.</summary>
        private ReadOnlySpan<byte> Copy(ulong position, int count)
        {
            var start = (int)(position % _dataSize);
            var first = Math.Min(count, (int)_dataSize - start);
            new ReadOnlySpan<byte>(_data + start, first).CopyTo(_record);
            if (first < count) new ReadOnlySpan<byte>(_data, count - first).CopyTo(_record.AsSpan(first));
            return _record.AsSpan(0, count);
        }
    }

    private delegate void RecordHandler(uint type, ReadOnlySpan<byte> body);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long PerfEventOpen(long number, nint attribute, long threadId, int cpu, int groupFd, ulong flags);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, ulong request, nint argument);
}
