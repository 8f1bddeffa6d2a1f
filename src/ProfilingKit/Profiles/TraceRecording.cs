using System.Collections.Concurrent;
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
    private readonly BlockingCollection<byte[]> _pending = new(MaxPendingBytes / ChunkBytes);
    private int _stopped;
    private volatile bool _abandoned;

    private TraceRecording(EventPipeSession session, ProfilerThreads threads)
    {
        _session = session;
        _threads = threads;
    }

    /// <exception cref="ProfilingUnavailableException">The session could not start; nothing was recorded.</exception>
    public static TraceRecording Start(RuntimeSessions sessions) => new(sessions.StartTrace(), sessions.Threads);

    /// <summary>Trace bytes that may wait for a slow client; a client further behind loses the rest of the trace.</summary>
    internal const int MaxPendingBytes = 16 << 20;

    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Copies the trace to <paramref name="output"/> for <paramref name="window"/> (or until
    /// <paramref name="cancel"/>), then stops the session and copies its rundown. The session's stream
    /// is read to its end whatever the client does: a runtime whose session output is not read blocks
    /// its other sessions (every profile) and cannot stop this one. So one thread reads the session
    /// and hands chunks to another that writes them; a client that goes away, or falls
    /// <see cref="MaxPendingBytes"/> behind, is abandoned and the rest is read and dropped.
    /// </summary>
    public void CopyTo(Stream output, TimeSpan window, CancellationToken cancel)
    {
        var reader = _threads.Start("ProfilingKit trace reader", ReadSession);
        var writer = _threads.Start("ProfilingKit trace writer", () => WriteChunks(output));
        cancel.WaitHandle.WaitOne(window);
        Stop();
        reader.Join(RuntimeSessions.DrainTimeout);
        writer.Join(RuntimeSessions.DrainTimeout);
    }

    private void ReadSession()
    {
        try
        {
            var stream = _session.EventStream;
            while (true)
            {
                var chunk = new byte[ChunkBytes];
                var read = stream.Read(chunk, 0, chunk.Length);
                if (read == 0) break;
                if (_abandoned) continue;
                if (!_pending.TryAdd(read == chunk.Length ? chunk : chunk[..read])) _abandoned = true; // the client fell too far behind
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The session's stream ended.
        }
        finally
        {
            _pending.CompleteAdding();
        }
    }

    private void WriteChunks(Stream output)
    {
        foreach (var chunk in _pending.GetConsumingEnumerable())
        {
            if (_abandoned) continue;
            try
            {
                output.Write(chunk);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
            {
                _abandoned = true; // the client went away or stopped reading; the session still ends with the window
            }
        }
    }

    public void Dispose()
    {
        Stop();
        _session.Dispose();
        _pending.Dispose();
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
