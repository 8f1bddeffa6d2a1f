namespace AnalyzerBench;

/// <summary>A method template and how often it is drawn relative to the others of its pool.</summary>
public sealed record Template(int Weight, string Text);

/// <summary>
/// The code the corpus is made of. Tokens: @E the entity type, @P its plural (namespace), @n the
/// method's number in its class (keeps names unique), @K the class kind.
/// </summary>
public static class Templates
{
    public const string Infrastructure = """
        // Benchmark corpus written by bench/analyzers/tool (deterministic); not ProfilingKit code.
        using System.Globalization;
        using System.Text;

        namespace Corpus.Infrastructure;

        /// <summary>Marks a member as performance-critical (ProfilingKit treats it as a hot place).</summary>
        [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Struct)]
        public sealed class HotPathAttribute : Attribute
        {
        }

        public enum LogLevel
        {
            Trace,
            Debug,
            Info,
            Warning,
            Error,
        }

        public static class Log
        {
            private static readonly object Gate = new();
            private static readonly List<string> Lines = new();

            public static LogLevel MinimumLevel { get; set; } = LogLevel.Info;

            public static int Count
            {
                get
                {
                    lock (Gate) return Lines.Count;
                }
            }

            public static void Info(string format, params object[] args) => Write(LogLevel.Info, format, args);

            public static void Warn(string format, params object[] args) => Write(LogLevel.Warning, format, args);

            public static void Error(Exception exception, string message) => Write(LogLevel.Error, "{0}: {1}", message, exception.Message);

            public static void Write(LogLevel level, string format, params object[] args)
            {
                if (level < MinimumLevel) return;
                var line = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) + " " + level + " " + string.Format(CultureInfo.InvariantCulture, format, args);
                lock (Gate)
                {
                    if (Lines.Count > 10_000) Lines.RemoveRange(0, 5_000);
                    Lines.Add(line);
                }
            }
        }

        public static class Metrics
        {
            private static readonly Dictionary<string, double> Sums = new(StringComparer.Ordinal);

            public static void Record(string name, params double[] values)
            {
                double sum = 0;
                foreach (var value in values) sum += value;
                lock (Sums) Sums[name] = Sums.TryGetValue(name, out var current) ? current + sum : sum;
            }

            public static double Get(string name)
            {
                lock (Sums) return Sums.TryGetValue(name, out var value) ? value : 0;
            }
        }

        public readonly record struct Money(decimal Amount, string Currency)
        {
            public static Money Zero(string currency) => new(0m, currency);

            public Money Add(Money other)
            {
                if (!string.Equals(Currency, other.Currency, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Cannot add {other.Currency} to {Currency}.");
                }

                return new Money(Amount + other.Amount, Currency);
            }

            public override string ToString() => Amount.ToString("F2", CultureInfo.InvariantCulture) + " " + Currency;
        }

        public interface IEntity
        {
            int Id { get; }

            string Name { get; }
        }

        public sealed class PagedResult<T>
        {
            public PagedResult(IReadOnlyList<T> items, int page, int pageSize, int total)
            {
                Items = items;
                Page = page;
                PageSize = pageSize;
                Total = total;
            }

            public IReadOnlyList<T> Items { get; }

            public int Page { get; }

            public int PageSize { get; }

            public int Total { get; }

            public int PageCount => PageSize == 0 ? 0 : (Total + PageSize - 1) / PageSize;
        }

        public static class Text
        {
            public static string Truncate(string value, int maxLength) =>
                value.Length <= maxLength ? value : value.Substring(0, maxLength);

            public static string Csv(params string[] fields)
            {
                var sb = new StringBuilder();
                for (var i = 0; i < fields.Length; i++)
                {
                    if (i > 0) sb.Append(',');
                    var field = fields[i];
                    if (field.Contains(',') || field.Contains('"'))
                    {
                        sb.Append('"').Append(field.Replace("\"", "\"\"")).Append('"');
                    }
                    else
                    {
                        sb.Append(field);
                    }
                }

                return sb.ToString();
            }
        }

        """;

    public const string Model = """
        namespace Corpus.@P;

        public enum @EStatus
        {
            Draft,
            Active,
            Suspended,
            Closed,
        }

        public sealed class @E : IEntity
        {
            public int Id { get; set; }

            public string Name { get; set; } = "";

            public string Code { get; set; } = "";

            public string? Description { get; set; }

            public decimal Amount { get; set; }

            public int Quantity { get; set; }

            public double Score { get; set; }

            public string Currency { get; set; } = "EUR";

            public DateTime CreatedAt { get; set; }

            public DateTime? UpdatedAt { get; set; }

            public @EStatus Status { get; set; }

            public List<string> Tags { get; } = new();

            public Dictionary<string, string> Attributes { get; } = new(StringComparer.OrdinalIgnoreCase);

            public List<@ELine> Lines { get; } = new();

            public bool IsOpen => Status is @EStatus.Draft or @EStatus.Active;

            public Money Total => new(Amount * Quantity, Currency);

            public override string ToString() => $"@E#{Id} {Name}";
        }

        public readonly record struct @ELine(int Sku, int Quantity, decimal UnitPrice)
        {
            public decimal Total => Quantity * UnitPrice;
        }

        public readonly record struct @EKey(int Id, int Version);

        public sealed record @EDto(int Id, string Name, decimal Amount, string Status, DateTime CreatedAt);

        public sealed class @EOptions
        {
            public const string SectionName = "@P";

            public int PageSize { get; set; } = 50;

            public int MaxPageSize { get; set; } = 500;

            public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

            public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

            public int RetryCount { get; set; } = 3;

            public bool EnableNotifications { get; set; } = true;

            public string DefaultCurrency { get; set; } = "EUR";

            public decimal TaxRate { get; set; } = 0.2m;

            public IList<string> AllowedTags { get; set; } = new List<string> { "new", "priority", "archived" };

            public void Validate()
            {
                if (PageSize <= 0 || PageSize > MaxPageSize)
                {
                    throw new InvalidOperationException($"@P:PageSize must be between 1 and {MaxPageSize}.");
                }

                if (RetryCount < 0)
                {
                    throw new InvalidOperationException("@P:RetryCount must not be negative.");
                }

                if (string.IsNullOrWhiteSpace(DefaultCurrency) || DefaultCurrency.Length != 3)
                {
                    throw new InvalidOperationException("@P:DefaultCurrency must be an ISO 4217 code.");
                }
            }
        }

        """;

    public const string ClassHeader = """
        namespace Corpus.@P;

        public sealed class @E@K
        {
            private readonly List<@E> _items = new();
            private readonly Dictionary<int, @E> _byId = new();
            private readonly object _gate = new();
            private readonly @EOptions _options;
            private int _version;
            private string _lastMessage = "";

            public @E@K(@EOptions options)
            {
                ArgumentNullException.ThrowIfNull(options);
                options.Validate();
                _options = options;
            }

            public int Version => _version;

            public string LastMessage => _lastMessage;

            public int Count
            {
                get
                {
                    lock (_gate) return _items.Count;
                }
            }

            public void Add(@E item)
            {
                ArgumentNullException.ThrowIfNull(item);
                lock (_gate)
                {
                    _items.Add(item);
                    _byId[item.Id] = item;
                    _version++;
                }
            }

            public PagedResult<@E> Page(int page)
            {
                var size = Math.Clamp(_options.PageSize, 1, _options.MaxPageSize);
                lock (_gate)
                {
                    var items = _items.Skip(page * size).Take(size).ToList();
                    return new PagedResult<@E>(items, page, size, _items.Count);
                }
            }

        """;

    /// <summary>Straight-line code: most of an application.</summary>
    public static readonly Template[] Cold =
    [
        new(3, """
            public bool IsValid@n(@E item, out string error)
            {
                if (item is null)
                {
                    error = "item is required";
                    return false;
                }

                if (string.IsNullOrWhiteSpace(item.Name))
                {
                    error = "Name is required";
                    return false;
                }

                if (item.Amount < 0m)
                {
                    error = $"Amount must not be negative, was {item.Amount}";
                    return false;
                }

                if (item.Quantity > 10_000)
                {
                    error = "Quantity is too large: " + item.Quantity;
                    return false;
                }

                if (item.CreatedAt > DateTime.UtcNow.AddMinutes(5))
                {
                    error = "CreatedAt is in the future";
                    return false;
                }

                error = "";
                return true;
            }
            """),
        new(2, """
            public static string Describe@n(@EStatus status) => status switch
            {
                @EStatus.Draft => "draft",
                @EStatus.Active => "active",
                @EStatus.Suspended => "suspended",
                @EStatus.Closed => "closed",
                _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
            };
            """),
        new(3, """
            public @E Create@n(int id, string name, decimal amount)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(id);
                ArgumentException.ThrowIfNullOrEmpty(name);
                var item = new @E
                {
                    Id = id,
                    Name = name.Trim(),
                    Code = name.Length > 3 ? name.Substring(0, 3).ToUpperInvariant() : name.ToUpperInvariant(),
                    Amount = Math.Round(amount, 2),
                    Currency = _options.DefaultCurrency,
                    CreatedAt = DateTime.UtcNow,
                    Status = @EStatus.Draft,
                };
                item.Tags.Add("new");
                Add(item);
                return item;
            }
            """),
        new(3, """
            public bool TryUpdate@n(@E item, string? name, decimal? amount, @EStatus? status)
            {
                var changed = false;
                if (name is not null && name != item.Name)
                {
                    item.Name = name;
                    changed = true;
                }

                if (amount is { } newAmount && newAmount != item.Amount)
                {
                    item.Amount = newAmount;
                    changed = true;
                }

                if (status is { } newStatus && newStatus != item.Status)
                {
                    item.Status = newStatus;
                    changed = true;
                }

                if (changed)
                {
                    item.UpdatedAt = DateTime.UtcNow;
                    _version++;
                }

                return changed;
            }
            """),
        new(3, """
            public decimal ComputeTotal@n(@E item, decimal discount)
            {
                var subtotal = item.Amount * item.Quantity;
                var discounted = subtotal - Math.Min(discount, subtotal);
                var tax = Math.Round(discounted * _options.TaxRate, 2, MidpointRounding.AwayFromZero);
                return discounted + tax;
            }
            """),
        new(2, """
            public async Task<@E?> LoadAsync@n(int id, CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                lock (_gate)
                {
                    return _byId.TryGetValue(id, out var item) ? item : null;
                }
            }
            """),
        new(2, """
            public void Audit@n(@E item, string action)
            {
                Log.Info("{0} {1} by {2} at {3}", action, item.Id, Environment.UserName, DateTime.UtcNow);
                _lastMessage = string.Format(CultureInfo.InvariantCulture, "{0}:{1}", action, item.Id);
            }
            """),
        new(2, """
            public static bool SameIdentity@n(@E left, @E right) =>
                left.Id == right.Id && string.Equals(left.Code, right.Code, StringComparison.OrdinalIgnoreCase);
            """),
        new(2, """
            public static @EDto ToDto@n(@E item) =>
                new(item.Id, item.Name, item.Amount, item.Status.ToString(), item.CreatedAt);

            public static @E FromDto@n(@EDto dto) => new()
            {
                Id = dto.Id,
                Name = dto.Name,
                Amount = dto.Amount,
                Status = Enum.TryParse<@EStatus>(dto.Status, ignoreCase: true, out var status) ? status : @EStatus.Draft,
                CreatedAt = dto.CreatedAt,
            };
            """),
        new(2, """
            public bool TryParseAmount@n(string text, out decimal amount)
            {
                try
                {
                    amount = decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
                    return true;
                }
                catch (FormatException ex)
                {
                    _lastMessage = "bad amount '" + text + "': " + ex.Message;
                    amount = 0m;
                    return false;
                }
            }
            """),
        new(3, """
            public IReadOnlyList<@E> ActiveByName@n()
            {
                lock (_gate)
                {
                    return _items
                        .Where(i => i.Status == @EStatus.Active)
                        .OrderBy(i => i.Name, StringComparer.Ordinal)
                        .ToList();
                }
            }
            """),
        new(3, """
            public @E? FindByCode@n(string code)
            {
                var normalized = code.Trim().ToUpperInvariant();
                lock (_gate)
                {
                    return _items.FirstOrDefault(i => i.Code == normalized);
                }
            }
            """),
        new(2, """
            public @E GetOrAdd@n(int id, Func<int, @E> factory)
            {
                lock (_gate)
                {
                    if (!_byId.TryGetValue(id, out var item))
                    {
                        item = factory(id);
                        _byId[id] = item;
                        _items.Add(item);
                        _version++;
                    }

                    return item;
                }
            }
            """),
        new(2, """
            public TimeSpan Refresh@n()
            {
                var started = DateTime.UtcNow;
                lock (_gate)
                {
                    _items.Sort((a, b) => a.Id.CompareTo(b.Id));
                    _version++;
                }

                var elapsed = DateTime.UtcNow - started;
                _lastMessage = "refreshed in " + elapsed.TotalMilliseconds + " ms";
                return elapsed;
            }
            """),
        new(2, """
            public string Summary@n(@E item)
            {
                var status = item.IsOpen ? "open" : "closed";
                var description = item.Description ?? "(no description)";
                return $"{item.Code} {item.Name}: {item.Amount:F2} {item.Currency}, {status}, {description}";
            }
            """),
        new(2, """
            public @E Clone@n(@E source, int newId)
            {
                var copy = new @E
                {
                    Id = newId,
                    Name = source.Name,
                    Code = source.Code,
                    Description = source.Description,
                    Amount = source.Amount,
                    Quantity = source.Quantity,
                    Score = source.Score,
                    Currency = source.Currency,
                    CreatedAt = DateTime.UtcNow,
                    Status = @EStatus.Draft,
                };
                copy.Tags.AddRange(source.Tags);
                copy.Lines.AddRange(source.Lines);
                return copy;
            }
            """),
        new(2, """
            public bool Transition@n(@E item, @EStatus target)
            {
                var allowed = (item.Status, target) switch
                {
                    (@EStatus.Draft, @EStatus.Active) => true,
                    (@EStatus.Active, @EStatus.Suspended) => true,
                    (@EStatus.Suspended, @EStatus.Active) => true,
                    (_, @EStatus.Closed) => item.Status != @EStatus.Closed,
                    _ => false,
                };
                if (!allowed)
                {
                    Log.Warn("rejected transition of {0} from {1} to {2}", item.Id, item.Status, target);
                    return false;
                }

                item.Status = target;
                item.UpdatedAt = DateTime.UtcNow;
                return true;
            }
            """),
        new(1, """
            public IEnumerable<(string Tag, int Count)> TopTags@n(int take)
            {
                lock (_gate)
                {
                    return _items
                        .SelectMany(i => i.Tags)
                        .GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
                        .Select(g => (g.Key, g.Count()))
                        .OrderByDescending(t => t.Item2)
                        .Take(take)
                        .ToArray();
                }
            }
            """),
        new(1, """
            public async Task<bool> SaveWithRetryAsync@n(@E item, Func<@E, CancellationToken, Task> save, CancellationToken cancellationToken)
            {
                try
                {
                    await save(item, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (OperationCanceledException)
                {
                    throw;
                }
                catch (IOException ex)
                {
                    Log.Error(ex, "save of " + item.Id + " failed");
                    await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
                    await save(item, cancellationToken).ConfigureAwait(false);
                    return true;
                }
            }
            """),
    ];

    /// <summary>Methods with loops (for, foreach, while, do): syntactically hot code.</summary>
    public static readonly Template[] Loops =
    [
        new(3, """
            public string JoinNames@n(IEnumerable<@E> items)
            {
                var result = "";
                foreach (var item in items)
                {
                    if (result.Length > 0) result += ", ";
                    result += item.Name;
                }

                return result;
            }
            """),
        new(3, """
            public string RenderCsv@n(IReadOnlyList<@E> items)
            {
                var sb = new StringBuilder();
                sb.AppendLine("Id;Name;Amount;Status");
                for (var i = 0; i < items.Count; i++)
                {
                    var item = items[i];
                    sb.Append(item.Id.ToString(CultureInfo.InvariantCulture));
                    sb.Append(';');
                    sb.Append(item.Name + ";");
                    sb.Append(item.Amount.ToString("F2", CultureInfo.InvariantCulture));
                    sb.Append(';').Append(item.Status).AppendLine();
                }

                return sb.ToString();
            }
            """),
        new(3, """
            public string RenderCompact@n(List<@E> items)
            {
                var sb = new StringBuilder(items.Count * 32);
                foreach (var item in items)
                {
                    sb.Append($"{item.Id}:{item.Code}|");
                }

                if (sb.Length > 0) sb.Length--;
                return sb.ToString();
            }
            """),
        new(2, """
            public Dictionary<string, decimal> TotalsByTag@n(List<@E> items)
            {
                var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
                foreach (var item in items)
                {
                    foreach (var tag in item.Tags.Where(t => t.Length > 0).Distinct())
                    {
                        totals[tag] = totals.TryGetValue(tag, out var sum) ? sum + item.Amount : item.Amount;
                    }
                }

                return totals;
            }
            """),
        new(3, """
            public int CountMatches@n(IReadOnlyList<string> codes)
            {
                var count = 0;
                lock (_gate)
                {
                    for (var i = 0; i < codes.Count; i++)
                    {
                        var code = codes[i];
                        if (_items.Exists(x => x.Code == code)) count++;
                    }
                }

                return count;
            }
            """),
        new(2, """
            public List<object> Flatten@n(List<@E> items)
            {
                var values = new List<object>(items.Count * 3);
                foreach (var item in items)
                {
                    values.Add(item.Id);
                    values.Add(item.Amount);
                    values.Add(item.Status);
                }

                return values;
            }
            """),
        new(3, """
            public void LogAll@n(List<@E> items)
            {
                foreach (var item in items)
                {
                    Log.Info("{0} {1} {2}", item.Id, item.Name, item.Amount);
                }
            }
            """),
        new(2, """
            public int CountDistinctTags@n(List<@E> items)
            {
                var total = 0;
                foreach (var item in items)
                {
                    var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var tag in item.Tags) seen.Add(tag);
                    total += seen.Count;
                }

                return total;
            }
            """),
        new(3, """
            public List<@E> ParseLines@n(IReadOnlyList<string> lines)
            {
                var result = new List<@E>(lines.Count);
                for (var i = 1; i < lines.Count; i++)
                {
                    var parts = lines[i].Split(';');
                    if (parts.Length < 3) continue;
                    var item = new @E
                    {
                        Id = int.Parse(parts[0], CultureInfo.InvariantCulture),
                        Name = parts[1].Trim(),
                        Code = parts[1].Length >= 3 ? parts[1].Substring(0, 3) : parts[1],
                        Amount = decimal.Parse(parts[2], CultureInfo.InvariantCulture),
                        CreatedAt = DateTime.UtcNow,
                    };
                    result.Add(item);
                }

                return result;
            }
            """),
        new(1, """
            public decimal SumActive@n(IEnumerable<@E> items)
            {
                decimal sum = 0m;
                var active = items.Where(i => i.Status == @EStatus.Active);
                for (var i = 0; i < active.ToList().Count; i++)
                {
                    sum += active.ElementAt(i).Amount;
                }

                return sum;
            }
            """),
        new(3, """
            public int Drain@n(Queue<@E> queue, int budget)
            {
                var processed = 0;
                while (queue.Count > 0 && processed < budget)
                {
                    var item = queue.Dequeue();
                    item.Status = @EStatus.Closed;
                    item.UpdatedAt = DateTime.UtcNow;
                    processed++;
                }

                return processed;
            }
            """),
        new(1, """
            public bool WaitForActive@n(@E item, TimeSpan timeout)
            {
                var start = DateTime.Now;
                do
                {
                    if (item.Status == @EStatus.Active) return true;
                    Thread.SpinWait(10);
                }
                while (DateTime.Now - start < timeout);
                return false;
            }
            """),
        new(3, """
            public double[] MovingAverage@n(IReadOnlyList<@E> items, int window)
            {
                var result = new double[Math.Max(0, items.Count - window + 1)];
                for (var i = 0; i < result.Length; i++)
                {
                    double sum = 0;
                    for (var j = 0; j < window; j++)
                    {
                        sum += items[i + j].Score;
                    }

                    result[i] = sum / window;
                }

                return result;
            }
            """),
        new(2, """
            public string DescribeAttributes@n(@E item)
            {
                var parts = new List<string>(item.Attributes.Count);
                foreach (var pair in item.Attributes)
                {
                    parts.Add(string.Concat(pair.Key, "=", pair.Value));
                }

                return string.Join("; ", parts);
            }
            """),
        new(2, """
            public int CountLines@n(IEnumerable<@E> items)
            {
                var count = 0;
                foreach (var item in items)
                {
                    IEnumerable<@ELine> lines = item.Lines;
                    foreach (var line in lines)
                    {
                        count += line.Quantity;
                    }
                }

                return count;
            }
            """),
        new(2, """
            public void SortLines@n(List<@E> items, bool descending)
            {
                foreach (var item in items)
                {
                    item.Lines.Sort((a, b) => descending ? b.Total.CompareTo(a.Total) : a.Total.CompareTo(b.Total));
                }
            }
            """),
        new(1, """
            public int CountKeyChanges@n(IReadOnlyList<@EKey> keys)
            {
                var changes = 0;
                for (var i = 1; i < keys.Count; i++)
                {
                    object previous = keys[i - 1];
                    if (!previous.Equals(keys[i])) changes++;
                }

                return changes;
            }
            """),
        new(2, """
            public IEnumerable<List<@E>> Batch@n(IEnumerable<@E> source, int size)
            {
                var batch = new List<@E>(size);
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count == size)
                    {
                        yield return batch;
                        batch = new List<@E>(size);
                    }
                }

                if (batch.Count > 0) yield return batch;
            }
            """),
        new(3, """
            public decimal GrandTotal@n(List<@E> items)
            {
                decimal total = 0;
                foreach (var item in items)
                {
                    foreach (var line in item.Lines)
                    {
                        total += line.Total;
                    }
                }

                return total;
            }
            """),
        new(1, """
            public string BuildPath@n(IReadOnlyList<string> segments)
            {
                var path = "/";
                for (var i = 0; i < segments.Count; i++)
                {
                    path = $"{path}{segments[i]}/";
                }

                return path;
            }
            """),
        new(2, """
            public async Task<int> SaveAllAsync@n(IReadOnlyList<@E> items, Func<@E, CancellationToken, Task<bool>> save, CancellationToken cancellationToken)
            {
                var saved = 0;
                foreach (var item in items)
                {
                    if (await save(item, cancellationToken).ConfigureAwait(false)) saved++;
                }

                _lastMessage = $"saved {saved} of {items.Count}";
                return saved;
            }
            """),
        new(2, """
            public string FirstLongName@n(List<@E> items)
            {
                var label = "none";
                foreach (var item in items)
                {
                    if (item.Name.Length > 10)
                    {
                        label = "long: " + item.Name;
                        break;
                    }
                }

                return label;
            }
            """),
        new(2, """
            public Dictionary<@EStatus, List<@E>> GroupByStatus@n(IReadOnlyList<@E> items)
            {
                var groups = new Dictionary<@EStatus, List<@E>>();
                foreach (var item in items)
                {
                    if (!groups.TryGetValue(item.Status, out var list))
                    {
                        list = new List<@E>();
                        groups.Add(item.Status, list);
                    }

                    list.Add(item);
                }

                return groups;
            }
            """),
        new(2, """
            public List<string> ExpiredCodes@n(DateTime now, TimeSpan maxAge)
            {
                var expired = new List<string>();
                lock (_gate)
                {
                    foreach (var item in _items)
                    {
                        if (now - item.CreatedAt > maxAge && item.IsOpen)
                        {
                            expired.Add(item.Code);
                        }
                    }
                }

                return expired;
            }
            """),
        new(2, """
            public int ApplyDiscounts@n(IList<@E> items, decimal percent)
            {
                var changed = 0;
                foreach (var item in items)
                {
                    var eligible = item.Lines.Where(l => l.Quantity > 1).Select(l => l.Sku).ToArray();
                    if (eligible.Length == 0) continue;
                    item.Amount -= item.Amount * percent / 100m;
                    item.Attributes["discounted-skus"] = string.Join(",", eligible);
                    changed++;
                }

                return changed;
            }
            """),
        new(1, """
            public string Report@n(List<@E> items)
            {
                var sb = new StringBuilder();
                foreach (var item in items)
                {
                    sb.Append(string.Format(CultureInfo.InvariantCulture, "{0,-8}{1,-30}{2,12:F2}", item.Id, item.Name, item.Amount));
                    sb.AppendLine();
                    if (item.Description is { Length: > 0 } description)
                    {
                        sb.Append("    ").Append(description.Substring(0, Math.Min(60, description.Length))).AppendLine();
                    }
                }

                return sb.ToString();
            }
            """),
        new(1, """
            public ArrayList Legacy@n(List<@E> items)
            {
                var list = new ArrayList();
                foreach (var item in items)
                {
                    list.Add(item.Quantity);
                    list.Add(item.Name);
                }

                return list;
            }
            """),
        new(1, """
            public int Reconcile@n(IReadOnlyList<@E> incoming)
            {
                var updated = 0;
                lock (_gate)
                {
                    foreach (var item in incoming)
                    {
                        var existing = _items.Find(i => i.Id == item.Id);
                        if (existing is null)
                        {
                            _items.Add(item);
                            _byId[item.Id] = item;
                        }
                        else if (existing.Amount != item.Amount)
                        {
                            existing.Amount = item.Amount;
                            updated++;
                        }
                    }

                    _version++;
                }

                return updated;
            }
            """),
    ];

    /// <summary>Members marked [HotPath]: declared hot code.</summary>
    public static readonly Template[] HotPath =
    [
        new(2, """
            [HotPath]
            public decimal PriceOf@n(@E item, decimal rate)
            {
                var total = item.Amount * rate;
                Metrics.Record("price", (double)total, item.Quantity);
                return total;
            }
            """),
        new(2, """
            [HotPath]
            public bool Matches@n(@E item, string query) =>
                item.Name.Contains(query, StringComparison.OrdinalIgnoreCase) || item.Tags.Any(t => t == query);
            """),
        new(2, """
            [HotPath]
            public static int Hash@n(@E item) => HashCode.Combine(item.Id, item.Code, item.Status);
            """),
        new(2, """
            [HotPath]
            public static string Key@n(@E item) => item.Code + ":" + item.Id.ToString(CultureInfo.InvariantCulture);
            """),
        new(1, """
            [HotPath]
            public int SumQuantities@n(IEnumerable<@ELine> lines)
            {
                var sum = 0;
                foreach (var line in lines)
                {
                    sum += line.Quantity;
                }

                return sum;
            }
            """),
        new(1, """
            [HotPath]
            public object Box@n(@E item) => item.Status;
            """),
    ];
}
