using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Evaluation;
using FeedbackHub.Classification.Training;
using FeedbackHub.Data;
using FeedbackHub.Data.Reasons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>A custom reason and whether it has enough labelled answers to take part in training.</summary>
public sealed record CustomReasonReadiness(ReasonChoice Reason, int Labelled, int Needed)
{
    public bool TakesPart => Needed == 0;
}

/// <summary>
/// What a retraining run would use: the bundled corpus plus the human-labelled answers outside the
/// held-out slice to train, the held-out slice to judge, and the labels (standard, then custom
/// reasons with enough examples). <paramref name="Fingerprint"/> identifies all of it.
/// </summary>
public sealed record TrainingPlan(
    IReadOnlyList<LabeledText> Training, IReadOnlyList<LabeledText> HeldOut, IReadOnlyList<string> Labels, int CorpusExamples,
    int LabelledExamples, IReadOnlyList<CustomReasonReadiness> CustomReasons, string Fingerprint)
{
    public int HumanTrainingExamples => Training.Count - CorpusExamples;
}

public enum RetrainOutcome
{
    Promoted,
    Rejected,

    /// <summary>Not trained: too few held-out answers to judge a candidate, or nothing new since the last candidate.</summary>
    Skipped,
}

/// <summary>What a retraining run did, in words for people and logs.</summary>
public sealed record RetrainResult(RetrainOutcome Outcome, long? ModelId, string Message);

/// <summary>
/// Trains a candidate model on the bundled corpus plus the support leads' labels (never predictions)
/// with the default trainer options, scores it and the active model on the same held-out labelled
/// answers, and promotes it only if its macro-F1 is not worse. Every candidate is kept with its
/// figures, promoted or not.
/// </summary>
public sealed partial class ReasonRetrainer(
    AppDbContext db, ActiveReasonModel models, ReasonCatalog catalog, TimeProvider time, IOptions<ReasonOptions> options,
    ILogger<ReasonRetrainer> logger)
{
    public async Task<TrainingPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var minimum = options.Value.CustomReasonMinimumExamples;
        var counts = await catalog.LabelledCountsAsync(cancellationToken);
        var custom = (await catalog.AllAsync(cancellationToken)).Where(r => r.IsCustom)
            .Select(r => new CustomReasonReadiness(r, counts.GetValueOrDefault(r.Key), Math.Max(0, minimum - counts.GetValueOrDefault(r.Key))))
            .ToList();
        string[] labels = [.. ReasonCatalog.Standard.Select(r => r.Key), .. custom.Where(c => c.TakesPart).Select(c => c.Reason.Key)];
        var corpus = ReasonCorpus.Load();
        // Human labels only: a prediction fed back as a label would only teach the model its own mistakes.
        var labelled = await db.SurveyResponses.AsNoTracking()
            .Where(r => r.HumanReason != null && r.Comment != "")
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Comment, Label = r.HumanReason! })
            .ToListAsync(cancellationToken);
        // A custom reason below its minimum is left out altogether, held-out answers included.
        var usable = labelled.Where(r => labels.Contains(r.Label, StringComparer.Ordinal)).ToList();

        // Not the active version: after a rollback, the same answers would train the same model and undo it.
        var fingerprint = new StringBuilder(new LbfgsMaximumEntropyMulticlassTrainer().Describe())
            .Append('|').Append(corpus.Count).Append('|').AppendJoin(',', labels);
        foreach (var answer in usable)
        {
            fingerprint.Append('|').Append(answer.Id).Append(':').Append(answer.Label);
        }

        return new TrainingPlan(
            [.. corpus, .. usable.Where(r => !HeldOutSplit.IsHeldOut(r.Id)).Select(r => new LabeledText(r.Comment, r.Label))],
            [.. usable.Where(r => HeldOutSplit.IsHeldOut(r.Id)).Select(r => new LabeledText(r.Comment, r.Label))],
            labels, corpus.Count, labelled.Count, custom,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.ToString()))));
    }

    /// <summary>Why a run with this plan would not train, or null when it would.</summary>
    public async Task<string?> ReasonToSkipAsync(TrainingPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var minimum = options.Value.MinimumHeldOutExamples;
        if (plan.HeldOut.Count < minimum)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Only {plan.HeldOut.Count} labelled answer(s) are held out for judging; a candidate is judged on at least {minimum}. About one in {Math.Round(1 / HeldOutSplit.Share)} labelled answers is held out, so label about {Math.Ceiling((minimum - plan.HeldOut.Count) / HeldOutSplit.Share)} more.");
        }

        var same = await db.ReasonModels.AsNoTracking()
            .Where(m => m.TrainingFingerprint == plan.Fingerprint && (m.Status == ReasonModelStatus.Promoted || m.Status == ReasonModelStatus.Rejected))
            .Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
        return same is { } id
            ? $"Nothing new since v{id}: the same labelled answers would train the same model again."
            : null;
    }

    /// <summary>Runs one retraining: plan, train, judge, promote or reject, store.</summary>
    public async Task<RetrainResult> RetrainAsync(string requestedBy, CancellationToken cancellationToken)
    {
        await AbandonInterruptedRunsAsync(cancellationToken);
        var plan = await PlanAsync(cancellationToken);
        if (await ReasonToSkipAsync(plan, cancellationToken) is { } skip)
        {
            LogSkipped(skip);
            return new RetrainResult(RetrainOutcome.Skipped, null, skip);
        }

        // On a fresh install this stores the bundled model first, so versions are numbered in the order they were made.
        await models.GetAsync(db, cancellationToken);
        var candidate = new ReasonModel
        {
            CreatedAt = time.GetUtcNow(),
            CreatedBy = TextLimits.Truncate(requestedBy, FieldLengths.Email),
            Status = ReasonModelStatus.Training,
            TrainingExamples = plan.Training.Count,
            HeldOutExamples = plan.HeldOut.Count,
            TrainingFingerprint = plan.Fingerprint,
            Note = string.Create(CultureInfo.InvariantCulture,
                $"Training on {plan.Training.Count:N0} answers ({plan.CorpusExamples:N0} from the corpus, {plan.HumanTrainingExamples:N0} labelled by staff)…"),
        };
        db.ReasonModels.Add(candidate);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            return await TrainAndJudgeAsync(candidate, plan, cancellationToken);
        }
        catch (Exception ex)
        {
            // Kept as failed with the reason, so the admin page does not show a run that never ends.
            db.ChangeTracker.Clear();
            var message = ex is OperationCanceledException ? "Stopped: the app shut down during training." : $"Failed: {ex.Message}";
            await db.ReasonModels.Where(m => m.Id == candidate.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, ReasonModelStatus.Failed)
                .SetProperty(m => m.FinishedAt, time.GetUtcNow())
                .SetProperty(m => m.Note, TextLimits.Truncate(message, ReasonLimits.Note)), CancellationToken.None);
            throw;
        }
    }

    private async Task<RetrainResult> TrainAndJudgeAsync(ReasonModel candidate, TrainingPlan plan, CancellationToken cancellationToken)
    {
        // The default options, with the label list fixed so that a custom reason keeps its place.
        var trainer = new LbfgsMaximumEntropyMulticlassTrainer(new LbfgsMaximumEntropyMulticlassTrainer.Options { Labels = plan.Labels }, time);
        var trained = await Task.Run(() => trainer.Fit(plan.Training, cancellationToken), cancellationToken);
        candidate.Note = string.Create(CultureInfo.InvariantCulture, $"Scoring the candidate and the active model on {plan.HeldOut.Count:N0} held-out answers…");
        await db.SaveChangesAsync(cancellationToken);

        var active = await models.GetAsync(db, cancellationToken);
        var scored = MulticlassEvaluator.Evaluate(trained, plan.HeldOut);
        var baseline = MulticlassEvaluator.Evaluate(active.Classifier, plan.HeldOut);
        using var content = new MemoryStream();
        trained.Save(content);
        candidate.Version = trained.Info.Version;
        candidate.Content = content.ToArray();
        candidate.TrainingCounts = ActiveReasonModel.CountsJson(trained.Info.TrainingCounts);
        candidate.MacroF1 = scored.MacroF1;
        candidate.Accuracy = scored.Accuracy;
        candidate.Evaluation = ModelEvaluation.From(scored).Serialize();
        candidate.ComparedWithModelId = active.Id;
        candidate.ComparedWithMacroF1 = baseline.MacroF1;
        candidate.FinishedAt = time.GetUtcNow();
        var comparison = string.Create(CultureInfo.InvariantCulture,
            $"macro-F1 {scored.MacroF1:0.000} against {baseline.MacroF1:0.000} for v{active.Id} on {plan.HeldOut.Count:N0} held-out answers");
        var leftOut = plan.CustomReasons.Where(c => !c.TakesPart).Select(c => $"'{c.Reason.Key}' left out ({c.Labelled} of {c.Labelled + c.Needed} labelled answers)").ToList();
        var note = leftOut.Count > 0 ? $" Custom reasons {string.Join(", ", leftOut)}." : "";

        var promote = scored.MacroF1 >= baseline.MacroF1;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Compare-and-swap: if an admin switched versions while this one trained, it was judged against the wrong model.
        if (promote && await db.ReasonModels.Where(m => m.Id == active.Id && m.IsActive)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsActive, false), cancellationToken) == 1)
        {
            (candidate.Status, candidate.IsActive, candidate.ActivatedAt) = (ReasonModelStatus.Promoted, true, candidate.FinishedAt);
            candidate.Note = TextLimits.Truncate($"Promoted: {comparison}.{note}", ReasonLimits.Note);
        }
        else
        {
            candidate.Status = ReasonModelStatus.Rejected;
            candidate.Note = TextLimits.Truncate(
                (promote ? $"Not promoted: the active model changed while this one trained ({comparison})." : $"Rejected, worse than the active model: {comparison}.") + note,
                ReasonLimits.Note);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogFinished(candidate.Id, candidate.Status, candidate.Note);
        return new RetrainResult(candidate.Status == ReasonModelStatus.Promoted ? RetrainOutcome.Promoted : RetrainOutcome.Rejected, candidate.Id, $"v{candidate.Id}: {candidate.Note}");
    }

    /// <summary>
    /// Runs never overlap (the job disallows it), so a version still "training" when a run starts belongs
    /// to a process that stopped mid-run.
    /// </summary>
    private Task<int> AbandonInterruptedRunsAsync(CancellationToken cancellationToken) =>
        db.ReasonModels.Where(m => m.Status == ReasonModelStatus.Training).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, ReasonModelStatus.Failed)
            .SetProperty(m => m.FinishedAt, time.GetUtcNow())
            .SetProperty(m => m.Note, "Interrupted: the process stopped before the run finished."), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reason model retraining skipped: {Reason}")]
    private partial void LogSkipped(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reason model candidate v{Id} {Status}: {Note}")]
    private partial void LogFinished(long id, ReasonModelStatus status, string? note);
}
