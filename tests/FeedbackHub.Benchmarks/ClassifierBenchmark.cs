using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FeedbackHub.Classification;
using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Training;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// The classifier's speed with BenchmarkDotNet: one thread predicting 15-token answers, a batch over
/// every core, and training on 10,000 answers. Runs in-process (no generated project to build).
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private const int Answers = 10_000;
    private TextClassifier _classifier = null!;
    private IReadOnlyList<string> _answers = null!;
    private IReadOnlyList<LabeledText> _training = null!;
    private readonly float[] _probabilities = new float[4];
    private readonly int[] _labels = new int[Answers];

    [GlobalSetup]
    public void Setup()
    {
        _classifier = TextClassifier.LoadDefault();
        _answers = ReasonCorpus.SyntheticAnswers(Answers, tokens: 15, seed: 7);
        _training = ReasonCorpus.SyntheticExamples(10_000, tokens: 0, seed: 11);
    }

    /// <summary>Per answer (OperationsPerInvoke): one thread, 15 tokens, probabilities for every label.</summary>
    [Benchmark(OperationsPerInvoke = Answers)]
    public int PredictSingleThread()
    {
        var last = 0;
        foreach (var answer in _answers)
        {
            last = _classifier.Predict(answer, _probabilities);
        }

        return last;
    }

    /// <summary>Per answer: the same answers spread over every core.</summary>
    [Benchmark(OperationsPerInvoke = Answers)]
    public int PredictBatchAllCores()
    {
        _classifier.PredictBatch(_answers, _labels);
        return _labels[0];
    }

    /// <summary>One full training (default options, calibration included) on 10,000 answers.</summary>
    [Benchmark]
    public TextClassifier Train10000() => new LbfgsMaximumEntropyMulticlassTrainer().Fit(_training);

    /// <summary><c>classifier [BenchmarkDotNet arguments]</c>, e.g. <c>--filter *Predict*</c>.</summary>
    public static int Run(string[] args)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(10);
        var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkSwitcher.FromTypes([typeof(ClassifierBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return summary.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>
    /// <c>classifier-size</c>: model file sizes, the memory a loaded model takes, and one timed training on
    /// 10,000 answers (a quick check; the BenchmarkDotNet run is the reference figure).
    /// </summary>
    public static int Size()
    {
        var inv = CultureInfo.InvariantCulture;
        var before = Snapshot();
        var classifier = TextClassifier.LoadDefault();
        Span<float> probabilities = stackalloc float[classifier.Labels.Count];
        foreach (var answer in ReasonCorpus.SyntheticAnswers(1_000, tokens: 15, seed: 7))
        {
            classifier.Predict(answer, probabilities);
        }

        var after = Snapshot();
        using var file = new MemoryStream();
        classifier.Save(file);
        Console.WriteLine(string.Create(inv, $"default model: {file.Length:N0} bytes on disk, {classifier.Model.ActiveBuckets:N0} of {1 << classifier.Model.Featurizer.HashBits:N0} buckets carry weights"));
        Console.WriteLine(string.Create(inv, $"loading it and predicting: managed heap +{after.Heap - before.Heap:N1} MB, resident +{after.Resident - before.Resident:N1} MB (process resident {after.Resident:N1} MB)"));

        var training = ReasonCorpus.SyntheticExamples(10_000, tokens: 0, seed: 11);
        var stopwatch = Stopwatch.StartNew();
        var trained = new LbfgsMaximumEntropyMulticlassTrainer().Fit(training);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        using var trainedFile = new MemoryStream();
        trained.Save(trainedFile);
        Console.WriteLine(string.Create(inv, $"training on 10,000 answers: {seconds:0.00} s; that model: {trainedFile.Length:N0} bytes"));
        Console.WriteLine(string.Create(inv,
            $"model_bytes={file.Length} loaded_heap_mb={after.Heap - before.Heap:0.0} loaded_resident_mb={after.Resident - before.Resident:0.0} process_resident_mb={after.Resident:0.0} train_10k_seconds={seconds:0.00} trained_10k_model_bytes={trainedFile.Length}"));
        GC.KeepAlive(classifier);
        return 0;
    }

    private static (double Heap, double Resident) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true) / 1_048_576.0, process.WorkingSet64 / 1_048_576.0);
    }
}
