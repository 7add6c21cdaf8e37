using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Reasons;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Reasons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Retraining on staff labels: promoted when not worse, rejected when worse, rollback, and custom reasons' minimum.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReasonRetrainingTests(PostgresServer postgres)
{
    private static readonly Actor Admin = new("admin-id", "admin@example.com");

    /// <summary>Answers of each standard reason, written for these tests.</summary>
    private static readonly (string Text, string Reason)[] Answers =
    [
        ("The subscription got far too expensive for us.", "price"),
        ("Prices went up again and a cheaper shop offers the same.", "price"),
        ("I could not afford the monthly fee any more.", "price"),
        ("Shipping costs made every order too pricey.", "price"),
        ("Without the discount it is simply too expensive.", "price"),
        ("Customer service never replied to my emails.", "service"),
        ("The support staff were rude on the phone.", "service"),
        ("My complaint was ignored for weeks by your helpdesk.", "service"),
        ("Nobody at customer service could help me with the refund.", "service"),
        ("The support agent hung up on me.", "service"),
        ("The parcel arrived damaged and late.", "experience"),
        ("The product broke after one week.", "experience"),
        ("Your website kept crashing at checkout.", "experience"),
        ("The wrong item was delivered twice.", "experience"),
        ("The quality was poor and the food arrived cold.", "experience"),
        ("We moved abroad so we no longer need it.", "other"),
        ("I am pausing for a while because of a new baby.", "other"),
        ("I simply do not need the product any more.", "other"),
        ("My partner already has a subscription elsewhere.", "other"),
        ("Life changed and we cook less now.", "other"),
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Retrain_CandidateNotWorse_IsPromoted_AndRollbackSwitchesBack(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database);
        var ids = await LabelledAsync(harness, 200, (answer, heldOut) => answer.Reason);
        var bundled = await ActiveIdAsync(harness);

        var result = await RetrainAsync(harness);

        Assert.True(result.Outcome == RetrainOutcome.Promoted, result.Message);
        await using var scope = harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var candidate = await db.ReasonModels.AsNoTracking().SingleAsync(m => m.Id == result.ModelId);
        Assert.Equal((ReasonModelStatus.Promoted, true, "admin@example.com", bundled), (candidate.Status, candidate.IsActive, candidate.CreatedBy, candidate.ComparedWithModelId));
        Assert.True(candidate.MacroF1 >= candidate.ComparedWithMacroF1);
        Assert.Equal(ids.Count(HeldOutSplit.IsHeldOut), candidate.HeldOutExamples);
        Assert.InRange(candidate.HeldOutExamples, 20, 80);
        Assert.NotNull(candidate.Content);
        var evaluation = ModelEvaluation.Parse(candidate.Evaluation)!;
        Assert.Equal(candidate.HeldOutExamples, evaluation.Confusion.Sum(row => row.Sum()));
        Assert.Equal(["price", "service", "experience", "other"], evaluation.PerClass.Select(c => c.Label));
        var counts = ActiveReasonModel.ParseCounts(candidate.TrainingCounts);
        Assert.Equal(candidate.TrainingExamples, counts.Sum(c => c.Count));
        Assert.False((await db.ReasonModels.AsNoTracking().SingleAsync(m => m.Id == bundled)).IsActive);
        // Nothing new to learn: the next run does not train the same model again.
        Assert.Equal(RetrainOutcome.Skipped, (await RetrainAsync(harness)).Outcome);

        Assert.Equal(candidate.Id, await ClassifiedByAsync(harness, "Far too expensive now."));
        var rollback = await scope.ServiceProvider.GetRequiredService<ReasonModelAdministration>().ActivateAsync(Admin, bundled, CancellationToken.None);

        Assert.True(rollback.Succeeded, string.Join(" ", rollback.Errors));
        Assert.Equal(bundled, await ActiveIdAsync(harness));
        Assert.Equal(bundled, await ClassifiedByAsync(harness, "The support team was rude."));
        // The same labels would train the rolled-back model again: the nightly run leaves the rollback alone.
        Assert.Equal(RetrainOutcome.Skipped, (await RetrainAsync(harness)).Outcome);
        var audit = await db.AuditLog.SingleAsync(a => a.Action == AuditActions.ReasonModelActivated);
        var bundledVersion = (await db.ReasonModels.AsNoTracking().SingleAsync(m => m.Id == bundled)).Version;
        Assert.Equal(($"reason-model:{bundled}", $"v{bundled} ({bundledVersion}) replaces v{candidate.Id}", "admin@example.com"), (audit.Target, audit.Details, audit.ActorName));
    }

    [Fact]
    public async Task Retrain_CandidateWorse_IsRejectedAndKeptWithItsFigures()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var harness = new EmailHarness(database);
        // Poisoned labels: the answers it trains on carry the wrong reason, the held-out ones the right one.
        await LabelledAsync(harness, 200, (answer, heldOut) => heldOut ? answer.Reason : Rotate(answer.Reason));
        var bundled = await ActiveIdAsync(harness);

        var result = await RetrainAsync(harness);

        Assert.True(result.Outcome == RetrainOutcome.Rejected, result.Message);
        Assert.Equal(bundled, await ActiveIdAsync(harness));
        await using var scope = harness.Services.CreateAsyncScope();
        var candidate = await scope.ServiceProvider.GetRequiredService<AppDbContext>().ReasonModels.AsNoTracking().SingleAsync(m => m.Id == result.ModelId);
        Assert.Equal((ReasonModelStatus.Rejected, false, bundled), (candidate.Status, candidate.IsActive, candidate.ComparedWithModelId));
        Assert.True(candidate.MacroF1 < candidate.ComparedWithMacroF1, $"{candidate.MacroF1} < {candidate.ComparedWithMacroF1}");
        Assert.StartsWith("Rejected, worse than the active model: macro-F1 ", candidate.Note, StringComparison.Ordinal);
        Assert.NotNull(candidate.Evaluation);
        // A rejected candidate cannot be made active.
        var refused = await scope.ServiceProvider.GetRequiredService<ReasonModelAdministration>().ActivateAsync(Admin, candidate.Id, CancellationToken.None);
        Assert.Equal([$"v{candidate.Id} is rejected; only versions that were in use (bundled or promoted) can be made active again."], refused.Errors);
    }

    [Fact]
    public async Task Retrain_TooFewHeldOutAnswers_IsSkippedAndSaysHowManyMore()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var harness = new EmailHarness(database);
        await LabelledAsync(harness, 30, (answer, heldOut) => answer.Reason);

        var result = await RetrainAsync(harness);

        Assert.Equal(RetrainOutcome.Skipped, result.Outcome);
        Assert.Matches(@"^Only \d+ labelled answer\(s\) are held out for judging; a candidate is judged on at least 20\. .* label about \d+ more\.$", result.Message);
        await using var scope = harness.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppDbContext>().ReasonModels.CountAsync());
    }

    [Fact]
    public async Task CustomReason_TakesPartInTrainingFromItsTwentiethLabel()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var harness = new EmailHarness(database);
        await LabelledAsync(harness, 120, (answer, heldOut) => answer.Reason);
        await using var scope = harness.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ReasonCatalog>().AddCustomAsync(Admin, "seasonal", "Only needed it for a season", "Alleen voor een seizoen nodig", CancellationToken.None);
        Assert.True(added.Succeeded, string.Join(" ", added.Errors));
        string[] seasonal =
        [
            "Only needed it over the summer.", "It was just for the holiday season.", "We only use it around Christmas.",
            "Seasonal need, the summer is over.", "Only wanted it for the winter months.",
        ];
        var labels = await LabelAsync(harness, [.. Enumerable.Range(0, 19).Select(i => (seasonal[i % seasonal.Length], "seasonal"))]);
        var retrainer = scope.ServiceProvider.GetRequiredService<ReasonRetrainer>();

        var below = await retrainer.PlanAsync(CancellationToken.None);

        var readiness = Assert.Single(below.CustomReasons);
        Assert.Equal((19, 1, false), (readiness.Labelled, readiness.Needed, readiness.TakesPart));
        Assert.Equal(["price", "service", "experience", "other"], below.Labels);
        Assert.DoesNotContain(below.Training.Concat(below.HeldOut), e => e.Label == "seasonal");

        labels = [.. labels, .. await LabelAsync(harness, [(seasonal[0], "seasonal")])];
        var above = await retrainer.PlanAsync(CancellationToken.None);

        Assert.True(Assert.Single(above.CustomReasons).TakesPart);
        Assert.Equal(["price", "service", "experience", "other", "seasonal"], above.Labels);
        Assert.Equal(20, above.Training.Concat(above.HeldOut).Count(e => e.Label == "seasonal"));
        Assert.Equal(labels.Count(HeldOutSplit.IsHeldOut), above.HeldOut.Count(e => e.Label == "seasonal"));
        var result = await RetrainAsync(harness);
        var candidate = await scope.ServiceProvider.GetRequiredService<AppDbContext>().ReasonModels.AsNoTracking().SingleAsync(m => m.Id == result.ModelId);
        Assert.Equal(20 - labels.Count(HeldOutSplit.IsHeldOut), ActiveReasonModel.ParseCounts(candidate.TrainingCounts).Single(c => c.Label == "seasonal").Count);
    }

    private static string Rotate(string reason) => reason switch
    {
        "price" => "service",
        "service" => "experience",
        "experience" => "other",
        _ => "price",
    };

    /// <summary>Stores <paramref name="count"/> answers cycling through <see cref="Answers"/>, classifies them and labels each as <paramref name="label"/> says.</summary>
    private static async Task<IReadOnlyList<long>> LabelledAsync(EmailHarness harness, int count, Func<(string Text, string Reason), bool, string> label)
    {
        var answers = Enumerable.Range(0, count).Select(i => Answers[i % Answers.Length]).ToList();
        var ids = await ExitSurveys.AddAnswersAsync(harness.Services, [.. answers.Select(a => (a.Text, a.Reason))]);
        await using var scope = harness.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        for (var i = 0; i < ids.Count; i++)
        {
            var human = label(answers[i], HeldOutSplit.IsHeldOut(ids[i]));
            await db.SurveyResponses.Where(r => r.Id == ids[i])
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.HumanReason, human).SetProperty(r => r.LabelledBy, "lead@example.com"));
        }

        return ids;
    }

    /// <summary>Stores answers and labels them through the review service, as a support lead would.</summary>
    private static async Task<IReadOnlyList<long>> LabelAsync(EmailHarness harness, IReadOnlyList<(string Text, string Reason)> answers)
    {
        var ids = await ExitSurveys.AddAnswersAsync(harness.Services, [.. answers.Select(a => (a.Text, "other"))]);
        await using var scope = harness.Services.CreateAsyncScope();
        var review = scope.ServiceProvider.GetRequiredService<ReasonReview>();
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.True((await review.LabelAsync(Admin, ids[i], answers[i].Reason, CancellationToken.None)).Succeeded);
        }

        return ids;
    }

    private static async Task<RetrainResult> RetrainAsync(EmailHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReasonRetrainer>().RetrainAsync(Admin.Name, CancellationToken.None);
    }

    private static async Task<long> ActiveIdAsync(EmailHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return (await harness.Services.GetRequiredService<ActiveReasonModel>().GetAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), CancellationToken.None)).Id;
    }

    /// <summary>Stores and classifies one new answer; returns the model version that classified it.</summary>
    private static async Task<long?> ClassifiedByAsync(EmailHarness harness, string comment)
    {
        var id = (await ExitSurveys.AddAnswersAsync(harness.Services, [(comment, "other")]))[0];
        await using var scope = harness.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.Where(r => r.Id == id).Select(r => r.PredictionModelId).SingleAsync();
    }
}
