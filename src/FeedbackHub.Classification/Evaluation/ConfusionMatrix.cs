namespace FeedbackHub.Classification.Evaluation;

/// <summary>Counts of (actual label, predicted label) pairs; rows are actual labels, columns predicted.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[][] _counts;

    public ConfusionMatrix(IReadOnlyList<string> labels, int[][] counts)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length != labels.Count || counts.Any(row => row.Length != labels.Count))
        {
            throw new ArgumentException("A confusion matrix needs one row and one column per label.", nameof(counts));
        }

        Labels = [.. labels];
        _counts = [.. counts.Select(row => row.ToArray())];
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>A copy of the counts, rows actual, columns predicted (for storing as JSON).</summary>
    public int[][] Counts => [.. _counts.Select(row => row.ToArray())];

    public int this[int actual, int predicted] => _counts[actual][predicted];

    public int Total => _counts.Sum(row => row.Sum());

    /// <summary>Builds the matrix from parallel lists of actual and predicted labels.</summary>
    public static ConfusionMatrix From(IReadOnlyList<string> labels, IReadOnlyList<string> actual, IReadOnlyList<string> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException("Actual and predicted labels must pair up.", nameof(predicted));
        }

        // Labels met only in the data (e.g. a reason the model does not know) still get a row.
        var all = labels.Concat(actual).Concat(predicted).Distinct(StringComparer.Ordinal).ToArray();
        var index = all.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var counts = all.Select(_ => new int[all.Length]).ToArray();
        for (var i = 0; i < actual.Count; i++)
        {
            counts[index[actual[i]]][index[predicted[i]]]++;
        }

        return new ConfusionMatrix(all, counts);
    }

    /// <summary>The sum of two matrices over the same labels (pooling cross-validation folds).</summary>
    public ConfusionMatrix Add(ConfusionMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var labels = Labels.Concat(other.Labels).Distinct(StringComparer.Ordinal).ToArray();
        var counts = labels.Select(_ => new int[labels.Length]).ToArray();
        foreach (var matrix in new[] { this, other })
        {
            for (var a = 0; a < matrix.Labels.Count; a++)
            {
                for (var p = 0; p < matrix.Labels.Count; p++)
                {
                    counts[Array.IndexOf(labels, matrix.Labels[a])][Array.IndexOf(labels, matrix.Labels[p])] += matrix[a, p];
                }
            }
        }

        return new ConfusionMatrix(labels, counts);
    }
}
