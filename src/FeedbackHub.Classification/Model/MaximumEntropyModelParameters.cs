using System.Runtime.InteropServices;
using FeedbackHub.Classification.Features;

namespace FeedbackHub.Classification.Model;

/// <summary>
/// The trained output of <see cref="Training.LbfgsMaximumEntropyMulticlassTrainer"/>: a linear model
/// over hashed n-gram buckets (ML.NET: <c>MaximumEntropyModelParameters</c>). Immutable, so one
/// instance serves any number of threads.
/// </summary>
public sealed class MaximumEntropyModelParameters
{
    internal MaximumEntropyModelParameters(
        IReadOnlyList<string> labels, TextFeaturizerOptions featurizer, float[] table, float[] bias, float temperature, ModelInfo info)
    {
        var stride = labels.Count + 1;
        if (table.Length != (1 << featurizer.HashBits) * stride || bias.Length != labels.Count)
        {
            throw new ArgumentException("The weight table does not match the labels and the hash space.");
        }

        Labels = [.. labels];
        Featurizer = featurizer;
        Table = table;
        Bias = bias;
        Temperature = temperature;
        Info = info;
    }

    /// <summary>The labels this model predicts, in index order; they are data, not an enum, so admins can add reasons.</summary>
    public IReadOnlyList<string> Labels { get; }

    public TextFeaturizerOptions Featurizer { get; }

    /// <summary>Logits are divided by this before the softmax (fitted on out-of-fold predictions, so probabilities are calibrated).</summary>
    public float Temperature { get; }

    public ModelInfo Info { get; }

    /// <summary>How many hash buckets carry weights (the rest were never seen in training).</summary>
    public int ActiveBuckets
    {
        get
        {
            var stride = Labels.Count + 1;
            var active = 0;
            for (var i = 0; i < Table.Length; i += stride)
            {
                if (Table[i] != 0)
                {
                    active++;
                }
            }

            return active;
        }
    }

    /// <summary>Per bucket: its IDF, then one weight per label already multiplied by that IDF.</summary>
    internal float[] Table { get; }

    internal float[] Bias { get; }

    /// <summary>The same weights with other information (e.g. cross-validation figures measured after training).</summary>
    public MaximumEntropyModelParameters WithInfo(ModelInfo info) => new(Labels, Featurizer, Table, Bias, Temperature, info);

    /// <summary>A content id over labels, settings and weights.</summary>
    internal static string ComputeVersion(IReadOnlyList<string> labels, float[] table, float[] bias, float temperature)
    {
        var crc = Crc32.Compute(MemoryMarshal.AsBytes(table.AsSpan()));
        crc = Crc32.Compute(MemoryMarshal.AsBytes(bias.AsSpan()), crc);
        crc = Crc32.Compute(BitConverter.GetBytes(temperature), crc);
        crc = Crc32.Compute(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', labels)), crc);
        return crc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
