using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FeedbackHub.Classification;
using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Evaluation;
using FeedbackHub.Classification.Model;
using FeedbackHub.Classification.Training;

namespace FeedbackHub.Cli;

/// <summary>
/// <c>feedbackhub reasons train|evaluate|cross-validate|predict|bench</c>: the churn-reason classifier on
/// files, without a database.
/// </summary>
internal static class ReasonsCommand
{
    public static Command Create()
    {
        var labels = new Option<string>("--labels")
        {
            Description = "Comma-separated labels a CSV file may use; any other label is an error.",
            DefaultValueFactory = _ => string.Join(',', ReasonCorpus.StandardLabels),
        };
        return new Command("reasons", "The churn-reason classifier: train, evaluate, predict, measure. Needs no database.")
        {
            Train(labels),
            Evaluate(labels),
            CrossValidate(labels),
            Predict(),
            Bench(),
        };
    }

    private static Command Train(Option<string> labels)
    {
        var input = new Option<FileInfo>("--input") { Description = "Training CSV with 'text' and 'label' columns.", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Where to write the model.", DefaultValueFactory = _ => new FileInfo("reasons" + ModelSerializer.FileExtension) };
        var folds = new Option<int>("--cross-validate") { Description = "Also measure k-fold cross-validation (e.g. 5) and store the figures in the model; 0 skips it.", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train a model with the default options; the last line is 'status=ok model=FILE version=… examples=N …'.")
        {
            input, output, folds, labels,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunWithoutDatabaseAsync(ct =>
        {
            var examples = ReadCsv(parse.GetValue(input)!, parse.GetValue(labels)!);
            var trainer = new LbfgsMaximumEntropyMulticlassTrainer();
            CrossValidationResult? cv = null;
            var k = parse.GetValue(folds);
            if (k >= 2)
            {
                cv = MulticlassEvaluator.CrossValidate(trainer, examples, k, LbfgsMaximumEntropyMulticlassTrainer.Defaults.Seed, ct);
                PrintMetrics($"{k}-fold cross-validation (all out-of-fold predictions pooled)", cv.Pooled);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean macro-F1 over folds: {cv.MeanMacroF1:0.000}"));
            }

            var stopwatch = Stopwatch.StartNew();
            var model = trainer.FitModel(examples, ct);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            if (cv is not null)
            {
                model = model.WithInfo(model.Info with { CrossValidation = cv.Pooled.ToSummary(k) });
            }

            var path = parse.GetValue(output)!;
            path.Directory?.Create();
            ModelSerializer.Save(model, path.FullName);
            path.Refresh();
            Console.WriteLine($"trained on {examples.Count:N0} answers in {seconds:0.00} s: {string.Join(", ", model.Info.TrainingCounts.Select(c => $"{c.Label} {c.Count}"))}");
            Console.WriteLine($"wrote {path.FullName} ({path.Length:N0} bytes, version {model.Info.Version})");
            var pairs = new List<(string, object?)>
            {
                ("status", "ok"), ("model", path.FullName), ("version", model.Info.Version), ("examples", examples.Count),
                ("labels", model.Labels.Count), ("bytes", path.Length), ("seconds", Round(seconds, 2)),
            };
            if (cv is not null)
            {
                pairs.Add(("cv_macro_f1", Round(cv.Pooled.MacroF1, 3)));
                pairs.Add(("cv_accuracy", Round(cv.Pooled.Accuracy, 3)));
            }

            return Task.FromResult<VerbResult>(Summary.Format([.. pairs]));
        }, cancellationToken));
        return command;
    }

    private static Command Evaluate(Option<string> labels)
    {
        var test = new Option<FileInfo>("--test") { Description = "Labelled CSV to score the model on.", Required = true };
        var train = new Option<FileInfo?>("--train") { Description = "Train a fresh model with the default options on this CSV first." };
        var modelFile = new Option<FileInfo?>("--model") { Description = "A model file; without it (and without --train) the bundled default model." };
        var command = new Command("evaluate", "Per-label precision/recall/F1 and the confusion matrix; the last line is 'macro_f1=0.000 accuracy=0.000 n=0'.")
        {
            test, train, modelFile, labels,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunWithoutDatabaseAsync(ct =>
        {
            var trainFile = parse.GetValue(train);
            var model = parse.GetValue(modelFile);
            if (trainFile is not null && model is not null)
            {
                throw new VerbFailedException("Use --train or --model, not both.");
            }

            // The test file is read first: a bad test file should not cost a training run.
            var testExamples = ReadCsv(parse.GetValue(test)!, parse.GetValue(labels)!);
            TextClassifier classifier;
            if (trainFile is not null)
            {
                var examples = ReadCsv(trainFile, parse.GetValue(labels)!);
                var stopwatch = Stopwatch.StartNew();
                classifier = new LbfgsMaximumEntropyMulticlassTrainer().Fit(examples, ct);
                Console.WriteLine($"trained on {examples.Count:N0} answers from {trainFile.Name} in {stopwatch.Elapsed.TotalSeconds:0.00} s");
            }
            else
            {
                classifier = LoadModel(model);
            }

            var metrics = MulticlassEvaluator.Evaluate(classifier, testExamples);
            PrintMetrics($"{parse.GetValue(test)!.Name}: {metrics.Count:N0} answers, model {classifier.Info.Version}", metrics);
            return Task.FromResult<VerbResult>(MetricsLine(metrics));
        }, cancellationToken));
        return command;
    }

    private static Command CrossValidate(Option<string> labels)
    {
        var input = new Option<FileInfo>("--input") { Description = "Labelled CSV.", Required = true };
        var folds = new Option<int>("--folds") { Description = "Number of stratified folds.", DefaultValueFactory = _ => 5 };
        folds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 2 or > 20)
            {
                result.AddError("--folds must be between 2 and 20.");
            }
        });
        var command = new Command("cross-validate", "k-fold cross-validation of the default options; the last line is 'macro_f1=… accuracy=… n=… folds=k' over the pooled out-of-fold predictions.")
        {
            input, folds, labels,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunWithoutDatabaseAsync(ct =>
        {
            var examples = ReadCsv(parse.GetValue(input)!, parse.GetValue(labels)!);
            var k = parse.GetValue(folds);
            var result = MulticlassEvaluator.CrossValidate(new LbfgsMaximumEntropyMulticlassTrainer(), examples, k, LbfgsMaximumEntropyMulticlassTrainer.Defaults.Seed, ct);
            PrintMetrics($"{k}-fold cross-validation of {parse.GetValue(input)!.Name} (all out-of-fold predictions pooled)", result.Pooled);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"per fold macro-F1: {string.Join(" ", result.Folds.Select(f => f.MacroF1.ToString("0.000", CultureInfo.InvariantCulture)))} (mean {result.MeanMacroF1:0.000})"));
            return Task.FromResult<VerbResult>(MetricsLine(result.Pooled) + $" folds={k}");
        }, cancellationToken));
        return command;
    }

    private static Command Predict()
    {
        var text = new Argument<string>("text") { Description = "The answer to classify." };
        var modelFile = new Option<FileInfo?>("--model") { Description = "A model file; default the bundled model." };
        var top = new Option<int>("--top") { Description = "How many n-grams the explanation lists.", DefaultValueFactory = _ => TextClassifier.DefaultExplanationSize };
        var command = new Command("predict", "Classify one answer: label, probabilities, the n-grams that weighed most. Last line 'label=… confidence=… explanation=…'.")
        {
            text, modelFile, top,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunWithoutDatabaseAsync(_ =>
        {
            var classifier = LoadModel(parse.GetValue(modelFile));
            var prediction = classifier.Predict(parse.GetValue(text)!, Math.Max(0, parse.GetValue(top)));
            Console.WriteLine($"label: {prediction.Label}");
            foreach (var p in prediction.Probabilities.OrderByDescending(p => p.Probability))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Label,-12} {p.Probability:0.000}"));
            }

            Console.WriteLine("explanation (n-grams pulling towards the label):");
            foreach (var c in prediction.Explanation)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Ngram,-24} +{c.Weight:0.000}"));
            }

            return Task.FromResult<VerbResult>(Summary.Format(
                ("label", prediction.Label),
                ("confidence", Round(prediction.Confidence, 3)),
                ("explanation", string.Join(';', prediction.Explanation.Select(e => e.Ngram))),
                ("model", classifier.Info.Version)));
        }, cancellationToken));
        return command;
    }

    private static Command Bench()
    {
        var modelFile = new Option<FileInfo?>("--model") { Description = "A model file; default the bundled model." };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per measurement.", DefaultValueFactory = _ => 2 };
        var command = new Command("bench", "A quick throughput figure for 15-token answers (the BenchmarkDotNet run in tests/FeedbackHub.Benchmarks is the reference).")
        {
            modelFile, seconds,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunWithoutDatabaseAsync(ct =>
        {
            var classifier = LoadModel(parse.GetValue(modelFile));
            var answers = ReasonCorpus.SyntheticAnswers(10_000, tokens: 15, seed: 7);
            var duration = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(seconds), 0.1, 60));
            Span<float> probabilities = stackalloc float[classifier.Labels.Count];
            foreach (var answer in answers.Take(2_000))
            {
                classifier.Predict(answer, probabilities); // warm-up: JIT and the scratch buffers
            }

            var single = 0L;
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < duration)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var answer in answers)
                {
                    classifier.Predict(answer, probabilities);
                }

                single += answers.Count;
            }

            var singleRate = single / stopwatch.Elapsed.TotalSeconds;
            var labels = new int[answers.Count];
            var batch = 0L;
            stopwatch.Restart();
            while (stopwatch.Elapsed < duration)
            {
                ct.ThrowIfCancellationRequested();
                classifier.PredictBatch(answers, labels);
                batch += answers.Count;
            }

            var batchRate = batch / stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine($"single thread: {singleRate:N0} answers/s (15 tokens each)");
            Console.WriteLine($"batch over {Environment.ProcessorCount} cores: {batchRate:N0} answers/s");
            return Task.FromResult<VerbResult>(Summary.Format(
                ("single_thread_per_second", Math.Round(singleRate)),
                ("batch_per_second", Math.Round(batchRate)),
                ("cores", Environment.ProcessorCount),
                ("model", classifier.Info.Version)));
        }, cancellationToken));
        return command;
    }

    private static IReadOnlyList<LabeledText> ReadCsv(FileInfo file, string labels)
    {
        if (!file.Exists)
        {
            throw new VerbFailedException($"There is no file at {file.FullName}.");
        }

        var allowed = labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            return LabeledTextCsv.Read(file.FullName, allowed);
        }
        catch (LabeledTextCsvException ex)
        {
            throw new VerbFailedException($"{file.Name}: {ex.Message}");
        }
    }

    private static TextClassifier LoadModel(FileInfo? file)
    {
        if (file is null)
        {
            return TextClassifier.LoadDefault();
        }

        if (!file.Exists)
        {
            throw new VerbFailedException($"There is no model file at {file.FullName}.");
        }

        try
        {
            return TextClassifier.Load(file.FullName);
        }
        catch (InvalidModelFileException ex)
        {
            throw new VerbFailedException($"{file.Name}: {ex.Message}");
        }
    }

    private static void PrintMetrics(string title, MulticlassClassificationMetrics metrics)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(title);
        Console.WriteLine($"  {"label",-12} {"precision",9} {"recall",9} {"f1",9} {"support",9}");
        foreach (var c in metrics.PerClass)
        {
            Console.WriteLine(string.Create(inv, $"  {c.Label,-12} {c.Precision,9:0.000} {c.Recall,9:0.000} {c.F1,9:0.000} {c.Support,9}"));
        }

        Console.WriteLine(string.Create(inv, $"  {"macro",-12} {metrics.MacroPrecision,9:0.000} {metrics.MacroRecall,9:0.000} {metrics.MacroF1,9:0.000} {metrics.Count,9}"));
        var matrix = metrics.ConfusionMatrix;
        var width = Math.Max(8, matrix.Labels.Max(l => l.Length) + 1);
        Console.WriteLine("confusion matrix (rows: actual, columns: predicted)");
        Console.WriteLine("  " + "".PadRight(width) + string.Concat(matrix.Labels.Select(l => l.PadLeft(width))));
        for (var a = 0; a < matrix.Labels.Count; a++)
        {
            Console.WriteLine("  " + matrix.Labels[a].PadRight(width)
                + string.Concat(Enumerable.Range(0, matrix.Labels.Count).Select(p => matrix[a, p].ToString(inv).PadLeft(width))));
        }
    }

    /// <summary>The exact last line scripts read: three decimals, n the number of answers.</summary>
    internal static string MetricsLine(MulticlassClassificationMetrics metrics) =>
        string.Create(CultureInfo.InvariantCulture, $"macro_f1={metrics.MacroF1:0.000} accuracy={metrics.Accuracy:0.000} n={metrics.Count}");

    private static double Round(double value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);
}
