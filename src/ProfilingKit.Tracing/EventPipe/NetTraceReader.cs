using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ProfilingKit.EventPipe;

/// <summary>
/// A lean, streaming reader of the nettrace format (versions 4 and 5), the stream an EventPipe
/// session writes: metadata, stack and event blocks with header compression.
/// </summary>
/// <remarks>
/// It keeps only what decoding needs (metadata, the stacks of the current sequence-point region,
/// one block of bytes) and allocates nothing per event, so a process can read its own session
/// without the memory of a general trace reader. Format: microsoft/perfview
/// src/TraceEvent/EventPipe/NetTraceFormat_v5.md.
/// </remarks>
internal sealed class NetTraceReader
{
    private const byte NullReferenceTag = 1;
    private const byte BeginPrivateObjectTag = 5;
    private const byte EndObjectTag = 6;

    private readonly Stream _stream;
    private readonly INetTraceHandler _handler;
    private readonly Dictionary<int, EventMetadata> _metadata = new();
    private readonly Dictionary<int, (int Start, int Length)> _stacks = new();
    private readonly Dictionary<long, (int Sequence, long Timestamp)> _threads = new(); // each writing thread's last event
    private ulong[] _stackPool = new ulong[4096];
    private int _stackPoolUsed;
    private byte[] _block = new byte[64 * 1024];
    private long _position;

    public NetTraceReader(Stream stream, INetTraceHandler handler)
    {
        _stream = stream;
        _handler = handler;
    }

    /// <summary>The pointer size of the traced process, known once the trace header has been read.</summary>
    public int PointerSize { get; private set; } = 8;

    /// <summary>The process id the trace header names.</summary>
    public int ProcessId { get; private set; }

    /// <summary>QPC ticks per second of event timestamps.</summary>
    public long TimestampFrequency { get; private set; }

    /// <summary>The events the runtime dropped (its session buffer was full), by the gaps in each thread's sequence numbers.</summary>
    public long LostEvents { get; private set; }

    /// <summary>Reads the whole stream, calling the handler for each event, until the end-of-stream tag.</summary>
    /// <exception cref="NetTraceFormatException">The stream is malformed, of an unknown version, or cut short.</exception>
    public void Read()
    {
        ReadHeader();
        while (true)
        {
            var tag = ReadByte();
            if (tag == NullReferenceTag) return;
            if (tag != BeginPrivateObjectTag) throw new NetTraceFormatException($"Expected an object at offset {_position - 1}, found tag {tag}.");

            var (name, version) = ReadTypeObject();
            switch (name)
            {
                case "MetadataBlock":
                    ReadEventBlock(isMetadata: true);
                    break;
                case "EventBlock":
                    ReadEventBlock(isMetadata: false);
                    break;
                case "StackBlock":
                    ReadStackBlock();
                    break;
                case "SPBlock":
                    ReadSequencePoint();
                    _stacks.Clear();
                    _stackPoolUsed = 0;
                    break;
                default:
                    throw new NetTraceFormatException($"Unknown nettrace object '{name}' (version {version}).");
            }

            ExpectTag(EndObjectTag);
        }
    }

    private void ReadHeader()
    {
        Span<byte> magic = stackalloc byte[8];
        ReadExactly(magic);
        if (!magic.SequenceEqual("Nettrace"u8))
        {
            throw new NetTraceFormatException("The stream does not start with 'Nettrace': it is not a nettrace stream.");
        }

        var serializer = ReadString();
        if (serializer != "!FastSerialization.1")
        {
            throw new NetTraceFormatException($"Unknown serialization '{serializer}'.");
        }

        ExpectTag(BeginPrivateObjectTag);
        var (name, version) = ReadTypeObject();
        if (name != "Trace") throw new NetTraceFormatException($"Expected the Trace object, found '{name}'.");
        if (version is < 4 or > 5) throw new NetTraceFormatException($"Unsupported nettrace version {version}; versions 4 and 5 are supported.");

        Span<byte> fields = stackalloc byte[16 + 8 + 8 + 4 + 4 + 4 + 4];
        ReadExactly(fields);
        TimestampFrequency = BinaryPrimitives.ReadInt64LittleEndian(fields.Slice(24));
        PointerSize = BinaryPrimitives.ReadInt32LittleEndian(fields.Slice(32));
        ProcessId = BinaryPrimitives.ReadInt32LittleEndian(fields.Slice(36));
        ExpectTag(EndObjectTag);
    }

    private (string Name, int Version) ReadTypeObject()
    {
        ExpectTag(BeginPrivateObjectTag);
        ExpectTag(NullReferenceTag);
        Span<byte> versions = stackalloc byte[8];
        ReadExactly(versions);
        var version = BinaryPrimitives.ReadInt32LittleEndian(versions);
        var name = ReadString();
        ExpectTag(EndObjectTag);
        return (name, version);
    }

    private ReadOnlySpan<byte> ReadBlockBytes()
    {
        Span<byte> sizeBytes = stackalloc byte[4];
        ReadExactly(sizeBytes);
        var size = BinaryPrimitives.ReadInt32LittleEndian(sizeBytes);
        if (size < 0) throw new NetTraceFormatException($"Negative block size at offset {_position - 4}.");

        var padding = (int)((4 - (_position % 4)) % 4);
        if (padding > 0) ReadExactly(stackalloc byte[padding]);

        if (_block.Length < size) _block = new byte[Math.Max(size, _block.Length * 2)];
        var block = _block.AsSpan(0, size);
        ReadExactly(block);
        return block;
    }

    private void ReadStackBlock()
    {
        var block = ReadBlockBytes();
        var firstId = BinaryPrimitives.ReadInt32LittleEndian(block);
        var count = BinaryPrimitives.ReadInt32LittleEndian(block.Slice(4));
        var offset = 8;
        for (var i = 0; i < count; i++)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(block.Slice(offset));
            offset += 4;
            var frames = size / PointerSize;
            EnsureStackPool(frames);
            var bytes = block.Slice(offset, size);
            for (var f = 0; f < frames; f++)
            {
                _stackPool[_stackPoolUsed + f] = PointerSize == 8
                    ? BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(f * 8))
                    : BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(f * 4));
            }

            _stacks[firstId + i] = (_stackPoolUsed, frames);
            _stackPoolUsed += frames;
            offset += size;
        }
    }

    private void EnsureStackPool(int frames)
    {
        if (_stackPoolUsed + frames <= _stackPool.Length) return;
        Array.Resize(ref _stackPool, Math.Max(_stackPool.Length * 2, _stackPoolUsed + frames));
    }

    private void ReadEventBlock(bool isMetadata)
    {
        var block = ReadBlockBytes();
        var headerSize = BinaryPrimitives.ReadInt16LittleEndian(block);
        var flags = BinaryPrimitives.ReadInt16LittleEndian(block.Slice(2));
        if ((flags & 1) == 0)
        {
            // Every runtime since nettrace v4 compresses event headers; the plain layout is not worth carrying.
            throw new NetTraceFormatException("Event blocks without header compression are not supported.");
        }

        var offset = (int)headerSize;

        var header = default(EventHeader);
        while (offset < block.Length)
        {
            ReadCompressedHeader(block, ref offset, ref header);
            if (header.PayloadSize < 0 || offset + header.PayloadSize > block.Length)
            {
                throw new NetTraceFormatException($"An event's payload runs past the end of its block (offset {_position}).");
            }

            var payload = block.Slice(offset, header.PayloadSize);
            offset += header.PayloadSize;

            if (isMetadata)
            {
                AddMetadata(payload);
            }
            else
            {
                CountLost(header.CaptureThreadId, header.SequenceNumber - 1, header.Timestamp);
                _threads[header.CaptureThreadId] = (header.SequenceNumber, header.Timestamp);
                Dispatch(header, payload);
            }
        }
    }

    /// <summary>
    /// A sequence point (Timestamp, then each thread's id and last sequence number): every event before its
    /// timestamp has been written, and a thread whose number is past its last event's lost the ones between.
    /// </summary>
    private void ReadSequencePoint()
    {
        var block = ReadBlockBytes();
        var timestamp = BinaryPrimitives.ReadInt64LittleEndian(block);
        var count = BinaryPrimitives.ReadInt32LittleEndian(block.Slice(8));
        for (var i = 0; i < count && 12 + (i * 12) + 12 <= block.Length; i++)
        {
            var thread = BinaryPrimitives.ReadInt64LittleEndian(block.Slice(12 + (i * 12)));
            var sequence = BinaryPrimitives.ReadInt32LittleEndian(block.Slice(20 + (i * 12)));
            CountLost(thread, sequence, timestamp);
            _threads[thread] = (sequence, _threads.TryGetValue(thread, out var last) ? last.Timestamp : timestamp);
        }

        _handler.OnFlushed(timestamp);
    }

    /// <summary>A thread's events up to <paramref name="lastSequence"/> have come; those after its last one were lost, between its timestamp and <paramref name="timestamp"/>.</summary>
    private void CountLost(long thread, int lastSequence, long timestamp)
    {
        if (!_threads.TryGetValue(thread, out var last)) return;

        var lost = lastSequence - last.Sequence;
        if (lost <= 0) return; // none, or a recycled thread id that starts again

        LostEvents += lost;
        _handler.OnLost(lost, last.Timestamp, timestamp);
    }

    private void Dispatch(in EventHeader header, ReadOnlySpan<byte> payload)
    {
        if (!_metadata.TryGetValue(header.MetadataId, out var metadata)) return;

        var stack = ReadOnlySpan<ulong>.Empty;
        if (header.StackId != 0 && _stacks.TryGetValue(header.StackId, out var range))
        {
            stack = _stackPool.AsSpan(range.Start, range.Length);
        }

        // A sorted event: the writer has written every event of every thread that came before it.
        if (header.IsSorted) _handler.OnFlushed(header.Timestamp);
        _handler.OnEvent(new TraceEventRecord(metadata, PointerSize, header.ThreadId, header.Timestamp, stack, payload, header.ActivityId));
    }

    private void AddMetadata(ReadOnlySpan<byte> payload)
    {
        var id = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var offset = 4;
        var provider = ReadUtf16String(payload, ref offset);
        var eventId = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(offset));
        offset += 4;
        _ = ReadUtf16String(payload, ref offset); // event name: runtime events leave it empty
        offset += 8; // keywords
        var version = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(offset));
        _metadata[id] = new EventMetadata(id, provider, eventId, version);
    }

    private static string ReadUtf16String(ReadOnlySpan<byte> data, ref int offset)
    {
        var chars = MemoryMarshal.Cast<byte, char>(data.Slice(offset, (data.Length - offset) & ~1));
        var length = chars.IndexOf('\0');
        if (length < 0) throw new NetTraceFormatException("Unterminated string in event metadata.");
        offset += (length + 1) * 2;
        return new string(chars.Slice(0, length));
    }

    private static void ReadCompressedHeader(ReadOnlySpan<byte> block, ref int offset, ref EventHeader header)
    {
        var flags = block[offset++];
        if ((flags & 1) != 0) header.MetadataId = (int)ReadVarUInt32(block, ref offset);
        if ((flags & 2) != 0)
        {
            header.SequenceNumber += (int)ReadVarUInt32(block, ref offset);
            header.CaptureThreadId = (long)ReadVarUInt64(block, ref offset);
            header.ProcessorNumber = (int)ReadVarUInt32(block, ref offset);
        }

        if (header.MetadataId != 0) header.SequenceNumber++;
        if ((flags & 4) != 0) header.ThreadId = (long)ReadVarUInt64(block, ref offset);
        if ((flags & 8) != 0) header.StackId = (int)ReadVarUInt32(block, ref offset);
        header.Timestamp += (long)ReadVarUInt64(block, ref offset);
        if ((flags & 16) != 0)
        {
            header.ActivityId = new Guid(block.Slice(offset, 16));
            offset += 16;
        }

        if ((flags & 32) != 0) offset += 16; // related activity id
        header.IsSorted = (flags & 64) != 0;
        if ((flags & 128) != 0) header.PayloadSize = (int)ReadVarUInt32(block, ref offset);
    }

    private static uint ReadVarUInt32(ReadOnlySpan<byte> data, ref int offset) => (uint)ReadVarUInt64(data, ref offset);

    private static ulong ReadVarUInt64(ReadOnlySpan<byte> data, ref int offset)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            var b = data[offset++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
            if (shift > 63) throw new NetTraceFormatException("Malformed variable-length integer.");
        }
    }

    private string ReadString()
    {
        Span<byte> lengthBytes = stackalloc byte[4];
        ReadExactly(lengthBytes);
        var length = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
        if (length is < 0 or > 1024) throw new NetTraceFormatException($"Implausible string length {length} at offset {_position - 4}.");
        Span<byte> bytes = stackalloc byte[length];
        ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    private void ExpectTag(byte expected)
    {
        var tag = ReadByte();
        if (tag != expected) throw new NetTraceFormatException($"Expected tag {expected} at offset {_position - 1}, found {tag}.");
    }

    private byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        ReadExactly(one);
        return one[0];
    }

    private void ReadExactly(Span<byte> destination)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = _stream.Read(destination.Slice(read));
            if (n == 0) throw new NetTraceFormatException($"The stream ended early, at offset {_position + read}: the trace is truncated.", isTruncated: true);
            read += n;
        }

        _position += read;
    }

    private struct EventHeader
    {
        public int MetadataId;
        public int SequenceNumber;
        public long CaptureThreadId;
        public int ProcessorNumber;
        public long ThreadId;
        public int StackId;
        public long Timestamp;
        public int PayloadSize;

        /// <summary>The header's Sorted flag: no event of any thread with an earlier timestamp comes after this one.</summary>
        public bool IsSorted;

        /// <summary>The writing thread's activity id: ProfilingKit's labels travel in it (<see cref="Labels.LabelActivityIds"/>).</summary>
        public Guid ActivityId;
    }
}
