using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Data.Tests;

/// <summary>Each test runs once per provider, against SQLite and a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CoreEntityRoundTripTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Joined = new(2026, 3, 1, 9, 30, 15, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task CoreEntities_SavedAndReadBack_KeepEveryValue(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using (var write = await database.CreateMigratedContextAsync())
        {
            var customer = NewCustomer("c-1");
            customer.Orders.Add(new Order
            {
                ExternalId = "o-1", PlacedAt = Joined.AddDays(3), Total = 1234.5678m, Currency = "EUR",
                DiscountCode = "WELCOME15", ItemCount = 3, CreatedAt = Joined,
            });
            customer.SubscriptionEvents.Add(new SubscriptionEvent
            {
                EventId = "e-1", Kind = SubscriptionEventKind.Cancelled, OccurredAt = Joined.AddDays(40), ReceivedAt = Joined.AddDays(40),
            });
            write.Add(customer);
            write.AuditLog.Add(new AuditEntry { OccurredAt = Joined, ActorName = "system", Action = AuditActions.DemoDataSeeded, Target = "test" });
            await write.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var loaded = await read.Customers.Include(c => c.Orders).Include(c => c.SubscriptionEvents).SingleAsync();
        Assert.Equal(("c-1", "anna@example.nl", "Anna", "de Vries", "nl", "Europe/Amsterdam"),
            (loaded.ExternalId, loaded.Email, loaded.FirstName, loaded.LastName, loaded.Locale, loaded.TimeZone));
        Assert.True(loaded.MarketingConsent);
        Assert.Equal(("checkout", Joined), (loaded.MarketingConsentSource, loaded.MarketingConsentAt));
        Assert.Equal(Joined, loaded.CreatedAt);
        var order = Assert.Single(loaded.Orders);
        Assert.Equal(("o-1", 1234.5678m, "EUR", "WELCOME15", 3, Joined.AddDays(3)),
            (order.ExternalId, order.Total, order.Currency, order.DiscountCode, order.ItemCount, order.PlacedAt));
        var subscriptionEvent = Assert.Single(loaded.SubscriptionEvents);
        Assert.Equal(("e-1", SubscriptionEventKind.Cancelled, Joined.AddDays(40)),
            (subscriptionEvent.EventId, subscriptionEvent.Kind, subscriptionEvent.OccurredAt));
        Assert.Equal(AuditActions.DemoDataSeeded, (await read.AuditLog.SingleAsync()).Action);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task DateTimeOffset_WithLocalOffset_IsStoredAsTheSameInstantInUtc(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        var amsterdamEvening = new DateTimeOffset(2026, 7, 1, 22, 15, 0, TimeSpan.FromHours(2));
        await using (var write = await database.CreateMigratedContextAsync())
        {
            var customer = NewCustomer("c-tz");
            customer.CreatedAt = amsterdamEvening;
            write.Add(customer);
            await write.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var created = (await read.Customers.SingleAsync()).CreatedAt;
        Assert.Equal(amsterdamEvening.UtcDateTime, created.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, created.Offset);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Orders_FilteredSortedAndSummedInSql_GiveExactResults(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var db = await database.CreateMigratedContextAsync();
        var customer = NewCustomer("c-sum");
        decimal[] totals = [0.10m, 0.20m, 19.99m, 100.005m, 7m];
        for (var i = 0; i < totals.Length; i++)
        {
            customer.Orders.Add(new Order { ExternalId = $"o-{i}", PlacedAt = Joined.AddDays(10 - i), Total = totals[i], Currency = "EUR", ItemCount = 1 });
        }

        db.Add(customer);
        await db.SaveChangesAsync();

        var since = Joined.AddDays(7);
        var recent = await db.Orders.Where(o => o.PlacedAt >= since).OrderBy(o => o.PlacedAt).Select(o => o.ExternalId).ToListAsync();
        var sum = await db.Orders.SumAsync(o => o.Total);
        var large = await db.Orders.CountAsync(o => o.Total > 19.99m);

        Assert.Equal(["o-3", "o-2", "o-1", "o-0"], recent);
        Assert.Equal(127.295m, sum);
        Assert.Equal(1, large);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ExternalIds_Duplicated_AreRefusedByTheDatabase(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using (var db = await database.CreateMigratedContextAsync())
        {
            db.Add(NewCustomer("same"));
            await db.SaveChangesAsync();
        }

        await using var second = database.CreateContext();
        second.Add(NewCustomer("same"));
        await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Customer_WithUnsupportedLocale_IsRefusedByTheDatabase(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var db = await database.CreateMigratedContextAsync();
        var customer = NewCustomer("c-fr");
        customer.Locale = "fr";
        db.Add(customer);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    private static Customer NewCustomer(string externalId) => new()
    {
        ExternalId = externalId,
        Email = "anna@example.nl",
        FirstName = "Anna",
        LastName = "de Vries",
        Locale = CustomerLocales.Dutch,
        TimeZone = "Europe/Amsterdam",
        MarketingConsent = true,
        MarketingConsentSource = "checkout",
        MarketingConsentAt = Joined,
        CreatedAt = Joined,
        UpdatedAt = Joined,
    };
}
