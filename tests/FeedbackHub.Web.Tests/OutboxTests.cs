using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Tests;

/// <summary>The outbox and its dispatcher against a real SMTP server (MailDev), once per database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxTests(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
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
        using var email = new EmailHarness(database);
        await email.QueueAsync(Email("thank-you:o-1"));

        await email.QueueAsync(Email("thank-you:o-1"));

        await using var db = database.CreateContext();
        Assert.Equal(1, await db.OutboxEmails.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Dispatch_DueEmails_AreSentOnceAndMarkedSent(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        await email.QueueAsync(Email("a"), Email("b"), Email("later") with { NotBefore = email.Time.GetUtcNow().AddHours(1) });
        using var transports = EmailHarness.Smtp(_mailDev.SmtpPort);
        var dispatcher = email.Dispatcher(transports);

        Assert.Equal(2, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        await using var db = database.CreateContext();
        var rows = await db.OutboxEmails.OrderBy(e => e.IdempotencyKey).ToListAsync();
        Assert.Equal([OutboxStatus.Sent, OutboxStatus.Sent, OutboxStatus.Pending], rows.Select(r => r.Status));
        Assert.Equal(2, (await _mailDev.WaitForEmailsAsync(2)).Count);
        var source = await _mailDev.SourceAsync((await _mailDev.EmailsAsync())[0].GetProperty("id").GetString()!);
        Assert.Contains(rows.Where(r => r.Status == OutboxStatus.Sent), r => source.Contains($"<{r.MessageId}>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_SmtpServerDown_RetriesLaterWithBackoffAndLosesNothing()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await email.QueueAsync(Email("retry-me"));
        using var down = EmailHarness.Smtp(1);

        await email.Dispatcher(down).DispatchOnceAsync(CancellationToken.None);

        await using (var db = database.CreateContext())
        {
            var row = await db.OutboxEmails.SingleAsync();
            Assert.Equal((OutboxStatus.Pending, 1), (row.Status, row.Attempts));
            Assert.InRange(row.NotBefore - email.Time.GetUtcNow(), TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36));
            Assert.NotNull(row.LastError);
        }

        using var up = EmailHarness.Smtp(_mailDev.SmtpPort);
        var dispatcher = email.Dispatcher(up);
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        email.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Single(await _mailDev.WaitForEmailsAsync(1));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Dispatch_TwoDispatchersAtOnce_SendEachEmailOnce(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        email.Options.Dispatcher.BatchSize = 5;
        await email.QueueAsync([.. Enumerable.Range(0, 40).Select(i => Email($"race-{i}"))]);
        using var transports = EmailHarness.Smtp(_mailDev.SmtpPort);
        using var secondTransports = EmailHarness.Smtp(_mailDev.SmtpPort);

        var handled = await Task.WhenAll(
            EmailHarness.DrainAsync(email.Dispatcher(transports)),
            EmailHarness.DrainAsync(email.Dispatcher(secondTransports)));

        Assert.Equal(40, handled.Sum());
        Assert.Equal(40, (await _mailDev.WaitForEmailsAsync(40)).Count);
    }

    [Fact]
    public async Task CustomerEmail_ArrivesWithUnsubscribePair_MessageId_BothParts_InTheCustomersLanguage()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        email.Options.PublicBaseUrl = new Uri("https://feedback.example.nl/");
        var customer = await email.AddCustomerAsync("Sam@Example.nl");
        await email.QueueToCustomerAsync(customer, "thank-you:o-1");
        using var transports = EmailHarness.Smtp(_mailDev.SmtpPort);

        await EmailHarness.DrainAsync(email.Dispatcher(transports));

        var arrived = Assert.Single(await _mailDev.WaitForEmailsAsync(1));
        // Long headers are folded over several lines; unfold before reading them.
        var source = (await _mailDev.SourceAsync(arrived.GetProperty("id").GetString()!)).Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var row = await db.OutboxEmails.SingleAsync();
        Assert.Contains($"Message-ID: <{row.MessageId}>", source, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"List-Unsubscribe: <https://feedback\.example\.nl/unsubscribe/[A-Za-z0-9_-]{40,}>", source);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", source, StringComparison.Ordinal);
        Assert.Contains("multipart/alternative", source, StringComparison.Ordinal);
        Assert.Contains("text/plain", source, StringComparison.Ordinal);
        Assert.Contains("text/html", source, StringComparison.Ordinal);
        Assert.Equal("Bedankt voor je bestelling, Sam", arrived.GetProperty("subject").GetString());
        Assert.Contains("Bedankt, Sam!", arrived.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("lang=\"nl\"", arrived.GetProperty("html").GetString(), StringComparison.Ordinal);
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

    internal static QueuedEmail Email(string key) =>
        new(key, EmailPurpose.Offer, $"{key}@example.nl", null, $"Subject {key}", $"<p>{key}</p>", key);
}
