using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// Builds a <see cref="Profile"/> the way <c>go tool pprof</c> expects it: one string table with ""
/// at index 0, interned functions and locations with nonzero ids, and one fully symbolized mapping.
/// </summary>
/// <remarks>
/// Every profile gets Mapping id=1 with has_functions, has_filenames and has_line_numbers set, so
/// pprof neither asks the server's /symbol endpoint nor looks for a binary to symbolize locally;
/// has_inline_frames is set once a frame with inlined calls gives a Location several Lines.
/// Every Location has an address, as Go's do: the frame's native code address, or for a frame
/// that has none (a type in a heap snapshot, <c>[native code]</c>, a marker) a stable synthetic
/// one (<see cref="SyntheticAddress"/>); the mapping's memory_start and memory_limit cover them
/// all, so <c>-addresses</c> and <c>-granularity=addresses</c> tell call sites apart.
/// </remarks>
public sealed class ProfileBuilder
{
    private readonly Profile _profile = new();
    private readonly StringTableWriter _strings;
    private readonly Dictionary<FunctionKey, ulong> _functions = new();
    private readonly Dictionary<Frame, ulong> _locations = new();
    private readonly Mapping _mapping;
    private readonly int _valueCount;

    /// <summary>Creates a builder for samples with the given value types, in order.</summary>
    /// <param name="sampleTypes">The meaning of each value of a sample, such as alloc_objects/count.</param>
    /// <param name="mainBinary">
    /// The mapping's file: the main binary's full path, as Go writes it (pprof shows its file name as <c>File:</c>).
    /// pprof matches <c>-focus</c> and <c>-ignore</c> against it too, so a bare name like <c>MyCompany.Tests</c> would match namespace patterns.
    /// </param>
    public ProfileBuilder(IReadOnlyList<ValueTypeName> sampleTypes, string mainBinary)
    {
        if (sampleTypes is null) throw new ArgumentNullException(nameof(sampleTypes));
        if (sampleTypes.Count == 0) throw new ArgumentException("A profile needs at least one sample type.", nameof(sampleTypes));
        if (mainBinary is null) throw new ArgumentNullException(nameof(mainBinary));

        _strings = new StringTableWriter(_profile);
        foreach (var type in sampleTypes)
        {
            _profile.SampleType.Add(ToProto(type));
        }

        _valueCount = sampleTypes.Count;
        _mapping = new Mapping
        {
            Id = 1,
            Filename = Intern(mainBinary),
            HasFunctions = true,
            HasFilenames = true,
            HasLineNumbers = true,
        };
        _profile.Mapping.Add(_mapping);
    }

    /// <summary>The number of samples added so far.</summary>
    public int SampleCount => _profile.Sample.Count;

    /// <summary>Sets the period type and period, such as space/bytes and the sampling interval.</summary>
    public ProfileBuilder SetPeriod(ValueTypeName periodType, long period)
    {
        _profile.PeriodType = ToProto(periodType);
        _profile.Period = period;
        return this;
    }

    /// <summary>Names the sample type pprof shows when the user does not pick one.</summary>
    public ProfileBuilder SetDefaultSampleType(string type)
    {
        var found = false;
        foreach (var sampleType in _profile.SampleType)
        {
            found |= _profile.StringTable[(int)sampleType.Type] == type;
        }

        if (!found) throw new ArgumentException($"'{type}' is not one of this profile's sample types.", nameof(type));
        _profile.DefaultSampleType = Intern(type);
        return this;
    }

    /// <summary>Sets when the profile was taken.</summary>
    public ProfileBuilder SetTime(DateTimeOffset time)
    {
        _profile.TimeNanos = (time.UtcTicks - DateTimeOffset.FromUnixTimeMilliseconds(0).UtcTicks) * 100;
        return this;
    }

    /// <summary>Sets how long the profile covers.</summary>
    public ProfileBuilder SetDuration(TimeSpan duration)
    {
        _profile.DurationNanos = duration.Ticks * 100;
        return this;
    }

    /// <summary>Adds a free-text comment that pprof prints in its report header.</summary>
    public ProfileBuilder AddComment(string comment)
    {
        _profile.Comment.Add(Intern(comment));
        return this;
    }

    /// <summary>Adds one sample.</summary>
    /// <param name="stack">The frames, leaf first.</param>
    /// <param name="values">One value per sample type.</param>
    /// <param name="labels">Optional labels.</param>
    public void AddSample(IReadOnlyList<Frame> stack, IReadOnlyList<long> values, IReadOnlyList<SampleLabel>? labels = null)
    {
        if (stack is null) throw new ArgumentNullException(nameof(stack));
        if (values is null) throw new ArgumentNullException(nameof(values));
        if (values.Count != _valueCount)
        {
            throw new ArgumentException($"A sample needs {_valueCount} values, one per sample type; got {values.Count}.", nameof(values));
        }

        var sample = new Sample();
        foreach (var frame in stack)
        {
            sample.LocationId.Add(LocationFor(frame));
        }

        foreach (var value in values)
        {
            sample.Value.Add(value);
        }

        if (labels is not null)
        {
            foreach (var label in labels)
            {
                sample.Label.Add(label.Text is null
                    ? new Label { Key = Intern(label.Key), Num = label.Number, NumUnit = label.NumberUnit is null ? 0 : Intern(label.NumberUnit) }
                    : new Label { Key = Intern(label.Key), Str = Intern(label.Text) });
            }
        }

        _profile.Sample.Add(sample);
    }

    /// <summary>Returns the profile built so far. The builder must not be used afterwards.</summary>
    public Profile Build() => _profile;

    private ulong LocationFor(Frame frame)
    {
        if (_locations.TryGetValue(frame, out var id)) return id;

        id = (ulong)_profile.Location.Count + 1;
        var address = frame.Address != 0 ? frame.Address : SyntheticAddress(frame);
        var location = new Location { Id = id, MappingId = _mapping.Id, Address = address };
        Cover(address);
        foreach (var inlined in frame.InlinedFrames)
        {
            location.Line.Add(new Line { FunctionId = FunctionFor(inlined), Line_ = inlined.Line });
            _mapping.HasInlineFrames = true;
        }

        // The last Line is the function the others were inlined into (profile.proto).
        location.Line.Add(new Line { FunctionId = FunctionFor(frame), Line_ = frame.Line });
        _profile.Location.Add(location);
        _locations.Add(frame, id);
        return id;
    }

    /// <summary>Widens the mapping to hold <paramref name="address"/>: [memory_start, memory_limit) covers every Location.</summary>
    private void Cover(ulong address)
    {
        if (_profile.Location.Count == 0 || address < _mapping.MemoryStart) _mapping.MemoryStart = address;
        if (address >= _mapping.MemoryLimit) _mapping.MemoryLimit = address + 1;
    }

    /// <summary>
    /// The address of a frame that has no code address of its own: a hash of what the frame says
    /// (function, file, line, inlined calls), so the same frame gets the same address in every
    /// profile, from every process (a delta, a diff, pprof's own merge keep it one location). It
    /// lies in the upper half of the 64-bit space, where no user-mode code is (x64 and arm64 give
    /// user space the lower half), 16-byte aligned and short of the top, so it never equals a real
    /// address nor, plus one as Go's text forms print it, overflows.
    /// </summary>
    public static ulong SyntheticAddress(Frame frame)
    {
        const ulong offsetBasis = 14695981039346656037, prime = 1099511628211;
        var hash = offsetBasis;
        void Add(string? text)
        {
            foreach (var c in text ?? string.Empty) hash = (hash ^ c) * prime;
            hash = (hash ^ 0xFFFF) * prime; // a separator no char of a name is
        }

        Add(frame.FunctionName);
        Add(frame.FileName);
        Add(frame.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var inlined in frame.InlinedFrames)
        {
            Add(inlined.FunctionName);
            Add(inlined.FileName);
            Add(inlined.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return SyntheticBase | (hash & SyntheticMask);
    }

    /// <summary>True for an address <see cref="SyntheticAddress"/> makes: no code is there.</summary>
    public static bool IsSynthetic(ulong address) => (address & ~SyntheticMask) == SyntheticBase;

    private const ulong SyntheticBase = 0xFFFF_8000_0000_0000;
    private const ulong SyntheticMask = 0x0000_7FFF_FFFF_FFF0;

    private ulong FunctionFor(Frame frame)
    {
        var key = new FunctionKey(frame.FunctionName, frame.SystemName, frame.FileName);
        if (_functions.TryGetValue(key, out var id)) return id;

        id = (ulong)_profile.Function.Count + 1;
        _profile.Function.Add(new Function
        {
            Id = id,
            Name = Intern(frame.FunctionName),
            SystemName = Intern(KeepsItsName(frame.FunctionName) ? frame.FunctionName : frame.SystemName),
            Filename = frame.FileName is null ? 0 : Intern(frame.FileName),
        });
        _functions.Add(key, id);
        return id;
    }

    /// <summary>
    /// Whether pprof shows <paramref name="name"/> as it is when system_name equals it. pprof
    /// "demangles" local profiles: a function whose two names are equal and that looks like C++ to it
    /// (<c>&lt;</c>, <c>&gt;</c>, <c>[</c>, <c>]</c> or <c>::</c>, but not <c>.&lt;</c>) loses everything
    /// between matching <c>&lt;&gt;</c> and <c>()</c> (google/pprof internal/symbolizer,
    /// demangleFunctionNames): <c>Worker+&lt;ExecuteAsync&gt;d__2.MoveNext</c> shows as
    /// <c>Worker+d__2.MoveNext</c>. Such names get the frame's own system name, which pprof then
    /// leaves alone; every other function keeps system_name equal to its name, as Go's profiles do.
    /// </summary>
    private static bool KeepsItsName(string name) =>
        !(name.IndexOfAny(['<', '(']) >= 0
          && !name.Contains(".<")
          && (name.IndexOfAny(['<', '>', '[', ']']) >= 0 || name.Contains("::")));

    private Proto.ValueType ToProto(ValueTypeName type) => new() { Type = Intern(type.Type), Unit = Intern(type.Unit) };

    private long Intern(string value) => _strings.Intern(value);


    private readonly struct FunctionKey : IEquatable<FunctionKey>
    {
        public FunctionKey(string name, string systemName, string? fileName)
        {
            Name = name;
            SystemName = systemName;
            FileName = fileName;
        }

        public string Name { get; }

        public string SystemName { get; }

        public string? FileName { get; }

        public bool Equals(FunctionKey other) => Name == other.Name && SystemName == other.SystemName && FileName == other.FileName;

        public override bool Equals(object? obj) => obj is FunctionKey other && Equals(other);

        public override int GetHashCode() => (Name.GetHashCode() * 31 + SystemName.GetHashCode()) * 31 + (FileName?.GetHashCode() ?? 0);
    }
}
