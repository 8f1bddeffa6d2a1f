using Microsoft.CodeAnalysis.CSharp;
using VerifyPK2002 = ProfilingKit.Analyzers.Tests.Verify<ProfilingKit.Analyzers.DateTimeElapsedAnalyzer>;
using VerifyPK2002Fix = ProfilingKit.Analyzers.Tests.Verify<ProfilingKit.Analyzers.DateTimeElapsedAnalyzer, ProfilingKit.CodeFixes.DateTimeElapsedCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

public class DateTimeElapsedTests
{
    public static TheoryData<LanguageVersion> LanguageVersions() => new() { LanguageVersion.CSharp10, LanguageVersion.CSharp12, LanguageVersion.CSharp14 };

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public Task Now_minus_a_start_read_from_the_clock_becomes_GetElapsedTime(LanguageVersion languageVersion) => VerifyPK2002Fix.CodeFix(
        """
        using System;

        class C
        {
            double M(Action work)
            {
                var start = DateTime.UtcNow;
                work();
                var elapsed = {|PK2002:DateTime.UtcNow - start|};
                Console.WriteLine(({|PK2002:DateTime.UtcNow - start|}).TotalMilliseconds);
                return elapsed.TotalSeconds;
            }
        }
        """,
        """
        using System;
        using System.Diagnostics;

        class C
        {
            double M(Action work)
            {
                var start = Stopwatch.GetTimestamp();
                work();
                var elapsed = Stopwatch.GetElapsedTime(start);
                Console.WriteLine(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                return elapsed.TotalSeconds;
            }
        }
        """,
        languageVersion);

    [Fact]
    public Task End_minus_start_with_both_from_the_clock_becomes_the_two_argument_GetElapsedTime() => VerifyPK2002Fix.CodeFix(
        """
        using System;
        using System.Diagnostics;

        class C
        {
            TimeSpan M(Action work)
            {
                DateTime start = DateTime.Now;
                work();
                var end = DateTime.Now;
                return {|PK2002:end - start|};
            }
        }
        """,
        """
        using System;
        using System.Diagnostics;

        class C
        {
            TimeSpan M(Action work)
            {
                long start = Stopwatch.GetTimestamp();
                work();
                var end = Stopwatch.GetTimestamp();
                return Stopwatch.GetElapsedTime(start, end);
            }
        }
        """);

    [Fact]
    public Task Lap_times_with_the_start_reassigned_from_the_clock_are_fixed_together() => VerifyPK2002Fix.CodeFix(
        """
        using System;
        using System.Collections.Generic;

        class C
        {
            List<TimeSpan> M(List<Action> steps)
            {
                var laps = new List<TimeSpan>();
                var last = DateTime.UtcNow;
                foreach (var step in steps)
                {
                    step();
                    laps.Add({|PK2002:DateTime.UtcNow.Subtract(last)|});
                    last = DateTime.UtcNow;
                }

                laps.Add({|PK2002:DateTime.UtcNow - last|});
                return laps;
            }
        }
        """,
        """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;

        class C
        {
            List<TimeSpan> M(List<Action> steps)
            {
                var laps = new List<TimeSpan>();
                var last = Stopwatch.GetTimestamp();
                foreach (var step in steps)
                {
                    step();
                    laps.Add(Stopwatch.GetElapsedTime(last));
                    last = Stopwatch.GetTimestamp();
                }

                laps.Add(Stopwatch.GetElapsedTime(last));
                return laps;
            }
        }
        """);

    [Fact]
    public Task DateTimeOffset_readings_are_reported_and_fixed_too() => VerifyPK2002Fix.CodeFix(
        """
        using System;

        class C
        {
            TimeSpan M(Action work)
            {
                var t0 = DateTimeOffset.UtcNow;
                work();
                return {|PK2002:DateTimeOffset.UtcNow - t0|};
            }
        }
        """,
        """
        using System;
        using System.Diagnostics;

        class C
        {
            TimeSpan M(Action work)
            {
                var t0 = Stopwatch.GetTimestamp();
                work();
                return Stopwatch.GetElapsedTime(t0);
            }
        }
        """);

    [Fact]
    public Task Another_Stopwatch_in_scope_gets_the_full_name() => VerifyPK2002Fix.CodeFix(
        """
        using System;

        namespace App
        {
            class Stopwatch { }

            class C
            {
                TimeSpan M(Action work)
                {
                    var start = DateTime.UtcNow;
                    work();
                    return {|PK2002:DateTime.UtcNow - start|};
                }
            }
        }
        """,
        """
        using System;

        namespace App
        {
            class Stopwatch { }

            class C
            {
                TimeSpan M(Action work)
                {
                    var start = global::System.Diagnostics.Stopwatch.GetTimestamp();
                    work();
                    return global::System.Diagnostics.Stopwatch.GetElapsedTime(start);
                }
            }
        }
        """);

    [Fact]
    public Task No_using_is_added_when_it_would_make_another_name_ambiguous() => VerifyPK2002Fix.CodeFix(
        """
        using System;
        using Tools;

        namespace Tools
        {
            static class Debug { public static void Note(string text) { } }
        }

        class C
        {
            TimeSpan M(Action work)
            {
                var start = DateTime.UtcNow;
                work();
                Debug.Note("done");
                return {|PK2002:DateTime.UtcNow - start|};
            }
        }
        """,
        """
        using System;
        using Tools;

        namespace Tools
        {
            static class Debug { public static void Note(string text) { } }
        }

        class C
        {
            TimeSpan M(Action work)
            {
                var start = global::System.Diagnostics.Stopwatch.GetTimestamp();
                work();
                Debug.Note("done");
                return global::System.Diagnostics.Stopwatch.GetElapsedTime(start);
            }
        }
        """);

    [Fact]
    public Task No_fix_when_the_start_is_also_used_as_a_date() => VerifyPK2002Fix.CodeFix(
        """
        using System;

        class C
        {
            TimeSpan M(Action work)
            {
                var start = DateTime.UtcNow;
                Console.WriteLine($"started at {start:O}");
                work();
                return {|PK2002:DateTime.UtcNow - start|};
            }
        }
        """,
        """
        using System;

        class C
        {
            TimeSpan M(Action work)
            {
                var start = DateTime.UtcNow;
                Console.WriteLine($"started at {start:O}");
                work();
                return {|PK2002:DateTime.UtcNow - start|};
            }
        }
        """);

    [Fact]
    public Task No_fix_when_Stopwatch_GetElapsedTime_does_not_exist() => VerifyPK2002Fix.CodeFix(
        """
        using System;

        namespace System.Diagnostics
        {
            // Stopwatch before .NET 7: no GetElapsedTime.
            public class Stopwatch
            {
                public static long GetTimestamp() => 0;
            }
        }

        class C
        {
            TimeSpan M(Action work)
            {
                var start = DateTime.UtcNow;
                work();
                return {|PK2002:DateTime.UtcNow - start|};
            }
        }
        """,
        """
        using System;

        namespace System.Diagnostics
        {
            // Stopwatch before .NET 7: no GetElapsedTime.
            public class Stopwatch
            {
                public static long GetTimestamp() => 0;
            }
        }

        class C
        {
            TimeSpan M(Action work)
            {
                var start = DateTime.UtcNow;
                work();
                return {|PK2002:DateTime.UtcNow - start|};
            }
        }
        """);

    [Fact]
    public Task Timestamps_and_dates_from_elsewhere_are_not_reported() => VerifyPK2002.Analyzer("""
        using System;

        class Entity { public DateTime CreatedAt; }

        class C
        {
            private DateTime _started = DateTime.UtcNow;

            void M(Entity entity, DateTime since, DateTime other)
            {
                var age = DateTime.UtcNow - entity.CreatedAt;       // a stored date, not a start reading
                var sinceThen = DateTime.UtcNow - since;              // a parameter
                var uptime = DateTime.UtcNow - _started;              // a field
                var deadline = DateTime.UtcNow.AddSeconds(5);
                var left = deadline - DateTime.UtcNow;                // not a plain reading
                var hourAgo = DateTime.Now - TimeSpan.FromHours(1);   // DateTime minus TimeSpan
                var nothing = DateTime.UtcNow - DateTime.UtcNow;      // no start was remembered
                var stamp = DateTime.Now;
                Console.WriteLine(stamp);                             // a timestamp, not a duration
                var start = DateTime.UtcNow;
                start = other;
                var mixed = DateTime.UtcNow - start;                  // start is not only a clock reading
            }
        }
        """);
}
