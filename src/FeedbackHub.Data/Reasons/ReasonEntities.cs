namespace FeedbackHub.Data.Reasons;

public enum ReasonModelStatus
{
    /// <summary>A retraining run is making this candidate; <see cref="ReasonModel.Note"/> says how far it is.</summary>
    Training,

    /// <summary>The model shipped inside the app, stored on first use so that predictions can name it.</summary>
    Bundled,

    /// <summary>A candidate that scored at least as well as the active model and replaced it.</summary>
    Promoted,

    /// <summary>A candidate that scored worse than the active model; kept with its figures, never used.</summary>
    Rejected,

    /// <summary>A run that broke off (an error, or the process stopped); <see cref="ReasonModel.Note"/> says why.</summary>
    Failed,
}

/// <summary>
/// One version of the churn-reason classifier: the bundled model or a retraining candidate, with its
/// training counts and its figures on the held-out answers. Exactly one version is active at a time.
/// </summary>
public sealed class ReasonModel
{
    public long Id { get; set; }

    /// <summary>The model's content id (8 hex digits, from the model file); null while training.</summary>
    public string? Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who asked for it: a staff member, <c>nightly</c>, or <c>bundled</c>.</summary>
    public required string CreatedBy { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public ReasonModelStatus Status { get; set; }

    /// <summary>True for the one version that classifies new answers (a filtered unique index keeps it to one).</summary>
    public bool IsActive { get; set; }

    /// <summary>When this version last became the active one.</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>The model file (<c>.fhmodel</c> bytes); null while training or after a failure.</summary>
    public byte[]? Content { get; set; }

    /// <summary>Training answers per label, as JSON <c>[{"label":"price","count":812},…]</c>.</summary>
    public string? TrainingCounts { get; set; }

    public int TrainingExamples { get; set; }

    /// <summary>How many human-labelled answers the version was judged on (none for the bundled model).</summary>
    public int HeldOutExamples { get; set; }

    /// <summary>Macro-F1 on the held-out answers; null when not measured.</summary>
    public double? MacroF1 { get; set; }

    public double? Accuracy { get; set; }

    /// <summary>Per-label precision, recall and F1 and the confusion matrix on the held-out answers, as JSON.</summary>
    public string? Evaluation { get; set; }

    /// <summary>The active version this candidate was compared with.</summary>
    public long? ComparedWithModelId { get; set; }

    /// <summary>That version's macro-F1 on the same held-out answers.</summary>
    public double? ComparedWithMacroF1 { get; set; }

    /// <summary>SHA-256 of what the candidate was trained and judged on, so a run with nothing new can be skipped.</summary>
    public string? TrainingFingerprint { get; set; }

    /// <summary>For people: progress while training, why a run failed, which custom reasons were left out.</summary>
    public string? Note { get; set; }
}

/// <summary>A churn reason an admin added beside price, service, experience and other.</summary>
public sealed class CustomReason
{
    public long Id { get; set; }

    /// <summary>Stable key, as stored on answers (lower-case letters, digits, hyphens).</summary>
    public required string Key { get; set; }

    public required string LabelEnglish { get; set; }

    public required string LabelDutch { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }
}

/// <summary>Lengths of reason fields, shared by the model and validation.</summary>
public static class ReasonLimits
{
    public const int Label = 100;
    public const int Explanation = 2_000;
    public const int ModelVersion = 16;
    public const int Fingerprint = 64;
    public const int Note = 1_000;
}
