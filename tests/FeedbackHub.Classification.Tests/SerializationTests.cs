using FeedbackHub.Classification.Model;
using FeedbackHub.Classification.Training;

namespace FeedbackHub.Classification.Tests;

public sealed class SerializationTests
{
    [Fact]
    public void SaveThenLoad_RoundTrip_PredictsTheSame()
    {
        var classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(TrainingData.Separable());
        using var stream = new MemoryStream();

        classifier.Save(stream);
        stream.Position = 0;
        var loaded = TextClassifier.Load(stream);

        Assert.Equal(classifier.Labels, loaded.Labels);
        Assert.Equal(classifier.Info.Version, loaded.Info.Version);
        Assert.Equal(classifier.Info.TrainedAt.ToUnixTimeMilliseconds(), loaded.Info.TrainedAt.ToUnixTimeMilliseconds());
        Assert.Equal(classifier.Info.TrainingCounts, loaded.Info.TrainingCounts);
        Assert.Equal(classifier.Model.Featurizer, loaded.Model.Featurizer);
        Assert.Equal(classifier.Model.Temperature, loaded.Model.Temperature);
        Assert.True(classifier.Model.Table.AsSpan().SequenceEqual(loaded.Model.Table));
        foreach (var text in new[] { "te duur", "support never answered", "de app crasht", "moving to Spain next week" })
        {
            Assert.Equal(classifier.Predict(text).Probabilities, loaded.Predict(text).Probabilities);
        }
    }

    [Fact]
    public void SaveThenLoad_File_KeepsCrossValidationFigures()
    {
        var model = new LbfgsMaximumEntropyMulticlassTrainer().FitModel(TrainingData.Separable());
        model = model.WithInfo(model.Info with { CrossValidation = new EvaluationSummary(0.875, 0.9, 24, 5) });
        var path = Path.Combine(Path.GetTempPath(), $"reasons-{Guid.NewGuid():N}{ModelSerializer.FileExtension}");
        try
        {
            ModelSerializer.Save(model, path);

            Assert.Equal(new EvaluationSummary(0.875, 0.9, 24, 5), ModelSerializer.Load(path).Info.CrossValidation);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_SparseTable_IsFarSmallerThanTheHashSpace()
    {
        using var stream = new MemoryStream();

        new LbfgsMaximumEntropyMulticlassTrainer().Fit(TrainingData.Separable()).Save(stream);

        Assert.InRange(stream.Length, 100, 50_000);
    }

    [Fact]
    public void Load_FlippedByte_FailsOnTheChecksum()
    {
        var bytes = SavedModel();
        bytes[bytes.Length / 2] ^= 0x40;

        var error = Assert.Throws<InvalidModelFileException>(() => ModelSerializer.Load(new MemoryStream(bytes)));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedFile_SaysTruncated()
    {
        var bytes = SavedModel();

        var error = Assert.Throws<InvalidModelFileException>(() => ModelSerializer.Load(new MemoryStream(bytes[..(bytes.Length - 100)])));
        var headerOnly = Assert.Throws<InvalidModelFileException>(() => ModelSerializer.Load(new MemoryStream(bytes[..12])));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", headerOnly.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text,label\nte duur,price\n")]
    [InlineData("")]
    [InlineData("PK\u0003\u0004 a zip file")]
    public void Load_ForeignFile_SaysItIsNotAModel(string content)
    {
        var error = Assert.Throws<InvalidModelFileException>(() => ModelSerializer.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content))));

        Assert.Contains("not a FeedbackHub reason model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NewerFormatVersion_NamesBothVersions()
    {
        var bytes = SavedModel();
        bytes[8] = 9;

        var error = Assert.Throws<InvalidModelFileException>(() => ModelSerializer.Load(new MemoryStream(bytes)));

        Assert.Contains("format version 9", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {ModelSerializer.FormatVersion}", error.Message, StringComparison.Ordinal);
    }

    private static byte[] SavedModel()
    {
        using var stream = new MemoryStream();
        new LbfgsMaximumEntropyMulticlassTrainer().Fit(TrainingData.Separable()).Save(stream);
        return stream.ToArray();
    }
}
