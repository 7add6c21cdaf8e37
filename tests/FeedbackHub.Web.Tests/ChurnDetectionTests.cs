using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Churn;
using FeedbackHub.Web.Features.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>The churn rules on a fixed clock, on both databases (the detection is provider-specific SQL).</summary>
[Collection(PostgresCollection.Name)]
public sealed class ChurnDetectionTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task DetectAll_AppliesEachRule_AndExplainsItInPlainWords(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database, now: Now);
        // Gaps 22, 20 and 21 days: median 21, threshold max(60, 3 × 21) = 63 days; last order 94 days ago.
        var regular = await CustomerWithOrdersAsync(harness, "regular", 94 + 63, 94 + 41, 94 + 21, 94);
        // The same rhythm, last order 50 days ago: not gone yet.
        await CustomerWithOrdersAsync(harness, "recent", 50 + 63, 50 + 41, 50 + 21, 50);
        // Weekly buyer: 3 × 7 = 21 days, but nobody lapses before the 60-day minimum.
        var weekly = await CustomerWithOrdersAsync(harness, "weekly", 61 + 14, 61 + 7, 61);
        await CustomerWithOrdersAsync(harness, "weekly-recent", 59 + 14, 59 + 7, 59);
        // Gaps 10 and 30: the median of an even count is the mean of the middle two (20), threshold 60.
        var uneven = await CustomerWithOrdersAsync(harness, "uneven", 70 + 40, 70 + 30, 70);
        // One-time buyers have their own window (120 days).
        var once = await CustomerWithOrdersAsync(harness, "once", 121);
        await CustomerWithOrdersAsync(harness, "once-recent", 119);

        var result = await DetectAsync(harness);

        Assert.Equal(new ChurnDetection(0, 4, 0), result);
        var events = await EventsAsync(database);
        Assert.Equal(4, events.Count);
        var byCustomer = events.ToDictionary(e => e.CustomerId);
        Assert.Equal("last order 94 days ago; usual gap 21 days; threshold 63 days", byCustomer[regular].Explanation);
        Assert.Equal((ChurnKind.Lapsed, 63, 21.0), (byCustomer[regular].Kind, byCustomer[regular].ThresholdDays, Math.Round(byCustomer[regular].UsualGapDays!.Value, 6)));
        Assert.Equal(Now.AddDays(-94), byCustomer[regular].ReferenceAt);
        Assert.Equal(Now.AddDays(-94 + 63), byCustomer[regular].ChurnedAt);
        Assert.Equal(Now, byCustomer[regular].OpenedAt);
        Assert.Equal("last order 61 days ago; usual gap 7 days; threshold 60 days", byCustomer[weekly].Explanation);
        Assert.Equal("last order 70 days ago; usual gap 20 days; threshold 60 days", byCustomer[uneven].Explanation);
        Assert.Equal("one order only, 121 days ago; threshold for one-time buyers 120 days", byCustomer[once].Explanation);
        Assert.Null(byCustomer[once].UsualGapDays);

        // A second run the same night finds nothing new.
        Assert.Equal(new ChurnDetection(0, 0, 0), await DetectAsync(harness));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task LaterOrder_ClosesTheEventAsWonBack_WithItsDate(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database, now: Now);
        var customer = await CustomerWithOrdersAsync(harness, "back", 200);
        await DetectAsync(harness);
        harness.Time.Advance(TimeSpan.FromDays(3));

        await IngestAsync(harness, s => s.OrdersAsync(
            [new OrderInput { ExternalId = "back-new", CustomerExternalId = "c-back@example.nl", PlacedAt = Now.AddDays(2), Total = 20, Currency = "EUR" }],
            IngestContext.OneItem, CancellationToken.None));

        var closed = Assert.Single(await EventsAsync(database));
        Assert.Equal((customer, Now.AddDays(2)), (closed.CustomerId, closed.WonBackAt));
        // Back in the rhythm: the next night's run opens nothing.
        Assert.Equal(new ChurnDetection(0, 0, 0), await DetectAsync(harness));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Cancellation_OpensAnEventAtOnce_AndAResumeWinsTheCustomerBack(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database, now: Now);
        var customer = await CustomerWithOrdersAsync(harness, "sub", 10);
        await SubscriptionEventAsync(harness, "sub", "e-1", SubscriptionEventKind.Started, Now.AddDays(-100));

        await SubscriptionEventAsync(harness, "sub", "e-2", SubscriptionEventKind.Cancelled, Now.AddDays(-1));

        var opened = Assert.Single(await EventsAsync(database));
        Assert.Equal((customer, ChurnKind.SubscriptionCancelled, "subscription cancelled on 2026-11-19"), (opened.CustomerId, opened.Kind, opened.Explanation));
        Assert.Null(opened.WonBackAt);
        // Replaying the same cancellation changes nothing, nor does the nightly run.
        await SubscriptionEventAsync(harness, "sub", "e-2", SubscriptionEventKind.Cancelled, Now.AddDays(-1));
        Assert.Equal(new ChurnDetection(0, 0, 0), await DetectAsync(harness));

        await SubscriptionEventAsync(harness, "sub", "e-3", SubscriptionEventKind.Resumed, Now);

        Assert.Equal(Now, Assert.Single(await EventsAsync(database)).WonBackAt);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RunningSubscriber_IsNotALapsedBuyer(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database, now: Now);
        await CustomerWithOrdersAsync(harness, "subscriber", 300);
        await SubscriptionEventAsync(harness, "subscriber", "s-1", SubscriptionEventKind.Started, Now.AddDays(-300));
        await CustomerWithOrdersAsync(harness, "paused", 300);
        await SubscriptionEventAsync(harness, "paused", "p-1", SubscriptionEventKind.Started, Now.AddDays(-300));
        await SubscriptionEventAsync(harness, "paused", "p-2", SubscriptionEventKind.Paused, Now.AddDays(-200));

        Assert.Equal(new ChurnDetection(0, 0, 0), await DetectAsync(harness));
        Assert.Empty(await EventsAsync(database));
    }

    private static async Task<ChurnDetection> DetectAsync(EmailHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChurnDetector>().DetectAllAsync(CancellationToken.None);
    }

    private static async Task<List<ChurnEvent>> EventsAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.ChurnEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>A customer with orders placed the given numbers of days before now.</summary>
    internal static async Task<long> CustomerWithOrdersAsync(EmailHarness harness, string id, params int[] daysAgo)
    {
        var customer = await harness.AddCustomerAsync($"{id}@example.nl");
        await using var scope = harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = harness.Time.GetUtcNow();
        db.Orders.AddRange(daysAgo.Select((days, i) => new Order
        {
            ExternalId = $"{id}-{i}", CustomerId = customer.Id, PlacedAt = now.AddDays(-days), Total = 20, Currency = "EUR",
            CreatedAt = now, UpdatedAt = now,
        }));
        await db.SaveChangesAsync();
        return customer.Id;
    }

    internal static Task SubscriptionEventAsync(EmailHarness harness, string customer, string eventId, SubscriptionEventKind kind, DateTimeOffset at) =>
        IngestAsync(harness, s => s.SubscriptionEventsAsync(
            [new SubscriptionEventInput { EventId = eventId, CustomerExternalId = $"c-{customer}@example.nl", Kind = kind.ToString().ToLowerInvariant(), OccurredAt = at }],
            IngestContext.OneItem, CancellationToken.None));

    private static async Task IngestAsync(EmailHarness harness, Func<IngestService, Task<IngestItemResult[]>> ingest)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var results = await ingest(scope.ServiceProvider.GetRequiredService<IngestService>());
        Assert.All(results, r => Assert.NotEqual(IngestOutcome.Rejected, r.Outcome));
    }
}
