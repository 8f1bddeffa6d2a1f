using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1003 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.BoxingInHotPlaceRule>;
using VerifyPK1005 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.LinqInHotPlaceRule>;
using VerifyPK1006 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.ParamsArrayInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// What a logging call logs is left to CA1848/CA2254 (Core/LoggingCalls.cs): its arguments are cold
/// by default; <c>profilingkit.logging_calls_are_hot = true</c> makes them hot again.
/// </summary>
public class LoggingCallTests
{
    // Microsoft.Extensions.Logging's shapes: ILogger.Log and the params extension methods of LoggerExtensions (after the test code, whose usings come first).
    private const string Logging = """
        namespace Microsoft.Extensions.Logging
        {
            using System;

            public enum LogLevel { Trace, Debug, Information, Warning, Error, Critical, None }

            public readonly struct EventId { }

            public interface ILogger
            {
                void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter);
            }

            public interface ILogger<out TCategoryName> : ILogger { }

            public static class LoggerExtensions
            {
                public static void LogInformation(this ILogger logger, string message, params object[] args) { }
                public static void LogDebug(this ILogger logger, string message, params object[] args) { }
            }
        }
        """;

    [Fact]
    public Task The_arguments_of_LoggerExtensions_calls_are_cold() => VerifyPK1006.Analyzer("""
        using Microsoft.Extensions.Logging;

        class Finder
        {
            static void Note(params object[] values) { }

            void Run(ILogger<Finder> logger, string[] branches)
            {
                foreach (var branch in branches)
                {
                    logger.LogInformation("Searching '{Branch}'.", branch);
                    logger.LogDebug("Branch {Branch} of {Count}", branch, branches.Length);
                    Note({|PK1006:branch, 2|});
                }
            }
        }

        """ + Logging);

    [Fact]
    public Task What_a_log_argument_allocates_is_cold_too() => VerifyPK1005.Analyzer("""
        using System.Linq;
        using Microsoft.Extensions.Logging;

        class Finder
        {
            void Run(ILogger logger, int[][] rows)
            {
                foreach (var row in rows)
                {
                    logger.LogInformation("Row {Values}", string.Join(",", row.Select(value => value * 2)));
                    var sum = {|PK1005:row.Select(value => value * 2).Sum()|};
                }
            }
        }

        """ + Logging);

    [Fact]
    public Task ILogger_Log_and_loggers_that_implement_a_logger_interface_are_logging_calls() => VerifyPK1003.Analyzer("""
        using System;
        using Microsoft.Extensions.Logging;

        class ConsoleLog : ILogger
        {
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter) { }
            public void Info(string message, object value) { }
        }

        class Finder
        {
            void Run(ILogger logger, ConsoleLog console, int[] values)
            {
                foreach (var value in values)
                {
                    logger.Log<object>(LogLevel.Information, default, value, null, (state, exception) => "");
                    console.Info("value {0}", value);
                }
            }
        }

        """ + Logging);

    [Fact]
    public Task A_method_named_like_a_log_call_on_a_type_that_is_no_logger_stays_hot() => VerifyPK1006.Analyzer("""
        static class LoggerExtensions
        {
            public static void LogInformation(this Logger logger, string message, params object[] args) { }
        }

        class Logger { }

        class Finder
        {
            void Run(Logger logger, string[] branches)
            {
                foreach (var branch in branches)
                {
                    logger.LogInformation("Searching '{Branch}'.", {|PK1006:branch|});
                }
            }
        }
        """);

    [Fact]
    public Task The_logger_an_extension_method_is_called_on_is_not_an_argument_it_logs() => VerifyPK1003.Analyzer("""
        using Microsoft.Extensions.Logging;

        class Finder
        {
            static ILogger For(object category) => null;

            void Run(int[] values)
            {
                foreach (var value in values)
                {
                    For({|PK1003:value|}).LogInformation("Value");
                }
            }
        }

        """ + Logging);

    [Fact]
    public Task With_the_option_log_arguments_are_hot() => VerifyPK1006.Analyzer("""
        using Microsoft.Extensions.Logging;

        class Finder
        {
            void Run(ILogger logger, string[] branches)
            {
                foreach (var branch in branches)
                {
                    logger.LogInformation("Searching '{Branch}'.", {|PK1006:branch|});
                }
            }
        }

        """ + Logging, LanguageVersion.Latest, "profilingkit.logging_calls_are_hot = true");
}
