using FeedbackHub.Classification.Model;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Reasons;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>One model version as the admin page lists it (without its bytes).</summary>
public sealed record ModelVersionRow(
    long Id, string? Version, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? FinishedAt, ReasonModelStatus Status, bool IsActive,
    DateTimeOffset? ActivatedAt,
    int TrainingExamples, int HeldOutExamples, double? MacroF1, double? Accuracy, long? ComparedWithModelId, double? ComparedWithMacroF1,
    string? Note)
{
    /// <summary>Only versions that were once in use can be put back; a rejected candidate scored worse when it was judged.</summary>
    public bool CanActivate => !IsActive && Status is ReasonModelStatus.Bundled or ReasonModelStatus.Promoted;
}

/// <summary>A version's training counts and its figures on the held-out answers.</summary>
public sealed record ModelVersionDetail(ModelVersionRow Row, IReadOnlyList<LabelCount> TrainingCounts, ModelEvaluation? Evaluation);

/// <summary>The admin's side of the model versions: the list, one version's figures, and rollback.</summary>
public sealed class ReasonModelAdministration(AppDbContext db, AuditTrail audit, TimeProvider time)
{
    public const int PageSize = 20;

    public Task<Paged<ModelVersionRow>> ListAsync(int pageNumber, CancellationToken cancellationToken) =>
        Rows(db.ReasonModels.AsNoTracking().OrderByDescending(m => m.Id)).PageAsync(pageNumber, PageSize, cancellationToken);

    public async Task<ModelVersionRow?> ActiveAsync(CancellationToken cancellationToken) =>
        await Rows(db.ReasonModels.AsNoTracking().Where(m => m.IsActive)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The newest version still training, if a run is under way (on any node).</summary>
    public async Task<ModelVersionRow?> TrainingAsync(CancellationToken cancellationToken) =>
        await Rows(db.ReasonModels.AsNoTracking().Where(m => m.Status == ReasonModelStatus.Training).OrderByDescending(m => m.Id)).FirstOrDefaultAsync(cancellationToken);

    public async Task<ModelVersionDetail?> DetailAsync(long id, CancellationToken cancellationToken)
    {
        var row = await Rows(db.ReasonModels.AsNoTracking().Where(m => m.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var stored = await db.ReasonModels.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.TrainingCounts, m.Evaluation }).FirstAsync(cancellationToken);
        return new ModelVersionDetail(row, ActiveReasonModel.ParseCounts(stored.TrainingCounts), ModelEvaluation.Parse(stored.Evaluation));
    }

    /// <summary>Makes an earlier version the active one again (a rollback); new answers are classified with it from the next batch on.</summary>
    public async Task<OperationResult<ModelVersionRow>> ActivateAsync(Actor actor, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var row = await Rows(db.ReasonModels.AsNoTracking().Where(m => m.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return Fail($"There is no model version v{id}.");
        }

        if (row.IsActive)
        {
            return Fail($"v{id} is already the active model.");
        }

        if (!row.CanActivate || !await db.ReasonModels.AnyAsync(m => m.Id == id && m.Content != null, cancellationToken))
        {
            return Fail($"v{id} is {row.Status.ToString().ToLowerInvariant()}; only versions that were in use (bundled or promoted) can be made active again.");
        }

        var previous = await db.ReasonModels.Where(m => m.IsActive).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Off first, then on: the unique index allows one active version at any moment, even inside the transaction.
        await db.ReasonModels.Where(m => m.IsActive).ExecuteUpdateAsync(s => s.SetProperty(m => m.IsActive, false), cancellationToken);
        var now = time.GetUtcNow();
        await db.ReasonModels.Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsActive, true).SetProperty(m => m.ActivatedAt, now), cancellationToken);
        audit.Add(actor, AuditActions.ReasonModelActivated, $"reason-model:{id}",
            previous is { } from ? $"v{id} ({row.Version}) replaces v{from}" : $"v{id} ({row.Version})");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new OperationResult<ModelVersionRow>(row with { IsActive = true }, []);
    }

    private static OperationResult<ModelVersionRow> Fail(string message) => new(null, [message]);

    private static IQueryable<ModelVersionRow> Rows(IQueryable<ReasonModel> models) => models.Select(m => new ModelVersionRow(
        m.Id, m.Version, m.CreatedAt, m.CreatedBy, m.FinishedAt, m.Status, m.IsActive, m.ActivatedAt, m.TrainingExamples, m.HeldOutExamples,
        m.MacroF1, m.Accuracy, m.ComparedWithModelId, m.ComparedWithMacroF1, m.Note));
}
