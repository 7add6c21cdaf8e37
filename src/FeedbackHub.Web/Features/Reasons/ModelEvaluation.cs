using System.Text.Json;
using FeedbackHub.Classification.Evaluation;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>
/// A version's figures on the held-out answers as stored with it (<see cref="Data.Reasons.ReasonModel.Evaluation"/>):
/// per-label precision, recall and F1, and the confusion matrix (rows actual, columns predicted).
/// </summary>
public sealed record ModelEvaluation(IReadOnlyList<ClassMetrics> PerClass, IReadOnlyList<string> Labels, int[][] Confusion)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ModelEvaluation From(MulticlassClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(metrics.PerClass, metrics.ConfusionMatrix.Labels, metrics.ConfusionMatrix.Counts);
    }

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static ModelEvaluation? Parse(string? stored) =>
        string.IsNullOrEmpty(stored) ? null : JsonSerializer.Deserialize<ModelEvaluation>(stored, Json);
}
