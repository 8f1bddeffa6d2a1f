using System.Text;

namespace AnalyzerBench;

/// <summary>
/// Writes a deterministic corpus that reads like line-of-business application code: per entity a
/// model file and eight service-style classes whose methods are drawn (seeded) from the templates in
/// <see cref="Templates"/>: mostly straight-line code (validation, mapping, factories, switch
/// expressions, async calls, exception handling, LINQ queries), about a third loops (string
/// building, StringBuilder, LINQ and lambdas inside loops, boxing, params calls, per-iteration
/// collections, Split/Substring, DateTime timing, interface enumeration) and a few [HotPath] members.
/// </summary>
public static class CorpusGenerator
{
    public sealed record Stats(int Files, int Lines, int Methods, int LoopMethods, int HotPathMembers);

    private static readonly (string Name, string Plural)[] Entities =
    [
        ("Order", "Orders"), ("Invoice", "Invoices"), ("Product", "Products"), ("Customer", "Customers"),
        ("Shipment", "Shipments"), ("Payment", "Payments"), ("Account", "Accounts"), ("Ticket", "Tickets"),
        ("Booking", "Bookings"), ("Supplier", "Suppliers"), ("Warehouse", "Warehouses"), ("Employee", "Employees"),
        ("Contract", "Contracts"), ("Subscription", "Subscriptions"), ("Campaign", "Campaigns"), ("Lead", "Leads"),
        ("Asset", "Assets"), ("Vehicle", "Vehicles"), ("Patient", "Patients"), ("Appointment", "Appointments"),
        ("Course", "Courses"), ("Student", "Students"), ("Policy", "Policies"), ("Quote", "Quotes"),
        ("Refund", "Refunds"), ("Coupon", "Coupons"), ("Review", "Reviews"), ("Device", "Devices"),
        ("Sensor", "Sensors"), ("Room", "Rooms"), ("Parcel", "Parcels"), ("Vendor", "Vendors"),
        ("Budget", "Budgets"), ("Claim", "Claims"), ("Delivery", "Deliveries"), ("Listing", "Listings"),
    ];

    private static readonly string[] ClassKinds =
        ["Repository", "Service", "ReportBuilder", "Importer", "Validator", "Analytics", "Notifier", "Synchronizer"];

    private const string FileHeader = """
        // Benchmark corpus written by bench/analyzers/tool (deterministic); not ProfilingKit code.
        using System.Collections;
        using System.Globalization;
        using System.Text;
        using Corpus.Infrastructure;

        """;

    public static Stats Write(string root)
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);

        var random = new Random(20261126);
        int files = 0, lines = 0, methods = 0, loopMethods = 0, hotPath = 0;

        void Emit(string relativePath, string text)
        {
            var path = Path.Combine(root, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            text = text.Replace("\r\n", "\n");
            File.WriteAllText(path, text);
            files++;
            lines += text.Count(c => c == '\n');
        }

        Emit(Path.Combine("Infrastructure", "Common.cs"), Templates.Infrastructure);

        foreach (var (entity, plural) in Entities)
        {
            Emit(Path.Combine(plural, entity + ".cs"), FileHeader + Substitute(Templates.Model, entity, plural, 0));

            foreach (var kind in ClassKinds)
            {
                var body = new StringBuilder();
                body.Append(FileHeader);
                body.Append(Substitute(Templates.ClassHeader, entity, plural, 0).Replace("@K", kind));
                var count = random.Next(9, 16);
                for (var i = 1; i <= count; i++)
                {
                    var roll = random.NextDouble();
                    Template template;
                    if (roll < 0.57) template = Pick(random, Templates.Cold);
                    else if (roll < 0.93) { template = Pick(random, Templates.Loops); loopMethods++; }
                    else { template = Pick(random, Templates.HotPath); hotPath++; }
                    body.AppendLine();
                    body.Append(Indent(Substitute(template.Text, entity, plural, i)));
                    methods++;
                }

                body.AppendLine("}");
                Emit(Path.Combine(plural, entity + kind + ".cs"), body.ToString());
            }
        }

        return new Stats(files, lines, methods, loopMethods, hotPath);
    }

    private static Template Pick(Random random, Template[] pool)
    {
        var total = pool.Sum(t => t.Weight);
        var x = random.Next(total);
        foreach (var template in pool)
        {
            if (x < template.Weight) return template;
            x -= template.Weight;
        }

        return pool[^1];
    }

    private static string Substitute(string text, string entity, string plural, int number) =>
        text.Replace("@E", entity).Replace("@P", plural).Replace("@n", number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Indent(string text)
    {
        var sb = new StringBuilder();
        foreach (var line in text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            sb.Append(line.Length == 0 ? "" : "    " + line).Append('\n');
        }

        return sb.ToString();
    }
}
