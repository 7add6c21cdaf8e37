using FeedbackHub.Classification.Model;

namespace FeedbackHub.Classification.Evaluation;

/// <summary>Precision, recall and F1 of one label; support is how many answers truly carry it.</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>Accuracy, per-label figures, macro averages and the confusion matrix of one evaluation.</summary>
public sealed class MulticlassClassificationMetrics
{
    private MulticlassClassificationMetrics(ConfusionMatrix matrix, IReadOnlyList<ClassMetrics> perClass, double accuracy)
    {
        ConfusionMatrix = matrix;
        PerClass = perClass;
        Accuracy = accuracy;
        // Labels neither present nor predicted say nothing about the model and are left out of the average.
        var scored = perClass.Where((c, i) => c.Support > 0 || Enumerable.Range(0, matrix.Labels.Count).Any(a => matrix[a, i] > 0)).ToArray();
        MacroF1 = scored.Length == 0 ? 0 : scored.Average(c => c.F1);
        MacroPrecision = scored.Length == 0 ? 0 : scored.Average(c => c.Precision);
        MacroRecall = scored.Length == 0 ? 0 : scored.Average(c => c.Recall);
    }

    public ConfusionMatrix ConfusionMatrix { get; }

    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Share of answers whose predicted label is the actual one (ML.NET: micro accuracy).</summary>
    public double Accuracy { get; }

    /// <summary>Mean F1 over labels: every reason counts the same, however rare.</summary>
    public double MacroF1 { get; }

    public double MacroPrecision { get; }

    public double MacroRecall { get; }

    public int Count => ConfusionMatrix.Total;

    public static MulticlassClassificationMetrics FromConfusionMatrix(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = matrix.Labels.Count;
        var perClass = new ClassMetrics[n];
        var correct = 0;
        for (var i = 0; i < n; i++)
        {
            var truePositives = matrix[i, i];
            correct += truePositives;
            var predicted = 0;
            var actual = 0;
            for (var j = 0; j < n; j++)
            {
                predicted += matrix[j, i];
                actual += matrix[i, j];
            }

            // An empty denominator scores 0, as scikit-learn does with zero_division=0.
            var precision = predicted == 0 ? 0 : (double)truePositives / predicted;
            var recall = actual == 0 ? 0 : (double)truePositives / actual;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[i] = new ClassMetrics(matrix.Labels[i], precision, recall, f1, actual);
        }

        var total = matrix.Total;
        return new MulticlassClassificationMetrics(matrix, perClass, total == 0 ? 0 : (double)correct / total);
    }

    public EvaluationSummary ToSummary(int folds = 1) => new(MacroF1, Accuracy, Count, folds);
}
