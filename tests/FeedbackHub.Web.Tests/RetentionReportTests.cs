using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Tests;

/// <summary>Retention counted in the database on a handful of customers whose fate is worked out by hand, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RetentionReportTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly ReportPeriod October = ReportPeriod.Month(2026, 10, Amsterdam);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task October_CountsStartNewAndEnd_AsWorkedOutByHand(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            // At the start and the end.
            Buyer(db, "a", "en", Utc(2026, 5, 1));
            // At the start, churned on 10 October and still gone.
            Churned(Buyer(db, "b", "en", Utc(2026, 6, 1)), db, churnedAt: Utc(2026, 10, 10));
            // Churned and won back within October: kept.
            Churned(Buyer(db, "c", "en", Utc(2026, 6, 1)), db, churnedAt: Utc(2026, 10, 5), wonBackAt: Utc(2026, 10, 20));
            // New in October.
            Buyer(db, "d", "nl", Utc(2026, 10, 15));
            // 22:30 UTC on 30 September is 00:30 on 1 October in Amsterdam: new in October.
            Buyer(db, "f", "en", new DateTimeOffset(2026, 9, 30, 22, 30, 0, TimeSpan.Zero));
            // 23:30 UTC on 31 October is 00:30 on 1 November in Amsterdam: not October's at all.
            Buyer(db, "e", "en", new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero));
            // Gone since August.
            Churned(Buyer(db, "g", "en", Utc(2026, 1, 1)), db, churnedAt: Utc(2026, 8, 1));
            // A subscriber without orders, cancelled at 23:30 on 31 October Amsterdam time: at the start, gone at the end.
            var subscriber = Customer(db, "h", "nl");
            db.SubscriptionEvents.Add(new SubscriptionEvent { EventId = "h-start", Customer = subscriber, Kind = SubscriptionEventKind.Started, OccurredAt = Utc(2026, 3, 1), ReceivedAt = Utc(2026, 3, 1) });
            Churned(subscriber, db, churnedAt: new DateTimeOffset(2026, 10, 31, 22, 30, 0, TimeSpan.Zero));
            await db.SaveChangesAsync();
        }

        await using var context = database.CreateContext();
        var report = new RetentionReport(context);

        Assert.Equal(new RetentionFigure(AtStart: 4, New: 2, AtEnd: 4), await report.FigureAsync(October, CustomerFilter.All, CancellationToken.None));
        Assert.Equal(50.0m, (await report.FigureAsync(October, CustomerFilter.All, CancellationToken.None)).RetentionPercent);
        Assert.Equal(new RetentionFigure(1, 1, 1), await report.FigureAsync(October, new CustomerFilter(Language: "nl"), CancellationToken.None));
        Assert.Equal(new RetentionFigure(1, 0, 0), await report.FigureAsync(October, new CustomerFilter(Segment: CustomerSegment.Subscribers), CancellationToken.None));
        // September beside it: a, b, c and h throughout (g churned in August; f's first order is in October).
        var trend = await report.TrendAsync(October, Amsterdam, CustomerFilter.All, CancellationToken.None);
        Assert.Equal((new RetentionFigure(4, 2, 4), new RetentionFigure(4, 0, 4)), (trend.Figure, trend.Previous));
        // November: a, c, d and f at its start, e new, all five at the end.
        Assert.Equal(new RetentionFigure(4, 1, 5), await report.FigureAsync(ReportPeriod.Month(2026, 11, Amsterdam), CustomerFilter.All, CancellationToken.None));
        // The trend chart's month-by-month figures agree with the single periods.
        var monthly = await report.MonthsAsync(new MonthBuckets(new DateOnly(2026, 9, 1), 3, Amsterdam), CustomerFilter.All, CancellationToken.None);
        Assert.Equal([new RetentionFigure(4, 0, 4), new RetentionFigure(4, 2, 4), new RetentionFigure(4, 1, 5)], monthly);
        // The Overview page's figures in one count give the same.
        var overview = await report.OverviewAsync(October, MonthBuckets.Ending(new DateOnly(2026, 11, 1), 3, Amsterdam), Amsterdam, CustomerFilter.All, CancellationToken.None);
        Assert.Equal(trend, overview.Trend);
        Assert.Equal([new RetentionFigure(4, 0, 4), new RetentionFigure(4, 2, 4), new RetentionFigure(4, 1, 5)], overview.Months);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task AnEmptyDatabase_HasNoRetentionFigure(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using var context = database.CreateContext();

        var figure = await new RetentionReport(context).FigureAsync(October, CustomerFilter.All, CancellationToken.None);

        Assert.Equal(new RetentionFigure(0, 0, 0), figure);
        Assert.Null(figure.RetentionPercent);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Months_CustomerWithOverlappingEvents_IsLostOnceAndOnlyOnceAcquired(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            // Two events open together through September and October, one of them until today.
            var twice = Buyer(db, "twice", "en", Utc(2026, 1, 1));
            Churned(twice, db, churnedAt: Utc(2026, 8, 20), wonBackAt: Utc(2026, 10, 20));
            Churned(twice, db, churnedAt: Utc(2026, 9, 10));
            // A churn event from before the customer's first order: they were nobody's customer to lose yet.
            Churned(Buyer(db, "late", "en", Utc(2026, 9, 15)), db, churnedAt: Utc(2026, 8, 1));
            await db.SaveChangesAsync();
        }

        await using var context = database.CreateContext();
        var months = await new RetentionReport(context).MonthsAsync(MonthBuckets.Ending(new DateOnly(2026, 10, 1), 3, Amsterdam), CustomerFilter.All, CancellationToken.None);

        // August: twice at the start and gone at the end. September: late new but churned since August. October: the same.
        Assert.Equal([new RetentionFigure(1, 0, 0), new RetentionFigure(0, 1, 0), new RetentionFigure(0, 0, 0)], months);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task AcquiredAt_FollowsTheFirstOrderOrSubscriptionEvent_HoweverRowsChange(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using var db = database.CreateContext();
        var customer = Customer(db, "a", "en");
        await db.SaveChangesAsync();
        Assert.Null(await AcquiredAtAsync());

        db.Orders.Add(new Order { ExternalId = "a-1", CustomerId = customer.Id, PlacedAt = Utc(2026, 5, 1), Total = 20, Currency = "EUR" });
        await db.SaveChangesAsync();
        Assert.Equal(Utc(2026, 5, 1), await AcquiredAtAsync());

        db.SubscriptionEvents.Add(new SubscriptionEvent { EventId = "a-start", CustomerId = customer.Id, Kind = SubscriptionEventKind.Started, OccurredAt = Utc(2026, 3, 1), ReceivedAt = Utc(2026, 3, 1) });
        db.Orders.Add(new Order { ExternalId = "a-2", CustomerId = customer.Id, PlacedAt = Utc(2026, 7, 1), Total = 20, Currency = "EUR" });
        await db.SaveChangesAsync();
        Assert.Equal(Utc(2026, 3, 1), await AcquiredAtAsync());

        await db.SubscriptionEvents.Where(e => e.EventId == "a-start").ExecuteUpdateAsync(u => u.SetProperty(e => e.OccurredAt, Utc(2026, 6, 1)));
        Assert.Equal(Utc(2026, 5, 1), await AcquiredAtAsync());

        await db.Orders.Where(o => o.ExternalId == "a-1").ExecuteDeleteAsync();
        Assert.Equal(Utc(2026, 6, 1), await AcquiredAtAsync());

        await db.SubscriptionEvents.ExecuteDeleteAsync();
        await db.Orders.ExecuteDeleteAsync();
        Assert.Null(await AcquiredAtAsync());

        Task<DateTimeOffset?> AcquiredAtAsync() => db.Customers.AsNoTracking().Where(c => c.Id == customer.Id).Select(c => c.AcquiredAt).SingleAsync();
    }

    private static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);

    private static Customer Customer(AppDbContext db, string id, string locale)
    {
        var customer = new Customer { ExternalId = id, Email = $"{id}@example.com", Locale = locale, CreatedAt = Utc(2026, 1, 1), UpdatedAt = Utc(2026, 1, 1) };
        db.Customers.Add(customer);
        return customer;
    }

    private static Customer Buyer(AppDbContext db, string id, string locale, DateTimeOffset firstOrder)
    {
        var customer = Customer(db, id, locale);
        db.Orders.Add(new Order { ExternalId = $"{id}-1", Customer = customer, PlacedAt = firstOrder, Total = 20, Currency = "EUR", CreatedAt = firstOrder, UpdatedAt = firstOrder });
        return customer;
    }

    private static void Churned(Customer customer, AppDbContext db, DateTimeOffset churnedAt, DateTimeOffset? wonBackAt = null) =>
        db.ChurnEvents.Add(new ChurnEvent
        {
            Customer = customer, Kind = ChurnKind.Lapsed, ReferenceAt = churnedAt, ChurnedAt = churnedAt, OpenedAt = churnedAt,
            WonBackAt = wonBackAt, Explanation = "test",
        });
}
