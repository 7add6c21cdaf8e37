using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;

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
            var version = new SurveyVersion { Number = 1, Definition = "{}", CreatedBy = "test" };
            db.SurveyVersions.Add(version);
            await db.SaveChangesAsync();
            await ChurnedAsync(db, version.Id, "chosen", Day(10, 3), chosen: "price");
            await ChurnedAsync(db, version.Id, "predicted", Day(10, 9), chosen: "price", predicted: "service");
            await ChurnedAsync(db, version.Id, "labelled", Day(10, 20), chosen: "price", predicted: "service", human: "experience");
            await ChurnedAsync(db, version.Id, "silent", Day(10, 25), chosen: null);
            await ChurnedAsync(db, version.Id, "september", Day(9, 14), chosen: "other");
        }

        await using var context = database.CreateContext();
        var months = await new ChurnReasonReport(context).MonthsAsync(new DateOnly(2026, 10, 1), 2, Amsterdam, CustomerFilter.All, CancellationToken.None);

        Assert.Equal(["2026-09", "2026-10"], months.Select(m => m.Month.Label).ToList());
        Assert.Equal(new Dictionary<string, int> { ["other"] = 1 }, months[0].Customers);
        Assert.Equal(new Dictionary<string, int> { ["price"] = 1, ["service"] = 1, ["experience"] = 1, [ChurnReasonReport.Unknown] = 1 }, months[1].Customers);
        Assert.Equal((4, 25.0m, 100.0m), (months[1].Total, months[1].PercentOf("experience"), months[0].PercentOf("other")));
        // A filter narrows the figure to its customers (all here are English).
        var dutch = await new ChurnReasonReport(context).MonthsAsync(new DateOnly(2026, 10, 1), 2, Amsterdam, new CustomerFilter(Language: "nl"), CancellationToken.None);
        var english = await new ChurnReasonReport(context).MonthsAsync(new DateOnly(2026, 10, 1), 2, Amsterdam, new CustomerFilter(Language: "en"), CancellationToken.None);
        Assert.All(dutch, m => Assert.Equal(0, m.Total));
        Assert.Equal(months.Select(m => m.Customers), english.Select(m => m.Customers));
    }

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);

    private static async Task ChurnedAsync(AppDbContext db, long versionId, string id, DateTimeOffset churnedAt, string? chosen, string? predicted = null, string? human = null)
    {
        var customer = new Customer { ExternalId = id, Email = $"{id}@example.com", CreatedAt = churnedAt, UpdatedAt = churnedAt };
        var churn = new ChurnEvent { Customer = customer, Kind = ChurnKind.Lapsed, ReferenceAt = churnedAt, ChurnedAt = churnedAt, OpenedAt = churnedAt, Explanation = "test" };
        db.ChurnEvents.Add(churn);
        var invitation = new SurveyInvitation
        {
            ChurnEvent = churn, Customer = customer, TokenHash = $"hash-{id}", Locale = CustomerLocales.English, CreatedAt = churnedAt, ExpiresAt = churnedAt.AddDays(30),
        };
        db.SurveyInvitations.Add(invitation);
        await db.SaveChangesAsync();
        if (chosen is not null)
        {
            db.SurveyResponses.Add(new SurveyResponse
            {
                InvitationId = invitation.Id, CustomerId = customer.Id, SurveyVersionId = versionId, Locale = CustomerLocales.English, Reason = chosen,
                SubmittedAt = churnedAt, PredictedReason = predicted, HumanReason = human,
            });
            await db.SaveChangesAsync();
        }
    }
}
