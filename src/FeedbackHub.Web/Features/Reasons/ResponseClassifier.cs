using System.Diagnostics;
using FeedbackHub.Data;
using FeedbackHub.Web.Features.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>
/// Classifies survey answers that have a comment and no prediction yet, with the active model. An
/// answer without a comment gets no prediction: there is nothing to read, and the customer's chosen
/// answer stands.
/// </summary>
public sealed partial class ResponseClassifier(
    AppDbContext db, ActiveReasonModel models, TimeProvider time, IOptions<ReasonOptions> options, FeedbackHubMetrics metrics,
    ILogger<ResponseClassifier> logger)
{
    /// <summary>Classifies everything pending, one batch at a time; returns how many answers it classified.</summary>
    public async Task<int> ClassifyPendingAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.ClassificationBatchSize;
        var classified = 0;
        var after = 0L;
        while (true)
        {
            // Asked per batch, so a promotion or rollback during a long catch-up applies from the next batch on.
            var model = await models.GetAsync(db, cancellationToken);
            var batch = await db.SurveyResponses.AsNoTracking()
                .Where(r => r.PredictedAt == null && r.Comment != "" && r.Id > after)
                .OrderBy(r => r.Id).Take(batchSize)
                .Select(r => new { r.Id, r.Comment })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var now = time.GetUtcNow();
            // One transaction per batch: on SQLite that is one commit instead of one per answer.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var answer in batch)
            {
                var started = Stopwatch.GetTimestamp();
                var prediction = model.Classifier.Predict(answer.Comment);
                metrics.AnswerClassified(Stopwatch.GetElapsedTime(started));
                var explanation = ReasonExplanation.Serialize(prediction.Explanation);
                var confidence = Math.Round((double)prediction.Confidence, 4);
                // Only if still unclassified: another node may have done it a moment ago, and its result stands.
                classified += await db.SurveyResponses.Where(r => r.Id == answer.Id && r.PredictedAt == null)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.PredictedReason, prediction.Label)
                        .SetProperty(r => r.PredictionConfidence, confidence)
                        .SetProperty(r => r.PredictionModelId, model.Id)
                        .SetProperty(r => r.PredictionExplanation, explanation)
                        .SetProperty(r => r.PredictedAt, now), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            after = batch[^1].Id;
            if (batch.Count < batchSize)
            {
                break;
            }
        }

        if (classified > 0)
        {
            LogClassified(classified);
        }

        return classified;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Classified {Count} survey answer(s)")]
    private partial void LogClassified(int count);
}
