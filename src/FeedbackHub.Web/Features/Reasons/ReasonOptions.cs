using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>Churn-reason classification and retraining settings (section <c>Reasons</c>), checked at start-up.</summary>
public sealed class ReasonOptions
{
    public const string Section = "Reasons";

    /// <summary>Answers classified per database round by the background worker and the catch-up job. Default 200.</summary>
    [Range(1, 10_000, ErrorMessage = "Reasons:ClassificationBatchSize must be between 1 and 10000.")]
    public int ClassificationBatchSize { get; set; } = 200;

    /// <summary>Answers labelled by support leads that a custom reason needs before it takes part in training. Default 20.</summary>
    [Range(1, 10_000, ErrorMessage = "Reasons:CustomReasonMinimumExamples must be between 1 and 10000.")]
    public int CustomReasonMinimumExamples { get; set; } = 20;

    /// <summary>
    /// Held-out labelled answers needed before a retrained candidate is judged (and so can be promoted):
    /// a macro-F1 over a handful of answers is noise. Default 20, about 100 labelled answers in all.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Reasons:MinimumHeldOutExamples must be between 1 and 100000.")]
    public int MinimumHeldOutExamples { get; set; } = 20;
}
