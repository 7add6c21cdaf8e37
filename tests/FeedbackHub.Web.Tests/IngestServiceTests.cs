using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>The shared ingest path, once per provider, on SQLite and a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IngestServiceTests(PostgresServer postgres) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly System.Collections.Concurrent.ConcurrentBag<EmailHarness> _harnesses = [];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Customers_InsertResendChange_AreInsertedUnchangedUpdated(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var anna = new CustomerInput { ExternalId = "c-1", Email = "anna@example.nl", FirstName = "Anna", Locale = "nl", MarketingConsent = true };

        var first = await CustomersAsync(database, anna);
        var again = await CustomersAsync(database, anna);
        var changed = await CustomersAsync(database, anna with { Email = "anna.devries@example.nl" });

        Assert.Equal(IngestOutcome.Inserted, first.Outcome);
        Assert.Equal(IngestOutcome.Unchanged, again.Outcome);
        Assert.Equal(IngestOutcome.Updated, changed.Outcome);
        await using var db = database.CreateContext();
        var stored = await db.Customers.SingleAsync();
        Assert.Equal(("anna.devries@example.nl", "Anna", "nl", "Europe/Amsterdam", true, "api", Now),
            (stored.Email, stored.FirstName, stored.Locale, stored.TimeZone, stored.MarketingConsent, stored.MarketingConsentSource, stored.MarketingConsentAt));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Customers_OptionalFieldsLeftOut_KeepWhatIsStored(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await CustomersAsync(database, new CustomerInput
        {
            ExternalId = "c-1", Email = "anna@example.nl", FirstName = "Anna", LastName = "Smit", Locale = "nl",
            TimeZone = "Europe/London", MarketingConsent = true, MarketingConsentSource = "checkout",
        });

        var result = await CustomersAsync(database, new CustomerInput { ExternalId = "c-1", Email = "anna@example.nl", LastName = "" });

        Assert.Equal(IngestOutcome.Updated, result.Outcome);
        await using var db = database.CreateContext();
        var stored = await db.Customers.SingleAsync();
        Assert.Equal(("Anna", null, "nl", "Europe/London", true, "checkout"),
            (stored.FirstName, stored.LastName, stored.Locale, stored.TimeZone, stored.MarketingConsent, stored.MarketingConsentSource));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Customers_ConsentWithdrawn_RecordsSourceAndTime(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await CustomersAsync(database, new CustomerInput { ExternalId = "c-1", Email = "a@example.nl", MarketingConsent = true, MarketingConsentSource = "checkout" });
        var withdrawnAt = Now.AddHours(-1);

        await CustomersAsync(database, new CustomerInput
        {
            ExternalId = "c-1", Email = "a@example.nl", MarketingConsent = false, MarketingConsentSource = "account-page", MarketingConsentAt = withdrawnAt,
        });

        await using var db = database.CreateContext();
        var stored = await db.Customers.SingleAsync();
        Assert.Equal((false, "account-page", withdrawnAt), (stored.MarketingConsent, stored.MarketingConsentSource, stored.MarketingConsentAt));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Orders_UnknownCustomer_IsRejectedWithReasonAndOthersAreStored(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await CustomersAsync(database, new CustomerInput { ExternalId = "c-1", Email = "a@example.nl" });
        var service = CreateService(database, out var db);
        await using var _ = db;

        var results = await service.OrdersAsync(
            [Order("o-1", "c-1", 12.3456m), Order("o-2", "nobody", 5m)], IngestContext.Batch, CancellationToken.None);

        Assert.Equal([IngestOutcome.Inserted, IngestOutcome.Rejected], results.Select(r => r.Outcome));
        var error = Assert.Single(results[1].Errors);
        Assert.Equal("items[1].customerExternalId", error.Path);
        Assert.Equal(IngestService.UnknownCustomerMessage, error.Message);
        Assert.Equal(12.3456m, (await db.Orders.SingleAsync()).Total);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Orders_ResentAndChanged_AreUnchangedThenUpdated(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await CustomersAsync(database, new CustomerInput { ExternalId = "c-1", Email = "a@example.nl" });
        await CustomersAsync(database, new CustomerInput { ExternalId = "c-2", Email = "b@example.nl" });
        var service = CreateService(database, out var db);
        await using var _ = db;

        await service.OrdersAsync([Order("o-1", "c-1", 10m)], IngestContext.OneItem, CancellationToken.None);
        var resent = await service.OrdersAsync([Order("o-1", "c-1", 10m)], IngestContext.OneItem, CancellationToken.None);
        var moved = await service.OrdersAsync([Order("o-1", "c-2", 10m) with { DiscountCode = "SPRING" }], IngestContext.OneItem, CancellationToken.None);

        Assert.Equal(IngestOutcome.Unchanged, resent[0].Outcome);
        Assert.Equal(IngestOutcome.Updated, moved[0].Outcome);
        var stored = await db.Orders.Include(o => o.Customer).SingleAsync();
        Assert.Equal(("c-2", "SPRING"), (stored.Customer!.ExternalId, stored.DiscountCode));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SubscriptionEvents_Replayed_ChangeNothing(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await CustomersAsync(database, new CustomerInput { ExternalId = "c-1", Email = "a@example.nl" });
        var service = CreateService(database, out var db);
        await using var _ = db;
        var cancelled = new SubscriptionEventInput { EventId = "e-1", CustomerExternalId = "c-1", Kind = "cancelled", OccurredAt = Now.AddDays(-1) };

        var first = await service.SubscriptionEventsAsync([cancelled], IngestContext.OneItem, CancellationToken.None);
        var replay = await service.SubscriptionEventsAsync([cancelled with { Kind = "paused" }], IngestContext.OneItem, CancellationToken.None);

        Assert.Equal(IngestOutcome.Inserted, first[0].Outcome);
        Assert.Equal(IngestOutcome.Unchanged, replay[0].Outcome);
        Assert.Equal(Data.Subscriptions.SubscriptionEventKind.Cancelled, (await db.SubscriptionEvents.SingleAsync()).Kind);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Batch_WithDuplicateKey_KeepsTheLastAndReportsTheEarlier(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var service = CreateService(database, out var db);
        await using var _ = db;

        var results = await service.CustomersAsync(
        [
            new CustomerInput { ExternalId = "c-1", Email = "first@example.nl" },
            new CustomerInput { ExternalId = "c-1", Email = "second@example.nl" },
        ], IngestChannels.Api, IngestContext.Batch, CancellationToken.None);

        Assert.Equal([IngestOutcome.Rejected, IngestOutcome.Inserted], results.Select(r => r.Outcome));
        Assert.Contains("Superseded by item 1", results[0].Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("second@example.nl", (await db.Customers.SingleAsync()).Email);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SameOrder_TenTimesConcurrently_LeavesOneRow(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await CustomersAsync(database, new CustomerInput { ExternalId = "c-1", Email = "a@example.nl" });

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            var service = CreateService(database, out var db);
            await using (db)
            {
                return (await service.OrdersAsync([Order("o-race", "c-1", 42m)], IngestContext.OneItem, CancellationToken.None))[0];
            }
        }));

        Assert.Equal(1, results.Count(r => r.Outcome == IngestOutcome.Inserted));
        Assert.All(results, r => Assert.NotEqual(IngestOutcome.Rejected, r.Outcome));
        await using var check = database.CreateContext();
        Assert.Equal(1, await check.Orders.CountAsync());
    }

    [Fact]
    public async Task Validation_EveryBadField_IsNamedByPath()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        var service = CreateService(database, out var db);
        await using var _ = db;

        var results = await service.OrdersAsync(
        [
            new OrderInput { ExternalId = " padded", CustomerExternalId = "", PlacedAt = Now.AddDays(2), Total = -1m, Currency = "EURO", ItemCount = -3 },
        ], IngestContext.Batch, CancellationToken.None);

        Assert.Equal(
            ["items[0].externalId", "items[0].customerExternalId", "items[0].placedAt", "items[0].total", "items[0].currency", "items[0].itemCount"],
            results[0].Errors.Select(e => e.Path));
        Assert.Equal(0, await db.Orders.CountAsync());
    }

    private static OrderInput Order(string id, string customer, decimal total) => new()
    {
        ExternalId = id, CustomerExternalId = customer, PlacedAt = Now.AddDays(-3), Total = total, Currency = "EUR", ItemCount = 2,
    };

    private IngestService CreateService(TestDatabase database, out AppDbContext db)
    {
        var harness = new EmailHarness(database, now: Now);
        _harnesses.Add(harness);
        var services = harness.Services.CreateScope().ServiceProvider;
        db = services.GetRequiredService<AppDbContext>();
        return services.GetRequiredService<IngestService>();
    }

    public void Dispose()
    {
        foreach (var harness in _harnesses)
        {
            harness.Dispose();
        }
    }

    private async Task<IngestItemResult> CustomersAsync(TestDatabase database, CustomerInput input)
    {
        var service = CreateService(database, out var db);
        await using (db)
        {
            return (await service.CustomersAsync([input], IngestChannels.Api, IngestContext.OneItem, CancellationToken.None))[0];
        }
    }
}
