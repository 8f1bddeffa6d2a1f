using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Profiles;

/// <summary>
/// A raw <c>.nettrace</c> being recorded (<see cref="SessionProviders.Trace"/>, with a rundown at the
/// end so PerfView and <c>dotnet-trace convert</c> can name every method): started first, so a
/// session that cannot start is an error before anything is sent, then copied out as it comes.
/// Disposing stops the session, whether or not it was copied.
/// </summary>
internal sealed class TraceRecording : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly ProfilerThreads _threads;
    private int _stopped;

    private TraceRecording(EventPipeSession session, ProfilerThreads threads)
    {
        _session = session;
        _threads = threads;
    }

    /// <exception cref="ProfilingUnavailableException">The session could not start; nothing was recorded.</exception>
    public static TraceRecording Start(RuntimeSessions sessions) => new(sessions.StartTrace(), sessions.Threads);

    /// <summary>
    /// Copies the trace to <paramref name="output"/> for <paramref name="window"/> (or until
    /// <paramref name="cancel"/>), then stops the session and copies its rundown. A client that goes
    /// away ends the copy, not the window.
    /// </summary>
    public void CopyTo(Stream output, TimeSpan window, CancellationToken cancel)
    {
        var copier = _threads.Start("ProfilingKit trace writer", () =>
        {
            try
            {
                _session.EventStream.CopyTo(output);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away; the session still ends with the window.
            }
        });
        cancel.WaitHandle.WaitOne(window);
        Stop();
        copier.Join(RuntimeSessions.DrainTimeout);
    }

    public void Dispose()
    {
        Stop();
        _session.Dispose();
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;

        try
        {
            _session.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or IOException or TimeoutException)
        {
            // The session already ended; the copy ends with the stream.
        }
    }
}
