using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;

namespace FeedbackHub.Web.Tests;

/// <summary>Cohorts counted in the database against a table worked out by hand, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CohortReportTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Cohorts_CountFirstPurchasesAndLaterMonths_InTheShopsZone(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            Orders(db, "x1", Day(7, 5), Day(8, 10), Day(10, 2));
            // Its last order is 00:30 on 1 November in Amsterdam: after the range.
            Orders(db, "x2", Day(7, 20), new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero));
            // 22:30 UTC on 30 June is 00:30 on 1 July in Amsterdam: July's cohort.
            Orders(db, "x3", new DateTimeOffset(2026, 6, 30, 22, 30, 0, TimeSpan.Zero), Day(9, 15));
            // Two orders in August count once.
            Orders(db, "y1", Day(8, 3), Day(8, 20), Day(9, 1));
            // First bought before the range: in no cohort, even though it orders within it.
            Orders(db, "z1", Day(5, 1), Day(8, 12));
            await db.SaveChangesAsync();
        }

        await using var context = database.CreateContext();
        var cohorts = await Report(context, database).CohortsAsync(new DateOnly(2026, 10, 1), 4, Amsterdam, CustomerFilter.All, CancellationToken.None);

        Assert.Equal(["2026-07", "2026-08", "2026-09", "2026-10"], cohorts.Select(c => c.Month.Label).ToList());
        Assert.Equal([3, 1, 0, 0], cohorts.Select(c => c.Customers).ToList());
        Assert.Equal([3, 1, 1, 1], cohorts[0].Active);
        Assert.Equal([1, 1, 0], cohorts[1].Active);
        Assert.Equal([0, 0], cohorts[2].Active);
        Assert.Equal(33.3m, cohorts[0].PercentAt(1));
        Assert.Null(cohorts[2].PercentAt(0));
        Assert.Null(cohorts[1].PercentAt(3));
        // A filter narrows the cohorts to its customers (all here are English).
        var dutch = await Report(context, database).CohortsAsync(new DateOnly(2026, 10, 1), 4, Amsterdam, new CustomerFilter(Language: "nl"), CancellationToken.None);
        var english = await Report(context, database).CohortsAsync(new DateOnly(2026, 10, 1), 4, Amsterdam, new CustomerFilter(Language: "en"), CancellationToken.None);
        Assert.All(dutch, c => Assert.Equal(0, c.Customers));
        Assert.Equal(cohorts.SelectMany(c => c.Active), english.SelectMany(c => c.Active));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task TheSummary_FollowsOrdersAddedMovedAndDeleted_AndTheShopsZone(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            Orders(db, "a", Day(7, 5), Day(8, 10));
            await db.SaveChangesAsync();
        }

        await using var context = database.CreateContext();
        var report = Report(context, database);
        Task<IReadOnlyList<Cohort>> CohortsAsync(TimeZoneInfo zone) =>
            report.CohortsAsync(new DateOnly(2026, 10, 1), 4, zone, CustomerFilter.All, CancellationToken.None);
        Assert.Equal([1, 1, 0, 0], (await CohortsAsync(Amsterdam))[0].Active);

        await using (var db = database.CreateContext())
        {
            // A second customer arrives, and the first one's August order moves to September.
            Orders(db, "b", Day(8, 1));
            await db.SaveChangesAsync();
            var august = db.Orders.Single(o => o.ExternalId == "a-1");
            august.PlacedAt = Day(9, 9);
            await db.SaveChangesAsync();
        }

        var cohorts = await CohortsAsync(Amsterdam);
        Assert.Equal([1, 0, 1, 0], cohorts[0].Active);
        Assert.Equal([1, 0, 0], cohorts[1].Active);

        await using (var db = database.CreateContext())
        {
            // Deleting the first order makes September the first customer's first month.
            db.Orders.Remove(db.Orders.Single(o => o.ExternalId == "a-0"));
            await db.SaveChangesAsync();
        }

        cohorts = await CohortsAsync(Amsterdam);
        Assert.Equal([0, 1, 1, 0], cohorts.Select(c => c.Customers).ToList());
        Assert.Empty(context.SummaryChanges);

        // 23:30 UTC on 31 July is August in Amsterdam but July in UTC: the summary is built again for the zone asked.
        await using (var db = database.CreateContext())
        {
            Orders(db, "c", new DateTimeOffset(2026, 7, 31, 23, 30, 0, TimeSpan.Zero));
            await db.SaveChangesAsync();
        }

        Assert.Equal([0, 2, 1, 0], (await CohortsAsync(Amsterdam)).Select(c => c.Customers).ToList());
        Assert.Equal([1, 1, 1, 0], (await CohortsAsync(TimeZoneInfo.Utc)).Select(c => c.Customers).ToList());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task CatchUps_WhileOrdersArrive_CountEveryOrderOnce(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            for (var i = 0; i < 20; i++)
            {
                Orders(db, $"c{i}", Day(1 + (i % 9), 1 + i));
            }

            await db.SaveChangesAsync();
        }

        // Orders arrive in small transactions while two catch-ups (as two nodes or a page and the job) run over and over.
        using var done = new CancellationTokenSource();
        async Task CatchUpRepeatedlyAsync()
        {
            while (!done.IsCancellationRequested)
            {
                await using var context = database.CreateContext();
                await TestReports.Summaries(context, database).CatchUpAsync(Amsterdam, CancellationToken.None);
            }
        }

        var catchUps = new[] { Task.Run(CatchUpRepeatedlyAsync), Task.Run(CatchUpRepeatedlyAsync) };
        for (var round = 0; round < 30; round++)
        {
            await using var db = database.CreateContext();
            var customer = db.Customers.Single(c => c.ExternalId == $"c{round % 20}");
            db.Orders.Add(new Order
            {
                ExternalId = $"late-{round}", CustomerId = customer.Id, PlacedAt = Day(1 + (round % 10), 28), Total = 20, Currency = "EUR",
                CreatedAt = Day(10, 1), UpdatedAt = Day(10, 1),
            });
            await db.SaveChangesAsync();
        }

        await done.CancelAsync();
        await Task.WhenAll(catchUps);
        await using var check = database.CreateContext();
        await TestReports.Summaries(check, database).CatchUpAsync(Amsterdam, CancellationToken.None);

        // What the summary must hold, worked out here from every order.
        var orders = check.Orders.Select(o => new { o.CustomerId, o.PlacedAt }).ToList();
        var expected = orders
            .Select(o => (o.CustomerId, Month: ReportSummaries.Number(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(o.PlacedAt, Amsterdam).DateTime))))
            .Distinct()
            .GroupBy(o => o.CustomerId)
            .SelectMany(g => g.Select(o => (o.CustomerId, FirstMonth: g.Min(x => x.Month), o.Month)))
            .Order()
            .ToList();
        var stored = check.CustomerMonths.AsEnumerable().Select(m => (m.CustomerId, m.FirstMonth, m.Month)).Order().ToList();
        Assert.Equal(expected, stored);
        Assert.Empty(check.SummaryChanges);
    }

    private static CohortReport Report(AppDbContext context, TestDatabase database) =>
        new(context, TestReports.Summaries(context, database));

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);

    private static void Orders(AppDbContext db, string id, params DateTimeOffset[] placed)
    {
        var customer = new Customer { ExternalId = id, Email = $"{id}@example.com", CreatedAt = placed[0], UpdatedAt = placed[0] };
        db.Customers.Add(customer);
        for (var i = 0; i < placed.Length; i++)
        {
            db.Orders.Add(new Order { ExternalId = $"{id}-{i}", Customer = customer, PlacedAt = placed[i], Total = 20, Currency = "EUR", CreatedAt = placed[i], UpdatedAt = placed[i] });
        }
    }
}
