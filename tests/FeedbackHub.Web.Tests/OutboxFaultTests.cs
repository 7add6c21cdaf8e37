using System.Diagnostics;
using System.Globalization;
using System.Text;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace FeedbackHub.Web.Tests;

/// <summary>
/// The outbox's promises under real faults, with real components: a real SMTP server (MailDev) that
/// goes away mid-batch, and the real app process killed mid-batch. Counted by Message-ID at the
/// receiving end: nothing lost, and no more duplicates than the dispatcher allows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxFaultTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int Emails = 500;
    private readonly MailDevServer _mailDev = new();

    public Task InitializeAsync() => _mailDev.InitializeAsync();

    public Task DisposeAsync() => _mailDev.DisposeAsync();

    public void Dispose() => _mailDev.Dispose();

    [Fact]
    public async Task Dispatch_SmtpServerDown30sMidBatch_DeliversEveryEmailOnceAfterwards()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        (email.Options.Dispatcher.RetryBase, email.Options.Dispatcher.PollInterval) = (TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        await email.QueueAsync([.. Enumerable.Range(0, Emails).Select(i => OutboxTests.Email($"outage-{i}"))]);
        using var transports = EmailHarness.Smtp(_mailDev.SmtpPort);
        using var dispatcher = email.Dispatcher(transports);
        using var ticking = new CancellationTokenSource();
        // The dispatcher's clock runs at real speed, so its retries and polls happen during the outage as they would in production.
        var clock = FollowRealTimeAsync(email.Time, ticking.Token);
        int arrivedBeforeOutage, sentDuringOutage;
        try
        {
            await dispatcher.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => Task.FromResult(_mailDev.StoredCount >= 100), TimeSpan.FromSeconds(60), "100 emails to arrive");
            await _mailDev.StopAsync();
            arrivedBeforeOutage = _mailDev.StoredMessageIds().Count;
            await Task.Delay(TimeSpan.FromSeconds(30));
            (sentDuringOutage, _) = await RowStatesAsync(database);
            await _mailDev.StartAsync();
            // After 30 s of failures, exponential backoff puts the next tries up to about 30 s later; skip that wait.
            email.Time.Advance(TimeSpan.FromHours(1));
            await WaitUntilAsync(async () => (await RowStatesAsync(database)).Sent == Emails, TimeSpan.FromSeconds(60), "every row to be Sent");
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
            await ticking.CancelAsync();
            await clock;
        }

        var (rows, received) = await DeliveryAsync(database);
        var failedAttempts = rows.Sum(r => r.Attempts) - rows.Count;
        var lost = rows.Count(r => !received.Contains(r.MessageId));
        var duplicates = received.Count - received.Distinct().Count();
        output.WriteLine($"SMTP server down 30 s mid-batch: {arrivedBeforeOutage} emails arrived before the stop, {sentDuringOutage} rows Sent by the end of the outage, "
            + $"{failedAttempts} failed attempts; afterwards delivered {received.Distinct().Count()} of {Emails}, lost {lost}, duplicates {duplicates}");
        Assert.InRange(arrivedBeforeOutage, 1, Emails - 1);
        Assert.True(failedAttempts > 0, "The outage caused no failed attempt, so it did not test the retries.");
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicates);
        Assert.Subset(rows.Select(r => r.MessageId).ToHashSet(), received.ToHashSet());
    }

    [Fact]
    public async Task App_KilledMidBatchAndRestarted_LosesNothingAndDuplicatesAtMostOne()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        // The app runs on the real clock: the rows must be due now, and younger than the give-up time.
        using (var email = new EmailHarness(database, now: DateTimeOffset.UtcNow))
        {
            await email.QueueAsync([.. Enumerable.Range(0, Emails).Select(i => OutboxTests.Email($"kill-{i}"))]);
        }

        using var data = new TemporaryDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = data.Path,
            ["ConnectionStrings__FeedbackHub"] = database.Settings.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPorts.Free()}",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = _mailDev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            // One connection: at most one email is between its send and its record when the process dies.
            ["Email__Dispatcher__Connections"] = "1",
            // Larger than the 100 emails after which the process is killed, so the kill lands inside a batch.
            ["Email__Dispatcher__BatchSize"] = "200",
            ["Email__Dispatcher__Lease"] = "00:00:05",
            ["Email__Dispatcher__PollInterval"] = "00:00:00.200",
            ["Email__Dispatcher__RetryBase"] = "00:00:01",
        };

        int arrivedAtKill, sentAtKill, leasedAtKill;
        var clock = Stopwatch.StartNew();
        await using (var app = AppProcess.Start(environment, data.Path))
        {
            await WaitUntilAsync(
                async () => (_mailDev.StoredCount >= 100 && (await RowStatesAsync(database)).Leased > 0) || app.HasExited,
                TimeSpan.FromSeconds(90), "100 emails to arrive", () => app.Output);
            Assert.False(app.HasExited, $"The app stopped by itself:\n{app.Output}");
            await app.KillAsync();
            (sentAtKill, leasedAtKill) = await RowStatesAsync(database);
            arrivedAtKill = _mailDev.StoredMessageIds().Count;
        }

        var killedAfter = clock.Elapsed;
        Assert.True(leasedAtKill > 0, "The kill did not land inside a batch.");
        await using (var restarted = AppProcess.Start(environment, data.Path))
        {
            await WaitUntilAsync(
                async () => (await RowStatesAsync(database)).Sent == Emails, TimeSpan.FromSeconds(90), "every row to be Sent", () => restarted.Output);
        }

        var (rows, received) = await DeliveryAsync(database);
        var lost = rows.Count(r => !received.Contains(r.MessageId));
        var duplicates = received.Count - received.Distinct().Count();
        output.WriteLine($"App killed {killedAfter.TotalSeconds:N1} s after its start, when {arrivedAtKill} emails had arrived ({sentAtKill} rows Sent, {leasedAtKill} still leased to it); "
            + $"restarted, all Sent {(clock.Elapsed - killedAfter).TotalSeconds:N1} s later: delivered {received.Distinct().Count()} of {Emails}, lost {lost}, duplicates {duplicates}");
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
        Assert.Equal(0, lost);
        Assert.InRange(duplicates, 0, 1);
        Assert.Subset(rows.Select(r => r.MessageId).ToHashSet(), received.ToHashSet());
    }

    private static async Task<(int Sent, int Leased)> RowStatesAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var sent = await db.OutboxEmails.CountAsync(e => e.Status == OutboxStatus.Sent);
        var leased = await db.OutboxEmails.CountAsync(e => e.Status == OutboxStatus.Pending && e.LeaseOwner != null);
        return (sent, leased);
    }

    /// <summary>The rows, and the Message-IDs MailDev stored once the last of them has been written to its folder.</summary>
    private async Task<(List<OutboxEmail> Rows, IReadOnlyList<string> Received)> DeliveryAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var rows = await db.OutboxEmails.AsNoTracking().ToListAsync();
        var expected = rows.Select(r => r.MessageId).ToHashSet();
        // MailDev answers 250 as the last bytes arrive and finishes writing the file just after.
        var deadline = Stopwatch.StartNew();
        while (!expected.IsSubsetOf(_mailDev.StoredMessageIds()) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100);
        }

        return (rows, _mailDev.StoredMessageIds());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? details = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:N0} s for {what}.\n{details?.Invoke()}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Advances the fake clock as real time passes, until stopped.</summary>
    private static async Task FollowRealTimeAsync(FakeTimeProvider clock, CancellationToken stop)
    {
        var last = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
            var now = Stopwatch.GetTimestamp();
            clock.Advance(Stopwatch.GetElapsedTime(last, now));
            last = now;
        }
    }

    /// <summary>The real web app in its own process, as an operator starts it; its output is kept for failure messages.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private AppProcess(Process process) => _process = process;

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static AppProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeedbackHub.Web.dll"));
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var app = new AppProcess(Process.Start(start) ?? throw new InvalidOperationException("The app did not start."));
            app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
            app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
            app._process.BeginOutputReadLine();
            app._process.BeginErrorReadLine();
            return app;
        }

        /// <summary>Kills the process and everything it started, at once, as a crash or an OOM killer would.</summary>
        public async Task KillAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await KillAsync();
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
