using System.Globalization;
using System.Numerics.Tensors;
using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Features;
using FeedbackHub.Classification.Model;

namespace FeedbackHub.Classification.Training;

/// <summary>
/// Multinomial logistic regression (maximum entropy) over hashed TF-IDF n-grams, optimised with L-BFGS
/// and L2 regularisation (ML.NET: <c>LbfgsMaximumEntropyMulticlassTrainer</c>). Two measured additions
/// on small text data: NB-SVM style per-feature scaling by naive Bayes log-count ratios, and a
/// complement naive Bayes model as the starting point the regression corrects. Probabilities are
/// calibrated by a temperature fitted on out-of-fold predictions. Deterministic for a given seed.
/// </summary>
public sealed class LbfgsMaximumEntropyMulticlassTrainer
{
    private const int RowsPerChunk = 64;
    private const int ColumnsPerChunk = 2048;
    private readonly TimeProvider _timeProvider;

    public LbfgsMaximumEntropyMulticlassTrainer(Options? options = null, TimeProvider? timeProvider = null)
    {
        TrainerOptions = options ?? new Options();
        TrainerOptions.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public Options TrainerOptions { get; }

    /// <summary>Trains a classifier on the examples (ML.NET: an estimator's <c>Fit</c> returning its transformer).</summary>
    public TextClassifier Fit(IReadOnlyList<LabeledText> examples, CancellationToken cancellationToken = default) =>
        new(FitModel(examples, cancellationToken));

    /// <summary>Trains and returns the model parameters.</summary>
    public MaximumEntropyModelParameters FitModel(IReadOnlyList<LabeledText> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var options = TrainerOptions;
        var labels = ResolveLabels(examples, options.Labels);
        var labelIndex = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var y = examples.Select(e => labelIndex[e.Label]).ToArray();

        var featurizer = options.Featurizer;
        var counted = CountFeatures(examples, featurizer, options.NumberOfThreads);
        var buckets = 1 << featurizer.HashBits;
        var idf = InverseDocumentFrequencies(counted, buckets, options.MinimumDocumentFrequency, out var columnOfBucket, out var columns);
        var matrix = BuildMatrix(counted, idf, columnOfBucket, columns, featurizer);
        cancellationToken.ThrowIfCancellationRequested();

        var (weights, bias) = TrainLinear(matrix, y, labels.Length, cancellationToken);
        var temperature = 1f;
        if (options.CalibrationFolds >= 2)
        {
            var outOfFold = OutOfFoldLogits(matrix, y, labels.Length, options.CalibrationFolds, cancellationToken);
            temperature = Calibration.FitTemperature(outOfFold, y, labels.Length);
        }

        var k = labels.Length;
        var stride = k + 1;
        var table = new float[buckets * stride];
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var column = columnOfBucket[bucket];
            if (column < 0)
            {
                continue;
            }

            var row = table.AsSpan(bucket * stride, stride);
            row[0] = idf[bucket];
            TensorPrimitives.Multiply(weights.AsSpan(column * k, k), idf[bucket], row[1..]);
        }

        var counts = labels.Select((label, i) => new LabelCount(label, y.Count(v => v == i))).ToArray();
        var info = new ModelInfo
        {
            Version = MaximumEntropyModelParameters.ComputeVersion(labels, table, bias, temperature),
            TrainedAt = _timeProvider.GetUtcNow(),
            Trainer = Describe(),
            TrainingCounts = counts,
        };
        return new MaximumEntropyModelParameters(labels, featurizer, table, bias, temperature, info);
    }

    /// <summary>The trainer and its settings in one line, stored in the model.</summary>
    public string Describe()
    {
        var o = TrainerOptions;
        var f = o.Featurizer;
        return string.Create(CultureInfo.InvariantCulture,
            $"LbfgsMaximumEntropy l2={o.L2Regularization} nb={o.NaiveBayesScaling} cnb={o.ComplementNaiveBayesWeight} nb_alpha={o.NaiveBayesSmoothing} balance={o.ClassBalance} min_df={o.MinimumDocumentFrequency} calibration_folds={o.CalibrationFolds} bits={f.HashBits} words=1-{f.WordNgramLength} chars={f.CharNgramMinLength}-{f.CharNgramMaxLength} sublinear={f.SublinearTermFrequency} blocks={f.WordBlockWeight}/{f.CharBlockWeight} stem={f.StemWords}");
    }

    private static string[] ResolveLabels(IReadOnlyList<LabeledText> examples, IReadOnlyList<string>? fixedLabels)
    {
        foreach (var example in examples)
        {
            if (example is null || example.Text is null || string.IsNullOrWhiteSpace(example.Label))
            {
                throw new ArgumentException("Every example needs a text and a label.", nameof(examples));
            }
        }

        var present = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (fixedLabels is null)
        {
            if (present.Length < 2)
            {
                throw new ArgumentException($"Training needs examples of at least two labels; found {present.Length}.", nameof(examples));
            }

            return present;
        }

        var unknown = present.Except(fixedLabels, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Examples carry labels outside the fixed label list: {string.Join(", ", unknown)}.", nameof(examples));
        }

        return [.. fixedLabels];
    }

    /// <summary>Distinct n-gram keys and counts per example (normalisation and hashing, in parallel).</summary>
    private static (int[] Keys, float[] Counts)[] CountFeatures(IReadOnlyList<LabeledText> examples, TextFeaturizerOptions featurizer, int threads)
    {
        var counted = new (int[] Keys, float[] Counts)[examples.Count];
        Parallel.For(0, examples.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var scratch = FeatureScratch.ForCurrentThread();
            var count = scratch.Count(examples[i].Text, featurizer);
            counted[i] = (scratch.Keys(count).ToArray(), scratch.Counts(count).ToArray());
        });
        return counted;
    }

    /// <summary>Smoothed IDF per bucket, and a dense column per bucket seen in at least <paramref name="minimumFrequency"/> examples.</summary>
    private static float[] InverseDocumentFrequencies(
        (int[] Keys, float[] Counts)[] counted, int buckets, int minimumFrequency, out int[] columnOfBucket, out int columns)
    {
        var frequency = new int[buckets];
        var lastSeen = new int[buckets];
        Array.Fill(lastSeen, -1);
        for (var i = 0; i < counted.Length; i++)
        {
            foreach (var key in counted[i].Keys)
            {
                var bucket = NgramFeatures.Bucket(key);
                if (lastSeen[bucket] != i)
                {
                    lastSeen[bucket] = i;
                    frequency[bucket]++;
                }
            }
        }

        var idf = new float[buckets];
        columnOfBucket = new int[buckets];
        columns = 0;
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            if (frequency[bucket] >= Math.Max(1, minimumFrequency))
            {
                idf[bucket] = (float)(Math.Log((1.0 + counted.Length) / (1.0 + frequency[bucket])) + 1.0);
                columnOfBucket[bucket] = columns++;
            }
            else
            {
                columnOfBucket[bucket] = -1;
            }
        }

        return idf;
    }

    /// <summary>The same values <see cref="TextClassifier"/> computes at prediction time: per block, tf × idf over the block's L2 norm.</summary>
    private static SparseMatrix BuildMatrix(
        (int[] Keys, float[] Counts)[] counted, float[] idf, int[] columnOfBucket, int columns, TextFeaturizerOptions featurizer)
    {
        var starts = new int[counted.Length + 1];
        for (var i = 0; i < counted.Length; i++)
        {
            var kept = 0;
            foreach (var key in counted[i].Keys)
            {
                kept += columnOfBucket[NgramFeatures.Bucket(key)] >= 0 ? 1 : 0;
            }

            starts[i + 1] = starts[i] + kept;
        }

        var columnIndexes = new int[starts[^1]];
        var values = new float[starts[^1]];
        Span<float> normSquared = stackalloc float[2];
        for (var i = 0; i < counted.Length; i++)
        {
            var (keys, counts) = counted[i];
            var position = starts[i];
            normSquared.Clear();
            for (var j = 0; j < keys.Length; j++)
            {
                var bucket = NgramFeatures.Bucket(keys[j]);
                if (columnOfBucket[bucket] < 0)
                {
                    continue;
                }

                var tf = featurizer.SublinearTermFrequency && counts[j] > 1 ? 1 + MathF.Log(counts[j]) : counts[j];
                var value = tf * idf[bucket];
                normSquared[NgramFeatures.Block(keys[j])] += value * value;
                columnIndexes[position] = columnOfBucket[bucket];
                values[position] = value;
                position++;
            }

            var wordScale = normSquared[NgramFeatures.WordBlock] > 0 ? featurizer.WordBlockWeight / MathF.Sqrt(normSquared[NgramFeatures.WordBlock]) : 0;
            var charScale = normSquared[NgramFeatures.CharBlock] > 0 ? featurizer.CharBlockWeight / MathF.Sqrt(normSquared[NgramFeatures.CharBlock]) : 0;
            position = starts[i];
            foreach (var key in keys)
            {
                if (columnOfBucket[NgramFeatures.Bucket(key)] >= 0)
                {
                    values[position++] *= NgramFeatures.Block(key) == NgramFeatures.WordBlock ? wordScale : charScale;
                }
            }
        }

        return new SparseMatrix(columns, starts, columnIndexes, values);
    }

    /// <summary>Fits the regression on the rows of <paramref name="matrix"/>; returns effective weights (column-major by label) and biases.</summary>
    private (float[] Weights, float[] Bias) TrainLinear(SparseMatrix matrix, int[] y, int k, CancellationToken cancellationToken)
    {
        var options = TrainerOptions;
        var d = matrix.Columns;
        var classCounts = new int[k];
        foreach (var label in y)
        {
            classCounts[label]++;
        }

        // Balanced weights (n / (k n_c))^exponent: 0 ignores imbalance, 1 evens it out, above 1 favours small labels
        // further (L2 shrinks a small label's few examples most, so evening out alone left its recall low).
        var classWeights = new float[k];
        for (var c = 0; c < k; c++)
        {
            classWeights[c] = classCounts[c] == 0 ? 0 : MathF.Pow((float)y.Length / (k * classCounts[c]), options.ClassBalance);
        }

        var (scale, offset) = NaiveBayes(matrix, y, k, options);
        var objective = new MaximumEntropyObjective(matrix, y, k, classWeights, scale, offset, options.L2Regularization, options.NumberOfThreads);
        var parameters = new float[(d * k) + k];
        Lbfgs.Minimize(objective.Evaluate, parameters, options.HistorySize, options.MaximumIterations, options.OptimizationTolerance, cancellationToken);
        var weights = objective.EffectiveWeights(parameters);
        return (weights, parameters[(d * k)..]);
    }

    /// <summary>
    /// Per feature and label: the scale |log-count ratio| (NB-SVM) interpolated with 1, and the
    /// complement naive Bayes weights (centred over labels) that the regression starts from.
    /// </summary>
    private static (float[]? Scale, float[]? Offset) NaiveBayes(SparseMatrix matrix, int[] y, int k, Options options)
    {
        if (options.NaiveBayesScaling <= 0 && options.ComplementNaiveBayesWeight <= 0)
        {
            return (null, null);
        }

        var alpha = (double)options.NaiveBayesSmoothing;
        var d = matrix.Columns;
        var sums = new double[d * k];
        for (var row = 0; row < matrix.Rows; row++)
        {
            var columns = matrix.RowColumns(row);
            var values = matrix.RowValues(row);
            for (var j = 0; j < columns.Length; j++)
            {
                sums[(columns[j] * k) + y[row]] += values[j];
            }
        }

        var classTotals = new double[k];
        for (var column = 0; column < d; column++)
        {
            for (var c = 0; c < k; c++)
            {
                classTotals[c] += sums[(column * k) + c];
            }
        }

        var grandTotal = classTotals.Sum();
        float[]? scale = options.NaiveBayesScaling > 0 ? new float[d * k] : null;
        float[]? offset = options.ComplementNaiveBayesWeight > 0 ? new float[d * k] : null;
        Span<double> complement = stackalloc double[k];
        for (var column = 0; column < d; column++)
        {
            var featureTotal = 0.0;
            for (var c = 0; c < k; c++)
            {
                featureTotal += sums[(column * k) + c];
            }

            var mean = 0.0;
            for (var c = 0; c < k; c++)
            {
                var inClass = sums[(column * k) + c];
                var logIn = Math.Log((alpha + inClass) / ((alpha * d) + classTotals[c]));
                complement[c] = Math.Log((alpha + featureTotal - inClass) / ((alpha * d) + grandTotal - classTotals[c]));
                mean += complement[c];
                if (scale is not null)
                {
                    var ratio = Math.Abs(logIn - complement[c]);
                    scale[(column * k) + c] = (float)((1 - options.NaiveBayesScaling) + (options.NaiveBayesScaling * ratio));
                }
            }

            if (offset is not null)
            {
                mean /= k;
                for (var c = 0; c < k; c++)
                {
                    // Complement NB prefers the label whose complement explains the feature worst.
                    offset[(column * k) + c] = (float)(options.ComplementNaiveBayesWeight * (mean - complement[c]));
                }
            }
        }

        return (scale, offset);
    }

    /// <summary>
    /// Logits of predictions made by models that did not see the answer (stratified folds over the
    /// training set): what the temperature and the bias offsets are fitted on.
    /// </summary>
    private float[] OutOfFoldLogits(SparseMatrix matrix, int[] y, int k, int folds, CancellationToken cancellationToken)
    {
        var foldOf = Folds.Stratified(y, k, folds, TrainerOptions.Seed);
        var logits = new float[y.Length * k];
        for (var fold = 0; fold < folds; fold++)
        {
            var trainRows = Enumerable.Range(0, y.Length).Where(i => foldOf[i] != fold).ToArray();
            var testRows = Enumerable.Range(0, y.Length).Where(i => foldOf[i] == fold).ToArray();
            if (testRows.Length == 0 || trainRows.Select(i => y[i]).Distinct().Count() < 2)
            {
                continue;
            }

            var (weights, bias) = TrainLinear(matrix.SelectRows(trainRows), [.. trainRows.Select(i => y[i])], k, cancellationToken);
            foreach (var row in testRows)
            {
                var z = logits.AsSpan(row * k, k);
                bias.CopyTo(z);
                var columns = matrix.RowColumns(row);
                var values = matrix.RowValues(row);
                for (var j = 0; j < columns.Length; j++)
                {
                    TensorPrimitives.MultiplyAdd(weights.AsSpan(columns[j] * k, k), values[j], z, z);
                }
            }
        }

        return logits;
    }

    /// <summary>Plain settings with measured defaults (ML.NET style).</summary>
    public sealed class Options
    {
        public TextFeaturizerOptions Featurizer { get; set; } = new();

        /// <summary>λ in mean(weighted log-loss) + λ/2 ‖W‖².</summary>
        public float L2Regularization { get; set; } = Defaults.L2Regularization;

        /// <summary>0 ignores class imbalance; 1 weighs each class by n / (k × n_class); above 1 raises that weight to this power.</summary>
        public float ClassBalance { get; set; } = Defaults.ClassBalance;

        /// <summary>0 off; 1 scales each feature per label by its naive Bayes log-count ratio (NB-SVM).</summary>
        public float NaiveBayesScaling { get; set; } = Defaults.NaiveBayesScaling;

        /// <summary>0 off; otherwise the weight of the complement naive Bayes model the regression starts from.</summary>
        public float ComplementNaiveBayesWeight { get; set; } = Defaults.ComplementNaiveBayesWeight;

        /// <summary>Buckets seen in fewer training examples are dropped (they mostly hold noise and typos).</summary>
        public int MinimumDocumentFrequency { get; set; } = Defaults.MinimumDocumentFrequency;

        /// <summary>
        /// The additive (Laplace) smoothing of the naive Bayes counts behind both the scaling and the
        /// complement model. A feature's values are TF-IDF fractions well below 1, so a full count of 1
        /// drowned the evidence of small labels.
        /// </summary>
        public float NaiveBayesSmoothing { get; set; } = Defaults.NaiveBayesSmoothing;

        public int MaximumIterations { get; set; } = Defaults.MaximumIterations;

        /// <summary>Stops when an iteration improves the objective by less than this, relatively.</summary>
        public double OptimizationTolerance { get; set; } = Defaults.OptimizationTolerance;

        public int HistorySize { get; set; } = Defaults.HistorySize;

        /// <summary>Folds for the out-of-fold temperature fit; below 2, no calibration (temperature 1).</summary>
        public int CalibrationFolds { get; set; } = Defaults.CalibrationFolds;

        /// <summary>Seeds the fold assignment; the same seed and data give the same model.</summary>
        public int Seed { get; set; } = Defaults.Seed;

        /// <summary>-1 uses every core; results do not depend on it.</summary>
        public int NumberOfThreads { get; set; } = -1;

        /// <summary>A fixed label list (e.g. the four reasons plus custom ones); null takes the labels found, sorted.</summary>
        public IReadOnlyList<string>? Labels { get; set; }

        internal void Validate()
        {
            ArgumentNullException.ThrowIfNull(Featurizer);
            Featurizer.Validate();
            if (!(L2Regularization >= 0) || !(ClassBalance >= 0) || !(NaiveBayesScaling is >= 0 and <= 1) || !(ComplementNaiveBayesWeight >= 0) || !(NaiveBayesSmoothing > 0))
            {
                throw new ArgumentException("L2Regularization, ClassBalance and ComplementNaiveBayesWeight must be non-negative, NaiveBayesSmoothing positive, NaiveBayesScaling between 0 and 1.");
            }

            if (MaximumIterations < 1 || HistorySize < 1 || MinimumDocumentFrequency < 1 || NumberOfThreads is 0 or < -1)
            {
                throw new ArgumentException("MaximumIterations, HistorySize and MinimumDocumentFrequency must be positive; NumberOfThreads positive or -1.");
            }

            if (Labels is not null && (Labels.Count < 2 || Labels.Distinct(StringComparer.Ordinal).Count() != Labels.Count))
            {
                throw new ArgumentException("A fixed label list needs at least two distinct labels.");
            }
        }
    }

    /// <summary>The defaults, chosen by 5-fold cross-validation on the training sets (see CLASSIFIER-NOTES.md).</summary>
    public static class Defaults
    {
        public const float L2Regularization = 3e-4f;
        public const float ClassBalance = 1.5f;
        public const float NaiveBayesScaling = 0.5f;
        public const float ComplementNaiveBayesWeight = 0.2f;
        public const float NaiveBayesSmoothing = 0.3f;
        public const int MinimumDocumentFrequency = 1;
        public const int MaximumIterations = 200;
        public const double OptimizationTolerance = 1e-6;
        public const int HistorySize = 8;
        public const int CalibrationFolds = 3;
        public const int Seed = 42;
    }

    /// <summary>
    /// Weighted mean log-loss plus L2, over parameters [W (column-major by label), b]. Every row's scores and
    /// every column's gradient is computed by one thread in a fixed order: results do not depend on scheduling.
    /// </summary>
    private sealed class MaximumEntropyObjective(
        SparseMatrix matrix, int[] y, int k, float[] classWeights, float[]? scale, float[]? offset, float lambda, int threads)
    {
        private readonly float[] _effective = new float[matrix.Columns * k];
        private readonly float[] _residuals = new float[matrix.Rows * k];
        private readonly double[] _losses = new double[matrix.Rows];
        private readonly double _totalWeight = y.Sum(label => (double)classWeights[label]);
        private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = threads };

        public float[] EffectiveWeights(float[] parameters)
        {
            var result = new float[matrix.Columns * k];
            Effective(parameters, result);
            return result;
        }

        public double Evaluate(float[] parameters, float[] gradient)
        {
            var dk = matrix.Columns * k;
            Effective(parameters, _effective);
            var bias = parameters.AsSpan(dk, k).ToArray();

            var chunks = (matrix.Rows + RowsPerChunk - 1) / RowsPerChunk;
            Parallel.For(0, chunks, _parallel, chunk =>
            {
                Span<float> z = stackalloc float[k];
                var end = Math.Min(matrix.Rows, (chunk + 1) * RowsPerChunk);
                for (var row = chunk * RowsPerChunk; row < end; row++)
                {
                    bias.CopyTo(z);
                    var columns = matrix.RowColumns(row);
                    var values = matrix.RowValues(row);
                    for (var j = 0; j < columns.Length; j++)
                    {
                        var w = _effective.AsSpan(columns[j] * k, k);
                        var v = values[j];
                        for (var c = 0; c < k; c++)
                        {
                            z[c] += v * w[c];
                        }
                    }

                    var max = TensorPrimitives.Max(z);
                    var sum = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        sum += Math.Exp(z[c] - max);
                    }

                    var logSum = max + Math.Log(sum);
                    var weight = classWeights[y[row]];
                    _losses[row] = weight * (logSum - z[y[row]]);
                    var residual = _residuals.AsSpan(row * k, k);
                    for (var c = 0; c < k; c++)
                    {
                        var p = Math.Exp(z[c] - logSum);
                        residual[c] = (float)(weight * (p - (c == y[row] ? 1 : 0)) / _totalWeight);
                    }
                }
            });

            var loss = 0.0;
            foreach (var l in _losses)
            {
                loss += l;
            }

            loss /= _totalWeight;

            var columnChunks = (matrix.Columns + ColumnsPerChunk - 1) / ColumnsPerChunk;
            Parallel.For(0, columnChunks, _parallel, chunk =>
            {
                var end = Math.Min(matrix.Columns, (chunk + 1) * ColumnsPerChunk);
                for (var column = chunk * ColumnsPerChunk; column < end; column++)
                {
                    var g = gradient.AsSpan(column * k, k);
                    g.Clear();
                    for (var j = matrix.ColumnStarts[column]; j < matrix.ColumnStarts[column + 1]; j++)
                    {
                        var r = _residuals.AsSpan(matrix.RowIndexes[j] * k, k);
                        var v = matrix.ColumnValues[j];
                        for (var c = 0; c < k; c++)
                        {
                            g[c] += v * r[c];
                        }
                    }
                }
            });

            var weights = parameters.AsSpan(0, dk);
            var weightGradient = gradient.AsSpan(0, dk);
            if (scale is not null)
            {
                TensorPrimitives.Multiply(weightGradient, scale, weightGradient);
            }

            TensorPrimitives.MultiplyAdd(weights, lambda, weightGradient, weightGradient);
            loss += 0.5 * lambda * TensorPrimitives.Dot(weights, weights);

            var biasGradient = gradient.AsSpan(dk, k);
            biasGradient.Clear();
            for (var row = 0; row < matrix.Rows; row++)
            {
                TensorPrimitives.Add(biasGradient, _residuals.AsSpan(row * k, k), biasGradient);
            }

            return loss;
        }

        /// <summary>The weights scores use: scale ∘ W + offset.</summary>
        private void Effective(float[] parameters, float[] destination)
        {
            var weights = parameters.AsSpan(0, matrix.Columns * k);
            if (scale is not null)
            {
                TensorPrimitives.Multiply(weights, scale, destination);
            }
            else
            {
                weights.CopyTo(destination);
            }

            if (offset is not null)
            {
                TensorPrimitives.Add(destination, offset, destination);
            }
        }
    }
}
