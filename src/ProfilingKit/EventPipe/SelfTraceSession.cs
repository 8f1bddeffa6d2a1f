using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Diagnostics;

namespace ProfilingKit.EventPipe;

/// <summary>
/// An EventPipe session on the profiled process (this one, through its own diagnostic port, or one
/// attached from outside), read on a profiler thread by <see cref="NetTraceReader"/>.
/// </summary>
internal sealed class SelfTraceSession : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private int _stopped;

    private SelfTraceSession(EventPipeSession session, INetTraceHandler handler, ProfilerThreads threads, string threadName)
    {
        _session = session;
        _reader = threads.Start(threadName, () =>
        {
            try
            {
                new NetTraceReader(session.EventStream, handler).Read();
            }
            catch (Exception e) when (Volatile.Read(ref _stopped) == 0)
            {
                ReaderError = e;
                ProfilingKitLog.Error($"{threadName} stopped reading its EventPipe session: {e.GetType().Name}: {e.Message}");
            }
            catch (Exception)
            {
                // Stopping closes the stream under the reader; that is how reading ends.
            }
        });
    }

    /// <summary>Why reading stopped early, if it did.</summary>
    public Exception? ReaderError { get; private set; }

    /// <summary>Starts a session on the process of <paramref name="client"/>.</summary>
    /// <exception cref="Exception">The diagnostic port is disabled or refused the session.</exception>
    public static SelfTraceSession Start(
        DiagnosticsClient client,
        IReadOnlyCollection<EventPipeProvider> providers,
        bool requestRundown,
        int bufferMegabytes,
        INetTraceHandler handler,
        ProfilerThreads threads,
        string threadName)
    {
        var session = client.StartEventPipeSession(providers, requestRundown, bufferMegabytes);
        return new SelfTraceSession(session, handler, threads, threadName);
    }

    /// <summary>Stops the session and waits for the reader to see the end of the stream (rundown included).</summary>
    public bool StopAndDrain(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            try
            {
                _session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or IOException or TimeoutException)
            {
                // The runtime is going away or the session already ended; the reader ends with the stream.
            }
        }

        return _reader.Join(timeout);
    }

    public void Dispose()
    {
        StopAndDrain(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }
}
