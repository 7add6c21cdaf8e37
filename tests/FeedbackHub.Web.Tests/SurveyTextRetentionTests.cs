using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Tests;

/// <summary>The nightly survey-text retention job, called as a plain method, once per database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SurveyTextRetentionTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Run_AnswersOlderThanTheRetention_LoseTheirWordsOnly_ReasonsAndLabelsStay(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database);
        var old = await ExitSurveys.AddAnswersAsync(harness.Services, [("Way too expensive now", "price"), ("Support never answered", "other")]);
        harness.Time.Advance(TimeSpan.FromDays(31 * 24));
        var recent = await ExitSurveys.AddAnswersAsync(harness.Services, [("Delivery was late twice", "experience")]);
        await using (var db = database.CreateContext())
        {
            // One old answer was read by the classifier and relabelled by a support lead: both verdicts stay.
            await db.SurveyResponses.Where(r => r.Id == old[1]).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.PredictedReason, "service").SetProperty(r => r.PredictionExplanation, "[{\"ngram\":\"never answered\",\"weight\":1.2}]")
                .SetProperty(r => r.HumanReason, "service"));
        }

        var reasonsBefore = await EffectiveReasonsAsync(database);
        var first = await RunAsync(database, harness, months: 24);
        var second = await RunAsync(database, harness, months: 24);

        Assert.Equal([("emptied", 2L)], first.Counts);
        Assert.Equal([("emptied", 0L)], second.Counts);
        await using var check = database.CreateContext();
        var rows = await check.SurveyResponses.AsNoTracking().ToDictionaryAsync(r => r.Id);
        Assert.All(old, id => Assert.Equal(("", (string?)null), (rows[id].Comment, rows[id].PredictionExplanation)));
        Assert.Equal(("service", "service", "other"), (rows[old[1]].HumanReason, rows[old[1]].PredictedReason, rows[old[1]].Reason));
        Assert.Equal("Delivery was late twice", rows[recent[0]].Comment);
        Assert.Equal(reasonsBefore, await EffectiveReasonsAsync(database));
        var audit = await check.AuditLog.AsNoTracking().SingleAsync(a => a.Action == AuditActions.SurveyTextExpired);
        Assert.Equal("system", audit.ActorName);
        Assert.StartsWith("Deleted the free text of 2 survey answer(s)", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RetentionZero_KeepsEverything()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var harness = new EmailHarness(database);
        await ExitSurveys.AddAnswersAsync(harness.Services, [("Way too expensive now", "price")]);
        harness.Time.Advance(TimeSpan.FromDays(365 * 30));

        var result = await RunAsync(database, harness, months: 0);

        Assert.Equal([("emptied", 0L)], result.Counts);
        await using var check = database.CreateContext();
        Assert.Equal("Way too expensive now", await check.SurveyResponses.Select(r => r.Comment).SingleAsync());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1201")]
    [InlineData("soon")]
    public void Settings_InvalidRetention_FailNamingTheSetting(string months)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration["Privacy:SurveyTextRetentionMonths"] = months;
        builder.AddPrivacy();
        using var host = builder.Build();

        var failure = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IOptions<PrivacyOptions>>().Value);

        Assert.Contains("Privacy:SurveyTextRetentionMonths", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<Features.Scheduling.JobResult> RunAsync(TestDatabase database, EmailHarness harness, int months)
    {
        await using var db = database.CreateContext();
        var job = new SurveyTextRetentionJob(db, new AuditTrail(db, harness.Time), Options.Create(new PrivacyOptions { SurveyTextRetentionMonths = months }), harness.Time);
        return await job.RunAsync(CancellationToken.None);
    }

    private static async Task<List<(long, string)>> EffectiveReasonsAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return [.. (await db.SurveyResponses.OrderBy(r => r.Id).Select(r => new { r.Id, r.EffectiveReason }).ToListAsync()).Select(r => (r.Id, r.EffectiveReason))];
    }
}
