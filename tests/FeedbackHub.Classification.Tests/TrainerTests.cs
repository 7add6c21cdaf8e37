using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Evaluation;
using FeedbackHub.Classification.Training;

namespace FeedbackHub.Classification.Tests;

public sealed class TrainerTests
{
    [Fact]
    public void Fit_SeparableData_LearnsEveryExample()
    {
        var data = TrainingData.Separable();

        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(data);
        var metrics = MulticlassEvaluator.Evaluate(classifier, data);

        Assert.Equal(1.0, metrics.Accuracy);
        Assert.Equal(["experience", "other", "price", "service"], classifier.Labels);
        Assert.Equal(data.Count, classifier.Info.TrainingExamples);
    }

    [Fact]
    public void Fit_SameSeedAndData_GivesIdenticalModels()
    {
        var data = TrainingData.Separable();
        var options = new LbfgsMaximumEntropyMulticlassTrainer.Options { Seed = 7 };

        var first = new LbfgsMaximumEntropyMulticlassTrainer(options).FitModel(data);
        var second = new LbfgsMaximumEntropyMulticlassTrainer(options).FitModel(data);

        Assert.Equal(first.Info.Version, second.Info.Version);
        Assert.Equal(first.Temperature, second.Temperature);
        Assert.True(first.Table.AsSpan().SequenceEqual(second.Table));
        Assert.True(first.Bias.AsSpan().SequenceEqual(second.Bias));
    }

    [Fact]
    public void Fit_OneThreadOrAll_GivesIdenticalModels()
    {
        var data = ReasonCorpus.Load().Where((_, i) => i % 5 == 0).ToList();

        var single = new LbfgsMaximumEntropyMulticlassTrainer(new() { NumberOfThreads = 1 }).FitModel(data);
        var parallel = new LbfgsMaximumEntropyMulticlassTrainer(new() { NumberOfThreads = -1 }).FitModel(data);

        Assert.Equal(single.Info.Version, parallel.Info.Version);
    }

    [Fact]
    public void Fit_FixedLabelList_KeepsItsOrderAndUnseenLabels()
    {
        var labels = new[] { "price", "service", "experience", "other", "delivery" };

        var classifier = new LbfgsMaximumEntropyMulticlassTrainer(new() { Labels = labels }).Fit(TrainingData.Separable());

        Assert.Equal(labels, classifier.Labels);
        Assert.Equal("price", classifier.PredictLabel("too expensive"));
    }

    [Fact]
    public void Fit_OneLabelOnly_ThrowsWithReason()
    {
        var data = new[] { new LabeledText("te duur", "price"), new LabeledText("too expensive", "price") };

        var error = Assert.Throws<ArgumentException>(() => new LbfgsMaximumEntropyMulticlassTrainer().Fit(data));

        Assert.Contains("at least two labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new LbfgsMaximumEntropyMulticlassTrainer(new() { L2Regularization = -1 }));
        Assert.Throws<ArgumentException>(() => new LbfgsMaximumEntropyMulticlassTrainer(new() { Featurizer = new() { HashBits = 30 } }));
        Assert.Throws<ArgumentException>(() => new LbfgsMaximumEntropyMulticlassTrainer(new() { NaiveBayesSmoothing = 0 }));
    }

    [Fact]
    public void Fit_Calibration_GivesProbabilitiesThatSumToOne()
    {
        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(ReasonCorpus.Load().Where((_, i) => i % 4 == 0).ToList());

        var prediction = classifier.Predict("the delivery was late and the box was damaged");

        Assert.Equal(1f, prediction.Probabilities.Sum(p => p.Probability), 3);
        Assert.Equal(prediction.Probabilities.Max(p => p.Probability), prediction.Confidence);
        Assert.True(classifier.Model.Temperature > 0);
    }

    [Fact]
    public void CrossValidate_FiveFolds_ScoresEveryExampleOnce()
    {
        var data = ReasonCorpus.Load().Where((_, i) => i % 5 == 0).ToList();

        var result = MulticlassEvaluator.CrossValidate(new LbfgsMaximumEntropyMulticlassTrainer(), data, folds: 5, seed: 1);

        Assert.Equal(5, result.Folds.Count);
        Assert.Equal(data.Count, result.Pooled.Count);
        Assert.InRange(result.Pooled.MacroF1, 0.5, 1.0);
    }
}
