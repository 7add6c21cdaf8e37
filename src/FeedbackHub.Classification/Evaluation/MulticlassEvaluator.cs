using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Training;

namespace FeedbackHub.Classification.Evaluation;

/// <summary>Scores a classifier on labelled answers, or a trainer by k-fold cross-validation.</summary>
public static class MulticlassEvaluator
{
    public static MulticlassClassificationMetrics Evaluate(TextClassifier classifier, IReadOnlyList<LabeledText> test)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(test);
        var predicted = new int[test.Count];
        classifier.PredictBatch([.. test.Select(t => t.Text)], predicted);
        var matrix = ConfusionMatrix.From(
            classifier.Labels, [.. test.Select(t => t.Label)], [.. predicted.Select(p => classifier.Labels[p])]);
        return MulticlassClassificationMetrics.FromConfusionMatrix(matrix);
    }

    /// <summary>
    /// Trains on k−1 stratified folds and scores the k-th, k times. Every model sees only its training
    /// folds (features, IDF and naive Bayes ratios included).
    /// </summary>
    public static CrossValidationResult CrossValidate(
        LbfgsMaximumEntropyMulticlassTrainer trainer, IReadOnlyList<LabeledText> examples, int folds = 5, int seed = 42, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(examples);
        var labels = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var foldOf = Folds.Stratified([.. examples.Select(e => labels.IndexOf(e.Label))], labels.Count, folds, seed);
        var results = new List<MulticlassClassificationMetrics>();
        for (var fold = 0; fold < folds; fold++)
        {
            var train = examples.Where((_, i) => foldOf[i] != fold).ToArray();
            var test = examples.Where((_, i) => foldOf[i] == fold).ToArray();
            results.Add(Evaluate(trainer.Fit(train, cancellationToken), test));
        }

        var pooled = results.Skip(1).Aggregate(results[0].ConfusionMatrix, (sum, r) => sum.Add(r.ConfusionMatrix));
        return new CrossValidationResult(results, MulticlassClassificationMetrics.FromConfusionMatrix(pooled));
    }
}

/// <summary>Each fold's metrics and the metrics of all out-of-fold predictions pooled.</summary>
public sealed record CrossValidationResult(IReadOnlyList<MulticlassClassificationMetrics> Folds, MulticlassClassificationMetrics Pooled)
{
    public double MeanMacroF1 => Folds.Average(f => f.MacroF1);

    public double MeanAccuracy => Folds.Average(f => f.Accuracy);
}
