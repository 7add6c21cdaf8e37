using System.Globalization;
using System.Text.Json;
using FeedbackHub.Classification;
using FeedbackHub.Classification.Model;
using FeedbackHub.Data;
using FeedbackHub.Data.Reasons;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>A model version loaded for predicting: its row, its content id and the classifier.</summary>
public sealed record LoadedReasonModel(long Id, string Version, TextClassifier Classifier);

/// <summary>
/// The active classifier of this node, loaded once and kept (a model is about a megabyte and takes a
/// moment to read). Every call asks the database which version is active, one indexed query, so a
/// promotion or rollback made on any node or page is picked up by the next batch. A fresh install
/// has no versions yet: the model bundled in the app is stored and made active on first use.
/// </summary>
public sealed partial class ActiveReasonModel(TimeProvider time, ILogger<ActiveReasonModel> logger) : IDisposable
{
    /// <summary>Who "created" the bundled model in the versions list.</summary>
    public const string BundledBy = "bundled";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile LoadedReasonModel? _current;

    public async Task<LoadedReasonModel> GetAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var activeId = await ActiveIdAsync(db, cancellationToken);
        if (_current is { } current && current.Id == activeId)
        {
            return current;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            activeId ??= await ActivateBundledAsync(db, cancellationToken);
            if (_current is { } loaded && loaded.Id == activeId)
            {
                return loaded;
            }

            var row = await db.ReasonModels.AsNoTracking().Where(m => m.Id == activeId)
                .Select(m => new { m.Id, m.Version, m.Content }).FirstAsync(cancellationToken);
            using var stream = new MemoryStream(row.Content ?? throw new InvalidOperationException($"Reason model {row.Id} is active but has no content."));
            var classifier = TextClassifier.Load(stream);
            _current = new LoadedReasonModel(row.Id, row.Version ?? classifier.Info.Version, classifier);
            LogLoaded(row.Id, _current.Version, classifier.Labels.Count);
            return _current;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private static Task<long?> ActiveIdAsync(AppDbContext db, CancellationToken cancellationToken) =>
        db.ReasonModels.Where(m => m.IsActive).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Makes the bundled model the active version (storing it first if it is not stored yet). Two nodes
    /// may race here on a fresh install: the unique index on the active flag lets one win, and the
    /// other uses the winner's row.
    /// </summary>
    private async Task<long> ActivateBundledAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var bundled = TextClassifier.LoadDefault();
        var now = time.GetUtcNow();
        var row = await db.ReasonModels.FirstOrDefaultAsync(m => m.Status == ReasonModelStatus.Bundled && m.Version == bundled.Info.Version, cancellationToken);
        if (row is null)
        {
            using var content = new MemoryStream();
            bundled.Save(content);
            row = new ReasonModel
            {
                Version = bundled.Info.Version,
                CreatedAt = now,
                CreatedBy = BundledBy,
                FinishedAt = now,
                Status = ReasonModelStatus.Bundled,
                Content = content.ToArray(),
                TrainingCounts = CountsJson(bundled.Info.TrainingCounts),
                TrainingExamples = bundled.Info.TrainingExamples,
                Note = bundled.Info.CrossValidation is { } cv
                    ? string.Create(CultureInfo.InvariantCulture, $"Shipped with FeedbackHub, trained on the bundled corpus; {cv.Folds}-fold cross-validation there: macro-F1 {cv.MacroF1:0.000}.")
                    : "Shipped with FeedbackHub, trained on the bundled corpus.",
            };
            db.ReasonModels.Add(row);
        }

        (row.IsActive, row.ActivatedAt) = (true, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogBundledActivated(row.Id, row.Version!);
            return row.Id;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return await ActiveIdAsync(db, cancellationToken) ?? throw new InvalidOperationException("No reason model could be made active.");
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Training counts per label as stored on a version row.</summary>
    public static string CountsJson(IEnumerable<LabelCount> counts) => JsonSerializer.Serialize(counts, Json);

    public static IReadOnlyList<LabelCount> ParseCounts(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : JsonSerializer.Deserialize<List<LabelCount>>(stored, Json) ?? [];

    [LoggerMessage(Level = LogLevel.Information, Message = "Reason model {Id} (version {Version}, {Labels} labels) loaded for classifying")]
    private partial void LogLoaded(long id, string version, int labels);

    [LoggerMessage(Level = LogLevel.Information, Message = "No reason model was active; the bundled model {Version} is now version {Id}")]
    private partial void LogBundledActivated(long id, string version);
}
