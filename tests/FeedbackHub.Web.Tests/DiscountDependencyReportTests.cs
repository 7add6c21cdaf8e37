using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Campaigns;

namespace FeedbackHub.Web.Tests;

/// <summary>Buyers by discount share, and whom the campaigns' exclusion rule keeps out, on hand-counted orders, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DiscountDependencyReportTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly ReportPeriod October = ReportPeriod.Month(2026, 10, Amsterdam);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Distribution_PutsEachBuyerInTheRangeOfTheirShare_EdgesIncluded(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await SeedAsync(database);
        await using var context = database.CreateContext();
        var report = new DiscountDependencyReport(context, database.Settings, TestReports.Summaries(context, database));

        var all = await report.DistributionAsync(October, CustomerFilter.All, CancellationToken.None);
        var dutch = await report.DistributionAsync(October, new CustomerFilter(Language: CustomerLocales.Dutch), CancellationToken.None);
        var empty = await report.DistributionAsync(ReportPeriod.Month(2025, 1, Amsterdam), CustomerFilter.All, CancellationToken.None);

        Assert.Equal(["0 %", ">0–25 %", ">25–50 %", ">50–75 %", ">75–<100 %", "100 %"], all.Distribution.Select(g => g.Label).ToList());
        Assert.Equal([2, 1, 1, 1, 1, 1], all.Distribution.Select(g => g.Customers).ToList());
        Assert.Equal((7, 28.6m, 14.3m), (all.Customers, all.Distribution[0].Percent, all.Distribution[5].Percent));
        Assert.Equal([0, 0, 0, 0, 0, 1], dutch.Distribution.Select(g => g.Customers).ToList());
        Assert.Equal((0, null), (empty.Customers, empty.Distribution[0].Percent));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task NotWorthAnOffer_IsWhomTheCampaignRuleExcludes_FlaggedFirst(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await SeedAsync(database);
        await using var context = database.CreateContext();
        var report = new DiscountDependencyReport(context, database.Settings, TestReports.Summaries(context, database));

        var onlyWithDiscount = await report.NotWorthAnOfferAsync(CustomerFilter.All, DiscountDependencyReport.OnlyWithDiscount, 1, CancellationToken.None);
        var aboveHalf = await report.NotWorthAnOfferAsync(CustomerFilter.All, 0.5m, 1, CancellationToken.None);
        var dutch = await report.NotWorthAnOfferAsync(new CustomerFilter(Language: CustomerLocales.Dutch), 0.5m, 1, CancellationToken.None);

        // Judged on all their orders, as a campaign would at their next one: "flagged-idle" ordered only in August.
        // Flagged first, then by share: "flagged-idle" bought only with a discount, "flagged" never.
        Assert.Equal(["flagged-idle", "flagged", "all"], onlyWithDiscount.Rows.Select(r => r.ExternalId).ToList());
        Assert.Equal((ExclusionRule.FlaggedBySupport, "flagged by support"), (onlyWithDiscount.Rows[1].Rule, onlyWithDiscount.Rows[1].Reason));
        Assert.Equal((ExclusionRule.DiscountDependent, "discount-dependent: 2 of 2 earlier orders with a discount (above 99 %)", 100.0m),
            (onlyWithDiscount.Rows[2].Rule, onlyWithDiscount.Rows[2].Reason, onlyWithDiscount.Rows[2].DiscountPercent));
        // "half" has 2 of 3 with a discount over all time (the one on 1 November counts), as many as "two-thirds": the older customer first.
        Assert.Equal(["flagged-idle", "flagged", "all", "four-fifths", "half", "two-thirds"], aboveHalf.Rows.Select(r => r.ExternalId).ToList());
        Assert.Equal(6, aboveHalf.Total);
        Assert.Equal(["all"], dutch.Rows.Select(r => r.ExternalId).ToList());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task NotWorthAnOffer_FollowsOrdersAndCodesChangedAfterItWasCounted(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await SeedAsync(database);
        await using var db = database.CreateContext();
        async Task<List<string>> ExcludedAsync()
        {
            await using var context = database.CreateContext();
            var page = await new DiscountDependencyReport(context, database.Settings, TestReports.Summaries(context, database))
                .NotWorthAnOfferAsync(CustomerFilter.All, DiscountDependencyReport.OnlyWithDiscount, 1, CancellationToken.None);
            return [.. page.Rows.Select(r => r.ExternalId)];
        }

        Assert.Equal(["flagged-idle", "flagged", "all"], await ExcludedAsync());

        // "none" is corrected: both its orders carried a code after all.
        foreach (var order in db.Orders.Where(o => o.Customer!.ExternalId == "none"))
        {
            order.DiscountCode = "SAVE10";
        }

        await db.SaveChangesAsync();
        Assert.Equal(["flagged-idle", "flagged", "none", "all"], await ExcludedAsync());

        // "all" orders once without a code: no longer only with a discount.
        var all = db.Customers.Single(c => c.ExternalId == "all");
        db.Orders.Add(new Order { ExternalId = "all-3", Customer = all, PlacedAt = Day(11, 2), Total = 25, Currency = "EUR", CreatedAt = Day(11, 2), UpdatedAt = Day(11, 2) });
        await db.SaveChangesAsync();
        Assert.Equal(["flagged-idle", "flagged", "none"], await ExcludedAsync());
    }

    private static async Task SeedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        Buyer(db, "none", (false, Day(10, 1)), (false, Day(10, 2)));
        Buyer(db, "quarter", (true, Day(10, 1)), (false, Day(10, 2)), (false, Day(10, 3)), (false, Day(10, 4)));
        // One of two in October; the discounted order at 00:30 on 1 November in Amsterdam is not October's.
        Buyer(db, "half", (true, Day(10, 1)), (false, Day(10, 2)), (true, new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero)));
        // 00:30 on 1 October in Amsterdam: October's.
        Buyer(db, "two-thirds", (true, new DateTimeOffset(2026, 9, 30, 22, 30, 0, TimeSpan.Zero)), (true, Day(10, 2)), (false, Day(10, 3)));
        Buyer(db, "four-fifths", (true, Day(10, 1)), (true, Day(10, 2)), (true, Day(10, 3)), (true, Day(10, 4)), (false, Day(10, 5)));
        Buyer(db, "all", CustomerLocales.Dutch, false, (true, Day(10, 1)), (true, Day(10, 2)));
        Buyer(db, "flagged", CustomerLocales.English, true, (false, Day(10, 1)));
        Buyer(db, "flagged-idle", CustomerLocales.English, true, (true, Day(8, 1)));
        await db.SaveChangesAsync();
    }

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);

    private static void Buyer(AppDbContext db, string id, params (bool Discount, DateTimeOffset At)[] orders) => Buyer(db, id, CustomerLocales.English, false, orders);

    private static void Buyer(AppDbContext db, string id, string locale, bool flagged, params (bool Discount, DateTimeOffset At)[] orders)
    {
        var customer = new Customer { ExternalId = id, Email = $"{id}@example.com", Locale = locale, FlaggedBySupport = flagged, CreatedAt = Day(1, 1), UpdatedAt = Day(1, 1) };
        db.Customers.Add(customer);
        var number = 0;
        foreach (var (discount, at) in orders)
        {
            db.Orders.Add(new Order
            {
                ExternalId = $"{id}-{++number}", Customer = customer, PlacedAt = at, Total = 25, Currency = "EUR", DiscountCode = discount ? "SAVE10" : null,
                CreatedAt = at, UpdatedAt = at,
            });
        }
    }
}
