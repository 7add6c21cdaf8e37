using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Training;

namespace FeedbackHub.Classification.Tests;

public sealed class PredictionTests
{
    [Fact]
    public void Predict_Explanation_NamesTheNgramThatDecided()
    {
        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(TrainingData.Separable());

        var prediction = classifier.Predict("Honestly the PRICE is too high");

        Assert.Equal("price", prediction.Label);
        Assert.Contains(prediction.Explanation, e => e.Ngram == "price");
        Assert.All(prediction.Explanation, e => Assert.True(e.Weight > 0));
        Assert.Equal(prediction.Explanation.OrderByDescending(e => e.Weight), prediction.Explanation);
    }

    [Fact]
    public void Predict_DutchAnswer_ExplainsWithWordsAndBigrams()
    {
        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(TrainingData.Separable());

        var prediction = classifier.Predict("Het was veel te duur", explanationSize: 10);

        Assert.Equal("price", prediction.Label);
        Assert.Contains(prediction.Explanation, e => e.Ngram == "duur");
        Assert.Contains(prediction.Explanation, e => e.Ngram == "te duur");
    }

    [Fact]
    public void Predict_SpanOverload_AllocatesNothing()
    {
        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(TrainingData.Separable());
        var probabilities = new float[classifier.Labels.Count];
        const string answer = "the support staff never answered my emails about the broken app and the price";
        classifier.Predict(answer, probabilities);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            classifier.Predict(answer, probabilities);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PredictBatch_ManyThreads_MatchesOneByOne()
    {
        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(ReasonCorpus.Load().Where((_, i) => i % 5 == 0).ToList());
        var answers = ReasonCorpus.SyntheticAnswers(2_000, tokens: 15, seed: 3);

        var batch = new int[answers.Count];
        classifier.PredictBatch(answers, batch);

        var probabilities = new float[classifier.Labels.Count];
        Assert.All(Enumerable.Range(0, answers.Count), i => Assert.Equal(classifier.Predict(answers[i], probabilities), batch[i]));
    }

    [Fact]
    public void Predict_EmptyOrSymbolsOnly_FallsBackToTheBias()
    {
        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(TrainingData.Separable());

        var prediction = classifier.Predict("?!");

        Assert.Contains(prediction.Label, classifier.Labels);
        Assert.Empty(prediction.Explanation);
    }

    [Fact]
    public void LoadDefault_BundledModel_ClassifiesBothLanguages()
    {
        var classifier = TextClassifier.LoadDefault();

        Assert.Equal(ReasonCorpus.StandardLabels.Order(StringComparer.Ordinal), classifier.Labels);
        Assert.Equal("price", classifier.PredictLabel("veel te duur"));
        Assert.Equal("service", classifier.PredictLabel("Customer service never answered my emails"));
        Assert.Equal("experience", classifier.PredictLabel("de app crasht steeds"));
        Assert.Equal("other", classifier.PredictLabel("we are moving abroad"));
        Assert.NotNull(classifier.Info.CrossValidation);
    }

    [Fact]
    public void SyntheticAnswers_HaveTheRequestedLength()
    {
        var answers = ReasonCorpus.SyntheticAnswers(50, tokens: 15, seed: 1);

        Assert.All(answers, a => Assert.Equal(15, a.Split(' ').Length));
        Assert.Equal(answers, ReasonCorpus.SyntheticAnswers(50, tokens: 15, seed: 1));
    }
}
