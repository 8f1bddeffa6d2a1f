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
    /// <param name="mainBinary">The name pprof shows as <c>File:</c>, usually the app's main assembly.</param>
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
        var location = new Location { Id = id, MappingId = _mapping.Id };
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
