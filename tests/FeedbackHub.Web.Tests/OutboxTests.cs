using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FeedbackHub.Web.Tests;

/// <summary>The outbox and its dispatcher against a real SMTP server (MailDev), once per database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxTests(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
    private static readonly IOptions<EmailOptions> Options = Microsoft.Extensions.Options.Options.Create(new EmailOptions { FromAddress = "shop@example.nl" });
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private readonly MailDevServer _mailDev = new();

    public Task InitializeAsync() => _mailDev.InitializeAsync();

    public Task DisposeAsync() => _mailDev.DisposeAsync();

    public void Dispose() => _mailDev.Dispose();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Queue_SameKeyTwice_KeepsOneRow(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await QueueAsync(database, Email("thank-you:o-1"));

        await QueueAsync(database, Email("thank-you:o-1"));

        await using var db = database.CreateContext();
        Assert.Equal(1, await db.OutboxEmails.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Dispatch_DueEmails_AreSentOnceAndMarkedSent(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await QueueAsync(database, Email("a"), Email("b"), Email("later") with { NotBefore = _time.GetUtcNow().AddHours(1) });
        using var services = Services(database);
        using var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = _mailDev.SmtpPort });
        var dispatcher = Dispatcher(services, transport);

        Assert.Equal(2, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        await using var db = database.CreateContext();
        var rows = await db.OutboxEmails.OrderBy(e => e.IdempotencyKey).ToListAsync();
        Assert.Equal([OutboxStatus.Sent, OutboxStatus.Sent, OutboxStatus.Pending], rows.Select(r => r.Status));
        Assert.Equal(2, (await _mailDev.EmailsAsync()).Count);
        var source = await _mailDev.SourceAsync((await _mailDev.EmailsAsync())[0].GetProperty("id").GetString()!);
        Assert.Contains(rows.Where(r => r.Status == OutboxStatus.Sent), r => source.Contains($"<{r.MessageId}>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_SmtpServerDown_RetriesLaterWithBackoffAndLosesNothing()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await QueueAsync(database, Email("retry-me"));
        using var services = Services(database);
        using var down = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = 1 });

        await Dispatcher(services, down).DispatchOnceAsync(CancellationToken.None);

        await using (var db = database.CreateContext())
        {
            var row = await db.OutboxEmails.SingleAsync();
            Assert.Equal((OutboxStatus.Pending, 1), (row.Status, row.Attempts));
            Assert.InRange(row.NotBefore - _time.GetUtcNow(), TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36));
            Assert.NotNull(row.LastError);
        }

        using var up = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = _mailDev.SmtpPort });
        var dispatcher = Dispatcher(services, up);
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Single(await _mailDev.EmailsAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Dispatch_TwoDispatchersAtOnce_SendEachEmailOnce(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await QueueAsync(database, [.. Enumerable.Range(0, 40).Select(i => Email($"race-{i}"))]);
        using var services = Services(database);
        using var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = _mailDev.SmtpPort });
        using var secondTransport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = _mailDev.SmtpPort });

        var handled = await Task.WhenAll(
            DrainAsync(Dispatcher(services, transport)),
            DrainAsync(Dispatcher(services, secondTransport)));

        Assert.Equal(40, handled.Sum());
        Assert.Equal(40, (await _mailDev.EmailsAsync()).Count);
    }

    [Fact]
    public void Backoff_GrowsExponentiallyWithJitterUpToAnHour()
    {
        var first = OutboxDispatcher.Backoff(TimeSpan.FromSeconds(30), 1);
        var fourth = OutboxDispatcher.Backoff(TimeSpan.FromSeconds(30), 4);
        var twentieth = OutboxDispatcher.Backoff(TimeSpan.FromSeconds(30), 20);

        Assert.InRange(first, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36));
        Assert.InRange(fourth, TimeSpan.FromSeconds(192), TimeSpan.FromSeconds(288));
        Assert.Equal(TimeSpan.FromHours(1), twentieth);
    }

    private static async Task<int> DrainAsync(OutboxDispatcher dispatcher)
    {
        var total = 0;
        for (var batch = await dispatcher.DispatchOnceAsync(CancellationToken.None); batch > 0; batch = await dispatcher.DispatchOnceAsync(CancellationToken.None))
        {
            total += batch;
        }

        return total;
    }

    private static QueuedEmail Email(string key) =>
        new(key, EmailPurpose.Offer, $"{key}@example.nl", null, $"Subject {key}", $"<p>{key}</p>", key);

    private async Task QueueAsync(TestDatabase database, params QueuedEmail[] emails)
    {
        await using var db = database.CreateContext();
        var outbox = new Outbox(db, _time, Options);
        foreach (var email in emails)
        {
            await outbox.QueueAsync(email, CancellationToken.None);
        }

        await db.SaveChangesAsync();
    }

    private static ServiceProvider Services(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddDbContext<AppDbContext>(database.Settings.Configure);
        return services.BuildServiceProvider();
    }

    private OutboxDispatcher Dispatcher(ServiceProvider services, IMailTransport transport) =>
        new(services.GetRequiredService<IServiceScopeFactory>(), transport,
            Microsoft.Extensions.Options.Options.Create(new EmailOptions { FromAddress = "shop@example.nl", Dispatcher = { BatchSize = 5 } }),
            _time, NullLogger<OutboxDispatcher>.Instance);
}
