using System.Collections.Concurrent;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FeedbackHub.Web.Tests;

/// <summary>
/// A host with nothing but the job scheduler (as the app registers it) on a test database, with test
/// jobs that record their runs and a log that tests can read. Several harnesses on one PostgreSQL
/// database are several cluster nodes.
/// </summary>
public sealed class SchedulerHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsRuns;

    public SchedulerHarness(TestDatabase database, ProbeRuns? runs = null, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(database);
        _ownsRuns = runs is null;
        Runs = runs ?? new ProbeRuns();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Scheduler:Enabled"] = enabled ? "true" : "false" });
        builder.Logging.SetMinimumLevel(LogLevel.Information).AddProvider(Log);
        builder.Services.AddSingleton(database.Settings);
        builder.Services.AddSingleton(Runs);
        builder.Services.AddScoped<ScopeMarker>();
        builder.Services.AddScheduledJob<ProbeJob>();
        builder.Services.AddScheduledJob<FailingJob>();
        builder.AddScheduler();
        _host = builder.Build();
    }

    public ProbeRuns Runs { get; }

    public CapturingLoggerProvider Log { get; } = new();

    public JobScheduler Scheduler => _host.Services.GetRequiredService<JobScheduler>();

    public ScheduledJobCatalog Catalog => _host.Services.GetRequiredService<ScheduledJobCatalog>();

    public Task StartAsync() => _host.StartAsync();

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_ownsRuns)
        {
            Runs.Dispose();
        }
    }
}

/// <summary>One instance per DI scope, to tell scopes apart.</summary>
public sealed class ScopeMarker
{
    public Guid Id { get; } = Guid.NewGuid();
}

/// <summary>What <see cref="ProbeJob"/> runs saw; shared by all nodes of a test.</summary>
public sealed class ProbeRuns : IDisposable
{
    private readonly ConcurrentQueue<Guid> _scopes = new();
    private readonly SemaphoreSlim _ran = new(0);

    public IReadOnlyList<Guid> Scopes => [.. _scopes];

    public void Record(ScopeMarker scope)
    {
        _scopes.Enqueue(scope.Id);
        _ran.Release();
    }

    /// <summary>Waits for the next run; false if none came within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout) => _ran.WaitAsync(timeout);

    public void Dispose() => _ran.Dispose();
}

/// <summary>Records that it ran, and in which scope. Its schedule never comes due in a test's lifetime.</summary>
[DisallowConcurrentExecution]
public sealed class ProbeJob(ProbeRuns runs, ScopeMarker scope) : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new("probe", "Records that it ran.", "0 0 0 1 1 ? 2099", "on New Year 2099");

    public Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        runs.Record(scope);
        return Task.FromResult(new JobResult("Probed.", [("runs", 1)]));
    }
}

/// <summary>Always fails, to show that failures reach the log.</summary>
[DisallowConcurrentExecution]
public sealed class FailingJob : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new("failing", "Throws.", "0 0 0 1 1 ? 2099", "on New Year 2099");

    public Task<JobResult> RunAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The probe's database went away.");
}

/// <summary>Keeps every log entry, for tests that check what was logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
        // Entries stay readable after the host is gone.
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);
