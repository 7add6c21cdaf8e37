using FeedbackHub.Classification.Evaluation;

namespace FeedbackHub.Classification.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void FromConfusionMatrix_HandComputedExample_MatchesByHand()
    {
        // Rows actual, columns predicted:   a  b  c
        //                                a  5  1  0   (6 actual a)
        //                                b  2  3  1   (6 actual b)
        //                                c  0  0  4   (4 actual c)
        // Predicted a: 7, b: 4, c: 5.  P(a)=5/7 R(a)=5/6; P(b)=3/4 R(b)=3/6; P(c)=4/5 R(c)=4/4.
        var matrix = new ConfusionMatrix(["a", "b", "c"], [[5, 1, 0], [2, 3, 1], [0, 0, 4]]);

        var metrics = MulticlassClassificationMetrics.FromConfusionMatrix(matrix);

        Assert.Equal(16, metrics.Count);
        Assert.Equal(12.0 / 16, metrics.Accuracy, 12);
        var a = metrics.PerClass[0];
        Assert.Equal(5.0 / 7, a.Precision, 12);
        Assert.Equal(5.0 / 6, a.Recall, 12);
        Assert.Equal(2 * (5.0 / 7) * (5.0 / 6) / ((5.0 / 7) + (5.0 / 6)), a.F1, 12);
        Assert.Equal(6, a.Support);
        var f1B = 2 * 0.75 * 0.5 / 1.25;
        var f1C = 2 * 0.8 * 1.0 / 1.8;
        Assert.Equal(f1B, metrics.PerClass[1].F1, 12);
        Assert.Equal(f1C, metrics.PerClass[2].F1, 12);
        Assert.Equal((a.F1 + f1B + f1C) / 3, metrics.MacroF1, 12);
    }

    [Fact]
    public void FromConfusionMatrix_LabelNeverPredicted_ScoresZeroNotNaN()
    {
        var matrix = new ConfusionMatrix(["a", "b"], [[3, 0], [2, 0]]);

        var metrics = MulticlassClassificationMetrics.FromConfusionMatrix(matrix);

        Assert.Equal(0, metrics.PerClass[1].Precision);
        Assert.Equal(0, metrics.PerClass[1].F1);
        Assert.False(double.IsNaN(metrics.MacroF1));
    }

    [Fact]
    public void ConfusionMatrix_From_CountsPairsAndAddsUnknownLabels()
    {
        var matrix = ConfusionMatrix.From(["a", "b"], ["a", "a", "b", "z"], ["a", "b", "b", "a"]);

        Assert.Equal(["a", "b", "z"], matrix.Labels);
        Assert.Equal(1, matrix[0, 0]);
        Assert.Equal(1, matrix[0, 1]);
        Assert.Equal(1, matrix[1, 1]);
        Assert.Equal(1, matrix[2, 0]);
        Assert.Equal(4, matrix.Total);
    }

    [Fact]
    public void ConfusionMatrix_Add_SumsCellByLabel()
    {
        var first = new ConfusionMatrix(["a", "b"], [[1, 2], [3, 4]]);
        var second = new ConfusionMatrix(["b", "a"], [[10, 0], [0, 20]]);

        var sum = first.Add(second);

        Assert.Equal(21, sum[0, 0]);
        Assert.Equal(14, sum[1, 1]);
        Assert.Equal(2, sum[0, 1]);
    }
}
