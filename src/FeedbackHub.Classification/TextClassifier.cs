using System.Numerics.Tensors;
using FeedbackHub.Classification.Features;
using FeedbackHub.Classification.Model;

namespace FeedbackHub.Classification;

/// <summary>
/// Predicts a label for a text with a trained model (ML.NET: the prediction transformer that
/// <c>Fit</c> returns). Thread-safe: the model is immutable and each thread has its own scratch buffers.
/// </summary>
public sealed class TextClassifier
{
    /// <summary>How many n-grams an explanation lists by default.</summary>
    public const int DefaultExplanationSize = 5;

    private const string DefaultModelResource = "FeedbackHub.Classification.Model.default-reasons.fhmodel";

    private readonly float[] _table;
    private readonly float[] _bias;
    private readonly int _labelCount;
    private readonly int _stride;
    private readonly float _inverseTemperature;
    private readonly TextFeaturizerOptions _featurizer;

    public TextClassifier(MaximumEntropyModelParameters model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _table = model.Table;
        _bias = model.Bias;
        _labelCount = model.Labels.Count;
        _stride = _labelCount + 1;
        _inverseTemperature = 1f / model.Temperature;
        _featurizer = model.Featurizer;
    }

    public MaximumEntropyModelParameters Model { get; }

    public IReadOnlyList<string> Labels => Model.Labels;

    public ModelInfo Info => Model.Info;

    /// <summary>The model trained on the bundled corpus, shipped inside this assembly.</summary>
    public static TextClassifier LoadDefault()
    {
        using var stream = typeof(TextClassifier).Assembly.GetManifestResourceStream(DefaultModelResource)
            ?? throw new InvalidOperationException(
                "This build has no bundled default model; create it with 'feedbackhub reasons train' (see src/FeedbackHub.Classification/Corpus/README.md).");
        return new TextClassifier(ModelSerializer.Load(stream));
    }

    public static TextClassifier Load(string path) => new(ModelSerializer.Load(path));

    public static TextClassifier Load(Stream stream) => new(ModelSerializer.Load(stream));

    public void Save(string path) => ModelSerializer.Save(Model, path);

    public void Save(Stream stream) => ModelSerializer.Save(Model, stream);

    /// <summary>
    /// The hot path: writes one calibrated probability per label (in <see cref="Labels"/> order) and
    /// returns the index of the most probable label. Allocates nothing.
    /// </summary>
    public int Predict(ReadOnlySpan<char> text, Span<float> probabilities)
    {
        if (probabilities.Length < _labelCount)
        {
            throw new ArgumentException($"Room for {_labelCount} probabilities is needed.", nameof(probabilities));
        }

        var scratch = FeatureScratch.ForCurrentThread();
        var count = scratch.Count(text, _featurizer);
        var output = probabilities[.._labelCount];
        ComputeLogits(scratch.Keys(count), scratch.Counts(count), output, out _, out _);
        TensorPrimitives.SoftMax(output, output);
        return TensorPrimitives.IndexOfMax(output);
    }

    /// <summary>The most probable label.</summary>
    public string PredictLabel(ReadOnlySpan<char> text)
    {
        Span<float> probabilities = stackalloc float[_labelCount];
        return Model.Labels[Predict(text, probabilities)];
    }

    /// <summary>Label, probabilities and the n-grams that weighed most towards the label.</summary>
    public TextPrediction Predict(string text, int explanationSize = DefaultExplanationSize)
    {
        ArgumentNullException.ThrowIfNull(text);
        var probabilities = new float[_labelCount];
        var best = Predict(text, probabilities);
        var scores = new LabelProbability[_labelCount];
        for (var k = 0; k < _labelCount; k++)
        {
            scores[k] = new LabelProbability(Model.Labels[k], probabilities[k]);
        }

        var explanation = explanationSize > 0 ? Explain(text, best, explanationSize) : [];
        return new TextPrediction(Model.Labels[best], probabilities[best], scores, explanation);
    }

    /// <summary>Predicts many texts over the machine's cores; <paramref name="labels"/> receives label indexes.</summary>
    public void PredictBatch(IReadOnlyList<string> texts, int[] labels, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length < texts.Count)
        {
            throw new ArgumentException("Room for one label per text is needed.", nameof(labels));
        }

        // Ranges, not single items: one delegate call per few hundred predictions keeps the overhead out of the figure.
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var partitions = System.Collections.Concurrent.Partitioner.Create(0, texts.Count, Math.Max(64, texts.Count / (Environment.ProcessorCount * 8)));
        Parallel.ForEach(partitions, options, range =>
        {
            Span<float> probabilities = stackalloc float[_labelCount];
            for (var i = range.Item1; i < range.Item2; i++)
            {
                labels[i] = Predict(texts[i], probabilities);
            }
        });
    }

    /// <summary>
    /// Logits from distinct n-gram keys and their counts: per block, the sum of tf × (idf × weight) is
    /// scaled by the block weight over the block's L2 norm of tf × idf, then divided by the temperature.
    /// </summary>
    private void ComputeLogits(ReadOnlySpan<int> keys, ReadOnlySpan<float> counts, Span<float> logits, out float wordScale, out float charScale)
    {
        var k = _labelCount;
        Span<float> partial = stackalloc float[2 * k];
        partial.Clear();
        var wordNormSquared = 0f;
        var charNormSquared = 0f;
        var sublinear = _featurizer.SublinearTermFrequency;
        var table = _table;
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            var offset = NgramFeatures.Bucket(key) * _stride;
            var idf = table[offset];
            if (idf == 0)
            {
                continue;
            }

            var count = counts[i];
            var tf = sublinear && count > 1 ? 1 + MathF.Log(count) : count;
            var value = tf * idf;
            var block = NgramFeatures.Block(key);
            if (block == NgramFeatures.WordBlock)
            {
                wordNormSquared += value * value;
            }
            else
            {
                charNormSquared += value * value;
            }

            // A handful of labels: a plain loop beats a vector call's setup here.
            var target = partial.Slice(block * k, k);
            var row = table.AsSpan(offset + 1, k);
            for (var j = 0; j < target.Length; j++)
            {
                target[j] += tf * row[j];
            }
        }

        wordScale = wordNormSquared > 0 ? _featurizer.WordBlockWeight / MathF.Sqrt(wordNormSquared) : 0;
        charScale = charNormSquared > 0 ? _featurizer.CharBlockWeight / MathF.Sqrt(charNormSquared) : 0;
        _bias.AsSpan().CopyTo(logits);
        TensorPrimitives.MultiplyAdd(partial[..k], wordScale, logits, logits);
        TensorPrimitives.MultiplyAdd(partial[k..], charScale, logits, logits);
        TensorPrimitives.Multiply(logits, _inverseTemperature, logits);
    }

    /// <summary>
    /// Each n-gram's pull towards <paramref name="label"/> against the average label, computed again from
    /// the text (the model stores only hashes). Character n-grams count towards the word they are in.
    /// </summary>
    private List<NgramContribution> Explain(string text, int label, int size)
    {
        var scratch = FeatureScratch.ForCurrentThread();
        var count = scratch.Count(text, _featurizer);
        Span<float> logits = stackalloc float[_labelCount];
        ComputeLogits(scratch.Keys(count), scratch.Counts(count), logits, out var wordScale, out var charScale);

        var normalized = scratch.Normalized.ToString();
        var recorder = new OccurrenceRecorder();
        NgramFeatures.Enumerate(normalized, _featurizer, ref recorder);
        var occurrencesPerKey = recorder.Occurrences.CountBy(o => o.Key).ToDictionary(g => g.Key, g => g.Value);
        var tokenStarts = TokenStarts(normalized);

        var byText = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var (key, first, last) in recorder.Occurrences)
        {
            var offset = NgramFeatures.Bucket(key) * _stride;
            if (_table[offset] == 0)
            {
                continue;
            }

            var row = _table.AsSpan(offset + 1, _labelCount);
            var pull = row[label] - (TensorPrimitives.Sum(row) / _labelCount);
            var occurrences = occurrencesPerKey[key];
            var tf = _featurizer.SublinearTermFrequency && occurrences > 1 ? 1 + MathF.Log(occurrences) : occurrences;
            var scale = NgramFeatures.Block(key) == NgramFeatures.WordBlock ? wordScale : charScale;
            // An n-gram seen several times shares its contribution among its occurrences.
            var contribution = scale * tf * pull * _inverseTemperature / occurrences;
            var start = tokenStarts[first];
            var end = last + 1 < tokenStarts.Count ? tokenStarts[last + 1] - 1 : normalized.Length;
            var ngram = normalized[start..end];
            byText[ngram] = byText.GetValueOrDefault(ngram) + contribution;
        }

        return [.. byText
            .Where(p => p.Value > 0)
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(size)
            .Select(p => new NgramContribution(p.Key, p.Value))];
    }

    private static List<int> TokenStarts(string normalized)
    {
        var starts = new List<int>();
        if (normalized.Length == 0)
        {
            return starts;
        }

        starts.Add(0);
        for (var i = 0; i < normalized.Length; i++)
        {
            if (normalized[i] == ' ')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private struct OccurrenceRecorder : IFeatureSink
    {
        public OccurrenceRecorder()
        {
        }

        public List<(int Key, int First, int Last)> Occurrences { get; } = [];

        public readonly void Add(int key, int firstToken, int lastToken) => Occurrences.Add((key, firstToken, lastToken));
    }
}

/// <summary>One prediction: the label, its probability, every label's probability and the explanation.</summary>
public sealed record TextPrediction(
    string Label, float Confidence, IReadOnlyList<LabelProbability> Probabilities, IReadOnlyList<NgramContribution> Explanation);

public sealed record LabelProbability(string Label, float Probability);

/// <summary>A word or word pair of the (normalised) answer and how much it pushed towards the predicted label, in logits.</summary>
public sealed record NgramContribution(string Ngram, float Weight);
