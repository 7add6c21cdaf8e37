using System.Diagnostics;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Tests;

/// <summary>The dispatcher against a scripted SMTP peer that refuses, defers and bounces on demand.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DispatcherFaultTests(PostgresServer postgres)
{
    [Fact]
    public async Task TemporaryRefusals_421Then451_AreDeliveredAfterRetries()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var smtp = new ScriptedSmtpServer((_, attempt) => attempt switch
        {
            0 => new(421, "4.3.2 Service shutting down"),
            1 => new(451, "4.7.1 Greylisted, try again later"),
            _ => SmtpReply.Ok,
        });
        using var transports = EmailHarness.Smtp(smtp.Port);
        var dispatcher = email.Dispatcher(transports);
        await email.QueueAsync(OutboxTests.Email("greylisted"));

        var statuses = new List<(OutboxStatus, int)>();
        for (var round = 0; round < 3; round++)
        {
            await dispatcher.DispatchOnceAsync(CancellationToken.None);
            await using var db = database.CreateContext();
            var row = await db.OutboxEmails.SingleAsync();
            statuses.Add((row.Status, row.Attempts));
            email.Time.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal([(OutboxStatus.Pending, 1), (OutboxStatus.Pending, 2), (OutboxStatus.Sent, 3)], statuses);
        Assert.Single(smtp.Accepted);
    }

    [Fact]
    public async Task UnknownUser_550_FailsAtOnceAndSuppressesTheAddress()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var smtp = new ScriptedSmtpServer((_, _) => new(550, "5.1.1 <gone@example.nl>: Recipient address rejected: User unknown"));
        using var transports = EmailHarness.Smtp(smtp.Port);
        var customer = await email.AddCustomerAsync("Gone@example.nl");
        await email.QueueToCustomerAsync(customer, "thank-you:o-1");

        await EmailHarness.DrainAsync(email.Dispatcher(transports));

        await using var db = database.CreateContext();
        var row = await db.OutboxEmails.SingleAsync();
        Assert.Equal((OutboxStatus.Failed, 1), (row.Status, row.Attempts));
        Assert.Contains("5.1.1", row.LastError, StringComparison.Ordinal);
        var suppression = await db.Suppressions.SingleAsync();
        Assert.Equal(("gone@example.nl", SuppressionScope.All, SuppressionReason.Bounced), (suppression.Address, suppression.Scope, suppression.Reason));

        var next = await email.QueueToCustomerAsync(customer, "thank-you:o-2");
        Assert.Equal(Features.Email.QueueOutcome.Skipped, next.Outcome);
        Assert.Empty(smtp.Accepted);
    }

    [Fact]
    public async Task OtherPermanentRefusal_Fails_WithoutSuppressing()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var smtp = new ScriptedSmtpServer((_, _) => new(554, "5.7.1 Relay access denied"));
        using var transports = EmailHarness.Smtp(smtp.Port);
        await email.QueueAsync(OutboxTests.Email("relay"));

        await EmailHarness.DrainAsync(email.Dispatcher(transports));

        await using var db = database.CreateContext();
        Assert.Equal(OutboxStatus.Failed, (await db.OutboxEmails.SingleAsync()).Status);
        Assert.Empty(await db.Suppressions.ToListAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ParallelConnections_SendOverExactlyTheConfiguredNumber(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        (email.Options.Dispatcher.Connections, email.Options.Dispatcher.BatchSize) = (4, 100);
        await using var smtp = new ScriptedSmtpServer();
        using var transports = EmailHarness.Smtp(smtp.Port);
        await email.QueueAsync([.. Enumerable.Range(0, 60).Select(i => OutboxTests.Email($"parallel-{i}"))]);

        Assert.Equal(60, await EmailHarness.DrainAsync(email.Dispatcher(transports)));

        Assert.Equal(60, smtp.Accepted.Count);
        Assert.Equal(4, smtp.PeakConnections);
        await using var db = database.CreateContext();
        Assert.Equal(60, await db.OutboxEmails.CountAsync(e => e.Status == OutboxStatus.Sent));
    }

    [Fact]
    public async Task RateLimit_HoldsSendsBackAcrossConnections()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        (email.Options.Dispatcher.Connections, email.Options.Dispatcher.MaxPerSecond) = (4, 5);
        await using var smtp = new ScriptedSmtpServer();
        using var transports = EmailHarness.Smtp(smtp.Port);
        await email.QueueAsync([.. Enumerable.Range(0, 16).Select(i => OutboxTests.Email($"limited-{i}"))]);

        var clock = Stopwatch.StartNew();
        await EmailHarness.DrainAsync(email.Dispatcher(transports));

        // 5 at once from the full bucket, then 5 per second: the 16th cannot leave before about 2 seconds.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"16 emails at 5/s took only {clock.Elapsed}");
        Assert.Equal(16, smtp.Accepted.Count);
    }

    [Fact]
    public async Task SuppressedAfterQueueing_IsSkippedAtSendTime()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var smtp = new ScriptedSmtpServer();
        using var transports = EmailHarness.Smtp(smtp.Port);
        var customer = await email.AddCustomerAsync("late-no@example.nl");
        await email.QueueToCustomerAsync(customer, "thank-you:o-9");
        await using (var db = database.CreateContext())
        {
            db.Suppressions.Add(new Suppression { Address = "late-no@example.nl", Scope = SuppressionScope.Offers, Reason = SuppressionReason.Unsubscribed, CreatedAt = email.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        await EmailHarness.DrainAsync(email.Dispatcher(transports));

        await using var check = database.CreateContext();
        var row = await check.OutboxEmails.SingleAsync();
        Assert.Equal(OutboxStatus.Skipped, row.Status);
        Assert.StartsWith("suppressed: Unsubscribed (Offers)", row.LastError, StringComparison.Ordinal);
        Assert.Empty(smtp.Accepted);
    }
}
