using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Tests;

/// <summary>Churn by reason: the human label wins over the prediction, which wins over the chosen answer; no answer is "unknown". Both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ChurnReasonReportTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Months_SplitChurnedCustomersByTheReasonThatWins(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            var version = await VersionAsync(db);
            await ChurnedAsync(db, version, "chosen", Day(10, 3), chosen: "price");
            await ChurnedAsync(db, version, "predicted", Day(10, 9), chosen: "price", predicted: "service");
            await ChurnedAsync(db, version, "labelled", Day(10, 20), chosen: "price", predicted: "service", human: "experience");
            await ChurnedAsync(db, version, "silent", Day(10, 25), chosen: null);
            await ChurnedAsync(db, version, "september", Day(9, 14), chosen: "other");
        }

        await using var context = database.CreateContext();
        var months = await new ChurnReasonReport(context, TestReports.Summaries(context, database)).MonthsAsync(new DateOnly(2026, 10, 1), 2, Amsterdam, CustomerFilter.All, CancellationToken.None);

        Assert.Equal(["2026-09", "2026-10"], months.Select(m => m.Month.Label).ToList());
        Assert.Equal(new Dictionary<string, int> { ["other"] = 1 }, months[0].Customers);
        Assert.Equal(new Dictionary<string, int> { ["price"] = 1, ["service"] = 1, ["experience"] = 1, [ChurnReasonReport.Unknown] = 1 }, months[1].Customers);
        Assert.Equal((4, 25.0m, 100.0m), (months[1].Total, months[1].PercentOf("experience"), months[0].PercentOf("other")));
        // A filter narrows the figure to its customers (all here are English).
        var dutch = await new ChurnReasonReport(context, TestReports.Summaries(context, database)).MonthsAsync(new DateOnly(2026, 10, 1), 2, Amsterdam, new CustomerFilter(Language: "nl"), CancellationToken.None);
        var english = await new ChurnReasonReport(context, TestReports.Summaries(context, database)).MonthsAsync(new DateOnly(2026, 10, 1), 2, Amsterdam, new CustomerFilter(Language: "en"), CancellationToken.None);
        Assert.All(dutch, m => Assert.Equal(0, m.Total));
        Assert.Equal(months.Select(m => m.Customers), english.Select(m => m.Customers));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Months_RevenueLost_IsTheAverageMonthlyRevenueBeforeChurn_AsWorkedOutByHand(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var churn = Day(10, 15);
        await using (var db = database.CreateContext())
        {
            var version = await VersionAsync(db);
            // A customer for years: 30.00 on the window's first moment (included), 60.00 later, 500.00 before the window
            // and 40.00 at the churn moment itself (both outside) → 90.00 over 12 months = 7.50.
            await ChurnedAsync(db, version, "loyal", churn, chosen: "price",
                orders: [(churn.AddDays(-700), 500m), (churn.AddDays(-360), 30m), (churn.AddDays(-100), 60m), (churn, 40m)]);
            // First order 40 days before churn: two started months → 30.00 ÷ 2 = 15.00.
            await ChurnedAsync(db, version, "recent", churn, chosen: "price", orders: [(churn.AddDays(-40), 30m)]);
            // Exactly 30 days is one month: 12.00 ÷ 1.
            await ChurnedAsync(db, version, "month", churn, chosen: "price", orders: [(churn.AddDays(-30), 12m)]);
            // Three customers with 10.00 over three months: 3.333… each, 10.00 together (not 3 × 3.33).
            foreach (var id in new[] { "third-1", "third-2", "third-3" })
            {
                await ChurnedAsync(db, version, id, churn, chosen: "service", orders: [(churn.AddDays(-70), 10m)]);
            }

            // 0.25 over two months is 0.125: rounded half away from zero to 0.13.
            await ChurnedAsync(db, version, "half-cent", churn, chosen: "experience", orders: [(churn.AddDays(-31), 0.25m)]);
            // A subscriber without orders lost nothing in money; a customer who churned twice in October counts once.
            await ChurnedAsync(db, version, "no-orders", churn, chosen: null);
            var twice = await ChurnedAsync(db, version, "twice", Day(10, 2), chosen: null, orders: [(Day(9, 20), 20m)], wonBackAt: Day(10, 5));
            await ChurnedAsync(db, version, "twice", Day(10, 25), chosen: null, customer: twice);
        }

        await using var context = database.CreateContext();
        var october = (await new ChurnReasonReport(context, TestReports.Summaries(context, database)).MonthsAsync(new DateOnly(2026, 10, 1), 1, Amsterdam, CustomerFilter.All, CancellationToken.None)).Single();

        Assert.Equal(new Dictionary<string, int> { ["price"] = 3, ["service"] = 3, ["experience"] = 1, [ChurnReasonReport.Unknown] = 2 }, october.Customers);
        // unknown: "twice" spent 20.00 twelve days before its first churn (20.00 a month) and 35 days before its second (10.00): the larger counts.
        Assert.Equal(new Dictionary<string, decimal> { ["price"] = 34.50m, ["service"] = 10.00m, ["experience"] = 0.13m, [ChurnReasonReport.Unknown] = 20.00m }, october.RevenueLost);
        Assert.Equal(64.63m, october.TotalRevenueLost);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Months_RevenueLost_FollowsOrdersChurnsAndLabelsChangedAfterItWasCounted(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using var db = database.CreateContext();
        var churn = Day(10, 15);
        var customer = await ChurnedAsync(db, await VersionAsync(db), "late-import", churn, chosen: "price", orders: [(churn.AddDays(-30), 12m)]);
        // October's amount × 100 plus November's, for one reason.
        async Task<decimal> LostAsync(string reason = "price")
        {
            await using var context = database.CreateContext();
            var months = await new ChurnReasonReport(context, TestReports.Summaries(context, database)).MonthsAsync(new DateOnly(2026, 11, 1), 2, Amsterdam, CustomerFilter.All, CancellationToken.None);
            return months[0].RevenueLost.GetValueOrDefault(reason) * 100 + months[1].RevenueLost.GetValueOrDefault(reason);
        }

        Assert.Equal(1200.00m, await LostAsync());

        // An older order imported later: 40 days before the churn, so 12.00 + 18.00 over two started months.
        db.Orders.Add(new Order { ExternalId = "late-import-old", Customer = customer, PlacedAt = churn.AddDays(-40), Total = 18m, Currency = "EUR", CreatedAt = churn, UpdatedAt = churn });
        await db.SaveChangesAsync();
        Assert.Equal(1500.00m, await LostAsync());

        // The churn moment moves into November (October's bar empties, November's gets it).
        var moved = await db.ChurnEvents.SingleAsync();
        moved.ChurnedAt = Day(11, 4);
        await db.SaveChangesAsync();
        Assert.Equal(15.00m, await LostAsync());

        // A support lead labels the answer "service": the churn moves to that bar.
        var answer = await db.SurveyResponses.SingleAsync();
        answer.HumanReason = "service";
        await db.SaveChangesAsync();
        Assert.Equal((0m, 15.00m), (await LostAsync(), await LostAsync("service")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Months_CountAChurnInTheMonthOfTheShopsTimeZone_AndLeaveEmptyMonthsEmpty(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            var version = await VersionAsync(db);
            // 22:00 UTC on 30 September is midnight on 1 October in Amsterdam: October's, to the tick.
            await ChurnedAsync(db, version, "midnight", new DateTimeOffset(2026, 9, 30, 22, 0, 0, TimeSpan.Zero), chosen: "price");
            await ChurnedAsync(db, version, "before-midnight", new DateTimeOffset(2026, 9, 30, 21, 59, 59, TimeSpan.Zero), chosen: "price");
            // 23:30 UTC on 31 October is 00:30 on 1 November (winter time): November's.
            await ChurnedAsync(db, version, "november", new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero), chosen: "price");
            // Churned and won back within October: still a churn of October, with its reason.
            await ChurnedAsync(db, version, "came-back", Day(10, 5), chosen: "service", wonBackAt: Day(10, 20));
        }

        await using var context = database.CreateContext();
        var months = await new ChurnReasonReport(context, TestReports.Summaries(context, database)).MonthsAsync(new DateOnly(2026, 12, 1), 4, Amsterdam, CustomerFilter.All, CancellationToken.None);

        Assert.Equal(["2026-09", "2026-10", "2026-11", "2026-12"], months.Select(m => m.Month.Label).ToList());
        Assert.Equal([1, 2, 1, 0], months.Select(m => m.Total).ToList());
        Assert.Equal(new Dictionary<string, int> { ["price"] = 1, ["service"] = 1 }, months[1].Customers);
        Assert.Empty(months[3].Customers);
        Assert.Equal((0m, null), (months[3].TotalRevenueLost, months[3].PercentOf("price")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Customers_ListTheChurnsBehindOneBar_WithTheirAnswer_PagedAndFiltered(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var churn = Day(10, 15);
        await using (var db = database.CreateContext())
        {
            var version = await VersionAsync(db);
            await ChurnedAsync(db, version, "ann", churn, chosen: "price", comment: "Too expensive now", orders: [(churn.AddDays(-40), 30m)]);
            await ChurnedAsync(db, version, "bob", Day(10, 20), chosen: "other", human: "price", comment: "Te duur", locale: CustomerLocales.Dutch);
            await ChurnedAsync(db, version, "cas", Day(10, 21), chosen: "service");
            await ChurnedAsync(db, version, "dirk", Day(10, 22), chosen: null);
            await ChurnedAsync(db, version, "eve", Day(11, 2), chosen: "price");
            for (var i = 0; i <= ChurnReasonReport.PageSize; i++)
            {
                await ChurnedAsync(db, version, $"many-{i:D2}", Day(9, 1).AddHours(i), chosen: "price");
            }
        }

        await using var context = database.CreateContext();
        var report = new ChurnReasonReport(context, TestReports.Summaries(context, database));
        var october = ReportPeriod.Month(2026, 10, Amsterdam);

        var price = await report.CustomersAsync(october, "price", CustomerFilter.All, 1, CancellationToken.None);
        var unknown = await report.CustomersAsync(october, ChurnReasonReport.Unknown, CustomerFilter.All, 1, CancellationToken.None);
        var dutch = await report.CustomersAsync(october, "price", new CustomerFilter(Language: CustomerLocales.Dutch), 1, CancellationToken.None);
        var september = await report.CustomersAsync(ReportPeriod.Month(2026, 9, Amsterdam), "price", CustomerFilter.All, 2, CancellationToken.None);

        Assert.Equal(["bob", "ann"], price.Rows.Select(r => r.CustomerExternalId).ToList());
        var ann = price.Rows[1];
        Assert.Equal(("ann@example.com", churn, "price", "price", "Too expensive now", "en", 15.00m), (ann.Name, ann.ChurnedAt, ann.Reason, ann.ChosenAnswer, ann.Comment, ann.Language, ann.MonthlyRevenue));
        Assert.Equal(("other", "Te duur", "nl"), (price.Rows[0].ChosenAnswer, price.Rows[0].Comment, price.Rows[0].Language));
        Assert.Equal((null, null, null), (unknown.Rows.Single().ChosenAnswer, unknown.Rows.Single().Comment, unknown.Rows.Single().AnsweredAt));
        Assert.Equal(["bob"], dutch.Rows.Select(r => r.CustomerExternalId).ToList());
        Assert.Equal((ChurnReasonReport.PageSize + 1, 2, 2, "many-00"), (september.Total, september.PageNumber, september.PageCount, september.Rows.Single().CustomerExternalId));
    }

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);

    private static async Task<long> VersionAsync(AppDbContext db)
    {
        var version = new SurveyVersion { Number = 1, Definition = "{}", CreatedBy = "test" };
        db.SurveyVersions.Add(version);
        await db.SaveChangesAsync();
        return version.Id;
    }

    private static async Task<Customer> ChurnedAsync(
        AppDbContext db, long versionId, string id, DateTimeOffset churnedAt, string? chosen, string? predicted = null, string? human = null,
        string comment = "", string locale = CustomerLocales.English, (DateTimeOffset At, decimal Total)[]? orders = null,
        DateTimeOffset? wonBackAt = null, Customer? customer = null)
    {
        customer ??= new Customer { ExternalId = id, Email = $"{id}@example.com", Locale = locale, CreatedAt = churnedAt, UpdatedAt = churnedAt };
        var number = 0;
        foreach (var (at, total) in orders ?? [])
        {
            db.Orders.Add(new Order { ExternalId = $"{id}-{++number}", Customer = customer, PlacedAt = at, Total = total, Currency = "EUR", CreatedAt = at, UpdatedAt = at });
        }

        var churn = new ChurnEvent
        {
            Customer = customer, Kind = ChurnKind.Lapsed, ReferenceAt = churnedAt, ChurnedAt = churnedAt, OpenedAt = churnedAt, WonBackAt = wonBackAt, Explanation = "test",
        };
        db.ChurnEvents.Add(churn);
        var invitation = new SurveyInvitation
        {
            ChurnEvent = churn, Customer = customer, TokenHash = $"hash-{id}-{churnedAt.Ticks}", Locale = locale, CreatedAt = churnedAt, ExpiresAt = churnedAt.AddDays(30),
        };
        db.SurveyInvitations.Add(invitation);
        await db.SaveChangesAsync();
        if (chosen is not null)
        {
            db.SurveyResponses.Add(new SurveyResponse
            {
                InvitationId = invitation.Id, CustomerId = customer.Id, SurveyVersionId = versionId, Locale = locale, Reason = chosen, Comment = comment,
                SubmittedAt = churnedAt, PredictedReason = predicted, HumanReason = human,
            });
            await db.SaveChangesAsync();
        }

        return customer;
    }
}
