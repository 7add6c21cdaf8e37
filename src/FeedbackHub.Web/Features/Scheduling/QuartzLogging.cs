using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using LogContext = Quartz.Logging.LogContext;

namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>
/// Quartz has one log provider per process (<see cref="LogContext.SetCurrentLogProvider"/>); without
/// one, its own errors (a failing job, a lost database, a trigger it cannot load) are silent. It is
/// given this forwarding factory once, and each host adds its own logger factory while its scheduler
/// runs and takes it back when it stops. With one host (production) that is simply the host's
/// logging; with several in one process (tests) each gets Quartz's output, and none is written to
/// after its host disposed it.
/// </summary>
internal sealed class QuartzLogging : ILoggerFactory
{
    private static readonly QuartzLogging Shared = new();
    private static int _installed;
    private ImmutableArray<ILoggerFactory> _targets = [];

    public static void Attach(ILoggerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ImmutableInterlocked.Update(ref Shared._targets, targets => targets.Contains(factory) ? targets : targets.Add(factory));
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            LogContext.SetCurrentLogProvider(Shared);
        }
    }

    public static void Detach(ILoggerFactory factory) =>
        ImmutableInterlocked.Update(ref Shared._targets, targets => targets.Remove(factory));

    public ILogger CreateLogger(string categoryName) => new ForwardingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("Quartz's log output goes to the host's logger factory; add providers there.");

    public void Dispose()
    {
        // Shared for the life of the process; each host disposes its own factory.
    }

    /// <summary>Writes to the loggers of the hosts attached right now, recreated only when that set changes.</summary>
    private sealed class ForwardingLogger(QuartzLogging owner, string category) : ILogger
    {
        // One reference, so that a thread never sees the loggers of one set of hosts with another set.
        private Binding _current = new([], []);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => Current.Any(logger => logger.IsEnabled(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            foreach (var logger in Current)
            {
                logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        private ILogger[] Current
        {
            get
            {
                var targets = owner._targets;
                var current = _current;
                if (current.Targets == targets)
                {
                    return current.Loggers;
                }

                var loggers = targets.Select(Create).ToArray();
                _current = new Binding(targets, loggers);
                return loggers;
            }
        }

        private ILogger Create(ILoggerFactory factory)
        {
            try
            {
                return factory.CreateLogger(category);
            }
            catch (ObjectDisposedException)
            {
                // The host stopped between reading the set and this call; its output has nowhere to go.
                return NullLogger.Instance;
            }
        }

        private sealed record Binding(ImmutableArray<ILoggerFactory> Targets, ILogger[] Loggers);
    }
}
