using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Reasons;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Survey answers classified off the request path, with the active model, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReasonClassificationTests(PostgresServer postgres)
{
    [Fact]
    public async Task Submit_WithComment_IsClassifiedInTheBackground_WithLabelConfidenceVersionAndExplanation()
    {
        using var factory = new FeedbackHubFactory();
        await ExitSurveys.InviteChurnedCustomerAsync(factory.Services, "dear@example.com");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var invitation = await db.SurveyInvitations.SingleAsync();
            var version = await scope.ServiceProvider.GetRequiredService<SurveyVersions>().CurrentAsync(CancellationToken.None);

            var result = await scope.ServiceProvider.GetRequiredService<SurveySubmissions>().SubmitAsync(
                invitation.Id, new SurveyAnswers(version.Id, "other", "Way too expensive, the same box is much cheaper elsewhere.", null), "en", CancellationToken.None);

            Assert.Equal(SubmitOutcome.Saved, result.Outcome);
        }

        var response = await WaitForPredictionAsync(factory.Services);
        Assert.Equal("price", response.PredictedReason);
        Assert.InRange(response.PredictionConfidence!.Value, 0.4, 1.0);
        Assert.NotNull(response.PredictedAt);
        Assert.Contains(ReasonExplanation.Parse(response.PredictionExplanation), t => t.Ngram.Contains("expensive", StringComparison.Ordinal) && t.Weight > 0);
        // The prediction wins over the chosen answer until a support lead labels it.
        Assert.Equal(("other", "price"), (response.Reason, response.EffectiveReason));
        await using var check = factory.Services.CreateAsyncScope();
        var model = await check.ServiceProvider.GetRequiredService<AppDbContext>().ReasonModels.SingleAsync();
        Assert.Equal((response.PredictionModelId, ReasonModelStatus.Bundled, true), (model.Id, model.Status, model.IsActive));
        Assert.Equal(FeedbackHub.Classification.TextClassifier.LoadDefault().Info.Version, model.Version);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ClassifyPending_StoresThePrediction_AndLeavesAnswersWithoutCommentToTheirChosenReason(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database);
        harness.Reasons.ClassificationBatchSize = 2;
        var ids = await ExitSurveys.AddAnswersAsync(harness.Services,
        [
            ("De klantenservice reageerde nooit op mijn mails.", "price"),
            ("", "price"),
            ("Het pakket kwam beschadigd en te laat aan.", "other"),
            ("We moved abroad, nothing to do with you.", "service"),
            ("Too expensive now that the discount ended.", "service"),
        ]);

        await using var scope = harness.Services.CreateAsyncScope();
        var classified = await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None);

        Assert.Equal(4, classified);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var responses = await db.SurveyResponses.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(ids, responses.Select(r => r.Id));
        Assert.Equal(["service", null, "experience", "other", "price"], responses.Select(r => r.PredictedReason));
        Assert.Equal(["service", "price", "experience", "other", "price"], responses.Select(r => r.EffectiveReason));
        var blank = responses[1];
        Assert.Equal((null, null, null, null), (blank.PredictedAt, blank.PredictionConfidence, blank.PredictionModelId, blank.PredictionExplanation));
        var active = await db.ReasonModels.SingleAsync(m => m.IsActive);
        Assert.All(responses.Where(r => r.Comment.Length > 0), r =>
        {
            Assert.Equal(active.Id, r.PredictionModelId);
            Assert.Equal(harness.Time.GetUtcNow(), r.PredictedAt);
            Assert.NotEmpty(ReasonExplanation.Parse(r.PredictionExplanation));
        });
        // Nothing left: a second run does nothing.
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None));
    }

    /// <summary>The one response, once the background worker has classified it.</summary>
    private static async Task<SurveyResponse> WaitForPredictionAsync(IServiceProvider services)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var response = await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.AsNoTracking().SingleAsync();
            if (response.PredictedAt is not null || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(100);
        }
    }
}
