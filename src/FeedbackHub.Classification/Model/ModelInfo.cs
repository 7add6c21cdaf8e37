namespace FeedbackHub.Classification.Model;

/// <summary>What a model is and how it was made: stored inside the model file, shown on the admin page.</summary>
public sealed record ModelInfo
{
    /// <summary>A content id of the weights (8 hex digits): two files with the same version predict the same.</summary>
    public required string Version { get; init; }

    public required DateTimeOffset TrainedAt { get; init; }

    /// <summary>The trainer's name and its settings, for the record.</summary>
    public required string Trainer { get; init; }

    /// <summary>Training examples per label, in the model's label order.</summary>
    public required IReadOnlyList<LabelCount> TrainingCounts { get; init; }

    /// <summary>Cross-validation figures measured when the model was trained, if they were.</summary>
    public EvaluationSummary? CrossValidation { get; init; }

    public int TrainingExamples => TrainingCounts.Sum(c => c.Count);
}

public sealed record LabelCount(string Label, int Count);

/// <summary>The headline figures of an evaluation: macro-F1, accuracy, how many answers, over how many folds (1 for a plain test set).</summary>
public sealed record EvaluationSummary(double MacroF1, double Accuracy, int Count, int Folds);
